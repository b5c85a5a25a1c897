/* fsio: see fsio.h.
 *
 * The order of operations is the whole point: the temp file is fully written and fsynced
 * before it is renamed, the previous copy is a hard link made before the rename (so it is a
 * complete old file, never a half-written one), and the directory is fsynced after the
 * rename so the new name survives a power cut. */
#include "util/fsio.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "util/buf.h"

int fsio_open_regular(const char *path)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return -errno;
    }
    if (fstat(fd, &st) < 0) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    return fd;
}

const char *fsio_strerror(int rc)
{
    if (rc == -EINVAL) {
        return "not a regular file (a FIFO, device or directory?)";
    }
    if (rc == -EFBIG) {
        return "file too large";
    }
    return strerror(rc < 0 ? -rc : rc);
}

int fsio_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len)
{
    int rc = 0;
    struct buf b;
    int fd = fsio_open_regular(path);
    *out = NULL;
    if (out_len) {
        *out_len = 0;
    }
    if (fd < 0) {
        return fd;
    }
    /* One byte past the limit is room enough to learn the file is too large. */
    buf_init(&b, max_bytes < SIZE_MAX - 1 ? max_bytes + 1 : SIZE_MAX - 1);
    for (;;) {
        size_t room = b.cap > b.len + 1 ? b.cap - b.len - 1 : 0;
        if (room < 65536) {
            room = 65536;
        }
        if (room > b.max - b.len) {
            room = b.max - b.len;
        }
        rc = buf_reserve(&b, room);
        if (rc < 0) {
            goto out;
        }
        ssize_t n = read(fd, b.data + b.len, room);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = -errno;
            goto out;
        }
        if (n == 0) {
            break;
        }
        buf_commit(&b, (size_t)n);
        if (b.len > max_bytes) {
            rc = -EFBIG;
            goto out;
        }
    }
    *out = buf_take(&b, out_len);
out:
    buf_free(&b);
    close(fd);
    return rc;
}

static int fsio_dir_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    int n;
    if (!slash) {
        n = snprintf(dir, len, ".");
    } else if (slash == path) {
        n = snprintf(dir, len, "/");
    } else {
        n = snprintf(dir, len, "%.*s", (int)(slash - path), path);
    }
    return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

static int fsio_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    int rc = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    /* Some filesystems refuse fsync on directories; the rename is still atomic there. */
    if (rc == -EINVAL) {
        rc = 0;
    }
    return rc;
}

int fsio_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int fsio_write_atomic(const char *path, const void *data, size_t len, bool keep_previous)
{
    return fsio_write_atomic_mode(path, data, len, keep_previous, 0600);
}

int fsio_write_atomic_mode(const char *path, const void *data, size_t len, bool keep_previous,
                           mode_t mode)
{
    char tmp[PATH_MAX], prev[PATH_MAX], dir[PATH_MAX];
    int rc, fd = -1;
    bool tmp_made = false;

    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp ||
        snprintf(prev, sizeof prev, "%s.prev", path) >= (int)sizeof prev) {
        return -ENAMETOOLONG;
    }
    rc = fsio_dir_of(path, dir, sizeof dir);
    if (rc < 0) {
        return rc;
    }

    fd = mkstemp(tmp);
    if (fd < 0) {
        return -errno;
    }
    tmp_made = true;
    if (fchmod(fd, mode) < 0) {
        rc = -errno;
        goto out;
    }
    rc = fsio_write_all(fd, data, len);
    if (rc < 0) {
        goto out;
    }
    if (fsync(fd) < 0) {
        rc = -errno;
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        rc = -errno;
        goto out;
    }
    fd = -1;

    if (keep_previous) {
        /* The old file becomes .prev by a new link, so a crash here leaves both intact. */
        if (unlink(prev) < 0 && errno != ENOENT) {
            rc = -errno;
            goto out;
        }
        if (link(path, prev) < 0 && errno != ENOENT) {
            rc = -errno;
            goto out;
        }
    }
    if (rename(tmp, path) < 0) {
        rc = -errno;
        goto out;
    }
    tmp_made = false;
    rc = fsio_fsync_dir(dir);
out:
    if (fd >= 0) {
        close(fd);
    }
    if (tmp_made) {
        unlink(tmp);
    }
    return rc;
}

int fsio_remove_stale_temps(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    int rc = fsio_dir_of(path, dir, sizeof dir), removed = 0;
    DIR *d;
    struct dirent *e;

    if (rc < 0) {
        return rc;
    }
    d = opendir(dir);
    if (!d) {
        return -errno;
    }
    while ((e = readdir(d))) {
        /* Exactly what mkstemp made from "<base>.tmp-XXXXXX": nothing else is touched. */
        if (strncmp(e->d_name, base, blen) != 0 || strncmp(e->d_name + blen, ".tmp-", 5) != 0 ||
            strlen(e->d_name + blen + 5) != 6) {
            continue;
        }
        if (unlinkat(dirfd(d), e->d_name, 0) == 0) {
            removed++;
        } else if (errno != ENOENT && rc == 0) {
            rc = -errno;
        }
    }
    closedir(d);
    return rc < 0 ? rc : removed;
}

int fsio_mkdirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        return -ENAMETOOLONG;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') {
            continue;
        }
        *p = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
            return -errno;
        }
        *p = '/';
    }
    if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
        return -errno;
    }
    return 0;
}

/* Folds "//", "." and ".." of the absolute path in buf, in place. */
static void fsio_fold(char *buf)
{
    char *out = buf, *p = buf;

    while (*p) {
        while (*p == '/') {
            p++;
        }
        char *end = strchr(p, '/');
        if (!end) {
            end = p + strlen(p);
        }
        size_t n = (size_t)(end - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (out > buf && *--out != '/') {
                ;
            }
        } else {
            *out++ = '/';
            memmove(out, p, n);
            out += n;
        }
        p = end;
    }
    if (out == buf) {
        *out++ = '/';
    }
    *out = '\0';
}

int fsio_resolve(const char *path, char *out, size_t outlen)
{
    char abs[PATH_MAX], head[PATH_MAX], real[PATH_MAX];
    size_t cut;
    int n;

    if (path[0] == '/') {
        n = snprintf(abs, sizeof abs, "%s", path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) {
            return -errno;
        }
        n = snprintf(abs, sizeof abs, "%s/%s", cwd, path);
    }
    if (n < 0 || (size_t)n >= sizeof abs) {
        return -ENAMETOOLONG;
    }
    /* ".." after a symlink is the parent of the link's target, so only the part that does
     * not exist yet (and will be made of plain directories) may be folded lexically. */
    memcpy(head, abs, (size_t)n + 1);
    cut = (size_t)n;
    while (!realpath(head, real)) {
        if (errno != ENOENT) {
            return -errno;
        }
        char *slash = strrchr(head, '/');
        if (!slash || slash == head) {
            snprintf(real, sizeof real, "/");
            cut = 0;
            break;
        }
        *slash = '\0';
        cut = (size_t)(slash - head);
    }
    n = snprintf(out, outlen, "%s/%s", real, abs + cut);
    if (n < 0 || (size_t)n >= outlen) {
        return -ENAMETOOLONG;
    }
    fsio_fold(out);
    return 0;
}

bool fsio_is_system_dir(const char *dir)
{
    /* The directories themselves, not what is below them: systemd's StateDirectory= gives
     * /var/lib/kiosk, RuntimeDirectory= /run/kiosk, and tests use /tmp/tmp.XXXX. */
    static const char *const system_dirs[] = {
        "/",          "/bin",           "/boot",          "/boot/firmware", "/dev",
        "/dev/shm",   "/etc",           "/home",          "/lib",           "/lib32",
        "/lib64",     "/libx32",        "/proc",          "/root",          "/run",
        "/run/user",  "/sbin",          "/sys",           "/tmp",           "/usr",
        "/usr/bin",   "/usr/include",   "/usr/lib",       "/usr/lib64",     "/usr/libexec",
        "/usr/local", "/usr/local/bin", "/usr/local/lib", "/usr/sbin",      "/usr/share",
        "/var",       "/var/backups",   "/var/cache",     "/var/lib",       "/var/local",
        "/var/lock",  "/var/log",       "/var/mail",      "/var/opt",       "/var/run",
        "/var/spool", "/var/tmp",
    };

    for (size_t i = 0; i < sizeof system_dirs / sizeof system_dirs[0]; i++) {
        if (strcmp(dir, system_dirs[i]) == 0) {
            return true;
        }
    }
    return false;
}

long long fsio_free_bytes(const char *path)
{
    struct statvfs sv;
    if (statvfs(path, &sv) < 0) {
        return -1;
    }
    return (long long)sv.f_bavail * (long long)sv.f_frsize;
}
