/* waitloop: where the main loop sleeps, until input is readable, another thread wakes it,
 * or a deadline the caller computed comes.
 *
 * SDL2 reads input only when pumped, and SDL_WaitEventTimeout polls every millisecond on
 * the KMS/DRM and offscreen drivers. So the loop blocks in poll() on the descriptors input
 * arrives on and pumps SDL at once when one is readable; it never wakes in fixed slices:
 *   - KMS/DRM: the kiosk's own read-only, non-blocking descriptors on /dev/input/event*
 *     (SDL keeps reading its own; each open has its own queue in the kernel, so ours is
 *     drained and discarded), and inotify on /dev/input for devices plugged in or removed;
 *   - X11: the X connection (SDL_GetWindowWMInfo); Wayland: the display's descriptor;
 *   - every driver: an eventfd that other threads (sync, admin, the signal waker) write to.
 * The X and Wayland libraries may read events into their own queues during a draw, where
 * poll() does not see them: the caller pumps SDL and looks at its queue right before it
 * sleeps (app_sleep does). Main thread only, but waitloop_wake from any thread or a signal
 * handler. It knows nothing of the ui or of deadlines: the caller passes the timeout. */
#ifndef KIOSK_APP_WAITLOOP_H
#define KIOSK_APP_WAITLOOP_H

#include <stdint.h>

#include <SDL.h>

struct waitloop;

/* What ended a wait (a mask). */
enum { WAITLOOP_TIMEOUT = 0, WAITLOOP_WOKEN = 1, WAITLOOP_INPUT = 2 };

/* A waiter for win's video driver (win may be NULL: only wakes and timeouts). NULL when the
 * eventfd cannot be made; input sources that cannot be opened are logged and left out. */
struct waitloop *waitloop_create(SDL_Window *win);
void waitloop_free(struct waitloop *w);

/* Blocks until input, a wake or timeout_ms (< 0: no timeout). Returns a WAITLOOP_* mask. */
int waitloop_wait(struct waitloop *w, int64_t timeout_ms);

/* Wakes the waiter; any thread. A wake before the wait ends the next wait at once. */
void waitloop_wake(struct waitloop *w);

/* How many input descriptors are watched (for the log and tests). */
int waitloop_input_count(const struct waitloop *w);

#endif
