/* log: see log.h.
 *
 * Rate limiting is keyed by the format string's address: one call site is one key. A key
 * may print LOG_BURST lines per LOG_WINDOW_S; after that its lines are counted, and the
 * first line of the next window says how many were suppressed. The table is small and
 * fixed; when it is full the oldest key is reused, which at worst lets a line through. */
#include "util/log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_BURST 5
#define LOG_WINDOW_S 60
#define LOG_KEYS 64

struct log_key {
    const char *fmt;
    time_t window_start;
    unsigned printed;
    unsigned suppressed;
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static enum log_level log_min = LOG_LEVEL_INFO;
static log_sink_fn log_sink;
static void *log_sink_ctx;
static struct log_key log_keys[LOG_KEYS];
static unsigned log_next_key;

void log_set_level(enum log_level level)
{
    pthread_mutex_lock(&log_lock);
    log_min = level;
    pthread_mutex_unlock(&log_lock);
}

void log_set_sink(log_sink_fn sink, void *ctx)
{
    pthread_mutex_lock(&log_lock);
    log_sink = sink;
    log_sink_ctx = ctx;
    pthread_mutex_unlock(&log_lock);
}

static struct log_key *log_key_for(const char *fmt)
{
    for (unsigned i = 0; i < LOG_KEYS; i++) {
        if (log_keys[i].fmt == fmt)
            return &log_keys[i];
    }
    struct log_key *k = &log_keys[log_next_key];
    log_next_key = (log_next_key + 1) % LOG_KEYS;
    memset(k, 0, sizeof *k);
    k->fmt = fmt;
    return k;
}

/* Decides under the lock whether this line prints; returns how many were suppressed before
 * it (to report), or -1 when it must be suppressed. */
static long log_admit(const char *fmt)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    struct log_key *k = log_key_for(fmt);
    long reported = 0;
    if (k->window_start == 0 || ts.tv_sec - k->window_start >= LOG_WINDOW_S) {
        reported = k->suppressed;
        k->window_start = ts.tv_sec;
        k->printed = 0;
        k->suppressed = 0;
    }
    if (k->printed >= LOG_BURST) {
        k->suppressed++;
        return -1;
    }
    k->printed++;
    return reported;
}

static const char *log_prefix(enum log_level level, bool journal)
{
    static const char *const journal_prefix[] = {"<7>", "<6>", "<4>", "<3>"};
    static const char *const tty_prefix[] = {"debug ", "", "warning: ", "error: "};
    return journal ? journal_prefix[level] : tty_prefix[level];
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    if (level < LOG_LEVEL_DEBUG || level > LOG_LEVEL_ERROR)
        level = LOG_LEVEL_ERROR;

    pthread_mutex_lock(&log_lock);
    if (level < log_min) {
        pthread_mutex_unlock(&log_lock);
        return;
    }
    long suppressed = log_admit(fmt);
    if (suppressed < 0) {
        pthread_mutex_unlock(&log_lock);
        return;
    }
    int n = snprintf(line, sizeof line, "%s: ", module ? module : "kiosk");
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    /* One line per message whatever the caller passed: journald and tests read lines. */
    for (char *p = line; *p; p++) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }
    if (log_sink) {
        log_sink(level, line, log_sink_ctx);
    } else {
        bool journal = getenv("JOURNAL_STREAM") != NULL;
        if (suppressed > 0)
            fprintf(stderr, "%s%s (%ld similar lines suppressed)\n", log_prefix(level, journal),
                    line, suppressed);
        else
            fprintf(stderr, "%s%s\n", log_prefix(level, journal), line);
    }
    pthread_mutex_unlock(&log_lock);
}
