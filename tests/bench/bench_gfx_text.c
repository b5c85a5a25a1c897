/* bench_gfx_text: what text costs, cold and cached, on the software renderer.
 *
 * Prints figures, asserts nothing: a cold layout (ICU + measuring), a cold frame (layout +
 * SDL_ttf rendering of every line), a steady frame (all cached), and the cache bytes one
 * screenful holds. Run: SDL_VIDEODRIVER=offscreen ./bench_gfx_text */
#include <stdio.h>
#include <string.h>

#include <SDL.h>

#include "gfx/gfx.h"

#define FONT_DIR "/usr/share/fonts/truetype/bizud-gothic/"

static const char *paragraph =
    "武蔵野プレイスは、図書館・生涯学習・市民活動・青少年活動の四つの機能を融合した複合"
    "施設です。「知る」「学ぶ」「創る」「集う」をキーワードに、さまざまなイベントを開催"
    "しています！ボランティア（個人・団体）も随時募集中。ちょっとした『読み聞かせ』や"
    "【工作教室】、〈映画会〉もあります？詳しくは https://www.musashino.or.jp/ をご覧"
    "ください。キャンプ、ジョギング、ショッピング、ウォーキング、パーティー。";

static double now_ms(void)
{
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

/* One screenful: a title, twelve cards of two-line text and a paragraph. `salt` makes
 * every text new, for cold frames. */
static SDL_Renderer *ren;

static void frame(struct gfx *g, int salt)
{
    struct gfx_text_style title = {GFX_FONT_BOLD, 56, {20, 24, 32, 255}, 0, 0, GFX_ALIGN_LEFT};
    struct gfx_text_style body = {GFX_FONT_TEXT, 30, {20, 24, 32, 255}, 0, 2, GFX_ALIGN_LEFT};
    struct gfx_text_style para = {GFX_FONT_TEXT, 28, {20, 24, 32, 255}, 0, 0, GFX_ALIGN_LEFT};
    char buf[256];
    int i;

    gfx_frame_begin(g);
    snprintf(buf, sizeof buf, "イベント・ボランティア情報 %d", salt);
    gfx_draw_text(g, buf, (SDL_Rect){60, 40, 1200, 90}, &title);
    for (i = 0; i < 12; i++) {
        SDL_Rect card = {60 + (i % 3) * 420, 160 + (i / 3) * 200, 400, 180};

        gfx_fill_round_rect(g, card, 16, (struct gfx_color){240, 244, 248, 255});
        snprintf(buf, sizeof buf, "第%d回 こども読み聞かせ会（%d）〜えほんの森〜参加者募集中",
                 i + 1, salt);
        gfx_draw_text(g, buf, (SDL_Rect){card.x + 20, card.y + 20, card.w - 40, 140}, &body);
    }
    snprintf(buf, sizeof buf, "%d", salt);
    gfx_draw_text(g, paragraph, (SDL_Rect){1340, 160, 520, 800}, &para);
    gfx_draw_text(g, buf, (SDL_Rect){1340, 980, 520, 60}, &para);
    gfx_draw_qr(g, "https://www.musashino.or.jp/signup?id=ev-1201-01", 1600, 700, 260, 3);
    SDL_RenderPresent(ren);
}

int main(void)
{
    static const struct gfx_fonts fonts = {FONT_DIR "BIZUDPGothic-Regular.ttf",
                                           FONT_DIR "BIZUDPGothic-Bold.ttf",
                                           FONT_DIR "BIZUDGothic-Regular.ttf",
                                           "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                           "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"};
    SDL_Window *win;
    struct gfx *g;
    struct gfx_stats st;
    char err[256];
    double t0, t1;
    int i, n = 20, h = 0;

    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        return 1;
    }
    win = SDL_CreateWindow("bench", 0, 0, 1920, 1080, SDL_WINDOW_HIDDEN);
    ren = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    g = ren ? gfx_create(ren, &fonts, err, sizeof err) : NULL;
    if (!g) {
        fprintf(stderr, "bench: %s\n", ren ? err : SDL_GetError());
        return 1;
    }

    frame(g, 0); /* opens fonts, warms ICU */
    t0 = now_ms();
    for (i = 0; i < n; i++) {
        struct gfx_text_style s = {GFX_FONT_TEXT, 28, {0, 0, 0, 255}, 0, 0, GFX_ALIGN_LEFT};
        h += gfx_measure_text(g, paragraph, 500 + i, &s, NULL);
    }
    t1 = now_ms();
    printf("cold layout of a %zu-byte paragraph at 28 px, ~500 px wide: %.2f ms (%d px total)\n",
           strlen(paragraph), (t1 - t0) / n, h);

    t0 = now_ms();
    for (i = 1; i <= n; i++) {
        frame(g, i);
    }
    t1 = now_ms();
    printf("cold frame (every text new): %.2f ms\n", (t1 - t0) / n);

    frame(g, 0);
    gfx_get_stats(g, &st);
    t0 = now_ms();
    for (i = 0; i < 200; i++) {
        frame(g, 0);
    }
    t1 = now_ms();
    {
        unsigned long renders = st.line_renders;

        gfx_get_stats(g, &st);
        printf("steady frame (all cached): %.3f ms, %lu lines rendered in 200 frames\n",
               (t1 - t0) / 200, st.line_renders - renders);
    }
    printf("caches: %zu line textures, %zu KiB lines, %zu KiB layouts, %zu KiB QR, "
           "%d fonts open\n",
           st.line_entries, st.line_bytes / 1024, st.layout_bytes / 1024, st.qr_bytes / 1024,
           st.fonts_open);

    gfx_destroy(g);
    SDL_DestroyRenderer(ren);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}
