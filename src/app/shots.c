/* shots: `kiosk --screenshot DIR` renders every screen and state, in landscape and
 * portrait, to DIR/NAME.png with DIR/NAME.txt beside it listing every text line drawn
 * ("x y w h lang<TAB>text", logical pixels, the line's language). States the feed may not
 * be in right now (offline, stale, no cache, each announcement level) are staged on the
 * model for one frame and put back, so one run shows them all. Detail screens are named
 * after the listing's id. The main screens are rendered again in every other interface
 * language, suffixed (home-en.png, home-easy-portrait.png…); the whole set five times over
 * would take minutes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "feed/announce.h"
#include "feed/feed_select.h"
#include "ui/strings.h"
#include "util/fsio.h"
#include "sys/hours.h"
#include "util/log.h"

struct shots {
    struct app *a;
    const char *dir;
    const char *sfx;  /* "" or "-portrait" */
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
    snprintf(png, sizeof png, "%s/%s%s%s.png", s->dir, safe, s->lang, s->sfx);
    snprintf(txt, sizeof txt, "%s/%s%s%s.txt", s->dir, safe, s->lang, s->sfx);
    ui_update(s->a->ui, app_ms(s->a));
    if (app_draw(s->a, png, txt) != 0) {
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
        struct feed_filter flt = {kind, FEED_DAY_ALL, cat, NULL};
        if (feed_count_current(f, &flt, a->m->now) > 0) {
            ui_open_list(a->ui, kind, FEED_DAY_ALL, cat, NULL, ms(s));
            snprintf(name, sizeof name, "%s-category", base);
            shot(s, name);
            break;
        }
    }
    for (size_t i = 0; i < feed_audience_count(f); i++) {
        const char *aud = feed_audience_at(f, i)->id;
        struct feed_filter flt = {kind, FEED_DAY_MONTH, NULL, aud};
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
        struct feed_filter flt = {FEED_KIND_EVENT, FEED_DAY_TODAY, cat, NULL};
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

static void put_demo(struct ann_list *l, const char *id, enum ui_str text, enum ann_level lv,
                     int64_t now)
{
    struct feed_announcement an;
    memset(&an, 0, sizeof an);
    an.id = id;
    an.text.ja = ui_str_in(UI_LANG_JA, text);
    an.text.en = ui_str_in(UI_LANG_EN, text);
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

static void state_shots(struct shots *s)
{
    struct app *a = s->a;
    struct model *m = a->m;

    /* the last sync failed: the content stays, with a mark */
    enum model_sync_state st = m->sync_state;
    m->sync_state = MODEL_SYNC_FAILED;
    m->generation++;
    ui_go_home(a->ui, ms(s));
    shot(s, "offline");
    ui_open_list(a->ui, FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NULL, ms(s));
    shot(s, "offline-list");
    m->sync_state = st;

    /* old content */
    int64_t fetched = m->content_fetched_at;
    bool synced = m->clock_synced;
    m->content_fetched_at = m->now - a->cfg->stale_after_s - 3 * 3600;
    m->clock_synced = true;
    m->generation++;
    ui_go_home(a->ui, ms(s));
    shot(s, "stale");
    ui_open_list(a->ui, FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, NULL, ms(s));
    shot(s, "stale-list");
    m->content_fetched_at = fetched;
    m->clock_synced = synced;

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
    ui_go_home(a->ui, ms(s));
}

/* Outside opening hours: the dark screen, and what a touch on it says. */
static void closed_shots(struct shots *s)
{
    struct app *a = s->a;
    int64_t next_open = sys_hours_next_open(a->cfg, a->m->now + 86400 - a->m->now % 86400);
    ui_set_closed(a->ui, true, next_open, ms(s));
    shot(s, "closed");
    ui_touch(a->ui, UI_TOUCH_DOWN, a->lw / 2, a->lh / 2, ms(s));
    ui_touch(a->ui, UI_TOUCH_UP, a->lw / 2, a->lh / 2, ms(s));
    shot(s, "closed-touched");
    ui_set_closed(a->ui, false, 0, ms(s));
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
    ui_go_home(a->ui, ms(s));
    shot(s, "home");
    chooser_shot(s);
    list_shots(s, FEED_KIND_EVENT, "list-events");
    list_shots(s, FEED_KIND_VOLUNTEER, "list-volunteers");
    no_results_shot(s);
    detail_shots(s, landscape);
    ui_open_announcements(a->ui, ms(s));
    shot(s, "announcements");
    announcement_shots(s);
    state_shots(s);
    attract_shots(s);
    closed_shots(s);
}

int app_shots_run(struct app *a, const char *dir)
{
    int rc = fsio_mkdirs(dir);
    if (rc != 0 && rc != -EEXIST) {
        LOG_ERROR("shots", "cannot create %s: %s", dir, strerror(-rc));
        return -1;
    }
    struct shots s = {a, dir, "", "", 0, 0};
    static const char *const langs[][2] = {
        {"ja-easy", "-easy"}, {"en", "-en"}, {"zh-Hans", "-zh"}, {"ko", "-ko"}};
    int rotation = a->rotation;
    bool portrait_panel = a->ph > a->pw;
    /* landscape first, then the same panel turned a quarter */
    app_set_rotation(a, portrait_panel ? 90 : 0);
    pass(&s, true);
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        s.lang = langs[i][1];
        lang_pass(&s, langs[i][0]);
    }
    s.lang = "";
    s.sfx = "-portrait";
    app_set_rotation(a, portrait_panel ? 0 : 90);
    pass(&s, false);
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        s.lang = langs[i][1];
        lang_pass(&s, langs[i][0]);
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
