/* widgets: the pieces every screen is built from — text helpers, buttons, chips, the
 * header with the clock, announcement bands, the status footer, empty states and the
 * listing row with its day heading. Each draws from values and registers its touch
 * target; none keeps state. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "feed/feed_select.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "ui/ui_internal.h"
#include "util/ruby.h"

#define W_LINE_SPACING 1.4f

struct gfx_text_style w_style(enum gfx_font_role role, int px, struct gfx_color c)
{
    struct gfx_text_style st = {
        .role = role,
        .px = px,
        .color = c,
        .line_spacing = W_LINE_SPACING,
        .max_lines = 0,
        .align = GFX_ALIGN_LEFT,
    };
    return st;
}

static bool has_kana(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* U+3041..U+30FF in UTF-8: E3 81 81 .. E3 83 BF */
        if (p[0] == 0xE3 && p[1] >= 0x81 && p[1] <= 0x83 && p[2] &&
            (p[1] != 0x81 || p[2] >= 0x81)) {
            return true;
        }
    }
    return false;
}

/* Whether s lies within a feed text w_tr gave in Japanese this frame (w_trim and the
 * like point into it), or holds one. */
static bool was_ja_shown(const struct ui *u, const char *s)
{
    unsigned n = u->n_ja_shown < UI_JA_SHOWN ? u->n_ja_shown : UI_JA_SHOWN;

    /* addresses compared as integers: s may belong to another object altogether */
    uintptr_t at = (uintptr_t)s;
    for (unsigned i = 0; i < n; i++) {
        uintptr_t p = (uintptr_t)u->ja_shown[i];
        if (at >= p && at <= p + strlen(u->ja_shown[i])) {
            return true;
        }
    }
    /* or holds one: a line composed around it (「馆外　武蔵野市民会館」) is mostly that
     * Japanese, and its kanji in Chinese or Korean shapes read wrong to a Japanese eye */
    for (unsigned i = 0; i < n; i++) {
        if (strlen(u->ja_shown[i]) >= 6 && strstr(s, u->ja_shown[i])) {
            return true;
        }
    }
    return false;
}

/* Japanese shown on a screen in another language (feed text without a translation) keeps
 * Japanese glyph shapes and is listed as "ja": a text with kana is Japanese, and no
 * English, Chinese or Korean text of ours has any. Sets the script (and the listing's tag)
 * for s and returns the script to restore; w_script_done restores both. */
enum gfx_script w_script_for(struct ui *u, const char *s)
{
    enum gfx_script cur = gfx_set_script(u->g, GFX_SCRIPT_JA);

    gfx_set_script(u->g, cur);
    if (ui_lang_is_japanese(u) || (!has_kana(s) && !was_ja_shown(u, s))) {
        return cur;
    }
    gfx_set_script(u->g, GFX_SCRIPT_JA);
    u->saved_text_lang = gfx_set_text_lang(u->g, "ja");
    return cur;
}

void w_script_done(struct ui *u, enum gfx_script old)
{
    gfx_set_script(u->g, old);
    if (u->saved_text_lang) {
        gfx_set_text_lang(u->g, u->saved_text_lang);
        u->saved_text_lang = NULL;
    }
}

const char *w_tr_exact(const struct ui *u, const struct feed_text *t)
{
    switch (u->lang) {
    case UI_LANG_EASY:
        return t->ja_easy;
    case UI_LANG_EN:
        return t->en;
    case UI_LANG_ZH:
        return t->zh_hans;
    case UI_LANG_KO:
        return t->ko;
    default:
        return NULL;
    }
}

const char *w_tr(struct ui *u, const struct feed_text *t, bool *ja_only)
{
    const char *tr;

    if (ja_only) {
        *ja_only = false;
    }
    if (!t->ja) {
        return t->en;
    }
    if (u->lang == UI_LANG_JA) {
        return t->ja;
    }
    tr = w_tr_exact(u, t);
    if (tr) {
        return tr;
    }
    if (u->lang == UI_LANG_EASY) {
        return t->ja; /* plain Japanese is still Japanese: no marker, just harder words */
    }
    if (ja_only) {
        *ja_only = true;
    }
    u->ja_shown[u->n_ja_shown++ % UI_JA_SHOWN] = t->ja;
    return t->ja;
}

int w_text(struct ui *u, const char *s, SDL_Rect box, enum gfx_font_role role, int px,
           struct gfx_color c, enum gfx_align align, int max_lines)
{
    if (!s || s[0] == '\0' || box.w <= 0 || box.h <= 0) {
        return 0;
    }
    struct gfx_text_style st = w_style(role, px, c);
    st.align = align;
    st.max_lines = max_lines;
    enum gfx_script old = w_script_for(u, s);
    int h = gfx_draw_text(u->g, s, box, &st);
    w_script_done(u, old);
    return h;
}

const char *w_trim(const char *s)
{
    if (!s) {
        return "";
    }
    for (;;) {
        if (*s == ' ' || *s == '\t') {
            s++;
        } else if (strncmp(s, "\xE3\x80\x80", 3) == 0) {
            s += 3;
        } else {
            return s;
        }
    }
}

int w_text_width(struct ui *u, const char *s, enum gfx_font_role role, int px)
{
    if (!s || s[0] == '\0') {
        return 0;
    }
    struct gfx_text_style st = w_style(role, px, THEME_TEXT);
    st.max_lines = 1;
    int widest = 0;
    enum gfx_script old = w_script_for(u, s);
    gfx_measure_text(u->g, s, 1 << 20, &st, &widest);
    w_script_done(u, old);
    return widest;
}

int w_text_height(struct ui *u, const char *s, int width, enum gfx_font_role role, int px,
                  int max_lines)
{
    if (!s || s[0] == '\0' || width <= 0) {
        return 0;
    }
    struct gfx_text_style st = w_style(role, px, THEME_TEXT);
    st.max_lines = max_lines;
    int widest = 0;
    enum gfx_script old = w_script_for(u, s);
    int h = gfx_measure_text(u->g, s, width, &st, &widest);
    w_script_done(u, old);
    return h;
}

void w_text_center(struct ui *u, const char *s, SDL_Rect box, enum gfx_font_role role, int px,
                   struct gfx_color c)
{
    int h = w_text_height(u, s, box.w, role, px, 0);
    if (h <= 0) {
        return;
    }
    SDL_Rect b = box;
    if (h < box.h) {
        b.y = box.y + (box.h - h) / 2;
        b.h = h;
    }
    w_text(u, s, b, role, px, c, GFX_ALIGN_CENTER, 0);
}

bool w_rect_inside(SDL_Rect inner, SDL_Rect outer)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

void w_button(struct ui *u, SDL_Rect r, const char *label, bool primary, enum ui_action act,
              int arg)
{
    const struct ui_metrics *mt = &u->mt;
    gfx_fill_round_rect(u->g, r, mt->radius, primary ? THEME_BUTTON : THEME_BUTTON_SOFT);
    if (!primary) {
        /* the soft fill is 1.2:1 against a white footer: the outline makes it a control */
        gfx_stroke_round_rect(u->g, r, mt->radius, (int)(3 * mt->unit) + 1, THEME_CHIP_OFF_LINE);
    }
    w_text_center(u, label, (SDL_Rect){r.x + mt->gap / 2, r.y, r.w - mt->gap, r.h}, GFX_FONT_BOLD,
                  mt->f_body, primary ? THEME_BUTTON_TEXT : THEME_TEXT);
    ui_hit_add(u, r, act, arg, NULL);
}

void w_card(struct ui *u, SDL_Rect r, int radius)
{
    int line = (int)(2 * u->mt.unit);
    gfx_fill_round_rect(u->g, r, radius, THEME_CARD);
    gfx_stroke_round_rect(u->g, r, radius, line < 2 ? 2 : line, THEME_CARD_LINE);
}

int w_chip_width(struct ui *u, const char *label)
{
    const struct ui_metrics *mt = &u->mt;
    return w_text_width(u, label, GFX_FONT_BOLD, mt->f_body - 2) + 2 * mt->pad * 3 / 4;
}

int w_chip(struct ui *u, int x, int y, int maxw, const char *label, struct theme_hue hue,
           bool selected, bool tappable, enum ui_action act, int arg, const char *sarg)
{
    const struct ui_metrics *mt = &u->mt;
    int w = w_chip_width(u, label);
    if (w > maxw) {
        w = maxw;
    }
    SDL_Rect r = {x, y, w, mt->chip_h};
    int rad = mt->chip_h / 2;
    if (selected) {
        gfx_fill_round_rect(u->g, r, rad, hue.fg);
    } else {
        gfx_fill_round_rect(u->g, r, rad, THEME_CHIP_OFF);
        gfx_stroke_round_rect(u->g, r, rad, (int)(3 * mt->unit) + 1, THEME_CHIP_OFF_LINE);
    }
    int inset = mt->pad * 3 / 4;
    SDL_Rect tb = {x + inset, y, w - 2 * inset, mt->chip_h};
    int th = w_text_height(u, label, tb.w, GFX_FONT_BOLD, mt->f_body - 2, 1);
    tb.y = y + (mt->chip_h - th) / 2;
    tb.h = th;
    w_text(u, label, tb, GFX_FONT_BOLD, mt->f_body - 2, selected ? THEME_BUTTON_TEXT : THEME_TEXT,
           GFX_ALIGN_CENTER, 1);
    if (tappable) {
        ui_hit_add(u, r, act, arg, sarg);
    }
    return w;
}

int w_tag(struct ui *u, int x, int y, int maxw, const char *label, struct theme_hue hue, int px)
{
    int padx = px * 2 / 3;
    int w = w_text_width(u, label, GFX_FONT_BOLD, px) + 2 * padx;
    if (w > maxw) {
        return 0;
    }
    int h = w_text_height(u, label, 1 << 20, GFX_FONT_BOLD, px, 1);
    /* the text's box a little wider than its measure: a line laid out into exactly its
     * measured width may still end in … ("相談窓…") */
    SDL_Rect r = {x, y, w, h + px / 3};
    /* a label, not a control: nearly square corners, no outline (the buttons and the filter
     * chips a visitor can tap are pills or outlined) */
    gfx_fill_round_rect(u->g, r, px / 6 + 1, hue.bg);
    w_text(u, label, (SDL_Rect){x + padx, y + px / 6, w - 2 * padx, h}, GFX_FONT_BOLD, px, hue.fg,
           GFX_ALIGN_LEFT, 1);
    return w;
}

int w_ja_only(struct ui *u, int x, int y, int maxw, int px, bool draw, int *h)
{
    const char *label = ui_str(UI_STR_JA_ONLY);
    int w = w_text_width(u, label, GFX_FONT_BOLD, px) + 2 * (px * 2 / 3); /* w_tag's */
    if (h) {
        *h = w_text_height(u, label, 1 << 20, GFX_FONT_BOLD, px, 1) + px / 3;
    }
    if (w > maxw) {
        return 0;
    }
    return draw ? w_tag(u, x, y, maxw, label, theme_category_hue(0), px) : w;
}

void w_header(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    const struct model *m = u->m;
    gfx_fill_rect(u->g, r, THEME_HEADER);
    int x = r.x + mt->pad;
    /* the language button at the far right, the same place on every screen, and the
     * reading aids beside it */
    int right = r.x + r.w - w_lang_button(u, r);
    right -= w_large_text_button(u, r, right);

    /* the clock left of it, measured first so the name never runs under it */
    char hm[16], date[64];
    int clock_w = 0;
    int name_px = mt->f_name;
    int want = w_text_width(u, u->name, GFX_FONT_BOLD, name_px);
    if (m->clock_synced) {
        uifmt_hm(m->now, hm, sizeof hm);
        uifmt_date(m->now, 0, date, sizeof date);
        int cpx = mt->f_clock;
        int tw = w_text_width(u, hm, GFX_FONT_BOLD, cpx);
        int dw = w_text_width(u, date, GFX_FONT_BOLD, mt->f_body);
        /* a narrow header (portrait, a long date in English) keeps the name whole: the
         * date goes first, then the clock comes down towards the name's size; the name
         * says where the visitor is */
        if (right - tw - dw - mt->gap - mt->pad - x < want) {
            date[0] = '\0';
            dw = 0;
        }
        while (cpx > mt->f_body && right - tw - mt->pad - x < want) {
            cpx -= 2;
            tw = w_text_width(u, hm, GFX_FONT_BOLD, cpx);
        }
        int th = w_text_height(u, hm, tw + 1, GFX_FONT_BOLD, cpx, 1);
        int dh = w_text_height(u, date, dw + 1, GFX_FONT_BOLD, mt->f_body, 1);
        clock_w = dw > 0 ? tw + dw + mt->gap : tw;
        w_text(u, hm, (SDL_Rect){right - tw, r.y + (r.h - th) / 2, tw, th}, GFX_FONT_BOLD, cpx,
               THEME_HEADER_TEXT, GFX_ALIGN_RIGHT, 1);
        w_text(u, date, (SDL_Rect){right - tw - mt->gap - dw, r.y + (r.h - dh) / 2, dw, dh},
               GFX_FONT_BOLD, mt->f_body, THEME_HEADER_TEXT, GFX_ALIGN_RIGHT, 1);
    } else {
        const char *s = ui_str(UI_STR_CLOCK_UNSYNCED);
        int dw = w_text_width(u, s, GFX_FONT_TEXT, mt->f_body);
        int dh = w_text_height(u, s, dw + 1, GFX_FONT_TEXT, mt->f_body, 1);
        clock_w = dw;
        w_text(u, s, (SDL_Rect){right - dw, r.y + (r.h - dh) / 2, dw, dh}, GFX_FONT_TEXT,
               mt->f_body, THEME_HEADER_SUB, GFX_ALIGN_RIGHT, 1);
    }
    int name_w = right - clock_w - mt->pad - x;
    /* still too narrow: a slightly smaller name rather than one cut to 「武蔵…」 */
    while (name_px > mt->f_small && want > name_w) {
        name_px -= 2;
        want = w_text_width(u, u->name, GFX_FONT_BOLD, name_px);
    }
    int nh = w_text_height(u, u->name, name_w, GFX_FONT_BOLD, name_px, 1);
    /* its English under it likewise, or none rather than 「Musa…」 */
    int epx = mt->f_small;
    while (epx > mt->f_small * 3 / 4 && w_text_width(u, u->name_en, GFX_FONT_TEXT, epx) > name_w) {
        epx -= 2;
    }
    bool en_fits = w_text_width(u, u->name_en, GFX_FONT_TEXT, epx) <= name_w;
    int eh = en_fits ? w_text_height(u, u->name_en, name_w, GFX_FONT_TEXT, epx, 1) : 0;
    int y = r.y + (r.h - nh - eh) / 2;
    w_text(u, u->name, (SDL_Rect){x, y, name_w, nh}, GFX_FONT_BOLD, name_px, THEME_HEADER_TEXT,
           GFX_ALIGN_LEFT, 1);
    w_text(u, u->name_en, (SDL_Rect){x, y + nh, name_w, eh}, GFX_FONT_TEXT, epx, THEME_HEADER_SUB,
           GFX_ALIGN_LEFT, 1);
}

static const char *ann_text(struct ui *u, const struct feed_announcement *a, bool *ja_only)
{
    const char *s = w_tr(u, &a->text, ja_only);
    return s ? s : "";
}

/* One band: a badge and the newest announcement of a level, "ほかN件" when there are more. */
static int ann_band(struct ui *u, SDL_Rect r, const struct feed_announcement *a, size_t more,
                    bool important, bool draw)
{
    const struct ui_metrics *mt = &u->mt;
    const char *badge = ui_str(important ? UI_STR_ANN_IMPORTANT : UI_STR_ANN_NORMAL);
    int bpx = mt->f_small;
    int bw = w_text_width(u, badge, GFX_FONT_BOLD, bpx) + bpx;
    char more_s[32] = "";
    if (more > 0) {
        char n[24];
        uifmt_count(more, n, sizeof n);
        snprintf(more_s, sizeof more_s, "%s%s", ui_str(UI_STR_MORE_PREFIX), n);
    }
    int more_w = more_s[0] != '\0' ? w_text_width(u, more_s, GFX_FONT_BOLD, mt->f_small) : 0;
    bool ja_only;
    const char *text = ann_text(u, a, &ja_only);
    /* a notice in Japanese on another language's screen says so beside its badge */
    int jw = ja_only ? w_ja_only(u, 0, 0, r.w / 3, bpx, false, NULL) : 0;
    int tx = r.x + mt->pad + bw + mt->gap + (jw > 0 ? jw + mt->gap / 2 : 0);
    int tw = r.x + r.w - mt->pad - tx - (more_w > 0 ? more_w + mt->gap : 0);
    /* an important one wraps to two lines before it is cut, on every screen (a portrait
     * list cut it to 「工事のた…」 where home wrapped it); a normal one keeps to one */
    int lines = important && !u->large_text ? 2 : 1; /* large text: the screen needs the room */
    int fpx = important ? mt->f_body : mt->f_body - 2;
    enum gfx_font_role role = important ? GFX_FONT_BOLD : GFX_FONT_TEXT;
    int th = w_text_height(u, text, tw, role, fpx, lines);
    if (th <= 0) {
        return 0; /* nothing to read: no band, rather than a badge over nothing */
    }
    enum ui_screen scr = ui_top(u)->screen;
    if (u->large_text && mt->portrait && ruby_has_markup(text, strlen(text)) &&
        (scr == UI_SCREEN_DETAIL || scr == UI_SCREEN_KIND_DETAIL)) {
        /* a large-text portrait detail's code must keep its size below: the band keeps its
         * line's height and drops the readings (gfx does when they do not fit); the
         * announcements screen it opens has them */
        struct ruby_text *rt = ruby_parse(text, strlen(text));
        int plain = rt ? w_text_height(u, rt->base, tw, role, fpx, lines) : 0;
        ruby_free(rt);
        th = plain > 0 && plain < th ? plain : th;
    }
    int vpad = mt->gap * 3 / 4;
    int h = th + 2 * vpad;
    if (!draw) {
        return h;
    }
    SDL_Rect band = {r.x, r.y, r.w, h};
    struct gfx_color fg = important ? THEME_IMPORTANT_TEXT : THEME_TEXT;
    gfx_fill_rect(u->g, band, important ? THEME_IMPORTANT_BG : THEME_CARD);
    if (!important) {
        gfx_fill_rect(u->g, (SDL_Rect){r.x, r.y + h - 2, r.w, 2}, THEME_LINE);
    }
    int bh = w_text_height(u, badge, bw, GFX_FONT_BOLD, bpx, 1);
    SDL_Rect brect = {r.x + mt->pad, r.y + vpad + (fpx * 13 / 10 - bh - bpx / 3) / 2, bw,
                      bh + bpx / 3};
    if (important) {
        gfx_stroke_round_rect(u->g, brect, mt->radius / 2, 2, THEME_IMPORTANT_TEXT);
    } else {
        gfx_fill_round_rect(u->g, brect, mt->radius / 2, THEME_NORMAL_BADGE);
    }
    w_text(u, badge, (SDL_Rect){brect.x, brect.y + bpx / 6, bw, bh}, GFX_FONT_BOLD, bpx, fg,
           GFX_ALIGN_CENTER, 1);
    if (jw > 0) {
        w_ja_only(u, brect.x + bw + mt->gap / 2, brect.y, jw, bpx, true, NULL);
    }
    w_text(u, text, (SDL_Rect){tx, r.y + vpad, tw, th}, role, fpx, fg, GFX_ALIGN_LEFT, lines);
    if (more_w > 0) {
        int mh = w_text_height(u, more_s, more_w + 1, GFX_FONT_BOLD, mt->f_small, 1);
        w_text(u, more_s, (SDL_Rect){r.x + r.w - mt->pad - more_w, r.y + (h - mh) / 2, more_w, mh},
               GFX_FONT_BOLD, mt->f_small, fg, GFX_ALIGN_RIGHT, 1);
    }
    ui_hit_add(u, band, UI_ACT_OPEN_ANNOUNCEMENTS, 0, NULL);
    return h;
}

int w_announcement_bands(struct ui *u, SDL_Rect r)
{
    const struct ann_list *l = u->m->active;
    const struct feed_announcement *imp = NULL, *norm = NULL;
    size_t n_imp = 0, n_norm = 0;
    for (size_t i = 0; l && i < ann_list_count(l); i++) {
        const struct feed_announcement *a = ann_list_at(l, i);
        /* the list is newest first within a level, so the first seen is the newest */
        if (a->level == ANN_LEVEL_IMPORTANT) {
            if (!imp) {
                imp = a;
            }
            n_imp++;
        } else if (a->level == ANN_LEVEL_NORMAL) {
            if (!norm) {
                norm = a;
            }
            n_norm++;
        }
    }
    /* the announcements screen shows them all, and home's panel: a band would repeat them */
    enum ui_screen scr = ui_top(u)->screen;
    if (scr == UI_SCREEN_ANNOUNCEMENTS || scr == UI_SCREEN_HOME) {
        return 0;
    }
    int used = 0;
    if (imp) {
        used += ann_band(u, (SDL_Rect){r.x, r.y, r.w, r.h}, imp, n_imp - 1, true, true);
    }
    /* bands narrowed beside a landscape detail's code column: the important one only, so
     * the listing's facts keep the first page (notices stay on home and the lists) */
    if (norm && r.w >= u->w) {
        used += ann_band(u, (SDL_Rect){r.x, r.y + used, r.w, r.h - used}, norm, n_norm - 1, false,
                         true);
    }
    return used;
}

int w_stale_band(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    char line[512], upd[96];
    uifmt_last_update(u->m->content_fetched_at, u->m->now, upd, sizeof upd);
    snprintf(line, sizeof line, "%s（%s）", ui_str(UI_STR_STALE_NOTICE), upd);
    int tw = u->w - 2 * mt->pad;
    /* three lines for large text on a portrait panel: the date of the update stays whole */
    int th = w_text_height(u, line, tw, GFX_FONT_BOLD, mt->f_small, 3);
    int h = th + mt->gap;
    if (r.h <= 0) {
        return h;
    }
    gfx_fill_rect(u->g, r, THEME_STALE_BG);
    w_text(u, line, (SDL_Rect){r.x + mt->pad, r.y + mt->gap / 2, tw, th}, GFX_FONT_BOLD,
           mt->f_small, THEME_STALE_TEXT, GFX_ALIGN_LEFT, 3);
    return h;
}

void w_footer(struct ui *u, SDL_Rect r, bool nav_buttons)
{
    const struct ui_metrics *mt = &u->mt;
    const struct model *m = u->m;
    gfx_fill_rect(u->g, r, THEME_CARD);
    gfx_fill_rect(u->g, (SDL_Rect){r.x, r.y, r.w, 2}, THEME_LINE);
    int by = r.y + (r.h - mt->button_h) / 2;
    int bw_back = (int)(280 * mt->unit), bw_home = (int)(220 * mt->unit);
    int left_end = r.x + mt->pad;
    if (nav_buttons) {
        w_button(u, (SDL_Rect){r.x + mt->pad, by, bw_back, mt->button_h}, ui_str(UI_STR_BACK), true,
                 UI_ACT_BACK, 0);
        w_button(u, (SDL_Rect){r.x + mt->pad + bw_back + mt->gap, by, bw_home, mt->button_h},
                 ui_str(UI_STR_HOME), false, UI_ACT_HOME, 0);
        left_end += bw_back + mt->gap + bw_home + mt->gap;
    }

    /* status on the right: last update, and a mark when the last sync failed */
    char upd[96];
    uifmt_last_update(m->content_fetched_at, m->clock_synced ? m->now : 0, upd, sizeof upd);
    int right = r.x + r.w - mt->pad;
    int uw = w_text_width(u, upd, GFX_FONT_TEXT, mt->f_small);
    int lh = w_text_height(u, upd, uw + 1, GFX_FONT_TEXT, mt->f_small, 1);
    bool failed = m->sync_state == MODEL_SYNC_FAILED;
    const char *fs = ui_str(UI_STR_SYNC_FAILED);
    int fw = failed ? w_text_width(u, fs, GFX_FONT_BOLD, mt->f_small) : 0;
    int total_h = failed ? 2 * lh : lh;
    /* large text on home: the time under its label when that gives the hint one line */
    char when[96] = "";
    char *sp = strrchr(upd, ' ');
    const char *hint = ui_str(UI_STR_HOME_HINT);
    if (!nav_buttons && !failed && sp &&
        w_text_width(u, hint, GFX_FONT_BOLD, mt->f_body) > right - uw - mt->gap - left_end) {
        snprintf(when, sizeof when, "%s", sp + 1);
        *sp = '\0';
        uw = w_text_width(u, upd, GFX_FONT_TEXT, mt->f_small);
        fw = w_text_width(u, when, GFX_FONT_TEXT, mt->f_small);
        total_h = 2 * lh;
    }
    int y = r.y + (r.h - total_h) / 2;
    int status_w = (uw > fw ? uw : fw) + mt->gap;
    if (right - status_w < left_end) {
        /* large text on a narrow panel: the buttons keep their room, the status goes */
        return;
    }
    if (failed) {
        w_text(u, fs, (SDL_Rect){right - fw, y, fw, lh}, GFX_FONT_BOLD, mt->f_small, THEME_SUNDAY,
               GFX_ALIGN_RIGHT, 1);
        y += lh;
    }
    w_text(u, upd, (SDL_Rect){right - uw, y, uw, lh}, GFX_FONT_TEXT, mt->f_small, THEME_TEXT_SUB,
           GFX_ALIGN_RIGHT, 1);
    w_text(u, when, (SDL_Rect){right - fw, y + lh, fw, lh}, GFX_FONT_TEXT, mt->f_small,
           THEME_TEXT_SUB, GFX_ALIGN_RIGHT, 1);

    if (!nav_buttons) {
        int hw = right - status_w - left_end;
        /* large text on a narrow panel: on two lines rather than cut */
        int hh = w_text_height(u, hint, hw, GFX_FONT_BOLD, mt->f_body, 2);
        w_text(u, hint, (SDL_Rect){left_end, r.y + (r.h - hh) / 2, hw, hh}, GFX_FONT_BOLD,
               mt->f_body, THEME_TEXT, GFX_ALIGN_LEFT, 2);
    }
}

void w_empty(struct ui *u, SDL_Rect r, const char *title, const char *body, const char *button,
             enum ui_action act)
{
    const struct ui_metrics *mt = &u->mt;
    int w = r.w - 2 * mt->pad;
    int maxw = (int)(1100 * mt->unit);
    if (w > maxw) {
        w = maxw;
    }
    int x = r.x + (r.w - w) / 2;
    int tpx = mt->f_title * 4 / 5;
    int th = w_text_height(u, title, w, GFX_FONT_BOLD, tpx, 2);
    int bh = w_text_height(u, body, w, GFX_FONT_TEXT, mt->f_body, 4);
    int total = th + mt->gap + bh + (button ? mt->pad + mt->button_h : 0);
    int y = r.y + (r.h - total) / 2;
    if (y < r.y) {
        y = r.y;
    }
    w_text(u, title, (SDL_Rect){x, y, w, th}, GFX_FONT_BOLD, tpx, THEME_TEXT, GFX_ALIGN_CENTER, 2);
    y += th + mt->gap;
    w_text(u, body, (SDL_Rect){x, y, w, bh}, GFX_FONT_TEXT, mt->f_body, THEME_TEXT_SUB,
           GFX_ALIGN_CENTER, 4);
    y += bh + mt->pad;
    if (button && y + mt->button_h <= r.y + r.h) {
        int bw = w_text_width(u, button, GFX_FONT_BOLD, mt->f_body) + 2 * mt->pad;
        w_button(u, (SDL_Rect){r.x + (r.w - bw) / 2, y, bw, mt->button_h}, button, true, act, 0);
    }
}

void w_empty_list(struct ui *u, SDL_Rect r, bool filtered)
{
    gfx_fill_round_rect(u->g, r, u->mt.radius, THEME_CARD);
    if (filtered) {
        w_empty(u, r, ui_str(UI_STR_EMPTY_FILTER_TITLE), ui_str(UI_STR_EMPTY_FILTER_BODY),
                ui_str(UI_STR_CLEAR_FILTER), UI_ACT_CLEAR_FILTER);
    } else {
        w_empty(u, r, ui_str(UI_STR_EMPTY_LIST_TITLE), ui_str(UI_STR_EMPTY_LIST_BODY), NULL,
                UI_ACT_NONE);
    }
}

static struct gfx_color wday_color(int64_t t, struct gfx_color normal)
{
    switch (uifmt_wday_class(t)) {
    case UIFMT_SATURDAY:
        return THEME_SATURDAY;
    case UIFMT_SUNDAY:
        return THEME_SUNDAY;
    default:
        return normal;
    }
}

const struct feed_item *w_item_next(struct ui *u, const struct feed_item *it, struct feed_item *tmp)
{
    struct feed_date d;
    const struct feed_date *next;

    if (it->n_dates == 0) {
        return it;
    }
    next = feed_item_next_date(it, u->m->clock_synced ? u->m->now : 0, &d);
    if (!next) {
        return it;
    }
    uifmt_item_on_date(it, next, tmp);
    return tmp;
}

int w_date_line(struct ui *u, const struct feed_item *it_in, int x, int y, int maxw, int px,
                enum gfx_font_role role, struct gfx_color c)
{
    char md[64], wd[32], when[512];
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    struct feed_item tmp;
    const struct feed_item *it = w_item_next(u, it_in, &tmp);
    if (!it->has_start) {
        if (!it->has_deadline) {
            return 0;
        }
        uifmt_deadline(it->deadline, now, when, sizeof when);
        int h = w_text_height(u, when, maxw, role, px, 2);
        return w_text(u, when, (SDL_Rect){x, y, maxw, h}, role, px, c, GFX_ALIGN_LEFT, 2);
    }
    size_t nmd = uifmt_month_day(it->start, now, md, sizeof md);
    size_t nwd = uifmt_weekday(it->start, wd, sizeof wd);
    uifmt_when(it, now, when, sizeof when);
    const char *rest = when + nmd + nwd;
    int w1 = w_text_width(u, md, role, px);
    int w2 = w_text_width(u, wd, role, px);
    int w3 = w_text_width(u, rest, role, px);
    if (w1 + w2 + w3 > maxw) {
        /* too long for one line: one wrapped block in one colour */
        int h = w_text_height(u, when, maxw, role, px, 2);
        return w_text(u, when, (SDL_Rect){x, y, maxw, h}, role, px, c, GFX_ALIGN_LEFT, 2);
    }
    int h = w_text_height(u, md, w1 + 1, role, px, 1);
    w_text(u, md, (SDL_Rect){x, y, w1 + 1, h}, role, px, c, GFX_ALIGN_LEFT, 1);
    w_text(u, wd, (SDL_Rect){x + w1, y, w2 + 1, h}, role, px, wday_color(it->start, c),
           GFX_ALIGN_LEFT, 1);
    if (rest[0] != '\0') {
        w_text(u, rest, (SDL_Rect){x + w1 + w2, y, w3 + 1, h}, role, px, c, GFX_ALIGN_LEFT, 1);
    }
    return h;
}

const char *w_category_label(struct ui *u, const char *id)
{
    const struct feed_label *l = u->m->feed ? feed_category_find(u->m->feed, id) : NULL;
    return l && l->label.ja ? w_tr(u, &l->label, NULL) : id;
}

const char *w_audience_label(struct ui *u, const char *id)
{
    const struct feed_label *l = u->m->feed ? feed_audience_find(u->m->feed, id) : NULL;
    return l && l->label.ja ? w_tr(u, &l->label, NULL) : id;
}

static size_t category_index(struct ui *u, const char *id)
{
    const struct feed *f = u->m->feed;
    for (size_t i = 0; f && i < feed_category_count(f); i++) {
        if (strcmp(feed_category_at(f, i)->id, id) == 0) {
            return i;
        }
    }
    return 0;
}

struct theme_hue w_item_hue(struct ui *u, const struct feed_item *it)
{
    if (it->n_categories > 0) {
        return theme_category_hue(category_index(u, it->categories[0]));
    }
    return theme_tile_hue(it->kind == FEED_KIND_VOLUNTEER ? 2 : 1);
}

struct theme_hue w_category_hue(struct ui *u, const char *id)
{
    return theme_category_hue(category_index(u, id));
}

/* Large text (unit above base_unit): a narrower time column (its figures need no more) and
 * the card's unscaled inset, so two columns of rows fit a landscape page. */
static bool row_large(const struct ui_metrics *mt)
{
    return mt->unit > mt->base_unit;
}

static int row_inset(const struct ui_metrics *mt)
{
    return row_large(mt) ? (int)(12 * mt->base_unit) / 2 : mt->gap / 2;
}

/* Large text sets a day heading on the tight line of a row's title; the Chinese and Korean
 * faces need their usual line for their taller ink. */
static float heading_spacing(const struct ui *u)
{
    bool tight = row_large(&u->mt) && u->lang != UI_LANG_ZH && u->lang != UI_LANG_KO;
    return tight ? 1.2f : W_LINE_SPACING;
}

static int row_time_w(const struct ui_metrics *mt)
{
    return (int)((row_large(mt) ? 122 : 150) * mt->unit);
}

void w_day_heading(struct ui *u, SDL_Rect r, int64_t day)
{
    const struct ui_metrics *mt = &u->mt;
    char d[64], wd[32];
    uifmt_month_day(day, u->m->clock_synced ? u->m->now : 0, d, sizeof d);
    uifmt_weekday(day, wd, sizeof wd);
    int px = mt->f_body;
    int dw = w_text_width(u, d, GFX_FONT_BOLD, px);
    int ww = w_text_width(u, wd, GFX_FONT_BOLD, px);
    /* large text: a tight line (w_day_heading_h), so a column keeps its third row */
    struct gfx_text_style st = w_style(GFX_FONT_BOLD, px, THEME_TEXT);
    st.max_lines = 1;
    st.line_spacing = heading_spacing(u);
    enum gfx_script old = w_script_for(u, d);
    int h = gfx_measure_text(u->g, d, dw + 1, &st, NULL);
    int y = r.y + r.h - h;
    gfx_draw_text(u->g, d, (SDL_Rect){r.x, y, dw + 1, h}, &st);
    st.color = wday_color(day, THEME_TEXT);
    gfx_draw_text(u->g, wd, (SDL_Rect){r.x + dw, y, ww + 1, h}, &st);
    w_script_done(u, old);
}

/* A chip that is a fact, not a control: a tinted fill with no outline, so it does not look
 * like a button; status in a strong colour with white text. Returns its width, 0 when it
 * does not fit maxw. */
static int fact_chip(struct ui *u, int x, int y, int maxw, const struct uifmt_chip *c, int px)
{
    static const struct theme_hue status = {THEME_RGB(0xFFFFFF), THEME_RGB(0xB3261E)};
    static const struct theme_hue fact = {THEME_RGB(0x1D2125), THEME_RGB(0xE4E8EC)};
    struct theme_hue hue = c->kind == UIFMT_CHIP_STATUS ? status : fact;
    return w_tag(u, x, y, maxw, c->label, (struct theme_hue){hue.fg, hue.bg}, px);
}

/* A row's title: where it starts and how wide it may run, its style (one line: the tight
 * 1.2 em of a single line is enough), and the height of the chips line under it. */
struct row_geo {
    int tx, tw, inset, chip_h, cpx;
    struct gfx_text_style st;
};

static void row_geo(struct ui *u, SDL_Rect r, struct row_geo *g)
{
    const struct ui_metrics *mt = &u->mt;
    g->inset = row_inset(mt);
    g->tx = r.x + g->inset + (int)(12 * mt->unit) + row_time_w(mt) + mt->gap / 2;
    g->tw = r.x + r.w - g->inset - g->tx;
    g->st = w_style(GFX_FONT_BOLD, mt->f_body, THEME_TEXT);
    g->st.line_spacing = 1.2f;
    g->st.max_lines = 1;
    g->cpx = mt->f_small - 4;
    int ja = w_text_height(u, "あ", 1000, GFX_FONT_BOLD, g->cpx, 1);
    /* large text's rows are as low as their lines: the chips' words in a Chinese or Korean
     * face are taller than Japanese, and the row must hold them (a roomier normal row takes
     * them in its inset) */
    int own = row_large(mt)
                  ? w_text_height(u, ui_str(UI_STR_CHIP_SIGNUP), 1000, GFX_FONT_BOLD, g->cpx, 1)
                  : 0;
    g->chip_h = (ja > own ? ja : own) + g->cpx / 3;
}

int w_day_heading_h(struct ui *u)
{
    struct gfx_text_style st = w_style(GFX_FONT_BOLD, u->mt.f_body, THEME_TEXT);
    st.max_lines = 1;
    st.line_spacing = heading_spacing(u);
    /* a digit alone would measure the Latin face only: the heading's day and weekday words
     * come from the CJK faces, whose extents set the line */
    const char *sample = ui_scratchf(u, "0%s%s", ui_str(UI_STR_DAY_SUFFIX), ui_str(UI_STR_WD_SUN));
    enum gfx_script old = w_script_for(u, sample);
    int h = gfx_measure_text(u->g, sample, 1000, &st, NULL);
    w_script_done(u, old);
    return h;
}

int w_row_min_h(struct ui *u)
{
    struct row_geo g;
    row_geo(u, (SDL_Rect){0, 0, 1000, 0}, &g);
    int title = gfx_measure_text(u->g, "あ", 1000, &g.st, NULL);
    /* a translated title is set in the screen's face (Chinese and Korean lines are taller) */
    const char *own = ui_str(UI_STR_TILE_EVENTS);
    enum gfx_script old = w_script_for(u, own);
    int own_h = gfx_measure_text(u->g, own, 1000, &g.st, NULL);
    w_script_done(u, old);
    title = own_h > title ? own_h : title;
    return title + g.chip_h + 2 * g.inset;
}

int w_row_title_extra(struct ui *u, SDL_Rect r, const struct feed_item *it_in)
{
    struct feed_item tmp;
    const struct feed_item *it = w_item_next(u, it_in, &tmp);
    struct row_geo g;
    row_geo(u, r, &g);
    const char *title = w_trim(it->title.ja);
    int h1 = gfx_measure_text(u->g, title, g.tw, &g.st, NULL);
    g.st.max_lines = 2;
    int h2 = gfx_measure_text(u->g, title, g.tw, &g.st, NULL);
    if (h2 <= h1) {
        return 0;
    }
    int need = h2 + g.chip_h + 2 * g.inset;
    return need > r.h ? need - r.h : 0;
}

void w_row(struct ui *u, SDL_Rect r, const struct feed_item *it_in)
{
    struct feed_item tmp;
    const struct feed_item *it = w_item_next(u, it_in, &tmp);
    const struct ui_metrics *mt = &u->mt;
    struct theme_hue hue = w_item_hue(u, it);
    w_card(u, r, mt->radius / 2);
    gfx_fill_rect(u->g,
                  (SDL_Rect){r.x, r.y + mt->radius / 2, (int)(8 * mt->unit) + 1, r.h - mt->radius},
                  hue.fg);
    int64_t now = u->m->clock_synced ? u->m->now : 0;
    int inset = row_inset(mt);
    int x = r.x + inset + (int)(12 * mt->unit);
    int tcw = row_time_w(mt);
    char buf[256];
    /* the time, dark and large: the first thing a visitor scans for */
    int tpx = (int)(36 * mt->unit);
    if (it->has_start) {
        uifmt_time_range(it, buf, sizeof buf);
        char *sep = strstr(buf, "〜");
        int y = r.y + inset;
        if (sep && !it->all_day) {
            *sep = '\0';
            int h = w_text_height(u, buf, tcw, GFX_FONT_BOLD, tpx, 1);
            w_text(u, buf, (SDL_Rect){x, y, tcw, h}, GFX_FONT_BOLD, tpx, THEME_TEXT, GFX_ALIGN_LEFT,
                   1);
            const char *rest = ui_scratchf(u, "〜%s", sep + strlen("〜"));
            int h2 = w_text_height(u, rest, tcw, GFX_FONT_BOLD, mt->f_small, 1);
            w_text(u, rest, (SDL_Rect){x, y + h, tcw, h2}, GFX_FONT_BOLD, mt->f_small, THEME_TEXT,
                   GFX_ALIGN_LEFT, 1);
        } else {
            int h = w_text_height(u, buf, tcw, GFX_FONT_BOLD, mt->f_small, 2);
            w_text(u, buf, (SDL_Rect){x, y, tcw, h}, GFX_FONT_BOLD, mt->f_small, THEME_TEXT,
                   GFX_ALIGN_LEFT, 2);
        }
    } else if (it->has_deadline) {
        uifmt_deadline(it->deadline, now, buf, sizeof buf);
        int h = w_text_height(u, buf, tcw, GFX_FONT_BOLD, mt->f_small, 2);
        w_text(u, buf, (SDL_Rect){x, r.y + inset, tcw, h}, GFX_FONT_BOLD, mt->f_small, THEME_SUNDAY,
               GFX_ALIGN_LEFT, 2);
    }
    /* the title, on two lines where the list gave the row their room, then the chips and
     * the place */
    struct row_geo g;
    row_geo(u, r, &g);
    int tx = g.tx, tw = g.tw, cpx = g.cpx, chip_h = g.chip_h;
    bool ja_only;
    const char *title = w_trim(w_tr(u, &it->title, &ja_only));
    int y = r.y + inset;
    struct gfx_text_style st = g.st;
    st.max_lines = 2;
    int chip_y = r.y + r.h - inset - chip_h;
    enum gfx_script old = w_script_for(u, title);
    int h = gfx_measure_text(u->g, title, tw, &st, NULL);
    if (h > chip_y - y) {
        st.max_lines = 1; /* no room for a second line: cut with … */
        h = gfx_measure_text(u->g, title, tw, &st, NULL);
    }
    /* a regional face's taller line box stops at the chips (its glyphs fit) */
    if (h > chip_y - y) {
        h = chip_y - y;
    }
    gfx_draw_text(u->g, title, (SDL_Rect){tx, y, tw, h}, &st);
    w_script_done(u, old);
    struct uifmt_chip chips[UIFMT_MAX_CHIPS];
    size_t n = uifmt_chips(it, now, chips);
    y = chip_y;
    int cx = tx;
    for (size_t i = 0; i < n; i++) {
        int cw = fact_chip(u, cx, y, tx + tw - cx, &chips[i], cpx);
        if (cw == 0) {
            break;
        }
        cx += cw + mt->gap / 3;
    }
    if (ja_only) {
        /* the title is in Japanese because the feed has no translation: say so */
        int mw = w_tag(u, cx, y, tx + tw - cx, ui_str(UI_STR_JA_ONLY), theme_category_hue(0), cpx);
        cx += mw > 0 ? mw + mt->gap / 3 : 0;
    }
    const char *place = w_tr(u, &it->place, NULL);
    if (place && cx + (int)(160 * mt->unit) < tx + tw) {
        int ph = w_text_height(u, place, tx + tw - cx, GFX_FONT_TEXT, mt->f_small - 2, 1);
        w_text(u, place,
               (SDL_Rect){cx + mt->gap / 3, y + (chip_h - ph) / 2, tx + tw - cx - mt->gap / 3, ph},
               GFX_FONT_TEXT, mt->f_small - 2, THEME_TEXT_SUB, GFX_ALIGN_LEFT, 1);
    }
    ui_hit_add(u, r, UI_ACT_OPEN_DETAIL, 0, it->id);
}

void w_day_gutter(struct ui *u, SDL_Rect r, int64_t day)
{
    const struct ui_metrics *mt = &u->mt;
    char d[64], wd[32];
    uifmt_month_day(day, u->m->clock_synced ? u->m->now : 0, d, sizeof d);
    uifmt_weekday(day, wd, sizeof wd);
    int px = mt->f_small + 2;
    int y = r.y + mt->gap / 2;
    /* a date of another year: 2027年 over 1月5日(火), two lines as for any other date */
    const char *md = d;
    /* a year leads the date as four digits and the year suffix (年, 년, /) */
    const char *year = ui_str(UI_STR_YEAR_SUFFIX);
    bool has_year = strlen(d) > 4 && isdigit((unsigned char)d[0]) && isdigit((unsigned char)d[3]) &&
                    year[0] && strncmp(d + 4, year, strlen(year)) == 0;
    char *nen = has_year ? d + 4 : NULL;
    if (nen) {
        px = mt->f_small - 4; /* three parts on two lines of the gutter */
        nen += strlen(year);
        md = ui_scratchf(u, "%s", nen);
        *nen = '\0';
        int yh = w_text_height(u, d, r.w, GFX_FONT_BOLD, px, 1);
        w_text(u, d, (SDL_Rect){r.x, y, r.w, yh}, GFX_FONT_BOLD, px, THEME_TEXT, GFX_ALIGN_LEFT, 1);
        y += yh;
    }
    int mw = w_text_width(u, md, GFX_FONT_BOLD, px), ww = w_text_width(u, wd, GFX_FONT_BOLD, px);
    int h = w_text_height(u, md, mw + 1, GFX_FONT_BOLD, px, 1);
    w_text(u, md, (SDL_Rect){r.x, y, mw + 1, h}, GFX_FONT_BOLD, px, THEME_TEXT, GFX_ALIGN_LEFT, 1);
    int wx = r.x, wy = y + h;
    if (mw + ww <= r.w) {
        wx = r.x + mw;
        wy = y;
    }
    w_text(u, wd, (SDL_Rect){wx, wy, ww + 1, h}, GFX_FONT_BOLD, px, wday_color(day, THEME_TEXT),
           GFX_ALIGN_LEFT, 1);
}
