/* gfx: the only code that touches SDL_render and SDL_ttf.
 *
 * It draws rectangles, text and QR codes onto the renderer's current target, and records
 * every text line it draws this frame (position, size, text) so screenshots can be checked
 * without reading pixels. Text is broken into lines by textlayout.h (ICU, Japanese 禁則),
 * each line rendered once with SDL_ttf and its texture kept in a byte-bounded cache, so a
 * frame with nothing new renders no text from scratch. Glyphs missing from the main font
 * come from the fallback font; emoji neither has are dropped. Main thread only. */
#ifndef KIOSK_GFX_GFX_H
#define KIOSK_GFX_GFX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

struct gfx;

struct gfx_fonts {
    const char *text;     /* proportional, regular */
    const char *bold;     /* proportional, bold */
    const char *mono;     /* fixed-width digits */
    const char *fallback; /* face 0 of a .ttc is used */
    /* Noto Sans CJK Bold .ttc for bold Chinese and Korean; NULL or "": the fallback file
     * (regular) sets them. The regional faces of `fallback` and this file are opened only
     * when text of that script is first drawn. */
    const char *cjk_bold;
};

/* Which regional glyph shapes a text is drawn with. Han characters differ by region (直, 骨,
 * 次 are drawn differently in China and Japan), so Chinese text drawn with a Japanese font
 * reads as foreign. ja uses the configured fonts (BIZ UD Gothic, then Noto Sans CJK JP);
 * zh-Hans and ko use Noto Sans CJK SC and KR (faces 2 and 1 of the .ttc), then JP. English
 * and やさしい日本語 are ja. */
enum gfx_script { GFX_SCRIPT_JA, GFX_SCRIPT_ZH_HANS, GFX_SCRIPT_KO, GFX_SCRIPT_COUNT_ };

struct gfx_color {
    uint8_t r, g, b, a;
};

/* Bold text with a line limit is what the screens draw as titles, headings and labels: its
 * lines break between phrases (textlayout.h, TEXTLAYOUT_PHRASE). Running text (regular, or
 * bold without a limit, as an emergency's message) fills its lines by 禁則 alone. */
enum gfx_font_role { GFX_FONT_TEXT, GFX_FONT_BOLD, GFX_FONT_MONO };
enum gfx_align { GFX_ALIGN_LEFT, GFX_ALIGN_CENTER, GFX_ALIGN_RIGHT };

struct gfx_text_style {
    enum gfx_font_role role;
    int px; /* font size in pixels */
    struct gfx_color color;
    float line_spacing; /* line height as a multiple of px; 0 means 1.5; at least ~1.2 */
    int max_lines;      /* 0: as many as fit the box; text cut with … at a break */
    enum gfx_align align;
};

/* Opens the fonts and prepares caches. On failure (a font missing or unreadable) returns
 * NULL and writes a message naming the file to err. The renderer must outlive the gfx. */
struct gfx *gfx_create(SDL_Renderer *r, const struct gfx_fonts *fonts, char *err, size_t errlen);
void gfx_destroy(struct gfx *g);

/* Sets the script of the text drawn from now on (GFX_SCRIPT_JA after gfx_create) and
 * returns the previous one. The regional faces open at the first text of their script. */
enum gfx_script gfx_set_script(struct gfx *g, enum gfx_script script);

/* Starts a frame: clears the list of drawn text lines. */
void gfx_frame_begin(struct gfx *g);

void gfx_fill_rect(struct gfx *g, SDL_Rect r, struct gfx_color c);
void gfx_fill_round_rect(struct gfx *g, SDL_Rect r, int radius, struct gfx_color c);
void gfx_stroke_round_rect(struct gfx *g, SDL_Rect r, int radius, int width, struct gfx_color c);
/* A triangle pointing up that fills r: apex at the middle of its top edge, base its bottom
 * edge (a warning sign's shape). Drawn by whole-pixel rows, no image needed. */
void gfx_fill_triangle_up(struct gfx *g, SDL_Rect r, struct gfx_color c);

/* Lays out `utf8` inside `box` (its width breaks lines, its height cuts them with …),
 * draws it clipped to the box, and returns the height used. Nothing is drawn outside box.
 * Lines drawn are recorded for the text listing.
 * Line i's line box is gfx_line_height(st) high (more if the main font is taller than 1 em)
 * at box.y + i * line height, glyphs centred in it; a line's texture spans the real extents
 * of every font it uses plus about 0.1 em, so no glyph is cut by its own line box; the box holds
 * box.h / line height lines, so a box as high as gfx_measure_text says holds exactly the measured
 * lines. A box lower than one line still shows one line, centred in the box and clipped. The height
 * used is lines * line height, at most box.h. */
int gfx_draw_text(struct gfx *g, const char *utf8, SDL_Rect box, const struct gfx_text_style *st);

/* Height the text would take in a box of this width (no cut unless max_lines), and the
 * width of its widest line. Uses the same layout as drawing. */
int gfx_measure_text(struct gfx *g, const char *utf8, int width, const struct gfx_text_style *st,
                     int *out_widest);

/* Draws the QR code of `data` (byte mode, error correction M, a 4-module quiet zone, black
 * on white) with whole pixels per module: the largest module size that fits in max_px, and
 * at least min_module_px (util/qrspec.h). Its top-left is (x, y). Returns the side in
 * pixels drawn, or -1 when it cannot fit min_module_px (nothing is drawn). QR textures are
 * cached by content. */
int gfx_draw_qr(struct gfx *g, const char *data, int x, int y, int max_px, int min_module_px);

/* The side in pixels gfx_draw_qr would draw for `data` within max_px (quiet zone included),
 * or -1 when it would draw nothing. Uses the QR cache; the size rule is util/qrspec.h's,
 * which `kiosk --check-feed` uses too. Main thread, like all of gfx. */
int gfx_qr_side(struct gfx *g, const char *data, int max_px, int min_module_px);

/* The modules across `data`'s code, quiet zone included, or -1 when it cannot be encoded. */
int gfx_qr_modules(struct gfx *g, const char *data);

/* Sets the language tag the text listing gives the lines drawn from now on ("ja", "en",
 * "zh-Hans"…; static storage, not copied; NULL or "" gives "ja"). ui/ knows what a line is in,
 * gfx only draws it. */
const char *gfx_set_text_lang(struct gfx *g, const char *tag); /* returns the previous tag */

/* Writes every text line drawn since gfx_frame_begin as "x y w h lang fg bg<TAB>text" rows.
 * Coordinates are on the frame being drawn (the logical screen); the rectangle is the visible
 * part of the line (clipped to its box), lang the tag set by gfx_set_text_lang when it was
 * drawn, fg the text's colour and bg the colour drawn under the line's middle (gfx_color_at),
 * both "#RRGGBB"; the text is what was drawn (dropped emoji gone, "…" where cut). 0 or
 * negative errno. */
int gfx_write_text_listing(const struct gfx *g, const char *path);

/* The same rows as a heap string the caller frees (*len bytes, NUL-terminated), or NULL. */
char *gfx_text_listing(const struct gfx *g, size_t *len);

/* The colour the rectangles drawn since gfx_frame_begin give the point (x, y), translucent
 * ones blended over what lies beneath (black where nothing was drawn). Text, codes and the
 * rounding of corners are left out: this is the ground a line or a control is drawn on. */
struct gfx_color gfx_color_at(const struct gfx *g, int x, int y);

/* How the control in r looks: the colour of the last rectangle filled exactly over r in
 * *fill and of the last one stroked around r in *edge; returns a bit mask, 1 for a fill, 2
 * for an edge (0: nothing was drawn at r itself). */
int gfx_shape_look(const struct gfx *g, SDL_Rect r, struct gfx_color *fill, struct gfx_color *edge);

/* Saves the renderer's current target as a PNG. 0 or -1 with SDL_GetError(). */
int gfx_save_png(SDL_Renderer *r, int w, int h, const char *path);

/* Reads the renderer's current target back into an RGB surface the caller frees with
 * SDL_FreeSurface, or NULL with SDL_GetError(). Main thread (it touches the renderer); it
 * only copies pixels, so the frame it is taken in stays short. */
SDL_Surface *gfx_read_screen(SDL_Renderer *r, int w, int h);

/* Encodes `s` as a PNG in memory: *out (the caller frees it) and *out_len. 0 or -1 with
 * SDL_GetError(). Any thread (it touches no renderer): the admin API's screenshot is encoded
 * off the main thread, which a 1080p PNG would hold for about 50 ms. */
int gfx_encode_png(SDL_Surface *s, unsigned char **out, size_t *out_len);

/* Bytes held by the text-line and QR texture caches, for status and the soak test. */
size_t gfx_cache_bytes(const struct gfx *g);

/* Counters since gfx_create, for tests ("a frame with nothing new renders no text") and
 * the status page. */
struct gfx_stats {
    unsigned long line_renders; /* text lines rendered with SDL_ttf (cache misses) */
    unsigned long line_hits;    /* text lines drawn from a cached texture */
    unsigned long layouts;      /* texts laid out (layout cache misses) */
    unsigned long layout_hits;
    unsigned long ruby_parses; /* texts with reading markup parsed (ruby cache misses) */
    unsigned long qr_builds;   /* QR textures built */
    size_t line_entries;       /* textures held */
    size_t line_bytes;         /* bytes of line textures held */
    size_t layout_bytes;       /* bytes of cached layouts and parsed readings */
    size_t qr_bytes;
    int fonts_open; /* font faces open now (regional faces count once opened) */
};
void gfx_get_stats(const struct gfx *g, struct gfx_stats *out);

/* Sets the byte budget of the text-line texture cache (default 48 MiB), evicting least
 * recently used lines at once. */
void gfx_set_cache_limit(struct gfx *g, size_t bytes);

/* The line height in pixels of a style: round(px * line_spacing), line_spacing 0 = 1.5, but
 * at least px plus about 0.1 em above and below (1.2 em), which BIZ UDPGothic's Latin
 * descenders need. */
int gfx_line_height(const struct gfx_text_style *st);

#endif
