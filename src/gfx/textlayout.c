/* textlayout: greedy line filling over ICU break opportunities, with our own 禁則 filter.
 *
 * The text is first cleaned into a private copy (bad bytes and control characters dropped,
 * CR LF folded, trailing blanks trimmed), so every line is a byte range of valid UTF-8.
 * Each paragraph (text between '\n') is converted to UTF-16 for ICU; break opportunities
 * are taken lazily from the line iterator and filtered (see accept_break), and a line takes
 * the farthest opportunity whose text still fits. Measuring is the caller's business; we
 * only ever measure a line's own bytes, so kerning and font fallback are whatever the
 * caller does when drawing. With a line limit we stop as soon as we know more text
 * follows, so a long description in a three-line box costs three lines of work. */
#include "gfx/textlayout.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utypes.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 … */
#define ELLIPSIS_LEN 3

struct tl_cand {
    size_t b; /* break: the next line starts here */
    size_t e; /* end of this line's text, blanks trimmed */
};

struct tl_state {
    const char *t; /* cleaned text */
    int width;
    int max_lines;
    textlayout_measure_fn measure;
    void *mctx;

    struct textlayout_line *lines;
    size_t n_lines;
    size_t cap_lines;
    bool more; /* text remains after max_lines */
    bool oom;

    /* the current paragraph, for ICU */
    size_t ps, pe;
    UChar *u16;
    int32_t *u2b; /* UTF-16 index -> byte offset in t */
    int32_t *b2u; /* byte offset - ps -> UTF-16 index (at code point starts) */
    size_t cap_u16, cap_b;
    UBreakIterator *lb; /* line breaks; NULL when ICU failed: break anywhere */
    UBreakIterator *cb; /* graphemes; NULL when ICU failed: code points */
    UBreakIterator *pb; /* phrases (TEXTLAYOUT_PHRASE), or NULL: lines break at lb only */

    struct tl_cand *cands; /* fill_line's candidate line ends */
    size_t n_cands, cap_cands;

    const struct textlayout_keep *keep; /* runs no break may split (ruby bases) */
    size_t n_keep;
};

static bool inside_keep(const struct tl_state *st, size_t b)
{
    for (size_t i = 0; i < st->n_keep; i++) {
        if (b > st->keep[i].off && b < st->keep[i].off + st->keep[i].len) {
            return true;
        }
    }
    return false;
}

int32_t textlayout_decode(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = *i;
    unsigned c = p[k];
    int32_t cp;
    size_t n, j;
    int32_t min;

    if (c < 0x80) {
        *i = k + 1;
        return (int32_t)c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = (int32_t)(c & 0x1F);
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = (int32_t)(c & 0x0F);
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = (int32_t)(c & 0x07);
        min = 0x10000;
    } else {
        *i = k + 1;
        return -1;
    }
    if (len - k <= n) {
        *i = k + 1;
        return -1;
    }
    for (j = 1; j <= n; j++) {
        if ((p[k + j] & 0xC0) != 0x80) {
            *i = k + 1;
            return -1;
        }
        cp = (cp << 6) | (int32_t)(p[k + j] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *i = k + 1;
        return -1;
    }
    *i = k + n + 1;
    return cp;
}

bool textlayout_forbidden_at_start(uint32_t cp)
{
    /* The list (、。，．」）』】〉》・ー？！ and small kana) plus their relatives:
     * other closing brackets, iteration marks, full- and half-width forms. */
    static const uint32_t set[] = {
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x300D, 0xFF09, 0x300F, 0x3011, 0x3009, 0x300B, 0x30FB,
        0x30FC, 0xFF1F, 0xFF01, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
        0x3087, 0x308E, 0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3,
        0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6, 0x3015, 0x3017, 0x3019, 0x301B, 0x301F, 0xFF3D,
        0xFF5D, 0xFF60, 0x2019, 0x201D, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x3005, 0x303B, 0x30A0,
        0x301C, 0xFF5E, 0xFF1A, 0xFF1B, 0xFF61, 0xFF63, 0xFF64, 0xFF65, 0xFF70, 0x2026, 0x2025,
        ')',    ']',    '}',    ',',    '.',    ':',    ';',    '!',    '?',
    };
    size_t i;

    if (cp >= 0x31F0 && cp <= 0x31FF) { /* small katakana extension ㇰ..ㇿ */
        return true;
    }
    for (i = 0; i < sizeof set / sizeof set[0]; i++) {
        if (set[i] == cp) {
            return true;
        }
    }
    return false;
}

bool textlayout_forbidden_at_end(uint32_t cp)
{
    static const uint32_t set[] = {
        0x300C, 0xFF08, 0x300E, 0x3010, 0x3008, 0x300A, 0x3014, 0x3016, 0x3018, 0x301A,
        0x301D, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62, 0x2018, 0x201C, '(',    '[',    '{',
    };
    size_t i;

    for (i = 0; i < sizeof set / sizeof set[0]; i++) {
        if (set[i] == cp) {
            return true;
        }
    }
    return false;
}

static bool is_blank(int32_t cp)
{
    return cp == ' ' || cp == 0x3000;
}

/* Letters, digits and punctuation of alphabetic scripts: a break between two of them would
 * split a word or a URL, which we only do when nothing else fits. */
static bool is_latinish(int32_t cp)
{
    return cp > ' ' && cp < 0x2000 && cp != 0x7F;
}

static bool is_digit(int32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* Han, kana and Hangul: after a digit, the counter or unit of a number (2階, 120名, 5日,
 * 3층, 2楼), which a line must not part from its number. */
static bool is_counter(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF);
}

/* Appends the cleaned text to out (which has room for len + 1 bytes); returns its length. */
static size_t clean_text(const char *s, size_t len, char *out)
{
    size_t i = 0, o = 0, start;
    int32_t cp;

    while (i < len) {
        start = i;
        cp = textlayout_decode(s, len, &i);
        if (cp < 0) {
            continue;
        }
        if (cp == '\r') {
            if (i < len && s[i] == '\n') {
                continue;
            }
            out[o++] = '\n';
            continue;
        }
        if (cp == '\t') {
            out[o++] = ' ';
            continue;
        }
        if (cp == 0x2028 || cp == 0x2029) {
            out[o++] = '\n';
            continue;
        }
        if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFEFF) {
            continue;
        }
        memcpy(out + o, s + start, i - start);
        o += i - start;
    }
    /* Trailing blanks and newlines would only make empty lines or a needless cut. */
    while (o > 0) {
        if (out[o - 1] == ' ' || out[o - 1] == '\n') {
            o--;
        } else if (o >= 3 && memcmp(out + o - 3, "\xe3\x80\x80", 3) == 0) {
            o -= 3;
        } else {
            break;
        }
    }
    out[o] = '\0';
    return o;
}

static int32_t cp_at(const struct tl_state *st, size_t pos)
{
    size_t i = pos;

    if (pos >= st->pe) {
        return -1;
    }
    return textlayout_decode(st->t, st->pe, &i);
}

static size_t prev_start(const struct tl_state *st, size_t pos)
{
    if (pos <= st->ps) {
        return st->ps;
    }
    pos--;
    while (pos > st->ps && ((unsigned char)st->t[pos] & 0xC0) == 0x80) {
        pos--;
    }
    return pos;
}

static int32_t cp_before(const struct tl_state *st, size_t pos)
{
    if (pos <= st->ps) {
        return -1;
    }
    return cp_at(st, prev_start(st, pos));
}

static size_t next_start(const struct tl_state *st, size_t pos)
{
    size_t i = pos;

    if (pos >= st->pe) {
        return st->pe;
    }
    (void)textlayout_decode(st->t, st->pe, &i);
    return i;
}

static size_t skip_blanks(const struct tl_state *st, size_t pos)
{
    while (pos < st->pe && is_blank(cp_at(st, pos))) {
        pos = next_start(st, pos);
    }
    return pos;
}

static size_t trim_blanks(const struct tl_state *st, size_t from, size_t end)
{
    while (end > from && is_blank(cp_before(st, end))) {
        end = prev_start(st, end);
    }
    return end;
}

static int measure(struct tl_state *st, size_t from, size_t end)
{
    int w;

    if (end <= from) {
        return 0;
    }
    w = st->measure(st->mctx, st->t + from, end - from);
    return w < 0 ? 0 : w;
}

/* Our 禁則 on top of ICU's: look through blanks, since a wrapped line drops them. */
static bool accept_break(const struct tl_state *st, size_t b)
{
    size_t after;
    int32_t prev, next;

    if (b >= st->pe) {
        return true;
    }
    if (b <= st->ps || inside_keep(st, b)) {
        return false;
    }
    if (is_latinish(cp_before(st, b)) && is_latinish(cp_at(st, b))) {
        return false;
    }
    /* ICU breaks between a number and an ideograph: 「2／階」 reads as two things */
    if (is_digit(cp_before(st, b)) && is_counter(cp_at(st, b))) {
        return false;
    }
    after = skip_blanks(st, b);
    if (after >= st->pe) {
        return true;
    }
    next = cp_at(st, after);
    if (next >= 0 && textlayout_forbidden_at_start((uint32_t)next)) {
        return false;
    }
    prev = cp_before(st, trim_blanks(st, st->ps, b));
    if (prev >= 0 && textlayout_forbidden_at_end((uint32_t)prev)) {
        return false;
    }
    return true;
}

/* The next raw boundary after pos from an iterator, or the next code point without one. */
static size_t iter_following(const struct tl_state *st, UBreakIterator *it, size_t pos)
{
    int32_t u;

    if (pos >= st->pe) {
        return st->pe;
    }
    if (!it) {
        return next_start(st, pos);
    }
    u = ubrk_following(it, st->b2u[pos - st->ps]);
    if (u == UBRK_DONE) {
        return st->pe;
    }
    return (size_t)st->u2b[u];
}

static size_t iter_preceding(const struct tl_state *st, UBreakIterator *it, size_t pos)
{
    int32_t u;

    if (pos <= st->ps) {
        return st->ps;
    }
    if (!it) {
        return prev_start(st, pos);
    }
    u = ubrk_preceding(it, st->b2u[pos - st->ps]);
    if (u == UBRK_DONE) {
        return st->ps;
    }
    return (size_t)st->u2b[u];
}

static size_t next_break(const struct tl_state *st, UBreakIterator *it, size_t pos)
{
    size_t b = pos;

    do {
        b = iter_following(st, it, b);
    } while (b < st->pe && !accept_break(st, b));
    return b;
}

static bool push_line(struct tl_state *st, size_t off, size_t end, int width)
{
    struct textlayout_line *v;
    size_t cap;

    if (st->n_lines == st->cap_lines) {
        cap = st->cap_lines ? st->cap_lines * 2 : 8;
        v = realloc(st->lines, cap * sizeof *v);
        if (!v) {
            st->oom = true;
            return false;
        }
        st->lines = v;
        st->cap_lines = cap;
    }
    st->lines[st->n_lines].off = off;
    st->lines[st->n_lines].len = end - off;
    st->lines[st->n_lines].width = width;
    st->n_lines++;
    return true;
}

/* Loads paragraph [ps, pe) into the UTF-16 buffers and the iterators. */
/* Points an iterator at the paragraph; one that fails is closed and left NULL. */
static void set_text(UBreakIterator **it, const UChar *u16, int32_t n)
{
    UErrorCode err = U_ZERO_ERROR;

    if (!*it) {
        return;
    }
    ubrk_setText(*it, u16, n, &err);
    if (U_FAILURE(err)) {
        ubrk_close(*it);
        *it = NULL;
    }
}

static bool load_paragraph(struct tl_state *st, size_t ps, size_t pe)
{
    size_t nb = pe - ps, i = ps, u = 0, start;
    int32_t cp;

    st->ps = ps;
    st->pe = pe;
    if (nb + 1 > st->cap_b || nb + 1 > st->cap_u16) {
        /* UTF-16 never needs more units than UTF-8 has bytes. */
        UChar *u16 = realloc(st->u16, (nb + 1) * sizeof *u16);
        int32_t *u2b, *b2u;

        if (!u16) {
            return false;
        }
        st->u16 = u16;
        u2b = realloc(st->u2b, (nb + 1) * sizeof *u2b);
        if (!u2b) {
            return false;
        }
        st->u2b = u2b;
        b2u = realloc(st->b2u, (nb + 1) * sizeof *b2u);
        if (!b2u) {
            return false;
        }
        st->b2u = b2u;
        st->cap_b = st->cap_u16 = nb + 1;
    }
    if (nb >= INT32_MAX / 2) {
        return false;
    }
    while (i < pe) {
        start = i;
        cp = textlayout_decode(st->t, pe, &i);
        st->b2u[start - ps] = (int32_t)u;
        if (cp < 0) {
            cp = 0xFFFD; /* cannot happen: the text was cleaned */
        }
        if (cp >= 0x10000) {
            st->u2b[u] = (int32_t)start;
            st->u16[u++] = (UChar)(0xD800 + ((cp - 0x10000) >> 10));
            st->u2b[u] = (int32_t)start;
            st->u16[u++] = (UChar)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            st->u2b[u] = (int32_t)start;
            st->u16[u++] = (UChar)cp;
        }
    }
    st->b2u[nb] = (int32_t)u;
    st->u2b[u] = (int32_t)pe;
    set_text(&st->lb, st->u16, (int32_t)u);
    set_text(&st->pb, st->u16, (int32_t)u);
    set_text(&st->cb, st->u16, (int32_t)u);
    return true;
}

/* Last resort for a segment wider than the line: the most graphemes of [pos, lim) that
 * fit (at least one), stepping back so the split still obeys 禁則 where it can. */
static size_t split_graphemes(struct tl_state *st, size_t pos, size_t lim, int *width)
{
    size_t first = iter_following(st, st->cb, pos);
    size_t best = first, g = first;
    int32_t next, prev;

    if (first > lim) {
        first = best = g = lim;
    }
    while (g < lim) {
        g = iter_following(st, st->cb, g);
        if (g > lim) {
            g = lim;
        }
        if (measure(st, pos, trim_blanks(st, pos, g)) > st->width) {
            break;
        }
        best = g;
    }
    while (best > first) {
        next = cp_at(st, best);
        prev = cp_before(st, best);
        if ((next < 0 || !textlayout_forbidden_at_start((uint32_t)next)) &&
            (prev < 0 || !textlayout_forbidden_at_end((uint32_t)prev))) {
            break;
        }
        best = iter_preceding(st, st->cb, best);
    }
    *width = measure(st, pos, trim_blanks(st, pos, best));
    return best;
}

static bool push_cand(struct tl_state *st, size_t b, size_t e)
{
    if (st->n_cands == st->cap_cands) {
        size_t cap = st->cap_cands ? st->cap_cands * 2 : 32;
        struct tl_cand *v = realloc(st->cands, cap * sizeof *v);

        if (!v) {
            st->oom = true;
            return false;
        }
        st->cands = v;
        st->cap_cands = cap;
    }
    st->cands[st->n_cands].b = b;
    st->cands[st->n_cands].e = e;
    st->n_cands++;
    return true;
}

/* Where the text has spaces, they part its units: a place's building, floor and room
 * (「武蔵野市民会館 2階 集会室」), a date from its time, the words of やさしい日本語 and
 * Korean. A line that would end inside a unit ends at the last space instead, as long as
 * it stays at least two thirds full. k is the farthest candidate that fits (*w its width);
 * returns the one to take. */
static size_t prefer_blank(struct tl_state *st, size_t pos, size_t k, int *w)
{
    for (size_t j = k + 1; j-- > 0;) {
        if (st->cands[j].e == st->cands[j].b) {
            continue; /* no blank at this break */
        }
        if (j == k) {
            return k;
        }
        int wj = measure(st, pos, st->cands[j].e);
        if (st->cands[j].e <= pos || wj * 3 < st->width * 2) {
            return k;
        }
        *w = wj;
        return j;
    }
    return k;
}

/* Chooses where the line starting at pos ends: *next is where the next line starts,
 * *end the end of this line's text (blanks trimmed), *width its measured width.
 *
 * Measuring every candidate line from its start costs a shaping pass per break
 * opportunity over ever longer text. Instead each segment between breaks is measured once
 * and the sums give the candidates; only the chosen line is then measured whole (and we
 * step back should kerning make the whole wider than its parts).
 *
 * `it` gives the breaks: the phrase iterator first in phrase mode, and the line iterator
 * again when not even the first phrase fits the line. */
static bool fill_line(struct tl_state *st, UBreakIterator *it, size_t pos, size_t *next,
                      size_t *end, int *width)
{
    size_t prev = pos, b, e, misfit = st->pe, lim, k;
    long acc = 0, est;
    int w;

    st->n_cands = 0;
    b = next_break(st, it, pos);
    for (;;) {
        e = trim_blanks(st, pos, b);
        if (e > prev) {
            w = measure(st, prev, e);
            est = acc + w;
            acc += b > e ? measure(st, prev, b) : w;
        } else {
            est = acc;
            acc += measure(st, prev, b);
        }
        if (est > st->width) {
            misfit = b;
            break;
        }
        if (!push_cand(st, b, e)) {
            return false;
        }
        if (b >= st->pe) {
            break;
        }
        prev = b;
        b = next_break(st, it, b);
    }
    for (k = st->n_cands; k-- > 0;) {
        w = measure(st, pos, st->cands[k].e);
        if (w <= st->width && st->cands[k].e > pos) {
            /* (a last line cut with … shows the most it can instead) */
            bool last = st->max_lines > 0 && st->n_lines + 1 >= (size_t)st->max_lines;
            if (st->cands[k].b < st->pe && !last) {
                k = prefer_blank(st, pos, k, &w);
            }
            *next = st->cands[k].b;
            *end = st->cands[k].e;
            *width = w;
            return true;
        }
        if (w <= st->width) {
            break; /* only blanks fit */
        }
    }
    if (it != st->lb && st->lb) {
        return fill_line(st, st->lb, pos, next, end, width); /* a phrase wider than the line */
    }
    /* Nothing up to a break fits (a long word or URL, or a tiny width): split the first
     * segment that does not fit. */
    lim = k + 1 < st->n_cands ? st->cands[k + 1].b : misfit;
    if (k == (size_t)-1) {
        lim = st->n_cands > 0 ? st->cands[0].b : misfit;
    }
    *next = split_graphemes(st, pos, lim, width);
    *end = trim_blanks(st, pos, *next);
    return true;
}

static bool at_limit(const struct tl_state *st)
{
    return st->max_lines > 0 && st->n_lines >= (size_t)st->max_lines;
}

/* Fills lines from paragraph [ps, pe). Returns false to stop (limit reached or no memory). */
static bool layout_paragraph(struct tl_state *st, size_t ps, size_t pe)
{
    size_t pos = ps, best, best_end;
    int best_w;
    bool wrapped = false;

    if (at_limit(st)) {
        st->more = true;
        return false;
    }
    if (ps == pe) {
        return push_line(st, ps, ps, 0);
    }
    if (!load_paragraph(st, ps, pe)) {
        st->oom = true;
        return false;
    }
    while (pos < pe) {
        if (wrapped) {
            pos = skip_blanks(st, pos);
            if (pos >= pe) {
                break;
            }
        }
        if (at_limit(st)) {
            st->more = true;
            return false;
        }
        if (!fill_line(st, st->pb ? st->pb : st->lb, pos, &best, &best_end, &best_w)) {
            return false;
        }
        if (!push_line(st, pos, best_end, best_w)) {
            return false;
        }
        pos = best;
        wrapped = true;
    }
    return true;
}

/* Ends the last line with "…", dropping characters until it fits, and cuts the text there
 * so every line stays inside text_len. Returns false on OOM. */
static bool add_ellipsis(struct tl_state *st, struct textlayout *tl)
{
    struct textlayout_line *last = &st->lines[st->n_lines - 1];
    size_t k = last->len, off = last->off;
    char *text;
    int w;

    text = realloc(tl->text, off + k + ELLIPSIS_LEN + 1);
    if (!text) {
        return false;
    }
    tl->text = text;
    st->t = text;
    for (;;) {
        /* Only ever shrinks k, so text[off..off+k) is still the line's own text. */
        memcpy(text + off + k, ELLIPSIS, ELLIPSIS_LEN);
        text[off + k + ELLIPSIS_LEN] = '\0';
        w = st->measure(st->mctx, text + off, k + ELLIPSIS_LEN);
        if (w < 0) {
            w = 0;
        }
        if (w <= st->width || k == 0) {
            break;
        }
        /* Drop one code point, then any blanks it leaves at the end. */
        do {
            k--;
        } while (k > 0 && ((unsigned char)text[off + k] & 0xC0) == 0x80);
        for (;;) {
            if (k >= 1 && text[off + k - 1] == ' ') {
                k--;
            } else if (k >= 3 && memcmp(text + off + k - 3, "\xe3\x80\x80", 3) == 0) {
                k -= 3;
            } else {
                break;
            }
        }
    }
    last->len = k + ELLIPSIS_LEN;
    last->width = w;
    tl->text_len = off + k + ELLIPSIS_LEN;
    return true;
}

struct textlayout *textlayout_create(const char *utf8, size_t len, int width, int max_lines,
                                     textlayout_measure_fn measure_fn, void *ctx)
{
    return textlayout_create_flags(utf8, len, width, max_lines, 0, measure_fn, ctx);
}

struct textlayout *textlayout_create_flags(const char *utf8, size_t len, int width, int max_lines,
                                           unsigned flags, textlayout_measure_fn measure_fn,
                                           void *ctx)
{
    return textlayout_create_keep(utf8, len, width, max_lines, flags, measure_fn, ctx, NULL, 0);
}

struct textlayout *textlayout_create_keep(const char *utf8, size_t len, int width, int max_lines,
                                          unsigned flags, textlayout_measure_fn measure_fn,
                                          void *ctx, const struct textlayout_keep *keep,
                                          size_t n_keep)
{
    struct textlayout *tl = NULL;
    struct tl_state st;
    UErrorCode err = U_ZERO_ERROR;
    size_t ps, pe;
    bool ok = false;

    memset(&st, 0, sizeof st);
    if (!utf8) {
        len = 0;
    }
    tl = calloc(1, sizeof *tl);
    if (!tl) {
        goto out;
    }
    tl->text = malloc(len + 1);
    if (!tl->text) {
        goto out;
    }
    tl->text_len = clean_text(utf8 ? utf8 : "", len, tl->text);

    st.t = tl->text;
    st.width = width < 0 ? 0 : width;
    st.max_lines = max_lines < 0 ? 0 : max_lines;
    st.measure = measure_fn;
    st.mctx = ctx;
    if (tl->text_len == len) {
        /* the offsets are the input's: good while cleaning dropped nothing */
        st.keep = keep;
        st.n_keep = n_keep;
    }
    if (tl->text_len > 0) {
        st.lb = ubrk_open(UBRK_LINE, "ja@lb=strict", NULL, 0, &err);
        if (U_FAILURE(err)) {
            st.lb = NULL;
        }
        err = U_ZERO_ERROR;
        st.cb = ubrk_open(UBRK_CHARACTER, "ja", NULL, 0, &err);
        if (U_FAILURE(err)) {
            st.cb = NULL;
        }
        err = U_ZERO_ERROR;
        if (flags & TEXTLAYOUT_PHRASE) {
            /* ICU 72 and later: Japanese phrases (文節) from its dictionary, no data of ours */
            st.pb = ubrk_open(UBRK_LINE, "ja@lb=strict;lw=phrase", NULL, 0, &err);
            if (U_FAILURE(err)) {
                st.pb = NULL;
            }
        }
    }

    ps = 0;
    while (tl->text_len > 0 && ps <= tl->text_len) {
        const char *nl = memchr(tl->text + ps, '\n', tl->text_len - ps);

        pe = nl ? (size_t)(nl - tl->text) : tl->text_len;
        if (!layout_paragraph(&st, ps, pe)) {
            break;
        }
        if (!nl) {
            break;
        }
        ps = pe + 1;
    }
    if (st.oom) {
        goto out;
    }
    if (st.more && st.n_lines > 0) {
        if (!add_ellipsis(&st, tl)) {
            goto out;
        }
        tl->cut = true;
    }
    tl->lines = st.lines;
    tl->n_lines = st.n_lines;
    st.lines = NULL;
    tl->bytes = sizeof *tl + len + ELLIPSIS_LEN + 1 + st.cap_lines * sizeof *tl->lines;
    ok = true;

out:
    if (st.lb) {
        ubrk_close(st.lb);
    }
    if (st.cb) {
        ubrk_close(st.cb);
    }
    if (st.pb) {
        ubrk_close(st.pb);
    }
    free(st.u16);
    free(st.u2b);
    free(st.b2u);
    free(st.cands);
    free(st.lines);
    if (!ok) {
        textlayout_free(tl);
        return NULL;
    }
    return tl;
}

void textlayout_free(struct textlayout *tl)
{
    if (!tl) {
        return;
    }
    free(tl->text);
    free(tl->lines);
    free(tl);
}
