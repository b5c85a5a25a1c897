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

    /* The header deadline: the open connections (set up when listening). */
    pthread_mutex_t conn_lock; /* conns and sweep_stop */
    pthread_cond_t sweep_cond;
    bool sweep_ready;          /* conn_lock and sweep_cond exist */
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
    o->clock = clock;
}

/* ---- listen address and token ----------------------------------------------------- */

/* Parses "HOST:PORT" where HOST is an IPv4 literal, "[IPv6]", "localhost" or "*" (every
 * IPv4 address). Sets *loopback when only this machine can connect. */
static int admin_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sslen,
                              bool *loopback, char *err, size_t errlen)
{
    char host[128];
    const char *port_s;
    char *end;
    long port;
    size_t hlen;

    memset(ss, 0, sizeof *ss);
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            goto bad;
        hlen = (size_t)(close - s - 1);
        port_s = close + 2;
        if (hlen == 0 || hlen >= sizeof host)
            goto bad;
        memcpy(host, s + 1, hlen);
        host[hlen] = '\0';
    } else {
        const char *colon = strrchr(s, ':');
        if (!colon)
            goto bad;
        hlen = (size_t)(colon - s);
        port_s = colon + 1;
        if (hlen == 0 || hlen >= sizeof host)
            goto bad;
        memcpy(host, s, hlen);
        host[hlen] = '\0';
    }
    errno = 0;
    port = strtol(port_s, &end, 10);
    if (!*port_s || *end || errno || port < 0 || port > 65535)
        goto bad;

    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    else if (strcmp(host, "*") == 0)
        snprintf(host, sizeof host, "0.0.0.0");
    if (s[0] != '[') {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
            goto bad;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        *loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        *sslen = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
            goto bad;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        *sslen = sizeof *in6;
    }
    return 0;
bad:
    snprintf(err, errlen,
             "admin_listen \"%s\" is not ADDRESS:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)", s);
    return -EINVAL;
}

/* Reads the token, refusing a file that group or others may read or write: anyone who can
 * read it can change what the lobby screen says. Keeps only a hash of it. */
static int admin_load_token(struct admin *a, const char *path, char *err, size_t errlen)
{
    char buf[ADMIN_TOKEN_MAX + 2];
    size_t len = 0;
    struct stat st;
    int rc = -EINVAL;
    int fd;

    if (!path || !path[0]) {
        snprintf(err, errlen, "admin_token_file is not set; the admin API needs a token");
        return -EINVAL;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot open admin token file %s: %s", path, strerror(errno));
        return rc;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "admin token file %s is not a regular file", path);
        goto out;
    }
    if (st.st_mode & 077) {
        snprintf(err, errlen,
                 "admin token file %s is open to group or others (mode %04o); "
                 "run: chmod 600 %s",
                 path, (unsigned)(st.st_mode & 07777), path);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -errno;
            snprintf(err, errlen, "cannot read admin token file %s: %s", path,
                     strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len >= sizeof buf - 1) {
            snprintf(err, errlen, "admin token file %s is longer than %d bytes", path,
                     ADMIN_TOKEN_MAX);
            goto out;
        }
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
                       buf[len - 1] == '\t'))
        len--;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)buf[i] <= 0x20 || (unsigned char)buf[i] >= 0x7f) {
            snprintf(err, errlen,
                     "admin token file %s must hold one line of printable ASCII "
                     "without spaces",
                     path);
            goto out;
        }
    }
    if (len < ADMIN_TOKEN_MIN) {
        snprintf(err, errlen,
                 "admin token in %s is too short (%zu characters, at least %d); "
                 "make one with: head -c 32 /dev/urandom | base64 > %s",
                 path, len, ADMIN_TOKEN_MIN, path);
        goto out;
    }
    crypto_generichash(a->token_hash, sizeof a->token_hash, (const unsigned char *)buf, len,
                       NULL, 0);
    rc = 0;
out:
    sodium_memzero(buf, sizeof buf);
    close(fd);
    return rc;
}

/* Compares hashes rather than the strings: the time taken depends on neither the length
 * nor the content of the presented token. */
static bool admin_token_ok(const struct admin *a, const char *presented, size_t len)
{
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)presented, len, NULL, 0);
    return sodium_memcmp(h, a->token_hash, sizeof h) == 0;
}

/* ---- failed-login table ----------------------------------------------------------- */

static void admin_addr_key(const struct sockaddr *sa, unsigned char key[17], char *text,
                           size_t textlen)
{
    memset(key, 0, 17);
    snprintf(text, textlen, "?");
    if (!sa)
        return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        key[0] = 4;
        memcpy(key + 1, &in->sin_addr, 4);
        inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)textlen);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        key[0] = 6;
        memcpy(key + 1, &in6->sin6_addr, 16);
        inet_ntop(AF_INET6, &in6->sin6_addr, text, (socklen_t)textlen);
    }
}

/* The slot for `key`, or NULL. Caller holds api_lock. */
static struct fail_slot *admin_fail_find(struct admin *a, const unsigned char key[17])
{
    for (size_t i = 0; i < ADMIN_FAIL_SLOTS; i++)
        if (a->fails[i].used && memcmp(a->fails[i].addr, key, 17) == 0)
            return &a->fails[i];
    return NULL;
}

/* Seconds this address must still wait, or 0. */
static int admin_fail_blocked(struct admin *a, const unsigned char key[17], int64_t now_ms)
{
    int wait = 0;
    pthread_mutex_lock(&a->api_lock);
    struct fail_slot *f = admin_fail_find(a, key);
    if (f && f->blocked_until_ms > now_ms)
        wait = (int)((f->blocked_until_ms - now_ms + 999) / 1000);
    pthread_mutex_unlock(&a->api_lock);
    return wait;
}

static void admin_fail_record(struct admin *a, const unsigned char key[17], int64_t now_ms,
                              const char *who)
{
    pthread_mutex_lock(&a->api_lock);
    struct fail_slot *f = admin_fail_find(a, key);
    if (!f) {
        /* A free slot, else the one idle longest: the table never grows. */
        f = &a->fails[0];
        for (size_t i = 0; i < ADMIN_FAIL_SLOTS; i++) {
            if (!a->fails[i].used) {
                f = &a->fails[i];
                break;
            }
            if (a->fails[i].last_ms < f->last_ms)
                f = &a->fails[i];
        }
        memset(f, 0, sizeof *f);
        f->used = true;
        memcpy(f->addr, key, 17);
        f->window_start_ms = now_ms;
    }
    if (now_ms - f->window_start_ms > ADMIN_FAIL_WINDOW_MS) {
        f->window_start_ms = now_ms;
        f->count = 0;
    }
    f->count++;
    f->last_ms = now_ms;
    if (f->count >= ADMIN_FAIL_LIMIT) {
        f->blocked_until_ms = now_ms + ADMIN_BLOCK_MS;
        f->count = 0;
        f->window_start_ms = now_ms;
        LOG_WARN("admin",
                 "%d wrong tokens from %s within a minute; refusing its wrong tokens "
                 "for %d s",
                 ADMIN_FAIL_LIMIT, who, ADMIN_BLOCK_MS / 1000);
    }
    pthread_mutex_unlock(&a->api_lock);
}

/* The right token restarts the count (a typo or two is forgiven) but not a block: staff
 * behind the same address as a guesser must not hand it ten more guesses. */
static void admin_fail_clear(struct admin *a, const unsigned char key[17])
{
    pthread_mutex_lock(&a->api_lock);
    struct fail_slot *f = admin_fail_find(a, key);
    if (f)
        f->count = 0;
    pthread_mutex_unlock(&a->api_lock);
}

/* ---- who may ask: Host, Origin and Sec-Fetch-Site --------------------------------- */

/* Splits a Host value ("name", "name:port", "[v6]", "[v6]:port") into a lower-case name and
 * a port (-1 when absent). False when it is not of that shape. */
static bool admin_host_split(const char *h, char *name, size_t namelen, long *port)
{
    const char *colon;
    size_t n;

    *port = -1;
    if (h[0] == '[') {
        const char *close = strchr(h, ']');
        if (!close || (close[1] != '\0' && close[1] != ':'))
            return false;
        n = (size_t)(close - h) + 1;
        colon = close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = strchr(h, ':');
        if (colon && strchr(colon + 1, ':'))
            return false; /* an IPv6 address without brackets */
        n = colon ? (size_t)(colon - h) : strlen(h);
    }
    if (n == 0 || n >= namelen)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= 0x20 || c >= 0x7f || c == '/' || c == '@')
            return false;
        name[i] = (char)tolower(c);
    }
    name[n] = '\0';
    if (colon) {
        char *end;
        if (!isdigit((unsigned char)colon[1]))
            return false;
        errno = 0;
        *port = strtol(colon + 1, &end, 10);
        if (*end || errno || *port > 65535)
            return false;
    }
    return true;
}

/* Adds one name the API answers to; a malformed one is logged and skipped (the defaults
 * still work, so staff can still reach the kiosk to fix it). */
static void admin_host_add(struct admin *a, const char *h)
{
    struct admin_host *e;
    if (a->n_hosts >= ADMIN_HOSTS_MAX) {
        LOG_WARN("admin", "admin_hosts: more than %d names; ignoring %s", ADMIN_HOSTS_MAX, h);
        return;
    }
    e = &a->hosts[a->n_hosts];
    if (!admin_host_split(h, e->name, sizeof e->name, &e->port)) {
        LOG_WARN("admin", "admin_hosts: \"%s\" is not NAME or NAME:PORT; ignoring it", h);
        return;
    }
    a->n_hosts++;
}

/* The names a browser may use for this kiosk: loopback, the listen address (unless it is a
 * wildcard) and admin_hosts (comma- or space-separated). Anything else in Host is a page
 * whose own name resolved here (DNS rebinding) or a misconfigured proxy. */
static void admin_hosts_init(struct admin *a, const char *listen, const char *extra)
{
    char buf[1024], name[ADMIN_HOST_NAME_MAX];
    long port;

    admin_host_add(a, "localhost");
    admin_host_add(a, "127.0.0.1");
    admin_host_add(a, "[::1]");
    if (admin_host_split(listen, name, sizeof name, &port) && strcmp(name, "*") != 0 &&
        strcmp(name, "0.0.0.0") != 0 && strcmp(name, "[::]") != 0)
        admin_host_add(a, name);
    if (!extra || !extra[0])
        return;
    if (snprintf(buf, sizeof buf, "%s", extra) >= (int)sizeof buf)
        LOG_WARN("admin", "admin_hosts is longer than %zu bytes; the rest is ignored",
                 sizeof buf - 1);
    char *save = NULL;
    for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save))
        admin_host_add(a, t);
}

/* The local end of `conn` (the address and port it came in on). */
static bool admin_local_addr(struct MHD_Connection *conn, struct sockaddr_storage *ss)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    socklen_t len = sizeof *ss;
    memset(ss, 0, sizeof *ss);
    return ci && getsockname(ci->connect_fd, (struct sockaddr *)ss, &len) == 0 &&
           (ss->ss_family == AF_INET || ss->ss_family == AF_INET6);
}

/* True when `name` is an address literal of `local`: a browser that was given the kiosk's
 * own address is not being rebound, whichever interface it came in on. */
static bool admin_host_is_addr(const struct sockaddr_storage *local, const char *name)
{
    unsigned char want[16];
    char inner[INET6_ADDRSTRLEN + 1];
    size_t n = strlen(name);

    if (name[0] == '[') {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)local;
        if (n < 3 || n - 2 >= sizeof inner || local->ss_family != AF_INET6)
            return false;
        memcpy(inner, name + 1, n - 2);
        inner[n - 2] = '\0';
        return inet_pton(AF_INET6, inner, want) == 1 && memcmp(want, &in6->sin6_addr, 16) == 0;
    }
    if (inet_pton(AF_INET, name, want) != 1)
        return false;
    if (local->ss_family == AF_INET)
        return memcmp(want, &((const struct sockaddr_in *)local)->sin_addr, 4) == 0;
    const struct in6_addr *v6 = &((const struct sockaddr_in6 *)local)->sin6_addr;
    return IN6_IS_ADDR_V4MAPPED(v6) && memcmp(want, v6->s6_addr + 12, 4) == 0;
}

/* True when the request's Host names this kiosk, with no port or the port the request came
 * in on. A request without Host (HTTP/1.0) passes: browsers always send one. */
static bool admin_host_ok(const struct admin *a, struct MHD_Connection *conn, const char *host)
{
    char name[ADMIN_HOST_NAME_MAX];
    struct sockaddr_storage local;
    long port, local_port;
    bool port_ours;

    if (!host)
        return true;
    if (!admin_host_split(host, name, sizeof name, &port) || !admin_local_addr(conn, &local))
        return false;
    local_port =
        ntohs(local.ss_family == AF_INET ? ((const struct sockaddr_in *)&local)->sin_port
                                         : ((const struct sockaddr_in6 *)&local)->sin6_port);
    port_ours = port < 0 || port == local_port;
    for (size_t i = 0; i < a->n_hosts; i++) {
        const struct admin_host *e = &a->hosts[i];
        if (strcmp(e->name, name) == 0 && (e->port >= 0 ? port == e->port : port_ours))
            return true;
    }
    return port_ours && admin_host_is_addr(&local, name);
}

/* Why a request comes from a page of another site (a browser says so in Sec-Fetch-Site or
 * Origin), or NULL. Requests without either (curl, kioskctl) and the staff page's own
 * fetches (same-origin) pass. */
static const char *admin_cross_site(const struct admin *a, struct MHD_Connection *conn,
                                    const char *host)
{
    const char *site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
    const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    const char *scheme = a->tls ? "https://" : "http://";
    size_t k = strlen(scheme);

    if (site && strcasecmp(site, "same-origin") != 0 && strcasecmp(site, "none") != 0)
        return "Sec-Fetch-Site";
    if (origin &&
        (!host || strncasecmp(origin, scheme, k) != 0 || strcasecmp(origin + k, host) != 0))
        return "Origin";
    return NULL;
}

/* ---- responses -------------------------------------------------------------------- */

static enum MHD_Result admin_send(struct MHD_Connection *conn, unsigned status, char *body,
                                  const char *type, const char *hname, const char *hvalue)
{
    enum MHD_Result ret;
    struct MHD_Response *resp;
    /* MUST_FREE hands `body` (malloc'd by cJSON or us) to libmicrohttpd. */
    resp = MHD_create_response_from_buffer(body ? strlen(body) : 0, body,
                                           body ? MHD_RESPMEM_MUST_FREE
                                                : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (body)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (hname)
        MHD_add_response_header(resp, hname, hvalue);
    ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result admin_send_json(struct MHD_Connection *conn, unsigned status,
                                       cJSON *doc, const char *hname, const char *hvalue)
{
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    if (!text)
        return MHD_NO;
    return admin_send(conn, status, text, "application/json; charset=utf-8", hname, hvalue);
}

static enum MHD_Result admin_error_h(struct MHD_Connection *conn, unsigned status,
                                     const char *hname, const char *hvalue, const char *fmt,
                                     ...) __attribute__((format(printf, 5, 6)));

static enum MHD_Result admin_error_h(struct MHD_Connection *conn, unsigned status,
                                     const char *hname, const char *hvalue, const char *fmt,
                                     ...)
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

#define admin_error(conn, status, ...) admin_error_h((conn), (status), NULL, NULL, __VA_ARGS__)

/* ---- JSON helpers ----------------------------------------------------------------- */

static bool admin_add_time(cJSON *obj, const char *name, int64_t t)
{
    char buf[40];
    if (t == 0)
        return cJSON_AddNullToObject(obj, name) != NULL;
    timeutil_format_iso8601(t, buf, sizeof buf);
    return cJSON_AddStringToObject(obj, name, buf) != NULL;
}

/* Why a direct announcement is not on this kiosk's screen at `now`, or NULL when it is
 * (as far as its own window and targets go). */
static const char *admin_hidden_reason(const struct admin *a, const struct feed_announcement *an,
                                       int64_t now)
{
    if (now < an->starts_at)
        return "not_started";
    if (!ann_active(an, now))
        return "ended";
    if (!ann_targets_match(an, a->target))
        return "targets";
    return NULL;
}

/* Marks `item` with "active" (inside its window), "shown" and, when not shown, "reason":
 * an announcement for other kiosks is active but not shown here, and staff must see that. */
static bool admin_add_state(const struct admin *a, cJSON *item,
                            const struct feed_announcement *an, int64_t now)
{
    const char *why = admin_hidden_reason(a, an, now);
    return cJSON_AddBoolToObject(item, "active", ann_active(an, now)) &&
           cJSON_AddBoolToObject(item, "shown", why == NULL) &&
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
    if (!f)
        return -1;
    if (fscanf(f, "%lld %lld", &pages, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (long long)sysconf(_SC_PAGESIZE);
}

/* ---- routes ----------------------------------------------------------------------- */

static enum MHD_Result admin_get_list(struct admin *a, struct MHD_Connection *conn)
{
    int64_t now = kclock_now(&a->clock);
    cJSON *doc = cJSON_CreateObject();
    cJSON *direct;
    if (!doc || !admin_add_time(doc, "now", now))
        goto oom;
    /* api_lock keeps the list still while it is read, should requests ever run on more than
     * libmicrohttpd's one thread. */
    pthread_mutex_lock(&a->api_lock);
    direct = admin_list_json(a, admin_store_list(a->store), now);
    pthread_mutex_unlock(&a->api_lock);
    if (!direct)
        goto oom;
    cJSON_AddItemToObject(doc, "announcements", direct);
    pthread_mutex_lock(&a->status_lock);
    if (a->status_active) {
        cJSON *active = admin_list_json(a, a->status_active, now);
        if (active)
            cJSON_AddItemToObject(doc, "active", active);
    }
    pthread_mutex_unlock(&a->status_lock);
    return admin_send_json(conn, MHD_HTTP_OK, doc, NULL, NULL);
oom:
    cJSON_Delete(doc);
    return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
}

static enum MHD_Result admin_get_one(struct admin *a, struct MHD_Connection *conn,
                                     const char *id)
{
    const struct feed_announcement *an;
    cJSON *doc = NULL;
    bool found, ok = false;
    pthread_mutex_lock(&a->api_lock);
    an = ann_list_find(admin_store_list(a->store), id);
    found = an != NULL;
    if (an) {
        doc = ann_to_json(an);
        ok = doc && admin_add_state(a, doc, an, kclock_now(&a->clock));
    }
    pthread_mutex_unlock(&a->api_lock);
    if (!found)
        return admin_error(conn, MHD_HTTP_NOT_FOUND, "no direct announcement with id \"%s\"",
                           id);
    if (!ok) {
        cJSON_Delete(doc);
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    return admin_send_json(conn, MHD_HTTP_OK, doc, NULL, NULL);
}

static enum MHD_Result admin_delete(struct admin *a, struct MHD_Connection *conn,
                                    const char *id, const char *who)
{
    int rc;
    pthread_mutex_lock(&a->api_lock);
    rc = admin_store_remove(a->store, id, kclock_now(&a->clock));
    pthread_mutex_unlock(&a->api_lock);
    if (rc == -ENOENT)
        return admin_error(conn, MHD_HTTP_NOT_FOUND, "no direct announcement with id \"%s\"",
                           id);
    if (rc < 0)
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
                           "could not save the change on the kiosk (%s); the announcement "
                           "was not deleted",
                           strerror(-rc));
    LOG_AUDIT("admin", "announcement %s deleted by %s", id, who);
    /* The app's merged list arrives a frame later; until then a list that still showed the
     * deleted id as active would tell staff their clear did not work. */
    pthread_mutex_lock(&a->status_lock);
    if (a->status_active)
        ann_list_remove(a->status_active, id);
    pthread_mutex_unlock(&a->status_lock);
    if (a->on_change)
        a->on_change(a->on_change_ctx);
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
        if (rc != 0)
            return rc;
    }
    if (!cJSON_IsObject(v) || n < 2)
        return 0;
    names = malloc(n * sizeof *names);
    if (!names)
        return -ENOMEM;
    for (c = v->child; c; c = c->next)
        names[i++] = c->string ? c->string : "";
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

static enum MHD_Result admin_post(struct admin *a, struct MHD_Connection *conn,
                                  struct admin_req *r, const char *who)
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
                              "field '%s' is given twice in one object: send each field once",
                              dup);
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
        if (a->status_active && ann_list_find(a->status_active, ann.id))
            ann_list_put(a->status_active, stored);
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
    LOG_AUDIT("admin", "announcement %s %s by %s (%s)", ann.id,
              replaced ? "replaced" : "created", who,
              ann.created_by ? ann.created_by : "no created_by");
    if (a->on_change)
        a->on_change(a->on_change_ctx);

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
static bool admin_add_panel(cJSON *doc, const struct admin_status *st)
{
    cJSON *panel = cJSON_AddObjectToObject(doc, "panel"), *last;
    bool ok = panel != NULL;

    if (ok && st->panel_state[0] != '\0')
        ok = cJSON_AddStringToObject(panel, "state", st->panel_state) &&
             cJSON_AddStringToObject(panel, "reason", st->panel_reason);
    else if (ok)
        ok = cJSON_AddNullToObject(panel, "state") && cJSON_AddNullToObject(panel, "reason");
    ok = ok && admin_add_time(panel, "since", st->panel_since);
    ok = ok && cJSON_AddBoolToObject(panel, "commands_configured", st->panel_commands);
    if (!ok || st->panel_last_command[0] == '\0')
        return ok && cJSON_AddNullToObject(panel, "last_command");
    last = cJSON_AddObjectToObject(panel, "last_command");
    ok = last && cJSON_AddStringToObject(last, "command", st->panel_last_command);
    ok = ok && cJSON_AddStringToObject(last, "outcome", st->panel_last_outcome);
    /* exit_status only for a command that exited; a kill or a spawn failure is in outcome */
    if (ok && strcmp(st->panel_last_outcome, "exited") == 0)
        ok = cJSON_AddNumberToObject(last, "exit_status", st->panel_last_status) != NULL;
    else if (ok)
        ok = cJSON_AddNullToObject(last, "exit_status") != NULL;
    ok = ok && admin_add_time(last, "finished_at", st->panel_last_at);
    ok = ok && cJSON_AddNumberToObject(last, "elapsed_ms", (double)st->panel_last_ms);
    return ok;
}

static enum MHD_Result admin_get_status(struct admin *a, struct MHD_Connection *conn)
{
    int64_t now = kclock_now(&a->clock);
    int64_t uptime = (kclock_mono_ms() - a->started_mono_ms) / 1000;
    cJSON *doc = cJSON_CreateObject(), *sync, *counts, *ids;
    struct admin_status st;
    size_t n_direct;
    bool have;
    bool ok = true;

    if (!doc)
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    pthread_mutex_lock(&a->status_lock);
    have = a->status_set;
    st = a->status;
    ids = cJSON_CreateArray();
    for (size_t i = 0; ids && a->status_active && i < ann_list_count(a->status_active); i++)
        ok = ok && cJSON_AddItemToArray(
                       ids, cJSON_CreateString(ann_list_at(a->status_active, i)->id));
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
    ok = ok && admin_add_time(doc, "content_fetched_at", st.content_fetched_at);
    if (ok && st.content_fetched_at != 0)
        ok = cJSON_AddNumberToObject(doc, "cache_age_s",
                                     (double)(now - st.content_fetched_at)) != NULL;
    else if (ok)
        ok = cJSON_AddNullToObject(doc, "cache_age_s") != NULL;
    ok = ok && admin_add_time(doc, "feed_generated_at", st.feed_generated_at);
    counts = ok ? cJSON_AddObjectToObject(doc, "counts") : NULL;
    ok = ok && counts && cJSON_AddNumberToObject(counts, "events", (double)st.n_events);
    ok = ok && cJSON_AddNumberToObject(counts, "volunteers", (double)st.n_volunteers);
    ok = ok && cJSON_AddNumberToObject(counts, "announcements_active",
                                       (double)st.n_announcements);
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

        while (!a->shot_stop && !slot->job)
            pthread_cond_wait(&a->shot_cond, &a->shot_lock);
        r = slot->job;
        if (!r)
            break; /* stopping, nothing queued */
        conn = slot->conn;
        stop = a->shot_stop;
        slot->job = NULL;
        pthread_mutex_unlock(&a->shot_lock);

        if (!stop && fn)
            rc = fn(a->screenshot_ctx, &data, &len);
        if (rc == 0 && !data)
            rc = -EIO;
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
    if (stopping)
        return admin_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "the kiosk is shutting down; no screenshot now");
    if (busy)
        return admin_error_h(conn, MHD_HTTP_TOO_MANY_REQUESTS, MHD_HTTP_HEADER_RETRY_AFTER, "1",
                             "another screenshot is being taken; try again in 1 s");
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
    if (r->shot_rc < 0)
        return admin_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "the kiosk could not take a screenshot now (%s); try again",
                           strerror(-r->shot_rc));
    resp = MHD_create_response_from_buffer(r->shot_len, r->shot, MHD_RESPMEM_MUST_FREE);
    if (!resp)
        return MHD_NO; /* r->shot is freed with the request */
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
    if (pthread_mutex_init(&a->shot_lock, NULL) != 0)
        return -ENOMEM;
    if (pthread_cond_init(&a->shot_cond, NULL) != 0) {
        pthread_mutex_destroy(&a->shot_lock);
        return -ENOMEM;
    }
    a->shot_ready = true;
    for (size_t i = 0; i < sizeof a->shots / sizeof a->shots[0]; i++) {
        struct admin_shot_slot *slot = &a->shots[i];
        slot->a = a;
        if (pthread_create(&slot->thread, NULL, admin_shot_thread, slot) != 0)
            return -EAGAIN;
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
    if (!a->shot_ready)
        return;
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
           pthread_cond_timedwait(&a->shot_cond, &a->shot_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&a->shot_lock);
}

/* A resumed screenshot request is over (answered, or its client gone). */
static void admin_shot_completed(struct admin *a, const struct admin_req *r)
{
    if (!a->shot_ready || !r->shot_done)
        return;
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
        if (!get && !admin_method_is(method, "POST"))
            allow = "GET, HEAD, POST";
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
        if (!get && !admin_method_is(method, "DELETE"))
            allow = "GET, HEAD, DELETE";
    } else if (strcmp(url, PATH_STATUS) == 0) {
        r->route = ROUTE_STATUS;
        if (!get)
            allow = "GET, HEAD";
    } else if (strcmp(url, PATH_SCREENSHOT) == 0 && a->screenshot) {
        r->route = ROUTE_SCREENSHOT;
        if (!get)
            allow = "GET, HEAD";
    } else if (strcmp(url, PATH_SCREEN_TEXT) == 0 && a->screen_text) {
        r->route = ROUTE_SCREEN_TEXT;
        if (!get)
            allow = "GET, HEAD";
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
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return TOKEN_NONE;
    h += 7;
    while (*h == ' ')
        h++;
    len = strlen(h);
    while (len > 0 && h[len - 1] == ' ')
        len--;
    if (len == 0)
        return TOKEN_NONE;
    return admin_token_ok(a, h, len) ? TOKEN_OK : TOKEN_WRONG;
}

/* The first call of a request: everything that can be judged from the headers alone. */
static enum MHD_Result admin_begin(struct admin *a, struct MHD_Connection *conn,
                                   const char *url, const char *method, struct admin_req *r,
                                   const char *who, const unsigned char key[17], bool *done)
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
    if (admin_staff_is_page(url))
        return admin_staff_serve(conn, url, method);
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
    if (admin_method_is(method, "OPTIONS"))
        return admin_send(conn, MHD_HTTP_NO_CONTENT, NULL, NULL, MHD_HTTP_HEADER_ALLOW,
                          "GET, HEAD, POST, DELETE, OPTIONS");
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
    if (!admin_route(a, conn, url, method, r, &ret))
        return ret;
    if (r->route == ROUTE_ANNS && admin_method_is(method, "POST")) {
        clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                           MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (clen && strtoull(clen, NULL, 10) > a->max_body)
            return admin_error(conn, MHD_HTTP_CONTENT_TOO_LARGE,
                               "the request body is larger than the kiosk's limit of %zu "
                               "bytes (admin_max_body)",
                               a->max_body);
        *done = false; /* the body follows */
        return MHD_YES;
    }
    switch (r->route) {
    case ROUTE_ANNS:
        return admin_get_list(a, conn);
    case ROUTE_ANN_ONE:
        if (admin_method_is(method, "DELETE"))
            return admin_delete(a, conn, r->id, who);
        return admin_get_one(a, conn, r->id);
    case ROUTE_STATUS:
        return admin_get_status(a, conn);
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

/* ---- the header deadline ---------------------------------------------------------- */

/* libmicrohttpd's thread: a connection opened or closed. CLOSED comes before libmicrohttpd
 * closes the socket and takes conn_lock, so the sweeper never touches a closed (or reused)
 * descriptor. */
static void admin_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                                enum MHD_ConnectionNotificationCode code)
{
    struct admin *a = cls;
    const union MHD_ConnectionInfo *ci = NULL;

    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    pthread_mutex_lock(&a->conn_lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED && ci) {
        for (size_t i = 0; i < ADMIN_CONN_LIMIT; i++) {
            struct admin_conn *c = &a->conns[i];
            if (!c->used) {
                c->used = true;
                c->fd = ci->connect_fd;
                c->in_request = false;
                c->since_ms = kclock_mono_ms();
                *socket_context = c;
                break;
            }
        }
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct admin_conn *c = *socket_context;
        c->used = false;
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&a->conn_lock);
}

/* A request on `conn` got its headers (true) or ended (false). */
static void admin_conn_mark(struct admin *a, struct MHD_Connection *conn, bool in_request)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (!a->sweep_ready || !ci || !ci->socket_context)
        return;
    pthread_mutex_lock(&a->conn_lock);
    struct admin_conn *c = ci->socket_context;
    c->in_request = in_request;
    c->since_ms = kclock_mono_ms();
    pthread_mutex_unlock(&a->conn_lock);
}

/* Once a second, shuts down the sockets whose request headers are overdue. shutdown, not
 * close: libmicrohttpd then reads the end of the stream and closes the connection on its own
 * thread, freeing its place in the limits. */
static void *admin_sweeper(void *arg)
{
    struct admin *a = arg;
    pthread_mutex_lock(&a->conn_lock);
    while (!a->sweep_stop) {
        struct timespec until;
        int64_t now;
        int cut = 0;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&a->sweep_cond, &a->conn_lock, &until);
        now = kclock_mono_ms();
        for (size_t i = 0; i < ADMIN_CONN_LIMIT; i++) {
            struct admin_conn *c = &a->conns[i];
            if (c->used && !c->in_request &&
                now - c->since_ms > ADMIN_HEADER_DEADLINE_S * 1000) {
                shutdown(c->fd, SHUT_RDWR);
                c->since_ms = now; /* once is enough */
                cut++;
            }
        }
        if (cut > 0)
            LOG_WARN("admin", "closed %d connection(s) whose request headers took over %d s",
                     cut, ADMIN_HEADER_DEADLINE_S);
    }
    pthread_mutex_unlock(&a->conn_lock);
    return NULL;
}

/* Makes conn_lock and a monotonic sweep_cond; the sweeper starts with the daemon. */
static int admin_sweep_init(struct admin *a)
{
    pthread_condattr_t attr;
    int rc = -ENOMEM;
    if (pthread_condattr_init(&attr) != 0)
        return rc;
    if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
        pthread_mutex_init(&a->conn_lock, NULL) == 0) {
        if (pthread_cond_init(&a->sweep_cond, &attr) == 0) {
            a->sweep_ready = true;
            rc = 0;
        } else {
            pthread_mutex_destroy(&a->conn_lock);
        }
    }
    pthread_condattr_destroy(&attr);
    return rc;
}

static enum MHD_Result admin_on_request(void *cls, struct MHD_Connection *conn,
                                        const char *url, const char *method,
                                        const char *version, const char *upload_data,
                                        size_t *upload_data_size, void **con_cls)
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
        if (!r)
            return MHD_NO;
        buf_init(&r->body, a->max_body);
        *con_cls = r;
        ret = admin_begin(a, conn, url, method, r, who, key, &done);
        if (done)
            r->route = ROUTE_NONE; /* answered: later calls only drain */
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
        if (!keep)
            LOG_WARN("admin", "dropping the connection from %s: body far beyond the limit",
                     who);
        return keep ? MHD_YES : MHD_NO;
    }
    r->route = ROUTE_NONE;
    if (r->too_large)
        return admin_error(conn, MHD_HTTP_CONTENT_TOO_LARGE,
                           "the request body is larger than the kiosk's limit of %zu bytes "
                           "(admin_max_body)",
                           a->max_body);
    return admin_post(a, conn, r, who);
}

/* libmicrohttpd decodes %XX in the path before the handler sees it, and a decoded %00 ends
 * the C string there: DELETE .../abc%00xyz would delete "abc". A path holding %00 is left
 * undecoded instead, so its id (with a '%') is refused like any other bad id. */
static size_t admin_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    if (strstr(s, "%00"))
        return strlen(s);
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
    while (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    LOG_WARN("admin", "microhttpd: %s", line);
}
#pragma GCC diagnostic pop

/* ---- lifecycle -------------------------------------------------------------------- */

static int admin_load_tls(struct admin *a, const struct admin_options *o, char *err,
                          size_t errlen)
{
    size_t len;
    int rc;
    if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
        snprintf(err, errlen, "this libmicrohttpd was built without TLS support");
        return -ENOTSUP;
    }
    rc = fsio_read_file(o->tls_cert, 1024 * 1024, &a->tls_cert_pem, &len);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read admin_tls_cert %s: %s", o->tls_cert,
                 strerror(-rc));
        return rc;
    }
    rc = fsio_read_file(o->tls_key, 1024 * 1024, &a->tls_key_pem, &len);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read admin_tls_key %s: %s", o->tls_key, strerror(-rc));
        return rc;
    }
    return 0;
}

static int admin_start(struct admin *a, const struct admin_options *o, char *err,
                       size_t errlen)
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
    if (rc < 0)
        return rc;
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
    if (rc < 0)
        return rc;
    if (want_tls) {
        rc = admin_load_tls(a, o, err, errlen);
        if (rc < 0)
            return rc;
        flags |= MHD_USE_TLS;
    }
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
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
    if (!loopback && !want_tls)
        LOG_WARN("admin", "admin API on %s without TLS (admin_allow_plain_remote): tokens "
                 "cross the network in clear", o->listen);

    if (want_tls)
        a->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, admin_on_request, a, MHD_OPTION_EXTERNAL_LOGGER,
            admin_mhd_log, a, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, ADMIN_CONN_LIMIT,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, ADMIN_PER_IP_LIMIT,
            MHD_OPTION_CONNECTION_TIMEOUT, ADMIN_CONN_TIMEOUT_S, MHD_OPTION_NOTIFY_COMPLETED,
            admin_on_completed, a, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
            MHD_OPTION_UNESCAPE_CALLBACK, admin_unescape, NULL, MHD_OPTION_NOTIFY_CONNECTION,
            admin_on_connection, a, MHD_OPTION_HTTPS_MEM_CERT,
            a->tls_cert_pem, MHD_OPTION_HTTPS_MEM_KEY, a->tls_key_pem, MHD_OPTION_END);
    else
        a->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, admin_on_request, a, MHD_OPTION_EXTERNAL_LOGGER,
            admin_mhd_log, a, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, ADMIN_CONN_LIMIT,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, ADMIN_PER_IP_LIMIT,
            MHD_OPTION_CONNECTION_TIMEOUT, ADMIN_CONN_TIMEOUT_S, MHD_OPTION_NOTIFY_COMPLETED,
            admin_on_completed, a, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
            MHD_OPTION_UNESCAPE_CALLBACK, admin_unescape, NULL, MHD_OPTION_NOTIFY_CONNECTION,
            admin_on_connection, a, MHD_OPTION_END);
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

    if (err && errlen)
        err[0] = '\0';
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
    a->max_body = o->max_body ? o->max_body : ADMIN_MAX_BODY_DEFAULT;
    a->started_mono_ms = kclock_mono_ms();
    if (!a->clock.now) {
        snprintf(err, errlen, "admin needs a clock");
        goto fail;
    }
    if (!o->state_dir ||
        snprintf(a->state_dir, sizeof a->state_dir, "%s", o->state_dir) >=
            (int)sizeof a->state_dir) {
        snprintf(err, errlen, "state_dir is missing or too long");
        goto fail;
    }
    if (o->target && o->target[0] && !(a->target = strdup(o->target))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    a->store = admin_store_open(o->state_dir, kclock_now(&a->clock), o->feed_anns, err, errlen);
    if (!a->store)
        goto fail;
    sys_health_default_paths(&health_paths, a->state_dir);
    a->health = admin_health_create(&health_paths);
    if (!a->health) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (o->listen && o->listen[0]) {
        if (admin_start(a, o, err, errlen) < 0)
            goto fail;
    } else {
        LOG_INFO("admin", "admin_listen is empty: the admin API is off");
    }
    return a;
fail:
    if (locks)
        admin_free(a);
    return NULL;
}

void admin_free(struct admin *a)
{
    if (!a)
        return;
    admin_shot_stop(a); /* resumes any suspended connection: the daemon must not hold one */
    if (a->sweeper_started) {
        pthread_mutex_lock(&a->conn_lock);
        a->sweep_stop = true;
        pthread_cond_signal(&a->sweep_cond);
        pthread_mutex_unlock(&a->conn_lock);
        pthread_join(a->sweeper, NULL);
    }
    if (a->daemon)
        MHD_stop_daemon(a->daemon);
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
        if (!copy)
            return -ENOMEM;
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
