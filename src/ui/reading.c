/* reading: the aids that give every visitor time and room to read (issue 12) — the
 * 「文字を大きく / Larger text」 toggle in the header and the idle warning drawn over the
 * frame before a session is sent home. The state they show (large text, the warning, the
 * idle clock) lives in ui.c; these only draw it and register their targets. */
#include <stdio.h>
#include <string.h>

#include "ui/strings.h"
#include "ui/ui_internal.h"

int w_large_text_button(struct ui *u, SDL_Rect r, int right)
{
    const struct ui_metrics *mt = &u->mt;
    bool on = u->large_text;
    const char *ja = ui_str(on ? UI_STR_LARGE_TEXT_OFF : UI_STR_LARGE_TEXT_ON);
    /* English under the language's own words, once on an English screen */
    const char *en = ui_str(on ? UI_STR_LARGE_TEXT_OFF_EN : UI_STR_LARGE_TEXT_ON_EN);
    if (strcmp(en, ja) == 0) {
        en = "";
    }
    /* the header keeps its size in large text, and so do its controls' labels */
    int jpx = (int)(28 * mt->base_unit + 0.5f), epx = jpx * 4 / 5;
    int jw = w_text_width(u, ja, GFX_FONT_BOLD, jpx);
    int ew = en[0] ? w_text_width(u, en, GFX_FONT_TEXT, epx) : 0;
    int inset = mt->gap;
    int bw = (jw > ew ? jw : ew) + 2 * inset;
    int jh = w_text_height(u, ja, jw + 1, GFX_FONT_BOLD, jpx, 1);
    int eh = en[0] ? w_text_height(u, en, ew + 1, GFX_FONT_TEXT, epx, 1) : 0;
    int bh = mt->button_h;
    if (bh > r.h - mt->gap) {
        bh = r.h - mt->gap;
    }
    SDL_Rect b = {right - bw, r.y + (r.h - bh) / 2, bw, bh};
    /* a light control on the dark header, its text dark: it reads as a button at a glance */
    gfx_fill_round_rect(u->g, b, mt->radius, THEME_BUTTON_SOFT);
    int y = b.y + (b.h - jh - eh) / 2;
    w_text(u, ja, (SDL_Rect){b.x, y, b.w, jh}, GFX_FONT_BOLD, jpx, THEME_TEXT, GFX_ALIGN_CENTER, 1);
    w_text(u, en, (SDL_Rect){b.x, y + jh, b.w, eh}, GFX_FONT_TEXT, epx, THEME_TEXT_SUB,
           GFX_ALIGN_CENTER, 1);
    ui_hit_add(u, b, UI_ACT_LARGE_TEXT, 0, NULL);
    return bw + mt->gap;
}

/* The countdown line: the table's text with {n} replaced by the seconds left. */
static const char *seconds_line(struct ui *u, int secs)
{
    const char *t = ui_str(UI_STR_IDLE_SECONDS);
    const char *at = strstr(t, "{n}");
    if (!at) {
        return t;
    }
    return ui_scratchf(u, "%.*s%d%s", (int)(at - t), t, secs, at + 3);
}

void w_idle_warning(struct ui *u, int64_t now_ms)
{
    const struct ui_metrics *mt = &u->mt;
    int64_t left = u->last_touch_ms + u->idle_timeout_ms - now_ms;
    int secs = left > 0 ? (int)((left + 999) / 1000) : 0;
    u->warn_drawn_s = secs;
    /* the screen behind stays visible but quiet; the panel is what to answer */
    gfx_fill_rect(u->g, (SDL_Rect){0, 0, u->w, u->h}, (struct gfx_color){0, 0, 0, 0x99});
    int pw = u->w - 4 * mt->pad;
    int maxw = (int)(1000 * mt->unit);
    if (pw > maxw) {
        pw = maxw;
    }
    const char *q = ui_str(UI_STR_IDLE_QUESTION);
    const char *stay = ui_str(UI_STR_IDLE_STAY);
    const char *line = seconds_line(u, secs);
    int inset = 2 * mt->pad;
    int tw = pw - 2 * inset;
    int qpx = mt->f_title, bpx = mt->f_title;
    int qh = w_text_height(u, q, tw, GFX_FONT_BOLD, qpx, 2);
    int lh = w_text_height(u, line, tw, GFX_FONT_TEXT, mt->f_body, 2);
    int bh = bpx * 2 + mt->gap;
    int ph = inset + qh + mt->gap + lh + mt->pad + bh + inset;
    SDL_Rect panel = {(u->w - pw) / 2, (u->h - ph) / 2, pw, ph};
    gfx_fill_round_rect(u->g, panel, mt->radius * 2, THEME_CARD);
    int y = panel.y + inset;
    w_text(u, q, (SDL_Rect){panel.x + inset, y, tw, qh}, GFX_FONT_BOLD, qpx, THEME_TEXT,
           GFX_ALIGN_CENTER, 2);
    y += qh + mt->gap;
    w_text(u, line, (SDL_Rect){panel.x + inset, y, tw, lh}, GFX_FONT_TEXT, mt->f_body,
           THEME_TEXT_SUB, GFX_ALIGN_CENTER, 2);
    y += lh + mt->pad;
    SDL_Rect b = {panel.x + inset, y, tw, bh};
    gfx_fill_round_rect(u->g, b, mt->radius, THEME_BUTTON);
    w_text_center(u, stay, b, GFX_FONT_BOLD, bpx, THEME_BUTTON_TEXT);
    /* the whole screen answers, the button only says so: any touch keeps the session */
    ui_hit_add(u, (SDL_Rect){0, 0, u->w, u->h}, UI_ACT_STAY, 0, NULL);
}
