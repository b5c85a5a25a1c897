/* routes: the handlers of the admin API's routes and the responses they send.
 *
 * List, read, create or replace, and delete direct announcements (through admin/store.c,
 * under api_lock), and the kiosk's status. A handler runs once the guard has let the
 * request in and, for POST, once the capped body is complete; it parses with the same
 * rules as the feed and kioskctl (feed/announce.c) and answers JSON. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "admin/admin_internal.h"
#include "admin/healthcache.h"
#include "admin/store.h"
#include "util/fsio.h"
#include "util/jsonstrict.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/utf8.h"

/* ---- responses -------------------------------------------------------------------- */

enum MHD_Result admin_send(struct MHD_Connection *conn, unsigned status, char *body,
                           const char *type, const char *hname, const char *hvalue)
{
    enum MHD_Result ret;
    struct MHD_Response *resp;
    /* MUST_FREE hands `body` (malloc'd by cJSON or us) to libmicrohttpd. */
    resp = MHD_create_response_from_buffer(body ? strlen(body) : 0, body,
                                           body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (body) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (hname) {
        MHD_add_response_header(resp, hname, hvalue);
    }
    ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result admin_send_json(struct MHD_Connection *conn, unsigned status, cJSON *doc,
                                       const char *hname, const char *hvalue)
{
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    if (!text) {
        return MHD_NO;
    }
    return admin_send(conn, status, text, "application/json; charset=utf-8", hname, hvalue);
}

enum MHD_Result admin_error_h(struct MHD_Connection *conn, unsigned status, const char *hname,
                              const char *hvalue, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    cJSON *doc = cJSON_CreateObject();
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!doc || !cJSON_AddStringToObject(doc, "error", msg)) {
        cJSON_Delete(doc);
        return MHD_NO;
    }
    return admin_send_json(conn, status, doc, hname, hvalue);
}

/* ---- JSON helpers ----------------------------------------------------------------- */

static bool admin_add_time(cJSON *obj, const char *name, int64_t t)
{
    char buf[40];
    if (t == 0) {
        return cJSON_AddNullToObject(obj, name);
    }
    timeutil_format_iso8601(t, buf, sizeof buf);
    return cJSON_AddStringToObject(obj, name, buf);
}

/* Why a direct announcement is not on this kiosk's screen at `now`, or NULL when it is
 * (as far as its own window and targets go). */
static const char *admin_hidden_reason(const struct admin *a, const struct feed_announcement *an,
                                       int64_t now)
{
    if (now < an->starts_at) {
        return "not_started";
    }
    if (!ann_active(an, now)) {
        return "ended";
    }
    if (!ann_targets_match(an, a->target)) {
        return "targets";
    }
    return NULL;
}

/* Marks `item` with "active" (inside its window), "shown" and, when not shown, "reason":
 * an announcement for other kiosks is active but not shown here, and staff must see that. */
static bool admin_add_state(const struct admin *a, cJSON *item, const struct feed_announcement *an,
                            int64_t now)
{
    const char *why = admin_hidden_reason(a, an, now);
    return cJSON_AddBoolToObject(item, "active", ann_active(an, now)) &&
           cJSON_AddBoolToObject(item, "shown", !why) &&
           (!why || cJSON_AddStringToObject(item, "reason", why));
}

/* The announcements of `l` as a JSON array, each marked with whether it shows at `now`. */
static cJSON *admin_list_json(const struct admin *a, const struct ann_list *l, int64_t now)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && l && i < ann_list_count(l); i++) {
        const struct feed_announcement *an = ann_list_at(l, i);
        cJSON *item = ann_to_json(an);
        if (!item || !admin_add_state(a, item, an, now)) {
            cJSON_Delete(item);
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, item);
    }
    return arr;
}

static long long admin_rss_bytes(void)
{
    long long pages = -1, resident = -1;
    FILE *f = fopen("/proc/self/statm", "re");
    if (!f) {
        return -1;
    }
    if (fscanf(f, "%lld %lld", &pages, &resident) != 2) {
        resident = -1;
    }
    fclose(f);
    return resident < 0 ? -1 : resident * (long long)sysconf(_SC_PAGESIZE);
}

/* ---- routes ----------------------------------------------------------------------- */

enum MHD_Result admin_get_list(struct admin *a, struct MHD_Connection *conn)
{
    int64_t now = kclock_now(&a->clock);
    cJSON *doc = cJSON_CreateObject();
    cJSON *direct;
    if (!doc || !admin_add_time(doc, "now", now)) {
        goto oom;
    }
    /* api_lock keeps the list still while it is read, should requests ever run on more than
     * libmicrohttpd's one thread. */
    pthread_mutex_lock(&a->api_lock);
    direct = admin_list_json(a, admin_store_list(a->store), now);
    pthread_mutex_unlock(&a->api_lock);
    if (!direct) {
        goto oom;
    }
    cJSON_AddItemToObject(doc, "announcements", direct);
    pthread_mutex_lock(&a->status_lock);
    if (a->status_active) {
        cJSON *active = admin_list_json(a, a->status_active, now);
        if (active) {
            cJSON_AddItemToObject(doc, "active", active);
        }
    }
    pthread_mutex_unlock(&a->status_lock);
    return admin_send_json(conn, MHD_HTTP_OK, doc, NULL, NULL);
oom:
    cJSON_Delete(doc);
    return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
}

enum MHD_Result admin_get_one(struct admin *a, struct MHD_Connection *conn, const char *id)
{
    const struct feed_announcement *an;
    cJSON *doc = NULL;
    bool found, ok = false;
    pthread_mutex_lock(&a->api_lock);
    an = ann_list_find(admin_store_list(a->store), id);
    found = an;
    if (an) {
        doc = ann_to_json(an);
        ok = doc && admin_add_state(a, doc, an, kclock_now(&a->clock));
    }
    pthread_mutex_unlock(&a->api_lock);
    if (!found) {
        return admin_error(conn, MHD_HTTP_NOT_FOUND, "no announcement with id \"%s\"", id);
    }
    if (!ok) {
        cJSON_Delete(doc);
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    return admin_send_json(conn, MHD_HTTP_OK, doc, NULL, NULL);
}

enum MHD_Result admin_delete(struct admin *a, struct MHD_Connection *conn, const char *id,
                             const char *who)
{
    int rc;
    pthread_mutex_lock(&a->api_lock);
    rc = admin_store_remove(a->store, id, kclock_now(&a->clock));
    if (rc == -ENOENT) {
        /* not one of staff's own: a live announcement of the feed or an automatic safety
         * one (jma., cap.) is taken down by an ended entry of its id */
        rc = admin_store_hide(a->store, id, kclock_now(&a->clock));
    }
    pthread_mutex_unlock(&a->api_lock);
    if (rc == -ENOENT) {
        return admin_error(conn, MHD_HTTP_NOT_FOUND, "no announcement with id \"%s\"", id);
    }
    if (rc < 0) {
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
                           "could not save the change on the kiosk (%s); the announcement "
                           "was not deleted",
                           strerror(-rc));
    }
    LOG_AUDIT("admin", "announcement %s deleted by %s", id, who);
    /* The app's merged list arrives a frame later; until then a list that still showed the
     * deleted id as active would tell staff their clear did not work. */
    pthread_mutex_lock(&a->status_lock);
    if (a->status_active) {
        ann_list_remove(a->status_active, id);
    }
    pthread_mutex_unlock(&a->status_lock);
    if (a->on_change) {
        a->on_change(a->on_change_ctx);
    }
    return admin_send(conn, MHD_HTTP_NO_CONTENT, NULL, NULL, NULL, NULL);
}

static int admin_cmp_names(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Finds a member name given twice in one object anywhere in `v`. cJSON silently takes the
 * first and a script or proxy that checked the same body (Python, JavaScript) the last, so
 * the kiosk would show what nobody reviewed: such a body is refused. The recursion is
 * bounded by json_strict's depth limit. Returns 1 with *dup set, 0 when none, -ENOMEM. */
static int admin_dup_name(const cJSON *v, const char **dup)
{
    const cJSON *c;
    const char **names;
    size_t n = 0, i = 0;
    int rc;

    for (c = v->child; c; c = c->next) {
        n++;
        rc = admin_dup_name(c, dup);
        if (rc != 0) {
            return rc;
        }
    }
    if (!cJSON_IsObject(v) || n < 2) {
        return 0;
    }
    names = malloc(n * sizeof *names);
    if (!names) {
        return -ENOMEM;
    }
    for (c = v->child; c; c = c->next) {
        names[i++] = c->string ? c->string : "";
    }
    qsort(names, n, sizeof *names, admin_cmp_names);
    rc = 0;
    for (i = 1; i < n && rc == 0; i++) {
        if (strcmp(names[i - 1], names[i]) == 0) {
            *dup = names[i];
            rc = 1;
        }
    }
    free(names);
    return rc;
}

enum MHD_Result admin_post(struct admin *a, struct MHD_Connection *conn, struct admin_req *r,
                           const char *who)
{
    int64_t now = kclock_now(&a->clock);
    struct feed_announcement ann;
    char why[300], location[sizeof PATH_ANNS + ANN_ID_MAX + 2];
    cJSON *root = NULL, *doc = NULL;
    const struct feed_announcement *stored;
    enum MHD_Result ret;
    bool replaced = false;
    enum admin_store_result res;
    int sys_err = 0;

    memset(&ann, 0, sizeof ann);
    if (r->body.len == 0) {
        ret = admin_error(conn, MHD_HTTP_BAD_REQUEST,
                          "the request body is empty: send one announcement as a JSON object");
        goto out;
    }
    if (!utf8_valid(r->body.data, r->body.len)) {
        ret = admin_error(conn, MHD_HTTP_BAD_REQUEST,
                          "the request body is not valid UTF-8 (or contains a NUL byte)");
        goto out;
    }
    root = json_strict_parse(r->body.data, r->body.len, NULL, why, sizeof why);
    if (!root) {
        ret = admin_error(conn, MHD_HTTP_BAD_REQUEST,
                          "the request body is not valid JSON (%s): send one announcement as "
                          "a JSON object",
                          why);
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        ret = admin_error(conn, MHD_HTTP_BAD_REQUEST,
                          "the request body must be a JSON object (one announcement)");
        goto out;
    }
    {
        const char *dup = NULL;
        int drc = admin_dup_name(root, &dup);
        if (drc < 0) {
            ret = admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
            goto out;
        }
        if (drc > 0) {
            ret = admin_error(conn, MHD_HTTP_BAD_REQUEST,
                              "field '%s' is given twice in one object: send each field once", dup);
            goto out;
        }
    }
    if (!cJSON_GetObjectItemCaseSensitive(root, "id")) {
        /* A create without an id gets a fresh one; the answer tells the caller which. */
        unsigned char rnd[8];
        char id[32];
        randombytes_buf(rnd, sizeof rnd);
        snprintf(id, sizeof id, "a-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
                 rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
        if (!cJSON_AddStringToObject(root, "id", id)) {
            ret = admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
            goto out;
        }
    }
    if (ann_from_json(root, now, &ann, why, sizeof why) < 0) {
        ret = admin_error(conn, MHD_HTTP_BAD_REQUEST, "%s", why);
        goto out;
    }
    /* the rules kioskctl applies before sending, written once in the model */
    if (ann_check_direct(&ann, !ann.until_cleared, now, why, sizeof why) != ANN_RULE_OK) {
        ret = admin_error(conn, MHD_HTTP_BAD_REQUEST, "%s", why);
        goto out;
    }

    pthread_mutex_lock(&a->api_lock);
    res = admin_store_put(a->store, &ann, now, &replaced, &sys_err);
    stored = res == ADMIN_STORE_OK ? ann_list_find(admin_store_list(a->store), ann.id) : NULL;
    doc = stored ? ann_to_json(stored) : NULL;
    if (doc && !admin_add_state(a, doc, stored, now)) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    /* Likewise, a replaced announcement must not be listed with its old text meanwhile. */
    if (stored) {
        pthread_mutex_lock(&a->status_lock);
        if (a->status_active && ann_list_find(a->status_active, ann.id)) {
            ann_list_put(a->status_active, stored);
        }
        pthread_mutex_unlock(&a->status_lock);
    }
    pthread_mutex_unlock(&a->api_lock);
    if (res == ADMIN_STORE_FULL) {
        ret = admin_error(conn, MHD_HTTP_CONFLICT,
                          "the kiosk already holds %d direct announcements: delete some "
                          "first",
                          ADMIN_STORE_MAX);
        goto out;
    }
    if (res != ADMIN_STORE_OK) {
        ret = admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          "could not save the announcement on the kiosk (%s); it was not "
                          "accepted",
                          strerror(sys_err));
        goto out;
    }
    LOG_AUDIT("admin", "announcement %s %s by %s (%s)", ann.id, replaced ? "replaced" : "created",
              who, ann.created_by ? ann.created_by : "no created_by");
    if (a->on_change) {
        a->on_change(a->on_change_ctx);
    }

    if (!doc) {
        ret = admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          "the announcement was saved but the answer could not be built");
        goto out;
    }
    snprintf(location, sizeof location, "%s/%s", PATH_ANNS, ann.id);
    ret = admin_send_json(conn, replaced ? MHD_HTTP_OK : MHD_HTTP_CREATED, doc,
                          MHD_HTTP_HEADER_LOCATION, location);
out:
    ann_clear(&ann);
    cJSON_Delete(root);
    return ret;
}

/* The panel's power as commanded, and how its last command ended. */
/* "sources": each configured source, its last success and error and the counts of the copy
 * it holds, so staff see which one is failing while the others update. */
/* "grants", "desks", "rooms", "groups" beside events and volunteers. */
static bool add_extra_counts(cJSON *counts, const size_t *n)
{
    bool ok = true;
    for (int k = 0; ok && k < FEED_EXTRA_COUNT; k++) {
        ok = cJSON_AddNumberToObject(counts, feed_extra_member((enum feed_extra_kind)k),
                                     (double)n[k]);
    }
    return ok;
}

static bool add_sources(cJSON *doc, const struct admin_status *st)
{
    cJSON *arr = cJSON_AddArrayToObject(doc, "sources");
    bool ok = arr;

    for (size_t i = 0; ok && i < st->n_sources; i++) {
        const struct admin_source_status *src = &st->sources[i];
        cJSON *o = cJSON_CreateObject();
        cJSON *counts;
        ok = o && cJSON_AddItemToArray(arr, o);
        ok = ok && cJSON_AddStringToObject(o, "name", src->name);
        ok = ok && (src->format[0] ? cJSON_AddStringToObject(o, "format", src->format)
                                   : cJSON_AddNullToObject(o, "format"));
        ok = ok && cJSON_AddBoolToObject(o, "has_content", src->has_content);
        ok = ok && admin_add_time(o, "last_success_at", src->last_ok_at);
        ok = ok && admin_add_time(o, "last_error_at", src->last_error_at);
        ok = ok && (src->last_error_at ? cJSON_AddStringToObject(o, "last_error", src->last_error)
                                       : cJSON_AddNullToObject(o, "last_error"));
        ok = ok && cJSON_AddBoolToObject(o, "failing", src->last_error_at > src->last_ok_at);
        counts = ok ? cJSON_AddObjectToObject(o, "counts") : NULL;
        ok = ok && counts && cJSON_AddNumberToObject(counts, "events", (double)src->n_events);
        ok = ok && cJSON_AddNumberToObject(counts, "volunteers", (double)src->n_volunteers);
        ok = ok && add_extra_counts(counts, src->n_extra);
        ok = ok && cJSON_AddNumberToObject(counts, "dropped", (double)src->n_dropped);
    }
    return ok;
}

static bool admin_add_panel(cJSON *doc, const struct admin_status *st)
{
    cJSON *panel = cJSON_AddObjectToObject(doc, "panel"), *last;
    bool ok = panel;

    if (ok && st->panel_state[0] != '\0') {
        ok = cJSON_AddStringToObject(panel, "state", st->panel_state) &&
             cJSON_AddStringToObject(panel, "reason", st->panel_reason);
    } else if (ok) {
        ok = cJSON_AddNullToObject(panel, "state") && cJSON_AddNullToObject(panel, "reason");
    }
    ok = ok && admin_add_time(panel, "since", st->panel_since);
    ok = ok && cJSON_AddBoolToObject(panel, "commands_configured", st->panel_commands);
    if (!ok || st->panel_last_command[0] == '\0') {
        return ok && cJSON_AddNullToObject(panel, "last_command");
    }
    last = cJSON_AddObjectToObject(panel, "last_command");
    ok = last && cJSON_AddStringToObject(last, "command", st->panel_last_command);
    ok = ok && cJSON_AddStringToObject(last, "outcome", st->panel_last_outcome);
    /* exit_status only for a command that exited; a kill or a spawn failure is in outcome */
    if (ok && strcmp(st->panel_last_outcome, "exited") == 0) {
        ok = cJSON_AddNumberToObject(last, "exit_status", st->panel_last_status);
    } else if (ok) {
        ok = cJSON_AddNullToObject(last, "exit_status");
    }
    ok = ok && admin_add_time(last, "finished_at", st->panel_last_at);
    ok = ok && cJSON_AddNumberToObject(last, "elapsed_ms", (double)st->panel_last_ms);
    return ok;
}

enum MHD_Result admin_get_status(struct admin *a, struct MHD_Connection *conn)
{
    int64_t now = kclock_now(&a->clock);
    int64_t uptime = (kclock_mono_ms() - a->started_mono_ms) / 1000;
    cJSON *doc = cJSON_CreateObject(), *sync, *counts, *ids;
    struct admin_status st;
    size_t n_direct;
    bool have;
    bool ok = true;

    if (!doc) {
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    pthread_mutex_lock(&a->status_lock);
    have = a->status_set;
    st = a->status;
    ids = cJSON_CreateArray();
    for (size_t i = 0; ids && a->status_active && i < ann_list_count(a->status_active); i++) {
        ok = ok &&
             cJSON_AddItemToArray(ids, cJSON_CreateString(ann_list_at(a->status_active, i)->id));
    }
    pthread_mutex_unlock(&a->status_lock);
    st.active = NULL;

    ok = ok && ids && cJSON_AddStringToObject(doc, "version", KIOSK_VERSION);
    ok = ok && admin_add_time(doc, "now", now);
    ok = ok && cJSON_AddNumberToObject(doc, "uptime_s", (double)uptime);
    ok = ok && cJSON_AddBoolToObject(doc, "status_reported", have);
    ok = ok && cJSON_AddBoolToObject(doc, "clock_synced", st.clock_synced);
    sync = ok ? cJSON_AddObjectToObject(doc, "last_sync") : NULL;
    ok = ok && sync && admin_add_time(sync, "at", st.last_sync_at);
    ok = ok && cJSON_AddBoolToObject(sync, "ok", st.last_sync_ok);
    ok = ok && cJSON_AddStringToObject(sync, "message", st.last_sync_message);
    ok = ok && add_sources(doc, &st);
    ok = ok && admin_add_time(doc, "content_fetched_at", st.content_fetched_at);
    if (ok && st.content_fetched_at != 0) {
        ok = cJSON_AddNumberToObject(doc, "cache_age_s", (double)(now - st.content_fetched_at));
    } else if (ok) {
        ok = cJSON_AddNullToObject(doc, "cache_age_s");
    }
    ok = ok && admin_add_time(doc, "feed_generated_at", st.feed_generated_at);
    counts = ok ? cJSON_AddObjectToObject(doc, "counts") : NULL;
    ok = ok && counts && cJSON_AddNumberToObject(counts, "events", (double)st.n_events);
    ok = ok && cJSON_AddNumberToObject(counts, "volunteers", (double)st.n_volunteers);
    ok = ok && add_extra_counts(counts, st.n_extra);
    ok = ok && cJSON_AddNumberToObject(counts, "announcements_active", (double)st.n_announcements);
    pthread_mutex_lock(&a->api_lock);
    n_direct = ann_list_count(admin_store_list(a->store));
    pthread_mutex_unlock(&a->api_lock);
    ok = ok && cJSON_AddNumberToObject(counts, "announcements_direct", (double)n_direct);
    if (ok) {
        cJSON_AddItemToObject(doc, "active_announcements", ids);
        ids = NULL;
    }
    ok = ok && cJSON_AddNumberToObject(doc, "frames_drawn", (double)st.frames_drawn);
    ok = ok && admin_add_time(doc, "last_frame_at", st.last_frame_at);
    ok = ok && cJSON_AddNumberToObject(doc, "last_frame_ms", st.last_frame_ms);
    ok = ok && admin_add_panel(doc, &st);
    ok = ok && cJSON_AddNumberToObject(doc, "memory_rss_bytes", (double)admin_rss_bytes());
    ok = ok && cJSON_AddStringToObject(doc, "state_dir", a->state_dir);
    ok = ok && cJSON_AddNumberToObject(doc, "state_dir_free_bytes",
                                       (double)fsio_free_bytes(a->state_dir));
    ok = ok && admin_health_add_json(a->health, doc, kclock_mono_ms()) == 0;
    cJSON_Delete(ids);
    if (!ok) {
        cJSON_Delete(doc);
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    return admin_send_json(conn, MHD_HTTP_OK, doc, NULL, NULL);
}
