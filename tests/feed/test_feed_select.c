/* test_feed_select: what is shown as the clock moves.
 *
 * One feed, many clocks (plain int64 values, as a struct kclock would give them): items
 * end and drop out, day filters follow the facility's calendar across a month boundary,
 * and an unset clock hides nothing. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_select.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

static const char *DOC =
    "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"
    "'categories':[{'id':'env','label':{'ja':'環境'}},{'id':'kids','label':{'ja':'子ども'}}],"
    "'audiences':[{'id':'everyone','label':{'ja':'どなたでも'}}],"
    "'events':["
    "{'id':'past','title':{'ja':'終わった'},'start':'2026-11-20T10:00:00+09:00',"
    "'end':'2026-11-20T12:00:00+09:00'},"
    "{'id':'morning','title':{'ja':'朝'},'start':'2026-11-30T10:00:00+09:00',"
    "'end':'2026-11-30T12:00:00+09:00','categories':['env']},"
    "{'id':'evening','title':{'ja':'夜'},'start':'2026-11-30T18:00:00+09:00',"
    "'categories':['kids'],'audience':['everyone']},"
    "{'id':'dec1','title':{'ja':'終日'},'start':'2026-12-01'},"
    "{'id':'dec6','title':{'ja':'六日'},'start':'2026-12-06T10:00:00+09:00',"
    "'end':'2026-12-06T11:00:00+09:00','categories':['env']},"
    "{'id':'dec7','title':{'ja':'七日'},'start':'2026-12-07T10:00:00+09:00'},"
    "{'id':'multi','title':{'ja':'展示'},'start':'2026-11-28','end':'2026-12-02'},"
    "{'id':'jan','title':{'ja':'新年'},'start':'2027-01-05T10:00:00+09:00'},"
    "{'id':'same-a','title':{'ja':'あ'},'start':'2026-12-06T10:00:00+09:00'},"
    "{'id':'same-b','title':{'ja':'あ'},'start':'2026-12-06T10:00:00+09:00'}],"
    "'volunteers':["
    "{'id':'ongoing','title':{'ja':'い 常時'}},"
    "{'id':'deadline-passed','title':{'ja':'締切済'},'deadline':'2026-11-29'},"
    "{'id':'ended','title':{'ja':'終了'},'start':'2026-11-01','end':'2026-11-29T17:00:00+09:00'},"
    "{'id':'period','title':{'ja':'冬の活動'},'start':'2026-12-10','end':'2027-03-31'},"
    "{'id':'deadline-later','title':{'ja':'あ 募集中'},'deadline':'2026-12-15'}]}";

static struct feed *feed;

/* 2026-11-30T11:00:00+09:00, a Monday */
static const int64_t NOV30_11 = INT64_C(1796004000);

static int64_t at(const char *iso)
{
    int64_t t = 0;
    if (timeutil_parse_iso8601(iso, &t, NULL) != 0) {
        fprintf(stderr, "  bad time in test: %s\n", iso);
    }
    return t;
}

/* The selected ids joined by spaces, in order. */
static const char *ids(enum feed_kind kind, enum feed_day day, const char *cat, int64_t now)
{
    static char buf[1024];
    const struct feed_item *out[64];
    struct feed_filter flt = {.kind = kind, .day = day, .category = cat, .audience = NULL};
    size_t n = feed_select(feed, &flt, now, out, 64);
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && i < 64; i++) {
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "", out[i]->id);
    }
    CHECK(feed_count_current(feed, &flt, now) == n);
    return buf;
}

static bool same(const char *got, const char *want)
{
    if (strcmp(got, want) == 0) {
        return true;
    }
    fprintf(stderr, "  got  '%s'\n  want '%s'\n", got, want);
    return false;
}

static void the_clock_of_the_test_is_what_it_claims(void)
{
    CHECK(at("2026-11-30T11:00:00+09:00") == NOV30_11);
}

static void all_shows_every_current_item_in_start_order(void)
{
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_ALL, NULL, NOV30_11),
               "multi morning evening dec1 same-a same-b dec6 dec7 jan"));
}

static void today_shows_what_overlaps_today(void)
{
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, NOV30_11), "multi morning evening"));
}

static void this_week_is_today_and_the_next_six_days(void)
{
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_WEEK, NULL, NOV30_11),
               "multi morning evening dec1 same-a same-b dec6"));
}

static void this_month_ends_with_the_calendar_month(void)
{
    /* on November 30 the month is one day long: December's items are not in it */
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_MONTH, NULL, NOV30_11), "multi morning evening"));
    /* half an hour into December the month is December */
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_MONTH, NULL, at("2026-12-01T00:30:00+09:00")),
               "multi dec1 same-a same-b dec6 dec7"));
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, at("2026-12-01T00:30:00+09:00")),
               "multi dec1"));
}

static void an_event_drops_out_when_it_ends(void)
{
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, at("2026-11-30T11:59:59+09:00")),
               "multi morning evening"));
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, at("2026-11-30T12:00:00+09:00")),
               "multi evening"));
}

static void an_event_without_an_end_stays_all_of_its_start_day(void)
{
    const struct feed_item *ev = feed_find(feed, "evening");
    CHECK(feed_item_current(ev, at("2026-11-30T23:59:59+09:00")));
    CHECK(!feed_item_current(ev, at("2026-12-01T00:00:00+09:00")));
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, at("2026-11-30T23:00:00+09:00")),
               "multi evening"));
}

static void an_all_day_event_ends_at_midnight(void)
{
    const struct feed_item *d = feed_find(feed, "dec1");
    CHECK(feed_item_current(d, at("2026-12-01T23:59:59+09:00")));
    CHECK(!feed_item_current(d, at("2026-12-02T00:00:00+09:00")));
}

static void a_multi_day_event_matches_every_day_it_spans(void)
{
    const char *days[] = {"2026-11-28T09:00:00+09:00", "2026-11-30T09:00:00+09:00",
                          "2026-12-02T23:00:00+09:00"};
    for (size_t i = 0; i < 3; i++) {
        CHECK(strstr(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, at(days[i])), "multi"));
    }
    CHECK(!strstr(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, at("2026-12-03T00:00:00+09:00")),
                  "multi"));
}

static void volunteers_drop_out_past_their_deadline_or_end(void)
{
    CHECK(!strstr(ids(FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, NOV30_11), "ended"));
    /* a date deadline lasts through that day */
    CHECK(strstr(ids(FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, at("2026-11-29T23:59:00+09:00")),
                 "deadline-passed"));
    CHECK(!strstr(ids(FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, at("2026-11-30T00:00:00+09:00")),
                  "deadline-passed"));
    CHECK(strstr(ids(FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, at("2026-11-29T16:59:00+09:00")),
                 "ended"));
    CHECK(!strstr(ids(FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, at("2026-11-29T17:00:00+09:00")),
                  "ended"));
}

static void undated_volunteers_come_last_ordered_by_title(void)
{
    /* "あ 募集中" sorts before "い 常時"; titles compare by code point (kana before kanji) */
    CHECK(same(ids(FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, NOV30_11),
               "period deadline-later ongoing"));
}

static void ongoing_volunteers_match_every_day_filter(void)
{
    CHECK(same(ids(FEED_KIND_VOLUNTEER, FEED_DAY_TODAY, NULL, NOV30_11), "deadline-later ongoing"));
    CHECK(same(ids(FEED_KIND_VOLUNTEER, FEED_DAY_WEEK, NULL, NOV30_11), "deadline-later ongoing"));
    CHECK(same(ids(FEED_KIND_VOLUNTEER, FEED_DAY_MONTH, NULL, at("2026-12-01T09:00:00+09:00")),
               "period deadline-later ongoing"));
}

static void category_and_audience_filters_narrow_the_list(void)
{
    struct feed_filter flt = {
        .kind = FEED_KIND_EVENT, .day = FEED_DAY_ALL, .category = NULL, .audience = "everyone"};
    const struct feed_item *out[8];

    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_ALL, "env", NOV30_11), "morning dec6"));
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_ALL, "kids", NOV30_11), "evening"));
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_ALL, "nothing", NOV30_11), ""));
    CHECK(feed_select(feed, &flt, NOV30_11, out, 8) == 1 && strcmp(out[0]->id, "evening") == 0);
}

static void an_unset_clock_hides_nothing(void)
{
    /* a board without a real-time clock boots in 1970 */
    CHECK(!feed_clock_plausible(feed, 0));
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_ALL, NULL, 0),
               "past multi morning evening dec1 same-a same-b dec6 dec7 jan"));
    CHECK(same(ids(FEED_KIND_EVENT, FEED_DAY_TODAY, NULL, 0),
               "past multi morning evening dec1 same-a same-b dec6 dec7 jan"));
    CHECK(strstr(ids(FEED_KIND_VOLUNTEER, FEED_DAY_ALL, NULL, 0), "deadline-passed"));
}

static void a_clock_more_than_a_day_behind_the_feed_is_not_trusted(void)
{
    int64_t gen = feed_generated_at(feed);
    CHECK(!feed_clock_plausible(feed, gen - 86401));
    CHECK(feed_clock_plausible(feed, gen - 86400));
    CHECK(feed_clock_plausible(feed, gen + 365 * 86400));
    CHECK(strstr(ids(FEED_KIND_EVENT, FEED_DAY_ALL, NULL, gen - 2 * 86400), "past"));
    /* no clock before 2025 is believed, even without a feed */
    CHECK(!feed_clock_plausible(NULL, FEED_CLOCK_FLOOR - 1));
    CHECK(feed_clock_plausible(NULL, FEED_CLOCK_FLOOR));
}

static void the_clock_can_move_back_and_forth(void)
{
    /* an NTP correction backwards brings items back; forwards hides them again */
    const char *t[] = {"2026-11-30T12:30:00+09:00", "2026-11-30T11:30:00+09:00",
                       "2026-11-30T12:30:00+09:00"};
    CHECK(!strstr(ids(FEED_KIND_EVENT, FEED_DAY_ALL, NULL, at(t[0])), "morning"));
    CHECK(strstr(ids(FEED_KIND_EVENT, FEED_DAY_ALL, NULL, at(t[1])), "morning"));
    CHECK(!strstr(ids(FEED_KIND_EVENT, FEED_DAY_ALL, NULL, at(t[2])), "morning"));
}

static void select_reports_the_full_count_beyond_its_room(void)
{
    struct feed_filter flt = {
        .kind = FEED_KIND_EVENT, .day = FEED_DAY_ALL, .category = NULL, .audience = NULL};
    const struct feed_item *out[2];
    CHECK(feed_select(feed, &flt, NOV30_11, out, 2) == 9);
    CHECK(strcmp(out[0]->id, "multi") == 0 && strcmp(out[1]->id, "morning") == 0);
    CHECK(feed_select(feed, &flt, NOV30_11, NULL, 0) == 9);
    CHECK(feed_select(NULL, &flt, NOV30_11, out, 2) == 0);
}

/* ---- a series: a weekly Saturday class, the third week moved to the afternoon ---- */

static const char *SERIES_DOC =
    "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','events':["
    "{'id':'sat','title':{'ja':'土曜の絵本の会'},'dates':["
    "{'start':'2026-12-19T10:00:00+09:00','end':'2026-12-19T12:00:00+09:00'},"
    "{'start':'2026-11-28T10:00:00+09:00','end':'2026-11-28T12:00:00+09:00'},"
    "{'start':'2026-12-05T10:00:00+09:00','end':'2026-12-05T12:00:00+09:00'},"
    "{'start':'2026-12-12T13:00:00+09:00','end':'2026-12-12T15:00:00+09:00','changed':true}]},"
    "{'id':'tue','title':{'ja':'火曜'},'start':'2026-12-01T10:00:00+09:00'},"
    "{'id':'wed','title':{'ja':'水曜'},'start':'2026-12-02T10:00:00+09:00'}],"
    "'volunteers':[]}";

static struct feed *series;

static const char *sids(enum feed_day day, int64_t now)
{
    struct feed *keep = feed;
    feed = series;
    const char *r = ids(FEED_KIND_EVENT, day, NULL, now);
    feed = keep;
    return r;
}

static void a_series_is_today_only_on_the_day_of_a_date(void)
{
    /* Tuesday 1 December, between two Saturdays */
    CHECK(same(sids(FEED_DAY_TODAY, at("2026-12-01T09:00:00+09:00")), "tue"));
    CHECK(same(sids(FEED_DAY_TODAY, at("2026-12-05T09:00:00+09:00")), "sat"));
    /* once the day's class is over, the series is not today any more */
    CHECK(same(sids(FEED_DAY_TODAY, at("2026-12-05T12:00:00+09:00")), ""));
}

static void a_series_is_this_week_when_a_date_falls_in_it(void)
{
    CHECK(same(sids(FEED_DAY_WEEK, at("2026-12-01T09:00:00+09:00")), "tue wed sat"));
    /* Sunday 20 December: the last date was yesterday */
    CHECK(same(sids(FEED_DAY_WEEK, at("2026-12-20T09:00:00+09:00")), ""));
    /* Sunday 6 December: the week to the 12th holds the moved class */
    CHECK(same(sids(FEED_DAY_WEEK, at("2026-12-06T09:00:00+09:00")), "sat"));
}

static void a_series_is_this_month_when_a_date_falls_in_it(void)
{
    /* Sunday 29 November: no date left in November, though the series spans it */
    CHECK(same(sids(FEED_DAY_MONTH, at("2026-11-29T09:00:00+09:00")), ""));
    CHECK(same(sids(FEED_DAY_MONTH, at("2026-11-28T09:00:00+09:00")), "sat"));
    CHECK(same(sids(FEED_DAY_MONTH, at("2026-12-01T09:00:00+09:00")), "tue wed sat"));
}

static void a_series_is_ordered_by_its_next_date(void)
{
    CHECK(same(sids(FEED_DAY_ALL, at("2026-11-27T09:00:00+09:00")), "sat tue wed"));
    CHECK(same(sids(FEED_DAY_ALL, at("2026-11-30T09:00:00+09:00")), "tue wed sat"));
    /* the class in progress is its next date */
    CHECK(same(sids(FEED_DAY_ALL, at("2026-11-28T11:00:00+09:00")), "sat tue wed"));
    /* current until its last date ends */
    CHECK(same(sids(FEED_DAY_ALL, at("2026-12-19T11:59:59+09:00")), "sat"));
    CHECK(same(sids(FEED_DAY_ALL, at("2026-12-19T12:00:00+09:00")), ""));
}

static void an_unset_clock_orders_a_series_by_its_first_date(void)
{
    CHECK(same(sids(FEED_DAY_ALL, 0), "sat tue wed"));
    CHECK(same(sids(FEED_DAY_TODAY, 0), "sat tue wed"));
}

static void the_next_date_follows_the_clock(void)
{
    const struct feed_item *it = feed_find(series, "sat");
    struct feed_date tmp;
    const struct feed_date *d;
    CHECK(it && it->n_dates == 4);
    if (!it || it->n_dates != 4) {
        return;
    }
    d = feed_item_next_date(it, at("2026-11-27T09:00:00+09:00"), &tmp);
    CHECK(d == &it->dates[0]);
    d = feed_item_next_date(it, at("2026-11-28T11:59:59+09:00"), &tmp);
    CHECK(d == &it->dates[0]);
    d = feed_item_next_date(it, at("2026-11-28T12:00:00+09:00"), &tmp);
    CHECK(d == &it->dates[1] && d->start == at("2026-12-05T10:00:00+09:00"));
    d = feed_item_next_date(it, at("2026-12-06T09:00:00+09:00"), &tmp);
    CHECK(d == &it->dates[2] && d->changed && d->start == at("2026-12-12T13:00:00+09:00"));
    /* all over: the last, so a screen still has a date to show */
    d = feed_item_next_date(it, at("2027-01-01T00:00:00+09:00"), &tmp);
    CHECK(d == &it->dates[3]);
    CHECK(feed_item_next_date(it, 0, &tmp) == &it->dates[0]);

    const struct feed_item *tue = feed_find(series, "tue");
    d = tue ? feed_item_next_date(tue, at("2026-12-01T09:00:00+09:00"), &tmp) : NULL;
    CHECK(d == &tmp && tmp.start == tue->start && tmp.end == tue->end && !tmp.changed);
    const struct feed_item *ongoing = feed_find(feed, "ongoing");
    CHECK(ongoing && !feed_item_next_date(ongoing, NOV30_11, &tmp));
}

static void the_coming_dates_are_those_not_ended(void)
{
    const struct feed_item *it = feed_find(series, "sat");
    const struct feed_date *out[8];
    if (!it) {
        CHECK(it);
        return;
    }
    CHECK(feed_item_coming_dates(it, at("2026-11-27T09:00:00+09:00"), out, 8) == 4);
    CHECK(feed_item_coming_dates(it, at("2026-11-28T11:00:00+09:00"), out, 8) == 4);
    CHECK(feed_item_coming_dates(it, at("2026-12-06T09:00:00+09:00"), out, 8) == 2);
    CHECK(out[0] == &it->dates[2] && out[1] == &it->dates[3]);
    /* room for one: the count is still the whole */
    out[1] = NULL;
    CHECK(feed_item_coming_dates(it, at("2026-11-30T09:00:00+09:00"), out, 1) == 3);
    CHECK(out[0] == &it->dates[1] && !out[1]);
    CHECK(feed_item_coming_dates(it, at("2026-12-20T00:00:00+09:00"), out, 8) == 0);
    const struct feed_item *tue = feed_find(series, "tue");
    CHECK(tue && feed_item_coming_dates(tue, 0, out, 8) == 0);
}

static char *q(const char *s)
{
    char *out = strdup(s);
    for (char *p = out; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    return out;
}

int main(void)
{
    char err[256];
    char *doc;

    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        fprintf(stderr, "no Asia/Tokyo zone\n");
        return 1;
    }
    doc = q(DOC);
    feed = feed_parse(doc, strlen(doc), NULL, err, sizeof err);
    free(doc);
    if (!feed || feed_drop_count(feed) != 0) {
        fprintf(stderr, "test feed: %s (%zu drops)\n", err, feed_drop_count(feed));
        return 1;
    }
    doc = q(SERIES_DOC);
    series = feed_parse(doc, strlen(doc), NULL, err, sizeof err);
    free(doc);
    if (!series || feed_drop_count(series) != 0) {
        fprintf(stderr, "series feed: %s (%zu drops)\n", err, feed_drop_count(series));
        return 1;
    }
    RUN(the_clock_of_the_test_is_what_it_claims);
    RUN(all_shows_every_current_item_in_start_order);
    RUN(today_shows_what_overlaps_today);
    RUN(this_week_is_today_and_the_next_six_days);
    RUN(this_month_ends_with_the_calendar_month);
    RUN(an_event_drops_out_when_it_ends);
    RUN(an_event_without_an_end_stays_all_of_its_start_day);
    RUN(an_all_day_event_ends_at_midnight);
    RUN(a_multi_day_event_matches_every_day_it_spans);
    RUN(volunteers_drop_out_past_their_deadline_or_end);
    RUN(undated_volunteers_come_last_ordered_by_title);
    RUN(ongoing_volunteers_match_every_day_filter);
    RUN(category_and_audience_filters_narrow_the_list);
    RUN(an_unset_clock_hides_nothing);
    RUN(a_clock_more_than_a_day_behind_the_feed_is_not_trusted);
    RUN(the_clock_can_move_back_and_forth);
    RUN(select_reports_the_full_count_beyond_its_room);
    RUN(a_series_is_today_only_on_the_day_of_a_date);
    RUN(a_series_is_this_week_when_a_date_falls_in_it);
    RUN(a_series_is_this_month_when_a_date_falls_in_it);
    RUN(a_series_is_ordered_by_its_next_date);
    RUN(an_unset_clock_orders_a_series_by_its_first_date);
    RUN(the_next_date_follows_the_clock);
    RUN(the_coming_dates_are_those_not_ended);
    feed_free(series);
    feed_free(feed);
    TEST_MAIN_END();
}
