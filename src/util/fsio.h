/* fsio: whole-file reads and crash-safe writes.
 *
 * A power cut may strike between any two syscalls. fsio_write_atomic writes a temp file in
 * the same directory, fsyncs it, optionally keeps the current file as `path.prev`, renames
 * the temp over `path`, and fsyncs the directory: a reader after a crash sees either the
 * old content or the new, whole. Returns 0 or a negative errno value; never exits.
 *
 * Every file the kiosk reads that a person or a feed could replace (the config, the admin
 * token, the TLS certificate and key, the cache, the announcement store) is opened through
 * fsio_open_regular: a FIFO put in a config's place would otherwise block open() and read()
 * for ever, and a device such as /dev/zero would never end. */
#ifndef KIOSK_UTIL_FSIO_H
#define KIOSK_UTIL_FSIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Opens `path` for reading without ever blocking on it: O_NONBLOCK (a FIFO without a writer
 * does not hold open()), O_CLOEXEC, O_NOCTTY, then fstat. Returns the descriptor, which the
 * caller closes, or -EINVAL when `path` is not a regular file (a FIFO, socket, device or
 * directory), or another negative errno value. Reads of a regular file ignore O_NONBLOCK. */
int fsio_open_regular(const char *path);

/* A message for an fsio error: -EINVAL is "not a regular file (a FIFO, device or
 * directory?)", -EFBIG "file too large", others strerror. Any thread. */
const char *fsio_strerror(int rc);

/* Reads all of regular file `path` (fsio_open_regular) into a NUL-terminated heap buffer the
 * caller frees. Fails with -EFBIG beyond `max_bytes`, -EINVAL when it is not a regular
 * file. */
int fsio_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len);

/* Writes all `len` bytes to `fd`, retrying short writes and EINTR. 0 or a negative errno. */
int fsio_write_all(int fd, const void *data, size_t len);

/* Atomically replaces `path` with `data`. With keep_previous the old content survives as
 * "<path>.prev" (hard link, so it is never half-written). */
int fsio_write_atomic(const char *path, const void *data, size_t len, bool keep_previous);

/* fsio_write_atomic with the new file's mode given: 0600 above, for data only the kiosk reads;
 * a file other users read (kiosk-feedshift's 0644 output) says so here. */
int fsio_write_atomic_mode(const char *path, const void *data, size_t len, bool keep_previous,
                           mode_t mode);

/* Removes the "<path>.tmp-XXXXXX" files that writes killed before their rename (a power cut,
 * SIGKILL) left beside `path`, so they cannot pile up over months. Call it only before any
 * writer of `path` starts (at load). Returns how many it removed, or a negative errno value
 * (-ENOENT: no such directory, nothing to do). */
int fsio_remove_stale_temps(const char *path);

/* mkdir -p with mode 0700 for missing components. */
int fsio_mkdirs(const char *path);

/* Resolves `path` as the kernel will see it once its missing directories are made: the
 * longest existing prefix through realpath (symlinks followed), the rest, relative to it,
 * lexically ("." and ".." folded). A relative path is taken from the working directory.
 * Writes an absolute path without a trailing slash to out. 0 or a negative errno value. */
int fsio_resolve(const char *path, char *out, size_t outlen);

/* True when the absolute, resolved `dir` is "/" or a directory of the system (e.g. /etc,
 * /usr, /var, /var/lib, /run, /tmp): a place the kiosk must not take as its state
 * directory. Their subdirectories (/var/lib/kiosk, /run/kiosk, /tmp/x) are fine. Pure. */
bool fsio_is_system_dir(const char *dir);

/* Bytes available to an unprivileged writer at `path`, or -1. */
long long fsio_free_bytes(const char *path);

#endif
