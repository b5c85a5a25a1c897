/* admin: the staff HTTP API (libmicrohttpd) for announcements and status.
 *
 * Routes (every request needs "Authorization: Bearer <token>"; the staff page at / does not):
 *   POST   /api/v1/announcements        create (201) or replace (200) one by id
 *   GET    /api/v1/announcements        {"announcements": [direct...], "active": [merged...]}
 *   GET    /api/v1/announcements/{id}   one direct announcement (200 or 404)
 *   DELETE /api/v1/announcements/{id}   204, or 404 when absent
 *   GET    /api/v1/status               what the app last reported with admin_set_status
 *   GET    /api/v1/screenshot           image/png, when the app gave a screenshot hook
 *   GET    /api/v1/stats?from=&to=&format=  usage counts (sys/usage.h), JSON or CSV for Excel
 *   GET    /metrics                     Prometheus text format; no token when metrics_public
 *   OPTIONS  any path                    204 with Allow (never any Access-Control-Allow-*)
 * Errors are {"error": "..."} with 400 (naming the field), 401, 403 (a page of another
 * site), 404, 405 (with Allow), 409 (store full), 413, 421 (Host is not this kiosk), 429
 * (with Retry-After) or 500.
 *
 * Security: it listens on loopback by default; beyond loopback it demands TLS (or an
 * explicit admin_allow_plain_remote). The token file must not be readable by group or
 * others; tokens are compared in constant time; bodies are capped; connections are limited
 * per address and in total and time out; ten wrong tokens within a minute from one address
 * make its wrong tokens get 429 for a minute (requests without a token never count, and the
 * right token always gets in). A Host header must name the kiosk (loopback, the listen
 * address, the address the request came in on, or admin_hosts), which stops DNS rebinding;
 * a browser request from another site's page (Origin or Sec-Fetch-Site) is refused.
 *
 * Threads: libmicrohttpd runs one internal thread that owns the direct-announcement store
 * (admin/store.h). A change is on disk before the API answers 2xx; then the API thread
 * calls `on_change`. The app pushes an SDL event from there and, on the main thread, takes
 * admin_snapshot_direct() for the model. The app reports status with admin_set_status() from
 * any thread; the API copies it under a lock. The screenshot hooks run on two threads of
 * the admin's (one for the PNG, one for the text), one capture of each kind at a time (a
 * second request meanwhile gets 429 with Retry-After), while the connection waits
 * suspended, so the API thread keeps answering.
 * The module never touches SDL or the model. */
#ifndef KIOSK_ADMIN_ADMIN_H
#define KIOSK_ADMIN_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/announce.h"
#include "feed/kinds.h"
#include "util/clock.h"

struct config;
struct admin;
struct usage;

/* Called on the API thread after the direct announcements changed and were persisted. Must
 * not block and must not call back into the admin (push an event and return). */
typedef void (*admin_changed_fn)(void *ctx);

/* Called on an admin screenshot thread (never two at once) for GET /api/v1/screenshot.
 * Returns 0 and sets *png to a malloc'd PNG the admin frees, or a negative errno (the API
 * answers 503). May block for a bounded time while the main thread renders and the PNG is
 * encoded; admin_free waits for it. */
typedef int (*admin_screenshot_fn)(void *ctx, unsigned char **png, size_t *len);

struct admin_options {
    const char *listen;     /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8443"; port 0 picks a
                             * free port (tests); NULL or "" = no HTTP server, store only */
    const char *token_file; /* required when listening; mode must deny group and others */
    const char *tls_cert;   /* PEM files; both or neither; NULL or "" = plain HTTP */
    const char *tls_key;
    bool allow_plain_remote;          /* plain HTTP beyond loopback (a trusted, isolated LAN) */
    const char *hosts;                /* admin_hosts: more names for the Host header, comma- or
                                       * space-separated, "name" or "name:port"; NULL = none */
    size_t max_body;                  /* request body cap in bytes; 0 = 65536 */
    const char *state_dir;            /* where direct-announcements.json lives; required */
    const char *target;               /* this kiosk's config `target` (NULL = none): the API says
                                       * which announcements its targets keep off this screen */
    const struct ann_list *feed_anns; /* the cached feed's announcements at start (borrowed;
                                       * NULL = none): see admin_store_open */
    struct kclock clock;              /* the injected wall clock (windows, defaults, pruning) */
    admin_changed_fn on_change;
    void *on_change_ctx;
    admin_screenshot_fn screenshot; /* NULL = the route answers 404 */
    void *screenshot_ctx;
    /* GET /api/v1/screen.txt: the text lines drawn on screen now, "x y w h lang<TAB>text" rows
     * (same context as screenshot). Lets staff and tests read the screen without pixels.
     * Called on a thread of its own, so it may run while `screenshot` runs. */
    admin_screenshot_fn screen_text;
    struct usage *usage;       /* the usage counts (borrowed, outlives the admin); NULL =
                                * /api/v1/stats answers 404 and /metrics has no usage */
    bool metrics_public;       /* GET /metrics without the token (config metrics_public) */
    const char *metrics_label; /* the label kiosk="..." on every metric; NULL or "" = target */
};

/* Fills `o` from the config (listen, token file, TLS, plain remote, body cap, hosts,
 * state_dir) and the clock; callbacks are left NULL for the app to set. Strings are borrowed
 * from `cfg`, which must outlive admin_create. */
void admin_options_from_config(struct admin_options *o, const struct config *cfg,
                               struct kclock clock);

/* Loads the direct announcements from state_dir and, unless `listen` is empty, starts the
 * API. Returns NULL with a one-line reason in err (bad address, token file missing, empty,
 * too short or readable by others, remote without TLS, TLS files unreadable, port busy).
 * The caller frees with admin_free. Main thread, at start-up. */
struct admin *admin_create(const struct admin_options *o, char *err, size_t errlen);

/* Stops the API (waiting for its thread) and frees everything. Accepts NULL. Main thread;
 * on_change is not called after it returns. */
void admin_free(struct admin *a);

/* The TCP port the API listens on (the chosen one when asked for port 0), or 0 when not
 * listening. Any thread. */
int admin_port(const struct admin *a);

/* True when the API is served over TLS. Any thread. */
bool admin_uses_tls(const struct admin *a);

/* An owned copy of the direct announcements (including ones not started yet or just ended;
 * ann_merge filters by window). The caller frees with ann_list_free. NULL when memory runs
 * out. Any thread; it never waits for disk I/O. */
struct ann_list *admin_snapshot_direct(struct admin *a);

/* What GET /api/v1/status reports, as the app last set it. Version, uptime (monotonic, since
 * admin_create), memory in use (RSS), free space in state_dir and the number of direct
 * announcements are filled in by the admin itself. */
#define ADMIN_MAX_SOURCES 16

/* One source of the listings as the status lists it. */
struct admin_source_status {
    char name[64];
    char format[8];        /* of the content held: "json", "csv", "ical"; "" = none yet */
    bool has_content;      /* a last good copy is held (shown) */
    int64_t last_ok_at;    /* last success; 0 = never */
    int64_t last_error_at; /* last failure; 0 = never */
    char last_error[160];
    char fail_class[16]; /* of the last failure (net/sync.h sync_fail_name); "" = unknown */
    size_t n_events, n_volunteers, n_dropped; /* of its last good copy */
    size_t n_extra[FEED_EXTRA_COUNT];         /* grants, desks, rooms, groups (kinds.h) */
};

struct admin_status {
    struct admin_source_status sources[ADMIN_MAX_SOURCES];
    size_t n_sources;
    int64_t last_sync_at; /* when the last sync attempt finished; 0 = never */
    bool last_sync_ok;
    char last_sync_message[160];
    int64_t content_fetched_at; /* when the shown feed was last confirmed; 0 = unknown */
    int64_t feed_generated_at;  /* the shown feed's generated_at; 0 = no feed */
    size_t n_events;            /* in the shown feed */
    size_t n_volunteers;
    size_t n_extra[FEED_EXTRA_COUNT]; /* grants, desks, rooms, groups (kinds.h) */
    size_t n_announcements;           /* active (merged) right now */
    bool clock_synced;
    uint64_t frames_drawn;
    int64_t last_frame_at;            /* wall clock of the last drawn frame; 0 = none yet */
    int last_frame_ms;                /* how long that frame took to draw */
    const struct ann_list *active;    /* the merged active list (copied); NULL = not given */
    const struct ann_list *feed_anns; /* every announcement of the feed documents (copied;
                                       * NULL = not given): see admin_store_set_feed */
    /* the display panel's power as the kiosk last commanded it */
    char panel_state[8];         /* "on", "off"; "" = not decided yet */
    char panel_reason[12];       /* "hours" or "emergency" */
    int64_t panel_since;         /* when state or reason last changed; 0 = unknown */
    bool panel_commands;         /* panel_on_cmd and panel_off_cmd are configured */
    char panel_last_command[8];  /* "on", "off" of the last finished command; "" = none */
    char panel_last_outcome[16]; /* sys_panel_outcome_name: "exited", "timed_out"... */
    int panel_last_status;       /* exit code when exited, else the signal or errno */
    int64_t panel_last_at;       /* when it was seen to finish */
    int64_t panel_last_ms;       /* how long it ran */
    int64_t started_at;          /* wall clock when the kiosk started; 0 = unknown */
};

/* Copies `st` (and st->active) for the status and listing routes. Any thread, typically the
 * main thread after each sync and every few seconds. Returns 0 or -ENOMEM (old kept). */
int admin_set_status(struct admin *a, const struct admin_status *st);

#endif
