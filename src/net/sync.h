/* sync: the worker thread that fetches the feed (and the announcements document).
 *
 * One thread owns every libcurl handle. It polls the feed URL (https://, or file://; http://
 * only with allow_http) every poll interval with a conditional GET, validates the body with
 * feed_parse, stores a good body in the cache, and hands the caller a finished, immutable
 * snapshot through a callback; on failure it backs off (backoff.h) and the last good
 * content stays where it is. When an announcements URL is set it polls that too, on its
 * own schedule and cache file, and with announcement keys it accepts only a document whose
 * `<url>.sig` verifies (sigcheck.h). Every attempt writes one log line with module "sync".
 *
 * TLS: peer and host verification are always on. ca_file, when set, becomes libcurl's
 * CAINFO (which replaces the bundle file) while CAPATH stays the system directory
 * /etc/ssl/certs, so with OpenSSL the extra CA is trusted in addition to the system roots.
 * pinned_pubkey is libcurl's "sha256//KEY1;sha256//KEY2" (a backup key may be listed).
 * Redirects: at most 3, to https only.
 *
 * Threads: sync_create, sync_start, sync_run_once and sync_destroy belong to one owner
 * thread (the main thread); sync_request_now may be called from any thread. The callback
 * runs on the worker thread and must not call sync_* functions on the same struct sync. */
#ifndef KIOSK_NET_SYNC_H
#define KIOSK_NET_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "feed/feed.h"
#include "feed/import.h"
#include "net/backoff.h"
#include "util/clock.h"

struct config;

/* Why an attempt failed; SYNC_FAIL_NONE when it succeeded. */
enum sync_fail {
    SYNC_FAIL_NONE,
    SYNC_FAIL_NETWORK,   /* DNS, connect, reset, protocol not allowed, too many redirects */
    SYNC_FAIL_TIMEOUT,   /* connect or total timeout */
    SYNC_FAIL_TOO_SLOW,  /* below low_speed_limit for low_speed_time_s */
    SYNC_FAIL_TLS,       /* certificate, host name or public-key pin */
    SYNC_FAIL_HTTP,      /* a status other than 200 or 304 */
    SYNC_FAIL_TOO_LARGE, /* body over max_feed_bytes */
    SYNC_FAIL_TRUNCATED, /* the connection ended before the announced length */
    SYNC_FAIL_REJECTED,  /* the body failed validation (not a feed, captive portal page) */
    SYNC_FAIL_SIGNATURE, /* announcements unsigned or badly signed */
    SYNC_FAIL_OTHER,
};

/* The outcome of one attempt. Immutable once delivered; the receiver owns it and frees it
 * with sync_result_free (which also frees `feed` unless the receiver took it and set the
 * field to NULL). */
struct sync_result {
    enum cache_doc doc;
    size_t source;        /* the source's slot (cache_doc_slot); 0 for the announcements */
    char source_name[64]; /* the source's name for people ("feed", a label, a host) */
    char format[8];       /* "json", "csv", "ical" of a fresh body; "" otherwise */
    bool ok;              /* 200 with a valid body, 304, or an unchanged body */
    bool not_modified;    /* ok and the content is what the receiver already has */
    struct feed *feed;    /* the new document when ok && !not_modified, else NULL */
    enum sync_fail fail;
    long http_status;   /* 0 when no HTTP response (file://, network errors) */
    char message[160];  /* the log line without "sync: ", e.g. "304 in 41 ms" */
    int64_t started_at; /* wall clock (params clock), Unix seconds */
    int64_t finished_at;
    int64_t fetched_at;      /* when the content now held was last confirmed, 0 = never */
    int64_t next_attempt_at; /* when the worker will try this document again */
    long duration_ms;
};

void sync_result_free(struct sync_result *r);

/* A failure's class as a short lowercase word ("network", "timeout", "tls", "http",
 * "too_large", "truncated", "rejected", "signature", "too_slow", "other"; "none"). */
const char *sync_fail_name(enum sync_fail f);

/* Receives each result on the worker thread; takes ownership of r. */
typedef void (*sync_deliver_fn)(struct sync_result *r, void *ctx);

/* One source beside the feed (or the feed's own reading options, in slot 0). */
struct sync_source {
    const char *url;         /* slots 1-15: https:// or file://; NULL or "" = unused */
    char name[64];           /* for the log and the status; "" = "feed" / "source-N" */
    struct import_opts opts; /* how its bytes are read (feed/import.h); now is set per parse */
    struct cache_meta meta;  /* what cache_load_source returned (slot 0: feed_meta) */
};

struct sync_params {
    const char *feed_url;                 /* source 0; a feed or any source is required */
    const char *announcements_url;        /* NULL or "" = none */
    const char *state_dir;                /* cache directory; NULL or "" = no cache writes */
    int poll_interval_s;                  /* 300 */
    int announcements_poll_interval_s;    /* 30 */
    int backoff_base_s;                   /* first failure's ceiling; 0 = BACKOFF_BASE_DEFAULT_S */
    int backoff_cap_s;                    /* 1800 */
    int connect_timeout_s;                /* 10 */
    int total_timeout_s;                  /* 60 */
    int low_speed_limit;                  /* bytes/s, 100; 0 = off */
    int low_speed_time_s;                 /* 20 */
    size_t max_feed_bytes;                /* 8 MiB, counted while downloading */
    size_t max_items;                     /* per kind, for feed_parse */
    bool allow_http;                      /* http:// feed (never announcements) */
    const char *ca_file;                  /* NULL or "" = system roots only */
    const char *pinned_pubkey;            /* NULL or "" = no pin */
    const char *const *announcement_keys; /* base64 Ed25519 public keys */
    size_t n_announcement_keys;           /* 0 = announcements need no signature */
    /* What cache_load returned for each document, so the first fetch is conditional and a
     * 304 confirms the content the app holds. Zeroed = no cached content. */
    struct cache_meta feed_meta;
    struct cache_meta ann_meta;
    /* [0] gives the feed's name and reading options (its url and meta are the fields above);
     * [1..15] the other sources. Zeroed = a feed v1 JSON feed alone. */
    struct sync_source sources[CACHE_MAX_SOURCES];
    bool sources_set;    /* sources[] was filled (else every slot reads with the defaults) */
    struct kclock clock; /* wall clock; zeroed = system clock */
    backoff_rand_fn rnd; /* NULL = libsodium's randombytes_random */
    void *rnd_ctx;
};

/* Fills p with the defaults above (no URLs, system clock). */
void sync_params_default(struct sync_params *p);

/* Fills p from a config (pointers into c: c must outlive sync_create, not the sync). */
void sync_params_from_config(struct sync_params *p, const struct config *c);

/* Copies everything it needs from p (strings included) and prepares the handles; does not
 * touch the network. Initialises libcurl globally (thread-safe, counted, on this version).
 * Returns NULL with a log line on bad parameters or allocation failure. */
struct sync *sync_create(const struct sync_params *p, sync_deliver_fn cb, void *ctx);

/* Starts the worker; its first attempt at each document is immediate. 0 or -errno. */
int sync_start(struct sync *s);

/* Wakes the worker to try every document now (no-op while stopping). Any thread. */
void sync_request_now(struct sync *s);

/* Runs one attempt at `doc` on the calling thread and delivers its result through the
 * callback before returning; only before sync_start (tests, `kiosk --check-feed`).
 * Returns 0, or -EINVAL (started, or that document is not configured). */
int sync_run_once(struct sync *s, enum cache_doc doc);

/* Stops the worker, aborting a transfer in progress, joins it and frees everything.
 * Returns within about a second even mid-transfer. NULL is fine. Never from the callback. */
void sync_destroy(struct sync *s);

#endif
