/* utf8: checks and cleans untrusted text.
 *
 * cJSON accepts invalid UTF-8 and stops at an escaped NUL, so every string from outside
 * passes through here before it reaches the model or the screen. */
#ifndef KIOSK_UTIL_UTF8_H
#define KIOSK_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF) and contains no NUL. */
bool utf8_valid(const char *s, size_t len);

/* A heap copy of valid UTF-8 `s` with control characters removed (tab and CR become a
 * space, '\n' is kept only when keep_newlines), cut at a character boundary to at most
 * max_bytes. NULL on allocation failure. */
char *utf8_sanitize(const char *s, size_t max_bytes, bool keep_newlines);

/* utf8_sanitize() into a caller's buffer: reads s[0..len), writes at most max_bytes bytes
 * plus a NUL to dst (which must hold min(len, max_bytes) + 1 bytes) and returns the length
 * written. CRLF counts as one '\n'; U+2028/U+2029 are line breaks too. */
size_t utf8_sanitize_buf(const char *s, size_t len, char *dst, size_t max_bytes,
                         bool keep_newlines);

/* True when `cp` draws no ink in any font: controls, every kind of space (White_Space),
 * format characters (Cf) and the other default-ignorable code points, variation selectors
 * and tags, the blank Braille pattern, the Hangul fillers, private-use code points and
 * noncharacters (which the kiosk's fonts do not have, so gfx drops them). */
bool utf8_cp_invisible(int32_t cp);

/* True when valid UTF-8 s[0..len) holds at least one character that draws ink, so a text
 * that must be read (an announcement, a title) is never blank on screen. */
bool utf8_has_visible(const char *s, size_t len);

/* Decodes one code point at *s (advancing it), or returns -1 on malformed input. */
int32_t utf8_next(const char **s, const char *end);

#endif
