/* feed: the validated, immutable model of one feed document.
 *
 * feed_parse() turns untrusted bytes into a struct feed: the document is rejected whole
 * when it is not strict JSON, not version 1, lacks the events or volunteers arrays, or is
 * too large; otherwise every item stands alone and a bad one is dropped with a reason.
 * A struct feed never changes after parsing, so the network thread can build one and hand
 * it to the UI thread, which only reads it. This module knows nothing of SDL, curl or
 * files: it sees bytes and a clock value. The time rules ("what is shown now") live in
 * feed_select.h; the announcement merge in announce.h. */
#ifndef KIOSK_FEED_FEED_H
#define KIOSK_FEED_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FEED_MAX_BYTES_DEFAULT (8u * 1024u * 1024u)
#define FEED_MAX_ITEMS_DEFAULT 5000u

/* A text by language. ja is never NULL on a kept item's required fields; the translations
 * may be NULL (and are always NULL on the publisher, which carries ja and en only); an
 * absent optional field has ja == NULL. Strings are valid UTF-8, capped, and
 * free of control characters other than '\n'. ja_easy is やさしい日本語 and may carry readings
 * as `{漢字|かんじ}` (util/ruby.h), as ja may too. */
struct feed_text {
    const char *ja;
    const char *en;
    const char *zh_hans; /* "zh-Hans": Simplified Chinese */
    const char *ko;      /* "ko": Korean */
    const char *ja_easy; /* "ja-easy": やさしい日本語 */
};

enum feed_kind { FEED_KIND_EVENT, FEED_KIND_VOLUNTEER };

/* One date of a series (a weekly class, rows of a CSV with the same name and place). */
struct feed_date {
    int64_t start; /* Unix seconds */
    int64_t end;   /* exclusive; an all-day date ends at the end of its last day */
    bool all_day;
    bool changed; /* moved from the series' usual time (an iCalendar RECURRENCE-ID override) */
};

/* One weekly rule of a desk or a volunteer listing (kinds.h): open or active on the days in `days`
 * (bit 0 = Sunday) from `open` to `close`, minutes after the day's midnight. close may exceed 1440:
 * the desk is open past midnight into the next day. */
struct feed_hours {
    uint8_t days;
    int open;
    int close;
};

struct feed_item {
    enum feed_kind kind;
    const char *id;
    struct feed_text title;
    const char *title_ruby; /* the title with readings ({漢字|かんじ}, util/ruby.h), or NULL */
    struct feed_text summary;
    struct feed_text description;
    struct feed_text place;
    struct feed_text address;
    struct feed_text organizer; /* "organizer" of events, "organization" of volunteers */
    struct feed_text schedule;  /* volunteers */
    struct feed_text wanted;    /* volunteers */
    struct feed_text fee;
    struct feed_text contact;
    struct feed_text time_note; /* shown as the time when there is none ("10時～12時") */
    bool has_start, has_end, has_deadline;
    bool all_day;  /* start given as a date: the whole day in the facility's zone */
    int64_t start; /* Unix seconds */
    int64_t end;   /* for an all-day item without end: the end of its start day */
    int64_t deadline;
    /* A series: every date in order, the first being start/end, the last ending at `end`;
     * n_dates is 0 for an item with one date (feed_select.h finds the next one). */
    size_t n_dates;
    const struct feed_date *dates;
    /* Weekly times ("hours", volunteers): when an ongoing listing's activity takes place,
     * for the weekday and time-of-day filters (feed/when.h). n_hours 0: not given. */
    size_t n_hours;
    const struct feed_hours *hours;
    int capacity;            /* -1 when absent */
    const char *signup_url;  /* https (or http where allowed), or NULL (util/url.h) */
    const char *signup_host; /* its host as the caption names it; NULL iff signup_url is */
    bool featured;
    size_t n_categories; /* only ids the feed's category list knows */
    const char *const *categories;
    size_t n_audiences;
    const char *const *audiences;
};

enum ann_level { ANN_LEVEL_NORMAL, ANN_LEVEL_IMPORTANT, ANN_LEVEL_EMERGENCY };

enum ann_source { ANN_SOURCE_FEED, ANN_SOURCE_DIRECT };

struct feed_announcement {
    const char *id;
    struct feed_text text;
    enum ann_level level;
    int64_t starts_at;
    int64_t ends_at;    /* ignored when until_cleared */
    bool until_cleared; /* emergencies only: shown until deleted */
    size_t n_targets;   /* prefixes of the kiosk's `target`; none means every kiosk */
    const char *const *targets;
    const char *created_by; /* shown in status, never on screen; may be NULL */
    enum ann_source source;
};

struct feed_label {
    const char *id;
    struct feed_text label;
};

struct feed;

/* How strictly to judge a document. */
struct feed_limits {
    size_t max_bytes;  /* documents larger are rejected whole */
    size_t max_items;  /* per kind; items beyond are dropped */
    size_t max_string; /* bytes per string after sanitising (default 4096) */
    bool allow_http;   /* accept http:// signup URLs */
    size_t qr_max_url; /* longer signup URLs get a warning (feed/check.h); 0: none */
};

void feed_limits_default(struct feed_limits *lim);

/* One dropped item, for the log and `kiosk --check-feed`. */
struct feed_drop {
    const char *kind;   /* "event", "volunteer" or "announcement" */
    const char *id;     /* "?" when the item had no usable id */
    const char *reason; /* a short English phrase, e.g. "end before start" */
};

/* Parses and validates `len` bytes (not necessarily NUL-terminated). On success returns a
 * feed the caller owns (free with feed_free) and leaves `err` empty. On whole-document
 * rejection returns NULL and writes a one-line reason to `err`. Any thread; the result may
 * be read from any thread once handed over. */
struct feed *feed_parse(const char *data, size_t len, const struct feed_limits *lim, char *err,
                        size_t errlen);
void feed_free(struct feed *f);

/* Parses an announcements-only document, {"version": 1, "generated_at": …,
 * "announcements": [...]}, published at the config's announcements_url: the same rules as
 * the feed's announcements array; the result has no events or volunteers. */
struct feed *feed_parse_announcements(const char *data, size_t len, const struct feed_limits *lim,
                                      char *err, size_t errlen);

/* Reads; the pointers live as long as the feed. */
int64_t feed_generated_at(const struct feed *f);
const struct feed_text *feed_publisher(const struct feed *f);
size_t feed_count(const struct feed *f, enum feed_kind kind);
const struct feed_item *feed_item_at(const struct feed *f, enum feed_kind kind, size_t i);
const struct feed_item *feed_find(const struct feed *f, const char *id);
size_t feed_announcement_count(const struct feed *f);
const struct feed_announcement *feed_announcement_at(const struct feed *f, size_t i);
size_t feed_category_count(const struct feed *f);
const struct feed_label *feed_category_at(const struct feed *f, size_t i);
const struct feed_label *feed_category_find(const struct feed *f, const char *id);
size_t feed_audience_count(const struct feed *f);
const struct feed_label *feed_audience_at(const struct feed *f, size_t i);
const struct feed_label *feed_audience_find(const struct feed *f, const char *id);
size_t feed_drop_count(const struct feed *f);
const struct feed_drop *feed_drop_at(const struct feed *f, size_t i);

#endif
