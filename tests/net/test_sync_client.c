/* test_sync_client: the real sync module end to end.
 *
 * Alone (as ctest runs it) it fetches file:// URLs: a good feed is delivered and cached,
 * the same bytes again are "unchanged", a bad or oversized file fails and the last good
 * cache stays, signed announcements are checked, and the worker thread starts, wakes on
 * request and stops. Run by tests/net/test_sync_https.sh with KIOSK_TEST_HTTPS and friends in
 * the environment it also runs every HTTPS case against the nginx and fault servers the
 * script started on loopback: 200, 304, captive portal, 500, 503 with Retry-After, 404,
 * chunked oversize, truncation, stall, wrong host, self-signed, missing CA, key pins,
 * redirects, signed announcements, and stopping in the middle of a transfer. After every
 * failure it checks the cache still holds the last good feed. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cache/cache.h"
#include "net/sync.h"
#include "util/fsio.h"
#include "util/log.h"
#include "testutil.h"

static const char feed_a[] =
    "{\"version\": 1, \"generated_at\": \"2026-11-25T09:00:00+09:00\",\n"
    " \"events\": [\n"
    "  {\"id\": \"ev-1\", \"title\": {\"ja\": \"朗読会\", \"en\": \"Reading\"},\n"
    "   \"start\": \"2026-12-01T10:00:00+09:00\"},\n"
    "  {\"id\": \"ev-bad\", \"title\": {\"ja\": \"逆さま\"},\n"
    "   \"start\": \"2026-12-01T10:00:00+09:00\", \"end\": \"2026-11-30T10:00:00+09:00\"}\n"
    " ],\n"
    " \"volunteers\": [{\"id\": \"vol-1\", \"title\": {\"ja\": \"図書の整理\"}}]}\n";
static const char feed_b[] = "{\"version\": 1, \"generated_at\": \"2026-11-26T09:00:00+09:00\",\n"
                             " \"events\": [], \"volunteers\": []}\n";
static const char ann_a[] =
    "{\"version\": 1, \"generated_at\": \"2026-11-26T09:00:00+09:00\", \"announcements\": []}\n";
static const char ann_b[] =
    "{\"version\": 1, \"generated_at\": \"2026-11-27T09:00:00+09:00\", \"announcements\": []}\n";
static const char portal[] = "<html><body>Please log in</body></html>\n";

/* ---- collecting results from the callback (worker or calling thread) ---- */

#define BOX_MAX 16

struct box {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct sync_result *r[BOX_MAX];
    int n;
};

static void box_init(struct box *b)
{
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
}

static void box_clear(struct box *b)
{
    int i;
    for (i = 0; i < b->n; i++) {
        sync_result_free(b->r[i]);
    }
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
}

static void collect(struct sync_result *r, void *ctx)
{
    struct box *b = ctx;
    pthread_mutex_lock(&b->mu);
    if (b->n < BOX_MAX) {
        b->r[b->n++] = r;
    } else {
        sync_result_free(r);
    }
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

/* Waits (generously: the machine may be slow) until the box holds n results. */
static bool box_wait(struct box *b, int n, int seconds)
{
    struct timespec ts;
    bool ok;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += seconds;
    pthread_mutex_lock(&b->mu);
    while (b->n < n) {
        if (pthread_cond_timedwait(&b->cv, &b->mu, &ts) != 0) {
            break;
        }
    }
    ok = b->n >= n;
    pthread_mutex_unlock(&b->mu);
    return ok;
}

static int box_count(struct box *b)
{
    int n;
    pthread_mutex_lock(&b->mu);
    n = b->n;
    pthread_mutex_unlock(&b->mu);
    return n;
}

/* ---- fixtures ---- */

static uint32_t zero_rand(void *ctx)
{
    (void)ctx;
    return 0;
}

static const char *env_or_null(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

struct keys {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char pk_b64[64];
};

static void keys_make(struct keys *k)
{
    crypto_sign_keypair(k->pk, k->sk);
    sodium_bin2base64(k->pk_b64, sizeof k->pk_b64, k->pk, sizeof k->pk,
                      sodium_base64_VARIANT_ORIGINAL);
}

static void write_at(const char *dir, const char *name, const char *data, time_t mtime)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(testutil_write_file(path, data, strlen(data)) == 0);
    if (mtime) {
        /* nginx's ETag is mtime and size: distinct mtimes make distinct ETags. */
        struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
        CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
    }
}

/* Writes `name`.sig: the detached signature as `kioskctl sign` writes it. */
static void write_sig(const char *dir, const char *name, const char *doc, const struct keys *k)
{
    unsigned char sig[crypto_sign_BYTES];
    char b64[128], signame[256];
    crypto_sign_detached(sig, NULL, (const unsigned char *)doc, strlen(doc), k->sk);
    sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    strncat(b64, "\n", sizeof b64 - strlen(b64) - 1);
    snprintf(signame, sizeof signame, "%s.sig", name);
    write_at(dir, signame, b64, 0);
}

static void remove_in(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

static void base_params(struct sync_params *p, const char *state_dir)
{
    sync_params_default(p);
    p->state_dir = state_dir;
    p->connect_timeout_s = 5;
    p->total_timeout_s = 20;
    p->low_speed_limit = 1000; /* the stall case fails after 2 s */
    p->low_speed_time_s = 2;
    p->rnd = zero_rand;
    p->ca_file = env_or_null("KIOSK_TEST_CA");
}

typedef void (*tweak_fn)(struct sync_params *p);

/* Loads the cache as the app does at start, runs one attempt at `url`, returns the result
 * (the caller frees it). */
static struct sync_result *fetch(const char *url, const char *state_dir, tweak_fn tweak)
{
    struct sync_params p;
    struct feed_limits lim;
    struct feed *held = NULL;
    struct box b;
    struct sync *s;
    struct sync_result *r = NULL;

    box_init(&b);
    base_params(&p, state_dir);
    p.feed_url = url;
    feed_limits_default(&lim);
    (void)cache_load(state_dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &held, &p.feed_meta);
    feed_free(held);
    if (tweak) {
        tweak(&p);
    }
    s = sync_create(&p, collect, &b);
    CHECK(s);
    if (s) {
        CHECK(sync_run_once(s, CACHE_DOC_FEED) == 0);
        sync_destroy(s);
    }
    if (b.n == 1) {
        r = b.r[0];
        b.n = 0;
    }
    CHECK(r);
    if (r) {
        printf("     %s -> %s\n", url, r->message);
    }
    box_clear(&b);
    return r;
}

/* The last good feed is what the cache would give the app after a restart. */
static bool cache_holds(const char *state_dir, enum cache_doc doc, const char *body)
{
    char path[4096];
    char *data = NULL;
    size_t len = 0;
    struct feed_limits lim;
    struct feed *f = NULL;
    struct cache_meta m;
    char digest[CACHE_DIGEST_LEN];
    bool ok;

    snprintf(path, sizeof path, "%s/%s.json", state_dir, cache_doc_name(doc));
    if (fsio_read_file(path, 1 << 24, &data, &len) != 0) {
        return false;
    }
    ok = len == strlen(body) && memcmp(data, body, len) == 0;
    free(data);
    feed_limits_default(&lim);
    ok = ok && cache_load(state_dir, doc, &lim, NULL, 0, NULL, &f, &m) == 0 && f;
    cache_digest(body, strlen(body), digest);
    ok = ok && strcmp(m.digest, digest) == 0;
    feed_free(f);
    return ok;
}

static bool failed_with(const struct sync_result *r, enum sync_fail why)
{
    return r && !r->ok && r->fail == why && !r->feed && !r->not_modified;
}

static char *url_join(const char *base, const char *path)
{
    size_t n = strlen(base) + strlen(path) + 1;
    char *u = malloc(n);
    if (u) {
        snprintf(u, n, "%s%s", base, path);
    }
    return u;
}

/* ---- file:// cases (always) ---- */

static char *file_url(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 16;
    char *u = malloc(n);
    if (u) {
        snprintf(u, n, "file://%s/%s", dir, name);
    }
    return u;
}

static void file_feed_is_delivered_cached_then_unchanged(void)
{
    char *src = testutil_tempdir(), *state = testutil_tempdir();
    char *url = file_url(src, "feed.json");
    struct sync_result *r;

    write_at(src, "feed.json", feed_a, 0);
    r = fetch(url, state, NULL);
    CHECK(r && r->ok && !r->not_modified && r->feed);
    CHECK(r && r->doc == CACHE_DOC_FEED && r->http_status == 0);
    CHECK(r && feed_count(r->feed, FEED_KIND_EVENT) == 1);
    CHECK(r && feed_count(r->feed, FEED_KIND_VOLUNTEER) == 1);
    CHECK(r && strstr(r->message, "events=1 volunteers=1"));
    CHECK(r && r->fetched_at > 0 && r->next_attempt_at == r->finished_at + 300);
    CHECK(cache_holds(state, CACHE_DOC_FEED, feed_a));
    sync_result_free(r);

    /* The same bytes again: nothing to parse, nothing to write. */
    r = fetch(url, state, NULL);
    CHECK(r && r->ok && r->not_modified && !r->feed);
    CHECK(r && strstr(r->message, "unchanged"));
    sync_result_free(r);

    write_at(src, "feed.json", feed_b, 0);
    r = fetch(url, state, NULL);
    CHECK(r && r->ok && !r->not_modified && r->feed);
    CHECK(cache_holds(state, CACHE_DOC_FEED, feed_b));
    sync_result_free(r);
    free(url);
    testutil_rmtree(src);
    testutil_rmtree(state);
    free(src);
    free(state);
}

static int64_t fake_now(void *ctx)
{
    return *(const int64_t *)ctx;
}

/* A second source has its own cache file and result; unchanged content is read again from the
 * cache on the first answer of a new day, so a calendar's window moves with the date. */
static void a_source_is_cached_apart_and_read_again_on_a_new_day(void)
{
    char *src = testutil_tempdir(), *state = testutil_tempdir();
    char *url = file_url(src, "more.json");
    int64_t now = 1796000000; /* 2026-11-29, 08:53 in Tokyo */
    struct sync_params p;
    struct box b;
    struct sync *s;
    struct sync_result *r[3] = {NULL, NULL, NULL};

    write_at(src, "more.json", feed_a, 0);
    box_init(&b);
    base_params(&p, state);
    p.sources[1].url = url;
    p.clock.now = fake_now;
    p.clock.ctx = &now;
    s = sync_create(&p, collect, &b);
    CHECK(s);
    for (int i = 0; s && i < 3; i++) {
        if (i == 2) {
            now += 86400;
        }
        CHECK(sync_run_once(s, cache_doc_source(1)) == 0);
        r[i] = b.n == 1 ? b.r[0] : NULL;
        b.n = 0;
    }
    sync_destroy(s);
    CHECK(r[0] && r[0]->ok && r[0]->feed && r[0]->source == 1 && !r[0]->not_modified);
    CHECK(r[0] && strcmp(r[0]->source_name, "source-1") == 0 && strcmp(r[0]->format, "json") == 0);
    CHECK(r[0] && strstr(r[0]->message, "source-1: file events=1"));
    CHECK(cache_holds(state, cache_doc_source(1), feed_a));
    CHECK(!cache_holds(state, CACHE_DOC_FEED, feed_a));
    CHECK(r[1] && r[1]->ok && r[1]->not_modified && !r[1]->feed);
    CHECK(r[2] && r[2]->ok && !r[2]->not_modified && r[2]->feed);
    CHECK(r[2] && feed_count(r[2]->feed, FEED_KIND_EVENT) == 1);
    for (int i = 0; i < 3; i++) {
        sync_result_free(r[i]);
    }
    box_clear(&b);
    free(url);
    testutil_rmtree(src);
    testutil_rmtree(state);
    free(src);
    free(state);
}

static void small_limit(struct sync_params *p)
{
    p->max_feed_bytes = 64;
}

static void bad_files_fail_and_keep_last_good(void)
{
    char *src = testutil_tempdir(), *state = testutil_tempdir();
    char *url = file_url(src, "feed.json");
    char *missing = file_url(src, "nothing-here.json");
    struct sync_result *r;

    write_at(src, "feed.json", feed_a, 0);
    sync_result_free(fetch(url, state, NULL));
    CHECK(cache_holds(state, CACHE_DOC_FEED, feed_a));

    write_at(src, "feed.json", portal, 0);
    r = fetch(url, state, NULL);
    CHECK(failed_with(r, SYNC_FAIL_REJECTED));
    CHECK(r && strstr(r->message, "failed (rejected: ") == r->message);
    CHECK(r && strstr(r->message, "next try in 1 s"));
    CHECK(cache_holds(state, CACHE_DOC_FEED, feed_a));
    sync_result_free(r);

    write_at(src, "feed.json", "{\"version\": 1, \"events\": [", 0); /* truncated JSON */
    r = fetch(url, state, NULL);
    CHECK(failed_with(r, SYNC_FAIL_REJECTED));
    CHECK(cache_holds(state, CACHE_DOC_FEED, feed_a));
    sync_result_free(r);

    write_at(src, "feed.json", feed_b, 0);
    r = fetch(url, state, small_limit);
    CHECK(failed_with(r, SYNC_FAIL_TOO_LARGE));
    CHECK(cache_holds(state, CACHE_DOC_FEED, feed_a));
    sync_result_free(r);

    r = fetch(missing, state, NULL);
    CHECK(failed_with(r, SYNC_FAIL_NETWORK));
    CHECK(cache_holds(state, CACHE_DOC_FEED, feed_a));
    sync_result_free(r);
    free(url);
    free(missing);
    testutil_rmtree(src);
    testutil_rmtree(state);
    free(src);
    free(state);
}

static void unwritable_state_dir_still_delivers_the_feed(void)
{
    char *src = testutil_tempdir();
    char *url = file_url(src, "feed.json");
    char blocked[4096];
    struct sync_result *r;

    /* A state directory that cannot be created stands for a full or read-only disk. */
    write_at(src, "feed.json", feed_a, 0);
    write_at(src, "file", "x", 0);
    snprintf(blocked, sizeof blocked, "%s/file/state", src);
    r = fetch(url, blocked, NULL);
    CHECK(r && r->ok && r->feed);
    sync_result_free(r);
    free(url);
    testutil_rmtree(src);
    free(src);
}

static void a_body_the_disk_refused_is_stored_once_the_disk_is_back(void)
{
    char *src = testutil_tempdir();
    char *url = file_url(src, "feed.json");
    char state[4096], path[4200];
    struct sync_params p;
    struct box b;
    struct sync *s;
    char *data = NULL;
    size_t len = 0;

    /* A file where the state directory belongs: every cache write fails, like a full or
     * read-only disk; removing it brings the disk back. */
    write_at(src, "feed.json", feed_a, 0);
    write_at(src, "state", "x", 0);
    snprintf(state, sizeof state, "%s/state", src);
    box_init(&b);
    base_params(&p, state);
    p.feed_url = url;
    s = sync_create(&p, collect, &b);
    CHECK(s);
    if (s) {
        CHECK(sync_run_once(s, CACHE_DOC_FEED) == 0);
        CHECK(unlink(state) == 0);
        /* The same bytes again: unchanged for the receiver, but now written to disk. */
        CHECK(sync_run_once(s, CACHE_DOC_FEED) == 0);
        sync_destroy(s);
    }
    CHECK(b.n == 2 && b.r[0]->ok && b.r[0]->feed && b.r[1]->ok && b.r[1]->not_modified);
    snprintf(path, sizeof path, "%s/feed.json", state);
    CHECK(fsio_read_file(path, 1 << 20, &data, &len) == 0);
    CHECK(data && len == strlen(feed_a) && memcmp(data, feed_a, len) == 0);
    free(data);
    box_clear(&b);
    free(url);
    testutil_rmtree(src);
    free(src);
}

static void plain_http_is_refused_unless_allowed(void)
{
    struct sync_params p;
    struct box b;
    struct sync *s;

    box_init(&b);
    base_params(&p, NULL);
    p.feed_url = "http://127.0.0.1:9/feed.json";
    CHECK(!sync_create(&p, collect, &b));
    p.feed_url = "ftp://127.0.0.1/feed.json";
    CHECK(!sync_create(&p, collect, &b));
    p.feed_url = "https://127.0.0.1:9/feed.json";
    p.announcements_url = "http://127.0.0.1:9/ann.json";
    p.allow_http = true; /* never for announcements */
    CHECK(!sync_create(&p, collect, &b));
    p.feed_url = "http://127.0.0.1:9/feed.json";
    p.announcements_url = NULL;
    s = sync_create(&p, collect, &b);
    CHECK(s);
    sync_destroy(s);
    p.announcement_keys = (const char *const[]){"not-a-key"};
    p.n_announcement_keys = 1;
    CHECK(!sync_create(&p, collect, &b));
    box_clear(&b);
}

/* Runs one announcements attempt with keys; returns the result. */
static struct sync_result *fetch_ann(const char *feed_url, const char *ann_url, const char *state,
                                     const char *key_b64)
{
    struct sync_params p;
    struct box b;
    struct sync *s;
    struct sync_result *r = NULL;
    struct feed_limits lim;
    struct feed *held = NULL;
    const char *keys[1] = {key_b64};

    box_init(&b);
    base_params(&p, state);
    p.feed_url = feed_url;
    p.announcements_url = ann_url;
    p.announcement_keys = keys;
    p.n_announcement_keys = 1;
    feed_limits_default(&lim);
    (void)cache_load(state, CACHE_DOC_ANNOUNCEMENTS, &lim, keys, 1, NULL, &held, &p.ann_meta);
    feed_free(held);
    s = sync_create(&p, collect, &b);
    CHECK(s);
    if (s) {
        CHECK(sync_run_once(s, CACHE_DOC_ANNOUNCEMENTS) == 0);
        sync_destroy(s);
    }
    if (b.n == 1) {
        r = b.r[0];
        b.n = 0;
    }
    CHECK(r && r->doc == CACHE_DOC_ANNOUNCEMENTS);
    if (r) {
        printf("     %s -> %s\n", ann_url, r->message);
    }
    box_clear(&b);
    return r;
}

/* The signed-announcements cases against any base URL whose files live in `root`. */
static void check_signed_announcements(const char *base, const char *root, time_t t0)
{
    char *state = testutil_tempdir();
    char *ann = url_join(base, "/ann.json");
    char *feed = url_join(base, "/feed.json");
    struct keys k, other;
    struct sync_result *r;

    keys_make(&k);
    keys_make(&other);
    write_at(root, "ann.json", ann_a, t0);
    write_sig(root, "ann.json", ann_a, &k);
    r = fetch_ann(feed, ann, state, k.pk_b64);
    CHECK(r && r->ok && !r->not_modified && r->feed);
    CHECK(r && strstr(r->message, "announcements ") == r->message);
    CHECK(cache_holds(state, CACHE_DOC_ANNOUNCEMENTS, ann_a));
    sync_result_free(r);

    /* Changed without re-signing: rejected whole, the last good stays. */
    write_at(root, "ann.json", ann_b, t0 + 10);
    r = fetch_ann(feed, ann, state, k.pk_b64);
    CHECK(failed_with(r, SYNC_FAIL_SIGNATURE));
    CHECK(r && strstr(r->message, "bad signature"));
    CHECK(cache_holds(state, CACHE_DOC_ANNOUNCEMENTS, ann_a));
    sync_result_free(r);

    /* Unsigned. */
    remove_in(root, "ann.json.sig");
    r = fetch_ann(feed, ann, state, k.pk_b64);
    CHECK(failed_with(r, SYNC_FAIL_SIGNATURE));
    CHECK(cache_holds(state, CACHE_DOC_ANNOUNCEMENTS, ann_a));
    sync_result_free(r);

    /* Signed by a key the kiosk does not know. */
    write_sig(root, "ann.json", ann_b, &other);
    r = fetch_ann(feed, ann, state, k.pk_b64);
    CHECK(failed_with(r, SYNC_FAIL_SIGNATURE));
    CHECK(cache_holds(state, CACHE_DOC_ANNOUNCEMENTS, ann_a));
    sync_result_free(r);

    /* Properly signed: accepted. */
    write_sig(root, "ann.json", ann_b, &k);
    r = fetch_ann(feed, ann, state, k.pk_b64);
    CHECK(r && r->ok && r->feed);
    CHECK(cache_holds(state, CACHE_DOC_ANNOUNCEMENTS, ann_b));
    sync_result_free(r);
    free(ann);
    free(feed);
    testutil_rmtree(state);
    free(state);
}

static void file_announcements_need_a_good_signature(void)
{
    char *src = testutil_tempdir();
    char *base = malloc(strlen(src) + 8);

    snprintf(base, strlen(src) + 8, "file://%s", src);
    write_at(src, "feed.json", feed_a, 0);
    check_signed_announcements(base, src, 0);
    free(base);
    testutil_rmtree(src);
    free(src);
}

static void worker_delivers_wakes_on_request_and_stops(void)
{
    char *src = testutil_tempdir(), *state = testutil_tempdir();
    char *url = file_url(src, "feed.json");
    char *ann = file_url(src, "ann.json");
    struct sync_params p;
    struct box b;
    struct sync *s;
    int i, feeds = 0, anns = 0;

    write_at(src, "feed.json", feed_a, 0);
    write_at(src, "ann.json", ann_a, 0);
    box_init(&b);
    base_params(&p, state);
    p.feed_url = url;
    p.announcements_url = ann;
    p.poll_interval_s = 3600; /* only a request can bring the next attempt */
    p.announcements_poll_interval_s = 3600;
    s = sync_create(&p, collect, &b);
    CHECK(s);
    CHECK(sync_start(s) == 0);
    CHECK(sync_run_once(s, CACHE_DOC_FEED) == -EINVAL); /* not once started */
    CHECK(box_wait(&b, 2, 60));
    sync_request_now(s);
    CHECK(box_wait(&b, 4, 60));
    sync_destroy(s);
    for (i = 0; i < b.n; i++) {
        if (b.r[i]->doc == CACHE_DOC_FEED) {
            feeds++;
        } else {
            anns++;
        }
        CHECK(b.r[i]->ok);
    }
    CHECK(feeds == 2 && anns == 2);
    box_clear(&b);
    free(url);
    free(ann);
    testutil_rmtree(src);
    testutil_rmtree(state);
    free(src);
    free(state);
}

/* ---- HTTPS cases (when the script provides servers) ---- */

static const char *https, *fault, *docroot;
static char *state_https;
static time_t t0;

static struct sync_result *get(const char *base, const char *path, tweak_fn tweak)
{
    char *u = url_join(base, path);
    struct sync_result *r = fetch(u, state_https, tweak);
    free(u);
    return r;
}

static void https_200_then_304_then_changed_200(void)
{
    struct sync_result *r;

    write_at(docroot, "feed.json", feed_a, t0);
    r = get(https, "/feed.json", NULL);
    CHECK(r && r->ok && !r->not_modified && r->http_status == 200 && r->feed);
    CHECK(r && strstr(r->message, "200 events=1 volunteers=1 announcements=0 dropped=1 in ") ==
                   r->message);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_a));
    sync_result_free(r);

    r = get(https, "/feed.json", NULL);
    CHECK(r && r->ok && r->not_modified && r->http_status == 304 && !r->feed);
    CHECK(r && strstr(r->message, "304 in ") == r->message);
    sync_result_free(r);

    write_at(docroot, "feed.json", feed_b, t0 + 100);
    r = get(https, "/feed.json", NULL);
    CHECK(r && r->ok && !r->not_modified && r->http_status == 200 && r->feed);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
    sync_result_free(r);
}

static void https_captive_portal_page_is_a_failure(void)
{
    struct sync_result *r = get(https, "/portal", NULL);
    CHECK(failed_with(r, SYNC_FAIL_REJECTED));
    CHECK(r && r->http_status == 200);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
    sync_result_free(r);
}

static void https_http_errors_fail_with_status(void)
{
    struct sync_result *r = get(https, "/err500", NULL);
    CHECK(failed_with(r, SYNC_FAIL_HTTP) && r->http_status == 500);
    CHECK(r && strstr(r->message, "failed (HTTP 500), next try in ") == r->message);
    sync_result_free(r);

    r = get(https, "/nothing-here.json", NULL);
    CHECK(failed_with(r, SYNC_FAIL_HTTP) && r->http_status == 404);
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void https_503_retry_after_sets_next_attempt(void)
{
    struct sync_result *r = get(https, "/busy503", NULL);
    CHECK(failed_with(r, SYNC_FAIL_HTTP) && r->http_status == 503);
    CHECK(r && r->next_attempt_at - r->finished_at == 120);
    CHECK(r && strstr(r->message, "Retry-After 120 s"));
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void limit_64k(struct sync_params *p)
{
    p->max_feed_bytes = 65536;
}

static void https_endless_chunked_body_is_cut_at_the_limit(void)
{
    struct sync_result *r = get(fault, "/chunked-huge", limit_64k);
    CHECK(failed_with(r, SYNC_FAIL_TOO_LARGE));
    CHECK(r && strstr(r->message, "larger than 65536 bytes"));
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void https_truncated_body_fails(void)
{
    struct sync_result *r = get(fault, "/truncated", NULL);
    CHECK(failed_with(r, SYNC_FAIL_TRUNCATED));
    sync_result_free(r);
    r = get(fault, "/truncated-chunked", NULL);
    CHECK(failed_with(r, SYNC_FAIL_TRUNCATED));
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void https_stalled_body_hits_the_low_speed_limit(void)
{
    struct sync_result *r = get(fault, "/stall", NULL);
    CHECK(failed_with(r, SYNC_FAIL_TOO_SLOW));
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void short_total_timeout(struct sync_params *p)
{
    p->low_speed_limit = 0;
    p->total_timeout_s = 2;
}

static void https_total_timeout_ends_a_trickle(void)
{
    struct sync_result *r = get(fault, "/stall", short_total_timeout);
    CHECK(failed_with(r, SYNC_FAIL_TIMEOUT));
    CHECK(r && strstr(r->message, "failed (timeout after ") == r->message);
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void no_ca(struct sync_params *p)
{
    p->ca_file = NULL;
}

static void https_bad_certificates_fail_verification(void)
{
    struct sync_result *r = get(env_or_null("KIOSK_TEST_WRONGHOST"), "/feed.json", NULL);
    CHECK(failed_with(r, SYNC_FAIL_TLS));
    sync_result_free(r);
    r = get(env_or_null("KIOSK_TEST_SELFSIGNED"), "/feed.json", NULL);
    CHECK(failed_with(r, SYNC_FAIL_TLS));
    sync_result_free(r);
    /* The system roots alone do not know the test CA. */
    r = get(https, "/feed.json", no_ca);
    CHECK(failed_with(r, SYNC_FAIL_TLS));
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void https_localhost_name_matches_certificate(void)
{
    struct sync_result *r = get(env_or_null("KIOSK_TEST_LOCALHOST"), "/feed.json", NULL);
    CHECK(r && r->ok);
    sync_result_free(r);
}

static char pin_buf[512];

static void pin_right(struct sync_params *p)
{
    p->pinned_pubkey = env_or_null("KIOSK_TEST_PIN");
}

static void pin_wrong(struct sync_params *p)
{
    p->pinned_pubkey = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
}

static void pin_backup(struct sync_params *p)
{
    snprintf(pin_buf, sizeof pin_buf, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;%s",
             env_or_null("KIOSK_TEST_PIN"));
    p->pinned_pubkey = pin_buf;
}

static void https_public_key_pin_is_enforced(void)
{
    struct sync_result *r = get(https, "/feed.json", pin_right);
    CHECK(r && r->ok);
    sync_result_free(r);
    r = get(https, "/feed.json", pin_wrong);
    CHECK(failed_with(r, SYNC_FAIL_TLS));
    sync_result_free(r);
    r = get(https, "/feed.json", pin_backup);
    CHECK(r && r->ok);
    sync_result_free(r);
}

static void https_redirects_are_limited_to_https(void)
{
    struct sync_result *r = get(https, "/redirect", NULL);
    CHECK(r && r->ok);
    sync_result_free(r);
    r = get(https, "/redirect-http", NULL);
    CHECK(failed_with(r, SYNC_FAIL_NETWORK));
    sync_result_free(r);
    r = get(https, "/loop", NULL);
    CHECK(failed_with(r, SYNC_FAIL_NETWORK));
    CHECK(r && strstr(r->message, "redirect"));
    sync_result_free(r);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

static void https_signed_announcements(void)
{
    check_signed_announcements(https, docroot, t0);
}

static void no_low_speed(struct sync_params *p)
{
    p->low_speed_limit = 0;
}

static void https_destroy_mid_transfer_returns_promptly(void)
{
    char *u = url_join(fault, "/stall");
    struct sync_params p;
    struct box b;
    struct sync *s;
    struct timespec a, z;
    struct timespec nap = {0, 300 * 1000000L};
    long ms;

    box_init(&b);
    base_params(&p, state_https);
    no_low_speed(&p);
    p.feed_url = u;
    s = sync_create(&p, collect, &b);
    CHECK(s && sync_start(s) == 0);
    nanosleep(&nap, NULL); /* let the transfer begin; the test holds either way */
    clock_gettime(CLOCK_MONOTONIC, &a);
    sync_destroy(s);
    clock_gettime(CLOCK_MONOTONIC, &z);
    ms = (long)((z.tv_sec - a.tv_sec) * 1000 + (z.tv_nsec - a.tv_nsec) / 1000000);
    printf("     figure: sync_destroy mid-transfer took %ld ms\n", ms);
    CHECK(box_count(&b) == 0); /* nothing is delivered after a stop */
    box_clear(&b);
    free(u);
    CHECK(cache_holds(state_https, CACHE_DOC_FEED, feed_b));
}

int main(void)
{
    log_set_level(LOG_LEVEL_WARN);
    CHECK(sodium_init() >= 0);
    if (!env_or_null("KIOSK_TEST_ONLY_HTTPS")) {
        RUN(file_feed_is_delivered_cached_then_unchanged);
        RUN(a_source_is_cached_apart_and_read_again_on_a_new_day);
        RUN(bad_files_fail_and_keep_last_good);
        RUN(unwritable_state_dir_still_delivers_the_feed);
        RUN(a_body_the_disk_refused_is_stored_once_the_disk_is_back);
        RUN(plain_http_is_refused_unless_allowed);
        RUN(file_announcements_need_a_good_signature);
        RUN(worker_delivers_wakes_on_request_and_stops);
    }
    https = env_or_null("KIOSK_TEST_HTTPS");
    fault = env_or_null("KIOSK_TEST_FAULT");
    docroot = env_or_null("KIOSK_TEST_DOCROOT");
    if (https && fault && docroot && env_or_null("KIOSK_TEST_CA") &&
        env_or_null("KIOSK_TEST_PIN") && env_or_null("KIOSK_TEST_WRONGHOST") &&
        env_or_null("KIOSK_TEST_SELFSIGNED") && env_or_null("KIOSK_TEST_LOCALHOST")) {
        state_https = testutil_tempdir();
        t0 = time(NULL) - 100000;
        RUN(https_200_then_304_then_changed_200);
        RUN(https_captive_portal_page_is_a_failure);
        RUN(https_http_errors_fail_with_status);
        RUN(https_503_retry_after_sets_next_attempt);
        RUN(https_endless_chunked_body_is_cut_at_the_limit);
        RUN(https_truncated_body_fails);
        RUN(https_stalled_body_hits_the_low_speed_limit);
        RUN(https_total_timeout_ends_a_trickle);
        RUN(https_bad_certificates_fail_verification);
        RUN(https_localhost_name_matches_certificate);
        RUN(https_public_key_pin_is_enforced);
        RUN(https_redirects_are_limited_to_https);
        RUN(https_signed_announcements);
        RUN(https_destroy_mid_transfer_returns_promptly);
        testutil_rmtree(state_https);
        free(state_https);
    } else if (env_or_null("KIOSK_TEST_ONLY_HTTPS")) {
        fprintf(stderr, "test_sync_client: HTTPS environment incomplete\n");
        return 1;
    }
    TEST_MAIN_END();
}
