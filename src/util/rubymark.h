/* rubymark: the reading markup of UI strings and feed text, `{漢字|かんじ}`.
 *
 * A base and its reading (furigana) are written `{base|reading}`; text that is not exactly
 * that shape (a lone brace, an empty part, a nested brace or a line break inside) is plain
 * text and stays as it is. This module only finds the markup; drawing ruby is gfx's job,
 * and where ruby is not drawn the base text alone is shown. Any thread. */
#ifndef KIOSK_UTIL_RUBYMARK_H
#define KIOSK_UTIL_RUBYMARK_H

#include <stdbool.h>
#include <stddef.h>

/* Whether s[pos..len) starts a `{base|reading}`; if so, *base / *blen and *reading / *rlen
 * point into s and *end is the offset past the closing brace. */
bool rubymark_at(const char *s, size_t len, size_t pos, size_t *base, size_t *blen, size_t *reading,
                 size_t *rlen, size_t *end);

/* A heap copy of s[0..len) with every `{base|reading}` replaced by its base, NUL-terminated,
 * its length in *out_len; NULL when memory runs out. The caller frees. */
char *rubymark_strip(const char *s, size_t len, size_t *out_len);

/* Whether s holds any reading markup. */
bool rubymark_has(const char *s, size_t len);

#endif
