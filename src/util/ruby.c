/* ruby: parsing `{BASE|READING}` (see ruby.h). One pass: the base and the readings are
 * copied out as the markup is read, so the result never holds more than the input. */
#include "util/ruby.h"

#include <stdlib.h>
#include <string.h>

bool ruby_has_markup(const char *utf8, size_t len)
{
    return utf8 && memchr(utf8, '{', len);
}

const char *ruby_find(const char *hay, size_t hlen, const char *needle, size_t n)
{
    if (n == 0 || n > hlen) {
        return NULL;
    }
    for (size_t i = 0; i + n <= hlen; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0) {
            return hay + i;
        }
    }
    return NULL;
}

void ruby_free(struct ruby_text *rt)
{
    if (!rt) {
        return;
    }
    free(rt->base);
    free(rt->readings);
    free(rt->spans);
    free(rt);
}

/* Bytes of the UTF-8 character starting at s[0] (1 for a stray byte). */
static size_t char_len(const char *s, size_t left)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return n <= left ? n : left;
}

static size_t count_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i += char_len(s + i, len - i)) {
        n++;
    }
    return n;
}

/* The span at s[0] == '{': on success the offsets of its bar(s) and closing brace. */
static bool span_at(const char *s, size_t left, size_t *bar, size_t *close, size_t *bars)
{
    *bar = 0;
    *bars = 0;
    for (size_t i = 1; i < left; i++) {
        if (s[i] == '{' || s[i] == '\n') {
            return false;
        }
        if (s[i] == '|') {
            if (*bar == 0) {
                *bar = i;
            }
            (*bars)++;
        } else if (s[i] == '}') {
            *close = i;
            return *bar > 1 && i > *bar + 1 && s[i - 1] != '|';
        }
    }
    return false;
}

/* Adds the readings of base b (bl bytes) from r (rl bytes, bars separating mono readings). */
static void add_span(struct ruby_text *rt, size_t *rpos, const char *b, size_t bl, const char *r,
                     size_t rl, size_t bars)
{
    size_t boff = rt->base_len;
    memcpy(rt->base + rt->base_len, b, bl);
    rt->base_len += bl;
    /* mono when there is one reading per base character; else one group reading (any
     * extra bars dropped, so a miscounted reading still reads whole) */
    bool mono = bars > 1 && count_chars(b, bl) == bars;
    size_t i = 0, bi = 0;
    while (i <= rl) {
        size_t j = i;
        while (j < rl && (r[j] != '|' || !mono)) {
            j++;
        }
        struct ruby_span *sp = &rt->spans[rt->n_spans++];
        sp->read_off = *rpos;
        sp->mono = mono;
        for (size_t k = i; k < j; k++) {
            if (r[k] != '|') {
                rt->readings[(*rpos)++] = r[k];
            }
        }
        sp->read_len = *rpos - sp->read_off;
        if (mono) {
            size_t cl = char_len(b + bi, bl - bi);
            sp->base_off = boff + bi;
            sp->base_len = cl;
            bi += cl;
        } else {
            sp->base_off = boff;
            sp->base_len = bl;
        }
        i = j + 1;
        if (!mono) {
            break;
        }
    }
}

struct ruby_text *ruby_parse(const char *utf8, size_t len)
{
    struct ruby_text *rt = calloc(1, sizeof *rt);
    if (!rt) {
        return NULL;
    }
    size_t n_open = 0;
    for (size_t i = 0; i < len; i++) {
        n_open += utf8[i] == '{';
    }
    rt->base = malloc(len + 1);
    rt->readings = malloc(len + 1);
    /* at most one span per byte of the input's spans */
    rt->spans = malloc((len + 1) * sizeof *rt->spans);
    if (!rt->base || !rt->readings || !rt->spans) {
        ruby_free(rt);
        return NULL;
    }
    size_t rpos = 0;
    for (size_t i = 0; i < len;) {
        size_t bar, close, bars;
        if (n_open > 0 && utf8[i] == '{' && span_at(utf8 + i, len - i, &bar, &close, &bars)) {
            add_span(rt, &rpos, utf8 + i + 1, bar - 1, utf8 + i + bar + 1, close - bar - 1, bars);
            i += close + 1;
            continue;
        }
        rt->base[rt->base_len++] = utf8[i++];
    }
    rt->base[rt->base_len] = '\0';
    rt->readings[rpos] = '\0';
    return rt;
}
