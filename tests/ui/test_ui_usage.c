/* test_ui_usage: what the ui tells its counter sink during a scripted visit: one session
 * from the first touch to the idle timeout, each screen once as it is first shown, the
 * listing opened, its QR code's time on screen, the attract loop's codes and the filters. */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "feed/feed.h"
#include "feed/model.h"
#include "offscreen.h"
#include "testutil.h"
#include "ui/ui.h"
#include "ui/ui_internal.h"
#include "util/timeutil.h"

#define NOW 1795654800 /* 2026-11-26T10:00:00+09:00 */

struct tally {
    int n[UI_COUNT_LARGE_TEXT + 1];
    int screens[UI_SCREEN_KIND_DETAIL + 1];
    char last_id[64];
    char last_title[128];
    char last_name[64];
    char last_category[64];
    int64_t qr_ms;
};

static void sink_count(void *ctx, const struct ui_count_event *e)
{
    struct tally *t = ctx;
    t->n[e->what]++;
    if (e->what == UI_COUNT_SCREEN) {
        t->screens[e->screen]++;
    }
    if (e->id) {
        snprintf(t->last_id, sizeof t->last_id, "%s", e->id);
    }
    if (e->name) {
        snprintf(t->last_name, sizeof t->last_name, "%s", e->name);
    }
    if (e->title) {
        snprintf(t->last_title, sizeof t->last_title, "%s", e->title);
    }
    if (e->category) {
        snprintf(t->last_category, sizeof t->last_category, "%s", e->category);
    }
    if (e->what == UI_COUNT_QR) {
        t->qr_ms += e->ms;
    }
}

static struct model *model_one_event(void)
{
    const char *doc =
        "{\"version\":1,\"generated_at\":\"2026-11-26T09:00:00+09:00\",\"events\":["
        "{\"id\":\"ev\",\"title\":{\"ja\":\"玉川上水の清掃\"},\"start\":\"2026-12-01\","
        "\"signup_url\":\"https://www.city.musashino.lg.jp/form?id=1\"}],\"volunteers\":[],"
        "\"grants\":[{\"id\":\"g1\",\"title\":{\"ja\":\"市民活動チャレンジ補助金\"},"
        "\"deadline\":\"2026-12-20\",\"url\":\"https://example.jp/g1\"}],"
        "\"announcements\":[]}";
    char err[256] = "";
    struct feed *f = feed_parse(doc, strlen(doc), NULL, err, sizeof err);
    CHECK(f);
    struct model *m = f ? model_create("") : NULL;
    if (!m) {
        feed_free(f);
        return NULL;
    }
    model_set_feed(m, f, NOW);
    model_tick(m, NOW);
    return m;
}

static void tap(struct ui *u, int64_t ms)
{
    ui_touch(u, UI_TOUCH_DOWN, 5, 5, ms);
    ui_touch(u, UI_TOUCH_UP, 5, 5, ms + 50);
}

static void a_scripted_visit_counts_each_thing_once(void)
{
    struct offscreen os;
    struct gfx *g = offscreen_open_surface(&os, 1920, 1080, &offscreen_fonts) == 0 ? os.gfx : NULL;
    struct model *m = g ? model_one_event() : NULL;
    struct ui_options o = {"武蔵野プレイス", "Musashino Place", 60, 8, 86400};
    struct ui *u = m ? ui_create(g, m, &o, 0) : NULL;
    struct tally t;

    memset(&t, 0, sizeof t);
    CHECK(u);
    if (!u) {
        goto out;
    }
    ui_set_counter_sink(u, &(struct ui_counter_sink){sink_count, &t});
    ui_set_size(u, 1920, 1080);
    ui_draw(u, 0);
    CHECK(t.n[UI_COUNT_SCREEN] == 0); /* nobody has touched it yet */

    tap(u, 1000);
    CHECK(t.n[UI_COUNT_SESSION] == 1);
    CHECK(t.screens[UI_SCREEN_HOME] == 1); /* seen before the touch: counted at it */
    ui_draw(u, 1100);
    CHECK(t.screens[UI_SCREEN_HOME] == 1);
    tap(u, 1500); /* a second touch is the same visitor */
    CHECK(t.n[UI_COUNT_SESSION] == 1);

    CHECK(ui_open_detail(u, "ev", 2000) == 0);
    ui_draw(u, 2000);
    ui_draw(u, 3000); /* redrawn, not reopened */
    CHECK(t.screens[UI_SCREEN_DETAIL] == 1);
    CHECK(t.n[UI_COUNT_LISTING] == 1);
    CHECK(strcmp(t.last_id, "ev") == 0);
    CHECK(strcmp(t.last_title, "玉川上水の清掃") == 0);
    CHECK(t.n[UI_COUNT_QR] == 0); /* still on screen */

    ui_go_home(u, 5500);
    ui_draw(u, 5500);
    CHECK(t.n[UI_COUNT_QR] == 1);
    CHECK(t.qr_ms == 3500);
    CHECK(t.screens[UI_SCREEN_HOME] == 2);

    /* a grant's detail is a listing opened too, its kind in the category's place */
    CHECK(ui_open_kind_detail(u, FEED_EXTRA_GRANT, "g1", 5600) == 0);
    ui_draw(u, 5600);
    CHECK(t.n[UI_COUNT_LISTING] == 2);
    CHECK(strcmp(t.last_id, "g1") == 0);
    CHECK(strcmp(t.last_title, "市民活動チャレンジ補助金") == 0);
    CHECK(strcmp(t.last_category, "grants") == 0);
    CHECK(t.screens[UI_SCREEN_KIND_DETAIL] == 1);
    ui_go_home(u, 6600);
    ui_draw(u, 6600);
    CHECK(t.n[UI_COUNT_QR] == 2);
    CHECK(t.qr_ms == 3500 + 1000);

    /* the idle timeout ends the session; the attract loop shows ev's code once a step */
    CHECK(ui_update(u, 6600 + 60000));
    CHECK(ui_in_attract(u));
    ui_draw(u, 6600 + 60000);
    ui_draw(u, 6600 + 61000);
    CHECK(t.n[UI_COUNT_ATTRACT_QR] == 1);
    ui_update(u, 6600 + 60000 + 8000);
    ui_draw(u, 6600 + 60000 + 8000);
    CHECK(t.n[UI_COUNT_ATTRACT_QR] == 2);
    CHECK(t.screens[UI_SCREEN_HOME] == 3);

    ui_count_language(u, "en"); /* between sessions: nobody chose it */
    CHECK(t.n[UI_COUNT_LANGUAGE] == 0);
    tap(u, 80000); /* wakes the kiosk: a new visitor */
    CHECK(t.n[UI_COUNT_SESSION] == 2);
    ui_draw(u, 80100);
    CHECK(t.screens[UI_SCREEN_HOME] == 4);
    ui_count_language(u, "en");
    ui_count_large_text(u);
    CHECK(t.n[UI_COUNT_LANGUAGE] == 1 && strcmp(t.last_name, "en") == 0);
    CHECK(t.n[UI_COUNT_LARGE_TEXT] == 1);
out:
    ui_free(u);
    model_free(m);
    offscreen_close(&os);
}

int main(void)
{
    timeutil_set_zone("Asia/Tokyo");
    RUN(a_scripted_visit_counts_each_thing_once);
    TEST_MAIN_END();
}
