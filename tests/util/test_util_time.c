/* test_util_time: strict ISO 8601 parsing and the facility's calendar.
 *
 * ctest runs this with TZ=UTC; every test selects the facility's zone itself. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"
#include "testutil.h"

/* 2026-12-01T00:00:00Z */
#define DEC1_UTC INT64_C(1796083200)

static int64_t parse(const char *s)
{
    int64_t t = -42;
    if (timeutil_parse_iso8601(s, &t, NULL) != 0) {
        return -42;
    }
    return t;
}

static void set_zone_accepts_real_zones_only(void)
{
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    CHECK(strcmp(getenv("TZ"), "Asia/Tokyo") == 0);
    CHECK(timeutil_set_zone("Mars/Olympus_Mons") == -EINVAL);
    CHECK(timeutil_set_zone("../../etc/passwd") == -EINVAL);
    CHECK(timeutil_set_zone("/etc/localtime") == -EINVAL);
    CHECK(timeutil_set_zone("Asia") == -EINVAL); /* a directory */
    CHECK(timeutil_set_zone("") == -EINVAL);
    CHECK(timeutil_set_zone(NULL) == -EINVAL);
    CHECK(strcmp(getenv("TZ"), "Asia/Tokyo") == 0); /* a refusal changes nothing */
}

static void date_times_with_an_offset_parse_to_the_same_instant(void)
{
    CHECK(parse("2026-12-01T00:00:00Z") == DEC1_UTC);
    CHECK(parse("2026-12-01T09:00:00+09:00") == DEC1_UTC);
    CHECK(parse("2026-11-30T19:00:00-05:00") == DEC1_UTC);
    CHECK(parse("2026-12-01T09:00+09:00") == DEC1_UTC);
    CHECK(parse("2026-12-01T09:00:00.123+09:00") == DEC1_UTC);
    CHECK(parse("2026-12-01T05:30:00+05:30") == DEC1_UTC);
    CHECK(parse("1970-01-01T00:00:00Z") == 0);
    /* Before the epoch Asia/Tokyo has local-mean-time offsets: such a year is a typo. */
    CHECK(parse("1969-12-31T23:59:59Z") == -42);
    CHECK(parse("2000-02-29T00:00:00Z") == 951782400);
    CHECK(parse("2038-01-19T03:14:08Z") == INT64_C(2147483648));
}

static void a_bare_date_is_midnight_in_the_facility_zone(void)
{
    bool date_only = false;
    int64_t t;

    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    CHECK(timeutil_parse_iso8601("2026-12-01", &t, &date_only) == 0);
    CHECK(date_only);
    CHECK(t == DEC1_UTC - 9 * 3600);
    CHECK(timeutil_parse_iso8601("2026-12-01T00:00:00Z", &t, &date_only) == 0);
    CHECK(!date_only);
    CHECK(timeutil_set_zone("UTC") == 0);
    CHECK(parse("2026-12-01") == DEC1_UTC);
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
}

static void impossible_or_ambiguous_times_are_refused(void)
{
    const char *bad[] = {
        "2026-02-29", /* not a leap year */
        "2026-02-30T10:00:00+09:00",
        "2026-04-31",
        "2100-02-29",
        "2026-00-10",
        "2026-13-01",
        "2026-12-00",
        "2026-12-01T24:00:00+09:00", /* hour 24 */
        "2026-12-01T23:60:00+09:00",
        "2026-12-01T23:59:60+09:00", /* leap second */
        "2026-12-01T10:00:00",       /* no offset */
        "2026-12-01T10:00:00+0900",
        "2026-12-01T10:00:00+09",
        "2026-12-01T10:00:00+19:00",
        "2026-12-01T10:00:00+09:60",
        "2026-12-01 10:00:00+09:00",
        "2026-12-01t10:00:00z",
        "2026-12-01T10:00:00.+09:00",
        "2026-12-01T10:00:00Z ",
        " 2026-12-01",
        "2026-12-1",
        "26-12-01",
        "+2026-12-01",
        "0000-01-01",
        "2026-12-01T10:00:00.1234567890Z",
        "",
        "2026-12-01T",
        "2026-12-01T10",
        "2026-12-01T10:0Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t;
        int rc = timeutil_parse_iso8601(bad[i], &t, NULL);
        CHECK(rc == -EINVAL);
        if (rc != -EINVAL) {
            fprintf(stderr, "  accepted: '%s'\n", bad[i]);
        }
    }
    CHECK(timeutil_parse_iso8601(NULL, &(int64_t){0}, NULL) == -EINVAL);
}

static void leap_days_are_real_days(void)
{
    CHECK(parse("2024-02-29T00:00:00Z") != -42);
    CHECK(parse("2000-02-29T00:00:00Z") != -42);
    CHECK(parse("2028-02-29T12:00:00+09:00") - parse("2028-02-28T12:00:00+09:00") == 86400);
    CHECK(parse("2027-03-01T00:00:00Z") - parse("2027-02-28T00:00:00Z") == 86400);
}

static void format_writes_facility_time_with_its_offset(void)
{
    char buf[40];
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    timeutil_format_iso8601(DEC1_UTC, buf, sizeof buf);
    CHECK(strcmp(buf, "2026-12-01T09:00:00+09:00") == 0);
    CHECK(parse(buf) == DEC1_UTC);
    CHECK(timeutil_set_zone("America/New_York") == 0);
    timeutil_format_iso8601(DEC1_UTC, buf, sizeof buf);
    CHECK(strcmp(buf, "2026-11-30T19:00:00-05:00") == 0);
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
}

static void local_parts_are_in_the_facility_zone(void)
{
    struct time_parts p;
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    timeutil_local(DEC1_UTC - 1, &p); /* 2026-12-01T08:59:59+09:00, a Tuesday */
    CHECK(p.year == 2026 && p.month == 12 && p.day == 1);
    CHECK(p.hour == 8 && p.minute == 59 && p.second == 59);
    CHECK(p.wday == 2);
    CHECK(p.yday == 334);
}

static void day_start_and_make_local_agree(void)
{
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    int64_t midnight = timeutil_make_local(2026, 12, 1, 0, 0);
    CHECK(midnight == DEC1_UTC - 9 * 3600);
    CHECK(timeutil_day_start(midnight) == midnight);
    CHECK(timeutil_day_start(midnight + 86399) == midnight);
    CHECK(timeutil_day_start(midnight - 1) == midnight - 86400);
    /* mktime normalises: day 32 of December is January 1 */
    CHECK(timeutil_make_local(2026, 12, 32, 0, 0) == timeutil_make_local(2027, 1, 1, 0, 0));
    CHECK(timeutil_make_local(2026, 13, 1, 0, 0) == timeutil_make_local(2027, 1, 1, 0, 0));
}

static void days_in_a_zone_with_summer_time_may_be_23_hours(void)
{
    CHECK(timeutil_set_zone("Europe/Berlin") == 0);
    int64_t a = timeutil_make_local(2026, 3, 29, 0, 0); /* clocks go forward at 02:00 */
    int64_t b = timeutil_make_local(2026, 3, 30, 0, 0);
    CHECK(b - a == 23 * 3600);
    CHECK(timeutil_day_start(a + 12 * 3600) == a);
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
}

static void civil_days_round_trip_across_eras_and_leap_days(void)
{
    int64_t y;
    int m, d;

    CHECK(timeutil_days_from_civil(1970, 1, 1) == 0);
    CHECK(timeutil_days_from_civil(2024, 3, 1) - timeutil_days_from_civil(2024, 2, 28) == 2);
    for (int64_t day = -800000; day <= 800000; day += 997) {
        timeutil_civil_from_days(day, &y, &m, &d);
        CHECK(d >= 1 && d <= timeutil_days_in_month((int)y, m));
        CHECK(timeutil_days_from_civil(y, m, d) == day);
    }
    CHECK(timeutil_days_in_month(2100, 2) == 28 && timeutil_days_in_month(2000, 2) == 29);
}

int main(void)
{
    RUN(set_zone_accepts_real_zones_only);
    RUN(date_times_with_an_offset_parse_to_the_same_instant);
    RUN(a_bare_date_is_midnight_in_the_facility_zone);
    RUN(impossible_or_ambiguous_times_are_refused);
    RUN(leap_days_are_real_days);
    RUN(format_writes_facility_time_with_its_offset);
    RUN(local_parts_are_in_the_facility_zone);
    RUN(day_start_and_make_local_agree);
    RUN(days_in_a_zone_with_summer_time_may_be_23_hours);
    RUN(civil_days_round_trip_across_eras_and_leap_days);
    TEST_MAIN_END();
}
