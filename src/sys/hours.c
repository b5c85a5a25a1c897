/* hours: opening hours and closed dates turned into instants.
 *
 * Each calendar day yields at most one interval [open, close) built with
 * timeutil_make_local, so a zone with daylight saving would still get 9:30 on the wall
 * clock. A day's interval may run past midnight (close < open), so "open now" looks at
 * yesterday's interval too. The next change is found by walking the day boundaries in order:
 * the schedule only changes at an opening or closing time, and a boundary where the state
 * stays the same (24:00 then 0:00) is skipped by comparing states rather than trusting it.
 * The walk is bounded by SYS_HOURS_HORIZON_DAYS; it runs a few hundred mktime calls at
 * worst, once per change, not per frame. */
#include "sys/hours.h"

#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"

#define SYS_MIN_PER_DAY (24 * 60)

struct sys_day {
    int year, month, day, wday;
};

/* The calendar day `offset` days after the facility-local day of t. Noon keeps a daylight
 * saving jump from moving us onto the wrong date. */
static void sys_day_at(int64_t t, int offset, struct sys_day *out)
{
    struct time_parts tp;
    int64_t noon;

    timeutil_local(t, &tp);
    noon = timeutil_make_local(tp.year, tp.month, tp.day + offset, 12, 0);
    timeutil_local(noon, &tp);
    out->year = tp.year;
    out->month = tp.month;
    out->day = tp.day;
    out->wday = tp.wday;
}

static bool sys_hours_date_closed(const struct config *cfg, const struct sys_day *d)
{
    char ymd[16];

    snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", d->year, d->month, d->day);
    for (size_t i = 0; i < cfg->n_closed_dates; i++) {
        if (cfg->closed_dates[i] && strcmp(cfg->closed_dates[i], ymd) == 0) {
            return true;
        }
    }
    return false;
}

/* The opening interval of day d, or false when the facility stays closed that day. */
static bool sys_hours_interval(const struct config *cfg, const struct sys_day *d, int64_t *start,
                               int64_t *end)
{
    const struct config_hours *h;
    int open, close;

    if (d->wday < 0 || d->wday > 6) {
        return false;
    }
    h = &cfg->hours[d->wday];
    open = h->open_min;
    close = h->close_min;
    if (open == close || open < 0 || close < 0 || open > SYS_MIN_PER_DAY ||
        close > SYS_MIN_PER_DAY) {
        return false;
    }
    if (sys_hours_date_closed(cfg, d)) {
        return false;
    }
    if (close < open) {
        close += SYS_MIN_PER_DAY;
    }
    /* mktime normalises 24:00 and 25:30 onto the next day */
    *start = timeutil_make_local(d->year, d->month, d->day, open / 60, open % 60);
    *end = timeutil_make_local(d->year, d->month, d->day, close / 60, close % 60);
    return *end > *start;
}

bool sys_hours_is_open(const struct config *cfg, int64_t now)
{
    for (int offset = -1; offset <= 0; offset++) {
        struct sys_day d;
        int64_t start, end;

        sys_day_at(now, offset, &d);
        if (sys_hours_interval(cfg, &d, &start, &end) && now >= start && now < end) {
            return true;
        }
    }
    return false;
}

/* Walks opening and closing instants after `now` in time order; returns the first one at
 * which the state differs from the state at `now` (any_change), or the first at which the
 * facility goes from closed to open. */
static int64_t sys_hours_walk(const struct config *cfg, int64_t now, bool any_change)
{
    bool state = sys_hours_is_open(cfg, now);

    for (int offset = -1; offset <= SYS_HOURS_HORIZON_DAYS; offset++) {
        struct sys_day d;
        int64_t edges[2];

        sys_day_at(now, offset, &d);
        if (!sys_hours_interval(cfg, &d, &edges[0], &edges[1])) {
            continue;
        }
        for (int i = 0; i < 2; i++) {
            bool after;

            if (edges[i] <= now) {
                continue;
            }
            after = sys_hours_is_open(cfg, edges[i]);
            if (any_change ? after != state : (after && !sys_hours_is_open(cfg, edges[i] - 1))) {
                return edges[i];
            }
        }
    }
    return -1;
}

bool sys_hours_day(const struct config *cfg, int64_t t, int64_t *open, int64_t *close)
{
    struct sys_day d;

    sys_day_at(t, 0, &d);
    return sys_hours_interval(cfg, &d, open, close);
}

int64_t sys_hours_next_open(const struct config *cfg, int64_t now)
{
    return sys_hours_walk(cfg, now, false);
}

int64_t sys_hours_next_change(const struct config *cfg, int64_t now)
{
    return sys_hours_walk(cfg, now, true);
}
