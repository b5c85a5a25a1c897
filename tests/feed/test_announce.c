/* test_announce: merging, windows, targets, order, and the admin API's JSON rules. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/announce.h"
#include "feed/feed_internal.h"
#include "util/jsonstrict.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define T0 INT64_C(1796004000) /* 2026-11-30T11:00:00+09:00 */

static struct feed_announcement mk(const char *id, const char *ja, enum ann_level level,
                                   int64_t starts, int64_t ends)
{
    struct feed_announcement a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.text.ja = ja;
    a.level = level;
    a.starts_at = starts;
    a.ends_at = ends;
    a.source = ANN_SOURCE_DIRECT;
    return a;
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

static struct feed *ann_doc(const char *anns)
{
    char buf[4096];
    char err[256];
    char *j;
    struct feed *f;

    snprintf(buf, sizeof buf,
             "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','announcements':[%s]}", anns);
    j = q(buf);
    f = feed_parse_announcements(j, strlen(j), NULL, err, sizeof err);
    if (!f) {
        fprintf(stderr, "  test document rejected: %s\n", err);
    }
    free(j);
    return f;
}

static void a_list_puts_replaces_finds_and_removes(void)
{
    struct ann_list *l = ann_list_create();
    struct feed_announcement a = mk("a", "一", ANN_LEVEL_NORMAL, T0, T0 + 60);
    const char *targets[] = {"musashino-place/"};

    a.targets = targets;
    a.n_targets = 1;
    a.created_by = "staff";
    CHECK(ann_list_put(l, &a) == 0);
    a.text.ja = "二";
    CHECK(ann_list_put(l, &a) == 0);
    CHECK(ann_list_count(l) == 1);
    CHECK(strcmp(ann_list_find(l, "a")->text.ja, "二") == 0);
    CHECK(ann_list_find(l, "a")->text.ja != a.text.ja); /* a copy */
    CHECK(strcmp(ann_list_at(l, 0)->targets[0], "musashino-place/") == 0);
    CHECK(strcmp(ann_list_at(l, 0)->created_by, "staff") == 0);
    CHECK(ann_list_remove(l, "b") == -ENOENT);
    CHECK(ann_list_remove(l, "a") == 0);
    CHECK(ann_list_count(l) == 0 && !ann_list_find(l, "a"));
    ann_list_free(l);
    ann_list_free(NULL);
}

static void the_window_is_half_open(void)
{
    struct feed_announcement a = mk("a", "x", ANN_LEVEL_NORMAL, T0, T0 + 3600);
    CHECK(!ann_active(&a, T0 - 1));
    CHECK(ann_active(&a, T0));
    CHECK(ann_active(&a, T0 + 3599));
    CHECK(!ann_active(&a, T0 + 3600));
}

static void until_cleared_lasts_from_its_start_for_emergencies_only(void)
{
    struct feed_announcement a = mk("a", "x", ANN_LEVEL_EMERGENCY, T0, 0);
    a.until_cleared = true;
    CHECK(!ann_active(&a, T0 - 1));
    CHECK(ann_active(&a, T0 + 86400 * 365));
    a.level = ANN_LEVEL_IMPORTANT; /* cannot come from a parser, but is still refused */
    CHECK(!ann_active(&a, T0 + 1));
}

static void targets_are_prefixes_of_the_kiosk_target(void)
{
    struct feed_announcement a = mk("a", "x", ANN_LEVEL_NORMAL, T0, T0 + 60);
    const char *t[] = {"musashino-place/", "kichijoji/"};

    CHECK(ann_targets_match(&a, "musashino-place/lobby"));
    CHECK(ann_targets_match(&a, NULL)); /* no targets: every kiosk */
    a.targets = t;
    a.n_targets = 2;
    CHECK(ann_targets_match(&a, "musashino-place/lobby"));
    CHECK(ann_targets_match(&a, "kichijoji/2f"));
    CHECK(!ann_targets_match(&a, "mitaka/lobby"));
    CHECK(!ann_targets_match(&a, "musashino"));
    CHECK(!ann_targets_match(&a, ""));
    CHECK(!ann_targets_match(&a, NULL));
}

static void direct_wins_over_the_feed_and_later_documents_over_earlier(void)
{
    struct feed *d1 = ann_doc("{'id':'x','text':{'ja':'feed1'},"
                              "'starts_at':'2026-11-30T09:00:00+09:00',"
                              "'ends_at':'2026-11-30T18:00:00+09:00'},"
                              "{'id':'y','text':{'ja':'feed1 y'},"
                              "'starts_at':'2026-11-30T09:00:00+09:00',"
                              "'ends_at':'2026-11-30T18:00:00+09:00'}");
    struct feed *d2 = ann_doc("{'id':'y','text':{'ja':'feed2 y'},"
                              "'starts_at':'2026-11-30T09:00:00+09:00',"
                              "'ends_at':'2026-11-30T18:00:00+09:00'}");
    const struct feed *docs[3] = {d1, NULL, d2};
    struct ann_list *direct = ann_list_create();
    struct feed_announcement a = mk("x", "direct", ANN_LEVEL_NORMAL, T0 - 60, T0 + 60);
    struct ann_list *m;

    CHECK(d1 && d2 && direct);
    CHECK(ann_list_put(direct, &a) == 0);
    m = ann_merge(docs, 3, direct, "musashino-place/lobby", T0);
    CHECK(m && ann_list_count(m) == 2);
    CHECK(m && strcmp(ann_list_find(m, "x")->text.ja, "direct") == 0);
    CHECK(m && ann_list_find(m, "x")->source == ANN_SOURCE_DIRECT);
    CHECK(m && strcmp(ann_list_find(m, "y")->text.ja, "feed2 y") == 0);
    CHECK(m && ann_list_find(m, "y")->source == ANN_SOURCE_FEED);
    ann_list_free(m);

    /* a direct copy that has ended hides the feed's copy too */
    a.ends_at = T0 - 1;
    CHECK(ann_list_put(direct, &a) == 0);
    m = ann_merge(docs, 3, direct, NULL, T0);
    CHECK(m && ann_list_count(m) == 1 && !ann_list_find(m, "x"));
    ann_list_free(m);

    m = ann_merge(NULL, 0, NULL, NULL, T0);
    CHECK(m && ann_list_count(m) == 0);
    ann_list_free(m);
    ann_list_free(direct);
    feed_free(d1);
    feed_free(d2);
}

static void merge_keeps_only_active_and_targeted(void)
{
    struct ann_list *direct = ann_list_create();
    struct feed_announcement a = mk("later", "x", ANN_LEVEL_NORMAL, T0 + 60, T0 + 120);
    struct feed_announcement b = mk("elsewhere", "x", ANN_LEVEL_NORMAL, T0, T0 + 120);
    struct feed_announcement c = mk("here", "x", ANN_LEVEL_NORMAL, T0, T0 + 120);
    const char *mitaka[] = {"mitaka/"};
    const char *here[] = {"musashino-place/"};
    struct ann_list *m;

    b.targets = mitaka;
    b.n_targets = 1;
    c.targets = here;
    c.n_targets = 1;
    ann_list_put(direct, &a);
    ann_list_put(direct, &b);
    ann_list_put(direct, &c);
    m = ann_merge(NULL, 0, direct, "musashino-place/lobby", T0);
    CHECK(m && ann_list_count(m) == 1 && strcmp(ann_list_at(m, 0)->id, "here") == 0);
    ann_list_free(m);
    m = ann_merge(NULL, 0, direct, "musashino-place/lobby", T0 + 60);
    CHECK(m && ann_list_count(m) == 2);
    ann_list_free(m);
    ann_list_free(direct);
}

static void emergencies_come_first_then_the_newest(void)
{
    struct ann_list *direct = ann_list_create();
    struct feed_announcement v[] = {
        mk("n-old", "x", ANN_LEVEL_NORMAL, T0 - 300, T0 + 60),
        mk("i", "x", ANN_LEVEL_IMPORTANT, T0 - 600, T0 + 60),
        mk("n-new", "x", ANN_LEVEL_NORMAL, T0 - 100, T0 + 60),
        mk("e", "x", ANN_LEVEL_EMERGENCY, T0 - 900, T0 + 60),
        mk("n-new2", "x", ANN_LEVEL_NORMAL, T0 - 100, T0 + 60),
    };
    const char *want[] = {"e", "i", "n-new", "n-new2", "n-old"};
    struct ann_list *m;

    for (size_t i = 0; i < 5; i++) {
        CHECK(ann_list_put(direct, &v[i]) == 0);
    }
    m = ann_merge(NULL, 0, direct, NULL, T0);
    CHECK(m && ann_list_count(m) == 5);
    for (size_t i = 0; m && i < 5; i++) {
        CHECK(strcmp(ann_list_at(m, i)->id, want[i]) == 0);
    }
    ann_list_free(m);
    ann_list_free(direct);
}

/* ann_from_json on a single-quoted body; returns the rc and leaves the message in err. */
static int from_json(const char *body, struct feed_announcement *out, char *err, size_t n)
{
    char *j = q(body);
    char jerr[128];
    cJSON *o = json_strict_parse(j, strlen(j), NULL, jerr, sizeof jerr);
    int rc;

    free(j);
    if (!o) {
        snprintf(err, n, "test body: %s", jerr);
        return -99;
    }
    rc = ann_from_json(o, T0, out, err, n);
    cJSON_Delete(o);
    return rc;
}

static void expect_error(const char *body, const char *msg)
{
    struct feed_announcement a;
    char err[256];
    int rc = from_json(body, &a, err, sizeof err);
    CHECK(rc == -EINVAL);
    CHECK(strstr(err, msg));
    if (!strstr(err, msg)) {
        fprintf(stderr, "  for %s\n  got '%s'\n", body, err);
    }
    if (rc == 0) {
        ann_clear(&a);
    }
}

static void from_json_accepts_a_minimal_body_and_defaults_starts_at(void)
{
    struct feed_announcement a;
    char err[256];
    CHECK(from_json("{'id':'closed-1130','text':{'ja':'本日は休館です','en':'Closed'},"
                    "'level':'important','ends_at':'2026-11-30T22:00:00+09:00'}",
                    &a, err, sizeof err) == 0);
    CHECK(strcmp(a.id, "closed-1130") == 0);
    CHECK(strcmp(a.text.ja, "本日は休館です") == 0 && strcmp(a.text.en, "Closed") == 0);
    CHECK(a.level == ANN_LEVEL_IMPORTANT);
    CHECK(a.starts_at == T0);
    CHECK(a.ends_at == T0 + 11 * 3600);
    CHECK(a.source == ANN_SOURCE_DIRECT);
    CHECK(!a.until_cleared && a.n_targets == 0 && !a.created_by);
    ann_clear(&a);
    CHECK(!a.id);
}

static void from_json_names_the_field_in_every_error(void)
{
    expect_error("{'text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'id': required");
    expect_error("{'id':7,'text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'id': not a string");
    expect_error("{'id':'a b','text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'id': must be 1-128 characters of A-Z a-z 0-9 . _ -");
    expect_error("{'id':'お知らせ','text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'id'");
    expect_error("{'id':'','text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'id'");
    expect_error("{'id':'a','level':'normal','ends_at':'2026-12-01'}", "field 'text': required");
    expect_error("{'id':'a','text':'x','level':'normal','ends_at':'2026-12-01'}",
                 "field 'text': not a text object");
    expect_error("{'id':'a','text':{'en':'x'},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'text': 'ja' required");
    expect_error("{'id':'a','text':{'ja':'x'},'ends_at':'2026-12-01'}", "field 'level': required");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'urgent','ends_at':'2026-12-01'}",
                 "field 'level': must be");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'normal'}", "field 'ends_at': required");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'normal','ends_at':'tomorrow'}",
                 "field 'ends_at': not a date");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'normal','starts_at':'2026-12-01',"
                 "'ends_at':'2026-11-30T00:00:00+09:00'}",
                 "field 'ends_at': must be after");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'normal','starts_at':'2026-12-01T25:00Z',"
                 "'ends_at':'2026-12-02'}",
                 "field 'starts_at'");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'important','until_cleared':true}",
                 "field 'until_cleared': only for level");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'emergency','until_cleared':'yes'}",
                 "field 'until_cleared'");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01',"
                 "'targets':'lobby'}",
                 "field 'targets': not an array of strings");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01',"
                 "'targets':['ok',3]}",
                 "field 'targets'");
    expect_error("{'id':'a','text':{'ja':'x'},'level':'normal','ends_at':'2026-12-01',"
                 "'created_by':5}",
                 "field 'created_by': not a string");
    expect_error("{'id':'a','text':{'ja':'x\\u0000y'},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'text': contains \\u0000");
    expect_error("[1]", "not an object");
}

static void from_json_takes_an_emergency_until_cleared_without_an_end(void)
{
    struct feed_announcement a;
    char err[256];
    CHECK(from_json("{'id':'quake','text':{'ja':'地震です'},'level':'emergency',"
                    "'until_cleared':true,'targets':['musashino-place/'],"
                    "'created_by':'防災課 山田'}",
                    &a, err, sizeof err) == 0);
    CHECK(a.until_cleared && a.level == ANN_LEVEL_EMERGENCY);
    CHECK(a.n_targets == 1 && strcmp(a.targets[0], "musashino-place/") == 0);
    CHECK(strcmp(a.created_by, "防災課 山田") == 0);
    CHECK(ann_active(&a, T0 + 86400 * 30));
    ann_clear(&a);
}

static void to_json_round_trips_through_from_json(void)
{
    struct feed_announcement a, b;
    char err[256];
    cJSON *o;

    CHECK(from_json("{'id':'r1','text':{'ja':'一行目\\n二行目','en':'two lines'},"
                    "'level':'emergency','until_cleared':true,"
                    "'starts_at':'2026-11-30T10:00:00+09:00','targets':['a/','b/'],"
                    "'created_by':'staff'}",
                    &a, err, sizeof err) == 0);
    o = ann_to_json(&a);
    CHECK(o);
    CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(o, "starts_at")->valuestring,
                 "2026-11-30T10:00:00+09:00") == 0);
    CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(o, "source")->valuestring, "direct") == 0);
    CHECK(ann_from_json(o, 0, &b, err, sizeof err) == 0);
    CHECK(strcmp(a.id, b.id) == 0 && strcmp(a.text.ja, b.text.ja) == 0);
    CHECK(strcmp(a.text.en, b.text.en) == 0 && a.level == b.level);
    CHECK(a.starts_at == b.starts_at && a.until_cleared == b.until_cleared);
    CHECK(b.n_targets == 2 && strcmp(b.targets[1], "b/") == 0);
    CHECK(strcmp(b.created_by, "staff") == 0);
    cJSON_Delete(o);
    ann_clear(&b);
    a.until_cleared = false;
    a.level = ANN_LEVEL_NORMAL;
    a.ends_at = a.starts_at + 3600;
    o = ann_to_json(&a);
    CHECK(ann_from_json(o, 0, &b, err, sizeof err) == 0);
    CHECK(b.ends_at == a.ends_at && !b.until_cleared);
    cJSON_Delete(o);
    ann_clear(&b);
    ann_clear(&a);
}

static void from_json_refuses_text_with_nothing_visible(void)
{
    static const char *const blank[] = {
        " ",
        "\\n",
        "\\u3000",
        "\\u200b",
        "\\u2800",
        "\\u3164",
        "\\u00a0\\ufeff\\u2060",
        "\\ue000",
        "\\udb40\\udc20",
    };
    char body[256];
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        snprintf(body, sizeof body,
                 "{'id':'x','text':{'ja':'%s'},'level':'emergency',"
                 "'until_cleared':true}",
                 blank[i]);
        expect_error(body, "field 'text': 'ja' has no visible character");
    }
    expect_error("{'id':'x','text':{'ja':''},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'text': 'ja' is empty");
}

static void a_blank_english_text_is_absent(void)
{
    struct feed_announcement a;
    char err[256];
    CHECK(from_json("{'id':'x','text':{'ja':'避難訓練','en':' \\u200b '},'level':'normal',"
                    "'ends_at':'2026-12-01'}",
                    &a, err, sizeof err) == 0);
    CHECK(!a.text.en);
    ann_clear(&a);
}

static void times_that_cannot_be_stored_are_refused(void)
{
    struct feed_announcement a;
    char err[256];
    /* year 10000 in Tokyo, and the day after 9999-12-31 */
    expect_error("{'id':'x','text':{'ja':'先'},'level':'normal','ends_at':'9999-12-31T23:00:00Z'}",
                 "field 'ends_at': outside the years 0001-9999");
    expect_error("{'id':'x','text':{'ja':'先'},'level':'normal','ends_at':'9999-12-31'}",
                 "field 'ends_at': outside the years 0001-9999");
    CHECK(from_json("{'id':'x','text':{'ja':'先'},'level':'normal','ends_at':'9999-12-30'}", &a,
                    err, sizeof err) == 0);
    ann_clear(&a);
}

static void until_cleared_with_an_end_is_refused_but_loads_from_the_store(void)
{
    struct feed_announcement a;
    char err[256], *j;
    cJSON *o;
    expect_error("{'id':'q','text':{'ja':'地震'},'level':'emergency','until_cleared':true,"
                 "'ends_at':'2026-12-01T10:00:00+09:00'}",
                 "field 'ends_at': not with until_cleared");
    /* what an older version stored must still load: an emergency is never dropped for it */
    j = q("{'id':'q','text':{'ja':'地震'},'level':'emergency','until_cleared':true,"
          "'starts_at':'2026-11-30T10:00:00+09:00','ends_at':'2026-12-01T10:00:00+09:00'}");
    o = cJSON_Parse(j);
    free(j);
    CHECK(o && ann_from_stored_json(o, T0, &a, err, sizeof err) == 0);
    CHECK(a.until_cleared && ann_active(&a, T0 + 86400 * 10));
    cJSON_Delete(o);
    /* and is written back without the end */
    o = ann_to_json(&a);
    CHECK(o && !cJSON_GetObjectItemCaseSensitive(o, "ends_at"));
    cJSON_Delete(o);
    ann_clear(&a);
}

static void a_feed_drops_a_blank_announcement_with_its_reason(void)
{
    struct feed *f = ann_doc("{'id':'blank','text':{'ja':' \\u200b'},'level':'emergency',"
                             "'starts_at':'2026-11-25T09:00:00+09:00','until_cleared':true},"
                             "{'id':'real','text':{'ja':'火災です'},'level':'emergency',"
                             "'starts_at':'2026-11-25T09:00:00+09:00','until_cleared':true}");
    CHECK(f && feed_announcement_count(f) == 1);
    CHECK(f && strcmp(feed_announcement_at(f, 0)->id, "real") == 0);
    feed_free(f);
}

static void merge_leaves_out_an_entry_with_nothing_visible(void)
{
    struct ann_list *direct = ann_list_create();
    struct feed_announcement blank = mk("blank", "\xE3\x80\x80", ANN_LEVEL_EMERGENCY, T0, T0 + 60);
    struct feed_announcement real = mk("real", "火災", ANN_LEVEL_EMERGENCY, T0 - 60, T0 + 60);
    struct ann_list *m;
    CHECK(direct && ann_list_put(direct, &blank) == 0 && ann_list_put(direct, &real) == 0);
    m = ann_merge(NULL, 0, direct, NULL, T0);
    CHECK(m && ann_list_count(m) == 1 && strcmp(ann_list_at(m, 0)->id, "real") == 0);
    ann_list_free(m);
    ann_list_free(direct);
}

static void collect_takes_every_feed_announcement_later_documents_winning(void)
{
    struct feed *a = ann_doc("{'id':'x','text':{'ja':'古い'},'level':'normal',"
                             "'starts_at':'2020-01-01','ends_at':'2020-01-02'}");
    struct feed *b = ann_doc("{'id':'x','text':{'ja':'新しい'},'level':'normal',"
                             "'starts_at':'2020-01-01','ends_at':'2020-01-03'},"
                             "{'id':'y','text':{'ja':'他'},'level':'normal',"
                             "'starts_at':'2020-01-01','ends_at':'2020-01-03',"
                             "'targets':['elsewhere/']}");
    const struct feed *docs[3] = {a, NULL, b};
    struct ann_list *l = ann_collect(docs, 3);
    CHECK(l && ann_list_count(l) == 2);
    CHECK(l && strcmp(ann_list_find(l, "x")->text.ja, "新しい") == 0);
    CHECK(l && ann_list_find(l, "y"));
    ann_list_free(l);
    feed_free(a);
    feed_free(b);
}

/* The five languages of a text (docs/feed.md's keys), as the admin API and a feed give them. */
#define ALL_LANGS                                                                                          \
    "'text':{'ja':'本日は{休館|きゅうかん}です','en':'Closed today','zh-Hans':'今天闭馆'," \
    "'ko':'오늘은 휴관합니다','ja-easy':'きょうは {休|やす}みです'}"

static void every_language_is_kept_copied_and_written_back(void)
{
    struct feed_announcement a, b, c;
    struct ann_list *l = ann_list_create();
    char err[256];
    cJSON *o;

    CHECK(from_json("{'id':'all'," ALL_LANGS ",'level':'normal','ends_at':'2026-12-01'}", &a, err,
                    sizeof err) == 0);
    CHECK(a.text.zh_hans && strcmp(a.text.zh_hans, "今天闭馆") == 0);
    CHECK(a.text.ko && strcmp(a.text.ko, "오늘은 휴관합니다") == 0);
    /* readings stay as written: the screen draws them as ruby */
    CHECK(a.text.ja_easy && strcmp(a.text.ja_easy, "きょうは {休|やす}みです") == 0);
    o = ann_to_json(&a);
    CHECK(o);
    CHECK(strcmp(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "text"),
                                                  "zh-Hans")
                     ->valuestring,
                 "今天闭馆") == 0);
    CHECK(o && ann_from_json(o, 0, &b, err, sizeof err) == 0);
    CHECK(strcmp(b.text.en, a.text.en) == 0 && strcmp(b.text.zh_hans, a.text.zh_hans) == 0);
    CHECK(strcmp(b.text.ko, a.text.ko) == 0 && strcmp(b.text.ja_easy, a.text.ja_easy) == 0);
    cJSON_Delete(o);
    /* a list's copy and ann_copy own their own strings */
    CHECK(l && ann_list_put(l, &b) == 0);
    CHECK(ann_copy(&c, &b) == 0);
    ann_clear(&b);
    CHECK(l && strcmp(ann_list_find(l, "all")->text.ko, "오늘은 휴관합니다") == 0);
    CHECK(c.text.ja_easy != a.text.ja_easy && strcmp(c.text.ja_easy, a.text.ja_easy) == 0);
    ann_clear(&c);
    ann_list_free(l);
    ann_clear(&a);
}

static void translations_are_checked_like_the_feeds(void)
{
    struct feed_announcement a;
    char err[256], body[6000], long_ko[5000];

    expect_error("{'id':'a','text':{'ja':'x','zh-Hans':7},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'text': 'zh-Hans' is not a string");
    expect_error("{'id':'a','text':{'ja':'x','ko':['x']},'level':'normal','ends_at':'2026-12-01'}",
                 "field 'text': 'ko' is not a string");
    expect_error("{'id':'a','text':{'ja':'x','ja-easy':{}},'level':'normal',"
                 "'ends_at':'2026-12-01'}",
                 "field 'text': 'ja-easy' is not a string");
    expect_error("{'id':'a','text':{'ja':'x','ko':'a\\u0000b'},'level':'normal',"
                 "'ends_at':'2026-12-01'}",
                 "field 'text': contains \\u0000");
    /* a blank translation is absent (the screen then shows Japanese, marked), control
     * characters go, and a text is capped like every feed string */
    memset(long_ko, 'k', sizeof long_ko - 1);
    long_ko[sizeof long_ko - 1] = '\0';
    snprintf(body, sizeof body,
             "{'id':'x','text':{'ja':'避難訓練','zh-Hans':' \\u200b ','ko':'%s',"
             "'ja-easy':'ひなん\\u0007くんれん'},'level':'normal','ends_at':'2026-12-01'}",
             long_ko);
    CHECK(from_json(body, &a, err, sizeof err) == 0);
    CHECK(!a.text.zh_hans);
    CHECK(a.text.ko && strlen(a.text.ko) == FEED_MAX_STRING_DEFAULT);
    CHECK(a.text.ja_easy && strcmp(a.text.ja_easy, "ひなんくんれん") == 0);
    ann_clear(&a);
}

static void a_blank_translation_given_directly_is_named(void)
{
    static const struct {
        size_t off;
        enum ann_rule rule;
        const char *key;
    } cases[] = {
        {offsetof(struct feed_text, en), ANN_RULE_TEXT_EN, "'en'"},
        {offsetof(struct feed_text, zh_hans), ANN_RULE_TEXT_ZH, "'zh-Hans'"},
        {offsetof(struct feed_text, ko), ANN_RULE_TEXT_KO, "'ko'"},
        {offsetof(struct feed_text, ja_easy), ANN_RULE_TEXT_EASY, "'ja-easy'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct feed_announcement a = mk("x", "地震", ANN_LEVEL_NORMAL, T0, T0 + 60);
        char why[200];
        *(const char **)(void *)((char *)&a.text + cases[i].off) = "\xE3\x80\x80";
        CHECK(ann_check_direct(&a, true, T0, why, sizeof why) == cases[i].rule);
        CHECK(strstr(why, cases[i].key) && strstr(why, "no visible character"));
        *(const char **)(void *)((char *)&a.text + cases[i].off) = "ok";
        CHECK(ann_check_direct(&a, true, T0, why, sizeof why) == ANN_RULE_OK);
    }
}

static void a_feed_announcement_keeps_its_translations_through_the_merge(void)
{
    struct feed *f = ann_doc("{'id':'f'," ALL_LANGS ",'level':'important',"
                             "'starts_at':'2026-11-25T09:00:00+09:00','ends_at':'2026-12-25'}");
    const struct feed *docs[1] = {f};
    struct ann_list *m = f ? ann_merge(docs, 1, NULL, NULL, T0) : NULL;
    const struct feed_announcement *a = m ? ann_list_find(m, "f") : NULL;
    CHECK(a && a->text.zh_hans && strcmp(a->text.zh_hans, "今天闭馆") == 0);
    CHECK(a && a->text.ko && a->text.ja_easy && a->text.en);
    ann_list_free(m);
    feed_free(f);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(a_list_puts_replaces_finds_and_removes);
    RUN(the_window_is_half_open);
    RUN(until_cleared_lasts_from_its_start_for_emergencies_only);
    RUN(targets_are_prefixes_of_the_kiosk_target);
    RUN(direct_wins_over_the_feed_and_later_documents_over_earlier);
    RUN(merge_keeps_only_active_and_targeted);
    RUN(emergencies_come_first_then_the_newest);
    RUN(from_json_accepts_a_minimal_body_and_defaults_starts_at);
    RUN(from_json_names_the_field_in_every_error);
    RUN(from_json_takes_an_emergency_until_cleared_without_an_end);
    RUN(to_json_round_trips_through_from_json);
    RUN(from_json_refuses_text_with_nothing_visible);
    RUN(a_blank_english_text_is_absent);
    RUN(times_that_cannot_be_stored_are_refused);
    RUN(until_cleared_with_an_end_is_refused_but_loads_from_the_store);
    RUN(a_feed_drops_a_blank_announcement_with_its_reason);
    RUN(merge_leaves_out_an_entry_with_nothing_visible);
    RUN(collect_takes_every_feed_announcement_later_documents_winning);
    RUN(every_language_is_kept_copied_and_written_back);
    RUN(translations_are_checked_like_the_feeds);
    RUN(a_blank_translation_given_directly_is_named);
    RUN(a_feed_announcement_keeps_its_translations_through_the_merge);
    TEST_MAIN_END();
}
