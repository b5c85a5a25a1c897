/* safety_worker: the safety poller on a thread of its own, with its cache.
 *
 * The worker owns a struct safety_hold and a safety_poll with the libcurl fetcher, runs a
 * round whenever a feed is due (safety_poll.h says how politely), and after every change
 * (a document judged, a banner ended, a staff acknowledgement) writes the held list
 * atomically to state_dir/safety.json and hands the same announcements document to the
 * receiver. At start it reloads that file, so a kiosk restarted mid-warning shows it again
 * and one that ended meanwhile does not come back. The receiver parses the document with
 * feed_parse_announcements and gives it to the model (model_set_safety_doc) on the main
 * thread. Started by app/safety.c. */
#ifndef KIOSK_NET_SAFETY_WORKER_H
#define KIOSK_NET_SAFETY_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "net/safety_poll.h"
#include "util/clock.h"

#define SAFETY_CACHE_NAME "safety.json"
#define SAFETY_CACHE_MAX_BYTES (1024u * 1024u)
#define SAFETY_ACK_QUEUE 16

/* Receives a new announcements document on the worker thread; the receiver owns `doc`
 * (free) and must hand it to the main thread without blocking. */
typedef void (*safety_deliver_fn)(void *ctx, char *doc, size_t len);

struct safety_worker_opts {
    struct safety_poll_opts poll;
    const char *state_dir; /* NULL or "": nothing kept */
    const char *ca_file;   /* extra CA bundle; NULL or "": the system's */
    int connect_timeout_s;
    int total_timeout_s;
    struct kclock clock; /* the wall clock; zeroed = the system's */
};

/* The cached held list with what has not ended at `now`, as an announcements document the
 * caller frees, or NULL (none, unreadable). Any thread; for the main thread at start-up. */
char *safety_cache_load(const char *state_dir, int64_t now, size_t *len);

struct safety_worker;

/* Starts the thread; it delivers the cached list first when there is one. NULL on failure. */
struct safety_worker *safety_worker_start(const struct safety_worker_opts *o, safety_deliver_fn cb,
                                          void *ctx);
/* Staff took an automatic announcement down (safety_hold_ack): queued for the worker, which
 * delivers the new list. 0, or -EAGAIN when the queue is full. Any thread. */
int safety_worker_ack(struct safety_worker *w, const char *id);
/* Stops a transfer under way, joins the thread and frees everything. Accepts NULL. */
void safety_worker_stop(struct safety_worker *w);

#endif
