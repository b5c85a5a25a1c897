#!/usr/bin/env bash
# Installs the Debian packages the kiosk needs to build, run and test, when they are missing.
# Sourced or run by run-demo.sh and run-tests.sh; uses sudo when not root.
set -euo pipefail

KIOSK_BUILD_PACKAGES=(
    build-essential cmake pkg-config clang clang-format clang-tidy
    libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfreetype-dev
    libcurl4-openssl-dev libcjson-dev libicu-dev libqrencode-dev
    libmicrohttpd-dev libsodium-dev libsystemd-dev libical-dev libxml2-dev
    fonts-morisawa-bizud-gothic fonts-noto-cjk
)
KIOSK_TEST_PACKAGES=(
    nginx-light openssl curl xvfb xdotool zbar-tools valgrind python3
    systemd binutils iproute2
    prometheus  # promtool: test_monitoring_rules, test_admin_stats (`promtool check metrics`)
    chromium  # test_staff_page.sh; it installs nodejs and npm itself when no node is there
)

kiosk_ensure_packages() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "deps: installing ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    kiosk_ensure_packages "${KIOSK_BUILD_PACKAGES[@]}" "${KIOSK_TEST_PACKAGES[@]}"
fi
