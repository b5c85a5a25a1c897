/* offscreen: a hidden window, a software renderer and a gfx with the given fonts on SDL's
 * offscreen driver, plus a temporary directory, for the gfx and ui tests. Linked only by
 * tests that link kiosk_ui; the rest of tests/lib stays plain C. */
#ifndef KIOSK_TESTS_OFFSCREEN_H
#define KIOSK_TESTS_OFFSCREEN_H

#include <SDL.h>

#include "gfx/gfx.h"

struct offscreen {
    SDL_Window *win;
    SDL_Renderer *ren;
    struct gfx *gfx;
    char *tmpdir;
};

/* Initialises SDL video and fills o; says why on stderr and returns -1 on failure (call
 * offscreen_close anyway). Main thread only. */
int offscreen_open(struct offscreen *o, int w, int h, const struct gfx_fonts *fonts);
/* Frees everything offscreen_open made, removes the temporary directory, quits SDL. */
void offscreen_close(struct offscreen *o);

#endif
