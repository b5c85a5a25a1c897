# Cross-compiling the kiosk for 64-bit Raspberry Pi OS / Debian bookworm arm64 with Debian's
# cross toolchain (gcc-aarch64-linux-gnu) against a sysroot of arm64 -dev packages, as made
# by scripts/cross-arm64.sh. Pass -DKIOSK_SYSROOT=/path/to/sysroot (or set the environment
# variable of that name). Test programs run under qemu-user through
# CMAKE_CROSSCOMPILING_EMULATOR, so `ctest` works in the cross build dir.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

if(NOT KIOSK_SYSROOT AND DEFINED ENV{KIOSK_SYSROOT})
    set(KIOSK_SYSROOT $ENV{KIOSK_SYSROOT})
endif()
if(NOT KIOSK_SYSROOT OR NOT EXISTS "${KIOSK_SYSROOT}/usr/include")
    message(FATAL_ERROR "KIOSK_SYSROOT must name an arm64 sysroot (scripts/cross-arm64.sh)")
endif()
# try_compile projects get the toolchain file again without the cache: pass the sysroot on
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES KIOSK_SYSROOT)
set(CMAKE_SYSROOT ${KIOSK_SYSROOT})

set(CMAKE_FIND_ROOT_PATH ${KIOSK_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must read the arm64 .pc files and prefix their paths with the sysroot
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${KIOSK_SYSROOT})
set(ENV{PKG_CONFIG_LIBDIR}
    "${KIOSK_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${KIOSK_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L ${KIOSK_SYSROOT})
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
