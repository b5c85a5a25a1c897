/* qrspec: QR code sizes at error correction level M (see qrspec.h).
 *
 * The table is ISO/IEC 18004's data capacity in 8-bit byte mode at level M, versions 1 to
 * 40. gfx/ encodes in byte mode only (no numeric or alphanumeric segments), so the version
 * libqrencode picks for n bytes is exactly the first one here that holds n; the tests
 * check that against libqrencode at every version boundary. */
#include "util/qrspec.h"

static const unsigned short capacity_m[QRSPEC_MAX_VERSION] = {
    14,   26,   42,   62,   84,   106,  122,  152,  180,  213,  251,  287,  331,  362,
    412,  450,  504,  560,  624,  666,  711,  779,  857,  911,  997,  1059, 1125, 1190,
    1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331,
};

size_t qrspec_capacity(int version)
{
    if (version < 1 || version > QRSPEC_MAX_VERSION) {
        return 0;
    }
    return capacity_m[version - 1];
}

int qrspec_version(size_t bytes)
{
    for (int v = 1; v <= QRSPEC_MAX_VERSION; v++) {
        if (bytes <= capacity_m[v - 1]) {
            return v;
        }
    }
    return 0;
}

int qrspec_width(int version)
{
    return 17 + 4 * version;
}

int qrspec_module_px(int width, int max_px, int min_module_px)
{
    if (width <= 0 || max_px <= 0) {
        return 0;
    }
    int m = max_px / (width + 2 * QRSPEC_QUIET_MODULES);
    if (m < 1 || m < min_module_px) {
        return 0;
    }
    return m;
}

size_t qrspec_max_bytes(int max_px, int min_module_px)
{
    size_t best = 0;
    for (int v = 1; v <= QRSPEC_MAX_VERSION; v++) {
        if (qrspec_module_px(qrspec_width(v), max_px, min_module_px) > 0) {
            best = capacity_m[v - 1];
        }
    }
    return best;
}
