/* test_kinds_time: desk hours, grant deadlines and room slots at an injected clock
 * (feed/kinds_time.h).
 *
 * The week of 2026-11-26 (a Thursday) in Asia/Tokyo: a desk open Monday to Friday 9:30 to
 * 17:00 and Saturday night 22:00 to 2:00, with a special Saturday and a year-end closure;
 * grants with date deadlines; a room with free and booked slots. */
#include <stdlib.h>
#include <string.h>

#include "feed/kinds_time.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define T(mo, d, h, mi) timeutil_make_local(2026, (mo), (d), (h), (mi))

static struct feed *parse_q(const char *body)
{
    char *doc = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&doc, &len);
    char err[256];
    struct feed *f;

    if (!m) {
        return NULL;
    }
    fprintf(m,
            "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','events':[],"
            "'volunteers':[],%s}",
            body);
    fclose(m);
    for (char *p = doc; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    f = feed_parse(doc, len, NULL, err, sizeof err);
    if (!f || feed_drop_count(f)) {
        fprintf(stderr, "parse: %s %s\n", err, f ? feed_drop_at(f, 0)->reason : "");
    }
    free(doc);
    return f;
}

static const char *DESK =
    "'desks':[{'id':'d1','name':{'ja':'市民活動相談'},"
    "'hours':[{'days':['mon','tue','wed','thu','fri'],'open':'09:30','close':'17:00'},"
    "{'days':['sat'],'open':'22:00','close':'02:00'}],"
    "'exceptions':[{'date':'2026-12-29','until':'2027-01-03','closed':true,"
    "'note':{'ja':'年末年始休業'}},{'date':'2026-12-05','open':'10:00','close':'12:00'}]},"
    "{'id':'d2','name':{'ja':'時間の定めなし'}}]";

static void a_desk_is_open_within_its_weekday_hours(void)
{
    struct feed *f = parse_q(DESK);
    const struct feed_desk *d = feed_desk_at(f, 0);
    struct desk_span s;

    CHECK(d);
    if (!d) {
        goto out;
    }
    CHECK(desk_open_now(d, T(11, 26, 10, 0), &s));
    CHECK(s.start == T(11, 26, 9, 30) && s.end == T(11, 26, 17, 0));
    CHECK(desk_open_now(d, T(11, 26, 9, 30), NULL));
    /* the close is exclusive */
    CHECK(!desk_open_now(d, T(11, 26, 17, 0), NULL));
    CHECK(!desk_open_now(d, T(11, 26, 9, 29), NULL));
    /* Sunday has no daytime hours */
    CHECK(!desk_open_now(d, T(11, 29, 10, 0), NULL));
out:
    feed_free(f);
}

static void the_next_opening_is_later_today_or_on_the_next_open_day(void)
{
    struct feed *f = parse_q(DESK);
    const struct feed_desk *d = feed_desk_at(f, 0);
    struct desk_span s;

    CHECK(d);
    if (!d) {
        goto out;
    }
    CHECK(desk_next_opening(d, T(11, 26, 8, 0), &s) && s.start == T(11, 26, 9, 30));
    CHECK(desk_next_opening(d, T(11, 26, 18, 0), &s) && s.start == T(11, 27, 9, 30));
    /* while open, the next opening is the one after this */
    CHECK(desk_next_opening(d, T(11, 27, 10, 0), &s) && s.start == T(11, 28, 22, 0));
    CHECK(desk_next_opening(d, T(11, 29, 3, 0), &s) && s.start == T(11, 30, 9, 30));
    /* a desk without hours never opens */
    CHECK(!desk_next_opening(feed_desk_at(f, 1), T(11, 26, 8, 0), &s));
    CHECK(!desk_open_now(feed_desk_at(f, 1), T(11, 26, 10, 0), &s));
out:
    feed_free(f);
}

static void hours_past_midnight_count_on_the_next_day(void)
{
    struct feed *f = parse_q(DESK);
    const struct feed_desk *d = feed_desk_at(f, 0);
    struct desk_span s;

    CHECK(d);
    if (!d) {
        goto out;
    }
    CHECK(desk_open_now(d, T(11, 28, 23, 0), &s));
    /* Sunday 1:00 is still Saturday night's opening */
    CHECK(desk_open_now(d, T(11, 29, 1, 0), &s));
    CHECK(s.start == T(11, 28, 22, 0) && s.end == T(11, 29, 2, 0));
    CHECK(!desk_open_now(d, T(11, 29, 2, 0), NULL));
    /* Saturday before 22:00 is not open from the Friday: Friday closes at 17:00 */
    CHECK(!desk_open_now(d, T(11, 28, 1, 0), NULL));
out:
    feed_free(f);
}

static void an_exception_replaces_the_weekly_hours_of_its_days(void)
{
    struct feed *f = parse_q(DESK);
    const struct feed_desk *d = feed_desk_at(f, 0);
    const struct feed_hours_exception *x;
    struct desk_span s;

    CHECK(d);
    if (!d) {
        goto out;
    }
    /* Saturday 12-05 has special hours 10:00-12:00 instead of the night */
    CHECK(desk_open_now(d, T(12, 5, 11, 0), &s) && s.end == T(12, 5, 12, 0));
    CHECK(!desk_open_now(d, T(12, 5, 23, 0), NULL));
    CHECK(desk_next_opening(d, T(12, 5, 12, 30), &s) && s.start == T(12, 7, 9, 30));
    /* closed 12-29 to 01-03: from Monday evening the next opening is 2027-01-04 */
    CHECK(desk_next_opening(d, T(12, 28, 18, 0), &s));
    CHECK(s.start == timeutil_make_local(2027, 1, 4, 9, 30));
    CHECK(!desk_open_now(d, T(12, 29, 10, 0), NULL));
    x = desk_exception_on(d, T(12, 31, 12, 0));
    CHECK(x && x->closed && strcmp(x->note.ja, "年末年始休業") == 0);
    CHECK(!desk_exception_on(d, T(12, 28, 12, 0)));
    /* Saturday night 12-26 still runs into the Sunday */
    CHECK(desk_open_now(d, T(12, 27, 1, 0), NULL));
out:
    feed_free(f);
}

static const char *GRANTS = "'grants':["
                            "{'id':'late','title':{'ja':'遅い'},'deadline':'2027-01-31'},"
                            "{'id':'soon','title':{'ja':'近い'},'deadline':'2026-12-01'},"
                            "{'id':'past','title':{'ja':'過去'},'deadline':'2026-11-20'}]";

static void grant_days_are_counted_to_the_last_day_of_applications(void)
{
    struct feed *f = parse_q(GRANTS);
    const struct feed_grant *g = feed_grant_at(f, 1);

    CHECK(g && strcmp(g->id, "soon") == 0);
    if (!g) {
        goto out;
    }
    CHECK(grant_days_left(g, T(11, 26, 10, 0)) == 5);
    CHECK(grant_days_left(g, T(12, 1, 23, 59)) == 0 && grant_current(g, T(12, 1, 23, 59)));
    CHECK(!grant_current(g, T(12, 2, 0, 0)) && grant_days_left(g, T(12, 2, 0, 0)) == -1);
out:
    feed_free(f);
}

static void grants_are_listed_by_deadline_without_past_ones(void)
{
    struct feed *f = parse_q(GRANTS);
    const struct feed_grant *out[4];

    CHECK(grants_select(f, T(11, 26, 10, 0), out, 4) == 2);
    CHECK(strcmp(out[0]->id, "soon") == 0 && strcmp(out[1]->id, "late") == 0);
    CHECK(grants_select(f, T(11, 26, 10, 0), out, 1) == 2);
    /* an implausible clock hides nothing */
    CHECK(grants_select(f, 0, out, 4) == 3 && strcmp(out[0]->id, "past") == 0);
    CHECK(grants_select(NULL, T(11, 26, 10, 0), out, 4) == 0);
    feed_free(f);
}

static const char *ROOM =
    "'rooms':[{'id':'r1','facility':{'ja':'武蔵野プレイス'},'name':{'ja':'スタジオ'},'slots':["
    "{'start':'2026-11-26T09:00:00+09:00','end':'2026-11-26T12:00:00+09:00','state':'free'},"
    "{'start':'2026-11-26T13:00:00+09:00','end':'2026-11-26T17:00:00+09:00','state':'booked'},"
    "{'start':'2026-11-26T17:00:00+09:00','end':'2026-11-26T21:00:00+09:00','state':'free'},"
    "{'start':'2026-11-27T09:00:00+09:00','end':'2026-11-27T12:00:00+09:00','state':'free'},"
    "{'start':'2026-12-05T09:00:00+09:00','end':'2026-12-05T12:00:00+09:00','state':'free'}]}]";

static void room_free_slots_are_counted_for_today_and_this_week(void)
{
    struct feed *f = parse_q(ROOM);
    const struct feed_room *r = feed_room_at(f, 0);
    const struct feed_slot *s[8];

    CHECK(r);
    if (!r) {
        goto out;
    }
    /* the morning slot is still free at 10:00 */
    CHECK(room_free_slots(r, T(11, 26, 10, 0), FEED_DAY_TODAY, s, 8) == 2);
    CHECK(s[0]->start == T(11, 26, 9, 0) && s[1]->start == T(11, 26, 17, 0));
    CHECK(room_free_slots(r, T(11, 26, 12, 0), FEED_DAY_TODAY, s, 8) == 1);
    CHECK(room_free_slots(r, T(11, 26, 10, 0), FEED_DAY_WEEK, s, 8) == 3);
    CHECK(room_free_slots(r, T(11, 26, 10, 0), FEED_DAY_ALL, s, 1) == 4);
    CHECK(room_slots_on(r, T(11, 26, 0, 0), s, 8) == 3 && !s[1]->free);
    CHECK(room_slots_on(r, T(11, 28, 0, 0), s, 8) == 0);
out:
    feed_free(f);
}

static void groups_filter_by_field_and_recruiting(void)
{
    struct feed *f = parse_q(
        "'categories':[{'id':'env','label':{'ja':'環境'}},{'id':'kids','label':{'ja':'子'}}],"
        "'groups':[{'id':'a','name':{'ja':'a'},'categories':['env'],'recruiting':true},"
        "{'id':'b','name':{'ja':'b'},'categories':['kids','env']},"
        "{'id':'c','name':{'ja':'c'},'recruiting':true}]");
    const struct feed_group *out[4];

    CHECK(groups_select(f, NULL, false, out, 4) == 3);
    CHECK(groups_select(f, "env", false, out, 4) == 2 && strcmp(out[1]->id, "b") == 0);
    CHECK(groups_select(f, NULL, true, out, 4) == 2 && strcmp(out[1]->id, "c") == 0);
    CHECK(groups_select(f, "env", true, out, 4) == 1 && strcmp(out[0]->id, "a") == 0);
    CHECK(groups_select(f, "kids", true, out, 4) == 0);
    feed_free(f);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(a_desk_is_open_within_its_weekday_hours);
    RUN(the_next_opening_is_later_today_or_on_the_next_open_day);
    RUN(hours_past_midnight_count_on_the_next_day);
    RUN(an_exception_replaces_the_weekly_hours_of_its_days);
    RUN(grant_days_are_counted_to_the_last_day_of_applications);
    RUN(grants_are_listed_by_deadline_without_past_ones);
    RUN(room_free_slots_are_counted_for_today_and_this_week);
    RUN(groups_filter_by_field_and_recruiting);
    TEST_MAIN_END();
}
