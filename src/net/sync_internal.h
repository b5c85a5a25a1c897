/* sync_internal: what the pieces of the fetch worker share, and nothing outside net/.
 *
 * The worker is three files: sync_xfer.c runs one capped transfer (the easy handle's
 * options, the write callback with the size cap, the headers it keeps), sync_attempt.c
 * judges what a transfer meant and persists it, and sync.c schedules attempts (worker
 * thread, backoff, the two documents). They share the worker's state below; sync.h stays
 * the only header the rest of the kiosk includes. */
#ifndef KIOSK_NET_SYNC_INTERNAL_H
#define KIOSK_NET_SYNC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "feed/import.h"
#include "net/sync.h"
#include "util/buf.h"

#define SYNC_MAX_REDIRS 3L
#define SYNC_SIG_MAX_BYTES 1024u
#define SYNC_CA_PATH "/etc/ssl/certs"
/* the feed, the announcements and sources 1 to 15: indexed by enum cache_doc */
#define SYNC_MAX_DOCS (1 + CACHE_MAX_SOURCES)

struct sync_hdrs {
    char etag[256];
    char last_modified[64];
    char retry_after[128];
};

/* One transfer's inputs and outputs; lives on the worker's stack. */
struct sync_xfer {
    struct sync *s;
    struct buf body;     /* capped at the document's limit */
    bool body_too_large; /* the cap stopped the body (a chunked one passes curl's limit) */
    struct sync_hdrs h;
    CURLcode code;
    long status;
    bool stopped;
    char errbuf[CURL_ERROR_SIZE];
};

struct sync_docstate {
    bool enabled;
    enum cache_doc doc;
    char *url;
    char *sig_url; /* announcements with keys only */
    const char *protocols;
    struct cache_meta meta; /* of the content the receiver holds; digest "" = none */
    bool unsaved;           /* that content is not on disk (full or read-only state dir) */
    struct backoff bo;
    int64_t due_ms; /* monotonic */
    /* a source (not the announcements): how its bytes are read and what it is called */
    size_t slot;
    struct import_opts opts; /* id_prefix and default_category point into the two below */
    char prefix[32];
    char *category;
    char name[64];
    int64_t read_day; /* the facility day its content was last read on (0 = not yet) */
};

struct sync {
    sync_deliver_fn cb;
    void *ctx;
    char *state_dir;
    char *ca_file;
    char *pinned;
    char **keys;
    size_t n_keys;
    int connect_timeout_s;
    int total_timeout_s;
    int low_speed_limit;
    int low_speed_time_s;
    size_t max_bytes;
    struct feed_limits lim;
    struct kclock clock;
    backoff_rand_fn rnd;
    void *rnd_ctx;
    struct sync_docstate docs[SYNC_MAX_DOCS];

    CURLM *multi; /* created before and freed after the worker; wakeup from any thread */
    CURL *easy;   /* the worker's alone (or the owner's in sync_run_once) */
    bool curl_inited;

    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;      /* under mu */
    bool requested; /* under mu */
    atomic_bool stopping;
};

/* Milliseconds of CLOCK_MONOTONIC: the schedule's clock, immune to wall-clock jumps. */
int64_t sync_mono_ms(void);

/* Runs one GET of `url` into x (zeroed by the caller except s), its body capped at `max`
 * bytes (counted in the write callback, so a chunked body stops there too). `cond` adds
 * validators. Worker thread (or the owner in sync_run_once). */
void sync_transfer(struct sync *s, const char *url, const char *protocols,
                   const struct cache_meta *cond, size_t max, struct sync_xfer *x);

/* Frees the body a transfer collected. */
void sync_xfer_free(struct sync_xfer *x);

/* One attempt at d: transfer, judge, persist, schedule. Returns the result for the
 * receiver, NULL when stopped (or out of memory). Same threads as sync_transfer. */
struct sync_result *sync_attempt(struct sync *s, struct sync_docstate *d);

#endif
