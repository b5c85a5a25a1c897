#!/usr/bin/env bash
# Time to read, in the real program (`kiosk-sim --replay`): a visitor turns large text on,
# opens the events, and leaves it; 「まだ使いますか？」 comes before the idle return home, one
# touch keeps the session (still large text, still the list); left again, the kiosk goes
# home into the attract loop and the next visitor finds normal text. The injected clock
# (--clock-rate 5, --idle-timeout 40: the warning from 20 s to 40 s of kiosk time, 4 to 8
# real seconds) keeps it fast, with 2 real seconds of margin each side for a loaded machine.
# Coordinates come from the screenshot mode's listings.
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
at() { awk -F'\t' -v t="$2" '$2 == t { split($1, g, " "); print int(g[1] + g[3] / 2), int(g[2] + g[4] / 2); exit }' "$work/ref/$1.txt"; }
large=$(at home "文字を大きく")
tile=$(at home-large "イベント")
[ -n "$large" ] && [ -n "$tile" ] || { echo "cannot find the large text button or the tile"; exit 1; }
# each tap ends 300 real ms (1.5 s of kiosk time) later
cat >"$work/script" <<SCRIPT
wait 500
tap $large
screenshot r-large
tap $tile
screenshot r-list
# 5.7 + 0.3 real s after the tap: 30 s idle, past the warning (20 s), before home (40 s)
wait 5700
screenshot r-warn
tap 960 540
screenshot r-kept
# left alone past the timeout: 51 s
wait 10000
screenshot r-gone
tap 960 540
screenshot r-next
SCRIPT
"$sim" --windowed 1920x1080 --replay "$work/script" --screenshot "$work/out" \
    --feed "file://$feed" --state-dir "$work/s2" --now "$now" --clock-rate 5 \
    --idle-timeout 40 --admin-listen "" >"$work/stdout" 2>"$work/err2" || {
    echo "replay failed"; cat "$work/stdout" "$work/err2"; exit 1; }
cat "$work/stdout"
failed=0
check() { if "${@:2}"; then echo "ok $1"; else echo "FAIL $1"; failed=1; fi; }
is() { grep -qx "replay: screenshot $1: $2" "$work/stdout"; }
has() { cut -f2 "$work/out/$1.txt" | tr -d '\n' | grep -qF -- "$2"; }
lacks() { ! has "$@"; }
check the_button_turns_large_text_on is r-large "home+large"
check the_list_opens_in_large_text is r-list "list-events+large"
check the_warning_comes_before_the_idle_return is r-warn "idle-warning+large"
check the_warning_asks has r-warn "まだ使いますか？"
check the_warning_offers_to_continue has r-warn "つづける"
check one_touch_keeps_the_session_and_its_text_size is r-kept "list-events+large"
check the_kept_session_shows_no_warning lacks r-kept "まだ使いますか"
check idle_returns_home_into_the_attract_loop is r-gone "attract"
check the_next_visitor_finds_normal_text is r-next "home"
check the_button_offers_large_text_again has r-next "文字を大きく"
[ "$failed" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$failed"
