/* feed_internal: what feed.c, feed_valid.c and announce.c share and nobody else sees.
 *
 * An arena holds everything a parsed feed points to, so feed_free() is one walk over a
 * chunk list and a struct feed is immutable once built. The field validators work with an
 * allocator callback so the same rules fill a feed (arena) and an admin API announcement
 * (malloc, freed by ann_clear). */
#ifndef KIOSK_FEED_INTERNAL_H
#define KIOSK_FEED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed.h"
#include "feed/kinds.h"

struct cJSON;
struct fv_ctx;

#define FEED_MAX_STRING_DEFAULT 4096u
#define FEED_MAX_ID 128u
#define FEED_MAX_LABELS 256u /* categories, audiences */
#define FEED_MAX_REFS 32u    /* category or audience ids on one item */
#define FEED_MAX_TARGETS 32u
#define FEED_MAX_CAPACITY 1000000
#define FEED_MAX_DATES 366u /* of one series; the readers cut theirs there too */

struct arena_chunk;

struct arena {
    struct arena_chunk *head;
    size_t total; /* bytes handed out, for the benchmark's curiosity */
};

/* Everything a parsed feed is; feed.c builds it, merge.c copies from several into one. */
struct feed {
    struct arena arena; /* owns every string and array below but drops */
    int64_t generated_at;
    struct feed_text publisher;
    struct feed_item *items[2];
    size_t n_items[2];
    struct feed_announcement *anns;
    size_t n_anns;
    struct feed_label *cats;
    size_t n_cats;
    struct feed_label *auds;
    size_t n_auds;
    struct feed_drop *drops; /* heap, grown while parsing */
    size_t n_drops;
    size_t cap_drops;
    /* open addressing on item ids (events and volunteers share one namespace) */
    const struct feed_item **id_slots;
    size_t id_mask;
    /* the optional kinds (kinds.h); each has its own id namespace */
    struct feed_grant *grants;
    struct feed_desk *desks;
    struct feed_room *rooms;
    struct feed_group *groups;
    size_t n_extra[FEED_EXTRA_COUNT];
};

/* One record a reader (import.h) dropped before validation, kept for the feed's list. */
struct feed_predrop {
    char *kind;
    char *id;
    char *reason;
};

/* Validates a feed v1 tree (from json_strict or a reader) as feed_parse does with bytes and
 * consumes it (cJSON_Delete, also on failure). `pre` are the reader's drops, listed first.
 * strings_clean: the tree is known to hold only well-formed UTF-8 without NUL. */
struct feed *feed_from_tree(struct cJSON *root, bool strings_clean, const struct feed_limits *lim,
                            const struct feed_predrop *pre, size_t n_pre, char *err, size_t errlen);

/* Appends a drop to f's list (arena copies of id and reason; logs it). -1 on allocation
 * failure. */
int feed_add_drop(struct feed *f, const char *kind, const char *id, const char *reason);

/* The id to name a dropped entry by: its own when usable, else "?". */
const char *feed_drop_id(const struct cJSON *obj);

/* Frees an array element once it is turned into model data and returns the next: the
 * tree shrinks while the arena grows, so a large feed does not cost both at once. */
struct cJSON *feed_json_consume(struct cJSON *arr, struct cJSON *el);

/* A set of ids in an arena, to catch a duplicate while an array is parsed. */
struct feed_idset {
    const char **slots;
    size_t mask;
};
/* Room for n ids; false on allocation failure. */
bool feed_idset_init(struct arena *a, struct feed_idset *s, size_t n);
/* Adds id (not copied); false when it was there already. */
bool feed_idset_add(struct feed_idset *s, const char *id);

/* Parses the optional arrays of kinds.h from a feed document into f (kinds.c). Returns 0;
 * -1 when a member is there but not an array (err filled: the document is rejected); -2
 * on allocation failure. */
int kinds_parse(struct feed *f, struct cJSON *root, const struct fv_ctx *fv,
                const struct feed_limits *lim, bool strings_clean, char *err, size_t errlen);

/* The optional "hours" member of obj: weekly rules as a desk's (docs/feed.md). *out NULL
 * and *n_out 0 when absent. 0, -1 (why filled) or -2 (out of memory). */
int kinds_parse_hours(const struct cJSON *obj, const struct fv_ctx *fv,
                      const struct feed_hours **out, size_t *n_out, char *why, size_t whylen);

/* Bytes a parsed feed holds in its arena (for the benchmark). */
size_t feed_arena_bytes(const struct feed *f);

void *arena_alloc(struct arena *a, size_t n, size_t align);
void arena_release(struct arena *a);

/* Where validated strings and arrays go. */
struct fv_ctx {
    /* `align` is 1 for strings, _Alignof the element for arrays (an arena packs strings
     * byte by byte, and a pointer array there must still be aligned). */
    void *(*alloc)(void *actx, size_t n, size_t align);
    void (*release)(void *actx, void *p); /* NULL for an arena */
    void *actx;
    size_t max_string;
};

/* The first string (value or member name) in `v`'s subtree that is not well-formed UTF-8
 * or holds an escaped NUL: returns false and writes "field 'x': invalid UTF-8" to why,
 * naming the member of `v` it was found under. */
bool fv_strings_ok(const struct cJSON *v, char *why, size_t whylen);

/* A copy of `s` sanitised (see utf8_sanitize) with c's allocator; NULL on allocation
 * failure. */
char *fv_strdup(const struct fv_ctx *c, const char *s, bool keep_newlines);

/* A feed id: 1..128 bytes, no control characters or spaces. */
bool fv_id_printable(const char *s);
/* An admin API id: 1..128 of [A-Za-z0-9._-]. */
bool fv_id_simple(const char *s);

/* A text field: absent or null leaves out->ja NULL (an error when required); anything but
 * an object whose "ja" is a non-empty string is an error naming the field. Returns 0 or -1
 * (why filled), or -2 on allocation failure. */
int fv_text(const struct cJSON *parent, const char *field, bool required, bool keep_newlines,
            const struct fv_ctx *c, struct feed_text *out, char *why, size_t whylen);
/* The same, with the translations of listings and labels: "zh-Hans", "ko" and "ja-easy"
 * beside "en". A translation that is not a string is an error like a bad "en"; a blank one
 * is absent (the kiosk then shows Japanese, marked). */
int fv_text_tr(const struct cJSON *parent, const char *field, bool required, bool keep_newlines,
               const struct fv_ctx *c, struct feed_text *out, char *why, size_t whylen);

/* A date or date-time field (timeutil_parse_iso8601). Absent or null: 0 with *present
 * false (an error when required). A date means midnight in the facility's zone, or with
 * `date_is_end` the end of that day. Returns 0 or -1 (why filled). */
int fv_time(const struct cJSON *parent, const char *field, bool required, bool date_is_end,
            int64_t *out, bool *present, bool *date_only, char *why, size_t whylen);

/* The instant the facility-local day after the one containing t begins. */
int64_t fv_next_day_start(int64_t t);

/* The item's "id": 1..128 printable characters without spaces, copied to *out. 0, -1 (why
 * filled) or -2 (out of memory). */
int fv_id(const struct cJSON *obj, const struct fv_ctx *c, const char **out, char *why,
          size_t whylen);

/* An optional URL member (util/url.h's rules; an empty string is absent): *url and *host
 * copied, or both NULL. 0, -1 (why filled) or -2 (out of memory). */
int fv_url(const struct cJSON *obj, const char *field, bool allow_http, const struct fv_ctx *c,
           const char **url, const char **host, char *why, size_t whylen);

/* An optional whole number 0..max; *out untouched when absent. 0 or -1 (why filled). */
int fv_whole(const struct cJSON *obj, const char *field, int max, int *out, char *why,
             size_t whylen);

/* An optional true/false; *out untouched when absent. 0 or -1 (why filled). */
int fv_bool(const struct cJSON *obj, const char *field, bool *out, char *why, size_t whylen);

/* An item's list of category or audience ids: unknown ids are ignored (the city may add a
 * category before the kiosk's feed lists it); a wrong type fails. The ids point into
 * `labels`. 0, -1 (why filled) or -2 (out of memory). */
int fv_refs(const struct cJSON *obj, const char *field, const struct feed_label *labels,
            size_t n_labels, const struct fv_ctx *c, const char *const **out, size_t *n_out,
            char *why, size_t whylen);

/* FV_ANN_STORED is FV_ANN_API for an entry the kiosk wrote itself earlier: it keeps what an
 * older version accepted (until_cleared with an ends_at) rather than lose an emergency. */
enum fv_ann_mode { FV_ANN_FEED, FV_ANN_API, FV_ANN_STORED };

/* One announcement object by the rules of a feed document or of the admin API (stricter
 * ids; starts_at optional, defaulting to `now`; source DIRECT). Returns 0, -1 with a reason
 * naming the field, or -2 on allocation failure. `out` is zeroed first; on failure what
 * was allocated stays in it (ann_clear frees it for the malloc allocator). */
int fv_announcement(const struct cJSON *obj, enum fv_ann_mode mode, int64_t now,
                    const struct fv_ctx *c, struct feed_announcement *out, char *why,
                    size_t whylen);

#endif
