#!/usr/bin/env bash
# The soak test, CI's short version: a simulated week at 10000x (about a minute of idle time
# plus the visitor sessions, 2-3 minutes in all) through scripts/soak.sh. The kiosk judges
# itself (src/sim/soak.c): resident memory after the first simulated day may grow at most
# 10 % by the end here, 5 % in the long run (not judged under AddressSanitizer), open
# descriptors not at all, and every staff request and feed write must succeed. This script also checks that the soak really
# exercised the kiosk: visitors, feed versions, staff requests and one line per hour.
# The week-long-equivalent run: scripts/soak.sh --days 7 --minutes 30 (docs/reliability.md).
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
# At 10000x the first simulated day lasts nine real seconds and the allocator has not settled:
# the old code and the new both measured +4.7 to +5.1 % here. A leak over a week of feed
# versions, sessions and staff requests grows far more than 10 %; the long run keeps 5 %.
KIOSK_SOAK_MAX_GROWTH=10 bash "$KIOSK_SOURCE_DIR/scripts/soak.sh" --build "$KIOSK_BUILD_DIR" --days 7 --rate 10000 \
    --dir "$work/run" --log "$work/soak.out" || status=$?
out=$work/soak.out
fail() { echo "FAIL: $*"; exit 1; }
[ -s "$out" ] || fail "no figures"
[ "$status" -eq 0 ] || fail "the soak failed (exit $status)"
grep -qx "soak: PASS" "$out" || fail "no PASS verdict"
hours=$(grep -c "^soak: day " "$out")
[ "$hours" -ge 168 ] || fail "only $hours hourly lines, want 168"
# "soak: visitors: 118 sessions, 579 taps, 155 drags; ..." -> "118 579 155"
sessions=$(awk '$2 == "visitors:" { print $3, $5, $7 }' "$out")
read -r s t d <<<"$sessions"
if [ "${s:-0}" -lt 50 ] || [ "${t:-0}" -lt 100 ] || [ "${d:-0}" -lt 20 ]; then
    fail "too few visitors: '$sessions'"
fi
feeds=$(sed -n 's/^soak: feed versions written \([0-9]*\).*/\1/p' "$out")
[ "${feeds:-0}" -ge 5 ] || fail "the feed changed only ${feeds:-0} times"
staff=$(sed -n 's/.*staff requests ok \([0-9]*\).*/\1/p' "$out")
[ "${staff:-0}" -ge 20 ] || fail "only ${staff:-0} staff requests"
# every screen a visitor can reach was reached
grep -q "list [1-9].*detail [1-9].*announcements [1-9]" "$out" || fail "a screen was never reached"
grep "^soak: \(caches\|rss\|open\)" "$out"
echo "1 passed, 0 failed"
