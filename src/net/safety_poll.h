/* safety_poll: fetching the safety feeds (JMA's Atom feeds, a CAP source) politely.
 *
 * One round (safety_poll_round) visits each feed that is due: a conditional GET (ETag,
 * Last-Modified), never more often than once a minute, with the sync worker's backoff after
 * failures (Retry-After honoured, capped); on a changed feed it fetches only the entries not
 * judged before (the hold's memory), oldest first, at most SAFETY_POLL_MAX_DOCS a round,
 * every body capped; each document is judged (jma.h, cap.h) and played onto the hold
 * (safety_hold.h). A feed's validators are kept only once all its new entries were judged,
 * so an entry whose fetch failed is tried again rather than hidden behind a 304.
 * The transfers go through an injectable fetch function: safety_poll_fetch_curl (libcurl,
 * https only, TLS verified, the sync worker's sync_transfer) in the kiosk, a table in tests.
 * One thread calls everything of one poll; it owns its curl handles alone.
 * The kiosk runs it through net/safety_worker.h. */
#ifndef KIOSK_NET_SAFETY_POLL_H
#define KIOSK_NET_SAFETY_POLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/cap.h"
#include "feed/jma.h"
#include "feed/safety_hold.h"

#define SAFETY_POLL_MIN_INTERVAL_S 60
#define SAFETY_POLL_MAX_DOCS 16
#define SAFETY_POLL_MAX_FEEDS 3
#define SAFETY_POLL_ERR_MAX 256 /* libcurl's CURL_ERROR_SIZE, without its header */

enum safety_feed_type { SAFETY_FEED_JMA, SAFETY_FEED_CAP };

/* What a fetch brings back. */
struct safety_fetched {
    long status; /* HTTP status; 0 when the transfer failed */
    char *body;  /* 200 only: malloc'd, NUL-terminated; the caller frees */
    size_t len;
    char etag[256];
    char last_modified[64];
    int64_t retry_after_s;         /* -1: none */
    bool too_large;                /* the body passed the cap: refused for good, not retried */
    char err[SAFETY_POLL_ERR_MAX]; /* a transfer failure, for the log */
};

/* GETs `url` with the validators when not empty, body capped at `max` bytes. */
typedef void (*safety_fetch_fn)(void *ctx, const char *url, const char *etag,
                                const char *last_modified, size_t max, struct safety_fetched *out);

struct safety_poll_opts {
    size_t n_feeds;
    const char *urls[SAFETY_POLL_MAX_FEEDS];
    enum safety_feed_type types[SAFETY_POLL_MAX_FEEDS];
    struct jma_config jma;
    struct cap_config cap;
    /* cap_signed: the CAP document must come with <url>.sig, an Ed25519 signature by one of
     * keys (the fleet's announcement_keys); then only its inline alerts count, since the
     * alerts it links to are not covered by the signature */
    bool cap_signed;
    const char *const *keys;
    size_t n_keys;
    int interval_s;    /* raised to SAFETY_POLL_MIN_INTERVAL_S */
    int backoff_cap_s; /* 1800 */
};

struct safety_poll;

/* Copies the URLs. NULL when memory runs out. */
struct safety_poll *safety_poll_create(const struct safety_poll_opts *o, safety_fetch_fn fetch,
                                       void *fetch_ctx);
void safety_poll_free(struct safety_poll *p);

/* Runs the feeds due at `mono_ms` (a monotonic clock) with the wall clock `now`, and prunes
 * what ended. Returns 1 when the hold changed, 0 when not, -ENOMEM. */
int safety_poll_round(struct safety_poll *p, struct safety_hold *h, int64_t now, int64_t mono_ms);

/* When the next feed is due (monotonic ms). */
int64_t safety_poll_next_due(const struct safety_poll *p);

/* The libcurl fetcher: https only (and file:// when allow_file, for tests), TLS verified. */
struct safety_curl;
struct safety_curl *safety_curl_create(const char *ca_file, int connect_timeout_s,
                                       int total_timeout_s, bool allow_file);
void safety_curl_free(struct safety_curl *c);
/* Makes a transfer under way (and every later one) stop at once. Any thread. */
void safety_curl_stop(struct safety_curl *c);
void safety_poll_fetch_curl(void *ctx, const char *url, const char *etag, const char *last_modified,
                            size_t max, struct safety_fetched *out);

#endif
