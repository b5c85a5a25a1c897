/* offscreen: see offscreen.h. */
#include "offscreen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "testutil.h"

const struct gfx_fonts offscreen_fonts = {
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf",
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Bold.ttf",
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "", /* as the kiosk's default: Chinese and Korean bold emboldened from the regular face */
};

/* The part both ways share, once o->ren exists (or failed to): a temp dir and the gfx. */
static int offscreen_finish(struct offscreen *o, const struct gfx_fonts *fonts)
{
    char err[512] = "";
    o->tmpdir = testutil_tempdir();
    if (!o->ren || !o->tmpdir) {
        fprintf(stderr, "no renderer: %s\n", SDL_GetError());
        return -1;
    }
    o->gfx = gfx_create(o->ren, fonts, err, sizeof err);
    if (!o->gfx) {
        fprintf(stderr, "gfx_create: %s\n", err);
        return -1;
    }
    return 0;
}

int offscreen_open_surface(struct offscreen *o, int w, int h, const struct gfx_fonts *fonts)
{
    *o = (struct offscreen){0};
    o->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    o->ren = o->surface ? SDL_CreateSoftwareRenderer(o->surface) : NULL;
    return offscreen_finish(o, fonts);
}

int offscreen_open(struct offscreen *o, int w, int h, const struct gfx_fonts *fonts)
{
    *o = (struct offscreen){0};
    /* Without this the offscreen driver tries a GL framebuffer through Mesa's EGL, which
     * leaks inside Mesa and is pointless for a software renderer. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return -1;
    }
    o->sdl_video = true;
    o->win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
    o->ren = o->win ? SDL_CreateRenderer(o->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    return offscreen_finish(o, fonts);
}

struct model *offscreen_model(const char *doc, int64_t now)
{
    char err[256] = "";
    struct feed *f = feed_parse(doc, strlen(doc), NULL, err, sizeof err);
    struct model *m = f ? model_create("") : NULL;

    if (!m) {
        fprintf(stderr, "offscreen_model: %s\n", f ? "out of memory" : err);
        feed_free(f);
        return NULL;
    }
    model_set_feed(m, f, now);
    model_tick(m, now);
    return m;
}

void offscreen_close(struct offscreen *o)
{
    gfx_destroy(o->gfx);
    if (o->ren) {
        SDL_DestroyRenderer(o->ren);
    }
    if (o->win) {
        SDL_DestroyWindow(o->win);
    }
    if (o->surface) {
        SDL_FreeSurface(o->surface);
    }
    if (o->tmpdir) {
        testutil_rmtree(o->tmpdir);
    }
    free(o->tmpdir);
    if (o->sdl_video) {
        SDL_Quit();
    }
}
