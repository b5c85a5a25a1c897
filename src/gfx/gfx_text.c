/* gfx_text: text on the renderer, from raw UTF-8 to cached line textures (see gfx.c).
 *
 * The fonts (one open face per file, resized on a cache miss), font runs and the filter
 * that drops what no font can draw (so no tofu), the layout and line-texture caches, the
 * listing of what was drawn where (for tests and the admin API's screen text), and the
 * public draw and measure calls. Line breaking itself is textlayout.c (ICU). */
#include "gfx/gfx.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <unicode/uchar.h>

#include "gfx/gcache.h"
#include "gfx/gfx_internal.h"
#include "util/ruby.h"
#include "gfx/textlayout.h"
#include "util/log.h"
#include "util/utf8.h"

/* The fonts one text is drawn with: its role's font, then the fallback, at px. Call
 * pair_size before measuring or rendering glyphs. */
struct pair {
    struct gfx *g;
    int role; /* the font slot: script * N_FONT_FILES + role */
    int fb_slot;
    int px;
    TTF_Font *main;
    TTF_Font *fb;
};

/* ---- fonts ---- */

TTF_Font *gfx_open_font(const char *path, int px)
{
    return gfx_open_font_face(path, 0, px);
}

TTF_Font *gfx_open_font_face(const char *path, int index, int px)
{
    TTF_Font *f = TTF_OpenFontIndex(path, px, index);

    if (!f) {
        return NULL;
    }
    /* Light hinting keeps CJK strokes even without distorting the proportional metrics. */
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    TTF_SetFontKerning(f, 1);
    return f;
}

/* The font of a file set to px (sizes are set only here). NULL if resizing failed. */
static TTF_Font *font_sized(struct gfx *g, int role, int px)
{
    /* a shared face keeps its size with the slot that opened it */
    int own = g->synth_bold[role] ? role - GFX_FONT_BOLD + GFX_FONT_TEXT : role;
    TTF_Font *f = g->fonts[own];

    if (f && g->font_px[own] != px) {
        if (TTF_SetFontSize(f, px) != 0) {
            LOG_ERROR("gfx", "cannot set font %s to %d px: %s", g->paths[own], px, TTF_GetError());
            g->font_px[own] = 0;
            return NULL;
        }
        g->font_px[own] = px;
    }
    if (f && own >= N_FONT_FILES) {
        int style = g->synth_bold[role] ? TTF_STYLE_BOLD : TTF_STYLE_NORMAL;
        if (TTF_GetFontStyle(f) != style) {
            TTF_SetFontStyle(f, style);
        }
    }
    return f;
}

/* Opens a regional slot the first time it is wanted: a visitor who never picks Chinese or
 * Korean never pays for those faces. A face that cannot be opened is logged once and its
 * text falls back to the Japanese fonts. */
static TTF_Font *slot_font(struct gfx *g, int slot)
{
    int reg = slot - GFX_FONT_BOLD + GFX_FONT_TEXT;
    if (slot >= N_FONT_FILES && slot % N_FONT_FILES == GFX_FONT_BOLD && !g->tried[slot] &&
        g->face[slot] == g->face[reg] && strcmp(g->paths[slot], g->paths[reg]) == 0) {
        /* no bold file configured (font_cjk_bold empty, the default): a second CJK face
         * costs megabytes (its tables, HarfBuzz's copies), so the regular face, emboldened,
         * serves the few bold words of a Chinese or Korean screen */
        g->tried[slot] = true;
        g->fonts[slot] = slot_font(g, reg);
        g->synth_bold[slot] = g->fonts[slot];
        return g->fonts[slot];
    }
    if (slot >= N_FONT_FILES && !g->tried[slot]) {
        g->tried[slot] = true;
        g->fonts[slot] = gfx_open_font_face(g->paths[slot], g->face[slot], 24);
        if (g->fonts[slot]) {
            g->font_px[slot] = 24;
            g->stats.fonts_open++;
            LOG_INFO("gfx", "opened %s face %d", g->paths[slot], g->face[slot]);
        } else {
            LOG_WARN("gfx", "cannot open %s face %d: %s; using the Japanese fonts", g->paths[slot],
                     g->face[slot], TTF_GetError());
        }
    }
    return g->fonts[slot];
}

/* Whether s has a character from U+2E80 on (CJK radicals, kana, Han, Hangul…): only those
 * differ between the regional faces. */
static bool has_cjk(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        /* U+2E80 is E2 BA 80; any lead byte above E2 is beyond it */
        if (*c >= 0xE3 || (*c == 0xE2 && c[1] >= 0xBA)) {
            return true;
        }
    }
    return false;
}

/* The fonts for text s in the current script. Text without CJK characters (times, counts,
 * Latin) keeps the Japanese fonts in every script, so a clock or a number looks the same
 * whatever the language and takes the same room. */
static bool get_pair(struct gfx *g, const struct gfx_text_style *st, const char *s, struct pair *p)
{
    int role = (int)st->role;
    int script = (int)g->script;

    if (script != GFX_SCRIPT_JA && !has_cjk(s)) {
        script = GFX_SCRIPT_JA;
    }

    if (role < 0 || role >= N_FONT_FILES) {
        role = GFX_FONT_TEXT;
    }
    if (script < 0 || script >= GFX_SCRIPT_COUNT_) {
        script = GFX_SCRIPT_JA;
    }
    p->g = g;
    p->role = script * N_FONT_FILES + role;
    /* every script falls back to the same face (Noto Sans CJK JP, gfx_plan_regional_fonts):
     * the Japanese slot's, open already, not a copy of it that costs megabytes per script */
    p->fb_slot = FONT_FALLBACK;
    if (!slot_font(g, p->role)) {
        p->role = role;
        p->fb_slot = FONT_FALLBACK;
    }
    p->px = st->px < MIN_PX ? MIN_PX : st->px > MAX_PX ? MAX_PX : st->px;
    p->main = g->fonts[p->role];
    p->fb = g->fonts[p->fb_slot];
    return p->main;
}

/* Sets both fonts of the pair to its size. False when the main font cannot be. */
static bool pair_size(const struct pair *p)
{
    if (!font_sized(p->g, p->role, p->px)) {
        return false;
    }
    if (p->fb && p->fb != p->main) {
        font_sized(p->g, p->fb_slot, p->px);
    }
    return true;
}

/* The main font's height and ascent at the pair's size, resizing only the first time. */
static uint32_t pair_metrics(const struct pair *p)
{
    uint32_t *m = &p->g->metrics[p->role][p->px];

    if (*m == 0 && font_sized(p->g, p->role, p->px)) {
        int h = TTF_FontHeight(p->main), a = TTF_FontAscent(p->main);
        *m = (uint32_t)(h < 0 ? 0 : h & 0xFFFF) << 16 | (uint32_t)(a < 0 ? 0 : a & 0xFFFF);
        if (*m == 0) {
            *m = 1u << 16;
        }
    }
    return *m;
}

static int pair_height(const struct pair *p)
{
    return (int)(pair_metrics(p) >> 16);
}

static int pair_ascent(const struct pair *p)
{
    return (int)(pair_metrics(p) & 0xFFFF);
}

/* Room kept above a line's ascent and below its descent, about 0.1 em: BIZ UDPGothic's
 * ascent plus descent is exactly 1 em, Latin descenders (g j p q y ,) reach its bottom and
 * hinting puts their antialiased ink a pixel beyond, so a line box of ascent + descent
 * would cut them. */
static int line_pad(int px)
{
    int pad = (px + 9) / 10;

    return pad < 2 ? 2 : pad;
}

/* The pitch of a style's lines: its line spacing, but never less than the main font's real
 * height plus the room above and below (about 1.2 em for BIZ UDPGothic). */
static int pair_pitch(const struct pair *p, const struct gfx_text_style *st)
{
    int lh = gfx_line_height(st), need = pair_height(p) + 2 * line_pad(p->px);

    return lh > need ? lh : need;
}

/* ---- font runs ---- */

/* Invisible format characters: a run of their own would draw as tofu or nothing at all. */
static bool is_ignorable(int32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE01EF) || cp == 0xFEFF ||
           cp == 0x00AD || cp == 0x034F;
}

static bool is_mark(int32_t cp)
{
    int8_t t = u_charType(cp);

    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

/* 0: main font, 1: fallback, -1: neither has it. */
static int font_for(const struct pair *p, int32_t cp)
{
    if (TTF_GlyphIsProvided32(p->main, (Uint32)cp)) {
        return 0;
    }
    if (p->fb && TTF_GlyphIsProvided32(p->fb, (Uint32)cp)) {
        return 1;
    }
    return -1;
}

/* The end of the run starting at pos and its font. Blanks and combining marks stay in the
 * current run when its font has them, so "漢 字" from the fallback is one run. */
static size_t next_run(const struct pair *p, const char *s, size_t len, size_t pos, int *font)
{
    size_t i = pos, start;
    int32_t cp;
    int f;

    cp = textlayout_decode(s, len, &i);
    *font = cp < 0 ? -1 : font_for(p, cp);
    while (i < len) {
        start = i;
        cp = textlayout_decode(s, len, &i);
        if (cp < 0) {
            f = -1;
        } else if (*font >= 0 && (cp == ' ' || cp == 0x3000 || is_mark(cp)) &&
                   TTF_GlyphIsProvided32(*font ? p->fb : p->main, (Uint32)cp)) {
            f = *font;
        } else {
            f = font_for(p, cp);
        }
        if (f != *font) {
            return start;
        }
    }
    return i;
}

/* What SDL_ttf adds to every measure of an emboldened face (its ink reaches past the
 * advances): once per call, so the widths of a line's pieces would not add up to the line's
 * and a text measured whole would not fit its pieces' box. 0 for a real face. */
static int bold_overhang(const struct pair *p)
{
    struct gfx *g = p->g;
    int *ov = &g->bold_ov[p->px];
    int one = 0, two = 0;

    if (!g->synth_bold[p->role]) {
        return 0;
    }
    if (*ov == 0) {
        /* known once per size: twice one glyph less the two together */
        if (TTF_SizeUTF8(p->main, "一", &one, NULL) == 0 &&
            TTF_SizeUTF8(p->main, "一一", &two, NULL) == 0 && 2 * one >= two) {
            *ov = 2 * one - two + 1;
        } else {
            *ov = 1;
        }
    }
    return *ov - 1;
}

/* SDL_ttf wants NUL-terminated strings. */
static int size_run(TTF_Font *f, const char *s, size_t len, int *w)
{
    char stackbuf[512];
    char *buf = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
    int rc;

    *w = 0;
    if (!buf) {
        return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    rc = TTF_SizeUTF8(f, buf, w, NULL);
    if (buf != stackbuf) {
        free(buf);
    }
    return rc;
}

static int measure_cb(void *ctx, const char *s, size_t len)
{
    const struct pair *p = ctx;
    size_t pos = 0, end;
    int font, w, total = 0;

    if (!pair_size(p)) {
        return 0;
    }
    while (pos < len) {
        end = next_run(p, s, len, pos, &font);
        if (font >= 0 && size_run(font ? p->fb : p->main, s + pos, end - pos, &w) == 0) {
            total += w - (font ? 0 : bold_overhang(p));
        }
        pos = end;
    }
    return total;
}

/* A copy of s without bad bytes, invisible format characters and code points no font
 * has (most emoji). Control characters pass: textlayout handles them. A text whose every
 * visible character is missing from the fonts gets 〓 (the geta mark, Japanese typesetting's
 * sign for a missing glyph) for each of them instead: an announcement must never draw as
 * nothing, and a box measured 0 px high would let it vanish from the screen. Blanks right
 * after glyphs dropped at the start go too ("🎄 クリスマス…" would otherwise be indented).
 * Full-width digits and Latin letters read as their ASCII forms (２階 → 2階, the facility's
 * own style); full-width punctuation, which Japanese text wants, stays. */
static char *filter_text(const struct pair *p, const char *s, size_t len, size_t *out_len)
{
    static const char geta[] = "\xE3\x80\x93";
    char *out = malloc(3 * len + 1);
    size_t i = 0, o = 0, start, missing = 0;
    bool kept_visible = false;
    int32_t cp;

    if (!out) {
        return NULL;
    }
    for (int pass = 0; pass < 2; pass++) {
        bool lead = true, dropped_lead = false;
        i = o = 0;
        while (i < len) {
            start = i;
            cp = textlayout_decode(s, len, &i);
            if (cp < 0 || is_ignorable(cp)) {
                continue;
            }
            if (lead && dropped_lead && (cp == ' ' || cp == 0x3000)) {
                continue;
            }
            if (cp >= 0x20 && cp != 0x7F && font_for(p, cp) < 0) {
                if (utf8_cp_invisible(cp)) {
                    continue;
                }
                missing++;
                dropped_lead = dropped_lead || (lead && pass == 0);
                if (pass == 1) {
                    memcpy(out + o, geta, 3);
                    o += 3;
                }
                continue;
            }
            kept_visible = kept_visible || !utf8_cp_invisible(cp);
            lead = false;
            if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                (cp >= 0xFF41 && cp <= 0xFF5A)) {
                out[o++] = (char)(cp - 0xFEE0);
                continue;
            }
            memcpy(out + o, s + start, i - start);
            o += i - start;
        }
        if (kept_visible || missing == 0) {
            break;
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ---- caches ---- */

void gfx_free_tex(void *v)
{
    struct tex *t = v;

    if (t) {
        if (t->tex) {
            SDL_DestroyTexture(t->tex);
        }
        free(t);
    }
}

void gfx_free_layout(void *v)
{
    textlayout_free(v);
}

void gfx_free_ruby(void *v)
{
    ruby_free(v);
}

/* The parsed readings of utf8, or NULL when it has no markup (or memory ran out): parsed once
 * and kept, so a frame that draws what the last one drew parses nothing. Valid until the
 * next ruby_get. */
static const struct ruby_text *ruby_get(struct gfx *g, const char *utf8)
{
    size_t len = strlen(utf8);
    if (!ruby_has_markup(utf8, len)) {
        return NULL;
    }
    struct ruby_text *rt = gcache_get(g->rubies, utf8, len);
    if (rt) {
        return rt;
    }
    rt = ruby_parse(utf8, len);
    if (!rt) {
        return NULL;
    }
    g->stats.ruby_parses++;
    size_t bytes =
        sizeof *rt + rt->base_len + strlen(rt->readings) + 2 + rt->n_spans * sizeof *rt->spans;
    return gcache_put(g->rubies, utf8, len, rt, bytes) == 0 ? rt : NULL;
}

/* A key: a small binary header followed by the text. The caller frees. */
unsigned char *gfx_make_key(const void *head, size_t hlen, const char *s, size_t len, size_t *klen)
{
    unsigned char *k = malloc(hlen + len);

    if (!k) {
        return NULL;
    }
    memcpy(k, head, hlen);
    memcpy(k + hlen, s, len);
    *klen = hlen + len;
    return k;
}

static int clamp_px(int px)
{
    return px < MIN_PX ? MIN_PX : px > MAX_PX ? MAX_PX : px;
}

/* The layout of utf8 for a style and width, from the cache or made now. Valid until the
 * next layout_get. NULL on failure. */
static struct textlayout *layout_ruby(const struct pair *p, const struct ruby_text *rt,
                                      const char *filtered, size_t flen, int width, int max_lines,
                                      unsigned flags);

/* The layout of utf8 (the cache key), laid out from rt's base when it has ruby markup. */
static const struct textlayout *layout_get(struct gfx *g, const struct pair *p,
                                           const struct gfx_text_style *st, const char *utf8,
                                           const struct ruby_text *rt, int width, int max_lines)
{
    /* the style's own limit says a title or heading, not the box's (gfx.h) */
    unsigned flags = st->role == GFX_FONT_BOLD && st->max_lines > 0 ? TEXTLAYOUT_PHRASE : 0;
    int head[5] = {p->role, clamp_px(st->px), width, max_lines, (int)flags};
    size_t len = strlen(utf8), klen, flen;
    unsigned char *key = gfx_make_key(head, sizeof head, utf8, len, &klen);
    struct textlayout *tl = NULL;
    char *filtered;

    if (!key) {
        return NULL;
    }
    tl = gcache_get(g->layouts, key, klen);
    if (tl) {
        g->stats.layout_hits++;
        goto out;
    }
    filtered =
        rt ? filter_text(p, rt->base, rt->base_len, &flen) : filter_text(p, utf8, len, &flen);
    if (!filtered) {
        goto out;
    }
    tl = rt ? layout_ruby(p, rt, filtered, flen, width, max_lines, flags)
            : textlayout_create_flags(filtered, flen, width, max_lines, flags, measure_cb,
                                      (void *)p);
    free(filtered);
    if (!tl) {
        goto out;
    }
    g->stats.layouts++;
    if (gcache_put(g->layouts, key, klen, tl, tl->bytes) != 0) {
        tl = NULL;
    }
out:
    free(key);
    return tl;
}

/* ---- line textures ---- */

struct run_surface {
    SDL_Surface *s;
    int x, y;
};

static SDL_Surface *render_run(TTF_Font *f, const char *s, size_t len, SDL_Color c)
{
    char stackbuf[512];
    char *buf = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
    SDL_Surface *surf;

    if (!buf) {
        return NULL;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    surf = TTF_RenderUTF8_Blended(f, buf, c);
    if (buf != stackbuf) {
        free(buf);
    }
    return surf;
}

/* Renders one line: each font run separately, composed on one surface on a common
 * baseline, turned into one texture. The surface spans the real extents of every run (a
 * run of the fallback font may reach higher or lower than the main font, and SDL_ttf makes
 * a run's surface taller when a glyph goes below the descent) plus line_pad, so no glyph
 * touches its edge. NULL when nothing is visible or on failure. */
static struct tex *render_line(struct gfx *g, const struct pair *p, const char *s, size_t len,
                               struct gfx_color color)
{
    SDL_Color c = {color.r, color.g, color.b, color.a};
    struct run_surface *runs = NULL;
    size_t n = 0, cap = 0, pos = 0, end, k;
    int font, x = 0, w, pad, top, bottom, over = 0;
    SDL_Surface *line = NULL;
    struct tex *t = NULL;
    SDL_Texture *tex = NULL;

    if (!pair_size(p)) {
        return NULL;
    }
    /* Rows relative to the baseline until the surface is made. */
    pad = line_pad(p->px);
    top = -TTF_FontAscent(p->main) - pad;
    bottom = -TTF_FontDescent(p->main) + pad;
    while (pos < len) {
        end = next_run(p, s, len, pos, &font);
        if (font >= 0) {
            TTF_Font *f = font ? p->fb : p->main;
            SDL_Surface *rs = render_run(f, s + pos, end - pos, c);

            if (n == cap) {
                size_t nc = cap ? cap * 2 : 4;
                struct run_surface *nr = realloc(runs, nc * sizeof *nr);

                if (!nr) {
                    SDL_FreeSurface(rs);
                    goto out;
                }
                runs = nr;
                cap = nc;
            }
            if (rs) {
                runs[n].s = rs;
                runs[n].x = x;
                runs[n].y = -TTF_FontAscent(f);
                top = runs[n].y - 1 < top ? runs[n].y - 1 : top;
                bottom = runs[n].y + rs->h + 1 > bottom ? runs[n].y + rs->h + 1 : bottom;
                n++;
                /* the next run starts at this one's advances, not its overhanging ink */
                over = font ? 0 : bold_overhang(p);
                x += rs->w - over;
            } else {
                LOG_WARN("gfx", "cannot render text run: %s", TTF_GetError());
            }
        }
        pos = end;
    }
    if (n == 0 || x <= 0) {
        goto out;
    }
    x += over; /* the last run's ink */
    w = x < g->max_tex_w ? x : g->max_tex_w;
    line = SDL_CreateRGBSurfaceWithFormat(0, w, bottom - top, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!line) {
        goto out;
    }
    SDL_FillRect(line, NULL, 0);
    for (k = 0; k < n; k++) {
        SDL_Rect dst = {runs[k].x, runs[k].y - top, runs[k].s->w, runs[k].s->h};

        /* Copy, not blend: blending onto transparent black would darken the edges. */
        SDL_SetSurfaceBlendMode(runs[k].s, SDL_BLENDMODE_NONE);
        SDL_BlitSurface(runs[k].s, NULL, line, &dst);
    }
    tex = SDL_CreateTextureFromSurface(g->r, line);
    if (!tex) {
        LOG_WARN("gfx", "cannot make a text texture: %s", SDL_GetError());
        goto out;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    t = malloc(sizeof *t);
    if (!t) {
        SDL_DestroyTexture(tex);
        goto out;
    }
    t->tex = tex;
    t->w = line->w;
    t->h = line->h;
    t->base = -top;
    g->stats.line_renders++;
out:
    for (k = 0; k < n; k++) {
        SDL_FreeSurface(runs[k].s);
    }
    free(runs);
    SDL_FreeSurface(line);
    return t;
}

/* The cached texture of a line, rendering it on a miss. Valid until the next line_get. */
static const struct tex *line_get(struct gfx *g, const struct pair *p,
                                  const struct gfx_text_style *st, const char *s, size_t len)
{
    int head[3] = {p->role, clamp_px(st->px),
                   (int)((uint32_t)st->color.r << 24 | (uint32_t)st->color.g << 16 |
                         (uint32_t)st->color.b << 8 | st->color.a)};
    size_t klen;
    unsigned char *key = gfx_make_key(head, sizeof head, s, len, &klen);
    struct tex *t = NULL;

    if (!key) {
        return NULL;
    }
    t = gcache_get(g->lines, key, klen);
    if (t) {
        g->stats.line_hits++;
        goto out;
    }
    t = render_line(g, p, s, len, st->color);
    if (!t) {
        goto out;
    }
    if (gcache_put(g->lines, key, klen, t, (size_t)t->w * (size_t)t->h * 4) != 0) {
        t = NULL;
    }
out:
    free(key);
    return t;
}

/* ---- listing ---- */

static void listing_add(struct gfx *g, SDL_Rect r, struct gfx_color fg, const char *s, size_t len)
{
    struct listing_row *rows;
    char *text;
    size_t cap;

    if (g->n_rows >= MAX_LISTING_ROWS) {
        return;
    }
    if (g->n_rows == g->cap_rows) {
        cap = g->cap_rows ? g->cap_rows * 2 : 64;
        rows = realloc(g->rows, cap * sizeof *rows);
        if (!rows) {
            return;
        }
        g->rows = rows;
        g->cap_rows = cap;
    }
    text = malloc(len + 1);
    if (!text) {
        return;
    }
    memcpy(text, s, len);
    text[len] = '\0';
    g->rows[g->n_rows].r = r;
    g->rows[g->n_rows].lang = g->text_lang && g->text_lang[0] ? g->text_lang : "ja";
    g->rows[g->n_rows].fg = fg;
    g->rows[g->n_rows].bg = gfx_color_at(g, r.x + r.w / 2, r.y + r.h / 2);
    g->rows[g->n_rows].text = text;
    g->n_rows++;
}

const char *gfx_set_text_lang(struct gfx *g, const char *tag)
{
    const char *old = g->text_lang;

    g->text_lang = tag;
    return old;
}

void gfx_listing_clear(struct gfx *g)
{
    size_t i;

    for (i = 0; i < g->n_rows; i++) {
        free(g->rows[i].text);
    }
    g->n_rows = 0;
    g->n_shapes = 0;
}

static unsigned rgb(struct gfx_color c)
{
    return (unsigned)c.r << 16 | (unsigned)c.g << 8 | c.b;
}

static int print_row(FILE *f, const struct listing_row *row)
{
    return fprintf(f, "%d %d %d %d %s #%06X #%06X\t%s\n", row->r.x, row->r.y, row->r.w, row->r.h,
                   row->lang, rgb(row->fg), rgb(row->bg), row->text);
}

int gfx_write_text_listing(const struct gfx *g, const char *path)
{
    FILE *f = fopen(path, "w");
    size_t i;
    int rc = 0;

    if (!f) {
        return -errno;
    }
    for (i = 0; i < g->n_rows; i++) {
        const struct listing_row *row = &g->rows[i];

        if (print_row(f, row) < 0) {
            rc = -EIO;
            break;
        }
    }
    if (fclose(f) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

char *gfx_text_listing(const struct gfx *g, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) {
        return NULL;
    }
    for (size_t i = 0; i < g->n_rows; i++) {
        const struct listing_row *row = &g->rows[i];
        print_row(f, row);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* ---- text ---- */

int gfx_line_height(const struct gfx_text_style *st)
{
    float sp = st->line_spacing > 0.0f ? st->line_spacing : 1.5f;
    int px = clamp_px(st->px);
    long lh = lroundf((float)px * sp);

    if (lh < px + 2 * line_pad(px)) {
        lh = px + 2 * line_pad(px);
    }

    return lh < 1 ? 1 : lh > 4 * MAX_PX ? 4 * MAX_PX : (int)lh;
}

static bool intersect(SDL_Rect a, SDL_Rect b, SDL_Rect *out)
{
    return SDL_IntersectRect(&a, &b, out) == SDL_TRUE;
}

static int ruby_band(struct gfx *g, const struct gfx_text_style *st);
static void ruby_line(struct gfx *g, const struct pair *p, const struct gfx_text_style *st,
                      const struct ruby_text *rt, const char *line, size_t len, SDL_Rect at,
                      SDL_Rect clip, size_t *next);

int gfx_draw_text(struct gfx *g, const char *utf8, SDL_Rect box, const struct gfx_text_style *st)
{
    struct pair p;
    const struct textlayout *tl;
    SDL_Rect old_clip, clip;
    SDL_bool had_clip;
    int lh, fh, base, fit, limit, used = 0, band = 0;
    size_t i, next_span = 0;
    const struct ruby_text *rt;

    if (!g || !utf8 || !st || box.w <= 0 || box.h <= 0 || !utf8[0]) {
        return 0;
    }
    if (!get_pair(g, st, utf8, &p)) {
        return 0;
    }
    rt = ruby_get(g, utf8);
    /* readings go in a band over each line, so its lines are further apart */
    band = rt && rt->n_spans > 0 ? ruby_band(g, st) : 0;
    lh = pair_pitch(&p, st) + band;
    if (band > 0 && box.h < lh) {
        /* a box too low for one line and its readings (a list row, a fixed-height line):
         * the base alone, whole, rather than readings cut by the box */
        band = 0;
        lh = pair_pitch(&p, st);
    }
    fh = pair_height(&p);
    /* Lines are lh apart with the glyphs centred in their line box, so a box as high as
     * gfx_measure_text said holds exactly those lines. A box lower than one line still
     * shows one, centred in the box and clipped. */
    fit = box.h / lh;
    if (fit < 1) {
        fit = 1;
    }
    base = band + ((box.h < lh ? box.h : lh) - band - fh) / 2 + pair_ascent(&p);
    limit = st->max_lines > 0 && st->max_lines < fit ? st->max_lines : fit;
    tl = layout_get(g, &p, st, utf8, rt, box.w, limit);
    if (!tl) {
        goto out;
    }

    /* Clip to the box within whatever clip the caller had. */
    had_clip = SDL_RenderIsClipEnabled(g->r);
    SDL_RenderGetClipRect(g->r, &old_clip);
    clip = box;
    if (had_clip && !intersect(box, old_clip, &clip)) {
        used = (int)tl->n_lines * lh < box.h ? (int)tl->n_lines * lh : box.h;
        goto out;
    }
    SDL_RenderSetClipRect(g->r, &clip);

    for (i = 0; i < tl->n_lines; i++) {
        const struct textlayout_line *ln = &tl->lines[i];
        const struct tex *t;
        SDL_Rect dst, seen;

        if (ln->len == 0) {
            continue;
        }
        t = line_get(g, &p, st, tl->text + ln->off, ln->len);
        if (!t) {
            continue;
        }
        dst = (SDL_Rect){box.x, box.y + (int)i * lh + base - t->base, t->w, t->h};
        if (t->w < box.w && st->align == GFX_ALIGN_CENTER) {
            dst.x += (box.w - t->w) / 2;
        } else if (t->w < box.w && st->align == GFX_ALIGN_RIGHT) {
            dst.x += box.w - t->w;
        }
        if (!intersect(dst, clip, &seen)) {
            continue;
        }
        SDL_RenderCopy(g->r, t->tex, NULL, &dst);
        listing_add(g, seen, st->color, tl->text + ln->off, ln->len);
        if (band > 0) {
            ruby_line(g, &p, st, rt, tl->text + ln->off, ln->len,
                      (SDL_Rect){dst.x, box.y + (int)i * lh, dst.w, band}, clip, &next_span);
        }
    }

    if (had_clip) {
        SDL_RenderSetClipRect(g->r, &old_clip);
    } else {
        SDL_RenderSetClipRect(g->r, NULL);
    }
    used = (int)tl->n_lines * lh;
    used = used < box.h ? used : box.h;
out:
    return used;
}

int gfx_measure_text(struct gfx *g, const char *utf8, int width, const struct gfx_text_style *st,
                     int *out_widest)
{
    struct pair p;
    const struct textlayout *tl;
    int widest = 0;
    size_t i;

    if (out_widest) {
        *out_widest = 0;
    }
    if (!g || !utf8 || !st || !utf8[0] || !get_pair(g, st, utf8, &p)) {
        return 0;
    }
    const struct ruby_text *rt = ruby_get(g, utf8);
    int band = rt && rt->n_spans > 0 ? ruby_band(g, st) : 0;
    tl = layout_get(g, &p, st, utf8, rt, width < 0 ? 0 : width, st->max_lines);
    if (!tl) {
        return 0;
    }
    for (i = 0; i < tl->n_lines; i++) {
        if (tl->lines[i].width > widest) {
            widest = tl->lines[i].width;
        }
    }
    if (out_widest) {
        *out_widest = widest;
    }
    return (int)tl->n_lines * (pair_pitch(&p, st) + band);
}

/* ---- ruby (gfx/ruby.h): readings over their base, after JLReq's basics ---- */

/* A text's readings: half its size (JLReq 3.3.2), its font and colour, one tight line. */
static struct gfx_text_style ruby_style(const struct gfx_text_style *st)
{
    struct gfx_text_style rs = *st;
    rs.px = st->px / 2 < MIN_PX ? MIN_PX : st->px / 2;
    rs.line_spacing = 1.0f;
    rs.max_lines = 1;
    return rs;
}

/* The band over each line that holds a reading's line texture whole (render_line's rows:
 * ascent and descent, their pads, a pixel each side), so no reading touches its base. */
static int ruby_band(struct gfx *g, const struct gfx_text_style *st)
{
    struct gfx_text_style rs = ruby_style(st);
    struct pair rp;
    /* readings are kana: the script's CJK face */
    if (!get_pair(g, &rs, "あ", &rp) || !pair_size(&rp)) {
        return 0;
    }
    return TTF_FontAscent(rp.main) - TTF_FontDescent(rp.main) + 2 * line_pad(rp.px) + 2;
}

/* No break inside a group ruby's base (JLReq: ruby and base stay together); mono ruby may
 * break between its characters, as the base text may. Bases are found in the filtered text
 * in order. */
static struct textlayout *layout_ruby(const struct pair *p, const struct ruby_text *rt,
                                      const char *filtered, size_t flen, int width, int max_lines,
                                      unsigned flags)
{
    struct textlayout_keep *keep = calloc(rt->n_spans + 1, sizeof *keep);
    size_t n = 0, from = 0;
    if (!keep) {
        return NULL;
    }
    for (size_t i = 0; i < rt->n_spans; i++) {
        const struct ruby_span *sp = &rt->spans[i];
        const char *at =
            ruby_find(filtered + from, flen - from, rt->base + sp->base_off, sp->base_len);
        if (!at) {
            continue;
        }
        from = (size_t)(at - filtered) + sp->base_len;
        if (!sp->mono) {
            keep[n++] = (struct textlayout_keep){(size_t)(at - filtered), sp->base_len};
        }
    }
    struct textlayout *tl = textlayout_create_keep(filtered, flen, width, max_lines, flags,
                                                   measure_cb, (void *)p, keep, n);
    free(keep);
    return tl;
}

/* Draws the readings of the spans from *next on whose base is on this line (pen at at.x,
 * band at at.y), centred over the base and never wider than it: a long reading gets smaller
 * letters down to the smallest size, then overhangs evenly. Each reading is listed as
 * {base|reading}. */
static void ruby_line(struct gfx *g, const struct pair *p, const struct gfx_text_style *st,
                      const struct ruby_text *rt, const char *line, size_t len, SDL_Rect at,
                      SDL_Rect clip, size_t *next)
{
    size_t from = 0;
    char row[512];
    while (*next < rt->n_spans) {
        const struct ruby_span *sp = &rt->spans[*next];
        const char *b = rt->base + sp->base_off;
        const char *hit = from < len ? ruby_find(line + from, len - from, b, sp->base_len) : NULL;
        if (!hit) {
            return; /* on a later line (or cut away) */
        }
        size_t k = (size_t)(hit - line);
        from = k + sp->base_len;
        (*next)++;
        int x0 = measure_cb((void *)p, line, k), bw = measure_cb((void *)p, hit, sp->base_len);
        struct gfx_text_style rs = ruby_style(st);
        struct pair rp;
        const char *r = rt->readings + sp->read_off;
        if (!get_pair(g, &rs, "あ", &rp)) {
            continue;
        }
        int rw = measure_cb(&rp, r, sp->read_len);
        if (rw > bw && bw > 0) {
            rs.px = rs.px * bw / rw < MIN_PX ? MIN_PX : rs.px * bw / rw;
            if (!get_pair(g, &rs, "あ", &rp)) {
                continue;
            }
        }
        const struct tex *t = line_get(g, &rp, &rs, r, sp->read_len);
        SDL_Rect dst, seen;
        if (!t) {
            continue;
        }
        dst = (SDL_Rect){at.x + x0 + (bw - t->w) / 2, at.y + at.h - t->h, t->w, t->h};
        if (!intersect(dst, clip, &seen)) {
            continue;
        }
        SDL_RenderCopy(g->r, t->tex, NULL, &dst);
        int n =
            snprintf(row, sizeof row, "{%.*s|%.*s}", (int)sp->base_len, b, (int)sp->read_len, r);
        if (n > 0 && (size_t)n < sizeof row) {
            listing_add(g, seen, rs.color, row, (size_t)n);
        }
    }
}
