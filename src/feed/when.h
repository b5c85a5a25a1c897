/* when: on which weekdays and at what time of day a listing takes place.
 *
 * People choose volunteering by their free time (plan 1-1③): "Saturday mornings". A listing
 * says when in one of three ways, in this order of trust: weekly `hours` (structured, as a
 * desk's), the coming dates of a series, or the one date of a short item. A long period
 * without hours ("2026-12-01 to 2027-03-31") says nothing about weekdays, and an item that
 * says nothing matches no weekday or time-of-day filter: the filter promises a time, and a
 * listing that might be at any time cannot keep that promise. Times are the facility's. */
#ifndef KIOSK_FEED_WHEN_H
#define KIOSK_FEED_WHEN_H

#include <stdbool.h>
#include <stdint.h>

#include "feed/feed.h"

/* A part of the day: morning before 12:00, afternoon 12:00-17:00, evening from 17:00. */
enum feed_daypart {
    FEED_DAYPART_ANY,
    FEED_DAYPART_MORNING,
    FEED_DAYPART_AFTERNOON,
    FEED_DAYPART_EVENING
};

#define FEED_WEEKDAYS_ANY 0u

/* True when `it` takes place on one of `weekdays` (bit 0 = Sunday; FEED_WEEKDAYS_ANY: any)
 * in `part`, judged by its weekly hours, or else by its dates not ended at `now` (the first
 * 62 of a series), or else by its one date when it lasts at most a day. An all-day date
 * matches every part of its day. With no filter (any day, any part) always true. */
bool feed_when_matches(const struct feed_item *it, unsigned weekdays, enum feed_daypart part,
                       int64_t now);

#endif
