/* signals: async-signal-safe handlers, a self-pipe, and an optional waker thread.
 *
 * The handler does three things, all async-signal-safe: an atomic OR into a bit set (a C11
 * lock-free atomic, so take() can read and clear it in one exchange without losing a signal
 * that lands in between), remember the signal number, and write one byte to a non-blocking
 * pipe (a full pipe is fine: the loop is already awake). errno is saved around the write
 * because the handler may interrupt code that is about to read errno. */
#define _GNU_SOURCE /* pipe2 */
#include "sys/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

#if ATOMIC_INT_LOCK_FREE != 2
#error "signal handlers need lock-free atomic int"
#endif

static atomic_uint sys_sig_bits;
static atomic_int sys_sig_stop_signo;
static int sys_sig_pipe[2] = {-1, -1};
static bool sys_sig_installed;
static bool sys_sig_waker_started;

static void sys_signals_handler(int signo)
{
    int saved = errno;
    unsigned bit = signo == SIGHUP ? SYS_SIGNAL_RELOAD : SYS_SIGNAL_STOP;
    char byte = 's';
    ssize_t n;

    atomic_fetch_or(&sys_sig_bits, bit);
    if (bit == SYS_SIGNAL_STOP) {
        atomic_store(&sys_sig_stop_signo, signo);
    }
    if (sys_sig_pipe[1] >= 0) {
        n = write(sys_sig_pipe[1], &byte, 1);
        (void)n; /* EAGAIN: the pipe is full, the reader is already due to wake */
    }
    errno = saved;
}

static int sys_signals_set(int signo, void (*handler)(int), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    /* one handler at a time: no interleaved writes to the bits */
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGHUP);
    return sigaction(signo, &sa, NULL) == 0 ? 0 : -errno;
}

int sys_signals_install(void)
{
    int fds[2];
    int rc;

    if (sys_sig_installed) {
        return 0;
    }
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
        rc = -errno;
        LOG_ERROR("sys", "signals: pipe: %s", strerror(-rc));
        return rc;
    }
    sys_sig_pipe[0] = fds[0];
    sys_sig_pipe[1] = fds[1];
    /* SA_RESTART: a signal must not turn a disk write or a curl call into EINTR; the loop
     * still wakes because the pipe becomes readable. SA_RESETHAND on the stop signals: the
     * second one terminates even if the stopping kiosk hangs. */
    if ((rc = sys_signals_set(SIGTERM, sys_signals_handler, SA_RESTART | SA_RESETHAND)) < 0 ||
        (rc = sys_signals_set(SIGINT, sys_signals_handler, SA_RESTART | SA_RESETHAND)) < 0 ||
        (rc = sys_signals_set(SIGHUP, sys_signals_handler, SA_RESTART)) < 0 ||
        (rc = sys_signals_set(SIGPIPE, SIG_IGN, 0)) < 0) {
        LOG_ERROR("sys", "signals: sigaction: %s", strerror(-rc));
        return rc;
    }
    sys_sig_installed = true;
    return 0;
}

int sys_signals_fd(void)
{
    return sys_sig_pipe[0];
}

bool sys_signals_pending(void)
{
    return atomic_load(&sys_sig_bits) != 0;
}

static void sys_signals_drain(void)
{
    char buf[64];

    if (sys_sig_pipe[0] < 0) {
        return;
    }
    while (read(sys_sig_pipe[0], buf, sizeof buf) > 0) {
        ;
    }
}

unsigned sys_signals_take(void)
{
    /* drain first: a signal after the drain leaves a byte for the next poll, and its bit
     * is either taken now or stays for the next take; nothing is lost */
    sys_signals_drain();
    return atomic_exchange(&sys_sig_bits, 0u);
}

int sys_signals_stop_signo(void)
{
    return atomic_load(&sys_sig_stop_signo);
}

struct sys_waker {
    void (*fn)(void *ctx);
    void *ctx;
};

static struct sys_waker sys_sig_waker;

static void *sys_signals_waker_main(void *arg)
{
    struct sys_waker *w = arg;
    struct pollfd pfd = {.fd = sys_sig_pipe[0], .events = POLLIN};
    sigset_t all;

    /* the handlers must run on another thread: this one only turns bytes into calls */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    for (;;) {
        int rc = poll(&pfd, 1, -1);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        if (rc < 0) {
            break;
        }
        sys_signals_drain();
        w->fn(w->ctx);
    }
    return NULL;
}

int sys_signals_start_waker(void (*fn)(void *ctx), void *ctx)
{
    pthread_t t;
    int rc;

    if (!fn) {
        return -EINVAL;
    }
    if (!sys_sig_installed) {
        return -EINVAL;
    }
    if (sys_sig_waker_started) {
        return -EALREADY;
    }
    sys_sig_waker.fn = fn;
    sys_sig_waker.ctx = ctx;
    rc = pthread_create(&t, NULL, sys_signals_waker_main, &sys_sig_waker);
    if (rc != 0) {
        LOG_ERROR("sys", "signals: cannot start the waker thread: %s", strerror(rc));
        return -rc;
    }
    pthread_detach(t);
    sys_sig_waker_started = true;
    return 0;
}
