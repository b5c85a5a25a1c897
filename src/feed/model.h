/* model: everything the screen shows, in one place the UI reads.
 *
 * The main thread owns a struct model. Snapshots arrive from the sync worker and the admin
 * API (through app/), and model_tick() re-derives what is visible at the injected clock's
 * time. The UI only reads it (through const pointers) and never changes it. Plain C. */
#ifndef KIOSK_FEED_MODEL_H
#define KIOSK_FEED_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "feed/announce.h"
#include "feed/feed.h"

enum model_sync_state {
    MODEL_SYNC_NEVER,  /* no attempt has finished yet */
    MODEL_SYNC_OK,     /* the last attempt succeeded (200 or 304) */
    MODEL_SYNC_FAILED, /* the last attempt failed; the content is the last good one */
};

#define MODEL_MAX_SOURCES 16

/* One configured source (feed_url, source.N): its last good feed and how its fetches go. */
struct model_source {
    bool used;             /* configured (model_set_source_name) */
    char name[64];         /* "feed", the label, the host */
    struct feed *feed;     /* its last good feed, or NULL; the model owns it */
    int64_t fetched_at;    /* when that content was last confirmed, 0 = unknown */
    int64_t last_ok_at;    /* the last attempt that succeeded (200, 304, file), 0 = never */
    int64_t last_error_at; /* the last attempt that failed, 0 = never */
    char last_error[160];  /* its message */
    char fail_class[16];   /* its class (net/sync.h sync_fail_name); "" = unknown */
    char format[8];        /* "json", "csv", "ical" of the feed held */
};

struct model {
    struct feed *feed; /* the current listings, or NULL (first boot, no cache): the
                        * one source's feed, or a merge of several (feed_merge) */
    bool feed_merged;  /* feed is a merge the model owns apart from the sources */
    struct model_source sources[MODEL_MAX_SOURCES];
    struct feed *ann_doc;       /* the announcements document, or NULL */
    struct feed *safety_doc;    /* the automatic safety announcements (safety_hold.h), or NULL */
    struct ann_list *direct;    /* announcements pushed through the admin API; never NULL */
    struct ann_list *active;    /* merged and filtered at `now`; never NULL */
    const char *target;         /* the kiosk's target (config), not owned */
    int64_t now;                /* the clock at the last tick */
    bool clock_synced;          /* the clock is plausible (feed_clock_plausible) */
    int64_t content_fetched_at; /* when the shown feed was last confirmed by the server (200
                                 * or 304), 0 when unknown; the UI's 最終更新 and stale notice */
    enum model_sync_state sync_state;
    int64_t last_sync_at;    /* when the last attempt finished, 0 if never */
    char last_sync_msg[160]; /* e.g. "200 events=42 …" or "failed (timeout after 30 s)" */
    uint64_t generation;     /* bumps on every change the screen must show */
};

/* A model with an empty direct list and no feed. NULL on allocation failure. */
struct model *model_create(const char *target);
void model_free(struct model *m);

/* Replaces the feed of source 0 (the model takes ownership; NULL keeps the old one). */
void model_set_feed(struct model *m, struct feed *f, int64_t fetched_at);
/* Names a configured source (slot < MODEL_MAX_SOURCES), so the status lists it. */
void model_set_source_name(struct model *m, size_t slot, const char *name);
/* Replaces one source's feed (the model takes ownership; NULL keeps the old one) and shows
 * the merge of every source's last good feed; `format` may be NULL. */
void model_set_source_feed(struct model *m, size_t slot, struct feed *f, int64_t fetched_at,
                           const char *format);
/* Records the outcome of one source's sync attempt; the model's own sync state is FAILED
 * while every source's last attempt failed (each source's own state is in `sources`). */
void model_set_source_sync(struct model *m, size_t slot, bool ok, int64_t at, const char *msg);
/* The class of that source's last failure, for the fleet's metrics. */
void model_set_source_fail_class(struct model *m, size_t slot, const char *cls);
void model_set_ann_doc(struct model *m, struct feed *doc);
/* Replaces the automatic safety announcements (JMA, CAP): an announcements document made by
 * safety_hold_to_json and parsed with feed_parse_announcements. The model takes ownership;
 * NULL keeps the old one. */
void model_set_safety_doc(struct model *m, struct feed *doc);
/* Replaces the directly pushed announcements (the model takes ownership; NULL keeps the
 * old list). */
void model_set_direct(struct model *m, struct ann_list *direct);
/* Records the outcome of a sync attempt. */
void model_set_sync(struct model *m, bool ok, int64_t at, const char *msg);

/* Every announcement of the feed and the announcements document (ann_collect): what a
 * direct announcement may hide. The caller frees it; NULL when memory runs out. */
struct ann_list *model_feed_announcements(const struct model *m);

/* Re-derives `active` and `clock_synced` at `now`; bumps generation when what is shown changes
 * (an announcement starts or ends, the minute changes). Returns true when it changed. */
bool model_tick(struct model *m, int64_t now);

#endif
