/* feed_write: a struct feed written back as a feed v1 document (docs/feed.md).
 *
 * For `kiosk-feed build`: the merged, validated feed of a city's sources becomes the one
 * file many kiosks fetch. The output is deterministic (members in a fixed order, times in
 * the facility's zone) and passes `kiosk --check-feed` with nothing dropped. */
#ifndef KIOSK_FEED_WRITE_H
#define KIOSK_FEED_WRITE_H

#include "feed/feed.h"

/* The document as indented JSON, NUL-terminated, which the caller frees with cJSON_free
 * (plain free with cJSON's default hooks); NULL when memory runs out. Any thread. */
char *feed_write_json(const struct feed *f);

#endif
