#!/usr/bin/env bash
# Opening hours, end to end: the real kiosk with a moved clock. Closed at 22:30 (the screen
# draws no text), an emergency wakes it and its end puts it back to sleep, open at 9:31,
# closed on a listed date, and the change at 22:00 happens by itself as the clock runs.
# The screen is read through the admin API's text listing (GET /api/v1/screen.txt).
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

tmp=$(mktemp -d)
pid=""
stop() {
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=""
}
trap 'stop; rm -rf "$tmp"' EXIT
printf 'hours-e2e-token-0123456789abcdef\n' >"$tmp/token"
chmod 600 "$tmp/token"
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
cat >"$tmp/kiosk.conf" <<CONF
hours.sun = 09:30-22:00
hours.mon = 09:30-22:00
hours.tue = 09:30-22:00
hours.wed = 09:30-22:00
hours.thu = 09:30-22:00
hours.fri = 09:30-22:00
hours.sat = 09:30-22:00
closed_dates = 2026-12-29
CONF

# start NOW [RATE]: a kiosk whose clock starts at NOW; sets $port.
start() {
    n=$((${n:-0} + 1))
    mkdir -p "$tmp/state$n"
    SDL_VIDEODRIVER=offscreen "$B/kiosk" --config "$tmp/kiosk.conf" --windowed 960x540 \
        --feed "file://$tmp/feed.json" --state-dir "$tmp/state$n" --now "$1" \
        --clock-rate "${2:-1}" --admin-listen 127.0.0.1:0 --admin-token-file "$tmp/token" \
        >"$tmp/log$n" 2>&1 &
    pid=$!
    port=""
    for _ in $(seq 1 200); do
        port=$(sed -n 's/.*admin API listening on .* port \([0-9]*\).*/\1/p' "$tmp/log$n")
        [ -n "$port" ] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "  kiosk did not start:"; tail -n 20 "$tmp/log$n"
    return 1
}
api() {
    curl -s --max-time 10 -H "Authorization: Bearer $(cat "$tmp/token")" "$@"
}
# text lines on the screen now
screen() { api "http://127.0.0.1:$port/api/v1/screen.txt"; }
# wait_for COND-COMMAND: polls up to 15 s
wait_for() {
    for _ in $(seq 1 75); do "$@" && return 0; sleep 0.2; done
    return 1
}
dark() { [ -z "$(screen)" ]; }
shows() { screen | grep -q -- "$1"; }

start 2026-11-25T22:30:00+09:00 || exit 1
if wait_for dark; then ok closed_at_22_30_draws_nothing; else bad closed_at_22_30_draws_nothing; fi
api -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"id":"quake","text":{"ja":"地震が発生しました。係員の指示に従ってください。"},"level":"emergency","until_cleared":true}' \
    "http://127.0.0.1:$port/api/v1/announcements"
if wait_for shows "地震が発生しました"; then ok an_emergency_wakes_the_closed_screen
else bad an_emergency_wakes_the_closed_screen; fi
api -o /dev/null -X DELETE "http://127.0.0.1:$port/api/v1/announcements/quake"
if wait_for dark; then ok its_end_puts_the_screen_back_to_sleep
else bad its_end_puts_the_screen_back_to_sleep; fi
stop

start 2026-11-26T09:31:00+09:00 || exit 1
if wait_for shows "武蔵野プレイス"; then ok open_at_9_31; else bad open_at_9_31; fi
stop

start 2026-12-29T12:00:00+09:00 || exit 1
if wait_for dark; then ok closed_on_a_listed_date; else bad closed_on_a_listed_date; fi
stop

# 21:59:30 at ten times real speed: open now, closed by itself three seconds later
start 2026-11-25T21:59:30+09:00 10 || exit 1
if wait_for shows "武蔵野プレイス"; then ok open_at_21_59; else bad open_at_21_59; fi
if wait_for dark; then ok closes_by_itself_at_22_00; else bad closes_by_itself_at_22_00; fi
if grep -q "opening hours: closed" "$tmp"/log*; then ok the_change_is_logged
else bad the_change_is_logged; fi
stop

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
