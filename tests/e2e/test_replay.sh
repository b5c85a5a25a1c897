#!/usr/bin/env bash
# A visitor's walk through the real program (`kiosk-sim --replay`): tap the events tile, a card,
# then leave it alone until the idle timeout brings back home and the attract loop; the
# first touch there only wakes it. Coordinates come from the screenshot mode's listings of
# the same feed, clock and screen size.
set -u
kiosk="$KIOSK_BUILD_DIR/kiosk"
sim="$KIOSK_BUILD_DIR/kiosk-sim"
feed="$KIOSK_SOURCE_DIR/assets/sample-feed.json"
[ -x "$kiosk" ] && [ -x "$sim" ] || { echo "missing $kiosk or $sim"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_VIDEODRIVER=offscreen
now=2026-11-26T10:00:00+09:00
# the reference coordinates need Japanese and English only (tests/README.md)
KIOSK_SHOTS_LANGS=en "$kiosk" --screenshot "$work/ref" --feed "file://$feed" --state-dir "$work/s1" --now "$now" \
    >/dev/null 2>"$work/err1" || { echo "screenshot run failed"; cat "$work/err1"; exit 1; }
# centre of the first listed line with exactly this text
at() { awk -F'\t' -v t="$2" '$2 == t { split($1, g, " "); print int(g[1] + g[3] / 2), int(g[2] + g[4] / 2); exit }' "$work/ref/$1.txt"; }
# a list row's title keeps to one line and may end in …: the first line starting so
atp() { awk -F'\t' -v t="$2" 'index($2, t) == 1 { split($1, g, " "); print int(g[1] + g[3] / 2), int(g[2] + g[4] / 2); exit }' "$work/ref/$1.txt"; }
tile=$(at home "イベント")
card=$(atp list-events "点字体験講座")
[ -n "$tile" ] && [ -n "$card" ] || { echo "cannot find the tile or the card"; exit 1; }
cat >"$work/script" <<SCRIPT
wait 500
screenshot r-home
tap $tile
screenshot r-list
tap $card
screenshot r-detail
drag 500 800 500 400 300
wait 300
screenshot r-detail-dragged
# idle: --idle-timeout 5 at --clock-rate 4 is 1.25 real seconds
wait 2500
screenshot r-idle
tap 960 540
wait 300
screenshot r-woken
SCRIPT
"$sim" --windowed 1920x1080 --replay "$work/script" --screenshot "$work/out" \
    --feed "file://$feed" --state-dir "$work/s2" --now "$now" --clock-rate 4 \
    --idle-timeout 5 --admin-listen "" >"$work/stdout" 2>"$work/err2" || {
    echo "replay failed"; cat "$work/stdout" "$work/err2"; exit 1; }
cat "$work/stdout"
failed=0
expect() { grep -qx "replay: screenshot $1: $2" "$work/stdout" || { echo "FAIL $1 is not $2"; failed=1; }; }
has() { cut -f2 "$work/out/$1.txt" | tr -d '\n' | grep -qF -- "$2" || { echo "FAIL $1 lacks '$2'"; failed=1; }; }
expect r-home home
expect r-list list-events
expect r-detail detail-ev-1126-01
expect r-idle attract
expect r-woken home
# 52: the sample feed's current events on 26 November, its Saturday series counted once
has r-list "52件"
has r-detail "点字体験講座"
has r-detail "スマートフォンで読み取ると申し込みページが開きます"
has r-idle "画面にタッチしてください"
has r-woken "見たいところにタッチしてください"
[ "$failed" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$failed"
