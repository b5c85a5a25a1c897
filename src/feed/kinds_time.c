/* kinds_time: desk hours, grant deadlines and room slots at a clock value (kinds_time.h).
 *
 * A desk's week is kept as rules in minutes after a local midnight; each question is
 * answered by laying the rules (or the exception that replaces them) over concrete local
 * days and comparing instants, so a rule past midnight and the zone's own calendar need no
 * special cases beyond "look at yesterday too". */
#include "feed/kinds_time.h"

#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

#define DESK_MAX_SPANS 16 /* openings starting on one day: KINDS_MAX_HOURS rules at most */

static int64_t civil_day(int64_t t)
{
    struct time_parts p;
    timeutil_local(t, &p);
    return timeutil_days_from_civil(p.year, p.month, p.day);
}

/* 1970-01-01 was a Thursday. */
static int day_wday(int64_t day)
{
    return (int)(((day % 7) + 11) % 7);
}

static const struct feed_hours_exception *exception_for_day(const struct feed_desk *d, int64_t day)
{
    /* the last one listed wins, so a feed can open one day inside a longer closure */
    const struct feed_hours_exception *hit = NULL;
    for (size_t i = 0; i < d->n_exceptions; i++) {
        if (d->exceptions[i].from_day <= day && day <= d->exceptions[i].to_day) {
            hit = &d->exceptions[i];
        }
    }
    return hit;
}

const struct feed_hours_exception *desk_exception_on(const struct feed_desk *d, int64_t t)
{
    return exception_for_day(d, civil_day(t));
}

static struct desk_span span_on(int64_t day, int open, int close)
{
    int64_t y;
    int m, dd;
    struct desk_span s;

    timeutil_civil_from_days(day, &y, &m, &dd);
    /* mktime carries hour 25 into the next day */
    s.start = timeutil_make_local((int)y, m, dd, open / 60, open % 60);
    s.end = timeutil_make_local((int)y, m, dd, close / 60, close % 60);
    return s;
}

/* The openings that start on `day` (days since 1970-01-01), in rule order. */
static size_t openings_on(const struct feed_desk *d, int64_t day, struct desk_span *out)
{
    const struct feed_hours_exception *x = exception_for_day(d, day);
    size_t n = 0;

    if (x) {
        if (x->closed) {
            return 0;
        }
        out[0] = span_on(day, x->open, x->close);
        return 1;
    }
    for (size_t i = 0; i < d->n_hours && n < DESK_MAX_SPANS; i++) {
        if (d->hours[i].days & (1u << day_wday(day))) {
            out[n++] = span_on(day, d->hours[i].open, d->hours[i].close);
        }
    }
    return n;
}

bool desk_open_now(const struct feed_desk *d, int64_t now, struct desk_span *span)
{
    struct desk_span s[DESK_MAX_SPANS];
    int64_t today = civil_day(now);

    for (int64_t day = today - 1; day <= today; day++) {
        size_t n = openings_on(d, day, s);
        for (size_t i = 0; i < n; i++) {
            if (s[i].start <= now && now < s[i].end) {
                if (span) {
                    *span = s[i];
                }
                return true;
            }
        }
    }
    return false;
}

bool desk_next_opening(const struct feed_desk *d, int64_t now, struct desk_span *out)
{
    struct desk_span s[DESK_MAX_SPANS];
    int64_t today = civil_day(now);

    /* openings start within their own day, so the first day with one after now has the
     * earliest */
    for (int64_t day = today; day <= today + DESK_LOOKAHEAD_DAYS; day++) {
        size_t n = openings_on(d, day, s);
        bool found = false;
        for (size_t i = 0; i < n; i++) {
            if (s[i].start > now && (!found || s[i].start < out->start)) {
                *out = s[i];
                found = true;
            }
        }
        if (found) {
            return true;
        }
    }
    return false;
}

int grant_days_left(const struct feed_grant *g, int64_t now)
{
    /* the deadline is exclusive: its last day is the one holding the instant before */
    return (int)(civil_day(g->deadline - 1) - civil_day(now));
}

bool grant_current(const struct feed_grant *g, int64_t now)
{
    return now < g->deadline;
}

static int cmp_grants(const void *pa, const void *pb)
{
    const struct feed_grant *a = *(const struct feed_grant *const *)pa;
    const struct feed_grant *b = *(const struct feed_grant *const *)pb;

    if (a->deadline != b->deadline) {
        return a->deadline < b->deadline ? -1 : 1;
    }
    return strcmp(a->id, b->id);
}

size_t grants_select(const struct feed *f, int64_t now, const struct feed_grant **out, size_t max)
{
    size_t n = feed_extra_count(f, FEED_EXTRA_GRANT), kept = 0;
    bool plausible = feed_clock_plausible(f, now);
    const struct feed_grant **all;

    if (n == 0) {
        return 0;
    }
    all = malloc(n * sizeof *all);
    if (!all) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const struct feed_grant *g = feed_grant_at(f, i);
        if (!plausible || grant_current(g, now)) {
            all[kept++] = g;
        }
    }
    qsort(all, kept, sizeof *all, cmp_grants);
    if (out) {
        memcpy(out, all, (kept < max ? kept : max) * sizeof *out);
    }
    free(all);
    return kept;
}

static bool names_category(const struct feed_group *g, const char *category)
{
    for (size_t i = 0; i < g->n_categories; i++) {
        if (strcmp(g->categories[i], category) == 0) {
            return true;
        }
    }
    return false;
}

size_t groups_select(const struct feed *f, const char *category, bool recruiting_only,
                     const struct feed_group **out, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < feed_extra_count(f, FEED_EXTRA_GROUP); i++) {
        const struct feed_group *g = feed_group_at(f, i);
        if ((recruiting_only && !g->recruiting) || (category && !names_category(g, category))) {
            continue;
        }
        if (out && n < max) {
            out[n] = g;
        }
        n++;
    }
    return n;
}

size_t room_free_slots(const struct feed_room *r, int64_t now, enum feed_day range,
                       const struct feed_slot **out, size_t max)
{
    struct time_parts p;
    int64_t until = INT64_MAX;
    size_t n = 0;

    timeutil_local(now, &p);
    if (range == FEED_DAY_TODAY) {
        until = timeutil_make_local(p.year, p.month, p.day + 1, 0, 0);
    } else if (range == FEED_DAY_WEEK) {
        until = timeutil_make_local(p.year, p.month, p.day + 7, 0, 0);
    }
    for (size_t i = 0; i < r->n_slots; i++) {
        const struct feed_slot *s = &r->slots[i];
        if (!s->free || s->end <= now || s->start >= until) {
            continue;
        }
        if (out && n < max) {
            out[n] = s;
        }
        n++;
    }
    return n;
}

size_t room_slots_on(const struct feed_room *r, int64_t day_start, const struct feed_slot **out,
                     size_t max)
{
    struct time_parts p;
    int64_t next;
    size_t n = 0;

    timeutil_local(day_start, &p);
    next = timeutil_make_local(p.year, p.month, p.day + 1, 0, 0);
    for (size_t i = 0; i < r->n_slots; i++) {
        const struct feed_slot *s = &r->slots[i];
        if (s->start < day_start || s->start >= next) {
            continue;
        }
        if (out && n < max) {
            out[n] = s;
        }
        n++;
    }
    return n;
}
