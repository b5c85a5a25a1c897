/* model: everything the screen shows, in one place the UI reads.
 *
 * The model owns the current feed, the announcements document and the direct announcements,
 * and derives the merged `active` list from them at the last tick's time. The generation
 * counter is the UI's only cue to redraw: it moves when content is swapped, when a sync
 * result is recorded, when the active announcements differ, when the clock becomes (or
 * stops being) plausible and when the minute changes (the clock on screen, and listings
 * that end). The active list is replaced only when it differs, so pointers into it stay
 * valid across ticks that change nothing. Main thread only. */
#include "feed/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_select.h"
#include "feed/import.h"
#include "util/log.h"

struct model *model_create(const char *target)
{
    struct model *m = calloc(1, sizeof *m);

    if (!m) {
        return NULL;
    }
    m->direct = ann_list_create();
    m->active = ann_list_create();
    if (!m->direct || !m->active) {
        model_free(m);
        return NULL;
    }
    m->target = target;
    m->sync_state = MODEL_SYNC_NEVER;
    return m;
}

void model_free(struct model *m)
{
    if (!m) {
        return;
    }
    if (m->feed_merged) {
        feed_free(m->feed);
    }
    for (size_t i = 0; i < MODEL_MAX_SOURCES; i++) {
        feed_free(m->sources[i].feed);
    }
    feed_free(m->ann_doc);
    feed_free(m->safety_doc);
    ann_list_free(m->direct);
    ann_list_free(m->active);
    free(m);
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

static bool ann_equal(const struct feed_announcement *a, const struct feed_announcement *b)
{
    if (a->level != b->level || a->starts_at != b->starts_at || a->ends_at != b->ends_at ||
        a->until_cleared != b->until_cleared || a->source != b->source ||
        a->n_targets != b->n_targets) {
        return false;
    }
    if (!str_eq(a->id, b->id) || !ann_text_equal(&a->text, &b->text) ||
        !str_eq(a->created_by, b->created_by)) {
        return false;
    }
    for (size_t i = 0; i < a->n_targets; i++) {
        if (!str_eq(a->targets[i], b->targets[i])) {
            return false;
        }
    }
    return true;
}

static bool lists_equal(const struct ann_list *a, const struct ann_list *b)
{
    size_t n = ann_list_count(a);

    if (n != ann_list_count(b)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!ann_equal(ann_list_at(a, i), ann_list_at(b, i))) {
            return false;
        }
    }
    return true;
}

/* Recomputes `active` at `now`; true when it changed. On allocation failure the old list
 * stays: showing a slightly stale announcement beats showing none. */
static bool rederive(struct model *m, int64_t now)
{
    const struct feed *docs[3] = {m->feed, m->ann_doc, m->safety_doc};
    struct ann_list *l = ann_merge(docs, 3, m->direct, m->target, now);

    if (!l) {
        return false;
    }
    if (lists_equal(l, m->active)) {
        ann_list_free(l);
        return false;
    }
    ann_list_free(m->active);
    m->active = l;
    return true;
}

/* Points m->feed at what the sources hold now: the one feed there is, or their merge. Then
 * frees `replaced`, a source's previous feed that m->feed may still have pointed at. */
static void remerge(struct model *m, struct feed *replaced, struct feed *fresh)
{
    struct feed_part parts[MODEL_MAX_SOURCES];
    struct feed *next = NULL;
    bool merged = false;
    size_t n = 0;

    for (size_t i = 0; i < MODEL_MAX_SOURCES; i++) {
        if (m->sources[i].feed) {
            parts[n].feed = m->sources[i].feed;
            parts[n].name = m->sources[i].name[0] ? m->sources[i].name : "feed";
            n++;
        }
    }
    if (n == 1) {
        next = (struct feed *)parts[0].feed;
    } else if (n > 1) {
        next = feed_merge(parts, n);
        merged = next;
        if (!next) {
            /* out of memory: the newest source alone beats a screen of freed memory */
            LOG_ERROR("model", "cannot merge %zu sources (out of memory): showing one", n);
            next = fresh ? fresh : (struct feed *)parts[0].feed;
        }
    }
    if (m->feed_merged) {
        feed_free(m->feed);
    }
    m->feed = next;
    m->feed_merged = merged;
    feed_free(replaced);
}

void model_set_source_name(struct model *m, size_t slot, const char *name)
{
    if (slot >= MODEL_MAX_SOURCES) {
        return;
    }
    m->sources[slot].used = true;
    snprintf(m->sources[slot].name, sizeof m->sources[slot].name, "%s", name ? name : "");
}

void model_set_source_feed(struct model *m, size_t slot, struct feed *f, int64_t fetched_at,
                           const char *format)
{
    struct model_source *src;
    struct feed *replaced = NULL;

    if (slot >= MODEL_MAX_SOURCES) {
        feed_free(f);
        return;
    }
    src = &m->sources[slot];
    if (!src->used) {
        model_set_source_name(m, slot, slot == 0 ? "feed" : NULL);
    }
    if (f) {
        replaced = src->feed;
        src->feed = f;
        if (format && format[0]) {
            snprintf(src->format, sizeof src->format, "%s", format);
        }
        remerge(m, replaced, f);
    }
    if (fetched_at > 0) {
        src->fetched_at = fetched_at;
        /* 最終更新 says when the kiosk last heard from its servers: the newest source */
        if (fetched_at > m->content_fetched_at) {
            m->content_fetched_at = fetched_at;
        }
    }
    rederive(m, m->now);
    m->clock_synced = feed_clock_plausible(m->feed, m->now);
    m->generation++;
}

void model_set_feed(struct model *m, struct feed *f, int64_t fetched_at)
{
    model_set_source_feed(m, 0, f, fetched_at, NULL);
}

void model_set_source_fail_class(struct model *m, size_t slot, const char *cls)
{
    if (slot < MODEL_MAX_SOURCES) {
        snprintf(m->sources[slot].fail_class, sizeof m->sources[slot].fail_class, "%s",
                 cls ? cls : "");
    }
}

void model_set_source_sync(struct model *m, size_t slot, bool ok, int64_t at, const char *msg)
{
    struct model_source *src;
    bool failing;
    char line[sizeof m->last_sync_msg];
    size_t used = 0;

    if (slot >= MODEL_MAX_SOURCES) {
        return;
    }
    src = &m->sources[slot];
    src->used = true;
    if (ok) {
        src->last_ok_at = at;
    } else {
        src->last_error_at = at;
        snprintf(src->last_error, sizeof src->last_error, "%s", msg ? msg : "");
    }
    /* the screen's 通信できません means the kiosk hears from none of its servers; one source
     * failing among working ones is for the staff's status, not for visitors */
    failing = true;
    for (size_t i = 0; i < MODEL_MAX_SOURCES; i++) {
        const struct model_source *o = &m->sources[i];
        used += o->used;
        failing = failing && (!o->used || o->last_error_at > o->last_ok_at);
    }
    if (used > 1 && !(msg && src->name[0] && strncmp(msg, src->name, strlen(src->name)) == 0)) {
        /* the sync names the sources after the first in its own message already */
        snprintf(line, sizeof line, "%s: %s", src->name[0] ? src->name : "?", msg ? msg : "");
    } else {
        snprintf(line, sizeof line, "%s", msg ? msg : "");
    }
    model_set_sync(m, !failing, at, line);
}

void model_set_ann_doc(struct model *m, struct feed *doc)
{
    if (doc) {
        feed_free(m->ann_doc);
        m->ann_doc = doc;
    }
    rederive(m, m->now);
    m->generation++;
}

void model_set_safety_doc(struct model *m, struct feed *doc)
{
    if (doc) {
        feed_free(m->safety_doc);
        m->safety_doc = doc;
    }
    rederive(m, m->now);
    m->generation++;
}

void model_set_direct(struct model *m, struct ann_list *direct)
{
    if (direct) {
        ann_list_free(m->direct);
        m->direct = direct;
    }
    rederive(m, m->now);
    m->generation++;
}

void model_set_sync(struct model *m, bool ok, int64_t at, const char *msg)
{
    m->sync_state = ok ? MODEL_SYNC_OK : MODEL_SYNC_FAILED;
    m->last_sync_at = at;
    snprintf(m->last_sync_msg, sizeof m->last_sync_msg, "%s", msg ? msg : "");
    m->generation++;
}

static int64_t minute_of(int64_t t)
{
    return t >= 0 ? t / 60 : -((-t + 59) / 60);
}

bool model_tick(struct model *m, int64_t now)
{
    bool changed = rederive(m, now);
    bool synced = feed_clock_plausible(m->feed, now);

    if (synced != m->clock_synced || minute_of(now) != minute_of(m->now)) {
        changed = true;
    }
    m->now = now;
    m->clock_synced = synced;
    if (changed) {
        m->generation++;
    }
    return changed;
}

struct ann_list *model_feed_announcements(const struct model *m)
{
    const struct feed *docs[3] = {m->feed, m->ann_doc, m->safety_doc};
    return ann_collect(docs, 3);
}
