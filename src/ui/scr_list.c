/* scr_list: the events or volunteer listings as rows under day headings, past ones gone,
 * with filters by day, category and audience. The list goes by pages of whole rows (two
 * columns on a landscape screen, the day in a gutter on a portrait one): ▲▼ and a swipe
 * turn a page, and 「3 / 9」 says where the visitor is. Landscape puts the title and the
 * filters in a column on the left; portrait puts them above the rows. */
#include <stdio.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"
#include "util/timeutil.h"

static const struct theme_hue filter_hue = {THEME_BUTTON, THEME_BUTTON_SOFT};

/* Lays out chips left to right, wrapping; returns the y below the last row. A chip that
 * would fall below `bottom` is not drawn. */
struct flow {
    int x0, x, y, right, bottom;
    bool full;
};

static void flow_chip(struct ui *u, struct flow *fl, const char *label, struct theme_hue hue,
                      bool selected, enum ui_action act, int arg, const char *sarg)
{
    const struct ui_metrics *mt = &u->mt;
    int w = w_chip_width(u, label);
    int maxw = fl->right - fl->x0;
    if (w > maxw) {
        w = maxw;
    }
    if (fl->x + w > fl->right && fl->x > fl->x0) {
        fl->x = fl->x0;
        fl->y += mt->chip_h + mt->gap / 2;
    }
    if (fl->y + mt->chip_h > fl->bottom) {
        fl->full = true;
        return;
    }
    w_chip(u, fl->x, fl->y, w, label, hue, selected, true, act, arg, sarg);
    fl->x += w + mt->gap / 2;
}

/* True when some current listing of this kind carries the category (or audience): a
 * chip that could only ever give an empty list is not offered. */
static bool label_used(struct ui *u, enum feed_kind kind, const char *id, bool audience)
{
    const struct feed *f = u->m->feed;
    for (size_t i = 0; i < feed_count(f, kind); i++) {
        const struct feed_item *it = feed_item_at(f, kind, i);
        size_t n = audience ? it->n_audiences : it->n_categories;
        const char *const *ids = audience ? it->audiences : it->categories;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(ids[k], id) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* A section label above its controls. Returns its height. */
static int section_label(struct ui *u, int x, int y, int w, const char *title)
{
    const struct ui_metrics *mt = &u->mt;
    int h = w_text_height(u, title, w, GFX_FONT_BOLD, mt->f_small, 1);
    w_text(u, title, (SDL_Rect){x, y, w, h}, GFX_FONT_BOLD, mt->f_small, THEME_TEXT_SUB,
           GFX_ALIGN_LEFT, 1);
    return h + mt->gap / 3;
}

/* A large button showing the current choice ("すべて ▼"); it opens the chooser. A label,
 * when given, leads the value inside the button (「分野 すべて ▼」), where a label above it
 * would take a row; too long a label shows in place of 「すべて」 (「曜日・時間帯 ▼」). */
static void chooser_button(struct ui *u, SDL_Rect r, const char *label, const char *value,
                           bool active, struct theme_hue hue, int which)
{
    const struct ui_metrics *mt = &u->mt;
    if (active) {
        gfx_fill_round_rect(u->g, r, r.h / 2, hue.fg);
    } else {
        gfx_fill_round_rect(u->g, r, r.h / 2, THEME_CHIP_OFF);
        gfx_stroke_round_rect(u->g, r, r.h / 2, (int)(3 * mt->unit) + 1, THEME_CHIP_OFF_LINE);
    }
    struct gfx_color fg = active ? THEME_BUTTON_TEXT : THEME_TEXT;
    const char *mark = ui_str(UI_STR_PICK_MARK);
    int inset = mt->pad * 3 / 4;
    int mw = w_text_width(u, mark, GFX_FONT_BOLD, mt->f_body);
    int lh = w_text_height(u, value, r.w, GFX_FONT_BOLD, mt->f_body - 2, 1);
    int vpx = mt->f_body - 2;
    int vx = r.x + inset;
    int room = r.x + r.w - inset - mw - mt->gap - vx;
    if (label) {
        int lw = w_text_width(u, label, GFX_FONT_TEXT, mt->f_small);
        if (lw + mt->gap / 2 + w_text_width(u, value, GFX_FONT_BOLD, mt->f_body - 2) > room) {
            /* no room for both: the label stands for 「すべて」 until a choice is made, which
             * then shows alone */
            vpx = active ? vpx : mt->f_small;
            value = active ? value : label;
        } else {
            int llh = w_text_height(u, label, lw + 1, GFX_FONT_TEXT, mt->f_small, 1);
            w_text(u, label, (SDL_Rect){vx, r.y + (r.h - llh) / 2, lw + 1, llh}, GFX_FONT_TEXT,
                   mt->f_small, fg, GFX_ALIGN_LEFT, 1);
            vx += lw + mt->gap / 2;
        }
    }
    int vh = w_text_height(u, value, r.w, GFX_FONT_BOLD, vpx, 1);
    w_text(u, value,
           (SDL_Rect){vx, r.y + (r.h - vh) / 2, r.x + r.w - inset - mw - mt->gap - vx, vh},
           GFX_FONT_BOLD, vpx, fg, GFX_ALIGN_LEFT, 1);
    w_text(u, mark, (SDL_Rect){r.x + r.w - inset - mw, r.y + (r.h - lh) / 2, mw + 1, lh},
           GFX_FONT_BOLD, mt->f_body - 2, fg, GFX_ALIGN_RIGHT, 1);
    ui_hit_add(u, r, UI_ACT_OPEN_PICKER, which, NULL);
}

static size_t category_index_of(const struct feed *f, const char *id)
{
    for (size_t i = 0; f && i < feed_category_count(f); i++) {
        if (strcmp(feed_category_at(f, i)->id, id) == 0) {
            return i;
        }
    }
    return 0;
}

/* 「土・日 午前」: the weekdays and the part of the day a volunteer list is filtered by. */
static const char *when_label(struct ui *u, const struct ui_nav *nv)
{
    static const enum ui_str wd[7] = {UI_STR_WD_SUN, UI_STR_WD_MON, UI_STR_WD_TUE, UI_STR_WD_WED,
                                      UI_STR_WD_THU, UI_STR_WD_FRI, UI_STR_WD_SAT};
    static const enum ui_str parts[] = {UI_STR_FILTER_ANY, UI_STR_PART_MORNING,
                                        UI_STR_PART_AFTERNOON, UI_STR_PART_EVENING};
    const char *acc = "";
    for (int k = 0; k < 7; k++) {
        int day = (k + 1) % 7; /* Monday first, as a week reads here */
        if (nv->weekdays & (1u << day)) {
            acc = ui_scratchf(u, "%s%s%s", acc, acc[0] ? ui_str(UI_STR_LIST_SEP) : "",
                              ui_str(wd[day]));
        }
    }
    if (nv->daypart > FEED_DAYPART_ANY && nv->daypart <= FEED_DAYPART_EVENING) {
        acc = ui_scratchf(u, "%s%s%s", acc, acc[0] ? " " : "", ui_str(parts[nv->daypart]));
    }
    return acc;
}

/* Day chips in a grid, then one chooser button each for category and audience: every
 * control is a full-size target, however many categories the feed has. */
static int draw_filters(struct ui *u, SDL_Rect r, struct ui_nav *nv)
{
    const struct ui_metrics *mt = &u->mt;
    const struct feed *f = u->m->feed;
    static const struct {
        enum ui_str label;
        enum feed_day day;
    } days[] = {
        {UI_STR_DAY_TODAY, FEED_DAY_TODAY},
        {UI_STR_DAY_WEEK, FEED_DAY_WEEK},
        {UI_STR_DAY_MONTH, FEED_DAY_MONTH},
        {UI_STR_DAY_ALL, FEED_DAY_ALL},
    };
    int y = r.y;
    /* large text on landscape: a narrow column, each chooser on a row of its own with its
     * label inside, the choosers a little lower and closer together, so the list beside it
     * keeps two columns */
    bool stack = u->large_text && !mt->portrait;
    int sgap = stack ? mt->gap / 4 : mt->gap / 2;
    int ch = stack ? mt->chip_h * 7 / 8 : mt->chip_h;
    /* large text: the four days need no label over them, and the list keeps that row */
    if (!u->large_text) {
        y += section_label(u, r.x, y, r.w, ui_str(UI_STR_FILTER_DAY));
    }
    int cols = mt->portrait ? 4 : 2;
    int half = mt->gap / 2;
    int cw = (r.w - (cols - 1) * half) / cols;
    for (int i = 0; i < 4; i++) {
        int cx = r.x + (i % cols) * (cw + half);
        int cy = y + (i / cols) * (mt->chip_h + half);
        SDL_Rect cr = {cx, cy, cw, mt->chip_h};
        bool sel = nv->day == days[i].day;
        gfx_fill_round_rect(u->g, cr, mt->chip_h / 2, sel ? THEME_BUTTON : THEME_CHIP_OFF);
        if (!sel) {
            gfx_stroke_round_rect(u->g, cr, mt->chip_h / 2, (int)(3 * mt->unit) + 1,
                                  THEME_CHIP_OFF_LINE);
        }
        /* large text: a longer word (This month), or a taller face, takes smaller letters
         * before it is cut or meets the outline */
        const char *dl = ui_str(days[i].label);
        int dpx = mt->f_body - 2;
        int line = (int)(3 * mt->unit) + 1; /* the pill's outline */
        while (u->large_text && dpx > (int)(28 * mt->base_unit) &&
               (w_text_width(u, dl, GFX_FONT_BOLD, dpx) > cw - mt->chip_h / 2 - 2 ||
                w_text_height(u, dl, cw, GFX_FONT_BOLD, dpx, 1) > mt->chip_h - 2 * line)) {
            dpx -= 2;
        }
        SDL_Rect tr = cr;
        if (dpx < mt->f_body - 2) {
            /* a smaller line stays clear of the pill's rounded ends */
            tr.x += mt->chip_h / 4;
            tr.w -= mt->chip_h / 2;
        }
        w_text_center(u, dl, tr, GFX_FONT_BOLD, dpx, sel ? THEME_BUTTON_TEXT : THEME_TEXT);
        ui_hit_add(u, cr, UI_ACT_FILTER_DAY, (int)days[i].day, NULL);
    }
    y += (4 / cols) * (mt->chip_h + half) + sgap;
    if (!f) {
        return y - r.y;
    }
    bool have_cat = feed_category_count(f) > 0, have_aud = feed_audience_count(f) > 0;
    /* side by side on portrait, in large text (a landscape column is too short for the two
     * stacked) and in the volunteers' column, which also holds 曜日・時間帯 */
    bool vol = nv->kind == FEED_KIND_VOLUNTEER;
    bool side = (mt->portrait || u->large_text || vol) && have_cat && have_aud && !stack;
    /* portrait volunteers (and large text): 曜日・時間帯 as a third in the same row, so no
     * row of listings is lost to it */
    bool three = side && vol && (mt->portrait || u->large_text);
    int bw = three ? (r.w - 2 * mt->gap) / 3 : side ? (r.w - mt->gap) / 2 : r.w;
    int bx = r.x;
    int row_y = y;
    if (have_cat) {
        y = row_y;
        const char *lab = ui_str(UI_STR_FILTER_CATEGORY);
        y += stack ? 0 : section_label(u, bx, y, bw, lab);
        bool active = nv->category[0] != '\0';
        chooser_button(u, (SDL_Rect){bx, y, bw, ch}, stack ? lab : NULL,
                       active ? w_category_label(u, nv->category) : ui_str(UI_STR_FILTER_ANY),
                       active, theme_category_hue(category_index_of(f, nv->category)), 1);
        y += ch + sgap;
        if (side) {
            bx += bw + mt->gap;
        }
    }
    if (have_aud) {
        if (side) {
            y = row_y;
        }
        const char *lab = ui_str(UI_STR_FILTER_AUDIENCE);
        y += stack ? 0 : section_label(u, bx, y, bw, lab);
        bool active = nv->audience[0] != '\0';
        chooser_button(u, (SDL_Rect){bx, y, bw, ch}, stack ? lab : NULL,
                       active ? w_audience_label(u, nv->audience) : ui_str(UI_STR_FILTER_ANY),
                       active, filter_hue, 2);
        y += ch;
    }
    if (vol) {
        /* people choose volunteering by their free time */
        int wx = r.x, ww = r.w;
        if (three) {
            wx = bx + bw + mt->gap;
            ww = bw;
            y = row_y;
        } else {
            y += sgap;
        }
        const char *lab = ui_str(UI_STR_FILTER_WHEN);
        y += stack ? 0 : section_label(u, wx, y, ww, lab);
        bool active = nv->weekdays != 0 || nv->daypart != FEED_DAYPART_ANY;
        chooser_button(u, (SDL_Rect){wx, y, ww, ch}, stack ? lab : NULL,
                       active ? when_label(u, nv) : ui_str(UI_STR_FILTER_ANY), active, filter_hue,
                       3);
        y += ch;
    }
    return y - r.y;
}

/* The weekdays (Monday first) and the parts of the day, each a chip that turns on or off. */
static void when_chips(struct ui *u, struct flow *fl, const struct ui_nav *nv)
{
    static const enum ui_str wd[7] = {UI_STR_WD_SUN, UI_STR_WD_MON, UI_STR_WD_TUE, UI_STR_WD_WED,
                                      UI_STR_WD_THU, UI_STR_WD_FRI, UI_STR_WD_SAT};
    static const enum ui_str parts[] = {UI_STR_PART_MORNING, UI_STR_PART_AFTERNOON,
                                        UI_STR_PART_EVENING};
    const struct ui_metrics *mt = &u->mt;
    for (int k = 0; k < 7; k++) {
        int day = (k + 1) % 7;
        flow_chip(u, fl, ui_str(wd[day]), filter_hue, nv->weekdays & (1u << day),
                  UI_ACT_FILTER_WDAY, day, NULL);
    }
    fl->x = fl->x0;
    fl->y += mt->chip_h + mt->gap;
    for (int p = 0; p < 3; p++) {
        flow_chip(u, fl, ui_str(parts[p]), filter_hue, nv->daypart == p + 1, UI_ACT_FILTER_PART,
                  p + 1, NULL);
    }
}

/* The chooser: every category (or audience) of the current listings as large chips over
 * the list, or the weekdays and parts of the day. Tapping outside the panel closes it. */
static void draw_picker(struct ui *u, SDL_Rect area, struct ui_nav *nv)
{
    const struct ui_metrics *mt = &u->mt;
    const struct feed *f = u->m->feed;
    bool aud = nv->picker == 2;
    bool when = nv->picker == 3;
    gfx_fill_rect(u->g, area, THEME_BG);
    ui_hit_add(u, area, UI_ACT_CLOSE_PICKER, 0, NULL);
    int pw = area.w - 2 * mt->pad;
    int maxw = (int)(1500 * mt->unit);
    if (pw > maxw) {
        pw = maxw;
    }
    SDL_Rect panel = {area.x + (area.w - pw) / 2, area.y + mt->gap, pw, area.h - 2 * mt->gap};
    gfx_fill_round_rect(u->g, panel, mt->radius, THEME_CARD);
    gfx_stroke_round_rect(u->g, panel, mt->radius, 2, THEME_LINE);
    ui_hit_add(u, panel, UI_ACT_NONE, 0, NULL);
    int inset = mt->pad;
    int x = panel.x + inset, w = panel.w - 2 * inset;
    int y = panel.y + inset;
    const char *title = ui_str(when  ? UI_STR_PICK_WHEN
                               : aud ? UI_STR_PICK_AUDIENCE
                                     : UI_STR_PICK_CATEGORY);
    int th = w_text_height(u, title, w, GFX_FONT_BOLD, mt->f_title * 4 / 5, 1);
    w_text(u, title, (SDL_Rect){x, y, w, th}, GFX_FONT_BOLD, mt->f_title * 4 / 5, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    y += th + mt->gap;
    int close_h = mt->button_h;
    struct flow fl = {x, x, y, x + w, panel.y + panel.h - inset - close_h - mt->gap, false};
    const char *cur = aud ? nv->audience : nv->category;
    if (when) {
        when_chips(u, &fl, nv);
        fl.full = true; /* no category chips below */
    }
    if (!when) {
        flow_chip(u, &fl, ui_str(UI_STR_FILTER_ANY), filter_hue, cur[0] == '\0',
                  aud ? UI_ACT_FILTER_AUD : UI_ACT_FILTER_CAT, 0, "");
    }
    size_t n = aud ? feed_audience_count(f) : feed_category_count(f);
    for (size_t i = 0; i < n && !fl.full; i++) {
        const struct feed_label *l = aud ? feed_audience_at(f, i) : feed_category_at(f, i);
        bool sel = strcmp(cur, l->id) == 0;
        if (!sel && !label_used(u, nv->kind, l->id, aud)) {
            continue;
        }
        flow_chip(u, &fl, l->label.ja ? l->label.ja : l->id,
                  aud ? filter_hue : theme_category_hue(i), sel,
                  aud ? UI_ACT_FILTER_AUD : UI_ACT_FILTER_CAT, 0, l->id);
    }
    const char *cl = ui_str(UI_STR_CLOSE);
    int cw = w_text_width(u, cl, GFX_FONT_BOLD, mt->f_body) + 3 * mt->pad;
    w_button(u,
             (SDL_Rect){panel.x + panel.w - inset - cw, panel.y + panel.h - inset - close_h, cw,
                        close_h},
             cl, false, UI_ACT_CLOSE_PICKER, 0);
}

/* The ▲▼ column beside a paged list, with 「3 / 9」 between the buttons in large tabular
 * figures: where the visitor is, without a thin bar to decode. */
void scr_page_counter(struct ui *u, SDL_Rect col, bool can_up, bool can_down, int page, int pages)
{
    const struct ui_metrics *mt = &u->mt;
    int bh = mt->button_h * 3 / 2;
    if (bh * 2 + mt->gap > col.h) {
        bh = (col.h - mt->gap) / 2;
    }
    SDL_Rect up = {col.x, col.y, col.w, bh};
    SDL_Rect down = {col.x, col.y + col.h - bh, col.w, bh};
    for (int k = 0; k < 2; k++) {
        bool live = k == 0 ? can_up : can_down;
        SDL_Rect b = k == 0 ? up : down;
        const char *label = ui_str(k == 0 ? UI_STR_PAGE_UP : UI_STR_PAGE_DOWN);
        if (live) {
            w_button(u, b, label, true, k == 0 ? UI_ACT_PAGE_UP : UI_ACT_PAGE_DOWN, 0);
        } else {
            gfx_fill_round_rect(u->g, b, mt->radius, THEME_BUTTON_SOFT);
            w_text_center(u, label, b, GFX_FONT_BOLD, mt->f_body, THEME_CHIP_OFF_LINE);
        }
    }
    if (pages <= 1) {
        return;
    }
    char num[16], of[16];
    snprintf(num, sizeof num, "%d", page + 1);
    snprintf(of, sizeof of, "/ %d", pages);
    SDL_Rect mid = {col.x, up.y + bh, col.w, down.y - up.y - bh};
    int nh = w_text_height(u, num, col.w, GFX_FONT_BOLD, mt->f_title, 1);
    int oh = w_text_height(u, of, col.w, GFX_FONT_BOLD, mt->f_body, 1);
    if (nh + oh > mid.h) {
        return;
    }
    int y = mid.y + (mid.h - nh - oh) / 2;
    w_text(u, num, (SDL_Rect){col.x, y, col.w, nh}, GFX_FONT_BOLD, mt->f_title, THEME_TEXT,
           GFX_ALIGN_CENTER, 1);
    w_text(u, of, (SDL_Rect){col.x, y + nh, col.w, oh}, GFX_FONT_BOLD, mt->f_body, THEME_TEXT,
           GFX_ALIGN_CENTER, 1);
}

/* The ▲▼ column beside a scrolling area: a button is live only when it can move. */
void scr_page_buttons(struct ui *u, SDL_Rect col, bool can_up, bool can_down, float frac_top,
                      float frac_len)
{
    const struct ui_metrics *mt = &u->mt;
    int bh = mt->button_h * 3 / 2;
    if (bh * 2 + mt->gap > col.h) {
        bh = (col.h - mt->gap) / 2;
    }
    SDL_Rect up = {col.x, col.y, col.w, bh};
    SDL_Rect down = {col.x, col.y + col.h - bh, col.w, bh};
    if (can_up) {
        w_button(u, up, ui_str(UI_STR_PAGE_UP), true, UI_ACT_PAGE_UP, 0);
    } else {
        gfx_fill_round_rect(u->g, up, mt->radius, THEME_BUTTON_SOFT);
        w_text_center(u, ui_str(UI_STR_PAGE_UP), up, GFX_FONT_BOLD, mt->f_body,
                      THEME_CHIP_OFF_LINE);
    }
    if (can_down) {
        w_button(u, down, ui_str(UI_STR_PAGE_DOWN), true, UI_ACT_PAGE_DOWN, 0);
    } else {
        gfx_fill_round_rect(u->g, down, mt->radius, THEME_BUTTON_SOFT);
        w_text_center(u, ui_str(UI_STR_PAGE_DOWN), down, GFX_FONT_BOLD, mt->f_body,
                      THEME_CHIP_OFF_LINE);
    }
    /* a scroll bar between them shows where the visitor is */
    SDL_Rect track = {col.x + col.w / 2 - (int)(5 * mt->unit), up.y + bh + mt->gap,
                      (int)(10 * mt->unit) + 1, down.y - up.y - bh - 2 * mt->gap};
    /* a track shorter than a button would be a sliver running into ▼: left out */
    if (track.h >= bh && (can_up || can_down)) {
        gfx_fill_round_rect(u->g, track, track.w / 2, THEME_LINE);
        int th = (int)((float)track.h * frac_len);
        if (th < track.w * 3) {
            th = track.w * 3;
        }
        int ty = track.y + (int)((float)(track.h - th) * frac_top);
        gfx_fill_round_rect(u->g, (SDL_Rect){track.x, ty, track.w, th}, track.w / 2, THEME_BUTTON);
    }
}

/* The day a row is listed under: its next date's (a series shows its next one). */
static int64_t row_day(struct ui *u, const struct feed_item *it_in)
{
    struct feed_item tmp;
    const struct feed_item *it = w_item_next(u, it_in, &tmp);
    if (!it->has_start && !it->has_deadline) {
        return -1; /* no date: listed without a heading */
    }
    return timeutil_day_start(it->has_start ? it->start : it->deadline);
}

/* The list in pages of whole rows: each page starts with the heading of its first row's
 * day and takes a new heading at each change of day. */
struct list_pages {
    int head_h, row_h, row_gap;
    int cols;          /* two columns on a wide landscape view, so a page holds 6 to 8 rows */
    int gutter_w;      /* portrait: the day stands in a column left of its first row, not above */
    size_t first, end; /* the page shown: rows [first, end) */
    size_t back;       /* rows on the page before it */
    int page, pages;   /* 0-based page shown, and how many */
};

/* The rows of the column starting at `first` in `height` px: at least one. */
static size_t column_end(struct ui *u, const struct ui_selection *sel, size_t first, int height,
                         const struct list_pages *pg)
{
    int used = 0;
    int64_t day = -1;
    size_t i = first;
    for (; i < sel->n; i++) {
        int64_t d = row_day(u, sel->items[i]);
        int need = (d != day && d >= 0 ? pg->head_h : 0) + pg->row_h;
        if (used + need > height && i > first) {
            break;
        }
        used += need + pg->row_gap;
        day = d;
    }
    return i;
}

/* The height rows [first, end) of one column take, with their day headings. */
static int column_height(struct ui *u, const struct ui_selection *sel, size_t first, size_t end,
                         const struct list_pages *pg)
{
    int used = 0;
    int64_t day = -1;
    for (size_t i = first; i < end; i++) {
        int64_t d = row_day(u, sel->items[i]);
        used += (d != day && d >= 0 ? pg->head_h : 0) + pg->row_h + pg->row_gap;
        day = d;
    }
    return used;
}

static size_t page_end(struct ui *u, const struct ui_selection *sel, size_t first, int height,
                       const struct list_pages *pg)
{
    for (int c = 0; c < pg->cols && first < sel->n; c++) {
        first = column_end(u, sel, first, height, pg);
    }
    return first;
}

static void list_paginate(struct ui *u, const struct ui_selection *sel, SDL_Rect view, float scroll,
                          struct list_pages *pg)
{
    const struct ui_metrics *mt = &u->mt;
    int height = view.h;
    pg->cols = !mt->portrait && view.w >= (int)(1100 * mt->base_unit) ? 2 : 1;
    /* large text on portrait leaves too narrow a row beside a gutter: days head their rows */
    bool gutter = mt->portrait && !u->large_text;
    pg->head_h = (int)((gutter ? 0 : 50) * mt->unit);
    /* Chinese and Korean faces set the heading taller than 50 px: keep it off the card above */
    char day_text[64];
    uifmt_month_day(u->m->now, u->m->now, day_text, sizeof day_text);
    int head_need = w_text_height(u, day_text, 1 << 20, GFX_FONT_BOLD, mt->f_body, 1) + mt->gap / 3;
    if (!gutter && pg->head_h < head_need) {
        pg->head_h = head_need;
    }
    pg->gutter_w = gutter ? (int)(175 * mt->unit) : 0;
    pg->row_h = (int)((mt->portrait && !u->large_text ? 104 : 108) * mt->unit);
    pg->row_gap = (int)((mt->portrait ? 4 : 6) * mt->unit);
    if (u->large_text) {
        /* rows as low as a title line and its chips, headings as their line, gaps unscaled:
         * a page keeps five or six listings however large the letters */
        pg->head_h = w_day_heading_h(u) + mt->gap / 3;
        pg->row_h = w_row_min_h(u);
        pg->row_gap = (int)((mt->portrait ? 4 : 6) * mt->base_unit);
    }
    size_t want = scroll > 0.0f ? (size_t)scroll : 0;
    size_t s = 0, prev = 0;
    pg->first = 0;
    pg->end = 0;
    pg->back = 0;
    pg->page = 0;
    pg->pages = 0;
    while (s < sel->n) {
        size_t e = page_end(u, sel, s, height, pg);
        if (s <= want || pg->pages == 0) {
            pg->first = s;
            pg->end = e;
            pg->back = s - prev;
            pg->page = pg->pages;
        }
        pg->pages++;
        prev = s;
        s = e;
    }
}

static void list_body(struct ui *u, SDL_Rect r);

void scr_list_draw(struct ui *u, SDL_Rect r)
{
    struct ui_nav *nv = ui_top(u);
    list_body(u, r);
    if (nv->picker != 0 && u->m->feed) {
        u->scroll_rect = (SDL_Rect){0, 0, 0, 0};
        draw_picker(u, r, nv);
    }
}

static void list_body(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    struct ui_nav *nv = ui_top(u);
    const struct model *m = u->m;
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    /* the list's top and bottom margin: unscaled, and less in large text, whose day
     * headings stand clear of the bands by their own line */
    int edge = (int)((u->large_text ? 14 : 20) * mt->base_unit);
    int y = r.y + (u->large_text && !mt->portrait ? edge : mt->gap);

    /* title and count */
    const char *title =
        ui_str(nv->kind == FEED_KIND_EVENT ? UI_STR_TITLE_EVENTS : UI_STR_TITLE_VOLUNTEERS);
    const struct ui_selection *sel = m->feed ? ui_select(u, nv) : NULL;
    char cnt[32] = "";
    if (sel) {
        uifmt_count(sel->total, cnt, sizeof cnt);
    }
    /* landscape: title and count share the filter column, smaller if they must */
    /* large text: a column of unscaled width, the choosers stacked in it */
    int side_w = (int)(400 * (u->large_text ? mt->base_unit : mt->unit));
    int title_px = mt->f_title, room = mt->portrait ? w : side_w;
    int cpx = mt->f_tile_label; /* large text: the count smaller with the title */
    int tw = w_text_width(u, title, GFX_FONT_BOLD, title_px);
    /* down to the small size: "Volunteers wanted" and its count must stay in the column */
    while (title_px > mt->f_small &&
           tw + mt->gap + w_text_width(u, cnt, GFX_FONT_BOLD, cpx) > room) {
        title_px -= 2;
        if (u->large_text && title_px * 5 / 7 < cpx) {
            cpx = title_px * 5 / 7;
        }
        tw = w_text_width(u, title, GFX_FONT_BOLD, title_px);
    }
    int th = w_text_height(u, title, tw + 1, GFX_FONT_BOLD, title_px, 1);
    w_text(u, title, (SDL_Rect){x, y, tw + 1, th}, GFX_FONT_BOLD, title_px, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    if (sel) {
        int cw = w_text_width(u, cnt, GFX_FONT_BOLD, cpx);
        int ch = w_text_height(u, cnt, cw + 1, GFX_FONT_BOLD, cpx, 1);
        int cx = x + tw + mt->gap, cy = y + th - ch - th / 12;
        if (u->large_text && cx + cw > x + room) {
            /* still too wide (large text in the narrow column): the count goes under the
             * title */
            cx = x;
            cy = y + th;
            th += ch;
        }
        w_text(u, cnt, (SDL_Rect){cx, cy, cw + 1, ch}, GFX_FONT_BOLD, cpx,
               theme_tile_hue(nv->kind == FEED_KIND_EVENT ? 1 : 2).fg, GFX_ALIGN_LEFT, 1);
    }
    y += th + (u->large_text && !mt->portrait ? mt->gap / 2 : mt->gap);
    int top = y;
    if (!mt->portrait) {
        /* landscape: the title heads the filter column, the rows take the full height */
        top = r.y + edge;
    }

    /* ▲▼ and the edges keep their size in large text: the rows get the room */
    int page_col_w = (int)(120 * mt->base_unit);
    SDL_Rect view, page_col;
    int bottom = r.y + r.h - edge;
    if (mt->portrait) {
        int fh = draw_filters(u, (SDL_Rect){x, y, w, (r.y + r.h - y) / 2}, nv);
        y += fh + mt->pad;
        view = (SDL_Rect){x, y, w - page_col_w - mt->gap, bottom - y};
    } else {
        draw_filters(u, (SDL_Rect){x, y, side_w, bottom - y}, nv);
        int lx = x + side_w + mt->pad;
        view = (SDL_Rect){lx, top, x + w - page_col_w - mt->gap - lx, bottom - top};
    }
    page_col = (SDL_Rect){view.x + view.w + mt->gap, view.y, page_col_w, view.h};

    if (!m->feed) {
        bool failed = m->sync_state == MODEL_SYNC_FAILED;
        w_empty(u, view, ui_str(failed ? UI_STR_EMPTY_OFFLINE_TITLE : UI_STR_EMPTY_LOADING_TITLE),
                ui_str(failed ? UI_STR_EMPTY_OFFLINE_BODY : UI_STR_EMPTY_LOADING_BODY), NULL,
                UI_ACT_NONE);
        return;
    }
    if (sel->n == 0) {
        bool filtered = nv->day != FEED_DAY_ALL || nv->category[0] != '\0' ||
                        nv->audience[0] != '\0' || nv->weekdays != 0 ||
                        nv->daypart != FEED_DAYPART_ANY;
        w_empty_list(u, (SDL_Rect){view.x, view.y, view.w + mt->gap + page_col_w, view.h},
                     filtered);
        return;
    }

    struct list_pages pg;
    list_paginate(u, sel, view, nv->scroll, &pg);
    nv->scroll = (float)pg.first;
    u->scroll_blocks = true;
    u->n_blocks = (int)sel->n;
    u->blocks_shown = (int)(pg.end - pg.first);
    u->blocks_back = (int)pg.back;
    u->scroll_rect = view;
    /* the page: each column starts with the heading of its first day and takes one at
     * each new day, then whole rows */
    int col_w = (view.w - (pg.cols - 1) * mt->gap) / pg.cols;
    size_t i = pg.first;
    for (int c = 0; c < pg.cols && i < pg.end; c++) {
        size_t e = column_end(u, sel, i, view.h, &pg);
        int cx = view.x + c * (col_w + mt->gap);
        int64_t day = -1;
        /* the column's room below its rows goes, in order, to titles that need a second
         * line: the page keeps its rows, none is cut */
        int spare = view.h - column_height(u, sel, i, e, &pg);
        y = view.y;
        for (; i < e; i++) {
            int64_t d = row_day(u, sel->items[i]);
            if (d != day && d >= 0 && pg.gutter_w > 0) {
                w_day_gutter(u, (SDL_Rect){cx, y, pg.gutter_w - mt->gap / 2, pg.row_h}, d);
            } else if (d != day && d >= 0) {
                w_day_heading(u, (SDL_Rect){cx, y, col_w, pg.head_h - mt->gap / 3}, d);
                y += pg.head_h;
            }
            day = d;
            SDL_Rect rr = {cx + pg.gutter_w, y, col_w - pg.gutter_w, pg.row_h};
            int extra = w_row_title_extra(u, rr, sel->items[i]);
            if (extra > 0 && extra <= spare) {
                rr.h += extra;
                spare -= extra;
            }
            w_row(u, rr, sel->items[i]);
            y += rr.h + pg.row_gap;
        }
    }
    scr_page_counter(u, page_col, pg.page > 0, pg.end < sel->n, pg.page, pg.pages);
}
