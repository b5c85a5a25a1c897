#!/usr/bin/env bash
# test_powercut: kills the real kiosk with SIGKILL at random moments while it writes its
# cache and its direct announcements, 200 times, restarting it each time, and checks that
# every restart finds the old or the new content whole, that every acknowledged
# announcement survived, and that temp files of killed writes do not pile up. The driver is
# tests/e2e/faults/powercut.py (its header says how); it prints figures and "N passed, M
# failed". POWERCUT_CYCLES, POWERCUT_LANES and POWERCUT_SEED change the run.
set -uo pipefail

src=${KIOSK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${KIOSK_BUILD_DIR:-$src/build}
kiosk=$build/kiosk
if [ ! -x "$kiosk" ]; then
    echo "test_powercut: $kiosk not built"
    echo "0 passed, 1 failed"
    exit 1
fi
if ! command -v python3 >/dev/null; then
    echo "test_powercut: python3 missing (scripts/deps.sh installs it)"
    echo "0 passed, 1 failed"
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-powercut-XXXXXX")
export FAULT_PIDS=$work/pids
: >"$FAULT_PIDS"
cleanup() {
    local pid
    # Only what this run started, by pid (the driver records every kiosk it spawns).
    while read -r pid; do
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    done <"$FAULT_PIDS"
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export FAULT_WORK=$work FAULT_KIOSK=$kiosk
python3 "$src/tests/e2e/faults/powercut.py"
