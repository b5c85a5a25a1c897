/* test_feed_parse: every validation rule of the feed, good and bad.
 *
 * Documents are written with single quotes for readability and turned into JSON by q().
 * Each bad-item case parses a document holding one good event and the bad one, and checks
 * that exactly the bad one was dropped, with the expected reason, and logged. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define HEAD                                                                                       \
    "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"                                     \
    "'publisher':{'ja':'武蔵野市 市民活動推進課'},"                                     \
    "'categories':[{'id':'environment','label':{'ja':'環境','en':'Environment'}},"               \
    "{'id':'welfare','label':{'ja':'福祉'}}],"                                                   \
    "'audiences':[{'id':'everyone','label':{'ja':'どなたでも','en':'Everyone'}}],"

#define GOOD_EVENT                                                                                 \
    "{'id':'ev-ok','title':{'ja':'玉川上水の清掃','en':'Cleanup'},"                         \
    "'start':'2026-12-01T10:00:00+09:00','end':'2026-12-01T12:00:00+09:00'}"

static char log_lines[8192];

static void sink(enum log_level level, const char *line, void *ctx)
{
    (void)ctx;
    size_t n = strlen(log_lines);
    if (level >= LOG_LEVEL_WARN) {
        snprintf(log_lines + n, sizeof log_lines - n, "%s\n", line);
    }
}

/* The JSON for a single-quoted document. */
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

static struct feed *parse_q(const char *doc, const struct feed_limits *lim, char *err,
                            size_t errlen)
{
    char *j = q(doc);
    struct feed *f = feed_parse(j, strlen(j), lim, err, errlen);
    free(j);
    return f;
}

static struct feed *parse_events(const char *events, const struct feed_limits *lim)
{
    char doc[16384];
    char err[256];
    snprintf(doc, sizeof doc, HEAD "'events':[%s],'volunteers':[]}", events);
    struct feed *f = parse_q(doc, lim, err, sizeof err);
    if (!f) {
        fprintf(stderr, "  unexpected rejection: %s\n", err);
    }
    return f;
}

/* Parses GOOD_EVENT plus `bad` and checks only `bad` (id `id`) went, for `reason`. */
static void check_dropped(const char *bad, const char *id, const char *reason,
                          const struct feed_limits *lim)
{
    char events[8192];
    struct feed *f;

    snprintf(events, sizeof events, GOOD_EVENT ",%s", bad);
    log_lines[0] = '\0';
    f = parse_events(events, lim);
    CHECK(f);
    if (!f) {
        return;
    }
    CHECK(feed_count(f, FEED_KIND_EVENT) == 1);
    CHECK(feed_find(f, "ev-ok"));
    CHECK(feed_drop_count(f) == 1);
    if (feed_drop_count(f) == 1) {
        const struct feed_drop *d = feed_drop_at(f, 0);
        CHECK(strcmp(d->kind, "event") == 0);
        CHECK(strcmp(d->id, id) == 0);
        CHECK(strstr(d->reason, reason));
        if (!strstr(d->reason, reason)) {
            fprintf(stderr, "  reason was: %s\n", d->reason);
        }
        CHECK(!strchr(d->reason, '\n'));
    }
    feed_free(f);
}

static void check_rejected(const char *data, size_t len, const struct feed_limits *lim,
                           const char *reason)
{
    char err[256] = "unchanged";
    struct feed *f = feed_parse(data, len, lim, err, sizeof err);
    CHECK(!f);
    CHECK(strstr(err, reason));
    if (!strstr(err, reason)) {
        fprintf(stderr, "  reason was: %s\n", err);
    }
    CHECK(!strchr(err, '\n'));
    feed_free(f);
}

static void check_rejected_q(const char *doc, const char *reason)
{
    char *j = q(doc);
    check_rejected(j, strlen(j), NULL, reason);
    free(j);
}

/* ---- whole documents ---- */

static void a_well_formed_feed_is_read_whole(void)
{
    const char *doc =
        HEAD "'events':[{'id':'ev-1201-01','title':{'ja':'玉川上水の清掃','en':'Cleanup'},"
             "'summary':{'ja':'みんなで'},'description':{'ja':'一行目\\n二行目'},"
             "'start':'2026-12-01T10:00:00+09:00','end':'2026-12-01T12:00:00+09:00',"
             "'place':{'ja':'武蔵野プレイス'},'address':{'ja':'境南町2-3-18'},"
             "'organizer':{'ja':'市民活動推進課'},'categories':['environment','nope'],"
             "'audience':['everyone'],'fee':{'ja':'無料'},'capacity':30,"
             "'deadline':'2026-11-28T17:00:00+09:00','signup_url':'https://example.jp/s?id=1',"
             "'contact':{'ja':'0422-00-0000'},'featured':true}],"
             "'volunteers':[{'id':'vo-1','title':{'ja':'子ども食堂'},'organization':{'ja':'NPO'},"
             "'schedule':{'ja':'毎週土曜 10:00〜12:00'},'wanted':{'ja':'調理補助 6名程度'}}],"
             "'announcements':[{'id':'an-1','text':{'ja':'本日休館'},'level':'important',"
             "'starts_at':'2026-11-25T09:00:00+09:00','ends_at':'2026-11-26T00:00:00+09:00'}]}";
    char err[256];
    struct feed *f = parse_q(doc, NULL, err, sizeof err);
    const struct feed_item *e, *v;

    CHECK(f);
    if (!f) {
        return;
    }
    CHECK(err[0] == '\0');
    CHECK(feed_drop_count(f) == 0);
    CHECK(feed_count(f, FEED_KIND_EVENT) == 1);
    CHECK(feed_count(f, FEED_KIND_VOLUNTEER) == 1);
    CHECK(feed_announcement_count(f) == 1);
    CHECK(feed_category_count(f) == 2);
    CHECK(feed_audience_count(f) == 1);
    CHECK(strcmp(feed_publisher(f)->ja, "武蔵野市 市民活動推進課") == 0);
    CHECK(feed_generated_at(f) == 1795564800); /* 2026-11-25T00:00:00Z */
    e = feed_find(f, "ev-1201-01");
    CHECK(e && e->kind == FEED_KIND_EVENT);
    if (e) {
        CHECK(strcmp(e->title.en, "Cleanup") == 0);
        CHECK(strcmp(e->description.ja, "一行目\n二行目") == 0);
        CHECK(e->has_start && e->has_end && !e->all_day);
        CHECK(e->start == 1796086800); /* 2026-12-01T01:00:00Z */
        CHECK(e->end == e->start + 7200);
        CHECK(e->has_deadline);
        CHECK(e->capacity == 30);
        CHECK(e->featured);
        CHECK(strcmp(e->signup_url, "https://example.jp/s?id=1") == 0);
        CHECK(e->n_categories == 1 && strcmp(e->categories[0], "environment") == 0);
        CHECK(e->n_audiences == 1 && strcmp(e->audiences[0], "everyone") == 0);
        CHECK(strcmp(e->organizer.ja, "市民活動推進課") == 0);
    }
    v = feed_find(f, "vo-1");
    CHECK(v && v->kind == FEED_KIND_VOLUNTEER);
    if (v) {
        CHECK(!v->has_start && !v->has_end && v->capacity == -1 && !v->signup_url);
        CHECK(strcmp(v->organizer.ja, "NPO") == 0);
        CHECK(strcmp(v->wanted.ja, "調理補助 6名程度") == 0);
        CHECK(!v->summary.ja);
    }
    CHECK(feed_announcement_at(f, 0)->level == ANN_LEVEL_IMPORTANT);
    CHECK(feed_category_find(f, "welfare"));
    CHECK(!feed_category_find(f, "nope"));
    feed_free(f);
}

static void a_document_that_is_not_json_is_rejected_whole(void)
{
    check_rejected("<html>502 Bad Gateway</html>", 28, NULL, "invalid JSON");
    check_rejected("", 0, NULL, "empty");
    check_rejected(NULL, 0, NULL, "empty");
}

static void trailing_garbage_after_the_document_is_rejected(void)
{
    char *j = q(HEAD "'events':[],'volunteers':[]} x");
    check_rejected(j, strlen(j), NULL, "trailing data");
    free(j);
    j = q(HEAD "'events':[],'volunteers':[]}{}");
    check_rejected(j, strlen(j), NULL, "trailing data");
    free(j);
}

static void trailing_whitespace_is_allowed(void)
{
    char *j = q(HEAD "'events':[],'volunteers':[]} \n\t\r\n");
    struct feed *f = feed_parse(j, strlen(j), NULL, NULL, 0);
    CHECK(f);
    feed_free(f);
    free(j);
}

static void a_nul_byte_after_the_document_is_rejected(void)
{
    char *j = q(HEAD "'events':[],'volunteers':[]}");
    size_t n = strlen(j);
    char *withnul = malloc(n + 3);
    memcpy(withnul, j, n);
    memcpy(withnul + n, "\0{}", 3);
    check_rejected(withnul, n + 3, NULL, "invalid JSON");
    /* and data without a terminating NUL at all parses: the length is what counts */
    struct feed *f = feed_parse(withnul, n, NULL, NULL, 0);
    CHECK(f);
    feed_free(f);
    free(withnul);
    free(j);
}

static void another_version_is_rejected(void)
{
    check_rejected_q("{'version':2,'events':[],'volunteers':[]}", "unsupported version");
    check_rejected_q("{'version':'1','events':[],'volunteers':[]}", "unsupported version");
    check_rejected_q("{'events':[],'volunteers':[]}", "missing version");
    check_rejected_q("{'version':1.5,'events':[],'volunteers':[]}", "unsupported version");
}

static void a_missing_events_or_volunteers_array_is_rejected(void)
{
    check_rejected_q("{'version':1,'volunteers':[]}", "missing events array");
    check_rejected_q("{'version':1,'events':[]}", "missing volunteers array");
    check_rejected_q("{'version':1,'events':{},'volunteers':[]}", "field 'events': not an array");
    check_rejected_q("{'version':1,'events':[],'volunteers':[],'announcements':3}",
                     "field 'announcements': not an array");
    check_rejected_q("[1,2,3]", "not a JSON object");
}

static void a_document_over_the_size_limit_is_rejected(void)
{
    struct feed_limits lim;
    char *j = q(HEAD "'events':[" GOOD_EVENT "],'volunteers':[]}");
    struct feed *f;

    feed_limits_default(&lim);
    CHECK(lim.max_bytes == 8u * 1024u * 1024u);
    lim.max_bytes = strlen(j) - 1;
    check_rejected(j, strlen(j), &lim, "too large");
    lim.max_bytes = strlen(j);
    f = feed_parse(j, strlen(j), &lim, NULL, 0);
    CHECK(f);
    feed_free(f);
    free(j);
}

static void a_json_bomb_is_rejected_without_recursion(void)
{
    size_t n = 100000;
    char *bomb = malloc(2 * n);
    for (size_t i = 0; i < n; i++) {
        bomb[i] = '[';
        bomb[n + i] = ']';
    }
    check_rejected(bomb, 2 * n, NULL, "nested too deeply");
    for (size_t i = 0; i < n; i++) {
        bomb[i] = i % 2 ? '{' : '[';
    }
    check_rejected(bomb, n, NULL, "invalid JSON");
    free(bomb);
}

static void lenient_json_that_cjson_would_accept_is_rejected(void)
{
    check_rejected_q("{'version':01,'events':[],'volunteers':[]}", "leading zero");
    check_rejected_q("{'version':1.,'events':[],'volunteers':[]}", "invalid number");
    check_rejected_q("{'version':1,'events':[],'volunteers':[],'x':'a\tb'}",
                     "control character in string");
    check_rejected_q("{'version':1,\f'events':[],'volunteers':[]}", "invalid JSON");
    check_rejected_q("{'version':1,'events':[],'volunteers':[],}", "member name");
    check_rejected_q("{'version':1,'events':[],'volunteers':[],'x':'\\ud800'}", "surrogate");
}

static void a_byte_order_mark_is_tolerated(void)
{
    char *j = q("\xEF\xBB\xBF" HEAD "'events':[],'volunteers':[]}");
    struct feed *f = feed_parse(j, strlen(j), NULL, NULL, 0);
    CHECK(f);
    feed_free(f);
    free(j);
}

/* ---- items ---- */

static void translations_are_read_and_a_bad_one_drops_the_item(void)
{
    struct feed *f = parse_events(
        "{'id':'t','start':'2026-12-01','title':{'ja':'教室','zh-Hans':'课堂','ko':'교실',"
        "'ja-easy':'{教室|きょうしつ}','fr':'classe'},'place':{'ja':'3階','ko':'  '}}",
        NULL);
    const struct feed_item *it = f ? feed_find(f, "t") : NULL;

    CHECK(it && strcmp(it->title.zh_hans, "课堂") == 0 && strcmp(it->title.ko, "교실") == 0);
    CHECK(it && strcmp(it->title.ja_easy, "{教室|きょうしつ}") == 0 && !it->title.en);
    CHECK(it && it->place.ja && !it->place.ko); /* blank: absent, Japanese is shown */
    feed_free(f);
    check_dropped("{'id':'b','start':'2026-12-01','title':{'ja':'x','ko':3}}", "b",
                  "'ko' is not a string", NULL);
}

static void a_dropped_item_is_logged_with_kind_id_and_reason(void)
{
    struct feed *f;

    log_lines[0] = '\0';
    f = parse_events(GOOD_EVENT ",{'id':'ev-9','start':'2026-12-01'}", NULL);
    CHECK(f && feed_drop_count(f) == 1);
    CHECK(strstr(log_lines, "dropped event ev-9: field 'title': required\n"));
    feed_free(f);
}

static void an_item_without_a_title_is_dropped(void)
{
    check_dropped("{'id':'ev-2','start':'2026-12-01T10:00:00+09:00'}", "ev-2",
                  "field 'title': required", NULL);
    check_dropped("{'id':'ev-2','title':{'en':'x'},'start':'2026-12-01T10:00:00+09:00'}", "ev-2",
                  "'ja' required", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':''},'start':'2026-12-01T10:00:00+09:00'}", "ev-2",
                  "'ja' is empty", NULL);
}

static void an_item_without_an_id_is_dropped_as_question_mark(void)
{
    check_dropped("{'title':{'ja':'x'},'start':'2026-12-01T10:00:00+09:00'}", "?",
                  "field 'id': required", NULL);
    check_dropped("{'id':42,'title':{'ja':'x'},'start':'2026-12-01T10:00:00+09:00'}", "?",
                  "field 'id': not a string", NULL);
    check_dropped("{'id':'has space','title':{'ja':'x'},'start':'2026-12-01T10:00:00+09:00'}", "?",
                  "printable", NULL);
    check_dropped("{'id':'','title':{'ja':'x'},'start':'2026-12-01T10:00:00+09:00'}", "?",
                  "printable", NULL);
    check_dropped("[1]", "?", "not an object", NULL);
}

static void an_overlong_id_is_dropped(void)
{
    char bad[512];
    char id[140];
    memset(id, 'a', 129);
    id[129] = '\0';
    snprintf(bad, sizeof bad, "{'id':'%s','title':{'ja':'x'},'start':'2026-12-01'}", id);
    check_dropped(bad, "?", "printable", NULL);
}

static void an_event_without_a_start_is_dropped(void)
{
    check_dropped("{'id':'ev-2','title':{'ja':'x'}}", "ev-2", "field 'start': required", NULL);
}

static void a_bad_date_drops_the_item(void)
{
    const char *bad[] = {
        "2026-02-30T10:00:00+09:00",
        "2026-12-01T24:00:00+09:00",
        "2026-12-01T10:00:00",
        "2026/12/01",
        "2026-12-01 10:00:00+09:00",
        "tomorrow",
        "2026-13-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char ev[256];
        snprintf(ev, sizeof ev, "{'id':'ev-2','title':{'ja':'x'},'start':'%s'}", bad[i]);
        check_dropped(ev, "ev-2", "field 'start': not a date", NULL);
    }
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':20261201}", "ev-2",
                  "field 'start': not a date", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','deadline':'soon'}", "ev-2",
                  "field 'deadline'", NULL);
}

static void an_end_before_its_start_drops_the_item(void)
{
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01T10:00:00+09:00',"
                  "'end':'2026-12-01T09:59:59+09:00'}",
                  "ev-2", "end before start", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-02',"
                  "'end':'2026-12-01'}",
                  "ev-2", "end before start", NULL);
}

static void an_end_equal_to_start_is_kept(void)
{
    struct feed *f = parse_events("{'id':'ev-1','title':{'ja':'x'},"
                                  "'start':'2026-12-01T10:00:00+09:00',"
                                  "'end':'2026-12-01T01:00:00Z'}",
                                  NULL);
    CHECK(f && feed_count(f, FEED_KIND_EVENT) == 1);
    feed_free(f);
}

static void all_day_events_cover_their_whole_days(void)
{
    struct feed *f;
    const struct feed_item *a, *b;

    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    f = parse_events("{'id':'a','title':{'ja':'x'},'start':'2026-12-01'},"
                     "{'id':'b','title':{'ja':'y'},'start':'2026-12-01','end':'2026-12-03'}",
                     NULL);
    CHECK(f);
    if (!f) {
        return;
    }
    a = feed_find(f, "a");
    b = feed_find(f, "b");
    CHECK(a && a->all_day && !a->has_end);
    CHECK(a && a->start == 1796050800);       /* 2026-12-01T00:00+09:00 */
    CHECK(a && a->end == 1796050800 + 86400); /* the end of that day */
    CHECK(b && b->all_day && b->has_end);
    CHECK(b && b->end == 1796050800 + 3 * 86400);
    feed_free(f);
}

static void a_duplicate_id_drops_the_later_item(void)
{
    check_dropped("{'id':'ev-ok','title':{'ja':'second'},'start':'2026-12-02'}", "ev-ok",
                  "duplicate id", NULL);
}

static void a_duplicate_id_across_kinds_is_dropped_too(void)
{
    char err[256];
    struct feed *f = parse_q(HEAD "'events':[" GOOD_EVENT "],"
                                  "'volunteers':[{'id':'ev-ok','title':{'ja':'v'}}]}",
                             NULL, err, sizeof err);
    CHECK(f && feed_count(f, FEED_KIND_VOLUNTEER) == 0 && feed_drop_count(f) == 1);
    CHECK(f && strcmp(feed_drop_at(f, 0)->kind, "volunteer") == 0);
    CHECK(f && feed_find(f, "ev-ok")->kind == FEED_KIND_EVENT);
    feed_free(f);
}

static void invalid_utf8_in_a_string_drops_the_item(void)
{
    check_dropped("{'id':'ev-2','title':{'ja':'ab\xff'},'start':'2026-12-01'}", "ev-2",
                  "field 'title': invalid UTF-8", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
                  "'place':{'ja':'\xc0\xaf'}}",
                  "ev-2", "invalid UTF-8", NULL);
    /* a surrogate encoded in UTF-8 */
    check_dropped("{'id':'ev-2','title':{'ja':'\xed\xa0\x80'},'start':'2026-12-01'}", "ev-2",
                  "invalid UTF-8", NULL);
    /* even in a member the kiosk does not read */
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','x':['\xfe']}", "ev-2",
                  "invalid UTF-8", NULL);
    /* an invalid id cannot be quoted */
    check_dropped("{'id':'ev-\xff','title':{'ja':'x'},'start':'2026-12-01'}", "?", "invalid UTF-8",
                  NULL);
}

static void an_escaped_nul_in_a_string_drops_the_item(void)
{
    check_dropped("{'id':'ev-2','title':{'ja':'ab\\u0000cd'},'start':'2026-12-01'}", "ev-2",
                  "field 'title': contains \\u0000", NULL);
    check_dropped("{'id':'ev-2\\u0000','title':{'ja':'x'},'start':'2026-12-01'}", "?", "\\u0000",
                  NULL);
    /* an escaped backslash followed by u0000 is just text */
    struct feed *f = parse_events("{'id':'ev-2','title':{'ja':'C:\\\\u0000'},"
                                  "'start':'2026-12-01'}",
                                  NULL);
    CHECK(f && feed_count(f, FEED_KIND_EVENT) == 1);
    CHECK(f && strcmp(feed_find(f, "ev-2")->title.ja, "C:\\u0000") == 0);
    feed_free(f);
}

static void an_http_signup_url_is_dropped_unless_allowed(void)
{
    struct feed_limits lim;
    const char *ev = "{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
                     "'signup_url':'http://example.jp/form'}";
    char events[1024];
    struct feed *f;

    check_dropped(ev, "ev-2", "field 'signup_url': not https", NULL);
    feed_limits_default(&lim);
    lim.allow_http = true;
    snprintf(events, sizeof events, GOOD_EVENT ",%s", ev);
    f = parse_events(events, &lim);
    CHECK(f && feed_count(f, FEED_KIND_EVENT) == 2 && feed_drop_count(f) == 0);
    CHECK(f && strcmp(feed_find(f, "ev-2")->signup_url, "http://example.jp/form") == 0);
    feed_free(f);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
                  "'signup_url':'javascript:alert(1)'}",
                  "ev-2", "not an https URL", &lim);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
                  "'signup_url':'https://'}",
                  "ev-2", "no host", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
                  "'signup_url':'https://ex ample.jp'}",
                  "ev-2", "spaces", NULL);
}

/* An event ev-2 with this signup_url (single-quoted JSON). */
static void check_url_dropped(const char *url, const char *reason)
{
    char ev[4096];
    snprintf(ev, sizeof ev,
             "{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
             "'signup_url':'%s'}",
             url);
    check_dropped(ev, "ev-2", reason, NULL);
}

static void a_signup_url_whose_caption_could_lie_drops_the_item(void)
{
    /* a phone opens evil.example; curl would have named the city's host */
    check_url_dropped("https://evil.example\\\\@www.city.musashino.lg.jp/form",
                      "field 'signup_url': a backslash before the path");
    /* the log says which item went and why (later lines may be rate-limited) */
    CHECK(strstr(log_lines, "dropped event ev-2: field 'signup_url': a backslash before the "
                            "path\n"));
    check_url_dropped("https://www.city.musashino.lg.jp@evil.example/form",
                      "field 'signup_url': user name or password before the host");
    check_url_dropped("https://:443/x", "field 'signup_url': no host");
    check_url_dropped("https://@/x", "field 'signup_url': user name or password");
    check_url_dropped("https://a_b.example/x", "field 'signup_url': host has characters");
    check_url_dropped("https://a..b/x", "field 'signup_url': host is not a name or an IP");
    check_url_dropped("https://example.jp:70000/x", "field 'signup_url': bad port number");
}

static void a_signup_url_gives_the_host_its_caption_names(void)
{
    struct feed *f = parse_events("{'id':'ev-1','title':{'ja':'x'},'start':'2026-12-01',"
                                  "'signup_url':'https://Www.Example.JP:8443/s?id=1'},"
                                  "{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
                                  "'signup_url':'https://例え.jp/form?id=2'},"
                                  "{'id':'ev-3','title':{'ja':'x'},'start':'2026-12-01',"
                                  "'signup_url':'https://[2001:db8::1]/form'},"
                                  "{'id':'ev-4','title':{'ja':'x'},'start':'2026-12-01'}",
                                  NULL);
    CHECK(f && feed_count(f, FEED_KIND_EVENT) == 4 && feed_drop_count(f) == 0);
    if (!f) {
        return;
    }
    const struct feed_item *a = feed_find(f, "ev-1"), *b = feed_find(f, "ev-2");
    const struct feed_item *c = feed_find(f, "ev-3"), *d = feed_find(f, "ev-4");
    CHECK(strcmp(a->signup_url, "https://Www.Example.JP:8443/s?id=1") == 0);
    CHECK(strcmp(a->signup_host, "www.example.jp") == 0);
    /* the code holds the punycode the caption shows beside the Unicode name */
    CHECK(strcmp(b->signup_url, "https://xn--r8jz45g.jp/form?id=2") == 0);
    CHECK(strcmp(b->signup_host, "例え.jp (xn--r8jz45g.jp)") == 0);
    CHECK(strcmp(c->signup_host, "[2001:db8::1]") == 0);
    CHECK(!d->signup_url && !d->signup_host);
    feed_free(f);
}

static void a_text_field_of_the_wrong_type_drops_its_item(void)
{
    check_dropped("{'id':'ev-2','title':'plain','start':'2026-12-01'}", "ev-2",
                  "field 'title': not a text object", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','summary':['a']}", "ev-2",
                  "field 'summary': not a text object", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','place':{'ja':3}}", "ev-2",
                  "field 'place': 'ja' is not a string", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x','en':false},'start':'2026-12-01'}", "ev-2",
                  "field 'title': 'en' is not a string", NULL);
}

static void other_wrongly_typed_fields_drop_their_item(void)
{
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','capacity':'30'}", "ev-2",
                  "field 'capacity'", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','capacity':2.5}", "ev-2",
                  "field 'capacity'", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','capacity':-1}", "ev-2",
                  "field 'capacity'", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','capacity':1e400}", "ev-2",
                  "field 'capacity'", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','featured':'yes'}", "ev-2",
                  "field 'featured'", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','categories':'env'}",
                  "ev-2", "field 'categories'", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01','audience':[1]}", "ev-2",
                  "field 'audience'", NULL);
}

static void null_optional_fields_count_as_absent(void)
{
    struct feed *f = parse_events(
        "{'id':'ev-2','title':{'ja':'x','en':null},'start':'2026-12-01','end':null,"
        "'summary':null,'capacity':null,'signup_url':null,'featured':null,'categories':null,"
        "'place':{'ja':''}}",
        NULL);
    const struct feed_item *it = f ? feed_find(f, "ev-2") : NULL;
    CHECK(it);
    CHECK(it && !it->title.en && !it->summary.ja && it->capacity == -1 && !it->signup_url);
    CHECK(it && !it->place.ja && !it->has_end);
    feed_free(f);
}

static void unknown_category_ids_are_ignored_not_fatal(void)
{
    struct feed *f = parse_events("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-01',"
                                  "'categories':['unknown','welfare','welfare'],"
                                  "'audience':['children']}",
                                  NULL);
    const struct feed_item *it = f ? feed_find(f, "ev-2") : NULL;
    CHECK(it);
    CHECK(it && it->n_categories == 1 && strcmp(it->categories[0], "welfare") == 0);
    CHECK(it && it->n_audiences == 0);
    CHECK(f && feed_drop_count(f) == 0);
    feed_free(f);
}

static void a_bad_category_entry_is_ignored(void)
{
    char err[256];
    struct feed *f = parse_q("{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"
                             "'categories':[{'id':'a','label':{'ja':'A'}},{'id':'b'},3,"
                             "{'id':'a','label':{'ja':'again'}}],"
                             "'events':[],'volunteers':[]}",
                             NULL, err, sizeof err);
    CHECK(f && feed_category_count(f) == 1);
    CHECK(f && strcmp(feed_category_at(f, 0)->label.ja, "A") == 0);
    feed_free(f);
}

static void items_beyond_the_cap_are_dropped(void)
{
    struct feed_limits lim;
    struct feed *f;
    char events[4096] = "";
    size_t n = 0;

    for (int i = 0; i < 7; i++) {
        n += (size_t)snprintf(events + n, sizeof events - n,
                              "%s{'id':'ev-%d','title':{'ja':'x'},'start':'2026-12-01'}",
                              i ? "," : "", i);
    }
    feed_limits_default(&lim);
    CHECK(lim.max_items == 5000);
    lim.max_items = 5;
    f = parse_events(events, &lim);
    CHECK(f && feed_count(f, FEED_KIND_EVENT) == 5);
    CHECK(f && feed_drop_count(f) == 2);
    CHECK(f && strcmp(feed_drop_at(f, 0)->id, "ev-5") == 0);
    CHECK(f && strstr(feed_drop_at(f, 0)->reason, "over the limit"));
    CHECK(f && !feed_find(f, "ev-6"));
    feed_free(f);
}

static void long_strings_are_capped_at_a_character_boundary(void)
{
    struct feed_limits lim;
    struct feed *f;
    const struct feed_item *it;

    feed_limits_default(&lim);
    CHECK(lim.max_string == 4096);
    lim.max_string = 10; /* 3 characters of 3 bytes fit in 10, the fourth does not */
    f = parse_events("{'id':'ev-2','title':{'ja':'あいうえお'},'start':'2026-12-01'}", &lim);
    it = f ? feed_find(f, "ev-2") : NULL;
    CHECK(it && strcmp(it->title.ja, "あいう") == 0);
    feed_free(f);
}

static void control_characters_are_stripped(void)
{
    struct feed *f =
        parse_events("{'id':'ev-2','title':{'ja':'a\\u0007b\\nc\\td\\u202ee\\u0085f'},"
                     "'description':{'ja':'1\\r\\n2\\u001b[31m'},'start':'2026-12-01'}",
                     NULL);
    const struct feed_item *it = f ? feed_find(f, "ev-2") : NULL;
    CHECK(it);
    CHECK(it && strcmp(it->title.ja, "ab c def") == 0);
    CHECK(it && strcmp(it->description.ja, "1\n2[31m") == 0);
    feed_free(f);
}

static void volunteers_may_have_an_optional_period(void)
{
    char err[256];
    struct feed *f =
        parse_q(HEAD "'events':[],'volunteers':[{'id':'v1','title':{'ja':'a'}},"
                     "{'id':'v2','title':{'ja':'b'},'start':'2026-12-01','end':'2027-03-31'},"
                     "{'id':'v3','title':{'ja':'c'},'start':'2026-12-05','end':'2026-12-04'},"
                     "{'id':'v4','title':{'ja':'d'},'deadline':'2026-12-10'}]}",
                NULL, err, sizeof err);
    CHECK(f && feed_count(f, FEED_KIND_VOLUNTEER) == 3);
    CHECK(f && feed_drop_count(f) == 1 && strcmp(feed_drop_at(f, 0)->id, "v3") == 0);
    CHECK(f && feed_find(f, "v4")->has_deadline && !feed_find(f, "v4")->has_start);
    feed_free(f);
}

static void announcements_are_validated_one_by_one(void)
{
    char err[256];
    struct feed *f = parse_q(
        HEAD "'events':[],'volunteers':[],'announcements':["
             "{'id':'a1','text':{'ja':'ok'},'starts_at':'2026-11-25T09:00:00+09:00',"
             "'ends_at':'2026-11-25T18:00:00+09:00'},"
             "{'id':'a2','text':{'ja':'no end'},'starts_at':'2026-11-25T09:00:00+09:00'},"
             "{'id':'a3','text':{'ja':'forever'},'level':'emergency','until_cleared':true,"
             "'starts_at':'2026-11-25T09:00:00+09:00','targets':['musashino-place/']},"
             "{'id':'a4','text':{'ja':'x'},'level':'important','until_cleared':true,"
             "'starts_at':'2026-11-25T09:00:00+09:00'},"
             "{'id':'a5','text':{'ja':'x'},'level':'loud','starts_at':'2026-11-25T09:00:00+09:00',"
             "'ends_at':'2026-11-25T18:00:00+09:00'},"
             "{'id':'a1','text':{'ja':'dup'},'starts_at':'2026-11-25T09:00:00+09:00',"
             "'ends_at':'2026-11-25T18:00:00+09:00'},"
             "{'id':'a6','text':{'ja':'x'},'starts_at':'2026-11-25T09:00:00+09:00',"
             "'ends_at':'2026-11-25T09:00:00+09:00'}]}",
        NULL, err, sizeof err);
    CHECK(f);
    if (!f) {
        return;
    }
    CHECK(feed_announcement_count(f) == 2);
    CHECK(feed_drop_count(f) == 5);
    for (size_t i = 0; i < feed_drop_count(f); i++) {
        CHECK(strcmp(feed_drop_at(f, i)->kind, "announcement") == 0);
    }
    CHECK(strstr(feed_drop_at(f, 0)->reason, "field 'ends_at': required"));
    CHECK(strstr(feed_drop_at(f, 1)->reason, "until_cleared"));
    CHECK(strstr(feed_drop_at(f, 2)->reason, "field 'level'"));
    CHECK(strstr(feed_drop_at(f, 3)->reason, "duplicate id"));
    CHECK(strstr(feed_drop_at(f, 4)->reason, "after starts_at"));
    const struct feed_announcement *a3 = feed_announcement_at(f, 1);
    CHECK(a3->until_cleared && a3->level == ANN_LEVEL_EMERGENCY && a3->n_targets == 1);
    CHECK(a3->source == ANN_SOURCE_FEED);
    feed_free(f);
}

static void an_announcements_document_is_read_alone(void)
{
    char *j = q("{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','announcements':["
                "{'id':'a1','text':{'ja':'ok'},'starts_at':'2026-11-25T09:00:00+09:00',"
                "'ends_at':'2026-11-25T18:00:00+09:00'}]}");
    char err[256];
    struct feed *f = feed_parse_announcements(j, strlen(j), NULL, err, sizeof err);
    CHECK(f && feed_announcement_count(f) == 1 && feed_count(f, FEED_KIND_EVENT) == 0);
    feed_free(f);
    free(j);
    j = q("{'version':1,'generated_at':'2026-11-25T09:00:00+09:00'}");
    f = feed_parse_announcements(j, strlen(j), NULL, err, sizeof err);
    CHECK(!f && strstr(err, "missing announcements array"));
    free(j);
}

/* The targets array lives in the feed's arena between strings of any length: it must
 * still be aligned for pointers (UBSan caught a misaligned store here). */
static void announcement_targets_are_kept_aligned_in_the_arena(void)
{
    char *j = q("{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','announcements':["
                "{'id':'a1','text':{'ja':'x'},'targets':['abc/'],"
                "'starts_at':'2026-11-25T09:00:00+09:00','ends_at':'2026-11-25T18:00:00+09:00'},"
                "{'id':'a22','text':{'ja':'yy'},'targets':['musashino-place/','kichijoji/'],"
                "'starts_at':'2026-11-25T09:00:00+09:00','ends_at':'2026-11-25T18:00:00+09:00'}]}");
    char err[256];
    struct feed *f = feed_parse_announcements(j, strlen(j), NULL, err, sizeof err);
    CHECK(f && feed_announcement_count(f) == 2);
    for (size_t i = 0; f && i < feed_announcement_count(f); i++) {
        const struct feed_announcement *a = feed_announcement_at(f, i);
        CHECK(((uintptr_t)a->targets % _Alignof(const char *)) == 0);
    }
    const struct feed_announcement *b = f ? feed_announcement_at(f, 1) : NULL;
    CHECK(b && b->n_targets == 2 && strcmp(b->targets[1], "kichijoji/") == 0);
    feed_free(f);
    free(j);
}

static void a_missing_generated_at_is_logged_not_fatal(void)
{
    char err[256];
    struct feed *f;

    log_lines[0] = '\0';
    f = parse_q("{'version':1,'events':[],'volunteers':[]}", NULL, err, sizeof err);
    CHECK(f && feed_generated_at(f) == 0);
    CHECK(strstr(log_lines, "generated_at"));
    feed_free(f);
}

static void the_document_order_is_kept(void)
{
    struct feed *f = parse_events("{'id':'b','title':{'ja':'x'},'start':'2026-12-02'},"
                                  "{'id':'a','title':{'ja':'y'},'start':'2026-12-01'}",
                                  NULL);
    CHECK(f && strcmp(feed_item_at(f, FEED_KIND_EVENT, 0)->id, "b") == 0);
    CHECK(f && !feed_item_at(f, FEED_KIND_EVENT, 2));
    CHECK(feed_count(NULL, FEED_KIND_EVENT) == 0 && !feed_find(NULL, "a"));
    feed_free(f);
}

/* ---- a series: "dates" and "time_note" ---- */

#define SAT(d, h)                                                                                  \
    "{'start':'2026-12-" d "T" h ":00:00+09:00','end':'2026-12-" d "T" h ":30:00+09:00'}"

static int64_t at(const char *iso)
{
    int64_t t = 0;
    CHECK(timeutil_parse_iso8601(iso, &t, NULL) == 0);
    return t;
}

static void a_series_is_sorted_by_start_and_spans_its_dates(void)
{
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    struct feed *f =
        parse_events("{'id':'s','title':{'ja':'土曜の絵本の会'},'dates':[" SAT("19", "10") "," SAT(
                         "05", "10") "," SAT("12", "13") "," SAT("26", "10") "]}",
                     NULL);
    const struct feed_item *it = f ? feed_find(f, "s") : NULL;
    CHECK(it && it->n_dates == 4 && it->dates);
    if (!it || it->n_dates != 4) {
        feed_free(f);
        return;
    }
    CHECK(it->dates[0].start == at("2026-12-05T10:00:00+09:00"));
    CHECK(it->dates[1].start == at("2026-12-12T13:00:00+09:00"));
    CHECK(it->dates[2].start == at("2026-12-19T10:00:00+09:00"));
    CHECK(it->dates[3].start == at("2026-12-26T10:00:00+09:00"));
    CHECK(it->dates[3].end == at("2026-12-26T10:30:00+09:00"));
    /* the item itself: the first start, the last end */
    CHECK(it->has_start && it->has_end && !it->all_day);
    CHECK(it->start == at("2026-12-05T10:00:00+09:00"));
    CHECK(it->end == at("2026-12-26T10:30:00+09:00"));
    feed_free(f);
}

static void dates_are_read_like_the_items_own_start_and_end(void)
{
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    struct feed *f =
        parse_events("{'id':'s','title':{'ja':'x'},'dates':[{'start':'2026-12-01'},"
                     "{'start':'2026-12-08','end':'2026-12-09'},"
                     "{'start':'2026-12-15T18:00:00+09:00','changed':true},"
                     "{'start':'2026-12-22T18:00:00+09:00','end':'2026-12-22T20:00:00+09:00',"
                     "'changed':false}]}",
                     NULL);
    const struct feed_item *it = f ? feed_find(f, "s") : NULL;
    CHECK(it && it->n_dates == 4);
    if (it && it->n_dates == 4) {
        const struct feed_date *d = it->dates;
        /* a date end is inclusive: stored as the next midnight */
        CHECK(d[0].all_day && d[0].end == at("2026-12-02T00:00:00+09:00"));
        CHECK(d[1].all_day && d[1].end == at("2026-12-10T00:00:00+09:00"));
        /* no end: the end of the start day, as for an event */
        CHECK(!d[2].all_day && d[2].changed && d[2].end == at("2026-12-16T00:00:00+09:00"));
        CHECK(!d[3].changed && d[3].end == at("2026-12-22T20:00:00+09:00"));
        CHECK(it->all_day && it->start == d[0].start && it->end == d[3].end);
    }
    feed_free(f);
}

static void duplicate_dates_are_one_date_changed_if_either_says_so(void)
{
    struct feed *f = parse_events("{'id':'s','title':{'ja':'x'},'dates':[" SAT("05", "10") "," SAT(
                                      "12", "10") ",{'start':'2026-12-05T10:00:00+09:00',"
                                                  "'end':'2026-12-05T10:30:00+09:00',"
                                                  "'changed':true}," SAT("12", "10") "]}",
                                  NULL);
    const struct feed_item *it = f ? feed_find(f, "s") : NULL;
    CHECK(it && it->n_dates == 2);
    CHECK(it && it->n_dates == 2 && it->dates[0].changed && !it->dates[1].changed);
    feed_free(f);
}

static void a_series_of_one_date_is_a_plain_item(void)
{
    CHECK(timeutil_set_zone("Asia/Tokyo") == 0);
    struct feed *f = parse_events(
        "{'id':'one','title':{'ja':'x'},'dates':[" SAT("05", "10") "," SAT(
            "05", "10") "]},"
                        "{'id':'none','title':{'ja':'y'},'start':'2026-12-01','dates':[]}",
        NULL);
    const struct feed_item *one = f ? feed_find(f, "one") : NULL;
    const struct feed_item *none = f ? feed_find(f, "none") : NULL;
    CHECK(one && one->n_dates == 0 && !one->dates);
    CHECK(one && one->has_start && one->start == at("2026-12-05T10:00:00+09:00"));
    CHECK(one && one->has_end && one->end == at("2026-12-05T10:30:00+09:00"));
    /* an empty array is no series: the item's own start stands */
    CHECK(none && none->n_dates == 0 && none->all_day);
    feed_free(f);
}

static void dates_win_over_the_items_own_start(void)
{
    struct feed *f =
        parse_events("{'id':'s','title':{'ja':'x'},'start':'2027-03-01',"
                     "'end':'2027-03-02','dates':[" SAT("05", "10") "," SAT("12", "10") "]}",
                     NULL);
    const struct feed_item *it = f ? feed_find(f, "s") : NULL;
    CHECK(it && it->n_dates == 2 && !it->all_day);
    CHECK(it && it->start == at("2026-12-05T10:00:00+09:00"));
    CHECK(it && it->end == at("2026-12-12T10:30:00+09:00"));
    feed_free(f);
}

static void an_event_with_dates_needs_no_start_of_its_own(void)
{
    struct feed *f =
        parse_events("{'id':'s','title':{'ja':'x'},'dates':[" SAT("05", "10") "]}", NULL);
    CHECK(f && feed_count(f, FEED_KIND_EVENT) == 1 && feed_drop_count(f) == 0);
    feed_free(f);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':null}", "ev-2",
                  "field 'start': required", NULL);
}

static void a_bad_date_entry_drops_the_item_and_names_it(void)
{
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':'2026-12-05'}", "ev-2",
                  "field 'dates': not an array", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':[" SAT("05", "10") ",'2026-12-12']}",
                  "ev-2", "field 'dates[1]': not an object", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':[" SAT("05", "10") ",{'end':"
                                                                              "'2026-12-12'}]}",
                  "ev-2", "field 'dates[1].start': required", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':[{'start':'2026-12-32'}]}", "ev-2",
                  "field 'dates[0].start': not a date", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':[{'start':'2026-12-05','end':5}]}",
                  "ev-2", "field 'dates[0].end': not a date", NULL);
    check_dropped(
        "{'id':'ev-2','title':{'ja':'x'},'dates':[" SAT(
            "05", "10") ",{'start':"
                        "'2026-12-12T10:00:00+09:00','end':'2026-12-12T09:00:00+09:00'}]}",
        "ev-2", "dates[1]: end before start", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':[{'start':'2026-12-12',"
                  "'end':'2026-12-11'}]}",
                  "ev-2", "dates[0]: end before start", NULL);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'dates':[{'start':'2026-12-12',"
                  "'changed':'yes'}]}",
                  "ev-2", "field 'dates[0].changed': not true or false", NULL);
}

static void more_than_366_dates_drop_the_item(void)
{
    size_t cap = 32768;
    char *doc = malloc(cap);
    CHECK(doc);
    if (!doc) {
        return;
    }
    for (int n = 366; n <= 367; n++) {
        size_t len = (size_t)snprintf(
            doc, cap, HEAD "'events':[{'id':'daily','title':{'ja':'毎日'},'dates':[");
        for (int i = 0; i < n; i++) {
            /* n distinct minutes of one morning */
            len += (size_t)snprintf(doc + len, cap - len, "%s{'start':'2027-01-01T%02d:%02d:00Z'}",
                                    i ? "," : "", i / 60, i % 60);
        }
        snprintf(doc + len, cap - len, "]}],'volunteers':[]}");
        char err[256];
        struct feed *f = parse_q(doc, NULL, err, sizeof err);
        CHECK(f);
        if (!f) {
            continue;
        }
        const struct feed_item *it = feed_find(f, "daily");
        if (n == 366) {
            CHECK(it && it->n_dates == 366);
        } else {
            CHECK(!it && feed_drop_count(f) == 1);
            CHECK(feed_drop_count(f) == 1 &&
                  strstr(feed_drop_at(f, 0)->reason, "367 dates, more than 366"));
        }
        feed_free(f);
    }
    free(doc);
}

static void a_time_note_is_read_as_a_one_line_text(void)
{
    struct feed *f = parse_events("{'id':'n','title':{'ja':'x'},'start':'2026-12-05',"
                                  "'time_note':{'ja':'10時～\\n12時','en':'10 am to noon'}}",
                                  NULL);
    const struct feed_item *it = f ? feed_find(f, "n") : NULL;
    CHECK(it && it->time_note.ja && it->time_note.en);
    CHECK(it && it->time_note.ja && !strchr(it->time_note.ja, '\n'));
    CHECK(it && it->time_note.en && strcmp(it->time_note.en, "10 am to noon") == 0);
    feed_free(f);
    check_dropped("{'id':'ev-2','title':{'ja':'x'},'start':'2026-12-05','time_note':'10時'}",
                  "ev-2", "field 'time_note'", NULL);
}

static void a_title_ruby_is_kept_only_when_it_reads_the_title(void)
{
    struct feed *f =
        parse_events("{'id':'r','title':{'ja':'図書館まつり'},'start':'2026-12-05',"
                     "'title_ruby':'{図書館|としょかん}まつり'},"
                     "{'id':'s','title':{'ja':'図書館まつり'},'start':'2026-12-05',"
                     "'title_ruby':'{古本|ふるほん}まつり'},"
                     "{'id':'t','title':{'ja':'図書館まつり'},'start':'2026-12-05','title_ruby':5}",
                     NULL);
    log_lines[0] = '\0';
    const struct feed_item *r = f ? feed_find(f, "r") : NULL;
    const struct feed_item *s = f ? feed_find(f, "s") : NULL;
    const struct feed_item *t = f ? feed_find(f, "t") : NULL;
    CHECK(r && r->title_ruby && strcmp(r->title_ruby, "{図書館|としょかん}まつり") == 0);
    /* a reading of another title, or no string: the field goes, the listing stays */
    CHECK(s && !s->title_ruby && t && !t->title_ruby);
    feed_free(f);
}

int main(void)
{
    log_set_sink(sink, NULL);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        fprintf(stderr, "no Asia/Tokyo zone\n");
    }
    RUN(a_dropped_item_is_logged_with_kind_id_and_reason);
    RUN(a_signup_url_whose_caption_could_lie_drops_the_item); /* logs: before the burst */
    RUN(a_well_formed_feed_is_read_whole);
    RUN(a_document_that_is_not_json_is_rejected_whole);
    RUN(trailing_garbage_after_the_document_is_rejected);
    RUN(trailing_whitespace_is_allowed);
    RUN(a_nul_byte_after_the_document_is_rejected);
    RUN(another_version_is_rejected);
    RUN(a_missing_events_or_volunteers_array_is_rejected);
    RUN(a_document_over_the_size_limit_is_rejected);
    RUN(a_json_bomb_is_rejected_without_recursion);
    RUN(lenient_json_that_cjson_would_accept_is_rejected);
    RUN(a_byte_order_mark_is_tolerated);
    RUN(an_item_without_a_title_is_dropped);
    RUN(an_item_without_an_id_is_dropped_as_question_mark);
    RUN(an_overlong_id_is_dropped);
    RUN(an_event_without_a_start_is_dropped);
    RUN(a_bad_date_drops_the_item);
    RUN(an_end_before_its_start_drops_the_item);
    RUN(an_end_equal_to_start_is_kept);
    RUN(all_day_events_cover_their_whole_days);
    RUN(a_duplicate_id_drops_the_later_item);
    RUN(a_duplicate_id_across_kinds_is_dropped_too);
    RUN(invalid_utf8_in_a_string_drops_the_item);
    RUN(an_escaped_nul_in_a_string_drops_the_item);
    RUN(an_http_signup_url_is_dropped_unless_allowed);
    RUN(a_signup_url_gives_the_host_its_caption_names);
    RUN(a_text_field_of_the_wrong_type_drops_its_item);
    RUN(other_wrongly_typed_fields_drop_their_item);
    RUN(null_optional_fields_count_as_absent);
    RUN(unknown_category_ids_are_ignored_not_fatal);
    RUN(a_bad_category_entry_is_ignored);
    RUN(items_beyond_the_cap_are_dropped);
    RUN(long_strings_are_capped_at_a_character_boundary);
    RUN(control_characters_are_stripped);
    RUN(volunteers_may_have_an_optional_period);
    RUN(announcements_are_validated_one_by_one);
    RUN(an_announcements_document_is_read_alone);
    RUN(announcement_targets_are_kept_aligned_in_the_arena);
    RUN(a_missing_generated_at_is_logged_not_fatal);
    RUN(the_document_order_is_kept);
    log_set_sink(NULL, NULL);
    RUN(a_series_is_sorted_by_start_and_spans_its_dates);
    RUN(dates_are_read_like_the_items_own_start_and_end);
    RUN(duplicate_dates_are_one_date_changed_if_either_says_so);
    RUN(a_series_of_one_date_is_a_plain_item);
    RUN(dates_win_over_the_items_own_start);
    RUN(an_event_with_dates_needs_no_start_of_its_own);
    RUN(a_bad_date_entry_drops_the_item_and_names_it);
    RUN(more_than_366_dates_drop_the_item);
    RUN(a_time_note_is_read_as_a_one_line_text);
    RUN(a_title_ruby_is_kept_only_when_it_reads_the_title);
    RUN(translations_are_read_and_a_bad_one_drops_the_item);
    TEST_MAIN_END();
}
