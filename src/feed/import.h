/* import: the formats a city already publishes, read into the feed v1 shape.
 *
 * A city has its events as the national open-data event list (自治体標準オープンデータセット
 * 「イベント一覧」, CSV) and as iCalendar from a booking system or a public calendar. Each
 * reader turns untrusted bytes into a cJSON tree shaped like a feed v1 document (docs/feed.md),
 * so every item then passes the same validator as the JSON feed (feed_import in feed.h):
 *
 *   {"version": 1, "generated_at": "...", "categories": [{"id", "label": {"ja"}}...],
 *    "events": [...], "volunteers": [...]}
 *
 * with each item {"id", "title", "place", "description", "organizer", "fee", "contact",
 * "wanted", "start", "end", "time_note", "dates", "deadline", "capacity", "signup_url",
 * "categories"} as docs/feed.md describes. A record the reader cannot use is dropped through
 * opts->drop with its physical line (CSV, kind "row", id "12") or its UID (iCalendar, kind
 * "event"); the rest is used. A whole file the reader cannot use returns NULL with a one-line
 * reason. Nothing here knows SDL, curl or files: bytes in, a tree out. Any thread. */
#ifndef KIOSK_FEED_IMPORT_H
#define KIOSK_FEED_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed.h"

struct cJSON;

enum import_format {
    IMPORT_FORMAT_UNKNOWN,
    IMPORT_FORMAT_JSON, /* the kiosk's own feed v1 */
    IMPORT_FORMAT_CSV,  /* イベント一覧 */
    IMPORT_FORMAT_ICAL, /* text/calendar */
};

/* Guesses the format from the first bytes (after a UTF-8 BOM and white space): '{' is JSON,
 * BEGIN:VCALENDAR is iCalendar, anything else that is text is CSV. */
enum import_format import_detect(const char *data, size_t len);

/* The lowercase name of a format ("json", "csv", "ical", "unknown"). */
const char *import_format_name(enum import_format f);

/* Receives one dropped record: kind "row" (CSV, id = the physical line on which the record
 * starts, the header being line 1) or "event" (iCalendar, id = its UID, "?" when it has
 * none); reason is a short English phrase naming the column or property. */
typedef void (*import_drop_fn)(void *ctx, const char *kind, const char *id, const char *reason);

#define IMPORT_WINDOW_DAYS_DEFAULT 92
/* A calendar larger is rejected whole: libical holds about 33 bytes per byte of input, so
 * this bounds one calendar's parse near 140 MB (a year of a busy facility is far smaller). */
#define IMPORT_ICAL_MAX_BYTES (4u * 1024u * 1024u)

struct import_opts {
    enum feed_kind kind;          /* the array the items go into */
    const char *default_category; /* a category label for items naming none; NULL = none */
    const char *id_prefix;        /* put before every item id ("" or NULL = none) */
    bool upgrade_http;            /* http:// signup URLs become https:// (default true); when
                                   * false such an item has no signup_url (its contact shows) */
    int64_t now;                  /* iCalendar: the window starts at the facility day of now */
    int window_days;              /* iCalendar: recurrences expanded this far (default 92) */
    size_t max_items;             /* items beyond are dropped (default FEED_MAX_ITEMS_DEFAULT) */
    import_drop_fn drop;          /* may be NULL */
    void *drop_ctx;
};

void import_opts_default(struct import_opts *o);

/* The readers. Both return a new tree the caller frees with cJSON_Delete, or NULL with a
 * one-line reason in err (not UTF-8 or CP932, no name column, no VCALENDAR, out of memory). */
struct cJSON *import_csv(const char *data, size_t len, const struct import_opts *o, char *err,
                         size_t errlen);
struct cJSON *import_ical(const char *data, size_t len, const struct import_opts *o, char *err,
                          size_t errlen);

/* Reads one source in whichever of the three formats it is (import_detect) and validates it
 * as feed_parse does: the feed of that source alone, its readers' drops listed first (kind
 * "row" or "event"), or NULL with a reason ("not a feed, CSV or iCalendar file", the reader's
 * or the validator's). A JSON feed keeps its own ids and ignores kind, category and prefix.
 * *fmt (may be NULL) gets the format seen. Any thread. */
struct feed *feed_import(const char *data, size_t len, const struct import_opts *o,
                         const struct feed_limits *lim, enum import_format *fmt, char *err,
                         size_t errlen);

/* One source of a merge: its feed and the name drops and duplicates are reported under. */
struct feed_part {
    const struct feed *feed; /* NULL: the source has nothing yet (skipped) */
    const char *name;
};

/* One feed of everything in `parts`, in order, copied (the parts stay the caller's): items
 * and announcements of every part, a later item with an id already taken dropped
 * ("duplicate id, also in <name>"); categories joined, a later part's category mapped to an
 * earlier one with the same id or the same Japanese label (a CSV's 「講座」 onto the feed's
 * own 講座 category); generated_at the newest. NULL on allocation failure. Any thread. */
struct feed *feed_merge(const struct feed_part *parts, size_t n);

#endif
