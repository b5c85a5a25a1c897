/* safety: the automatic JMA and CAP announcements, between the safety worker and the model.
 *
 * The worker (net/safety_worker.h) polls on its own thread and hands over the announcements
 * document it holds after every change; here that document crosses to the main thread as an
 * SDL user event, is parsed with the announcements rules and becomes the model's safety
 * document, which ann_merge shows below the staff's own of the same level. At start-up the
 * cached document is shown before any network (a kiosk restarted mid-warning shows it again),
 * and when staff take an automatic announcement down (a DELETE of its id through the admin
 * API) the worker is told, so the same report does not put it back. */
#include "app/app.h"
#include "app/services.h"
#include "app/waitloop.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/safety.h"
#include "net/safety_worker.h"
#include "util/log.h"

static bool safety_configured(const struct config *c)
{
    return c->jma_extra_url[0] || c->jma_eqvol_url[0] || c->cap_url[0];
}

static void safety_take_doc(struct app *a, char *doc, size_t len)
{
    char err[256];
    struct feed *f = feed_parse_announcements(doc, len, NULL, err, sizeof err);

    if (!f) {
        /* the worker wrote it; this would be a bug, and the last list stays shown */
        LOG_ERROR("safety", "the worker's document was refused: %s", err);
        return;
    }
    model_set_safety_doc(a->m, f);
    a->redraw = true;
}

void app_safety_load_cache(struct app *a)
{
    size_t len = 0;
    char *doc;

    if (!safety_configured(a->cfg) || !a->cfg->state_dir[0]) {
        return;
    }
    doc = safety_cache_load(a->cfg->state_dir, kclock_now(&a->clock), &len);
    if (doc) {
        safety_take_doc(a, doc, len);
        free(doc);
    }
}

/* Worker thread: hand the document to the main thread. */
static void safety_deliver(void *ctx, char *doc, size_t len)
{
    struct app *a = ctx;
    SDL_Event e;

    memset(&e, 0, sizeof e);
    e.type = a->ev_base + APP_EV_SAFETY;
    e.user.data1 = doc;
    e.user.data2 = (void *)(uintptr_t)len;
    if (SDL_PushEvent(&e) != 1) {
        LOG_WARN("safety", "event queue full: a safety update waits for the next one");
        free(doc);
        return;
    }
    if (a->loop) {
        waitloop_wake(a->loop);
    }
}

void app_safety_take_event(struct app *a, const SDL_Event *e)
{
    char *doc = e->user.data1;
    safety_take_doc(a, doc, (size_t)(uintptr_t)e->user.data2);
    free(doc);
}

int app_safety_start(struct app *a)
{
    const struct config *c = a->cfg;
    struct safety_worker_opts o;
    size_t n = 0;

    if (!safety_configured(c)) {
        return 0;
    }
    memset(&o, 0, sizeof o);
    jma_config_default(&o.poll.jma);
    cap_config_default(&o.poll.cap);
    o.poll.jma.area_code = c->jma_area_code;
    o.poll.jma.quake_area = c->jma_quake_area;
    o.poll.jma.tsunami_area = c->jma_tsunami_area;
    o.poll.jma.show_advisories = c->jma_show_advisories;
    o.poll.jma.drill_mode = c->drill_mode;
    o.poll.jma.quake_max_age_s = c->quake_max_age_s;
    o.poll.cap.area_code = c->cap_area_code;
    o.poll.cap.show_unlocated = c->cap_show_unlocated;
    o.poll.cap.drill_mode = c->drill_mode;
    o.poll.cap_signed = c->cap_signed;
    o.poll.keys = (const char *const *)c->announcement_keys;
    o.poll.n_keys = c->n_announcement_keys;
    o.poll.backoff_cap_s = c->backoff_cap_s;
    if (c->jma_extra_url[0]) {
        o.poll.urls[n] = c->jma_extra_url;
        o.poll.types[n++] = SAFETY_FEED_JMA;
    }
    if (c->jma_eqvol_url[0]) {
        o.poll.urls[n] = c->jma_eqvol_url;
        o.poll.types[n++] = SAFETY_FEED_JMA;
    }
    if (c->cap_url[0]) {
        o.poll.urls[n] = c->cap_url;
        o.poll.types[n++] = SAFETY_FEED_CAP;
    }
    o.poll.n_feeds = n;
    o.state_dir = c->state_dir;
    o.ca_file = c->ca_file;
    o.connect_timeout_s = c->connect_timeout_s;
    o.total_timeout_s = c->total_timeout_s;
    o.clock = a->clock;
    a->safety = safety_worker_start(&o, safety_deliver, a);
    if (!a->safety) {
        LOG_ERROR("safety", "cannot start the safety worker: JMA and CAP are not followed");
        return -1;
    }
    LOG_INFO("safety", "following %zu safety feed(s)", n);
    return 0;
}

void app_safety_staff_changed(struct app *a, const struct ann_list *direct)
{
    int64_t now = kclock_now(&a->clock);

    for (size_t i = 0; a->safety && i < ann_list_count(direct); i++) {
        const struct feed_announcement *d = ann_list_at(direct, i);
        bool automatic = strncmp(d->id, SAFETY_ID_JMA, strlen(SAFETY_ID_JMA)) == 0 ||
                         strncmp(d->id, SAFETY_ID_JMA_DRILL, strlen(SAFETY_ID_JMA_DRILL)) == 0 ||
                         strncmp(d->id, SAFETY_ID_CAP, strlen(SAFETY_ID_CAP)) == 0 ||
                         strncmp(d->id, SAFETY_ID_CAP_DRILL, strlen(SAFETY_ID_CAP_DRILL)) == 0;
        /* staff ended it (DELETE makes an ended entry of the same id that hides it) */
        if (automatic && !d->until_cleared && d->ends_at <= now &&
            safety_worker_ack(a->safety, d->id) != 0) {
            LOG_WARN("safety", "acknowledgement of %s queued later (worker busy)", d->id);
        }
    }
}

void app_safety_stop(struct app *a)
{
    safety_worker_stop(a->safety);
    a->safety = NULL;
}
