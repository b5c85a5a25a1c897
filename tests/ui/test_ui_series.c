/* test_ui_series: a series of dates and an all-day remark, as a visitor reads them.
 *
 * Renders the real ui (software renderer, landscape and portrait) for a weekly Saturday
 * class with one moved date and an all-day market whose time is a remark, and reads the
 * text listing: the list card and the detail heading show the NEXT date at the clock, the
 * detail lists the coming dates (five and "ほか N回" when there are more) with the moved one
 * marked, and the remark stands where the time would be. */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "feed/feed.h"
#include "feed/model.h"
#include "gfx/gfx.h"
#include "offscreen.h"
#include "ui/ui.h"
#include "util/timeutil.h"
#include "testutil.h"

/* A half-hour class at 10:30 on nine Saturdays, the third moved to 14:00, and a market. */
static const char *DOC =
    "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','events':["
    "{'id':'sat','title':{'ja':'土曜の絵本の会'},'dates':["
    "{'start':'2026-11-28T10:30:00+09:00','end':'2026-11-28T11:00:00+09:00'},"
    "{'start':'2026-12-05T10:30:00+09:00','end':'2026-12-05T11:00:00+09:00'},"
    "{'start':'2026-12-12T14:00:00+09:00','end':'2026-12-12T14:30:00+09:00','changed':true},"
    "{'start':'2026-12-19T10:30:00+09:00','end':'2026-12-19T11:00:00+09:00'},"
    "{'start':'2026-12-26T10:30:00+09:00','end':'2026-12-26T11:00:00+09:00'},"
    "{'start':'2027-01-09T10:30:00+09:00','end':'2027-01-09T11:00:00+09:00'},"
    "{'start':'2027-01-16T10:30:00+09:00','end':'2027-01-16T11:00:00+09:00'},"
    "{'start':'2027-01-23T10:30:00+09:00','end':'2027-01-23T11:00:00+09:00'},"
    "{'start':'2027-01-30T10:30:00+09:00','end':'2027-01-30T11:00:00+09:00'}]},"
    "{'id':'market','title':{'ja':'境南ふれあい朝市'},'start':'2026-11-27',"
    "'time_note':{'ja':'7時から売り切れまで'}}],'volunteers':[]}";

static char *tmpdir;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return NULL;
    }
    char *buf = calloc(1, 1 << 16);
    if (buf) {
        size_t n = fread(buf, 1, (1 << 16) - 1, f);
        buf[n] = '\0';
    }
    fclose(f);
    return buf;
}

/* The text of the detail of `id` (every page of it) or, with id NULL, of the events list,
 * at clock `now`, w x h. The caller frees it; NULL on failure. */
static char *screen_text(const char *id, int64_t now, int w, int h)
{
    char *all = NULL;
    char txt[512];
    char err[256] = "";
    struct offscreen os;
    struct gfx *g = offscreen_open_surface(&os, w, h, &offscreen_fonts) == 0 ? os.gfx : NULL;
    char *doc = strdup(DOC);
    for (char *p = doc; p && *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    struct feed *f = g && doc ? feed_parse(doc, strlen(doc), NULL, err, sizeof err) : NULL;
    free(doc);
    struct model *m = f ? model_create("") : NULL;
    struct ui *u = NULL;

    if (f && feed_drop_count(f) != 0) {
        fprintf(stderr, "  %zu items dropped\n", feed_drop_count(f));
    }
    if (!m) {
        fprintf(stderr, "  setup failed: %s\n", err);
        feed_free(f);
        goto out;
    }
    model_set_feed(m, f, now);
    model_tick(m, now);
    struct ui_options o = {"武蔵野プレイス", "Musashino Place", 120, 8, 86400};
    u = ui_create(g, m, &o, 0);
    if (!u) {
        goto out;
    }
    ui_set_size(u, w, h);
    if (id) {
        if (ui_open_detail(u, id, 0) != 0) {
            goto out;
        }
    } else {
        ui_open_list(u, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, 0);
    }
    all = calloc(1, 1 << 18);
    if (!all) {
        goto out;
    }
    for (int page = 0; page < 3; page++) {
        ui_draw(u, 0);
        snprintf(txt, sizeof txt, "%s/shot.txt", tmpdir);
        char *t = gfx_write_text_listing(g, txt) == 0 ? slurp(txt) : NULL;
        if (t && strlen(all) + strlen(t) < (1 << 18)) {
            strcat(all, t);
        }
        free(t);
        ui_scroll_pages(u, 1);
    }
out:
    ui_free(u);
    model_free(m);
    offscreen_close(&os);
    CHECK(all);
    return all;
}

/* The listing's text as one string without geometry, line breaks or spaces: a line may
 * wrap anywhere and drop its spaces there. The caller frees. */
static char *flat(const char *listing)
{
    size_t n = listing ? strlen(listing) : 0;
    char *out = malloc(n + 1), *o = out;
    bool in_text = false;
    if (!out) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char c = listing[i];
        if (c == '\t' || c == '\n') {
            in_text = c == '\t';
        } else if (in_text && c != ' ') {
            *o++ = c;
        }
    }
    *o = '\0';
    return out;
}

static bool has(const char *text, const char *s)
{
    char *ft = flat(text), *fs = strdup(s), *o = fs;
    bool found = false;
    for (const char *p = s; fs && *p; p++) {
        if (*p != ' ') {
            *o++ = *p;
        }
    }
    if (fs) {
        *o = '\0';
    }
    found = (text && strstr(text, s)) || (ft && fs && strstr(ft, fs));
    free(ft);
    free(fs);
    if (found) {
        return true;
    }
    fprintf(stderr, "  missing \"%s\"\n", s);
    return false;
}

static int64_t at(const char *iso)
{
    int64_t t = 0;
    CHECK(timeutil_parse_iso8601(iso, &t, NULL) == 0);
    return t;
}

static void the_detail_lists_five_coming_dates_and_how_many_more(void)
{
    for (int portrait = 0; portrait < 2; portrait++) {
        char *t = screen_text("sat", at("2026-11-26T10:00:00+09:00"), portrait ? 1080 : 1920,
                              portrait ? 1920 : 1080);
        CHECK(has(t, "日程"));
        CHECK(has(t, "11月28日(土) 10:30〜11:00"));
        CHECK(has(t, "12月5日(土) 10:30〜11:00"));
        CHECK(has(t, "12月19日(土) 10:30〜11:00"));
        CHECK(has(t, "12月26日(土) 10:30〜11:00"));
        CHECK(has(t, "ほか4回"));
        CHECK(!strstr(t ? t : "", "1月9日(土)"));
        free(t);
    }
}

static void a_moved_time_is_marked_beside_its_date(void)
{
    char *t = screen_text("sat", at("2026-11-26T10:00:00+09:00"), 1920, 1080);
    CHECK(has(t, "12月12日(土) 14:00〜14:30 【時間変更】"));
    free(t);
}

static void the_heading_and_the_list_show_the_next_date(void)
{
    /* Sunday 6 December: two dates are over, the moved one is next */
    int64_t now = at("2026-12-06T09:00:00+09:00");
    char *t = screen_text("sat", now, 1920, 1080);
    CHECK(has(t, "12月12日"));
    CHECK(!strstr(t ? t : "", "11月28日"));
    CHECK(!strstr(t ? t : "", "12月5日"));
    /* six coming from the 12th: five and one more */
    CHECK(has(t, "1月9日(土) 10:30〜11:00"));
    CHECK(has(t, "ほか2回"));
    free(t);
    /* the list: under the heading of the next date's day, with the moved time */
    t = screen_text(NULL, now, 1920, 1080);
    CHECK(has(t, "12月12日(土)"));
    CHECK(has(t, "14:00〜14:30"));
    CHECK(!strstr(t ? t : "", "11月28日"));
    free(t);
}

static void an_all_day_remark_stands_where_the_time_would_be(void)
{
    int64_t now = at("2026-11-26T10:00:00+09:00");
    char *t = screen_text("market", now, 1920, 1080);
    CHECK(has(t, "11月27日(金) 7時から売り切れまで"));
    CHECK(!strstr(t ? t : "", "終日"));
    free(t);
    t = screen_text(NULL, now, 1920, 1080);
    if (t && !strstr(t, "7時から")) {
        fputs(t, stderr);
    }
    CHECK(has(t, "7時から"));
    CHECK(!strstr(t ? t : "", "終日"));
    free(t);
}

int main(void)
{
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        fprintf(stderr, "no Asia/Tokyo zone\n");
    }
    tmpdir = testutil_tempdir();
    if (!tmpdir) {
        return 1;
    }
    RUN(the_detail_lists_five_coming_dates_and_how_many_more);
    RUN(a_moved_time_is_marked_beside_its_date);
    RUN(the_heading_and_the_list_show_the_next_date);
    RUN(an_all_day_remark_stands_where_the_time_would_be);
    testutil_rmtree(tmpdir);
    free(tmpdir);
    SDL_Quit();
    TEST_MAIN_END();
}
