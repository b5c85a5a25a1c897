/* safety_hold: the automatic announcements a kiosk holds between safety documents.
 *
 * The poller judges each new JMA or CAP document (jma.h, cap.h) and plays the update here.
 * The hold remembers three things: the announcements in force, the feed entries already
 * judged (so each document is fetched once), and the reports staff acknowledged (so a banner
 * staff took down does not come back from the same report: same id and same start; a newer
 * report may bring it back). It serialises the held list as an announcements document
 * (docs/feed.md), which the cache keeps for a restart mid-warning and which
 * feed_parse_announcements turns into a feed for the model. Plain C, no I/O; one thread. */
#ifndef KIOSK_FEED_SAFETY_HOLD_H
#define KIOSK_FEED_SAFETY_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/safety.h"

#define SAFETY_SEEN_MAX 512 /* entry ids remembered; JMA's feeds list far fewer */
#define SAFETY_ACK_MAX 64

struct safety_hold;

/* NULL when memory runs out. */
struct safety_hold *safety_hold_create(void);
void safety_hold_free(struct safety_hold *h);

/* Plays an update: the cleared ids go, the shown ones are put (replacing the same id)
 * unless staff acknowledged that same report. Returns 1 when the held list changed, 0 when
 * not, -ENOMEM. */
int safety_hold_apply(struct safety_hold *h, const struct safety_update *u);

/* Staff took `id` down: it goes, and the same report never comes back. 0 or -ENOENT. */
int safety_hold_ack(struct safety_hold *h, const char *id);

/* Drops what ended by `now`; true when something was dropped. */
bool safety_hold_prune(struct safety_hold *h, int64_t now);

/* The held list (never NULL), valid until the next change. */
const struct ann_list *safety_hold_list(const struct safety_hold *h);

/* Feed entries judged before, the last SAFETY_SEEN_MAX of them. */
bool safety_hold_seen(const struct safety_hold *h, const char *entry_id);
int safety_hold_mark_seen(struct safety_hold *h, const char *entry_id);

/* The held list as an announcements document generated at `now`; the caller frees it.
 * NULL when memory runs out. */
char *safety_hold_to_json(const struct safety_hold *h, int64_t now);

/* Replaces the held list with the announcements of such a document that have not ended at
 * `now` (the cache after a restart). 0, or -EINVAL with the hold unchanged. */
int safety_hold_load_json(struct safety_hold *h, const char *data, size_t len, int64_t now);

#endif
