/* scr_detail: every field of one listing, its long description, and the QR code of its
 * signup page (or its contact when it has none); also the announcements screen, which
 * pages through blocks the same way.
 *
 * Long text pages by whole blocks (a field, a paragraph, a few sentences): a block is
 * drawn whole or not at all, so no line is ever cut by the edge of the view, and ▲▼ move
 * a page of blocks at a time. A drag up or down turns a page too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"
#include "util/qrspec.h"
#include "util/timeutil.h"

#define MAX_BLOCKS 128
#define DETAIL_DATES_MAX 6 /* a series shows this many coming dates, or one less and ほか N回 */

struct blk {
    const char *label; /* NULL: the text takes the whole width */
    struct gfx_color label_color;
    const char *text;
    enum gfx_font_role role;
    int px;
    struct gfx_color color;
    bool rule_after; /* a thin line below (between announcements) */
    bool tight;      /* the next block continues this one (the dates of a series) */
    bool ja_only; /* a 「日本語のみ」 tag above the text (a notice without a translation) */
};

struct scr_blocks {
    struct blk b[MAX_BLOCKS];
    int n;
};

void scr_blk_add(struct scr_blocks *bs, const char *label, const char *text,
                 enum gfx_font_role role, int px, struct gfx_color color)
{
    if (!text || text[0] == '\0' || bs->n >= MAX_BLOCKS) {
        return;
    }
    struct blk *b = &bs->b[bs->n++];
    memset(b, 0, sizeof *b);
    b->label = label;
    b->label_color = THEME_TEXT_SUB;
    b->text = text;
    b->role = role;
    b->px = px;
    b->color = color;
}

/* ja, and en beneath it when the feed has both; on a screen in another language, the text
 * in that language (w_tr). */
const char *scr_text_both(struct ui *u, const struct feed_text *t)
{
    if (!ui_lang_is_japanese(u)) {
        return w_tr(u, t, NULL);
    }
    if (!t->ja) {
        return t->en;
    }
    if (!t->en || t->en[0] == '\0') {
        return t->ja;
    }
    return ui_scratchf(u, "%s\n%s", t->ja, t->en);
}

/* Splits text into paragraphs at newlines; a paragraph taller than max_h is split again
 * after sentence ends (。！？) into pieces that fit. */
void scr_blk_paragraphs(struct ui *u, struct scr_blocks *bs, const char *text, int width, int max_h,
                        int px, struct gfx_color color)
{
    if (!text) {
        return;
    }
    const char *p = text;
    while (*p != '\0' && bs->n < MAX_BLOCKS) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0) {
            const char *par = ui_scratchf(u, "%.*s", (int)len, p);
            if (w_text_height(u, par, width, GFX_FONT_TEXT, px, 0) <= max_h) {
                scr_blk_add(bs, NULL, par, GFX_FONT_TEXT, px, color);
            } else {
                /* sentence pieces, each grown while it still fits */
                const char *s = par;
                while (*s != '\0' && bs->n < MAX_BLOCKS) {
                    const char *best = NULL;
                    const char *q = s;
                    while (*q != '\0') {
                        const char *e = NULL;
                        const char *stops[] = {"。", "！", "？"};
                        for (size_t k = 0; k < 3; k++) {
                            const char *hit = strstr(q, stops[k]);
                            if (hit && (!e || hit < e)) {
                                e = hit;
                            }
                        }
                        e = e ? e + 3 : q + strlen(q);
                        const char *piece = ui_scratchf(u, "%.*s", (int)(e - s), s);
                        if (best && w_text_height(u, piece, width, GFX_FONT_TEXT, px, 0) > max_h) {
                            break;
                        }
                        best = e;
                        q = e;
                    }
                    if (!best || best == s) {
                        best = s + strlen(s);
                    }
                    scr_blk_add(bs, NULL, ui_scratchf(u, "%.*s", (int)(best - s), s), GFX_FONT_TEXT,
                                px, color);
                    s = best;
                }
            }
        }
        if (!nl) {
            break;
        }
        p = nl + 1;
    }
}

struct scr_blocks *scr_blocks_new(void)
{
    struct scr_blocks *bs = malloc(sizeof *bs);
    if (bs) {
        bs->n = 0;
    }
    return bs;
}

void scr_blocks_free(struct scr_blocks *bs)
{
    free(bs);
}

/* The widest label of blocks [from, to), with a gap, and no wider than the usual column. */
static int labels_w(struct ui *u, const struct scr_blocks *bs, int from, int to)
{
    const struct ui_metrics *mt = &u->mt;
    int full = (int)(170 * mt->unit);
    int widest = 0;
    for (int i = from; i < to && i < bs->n; i++) {
        const char *l = bs->b[i].label;
        int lw = l && l[0] ? w_text_width(u, l, GFX_FONT_BOLD, mt->f_small) : 0;
        widest = lw > widest ? lw : widest;
    }
    return widest + mt->gap / 2 < full ? widest + mt->gap / 2 : full;
}

/* How many blocks from `first` a page shows with a label column label_w wide. */
static int blocks_fit(struct ui *u, SDL_Rect view, const struct scr_blocks *bs, int first,
                      int label_w, int more_h)
{
    const struct ui_metrics *mt = &u->mt;
    int y = view.y, shown = 0;
    for (int i = first; i < bs->n; i++) {
        const struct blk *b = &bs->b[i];
        int tx = b->label ? view.x + label_w + mt->gap : view.x;
        int th = w_text_height(u, b->text, view.x + view.w - tx, b->role, b->px, 0);
        bool labelled = b->label && b->label[0] != '\0';
        int lh = labelled ? w_text_height(u, b->label, label_w, GFX_FONT_BOLD, mt->f_small, 2) : 0;
        int bh = th > lh ? th : lh;
        int room = view.y + view.h - y - (i == bs->n - 1 ? 0 : more_h + mt->gap / 2);
        if (bh > room) {
            return shown > 0 ? shown : 1;
        }
        y += bh + (b->tight ? mt->gap / 4 : mt->gap * 2 / 3);
        shown++;
    }
    return shown;
}

/* The labels' column. Large text makes it as wide as the widest label of the page (on one
 * line), no wider than usual, so the values beside it take fewer lines and the page holds
 * more of them: the page's blocks are found again with the narrower column until they stay
 * the same. */
static int blocks_label_w(struct ui *u, SDL_Rect view, const struct scr_blocks *bs, int first,
                          int more_h)
{
    const struct ui_metrics *mt = &u->mt;
    if (mt->unit <= mt->base_unit) {
        return (int)(170 * mt->unit);
    }
    int lw = labels_w(u, bs, first, bs->n);
    for (int k = 0; k < 3; k++) {
        int shown = blocks_fit(u, view, bs, first, lw, more_h);
        int next = labels_w(u, bs, first, first + shown);
        if (next == lw) {
            break;
        }
        lw = next;
    }
    return lw;
}

/* Draws blocks from nv->scroll on; returns how many were shown. */
void scr_blocks_draw(struct ui *u, SDL_Rect view, SDL_Rect page_col, struct scr_blocks *bs)
{
    const struct ui_metrics *mt = &u->mt;
    struct ui_nav *nv = ui_top(u);
    int first = (int)nv->scroll;
    if (first >= bs->n) {
        first = bs->n > 0 ? bs->n - 1 : 0;
    }
    if (first < 0) {
        first = 0;
    }
    nv->scroll = (float)first;
    const char *more = ui_str(UI_STR_MORE_BELOW);
    int more_h = w_text_height(u, more, view.w, GFX_FONT_BOLD, mt->f_small, 1);
    int label_w = blocks_label_w(u, view, bs, first, more_h);
    int y = view.y;
    int shown = 0;
    for (int i = first; i < bs->n; i++) {
        const struct blk *b = &bs->b[i];
        int tx = b->label ? view.x + label_w + mt->gap : view.x;
        int tw = view.x + view.w - tx;
        int tag_h = 0;
        if (b->ja_only) {
            w_ja_only(u, 0, 0, tw, mt->f_small - 2, false, &tag_h);
            tag_h += mt->gap / 4;
        }
        int th = w_text_height(u, b->text, tw, b->role, b->px, 0) + tag_h;
        bool labelled = b->label && b->label[0] != '\0';
        int lh = labelled ? w_text_height(u, b->label, label_w, GFX_FONT_BOLD, mt->f_small, 2) : 0;
        int bh = th > lh ? th : lh;
        bool last = i == bs->n - 1;
        int room = view.y + view.h - y - (last ? 0 : more_h + mt->gap / 2);
        if (bh > room) {
            if (shown > 0) {
                break;
            }
            /* a single block taller than the view: show what fits, cut with … */
            bh = room > 0 ? room : 0;
            th = bh;
        }
        if (labelled) {
            w_text(u, b->label, (SDL_Rect){view.x, y + (b->px - mt->f_small) / 2, label_w, lh},
                   GFX_FONT_BOLD, mt->f_small, b->label_color, GFX_ALIGN_LEFT, 2);
        }
        if (tag_h > 0) {
            w_ja_only(u, tx, y, tw, mt->f_small - 2, true, NULL);
        }
        w_text(u, b->text, (SDL_Rect){tx, y + tag_h, tw, th - tag_h}, b->role, b->px, b->color,
               GFX_ALIGN_LEFT, 0);
        y += bh;
        if (b->rule_after) {
            gfx_fill_rect(u->g, (SDL_Rect){view.x, y + mt->gap / 2, view.w, 2}, THEME_LINE);
        }
        /* large text: blocks closer, their letters set them apart already */
        y += b->tight ? mt->gap / 4 : mt->unit > mt->base_unit ? mt->gap * 2 / 3 : mt->gap;
        shown++;
    }
    bool has_more = first + shown < bs->n;
    if (has_more) {
        w_text(u, more, (SDL_Rect){view.x, view.y + view.h - more_h, view.w, more_h}, GFX_FONT_BOLD,
               mt->f_small, THEME_BUTTON, GFX_ALIGN_LEFT, 1);
    }
    u->scroll_blocks = true;
    u->n_blocks = bs->n;
    u->blocks_shown = shown;
    u->scroll_rect = view;
    if (first > 0 || has_more) {
        float frac_len = bs->n > 0 ? (float)shown / (float)bs->n : 1.0f;
        float span = (float)(bs->n - shown);
        float frac_top = span > 0 ? (float)first / span : 0.0f;
        scr_page_buttons(u, page_col, first > 0, has_more, frac_top > 1.0f ? 1.0f : frac_top,
                         frac_len);
    }
}

static const char *join_labels(struct ui *u, const struct feed_item *it, bool audiences)
{
    size_t n = audiences ? it->n_audiences : it->n_categories;
    const char *const *ids = audiences ? it->audiences : it->categories;
    const char *acc = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *l = audiences ? w_audience_label(u, ids[i]) : w_category_label(u, ids[i]);
        /* a category with an audience's label (「こども」 as both) is said once, as audience */
        bool dup = false;
        for (size_t k = 0; !audiences && k < it->n_audiences && !dup; k++) {
            dup = strcmp(l, w_audience_label(u, it->audiences[k])) == 0;
        }
        if (dup) {
            continue;
        }
        acc = !acc ? ui_scratchf(u, "%s", l)
                   : ui_scratchf(u, "%s%s%s", acc, ui_str(UI_STR_LIST_SEP), l);
    }
    return acc;
}

/* The dates of a series still to come, one short block each under one label, so a page
 * never cuts a date in half; a moved time in bold red with its word, not by colour alone.
 * Six or fewer are all shown; more show five and "ほか N回". False when it is no series
 * or all its dates are over (the caller shows the one date instead). */
static bool add_coming_dates(struct ui *u, struct scr_blocks *bs, const struct feed_item *it)
{
    const struct ui_metrics *mt = &u->mt;
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    const struct feed_date *d[DETAIL_DATES_MAX];
    size_t total = feed_item_coming_dates(it, now, d, DETAIL_DATES_MAX);
    size_t shown = total <= DETAIL_DATES_MAX ? total : DETAIL_DATES_MAX - 1;
    char buf[512];

    if (it->n_dates == 0 || total == 0) {
        return false;
    }
    for (size_t i = 0; i < shown; i++) {
        struct feed_item on;
        uifmt_item_on_date(it, d[i], &on);
        uifmt_when(&on, now, buf, sizeof buf);
        const char *text = d[i]->changed
                               ? ui_scratchf(u, "%s 【%s】", buf, ui_str(UI_STR_TIME_CHANGED))
                               : ui_scratchf(u, "%s", buf);
        int before = bs->n;
        scr_blk_add(bs, i == 0 ? ui_str(UI_STR_F_DATES) : "", text,
                    d[i]->changed ? GFX_FONT_BOLD : GFX_FONT_TEXT, mt->f_body,
                    d[i]->changed ? THEME_SUNDAY : THEME_TEXT);
        if (bs->n > before) {
            bs->b[bs->n - 1].tight = i + 1 < shown || total > shown;
        }
    }
    if (total > shown) {
        scr_blk_add(bs, "",
                    ui_scratchf(u, "%s%zu%s", ui_str(UI_STR_MORE_PREFIX), total - shown,
                                ui_str(UI_STR_TIMES_SUFFIX)),
                    GFX_FONT_TEXT, mt->f_body, THEME_TEXT_SUB);
    }
    return true;
}

/* A coming date of a series that moved is a fact a visitor decides by, so it leads the page
 * in red with its word; the 日程 block further down may page it out of sight. */
static void add_moved_dates(struct ui *u, struct scr_blocks *bs, const struct feed_item *it)
{
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    const struct feed_date *d[DETAIL_DATES_MAX];
    size_t total = feed_item_coming_dates(it, now, d, DETAIL_DATES_MAX);
    size_t n = total < DETAIL_DATES_MAX ? total : DETAIL_DATES_MAX;
    char buf[512];
    const char *text = "";

    for (size_t i = 0; i < n && it->n_dates > 0; i++) {
        if (!d[i]->changed) {
            continue;
        }
        struct feed_item on;
        uifmt_item_on_date(it, d[i], &on);
        uifmt_when(&on, now, buf, sizeof buf);
        text = ui_scratchf(u, "%s%s%s", text, text[0] ? "\n" : "", buf);
    }
    scr_blk_add(bs, ui_str(UI_STR_TIME_CHANGED), text[0] ? text : NULL, GFX_FONT_BOLD, u->mt.f_body,
                THEME_SUNDAY);
}

static void build_item_blocks(struct ui *u, struct scr_blocks *bs, const struct feed_item *it,
                              int width, int max_h, bool has_signup)
{
    const struct ui_metrics *mt = &u->mt;
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    char buf[512];
    /* first what a visitor decides by: where, what it costs, how many, whether and by when
     * to apply; the date is the heading's, so it is not repeated in a 日時 row */
    /* the facts in Japanese, so they fit the first screen; their English follows them */
    add_moved_dates(u, bs, it);
    bool ja = ui_lang_is_japanese(u);
    const char *place = w_tr(u, &it->place, NULL);
    bool offsite = uifmt_place_offsite(it->place.ja ? it->place.ja : it->place.en, u->name);
    if (offsite && place) {
        place = ui_scratchf(u, "%s　%s", ui_str(UI_STR_OFFSITE), place);
    }
    scr_blk_add(bs, ui_str(UI_STR_F_PLACE), place, GFX_FONT_BOLD, mt->f_body, THEME_TEXT);
    /* fee, capacity and whether to apply share a row ("無料　定員 40名　要申込"), so the
     * first screen holds them on a landscape panel with two announcement bands */
    struct uifmt_chip chips[UIFMT_MAX_CHIPS];
    size_t n_chips = uifmt_chips(it, 0, chips);
    const char *apply = NULL;
    for (size_t i = 0; i < n_chips; i++) {
        if (chips[i].kind == UIFMT_CHIP_APPLY) {
            apply = ui_scratchf(u, "%s", chips[i].label);
        }
    }
    bool fee_ja_only = false;
    const char *fee = w_tr(u, &it->fee, &fee_ja_only);
    if (fee && fee_ja_only && strcmp(fee, "無料") == 0) {
        /* the list's chip word: a visitor should not need Japanese for a plain "free" */
        fee = ui_str(UI_STR_CHIP_FREE);
    }
    const char *facts = ui_scratchf(u, "%s", fee ? fee : "");
    if (it->capacity >= 0) {
        facts = ui_scratchf(u, "%s%s%s %d%s", facts, facts[0] ? "　" : "",
                            ui_str(UI_STR_F_CAPACITY), it->capacity, ui_str(UI_STR_CAPACITY_UNIT));
    }
    if (apply) {
        facts = ui_scratchf(u, "%s%s%s", facts, facts[0] ? "　" : "", apply);
    }
    scr_blk_add(bs, ui_str(fee ? UI_STR_F_FEE : UI_STR_F_SIGNUP), facts[0] ? facts : NULL,
                GFX_FONT_BOLD, mt->f_body, THEME_TEXT);
    if (it->has_deadline) {
        uifmt_deadline(it->deadline, now, buf, sizeof buf);
        /* the value repeats the word 締切; the label already says it */
        const char *v = buf + strlen(ui_str(UI_STR_DEADLINE));
        while (*v == ' ') {
            v++;
        }
        /* red only when it is near: within three days */
        bool near = now > 0 && it->deadline - now <= 3 * 86400;
        scr_blk_add(bs, ui_str(UI_STR_F_DEADLINE), ui_scratchf(u, "%s", v), GFX_FONT_BOLD,
                    mt->f_body, near ? THEME_SUNDAY : THEME_TEXT);
    }
    if (offsite) {
        /* how to get there, after the facts: the address, if any, else the hint */
        scr_blk_add(bs, ui_str(UI_STR_F_ADDRESS), scr_text_both(u, &it->address), GFX_FONT_TEXT,
                    mt->f_body, THEME_TEXT);
        if (!it->address.ja && !it->address.en) {
            scr_blk_add(bs, NULL, ui_str(UI_STR_OFFSITE_HINT), GFX_FONT_TEXT, mt->f_small,
                        THEME_TEXT_SUB);
        }
    }
    /* English beneath the Japanese facts; a screen in English has them already */
    if (ja && it->place.ja && it->place.en) {
        scr_blk_add(bs, "Place", it->place.en, GFX_FONT_TEXT, mt->f_body, THEME_TEXT);
    }
    if (ja && it->fee.ja && it->fee.en) {
        scr_blk_add(bs, "Fee", it->fee.en, GFX_FONT_TEXT, mt->f_body, THEME_TEXT);
    }
    if (it->summary.ja || it->summary.en) {
        scr_blk_add(bs, NULL, scr_text_both(u, &it->summary), GFX_FONT_BOLD, mt->f_body,
                    THEME_TEXT);
    }
    add_coming_dates(u, bs, it);
    if (!offsite) {
        scr_blk_add(bs, ui_str(UI_STR_F_ADDRESS), scr_text_both(u, &it->address), GFX_FONT_TEXT,
                    mt->f_body, THEME_TEXT);
    }
    scr_blk_add(bs, ui_str(UI_STR_F_AUDIENCE), join_labels(u, it, true), GFX_FONT_TEXT, mt->f_body,
                THEME_TEXT);
    scr_blk_add(bs, ui_str(UI_STR_F_CATEGORY), join_labels(u, it, false), GFX_FONT_TEXT, mt->f_body,
                THEME_TEXT);
    scr_blk_add(bs, ui_str(UI_STR_F_SCHEDULE), scr_text_both(u, &it->schedule), GFX_FONT_TEXT,
                mt->f_body, THEME_TEXT);
    /* a volunteer listing's wanted is whom it seeks; an event's (a CSV's 対象者) whom it is for */
    scr_blk_add(bs, ui_str(it->kind == FEED_KIND_EVENT ? UI_STR_F_AUDIENCE : UI_STR_F_WANTED),
                scr_text_both(u, &it->wanted), GFX_FONT_TEXT, mt->f_body, THEME_TEXT);
    scr_blk_add(
        bs, ui_str(it->kind == FEED_KIND_VOLUNTEER ? UI_STR_F_ORGANIZATION : UI_STR_F_ORGANIZER),
        scr_text_both(u, &it->organizer), GFX_FONT_TEXT, mt->f_body, THEME_TEXT);
    if (has_signup) {
        scr_blk_add(bs, ui_str(UI_STR_F_CONTACT), scr_text_both(u, &it->contact), GFX_FONT_TEXT,
                    mt->f_body, THEME_TEXT);
    }
    if (!ja) {
        scr_blk_paragraphs(u, bs, w_tr(u, &it->description, NULL), width, max_h, mt->f_body,
                           THEME_TEXT);
        return;
    }
    scr_blk_paragraphs(u, bs, it->description.ja, width, max_h, mt->f_body, THEME_TEXT);
    scr_blk_paragraphs(u, bs, it->description.en, width, max_h, mt->f_body, THEME_TEXT_SUB);
}

int scr_qr_side(struct ui *u, const char *data, int max_px, int min_module)
{
    return gfx_qr_side(u->g, data, max_px, min_module);
}

int scr_draw_qr_centered(struct ui *u, const char *url, int cx, int y, int max_px, int min_mod)
{
    int side = scr_qr_side(u, url, max_px, min_mod);
    if (side <= 0) {
        return -1;
    }
    return gfx_draw_qr(u->g, url, cx - side / 2, y, side, min_mod);
}

/* The QR panel keeps its size in large text (base_unit): the code needs no larger modules,
 * and the listing's text gets the room the larger letters need. */

/* The smallest module a detail screen draws: 8 px at 1080 lines. */
static int detail_min_module(const struct ui_metrics *mt)
{
    int min_mod = (int)(8 * mt->base_unit + 0.5f);
    return min_mod < 2 ? 2 : min_mod;
}

/* The QR panel's inset. The code's own quiet zone is white like the panel, so the code
 * goes nearer the panel's edge: just clear of its rounded corners. */
static int panel_inset(const struct ui_metrics *mt)
{
    return (int)(36 * mt->base_unit) * 2 / 3;
}

static int code_inset(const struct ui_metrics *mt)
{
    return (int)(18 * mt->base_unit + 0.5f) / 2; /* half the corners' radius, unscaled */
}

/* The gap between a code and its caption: the panel keeps its size in large text. */
static int code_gap(const struct ui_metrics *mt)
{
    return (int)(20 * mt->base_unit + 0.5f) / 2;
}

/* The module a portrait detail aims at (14 px at 1080 lines: scannable from a step back),
 * no larger, so the band leaves the text its room. */
static int detail_want_module(const struct ui_metrics *mt)
{
    return (int)(14 * mt->base_unit + 0.5f);
}

/* The portrait band when it holds no code: how to apply, in large text. */
static int portrait_band_h(const struct ui_metrics *mt)
{
    return (int)(480 * mt->unit); /* grows: its caption is text */
}

/* Landscape: a column as tall as the screen between header and footer (the announcement
 * bands stop at its left edge), wide enough for a 14 px-module code with its caption under
 * it. */
static int landscape_panel_w(const struct ui_metrics *mt)
{
    /* large text: the code keeps its size in a column just wide enough for it, and the
     * listing's larger letters get the width (the caption wraps to two lines) */
    return (int)((mt->unit > mt->base_unit ? 640 : 820) * mt->base_unit);
}

int scr_detail_band_w(struct ui *u)
{
    const struct ui_metrics *mt = &u->mt;
    enum ui_screen sc = ui_top(u)->screen;
    if (mt->portrait || (sc != UI_SCREEN_DETAIL && sc != UI_SCREEN_KIND_DETAIL)) {
        return u->w;
    }
    return u->w - landscape_panel_w(mt);
}

/* One limit for every detail, the one docs/feed.md gives: a version-7 code at 8 px modules
 * in 432 px (122 bytes). Every layout has that room; a landscape detail could draw longer
 * URLs, but then a listing's code would depend on how the kiosk is mounted. */
size_t scr_detail_qr_max_url(const struct ui_metrics *mt)
{
    return qrspec_max_bytes((int)(432 * mt->base_unit), detail_min_module(mt));
}

int scr_qr_caption(struct ui *u, const char *host, SDL_Rect r, int px, struct gfx_color fg,
                   enum gfx_align align, bool draw)
{
    return scr_qr_caption_as(u, false, host, r, px, fg, align, draw);
}

int scr_qr_caption_as(struct ui *u, bool page, const char *host, SDL_Rect r, int px,
                      struct gfx_color fg, enum gfx_align align, bool draw)
{
    const struct ui_metrics *mt = &u->mt;
    /* English and host at the panel's own size (large text leaves the code's panel alone),
     * never larger than the caption's first lines */
    int spx = (int)(28 * mt->base_unit + 0.5f);
    if (spx > px) {
        spx = px;
    }
    const char *ja = ui_str(page ? UI_STR_QR_CAPTION_PAGE : UI_STR_QR_CAPTION);
    /* English under Japanese only: a visitor who chose a language reads it already */
    const char *en = ui_lang_is_japanese(u)
                         ? ui_str(page ? UI_STR_QR_CAPTION_PAGE_EN : UI_STR_QR_CAPTION_EN)
                         : "";
    if (w_text_width(u, ja, GFX_FONT_BOLD, px) > r.w) {
        ja = ui_str(page ? UI_STR_QR_CAPTION_PAGE_NARROW : UI_STR_QR_CAPTION_NARROW);
    }
    int jh = w_text_height(u, ja, r.w, GFX_FONT_BOLD, px, 0);
    int eh = w_text_height(u, en, r.w, GFX_FONT_TEXT, spx, 0);
    int hh = host && host[0] ? w_text_height(u, host, r.w, GFX_FONT_BOLD, spx, 0) : 0;
    if (draw) {
        int y = r.y;
        y += w_text(u, ja, (SDL_Rect){r.x, y, r.w, jh}, GFX_FONT_BOLD, px, fg, align, 0);
        y += w_text(u, en, (SDL_Rect){r.x, y, r.w, eh}, GFX_FONT_TEXT, spx, fg, align, 0);
        if (hh > 0) {
            w_text(u, host, (SDL_Rect){r.x, y, r.w, hh}, GFX_FONT_BOLD, spx, THEME_TEXT_SUB, align,
                   0);
        }
    }
    return jh + eh + hh;
}

/* Where a code and the caption under it go in a panel w wide and at most max_h tall: the
 * code's side in *side (0: none fits), the caption's height in *cap_h, the caption's size
 * in *cpx. page: the code opens a page about the entry, not a sign-up form. Returns the
 * height used. */
static int code_layout(struct ui *u, const char *url, const char *host, bool page, int w, int max_h,
                       int *side, int *cap_h, int *cpx)
{
    const struct ui_metrics *mt = &u->mt;
    int ci = code_inset(mt);
    *side = 0;
    *cap_h = 0;
    if (strlen(url) > scr_detail_qr_max_url(mt)) {
        return 0; /* `kiosk --check-feed` warns: the contact instead, the same everywhere */
    }
    /* the caption on three lines (Japanese, English, host), smaller before it wraps; at
     * the panel's own size in large text too, since the code must keep its size */
    int body = (int)(34 * mt->base_unit + 0.5f), small = (int)(28 * mt->base_unit + 0.5f);
    *cpx = w_text_width(u, ui_str(UI_STR_QR_CAPTION), GFX_FONT_BOLD, body) <= w - 2 * ci
               ? body
               : small + 2;
    *cap_h = scr_qr_caption_as(u, page, host, (SDL_Rect){0, 0, w - 2 * ci, 0}, *cpx, THEME_TEXT,
                               GFX_ALIGN_CENTER, false);
    int qmax = max_h - 2 * ci - *cap_h - code_gap(mt);
    if (*cpx == body && scr_qr_side(u, url, qmax < w - 2 * ci ? qmax : w - 2 * ci,
                                    detail_min_module(mt)) < (int)(540 * mt->base_unit)) {
        /* a taller caption (readings over it, a longer language) takes smaller letters
         * before it takes the code's size */
        *cpx = small;
        *cap_h = scr_qr_caption_as(u, page, host, (SDL_Rect){0, 0, w - 2 * ci, 0}, *cpx, THEME_TEXT,
                                   GFX_ALIGN_CENTER, false);
        qmax = max_h - 2 * ci - *cap_h - code_gap(mt);
    }
    if (qmax > w - 2 * ci) {
        qmax = w - 2 * ci;
    }
    if (mt->portrait) {
        int mods = gfx_qr_modules(u->g, url);
        /* the side at the module wanted: a larger code would only take the text's room */
        int want = mods * detail_want_module(mt);
        if (mods > 0 && qmax > want) {
            qmax = want;
        }
    }
    int s = scr_qr_side(u, url, qmax, detail_min_module(mt));
    if (s <= 0) {
        return 0;
    }
    *side = s;
    return s + *cap_h + code_gap(mt) + 2 * ci;
}

/* Draws the entry's code with what scanning does and where it goes directly under it; or,
 * when it has no page or its code cannot be drawn large enough to scan here (too long a
 * URL: `kiosk --check-feed` warns), how to apply or ask. A caption is never drawn without
 * its code. Returns whether a code was drawn. */
struct code_fit {
    int used, side, cap_h, cpx; /* code_layout's answer; used 0: no code fits */
};

static bool qr_panel(struct ui *u, SDL_Rect r, const char *url, const char *hs, const char *contact,
                     bool page, const struct code_fit *fit)
{
    const struct ui_metrics *mt = &u->mt;
    if (mt->portrait) {
        gfx_fill_round_rect(u->g, r, mt->radius, THEME_CARD);
    } else {
        gfx_fill_rect(u->g, r, THEME_CARD); /* a column from header to footer */
    }
    int inset = panel_inset(mt);
    int x = r.x + inset, w = r.w - 2 * inset;
    if (url) {
        /* portrait measured the code to size the panel: the same answer, not computed again */
        struct code_fit f = fit ? *fit : (struct code_fit){0};
        if (!fit) {
            f.used = code_layout(u, url, hs, page, r.w, r.h, &f.side, &f.cap_h, &f.cpx);
        }
        int used = f.used, side = f.side, cap_h = f.cap_h, cpx = f.cpx;
        if (used > 0) {
            int ci = code_inset(mt);
            int y = r.y + ci + (r.h - used) / 2;
            gfx_draw_qr(u->g, url, r.x + (r.w - side) / 2, y, side, detail_min_module(mt));
            SDL_Rect cr = {r.x + ci, y + side + code_gap(mt), r.w - 2 * ci, cap_h};
            scr_qr_caption_as(u, page, hs, cr, cpx, THEME_TEXT, GFX_ALIGN_CENTER, true);
            return true;
        }
    }
    /* no signup page, or no code that would scan: how to apply or ask, in large text */
    int y = r.y + inset;
    const char *t = ui_str(UI_STR_NO_SIGNUP_TITLE);
    int th = w_text_height(u, t, w, GFX_FONT_BOLD, mt->f_tile_label, 2);
    w_text(u, t, (SDL_Rect){x, y, w, th}, GFX_FONT_BOLD, mt->f_tile_label, THEME_TEXT,
           GFX_ALIGN_LEFT, 2);
    y += th + mt->gap;
    const char *c = contact ? contact : ui_str(UI_STR_NO_SIGNUP_BODY);
    int ch = r.y + r.h - inset - y;
    w_text(u, c, (SDL_Rect){x, y, w, ch}, GFX_FONT_TEXT, mt->f_body, THEME_TEXT, GFX_ALIGN_LEFT, 0);
    return false;
}

int scr_detail_head_w(struct ui *u, int w)
{
    const struct ui_metrics *mt = &u->mt;
    return mt->portrait ? w : u->w - landscape_panel_w(mt) - 2 * mt->pad;
}

/* True when title takes no more than `lines` lines at px (phrase breaks, as drawn). */
static bool title_whole(struct ui *u, const char *title, int w, int px, int lines)
{
    return w_text_height(u, title, w, GFX_FONT_BOLD, px, lines + 1) <=
           w_text_height(u, title, w, GFX_FONT_BOLD, px, lines);
}

/* The title is what the page is about: on the first page it is shown whole, on up to three
 * lines at the title size, or smaller (down to the body size) when that is what keeps it to
 * three, or on as many lines as it needs at the body size. A title taller than max_h (a
 * portrait page's code must keep its size below it) takes smaller letters still, down to
 * the unscaled body size. Pages further on keep the title size and three lines, cut with …;
 * large text keeps one line there, so the facts below keep the room their larger letters
 * need. Sets *px and *lines; returns the height. */
static int title_fit(struct ui *u, const char *title, int w, bool first, int max_h, int *px,
                     int *lines)
{
    const struct ui_metrics *mt = &u->mt;
    int least = (int)(34 * mt->base_unit);
    *px = mt->f_detail_title;
    *lines = first || !u->large_text ? 3 : 1;
    if (!first) {
        return w_text_height(u, title, w, GFX_FONT_BOLD, *px, *lines);
    }
    int h;
    for (;;) {
        *lines = 3;
        while (*lines < 12 && !title_whole(u, title, w, *px, *lines)) {
            (*lines)++;
        }
        h = w_text_height(u, title, w, GFX_FONT_BOLD, *px, *lines);
        bool small_ok = *lines <= 3 && h <= max_h;
        if (small_ok || *px <= least || (*px <= mt->f_body && h <= max_h)) {
            break;
        }
        *px -= 2;
    }
    return h;
}

int scr_detail_heading(struct ui *u, int x, int y, int head_w, const char *kind,
                       struct theme_hue hue, const char *tag2, bool ja_only, const char *title_ja,
                       const char *title_en)
{
    const struct ui_metrics *mt = &u->mt;
    int tpx = mt->f_small;
    int tag_x = x;
    int tag_h = w_text_height(u, kind, 1000, GFX_FONT_BOLD, tpx, 1) + tpx / 3;
    tag_x += w_tag(u, tag_x, y, head_w, kind, hue, tpx) + mt->gap / 2;
    if (tag2) {
        tag_x +=
            w_tag(u, tag_x, y, x + head_w - tag_x, tag2, theme_category_hue(2), tpx) + mt->gap / 2;
    }
    if (ja_only) {
        /* no translation of this entry: it reads in Japanese, and says so */
        w_tag(u, tag_x, y, x + head_w - tag_x, ui_str(UI_STR_JA_ONLY), theme_category_hue(0), tpx);
    }
    y += tag_h + mt->gap / 2;
    /* title_ja may carry readings ({漢字|かんじ}): ruby over the kanji */
    const char *title = w_trim(title_ja);
    /* large text: no English subtitle, so the text below keeps a page's room */
    bool roomy = !u->large_text;
    /* portrait: the code below keeps its size (540 px at 1080 with its caption), and the
     * date and two lines of facts their room */
    int max_h = 1 << 20;
    if (mt->portrait) {
        max_h = u->h - mt->footer_h - y - (int)(800 * mt->base_unit) -
                4 * w_text_height(u, "あ", 1000, GFX_FONT_TEXT, mt->f_body, 1);
    }
    int title_px, tl;
    int th = title_fit(u, title, head_w, ui_top(u)->scroll < 1.0f, max_h, &title_px, &tl);
    w_text(u, title, (SDL_Rect){x, y, head_w, th}, GFX_FONT_BOLD, title_px, THEME_TEXT,
           GFX_ALIGN_LEFT, tl);
    y += th;
    if (title_en && roomy) {
        int eh = w_text_height(u, title_en, head_w, GFX_FONT_TEXT, mt->f_small, 1);
        w_text(u, title_en, (SDL_Rect){x, y, head_w, eh}, GFX_FONT_TEXT, mt->f_small,
               THEME_TEXT_SUB, GFX_ALIGN_LEFT, 1);
        y += eh;
    }
    return y + mt->gap / 2;
}

bool scr_detail_body(struct ui *u, SDL_Rect r, int y, const char *url, const char *host,
                     const char *contact, bool page, SDL_Rect *view_out, SDL_Rect *page_col_out)
{
    const struct ui_metrics *mt = &u->mt;
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int bottom = r.y + r.h - mt->gap;
    int qr_w = landscape_panel_w(mt);
    int head_w = scr_detail_head_w(u, w);
    /* ▲▼ keep their size in large text: the facts beside them get the width */
    int page_col_w = (int)(110 * mt->base_unit);
    int panel_top = mt->header_h; /* the bands stop at the panel's left edge */
    SDL_Rect view;
    bool code;
    if (mt->portrait) {
        int band_h = portrait_band_h(mt);
        struct code_fit fit = {0};
        if (url) {
            /* the text below keeps a line or two: large text makes them taller */
            int keep = mt->pad + 2 * w_text_height(u, "あ", 1000, GFX_FONT_TEXT, mt->f_body, 1);
            fit.used = code_layout(u, url, host, page, w, bottom - y - keep, &fit.side, &fit.cap_h,
                                   &fit.cpx);
            band_h = fit.used > 0 ? fit.used : band_h;
        }
        code = qr_panel(u, (SDL_Rect){x, y, w, band_h}, url, host, contact, page, &fit);
        y += band_h + mt->pad;
        view = (SDL_Rect){x, y, w - page_col_w - mt->gap, bottom - y};
    } else {
        code = qr_panel(u, (SDL_Rect){u->w - qr_w, panel_top, qr_w, r.y + r.h - panel_top}, url,
                        host, contact, page, NULL);
        view = (SDL_Rect){x, y, head_w - page_col_w - mt->gap, bottom - y};
    }
    *view_out = view;
    *page_col_out = (SDL_Rect){view.x + view.w + mt->gap, view.y, page_col_w, view.h};
    return code;
}

void scr_detail_draw(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    struct ui_nav *nv = ui_top(u);
    const struct feed_item *it = u->m->feed ? feed_find(u->m->feed, nv->id) : NULL;
    if (!it) {
        w_empty(u, r, ui_str(UI_STR_ITEM_GONE), "", NULL, UI_ACT_NONE);
        return;
    }
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int y = r.y + mt->gap;
    int head_w = scr_detail_head_w(u, w);

    const char *kind =
        ui_str(it->kind == FEED_KIND_EVENT ? UI_STR_TITLE_EVENTS : UI_STR_TITLE_VOLUNTEERS);
    /* large text: the date in body size, so the text below keeps a
     * page's room */
    bool roomy = !u->large_text;
    bool ja_only;
    const char *title = w_tr(u, &it->title, &ja_only);
    bool ja = ui_lang_is_japanese(u);
    y = scr_detail_heading(u, x, y, head_w, kind, w_item_hue(u, it),
                           it->featured ? ui_str(UI_STR_FEATURED) : NULL, ja_only,
                           ja && it->title_ruby ? it->title_ruby : title, ja ? it->title.en : NULL);
    y += w_date_line(u, it, x, y, head_w, roomy ? mt->f_date_big : mt->f_body, GFX_FONT_BOLD,
                     THEME_TEXT);
    /* large text: the rule closer to the date, so the facts under it keep their room */
    int rule_gap = roomy ? mt->gap : mt->gap / 2;
    y += rule_gap;
    gfx_fill_rect(u->g, (SDL_Rect){x, y, head_w, 2}, THEME_LINE);
    y += rule_gap;

    SDL_Rect view, page_col;
    bool code = scr_detail_body(u, r, y, it->signup_url, it->signup_host,
                                it->contact.ja ? scr_text_both(u, &it->contact) : NULL, false,
                                &view, &page_col);
    struct scr_blocks *bs = malloc(sizeof *bs);
    if (!bs) {
        return;
    }
    bs->n = 0;
    /* the contact goes with the text when the panel shows a code instead of it */
    build_item_blocks(u, bs, it, view.w, view.h * 2 / 3, code);
    scr_blocks_draw(u, view, page_col, bs);
    free(bs);
}

void scr_announcements_draw(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    int x = r.x + mt->pad, w = r.w - 2 * mt->pad;
    int y = r.y + mt->gap;
    const char *title = ui_str(UI_STR_TITLE_ANNOUNCEMENTS);
    int th = w_text_height(u, title, w, GFX_FONT_BOLD, mt->f_title, 1);
    w_text(u, title, (SDL_Rect){x, y, w, th}, GFX_FONT_BOLD, mt->f_title, THEME_TEXT,
           GFX_ALIGN_LEFT, 1);
    y += th + mt->gap;
    SDL_Rect card = {x, y, w, r.y + r.h - mt->gap - y};
    gfx_fill_round_rect(u->g, card, mt->radius, THEME_CARD);
    int inset = mt->pad * 2 / 3;
    int page_col_w = (int)(110 * mt->unit);
    SDL_Rect view = {card.x + inset, card.y + inset, card.w - 2 * inset - page_col_w - mt->gap,
                     card.h - 2 * inset};
    SDL_Rect page_col = {view.x + view.w + mt->gap, view.y, page_col_w, view.h};
    const struct ann_list *l = u->m->active;
    size_t n = l ? ann_list_count(l) : 0;
    if (n == 0) {
        w_empty(u, card, ui_str(UI_STR_NO_ANNOUNCEMENTS), "", NULL, UI_ACT_NONE);
        return;
    }
    struct scr_blocks *bs = malloc(sizeof *bs);
    if (!bs) {
        return;
    }
    bs->n = 0;
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    for (size_t i = 0; i < n && bs->n < MAX_BLOCKS; i++) {
        const struct feed_announcement *a = ann_list_at(l, i);
        /* Japanese with English beneath, as before there were more languages, unless the
         * screen is in a language the notice has (やさしい日本語 included) */
        bool ja_only = false;
        bool both = ui_lang_is_japanese(u) && !(u->lang == UI_LANG_EASY && a->text.ja_easy);
        const char *text = both ? scr_text_both(u, &a->text) : w_tr(u, &a->text, &ja_only);
        const char *until = NULL;
        if (!a->until_cleared && a->ends_at > 0 && now > 0) {
            /* how long the notice stays up, 「12月5日 17:00まで掲示」: never a range that
             * could be read as a closure period */
            char d[96], hm[16];
            uifmt_date(a->ends_at, now, d, sizeof d);
            uifmt_hm(a->ends_at, hm, sizeof hm);
            /* a notice up to the end of a day: the date alone */
            int64_t into_day = a->ends_at - timeutil_day_start(a->ends_at);
            bool day_end = into_day == 0 || into_day >= 86400 - 60;
            if (into_day == 0) {
                uifmt_date(a->ends_at - 1, now, d, sizeof d);
            }
            until = ui_scratchf(u, "%s%s%s%s%s", ui_str(UI_STR_UNTIL_BEFORE), d, day_end ? "" : " ",
                                day_end ? "" : hm, ui_str(UI_STR_SHOWN_UNTIL));
        }
        /* Japanese shown for want of a translation keeps the screen's language apart (its
         * own block, its own script) for the line that says how long it stays */
        bool apart = ja_only && until;
        if (until && !apart) {
            text = ui_scratchf(u, "%s\n%s", text ? text : "", until);
        }
        enum ui_str badge = a->level == ANN_LEVEL_EMERGENCY   ? UI_STR_ANN_EMERGENCY
                            : a->level == ANN_LEVEL_IMPORTANT ? UI_STR_ANN_IMPORTANT
                                                              : UI_STR_ANN_NORMAL;
        enum gfx_font_role role = a->level == ANN_LEVEL_NORMAL ? GFX_FONT_TEXT : GFX_FONT_BOLD;
        int before = bs->n;
        scr_blk_add(bs, ui_str(badge), text, role, mt->f_body, THEME_TEXT);
        if (bs->n > before) {
            bs->b[bs->n - 1].ja_only = ja_only;
            bs->b[bs->n - 1].tight = apart;
            if (a->level != ANN_LEVEL_NORMAL) {
                bs->b[bs->n - 1].label_color = THEME_IMPORTANT_BG;
            }
            if (apart) {
                scr_blk_add(bs, "", until, role, mt->f_body, THEME_TEXT);
            }
            bs->b[bs->n - 1].rule_after = i + 1 < n;
        }
    }
    scr_blocks_draw(u, view, page_col, bs);
    free(bs);
}
