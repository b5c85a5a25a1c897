/* jsonstrict: see jsonstrict.h. The checker is a small state machine over the bytes with an
 * explicit stack of open containers; it copies the document as it goes (rewriting escaped
 * NULs), so cJSON parses a buffer that is NUL-terminated and known to be strict JSON. */
#include "util/jsonstrict.h"

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
    bool unsupported;  /* valid JSON that cJSON cannot read faithfully */
    size_t n_nul;      /* escaped NULs seen */
    size_t n_bad_utf8; /* runs of string bytes that are not well-formed UTF-8 */
};

/* The copy is written only on the second pass, when the document holds an escaped NUL. */
static void emitn(struct scan *s, const void *p, size_t n)
{
    if (s->out) {
        memcpy(s->out + s->n_out, p, n);
    }
    s->n_out += n;
}

static void emit(struct scan *s, unsigned char c)
{
    if (s->out) {
        s->out[s->n_out] = (char)c;
    }
    s->n_out++;
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct scan *s)
{
    while (s->pos < s->len && is_ws(s->in[s->pos])) {
        emit(s, s->in[s->pos++]);
    }
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Reads the 4 hex digits after "\u" at s->pos; -1 when they are not there. */
static long read_hex4(const struct scan *s, size_t at)
{
    long v = 0;
    if (s->len - at < 4) {
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        int h = hexval(s->in[at + i]);
        if (h < 0) {
            return -1;
        }
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
    emit(s, s->in[s->pos++]);
    for (;;) {
        unsigned char c;
        if (s->pos >= s->len) {
            return fail(s, "unterminated string");
        }
        c = s->in[s->pos];
        if (c == '"') {
            emit(s, '"');
            s->pos++;
            return true;
        }
        if (c < 0x20) {
            return fail(s, "control character in string");
        }
        if (c != '\\') {
            /* a run of plain bytes in one go; its UTF-8 is judged here so that callers can
             * skip checking every string again when the whole document is clean */
            size_t q = s->pos + 1;
            unsigned char any = c;
            /* OR-ing the bytes tells whether any is >= 0x80 without a branch a byte */
            while (q < s->len && s->in[q] != '"' && s->in[q] != '\\' && s->in[q] >= 0x20) {
                any |= s->in[q];
                q++;
            }
            bool high = (any & 0x80) != 0;
            if (high && !utf8_valid((const char *)s->in + s->pos, q - s->pos)) {
                s->n_bad_utf8++;
            }
            emitn(s, s->in + s->pos, q - s->pos);
            s->pos = q;
            continue;
        }
        if (s->pos + 1 >= s->len) {
            return fail(s, "unterminated string");
        }
        c = s->in[s->pos + 1];
        if (strchr("\"\\/bfnrt", c) && c != '\0') {
            emit(s, '\\');
            emit(s, c);
            s->pos += 2;
            continue;
        }
        if (c != 'u') {
            return fail(s, "invalid escape in string");
        }
        long cp = read_hex4(s, s->pos + 2);
        if (cp < 0) {
            return fail(s, "invalid \\u escape");
        }
        if (cp == 0) {
            /* cJSON would end the string here; leave a mark the caller can see */
            emitn(s, JSON_STRICT_NUL_MARK, 2);
            s->n_nul++;
            s->pos += 6;
            continue;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail(s, "lone low surrogate in \\u escape");
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo;
            if (s->len - s->pos < 12 || s->in[s->pos + 6] != '\\' || s->in[s->pos + 7] != 'u') {
                return fail(s, "lone high surrogate in \\u escape");
            }
            lo = read_hex4(s, s->pos + 8);
            if (lo < 0xDC00 || lo > 0xDFFF) {
                return fail(s, "lone high surrogate in \\u escape");
            }
            emitn(s, s->in + s->pos, 12);
            s->pos += 12;
            continue;
        }
        emitn(s, s->in + s->pos, 6);
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

    if (p < s->len && s->in[p] == '-') {
        p++;
    }
    if (!is_digit(s, p)) {
        return fail(s, "invalid number");
    }
    if (s->in[p] == '0') {
        p++;
        if (is_digit(s, p)) {
            return fail(s, "number with a leading zero");
        }
    } else {
        while (is_digit(s, p)) {
            p++;
        }
    }
    if (p < s->len && s->in[p] == '.') {
        p++;
        if (!is_digit(s, p)) {
            return fail(s, "invalid number");
        }
        while (is_digit(s, p)) {
            p++;
        }
    }
    if (p < s->len && (s->in[p] == 'e' || s->in[p] == 'E')) {
        p++;
        if (p < s->len && (s->in[p] == '+' || s->in[p] == '-')) {
            p++;
        }
        if (!is_digit(s, p)) {
            return fail(s, "invalid number");
        }
        while (is_digit(s, p)) {
            p++;
        }
    }
    if (p - s->pos > NUMBER_MAX_CHARS) {
        s->unsupported = true;
        return fail(s, "number longer than 63 characters");
    }
    emitn(s, s->in + s->pos, p - s->pos);
    s->pos = p;
    return true;
}

static bool scan_literal(struct scan *s, const char *lit)
{
    size_t n = strlen(lit);
    if (s->len - s->pos < n || memcmp(s->in + s->pos, lit, n) != 0) {
        return fail(s, "unexpected character");
    }
    emitn(s, lit, n);
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
    if (s->pos >= s->len) {
        return fail(s, "empty document");
    }
    for (;;) {
        skip_ws(s);
        if (want_value) {
            unsigned char c;
            if (s->pos >= s->len) {
                return fail(s, "unexpected end of document");
            }
            if (++values > lim->max_values) {
                return fail(s, "too many values");
            }
            c = s->in[s->pos];
            if (c == '[' || c == '{') {
                if (depth >= lim->max_depth) {
                    return fail(s, "nested too deeply");
                }
                stack[depth++] = (char)c;
                emit(s, c);
                s->pos++;
                skip_ws(s);
                if (s->pos < s->len && s->in[s->pos] == (c == '[' ? ']' : '}')) {
                    emit(s, s->in[s->pos++]);
                    depth--;
                    want_value = false;
                    continue;
                }
                if (c == '{') {
                    if (s->pos >= s->len || s->in[s->pos] != '"') {
                        return fail(s, "expected a member name");
                    }
                    if (!scan_string(s)) {
                        return false;
                    }
                    skip_ws(s);
                    if (s->pos >= s->len || s->in[s->pos] != ':') {
                        return fail(s, "expected ':'");
                    }
                    emit(s, ':');
                    s->pos++;
                }
                continue;
            }
            if (c == '"') {
                if (!scan_string(s)) {
                    return false;
                }
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                if (!scan_number(s)) {
                    return false;
                }
            } else if (c == 't') {
                if (!scan_literal(s, "true")) {
                    return false;
                }
            } else if (c == 'f') {
                if (!scan_literal(s, "false")) {
                    return false;
                }
            } else if (c == 'n') {
                if (!scan_literal(s, "null")) {
                    return false;
                }
            } else {
                return fail(s, "unexpected character");
            }
            want_value = false;
            continue;
        }
        if (depth == 0) {
            if (s->pos != s->len) {
                return fail(s, "trailing data after the document");
            }
            return true;
        }
        if (s->pos >= s->len) {
            return fail(s, "unexpected end of document");
        }
        unsigned char c = s->in[s->pos];
        char top = stack[depth - 1];
        if (c == (top == '[' ? ']' : '}')) {
            emit(s, c);
            s->pos++;
            depth--;
            continue;
        }
        if (c != ',') {
            return fail(s, top == '[' ? "expected ',' or ']'" : "expected ',' or '}'");
        }
        emit(s, ',');
        s->pos++;
        if (top == '{') {
            skip_ws(s);
            if (s->pos >= s->len || s->in[s->pos] != '"') {
                return fail(s, "expected a member name");
            }
            if (!scan_string(s)) {
                return false;
            }
            skip_ws(s);
            if (s->pos >= s->len || s->in[s->pos] != ':') {
                return fail(s, "expected ':'");
            }
            emit(s, ':');
            s->pos++;
        }
        want_value = true;
    }
}

static bool only_ws(const char *p, const char *end)
{
    for (; p < end; p++) {
        if (!is_ws((unsigned char)*p)) {
            return false;
        }
    }
    return true;
}

struct cJSON *json_strict_parse(const char *data, size_t len, const struct json_strict_limits *lim,
                                char *err, size_t errlen)
{
    return json_strict_parse_ex(data, len, lim, NULL, err, errlen);
}

struct cJSON *json_strict_parse_ex(const char *data, size_t len,
                                   const struct json_strict_limits *lim, bool *strings_clean,
                                   char *err, size_t errlen)
{
    struct json_strict_limits def = {JSON_STRICT_MAX_DEPTH_DEFAULT, JSON_STRICT_MAX_VALUES_DEFAULT};
    struct scan s;
    char *stack = NULL;
    char *copy = NULL;
    cJSON *root = NULL;
    const char *end = NULL;
    size_t start = 0;

    if (err && errlen) {
        err[0] = '\0';
    }
    if (!lim) {
        lim = &def;
    }
    memset(&s, 0, sizeof s);
    s.in = (const unsigned char *)(data ? data : "");
    s.len = data ? len : 0;
    if (s.len >= 3 && memcmp(s.in, "\xEF\xBB\xBF", 3) == 0) {
        start = 3;
    }
    s.pos = start;
    stack = malloc(lim->max_depth ? lim->max_depth : 1);
    if (!stack) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (!scan_document(&s, lim, stack)) {
        snprintf(err, errlen, "%s JSON at byte %zu: %s", s.unsupported ? "unsupported" : "invalid",
                 s.pos, s.why);
        goto out;
    }
    if (s.n_nul == 0) {
        /* the common case: cJSON reads the caller's bytes, bounded by the length (no copy,
         * so a large feed costs its tree and nothing more); the grammar is already proven,
         * and `end` is checked again all the same */
        root = cJSON_ParseWithLengthOpts((const char *)s.in + start, s.len - start, &end, 0);
        if (root && (!end || !only_ws(end, (const char *)s.in + s.len))) {
            cJSON_Delete(root);
            root = NULL;
            snprintf(err, errlen, "invalid JSON: trailing data after the document");
            goto out;
        }
    } else {
        /* a second pass writes a copy with each escaped NUL replaced by a visible mark; the
         * copy is never longer than the input ("\u0000", 6 bytes, becomes 2) */
        copy = malloc(s.len + 1);
        if (!copy) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        s.out = copy;
        s.pos = start;
        s.n_out = 0;
        if (!scan_document(&s, lim, stack)) {
            snprintf(err, errlen, "invalid JSON at byte %zu: %s", s.pos, s.why);
            goto out;
        }
        copy[s.n_out] = '\0';
        /* with require_null_terminated the length must include the NUL cJSON looks for */
        root = cJSON_ParseWithLengthOpts(copy, s.n_out + 1, &end, 1);
        if (root && (!end || end < copy + s.n_out)) {
            cJSON_Delete(root);
            root = NULL;
            snprintf(err, errlen, "invalid JSON: trailing data after the document");
            goto out;
        }
    }
    if (!root) {
        snprintf(err, errlen, "invalid JSON: the parser refused it");
    }
    if (strings_clean) {
        *strings_clean = s.n_nul == 0 && s.n_bad_utf8 == 0;
    }
out:
    free(stack);
    free(copy);
    return root;
}

const char *json_strict_string_problem(const char *s)
{
    if (strstr(s, JSON_STRICT_NUL_MARK)) {
        return "contains \\u0000";
    }
    if (!utf8_valid(s, strlen(s))) {
        return "invalid UTF-8";
    }
    return NULL;
}
