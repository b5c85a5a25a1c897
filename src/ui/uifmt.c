/* uifmt: see uifmt.h. Everything goes through one appender that never overruns and never
 * cuts a UTF-8 character in half, so a short buffer gives a shorter string, not garbage. */
#include "ui/uifmt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ui/strings.h"
#include "util/timeutil.h"

struct sbuf {
    char *buf;
    size_t len;
    size_t used;
    bool full; /* something was cut: later pieces would read wrong, drop them */
};

static void sb_init(struct sbuf *b, char *buf, size_t len)
{
    b->buf = buf;
    b->len = len;
    b->used = 0;
    b->full = false;
    if (len > 0) {
        buf[0] = '\0';
    }
}

/* Appends s whole characters at a time while they fit. */
static void sb_puts(struct sbuf *b, const char *s)
{
    if (b->len == 0 || b->full) {
        return;
    }
    size_t n = strlen(s);
    size_t room = b->len - 1 - b->used;
    if (n > room) {
        b->full = true;
        n = room;
        /* back off to a character boundary: never leave a lead byte without its tail */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(b->buf + b->used, s, n);
    b->used += n;
    b->buf[b->used] = '\0';
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    sb_puts(b, tmp);
}

static const enum ui_str wday_names[7] = {
    UI_STR_WD_SUN, UI_STR_WD_MON, UI_STR_WD_TUE, UI_STR_WD_WED,
    UI_STR_WD_THU, UI_STR_WD_FRI, UI_STR_WD_SAT,
};

enum uifmt_wday_class uifmt_wday_class(int64_t t)
{
    struct time_parts p;
    timeutil_local(t, &p);
    if (p.wday == 6) {
        return UIFMT_SATURDAY;
    }
    if (p.wday == 0) {
        return UIFMT_SUNDAY;
    }
    return UIFMT_WEEKDAY;
}

static void put_month_day(struct sbuf *b, int64_t t, int64_t now)
{
    struct time_parts p;
    timeutil_local(t, &p);
    bool with_year = false;
    if (now > 0) {
        struct time_parts n;
        timeutil_local(now, &n);
        with_year = n.year != p.year;
    }
    /* numbers here, words from the table (format strings cannot come from a table
     * under -Wformat-nonliteral) */
    if (with_year) {
        sb_printf(b, "%d", p.year);
        sb_puts(b, ui_str(UI_STR_YEAR_SUFFIX));
    }
    sb_printf(b, "%d", p.month);
    sb_puts(b, ui_str(UI_STR_MONTH_SUFFIX));
    sb_printf(b, "%d", p.day);
    sb_puts(b, ui_str(UI_STR_DAY_SUFFIX));
}

static void put_weekday(struct sbuf *b, int64_t t)
{
    struct time_parts p;
    timeutil_local(t, &p);
    sb_puts(b, "(");
    sb_puts(b, ui_str(wday_names[p.wday % 7]));
    sb_puts(b, ")");
}

static void put_hm(struct sbuf *b, int64_t t)
{
    struct time_parts p;
    timeutil_local(t, &p);
    sb_printf(b, "%d:%02d", p.hour, p.minute);
}

size_t uifmt_month_day(int64_t t, int64_t now, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    put_month_day(&b, t, now);
    return b.used;
}

size_t uifmt_weekday(int64_t t, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    put_weekday(&b, t);
    return b.used;
}

size_t uifmt_date(int64_t t, int64_t now, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    put_month_day(&b, t, now);
    put_weekday(&b, t);
    return b.used;
}

size_t uifmt_hm(int64_t t, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    put_hm(&b, t);
    return b.used;
}

size_t uifmt_short_date(int64_t t, char *buf, size_t len)
{
    struct time_parts p;
    struct sbuf b;
    sb_init(&b, buf, len);
    timeutil_local(t, &p);
    sb_printf(&b, "%d/%d", p.month, p.day);
    return b.used;
}

/* The local day an item ends on; an end exactly at midnight belongs to the day before
 * (an all-day item "ends" at the next day's midnight). */
static int64_t end_day(const struct feed_item *it)
{
    int64_t e = it->end;
    if (e > it->start) {
        e -= 1;
    }
    return timeutil_day_start(e);
}

static bool spans_days(const struct feed_item *it)
{
    return it->has_end && it->end > it->start && end_day(it) != timeutil_day_start(it->start);
}

void uifmt_item_on_date(const struct feed_item *it, const struct feed_date *d,
                        struct feed_item *out)
{
    struct time_parts p;

    *out = *it;
    out->has_start = true;
    out->start = d->start;
    out->end = d->end;
    out->all_day = d->all_day;
    timeutil_local(d->start, &p);
    out->has_end = d->all_day || d->end != timeutil_make_local(p.year, p.month, p.day + 1, 0, 0);
}

/* What an all-day item shows for its time: the feed's remark, or 終日. */
static const char *all_day_word(const struct feed_item *it)
{
    return it->time_note.ja ? it->time_note.ja : ui_str(UI_STR_ALL_DAY);
}

size_t uifmt_time_range(const struct feed_item *it, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    if (!it->has_start) {
        return 0;
    }
    if (it->all_day && !spans_days(it)) {
        sb_puts(&b, all_day_word(it));
        return b.used;
    }
    if (spans_days(it)) {
        /* a period over several days: its last day says more than the first hour
         * (a card reading "0:00〜" for a winter-long listing tells a visitor nothing) */
        char end[16];
        uifmt_short_date(end_day(it), end, sizeof end);
        sb_puts(&b, ui_str(UI_STR_RANGE_SEP));
        sb_puts(&b, end);
        return b.used;
    }
    /* 0:00〜23:59 is how some feeds write a whole day: it reads 終日 */
    int64_t day = timeutil_day_start(it->start);
    if (it->start == day && it->has_end && it->end >= day + 86340) {
        sb_puts(&b, all_day_word(it));
        return b.used;
    }
    put_hm(&b, it->start);
    sb_puts(&b, ui_str(UI_STR_RANGE_SEP));
    if (it->has_end && it->end > it->start) {
        put_hm(&b, it->end);
    }
    return b.used;
}

size_t uifmt_when(const struct feed_item *it, int64_t now, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    if (!it->has_start) {
        return 0;
    }
    put_month_day(&b, it->start, now);
    put_weekday(&b, it->start);
    if (it->all_day) {
        if (spans_days(it)) {
            sb_puts(&b, ui_str(UI_STR_RANGE_SEP));
            put_month_day(&b, end_day(it), now);
            put_weekday(&b, end_day(it));
            if (it->time_note.ja) {
                sb_puts(&b, " ");
                sb_puts(&b, it->time_note.ja);
            }
        } else {
            sb_puts(&b, " ");
            sb_puts(&b, all_day_word(it));
        }
        return b.used;
    }
    sb_puts(&b, " ");
    put_hm(&b, it->start);
    sb_puts(&b, ui_str(UI_STR_RANGE_SEP));
    if (it->has_end && it->end > it->start) {
        if (spans_days(it)) {
            put_month_day(&b, it->end, now);
            put_weekday(&b, it->end);
            sb_puts(&b, " ");
        }
        put_hm(&b, it->end);
    }
    return b.used;
}

size_t uifmt_deadline(int64_t t, int64_t now, char *buf, size_t len)
{
    struct sbuf b;
    struct time_parts p;
    sb_init(&b, buf, len);
    timeutil_local(t, &p);
    sb_puts(&b, ui_str(UI_STR_DEADLINE));
    sb_puts(&b, " ");
    put_month_day(&b, t, now);
    put_weekday(&b, t);
    if (!(p.hour == 0 && p.minute == 0) && !(p.hour == 23 && p.minute == 59)) {
        sb_puts(&b, " ");
        put_hm(&b, t);
    }
    return b.used;
}

size_t uifmt_last_update(int64_t t, int64_t now, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    if (t <= 0) {
        sb_puts(&b, ui_str(UI_STR_LAST_UPDATE_NONE));
        return b.used;
    }
    sb_puts(&b, ui_str(UI_STR_LAST_UPDATE));
    sb_puts(&b, " ");
    if (now <= 0 || timeutil_day_start(t) != timeutil_day_start(now)) {
        put_month_day(&b, t, now);
        put_weekday(&b, t);
        sb_puts(&b, " ");
    }
    put_hm(&b, t);
    return b.used;
}

size_t uifmt_count(size_t n, char *buf, size_t len)
{
    struct sbuf b;
    sb_init(&b, buf, len);
    sb_printf(&b, "%zu", n);
    sb_puts(&b, ui_str(UI_STR_COUNT_UNIT));
    return b.used;
}

static bool text_has(const struct feed_text *t, const char *s)
{
    return (t->ja && strstr(t->ja, s)) || (t->en && strstr(t->en, s));
}

static bool says_no_signup(const struct feed_item *it)
{
    static const char *const forms[] = {"申込不要", "申し込み不要", "申込み不要", "予約不要"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        if (text_has(&it->fee, forms[i]) || text_has(&it->summary, forms[i]) ||
            text_has(&it->description, forms[i])) {
            return true;
        }
    }
    return false;
}

static void chip_add(struct uifmt_chip *out, size_t *n, enum uifmt_chip_kind kind, const char *s)
{
    struct sbuf b;
    if (*n >= UIFMT_MAX_CHIPS) {
        return;
    }
    out[*n].kind = kind;
    sb_init(&b, out[*n].label, sizeof out[*n].label);
    sb_puts(&b, s);
    (*n)++;
}

/* The fee as a chip: 無料 when it starts so, the fee itself up to the first bracket when
 * that is short ("500円（材料費）" gives 500円), else 有料. */
static void fee_chip(const struct feed_item *it, struct uifmt_chip *out, size_t *n)
{
    const char *fee = it->fee.ja;
    if (!fee || !fee[0]) {
        return;
    }
    if (strncmp(fee, "無料", strlen("無料")) == 0) {
        chip_add(out, n, UIFMT_CHIP_FEE, ui_str(UI_STR_CHIP_FREE));
        return;
    }
    const char *br = strstr(fee, "（");
    size_t len = br ? (size_t)(br - fee) : strlen(fee);
    char head[UIFMT_CHIP_LEN];
    if (len > 0 && len <= 15 && !memchr(fee, ',', len) && !strstr(fee, "、")) {
        memcpy(head, fee, len);
        head[len] = '\0';
        chip_add(out, n, UIFMT_CHIP_FEE, head);
    } else {
        chip_add(out, n, UIFMT_CHIP_FEE, ui_str(UI_STR_CHIP_PAID));
    }
}

size_t uifmt_chips(const struct feed_item *it, int64_t now, struct uifmt_chip *out)
{
    size_t n = 0;
    char buf[UIFMT_CHIP_LEN];
    if (now > 0 && it->has_start && it->start <= now && it->has_end && now < it->end) {
        chip_add(out, &n, UIFMT_CHIP_STATUS, ui_str(UI_STR_CHIP_NOW));
    } else if (now > 0 && it->has_deadline && now < it->deadline &&
               timeutil_day_start(it->deadline) == timeutil_day_start(now)) {
        chip_add(out, &n, UIFMT_CHIP_STATUS, ui_str(UI_STR_CHIP_DEADLINE_TODAY));
    }
    fee_chip(it, out, &n);
    if (says_no_signup(it)) {
        chip_add(out, &n, UIFMT_CHIP_APPLY, ui_str(UI_STR_CHIP_NO_SIGNUP));
    } else if (it->signup_url || it->has_deadline) {
        chip_add(out, &n, UIFMT_CHIP_APPLY, ui_str(UI_STR_CHIP_SIGNUP));
    }
    if (it->capacity > 0) {
        snprintf(buf, sizeof buf, "%s%d%s", ui_str(UI_STR_CHIP_CAPACITY), it->capacity,
                 ui_str(UI_STR_CAPACITY_UNIT));
        chip_add(out, &n, UIFMT_CHIP_CAPACITY, buf);
    }
    return n;
}

static bool starts_with_floor(const char *p)
{
    if (strncmp(p, "地下", strlen("地下")) == 0) {
        p += strlen("地下");
    } else if (*p == 'B' || *p == 'b') {
        return p[1] >= '0' && p[1] <= '9';
    }
    /* ASCII or full-width digits (「４階」: feeds write both) */
    size_t n = 0;
    for (;;) {
        if (*p >= '0' && *p <= '9') {
            p++;
        } else if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
                   (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99) {
            p += 3;
        } else {
            break;
        }
        n++;
    }
    if (n == 0) {
        return false;
    }
    return strncmp(p, "階", strlen("階")) == 0 || *p == 'F' || *p == 'f';
}

bool uifmt_place_offsite(const char *place, const char *facility)
{
    while (place && (*place == ' ' || strncmp(place, "\xE3\x80\x80", 3) == 0)) {
        place += *place == ' ' ? 1 : 3;
    }
    if (!place || !place[0]) {
        return false;
    }
    if (facility && facility[0] && strstr(place, facility)) {
        return false;
    }
    return !starts_with_floor(place) && strncmp(place, "館内", strlen("館内")) != 0;
}
