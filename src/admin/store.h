/* admin_store: the durable list of announcements pushed directly through the admin API.
 *
 * Staff push an announcement ("closing at 17:30 today") and expect it to survive a reboot
 * or a power cut. The store keeps one file, <state_dir>/direct-announcements.json
 * ({"version": 1, "announcements": [...]}) and rewrites it whole with fsio_write_atomic
 * (the old copy kept as .prev) before a change is accepted: when writing fails, the change
 * is refused and memory stays as it was, so what the API confirmed is what is on disk.
 * Loading falls back to .prev when the file is corrupt and drops announcements that have
 * ended (by the injected clock), so an ended one never comes back after a restart.
 *
 * Threads: one writer (the admin API thread) calls put/remove/list; any thread may call
 * admin_store_copy, which takes the store's own lock only for the pointer swap and copy,
 * never across disk I/O. The store knows nothing of HTTP. */
#ifndef KIOSK_ADMIN_STORE_H
#define KIOSK_ADMIN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/announce.h"

#define ADMIN_STORE_FILE "direct-announcements.json"
#define ADMIN_STORE_MAX 256 /* announcements; more is a mistake, not a use */
#define ADMIN_STORE_MAX_BYTES (4u * 1024u * 1024u)

struct admin_store;

/* Opens the store in `state_dir` (created with mode 0700 when missing) and loads it at
 * `now`: a corrupt file falls back to its .prev copy, a bad entry is dropped, an ended
 * announcement is pruned, each with a log line. An ended entry whose id names one of the
 * `feed`'s announcements (copied; may be NULL) that has not ended is kept: it still hides
 * the feed's copy (see admin_store_set_feed). A missing file is an empty store. Returns
 * NULL with a message in err only when the directory cannot be made or memory runs out.
 * The caller frees with admin_store_free. */
struct admin_store *admin_store_open(const char *state_dir, int64_t now,
                                     const struct ann_list *feed, char *err, size_t errlen);
void admin_store_free(struct admin_store *s);

/* Replaces the feed's announcements (copied) that pruning consults: an ended direct entry
 * stays, unshown, while it hides a feed announcement of the same id that has not ended, so
 * a notice staff ended early does not come back at the next unrelated write. 0 or -ENOMEM
 * (the old copy kept). Any thread. */
int admin_store_set_feed(struct admin_store *s, const struct ann_list *feed);

/* What admin_store_put made of a request: each its own value, so a full store (staff delete
 * some, HTTP 409) can never be confused with a full disk (a failed write, HTTP 500). */
enum admin_store_result {
    ADMIN_STORE_OK = 0,
    ADMIN_STORE_FULL,         /* already holds ADMIN_STORE_MAX others */
    ADMIN_STORE_INVALID,      /* the id is not valid */
    ADMIN_STORE_NOMEM,        /* memory ran out */
    ADMIN_STORE_WRITE_FAILED, /* the file could not be written (a full disk among others) */
};

/* Adds `a` (copied; its source becomes ANN_SOURCE_DIRECT) or replaces the entry with the same
 * id, prunes ended ones at `now`, and persists. Sets *replaced when an entry was replaced.
 * On any result but ADMIN_STORE_OK and ADMIN_STORE_FULL, sets *sys_err (may be NULL) to the
 * positive errno behind it (EINVAL, ENOMEM, or that of the failed write, ENOSPC for a full
 * disk). On error nothing changed. */
enum admin_store_result admin_store_put(struct admin_store *s, const struct feed_announcement *a,
                                        int64_t now, bool *replaced, int *sys_err);

/* Removes `id`, prunes ended ones at `now`, and persists. 0, -ENOENT when absent, or a
 * negative errno of the failed write (then nothing changed). */
int admin_store_remove(struct admin_store *s, const char *id, int64_t now);

/* Takes down an announcement of the feed documents (the feed, the announcements document, the
 * automatic safety list) that has not ended: stores an ended direct entry of its id, which
 * hides it while it lasts. 0, -ENOENT when no live one has that id, -ENOMEM or -EIO. */
int admin_store_hide(struct admin_store *s, const char *id, int64_t now);

/* The current list, owned by the store, valid until the next put/remove. Writer thread
 * only. */
const struct ann_list *admin_store_list(const struct admin_store *s);

/* An owned copy of the current list (the caller frees with ann_list_free), or NULL when
 * memory runs out. Any thread. */
struct ann_list *admin_store_copy(struct admin_store *s);

/* The path of the store's file, owned by the store. */
const char *admin_store_path(const struct admin_store *s);

#endif
