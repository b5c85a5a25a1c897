/* app: start-up, the display and the event loop (see app.h).
 *
 * Input: touch arrives only as SDL finger events (a mouse or xdotool is turned into a
 * finger by SDL_HINT_MOUSE_TOUCH_EVENTS, and touch never into a mouse), so nothing is
 * handled twice. The first finger down owns the gesture until it lifts; others are ignored.
 * Every frame drains the whole queue, and the ui drops taps beyond a few a second.
 *
 * Sleeping: the loop blocks in app/waitloop.c until input is readable (then it pumps SDL
 * at once), another thread wakes it (the sync worker, the admin API and the signal waker
 * push an SDL event and write the loop's eventfd), or the next deadline: the ui's, the
 * minute tick (stopped while the screen is dark outside opening hours), a paced frame,
 * and the services' (watchdog ping, opening time, status). No fixed slices. */
#include "app/app.h"
#include "app/services.h"
#include "app/waitloop.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "config/config_sources.h"
#include "feed/announce.h"
#include "feed/check.h"
#include "feed/feed.h"
#include "net/sync.h"
#include "ui/rotate.h"
#include "ui/ui.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/timeutil.h"

/* Without a mode to read it from (Xvfb, offscreen), the display refreshes at 60 Hz. */
#define APP_DEFAULT_HZ 60
/* A busy 1080p screen holds about 2 MiB of line textures: 8 MiB keeps home, a list, a
 * detail and the announcements warm (docs/reliability.md has the memory budget). */
#define APP_TEXT_CACHE_BYTES (8u * 1024u * 1024u)

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t app_ms(const struct app *a)
{
    return (int64_t)((double)(kclock_mono_ms() - a->mono0) * a->rate);
}

static int apply_flag(struct config *c, const char *key, const char *value)
{
    char err[256];
    if (!value) {
        return 0;
    }
    if (config_set(c, key, value, err, sizeof err) != 0) {
        LOG_ERROR("app", "command line: %s", err);
        return -EINVAL;
    }
    return 0;
}

/* The kiosk writes its cache and announcements into state_dir and removes its own leftovers
 * there: "/", /etc or /var by mistake (a typo, a symlink, "/var/lib/kiosk/../..") would
 * scatter them among the system's files. Refused at start, like a token others can read. */
static int check_state_dir(const char *dir)
{
    char real[PATH_MAX];
    int rc;
    if (dir[0] == '\0') {
        return 0; /* no state: nothing is written */
    }
    rc = fsio_resolve(dir, real, sizeof real);
    if (rc != 0) {
        /* the cache and the store say what is wrong when they use it */
        LOG_WARN("app", "state_dir %s: %s", dir, strerror(-rc));
        return 0;
    }
    if (fsio_is_system_dir(real)) {
        LOG_ERROR("app",
                  "state_dir %s%s%s is a system directory: refusing to start; give the "
                  "kiosk a directory of its own, e.g. /var/lib/kiosk",
                  dir, strcmp(dir, real) != 0 ? " resolves to " : "",
                  strcmp(dir, real) != 0 ? real : "");
        return -EINVAL;
    }
    return 0;
}

int app_load_config(struct app *a)
{
    char err[512];
    if (a->args.config_path) {
        a->cfg = config_load(a->args.config_path, err, sizeof err);
        if (!a->cfg) {
            LOG_ERROR("app", "config %s: %s", a->args.config_path, err);
            return 2;
        }
    } else {
        a->cfg = config_create_default();
        if (!a->cfg) {
            LOG_ERROR("app", "out of memory");
            return 1;
        }
    }
    if (apply_flag(a->cfg, "feed_url", a->args.feed_url) != 0 ||
        apply_flag(a->cfg, "state_dir", a->args.state_dir) != 0 ||
        apply_flag(a->cfg, "rotation", a->args.rotation) != 0 ||
        apply_flag(a->cfg, "admin_listen", a->args.admin_listen) != 0 ||
        apply_flag(a->cfg, "admin_token_file", a->args.admin_token_file) != 0 ||
        apply_flag(a->cfg, "idle_timeout_s", a->args.idle_timeout) != 0) {
        return 2;
    }
    for (size_t i = 0; i < a->args.n_more_feeds; i++) {
        char key[32];
        snprintf(key, sizeof key, "source.%zu.url", i + 1);
        if (apply_flag(a->cfg, key, a->args.more_feeds[i]) != 0) {
            return 2;
        }
    }
    if (check_state_dir(a->cfg->state_dir) != 0) {
        return 2;
    }
    if (timeutil_set_zone(a->cfg->timezone) != 0) {
        LOG_ERROR("app", "config: key 'timezone': unknown zone '%s'", a->cfg->timezone);
        return 2;
    }
    a->rotation = a->cfg->rotation;
    a->rate = a->args.clock_rate > 0 ? a->args.clock_rate : 1.0;
    if (a->args.now_iso || a->rate != 1.0) {
        int64_t start;
        if (a->args.now_iso) {
            if (timeutil_parse_iso8601(a->args.now_iso, &start, NULL) != 0) {
                LOG_ERROR("app", "--now: '%s' is not an ISO 8601 time", a->args.now_iso);
                return 2;
            }
        } else {
            struct kclock sys = kclock_system();
            start = kclock_now(&sys);
        }
        a->clock = kclock_scaled(start, a->rate);
        if (!a->clock.ctx) {
            LOG_ERROR("app", "out of memory");
            return 1;
        }
        a->clock_owned = true;
    } else {
        a->clock = kclock_system();
    }
    a->mono0 = kclock_mono_ms();
    return 0;
}

static void feed_limits_from_config(const struct config *c, struct feed_limits *lim)
{
    feed_limits_default(lim);
    lim->max_bytes = c->max_feed_bytes;
    lim->max_items = c->max_items;
    lim->allow_http = c->allow_http;
    lim->qr_max_url = ui_qr_max_url();
}

int app_load_content(struct app *a)
{
    a->m = model_create(a->cfg->target);
    if (!a->m) {
        LOG_ERROR("app", "out of memory");
        return 1;
    }
    int64_t now = kclock_now(&a->clock);
    model_tick(a->m, now);
    if (a->cfg->state_dir[0] == '\0') {
        return 0;
    }
    struct feed_limits lim;
    feed_limits_from_config(a->cfg, &lim);
    struct feed *f = NULL;
    a->feed_meta = calloc(1, sizeof *a->feed_meta);
    a->ann_meta = calloc(1, sizeof *a->ann_meta);
    a->src_meta = calloc(CACHE_MAX_SOURCES, sizeof *a->src_meta);
    if (!a->feed_meta || !a->ann_meta || !a->src_meta) {
        LOG_ERROR("app", "out of memory");
        return 1;
    }
    size_t slots[CONFIG_MAX_SOURCES];
    size_t n = config_sources(a->cfg, slots);
    for (size_t k = 0; k < n; k++) {
        size_t slot = slots[k];
        struct config_import ci;
        char name[64];
        struct cache_meta *meta = slot == 0 ? a->feed_meta : &a->src_meta[slot];
        config_source_name(a->cfg, slot, name, sizeof name);
        model_set_source_name(a->m, slot, name);
        config_import_opts(a->cfg, slot, now, &ci);
        f = NULL;
        if (cache_load_source(a->cfg->state_dir, slot, &lim, &ci.opts, &a->clock, &f, meta) == 0) {
            LOG_INFO("app", "cache: %s with %zu events, %zu volunteer listings", name,
                     feed_count(f, FEED_KIND_EVENT), feed_count(f, FEED_KIND_VOLUNTEER));
            (void)feed_check_log_long_urls(f, ui_qr_max_url());
            model_set_source_feed(a->m, slot, f, meta->fetched_at, NULL);
        } else {
            LOG_INFO("app", "cache: no usable %s in %s", name, a->cfg->state_dir);
        }
    }
    if (n == 0 && cache_load(a->cfg->state_dir, CACHE_DOC_FEED, &lim, NULL, 0, &a->clock, &f,
                             a->feed_meta) == 0) {
        /* no source configured: what an earlier config fetched is still worth showing */
        model_set_feed(a->m, f, a->feed_meta->fetched_at);
    }
    if (a->cfg->announcements_url[0] != '\0') {
        struct feed *d = NULL;
        if (cache_load(a->cfg->state_dir, CACHE_DOC_ANNOUNCEMENTS, &lim,
                       (const char *const *)a->cfg->announcement_keys, a->cfg->n_announcement_keys,
                       &a->clock, &d, a->ann_meta) == 0) {
            model_set_ann_doc(a->m, d);
        }
    }
    app_safety_load_cache(a);
    model_tick(a->m, now);
    return 0;
}

void app_logical_to_norm(const struct app *a, double lx, double ly, float *nx, float *ny)
{
    double px, py;
    ui_rotate_to_panel(a->rotation, a->pw, a->ph, lx + 0.5, ly + 0.5, &px, &py);
    *nx = (float)(px / a->pw);
    *ny = (float)(py / a->ph);
}

static int create_target(struct app *a)
{
    if (a->target) {
        SDL_DestroyTexture(a->target);
        a->target = NULL;
    }
    /* a target texture when rotating, and always when capturing screenshots so the
     * pixels read back are the logical screen */
    if (a->rotation == 0 && !a->headless) {
        return 0;
    }
    a->target =
        SDL_CreateTexture(a->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, a->lw, a->lh);
    if (!a->target) {
        LOG_ERROR("app", "cannot create the %dx%d screen texture: %s", a->lw, a->lh,
                  SDL_GetError());
        return -1;
    }
    return 0;
}

/* Sets the panel size and rotation; the ui lays out for the logical size. */
static int app_set_geometry(struct app *a, int pw, int ph, int rotation)
{
    a->pw = pw;
    a->ph = ph;
    a->rotation = rotation;
    ui_rotate_logical_size(rotation, pw, ph, &a->lw, &a->lh);
    if (create_target(a) != 0) {
        return -1;
    }
    if (a->ui) {
        ui_set_size(a->ui, a->lw, a->lh);
    }
    a->redraw = true;
    return 0;
}

int app_set_rotation(struct app *a, int rotation)
{
    return app_set_geometry(a, a->pw, a->ph, rotation);
}

/* A font path is config too: a FIFO there would hold SDL_ttf's open for ever, before the
 * first frame. Missing or unusable fonts are gfx's to report. */
static int check_fonts(const struct config *c)
{
    const char *const fonts[][2] = {{"font_text", c->font_text},
                                    {"font_bold", c->font_bold},
                                    {"font_mono", c->font_mono},
                                    {"font_fallback", c->font_fallback},
                                    {"font_cjk_bold", c->font_cjk_bold}};
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        if (!fonts[i][1][0]) {
            continue; /* an optional font left out (font_cjk_bold) */
        }
        int fd = fsio_open_regular(fonts[i][1]);
        if (fd == -EINVAL) {
            LOG_ERROR("app", "fonts: %s %s is %s", fonts[i][0], fonts[i][1], fsio_strerror(fd));
            return -EINVAL;
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    return 0;
}

/* Frames are paced to the display's refresh: by SDL_RenderPresent when it waits for vsync,
 * else by the loop (the software renderer would draw a drag as fast as the CPU allows). */
static void set_frame_pacing(struct app *a, const SDL_RendererInfo *info)
{
    SDL_DisplayMode mode;
    int hz = APP_DEFAULT_HZ;
    int idx = SDL_GetWindowDisplayIndex(a->win);
    if (idx >= 0 && SDL_GetCurrentDisplayMode(idx, &mode) == 0 && mode.refresh_rate >= 20) {
        hz = mode.refresh_rate;
    }
    a->frame_period_ms = 1000 / hz;
    a->vsync = (info->flags & SDL_RENDERER_PRESENTVSYNC) != 0;
}

int app_open_display(struct app *a, bool headless)
{
    char err[512];
    a->headless = headless;
    if (check_fonts(a->cfg) != 0) {
        return 1;
    }
    /* touch only, never a synthetic mouse: a mouse or xdotool arrives as a finger */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
    if (headless) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    }
    /* Without a GPU (the offscreen and dummy drivers, and tests), SDL would put its window
     * surface on Mesa's software GL: 130 MB more resident memory and a leak at exit, for
     * nothing. The environment (SDL_FRAMEBUFFER_ACCELERATION) still wins. */
    const char *lat = getenv("KIOSK_LATENCY_LOG");
    a->latency_log = lat && lat[0] != '\0' && strcmp(lat, "0") != 0;
    const char *want = getenv("SDL_VIDEODRIVER");
    if (headless || (want && (strcmp(want, "offscreen") == 0 || strcmp(want, "dummy") == 0))) {
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        LOG_ERROR("app", "SDL_Init: %s", SDL_GetError());
        return 1;
    }
    int w = 1920, h = 1080;
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (a->args.windowed) {
        char x;
        sscanf(a->args.windowed, "%d%c%d", &w, &x, &h);
        a->windowed = true;
    } else if (!headless) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    a->win =
        SDL_CreateWindow("kiosk", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h, flags);
    if (!a->win) {
        LOG_ERROR("app", "SDL_CreateWindow: %s", SDL_GetError());
        return 1;
    }
    const char *drv = SDL_GetCurrentVideoDriver();
    bool soft = headless || (drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0));
    if (!soft) {
        a->ren = SDL_CreateRenderer(a->win, -1,
                                    SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC |
                                        SDL_RENDERER_TARGETTEXTURE);
    }
    if (!a->ren) {
        a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!a->ren) {
        LOG_ERROR("app", "SDL_CreateRenderer: %s", SDL_GetError());
        return 1;
    }
    SDL_RendererInfo info;
    memset(&info, 0, sizeof info);
    if (SDL_GetRendererInfo(a->ren, &info) == 0) {
        LOG_INFO("app", "display: driver %s, renderer %s", drv ? drv : "?", info.name);
    }
    if (!a->windowed && !headless) {
        SDL_ShowCursor(SDL_DISABLE);
    }
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    struct gfx_fonts fonts = {a->cfg->font_text, a->cfg->font_bold, a->cfg->font_mono,
                              a->cfg->font_fallback, a->cfg->font_cjk_bold};
    a->g = gfx_create(a->ren, &fonts, err, sizeof err);
    if (!a->g) {
        LOG_ERROR("app", "fonts: %s", err);
        return 1;
    }
    gfx_set_cache_limit(a->g, APP_TEXT_CACHE_BYTES);
    a->ev_base = SDL_RegisterEvents(APP_EV_COUNT);
    if (a->ev_base == (Uint32)-1) {
        LOG_ERROR("app", "no SDL user events left");
        return 1;
    }
    a->loop = waitloop_create(headless ? NULL : a->win);
    if (!a->loop) {
        return 1;
    }
    set_frame_pacing(a, &info);
    struct ui_options uo = {
        .facility_name = a->cfg->facility_name,
        .facility_name_en = a->cfg->facility_name_en,
        .idle_timeout_s = a->cfg->idle_timeout_s,
        .attract_interval_s = a->cfg->attract_interval_s,
        .stale_after_s = a->cfg->stale_after_s,
    };
    a->ui = ui_create(a->g, a->m, &uo, app_ms(a));
    if (!a->ui) {
        LOG_ERROR("app", "out of memory");
        return 1;
    }
    if (app_set_geometry(a, w, h, a->rotation) != 0) {
        return 1;
    }
    return 0;
}

void app_close(struct app *a)
{
    app_services_stop(a);
    app_safety_stop(a);
    sync_destroy(a->sync);
    a->sync = NULL;
    /* results still queued own feeds: free them */
    if (a->ev_base != 0 && SDL_WasInit(SDL_INIT_EVENTS)) {
        SDL_Event e;
        SDL_PumpEvents();
        while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, a->ev_base + APP_EV_SYNC,
                              a->ev_base + APP_EV_SYNC) == 1) {
            sync_result_free(e.user.data1);
        }
        while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, a->ev_base + APP_EV_SAFETY,
                              a->ev_base + APP_EV_SAFETY) == 1) {
            free(e.user.data1);
        }
    }
    ui_free(a->ui);
    gfx_destroy(a->g);
    if (a->target) {
        SDL_DestroyTexture(a->target);
    }
    if (a->ren) {
        SDL_DestroyRenderer(a->ren);
    }
    if (a->win) {
        SDL_DestroyWindow(a->win);
    }
    waitloop_free(a->loop);
    if (SDL_WasInit(0) != 0) {
        SDL_Quit();
    }
    model_free(a->m);
    free(a->feed_meta);
    free(a->ann_meta);
    free(a->src_meta);
    config_free(a->cfg);
    if (a->clock_owned) {
        kclock_free(&a->clock);
    }
    memset(a, 0, sizeof *a);
}

void app_wake(struct app *a)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = a->ev_base + APP_EV_WAKE;
    SDL_PushEvent(&e);
    if (a->loop) {
        waitloop_wake(a->loop);
    }
}

/* Sync worker thread: hand the result to the main thread with the event. */
static void on_sync_result(struct sync_result *r, void *ctx)
{
    struct app *a = ctx;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = a->ev_base + APP_EV_SYNC;
    e.user.data1 = r;
    if (SDL_PushEvent(&e) != 1) {
        LOG_WARN("app", "event queue full: a sync result was dropped");
        sync_result_free(r);
        return;
    }
    waitloop_wake(a->loop);
}

static void take_sync_result(struct app *a, struct sync_result *r)
{
    if (r->doc != CACHE_DOC_ANNOUNCEMENTS) {
        if (r->ok) {
            /* a URL too long for a code that scans: the screens show the contact instead */
            (void)feed_check_log_long_urls(r->feed, ui_qr_max_url());
            model_set_source_feed(a->m, r->source, r->feed, r->fetched_at,
                                  r->feed ? r->format : NULL);
            r->feed = NULL;
        }
        if (!r->ok) {
            model_set_source_fail_class(a->m, r->source, sync_fail_name(r->fail));
        }
        model_set_source_sync(a->m, r->source, r->ok, r->finished_at, r->message);
    } else if (r->ok && r->feed) {
        model_set_ann_doc(a->m, r->feed);
        r->feed = NULL;
    }
    sync_result_free(r);
    a->redraw = true;
}

static int start_sync(struct app *a, bool run_once)
{
    size_t slots[CONFIG_MAX_SOURCES];
    size_t n = config_sources(a->cfg, slots);
    if (n == 0) {
        LOG_WARN("app", "no feed_url: showing the cache only");
        return 0;
    }
    struct sync_params p;
    sync_params_from_config(&p, a->cfg);
    for (size_t i = 1; a->src_meta && i < CACHE_MAX_SOURCES; i++) {
        p.sources[i].meta = a->src_meta[i];
    }
    p.clock = a->clock;
    /* The validators that came with the cache make the first request conditional, and let
     * the worker know a 304 matches what the model already shows. */
    if (a->feed_meta) {
        p.feed_meta = *a->feed_meta;
    }
    if (a->ann_meta) {
        p.ann_meta = *a->ann_meta;
    }
    a->sync = sync_create(&p, on_sync_result, a);
    if (!a->sync) {
        return -1;
    }
    if (run_once) {
        /* the screenshot mode waits for the first attempt, whatever its outcome */
        for (size_t k = 0; k < n; k++) {
            sync_run_once(a->sync, cache_doc_source(slots[k]));
        }
        if (a->cfg->announcements_url[0] != '\0') {
            sync_run_once(a->sync, CACHE_DOC_ANNOUNCEMENTS);
        }
        app_poll(a);
        return 0;
    }
    return sync_start(a->sync);
}

static void handle_finger(struct app *a, const SDL_TouchFingerEvent *f)
{
    double lx, ly;
    ui_rotate_to_logical(a->rotation, a->pw, a->ph, (double)f->x * a->pw, (double)f->y * a->ph, &lx,
                         &ly);
    int x = (int)lx, y = (int)ly;
    int64_t ms = app_ms(a);
    if (a->latency_log) {
        int64_t us = mono_us();
        fprintf(stderr, "latency: input %s %lld\n",
                f->type == SDL_FINGERDOWN ? "down" : (f->type == SDL_FINGERUP ? "up" : "move"),
                (long long)us);
        if (a->latency_input_us == 0) {
            a->latency_input_us = us;
        }
    }
    switch (f->type) {
    case SDL_FINGERDOWN:
        if (a->finger_active) {
            return; /* a second finger: ignored */
        }
        a->finger_active = true;
        a->finger = f->fingerId;
        ui_touch(a->ui, UI_TOUCH_DOWN, x, y, ms);
        break;
    case SDL_FINGERMOTION:
        if (a->finger_active && f->fingerId == a->finger) {
            ui_touch(a->ui, UI_TOUCH_MOVE, x, y, ms);
        }
        break;
    case SDL_FINGERUP:
        if (a->finger_active && f->fingerId == a->finger) {
            a->finger_active = false;
            ui_touch(a->ui, UI_TOUCH_UP, x, y, ms);
        }
        break;
    default:
        break;
    }
}

bool app_poll(struct app *a)
{
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        switch (e.type) {
        case SDL_FINGERDOWN:
        case SDL_FINGERMOTION:
        case SDL_FINGERUP:
            handle_finger(a, &e.tfinger);
            break;
        case SDL_QUIT:
            /* a kiosk is stopped by its service manager, not by a key or a window button */
            if (a->windowed) {
                a->quit = true;
            }
            break;
        case SDL_KEYDOWN:
            if (a->windowed && e.key.keysym.sym == SDLK_ESCAPE) {
                a->quit = true;
            }
            break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                int w, h;
                if (SDL_GetRendererOutputSize(a->ren, &w, &h) == 0 && (w != a->pw || h != a->ph)) {
                    app_set_geometry(a, w, h, a->rotation);
                }
            }
            a->redraw = true;
            break;
        case SDL_RENDER_TARGETS_RESET:
        case SDL_RENDER_DEVICE_RESET:
            create_target(a);
            a->redraw = true;
            break;
        default:
            if (e.type == a->ev_base + APP_EV_SYNC) {
                take_sync_result(a, e.user.data1);
            } else if (e.type == a->ev_base + APP_EV_ANNOUNCEMENTS) {
                app_services_take_direct(a);
                a->redraw = true;
            } else if (e.type == a->ev_base + APP_EV_WAKE) {
                a->redraw = true;
            } else if (e.type == a->ev_base + APP_EV_SAFETY) {
                app_safety_take_event(a, &e);
            }
            break;
        }
    }
    int64_t now = kclock_now(&a->clock);
    if (now != a->last_tick_s) {
        a->last_tick_s = now;
        model_tick(a->m, now);
        app_memory_tick(now);
    }
    if (ui_update(a->ui, app_ms(a))) {
        a->redraw = true;
    }
    /* Every poll proves the loop is alive (it runs at least once a second); a renderer stuck
     * in a draw never gets here, so the watchdog catches it. */
    app_services_tick(a, true);
    return a->redraw;
}

int app_draw(struct app *a, const char *png_path, const char *txt_path)
{
    int rc = 0;
    int64_t t0 = kclock_mono_ms();
    a->frame_begun_ms = t0;
    int64_t t0_us = a->latency_log ? mono_us() : 0;
    if (a->target) {
        SDL_SetRenderTarget(a->ren, a->target);
    }
    ui_draw(a->ui, app_ms(a));
    app_services_capture(a);
    if (png_path) {
        if (gfx_save_png(a->ren, a->lw, a->lh, png_path) != 0) {
            LOG_ERROR("app", "cannot save %s: %s", png_path, SDL_GetError());
            rc = -1;
        }
        if (txt_path && gfx_write_text_listing(a->g, txt_path) != 0) {
            LOG_ERROR("app", "cannot write %s", txt_path);
            rc = -1;
        }
    }
    if (a->target) {
        SDL_SetRenderTarget(a->ren, NULL);
        SDL_SetRenderDrawColor(a->ren, 0, 0, 0, 255);
        SDL_RenderClear(a->ren);
        SDL_Rect dst = {(a->pw - a->lw) / 2, (a->ph - a->lh) / 2, a->lw, a->lh};
        if (a->rotation == 0) {
            SDL_RenderCopy(a->ren, a->target, NULL, &dst);
        } else {
            SDL_RenderCopyEx(a->ren, a->target, NULL, &dst, (double)a->rotation, NULL,
                             SDL_FLIP_NONE);
        }
    }
    SDL_RenderPresent(a->ren);
    if (a->latency_input_us != 0) {
        /* a frame drawn after input: when its draw began, when it was presented */
        fprintf(stderr, "latency: frame %lld %lld input %lld\n", (long long)t0_us,
                (long long)mono_us(), (long long)a->latency_input_us);
        a->latency_input_us = 0;
    }
    a->frames++;
    a->last_frame_at = kclock_now(&a->clock);
    a->redraw = false;
    a->last_frame_ms = (double)(kclock_mono_ms() - t0);
    return rc;
}

/* Whether the screen shows nothing that changes by the minute: dark outside opening hours
 * (an emergency or the closed notice after a touch lights it, and ui has deadlines then). */
static bool screen_dark(const struct app *a)
{
    return a->closed && !ann_list_has_emergency(a->m->active);
}

/* Real milliseconds until the app's clock reaches the next whole minute. The system clock
 * is read to the millisecond; a moved or scaled one only to the second, so a wake may come
 * up to a second early, and the next one lands just after the minute. */
static int64_t minute_tick_ms(const struct app *a)
{
    int64_t left;
    if (!a->clock_owned) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        return 60000 - ms % 60000 + 1;
    }
    left = (60 - kclock_now(&a->clock) % 60) * 1000;
    return (int64_t)((double)left / a->rate);
}

static int64_t earlier(int64_t a, int64_t b)
{
    if (a < 0) {
        return b;
    }
    return b >= 0 && b < a ? b : a;
}

bool app_frame_allowed(const struct app *a)
{
    return a->vsync || a->frames == 0 ||
           kclock_mono_ms() - a->frame_begun_ms >= a->frame_period_ms - 1;
}

static int64_t next_boundary(const struct ann_list *l, int64_t now, int64_t best)
{
    for (size_t i = 0; l && i < ann_list_count(l); i++) {
        const struct feed_announcement *an = ann_list_at(l, i);
        if (an->starts_at > now && (best < 0 || an->starts_at < best)) {
            best = an->starts_at;
        }
        if (!an->until_cleared && an->ends_at > now && (best < 0 || an->ends_at < best)) {
            best = an->ends_at;
        }
    }
    return best;
}

/* Real milliseconds until an announcement starts or ends (to the second, as the model
 * ticks): an emergency's end must light or darken the screen on time, and the minute tick
 * is off while dark. Recomputed when the model changes or the boundary passes. */
static int64_t announcement_ms(struct app *a)
{
    int64_t now = kclock_now(&a->clock);
    if (a->ann_gen != a->m->generation + 1 || (a->ann_next > 0 && now >= a->ann_next)) {
        struct ann_list *fed = model_feed_announcements(a->m);
        a->ann_next = next_boundary(a->m->direct, now, -1);
        a->ann_next = next_boundary(fed, now, a->ann_next);
        ann_list_free(fed);
        a->ann_gen = a->m->generation + 1;
    }
    if (a->ann_next <= 0) {
        return -1;
    }
    return (int64_t)((double)((a->ann_next - now) * 1000) / a->rate);
}

int64_t app_next_wait_ms(struct app *a)
{
    int64_t wait = -1;
    if (a->redraw) {
        int64_t next = a->frame_begun_ms + a->frame_period_ms - 1 - kclock_mono_ms();
        return app_frame_allowed(a) || next < 0 ? 0 : next;
    }
    int64_t d = ui_next_deadline(a->ui, app_ms(a));
    /* the ui's deadline is in scaled time */
    if (d > 0 && a->rate != 1.0) {
        d = (int64_t)((double)d / a->rate);
    }
    wait = earlier(wait, d);
    if (!screen_dark(a)) {
        wait = earlier(wait, minute_tick_ms(a));
    }
    wait = earlier(wait, announcement_ms(a));
    return earlier(wait, app_services_next_wait_ms(a));
}

void app_sleep(struct app *a, int max_ms)
{
    /* what X11 or Wayland read into their own queues while we drew is invisible to poll() */
    SDL_PumpEvents();
    if (SDL_PeepEvents(NULL, 1, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) {
        return;
    }
    int64_t wait = earlier(app_next_wait_ms(a), max_ms);
    if (wait == 0) {
        return;
    }
    a->wakeups++;
    if (waitloop_wait(a->loop, wait) & WAITLOOP_INPUT) {
        SDL_PumpEvents();
    }
}

static int check_feed(struct app *a)
{
    char *data = NULL;
    size_t len = 0;
    int rc = fsio_read_file(a->args.check_feed, a->cfg->max_feed_bytes, &data, &len);
    if (rc == -EFBIG) {
        printf("rejected: larger than %zu bytes\n", a->cfg->max_feed_bytes);
        return 1;
    }
    if (rc != 0) {
        printf("rejected: cannot read %s: %s\n", a->args.check_feed, fsio_strerror(rc));
        return 1;
    }
    struct feed_limits lim;
    struct config_import ci;
    feed_limits_from_config(a->cfg, &lim);
    /* a file is judged as the first source would be read (its kind, its category) */
    config_import_opts(a->cfg, 0, kclock_now(&a->clock), &ci);
    rc = feed_check_report(data, len, &lim, &ci.opts, stdout);
    free(data);
    fflush(stdout);
    return rc == 0 ? 0 : 1;
}

int app_run_loop(struct app *a)
{
    while (!a->quit) {
        if (app_poll(a) && app_frame_allowed(a)) {
            app_draw(a, NULL, NULL);
        }
        app_sleep(a, -1);
    }
    return 0;
}

int app_main(int argc, char **argv)
{
    return app_main_driven(argc, argv, NULL);
}

int app_main_driven(int argc, char **argv, const struct app_driver *d)
{
    struct app app;
    struct app *a = &app;
    char err[256];
    int rc;
    memset(a, 0, sizeof *a);
    app_memory_tune();
    if (app_args_parse_driven(argc, argv, &a->args, d, err, sizeof err) != 0) {
        LOG_ERROR("app", "%s", err);
        return 2;
    }
    if (a->args.help) {
        if (d && d->usage) {
            d->usage(stdout);
        }
        app_usage(stdout);
        return 0;
    }
    if (a->args.version) {
        printf("kiosk %s\n", KIOSK_VERSION);
        return 0;
    }
    rc = app_load_config(a);
    if (rc != 0) {
        goto out;
    }
    if (d && d->prepare && (rc = d->prepare(d->ctx, a)) != 0) {
        goto out;
    }
    if (a->args.check_feed) {
        rc = check_feed(a);
        goto out;
    }
    rc = app_load_content(a);
    if (rc != 0) {
        goto out;
    }
    bool shots = a->args.screenshot_dir && !a->args.screenshot_dir_is_output;
    if (!shots && app_services_early(a) != 0) {
        rc = 1;
        goto out;
    }
    rc = app_open_display(a, shots);
    if (rc != 0) {
        goto out;
    }
    app_poll(a);
    app_draw(a, NULL, NULL);
    LOG_INFO("app", "first frame after %lld ms", (long long)(kclock_mono_ms() - a->mono0));
    if (shots) {
        start_sync(a, true);
        rc = app_shots_run(a, a->args.screenshot_dir) == 0 ? 0 : 1;
        goto out;
    }
    rc = app_services_start(a);
    if (rc != 0) {
        goto out;
    }
    if (start_sync(a, false) != 0) {
        LOG_WARN("app", "sync did not start: showing the cache only");
    }
    (void)app_safety_start(a);
    rc = d && d->run ? d->run(d->ctx, a) : app_run_loop(a);
out:
    app_close(a);
    return rc;
}
