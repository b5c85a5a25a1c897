/* utf8: checks and cleans untrusted text.
 *
 * Every string that reaches the model comes from outside (a city's CMS, an admin's POST) and
 * is shown on a public screen, so it is checked twice: utf8_valid() rejects anything that is
 * not well-formed UTF-8 (overlongs, surrogates, values past U+10FFFF, NUL), and
 * utf8_sanitize() removes what must never be drawn: C0 and C1 controls, DEL, the bidi
 * overrides and isolates that can make a line read backwards, and byte order marks. It cuts
 * long text at a character boundary. It does not normalise (NFC) or judge glyph coverage:
 * that is gfx/'s business. */
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

int32_t utf8_next(const char **s, const char *end)
{
    const unsigned char *p = (const unsigned char *)*s;
    const unsigned char *e = (const unsigned char *)end;
    int32_t cp;
    int need;
    int32_t min;

    if (p >= e) {
        return -1;
    }
    if (p[0] < 0x80) {
        *s = (const char *)(p + 1);
        return p[0];
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        need = 1;
        cp = p[0] & 0x1F;
        min = 0x80;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        need = 2;
        cp = p[0] & 0x0F;
        min = 0x800;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        need = 3;
        cp = p[0] & 0x07;
        min = 0x10000;
    } else {
        /* 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF never start a character */
        *s = (const char *)(p + 1);
        return -1;
    }
    if (e - p <= need) {
        *s = (const char *)(p + 1);
        return -1;
    }
    for (int i = 1; i <= need; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = (const char *)(p + 1);
            return -1;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *s = (const char *)(p + 1);
        return -1;
    }
    *s = (const char *)(p + need + 1);
    return cp;
}

bool utf8_valid(const char *s, size_t len)
{
    const char *end = s + len;

    while (s < end) {
        /* ASCII runs are the common case in ids and URLs: skip them quickly */
        if ((unsigned char)*s < 0x80) {
            if (*s == '\0') {
                return false;
            }
            s++;
            continue;
        }
        if (utf8_next(&s, end) < 0) {
            return false;
        }
    }
    return true;
}

/* Code points that are removed outright: they are invisible at best and, for the bidi
 * controls, can make a public notice read differently from what was sent. */
static bool is_stripped(int32_t cp)
{
    if (cp < 0x20 || cp == 0x7F) {
        return true;
    }
    if (cp >= 0x80 && cp <= 0x9F) {
        return true;
    }
    if (cp >= 0x202A && cp <= 0x202E) {
        return true;
    }
    if (cp >= 0x2066 && cp <= 0x2069) {
        return true;
    }
    return cp == 0xFEFF;
}

size_t utf8_sanitize_buf(const char *s, size_t len, char *dst, size_t max_bytes, bool keep_newlines)
{
    const char *end = s + len;
    size_t n = 0;

    while (s < end) {
        const char *start = s;
        unsigned char c0 = (unsigned char)*s;
        if (c0 >= 0x20 && c0 < 0x7F) {
            /* printable ASCII needs no decoding: copy the whole run */
            const char *r = s + 1;
            size_t run;
            while (r < end && (unsigned char)*r >= 0x20 && (unsigned char)*r < 0x7F) {
                r++;
            }
            run = (size_t)(r - s);
            if (run > max_bytes - n) {
                run = max_bytes - n;
            }
            memcpy(dst + n, s, run);
            n += run;
            if (s + run < r) {
                break; /* full */
            }
            s = r;
            continue;
        }
        if (c0 >= 0xE3 && c0 <= 0xEE && c0 != 0xED && end - s >= 3 &&
            ((unsigned char)s[1] & 0xC0) == 0x80 && ((unsigned char)s[2] & 0xC0) == 0x80) {
            /* U+3000..U+EFFF (kana, kanji, full-width forms: most of a Japanese feed) holds
             * nothing to strip and no surrogates (ED): copy without decoding. */
            if (n + 3 > max_bytes) {
                break;
            }
            memcpy(dst + n, s, 3);
            n += 3;
            s += 3;
            continue;
        }
        int32_t cp = utf8_next(&s, end);
        size_t clen = (size_t)(s - start);
        char repl = 0;

        if (cp < 0) {
            continue; /* callers validate first; skip a stray byte rather than copy it */
        }
        if (cp == '\r' && s < end && *s == '\n') {
            continue; /* CRLF is one line break */
        }
        if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
            repl = keep_newlines ? '\n' : ' ';
        } else if (cp == '\t' || cp == '\r') {
            repl = ' ';
        } else if (is_stripped(cp)) {
            continue;
        }
        if (repl) {
            if (n + 1 > max_bytes) {
                break;
            }
            dst[n++] = repl;
            continue;
        }
        if (n + clen > max_bytes) {
            break;
        }
        for (size_t i = 0; i < clen; i++) {
            dst[n++] = start[i];
        }
    }
    dst[n] = '\0';
    return n;
}

char *utf8_sanitize(const char *s, size_t max_bytes, bool keep_newlines)
{
    size_t len = strlen(s);
    /* the result is never longer than the input: every replacement is shorter or equal */
    size_t cap = len < max_bytes ? len : max_bytes;
    char *out = malloc(cap + 1);

    if (!out) {
        return NULL;
    }
    utf8_sanitize_buf(s, len, out, max_bytes, keep_newlines);
    return out;
}

/* Ranges of code points that draw nothing, sorted. Sources: Unicode's White_Space,
 * Default_Ignorable_Code_Point and general category Cf and Co (PropList.txt,
 * DerivedCoreProperties.txt), plus U+2800 (blank Braille) and noncharacters. */
static const struct {
    int32_t lo, hi;
} invisible_ranges[] = {
    {0x0000, 0x0020},    {0x007F, 0x00A0},   {0x00AD, 0x00AD},   {0x034F, 0x034F},
    {0x0600, 0x0605},    {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},
    {0x0890, 0x0891},    {0x08E2, 0x08E2},   {0x115F, 0x1160},   {0x1680, 0x1680},
    {0x17B4, 0x17B5},    {0x180B, 0x180F},   {0x2000, 0x200F},   {0x2028, 0x202F},
    {0x205F, 0x206F},    {0x2800, 0x2800},   {0x3000, 0x3000},   {0x3164, 0x3164},
    {0xE000, 0xF8FF},    {0xFDD0, 0xFDEF},   {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},
    {0xFFA0, 0xFFA0},    {0xFFF0, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
    {0x13430, 0x1343F},  {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
    {0xF0000, 0x10FFFF},
};

bool utf8_cp_invisible(int32_t cp)
{
    size_t lo = 0, hi = sizeof invisible_ranges / sizeof invisible_ranges[0];

    if ((cp & 0xFFFE) == 0xFFFE) {
        return true; /* U+xFFFE and U+xFFFF are noncharacters in every plane */
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < invisible_ranges[mid].lo) {
            hi = mid;
        } else if (cp > invisible_ranges[mid].hi) {
            lo = mid + 1;
        } else {
            return true;
        }
    }
    return false;
}

bool utf8_has_visible(const char *s, size_t len)
{
    const char *end = s + len;

    while (s < end) {
        int32_t cp = utf8_next(&s, end);
        if (cp >= 0 && !utf8_cp_invisible(cp)) {
            return true;
        }
    }
    return false;
}
