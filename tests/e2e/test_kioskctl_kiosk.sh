#!/bin/bash
# test_kioskctl_kiosk: end to end - the real kiosk binary (headless, offscreen SDL) with its
# admin API on a loopback port the kernel picks, driven by the real kioskctl: announce, list,
# status, a restart that keeps the announcement, clear, and a wrong token.
#
# The kiosk is asked for port 0 and the test reads the chosen port from the kiosk's own log
# line "admin API listening on ... port N", so nothing races for a fixed port. It skips only
# when the kiosk binary does not offer --admin-listen at all.
set -u

B=${KIOSK_BUILD_DIR:?KIOSK_BUILD_DIR not set}
S=${KIOSK_SOURCE_DIR:?KIOSK_SOURCE_DIR not set}
KIOSK=$B/kiosk
CTL=$B/kioskctl
passed=0
failed=0
kiosk_pid=""

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

if [ ! -x "$CTL" ]; then
    echo "kioskctl is not built in $B"
    bad kioskctl_is_built
    finish
fi
if [ ! -x "$KIOSK" ] || ! "$KIOSK" --help 2>&1 | grep -q -- '--admin-listen'; then
    echo "SKIP: $KIOSK is missing or has no --admin-listen flag yet"
    echo "0 passed, 0 failed"
    exit 0
fi

tmp=$(mktemp -d)
stop_kiosk() {
    if [ -n "$kiosk_pid" ]; then
        kill -TERM "$kiosk_pid" 2>/dev/null
        for _ in $(seq 1 100); do
            kill -0 "$kiosk_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$kiosk_pid" 2>/dev/null
        wait "$kiosk_pid" 2>/dev/null
        kiosk_pid=""
    fi
}
cleanup() {
    stop_kiosk
    [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

printf 'e2e-test-token-0123456789abcdef\n' >"$tmp/token"
chmod 600 "$tmp/token"
printf 'not-the-token-0123456789abcdef\n' >"$tmp/bad-token"
mkdir -p "$tmp/state"
port=""

# Starts the kiosk and sets $port from its log; returns 1 when it died or never listened.
start_kiosk() {
    local log=$tmp/kiosk.$1.log
    SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy "$KIOSK" \
        --feed "file://$S/assets/sample-feed.json" --state-dir "$tmp/state" \
        --windowed 540x960 --admin-listen 127.0.0.1:0 --admin-token-file "$tmp/token" \
        >"$log" 2>&1 &
    kiosk_pid=$!
    port=""
    for _ in $(seq 1 300); do
        port=$(sed -n 's/.*admin API listening on .* port \([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
        [ -n "$port" ] && return 0
        if ! kill -0 "$kiosk_pid" 2>/dev/null; then
            echo "  the kiosk exited; its log:"
            sed 's/^/    /' "$log" | tail -n 30
            kiosk_pid=""
            return 1
        fi
        sleep 0.1
    done
    echo "  the kiosk accepts --admin-listen but never logged 'admin API listening'"
    echo "  (app/ must call admin_create); its log:"
    sed 's/^/    /' "$log" | tail -n 30
    return 1
}

ctl() {
    "$CTL" --url "http://127.0.0.1:$port" --token-file "$tmp/token" "$@" \
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

stop_kiosk
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

if [ -n "$kiosk_pid" ]; then
    "$CTL" --url "http://127.0.0.1:$port" --token-file "$tmp/bad-token" list \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 3 ]; then ok wrong_token_exits_3; else bad "wrong_token_exits_3 (got $rc)"; fi

    if ctl clear e2e-fire && ctl list && ! grep -q e2e-fire "$tmp/out"; then
        ok clear_removes_it
    else
        bad clear_removes_it
    fi
fi
stop_kiosk

"$CTL" --url "http://127.0.0.1:$port" --token-file "$tmp/token" status >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok stopped_kiosk_is_unreachable_exit_2; else
    bad "stopped_kiosk_is_unreachable_exit_2 (got $rc)"
fi

finish
