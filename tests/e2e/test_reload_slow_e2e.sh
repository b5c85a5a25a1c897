#!/usr/bin/env bash
# SIGHUP with a slow config, end to end (issue 17): the config is read on a thread of its
# own, so while it takes seconds to open (a network mount; here tests/lib/slowopen.c, a
# preloaded shim, delays open() of it) the kiosk keeps drawing on its old config and
# answers screen.txt; then the new config applies. A second SIGHUP meanwhile is read after
# the first, and SIGTERM during a slow read still stops the kiosk at once.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
if [ ! -e "$B/kiosk_test_slowopen.so" ]; then
    echo "skipped: no preload shim in this build (sanitizers)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'e2e_stop; rm -rf "$tmp"' EXIT
e2e_token
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
echo "facility_name = 武蔵野プレイス" >"$tmp/kiosk.conf"
mkdir -p "$tmp/state"
SLOW_S=8
LD_PRELOAD="$B/kiosk_test_slowopen.so" KIOSK_TEST_SLOW_PATH="$tmp/kiosk.conf" \
    KIOSK_TEST_SLOW_MARK="$tmp/slow" KIOSK_TEST_SLOW_S=$SLOW_S \
    e2e_start "$tmp/log" --config "$tmp/kiosk.conf" --windowed 960x540 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state" \
    --now 2026-11-26T12:00:00+09:00 || exit 1
logged() { grep -q -- "$1" "$tmp/log"; }
lit() { e2e_shows "武蔵野プレイス"; }
ms_now() { echo $(($(date +%s%N) / 1000000)); }
e2e_wait_for lit || bad "the kiosk shows its home screen"

# hours that close the kiosk now: the screen goes dark once the new config applies
{
    echo "facility_name = 武蔵野プレイス"
    for d in sun mon tue wed thu fri sat; do echo "hours.$d = 20:00-21:00"; done
} >"$tmp/kiosk.conf"
touch "$tmp/slow"
hup_at=$(ms_now)
kill -HUP "$KIOSK_PID"
sleep 0.5
kill -HUP "$KIOSK_PID"
# screen.txt keeps answering, on the old config, while the read takes SLOW_S seconds
worst=0
fine=1
for _ in 1 2 3 4 5; do
    t0=$(ms_now)
    lit || fine=0
    t=$(($(ms_now) - t0))
    [ "$t" -gt "$worst" ] && worst=$t
    sleep 0.5
done
if [ "$fine" = 1 ] && [ "$worst" -lt 4000 ] && ! logged "SIGHUP: config reloaded"; then
    ok "the_kiosk_keeps_drawing_on_the_old_config_while_a_slow_read (worst $worst ms)"
else
    bad "the_kiosk_keeps_drawing_on_the_old_config_while_a_slow_read (worst $worst ms)"
fi
if logged "is still being read since the last SIGHUP"; then ok a_second_sighup_meanwhile_is_noted
else bad a_second_sighup_meanwhile_is_noted; fi
if e2e_wait_for logged "is still being read after"; then ok the_slow_read_is_logged
else bad the_slow_read_is_logged; fi
rm "$tmp/slow"
if E2E_PATIENCE=$((SLOW_S + 20)) e2e_wait_for logged "SIGHUP: config reloaded" &&
    e2e_wait_for e2e_dark; then
    ok "the_new_config_applies_when_read (after $(($(ms_now) - hup_at)) ms)"
else
    bad the_new_config_applies_when_read
fi
reloads_are() { [ "$(grep -c "SIGHUP: config reloaded" "$tmp/log")" -ge "$1" ]; }
if e2e_wait_for reloads_are 2; then
    ok the_second_sighup_is_read_after_the_first
else
    bad the_second_sighup_is_read_after_the_first
fi

# SIGTERM while a read hangs: the kiosk does not wait for it
touch "$tmp/slow"
kill -HUP "$KIOSK_PID"
sleep 0.5
t0=$(ms_now)
e2e_stop
t=$(($(ms_now) - t0))
if [ "$E2E_EXIT" = 0 ] && [ "$t" -lt $((SLOW_S * 1000 - 2000)) ]; then
    ok "sigterm_during_a_slow_read_exits_0_at_once (in $t ms)"
else
    bad "sigterm_during_a_slow_read_exits_0_at_once (status $E2E_EXIT in $t ms)"
fi
e2e_finish
