/* sync: the fetch worker (see sync.h).
 *
 * The worker drives one easy handle through a multi handle so that sync_destroy can wake a
 * transfer out of curl_multi_poll at once (curl_multi_wakeup) instead of waiting for the
 * next progress tick; the xferinfo callback checks the same stop flag as a second line.
 * Between attempts it sleeps on a condition variable bound to CLOCK_MONOTONIC, so wall
 * clock jumps (NTP after boot) neither stall nor hurry the schedule. Bodies are counted in
 * the write callback because CURLOPT_MAXFILESIZE does not stop a chunked body here. */
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
#include "crypto/sigcheck.h"
#include "util/buf.h"
#include "util/log.h"

#define SYNC_MAX_REDIRS 3L
#define SYNC_SIG_MAX_BYTES 1024u
#define SYNC_CA_PATH "/etc/ssl/certs"

struct sync_hdrs {
    char etag[256];
    char last_modified[64];
    char retry_after[128];
};

/* One transfer's inputs and outputs; lives on the worker's stack. */
struct sync_xfer {
    struct sync *s;
    struct buf body;      /* capped at the document's limit */
    bool body_too_large;  /* the cap stopped the body (a chunked one passes curl's limit) */
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
    char *sig_url;          /* announcements with keys only */
    const char *protocols;
    struct cache_meta meta; /* of the content the receiver holds; digest "" = none */
    bool unsaved;           /* that content is not on disk (full or read-only state dir) */
    struct backoff bo;
    int64_t due_ms;         /* monotonic */
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
    struct sync_docstate docs[2];

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

static int64_t sync_mono_ms(void)
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

void sync_result_free(struct sync_result *r)
{
    if (!r)
        return;
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

    for (i = 0; i < 2; i++) {
        free(s->docs[i].url);
        free(s->docs[i].sig_url);
    }
    for (i = 0; i < s->n_keys; i++)
        free(s->keys[i]);
    free(s->keys);
    free(s->state_dir);
    free(s->ca_file);
    free(s->pinned);
}

static int sync_init_doc(struct sync *s, enum cache_doc doc, const char *url, int interval_s,
                         const struct sync_params *p, const struct cache_meta *meta)
{
    struct sync_docstate *d = &s->docs[doc];
    bool http_ok = doc == CACHE_DOC_FEED && p->allow_http;

    d->doc = doc;
    if (!sync_set(url))
        return 0;
    if (!sync_scheme_is(url, "https") && !sync_scheme_is(url, "file") &&
        !(http_ok && sync_scheme_is(url, "http"))) {
        LOG_ERROR("sync", "%s URL must be https:// or file://%s: %s",
                  doc == CACHE_DOC_FEED ? "feed" : "announcements",
                  http_ok ? " (or http://)" : "", url);
        return -EINVAL;
    }
    d->url = strdup(url);
    if (!d->url)
        return -ENOMEM;
    if (doc == CACHE_DOC_ANNOUNCEMENTS && p->n_announcement_keys > 0) {
        size_t n = strlen(url) + 5;
        d->sig_url = malloc(n);
        if (!d->sig_url)
            return -ENOMEM;
        snprintf(d->sig_url, n, "%s.sig", url);
    }
    d->protocols = http_ok ? "https,http,file" : "https,file";
    if (meta)
        d->meta = *meta;
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

    if (!p || !cb || !sync_set(p->feed_url)) {
        LOG_ERROR("sync", "no feed URL or callback");
        return NULL;
    }
    if (p->n_announcement_keys > 0 && !p->announcement_keys)
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
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
    if (p->max_items > 0)
        s->lim.max_items = p->max_items;
    s->lim.allow_http = p->allow_http;
    s->clock = p->clock.now ? p->clock : (struct kclock){sync_system_now, NULL};
    s->rnd = p->rnd ? p->rnd : sync_default_rand;
    s->rnd_ctx = p->rnd ? p->rnd_ctx : NULL;

    s->state_dir = sync_strdup_or_null(p->state_dir);
    s->ca_file = sync_strdup_or_null(p->ca_file);
    s->pinned = sync_strdup_or_null(p->pinned_pubkey);
    if ((sync_set(p->state_dir) && !s->state_dir) || (sync_set(p->ca_file) && !s->ca_file) ||
        (sync_set(p->pinned_pubkey) && !s->pinned))
        goto fail;
    if (p->n_announcement_keys > 0) {
        unsigned char key[SIGCHECK_KEY_BYTES];
        s->keys = calloc(p->n_announcement_keys, sizeof *s->keys);
        if (!s->keys)
            goto fail;
        for (i = 0; i < p->n_announcement_keys; i++) {
            if (sigcheck_parse_key(p->announcement_keys[i], key) != 0) {
                LOG_ERROR("sync", "announcement key %zu is not base64 of 32 bytes", i + 1);
                goto fail;
            }
            s->keys[i] = strdup(p->announcement_keys[i]);
            if (!s->keys[i])
                goto fail;
            s->n_keys++;
        }
    }
    if (sync_init_doc(s, CACHE_DOC_FEED, p->feed_url, p->poll_interval_s, p, &p->feed_meta))
        goto fail;
    if (sync_init_doc(s, CACHE_DOC_ANNOUNCEMENTS, p->announcements_url,
                      p->announcements_poll_interval_s > 0 ? p->announcements_poll_interval_s
                                                           : 30,
                      p, &p->ann_meta))
        goto fail;
    if (sigcheck_init() != 0)
        goto fail;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        goto fail;
    s->curl_inited = true;
    s->multi = curl_multi_init();
    s->easy = curl_easy_init();
    if (!s->multi || !s->easy)
        goto fail;

    if (pthread_mutex_init(&s->mu, NULL) != 0)
        goto fail;
    rc = pthread_condattr_init(&ca);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        if (rc == 0)
            rc = pthread_cond_init(&s->cv, &ca);
        pthread_condattr_destroy(&ca);
    }
    if (rc != 0) {
        pthread_mutex_destroy(&s->mu);
        goto fail;
    }
    return s;

fail:
    LOG_ERROR("sync", "cannot set up the sync worker");
    if (s->easy)
        curl_easy_cleanup(s->easy);
    if (s->multi)
        curl_multi_cleanup(s->multi);
    if (s->curl_inited)
        curl_global_cleanup();
    sync_free_fields(s);
    free(s);
    return NULL;
}

/* ---- one transfer ---- */

static size_t sync_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct sync_xfer *x = userdata;
    size_t n = size * nmemb;
    int rc = buf_append(&x->body, ptr, n);

    if (rc == -EFBIG)
        x->body_too_large = true;
    return rc == 0 ? n : 0; /* 0 aborts with CURLE_WRITE_ERROR */
}

static void sync_copy_header(char *dst, size_t dstlen, const char *v, size_t n)
{
    if (n >= dstlen) {
        dst[0] = '\0'; /* too long to send back whole: better none */
        return;
    }
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t sync_header_cb(char *ptr, size_t size, size_t nitems, void *userdata)
{
    struct sync_xfer *x = userdata;
    size_t n = size * nitems;
    size_t len = n;
    const char *colon;
    const char *v;

    while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n'))
        len--;
    if (len >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
        /* A new response (after a redirect or a 100): forget the previous one's headers. */
        memset(&x->h, 0, sizeof x->h);
        return n;
    }
    colon = memchr(ptr, ':', len);
    if (!colon)
        return n;
    v = colon + 1;
    while (v < ptr + len && (*v == ' ' || *v == '\t'))
        v++;
    while (len > 0 && (ptr[len - 1] == ' ' || ptr[len - 1] == '\t'))
        len--;
    if (v > ptr + len)
        v = ptr + len;
#define SYNC_IS_HDR(name) \
    ((size_t)(colon - ptr) == sizeof(name) - 1 && strncasecmp(ptr, name, sizeof(name) - 1) == 0)
    if (SYNC_IS_HDR("etag"))
        sync_copy_header(x->h.etag, sizeof x->h.etag, v, (size_t)(ptr + len - v));
    else if (SYNC_IS_HDR("last-modified"))
        sync_copy_header(x->h.last_modified, sizeof x->h.last_modified, v,
                         (size_t)(ptr + len - v));
    else if (SYNC_IS_HDR("retry-after"))
        sync_copy_header(x->h.retry_after, sizeof x->h.retry_after, v,
                         (size_t)(ptr + len - v));
#undef SYNC_IS_HDR
    return n;
}

static int sync_xferinfo_cb(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                            curl_off_t ultotal, curl_off_t ulnow)
{
    struct sync_xfer *x = clientp;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return atomic_load(&x->s->stopping) ? 1 : 0;
}

#define SYNC_SETOPT(opt, val)                                                      \
    do {                                                                           \
        if (curl_easy_setopt(e, (opt), (val)) != CURLE_OK) {                       \
            snprintf(x->errbuf, sizeof x->errbuf, "cannot set %s", #opt);          \
            x->code = CURLE_FAILED_INIT;                                           \
            goto out;                                                              \
        }                                                                          \
    } while (0)

/* Runs one GET of `url` into x (zeroed by the caller except s). `cond` adds validators. */
static void sync_transfer(struct sync *s, const char *url, const char *protocols,
                          const struct cache_meta *cond, size_t max, struct sync_xfer *x)
{
    CURL *e = s->easy;
    struct curl_slist *hdrs = NULL;
    bool added = false;
    char line[320];
    CURLMsg *msg;
    int left;

    x->code = CURLE_FAILED_INIT;
    buf_init(&x->body, max);
    curl_easy_reset(e);
    SYNC_SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
    SYNC_SETOPT(CURLOPT_URL, url);
    SYNC_SETOPT(CURLOPT_PROTOCOLS_STR, protocols);
    SYNC_SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "https");
    SYNC_SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
    SYNC_SETOPT(CURLOPT_MAXREDIRS, SYNC_MAX_REDIRS);
    SYNC_SETOPT(CURLOPT_NOSIGNAL, 1L);
    SYNC_SETOPT(CURLOPT_CONNECTTIMEOUT, (long)s->connect_timeout_s);
    SYNC_SETOPT(CURLOPT_TIMEOUT, (long)s->total_timeout_s);
    if (s->low_speed_limit > 0) {
        SYNC_SETOPT(CURLOPT_LOW_SPEED_LIMIT, (long)s->low_speed_limit);
        SYNC_SETOPT(CURLOPT_LOW_SPEED_TIME, (long)s->low_speed_time_s);
    }
    SYNC_SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
    SYNC_SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
    if (s->ca_file) {
        SYNC_SETOPT(CURLOPT_CAINFO, s->ca_file);
        SYNC_SETOPT(CURLOPT_CAPATH, SYNC_CA_PATH);
    }
    if (s->pinned)
        SYNC_SETOPT(CURLOPT_PINNEDPUBLICKEY, s->pinned);
    SYNC_SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    /* Compressed bodies are welcome: the write callback counts the decoded bytes. */
    SYNC_SETOPT(CURLOPT_ACCEPT_ENCODING, "");
    SYNC_SETOPT(CURLOPT_USERAGENT, "musashino-kiosk/" KIOSK_VERSION);
    SYNC_SETOPT(CURLOPT_WRITEFUNCTION, sync_write_cb);
    SYNC_SETOPT(CURLOPT_WRITEDATA, x);
    SYNC_SETOPT(CURLOPT_HEADERFUNCTION, sync_header_cb);
    SYNC_SETOPT(CURLOPT_HEADERDATA, x);
    SYNC_SETOPT(CURLOPT_NOPROGRESS, 0L);
    SYNC_SETOPT(CURLOPT_XFERINFOFUNCTION, sync_xferinfo_cb);
    SYNC_SETOPT(CURLOPT_XFERINFODATA, x);

    if (cond && cond->etag[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", cond->etag);
        struct curl_slist *n = curl_slist_append(hdrs, line);
        if (!n)
            goto out;
        hdrs = n;
    }
    if (cond && cond->last_modified[0]) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", cond->last_modified);
        struct curl_slist *n = curl_slist_append(hdrs, line);
        if (!n)
            goto out;
        hdrs = n;
    }
    if (hdrs)
        SYNC_SETOPT(CURLOPT_HTTPHEADER, hdrs);

    if (curl_multi_add_handle(s->multi, e) != CURLM_OK)
        goto out;
    added = true;
    for (;;) {
        int running = 0;
        if (curl_multi_perform(s->multi, &running) != CURLM_OK || running == 0)
            break;
        if (atomic_load(&s->stopping)) {
            x->stopped = true;
            break;
        }
        if (curl_multi_poll(s->multi, NULL, 0, 1000, NULL) != CURLM_OK)
            break;
    }
    while ((msg = curl_multi_info_read(s->multi, &left)) != NULL) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == e)
            x->code = msg->data.result;
    }
    if (x->code == CURLE_ABORTED_BY_CALLBACK || atomic_load(&s->stopping))
        x->stopped = true;
    if (curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &x->status) != CURLE_OK)
        x->status = 0;

out:
    if (added)
        curl_multi_remove_handle(s->multi, e);
    /* The list must outlive the transfer; reset drops the handle's pointer to it. */
    curl_easy_reset(e);
    curl_slist_free_all(hdrs);
}

#undef SYNC_SETOPT

static void sync_xfer_free(struct sync_xfer *x)
{
    buf_free(&x->body);
}

/* ---- one attempt ---- */

/* Puts a short reason for a failed transfer in buf and returns its class. */
static enum sync_fail sync_classify(const struct sync *s, const struct sync_xfer *x,
                                    long elapsed_ms, char *buf, size_t len)
{
    const char *eb = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->code);

    switch (x->code) {
    case CURLE_OPERATION_TIMEDOUT:
        if (strstr(eb, "too slow")) {
            snprintf(buf, len, "too slow: under %d B/s for %d s", s->low_speed_limit,
                     s->low_speed_time_s);
            return SYNC_FAIL_TOO_SLOW;
        }
        snprintf(buf, len, "timeout after %ld s", (elapsed_ms + 500) / 1000);
        return SYNC_FAIL_TIMEOUT;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (x->body_too_large || x->code == CURLE_FILESIZE_EXCEEDED) {
            snprintf(buf, len, "larger than %zu bytes", x->body.max);
            return SYNC_FAIL_TOO_LARGE;
        }
        break;
    case CURLE_PARTIAL_FILE:
        snprintf(buf, len, "truncated after %zu bytes", x->body.len);
        return SYNC_FAIL_TRUNCATED;
    case CURLE_RECV_ERROR:
        if (x->body.len > 0) {
            snprintf(buf, len, "truncated after %zu bytes: %.150s", x->body.len, eb);
            return SYNC_FAIL_TRUNCATED;
        }
        snprintf(buf, len, "%.150s", eb);
        return SYNC_FAIL_NETWORK;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        snprintf(buf, len, "TLS: %.150s", eb);
        return SYNC_FAIL_TLS;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_FILE_COULDNT_READ_FILE:
    case CURLE_URL_MALFORMAT:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        snprintf(buf, len, "%.150s", eb);
        return SYNC_FAIL_NETWORK;
    default:
        break;
    }
    snprintf(buf, len, "curl error %d: %.150s", (int)x->code, eb);
    return SYNC_FAIL_OTHER;
}

/* Fetches and checks the detached signature of an announcements body. 0 or a reason. */
static int sync_check_signature(struct sync *s, struct sync_docstate *d, const char *body,
                                size_t len, char *sig_out, size_t sig_outlen, char *why,
                                size_t whylen)
{
    struct sync_xfer x;
    char err[160];
    int rc = -EBADMSG;
    size_t a, b;

    memset(&x, 0, sizeof x);
    x.s = s;
    sync_transfer(s, d->sig_url, d->protocols, NULL, SYNC_SIG_MAX_BYTES, &x);
    if (x.stopped) {
        rc = -ECANCELED;
        goto out;
    }
    if (x.code != CURLE_OK) {
        char reason[200];
        sync_classify(s, &x, 0, reason, sizeof reason);
        snprintf(why, whylen, "signature not fetched: %.150s", reason);
        goto out;
    }
    if (x.status != 0 && x.status != 200) {
        snprintf(why, whylen, "unsigned: .sig gave HTTP %ld", x.status);
        goto out;
    }
    if (sigcheck_verify(body, len, x.body.data ? x.body.data : "", x.body.len,
                        (const char *const *)s->keys, s->n_keys, err, sizeof err) != 0) {
        snprintf(why, whylen, "bad signature: %s", err);
        goto out;
    }
    /* Keep the trimmed base64 so cache_load can verify the cached copy again. */
    for (a = 0; a < x.body.len && strchr(" \t\r\n", x.body.data[a]); a++)
        ;
    for (b = x.body.len; b > a && strchr(" \t\r\n", x.body.data[b - 1]); b--)
        ;
    if (b - a < sig_outlen) {
        memcpy(sig_out, x.body.data + a, b - a);
        sig_out[b - a] = '\0';
    }
    rc = 0;
out:
    sync_xfer_free(&x);
    return rc;
}

static void sync_update_validators(struct cache_meta *m, const struct sync_hdrs *h)
{
    if (h->etag[0])
        snprintf(m->etag, sizeof m->etag, "%s", h->etag);
    if (h->last_modified[0])
        snprintf(m->last_modified, sizeof m->last_modified, "%s", h->last_modified);
}

/* Says the result in r->message and in the log with one literal format per kind of line,
 * so the log's per-call-site rate limit treats successes and failures apart. */
#define SYNC_SAY(level, r, ...)                                         \
    do {                                                                \
        snprintf((r)->message, sizeof (r)->message, __VA_ARGS__);       \
        log_msg((level), "sync", __VA_ARGS__);                          \
    } while (0)

/* One attempt at d; NULL when stopped (or out of memory). Updates d's schedule. */
static struct sync_result *sync_attempt(struct sync *s, struct sync_docstate *d)
{
    struct sync_result *r = calloc(1, sizeof *r);
    const bool ann = d->doc == CACHE_DOC_ANNOUNCEMENTS;
    const char *pfx = ann ? "announcements " : "";
    struct sync_xfer x;
    char reason[200] = "";
    char digest[CACHE_DIGEST_LEN];
    int64_t t0 = sync_mono_ms();
    int64_t retry_after = -1;
    bool store_again = false;
    int delay;

    memset(&x, 0, sizeof x);
    x.s = s;
    if (!r)
        return NULL;
    r->doc = d->doc;
    r->started_at = kclock_now(&s->clock);
    sync_transfer(s, d->url, d->protocols, d->meta.digest[0] ? &d->meta : NULL, s->max_bytes,
                  &x);
    if (x.stopped)
        goto stopped;
    r->http_status = x.status;
    if (x.h.retry_after[0] &&
        backoff_parse_retry_after(x.h.retry_after, kclock_now(&s->clock), &retry_after) != 0)
        retry_after = -1;

    if (x.code != CURLE_OK) {
        r->fail = sync_classify(s, &x, (long)(sync_mono_ms() - t0), reason, sizeof reason);
    } else if (x.status == 304) {
        if (d->meta.digest[0]) {
            r->ok = true;
            r->not_modified = true;
        } else {
            r->fail = SYNC_FAIL_HTTP;
            snprintf(reason, sizeof reason, "HTTP 304 to an unconditional request");
        }
    } else if (x.status != 0 && x.status != 200) {
        r->fail = SYNC_FAIL_HTTP;
        if (retry_after >= 0)
            snprintf(reason, sizeof reason, "HTTP %ld, Retry-After %" PRId64 " s", x.status,
                     retry_after);
        else
            snprintf(reason, sizeof reason, "HTTP %ld", x.status);
    } else {
        const char *body = x.body.data ? x.body.data : "";
        cache_digest(body, x.body.len, digest);
        if (d->meta.digest[0] && strcmp(digest, d->meta.digest) == 0) {
            /* The same bytes as the content held: no parse, no cache write (flash wear),
             * unless the disk refused them last time. */
            r->ok = true;
            r->not_modified = true;
            store_again = d->unsaved;
        } else {
            char sig[sizeof d->meta.signature] = "";
            char err[256] = "";
            if (ann && s->n_keys > 0) {
                int rc = sync_check_signature(s, d, body, x.body.len, sig, sizeof sig, reason,
                                              sizeof reason);
                if (rc == -ECANCELED)
                    goto stopped;
                if (rc != 0)
                    r->fail = SYNC_FAIL_SIGNATURE;
            }
            if (r->fail == SYNC_FAIL_NONE) {
                r->feed = ann ? feed_parse_announcements(body, x.body.len, &s->lim, err,
                                                         sizeof err)
                              : feed_parse(body, x.body.len, &s->lim, err, sizeof err);
                if (!r->feed) {
                    r->fail = SYNC_FAIL_REJECTED;
                    snprintf(reason, sizeof reason, "rejected: %.180s", err);
                }
            }
            if (r->fail == SYNC_FAIL_NONE) {
                struct cache_meta m;
                memset(&m, 0, sizeof m);
                sync_update_validators(&m, &x.h);
                m.fetched_at = kclock_now(&s->clock);
                snprintf(m.signature, sizeof m.signature, "%s", sig);
                memcpy(m.digest, digest, sizeof digest);
                d->unsaved = s->state_dir &&
                             cache_store(s->state_dir, d->doc, body,
                                         x.body.len, &m) != 0;
                /* Even when the disk refused, the receiver holds this body now; without
                 * validators the next answer is a whole body, stored once the disk is back
                 * (a 304 would leave the old body on disk under this body's metadata). */
                if (d->unsaved) {
                    m.etag[0] = '\0';
                    m.last_modified[0] = '\0';
                }
                d->meta = m;
                r->ok = true;
            }
        }
    }

    if (r->ok && r->not_modified) {
        d->meta.fetched_at = kclock_now(&s->clock);
        if (store_again) {
            struct cache_meta m = d->meta;
            sync_update_validators(&m, &x.h);
            d->unsaved = cache_store(s->state_dir, d->doc,
                                     x.body.data ? x.body.data : "", x.body.len, &m) != 0;
            if (!d->unsaved)
                d->meta = m;
        } else {
            sync_update_validators(&d->meta, &x.h);
            if (s->state_dir)
                (void)cache_touch(s->state_dir, d->doc, &d->meta);
        }
    }
    r->finished_at = kclock_now(&s->clock);
    r->duration_ms = (long)(sync_mono_ms() - t0);
    r->fetched_at = d->meta.fetched_at;
    delay = r->ok ? backoff_success(&d->bo)
                  : backoff_failure(&d->bo, retry_after, s->rnd, s->rnd_ctx);
    d->due_ms = sync_mono_ms() + (int64_t)delay * 1000;
    r->next_attempt_at = r->finished_at + delay;

    if (!r->ok) {
        SYNC_SAY(LOG_LEVEL_WARN, r, "%sfailed (%.100s), next try in %d s", pfx, reason, delay);
    } else if (r->not_modified && x.status == 304) {
        SYNC_SAY(LOG_LEVEL_INFO, r, "%s304 in %ld ms", pfx, r->duration_ms);
    } else if (r->not_modified) {
        SYNC_SAY(LOG_LEVEL_INFO, r, "%s%s unchanged in %ld ms", pfx,
                 x.status ? "200" : "file", r->duration_ms);
    } else if (ann) {
        SYNC_SAY(LOG_LEVEL_INFO, r, "announcements %s announcements=%zu dropped=%zu in %ld ms",
                 x.status ? "200" : "file", feed_announcement_count(r->feed),
                 feed_drop_count(r->feed), r->duration_ms);
    } else {
        SYNC_SAY(LOG_LEVEL_INFO, r,
                 "%s events=%zu volunteers=%zu announcements=%zu dropped=%zu in %ld ms",
                 x.status ? "200" : "file", feed_count(r->feed, FEED_KIND_EVENT),
                 feed_count(r->feed, FEED_KIND_VOLUNTEER), feed_announcement_count(r->feed),
                 feed_drop_count(r->feed), r->duration_ms);
    }
    sync_xfer_free(&x);
    return r;

stopped:
    sync_xfer_free(&x);
    sync_result_free(r);
    return NULL;
}

#undef SYNC_SAY

/* ---- the worker ---- */

static void *sync_main(void *arg)
{
    struct sync *s = arg;

    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        struct sync_docstate *next = NULL;
        int64_t now = sync_mono_ms();
        size_t i;

        for (i = 0; i < 2; i++) {
            struct sync_docstate *d = &s->docs[i];
            if (!d->enabled)
                continue;
            if (s->requested)
                d->due_ms = now;
            if (!next || d->due_ms < next->due_ms)
                next = d;
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
        if (r && !atomic_load(&s->stopping))
            s->cb(r, s->ctx);
        else
            sync_result_free(r);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int sync_start(struct sync *s)
{
    int64_t now = sync_mono_ms();
    int rc;

    if (!s || s->started)
        return -EINVAL;
    s->docs[0].due_ms = now;
    s->docs[1].due_ms = now;
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
    if (!s)
        return;
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

    if (!s || s->started || (doc != CACHE_DOC_FEED && doc != CACHE_DOC_ANNOUNCEMENTS) ||
        !s->docs[doc].enabled)
        return -EINVAL;
    r = sync_attempt(s, &s->docs[doc]);
    if (!r)
        return -ENOMEM;
    s->cb(r, s->ctx);
    return 0;
}

void sync_destroy(struct sync *s)
{
    if (!s)
        return;
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
