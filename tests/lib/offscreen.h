/* offscreen: a hidden window, a software renderer and a gfx with the given fonts on SDL's
 * offscreen driver, plus a temporary directory, for the gfx and ui tests. Linked only by
 * tests that link kiosk_ui; the rest of tests/lib stays plain C. */
#ifndef KIOSK_TESTS_OFFSCREEN_H
#define KIOSK_TESTS_OFFSCREEN_H

#include <stdbool.h>

#include <SDL.h>

#include "feed/model.h"
#include "gfx/gfx.h"

struct offscreen {
    SDL_Window *win;      /* offscreen_open */
    SDL_Surface *surface; /* offscreen_open_surface: the pixels drawn, RGB24 */
    SDL_Renderer *ren;
    struct gfx *gfx;
    char *tmpdir;
    bool sdl_video; /* offscreen_open initialised SDL's video; offscreen_close quits it */
};

/* The fonts the kiosk ships with (fonts/README.md), as the tests use them. */
extern const struct gfx_fonts offscreen_fonts;

/* Initialises SDL video and fills o; says why on stderr and returns -1 on failure (call
 * offscreen_close anyway). Main thread only. */
int offscreen_open(struct offscreen *o, int w, int h, const struct gfx_fonts *fonts);
/* Like offscreen_open, but drawing onto an in-memory RGB24 surface (o->surface) with no
 * window and no video driver, for tests that read the pixels back or use several sizes. */
int offscreen_open_surface(struct offscreen *o, int w, int h, const struct gfx_fonts *fonts);
/* A model holding the feed parsed from `doc` (which must parse), at Unix time `now`; NULL
 * with a message on stderr otherwise. The caller frees it with model_free. */
struct model *offscreen_model(const char *doc, int64_t now);

/* Frees everything offscreen_open or offscreen_open_surface made and removes the temporary
 * directory. */
void offscreen_close(struct offscreen *o);

#endif
