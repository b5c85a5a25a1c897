/* shots: `kiosk --screenshot DIR` renders every screen and state, in landscape and
 * portrait, to DIR/NAME.png with DIR/NAME.txt beside it listing every text line drawn
 * ("x y w h lang fg bg<TAB>text", logical pixels, the line's language and colours) and
 * DIR/NAME.controls listing every touch target ("x y w h action fill edge out"). States the feed
 * may not be in right now (offline, stale, no cache, each announcement level) are staged on the
 * model for one frame and put back, so one run shows them all. Detail screens are named
 * after the listing's id. The main screens are rendered again in every other interface
 * language, suffixed (home-en.png, home-easy-portrait.png…); the whole set five times over
 * would take minutes. KIOSK_SHOTS_LANGS limits those languages (tests/README.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "feed/announce.h"
#include "feed/feed_select.h"
#include "feed/kinds.h"
#include "ui/strings.h"
#include "util/fsio.h"
#include "sys/hours.h"
#include "util/log.h"

struct shots {
    struct app *a;
    const char *dir;
    const char *sfx;  /* "" or "-portrait" */
    const char *mode; /* "" or "-large", before sfx */
    const char *lang; /* "" (Japanese) or "-en", "-easy", "-zh", "-ko" */
    int count, failed;
};

static void shot(struct shots *s, const char *name)
{
    char png[1024], txt[1024];
    /* ids come from the feed: keep file names to a safe alphabet */
    char safe[256];
    size_t k = 0;
    for (const char *p = name; *p != '\0' && k + 1 < sizeof safe; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        safe[k++] = ok ? c : '_';
    }
    safe[k] = '\0';
    snprintf(png, sizeof png, "%s/%s%s%s%s.png", s->dir, safe, s->lang, s->mode, s->sfx);
    snprintf(txt, sizeof txt, "%s/%s%s%s%s.txt", s->dir, safe, s->lang, s->mode, s->sfx);
    ui_update(s->a->ui, app_ms(s->a));
    if (app_draw(s->a, png, txt) != 0) {
        s->failed++;
    } else if (snprintf(txt, sizeof txt, "%s/%s%s%s%s.controls", s->dir, safe, s->lang, s->mode,
                        s->sfx) >= (int)sizeof txt ||
               ui_write_controls(s->a->ui, txt) != 0) {
        LOG_ERROR("shots", "cannot write %s", txt);
        s->failed++;
    } else {
        s->count++;
    }
}

static int64_t ms(struct shots *s)
{
    return app_ms(s->a);
}

static void list_shots(struct shots *s, enum feed_kind kind, const char *base)
{
    struct app *a = s->a;
    const struct feed *f = a->m->feed;
    char name[128];
    ui_open_list(a->ui, kind, FEED_DAY_ALL, NULL, NULL, ms(s));
    shot(s, base);
    ui_open_list(a->ui, kind, FEED_DAY_ALL, NULL, NULL, ms(s));
    ui_update(a->ui, ms(s));
    ui_draw(a->ui, ms(s)); /* lays out the list so a page is known */
    ui_scroll_pages(a->ui, 1);
    snprintf(name, sizeof name, "%s-page2", base);
    shot(s, name);
    if (kind == FEED_KIND_EVENT) {
        ui_open_list(a->ui, kind, FEED_DAY_TODAY, NULL, NULL, ms(s));
        snprintf(name, sizeof name, "%s-today", base);
        shot(s, name);
        ui_open_list(a->ui, kind, FEED_DAY_WEEK, NULL, NULL, ms(s));
        snprintf(name, sizeof name, "%s-week", base);
        shot(s, name);
    }
    if (!f) {
        return;
    }
    /* a category filter that matches something */
    for (size_t i = 0; i < feed_category_count(f); i++) {
        const char *cat = feed_category_at(f, i)->id;
        struct feed_filter flt = {
            .kind = kind, .day = FEED_DAY_ALL, .category = cat, .audience = NULL};
        if (feed_count_current(f, &flt, a->m->now) > 0) {
            ui_open_list(a->ui, kind, FEED_DAY_ALL, cat, NULL, ms(s));
            snprintf(name, sizeof name, "%s-category", base);
            shot(s, name);
            break;
        }
    }
    for (size_t i = 0; i < feed_audience_count(f); i++) {
        const char *aud = feed_audience_at(f, i)->id;
        struct feed_filter flt = {
            .kind = kind, .day = FEED_DAY_MONTH, .category = NULL, .audience = aud};
        if (feed_count_current(f, &flt, a->m->now) > 0) {
            ui_open_list(a->ui, kind, FEED_DAY_MONTH, NULL, aud, ms(s));
            snprintf(name, sizeof name, "%s-month-audience", base);
            shot(s, name);
            break;
        }
    }
}

static void no_results_shot(struct shots *s)
{
    struct app *a = s->a;
    const struct feed *f = a->m->feed;
    if (!f) {
        return;
    }
    for (size_t i = 0; i < feed_category_count(f); i++) {
        const char *cat = feed_category_at(f, i)->id;
        struct feed_filter flt = {
            .kind = FEED_KIND_EVENT, .day = FEED_DAY_TODAY, .category = cat, .audience = NULL};
        if (feed_count_current(f, &flt, a->m->now) == 0) {
            ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_TODAY, cat, NULL, ms(s));
            shot(s, "no-results");
            return;
        }
    }
    LOG_WARN("shots", "every category has events today: no no-results screenshot");
}

/* The longest description first: the detail whose text pages. */
static const struct feed_item *longest(const struct feed *f)
{
    const struct feed_item *best = NULL;
    size_t best_len = 0;
    for (int k = 0; k < 2; k++) {
        enum feed_kind kind = k == 0 ? FEED_KIND_EVENT : FEED_KIND_VOLUNTEER;
        for (size_t i = 0; i < feed_count(f, kind); i++) {
            const struct feed_item *it = feed_item_at(f, kind, i);
            size_t n = it->description.ja ? strlen(it->description.ja) : 0;
            if (n > best_len) {
                best = it;
                best_len = n;
            }
        }
    }
    return best;
}

static void detail_shots(struct shots *s, bool all)
{
    struct app *a = s->a;
    const struct feed *f = a->m->feed;
    char name[256];
    if (!f) {
        return;
    }
    int taken_signup = 0, taken_plain = 0;
    for (int k = 0; k < 2; k++) {
        enum feed_kind kind = k == 0 ? FEED_KIND_EVENT : FEED_KIND_VOLUNTEER;
        int per_kind = 0;
        for (size_t i = 0; i < feed_count(f, kind); i++) {
            const struct feed_item *it = feed_item_at(f, kind, i);
            if (!all) {
                bool has = it->signup_url;
                if ((has && (taken_signup >= 3 || per_kind >= 2)) || (!has && taken_plain >= 1)) {
                    continue;
                }
                if (has) {
                    taken_signup++;
                    per_kind++;
                } else {
                    taken_plain++;
                }
            }
            if (ui_open_detail(a->ui, it->id, ms(s)) == 0) {
                snprintf(name, sizeof name, "detail-%s", it->id);
                shot(s, name);
            }
        }
    }
    const struct feed_item *lg = longest(f);
    if (lg && ui_open_detail(a->ui, lg->id, ms(s)) == 0) {
        ui_update(a->ui, ms(s));
        ui_draw(a->ui, ms(s));
        ui_scroll_pages(a->ui, 1);
        snprintf(name, sizeof name, "detail-%s-page2", lg->id);
        shot(s, name);
    }
}

/* The entry i of a kind's id: every entry struct of kinds.h starts with it. */
static const char *extra_id(const struct feed *f, enum feed_extra_kind kind, size_t i)
{
    const void *e = kind == FEED_EXTRA_GRANT  ? (const void *)feed_grant_at(f, i)
                    : kind == FEED_EXTRA_DESK ? (const void *)feed_desk_at(f, i)
                    : kind == FEED_EXTRA_ROOM ? (const void *)feed_room_at(f, i)
                                              : (const void *)feed_group_at(f, i);
    return e ? *(const char *const *)e : NULL;
}

/* Grants, desks, rooms and groups: each list, each entry's detail (portrait: the first
 * two of a kind), the groups filtered, and the empty states: no group matching, and the
 * grants once every deadline has passed (the home screen then has no grants tile). */
static void kinds_shots(struct shots *s, bool all)
{
    struct app *a = s->a;
    struct model *m = a->m;
    const struct feed *f = m->feed;
    char name[256];
    if (!f) {
        return;
    }
    for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
        enum feed_extra_kind kind = (enum feed_extra_kind)k;
        ui_open_kind(a->ui, kind, NULL, false, ms(s));
        snprintf(name, sizeof name, "kinds-%s", feed_extra_member(kind));
        shot(s, name);
        for (size_t i = 0; i < feed_extra_count(f, kind) && (all || i < 2); i++) {
            const char *id = extra_id(f, kind, i);
            if (ui_open_kind_detail(a->ui, kind, id, ms(s)) == 0) {
                snprintf(name, sizeof name, "%s-%s", feed_extra_kind_name(kind), id);
                shot(s, name);
            }
        }
    }
    for (size_t i = 0; i < feed_category_count(f); i++) {
        ui_open_kind(a->ui, FEED_EXTRA_GROUP, feed_category_at(f, i)->id, true, ms(s));
        shot(s, "kinds-groups-recruiting");
        break;
    }
    ui_open_kind(a->ui, FEED_EXTRA_GROUP, "no-such-field", true, ms(s));
    shot(s, "kinds-groups-empty");
    /* a year on: every grant closed */
    int64_t now = m->now;
    int64_t fetched = m->content_fetched_at;
    m->content_fetched_at = fetched > 0 ? fetched + 400 * 86400 : 0;
    model_tick(m, now + 400 * 86400);
    ui_open_kind(a->ui, FEED_EXTRA_GRANT, NULL, false, ms(s));
    shot(s, "kinds-grants-empty");
    ui_go_home(a->ui, ms(s));
    shot(s, "home-no-grants");
    m->content_fetched_at = fetched;
    model_tick(m, now);
    /* volunteers by weekday and time of day */
    ui_open_list(a->ui, FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, NULL, ms(s));
    ui_set_when(a->ui, (1u << 6) | (1u << 0), FEED_DAYPART_MORNING);
    shot(s, "list-volunteers-when");
}

static void put_demo(struct ann_list *l, const char *id, enum ui_str text, enum ann_level lv,
                     int64_t now)
{
    struct feed_announcement an;
    memset(&an, 0, sizeof an);
    an.id = id;
    an.text.ja = ui_str_in(UI_LANG_JA, text);
    an.text.en = ui_str_in(UI_LANG_EN, text);
    an.text.zh_hans = ui_str_in(UI_LANG_ZH, text);
    an.text.ko = ui_str_in(UI_LANG_KO, text);
    an.text.ja_easy = ui_str_in(UI_LANG_EASY, text);
    an.level = lv;
    an.starts_at = now - 60;
    an.ends_at = now + 6 * 3600;
    an.source = ANN_SOURCE_DIRECT;
    if (ann_list_put(l, &an) != 0) {
        LOG_WARN("shots", "out of memory staging an announcement");
    }
}

static void announcement_shots(struct shots *s)
{
    struct app *a = s->a;
    struct model *m = a->m;
    int64_t now = m->now;
    struct ann_list *saved = m->direct;
    static const struct {
        const char *name;
        bool normal, important, emergency;
    } cases[] = {
        {"ann-normal", true, false, false},
        {"ann-important", true, true, false},
        {"ann-emergency", true, true, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ann_list *l = ann_list_create();
        if (!l) {
            return;
        }
        if (cases[i].normal) {
            put_demo(l, "demo-normal", UI_STR_DEMO_ANN_NORMAL, ANN_LEVEL_NORMAL, now);
        }
        if (cases[i].important) {
            put_demo(l, "demo-important", UI_STR_DEMO_ANN_IMPORTANT, ANN_LEVEL_IMPORTANT, now);
        }
        if (cases[i].emergency) {
            put_demo(l, "demo-emergency", UI_STR_DEMO_ANN_EMERGENCY, ANN_LEVEL_EMERGENCY, now);
        }
        m->direct = l;
        model_tick(m, now + 1);
        model_tick(m, now);
        ui_go_home(a->ui, ms(s));
        shot(s, cases[i].name);
        if (!cases[i].emergency) {
            ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, ms(s));
            char name[64];
            snprintf(name, sizeof name, "%s-list", cases[i].name);
            shot(s, name);
            ui_open_announcements(a->ui, ms(s));
            snprintf(name, sizeof name, "%s-screen", cases[i].name);
            shot(s, name);
        }
        m->direct = saved;
        ann_list_free(l);
        model_tick(m, now + 1);
        model_tick(m, now);
    }
}

/* Home (and a list, when lists) after a failed sync, then with old content. */
static void offline_stale_shots(struct shots *s, bool lists)
{
    struct app *a = s->a;
    struct model *m = a->m;

    /* the last sync failed: the content stays, with a mark */
    enum model_sync_state st = m->sync_state;
    m->sync_state = MODEL_SYNC_FAILED;
    m->generation++;
    ui_go_home(a->ui, ms(s));
    shot(s, "offline");
    if (lists) {
        ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, ms(s));
        shot(s, "offline-list");
    }
    m->sync_state = st;

    /* old content */
    int64_t fetched = m->content_fetched_at;
    bool synced = m->clock_synced;
    m->content_fetched_at = m->now - a->cfg->stale_after_s - 3 * 3600;
    m->clock_synced = true;
    m->generation++;
    ui_go_home(a->ui, ms(s));
    shot(s, "stale");
    if (lists) {
        ui_open_list(a->ui, FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, NULL, ms(s));
        shot(s, "stale-list");
    }
    m->content_fetched_at = fetched;
    m->clock_synced = synced;
    m->generation++;
}

static void state_shots(struct shots *s)
{
    struct app *a = s->a;
    struct model *m = a->m;
    enum model_sync_state st = m->sync_state;
    int64_t fetched = m->content_fetched_at;
    bool synced = m->clock_synced;

    offline_stale_shots(s, true);

    /* a clock not yet set: dates shown, nothing hidden */
    m->clock_synced = false;
    m->generation++;
    ui_go_home(a->ui, ms(s));
    shot(s, "clock-unsynced");
    m->clock_synced = synced;

    /* first boot: no cache; still loading, then offline */
    struct feed *f = m->feed;
    m->feed = NULL;
    m->content_fetched_at = 0;
    m->sync_state = MODEL_SYNC_NEVER;
    model_tick(m, m->now + 1); /* re-derive: no feed, none of its announcements */
    model_tick(m, m->now - 1);
    ui_go_home(a->ui, ms(s));
    shot(s, "no-cache-loading");
    m->sync_state = MODEL_SYNC_FAILED;
    m->generation++;
    ui_go_home(a->ui, ms(s));
    shot(s, "no-cache");
    ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, ms(s));
    shot(s, "no-cache-list");
    m->feed = f;
    m->content_fetched_at = fetched;
    m->sync_state = st;
    model_tick(m, m->now + 1);
    model_tick(m, m->now - 1);
}

static void attract_shots(struct shots *s)
{
    struct app *a = s->a;
    ui_start_attract(a->ui, ms(s));
    shot(s, "attract");
    int64_t t = ms(s);
    for (int i = 1; i < 3; i++) {
        t += (int64_t)a->cfg->attract_interval_s * 1000;
        ui_update(a->ui, t);
        char name[32];
        snprintf(name, sizeof name, "attract-%d", i + 1);
        shot(s, name);
    }
    /* past the featured listings: the cards of grants, desks, rooms and groups */
    for (int i = 3; i < 11; i++) {
        t += (int64_t)a->cfg->attract_interval_s * 1000;
        ui_update(a->ui, t);
        if (i >= 6) {
            char name[32];
            snprintf(name, sizeof name, "attract-%d", i + 1);
            shot(s, name);
        }
    }
    ui_go_home(a->ui, ms(s));
}

/* The hours the screens show. A config that leaves them always open (the default) shows
 * none, so the shots take the facility's usual 9:30〜22:00 instead. */
static const struct config *shot_hours(const struct app *a, struct config *tmp)
{
    for (int d = 0; d < 7; d++) {
        if (a->cfg->hours[d].open_min != 0 || a->cfg->hours[d].close_min != 24 * 60) {
            return a->cfg;
        }
    }
    *tmp = *a->cfg; /* a shallow copy, read only */
    for (int d = 0; d < 7; d++) {
        tmp->hours[d].open_min = 9 * 60 + 30;
        tmp->hours[d].close_min = 22 * 60;
    }
    return tmp;
}

static void set_hours(struct app *a, const struct config *cfg, int64_t t, bool black)
{
    struct ui_hours h = {0, 0, black};
    if (t <= 0 || !sys_hours_day(cfg, t, &h.open, &h.close)) {
        h.open = h.close = 0;
    }
    ui_set_hours(a->ui, &h);
}

/* Outside opening hours: the dimmed screen with the hours; the black one a panel without
 * power control may keep, and what a touch on it says. */
static void closed_shots(struct shots *s)
{
    struct app *a = s->a;
    struct config tmp;
    const struct config *cfg = shot_hours(a, &tmp);
    int64_t next_open = sys_hours_next_open(cfg, a->m->now + 86400 - a->m->now % 86400);
    ui_set_closed(a->ui, true, next_open, ms(s));
    set_hours(a, cfg, next_open, false);
    shot(s, "closed");
    set_hours(a, cfg, next_open, true);
    shot(s, "closed-black");
    ui_touch(a->ui, UI_TOUCH_DOWN, a->lw / 2, a->lh / 2, ms(s));
    ui_touch(a->ui, UI_TOUCH_UP, a->lw / 2, a->lh / 2, ms(s));
    shot(s, "closed-black-touched");
    ui_set_closed(a->ui, false, 0, ms(s));
    set_hours(a, cfg, a->m->now, false);
}

/* Before the idle timeout sends a visitor home: 「まだ使いますか？」 over a list. */
static void idle_warning_shot(struct shots *s)
{
    struct app *a = s->a;
    ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, ms(s));
    ui_show_idle_warning(a->ui, ms(s));
    shot(s, "idle-warning");
    ui_go_home(a->ui, ms(s));
}

/* The main screens again in large text, named NAME-large: fewer rows, more pages. */
static void large_pass(struct shots *s)
{
    struct app *a = s->a;
    const struct feed *f = a->m->feed;
    s->mode = "-large";
    ui_set_large_text(a->ui, true);
    ui_go_home(a->ui, ms(s));
    shot(s, "home");
    offline_stale_shots(s, false);
    list_shots(s, FEED_KIND_EVENT, "list-events");
    list_shots(s, FEED_KIND_VOLUNTEER, "list-volunteers");
    const struct feed_item *lg = f ? longest(f) : NULL;
    if (f && ui_open_detail(a->ui, "ev-1212-01", ms(s)) == 0) {
        shot(s, "detail-ev-1212-01");
    }
    if (lg && ui_open_detail(a->ui, lg->id, ms(s)) == 0) {
        char name[256];
        snprintf(name, sizeof name, "detail-%s", lg->id);
        shot(s, name);
        ui_update(a->ui, ms(s));
        ui_draw(a->ui, ms(s));
        ui_scroll_pages(a->ui, 1);
        snprintf(name, sizeof name, "detail-%s-page2", lg->id);
        shot(s, name);
    }
    ui_open_announcements(a->ui, ms(s));
    shot(s, "announcements");
    idle_warning_shot(s);
    ui_set_large_text(a->ui, false);
    s->mode = "";
}

/* The language chooser open over the home screen. */
static void chooser_shot(struct shots *s)
{
    ui_go_home(s->a->ui, ms(s));
    ui_open_language_chooser(s->a->ui);
    shot(s, "language");
    ui_go_home(s->a->ui, ms(s));
}

/* The first listing of a kind with a signup code: its detail in every language. */
static void one_detail_shot(struct shots *s, enum feed_kind kind)
{
    const struct feed *f = s->a->m->feed;
    char name[256];
    for (size_t i = 0; f && i < feed_count(f, kind); i++) {
        const struct feed_item *it = feed_item_at(f, kind, i);
        if (it->signup_url && ui_open_detail(s->a->ui, it->id, ms(s)) == 0) {
            snprintf(name, sizeof name, "detail-%s", it->id);
            shot(s, name);
            return;
        }
    }
}

/* An emergency over everything, in the screen's language around the feed's text. */
static void emergency_shot(struct shots *s)
{
    struct model *m = s->a->m;
    struct ann_list *saved = m->direct, *l = ann_list_create();
    if (!l) {
        return;
    }
    put_demo(l, "demo-emergency", UI_STR_DEMO_ANN_EMERGENCY, ANN_LEVEL_EMERGENCY, m->now);
    m->direct = l;
    model_tick(m, m->now + 1);
    model_tick(m, m->now - 1);
    shot(s, "ann-emergency");
    m->direct = saved;
    ann_list_free(l);
    model_tick(m, m->now + 1);
    model_tick(m, m->now - 1);
}

/* Large text in another language, whose words run longer: the events list and the listing
 * with the longest title (NAME-en-large…). */
static void lang_large_shots(struct shots *s)
{
    struct app *a = s->a;
    const struct feed *f = a->m->feed;
    const struct feed_item *lg = f ? longest(f) : NULL;
    s->mode = "-large";
    ui_set_large_text(a->ui, true);
    ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, ms(s));
    shot(s, "list-events");
    if (lg && ui_open_detail(a->ui, lg->id, ms(s)) == 0) {
        char name[256];
        snprintf(name, sizeof name, "detail-%s", lg->id);
        shot(s, name);
    }
    ui_set_large_text(a->ui, false);
    s->mode = "";
}

/* The main screens in another language (the whole set in each would take minutes). */
static void lang_pass(struct shots *s, const char *tag)
{
    struct app *a = s->a;
    ui_go_home(a->ui, ms(s));
    ui_set_language(a->ui, tag);
    shot(s, "home");
    chooser_shot(s);
    ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, ms(s));
    shot(s, "list-events");
    ui_open_list(a->ui, FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, NULL, ms(s));
    shot(s, "list-volunteers");
    one_detail_shot(s, FEED_KIND_EVENT);
    one_detail_shot(s, FEED_KIND_VOLUNTEER);
    ui_open_announcements(a->ui, ms(s));
    shot(s, "announcements");
    lang_large_shots(s);
    ui_go_home(a->ui, ms(s));
    emergency_shot(s);
    enum model_sync_state st = a->m->sync_state;
    a->m->sync_state = MODEL_SYNC_FAILED;
    a->m->generation++;
    shot(s, "offline");
    a->m->sync_state = st;
    a->m->generation++;
    /* the idle return sets Japanese again: the loop is shown as it starts from `tag` */
    ui_start_attract(a->ui, ms(s));
    ui_set_language(a->ui, tag);
    shot(s, "attract");
    closed_shots(s);
    ui_go_home(a->ui, ms(s));
    ui_set_language(a->ui, "ja");
}

static void pass(struct shots *s, bool landscape)
{
    struct app *a = s->a;
    struct config tmp;
    set_hours(a, shot_hours(a, &tmp), a->m->now, false);
    ui_go_home(a->ui, ms(s));
    shot(s, "home");
    chooser_shot(s);
    list_shots(s, FEED_KIND_EVENT, "list-events");
    list_shots(s, FEED_KIND_VOLUNTEER, "list-volunteers");
    no_results_shot(s);
    detail_shots(s, landscape);
    kinds_shots(s, landscape);
    ui_open_announcements(a->ui, ms(s));
    shot(s, "announcements");
    announcement_shots(s);
    state_shots(s);
    idle_warning_shot(s);
    attract_shots(s);
    closed_shots(s);
    large_pass(s);
}

/* Whether the other-language passes include tag: all of them unless KIOSK_SHOTS_LANGS names
 * some ("en", "en zh-Hans"; ja is always rendered). A short set for slow builds (the
 * sanitizer pass of scripts/run-tests.sh, tests/README.md). */
static bool lang_wanted(const char *tag)
{
    const char *want = getenv("KIOSK_SHOTS_LANGS");
    if (!want || !want[0]) {
        return true;
    }
    size_t n = strlen(tag);
    for (const char *p = strstr(want, tag); p; p = strstr(p + 1, tag)) {
        bool starts = p == want || p[-1] == ' ' || p[-1] == ',';
        bool ends = p[n] == '\0' || p[n] == ' ' || p[n] == ',';
        if (starts && ends) {
            return true;
        }
    }
    return false;
}

int app_shots_run(struct app *a, const char *dir)
{
    int rc = fsio_mkdirs(dir);
    if (rc != 0 && rc != -EEXIST) {
        LOG_ERROR("shots", "cannot create %s: %s", dir, strerror(-rc));
        return -1;
    }
    struct shots s = {a, dir, "", "", "", 0, 0};
    static const char *const langs[][2] = {
        {"ja-easy", "-easy"}, {"en", "-en"}, {"zh-Hans", "-zh"}, {"ko", "-ko"}};
    int rotation = a->rotation;
    bool portrait_panel = a->ph > a->pw;
    /* landscape first, then the same panel turned a quarter */
    app_set_rotation(a, portrait_panel ? 90 : 0);
    pass(&s, true);
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        if (lang_wanted(langs[i][0])) {
            s.lang = langs[i][1];
            lang_pass(&s, langs[i][0]);
        }
    }
    s.lang = "";
    s.sfx = "-portrait";
    app_set_rotation(a, portrait_panel ? 0 : 90);
    pass(&s, false);
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        if (lang_wanted(langs[i][0])) {
            s.lang = langs[i][1];
            lang_pass(&s, langs[i][0]);
        }
    }
    s.lang = "";
    app_set_rotation(a, rotation);
    printf("screenshots: %d PNG files with text listings in %s\n", s.count, dir);
    fflush(stdout);
    if (s.failed > 0) {
        LOG_ERROR("shots", "%d screenshots failed", s.failed);
        return -1;
    }
    return 0;
}
