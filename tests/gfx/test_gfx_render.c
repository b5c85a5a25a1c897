/* test_gfx_render: gfx with the real fonts on SDL's offscreen driver and the software
 * renderer at 1920x1080.
 *
 * Checks what the text listing says (lines inside their box, 禁則 with real metrics, emoji
 * dropped, … cuts), what the pixels say (nothing outside the box, no tofu), and that a
 * repeated frame renders nothing new. Set KIOSK_TEST_KEEP=DIR to keep the screenshots. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>

#include "gfx/gfx.h"
#include "gfx/textlayout.h"
#include "offscreen.h"
#include "testutil.h"

#define W 1920
#define H 1080

static SDL_Window *win;
static SDL_Renderer *ren;
static struct gfx *gfx;
static char *tmpdir;

static const struct gfx_color ink = {20, 24, 32, 255};

#define MAX_ROWS 512
struct row {
    SDL_Rect r;
    char text[1024];
};
static struct row rows[MAX_ROWS];
static int n_rows;

static const char *paragraph =
    "武蔵野プレイスは、図書館・生涯学習・市民活動・青少年活動の四つの機能を融合した複合"
    "施設です。「知る」「学ぶ」「創る」「集う」をキーワードに、さまざまなイベントを開催"
    "しています！ボランティア（個人・団体）も随時募集中。ちょっとした『読み聞かせ』や"
    "【工作教室】、〈映画会〉もあります？詳しくは https://www.musashino.or.jp/ をご覧"
    "ください。キャンプ、ジョギング、ショッピング、ウォーキング、パーティー。";

static void clear(void)
{
    SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
    SDL_RenderSetClipRect(ren, NULL);
    SDL_RenderClear(ren);
    gfx_frame_begin(gfx);
}

static void keep(const char *name)
{
    const char *dir = getenv("KIOSK_TEST_KEEP");
    char path[4096];

    if (!dir || !*dir) {
        return;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (gfx_save_png(ren, W, H, path) != 0) {
        fprintf(stderr, "  cannot keep %s: %s\n", path, SDL_GetError());
    }
}

/* Reads this frame's listing back through the file gfx writes. */
static int read_listing(void)
{
    char path[4096], line[2048];
    FILE *f;

    n_rows = 0;
    snprintf(path, sizeof path, "%s/listing.txt", tmpdir);
    if (gfx_write_text_listing(gfx, path) != 0) {
        return -1;
    }
    f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    while (n_rows < MAX_ROWS && fgets(line, sizeof line, f)) {
        struct row *r = &rows[n_rows];
        char *tab = strchr(line, '\t');
        size_t n;

        if (!tab || sscanf(line, "%d %d %d %d", &r->r.x, &r->r.y, &r->r.w, &r->r.h) != 4) {
            break;
        }
        snprintf(r->text, sizeof r->text, "%s", tab + 1);
        n = strlen(r->text);
        if (n > 0 && r->text[n - 1] == '\n') {
            r->text[n - 1] = '\0';
        }
        n_rows++;
    }
    fclose(f);
    return n_rows;
}

static bool inside(SDL_Rect a, SDL_Rect box)
{
    return a.x >= box.x && a.y >= box.y && a.x + a.w <= box.x + box.w && a.y + a.h <= box.y + box.h;
}

static int32_t first_cp(const char *s)
{
    size_t i = 0, n = strlen(s);

    return n ? textlayout_decode(s, n, &i) : -1;
}

static int32_t last_cp(const char *s)
{
    size_t n = strlen(s), i;

    if (!n) {
        return -1;
    }
    i = n - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) {
        i--;
    }
    return textlayout_decode(s, n, &i);
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

static void a_long_paragraph_stays_in_its_box_and_obeys_kinsoku(void)
{
    static const int widths[] = {300, 437, 600, 811, 1000};
    struct gfx_text_style st = {GFX_FONT_TEXT, 32, ink, 0, 0, GFX_ALIGN_LEFT};
    size_t wi;

    for (wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
        SDL_Rect box = {120, 80, widths[wi], 900};
        int used, i;

        clear();
        gfx_fill_rect(gfx, box, (struct gfx_color){240, 244, 248, 255});
        used = gfx_draw_text(gfx, paragraph, box, &st);
        CHECK(used > 0 && used <= box.h);
        CHECK(read_listing() > 2);
        for (i = 0; i < n_rows; i++) {
            int32_t c = first_cp(rows[i].text), e = last_cp(rows[i].text);

            CHECK(inside(rows[i].r, box));
            CHECK(rows[i].r.h > 0 && rows[i].r.w > 0);
            if (i > 0) {
                CHECK(c >= 0 && !textlayout_forbidden_at_start((uint32_t)c));
            }
            CHECK(e >= 0 && !textlayout_forbidden_at_end((uint32_t)e));
            if (i > 0 && textlayout_forbidden_at_start((uint32_t)c)) {
                fprintf(stderr, "  width %d row %d starts badly: %s\n", box.w, i, rows[i].text);
            }
        }
        /* The URL fits the wider boxes, so it is on one line there. */
        if (box.w >= 600) {
            bool found = false;

            for (i = 0; i < n_rows; i++) {
                found = found || strstr(rows[i].text, "https://www.musashino.or.jp/");
            }
            CHECK(found);
        }
        if (wi == 2) {
            keep("paragraph-600.png");
        }
    }
}

static void nothing_is_drawn_outside_the_box(void)
{
    struct gfx_text_style st = {GFX_FONT_BOLD, 40, ink, 1.2f, 0, GFX_ALIGN_LEFT};
    SDL_Rect box = {200, 200, 333, 130};
    Uint32 *px;
    int x, y, outside_ink = 0, inside_ink = 0;

    clear();
    gfx_draw_text(gfx, paragraph, box, &st);
    px = read_pixels();
    CHECK(px);
    if (!px) {
        return;
    }
    for (y = 0; y < H; y++) {
        for (x = 0; x < W; x++) {
            bool dark = (px[(size_t)y * W + x] & 0xFF) < 250;
            SDL_Point p = {x, y};

            if (SDL_PointInRect(&p, &box)) {
                inside_ink += dark;
            } else {
                outside_ink += dark;
            }
        }
    }
    free(px);
    CHECK(inside_ink > 500);
    CHECK(outside_ink == 0);
    keep("clipped.png");
}

static void a_cut_ends_with_an_ellipsis_inside_the_width(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 30, ink, 1.5f, 0, GFX_ALIGN_LEFT};
    SDL_Rect box = {100, 100, 500, 2 * 45 + 10};
    int n;

    clear();
    gfx_draw_text(gfx, paragraph, box, &st);
    n = read_listing();
    CHECK(n == 2);
    CHECK(n == 2 && strstr(rows[1].text, "…"));
    CHECK(n == 2 && strcmp(rows[1].text + strlen(rows[1].text) - 3, "…") == 0);
    CHECK(n == 2 && rows[1].r.w <= box.w);

    /* max_lines cuts too, even in a tall box. */
    clear();
    st.max_lines = 1;
    box.h = 600;
    gfx_draw_text(gfx, paragraph, box, &st);
    n = read_listing();
    CHECK(n == 1 && strcmp(rows[0].text + strlen(rows[0].text) - 3, "…") == 0);
}

static void emoji_and_flags_are_dropped_not_drawn_as_boxes(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 36, ink, 0, 0, GFX_ALIGN_LEFT};
    SDL_Rect box = {100, 100, 1200, 200};
    int n;

    clear();
    /* No font here has 🎉, flags, skin tones or ❤; the variation selector goes too. */
    gfx_draw_text(gfx, "夏祭り🎉開催🇯🇵です👍🏽！❤️", box, &st);
    n = read_listing();
    CHECK(n == 1);
    CHECK(n == 1 && strcmp(rows[0].text, "夏祭り開催です！") == 0);
    if (n == 1) {
        fprintf(stderr, "  listing: %s\n", rows[0].text);
    }
    keep("emoji.png");
}

static void glyphs_missing_from_the_main_font_come_from_the_fallback(void)
{
    /* Hangul is in Noto Sans CJK but not in BIZ UD Gothic. */
    struct gfx_text_style st = {GFX_FONT_TEXT, 36, ink, 0, 0, GFX_ALIGN_LEFT};
    SDL_Rect box = {100, 100, 1200, 200};
    int n, w1 = 0, w2 = 0;

    clear();
    gfx_draw_text(gfx, "韓国語: 한국어 안내", box, &st);
    n = read_listing();
    CHECK(n == 1 && strcmp(rows[0].text, "韓国語: 한국어 안내") == 0);
    /* Measuring and drawing agree on the width. */
    gfx_measure_text(gfx, "韓国語: 한국어 안내", 1200, &st, &w1);
    w2 = n == 1 ? rows[0].r.w : -1;
    CHECK(w1 == w2);
    keep("fallback.png");
}

static void a_missing_font_gives_null_and_names_the_file(void)
{
    struct gfx_fonts bad = offscreen_fonts;
    char err[256] = "";
    struct gfx *g;

    bad.bold = "/nonexistent/fonts/Missing-Bold.ttf";
    g = gfx_create(ren, &bad, err, sizeof err);
    CHECK(!g);
    CHECK(strstr(err, "/nonexistent/fonts/Missing-Bold.ttf"));
    gfx_destroy(g);

    /* A file that is not a font. */
    bad = offscreen_fonts;
    bad.fallback = "/etc/hostname";
    g = gfx_create(ren, &bad, err, sizeof err);
    CHECK(!g);
    CHECK(strstr(err, "/etc/hostname"));

    bad = offscreen_fonts;
    bad.mono = NULL;
    g = gfx_create(ren, &bad, err, sizeof err);
    CHECK(!g && strstr(err, "mono"));
}

static void drawing_the_same_frame_twice_renders_nothing_new(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 28, ink, 0, 0, GFX_ALIGN_CENTER};
    struct gfx_text_style title = {GFX_FONT_BOLD, 48, ink, 0, 0, GFX_ALIGN_LEFT};
    struct gfx_stats a, b;
    size_t bytes;
    int frame;

    for (frame = 0; frame < 3; frame++) {
        clear();
        gfx_draw_text(gfx, "イベント情報", (SDL_Rect){40, 30, 800, 80}, &title);
        gfx_draw_text(gfx, paragraph, (SDL_Rect){40, 120, 700, 700}, &st);
        gfx_draw_qr(gfx, "https://www.musashino.or.jp/", 1400, 100, 400, 3);
        if (frame == 0) {
            keep("frame.png");
        }
        if (frame == 1) {
            gfx_get_stats(gfx, &a);
            bytes = gfx_cache_bytes(gfx);
        }
    }
    gfx_get_stats(gfx, &b);
    CHECK(a.line_renders > 0);
    CHECK(b.line_renders == a.line_renders);
    CHECK(b.layouts == a.layouts);
    CHECK(b.qr_builds == a.qr_builds);
    CHECK(b.line_hits > a.line_hits);
    CHECK(gfx_cache_bytes(gfx) == bytes);

    /* A new colour is a new texture. */
    st.color = (struct gfx_color){200, 0, 0, 255};
    gfx_draw_text(gfx, "イベント情報", (SDL_Rect){40, 30, 800, 80}, &st);
    gfx_get_stats(gfx, &a);
    CHECK(a.line_renders == b.line_renders + 1);
}

static void the_line_cache_stays_within_its_budget(void)
{
    struct gfx_text_style st = {GFX_FONT_MONO, 30, ink, 0, 0, GFX_ALIGN_LEFT};
    struct gfx_stats s;
    char text[64];
    int i;

    gfx_set_cache_limit(gfx, (size_t)1 << 20);
    clear();
    for (i = 0; i < 400; i++) {
        snprintf(text, sizeof text, "整理番号 %05d 番のかた", i);
        gfx_draw_text(gfx, text, (SDL_Rect){10, 10, 900, 60}, &st);
    }
    gfx_get_stats(gfx, &s);
    CHECK(s.line_bytes <= ((size_t)1 << 20));
    CHECK(s.line_entries > 10);
    CHECK(s.fonts_open <= 24);
    gfx_set_cache_limit(gfx, (size_t)48 << 20);
}

static void the_callers_clip_is_restored(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 24, ink, 0, 0, GFX_ALIGN_RIGHT};
    SDL_Rect outer = {50, 50, 400, 300}, got;

    clear();
    SDL_RenderSetClipRect(ren, &outer);
    gfx_draw_text(gfx, paragraph, (SDL_Rect){0, 0, 800, 800}, &st);
    CHECK(SDL_RenderIsClipEnabled(ren));
    SDL_RenderGetClipRect(ren, &got);
    CHECK(SDL_RectEquals(&got, &outer));
    CHECK(read_listing() > 0);
    for (int i = 0; i < n_rows; i++) {
        CHECK(inside(rows[i].r, outer));
    }
    SDL_RenderSetClipRect(ren, NULL);
    gfx_draw_text(gfx, "abc", (SDL_Rect){0, 0, 800, 800}, &st);
    CHECK(!SDL_RenderIsClipEnabled(ren));
}

static void measuring_matches_drawing(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 32, ink, 1.6f, 0, GFX_ALIGN_LEFT};
    int widest = 0, h, used;

    h = gfx_measure_text(gfx, paragraph, 640, &st, &widest);
    CHECK(h > 0 && h % gfx_line_height(&st) == 0);
    CHECK(widest > 500 && widest <= 640);
    clear();
    used = gfx_draw_text(gfx, paragraph, (SDL_Rect){0, 0, 640, 2000}, &st);
    CHECK(used == h);
    CHECK(read_listing() == h / gfx_line_height(&st));

    /* A box exactly as high as measured holds every line, even with tight spacing. */
    st.line_spacing = 1.0f;
    h = gfx_measure_text(gfx, paragraph, 640, &st, &widest);
    clear();
    used = gfx_draw_text(gfx, paragraph, (SDL_Rect){0, 0, widest + 1, h}, &st);
    CHECK(used == h);
    CHECK(read_listing() == h / gfx_line_height(&st));
    CHECK(n_rows > 0 && !strstr(rows[n_rows - 1].text, "…"));

    /* A single line in a box lower than the line still shows. */
    clear();
    st.line_spacing = 2.0f;
    CHECK(gfx_draw_text(gfx, "低い箱", (SDL_Rect){0, 0, 640, 40}, &st) == 40);
    CHECK(read_listing() == 1 && strcmp(rows[0].text, "低い箱") == 0);
    CHECK(gfx_measure_text(gfx, "", 640, &st, &widest) == 0 && widest == 0);
    CHECK(gfx_draw_text(gfx, NULL, (SDL_Rect){0, 0, 640, 100}, &st) == 0);
    CHECK(gfx_draw_text(gfx, "x", (SDL_Rect){0, 0, 0, 100}, &st) == 0);
}

static void round_rects_fill_their_rect_but_not_the_corners(void)
{
    struct gfx_color blue = {30, 90, 200, 255};
    SDL_Rect r = {300, 300, 400, 200};
    Uint32 *px;

    clear();
    gfx_fill_round_rect(gfx, r, 40, blue);
    gfx_stroke_round_rect(gfx, (SDL_Rect){800, 300, 400, 200}, 30, 6, blue);
    gfx_fill_round_rect(gfx, (SDL_Rect){1300, 300, 300, 80}, 40, blue); /* a pill */
    gfx_fill_round_rect(gfx, (SDL_Rect){1300, 500, 0, 80}, 40, blue);
    gfx_stroke_round_rect(gfx, (SDL_Rect){1300, 600, 20, 20}, 8, 30, blue);
    gfx_fill_rect(gfx, (SDL_Rect){100, 700, 200, 100}, (struct gfx_color){0, 0, 0, 128});
    px = read_pixels();
    CHECK(px);
    if (!px) {
        return;
    }
#define AT(x, y) (px[(size_t)(y)*W + (x)] & 0xFFFFFF)
    CHECK(AT(500, 400) == 0x1E5AC8); /* centre */
    CHECK(AT(301, 301) == 0xFFFFFF); /* cut corner */
    CHECK(AT(698, 498) == 0xFFFFFF);
    CHECK(AT(340, 301) == 0x1E5AC8);                             /* top edge beyond the corner */
    CHECK(AT(1000, 400) == 0xFFFFFF);                            /* stroke: hollow */
    CHECK(AT(1000, 302) == 0x1E5AC8);                            /* stroke: top edge */
    CHECK(AT(802, 400) == 0x1E5AC8);                             /* stroke: left edge */
    CHECK(AT(801, 301) == 0xFFFFFF);                             /* stroke: cut corner */
    CHECK(AT(150, 750) == 0x7F7F7F || AT(150, 750) == 0x808080); /* blended */
#undef AT
    free(px);
    keep("shapes.png");
}

static int row_named(const char *text)
{
    for (int i = 0; i < n_rows; i++) {
        if (strcmp(rows[i].text, text) == 0) {
            return i;
        }
    }
    return -1;
}

static void ruby_is_drawn_over_its_base_and_listed_with_it(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 40, ink, 1.4f, 0, GFX_ALIGN_LEFT};
    const char *s = "{武蔵野|むさしの}プレイスで{漢字|かん|じ}を読む";
    int widest = 0;
    int h = gfx_measure_text(gfx, s, 1000, &st, &widest);
    /* the readings take a band over the line: taller than the plain text, as wide */
    CHECK(h > gfx_measure_text(gfx, "武蔵野プレイスで漢字を読む", 1000, &st, NULL));
    clear();
    CHECK(gfx_draw_text(gfx, s, (SDL_Rect){10, 10, 1000, h}, &st) == h);
    keep("ruby.png");
    CHECK(read_listing() == 4);
    int base = row_named("武蔵野プレイスで漢字を読む");
    int group = row_named("{武蔵野|むさしの}"), kan = row_named("{漢|かん}"),
        ji = row_named("{字|じ}");
    CHECK(base >= 0 && group >= 0 && kan >= 0 && ji >= 0);
    if (base < 0 || group < 0 || kan < 0 || ji < 0) {
        return;
    }
    /* over the base, not touching it, and no wider than it */
    CHECK(rows[group].r.y + rows[group].r.h <= rows[base].r.y + 1);
    CHECK(rows[group].r.x >= rows[base].r.x && rows[group].r.y >= 10);
    CHECK(rows[kan].r.x < rows[ji].r.x);
    /* a reading longer than its one-character base is made smaller, centred over it */
    CHECK(rows[kan].r.w <= 40 + 12);
}

static void a_frame_drawn_again_parses_no_readings(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 40, ink, 1.4f, 0, GFX_ALIGN_LEFT};
    const char *s = "{市民活動|しみんかつどう}の{相談|そうだん}";
    struct gfx_stats a, b;
    for (int frame = 0; frame < 3; frame++) {
        clear();
        int h = gfx_measure_text(gfx, s, 1000, &st, NULL);
        gfx_draw_text(gfx, s, (SDL_Rect){10, 10, 1000, h}, &st);
        gfx_draw_text(gfx, "no braces, nothing to parse", (SDL_Rect){10, 200, 1000, 80}, &st);
        if (frame == 0) {
            gfx_get_stats(gfx, &a);
        }
    }
    gfx_get_stats(gfx, &b);
    CHECK(a.ruby_parses >= 1);
    CHECK(b.ruby_parses == a.ruby_parses);
    CHECK(read_listing() == 4); /* the readings are still drawn from the kept parse */
}

static void a_line_never_breaks_between_a_group_ruby_and_its_base(void)
{
    struct gfx_text_style st = {GFX_FONT_TEXT, 40, ink, 1.4f, 0, GFX_ALIGN_LEFT};
    /* 8 characters fit a line: the break would fall inside 図書館 */
    int w = 8 * 40 + 4;
    clear();
    gfx_draw_text(gfx, "きょうはみんなで{図書館|としょかん}へ行きます", (SDL_Rect){0, 0, w, 600},
                  &st);
    CHECK(read_listing() >= 3);
    bool whole = false;
    for (int i = 0; i < n_rows; i++) {
        CHECK(!strstr(rows[i].text, "図書") || strstr(rows[i].text, "図書館"));
        whole = whole || strcmp(rows[i].text, "{図書館|としょかん}") == 0;
    }
    CHECK(whole);
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
    RUN(a_long_paragraph_stays_in_its_box_and_obeys_kinsoku);
    RUN(nothing_is_drawn_outside_the_box);
    RUN(a_cut_ends_with_an_ellipsis_inside_the_width);
    RUN(emoji_and_flags_are_dropped_not_drawn_as_boxes);
    RUN(glyphs_missing_from_the_main_font_come_from_the_fallback);
    RUN(a_missing_font_gives_null_and_names_the_file);
    RUN(drawing_the_same_frame_twice_renders_nothing_new);
    RUN(the_line_cache_stays_within_its_budget);
    RUN(the_callers_clip_is_restored);
    RUN(measuring_matches_drawing);
    RUN(round_rects_fill_their_rect_but_not_the_corners);
    RUN(ruby_is_drawn_over_its_base_and_listed_with_it);
    RUN(a_line_never_breaks_between_a_group_ruby_and_its_base);
    RUN(a_frame_drawn_again_parses_no_readings);
    offscreen_close(&o);
    TEST_MAIN_END();
}
