/* test_ui_announce: every announcement text the validator accepts takes room on every
 * screen that shows announcements, and an entry that draws nothing never hides the next.
 *
 * Issue 17: the emergency screen measured a blank newest entry at 0 px and stopped, so an
 * older 「火災が発生しました」 vanished. The validator now refuses texts with nothing
 * visible, but the fonts decide what draws: a text made only of glyphs neither font has
 * (a new emoji, a flag) must still draw (as 〓), and the screens must skip, never stop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <cjson/cJSON.h>

#include "feed/announce.h"
#include "feed/model.h"
#include "gfx/gfx.h"
#include "offscreen.h"
#include "testutil.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/timeutil.h"

#define NOW INT64_C(1796004000) /* 2026-11-30T11:00:00+09:00 */
#define REAL "火災が発生しました"

static struct gfx *g;
static struct model *m;
static struct ui *u;

/* Texts the validator accepts that are hard to draw: spaces around, invisible characters
 * beside, combining marks, and glyphs no font has (emoji, flags, private use beside them). */
static const char *const hard[] = {
    "火",
    "\xE3\x80\x80\xE7\x81\xAB\xE3\x80\x80",     /* 　火　 */
    "a\xCC\x81",                                /* a + combining acute */
    "\xF0\x9F\xA6\xA9",                         /* 🦩 */
    "\xE2\x80\x8B\xF0\x9F\xA6\xA9\xE2\x80\x8B", /* ZWSP 🦩 ZWSP */
    "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5",         /* 🇯🇵 */
    "\xEE\x80\x80\xF0\x9F\xAB\xA8",             /* PUA + 🫨 */
    "\xE2\xA0\x81",                             /* Braille dot 1 */
    "\xF0\x9F\x94\xA5\n\xF0\x9F\x94\xA5",       /* two lines of 🔥 */
};

/* An announcement parsed by the admin API's own rules; NULL when they refuse it. */
static struct ann_list *one(const char *id, const char *text, const char *level)
{
    struct ann_list *l = ann_list_create();
    struct feed_announcement a;
    char err[256];
    cJSON *o = cJSON_CreateObject(), *t = cJSON_AddObjectToObject(o, "text");
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(t, "ja", text);
    cJSON_AddStringToObject(o, "level", level);
    cJSON_AddStringToObject(o, "ends_at", "2026-12-01T00:00:00+09:00");
    int rc = ann_from_json(o, NOW - 60, &a, err, sizeof err);
    cJSON_Delete(o);
    if (rc != 0) {
        fprintf(stderr, "  refused: %s\n", err);
        ann_list_free(l);
        return NULL;
    }
    ann_list_put(l, &a);
    ann_clear(&a);
    return l;
}

static void set_active(struct ann_list *l)
{
    ann_list_free(m->active);
    m->active = l ? l : ann_list_create();
    m->generation++;
}

/* Text rows drawn by one frame of the current screen. */
static size_t rows(char **listing)
{
    size_t len = 0, n = 0;
    ui_update(u, 0);
    ui_draw(u, 0);
    char *s = gfx_text_listing(g, &len);
    for (size_t i = 0; s && i < len; i++) {
        n += s[i] == '\n';
    }
    if (listing) {
        *listing = s;
    } else {
        free(s);
    }
    return n;
}

typedef void (*go_fn)(void);
static void go_home(void)
{
    ui_go_home(u, 0);
}
static void go_list(void)
{
    ui_open_list(u, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, 0);
}
static void go_anns(void)
{
    ui_open_announcements(u, 0);
}

static void every_accepted_text_takes_room_on_every_screen(void)
{
    static const go_fn screens[] = {go_home, go_list, go_anns};
    static const char *const levels[] = {"normal", "important"};
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++) {
        for (size_t lv = 0; lv < 2; lv++) {
            struct ann_list *l = one("hard", hard[i], levels[lv]);
            CHECK(l);
            for (size_t s = 0; l && s < sizeof screens / sizeof screens[0]; s++) {
                set_active(NULL);
                screens[s]();
                size_t without = rows(NULL);
                set_active(ann_list_create());
                ann_list_put(m->active, ann_list_at(l, 0));
                size_t with = rows(NULL);
                CHECK(with > without);
                if (with <= without) {
                    fprintf(stderr, "  text %zu, %s, screen %zu: %zu rows, %zu without\n", i,
                            levels[lv], s, with, without);
                }
            }
            ann_list_free(l);
        }
    }
}

static void an_emergency_that_draws_nothing_never_hides_an_older_one(void)
{
    /* Built by hand, past the validator: what an older store or a future bug could hold. */
    static const char *const blank[] = {"\xE3\x80\x80", " ", "\n"};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        struct ann_list *l = ann_list_create();
        struct feed_announcement a;
        memset(&a, 0, sizeof a);
        a.id = "blank";
        a.text.ja = blank[i];
        a.level = ANN_LEVEL_EMERGENCY;
        a.until_cleared = true;
        a.starts_at = NOW - 10;
        ann_list_put(l, &a);
        a.id = "fire";
        a.text.ja = REAL;
        a.starts_at = NOW - 600;
        ann_list_put(l, &a);
        set_active(l);
        ui_go_home(u, 0);
        char *listing = NULL;
        rows(&listing);
        CHECK(listing && strstr(listing, REAL));
        free(listing);
    }
}

static void a_hard_newest_emergency_draws_and_the_older_one_too(void)
{
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++) {
        struct ann_list *l = one("hard", hard[i], "emergency");
        struct ann_list *fire = one("fire", REAL, "emergency");
        CHECK(l && fire);
        if (!l || !fire) {
            ann_list_free(l);
            ann_list_free(fire);
            continue;
        }
        set_active(fire);
        size_t alone = rows(NULL);
        ann_list_put(m->active, ann_list_at(l, 0));
        char *listing = NULL;
        size_t both = rows(&listing);
        CHECK(both > alone && listing && strstr(listing, REAL));
        if (both <= alone) {
            fprintf(stderr, "  text %zu: %zu rows, %zu with the fire alone\n", i, both, alone);
        }
        free(listing);
        ann_list_free(l);
    }
}

/* An announcement in Japanese and Simplified Chinese only, by the admin API's rules. */
static struct ann_list *ja_zh(const char *level)
{
    struct ann_list *l = ann_list_create();
    struct feed_announcement a;
    char err[256];
    cJSON *o = cJSON_CreateObject(), *t = cJSON_AddObjectToObject(o, "text");
    cJSON_AddStringToObject(o, "id", "wifi");
    cJSON_AddStringToObject(t, "ja", "館内Wi-Fiの工事のため、つながりにくくなります");
    cJSON_AddStringToObject(t, "zh-Hans", "因馆内Wi-Fi施工，网络可能难以连接");
    cJSON_AddStringToObject(o, "level", level);
    if (strcmp(level, "emergency") == 0) {
        cJSON_AddTrueToObject(o, "until_cleared");
    } else {
        cJSON_AddStringToObject(o, "ends_at", "2026-12-01T00:00:00+09:00");
    }
    int rc = ann_from_json(o, NOW - 60, &a, err, sizeof err);
    cJSON_Delete(o);
    CHECK(rc == 0);
    if (rc == 0) {
        ann_list_put(l, &a);
        ann_clear(&a);
    }
    return l;
}

static void a_notice_in_chinese_shows_on_a_chinese_screen_and_is_marked_on_a_korean_one(void)
{
    static const go_fn screens[] = {go_home, go_list, go_anns};
    static const char *const names[] = {"home", "list", "announcements"};
    static const char *const levels[] = {"normal", "important", "emergency"};
    for (size_t lv = 0; lv < sizeof levels / sizeof levels[0]; lv++) {
        for (size_t s = 0; s < sizeof screens / sizeof screens[0]; s++) {
            /* a list's bands show one normal notice beside an important one: the normal
             * one alone is on home and the announcements screen; emergencies on their own
             * screen, whatever was open */
            struct {
                const char *tag, *want, *marker;
                bool marked;
            } langs[] = {
                {"zh-Hans", "因馆内Wi-Fi施工", "仅有日语", false},
                {"ko", "館内Wi-Fiの工事", "일본어만", true},
                {"ja", "館内Wi-Fiの工事", "日本語のみ", false},
            };
            for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
                char *listing = NULL;
                set_active(ja_zh(levels[lv]));
                screens[s]();
                CHECK(ui_set_language(u, langs[i].tag) == 0);
                rows(&listing);
                bool shown = listing && strstr(listing, langs[i].want);
                bool marked = listing && strstr(listing, langs[i].marker);
                CHECK(shown);
                CHECK(marked == langs[i].marked);
                if (!shown || marked != langs[i].marked) {
                    fprintf(stderr, "  %s on %s in %s: shown %d, marked %d\n%s\n", levels[lv],
                            names[s], langs[i].tag, shown, marked, listing ? listing : "");
                }
                free(listing);
            }
        }
    }
    ui_set_language(u, "ja");
    set_active(NULL);
}

int main(void)
{
    struct offscreen os;
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    if (offscreen_open_surface(&os, 1920, 1080, &offscreen_fonts) != 0) {
        offscreen_close(&os);
        return 1;
    }
    g = os.gfx;
    m = model_create(NULL);
    struct ui_options o = {"武蔵野プレイス", "Musashino Place", 90, 8, 86400};
    u = m ? ui_create(g, m, &o, 0) : NULL;
    if (!u) {
        fprintf(stderr, "set-up failed\n");
        model_free(m);
        offscreen_close(&os);
        return 1;
    }
    ui_set_size(u, 1920, 1080);
    model_tick(m, NOW);
    RUN(every_accepted_text_takes_room_on_every_screen);
    RUN(an_emergency_that_draws_nothing_never_hides_an_older_one);
    RUN(a_hard_newest_emergency_draws_and_the_older_one_too);
    RUN(a_notice_in_chinese_shows_on_a_chinese_screen_and_is_marked_on_a_korean_one);
    ui_free(u);
    model_free(m);
    offscreen_close(&os);
    TEST_MAIN_END();
}
