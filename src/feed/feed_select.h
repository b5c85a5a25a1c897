/* feed_select: what should be shown now.
 *
 * Pure functions of a feed, a filter and a clock value: ended events, volunteer listings
 * past their deadline or end drop out as the clock moves, without a new fetch. Until the
 * clock is plausible (not before the feed's generated_at minus one day; a Raspberry Pi
 * boots with no real-time clock) nothing is hidden as past. Days and weeks are counted in
 * the facility's zone (util/timeutil.h). */
#ifndef KIOSK_FEED_SELECT_H
#define KIOSK_FEED_SELECT_H

#include "feed/feed.h"
#include "feed/when.h"

/* No clock before 2025-01-01T00:00:00Z is believed, whatever the feed says. */
#define FEED_CLOCK_FLOOR INT64_C(1735689600)

enum feed_day { FEED_DAY_ALL, FEED_DAY_TODAY, FEED_DAY_WEEK, FEED_DAY_MONTH };

struct feed_filter {
    enum feed_kind kind;
    enum feed_day day;
    const char *category;      /* NULL: any */
    const char *audience;      /* NULL: any */
    unsigned weekdays;         /* bit 0 = Sunday; FEED_WEEKDAYS_ANY (0): any (feed/when.h) */
    enum feed_daypart daypart; /* FEED_DAYPART_ANY (0): any time of day */
};

/* True when `now` can be trusted to hide past items. */
bool feed_clock_plausible(const struct feed *f, int64_t now);

/* True when the item is still current at `now` (not ended, not past its deadline). */
bool feed_item_current(const struct feed_item *it, int64_t now);

/* The date of `it` that is on or next at `now`: the first whose end is after now, or the
 * last when all have ended. For an item that is not a series, *tmp filled from the item's
 * own start, end and all_day (changed false). NULL for an item without a start. The result
 * points into the feed or at tmp. Pass 0 for an implausible clock: the first date. */
const struct feed_date *feed_item_next_date(const struct feed_item *it, int64_t now,
                                            struct feed_date *tmp);

/* The dates of a series not ended at `now`, in order: fills `out` with the first `max` of
 * them and returns how many there are in all (may exceed max). 0 for an item that is not a
 * series (n_dates 0). The pointers live as long as the feed. */
size_t feed_item_coming_dates(const struct feed_item *it, int64_t now, const struct feed_date **out,
                              size_t max);

/* Fills `out` (capacity `max`) with the items matching the filter at `now`, ordered by the
 * start of their next date (feed_item_next_date; items without a start last, then by
 * title), and returns how many matched in all (may exceed max). A series matches a day
 * filter when one of its dates not yet ended falls in the range. With an implausible clock,
 * past items are kept and the order is by first date. */
size_t feed_select(const struct feed *f, const struct feed_filter *flt, int64_t now,
                   const struct feed_item **out, size_t max);

/* Counts for the home tiles. */
size_t feed_count_current(const struct feed *f, const struct feed_filter *flt, int64_t now);

#endif
