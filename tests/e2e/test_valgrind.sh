#!/usr/bin/env bash
# valgrind memcheck over the real kiosk, headless, in two runs:
#   1. `kiosk --screenshot`: every screen and state (home, lists, filters, pages, details with
#      QR codes, announcements of every level, emergency, offline, stale, no cache, closed,
#      attract) in landscape and portrait, each saved as PNG and text listing;
#   2. `kiosk-sim --soak`: twelve simulated hours through the real event loop, with the sync
#      worker fetching a feed that changes, the admin API serving a staff thread (posting
#      and deleting announcements, status, screen.txt, screenshots) and visitors tapping.
# Both must end with no memcheck error and nothing definitely lost (--error-exitcode).
# tests/e2e/valgrind.supp may only hold frames of system libraries, never the kiosk's own code.
# A small window keeps it to a few minutes: the code paths are the same at every size, and
# PNG encoding of 1080p frames would dominate under valgrind. SDL_FRAMEBUFFER_ACCELERATION=0
# (set by ctest) keeps Mesa's EGL and its leaks out of the offscreen driver.
set -u
kiosk="$KIOSK_BUILD_DIR/kiosk"
sim="$KIOSK_BUILD_DIR/kiosk-sim"
supp="$KIOSK_SOURCE_DIR/tests/e2e/valgrind.supp"
feed="$KIOSK_SOURCE_DIR/assets/sample-feed.json"
[ -x "$kiosk" ] && [ -x "$sim" ] || { echo "missing $kiosk or $sim"; exit 1; }
if ! command -v valgrind >/dev/null; then
    echo "SKIP: valgrind is not installed (scripts/deps.sh KIOSK_TEST_PACKAGES has it)"
    exit 0
fi
if nm -D "$kiosk" 2>/dev/null | grep -q __asan_init ||
    nm "$kiosk" 2>/dev/null | grep -q __asan_init; then
    echo "SKIP: an AddressSanitizer build cannot run under valgrind"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
now=2026-11-26T09:00:00+09:00
vg=(valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --error-exitcode=99 --num-callers=40 --track-fds=no
    "--suppressions=$supp")
failed=0

summary() {
    grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost" "$1" |
        sed 's/^==[0-9]*== */  /'
}

# memcheck's error reports (each up to the blank line that ends it)
reports() {
    local start='^==[0-9]*== \(Invalid\|Mismatched\|Source and dest\|Conditional jump'
    start+='\|Use of uninit\|Syscall param\|[0-9,]* bytes in [0-9,]* blocks are definitely\)'
    sed -n "/$start/,/^==[0-9]*== \$/p" "$1" | head -120
}

# 1. every screen
status=0
"${vg[@]}" --log-file="$work/shots.vg" "$kiosk" --screenshot "$work/shots" --windowed 640x360 \
    --feed "file://$feed" --state-dir "$work/s1" --now "$now" >"$work/shots.out" \
    2>"$work/shots.err" || status=$?
n=$(find "$work/shots" -name '*.png' 2>/dev/null | wc -l)
echo "screenshot walk: exit $status, $n screens"
summary "$work/shots.vg"
if [ "$status" -ne 0 ] || [ "$n" -lt 100 ]; then
    echo "FAIL: the screenshot walk under valgrind"
    reports "$work/shots.vg"
    tail -5 "$work/shots.err"
    failed=1
fi

# 2. the real loop, with sync, the admin API and visitors
mkdir -p "$work/s2"
cp "$feed" "$work/feed.json"
(umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$work/token")
{
    cat "$KIOSK_SOURCE_DIR/config/kiosk.conf"
    echo "poll_interval_s = 10"
} >"$work/kiosk.conf"
status=0
"${vg[@]}" --log-file="$work/soak.vg" "$sim" --config "$work/kiosk.conf" \
    --feed "file://$work/feed.json" --state-dir "$work/s2" --windowed 640x360 \
    --admin-listen 127.0.0.1:0 --admin-token-file "$work/token" --now "$now" \
    --soak 43200 --clock-rate 1500 >"$work/soak.out" 2>"$work/soak.err" || status=$?
# The soak's own verdict (memory under valgrind means nothing) is not this test's business:
# 0 or 1 is a run that ended; 99 is memcheck's.
echo "soak walk: exit $status"
grep -E "^soak: (visitors|feed versions)" "$work/soak.out" | sed 's/^/  /'
summary "$work/soak.vg"
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    echo "FAIL: the soak walk under valgrind"
    reports "$work/soak.vg"
    tail -5 "$work/soak.err"
    failed=1
elif ! grep -q "^soak: visitors: [1-9]" "$work/soak.out"; then
    echo "FAIL: the soak walk did not get through"
    tail -5 "$work/soak.err"
    failed=1
fi

if [ "$failed" -ne 0 ]; then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
