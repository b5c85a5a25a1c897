/* feed: turns untrusted bytes into the immutable struct feed.
 *
 * Two levels of judgement. The document as a whole must be strict JSON (jsonstrict.c), an
 * object of version 1 with events and volunteers arrays, and within the size limit: if
 * not, feed_parse() returns NULL with a one-line reason and the caller keeps its last good
 * feed. Below that every item stands alone: one with a missing title, a bad date or an
 * http signup URL is dropped, logged once and recorded as a struct feed_drop, and the rest
 * is used. Everything the feed points to lives in one arena, so feed_free() frees it all
 * and nothing is written after feed_parse() returns: the network thread builds a feed and
 * hands it over, the UI thread only reads. */
#include "feed/feed.h"

#include <math.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed_internal.h"
#include "util/jsonstrict.h"
#include "util/log.h"
#include "util/ruby.h"
#include "util/timeutil.h"
#include "util/url.h"
#include "util/utf8.h"

/* Parse-time state; gone when feed_parse returns. */
struct builder {
    struct feed *f;
    struct feed_limits lim;
    struct fv_ctx fv;
    bool strings_clean; /* jsonstrict saw no bad UTF-8 and no \u0000 anywhere */
    bool oom;
};

void feed_limits_default(struct feed_limits *lim)
{
    lim->max_bytes = FEED_MAX_BYTES_DEFAULT;
    lim->max_items = FEED_MAX_ITEMS_DEFAULT;
    lim->max_string = FEED_MAX_STRING_DEFAULT;
    lim->allow_http = false;
    lim->qr_max_url = 0;
}

static void *arena_cb(void *actx, size_t n, size_t align)
{
    return arena_alloc(actx, n, align);
}

static void *balloc(struct builder *b, size_t n, size_t align)
{
    void *p = arena_alloc(&b->f->arena, n, align);
    if (!p) {
        b->oom = true;
    }
    return p;
}

static char *bstrdup(struct builder *b, const char *s)
{
    size_t n = strlen(s);
    char *p = balloc(b, n + 1, 1);
    if (p) {
        memcpy(p, s, n + 1);
    }
    return p;
}

int feed_add_drop(struct feed *f, const char *kind, const char *id, const char *reason)
{
    struct feed_drop *d;
    size_t n = strlen(reason);
    char *r = arena_alloc(&f->arena, n + 1, 1);
    size_t idn = strlen(id);
    char *idc = arena_alloc(&f->arena, idn + 1, 1);
    size_t kn = strlen(kind);
    char *kc = arena_alloc(&f->arena, kn + 1, 1);

    if (!r || !idc || !kc) {
        return -1;
    }
    memcpy(kc, kind, kn + 1);
    /* one line, whole characters: a reason may quote a member name from the feed */
    utf8_sanitize_buf(reason, n, r, n, false);
    memcpy(idc, id, idn + 1);
    LOG_WARN("feed", "dropped %s %s: %s", kc, idc, r);
    if (f->n_drops == f->cap_drops) {
        size_t cap = f->cap_drops ? f->cap_drops * 2 : 16;
        struct feed_drop *nd = realloc(f->drops, cap * sizeof *nd);
        if (!nd) {
            return -1;
        }
        f->drops = nd;
        f->cap_drops = cap;
    }
    d = &f->drops[f->n_drops++];
    d->kind = kc;
    d->id = idc;
    d->reason = r;
    return 0;
}

static void add_drop(struct builder *b, const char *kind, const char *id, const char *reason)
{
    if (feed_add_drop(b->f, kind, id, reason) != 0) {
        b->oom = true;
    }
}

const char *feed_drop_id(const cJSON *obj)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
    if (cJSON_IsString(id) && !json_strict_string_problem(id->valuestring) &&
        fv_id_printable(id->valuestring)) {
        return id->valuestring;
    }
    return "?";
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

bool feed_idset_init(struct arena *a, struct feed_idset *s, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2) {
        cap *= 2;
    }
    s->slots = arena_alloc(a, cap * sizeof *s->slots, alignof(const char *));
    if (!s->slots) {
        return false;
    }
    memset(s->slots, 0, cap * sizeof *s->slots);
    s->mask = cap - 1;
    return true;
}

bool feed_idset_add(struct feed_idset *s, const char *id)
{
    size_t i = (size_t)hash_str(id) & s->mask;
    while (s->slots[i]) {
        if (strcmp(s->slots[i], id) == 0) {
            return false;
        }
        i = (i + 1) & s->mask;
    }
    s->slots[i] = id;
    return true;
}

/* ---- labels (categories, audiences) ---- */

static int parse_labels(struct builder *b, const cJSON *root, const char *field,
                        struct feed_label **out, size_t *n_out, char *err, size_t errlen)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, field);
    const cJSON *el;
    size_t n = 0, idx = 0;
    struct feed_label *labels;

    *out = NULL;
    *n_out = 0;
    if (!arr || cJSON_IsNull(arr)) {
        return 0;
    }
    if (!cJSON_IsArray(arr)) {
        snprintf(err, errlen, "field '%s': not an array", field);
        return -1;
    }
    n = (size_t)cJSON_GetArraySize(arr);
    if (n > FEED_MAX_LABELS) {
        n = FEED_MAX_LABELS;
    }
    labels = balloc(b, (n ? n : 1) * sizeof *labels, alignof(struct feed_label));
    if (!labels) {
        return -1;
    }
    cJSON_ArrayForEach(el, arr)
    {
        char why[256];
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(el, "id");
        struct feed_label *l = &labels[*n_out];
        bool dup = false;

        idx++;
        if (*n_out == n) {
            LOG_WARN("feed", "%s: more than %u entries; the rest are ignored", field,
                     FEED_MAX_LABELS);
            break;
        }
        if (!cJSON_IsObject(el)) {
            LOG_WARN("feed", "%s[%zu] ignored: not an object", field, idx - 1);
            continue;
        }
        if (!fv_strings_ok(el, why, sizeof why)) {
            goto bad;
        }
        if (!cJSON_IsString(id) || !fv_id_printable(id->valuestring)) {
            snprintf(why, sizeof why, "field 'id': missing or not a printable string");
            goto bad;
        }
        for (size_t i = 0; i < *n_out; i++) {
            dup = dup || strcmp(labels[i].id, id->valuestring) == 0;
        }
        if (dup) {
            snprintf(why, sizeof why, "duplicate id '%s'", id->valuestring);
            goto bad;
        }
        if (fv_text_tr(el, "label", true, false, &b->fv, &l->label, why, sizeof why) != 0) {
            goto bad;
        }
        l->id = bstrdup(b, id->valuestring);
        if (!l->id) {
            return -1;
        }
        (*n_out)++;
        continue;
    bad:
        LOG_WARN("feed", "%s[%zu] ignored: %s", field, idx - 1, why);
    }
    *out = labels;
    return 0;
}

/* ---- items ---- */

static int item_text(struct builder *b, const cJSON *obj, const char *field, bool required,
                     bool keep_nl, struct feed_text *out, char *why, size_t whylen)
{
    return fv_text_tr(obj, field, required, keep_nl, &b->fv, out, why, whylen);
}

/* "title_ruby": the title with readings (`{漢字|かんじ}`, util/ruby.h), kept only when its
 * text without the readings is the title itself, so a stale one never shows another title;
 * otherwise the field alone is ignored, with a log line. */
static int item_title_ruby(struct builder *b, const cJSON *obj, struct feed_item *it)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "title_ruby");
    if (!v || cJSON_IsNull(v)) {
        return 0;
    }
    if (!cJSON_IsString(v)) {
        LOG_WARN("feed", "%s: title_ruby ignored: not a string", it->id);
        return 0;
    }
    struct ruby_text *rt = ruby_parse(v->valuestring, strlen(v->valuestring));
    if (!rt) {
        return -2;
    }
    bool same = rt->n_spans > 0 && it->title.ja && strcmp(rt->base, it->title.ja) == 0;
    ruby_free(rt);
    if (!same) {
        LOG_WARN("feed", "%s: title_ruby ignored: without its readings it is not the title",
                 it->id);
        return 0;
    }
    it->title_ruby = bstrdup(b, v->valuestring);
    return it->title_ruby ? 0 : -2;
}

/* ---- a series: the optional "dates" array ---- */

/* A year of daily dates; a longer series is a feed mistake, not a listing. */

static int cmp_dates(const void *pa, const void *pb)
{
    const struct feed_date *a = pa;
    const struct feed_date *b = pb;

    if (a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    if (a->end != b->end) {
        return a->end < b->end ? -1 : 1;
    }
    return (int)a->all_day - (int)b->all_day;
}

/* Renames fv_time's "field 'start': ..." to "field 'dates[i].start': ..." so --check-feed
 * points at the entry. */
static void date_why(size_t i, const char *field, const char *inner, char *why, size_t whylen)
{
    char head[64];
    int n = snprintf(head, sizeof head, "field '%s'", field);

    if (n > 0 && strncmp(inner, head, (size_t)n) == 0) {
        snprintf(why, whylen, "field 'dates[%zu].%s'%s", i, field, inner + n);
    } else {
        snprintf(why, whylen, "dates[%zu]: %s", i, inner);
    }
}

/* One entry of "dates" by the rules of the item's own start and end: a date end is
 * inclusive (stored as the next midnight), no end means the end of the start day. */
static int parse_date(const cJSON *el, size_t i, struct feed_date *d, char *why, size_t whylen)
{
    char inner[256];
    bool present = false, date_only = false, end_date_only = false;
    const cJSON *v;

    memset(d, 0, sizeof *d);
    if (!cJSON_IsObject(el)) {
        snprintf(why, whylen, "field 'dates[%zu]': not an object", i);
        return -1;
    }
    if (fv_time(el, "start", true, false, &d->start, &present, &date_only, inner, sizeof inner)) {
        date_why(i, "start", inner, why, whylen);
        return -1;
    }
    d->all_day = date_only;
    if (fv_time(el, "end", false, false, &d->end, &present, &end_date_only, inner, sizeof inner)) {
        date_why(i, "end", inner, why, whylen);
        return -1;
    }
    if (present) {
        int64_t from = end_date_only ? timeutil_day_start(d->start) : d->start;
        if (d->end < from) {
            snprintf(why, whylen, "dates[%zu]: end before start", i);
            return -1;
        }
        if (end_date_only) {
            d->end = fv_next_day_start(d->end);
        }
    } else {
        d->end = fv_next_day_start(d->start);
    }
    v = cJSON_GetObjectItemCaseSensitive(el, "changed");
    if (v && !cJSON_IsNull(v)) {
        if (!cJSON_IsBool(v)) {
            snprintf(why, whylen, "field 'dates[%zu].changed': not true or false", i);
            return -1;
        }
        d->changed = cJSON_IsTrue(v);
    }
    return 0;
}

/* Reads "dates" into the arena, sorted by start, one entry per occurrence (the same start
 * and end twice is one date, changed if either says so). *n_out is 0 when the member is
 * absent, null or empty. 0, -1 (why filled) or -2 (out of memory). */
static int parse_dates(struct builder *b, const cJSON *obj, struct feed_date **out, size_t *n_out,
                       char *why, size_t whylen)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "dates");
    const cJSON *el;
    struct feed_date *d;
    size_t n, i = 0, kept = 0;

    *out = NULL;
    *n_out = 0;
    if (!arr || cJSON_IsNull(arr)) {
        return 0;
    }
    if (!cJSON_IsArray(arr)) {
        snprintf(why, whylen, "field 'dates': not an array");
        return -1;
    }
    n = (size_t)cJSON_GetArraySize(arr);
    if (n == 0) {
        return 0;
    }
    if (n > FEED_MAX_DATES) {
        snprintf(why, whylen, "field 'dates': %zu dates, more than %u", n, FEED_MAX_DATES);
        return -1;
    }
    d = balloc(b, n * sizeof *d, alignof(struct feed_date));
    if (!d) {
        return -2;
    }
    cJSON_ArrayForEach(el, arr)
    {
        if (parse_date(el, i, &d[i], why, whylen)) {
            return -1;
        }
        i++;
    }
    qsort(d, n, sizeof *d, cmp_dates);
    for (i = 0; i < n; i++) {
        if (kept > 0 && cmp_dates(&d[kept - 1], &d[i]) == 0) {
            d[kept - 1].changed = d[kept - 1].changed || d[i].changed;
            continue;
        }
        d[kept++] = d[i];
    }
    *out = d;
    *n_out = kept;
    return 0;
}

/* A series gives the item its span: the first date's start, the last date's end (so the
 * item is current until the series is over). One date left is a plain item. */
static void apply_dates(struct feed_item *it, const struct feed_date *d, size_t n)
{
    it->has_start = true;
    it->has_end = true;
    it->start = d[0].start;
    it->all_day = d[0].all_day;
    it->end = d[0].end;
    for (size_t i = 1; i < n; i++) {
        if (d[i].end > it->end) {
            it->end = d[i].end;
        }
    }
    if (n > 1) {
        it->n_dates = n;
        it->dates = d;
    }
}

/* Fills `it` from `obj`; 0, -1 (why filled) or -2 (out of memory). */
static int parse_item(struct builder *b, const cJSON *obj, enum feed_kind kind,
                      struct feed_item *it, char *why, size_t whylen)
{
    const struct feed *f = b->f;
    bool ev = kind == FEED_KIND_EVENT;
    bool date_only = false, end_date_only = false;
    struct feed_date *dates = NULL;
    size_t n_dates = 0;
    int rc;

    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->capacity = -1;
    if (!cJSON_IsObject(obj)) {
        snprintf(why, whylen, "not an object");
        return -1;
    }
    if (!b->strings_clean && !fv_strings_ok(obj, why, whylen)) {
        return -1;
    }
    rc = fv_id(obj, &b->fv, &it->id, why, whylen);
    if (rc) {
        return rc;
    }

    struct {
        const char *field;
        bool required, keep_nl;
        struct feed_text *out;
    } texts[] = {
        {"title", true, false, &it->title},
        {"summary", false, true, &it->summary},
        {"description", false, true, &it->description},
        {"place", false, false, &it->place},
        {"address", false, true, &it->address},
        {ev ? "organizer" : "organization", false, false, &it->organizer},
        {"schedule", false, true, &it->schedule},
        {"wanted", false, true, &it->wanted},
        {"fee", false, true, &it->fee},
        {"contact", false, true, &it->contact},
        {"time_note", false, false, &it->time_note},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        rc = item_text(b, obj, texts[i].field, texts[i].required, texts[i].keep_nl, texts[i].out,
                       why, whylen);
        if (rc) {
            return rc;
        }
    }
    rc = item_title_ruby(b, obj, it);
    if (rc) {
        return rc;
    }

    rc = parse_dates(b, obj, &dates, &n_dates, why, whylen);
    if (rc) {
        return rc;
    }
    rc = kinds_parse_hours(obj, &b->fv, &it->hours, &it->n_hours, why, whylen);
    if (rc) {
        return rc;
    }
    /* with "dates" the item's own start and end are only for readers that predate them:
     * still checked when present, then replaced */
    if (fv_time(obj, "start", ev && n_dates == 0, false, &it->start, &it->has_start, &date_only,
                why, whylen)) {
        return -1;
    }
    it->all_day = it->has_start && date_only;
    if (fv_time(obj, "end", false, false, &it->end, &it->has_end, &end_date_only, why, whylen)) {
        return -1;
    }
    if (it->has_start && it->has_end) {
        /* an end date is compared by day: "start 12-02, end 12-01" is wrong although the
         * end of the 1st is the start of the 2nd */
        int64_t from = end_date_only ? timeutil_day_start(it->start) : it->start;
        if (it->end < from) {
            snprintf(why, whylen, "end before start");
            return -1;
        }
    }
    if (it->has_end && end_date_only) {
        it->end = fv_next_day_start(it->end);
    }
    if (ev && !it->has_end) {
        /* an event without an end stays current all of its start day */
        it->end = fv_next_day_start(it->start);
    }
    if (n_dates > 0) {
        apply_dates(it, dates, n_dates);
    }
    if (fv_time(obj, "deadline", false, true, &it->deadline, &it->has_deadline, NULL, why,
                whylen)) {
        return -1;
    }

    if (fv_whole(obj, "capacity", FEED_MAX_CAPACITY, &it->capacity, why, whylen) ||
        fv_bool(obj, "featured", &it->featured, why, whylen)) {
        return -1;
    }
    rc = fv_url(obj, "signup_url", b->lim.allow_http, &b->fv, &it->signup_url, &it->signup_host,
                why, whylen);
    if (rc) {
        return rc;
    }

    rc = fv_refs(obj, "categories", f->cats, f->n_cats, &b->fv, &it->categories, &it->n_categories,
                 why, whylen);
    if (rc) {
        return rc;
    }
    return fv_refs(obj, "audience", f->auds, f->n_auds, &b->fv, &it->audiences, &it->n_audiences,
                   why, whylen);
}

cJSON *feed_json_consume(cJSON *arr, cJSON *el)
{
    cJSON *next = el->next;
    cJSON_Delete(cJSON_DetachItemViaPointer(arr, el));
    return next;
}

static int parse_items(struct builder *b, cJSON *arr, enum feed_kind kind)
{
    struct feed *f = b->f;
    const char *kname = kind == FEED_KIND_EVENT ? "event" : "volunteer";
    size_t n = (size_t)cJSON_GetArraySize(arr);
    size_t cap = n < b->lim.max_items ? n : b->lim.max_items;
    size_t seen = 0;
    cJSON *el;

    f->items[kind] =
        balloc(b, (cap ? cap : 1) * sizeof(struct feed_item), alignof(struct feed_item));
    if (!f->items[kind]) {
        return -1;
    }
    for (el = arr->child; el; el = feed_json_consume(arr, el)) {
        char why[256];
        struct feed_item *it = &f->items[kind][f->n_items[kind]];
        int rc;

        if (seen++ >= cap) {
            snprintf(why, sizeof why, "over the limit of %zu %ss", b->lim.max_items, kname);
            add_drop(b, kname, feed_drop_id(el), why);
            continue;
        }
        rc = parse_item(b, el, kind, it, why, sizeof why);
        if (rc == -2) {
            return -1;
        }
        if (rc == 0 && !feed_find(f, it->id)) {
            /* the index is filled as we go so a later duplicate is caught */
            size_t i = (size_t)hash_str(it->id) & f->id_mask;
            while (f->id_slots[i]) {
                i = (i + 1) & f->id_mask;
            }
            f->id_slots[i] = it;
            f->n_items[kind]++;
            continue;
        }
        if (rc == 0) {
            snprintf(why, sizeof why, "duplicate id");
        }
        add_drop(b, kname, feed_drop_id(el), why);
    }
    return b->oom ? -1 : 0;
}

static int parse_announcements(struct builder *b, cJSON *arr)
{
    struct feed *f = b->f;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    size_t cap = n < b->lim.max_items ? n : b->lim.max_items;
    size_t seen = 0;
    struct feed_idset ids;
    cJSON *el;

    f->anns = balloc(b, (cap ? cap : 1) * sizeof *f->anns, alignof(struct feed_announcement));
    if (!f->anns || !feed_idset_init(&f->arena, &ids, cap)) {
        b->oom = true;
        return -1;
    }
    for (el = arr->child; el; el = feed_json_consume(arr, el)) {
        char why[256];
        struct feed_announcement *a = &f->anns[f->n_anns];
        int rc;

        if (seen++ >= cap) {
            snprintf(why, sizeof why, "over the limit of %zu announcements", b->lim.max_items);
            add_drop(b, "announcement", feed_drop_id(el), why);
            continue;
        }
        rc = fv_announcement(el, FV_ANN_FEED, 0, &b->fv, a, why, sizeof why);
        if (rc == -2) {
            return -1;
        }
        if (rc == 0 && feed_idset_add(&ids, a->id)) {
            f->n_anns++;
            continue;
        }
        if (rc == 0) {
            snprintf(why, sizeof why, "duplicate id");
        }
        add_drop(b, "announcement", feed_drop_id(el), why);
    }
    return b->oom ? -1 : 0;
}

/* ---- the document ---- */

static cJSON *array_member(const cJSON *root, const char *field, bool required, int *rc, char *err,
                           size_t errlen)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(root, field);
    *rc = 0;
    if (!v || (!required && cJSON_IsNull(v))) {
        if (required) {
            snprintf(err, errlen, "missing %s array", field);
            *rc = -1;
        }
        return NULL;
    }
    if (!cJSON_IsArray(v)) {
        snprintf(err, errlen, "field '%s': not an array", field);
        *rc = -1;
        return NULL;
    }
    return v;
}

/* The limits with their zero members filled in. */
static void limits_resolve(const struct feed_limits *in, struct feed_limits *out)
{
    if (in) {
        *out = *in;
    } else {
        feed_limits_default(out);
    }
    if (out->max_string == 0) {
        out->max_string = FEED_MAX_STRING_DEFAULT;
    }
    if (out->max_bytes == 0) {
        out->max_bytes = FEED_MAX_BYTES_DEFAULT;
    }
}

/* Strict JSON within the limits, or NULL with the reason. */
static cJSON *parse_json(const char *data, size_t len, const struct feed_limits *lim,
                         bool *strings_clean, char *err, size_t errlen)
{
    struct json_strict_limits jl;

    if (len > lim->max_bytes) {
        snprintf(err, errlen, "document too large (%zu bytes, limit %zu)", len, lim->max_bytes);
        return NULL;
    }
    jl.max_depth = JSON_STRICT_MAX_DEPTH_DEFAULT;
    /* a generous node budget: a realistic item is 30-60 values; 8 bytes of JSON can make
     * one 64-byte cJSON node, so bound what a hostile document can cost */
    jl.max_values = JSON_STRICT_MAX_VALUES_DEFAULT;
    if (lim->max_bytes / 8 > jl.max_values) {
        jl.max_values = lim->max_bytes / 8;
    }
    return json_strict_parse_ex(data, len, &jl, strings_clean, err, errlen);
}

static struct feed *build_doc(cJSON *root, bool strings_clean, const struct feed_limits *lim_in,
                              bool ann_only, const struct feed_predrop *pre, size_t n_pre,
                              char *err, size_t errlen)
{
    struct builder b;
    const cJSON *v;
    cJSON *events = NULL, *vols = NULL, *anns = NULL;
    char why[256];
    int rc;
    bool ok = false;

    if (err && errlen) {
        err[0] = '\0';
    }
    memset(&b, 0, sizeof b);
    limits_resolve(lim_in, &b.lim);
    b.strings_clean = strings_clean;
    b.f = calloc(1, sizeof *b.f);
    if (!b.f) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    b.fv.alloc = arena_cb;
    b.fv.release = NULL;
    b.fv.actx = &b.f->arena;
    b.fv.max_string = b.lim.max_string;
    for (size_t i = 0; i < n_pre; i++) {
        add_drop(&b, pre[i].kind, pre[i].id, pre[i].reason);
    }
    if (b.oom) {
        goto oom;
    }

    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "not a JSON object");
        goto out;
    }
    v = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!v) {
        snprintf(err, errlen, "missing version");
        goto out;
    }
    if (!cJSON_IsNumber(v) || v->valuedouble != 1.0) {
        snprintf(err, errlen, "unsupported version (this kiosk reads version 1)");
        goto out;
    }
    if (!ann_only) {
        events = array_member(root, "events", true, &rc, err, errlen);
        if (rc) {
            goto out;
        }
        vols = array_member(root, "volunteers", true, &rc, err, errlen);
        if (rc) {
            goto out;
        }
    }
    anns = array_member(root, "announcements", ann_only, &rc, err, errlen);
    if (rc) {
        goto out;
    }

    /* generated_at is advisory (it only guards against an unset clock): a missing one is
     * logged, not fatal */
    {
        bool present = false;
        if (fv_time(root, "generated_at", true, false, &b.f->generated_at, &present, NULL, why,
                    sizeof why) != 0) {
            LOG_WARN("feed", "%s; treating the feed as generated at 1970-01-01", why);
            b.f->generated_at = 0;
        }
    }
    v = cJSON_GetObjectItemCaseSensitive(root, "publisher");
    if (v && !cJSON_IsNull(v)) {
        if (!fv_strings_ok(v, why, sizeof why)) {
            LOG_WARN("feed", "publisher ignored: %s", why);
        } else {
            rc = fv_text(root, "publisher", false, false, &b.fv, &b.f->publisher, why, sizeof why);
            if (rc == -2) {
                goto oom;
            }
            if (rc) {
                LOG_WARN("feed", "publisher ignored: %s", why);
            }
        }
    }
    if (!ann_only) {
        if (parse_labels(&b, root, "categories", &b.f->cats, &b.f->n_cats, err, errlen) ||
            parse_labels(&b, root, "audiences", &b.f->auds, &b.f->n_auds, err, errlen)) {
            if (b.oom) {
                goto oom;
            }
            goto out;
        }
        {
            size_t n = (size_t)cJSON_GetArraySize(events) + (size_t)cJSON_GetArraySize(vols);
            size_t cap = 16;
            while (cap < n * 2) {
                cap *= 2;
            }
            b.f->id_slots = balloc(&b, cap * sizeof *b.f->id_slots, alignof(struct feed_item *));
            if (!b.f->id_slots) {
                goto oom;
            }
            memset(b.f->id_slots, 0, cap * sizeof *b.f->id_slots);
            b.f->id_mask = cap - 1;
        }
        if (parse_items(&b, events, FEED_KIND_EVENT) ||
            parse_items(&b, vols, FEED_KIND_VOLUNTEER)) {
            goto oom;
        }
        rc = kinds_parse(b.f, root, &b.fv, &b.lim, strings_clean, err, errlen);
        if (rc == -2) {
            goto oom;
        }
        if (rc) {
            goto out;
        }
    }
    if (anns && parse_announcements(&b, anns)) {
        goto oom;
    }
    if (b.oom) {
        goto oom;
    }
    if (b.f->n_drops > 0) {
        LOG_WARN("feed", "%zu items dropped in all (kiosk --check-feed FILE lists them)",
                 b.f->n_drops);
    }
    ok = true;
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
out:
    cJSON_Delete(root);
    if (!ok) {
        feed_free(b.f);
        return NULL;
    }
    if (err && errlen) {
        err[0] = '\0';
    }
    return b.f;
}

static struct feed *parse_doc(const char *data, size_t len, const struct feed_limits *lim_in,
                              bool ann_only, char *err, size_t errlen)
{
    struct feed_limits lim;
    bool clean = false;
    cJSON *root;

    if (err && errlen) {
        err[0] = '\0';
    }
    limits_resolve(lim_in, &lim);
    root = parse_json(data, len, &lim, &clean, err, errlen);
    if (!root) {
        return NULL;
    }
    return build_doc(root, clean, &lim, ann_only, NULL, 0, err, errlen);
}

struct feed *feed_from_tree(struct cJSON *root, bool strings_clean, const struct feed_limits *lim,
                            const struct feed_predrop *pre, size_t n_pre, char *err, size_t errlen)
{
    return build_doc(root, strings_clean, lim, false, pre, n_pre, err, errlen);
}

struct feed *feed_parse(const char *data, size_t len, const struct feed_limits *lim, char *err,
                        size_t errlen)
{
    return parse_doc(data, len, lim, false, err, errlen);
}

struct feed *feed_parse_announcements(const char *data, size_t len, const struct feed_limits *lim,
                                      char *err, size_t errlen)
{
    return parse_doc(data, len, lim, true, err, errlen);
}

void feed_free(struct feed *f)
{
    if (!f) {
        return;
    }
    arena_release(&f->arena);
    free(f->drops);
    free(f);
}

size_t feed_arena_bytes(const struct feed *f)
{
    return f ? f->arena.total : 0;
}

int64_t feed_generated_at(const struct feed *f)
{
    return f ? f->generated_at : 0;
}

const struct feed_text *feed_publisher(const struct feed *f)
{
    return &f->publisher;
}

size_t feed_count(const struct feed *f, enum feed_kind kind)
{
    return f && (kind == FEED_KIND_EVENT || kind == FEED_KIND_VOLUNTEER) ? f->n_items[kind] : 0;
}

const struct feed_item *feed_item_at(const struct feed *f, enum feed_kind kind, size_t i)
{
    return i < feed_count(f, kind) ? &f->items[kind][i] : NULL;
}

const struct feed_item *feed_find(const struct feed *f, const char *id)
{
    size_t i;

    if (!f || !id || !f->id_slots) {
        return NULL;
    }
    i = (size_t)hash_str(id) & f->id_mask;
    while (f->id_slots[i]) {
        if (strcmp(f->id_slots[i]->id, id) == 0) {
            return f->id_slots[i];
        }
        i = (i + 1) & f->id_mask;
    }
    return NULL;
}

size_t feed_announcement_count(const struct feed *f)
{
    return f ? f->n_anns : 0;
}

const struct feed_announcement *feed_announcement_at(const struct feed *f, size_t i)
{
    return i < feed_announcement_count(f) ? &f->anns[i] : NULL;
}

size_t feed_category_count(const struct feed *f)
{
    return f ? f->n_cats : 0;
}

const struct feed_label *feed_category_at(const struct feed *f, size_t i)
{
    return i < feed_category_count(f) ? &f->cats[i] : NULL;
}

const struct feed_label *feed_category_find(const struct feed *f, const char *id)
{
    for (size_t i = 0; id && i < feed_category_count(f); i++) {
        if (strcmp(f->cats[i].id, id) == 0) {
            return &f->cats[i];
        }
    }
    return NULL;
}

size_t feed_audience_count(const struct feed *f)
{
    return f ? f->n_auds : 0;
}

const struct feed_label *feed_audience_at(const struct feed *f, size_t i)
{
    return i < feed_audience_count(f) ? &f->auds[i] : NULL;
}

const struct feed_label *feed_audience_find(const struct feed *f, const char *id)
{
    for (size_t i = 0; id && i < feed_audience_count(f); i++) {
        if (strcmp(f->auds[i].id, id) == 0) {
            return &f->auds[i];
        }
    }
    return NULL;
}

size_t feed_drop_count(const struct feed *f)
{
    return f ? f->n_drops : 0;
}

const struct feed_drop *feed_drop_at(const struct feed *f, size_t i)
{
    return i < feed_drop_count(f) ? &f->drops[i] : NULL;
}
