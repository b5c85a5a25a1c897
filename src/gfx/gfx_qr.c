/* gfx_qr: QR codes drawn with whole-pixel modules and a quiet zone (see gfx.c).
 *
 * libqrencode makes the modules; util/qrspec says how large a code may be drawn and still
 * scan. Each code's texture is kept in the QR cache, keyed by its data and size. */
#include "gfx/gfx.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <qrencode.h>

#include "gfx/gcache.h"
#include "gfx/gfx_internal.h"
#include "util/log.h"
#include "util/qrspec.h"

/* ---- QR codes ---- */

/* Byte mode only, level M: libqrencode's mixed modes would pick a smaller version for
 * some URLs than util/qrspec.h, and `kiosk --check-feed` must say exactly what is drawn. */
static QRcode *qr_encode(const char *data)
{
    return QRcode_encodeData((int)strlen(data), (const unsigned char *)data, 0, QR_ECLEVEL_M);
}

/* The module count of data's QR code (cached), or -1 if it cannot be encoded. */
static int qr_modules(struct gfx *g, const char *data, QRcode **out)
{
    size_t klen;
    char tag = 'W';
    unsigned char *key = gfx_make_key(&tag, 1, data, strlen(data), &klen);
    struct tex *info;
    QRcode *q;
    int w = -1;

    *out = NULL;
    if (!key) {
        return -1;
    }
    info = gcache_get(g->qrs, key, klen);
    if (info) {
        w = info->w;
        goto out;
    }
    q = qr_encode(data);
    if (!q) {
        LOG_WARN("gfx", "cannot encode a QR code of %zu bytes: %s", strlen(data), strerror(errno));
        goto out;
    }
    w = q->width;
    *out = q;
    info = calloc(1, sizeof *info);
    if (info) {
        /* The width alone, in a texture-less struct tex so one destructor serves. */
        info->w = w;
        (void)gcache_put(g->qrs, key, klen, info, sizeof *info);
    }
out:
    free(key);
    return w;
}

/* One pixel per module: the renderer scales it by the whole module size with nearest
 * sampling, so every size of one code shares a texture of a few kilobytes instead of a
 * megabyte per size at 1080p. */
static struct tex *qr_texture(struct gfx *g, const QRcode *q)
{
    int quiet = QRSPEC_QUIET_MODULES;
    int side = q->width + 2 * quiet, x, y;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    struct tex *t = NULL;
    SDL_Texture *tex;

    if (!s) {
        return NULL;
    }
    SDL_FillRect(s, NULL, 0xFFFFFFFFu);
    for (y = 0; y < q->width; y++) {
        for (x = 0; x < q->width; x++) {
            if (q->data[y * q->width + x] & 1) {
                SDL_Rect mr = {x + quiet, y + quiet, 1, 1};
                SDL_FillRect(s, &mr, 0xFF000000u);
            }
        }
    }
    tex = SDL_CreateTextureFromSurface(g->r, s);
    SDL_FreeSurface(s);
    if (!tex) {
        return NULL;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE);
    SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest);
    t = malloc(sizeof *t);
    if (!t) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    t->tex = tex;
    t->w = side;
    t->h = side;
    g->stats.qr_builds++;
    return t;
}

int gfx_qr_modules(struct gfx *g, const char *data)
{
    QRcode *q = NULL;
    if (!g || !data || !data[0]) {
        return -1;
    }
    int w = qr_modules(g, data, &q);
    QRcode_free(q);
    return w > 0 ? w + 2 * QRSPEC_QUIET_MODULES : -1;
}

int gfx_qr_side(struct gfx *g, const char *data, int max_px, int min_module_px)
{
    QRcode *q = NULL;
    int w, m;

    if (!g || !data || !data[0] || max_px <= 0) {
        return -1;
    }
    w = qr_modules(g, data, &q);
    QRcode_free(q);
    m = qrspec_module_px(w, max_px, min_module_px);
    return m > 0 ? m * (w + 2 * QRSPEC_QUIET_MODULES) : -1;
}

int gfx_draw_qr(struct gfx *g, const char *data, int x, int y, int max_px, int min_module_px)
{
    QRcode *q = NULL;
    struct tex *t;
    int w, m, head[1];
    unsigned char *key = NULL;
    size_t klen;
    SDL_Rect dst;
    int rc = -1;

    if (!g || !data || !data[0] || max_px <= 0) {
        return -1;
    }
    w = qr_modules(g, data, &q);
    if (w <= 0) {
        goto out;
    }
    m = qrspec_module_px(w, max_px, min_module_px);
    if (m <= 0) {
        goto out;
    }
    head[0] = 'Q';
    key = gfx_make_key(head, sizeof head, data, strlen(data), &klen);
    if (!key) {
        goto out;
    }
    t = gcache_get(g->qrs, key, klen);
    if (!t) {
        if (!q) {
            q = qr_encode(data);
        }
        if (!q) {
            goto out;
        }
        t = qr_texture(g, q);
        if (!t) {
            goto out;
        }
        if (gcache_put(g->qrs, key, klen, t, (size_t)t->w * (size_t)t->h * 4) != 0) {
            goto out;
        }
    }
    dst = (SDL_Rect){x, y, t->w * m, t->h * m};
    SDL_RenderCopy(g->r, t->tex, NULL, &dst);
    rc = dst.w;
out:
    free(key);
    QRcode_free(q);
    return rc;
}
