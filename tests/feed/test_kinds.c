/* test_kinds: grants, desks, rooms and groups in a feed document (feed/kinds.h).
 *
 * The four arrays are optional: a document without them is read as before, one with a bad
 * member type is rejected whole like a bad announcements array, and a bad entry is
 * dropped with a reason naming its field while its neighbours stay. Merging several
 * sources keeps the first of two entries with one id; writing a feed back and reading it
 * again gives the same document. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_write.h"
#include "feed/import.h"
#include "feed/kinds.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

/* A document with the kinds' arrays spliced in; single quotes stand for double. */
static struct feed *parse_with(const char *extra, char *err, size_t errlen)
{
    char *doc = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&doc, &len);
    struct feed *f;

    if (!m) {
        return NULL;
    }
    fprintf(m,
            "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"
            "'categories':[{'id':'kids','label':{'ja':'子ども'}},"
            "{'id':'env','label':{'ja':'環境'}}],"
            "'events':[],'volunteers':[]%s%s}",
            extra[0] ? "," : "", extra);
    fclose(m);
    for (char *p = doc; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    f = feed_parse(doc, len, NULL, err, errlen);
    free(doc);
    return f;
}

/* The reason the entry `id` was dropped for, or "". */
static const char *drop_reason(const struct feed *f, const char *id)
{
    for (size_t i = 0; i < feed_drop_count(f); i++) {
        if (strcmp(feed_drop_at(f, i)->id, id) == 0) {
            return feed_drop_at(f, i)->reason;
        }
    }
    return "";
}

static const char *GRANTS =
    "'grants':[{'id':'g1','title':{'ja':'市民活動応援補助金','en':'Civic grant'},"
    "'provider':{'ja':'武蔵野市'},'amount':{'ja':'上限10万円'},"
    "'eligibility':{'ja':'市内で活動する5人以上の団体'},'opens':'2026-11-01',"
    "'deadline':'2026-12-10','url':'https://example.jp/g1','contact':{'ja':'0422-00-0001'}},"
    "{'id':'g2','title':{'ja':'締切なし'}},"
    "{'id':'g3','title':{'ja':'x'},'deadline':'2026-12-01','opens':'2026-12-02'},"
    "{'id':'g4','title':{'ja':'x'},'deadline':'2026-12-01','url':'http://example.jp'},"
    "{'id':'g1','title':{'ja':'同じid'},'deadline':'2026-12-31'}]";

static const char *DESKS =
    "'desks':[{'id':'d1','name':{'ja':'市民活動相談'},'helps':{'ja':'団体の立ち上げ'},"
    "'phone':'0422-00-0002','booking_required':true,"
    "'hours':[{'days':['mon','tue','wed','thu','fri'],'open':'09:30','close':'17:00'},"
    "{'days':['sat'],'open':'22:00','close':'02:00'}],"
    "'exceptions':[{'date':'2026-12-29','until':'2027-01-03','closed':true,"
    "'note':{'ja':'年末年始'}},{'date':'2026-12-05','open':'10:00','close':'12:00'}]},"
    "{'id':'d2','name':{'ja':'x'},'hours':[{'days':['mon'],'open':'9:30','close':'17:00'}]},"
    "{'id':'d3','name':{'ja':'x'},'hours':[{'days':['funday'],'open':'09:00','close':'17:00'}]},"
    "{'id':'d4','name':{'ja':'x'},'phone':'お電話ください'},"
    "{'id':'d5','name':{'ja':'x'},'exceptions':[{'date':'2026-12-05'}]},"
    "{'id':'d6','name':{'ja':'x'},'hours':[{'days':['mon'],'open':'09:00','close':'09:00'}]}]";

static const char *ROOMS =
    "'rooms':[{'id':'r1','facility':{'ja':'武蔵野プレイス'},'name':{'ja':'スタジオ'},"
    "'capacity':20,'equipment':{'ja':'鏡、音響'},'fee':{'ja':'1時間 500円'},"
    "'booking_url':'https://example.jp/r1','slots':["
    "{'start':'2026-11-26T13:00:00+09:00','end':'2026-11-26T15:00:00+09:00','state':'booked'},"
    "{'start':'2026-11-26T09:00:00+09:00','end':'2026-11-26T12:00:00+09:00','state':'free'}]},"
    "{'id':'r2','facility':{'ja':'x'},'name':{'ja':'y'}},"
    "{'id':'r3','facility':{'ja':'x'},'name':{'ja':'y'},'slots':["
    "{'start':'2026-11-26T09:00:00+09:00','end':'2026-11-26T12:00:00+09:00','state':'free'},"
    "{'start':'2026-11-26T11:00:00+09:00','end':'2026-11-26T13:00:00+09:00','state':'booked'}]},"
    "{'id':'r4','facility':{'ja':'x'},'name':{'ja':'y'},'slots':["
    "{'start':'2026-11-26T09:00:00+09:00','end':'2026-11-26T12:00:00+09:00','state':'maybe'}]},"
    "{'id':'r5','name':{'ja':'y'}}]";

static const char *GROUPS =
    "'groups':[{'id':'c1','name':{'ja':'玉川上水を守る会'},'categories':['env','unknown'],"
    "'activity':{'ja':'毎月第2土曜'},'recruiting':true,'url':'https://example.jp/c1'},"
    "{'id':'c2','name':{'ja':'読み聞かせの会'},'categories':['kids']},"
    "{'id':'c3','name':{'ja':'x'},'recruiting':'yes'}]";

static void a_feed_without_the_new_arrays_stays_valid(void)
{
    char err[256];
    struct feed *f = parse_with("", err, sizeof err);

    CHECK(f);
    for (int k = 0; f && k < FEED_EXTRA_COUNT; k++) {
        CHECK(feed_extra_count(f, (enum feed_extra_kind)k) == 0);
    }
    CHECK(!feed_grant_at(f, 0) && !feed_desk_at(f, 0));
    feed_free(f);
    f = parse_with("'grants':null,'rooms':[]", err, sizeof err);
    CHECK(f && feed_extra_count(f, FEED_EXTRA_ROOM) == 0);
    feed_free(f);
}

static void a_new_member_that_is_not_an_array_rejects_the_document(void)
{
    char err[256];
    struct feed *f = parse_with("'desks':{'id':'d1'}", err, sizeof err);

    CHECK(!f);
    CHECK(strcmp(err, "field 'desks': not an array") == 0);
}

static void grants_keep_their_fields_and_drop_bad_entries_alone(void)
{
    char err[256];
    struct feed *f = parse_with(GRANTS, err, sizeof err);
    const struct feed_grant *g;

    CHECK(f);
    if (!f) {
        return;
    }
    CHECK(feed_extra_count(f, FEED_EXTRA_GRANT) == 1);
    g = feed_grant_at(f, 0);
    CHECK(strcmp(g->id, "g1") == 0 && strcmp(g->title.en, "Civic grant") == 0);
    CHECK(strcmp(g->amount.ja, "上限10万円") == 0 && g->eligibility.ja && g->contact.ja);
    CHECK(g->has_opens && g->opens == timeutil_make_local(2026, 11, 1, 0, 0));
    /* a date-only deadline takes applications all of its day */
    CHECK(g->deadline == timeutil_make_local(2026, 12, 11, 0, 0));
    CHECK(strcmp(g->url.url, "https://example.jp/g1") == 0 &&
          strcmp(g->url.host, "example.jp") == 0);
    CHECK(strcmp(drop_reason(f, "g2"), "field 'deadline': required") == 0);
    CHECK(strcmp(drop_reason(f, "g3"), "field 'opens': not before the deadline") == 0);
    CHECK(strcmp(drop_reason(f, "g4"), "field 'url': not https") == 0);
    CHECK(feed_drop_count(f) == 4);
    CHECK(strcmp(feed_drop_at(f, 3)->kind, "grant") == 0);
    CHECK(strcmp(feed_drop_at(f, 3)->reason, "duplicate id") == 0);
    feed_free(f);
}

static void desks_read_weekly_hours_exceptions_and_phone(void)
{
    char err[256];
    struct feed *f = parse_with(DESKS, err, sizeof err);
    const struct feed_desk *d;

    CHECK(f);
    if (!f) {
        return;
    }
    CHECK(feed_extra_count(f, FEED_EXTRA_DESK) == 1);
    d = feed_desk_at(f, 0);
    CHECK(strcmp(d->phone, "0422-00-0002") == 0 && d->booking_required);
    CHECK(d->n_hours == 2 && d->hours[0].days == 0x3e && d->hours[0].open == 570 &&
          d->hours[0].close == 1020);
    /* a close before the open runs into the next day */
    CHECK(d->hours[1].days == 0x40 && d->hours[1].open == 1320 && d->hours[1].close == 1560);
    CHECK(d->n_exceptions == 2 && d->exceptions[0].closed &&
          d->exceptions[0].to_day - d->exceptions[0].from_day == 5);
    CHECK(strcmp(d->exceptions[0].note.ja, "年末年始") == 0);
    CHECK(!d->exceptions[1].closed && d->exceptions[1].open == 600);
    CHECK(strstr(drop_reason(f, "d2"), "field 'hours[0]': 'open' and 'close' must be"));
    CHECK(strstr(drop_reason(f, "d3"), "a day must be one of sun mon"));
    CHECK(strstr(drop_reason(f, "d4"), "field 'phone': not a phone number"));
    CHECK(strstr(drop_reason(f, "d5"), "field 'exceptions[0]': 'open' and 'close'"));
    CHECK(strstr(drop_reason(f, "d6"), "open for a whole day or more"));
    feed_free(f);
}

static void rooms_sort_their_slots_and_refuse_overlaps(void)
{
    char err[256];
    struct feed *f = parse_with(ROOMS, err, sizeof err);
    const struct feed_room *r;

    CHECK(f);
    if (!f) {
        return;
    }
    CHECK(feed_extra_count(f, FEED_EXTRA_ROOM) == 2);
    r = feed_room_at(f, 0);
    CHECK(r->capacity == 20 && strcmp(r->booking.host, "example.jp") == 0);
    CHECK(r->n_slots == 2 && r->slots[0].free && !r->slots[1].free);
    CHECK(r->slots[0].start < r->slots[1].start);
    /* a room without slots is its facts alone */
    r = feed_room_at(f, 1);
    CHECK(r->n_slots == 0 && r->capacity == -1 && !r->booking.url);
    CHECK(strcmp(drop_reason(f, "r3"), "field 'slots': two slots overlap") == 0);
    CHECK(strstr(drop_reason(f, "r4"), "must be \"free\" or \"booked\""));
    CHECK(strcmp(drop_reason(f, "r5"), "field 'facility': required") == 0);
    feed_free(f);
}

static void groups_keep_known_categories_and_the_recruiting_flag(void)
{
    char err[256];
    struct feed *f = parse_with(GROUPS, err, sizeof err);
    const struct feed_group *g;

    CHECK(f);
    if (!f) {
        return;
    }
    CHECK(feed_extra_count(f, FEED_EXTRA_GROUP) == 2);
    g = feed_group_at(f, 0);
    CHECK(g->recruiting && g->n_categories == 1 && strcmp(g->categories[0], "env") == 0);
    CHECK(!feed_group_at(f, 1)->recruiting);
    CHECK(strcmp(drop_reason(f, "c3"), "field 'recruiting': not true or false") == 0);
    feed_free(f);
}

static void the_per_kind_limit_drops_the_rest(void)
{
    struct feed_limits lim;
    char err[256];
    const char *doc =
        "{\"version\":1,\"generated_at\":\"2026-11-25T09:00:00+09:00\","
        "\"events\":[],\"volunteers\":[],\"groups\":["
        "{\"id\":\"a\",\"name\":{\"ja\":\"a\"}},{\"id\":\"b\",\"name\":{\"ja\":\"b\"}}]}";
    struct feed *f;

    feed_limits_default(&lim);
    lim.max_items = 1;
    f = feed_parse(doc, strlen(doc), &lim, err, sizeof err);
    CHECK(f && feed_extra_count(f, FEED_EXTRA_GROUP) == 1);
    CHECK(f && strcmp(drop_reason(f, "b"), "over the limit of 1 groups") == 0);
    feed_free(f);
}

static void merging_keeps_the_first_entry_of_an_id_and_names_its_source(void)
{
    char err[256];
    struct feed *a = parse_with(GROUPS, err, sizeof err);
    struct feed *b = parse_with("'groups':[{'id':'c1','name':{'ja':'別の会'}},"
                                "{'id':'c9','name':{'ja':'新しい会'},'categories':['kids']}],"
                                "'rooms':[{'id':'r1','facility':{'ja':'x'},'name':{'ja':'y'}}]",
                                err, sizeof err);
    struct feed_part parts[] = {{a, "feed"}, {b, "csv"}};
    struct feed *m = feed_merge(parts, 2);

    CHECK(a && b && m);
    if (m) {
        CHECK(feed_extra_count(m, FEED_EXTRA_GROUP) == 3);
        CHECK(strcmp(feed_group_at(m, 0)->name.ja, "玉川上水を守る会") == 0);
        CHECK(strcmp(feed_group_at(m, 2)->id, "c9") == 0);
        CHECK(strcmp(feed_group_at(m, 2)->categories[0], "kids") == 0);
        CHECK(feed_extra_count(m, FEED_EXTRA_ROOM) == 1);
        CHECK(strstr(drop_reason(m, "c1"), "duplicate id, also in feed"));
    }
    feed_free(m);
    feed_free(a);
    /* the merge owns its copy: the parts may go first */
    feed_free(b);
}

static void a_feed_written_back_reads_the_same(void)
{
    char err[256];
    char extra[8192];
    struct feed *f, *g;
    char *one, *two;

    snprintf(extra, sizeof extra, "%s,%s,%s,%s", GRANTS, DESKS, ROOMS, GROUPS);
    f = parse_with(extra, err, sizeof err);
    CHECK(f);
    if (!f) {
        return;
    }
    one = feed_write_json(f);
    g = one ? feed_parse(one, strlen(one), NULL, err, sizeof err) : NULL;
    two = g ? feed_write_json(g) : NULL;
    CHECK(one && two && strcmp(one, two) == 0);
    CHECK(g && feed_drop_count(g) == 0);
    for (int k = 0; g && k < FEED_EXTRA_COUNT; k++) {
        CHECK(feed_extra_count(g, (enum feed_extra_kind)k) ==
              feed_extra_count(f, (enum feed_extra_kind)k));
    }
    CHECK(one && strstr(one, "\"close\":\t\"26:00\""));
    free(one);
    free(two);
    feed_free(g);
    feed_free(f);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(a_feed_without_the_new_arrays_stays_valid);
    RUN(a_new_member_that_is_not_an_array_rejects_the_document);
    RUN(grants_keep_their_fields_and_drop_bad_entries_alone);
    RUN(desks_read_weekly_hours_exceptions_and_phone);
    RUN(rooms_sort_their_slots_and_refuse_overlaps);
    RUN(groups_keep_known_categories_and_the_recruiting_flag);
    RUN(the_per_kind_limit_drops_the_rest);
    RUN(merging_keeps_the_first_entry_of_an_id_and_names_its_source);
    RUN(a_feed_written_back_reads_the_same);
    TEST_MAIN_END();
}
