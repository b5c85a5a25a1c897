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

#include "feed/kinds.h"
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

static bool rules_json(cJSON *o, const struct feed_hours *h, size_t n);

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
    ok = ok && (!it->title_ruby || cJSON_AddStringToObject(o, "title_ruby", it->title_ruby));
    /* an event's end is written only when the source gave one: without it the kiosk keeps
     * the event all of its start day, as it did when reading the source */
    if (ok && it->has_start) {
        ok = add_span(o, it->all_day, it->start, it->end, it->has_end);
    } else if (ok && it->has_end) {
        ok = add_time(o, "end", it->end);
    }
    ok = ok && add_dates(o, it) && rules_json(o, it->hours, it->n_hours);
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

/* ---- the optional kinds (kinds.h): written only when the feed has some, so a feed
 * without them is written as before ---- */

static bool add_link(cJSON *o, const char *name, const struct feed_link *l)
{
    return !l->url || cJSON_AddStringToObject(o, name, l->url);
}

static bool add_hhmm(cJSON *o, const char *name, int minutes)
{
    char buf[8];
    snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
    return cJSON_AddStringToObject(o, name, buf);
}

static bool add_day(cJSON *o, const char *name, int64_t day)
{
    int64_t y;
    int m, d;
    char buf[16];

    timeutil_civil_from_days(day, &y, &m, &d);
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", (int)(y % 10000), m % 100, d % 100);
    return cJSON_AddStringToObject(o, name, buf);
}

/* A new object appended to arr, or NULL. */
static cJSON *push_object(cJSON *arr)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static bool grant_json(cJSON *o, const struct feed_grant *g)
{
    return add_text(o, "title", &g->title) && add_text(o, "provider", &g->provider) &&
           add_text(o, "amount", &g->amount) && add_text(o, "eligibility", &g->eligibility) &&
           add_text(o, "summary", &g->summary) && add_text(o, "contact", &g->contact) &&
           (!g->has_opens || add_time(o, "opens", g->opens)) &&
           add_time(o, "deadline", g->deadline) && add_link(o, "url", &g->url);
}

static bool rules_json(cJSON *o, const struct feed_hours *h, size_t n)
{
    static const char *const DAYS[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    cJSON *arr = n ? cJSON_AddArrayToObject(o, "hours") : NULL;
    bool ok = !n || arr;

    for (size_t i = 0; ok && i < n; i++) {
        cJSON *r = push_object(arr);
        cJSON *days = r ? cJSON_AddArrayToObject(r, "days") : NULL;
        ok = days && add_hhmm(r, "open", h[i].open) && add_hhmm(r, "close", h[i].close);
        for (int w = 0; ok && w < 7; w++) {
            cJSON *s = h[i].days & (1u << w) ? cJSON_CreateString(DAYS[w]) : NULL;
            ok = !(h[i].days & (1u << w)) || (s && cJSON_AddItemToArray(days, s));
        }
    }
    return ok;
}

static bool hours_json(cJSON *o, const struct feed_desk *d)
{
    cJSON *arr;
    bool ok = rules_json(o, d->hours, d->n_hours);

    arr = ok && d->n_exceptions ? cJSON_AddArrayToObject(o, "exceptions") : NULL;
    ok = ok && (!d->n_exceptions || arr);
    for (size_t i = 0; ok && i < d->n_exceptions; i++) {
        const struct feed_hours_exception *x = &d->exceptions[i];
        cJSON *e = push_object(arr);
        ok = e && add_day(e, "date", x->from_day) &&
             (x->to_day == x->from_day || add_day(e, "until", x->to_day)) &&
             (x->closed ? !!cJSON_AddTrueToObject(e, "closed")
                        : add_hhmm(e, "open", x->open) && add_hhmm(e, "close", x->close)) &&
             add_text(e, "note", &x->note);
    }
    return ok;
}

static bool desk_json(cJSON *o, const struct feed_desk *d)
{
    return add_text(o, "name", &d->name) && add_text(o, "helps", &d->helps) &&
           add_text(o, "place", &d->place) && add_text(o, "note", &d->note) &&
           (!d->phone || cJSON_AddStringToObject(o, "phone", d->phone)) &&
           (!d->booking_required || cJSON_AddTrueToObject(o, "booking_required")) &&
           hours_json(o, d) && add_link(o, "url", &d->url);
}

static bool room_json(cJSON *o, const struct feed_room *r)
{
    cJSON *arr;
    bool ok = add_text(o, "facility", &r->facility) && add_text(o, "name", &r->name) &&
              add_text(o, "equipment", &r->equipment) && add_text(o, "fee", &r->fee) &&
              add_text(o, "note", &r->note) &&
              (r->capacity < 0 || cJSON_AddNumberToObject(o, "capacity", r->capacity)) &&
              add_link(o, "booking_url", &r->booking);

    if (!ok || r->n_slots == 0) {
        return ok;
    }
    arr = cJSON_AddArrayToObject(o, "slots");
    for (size_t i = 0; ok && i < r->n_slots; i++) {
        cJSON *s = arr ? push_object(arr) : NULL;
        ok = s && add_time(s, "start", r->slots[i].start) && add_time(s, "end", r->slots[i].end) &&
             cJSON_AddStringToObject(s, "state", r->slots[i].free ? "free" : "booked");
    }
    return ok;
}

static bool group_json(cJSON *o, const struct feed_group *g)
{
    return add_text(o, "name", &g->name) && add_text(o, "summary", &g->summary) &&
           add_text(o, "activity", &g->activity) && add_text(o, "place", &g->place) &&
           add_text(o, "contact", &g->contact) &&
           (!g->recruiting || cJSON_AddTrueToObject(o, "recruiting")) &&
           add_ids(o, "categories", g->categories, g->n_categories) && add_link(o, "url", &g->url);
}

static bool extra_json(cJSON *o, const struct feed *f, enum feed_extra_kind kind, size_t i)
{
    switch (kind) {
    case FEED_EXTRA_GRANT:
        return cJSON_AddStringToObject(o, "id", feed_grant_at(f, i)->id) &&
               grant_json(o, feed_grant_at(f, i));
    case FEED_EXTRA_DESK:
        return cJSON_AddStringToObject(o, "id", feed_desk_at(f, i)->id) &&
               desk_json(o, feed_desk_at(f, i));
    case FEED_EXTRA_ROOM:
        return cJSON_AddStringToObject(o, "id", feed_room_at(f, i)->id) &&
               room_json(o, feed_room_at(f, i));
    default:
        return cJSON_AddStringToObject(o, "id", feed_group_at(f, i)->id) &&
               group_json(o, feed_group_at(f, i));
    }
}

static bool add_extras(cJSON *root, const struct feed *f)
{
    for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
        size_t n = feed_extra_count(f, (enum feed_extra_kind)k);
        cJSON *arr =
            n ? cJSON_AddArrayToObject(root, feed_extra_member((enum feed_extra_kind)k)) : NULL;
        if (n && !arr) {
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            cJSON *o = push_object(arr);
            if (!o || !extra_json(o, f, (enum feed_extra_kind)k, i)) {
                return false;
            }
        }
    }
    return true;
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
    ok = ok && add_extras(root, f) && add_announcements(root, f);
    if (ok) {
        out = cJSON_Print(root);
    }
    cJSON_Delete(root);
    return out;
}
