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
 *    matches when its time not yet past overlaps the range, and an ongoing volunteer
 *    listing (no start, no end) matches every range;
 *  - a series (n_dates > 0) spans its first start to its last end, so it is current while
 *    any date has not ended; but a day filter looks at its dates one by one: a Saturday
 *    class is not "today" on a Tuesday between two Saturdays.
 * Order: by the start of the next date (the first for an item that is not a series), items
 * without a start last, then by title, then by id so the order is stable between frames.
 * Work is linear in the dates (a series has at most 366) plus one sort of the matches. */
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

const struct feed_date *feed_item_next_date(const struct feed_item *it, int64_t now,
                                            struct feed_date *tmp)
{
    if (!it->has_start) {
        return NULL;
    }
    if (it->n_dates == 0) {
        tmp->start = it->start;
        tmp->end = it->end;
        tmp->all_day = it->all_day;
        tmp->changed = false;
        return tmp;
    }
    /* linear: ends are not sorted when dates overlap, and a series is short */
    for (size_t i = 0; i < it->n_dates; i++) {
        if (it->dates[i].end > now) {
            return &it->dates[i];
        }
    }
    return &it->dates[it->n_dates - 1];
}

size_t feed_item_coming_dates(const struct feed_item *it, int64_t now, const struct feed_date **out,
                              size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < it->n_dates; i++) {
        if (it->dates[i].end > now) {
            if (n < max) {
                out[n] = &it->dates[i];
            }
            n++;
        }
    }
    return n;
}

/* [s, e) meets r; a zero-length time still occupies its instant. */
static bool span_overlaps(int64_t s, int64_t e, const struct range *r)
{
    if (s != INT64_MIN && e <= s) {
        e = s + 1;
    }
    return s < r->to && e > r->from;
}

static bool overlaps(const struct feed_item *it, const struct range *r)
{
    if (it->n_dates == 0) {
        int64_t s = it->has_start ? it->start : INT64_MIN;
        int64_t e = it->kind == FEED_KIND_EVENT || it->has_end ? it->end : INT64_MAX;
        return span_overlaps(s, e, r);
    }
    for (size_t i = 0; i < it->n_dates && it->dates[i].start < r->to; i++) {
        if (span_overlaps(it->dates[i].start, it->dates[i].end, r)) {
            return true;
        }
    }
    return false;
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

/* A match and the start it is ordered by (its next date's, known only with the clock). */
struct keyed {
    const struct feed_item *it;
    int64_t key;
};

static int cmp_keyed(const void *pa, const void *pb)
{
    const struct keyed *ka = pa;
    const struct keyed *kb = pb;
    const struct feed_item *a = ka->it;
    const struct feed_item *b = kb->it;
    int c;

    if (a->has_start != b->has_start) {
        return a->has_start ? -1 : 1;
    }
    if (a->has_start && ka->key != kb->key) {
        return ka->key < kb->key ? -1 : 1;
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
    struct keyed *all = NULL;
    size_t matched = 0;

    if (ranged && r.from < now) {
        /* what has ended today is not "today" any more: for an item that is not a series
         * feed_item_current says so already, for a series this skips today's past date */
        r.from = now;
    }
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
        if (!feed_when_matches(it, flt->weekdays, flt->daypart, plausible ? now : 0)) {
            continue;
        }
        if (all) {
            struct feed_date tmp;
            const struct feed_date *d = feed_item_next_date(it, plausible ? now : 0, &tmp);
            all[matched].it = it;
            all[matched].key = d ? d->start : 0;
        } else if (out && matched < max) {
            out[matched] = it; /* out of memory: unsorted beats nothing */
        }
        matched++;
    }
    if (all) {
        qsort(all, matched, sizeof *all, cmp_keyed);
        for (size_t i = 0; i < matched && i < max; i++) {
            out[i] = all[i].it;
        }
        free(all);
    }
    return matched;
}

size_t feed_count_current(const struct feed *f, const struct feed_filter *flt, int64_t now)
{
    return feed_select(f, flt, now, NULL, 0);
}
