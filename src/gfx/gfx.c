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
 * This file holds what ties the pieces together: create/destroy, the frame, the cache
 * figures. Text is gfx_text.c, rectangles gfx_shapes.c, QR codes gfx_qr.c, screenshots
 * gfx_png.c; what they share is gfx_internal.h.
 *
 * Not here: choosing what to draw (ui/), the main loop (app/), threads (main only). */
#include "gfx/gfx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "gfx/gcache.h"
#include "gfx/gfx_internal.h"
#include "util/log.h"

static const char *const role_names[N_FONT_FILES] = {"text", "bold", "mono", "fallback"};

/* ---- create / destroy ---- */

struct gfx *gfx_create(SDL_Renderer *r, const struct gfx_fonts *fonts, char *err, size_t errlen)
{
    struct gfx *g = NULL;
    const char *paths[N_FONT_FILES];
    SDL_RendererInfo info;
    bool ttf = false;
    int i;

    if (errlen > 0) {
        err[0] = '\0';
    }
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
            snprintf(err, errlen, "gfx: %s font %s: %s", role_names[i], paths[i], strerror(errno));
            goto fail;
        }
        probe = gfx_open_font(paths[i], 24);
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
    if (gfx_plan_regional_fonts(g, fonts) != 0) {
        snprintf(err, errlen, "gfx: out of memory");
        goto fail;
    }
    g->lines = gcache_create(LINE_CACHE_BYTES, LINE_CACHE_ENTRIES, gfx_free_tex);
    g->layouts = gcache_create(LAYOUT_CACHE_BYTES, LAYOUT_CACHE_ENTRIES, gfx_free_layout);
    g->rubies = gcache_create(RUBY_CACHE_BYTES, RUBY_CACHE_ENTRIES, gfx_free_ruby);
    g->qrs = gcache_create(QR_CACHE_BYTES, QR_CACHE_ENTRIES, gfx_free_tex);
    if (!g->lines || !g->layouts || !g->rubies || !g->qrs) {
        snprintf(err, errlen, "gfx: out of memory");
        goto fail;
    }
    g->max_tex_w = DEFAULT_MAX_TEXTURE;
    if (SDL_GetRendererInfo(r, &info) == 0 && info.max_texture_width > 0) {
        g->max_tex_w = info.max_texture_width;
    }
    return g;

fail:
    if (g) {
        gfx_destroy(g); /* also ends our SDL_ttf reference */
    } else if (ttf) {
        TTF_Quit();
    }
    return NULL;
}

/* Noto Sans CJK's faces in the .ttc: JP 0, KR 1, SC 2; the Mono faces 5 (JP), 6 (KR), 7 (SC). */
static const int cjk_face[GFX_SCRIPT_COUNT_] = {0, 2, 1};
static const int cjk_mono_face[GFX_SCRIPT_COUNT_] = {5, 7, 6};

int gfx_plan_regional_fonts(struct gfx *g, const struct gfx_fonts *fonts)
{
    const char *bold = fonts->cjk_bold && fonts->cjk_bold[0] ? fonts->cjk_bold : fonts->fallback;

    for (int s = GFX_SCRIPT_ZH_HANS; s < GFX_SCRIPT_COUNT_; s++) {
        int base = s * N_FONT_FILES;
        const char *files[N_FONT_FILES] = {fonts->fallback, bold, fonts->fallback, fonts->fallback};
        const int faces[N_FONT_FILES] = {cjk_face[s], cjk_face[s], cjk_mono_face[s],
                                         cjk_face[GFX_SCRIPT_JA]};

        for (int i = 0; i < N_FONT_FILES; i++) {
            g->paths[base + i] = strdup(files[i]);
            g->face[base + i] = faces[i];
            if (!g->paths[base + i]) {
                return -ENOMEM;
            }
        }
    }
    return 0;
}

void gfx_destroy(struct gfx *g)
{
    int i;

    if (!g) {
        return;
    }
    gcache_free(g->lines);
    gcache_free(g->layouts);
    gcache_free(g->rubies);
    gcache_free(g->qrs);
    for (i = 0; i < MAX_CORNERS; i++) {
        if (g->corners[i].tex) {
            SDL_DestroyTexture(g->corners[i].tex);
        }
    }
    for (i = 0; i < N_FONT_SLOTS; i++) {
        if (g->fonts[i] && !g->synth_bold[i]) {
            TTF_CloseFont(g->fonts[i]);
        }
        free(g->paths[i]);
    }
    gfx_listing_clear(g);
    free(g->rows);
    free(g->shapes);
    free(g);
    TTF_Quit();
}

enum gfx_script gfx_set_script(struct gfx *g, enum gfx_script script)
{
    enum gfx_script old = g->script;

    g->script = (int)script >= 0 && script < GFX_SCRIPT_COUNT_ ? script : GFX_SCRIPT_JA;
    return old;
}

void gfx_frame_begin(struct gfx *g)
{
    gfx_listing_clear(g);
}

size_t gfx_cache_bytes(const struct gfx *g)
{
    size_t corners = 0;
    int i;

    if (!g) {
        return 0;
    }
    for (i = 0; i < MAX_CORNERS; i++) {
        if (g->corners[i].tex) {
            corners += (size_t)g->corners[i].side * (size_t)g->corners[i].side * 4;
        }
    }
    return gcache_bytes(g->lines) + gcache_bytes(g->qrs) + corners;
}

void gfx_get_stats(const struct gfx *g, struct gfx_stats *out)
{
    *out = g->stats;
    out->line_entries = gcache_count(g->lines);
    out->line_bytes = gcache_bytes(g->lines);
    out->layout_bytes = gcache_bytes(g->layouts) + gcache_bytes(g->rubies);
    out->qr_bytes = gcache_bytes(g->qrs);
}

void gfx_set_cache_limit(struct gfx *g, size_t bytes)
{
    gcache_set_limit(g->lines, bytes);
}
