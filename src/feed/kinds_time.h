/* kinds_time: the time rules of grants, desks and rooms (kinds.h).
 *
 * Pure functions of an entry and a clock value, in the facility's zone (timeutil.h, chosen
 * once at start-up): whether a desk is 受付中 and when it opens next, how many days are
 * left to a grant's deadline, which slots of a room are free today or this week, and the
 * lists the screens show in order. Like feed_select.h, nothing is hidden as past while the
 * clock is implausible. Any thread. */
#ifndef KIOSK_FEED_KINDS_TIME_H
#define KIOSK_FEED_KINDS_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed_select.h"
#include "feed/kinds.h"

/* How far ahead desk_next_opening looks: a desk closed for longer is shown as closed. */
#define DESK_LOOKAHEAD_DAYS 31

/* One opening: [start, end). */
struct desk_span {
    int64_t start;
    int64_t end;
};

/* True when the desk is open at `now`; *span (may be NULL) gets the opening it is in. A
 * rule or a special opening that runs past midnight counts on the day after too; an
 * exception replaces the weekly rules for its days. */
bool desk_open_now(const struct feed_desk *d, int64_t now, struct desk_span *span);

/* The first opening that starts after `now` within DESK_LOOKAHEAD_DAYS; false when none. */
bool desk_next_opening(const struct feed_desk *d, int64_t now, struct desk_span *out);

/* The exception in force on the facility-local day of `t`, or NULL. */
const struct feed_hours_exception *desk_exception_on(const struct feed_desk *d, int64_t t);

/* Whole days from the facility-local day of `now` to the last day applications are taken:
 * 0 on the deadline's own day, negative once it has passed. */
int grant_days_left(const struct feed_grant *g, int64_t now);

/* True when applications are still taken at `now` (the deadline has not passed). */
bool grant_current(const struct feed_grant *g, int64_t now);

/* Fills `out` (capacity max) with the grants current at `now` (all of them with an
 * implausible clock; f's generated_at decides), nearest deadline first, and returns how
 * many there are in all. */
size_t grants_select(const struct feed *f, int64_t now, const struct feed_grant **out, size_t max);

/* Fills `out` (capacity max) with the groups in document order that name `category`
 * (NULL: any) and, with recruiting_only, want members; returns how many match in all. */
size_t groups_select(const struct feed *f, const char *category, bool recruiting_only,
                     const struct feed_group **out, size_t max);

/* The free slots of room r not ended at `now` that start before the end of the range
 * (FEED_DAY_TODAY: today; FEED_DAY_WEEK: today and the six days after; FEED_DAY_ALL:
 * every one), in order: fills `out` (capacity max), returns how many in all. */
size_t room_free_slots(const struct feed_room *r, int64_t now, enum feed_day range,
                       const struct feed_slot **out, size_t max);

/* The slots (free and booked) of r that fall on the facility-local day `day_start` (as
 * timeutil_day_start gives): fills `out` (capacity max), returns how many in all. */
size_t room_slots_on(const struct feed_room *r, int64_t day_start, const struct feed_slot **out,
                     size_t max);

#endif
