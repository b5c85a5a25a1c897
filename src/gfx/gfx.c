/* gfx: rectangles, text and QR codes on the renderer's current target.
 *
 * Text goes: raw UTF-8 -> filter (bad bytes, invisible format characters and code points
 * neither font has are dropped, so no tofu) -> textlayout (ICU, 禁則) measured with the
 * same font runs we draw with -> one texture per line, composed from per-font runs. Three
 * bounded LRU caches (gcache.h) make a steady frame cheap: laid-out texts, line textures
 * (key: role, px, colour, text; 48 MiB by default) and QR textures. Each font file is open
 * once and set to the size in hand only when glyphs are measured or rendered (a cache
 * miss): a FreeType face per size would cost a megabyte or more each for these CJK fonts,
 * and a steady frame needs no glyphs at all. Rounded rectangles use cached
 * anti-aliased corner masks tinted with colour modulation, so they cost four copies and a
 * few rectangles.
 *
 * Not here: choosing what to draw (ui/), the main loop (app/), threads (main only). */
#include "gfx/gfx.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <qrencode.h>
#include <unicode/uchar.h>

#include "gfx/gcache.h"
#include "gfx/textlayout.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/log.h"
#include "util/qrspec.h"

#define FONT_FALLBACK 3
#define N_FONT_FILES 4
#define MIN_PX 4
#define MAX_PX 512
#define LINE_CACHE_BYTES ((size_t)48 << 20)
#define LINE_CACHE_ENTRIES 16384
#define LAYOUT_CACHE_BYTES ((size_t)1 << 20)
#define LAYOUT_CACHE_ENTRIES 2048
#define QR_CACHE_BYTES ((size_t)2 << 20)
#define QR_CACHE_ENTRIES 64
#define MAX_CORNERS 32
#define MAX_CORNER_PX 512
#define MAX_LISTING_ROWS 8192
#define DEFAULT_MAX_TEXTURE 8192

struct corner {
    int radius;
    int width;      /* 0: filled corner */
    int side;
    SDL_Texture *tex;
    unsigned long used;
};

struct listing_row {
    SDL_Rect r;
    char *text;
};

struct tex {
    SDL_Texture *tex;
    int w, h;
};

struct gfx {
    SDL_Renderer *r;
    char *paths[N_FONT_FILES];
    TTF_Font *fonts[N_FONT_FILES];  /* one per file, at font_px[] now */
    int font_px[N_FONT_FILES];
    unsigned long tick;
    /* height << 16 | ascent of each (file, px) seen, 0 = not known yet: a frame asks for
     * line heights without resizing a font */
    uint32_t metrics[N_FONT_FILES][MAX_PX + 1];
    struct gcache *lines;
    struct gcache *layouts;
    struct gcache *qrs;
    struct corner corners[MAX_CORNERS];
    struct listing_row *rows;
    size_t n_rows, cap_rows;
    int max_tex_w;
    struct gfx_stats stats;
};

/* The fonts one text is drawn with: its role's font, then the fallback, at px. Call
 * pair_size before measuring or rendering glyphs. */
struct pair {
    struct gfx *g;
    int role;
    int px;
    TTF_Font *main;
    TTF_Font *fb;
};

static const char *const role_names[N_FONT_FILES] = {"text", "bold", "mono", "fallback"};

/* ---- fonts ---- */

static TTF_Font *open_font(const char *path, int px)
{
    TTF_Font *f = TTF_OpenFontIndex(path, px, 0);

    if (!f)
        return NULL;
    /* Light hinting keeps CJK strokes even without distorting the proportional metrics. */
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    TTF_SetFontKerning(f, 1);
    return f;
}

/* The font of a file set to px (sizes are set only here). NULL if resizing failed. */
static TTF_Font *font_sized(struct gfx *g, int role, int px)
{
    TTF_Font *f = g->fonts[role];

    if (f && g->font_px[role] != px) {
        if (TTF_SetFontSize(f, px) != 0) {
            LOG_ERROR("gfx", "cannot set font %s to %d px: %s", g->paths[role], px,
                      TTF_GetError());
            g->font_px[role] = 0;
            return NULL;
        }
        g->font_px[role] = px;
    }
    return f;
}

static bool get_pair(struct gfx *g, const struct gfx_text_style *st, struct pair *p)
{
    int role = (int)st->role;

    if (role < 0 || role >= N_FONT_FILES)
        role = GFX_FONT_TEXT;
    p->g = g;
    p->role = role;
    p->px = st->px < MIN_PX ? MIN_PX : st->px > MAX_PX ? MAX_PX : st->px;
    p->main = g->fonts[role];
    p->fb = g->fonts[FONT_FALLBACK];
    return p->main != NULL;
}

/* Sets both fonts of the pair to its size. False when the main font cannot be. */
static bool pair_size(const struct pair *p)
{
    if (!font_sized(p->g, p->role, p->px))
        return false;
    if (p->fb && p->fb != p->main)
        font_sized(p->g, FONT_FALLBACK, p->px);
    return true;
}

/* The main font's height at the pair's size, resizing only the first time. */
static int pair_height(const struct pair *p)
{
    uint32_t *m = &p->g->metrics[p->role][p->px];

    if (*m == 0 && font_sized(p->g, p->role, p->px)) {
        int h = TTF_FontHeight(p->main), a = TTF_FontAscent(p->main);
        *m = (uint32_t)(h < 0 ? 0 : h & 0xFFFF) << 16 | (uint32_t)(a < 0 ? 0 : a & 0xFFFF);
        if (*m == 0)
            *m = 1u << 16;
    }
    return (int)(*m >> 16);
}

/* ---- font runs ---- */

/* Invisible format characters: a run of their own would draw as tofu or nothing at all. */
static bool is_ignorable(int32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE01EF) ||
           cp == 0xFEFF || cp == 0x00AD || cp == 0x034F;
}

static bool is_mark(int32_t cp)
{
    int8_t t = u_charType(cp);

    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

/* 0: main font, 1: fallback, -1: neither has it. */
static int font_for(const struct pair *p, int32_t cp)
{
    if (TTF_GlyphIsProvided32(p->main, (Uint32)cp))
        return 0;
    if (p->fb && TTF_GlyphIsProvided32(p->fb, (Uint32)cp))
        return 1;
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
        if (f != *font)
            return start;
    }
    return i;
}

/* SDL_ttf wants NUL-terminated strings. */
static int size_run(TTF_Font *f, const char *s, size_t len, int *w)
{
    char stackbuf[512];
    char *buf = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
    int rc;

    *w = 0;
    if (!buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    rc = TTF_SizeUTF8(f, buf, w, NULL);
    if (buf != stackbuf)
        free(buf);
    return rc;
}

static int measure_cb(void *ctx, const char *s, size_t len)
{
    const struct pair *p = ctx;
    size_t pos = 0, end;
    int font, w, total = 0;

    if (!pair_size(p))
        return 0;
    while (pos < len) {
        end = next_run(p, s, len, pos, &font);
        if (font >= 0 && size_run(font ? p->fb : p->main, s + pos, end - pos, &w) == 0)
            total += w;
        pos = end;
    }
    return total;
}

/* A copy of s without bad bytes, invisible format characters and code points no font
 * has (most emoji). Control characters pass: textlayout handles them. A text whose every
 * visible character is missing from the fonts gets 〓 (the geta mark, Japanese typesetting's
 * sign for a missing glyph) for each of them instead: an announcement must never draw as
 * nothing, and a box measured 0 px high would let it vanish from the screen. */
static char *filter_text(const struct pair *p, const char *s, size_t len, size_t *out_len)
{
    static const char geta[] = "\xE3\x80\x93";
    char *out = malloc(3 * len + 1);
    size_t i = 0, o = 0, start, missing = 0;
    bool kept_visible = false;
    int32_t cp;

    if (!out)
        return NULL;
    for (int pass = 0; pass < 2; pass++) {
        i = o = 0;
        while (i < len) {
            start = i;
            cp = textlayout_decode(s, len, &i);
            if (cp < 0 || is_ignorable(cp))
                continue;
            if (cp >= 0x20 && cp != 0x7F && font_for(p, cp) < 0) {
                if (utf8_cp_invisible(cp))
                    continue;
                missing++;
                if (pass == 1) {
                    memcpy(out + o, geta, 3);
                    o += 3;
                }
                continue;
            }
            kept_visible = kept_visible || !utf8_cp_invisible(cp);
            memcpy(out + o, s + start, i - start);
            o += i - start;
        }
        if (kept_visible || missing == 0)
            break;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ---- caches ---- */

static void free_tex(void *v)
{
    struct tex *t = v;

    if (t) {
        if (t->tex)
            SDL_DestroyTexture(t->tex);
        free(t);
    }
}

static void free_layout(void *v)
{
    textlayout_free(v);
}

/* A key: a small binary header followed by the text. The caller frees. */
static unsigned char *make_key(const void *head, size_t hlen, const char *s, size_t len,
                               size_t *klen)
{
    unsigned char *k = malloc(hlen + len);

    if (!k)
        return NULL;
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
static const struct textlayout *layout_get(struct gfx *g, const struct pair *p,
                                           const struct gfx_text_style *st, const char *utf8,
                                           int width, int max_lines)
{
    int head[4] = {(int)st->role, clamp_px(st->px), width, max_lines};
    size_t len = strlen(utf8), klen, flen;
    unsigned char *key = make_key(head, sizeof head, utf8, len, &klen);
    struct textlayout *tl = NULL;
    char *filtered;

    if (!key)
        return NULL;
    tl = gcache_get(g->layouts, key, klen);
    if (tl) {
        g->stats.layout_hits++;
        goto out;
    }
    filtered = filter_text(p, utf8, len, &flen);
    if (!filtered)
        goto out;
    tl = textlayout_create(filtered, flen, width, max_lines, measure_cb, (void *)p);
    free(filtered);
    if (!tl)
        goto out;
    g->stats.layouts++;
    if (gcache_put(g->layouts, key, klen, tl, tl->bytes) != 0)
        tl = NULL;
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

    if (!buf)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    surf = TTF_RenderUTF8_Blended(f, buf, c);
    if (buf != stackbuf)
        free(buf);
    return surf;
}

/* Renders one line: each font run separately, composed on one surface on a common
 * baseline, turned into one texture. NULL when nothing is visible or on failure. */
static struct tex *render_line(struct gfx *g, const struct pair *p, const char *s, size_t len,
                               struct gfx_color color)
{
    SDL_Color c = {color.r, color.g, color.b, color.a};
    struct run_surface *runs = NULL;
    size_t n = 0, cap = 0, pos = 0, end, k;
    int font, x = 0, h, w;
    SDL_Surface *line = NULL;
    struct tex *t = NULL;
    SDL_Texture *tex = NULL;

    if (!pair_size(p))
        return NULL;
    h = TTF_FontHeight(p->main);
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
                runs[n].y = TTF_FontAscent(p->main) - TTF_FontAscent(f);
                n++;
                x += rs->w;
            } else {
                LOG_WARN("gfx", "cannot render text run: %s", TTF_GetError());
            }
        }
        pos = end;
    }
    if (n == 0 || x <= 0)
        goto out;
    w = x < g->max_tex_w ? x : g->max_tex_w;
    if (n == 1 && runs[0].y == 0 && runs[0].s->w <= w) {
        line = runs[0].s;
        runs[0].s = NULL;
    } else {
        line = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!line)
            goto out;
        SDL_FillRect(line, NULL, 0);
        for (k = 0; k < n; k++) {
            SDL_Rect dst = {runs[k].x, runs[k].y, runs[k].s->w, runs[k].s->h};

            /* Copy, not blend: blending onto transparent black would darken the edges. */
            SDL_SetSurfaceBlendMode(runs[k].s, SDL_BLENDMODE_NONE);
            SDL_BlitSurface(runs[k].s, NULL, line, &dst);
        }
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
    g->stats.line_renders++;
out:
    for (k = 0; k < n; k++)
        SDL_FreeSurface(runs[k].s);
    free(runs);
    SDL_FreeSurface(line);
    return t;
}

/* The cached texture of a line, rendering it on a miss. Valid until the next line_get. */
static const struct tex *line_get(struct gfx *g, const struct pair *p,
                                  const struct gfx_text_style *st, const char *s, size_t len)
{
    int head[3] = {(int)st->role, clamp_px(st->px),
                   (int)((uint32_t)st->color.r << 24 | (uint32_t)st->color.g << 16 |
                         (uint32_t)st->color.b << 8 | st->color.a)};
    size_t klen;
    unsigned char *key = make_key(head, sizeof head, s, len, &klen);
    struct tex *t = NULL;

    if (!key)
        return NULL;
    t = gcache_get(g->lines, key, klen);
    if (t) {
        g->stats.line_hits++;
        goto out;
    }
    t = render_line(g, p, s, len, st->color);
    if (!t)
        goto out;
    if (gcache_put(g->lines, key, klen, t, (size_t)t->w * (size_t)t->h * 4) != 0)
        t = NULL;
out:
    free(key);
    return t;
}

/* ---- listing ---- */

static void listing_add(struct gfx *g, SDL_Rect r, const char *s, size_t len)
{
    struct listing_row *rows;
    char *text;
    size_t cap;

    if (g->n_rows >= MAX_LISTING_ROWS)
        return;
    if (g->n_rows == g->cap_rows) {
        cap = g->cap_rows ? g->cap_rows * 2 : 64;
        rows = realloc(g->rows, cap * sizeof *rows);
        if (!rows)
            return;
        g->rows = rows;
        g->cap_rows = cap;
    }
    text = malloc(len + 1);
    if (!text)
        return;
    memcpy(text, s, len);
    text[len] = '\0';
    g->rows[g->n_rows].r = r;
    g->rows[g->n_rows].text = text;
    g->n_rows++;
}

static void listing_clear(struct gfx *g)
{
    size_t i;

    for (i = 0; i < g->n_rows; i++)
        free(g->rows[i].text);
    g->n_rows = 0;
}

int gfx_write_text_listing(const struct gfx *g, const char *path)
{
    FILE *f = fopen(path, "w");
    size_t i;
    int rc = 0;

    if (!f)
        return -errno;
    for (i = 0; i < g->n_rows; i++) {
        const struct listing_row *row = &g->rows[i];

        if (fprintf(f, "%d %d %d %d\t%s\n", row->r.x, row->r.y, row->r.w, row->r.h,
                    row->text) < 0) {
            rc = -EIO;
            break;
        }
    }
    if (fclose(f) != 0 && rc == 0)
        rc = -errno;
    return rc;
}

char *gfx_text_listing(const struct gfx *g, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    for (size_t i = 0; i < g->n_rows; i++) {
        const struct listing_row *row = &g->rows[i];
        fprintf(f, "%d %d %d %d\t%s\n", row->r.x, row->r.y, row->r.w, row->r.h, row->text);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* ---- create / destroy ---- */

struct gfx *gfx_create(SDL_Renderer *r, const struct gfx_fonts *fonts, char *err, size_t errlen)
{
    struct gfx *g = NULL;
    const char *paths[N_FONT_FILES];
    SDL_RendererInfo info;
    bool ttf = false;
    int i;

    if (errlen > 0)
        err[0] = '\0';
    if (!r || !fonts) {
        snprintf(err, errlen, "gfx: no renderer or no font list");
        return NULL;
    }
    paths[GFX_FONT_TEXT] = fonts->text;
    paths[GFX_FONT_BOLD] = fonts->bold;
    paths[GFX_FONT_MONO] = fonts->mono;
    paths[FONT_FALLBACK] = fonts->fallback;
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "gfx: cannot start SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    ttf = true;
    g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "gfx: out of memory");
        goto fail;
    }
    g->r = r;
    for (i = 0; i < N_FONT_FILES; i++) {
        TTF_Font *probe;

        if (!paths[i] || !paths[i][0]) {
            snprintf(err, errlen, "gfx: no file given for the %s font", role_names[i]);
            goto fail;
        }
        if (access(paths[i], R_OK) != 0) {
            snprintf(err, errlen, "gfx: %s font %s: %s", role_names[i], paths[i],
                     strerror(errno));
            goto fail;
        }
        probe = open_font(paths[i], 24);
        if (!probe) {
            snprintf(err, errlen, "gfx: %s font %s is not a usable font: %s", role_names[i],
                     paths[i], TTF_GetError());
            goto fail;
        }
        /* A font without kana would silently send all Japanese to the fallback. */
        if (i != GFX_FONT_MONO && !TTF_GlyphIsProvided32(probe, 0x3042)) {
            LOG_WARN("gfx", "%s font %s has no kana; Japanese comes from the fallback",
                     role_names[i], paths[i]);
        }
        /* kept: the one face of this file, resized on demand */
        g->fonts[i] = probe;
        g->font_px[i] = 24;
        g->stats.fonts_open++;
        g->paths[i] = strdup(paths[i]);
        if (!g->paths[i]) {
            snprintf(err, errlen, "gfx: out of memory");
            goto fail;
        }
    }
    g->lines = gcache_create(LINE_CACHE_BYTES, LINE_CACHE_ENTRIES, free_tex);
    g->layouts = gcache_create(LAYOUT_CACHE_BYTES, LAYOUT_CACHE_ENTRIES, free_layout);
    g->qrs = gcache_create(QR_CACHE_BYTES, QR_CACHE_ENTRIES, free_tex);
    if (!g->lines || !g->layouts || !g->qrs) {
        snprintf(err, errlen, "gfx: out of memory");
        goto fail;
    }
    g->max_tex_w = DEFAULT_MAX_TEXTURE;
    if (SDL_GetRendererInfo(r, &info) == 0 && info.max_texture_width > 0)
        g->max_tex_w = info.max_texture_width;
    return g;

fail:
    if (g)
        gfx_destroy(g); /* also ends our SDL_ttf reference */
    else if (ttf)
        TTF_Quit();
    return NULL;
}

void gfx_destroy(struct gfx *g)
{
    int i;

    if (!g)
        return;
    gcache_free(g->lines);
    gcache_free(g->layouts);
    gcache_free(g->qrs);
    for (i = 0; i < MAX_CORNERS; i++)
        if (g->corners[i].tex)
            SDL_DestroyTexture(g->corners[i].tex);
    for (i = 0; i < N_FONT_FILES; i++) {
        if (g->fonts[i])
            TTF_CloseFont(g->fonts[i]);
        free(g->paths[i]);
    }
    listing_clear(g);
    free(g->rows);
    free(g);
    TTF_Quit();
}

void gfx_frame_begin(struct gfx *g)
{
    listing_clear(g);
}

/* ---- rectangles ---- */

static void set_color(struct gfx *g, struct gfx_color c)
{
    SDL_SetRenderDrawBlendMode(g->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(g->r, c.r, c.g, c.b, c.a);
}

void gfx_fill_rect(struct gfx *g, SDL_Rect r, struct gfx_color c)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    set_color(g, c);
    SDL_RenderFillRect(g->r, &r);
}

/* Inside a rounded rectangle whose top-left corner is at (o, o) with corner radius rad,
 * looking only at the top-left corner region. */
static bool inside_corner(double x, double y, double o, double rad)
{
    double dx, dy;

    if (x < o || y < o)
        return false;
    if (x < o + rad && y < o + rad) {
        dx = x - (o + rad);
        dy = y - (o + rad);
        return dx * dx + dy * dy <= rad * rad;
    }
    return true;
}

/* A white top-left corner mask, alpha = coverage (4x4 samples per pixel): a filled
 * quarter disc (width 0) or a ring of that width. Cached by (radius, width). */
static const struct corner *corner_get(struct gfx *g, int radius, int width)
{
    struct corner *slot = NULL;
    SDL_Surface *s;
    int i, x, y, sx, sy, side = width > radius ? width : radius;
    double inner = radius - width > 0 ? radius - width : 0;

    g->tick++;
    for (i = 0; i < MAX_CORNERS; i++) {
        if (g->corners[i].tex && g->corners[i].radius == radius &&
            g->corners[i].width == width) {
            g->corners[i].used = g->tick;
            return &g->corners[i];
        }
        if (!slot || !g->corners[i].tex || (slot->tex && g->corners[i].used < slot->used))
            slot = &g->corners[i];
    }
    s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    for (y = 0; y < side; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);

        for (x = 0; x < side; x++) {
            int cov = 0;

            for (sy = 0; sy < 4; sy++) {
                for (sx = 0; sx < 4; sx++) {
                    double px = x + (sx + 0.5) / 4.0, py = y + (sy + 0.5) / 4.0;
                    bool in = inside_corner(px, py, 0, radius);

                    if (in && width > 0)
                        in = !inside_corner(px, py, width, inner);
                    cov += in;
                }
            }
            row[x] = ((Uint32)(cov * 255 / 16) << 24) | 0xFFFFFFu;
        }
    }
    if (slot->tex)
        SDL_DestroyTexture(slot->tex);
    slot->tex = SDL_CreateTextureFromSurface(g->r, s);
    SDL_FreeSurface(s);
    if (!slot->tex)
        return NULL;
    SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_BLEND);
    slot->radius = radius;
    slot->width = width;
    slot->side = side;
    slot->used = g->tick;
    return slot;
}

static void draw_corners(struct gfx *g, const struct corner *k, SDL_Rect r, struct gfx_color c)
{
    SDL_Rect d = {r.x, r.y, k->side, k->side};

    SDL_SetTextureColorMod(k->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(k->tex, c.a);
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL, SDL_FLIP_NONE);
    d.x = r.x + r.w - k->side;
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL, SDL_FLIP_HORIZONTAL);
    d.y = r.y + r.h - k->side;
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL,
                     (SDL_RendererFlip)(SDL_FLIP_HORIZONTAL | SDL_FLIP_VERTICAL));
    d.x = r.x;
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL, SDL_FLIP_VERTICAL);
}

static int clamp_radius(SDL_Rect r, int radius)
{
    int m = (r.w < r.h ? r.w : r.h) / 2;

    if (radius > m)
        radius = m;
    if (radius > MAX_CORNER_PX)
        radius = MAX_CORNER_PX;
    return radius < 0 ? 0 : radius;
}

void gfx_fill_round_rect(struct gfx *g, SDL_Rect r, int radius, struct gfx_color c)
{
    const struct corner *k;
    SDL_Rect parts[3];

    if (r.w <= 0 || r.h <= 0)
        return;
    radius = clamp_radius(r, radius);
    k = radius > 0 ? corner_get(g, radius, 0) : NULL;
    if (!k) {
        gfx_fill_rect(g, r, c);
        return;
    }
    parts[0] = (SDL_Rect){r.x + radius, r.y, r.w - 2 * radius, r.h};
    parts[1] = (SDL_Rect){r.x, r.y + radius, radius, r.h - 2 * radius};
    parts[2] = (SDL_Rect){r.x + r.w - radius, r.y + radius, radius, r.h - 2 * radius};
    set_color(g, c);
    for (int i = 0; i < 3; i++)
        if (parts[i].w > 0 && parts[i].h > 0)
            SDL_RenderFillRect(g->r, &parts[i]);
    draw_corners(g, k, r, c);
}

void gfx_stroke_round_rect(struct gfx *g, SDL_Rect r, int radius, int width, struct gfx_color c)
{
    const struct corner *k = NULL;
    SDL_Rect parts[4];
    int side;

    if (r.w <= 0 || r.h <= 0 || width <= 0)
        return;
    if (2 * width >= (r.w < r.h ? r.w : r.h)) {
        gfx_fill_round_rect(g, r, radius, c);
        return;
    }
    radius = clamp_radius(r, radius);
    if (radius > 0)
        k = corner_get(g, radius, width);
    side = k ? k->side : width;
    parts[0] = (SDL_Rect){r.x + side, r.y, r.w - 2 * side, width};
    parts[1] = (SDL_Rect){r.x + side, r.y + r.h - width, r.w - 2 * side, width};
    parts[2] = (SDL_Rect){r.x, r.y + side, width, r.h - 2 * side};
    parts[3] = (SDL_Rect){r.x + r.w - width, r.y + side, width, r.h - 2 * side};
    set_color(g, c);
    for (int i = 0; i < 4; i++)
        if (parts[i].w > 0 && parts[i].h > 0)
            SDL_RenderFillRect(g->r, &parts[i]);
    if (k) {
        draw_corners(g, k, r, c);
    } else {
        SDL_Rect sq[4] = {{r.x, r.y, width, width},
                          {r.x + r.w - width, r.y, width, width},
                          {r.x, r.y + r.h - width, width, width},
                          {r.x + r.w - width, r.y + r.h - width, width, width}};
        SDL_RenderFillRects(g->r, sq, 4);
    }
}

/* ---- text ---- */

int gfx_line_height(const struct gfx_text_style *st)
{
    float sp = st->line_spacing > 0.0f ? st->line_spacing : 1.5f;
    long lh = lroundf((float)clamp_px(st->px) * sp);

    return lh < 1 ? 1 : lh > 4 * MAX_PX ? 4 * MAX_PX : (int)lh;
}

static bool intersect(SDL_Rect a, SDL_Rect b, SDL_Rect *out)
{
    return SDL_IntersectRect(&a, &b, out) == SDL_TRUE;
}

int gfx_draw_text(struct gfx *g, const char *utf8, SDL_Rect box, const struct gfx_text_style *st)
{
    struct pair p;
    const struct textlayout *tl;
    SDL_Rect old_clip, clip;
    SDL_bool had_clip;
    int lh, fh, lead, fit, limit, used;
    size_t i;

    if (!g || !utf8 || !st || box.w <= 0 || box.h <= 0 || !utf8[0])
        return 0;
    if (!get_pair(g, st, &p))
        return 0;
    lh = gfx_line_height(st);
    fh = pair_height(&p);
    /* Lines are lh apart with the glyphs centred in their line box, so a box as high as
     * gfx_measure_text said holds exactly those lines. A box lower than one line still
     * shows one, centred in the box and clipped. */
    fit = box.h / lh;
    if (fit < 1)
        fit = 1;
    lead = ((box.h < lh ? box.h : lh) - fh) / 2;
    limit = st->max_lines > 0 && st->max_lines < fit ? st->max_lines : fit;
    tl = layout_get(g, &p, st, utf8, box.w, limit);
    if (!tl)
        return 0;

    /* Clip to the box within whatever clip the caller had. */
    had_clip = SDL_RenderIsClipEnabled(g->r);
    SDL_RenderGetClipRect(g->r, &old_clip);
    clip = box;
    if (had_clip && !intersect(box, old_clip, &clip))
        return (int)tl->n_lines * lh < box.h ? (int)tl->n_lines * lh : box.h;
    SDL_RenderSetClipRect(g->r, &clip);

    for (i = 0; i < tl->n_lines; i++) {
        const struct textlayout_line *ln = &tl->lines[i];
        const struct tex *t;
        SDL_Rect dst, seen;

        if (ln->len == 0)
            continue;
        t = line_get(g, &p, st, tl->text + ln->off, ln->len);
        if (!t)
            continue;
        dst = (SDL_Rect){box.x, box.y + (int)i * lh + lead, t->w, t->h};
        if (t->w < box.w && st->align == GFX_ALIGN_CENTER)
            dst.x += (box.w - t->w) / 2;
        else if (t->w < box.w && st->align == GFX_ALIGN_RIGHT)
            dst.x += box.w - t->w;
        if (!intersect(dst, clip, &seen))
            continue;
        SDL_RenderCopy(g->r, t->tex, NULL, &dst);
        listing_add(g, seen, tl->text + ln->off, ln->len);
    }

    if (had_clip)
        SDL_RenderSetClipRect(g->r, &old_clip);
    else
        SDL_RenderSetClipRect(g->r, NULL);
    used = (int)tl->n_lines * lh;
    return used < box.h ? used : box.h;
}

int gfx_measure_text(struct gfx *g, const char *utf8, int width, const struct gfx_text_style *st,
                     int *out_widest)
{
    struct pair p;
    const struct textlayout *tl;
    int widest = 0;
    size_t i;

    if (out_widest)
        *out_widest = 0;
    if (!g || !utf8 || !st || !utf8[0] || !get_pair(g, st, &p))
        return 0;
    tl = layout_get(g, &p, st, utf8, width < 0 ? 0 : width, st->max_lines);
    if (!tl)
        return 0;
    for (i = 0; i < tl->n_lines; i++)
        if (tl->lines[i].width > widest)
            widest = tl->lines[i].width;
    if (out_widest)
        *out_widest = widest;
    return (int)tl->n_lines * gfx_line_height(st);
}

/* ---- QR codes ---- */

/* Byte mode only, level M: libqrencode's mixed modes would pick a smaller version for
 * some URLs than util/qrspec.h, and `kiosk --check-feed` must say exactly what is drawn. */
static QRcode *qr_encode(const char *data)
{
    return QRcode_encodeData((int)strlen(data), (const unsigned char *)data, 0, QR_ECLEVEL_M);
}

/* The module count of data's QR code (cached), or -1 if it cannot be encoded. */
static int qr_modules(struct gfx *g, const char *data, QRcode **out)
{
    size_t klen;
    char tag = 'W';
    unsigned char *key = make_key(&tag, 1, data, strlen(data), &klen);
    struct tex *info;
    QRcode *q;
    int w = -1;

    *out = NULL;
    if (!key)
        return -1;
    info = gcache_get(g->qrs, key, klen);
    if (info) {
        w = info->w;
        goto out;
    }
    q = qr_encode(data);
    if (!q) {
        LOG_WARN("gfx", "cannot encode a QR code of %zu bytes: %s", strlen(data),
                 strerror(errno));
        goto out;
    }
    w = q->width;
    *out = q;
    info = calloc(1, sizeof *info);
    if (info) {
        /* The width alone, in a texture-less struct tex so one destructor serves. */
        info->w = w;
        (void)gcache_put(g->qrs, key, klen, info, sizeof *info);
    }
out:
    free(key);
    return w;
}

/* One pixel per module: the renderer scales it by the whole module size with nearest
 * sampling, so every size of one code shares a texture of a few kilobytes instead of a
 * megabyte per size at 1080p. */
static struct tex *qr_texture(struct gfx *g, const QRcode *q)
{
    int quiet = QRSPEC_QUIET_MODULES;
    int side = q->width + 2 * quiet, x, y;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    struct tex *t = NULL;
    SDL_Texture *tex;

    if (!s)
        return NULL;
    SDL_FillRect(s, NULL, 0xFFFFFFFFu);
    for (y = 0; y < q->width; y++) {
        for (x = 0; x < q->width; x++) {
            if (q->data[y * q->width + x] & 1) {
                SDL_Rect mr = {x + quiet, y + quiet, 1, 1};
                SDL_FillRect(s, &mr, 0xFF000000u);
            }
        }
    }
    tex = SDL_CreateTextureFromSurface(g->r, s);
    SDL_FreeSurface(s);
    if (!tex)
        return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE);
    SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest);
    t = malloc(sizeof *t);
    if (!t) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    t->tex = tex;
    t->w = side;
    t->h = side;
    g->stats.qr_builds++;
    return t;
}

int gfx_qr_side(struct gfx *g, const char *data, int max_px, int min_module_px)
{
    QRcode *q = NULL;
    int w, m;

    if (!g || !data || !data[0] || max_px <= 0)
        return -1;
    w = qr_modules(g, data, &q);
    QRcode_free(q);
    m = qrspec_module_px(w, max_px, min_module_px);
    return m > 0 ? m * (w + 2 * QRSPEC_QUIET_MODULES) : -1;
}

int gfx_draw_qr(struct gfx *g, const char *data, int x, int y, int max_px, int min_module_px)
{
    QRcode *q = NULL;
    struct tex *t;
    int w, m, head[1];
    unsigned char *key = NULL;
    size_t klen;
    SDL_Rect dst;
    int rc = -1;

    if (!g || !data || !data[0] || max_px <= 0)
        return -1;
    w = qr_modules(g, data, &q);
    if (w <= 0)
        goto out;
    m = qrspec_module_px(w, max_px, min_module_px);
    if (m <= 0)
        goto out;
    head[0] = 'Q';
    key = make_key(head, sizeof head, data, strlen(data), &klen);
    if (!key)
        goto out;
    t = gcache_get(g->qrs, key, klen);
    if (!t) {
        if (!q)
            q = qr_encode(data);
        if (!q)
            goto out;
        t = qr_texture(g, q);
        if (!t)
            goto out;
        if (gcache_put(g->qrs, key, klen, t, (size_t)t->w * (size_t)t->h * 4) != 0)
            goto out;
    }
    dst = (SDL_Rect){x, y, t->w * m, t->h * m};
    SDL_RenderCopy(g->r, t->tex, NULL, &dst);
    rc = dst.w;
out:
    free(key);
    QRcode_free(q);
    return rc;
}

/* ---- screenshots and stats ---- */

/* The renderer's current target as an RGB surface the caller frees, or NULL. */
static SDL_Surface *gfx_read_target(SDL_Renderer *r, int w, int h)
{
    SDL_Rect rect = {0, 0, w, h};
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (s && SDL_RenderReadPixels(r, &rect, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0) {
        SDL_FreeSurface(s);
        s = NULL;
    }
    return s;
}

int gfx_save_png(SDL_Renderer *r, int w, int h, const char *path)
{
    SDL_Surface *s = NULL;
    char tmp[4096];
    int rc = -1;

    if (!r || w <= 0 || h <= 0 || !path) {
        SDL_SetError("gfx_save_png: bad arguments");
        return -1;
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        SDL_SetError("gfx_save_png: path too long");
        return -1;
    }
    s = gfx_read_target(r, w, h);
    if (!s)
        return -1;
    /* Written aside and renamed, so a reader never sees half a PNG. */
    if (IMG_SavePNG(s, tmp) != 0)
        goto out;
    if (rename(tmp, path) != 0) {
        SDL_SetError("gfx_save_png: rename %s: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    SDL_FreeSurface(s);
    return rc;
}

/* A growable in-memory sink for IMG_SavePNG_RW: SDL's own memory RWops have a fixed size.
 * The bytes go into a util buf; a write that fails (memory) fails the whole encoding. */
struct gfx_membuf {
    struct buf b;
    bool failed;
};

/* No real cap: a screen's PNG is what it is. Half of SIZE_MAX keeps buf's arithmetic safe. */
#define GFX_PNG_MAX (SIZE_MAX / 2)

static size_t SDLCALL gfx_membuf_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
    struct gfx_membuf *m = rw->hidden.unknown.data1;
    size_t n = size * num;
    if (m->failed || (size != 0 && n / size != num))
        return 0;
    if (buf_append(&m->b, ptr, n) < 0) {
        m->failed = true;
        return 0;
    }
    return num;
}

static Sint64 SDLCALL gfx_membuf_size(SDL_RWops *rw)
{
    const struct gfx_membuf *m = rw->hidden.unknown.data1;
    return (Sint64)m->b.len;
}

static Sint64 SDLCALL gfx_membuf_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    /* libpng only asks where it is; the sink is append-only. */
    const struct gfx_membuf *m = rw->hidden.unknown.data1;
    if (offset == 0 && (whence == RW_SEEK_CUR || whence == RW_SEEK_END))
        return (Sint64)m->b.len;
    return SDL_SetError("gfx: PNG sink cannot seek");
}

static int SDLCALL gfx_membuf_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

SDL_Surface *gfx_read_screen(SDL_Renderer *r, int w, int h)
{
    if (!r || w <= 0 || h <= 0) {
        SDL_SetError("gfx_read_screen: bad arguments");
        return NULL;
    }
    return gfx_read_target(r, w, h);
}

int gfx_encode_png(SDL_Surface *s, unsigned char **out, size_t *out_len)
{
    SDL_RWops *rw = NULL;
    struct gfx_membuf m;
    int rc = -1;

    buf_init(&m.b, GFX_PNG_MAX);
    m.failed = false;
    *out = NULL;
    *out_len = 0;
    if (!s) {
        SDL_SetError("gfx_encode_png: no surface");
        return -1;
    }
    rw = SDL_AllocRW();
    if (!rw)
        return -1;
    rw->size = gfx_membuf_size;
    rw->seek = gfx_membuf_seek;
    rw->read = NULL;
    rw->write = gfx_membuf_write;
    rw->close = gfx_membuf_close;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = &m;
    /* freedst=1: IMG_SavePNG_RW closes (and so frees) the RWops whatever happens. */
    if (IMG_SavePNG_RW(s, rw, 1) != 0 || m.failed)
        goto out;
    *out = (unsigned char *)buf_take(&m.b, out_len);
    rc = 0;
out:
    buf_free(&m.b);
    return rc;
}

size_t gfx_cache_bytes(const struct gfx *g)
{
    size_t corners = 0;
    int i;

    if (!g)
        return 0;
    for (i = 0; i < MAX_CORNERS; i++)
        if (g->corners[i].tex)
            corners += (size_t)g->corners[i].side * (size_t)g->corners[i].side * 4;
    return gcache_bytes(g->lines) + gcache_bytes(g->qrs) + corners;
}

void gfx_get_stats(const struct gfx *g, struct gfx_stats *out)
{
    *out = g->stats;
    out->line_entries = gcache_count(g->lines);
    out->line_bytes = gcache_bytes(g->lines);
    out->layout_bytes = gcache_bytes(g->layouts);
    out->qr_bytes = gcache_bytes(g->qrs);
}

void gfx_set_cache_limit(struct gfx *g, size_t bytes)
{
    gcache_set_limit(g->lines, bytes);
}
