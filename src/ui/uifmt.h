/* uifmt: dates, times and small texts in the Japanese form the screens show.
 *
 * Pure functions of their arguments and the facility's zone (timeutil_set_zone): no SDL,
 * no model, so tests can pin every form. A date reads 12月1日(火); a year is added only
 * when it differs from the current one; an item's time reads 12月1日(火) 10:00〜12:00,
 * 終日 for an all-day item, and a deadline 締切 11月28日(土). Every function writes a
 * NUL-terminated string (cut at a character boundary when `len` is short) and returns its
 * length in bytes. */
#ifndef KIOSK_UI_UIFMT_H
#define KIOSK_UI_UIFMT_H

#include <stddef.h>
#include <stdint.h>

#include "feed/feed.h"

enum uifmt_wday_class { UIFMT_WEEKDAY, UIFMT_SATURDAY, UIFMT_SUNDAY };

/* Saturday and Sunday are coloured on screen (blue, red); this says which t falls on. */
enum uifmt_wday_class uifmt_wday_class(int64_t t);

/* "12月1日", or "2027年1月5日" when t's year differs from now's (now <= 0: never). */
size_t uifmt_month_day(int64_t t, int64_t now, char *buf, size_t len);

/* "(火)". */
size_t uifmt_weekday(int64_t t, char *buf, size_t len);

/* "12月1日(火)" (with the year rule of uifmt_month_day). */
size_t uifmt_date(int64_t t, int64_t now, char *buf, size_t len);

/* "10:00" (24-hour, two-digit minutes). */
size_t uifmt_hm(int64_t t, char *buf, size_t len);

/* "12/1" for a date block's big numerals. */
size_t uifmt_short_date(int64_t t, char *buf, size_t len);

/* The item as it reads on date d of its series: a copy with d's start, end and all_day.
 * A timed date ending at the midnight after its start reads as having no end ("10:00〜"),
 * as an event without an end does (feed.c stores that midnight for both). */
void uifmt_item_on_date(const struct feed_item *it, const struct feed_date *d,
                        struct feed_item *out);

/* The time of day part of an item on its start day: "10:00〜12:00", "10:00〜" (no end or an
 * end on a later day), "終日" (or the item's time_note, "10時～12時ごろ", when it has one),
 * or "" without a start. */
size_t uifmt_time_range(const struct feed_item *it, char *buf, size_t len);

/* Everything about when: "12月1日(火) 10:00〜12:00", "12月1日(火) 終日",
 * "12月1日(火)〜12月3日(木)" (all-day over days), "12月1日(火) 10:00〜12月3日(木) 17:00",
 * or "" without a start. An all-day item's time_note stands for 終日 and follows a range
 * of days ("12月1日(火)〜12月3日(木) 10時～16時"). */
size_t uifmt_when(const struct feed_item *it, int64_t now, char *buf, size_t len);

/* "締切 11月28日(土)", with the time when it is not midnight or 23:59
 * ("締切 11月28日(土) 17:00"). */
size_t uifmt_deadline(int64_t t, int64_t now, char *buf, size_t len);

/* "最終更新 10:05" when t is on now's day, else "最終更新 11月24日(火) 10:05";
 * "最終更新 －" when t <= 0. */
size_t uifmt_last_update(int64_t t, int64_t now, char *buf, size_t len);

/* "%zu件". */
size_t uifmt_count(size_t n, char *buf, size_t len);

/* The facts a list row shows as chips, in the order drawn: status first, then fee,
 * whether to apply, and capacity. Only what the feed says: no chip is guessed. */
enum uifmt_chip_kind {
    UIFMT_CHIP_STATUS, /* 開催中, きょう締切: drawn in a strong colour */
    UIFMT_CHIP_FEE,    /* 無料, or the fee itself when short ("500円"), else 有料 */
    UIFMT_CHIP_APPLY, /* 要申込 (a signup page or a deadline), 申込不要 (the feed says so) */
    UIFMT_CHIP_CAPACITY,
};
#define UIFMT_MAX_CHIPS 5
#define UIFMT_CHIP_LEN 48
struct uifmt_chip {
    enum uifmt_chip_kind kind;
    char label[UIFMT_CHIP_LEN];
};

/* Fills out[] (UIFMT_MAX_CHIPS) with the item's chips at `now` (0: clock unknown, no status)
 * and returns how many. */
size_t uifmt_chips(const struct feed_item *it, int64_t now, struct uifmt_chip *out);

/* Whether a listing's place is outside the facility's building, for 館外 and a walking hint
 * on its detail. Kept simple and predictable: a place is in the building when it names the
 * facility (facility, as in the config) or starts with a floor (「4階」「地下2階」「B1」
 * 「2F」) or 「館内」; anything else (「境南コミュニティセンター」「プレイス前広場」「市内各所」)
 * is outside. An empty place says nothing: false. */
bool uifmt_place_offsite(const char *place, const char *facility);

#endif
