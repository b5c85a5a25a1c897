/* kinds: parsing the optional grants, desks, rooms and groups arrays (kinds.h).
 *
 * One loop serves the four kinds: each entry is an object with an "id" as its first
 * field, judged alone by its kind's function; a bad entry or a second use of an id within
 * its kind is dropped with a reason (feed_add_drop), never the document. The field rules
 * are feed_valid.c's, so a grant's title obeys the same rules as an event's. The weekly
 * hours of a desk and the slots of a room are structured here once, so the time rules in
 * kinds_time.c only do arithmetic. */
#include "feed/kinds.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed_internal.h"
#include "util/timeutil.h"

#define KINDS_MAX_HOURS 14u      /* weekly rules of one desk */
#define KINDS_MAX_EXCEPTIONS 64u /* closed days and special hours of one desk */
#define KINDS_MAX_SLOTS 512u     /* slots of one room: a fortnight of half hours */
#define KINDS_MAX_PHONE 32u
#define KINDS_DAY_MINUTES 1440

struct kctx {
    struct feed *f;
    const struct fv_ctx *fv;
    const struct feed_limits *lim;
    bool strings_clean;
};

/* Each parser fills a zeroed entry; 0, -1 (why filled) or -2 (out of memory). */
typedef int (*kind_parse_fn)(const struct kctx *k, const cJSON *obj, void *out, char *why,
                             size_t whylen);

struct text_field {
    const char *field;
    bool required, keep_nl;
    size_t offset; /* of the struct feed_text in the entry */
};

static const char *const KIND_NAMES[FEED_EXTRA_COUNT] = {"grant", "desk", "room", "group"};
static const char *const KIND_MEMBERS[FEED_EXTRA_COUNT] = {"grants", "desks", "rooms", "groups"};

const char *feed_extra_kind_name(enum feed_extra_kind kind)
{
    return kind < FEED_EXTRA_COUNT ? KIND_NAMES[kind] : "?";
}

const char *feed_extra_member(enum feed_extra_kind kind)
{
    return kind < FEED_EXTRA_COUNT ? KIND_MEMBERS[kind] : "?";
}

static int texts(const struct kctx *k, const cJSON *obj, void *entry, const struct text_field *tf,
                 size_t n, char *why, size_t whylen)
{
    for (size_t i = 0; i < n; i++) {
        struct feed_text *out = (struct feed_text *)((char *)entry + tf[i].offset);
        int rc = fv_text(obj, tf[i].field, tf[i].required, tf[i].keep_nl, k->fv, out, why, whylen);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int link(const struct kctx *k, const cJSON *obj, const char *field, struct feed_link *out,
                char *why, size_t whylen)
{
    return fv_url(obj, field, k->lim->allow_http, k->fv, &out->url, &out->host, why, whylen);
}

/* ---- grants ---- */

#define GT(f, req, nl)                                                                             \
    {                                                                                              \
#f, req, nl, offsetof(struct feed_grant, f)                                                \
    }
static const struct text_field GRANT_TEXTS[] = {
    GT(title, true, false),       GT(provider, false, false), GT(amount, false, true),
    GT(eligibility, false, true), GT(summary, false, true),   GT(contact, false, true),
};

static int parse_grant(const struct kctx *k, const cJSON *obj, void *out, char *why, size_t whylen)
{
    struct feed_grant *g = out;
    bool present = false;
    int rc = texts(k, obj, g, GRANT_TEXTS, sizeof GRANT_TEXTS / sizeof GRANT_TEXTS[0], why, whylen);

    if (rc) {
        return rc;
    }
    if (fv_time(obj, "opens", false, false, &g->opens, &g->has_opens, NULL, why, whylen) ||
        fv_time(obj, "deadline", true, true, &g->deadline, &present, NULL, why, whylen)) {
        return -1;
    }
    if (g->has_opens && g->opens >= g->deadline) {
        snprintf(why, whylen, "field 'opens': not before the deadline");
        return -1;
    }
    return link(k, obj, "url", &g->url, why, whylen);
}

/* ---- desks ---- */

/* "HH:MM" as minutes after midnight, up to `max`; -1 when malformed. */
static int hhmm(const cJSON *v, int max)
{
    const char *s = cJSON_IsString(v) ? v->valuestring : "";
    int h, m;

    if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
        s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9') {
        return -1;
    }
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    return h * 60 + m <= max ? h * 60 + m : -1;
}

/* open and close of a rule or an exception: a close at or before the open (22:00-02:00)
 * or past 24:00 (22:00-26:00) runs into the next day, never more than a whole day. */
static int open_close(const cJSON *obj, const char *what, int *open, int *close, char *why,
                      size_t whylen)
{
    *open = hhmm(cJSON_GetObjectItemCaseSensitive(obj, "open"), KINDS_DAY_MINUTES - 1);
    *close = hhmm(cJSON_GetObjectItemCaseSensitive(obj, "close"), 2 * KINDS_DAY_MINUTES);
    if (*open < 0 || *close < 0) {
        snprintf(why, whylen, "%s: 'open' and 'close' must be \"HH:MM\" (close up to 48:00)", what);
        return -1;
    }
    if (*close <= *open) {
        *close += KINDS_DAY_MINUTES;
    }
    if (*close - *open >= KINDS_DAY_MINUTES) {
        snprintf(why, whylen, "%s: open for a whole day or more", what);
        return -1;
    }
    return 0;
}

static int weekday(const char *s)
{
    static const char *const DAYS[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (int i = 0; i < 7; i++) {
        if (strcmp(s, DAYS[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static int parse_rule(const cJSON *el, size_t i, struct feed_hours *h, char *why, size_t whylen)
{
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(el, "days");
    const cJSON *d;
    char what[48];

    snprintf(what, sizeof what, "field 'hours[%zu]'", i);
    if (!cJSON_IsObject(el) || !cJSON_IsArray(days) || !days->child) {
        snprintf(why, whylen, "%s: needs \"days\" like [\"mon\",\"tue\"], \"open\", \"close\"",
                 what);
        return -1;
    }
    cJSON_ArrayForEach(d, days)
    {
        int w = cJSON_IsString(d) ? weekday(d->valuestring) : -1;
        if (w < 0) {
            snprintf(why, whylen, "%s: a day must be one of sun mon tue wed thu fri sat", what);
            return -1;
        }
        h->days |= (uint8_t)(1u << w);
    }
    return open_close(el, what, &h->open, &h->close, why, whylen);
}

/* A "YYYY-MM-DD" member as days since 1970-01-01; -1 (why filled) when not a date. */
static int day_member(const cJSON *obj, const char *field, const char *what, int64_t *out,
                      char *why, size_t whylen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
    bool date_only = false;
    int64_t t;
    struct time_parts p;

    if (!cJSON_IsString(v) || timeutil_parse_iso8601(v->valuestring, &t, &date_only) != 0 ||
        !date_only) {
        snprintf(why, whylen, "%s: '%s' must be a date (YYYY-MM-DD)", what, field);
        return -1;
    }
    timeutil_local(t, &p);
    *out = timeutil_days_from_civil(p.year, p.month, p.day);
    return 0;
}

static int parse_exception(const struct kctx *k, const cJSON *el, size_t i,
                           struct feed_hours_exception *x, char *why, size_t whylen)
{
    char what[48];
    bool closed = false;

    snprintf(what, sizeof what, "field 'exceptions[%zu]'", i);
    if (!cJSON_IsObject(el)) {
        snprintf(why, whylen, "%s: not an object", what);
        return -1;
    }
    if (day_member(el, "date", what, &x->from_day, why, whylen)) {
        return -1;
    }
    x->to_day = x->from_day;
    if (cJSON_GetObjectItemCaseSensitive(el, "until") &&
        day_member(el, "until", what, &x->to_day, why, whylen)) {
        return -1;
    }
    if (x->to_day < x->from_day) {
        snprintf(why, whylen, "%s: 'until' before 'date'", what);
        return -1;
    }
    if (fv_bool(el, "closed", &closed, why, whylen)) {
        return -1;
    }
    x->closed = closed;
    if (!closed && open_close(el, what, &x->open, &x->close, why, whylen)) {
        return -1;
    }
    return fv_text(el, "note", false, false, k->fv, &x->note, why, whylen);
}

/* An optional array member with at most `max` entries: its size, or -1 (why filled). */
static int array_of(const cJSON *obj, const char *field, size_t max, const cJSON **arr, char *why,
                    size_t whylen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
    size_t n;

    *arr = NULL;
    if (!v || cJSON_IsNull(v)) {
        return 0;
    }
    if (!cJSON_IsArray(v)) {
        snprintf(why, whylen, "field '%s': not an array", field);
        return -1;
    }
    n = (size_t)cJSON_GetArraySize(v);
    if (n > max) {
        snprintf(why, whylen, "field '%s': %zu entries, more than %zu", field, n, max);
        return -1;
    }
    *arr = v;
    return (int)n;
}

int kinds_parse_hours(const cJSON *obj, const struct fv_ctx *fv, const struct feed_hours **out,
                      size_t *n_out, char *why, size_t whylen)
{
    const cJSON *arr, *el;
    struct feed_hours *h;
    int n = array_of(obj, "hours", KINDS_MAX_HOURS, &arr, why, whylen);

    *out = NULL;
    *n_out = 0;
    if (n <= 0) {
        return n;
    }
    h = fv->alloc(fv->actx, (size_t)n * sizeof *h, alignof(struct feed_hours));
    if (!h) {
        return -2;
    }
    memset(h, 0, (size_t)n * sizeof *h);
    cJSON_ArrayForEach(el, arr)
    {
        if (parse_rule(el, *n_out, &h[*n_out], why, whylen)) {
            return -1;
        }
        (*n_out)++;
    }
    *out = h;
    return 0;
}

static int parse_hours(const struct kctx *k, const cJSON *obj, struct feed_desk *d, char *why,
                       size_t whylen)
{
    const cJSON *arr, *el;
    struct feed_hours_exception *x;
    int n = kinds_parse_hours(obj, k->fv, &d->hours, &d->n_hours, why, whylen);

    if (n) {
        return n;
    }
    n = array_of(obj, "exceptions", KINDS_MAX_EXCEPTIONS, &arr, why, whylen);
    if (n <= 0) {
        return n;
    }
    x = k->fv->alloc(k->fv->actx, (size_t)n * sizeof *x, alignof(struct feed_hours_exception));
    if (!x) {
        return -2;
    }
    memset(x, 0, (size_t)n * sizeof *x);
    cJSON_ArrayForEach(el, arr)
    {
        int rc = parse_exception(k, el, d->n_exceptions, &x[d->n_exceptions], why, whylen);
        if (rc) {
            return rc;
        }
        d->n_exceptions++;
    }
    d->exceptions = x;
    return 0;
}

/* A phone number as printed: digits and - ( ) + and spaces, so nothing but a number can
 * be shown large as one. */
static int phone(const struct kctx *k, const cJSON *obj, const char **out, char *why, size_t whylen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "phone");
    size_t digits = 0;

    if (!v || cJSON_IsNull(v)) {
        return 0;
    }
    if (!cJSON_IsString(v) || strlen(v->valuestring) > KINDS_MAX_PHONE) {
        goto bad;
    }
    for (const char *p = v->valuestring; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
        } else if (!strchr("-()+ ", *p)) {
            goto bad;
        }
    }
    if (digits < 3) {
        goto bad;
    }
    *out = fv_strdup(k->fv, v->valuestring, false);
    return *out ? 0 : -2;
bad:
    snprintf(why, whylen,
             "field 'phone': not a phone number (digits, '-', '(', ')', '+', spaces; at most "
             "%u characters)",
             KINDS_MAX_PHONE);
    return -1;
}

#define DT(f, req, nl)                                                                             \
    {                                                                                              \
#f, req, nl, offsetof(struct feed_desk, f)                                                 \
    }
static const struct text_field DESK_TEXTS[] = {
    DT(name, true, false),
    DT(helps, false, true),
    DT(place, false, false),
    DT(note, false, true),
};

static int parse_desk(const struct kctx *k, const cJSON *obj, void *out, char *why, size_t whylen)
{
    struct feed_desk *d = out;
    int rc = texts(k, obj, d, DESK_TEXTS, sizeof DESK_TEXTS / sizeof DESK_TEXTS[0], why, whylen);

    if (rc) {
        return rc;
    }
    rc = phone(k, obj, &d->phone, why, whylen);
    if (rc) {
        return rc;
    }
    if (fv_bool(obj, "booking_required", &d->booking_required, why, whylen)) {
        return -1;
    }
    rc = parse_hours(k, obj, d, why, whylen);
    if (rc) {
        return rc;
    }
    return link(k, obj, "url", &d->url, why, whylen);
}

/* ---- rooms ---- */

static int cmp_slots(const void *pa, const void *pb)
{
    const struct feed_slot *a = pa;
    const struct feed_slot *b = pb;
    return a->start < b->start ? -1 : a->start > b->start;
}

static int parse_slot(const cJSON *el, size_t i, struct feed_slot *s, char *why, size_t whylen)
{
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(el, "state");
    bool present = false;
    char inner[200];

    if (!cJSON_IsObject(el)) {
        snprintf(why, whylen, "field 'slots[%zu]': not an object", i);
        return -1;
    }
    if (fv_time(el, "start", true, false, &s->start, &present, NULL, inner, sizeof inner) ||
        fv_time(el, "end", true, false, &s->end, &present, NULL, inner, sizeof inner)) {
        snprintf(why, whylen, "slots[%zu]: %s", i, inner);
        return -1;
    }
    if (s->end <= s->start) {
        snprintf(why, whylen, "slots[%zu]: end not after start", i);
        return -1;
    }
    if (!cJSON_IsString(state) ||
        (strcmp(state->valuestring, "free") != 0 && strcmp(state->valuestring, "booked") != 0)) {
        snprintf(why, whylen, "field 'slots[%zu].state': must be \"free\" or \"booked\"", i);
        return -1;
    }
    s->free = strcmp(state->valuestring, "free") == 0;
    return 0;
}

static int parse_slots(const struct kctx *k, const cJSON *obj, struct feed_room *r, char *why,
                       size_t whylen)
{
    const cJSON *arr, *el;
    struct feed_slot *s;
    int n = array_of(obj, "slots", KINDS_MAX_SLOTS, &arr, why, whylen);

    if (n <= 0) {
        return n;
    }
    s = k->fv->alloc(k->fv->actx, (size_t)n * sizeof *s, alignof(struct feed_slot));
    if (!s) {
        return -2;
    }
    cJSON_ArrayForEach(el, arr)
    {
        if (parse_slot(el, r->n_slots, &s[r->n_slots], why, whylen)) {
            return -1;
        }
        r->n_slots++;
    }
    qsort(s, r->n_slots, sizeof *s, cmp_slots);
    for (size_t i = 1; i < r->n_slots; i++) {
        /* a period both free and booked cannot be shown truthfully */
        if (s[i].start < s[i - 1].end) {
            snprintf(why, whylen, "field 'slots': two slots overlap");
            return -1;
        }
    }
    r->slots = s;
    return 0;
}

#define RT(f, req, nl)                                                                             \
    {                                                                                              \
#f, req, nl, offsetof(struct feed_room, f)                                                 \
    }
static const struct text_field ROOM_TEXTS[] = {
    RT(facility, true, false), RT(name, true, false), RT(equipment, false, true),
    RT(fee, false, true),      RT(note, false, true),
};

static int parse_room(const struct kctx *k, const cJSON *obj, void *out, char *why, size_t whylen)
{
    struct feed_room *r = out;
    int rc = texts(k, obj, r, ROOM_TEXTS, sizeof ROOM_TEXTS / sizeof ROOM_TEXTS[0], why, whylen);

    r->capacity = -1;
    if (rc) {
        return rc;
    }
    if (fv_whole(obj, "capacity", FEED_MAX_CAPACITY, &r->capacity, why, whylen)) {
        return -1;
    }
    rc = link(k, obj, "booking_url", &r->booking, why, whylen);
    if (rc) {
        return rc;
    }
    return parse_slots(k, obj, r, why, whylen);
}

/* ---- groups ---- */

#define GR(f, req, nl)                                                                             \
    {                                                                                              \
#f, req, nl, offsetof(struct feed_group, f)                                                \
    }
static const struct text_field GROUP_TEXTS[] = {
    GR(name, true, false),   GR(summary, false, true), GR(activity, false, true),
    GR(place, false, false), GR(contact, false, true),
};

static int parse_group(const struct kctx *k, const cJSON *obj, void *out, char *why, size_t whylen)
{
    struct feed_group *g = out;
    int rc = texts(k, obj, g, GROUP_TEXTS, sizeof GROUP_TEXTS / sizeof GROUP_TEXTS[0], why, whylen);

    if (rc) {
        return rc;
    }
    if (fv_bool(obj, "recruiting", &g->recruiting, why, whylen)) {
        return -1;
    }
    rc = fv_refs(obj, "categories", k->f->cats, k->f->n_cats, k->fv, &g->categories,
                 &g->n_categories, why, whylen);
    if (rc) {
        return rc;
    }
    return link(k, obj, "url", &g->url, why, whylen);
}

/* ---- the arrays ---- */

struct kind_desc {
    size_t size, align;
    kind_parse_fn parse;
};

static const struct kind_desc KINDS[FEED_EXTRA_COUNT] = {
    {sizeof(struct feed_grant), alignof(struct feed_grant), parse_grant},
    {sizeof(struct feed_desk), alignof(struct feed_desk), parse_desk},
    {sizeof(struct feed_room), alignof(struct feed_room), parse_room},
    {sizeof(struct feed_group), alignof(struct feed_group), parse_group},
};

static void **kind_array(struct feed *f, enum feed_extra_kind kind)
{
    switch (kind) {
    case FEED_EXTRA_GRANT:
        return (void **)&f->grants;
    case FEED_EXTRA_DESK:
        return (void **)&f->desks;
    case FEED_EXTRA_ROOM:
        return (void **)&f->rooms;
    default:
        return (void **)&f->groups;
    }
}

/* Every entry struct starts with its id. */
static int parse_entry(const struct kctx *k, enum feed_extra_kind kind, const cJSON *el,
                       void *entry, char *why, size_t whylen)
{
    int rc;

    memset(entry, 0, KINDS[kind].size);
    if (!cJSON_IsObject(el)) {
        snprintf(why, whylen, "not an object");
        return -1;
    }
    if (!k->strings_clean && !fv_strings_ok(el, why, whylen)) {
        return -1;
    }
    rc = fv_id(el, k->fv, (const char **)entry, why, whylen);
    return rc ? rc : KINDS[kind].parse(k, el, entry, why, whylen);
}

static int parse_kind(const struct kctx *k, cJSON *arr, enum feed_extra_kind kind)
{
    struct feed *f = k->f;
    const char *kname = KIND_NAMES[kind];
    size_t n = (size_t)cJSON_GetArraySize(arr);
    size_t cap = n < k->lim->max_items ? n : k->lim->max_items;
    size_t seen = 0;
    struct feed_idset ids;
    char *base = arena_alloc(&f->arena, (cap ? cap : 1) * KINDS[kind].size, KINDS[kind].align);
    cJSON *el;

    if (!base || !feed_idset_init(&f->arena, &ids, cap)) {
        return -2;
    }
    *kind_array(f, kind) = base;
    for (el = arr->child; el; el = feed_json_consume(arr, el)) {
        char why[256];
        void *entry = base + f->n_extra[kind] * KINDS[kind].size;
        int rc;

        if (seen++ >= cap) {
            snprintf(why, sizeof why, "over the limit of %zu %ss", k->lim->max_items, kname);
        } else {
            rc = parse_entry(k, kind, el, entry, why, sizeof why);
            if (rc == -2) {
                return -2;
            }
            if (rc == 0 && feed_idset_add(&ids, *(const char **)entry)) {
                f->n_extra[kind]++;
                continue;
            }
            if (rc == 0) {
                snprintf(why, sizeof why, "duplicate id");
            }
        }
        if (feed_add_drop(f, kname, feed_drop_id(el), why) != 0) {
            return -2;
        }
    }
    return 0;
}

int kinds_parse(struct feed *f, cJSON *root, const struct fv_ctx *fv, const struct feed_limits *lim,
                bool strings_clean, char *err, size_t errlen)
{
    struct kctx k = {f, fv, lim, strings_clean};

    for (int kind = 0; kind < FEED_EXTRA_COUNT; kind++) {
        cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, KIND_MEMBERS[kind]);
        int rc;
        if (!arr || cJSON_IsNull(arr)) {
            continue;
        }
        if (!cJSON_IsArray(arr)) {
            snprintf(err, errlen, "field '%s': not an array", KIND_MEMBERS[kind]);
            return -1;
        }
        rc = parse_kind(&k, arr, (enum feed_extra_kind)kind);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

size_t feed_extra_count(const struct feed *f, enum feed_extra_kind kind)
{
    return f && kind < FEED_EXTRA_COUNT ? f->n_extra[kind] : 0;
}

const struct feed_grant *feed_grant_at(const struct feed *f, size_t i)
{
    return i < feed_extra_count(f, FEED_EXTRA_GRANT) ? &f->grants[i] : NULL;
}

const struct feed_desk *feed_desk_at(const struct feed *f, size_t i)
{
    return i < feed_extra_count(f, FEED_EXTRA_DESK) ? &f->desks[i] : NULL;
}

const struct feed_room *feed_room_at(const struct feed *f, size_t i)
{
    return i < feed_extra_count(f, FEED_EXTRA_ROOM) ? &f->rooms[i] : NULL;
}

const struct feed_group *feed_group_at(const struct feed *f, size_t i)
{
    return i < feed_extra_count(f, FEED_EXTRA_GROUP) ? &f->groups[i] : NULL;
}
