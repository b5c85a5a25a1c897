/* feed_select: what should be shown now.
 *
 * The rules, in one place (docs/feed.md says the same for the cities):
 *  - an event is current until its end; one without an end stays current all of its start
 *    day (feed.c stores that day's end as its end);
 *  - a volunteer listing is current until its deadline and until its end, whichever comes
 *    first; without either it is ongoing;
 *  - until the clock is plausible (not before 2025, and not more than a day before the
 *    feed's generated_at) nothing is hidden as past and the day filters show everything:
 *    a board without a real-time clock boots in 1970 and must not show an empty screen;
 *  - day filters count in the facility's zone: きょう is today, 今週 the 7 days from today
 *    (today and the next six), 今月 from today to the end of this calendar month; an item
 *    matches when its time overlaps the range, and an ongoing volunteer listing (no start,
 *    no end) matches every range.
 * Order: by start, items without a start last, then by title, then by id so the order is
 * stable between frames. */
#include "feed/feed_select.h"

#include <stdlib.h>
#include <string.h>

#include "feed/feed_internal.h"
#include "util/timeutil.h"

bool feed_clock_plausible(const struct feed *f, int64_t now)
{
    if (now < FEED_CLOCK_FLOOR) {
        return false;
    }
    return !f || now >= feed_generated_at(f) - 86400;
}

bool feed_item_current(const struct feed_item *it, int64_t now)
{
    if (it->kind == FEED_KIND_EVENT) {
        return !it->has_start || now < it->end;
    }
    if (it->has_deadline && now >= it->deadline) {
        return false;
    }
    if (it->has_end && now >= it->end) {
        return false;
    }
    return true;
}

struct range {
    int64_t from, to; /* [from, to) */
};

static bool day_range(enum feed_day day, int64_t now, struct range *r)
{
    struct time_parts p;

    if (day == FEED_DAY_ALL) {
        return false;
    }
    timeutil_local(now, &p);
    r->from = timeutil_make_local(p.year, p.month, p.day, 0, 0);
    switch (day) {
    case FEED_DAY_TODAY:
        r->to = fv_next_day_start(now);
        break;
    case FEED_DAY_WEEK:
        /* mktime normalises day 32 into the next month */
        r->to = timeutil_make_local(p.year, p.month, p.day + 7, 0, 0);
        break;
    case FEED_DAY_MONTH:
    default:
        r->to = timeutil_make_local(p.year, p.month + 1, 1, 0, 0);
        break;
    }
    return true;
}

static bool overlaps(const struct feed_item *it, const struct range *r)
{
    int64_t s = it->has_start ? it->start : INT64_MIN;
    int64_t e;

    if (it->kind == FEED_KIND_EVENT || it->has_end) {
        e = it->end;
    } else {
        e = INT64_MAX;
    }
    /* a zero-length item still occupies its instant */
    if (s != INT64_MIN && e <= s) {
        e = s + 1;
    }
    return s < r->to && e > r->from;
}

static bool has_ref(const char *const *refs, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(refs[i], id) == 0) {
            return true;
        }
    }
    return false;
}

static int cmp_items(const void *pa, const void *pb)
{
    const struct feed_item *a = *(const struct feed_item *const *)pa;
    const struct feed_item *b = *(const struct feed_item *const *)pb;
    int c;

    if (a->has_start != b->has_start) {
        return a->has_start ? -1 : 1;
    }
    if (a->has_start && a->start != b->start) {
        return a->start < b->start ? -1 : 1;
    }
    c = strcmp(a->title.ja ? a->title.ja : "", b->title.ja ? b->title.ja : "");
    if (c) {
        return c;
    }
    return strcmp(a->id, b->id);
}

size_t feed_select(const struct feed *f, const struct feed_filter *flt, int64_t now,
                   const struct feed_item **out, size_t max)
{
    size_t n = feed_count(f, flt->kind);
    bool plausible = feed_clock_plausible(f, now);
    struct range r = {0, 0};
    bool ranged = plausible && day_range(flt->day, now, &r);
    const struct feed_item **all = NULL;
    size_t matched = 0;

    if (out && max > 0 && n > 0) {
        all = malloc(n * sizeof *all);
    }
    for (size_t i = 0; i < n; i++) {
        const struct feed_item *it = feed_item_at(f, flt->kind, i);
        if (plausible && !feed_item_current(it, now)) {
            continue;
        }
        if (ranged && !overlaps(it, &r)) {
            continue;
        }
        if (flt->category && !has_ref(it->categories, it->n_categories, flt->category)) {
            continue;
        }
        if (flt->audience && !has_ref(it->audiences, it->n_audiences, flt->audience)) {
            continue;
        }
        if (all) {
            all[matched] = it;
        } else if (out && matched < max) {
            out[matched] = it; /* out of memory: unsorted beats nothing */
        }
        matched++;
    }
    if (all) {
        qsort(all, matched, sizeof *all, cmp_items);
        memcpy(out, all, (matched < max ? matched : max) * sizeof *out);
        free(all);
    }
    return matched;
}

size_t feed_count_current(const struct feed *f, const struct feed_filter *flt, int64_t now)
{
    return feed_select(f, flt, now, NULL, 0);
}
