/* scr_attract: what the kiosk shows to passers-by after the idle timeout — featured and
 * upcoming listings one at a time, each with a QR code large enough to scan from one to
 * two metres (at least 12 px a module at 1080) and its title, date and place in text
 * readable from there, under 「画面にタッチしてください」. Also the emergency screen, which
 * takes the whole display in high contrast while an emergency announcement is active. */
#include <stdio.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"
#include "util/timeutil.h"

static bool already(const struct feed_item **out, size_t n, const struct feed_item *it)
{
    for (size_t i = 0; i < n; i++) {
        if (out[i] == it) {
            return true;
        }
    }
    return false;
}

/* The pause control's width: its label and the loop's position under it. */
static int attract_pause_width(struct ui *u)
{
    const struct ui_metrics *mt = &u->mt;
    int a = w_text_width(u, ui_str(UI_STR_ATTRACT_PAUSE), GFX_FONT_BOLD, mt->f_body);
    int b = w_text_width(u, ui_str(UI_STR_ATTRACT_PLAY), GFX_FONT_BOLD, mt->f_body);
    return (a > b ? a : b) + 2 * mt->pad;
}

/* Stops and restarts the turning (WCAG 2.2.2), with where in the loop it is under its
 * label; a touch anywhere else still wakes the kiosk. */
static void attract_pause(struct ui *u, SDL_Rect b, size_t step, size_t n, bool on_card)
{
    const struct ui_metrics *mt = &u->mt;
    const char *label = ui_str(u->attract_paused ? UI_STR_ATTRACT_PLAY : UI_STR_ATTRACT_PAUSE);
    const char *pos = ui_scratchf(u, "%zu / %zu", step + 1, n);
    gfx_fill_round_rect(u->g, b, mt->radius, THEME_BUTTON_SOFT);
    gfx_stroke_round_rect(u->g, b, mt->radius, (int)(3 * mt->unit) + 1,
                          on_card ? THEME_CHIP_OFF_LINE : THEME_HEADER_SUB);
    int lh = w_text_height(u, label, b.w, GFX_FONT_BOLD, mt->f_body, 1);
    int ph = w_text_height(u, pos, b.w, GFX_FONT_BOLD, mt->f_small, 1);
    int y = b.y + (b.h - lh - ph) / 2;
    w_text(u, label, (SDL_Rect){b.x, y, b.w, lh}, GFX_FONT_BOLD, mt->f_body, THEME_TEXT,
           GFX_ALIGN_CENTER, 1);
    w_text(u, pos, (SDL_Rect){b.x, y + lh, b.w, ph}, GFX_FONT_BOLD, mt->f_small, THEME_TEXT_SUB,
           GFX_ALIGN_CENTER, 1);
    ui_hit_add(u, b, UI_ACT_ATTRACT_PAUSE, 0, NULL);
}

/* Where the attract screen puts things. Portrait: the card between the header and the
 * prompt under it. Landscape: a white column at the right, the screen's whole height, holds
 * the code and its caption under it (at least 720 px at 1080 lines, quiet zone included);
 * the header and the card with the prompt at its foot take the rest. */
struct attract_geo {
    SDL_Rect card, pill, col;
    int ppx, inset, qr_col, min_mod;
};

/* The call to touch goes through every language, one per step, starting from the current
 * one (Japanese after the idle return), so a passer-by sees it in theirs within a minute. */
static enum ui_lang prompt_lang(const struct ui *u)
{
    return (enum ui_lang)(((size_t)u->lang + u->attract_step) % UI_LANG_COUNT_);
}

/* The width of the widest call to touch, each in its own glyphs: the pill keeps one size
 * while its language changes. */
static int prompt_width(struct ui *u, int px)
{
    int widest = 0;

    for (int l = 0; l < UI_LANG_COUNT_; l++) {
        enum gfx_script old = gfx_set_script(u->g, ui_lang_script((enum ui_lang)l));
        const char *s = ui_str_in((enum ui_lang)l, UI_STR_ATTRACT_TOUCH);
        int w = s ? w_text_width(u, s, GFX_FONT_BOLD, px) : 0;

        gfx_set_script(u->g, old);
        widest = w > widest ? w : widest;
    }
    return widest;
}

static void attract_geo(struct ui *u, struct attract_geo *g)
{
    const struct ui_metrics *mt = &u->mt;
    g->inset = mt->pad;
    g->min_mod = (int)(12 * mt->unit + 0.5f);
    if (g->min_mod < 3) {
        g->min_mod = 3;
    }
    g->ppx = (int)(60 * mt->unit);
    int pw = prompt_width(u, g->ppx) + 3 * mt->pad;
    int ph = (int)(g->ppx * 2.0f);
    /* the prompt shares its row with the pause control: smaller letters before a cut one */
    int room = mt->portrait ? u->w - 3 * mt->pad - attract_pause_width(u)
                            : u->w - 4 * mt->pad - (int)(720 * mt->unit) - 2 * mt->pad - mt->gap -
                                  attract_pause_width(u);
    if (pw > room && pw > 3 * mt->pad) {
        g->ppx = g->ppx * (room - 3 * mt->pad - 4) / (pw - 3 * mt->pad);
        pw = room;
    }
    if (mt->portrait) {
        g->pill = (SDL_Rect){mt->pad, u->h - mt->pad - ph, pw, ph};
        g->card = (SDL_Rect){mt->pad, mt->header_h, u->w - 2 * mt->pad,
                             g->pill.y - mt->pad - mt->header_h};
        g->qr_col = g->card.w - 2 * g->inset;
        return;
    }
    int col_w = (int)(860 * mt->unit);
    g->col = (SDL_Rect){u->w - col_w, 0, col_w, u->h};
    g->qr_col = col_w - mt->radius;
    g->card = (SDL_Rect){mt->pad, mt->header_h, u->w - col_w - 2 * mt->pad,
                         u->h - mt->pad - mt->header_h};
    int text_w = g->card.w - 2 * g->inset;
    if (pw > text_w) {
        pw = text_w;
    }
    g->pill = (SDL_Rect){g->card.x + g->inset, g->card.y + g->card.h - g->inset - ph, pw, ph};
}

/* The largest code the screen has room for with this listing's caption, or 0. */
static int qr_room(struct ui *u, const struct attract_geo *g, const struct feed_item *it)
{
    const struct ui_metrics *mt = &u->mt;
    if (mt->portrait) {
        return u->w - 4 * mt->pad;
    }
    SDL_Rect cr = {0, 0, g->qr_col, 0};
    int ch =
        scr_qr_caption(u, it->signup_host, cr, mt->f_body, THEME_TEXT, GFX_ALIGN_CENTER, false);
    int room = g->col.h - 2 * g->inset - ch - mt->gap / 2;
    return room < g->qr_col ? room : g->qr_col;
}

/* One card for each civic-activity kind with an entry whose page fits as a code: the loop
 * shows every kind the kiosk offers, not only events. */
static size_t add_kind_cards(struct ui *u, const struct attract_geo *geo,
                             const struct feed_item **out, size_t n, size_t max)
{
    for (int k = 0; k < FEED_EXTRA_COUNT && n < max; k++) {
        struct ui_nav key;
        const void *rows[8];
        memset(&key, 0, sizeof key);
        key.extra = k;
        size_t c = scr_kinds_select(u, &key, rows, 8);
        for (size_t i = 0; i < c && i < 8; i++) {
            struct feed_item *it = &u->attract_extra[k];
            if (!scr_kinds_card(u, (enum feed_extra_kind)k, rows[i], it) ||
                scr_qr_side(u, it->signup_url, qr_room(u, geo, it), geo->min_mod) < 0) {
                continue;
            }
            out[n++] = it;
            break;
        }
    }
    return n;
}

/* The kind of an attract card made by add_kind_cards, or -1 for a listing. */
static int card_kind(const struct ui *u, const struct feed_item *it)
{
    for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
        if (it == &u->attract_extra[k]) {
            return k;
        }
    }
    return -1;
}

size_t scr_attract_items(struct ui *u, const struct feed_item **out, size_t max)
{
    size_t n = 0;
    if (!u->m->feed || max == 0) {
        return 0;
    }
    /* a code must fit at 12 px a module (scannable from one to two metres) in the room
     * the attract card gives it; longer URLs are left to the detail screen */
    struct attract_geo geo;
    attract_geo(u, &geo);
    int min_mod = geo.min_mod;
    /* pass 0: featured with a signup page; 1: upcoming events with one; 2: volunteer
     * listings with one; 3: anything current (when nothing has a signup page) */
    for (int pass = 0; pass < 4 && n < max; pass++) {
        if (pass == 3 && n > 0) {
            break;
        }
        if (pass == 1) {
            n = add_kind_cards(u, &geo, out, n, max);
        }
        for (int k = 0; k < 2 && n < max; k++) {
            enum feed_kind kind = k == 0 ? FEED_KIND_EVENT : FEED_KIND_VOLUNTEER;
            if ((pass == 1 && kind != FEED_KIND_EVENT) ||
                (pass == 2 && kind != FEED_KIND_VOLUNTEER)) {
                continue;
            }
            struct ui_nav key;
            memset(&key, 0, sizeof key);
            key.kind = kind;
            key.day = FEED_DAY_ALL;
            const struct ui_selection *sel = ui_select(u, &key);
            size_t limit = pass == 0 ? sel->n : (pass == 3 ? max : 6);
            size_t taken = 0;
            for (size_t i = 0; i < sel->n && n < max && taken < limit; i++) {
                const struct feed_item *it = sel->items[i];
                if (pass == 0 && !it->featured) {
                    continue;
                }
                if (pass < 3 &&
                    (!it->signup_url ||
                     scr_qr_side(u, it->signup_url, qr_room(u, &geo, it), min_mod) < 0)) {
                    continue;
                }
                if (already(out, n, it)) {
                    continue;
                }
                out[n++] = it;
                taken++;
            }
        }
    }
    return n;
}

static void draw_top(struct ui *u, SDL_Rect r, struct gfx_color fg, struct gfx_color sub)
{
    const struct ui_metrics *mt = &u->mt;
    char hm[16], date[64];
    int right = r.x + r.w;
    int used = 0;
    if (u->m->clock_synced) {
        uifmt_hm(u->m->now, hm, sizeof hm);
        uifmt_date(u->m->now, 0, date, sizeof date);
        int tw = w_text_width(u, hm, GFX_FONT_BOLD, mt->f_clock);
        int th = w_text_height(u, hm, tw + 1, GFX_FONT_BOLD, mt->f_clock, 1);
        int dw = w_text_width(u, date, GFX_FONT_BOLD, mt->f_body);
        int dh = w_text_height(u, date, dw + 1, GFX_FONT_BOLD, mt->f_body, 1);
        w_text(u, hm, (SDL_Rect){right - tw, r.y + (r.h - th) / 2, tw, th}, GFX_FONT_BOLD,
               mt->f_clock, fg, GFX_ALIGN_RIGHT, 1);
        w_text(u, date, (SDL_Rect){right - tw - mt->gap - dw, r.y + (r.h - dh) / 2, dw, dh},
               GFX_FONT_BOLD, mt->f_body, fg, GFX_ALIGN_RIGHT, 1);
        used = tw + dw + 2 * mt->gap;
    }
    int nw = r.w - used;
    int nh = w_text_height(u, u->name, nw, GFX_FONT_BOLD, mt->f_name, 1);
    int eh =
        u->name_en[0] != '\0' ? w_text_height(u, u->name_en, nw, GFX_FONT_TEXT, mt->f_small, 1) : 0;
    int y = r.y + (r.h - nh - eh) / 2;
    w_text(u, u->name, (SDL_Rect){r.x, y, nw, nh}, GFX_FONT_BOLD, mt->f_name, fg, GFX_ALIGN_LEFT,
           1);
    w_text(u, u->name_en, (SDL_Rect){r.x, y + nh, nw, eh}, GFX_FONT_TEXT, mt->f_small, sub,
           GFX_ALIGN_LEFT, 1);
}

static void draw_listing(struct ui *u, const struct attract_geo *geo, const struct feed_item *it)
{
    const struct ui_metrics *mt = &u->mt;
    SDL_Rect card = geo->card;
    int inset = geo->inset;
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    int min_mod = geo->min_mod;
    int qr_col = geo->qr_col;
    int text_w = card.w - 2 * inset;
    int x = card.x + inset, y = card.y + inset;

    /* tags */
    int ek = card_kind(u, it);
    struct theme_hue hue = ek >= 0 ? scr_kinds_hue((enum feed_extra_kind)ek) : w_item_hue(u, it);
    int tpx = mt->f_body - 4;
    const char *kind = ui_str(ek >= 0 ? scr_kinds_title((enum feed_extra_kind)ek)
                              : it->kind == FEED_KIND_EVENT ? UI_STR_TITLE_EVENTS
                                                            : UI_STR_TITLE_VOLUNTEERS);
    int tag_h = w_text_height(u, kind, 1000, GFX_FONT_BOLD, tpx, 1) + tpx / 3;
    int tx = x + w_tag(u, x, y, text_w, kind, hue, tpx) + mt->gap / 2;
    if (it->featured) {
        w_tag(u, tx, y, x + text_w - tx, ui_str(UI_STR_FEATURED), theme_category_hue(2), tpx);
    }
    /* landscape: the pause control shares the tags' row (scr_attract_draw) */
    y += (!mt->portrait && geo->pill.h > tag_h ? geo->pill.h : tag_h) + mt->gap;
    int title_px = (int)(66 * mt->unit);
    /* with its readings in Japanese where the feed gives them: ruby over the kanji */
    const char *title = w_trim(
        ui_lang_is_japanese(u) && it->title_ruby ? it->title_ruby : w_tr(u, &it->title, NULL));
    /* landscape: the text ends above the prompt; a long title gives up its third line
     * before the place and the deadline are left out */
    int text_bottom = mt->portrait ? u->h : geo->pill.y - mt->gap / 2;
    int date_px = (int)(52 * mt->unit), place_px = (int)(44 * mt->unit);
    int below = 2 * w_text_height(u, "0", 1000, GFX_FONT_BOLD, date_px, 1) +
                2 * w_text_height(u, "あ", 1000, GFX_FONT_TEXT, place_px, 1) + 2 * mt->gap;
    int tl = 3;
    int th = w_text_height(u, title, text_w, GFX_FONT_BOLD, title_px, tl);
    if (y + th + below > text_bottom) {
        tl = 2;
        th = w_text_height(u, title, text_w, GFX_FONT_BOLD, title_px, tl);
    }
    w_text(u, title, (SDL_Rect){x, y, text_w, th}, GFX_FONT_BOLD, title_px, THEME_TEXT,
           GFX_ALIGN_LEFT, tl);
    y += th + mt->gap;
    y += w_date_line(u, it, x, y, text_w, date_px, GFX_FONT_BOLD, THEME_TEXT);
    y += mt->gap / 2;
    if (it->place.ja) {
        const char *pl =
            ui_scratchf(u, "%s：%s", ui_str(UI_STR_F_PLACE), w_tr(u, &it->place, NULL));
        int ph = w_text_height(u, pl, text_w, GFX_FONT_TEXT, place_px, 2);
        if (y + ph > text_bottom) {
            ph = w_text_height(u, pl, text_w, GFX_FONT_TEXT, place_px, 1);
        }
        if (y + ph <= text_bottom) {
            w_text(u, pl, (SDL_Rect){x, y, text_w, ph}, GFX_FONT_TEXT, place_px, THEME_TEXT,
                   GFX_ALIGN_LEFT, 2);
            y += ph + mt->gap / 2;
        }
    }
    if (it->has_deadline && it->has_start) {
        char dl[96];
        uifmt_deadline(it->deadline, now, dl, sizeof dl);
        int dh = w_text_height(u, dl, text_w, GFX_FONT_BOLD, place_px, 1);
        if (y + dh <= text_bottom) {
            w_text(u, dl, (SDL_Rect){x, y, text_w, dh}, GFX_FONT_BOLD, place_px, THEME_SUNDAY,
                   GFX_ALIGN_LEFT, 1);
            y += dh + mt->gap / 2;
        }
    }

    /* the code, with what scanning does */
    if (!it->signup_url) {
        return;
    }
    int cap_px = mt->f_body;
    const char *host = it->signup_host;
    if (mt->portrait) {
        SDL_Rect cr = {x, 0, text_w, 0};
        int ch =
            scr_qr_caption_as(u, ek >= 0, host, cr, cap_px, THEME_TEXT, GFX_ALIGN_CENTER, false);
        /* the code's white quiet zone is the margin above it and the card's below */
        int qy = y;
        int qmax = card.y + card.h - mt->radius / 2 - ch - mt->gap / 2 - qy;
        if (qmax > qr_col) {
            qmax = qr_col;
        }
        int side = scr_draw_qr_centered(u, it->signup_url, card.x + card.w / 2, qy, qmax, min_mod);
        if (side <= 0) {
            return; /* never what scanning does without a code to scan */
        }
        cr.y = qy + side + mt->gap / 2;
        scr_qr_caption_as(u, ek >= 0, host, cr, cap_px, THEME_TEXT, GFX_ALIGN_CENTER, true);
        return;
    }
    /* landscape: the code in the right column with what scanning does directly under it,
     * so the caption is never left out for want of room in the text column */
    SDL_Rect col = geo->col;
    SDL_Rect cr = {col.x + (col.w - qr_col) / 2, 0, qr_col, 0};
    int ch = scr_qr_caption_as(u, ek >= 0, host, cr, cap_px, THEME_TEXT, GFX_ALIGN_CENTER, false);
    int qmax = qr_room(u, geo, it);
    int side = scr_qr_side(u, it->signup_url, qmax, min_mod);
    if (side <= 0) {
        return;
    }
    int qy = col.y + (col.h - side - mt->gap / 2 - ch) / 2;
    gfx_draw_qr(u->g, it->signup_url, cr.x + (qr_col - side) / 2, qy, side, min_mod);
    cr.y = qy + side + mt->gap / 2;
    scr_qr_caption_as(u, ek >= 0, host, cr, cap_px, THEME_TEXT, GFX_ALIGN_CENTER, true);
}

void scr_attract_draw(struct ui *u, int64_t now_ms)
{
    const struct ui_metrics *mt = &u->mt;
    (void)now_ms;
    gfx_fill_rect(u->g, (SDL_Rect){0, 0, u->w, u->h}, THEME_ATTRACT_BG);
    struct attract_geo geo;
    attract_geo(u, &geo);
    int top_w = mt->portrait ? u->w - 2 * mt->pad : geo.card.w;
    draw_top(u, (SDL_Rect){mt->pad, 0, top_w, mt->header_h}, THEME_HEADER_TEXT, THEME_HEADER_SUB);

    const struct feed_item *items[UI_ATTRACT_MAX];
    size_t n = scr_attract_items(u, items, UI_ATTRACT_MAX);
    SDL_Rect pill = geo.pill;
    if (n > 0) {
        gfx_fill_round_rect(u->g, geo.card, mt->radius * 2, THEME_CARD);
        if (!mt->portrait) {
            gfx_fill_rect(u->g, geo.col, THEME_CARD);
        }
        draw_listing(u, &geo, items[u->attract_step % n]);
    } else {
        /* nothing to show: the facility's name large, and the prompt */
        w_text_center(u, u->name, geo.card, GFX_FONT_BOLD, (int)(110 * mt->unit),
                      THEME_HEADER_TEXT);
    }
    /* the prompt, in a pill no one can miss */
    enum ui_lang pl = prompt_lang(u);
    const char *prompt = ui_str_in(pl, UI_STR_ATTRACT_TOUCH);
    enum gfx_script old = gfx_set_script(u->g, ui_lang_script(pl));
    const char *tag = gfx_set_text_lang(u->g, ui_lang_code(pl));
    gfx_fill_round_rect(u->g, pill, pill.h / 2, THEME_ATTRACT_PROMPT);
    w_text_center(u, prompt ? prompt : "",
                  (SDL_Rect){pill.x + mt->pad, pill.y, pill.w - 2 * mt->pad, pill.h}, GFX_FONT_BOLD,
                  geo.ppx, THEME_TEXT);
    gfx_set_text_lang(u->g, tag);
    gfx_set_script(u->g, old);
    if (n == 0) {
        return;
    }
    /* the pause control, with where in the loop we are: beside the prompt on portrait; on
     * landscape, whose card is narrower than the prompt and the control, at the card's top
     * right, level with the tags (the title starts below it) */
    int right = mt->portrait ? u->w - mt->pad : geo.card.x + geo.card.w - geo.inset;
    int bw = attract_pause_width(u);
    SDL_Rect pb = {right - bw, mt->portrait ? pill.y : geo.card.y + geo.inset, bw, pill.h};
    if (!mt->portrait || pill.x + pill.w + mt->gap + bw <= right) {
        attract_pause(u, pb, u->attract_step % n, n, !mt->portrait);
    }
}

/* A warning sign: a yellow triangle with a black 「!」 drawn as shapes, in r. */
static void warning_sign(struct ui *u, SDL_Rect r)
{
    gfx_fill_triangle_up(u->g, r, THEME_EMERGENCY_TITLE);
    int bw = r.w / 9 + 1;
    int cx = r.x + r.w / 2;
    gfx_fill_round_rect(u->g, (SDL_Rect){cx - bw / 2, r.y + r.h * 3 / 10, bw, r.h * 4 / 10}, bw / 2,
                        THEME_RGB(0x000000));
    gfx_fill_round_rect(u->g, (SDL_Rect){cx - bw / 2, r.y + r.h * 78 / 100, bw, bw}, bw / 2,
                        THEME_RGB(0x000000));
}

/* The emergency screen's band: the sign, 「緊急のお知らせ」 and "Emergency", and when the
 * newest was issued, in Japanese and English. */
static void emergency_band(struct ui *u, int band_h, const struct feed_announcement *first)
{
    const struct ui_metrics *mt = &u->mt;
    gfx_fill_rect(u->g, (SDL_Rect){0, 0, u->w, band_h}, THEME_EMERGENCY_BAND);
    int sh = band_h * 3 / 4, sw = sh * 115 / 100;
    int x = mt->pad;
    warning_sign(u, (SDL_Rect){x, (band_h - sh) / 2, sw, sh});
    x += sw + mt->pad;
    int tpx = (int)((mt->portrait ? 72 : 88) * mt->unit), epx = (int)(40 * mt->unit);
    bool en_too = ui_lang_is_japanese(u);
    const char *ja = ui_str(UI_STR_ANN_EMERGENCY);
    const char *en = en_too ? ui_str(UI_STR_ANN_EMERGENCY_EN) : "";
    int room = u->w - x - mt->pad;
    char when[256] = "";
    if (first && first->starts_at > 0 && u->m->clock_synced) {
        char d[64], hm[16];
        d[0] = '\0';
        /* the date only when it was not today */
        if (timeutil_day_start(first->starts_at) != timeutil_day_start(u->m->now)) {
            uifmt_date(first->starts_at, u->m->now, d, sizeof d);
        }
        uifmt_hm(first->starts_at, hm, sizeof hm);
        /* English under Japanese; a screen in another language says it once, in its own */
        snprintf(when, sizeof when, "%s %s%s%s\n%s %s", ui_str(UI_STR_ISSUED), d, d[0] ? " " : "",
                 hm, en_too ? ui_str(UI_STR_ISSUED_EN) : "", en_too ? hm : "");
    }
    int ww = 0;
    if (when[0] != '\0') {
        char *nl = strchr(when, '\n');
        *nl = '\0';
        ww = w_text_width(u, when, GFX_FONT_BOLD, epx);
        int ww2 = w_text_width(u, nl + 1, GFX_FONT_BOLD, epx);
        ww = ww2 > ww ? ww2 : ww;
        *nl = '\n';
        int wh = w_text_height(u, when, ww + 1, GFX_FONT_BOLD, epx, 2);
        w_text(u, when, (SDL_Rect){u->w - mt->pad - ww, (band_h - wh) / 2, ww + 1, wh},
               GFX_FONT_BOLD, epx, THEME_HEADER_TEXT, GFX_ALIGN_RIGHT, 2);
        room -= ww + mt->pad;
    }
    int jh = w_text_height(u, ja, room, GFX_FONT_BOLD, tpx, 1);
    int eh = en[0] ? w_text_height(u, en, room, GFX_FONT_BOLD, epx, 1) : 0;
    int y = (band_h - jh - eh) / 2 < 0 ? 0 : (band_h - jh - eh) / 2;
    w_text(u, ja, (SDL_Rect){x, y, room, jh}, GFX_FONT_BOLD, tpx, THEME_EMERGENCY_TITLE,
           GFX_ALIGN_LEFT, 1);
    w_text(u, en, (SDL_Rect){x, y + jh, room, eh}, GFX_FONT_BOLD, epx, THEME_EMERGENCY_TITLE,
           GFX_ALIGN_LEFT, 1);
}

/* What an emergency says under its Japanese: the visitor's own language when it has that
 * text, else English (as every screen showed before there were more languages); NULL when
 * neither, and then *ja_only is set on a screen whose visitor may not read Japanese. */
static const char *emergency_tr(const struct ui *u, const struct feed_text *t, bool *ja_only)
{
    const char *tr = w_tr_exact(u, t);
    tr = tr ? tr : t->en;
    *ja_only = !tr && !ui_lang_is_japanese(u);
    return tr;
}

/* The height of an emergency's texts at Japanese size jp and translation size ep (the
 * 日本語のみ tag's when it has none), 0 when it draws nothing. */
static int emergency_height(struct ui *u, const struct feed_announcement *a, int w, int jp, int ep,
                            int *hj, int *he)
{
    bool ja_only;
    const char *tr = emergency_tr(u, &a->text, &ja_only);
    *hj = a->text.ja ? w_text_height(u, a->text.ja, w, GFX_FONT_BOLD, jp, 0) : 0;
    *he = tr ? w_text_height(u, tr, w, GFX_FONT_TEXT, ep, 0) : 0;
    if (ja_only && *hj > 0) {
        w_ja_only(u, 0, 0, w, ep * 3 / 4, false, he);
    }
    return *hj + *he;
}

/* The emergency screen: in high contrast and still (nothing blinks or moves), the sign, the
 * issue time, and every active emergency in Japanese and under it in the visitor's language
 * (English on a Japanese screen) where given, the newest first in the largest text its
 * length allows. */
void scr_emergency_draw(struct ui *u)
{
    const struct ui_metrics *mt = &u->mt;
    gfx_fill_rect(u->g, (SDL_Rect){0, 0, u->w, u->h}, THEME_EMERGENCY_BG);
    int band_h = (int)(190 * mt->unit);
    const struct ann_list *l = u->m->active;
    const struct feed_announcement *first = NULL;
    for (size_t i = 0; l && i < ann_list_count(l) && !first; i++) {
        if (ann_list_at(l, i)->level == ANN_LEVEL_EMERGENCY) {
            first = ann_list_at(l, i);
        }
    }
    emergency_band(u, band_h, first);
    int foot_h = mt->header_h;
    gfx_fill_rect(u->g, (SDL_Rect){0, u->h - foot_h, u->w, foot_h}, THEME_EMERGENCY_BAND);
    draw_top(u, (SDL_Rect){mt->pad, u->h - foot_h, u->w - 2 * mt->pad, foot_h}, THEME_HEADER_TEXT,
             THEME_HEADER_SUB);

    int x = 2 * mt->pad, w = u->w - 4 * mt->pad;
    int y = band_h + 2 * mt->pad;
    int bottom = u->h - foot_h - mt->pad;
    /* the largest size at which the newest fits, Japanese and its translation, in the body */
    static const int sizes[] = {104, 92, 80, 68};
    int tpx = (int)(68 * mt->unit), epx = (int)(42 * mt->unit);
    for (size_t k = 0; first && k < sizeof sizes / sizeof sizes[0]; k++) {
        int jp = (int)(sizes[k] * mt->unit), ep = jp * 62 / 100, hj, he;
        tpx = jp;
        epx = ep;
        if (emergency_height(u, first, w, jp, ep, &hj, &he) + mt->gap <= bottom - y) {
            break;
        }
    }
    bool first_drawn = false;
    for (size_t i = 0; l && i < ann_list_count(l); i++) {
        const struct feed_announcement *a = ann_list_at(l, i);
        if (a->level != ANN_LEVEL_EMERGENCY) {
            continue;
        }
        int hj, he;
        bool ja_only;
        const char *tr = emergency_tr(u, &a->text, &ja_only);
        if (emergency_height(u, a, w, tpx, epx, &hj, &he) <= 0) {
            /* an entry that draws nothing must never take the place of the next one */
            continue;
        }
        if (first_drawn) {
            if (y + mt->pad * 2 > bottom) {
                break;
            }
            gfx_fill_rect(u->g, (SDL_Rect){x, y, w, (int)(4 * mt->unit) + 1}, THEME_HEADER_TEXT);
            y += mt->pad * 3 / 2;
        }
        first_drawn = true;
        /* the first (newest) gets the room it needs; later ones what is left */
        if (hj > 0) {
            int h = y + hj > bottom ? bottom - y : hj;
            if (h <= 0) {
                break; /* the screen is full */
            }
            w_text(u, a->text.ja, (SDL_Rect){x, y, w, h}, GFX_FONT_BOLD, tpx, THEME_HEADER_TEXT,
                   GFX_ALIGN_LEFT, 0);
            y += h + mt->gap;
        }
        if (he > 0 && ja_only && y + he <= bottom) {
            w_ja_only(u, x, y, w, epx * 3 / 4, true, NULL);
            y += he + mt->gap;
        } else if (he > 0 && tr && y < bottom) {
            int h = y + he > bottom ? bottom - y : he;
            w_text(u, tr, (SDL_Rect){x, y, w, h}, GFX_FONT_TEXT, epx, THEME_HEADER_TEXT,
                   GFX_ALIGN_LEFT, 0);
            y += h + mt->gap;
        }
    }
}

/* The facility's hours as "9:30〜22:00" in buf, or false when they are not known or it is
 * always open (nothing worth saying). */
bool scr_hours_text(const struct ui *u, const char *sep, char *buf, size_t len)
{
    const struct ui_hours *h = &u->hours;
    if (h->open <= 0 || h->close <= h->open || h->close - h->open >= 86400) {
        return false;
    }
    char a[16], b[16];
    uifmt_hm(h->open, a, sizeof a);
    uifmt_hm(h->close, b, sizeof b);
    snprintf(buf, len, "%s%s%s", a, sep, b);
    return true;
}

/* Outside opening hours: dimmed, so the panel draws little attention (or power) yet tells
 * a passer-by that the facility is closed, when it opens and its hours, in Japanese and
 * English. A panel that cannot be switched off may stay black (ui_hours.black); a touch
 * then shows the same text, brighter, for a few seconds. Nothing on it changes by the
 * minute: the date of the next opening is absolute, never 「あす」. */
void scr_closed_draw(struct ui *u, int64_t now_ms)
{
    const struct ui_metrics *mt = &u->mt;
    gfx_fill_rect(u->g, (SDL_Rect){0, 0, u->w, u->h}, THEME_RGB(0x000000));
    bool touched = u->closed_msg_until_ms != 0 && now_ms < u->closed_msg_until_ms;
    if (u->hours.black && !touched) {
        return;
    }
    struct gfx_color fg = touched ? THEME_HEADER_TEXT : THEME_RGB(0x8C939C);
    struct gfx_color sub = touched ? THEME_HEADER_SUB : THEME_RGB(0x6E757E);
    int tpx = (int)(84 * mt->unit), npx = (int)(52 * mt->unit);
    char hours[64], hours_en[64];
    bool have_hours = scr_hours_text(u, "〜", hours, sizeof hours);
    (void)scr_hours_text(u, "–", hours_en, sizeof hours_en);
    int lines = (u->next_open > 0 ? 2 : 0) + (have_hours ? 2 : 0);
    int block = tpx * 3 / 2 + npx * 2 + lines * npx * 3 / 2 + (lines > 2 ? npx / 2 : 0);
    int y = (u->h - block) / 2;
    int x = mt->pad, w = u->w - 2 * mt->pad;
    w_text_center(u, ui_str(UI_STR_CLOSED_TITLE), (SDL_Rect){x, y, w, tpx * 3 / 2}, GFX_FONT_BOLD,
                  tpx, fg);
    y += tpx * 3 / 2;
    /* the same in English under Japanese, for visitors who do not read it */
    bool en_too = ui_lang_is_japanese(u);
    if (en_too) {
        w_text_center(u, ui_str(UI_STR_CLOSED_TITLE_EN), (SDL_Rect){x, y, w, npx * 3 / 2},
                      GFX_FONT_BOLD, npx, sub);
    }
    y += npx * 2;
    const char *ja[2] = {NULL, NULL}, *en[2] = {NULL, NULL};
    if (u->next_open > 0) {
        char date[64], hm[16], sd[32];
        uifmt_date(u->next_open, 0, date, sizeof date);
        uifmt_hm(u->next_open, hm, sizeof hm);
        uifmt_short_date(u->next_open, sd, sizeof sd);
        ja[0] = ui_scratchf(u, "%s　%s %s", ui_str(UI_STR_CLOSED_NEXT), date, hm);
        en[0] = ui_scratchf(u, "%s %s, %s", ui_str(UI_STR_CLOSED_NEXT_EN), hm, sd);
    }
    if (have_hours) {
        ja[1] = ui_scratchf(u, "%s　%s", ui_str(UI_STR_HOURS), hours);
        en[1] = ui_scratchf(u, "%s %s", ui_str(UI_STR_HOURS_EN), hours_en);
    }
    for (int i = 0; i < 2; i++) {
        if (!ja[i]) {
            continue;
        }
        w_text_center(u, ja[i], (SDL_Rect){x, y, w, npx * 3 / 2}, GFX_FONT_TEXT, npx, fg);
        y += npx * 3 / 2;
        if (en_too) {
            w_text_center(u, en[i], (SDL_Rect){x, y, w, npx * 3 / 2}, GFX_FONT_TEXT, npx, sub);
        }
        y += npx * 3 / 2 + npx / 2;
    }
}
