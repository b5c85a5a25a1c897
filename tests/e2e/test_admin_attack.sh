#!/bin/bash
# test_admin_attack: the real kiosk's admin API under attack, on loopback only.
#
# Starts the kiosk headless (offscreen SDL) with its admin API on a port the kernel picks,
# and runs tests/e2e/attack/admin_attack.py against it: thousands of requests without or with
# wrong tokens, oversized and never-finished bodies, slowloris and never-ending dribblers,
# header floods, path traversal in ids and JSON bombs, a hostile page on the staff PC
# (preflights, cross-site requests, DNS rebinding), fifty parallel screenshots while /status
# is timed, and a burst of audited staff actions, each from its own 127.0.0.x source
# address so the per-address limits can be watched doing their work while a good client
# from 127.0.0.2 keeps being served. Around it this script checks what only the outside
# can see: no file appeared anywhere in the test's directory tree but the state dir's own,
# the kiosk stops cleanly on SIGTERM (exit 0), and its log holds no sanitizer report.
#
# About 70 s: the 15 s idle timeout, the header deadline and the 60 s login block are
# waited out in parallel. The kiosk starts as in every e2e script (tests/lib/kiosk_e2e.sh).
set -u

B=${KIOSK_BUILD_DIR:?KIOSK_BUILD_DIR not set}
S=${KIOSK_SOURCE_DIR:?KIOSK_SOURCE_DIR not set}
KIOSK=$B/kiosk
SHIFT=$B/kiosk-feedshift
HELPER=$S/tests/e2e/attack/admin_attack.py
# Debian's python3: the helper needs nothing beyond the standard library.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# shellcheck source=../lib/kiosk_e2e.sh
. "$S/tests/lib/kiosk_e2e.sh"
finish() {
    e2e_finish
    exit $?
}

if [ ! -x "$SHIFT" ]; then
    echo "kiosk-feedshift is not built in $B"
    bad feedshift_is_built
    finish
fi

tmp=$(mktemp -d)
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [ -n "$KIOSK_PID" ]; then
        kill -KILL "$KIOSK_PID" 2>/dev/null
        wait "$KIOSK_PID" 2>/dev/null
    fi
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# The state dir sits two levels down, so an id like ../../x that reached the file system
# would land inside $tmp, where the listing below would show it.
state=$tmp/a/b/state
mkdir -p "$state" "$tmp/run"
e2e_token
"$SHIFT" "$S/assets/sample-feed.json" "$tmp/run/feed.json" >/dev/null 2>&1
log=$tmp/run/kiosk.log

listing() {
    (cd "$tmp" && find . -path ./run -prune -o -print | sort)
}

# A sanitizer build: ASan's quarantine keeps freed memory for a while (256 MB by default), so
# RSS there says little; a small quarantine and a looser bound keep the figure meaningful.
# Leaks are reported at exit but do not change the exit code (LSAN_OPTIONS): the leak check
# below reads the report and tells the kiosk's own leaks from the libraries'.
rss_limit_mb=30
if ldd "$KIOSK" 2>/dev/null | grep -q libasan; then
    rss_limit_mb=100
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=16
    export LSAN_OPTIONS=${LSAN_OPTIONS:-exitcode=0}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
fi
if ! e2e_start "$log" --windowed 1280x720 --feed "file://$tmp/run/feed.json" \
    --state-dir "$state"; then
    bad kiosk_starts_its_admin_api
    finish
fi
ok kiosk_starts_its_admin_api
before=$(listing)

start=$(date +%s)
"$PY" "$HELPER" --port "$KIOSK_PORT" --token-file "$tmp/token" --pid "$KIOSK_PID" \
    --state-dir "$state" --log "$log" --rss-limit-mb "$rss_limit_mb" >"$tmp/run/helper.out" 2>&1
helper_rc=$?
cat "$tmp/run/helper.out"
e2e_passed=$((e2e_passed + $(grep -c '^ok ' "$tmp/run/helper.out")))
e2e_failed=$((e2e_failed + $(grep -c '^FAIL ' "$tmp/run/helper.out")))
if [ $helper_rc -ne 0 ] && ! grep -q '^FAIL ' "$tmp/run/helper.out"; then
    bad "the_helper_ran_to_the_end (exit $helper_rc)"
fi
echo "figure: attacks took $(($(date +%s) - start)) s"

after=$(listing)
# The kiosk's own state files may appear (the store and its .prev, the feed cache written
# after the first sync); an id that reached the file system would be none of these.
new=$(comm -13 <(echo "$before") <(echo "$after") |
    grep -v -E '^\./a/b/state/[a-z-]+\.(json|meta)(\.prev)?$' || true)
if [ -z "$new" ]; then
    ok nothing_new_appeared_outside_the_store
else
    echo "  new files: $new"
    bad nothing_new_appeared_outside_the_store
fi

e2e_stop 15
rc=$E2E_EXIT
if [ $rc -eq 0 ]; then ok stops_cleanly_on_sigterm; else bad "stops_cleanly_on_sigterm (exit $rc)"; fi

if grep -q -E 'ERROR: AddressSanitizer|runtime error:' "$log"; then
    grep -E -A 20 'ERROR: AddressSanitizer|runtime error:' "$log" | head -n 60
    bad no_sanitizer_report
else
    ok no_sanitizer_report
fi
# A leak report block (from "Direct/Indirect leak" to the blank line) is the kiosk's when a
# frame is in its sources; ones wholly inside libraries (ICU and LLVM under the offscreen
# driver, the same with no request at all) are only counted.
ours=$(awk -v src="$S/src/" '/^(Direct|Indirect) leak/ { blk = $0; inb = 1; next }
    inb && /^$/ { if (index(blk, src)) print blk; inb = 0; next }
    inb { blk = blk "\n" $0 }
    END { if (inb && index(blk, src)) print blk }' "$log")
if [ -n "$ours" ]; then
    printf '%b\n' "$ours" | head -n 60
    bad no_leak_in_the_kiosks_code
else
    ok no_leak_in_the_kiosks_code
fi
if grep -q 'SUMMARY: AddressSanitizer: .* leaked' "$log"; then
    echo "figure: libraries' leaks at exit: $(sed -n 's/.*SUMMARY: AddressSanitizer: //p' "$log")"
fi
echo "figure: kiosk log $(wc -l <"$log") lines, $(grep -c 'refused .*: \(no\|wrong\) token' \
    "$log") 401 lines, $(grep -c 'wrong tokens from' "$log") block lines"
finish
