/* slowopen: an LD_PRELOAD shim that makes one file slow to open, for end-to-end tests.
 *
 * A config on a network mount or a FUSE file system can take seconds to open; a test cannot
 * mount one. With KIOSK_TEST_SLOW_PATH set, open() of exactly that path sleeps
 * KIOSK_TEST_SLOW_S seconds first, but only while the file KIOSK_TEST_SLOW_MARK exists, so
 * the kiosk starts at full speed and the test chooses when the file turns slow. Never
 * linked into the kiosk. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static void slowopen_maybe_sleep(const char *path)
{
    const char *slow = getenv("KIOSK_TEST_SLOW_PATH");
    const char *mark = getenv("KIOSK_TEST_SLOW_MARK");
    const char *secs = getenv("KIOSK_TEST_SLOW_S");

    if (slow && mark && path && strcmp(path, slow) == 0 && access(mark, F_OK) == 0) {
        sleep(secs ? (unsigned)atoi(secs) : 5);
    }
}

int open(const char *path, int flags, ...)
{
    static int (*real_open)(const char *, int, ...);
    mode_t mode = 0;

    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (!real_open) {
        *(void **)&real_open = dlsym(RTLD_NEXT, "open");
    }
    slowopen_maybe_sleep(path);
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    static int (*real_open64)(const char *, int, ...);
    mode_t mode = 0;

    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (!real_open64) {
        *(void **)&real_open64 = dlsym(RTLD_NEXT, "open64");
    }
    slowopen_maybe_sleep(path);
    return real_open64(path, flags, mode);
}
