/* services: see services.h.
 *
 * The watchdog is fed only from here, and only after an iteration that really drew a frame
 * or handled events, or after an idle sleep that returned: a renderer stuck inside a draw
 * never reaches this code, so systemd restarts it. The screenshot for staff is read back by
 * the main thread at the next frame, because only it may touch the renderer; the admin's
 * screenshot thread waits for the pixels on a condition variable, with a timeout so a frozen
 * screen cannot hold a connection forever, and encodes the PNG itself: encoding a 1080p
 * frame takes ~50 ms that the main thread must not lose. */
#include "app/services.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>

#include "admin/admin.h"
#include "app/app.h"
#include "feed/feed_select.h"
#include "sys/display.h"
#include "sys/hours.h"
#include "sys/panel.h"
#include "sys/sdnotify.h"
#include "sys/signals.h"
#include "ui/ui.h"
#include "util/log.h"

#define SERVICES_STATUS_EVERY_MS 2000
#define SERVICES_SHOT_TIMEOUT_MS 5000

struct app_services {
    struct sys_panel *panel;
    int64_t watchdog_ms;      /* 0 when not under a systemd watchdog */
    int64_t last_ping_ms;
    int64_t last_status_ms;
    bool ready_sent;
    int64_t hours_next_change;
    int hours_known;          /* 0 unknown, 1 open, -1 closed */

    SDL_mutex *shot_lock;
    SDL_cond *shot_done;
    bool shot_pending;
    bool shot_ready;
    bool shot_text;           /* the request is for the text listing, not the PNG */
    SDL_Surface *shot_pixels; /* the frame read back, for the PNG */
    unsigned char *shot_png;  /* the text listing */
    size_t shot_len;
    SDL_mutex *shot_serial; /* one request at a time, whoever calls */
};

static void services_wake(void *ctx)
{
    app_wake(ctx);
}

int app_services_early(struct app *a)
{
    if (sys_signals_install() != 0) {
        LOG_ERROR("app", "cannot install signal handlers");
        return -1;
    }
    /* Pi 4/5 number their DRM cards differently from boot to boot: choose the connected one
     * before SDL opens a display. Harmless off the board (no KMS, or a hint already set). */
    sys_display_select(NULL);
    a->svc = calloc(1, sizeof *a->svc);
    if (a->svc == NULL)
        return -1;
    a->svc->shot_lock = SDL_CreateMutex();
    a->svc->shot_done = SDL_CreateCond();
    a->svc->shot_serial = SDL_CreateMutex();
    a->svc->panel = sys_panel_create();
    if (!a->svc->shot_lock || !a->svc->shot_done || !a->svc->shot_serial || !a->svc->panel) {
        LOG_ERROR("app", "out of memory");
        return -1;
    }
    a->svc->watchdog_ms = sys_watchdog_interval_ms();
    return 0;
}

/* Admin API thread: the store changed and is on disk. */
static void on_admin_change(void *ctx)
{
    struct app *a = ctx;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = a->ev_base + APP_EV_ANNOUNCEMENTS;
    SDL_PushEvent(&e);
    SDL_SemPost(a->wake);
}

/* The admin's screenshot thread: asks the main thread for the next frame (its pixels, or its
 * text listing), waits for it and, for a PNG, encodes it here. */
static int services_request_shot(struct app *a, bool text, unsigned char **png, size_t *len)
{
    struct app_services *s = a->svc;
    SDL_Surface *pixels = NULL;
    int rc = -1;
    SDL_LockMutex(s->shot_serial);
    SDL_LockMutex(s->shot_lock);
    s->shot_pending = true;
    s->shot_ready = false;
    s->shot_text = text;
    SDL_UnlockMutex(s->shot_lock);
    app_wake(a);
    SDL_LockMutex(s->shot_lock);
    int64_t deadline = kclock_mono_ms() + SERVICES_SHOT_TIMEOUT_MS;
    while (!s->shot_ready) {
        int64_t left = deadline - kclock_mono_ms();
        if (left <= 0 || SDL_CondWaitTimeout(s->shot_done, s->shot_lock, (Uint32)left) < 0)
            break;
    }
    if (s->shot_ready && text && s->shot_png != NULL) {
        *png = s->shot_png;
        *len = s->shot_len;
        s->shot_png = NULL;
        rc = 0;
    }
    if (s->shot_ready && !text) {
        pixels = s->shot_pixels;
        s->shot_pixels = NULL;
    }
    s->shot_pending = false;
    s->shot_ready = false;
    free(s->shot_png);
    s->shot_png = NULL;
    SDL_FreeSurface(s->shot_pixels);
    s->shot_pixels = NULL;
    SDL_UnlockMutex(s->shot_lock);
    /* The next request (the screen text, from the admin's other screenshot thread) need not
     * wait for this encoding. */
    SDL_UnlockMutex(s->shot_serial);
    if (pixels != NULL) {
        int64_t t0 = kclock_mono_ms();
        if (gfx_encode_png(pixels, png, len) == 0)
            rc = 0;
        else
            LOG_WARN("admin", "screenshot: PNG encoding failed: %s", SDL_GetError());
        LOG_DEBUG("admin", "screenshot encoded in %lld ms off the main thread",
                  (long long)(kclock_mono_ms() - t0));
        SDL_FreeSurface(pixels);
    }
    return rc;
}

static int on_admin_screenshot(void *ctx, unsigned char **png, size_t *len)
{
    return services_request_shot(ctx, false, png, len);
}

static int on_admin_screen_text(void *ctx, unsigned char **text, size_t *len)
{
    return services_request_shot(ctx, true, text, len);
}

/* Main thread, after a frame is drawn: hands a waiting screenshot request the frame's pixels
 * (a copy, no encoding) or its text listing. */
void app_services_capture(struct app *a)
{
    struct app_services *s = a->svc;
    if (s == NULL)
        return;
    SDL_LockMutex(s->shot_lock);
    if (s->shot_pending && !s->shot_ready) {
        free(s->shot_png);
        s->shot_png = NULL;
        SDL_FreeSurface(s->shot_pixels);
        s->shot_pixels = NULL;
        if (s->shot_text) {
            s->shot_png = (unsigned char *)gfx_text_listing(a->g, &s->shot_len);
        } else {
            s->shot_pixels = gfx_read_screen(a->ren, a->lw, a->lh);
            if (s->shot_pixels == NULL)
                LOG_WARN("admin", "screenshot failed: %s", SDL_GetError());
        }
        s->shot_ready = true;
        SDL_CondBroadcast(s->shot_done);
    }
    SDL_UnlockMutex(s->shot_lock);
}

static bool services_shot_wanted(struct app_services *s)
{
    SDL_LockMutex(s->shot_lock);
    bool wanted = s->shot_pending && !s->shot_ready;
    SDL_UnlockMutex(s->shot_lock);
    return wanted;
}

int app_services_start(struct app *a)
{
    char err[512];
    struct admin_options o;
    if (a->svc == NULL && app_services_early(a) != 0)
        return 1;
    admin_options_from_config(&o, a->cfg, a->clock);
    /* A token others can read is a door left open: refuse to start at all (systemd shows
     * why). Every other admin problem below only turns the API off. */
    struct stat st;
    if (o.listen != NULL && o.listen[0] != '\0' && o.token_file != NULL &&
        stat(o.token_file, &st) == 0 && (st.st_mode & 077) != 0) {
        LOG_ERROR("admin", "%s is readable by group or others (mode %03o): refusing to start; "
                  "chmod 600 it", o.token_file, (unsigned)(st.st_mode & 0777));
        return 2;
    }
    o.on_change = on_admin_change;
    o.on_change_ctx = a;
    o.screenshot = on_admin_screenshot;
    o.screenshot_ctx = a;
    o.screen_text = on_admin_screen_text;
    a->admin = admin_create(&o, err, sizeof err);
    if (a->admin == NULL) {
        /* A kiosk that refuses to start shows visitors a black screen, and nobody is there
         * to fix it: keep showing the listings and the announcements already stored, and say
         * loudly (log and status line for staff) that the admin API is off. */
        LOG_ERROR("admin", "admin API not started: %s", err);
        o.listen = "";
        a->admin = admin_create(&o, err, sizeof err);
        if (a->admin == NULL)
            LOG_ERROR("admin", "stored announcements not loaded: %s", err);
        sys_notify_status("admin API not started: see the log");
    }
    app_services_take_direct(a);
    if (sys_signals_start_waker(services_wake, a) != 0)
        LOG_WARN("app", "no signal waker thread: signals are seen at the next wake-up");
    return 0;
}

void app_services_take_direct(struct app *a)
{
    if (a->admin == NULL)
        return;
    struct ann_list *l = admin_snapshot_direct(a->admin);
    if (l != NULL) {
        model_set_direct(a->m, l);
        a->redraw = true;
        /* Staff listing right after a change should see it: push status at the next tick. */
        if (a->svc != NULL)
            a->svc->last_status_ms = INT64_MIN / 2;
    }
}

static void services_push_status(struct app *a)
{
    struct admin_status st;
    const struct model *m = a->m;
    memset(&st, 0, sizeof st);
    st.last_sync_at = m->last_sync_at;
    st.last_sync_ok = m->sync_state != MODEL_SYNC_FAILED;
    snprintf(st.last_sync_message, sizeof st.last_sync_message, "%s", m->last_sync_msg);
    st.content_fetched_at = m->content_fetched_at;
    st.feed_generated_at = m->feed ? feed_generated_at(m->feed) : 0;
    st.n_events = m->feed ? feed_count(m->feed, FEED_KIND_EVENT) : 0;
    st.n_volunteers = m->feed ? feed_count(m->feed, FEED_KIND_VOLUNTEER) : 0;
    st.n_announcements = ann_list_count(m->active);
    st.clock_synced = m->clock_synced;
    st.frames_drawn = a->frames;
    st.last_frame_at = a->last_frame_at;
    st.last_frame_ms = (int)a->last_frame_ms;
    st.active = m->active;
    admin_set_status(a->admin, &st);
}

static void services_reload(struct app *a)
{
    char err[512];
    sys_notify_reloading();
    if (a->args.config_path == NULL) {
        LOG_INFO("app", "SIGHUP: no config file to reload");
        sys_notify_ready();
        return;
    }
    struct config *c = config_load(a->args.config_path, err, sizeof err);
    if (c == NULL) {
        LOG_ERROR("app", "SIGHUP: keeping the old config: %s", err);
        sys_notify_ready();
        return;
    }
    /* What can change without a restart: hours and panel commands, idle and stale times.
     * Feed, admin and display settings apply at the next start; say so. */
    struct config *old = a->cfg;
    bool restart = strcmp(old->feed_url, c->feed_url) != 0 ||
                   strcmp(old->admin_listen, c->admin_listen) != 0 ||
                   strcmp(old->state_dir, c->state_dir) != 0 || old->rotation != c->rotation;
    memcpy(old->hours, c->hours, sizeof old->hours);
    char **dates = old->closed_dates;
    size_t n_dates = old->n_closed_dates;
    old->closed_dates = c->closed_dates;
    old->n_closed_dates = c->n_closed_dates;
    c->closed_dates = dates;
    c->n_closed_dates = n_dates;
    char *tmp = old->panel_off_cmd;
    old->panel_off_cmd = c->panel_off_cmd;
    c->panel_off_cmd = tmp;
    tmp = old->panel_on_cmd;
    old->panel_on_cmd = c->panel_on_cmd;
    c->panel_on_cmd = tmp;
    old->panel_cmd_timeout_s = c->panel_cmd_timeout_s;
    config_free(c);
    a->svc->hours_known = 0;
    a->redraw = true;
    LOG_INFO("app", "SIGHUP: config reloaded%s",
             restart ? " (feed, admin, state and rotation changes apply after a restart)" : "");
    sys_notify_ready();
}

static void services_hours(struct app *a, int64_t now)
{
    struct app_services *s = a->svc;
    if (s->hours_known != 0 && now < s->hours_next_change && now >= a->last_hours_check)
        return;
    a->last_hours_check = now;
    bool open = sys_hours_is_open(a->cfg, now);
    s->hours_next_change = sys_hours_next_change(a->cfg, now);
    if (s->hours_next_change < 0)
        s->hours_next_change = now + 86400;
    int state = open ? 1 : -1;
    if (state != s->hours_known) {
        if (s->hours_known != 0 || !open) {
            const char *cmd = open ? a->cfg->panel_on_cmd : a->cfg->panel_off_cmd;
            if (cmd[0] != '\0')
                sys_panel_run(s->panel, cmd, a->cfg->panel_cmd_timeout_s);
            LOG_INFO("app", "%s", open ? "opening hours: open" : "opening hours: closed");
        }
        s->hours_known = state;
        a->closed = !open;
        a->next_open = open ? 0 : sys_hours_next_open(a->cfg, now);
        ui_set_closed(a->ui, a->closed, a->next_open, app_ms(a));
        a->redraw = true;
    }
}

void app_services_tick(struct app *a, bool progressed)
{
    struct app_services *s = a->svc;
    if (s == NULL)
        return;
    int64_t ms = kclock_mono_ms();
    if (sys_signals_pending()) {
        unsigned bits = sys_signals_take();
        if (bits & SYS_SIGNAL_STOP) {
            LOG_INFO("app", "signal %d: finishing the frame and stopping",
                     sys_signals_stop_signo());
            sys_notify_stopping();
            a->quit = true;
        }
        if (bits & SYS_SIGNAL_RELOAD)
            services_reload(a);
    }
    services_hours(a, kclock_now(&a->clock));
    if (services_shot_wanted(s))
        a->redraw = true;
    if (!s->ready_sent && a->frames > 0) {
        sys_notify_ready();
        s->ready_sent = true;
    }
    /* An idle loop wakes at least once a second, so a live kiosk always gets here; a
     * renderer hung inside a draw never does. */
    if (s->watchdog_ms > 0 && progressed && ms - s->last_ping_ms >= s->watchdog_ms / 2) {
        sys_notify_watchdog();
        s->last_ping_ms = ms;
    }
    if (a->admin != NULL && ms - s->last_status_ms >= SERVICES_STATUS_EVERY_MS) {
        services_push_status(a);
        s->last_status_ms = ms;
    }
}

void app_services_stop(struct app *a)
{
    struct app_services *s = a->svc;
    admin_free(a->admin);
    a->admin = NULL;
    if (s == NULL)
        return;
    sys_panel_free(s->panel);
    free(s->shot_png);
    SDL_FreeSurface(s->shot_pixels);
    if (s->shot_done)
        SDL_DestroyCond(s->shot_done);
    if (s->shot_lock)
        SDL_DestroyMutex(s->shot_lock);
    if (s->shot_serial)
        SDL_DestroyMutex(s->shot_serial);
    free(s);
    a->svc = NULL;
}
