#!/usr/bin/env bash
# cross-arm64.sh: builds the kiosk for arm64 (64-bit Raspberry Pi OS, Debian bookworm arm64)
# on an amd64 machine, runs the plain-C unit tests under qemu-user, and packages the .deb.
#
#   scripts/cross-arm64.sh [--no-tests] [--no-deb]
#
# The arm64 libraries come from a sysroot that mmdebstrap extracts from the same Debian
# mirror apt already uses (no chroot, no maintainer scripts, no binfmt): the host's own
# packages are never touched, which `dpkg --add-architecture arm64` with :arm64 -dev
# packages would do. It is made once and reused (delete it to refresh it).
# Output: $KIOSK_CROSS_DIR (default build-arm64/): sysroot/, build/ (kiosk, kioskctl, the
# tests) and kiosk_<version>_arm64.deb. ctest in build/ runs tests through qemu-aarch64.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${KIOSK_CROSS_DIR:-$here/build-arm64}
sysroot=$out/sysroot
build=$out/build
run_tests=1 make_deb=1
for arg in "$@"; do
    case $arg in
        --no-tests) run_tests=0 ;;
        --no-deb) make_deb=0 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "cross-arm64: unknown option $arg" >&2; exit 2 ;;
    esac
done

# shellcheck source=deps.sh
. "$here/scripts/deps.sh"
kiosk_ensure_packages cmake pkg-config gcc-aarch64-linux-gnu qemu-user mmdebstrap \
    debian-archive-keyring

# Plain-C tests: the model, config and util layers, and the OS integration (src/sys).
test_regex='^test_(feed|config|util|announce|model|sys_)'
arm64_dev_packages=(
    libc6-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfreetype-dev
    libcurl4-openssl-dev libcjson-dev libicu-dev libqrencode-dev
    libmicrohttpd-dev libsodium-dev libsystemd-dev
)

start=$(date +%s)
stamp() { echo "cross-arm64: $1 ($(( $(date +%s) - start )) s)"; }

if [ ! -e "$sysroot/.kiosk-sysroot-complete" ]; then
    stamp "making the arm64 sysroot in $sysroot"
    rm -rf "$sysroot"
    mkdir -p "$out"
    # the host's apt sources, so the sysroot comes from the mirror this machine may use
    mirrors=()
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
             /etc/apt/sources.list.d/*.sources; do
        [ -s "$f" ] && mirrors+=("$f")
    done
    suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    include=$(IFS=,; echo "${arm64_dev_packages[*]}")
    mmdebstrap --quiet --variant=extract --architectures=arm64 --skip=check/empty \
        --include="$include" "$suite" "$sysroot" "${mirrors[@]}"
    touch "$sysroot/.kiosk-sysroot-complete"
fi

stamp "configuring $build"
cmake -S "$here" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/aarch64-linux-gnu.cmake" \
    -DKIOSK_SYSROOT="$sysroot" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null

targets=(kiosk kiosk-feedshift)
compgen -G "$here/src/kioskctl/*.c" >/dev/null && targets+=(kioskctl)
if [ "$run_tests" = 1 ]; then
    for t in "$here"/tests/*/test_*.c; do
        name=$(basename "$t" .c)
        [[ $name =~ $test_regex ]] && targets+=("$name")
    done
fi
stamp "building ${#targets[@]} targets"
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}"
qemu-aarch64 -L "$sysroot" "$build/kiosk" --version

status=0
if [ "$run_tests" = 1 ]; then
    stamp "running the plain-C tests under qemu-aarch64"
    (cd "$build" && ctest -R "$test_regex" -E '\.sh$' --output-on-failure) || status=1
fi
if [ "$make_deb" = 1 ]; then
    stamp "packaging"
    (cd "$build" && cpack -G DEB -B "$out" >/dev/null)
    ls "$out"/kiosk_*_arm64.deb
fi
stamp "done"
exit $status
