/* test_sys_hours: the opening-hours schedule with a moved clock, in Tokyo time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"
#include "sys/hours.h"
#include "testutil.h"
#include "util/timeutil.h"

/* Musashino Place style: 9:30-22:00 every day; the test changes days as it needs. */
static struct config *make_cfg(const char *closed_dates)
{
    char err[256];
    struct config *c = config_create_default();

    if (!c) {
        return NULL;
    }
    for (int d = 0; d < 7; d++) {
        c->hours[d].open_min = 9 * 60 + 30;
        c->hours[d].close_min = 22 * 60;
    }
    if (closed_dates && config_set(c, "closed_dates", closed_dates, err, sizeof err) != 0) {
        fprintf(stderr, "config_set: %s\n", err);
        config_free(c);
        return NULL;
    }
    return c;
}

static int64_t at(int y, int mo, int d, int h, int mi)
{
    return timeutil_make_local(y, mo, d, h, mi);
}

static void is_closed_at_22_00_and_open_until_just_before(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    /* Tuesday 2026-12-01 */
    CHECK(sys_hours_is_open(c, at(2026, 12, 1, 21, 59)));
    CHECK(sys_hours_is_open(c, at(2026, 12, 1, 22, 0) - 1));
    CHECK(!sys_hours_is_open(c, at(2026, 12, 1, 22, 0)));
    CHECK(!sys_hours_is_open(c, at(2026, 12, 1, 23, 59)));
    CHECK(!sys_hours_is_open(c, at(2026, 12, 2, 3, 0)));
    config_free(c);
}

static void is_open_at_9_30_and_closed_a_second_before(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    CHECK(!sys_hours_is_open(c, at(2026, 12, 1, 9, 30) - 1));
    CHECK(sys_hours_is_open(c, at(2026, 12, 1, 9, 30)));
    CHECK(sys_hours_is_open(c, at(2026, 12, 1, 12, 0)));
    config_free(c);
}

static void next_change_is_closing_when_open_and_opening_when_closed(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    CHECK(sys_hours_next_change(c, at(2026, 12, 1, 10, 0)) == at(2026, 12, 1, 22, 0));
    CHECK(sys_hours_next_change(c, at(2026, 12, 1, 22, 0)) == at(2026, 12, 2, 9, 30));
    CHECK(sys_hours_next_change(c, at(2026, 12, 1, 6, 0)) == at(2026, 12, 1, 9, 30));
    /* exactly at the opening the next change is the closing, never "now" again */
    CHECK(sys_hours_next_change(c, at(2026, 12, 1, 9, 30)) == at(2026, 12, 1, 22, 0));
    config_free(c);
}

static void is_closed_all_day_on_a_listed_date(void)
{
    struct config *c = make_cfg("2026-12-29");
    CHECK(c);
    CHECK(!sys_hours_is_open(c, at(2026, 12, 29, 9, 30)));
    CHECK(!sys_hours_is_open(c, at(2026, 12, 29, 12, 0)));
    CHECK(sys_hours_is_open(c, at(2026, 12, 28, 12, 0)));
    CHECK(sys_hours_is_open(c, at(2026, 12, 30, 12, 0)));
    config_free(c);
}

static void is_closed_all_day_when_open_equals_close(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    c->hours[3].open_min = c->hours[3].close_min = 0; /* Wednesday */
    CHECK(!sys_hours_is_open(c, at(2026, 12, 2, 12, 0)));
    CHECK(sys_hours_next_open(c, at(2026, 12, 1, 22, 0)) == at(2026, 12, 3, 9, 30));
    config_free(c);
}

static void next_open_skips_a_closed_date(void)
{
    struct config *c = make_cfg("2026-12-29");
    CHECK(c);
    /* Monday evening after closing: Tuesday is closed, so Wednesday 9:30 */
    CHECK(sys_hours_next_open(c, at(2026, 12, 28, 22, 0)) == at(2026, 12, 30, 9, 30));
    CHECK(sys_hours_next_change(c, at(2026, 12, 28, 22, 0)) == at(2026, 12, 30, 9, 30));
    /* while open, the next opening is tomorrow's */
    CHECK(sys_hours_next_open(c, at(2026, 12, 28, 12, 0)) == at(2026, 12, 30, 9, 30));
    config_free(c);
}

static void next_open_skips_a_closed_weekday_and_closed_dates_across_a_week(void)
{
    /* the New Year break: closed 12-29 to 01-03, and Wednesdays closed too */
    struct config *c = make_cfg("2026-12-29, 2026-12-30, 2026-12-31, 2027-01-01, "
                                "2027-01-02, 2027-01-03");
    CHECK(c);
    c->hours[3].open_min = c->hours[3].close_min = 0;
    CHECK(sys_hours_next_open(c, at(2026, 12, 28, 22, 0)) == at(2027, 1, 4, 9, 30));
    CHECK(sys_hours_next_open(c, at(2027, 1, 1, 0, 0)) == at(2027, 1, 4, 9, 30));
    /* the Wednesday after the break is closed: Monday, Tuesday, then Thursday */
    CHECK(sys_hours_next_open(c, at(2027, 1, 5, 12, 0)) == at(2027, 1, 7, 9, 30));
    config_free(c);
}

static void next_open_is_a_week_ahead_when_only_one_weekday_opens(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    for (int d = 0; d < 7; d++) {
        c->hours[d].open_min = c->hours[d].close_min = 0;
    }
    c->hours[2].open_min = 10 * 60; /* Tuesdays 10:00-16:00 only */
    c->hours[2].close_min = 16 * 60;
    CHECK(sys_hours_next_open(c, at(2026, 12, 1, 16, 0)) == at(2026, 12, 8, 10, 0));
    CHECK(sys_hours_next_change(c, at(2026, 12, 1, 16, 0)) == at(2026, 12, 8, 10, 0));
    config_free(c);
}

static void never_opens_when_every_day_is_closed(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    for (int d = 0; d < 7; d++) {
        c->hours[d].open_min = c->hours[d].close_min = 0;
    }
    CHECK(!sys_hours_is_open(c, at(2026, 12, 1, 12, 0)));
    CHECK(sys_hours_next_open(c, at(2026, 12, 1, 12, 0)) == -1);
    CHECK(sys_hours_next_change(c, at(2026, 12, 1, 12, 0)) == -1);
    config_free(c);
}

static void midnight_between_two_open_days_is_no_change(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    /* Saturday 9:00-24:00, Sunday 0:00-18:00: open through the night */
    c->hours[6].open_min = 9 * 60;
    c->hours[6].close_min = 24 * 60;
    c->hours[0].open_min = 0;
    c->hours[0].close_min = 18 * 60;
    CHECK(sys_hours_is_open(c, at(2026, 12, 5, 23, 59)));
    CHECK(sys_hours_is_open(c, at(2026, 12, 6, 0, 0)));
    CHECK(sys_hours_next_change(c, at(2026, 12, 5, 20, 0)) == at(2026, 12, 6, 18, 0));
    config_free(c);
}

static void hours_past_midnight_keep_the_facility_open_into_the_next_day(void)
{
    struct config *c = make_cfg(NULL);
    CHECK(c);
    c->hours[5].open_min = 18 * 60; /* Friday 18:00 to Saturday 02:00 */
    c->hours[5].close_min = 2 * 60;
    CHECK(sys_hours_is_open(c, at(2026, 12, 5, 1, 0)));
    CHECK(!sys_hours_is_open(c, at(2026, 12, 5, 2, 0)));
    CHECK(sys_hours_next_change(c, at(2026, 12, 4, 23, 0)) == at(2026, 12, 5, 2, 0));
    config_free(c);
}

static void answers_do_not_depend_on_the_machine_zone(void)
{
    /* ctest runs us with TZ=UTC; 22:00 in Tokyo is 13:00 UTC */
    struct config *c = make_cfg(NULL);
    CHECK(c);
    CHECK(at(2026, 12, 1, 22, 0) == 1796130000); /* 2026-12-01T13:00:00Z */
    CHECK(!sys_hours_is_open(c, 1796130000));
    CHECK(sys_hours_is_open(c, 1796130000 - 1));
    config_free(c);
}

int main(void)
{
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        fprintf(stderr, "no Asia/Tokyo zone on this machine\n");
        return 1;
    }
    RUN(is_closed_at_22_00_and_open_until_just_before);
    RUN(is_open_at_9_30_and_closed_a_second_before);
    RUN(next_change_is_closing_when_open_and_opening_when_closed);
    RUN(is_closed_all_day_on_a_listed_date);
    RUN(is_closed_all_day_when_open_equals_close);
    RUN(next_open_skips_a_closed_date);
    RUN(next_open_skips_a_closed_weekday_and_closed_dates_across_a_week);
    RUN(next_open_is_a_week_ahead_when_only_one_weekday_opens);
    RUN(never_opens_when_every_day_is_closed);
    RUN(midnight_between_two_open_days_is_no_change);
    RUN(hours_past_midnight_keep_the_facility_open_into_the_next_day);
    RUN(answers_do_not_depend_on_the_machine_zone);
    TEST_MAIN_END();
}
