#!/usr/bin/env bash
# Runs every libFuzzer harness for longer than CI does: scripts/fuzz.sh [SECONDS-EACH].
# Builds with clang, ASan and UBSan into build-fuzz/; new inputs go to build-fuzz/tests/fuzz;
# a crash leaves its input beside them and stops that harness: make it a regression test by
# copying it into tests/fuzz/corpus/<area>/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/deps.sh"
kiosk_ensure_packages "${KIOSK_BUILD_PACKAGES[@]}"
secs=${1:-600}
CC=clang cmake -S "$here" -B "$here/build-fuzz" -DKIOSK_FUZZ=ON -DKIOSK_FUZZ_SECONDS="$secs" >/dev/null
targets=$(cd "$here/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
# shellcheck disable=SC2086
cmake --build "$here/build-fuzz" -j "$(nproc)" --target $targets
cd "$here/build-fuzz" && ctest -L fuzz --output-on-failure
