/* test_ui_inkshot: no line of text is cut by its own line box, every line reads, and every
 * control stands out.
 *
 * With arguments `PNG TXT...` it checks screenshots (tests/e2e/screens_check.py calls it):
 * for every line of the text listing ("x y w h<TAB>text"), the top and bottom rows of its
 * rectangle hold no ink, that is no pixel that differs clearly from the row's most common
 * colour (the ground the line is drawn on). A glyph cut at the edge of its line box (a Latin
 * descender below BIZ UDPGothic's em box, a line clipped by its box) leaves ink there.
 * Each line's text also stands out from its ground by at least 4.5:1 (WCAG 1.4.3): the
 * ground is the box's most common colour, the text its pixel of the highest contrast to it
 * (the core of a stroke, past the antialiasing). Beside NAME.txt, NAME.controls lists the
 * touch targets (src/ui/controls.c): each control's boundary, its outline or its fill against
 * the ground just outside its box, stands out by 3:1 (WCAG 1.4.11; check_controls says how).
 * Without arguments it proves itself on lines drawn by gfx into an offscreen software
 * renderer, with the descenders and tight line spacing that used to be cut. Prints one line
 * per failing text line and a summary per file. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

#include "gfx/gfx.h"
#include "offscreen.h"
#include "testutil.h"

/* A pixel is ink when one channel differs from the ground by more than this: the faintest
 * antialiased edge of a glyph stroke is about 1/4 of the text's contrast. */
#define INK_DIFF 48
#define MAX_ROW 8192

static Uint32 px_at(SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + y * s->pitch + x * 3;
    return ((Uint32)p[0] << 16) | ((Uint32)p[1] << 8) | p[2];
}

static int channel_diff(Uint32 a, Uint32 b)
{
    int d = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        int x = (int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF);
        x = x < 0 ? -x : x;
        d = x > d ? x : d;
    }
    return d;
}

static int cmp_u32(const void *a, const void *b)
{
    Uint32 x = *(const Uint32 *)a, y = *(const Uint32 *)b;
    return x < y ? -1 : x > y;
}

/* The x of the first ink pixel in row y from x0 to x0 + w, or -1. */
static int row_ink(SDL_Surface *s, int x0, int w, int y)
{
    static Uint32 row[MAX_ROW], sorted[MAX_ROW];
    int n = 0;
    for (int x = x0; x < x0 + w && n < MAX_ROW; x++) {
        row[n++] = px_at(s, x, y);
    }
    if (n == 0) {
        return -1;
    }
    memcpy(sorted, row, (size_t)n * sizeof *row);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_u32);
    Uint32 ground = sorted[0];
    int best = 0;
    for (int i = 0, run = 1; i < n; i++, run++) {
        if (i + 1 == n || sorted[i + 1] != sorted[i]) {
            if (run > best) {
                best = run;
                ground = sorted[i];
            }
            run = 0;
        }
    }
    for (int i = 0; i < n; i++) {
        if (channel_diff(row[i], ground) > INK_DIFF) {
            return x0 + i;
        }
    }
    return -1;
}

/* WCAG's relative luminance of an sRGB pixel. */
static double luminance(Uint32 p)
{
    double c[3];
    for (int i = 0; i < 3; i++) {
        double v = (double)((p >> (16 - 8 * i)) & 0xFF) / 255.0;
        c[i] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static double contrast(Uint32 a, Uint32 b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The contrast of a line's text to its ground, the ground (the most common colour in the
 * box) and the text's colour in *ground and *ink. */
static double line_contrast(SDL_Surface *s, SDL_Rect r, Uint32 *ground, Uint32 *ink)
{
    size_t n = (size_t)r.w * (size_t)r.h;
    Uint32 *all = malloc(n * sizeof *all);
    double best_c = 1.0;
    if (!all) {
        return 21.0; /* nothing to judge by: not a failure of the screen */
    }
    size_t k = 0;
    for (int y = r.y; y < r.y + r.h; y++) {
        for (int x = r.x; x < r.x + r.w; x++) {
            all[k++] = px_at(s, x, y);
        }
    }
    qsort(all, n, sizeof *all, cmp_u32);
    *ground = all[0];
    size_t best = 0;
    for (size_t i = 0, run = 1; i < n; i++, run++) {
        if (i + 1 == n || all[i + 1] != all[i]) {
            if (run > best) {
                best = run;
                *ground = all[i];
            }
            run = 0;
        }
    }
    *ink = *ground;
    for (size_t i = 0; i < n; i++) {
        double c = i > 0 && all[i] == all[i - 1] ? 0.0 : contrast(all[i], *ground);
        if (c > best_c) {
            best_c = c;
            *ink = all[i];
        }
    }
    free(all);
    return best_c;
}

/* The page arrows greyed out at either end of a list: an inactive control, which WCAG
 * 1.4.3 leaves out of the contrast minimum. */
static bool inactive_arrow(const char *text)
{
    return strcmp(text, "▲") == 0 || strcmp(text, "▼") == 0;
}

/* 0, or -1 with the reason printed, for one listed line. */
static int check_line(const char *name, SDL_Surface *s, SDL_Rect r, const char *text)
{
    if (r.x < 0 || r.y < 0 || r.w <= 0 || r.h <= 0 || r.x + r.w > s->w || r.y + r.h > s->h) {
        return 0; /* screens_check.py reports lines outside the screen */
    }
    Uint32 ground, ink;
    /* a reading over its base ({base|reading}) is listed apart, in the band over the line */
    double c = text[0] == '{' || inactive_arrow(text) ? 21.0 : line_contrast(s, r, &ground, &ink);
    if (c < 4.5) {
        printf("%s FAIL contrast %.2f:1 (text #%06X on #%06X) of %d %d %d %d: %s\n", name, c,
               (unsigned)ink, (unsigned)ground, r.x, r.y, r.w, r.h, text);
        return -1;
    }
    int top = row_ink(s, r.x, r.w, r.y), bottom = row_ink(s, r.x, r.w, r.y + r.h - 1);
    if (top < 0 && bottom < 0) {
        return 0;
    }
    printf("%s FAIL ink on the %s edge of %d %d %d %d at x=%d: %s\n", name,
           top >= 0 ? "top" : "bottom", r.x, r.y, r.w, r.h, top >= 0 ? top : bottom, text);
    return -1;
}

/* ---- controls (WCAG 1.4.11): NAME.controls beside NAME.txt ---- */

#define MAX_CONTROLS 256
/* Where a control's boundary is read: this far inside its box (within a 3 px outline) and
 * this far outside (the ground it sits on). */
#define EDGE_IN 1
#define EDGE_OUT 3

struct control {
    SDL_Rect r;
    char act[32], fill[8], edge[8];
};

static bool covers(SDL_Rect outer, SDL_Rect inner)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

/* The contrast of a control's boundary: on each side, the pixel just inside the box's edge
 * (its outline, or its fill) against the pixel just outside, at the side's middle, away from
 * rounded corners. Sides on the screen's edge tell nothing and are left out. Returns the
 * share of the measured boundary's length (0..1) that stands out by 3:1 or more, the worst
 * side's contrast in *worst. */
static double boundary_share(SDL_Surface *s, SDL_Rect r, double *worst)
{
    struct {
        int xi, yi, xo, yo, len;
    } side[4] = {
        {r.x + r.w / 2, r.y + EDGE_IN, r.x + r.w / 2, r.y - EDGE_OUT, r.w},
        {r.x + r.w / 2, r.y + r.h - 1 - EDGE_IN, r.x + r.w / 2, r.y + r.h - 1 + EDGE_OUT, r.w},
        {r.x + EDGE_IN, r.y + r.h / 2, r.x - EDGE_OUT, r.y + r.h / 2, r.h},
        {r.x + r.w - 1 - EDGE_IN, r.y + r.h / 2, r.x + r.w - 1 + EDGE_OUT, r.y + r.h / 2, r.h},
    };
    long good = 0, all = 0;
    *worst = 21.0;
    for (int i = 0; i < 4; i++) {
        if (side[i].xo < 0 || side[i].yo < 0 || side[i].xo >= s->w || side[i].yo >= s->h) {
            continue;
        }
        double c = contrast(px_at(s, side[i].xi, side[i].yi), px_at(s, side[i].xo, side[i].yo));
        all += side[i].len;
        good += c >= 3.0 ? side[i].len : 0;
        *worst = c < *worst ? c : *worst;
    }
    return all > 0 ? (double)good / (double)all : 1.0;
}

/* The controls of a listing that fail 1.4.11, each printed; -1 when unreadable. A control
 * passes when at least half its boundary stands out by 3:1 from what lies around it (a band
 * right under the header still reads against the page below it). Left out: boxes a later
 * control covers (the chooser's or the idle warning's touch-anywhere layer takes every touch
 * beneath it), and boxes with nothing drawn exactly over them (a control named by its text
 * alone, judged by the text's 4.5:1). Greyed inactive controls register no target, so they
 * are never listed. */
static int check_controls(const char *name, SDL_Surface *s, const char *path)
{
    static struct control cs[MAX_CONTROLS];
    FILE *f = fopen(path, "r");
    int n = 0, bad = 0;
    char line[256];
    if (!f) {
        return 0; /* a listing written before controls were listed */
    }
    while (n < MAX_CONTROLS && fgets(line, sizeof line, f)) {
        struct control *c = &cs[n];
        if (sscanf(line, "%d %d %d %d %31s %7s %7s", &c->r.x, &c->r.y, &c->r.w, &c->r.h, c->act,
                   c->fill, c->edge) == 7) {
            n++;
        }
    }
    fclose(f);
    for (int i = 0; i < n; i++) {
        bool hidden = false;
        for (int j = i + 1; j < n && !hidden; j++) {
            hidden = covers(cs[j].r, cs[i].r);
        }
        SDL_Rect r = cs[i].r;
        bool whole = r.w >= s->w && r.h >= s->h;
        if (hidden || whole || (cs[i].fill[0] == '-' && cs[i].edge[0] == '-')) {
            continue;
        }
        double worst, share = boundary_share(s, r, &worst);
        if (share < 0.5) {
            printf("%s FAIL control %s at %d %d %d %d: boundary %.2f:1 (fill %s, edge %s)\n", name,
                   cs[i].act, r.x, r.y, r.w, r.h, worst, cs[i].fill, cs[i].edge);
            bad++;
        }
    }
    return bad;
}

/* The number of cut lines in a screenshot and its listing, or -1 when unreadable. */
static int check_file(const char *png, const char *txt)
{
    SDL_Surface *raw = IMG_Load(png);
    if (!raw) {
        printf("%s FAIL cannot load: %s\n", png, IMG_GetError());
        return -1;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(raw);
    FILE *f = fopen(txt, "r");
    int bad = 0;
    if (!s || !f) {
        printf("%s FAIL cannot read it or %s\n", png, txt);
        bad = -1;
        goto out;
    }
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        SDL_Rect r;
        char *tab = strchr(line, '\t');
        if (!tab || sscanf(line, "%d %d %d %d", &r.x, &r.y, &r.w, &r.h) != 4) {
            continue;
        }
        tab[strcspn(tab, "\n")] = '\0';
        if (check_line(png, s, r, tab + 1) != 0) {
            bad++;
        }
    }
    size_t k = strlen(txt);
    if (k > 4 && k < sizeof line - 16 && strcmp(txt + k - 4, ".txt") == 0) {
        snprintf(line, sizeof line, "%.*s.controls", (int)(k - 4), txt);
        bad += check_controls(png, s, line);
    }
out:
    if (f) {
        fclose(f);
    }
    SDL_FreeSurface(s);
    return bad;
}

/* Checks every line drawn since the last gfx_frame_begin against the pixels. */
static int cut_lines(struct offscreen *os)
{
    size_t len = 0;
    char *listing = gfx_text_listing(os->gfx, &len);
    int bad = 0, n = 0;
    if (!listing) {
        return -1;
    }
    for (char *ln = strtok(listing, "\n"); ln; ln = strtok(NULL, "\n")) {
        SDL_Rect r;
        char *tab = strchr(ln, '\t');
        if (tab && sscanf(ln, "%d %d %d %d", &r.x, &r.y, &r.w, &r.h) == 4) {
            n++;
            bad += check_line("synthetic", os->surface, r, tab + 1) != 0;
        }
    }
    free(listing);
    return n > 0 ? bad : -1;
}

static void descenders_are_not_cut_by_their_line_box(void)
{
    static const char *const texts[] = {
        "gjpqy, Wi-Fi 工事のため",
        "申し込み: https://example.jp/signup?q=jpg",
        "Åg 「漢字」 yjq ÉÑ",
    };
    struct gfx_color ink = {0x1D, 0x21, 0x25, 0xFF};
    enum gfx_font_role roles[] = {GFX_FONT_TEXT, GFX_FONT_BOLD, GFX_FONT_MONO};
    float spacings[] = {1.0f, 1.1f, 1.4f};
    struct offscreen os;
    CHECK(offscreen_open_surface(&os, 1600, 900, &offscreen_fonts) == 0);
    if (!os.gfx) {
        offscreen_close(&os);
        return;
    }
    for (int px = 14; px <= 96; px += 9) {
        for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
            for (size_t k = 0; k < sizeof spacings / sizeof spacings[0]; k++) {
                struct gfx_text_style st = {roles[r], px, ink, spacings[k], 0, GFX_ALIGN_LEFT};
                SDL_SetRenderDrawColor(os.ren, 0xFF, 0xFF, 0xFF, 0xFF);
                SDL_RenderClear(os.ren);
                gfx_frame_begin(os.gfx);
                int y = 10;
                for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
                    /* a box exactly as high as measured, as the screens lay text out */
                    int h = gfx_measure_text(os.gfx, texts[i], 1500, &st, NULL);
                    y += gfx_draw_text(os.gfx, texts[i], (SDL_Rect){20, y, 1500, h}, &st) + 4;
                }
                SDL_RenderPresent(os.ren);
                int bad = cut_lines(&os);
                if (bad != 0) {
                    printf("  at %d px, role %d, spacing %.1f\n", px, (int)roles[r],
                           (double)spacings[k]);
                }
                CHECK(bad == 0);
            }
        }
    }
    offscreen_close(&os);
}

/* Grey text too faint to read fails, the kiosk's own sub-text colour passes. */
static void faint_text_fails_and_the_sub_text_passes(void)
{
    struct offscreen os;
    CHECK(offscreen_open_surface(&os, 800, 200, &offscreen_fonts) == 0);
    if (os.gfx) {
        struct gfx_color faint = {0xAA, 0xAA, 0xAA, 0xFF}, sub = {0x4A, 0x51, 0x59, 0xFF};
        struct gfx_color colours[2] = {faint, sub};
        for (int i = 0; i < 2; i++) {
            struct gfx_text_style st = {GFX_FONT_BOLD, 40, colours[i], 1.2f, 1, GFX_ALIGN_LEFT};
            SDL_SetRenderDrawColor(os.ren, 0xFF, 0xFF, 0xFF, 0xFF);
            SDL_RenderClear(os.ren);
            gfx_frame_begin(os.gfx);
            gfx_draw_text(os.gfx, "締切 12月5日", (SDL_Rect){10, 10, 700, 120}, &st);
            SDL_RenderPresent(os.ren);
            int bad = cut_lines(&os);
            CHECK(i == 0 ? bad == 1 : bad == 0);
        }
    }
    offscreen_close(&os);
}

/* A white card on the page's warm grey is 1.1:1 and fails as a control; with the card
 * outline it passes; a control under a touch-anywhere layer is not judged. */
static void a_control_needs_a_boundary_of_3_to_1(void)
{
    struct offscreen os;
    CHECK(offscreen_open_surface(&os, 800, 400, &offscreen_fonts) == 0);
    if (!os.gfx) {
        offscreen_close(&os);
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/card.controls", os.tmpdir ? os.tmpdir : "/tmp");
    SDL_Rect card = {100, 100, 400, 120};
    struct gfx_color page = {0xF2, 0xF0, 0xEB, 0xFF}, white = {0xFF, 0xFF, 0xFF, 0xFF};
    struct gfx_color line = {0x7A, 0x85, 0x90, 0xFF};
    const char *const listings[] = {
        "100 100 400 120 open-detail #FFFFFF - #F2F0EB\n",
        "100 100 400 120 open-detail #FFFFFF #7A8590 #F2F0EB\n",
        "100 100 400 120 open-detail #FFFFFF - #F2F0EB\n0 0 800 400 stay #000000 - #000000\n",
    };
    for (int i = 0; i < 3; i++) {
        gfx_frame_begin(os.gfx);
        gfx_fill_rect(os.gfx, (SDL_Rect){0, 0, 800, 400}, page);
        gfx_fill_round_rect(os.gfx, card, 12, white);
        if (i == 1) {
            gfx_stroke_round_rect(os.gfx, card, 12, 2, line);
        }
        SDL_RenderPresent(os.ren);
        FILE *f = fopen(path, "w");
        CHECK(f);
        if (!f) {
            break;
        }
        fputs(listings[i], f);
        fclose(f);
        CHECK(check_controls("synthetic", os.surface, path) == (i == 0 ? 1 : 0));
    }
    /* the listing's colours are what was drawn: the ground under a line, a control's look */
    struct gfx_color fill, edge;
    CHECK(gfx_shape_look(os.gfx, card, &fill, &edge) == 1 && fill.r == 0xFF);
    struct gfx_color at = gfx_color_at(os.gfx, 10, 10);
    CHECK(at.r == 0xF2 && at.g == 0xF0 && at.b == 0xEB);
    remove(path);
    offscreen_close(&os);
}

static void a_line_height_is_at_least_1_2_em(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 40, {0, 0, 0, 255}, 1.0f, 0, GFX_ALIGN_LEFT};
    CHECK(gfx_line_height(&st) >= 48);
    st.line_spacing = 1.5f;
    CHECK(gfx_line_height(&st) == 60);
}

static void an_emoji_dropped_at_the_start_leaves_no_indent_and_digits_are_ascii(void)
{
    struct offscreen os;
    CHECK(offscreen_open_surface(&os, 800, 200, &offscreen_fonts) == 0);
    if (os.gfx) {
        struct gfx_text_style st = {GFX_FONT_BOLD, 40, {0, 0, 0, 255}, 1.2f, 1, GFX_ALIGN_LEFT};
        gfx_frame_begin(os.gfx);
        gfx_draw_text(os.gfx, "\xF0\x9F\x8E\x84 クリスマス", (SDL_Rect){0, 0, 800, 200}, &st);
        size_t len = 0;
        char *l = gfx_text_listing(os.gfx, &len);
        char *tab = l ? strchr(l, '\t') : NULL;
        CHECK(tab && strncmp(tab + 1, "クリスマス", strlen("クリスマス")) == 0);
        free(l);
        /* full-width digits and letters as ASCII, full-width brackets kept */
        gfx_frame_begin(os.gfx);
        gfx_draw_text(os.gfx, "２階（Ｂ）", (SDL_Rect){0, 0, 800, 200}, &st);
        l = gfx_text_listing(os.gfx, &len);
        tab = l ? strchr(l, '\t') : NULL;
        CHECK(tab && strncmp(tab + 1, "2階（B）", strlen("2階（B）")) == 0);
        free(l);
    }
    offscreen_close(&os);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        int failed = 0, files = 0;
        for (int i = 1; i + 1 < argc; i += 2) {
            files++;
            failed += check_file(argv[i], argv[i + 1]) != 0;
        }
        printf("inkshot: %d screenshots, %d with cut or faint lines\n", files, failed);
        return failed > 0 ? 1 : 0;
    }
    RUN(a_line_height_is_at_least_1_2_em);
    RUN(descenders_are_not_cut_by_their_line_box);
    RUN(an_emoji_dropped_at_the_start_leaves_no_indent_and_digits_are_ascii);
    RUN(faint_text_fails_and_the_sub_text_passes);
    RUN(a_control_needs_a_boundary_of_3_to_1);
    TEST_MAIN_END();
}
