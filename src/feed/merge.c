/* merge: one feed from the feeds of several sources (import.h's feed_merge).
 *
 * Each source is fetched, checked and cached on its own, so a broken one keeps its last good
 * feed while the others update; the screen shows one feed. The merge copies every string and
 * array into the new feed's arena, so the result owns all it points to and is as immutable as
 * a parsed one: the sources' feeds may be replaced or freed at any time afterwards. */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed_internal.h"
#include "feed/import.h"

struct merger {
    struct feed *f;
    bool oom;
};

static void *malloc_in(struct merger *m, size_t n, size_t align)
{
    void *p = arena_alloc(&m->f->arena, n ? n : 1, align);
    if (!p) {
        m->oom = true;
    }
    return p;
}

static const char *copy_str(struct merger *m, const char *s)
{
    size_t n;
    char *p;

    if (!s) {
        return NULL;
    }
    n = strlen(s);
    p = malloc_in(m, n + 1, 1);
    if (p) {
        memcpy(p, s, n + 1);
    }
    return p;
}

static struct feed_text copy_text(struct merger *m, const struct feed_text *t)
{
    struct feed_text out = {copy_str(m, t->ja), copy_str(m, t->en), copy_str(m, t->zh_hans),
                            copy_str(m, t->ko), copy_str(m, t->ja_easy)};
    return out;
}

/* A label list grown while merging: ids are the merged feed's. */
struct labels {
    struct feed_label *v;
    size_t n, cap;
};

static const struct feed_label *labels_find(const struct labels *l, const struct feed_label *x,
                                            bool by_label)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].id, x->id) == 0) {
            return &l->v[i];
        }
        if (by_label && x->label.ja && l->v[i].label.ja &&
            strcmp(l->v[i].label.ja, x->label.ja) == 0) {
            return &l->v[i];
        }
    }
    return NULL;
}

/* The merged id for a part's label, adding the label when it is new. */
static const char *labels_take(struct merger *m, struct labels *l, const struct feed_label *x,
                               bool by_label)
{
    const struct feed_label *hit = labels_find(l, x, by_label);
    struct feed_label *nl;

    if (hit) {
        return hit->id;
    }
    if (l->n >= FEED_MAX_LABELS) {
        return NULL;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct feed_label *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) {
            m->oom = true;
            return NULL;
        }
        l->v = nv;
        l->cap = cap;
    }
    nl = &l->v[l->n];
    nl->id = copy_str(m, x->id);
    nl->label = copy_text(m, &x->label);
    if (!nl->id) {
        return NULL;
    }
    l->n++;
    return nl->id;
}

/* The merged ids of an item's category or audience refs, by way of the part's labels. */
static const char *const *copy_refs(struct merger *m, const struct feed *part,
                                    const char *const *refs, size_t n, bool cats, struct labels *l,
                                    size_t *n_out)
{
    const char **out;

    *n_out = 0;
    if (n == 0) {
        return NULL;
    }
    out = malloc_in(m, n * sizeof *out, alignof(const char *));
    if (!out) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const struct feed_label *pl =
            cats ? feed_category_find(part, refs[i]) : feed_audience_find(part, refs[i]);
        const char *id = pl ? labels_take(m, l, pl, cats) : NULL;
        bool dup = false;
        for (size_t k = 0; id && k < *n_out; k++) {
            dup = dup || strcmp(out[k], id) == 0;
        }
        if (id && !dup) {
            out[(*n_out)++] = id;
        }
    }
    return out;
}

/* A copy of n elements of `size` bytes in the merged feed's arena (NULL for none). */
static const void *copy_array(struct merger *m, const void *src, size_t n, size_t size,
                              size_t align)
{
    void *p;

    if (n == 0) {
        return NULL;
    }
    p = malloc_in(m, n * size, align);
    if (p) {
        memcpy(p, src, n * size);
    }
    return p;
}

static void copy_item(struct merger *m, const struct feed *part, const struct feed_item *src,
                      struct feed_item *dst, struct labels *cats, struct labels *auds)
{
    *dst = *src;
    dst->id = copy_str(m, src->id);
    dst->title = copy_text(m, &src->title);
    dst->title_ruby = copy_str(m, src->title_ruby);
    dst->summary = copy_text(m, &src->summary);
    dst->description = copy_text(m, &src->description);
    dst->place = copy_text(m, &src->place);
    dst->address = copy_text(m, &src->address);
    dst->organizer = copy_text(m, &src->organizer);
    dst->schedule = copy_text(m, &src->schedule);
    dst->wanted = copy_text(m, &src->wanted);
    dst->fee = copy_text(m, &src->fee);
    dst->contact = copy_text(m, &src->contact);
    dst->time_note = copy_text(m, &src->time_note);
    dst->signup_url = copy_str(m, src->signup_url);
    dst->signup_host = copy_str(m, src->signup_host);
    if (src->n_dates > 0) {
        struct feed_date *d = malloc_in(m, src->n_dates * sizeof *d, alignof(struct feed_date));
        if (d) {
            memcpy(d, src->dates, src->n_dates * sizeof *d);
        }
        dst->dates = d;
    }
    dst->hours =
        copy_array(m, src->hours, src->n_hours, sizeof *src->hours, alignof(struct feed_hours));
    dst->categories =
        copy_refs(m, part, src->categories, src->n_categories, true, cats, &dst->n_categories);
    dst->audiences =
        copy_refs(m, part, src->audiences, src->n_audiences, false, auds, &dst->n_audiences);
}

static void copy_announcement(struct merger *m, const struct feed_announcement *src,
                              struct feed_announcement *dst)
{
    *dst = *src;
    dst->id = copy_str(m, src->id);
    dst->text = copy_text(m, &src->text);
    dst->created_by = copy_str(m, src->created_by);
    if (src->n_targets > 0) {
        const char **t = malloc_in(m, src->n_targets * sizeof *t, alignof(const char *));
        for (size_t i = 0; t && i < src->n_targets; i++) {
            t[i] = copy_str(m, src->targets[i]);
        }
        dst->targets = t;
    }
}

static struct feed_link copy_link(struct merger *m, const struct feed_link *l)
{
    struct feed_link out = {copy_str(m, l->url), copy_str(m, l->host)};
    return out;
}

static void copy_grant(struct merger *m, const struct feed_grant *src, struct feed_grant *dst)
{
    *dst = *src;
    dst->title = copy_text(m, &src->title);
    dst->provider = copy_text(m, &src->provider);
    dst->amount = copy_text(m, &src->amount);
    dst->eligibility = copy_text(m, &src->eligibility);
    dst->summary = copy_text(m, &src->summary);
    dst->contact = copy_text(m, &src->contact);
    dst->url = copy_link(m, &src->url);
}

static void copy_desk(struct merger *m, const struct feed_desk *src, struct feed_desk *dst)
{
    struct feed_hours_exception *x;

    *dst = *src;
    dst->name = copy_text(m, &src->name);
    dst->helps = copy_text(m, &src->helps);
    dst->place = copy_text(m, &src->place);
    dst->note = copy_text(m, &src->note);
    dst->phone = copy_str(m, src->phone);
    dst->url = copy_link(m, &src->url);
    dst->hours =
        copy_array(m, src->hours, src->n_hours, sizeof *src->hours, alignof(struct feed_hours));
    x = (struct feed_hours_exception *)copy_array(m, src->exceptions, src->n_exceptions,
                                                  sizeof *src->exceptions,
                                                  alignof(struct feed_hours_exception));
    for (size_t i = 0; x && i < src->n_exceptions; i++) {
        x[i].note = copy_text(m, &src->exceptions[i].note);
    }
    dst->exceptions = x;
}

static void copy_room(struct merger *m, const struct feed_room *src, struct feed_room *dst)
{
    *dst = *src;
    dst->facility = copy_text(m, &src->facility);
    dst->name = copy_text(m, &src->name);
    dst->equipment = copy_text(m, &src->equipment);
    dst->fee = copy_text(m, &src->fee);
    dst->note = copy_text(m, &src->note);
    dst->booking = copy_link(m, &src->booking);
    dst->slots =
        copy_array(m, src->slots, src->n_slots, sizeof *src->slots, alignof(struct feed_slot));
}

static void copy_group(struct merger *m, const struct feed *part, const struct feed_group *src,
                       struct feed_group *dst, struct labels *cats)
{
    *dst = *src;
    dst->name = copy_text(m, &src->name);
    dst->summary = copy_text(m, &src->summary);
    dst->activity = copy_text(m, &src->activity);
    dst->place = copy_text(m, &src->place);
    dst->contact = copy_text(m, &src->contact);
    dst->url = copy_link(m, &src->url);
    dst->categories =
        copy_refs(m, part, src->categories, src->n_categories, true, cats, &dst->n_categories);
}

/* The entry i of a kind in a feed: every entry struct of kinds.h starts with its id. */
static const void *extra_at(const struct feed *f, enum feed_extra_kind kind, size_t i)
{
    switch (kind) {
    case FEED_EXTRA_GRANT:
        return feed_grant_at(f, i);
    case FEED_EXTRA_DESK:
        return feed_desk_at(f, i);
    case FEED_EXTRA_ROOM:
        return feed_room_at(f, i);
    default:
        return feed_group_at(f, i);
    }
}

static const char *extra_owner(const struct feed_part *parts, size_t n, enum feed_extra_kind kind,
                               const char *id)
{
    for (size_t p = 0; p < n; p++) {
        for (size_t i = 0; i < feed_extra_count(parts[p].feed, kind); i++) {
            if (strcmp(*(const char *const *)extra_at(parts[p].feed, kind, i), id) == 0) {
                return parts[p].name ? parts[p].name : "?";
            }
        }
    }
    return "?";
}

/* Copies one entry to slot `at` of the merged kind's array. */
static void copy_extra(struct merger *m, const struct feed *part, enum feed_extra_kind kind,
                       const void *src, size_t at, struct labels *cats)
{
    struct feed *f = m->f;

    switch (kind) {
    case FEED_EXTRA_GRANT:
        copy_grant(m, src, &f->grants[at]);
        break;
    case FEED_EXTRA_DESK:
        copy_desk(m, src, &f->desks[at]);
        break;
    case FEED_EXTRA_ROOM:
        copy_room(m, src, &f->rooms[at]);
        break;
    default:
        copy_group(m, part, src, &f->groups[at], cats);
        break;
    }
}

static void merge_extra(struct merger *m, const struct feed_part *parts, size_t n,
                        enum feed_extra_kind kind, struct labels *cats)
{
    static const size_t SIZES[FEED_EXTRA_COUNT] = {
        sizeof(struct feed_grant), sizeof(struct feed_desk), sizeof(struct feed_room),
        sizeof(struct feed_group)};
    struct feed *f = m->f;
    struct feed_idset ids;
    size_t total = 0;
    void *base;

    for (size_t p = 0; p < n; p++) {
        total += feed_extra_count(parts[p].feed, kind);
    }
    base = malloc_in(m, total * SIZES[kind], alignof(max_align_t));
    if (!base || !feed_idset_init(&f->arena, &ids, total)) {
        m->oom = true;
        return;
    }
    f->grants = kind == FEED_EXTRA_GRANT ? base : f->grants;
    f->desks = kind == FEED_EXTRA_DESK ? base : f->desks;
    f->rooms = kind == FEED_EXTRA_ROOM ? base : f->rooms;
    f->groups = kind == FEED_EXTRA_GROUP ? base : f->groups;
    for (size_t p = 0; p < n && !m->oom; p++) {
        for (size_t i = 0; i < feed_extra_count(parts[p].feed, kind) && !m->oom; i++) {
            const void *src = extra_at(parts[p].feed, kind, i);
            const char *id = copy_str(m, *(const char *const *)src);
            if (id && !feed_idset_add(&ids, id)) {
                char why[200];
                snprintf(why, sizeof why, "duplicate id, also in %s",
                         extra_owner(parts, p, kind, id));
                if (feed_add_drop(f, feed_extra_kind_name(kind), id, why) != 0) {
                    m->oom = true;
                }
                continue;
            }
            copy_extra(m, parts[p].feed, kind, src, f->n_extra[kind], cats);
            /* the copy's id is the one the set holds */
            *(const char **)((char *)base + f->n_extra[kind] * SIZES[kind]) = id;
            f->n_extra[kind]++;
        }
    }
}

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Adds it to the id index; false when the id is taken. */
static bool index_add(struct feed *f, const struct feed_item *it)
{
    size_t i = (size_t)hash_id(it->id) & f->id_mask;
    while (f->id_slots[i]) {
        if (strcmp(f->id_slots[i]->id, it->id) == 0) {
            return false;
        }
        i = (i + 1) & f->id_mask;
    }
    f->id_slots[i] = it;
    return true;
}

/* The name of the part whose item holds `id` (for the duplicate's reason). */
static const char *owner_of(const struct feed_part *parts, size_t n, const char *id)
{
    for (size_t p = 0; p < n; p++) {
        if (parts[p].feed && feed_find(parts[p].feed, id)) {
            return parts[p].name ? parts[p].name : "?";
        }
    }
    return "?";
}

static void merge_items(struct merger *m, const struct feed_part *parts, size_t n,
                        enum feed_kind kind, struct labels *cats, struct labels *auds)
{
    struct feed *f = m->f;
    size_t total = 0;

    for (size_t p = 0; p < n; p++) {
        total += feed_count(parts[p].feed, kind);
    }
    f->items[kind] = malloc_in(m, total * sizeof(struct feed_item), alignof(struct feed_item));
    if (!f->items[kind]) {
        return;
    }
    for (size_t p = 0; p < n && !m->oom; p++) {
        for (size_t i = 0; i < feed_count(parts[p].feed, kind) && !m->oom; i++) {
            const struct feed_item *src = feed_item_at(parts[p].feed, kind, i);
            struct feed_item *dst = &f->items[kind][f->n_items[kind]];
            if (feed_find(f, src->id)) {
                char why[200];
                snprintf(why, sizeof why, "duplicate id, also in %s", owner_of(parts, p, src->id));
                if (feed_add_drop(f, kind == FEED_KIND_EVENT ? "event" : "volunteer", src->id,
                                  why) != 0) {
                    m->oom = true;
                }
                continue;
            }
            copy_item(m, parts[p].feed, src, dst, cats, auds);
            if (!m->oom && index_add(f, dst)) {
                f->n_items[kind]++;
            }
        }
    }
}

static void merge_announcements(struct merger *m, const struct feed_part *parts, size_t n)
{
    struct feed *f = m->f;
    size_t total = 0;

    for (size_t p = 0; p < n; p++) {
        total += feed_announcement_count(parts[p].feed);
    }
    f->anns = malloc_in(m, total * sizeof *f->anns, alignof(struct feed_announcement));
    for (size_t p = 0; f->anns && p < n && !m->oom; p++) {
        for (size_t i = 0; i < feed_announcement_count(parts[p].feed); i++) {
            const struct feed_announcement *src = feed_announcement_at(parts[p].feed, i);
            bool dup = false;
            for (size_t k = 0; k < f->n_anns && !dup; k++) {
                dup = strcmp(f->anns[k].id, src->id) == 0;
            }
            if (dup) {
                if (feed_add_drop(f, "announcement", src->id, "duplicate id") != 0) {
                    m->oom = true;
                }
                continue;
            }
            copy_announcement(m, src, &f->anns[f->n_anns++]);
        }
    }
}

/* Copies a part's own drops, so the merged feed's list says everything --check-feed or the
 * status would. */
static void merge_drops(struct merger *m, const struct feed_part *parts, size_t n)
{
    for (size_t p = 0; p < n && !m->oom; p++) {
        for (size_t i = 0; i < feed_drop_count(parts[p].feed); i++) {
            const struct feed_drop *d = feed_drop_at(parts[p].feed, i);
            if (feed_add_drop(m->f, d->kind, d->id, d->reason) != 0) {
                m->oom = true;
                break;
            }
        }
    }
}

/* Labels listed by a part but named by none of its items still belong in the lists (the
 * screens offer a category filter from the list). */
static void merge_label_lists(struct merger *m, const struct feed_part *parts, size_t n,
                              struct labels *cats, struct labels *auds)
{
    for (size_t p = 0; p < n; p++) {
        for (size_t i = 0; i < feed_category_count(parts[p].feed); i++) {
            (void)labels_take(m, cats, feed_category_at(parts[p].feed, i), true);
        }
        for (size_t i = 0; i < feed_audience_count(parts[p].feed); i++) {
            (void)labels_take(m, auds, feed_audience_at(parts[p].feed, i), false);
        }
    }
}

struct feed *feed_merge(const struct feed_part *parts, size_t n)
{
    struct merger m = {0};
    struct labels cats = {0}, auds = {0};
    size_t total = 0, cap = 16;

    m.f = calloc(1, sizeof *m.f);
    if (!m.f) {
        return NULL;
    }
    for (size_t p = 0; p < n; p++) {
        const struct feed *pf = parts[p].feed;
        if (!pf) {
            continue;
        }
        if (feed_generated_at(pf) > m.f->generated_at) {
            m.f->generated_at = feed_generated_at(pf);
        }
        if (!m.f->publisher.ja && feed_publisher(pf)->ja) {
            m.f->publisher = copy_text(&m, feed_publisher(pf));
        }
        total += feed_count(pf, FEED_KIND_EVENT) + feed_count(pf, FEED_KIND_VOLUNTEER);
    }
    while (cap < total * 2) {
        cap *= 2;
    }
    m.f->id_slots = malloc_in(&m, cap * sizeof *m.f->id_slots, alignof(struct feed_item *));
    if (m.f->id_slots) {
        memset(m.f->id_slots, 0, cap * sizeof *m.f->id_slots);
        m.f->id_mask = cap - 1;
    }
    merge_drops(&m, parts, n);
    merge_label_lists(&m, parts, n, &cats, &auds);
    if (!m.oom) {
        merge_items(&m, parts, n, FEED_KIND_EVENT, &cats, &auds);
        merge_items(&m, parts, n, FEED_KIND_VOLUNTEER, &cats, &auds);
        merge_announcements(&m, parts, n);
        for (int k = 0; k < FEED_EXTRA_COUNT && !m.oom; k++) {
            merge_extra(&m, parts, n, (enum feed_extra_kind)k, &cats);
        }
    }
    /* the label lists move into the arena, where everything else of the feed lives */
    m.f->cats = malloc_in(&m, cats.n * sizeof *m.f->cats, alignof(struct feed_label));
    m.f->auds = malloc_in(&m, auds.n * sizeof *m.f->auds, alignof(struct feed_label));
    if (m.f->cats && m.f->auds) {
        if (cats.n > 0) {
            memcpy(m.f->cats, cats.v, cats.n * sizeof *cats.v);
        }
        if (auds.n > 0) {
            memcpy(m.f->auds, auds.v, auds.n * sizeof *auds.v);
        }
        m.f->n_cats = cats.n;
        m.f->n_auds = auds.n;
    }
    free(cats.v);
    free(auds.v);
    if (m.oom) {
        feed_free(m.f);
        return NULL;
    }
    return m.f;
}
