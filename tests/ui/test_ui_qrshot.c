/* test_ui_qrshot: the QR code in a screenshot is drawn in whole pixels.
 *
 * With arguments `PNG MIN_MODULE...` it checks screenshots (tests/e2e/test_screens.sh calls it):
 * the pure-black pixels form one square code whose modules are whole pixels of one colour,
 * at least MIN_MODULE px, with a white quiet zone of four modules. Without arguments it
 * proves itself on a code drawn by gfx into an offscreen software renderer. Prints one line
 * per file: "PATH ok module=M modules=N" or "PATH FAIL reason". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

#include "gfx/gfx.h"
#include "offscreen.h"
#include "testutil.h"

static Uint32 px_at(SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + y * s->pitch + x * 3;
    return ((Uint32)p[0] << 16) | ((Uint32)p[1] << 8) | p[2];
}

/* 0 and the module size in *mod, or -1 with the reason printed. */
static int check_surface(const char *name, SDL_Surface *s, int min_module, int *mod)
{
    int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++) {
            if (px_at(s, x, y) == 0) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
        }
    }
    if (x1 < 0) {
        printf("%s FAIL no QR code drawn\n", name);
        return -1;
    }
    int side = x1 - x0 + 1;
    if (y1 - y0 + 1 != side) {
        printf("%s FAIL not square (%dx%d)\n", name, side, y1 - y0 + 1);
        return -1;
    }
    int run = 0;
    while (x0 + run <= x1 && px_at(s, x0 + run, y0) == 0) {
        run++;
    }
    if (run % 7 != 0) {
        printf("%s FAIL finder run %d px is not 7 whole modules\n", name, run);
        return -1;
    }
    int m = run / 7;
    if (side % m != 0 || (side / m - 17) % 4 != 0) {
        printf("%s FAIL side %d px is not whole %d px modules\n", name, side, m);
        return -1;
    }
    if (m < min_module) {
        printf("%s FAIL module %d px < %d px\n", name, m, min_module);
        return -1;
    }
    int n = side / m;
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
            Uint32 c = px_at(s, x0 + i * m, y0 + j * m);
            if (c != 0 && c != 0xFFFFFF) {
                printf("%s FAIL module (%d,%d) is #%06x\n", name, i, j, (unsigned)c);
                return -1;
            }
            for (int dy = 0; dy < m; dy++) {
                for (int dx = 0; dx < m; dx++) {
                    if (px_at(s, x0 + i * m + dx, y0 + j * m + dy) != c) {
                        printf("%s FAIL module (%d,%d) is not one colour\n", name, i, j);
                        return -1;
                    }
                }
            }
        }
    }
    int q = 4 * m;
    for (int y = y0 - q; y <= y1 + q; y++) {
        for (int x = x0 - q; x <= x1 + q; x++) {
            if (x >= x0 && x <= x1 && y >= y0 && y <= y1) {
                continue;
            }
            if (x < 0 || y < 0 || x >= s->w || y >= s->h || px_at(s, x, y) != 0xFFFFFF) {
                printf("%s FAIL quiet zone not white at (%d,%d)\n", name, x, y);
                return -1;
            }
        }
    }
    *mod = m;
    printf("%s ok module=%d modules=%d\n", name, m, n);
    return 0;
}

static int check_file(const char *path, int min_module)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw) {
        printf("%s FAIL cannot load: %s\n", path, IMG_GetError());
        return -1;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(raw);
    if (!s) {
        printf("%s FAIL cannot convert\n", path);
        return -1;
    }
    int m = 0;
    int rc = check_surface(path, s, min_module, &m);
    SDL_FreeSurface(s);
    return rc;
}

static void gfx_qr_is_whole_pixels_with_quiet_zone(void)
{
    struct offscreen os;
    CHECK(offscreen_open_surface(&os, 800, 600, &offscreen_fonts) == 0);
    if (os.gfx) {
        SDL_SetRenderDrawColor(os.ren, 0xF2, 0xF0, 0xEB, 255);
        SDL_RenderClear(os.ren);
        int side = gfx_draw_qr(os.gfx, "https://example.jp/signup?id=1", 100, 50, 500, 8);
        SDL_RenderPresent(os.ren);
        CHECK(side > 0);
        int m = 0;
        CHECK(check_surface("synthetic", os.surface, 8, &m) == 0);
        CHECK(m >= 8);
    }
    offscreen_close(&os);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        int failed = 0;
        for (int i = 1; i + 1 < argc; i += 2) {
            if (check_file(argv[i], atoi(argv[i + 1])) != 0) {
                failed++;
            }
        }
        return failed > 0 ? 1 : 0;
    }
    RUN(gfx_qr_is_whole_pixels_with_quiet_zone);
    TEST_MAIN_END();
}
