/* admin: see admin.h.
 *
 * One libmicrohttpd daemon with its own polling thread. Each request is judged in the order
 * a cautious doorman would: does its Host name this kiosk (421), is it a page of another
 * site (403), does it carry a token (401, not counted), is the token right (else 401, or
 * 429 while the address cools off after ten wrong ones), does the route exist (404) and
 * take this method (405), is the declared body too large (413) - all before a byte of the
 * body is read. Screenshots are taken on threads of their own (see admin_shot_thread), so
 * the polling thread never waits for the screen. Only POST
 * reads a body, into a buffer capped at max_body; a body that grows past the cap (chunked,
 * no Content-Length) is discarded and answered 413, and a client that keeps sending far
 * beyond it is disconnected.
 *
 * This file is the daemon: libmicrohttpd's set-up, its connection callbacks and the request
 * handler, the screenshot threads, create and free. The checks are guard.c, the handlers
 * routes.c (shared declarations in admin_internal.h).
 *
 * What this file does not do: parse announcements (feed/announce.c does, shared with the
 * feed and kioskctl), decide what is shown (ann_merge in the app's model), or write files
 * (admin/store.c). */
#include "admin/admin.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <sodium.h>

#include "admin/admin_internal.h"
#include "admin/healthcache.h"
#include "admin/staff.h"
#include "admin/store.h"
#include "config/config.h"
#include "util/buf.h"
#include "util/jsonstrict.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/utf8.h"

/* ---- options ---------------------------------------------------------------------- */

void admin_options_from_config(struct admin_options *o, const struct config *cfg,
                               struct kclock clock)
{
    memset(o, 0, sizeof *o);
    o->listen = cfg->admin_listen;
    o->token_file = cfg->admin_token_file;
    o->tls_cert = cfg->admin_tls_cert;
    o->tls_key = cfg->admin_tls_key;
    o->allow_plain_remote = cfg->admin_allow_plain_remote;
    o->max_body = cfg->admin_max_body;
    o->hosts = cfg->admin_hosts;
    o->state_dir = cfg->state_dir;
    o->target = cfg->target;
    o->metrics_public = cfg->metrics_public;
    o->metrics_label = cfg->target && cfg->target[0] ? cfg->target : cfg->facility_name;
    o->clock = clock;
}

/* ---- screenshots ------------------------------------------------------------------ */

/* Taking a screenshot waits for the main thread's next frame (up to seconds when it is
 * busy or frozen) and then for the PNG encoding (~50 ms at 1080p). Done on libmicrohttpd's
 * one thread, that wait held up every other request: fifty screenshot requests delayed
 * /status by two seconds. So the request's connection is suspended and a thread of this
 * slot takes the picture; when it is done the connection is resumed and answered. One
 * capture of each kind at a time: a second request meanwhile gets 429 with Retry-After at
 * once. The screen text has a slot of its own, so a tool reading it is not refused while a
 * staff page fetches the picture. */
static void *admin_shot_thread(void *arg)
{
    struct admin_shot_slot *slot = arg;
    struct admin *a = slot->a;
    admin_screenshot_fn fn = slot == &a->shots[ADMIN_SHOT_TEXT] ? a->screen_text : a->screenshot;
    pthread_mutex_lock(&a->shot_lock);
    for (;;) {
        struct admin_req *r;
        struct MHD_Connection *conn;
        unsigned char *data = NULL;
        size_t len = 0;
        int rc = -ECANCELED;
        bool stop;

        while (!a->shot_stop && !slot->job) {
            pthread_cond_wait(&a->shot_cond, &a->shot_lock);
        }
        r = slot->job;
        if (!r) {
            break; /* stopping, nothing queued */
        }
        conn = slot->conn;
        stop = a->shot_stop;
        slot->job = NULL;
        pthread_mutex_unlock(&a->shot_lock);

        if (!stop && fn) {
            rc = fn(a->screenshot_ctx, &data, &len);
        }
        if (rc == 0 && !data) {
            rc = -EIO;
        }
        if (rc < 0) {
            free(data);
            data = NULL;
        }

        pthread_mutex_lock(&a->shot_lock);
        r->shot = data;
        r->shot_len = len;
        r->shot_rc = rc;
        r->shot_done = true;
        slot->busy = false;
        a->shot_unanswered++;
        /* Under shot_lock, like the suspend in admin_shot_answer: never resumed twice. */
        MHD_resume_connection(conn);
    }
    pthread_mutex_unlock(&a->shot_lock);
    return NULL;
}

/* The first call of a screenshot request: queues it and suspends the connection, or
 * answers 429 when a capture of its kind is under way. */
static enum MHD_Result admin_shot_start(struct admin *a, struct MHD_Connection *conn,
                                        struct admin_req *r, bool *done)
{
    struct admin_shot_slot *slot =
        &a->shots[r->route == ROUTE_SCREEN_TEXT ? ADMIN_SHOT_TEXT : ADMIN_SHOT_PNG];
    bool busy, stopping;
    pthread_mutex_lock(&a->shot_lock);
    busy = slot->busy;
    stopping = a->shot_stop || !slot->started;
    if (!busy && !stopping) {
        slot->busy = true;
        slot->job = r;
        slot->conn = conn;
        MHD_suspend_connection(conn);
        pthread_cond_broadcast(&a->shot_cond);
    }
    pthread_mutex_unlock(&a->shot_lock);
    if (stopping) {
        return admin_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "the kiosk is shutting down; no screenshot now");
    }
    if (busy) {
        return admin_error_h(conn, MHD_HTTP_TOO_MANY_REQUESTS, MHD_HTTP_HEADER_RETRY_AFTER, "1",
                             "another screenshot is being taken; try again in 1 s");
    }
    *done = false; /* answered when the screenshot thread resumes the connection */
    return MHD_YES;
}

/* A later call of a screenshot request: answers with what the screenshot thread made. */
static enum MHD_Result admin_shot_answer(struct admin *a, struct MHD_Connection *conn,
                                         struct admin_req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    bool text = r->route == ROUTE_SCREEN_TEXT;

    pthread_mutex_lock(&a->shot_lock);
    if (!r->shot_done) {
        /* Not expected (libmicrohttpd calls again only once resumed), but harmless. */
        MHD_suspend_connection(conn);
        pthread_mutex_unlock(&a->shot_lock);
        return MHD_YES;
    }
    pthread_mutex_unlock(&a->shot_lock);
    r->route = ROUTE_NONE;
    if (r->shot_rc < 0) {
        return admin_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "the kiosk could not take a screenshot now (%s); try again",
                           strerror(-r->shot_rc));
    }
    resp = MHD_create_response_from_buffer(r->shot_len, r->shot, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        return MHD_NO; /* r->shot is freed with the request */
    }
    r->shot = NULL;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            text ? "text/plain; charset=utf-8" : "image/png");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Makes shot_lock and shot_cond and starts the screenshot threads. */
static int admin_shot_init(struct admin *a)
{
    if (pthread_mutex_init(&a->shot_lock, NULL) != 0) {
        return -ENOMEM;
    }
    if (pthread_cond_init(&a->shot_cond, NULL) != 0) {
        pthread_mutex_destroy(&a->shot_lock);
        return -ENOMEM;
    }
    a->shot_ready = true;
    for (size_t i = 0; i < sizeof a->shots / sizeof a->shots[0]; i++) {
        struct admin_shot_slot *slot = &a->shots[i];
        slot->a = a;
        if (pthread_create(&slot->thread, NULL, admin_shot_thread, slot) != 0) {
            return -EAGAIN;
        }
        slot->started = true;
    }
    return 0;
}

/* Stops the screenshot threads: a capture under way is finished (the app's hook has its own
 * timeout), a queued one is answered 503; their connections are resumed and, for up to
 * ADMIN_SHOT_DRAIN_MS, answered before the daemon stops. Requests after this get 503 at
 * once. */
static void admin_shot_stop(struct admin *a)
{
    struct timespec until;
    if (!a->shot_ready) {
        return;
    }
    pthread_mutex_lock(&a->shot_lock);
    a->shot_stop = true;
    pthread_cond_broadcast(&a->shot_cond);
    pthread_mutex_unlock(&a->shot_lock);
    for (size_t i = 0; i < sizeof a->shots / sizeof a->shots[0]; i++) {
        if (a->shots[i].started) {
            pthread_join(a->shots[i].thread, NULL);
            a->shots[i].started = false;
        }
    }
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ADMIN_SHOT_DRAIN_MS / 1000;
    pthread_mutex_lock(&a->shot_lock);
    while (a->shot_unanswered > 0 &&
           pthread_cond_timedwait(&a->shot_cond, &a->shot_lock, &until) == 0) {
        ;
    }
    pthread_mutex_unlock(&a->shot_lock);
}

/* A resumed screenshot request is over (answered, or its client gone). */
static void admin_shot_completed(struct admin *a, const struct admin_req *r)
{
    if (!a->shot_ready || !r->shot_done) {
        return;
    }
    pthread_mutex_lock(&a->shot_lock);
    a->shot_unanswered--;
    pthread_cond_broadcast(&a->shot_cond);
    pthread_mutex_unlock(&a->shot_lock);
}

/* ---- the request handler ---------------------------------------------------------- */

static bool admin_method_is(const char *m, const char *want)
{
    return strcmp(m, want) == 0;
}

/* Checks the route and method; queues the 404/405/400 answer and returns false when the
 * request goes no further. */
static bool admin_route(struct admin *a, struct MHD_Connection *conn, const char *url,
                        const char *method, struct admin_req *r, enum MHD_Result *ret)
{
    const char *allow = NULL;
    bool get = admin_method_is(method, "GET") || admin_method_is(method, "HEAD");

    if (strcmp(url, PATH_ANNS) == 0) {
        r->route = ROUTE_ANNS;
        if (!get && !admin_method_is(method, "POST")) {
            allow = "GET, HEAD, POST";
        }
    } else if (strncmp(url, PATH_ANNS "/", sizeof PATH_ANNS) == 0) {
        const char *id = url + sizeof PATH_ANNS;
        r->route = ROUTE_ANN_ONE;
        if (!ann_id_valid(id)) {
            /* Never used as a path, but refused early so a probe learns nothing. */
            *ret = admin_error(conn, MHD_HTTP_BAD_REQUEST,
                               "id in the path: use 1 to %d characters from A-Z a-z 0-9 . _ - "
                               "(not only dots)",
                               ANN_ID_MAX);
            return false;
        }
        snprintf(r->id, sizeof r->id, "%s", id);
        if (!get && !admin_method_is(method, "DELETE")) {
            allow = "GET, HEAD, DELETE";
        }
    } else if (strcmp(url, PATH_STATUS) == 0) {
        r->route = ROUTE_STATUS;
        if (!get) {
            allow = "GET, HEAD";
        }
    } else if (strcmp(url, PATH_SCREENSHOT) == 0 && a->screenshot) {
        r->route = ROUTE_SCREENSHOT;
        if (!get) {
            allow = "GET, HEAD";
        }
    } else if (strcmp(url, PATH_STATS) == 0 && a->usage) {
        r->route = ROUTE_STATS;
        if (!get) {
            allow = "GET, HEAD";
        }
    } else if (strcmp(url, PATH_METRICS) == 0) {
        r->route = ROUTE_METRICS;
        if (!get) {
            allow = "GET, HEAD";
        }
    } else if (strcmp(url, PATH_SCREEN_TEXT) == 0 && a->screen_text) {
        r->route = ROUTE_SCREEN_TEXT;
        if (!get) {
            allow = "GET, HEAD";
        }
    } else {
        *ret = admin_error(conn, MHD_HTTP_NOT_FOUND,
                           "no such resource: %s (try " PATH_ANNS " or " PATH_STATUS ")", url);
        return false;
    }
    if (allow) {
        *ret = admin_error_h(conn, MHD_HTTP_METHOD_NOT_ALLOWED, MHD_HTTP_HEADER_ALLOW, allow,
                             "method %s is not allowed on %s; use %s", method, url, allow);
        return false;
    }
    return true;
}

enum admin_token {
    TOKEN_NONE,  /* no "Authorization: Bearer <something>": a browser or a probe */
    TOKEN_WRONG, /* a token was sent and it is not ours: a guess or a typo */
    TOKEN_OK,
};

/* Parses "Bearer <token>" and checks it. */
static enum admin_token admin_authorized(const struct admin *a, struct MHD_Connection *conn)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    size_t len;
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        return TOKEN_NONE;
    }
    h += 7;
    while (*h == ' ') {
        h++;
    }
    len = strlen(h);
    while (len > 0 && h[len - 1] == ' ') {
        len--;
    }
    if (len == 0) {
        return TOKEN_NONE;
    }
    return admin_token_ok(a, h, len) ? TOKEN_OK : TOKEN_WRONG;
}

/* The first call of a request: everything that can be judged from the headers alone. */
static enum MHD_Result admin_begin(struct admin *a, struct MHD_Connection *conn, const char *url,
                                   const char *method, struct admin_req *r, const char *who,
                                   const unsigned char key[17], bool *done)
{
    enum MHD_Result ret = MHD_YES;
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    const char *cross;
    const char *clen;
    enum admin_token tok;
    int wait;

    *done = true;
    /* Only a wrong token that was sent counts towards the lock-out: a page open in a browser
     * on the staff PC sends preflights, icon and robots.txt requests and no-cors fetches
     * without one, and must not be able to lock staff out of clearing an emergency. */
    if (!admin_host_ok(a, conn, host)) {
        LOG_WARN("admin", "refused %s %s from %s: Host \"%s\" is not this kiosk", method, url, who,
                 host);
        return admin_error(conn, MHD_HTTP_MISDIRECTED_REQUEST,
                           "this kiosk does not answer to the name \"%s\"; use its address or "
                           "add the name to admin_hosts",
                           host);
    }
    /* The staff page holds no secrets and is served without the token (admin/staff.h), also
     * when a link on another site leads to it. */
    if (admin_staff_is_page(url)) {
        return admin_staff_serve(conn, url, method);
    }
    cross = admin_cross_site(a, conn, host);
    if (cross) {
        LOG_WARN("admin", "refused %s %s from %s: a page of another site (%s)", method, url, who,
                 cross);
        return admin_error(conn, MHD_HTTP_FORBIDDEN,
                           "requests from pages of other sites are refused; use the staff "
                           "page of this kiosk or kioskctl");
    }
    /* A same-origin preflight is answered; no Access-Control-Allow-* header is ever sent, so
     * a browser never lets another site's script through. */
    if (admin_method_is(method, "OPTIONS")) {
        return admin_send(conn, MHD_HTTP_NO_CONTENT, NULL, NULL, MHD_HTTP_HEADER_ALLOW,
                          "GET, HEAD, POST, DELETE, OPTIONS");
    }
    /* on a closed network Prometheus scrapes without the token (config metrics_public) */
    if (a->metrics_public && strcmp(url, PATH_METRICS) == 0 &&
        (admin_method_is(method, "GET") || admin_method_is(method, "HEAD"))) {
        return admin_get_metrics(a, conn);
    }
    tok = admin_authorized(a, conn);
    if (tok == TOKEN_NONE) {
        LOG_WARN("admin", "refused %s %s from %s: no token", method, url, who);
        return admin_error_h(conn, MHD_HTTP_UNAUTHORIZED, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                             "Bearer realm=\"kiosk admin\"",
                             "missing token: send \"Authorization: Bearer TOKEN\" with the "
                             "token from the kiosk's admin_token_file");
    }
    /* The right token always gets in, even from an address cooling off: a guesser cannot
     * tell a block from a wrong guess, and staff must never wait to clear an emergency. */
    if (tok == TOKEN_WRONG) {
        int64_t now_ms = kclock_mono_ms();
        wait = admin_fail_blocked(a, key, now_ms);
        if (wait > 0) {
            char retry[16];
            snprintf(retry, sizeof retry, "%d", wait);
            return admin_error_h(
                conn, MHD_HTTP_TOO_MANY_REQUESTS, MHD_HTTP_HEADER_RETRY_AFTER, retry,
                "too many failed logins from this address; try again in %d s", wait);
        }
        LOG_WARN("admin", "refused %s %s from %s: wrong token", method, url, who);
        admin_fail_record(a, key, now_ms, who);
        return admin_error_h(conn, MHD_HTTP_UNAUTHORIZED, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                             "Bearer realm=\"kiosk admin\"",
                             "missing or wrong token: send \"Authorization: Bearer TOKEN\" "
                             "with the token from the kiosk's admin_token_file");
    }
    admin_fail_clear(a, key);
    if (!admin_route(a, conn, url, method, r, &ret)) {
        return ret;
    }
    if (r->route == ROUTE_ANNS && admin_method_is(method, "POST")) {
        clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (clen && strtoull(clen, NULL, 10) > a->max_body) {
            return admin_error(conn, MHD_HTTP_CONTENT_TOO_LARGE,
                               "the request body is larger than the kiosk's limit of %zu "
                               "bytes (admin_max_body)",
                               a->max_body);
        }
        *done = false; /* the body follows */
        return MHD_YES;
    }
    switch (r->route) {
    case ROUTE_ANNS:
        return admin_get_list(a, conn);
    case ROUTE_ANN_ONE:
        if (admin_method_is(method, "DELETE")) {
            return admin_delete(a, conn, r->id, who);
        }
        return admin_get_one(a, conn, r->id);
    case ROUTE_STATUS:
        return admin_get_status(a, conn);
    case ROUTE_STATS:
        return admin_get_stats(a, conn);
    case ROUTE_METRICS:
        return admin_get_metrics(a, conn);
    case ROUTE_SCREENSHOT:
    case ROUTE_SCREEN_TEXT:
        return admin_shot_start(a, conn, r, done);
    case ROUTE_NONE:
        break;
    }
    return admin_error(conn, MHD_HTTP_NOT_FOUND, "no such resource: %s", url);
}

/* Collects body bytes up to the buffer's cap (admin_max_body); past it, keeps counting but
 * not storing. */
static bool admin_take_body(struct admin_req *r, const char *data, size_t n)
{
    int rc = r->too_large ? -EFBIG : buf_append(&r->body, data, n);
    if (rc == -EFBIG) {
        r->too_large = true;
        r->discarded += n;
        return r->discarded <= ADMIN_DISCARD_MAX;
    }
    return rc == 0;
}

/* ---- connection callbacks ---- */

static enum MHD_Result admin_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                        const char *method, const char *version,
                                        const char *upload_data, size_t *upload_data_size,
                                        void **con_cls)
{
    struct admin *a = cls;
    struct admin_req *r = *con_cls;
    const union MHD_ConnectionInfo *ci;
    unsigned char key[17];
    char who[INET6_ADDRSTRLEN + 1];
    (void)version;

    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    admin_addr_key(ci ? ci->client_addr : NULL, key, who, sizeof who);
    if (!r) {
        bool done;
        enum MHD_Result ret;
        admin_conn_mark(a, conn, true);
        r = calloc(1, sizeof *r);
        if (!r) {
            return MHD_NO;
        }
        buf_init(&r->body, a->max_body);
        *con_cls = r;
        ret = admin_begin(a, conn, url, method, r, who, key, &done);
        if (done) {
            r->route = ROUTE_NONE; /* answered: later calls only drain */
        }
        return ret;
    }
    if (r->route == ROUTE_NONE) {
        /* Already answered from the headers; libmicrohttpd closes after sending. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->route == ROUTE_SCREENSHOT || r->route == ROUTE_SCREEN_TEXT) {
        *upload_data_size = 0; /* a GET has no body; anything sent is ignored */
        return admin_shot_answer(a, conn, r);
    }
    if (*upload_data_size > 0) {
        bool keep = admin_take_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (!keep) {
            LOG_WARN("admin", "dropping the connection from %s: body far beyond the limit", who);
        }
        return keep ? MHD_YES : MHD_NO;
    }
    r->route = ROUTE_NONE;
    if (r->too_large) {
        return admin_error(conn, MHD_HTTP_CONTENT_TOO_LARGE,
                           "the request body is larger than the kiosk's limit of %zu bytes "
                           "(admin_max_body)",
                           a->max_body);
    }
    return admin_post(a, conn, r, who);
}

/* libmicrohttpd decodes %XX in the path before the handler sees it, and a decoded %00 ends
 * the C string there: DELETE .../abc%00xyz would delete "abc". A path holding %00 is left
 * undecoded instead, so its id (with a '%') is refused like any other bad id. */
static size_t admin_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    if (strstr(s, "%00")) {
        return strlen(s);
    }
    return MHD_http_unescape(s);
}

static void admin_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                               enum MHD_RequestTerminationCode toe)
{
    struct admin_req *r = *con_cls;
    (void)toe;
    admin_conn_mark(cls, conn, false); /* the next request's headers are due from now */
    if (r) {
        admin_shot_completed(cls, r);
        buf_free(&r->body);
        free(r->shot);
        free(r);
        *con_cls = NULL;
    }
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void admin_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[300];
    size_t n;
    (void)cls;
    vsnprintf(line, sizeof line, fmt, ap);
    n = strlen(line);
    while (n > 0 && line[n - 1] == '\n') {
        line[--n] = '\0';
    }
    LOG_WARN("admin", "microhttpd: %s", line);
}
#pragma GCC diagnostic pop

/* ---- lifecycle -------------------------------------------------------------------- */

static int admin_load_tls(struct admin *a, const struct admin_options *o, char *err, size_t errlen)
{
    size_t len;
    int rc;
    if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
        snprintf(err, errlen, "this libmicrohttpd was built without TLS support");
        return -ENOTSUP;
    }
    rc = fsio_read_file(o->tls_cert, 1024 * 1024, &a->tls_cert_pem, &len);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read admin_tls_cert %s: %s", o->tls_cert, strerror(-rc));
        return rc;
    }
    rc = fsio_read_file(o->tls_key, 1024 * 1024, &a->tls_key_pem, &len);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read admin_tls_key %s: %s", o->tls_key, strerror(-rc));
        return rc;
    }
    return 0;
}

static int admin_start(struct admin *a, const struct admin_options *o, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    bool loopback = false;
    bool want_tls = (o->tls_cert && o->tls_cert[0]) || (o->tls_key && o->tls_key[0]);
    unsigned int flags =
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    const union MHD_DaemonInfo *info;
    int rc;

    rc = admin_parse_listen(o->listen, &ss, &sslen, &loopback, err, errlen);
    if (rc < 0) {
        return rc;
    }
    if (want_tls && !(o->tls_cert && o->tls_cert[0] && o->tls_key && o->tls_key[0])) {
        snprintf(err, errlen, "admin TLS needs both admin_tls_cert and admin_tls_key");
        return -EINVAL;
    }
    if (!loopback && !want_tls && !o->allow_plain_remote) {
        snprintf(err, errlen,
                 "admin_listen %s reaches beyond this machine: set admin_tls_cert and "
                 "admin_tls_key, or admin_allow_plain_remote = true on an isolated network",
                 o->listen);
        return -EINVAL;
    }
    rc = admin_load_token(a, o->token_file, err, errlen);
    if (rc < 0) {
        return rc;
    }
    if (want_tls) {
        rc = admin_load_tls(a, o, err, errlen);
        if (rc < 0) {
            return rc;
        }
        flags |= MHD_USE_TLS;
    }
    if (ss.ss_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
    }
    admin_hosts_init(a, o->listen, o->hosts);
    a->tls = want_tls; /* read by the request handler from the start */
    if (admin_sweep_init(a) != 0) {
        snprintf(err, errlen, "cannot create the admin API's locks");
        return -ENOMEM;
    }
    if (admin_shot_init(a) != 0) {
        snprintf(err, errlen, "cannot start the admin API's screenshot threads");
        return -EAGAIN;
    }
    if (!loopback && !want_tls) {
        LOG_WARN("admin",
                 "admin API on %s without TLS (admin_allow_plain_remote): tokens "
                 "cross the network in clear",
                 o->listen);
    }

    if (want_tls) {
        a->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, admin_on_request, a, MHD_OPTION_EXTERNAL_LOGGER, admin_mhd_log, a,
            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
            ADMIN_CONN_LIMIT, MHD_OPTION_PER_IP_CONNECTION_LIMIT, ADMIN_PER_IP_LIMIT,
            MHD_OPTION_CONNECTION_TIMEOUT, ADMIN_CONN_TIMEOUT_S, MHD_OPTION_NOTIFY_COMPLETED,
            admin_on_completed, a, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
            MHD_OPTION_UNESCAPE_CALLBACK, admin_unescape, NULL, MHD_OPTION_NOTIFY_CONNECTION,
            admin_on_connection, a, MHD_OPTION_HTTPS_MEM_CERT, a->tls_cert_pem,
            MHD_OPTION_HTTPS_MEM_KEY, a->tls_key_pem, MHD_OPTION_END);
    } else {
        a->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, admin_on_request, a, MHD_OPTION_EXTERNAL_LOGGER, admin_mhd_log, a,
            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
            ADMIN_CONN_LIMIT, MHD_OPTION_PER_IP_CONNECTION_LIMIT, ADMIN_PER_IP_LIMIT,
            MHD_OPTION_CONNECTION_TIMEOUT, ADMIN_CONN_TIMEOUT_S, MHD_OPTION_NOTIFY_COMPLETED,
            admin_on_completed, a, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
            MHD_OPTION_UNESCAPE_CALLBACK, admin_unescape, NULL, MHD_OPTION_NOTIFY_CONNECTION,
            admin_on_connection, a, MHD_OPTION_END);
    }
    if (!a->daemon) {
        snprintf(err, errlen,
                 "cannot start the admin API on %s (port in use, address not on this "
                 "machine, or bad TLS files; see the microhttpd line above)",
                 o->listen);
        return -EADDRINUSE;
    }
    if (pthread_create(&a->sweeper, NULL, admin_sweeper, a) != 0) {
        snprintf(err, errlen, "cannot start the admin API's deadline thread");
        return -EAGAIN;
    }
    a->sweeper_started = true;
    info = MHD_get_daemon_info(a->daemon, MHD_DAEMON_INFO_BIND_PORT);
    a->port = info ? info->port : 0;
    LOG_INFO("admin", "admin API listening on %s port %d (%s)", o->listen, a->port,
             want_tls ? "https" : "http");
    return 0;
}

struct admin *admin_create(const struct admin_options *o, char *err, size_t errlen)
{
    struct admin *a;
    struct sys_health_paths health_paths;
    bool locks = false;

    if (err && errlen) {
        err[0] = '\0';
    }
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        return NULL;
    }
    a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&a->api_lock, NULL) != 0) {
        free(a);
        snprintf(err, errlen, "cannot create a mutex");
        return NULL;
    }
    if (pthread_mutex_init(&a->status_lock, NULL) != 0) {
        pthread_mutex_destroy(&a->api_lock);
        free(a);
        snprintf(err, errlen, "cannot create a mutex");
        return NULL;
    }
    locks = true;
    a->clock = o->clock;
    a->on_change = o->on_change;
    a->on_change_ctx = o->on_change_ctx;
    a->screenshot = o->screenshot;
    a->screenshot_ctx = o->screenshot_ctx;
    a->screen_text = o->screen_text;
    a->usage = o->usage;
    a->metrics_public = o->metrics_public;
    snprintf(a->metrics_label, sizeof a->metrics_label, "%s",
             o->metrics_label && o->metrics_label[0] ? o->metrics_label
                                                     : (o->target ? o->target : ""));
    a->max_body = o->max_body ? o->max_body : ADMIN_MAX_BODY_DEFAULT;
    a->started_mono_ms = kclock_mono_ms();
    if (!a->clock.now) {
        snprintf(err, errlen, "admin needs a clock");
        goto fail;
    }
    if (!o->state_dir || snprintf(a->state_dir, sizeof a->state_dir, "%s", o->state_dir) >=
                             (int)sizeof a->state_dir) {
        snprintf(err, errlen, "state_dir is missing or too long");
        goto fail;
    }
    if (o->target && o->target[0] && !(a->target = strdup(o->target))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    a->store = admin_store_open(o->state_dir, kclock_now(&a->clock), o->feed_anns, err, errlen);
    if (!a->store) {
        goto fail;
    }
    sys_health_default_paths(&health_paths, a->state_dir);
    a->health = admin_health_create(&health_paths);
    if (!a->health) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (o->listen && o->listen[0]) {
        if (admin_start(a, o, err, errlen) < 0) {
            goto fail;
        }
    } else {
        LOG_INFO("admin", "admin_listen is empty: the admin API is off");
    }
    return a;
fail:
    if (locks) {
        admin_free(a);
    }
    return NULL;
}

void admin_free(struct admin *a)
{
    if (!a) {
        return;
    }
    admin_shot_stop(a); /* resumes any suspended connection: the daemon must not hold one */
    if (a->sweeper_started) {
        pthread_mutex_lock(&a->conn_lock);
        a->sweep_stop = true;
        pthread_cond_signal(&a->sweep_cond);
        pthread_mutex_unlock(&a->conn_lock);
        pthread_join(a->sweeper, NULL);
    }
    if (a->daemon) {
        MHD_stop_daemon(a->daemon);
    }
    if (a->sweep_ready) {
        pthread_cond_destroy(&a->sweep_cond);
        pthread_mutex_destroy(&a->conn_lock);
    }
    if (a->shot_ready) {
        pthread_cond_destroy(&a->shot_cond);
        pthread_mutex_destroy(&a->shot_lock);
    }
    admin_store_free(a->store);
    admin_health_free(a->health);
    ann_list_free(a->status_active);
    free(a->target);
    free(a->tls_cert_pem);
    if (a->tls_key_pem) {
        sodium_memzero(a->tls_key_pem, strlen(a->tls_key_pem));
        free(a->tls_key_pem);
    }
    sodium_memzero(a->token_hash, sizeof a->token_hash);
    pthread_mutex_destroy(&a->api_lock);
    pthread_mutex_destroy(&a->status_lock);
    free(a);
}

int admin_port(const struct admin *a)
{
    return a && a->daemon ? a->port : 0;
}

bool admin_uses_tls(const struct admin *a)
{
    return a && a->tls;
}

struct ann_list *admin_snapshot_direct(struct admin *a)
{
    return admin_store_copy(a->store);
}

int admin_set_status(struct admin *a, const struct admin_status *st)
{
    struct ann_list *copy = NULL, *old;
    if (st->active) {
        copy = ann_list_create();
        if (!copy) {
            return -ENOMEM;
        }
        for (size_t i = 0; i < ann_list_count(st->active); i++) {
            if (ann_list_put(copy, ann_list_at(st->active, i)) < 0) {
                ann_list_free(copy);
                return -ENOMEM;
            }
        }
    }
    if (st->feed_anns && a->store && admin_store_set_feed(a->store, st->feed_anns) < 0) {
        ann_list_free(copy);
        return -ENOMEM;
    }
    pthread_mutex_lock(&a->status_lock);
    a->status = *st;
    a->status.last_sync_message[sizeof a->status.last_sync_message - 1] = '\0';
    a->status.active = NULL;
    a->status.feed_anns = NULL;
    old = a->status_active;
    a->status_active = copy;
    a->status_set = true;
    pthread_mutex_unlock(&a->status_lock);
    ann_list_free(old);
    return 0;
}
