/* test_safety_hold: what a kiosk holds between safety documents, acknowledgements that hold,
 * the seen entries, and the cache's announcements document across a restart. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed/model.h"
#include "feed/safety_hold.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define T0 INT64_C(1783042200) /* 2026-07-03T10:30:00+09:00 */

static void show(struct safety_update *u, const char *id, const char *text, int64_t starts,
                 int64_t ends)
{
    struct feed_announcement a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.text.ja = text;
    a.level = ANN_LEVEL_EMERGENCY;
    a.starts_at = starts;
    a.ends_at = ends;
    a.created_by = "jma";
    a.source = ANN_SOURCE_FEED;
    CHECK(ann_list_put(u->show, &a) == 0);
}

static void updates_are_played_and_a_repeat_changes_nothing(void)
{
    struct safety_hold *h = safety_hold_create();
    struct safety_update u;
    safety_update_init(&u);
    show(&u, "jma.quake.1", "震度6弱（東京都多摩東部）\n7月3日 10時07分 気象庁発表", T0, T0 + 3600);
    CHECK(safety_hold_apply(h, &u) == 1);
    CHECK(safety_hold_apply(h, &u) == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 1);
    safety_update_free(&u);

    safety_update_init(&u);
    CHECK(safety_update_add_clear(&u, "jma.quake.1") == 0);
    CHECK(safety_hold_apply(h, &u) == 1);
    CHECK(ann_list_count(safety_hold_list(h)) == 0);
    CHECK(safety_hold_apply(h, &u) == 0);
    safety_update_free(&u);
    safety_hold_free(h);
}

static void an_acknowledged_report_does_not_come_back_but_a_newer_one_does(void)
{
    struct safety_hold *h = safety_hold_create();
    struct safety_update u;
    safety_update_init(&u);
    show(&u, "jma.warn.1320300.x", "大雨特別警報（武蔵野市）", T0, T0 + 86400);
    CHECK(safety_hold_apply(h, &u) == 1);
    CHECK(safety_hold_ack(h, "jma.warn.1320300.x") == 0);
    CHECK(safety_hold_ack(h, "jma.warn.1320300.x") == -ENOENT);
    CHECK(ann_list_count(safety_hold_list(h)) == 0);
    /* the same report polled again (a cache reload, a repeated entry) stays down */
    CHECK(safety_hold_apply(h, &u) == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 0);
    safety_update_free(&u);

    safety_update_init(&u);
    show(&u, "jma.warn.1320300.x", "大雨特別警報（武蔵野市）", T0 + 600, T0 + 86400);
    CHECK(safety_hold_apply(h, &u) == 1);
    CHECK(ann_list_count(safety_hold_list(h)) == 1);
    safety_update_free(&u);
    safety_hold_free(h);
}

static void ended_announcements_are_pruned(void)
{
    struct safety_hold *h = safety_hold_create();
    struct safety_update u;
    safety_update_init(&u);
    show(&u, "a", "一", T0, T0 + 60);
    show(&u, "b", "二", T0, T0 + 600);
    safety_hold_apply(h, &u);
    safety_update_free(&u);
    CHECK(!safety_hold_prune(h, T0 + 59));
    CHECK(safety_hold_prune(h, T0 + 60));
    CHECK(ann_list_count(safety_hold_list(h)) == 1);
    CHECK(strcmp(ann_list_at(safety_hold_list(h), 0)->id, "b") == 0);
    safety_hold_free(h);
}

static void seen_entries_are_remembered_up_to_the_limit(void)
{
    struct safety_hold *h = safety_hold_create();
    char id[32];
    CHECK(!safety_hold_seen(h, "urn:uuid:0"));
    for (int i = 0; i <= SAFETY_SEEN_MAX; i++) {
        snprintf(id, sizeof id, "urn:uuid:%d", i);
        CHECK(safety_hold_mark_seen(h, id) == 0);
    }
    /* the oldest is forgotten first */
    CHECK(!safety_hold_seen(h, "urn:uuid:0"));
    CHECK(safety_hold_seen(h, "urn:uuid:1"));
    snprintf(id, sizeof id, "urn:uuid:%d", SAFETY_SEEN_MAX);
    CHECK(safety_hold_seen(h, id));
    safety_hold_free(h);
}

static void the_cache_document_restores_what_has_not_ended(void)
{
    struct safety_hold *h = safety_hold_create();
    struct safety_hold *back = safety_hold_create();
    struct safety_update u;
    char err[160];
    safety_update_init(&u);
    show(&u, "jma.quake.1", "【訓練】震度6弱（東京都多摩東部）\n7月3日 10時07分 気象庁発表", T0,
         T0 + 3600);
    show(&u, "cap.0123456789abcdef", "避難指示（武蔵野市）", T0, T0 + 60);
    safety_hold_apply(h, &u);
    safety_update_free(&u);

    char *json = safety_hold_to_json(h, T0);
    CHECK(json);
    /* the model reads the same bytes as an announcements document */
    struct feed *f = feed_parse_announcements(json, strlen(json), NULL, err, sizeof err);
    CHECK(f && feed_announcement_count(f) == 2);
    feed_free(f);

    /* a restart after one has ended: only the other comes back */
    CHECK(safety_hold_load_json(back, json, strlen(json), T0 + 120) == 0);
    CHECK(ann_list_count(safety_hold_list(back)) == 1);
    const struct feed_announcement *a = ann_list_at(safety_hold_list(back), 0);
    CHECK(strcmp(a->id, "jma.quake.1") == 0 && strstr(a->text.ja, "\n7月3日"));
    CHECK(a->level == ANN_LEVEL_EMERGENCY && a->ends_at == T0 + 3600);
    CHECK(safety_hold_load_json(back, "{", 1, T0) == -EINVAL);
    CHECK(ann_list_count(safety_hold_list(back)) == 1);
    free(json);
    safety_hold_free(h);
    safety_hold_free(back);
}

static void the_model_shows_the_held_list_until_it_ends(void)
{
    struct safety_hold *h = safety_hold_create();
    struct model *m = model_create("musashino-place/lobby");
    struct safety_update u;
    char err[160];
    safety_update_init(&u);
    show(&u, "jma.quake.1", "震度6弱（東京都多摩東部）", T0, T0 + 3600);
    safety_hold_apply(h, &u);
    safety_update_free(&u);

    char *json = safety_hold_to_json(h, T0);
    model_tick(m, T0);
    model_set_safety_doc(m, feed_parse_announcements(json, strlen(json), NULL, err, sizeof err));
    free(json);
    CHECK(ann_list_count(m->active) == 1 && ann_list_has_emergency(m->active));

    /* a staff emergency, older than the quake, is shown first all the same */
    struct feed_announcement staff;
    memset(&staff, 0, sizeof staff);
    staff.id = "fire-drill-3f";
    staff.text.ja = "3階で火災が発生しました。係員の指示に従ってください。";
    staff.level = ANN_LEVEL_EMERGENCY;
    staff.starts_at = T0 - 600;
    staff.until_cleared = true;
    staff.source = ANN_SOURCE_DIRECT;
    struct ann_list *direct = ann_list_create();
    CHECK(ann_list_put(direct, &staff) == 0);
    model_set_direct(m, direct);
    CHECK(ann_list_count(m->active) == 2);
    CHECK(strcmp(ann_list_at(m->active, 0)->id, "fire-drill-3f") == 0);
    model_set_direct(m, ann_list_create());

    /* the quake's end takes it off the screen at the next tick */
    CHECK(model_tick(m, T0 + 3600));
    CHECK(ann_list_count(m->active) == 0);

    /* an empty hold clears it */
    safety_hold_prune(h, T0 + 3600);
    json = safety_hold_to_json(h, T0 + 3600);
    model_set_safety_doc(m, feed_parse_announcements(json, strlen(json), NULL, err, sizeof err));
    free(json);
    CHECK(m->safety_doc && feed_announcement_count(m->safety_doc) == 0);
    model_free(m);
    safety_hold_free(h);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(updates_are_played_and_a_repeat_changes_nothing);
    RUN(an_acknowledged_report_does_not_come_back_but_a_newer_one_does);
    RUN(ended_announcements_are_pruned);
    RUN(seen_entries_are_remembered_up_to_the_limit);
    RUN(the_cache_document_restores_what_has_not_ended);
    RUN(the_model_shows_the_held_list_until_it_ends);
    TEST_MAIN_END();
}
