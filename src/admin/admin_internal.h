/* admin_internal: what the three parts of the admin API share, and nothing outside admin/.
 *
 * The API is three files. guard.c is the doorman: the listen address and the token, the
 * failed-login table, the Host/Origin/Sec-Fetch-Site checks and the header deadline (the
 * sweeper that cuts slow clients). routes.c holds the handlers of each route and the
 * responses they send. admin.c is the daemon: libmicrohttpd's set-up and connection
 * callbacks, the request handler that asks the guard then calls a route, the screenshot
 * threads, create and free. admin.h stays the only header the app includes. */
#ifndef KIOSK_ADMIN_INTERNAL_H
#define KIOSK_ADMIN_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <sodium.h>

#include "admin/admin.h"
#include "feed/announce.h"
#include "util/buf.h"

#define ADMIN_MAX_BODY_DEFAULT 65536u
#define ADMIN_TOKEN_MIN 16
#define ADMIN_TOKEN_MAX 1024
#define ADMIN_CONN_LIMIT 32u
#define ADMIN_PER_IP_LIMIT 8u
#define ADMIN_CONN_TIMEOUT_S 15u
/* A client streaming far past the cap is cut off rather than drained forever. */
#define ADMIN_DISCARD_MAX (1024u * 1024u)
/* The idle timeout above restarts with every byte, so a client dribbling a header byte every
 * few seconds (slowloris) would hold its socket for ever, and four addresses at the per-IP
 * limit would hold all 32: staff could not post an emergency. A request's headers must
 * therefore all arrive within this many seconds of the connection opening (or of the
 * previous request on it ending); admin_sweeper cuts the ones that do not. */
#define ADMIN_HEADER_DEADLINE_S 20

#define ADMIN_FAIL_LIMIT 10        /* failed logins ... */
#define ADMIN_FAIL_WINDOW_MS 60000 /* ... within this window ... */
#define ADMIN_BLOCK_MS 60000       /* ... block the address this long */
#define ADMIN_FAIL_SLOTS 64        /* addresses remembered; the stalest is reused */

/* At shutdown, how long an answered screenshot may take to reach its client. */
#define ADMIN_SHOT_DRAIN_MS 2000

#define ADMIN_HOSTS_MAX 32 /* names the API answers to (the defaults and admin_hosts) */
#define ADMIN_HOST_NAME_MAX 256

#define PATH_ANNS "/api/v1/announcements"
#define PATH_STATUS "/api/v1/status"
#define PATH_SCREENSHOT "/api/v1/screenshot"
#define PATH_SCREEN_TEXT "/api/v1/screen.txt"
#define PATH_STATS "/api/v1/stats"
#define PATH_METRICS "/metrics"

struct fail_slot {
    bool used;
    unsigned char addr[17]; /* family byte + up to 16 address bytes */
    int count;
    int64_t window_start_ms;
    int64_t blocked_until_ms;
    int64_t last_ms;
};

/* A name the API answers to in the Host header; port -1 = the name alone or with the port
 * the API listens on. */
struct admin_host {
    char name[ADMIN_HOST_NAME_MAX]; /* lower case; an IPv6 address keeps its brackets */
    long port;
};

enum { ADMIN_SHOT_PNG, ADMIN_SHOT_TEXT };

/* One kind of capture (the PNG or the screen text) and the thread that takes it. */
struct admin_shot_slot {
    struct admin *a;
    bool started;          /* its thread runs */
    bool busy;             /* a capture is queued or being taken */
    struct admin_req *job; /* queued, not yet picked up by the thread */
    struct MHD_Connection *conn;
    pthread_t thread;
};

/* One open connection, as the header deadline sees it (its socket_context). */
struct admin_conn {
    bool used;
    int fd;
    bool in_request;  /* its headers are in: the handler has the request */
    int64_t since_ms; /* opened, or its previous request ended */
};

struct admin {
    struct admin_store *store;
    struct MHD_Daemon *daemon;
    int port;
    bool tls;
    size_t max_body;
    struct kclock clock;
    admin_changed_fn on_change;
    void *on_change_ctx;
    admin_screenshot_fn screenshot;
    void *screenshot_ctx;
    admin_screenshot_fn screen_text;
    unsigned char token_hash[crypto_generichash_BYTES];
    char *tls_cert_pem;
    char *tls_key_pem;
    char state_dir[512];
    char *target; /* NULL = no target */
    int64_t started_mono_ms;
    struct admin_host hosts[ADMIN_HOSTS_MAX]; /* set before the daemon starts, then read-only */
    size_t n_hosts;

    pthread_mutex_t api_lock; /* store mutations and the failure table */
    struct fail_slot fails[ADMIN_FAIL_SLOTS];

    pthread_mutex_t status_lock;
    bool status_set;
    struct admin_status status; /* status.active points to status_active */
    struct ann_list *status_active;

    struct admin_health *health; /* SoC temperature, throttling, fds: read every 10 s */

    struct usage *usage; /* borrowed; NULL = no stats */
    bool metrics_public;
    char metrics_label[128];

    /* The header deadline: the open connections (set up when listening). */
    pthread_mutex_t conn_lock; /* conns and sweep_stop */
    pthread_cond_t sweep_cond;
    bool sweep_ready; /* conn_lock and sweep_cond exist */
    bool sweeper_started;
    bool sweep_stop;
    pthread_t sweeper;
    struct admin_conn conns[ADMIN_CONN_LIMIT];

    /* The screenshot threads (set up when listening): one for the PNG, one for the text;
     * each takes one capture at a time. */
    pthread_mutex_t shot_lock; /* shot_stop and the slots */
    pthread_cond_t shot_cond;
    bool shot_ready; /* shot_lock and shot_cond exist */
    bool shot_stop;
    int shot_unanswered;             /* resumed, not yet completed: admin_free lets them finish */
    struct admin_shot_slot shots[2]; /* ADMIN_SHOT_PNG, ADMIN_SHOT_TEXT */
};

enum admin_route {
    ROUTE_NONE,
    ROUTE_ANNS,
    ROUTE_ANN_ONE,
    ROUTE_STATUS,
    ROUTE_SCREENSHOT,
    ROUTE_SCREEN_TEXT,
    ROUTE_STATS,
    ROUTE_METRICS,
};

/* One request's state, kept between the calls libmicrohttpd makes for it. */
struct admin_req {
    enum admin_route route;
    char id[ANN_ID_MAX + 1];
    struct buf body; /* capped at admin_max_body */
    bool too_large;
    size_t discarded;
    /* A screenshot or screen text, filled in by the screenshot thread (under shot_lock)
     * while the connection is suspended. */
    bool shot_done;
    int shot_rc;
    unsigned char *shot;
    size_t shot_len;
};

/* ---- guard.c: who may ask (threads as noted at each definition) ---- */

/* The listen address and the token file, read once by admin_create. */
int admin_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sslen, bool *loopback,
                       char *err, size_t errlen);
int admin_load_token(struct admin *a, const char *path, char *err, size_t errlen);
/* The checks of a request, on libmicrohttpd's thread; the failure table under api_lock. */
bool admin_token_ok(const struct admin *a, const char *presented, size_t len);
void admin_addr_key(const struct sockaddr *sa, unsigned char key[17], char *text, size_t textlen);
int admin_fail_blocked(struct admin *a, const unsigned char key[17], int64_t now_ms);
void admin_fail_record(struct admin *a, const unsigned char key[17], int64_t now_ms,
                       const char *who);
void admin_fail_clear(struct admin *a, const unsigned char key[17]);
void admin_hosts_init(struct admin *a, const char *listen, const char *extra);
bool admin_host_ok(const struct admin *a, struct MHD_Connection *conn, const char *host);
const char *admin_cross_site(const struct admin *a, struct MHD_Connection *conn, const char *host);
/* The header deadline: a connection callback, the request mark and the sweeper thread. */
void admin_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                         enum MHD_ConnectionNotificationCode code);
void admin_conn_mark(struct admin *a, struct MHD_Connection *conn, bool in_request);
void *admin_sweeper(void *arg);
int admin_sweep_init(struct admin *a);

/* ---- routes.c: the handlers and their responses (libmicrohttpd's thread) ---- */

/* An error answer {"error": "..."} with the status; no extra header. */
#define admin_error(conn, status, ...) admin_error_h((conn), (status), NULL, NULL, __VA_ARGS__)

/* Sends body (owned: freed whatever happens) with the status and type. */
enum MHD_Result admin_send(struct MHD_Connection *conn, unsigned status, char *body,
                           const char *type, const char *hname, const char *hvalue);
enum MHD_Result admin_error_h(struct MHD_Connection *conn, unsigned status, const char *hname,
                              const char *hvalue, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The handlers, called by the request handler once the guard let the request in. */
enum MHD_Result admin_get_list(struct admin *a, struct MHD_Connection *conn);
enum MHD_Result admin_get_one(struct admin *a, struct MHD_Connection *conn, const char *id);
enum MHD_Result admin_delete(struct admin *a, struct MHD_Connection *conn, const char *id,
                             const char *who);
enum MHD_Result admin_post(struct admin *a, struct MHD_Connection *conn, struct admin_req *r,
                           const char *who);
enum MHD_Result admin_get_status(struct admin *a, struct MHD_Connection *conn);

/* ---- stats.c and metrics.c: usage counts and the Prometheus page (API thread) ---- */

/* GET /api/v1/stats: from, to (YYYY-MM-DD, facility-local, inclusive; default the last 7
 * days) and format (json, csv). Reads the day files. */
enum MHD_Result admin_get_stats(struct admin *a, struct MHD_Connection *conn);
/* GET /metrics: memory, /proc and /sys only (no file of the state dir is read). */
enum MHD_Result admin_get_metrics(struct admin *a, struct MHD_Connection *conn);

#endif
