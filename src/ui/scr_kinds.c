/* scr_kinds: the civic-activity listings of feed/kinds.h — grants by deadline, consultation
 * desks with whether they take visitors now, rooms with a grid of this week's free slots,
 * and the directory of groups — as a paged list of rows and a detail with a QR code.
 *
 * The list pages by whole rows with the event list's ▲▼ counter, and a detail's facts page
 * by blocks through scr_detail.c (heading, QR panel, blocks): only the rows and the room
 * grid are drawn here. Times are the model's clock in the facility's zone; while the clock
 * is not trusted nothing is called open or past. */
#include <stdio.h>
#include <string.h>

#include "feed/kinds_time.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"
#include "util/timeutil.h"

#define KINDS_ROWS_MAX 512
#define GRID_DAYS 7
#define GRID_CELLS 4 /* slots in a day's row; more are counted, not drawn */

static const struct theme_hue open_hue = {THEME_RGB(0xFFFFFF), THEME_RGB(0x1E7034)};
static const struct theme_hue shut_hue = {THEME_RGB(0x1D2125), THEME_RGB(0xE4E8EC)};
static const struct theme_hue near_hue = {THEME_RGB(0xFFFFFF), THEME_RGB(0xB3261E)};
/* a chip's hue: filled with fg when chosen */
static const struct theme_hue recruit_hue = {THEME_RGB(0x1E7034), THEME_RGB(0xE2F3E6)};

static int64_t clock_now(const struct ui *u)
{
    return u->m->clock_synced ? u->m->now : 0;
}

struct theme_hue scr_kinds_hue(enum feed_extra_kind kind)
{
    return theme_category_hue(4 + (size_t)kind);
}

enum ui_str scr_kinds_title(enum feed_extra_kind kind)
{
    static const enum ui_str t[FEED_EXTRA_COUNT] = {UI_STR_TITLE_GRANTS, UI_STR_TITLE_DESKS,
                                                    UI_STR_TITLE_ROOMS, UI_STR_TITLE_GROUPS};
    return kind < FEED_EXTRA_COUNT ? t[kind] : UI_STR_TITLE_GRANTS;
}

const void *scr_kinds_find(const struct feed *f, enum feed_extra_kind kind, const char *id)
{
    for (size_t i = 0; f && id && i < feed_extra_count(f, kind); i++) {
        const void *e = kind == FEED_EXTRA_GRANT  ? (const void *)feed_grant_at(f, i)
                        : kind == FEED_EXTRA_DESK ? (const void *)feed_desk_at(f, i)
                        : kind == FEED_EXTRA_ROOM ? (const void *)feed_room_at(f, i)
                                                  : (const void *)feed_group_at(f, i);
        /* every entry of kinds.h starts with its id */
        if (strcmp(*(const char *const *)e, id) == 0) {
            return e;
        }
    }
    return NULL;
}

size_t scr_kinds_select(struct ui *u, const struct ui_nav *nv, const void **out, size_t max)
{
    const struct feed *f = u->m->feed;
    enum feed_extra_kind kind = (enum feed_extra_kind)nv->extra;
    size_t n = 0;

    if (!f) {
        return 0;
    }
    if (kind == FEED_EXTRA_GRANT) {
        const struct feed_grant *g[KINDS_ROWS_MAX];
        n = grants_select(f, u->m->now, g, KINDS_ROWS_MAX);
        for (size_t i = 0; i < n && i < max && i < KINDS_ROWS_MAX; i++) {
            out[i] = g[i];
        }
    } else if (kind == FEED_EXTRA_GROUP) {
        const struct feed_group *g[KINDS_ROWS_MAX];
        n = groups_select(f, nv->category[0] ? nv->category : NULL, nv->recruiting, g,
                          KINDS_ROWS_MAX);
        for (size_t i = 0; i < n && i < max && i < KINDS_ROWS_MAX; i++) {
            out[i] = g[i];
        }
    } else {
        n = feed_extra_count(f, kind);
        for (size_t i = 0; i < n && i < max; i++) {
            out[i] = kind == FEED_EXTRA_DESK ? (const void *)feed_desk_at(f, i)
                                             : (const void *)feed_room_at(f, i);
        }
    }
    return n < KINDS_ROWS_MAX ? n : KINDS_ROWS_MAX;
}

/* ---- what a row and a heading say ---- */

/* 「締切まであと 5日」, 「きょう締切」; *near when within 7 days. "" with no trusted clock. */
static const char *days_left(struct ui *u, const struct feed_grant *g, bool *near)
{
    int64_t now = clock_now(u);
    int d;

    *near = false;
    if (now <= 0) {
        return "";
    }
    d = grant_days_left(g, now);
    *near = d >= 0 && d <= 7;
    if (d < 0) {
        /* a list never shows it; a detail opened before midnight still may */
        return ui_str(UI_STR_DEADLINE_PASSED);
    }
    if (d == 0) {
        return ui_str(UI_STR_DEADLINE_TODAY);
    }
    return ui_scratchf(u, "%s %d%s", ui_str(UI_STR_DAYS_LEFT), d, ui_str(UI_STR_DAYS_LEFT_UNIT));
}

/* 「12月1日(火)まで」: the last day applications are taken. */
static const char *deadline_day(struct ui *u, const struct feed_grant *g)
{
    char d[64];
    uifmt_date(g->deadline - 1, clock_now(u), d, sizeof d);
    return ui_scratchf(u, "%s%s", d, ui_str(UI_STR_UNTIL));
}

/* 「17:00まで受付」 while open, 「次の受付 11月27日(金) 9:30」 when not; *open says which.
 * NULL when the desk gives no hours or the clock is not trusted. */
static const char *desk_state(struct ui *u, const struct feed_desk *d, bool *open)
{
    int64_t now = clock_now(u);
    struct desk_span s;
    char when[64], hm[16];

    *open = false;
    if (now <= 0 || d->n_hours == 0) {
        return NULL;
    }
    if (desk_open_now(d, now, &s)) {
        *open = true;
        uifmt_hm(s.end, hm, sizeof hm);
        return ui_scratchf(u, "%s%s", hm, ui_str(UI_STR_UNTIL));
    }
    if (!desk_next_opening(d, now, &s)) {
        return ui_str(UI_STR_NO_OPENING);
    }
    uifmt_date(s.start, now, when, sizeof when);
    uifmt_hm(s.start, hm, sizeof hm);
    if (timeutil_day_start(s.start) == timeutil_day_start(now)) {
        return ui_scratchf(u, "%s %s %s", ui_str(UI_STR_NEXT_OPEN), ui_str(UI_STR_TODAY), hm);
    }
    return ui_scratchf(u, "%s %s %s", ui_str(UI_STR_NEXT_OPEN), when, hm);
}

/* The weekly hours in words: 「月・火・木・金 9:30〜17:00」, one rule a line. */
static const char *hours_text(struct ui *u, const struct feed_hours *h, size_t n)
{
    static const enum ui_str wd[7] = {UI_STR_WD_SUN, UI_STR_WD_MON, UI_STR_WD_TUE, UI_STR_WD_WED,
                                      UI_STR_WD_THU, UI_STR_WD_FRI, UI_STR_WD_SAT};
    static const int order[7] = {1, 2, 3, 4, 5, 6, 0}; /* the week as a desk's sign reads */
    const char *acc = "";
    for (size_t i = 0; i < n; i++) {
        const char *days = "";
        for (int k = 0; k < 7; k++) {
            if (h[i].days & (1u << order[k])) {
                days = ui_scratchf(u, "%s%s%s", days, days[0] ? ui_str(UI_STR_LIST_SEP) : "",
                                   ui_str(wd[order[k]]));
            }
        }
        acc =
            ui_scratchf(u, "%s%s%s %d:%02d%s%d:%02d", acc, acc[0] ? "\n" : "", days, h[i].open / 60,
                        h[i].open % 60, ui_str(UI_STR_RANGE_SEP), h[i].close / 60, h[i].close % 60);
    }
    return acc[0] ? acc : NULL;
}

/* Closures and special hours not yet over, in words. */
static const char *exceptions_text(struct ui *u, const struct feed_desk *d)
{
    int64_t now = clock_now(u);
    const char *acc = "";
    for (size_t i = 0; i < d->n_exceptions; i++) {
        const struct feed_hours_exception *x = &d->exceptions[i];
        int64_t y;
        int m, dd;
        char a[64], b[64];
        timeutil_civil_from_days(x->to_day, &y, &m, &dd);
        int64_t last = timeutil_make_local((int)y, m, dd, 12, 0);
        if (now > 0 && last < timeutil_day_start(now)) {
            continue;
        }
        timeutil_civil_from_days(x->from_day, &y, &m, &dd);
        uifmt_date(timeutil_make_local((int)y, m, dd, 12, 0), now, a, sizeof a);
        uifmt_date(last, now, b, sizeof b);
        const char *span = x->to_day > x->from_day
                               ? ui_scratchf(u, "%s%s%s", a, ui_str(UI_STR_RANGE_SEP), b)
                               : ui_scratchf(u, "%s", a);
        const char *what =
            x->closed ? ui_str(UI_STR_CLOSED_DAY)
                      : ui_scratchf(u, "%d:%02d%s%d:%02d", x->open / 60, x->open % 60,
                                    ui_str(UI_STR_RANGE_SEP), x->close / 60, x->close % 60);
        acc = ui_scratchf(u, "%s%s%s %s%s%s", acc, acc[0] ? "\n" : "", span, what,
                          x->note.ja ? " " : "", x->note.ja ? x->note.ja : "");
    }
    return acc[0] ? acc : NULL;
}

/* 「定員 20名・1時間 600円」 */
static const char *room_facts(struct ui *u, const struct feed_room *r)
{
    const char *acc = "";
    if (r->capacity >= 0) {
        acc = ui_scratchf(u, "%s %d%s", ui_str(UI_STR_F_CAPACITY), r->capacity,
                          ui_str(UI_STR_CAPACITY_UNIT));
    }
    if (r->fee.ja) {
        acc = ui_scratchf(u, "%s%s%s", acc, acc[0] ? ui_str(UI_STR_LIST_SEP) : "", r->fee.ja);
    }
    return acc;
}

static const char *join_categories(struct ui *u, const struct feed_group *g)
{
    const char *acc = NULL;
    for (size_t i = 0; i < g->n_categories; i++) {
        const char *l = w_category_label(u, g->categories[i]);
        acc = !acc ? ui_scratchf(u, "%s", l)
                   : ui_scratchf(u, "%s%s%s", acc, ui_str(UI_STR_LIST_SEP), l);
    }
    return acc;
}

/* ---- the rows ---- */

struct row_text {
    const char *lead, *lead2; /* the left column: a state or figure, and a line under it */
    struct theme_hue lead_hue;
    bool lead_badge;                /* lead drawn as a filled badge */
    const char *title, *line, *big; /* big: a phone number, drawn large on the right */
};

static void row_texts(struct ui *u, enum feed_extra_kind kind, const void *e, struct row_text *t)
{
    memset(t, 0, sizeof *t);
    t->lead_hue = shut_hue;
    if (kind == FEED_EXTRA_GRANT) {
        const struct feed_grant *g = e;
        bool near;
        t->lead = days_left(u, g, &near);
        t->lead_hue = near ? near_hue : shut_hue;
        t->lead_badge = t->lead[0];
        t->lead2 = deadline_day(u, g);
        t->title = g->title.ja;
        t->line = g->amount.ja ? g->amount.ja : g->provider.ja;
    } else if (kind == FEED_EXTRA_DESK) {
        const struct feed_desk *d = e;
        bool open;
        t->lead2 = desk_state(u, d, &open);
        t->lead = t->lead2 ? ui_str(open ? UI_STR_OPEN_NOW : UI_STR_CLOSED_NOW) : NULL;
        t->lead_hue = open ? open_hue : shut_hue;
        t->lead_badge = t->lead;
        t->title = d->name.ja;
        t->line = d->place.ja;
        t->big = d->phone;
    } else if (kind == FEED_EXTRA_ROOM) {
        const struct feed_room *r = e;
        t->title = ui_scratchf(u, "%s %s", r->facility.ja, r->name.ja);
        t->line = room_facts(u, r);
        if (r->n_slots > 0 && clock_now(u) > 0) {
            size_t n = room_free_slots(r, clock_now(u), FEED_DAY_TODAY, NULL, 0);
            t->lead =
                ui_scratchf(u, "%s %zu%s", ui_str(UI_STR_FREE_TODAY), n, ui_str(UI_STR_SLOTS_UNIT));
            t->lead_hue = n > 0 ? open_hue : shut_hue;
            t->lead_badge = true;
            size_t w = room_free_slots(r, clock_now(u), FEED_DAY_WEEK, NULL, 0);
            t->lead2 =
                ui_scratchf(u, "%s %zu%s", ui_str(UI_STR_FREE_WEEK), w, ui_str(UI_STR_SLOTS_UNIT));
        }
    } else {
        const struct feed_group *g = e;
        t->title = g->name.ja;
        t->line = g->activity.ja ? g->activity.ja : g->summary.ja;
        if (g->recruiting) {
            t->lead = ui_str(UI_STR_RECRUITING);
            t->lead_hue = open_hue;
            t->lead_badge = true;
        }
        t->lead2 = join_categories(u, g);
    }
}

static void draw_row(struct ui *u, SDL_Rect r, enum feed_extra_kind kind, const void *e)
{
    const struct ui_metrics *mt = &u->mt;
    struct row_text t;
    row_texts(u, kind, e, &t);
    w_card(u, r, mt->radius / 2);
    gfx_fill_rect(u->g,
                  (SDL_Rect){r.x, r.y + mt->radius / 2, (int)(8 * mt->unit) + 1, r.h - mt->radius},
                  scr_kinds_hue(kind).fg);
    int inset = mt->gap / 2;
    int x = r.x + inset + (int)(12 * mt->unit);
    int lw = (int)(270 * mt->unit);
    int y = r.y + inset;
    int bpx = mt->f_small - 2;
    if (t.lead && t.lead[0]) {
        if (t.lead_badge) {
            int bh = w_text_height(u, t.lead, lw, GFX_FONT_BOLD, bpx, 1) + bpx / 2;
            gfx_fill_round_rect(u->g, (SDL_Rect){x, y, lw, bh}, bh / 2, t.lead_hue.bg);
            w_text(u, t.lead, (SDL_Rect){x, y + bpx / 4, lw, bh - bpx / 2}, GFX_FONT_BOLD, bpx,
                   t.lead_hue.fg, GFX_ALIGN_CENTER, 1);
            y += bh + mt->gap / 4;
        } else {
            y += w_text(u, t.lead, (SDL_Rect){x, y, lw, r.y + r.h - y}, GFX_FONT_BOLD, bpx,
                        THEME_TEXT, GFX_ALIGN_LEFT, 1);
        }
    }
    if (t.lead2) {
        /* a date may take two lines; a list of fields is cut rather than broken mid-word */
        int lines = kind == FEED_EXTRA_GROUP ? 1 : 2;
        int h = w_text_height(u, t.lead2, lw, GFX_FONT_TEXT, mt->f_small - 2, lines);
        if (y + h <= r.y + r.h - inset) {
            w_text(u, t.lead2, (SDL_Rect){x, y, lw, h}, GFX_FONT_TEXT, mt->f_small - 2,
                   THEME_TEXT_SUB, GFX_ALIGN_LEFT, lines);
        }
    }
    int tx = x + lw + mt->gap;
    int tw = r.x + r.w - inset - tx;
    y = r.y + inset;
    const char *title = w_trim(t.title);
    int th = w_text_height(u, title, tw, GFX_FONT_BOLD, mt->f_body, 2);
    y += w_text(u, title, (SDL_Rect){tx, y, tw, th}, GFX_FONT_BOLD, mt->f_body, THEME_TEXT,
                GFX_ALIGN_LEFT, 2);
    /* a desk's phone number takes the second line, large: it is what a visitor copies */
    const char *line = t.big ? t.big : t.line;
    int lpx = t.big ? mt->f_card_title : mt->f_small;
    if (line && line[0]) {
        int lh = w_text_height(u, line, tw, t.big ? GFX_FONT_BOLD : GFX_FONT_TEXT, lpx, 1);
        if (y + lh <= r.y + r.h - inset) {
            w_text(u, line, (SDL_Rect){tx, y, tw, lh}, t.big ? GFX_FONT_BOLD : GFX_FONT_TEXT, lpx,
                   t.big ? THEME_TEXT : THEME_TEXT_SUB, GFX_ALIGN_LEFT, 1);
        }
    }
    ui_hit_add(u, r, UI_ACT_OPEN_KIND_DETAIL, (int)kind, *(const char *const *)e);
}

/* The groups' filters: 会員募集中 and each field some group names. Returns the height. */
static int group_filters(struct ui *u, SDL_Rect r, const struct ui_nav *nv)
{
    const struct ui_metrics *mt = &u->mt;
    const struct feed *f = u->m->feed;
    int x = r.x, y = r.y;
    struct theme_hue hue = scr_kinds_hue(FEED_EXTRA_GROUP);
    x += w_chip(u, x, y, r.w, ui_str(UI_STR_RECRUITING_ONLY), recruit_hue, nv->recruiting, true,
                UI_ACT_FILTER_RECRUITING, 0, NULL) +
         mt->gap;
    const char *any = ui_str(UI_STR_FILTER_ANY);
    x += w_chip(u, x, y, r.x + r.w - x, any, hue, nv->category[0] == '\0', true, UI_ACT_FILTER_CAT,
                0, "") +
         mt->gap / 2;
    for (size_t i = 0; f && i < feed_category_count(f); i++) {
        const struct feed_label *l = feed_category_at(f, i);
        if (groups_select(f, l->id, false, NULL, 0) == 0) {
            continue;
        }
        const char *label = l->label.ja ? l->label.ja : l->id;
        int cw = w_chip_width(u, label);
        if (x + cw > r.x + r.w) {
            x = r.x;
            y += mt->chip_h + mt->gap / 2;
            if (y + mt->chip_h > r.y + r.h) {
                break;
            }
        }
        x += w_chip(u, x, y, r.x + r.w - x, label, theme_category_hue(i),
                    strcmp(nv->category, l->id) == 0, true, UI_ACT_FILTER_CAT, 0, l->id) +
             mt->gap / 2;
    }
    return y + mt->chip_h - r.y;
}

void scr_kinds_list_draw(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    struct ui_nav *nv = ui_top(u);
    enum feed_extra_kind kind = (enum feed_extra_kind)nv->extra;
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int y = r.y + mt->gap;
    const void *rows[KINDS_ROWS_MAX];
    size_t n = scr_kinds_select(u, nv, rows, KINDS_ROWS_MAX);

    const char *title = ui_str(scr_kinds_title(kind));
    char cnt[32];
    uifmt_count(n, cnt, sizeof cnt);
    int tw = w_text_width(u, title, GFX_FONT_BOLD, mt->f_title);
    int th = w_text_height(u, title, tw + 1, GFX_FONT_BOLD, mt->f_title, 1);
    w_text(u, title, (SDL_Rect){x, y, tw + 1, th}, GFX_FONT_BOLD, mt->f_title, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    if (u->m->feed) {
        int cw = w_text_width(u, cnt, GFX_FONT_BOLD, mt->f_tile_label);
        int ch = w_text_height(u, cnt, cw + 1, GFX_FONT_BOLD, mt->f_tile_label, 1);
        w_text(u, cnt, (SDL_Rect){x + tw + mt->gap, y + th - ch - th / 12, cw + 1, ch},
               GFX_FONT_BOLD, mt->f_tile_label, scr_kinds_hue(kind).fg, GFX_ALIGN_LEFT, 1);
    }
    y += th + mt->gap;
    if (kind == FEED_EXTRA_GROUP && u->m->feed) {
        y += group_filters(u, (SDL_Rect){x, y, w, 2 * mt->chip_h + mt->gap / 2}, nv) + mt->gap;
    }
    int page_col_w = (int)(120 * mt->unit);
    int bottom = r.y + r.h - mt->gap;
    SDL_Rect view = {x, y, w - page_col_w - mt->gap, bottom - y};
    SDL_Rect page_col = {view.x + view.w + mt->gap, view.y, page_col_w, view.h};
    if (n == 0) {
        bool filtered = nv->category[0] != '\0' || nv->recruiting;
        w_empty_list(u, (SDL_Rect){x, y, w, bottom - y}, filtered);
        return;
    }
    int cols = !mt->portrait && view.w >= (int)(1100 * mt->unit) ? 2 : 1;
    int row_h = (int)(150 * mt->unit), row_gap = (int)(10 * mt->unit);
    int per_col = (view.h + row_gap) / (row_h + row_gap);
    if (per_col < 1) {
        per_col = 1;
    }
    size_t per_page = (size_t)(per_col * cols);
    size_t first = nv->scroll > 0.0f ? (size_t)nv->scroll : 0;
    first = first < n ? first - first % per_page : (n - 1) - (n - 1) % per_page;
    nv->scroll = (float)first;
    u->scroll_blocks = true;
    u->n_blocks = (int)n;
    u->blocks_shown = (int)(first + per_page < n ? per_page : n - first);
    u->blocks_back = (int)per_page;
    u->scroll_rect = view;
    int col_w = (view.w - (cols - 1) * mt->gap) / cols;
    for (size_t i = first; i < n && i < first + per_page; i++) {
        size_t k = i - first;
        /* row by row, so a short list fills both columns from the top */
        int c = (int)(k % (size_t)cols), rr = (int)(k / (size_t)cols);
        draw_row(u,
                 (SDL_Rect){view.x + c * (col_w + mt->gap), view.y + rr * (row_h + row_gap), col_w,
                            row_h},
                 kind, rows[i]);
    }
    int pages = (int)((n + per_page - 1) / per_page);
    scr_page_counter(u, page_col, first > 0, first + per_page < n, (int)(first / per_page), pages);
}

/* ---- the detail ---- */

/* A room's free and booked slots, a row a day from today for a week: each slot a cell with
 * its start and a mark (○ free, × booked) beside the colour, under a legend. Returns the
 * height used. */
static int room_grid(struct ui *u, SDL_Rect r, const struct feed_room *rm)
{
    const struct ui_metrics *mt = &u->mt;
    int64_t now = clock_now(u);
    int64_t day = timeutil_day_start(now > 0 ? now : rm->slots[0].start);
    int label_w = (int)(210 * mt->unit);
    int cell_gap = mt->gap / 3;
    int px = mt->f_small + 2;
    int line = w_text_height(u, "あ", 1000, GFX_FONT_BOLD, px, 1);
    int row_h = line + 2 * cell_gap;
    int y = r.y;
    const char *head = ui_scratchf(u, "%s　%s　%s", ui_str(UI_STR_F_SLOTS),
                                   ui_str(UI_STR_SLOT_FREE), ui_str(UI_STR_SLOT_BOOKED));
    int hh = w_text_height(u, head, r.w, GFX_FONT_BOLD, mt->f_small, 1);
    y += w_text(u, head, (SDL_Rect){r.x, y, r.w, hh}, GFX_FONT_BOLD, mt->f_small, THEME_TEXT_SUB,
                GFX_ALIGN_LEFT, 1) +
         mt->gap / 3;
    for (int d = 0; d < GRID_DAYS && y + row_h <= r.y + r.h; d++) {
        struct time_parts p;
        timeutil_local(day, &p);
        int64_t next = timeutil_make_local(p.year, p.month, p.day + 1, 0, 0);
        const struct feed_slot *s[GRID_CELLS];
        size_t ns = room_slots_on(rm, day, s, GRID_CELLS);
        char date[64];
        uifmt_date(day, now, date, sizeof date);
        const char *label = d == 0 && now > 0 ? ui_str(UI_STR_TODAY) : date;
        w_text(u, label, (SDL_Rect){r.x, y + (row_h - line) / 2, label_w, line}, GFX_FONT_BOLD, px,
               THEME_TEXT, GFX_ALIGN_LEFT, 1);
        int cx = r.x + label_w;
        int cells = ns < GRID_CELLS ? (int)ns : GRID_CELLS;
        int cw = cells > 0 ? (r.x + r.w - cx - (cells - 1) * cell_gap) / cells : 0;
        if (cells == 0) {
            w_text(u, ui_str(UI_STR_NO_SLOTS_DAY),
                   (SDL_Rect){cx, y + (row_h - line) / 2, r.x + r.w - cx, line}, GFX_FONT_TEXT, px,
                   THEME_TEXT_SUB, GFX_ALIGN_LEFT, 1);
        }
        for (int c = 0; c < cells; c++) {
            bool free = s[c]->free && s[c]->end > now;
            SDL_Rect cell = {cx + c * (cw + cell_gap), y, cw, row_h - cell_gap};
            gfx_fill_round_rect(u->g, cell, mt->radius / 2, free ? open_hue.bg : shut_hue.bg);
            char a[16];
            uifmt_hm(s[c]->start, a, sizeof a);
            w_text(u, ui_scratchf(u, "%s %s%s", free ? "○" : "×", a, ui_str(UI_STR_RANGE_SEP)),
                   (SDL_Rect){cell.x, cell.y + (cell.h - line) / 2, cell.w, line}, GFX_FONT_BOLD,
                   px, free ? open_hue.fg : shut_hue.fg, GFX_ALIGN_CENTER, 1);
        }
        y += row_h;
        day = next;
    }
    return y - r.y + mt->gap;
}

static void detail_blocks(struct ui *u, struct scr_blocks *bs, enum feed_extra_kind kind,
                          const void *e, bool code, int width, int max_h)
{
    const struct ui_metrics *mt = &u->mt;
    int px = mt->f_body;
    if (kind == FEED_EXTRA_GRANT) {
        const struct feed_grant *g = e;
        char a[64], b[64];
        scr_blk_add(bs, ui_str(UI_STR_F_AMOUNT), g->amount.ja, GFX_FONT_BOLD, px, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_ELIGIBILITY), scr_text_both(u, &g->eligibility),
                    GFX_FONT_TEXT, px, THEME_TEXT);
        uifmt_date(g->deadline - 1, clock_now(u), b, sizeof b);
        if (g->has_opens) {
            uifmt_date(g->opens, clock_now(u), a, sizeof a);
        }
        scr_blk_add(bs, ui_str(UI_STR_F_PERIOD),
                    g->has_opens ? ui_scratchf(u, "%s%s%s", a, ui_str(UI_STR_RANGE_SEP), b)
                                 : ui_scratchf(u, "%s%s", b, ui_str(UI_STR_UNTIL)),
                    GFX_FONT_TEXT, px, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_PROVIDER), g->provider.ja, GFX_FONT_TEXT, px, THEME_TEXT);
        if (code) {
            scr_blk_add(bs, ui_str(UI_STR_F_CONTACT), scr_text_both(u, &g->contact), GFX_FONT_TEXT,
                        px, THEME_TEXT);
        }
        scr_blk_paragraphs(u, bs, g->summary.ja, width, max_h, px, THEME_TEXT);
    } else if (kind == FEED_EXTRA_DESK) {
        const struct feed_desk *d = e;
        scr_blk_add(bs, ui_str(UI_STR_F_PHONE), d->phone, GFX_FONT_BOLD, mt->f_title, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_HOURS), hours_text(u, d->hours, d->n_hours), GFX_FONT_BOLD,
                    px, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_EXCEPTIONS), exceptions_text(u, d), GFX_FONT_TEXT, px,
                    THEME_SUNDAY);
        scr_blk_add(bs, ui_str(UI_STR_F_BOOKING),
                    ui_str(d->booking_required ? UI_STR_BOOKING_REQUIRED : UI_STR_BOOKING_FREE),
                    GFX_FONT_BOLD, px, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_PLACE), d->place.ja, GFX_FONT_TEXT, px, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_HELPS), scr_text_both(u, &d->helps), GFX_FONT_TEXT, px,
                    THEME_TEXT);
        scr_blk_paragraphs(u, bs, d->note.ja, width, max_h, px, THEME_TEXT);
    } else if (kind == FEED_EXTRA_ROOM) {
        const struct feed_room *r = e;
        const char *facts = room_facts(u, r);
        scr_blk_add(bs, ui_str(UI_STR_F_FEE), facts[0] ? facts : NULL, GFX_FONT_BOLD, px,
                    THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_EQUIPMENT), scr_text_both(u, &r->equipment), GFX_FONT_TEXT,
                    px, THEME_TEXT);
        if (r->n_slots == 0) {
            scr_blk_add(bs, ui_str(UI_STR_F_SLOTS), ui_str(UI_STR_NO_SLOTS), GFX_FONT_TEXT, px,
                        THEME_TEXT_SUB);
        }
        scr_blk_paragraphs(u, bs, r->note.ja, width, max_h, px, THEME_TEXT);
    } else {
        const struct feed_group *g = e;
        scr_blk_add(bs, ui_str(UI_STR_F_SCHEDULE), scr_text_both(u, &g->activity), GFX_FONT_BOLD,
                    px, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_PLACE), g->place.ja, GFX_FONT_TEXT, px, THEME_TEXT);
        scr_blk_add(bs, ui_str(UI_STR_F_CATEGORY), join_categories(u, g), GFX_FONT_TEXT, px,
                    THEME_TEXT);
        if (code) {
            scr_blk_add(bs, ui_str(UI_STR_F_CONTACT), scr_text_both(u, &g->contact), GFX_FONT_TEXT,
                        px, THEME_TEXT);
        }
        scr_blk_paragraphs(u, bs, g->summary.ja, width, max_h, px, THEME_TEXT);
    }
}

/* What the detail's heading says under the title, and its colour. */
static const char *detail_subline(struct ui *u, enum feed_extra_kind kind, const void *e,
                                  struct gfx_color *c)
{
    *c = THEME_TEXT;
    if (kind == FEED_EXTRA_GRANT) {
        bool near;
        const char *left = days_left(u, e, &near);
        *c = near ? THEME_SUNDAY : THEME_TEXT;
        return ui_scratchf(u, "%s%s%s", left, left[0] ? "　" : "", deadline_day(u, e));
    }
    if (kind == FEED_EXTRA_DESK) {
        bool open;
        const char *s = desk_state(u, e, &open);
        *c = open ? open_hue.bg : THEME_TEXT;
        return s ? ui_scratchf(u, "%s　%s", ui_str(open ? UI_STR_OPEN_NOW : UI_STR_CLOSED_NOW), s)
                 : NULL;
    }
    if (kind == FEED_EXTRA_ROOM) {
        return ((const struct feed_room *)e)->facility.ja;
    }
    const struct feed_group *g = e;
    *c = open_hue.bg;
    return g->recruiting ? ui_str(UI_STR_RECRUITING) : NULL;
}

void scr_kinds_detail_draw(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    struct ui_nav *nv = ui_top(u);
    enum feed_extra_kind kind = (enum feed_extra_kind)nv->extra;
    const void *e = scr_kinds_find(u->m->feed, kind, nv->id);
    if (!e) {
        w_empty(u, r, ui_str(UI_STR_ITEM_GONE), "", NULL, UI_ACT_NONE);
        return;
    }
    const struct feed_text *title = NULL, *contact = NULL;
    const struct feed_link *link = NULL;
    switch (kind) {
    case FEED_EXTRA_GRANT:
        title = &((const struct feed_grant *)e)->title;
        contact = &((const struct feed_grant *)e)->contact;
        link = &((const struct feed_grant *)e)->url;
        break;
    case FEED_EXTRA_DESK:
        title = &((const struct feed_desk *)e)->name;
        link = &((const struct feed_desk *)e)->url;
        break;
    case FEED_EXTRA_ROOM:
        title = &((const struct feed_room *)e)->name;
        contact = &((const struct feed_room *)e)->note;
        link = &((const struct feed_room *)e)->booking;
        break;
    default:
        title = &((const struct feed_group *)e)->name;
        contact = &((const struct feed_group *)e)->contact;
        link = &((const struct feed_group *)e)->url;
        break;
    }
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int head_w = scr_detail_head_w(u, w);
    bool ja_only;
    const char *tt = w_tr(u, title, &ja_only);
    int y = scr_detail_heading(u, x, r.y + mt->gap, head_w, ui_str(scr_kinds_title(kind)),
                               scr_kinds_hue(kind), NULL, ja_only, tt,
                               ui_lang_is_japanese(u) ? title->en : NULL);
    struct gfx_color sc;
    const char *sub = detail_subline(u, kind, e, &sc);
    if (sub && sub[0]) {
        int sh = w_text_height(u, sub, head_w, GFX_FONT_BOLD, mt->f_date_big, 2);
        y += w_text(u, sub, (SDL_Rect){x, y, head_w, sh}, GFX_FONT_BOLD, mt->f_date_big, sc,
                    GFX_ALIGN_LEFT, 2);
    }
    y += mt->gap;
    gfx_fill_rect(u->g, (SDL_Rect){x, y, head_w, 2}, THEME_LINE);
    y += mt->gap;
    SDL_Rect view, page_col;
    const char *ct = contact && contact->ja ? scr_text_both(u, contact) : NULL;
    if (kind == FEED_EXTRA_DESK) {
        const struct feed_desk *d = e;
        ct = d->phone ? ui_scratchf(u, "%s %s", ui_str(UI_STR_F_PHONE), d->phone) : NULL;
    }
    bool code = scr_detail_body(u, r, y, link->url, link->host, ct, true, &view, &page_col);
    /* a room's grid is its first page, whole; its facts follow a page down */
    bool grid = kind == FEED_EXTRA_ROOM && ((const struct feed_room *)e)->n_slots > 0;
    if (grid && nv->scroll < 1.0f) {
        nv->scroll = 0.0f;
        room_grid(u, view, e);
        u->scroll_blocks = true;
        u->n_blocks = 2;
        u->blocks_shown = 1;
        u->scroll_rect = view;
        scr_page_buttons(u, page_col, false, true, 0.0f, 0.5f);
        return;
    }
    struct scr_blocks *bs = scr_blocks_new();
    if (!bs) {
        return;
    }
    detail_blocks(u, bs, kind, e, code, view.w, view.h * 2 / 3);
    if (grid) {
        /* block i is page position i + 1, after the grid */
        nv->scroll -= 1.0f;
        scr_blocks_draw(u, view, page_col, bs);
        nv->scroll += 1.0f;
        u->n_blocks += 1;
        if (u->blocks_shown > 0 && nv->scroll <= 1.0f) {
            /* ▲ from the first facts goes back to the grid */
            scr_page_buttons(u, page_col, true,
                             nv->scroll + (float)u->blocks_shown < (float)u->n_blocks, 0.5f, 0.5f);
        }
    } else {
        scr_blocks_draw(u, view, page_col, bs);
    }
    scr_blocks_free(bs);
}

bool scr_kinds_card(struct ui *u, enum feed_extra_kind kind, const void *e, struct feed_item *it)
{
    const struct feed_link *link;
    memset(it, 0, sizeof *it);
    it->kind = FEED_KIND_EVENT;
    it->capacity = -1;
    it->id = *(const char *const *)e;
    if (kind == FEED_EXTRA_GRANT) {
        const struct feed_grant *g = e;
        it->title = g->title;
        it->place = g->provider;
        /* its last minute: a deadline at midnight would read as the next day */
        it->has_deadline = true;
        it->deadline = g->deadline - 60;
        link = &g->url;
    } else if (kind == FEED_EXTRA_DESK) {
        const struct feed_desk *d = e;
        it->title = d->name;
        it->place = d->place;
        link = &d->url;
    } else if (kind == FEED_EXTRA_ROOM) {
        const struct feed_room *r = e;
        it->title.ja = ui_scratchf(u, "%s %s", r->facility.ja, r->name.ja);
        link = &r->booking;
    } else {
        const struct feed_group *g = e;
        it->title = g->name;
        it->place = g->place;
        link = &g->url;
    }
    it->signup_url = link->url;
    it->signup_host = link->host;
    return it->signup_url;
}
