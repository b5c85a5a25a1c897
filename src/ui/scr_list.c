/* scr_list: the events or volunteer listings as cards, ordered by date, past ones gone,
 * with filters by day, category and audience. The list scrolls by drag with momentum,
 * and large ▲▼ buttons page it for visitors who do not drag. Landscape puts the filters
 * in a column on the left; portrait puts them above the cards. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"

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

static int flow_section(struct ui *u, struct flow *fl, const char *title)
{
    const struct ui_metrics *mt = &u->mt;
    if (fl->x > fl->x0) {
        fl->y += mt->chip_h + mt->gap;
    }
    fl->x = fl->x0;
    int h = w_text_height(u, title, fl->right - fl->x0, GFX_FONT_BOLD, mt->f_small, 1);
    if (fl->y + h > fl->bottom) {
        fl->full = true;
        return 0;
    }
    w_text(u, title, (SDL_Rect){fl->x0, fl->y, fl->right - fl->x0, h}, GFX_FONT_BOLD,
           mt->f_small, THEME_TEXT_SUB, GFX_ALIGN_LEFT, 1);
    fl->y += h + mt->gap / 3;
    return h;
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

static int draw_filters(struct ui *u, SDL_Rect r, struct ui_nav *nv)
{
    const struct feed *f = u->m->feed;
    struct flow fl = {r.x, r.x, r.y, r.x + r.w, r.y + r.h, false};
    static const struct {
        enum ui_str label;
        enum feed_day day;
    } days[] = {
        {UI_STR_DAY_TODAY, FEED_DAY_TODAY},
        {UI_STR_DAY_WEEK, FEED_DAY_WEEK},
        {UI_STR_DAY_MONTH, FEED_DAY_MONTH},
        {UI_STR_DAY_ALL, FEED_DAY_ALL},
    };
    flow_section(u, &fl, ui_str(UI_STR_FILTER_DAY));
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        flow_chip(u, &fl, ui_str(days[i].label), filter_hue, nv->day == days[i].day,
                  UI_ACT_FILTER_DAY, (int)days[i].day, NULL);
    }
    if (f != NULL && feed_category_count(f) > 0) {
        flow_section(u, &fl, ui_str(UI_STR_FILTER_CATEGORY));
        flow_chip(u, &fl, ui_str(UI_STR_FILTER_ANY), filter_hue, nv->category[0] == '\0',
                  UI_ACT_FILTER_CAT, 0, "");
        for (size_t i = 0; i < feed_category_count(f) && !fl.full; i++) {
            const struct feed_label *l = feed_category_at(f, i);
            bool sel = strcmp(nv->category, l->id) == 0;
            if (!sel && !label_used(u, nv->kind, l->id, false)) {
                continue;
            }
            flow_chip(u, &fl, l->label.ja != NULL ? l->label.ja : l->id, theme_category_hue(i),
                      sel, UI_ACT_FILTER_CAT, 0, l->id);
        }
    }
    if (f != NULL && feed_audience_count(f) > 0 && !fl.full) {
        flow_section(u, &fl, ui_str(UI_STR_FILTER_AUDIENCE));
        flow_chip(u, &fl, ui_str(UI_STR_FILTER_ANY), filter_hue, nv->audience[0] == '\0',
                  UI_ACT_FILTER_AUD, 0, "");
        for (size_t i = 0; i < feed_audience_count(f) && !fl.full; i++) {
            const struct feed_label *l = feed_audience_at(f, i);
            bool sel = strcmp(nv->audience, l->id) == 0;
            if (!sel && !label_used(u, nv->kind, l->id, true)) {
                continue;
            }
            flow_chip(u, &fl, l->label.ja != NULL ? l->label.ja : l->id, filter_hue, sel,
                      UI_ACT_FILTER_AUD, 0, l->id);
        }
    }
    return fl.y + (fl.x > fl.x0 ? u->mt.chip_h : 0) - r.y;
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
    }
    if (can_down) {
        w_button(u, down, ui_str(UI_STR_PAGE_DOWN), true, UI_ACT_PAGE_DOWN, 0);
    } else {
        gfx_fill_round_rect(u->g, down, mt->radius, THEME_BUTTON_SOFT);
    }
    /* a scroll bar between them shows where the visitor is */
    SDL_Rect track = {col.x + col.w / 2 - (int)(5 * mt->unit), up.y + bh + mt->gap,
                      (int)(10 * mt->unit) + 1, down.y - up.y - bh - 2 * mt->gap};
    if (track.h > 0 && (can_up || can_down)) {
        gfx_fill_round_rect(u->g, track, track.w / 2, THEME_LINE);
        int th = (int)((float)track.h * frac_len);
        if (th < track.w * 3) {
            th = track.w * 3;
        }
        int ty = track.y + (int)((float)(track.h - th) * frac_top);
        gfx_fill_round_rect(u->g, (SDL_Rect){track.x, ty, track.w, th}, track.w / 2,
                            THEME_BUTTON);
    }
}

void scr_list_draw(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    struct ui_nav *nv = ui_top(u);
    const struct model *m = u->m;
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int y = r.y + mt->gap;

    /* title and count */
    const char *title = ui_str(nv->kind == FEED_KIND_EVENT ? UI_STR_TITLE_EVENTS
                                                           : UI_STR_TITLE_VOLUNTEERS);
    const struct ui_selection *sel = m->feed != NULL ? ui_select(u, nv) : NULL;
    int tw = w_text_width(u, title, GFX_FONT_BOLD, mt->f_title);
    int th = w_text_height(u, title, tw + 1, GFX_FONT_BOLD, mt->f_title, 1);
    w_text(u, title, (SDL_Rect){x, y, tw + 1, th}, GFX_FONT_BOLD, mt->f_title, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    if (sel != NULL) {
        char cnt[32];
        uifmt_count(sel->total, cnt, sizeof cnt);
        int cw = w_text_width(u, cnt, GFX_FONT_BOLD, mt->f_tile_label);
        int ch = w_text_height(u, cnt, cw + 1, GFX_FONT_BOLD, mt->f_tile_label, 1);
        w_text(u, cnt, (SDL_Rect){x + tw + mt->gap, y + th - ch - th / 12, cw + 1, ch},
               GFX_FONT_BOLD, mt->f_tile_label,
               theme_tile_hue(nv->kind == FEED_KIND_EVENT ? 1 : 2).fg, GFX_ALIGN_LEFT, 1);
    }
    y += th + mt->gap;

    int page_col_w = (int)(120 * mt->unit);
    SDL_Rect view, page_col;
    int bottom = r.y + r.h - mt->gap;
    if (mt->portrait) {
        int fh = draw_filters(u, (SDL_Rect){x, y, w, (r.y + r.h - y) / 3}, nv);
        y += fh + mt->pad;
        view = (SDL_Rect){x, y, w - page_col_w - mt->gap, bottom - y};
    } else {
        int side_w = (int)(540 * mt->unit);
        draw_filters(u, (SDL_Rect){x, y, side_w, bottom - y}, nv);
        int lx = x + side_w + mt->pad;
        view = (SDL_Rect){lx, y, x + w - page_col_w - mt->gap - lx, bottom - y};
    }
    page_col = (SDL_Rect){view.x + view.w + mt->gap, view.y, page_col_w, view.h};

    if (m->feed == NULL) {
        bool failed = m->sync_state == MODEL_SYNC_FAILED;
        w_empty(u, view, ui_str(failed ? UI_STR_EMPTY_OFFLINE_TITLE : UI_STR_EMPTY_LOADING_TITLE),
                ui_str(failed ? UI_STR_EMPTY_OFFLINE_BODY : UI_STR_EMPTY_LOADING_BODY), NULL,
                UI_ACT_NONE);
        return;
    }
    if (sel->n == 0) {
        bool filtered = nv->day != FEED_DAY_ALL || nv->category[0] != '\0' ||
                        nv->audience[0] != '\0';
        SDL_Rect er = {view.x, view.y, view.w + mt->gap + page_col_w, view.h};
        gfx_fill_round_rect(u->g, er, mt->radius, THEME_CARD);
        if (filtered) {
            w_empty(u, er, ui_str(UI_STR_EMPTY_FILTER_TITLE), ui_str(UI_STR_EMPTY_FILTER_BODY),
                    ui_str(UI_STR_CLEAR_FILTER), UI_ACT_CLEAR_FILTER);
        } else {
            w_empty(u, er, ui_str(UI_STR_EMPTY_LIST_TITLE), ui_str(UI_STR_EMPTY_LIST_BODY), NULL,
                    UI_ACT_NONE);
        }
        return;
    }

    int card_h = (int)(236 * mt->unit);
    int stride = card_h + mt->gap;
    float content_h = (float)((int)sel->n * stride - mt->gap);
    u->scroll_max = content_h > (float)view.h ? content_h - (float)view.h : 0.0f;
    if (nv->scroll > u->scroll_max) {
        nv->scroll = u->scroll_max;
    }
    if (nv->scroll < 0.0f) {
        nv->scroll = 0.0f;
    }
    int per_page = view.h / stride;
    u->page_px = per_page > 0 ? per_page * stride : view.h;
    u->scroll_rect = view;
    int off = (int)lroundf(nv->scroll);
    size_t first = (size_t)(off / stride);
    for (size_t i = first; i < sel->n; i++) {
        int cy = view.y + (int)i * stride - off;
        if (cy >= view.y + view.h) {
            break;
        }
        w_card(u, (SDL_Rect){view.x, cy, view.w, card_h}, sel->items[i], view);
    }
    float frac_len = content_h > 0 ? (float)view.h / content_h : 1.0f;
    float frac_top = u->scroll_max > 0 ? nv->scroll / u->scroll_max : 0.0f;
    scr_page_buttons(u, page_col, nv->scroll > 0.5f, nv->scroll < u->scroll_max - 0.5f,
                     frac_top, frac_len > 1.0f ? 1.0f : frac_len);
}
