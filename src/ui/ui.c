/* ui: navigation, touch, timers and the frame (see ui.h).
 *
 * A frame is drawn whole from the model and the top of the navigation stack; touch targets
 * are recorded while drawing and a touch is matched against the last frame's targets, the
 * latest drawn (the chrome, drawn over content) first. Time comes in as milliseconds from
 * app/, never from a clock read here, so tests and the replay mode control it. */
#include "ui/ui.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/ui_internal.h"
#include "util/log.h"

/* A touch that moves less than this (in units) is a tap, not a drag. */
#define UI_SLOP_UNITS 28.0f
/* Momentum: velocity decays with this time constant and stops below this speed. */
#define UI_FLING_TAU_MS 325.0f
#define UI_FLING_MIN_V 0.03f
#define UI_FRAME_MS 16
/* Taps: a burst of this many, then one per UI_TAP_REFILL_MS. */
#define UI_TAP_BURST 3.0f
#define UI_TAP_REFILL_MS 250.0f
/* Large text: every size (text, rows, buttons, margins) grows by this much, so the screens
 * lay out as on a smaller panel and show fewer rows rather than overlapping. */
#define UI_LARGE_SCALE 1.4f
/* The idle warning leaves this long to answer (WCAG 2.2.1 asks for at least 20 s). */
#define UI_IDLE_WARN_MS 20000

static void count_touch(struct ui *u, int64_t now_ms);
static void count_filter(struct ui *u, const char *name, const char *value);
static void count_shown(struct ui *u, int64_t now_ms);

static char *dup_or_empty(const char *s)
{
    const char *src = s ? s : "";
    size_t n = strlen(src) + 1;
    char *d = malloc(n);
    if (d) {
        memcpy(d, src, n);
    }
    return d;
}

static void copy_id(char *dst, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= UI_ID_MAX) {
        n = UI_ID_MAX - 1;
    }
    if (n > 0) {
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
}

struct ui *ui_create(struct gfx *g, const struct model *m, const struct ui_options *o,
                     int64_t now_ms)
{
    struct ui *u = calloc(1, sizeof *u);
    if (!u) {
        return NULL;
    }
    u->g = g;
    u->m = m;
    u->name = dup_or_empty(o->facility_name);
    u->name_en = dup_or_empty(o->facility_name_en);
    if (!u->name || !u->name_en) {
        ui_free(u);
        return NULL;
    }
    u->idle_timeout_ms = (o->idle_timeout_s > 0 ? o->idle_timeout_s : 90) * 1000;
    u->attract_interval_ms = (o->attract_interval_s > 0 ? o->attract_interval_s : 10) * 1000;
    u->stale_after_s = o->stale_after_s > 0 ? o->stale_after_s : 86400;
    u->depth = 1;
    u->nav[0].screen = UI_SCREEN_HOME;
    u->last_touch_ms = now_ms;
    u->tap_tokens = UI_TAP_BURST;
    u->tap_refill_ms = now_ms;
    u->dirty = true;
    ui_set_size(u, 1920, 1080);
    return u;
}

void ui_free(struct ui *u)
{
    if (!u) {
        return;
    }
    free(u->name);
    free(u->name_en);
    free(u->sel.items);
    free(u);
}

static int px(float unit, int v)
{
    int r = (int)lroundf((float)v * unit);
    return r > 0 ? r : 1;
}

/* Every size on screen scales from min(w, h) / 1080, times `scale` (large text). */
static void metrics_for(int w, int h, float scale, struct ui_metrics *mt)
{
    float unit = (float)(w < h ? w : h) / 1080.0f * scale;
    mt->unit = unit;
    mt->base_unit = unit / scale;
    mt->portrait = h > w;
    mt->pad = px(unit, 36);
    mt->gap = px(unit, 20);
    mt->radius = px(unit, 18);
    /* bars and controls keep their height in large text: the header holds the name and
     * clock, which keep their size, and a control's taller label still fits its box, so the
     * content gets the room the larger letters need */
    float base = unit / scale;
    mt->header_h = px(base, 150);
    mt->footer_h = px(base, 128);
    mt->button_h = px(base, 96);
    mt->chip_h = px(base, 80);
    mt->f_small = px(unit, 28);
    mt->f_body = px(unit, 34);
    mt->f_card_title = px(unit, 38);
    mt->f_title = px(unit, 56);
    /* the header's name and clock are large already: they keep their size in large text,
     * which leaves the header room for its controls on a portrait panel */
    mt->f_name = px(base, 56);
    mt->f_clock = px(base, 76);
    mt->f_tile_label = px(unit, 40);
    mt->f_tile_num = px(unit, 140);
    mt->f_detail_title = px(unit, 48);
    mt->f_date_big = px(unit, 46);
}

void ui_set_size(struct ui *u, int w, int h)
{
    u->w = w > 0 ? w : 1;
    u->h = h > 0 ? h : 1;
    metrics_for(u->w, u->h, u->large_text ? UI_LARGE_SCALE : 1.0f, &u->mt);
    u->dirty = true;
}

void ui_set_large_text(struct ui *u, bool on)
{
    if (on == u->large_text) {
        return;
    }
    u->large_text = on;
    /* positions were in the old sizes: every screen on the stack starts at its top */
    for (int i = 0; i < u->depth; i++) {
        u->nav[i].scroll = 0.0f;
    }
    u->fling = false;
    ui_set_size(u, u->w, u->h);
}

bool ui_large_text(const struct ui *u)
{
    return u->large_text;
}

int64_t ui_warn_after_ms(const struct ui *u)
{
    /* a short timeout (tests, a busy lobby) gets its second half as the warning */
    int64_t t = u->idle_timeout_ms;
    return t >= 2 * UI_IDLE_WARN_MS ? t - UI_IDLE_WARN_MS : t / 2;
}

void ui_show_idle_warning(struct ui *u, int64_t now_ms)
{
    u->last_touch_ms = now_ms - ui_warn_after_ms(u);
    u->idle_warning = true;
    u->dirty = true;
}

bool ui_idle_warning_shown(const struct ui *u)
{
    return u->idle_warning;
}

size_t ui_qr_max_url(void)
{
    struct ui_metrics land, port;
    metrics_for(1920, 1080, 1.0f, &land);
    metrics_for(1080, 1920, 1.0f, &port);
    size_t a = scr_detail_qr_max_url(&land), b = scr_detail_qr_max_url(&port);
    return a < b ? a : b;
}

struct ui_nav *ui_top(struct ui *u)
{
    return &u->nav[u->depth - 1];
}

int64_t ui_now(const struct ui *u)
{
    return u->m->now;
}

bool ui_has_feed(const struct ui *u)
{
    return u->m->feed;
}

const char *ui_scratchf(struct ui *u, const char *fmt, ...)
{
    size_t room = sizeof u->scratch - u->scratch_used;
    if (room < 2) {
        return "";
    }
    char *dst = u->scratch + u->scratch_used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return "";
    }
    if ((size_t)n >= room) {
        /* cut at a character boundary */
        size_t k = room - 1;
        while (k > 0 && ((unsigned char)dst[k] & 0xC0) == 0x80) {
            k--;
        }
        dst[k] = '\0';
        n = (int)k;
    }
    u->scratch_used += (size_t)n + 1;
    return dst;
}

void ui_hit_add(struct ui *u, SDL_Rect r, enum ui_action act, int arg, const char *sarg)
{
    if (u->n_hits >= UI_MAX_HITS || r.w <= 0 || r.h <= 0) {
        return;
    }
    struct ui_hit *h = &u->hits[u->n_hits++];
    h->r = r;
    h->act = act;
    h->arg = arg;
    copy_id(h->sarg, sarg);
}

static bool nav_filter_equal(const struct ui_nav *a, const struct ui_nav *b)
{
    return a->kind == b->kind && a->day == b->day && strcmp(a->category, b->category) == 0 &&
           strcmp(a->audience, b->audience) == 0 && a->weekdays == b->weekdays &&
           a->daypart == b->daypart;
}

const struct ui_selection *ui_select(struct ui *u, const struct ui_nav *nv)
{
    struct ui_selection *s = &u->sel;
    const struct feed *f = u->m->feed;
    int64_t minute = u->m->now / 60;
    if (s->feed == f && s->generation == u->m->generation && s->minute == minute &&
        nav_filter_equal(&s->key, nv) && (s->items || !f)) {
        return s;
    }
    s->feed = f;
    s->generation = u->m->generation;
    s->minute = minute;
    s->key = *nv;
    s->n = 0;
    s->total = 0;
    if (!f) {
        return s;
    }
    struct feed_filter flt = {
        .kind = nv->kind,
        .day = nv->day,
        .category = nv->category[0] != '\0' ? nv->category : NULL,
        .audience = nv->audience[0] != '\0' ? nv->audience : NULL,
        .weekdays = nv->weekdays,
        .daypart = (enum feed_daypart)nv->daypart,
    };
    for (int attempt = 0; attempt < 2; attempt++) {
        size_t total = feed_select(f, &flt, u->m->now, s->items, s->cap);
        if (total <= s->cap) {
            s->n = total;
            s->total = total;
            break;
        }
        const struct feed_item **grown = realloc(s->items, total * sizeof *grown);
        if (!grown) {
            LOG_WARN("ui", "out of memory selecting %zu listings", total);
            s->n = s->cap;
            s->total = total;
            break;
        }
        s->items = grown;
        s->cap = total;
    }
    if (!s->items) {
        /* mark as computed even when nothing matched, so the cache check holds */
        s->items = malloc(sizeof *s->items);
        s->cap = s->items ? 1 : 0;
    }
    return s;
}

static void nav_reset(struct ui_nav *nv, enum ui_screen screen)
{
    memset(nv, 0, sizeof *nv);
    nv->screen = screen;
}

static struct ui_nav *nav_push(struct ui *u, enum ui_screen screen)
{
    if (u->depth >= UI_NAV_DEPTH) {
        u->depth = UI_NAV_DEPTH - 1;
    }
    struct ui_nav *nv = &u->nav[u->depth++];
    nav_reset(nv, screen);
    u->fling = false;
    u->dirty = true;
    return nv;
}

static void leave_attract(struct ui *u, int64_t now_ms)
{
    u->attract = false;
    u->attract_paused = false;
    u->idle_warning = false;
    u->last_touch_ms = now_ms;
    u->dirty = true;
}

void ui_go_home(struct ui *u, int64_t now_ms)
{
    leave_attract(u, now_ms);
    u->lang_open = false;
    u->depth = 1;
    nav_reset(&u->nav[0], UI_SCREEN_HOME);
    u->fling = false;
}

void ui_open_list(struct ui *u, enum feed_kind kind, enum feed_day day, const char *category,
                  const char *audience, int64_t now_ms)
{
    ui_go_home(u, now_ms);
    struct ui_nav *nv = nav_push(u, UI_SCREEN_LIST);
    nv->kind = kind;
    nv->day = day;
    copy_id(nv->category, category);
    copy_id(nv->audience, audience);
}

int ui_open_detail(struct ui *u, const char *id, int64_t now_ms)
{
    const struct feed *f = u->m->feed;
    const struct feed_item *it = f ? feed_find(f, id) : NULL;
    if (!it) {
        return -ENOENT;
    }
    leave_attract(u, now_ms);
    struct ui_nav *nv = nav_push(u, UI_SCREEN_DETAIL);
    nv->kind = it->kind;
    copy_id(nv->id, id);
    return 0;
}

void ui_open_announcements(struct ui *u, int64_t now_ms)
{
    ui_go_home(u, now_ms);
    nav_push(u, UI_SCREEN_ANNOUNCEMENTS);
}

void ui_open_kind(struct ui *u, enum feed_extra_kind kind, const char *category, bool recruiting,
                  int64_t now_ms)
{
    ui_go_home(u, now_ms);
    struct ui_nav *nv = nav_push(u, UI_SCREEN_KINDS);
    nv->extra = (int)kind;
    copy_id(nv->category, category);
    nv->recruiting = recruiting;
}

int ui_open_kind_detail(struct ui *u, enum feed_extra_kind kind, const char *id, int64_t now_ms)
{
    if (!scr_kinds_find(u->m->feed, kind, id)) {
        return -ENOENT;
    }
    leave_attract(u, now_ms);
    struct ui_nav *nv = nav_push(u, UI_SCREEN_KIND_DETAIL);
    nv->extra = (int)kind;
    copy_id(nv->id, id);
    return 0;
}

void ui_set_when(struct ui *u, unsigned weekdays, enum feed_daypart part)
{
    struct ui_nav *nv = ui_top(u);
    nv->weekdays = weekdays;
    nv->daypart = (int)part;
    nv->scroll = 0.0f;
    u->dirty = true;
}

void ui_start_attract(struct ui *u, int64_t now_ms)
{
    ui_go_home(u, now_ms);
    /* the next visitor starts in Japanese, as the kiosk's own language */
    u->lang = UI_LANG_JA;
    u->lang_open = false;
    u->attract = true;
    u->attract_step = 0;
    u->in_session = false; /* the visitor has gone: the next touch is someone new */
    ui_set_large_text(u, false);
    u->counted_attract_step = 0;
    u->attract_next_ms = now_ms + u->attract_interval_ms;
    u->dirty = true;
}

#define UI_CLOSED_MSG_MS 10000

void ui_set_closed(struct ui *u, bool closed, int64_t next_open, int64_t now_ms)
{
    u->next_open = next_open;
    if (closed == u->closed) {
        return;
    }
    u->closed = closed;
    u->closed_msg_until_ms = 0;
    u->in_session = false;
    /* the day starts (and ends) at home, with nobody's half-finished browsing */
    ui_set_large_text(u, false);
    ui_go_home(u, now_ms);
    u->dirty = true;
}

void ui_set_hours(struct ui *u, const struct ui_hours *h)
{
    u->hours = *h;
    u->dirty = true;
}

bool ui_is_closed(const struct ui *u)
{
    return u->closed;
}

bool ui_in_attract(const struct ui *u)
{
    return u->attract;
}

enum ui_screen ui_current_screen(const struct ui *u)
{
    return u->nav[u->depth - 1].screen;
}

static bool emergency_active(const struct ui *u)
{
    return ann_list_has_emergency(u->m->active);
}

int ui_set_language(struct ui *u, const char *tag)
{
    int l = ui_lang_parse(tag);

    if (l < 0) {
        return -EINVAL;
    }
    u->lang = (enum ui_lang)l;
    u->dirty = true;
    return 0;
}

const char *ui_language(const struct ui *u)
{
    return ui_lang_code(u->lang);
}

void ui_open_language_chooser(struct ui *u)
{
    u->lang_open = true;
    u->dirty = true;
}

const char *ui_describe(struct ui *u)
{
    const struct ui_nav *nv = ui_top(u);
    if (emergency_active(u)) {
        snprintf(u->describe, sizeof u->describe, "emergency");
    } else if (u->attract) {
        snprintf(u->describe, sizeof u->describe, "attract");
    } else if (u->idle_warning) {
        snprintf(u->describe, sizeof u->describe, "idle-warning");
    } else if (nv->screen == UI_SCREEN_HOME) {
        snprintf(u->describe, sizeof u->describe, "home");
    } else if (nv->screen == UI_SCREEN_LIST) {
        snprintf(u->describe, sizeof u->describe, "list-%s",
                 nv->kind == FEED_KIND_EVENT ? "events" : "volunteers");
    } else if (nv->screen == UI_SCREEN_DETAIL) {
        snprintf(u->describe, sizeof u->describe, "detail-%s", nv->id);
    } else if (nv->screen == UI_SCREEN_KINDS) {
        snprintf(u->describe, sizeof u->describe, "list-%s",
                 feed_extra_member((enum feed_extra_kind)nv->extra));
    } else if (nv->screen == UI_SCREEN_KIND_DETAIL) {
        snprintf(u->describe, sizeof u->describe, "%s-%s",
                 feed_extra_kind_name((enum feed_extra_kind)nv->extra), nv->id);
    } else {
        snprintf(u->describe, sizeof u->describe, "announcements");
    }
    if (u->large_text) {
        size_t n = strlen(u->describe);
        snprintf(u->describe + n, sizeof u->describe - n, "+large");
    }
    return u->describe;
}

static float clampf(float v, float lo, float hi)
{
    if (v < lo) {
        return lo;
    }
    if (v > hi) {
        return hi;
    }
    return v;
}

void ui_scroll_pages(struct ui *u, int pages)
{
    struct ui_nav *nv = ui_top(u);
    u->fling = false;
    if (u->scroll_blocks) {
        int step = u->blocks_shown > 0 ? u->blocks_shown : 1;
        float first = nv->scroll + (float)(pages * step);
        if (pages < 0) {
            /* going back a page: show the previous blocks ending where this page starts;
             * the list knows how many that is, elsewhere step by what fits now */
            first = nv->scroll + (float)pages * (float)(u->blocks_back > 0 ? u->blocks_back : step);
        }
        nv->scroll = clampf(first, 0.0f, (float)(u->n_blocks > 0 ? u->n_blocks - 1 : 0));
    } else {
        nv->scroll = clampf(nv->scroll + (float)(pages * u->page_px), 0.0f, u->scroll_max);
    }
    u->dirty = true;
}

static bool take_tap_token(struct ui *u, int64_t now_ms)
{
    float refill = (float)(now_ms - u->tap_refill_ms) / UI_TAP_REFILL_MS;
    if (refill > 0.0f) {
        u->tap_tokens = clampf(u->tap_tokens + refill, 0.0f, UI_TAP_BURST);
        u->tap_refill_ms = now_ms;
    }
    if (u->tap_tokens < 1.0f) {
        return false;
    }
    u->tap_tokens -= 1.0f;
    return true;
}

static void set_filter_str(struct ui *u, char *dst, const char *v)
{
    copy_id(dst, v);
    ui_top(u)->scroll = 0.0f;
    u->dirty = true;
}

static void do_action(struct ui *u, const struct ui_hit *h, int64_t now_ms)
{
    struct ui_nav *nv = ui_top(u);
    struct ui_nav *pushed;
    switch (h->act) {
    case UI_ACT_NONE:
        break;
    case UI_ACT_HOME:
        ui_go_home(u, now_ms);
        break;
    case UI_ACT_BACK:
        if (u->depth > 1) {
            u->depth--;
            u->fling = false;
            u->dirty = true;
        }
        break;
    case UI_ACT_OPEN_TODAY:
    case UI_ACT_OPEN_EVENTS:
    case UI_ACT_OPEN_VOLUNTEERS:
        pushed = nav_push(u, UI_SCREEN_LIST);
        pushed->kind = h->act == UI_ACT_OPEN_VOLUNTEERS ? FEED_KIND_VOLUNTEER : FEED_KIND_EVENT;
        pushed->day = h->act == UI_ACT_OPEN_TODAY ? FEED_DAY_TODAY : FEED_DAY_ALL;
        break;
    case UI_ACT_OPEN_ANNOUNCEMENTS:
        nav_push(u, UI_SCREEN_ANNOUNCEMENTS);
        break;
    case UI_ACT_OPEN_DETAIL:
        if (u->m->feed && feed_find(u->m->feed, h->sarg)) {
            pushed = nav_push(u, UI_SCREEN_DETAIL);
            copy_id(pushed->id, h->sarg);
        }
        break;
    case UI_ACT_OPEN_KIND:
        pushed = nav_push(u, UI_SCREEN_KINDS);
        pushed->extra = h->arg;
        break;
    case UI_ACT_OPEN_KIND_DETAIL:
        if (scr_kinds_find(u->m->feed, (enum feed_extra_kind)h->arg, h->sarg)) {
            pushed = nav_push(u, UI_SCREEN_KIND_DETAIL);
            pushed->extra = h->arg;
            copy_id(pushed->id, h->sarg);
        }
        break;
    case UI_ACT_FILTER_RECRUITING:
        nv->recruiting = !nv->recruiting;
        count_filter(u, "recruiting", NULL);
        nv->scroll = 0.0f;
        u->dirty = true;
        break;
    case UI_ACT_FILTER_WDAY:
        nv->weekdays ^= 1u << (h->arg & 7);
        count_filter(u, "weekday", NULL);
        nv->scroll = 0.0f;
        u->dirty = true;
        break;
    case UI_ACT_FILTER_PART:
        nv->daypart = nv->daypart == h->arg ? FEED_DAYPART_ANY : h->arg;
        count_filter(u, "daypart", NULL);
        nv->scroll = 0.0f;
        u->dirty = true;
        break;
    case UI_ACT_FILTER_DAY:
        nv->day = (enum feed_day)h->arg;
        count_filter(u, "day", NULL);
        nv->scroll = 0.0f;
        u->dirty = true;
        break;
    case UI_ACT_FILTER_CAT:
        set_filter_str(u, nv->category, h->sarg);
        count_filter(u, "category", h->sarg);
        nv->picker = 0;
        break;
    case UI_ACT_FILTER_AUD:
        set_filter_str(u, nv->audience, h->sarg);
        count_filter(u, "audience", h->sarg);
        nv->picker = 0;
        break;
    case UI_ACT_OPEN_PICKER:
        nv->picker = h->arg;
        u->dirty = true;
        break;
    case UI_ACT_CLOSE_PICKER:
        nv->picker = 0;
        u->dirty = true;
        break;
    case UI_ACT_CLEAR_FILTER:
        count_filter(u, "clear", NULL);
        nv->day = FEED_DAY_ALL;
        nv->category[0] = '\0';
        nv->audience[0] = '\0';
        nv->recruiting = false;
        nv->weekdays = 0;
        nv->daypart = FEED_DAYPART_ANY;
        nv->scroll = 0.0f;
        nv->picker = 0;
        u->dirty = true;
        break;
    case UI_ACT_PAGE_UP:
        ui_scroll_pages(u, -1);
        break;
    case UI_ACT_PAGE_DOWN:
        ui_scroll_pages(u, 1);
        break;
    case UI_ACT_LARGE_TEXT:
        ui_set_large_text(u, !u->large_text);
        if (u->large_text) {
            ui_count_large_text(u);
        }
        break;
    case UI_ACT_STAY:
    case UI_ACT_ATTRACT_PAUSE:
        break; /* taken on the finger's down (ui_touch) */
    case UI_ACT_OPEN_LANG:
        u->lang_open = true;
        u->dirty = true;
        break;
    case UI_ACT_SET_LANG:
        if (h->arg >= 0 && h->arg < UI_LANG_COUNT_) {
            u->lang = (enum ui_lang)h->arg;
            ui_count_language(u, ui_lang_code(u->lang));
            LOG_INFO("ui", "language: %s", ui_lang_code(u->lang));
        }
        u->lang_open = false;
        u->dirty = true;
        break;
    case UI_ACT_CLOSE_LANG:
        u->lang_open = false;
        u->dirty = true;
        break;
    }
}

static const struct ui_hit *hit_at(const struct ui *u, int x, int y)
{
    SDL_Point p = {x, y};
    for (int i = u->n_hits - 1; i >= 0; i--) {
        if (SDL_PointInRect(&p, &u->hits[i].r)) {
            return &u->hits[i];
        }
    }
    return NULL;
}

void ui_touch(struct ui *u, enum ui_touch_phase ph, int x, int y, int64_t now_ms)
{
    u->last_touch_ms = now_ms;
    float slop = UI_SLOP_UNITS * u->mt.unit;
    switch (ph) {
    case UI_TOUCH_DOWN:
        if (u->touch_down) {
            return;
        }
        u->touch_down = true;
        u->dragging = false;
        u->swallow = false;
        if (emergency_active(u)) {
            /* nothing under an emergency can be pressed, and it cannot be dismissed */
            u->swallow = true;
        } else if (u->closed) {
            /* a touch on the dark screen says why it is dark, and when it opens */
            u->closed_msg_until_ms = now_ms + UI_CLOSED_MSG_MS;
            u->dirty = true;
            u->swallow = true;
        } else if (u->idle_warning) {
            /* any touch answers 「まだ使いますか？」: the session goes on where it was */
            u->idle_warning = false;
            u->dirty = true;
            u->swallow = true;
        } else if (u->attract) {
            const struct ui_hit *h = hit_at(u, x, y);
            if (h && h->act == UI_ACT_ATTRACT_PAUSE) {
                /* stops (or restarts) the turning and keeps the listing on screen */
                u->attract_paused = !u->attract_paused;
                u->attract_next_ms = now_ms + u->attract_interval_ms;
            } else {
                /* the first touch only wakes the kiosk */
                ui_go_home(u, now_ms);
            }
            u->dirty = true;
            u->swallow = true;
        }
        count_touch(u, now_ms);
        u->down_x = u->last_x = x;
        u->down_y = u->last_y = y;
        u->down_ms = u->last_move_ms = now_ms;
        u->velocity = 0.0f;
        if (u->fling) {
            u->fling = false;
        }
        u->scroll_at_down = ui_top(u)->scroll;
        break;
    case UI_TOUCH_MOVE: {
        if (!u->touch_down || u->swallow) {
            return;
        }
        SDL_Point start = {u->down_x, u->down_y};
        if (!u->dragging && u->scroll_rect.w > 0 && SDL_PointInRect(&start, &u->scroll_rect) &&
            fabsf((float)(y - u->down_y)) > slop) {
            u->dragging = true;
        }
        if (u->dragging && !u->scroll_blocks) {
            struct ui_nav *nv = ui_top(u);
            float before = nv->scroll;
            nv->scroll = clampf(u->scroll_at_down - (float)(y - u->down_y), 0.0f, u->scroll_max);
            int64_t dt = now_ms - u->last_move_ms;
            if (dt > 0) {
                float v = -(float)(y - u->last_y) / (float)dt;
                u->velocity = 0.6f * v + 0.4f * u->velocity;
            }
            if (nv->scroll != before) {
                u->dirty = true;
            }
        }
        u->last_x = x;
        u->last_y = y;
        u->last_move_ms = now_ms;
        break;
    }
    case UI_TOUCH_UP:
        if (!u->touch_down) {
            return;
        }
        u->touch_down = false;
        if (u->swallow) {
            u->swallow = false;
            return;
        }
        if (u->dragging) {
            u->dragging = false;
            if (u->scroll_blocks) {
                ui_scroll_pages(u, y < u->down_y ? 1 : -1);
            } else if (now_ms - u->last_move_ms < 100 && fabsf(u->velocity) > 0.1f) {
                u->fling = true;
                u->fling_v = clampf(u->velocity, -8.0f, 8.0f);
                u->fling_ms = now_ms;
            }
            return;
        }
        {
            const struct ui_hit *h = hit_at(u, u->down_x, u->down_y);
            SDL_Point up = {x, y};
            if (!h || !SDL_PointInRect(&up, &h->r)) {
                return;
            }
            if (!take_tap_token(u, now_ms)) {
                LOG_DEBUG("ui", "tap dropped: too many taps");
                return;
            }
            struct ui_hit copy = *h;
            do_action(u, &copy, now_ms);
        }
        break;
    }
}

bool ui_update(struct ui *u, int64_t now_ms)
{
    if (u->closed) {
        /* Closed: draw only for a touch, its message ending, or an emergency coming or
         * going; the minute tick and content changes wait for the morning. */
        bool changed = u->dirty || emergency_active(u) != u->drawn_emergency;
        if (emergency_active(u) && u->m->generation != u->drawn_generation) {
            changed = true;
        }
        if (u->closed_msg_until_ms != 0 && now_ms >= u->closed_msg_until_ms) {
            u->closed_msg_until_ms = 0;
            changed = true;
        }
        u->dirty = u->dirty || changed;
        return changed;
    }
    bool changed = u->dirty;
    if (u->m->generation != u->drawn_generation) {
        changed = true;
    }
    if (!u->attract && !u->touch_down && u->in_session && !u->idle_warning &&
        !emergency_active(u) && now_ms - u->last_touch_ms >= ui_warn_after_ms(u) &&
        now_ms - u->last_touch_ms < u->idle_timeout_ms) {
        u->idle_warning = true;
        LOG_INFO("ui", "idle: asking whether the visitor is still there");
        changed = true;
    }
    if (u->idle_warning && !u->attract) {
        int64_t left = u->last_touch_ms + u->idle_timeout_ms - now_ms;
        if ((int)((left + 999) / 1000) != u->warn_drawn_s) {
            changed = true; /* the countdown moved on */
        }
    }
    if (u->attract_paused && now_ms - u->last_touch_ms >= u->idle_timeout_ms) {
        /* a pause nobody came back to ends, so the loop keeps inviting passers-by */
        u->attract_paused = false;
        u->attract_next_ms = now_ms;
    }
    if (!u->attract && !u->touch_down && now_ms - u->last_touch_ms >= u->idle_timeout_ms) {
        bool was_home = u->depth == 1;
        ui_start_attract(u, now_ms);
        LOG_INFO("ui", "idle for %d s: attract loop%s", u->idle_timeout_ms / 1000,
                 was_home ? "" : " (back home)");
        changed = true;
    }
    if (u->attract && !u->attract_paused && !u->touch_down && now_ms >= u->attract_next_ms) {
        u->attract_step++;
        u->attract_next_ms += u->attract_interval_ms;
        if (u->attract_next_ms <= now_ms) {
            u->attract_next_ms = now_ms + u->attract_interval_ms;
        }
        changed = true;
    }
    if (u->fling) {
        struct ui_nav *nv = ui_top(u);
        float dt = (float)(now_ms - u->fling_ms);
        if (dt > 0.0f) {
            /* exact integral of v * exp(-t / tau) over dt */
            float decay = expf(-dt / UI_FLING_TAU_MS);
            float moved = u->fling_v * UI_FLING_TAU_MS * (1.0f - decay);
            float next = clampf(nv->scroll + moved, 0.0f, u->scroll_max);
            u->fling_v *= decay;
            u->fling_ms = now_ms;
            if (next != nv->scroll) {
                nv->scroll = next;
                changed = true;
            }
            if (fabsf(u->fling_v) < UI_FLING_MIN_V || next <= 0.0f || next >= u->scroll_max) {
                u->fling = false;
            }
        }
    }
    if (changed) {
        u->dirty = true;
    }
    return changed;
}

int64_t ui_next_deadline(const struct ui *u, int64_t now_ms)
{
    int64_t best = -1;
    if (u->dirty) {
        return 0;
    }
    if (u->closed) {
        return u->closed_msg_until_ms != 0
                   ? (u->closed_msg_until_ms > now_ms ? u->closed_msg_until_ms - now_ms : 0)
                   : -1;
    }
    if (u->fling) {
        best = UI_FRAME_MS;
    }
    int64_t d;
    if (u->attract && u->attract_paused) {
        d = u->last_touch_ms + u->idle_timeout_ms - now_ms;
    } else if (u->attract) {
        d = u->attract_next_ms - now_ms;
    } else if (u->idle_warning) {
        /* the next second of the countdown, or home */
        int64_t left = u->last_touch_ms + u->idle_timeout_ms - now_ms;
        d = left > 0 ? (left - 1) % 1000 + 1 : 0;
    } else if (u->in_session && now_ms < u->last_touch_ms + ui_warn_after_ms(u)) {
        d = u->last_touch_ms + ui_warn_after_ms(u) - now_ms;
    } else {
        d = u->last_touch_ms + u->idle_timeout_ms - now_ms;
    }
    if (d < 0) {
        d = 0;
    }
    if (best < 0 || d < best) {
        best = d;
    }
    return best;
}

static bool content_stale(const struct ui *u)
{
    const struct model *m = u->m;
    return m->feed && m->clock_synced && m->content_fetched_at > 0 &&
           m->now - m->content_fetched_at > (int64_t)u->stale_after_s;
}

void ui_draw(struct ui *u, int64_t now_ms)
{
    const struct ui_metrics *mt = &u->mt;
    gfx_frame_begin(u->g);
    u->n_hits = 0;
    u->scroll_rect = (SDL_Rect){0, 0, 0, 0};
    u->scroll_blocks = false;
    u->blocks_back = 0;
    u->dirty = false;
    u->scratch_used = 0;
    u->drawn_generation = u->m->generation;
    u->drawn_emergency = emergency_active(u);
    /* every word and glyph of this frame in the visitor's language */
    ui_str_set_lang(u->lang);
    u->n_ja_shown = 0;
    gfx_set_script(u->g, ui_lang_script(u->lang));
    gfx_set_text_lang(u->g, ui_lang_code(u->lang));
    count_shown(u, now_ms);

    if (u->drawn_emergency) {
        scr_emergency_draw(u);
        return;
    }
    if (u->closed) {
        scr_closed_draw(u, now_ms);
        return;
    }
    if (u->attract) {
        scr_attract_draw(u, now_ms);
        return;
    }
    gfx_fill_rect(u->g, (SDL_Rect){0, 0, u->w, u->h}, THEME_BG);
    /* the header keeps its size and places in large text (its name and clock are large
     * already): drawn with the unscaled metrics, so its name has the room it has without */
    struct ui_metrics content_mt = u->mt;
    metrics_for(u->w, u->h, 1.0f, &u->mt);
    w_header(u, (SDL_Rect){0, 0, u->w, mt->header_h});
    u->mt = content_mt;
    int top = mt->header_h;
    top += w_announcement_bands(u, (SDL_Rect){0, top, scr_detail_band_w(u), u->h / 3});
    const struct ui_nav *nv = ui_top(u);
    bool home = nv->screen == UI_SCREEN_HOME;
    int bottom = u->h - mt->footer_h;
    SDL_Rect footer = {0, bottom, u->w, mt->footer_h};
    int sh = content_stale(u) ? w_stale_band(u, (SDL_Rect){0, 0, u->w, 0}) : 0;
    bottom -= sh;
    SDL_Rect content = {0, top, u->w, bottom - top};
    switch (nv->screen) {
    case UI_SCREEN_HOME:
        scr_home_draw(u, content);
        break;
    case UI_SCREEN_LIST:
        scr_list_draw(u, content);
        break;
    case UI_SCREEN_DETAIL:
        scr_detail_draw(u, content);
        break;
    case UI_SCREEN_ANNOUNCEMENTS:
        scr_announcements_draw(u, content);
        break;
    case UI_SCREEN_KINDS:
        scr_kinds_list_draw(u, content);
        break;
    case UI_SCREEN_KIND_DETAIL:
        scr_kinds_detail_draw(u, content);
        break;
    }
    /* After the screen, so nothing a screen draws near its bottom can cover the band. */
    if (sh > 0) {
        w_stale_band(u, (SDL_Rect){0, bottom, u->w, sh});
    }
    w_footer(u, footer, !home);
    if (u->idle_warning) {
        /* what is under the veil is not for reading now: the listing holds the warning */
        gfx_frame_begin(u->g);
        w_idle_warning(u, now_ms);
    } else if (u->lang_open) {
        /* the chooser covers the screen: what it dims is not there to read */
        gfx_frame_begin(u->g);
        w_lang_chooser(u);
    }
}

/* ---- Usage counting: what was shown, told to the sink (ui.h) ---- */

void ui_set_counter_sink(struct ui *u, const struct ui_counter_sink *sink)
{
    u->sink = sink ? *sink : (struct ui_counter_sink){0};
}

static void emit(struct ui *u, const struct ui_count_event *e)
{
    if (u->sink.count) {
        u->sink.count(u->sink.ctx, e);
    }
}

static void count_touch(struct ui *u, int64_t now_ms)
{
    if (!u->in_session && !u->closed && !emergency_active(u)) {
        u->in_session = true;
        emit(u, &(struct ui_count_event){.what = UI_COUNT_SESSION});
        /* the screen touched (home, after start-up) is one the visitor saw, though it was
         * drawn before the session began; the tap may open another before the next frame */
        count_shown(u, now_ms);
    }
}

static void count_filter(struct ui *u, const char *name, const char *value)
{
    char full[UI_ID_MAX + 16];

    snprintf(full, sizeof full, "%s%s%s", name, value ? ":" : "", value ? value : "");
    emit(u, &(struct ui_count_event){.what = UI_COUNT_FILTER, .name = full});
}

static void count_qr_end(struct ui *u, int64_t now_ms)
{
    if (u->qr_id[0] != '\0') {
        int64_t ms = now_ms > u->qr_since_ms ? now_ms - u->qr_since_ms : 0;
        emit(u, &(struct ui_count_event){.what = UI_COUNT_QR, .id = u->qr_id, .ms = ms});
    }
    u->qr_id[0] = '\0';
}

/* Once per step of the attract loop whose listing carries a QR code. */
static void count_attract(struct ui *u)
{
    const struct feed_item *items[UI_ATTRACT_MAX];

    if (u->counted_attract_step == u->attract_step + 1) {
        return;
    }
    u->counted_attract_step = u->attract_step + 1;
    size_t n = scr_attract_items(u, items, UI_ATTRACT_MAX);
    const struct feed_item *it = n > 0 ? items[u->attract_step % n] : NULL;
    if (it && it->signup_url) {
        emit(u, &(struct ui_count_event){.what = UI_COUNT_ATTRACT_QR, .id = it->id});
    }
}

static void count_detail(struct ui *u, const char *id, int64_t now_ms)
{
    const struct feed_item *it = u->m->feed ? feed_find(u->m->feed, id) : NULL;

    if (!it) {
        return;
    }
    emit(u, &(struct ui_count_event){.what = UI_COUNT_LISTING,
                                     .id = it->id,
                                     .title = it->title.ja,
                                     .category = it->n_categories ? it->categories[0] : NULL});
    /* the detail screen draws the code whenever the URL fits (ui_qr_max_url) */
    if (it->signup_url && strlen(it->signup_url) <= ui_qr_max_url()) {
        copy_id(u->qr_id, it->id);
        u->qr_since_ms = now_ms;
    }
}

/* A grant, desk, room or group opened counts as a listing too, its kind's name ("grants")
 * in the category's place, so the review sees which kinds visitors read. */
static void count_kind_detail(struct ui *u, const struct ui_nav *nv, int64_t now_ms)
{
    enum feed_extra_kind kind = (enum feed_extra_kind)nv->extra;
    const void *e = u->m->feed ? scr_kinds_find(u->m->feed, kind, nv->id) : NULL;
    struct feed_item card;

    if (!e) {
        return;
    }
    bool code = scr_kinds_card(u, kind, e, &card);
    emit(u, &(struct ui_count_event){.what = UI_COUNT_LISTING,
                                     .id = card.id,
                                     .title = card.title.ja,
                                     .category = feed_extra_member(kind)});
    if (code && strlen(card.signup_url) <= ui_qr_max_url()) {
        copy_id(u->qr_id, card.id);
        u->qr_since_ms = now_ms;
    }
}

/* Called as each frame starts: a screen counts when it differs from the last frame's. */
static void count_shown(struct ui *u, int64_t now_ms)
{
    char key[sizeof u->shown_key];
    const struct ui_nav *nv = ui_top(u);
    /* screens count only in a visitor's session: not the start-up home or a screenshot */
    bool content = !u->drawn_emergency && !u->closed && !u->attract && u->in_session;

    if (content) {
        snprintf(key, sizeof key, "%d:%d:%d:%s", (int)nv->screen, (int)nv->kind, nv->extra, nv->id);
    } else {
        snprintf(key, sizeof key, "%s", u->attract ? "attract" : "-");
    }
    if (u->attract && !u->drawn_emergency && !u->closed) {
        count_attract(u);
    }
    if (strcmp(key, u->shown_key) == 0) {
        return;
    }
    snprintf(u->shown_key, sizeof u->shown_key, "%s", key);
    count_qr_end(u, now_ms);
    if (!content) {
        return;
    }
    emit(u, &(struct ui_count_event){.what = UI_COUNT_SCREEN, .screen = nv->screen});
    if (nv->screen == UI_SCREEN_DETAIL) {
        count_detail(u, nv->id, now_ms);
    } else if (nv->screen == UI_SCREEN_KIND_DETAIL) {
        count_kind_detail(u, nv, now_ms);
    }
}

void ui_count_language(struct ui *u, const char *lang)
{
    if (u->in_session && lang && *lang) {
        emit(u, &(struct ui_count_event){.what = UI_COUNT_LANGUAGE, .name = lang});
    }
}

void ui_count_large_text(struct ui *u)
{
    if (u->in_session) {
        emit(u, &(struct ui_count_event){.what = UI_COUNT_LARGE_TEXT});
    }
}
