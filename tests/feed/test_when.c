/* test_when: the weekday and time-of-day filter of listings (feed/when.h).
 *
 * Weekly hours win over dates; a series is judged by its dates not yet ended; a short item
 * by its one date; a long period without hours matches no such filter. 2026-11-28 is a
 * Saturday, in Asia/Tokyo. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_select.h"
#include "feed/feed_write.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define SUN (1u << 0)
#define MON (1u << 1)
#define THU (1u << 4)
#define SAT (1u << 6)
#define T(mo, d, h, mi) timeutil_make_local(2026, (mo), (d), (h), (mi))

static const char *DOC =
    "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','events':["
    "{'id':'ev-thu','title':{'ja':'木曜の夜'},'start':'2026-11-26T18:00:00+09:00',"
    "'end':'2026-11-26T20:00:00+09:00'},"
    "{'id':'ev-allday','title':{'ja':'終日'},'start':'2026-11-28'}],"
    "'volunteers':["
    "{'id':'v-sat-am','title':{'ja':'土曜の朝'},'start':'2026-12-01','end':'2027-03-31',"
    "'hours':[{'days':['sat'],'open':'10:00','close':'12:00'}]},"
    "{'id':'v-night','title':{'ja':'夜回り'},'hours':[{'days':['fri'],'open':'22:00',"
    "'close':'02:00'}]},"
    "{'id':'v-series','title':{'ja':'連続'},'dates':["
    "{'start':'2026-11-21T14:00:00+09:00','end':'2026-11-21T16:00:00+09:00'},"
    "{'start':'2026-11-29T14:00:00+09:00','end':'2026-11-29T16:00:00+09:00'}]},"
    "{'id':'v-period','title':{'ja':'期間だけ'},'start':'2026-12-01','end':'2027-03-31'},"
    "{'id':'v-none','title':{'ja':'いつでも'}}]}";

static struct feed *parse(void)
{
    char *j = strdup(DOC);
    char err[256];
    struct feed *f;

    for (char *p = j; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    f = feed_parse(j, strlen(j), NULL, err, sizeof err);
    free(j);
    return f;
}

static bool when(const struct feed *f, const char *id, unsigned days, enum feed_daypart part)
{
    return feed_when_matches(feed_find(f, id), days, part, T(11, 26, 10, 0));
}

static void weekly_hours_decide_the_weekday_and_the_part_of_the_day(void)
{
    struct feed *f = parse();

    CHECK(f && feed_find(f, "v-sat-am")->n_hours == 1);
    CHECK(when(f, "v-sat-am", SAT, FEED_DAYPART_MORNING));
    CHECK(when(f, "v-sat-am", SAT | SUN, FEED_DAYPART_ANY));
    CHECK(!when(f, "v-sat-am", SAT, FEED_DAYPART_AFTERNOON));
    CHECK(!when(f, "v-sat-am", MON, FEED_DAYPART_ANY));
    /* a night past midnight is the evening of the day it starts */
    CHECK(when(f, "v-night", 1u << 5, FEED_DAYPART_EVENING));
    CHECK(!when(f, "v-night", SAT, FEED_DAYPART_ANY));
    feed_free(f);
}

static void a_series_is_judged_by_its_dates_not_yet_ended(void)
{
    struct feed *f = parse();

    /* the 21st (a Saturday) is over: only Sunday the 29th counts */
    CHECK(when(f, "v-series", SUN, FEED_DAYPART_AFTERNOON));
    CHECK(!when(f, "v-series", SAT, FEED_DAYPART_ANY));
    CHECK(!when(f, "v-series", SUN, FEED_DAYPART_MORNING));
    feed_free(f);
}

static void a_short_item_is_judged_by_its_one_date(void)
{
    struct feed *f = parse();

    CHECK(when(f, "ev-thu", THU, FEED_DAYPART_EVENING));
    CHECK(when(f, "ev-thu", FEED_WEEKDAYS_ANY, FEED_DAYPART_EVENING));
    CHECK(!when(f, "ev-thu", THU, FEED_DAYPART_AFTERNOON));
    /* all day is every part of its day */
    CHECK(when(f, "ev-allday", SAT, FEED_DAYPART_MORNING));
    CHECK(when(f, "ev-allday", SAT, FEED_DAYPART_EVENING));
    feed_free(f);
}

static void a_listing_that_says_nothing_of_its_times_matches_no_time_filter(void)
{
    struct feed *f = parse();

    CHECK(!when(f, "v-period", SAT, FEED_DAYPART_ANY));
    CHECK(!when(f, "v-none", FEED_WEEKDAYS_ANY, FEED_DAYPART_MORNING));
    CHECK(when(f, "v-none", FEED_WEEKDAYS_ANY, FEED_DAYPART_ANY));
    feed_free(f);
}

static void the_volunteer_list_filters_by_weekday_and_time(void)
{
    struct feed *f = parse();
    const struct feed_item *out[8];
    struct feed_filter flt = {.kind = FEED_KIND_VOLUNTEER, .day = FEED_DAY_ALL};

    CHECK(feed_select(f, &flt, T(11, 26, 10, 0), out, 8) == 5);
    flt.weekdays = SAT | SUN;
    CHECK(feed_select(f, &flt, T(11, 26, 10, 0), out, 8) == 2);
    flt.daypart = FEED_DAYPART_MORNING;
    CHECK(feed_select(f, &flt, T(11, 26, 10, 0), out, 8) == 1);
    CHECK(strcmp(out[0]->id, "v-sat-am") == 0);
    feed_free(f);
}

static void weekly_hours_survive_a_feed_written_back(void)
{
    struct feed *f = parse();
    char *out = f ? feed_write_json(f) : NULL;
    char err[256];
    struct feed *g = out ? feed_parse(out, strlen(out), NULL, err, sizeof err) : NULL;
    const struct feed_item *it = g ? feed_find(g, "v-night") : NULL;

    CHECK(it && it->n_hours == 1 && it->hours[0].days == (1u << 5));
    CHECK(it && it->hours[0].open == 22 * 60 && it->hours[0].close == 26 * 60);
    free(out);
    feed_free(g);
    feed_free(f);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(weekly_hours_decide_the_weekday_and_the_part_of_the_day);
    RUN(a_series_is_judged_by_its_dates_not_yet_ended);
    RUN(a_short_item_is_judged_by_its_one_date);
    RUN(a_listing_that_says_nothing_of_its_times_matches_no_time_filter);
    RUN(the_volunteer_list_filters_by_weekday_and_time);
    RUN(weekly_hours_survive_a_feed_written_back);
    TEST_MAIN_END();
}
