/* log: levelled, rate-limited lines on stderr for journald.
 *
 * Every module reports through here; nothing else writes to stderr. Under systemd
 * (JOURNAL_STREAM set) lines carry sd-daemon "<N>" priority prefixes so journald keeps the
 * level. A call site that repeats (a sync failing every minute for a day) is rate-limited
 * per format string: a burst passes, then one line a minute with a count of what was
 * suppressed, so a broken network can never fill a disk. Control characters in a message
 * are written as escapes ("\x1b"), so text from outside cannot drive a terminal or split
 * a line. Thread-safe. */
#ifndef KIOSK_UTIL_LOG_H
#define KIOSK_UTIL_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Lines below this level are dropped. Default LOG_LEVEL_INFO. Any thread. */
void log_set_level(enum log_level level);

/* A sink receives each formatted line (without prefix or newline) instead of stderr;
 * tests use it to assert on what was said. NULL restores stderr. Any thread. */
typedef void (*log_sink_fn)(enum log_level level, const char *line, void *ctx);
void log_set_sink(log_sink_fn sink, void *ctx);

/* Writes "module: message". The format string identifies the call site for rate limiting,
 * so pass a literal. Any thread. */
void log_msg(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An audit line (a staff action: an announcement created, replaced or deleted), written at
 * info level but never rate-limited nor dropped by the level. Only for lines that are few
 * by nature. Any thread. */
void log_audit(const char *module, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOG_DEBUG(mod, ...) log_msg(LOG_LEVEL_DEBUG, (mod), __VA_ARGS__)
#define LOG_INFO(mod, ...) log_msg(LOG_LEVEL_INFO, (mod), __VA_ARGS__)
#define LOG_WARN(mod, ...) log_msg(LOG_LEVEL_WARN, (mod), __VA_ARGS__)
#define LOG_ERROR(mod, ...) log_msg(LOG_LEVEL_ERROR, (mod), __VA_ARGS__)
#define LOG_AUDIT(mod, ...) log_audit((mod), __VA_ARGS__)

#endif
