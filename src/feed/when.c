/* when: the weekday and time-of-day filter of a listing (when.h).
 *
 * Everything is reduced to "a weekday and a span of minutes after that day's midnight",
 * then compared with the filter's part of the day; a span past midnight belongs to the day
 * it starts on, as a desk's opening does. */
#include "feed/when.h"

#include "util/timeutil.h"

#define WHEN_MAX_DATES 62 /* of a series: two months of twice-weekly dates */
#define WHEN_DAY (24 * 60)

static bool part_meets(enum feed_daypart part, int open, int close)
{
    static const int FROM[] = {0, 0, 12 * 60, 17 * 60};
    static const int TO[] = {2 * WHEN_DAY, 12 * 60, 17 * 60, 2 * WHEN_DAY};

    if (close <= open) {
        close = open + 1; /* a moment still happens at its time */
    }
    return open < TO[part] && close > FROM[part];
}

static bool day_in(unsigned weekdays, int wday)
{
    return weekdays == FEED_WEEKDAYS_ANY || (weekdays & (1u << wday));
}

/* One dated span: its start's weekday, its minutes from that midnight. */
static bool date_matches(int64_t start, int64_t end, bool all_day, unsigned weekdays,
                         enum feed_daypart part)
{
    struct time_parts p;
    int open;

    timeutil_local(start, &p);
    if (!day_in(weekdays, p.wday)) {
        return false;
    }
    if (all_day || part == FEED_DAYPART_ANY) {
        return true;
    }
    open = p.hour * 60 + p.minute;
    return part_meets(part, open, open + (int)((end - start) / 60));
}

bool feed_when_matches(const struct feed_item *it, unsigned weekdays, enum feed_daypart part,
                       int64_t now)
{
    if (weekdays == FEED_WEEKDAYS_ANY && part == FEED_DAYPART_ANY) {
        return true;
    }
    if (it->n_hours > 0) {
        for (size_t i = 0; i < it->n_hours; i++) {
            const struct feed_hours *h = &it->hours[i];
            if ((weekdays == FEED_WEEKDAYS_ANY || (h->days & weekdays)) &&
                (part == FEED_DAYPART_ANY || part_meets(part, h->open, h->close))) {
                return true;
            }
        }
        return false;
    }
    if (it->n_dates > 0) {
        size_t seen = 0;
        for (size_t i = 0; i < it->n_dates && seen < WHEN_MAX_DATES; i++) {
            const struct feed_date *d = &it->dates[i];
            if (d->end <= now) {
                continue;
            }
            seen++;
            if (date_matches(d->start, d->end, d->all_day, weekdays, part)) {
                return true;
            }
        }
        return false;
    }
    /* one date: an occurrence when it fits in a day, a period otherwise */
    if (it->has_start && it->end - it->start <= WHEN_DAY * 60) {
        return date_matches(it->start, it->end, it->all_day, weekdays, part);
    }
    return false;
}
