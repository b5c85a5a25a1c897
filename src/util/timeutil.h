/* timeutil: ISO 8601 parsing and the facility's local time.
 *
 * The kiosk shows and compares times in the facility's zone (config `timezone`, default
 * Asia/Tokyo) whatever TZ the machine has: timeutil_set_zone() selects it once at start-up
 * for the whole process. Parsing is strict: a date-time must carry an offset ("Z" or
 * "+09:00"); a bare date means the whole day in the facility's zone. */
#ifndef KIOSK_UTIL_TIMEUTIL_H
#define KIOSK_UTIL_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pure calendar arithmetic, proleptic Gregorian, no zone: days since 1970-01-01 of a date
 * (month 1-12), its inverse, and the length of a month. Any thread. */
int64_t timeutil_days_from_civil(int64_t y, int m, int d);
void timeutil_civil_from_days(int64_t day, int64_t *y, int *m, int *d);
int timeutil_days_in_month(int y, int m);

/* Selects the facility's zone (an IANA name such as "Asia/Tokyo"). Returns 0, or -EINVAL
 * when the zone is unknown to the system's tz database. Main thread, at start-up. */
int timeutil_set_zone(const char *zone);

/* Parses "YYYY-MM-DDTHH:MM[:SS[.frac]](Z|±HH:MM)" or "YYYY-MM-DD". Returns 0 and sets *out
 * (and *date_only when not NULL); -EINVAL on anything else, including impossible dates. */
int timeutil_parse_iso8601(const char *s, int64_t *out, bool *date_only);

/* Formats t as "YYYY-MM-DDTHH:MM:SS+09:00" in the facility's zone. buf >= 32 bytes. */
void timeutil_format_iso8601(int64_t t, char *buf, size_t len);

struct time_parts {
    int year, month, day; /* month 1-12, day 1-31 */
    int hour, minute, second;
    int wday; /* 0 = Sunday */
    int yday;
};

/* Breaks t down in the facility's zone. */
void timeutil_local(int64_t t, struct time_parts *out);

/* The facility-local time of a calendar moment (month 1-12). */
int64_t timeutil_make_local(int year, int month, int day, int hour, int minute);

/* Midnight that starts the facility-local day containing t. */
int64_t timeutil_day_start(int64_t t);

#endif
