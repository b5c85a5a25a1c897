/* test_ui_reading: the reading aids of issue 12 through the ui's own clock — large text and
 * its reset, the idle warning 20 s before home (WCAG 2.2.1), and the attract loop's pause
 * control and pause while touched (WCAG 2.2.2). Headless, on the offscreen driver. */
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

static struct offscreen os;
static struct model *m;
static struct ui *u;
static int large_counted;

static void sink_count(void *ctx, const struct ui_count_event *e)
{
    (void)ctx;
    large_counted += e->what == UI_COUNT_LARGE_TEXT;
}

static bool setup(void)
{
    const char *doc =
        "{\"version\":1,\"generated_at\":\"2026-11-26T09:00:00+09:00\",\"events\":["
        "{\"id\":\"a\",\"title\":{\"ja\":\"玉川上水の清掃\"},\"start\":\"2026-12-01\","
        "\"signup_url\":\"https://www.city.musashino.lg.jp/form?id=1\"},"
        "{\"id\":\"b\",\"title\":{\"ja\":\"点字体験講座\"},\"start\":\"2026-12-02\","
        "\"signup_url\":\"https://www.city.musashino.lg.jp/form?id=2\"}],\"volunteers\":[],"
        "\"announcements\":[]}";
    struct ui_options o = {"武蔵野プレイス", "Musashino Place", 60, 8, 86400};
    struct feed *f = feed_parse(doc, strlen(doc), NULL, NULL, 0);
    struct gfx *g = offscreen_open_surface(&os, 1920, 1080, &offscreen_fonts) == 0 ? os.gfx : NULL;
    m = f && g ? model_create("") : NULL;
    if (!m) {
        feed_free(f);
        return false;
    }
    model_set_feed(m, f, NOW);
    model_tick(m, NOW);
    u = ui_create(g, m, &o, 0);
    if (u) {
        ui_set_counter_sink(u, &(struct ui_counter_sink){sink_count, NULL});
        ui_set_size(u, 1920, 1080);
    }
    return u;
}

static void teardown(void)
{
    ui_free(u);
    model_free(m);
    offscreen_close(&os);
    u = NULL;
    m = NULL;
}

static void tap_at(int x, int y, int64_t ms)
{
    ui_touch(u, UI_TOUCH_DOWN, x, y, ms);
    ui_touch(u, UI_TOUCH_UP, x, y, ms + 50);
}

/* Taps the centre of the last frame's target for `act`; false when there is none. */
static bool tap_target(enum ui_action act, int64_t ms)
{
    for (int i = 0; i < u->n_hits; i++) {
        if (u->hits[i].act == act) {
            SDL_Rect r = u->hits[i].r;
            tap_at(r.x + r.w / 2, r.y + r.h / 2, ms);
            return true;
        }
    }
    return false;
}

static void the_header_button_makes_every_size_larger_and_idle_resets_it(void)
{
    if (!setup()) {
        CHECK(false);
        return;
    }
    ui_draw(u, 0);
    int body = u->mt.f_body, row = u->mt.f_title;
    CHECK(tap_target(UI_ACT_LARGE_TEXT, 1000));
    CHECK(ui_large_text(u) && large_counted == 1);
    CHECK(u->mt.f_body * 10 >= body * 13 && u->mt.f_title * 10 >= row * 13);
    ui_open_list(u, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, 2000);
    CHECK(ui_large_text(u)); /* the session keeps it */
    ui_draw(u, 2000);
    CHECK(strcmp(ui_describe(u), "list-events+large") == 0);
    /* the button is on every screen, and turns it off again */
    CHECK(tap_target(UI_ACT_LARGE_TEXT, 3000));
    CHECK(!ui_large_text(u) && u->mt.f_body == body);
    ui_set_large_text(u, true);
    ui_update(u, 3100 + 60000);
    CHECK(ui_in_attract(u) && !ui_large_text(u) && u->mt.f_body == body);
    teardown();
}

static void the_idle_warning_comes_20_s_before_home_and_one_touch_keeps_the_session(void)
{
    if (!setup()) {
        CHECK(false);
        return;
    }
    ui_draw(u, 0);
    tap_at(5, 5, 1000);
    ui_open_list(u, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, 1000);
    ui_update(u, 1050 + 39000);
    CHECK(!ui_idle_warning_shown(u));
    CHECK(ui_next_deadline(u, 1050 + 39000) <= 1000);
    CHECK(ui_update(u, 1050 + 40000) && ui_idle_warning_shown(u));
    ui_draw(u, 1050 + 40000);
    CHECK(strcmp(ui_describe(u), "idle-warning") == 0);
    /* a countdown: the next frame within a second, never a spin */
    int64_t d = ui_next_deadline(u, 1050 + 40000);
    CHECK(d > 0 && d <= 1000);
    CHECK(ui_update(u, 1050 + 41000));
    tap_at(960, 540, 1050 + 45000);
    CHECK(!ui_idle_warning_shown(u) && !ui_in_attract(u));
    CHECK(ui_current_screen(u) == UI_SCREEN_LIST); /* the touch only answered */
    ui_update(u, 1100 + 45000 + 40000);
    CHECK(ui_idle_warning_shown(u));
    ui_update(u, 1100 + 45000 + 60000);
    CHECK(ui_in_attract(u) && !ui_idle_warning_shown(u));
    teardown();
}

static void nobody_is_asked_when_nobody_touched(void)
{
    if (!setup()) {
        CHECK(false);
        return;
    }
    ui_update(u, 45000);
    ui_draw(u, 45000);
    CHECK(!ui_idle_warning_shown(u));
    CHECK(ui_next_deadline(u, 45000) == 15000);
    ui_update(u, 60000);
    CHECK(ui_in_attract(u));
    teardown();
}

static void the_attract_loop_stops_with_its_control_and_at_a_touch(void)
{
    if (!setup()) {
        CHECK(false);
        return;
    }
    ui_start_attract(u, 0);
    ui_draw(u, 0);
    size_t step = u->attract_step;
    CHECK(tap_target(UI_ACT_ATTRACT_PAUSE, 1000));
    CHECK(ui_in_attract(u)); /* the control does not wake the kiosk */
    ui_update(u, 1000 + 8000 * 3);
    CHECK(u->attract_step == step);
    ui_draw(u, 30000);
    CHECK(tap_target(UI_ACT_ATTRACT_PAUSE, 30000));
    ui_update(u, 30050 + 8000);
    CHECK(u->attract_step == step + 1);
    /* a touch anywhere else stops the turning at once: it wakes the kiosk */
    ui_draw(u, 40000);
    ui_touch(u, UI_TOUCH_DOWN, 5, 5, 40000);
    CHECK(!ui_in_attract(u));
    teardown();
}

int main(void)
{
    timeutil_set_zone("Asia/Tokyo");
    RUN(the_header_button_makes_every_size_larger_and_idle_resets_it);
    RUN(the_idle_warning_comes_20_s_before_home_and_one_touch_keeps_the_session);
    RUN(nobody_is_asked_when_nobody_touched);
    RUN(the_attract_loop_stops_with_its_control_and_at_a_touch);
    TEST_MAIN_END();
}
