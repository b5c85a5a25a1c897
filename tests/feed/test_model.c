/* test_model: the UI's single source of truth and its generation counter, driven by a
 * fixed clock that the test moves. */
#include <stdlib.h>
#include <string.h>

#include "feed/model.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

static int64_t now_value;

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

static struct feed *feed_with_announcement(const char *text, const char *ends_at)
{
    char buf[2048];
    char err[256];
    char *j;
    struct feed *f;

    snprintf(buf, sizeof buf,
             "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"
             "'events':[{'id':'e','title':{'ja':'x'},'start':'2026-12-01'}],'volunteers':[],"
             "'announcements':[{'id':'a','text':{'ja':'%s'},"
             "'starts_at':'2026-11-30T09:00:00+09:00','ends_at':'%s'}]}",
             text, ends_at);
    j = q(buf);
    f = feed_parse(j, strlen(j), NULL, err, sizeof err);
    if (!f) {
        fprintf(stderr, "  test feed rejected: %s\n", err);
    }
    free(j);
    return f;
}

static int64_t at(const char *iso)
{
    int64_t t = 0;
    timeutil_parse_iso8601(iso, &t, NULL);
    return t;
}

static void a_new_model_is_empty_and_never_synced(void)
{
    struct model *m = model_create("musashino-place/lobby");
    CHECK(m);
    CHECK(!m->feed && !m->ann_doc);
    CHECK(m->direct && m->active && ann_list_count(m->active) == 0);
    CHECK(m->sync_state == MODEL_SYNC_NEVER);
    CHECK(strcmp(m->target, "musashino-place/lobby") == 0);
    model_free(m);
    model_free(NULL);
}

static void setting_a_feed_bumps_the_generation_and_keeps_on_null(void)
{
    struct model *m = model_create(NULL);
    struct kclock clk = kclock_fixed(&now_value);
    uint64_t g;

    now_value = at("2026-11-30T10:00:00+09:00");
    model_tick(m, kclock_now(&clk));
    g = m->generation;
    model_set_feed(m, feed_with_announcement("hello", "2026-11-30T12:00:00+09:00"), 100);
    CHECK(m->generation > g);
    CHECK(m->feed && m->content_fetched_at == 100);
    CHECK(ann_list_count(m->active) == 1); /* derived at once, not only at the next tick */
    /* a 304: same content, confirmed again */
    struct feed *before = m->feed;
    model_set_feed(m, NULL, 200);
    CHECK(m->feed == before && m->content_fetched_at == 200);
    model_free(m);
}

static void ticks_in_the_same_minute_change_nothing(void)
{
    struct model *m = model_create(NULL);
    uint64_t g;

    model_set_feed(m, feed_with_announcement("hello", "2026-11-30T12:00:00+09:00"), 1);
    model_tick(m, at("2026-11-30T10:00:00+09:00"));
    g = m->generation;
    CHECK(!model_tick(m, at("2026-11-30T10:00:30+09:00")));
    CHECK(!model_tick(m, at("2026-11-30T10:00:59+09:00")));
    CHECK(m->generation == g);
    CHECK(model_tick(m, at("2026-11-30T10:01:00+09:00")));
    CHECK(m->generation == g + 1);
    model_free(m);
}

static void an_announcement_ending_changes_what_is_shown(void)
{
    struct model *m = model_create(NULL);
    const struct feed_announcement *before;

    model_set_feed(m, feed_with_announcement("hello", "2026-11-30T12:00:30+09:00"), 1);
    model_tick(m, at("2026-11-30T12:00:00+09:00"));
    CHECK(ann_list_count(m->active) == 1);
    before = ann_list_at(m->active, 0);
    CHECK(!model_tick(m, at("2026-11-30T12:00:10+09:00")));
    CHECK(ann_list_at(m->active, 0) == before); /* unchanged lists are not rebuilt */
    CHECK(model_tick(m, at("2026-11-30T12:00:40+09:00")));
    CHECK(ann_list_count(m->active) == 0);
    model_free(m);
}

static void a_direct_announcement_shows_at_the_next_tick(void)
{
    struct model *m = model_create("musashino-place/lobby");
    struct feed_announcement a;
    int64_t t = at("2026-11-30T10:00:00+09:00");

    model_tick(m, t);
    memset(&a, 0, sizeof a);
    a.id = "quake";
    a.text.ja = "地震です";
    a.level = ANN_LEVEL_EMERGENCY;
    a.until_cleared = true;
    a.starts_at = t;
    a.source = ANN_SOURCE_DIRECT;
    CHECK(ann_list_put(m->direct, &a) == 0);
    CHECK(model_tick(m, t + 1));
    CHECK(ann_list_count(m->active) == 1);
    CHECK(ann_list_at(m->active, 0)->level == ANN_LEVEL_EMERGENCY);
    CHECK(ann_list_remove(m->direct, "quake") == 0);
    CHECK(model_tick(m, t + 2));
    CHECK(ann_list_count(m->active) == 0);
    model_free(m);
}

static void a_changed_translation_alone_changes_what_is_shown(void)
{
    struct model *m = model_create("musashino-place/lobby");
    struct feed_announcement a;
    int64_t t = at("2026-11-30T10:00:00+09:00");

    memset(&a, 0, sizeof a);
    a.id = "closing";
    a.text.ja = "本日は17時で閉館します";
    a.text.zh_hans = "今天17点闭馆";
    a.level = ANN_LEVEL_NORMAL;
    a.starts_at = t;
    a.ends_at = t + 3600;
    a.source = ANN_SOURCE_DIRECT;
    CHECK(ann_list_put(m->direct, &a) == 0);
    CHECK(model_tick(m, t + 1));
    uint64_t gen = m->generation;
    /* staff correct the Chinese only: the screens must draw the new text */
    a.text.zh_hans = "今天17:00闭馆";
    CHECK(ann_list_put(m->direct, &a) == 0);
    CHECK(model_tick(m, t + 2));
    CHECK(m->generation != gen);
    CHECK(strcmp(ann_list_at(m->active, 0)->text.zh_hans, "今天17:00闭馆") == 0);
    gen = m->generation;
    a.text.ko = "오늘은 17시에 닫습니다";
    CHECK(ann_list_put(m->direct, &a) == 0);
    CHECK(model_tick(m, t + 3));
    CHECK(m->generation != gen);
    model_free(m);
}

static void the_announcements_document_wins_over_the_feed(void)
{
    struct model *m = model_create(NULL);
    const char *doc = "{'version':1,'generated_at':'2026-11-30T09:00:00+09:00',"
                      "'announcements':[{'id':'a','text':{'ja':'from the document'},"
                      "'starts_at':'2026-11-30T09:00:00+09:00',"
                      "'ends_at':'2026-11-30T18:00:00+09:00'}]}";
    char *j = q(doc);
    char err[128];

    model_tick(m, at("2026-11-30T10:00:00+09:00"));
    model_set_feed(m, feed_with_announcement("from the feed", "2026-11-30T18:00:00+09:00"), 1);
    model_set_ann_doc(m, feed_parse_announcements(j, strlen(j), NULL, err, sizeof err));
    CHECK(ann_list_count(m->active) == 1);
    CHECK(strcmp(ann_list_at(m->active, 0)->text.ja, "from the document") == 0);
    free(j);
    model_free(m);
}

static void the_clock_becomes_synced_when_it_is_plausible(void)
{
    struct model *m = model_create(NULL);

    model_set_feed(m, feed_with_announcement("x", "2026-11-30T18:00:00+09:00"), 1);
    model_tick(m, 0);
    CHECK(!m->clock_synced);
    CHECK(!model_tick(m, 30)); /* the same minute of 1970: nothing to redraw */
    CHECK(model_tick(m, at("2026-11-30T10:00:00+09:00")));
    CHECK(m->clock_synced);
    model_free(m);
}

static void a_sync_result_is_recorded(void)
{
    struct model *m = model_create(NULL);
    uint64_t g = m->generation;

    model_set_sync(m, false, 1234, "failed (timeout after 30 s)");
    CHECK(m->sync_state == MODEL_SYNC_FAILED && m->last_sync_at == 1234);
    CHECK(strcmp(m->last_sync_msg, "failed (timeout after 30 s)") == 0);
    CHECK(m->generation > g);
    model_set_sync(m, true, 1300, NULL);
    CHECK(m->sync_state == MODEL_SYNC_OK && m->last_sync_msg[0] == '\0');
    model_free(m);
}

static struct feed *feed_with_event(const char *id, const char *title)
{
    char buf[1024];
    char err[256];
    char *j;
    struct feed *f;

    snprintf(buf, sizeof buf,
             "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"
             "'events':[{'id':'%s','title':{'ja':'%s'},'start':'2026-12-01'}],'volunteers':[]}",
             id, title);
    j = q(buf);
    f = feed_parse(j, strlen(j), NULL, err, sizeof err);
    free(j);
    return f;
}

static void several_sources_show_as_one_feed(void)
{
    struct model *m = model_create("");
    const struct model_source *csv;

    model_set_source_name(m, 0, "feed");
    model_set_source_name(m, 2, "city-csv");
    model_set_source_feed(m, 0, feed_with_event("a", "一"), 100, "json");
    CHECK(m->feed && !m->feed_merged && feed_count(m->feed, FEED_KIND_EVENT) == 1);
    model_set_source_feed(m, 2, feed_with_event("s2-b", "二"), 200, "csv");
    CHECK(m->feed_merged && feed_count(m->feed, FEED_KIND_EVENT) == 2);
    CHECK(m->content_fetched_at == 200);
    /* a new copy of one source replaces only its own listings */
    model_set_source_feed(m, 2, feed_with_event("s2-c", "三"), 300, "csv");
    CHECK(feed_count(m->feed, FEED_KIND_EVENT) == 2 && feed_find(m->feed, "s2-c") &&
          !feed_find(m->feed, "s2-b") && feed_find(m->feed, "a"));
    /* a failing source keeps its last good copy; the model says sync failed */
    model_set_source_sync(m, 0, true, 400, "304 in 3 ms");
    model_set_source_sync(m, 2, false, 401, "failed (HTTP 500)");
    csv = &m->sources[2];
    CHECK(csv->last_error_at == 401 && strcmp(csv->last_error, "failed (HTTP 500)") == 0);
    CHECK(strcmp(csv->format, "csv") == 0 && csv->feed);
    CHECK(m->sync_state == MODEL_SYNC_OK); /* the feed's server answers: not offline */
    CHECK(strcmp(m->last_sync_msg, "city-csv: failed (HTTP 500)") == 0);
    CHECK(feed_find(m->feed, "s2-c"));
    model_set_source_sync(m, 0, false, 402, "failed (timeout after 30 s)");
    CHECK(m->sync_state == MODEL_SYNC_FAILED); /* none answers */
    model_set_source_sync(m, 2, true, 500, "200");
    CHECK(m->sync_state == MODEL_SYNC_OK);
    model_free(m);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(a_new_model_is_empty_and_never_synced);
    RUN(setting_a_feed_bumps_the_generation_and_keeps_on_null);
    RUN(ticks_in_the_same_minute_change_nothing);
    RUN(an_announcement_ending_changes_what_is_shown);
    RUN(a_direct_announcement_shows_at_the_next_tick);
    RUN(a_changed_translation_alone_changes_what_is_shown);
    RUN(the_announcements_document_wins_over_the_feed);
    RUN(the_clock_becomes_synced_when_it_is_plausible);
    RUN(a_sync_result_is_recorded);
    RUN(several_sources_show_as_one_feed);
    TEST_MAIN_END();
}
