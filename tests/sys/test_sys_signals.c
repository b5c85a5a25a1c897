/* test_sys_signals: stop and reload signals become flags and wake a sleeping loop. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "sys/signals.h"
#include "testutil.h"

static bool fd_readable(int fd, int timeout_ms)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    return poll(&pfd, 1, timeout_ms) == 1 && (pfd.revents & POLLIN);
}

static void nothing_is_pending_after_install(void)
{
    CHECK(sys_signals_install() == 0);
    CHECK(sys_signals_install() == 0); /* idempotent */
    CHECK(sys_signals_fd() >= 0);
    CHECK(!sys_signals_pending());
    CHECK(sys_signals_take() == 0);
    CHECK(!fd_readable(sys_signals_fd(), 0));
}

static void sighup_asks_for_a_reload_and_wakes_the_poll(void)
{
    CHECK(kill(getpid(), SIGHUP) == 0);
    CHECK(fd_readable(sys_signals_fd(), 5000));
    CHECK(sys_signals_pending());
    CHECK(sys_signals_take() == SYS_SIGNAL_RELOAD);
    CHECK(!sys_signals_pending());
    CHECK(!fd_readable(sys_signals_fd(), 0)); /* take drained the pipe */
}

static void two_sighups_before_a_take_are_one_reload(void)
{
    CHECK(kill(getpid(), SIGHUP) == 0);
    CHECK(kill(getpid(), SIGHUP) == 0);
    CHECK(fd_readable(sys_signals_fd(), 5000));
    CHECK(sys_signals_take() == SYS_SIGNAL_RELOAD);
    CHECK(sys_signals_take() == 0);
}

static void sigpipe_is_ignored(void)
{
    int fds[2];
    ssize_t n;

    CHECK(pipe(fds) == 0);
    close(fds[0]);
    n = write(fds[1], "x", 1);
    CHECK(n == -1 && errno == EPIPE); /* and we are still alive to check it */
    close(fds[1]);
}

static void sigterm_asks_to_stop_and_the_next_one_is_fatal(void)
{
    struct sigaction now;

    CHECK(kill(getpid(), SIGTERM) == 0);
    CHECK(fd_readable(sys_signals_fd(), 5000));
    CHECK(sys_signals_take() == SYS_SIGNAL_STOP);
    CHECK(sys_signals_stop_signo() == SIGTERM);
    CHECK(sigaction(SIGTERM, NULL, &now) == 0);
    CHECK(now.sa_handler == SIG_DFL);
}

static void sigint_asks_to_stop_too(void)
{
    CHECK(kill(getpid(), SIGINT) == 0);
    CHECK(fd_readable(sys_signals_fd(), 5000));
    CHECK(sys_signals_take() == SYS_SIGNAL_STOP);
    CHECK(sys_signals_stop_signo() == SIGINT);
}

static pthread_mutex_t woke_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t woke_cond = PTHREAD_COND_INITIALIZER;
static int woke_count;

static void on_wake(void *ctx)
{
    int *seen = ctx;
    pthread_mutex_lock(&woke_lock);
    (*seen)++;
    pthread_cond_broadcast(&woke_cond);
    pthread_mutex_unlock(&woke_lock);
}

static void the_waker_calls_back_from_a_thread(void)
{
    struct timespec ts;
    int seen;

    CHECK(sys_signals_start_waker(on_wake, &woke_count) == 0);
    CHECK(sys_signals_start_waker(on_wake, &woke_count) == -EALREADY);
    CHECK(kill(getpid(), SIGHUP) == 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    pthread_mutex_lock(&woke_lock);
    while (woke_count == 0) {
        if (pthread_cond_timedwait(&woke_cond, &woke_lock, &ts) != 0) {
            break;
        }
    }
    seen = woke_count;
    pthread_mutex_unlock(&woke_lock);
    CHECK(seen >= 1);
    CHECK(sys_signals_take() == SYS_SIGNAL_RELOAD);
}

int main(void)
{
    RUN(nothing_is_pending_after_install);
    RUN(sighup_asks_for_a_reload_and_wakes_the_poll);
    RUN(two_sighups_before_a_take_are_one_reload);
    RUN(sigpipe_is_ignored);
    RUN(sigterm_asks_to_stop_and_the_next_one_is_fatal);
    RUN(sigint_asks_to_stop_too);
    RUN(the_waker_calls_back_from_a_thread);
    TEST_MAIN_END();
}
