/* test_safety_worker: the poller's thread around its cache: a restart mid-warning shows it
 * again and an ended one does not come back; a staff acknowledgement takes one down, is
 * written through, and the thread stops promptly. No network: no feed is configured. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/safety_worker.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define T0 INT64_C(1783042200) /* 2026-07-03T10:30:00+09:00 */

static const char CACHE[] =
    "{\"version\":1,\"generated_at\":\"2026-07-03T10:00:00+09:00\",\"announcements\":["
    "{\"id\":\"jma.quake.20260703100512\",\"text\":{\"ja\":\"震度6弱（東京都多摩東部）\"},"
    "\"level\":\"emergency\",\"starts_at\":\"2026-07-03T10:05:00+09:00\","
    "\"ends_at\":\"2026-07-03T16:05:00+09:00\",\"created_by\":\"jma\",\"source\":\"feed\"},"
    "{\"id\":\"cap.0123456789abcdef\",\"text\":{\"ja\":\"避難指示（武蔵野市）\"},"
    "\"level\":\"emergency\",\"starts_at\":\"2026-07-03T09:00:00+09:00\","
    "\"ends_at\":\"2026-07-03T10:00:00+09:00\",\"created_by\":\"cap\",\"source\":\"feed\"}]}";

struct inbox {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *docs[8];
    size_t n;
};

static void deliver(void *ctx, char *doc, size_t len)
{
    struct inbox *in = ctx;
    (void)len;
    pthread_mutex_lock(&in->mu);
    if (in->n < 8) {
        in->docs[in->n++] = doc;
        doc = NULL;
    }
    pthread_cond_signal(&in->cv);
    pthread_mutex_unlock(&in->mu);
    free(doc);
}

/* Waits up to 5 s for the n-th document. */
static const char *wait_doc(struct inbox *in, size_t n)
{
    struct timespec ts;
    const char *d = NULL;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    pthread_mutex_lock(&in->mu);
    while (in->n < n) {
        if (pthread_cond_timedwait(&in->cv, &in->mu, &ts) != 0) {
            break;
        }
    }
    if (in->n >= n) {
        d = in->docs[n - 1];
    }
    pthread_mutex_unlock(&in->mu);
    return d;
}

static void the_cache_brings_back_only_what_has_not_ended(void)
{
    char *dir = testutil_tempdir();
    char path[512];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/" SAFETY_CACHE_NAME, dir);
    CHECK(testutil_write_file(path, CACHE, strlen(CACHE)) == 0);
    char *doc = safety_cache_load(dir, T0, &len);
    CHECK(doc && len == strlen(doc));
    CHECK(doc && strstr(doc, "jma.quake.20260703100512") && !strstr(doc, "cap.0123"));
    free(doc);
    /* after the quake's end nothing comes back */
    doc = safety_cache_load(dir, T0 + 6 * 3600, &len);
    CHECK(doc && !strstr(doc, "jma.quake"));
    free(doc);
    CHECK(!safety_cache_load("/nonexistent-dir", T0, &len));
    CHECK(testutil_write_file(path, "{", 1) == 0);
    CHECK(!safety_cache_load(dir, T0, &len));
    testutil_rmtree(dir);
    free(dir);
}

static void an_acknowledgement_takes_the_banner_down_and_is_written_through(void)
{
    char *dir = testutil_tempdir();
    char path[512];
    int64_t now = T0;
    struct inbox in;
    struct safety_worker_opts o;

    memset(&in, 0, sizeof in);
    pthread_mutex_init(&in.mu, NULL);
    pthread_cond_init(&in.cv, NULL);
    snprintf(path, sizeof path, "%s/" SAFETY_CACHE_NAME, dir);
    CHECK(testutil_write_file(path, CACHE, strlen(CACHE)) == 0);
    memset(&o, 0, sizeof o);
    jma_config_default(&o.poll.jma);
    cap_config_default(&o.poll.cap);
    o.state_dir = dir;
    o.clock = kclock_fixed(&now);

    struct safety_worker *w = safety_worker_start(&o, deliver, &in);
    CHECK(w);
    const char *first = wait_doc(&in, 1);
    CHECK(first && strstr(first, "jma.quake.20260703100512"));
    CHECK(safety_worker_ack(w, "jma.quake.20260703100512") == 0);
    const char *second = wait_doc(&in, 2);
    CHECK(second && !strstr(second, "jma.quake"));

    char *text = NULL;
    size_t n = 0;
    CHECK(fsio_read_file(path, 1 << 20, &text, &n) == 0);
    CHECK(text && !strstr(text, "jma.quake"));
    free(text);

    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    safety_worker_stop(w);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK(b.tv_sec - a.tv_sec < 2);
    for (size_t i = 0; i < in.n; i++) {
        free(in.docs[i]);
    }
    pthread_mutex_destroy(&in.mu);
    pthread_cond_destroy(&in.cv);
    testutil_rmtree(dir);
    free(dir);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(the_cache_brings_back_only_what_has_not_ended);
    RUN(an_acknowledgement_takes_the_banner_down_and_is_written_through);
    TEST_MAIN_END();
}
