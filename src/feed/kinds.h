/* kinds: the civic-activity listings beside events and volunteers.
 *
 * The city's civic-activity plan offers more than events: grants for groups (補助金・助成金),
 * consultation desks (相談窓口), rooms to meet in (活動の場所) and a directory of groups
 * (団体). A feed v1 document may carry each as an optional array; a document without them
 * is as valid as before. They are parsed with the same rules as events (one bad entry is
 * dropped with a reason, never the document) into the same immutable struct feed, and read
 * through the accessors below. The time rules (is a desk open, how many days to a
 * deadline, which slots are free) are in kinds_time.h. Plain C, no SDL. */
#ifndef KIOSK_FEED_KINDS_H
#define KIOSK_FEED_KINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed.h"

enum feed_extra_kind {
    FEED_EXTRA_GRANT,
    FEED_EXTRA_DESK,
    FEED_EXTRA_ROOM,
    FEED_EXTRA_GROUP,
    FEED_EXTRA_COUNT
};

/* A link a QR code shows: the checked URL and the host its caption names; both NULL when
 * absent (util/url.h). */
struct feed_link {
    const char *url;
    const char *host;
};

struct feed_grant {
    const char *id;
    struct feed_text title;
    struct feed_text provider;
    struct feed_text amount; /* "上限10万円（対象経費の2分の1）" */
    struct feed_text eligibility;
    struct feed_text summary;
    struct feed_text contact;
    bool has_opens;
    int64_t opens;        /* applications accepted from */
    int64_t deadline;     /* exclusive: a date-only deadline ends with its day */
    struct feed_link url; /* the guidelines (募集要項) */
};

/* Days from..to (inclusive, days since 1970-01-01 in the facility's calendar) closed, or
 * open only open..close (minutes, as in struct feed_hours). */
struct feed_hours_exception {
    int64_t from_day;
    int64_t to_day;
    bool closed;
    int open;
    int close;
    struct feed_text note; /* "年末年始休業" */
};

struct feed_desk {
    const char *id;
    struct feed_text name;
    struct feed_text helps; /* what it helps with */
    struct feed_text place;
    struct feed_text note;
    const char *phone; /* as printed, digits, spaces and - ( ) + only; may be NULL */
    bool booking_required;
    size_t n_hours;
    const struct feed_hours *hours;
    size_t n_exceptions;
    const struct feed_hours_exception *exceptions;
    struct feed_link url;
};

struct feed_slot {
    int64_t start;
    int64_t end;
    bool free;
};

struct feed_room {
    const char *id;
    struct feed_text facility;
    struct feed_text name;
    struct feed_text equipment;
    struct feed_text fee;
    struct feed_text note;
    int capacity; /* -1 when absent */
    struct feed_link booking;
    size_t n_slots;                /* 0: the feed says nothing about bookings */
    const struct feed_slot *slots; /* sorted by start, not overlapping */
};

struct feed_group {
    const char *id;
    struct feed_text name;
    struct feed_text summary;
    struct feed_text activity; /* "毎月第2・第4土曜 10時～12時" */
    struct feed_text place;
    struct feed_text contact;
    bool recruiting; /* 会員募集中 */
    size_t n_categories;
    const char *const *categories; /* ids the feed's category list knows */
    struct feed_link url;
};

/* Counts and entries in document order; the pointers live as long as the feed. */
size_t feed_extra_count(const struct feed *f, enum feed_extra_kind kind);
const struct feed_grant *feed_grant_at(const struct feed *f, size_t i);
const struct feed_desk *feed_desk_at(const struct feed *f, size_t i);
const struct feed_room *feed_room_at(const struct feed *f, size_t i);
const struct feed_group *feed_group_at(const struct feed *f, size_t i);

/* "grant", "desk", "room", "group": the kind's name in drops and reports. */
const char *feed_extra_kind_name(enum feed_extra_kind kind);
/* "grants", "desks", "rooms", "groups": the array's member in the document. */
const char *feed_extra_member(enum feed_extra_kind kind);

#endif
