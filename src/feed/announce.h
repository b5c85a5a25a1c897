/* announce: one list of announcements from two routes.
 *
 * Announcements arrive with the feed (or a separate announcements document) and directly
 * through the admin API. This module merges them: an id pushed directly wins over the same
 * id from the feed; only those inside their window at `now` and aimed at this kiosk's
 * target are kept; the result is ordered by level (emergency first) then newest first.
 * Plain C, no I/O. Also parses and serialises single announcements as JSON, shared by the
 * admin API, its durable store and kioskctl. */
#ifndef KIOSK_FEED_ANNOUNCE_H
#define KIOSK_FEED_ANNOUNCE_H

#include "feed/feed.h"

struct cJSON;

/* Ids of announcements pushed directly (admin API, kioskctl): 1..ANN_ID_MAX characters of
 * [A-Za-z0-9._-], not made of dots only ("." and ".." can never be ids, so no id can ever
 * name a path). */
#define ANN_ID_MAX 128
bool ann_id_valid(const char *id);

/* The rules a directly pushed announcement must meet when it arrives at `now`, beyond its
 * JSON form (ann_from_json checks that): written once here for the admin API and kioskctl,
 * so a person hears about a mistake before anything is sent. */
enum ann_rule {
    ANN_RULE_OK,
    ANN_RULE_ID,                  /* not ann_id_valid */
    ANN_RULE_TEXT,                /* no visible character in text.ja */
    ANN_RULE_TEXT_EN,             /* text.en given with no visible character */
    ANN_RULE_TEXT_ZH,             /* text.zh_hans ("zh-Hans") likewise */
    ANN_RULE_TEXT_KO,             /* text.ko likewise */
    ANN_RULE_TEXT_EASY,           /* text.ja_easy ("ja-easy") likewise */
    ANN_RULE_UNTIL_CLEARED_LEVEL, /* until_cleared on a level other than emergency */
    ANN_RULE_UNTIL_CLEARED_END,   /* until_cleared together with an end */
    ANN_RULE_NO_END,              /* neither an end nor until_cleared */
    ANN_RULE_ENDED,               /* the end is not after `now` */
    ANN_RULE_END_BEFORE_START,    /* the end is not after starts_at */
};
/* Returns the first rule `a` breaks (has_end: the request gave an end, whatever ends_at
 * holds), with an English message naming the field in why. */
enum ann_rule ann_check_direct(const struct feed_announcement *a, bool has_end, int64_t now,
                               char *why, size_t whylen);

/* An owned, mutable list of announcements (the direct store's content, or a merge). */
struct ann_list;

struct ann_list *ann_list_create(void);
void ann_list_free(struct ann_list *l);
size_t ann_list_count(const struct ann_list *l);
const struct feed_announcement *ann_list_at(const struct ann_list *l, size_t i);
/* Copies `a` in, replacing an entry with the same id. 0 or -ENOMEM. */
int ann_list_put(struct ann_list *l, const struct feed_announcement *a);
/* 0 when removed, -ENOENT when absent. */
int ann_list_remove(struct ann_list *l, const char *id);
const struct feed_announcement *ann_list_find(const struct ann_list *l, const char *id);

/* True when `a` is for the kiosk whose config `target` is given: an announcement without
 * targets is for every kiosk; otherwise one of its targets must be a prefix of `target`
 * (a kiosk without a target, NULL or "", gets only announcements without targets). */
bool ann_targets_match(const struct feed_announcement *a, const char *target);

/* True when `l` (may be NULL) holds an emergency: the screen and the panel's power follow it. */
bool ann_list_has_emergency(const struct ann_list *l);

/* True when a and b say the same in every language (a text absent from one is absent from
 * the other): a change of any translation is a change to show. */
bool ann_text_equal(const struct feed_text *a, const struct feed_text *b);

/* True when `a` has a text with something to see (utf8_has_visible). */
bool ann_has_visible_text(const struct feed_announcement *a);

/* True when `a` is inside its window at `now`. */
bool ann_active(const struct feed_announcement *a, int64_t now);

/* Builds the list to show at `now`: the announcements of `n_feeds` documents (entries may be
 * NULL; a later document wins over an earlier one for the same id) and the direct ones (may
 * be NULL; they win over every document) merged, filtered by window and target, sorted by
 * level (emergency first), the automatic safety announcements (ids jma., cap., and their
 * drills') after the others of their level, then newest starts_at first. The caller frees
 * the result. */
struct ann_list *ann_merge(const struct feed *const *feeds, size_t n_feeds,
                           const struct ann_list *direct, const char *target, int64_t now);

/* Every announcement of `n_feeds` documents (entries may be NULL), whatever its window or
 * targets, a later document winning for the same id. The caller frees it; NULL when memory
 * runs out. */
struct ann_list *ann_collect(const struct feed *const *feeds, size_t n_feeds);

/* Parses one announcement object (admin API body or store entry). `now` fills a missing
 * starts_at. On error returns -EINVAL and writes a message naming the field to err.
 * The caller frees the strings with ann_clear. */
int ann_from_json(const struct cJSON *obj, int64_t now, struct feed_announcement *out, char *err,
                  size_t errlen);
/* ann_from_json for an entry of the kiosk's own store: what an older version accepted and
 * wrote (until_cleared together with ends_at, whose end was never used) still loads. */
int ann_from_stored_json(const struct cJSON *obj, int64_t now, struct feed_announcement *out,
                         char *err, size_t errlen);
void ann_clear(struct feed_announcement *a);
/* A deep copy of src into dst (plain malloc; free it with ann_clear): every string, the
 * texts in all their languages and the targets. 0, or -ENOMEM with dst holding nothing. */
int ann_copy(struct feed_announcement *dst, const struct feed_announcement *src);
/* A new cJSON object the caller deletes, or NULL. */
struct cJSON *ann_to_json(const struct feed_announcement *a);

#endif
