/* waitloop: the loop's sleep ends on its timeout, on a wake from another thread (or one sent
 * before it slept), and never early; without a window it watches no input. */
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "app/waitloop.h"
#include "testutil.h"
#include "util/clock.h"

static void a_wait_ends_on_its_timeout_and_not_before(void)
{
    struct waitloop *w = waitloop_create(NULL);
    CHECK(w);
    if (!w) {
        return;
    }
    CHECK(waitloop_input_count(w) == 0);
    int64_t t0 = kclock_mono_ms();
    CHECK(waitloop_wait(w, 60) == WAITLOOP_TIMEOUT);
    int64_t took = kclock_mono_ms() - t0;
    CHECK(took >= 59);
    CHECK(took < 2000);
    waitloop_free(w);
}

static void a_wake_before_the_wait_ends_it_at_once_and_is_used_up(void)
{
    struct waitloop *w = waitloop_create(NULL);
    CHECK(w);
    if (!w) {
        return;
    }
    waitloop_wake(w);
    waitloop_wake(w); /* two wakes before a wait are one */
    int64_t t0 = kclock_mono_ms();
    CHECK(waitloop_wait(w, 5000) == WAITLOOP_WOKEN);
    CHECK(kclock_mono_ms() - t0 < 1000);
    CHECK(waitloop_wait(w, 20) == WAITLOOP_TIMEOUT);
    waitloop_free(w);
}

static void *wake_later(void *arg)
{
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    waitloop_wake(arg);
    return NULL;
}

static void another_thread_wakes_a_wait_without_timeout(void)
{
    struct waitloop *w = waitloop_create(NULL);
    pthread_t t;
    CHECK(w);
    if (!w) {
        return;
    }
    CHECK(pthread_create(&t, NULL, wake_later, w) == 0);
    int64_t t0 = kclock_mono_ms();
    CHECK(waitloop_wait(w, -1) == WAITLOOP_WOKEN);
    int64_t took = kclock_mono_ms() - t0;
    CHECK(took >= 40);
    CHECK(took < 5000);
    pthread_join(t, NULL);
    waitloop_free(w);
}

int main(void)
{
    RUN(a_wait_ends_on_its_timeout_and_not_before);
    RUN(a_wake_before_the_wait_ends_it_at_once_and_is_used_up);
    RUN(another_thread_wakes_a_wait_without_timeout);
    TEST_MAIN_END();
}
