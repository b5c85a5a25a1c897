/* test_ui_kinds: the civic-activity screens as a visitor reads them.
 *
 * Renders the real ui (software renderer, 1920x1080) from a feed with one grant, desk,
 * room and group at 2026-11-26 10:00 (a Thursday) and reads the text drawn: a home tile
 * only for a kind with entries, the days left to a grant's deadline, a desk open now with
 * its phone, a room's grid of slots and its facts a page down, the groups filtered by
 * 会員募集中. */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "feed/feed.h"
#include "feed/model.h"
#include "gfx/gfx.h"
#include "offscreen.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define NOW 1795654800 /* 2026-11-26T10:00:00+09:00 */
#define W 1920
#define H 1080

static const char *KINDS =
    ",\"grants\":[{\"id\":\"g1\",\"title\":{\"ja\":\"市民活動チャレンジ補助金\"},"
    "\"amount\":{\"ja\":\"上限10万円\"},\"deadline\":\"2026-11-29\","
    "\"url\":\"https://example.jp/g1\"},"
    "{\"id\":\"g-past\",\"title\":{\"ja\":\"締切済みの助成\"},\"deadline\":\"2026-11-20\"}],"
    "\"desks\":[{\"id\":\"d1\",\"name\":{\"ja\":\"市民活動相談\"},\"phone\":\"0422-00-1910\","
    "\"hours\":[{\"days\":[\"thu\"],\"open\":\"09:30\",\"close\":\"17:00\"}]}],"
    "\"rooms\":[{\"id\":\"r1\",\"facility\":{\"ja\":\"武蔵野プレイス\"},"
    "\"name\":{\"ja\":\"会議室\"},\"capacity\":12,\"slots\":["
    "{\"start\":\"2026-11-26T13:00:00+09:00\",\"end\":\"2026-11-26T17:00:00+09:00\","
    "\"state\":\"free\"}]}],"
    "\"groups\":[{\"id\":\"c1\",\"name\":{\"ja\":\"玉川上水の会\"},\"recruiting\":true},"
    "{\"id\":\"c2\",\"name\":{\"ja\":\"防災の会\"}}]";

struct screen {
    struct offscreen os;
    struct model *m;
    struct ui *u;
};

static int screen_open(struct screen *s, bool with_kinds)
{
    char doc[4096], err[256];
    memset(s, 0, sizeof *s);
    snprintf(doc, sizeof doc,
             "{\"version\":1,\"generated_at\":\"2026-11-26T09:00:00+09:00\",\"events\":[],"
             "\"volunteers\":[]%s}",
             with_kinds ? KINDS : "");
    struct feed *f = feed_parse(doc, strlen(doc), NULL, err, sizeof err);
    struct ui_options o = {"武蔵野プレイス", "Musashino Place", 120, 8, 86400};
    if (!f || offscreen_open_surface(&s->os, W, H, &offscreen_fonts) != 0) {
        fprintf(stderr, "  setup failed: %s\n", err);
        feed_free(f);
        return -1;
    }
    s->m = model_create("");
    if (!s->m) {
        feed_free(f);
        return -1;
    }
    model_set_feed(s->m, f, NOW);
    model_tick(s->m, NOW);
    s->u = ui_create(s->os.gfx, s->m, &o, 0);
    if (!s->u) {
        return -1;
    }
    ui_set_size(s->u, W, H);
    return 0;
}

static void screen_close(struct screen *s)
{
    ui_free(s->u);
    model_free(s->m);
    offscreen_close(&s->os);
}

/* Every text line of a frame, joined without spaces or breaks (lines wrap anywhere). */
static char *drawn(struct screen *s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/shot.txt", s->os.tmpdir);
    ui_draw(s->u, 0);
    if (gfx_write_text_listing(s->os.gfx, path) != 0) {
        return NULL;
    }
    FILE *f = fopen(path, "r");
    char *out = calloc(1, 1 << 16);
    size_t n = 0;
    bool in_text = false;
    int c;
    while (f && out && (c = fgetc(f)) != EOF && n + 1 < (1 << 16)) {
        if (c == '\t' || c == '\n') {
            in_text = c == '\t';
        } else if (in_text && c != ' ') {
            out[n++] = (char)c;
        }
    }
    if (f) {
        fclose(f);
    }
    return out;
}

static bool shows(struct screen *s, const char *what)
{
    char *t = drawn(s);
    bool yes = t && strstr(t, what);
    if (!yes) {
        fprintf(stderr, "  no '%s' in: %.300s\n", what, t ? t : "(nothing)");
    }
    free(t);
    return yes;
}

static void home_shows_a_tile_only_for_kinds_with_entries(void)
{
    struct screen s;
    if (screen_open(&s, true) == 0) {
        ui_go_home(s.u, 0);
        CHECK(shows(&s, "補助金・助成金"));
        CHECK(shows(&s, "市民活動団体"));
    }
    screen_close(&s);
    if (screen_open(&s, false) == 0) {
        ui_go_home(s.u, 0);
        char *t = drawn(&s);
        CHECK(t && !strstr(t, "補助金・助成金") && !strstr(t, "相談窓口"));
        free(t);
    }
    screen_close(&s);
}

static void grants_count_the_days_left_and_hide_past_ones(void)
{
    struct screen s;
    if (screen_open(&s, true) == 0) {
        ui_open_kind(s.u, FEED_EXTRA_GRANT, NULL, false, 0);
        CHECK(shows(&s, "締切まであと3日"));
        CHECK(shows(&s, "市民活動チャレンジ補助金"));
        char *t = drawn(&s);
        CHECK(t && !strstr(t, "締切済みの助成"));
        free(t);
        CHECK(strcmp(ui_describe(s.u), "list-grants") == 0);
        /* Chinese counts days left in 天, not the 日 of a date */
        CHECK(ui_set_language(s.u, "zh-Hans") == 0);
        ui_open_kind(s.u, FEED_EXTRA_GRANT, NULL, false, 0);
        CHECK(shows(&s, "距截止还有3天"));
        CHECK(ui_set_language(s.u, "ja") == 0);
    }
    screen_close(&s);
}

static void a_desk_open_now_says_so_with_its_phone(void)
{
    struct screen s;
    if (screen_open(&s, true) == 0) {
        CHECK(ui_open_kind_detail(s.u, FEED_EXTRA_DESK, "d1", 0) == 0);
        CHECK(shows(&s, "受付中"));
        CHECK(shows(&s, "17:00まで"));
        CHECK(shows(&s, "0422-00-1910"));
        CHECK(strcmp(ui_describe(s.u), "desk-d1") == 0);
        CHECK(ui_open_kind_detail(s.u, FEED_EXTRA_DESK, "nope", 0) != 0);
    }
    screen_close(&s);
}

static void a_room_shows_its_slots_then_its_facts_a_page_down(void)
{
    struct screen s;
    if (screen_open(&s, true) == 0) {
        CHECK(ui_open_kind_detail(s.u, FEED_EXTRA_ROOM, "r1", 0) == 0);
        CHECK(shows(&s, "○13:00〜"));
        CHECK(shows(&s, "きょう"));
        ui_scroll_pages(s.u, 1);
        CHECK(shows(&s, "定員12名"));
        ui_scroll_pages(s.u, -1);
        CHECK(shows(&s, "○13:00〜"));
    }
    screen_close(&s);
}

static void groups_filter_by_recruiting(void)
{
    struct screen s;
    if (screen_open(&s, true) == 0) {
        ui_open_kind(s.u, FEED_EXTRA_GROUP, NULL, false, 0);
        CHECK(shows(&s, "防災の会"));
        ui_open_kind(s.u, FEED_EXTRA_GROUP, NULL, true, 0);
        char *t = drawn(&s);
        CHECK(t && strstr(t, "玉川上水の会") && !strstr(t, "防災の会"));
        free(t);
    }
    screen_close(&s);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(home_shows_a_tile_only_for_kinds_with_entries);
    RUN(grants_count_the_days_left_and_hide_past_ones);
    RUN(a_desk_open_now_says_so_with_its_phone);
    RUN(a_room_shows_its_slots_then_its_facts_a_page_down);
    RUN(groups_filter_by_recruiting);
    TEST_MAIN_END();
}
