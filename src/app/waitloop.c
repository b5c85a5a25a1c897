/* waitloop: see waitloop.h.
 *
 * The X and Wayland client libraries are already in the process when SDL uses them (it
 * loads them itself): their descriptor getters are looked up with dlopen(RTLD_NOLOAD), so
 * the kiosk links neither. Evdev descriptors are reopened from scratch on any change under
 * /dev/input: hotplug is rare and a kiosk has a handful of devices. */
#include "app/waitloop.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <SDL_syswm.h>

#include "util/log.h"

#define WAITLOOP_MAX_EVDEV 32
#define WAITLOOP_INPUT_DIR "/dev/input"

struct waitloop {
    int wake_fd;
    int conn_fd;   /* the X or Wayland connection, or -1 */
    int notify_fd; /* inotify on /dev/input (KMS/DRM), or -1 */
    int evdev[WAITLOOP_MAX_EVDEV];
    int n_evdev;
};

static void close_evdev(struct waitloop *w)
{
    for (int i = 0; i < w->n_evdev; i++) {
        close(w->evdev[i]);
    }
    w->n_evdev = 0;
}

static void open_evdev(struct waitloop *w)
{
    DIR *d = opendir(WAITLOOP_INPUT_DIR);
    struct dirent *e;
    close_evdev(w);
    if (!d) {
        return;
    }
    while ((e = readdir(d)) && w->n_evdev < WAITLOOP_MAX_EVDEV) {
        char path[300];
        if (strncmp(e->d_name, "event", 5) != 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", WAITLOOP_INPUT_DIR, e->d_name);
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            w->evdev[w->n_evdev++] = fd;
        }
    }
    closedir(d);
}

/* A function of a client library SDL has loaded, or NULL. */
static void *loaded_symbol(const char *lib, const char *name)
{
    void *h = dlopen(lib, RTLD_LAZY | RTLD_NOLOAD);
    void *sym;
    if (!h) {
        return NULL;
    }
    sym = dlsym(h, name);
    dlclose(h); /* RTLD_NOLOAD took a reference: SDL's keeps the library loaded */
    return sym;
}

static int connection_fd(SDL_Window *win)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!win || !SDL_GetWindowWMInfo(win, &info)) {
        return -1;
    }
#if defined(SDL_VIDEO_DRIVER_X11)
    if (info.subsystem == SDL_SYSWM_X11) {
        int (*conn)(void *) = (int (*)(void *))loaded_symbol("libX11.so.6", "XConnectionNumber");
        return conn ? conn(info.info.x11.display) : -1;
    }
#endif
#if defined(SDL_VIDEO_DRIVER_WAYLAND)
    if (info.subsystem == SDL_SYSWM_WAYLAND) {
        int (*getfd)(void *) =
            (int (*)(void *))loaded_symbol("libwayland-client.so.0", "wl_display_get_fd");
        return getfd ? getfd(info.info.wl.display) : -1;
    }
#endif
    return -1;
}

static void watch_input_dir(struct waitloop *w)
{
    w->notify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->notify_fd < 0) {
        LOG_WARN("app", "inotify: %s: input devices plugged in later are not watched",
                 strerror(errno));
    } else if (inotify_add_watch(w->notify_fd, WAITLOOP_INPUT_DIR,
                                 IN_CREATE | IN_DELETE | IN_ATTRIB) < 0) {
        LOG_WARN("app", "inotify on %s: %s", WAITLOOP_INPUT_DIR, strerror(errno));
        close(w->notify_fd);
        w->notify_fd = -1;
    }
    open_evdev(w);
}

struct waitloop *waitloop_create(SDL_Window *win)
{
    struct waitloop *w = calloc(1, sizeof *w);
    if (!w) {
        return NULL;
    }
    w->conn_fd = -1;
    w->notify_fd = -1;
    w->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w->wake_fd < 0) {
        LOG_ERROR("app", "eventfd: %s", strerror(errno));
        free(w);
        return NULL;
    }
    const char *drv = win ? SDL_GetCurrentVideoDriver() : NULL;
    if (drv && strcmp(drv, "KMSDRM") == 0) {
        watch_input_dir(w);
    } else if (drv) {
        w->conn_fd = connection_fd(win);
    }
    if (drv) {
        LOG_INFO("app", "loop: waits on %d input descriptor(s) (%s)", waitloop_input_count(w), drv);
    }
    return w;
}

void waitloop_free(struct waitloop *w)
{
    if (!w) {
        return;
    }
    close_evdev(w);
    if (w->notify_fd >= 0) {
        close(w->notify_fd);
    }
    close(w->wake_fd); /* the connection is SDL's */
    free(w);
}

int waitloop_input_count(const struct waitloop *w)
{
    return w->n_evdev + (w->conn_fd >= 0 ? 1 : 0) + (w->notify_fd >= 0 ? 1 : 0);
}

void waitloop_wake(struct waitloop *w)
{
    uint64_t one = 1;
    /* EAGAIN only when the counter is full: the waiter wakes anyway */
    ssize_t n = write(w->wake_fd, &one, sizeof one);
    (void)n;
}

/* Our evdev descriptors only say "input came": what SDL reads on its own is what counts. */
static bool drain(int fd)
{
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
    }
    return !(n < 0 && errno == ENODEV);
}

int waitloop_wait(struct waitloop *w, int64_t timeout_ms)
{
    struct pollfd p[WAITLOOP_MAX_EVDEV + 3];
    int n = 0, first_evdev, rc = WAITLOOP_TIMEOUT;
    int timeout = timeout_ms < 0 ? -1 : (timeout_ms > INT32_MAX ? INT32_MAX : (int)timeout_ms);
    p[n++] = (struct pollfd){.fd = w->wake_fd, .events = POLLIN};
    if (w->conn_fd >= 0) {
        p[n++] = (struct pollfd){.fd = w->conn_fd, .events = POLLIN};
    }
    if (w->notify_fd >= 0) {
        p[n++] = (struct pollfd){.fd = w->notify_fd, .events = POLLIN};
    }
    first_evdev = n;
    for (int i = 0; i < w->n_evdev; i++) {
        p[n++] = (struct pollfd){.fd = w->evdev[i], .events = POLLIN};
    }
    if (poll(p, (nfds_t)n, timeout) <= 0) {
        return WAITLOOP_TIMEOUT; /* EINTR: the caller loops and recomputes its deadline */
    }
    if (p[0].revents) {
        (void)drain(w->wake_fd);
        rc |= WAITLOOP_WOKEN;
    }
    for (int i = 1; i < n; i++) {
        if (!p[i].revents) {
            continue;
        }
        rc |= WAITLOOP_INPUT;
        if (p[i].fd == w->notify_fd) {
            (void)drain(w->notify_fd);
            open_evdev(w); /* a device came or went: SDL's own hotplug sees it as well */
            break;         /* the descriptors after this one are closed now */
        }
        if (i >= first_evdev && !drain(p[i].fd)) {
            open_evdev(w); /* unplugged */
            break;
        }
        if (p[i].fd == w->conn_fd && (p[i].revents & (POLLHUP | POLLERR))) {
            /* the display server went away: SDL reports it when pumped; stop spinning */
            w->conn_fd = -1;
        }
    }
    return rc;
}
