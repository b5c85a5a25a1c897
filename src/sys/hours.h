/* hours: the facility's opening-hours schedule as pure functions.
 *
 * The kiosk shows listings while Musashino Place is open and 「ただいま閉館中です」 with the
 * next opening time while it is closed (and may switch the panel off). Hours come from the
 * config: hours[wday] with open_min/close_min in minutes after local midnight (0 = Sunday;
 * open == close means closed all day; close < open runs past midnight) and closed_dates,
 * "YYYY-MM-DD" days closed whatever the weekday says. Times are Unix seconds read in the
 * facility's zone (util/timeutil.h: timeutil_set_zone must have run). Nothing here reads the
 * clock: the caller passes `now`, so tests move time freely. Any thread; no state. */
#ifndef KIOSK_SYS_HOURS_H
#define KIOSK_SYS_HOURS_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"

/* How far ahead the schedule is searched; a facility closed for longer is "never". */
#define SYS_HOURS_HORIZON_DAYS 400

/* Whether the facility is open at `now`. Opening hours are half-open: open at 09:30:00,
 * closed at 22:00:00. */
bool sys_hours_is_open(const struct config *cfg, int64_t now);

/* The first moment after `now` at which the facility opens (goes from closed to open), for
 * 「次の開館: 12月2日(火) 9:30」. Skips closed dates and closed weekdays. Returns -1 when it
 * does not open within SYS_HOURS_HORIZON_DAYS. */
int64_t sys_hours_next_open(const struct config *cfg, int64_t now);

/* The first moment after `now` at which sys_hours_is_open changes, so the loop can sleep
 * until then. A day closing at 24:00 followed by one opening at 0:00 is no change. Returns
 * -1 when nothing changes within SYS_HOURS_HORIZON_DAYS. */
int64_t sys_hours_next_change(const struct config *cfg, int64_t now);

/* The opening interval [*open, *close) of the facility-local day of `t`, for 「きょうの開館時間
 * 9:30〜22:00」; false when the facility is closed all that day. */
bool sys_hours_day(const struct config *cfg, int64_t t, int64_t *open, int64_t *close);

#endif
