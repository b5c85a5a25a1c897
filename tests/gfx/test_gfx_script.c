/* test_gfx_script: Han characters take their region's shapes.
 *
 * 直, 骨 and 次 are the textbook cases where Chinese and Japanese glyphs differ (the strokes
 * of 直's inner box, 骨's inner corner, 次's first stroke). Each is drawn in the Japanese and
 * in the Simplified Chinese script on an in-memory surface, and the two bitmaps must differ;
 * a Latin letter, which both scripts share the shapes of, shows the comparison is fair. The
 * regional faces must not open before their first use, and a regional bold is the regular
 * face emboldened (one CJK face a language, not two). */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "gfx/gfx.h"
#include "offscreen.h"
#include "testutil.h"

#define W 200
#define H 200

static struct offscreen os;

/* Noto Sans CJK in every role: its JP face in Japanese mode, so a difference from the SC
 * face is the region's and not the typeface's. */
static const struct gfx_fonts noto_only = {
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
};

/* The glyph of one character in a script, as a copy of the surface's pixels. */
static unsigned char *glyph_as(const char *s, enum gfx_script script, enum gfx_font_role role)
{
    struct gfx_text_style st = {role, 120, {0, 0, 0, 255}, 0, 1, GFX_ALIGN_LEFT};
    size_t n = (size_t)os.surface->pitch * (size_t)os.surface->h;
    unsigned char *copy = malloc(n);

    SDL_SetRenderDrawColor(os.ren, 255, 255, 255, 255);
    SDL_RenderClear(os.ren);
    gfx_frame_begin(os.gfx);
    gfx_set_script(os.gfx, script);
    gfx_draw_text(os.gfx, s, (SDL_Rect){10, 10, W - 20, H - 20}, &st);
    gfx_set_script(os.gfx, GFX_SCRIPT_JA);
    SDL_RenderPresent(os.ren);
    if (copy) {
        memcpy(copy, os.surface->pixels, n);
    }
    return copy;
}

static unsigned char *glyph(const char *s, enum gfx_script script)
{
    return glyph_as(s, script, GFX_FONT_TEXT);
}

/* How many bytes of the two bitmaps differ. */
static size_t diff(const char *s, enum gfx_script a, enum gfx_script b)
{
    size_t n = (size_t)os.surface->pitch * (size_t)os.surface->h, d = 0;
    unsigned char *x = glyph(s, a), *y = glyph(s, b);

    CHECK(x && y);
    for (size_t i = 0; x && y && i < n; i++) {
        d += x[i] != y[i];
    }
    free(x);
    free(y);
    return d;
}

static void regional_faces_open_at_first_use(void)
{
    struct gfx_stats before, after;

    gfx_get_stats(os.gfx, &before);
    free(glyph("あ", GFX_SCRIPT_JA));
    gfx_get_stats(os.gfx, &after);
    CHECK(after.fonts_open == before.fonts_open);
    free(glyph("直", GFX_SCRIPT_ZH_HANS));
    gfx_get_stats(os.gfx, &after);
    CHECK(after.fonts_open > before.fonts_open);
}

static void han_glyphs_differ_between_chinese_and_japanese(void)
{
    static const char *const han[] = {"直", "骨", "次"};

    for (size_t i = 0; i < sizeof han / sizeof han[0]; i++) {
        size_t d = diff(han[i], GFX_SCRIPT_JA, GFX_SCRIPT_ZH_HANS);
        if (getenv("KIOSK_TEST_VERBOSE") || d < 200) {
            fprintf(stderr, "%s: %zu bytes differ between ja and zh-Hans\n", han[i], d);
        }
        CHECK(d >= 200);
    }
}

static void korean_draws_with_its_own_face(void)
{
    /* Hangul is in no Japanese font but the fallback; the KR face draws it, and 直 in
     * Korean mode takes the KR face's shape rather than the Japanese one */
    CHECK(diff("한국어", GFX_SCRIPT_JA, GFX_SCRIPT_KO) > 0);
    CHECK(diff("直", GFX_SCRIPT_JA, GFX_SCRIPT_KO) > 0);
}

/* Ink of a bitmap: bytes darker than mid grey. */
static size_t ink(const unsigned char *px)
{
    size_t n = (size_t)os.surface->pitch * (size_t)os.surface->h, k = 0;

    for (size_t i = 0; px && i < n; i++) {
        k += px[i] < 128;
    }
    return k;
}

/* The width of s on one line at 48 px in a script and role. */
static int width_of(const char *s, enum gfx_script script, enum gfx_font_role role)
{
    struct gfx_text_style st = {role, 48, {0, 0, 0, 255}, 0, 1, GFX_ALIGN_LEFT};
    int widest = 0;

    gfx_set_script(os.gfx, script);
    gfx_measure_text(os.gfx, s, 1 << 20, &st, &widest);
    gfx_set_script(os.gfx, GFX_SCRIPT_JA);
    return widest;
}

static void chinese_bold_is_its_regular_face_emboldened(void)
{
    struct gfx_stats before, after;
    free(glyph("直", GFX_SCRIPT_ZH_HANS)); /* the regular face open */
    gfx_get_stats(os.gfx, &before);
    unsigned char *regular = glyph("直", GFX_SCRIPT_ZH_HANS);
    unsigned char *bold = glyph_as("直", GFX_SCRIPT_ZH_HANS, GFX_FONT_BOLD);
    gfx_get_stats(os.gfx, &after);
    /* no second CJK face for the bold words (megabytes each), yet bolder strokes */
    CHECK(after.fonts_open == before.fonts_open);
    CHECK(ink(bold) > ink(regular) * 11 / 10);
    /* and widths that add up, so a text measured whole fits the box of its pieces */
    int whole = width_of("进行中", GFX_SCRIPT_ZH_HANS, GFX_FONT_BOLD);
    int parts = width_of("进", GFX_SCRIPT_ZH_HANS, GFX_FONT_BOLD) +
                width_of("行中", GFX_SCRIPT_ZH_HANS, GFX_FONT_BOLD);
    if (whole != parts) {
        fprintf(stderr, "  进行中 %d px whole, %d px in parts\n", whole, parts);
    }
    CHECK(whole == parts);
    free(regular);
    free(bold);
}

static void the_same_script_draws_the_same_bitmap(void)
{
    CHECK(diff("骨", GFX_SCRIPT_ZH_HANS, GFX_SCRIPT_ZH_HANS) == 0);
    CHECK(diff("骨", GFX_SCRIPT_JA, GFX_SCRIPT_JA) == 0);
}

int main(void)
{
    if (offscreen_open_surface(&os, W, H, &offscreen_fonts) != 0) {
        offscreen_close(&os);
        return 1;
    }
    RUN(regional_faces_open_at_first_use);
    RUN(han_glyphs_differ_between_chinese_and_japanese);
    RUN(korean_draws_with_its_own_face);
    RUN(chinese_bold_is_its_regular_face_emboldened);
    RUN(the_same_script_draws_the_same_bitmap);
    offscreen_close(&os);
    /* again with one family, the Japanese side drawn by Noto Sans CJK JP */
    memset(&os, 0, sizeof os);
    if (offscreen_open_surface(&os, W, H, &noto_only) != 0) {
        offscreen_close(&os);
        return 1;
    }
    RUN(han_glyphs_differ_between_chinese_and_japanese);
    offscreen_close(&os);
    TEST_MAIN_END();
}
