/* gfx_png: the screen read back and encoded as PNG (see gfx.c).
 *
 * Reading back happens on the main thread (the renderer's); encoding needs only the
 * surface, so the admin API's screenshot thread may run it. The PNG goes into a growable
 * util buf behind an SDL_RWops, because SDL's own memory RWops have a fixed size. */
#include "gfx/gfx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "gfx/gfx_internal.h"
#include "util/buf.h"

/* The renderer's current target as an RGB surface the caller frees, or NULL. */
static SDL_Surface *gfx_read_target(SDL_Renderer *r, int w, int h)
{
    SDL_Rect rect = {0, 0, w, h};
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (s && SDL_RenderReadPixels(r, &rect, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0) {
        SDL_FreeSurface(s);
        s = NULL;
    }
    return s;
}

int gfx_save_png(SDL_Renderer *r, int w, int h, const char *path)
{
    SDL_Surface *s = NULL;
    char tmp[4096];
    int rc = -1;

    if (!r || w <= 0 || h <= 0 || !path) {
        SDL_SetError("gfx_save_png: bad arguments");
        return -1;
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        SDL_SetError("gfx_save_png: path too long");
        return -1;
    }
    s = gfx_read_target(r, w, h);
    if (!s) {
        return -1;
    }
    /* Written aside and renamed, so a reader never sees half a PNG. */
    if (IMG_SavePNG(s, tmp) != 0) {
        goto out;
    }
    if (rename(tmp, path) != 0) {
        SDL_SetError("gfx_save_png: rename %s: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    SDL_FreeSurface(s);
    return rc;
}

/* A growable in-memory sink for IMG_SavePNG_RW: SDL's own memory RWops have a fixed size.
 * The bytes go into a util buf; a write that fails (memory) fails the whole encoding. */
struct gfx_membuf {
    struct buf b;
    bool failed;
};

/* No real cap: a screen's PNG is what it is. Half of SIZE_MAX keeps buf's arithmetic safe. */
#define GFX_PNG_MAX (SIZE_MAX / 2)

static size_t SDLCALL gfx_membuf_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
    struct gfx_membuf *m = rw->hidden.unknown.data1;
    size_t n = size * num;
    if (m->failed || (size != 0 && n / size != num)) {
        return 0;
    }
    if (buf_append(&m->b, ptr, n) < 0) {
        m->failed = true;
        return 0;
    }
    return num;
}

static Sint64 SDLCALL gfx_membuf_size(SDL_RWops *rw)
{
    const struct gfx_membuf *m = rw->hidden.unknown.data1;
    return (Sint64)m->b.len;
}

static Sint64 SDLCALL gfx_membuf_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    /* libpng only asks where it is; the sink is append-only. */
    const struct gfx_membuf *m = rw->hidden.unknown.data1;
    if (offset == 0 && (whence == RW_SEEK_CUR || whence == RW_SEEK_END)) {
        return (Sint64)m->b.len;
    }
    return SDL_SetError("gfx: PNG sink cannot seek");
}

static int SDLCALL gfx_membuf_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

SDL_Surface *gfx_read_screen(SDL_Renderer *r, int w, int h)
{
    if (!r || w <= 0 || h <= 0) {
        SDL_SetError("gfx_read_screen: bad arguments");
        return NULL;
    }
    return gfx_read_target(r, w, h);
}

int gfx_encode_png(SDL_Surface *s, unsigned char **out, size_t *out_len)
{
    SDL_RWops *rw = NULL;
    struct gfx_membuf m;
    int rc = -1;

    buf_init(&m.b, GFX_PNG_MAX);
    m.failed = false;
    *out = NULL;
    *out_len = 0;
    if (!s) {
        SDL_SetError("gfx_encode_png: no surface");
        return -1;
    }
    rw = SDL_AllocRW();
    if (!rw) {
        return -1;
    }
    rw->size = gfx_membuf_size;
    rw->seek = gfx_membuf_seek;
    rw->read = NULL;
    rw->write = gfx_membuf_write;
    rw->close = gfx_membuf_close;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = &m;
    /* freedst=1: IMG_SavePNG_RW closes (and so frees) the RWops whatever happens. */
    if (IMG_SavePNG_RW(s, rw, 1) != 0 || m.failed) {
        goto out;
    }
    *out = (unsigned char *)buf_take(&m.b, out_len);
    rc = 0;
out:
    buf_free(&m.b);
    return rc;
}
