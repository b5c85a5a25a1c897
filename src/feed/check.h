/* check: the report behind `kiosk --check-feed FILE`.
 *
 * A city runs the kiosk binary on a file before publishing it and sees exactly what the
 * kiosk would keep and drop. The report judges validity only: items in the past are valid
 * (they are hidden at show time, not dropped). */
#ifndef KIOSK_FEED_CHECK_H
#define KIOSK_FEED_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include "feed/feed.h"

/* Judges `len` bytes as a feed (or, when the top-level object has "announcements" but
 * neither "events" nor "volunteers", as an announcements document; or, when it is CSV or
 * iCalendar, as such a source read with `o`, which may be NULL for the defaults) and writes
 * to `out`:
 *   kept: events=N volunteers=N announcements=N
 *   kept: grants=N desks=N rooms=N groups=N  (not for an announcements document)
 *   dropped: <kind> <id>: <reason>          (one line per dropped item; a CSV record is
 *                                            "row <line>", a calendar entry "event <UID>")
 *   warning: <kind> <id>: url is N bytes, too long for a QR code that can be scanned at
 *            this kiosk's size (max M)       (one line per kept item, when lim->qr_max_url)
 * and returns 0; or, when the document is rejected whole, the single line
 *   rejected: <reason>
 * and returns 1. `lim` may be NULL for the defaults. Any thread. */
struct import_opts;
int feed_check_report(const char *data, size_t len, const struct feed_limits *lim,
                      const struct import_opts *o, FILE *out);

/* Logs the warning above (without "warning: ") once for each item of `f` whose signup
 * URL is longer than max_url bytes; returns how many. The screens show such an item's
 * contact instead of its code. 0 max_url: none. Any thread. */
size_t feed_check_log_long_urls(const struct feed *f, size_t max_url);

#endif
