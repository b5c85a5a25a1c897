#!/usr/bin/env bash
# test_deb: builds the .deb with CPack and checks what an operator gets: the files in their
# Debian places, the conffile, the maintainer scripts, Depends naming every library the
# binaries link (by bookworm package name), and a kiosk that runs `--version` from a
# throwaway root made with dpkg -x. The firmware ships no test bench: no kiosk-sim, and a
# kiosk that neither offers nor contains --soak and --replay; kioskctl links neither the
# HTTP server, SDL nor systemd.
#
# Uses $KIOSK_BUILD_DIR when it was configured with the /usr prefix (the default); a build
# configured with another prefix gets a packaging build beside it in $KIOSK_BUILD_DIR/deb
# (built once, incremental after). The package itself is written to a temp dir.
set -euo pipefail
src=${KIOSK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${KIOSK_BUILD_DIR:?run from ctest, or set KIOSK_BUILD_DIR}
passed=0 failed=0

ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

for tool in cpack dpkg-deb dpkg readelf strings ldd; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; echo "0 passed, 1 failed"; exit 1; }
done

prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
if [ "$prefix" != /usr ]; then
    echo "  $build has prefix '$prefix': packaging from $build/deb"
    cmake -S "$src" -B "$build/deb" -DCMAKE_INSTALL_PREFIX=/usr \
        -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
    build=$build/deb
fi
targets=(kiosk kiosk-feedshift kiosk-feed)
compgen -G "$src/src/kioskctl/*.c" >/dev/null && targets+=(kioskctl)
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# cpack first brings `all` up to date (already built under ctest; nothing in the packaging
# build, configured with CMAKE_SKIP_INSTALL_ALL_DEPENDENCY)
(cd "$build" && cpack -G DEB -B "$tmp/out" --config "$build/CPackConfig.cmake") \
    > "$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; echo "0 passed, 1 failed"; exit 1; }
deb=$(ls "$tmp"/out/kiosk_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { cat "$tmp/cpack.log"; echo "0 passed, 1 failed"; exit 1; }
echo "  built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' > "$tmp/files"
in_deb() { grep -qx "$1" "$tmp/files"; }
for f in /usr/bin/kiosk /usr/bin/kioskctl /etc/kiosk/kiosk.conf \
         /lib/systemd/system/kiosk.service /usr/lib/sysusers.d/kiosk.conf \
         /usr/share/kiosk/assets/sample-feed.json; do
    check "contains_$f" in_deb "$f"
done
check nothing_lands_in_usr_local bash -c "! grep -q '^/usr/local' '$tmp/files'"
check kiosk_sim_is_not_in_package bash -c "! grep -q 'kiosk-sim' '$tmp/files'"

check control_names_package_kiosk [ "$(dpkg-deb -f "$deb" Package)" = kiosk ]
depends=$(dpkg-deb -f "$deb" Depends)
echo "  Depends: $depends"
for p in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libcurl4 libidn2-0 libcjson1 \
         libicu72 libqrencode4 libmicrohttpd12 libsodium23 libsystemd0 fonts-morisawa-bizud-gothic \
         fonts-noto-cjk; do
    check "depends_on_$p" grep -Eq "(^|, )$p( |,|$)" <<<"$depends"
done

dpkg-deb -e "$deb" "$tmp/control"
check kiosk_conf_is_a_conffile grep -qx /etc/kiosk/kiosk.conf "$tmp/control/conffiles"
check maintainer_scripts_are_executable \
    test -x "$tmp/control/postinst" -a -x "$tmp/control/prerm" -a -x "$tmp/control/postrm"
check maintainer_scripts_parse sh -n "$tmp/control/postinst" "$tmp/control/prerm" \
    "$tmp/control/postrm"

dpkg -x "$deb" "$tmp/root"
# every library the binaries link must come from a package the .deb depends on
missing=()
for bin in "$tmp/root/usr/bin/kiosk" "$tmp/root/usr/bin/kioskctl" "$tmp/root/usr/bin/kiosk-feed"; do
    [ -e "$bin" ] || continue
    while read -r lib; do
        # sanitizer builds; libgcc_s (clang's) comes with libc6, which depends on it
        case $lib in lib*san.so*|libasan*|libubsan*|libgcc_s.so*) continue ;; esac
        path=$(ldconfig -p | awk -v l="$lib" '$1 == l && !f { print $NF; f = 1 }')  # no early exit: SIGPIPE + pipefail
        [ -n "$path" ] || { missing+=("$lib(unresolved)"); continue; }
        # dpkg knows a file by the path its package ships, /lib or /usr/lib (usrmerge)
        pkg=
        for candidate in "$path" "$(readlink -f "$path")"; do
            pkg=$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1) || pkg=
            [ -n "$pkg" ] && break
        done
        [ -n "$pkg" ] || { missing+=("$lib(no package)"); continue; }
        grep -Eq "(^|, )$pkg( |,|$)" <<<"$depends" || missing+=("$lib($pkg)")
    done < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
[ ${#missing[@]} -eq 0 ] || echo "  libraries from packages not in Depends: ${missing[*]}"
check depends_covers_every_linked_library [ ${#missing[@]} -eq 0 ]

version_out=$("$tmp/root/usr/bin/kiosk" --version 2>&1) && rc=0 || rc=$?
echo "  kiosk --version: $version_out (exit $rc)"
check unpacked_kiosk_runs_version [ "$rc" -eq 0 ]
help_out=$("$tmp/root/usr/bin/kiosk" --help 2>&1) || true
check kiosk_help_lists_no_soak_or_replay \
    bash -c '! grep -Eq -- "--(soak|replay)" <<<"$1"' _ "$help_out"
check kiosk_rejects_soak bash -c '! "$1" --soak 600 >/dev/null 2>&1' _ "$tmp/root/usr/bin/kiosk"
# the drivers' code and texts (src/sim/) are not in the firmware at all
check kiosk_binary_has_no_soak_or_replay_code \
    bash -c '! strings "$1" | grep -Eiq "soak|replay"' _ "$tmp/root/usr/bin/kiosk"
if [ -x "$tmp/root/usr/bin/kioskctl" ]; then
    "$tmp/root/usr/bin/kioskctl" --help >/dev/null 2>&1 && rc=0 || rc=$?
    echo "  kioskctl --help: exit $rc"
    check unpacked_kioskctl_runs_help [ "$rc" -eq 0 ]
    # kioskctl links only the model, curl and libsodium (CMakeLists.txt)
    ldd "$tmp/root/usr/bin/kioskctl" >"$tmp/kioskctl.ldd" 2>&1 || true
    check kioskctl_links_no_http_server_sdl_or_systemd \
        bash -c '! grep -Eq "libmicrohttpd|libSDL2|libsystemd" "$1"' _ "$tmp/kioskctl.ldd"
fi
check unit_in_package_is_the_tree_unit \
    cmp -s "$tmp/root/lib/systemd/system/kiosk.service" "$src/systemd/kiosk.service"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
