/* cap: Common Alerting Protocol 1.2 alerts, judged for one facility.
 *
 * cap_judge() reads a single <alert>, or an Atom or RSS feed whose entries carry alerts
 * inline, and decides what the kiosk shows because of each (docs/safety.md has the table):
 *   - status Actual is real; Exercise is shown only with drill_mode, under 【訓練】 and with
 *     ids of its own; System, Test and Draft never;
 *   - msgType Alert shows, Update shows and takes down what it references, Cancel only takes
 *     down; Ack and Error change nothing;
 *   - the info block in Japanese is chosen first (an English one gives text.en), else the
 *     first; urgency Past or certainty Unlikely is not shown; severity and urgency give the
 *     level (Extreme, or Severe and Immediate: emergency; Severe, Moderate or Unknown:
 *     important; Minor: normal);
 *   - an info past its expires, or without expires older than max_age_s, is dropped;
 *   - an info with areas is ours when a geocode value is the configured area code (or shares
 *     its first five digits, the JIS municipality code, when both are digits); one without
 *     any area is shown only with show_unlocated.
 * Ids are "cap." and a hash of sender and identifier, so a reference (sender,identifier,sent)
 * finds the announcement it updates or cancels. The text is the alert's own: headline (or
 * event), the area's description, the description, the time sent and the senderName.
 * cap_feed_links() lists the alerts a feed only links to, for the poller. Plain C, no I/O. */
#ifndef KIOSK_FEED_CAP_H
#define KIOSK_FEED_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/safety.h"

#define CAP_MAX_BYTES (1024u * 1024u)
#define CAP_MAX_AGE_DEFAULT 86400
#define CAP_MAX_ALERTS 64 /* alerts judged per feed; the rest are ignored and logged */

struct cap_config {
    const char *area_code; /* geocode value of the facility's area ("" = none matches) */
    bool show_unlocated;   /* show alerts whose info has no area */
    bool drill_mode;       /* show Exercise (under 【訓練】) */
    int64_t max_age_s;     /* for an info without expires: 86400 */
    size_t max_bytes;      /* CAP_MAX_BYTES */
};

/* Musashino: area 13203 (JIS), no unlocated alerts, no drills. */
void cap_config_default(struct cap_config *c);

/* Judges one document at `now` into `out` (initialised, empty). 0 when read (out may be
 * empty, with the reason in out->why); -EINVAL (not CAP nor a feed of it, malformed),
 * -EFBIG or -ENOMEM with out left empty and a warning logged. A malformed alert inside a
 * feed is skipped with a warning; the others count. */
int cap_judge(const char *data, size_t len, const struct cap_config *cfg, int64_t now,
              struct safety_update *out);

struct cap_link {
    char id[128];  /* the entry's id or guid ("" when absent: the url stands for it) */
    char url[512]; /* https */
};

/* Lists up to `max` https links of an Atom or RSS feed's entries that carry no inline
 * alert. Returns the count, or -EINVAL / -EFBIG (logged). */
int cap_feed_links(const char *data, size_t len, const struct cap_config *cfg, struct cap_link *out,
                   size_t max);

#endif
