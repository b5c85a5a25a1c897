/* safety_poll: the rounds over the safety feeds and the libcurl fetcher (safety_poll.h). */
#include "net/safety_poll.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sigcheck.h"
#include "net/backoff.h"
#include "net/sync_internal.h"
#include "util/log.h"

struct feed_state {
    char *url;
    enum safety_feed_type type;
    char etag[256];
    char last_modified[64];
    struct backoff bo;
    int64_t due_ms;
};

struct safety_poll {
    struct feed_state feeds[SAFETY_POLL_MAX_FEEDS];
    size_t n_feeds;
    struct jma_config jma;
    struct cap_config cap;
    int interval_s;
    bool cap_signed;
    char **keys;
    size_t n_keys;
    safety_fetch_fn fetch;
    void *fetch_ctx;
    uint32_t rnd_state;
};

static uint32_t poll_rand(void *ctx)
{
    uint32_t *s = ctx;
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

struct safety_poll *safety_poll_create(const struct safety_poll_opts *o, safety_fetch_fn fetch,
                                       void *fetch_ctx)
{
    struct safety_poll *p = calloc(1, sizeof *p);
    if (!p) {
        return NULL;
    }
    p->jma = o->jma;
    p->cap = o->cap;
    p->interval_s =
        o->interval_s < SAFETY_POLL_MIN_INTERVAL_S ? SAFETY_POLL_MIN_INTERVAL_S : o->interval_s;
    p->fetch = fetch;
    p->fetch_ctx = fetch_ctx;
    p->cap_signed = o->cap_signed;
    if (o->n_keys) {
        p->keys = calloc(o->n_keys, sizeof *p->keys);
        if (!p->keys) {
            safety_poll_free(p);
            return NULL;
        }
        for (size_t i = 0; i < o->n_keys; i++) {
            p->keys[i] = strdup(o->keys[i]);
            if (!p->keys[i]) {
                safety_poll_free(p);
                return NULL;
            }
            p->n_keys = i + 1;
        }
    }
    p->rnd_state = 0x9e3779b9u ^ (uint32_t)(uintptr_t)p;
    for (size_t i = 0; i < o->n_feeds && i < SAFETY_POLL_MAX_FEEDS; i++) {
        if (!o->urls[i] || !o->urls[i][0]) {
            continue;
        }
        struct feed_state *f = &p->feeds[p->n_feeds];
        f->url = strdup(o->urls[i]);
        if (!f->url) {
            safety_poll_free(p);
            return NULL;
        }
        f->type = o->types[i];
        backoff_init(&f->bo, p->interval_s, BACKOFF_BASE_DEFAULT_S,
                     o->backoff_cap_s > 0 ? o->backoff_cap_s : BACKOFF_CAP_DEFAULT_S);
        p->n_feeds++;
    }
    return p;
}

void safety_poll_free(struct safety_poll *p)
{
    if (!p) {
        return;
    }
    for (size_t i = 0; i < p->n_feeds; i++) {
        free(p->feeds[i].url);
    }
    for (size_t i = 0; i < p->n_keys; i++) {
        free(p->keys[i]);
    }
    free(p->keys);
    free(p);
}

int64_t safety_poll_next_due(const struct safety_poll *p)
{
    int64_t due = INT64_MAX;
    for (size_t i = 0; i < p->n_feeds; i++) {
        if (p->feeds[i].due_ms < due) {
            due = p->feeds[i].due_ms;
        }
    }
    return due;
}

static void fetched_free(struct safety_fetched *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

static bool bseen(void *ctx, const char *id)
{
    return safety_hold_seen(ctx, id);
}

/* Fetches, judges and plays one document. 1/0 changed, -EAGAIN when its fetch failed (to
 * be tried again), -ENOMEM. */
static int judge_one(struct safety_poll *p, struct safety_hold *h, enum safety_feed_type type,
                     const char *url, int64_t now)
{
    struct safety_fetched r;
    struct safety_update u;
    int rc;

    memset(&r, 0, sizeof r);
    r.retry_after_s = -1;
    p->fetch(p->fetch_ctx, url, "", "",
             type == SAFETY_FEED_JMA ? p->jma.max_bytes : p->cap.max_bytes, &r);
    if (r.status != 200) {
        long status = r.status;
        bool too_large = r.too_large;
        LOG_WARN("safety", "%s: document not used (%ld %s)", url, r.status, r.err);
        fetched_free(&r);
        /* an oversized document, or one gone for good (404, 410), is not retried for ever */
        return too_large || (status >= 400 && status < 500) ? 0 : -EAGAIN;
    }
    if (safety_update_init(&u) != 0) {
        fetched_free(&r);
        return -ENOMEM;
    }
    if (type == SAFETY_FEED_JMA) {
        rc = jma_judge(r.body, r.len, &p->jma, now, &u);
    } else {
        rc = cap_judge(r.body, r.len, &p->cap, now, &u);
    }
    rc = rc == -ENOMEM ? rc : safety_hold_apply(h, &u);
    safety_update_free(&u);
    fetched_free(&r);
    return rc;
}

/* The unseen entries of a JMA Atom feed, oldest first so newer reports replace older. */
static int round_jma(struct safety_poll *p, struct safety_hold *h, const struct safety_fetched *r,
                     int64_t now, bool *complete)
{
    struct jma_entry *e = calloc(SAFETY_POLL_MAX_DOCS * 4, sizeof *e);
    int n, changed = 0;
    size_t done = 0;

    if (!e) {
        return -ENOMEM;
    }
    n = jma_atom_parse(r->body, r->len, &p->jma, bseen, h, e, SAFETY_POLL_MAX_DOCS * 4);
    if (n < 0) {
        free(e);
        return n == -ENOMEM ? n : 0;
    }
    for (int i = n - 1; i >= 0; i--) {
        if (done++ >= SAFETY_POLL_MAX_DOCS) {
            *complete = false; /* the rest next round: the feed is fetched again */
            break;
        }
        int rc = judge_one(p, h, SAFETY_FEED_JMA, e[i].url, now);
        if (rc == -ENOMEM) {
            free(e);
            return rc;
        }
        if (rc == -EAGAIN) {
            *complete = false;
            continue;
        }
        changed |= rc;
        if (safety_hold_mark_seen(h, e[i].id) != 0) {
            free(e);
            return -ENOMEM;
        }
    }
    free(e);
    return changed;
}

/* The CAP document's detached signature at <url>.sig: 0 when one key verifies it. */
static int verify_cap(struct safety_poll *p, const char *url, const struct safety_fetched *r)
{
    char sig_url[1100];
    char err[160];
    struct safety_fetched sig;
    int rc;

    if (p->n_keys == 0) {
        LOG_WARN("safety", "%s: cap_signed without announcement_keys: refused", url);
        return -EINVAL;
    }
    snprintf(sig_url, sizeof sig_url, "%s.sig", url);
    memset(&sig, 0, sizeof sig);
    sig.retry_after_s = -1;
    p->fetch(p->fetch_ctx, sig_url, "", "", 1024, &sig);
    if (sig.status != 200) {
        LOG_WARN("safety", "%s: no signature (%ld %s): refused", sig_url, sig.status, sig.err);
        fetched_free(&sig);
        return -EAGAIN;
    }
    rc = sigcheck_verify(r->body, r->len, sig.body, sig.len, (const char *const *)p->keys,
                         p->n_keys, err, sizeof err);
    if (rc != 0) {
        LOG_WARN("safety", "%s: signature refused: %s", url, err);
    }
    fetched_free(&sig);
    return rc == 0 ? 0 : -EBADMSG;
}

/* A CAP source: its inline alerts, then the alerts it only links to. */
static int round_cap(struct safety_poll *p, struct safety_hold *h, const char *url,
                     const struct safety_fetched *r, int64_t now, bool *complete)
{
    struct safety_update u;
    struct cap_link links[SAFETY_POLL_MAX_DOCS];
    int changed, n;

    if (p->cap_signed) {
        int rc = verify_cap(p, url, r);
        if (rc != 0) {
            /* tried again later, the feed's validators dropped so it is fetched whole */
            *complete = false;
            return 0;
        }
    }

    if (safety_update_init(&u) != 0) {
        return -ENOMEM;
    }
    if (cap_judge(r->body, r->len, &p->cap, now, &u) == -ENOMEM) {
        safety_update_free(&u);
        return -ENOMEM;
    }
    changed = safety_hold_apply(h, &u);
    safety_update_free(&u);
    if (changed < 0) {
        return changed;
    }
    n = p->cap_signed ? 0 : cap_feed_links(r->body, r->len, &p->cap, links, SAFETY_POLL_MAX_DOCS);
    for (int i = n - 1; i >= 0; i--) {
        const char *key = links[i].id[0] ? links[i].id : links[i].url;
        if (safety_hold_seen(h, key)) {
            continue;
        }
        int rc = judge_one(p, h, SAFETY_FEED_CAP, links[i].url, now);
        if (rc == -ENOMEM) {
            return rc;
        }
        if (rc == -EAGAIN) {
            *complete = false;
            continue;
        }
        changed |= rc;
        if (safety_hold_mark_seen(h, key) != 0) {
            return -ENOMEM;
        }
    }
    return changed;
}

static int64_t fail_delay_ms(struct safety_poll *p, struct feed_state *f, int64_t retry_after)
{
    int64_t s = backoff_failure(&f->bo, retry_after, poll_rand, &p->rnd_state);
    /* never more often than once a minute, failures included */
    return (s < p->interval_s ? p->interval_s : s) * 1000;
}

static int round_feed(struct safety_poll *p, struct feed_state *f, struct safety_hold *h,
                      int64_t now, int64_t mono_ms)
{
    struct safety_fetched r;
    size_t max = f->type == SAFETY_FEED_JMA ? p->jma.max_bytes : p->cap.max_bytes;
    bool complete = true;
    int rc = 0;

    memset(&r, 0, sizeof r);
    r.retry_after_s = -1;
    p->fetch(p->fetch_ctx, f->url, f->etag, f->last_modified, max, &r);
    if (r.status == 304) {
        f->due_ms = mono_ms + (int64_t)backoff_success(&f->bo) * 1000;
        goto out;
    }
    if (r.status != 200) {
        LOG_WARN("safety", "%s: fetch failed (%ld %s)", f->url, r.status, r.err);
        f->due_ms = mono_ms + fail_delay_ms(p, f, r.retry_after_s);
        goto out;
    }
    rc = f->type == SAFETY_FEED_JMA ? round_jma(p, h, &r, now, &complete)
                                    : round_cap(p, h, f->url, &r, now, &complete);
    if (complete) {
        snprintf(f->etag, sizeof f->etag, "%s", r.etag);
        snprintf(f->last_modified, sizeof f->last_modified, "%s", r.last_modified);
        f->due_ms = mono_ms + (int64_t)backoff_success(&f->bo) * 1000;
    } else {
        /* some entries wait: no validators, so the next round sees them again */
        f->etag[0] = '\0';
        f->last_modified[0] = '\0';
        f->due_ms = mono_ms + fail_delay_ms(p, f, -1);
    }
out:
    fetched_free(&r);
    return rc;
}

int safety_poll_round(struct safety_poll *p, struct safety_hold *h, int64_t now, int64_t mono_ms)
{
    int changed = safety_hold_prune(h, now) ? 1 : 0;
    for (size_t i = 0; i < p->n_feeds; i++) {
        if (p->feeds[i].due_ms > mono_ms) {
            continue;
        }
        int rc = round_feed(p, &p->feeds[i], h, now, mono_ms);
        if (rc < 0) {
            return rc;
        }
        changed |= rc;
    }
    return changed;
}

/* ---- the libcurl fetcher, through the sync worker's capped transfer ---- */

struct safety_curl {
    struct sync s; /* only what sync_transfer reads: handles, timeouts, CA */
    bool allow_file;
};

struct safety_curl *safety_curl_create(const char *ca_file, int connect_timeout_s,
                                       int total_timeout_s, bool allow_file)
{
    struct safety_curl *c = calloc(1, sizeof *c);
    if (!c) {
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(c);
        return NULL;
    }
    c->s.curl_inited = true;
    c->s.multi = curl_multi_init();
    c->s.easy = curl_easy_init();
    c->s.ca_file = ca_file && ca_file[0] ? strdup(ca_file) : NULL;
    c->s.connect_timeout_s = connect_timeout_s > 0 ? connect_timeout_s : 10;
    c->s.total_timeout_s = total_timeout_s > 0 ? total_timeout_s : 60;
    c->s.low_speed_limit = 100;
    c->s.low_speed_time_s = 20;
    atomic_init(&c->s.stopping, false);
    c->allow_file = allow_file;
    if (!c->s.multi || !c->s.easy || (ca_file && ca_file[0] && !c->s.ca_file)) {
        safety_curl_free(c);
        return NULL;
    }
    return c;
}

void safety_curl_free(struct safety_curl *c)
{
    if (!c) {
        return;
    }
    if (c->s.easy) {
        curl_easy_cleanup(c->s.easy);
    }
    if (c->s.multi) {
        curl_multi_cleanup(c->s.multi);
    }
    free(c->s.ca_file);
    if (c->s.curl_inited) {
        curl_global_cleanup();
    }
    free(c);
}

void safety_curl_stop(struct safety_curl *c)
{
    atomic_store(&c->s.stopping, true);
}

void safety_poll_fetch_curl(void *ctx, const char *url, const char *etag, const char *last_modified,
                            size_t max, struct safety_fetched *out)
{
    struct safety_curl *c = ctx;
    struct sync_xfer x;
    struct cache_meta cond;

    memset(&x, 0, sizeof x);
    memset(&cond, 0, sizeof cond);
    x.s = &c->s;
    snprintf(cond.etag, sizeof cond.etag, "%s", etag ? etag : "");
    snprintf(cond.last_modified, sizeof cond.last_modified, "%s",
             last_modified ? last_modified : "");
    out->retry_after_s = -1;
    sync_transfer(&c->s, url, c->allow_file ? "https,file" : "https", &cond, max, &x);
    if (x.code != CURLE_OK) {
        out->status = 0;
        out->too_large = x.body_too_large || x.code == CURLE_FILESIZE_EXCEEDED;
        snprintf(out->err, sizeof out->err, "%s",
                 x.body_too_large ? "larger than the cap"
                 : x.errbuf[0]    ? x.errbuf
                                  : curl_easy_strerror(x.code));
        sync_xfer_free(&x);
        return;
    }
    /* file:// has no status: a whole body read is a 200 */
    out->status = x.status ? x.status : 200;
    if (x.h.retry_after[0]) {
        int64_t s;
        if (backoff_parse_retry_after(x.h.retry_after, 0, &s) == 0) {
            out->retry_after_s = s;
        }
    }
    if (out->status == 200) {
        size_t len = 0;
        char *body = buf_take(&x.body, &len);
        out->body = body;
        out->len = body ? len : 0;
        if (!body) {
            out->body = calloc(1, 1);
        }
    }
    snprintf(out->etag, sizeof out->etag, "%s", x.h.etag);
    snprintf(out->last_modified, sizeof out->last_modified, "%s", x.h.last_modified);
    sync_xfer_free(&x);
}
