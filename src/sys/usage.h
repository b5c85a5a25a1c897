/* usage: anonymous usage counts for the city's yearly review, per hour of local time.
 *
 * The ui reports what a visitor did (a session started, a screen or a listing opened, a QR
 * code shown and for how long, a filter used) through a counter sink (ui.h); app/ routes
 * those calls here. Nothing here knows who touched what: there is no per-tap log, no
 * timestamp finer than the hour, no order of events. docs/usage-counts.md says exactly what
 * is kept.
 *
 * Storage: one small text file per facility-local day, "<dir>/YYYY-MM-DD.usage", holding
 * that day's hourly counters, its named tallies (categories, filters, languages) and one row
 * per listing opened that day. Counts live in memory and usage_flush() rewrites only the
 * days that changed, each with fsio_write_atomic (temp file, fsync, rename, the old copy kept
 * as ".prev"); a file ends with a line carrying its row count and a checksum, and a file
 * that fails it is read from its ".prev". A power cut therefore loses at most what was
 * counted since the last flush, and a finished day is never rewritten, so older hours can
 * not be damaged. One file per day rather than an append-only journal: a journal needs
 * compaction and a repair pass after a torn append; a day file is whole or absent, and
 * deleting old days for retention is unlinking files. Each day is bounded (USAGE_MAX_*): a
 * year takes about 2 MB with 40 listings opened a day and about 17 MB if all of 500 were
 * opened every day (tests/bench/bench_usage), because listings are kept per day, not per
 * hour; the hourly rows are the totals.
 *
 * Retention: days before the start of the Japanese fiscal year (April 1 to March 31) that
 * is `retain_fiscal_years` - 1 years before the current one are deleted.
 *
 * Threads: every function takes the usage's lock, so the ui (main thread) may count while the
 * admin server queries; usage_flush runs on one thread at a time (the main loop, then
 * usage_free). usage_flush, usage_create and usage_query touch the disk, and so does the
 * first count of a new day (it reads that day's file, normally absent); usage_lifetime reads
 * memory only (for /metrics). */
#ifndef KIOSK_SYS_USAGE_H
#define KIOSK_SYS_USAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/clock.h"

/* Hourly counters. The names (usage_counter_name) are the file's, the API's and, with
 * "kiosk_usage_" and "_total", the metrics'. */
enum usage_counter {
    USAGE_SESSIONS,
    USAGE_SCREEN_HOME,
    USAGE_SCREEN_LIST,
    USAGE_SCREEN_DETAIL,
    USAGE_SCREEN_ANNOUNCEMENTS,
    USAGE_LISTING_OPENS,
    USAGE_QR_SHOWN,
    USAGE_QR_MS, /* milliseconds QR codes stayed on the detail screen */
    USAGE_ATTRACT_QR_SHOWN,
    USAGE_FILTERS_USED,
    USAGE_NCOUNTERS
};

/* Named tallies kept per day. */
enum usage_tag {
    USAGE_TAG_CATEGORY, /* a listing's category, per listing opened */
    USAGE_TAG_FILTER,   /* the filter chosen */
    USAGE_TAG_LANGUAGE, /* the language chosen */
    USAGE_TAG_DISPLAY,  /* a display mode chosen ("large_text") */
    USAGE_NTAGS
};

#define USAGE_MAX_LISTINGS 1024 /* listing rows per day; more are summed under "(other)" */
#define USAGE_MAX_TAGS 256      /* tag rows per day; more are summed under "(other)" */
#define USAGE_ID_MAX 64         /* bytes of an id, category, tag name; longer is cut */
#define USAGE_TITLE_MAX 160     /* bytes of a title kept; cut at a UTF-8 boundary */
#define USAGE_FLUSH_INTERVAL_S 300

struct usage;

struct usage_options {
    const char *dir;         /* the directory of the day files; made when missing */
    int retain_fiscal_years; /* <= 0: 3 */
    int flush_interval_s;    /* <= 0: USAGE_FLUSH_INTERVAL_S */
    struct kclock clock;     /* wall clock; facility-local days via timeutil */
};

/* Opens the counts in o->dir: makes the directory, removes stale temp files, deletes days
 * beyond retention and reads today's file so a restart continues today's counts. NULL on
 * allocation failure or when the directory can not be made (logged). Call usage_free. */
struct usage *usage_create(const struct usage_options *o);
/* Flushes what is unsaved, then frees. Accepts NULL. */
void usage_free(struct usage *u);

/* Counting: each adds to the current hour of the local clock. Strings are copied (cut at
 * the limits above); NULL or "" ids are ignored. Any thread. */
void usage_count(struct usage *u, enum usage_counter c, int64_t n);
void usage_count_tag(struct usage *u, enum usage_tag t, const char *name);
/* A listing opened (detail screen): counts USAGE_LISTING_OPENS, the category tag and the
 * listing's own row. */
void usage_listing_opened(struct usage *u, const char *id, const char *title, const char *category);
/* A listing's QR code left the screen after `ms` on it: counts USAGE_QR_SHOWN, USAGE_QR_MS
 * and the listing's row. */
void usage_listing_qr(struct usage *u, const char *id, int64_t ms);

/* Writes the days changed since the last flush when `force` or the flush interval has
 * passed since the last write, and applies retention on a new day. 0, or a negative errno
 * value of the first failed write (the counts stay in memory and are tried again). */
int usage_flush(struct usage *u, bool force);

/* Counters since the process started, for /metrics. Memory only. */
void usage_lifetime(struct usage *u, int64_t out[USAGE_NCOUNTERS]);

const char *usage_counter_name(enum usage_counter c);
const char *usage_tag_name(enum usage_tag t);

/* ---- Reports ---- */

struct usage_listing_total {
    char id[USAGE_ID_MAX + 1];
    char category[USAGE_ID_MAX + 1];
    char title[USAGE_TITLE_MAX + 1]; /* as last seen */
    int64_t opens, qr_shown, qr_ms;
    int64_t last_day; /* the last day of the range it was counted on */
};

struct usage_tag_total {
    enum usage_tag tag;
    char name[USAGE_ID_MAX + 1];
    int64_t count;
};

struct usage_day_total {
    int year, month, day;
    int64_t hours[24][USAGE_NCOUNTERS];
    int64_t total[USAGE_NCOUNTERS];
};

struct usage_report {
    int64_t total[USAGE_NCOUNTERS];
    struct usage_day_total *days; /* every day of the range, in order, zeros included */
    size_t ndays;
    struct usage_listing_total *listings; /* by opens, most first, then id */
    size_t nlistings;
    struct usage_tag_total *tags; /* by tag, then count, most first */
    size_t ntags;
};

/* The counts of the local days first..last (days since 1970-01-01, inclusive, at most 3660
 * days), saved and unsaved. Reads the day files: not for a scrape. 0 and *out filled (free
 * with usage_report_free), -EINVAL for a bad range, -ENOMEM. */
int usage_query(struct usage *u, int64_t first_day, int64_t last_day, struct usage_report *out);
void usage_report_free(struct usage_report *r);

/* "YYYY-MM-DD" to days since 1970-01-01; 0 or -EINVAL. Pure. */
int usage_parse_day(const char *s, int64_t *day);
/* The first and last day of Japanese fiscal year `fy` (April 1 fy to March 31 fy+1). Pure. */
void usage_fiscal_year(int fy, int64_t *first_day, int64_t *last_day);
/* The fiscal year a local day belongs to. Pure. */
int usage_fiscal_year_of(int64_t day);

#endif
