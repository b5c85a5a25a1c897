/* gfx_internal: what the pieces of gfx share, and nothing outside gfx/.
 *
 * gfx is five files: gfx.c (create/destroy, the frame, cache figures), gfx_text.c (fonts,
 * the filter, the layout and line caches, line textures, the text listing, draw and
 * measure), gfx_shapes.c (rectangles and rounded rectangles), gfx_qr.c and gfx_png.c
 * (reading the screen back, encoding PNG). They share the struct below and a few helpers;
 * gfx.h stays the only header ui/ and app/ include. Main thread only, like gfx.h. */
#ifndef KIOSK_GFX_INTERNAL_H
#define KIOSK_GFX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "gfx/gcache.h"
#include "gfx/gfx.h"

#define FONT_FALLBACK 3
#define N_FONT_FILES 4
/* Font slots: N_FONT_FILES per script, slot = script * N_FONT_FILES + role; the ja slots
 * are opened by gfx_create, the others on first use (gfx_text.c). */
#define N_FONT_SLOTS (GFX_SCRIPT_COUNT_ * N_FONT_FILES)
#define MIN_PX 4
#define MAX_PX 512
#define LINE_CACHE_BYTES ((size_t)48 << 20)
#define LINE_CACHE_ENTRIES 16384
#define LAYOUT_CACHE_BYTES ((size_t)1 << 20)
#define LAYOUT_CACHE_ENTRIES 2048
#define RUBY_CACHE_BYTES ((size_t)256 << 10)
#define RUBY_CACHE_ENTRIES 512
#define QR_CACHE_BYTES ((size_t)2 << 20)
#define QR_CACHE_ENTRIES 64
#define MAX_CORNERS 32
#define MAX_CORNER_PX 512
#define MAX_LISTING_ROWS 8192
#define MAX_SHAPES 4096
#define DEFAULT_MAX_TEXTURE 8192

struct corner {
    int radius;
    int width; /* 0: filled corner */
    int side;
    SDL_Texture *tex;
    unsigned long used;
};

struct listing_row {
    SDL_Rect r;
    const char *lang; /* static storage (gfx_set_text_lang) */
    struct gfx_color fg, bg;
    char *text;
};

/* A rectangle drawn this frame, so a listing can say which colour lies under a point
 * (gfx_color_at) without reading pixels back. */
struct gfx_shape {
    SDL_Rect r;
    int width; /* a stroke's width; 0 filled */
    struct gfx_color c;
};

struct tex {
    SDL_Texture *tex;
    int w, h;
    int base; /* text lines: the row of the baseline, so the ink of every run fits */
};

struct gfx {
    SDL_Renderer *r;
    char *paths[N_FONT_SLOTS];
    int face[N_FONT_SLOTS];        /* face index within a .ttc */
    bool tried[N_FONT_SLOTS];      /* a regional slot was opened (or failed to) */
    TTF_Font *fonts[N_FONT_SLOTS]; /* one per slot, at font_px[] now */
    int font_px[N_FONT_SLOTS];
    /* a regional bold slot drawn with its regular slot's face made bold (TTF_STYLE_BOLD):
     * it shares that TTF_Font, so a Chinese or Korean visitor costs one CJK face, not two */
    bool synth_bold[N_FONT_SLOTS];
    int bold_ov[MAX_PX + 1]; /* its overhang at each size + 1 (0: not measured yet) */
    unsigned long tick;
    /* height << 16 | ascent of each (file, px) seen, 0 = not known yet: a frame asks for
     * line heights without resizing a font */
    uint32_t metrics[N_FONT_SLOTS][MAX_PX + 1];
    struct gcache *lines;
    struct gcache *layouts;
    struct gcache *rubies; /* texts with reading markup, parsed (struct ruby_text) */
    struct gcache *qrs;
    struct corner corners[MAX_CORNERS];
    struct listing_row *rows;
    size_t n_rows, cap_rows;
    struct gfx_shape *shapes; /* MAX_SHAPES, allocated with the first */
    size_t n_shapes;
    int max_tex_w;
    enum gfx_script script; /* of the text drawn now (gfx_set_script) */
    const char *text_lang;  /* the listing's tag of the text drawn now */
    struct gfx_stats stats;
};

/* Opens the font file at `path` at size px (hinting and kerning as the kiosk draws), or
 * NULL. The caller closes it. */
TTF_Font *gfx_open_font(const char *path, int px);
/* The same for face `index` of a .ttc. */
TTF_Font *gfx_open_font_face(const char *path, int index, int px);
/* Records the files of the Chinese and Korean slots (gfx.c); nothing is opened. 0 or -ENOMEM. */
int gfx_plan_regional_fonts(struct gfx *g, const struct gfx_fonts *fonts);

/* gcache destructors: of a struct tex (line and QR textures), of a textlayout and of a
 * parsed struct ruby_text. */
void gfx_free_tex(void *v);
void gfx_free_layout(void *v);
void gfx_free_ruby(void *v);

/* A cache key: a small binary header followed by the text, its length in *klen. The caller
 * frees; NULL when memory runs out. */
unsigned char *gfx_make_key(const void *head, size_t hlen, const char *s, size_t len, size_t *klen);

/* Forgets the text drawn so far (the listing restarts with each frame). */
void gfx_listing_clear(struct gfx *g);
/* Notes a rectangle drawn (width 0: filled), for gfx_color_at and gfx_shape_look. */
void gfx_shape_note(struct gfx *g, SDL_Rect r, int width, struct gfx_color c);

#endif
