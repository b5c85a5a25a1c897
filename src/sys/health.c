/* health: small reads from /proc and /sys, and one bounded vcgencmd run.
 *
 * /proc/self/statm gives pages, so RSS is the second field times the page size. Open file
 * descriptors are counted by listing /proc/self/fd (the descriptor opendir itself holds is
 * not counted). The throttled flags come from the firmware's sysfs file when the kernel
 * exposes it, because the hardened unit does not grant /dev/vchiq, which vcgencmd needs; the
 * command is the fallback for older kernels, run directly (no shell) and killed after
 * SYS_HEALTH_CMD_TIMEOUT_MS. */
#define _GNU_SOURCE /* pipe2 */
#include "sys/health.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/fsio.h"

extern char **environ;

void sys_health_default_paths(struct sys_health_paths *paths, const char *state_dir)
{
    paths->proc_self = "/proc/self";
    paths->state_dir = state_dir;
    paths->thermal_temp = "/sys/class/thermal/thermal_zone0/temp";
    paths->throttled_file = "/sys/devices/platform/soc/soc:firmware/get_throttled";
    paths->vcgencmd = "/usr/bin/vcgencmd";
}

static bool sys_health_set(const char *s)
{
    return s && *s;
}

/* Reads a small text file into buf; false when absent or empty. */
static bool sys_health_slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "re");
    size_t n;

    if (!f) {
        return false;
    }
    n = fread(buf, 1, len - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n > 0;
}

static int64_t sys_health_rss(const char *proc_self)
{
    char path[512], buf[256];
    unsigned long long size, resident;
    long page = sysconf(_SC_PAGESIZE);

    snprintf(path, sizeof path, "%s/statm", proc_self);
    if (page <= 0 || !sys_health_slurp(path, buf, sizeof buf) ||
        sscanf(buf, "%llu %llu", &size, &resident) != 2) {
        return -1;
    }
    return (int64_t)resident * page;
}

static int sys_health_fds(const char *proc_self)
{
    char path[512];
    DIR *dir;
    struct dirent *de;
    int count = 0;

    snprintf(path, sizeof path, "%s/fd", proc_self);
    dir = opendir(path);
    if (!dir) {
        return -1;
    }
    while ((de = readdir(dir))) {
        if (de->d_name[0] != '.') {
            count++;
        }
    }
    /* listing our own fd/ shows the descriptor opendir holds: not one of the kiosk's */
    if (count > 0 && strcmp(proc_self, "/proc/self") == 0) {
        count--;
    }
    closedir(dir);
    return count;
}

static bool sys_health_parse_hex(const char *s, unsigned *out)
{
    char *end;
    unsigned long v;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    if (!*s) {
        return false;
    }
    errno = 0;
    v = strtoul(s, &end, 16);
    if (errno != 0 || end == s || v > 0xFFFFFFFFul) {
        return false;
    }
    while (*end == ' ' || *end == '\n' || *end == '\r') {
        end++;
    }
    if (*end) {
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* Runs `vcgencmd get_throttled` and parses "throttled=0x50005". */
static bool sys_health_vcgencmd(const char *vcgencmd, unsigned *out)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t defaults;
    char *argv[] = {(char *)vcgencmd, "get_throttled", NULL};
    char buf[128];
    size_t used = 0;
    int fds[2] = {-1, -1};
    pid_t pid = -1;
    bool ok = false;
    int64_t deadline;

    if (access(vcgencmd, X_OK) != 0) {
        return false;
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        return false;
    }
    if (posix_spawn_file_actions_init(&fa) != 0) {
        goto out_pipe;
    }
    if (posix_spawnattr_init(&attr) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        goto out_pipe;
    }
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    if (posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF) != 0 ||
        posix_spawnattr_setsigdefault(&attr, &defaults) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn(&pid, vcgencmd, &fa, &attr, argv, environ) != 0) {
        pid = -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    fds[1] = -1;
    if (pid < 0) {
        goto out_pipe;
    }

    deadline = kclock_mono_ms() + SYS_HEALTH_CMD_TIMEOUT_MS;
    for (;;) {
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int64_t left = deadline - kclock_mono_ms();
        ssize_t n;
        int rc;

        if (left <= 0) {
            break;
        }
        rc = poll(&pfd, 1, (int)left);
        if (rc < 0 && errno == EINTR) {
            continue;
        }
        if (rc <= 0) {
            break;
        }
        n = read(fds[0], buf + used, sizeof buf - 1 - used);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        used += (size_t)n;
        if (used == sizeof buf - 1) {
            break;
        }
    }
    buf[used] = '\0';
    kill(pid, SIGKILL); /* a no-op for a finished child, which stays ours until reaped */
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        ;
    }
    {
        const char *eq = strstr(buf, "throttled=");
        if (eq) {
            ok = sys_health_parse_hex(eq + strlen("throttled="), out);
        }
    }
out_pipe:
    if (fds[0] >= 0) {
        close(fds[0]);
    }
    if (fds[1] >= 0) {
        close(fds[1]);
    }
    return ok;
}

int sys_health_read(const struct sys_health_paths *paths, struct sys_health *out)
{
    char buf[64];
    int known = 0;

    out->rss_bytes = -1;
    out->open_fds = -1;
    out->state_free_bytes = -1;
    out->has_soc_temp = false;
    out->soc_temp_millic = 0;
    out->has_throttled = false;
    out->throttled = 0;

    if (sys_health_set(paths->proc_self)) {
        out->rss_bytes = sys_health_rss(paths->proc_self);
        out->open_fds = sys_health_fds(paths->proc_self);
        known += (out->rss_bytes >= 0) + (out->open_fds >= 0);
    }
    if (sys_health_set(paths->state_dir)) {
        long long free_bytes = fsio_free_bytes(paths->state_dir);
        out->state_free_bytes = free_bytes >= 0 ? (int64_t)free_bytes : -1;
        known += out->state_free_bytes >= 0;
    }
    if (sys_health_set(paths->thermal_temp) &&
        sys_health_slurp(paths->thermal_temp, buf, sizeof buf)) {
        char *end;
        long v;
        errno = 0;
        v = strtol(buf, &end, 10);
        /* a plausible SoC: -40 °C to 150 °C; anything else is a wrong file, not a fire */
        if (errno == 0 && end != buf && (*end == '\0' || *end == '\n') && v >= -40000 &&
            v <= 150000) {
            out->has_soc_temp = true;
            out->soc_temp_millic = (int)v;
            known++;
        }
    }
    if (sys_health_set(paths->throttled_file) &&
        sys_health_slurp(paths->throttled_file, buf, sizeof buf) &&
        sys_health_parse_hex(buf, &out->throttled)) {
        out->has_throttled = true;
        known++;
    } else if (sys_health_set(paths->vcgencmd) &&
               sys_health_vcgencmd(paths->vcgencmd, &out->throttled)) {
        out->has_throttled = true;
        known++;
    }
    return known;
}

int sys_health_to_json(const struct sys_health *h, cJSON *obj)
{
    char hex[16];

    if (!obj) {
        return -EINVAL;
    }
    if (h->rss_bytes >= 0 && !cJSON_AddNumberToObject(obj, "rss_bytes", (double)h->rss_bytes)) {
        return -ENOMEM;
    }
    if (h->open_fds >= 0 && !cJSON_AddNumberToObject(obj, "open_fds", h->open_fds)) {
        return -ENOMEM;
    }
    if (h->state_free_bytes >= 0 &&
        !cJSON_AddNumberToObject(obj, "state_free_bytes", (double)h->state_free_bytes)) {
        return -ENOMEM;
    }
    if (h->has_soc_temp &&
        !cJSON_AddNumberToObject(obj, "soc_temp_c", (double)(h->soc_temp_millic / 100) / 10.0)) {
        return -ENOMEM;
    }
    if (h->has_throttled) {
        snprintf(hex, sizeof hex, "0x%x", h->throttled);
        if (!cJSON_AddStringToObject(obj, "throttled", hex) ||
            !cJSON_AddBoolToObject(obj, "under_voltage_now",
                                   (h->throttled & SYS_THROTTLE_UNDERVOLT_NOW) != 0) ||
            !cJSON_AddBoolToObject(obj, "under_voltage_seen",
                                   (h->throttled & SYS_THROTTLE_UNDERVOLT_SEEN) != 0) ||
            !cJSON_AddBoolToObject(obj, "throttled_now",
                                   (h->throttled & (SYS_THROTTLE_THROTTLED_NOW |
                                                    SYS_THROTTLE_FREQ_CAPPED_NOW)) != 0)) {
            return -ENOMEM;
        }
    }
    return 0;
}
