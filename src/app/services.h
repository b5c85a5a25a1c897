/* services: what runs beside the screen — the admin API, systemd's notify and watchdog,
 * signals, opening hours and the panel's power, and the status staff read remotely.
 *
 * app.c owns the display and the loop; this file owns everything the loop must tend to
 * between frames. All functions run on the main thread unless they say otherwise. */
#ifndef KIOSK_APP_SERVICES_H
#define KIOSK_APP_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

struct app;
struct ann_list;

/* Before SDL_Init and before any thread: signal handlers, the display pick. 0 or -1. */
int app_services_early(struct app *a);

/* After the first frame: the admin API (and the store of direct announcements), READY=1.
 * Returns 0, or an exit status when the admin API cannot start as configured. */
int app_services_start(struct app *a);

/* Once per loop iteration, after any frame: watchdog, signals (stop, reload: the config is
 * read on a thread and applied here when done), opening hours, the panel's power (on while
 * open or while an emergency shows), a pending screenshot request and the status the admin
 * API serves. `progressed` is true when the iteration drew a frame or handled events. */
void app_services_tick(struct app *a, bool progressed);

/* Real milliseconds until the services need the loop with nothing else waking it: the
 * watchdog's next ping, the next change of opening hours, a status update held back by its
 * rate limit, a panel command's outcome; -1 for none. */
int64_t app_services_next_wait_ms(struct app *a);

/* The main thread's part of a screenshot: when a request is pending, encodes the logical
 * screen just drawn (before it is presented). Called by app_draw. */
void app_services_capture(struct app *a);

/* The admin API changed its announcements (event handled on the main thread). */
void app_services_take_direct(struct app *a);

/* Stops the admin API and releases the rest. Safe to call more than once. */
void app_services_stop(struct app *a);

/* The automatic safety announcements (app/safety.c): the cached list into the model at
 * start-up, the worker started with the other services and stopped at exit, its documents
 * taken on the main thread, and staff take-downs of automatic ids passed on to it. */
void app_safety_load_cache(struct app *a);
int app_safety_start(struct app *a);
void app_safety_take_event(struct app *a, const SDL_Event *e);
void app_safety_staff_changed(struct app *a, const struct ann_list *direct);
void app_safety_stop(struct app *a);

#endif
