/* ruby: the reading markup of strings and feed text, `{漢字|かんじ}` (docs/feed.md).
 *
 * A span `{BASE|READING}` gives BASE a reading (furigana). Group ruby (JLReq 3.3) puts one
 * reading over the whole base: `{武蔵野|むさしの}`. Mono ruby gives each base character its
 * own: `{漢字|かん|じ}`, one reading per character, so a line may break between them as it
 * may between the characters. Anything that is not a well-formed span (no `|`, no closing
 * `}`, an empty base or reading, a nested `{`) stays as it was written, so a brace in a title
 * never loses text. This module only parses: it knows nothing of fonts or lines; gfx/ draws
 * the readings and textlayout keeps a group's base on one line; feed/ checks a title_ruby
 * against its title. Any thread. */
#ifndef KIOSK_UTIL_RUBY_H
#define KIOSK_UTIL_RUBY_H

#include <stdbool.h>
#include <stddef.h>

/* One reading over base[base_off .. base_off + base_len) of the parsed text. */
struct ruby_span {
    size_t base_off, base_len; /* bytes into ruby_text.base */
    size_t read_off, read_len; /* bytes into ruby_text.readings */
    bool mono;                 /* one span of a mono-ruby group (one base character) */
};

struct ruby_text {
    char *base; /* the text without markup, NUL-terminated */
    size_t base_len;
    char *readings; /* every reading, back to back, NUL-terminated */
    struct ruby_span *spans;
    size_t n_spans;
};

/* True when utf8[0..len) may hold markup (a `{`): plain text needs no parse. */
bool ruby_has_markup(const char *utf8, size_t len);

/* Parses utf8[0..len). Returns a text the caller frees with ruby_free, or NULL on allocation
 * failure. Text without markup gives itself as base and no spans. */
struct ruby_text *ruby_parse(const char *utf8, size_t len);
void ruby_free(struct ruby_text *rt);

/* The first n bytes of needle in hay[0..hlen), or NULL: where a base is on a laid-out line. */
const char *ruby_find(const char *hay, size_t hlen, const char *needle, size_t n);

#endif
