#!/usr/bin/env bash
# Signals, end to end: SIGHUP with a bad config keeps the old one and names what is wrong,
# SIGHUP with a good one applies it (here: hours that close the kiosk now), and SIGTERM
# finishes the frame and exits 0 promptly.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
printf 'signals-e2e-token-0123456789abcdef\n' >"$tmp/token"
chmod 600 "$tmp/token"
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
echo "facility_name = 武蔵野プレイス" >"$tmp/kiosk.conf"
mkdir -p "$tmp/state"
SDL_VIDEODRIVER=offscreen "$B/kiosk" --config "$tmp/kiosk.conf" --windowed 960x540 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state" --now 2026-11-26T12:00:00+09:00 \
    --admin-listen 127.0.0.1:0 --admin-token-file "$tmp/token" >"$tmp/log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 200); do
    port=$(sed -n 's/.*admin API listening on .* port \([0-9]*\).*/\1/p' "$tmp/log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "kiosk did not start"; tail "$tmp/log"; exit 1; }
screen() {
    curl -s --max-time 10 -H "Authorization: Bearer $(cat "$tmp/token")" \
        "http://127.0.0.1:$port/api/v1/screen.txt"
}
wait_for() {
    for _ in $(seq 1 75); do "$@" && return 0; sleep 0.2; done
    return 1
}
logged() { grep -q -- "$1" "$tmp/log"; }
lit() { screen | grep -q "武蔵野プレイス"; }
dark() { [ -z "$(screen)" ]; }

wait_for lit || bad "the kiosk shows its home screen"

echo "poll_intervall = 5" >>"$tmp/kiosk.conf"
kill -HUP "$pid"
if wait_for logged "keeping the old config.*poll_intervall"; then
    ok a_bad_config_on_sighup_is_named_and_the_old_one_kept
else
    bad a_bad_config_on_sighup_is_named_and_the_old_one_kept
fi
if kill -0 "$pid" 2>/dev/null && lit; then ok the_kiosk_keeps_running_on_the_old_config
else bad the_kiosk_keeps_running_on_the_old_config; fi

{
    echo "facility_name = 武蔵野プレイス"
    for d in sun mon tue wed thu fri sat; do echo "hours.$d = 20:00-21:00"; done
} >"$tmp/kiosk.conf"
kill -HUP "$pid"
if wait_for logged "SIGHUP: config reloaded" && wait_for dark; then
    ok a_good_config_on_sighup_applies_new_hours
else
    bad a_good_config_on_sighup_applies_new_hours
fi

start=$(date +%s%N)
kill -TERM "$pid"
rc=""
for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; rc=$?; break; fi
    sleep 0.1
done
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$rc" = 0 ]; then ok "sigterm_exits_0 (in $ms ms)"; else bad "sigterm_exits_0 (rc=$rc)"; fi
pid=""
if grep -q "signal 15: finishing the frame and stopping" "$tmp/log"; then ok sigterm_is_logged
else bad sigterm_is_logged; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
