#!/usr/bin/env bash
# Builds the kiosk and runs every test: first a normal build, then the same suite built with
# AddressSanitizer and UndefinedBehaviorSanitizer. Ends with ctest's summary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=deps.sh
. "$here/scripts/deps.sh"
kiosk_ensure_packages "${KIOSK_BUILD_PACKAGES[@]}" "${KIOSK_TEST_PACKAGES[@]}"

jobs=$(nproc 2>/dev/null || echo 2)
status=0

build_and_test() {
    local dir=$1; shift
    cmake -S "$here" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    (cd "$dir" && ctest --output-on-failure -j "$jobs") || status=1
}

echo "== build and test (plain)"
build_and_test "$here/build"
if [ "${KIOSK_SKIP_FUZZ:-0}" != 1 ]; then
    # Each libFuzzer harness for a short, fixed time from its seed corpus (scripts/fuzz.sh
    # runs them longer). Only the harnesses are built with clang's fuzzer instrumentation.
    echo "== fuzz (clang, ASan + UBSan, ${KIOSK_FUZZ_SECONDS:-15} s a harness)"
    CC=clang cmake -S "$here" -B "$here/build-fuzz" -DKIOSK_FUZZ=ON \
        -DKIOSK_FUZZ_SECONDS="${KIOSK_FUZZ_SECONDS:-15}" >/dev/null
    # Everything, not just the harnesses: this is also the proof that the whole tree builds
    # warning-free with clang (-Werror), as the plain stage proves it for gcc.
    cmake --build "$here/build-fuzz" -j "$jobs"
    (cd "$here/build-fuzz" && ctest -L fuzz --output-on-failure -j "$jobs") || status=1
fi
if [ "${KIOSK_SKIP_SANITIZERS:-0}" != 1 ]; then
    echo "== build and test (ASan + UBSan)"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        build_and_test "$here/build-asan" -DKIOSK_SANITIZE=ON
fi
exit $status
