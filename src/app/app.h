/* app: the program — command line, config, model, display, the event loop, and the
 * screenshot mode built on the same loop.
 *
 * Start-up is a chain of steps that each fail loudly: parse the arguments, load the config
 * (a bad one stops the kiosk with a message naming the key; it never runs on half a config),
 * select the facility's zone, create the model, load the cache into it, open SDL and gfx,
 * draw the first frame, then start the sync worker. The loop sleeps when nothing changes:
 * it drains SDL's queue, lets the ui advance, draws only when something changed, and blocks
 * (app/waitloop.h) until input is readable, another thread wakes it, or its next deadline. Only
 * app/ ends the process. */
#ifndef KIOSK_APP_APP_H
#define KIOSK_APP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <SDL.h>

#include "config/config.h"
#include "feed/model.h"
#include "gfx/gfx.h"
#include "ui/ui.h"
#include "util/clock.h"

#define APP_MAX_MORE_FEEDS 15

struct app_args {
    const char *config_path;
    const char *feed_url;
    const char *more_feeds[APP_MAX_MORE_FEEDS]; /* further --feed URLs: source.1, source.2 ... */
    size_t n_more_feeds;
    const char *state_dir;
    const char *windowed; /* "WxH" */
    const char *rotation;
    const char *screenshot_dir;
    const char *admin_listen;
    const char *admin_token_file;
    const char *check_feed;
    const char *now_iso;
    const char *idle_timeout; /* seconds, overrides the config (tests) */
    double clock_rate;        /* 1 unless --clock-rate */
    bool help, version;
    /* Set by a driver: --screenshot DIR is where the driver's run saves its screenshots,
     * not the headless screenshot mode (kiosk-sim --replay). */
    bool screenshot_dir_is_output;
};

struct app;

/* What a driver program (kiosk-sim, src/sim/) plugs into the kiosk; the kiosk itself has
 * none. Every callback runs on the main thread and may be NULL; ctx is the driver's. */
struct app_driver {
    /* An argument the kiosk does not know, at argv[*i]: the driver takes it (and its value,
     * advancing *i) and returns 1, returns 0 when it is not the driver's either, or -EINVAL
     * with a one-line message in err. It may set args->screenshot_dir_is_output. */
    int (*parse_arg)(void *ctx, struct app_args *args, int argc, char **argv, int *i, char *err,
                     size_t errlen);
    /* Printed before the kiosk's options by --help. */
    void (*usage)(FILE *out);
    /* Right after the config is loaded, before anything reads the clock: may swap a->clock
     * (which the driver then owns). 0, or an exit status after logging why. */
    int (*prepare)(void *ctx, struct app *a);
    /* Instead of the kiosk's loop, once the display, the services and sync run (not in the
     * headless screenshot mode). Returns the exit status; app_run_loop() is the kiosk's. */
    int (*run)(void *ctx, struct app *a);
    void *ctx;
};

/* Parses argv into a. 0, or -EINVAL with a one-line message in err. */
int app_args_parse(int argc, char **argv, struct app_args *a, char *err, size_t errlen);
/* The same, handing arguments the kiosk does not know to d (may be NULL). */
int app_args_parse_driven(int argc, char **argv, struct app_args *a, const struct app_driver *d,
                          char *err, size_t errlen);
void app_usage(FILE *out);

struct sync;
struct safety_worker;
struct admin;
struct app_services;
struct cache_meta;

struct app {
    struct app_args args;
    struct config *cfg;
    struct model *m;
    struct kclock clock;
    bool clock_owned;
    double rate;
    int64_t mono0;

    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *target; /* the logical screen when rotated or capturing */
    int pw, ph;          /* panel (window) pixels */
    int lw, lh;          /* logical screen */
    int rotation;
    bool windowed, headless;
    struct gfx *g;
    struct ui *ui;

    Uint32 ev_base;          /* + APP_EV_* */
    struct waitloop *loop;   /* where the loop sleeps: app/waitloop.h */
    int64_t frame_period_ms; /* the display's refresh period, to pace frames without vsync */
    bool vsync;              /* SDL_RenderPresent waits for the display */
    int64_t frame_begun_ms;  /* kclock_mono_ms when the last frame's draw began */
    uint64_t ann_gen;        /* model generation + 1 that ann_next was computed at; 0 none */
    int64_t ann_next;        /* the next start or end of an announcement; <= 0 none */
    struct sync *sync;
    struct safety_worker *safety; /* JMA and CAP (app/safety.c); NULL when none is set */
    struct admin *admin;
    struct app_services *svc;     /* admin, systemd, signals, hours: app/services.h */
    struct cache_meta *feed_meta; /* validators of the cached feed and announcements, */
    struct cache_meta *src_meta;  /* [CACHE_MAX_SOURCES]: what the cache gave each source */
    struct cache_meta *ann_meta;  /* loaded once at start for the first conditional GET */
    bool closed;                  /* outside opening hours */
    int64_t next_open;            /* when it opens again (Unix seconds), when closed */
    int64_t last_hours_check;
    int64_t last_frame_at; /* wall clock of the last frame */

    bool quit;
    bool redraw;
    bool finger_active;
    SDL_FingerID finger;
    int64_t last_tick_s;
    unsigned long frames;
    unsigned long wakeups;
    double last_frame_ms;
    /* KIOSK_LATENCY_LOG: each input event handled and the first frame after it are logged
     * with CLOCK_MONOTONIC microseconds (tests/e2e/test_latency.sh reads them) */
    bool latency_log;
    int64_t latency_input_us; /* the first input handled since the last frame, or 0 */
};

enum { APP_EV_SYNC, APP_EV_ANNOUNCEMENTS, APP_EV_WAKE, APP_EV_SAFETY, APP_EV_COUNT };

/* The whole program; returns the process exit status. */
int app_main(int argc, char **argv);
/* The same program with a driver's options, preparation and loop (d may be NULL). */
int app_main_driven(int argc, char **argv, const struct app_driver *d);
/* The kiosk's own event loop, until a->quit; returns 0. For a driver that keeps it. */
int app_run_loop(struct app *a);

/* Steps of start-up, for the program and the benchmark. Each returns 0 or an exit status
 * (2 for a bad config, 1 otherwise) after logging why. */
int app_load_config(struct app *a);
int app_load_content(struct app *a);
int app_open_display(struct app *a, bool headless);
void app_close(struct app *a);
/* Turns the logical screen (0, 90, 180, 270) on the same panel. 0 or -1. */
int app_set_rotation(struct app *a, int rotation);

/* Milliseconds of the ui's clock: monotonic, scaled by --clock-rate. */
int64_t app_ms(const struct app *a);

/* Drains the event queue and lets the ui and model advance; true when a frame is due. */
bool app_poll(struct app *a);
/* Draws a frame and presents it. With png_path, also saves the logical screen and its text
 * listing (txt_path) before presenting. Returns 0 or -1. */
int app_draw(struct app *a, const char *png_path, const char *txt_path);
/* Sleeps until input, a wake from another thread or the next deadline (app_next_wait_ms),
 * at most max_ms (< 0: no cap). Pumps SDL at once when input is readable. */
void app_sleep(struct app *a, int max_ms);
/* Milliseconds until the loop has work it was not woken for (the ui's animation, idle and
 * attract deadlines, the minute tick unless the screen is dark, a paced frame, and the
 * services' own: watchdog ping, opening time, status); -1 when only input or another
 * thread can give it work. */
int64_t app_next_wait_ms(struct app *a);
/* Whether a due frame may be drawn now: without vsync, frames are paced to the display's
 * refresh rate; with it, SDL_RenderPresent paces them. */
bool app_frame_allowed(const struct app *a);
/* Wakes the loop from any thread. */
void app_wake(struct app *a);

/* Logical coordinates of a touch to the panel's normalised ones, for injected events. */
void app_logical_to_norm(const struct app *a, double lx, double ly, float *nx, float *ny);

/* --screenshot DIR: every screen and state to DIR/NAME.png and NAME.txt. */
int app_shots_run(struct app *a, const char *dir);
/* Sets the allocator up for long uptimes (app/memory.c); first thing in app_main. */
void app_memory_tune(void);
/* Once an hour of the app's clock, hands free heap pages back to the system. */
void app_memory_tick(int64_t now);

#endif
