/* timeutil: ISO 8601 parsing and the facility's local time.
 *
 * Instants are parsed by hand and converted with days-from-civil arithmetic (Howard
 * Hinnant's algorithm), so a feed's "2026-12-01T10:00:00+09:00" means the same Unix second
 * whatever TZ the machine has and without timegm(). Only the facility's own calendar (a
 * bare date, "today", "this month") goes through the C library's zone rules, selected once
 * by timeutil_set_zone() through TZ. The parser is strict on purpose: a feed that says
 * 24:00 or February 30 has a mistake the city should hear about, not a guess from us. */
#include "util/timeutil.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo/"

int timeutil_set_zone(const char *zone)
{
    char path[512];
    struct stat st;
    int n;

    if (!zone || !*zone || zone[0] == '/' || strstr(zone, "..")) {
        return -EINVAL;
    }
    for (const char *p = zone; *p; p++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '/' || c == '_' || c == '-' || c == '+' || c == '.';
        if (!ok) {
            return -EINVAL;
        }
    }
    n = snprintf(path, sizeof path, "%s%s", ZONEINFO_DIR, zone);
    if (n < 0 || (size_t)n >= sizeof path) {
        return -EINVAL;
    }
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return -EINVAL;
    }
    if (setenv("TZ", zone, 1) != 0) {
        return -EINVAL;
    }
    tzset();
    return 0;
}

int64_t timeutil_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse of timeutil_days_from_civil (Hinnant's civil_from_days). */
void timeutil_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int timeutil_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n digits at *p. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

int timeutil_parse_iso8601(const char *s, int64_t *out, bool *date_only)
{
    const char *p = s;
    int y, mo, d, h, mi, sec = 0, oh, om;
    int64_t t;
    int sign;

    if (!s) {
        return -EINVAL;
    }
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d)) {
        return -EINVAL;
    }
    /* Before 1970 Asia/Tokyo has local-mean-time offsets that do not round-trip; no
     * listing is older than the Unix epoch, so such a year is a typo, not a date. */
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > timeutil_days_in_month(y, mo)) {
        return -EINVAL;
    }
    if (*p == '\0') {
        *out = timeutil_make_local(y, mo, d, 0, 0);
        if (date_only) {
            *date_only = true;
        }
        return 0;
    }
    if (*p++ != 'T') {
        return -EINVAL;
    }
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi)) {
        return -EINVAL;
    }
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &sec)) {
            return -EINVAL;
        }
        if (*p == '.' || *p == ',') {
            int nfrac = 0;
            p++;
            while (*p >= '0' && *p <= '9' && nfrac < 9) {
                p++;
                nfrac++;
            }
            if (nfrac == 0 || (*p >= '0' && *p <= '9')) {
                return -EINVAL;
            }
        }
    }
    /* no hour 24, no leap second: a feed has no reason to use either */
    if (h > 23 || mi > 59 || sec > 59) {
        return -EINVAL;
    }
    if (*p == 'Z') {
        p++;
        sign = 0;
        oh = om = 0;
    } else if (*p == '+' || *p == '-') {
        sign = *p++ == '+' ? 1 : -1;
        if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om)) {
            return -EINVAL;
        }
        if (oh > 18 || om > 59 || (oh == 18 && om > 0)) {
            return -EINVAL;
        }
    } else {
        return -EINVAL; /* a date-time without an offset is ambiguous: refuse it */
    }
    if (*p != '\0') {
        return -EINVAL;
    }
    t = timeutil_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + mi * 60 + sec;
    t -= (int64_t)sign * (oh * 3600 + om * 60);
    *out = t;
    if (date_only) {
        *date_only = false;
    }
    return 0;
}

/* time_t may be 32 bits on armhf bookworm: keep the C library inside what it can hold. */
static time_t to_time_t(int64_t t)
{
    if (sizeof(time_t) < 8) {
        if (t > INT32_MAX) {
            t = INT32_MAX;
        }
        if (t < INT32_MIN) {
            t = INT32_MIN;
        }
    }
    return (time_t)t;
}

static void local_tm(int64_t t, struct tm *tm)
{
    time_t tt = to_time_t(t);
    if (!localtime_r(&tt, tm)) {
        memset(tm, 0, sizeof *tm);
        tm->tm_year = 70;
        tm->tm_mday = 1;
    }
}

void timeutil_format_iso8601(int64_t t, char *buf, size_t len)
{
    struct tm tm;
    long off;
    char sign;

    local_tm(t, &tm);
    off = tm.tm_gmtoff;
    sign = off < 0 ? '-' : '+';
    if (off < 0) {
        off = -off;
    }
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600,
             (off % 3600) / 60);
}

void timeutil_local(int64_t t, struct time_parts *out)
{
    struct tm tm;

    local_tm(t, &tm);
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->minute = tm.tm_min;
    out->second = tm.tm_sec;
    out->wday = tm.tm_wday;
    out->yday = tm.tm_yday;
}

int64_t timeutil_make_local(int year, int month, int day, int hour, int minute)
{
    struct tm tm;
    time_t t;

    memset(&tm, 0, sizeof tm);
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_isdst = -1; /* let the zone rules decide */
    t = mktime(&tm);
    if (t == (time_t)-1) {
        /* -1 is also a real instant (1969-12-31T23:59:59Z); otherwise fall back to the
         * zone-free arithmetic so the caller still gets a usable value */
        return timeutil_days_from_civil(year, month, day) * 86400 + (int64_t)hour * 3600 +
               minute * 60;
    }
    return (int64_t)t;
}

int64_t timeutil_day_start(int64_t t)
{
    struct tm tm;

    local_tm(t, &tm);
    return timeutil_make_local(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 0);
}
