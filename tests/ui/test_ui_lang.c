/* test_ui_lang: the visitor's language, through the real ui on the offscreen driver.
 *
 * The globe button opens the chooser, a language turns the interface words to it and is
 * counted; feed text shows in that language or in Japanese marked 「日本語のみ」 in it; the
 * idle return sets Japanese again; the attract loop's call to touch goes through all five. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "feed/feed.h"
#include "feed/model.h"
#include "offscreen.h"
#include "testutil.h"
#include "ui/strings.h"
#include "ui/ui.h"
#include "ui/ui_internal.h"

#define NOW 1795654800 /* 2026-11-26T10:00:00+09:00 */

static char counted[64];

static void sink_count(void *ctx, const struct ui_count_event *e)
{
    (void)ctx;
    if (e->what == UI_COUNT_LANGUAGE && e->name) {
        snprintf(counted, sizeof counted, "%s", e->name);
    }
}

static struct model *model_two_events(void)
{
    return offscreen_model(
        "{\"version\":1,\"generated_at\":\"2026-11-26T09:00:00+09:00\",\"events\":["
        "{\"id\":\"tr\",\"title\":{\"ja\":\"点字体験講座\",\"en\":\"Try Braille\","
        "\"zh-Hans\":\"盲文体验讲座\",\"ko\":\"점자 체험 강좌\",\"ja-easy\":\"{点字|てんじ}を "
        "やってみよう\"},\"start\":\"2026-12-01T10:00:00+09:00\"},"
        "{\"id\":\"ja\",\"title\":{\"ja\":\"将棋大会\"},\"place\":{\"ja\":\"武蔵野市民会館 "
        "集会室\"},\"start\":\"2026-12-02T10:00:00+09:00\"}"
        "],\"volunteers\":[],\"announcements\":[]}",
        NOW);
}

/* The ui of one test: the offscreen renderer, the two events, a 60 s idle timeout. */
struct fixture {
    struct offscreen os;
    struct model *m;
    struct ui *u;
};

static struct ui *fixture_open(struct fixture *fx)
{
    struct ui_options o = {"武蔵野プレイス", "Musashino Place", 60, 8, 86400};
    bool ok = offscreen_open_surface(&fx->os, 1920, 1080, &offscreen_fonts) == 0;

    fx->m = ok ? model_two_events() : NULL;
    fx->u = fx->m ? ui_create(fx->os.gfx, fx->m, &o, 0) : NULL;
    CHECK(fx->u);
    return fx->u;
}

static void fixture_close(struct fixture *fx)
{
    ui_free(fx->u);
    model_free(fx->m);
    offscreen_close(&fx->os);
}

/* Taps the centre of the last frame's target with this action (and arg). */
static bool tap_action(struct ui *u, enum ui_action act, int arg, int64_t ms)
{
    for (int i = 0; i < u->n_hits; i++) {
        const struct ui_hit *h = &u->hits[i];
        if (h->act == act && h->arg == arg) {
            int x = h->r.x + h->r.w / 2, y = h->r.y + h->r.h / 2;
            ui_touch(u, UI_TOUCH_DOWN, x, y, ms);
            ui_touch(u, UI_TOUCH_UP, x, y, ms + 50);
            return true;
        }
    }
    return false;
}

/* Whether the last frame drew text containing s, tagged with language `lang` (NULL: any). */
static bool drew(struct ui *u, const char *s, const char *lang)
{
    size_t len;
    char *all = gfx_text_listing(u->g, &len);
    bool found = false;

    for (char *line = all ? strtok(all, "\n") : NULL; line && !found; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        char tag[16] = "";
        if (tab && strstr(tab + 1, s)) {
            sscanf(line, "%*d %*d %*d %*d %15s", tag);
            found = !lang || strcmp(tag, lang) == 0;
        }
    }
    free(all);
    return found;
}

static void a_visitor_picks_english_and_the_next_one_finds_japanese(void)
{
    struct fixture fx = {0};
    struct ui *u = fixture_open(&fx);
    int64_t t = 1000;

    if (!u) {
        goto out;
    }
    ui_set_counter_sink(u, &(struct ui_counter_sink){sink_count, NULL});
    ui_draw(u, t);
    CHECK(strcmp(ui_language(u), "ja") == 0);
    CHECK(drew(u, "日本語", "ja"));

    /* the globe opens the chooser, each language written in itself */
    CHECK(tap_action(u, UI_ACT_OPEN_LANG, 0, t += 100));
    ui_draw(u, t += 100);
    CHECK(drew(u, "中文", "zh-Hans") && drew(u, "한국어", "ko") && drew(u, "English", "en"));
    CHECK(tap_action(u, UI_ACT_SET_LANG, UI_LANG_EN, t += 100));
    ui_draw(u, t += 100);
    CHECK(strcmp(ui_language(u), "en") == 0);
    CHECK(strcmp(counted, "en") == 0);
    CHECK(drew(u, "Touch what you want to see", "en"));
    CHECK(!drew(u, "見たいところにタッチしてください", NULL));

    /* the list: a translated title in English, the other in Japanese and marked so */
    ui_open_list(u, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, t += 100);
    ui_draw(u, t);
    CHECK(strcmp(ui_language(u), "en") == 0); /* navigation keeps the choice */
    CHECK(drew(u, "Try Braille", "en"));
    CHECK(drew(u, "将棋大会", "ja"));
    CHECK(drew(u, "Japanese only", "en"));

    /* Chinese: the translation, and the marker in Chinese */
    CHECK(ui_set_language(u, "zh-Hans") == 0);
    ui_draw(u, t += 100);
    CHECK(drew(u, "盲文体验讲座", "zh-Hans"));
    CHECK(drew(u, "仅有日语", "zh-Hans"));
    /* Japanese without kana is still Japanese: listed so (and drawn in Japanese shapes) */
    CHECK(drew(u, "将棋大会", "ja"));
    /* a line composed around Japanese-only text (the off-site word, then the place) is
     * listed and shaped as the Japanese it mostly is */
    CHECK(ui_open_detail(u, "ja", t += 100) == 0);
    ui_draw(u, t += 100);
    CHECK(drew(u, "馆外　武蔵野市民会館", "ja"));
    ui_open_list(u, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, t += 100);
    /* やさしい日本語: its text, readings shown as the base, no marker on plain Japanese */
    CHECK(ui_set_language(u, "easy") == 0);
    ui_draw(u, t += 100);
    CHECK(drew(u, "点字を やってみよう", "ja-easy"));
    CHECK(drew(u, "将棋大会", NULL));
    CHECK(!drew(u, "だけ", NULL));
    CHECK(ui_set_language(u, "fr") == -EINVAL);

    /* idle: home, the attract loop, and Japanese for whoever comes next */
    CHECK(ui_update(u, t + 60000));
    CHECK(ui_in_attract(u));
    CHECK(strcmp(ui_language(u), "ja") == 0);
out:
    fixture_close(&fx);
}

static void the_call_to_touch_goes_through_all_five_languages(void)
{
    struct fixture fx = {0};
    struct ui *u = fixture_open(&fx);
    int64_t t = 0;

    if (!u) {
        goto out;
    }
    ui_start_attract(u, t);
    for (int step = 0; step < UI_LANG_COUNT_; step++) {
        enum ui_lang l = (enum ui_lang)step;
        ui_draw(u, t);
        if (!drew(u, ui_str_in(l, UI_STR_ATTRACT_TOUCH), ui_lang_code(l))) {
            fprintf(stderr, "step %d: no %s\n", step, ui_str_in(l, UI_STR_ATTRACT_TOUCH));
            CHECK(false);
        }
        t += 8000;
        ui_update(u, t);
    }
out:
    fixture_close(&fx);
}

int main(void)
{
    RUN(a_visitor_picks_english_and_the_next_one_finds_japanese);
    RUN(the_call_to_touch_goes_through_all_five_languages);
    TEST_MAIN_END();
}
