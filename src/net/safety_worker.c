/* safety_worker: the poller's thread, its cache file and the staff acknowledgements. */
#include "net/safety_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/safety_hold.h"
#include "util/fsio.h"
#include "util/log.h"

/* Ended banners are pruned at least this often even when no feed is due. */
#define SAFETY_PRUNE_MS 30000

struct safety_worker {
    struct safety_worker_opts o;
    char *state_dir;
    char *ca_file;
    char *urls[SAFETY_POLL_MAX_FEEDS];
    safety_deliver_fn cb;
    void *ctx;
    struct safety_curl *curl;
    struct safety_poll *poll;
    struct safety_hold *hold;

    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;                    /* under mu */
    char *acks[SAFETY_ACK_QUEUE]; /* under mu */
    size_t n_acks;                /* under mu */
};

static int64_t system_now(void *ctx)
{
    (void)ctx;
    return (int64_t)time(NULL);
}

static void cache_path(const char *dir, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", dir, SAFETY_CACHE_NAME);
}

char *safety_cache_load(const char *state_dir, int64_t now, size_t *len)
{
    char path[1024];
    char *text = NULL;
    size_t n = 0;
    char *out = NULL;
    struct safety_hold *h;

    if (!state_dir || !state_dir[0]) {
        return NULL;
    }
    cache_path(state_dir, path, sizeof path);
    if (fsio_read_file(path, SAFETY_CACHE_MAX_BYTES, &text, &n) < 0) {
        return NULL;
    }
    h = safety_hold_create();
    if (h && safety_hold_load_json(h, text, n, now) == 0) {
        out = safety_hold_to_json(h, now);
    } else {
        LOG_WARN("safety", "%s: unreadable, ignored", path);
    }
    safety_hold_free(h);
    free(text);
    if (out && len) {
        *len = strlen(out);
    }
    return out;
}

/* Writes the held list and hands it over. */
static void publish(struct safety_worker *w, int64_t now)
{
    char path[1024];
    char *doc = safety_hold_to_json(w->hold, now);
    if (!doc) {
        LOG_ERROR("safety", "out of memory: the held list is not handed over");
        return;
    }
    if (w->state_dir) {
        cache_path(w->state_dir, path, sizeof path);
        int rc = fsio_write_atomic(path, doc, strlen(doc), false);
        if (rc < 0) {
            LOG_WARN("safety", "%s: not written: %s", path, fsio_strerror(rc));
        }
    }
    w->cb(w->ctx, doc, strlen(doc));
}

static bool take_acks(struct safety_worker *w)
{
    char *acks[SAFETY_ACK_QUEUE];
    size_t n;
    bool changed = false;

    pthread_mutex_lock(&w->mu);
    n = w->n_acks;
    memcpy(acks, w->acks, n * sizeof acks[0]);
    w->n_acks = 0;
    pthread_mutex_unlock(&w->mu);
    for (size_t i = 0; i < n; i++) {
        if (safety_hold_ack(w->hold, acks[i]) == 0) {
            LOG_AUDIT("safety", "acknowledged %s: it does not come back from the same report",
                      acks[i]);
            changed = true;
        }
        free(acks[i]);
    }
    return changed;
}

/* Sleeps until `deadline_ms` (monotonic), a stop or an acknowledgement; false on stop. */
static bool wait_until(struct safety_worker *w, int64_t deadline_ms)
{
    bool go_on;
    pthread_mutex_lock(&w->mu);
    while (!w->stop && w->n_acks == 0) {
        int64_t left = deadline_ms - kclock_mono_ms();
        if (left <= 0) {
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)(left / 1000);
        ts.tv_nsec += (long)(left % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    go_on = !w->stop;
    pthread_mutex_unlock(&w->mu);
    return go_on;
}

static void *worker_main(void *arg)
{
    struct safety_worker *w = arg;
    int64_t now = kclock_now(&w->o.clock);
    char *cached = safety_cache_load(w->state_dir, now, NULL);

    if (cached) {
        if (safety_hold_load_json(w->hold, cached, strlen(cached), now) == 0) {
            publish(w, now);
        }
        free(cached);
    }
    for (;;) {
        int64_t mono = kclock_mono_ms();
        int64_t due = safety_poll_next_due(w->poll);
        if (due > mono + SAFETY_PRUNE_MS) {
            due = mono + SAFETY_PRUNE_MS;
        }
        if (!wait_until(w, due)) {
            break;
        }
        now = kclock_now(&w->o.clock);
        bool changed = take_acks(w);
        int rc = safety_poll_round(w->poll, w->hold, now, kclock_mono_ms());
        if (rc < 0) {
            LOG_ERROR("safety", "out of memory in a round");
        }
        if (changed || rc > 0) {
            publish(w, now);
        }
    }
    return NULL;
}

static void worker_free(struct safety_worker *w)
{
    safety_poll_free(w->poll);
    safety_curl_free(w->curl);
    safety_hold_free(w->hold);
    for (size_t i = 0; i < SAFETY_POLL_MAX_FEEDS; i++) {
        free(w->urls[i]);
    }
    for (size_t i = 0; i < w->n_acks; i++) {
        free(w->acks[i]);
    }
    free(w->state_dir);
    free(w->ca_file);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}

struct safety_worker *safety_worker_start(const struct safety_worker_opts *o, safety_deliver_fn cb,
                                          void *ctx)
{
    struct safety_worker *w = calloc(1, sizeof *w);
    if (!w) {
        return NULL;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->o = *o;
    if (!w->o.clock.now) {
        w->o.clock.now = system_now;
        w->o.clock.ctx = NULL;
    }
    w->cb = cb;
    w->ctx = ctx;
    w->state_dir = o->state_dir && o->state_dir[0] ? strdup(o->state_dir) : NULL;
    w->ca_file = o->ca_file && o->ca_file[0] ? strdup(o->ca_file) : NULL;
    w->curl = safety_curl_create(w->ca_file, o->connect_timeout_s, o->total_timeout_s, false);
    w->poll = safety_poll_create(&o->poll, safety_poll_fetch_curl, w->curl);
    w->hold = safety_hold_create();
    if ((o->state_dir && o->state_dir[0] && !w->state_dir) ||
        (o->ca_file && o->ca_file[0] && !w->ca_file) || !w->curl || !w->poll || !w->hold) {
        worker_free(w);
        return NULL;
    }
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        worker_free(w);
        return NULL;
    }
    return w;
}

int safety_worker_ack(struct safety_worker *w, const char *id)
{
    int rc = 0;
    char *copy = strdup(id);
    if (!copy) {
        return -ENOMEM;
    }
    pthread_mutex_lock(&w->mu);
    if (w->n_acks >= SAFETY_ACK_QUEUE) {
        rc = -EAGAIN;
    } else {
        w->acks[w->n_acks++] = copy;
        copy = NULL;
        pthread_cond_signal(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    free(copy);
    return rc;
}

void safety_worker_stop(struct safety_worker *w)
{
    if (!w) {
        return;
    }
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    safety_curl_stop(w->curl);
    pthread_join(w->thread, NULL);
    worker_free(w);
}
