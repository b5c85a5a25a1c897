/* test_import_ical: the iCalendar reader, rule by rule, on calendars written here.
 *
 * Every calendar is read with `now` fixed at 2027-01-10 09:00 in Tokyo, so the window is
 * [2027-01-10 00:00, 2027-04-12 00:00) JST. Each test checks the exact strings of the tree and
 * that the tree, printed, passes feed_parse with nothing dropped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "feed/feed.h"
#include "feed/import.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define NOW 1799539200 /* 2027-01-10T09:00:00+09:00 */
#define CAL_HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kiosk test//EN\r\n"
#define CAL_TAIL "END:VCALENDAR\r\n"

#define TZ_NEW_YORK                                                                                \
    "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"                                                 \
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"                   \
    "DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n"         \
    "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n"                   \
    "DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n"        \
    "END:VTIMEZONE\r\n"

#define TZ_TOKYO                                                                                   \
    "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\n"                                                       \
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\n"                   \
    "DTSTART:19700101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"

static char drops[8192];
static char err[256];

static void on_drop(void *ctx, const char *kind, const char *id, const char *reason)
{
    size_t n = strlen(drops);
    (void)ctx;
    snprintf(drops + n, sizeof drops - n, "%s %s: %s\n", kind, id, reason);
}

static void quiet(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)line;
    (void)ctx;
}

static void opts(struct import_opts *o)
{
    import_opts_default(o);
    o->now = NOW;
    o->drop = on_drop;
}

/* Checks that the printed tree passes the feed's validator whole. */
static void check_valid(const cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    struct feed_limits lim;
    char why[256];
    struct feed *f;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(doc, "events");
    const cJSON *vols = cJSON_GetObjectItemCaseSensitive(doc, "volunteers");

    feed_limits_default(&lim);
    CHECK(text);
    f = text ? feed_parse(text, strlen(text), &lim, why, sizeof why) : NULL;
    CHECK(f);
    if (f) {
        CHECK(feed_drop_count(f) == 0);
        for (size_t i = 0; i < feed_drop_count(f); i++) {
            fprintf(stderr, "  feed dropped %s: %s\n", feed_drop_at(f, i)->id,
                    feed_drop_at(f, i)->reason);
        }
        CHECK(feed_count(f, FEED_KIND_EVENT) == (size_t)cJSON_GetArraySize(items));
        CHECK(feed_count(f, FEED_KIND_VOLUNTEER) == (size_t)cJSON_GetArraySize(vols));
    } else {
        fprintf(stderr, "  feed rejected: %s\n", why);
    }
    feed_free(f);
    free(text);
}

static cJSON *read_with(const char *ics, const struct import_opts *o)
{
    cJSON *doc;
    drops[0] = '\0';
    doc = import_ical(ics, strlen(ics), o, err, sizeof err);
    if (doc) {
        check_valid(doc);
    } else {
        fprintf(stderr, "  rejected: %s\n", err);
    }
    return doc;
}

static cJSON *read_ics(const char *ics)
{
    struct import_opts o;
    opts(&o);
    return read_with(ics, &o);
}

static const cJSON *item(const cJSON *doc, const char *id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "events"))
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0) {
            return it;
        }
    }
    return NULL;
}

/* The string at a dotted path ("title.ja", "dates.1.start") or NULL. */
static const char *str_at(const cJSON *obj, const char *path)
{
    char buf[128];
    char *save = NULL;

    snprintf(buf, sizeof buf, "%s", path);
    for (char *k = strtok_r(buf, ".", &save); k && obj; k = strtok_r(NULL, ".", &save)) {
        if (cJSON_IsArray(obj)) {
            obj = cJSON_GetArrayItem(obj, atoi(k));
        } else {
            obj = cJSON_GetObjectItemCaseSensitive(obj, k);
        }
    }
    return cJSON_IsString(obj) ? obj->valuestring : NULL;
}

static bool str_is(const cJSON *obj, const char *path, const char *want)
{
    const char *got = str_at(obj, path);
    if (got && want && strcmp(got, want) == 0) {
        return true;
    }
    if (!got && !want) {
        return true;
    }
    fprintf(stderr, "  %s: got \"%s\", want \"%s\"\n", path, got ? got : "(none)",
            want ? want : "(none)");
    return false;
}

static int n_dates(const cJSON *it)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(it, "dates"));
}

static bool has(const cJSON *obj, const char *field)
{
    return cJSON_GetObjectItemCaseSensitive(obj, field) ? true : false;
}

#define EV(uid, body)                                                                              \
    "BEGIN:VEVENT\r\nUID:" uid "\r\nDTSTAMP:20270101T000000Z\r\n" body "END:VEVENT\r\n"

static void a_tzid_with_its_vtimezone_is_converted_to_the_facility_zone(void)
{
    cJSON *doc = read_ics(
        CAL_HEAD TZ_NEW_YORK TZ_TOKYO EV("ny-winter",
                                         "SUMMARY:NY winter\r\n"
                                         "DTSTART;TZID=America/New_York:20270115T100000\r\n"
                                         "DTEND;TZID=America/New_York:20270115T110000\r\n")
            EV("ny-summer", "SUMMARY:NY summer\r\n"
                            "DTSTART;TZID=America/New_York:20270715T100000\r\n")
                EV("tokyo", "SUMMARY:Tokyo\r\n"
                            "DTSTART;TZID=Asia/Tokyo:20270120T140000\r\n"
                            "DTEND;TZID=Asia/Tokyo:20270120T160000\r\n") CAL_TAIL);
    CHECK(doc);
    CHECK(str_is(item(doc, "ny-winter"), "start", "2027-01-16T00:00:00+09:00"));
    CHECK(str_is(item(doc, "ny-winter"), "end", "2027-01-16T01:00:00+09:00"));
    /* EDT, -4: a far-future one-off outside the window is kept */
    CHECK(str_is(item(doc, "ny-summer"), "start", "2027-07-15T23:00:00+09:00"));
    CHECK(!has(item(doc, "ny-summer"), "end"));
    CHECK(str_is(item(doc, "tokyo"), "start", "2027-01-20T14:00:00+09:00"));
    CHECK(str_is(item(doc, "tokyo"), "end", "2027-01-20T16:00:00+09:00"));
    CHECK(drops[0] == '\0');
    cJSON_Delete(doc);
}

static void a_known_tzid_without_vtimezone_utc_and_floating_times_are_read(void)
{
    cJSON *doc = read_ics(
        CAL_HEAD EV("london", "SUMMARY:London\r\n"
                              "DTSTART;TZID=Europe/London:20270201T090000\r\n")
            EV("utc", "SUMMARY:UTC\r\nDTSTART:20270201T010000Z\r\n"
                      "DTEND:20270201T023000Z\r\n") EV("floating", "SUMMARY:Floating\r\n"
                                                                   "DTSTART:20270201T100000\r\n")
                EV("unknown-tz", "SUMMARY:Unknown\r\n"
                                 "DTSTART;TZID=Nowhere/X:20270201T100000\r\n") CAL_TAIL);
    CHECK(doc);
    CHECK(str_is(item(doc, "london"), "start", "2027-02-01T18:00:00+09:00"));
    CHECK(str_is(item(doc, "utc"), "start", "2027-02-01T10:00:00+09:00"));
    CHECK(str_is(item(doc, "utc"), "end", "2027-02-01T11:30:00+09:00"));
    CHECK(str_is(item(doc, "floating"), "start", "2027-02-01T10:00:00+09:00"));
    /* a zone nobody knows is taken as the facility's, like a floating time */
    CHECK(str_is(item(doc, "unknown-tz"), "start", "2027-02-01T10:00:00+09:00"));
    cJSON_Delete(doc);
}

static void all_day_entries_have_dates_with_an_inclusive_end(void)
{
    cJSON *doc =
        read_ics(CAL_HEAD EV("one", "SUMMARY:One day\r\nDTSTART;VALUE=DATE:20270205\r\n"
                                    "DTEND;VALUE=DATE:20270206\r\n")
                     EV("three", "SUMMARY:Three days\r\n"
                                 "DTSTART;VALUE=DATE:20270205\r\n"
                                 "DTEND;VALUE=DATE:20270208\r\n")
                         EV("noend", "SUMMARY:No end\r\nDTSTART;VALUE=DATE:20270206\r\n")
                             EV("dur", "SUMMARY:Duration days\r\n"
                                       "DTSTART;VALUE=DATE:20270210\r\nDURATION:P2D\r\n") CAL_TAIL);
    CHECK(doc);
    CHECK(str_is(item(doc, "one"), "start", "2027-02-05"));
    CHECK(!has(item(doc, "one"), "end"));
    CHECK(str_is(item(doc, "three"), "start", "2027-02-05"));
    CHECK(str_is(item(doc, "three"), "end", "2027-02-07"));
    CHECK(str_is(item(doc, "noend"), "start", "2027-02-06"));
    CHECK(!has(item(doc, "noend"), "end"));
    CHECK(str_is(item(doc, "dur"), "end", "2027-02-11"));
    cJSON_Delete(doc);
}

static void a_duration_gives_the_end_and_no_end_gives_none(void)
{
    cJSON *doc = read_ics(CAL_HEAD EV("d", "SUMMARY:D\r\nDTSTART:20270210T100000\r\n"
                                           "DURATION:PT1H30M\r\n")
                              EV("e", "SUMMARY:E\r\nDTSTART:20270210T100000\r\n") CAL_TAIL);
    CHECK(doc);
    CHECK(str_is(item(doc, "d"), "start", "2027-02-10T10:00:00+09:00"));
    CHECK(str_is(item(doc, "d"), "end", "2027-02-10T11:30:00+09:00"));
    CHECK(!has(item(doc, "e"), "end"));
    cJSON_Delete(doc);
}

static void a_weekly_rule_with_count_or_until_is_one_item_with_its_dates(void)
{
    cJSON *doc =
        read_ics(CAL_HEAD TZ_TOKYO EV("count", "SUMMARY:Count\r\n"
                                               "DTSTART;TZID=Asia/Tokyo:20270111T100000\r\n"
                                               "DTEND;TZID=Asia/Tokyo:20270111T120000\r\n"
                                               "RRULE:FREQ=WEEKLY;COUNT=3\r\n")
                     EV("until", "SUMMARY:Until\r\n"
                                 "DTSTART;TZID=Asia/Tokyo:20270112T100000\r\n"
                                 "RRULE:FREQ=WEEKLY;UNTIL=20270201T000000Z\r\n") CAL_TAIL);
    const cJSON *c, *u;
    CHECK(doc);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "events")) == 2);
    c = item(doc, "count");
    CHECK(n_dates(c) == 3);
    CHECK(str_is(c, "start", "2027-01-11T10:00:00+09:00"));
    CHECK(str_is(c, "end", "2027-01-11T12:00:00+09:00"));
    CHECK(str_is(c, "dates.0.start", "2027-01-11T10:00:00+09:00"));
    CHECK(str_is(c, "dates.1.start", "2027-01-18T10:00:00+09:00"));
    CHECK(str_is(c, "dates.2.start", "2027-01-25T10:00:00+09:00"));
    CHECK(str_is(c, "dates.2.end", "2027-01-25T12:00:00+09:00"));
    CHECK(!has(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "dates"), 1), "changed"));
    u = item(doc, "until");
    CHECK(n_dates(u) == 3);
    CHECK(str_is(u, "dates.2.start", "2027-01-26T10:00:00+09:00"));
    cJSON_Delete(doc);
}

/* A plain weekly rule is stepped by this reader, the same rule with a BYHOUR by libical's
 * iterator: both must give the same dates, here across New York's change to summer time. */
static void plain_rules_give_what_libical_gives_across_a_dst_change(void)
{
    cJSON *doc = read_ics(CAL_HEAD TZ_NEW_YORK EV(
        "plain", "SUMMARY:P\r\nDTSTART;TZID=America/New_York:20270301T100000\r\n"
                 "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4\r\n")
                              EV("libical", "SUMMARY:L\r\n"
                                            "DTSTART;TZID=America/New_York:20270301T100000\r\n"
                                            "DURATION:PT1H\r\n"
                                            "RRULE:FREQ=WEEKLY;BYHOUR=10;COUNT=4\r\n")
                                  EV("two-days", "SUMMARY:T\r\nDTSTART:20270111T100000\r\n"
                                                 "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;"
                                                 "UNTIL=20270125T235959\r\n")
                                      EV("monthly", "SUMMARY:M\r\nDTSTART:20261215T100000\r\n"
                                                    "RRULE:FREQ=MONTHLY;BYDAY=3TU\r\n")
                                          EV("daily", "SUMMARY:D\r\nDTSTART:20200101T090000\r\n"
                                                      "RRULE:FREQ=DAILY;INTERVAL=30\r\n") CAL_TAIL);
    const cJSON *p, *l, *dp, *dl;
    CHECK(doc);
    p = item(doc, "plain");
    l = item(doc, "libical");
    CHECK(n_dates(p) == 4 && n_dates(l) == 4);
    CHECK(str_is(p, "dates.1.start", "2027-03-09T00:00:00+09:00"));
    CHECK(str_is(p, "dates.2.start", "2027-03-15T23:00:00+09:00")); /* EDT from 03-14 */
    CHECK(str_is(p, "dates.2.end", "2027-03-16T00:00:00+09:00"));
    dp = cJSON_GetObjectItemCaseSensitive(p, "dates");
    dl = cJSON_GetObjectItemCaseSensitive(l, "dates");
    {
        char *a = cJSON_PrintUnformatted(dp), *b = cJSON_PrintUnformatted(dl);
        CHECK(a && b && strcmp(a, b) == 0);
        free(a);
        free(b);
    }
    /* every other week, Monday and Wednesday, until the Monday of the third week */
    CHECK(n_dates(item(doc, "two-days")) == 3);
    CHECK(str_is(item(doc, "two-days"), "dates.1.start", "2027-01-13T10:00:00+09:00"));
    CHECK(str_is(item(doc, "two-days"), "dates.2.start", "2027-01-25T10:00:00+09:00"));
    CHECK(str_is(item(doc, "monthly"), "dates.0.start", "2027-01-19T10:00:00+09:00"));
    CHECK(n_dates(item(doc, "monthly")) == 3);
    /* 2020-01-01 + 30 k days: the first in the window is 2027-01-24 (k = 86) */
    CHECK(str_is(item(doc, "daily"), "start", "2027-01-24T09:00:00+09:00"));
    CHECK(n_dates(item(doc, "daily")) == 3);
    cJSON_Delete(doc);
}

static void rdate_adds_and_exdate_removes_dates(void)
{
    cJSON *doc =
        read_ics(CAL_HEAD EV("rd", "SUMMARY:R\r\nDTSTART:20270113T100000\r\n"
                                   "DTEND:20270113T110000\r\n"
                                   "RDATE:20270120T150000,20270127T150000\r\n")
                     EV("ex", "SUMMARY:X\r\nDTSTART:20270114T100000\r\n"
                              "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
                              "EXDATE:20270121T100000\r\n")
                         EV("single-rdate", "SUMMARY:S\r\nDTSTART:20270301T100000\r\n") CAL_TAIL);
    const cJSON *r, *x;
    CHECK(doc);
    r = item(doc, "rd");
    CHECK(n_dates(r) == 3);
    CHECK(str_is(r, "dates.1.start", "2027-01-20T15:00:00+09:00"));
    CHECK(str_is(r, "dates.1.end", "2027-01-20T16:00:00+09:00"));
    CHECK(str_is(r, "dates.2.start", "2027-01-27T15:00:00+09:00"));
    x = item(doc, "ex");
    CHECK(n_dates(x) == 3);
    CHECK(str_is(x, "dates.0.start", "2027-01-14T10:00:00+09:00"));
    CHECK(str_is(x, "dates.1.start", "2027-01-28T10:00:00+09:00"));
    CHECK(str_is(x, "dates.2.start", "2027-02-04T10:00:00+09:00"));
    CHECK(!has(item(doc, "single-rdate"), "dates"));
    cJSON_Delete(doc);
}

static void an_override_moves_one_date_and_a_cancelled_one_removes_it(void)
{
    cJSON *doc = read_ics(
        CAL_HEAD TZ_TOKYO EV("class", "SUMMARY:書道教室\r\nLOCATION:公民館\r\n"
                                      "DTSTART;TZID=Asia/Tokyo:20270115T190000\r\n"
                                      "DTEND;TZID=Asia/Tokyo:20270115T203000\r\n"
                                      "RRULE:FREQ=WEEKLY;COUNT=4\r\n")
            EV("class", "RECURRENCE-ID;TZID=Asia/Tokyo:20270122T190000\r\n"
                        "SUMMARY:書道教室（時間変更）\r\nLOCATION:別館\r\n"
                        "DTSTART;TZID=Asia/Tokyo:20270122T200000\r\n"
                        "DTEND;TZID=Asia/Tokyo:20270122T213000\r\n")
                EV("class", "RECURRENCE-ID;TZID=Asia/Tokyo:20270129T190000\r\n"
                            "STATUS:CANCELLED\r\nSUMMARY:書道教室\r\n"
                            "DTSTART;TZID=Asia/Tokyo:20270129T190000\r\n")
                    EV("class", "RECURRENCE-ID;TZID=Asia/Tokyo:20270205T190000\r\n"
                                "SUMMARY:書道教室（講師変更）\r\n"
                                "DTSTART;TZID=Asia/Tokyo:20270205T190000\r\n"
                                "DTEND;TZID=Asia/Tokyo:20270205T203000\r\n")
                        EV("fair", "SUMMARY:F\r\nDTSTART:20270116T100000\r\n"
                                   "DTEND:20270116T120000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n")
                            EV("fair", "RECURRENCE-ID:20270123T100000\r\nSUMMARY:F\r\n"
                                       "DTSTART;VALUE=DATE:20270123\r\n") CAL_TAIL);
    const cJSON *c;
    CHECK(doc);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "events")) == 2);
    c = item(doc, "class");
    CHECK(str_is(c, "title.ja", "書道教室"));
    CHECK(str_is(c, "place.ja", "公民館"));
    CHECK(n_dates(c) == 3);
    CHECK(str_is(c, "dates.0.start", "2027-01-15T19:00:00+09:00"));
    CHECK(str_is(c, "dates.1.start", "2027-01-22T20:00:00+09:00"));
    CHECK(str_is(c, "dates.1.end", "2027-01-22T21:30:00+09:00"));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "dates"), 1), "changed")));
    /* 01-29 cancelled; 02-05 overridden at the same time: not marked changed */
    CHECK(str_is(c, "dates.2.start", "2027-02-05T19:00:00+09:00"));
    CHECK(!has(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "dates"), 2), "changed"));
    /* a timed date made all-day by its override */
    CHECK(str_is(item(doc, "fair"), "dates.1.start", "2027-01-23"));
    CHECK(!str_at(item(doc, "fair"), "dates.1.end"));
    CHECK(drops[0] == '\0');
    cJSON_Delete(doc);
}

static void cancelled_undated_and_untitled_entries_are_dropped_with_their_uid(void)
{
    cJSON *doc = read_ics(
        CAL_HEAD EV("gone", "SUMMARY:Gone\r\nSTATUS:CANCELLED\r\n"
                            "DTSTART:20270201T100000\r\n") EV("nodate", "SUMMARY:No date\r\n")
            EV("notitle", "DTSTART:20270201T100000\r\n") EV("blank", "SUMMARY: \xE3\x80\x80 \r\n"
                                                                     "DTSTART:20270201T100000\r\n")
                EV("backwards", "SUMMARY:B\r\n"
                                "DTSTART:20270201T100000\r\n"
                                "DTEND:20270201T090000\r\n") "BEGIN:VEVENT\r\nSUMMARY:No "
                                                             "UID\r\nEND:VEVENT\r\n" EV(
                                                                 "ok", "SUMMARY:OK\r\n"
                                                                       "DTSTART:"
                                                                       "20270201T100000\r\n")
                                                                 CAL_TAIL);
    CHECK(doc);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "events")) == 1);
    CHECK(item(doc, "ok"));
    CHECK(strcmp(drops, "event gone: cancelled\n"
                        "event nodate: no DTSTART\n"
                        "event notitle: no SUMMARY\n"
                        "event blank: no SUMMARY\n"
                        "event backwards: end before start\n"
                        "event ?: no DTSTART\n") == 0);
    cJSON_Delete(doc);
}

static void folded_lines_and_escapes_come_out_right(void)
{
    /* あいう = E3 81 82 E3 81 84 E3 81 86; the fold splits い after its first byte */
    cJSON *doc = read_ics(CAL_HEAD EV("fold", "SUMMARY:\xE3\x81\x82\xE3\r\n \x81\x84\xE3\x81\x86"
                                              "の会\r\n"
                                              "LOCATION:  市民会館\\, 2階\\; 会議室\xE3\x80\x80\r\n"
                                              "DESCRIPTION:一行目\\n二行目\\, \\\\ 終わり\r\n"
                                              "DTSTART:20270201T100000\r\n") CAL_TAIL);
    const cJSON *f;
    CHECK(doc);
    f = item(doc, "fold");
    CHECK(str_is(f, "title.ja", "あいうの会"));
    CHECK(str_is(f, "place.ja", "市民会館, 2階; 会議室"));
    CHECK(str_is(f, "description.ja", "一行目\n二行目, \\ 終わり"));
    cJSON_Delete(doc);
}

static void categories_become_labels_listed_once(void)
{
    struct import_opts o;
    cJSON *doc;
    const cJSON *cats;

    opts(&o);
    o.default_category = "お知らせ";
    doc = read_with(CAL_HEAD EV("a", "SUMMARY:A\r\nDTSTART:20270201T100000\r\n"
                                     "CATEGORIES:子育て,講座\r\nCATEGORIES:スポーツ 教室\r\n")
                        EV("b", "SUMMARY:B\r\nDTSTART:20270201T100000\r\n"
                                "CATEGORIES:講座,子育て,講座\r\n")
                            EV("c", "SUMMARY:C\r\nDTSTART:20270201T100000\r\n") CAL_TAIL,
                    &o);
    CHECK(doc);
    cats = cJSON_GetObjectItemCaseSensitive(doc, "categories");
    CHECK(cJSON_GetArraySize(cats) == 4);
    CHECK(str_is(cats, "0.id", "子育て"));
    CHECK(str_is(cats, "0.label.ja", "子育て"));
    CHECK(str_is(cats, "2.id", "スポーツ教室"));
    CHECK(str_is(cats, "2.label.ja", "スポーツ 教室"));
    CHECK(str_is(cats, "3.id", "お知らせ"));
    CHECK(str_is(item(doc, "a"), "categories.0", "子育て"));
    CHECK(str_is(item(doc, "a"), "categories.1", "講座"));
    CHECK(str_is(item(doc, "a"), "categories.2", "スポーツ教室"));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(item(doc, "b"), "categories")) == 2);
    CHECK(str_is(item(doc, "c"), "categories.0", "お知らせ"));
    cJSON_Delete(doc);
}

#define URLS                                                                                       \
    CAL_HEAD EV("http", "SUMMARY:H\r\nDTSTART:20270201T100000\r\n"                                 \
                        "URL:http://www.city.example.jp/ev/1\r\n")                                 \
        EV("https", "SUMMARY:S\r\nDTSTART:20270201T100000\r\n"                                     \
                    "URL:https://www.city.example.jp/ev/2\r\n")                                    \
            EV("ftp", "SUMMARY:F\r\nDTSTART:20270201T100000\r\nURL:ftp://example.jp/x\r\n")        \
                EV("liar", "SUMMARY:L\r\nDTSTART:20270201T100000\r\n"                              \
                           "URL:https://city.example.jp@evil.example/\r\n") CAL_TAIL

static void a_url_is_upgraded_to_https_unless_told_not_to(void)
{
    struct import_opts o;
    cJSON *doc = read_ics(URLS);
    CHECK(doc);
    CHECK(str_is(item(doc, "http"), "signup_url", "https://www.city.example.jp/ev/1"));
    CHECK(str_is(item(doc, "https"), "signup_url", "https://www.city.example.jp/ev/2"));
    CHECK(!has(item(doc, "ftp"), "signup_url"));
    CHECK(!has(item(doc, "liar"), "signup_url"));
    cJSON_Delete(doc);

    opts(&o);
    o.upgrade_http = false;
    doc = read_with(URLS, &o);
    CHECK(doc);
    CHECK(!has(item(doc, "http"), "signup_url"));
    CHECK(str_is(item(doc, "https"), "signup_url", "https://www.city.example.jp/ev/2"));
    cJSON_Delete(doc);
}

static void the_window_starts_at_the_facility_day_of_now_and_cuts_series(void)
{
    cJSON *doc = read_ics(
        CAL_HEAD EV("yesterday", "SUMMARY:Y\r\nDTSTART;VALUE=DATE:20270109\r\n")
            EV("past", "SUMMARY:P\r\nDTSTART:20261201T100000\r\nDTEND:20261201T110000\r\n")
                EV("this-morning", "SUMMARY:M\r\nDTSTART:20270110T000000\r\n")
                    EV("running", "SUMMARY:R\r\nDTSTART:20270101T100000\r\n"
                                  "DTEND:20270111T100000\r\n")
                        EV("far", "SUMMARY:F\r\nDTSTART:20280101T100000\r\n")
                            EV("old-series", "SUMMARY:O\r\nDTSTART:20200106T100000\r\n"
                                             "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n")
                                EV("past-series", "SUMMARY:PS\r\nDTSTART:20200106T100000\r\n"
                                                  "RRULE:FREQ=WEEKLY;COUNT=3\r\n")
                                    EV("late-series", "SUMMARY:LS\r\nDTSTART:20280106T100000\r\n"
                                                      "RRULE:FREQ=WEEKLY;COUNT=3\r\n")
                                        EV("edge", "SUMMARY:E\r\nDTSTART:20270405T000000\r\n"
                                                   "RRULE:FREQ=WEEKLY;COUNT=3\r\n") CAL_TAIL);
    const cJSON *o, *e;
    CHECK(doc);
    CHECK(!item(doc, "yesterday"));
    CHECK(!item(doc, "past"));
    CHECK(item(doc, "this-morning"));
    CHECK(item(doc, "running"));
    CHECK(str_is(item(doc, "far"), "start", "2028-01-01T10:00:00+09:00"));
    o = item(doc, "old-series");
    /* Mondays from 01-11 to 04-05: 13 dates, the window ending 04-12 00:00 */
    CHECK(n_dates(o) == 13);
    CHECK(str_is(o, "start", "2027-01-11T10:00:00+09:00"));
    CHECK(str_is(o, "dates.12.start", "2027-04-05T10:00:00+09:00"));
    CHECK(!item(doc, "past-series"));
    CHECK(!item(doc, "late-series"));
    e = item(doc, "edge");
    CHECK(e && !has(e, "dates")); /* 04-05 in, 04-12 00:00 is the window's end */
    CHECK(strcmp(drops, "event late-series: no date within the next 92 days\n") == 0);
    cJSON_Delete(doc);
}

static void ids_are_prefixed_and_unusable_uids_hashed_stably(void)
{
    struct import_opts o;
    char long_uid[160];
    char ics[2048];
    cJSON *doc, *again;
    const cJSON *evs;

    memset(long_uid, 'u', 150);
    long_uid[150] = '\0';
    snprintf(ics, sizeof ics,
             CAL_HEAD "BEGIN:VEVENT\r\nUID:%s\r\nSUMMARY:L\r\nDTSTART:20270201T100000\r\n"
                      "END:VEVENT\r\n" EV("has space", "SUMMARY:S\r\nDTSTART:20270201T100000\r\n")
                          EV("plain@example.jp", "SUMMARY:P\r\nDTSTART:20270201T100000\r\n")
                              EV("plain@example.jp", "SUMMARY:P2\r\nDTSTART:20270202T100000\r\n")
                                  CAL_TAIL,
             long_uid);
    opts(&o);
    o.id_prefix = "cal1:";
    doc = read_with(ics, &o);
    again = read_with(ics, &o);
    CHECK(doc && again);
    evs = cJSON_GetObjectItemCaseSensitive(doc, "events");
    CHECK(cJSON_GetArraySize(evs) == 3);
    CHECK(strncmp(str_at(evs, "0.id"), "cal1:ics-", 9) == 0 && strlen(str_at(evs, "0.id")) == 25);
    CHECK(strncmp(str_at(evs, "1.id"), "cal1:ics-", 9) == 0);
    CHECK(strcmp(str_at(evs, "0.id"), str_at(evs, "1.id")) != 0);
    CHECK(str_is(evs, "2.id", "cal1:plain@example.jp"));
    CHECK(strcmp(drops, "event plain@example.jp: duplicate UID\n") == 0);
    {
        char *a = cJSON_PrintUnformatted(doc), *b = cJSON_PrintUnformatted(again);
        CHECK(a && b && strcmp(a, b) == 0);
        free(a);
        free(b);
    }
    cJSON_Delete(doc);
    cJSON_Delete(again);
}

static void volunteers_go_into_their_own_array(void)
{
    struct import_opts o;
    cJSON *doc;
    opts(&o);
    o.kind = FEED_KIND_VOLUNTEER;
    doc = read_with(CAL_HEAD EV("v", "SUMMARY:V\r\nDTSTART:20270201T100000\r\n") CAL_TAIL, &o);
    CHECK(doc);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "events")) == 0);
    CHECK(str_is(doc, "volunteers.0.id", "v"));
    cJSON_Delete(doc);
}

static void a_file_that_is_not_a_calendar_is_rejected_whole(void)
{
    const char *bad[] = {
        "name,date\r\nx,2027-01-01\r\n",
        "",
        "BEGIN:VCALENDAR\r\n\0END:VCALENDAR\r\n",
        "BEGIN:VCALENDARX",
    };
    size_t lens[] = {strlen(bad[0]), 0, 34, strlen(bad[3])};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(!import_ical(bad[i], lens[i], NULL, err, sizeof err));
        CHECK(strncmp(err, "not an iCalendar file: ", 23) == 0);
    }
}

static void deep_nesting_and_runaway_rules_end_quickly(void)
{
    size_t cap = 64 * 20 + 200, n = 0;
    char *deep = malloc(cap);
    struct timespec t0, t1;
    cJSON *doc;
    double ms;

    CHECK(deep);
    if (!deep) {
        return;
    }
    n += (size_t)snprintf(deep + n, cap - n, "BEGIN:VCALENDAR\r\n");
    for (int i = 0; i < 60; i++) {
        n += (size_t)snprintf(deep + n, cap - n, "BEGIN:X\r\n");
    }
    err[0] = '\0';
    CHECK(!import_ical(deep, n, NULL, err, sizeof err));
    CHECK(strstr(err, "nested"));
    free(deep);

    /* BEGIN lines hidden in folds pass the early check; the tree is still freed safely */
    cap = 200000 * 19 + 100;
    deep = malloc(cap);
    CHECK(deep);
    if (!deep) {
        return;
    }
    n = (size_t)snprintf(deep, cap, "BEGIN:VCALENDAR\r\n");
    for (int i = 0; i < 200000; i++) {
        memcpy(deep + n, "BEG\r\n IN:X\r\n", 12);
        n += 12;
    }
    for (int i = 0; i < 200000; i++) {
        memcpy(deep + n, "END:X\r\n", 7);
        n += 7;
    }
    n += (size_t)snprintf(deep + n, cap - n, "END:VCALENDAR\r\n");
    doc = import_ical(deep, n, NULL, err, sizeof err);
    CHECK(doc);
    cJSON_Delete(doc);
    free(deep);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    doc = read_ics(CAL_HEAD EV("sec", "SUMMARY:S\r\nDTSTART:20270110T100000Z\r\n"
                                      "RRULE:FREQ=SECONDLY;COUNT=1000000\r\n")
                       EV("min", "SUMMARY:M\r\nDTSTART:19900101T000000Z\r\n"
                                 "RRULE:FREQ=MINUTELY\r\n")
                           EV("big", "SUMMARY:B\r\nDTSTART:20270111T100000\r\n"
                                     "RRULE:FREQ=DAILY;COUNT=1000000\r\n")
                               EV("setpos", "SUMMARY:P\r\nDTSTART:20270110T100000Z\r\n"
                                            "RRULE:FREQ=SECONDLY;COUNT=10;BYDAY=3TU;"
                                            "BYSETPOS=1\r\n") CAL_TAIL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(doc);
    CHECK(n_dates(item(doc, "sec")) == 366);
    CHECK(n_dates(item(doc, "min")) == 366);
    CHECK(n_dates(item(doc, "big")) == 91);
    /* libical would spin inside one step of this rule: it is ignored, DTSTART stays */
    CHECK(str_is(item(doc, "setpos"), "start", "2027-01-10T19:00:00+09:00"));
    CHECK(!has(item(doc, "setpos"), "dates"));
    CHECK(ms < 2000);
    cJSON_Delete(doc);
}

static void a_broken_property_drops_nothing_else(void)
{
    cJSON *doc =
        read_ics(CAL_HEAD EV("x", "SUMMARY:X\r\nDTSTART:20270201T100000\r\n"
                                  "DTEND:garbage\r\nBOGUS;=:\r\nRRULE:FREQ=NOPE\r\n"
                                  "EXDATE:also-garbage\r\n") "BEGIN:VEVENT\r\nUID:y\r\nSUMMARY:"
                                                             "Y\r\nDTSTART:20270202T100000\r\n"
                                                             "END:VEVENT\r\n" CAL_TAIL);
    CHECK(doc);
    CHECK(item(doc, "x"));
    CHECK(str_is(item(doc, "y"), "start", "2027-02-02T10:00:00+09:00"));
    cJSON_Delete(doc);
}

int main(void)
{
    log_set_sink(quiet, NULL);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        fprintf(stderr, "no Asia/Tokyo zone\n");
    }
    RUN(a_tzid_with_its_vtimezone_is_converted_to_the_facility_zone);
    RUN(a_known_tzid_without_vtimezone_utc_and_floating_times_are_read);
    RUN(all_day_entries_have_dates_with_an_inclusive_end);
    RUN(a_duration_gives_the_end_and_no_end_gives_none);
    RUN(a_weekly_rule_with_count_or_until_is_one_item_with_its_dates);
    RUN(plain_rules_give_what_libical_gives_across_a_dst_change);
    RUN(rdate_adds_and_exdate_removes_dates);
    RUN(an_override_moves_one_date_and_a_cancelled_one_removes_it);
    RUN(cancelled_undated_and_untitled_entries_are_dropped_with_their_uid);
    RUN(folded_lines_and_escapes_come_out_right);
    RUN(categories_become_labels_listed_once);
    RUN(a_url_is_upgraded_to_https_unless_told_not_to);
    RUN(the_window_starts_at_the_facility_day_of_now_and_cuts_series);
    RUN(ids_are_prefixed_and_unusable_uids_hashed_stably);
    RUN(volunteers_go_into_their_own_array);
    RUN(a_file_that_is_not_a_calendar_is_rejected_whole);
    RUN(deep_nesting_and_runaway_rules_end_quickly);
    RUN(a_broken_property_drops_nothing_else);
    TEST_MAIN_END();
}
