/* csv: the national open-data event list (自治体標準オープンデータセット「イベント一覧」) read
 * into the feed v1 shape (import.h).
 *
 * Columns are found by header name, never by position, so both published layouts (the
 * recommended 32 columns with イベント名, the catalogue's 50 with 名称) and any shuffle or
 * extra column read the same. The bytes are UTF-8 (with or without a BOM) or CP932, which
 * iconv turns into UTF-8 first; anything else is refused whole. Records follow RFC 4180
 * with CRLF, LF or CR line ends; a record this reader cannot use (a stray quote, a short
 * row, a bad date, no name) is reported through opts->drop with the physical line it starts
 * on and the rest is read. Rows with the same name and place are one listing with several
 * dates (a weekly class published one row per date), found through a hash table so a large
 * file costs linear time. The tree is checked again by the feed's validator: this file only
 * shapes it and leaves out what the validator would refuse (a bad capacity, a bad URL). It
 * knows nothing of files or the network. */
#include "feed/import.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed_internal.h"
#include "util/timeutil.h"
#include "util/url.h"
#include "util/utf8.h"

#define CSV_FIELD_MAX (64u * 1024u)
#define CSV_MAX_COLUMNS 1024u /* header columns beyond are ignored */
#define CSV_MAX_CATEGORIES 256u
#define CSV_MAX_ITEM_CATEGORIES 32u
#define CSV_MAX_ID 128u
#define CSV_MAX_RECOVERIES 16 /* restarts after an unterminated quote; bounds the rescans */
#define CSV_REASON 256

enum col {
    COL_NAME,
    COL_START_DATE,
    COL_END_DATE,
    COL_START_TIME,
    COL_END_TIME,
    COL_TIME_NOTE,
    COL_PLACE,
    COL_MEETING,
    COL_ADDRESS,
    COL_ADDR_PREF,
    COL_ADDR_CITY,
    COL_ADDR_TOWN,
    COL_ADDR_REST,
    COL_BUILDING,
    COL_DESCRIPTION,
    COL_OVERVIEW,
    COL_ORGANIZER,
    COL_WANTED,
    COL_CAPACITY,
    COL_FEE,
    COL_FEE_DETAIL,
    COL_DEADLINE_DATE,
    COL_DEADLINE_TIME,
    COL_SIGNUP_HOW,
    COL_CONTACT_NAME,
    COL_CONTACT_PHONE,
    COL_CONTACT_EXT,
    COL_CONTACT_MAIL,
    COL_URL,
    COL_CATEGORY,
    COL_NAME_EN, /* the name in English, where the dataset has it */
    COL_COUNT
};

/* Header names in the form header_canon() gives them: no parentheses (ASCII or full-width),
 * underscores or spaces, so 料金(基本), 料金（基本） and 料金_基本 are one name. */
static const struct {
    enum col col;
    const char *name;
} header_names[] = {
    {COL_NAME, "名称"},
    {COL_NAME, "イベント名"},
    {COL_NAME_EN, "イベント名英語"},
    {COL_NAME_EN, "名称英字"},
    {COL_NAME_EN, "名称英語"},
    {COL_START_DATE, "開始日"},
    {COL_END_DATE, "終了日"},
    {COL_START_TIME, "開始時刻"},
    {COL_START_TIME, "開始時間"},
    {COL_END_TIME, "終了時刻"},
    {COL_END_TIME, "終了時間"},
    {COL_TIME_NOTE, "日時備考"},
    {COL_TIME_NOTE, "開始日時特記事項"},
    {COL_PLACE, "場所名称"},
    {COL_MEETING, "集合場所"},
    {COL_ADDRESS, "住所"},
    {COL_ADDR_PREF, "住所都道府県"},
    {COL_ADDR_CITY, "住所市区町村"},
    {COL_ADDR_TOWN, "住所町名"},
    {COL_ADDR_REST, "住所丁目以下"},
    {COL_BUILDING, "建物名等"},
    {COL_BUILDING, "方書"},
    {COL_DESCRIPTION, "説明"},
    {COL_OVERVIEW, "概要"},
    {COL_ORGANIZER, "主催団体"},
    {COL_ORGANIZER, "主催者"},
    {COL_WANTED, "対象者"},
    {COL_CAPACITY, "定員"},
    {COL_FEE, "料金基本"},
    {COL_FEE_DETAIL, "料金詳細"},
    {COL_DEADLINE_DATE, "申込期限日"},
    {COL_DEADLINE_DATE, "参加申込終了日"},
    {COL_DEADLINE_TIME, "申込期限時刻"},
    {COL_DEADLINE_TIME, "参加申込終了時間"},
    {COL_SIGNUP_HOW, "申込方法"},
    {COL_SIGNUP_HOW, "参加申込方法"},
    {COL_CONTACT_NAME, "連絡先名称"},
    {COL_CONTACT_PHONE, "連絡先電話番号"},
    {COL_CONTACT_EXT, "連絡先内線番号"},
    {COL_CONTACT_MAIL, "連絡先メールアドレス"},
    {COL_URL, "URL"},
    {COL_CATEGORY, "カテゴリー"},
    {COL_CATEGORY, "カテゴリ"},
    {COL_CATEGORY, "イベント種類"},
};

/* ---- bytes to UTF-8 ---- */

/* The offset of the first byte that does not begin a well-formed character. */
static size_t utf8_bad_offset(const char *s, size_t len)
{
    const char *p = s, *end = s + len;

    while (p < end) {
        const char *at = p;
        if (utf8_next(&p, end) < 0) {
            return (size_t)(at - s);
        }
    }
    return len;
}

/* True when the well-formed prefix s[0..len) reads as Japanese UTF-8: a few characters of
 * three bytes, which CP932 text almost never forms by chance (its kana and most kanji begin
 * with a byte UTF-8 only allows inside a character). Such a file with one bad byte later is
 * damaged UTF-8, and reading it as CP932 would show every title as mojibake. */
static bool looks_like_utf8(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    int wide = 0;

    while (p < end && wide < 4) {
        wide += utf8_next(&p, end) >= 0x800;
    }
    return wide >= 4;
}

/* The text as UTF-8 without a BOM, in a new buffer with a NUL after it; NULL with err. */
static char *to_utf8(const char *data, size_t len, size_t *out_len, char *err, size_t errlen)
{
    const char *nul = memchr(data, '\0', len);
    const char *start = data;
    char *out = NULL;
    iconv_t cd;

    if (nul) {
        snprintf(err, errlen, "not UTF-8 or CP932 (byte 0x00 at offset %zu)", (size_t)(nul - data));
        return NULL;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        if (!utf8_valid(data + 3, len - 3)) {
            size_t off = 3 + utf8_bad_offset(data + 3, len - 3);
            snprintf(err, errlen, "not UTF-8 or CP932 (byte 0x%02X at offset %zu)",
                     (unsigned char)data[off], off);
            return NULL;
        }
        data += 3;
        len -= 3;
    }
    if (utf8_valid(data, len)) {
        out = malloc(len + 1);
        if (!out) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        memcpy(out, data, len);
        out[len] = '\0';
        *out_len = len;
        return out;
    }
    {
        size_t off = utf8_bad_offset(data, len);
        if (looks_like_utf8(data, off)) {
            snprintf(err, errlen, "not UTF-8 or CP932 (byte 0x%02X at offset %zu)",
                     (unsigned char)data[off], off + (size_t)(data - start));
            return NULL;
        }
    }
    /* a half-width katakana byte becomes three bytes of UTF-8: the most it can grow */
    cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1) {
        snprintf(err, errlen, "not UTF-8, and CP932 cannot be converted here");
        return NULL;
    }
    out = malloc(len * 3 + 1);
    if (!out) {
        snprintf(err, errlen, "out of memory");
    } else {
        char *in = (char *)data, *o = out;
        size_t in_left = len, out_left = len * 3;
        if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
            size_t off = (size_t)(in - data);
            snprintf(err, errlen, "not UTF-8 or CP932 (byte 0x%02X at offset %zu)",
                     off < len ? (unsigned char)data[off] : 0u, off);
            free(out);
            out = NULL;
        } else {
            *o = '\0';
            *out_len = (size_t)(o - out);
        }
    }
    iconv_close(cd);
    return out;
}

/* ---- records (RFC 4180) ---- */

struct scanner {
    const char *p, *end;
    long line; /* the physical line p is on */
    int recoveries;
};

struct record {
    char *buf; /* the stored fields, each followed by a NUL */
    size_t len, cap;
    size_t *off; /* where each stored field starts in buf */
    size_t n_stored, cap_off;
    size_t n_fields; /* all fields, stored or not */
    long line;       /* where the record starts */
    const char *problem;
    const char *open_quote; /* of an unterminated quoted field */
    long open_quote_line;
    bool oom;
};

static bool rec_reserve(struct record *r, size_t more)
{
    if (r->len + more <= r->cap) {
        return true;
    }
    size_t cap = r->cap ? r->cap : 1024;
    while (cap < r->len + more) {
        cap *= 2;
    }
    char *nb = realloc(r->buf, cap);
    if (!nb) {
        r->oom = true;
        return false;
    }
    r->buf = nb;
    r->cap = cap;
    return true;
}

/* Appends to the field being read when it is stored; a field past the cap spoils the
 * record but the scan goes on to find where the record ends. */
static void rec_put(struct record *r, bool store, size_t *flen, const char *s, size_t n)
{
    if (!store || r->oom) {
        return;
    }
    if (*flen + n > CSV_FIELD_MAX) {
        if (!r->problem) {
            r->problem = "field longer than 65536 bytes";
        }
        return;
    }
    if (rec_reserve(r, n + 1)) {
        memcpy(r->buf + r->len, s, n);
        r->len += n;
        *flen += n;
    }
}

static void rec_begin_field(struct record *r, bool store)
{
    if (!store || r->oom) {
        return;
    }
    if (r->n_stored == r->cap_off) {
        size_t cap = r->cap_off ? r->cap_off * 2 : 64;
        size_t *no = realloc(r->off, cap * sizeof *no);
        if (!no) {
            r->oom = true;
            return;
        }
        r->off = no;
        r->cap_off = cap;
    }
    r->off[r->n_stored++] = r->len;
}

static void rec_end_field(struct record *r, bool store)
{
    if (store && !r->oom && rec_reserve(r, 1)) {
        r->buf[r->len++] = '\0';
    }
    r->n_fields++;
}

static void set_problem(struct record *r, const char *what)
{
    if (!r->problem) {
        r->problem = what;
    }
}

/* Consumes a line break at s->p (CRLF, LF or CR) when there is one. */
static bool eat_line_break(struct scanner *s)
{
    if (s->p < s->end && (*s->p == '\r' || *s->p == '\n')) {
        if (*s->p == '\r' && s->p + 1 < s->end && s->p[1] == '\n') {
            s->p++;
        }
        s->p++;
        s->line++;
        return true;
    }
    return false;
}

/* The body of a quoted field, the opening quote consumed; stops after the closing one.
 * Line breaks inside become '\n'. False when the text ends first. */
static bool read_quoted(struct scanner *s, struct record *r, bool store, size_t *flen)
{
    while (s->p < s->end) {
        const char *run = s->p;
        while (s->p < s->end && *s->p != '"' && *s->p != '\r' && *s->p != '\n') {
            s->p++;
        }
        rec_put(r, store, flen, run, (size_t)(s->p - run));
        if (s->p == s->end) {
            break;
        }
        if (*s->p == '"') {
            if (s->p + 1 < s->end && s->p[1] == '"') {
                rec_put(r, store, flen, "\"", 1);
                s->p += 2;
                continue;
            }
            s->p++;
            return true;
        }
        eat_line_break(s);
        rec_put(r, store, flen, "\n", 1);
    }
    return false;
}

/* Reads one record into r (reset first). False at the end of the text. Fields past
 * max_stored are counted, not kept. */
static bool read_record(struct scanner *s, struct record *r, size_t max_stored)
{
    r->len = 0;
    r->n_stored = 0;
    r->n_fields = 0;
    r->problem = NULL;
    r->open_quote = NULL;
    r->line = s->line;
    if (s->p >= s->end) {
        return false;
    }
    for (;;) {
        bool store = r->n_fields < max_stored;
        size_t flen = 0;

        rec_begin_field(r, store);
        if (s->p < s->end && *s->p == '"') {
            const char *q = s->p;
            long qline = s->line;
            s->p++;
            if (!read_quoted(s, r, store, &flen)) {
                set_problem(r, "unterminated quote");
                if (!r->open_quote) {
                    r->open_quote = q;
                    r->open_quote_line = qline;
                }
                rec_end_field(r, store);
                return true;
            }
            if (s->p < s->end && *s->p != ',' && *s->p != '\r' && *s->p != '\n') {
                set_problem(r, "text after a closing quote");
            }
        }
        /* unquoted text, or what follows a closing quote (kept only to find the end) */
        while (s->p < s->end && *s->p != ',' && *s->p != '\r' && *s->p != '\n') {
            const char *run = s->p;
            while (s->p < s->end && *s->p != ',' && *s->p != '\r' && *s->p != '\n' &&
                   *s->p != '"') {
                s->p++;
            }
            rec_put(r, store, &flen, run, (size_t)(s->p - run));
            if (s->p < s->end && *s->p == '"') {
                set_problem(r, "stray quote");
                rec_put(r, store, &flen, "\"", 1);
                s->p++;
            }
        }
        rec_end_field(r, store);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        eat_line_break(s);
        return true;
    }
}

/* After an unterminated quote the rest of the text was that one field: read on from the
 * line after the quote instead, a bounded number of times. */
static void recover(struct scanner *s, const struct record *r)
{
    const char *p = r->open_quote;

    if (!p || s->recoveries >= CSV_MAX_RECOVERIES) {
        return;
    }
    s->recoveries++;
    while (p < s->end && *p != '\r' && *p != '\n') {
        p++;
    }
    s->p = p;
    s->line = r->open_quote_line;
    eat_line_break(s);
}

/* ---- text helpers ---- */

static bool is_ideographic_space(const char *p, const char *end)
{
    return end - p >= 3 && (unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
           (unsigned char)p[2] == 0x80;
}

static bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims ASCII white space and U+3000 at both ends of s, in place. */
static char *trim(char *s)
{
    char *end = s + strlen(s);

    for (;;) {
        if (s < end && is_ascii_space(*s)) {
            s++;
        } else if (is_ideographic_space(s, end)) {
            s += 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (end > s && is_ascii_space(end[-1])) {
            end--;
        } else if (end - s >= 3 && is_ideographic_space(end - 3, end)) {
            end -= 3;
        } else {
            break;
        }
    }
    if (*end) {
        *end = '\0';
    }
    return s;
}

/* Full-width digits and － ／ ： as ASCII, into out (at most outlen - 1 bytes); false when
 * the text does not fit, which no date or time needs. */
static bool ascii_digits(const char *s, char *out, size_t outlen)
{
    size_t n = 0;

    while (*s) {
        const unsigned char *u = (const unsigned char *)s;
        char c = *s;
        size_t adv = 1;
        if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
            c = (char)('0' + (u[2] - 0x90));
            adv = 3;
        } else if (u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x8D || u[2] == 0x8F || u[2] == 0x9A)) {
            c = u[2] == 0x8D ? '-' : u[2] == 0x8F ? '/' : ':';
            adv = 3;
        }
        if (n + 1 >= outlen) {
            return false;
        }
        out[n++] = c;
        s += adv;
    }
    out[n] = '\0';
    return true;
}

/* Reads 1..max digits at *s; -1 when there is none. */
static int read_num(const char **s, int max)
{
    int v = 0, n = 0;

    while (n < max && **s >= '0' && **s <= '9') {
        v = v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n ? v : -1;
}

struct ymd {
    int y, m, d;
};

/* YYYY-MM-DD or YYYY/M/D, full-width digits allowed. */
static bool parse_date(const char *text, struct ymd *out)
{
    char buf[64];
    const char *s = buf;
    char sep;
    int y, m, d;

    if (!ascii_digits(text, buf, sizeof buf)) {
        return false;
    }
    if (strlen(buf) < 8 || (buf[4] != '-' && buf[4] != '/')) {
        return false;
    }
    y = read_num(&s, 4);
    if (s != buf + 4) {
        return false;
    }
    sep = *s++;
    m = read_num(&s, 2);
    if (*s++ != sep) {
        return false;
    }
    d = read_num(&s, 2);
    if (*s || y < 1970 || m < 1 || m > 12 || d < 1 || d > timeutil_days_in_month(y, m)) {
        return false;
    }
    out->y = y;
    out->m = m;
    out->d = d;
    return true;
}

/* H:MM, HH:MM or H:MM:SS (seconds dropped); 24:00 is the end of the day. */
static bool parse_time(const char *text, int *h, int *min)
{
    char buf[32];
    const char *s = buf;
    int sec = 0;

    if (!ascii_digits(text, buf, sizeof buf)) {
        return false;
    }
    *h = read_num(&s, 2);
    if (*h < 0 || *s++ != ':') {
        return false;
    }
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9')) {
        return false;
    }
    *min = read_num(&s, 2);
    if (*s == ':') {
        s++;
        if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9')) {
            return false;
        }
        sec = read_num(&s, 2);
    }
    if (*s || *min > 59 || sec > 59 || *h > 24 || (*h == 24 && (*min || sec))) {
        return false;
    }
    return true;
}

static int64_t local_time(const struct ymd *d, int h, int min)
{
    if (h == 24) {
        int64_t y;
        int m, dd;
        timeutil_civil_from_days(timeutil_days_from_civil(d->y, d->m, d->d) + 1, &y, &m, &dd);
        return timeutil_make_local((int)y, m, dd, 0, 0);
    }
    return timeutil_make_local(d->y, d->m, d->d, h, min);
}

static void format_date(const struct ymd *d, char *buf, size_t len)
{
    snprintf(buf, len, "%04d-%02d-%02d", d->y, d->m, d->d);
}

/* The first bytes of a value for a one-line reason, cut at a character boundary, with
 * line breaks and other controls as spaces. */
static void excerpt(const char *s, char *out, size_t outlen)
{
    size_t n = strlen(s);

    if (n >= outlen) {
        n = outlen - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c < 0x20 || c == 0x7F ? ' ' : s[i];
    }
    out[n] = '\0';
}

/* ---- series: rows with the same name and place ---- */

struct occ {
    int64_t s, e; /* for sorting; an all-day date counts from its midnight */
    char start[32], end[32];
    long line;
};

struct series {
    char *key;
    uint64_t hash;
    cJSON *item;
    struct occ *occ;
    size_t n_occ, cap_occ;
    long line;
};

struct table {
    struct series **v; /* in order of first appearance */
    size_t n, cap;
    struct series **slots;
    size_t mask;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Appends the comparison form of s: no white space at all (ASCII or U+3000) and full-width
 * ASCII folded, so 「桜堤児童館　1階」 and 「桜堤児童館 １階」 are one place. */
static void key_append(char *out, size_t *n, const char *s)
{
    const char *end = s + strlen(s);

    while (s < end) {
        const unsigned char *u = (const unsigned char *)s;
        if (is_ascii_space(*s)) {
            s++;
        } else if (is_ideographic_space(s, end)) {
            s += 3;
        } else if (end - s >= 3 && u[0] == 0xEF &&
                   ((u[1] == 0xBC && u[2] >= 0x81) || (u[1] == 0xBD && u[2] <= 0x9E))) {
            /* U+FF01..U+FF5E are U+0021..U+007E */
            out[(*n)++] = (char)((u[1] == 0xBC ? u[2] - 0x80 : u[2] - 0x40) + 0x20);
            s += 3;
        } else {
            out[(*n)++] = *s++;
        }
    }
}

static char *series_key(const char *name, const char *place)
{
    size_t n = 0;
    char *k = malloc(strlen(name) + strlen(place) + 2);

    if (!k) {
        return NULL;
    }
    key_append(k, &n, name);
    k[n++] = '\x1f';
    key_append(k, &n, place);
    k[n] = '\0';
    return k;
}

static struct series *table_find(const struct table *t, const char *key, uint64_t h)
{
    if (!t->slots) {
        return NULL;
    }
    for (size_t i = (size_t)h & t->mask; t->slots[i]; i = (i + 1) & t->mask) {
        if (t->slots[i]->hash == h && strcmp(t->slots[i]->key, key) == 0) {
            return t->slots[i];
        }
    }
    return NULL;
}

static void table_place(struct series **slots, size_t mask, struct series *s)
{
    size_t i = (size_t)s->hash & mask;
    while (slots[i]) {
        i = (i + 1) & mask;
    }
    slots[i] = s;
}

/* Adds s (owned by the table from now, also on failure). */
static int table_add(struct table *t, struct series *s)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct series **nv = realloc(t->v, cap * sizeof *nv);
        if (!nv) {
            goto oom;
        }
        t->v = nv;
        t->cap = cap;
    }
    if (!t->slots || (t->n + 1) * 2 > t->mask + 1) {
        size_t size = t->slots ? (t->mask + 1) * 2 : 128;
        struct series **ns = calloc(size, sizeof *ns);
        if (!ns) {
            goto oom;
        }
        for (size_t i = 0; i < t->n; i++) {
            table_place(ns, size - 1, t->v[i]);
        }
        free(t->slots);
        t->slots = ns;
        t->mask = size - 1;
    }
    t->v[t->n++] = s;
    table_place(t->slots, t->mask, s);
    return 0;
oom:
    free(s->key);
    cJSON_Delete(s->item);
    free(s);
    return -1;
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i]->key);
        free(t->v[i]->occ);
        cJSON_Delete(t->v[i]->item); /* NULL once moved into the document */
        free(t->v[i]);
    }
    free(t->v);
    free(t->slots);
}

/* ---- categories ---- */

struct cats {
    cJSON *list; /* the document's "categories" */
    char *ids[CSV_MAX_CATEGORIES];
    size_t n;
    size_t slots[2 * CSV_MAX_CATEGORIES]; /* index + 1 into ids, 0 empty */
};

/* A category id from its label: the label without spaces or invisible characters, at most
 * CSV_MAX_ID bytes (a feed id is printable and has no spaces). Empty when nothing is left. */
static void category_id(const char *label, char *out)
{
    const char *p = label, *end = label + strlen(label);
    size_t n = 0;

    while (p < end) {
        const char *at = p;
        int32_t cp = utf8_next(&p, end);
        size_t k = (size_t)(p - at);
        if (cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || utf8_cp_invisible(cp)) {
            continue;
        }
        if (n + k > CSV_MAX_ID) {
            break;
        }
        memcpy(out + n, at, k);
        n += k;
    }
    out[n] = '\0';
}

/* The id of a label, listed once in the document; NULL when it has none, the list is full,
 * or memory ran out (*oom). */
static const char *cats_add(struct cats *c, const char *label, bool *oom)
{
    char id[CSV_MAX_ID + 1];
    uint64_t h;
    size_t i;
    cJSON *entry, *text;

    category_id(label, id);
    if (!id[0]) {
        return NULL;
    }
    h = fnv1a(id);
    for (i = (size_t)h % (2 * CSV_MAX_CATEGORIES); c->slots[i];
         i = (i + 1) % (2 * CSV_MAX_CATEGORIES)) {
        if (strcmp(c->ids[c->slots[i] - 1], id) == 0) {
            return c->ids[c->slots[i] - 1];
        }
    }
    if (c->n == CSV_MAX_CATEGORIES) {
        return NULL;
    }
    entry = cJSON_CreateObject();
    text = cJSON_AddObjectToObject(entry, "label");
    c->ids[c->n] = strdup(id);
    if (!entry || !text || !c->ids[c->n] || !cJSON_AddStringToObject(entry, "id", id) ||
        !cJSON_AddStringToObject(text, "ja", label) || !cJSON_AddItemToArray(c->list, entry)) {
        cJSON_Delete(entry);
        free(c->ids[c->n]);
        *oom = true;
        return NULL;
    }
    c->slots[i] = ++c->n;
    return c->ids[c->n - 1];
}

/* ---- one row into an item ---- */

struct reader {
    const struct import_opts *o;
    int col[COL_COUNT]; /* column index, -1 when absent */
    char label[COL_COUNT][64];
    size_t n_cols;
    struct table table;
    struct cats cats;
    bool oom;
};

struct row {
    const char *f[COL_COUNT]; /* trimmed, "" when absent */
    long line;
};

static void drop(const struct reader *rd, long line, const char *reason)
{
    char id[24];

    if (rd->o->drop) {
        snprintf(id, sizeof id, "%ld", line);
        rd->o->drop(rd->o->drop_ctx, "row", id, reason);
    }
}

/* A text object {"ja": s}, with "en" when en is not blank; nothing when s is empty. */
static bool add_text_en(cJSON *obj, const char *name, const char *s, const char *en)
{
    cJSON *t;

    if (!s[0]) {
        return true;
    }
    t = cJSON_AddObjectToObject(obj, name);
    return t && cJSON_AddStringToObject(t, "ja", s) &&
           (!en[0] || !utf8_has_visible(en, strlen(en)) || cJSON_AddStringToObject(t, "en", en));
}

static bool add_text(cJSON *obj, const char *name, const char *s)
{
    return add_text_en(obj, name, s, "");
}

/* Joins up to four parts with separators; empty parts and their separator are left out. */
static char *join(const char *const *parts, const char *const *seps, size_t n)
{
    size_t len = 1;
    char *out, *p;

    for (size_t i = 0; i < n; i++) {
        len += strlen(parts[i]) + strlen(seps[i]);
    }
    out = malloc(len);
    if (!out) {
        return NULL;
    }
    p = out;
    for (size_t i = 0; i < n; i++) {
        if (!parts[i][0]) {
            continue;
        }
        if (p != out) {
            p = stpcpy(p, seps[i]);
        }
        p = stpcpy(p, parts[i]);
    }
    *p = '\0';
    return out;
}

static bool add_joined(cJSON *obj, const char *name, const char *const *parts,
                       const char *const *seps, size_t n)
{
    char *s = join(parts, seps, n);
    bool ok = s && add_text(obj, name, s);

    free(s);
    return ok;
}

/* When the row's dates are usable, fills o (the sort keys and the strings) or writes why.
 * *dated is false for a row without 開始日 (a volunteer listing may have none). */
static bool row_dates(const struct reader *rd, const struct row *r, struct occ *o, bool *dated,
                      char *why)
{
    struct ymd sd, ed;
    int sh = 0, sm = 0, eh = 0, em = 0;
    bool timed = r->f[COL_START_TIME][0] != '\0';
    bool end_timed = timed && r->f[COL_END_TIME][0] != '\0';
    char v[48];

    memset(o, 0, sizeof *o);
    *dated = r->f[COL_START_DATE][0] != '\0';
    if (!*dated) {
        if (rd->o->kind == FEED_KIND_EVENT) {
            snprintf(why, CSV_REASON, "missing %s", rd->label[COL_START_DATE]);
            return false;
        }
        return true;
    }
    if (!parse_date(r->f[COL_START_DATE], &sd)) {
        excerpt(r->f[COL_START_DATE], v, sizeof v);
        snprintf(why, CSV_REASON, "bad date '%s' in %s", v, rd->label[COL_START_DATE]);
        return false;
    }
    ed = sd;
    if (r->f[COL_END_DATE][0] && !parse_date(r->f[COL_END_DATE], &ed)) {
        excerpt(r->f[COL_END_DATE], v, sizeof v);
        snprintf(why, CSV_REASON, "bad date '%s' in %s", v, rd->label[COL_END_DATE]);
        return false;
    }
    if (timed && !parse_time(r->f[COL_START_TIME], &sh, &sm)) {
        excerpt(r->f[COL_START_TIME], v, sizeof v);
        snprintf(why, CSV_REASON, "bad time '%s' in %s", v, rd->label[COL_START_TIME]);
        return false;
    }
    if (end_timed && !parse_time(r->f[COL_END_TIME], &eh, &em)) {
        excerpt(r->f[COL_END_TIME], v, sizeof v);
        snprintf(why, CSV_REASON, "bad time '%s' in %s", v, rd->label[COL_END_TIME]);
        return false;
    }
    if (timeutil_days_from_civil(ed.y, ed.m, ed.d) < timeutil_days_from_civil(sd.y, sd.m, sd.d)) {
        snprintf(why, CSV_REASON, "end before start");
        return false;
    }
    if (timed) {
        o->s = local_time(&sd, sh, sm);
        timeutil_format_iso8601(o->s, o->start, sizeof o->start);
    } else {
        o->s = local_time(&sd, 0, 0);
        format_date(&sd, o->start, sizeof o->start);
    }
    o->e = o->s;
    if (end_timed) {
        o->e = local_time(&ed, eh, em);
        if (o->e < o->s) {
            snprintf(why, CSV_REASON, "end before start");
            return false;
        }
        timeutil_format_iso8601(o->e, o->end, sizeof o->end);
    } else if (memcmp(&ed, &sd, sizeof ed) != 0) {
        /* a date end is through that day, as the validator reads it */
        o->e = local_time(&ed, 0, 0);
        format_date(&ed, o->end, sizeof o->end);
    }
    o->line = r->line;
    return true;
}

static bool row_deadline(const struct reader *rd, const struct row *r, cJSON *item, char *why)
{
    struct ymd d;
    int h, m;
    char buf[40], v[48];

    if (!r->f[COL_DEADLINE_DATE][0]) {
        return true;
    }
    if (!parse_date(r->f[COL_DEADLINE_DATE], &d)) {
        excerpt(r->f[COL_DEADLINE_DATE], v, sizeof v);
        snprintf(why, CSV_REASON, "bad date '%s' in %s", v, rd->label[COL_DEADLINE_DATE]);
        return false;
    }
    if (r->f[COL_DEADLINE_TIME][0]) {
        if (!parse_time(r->f[COL_DEADLINE_TIME], &h, &m)) {
            excerpt(r->f[COL_DEADLINE_TIME], v, sizeof v);
            snprintf(why, CSV_REASON, "bad time '%s' in %s", v, rd->label[COL_DEADLINE_TIME]);
            return false;
        }
        timeutil_format_iso8601(local_time(&d, h, m), buf, sizeof buf);
    } else {
        format_date(&d, buf, sizeof buf);
    }
    if (!cJSON_AddStringToObject(item, "deadline", buf)) {
        snprintf(why, CSV_REASON, "out of memory");
        return false;
    }
    return true;
}

/* 定員 when it is a whole number the validator takes; anything else is left out. */
static bool add_capacity(cJSON *item, const char *text)
{
    char buf[16];
    long v = 0;

    if (!text[0] || !ascii_digits(text, buf, sizeof buf) || strlen(buf) > 7) {
        return true;
    }
    for (const char *p = buf; *p; p++) {
        if (*p < '0' || *p > '9') {
            return true;
        }
        v = v * 10 + (*p - '0');
    }
    if (v > 1000000) {
        return true;
    }
    return cJSON_AddNumberToObject(item, "capacity", (double)v);
}

static bool starts_ci(const char *s, const char *w)
{
    for (; *w; s++, w++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != *w) {
            return false;
        }
    }
    return true;
}

/* The signup URL: https as is, http upgraded when allowed, anything else (or what
 * url_check refuses) left out; the listing keeps its contact either way. */
static bool add_signup(const struct reader *rd, cJSON *item, const char *url)
{
    struct url_checked uc;
    const char *why = NULL;
    char *u;
    bool ok = true;

    if (starts_ci(url, "https://")) {
        u = strdup(url);
    } else if (starts_ci(url, "http://") && rd->o->upgrade_http) {
        u = malloc(strlen(url) + 2);
        if (u) {
            memcpy(u, "https://", 8);
            strcpy(u + 8, url + 7);
        }
    } else {
        return true;
    }
    if (!u) {
        return false;
    }
    if (strlen(u) <= URL_MAX && url_check(u, false, &uc, &why)) {
        ok = cJSON_AddStringToObject(item, "signup_url", u);
    }
    free(u);
    return ok;
}

/* Splits the category column on 「、」, '，' and ',' and refers to each label once. */
static bool add_categories(struct reader *rd, cJSON *item, char *text)
{
    const char *ids[CSV_MAX_ITEM_CATEGORIES];
    size_t n = 0;
    cJSON *arr;
    char *p = text;

    while (p) {
        char *next = NULL, *q;
        for (q = p; *q; q++) {
            if (*q == ',') {
                *q = '\0';
                next = q + 1;
                break;
            }
            if (strncmp(q, "、", 3) == 0 || strncmp(q, "，", 3) == 0) {
                *q = '\0';
                next = q + 3;
                break;
            }
        }
        {
            char *label = trim(p);
            const char *id = label[0] ? cats_add(&rd->cats, label, &rd->oom) : NULL;
            bool dup = false;
            for (size_t i = 0; id && i < n; i++) {
                dup = dup || ids[i] == id;
            }
            if (id && !dup && n < CSV_MAX_ITEM_CATEGORIES) {
                ids[n++] = id;
            }
        }
        p = next;
    }
    if (n == 0 && rd->o->default_category && rd->o->default_category[0]) {
        char *def = strdup(rd->o->default_category);
        const char *id = def ? cats_add(&rd->cats, trim(def), &rd->oom) : NULL;
        rd->oom = rd->oom || !def;
        free(def);
        if (id) {
            ids[n++] = id;
        }
    }
    if (rd->oom) {
        return false;
    }
    if (n == 0) {
        return true;
    }
    arr = cJSON_AddArrayToObject(item, "categories");
    for (size_t i = 0; arr && i < n; i++) {
        if (!cJSON_AddItemToArray(arr, cJSON_CreateString(ids[i]))) {
            return false;
        }
    }
    return arr;
}

/* The item of a row's first appearance: everything but the dates, which come at the end. */
static cJSON *new_item(struct reader *rd, struct row *r, const char *place, uint64_t h, char *why)
{
    bool ev = rd->o->kind == FEED_KIND_EVENT;
    const char *prefix = rd->o->id_prefix ? rd->o->id_prefix : "";
    char id[CSV_MAX_ID + 32];
    cJSON *item = cJSON_CreateObject();
    bool ok;

    snprintf(id, sizeof id, "%scsv-%016llx", prefix, (unsigned long long)h);
    {
        const char *addr[] = {r->f[COL_ADDRESS],   r->f[COL_ADDR_PREF], r->f[COL_ADDR_CITY],
                              r->f[COL_ADDR_TOWN], r->f[COL_ADDR_REST], r->f[COL_BUILDING]};
        const char *addr_sep[] = {"", "", "", "", "", " "};
        const char *fee[] = {r->f[COL_FEE], r->f[COL_FEE_DETAIL]};
        const char *fee_sep[] = {"", "\n"};
        const char *phone = r->f[COL_CONTACT_PHONE];
        const char *contact[] = {r->f[COL_CONTACT_NAME], phone,
                                 phone[0] ? r->f[COL_CONTACT_EXT] : "", r->f[COL_CONTACT_MAIL],
                                 r->f[COL_SIGNUP_HOW]};
        const char *contact_sep[] = {"", " ", " 内線", " ", "\n"};
        const char *desc = r->f[COL_DESCRIPTION][0] ? r->f[COL_DESCRIPTION] : r->f[COL_OVERVIEW];

        ok = item && cJSON_AddStringToObject(item, "id", id) &&
             add_text_en(item, "title", r->f[COL_NAME], r->f[COL_NAME_EN]) &&
             add_text(item, "place", place) && add_joined(item, "address", addr, addr_sep, 6) &&
             add_text(item, "description", desc) &&
             add_text(item, ev ? "organizer" : "organization", r->f[COL_ORGANIZER]) &&
             add_text(item, "wanted", r->f[COL_WANTED]) &&
             add_joined(item, "fee", fee, fee_sep, 2) &&
             add_joined(item, "contact", contact, contact_sep, 5) &&
             add_text(item, "time_note", r->f[COL_TIME_NOTE]);
    }
    if (!ok) {
        snprintf(why, CSV_REASON, "out of memory");
        cJSON_Delete(item);
        return NULL;
    }
    if (!row_deadline(rd, r, item, why)) {
        cJSON_Delete(item);
        return NULL;
    }
    ok = add_capacity(item, r->f[COL_CAPACITY]) && add_signup(rd, item, r->f[COL_URL]) &&
         add_categories(rd, item, (char *)r->f[COL_CATEGORY]);
    if (!ok) {
        snprintf(why, CSV_REASON, "out of memory");
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

static bool occ_same(const struct occ *a, const struct occ *b)
{
    return strcmp(a->start, b->start) == 0 && strcmp(a->end, b->end) == 0;
}

static int occ_add(struct series *s, const struct occ *o)
{
    if (s->n_occ == s->cap_occ) {
        size_t cap = s->cap_occ ? s->cap_occ * 2 : 4;
        struct occ *nv;
        if (cap > FEED_MAX_DATES) {
            cap = FEED_MAX_DATES;
        }
        nv = realloc(s->occ, cap * sizeof *nv);
        if (!nv) {
            return -1;
        }
        s->occ = nv;
        s->cap_occ = cap;
    }
    s->occ[s->n_occ++] = *o;
    return 0;
}

/* One data row: a new listing, another date of a known one, or a drop. -1 only when memory
 * ran out. */
static int take_row(struct reader *rd, struct row *r)
{
    char why[CSV_REASON];
    const char *place = r->f[COL_PLACE][0] ? r->f[COL_PLACE] : r->f[COL_MEETING];
    struct occ o;
    bool dated;
    struct series *s;
    char *key;
    uint64_t h;

    if (!r->f[COL_NAME][0] || !utf8_has_visible(r->f[COL_NAME], strlen(r->f[COL_NAME]))) {
        snprintf(why, sizeof why, "missing %s", rd->label[COL_NAME]);
        drop(rd, r->line, why);
        return 0;
    }
    if (!row_dates(rd, r, &o, &dated, why)) {
        drop(rd, r->line, why);
        return 0;
    }
    key = series_key(r->f[COL_NAME], place);
    if (!key) {
        return -1;
    }
    h = fnv1a(key);
    s = table_find(&rd->table, key, h);
    if (s) {
        free(key);
        if (!dated || s->n_occ == 0) {
            snprintf(why, sizeof why, "same name and place as line %ld", s->line);
            drop(rd, r->line, why);
            return 0;
        }
        for (size_t i = 0; i < s->n_occ; i++) {
            if (occ_same(&s->occ[i], &o)) {
                snprintf(why, sizeof why, "same name, place and date as line %ld", s->occ[i].line);
                drop(rd, r->line, why);
                return 0;
            }
        }
        if (s->n_occ == FEED_MAX_DATES) {
            snprintf(why, sizeof why, "more than %u dates of one listing", FEED_MAX_DATES);
            drop(rd, r->line, why);
            return 0;
        }
        return occ_add(s, &o);
    }
    if (rd->table.n >= rd->o->max_items) {
        free(key);
        snprintf(why, sizeof why, "over the limit of %zu items", rd->o->max_items);
        drop(rd, r->line, why);
        return 0;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        free(key);
        return -1;
    }
    s->key = key;
    s->hash = h;
    s->line = r->line;
    s->item = new_item(rd, r, place, h, why);
    if (!s->item) {
        free(key);
        free(s);
        if (rd->oom || strcmp(why, "out of memory") == 0) {
            return -1;
        }
        drop(rd, r->line, why);
        return 0;
    }
    if (table_add(&rd->table, s)) {
        return -1;
    }
    return dated ? occ_add(s, &o) : 0;
}

/* ---- the header ---- */

/* The comparison form of a header name: no BOM, parentheses, underscores or spaces. */
static void header_canon(const char *s, char *out, size_t outlen)
{
    static const char *const skip[] = {"\xEF\xBB\xBF", "（", "）", "＿", "　", "(", ")", "_", " "};
    size_t n = 0;

    while (*s) {
        bool skipped = false;
        for (size_t i = 0; i < sizeof skip / sizeof skip[0] && !skipped; i++) {
            size_t k = strlen(skip[i]);
            if (strncmp(s, skip[i], k) == 0) {
                s += k;
                skipped = true;
            }
        }
        if (skipped) {
            continue;
        }
        if (n + 1 >= outlen) {
            break;
        }
        out[n++] = *s++;
    }
    out[n] = '\0';
}

static void read_header(struct reader *rd, struct record *rec)
{
    for (size_t c = 0; c < COL_COUNT; c++) {
        rd->col[c] = -1;
    }
    rd->n_cols = rec->n_fields < CSV_MAX_COLUMNS ? rec->n_fields : CSV_MAX_COLUMNS;
    for (size_t i = 0; i < rec->n_stored && i < CSV_MAX_COLUMNS; i++) {
        char canon[64];
        const char *name = trim(rec->buf + rec->off[i]);
        header_canon(name, canon, sizeof canon);
        for (size_t k = 0; k < sizeof header_names / sizeof header_names[0]; k++) {
            enum col c = header_names[k].col;
            if (rd->col[c] < 0 && strcmp(canon, header_names[k].name) == 0) {
                rd->col[c] = (int)i;
                excerpt(name, rd->label[c], sizeof rd->label[c]);
            }
        }
    }
    /* reasons name a column the file lacks by its catalogue name */
    if (rd->col[COL_START_DATE] < 0) {
        snprintf(rd->label[COL_START_DATE], sizeof rd->label[0], "開始日");
    }
}

/* A record with nothing but blank fields is an empty line (a spreadsheet's ",,,,"). */
static bool record_blank(const struct record *rec)
{
    for (size_t i = 0; i < rec->n_stored; i++) {
        const char *f = rec->buf + rec->off[i];
        for (; *f; f++) {
            if (!is_ascii_space(*f)) {
                return false;
            }
        }
    }
    return true;
}

/* Fills r from the record: each known column trimmed, in place. */
static void row_from(const struct reader *rd, struct record *rec, struct row *r)
{
    static const char empty[1] = "";

    r->line = rec->line;
    for (size_t c = 0; c < COL_COUNT; c++) {
        int i = rd->col[c];
        r->f[c] = i >= 0 && (size_t)i < rec->n_stored ? trim(rec->buf + rec->off[i]) : empty;
    }
}

/* ---- the document ---- */

static int cmp_occ(const void *pa, const void *pb)
{
    const struct occ *a = pa, *b = pb;

    if (a->s != b->s) {
        return a->s < b->s ? -1 : 1;
    }
    if (a->e != b->e) {
        return a->e < b->e ? -1 : 1;
    }
    return strcmp(a->start, b->start);
}

static bool add_date(cJSON *obj, const struct occ *o)
{
    return cJSON_AddStringToObject(obj, "start", o->start) &&
           (!o->end[0] || cJSON_AddStringToObject(obj, "end", o->end));
}

/* Moves each listing into arr, its dates sorted, the first one its own start and end. */
static bool finish_items(struct reader *rd, cJSON *arr)
{
    for (size_t i = 0; i < rd->table.n; i++) {
        struct series *s = rd->table.v[i];
        cJSON *item = s->item;

        if (s->n_occ > 0) {
            qsort(s->occ, s->n_occ, sizeof *s->occ, cmp_occ);
            if (!add_date(item, &s->occ[0])) {
                return false;
            }
        }
        if (s->n_occ > 1) {
            cJSON *dates = cJSON_AddArrayToObject(item, "dates");
            for (size_t k = 0; dates && k < s->n_occ; k++) {
                cJSON *d = cJSON_CreateObject();
                if (!cJSON_AddItemToArray(dates, d) || !add_date(d, &s->occ[k])) {
                    return false;
                }
            }
            if (!dates) {
                return false;
            }
        }
        if (!cJSON_AddItemToArray(arr, item)) {
            return false;
        }
        s->item = NULL;
    }
    return true;
}

/* Reads every record after the header. -1 when memory ran out. */
static int read_rows(struct reader *rd, struct scanner *sc, struct record *rec)
{
    while (read_record(sc, rec, rd->n_cols)) {
        char why[CSV_REASON];
        struct row r;

        if (rec->oom) {
            return -1;
        }
        if (rec->problem) {
            snprintf(why, sizeof why, "%s", rec->problem);
            drop(rd, rec->line, why);
            recover(sc, rec);
            continue;
        }
        if (record_blank(rec)) {
            continue;
        }
        if (rec->n_fields < rd->n_cols) {
            snprintf(why, sizeof why, "short row (%zu field%s, the header has %zu)", rec->n_fields,
                     rec->n_fields == 1 ? "" : "s", rd->n_cols);
            drop(rd, rec->line, why);
            continue;
        }
        row_from(rd, rec, &r);
        if (take_row(rd, &r)) {
            return -1;
        }
    }
    return rec->oom ? -1 : 0;
}

struct cJSON *import_csv(const char *data, size_t len, const struct import_opts *o_in, char *err,
                         size_t errlen)
{
    struct import_opts o;
    struct reader rd;
    struct scanner sc;
    struct record rec;
    size_t text_len = 0;
    char *text = NULL;
    cJSON *doc = NULL, *items;
    bool ok = false;

    if (o_in) {
        o = *o_in;
    } else {
        import_opts_default(&o);
    }
    if (o.max_items == 0) {
        o.max_items = FEED_MAX_ITEMS_DEFAULT;
    }
    memset(&rd, 0, sizeof rd);
    memset(&rec, 0, sizeof rec);
    rd.o = &o;
    if (o.id_prefix && strlen(o.id_prefix) + 20 > CSV_MAX_ID) {
        snprintf(err, errlen, "id prefix longer than %u bytes", CSV_MAX_ID - 20);
        return NULL;
    }
    text = to_utf8(data ? data : "", data ? len : 0, &text_len, err, errlen);
    if (!text) {
        return NULL;
    }
    sc.p = text;
    sc.end = text + text_len;
    sc.line = 1;
    sc.recoveries = 0;
    /* the header is the first record that is not an empty line */
    do {
        if (!read_record(&sc, &rec, CSV_MAX_COLUMNS)) {
            snprintf(err, errlen, "no header: the file is empty");
            goto out;
        }
        if (rec.oom) {
            goto oom;
        }
    } while (record_blank(&rec));
    read_header(&rd, &rec);
    if (rd.col[COL_NAME] < 0) {
        snprintf(err, errlen,
                 "no name column: neither 名称 nor イベント名 in the header (line %ld)", rec.line);
        goto out;
    }
    doc = cJSON_CreateObject();
    rd.cats.list = cJSON_CreateArray();
    if (!doc || !rd.cats.list || !cJSON_AddNumberToObject(doc, "version", 1)) {
        goto oom;
    }
    if (read_rows(&rd, &sc, &rec) || rd.oom) {
        goto oom;
    }
    if (!cJSON_AddItemToObject(doc, "categories", rd.cats.list)) {
        goto oom;
    }
    rd.cats.list = NULL;
    items = cJSON_AddArrayToObject(doc, o.kind == FEED_KIND_EVENT ? "events" : "volunteers");
    if (!items || !finish_items(&rd, items) ||
        !cJSON_AddArrayToObject(doc, o.kind == FEED_KIND_EVENT ? "volunteers" : "events")) {
        goto oom;
    }
    ok = true;
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
out:
    table_free(&rd.table);
    for (size_t i = 0; i < rd.cats.n; i++) {
        free(rd.cats.ids[i]);
    }
    cJSON_Delete(rd.cats.list);
    free(rec.buf);
    free(rec.off);
    free(text);
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    if (err && errlen) {
        err[0] = '\0';
    }
    return doc;
}
