/* bench_ui: the figures of the ui's budget, printed (not asserted).
 *
 * - start to first frame with a cached feed of 1,000 listings (config, cache load, SDL,
 *   fonts, the first frame), in process;
 * - frame time of a static home screen and of a list scrolled a few pixels each frame, at
 *   1920x1080 with the software renderer;
 * - peak RSS, with the fonts of all five languages open (a screen of each drawn first);
 * - CPU time and wake-ups (voluntary context switches) over an idle period (60 s; set
 *   BENCH_IDLE_S to change). Targets: 500 ms, 8 ms, 60 MB, 0.5 %. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "app/app.h"
#include "cache/cache.h"
#include "testutil.h"
#include "util/clock.h"

static char *make_feed(int n)
{
    size_t cap = (size_t)n * 900 + 4096, len = 0;
    char *b = malloc(cap);
    if (!b) {
        return NULL;
    }
    len +=
        (size_t)snprintf(b + len, cap - len,
                         "{\"version\":1,\"generated_at\":\"2026-11-25T06:00:00+09:00\","
                         "\"categories\":[{\"id\":\"learning\",\"label\":{\"ja\":\"講座\"}},"
                         "{\"id\":\"kids\",\"label\":{\"ja\":\"子ども\"}}],"
                         "\"audiences\":[{\"id\":\"everyone\",\"label\":{\"ja\":\"どなたでも\"}}],"
                         "\"events\":[");
    for (int i = 0; i < n; i++) {
        int day = 1 + i % 28, month = 12 + (i / 28) % 2;
        int year = month > 12 ? 2027 : 2026;
        month = month > 12 ? 1 : month;
        len += (size_t)snprintf(
            b + len, cap - len,
            "%s{\"id\":\"ev-%04d\",\"title\":{\"ja\":\"市民講座 第%d回 くらしと地域のはなし\"},"
            "\"summary\":{\"ja\":\"地域の方を講師に迎え、くらしに役立つ話を聞きます。\"},"
            "\"start\":\"%04d-%02d-%02dT10:00:00+09:00\",\"end\":\"%04d-%02d-%02dT12:00:00+09:00\","
            "\"place\":{\"ja\":\"%d階 ミーティングルーム\"},\"categories\":[\"%s\"],"
            "\"audiences\":[\"everyone\"],\"signup_url\":\"https://example.jp/e/%d\"}",
            i > 0 ? "," : "", i, i + 1, year, month, day, year, month, day, 1 + i % 4,
            i % 2 ? "kids" : "learning", i);
    }
    len += (size_t)snprintf(b + len, cap - len, "],\"volunteers\":[],\"announcements\":[]}");
    return b;
}

static double rss_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double mb = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            mb = atof(line + 6) / 1024.0;
        }
    }
    if (f) {
        fclose(f);
    }
    return mb;
}

static double now_ms(void)
{
    return (double)kclock_mono_ms();
}

/* A finger dragging the events list a few pixels a frame: frame times printed. */
static void list_frames(struct app *a, const char *what)
{
    ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, app_ms(a));
    app_draw(a, NULL, NULL);
    int64_t ms = app_ms(a);
    ui_touch(a->ui, UI_TOUCH_DOWN, 1200, 700, ms);
    double worst = 0, total = 0, draw_total = 0;
    int frames = 300;
    for (int i = 1; i <= frames; i++) {
        ui_touch(a->ui, UI_TOUCH_MOVE, 1200, 700 - (i * 7) % 600 - 40, ms + i * 16);
        double f0 = now_ms();
        SDL_SetRenderTarget(a->ren, a->target);
        ui_draw(a->ui, app_ms(a));
        SDL_SetRenderTarget(a->ren, NULL);
        draw_total += now_ms() - f0;
        app_draw(a, NULL, NULL);
        double d = now_ms() - f0;
        total += d;
        worst = d > worst ? d : worst;
    }
    ui_touch(a->ui, UI_TOUCH_UP, 1200, 300, ms + frames * 16 + 500);
    printf("%s: drawing %.2f ms mean (target < 8); with the offscreen "
           "driver's present %.2f ms mean, %.2f ms worst\n",
           what, draw_total / frames, total / frames, worst);
}

int main(void)
{
    char *dir = testutil_tempdir();
    char *feed = make_feed(1000);
    if (!dir || !feed) {
        return 1;
    }
    struct cache_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.fetched_at = 1795990000;
    if (cache_store(dir, CACHE_DOC_FEED, feed, strlen(feed), &meta) != 0) {
        printf("cannot store the cache\n");
        return 1;
    }
    free(feed);

    struct app app;
    struct app *a = &app;
    memset(a, 0, sizeof *a);
    char *argv[] = {"bench",      "--state-dir", dir,      "--now", "2026-11-26T10:00:00+09:00",
                    "--windowed", "1920x1080",   "--feed", "",      NULL};
    char err[256];
    double t0 = now_ms();
    if (app_args_parse(9, argv, &a->args, err, sizeof err) != 0 || app_load_config(a) != 0 ||
        app_load_content(a) != 0 || app_open_display(a, true) != 0) {
        printf("start-up failed: %s\n", err);
        return 1;
    }
    double rss_open = rss_mb();
    app_poll(a);
    app_draw(a, NULL, NULL);
    double first = now_ms() - t0;
    printf("RSS after start-up %.1f MB, after the first frame %.1f MB\n", rss_open, rss_mb());
    printf("first frame with a cached feed of %zu events: %.0f ms (target < 500)\n",
           feed_count(a->m->feed, FEED_KIND_EVENT), first);

    /* every language's fonts open, as on a kiosk a visitor has switched through: Chinese
     * and Korean open their regional faces at their first screen */
    static const char *const langs[] = {"zh-Hans", "ko", "en", "ja-easy", "ja"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        ui_set_language(a->ui, langs[i]);
        ui_go_home(a->ui, app_ms(a));
        double l0 = now_ms();
        app_draw(a, NULL, NULL);
        ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, app_ms(a));
        app_draw(a, NULL, NULL);
        printf("  %s: first home and list frames %.0f ms, RSS %.1f MB\n", langs[i], now_ms() - l0,
               rss_mb());
    }
    ui_set_language(a->ui, "ja");
    struct gfx_stats gs;
    gfx_get_stats(a->g, &gs);
    printf("all five languages drawn: %d font faces open, RSS %.1f MB, of which line textures "
           "%.1f MB (%zu lines), layouts and readings %.2f MB\n",
           gs.fonts_open, rss_mb(), (double)gs.line_bytes / 1048576.0, gs.line_entries,
           (double)gs.layout_bytes / 1048576.0);

    /* static screen: the same home frame again and again */
    ui_go_home(a->ui, app_ms(a));
    app_draw(a, NULL, NULL);
    double t = now_ms();
    int frames = 100;
    for (int i = 0; i < frames; i++) {
        app_draw(a, NULL, NULL);
    }
    printf("static home frame: %.2f ms (software renderer, 1920x1080)\n", (now_ms() - t) / frames);
    t = now_ms();
    for (int i = 0; i < frames; i++) {
        SDL_SetRenderTarget(a->ren, a->target);
        ui_draw(a->ui, app_ms(a));
        SDL_SetRenderTarget(a->ren, NULL);
    }
    printf("  of which drawing the ui: %.2f ms\n", (now_ms() - t) / frames);
    t = now_ms();
    for (int i = 0; i < 20; i++) {
        SDL_RenderCopy(a->ren, a->target, NULL, NULL);
    }
    printf("  of which copying the screen texture: %.2f ms\n", (now_ms() - t) / 20);
    t = now_ms();
    for (int i = 0; i < 20; i++) {
        SDL_RenderPresent(a->ren);
    }
    printf("  of which presenting: %.2f ms\n", (now_ms() - t) / 20);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  RSS so far: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);

    /* scrolling: a finger dragging the list a few pixels a frame, then in large text, then
     * in Chinese (its own faces) */
    list_frames(a, "scrolling list frame");
    ui_set_large_text(a->ui, true);
    list_frames(a, "the same in large text");
    ui_set_large_text(a->ui, false);
    ui_set_language(a->ui, "zh-Hans");
    list_frames(a, "the same in Chinese");
    ui_set_language(a->ui, "ja");
    printf("RSS after scrolling 1,000 cards: %.1f MB\n", rss_mb());

    /* idle: the real loop with nothing to do */
    int idle_s = getenv("BENCH_IDLE_S") ? atoi(getenv("BENCH_IDLE_S")) : 60;
    ui_go_home(a->ui, app_ms(a));
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    unsigned long frames0 = a->frames, wake0 = a->wakeups;
    double i0 = now_ms();
    while (now_ms() - i0 < idle_s * 1000.0) {
        if (app_poll(a)) {
            app_draw(a, NULL, NULL);
        }
        app_sleep(a, 1000);
    }
    getrusage(RUSAGE_SELF, &r1);
    double cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) * 1000.0 +
                 (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1000.0 +
                 (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1000.0 +
                 (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1000.0;
    double wall = now_ms() - i0;
    printf("idle %d s: cpu %.0f ms (%.3f %%, target < 0.5), %ld voluntary switches "
           "(%.1f/s), %lu loop wake-ups, %lu frames drawn (the attract loop steps)\n",
           idle_s, cpu, 100.0 * cpu / wall, r1.ru_nvcsw - r0.ru_nvcsw,
           (double)(r1.ru_nvcsw - r0.ru_nvcsw) / (wall / 1000.0), a->wakeups - wake0,
           a->frames - frames0);
    printf("peak RSS: %.1f MB (target < 60)\n", (double)r1.ru_maxrss / 1024.0);
    app_close(a);
    testutil_rmtree(dir);
    free(dir);
    return 0;
}
