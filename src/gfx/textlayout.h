/* textlayout: breaks UTF-8 text into lines that fit a width, with Japanese 禁則.
 *
 * SDL_ttf wraps only at spaces, so the kiosk breaks lines itself: ICU's line iterator
 * ("ja@lb=strict") gives the break opportunities, and we then remove the ones that would
 * start a line with closing punctuation, ・, ー or small kana, end one with an opening
 * bracket, or split a Latin word or URL. A segment that cannot fit at all is split between
 * graphemes as a last resort. Widths come from a callback, so this file knows nothing of
 * SDL or fonts and can be tested and fuzzed with a fake measure. Invalid UTF-8 bytes and
 * control characters are dropped; '\n' forces a break; leading spaces of a wrapped line and
 * trailing spaces of every line are dropped. With a line limit the text that does not fit
 * is cut at a break and the last kept line ends with "…", still within the width.
 *
 * It does not render, cache or choose fonts: gfx.c does that. */
#ifndef KIOSK_GFX_TEXTLAYOUT_H
#define KIOSK_GFX_TEXTLAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Width in pixels of utf8[0..len) (valid UTF-8, no newline). Negative is taken as 0. */
typedef int (*textlayout_measure_fn)(void *ctx, const char *utf8, size_t len);

struct textlayout_line {
    size_t off; /* byte offset into textlayout.text */
    size_t len; /* bytes: no newline, no trailing spaces; "…" included when cut */
    int width;  /* as measured by the callback */
};

struct textlayout {
    char *text; /* cleaned text, NUL-terminated, ending with "…" when cut; lines point
                 * into text[0..text_len) */
    size_t text_len;
    struct textlayout_line *lines;
    size_t n_lines;
    bool cut;     /* text was cut: the last line ends with "…" */
    size_t bytes; /* heap bytes held, for cache accounting */
};

/* Lays out utf8[0..len) in lines of at most `width` pixels (a single grapheme wider than
 * the width gets a line of its own). max_lines > 0 cuts the text with "…" after that many
 * lines. Returns a layout the caller frees with textlayout_free, or NULL on allocation
 * failure. Empty text gives zero lines. Any thread (no shared state). */
struct textlayout *textlayout_create(const char *utf8, size_t len, int width, int max_lines,
                                     textlayout_measure_fn measure, void *ctx);
void textlayout_free(struct textlayout *tl);

/* Options for textlayout_create_flags. */
enum textlayout_flag {
    /* Titles and headings: break between phrases (ICU "ja@lb=strict;lw=phrase", so
     * 「点字体験講座／〜指で読む」 and not 「点字体験講座 〜指で読／む」), and between
     * characters only where one phrase is wider than the line. 禁則 holds as ever. */
    TEXTLAYOUT_PHRASE = 1u << 0,
};

/* textlayout_create with flags, a mask of enum textlayout_flag. */
struct textlayout *textlayout_create_flags(const char *utf8, size_t len, int width, int max_lines,
                                           unsigned flags, textlayout_measure_fn measure,
                                           void *ctx);

/* A run of the input no line break may split: the base of a group ruby (gfx/ruby.h). */
struct textlayout_keep {
    size_t off, len; /* bytes into the input */
};

/* textlayout_create_flags, with no break inside any of keep[0..n_keep) (honoured when cleaning
 * dropped nothing, so the offsets still hold; a run too wide for a line is still split). */
struct textlayout *textlayout_create_keep(const char *utf8, size_t len, int width, int max_lines,
                                          unsigned flags, textlayout_measure_fn measure, void *ctx,
                                          const struct textlayout_keep *keep, size_t n_keep);

/* Decodes one code point at s[*i] (i < len), advancing *i; returns -1 for a malformed
 * sequence after advancing past one byte, so callers can drop bad bytes and go on. */
int32_t textlayout_decode(const char *s, size_t len, size_t *i);

/* The 禁則 sets: a line may not start with `cp` / may not end with `cp`. */
bool textlayout_forbidden_at_start(uint32_t cp);
bool textlayout_forbidden_at_end(uint32_t cp);

#endif
