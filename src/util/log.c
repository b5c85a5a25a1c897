/* log: see log.h.
 *
 * Rate limiting is keyed by the format string's address: one call site is one key. A key
 * may print LOG_BURST lines per LOG_WINDOW_S; after that its lines are counted, and the
 * first line of the next window says how many were suppressed. The table is small and
 * fixed; when it is full the oldest key is reused, which at worst lets a line through.
 * Audit lines (log_audit) skip both the limit and the level: each is a staff action, and a
 * flood of refused requests must not hide who changed the screen.
 *
 * Messages carry text from outside (request paths, server replies), so every control
 * character, stray byte of broken UTF-8 and C1 control is written as an escape ("\x1b"):
 * a terminal or journal viewer showing the log must not obey an ESC or BEL an attacker put
 * in a URL, and a line must stay one line. */
#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/utf8.h"

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
        if (log_keys[i].fmt == fmt) {
            return &log_keys[i];
        }
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

/* Copies `in` to `out` (outlen > 0) with C0 controls, DEL, C1 controls (U+0080..U+009F)
 * and bytes that are not well-formed UTF-8 escaped as \xNN; a cut never splits a
 * character or an escape. Trailing newlines are dropped: callers often pass them. */
static void log_escape(const char *in, char *out, size_t outlen)
{
    size_t n = strlen(in), o = 0;
    while (n > 0 && (in[n - 1] == '\n' || in[n - 1] == '\r')) {
        n--;
    }
    const char *p = in, *end = in + n;
    while (p < end) {
        const char *start = p;
        int32_t cp = utf8_next(&p, end);
        size_t k = (size_t)(p - start);
        bool escape = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
        if (cp < 0) {
            p = start + 1; /* one stray byte at a time */
            k = 1;
        }
        size_t need = escape ? 4 * k : k;
        if (o + need + 1 > outlen) {
            break;
        }
        for (size_t i = 0; i < k; i++) {
            if (escape) {
                o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
                                      (unsigned)(unsigned char)start[i]);
            } else {
                out[o++] = start[i];
            }
        }
    }
    out[o] = '\0';
}

static const char *log_prefix(enum log_level level, bool journal)
{
    static const char *const journal_prefix[] = {"<7>", "<6>", "<4>", "<3>"};
    static const char *const tty_prefix[] = {"debug ", "", "warning: ", "error: "};
    return journal ? journal_prefix[level] : tty_prefix[level];
}

static void log_vmsg(enum log_level level, bool audit, const char *module, const char *fmt,
                     va_list ap) __attribute__((format(printf, 4, 0)));

/* Formats and writes one line; `audit` lines skip the level and the rate limit. */
static void log_vmsg(enum log_level level, bool audit, const char *module, const char *fmt,
                     va_list ap)
{
    char raw[1024], line[1024];
    long suppressed = 0;
    if (level < LOG_LEVEL_DEBUG || level > LOG_LEVEL_ERROR) {
        level = LOG_LEVEL_ERROR;
    }

    pthread_mutex_lock(&log_lock);
    if (!audit) {
        if (level < log_min) {
            pthread_mutex_unlock(&log_lock);
            return;
        }
        suppressed = log_admit(fmt);
        if (suppressed < 0) {
            pthread_mutex_unlock(&log_lock);
            return;
        }
    }
    int n = snprintf(raw, sizeof raw, "%s: ", module ? module : "kiosk");
    if (n < 0 || (size_t)n >= sizeof raw) {
        n = 0;
    }
    vsnprintf(raw + n, sizeof raw - (size_t)n, fmt, ap);
    /* One line per message whatever the caller passed: journald and tests read lines. */
    log_escape(raw, line, sizeof line);
    if (log_sink) {
        log_sink(level, line, log_sink_ctx);
    } else {
        bool journal = getenv("JOURNAL_STREAM");
        if (suppressed > 0) {
            fprintf(stderr, "%s%s (%ld similar lines suppressed)\n", log_prefix(level, journal),
                    line, suppressed);
        } else {
            fprintf(stderr, "%s%s\n", log_prefix(level, journal), line);
        }
    }
    pthread_mutex_unlock(&log_lock);
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, false, module, fmt, ap);
    va_end(ap);
}

void log_audit(const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LOG_LEVEL_INFO, true, module, fmt, ap);
    va_end(ap);
}
