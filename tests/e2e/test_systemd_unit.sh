#!/usr/bin/env bash
# test_systemd_unit: systemd/kiosk.service verifies cleanly, keeps the settings the kiosk
# relies on, and its exposure (systemd-analyze security, offline) is 2.5 or less.
#
# `systemd-analyze verify` checks that ExecStart exists, and /usr/bin/kiosk is not installed
# on a build machine: the unit is copied with ExecStart pointing at /bin/true, nothing else
# changed. Runs as any user; needs systemd >= 252 (Debian bookworm) for --offline.
set -euo pipefail
src=${KIOSK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
unit=$src/systemd/kiosk.service
max_exposure=2.5
passed=0 failed=0

ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

if ! command -v systemd-analyze >/dev/null; then
    echo "systemd-analyze missing: install the systemd package (scripts/deps.sh)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's|^ExecStart=/usr/bin/kiosk |ExecStart=/bin/true |' "$unit" > "$tmp/kiosk.service"
grep -q '^ExecStart=/bin/true --config /etc/kiosk/kiosk.conf --state-dir /var/lib/kiosk$' \
    "$tmp/kiosk.service" || { echo "ExecStart line not as expected" >&2; exit 1; }

# verify prints nothing for a clean unit; anything naming our unit is a finding
(cd "$tmp" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no ./kiosk.service) \
    > "$tmp/verify.out" 2>&1 || true
sed 's/^/  verify: /' "$tmp/verify.out"
check verify_reports_nothing_about_the_unit \
    bash -c "! grep -q 'kiosk' '$tmp/verify.out'"

check is_type_notify_with_a_watchdog bash -c \
    "grep -qx 'Type=notify' '$unit' && grep -qx 'WatchdogSec=30' '$unit' &&
     grep -qx 'NotifyAccess=main' '$unit'"
check restarts_always_after_two_seconds bash -c \
    "grep -qx 'Restart=always' '$unit' && grep -qx 'RestartSec=2' '$unit'"
check does_not_wait_for_the_network_or_the_clock bash -c \
    "! grep -Eq '^(After|Wants|Requires)=.*(network-online|time-sync|time-set)' '$unit'"
check runs_on_tty1_with_kmsdrm_and_no_x bash -c \
    "grep -qx 'TTYPath=/dev/tty1' '$unit' && grep -qx 'Conflicts=getty@tty1.service' '$unit' &&
     grep -qx 'Environment=SDL_VIDEODRIVER=kmsdrm' '$unit' && ! grep -qi 'DISPLAY=' '$unit'"
check allows_only_drm_input_and_tty1 bash -c \
    "grep -qx 'DevicePolicy=closed' '$unit' &&
     [ \"\$(grep -c '^DeviceAllow=' '$unit')\" = 3 ] &&
     grep -qx 'DeviceAllow=char-drm rw' '$unit' && grep -qx 'DeviceAllow=char-input r' '$unit'"
check has_no_capabilities bash -c \
    "grep -qx 'CapabilityBoundingSet=' '$unit' && grep -qx 'AmbientCapabilities=' '$unit' &&
     grep -qx 'NoNewPrivileges=yes' '$unit'"
check starts_the_installed_binary_on_the_installed_config bash -c \
    "grep -qx 'ExecStart=/usr/bin/kiosk --config /etc/kiosk/kiosk.conf --state-dir /var/lib/kiosk' '$unit'"

(cd "$tmp" && systemd-analyze security --offline=true --no-pager ./kiosk.service) \
    > "$tmp/security.out" 2>&1 || true
line=$(grep -a 'Overall exposure level' "$tmp/security.out" || true)
echo "  security: ${line:-<no overall line>}"
exposure=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9][0-9]*\.[0-9]\).*/\1/p')
if [ -n "$exposure" ] && awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }'
then
    ok "exposure_is_at_most_${max_exposure}_(${exposure})"
else
    sed 's/^/  /' "$tmp/security.out" | grep -a '✗' || true
    fail "exposure_is_at_most_${max_exposure}_(${exposure:-unknown})"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
