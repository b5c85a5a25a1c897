#!/bin/bash
# test_kioskctl_kiosk: end to end - the real kiosk binary (headless, offscreen SDL) with its
# admin API on a loopback port the kernel picks, driven by the real kioskctl: announce, list,
# status, a restart that keeps the announcement, clear, and a wrong token.
#
# The kiosk starts as every end-to-end script starts it (tests/lib/kiosk_e2e.sh): port 0, the
# chosen port read from its own log line, so nothing races for a fixed port.
set -u

B=${KIOSK_BUILD_DIR:?KIOSK_BUILD_DIR not set}
S=${KIOSK_SOURCE_DIR:?KIOSK_SOURCE_DIR not set}
# shellcheck source=../lib/kiosk_e2e.sh
. "$S/tests/lib/kiosk_e2e.sh"
CTL=$B/kioskctl
finish() {
    e2e_finish
    exit $?
}

if [ ! -x "$CTL" ]; then
    echo "kioskctl is not built in $B"
    bad kioskctl_is_built
    finish
fi

tmp=$(mktemp -d)
trap 'e2e_stop; [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"' EXIT
e2e_token
printf 'not-the-token-0123456789abcdef\n' >"$tmp/bad-token"
mkdir -p "$tmp/state"

# start_kiosk N: the kiosk on the sample feed, its log in kiosk.N.log (tests/lib/kiosk_e2e.sh)
start_kiosk() {
    e2e_start "$tmp/kiosk.$1.log" --feed "file://$S/assets/sample-feed.json" \
        --state-dir "$tmp/state" --windowed 540x960
}

ctl() {
    "$CTL" --url "http://127.0.0.1:$KIOSK_PORT" --token-file "$tmp/token" "$@" \
        >"$tmp/out" 2>"$tmp/err"
}

if ! start_kiosk 1; then
    bad kiosk_starts_its_admin_api
    finish
fi
ok kiosk_starts_its_admin_api

if ctl announce --level emergency --until-cleared --id e2e-fire "火災が発生しました" &&
    grep -q e2e-fire "$tmp/out"; then
    ok announce_creates
else
    cat "$tmp/err"
    bad announce_creates
fi

if ctl list && grep -q e2e-fire "$tmp/out"; then
    ok list_shows_it
else
    cat "$tmp/out" "$tmp/err"
    bad list_shows_it
fi

if ctl status && grep -q '^version' "$tmp/out"; then
    ok status_answers
else
    cat "$tmp/err"
    bad status_answers
fi

e2e_stop
if [ -s "$tmp/state/direct-announcements.json" ] &&
    grep -q e2e-fire "$tmp/state/direct-announcements.json"; then
    ok the_store_is_on_disk
else
    bad the_store_is_on_disk
fi

if start_kiosk 2 && ctl list && grep -q e2e-fire "$tmp/out"; then
    ok it_survives_a_restart
else
    bad it_survives_a_restart
fi

if [ -n "$KIOSK_PID" ]; then
    "$CTL" --url "http://127.0.0.1:$KIOSK_PORT" --token-file "$tmp/bad-token" list \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 3 ]; then ok wrong_token_exits_3; else bad "wrong_token_exits_3 (got $rc)"; fi

    if ctl clear e2e-fire && ctl list && ! grep -q e2e-fire "$tmp/out"; then
        ok clear_removes_it
    else
        bad clear_removes_it
    fi
fi
e2e_stop

"$CTL" --url "http://127.0.0.1:$KIOSK_PORT" --token-file "$tmp/token" status >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok stopped_kiosk_is_unreachable_exit_2; else
    bad "stopped_kiosk_is_unreachable_exit_2 (got $rc)"
fi

finish
