#!/usr/bin/env bash
# A visitor who reads English (`kiosk-sim --replay`): the globe button in the header opens the
# language chooser, English turns every interface word to English, a listing opens in it; left
# alone, the kiosk goes home and into the attract loop, and the next visitor finds it in
# 日本語 again. Coordinates come from the screenshot mode's listings of the same feed.
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
globe=$(at home "日本語")
english=$(at language "English")
tile=$(at home-en "Events")
[ -n "$globe" ] && [ -n "$english" ] && [ -n "$tile" ] || {
    echo "cannot find the language button, English or the Events tile"; exit 1; }
cat >"$work/script" <<SCRIPT
wait 500
tap $globe
screenshot l-chooser
tap $english
screenshot l-home
tap $tile
screenshot l-list
# idle: --idle-timeout 5 at --clock-rate 4 is 1.25 real seconds
wait 4000
screenshot l-idle
tap 960 540
wait 300
screenshot l-woken
SCRIPT
"$sim" --windowed 1920x1080 --replay "$work/script" --screenshot "$work/out" \
    --feed "file://$feed" --state-dir "$work/s2" --now "$now" --clock-rate 4 \
    --idle-timeout 5 --admin-listen "" >"$work/stdout" 2>"$work/err2" || {
    echo "replay failed"; cat "$work/stdout" "$work/err2"; exit 1; }
cat "$work/stdout"
failed=0
expect() { grep -qx "replay: screenshot $1: $2" "$work/stdout" || { echo "FAIL $1 is not $2"; failed=1; }; }
has() { cut -f2 "$work/out/$1.txt" | tr -d '\n' | grep -qF -- "$2" || { echo "FAIL $1 lacks '$2'"; failed=1; }; }
lacks() { ! cut -f2 "$work/out/$1.txt" | tr -d '\n' | grep -qF -- "$2" || { echo "FAIL $1 has '$2'"; failed=1; }; }
expect l-chooser home
has l-chooser "한국어"
expect l-home home
has l-home "Touch what you want to see"
has l-home "English"
lacks l-home "見たいところにタッチしてください"
expect l-list list-events
has l-list "Back"
has l-list "Events"
expect l-idle attract
expect l-woken home
# the next visitor starts in Japanese
has l-woken "見たいところにタッチしてください"
has l-woken "日本語"
lacks l-woken "Touch what you want to see"
grep -q "ui: language: en" "$work/err2" "$work/stdout" || { echo "FAIL no log line of the choice"; failed=1; }
[ "$failed" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$failed"
