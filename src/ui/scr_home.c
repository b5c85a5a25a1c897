/* scr_home: the first screen — four large tiles with counts (today's events, events,
 * volunteer listings, announcements), smaller ones for the civic-activity kinds that have
 * entries (grants, desks, rooms, groups), a timetable of what starts next, and the active
 * announcements. With no feed yet it says plainly what is happening instead. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"
#include "util/timeutil.h"

/* The width a tile's words have in a tile w wide, right of its coloured bar. */
static int tile_text_w(const struct ui_metrics *mt, int w)
{
    int inset = mt->pad * 3 / 4;
    return w - 2 * inset - (int)(14 * mt->unit);
}

/* The height of a big tile's numeral line at px. */
static int tile_num_h(struct ui *u, int px)
{
    struct gfx_text_style st = w_style(GFX_FONT_BOLD, px, THEME_TEXT);
    st.line_spacing = 1.1f;
    st.max_lines = 1;
    int widest = 0;
    return gfx_measure_text(u->g, "0", 1000, &st, &widest);
}

/* A tile's label and the line under it: whole, on two lines each when large text needs
 * them (a label breaks between phrases), never cut with …. */
static int tile_words_h(struct ui *u, const char *label, const char *sub, int w)
{
    const struct ui_metrics *mt = &u->mt;
    return w_text_height(u, label, w, GFX_FONT_BOLD, mt->f_tile_label, 2) +
           w_text_height(u, sub, w, GFX_FONT_TEXT, mt->f_small, 2);
}

static void draw_tile(struct ui *u, SDL_Rect r, int idx, const char *label, const char *sub,
                      bool known, size_t count, int num_px, enum ui_action act)
{
    const struct ui_metrics *mt = &u->mt;
    struct theme_hue hue = theme_tile_hue(idx);
    w_card(u, r, mt->radius);
    gfx_fill_round_rect(u->g, (SDL_Rect){r.x, r.y, (int)(14 * mt->unit) + 1, r.h}, mt->radius / 2,
                        hue.fg);
    int inset = mt->pad * 3 / 4;
    int x = r.x + inset + (int)(14 * mt->unit);
    int w = tile_text_w(mt, r.w);
    int y = r.y + inset * 3 / 4;
    int lh = w_text_height(u, label, w, GFX_FONT_BOLD, mt->f_tile_label, 2);
    w_text(u, label, (SDL_Rect){x, y, w, lh}, GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT,
           GFX_ALIGN_LEFT, 2);
    y += lh;
    char num[32];
    snprintf(num, sizeof num, "%zu", count);
    const char *n = known ? num : ui_str(UI_STR_COUNT_UNKNOWN);
    struct gfx_text_style st = w_style(GFX_FONT_BOLD, num_px, hue.fg);
    st.line_spacing = 1.1f;
    st.max_lines = 1;
    int widest = 0;
    int nh = gfx_measure_text(u->g, n, w, &st, &widest);
    int sub_h = w_text_height(u, sub, w, GFX_FONT_TEXT, mt->f_small, 2);
    int avail = r.y + r.h - inset / 2 - sub_h - y;
    /* A smaller numeral rather than one cut by its line box. */
    while (nh > avail && st.px > mt->f_tile_label) {
        st.px -= 2;
        nh = gfx_measure_text(u->g, n, w, &st, &widest);
    }
    if (nh > avail) {
        nh = avail;
    }
    if (u->large_text && nh < avail) {
        /* the numerals of a row on one line, whether their labels took one line or two */
        y += avail - nh;
    }
    gfx_draw_text(u->g, n, (SDL_Rect){x, y, widest + 1, nh}, &st);
    if (known) {
        const char *unit = ui_str(UI_STR_COUNT_UNIT);
        int upx = mt->f_tile_label;
        int uw = w_text_width(u, unit, GFX_FONT_BOLD, upx);
        int uh = w_text_height(u, unit, uw + 1, GFX_FONT_BOLD, upx, 1);
        if (uh > nh && uh > 0) {
            /* a regional face is taller: the unit keeps within the number's line */
            upx = upx * nh / uh;
            uw = w_text_width(u, unit, GFX_FONT_BOLD, upx);
            uh = w_text_height(u, unit, uw + 1, GFX_FONT_BOLD, upx, 1);
        }
        if (x + widest + mt->gap / 2 + uw <= x + w) {
            /* on the number's foot, but never above its top */
            int uy = y + nh - uh - nh / 10 < y ? y : y + nh - uh - nh / 10;
            w_text(u, unit, (SDL_Rect){x + widest + mt->gap / 2, uy, uw + 1, uh}, GFX_FONT_BOLD,
                   upx, THEME_TEXT, GFX_ALIGN_LEFT, 1);
        }
    }
    y += nh;
    w_text(u, sub, (SDL_Rect){x, y, w, sub_h}, GFX_FONT_TEXT, mt->f_small, THEME_TEXT_SUB,
           GFX_ALIGN_LEFT, 2);
    ui_hit_add(u, r, act, 0, NULL);
}

/* Large text: the tiles show their labels and counts without the line under each, which
 * would leave today's board and the notices no room on the one screen. */
static bool home_words_only(const struct ui *u)
{
    return u->large_text;
}

/* The civic-activity kinds that have entries now, as smaller tiles in a row (two rows of two
 * on a portrait screen): a feed without grants shows no grants tile. Returns the height
 * used, 0 when no kind has any. */
static int draw_kind_tiles(struct ui *u, int x, int y, int w, bool draw)
{
    bool subs = !home_words_only(u);
    static const enum ui_str sub_ids[FEED_EXTRA_COUNT] = {
        UI_STR_TILE_GRANTS_SUB, UI_STR_TILE_DESKS_SUB, UI_STR_TILE_ROOMS_SUB,
        UI_STR_TILE_GROUPS_SUB};
    const struct ui_metrics *mt = &u->mt;
    int kinds[FEED_EXTRA_COUNT];
    size_t counts[FEED_EXTRA_COUNT];
    int n = 0;
    for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
        struct ui_nav key;
        memset(&key, 0, sizeof key);
        key.extra = k;
        size_t c = scr_kinds_select(u, &key, NULL, 0);
        if (c > 0) {
            kinds[n] = k;
            counts[n++] = c;
        }
    }
    if (n == 0) {
        return 0;
    }
    int cols = mt->portrait ? 2 : 4;
    int tile_w = (w - (cols - 1) * mt->gap) / cols;
    int inset = mt->pad * 2 / 3;
    int tile_h = (int)(110 * mt->unit);
    int count_w[FEED_EXTRA_COUNT];
    for (int i = 0; i < n; i++) {
        char num[32];
        uifmt_count(counts[i], num, sizeof num);
        count_w[i] = w_text_width(u, num, GFX_FONT_BOLD, mt->f_tile_label);
        int tw = tile_w - 2 * inset - (int)(14 * mt->unit) - count_w[i] - mt->gap;
        enum feed_extra_kind kind = (enum feed_extra_kind)kinds[i];
        /* large text: as tall as the tallest label and line need, none of them cut */
        const char *sub = subs ? ui_str(sub_ids[kind]) : "";
        int need = tile_words_h(u, ui_str(scr_kinds_title(kind)), sub, tw) + mt->gap / 2;
        tile_h = need > tile_h ? need : tile_h;
    }
    int rows = (n + cols - 1) / cols;
    if (!draw) {
        return rows * tile_h + (rows - 1) * mt->gap;
    }
    for (int i = 0; i < n; i++) {
        enum feed_extra_kind kind = (enum feed_extra_kind)kinds[i];
        struct theme_hue hue = scr_kinds_hue(kind);
        SDL_Rect r = {x + (i % cols) * (tile_w + mt->gap), y + (i / cols) * (tile_h + mt->gap),
                      tile_w, tile_h};
        w_card(u, r, mt->radius);
        gfx_fill_round_rect(u->g, (SDL_Rect){r.x, r.y, (int)(14 * mt->unit) + 1, r.h},
                            mt->radius / 2, hue.fg);
        int tx = r.x + inset + (int)(14 * mt->unit);
        char num[32];
        uifmt_count(counts[i], num, sizeof num);
        int nw = count_w[i];
        int tw = r.x + r.w - inset - nw - mt->gap - tx;
        const char *label = ui_str(scr_kinds_title(kind));
        int lh = w_text_height(u, label, tw, GFX_FONT_BOLD, mt->f_tile_label, 2);
        const char *sub = subs ? ui_str(sub_ids[kind]) : "";
        int sh = w_text_height(u, sub, tw, GFX_FONT_TEXT, mt->f_small, 2);
        int ty = r.y + (r.h - lh - sh) / 2;
        w_text(u, label, (SDL_Rect){tx, ty, tw, lh}, GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT,
               GFX_ALIGN_LEFT, 2);
        w_text(u, sub, (SDL_Rect){tx, ty + lh, tw, sh}, GFX_FONT_TEXT, mt->f_small, THEME_TEXT_SUB,
               GFX_ALIGN_LEFT, 2);
        int nh = w_text_height(u, num, nw + 1, GFX_FONT_BOLD, mt->f_tile_label, 1);
        w_text(u, num, (SDL_Rect){r.x + r.w - inset - nw, r.y + (r.h - nh) / 2, nw + 1, nh},
               GFX_FONT_BOLD, mt->f_tile_label, hue.fg, GFX_ALIGN_RIGHT, 1);
        ui_hit_add(u, r, UI_ACT_OPEN_KIND, (int)kind, NULL);
    }
    return rows * tile_h + (rows - 1) * mt->gap;
}

static const char *sub_of(const struct ui *u, enum ui_str id)
{
    return home_words_only(u) ? "" : ui_str(id);
}

static size_t count_kind(struct ui *u, enum feed_kind kind, enum feed_day day)
{
    struct feed_filter flt = {.kind = kind, .day = day, .category = NULL, .audience = NULL};
    return feed_count_current(u->m->feed, &flt, u->m->now);
}

static bool running(const struct ui *u, const struct feed_item *it)
{
    return u->m->clock_synced && it->has_start && it->start <= u->m->now &&
           (!it->has_end || u->m->now < it->end);
}

/* One row of the board: when (today: the time; later: the date with the weekday in its
 * colour, and the time), 開催中 for what runs now, the title and the place under it. */
/* A tag on a board row's second line, raised when it is taller than the line so that it
 * stays inside the row's outline. */
static int row_tag_y(SDL_Rect r, int y, int h)
{
    return y + h > r.y + r.h - 3 ? r.y + r.h - 3 - h : y;
}

static void board_row(struct ui *u, SDL_Rect r, const struct feed_item *it_in, bool today)
{
    struct feed_item tmp;
    const struct feed_item *it = w_item_next(u, it_in, &tmp);
    const struct ui_metrics *mt = &u->mt;
    w_card(u, r, mt->radius / 2);
    struct theme_hue hue = w_item_hue(u, it);
    gfx_fill_rect(u->g, (SDL_Rect){r.x, r.y + mt->gap / 2, (int)(8 * mt->unit) + 1, r.h - mt->gap},
                  hue.fg);
    int x = r.x + mt->gap + (int)(8 * mt->unit);
    int date_w = (int)((today ? 300 : 400) * mt->unit);
    int fpx = mt->f_body;
    int lh = w_text_height(u, "あ", 1000, GFX_FONT_BOLD, fpx, 1);
    int sh = w_text_height(u, "あ", 1000, GFX_FONT_TEXT, mt->f_small, 1);
    int y = r.y + (r.h - lh - sh) / 2;
    char md[64], wd[16], tr[512];
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    if (it->has_start) {
        uifmt_time_range(it, tr, sizeof tr);
        int w1 = 0, w2 = 0;
        if (!today) {
            uifmt_month_day(it->start, now, md, sizeof md);
            uifmt_weekday(it->start, wd, sizeof wd);
            w1 = w_text_width(u, md, GFX_FONT_BOLD, fpx);
            w2 = w_text_width(u, wd, GFX_FONT_BOLD, fpx);
            w_text(u, md, (SDL_Rect){x, y, w1 + 1, lh}, GFX_FONT_BOLD, fpx, THEME_TEXT,
                   GFX_ALIGN_LEFT, 1);
            enum uifmt_wday_class c = uifmt_wday_class(it->start);
            w_text(u, wd, (SDL_Rect){x + w1, y, w2 + 1, lh}, GFX_FONT_BOLD, fpx,
                   c == UIFMT_SATURDAY ? THEME_SATURDAY
                                       : (c == UIFMT_SUNDAY ? THEME_SUNDAY : THEME_TEXT),
                   GFX_ALIGN_LEFT, 1);
            w_text(u, tr, (SDL_Rect){x, y + lh, date_w, sh}, GFX_FONT_TEXT, mt->f_small, THEME_TEXT,
                   GFX_ALIGN_LEFT, 1);
        } else {
            w_text(u, tr, (SDL_Rect){x, y, date_w, lh}, GFX_FONT_BOLD, fpx, THEME_TEXT,
                   GFX_ALIGN_LEFT, 1);
        }
        if (today && running(u, it)) {
            struct uifmt_chip chips[UIFMT_MAX_CHIPS];
            size_t n = uifmt_chips(it, now, chips);
            for (size_t i = 0; i < n; i++) {
                if (chips[i].kind == UIFMT_CHIP_STATUS) {
                    static const struct theme_hue status = {THEME_RGB(0xFFFFFF),
                                                            THEME_RGB(0xB3261E)};
                    w_tag(u, x, y + lh, date_w, chips[i].label, status, mt->f_small - 4);
                    break;
                }
            }
        }
    }
    int tx = x + date_w + mt->gap;
    int tw = r.x + r.w - mt->gap - tx;
    bool ja_only;
    w_text(u, w_trim(w_tr(u, &it->title, &ja_only)), (SDL_Rect){tx, y, tw, lh}, GFX_FONT_BOLD, fpx,
           THEME_TEXT, GFX_ALIGN_LEFT, 1);
    int px = tx;
    if (ja_only) {
        /* the title is in Japanese for want of a translation: says so, as a list row does */
        int jh = 0;
        w_ja_only(u, 0, 0, tw / 2, mt->f_small - 4, false, &jh);
        int jw = w_ja_only(u, tx, row_tag_y(r, y + lh, jh), tw / 2, mt->f_small - 4, true, NULL);
        px += jw > 0 ? jw + mt->gap / 3 : 0;
    }
    if (it->place.ja) {
        w_text(u, w_tr(u, &it->place, NULL), (SDL_Rect){px, y + lh, tx + tw - px, sh},
               GFX_FONT_TEXT, mt->f_small, THEME_TEXT_SUB, GFX_ALIGN_LEFT, 1);
    }
    ui_hit_add(u, r, UI_ACT_OPEN_DETAIL, 0, it->id);
}

/* A board row's height: a control's, or the room its two lines take in large text. */
static int board_row_h(struct ui *u)
{
    const struct ui_metrics *mt = &u->mt;
    int lh = w_text_height(u, "あ", 1000, GFX_FONT_BOLD, mt->f_body, 1);
    int sh = w_text_height(u, "あ", 1000, GFX_FONT_TEXT, mt->f_small, 1);
    int need = lh + sh + mt->gap / 2;
    return u->large_text && need > mt->button_h ? need : mt->button_h;
}

/* A heading of the board; with the facility's hours today at its right on the first. */
static int board_heading(struct ui *u, SDL_Rect r, const char *title, bool hours)
{
    const struct ui_metrics *mt = &u->mt;
    int th = w_text_height(u, title, r.w, GFX_FONT_BOLD, mt->f_tile_label, 1);
    int tw = w_text_width(u, title, GFX_FONT_BOLD, mt->f_tile_label);
    w_text(u, title, (SDL_Rect){r.x, r.y, tw + 1, th}, GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    char h[64], he[64];
    /* "today" needs a clock: without one the hours would be of an unknown day */
    if (hours && u->m->clock_synced && scr_hours_text(u, "〜", h, sizeof h) &&
        scr_hours_text(u, "–", he, sizeof he)) {
        /* in English the line's two languages are one: say it once */
        bool one = strcmp(ui_str(UI_STR_HOURS_TODAY), ui_str(UI_STR_HOURS_TODAY_EN)) == 0;
        const char *line = one ? ui_scratchf(u, "%s %s", ui_str(UI_STR_HOURS_TODAY_EN), he)
                               : ui_scratchf(u, "%s %s ／ %s %s", ui_str(UI_STR_HOURS_TODAY), h,
                                             ui_str(UI_STR_HOURS_TODAY_EN), he);
        int room = r.w - tw - mt->gap;
        int lw = w_text_width(u, line, GFX_FONT_BOLD, mt->f_small);
        int lh = w_text_height(u, line, r.w, GFX_FONT_BOLD, mt->f_small, 1);
        const char *ja = ui_scratchf(u, "%s %s", ui_str(UI_STR_HOURS_TODAY), h);
        const char *en = ui_scratchf(u, "%s %s", ui_str(UI_STR_HOURS_TODAY_EN), he);
        int jw = w_text_width(u, ja, GFX_FONT_BOLD, mt->f_small);
        int ew = w_text_width(u, en, GFX_FONT_BOLD, mt->f_small);
        if (lw <= room) {
            w_text(u, line, (SDL_Rect){r.x + tw + mt->gap, r.y + th - lh, room, lh}, GFX_FONT_BOLD,
                   mt->f_small, THEME_TEXT, GFX_ALIGN_RIGHT, 1);
        } else if (u->large_text && !one && jw <= room && ew <= room) {
            /* large text: the two languages one over the other, still beside the heading */
            int x2 = r.x + tw + mt->gap;
            w_text(u, ja, (SDL_Rect){x2, r.y, room, lh}, GFX_FONT_BOLD, mt->f_small, THEME_TEXT,
                   GFX_ALIGN_RIGHT, 1);
            w_text(u, en, (SDL_Rect){x2, r.y + lh, room, lh}, GFX_FONT_BOLD, mt->f_small,
                   THEME_TEXT, GFX_ALIGN_RIGHT, 1);
            th = 2 * lh > th ? 2 * lh : th;
        } else if (u->large_text && !one && jw <= r.w && ew <= r.w) {
            /* large text on a narrow screen: under the heading, a line for each language */
            w_text(u, ja, (SDL_Rect){r.x, r.y + th, r.w, lh}, GFX_FONT_BOLD, mt->f_small,
                   THEME_TEXT, GFX_ALIGN_LEFT, 1);
            w_text(u, en, (SDL_Rect){r.x, r.y + th + lh, r.w, lh}, GFX_FONT_BOLD, mt->f_small,
                   THEME_TEXT, GFX_ALIGN_LEFT, 1);
            th += 2 * lh;
        } else { /* a narrow screen: under the heading, on two lines if need be */
            lh = w_text_height(u, line, r.w, GFX_FONT_BOLD, mt->f_small, 2);
            w_text(u, line, (SDL_Rect){r.x, r.y + th, r.w, lh}, GFX_FONT_BOLD, mt->f_small,
                   THEME_TEXT, GFX_ALIGN_LEFT, 2);
            th += lh;
        }
    }
    return th + mt->gap / 2;
}

/* The least the board needs: its heading, the hours under it (on two lines in large text
 * on a narrow panel), and one row. */
static int board_min_h(struct ui *u)
{
    const struct ui_metrics *mt = &u->mt;
    return w_text_height(u, "あ", 1000, GFX_FONT_BOLD, mt->f_tile_label, 1) +
           w_text_height(u, "あ\nあ", 1000, GFX_FONT_BOLD, mt->f_small, 2) + mt->gap +
           board_row_h(u);
}

/* The least the notices panel needs in large text: its title and two lines of the newest. */
static int ann_min_h(struct ui *u, int w)
{
    const struct ui_metrics *mt = &u->mt;
    return mt->pad * 3 / 2 + w_text_height(u, "あ", w, GFX_FONT_BOLD, mt->f_tile_label, 1) +
           w_text_height(u, "あ\nあ", w, GFX_FONT_TEXT, mt->f_body - 4, 2) + mt->gap;
}

/* Home as a "today" board: what runs now (開催中) and starts later today, with time and
 * place, then the rest of this week. Without a set clock there is no "today": the next
 * listings with their dates, under a heading that promises nothing about when. */
static void draw_upcoming(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    bool synced = u->m->clock_synced;
    struct ui_nav key;
    memset(&key, 0, sizeof key);
    key.kind = FEED_KIND_EVENT;
    key.day = synced ? FEED_DAY_WEEK : FEED_DAY_ALL;
    const struct ui_selection *sel = ui_select(u, &key);
    int64_t today = synced ? timeutil_day_start(u->m->now) : -1;
    int row_h = board_row_h(u);
    int y = r.y, bottom = r.y + r.h;
    y += board_heading(u, (SDL_Rect){r.x, y, r.w, 0},
                       ui_str(synced ? UI_STR_HOME_NOW : UI_STR_TILE_EVENTS), true);
    size_t shown = 0, i = 0;
    /* today: running first (the selection is in order of start), then the rest of the day */
    for (; i < sel->n && y + row_h <= bottom; i++) {
        struct feed_item tmp;
        const struct feed_item *next = w_item_next(u, sel->items[i], &tmp);
        bool is_today = synced && next->has_start && timeutil_day_start(next->start) <= today;
        if (synced && !is_today) {
            break;
        }
        board_row(u, (SDL_Rect){r.x, y, r.w, row_h}, sel->items[i], synced);
        y += row_h + mt->gap / 2;
        shown++;
    }
    if (synced && i < sel->n && y + mt->gap + row_h * 3 / 2 <= bottom) {
        y += mt->gap / 2;
        y += board_heading(u, (SDL_Rect){r.x, y, r.w, 0}, ui_str(UI_STR_HOME_WEEK), false);
        for (; i < sel->n && y + row_h <= bottom; i++) {
            board_row(u, (SDL_Rect){r.x, y, r.w, row_h}, sel->items[i], false);
            y += row_h + mt->gap / 2;
            shown++;
        }
    }
    if (shown == 0 && sel->n == 0) {
        SDL_Rect area = {r.x, y, r.w, bottom - y};
        w_empty(u, area, ui_str(UI_STR_EMPTY_LIST_TITLE), ui_str(UI_STR_EMPTY_LIST_BODY), NULL,
                UI_ACT_NONE);
    }
}

static const char *ann_badge(enum ann_level lv)
{
    switch (lv) {
    case ANN_LEVEL_EMERGENCY:
        return ui_str(UI_STR_ANN_EMERGENCY);
    case ANN_LEVEL_IMPORTANT:
        return ui_str(UI_STR_ANN_IMPORTANT);
    default:
        return ui_str(UI_STR_ANN_NORMAL);
    }
}

static void draw_announcements_panel(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    w_card(u, r, mt->radius);
    int inset = mt->pad * 3 / 4;
    int x = r.x + inset, w = r.w - 2 * inset;
    int y = r.y + inset;
    const char *title = ui_str(UI_STR_TITLE_ANNOUNCEMENTS);
    int th = w_text_height(u, title, w, GFX_FONT_BOLD, mt->f_tile_label, 1);
    w_text(u, title, (SDL_Rect){x, y, w, th}, GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    y += th + mt->gap / 2;
    ui_hit_add(u, r, UI_ACT_OPEN_ANNOUNCEMENTS, 0, NULL);
    const struct ann_list *l = u->m->active;
    size_t n = l ? ann_list_count(l) : 0;
    if (n == 0) {
        const char *s = ui_str(UI_STR_NO_ANNOUNCEMENTS);
        int h = w_text_height(u, s, w, GFX_FONT_TEXT, mt->f_body, 2);
        w_text(u, s, (SDL_Rect){x, y, w, h}, GFX_FONT_TEXT, mt->f_body, THEME_TEXT_SUB,
               GFX_ALIGN_LEFT, 2);
        return;
    }
    int bpx = mt->f_small - 2;
    int tpx = mt->f_body - 4;
    /* each notice on at most two lines, so more of them fit; what does not fit is counted
     * at the foot (the panel opens the announcements screen) */
    int more_h = w_text_height(u, ui_str(UI_STR_MORE_PREFIX), w, GFX_FONT_BOLD, mt->f_small, 1);
    int limit = r.y + r.h - inset;
    bool tight = false; /* the newest notice moved its badge and the count to the title line */
    size_t i = 0;
    for (; i < n && !tight; i++) {
        const struct feed_announcement *a = ann_list_at(l, i);
        bool ja_only;
        const char *text = w_tr(u, &a->text, &ja_only);
        const char *badge = ann_badge(a->level);
        int bw = w_text_width(u, badge, GFX_FONT_BOLD, bpx) + bpx;
        int bh = w_text_height(u, badge, bw, GFX_FONT_BOLD, bpx, 1) + bpx / 3;
        int lines = 2;
        int h = w_text_height(u, text, w, GFX_FONT_TEXT, tpx, lines);
        int foot = i + 1 < n ? more_h + mt->gap : 0;
        int bx = x, by = y;
        if (y + bh + mt->gap / 3 + h + foot > limit) {
            if (i > 0) {
                break;
            }
            /* large text: the newest notice still shows, its badge beside the title and
             * the count of the others at the title's right, on the lines there are */
            tight = true;
            bx = x + w_text_width(u, title, GFX_FONT_BOLD, mt->f_tile_label) + mt->gap;
            by = r.y + inset + (th - bh) / 2;
            for (lines = 3; lines > 1; lines--) {
                h = w_text_height(u, text, w, GFX_FONT_TEXT, tpx, lines);
                if (y + h <= limit) {
                    break;
                }
            }
            h = w_text_height(u, text, w, GFX_FONT_TEXT, tpx, lines);
            h = y + h > limit ? 0 : h; /* never out of the panel */
        }
        bool imp = a->level != ANN_LEVEL_NORMAL;
        gfx_fill_round_rect(u->g, (SDL_Rect){bx, by, bw, bh}, mt->radius / 2,
                            imp ? THEME_IMPORTANT_BG : THEME_NORMAL_BADGE);
        w_text(u, badge, (SDL_Rect){bx, by + bpx / 6, bw, bh - bpx / 3}, GFX_FONT_BOLD, bpx,
               imp ? THEME_IMPORTANT_TEXT : THEME_TEXT, GFX_ALIGN_CENTER, 1);
        if (ja_only) {
            /* beside the badge, in the row it already takes */
            int mx = bx + bw + mt->gap / 2;
            w_ja_only(u, mx, by, x + w - mx, bpx, true, NULL);
        }
        if (!tight) {
            y += bh + mt->gap / 3;
        }
        w_text(u, text, (SDL_Rect){x, y, w, h}, GFX_FONT_TEXT, tpx, THEME_TEXT, GFX_ALIGN_LEFT,
               lines);
        y += h + mt->gap;
        if (i + 1 < n && !tight) {
            gfx_fill_rect(u->g, (SDL_Rect){x, y - mt->gap / 2, w, 2}, THEME_LINE);
        }
    }
    if (i < n) {
        char c[24];
        uifmt_count(n - i, c, sizeof c);
        const char *more = ui_scratchf(u, "%s%s ▶", ui_str(UI_STR_MORE_PREFIX), c);
        int my = tight ? r.y + inset + (th - more_h) / 2 : y;
        w_text(u, more, (SDL_Rect){x, my, w, more_h}, GFX_FONT_BOLD, mt->f_small, THEME_BUTTON,
               GFX_ALIGN_RIGHT, 1);
    }
}

static void home_draw(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    const struct model *m = u->m;
    bool have = m->feed;
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int y = r.y + mt->pad * 2 / 3;
    int cols = mt->portrait ? 2 : 4;
    int rows = 4 / cols;
    /* the civic-activity tiles take their room from the big ones, not from the timetable */
    int kinds_h = have ? draw_kind_tiles(u, 0, 0, w, false) : 0;
    int tile_w = (w - (cols - 1) * mt->gap) / cols;
    size_t n_ann = m->active ? ann_list_count(m->active) : 0;
    struct {
        enum ui_str label, sub;
        bool known;
        size_t count;
        enum ui_action act;
    } tiles[4] = {
        {UI_STR_TILE_TODAY, UI_STR_TILE_TODAY_SUB, have && m->clock_synced,
         have ? count_kind(u, FEED_KIND_EVENT, FEED_DAY_TODAY) : 0, UI_ACT_OPEN_TODAY},
        {UI_STR_TILE_EVENTS, UI_STR_TILE_EVENTS_SUB, have,
         have ? count_kind(u, FEED_KIND_EVENT, FEED_DAY_ALL) : 0, UI_ACT_OPEN_EVENTS},
        {UI_STR_TILE_VOLUNTEERS, UI_STR_TILE_VOLUNTEERS_SUB, have,
         have ? count_kind(u, FEED_KIND_VOLUNTEER, FEED_DAY_ALL) : 0, UI_ACT_OPEN_VOLUNTEERS},
        /* with no feed yet, 0 notices is as unknown as the rest: no 「0件」 beside 「－」 */
        {UI_STR_TILE_ANNOUNCEMENTS, UI_STR_TILE_ANNOUNCEMENTS_SUB, have || n_ann > 0, n_ann,
         UI_ACT_OPEN_ANNOUNCEMENTS},
    };
    int tile_h = (int)((kinds_h > 0 ? 200 : 250) * mt->unit);
    /* one numeral size for the four: large text sizes them to the tile, not each to its own */
    int num_px = u->large_text ? mt->f_tile_label * 3 / 2 : mt->f_tile_num;
    int bottom = r.y + r.h - mt->pad * 2 / 3;
    if (u->large_text) {
        /* as tall as the longest label and line need, with a numeral still large; on a
         * landscape panel the numeral gives up size before the board loses its first row */
        int words = 0;
        for (int i = 0; i < 4; i++) {
            int wh = tile_words_h(u, ui_str(tiles[i].label), sub_of(u, tiles[i].sub),
                                  tile_text_w(mt, tile_w));
            words = wh > words ? wh : words;
        }
        int inset = mt->pad * 3 / 4;
        int frame = inset * 3 / 4 + inset / 2 + words;
        tile_h = frame + tile_num_h(u, num_px);
        int below = bottom - (y + rows * tile_h + (rows - 1) * mt->gap + mt->pad +
                              (kinds_h > 0 ? kinds_h + mt->gap : 0));
        int lack = board_min_h(u) + (mt->portrait ? ann_min_h(u, w) + mt->pad : 0) - below;
        if (lack > 0) {
            int least = frame + tile_num_h(u, mt->f_tile_label);
            tile_h = tile_h - lack / rows > least ? tile_h - lack / rows : least;
            num_px = mt->f_tile_label;
            while (num_px + 2 <= mt->f_tile_label * 3 / 2 &&
                   frame + tile_num_h(u, num_px + 2) <= tile_h) {
                num_px += 2;
            }
        }
    }
    for (int i = 0; i < 4; i++) {
        int cx = x + (i % cols) * (tile_w + mt->gap);
        int cy = y + (i / cols) * (tile_h + mt->gap);
        draw_tile(u, (SDL_Rect){cx, cy, tile_w, tile_h}, i, ui_str(tiles[i].label),
                  sub_of(u, tiles[i].sub), tiles[i].known, tiles[i].count, num_px, tiles[i].act);
    }
    y += rows * tile_h + (rows - 1) * mt->gap + mt->pad;
    if (have) {
        int kh = draw_kind_tiles(u, x, y - mt->pad + mt->gap, w, true);
        y += kh > 0 ? kh + mt->gap : 0;
    }
    SDL_Rect main_area, ann_area;
    if (mt->portrait) {
        int ann_h = (int)((kinds_h > 0 ? 420 : 520) * mt->unit);
        if (u->large_text) {
            /* the tiles took more: the notices keep their title and two lines of the
             * newest, the board the rest */
            ann_h = ann_min_h(u, w);
            /* a stale band over the tiles leaves less: the board keeps its heading, the
             * hours and a row before the panel keeps its lines (its title and count stay) */
            int least = mt->pad * 2 + w_text_height(u, "あ", w, GFX_FONT_BOLD, mt->f_tile_label, 1);
            int lack = board_min_h(u) - (bottom - y - ann_h - mt->pad);
            if (lack > 0) {
                ann_h = ann_h - lack > least ? ann_h - lack : least;
            }
        }
        main_area = (SDL_Rect){x, y, w, bottom - y - ann_h - mt->pad};
        ann_area = (SDL_Rect){x, bottom - ann_h, w, ann_h};
    } else {
        /* large text: the panel keeps its width, the board the room its hours line needs */
        int ann_w = (int)(620 * mt->base_unit);
        main_area = (SDL_Rect){x, y, w - ann_w - mt->pad, bottom - y};
        ann_area = (SDL_Rect){x + w - ann_w, y, ann_w, bottom - y};
    }
    if (!have && n_ann == 0) {
        /* no feed and no notice: one message over the whole area, not an empty panel that
         * says there are no notices when nobody knows yet */
        main_area = (SDL_Rect){x, y, w, bottom - y};
        ann_area.w = 0;
    }
    if (!have) {
        bool failed = m->sync_state == MODEL_SYNC_FAILED;
        gfx_fill_round_rect(u->g, main_area, mt->radius, THEME_CARD);
        w_empty(u, main_area,
                ui_str(failed ? UI_STR_EMPTY_OFFLINE_TITLE : UI_STR_EMPTY_LOADING_TITLE),
                ui_str(failed ? UI_STR_EMPTY_OFFLINE_BODY : UI_STR_EMPTY_LOADING_BODY), NULL,
                UI_ACT_NONE);
    } else {
        draw_upcoming(u, main_area);
    }
    if (ann_area.w > 0) {
        draw_announcements_panel(u, ann_area);
    }
}

void scr_home_draw(struct ui *u, SDL_Rect r)
{
    /* large text grows the words, not the room between and around the tiles: home holds
     * eight tiles, today's board and the notices on one panel */
    struct ui_metrics keep = u->mt;
    if (u->large_text) {
        u->mt.pad = (int)lroundf(36.0f * keep.base_unit);
        u->mt.gap = (int)lroundf(20.0f * keep.base_unit);
        u->mt.radius = (int)lroundf(18.0f * keep.base_unit);
    }
    home_draw(u, r);
    u->mt = keep;
}
