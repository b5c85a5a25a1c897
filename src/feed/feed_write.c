/* feed_write: a feed as a feed v1 document again (feed_write.h).
 *
 * `kiosk-feed build` reads a city's CSV and calendars with the kiosk's own readers and
 * publishes the result as one feed for many kiosks. Writing from the validated struct feed,
 * never from the readers' trees, means the output holds only what a kiosk would keep; and
 * every member is written in one fixed order, so the same input gives the same bytes. */
#include "feed/feed_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/timeutil.h"

static bool add_text(cJSON *obj, const char *name, const struct feed_text *t)
{
    cJSON *o;

    if (!t->ja) {
        return true;
    }
    o = cJSON_AddObjectToObject(obj, name);
    return o && cJSON_AddStringToObject(o, "ja", t->ja) &&
           (!t->en || cJSON_AddStringToObject(o, "en", t->en)) &&
           (!t->zh_hans || cJSON_AddStringToObject(o, "zh-Hans", t->zh_hans)) &&
           (!t->ko || cJSON_AddStringToObject(o, "ko", t->ko)) &&
           (!t->ja_easy || cJSON_AddStringToObject(o, "ja-easy", t->ja_easy));
}

static bool add_time(cJSON *obj, const char *name, int64_t t)
{
    char buf[40];
    timeutil_format_iso8601(t, buf, sizeof buf);
    return cJSON_AddStringToObject(obj, name, buf);
}

/* An all-day start as its date; an all-day end (stored exclusive) as its last day. */
static bool add_date(cJSON *obj, const char *name, int64_t t, bool is_end)
{
    struct time_parts tp;
    char buf[16];

    timeutil_local(is_end ? t - 1 : t, &tp);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", tp.year % 10000, tp.month % 100, tp.day % 100);
    return cJSON_AddStringToObject(obj, name, buf);
}

static bool add_span(cJSON *obj, bool all_day, int64_t start, int64_t end, bool with_end)
{
    bool ok = all_day ? add_date(obj, "start", start, false) : add_time(obj, "start", start);
    if (ok && with_end) {
        ok = all_day ? add_date(obj, "end", end, true) : add_time(obj, "end", end);
    }
    return ok;
}

static bool add_ids(cJSON *obj, const char *name, const char *const *ids, size_t n)
{
    cJSON *arr;

    if (n == 0) {
        return true;
    }
    arr = cJSON_AddArrayToObject(obj, name);
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *s = cJSON_CreateString(ids[i]);
        if (!s || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            return false;
        }
    }
    return arr;
}

static bool add_dates(cJSON *obj, const struct feed_item *it)
{
    cJSON *arr;

    if (it->n_dates == 0) {
        return true;
    }
    arr = cJSON_AddArrayToObject(obj, "dates");
    for (size_t i = 0; arr && i < it->n_dates; i++) {
        const struct feed_date *d = &it->dates[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            return false;
        }
        if (!add_span(o, d->all_day, d->start, d->end, true) ||
            (d->changed && !cJSON_AddTrueToObject(o, "changed"))) {
            return false;
        }
    }
    return arr;
}

static cJSON *item_json(const struct feed_item *it)
{
    cJSON *o = cJSON_CreateObject();
    bool ev = it->kind == FEED_KIND_EVENT;
    bool ok = o && cJSON_AddStringToObject(o, "id", it->id);

    ok = ok && add_text(o, "title", &it->title) && add_text(o, "summary", &it->summary) &&
         add_text(o, "description", &it->description) && add_text(o, "place", &it->place) &&
         add_text(o, "address", &it->address) &&
         add_text(o, ev ? "organizer" : "organization", &it->organizer) &&
         add_text(o, "schedule", &it->schedule) && add_text(o, "wanted", &it->wanted) &&
         add_text(o, "fee", &it->fee) && add_text(o, "contact", &it->contact) &&
         add_text(o, "time_note", &it->time_note);
    /* an event's end is written only when the source gave one: without it the kiosk keeps
     * the event all of its start day, as it did when reading the source */
    if (ok && it->has_start) {
        ok = add_span(o, it->all_day, it->start, it->end, it->has_end);
    } else if (ok && it->has_end) {
        ok = add_time(o, "end", it->end);
    }
    ok = ok && add_dates(o, it);
    ok = ok && (!it->has_deadline || add_time(o, "deadline", it->deadline));
    ok = ok && (it->capacity < 0 || cJSON_AddNumberToObject(o, "capacity", it->capacity));
    ok = ok && (!it->signup_url || cJSON_AddStringToObject(o, "signup_url", it->signup_url));
    ok = ok && (!it->featured || cJSON_AddTrueToObject(o, "featured"));
    ok = ok && add_ids(o, "categories", it->categories, it->n_categories);
    ok = ok && add_ids(o, "audience", it->audiences, it->n_audiences);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static bool add_labels(cJSON *root, const char *name, size_t n,
                       const struct feed_label *(*at)(const struct feed *, size_t),
                       const struct feed *f)
{
    cJSON *arr = cJSON_AddArrayToObject(root, name);
    for (size_t i = 0; arr && i < n; i++) {
        const struct feed_label *l = at(f, i);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            return false;
        }
        if (!cJSON_AddStringToObject(o, "id", l->id) || !add_text(o, "label", &l->label)) {
            return false;
        }
    }
    return arr;
}

static const char *level_name(enum ann_level l)
{
    return l == ANN_LEVEL_EMERGENCY   ? "emergency"
           : l == ANN_LEVEL_IMPORTANT ? "important"
                                      : "normal";
}

static bool add_announcements(cJSON *root, const struct feed *f)
{
    cJSON *arr = cJSON_AddArrayToObject(root, "announcements");
    for (size_t i = 0; arr && i < feed_announcement_count(f); i++) {
        const struct feed_announcement *a = feed_announcement_at(f, i);
        cJSON *o = cJSON_CreateObject();
        bool ok = o && cJSON_AddItemToArray(arr, o);
        if (!ok) {
            cJSON_Delete(o);
            return false;
        }
        ok = cJSON_AddStringToObject(o, "id", a->id) && add_text(o, "text", &a->text) &&
             cJSON_AddStringToObject(o, "level", level_name(a->level)) &&
             add_time(o, "starts_at", a->starts_at);
        if (ok && a->until_cleared) {
            ok = cJSON_AddTrueToObject(o, "until_cleared");
        } else if (ok) {
            ok = add_time(o, "ends_at", a->ends_at);
        }
        ok = ok && add_ids(o, "targets", a->targets, a->n_targets);
        if (!ok) {
            return false;
        }
    }
    return arr;
}

char *feed_write_json(const struct feed *f)
{
    cJSON *root = cJSON_CreateObject();
    char *out = NULL;
    bool ok = root && cJSON_AddNumberToObject(root, "version", 1) &&
              add_time(root, "generated_at", feed_generated_at(f)) &&
              add_text(root, "publisher", feed_publisher(f)) &&
              add_labels(root, "categories", feed_category_count(f), feed_category_at, f) &&
              add_labels(root, "audiences", feed_audience_count(f), feed_audience_at, f);

    for (int k = 0; ok && k < 2; k++) {
        enum feed_kind kind = k == 0 ? FEED_KIND_EVENT : FEED_KIND_VOLUNTEER;
        cJSON *arr = cJSON_AddArrayToObject(root, k == 0 ? "events" : "volunteers");
        ok = arr;
        for (size_t i = 0; ok && i < feed_count(f, kind); i++) {
            cJSON *it = item_json(feed_item_at(f, kind, i));
            ok = it && cJSON_AddItemToArray(arr, it);
            if (!ok) {
                cJSON_Delete(it);
            }
        }
    }
    ok = ok && add_announcements(root, f);
    if (ok) {
        out = cJSON_Print(root);
    }
    cJSON_Delete(root);
    return out;
}
