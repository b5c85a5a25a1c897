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

# build_and_test DIR [CMAKE-ARGS...] [-- CTEST-ARGS...]: the source is DIR's parent when it
# holds a CMakeLists.txt (a lone clone), else this tree.
build_and_test() {
    local dir=$1; shift
    local src=$here cargs=() targs=()
    [ -f "$dir/../CMakeLists.txt" ] && src=$(cd "$dir/.." && pwd)
    while [ $# -gt 0 ] && [ "$1" != -- ]; do cargs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    targs=("$@")
    cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cargs[@]}" >/dev/null
    cmake --build "$dir" -j "$jobs"
    (cd "$dir" && ctest --output-on-failure -j "$jobs" "${targs[@]}") || status=1
}

echo "== build and test (plain)"
build_and_test "$here/build"
echo "== style (scripts/check-style.sh: .clang-format, braces, pointer tests)"
bash "$here/scripts/check-style.sh" "$here/build" || status=1
if [ "${KIOSK_SKIP_LONE:-0}" != 1 ] && git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
    # What a newcomer's `git clone` gets: the committed tree with no ../shared beside it
    # (test data then comes from registries, as tests/lib/jsonsuite.sh does).
    echo "== a lone clone (no ../shared beside it): build and unit tests"
    lone=$(mktemp -d)
    if git clone -q "$here" "$lone/main"; then
        build_and_test "$lone/main/build" -DKIOSK_TESTDATA="$lone/shared/testdata" -- -L unit
    else
        status=1
    fi
    rm -rf "$lone"
fi
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
    # The screenshot test in its short set (Japanese and English: tests/README.md): the
    # plain pass renders every language, this one looks for memory errors.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        KIOSK_SHOTS_LANGS="${KIOSK_SHOTS_LANGS:-en}" \
        build_and_test "$here/build-asan" -DKIOSK_SANITIZE=ON
fi
exit $status
