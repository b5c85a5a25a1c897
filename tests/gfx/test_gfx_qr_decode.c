/* test_qr_decode: QR codes drawn by gfx decode back to their data with zbarimg, use whole
 * pixels per module and keep a white quiet zone.
 *
 * Draws on SDL's offscreen driver with the software renderer, saves a PNG with
 * gfx_save_png and runs `zbarimg --nodbus -q --raw` on it (package zbar-tools). */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <qrencode.h>

#include "gfx/gfx.h"
#include "util/qrspec.h"
#include "offscreen.h"
#include "testutil.h"

#define W 1920
#define H 1080

static const char *signup = "https://www.musashino.or.jp/signup?id=ev-1201-01";

static SDL_Window *win;
static SDL_Renderer *ren;
static struct gfx *gfx;
static char *tmpdir;

static void clear(Uint8 grey)
{
    SDL_SetRenderDrawColor(ren, grey, grey, grey, 255);
    SDL_RenderClear(ren);
    gfx_frame_begin(gfx);
}

/* The first line zbarimg prints for the PNG, without its newline; "" when none. */
static void decode(const char *png, char *out, size_t outlen)
{
    char cmd[4200];
    FILE *p;
    size_t n;

    out[0] = '\0';
    snprintf(cmd, sizeof cmd, "zbarimg --nodbus -q --raw '%s' 2>/dev/null", png);
    p = popen(cmd, "r");
    if (!p) {
        return;
    }
    if (!fgets(out, (int)outlen, p)) {
        out[0] = '\0';
    }
    pclose(p);
    n = strlen(out);
    if (n > 0 && out[n - 1] == '\n') {
        out[n - 1] = '\0';
    }
}

static Uint32 *read_pixels(void)
{
    Uint32 *px = malloc((size_t)W * H * 4);

    if (px && SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, px, W * 4) != 0) {
        free(px);
        return NULL;
    }
    return px;
}

#define PX(x, y) (px[(size_t)(y)*W + (size_t)(x)] & 0xFFFFFFu)

/* Draws data's QR at (x, y) on grey, then checks: side a whole number of modules, every
 * module a solid pure black or pure white square, a white 4-module quiet zone, a finder
 * pattern 7 modules wide, and zbarimg reads the data back. Returns the module size. */
static int check_qr(const char *data, int x, int y, int max_px, int min_module)
{
    char png[4096], got[2048];
    Uint32 *px;
    int side, m = 0, run, i, j, u, v, modules;
    bool solid = true, quiet_white = true;

    clear(128);
    side = gfx_draw_qr(gfx, data, x, y, max_px, min_module);
    CHECK(side > 0 && side <= max_px);
    if (side <= 0) {
        return -1;
    }
    px = read_pixels();
    CHECK(px);
    if (!px) {
        return -1;
    }
    /* Outside the QR the grey is untouched. */
    CHECK(PX(x - 1, y) == 0x808080 && PX(x + side, y + side - 1) == 0x808080);
    /* Down the diagonal the quiet zone (4 modules) meets the finder's black corner; the
     * finder's top edge is then a black run of 7 modules. */
    for (run = 0; run < side && PX(x + run, y + run) == 0xFFFFFF; run++) {
        ;
    }
    m = run / 4;
    CHECK(run % 4 == 0 && m >= 1);
    for (run = 0; PX(x + 4 * m + run, y + 4 * m) == 0; run++) {
        ;
    }
    CHECK(m >= 1 && run == 7 * m);
    CHECK(m >= 1 && side % m == 0);
    if (m < 1 || side % m != 0) {
        free(px);
        return -1;
    }
    modules = side / m;
    for (j = 0; j < modules && solid; j++) {
        for (i = 0; i < modules && solid; i++) {
            Uint32 c = PX(x + i * m, y + j * m);

            if (c != 0 && c != 0xFFFFFF) {
                solid = false;
            }
            for (v = 0; v < m && solid; v++) {
                for (u = 0; u < m && solid; u++) {
                    if (PX(x + i * m + u, y + j * m + v) != c) {
                        solid = false;
                    }
                }
            }
            if ((i < 4 || j < 4 || i >= modules - 4 || j >= modules - 4) && c != 0xFFFFFF) {
                quiet_white = false;
            }
        }
    }
    free(px);
    CHECK(solid);
    CHECK(quiet_white);
    snprintf(png, sizeof png, "%s/qr-%d.png", tmpdir, m);
    CHECK(gfx_save_png(ren, W, H, png) == 0);
    decode(png, got, sizeof got);
    CHECK(strcmp(got, data) == 0);
    if (strcmp(got, data) != 0) {
        fprintf(stderr, "  zbarimg read \"%s\"\n", got);
    }
    return m;
}

static void a_signup_url_decodes_back_exactly(void)
{
    int m = check_qr(signup, 300, 200, 480, 3);

    CHECK(m >= 3);
}

static void the_module_size_is_the_largest_whole_size_that_fits(void)
{
    /* The URL needs version 4 at level M: 33 modules, 41 with the quiet zone. */
    CHECK(check_qr(signup, 100, 100, 41 * 6, 2) == 6);
    CHECK(check_qr(signup, 100, 100, 41 * 6 + 40, 2) == 6);
    CHECK(check_qr(signup, 700, 333, 41 * 3 - 1, 2) == 2);
    CHECK(check_qr("https://example.jp/a", 51, 77, 1000, 2) > 2);
}

static void too_small_a_space_draws_nothing_and_says_so(void)
{
    struct gfx_stats before, after;

    clear(128);
    gfx_get_stats(gfx, &before);
    CHECK(gfx_draw_qr(gfx, signup, 0, 0, 41 * 3 - 1, 3) == -1);
    CHECK(gfx_draw_qr(gfx, signup, 0, 0, 0, 1) == -1);
    CHECK(gfx_draw_qr(gfx, "", 0, 0, 500, 1) == -1);
    CHECK(gfx_draw_qr(gfx, NULL, 0, 0, 500, 1) == -1);
    gfx_get_stats(gfx, &after);
    CHECK(after.qr_builds == before.qr_builds);
}

static void data_too_long_for_a_qr_code_is_refused(void)
{
    size_t n = 5000;
    char *big = malloc(n + 1);

    CHECK(big);
    if (!big) {
        return;
    }
    memset(big, 'x', n);
    big[n] = '\0';
    CHECK(gfx_draw_qr(gfx, big, 0, 0, 1000, 1) == -1);
    free(big);
}

static void a_qr_code_is_built_once(void)
{
    struct gfx_stats a, b;
    int i;

    clear(255);
    gfx_draw_qr(gfx, signup, 10, 10, 400, 2);
    gfx_get_stats(gfx, &a);
    for (i = 0; i < 5; i++) {
        clear(255);
        CHECK(gfx_draw_qr(gfx, signup, 10 + i, 10, 400, 2) > 0);
    }
    gfx_get_stats(gfx, &b);
    CHECK(b.qr_builds == a.qr_builds);
    CHECK(b.qr_bytes == a.qr_bytes);
}

/* data of n bytes that libqrencode's mixed modes would encode in a smaller version (long
 * digit and upper-case runs): byte mode must not. */
static void fill_mixed(char *buf, size_t n)
{
    static const char head[] = "https://EXAMPLE.JP/";
    for (size_t i = 0; i < n; i++) {
        buf[i] = i < sizeof head - 1 ? head[i] : (char)('0' + i % 10);
    }
    buf[n] = '\0';
}

static void gfx_and_qrspec_agree_on_every_version(void)
{
    char *buf = malloc(2400);
    int agree = 0;

    CHECK(buf);
    if (!buf) {
        return;
    }
    for (int v = 1; v <= QRSPEC_MAX_VERSION; v++) {
        size_t cap = qrspec_capacity(v);
        int side = qrspec_width(v) + 2 * QRSPEC_QUIET_MODULES;
        QRcode *q;

        fill_mixed(buf, cap);
        q = QRcode_encodeData((int)cap, (const unsigned char *)buf, 0, QR_ECLEVEL_M);
        CHECK(q && q->version == v && q->width == qrspec_width(v));
        QRcode_free(q);
        /* gfx draws it 1 px a module in exactly its side, and not in one pixel less */
        CHECK(gfx_qr_side(gfx, buf, side, 1) == side);
        CHECK(gfx_qr_side(gfx, buf, side - 1, 1) == -1);
        if (v < QRSPEC_MAX_VERSION) {
            fill_mixed(buf, cap + 1);
            CHECK(qrspec_version(cap + 1) == v + 1);
            CHECK(gfx_qr_side(gfx, buf, side, 1) == -1);
            CHECK(gfx_qr_side(gfx, buf, side + 4, 1) == side + 4);
        }
        agree++;
    }
    fill_mixed(buf, 2332);
    CHECK(gfx_qr_side(gfx, buf, 5000, 1) == -1);
    printf("  %d versions agree with libqrencode\n", agree);
    free(buf);
}

int main(void)
{
    struct offscreen o;

    if (offscreen_open(&o, W, H, &offscreen_fonts) < 0) {
        offscreen_close(&o);
        return 1;
    }
    win = o.win;
    ren = o.ren;
    gfx = o.gfx;
    tmpdir = o.tmpdir;
    RUN(a_signup_url_decodes_back_exactly);
    RUN(the_module_size_is_the_largest_whole_size_that_fits);
    RUN(too_small_a_space_draws_nothing_and_says_so);
    RUN(data_too_long_for_a_qr_code_is_refused);
    RUN(a_qr_code_is_built_once);
    RUN(gfx_and_qrspec_agree_on_every_version);
    offscreen_close(&o);
    TEST_MAIN_END();
}
