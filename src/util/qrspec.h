/* qrspec: how large a QR code is for a number of bytes, and how large it may be drawn.
 *
 * The kiosk encodes a signup URL in byte mode at error correction level M (gfx/), draws it
 * in whole pixels per module with a 4-module quiet zone, and needs a smallest module size
 * to stay scannable. These rules live here, below gfx/ and feed/, so the screens that draw
 * a code and `kiosk --check-feed` that warns about a URL too long for one agree exactly.
 * Pure arithmetic on the public capacity table of QR versions 1-40; no libqrencode. */
#ifndef KIOSK_UTIL_QRSPEC_H
#define KIOSK_UTIL_QRSPEC_H

#include <stddef.h>

#define QRSPEC_QUIET_MODULES 4 /* white modules on each side */
#define QRSPEC_MAX_VERSION 40

/* The byte-mode capacity of `version` (1-40) at level M; 0 outside that range. */
size_t qrspec_capacity(int version);

/* The smallest version that holds `bytes` at level M, or 0 when none does (> 2331). */
int qrspec_version(size_t bytes);

/* The modules across a code of `version` without its quiet zone (21 for version 1). */
int qrspec_width(int version);

/* The module size in whole pixels for a code `width` modules across (quiet zone not
 * included) drawn in at most max_px with its quiet zone: the largest that fits, or 0 when
 * it would be under min_module_px (the code must not be drawn). */
int qrspec_module_px(int width, int max_px, int min_module_px);

/* The longest byte string whose code fits max_px at min_module_px or more; 0 if none. */
size_t qrspec_max_bytes(int max_px, int min_module_px);

#endif
