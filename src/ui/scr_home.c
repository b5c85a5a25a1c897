/* scr_home: the first screen — four large tiles with counts (today's events, events,
 * volunteer listings, announcements), a timetable of what starts next, and the active
 * announcements. With no feed yet it says plainly what is happening instead. */
#include <stdio.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"

static void draw_tile(struct ui *u, SDL_Rect r, int idx, const char *label, const char *sub,
                      bool known, size_t count, enum ui_action act)
{
    const struct ui_metrics *mt = &u->mt;
    struct theme_hue hue = theme_tile_hue(idx);
    gfx_fill_round_rect(u->g, r, mt->radius, THEME_CARD);
    gfx_fill_round_rect(u->g, (SDL_Rect){r.x, r.y, (int)(14 * mt->unit) + 1, r.h}, mt->radius / 2,
                        hue.fg);
    int inset = mt->pad * 3 / 4;
    int x = r.x + inset + (int)(14 * mt->unit);
    int w = r.x + r.w - inset - x;
    int y = r.y + inset * 3 / 4;
    int lh = w_text_height(u, label, w, GFX_FONT_BOLD, mt->f_tile_label, 1);
    w_text(u, label, (SDL_Rect){x, y, w, lh}, GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    y += lh;
    char num[32];
    snprintf(num, sizeof num, "%zu", count);
    const char *n = known ? num : ui_str(UI_STR_COUNT_UNKNOWN);
    struct gfx_text_style st = w_style(GFX_FONT_BOLD, mt->f_tile_num, hue.fg);
    st.line_spacing = 1.1f;
    st.max_lines = 1;
    int widest = 0;
    int nh = gfx_measure_text(u->g, n, w, &st, &widest);
    int sub_h = w_text_height(u, sub, w, GFX_FONT_TEXT, mt->f_small, 1);
    int avail = r.y + r.h - inset / 2 - sub_h - y;
    /* A smaller numeral rather than one cut by its line box. */
    while (nh > avail && st.px > mt->f_tile_label) {
        st.px -= 2;
        nh = gfx_measure_text(u->g, n, w, &st, &widest);
    }
    if (nh > avail) {
        nh = avail;
    }
    gfx_draw_text(u->g, n, (SDL_Rect){x, y, widest + 1, nh}, &st);
    if (known) {
        const char *unit = ui_str(UI_STR_COUNT_UNIT);
        int uw = w_text_width(u, unit, GFX_FONT_BOLD, mt->f_tile_label);
        int uh = w_text_height(u, unit, uw + 1, GFX_FONT_BOLD, mt->f_tile_label, 1);
        if (x + widest + mt->gap / 2 + uw <= x + w) {
            w_text(u, unit, (SDL_Rect){x + widest + mt->gap / 2, y + nh - uh - nh / 10, uw + 1, uh},
                   GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT, GFX_ALIGN_LEFT, 1);
        }
    }
    y += nh;
    w_text(u, sub, (SDL_Rect){x, y, w, sub_h}, GFX_FONT_TEXT, mt->f_small, THEME_TEXT_SUB,
           GFX_ALIGN_LEFT, 1);
    ui_hit_add(u, r, act, 0, NULL);
}

static size_t count_kind(struct ui *u, enum feed_kind kind, enum feed_day day)
{
    struct feed_filter flt = {.kind = kind, .day = day, .category = NULL, .audience = NULL};
    return feed_count_current(u->m->feed, &flt, u->m->now);
}

/* One timetable row: date with the weekday in its colour, time, title. */
static void upcoming_row(struct ui *u, SDL_Rect r, const struct feed_item *it_in)
{
    struct feed_item tmp;
    const struct feed_item *it = w_item_next(u, it_in, &tmp);
    const struct ui_metrics *mt = &u->mt;
    gfx_fill_round_rect(u->g, r, mt->radius / 2, THEME_CARD);
    struct theme_hue hue = w_item_hue(u, it);
    gfx_fill_rect(u->g, (SDL_Rect){r.x, r.y + mt->gap / 2, (int)(8 * mt->unit) + 1, r.h - mt->gap},
                  hue.fg);
    int x = r.x + mt->gap + (int)(8 * mt->unit);
    int date_w = (int)(470 * mt->unit);
    int fpx = mt->f_body;
    int lh = w_text_height(u, "あ", 1000, GFX_FONT_BOLD, fpx, 1);
    int y = r.y + (r.h - lh) / 2;
    /* date and time in a fixed column so titles line up */
    char md[64], wd[16], tr[512];
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    if (it->has_start) {
        uifmt_month_day(it->start, now, md, sizeof md);
        uifmt_weekday(it->start, wd, sizeof wd);
        uifmt_time_range(it, tr, sizeof tr);
        int w1 = w_text_width(u, md, GFX_FONT_BOLD, fpx);
        int w2 = w_text_width(u, wd, GFX_FONT_BOLD, fpx);
        w_text(u, md, (SDL_Rect){x, y, w1 + 1, lh}, GFX_FONT_BOLD, fpx, THEME_TEXT, GFX_ALIGN_LEFT,
               1);
        enum uifmt_wday_class c = uifmt_wday_class(it->start);
        w_text(u, wd, (SDL_Rect){x + w1, y, w2 + 1, lh}, GFX_FONT_BOLD, fpx,
               c == UIFMT_SATURDAY ? THEME_SATURDAY
                                   : (c == UIFMT_SUNDAY ? THEME_SUNDAY : THEME_TEXT),
               GFX_ALIGN_LEFT, 1);
        int tw = date_w - w1 - w2 - mt->gap / 2;
        int th = w_text_height(u, tr, tw, GFX_FONT_TEXT, mt->f_small, 1);
        w_text(u, tr, (SDL_Rect){x + w1 + w2 + mt->gap / 2, r.y + (r.h - th) / 2, tw, th},
               GFX_FONT_TEXT, mt->f_small, THEME_TEXT_SUB, GFX_ALIGN_LEFT, 1);
    }
    int tx = x + date_w + mt->gap;
    int tw = r.x + r.w - mt->gap - tx;
    w_text(u, w_trim(w_tr(u, &it->title, NULL)), (SDL_Rect){tx, y, tw, lh}, GFX_FONT_BOLD, fpx,
           THEME_TEXT, GFX_ALIGN_LEFT, 1);
    ui_hit_add(u, r, UI_ACT_OPEN_DETAIL, 0, it->id);
}

static void draw_upcoming(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    const char *title = ui_str(UI_STR_TITLE_UPCOMING);
    int th = w_text_height(u, title, r.w, GFX_FONT_BOLD, mt->f_tile_label, 1);
    w_text(u, title, (SDL_Rect){r.x, r.y, r.w, th}, GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    SDL_Rect area = {r.x, r.y + th + mt->gap / 2, r.w, r.h - th - mt->gap / 2};
    struct ui_nav key;
    memset(&key, 0, sizeof key);
    key.kind = FEED_KIND_EVENT;
    key.day = FEED_DAY_ALL;
    const struct ui_selection *sel = ui_select(u, &key);
    if (sel->n == 0) {
        w_empty(u, area, ui_str(UI_STR_EMPTY_LIST_TITLE), ui_str(UI_STR_EMPTY_LIST_BODY), NULL,
                UI_ACT_NONE);
        return;
    }
    int row_h = mt->button_h;
    int y = area.y;
    for (size_t i = 0; i < sel->n && y + row_h <= area.y + area.h; i++) {
        struct feed_item tmp;
        const struct feed_item *next = w_item_next(u, sel->items[i], &tmp);
        if (u->m->clock_synced && next->has_start && next->start <= u->m->now) {
            continue; /* running already: not something that is about to start */
        }
        upcoming_row(u, (SDL_Rect){area.x, y, area.w, row_h}, sel->items[i]);
        y += row_h + mt->gap / 2;
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
    gfx_fill_round_rect(u->g, r, mt->radius, THEME_CARD);
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
    for (size_t i = 0; i < n; i++) {
        const struct feed_announcement *a = ann_list_at(l, i);
        const char *text = w_tr(u, &a->text, NULL);
        const char *badge = ann_badge(a->level);
        int bw = w_text_width(u, badge, GFX_FONT_BOLD, bpx) + bpx;
        int bh = w_text_height(u, badge, bw, GFX_FONT_BOLD, bpx, 1) + bpx / 3;
        int tw = w;
        int h = w_text_height(u, text, tw, GFX_FONT_TEXT, mt->f_body - 4, 3);
        if (y + bh + h > r.y + r.h - inset) {
            break;
        }
        bool imp = a->level != ANN_LEVEL_NORMAL;
        gfx_fill_round_rect(u->g, (SDL_Rect){x, y, bw, bh}, mt->radius / 2,
                            imp ? THEME_IMPORTANT_BG : THEME_NORMAL_BADGE);
        w_text(u, badge, (SDL_Rect){x, y + bpx / 6, bw, bh - bpx / 3}, GFX_FONT_BOLD, bpx,
               imp ? THEME_IMPORTANT_TEXT : THEME_TEXT, GFX_ALIGN_CENTER, 1);
        y += bh + mt->gap / 3;
        w_text(u, text, (SDL_Rect){x, y, tw, h}, GFX_FONT_TEXT, mt->f_body - 4, THEME_TEXT,
               GFX_ALIGN_LEFT, 3);
        y += h + mt->gap;
        if (i + 1 < n) {
            gfx_fill_rect(u->g, (SDL_Rect){x, y - mt->gap / 2, w, 2}, THEME_LINE);
        }
    }
}

void scr_home_draw(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    const struct model *m = u->m;
    bool have = m->feed;
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int y = r.y + mt->pad * 2 / 3;
    int cols = mt->portrait ? 2 : 4;
    int rows = 4 / cols;
    int tile_h = (int)(250 * mt->unit);
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
        {UI_STR_TILE_ANNOUNCEMENTS, UI_STR_TILE_ANNOUNCEMENTS_SUB, true, n_ann,
         UI_ACT_OPEN_ANNOUNCEMENTS},
    };
    for (int i = 0; i < 4; i++) {
        int cx = x + (i % cols) * (tile_w + mt->gap);
        int cy = y + (i / cols) * (tile_h + mt->gap);
        draw_tile(u, (SDL_Rect){cx, cy, tile_w, tile_h}, i, ui_str(tiles[i].label),
                  ui_str(tiles[i].sub), tiles[i].known, tiles[i].count, tiles[i].act);
    }
    y += rows * tile_h + (rows - 1) * mt->gap + mt->pad;
    int bottom = r.y + r.h - mt->pad * 2 / 3;
    SDL_Rect main_area, ann_area;
    if (mt->portrait) {
        int ann_h = (int)(520 * mt->unit);
        main_area = (SDL_Rect){x, y, w, bottom - y - ann_h - mt->pad};
        ann_area = (SDL_Rect){x, bottom - ann_h, w, ann_h};
    } else {
        int ann_w = (int)(620 * mt->unit);
        main_area = (SDL_Rect){x, y, w - ann_w - mt->pad, bottom - y};
        ann_area = (SDL_Rect){x + w - ann_w, y, ann_w, bottom - y};
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
    draw_announcements_panel(u, ann_area);
}
