/* cache: the last good feed and announcements document, kept on disk across power cuts.
 *
 * Each document lives in the state directory as the raw bytes the server sent
 * (`feed.json`, `announcements.json`) beside a small text file of metadata (`feed.meta`,
 * `announcements.meta`): the HTTP validators for the next conditional GET, when the server
 * last confirmed the content, a digest binding the metadata to the exact body, and for
 * announcements the detached signature. Every write goes through fsio_write_atomic and
 * keeps the previous good copy as `*.prev`. A copy that fails to parse is renamed aside
 * (`feed.json.corrupt-<unix time>`) and the previous one is tried; metadata that does not
 * match a body by digest is ignored (the body is still used, fetched without validators).
 * This module parses only through feed.h and knows nothing of HTTP; it never exits and
 * never crashes on a full or read-only disk: it logs and reports. Calls for one state
 * directory must not run concurrently (the sync worker writes, the app loads at start). */
#ifndef KIOSK_CACHE_CACHE_H
#define KIOSK_CACHE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed.h"
#include "util/clock.h"

/* The documents: the feed (source 0), the announcements, then sources 1 to 15 of a config
 * with several (cache_doc_source): `source-N.json` and `source-N.meta`, whatever format the
 * source's bytes are in. */
enum cache_doc { CACHE_DOC_FEED, CACHE_DOC_ANNOUNCEMENTS };

#define CACHE_MAX_SOURCES 16

/* The document of a source slot (0 is CACHE_DOC_FEED) and back. */
enum cache_doc cache_doc_source(size_t slot);
size_t cache_doc_slot(enum cache_doc doc);

#define CACHE_DIGEST_LEN 33 /* 32 hex digits and NUL */

/* Everything known about a cached body besides its bytes. An empty string means absent. */
struct cache_meta {
    char etag[256];                /* as received; sent back as If-None-Match */
    char last_modified[64];        /* as received; sent back as If-Modified-Since */
    int64_t fetched_at;            /* Unix seconds the server last confirmed it (200/304), 0 = ? */
    char digest[CACHE_DIGEST_LEN]; /* BLAKE2b-128 of the body, hex */
    char signature[128];           /* announcements: the .sig body, trimmed base64 */
};

/* The base name of a document's files ("feed" or "announcements"). */
const char *cache_doc_name(enum cache_doc doc);

/* Hex BLAKE2b-128 digest of `len` bytes. Any thread. */
void cache_digest(const void *data, size_t len, char out[CACHE_DIGEST_LEN]);

/* Loads the cached document `doc` from `state_dir`, before any network: tries the current
 * copy, then `.prev`. A copy that is unreadable or rejected by feed_parse (or
 * feed_parse_announcements) is renamed aside with a log line. For announcements with
 * n_keys > 0 a copy is used only when its stored signature verifies with one of `keys`
 * (base64 Ed25519 public keys); an unverifiable copy is skipped, not moved.
 * On success returns 0, *out is a feed the caller owns (feed_free) and *meta describes it.
 * When nothing usable survives returns -ENOENT with *out NULL and *meta zeroed (the first
 * fetch then goes without validators). -EINVAL for bad arguments. `clock` dates the names
 * of corrupt copies; NULL uses the system clock. Any one thread. */
int cache_load(const char *state_dir, enum cache_doc doc, const struct feed_limits *lim,
               const char *const *keys, size_t n_keys, const struct kclock *clock,
               struct feed **out, struct cache_meta *meta);

struct import_opts;

/* cache_load for a source (slot 0 is the feed) in any format feed_import reads, read with
 * `o` (feed/import.h): a CSV or calendar is judged exactly as when it was fetched. */
int cache_load_source(const char *state_dir, size_t slot, const struct feed_limits *lim,
                      const struct import_opts *o, const struct kclock *clock, struct feed **out,
                      struct cache_meta *meta);

/* Durably replaces the cached body of `doc` with `len` bytes already validated by the
 * caller, and its metadata with *meta (whose digest this sets from the body). The old copy
 * becomes `.prev`. Creates state_dir if missing. Returns 0, or a negative errno value
 * after logging it (full disk, read-only directory): the caller keeps serving what it has
 * in memory. */
int cache_store(const char *state_dir, enum cache_doc doc, const void *body, size_t len,
                struct cache_meta *meta);

/* Rewrites only the metadata (after a 304 or an unchanged body: new fetched_at, maybe new
 * validators); meta->digest must be the cached body's. Returns 0 or a negative errno
 * value after logging it. */
int cache_touch(const char *state_dir, enum cache_doc doc, const struct cache_meta *meta);

#endif
