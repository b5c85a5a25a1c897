/* langpick: the language button in the header and the chooser it opens.
 *
 * The button sits at the right end of every screen's header, where a visitor who does not
 * read Japanese looks for it on signage: a globe drawn from shapes (no font has one we can
 * rely on, and a picture needs no reading) and the current language's own name. The chooser
 * lists every language written in itself and in its own regional glyphs, so 中文 is drawn
 * with the Chinese face and 한국어 with the Korean one whatever the screen's language. The
 * choice itself is ui.c's (UI_ACT_SET_LANG). */
#include "gfx/gfx.h"
#include "ui/strings.h"
#include "ui/ui_internal.h"

enum gfx_script ui_lang_script(enum ui_lang lang)
{
    switch (lang) {
    case UI_LANG_ZH:
        return GFX_SCRIPT_ZH_HANS;
    case UI_LANG_KO:
        return GFX_SCRIPT_KO;
    default:
        return GFX_SCRIPT_JA;
    }
}

bool ui_lang_is_japanese(const struct ui *u)
{
    return u->lang == UI_LANG_JA || u->lang == UI_LANG_EASY;
}

/* A globe d pixels wide at (x, y): the outline, a meridian, the axis, the equator and two
 * parallels, in strokes about a twelfth of its size. */
static void draw_globe(struct ui *u, int x, int y, int d, struct gfx_color c)
{
    int lw = d / 12 > 2 ? d / 12 : 2;
    int r = d / 2;
    int chord = (int)(1.732f * (float)r) - lw;

    gfx_stroke_round_rect(u->g, (SDL_Rect){x, y, d, d}, r, lw, c);
    gfx_stroke_round_rect(u->g, (SDL_Rect){x + d / 4, y, d / 2, d}, d / 4, lw, c);
    gfx_fill_rect(u->g, (SDL_Rect){x + r - lw / 2, y, lw, d}, c);
    gfx_fill_rect(u->g, (SDL_Rect){x, y + r - lw / 2, d, lw}, c);
    gfx_fill_rect(u->g, (SDL_Rect){x + r - chord / 2, y + d / 4 - lw / 2, chord, lw}, c);
    gfx_fill_rect(u->g, (SDL_Rect){x + r - chord / 2, y + 3 * d / 4 - lw / 2, chord, lw}, c);
}

/* A language's own name in its own glyphs. */
static void lang_label(struct ui *u, enum ui_lang lang, SDL_Rect box, int px, struct gfx_color c,
                       enum gfx_align align)
{
    enum gfx_script old = gfx_set_script(u->g, ui_lang_script(lang));
    const char *name = ui_lang_own_name(lang);
    int h = w_text_height(u, name, box.w, GFX_FONT_BOLD, px, 1);

    const char *tag = gfx_set_text_lang(u->g, ui_lang_code(lang));
    w_text(u, name, (SDL_Rect){box.x, box.y + (box.h - h) / 2, box.w, h}, GFX_FONT_BOLD, px, c,
           align, 1);
    gfx_set_text_lang(u->g, tag);
    gfx_set_script(u->g, old);
}

static int lang_label_width(struct ui *u, enum ui_lang lang, int px)
{
    enum gfx_script old = gfx_set_script(u->g, ui_lang_script(lang));
    int w = w_text_width(u, ui_lang_own_name(lang), GFX_FONT_BOLD, px);

    gfx_set_script(u->g, old);
    return w;
}

int w_lang_button(struct ui *u, SDL_Rect r)
{
    const struct ui_metrics *mt = &u->mt;
    int h = mt->button_h < r.h - mt->gap ? mt->button_h : r.h - mt->gap;
    /* the header keeps its size in large text, and so does this label */
    int d = h * 11 / 20, px = (int)(34 * mt->base_unit + 0.5f);
    int label_w = lang_label_width(u, u->lang, px);
    int w = mt->pad / 2 + d + mt->gap / 2 + label_w + mt->pad / 2;
    SDL_Rect b = {r.x + r.w - mt->pad - w, r.y + (r.h - h) / 2, w, h};

    gfx_stroke_round_rect(u->g, b, mt->radius, (int)(3 * mt->unit) + 1, THEME_HEADER_SUB);
    draw_globe(u, b.x + mt->pad / 2, b.y + (h - d) / 2, d, THEME_HEADER_TEXT);
    lang_label(u, u->lang, (SDL_Rect){b.x + mt->pad / 2 + d + mt->gap / 2, b.y, label_w + 1, h}, px,
               THEME_HEADER_TEXT, GFX_ALIGN_LEFT);
    ui_hit_add(u, b, UI_ACT_OPEN_LANG, 0, NULL);
    return mt->pad + w + mt->gap;
}

void w_lang_chooser(struct ui *u)
{
    const struct ui_metrics *mt = &u->mt;
    if (!u->lang_open) {
        return;
    }
    /* a touch anywhere beside the panel closes it, as a touch beside a picker does */
    gfx_fill_rect(u->g, (SDL_Rect){0, 0, u->w, u->h}, (struct gfx_color){0, 0, 0, 150});
    ui_hit_add(u, (SDL_Rect){0, 0, u->w, u->h}, UI_ACT_CLOSE_LANG, 0, NULL);

    int bh = mt->button_h * 5 / 4;
    int pw =
        u->w - 2 * mt->pad < (int)(860 * mt->unit) ? u->w - 2 * mt->pad : (int)(860 * mt->unit);
    const char *title = ui_str(UI_STR_LANG_TITLE);
    int th = w_text_height(u, title, pw - 2 * mt->pad, GFX_FONT_BOLD, mt->f_title * 3 / 4, 2);
    int ph = mt->pad + th + mt->gap + UI_LANG_COUNT_ * (bh + mt->gap) + mt->button_h + 2 * mt->pad;
    SDL_Rect panel = {(u->w - pw) / 2, (u->h - ph) / 2, pw, ph};

    gfx_fill_round_rect(u->g, panel, mt->radius, THEME_CARD);
    /* the panel itself swallows touches between its buttons */
    ui_hit_add(u, panel, UI_ACT_NONE, 0, NULL);
    int x = panel.x + mt->pad, w = pw - 2 * mt->pad, y = panel.y + mt->pad;
    w_text(u, title, (SDL_Rect){x, y, w, th}, GFX_FONT_BOLD, mt->f_title * 3 / 4, THEME_TEXT,
           GFX_ALIGN_CENTER, 2);
    y += th + mt->gap;
    for (int l = 0; l < UI_LANG_COUNT_; l++) {
        SDL_Rect b = {x, y, w, bh};
        bool cur = (enum ui_lang)l == u->lang;

        gfx_fill_round_rect(u->g, b, mt->radius, cur ? THEME_BUTTON : THEME_BUTTON_SOFT);
        if (!cur) {
            gfx_stroke_round_rect(u->g, b, mt->radius, (int)(3 * mt->unit) + 1,
                                  THEME_CHIP_OFF_LINE);
        }
        lang_label(u, (enum ui_lang)l, (SDL_Rect){b.x + mt->pad, b.y, b.w - 2 * mt->pad, b.h},
                   mt->f_card_title, cur ? THEME_BUTTON_TEXT : THEME_TEXT, GFX_ALIGN_CENTER);
        ui_hit_add(u, b, UI_ACT_SET_LANG, l, NULL);
        y += bh + mt->gap;
    }
    int cw = (int)(280 * mt->unit);
    w_button(u, (SDL_Rect){panel.x + (pw - cw) / 2, y + mt->pad / 2, cw, mt->button_h},
             ui_str(UI_STR_CLOSE), false, UI_ACT_CLOSE_LANG, 0);
}
