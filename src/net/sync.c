/* sync: the fetch worker's schedule (see sync.h and sync_internal.h).
 *
 * This file owns the worker: its set-up from the config, the two documents it keeps
 * current, the thread and its wake-ups. The worker drives one easy handle through a multi
 * handle so that sync_destroy can wake a transfer out of curl_multi_poll at once
 * (curl_multi_wakeup) instead of waiting for the next progress tick. Between attempts it
 * sleeps on a condition variable bound to CLOCK_MONOTONIC, so wall clock jumps (NTP after
 * boot) neither stall nor hurry the schedule. One transfer is sync_xfer.c; what it meant
 * and what is kept of it, sync_attempt.c. */
#include "net/sync.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "config/config.h"
#include "config/config_sources.h"
#include "crypto/sigcheck.h"
#include "net/sync_internal.h"
#include "util/log.h"

int64_t sync_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t sync_system_now(void *ctx)
{
    (void)ctx;
    return (int64_t)time(NULL);
}

static uint32_t sync_default_rand(void *ctx)
{
    (void)ctx;
    return randombytes_random();
}

const char *sync_fail_name(enum sync_fail f)
{
    static const char *const names[] = {
        [SYNC_FAIL_NONE] = "none",
        [SYNC_FAIL_NETWORK] = "network",
        [SYNC_FAIL_TIMEOUT] = "timeout",
        [SYNC_FAIL_TOO_SLOW] = "too_slow",
        [SYNC_FAIL_TLS] = "tls",
        [SYNC_FAIL_HTTP] = "http",
        [SYNC_FAIL_TOO_LARGE] = "too_large",
        [SYNC_FAIL_TRUNCATED] = "truncated",
        [SYNC_FAIL_REJECTED] = "rejected",
        [SYNC_FAIL_SIGNATURE] = "signature",
        [SYNC_FAIL_OTHER] = "other",
    };
    return (size_t)f < sizeof names / sizeof names[0] && names[f] ? names[f] : "other";
}

void sync_result_free(struct sync_result *r)
{
    if (!r) {
        return;
    }
    feed_free(r->feed);
    free(r);
}

void sync_params_default(struct sync_params *p)
{
    memset(p, 0, sizeof *p);
    p->poll_interval_s = 300;
    p->announcements_poll_interval_s = 30;
    p->backoff_base_s = BACKOFF_BASE_DEFAULT_S;
    p->backoff_cap_s = BACKOFF_CAP_DEFAULT_S;
    p->connect_timeout_s = 10;
    p->total_timeout_s = 60;
    p->low_speed_limit = 100;
    p->low_speed_time_s = 20;
    p->max_feed_bytes = FEED_MAX_BYTES_DEFAULT;
    p->max_items = FEED_MAX_ITEMS_DEFAULT;
}

void sync_params_from_config(struct sync_params *p, const struct config *c)
{
    sync_params_default(p);
    p->feed_url = c->feed_url;
    p->announcements_url = c->announcements_url;
    p->state_dir = c->state_dir;
    p->poll_interval_s = c->poll_interval_s;
    p->announcements_poll_interval_s = c->announcements_poll_interval_s;
    p->backoff_cap_s = c->backoff_cap_s;
    p->connect_timeout_s = c->connect_timeout_s;
    p->total_timeout_s = c->total_timeout_s;
    p->low_speed_limit = c->low_speed_limit;
    p->low_speed_time_s = c->low_speed_time_s;
    p->max_feed_bytes = c->max_feed_bytes;
    p->max_items = c->max_items;
    p->allow_http = c->allow_http;
    p->ca_file = c->ca_file;
    p->pinned_pubkey = c->pinned_pubkey;
    p->announcement_keys = (const char *const *)c->announcement_keys;
    p->n_announcement_keys = c->n_announcement_keys;
    for (size_t i = 0; i < CACHE_MAX_SOURCES; i++) {
        struct config_import ci;
        /* the prefix is copied by sync_create from opts.id_prefix's slot, not kept */
        config_import_opts(c, i, 0, &ci);
        p->sources[i].opts = ci.opts;
        p->sources[i].opts.id_prefix = NULL;
        p->sources[i].url = i == 0 ? NULL : c->sources[i].url;
        config_source_name(c, i, p->sources[i].name, sizeof p->sources[i].name);
    }
    p->sources_set = true;
}

static bool sync_set(const char *s)
{
    return s && s[0];
}

static char *sync_strdup_or_null(const char *s)
{
    return sync_set(s) ? strdup(s) : NULL;
}

static bool sync_scheme_is(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return strncasecmp(url, scheme, n) == 0 && strncmp(url + n, "://", 3) == 0;
}

static void sync_free_fields(struct sync *s)
{
    size_t i;

    for (i = 0; i < SYNC_MAX_DOCS; i++) {
        free(s->docs[i].url);
        free(s->docs[i].sig_url);
        free(s->docs[i].category);
    }
    for (i = 0; i < s->n_keys; i++) {
        free(s->keys[i]);
    }
    free(s->keys);
    free(s->state_dir);
    free(s->ca_file);
    free(s->pinned);
}

/* A source's name and reading options, copied so that p need not outlive the sync. */
static int sync_init_source(struct sync_docstate *d, const struct sync_params *p)
{
    const struct sync_source *src = &p->sources[d->slot];
    const char *cat;

    if (p->sources_set) {
        d->opts = src->opts;
    } else {
        import_opts_default(&d->opts);
    }
    if (d->opts.max_items == 0) {
        d->opts.max_items = p->max_items;
    }
    /* the first source keeps its ids; the others get their slot (config_sources.c) */
    if (d->slot == 0) {
        d->prefix[0] = '\0';
    } else {
        snprintf(d->prefix, sizeof d->prefix, "s%zu-", d->slot);
    }
    d->opts.id_prefix = d->prefix;
    cat = p->sources_set ? src->opts.default_category : NULL;
    d->opts.default_category = NULL;
    if (cat && cat[0]) {
        d->category = strdup(cat);
        if (!d->category) {
            return -ENOMEM;
        }
        d->opts.default_category = d->category;
    }
    d->opts.drop = NULL;
    if (p->sources_set && src->name[0]) {
        snprintf(d->name, sizeof d->name, "%s", src->name);
    } else {
        snprintf(d->name, sizeof d->name, "%s", cache_doc_name(d->doc));
    }
    return 0;
}

static int sync_init_doc(struct sync *s, enum cache_doc doc, const char *url, int interval_s,
                         const struct sync_params *p, const struct cache_meta *meta)
{
    struct sync_docstate *d = &s->docs[doc];
    bool ann = doc == CACHE_DOC_ANNOUNCEMENTS;
    bool http_ok = !ann && p->allow_http;

    d->doc = doc;
    d->slot = ann ? 0 : cache_doc_slot(doc);
    if (!sync_set(url)) {
        return 0;
    }
    if (!ann && sync_init_source(d, p) != 0) {
        return -ENOMEM;
    }
    if (!sync_scheme_is(url, "https") && !sync_scheme_is(url, "file") &&
        !(http_ok && sync_scheme_is(url, "http"))) {
        LOG_ERROR("sync", "%s URL must be https:// or file://%s: %s",
                  ann ? "announcements" : d->name, http_ok ? " (or http://)" : "", url);
        return -EINVAL;
    }
    d->url = strdup(url);
    if (!d->url) {
        return -ENOMEM;
    }
    if (doc == CACHE_DOC_ANNOUNCEMENTS && p->n_announcement_keys > 0) {
        size_t n = strlen(url) + 5;
        d->sig_url = malloc(n);
        if (!d->sig_url) {
            return -ENOMEM;
        }
        snprintf(d->sig_url, n, "%s.sig", url);
    }
    d->protocols = http_ok ? "https,http,file" : "https,file";
    if (meta) {
        d->meta = *meta;
    }
    backoff_init(&d->bo, interval_s, p->backoff_base_s, p->backoff_cap_s);
    d->enabled = true;
    return 0;
}

struct sync *sync_create(const struct sync_params *p, sync_deliver_fn cb, void *ctx)
{
    struct sync *s;
    pthread_condattr_t ca;
    size_t i;
    int rc;

    bool any = p && sync_set(p->feed_url);
    for (i = 1; p && i < CACHE_MAX_SOURCES; i++) {
        any = any || sync_set(p->sources[i].url);
    }
    if (!p || !cb || !any) {
        LOG_ERROR("sync", "no feed URL or callback");
        return NULL;
    }
    if (p->n_announcement_keys > 0 && !p->announcement_keys) {
        return NULL;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    s->cb = cb;
    s->ctx = ctx;
    atomic_init(&s->stopping, false);
    s->connect_timeout_s = p->connect_timeout_s > 0 ? p->connect_timeout_s : 10;
    s->total_timeout_s = p->total_timeout_s > 0 ? p->total_timeout_s : 60;
    s->low_speed_limit = p->low_speed_limit > 0 ? p->low_speed_limit : 0;
    s->low_speed_time_s = p->low_speed_time_s > 0 ? p->low_speed_time_s : 20;
    s->max_bytes = p->max_feed_bytes > 0 ? p->max_feed_bytes : FEED_MAX_BYTES_DEFAULT;
    feed_limits_default(&s->lim);
    s->lim.max_bytes = s->max_bytes;
    if (p->max_items > 0) {
        s->lim.max_items = p->max_items;
    }
    s->lim.allow_http = p->allow_http;
    s->clock = p->clock.now ? p->clock : (struct kclock){sync_system_now, NULL};
    s->rnd = p->rnd ? p->rnd : sync_default_rand;
    s->rnd_ctx = p->rnd ? p->rnd_ctx : NULL;

    s->state_dir = sync_strdup_or_null(p->state_dir);
    s->ca_file = sync_strdup_or_null(p->ca_file);
    s->pinned = sync_strdup_or_null(p->pinned_pubkey);
    if ((sync_set(p->state_dir) && !s->state_dir) || (sync_set(p->ca_file) && !s->ca_file) ||
        (sync_set(p->pinned_pubkey) && !s->pinned)) {
        goto fail;
    }
    if (p->n_announcement_keys > 0) {
        unsigned char key[SIGCHECK_KEY_BYTES];
        s->keys = calloc(p->n_announcement_keys, sizeof *s->keys);
        if (!s->keys) {
            goto fail;
        }
        for (i = 0; i < p->n_announcement_keys; i++) {
            if (sigcheck_parse_key(p->announcement_keys[i], key) != 0) {
                LOG_ERROR("sync", "announcement key %zu is not base64 of 32 bytes", i + 1);
                goto fail;
            }
            s->keys[i] = strdup(p->announcement_keys[i]);
            if (!s->keys[i]) {
                goto fail;
            }
            s->n_keys++;
        }
    }
    if (sync_init_doc(s, CACHE_DOC_FEED, p->feed_url, p->poll_interval_s, p, &p->feed_meta)) {
        goto fail;
    }
    for (i = 1; i < CACHE_MAX_SOURCES; i++) {
        if (sync_init_doc(s, cache_doc_source(i), p->sources[i].url, p->poll_interval_s, p,
                          &p->sources[i].meta)) {
            goto fail;
        }
    }
    if (sync_init_doc(s, CACHE_DOC_ANNOUNCEMENTS, p->announcements_url,
                      p->announcements_poll_interval_s > 0 ? p->announcements_poll_interval_s : 30,
                      p, &p->ann_meta)) {
        goto fail;
    }
    if (sigcheck_init() != 0) {
        goto fail;
    }

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        goto fail;
    }
    s->curl_inited = true;
    s->multi = curl_multi_init();
    s->easy = curl_easy_init();
    if (!s->multi || !s->easy) {
        goto fail;
    }

    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        goto fail;
    }
    rc = pthread_condattr_init(&ca);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        if (rc == 0) {
            rc = pthread_cond_init(&s->cv, &ca);
        }
        pthread_condattr_destroy(&ca);
    }
    if (rc != 0) {
        pthread_mutex_destroy(&s->mu);
        goto fail;
    }
    return s;

fail:
    LOG_ERROR("sync", "cannot set up the sync worker");
    if (s->easy) {
        curl_easy_cleanup(s->easy);
    }
    if (s->multi) {
        curl_multi_cleanup(s->multi);
    }
    if (s->curl_inited) {
        curl_global_cleanup();
    }
    sync_free_fields(s);
    free(s);
    return NULL;
}

/* ---- the worker ---- */

static void *sync_main(void *arg)
{
    struct sync *s = arg;

    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        struct sync_docstate *next = NULL;
        int64_t now = sync_mono_ms();
        size_t i;

        for (i = 0; i < SYNC_MAX_DOCS; i++) {
            struct sync_docstate *d = &s->docs[i];
            if (!d->enabled) {
                continue;
            }
            if (s->requested) {
                d->due_ms = now;
            }
            if (!next || d->due_ms < next->due_ms) {
                next = d;
            }
        }
        s->requested = false;
        if (next->due_ms > now) {
            struct timespec ts;
            int64_t wait = next->due_ms - now;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += (time_t)(wait / 1000);
            ts.tv_nsec += (long)(wait % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            /* Woken early by stop or a request; a spurious wake-up just loops. */
            (void)pthread_cond_timedwait(&s->cv, &s->mu, &ts);
            continue;
        }
        pthread_mutex_unlock(&s->mu);
        struct sync_result *r = sync_attempt(s, next);
        if (r && !atomic_load(&s->stopping)) {
            s->cb(r, s->ctx);
        } else {
            sync_result_free(r);
        }
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int sync_start(struct sync *s)
{
    int64_t now = sync_mono_ms();
    int rc;

    if (!s || s->started) {
        return -EINVAL;
    }
    for (size_t i = 0; i < SYNC_MAX_DOCS; i++) {
        s->docs[i].due_ms = now;
    }
    rc = pthread_create(&s->thread, NULL, sync_main, s);
    if (rc != 0) {
        LOG_ERROR("sync", "cannot start the worker: %s", strerror(rc));
        return -rc;
    }
    s->started = true;
    return 0;
}

void sync_request_now(struct sync *s)
{
    if (!s) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    if (!s->stop) {
        s->requested = true;
        pthread_cond_signal(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
}

int sync_run_once(struct sync *s, enum cache_doc doc)
{
    struct sync_result *r;

    if (!s || s->started || (size_t)doc >= SYNC_MAX_DOCS || !s->docs[doc].enabled) {
        return -EINVAL;
    }
    r = sync_attempt(s, &s->docs[doc]);
    if (!r) {
        return -ENOMEM;
    }
    s->cb(r, s->ctx);
    return 0;
}

void sync_destroy(struct sync *s)
{
    if (!s) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    atomic_store(&s->stopping, true);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->started) {
        curl_multi_wakeup(s->multi);
        pthread_join(s->thread, NULL);
    }
    curl_easy_cleanup(s->easy);
    curl_multi_cleanup(s->multi);
    curl_global_cleanup();
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    sync_free_fields(s);
    free(s);
}
