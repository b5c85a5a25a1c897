#!/usr/bin/env bash
# Opening hours, end to end: the real kiosk with a moved clock. Closed at 22:30 (the screen
# shows, dimmed, only when the facility opens and its hours), an emergency wakes it and its end puts it back to sleep, open at 9:31,
# closed on a listed date, and the change at 22:00 happens by itself as the clock runs.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap 'e2e_stop; rm -rf "$tmp"' EXIT
e2e_token
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
{
    for d in sun mon tue wed thu fri sat; do echo "hours.$d = 09:30-22:00"; done
    echo "closed_dates = 2026-12-29"
} >"$tmp/kiosk.conf"

# start NOW [RATE]: a kiosk whose clock starts at NOW, on a state dir of its own
n=0
start() {
    n=$((n + 1))
    mkdir -p "$tmp/state$n"
    e2e_start "$tmp/log$n" --config "$tmp/kiosk.conf" --windowed 960x540 \
        --feed "file://$tmp/feed.json" --state-dir "$tmp/state$n" --now "$1" \
        --clock-rate "${2:-1}"
}
post() {
    e2e_api /api/v1/announcements -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "$1"
}

start 2026-11-25T22:30:00+09:00 || exit 1
if e2e_wait_for e2e_dark; then ok closed_at_22_30_shows_the_closed_screen
else bad closed_at_22_30_shows_the_closed_screen; fi
if e2e_shows "次の開館　11月26日(木) 9:30" && e2e_shows "開館時間　9:30〜22:00" &&
    e2e_shows "Opening hours 9:30–22:00"; then ok the_closed_screen_says_when_it_opens
else bad the_closed_screen_says_when_it_opens; fi
post '{"id":"quake","text":{"ja":"地震が発生しました。係員の指示に従ってください。"},
       "level":"emergency","until_cleared":true}'
if e2e_wait_for e2e_shows "地震が発生しました"; then ok an_emergency_wakes_the_closed_screen
else bad an_emergency_wakes_the_closed_screen; fi
e2e_api /api/v1/announcements/quake -o /dev/null -X DELETE
if e2e_wait_for e2e_dark; then ok its_end_puts_the_screen_back_to_sleep
else bad its_end_puts_the_screen_back_to_sleep; fi
e2e_stop

start 2026-11-26T09:31:00+09:00 || exit 1
if e2e_wait_for e2e_shows "武蔵野プレイス"; then ok open_at_9_31; else bad open_at_9_31; fi
e2e_stop

start 2026-12-29T12:00:00+09:00 || exit 1
if e2e_wait_for e2e_dark; then ok closed_on_a_listed_date; else bad closed_on_a_listed_date; fi
e2e_stop

# 21:59:30 at ten times real speed: open now, closed by itself three seconds later
start 2026-11-25T21:59:30+09:00 10 || exit 1
if e2e_wait_for e2e_shows "武蔵野プレイス"; then ok open_at_21_59; else bad open_at_21_59; fi
if e2e_wait_for e2e_dark; then ok closes_by_itself_at_22_00; else bad closes_by_itself_at_22_00; fi
if grep -q "opening hours: closed" "$tmp/log$n"; then ok the_change_is_logged
else bad the_change_is_logged; fi
e2e_stop
e2e_finish
