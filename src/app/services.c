/* services: see services.h.
 *
 * The watchdog is fed only from here, and only after an iteration that really drew a frame
 * or handled events, or after an idle sleep that returned: a renderer stuck inside a draw
 * never reaches this code, so systemd restarts it. The loop sleeps for minutes when idle,
 * so the ping is a deadline of its own (app_services_next_wait_ms): the loop wakes for it,
 * runs a whole iteration, and only then pings. The screenshot for staff is read back by
 * the main thread at the next frame, because only it may touch the renderer; the admin's
 * screenshot thread waits for the pixels on a condition variable, with a timeout so a frozen
 * screen cannot hold a connection forever, and encodes the PNG itself: encoding a 1080p
 * frame takes ~50 ms that the main thread must not lose. */
#include "app/services.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>

#include "admin/admin.h"
#include "app/app.h"
#include "app/waitloop.h"
#include "feed/feed_select.h"
#include "sys/display.h"
#include "sys/hours.h"
#include "sys/panel.h"
#include "sys/sdnotify.h"
#include "sys/signals.h"
#include "sys/usage.h"
#include "ui/ui.h"
#include "util/fsio.h"
#include "util/log.h"

#define SERVICES_STATUS_EVERY_MS 2000
/* While a panel command runs, how often the loop looks for its outcome (it sends none). */
#define SERVICES_PANEL_POLL_MS 200
#define SERVICES_SHOT_TIMEOUT_MS 5000
/* A config read at SIGHUP that takes longer than this is logged (a network mount). */
#define SERVICES_RELOAD_SLOW_MS 2000

/* Tags of the panel commands, so a finished result says which one ran. */
enum { SERVICES_PANEL_TAG_OFF = 1, SERVICES_PANEL_TAG_ON = 2 };

struct services_reload;

struct app_services {
    struct sys_panel *panel;
    struct services_reload *reload; /* a SIGHUP's config read under way, or NULL */
    struct usage *usage;            /* the usage counts the ui reports (sys/usage.h), or NULL */
    int64_t started_at;             /* wall clock at app_services_start */
    bool reload_again;              /* another SIGHUP came during it */
    bool reload_warned;
    int64_t watchdog_ms; /* 0 when not under a systemd watchdog */
    int64_t last_ping_ms;
    int64_t last_status_ms;
    bool status_held; /* something may have changed since the status last pushed */
    bool ready_sent;
    int64_t hours_next_change;
    int hours_known;        /* 0 unknown, 1 open, -1 closed */
    uint64_t feed_anns_gen; /* model generation whose feed announcements the admin has */
    bool started;           /* app_services_start ran: stored announcements are known */
    int panel_state;        /* as commanded: -1 not decided yet, 0 off, 1 on */
    bool panel_reissue;     /* SIGHUP: the commands may have changed */
    enum sys_panel_why panel_why;
    int64_t panel_since; /* the app's clock when panel_state or panel_why last changed */
    struct sys_panel_result panel_last; /* the last finished command, as noted */
    int64_t panel_last_at;              /* the app's clock when that command was seen to finish */

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
    if (!a->svc) {
        return -1;
    }
    a->svc->shot_lock = SDL_CreateMutex();
    a->svc->shot_done = SDL_CreateCond();
    a->svc->shot_serial = SDL_CreateMutex();
    a->svc->panel = sys_panel_create();
    if (!a->svc->shot_lock || !a->svc->shot_done || !a->svc->shot_serial || !a->svc->panel) {
        LOG_ERROR("app", "out of memory");
        return -1;
    }
    a->svc->watchdog_ms = sys_watchdog_interval_ms();
    a->svc->panel_state = -1;
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
    waitloop_wake(a->loop);
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
        if (left <= 0 || SDL_CondWaitTimeout(s->shot_done, s->shot_lock, (Uint32)left) < 0) {
            break;
        }
    }
    if (s->shot_ready && text && s->shot_png) {
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
    if (pixels) {
        int64_t t0 = kclock_mono_ms();
        if (gfx_encode_png(pixels, png, len) == 0) {
            rc = 0;
        } else {
            LOG_WARN("admin", "screenshot: PNG encoding failed: %s", SDL_GetError());
        }
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
    if (!s) {
        return;
    }
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
            if (!s->shot_pixels) {
                LOG_WARN("admin", "screenshot failed: %s", SDL_GetError());
            }
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

/* The ui's counter sink: what a visitor did, to the usage counts (no storage in the ui). */
static void services_count(void *ctx, const struct ui_count_event *e)
{
    static const enum usage_counter screens[] = {
        [UI_SCREEN_HOME] = USAGE_SCREEN_HOME,
        [UI_SCREEN_LIST] = USAGE_SCREEN_LIST,
        [UI_SCREEN_DETAIL] = USAGE_SCREEN_DETAIL,
        [UI_SCREEN_ANNOUNCEMENTS] = USAGE_SCREEN_ANNOUNCEMENTS,
        /* grants, desks, rooms and groups count as the lists and details they are */
        [UI_SCREEN_KINDS] = USAGE_SCREEN_LIST,
        [UI_SCREEN_KIND_DETAIL] = USAGE_SCREEN_DETAIL,
    };
    struct usage *u = ctx;

    switch (e->what) {
    case UI_COUNT_SESSION:
        usage_count(u, USAGE_SESSIONS, 1);
        break;
    case UI_COUNT_SCREEN:
        if ((unsigned)e->screen < sizeof screens / sizeof screens[0]) {
            usage_count(u, screens[e->screen], 1);
        }
        break;
    case UI_COUNT_LISTING:
        usage_listing_opened(u, e->id, e->title, e->category);
        break;
    case UI_COUNT_QR:
        usage_listing_qr(u, e->id, e->ms);
        break;
    case UI_COUNT_ATTRACT_QR:
        usage_count(u, USAGE_ATTRACT_QR_SHOWN, 1);
        break;
    case UI_COUNT_FILTER:
        usage_count(u, USAGE_FILTERS_USED, 1);
        usage_count_tag(u, USAGE_TAG_FILTER, e->name);
        break;
    case UI_COUNT_LANGUAGE:
        usage_count_tag(u, USAGE_TAG_LANGUAGE, e->name);
        break;
    case UI_COUNT_LARGE_TEXT:
        usage_count_tag(u, USAGE_TAG_DISPLAY, "large_text");
        break;
    }
}

/* <state_dir>/usage; without a state dir nothing is counted. */
static void services_usage_start(struct app *a)
{
    char dir[4096];

    a->svc->started_at = kclock_now(&a->clock);
    if (!a->cfg->state_dir[0] ||
        snprintf(dir, sizeof dir, "%s/usage", a->cfg->state_dir) >= (int)sizeof dir) {
        return;
    }
    struct usage_options uo = {.dir = dir,
                               .retain_fiscal_years = a->cfg->usage_retain_fiscal_years,
                               .flush_interval_s = a->cfg->usage_flush_interval_s,
                               .clock = a->clock};
    a->svc->usage = usage_create(&uo);
    if (!a->svc->usage) {
        LOG_WARN("app", "usage counts off: %s cannot be used", dir);
        return;
    }
    ui_set_counter_sink(a->ui, &(struct ui_counter_sink){services_count, a->svc->usage});
}

int app_services_start(struct app *a)
{
    char err[512];
    struct admin_options o;
    if (!a->svc && app_services_early(a) != 0) {
        return 1;
    }
    services_usage_start(a);
    admin_options_from_config(&o, a->cfg, a->clock);
    o.usage = a->svc->usage;
    /* A token others can read is a door left open: refuse to start at all (systemd shows
     * why). Every other admin problem below only turns the API off. */
    struct stat st;
    int fd = -1;
    if (o.listen && o.listen[0] != '\0' && o.token_file) {
        fd = fsio_open_regular(o.token_file);
    }
    if (fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) {
        LOG_ERROR("admin",
                  "%s is readable by group or others (mode %03o): refusing to start; "
                  "chmod 600 it",
                  o.token_file, (unsigned)(st.st_mode & 0777));
        close(fd);
        return 2;
    }
    if (fd >= 0) {
        close(fd);
    }
    if (fd == -EINVAL) {
        /* A FIFO in the token's place would hold the admin API's open() for ever, and the
         * kiosk with it: the screen goes on, the API stays off. */
        LOG_ERROR("admin", "admin API not started: admin token file %s is %s", o.token_file,
                  fsio_strerror(fd));
        sys_notify_status("admin API not started: see the log");
        o.listen = "";
    }
    o.on_change = on_admin_change;
    o.on_change_ctx = a;
    o.screenshot = on_admin_screenshot;
    o.screenshot_ctx = a;
    o.screen_text = on_admin_screen_text;
    struct ann_list *feed_anns = model_feed_announcements(a->m);
    o.feed_anns = feed_anns;
    a->admin = admin_create(&o, err, sizeof err);
    if (!a->admin) {
        /* A kiosk that refuses to start shows visitors a black screen, and nobody is there
         * to fix it: keep showing the listings and the announcements already stored, and say
         * loudly (log and status line for staff) that the admin API is off. */
        LOG_ERROR("admin", "admin API not started: %s", err);
        o.listen = "";
        a->admin = admin_create(&o, err, sizeof err);
        if (!a->admin) {
            LOG_ERROR("admin", "stored announcements not loaded: %s", err);
        }
        sys_notify_status("admin API not started: see the log");
    }
    ann_list_free(feed_anns);
    app_services_take_direct(a);
    a->svc->started = true;
    if (sys_signals_start_waker(services_wake, a) != 0) {
        LOG_WARN("app", "no signal waker thread: signals are seen at the next wake-up");
    }
    return 0;
}

void app_services_take_direct(struct app *a)
{
    if (!a->admin) {
        return;
    }
    struct ann_list *l = admin_snapshot_direct(a->admin);
    if (l) {
        app_safety_staff_changed(a, l);
        model_set_direct(a->m, l);
        a->redraw = true;
        /* Staff listing right after a change should see it: push status at the next tick. */
        if (a->svc) {
            a->svc->last_status_ms = INT64_MIN / 2;
        }
    }
}

static void services_push_status(struct app *a)
{
    struct admin_status st;
    const struct model *m = a->m;
    memset(&st, 0, sizeof st);
    st.started_at = a->svc->started_at;
    for (size_t i = 0; i < MODEL_MAX_SOURCES && st.n_sources < ADMIN_MAX_SOURCES; i++) {
        const struct model_source *src = &m->sources[i];
        struct admin_source_status *o = &st.sources[st.n_sources];
        if (!src->used) {
            continue;
        }
        snprintf(o->name, sizeof o->name, "%s", src->name);
        snprintf(o->format, sizeof o->format, "%s", src->format);
        o->has_content = src->feed;
        o->last_ok_at = src->last_ok_at;
        o->last_error_at = src->last_error_at;
        snprintf(o->last_error, sizeof o->last_error, "%s", src->last_error);
        snprintf(o->fail_class, sizeof o->fail_class, "%s", src->fail_class);
        o->n_events = feed_count(src->feed, FEED_KIND_EVENT);
        o->n_volunteers = feed_count(src->feed, FEED_KIND_VOLUNTEER);
        o->n_dropped = feed_drop_count(src->feed);
        for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
            o->n_extra[k] = feed_extra_count(src->feed, (enum feed_extra_kind)k);
        }
        st.n_sources++;
    }
    st.last_sync_at = m->last_sync_at;
    st.last_sync_ok = m->sync_state != MODEL_SYNC_FAILED;
    snprintf(st.last_sync_message, sizeof st.last_sync_message, "%s", m->last_sync_msg);
    st.content_fetched_at = m->content_fetched_at;
    st.feed_generated_at = m->feed ? feed_generated_at(m->feed) : 0;
    st.n_events = m->feed ? feed_count(m->feed, FEED_KIND_EVENT) : 0;
    st.n_volunteers = m->feed ? feed_count(m->feed, FEED_KIND_VOLUNTEER) : 0;
    for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
        st.n_extra[k] = feed_extra_count(m->feed, (enum feed_extra_kind)k);
    }
    st.n_announcements = ann_list_count(m->active);
    st.clock_synced = m->clock_synced;
    st.frames_drawn = a->frames;
    st.last_frame_at = a->last_frame_at;
    st.last_frame_ms = (int)a->last_frame_ms;
    st.active = m->active;
    /* Copied only when something changed; NULL (also when memory runs out) keeps the
     * admin's copy as it was. */
    struct app_services *s = a->svc;
    struct ann_list *feed_anns = NULL;
    if (s->feed_anns_gen != m->generation) {
        feed_anns = model_feed_announcements(m);
        if (feed_anns) {
            s->feed_anns_gen = m->generation;
        }
    }
    st.feed_anns = feed_anns;
    if (s->panel_state >= 0) {
        snprintf(st.panel_state, sizeof st.panel_state, "%s", s->panel_state ? "on" : "off");
        snprintf(st.panel_reason, sizeof st.panel_reason, "%s", sys_panel_why_name(s->panel_why));
    }
    st.panel_since = s->panel_since;
    st.panel_commands = a->cfg->panel_on_cmd[0] != '\0' || a->cfg->panel_off_cmd[0] != '\0';
    const struct sys_panel_result *r = &s->panel_last;
    if (r->outcome != SYS_PANEL_NONE) {
        snprintf(st.panel_last_command, sizeof st.panel_last_command, "%s",
                 r->tag == SERVICES_PANEL_TAG_ON ? "on" : "off");
        snprintf(st.panel_last_outcome, sizeof st.panel_last_outcome, "%s",
                 sys_panel_outcome_name(r->outcome));
        st.panel_last_status = r->status;
        st.panel_last_at = s->panel_last_at;
        st.panel_last_ms = r->elapsed_ms;
    }
    admin_set_status(a->admin, &st);
    ann_list_free(feed_anns);
}

/* What can change without a restart: hours and panel commands, idle and stale times.
 * Feed, admin and display settings apply at the next start; say so. Takes `c`. */
static bool str_differs(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") != 0;
}

/* True when the sources differ in anything the running sync copied at its start. */
static bool sources_differ(const struct config *a, const struct config *b)
{
    if (a->upgrade_http_urls != b->upgrade_http_urls ||
        a->ical_window_days != b->ical_window_days) {
        return true;
    }
    for (size_t i = 0; i < CONFIG_MAX_SOURCES; i++) {
        const struct config_source *x = &a->sources[i], *y = &b->sources[i];
        if (str_differs(x->url, y->url) || str_differs(x->label, y->label) ||
            str_differs(x->category, y->category) || x->volunteers != y->volunteers) {
            return true;
        }
    }
    return false;
}

static void services_reload_apply(struct app *a, struct config *c)
{
    struct config *old = a->cfg;
    bool restart = sources_differ(old, c) || strcmp(old->feed_url, c->feed_url) != 0 ||
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
    /* the commands may have changed: say again what the panel should be */
    a->svc->panel_reissue = true;
    a->redraw = true;
    LOG_INFO("app", "SIGHUP: config reloaded%s",
             restart ? " (source, admin, state and rotation changes apply after a restart)" : "");
}

/* A config read for SIGHUP, on a thread of its own: a slow file (a network mount, a FUSE
 * file system) must not hold the frame loop, so the screen goes on with the old config
 * until the new one is read. The box is shared by the reader and the services: the reader
 * frees it when the services stopped first (abandoned), the services otherwise. */
struct services_reload {
    pthread_mutex_t lock;
    char *path;
    struct app *a;      /* to wake the loop; not used once abandoned */
    struct config *cfg; /* the result, or NULL with err */
    char err[512];
    bool done;
    bool abandoned;
    int64_t started_ms;
};

static void services_reload_free(struct services_reload *r)
{
    pthread_mutex_destroy(&r->lock);
    config_free(r->cfg);
    free(r->path);
    free(r);
}

static void *services_reload_main(void *arg)
{
    struct services_reload *r = arg;
    char err[512] = "";
    struct config *c = config_load(r->path, err, sizeof err);
    bool abandoned;

    pthread_mutex_lock(&r->lock);
    r->cfg = c;
    snprintf(r->err, sizeof r->err, "%s", err);
    r->done = true;
    abandoned = r->abandoned;
    if (!abandoned) {
        app_wake(r->a);
    }
    pthread_mutex_unlock(&r->lock);
    if (abandoned) {
        services_reload_free(r);
    }
    return NULL;
}

/* SIGHUP: starts the reader, or marks a second read when one is still under way. */
static void services_reload(struct app *a)
{
    struct app_services *s = a->svc;
    pthread_t thread;
    int rc;

    if (!a->args.config_path) {
        LOG_INFO("app", "SIGHUP: no config file to reload");
        return;
    }
    if (s->reload) {
        LOG_WARN("app",
                 "SIGHUP: %s is still being read since the last SIGHUP; it is read "
                 "again when that is done",
                 a->args.config_path);
        s->reload_again = true;
        return;
    }
    sys_notify_reloading();
    struct services_reload *r = calloc(1, sizeof *r);
    if (r && !(r->path = strdup(a->args.config_path))) {
        free(r);
        r = NULL;
    }
    if (!r || pthread_mutex_init(&r->lock, NULL) != 0) {
        if (r) {
            free(r->path);
        }
        free(r);
        LOG_ERROR("app", "SIGHUP: keeping the old config: out of memory");
        sys_notify_ready();
        return;
    }
    r->a = a;
    r->started_ms = kclock_mono_ms();
    rc = pthread_create(&thread, NULL, services_reload_main, r);
    if (rc != 0) {
        LOG_ERROR("app", "SIGHUP: keeping the old config: cannot start a reader: %s", strerror(rc));
        services_reload_free(r);
        sys_notify_ready();
        return;
    }
    pthread_detach(thread);
    s->reload = r;
    s->reload_warned = false;
}

/* Applies what the reader brought back, once it is done. Main thread. */
static void services_reload_take(struct app *a)
{
    struct app_services *s = a->svc;
    struct services_reload *r = s->reload;
    int64_t took;
    bool done;

    if (!r) {
        return;
    }
    pthread_mutex_lock(&r->lock);
    done = r->done;
    pthread_mutex_unlock(&r->lock);
    took = kclock_mono_ms() - r->started_ms;
    if (!done) {
        if (took >= SERVICES_RELOAD_SLOW_MS && !s->reload_warned) {
            LOG_WARN("app",
                     "SIGHUP: %s is still being read after %lld ms; the screen goes "
                     "on with the old config",
                     r->path, (long long)took);
            s->reload_warned = true;
        }
        return;
    }
    s->reload = NULL;
    struct config *c = r->cfg;
    r->cfg = NULL;
    if (!c) {
        LOG_ERROR("app", "SIGHUP: keeping the old config: %s", r->err);
    } else {
        if (took >= SERVICES_RELOAD_SLOW_MS) {
            LOG_INFO("app", "SIGHUP: %s took %lld ms to read", r->path, (long long)took);
        }
        services_reload_apply(a, c);
    }
    services_reload_free(r);
    sys_notify_ready();
    if (s->reload_again) {
        s->reload_again = false;
        services_reload(a);
    }
}

/* The hours the screens show: today's while open, the next opening day's while closed. */
static void services_show_hours(struct app *a, int64_t now, bool open)
{
    struct ui_hours h = {0, 0, a->cfg->closed_screen_black};
    int64_t t = open ? now : a->next_open;
    if (t <= 0 || !sys_hours_day(a->cfg, t, &h.open, &h.close)) {
        h.open = h.close = 0;
    }
    ui_set_hours(a->ui, &h);
}

static void services_hours(struct app *a, int64_t now)
{
    struct app_services *s = a->svc;
    if (s->hours_known != 0 && now < s->hours_next_change && now >= a->last_hours_check) {
        return;
    }
    a->last_hours_check = now;
    bool open = sys_hours_is_open(a->cfg, now);
    s->hours_next_change = sys_hours_next_change(a->cfg, now);
    if (s->hours_next_change < 0) {
        s->hours_next_change = now + 86400;
    }
    int state = open ? 1 : -1;
    if (state != s->hours_known) {
        if (s->hours_known != 0 || !open) {
            LOG_INFO("app", "%s", open ? "opening hours: open" : "opening hours: closed");
        }
        s->hours_known = state;
        a->closed = !open;
        a->next_open = open ? 0 : sys_hours_next_open(a->cfg, now);
        ui_set_closed(a->ui, a->closed, a->next_open, app_ms(a));
        a->redraw = true;
    }
    services_show_hours(a, now, open);
}

/* Whether the screen shows an emergency now: the merged, active list the ui draws, so an
 * emergency from the admin API, the feed or the announcements document counts alike, and
 * one that ended (DELETE, ends_at passed) no longer does. */
/* Runs panel_on_cmd or panel_off_cmd when what the panel should be changes: the hours or an
 * emergency while closed. At start (and after SIGHUP) the panel is assumed on, as the board
 * boots with it on: only an off, or an on for an emergency, is commanded then. The command
 * runs on the panel's worker; this never waits for it. */
static void services_panel(struct app *a, int64_t now)
{
    struct app_services *s = a->svc;
    if (!s->started) {
        return; /* the stored emergencies are not loaded yet: no off before their on */
    }
    struct sys_panel_want w = sys_panel_decide(!a->closed, ann_list_has_emergency(a->m->active));
    struct sys_panel_result r;
    int state = w.on ? 1 : 0;

    sys_panel_last(s->panel, &r);
    if (r.seq != s->panel_last.seq) {
        s->panel_last = r;
        s->panel_last_at = now;
        s->last_status_ms = INT64_MIN / 2; /* staff see the outcome at once */
    }
    if (state == s->panel_state && w.why == s->panel_why && !s->panel_reissue) {
        return;
    }
    /* An off, or an on for an emergency, is said again at start and after SIGHUP; an on for
     * the hours only when the panel was commanded off. */
    bool again = s->panel_state < 0 || s->panel_reissue;
    bool changed = s->panel_state >= 0 && state != s->panel_state;
    if (changed || (again && (!w.on || w.why == SYS_PANEL_WHY_EMERGENCY))) {
        const char *cmd = w.on ? a->cfg->panel_on_cmd : a->cfg->panel_off_cmd;
        if (cmd[0] != '\0' &&
            sys_panel_run_tagged(s->panel, cmd, a->cfg->panel_cmd_timeout_s,
                                 w.on ? SERVICES_PANEL_TAG_ON : SERVICES_PANEL_TAG_OFF) != 0) {
            LOG_ERROR("app", "panel: out of memory: the panel stays as it is");
        }
        LOG_INFO("app", "panel %s (%s)%s", w.on ? "on" : "off", sys_panel_why_name(w.why),
                 cmd[0] != '\0' ? "" : ": no panel command configured");
    }
    if (state != s->panel_state || w.why != s->panel_why) {
        s->panel_since = now;
        s->last_status_ms = INT64_MIN / 2;
    }
    s->panel_state = state;
    s->panel_why = w.why;
    s->panel_reissue = false;
}

void app_services_tick(struct app *a, bool progressed)
{
    struct app_services *s = a->svc;
    if (!s) {
        return;
    }
    int64_t ms = kclock_mono_ms();
    if (sys_signals_pending()) {
        unsigned bits = sys_signals_take();
        if (bits & SYS_SIGNAL_STOP) {
            LOG_INFO("app", "signal %d: finishing the frame and stopping",
                     sys_signals_stop_signo());
            sys_notify_stopping();
            a->quit = true;
        }
        if (bits & SYS_SIGNAL_RELOAD) {
            services_reload(a);
        }
    }
    services_reload_take(a);
    services_hours(a, kclock_now(&a->clock));
    services_panel(a, kclock_now(&a->clock));
    if (services_shot_wanted(s)) {
        a->redraw = true;
    }
    if (!s->ready_sent && a->frames > 0) {
        sys_notify_ready();
        s->ready_sent = true;
    }
    /* The loop wakes for the ping's deadline, so a live kiosk always gets here; a renderer
     * hung inside a draw never does. */
    if (s->watchdog_ms > 0 && progressed && ms - s->last_ping_ms >= s->watchdog_ms / 2) {
        sys_notify_watchdog();
        s->last_ping_ms = ms;
    }
    /* Each wake may change what staff see; the rate limit holds an update back, and the
     * loop wakes when it lapses. An idle kiosk pushes nothing new. */
    if (a->admin && ms - s->last_status_ms >= SERVICES_STATUS_EVERY_MS) {
        services_push_status(a);
        s->last_status_ms = ms;
        s->status_held = false;
    } else if (a->admin) {
        s->status_held = true;
    }
    /* at most every usage_flush_interval_s: a few KB and an fsync, between frames */
    usage_flush(s->usage, false);
}

static int64_t sooner(int64_t best, int64_t d)
{
    if (d < 0) {
        d = 0;
    }
    return best < 0 || d < best ? d : best;
}

int64_t app_services_next_wait_ms(struct app *a)
{
    struct app_services *s = a->svc;
    int64_t best = -1;
    if (!s) {
        return -1;
    }
    int64_t ms = kclock_mono_ms();
    if (s->watchdog_ms > 0) {
        best = sooner(best, s->last_ping_ms + s->watchdog_ms / 2 - ms);
    }
    if (s->status_held) {
        best = sooner(best, s->last_status_ms + SERVICES_STATUS_EVERY_MS - ms);
    }
    if (s->hours_known != 0) {
        /* the app's clock counts seconds: at worst this wakes a second early, then again */
        int64_t left = (s->hours_next_change - kclock_now(&a->clock)) * 1000;
        best = sooner(best, (int64_t)((double)left / a->rate));
    }
    if (s->panel && sys_panel_busy(s->panel)) {
        best = sooner(best, SERVICES_PANEL_POLL_MS); /* its outcome, for the status */
    } else if (s->panel) {
        /* a command that finished after this pass read its outcome: take it now, or staff
         * would see the old command until some other wake */
        struct sys_panel_result r;
        sys_panel_last(s->panel, &r);
        if (r.seq != s->panel_last.seq) {
            best = 0;
        }
    }
    return best;
}

void app_services_stop(struct app *a)
{
    struct app_services *s = a->svc;
    admin_free(a->admin);
    a->admin = NULL;
    if (!s) {
        return;
    }
    /* the admin (which reads the counts) is gone: the last flush, then free */
    if (a->ui) {
        ui_set_counter_sink(a->ui, NULL);
    }
    usage_free(s->usage);
    s->usage = NULL;
    if (s->reload) {
        /* a reader stuck on a slow file: it frees the box when it returns */
        struct services_reload *r = s->reload;
        bool done;
        pthread_mutex_lock(&r->lock);
        r->abandoned = true;
        done = r->done;
        pthread_mutex_unlock(&r->lock);
        if (done) {
            services_reload_free(r);
        }
        s->reload = NULL;
    }
    sys_panel_free(s->panel);
    free(s->shot_png);
    SDL_FreeSurface(s->shot_pixels);
    if (s->shot_done) {
        SDL_DestroyCond(s->shot_done);
    }
    if (s->shot_lock) {
        SDL_DestroyMutex(s->shot_lock);
    }
    if (s->shot_serial) {
        SDL_DestroyMutex(s->shot_serial);
    }
    free(s);
    a->svc = NULL;
}
