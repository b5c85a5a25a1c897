/* rubymark: finding `{base|reading}` in text (see rubymark.h). */
#include "util/rubymark.h"

#include <stdlib.h>
#include <string.h>

bool rubymark_at(const char *s, size_t len, size_t pos, size_t *base, size_t *blen, size_t *reading,
                 size_t *rlen, size_t *end)
{
    size_t i, bar = 0;

    if (pos >= len || s[pos] != '{') {
        return false;
    }
    for (i = pos + 1; i < len; i++) {
        char c = s[i];

        if (c == '{' || c == '\n') {
            return false;
        }
        if (c == '|') {
            if (bar) {
                return false;
            }
            bar = i;
        } else if (c == '}') {
            break;
        }
    }
    if (i >= len || !bar || bar == pos + 1 || i == bar + 1) {
        return false;
    }
    *base = pos + 1;
    *blen = bar - pos - 1;
    *reading = bar + 1;
    *rlen = i - bar - 1;
    *end = i + 1;
    return true;
}

bool rubymark_has(const char *s, size_t len)
{
    size_t b, bl, r, rl, e;
    const char *p = s;

    while ((p = memchr(p, '{', len - (size_t)(p - s)))) {
        if (rubymark_at(s, len, (size_t)(p - s), &b, &bl, &r, &rl, &e)) {
            return true;
        }
        p++;
    }
    return false;
}

char *rubymark_strip(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    size_t i = 0, o = 0, b, bl, r, rl, e;

    if (!out) {
        return NULL;
    }
    while (i < len) {
        if (s[i] == '{' && rubymark_at(s, len, i, &b, &bl, &r, &rl, &e)) {
            memcpy(out + o, s + b, bl);
            o += bl;
            i = e;
            continue;
        }
        out[o++] = s[i++];
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}
