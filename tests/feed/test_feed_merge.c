/* test_feed_merge: several sources on one screen, and one feed written back for a fleet.
 *
 * feed_merge joins the feeds of several sources as the model shows them: every item once,
 * a later duplicate dropped with the source that has it, categories joined by id and by
 * Japanese label, the sources' own drops kept. feed_write_json writes a feed back; reading
 * what it wrote and writing again gives the same bytes (kiosk-feed build is deterministic),
 * and nothing is lost on the way. import_detect tells the three formats apart. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_write.h"
#include "feed/import.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

static struct feed *parse_q(const char *doc)
{
    char *j = strdup(doc);
    char err[256];
    struct feed *f;
    for (char *p = j; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    f = feed_parse(j, strlen(j), NULL, err, sizeof err);
    if (!f) {
        fprintf(stderr, "parse: %s\n", err);
    }
    free(j);
    return f;
}

static const char *A =
    "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','publisher':{'ja':'市'},"
    "'categories':[{'id':'learning','label':{'ja':'講座'}},{'id':'env','label':{'ja':'環境'}}],"
    "'events':[{'id':'a1','title':{'ja':'一'},'start':'2026-12-01T10:00:00+09:00',"
    "'categories':['learning']},"
    "{'id':'shared','title':{'ja':'共通'},'start':'2026-12-02'}],"
    "'volunteers':[{'id':'v1','title':{'ja':'募集'},'deadline':'2026-12-20'}],"
    "'announcements':[{'id':'n1','text':{'ja':'お知らせ'},'level':'normal',"
    "'starts_at':'2026-11-25T00:00:00+09:00','ends_at':'2026-12-25T00:00:00+09:00'}]}";

static const char *B =
    "{'version':1,'generated_at':'2026-11-26T09:00:00+09:00',"
    "'categories':[{'id':'講座','label':{'ja':'講座'}},{'id':'音楽','label':{'ja':'音楽'}}],"
    "'events':[{'id':'s1-b1','title':{'ja':'二'},'start':'2026-12-03',"
    "'categories':['講座','音楽']},"
    "{'id':'shared','title':{'ja':'重複'},'start':'2026-12-04'},"
    "{'id':'bad','title':{'ja':'x'},'start':'2026-12-05','end':'2026-12-01'}],"
    "'volunteers':[]}";

static void items_of_every_source_are_shown_once(void)
{
    struct feed *a = parse_q(A), *b = parse_q(B);
    struct feed_part parts[] = {{a, "feed"}, {b, "city-csv"}};
    struct feed *m = feed_merge(parts, 2);
    const struct feed_drop *d;

    CHECK(a && b && m);
    if (!m) {
        goto out;
    }
    CHECK(feed_count(m, FEED_KIND_EVENT) == 3);
    CHECK(feed_count(m, FEED_KIND_VOLUNTEER) == 1);
    CHECK(feed_announcement_count(m) == 1);
    CHECK(strcmp(feed_find(m, "shared")->title.ja, "共通") == 0);
    CHECK(feed_find(m, "s1-b1") && feed_find(m, "a1") && feed_find(m, "v1"));
    CHECK(feed_generated_at(m) == feed_generated_at(b));
    CHECK(strcmp(feed_publisher(m)->ja, "市") == 0);
    /* B's own drop first, then the duplicate, named with the source that holds the id */
    CHECK(feed_drop_count(m) == 2);
    d = feed_drop_at(m, 0);
    CHECK(d && strcmp(d->id, "bad") == 0 && strcmp(d->reason, "end before start") == 0);
    d = feed_drop_at(m, 1);
    CHECK(d && strcmp(d->id, "shared") == 0 && strstr(d->reason, "also in feed"));
out:
    feed_free(m);
    feed_free(a);
    feed_free(b);
}

static void a_category_with_the_same_label_is_the_feeds_own(void)
{
    struct feed *a = parse_q(A), *b = parse_q(B);
    struct feed_part parts[] = {{a, "feed"}, {b, "csv"}};
    struct feed *m = feed_merge(parts, 2);
    const struct feed_item *it = m ? feed_find(m, "s1-b1") : NULL;

    CHECK(it && it->n_categories == 2);
    if (it && it->n_categories == 2) {
        CHECK(strcmp(it->categories[0], "learning") == 0);
        CHECK(strcmp(it->categories[1], "音楽") == 0);
    }
    /* learning, env, then the new 音楽; 講座 was not added again */
    CHECK(m && feed_category_count(m) == 3);
    CHECK(m && feed_category_find(m, "音楽") && !feed_category_find(m, "講座"));
    feed_free(m);
    feed_free(a);
    feed_free(b);
}

static void the_merge_owns_its_copy(void)
{
    struct feed *a = parse_q(A), *b = parse_q(B);
    struct feed_part parts[] = {{a, "feed"}, {NULL, "empty"}, {b, "csv"}};
    struct feed *m = feed_merge(parts, 3);

    feed_free(a);
    feed_free(b);
    CHECK(m && strcmp(feed_find(m, "a1")->title.ja, "一") == 0);
    CHECK(m && strcmp(feed_find(m, "s1-b1")->categories[1], "音楽") == 0);
    feed_free(m);
}

static void a_written_feed_reads_back_the_same(void)
{
    const char *series =
        "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"
        "'audiences':[{'id':'all','label':{'ja':'どなたでも','en':'Everyone'}}],"
        "'events':[{'id':'e','title':{'ja':'教室','en':'Class','zh-Hans':'课堂','ko':'교실',"
        "'ja-easy':'{教室|きょうしつ}'},'place':{'ja':'3階'},"
        "'start':'2026-12-05','end':'2026-12-06','time_note':{'ja':'10時から'},"
        "'capacity':20,'signup_url':'https://example.jp/a?b=1','featured':true,"
        "'audience':['all'],'fee':{'ja':'無料'}},"
        "{'id':'t','title':{'ja':'時刻'},'start':'2026-12-05T10:00:00+09:00',"
        "'end':'2026-12-05T12:00:00+09:00','deadline':'2026-12-01'}],"
        "'volunteers':[{'id':'v','title':{'ja':'常時'}}],"
        "'announcements':[{'id':'x','text':{'ja':'至急'},'level':'emergency',"
        "'starts_at':'2026-11-25T00:00:00+09:00','until_cleared':true,'targets':['a/b']}]}";
    struct feed *f = parse_q(series);
    char *one = f ? feed_write_json(f) : NULL;
    char err[256];
    struct feed *g = one ? feed_parse(one, strlen(one), NULL, err, sizeof err) : NULL;
    char *two = g ? feed_write_json(g) : NULL;
    const struct feed_item *e = g ? feed_find(g, "e") : NULL;

    CHECK(one && two && strcmp(one, two) == 0);
    CHECK(g && feed_drop_count(g) == 0);
    CHECK(e && e->all_day && e->end == feed_find(f, "e")->end && e->capacity == 20);
    CHECK(e && e->featured && e->n_audiences == 1 &&
          strcmp(e->signup_url, "https://example.jp/a?b=1") == 0);
    CHECK(g && feed_find(g, "t")->deadline == feed_find(f, "t")->deadline);
    /* the translations travel with the title */
    CHECK(e && e->title.zh_hans && strcmp(e->title.zh_hans, "课堂") == 0 && e->title.ko &&
          strcmp(e->title.ko, "교실") == 0 && e->title.ja_easy &&
          strcmp(e->title.ja_easy, "{教室|きょうしつ}") == 0);
    CHECK(g && feed_announcement_at(g, 0)->until_cleared &&
          feed_announcement_at(g, 0)->n_targets == 1);
    free(one);
    free(two);
    feed_free(f);
    feed_free(g);
}

static void the_format_is_told_by_the_content(void)
{
    CHECK(import_detect("{\"version\":1}", 13) == IMPORT_FORMAT_JSON);
    CHECK(import_detect("\xEF\xBB\xBF  \r\n{", 8) == IMPORT_FORMAT_JSON);
    CHECK(import_detect("BEGIN:VCALENDAR\r\n", 17) == IMPORT_FORMAT_ICAL);
    CHECK(import_detect("\xEF\xBB\xBF"
                        "begin:vcalendar\n",
                        19) == IMPORT_FORMAT_ICAL);
    CHECK(import_detect("\xEF\xBB\xBF名称,開始日\n", strlen("\xEF\xBB\xBF名称,開始日\n")) ==
          IMPORT_FORMAT_CSV);
    CHECK(import_detect("\x89PNG\r\n\x1a\n\0\0", 10) == IMPORT_FORMAT_UNKNOWN);
    CHECK(import_detect("", 0) == IMPORT_FORMAT_UNKNOWN);
    CHECK(import_detect("<!DOCTYPE html><html>", 21) == IMPORT_FORMAT_UNKNOWN);
    CHECK(import_detect(" \n\t", 3) == IMPORT_FORMAT_UNKNOWN);
}

static void an_unknown_format_is_rejected_whole(void)
{
    char err[256] = "";
    struct feed *f = feed_import("\x89PNG\r\n\x1a\n\0\0", 10, NULL, NULL, NULL, err, sizeof err);
    CHECK(!f && strstr(err, "not a feed, CSV or iCalendar file"));
    f = feed_import("", 0, NULL, NULL, NULL, err, sizeof err);
    CHECK(!f && strstr(err, "(empty)"));
    {
        size_t n = IMPORT_ICAL_MAX_BYTES + 1;
        char *big = malloc(n);
        memset(big, ' ', n);
        memcpy(big, "BEGIN:VCALENDAR\r\n", 17);
        f = feed_import(big, n, NULL, NULL, NULL, err, sizeof err);
        CHECK(!f && strstr(err, "calendar too large"));
        free(big);
    }
    f = feed_import("\n<html><body>Please log in", 26, NULL, NULL, NULL, err, sizeof err);
    CHECK(!f && strstr(err, "(an HTML or XML page)"));
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    timeutil_set_zone("Asia/Tokyo");
    RUN(items_of_every_source_are_shown_once);
    RUN(a_category_with_the_same_label_is_the_feeds_own);
    RUN(the_merge_owns_its_copy);
    RUN(a_written_feed_reads_back_the_same);
    RUN(the_format_is_told_by_the_content);
    RUN(an_unknown_format_is_rejected_whole);
    TEST_MAIN_END();
}
