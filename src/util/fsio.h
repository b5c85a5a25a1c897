/* fsio: whole-file reads and crash-safe writes.
 *
 * A power cut may strike between any two syscalls. fsio_write_atomic writes a temp file in
 * the same directory, fsyncs it, optionally keeps the current file as `path.prev`, renames
 * the temp over `path`, and fsyncs the directory: a reader after a crash sees either the
 * old content or the new, whole. Returns 0 or a negative errno value; never exits. */
#ifndef KIOSK_UTIL_FSIO_H
#define KIOSK_UTIL_FSIO_H

#include <stdbool.h>
#include <stddef.h>

/* Reads all of `path` into a NUL-terminated heap buffer the caller frees. Fails with
 * -EFBIG beyond `max_bytes`. */
int fsio_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len);

/* Atomically replaces `path` with `data`. With keep_previous the old content survives as
 * "<path>.prev" (hard link, so it is never half-written). */
int fsio_write_atomic(const char *path, const void *data, size_t len, bool keep_previous);

/* Removes the "<path>.tmp-XXXXXX" files that writes killed before their rename (a power cut,
 * SIGKILL) left beside `path`, so they cannot pile up over months. Call it only before any
 * writer of `path` starts (at load). Returns how many it removed, or a negative errno value
 * (-ENOENT: no such directory, nothing to do). */
int fsio_remove_stale_temps(const char *path);

/* mkdir -p with mode 0700 for missing components. */
int fsio_mkdirs(const char *path);

/* Bytes available to an unprivileged writer at `path`, or -1. */
long long fsio_free_bytes(const char *path);

#endif
