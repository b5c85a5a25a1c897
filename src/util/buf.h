/* buf: a growable byte buffer with a hard cap, like curl's dynbuf.
 *
 * Bodies from the network, files and encoders arrive in pieces of unknown total size, and
 * every one of them must stop at a limit rather than grow until memory runs out. A buf
 * keeps its bytes NUL-terminated (so text can be handed on as a C string), doubles its
 * allocation up to the cap, and refuses the append that would pass the cap, leaving what it
 * holds untouched. It does not own a thread or do I/O. */
#ifndef KIOSK_UTIL_BUF_H
#define KIOSK_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated when not NULL; owned */
    size_t len; /* bytes held, without the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* the hard cap on len */
};

/* An empty buffer that will hold at most `max` bytes. Allocates nothing yet. */
void buf_init(struct buf *b, size_t max);

/* Appends n bytes. 0; -EFBIG when len + n would pass the cap; -ENOMEM. On error the buffer
 * is as it was. */
int buf_append(struct buf *b, const void *data, size_t n);

/* Appends printf-formatted text; 0, -EFBIG, -ENOMEM or -EINVAL (a bad format). */
int buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vappendf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Makes room for at least n more bytes (within the cap) without adding any: for readers
 * that write into data + len directly, then call buf_commit. 0, -EFBIG or -ENOMEM. */
int buf_reserve(struct buf *b, size_t n);

/* Counts n bytes written into data + len after buf_reserve (n <= the room reserved). */
void buf_commit(struct buf *b, size_t n);

/* Hands the bytes to the caller (who frees them; NULL when nothing was ever added) and
 * empties the buffer. */
char *buf_take(struct buf *b, size_t *len);

/* Frees the bytes; the buffer is empty again, with the same cap. Accepts NULL. */
void buf_free(struct buf *b);

#endif
