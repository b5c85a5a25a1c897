#!/usr/bin/env bash
# test_faults: the end-to-end fault suite. The real kiosk (headless) fetches its feed over
# HTTPS from tests/lib/https/fault_server.py on loopback while the suite injects faults one at a
# time: server down, connection reset, DNS failure, 500, 503 with Retry-After, a captive
# portal page, an empty 200, a truncated, a stalled and an oversized chunked body, expired,
# self-signed and wrong-host certificates, the clock a year ahead and behind, a full disk
# and a read-only state directory, a corrupt cache, a missing font and a bad config. For
# each it checks the screen (/api/v1/screen.txt), the cache files and the recovery; the
# driver is tests/e2e/faults/faults.py and prints "fault NAME: survived" lines and "N passed,
# M failed".
#
# As root (CI) the suite re-runs itself in private network and mount namespaces: only a
# loopback interface exists, so not one packet can leave the machine (a DNS query for the
# failing name dies at once with "network unreachable"), /etc/hosts is a private copy the
# suite edits to make a name resolve or fail, and a small tmpfs plays the full and the
# read-only disk. Without root the DNS and disk faults are skipped. Kiosk stderr is scanned
# for sanitizer reports (build with -DKIOSK_SANITIZE=ON to make that count). FAULTS_NO_NS=1
# runs without the namespaces (as without root), KEEP_TMP=1 keeps the logs.
set -uo pipefail

src=${KIOSK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${KIOSK_BUILD_DIR:-$src/build}
kiosk=$build/kiosk
if [ ! -x "$kiosk" ]; then
    echo "test_faults: $kiosk not built"
    echo "0 passed, 1 failed"
    exit 1
fi
for tool in openssl python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "test_faults: $tool missing (scripts/deps.sh installs it)"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

if [ -z "${FAULTS_IN_NS:-}${FAULTS_NO_NS:-}" ] && [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
    command -v ip >/dev/null && unshare --mount --net true 2>/dev/null; then
    exec unshare --mount --net --fork env FAULTS_IN_NS=1 bash "$0" "$@"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-faults-XXXXXX")
export FAULT_PIDS=$work/pids
: >"$FAULT_PIDS"
cleanup() {
    local pid
    # Only what this run started, by pid (the driver records every child it spawns).
    while read -r pid; do
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    done <"$FAULT_PIDS"
    if [ -n "${FAULTS_IN_NS:-}" ]; then
        umount -l "$work/disk" 2>/dev/null
        umount -l /etc/hosts 2>/dev/null
    fi
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export FAULT_NS=0
if [ -n "${FAULTS_IN_NS:-}" ]; then
    ip link set lo up || { echo "test_faults: cannot bring lo up"; exit 1; }
    cp /etc/hosts "$work/hosts"
    echo "127.0.0.1 kiosk-feed.test" >>"$work/hosts"
    mount --bind "$work/hosts" /etc/hosts || { echo "test_faults: cannot bind /etc/hosts"; exit 1; }
    export FAULT_NS=1 FAULT_HOSTS=$work/hosts
fi

# shellcheck source=tests/lib/https/pki.sh
. "$src/tests/lib/https/pki.sh"
pki=$work/pki
san="IP:127.0.0.1,DNS:localhost,DNS:kiosk-feed.test,DNS:kiosk-dns.test"
if ! { https_pki_init "$pki" &&
    https_pki_leaf "$pki" server "$san" &&
    https_pki_leaf "$pki" wronghost "DNS:wrong.example" &&
    https_pki_selfsigned "$pki" selfsigned "$san" &&
    https_pki_expired "$pki" expired "$san"; }; then
    echo "test_faults: could not make the certificates"
    cat "$pki/openssl.log"
    echo "0 passed, 1 failed"
    exit 1
fi

export FAULT_WORK=$work FAULT_KIOSK=$kiosk FAULT_PKI=$pki FAULT_SRC=$src
python3 "$src/tests/e2e/faults/faults.py"
rc=$?
if [ "$rc" -ne 0 ] && [ -z "${KEEP_TMP:-}" ]; then
    # The last lines of every kiosk log, to see why without re-running.
    for log in "$work"/kiosk-*.log; do
        [ -f "$log" ] || continue
        echo "--- $(basename "$log")"
        tail -n 8 "$log"
    done
fi
exit "$rc"
