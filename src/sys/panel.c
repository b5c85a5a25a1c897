/* panel: runs the panel on/off commands in a watched child process.
 *
 * One worker thread per kiosk takes the latest queued command, starts `/bin/sh -c cmd` with
 * posix_spawn in a new process group (so a pipeline such as `echo ... | cec-client` dies
 * whole), with default signal dispositions (the kiosk ignores SIGPIPE, and an ignored
 * disposition would survive exec), stdin and stdout on /dev/null and stderr left to the
 * journal. It then polls the child with waitid(WNOWAIT) on a monotonic timed wait: when the
 * leader exits it kills whatever the command left behind in its group, when the timeout
 * passes it kills the group with SIGKILL, and only then reaps the leader, so the pid and
 * process group can never be reused under our kill. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np (glibc >= 2.34) */
#include "sys/panel.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/log.h"

extern char **environ;

#define SYS_PANEL_POLL_MS 20

struct sys_panel {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC: work queued, stop asked, command finished */
    pthread_t thread;
    bool thread_started;
    char *pending;
    int pending_timeout_s;
    int pending_tag;
    bool running;
    bool stop;
    unsigned long seq;
    struct sys_panel_result last;
};

static void sys_panel_deadline(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static int sys_panel_spawn(const char *cmd, pid_t *pid)
{
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t fa;
    sigset_t mask, defaults;
    char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
    int rc;

    rc = posix_spawnattr_init(&attr);
    if (rc != 0) {
        return rc;
    }
    rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0) {
        posix_spawnattr_destroy(&attr);
        return rc;
    }
    sigemptyset(&mask);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGCHLD);
    sigaddset(&defaults, SIGQUIT);
    if ((rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                                  POSIX_SPAWN_SETSIGDEF)) != 0 ||
        (rc = posix_spawnattr_setpgroup(&attr, 0)) != 0 ||
        (rc = posix_spawnattr_setsigmask(&attr, &mask)) != 0 ||
        (rc = posix_spawnattr_setsigdefault(&attr, &defaults)) != 0 ||
        (rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) != 0 ||
        (rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0)) != 0 ||
        /* the kiosk's sockets and files are no business of a shell command */
        (rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) != 0) {
        goto out;
    }
    rc = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, environ);
out:
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return rc;
}

/* Runs one command to its end or its timeout. Called by the worker without the lock. */
static void sys_panel_run_one(struct sys_panel *p, const char *cmd, int timeout_s,
                              struct sys_panel_result *res)
{
    int64_t start = kclock_mono_ms();
    int64_t deadline = start + (int64_t)timeout_s * 1000;
    bool timed_out = false, stopped = false;
    siginfo_t info;
    pid_t pid = -1;
    int status = 0;
    int rc;

    memset(res, 0, sizeof *res);
    rc = sys_panel_spawn(cmd, &pid);
    if (rc != 0) {
        res->outcome = SYS_PANEL_SPAWN_FAILED;
        res->status = rc;
        LOG_ERROR("sys", "panel: cannot start '%s': %s", cmd, strerror(rc));
        return;
    }
    res->pid = pid;
    for (;;) {
        struct timespec ts;
        bool stop;

        memset(&info, 0, sizeof info);
        rc = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT);
        if (rc == 0 && info.si_pid == pid) {
            break;
        }
        if (rc < 0 && errno != EINTR) {
            LOG_ERROR("sys", "panel: waitid: %s", strerror(errno));
            break;
        }
        pthread_mutex_lock(&p->lock);
        stop = p->stop;
        if (!stop) {
            sys_panel_deadline(&ts, SYS_PANEL_POLL_MS);
            pthread_cond_timedwait(&p->cond, &p->lock, &ts);
            stop = p->stop;
        }
        pthread_mutex_unlock(&p->lock);
        if (stop || kclock_mono_ms() >= deadline) {
            timed_out = true;
            stopped = stop;
            break;
        }
    }
    /* the leader is a zombie or still running: either way the group id is still ours. This
     * also ends what a finished command left running in the background. */
    if (kill(-pid, SIGKILL) < 0 && errno != ESRCH) {
        LOG_WARN("sys", "panel: cannot kill process group %d: %s", (int)pid, strerror(errno));
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            LOG_ERROR("sys", "panel: waitpid: %s", strerror(errno));
            break;
        }
    }
    res->elapsed_ms = kclock_mono_ms() - start;
    if (timed_out) {
        res->outcome = SYS_PANEL_TIMED_OUT;
        res->status = SIGKILL;
        if (stopped) {
            LOG_INFO("sys", "panel: '%s' killed: the kiosk is stopping", cmd);
        } else {
            LOG_WARN("sys", "panel: '%s' still running after %d s: killed", cmd, timeout_s);
        }
    } else if (WIFEXITED(status)) {
        res->outcome = SYS_PANEL_EXITED;
        res->status = WEXITSTATUS(status);
        if (res->status != 0) {
            LOG_WARN("sys", "panel: '%s' exited with status %d", cmd, res->status);
        } else {
            LOG_INFO("sys", "panel: '%s' done", cmd);
        }
    } else {
        res->outcome = SYS_PANEL_SIGNALED;
        res->status = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        LOG_WARN("sys", "panel: '%s' killed by signal %d", cmd, res->status);
    }
}

static void *sys_panel_worker(void *arg)
{
    struct sys_panel *p = arg;

    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        char *cmd;
        int timeout_s, tag;
        struct sys_panel_result res;

        if (!p->pending) {
            pthread_cond_wait(&p->cond, &p->lock);
            continue;
        }
        cmd = p->pending;
        timeout_s = p->pending_timeout_s;
        tag = p->pending_tag;
        p->pending = NULL;
        p->running = true;
        pthread_mutex_unlock(&p->lock);

        sys_panel_run_one(p, cmd, timeout_s, &res);
        free(cmd);

        pthread_mutex_lock(&p->lock);
        res.seq = ++p->seq;
        res.tag = tag;
        p->last = res;
        p->running = false;
        pthread_cond_broadcast(&p->cond);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

struct sys_panel *sys_panel_create(void)
{
    struct sys_panel *p = calloc(1, sizeof *p);
    pthread_condattr_t ca;
    int rc;

    if (!p) {
        LOG_ERROR("sys", "panel: out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    if (pthread_condattr_init(&ca) != 0 || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&p->cond, &ca) != 0) {
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    pthread_condattr_destroy(&ca);
    rc = pthread_create(&p->thread, NULL, sys_panel_worker, p);
    if (rc != 0) {
        LOG_ERROR("sys", "panel: cannot start worker: %s", strerror(rc));
        pthread_cond_destroy(&p->cond);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
    }
    p->thread_started = true;
    return p;
}

struct sys_panel_want sys_panel_decide(bool open, bool emergency)
{
    struct sys_panel_want w = {true, SYS_PANEL_WHY_HOURS};

    /* Open wins the reason: the panel would be on anyway, and an emergency ending then
     * must not switch it off. */
    if (!open && emergency) {
        w.why = SYS_PANEL_WHY_EMERGENCY;
    } else if (!open) {
        w.on = false;
    }
    return w;
}

const char *sys_panel_why_name(enum sys_panel_why why)
{
    return why == SYS_PANEL_WHY_EMERGENCY ? "emergency" : "hours";
}

const char *sys_panel_outcome_name(enum sys_panel_outcome outcome)
{
    switch (outcome) {
    case SYS_PANEL_NONE:
        return "none";
    case SYS_PANEL_EXITED:
        return "exited";
    case SYS_PANEL_SIGNALED:
        return "signaled";
    case SYS_PANEL_TIMED_OUT:
        return "timed_out";
    case SYS_PANEL_SPAWN_FAILED:
        return "spawn_failed";
    }
    return "none";
}

int sys_panel_run(struct sys_panel *p, const char *cmd, int timeout_s)
{
    return sys_panel_run_tagged(p, cmd, timeout_s, 0);
}

int sys_panel_run_tagged(struct sys_panel *p, const char *cmd, int timeout_s, int tag)
{
    char *copy;

    if (!p || !cmd || !*cmd) {
        return 0;
    }
    if (timeout_s < 1) {
        timeout_s = 1;
    }
    if (timeout_s > 600) {
        timeout_s = 600;
    }
    copy = strdup(cmd);
    if (!copy) {
        return -ENOMEM;
    }
    pthread_mutex_lock(&p->lock);
    free(p->pending); /* latest wins: a queued off is stale once on is asked for */
    p->pending = copy;
    p->pending_timeout_s = timeout_s;
    p->pending_tag = tag;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

bool sys_panel_busy(struct sys_panel *p)
{
    bool busy;

    if (!p) {
        return false;
    }
    pthread_mutex_lock(&p->lock);
    busy = p->running || p->pending;
    pthread_mutex_unlock(&p->lock);
    return busy;
}

void sys_panel_last(struct sys_panel *p, struct sys_panel_result *out)
{
    if (!p) {
        memset(out, 0, sizeof *out);
        return;
    }
    pthread_mutex_lock(&p->lock);
    *out = p->last;
    pthread_mutex_unlock(&p->lock);
}

bool sys_panel_wait_idle(struct sys_panel *p, int timeout_ms)
{
    struct timespec ts;
    bool idle;

    if (!p) {
        return true;
    }
    sys_panel_deadline(&ts, timeout_ms);
    pthread_mutex_lock(&p->lock);
    while (p->running || p->pending) {
        if (pthread_cond_timedwait(&p->cond, &p->lock, &ts) == ETIMEDOUT) {
            break;
        }
    }
    idle = !p->running && !p->pending;
    pthread_mutex_unlock(&p->lock);
    return idle;
}

void sys_panel_free(struct sys_panel *p)
{
    if (!p) {
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    free(p->pending);
    p->pending = NULL;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    if (p->thread_started) {
        pthread_join(p->thread, NULL);
    }
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
