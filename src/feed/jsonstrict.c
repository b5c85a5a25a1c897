/* jsonstrict: see jsonstrict.h. The checker is a small state machine over the bytes with an
 * explicit stack of open containers; it copies the document as it goes (rewriting escaped
 * NULs), so cJSON parses a buffer that is NUL-terminated and known to be strict JSON. */
#include "feed/jsonstrict.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/utf8.h"

/* cJSON copies at most 63 characters of a number: a longer one would be misread. */
#define NUMBER_MAX_CHARS 63

struct scan {
    const unsigned char *in;
    size_t len;
    size_t pos;
    char *out;
    size_t n_out;
    const char *why;
    bool unsupported; /* valid JSON that cJSON cannot read faithfully */
};

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct scan *s)
{
    while (s->pos < s->len && is_ws(s->in[s->pos]))
        s->out[s->n_out++] = (char)s->in[s->pos++];
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits after "\u" at s->pos; -1 when they are not there. */
static long read_hex4(const struct scan *s, size_t at)
{
    long v = 0;
    if (s->len - at < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s->in[at + i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static bool fail(struct scan *s, const char *why)
{
    s->why = why;
    return false;
}

/* A string starting at the opening quote. */
static bool scan_string(struct scan *s)
{
    s->out[s->n_out++] = (char)s->in[s->pos++];
    for (;;) {
        unsigned char c;
        if (s->pos >= s->len)
            return fail(s, "unterminated string");
        c = s->in[s->pos];
        if (c == '"') {
            s->out[s->n_out++] = '"';
            s->pos++;
            return true;
        }
        if (c < 0x20)
            return fail(s, "control character in string");
        if (c != '\\') {
            s->out[s->n_out++] = (char)c;
            s->pos++;
            continue;
        }
        if (s->pos + 1 >= s->len)
            return fail(s, "unterminated string");
        c = s->in[s->pos + 1];
        if (strchr("\"\\/bfnrt", c) && c != '\0') {
            s->out[s->n_out++] = '\\';
            s->out[s->n_out++] = (char)c;
            s->pos += 2;
            continue;
        }
        if (c != 'u')
            return fail(s, "invalid escape in string");
        long cp = read_hex4(s, s->pos + 2);
        if (cp < 0)
            return fail(s, "invalid \\u escape");
        if (cp == 0) {
            /* cJSON would end the string here; leave a mark the caller can see */
            memcpy(s->out + s->n_out, JSON_STRICT_NUL_MARK, 2);
            s->n_out += 2;
            s->pos += 6;
            continue;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail(s, "lone low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo;
            if (s->len - s->pos < 12 || s->in[s->pos + 6] != '\\' || s->in[s->pos + 7] != 'u')
                return fail(s, "lone high surrogate in \\u escape");
            lo = read_hex4(s, s->pos + 8);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return fail(s, "lone high surrogate in \\u escape");
            memcpy(s->out + s->n_out, s->in + s->pos, 12);
            s->n_out += 12;
            s->pos += 12;
            continue;
        }
        memcpy(s->out + s->n_out, s->in + s->pos, 6);
        s->n_out += 6;
        s->pos += 6;
    }
}

static bool is_digit(const struct scan *s, size_t at)
{
    return at < s->len && s->in[at] >= '0' && s->in[at] <= '9';
}

static bool scan_number(struct scan *s)
{
    size_t p = s->pos;

    if (p < s->len && s->in[p] == '-')
        p++;
    if (!is_digit(s, p))
        return fail(s, "invalid number");
    if (s->in[p] == '0') {
        p++;
        if (is_digit(s, p))
            return fail(s, "number with a leading zero");
    } else {
        while (is_digit(s, p))
            p++;
    }
    if (p < s->len && s->in[p] == '.') {
        p++;
        if (!is_digit(s, p))
            return fail(s, "invalid number");
        while (is_digit(s, p))
            p++;
    }
    if (p < s->len && (s->in[p] == 'e' || s->in[p] == 'E')) {
        p++;
        if (p < s->len && (s->in[p] == '+' || s->in[p] == '-'))
            p++;
        if (!is_digit(s, p))
            return fail(s, "invalid number");
        while (is_digit(s, p))
            p++;
    }
    if (p - s->pos > NUMBER_MAX_CHARS) {
        s->unsupported = true;
        return fail(s, "number longer than 63 characters");
    }
    memcpy(s->out + s->n_out, s->in + s->pos, p - s->pos);
    s->n_out += p - s->pos;
    s->pos = p;
    return true;
}

static bool scan_literal(struct scan *s, const char *lit)
{
    size_t n = strlen(lit);
    if (s->len - s->pos < n || memcmp(s->in + s->pos, lit, n) != 0)
        return fail(s, "unexpected character");
    memcpy(s->out + s->n_out, lit, n);
    s->n_out += n;
    s->pos += n;
    return true;
}

/* The grammar without recursion: `stack` holds '[' or '{' for each open container. */
static bool scan_document(struct scan *s, const struct json_strict_limits *lim, char *stack)
{
    size_t depth = 0;
    size_t values = 0;
    bool want_value = true; /* else: after a value */

    skip_ws(s);
    if (s->pos >= s->len)
        return fail(s, "empty document");
    for (;;) {
        skip_ws(s);
        if (want_value) {
            unsigned char c;
            if (s->pos >= s->len)
                return fail(s, "unexpected end of document");
            if (++values > lim->max_values)
                return fail(s, "too many values");
            c = s->in[s->pos];
            if (c == '[' || c == '{') {
                if (depth >= lim->max_depth)
                    return fail(s, "nested too deeply");
                stack[depth++] = (char)c;
                s->out[s->n_out++] = (char)c;
                s->pos++;
                skip_ws(s);
                if (s->pos < s->len && s->in[s->pos] == (c == '[' ? ']' : '}')) {
                    s->out[s->n_out++] = (char)s->in[s->pos++];
                    depth--;
                    want_value = false;
                    continue;
                }
                if (c == '{') {
                    if (s->pos >= s->len || s->in[s->pos] != '"')
                        return fail(s, "expected a member name");
                    if (!scan_string(s))
                        return false;
                    skip_ws(s);
                    if (s->pos >= s->len || s->in[s->pos] != ':')
                        return fail(s, "expected ':'");
                    s->out[s->n_out++] = ':';
                    s->pos++;
                }
                continue;
            }
            if (c == '"') {
                if (!scan_string(s))
                    return false;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                if (!scan_number(s))
                    return false;
            } else if (c == 't') {
                if (!scan_literal(s, "true"))
                    return false;
            } else if (c == 'f') {
                if (!scan_literal(s, "false"))
                    return false;
            } else if (c == 'n') {
                if (!scan_literal(s, "null"))
                    return false;
            } else {
                return fail(s, "unexpected character");
            }
            want_value = false;
            continue;
        }
        if (depth == 0) {
            if (s->pos != s->len)
                return fail(s, "trailing data after the document");
            return true;
        }
        if (s->pos >= s->len)
            return fail(s, "unexpected end of document");
        unsigned char c = s->in[s->pos];
        char top = stack[depth - 1];
        if (c == (top == '[' ? ']' : '}')) {
            s->out[s->n_out++] = (char)c;
            s->pos++;
            depth--;
            continue;
        }
        if (c != ',')
            return fail(s, top == '[' ? "expected ',' or ']'" : "expected ',' or '}'");
        s->out[s->n_out++] = ',';
        s->pos++;
        if (top == '{') {
            skip_ws(s);
            if (s->pos >= s->len || s->in[s->pos] != '"')
                return fail(s, "expected a member name");
            if (!scan_string(s))
                return false;
            skip_ws(s);
            if (s->pos >= s->len || s->in[s->pos] != ':')
                return fail(s, "expected ':'");
            s->out[s->n_out++] = ':';
            s->pos++;
        }
        want_value = true;
    }
}

struct cJSON *json_strict_parse(const char *data, size_t len,
                                const struct json_strict_limits *lim, char *err,
                                size_t errlen)
{
    struct json_strict_limits def = {JSON_STRICT_MAX_DEPTH_DEFAULT,
                                     JSON_STRICT_MAX_VALUES_DEFAULT};
    struct scan s;
    char *stack = NULL;
    cJSON *root = NULL;
    const char *end = NULL;

    if (err && errlen)
        err[0] = '\0';
    if (!lim)
        lim = &def;
    memset(&s, 0, sizeof s);
    s.in = (const unsigned char *)(data ? data : "");
    s.len = data ? len : 0;
    if (s.len >= 3 && memcmp(s.in, "\xEF\xBB\xBF", 3) == 0)
        s.pos = 3;
    /* the copy is never longer than the input: "\u0000" (6 bytes) becomes 2 */
    s.out = malloc(s.len + 1);
    stack = malloc(lim->max_depth ? lim->max_depth : 1);
    if (!s.out || !stack) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (!scan_document(&s, lim, stack)) {
        snprintf(err, errlen, "%s JSON at byte %zu: %s", s.unsupported ? "unsupported" : "invalid",
                 s.pos, s.why);
        goto out;
    }
    s.out[s.n_out] = '\0';
    /* the length includes the NUL: with require_null_terminated, cJSON looks for it */
    root = cJSON_ParseWithLengthOpts(s.out, s.n_out + 1, &end, 1);
    if (!root) {
        snprintf(err, errlen, "invalid JSON: the parser refused it");
        goto out;
    }
    if (!end || end < s.out + s.n_out) {
        cJSON_Delete(root);
        root = NULL;
        snprintf(err, errlen, "invalid JSON: trailing data after the document");
        goto out;
    }
out:
    free(stack);
    free(s.out);
    return root;
}

const char *json_strict_string_problem(const char *s)
{
    if (strstr(s, JSON_STRICT_NUL_MARK))
        return "contains \\u0000";
    if (!utf8_valid(s, strlen(s)))
        return "invalid UTF-8";
    return NULL;
}
