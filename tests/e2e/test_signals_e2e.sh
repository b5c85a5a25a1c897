#!/usr/bin/env bash
# Signals, end to end: SIGHUP with a bad config keeps the old one and names what is wrong,
# SIGHUP with a good one applies it (here: hours that close the kiosk now), and SIGTERM
# finishes the frame and exits 0 promptly.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap 'e2e_stop; rm -rf "$tmp"' EXIT
e2e_token
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
echo "facility_name = 武蔵野プレイス" >"$tmp/kiosk.conf"
mkdir -p "$tmp/state"
e2e_start "$tmp/log" --config "$tmp/kiosk.conf" --windowed 960x540 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state" \
    --now 2026-11-26T12:00:00+09:00 || exit 1
logged() { grep -q -- "$1" "$tmp/log"; }
lit() { e2e_shows "武蔵野プレイス"; }

e2e_wait_for lit || bad "the kiosk shows its home screen"

echo "poll_intervall = 5" >>"$tmp/kiosk.conf"
kill -HUP "$KIOSK_PID"
if e2e_wait_for logged "keeping the old config.*poll_intervall"; then
    ok a_bad_config_on_sighup_is_named_and_the_old_one_kept
else
    bad a_bad_config_on_sighup_is_named_and_the_old_one_kept
fi
if kill -0 "$KIOSK_PID" 2>/dev/null && lit; then ok the_kiosk_keeps_running_on_the_old_config
else bad the_kiosk_keeps_running_on_the_old_config; fi

{
    echo "facility_name = 武蔵野プレイス"
    for d in sun mon tue wed thu fri sat; do echo "hours.$d = 20:00-21:00"; done
} >"$tmp/kiosk.conf"
kill -HUP "$KIOSK_PID"
if e2e_wait_for logged "SIGHUP: config reloaded" && e2e_wait_for e2e_dark; then
    ok a_good_config_on_sighup_applies_new_hours
else
    bad a_good_config_on_sighup_applies_new_hours
fi

start=$(date +%s%N)
e2e_stop
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$E2E_EXIT" = 0 ]; then ok "sigterm_exits_0 (in $ms ms)"
else bad "sigterm_exits_0 (status $E2E_EXIT)"; fi
if logged "signal 15: finishing the frame and stopping"; then ok sigterm_is_logged
else bad sigterm_is_logged; fi
e2e_finish
