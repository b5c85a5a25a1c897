/* test_cache_store: the durable cache of the feed and the announcements document: write
 * then load, validators round trip, a crash before the rename leaves the old copy, a
 * corrupt copy is moved aside and the previous one used, both corrupt leave nothing (and
 * no crash), an unwritable directory is reported, and cached announcements must still
 * verify against the configured keys. */
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cache/cache.h"
#include "util/fsio.h"
#include "util/log.h"
#include "testutil.h"

static const char feed_a[] = "{\"version\": 1, \"generated_at\": \"2026-11-25T09:00:00+09:00\", "
                             "\"events\": [], \"volunteers\": []}\n";
static const char feed_b[] = "{\"version\": 1, \"generated_at\": \"2026-11-26T09:00:00+09:00\", "
                             "\"events\": [], \"volunteers\": []}\n";
static const char ann_doc[] = "{\"version\": 1, \"generated_at\": \"2026-11-26T09:00:00+09:00\", "
                              "\"announcements\": []}\n";
static const char portal[] = "<html><body>Please log in to the Wi-Fi</body></html>";

static char log_seen[4096];

static void capture(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)ctx;
    size_t n = strlen(log_seen);
    if (n + strlen(line) + 2 < sizeof log_seen) {
        snprintf(log_seen + n, sizeof log_seen - n, "%s\n", line);
    }
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

static bool file_equals(const char *dir, const char *name, const char *want)
{
    char path[4096];
    char *data = NULL;
    size_t len = 0;
    bool eq;

    path_in(path, sizeof path, dir, name);
    if (fsio_read_file(path, 1 << 20, &data, &len) != 0) {
        return false;
    }
    eq = len == strlen(want) && memcmp(data, want, len) == 0;
    free(data);
    return eq;
}

static bool exists(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    path_in(path, sizeof path, dir, name);
    return stat(path, &st) == 0;
}

static int count_prefix(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d) {
        return -1;
    }
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

static void put(const char *dir, const char *name, const char *data)
{
    char path[4096];
    path_in(path, sizeof path, dir, name);
    CHECK(testutil_write_file(path, data, strlen(data)) == 0);
}

static void store(const char *dir, const char *body, const char *etag, int64_t at)
{
    struct cache_meta m;
    memset(&m, 0, sizeof m);
    snprintf(m.etag, sizeof m.etag, "%s", etag);
    snprintf(m.last_modified, sizeof m.last_modified, "Wed, 25 Nov 2026 00:00:00 GMT");
    m.fetched_at = at;
    CHECK(cache_store(dir, CACHE_DOC_FEED, body, strlen(body), &m) == 0);
}

static void write_then_load_round_trips_body_and_validators(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta m, got;
    struct feed *f = NULL;
    char digest[CACHE_DIGEST_LEN];

    feed_limits_default(&lim);
    memset(&m, 0, sizeof m);
    snprintf(m.etag, sizeof m.etag, "\"abc-123\"");
    snprintf(m.last_modified, sizeof m.last_modified, "Wed, 25 Nov 2026 00:00:00 GMT");
    m.fetched_at = 1795000000;
    CHECK(cache_store(dir, CACHE_DOC_FEED, feed_a, strlen(feed_a), &m) == 0);
    cache_digest(feed_a, strlen(feed_a), digest);
    CHECK(strcmp(m.digest, digest) == 0);
    CHECK(file_equals(dir, "feed.json", feed_a)); /* the raw bytes, as received */

    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &f, &got) == 0);
    CHECK(f);
    CHECK(strcmp(got.etag, "\"abc-123\"") == 0);
    CHECK(strcmp(got.last_modified, "Wed, 25 Nov 2026 00:00:00 GMT") == 0);
    CHECK(got.fetched_at == 1795000000);
    CHECK(strcmp(got.digest, digest) == 0);
    feed_free(f);
    testutil_rmtree(dir);
    free(dir);
}

static void empty_state_dir_loads_nothing(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta got;
    struct feed *f = (struct feed *)&got; /* must be reset to NULL */

    feed_limits_default(&lim);
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &f, &got) == -ENOENT);
    CHECK(!f);
    CHECK(got.digest[0] == '\0' && got.etag[0] == '\0');
    testutil_rmtree(dir);
    free(dir);
}

static void second_store_keeps_previous_copy(void)
{
    char *dir = testutil_tempdir();

    store(dir, feed_a, "\"a\"", 100);
    store(dir, feed_b, "\"b\"", 200);
    CHECK(file_equals(dir, "feed.json", feed_b));
    CHECK(file_equals(dir, "feed.json.prev", feed_a));
    CHECK(exists(dir, "feed.meta.prev"));
    testutil_rmtree(dir);
    free(dir);
}

static void crash_before_rename_leaves_old_cache(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta got;
    struct feed *f = NULL;

    feed_limits_default(&lim);
    store(dir, feed_a, "\"a\"", 100);
    /* What a power cut leaves: a half-written temp file of the body and of its metadata,
     * never renamed. */
    put(dir, "feed.json.tmp-Xy12ab", "{\"version\": 1, \"generated_at\": \"2026-11-2");
    put(dir, "feed.meta.tmp-Qr34cd", "kiosk-cache-meta 1\ndigest 00");
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &f, &got) == 0);
    CHECK(f);
    CHECK(strcmp(got.etag, "\"a\"") == 0);
    CHECK(got.fetched_at == 100);
    /* The load cleared the debris, so months of power cuts cannot fill the disk. */
    CHECK(count_prefix(dir, "feed.json.tmp-") == 0);
    CHECK(count_prefix(dir, "feed.meta.tmp-") == 0);
    feed_free(f);
    /* And the next store still works. */
    store(dir, feed_b, "\"b\"", 200);
    CHECK(file_equals(dir, "feed.json", feed_b));
    testutil_rmtree(dir);
    free(dir);
}

static void crash_between_body_and_meta_drops_validators_only(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta got;
    struct feed *f = NULL;
    char path[4096];

    feed_limits_default(&lim);
    store(dir, feed_a, "\"a\"", 100);
    /* The body was replaced, the power went before its metadata was. */
    path_in(path, sizeof path, dir, "feed.json");
    CHECK(fsio_write_atomic(path, feed_b, strlen(feed_b), true) == 0);
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &f, &got) == 0);
    CHECK(f);
    /* feed_a's ETag must not be sent for feed_b: a 304 would confirm the wrong content. */
    CHECK(got.etag[0] == '\0');
    CHECK(got.last_modified[0] == '\0');
    CHECK(got.digest[0] != '\0');
    feed_free(f);
    testutil_rmtree(dir);
    free(dir);
}

static void corrupt_cache_is_moved_aside_and_previous_used(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta got;
    struct feed *f = NULL;
    int64_t t = 1795001234;
    struct kclock clk = kclock_fixed(&t);

    feed_limits_default(&lim);
    store(dir, feed_a, "\"a\"", 100);
    store(dir, feed_b, "\"b\"", 200);
    put(dir, "feed.json", portal); /* e.g. a bad sector, or a bug that wrote junk */
    log_seen[0] = '\0';
    log_set_sink(capture, NULL);
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, &clk, &f, &got) == 0);
    log_set_sink(NULL, NULL);
    CHECK(f);
    CHECK(exists(dir, "feed.json.corrupt-1795001234"));
    CHECK(file_equals(dir, "feed.json.corrupt-1795001234", portal));
    CHECK(strstr(log_seen, "corrupt"));
    CHECK(strstr(log_seen, "moved"));
    /* The previous copy comes with its own validators. */
    CHECK(strcmp(got.etag, "\"a\"") == 0);
    CHECK(got.fetched_at == 100);
    /* And is the current copy again, so the next store's .prev is never a gap. */
    CHECK(file_equals(dir, "feed.json", feed_a));
    feed_free(f);
    testutil_rmtree(dir);
    free(dir);
}

static void both_copies_corrupt_load_nothing_without_crashing(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta got;
    struct feed *f = NULL;
    int64_t t = 1795009999;
    struct kclock clk = kclock_fixed(&t);

    feed_limits_default(&lim);
    put(dir, "feed.json", "{\"version\": 1, \"events\": [");
    put(dir, "feed.json.prev", "");
    put(dir, "feed.meta", "garbage\n");
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, &clk, &f, &got) == -ENOENT);
    CHECK(!f);
    CHECK(got.etag[0] == '\0' && got.digest[0] == '\0');
    CHECK(!exists(dir, "feed.json"));
    CHECK(!exists(dir, "feed.json.prev"));
    CHECK(count_prefix(dir, "feed.json.corrupt-") == 1);
    CHECK(count_prefix(dir, "feed.json.prev.corrupt-") == 1);
    /* Start-up goes on: the next good fetch is stored normally. */
    store(dir, feed_a, "\"a\"", 300);
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, &clk, &f, &got) == 0);
    CHECK(f && got.fetched_at == 300);
    feed_free(f);
    testutil_rmtree(dir);
    free(dir);
}

static void oversized_cache_counts_as_corrupt(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta got;
    struct feed *f = NULL;

    feed_limits_default(&lim);
    store(dir, feed_a, "\"a\"", 100);
    lim.max_bytes = 16;
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &f, &got) == -ENOENT);
    CHECK(!f);
    CHECK(count_prefix(dir, "feed.json.corrupt-") == 1);
    testutil_rmtree(dir);
    free(dir);
}

static void repeated_corruption_keeps_one_copy_aside(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta got;
    struct feed *f = NULL;
    int64_t t = 1795001000;
    struct kclock clk = kclock_fixed(&t);

    feed_limits_default(&lim);
    for (int day = 0; day < 5; day++) {
        t += 86400;
        put(dir, "feed.json", "<html>captive portal</html>");
        CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, &clk, &f, &got) == -ENOENT);
    }
    CHECK(count_prefix(dir, "feed.json.corrupt-") == 1);
    testutil_rmtree(dir);
    free(dir);
}

static void touch_updates_meta_and_keeps_body(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta m, got;
    struct feed *f = NULL;

    feed_limits_default(&lim);
    memset(&m, 0, sizeof m);
    snprintf(m.etag, sizeof m.etag, "\"v1\"");
    m.fetched_at = 100;
    CHECK(cache_store(dir, CACHE_DOC_FEED, feed_a, strlen(feed_a), &m) == 0);
    m.fetched_at = 500;
    snprintf(m.etag, sizeof m.etag, "\"v1-gzip\"");
    CHECK(cache_touch(dir, CACHE_DOC_FEED, &m) == 0);
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &f, &got) == 0);
    CHECK(got.fetched_at == 500);
    CHECK(strcmp(got.etag, "\"v1-gzip\"") == 0);
    CHECK(file_equals(dir, "feed.json", feed_a));
    feed_free(f);
    /* A touch without a digest is refused rather than unbinding the metadata. */
    memset(&m, 0, sizeof m);
    CHECK(cache_touch(dir, CACHE_DOC_FEED, &m) == -EINVAL);
    testutil_rmtree(dir);
    free(dir);
}

static void header_values_with_newlines_are_not_stored(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta m, got;
    struct feed *f = NULL;

    feed_limits_default(&lim);
    memset(&m, 0, sizeof m);
    snprintf(m.etag, sizeof m.etag, "\"x\"\nfetched_at 999999");
    m.fetched_at = 7;
    CHECK(cache_store(dir, CACHE_DOC_FEED, feed_a, strlen(feed_a), &m) == 0);
    CHECK(cache_load(dir, CACHE_DOC_FEED, &lim, NULL, 0, NULL, &f, &got) == 0);
    CHECK(got.fetched_at == 7);
    CHECK(got.etag[0] == '\0');
    feed_free(f);
    testutil_rmtree(dir);
    free(dir);
}

static void unwritable_state_dir_is_reported_not_fatal(void)
{
    char *dir = testutil_tempdir();
    char blocked[4096];
    struct cache_meta m;

    /* A path below a regular file can never be created, whoever runs the test. */
    put(dir, "file", "x");
    path_in(blocked, sizeof blocked, dir, "file/state");
    memset(&m, 0, sizeof m);
    log_seen[0] = '\0';
    log_set_sink(capture, NULL);
    CHECK(cache_store(blocked, CACHE_DOC_FEED, feed_a, strlen(feed_a), &m) < 0);
    m.digest[0] = 'a';
    CHECK(cache_touch(blocked, CACHE_DOC_FEED, &m) < 0);
    log_set_sink(NULL, NULL);
    CHECK(strstr(log_seen, "cache: cannot"));
    if (geteuid() != 0) {
        /* A read-only directory (root ignores the mode, so only as a normal user). */
        char ro[4096];
        path_in(ro, sizeof ro, dir, "ro");
        CHECK(mkdir(ro, 0500) == 0);
        memset(&m, 0, sizeof m);
        CHECK(cache_store(ro, CACHE_DOC_FEED, feed_a, strlen(feed_a), &m) == -EACCES);
        chmod(ro, 0700);
    }
    testutil_rmtree(dir);
    free(dir);
}

static void cached_announcements_must_verify_when_keys_are_set(void)
{
    char *dir = testutil_tempdir();
    struct feed_limits lim;
    struct cache_meta m, got;
    struct feed *f = NULL;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    unsigned char pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    char key_b64[64], key2_b64[64];
    const char *keys[1], *keys2[1];

    CHECK(sodium_init() >= 0);
    feed_limits_default(&lim);
    crypto_sign_keypair(pk, sk);
    crypto_sign_keypair(pk2, sk2);
    sodium_bin2base64(key_b64, sizeof key_b64, pk, sizeof pk, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(key2_b64, sizeof key2_b64, pk2, sizeof pk2, sodium_base64_VARIANT_ORIGINAL);
    keys[0] = key_b64;
    keys2[0] = key2_b64;
    crypto_sign_detached(sig, NULL, (const unsigned char *)ann_doc, strlen(ann_doc), sk);

    memset(&m, 0, sizeof m);
    sodium_bin2base64(m.signature, sizeof m.signature, sig, sizeof sig,
                      sodium_base64_VARIANT_ORIGINAL);
    m.fetched_at = 42;
    CHECK(cache_store(dir, CACHE_DOC_ANNOUNCEMENTS, ann_doc, strlen(ann_doc), &m) == 0);
    CHECK(file_equals(dir, "announcements.json", ann_doc));

    CHECK(cache_load(dir, CACHE_DOC_ANNOUNCEMENTS, &lim, keys, 1, NULL, &f, &got) == 0);
    CHECK(f && got.fetched_at == 42);
    feed_free(f);
    f = NULL;
    /* Another key: skipped, but not moved aside (the bytes are fine, the trust is not). */
    CHECK(cache_load(dir, CACHE_DOC_ANNOUNCEMENTS, &lim, keys2, 1, NULL, &f, &got) == -ENOENT);
    CHECK(!f);
    CHECK(exists(dir, "announcements.json"));
    /* Without keys the document needs no signature. */
    CHECK(cache_load(dir, CACHE_DOC_ANNOUNCEMENTS, &lim, NULL, 0, NULL, &f, &got) == 0);
    CHECK(f);
    feed_free(f);
    testutil_rmtree(dir);
    free(dir);
}

int main(void)
{
    RUN(write_then_load_round_trips_body_and_validators);
    RUN(empty_state_dir_loads_nothing);
    RUN(second_store_keeps_previous_copy);
    RUN(crash_before_rename_leaves_old_cache);
    RUN(crash_between_body_and_meta_drops_validators_only);
    RUN(corrupt_cache_is_moved_aside_and_previous_used);
    RUN(both_copies_corrupt_load_nothing_without_crashing);
    RUN(oversized_cache_counts_as_corrupt);
    RUN(repeated_corruption_keeps_one_copy_aside);
    RUN(touch_updates_meta_and_keeps_body);
    RUN(header_values_with_newlines_are_not_stored);
    RUN(unwritable_state_dir_is_reported_not_fatal);
    RUN(cached_announcements_must_verify_when_keys_are_set);
    TEST_MAIN_END();
}
