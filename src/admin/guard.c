/* guard: who may ask the admin API (see admin.c for the order of the checks).
 *
 * The listen address and the bearer token (kept only as a hash, compared in constant time),
 * the table of addresses that sent wrong tokens (ten in a minute block the address for a
 * minute; a request without a token is never counted, so nobody can lock staff out), the
 * Host, Origin and Sec-Fetch-Site checks that keep other web pages and DNS rebinding out,
 * and the header deadline: a sweeper thread cuts connections whose request headers do not
 * arrive in time (slowloris). It answers no request itself. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "admin/admin_internal.h"
#include "util/fsio.h"
#include "util/log.h"

/* ---- listen address and token ----------------------------------------------------- */

/* Parses "HOST:PORT" where HOST is an IPv4 literal, "[IPv6]", "localhost" or "*" (every
 * IPv4 address). Sets *loopback when only this machine can connect. */
int admin_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sslen, bool *loopback,
                       char *err, size_t errlen)
{
    char host[128];
    const char *port_s;
    char *end;
    long port;
    size_t hlen;

    memset(ss, 0, sizeof *ss);
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':') {
            goto bad;
        }
        hlen = (size_t)(close - s - 1);
        port_s = close + 2;
        if (hlen == 0 || hlen >= sizeof host) {
            goto bad;
        }
        memcpy(host, s + 1, hlen);
        host[hlen] = '\0';
    } else {
        const char *colon = strrchr(s, ':');
        if (!colon) {
            goto bad;
        }
        hlen = (size_t)(colon - s);
        port_s = colon + 1;
        if (hlen == 0 || hlen >= sizeof host) {
            goto bad;
        }
        memcpy(host, s, hlen);
        host[hlen] = '\0';
    }
    errno = 0;
    port = strtol(port_s, &end, 10);
    if (!*port_s || *end || errno || port < 0 || port > 65535) {
        goto bad;
    }

    if (strcmp(host, "localhost") == 0) {
        snprintf(host, sizeof host, "127.0.0.1");
    } else if (strcmp(host, "*") == 0) {
        snprintf(host, sizeof host, "0.0.0.0");
    }
    if (s[0] != '[') {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        if (inet_pton(AF_INET, host, &in->sin_addr) != 1) {
            goto bad;
        }
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        *loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        *sslen = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1) {
            goto bad;
        }
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
int admin_load_token(struct admin *a, const char *path, char *err, size_t errlen)
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
    /* never blocks: a FIFO swapped in after the app's own check would hold this thread */
    fd = fsio_open_regular(path);
    if (fd < 0) {
        rc = fd;
        snprintf(err, errlen, "cannot open admin token file %s: %s", path, fsio_strerror(fd));
        return rc;
    }
    if (fstat(fd, &st) < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot read admin token file %s: %s", path, strerror(errno));
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
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = -errno;
            snprintf(err, errlen, "cannot read admin token file %s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
        if (len >= sizeof buf - 1) {
            snprintf(err, errlen, "admin token file %s is longer than %d bytes", path,
                     ADMIN_TOKEN_MAX);
            goto out;
        }
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
                       buf[len - 1] == '\t')) {
        len--;
    }
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
    crypto_generichash(a->token_hash, sizeof a->token_hash, (const unsigned char *)buf, len, NULL,
                       0);
    rc = 0;
out:
    sodium_memzero(buf, sizeof buf);
    close(fd);
    return rc;
}

/* Compares hashes rather than the strings: the time taken depends on neither the length
 * nor the content of the presented token. */
bool admin_token_ok(const struct admin *a, const char *presented, size_t len)
{
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)presented, len, NULL, 0);
    return sodium_memcmp(h, a->token_hash, sizeof h) == 0;
}

/* ---- failed-login table ----------------------------------------------------------- */

void admin_addr_key(const struct sockaddr *sa, unsigned char key[17], char *text, size_t textlen)
{
    memset(key, 0, 17);
    snprintf(text, textlen, "?");
    if (!sa) {
        return;
    }
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
    for (size_t i = 0; i < ADMIN_FAIL_SLOTS; i++) {
        if (a->fails[i].used && memcmp(a->fails[i].addr, key, 17) == 0) {
            return &a->fails[i];
        }
    }
    return NULL;
}

/* Seconds this address must still wait, or 0. */
int admin_fail_blocked(struct admin *a, const unsigned char key[17], int64_t now_ms)
{
    int wait = 0;
    pthread_mutex_lock(&a->api_lock);
    struct fail_slot *f = admin_fail_find(a, key);
    if (f && f->blocked_until_ms > now_ms) {
        wait = (int)((f->blocked_until_ms - now_ms + 999) / 1000);
    }
    pthread_mutex_unlock(&a->api_lock);
    return wait;
}

void admin_fail_record(struct admin *a, const unsigned char key[17], int64_t now_ms,
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
            if (a->fails[i].last_ms < f->last_ms) {
                f = &a->fails[i];
            }
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
void admin_fail_clear(struct admin *a, const unsigned char key[17])
{
    pthread_mutex_lock(&a->api_lock);
    struct fail_slot *f = admin_fail_find(a, key);
    if (f) {
        f->count = 0;
    }
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
        if (!close || (close[1] != '\0' && close[1] != ':')) {
            return false;
        }
        n = (size_t)(close - h) + 1;
        colon = close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = strchr(h, ':');
        if (colon && strchr(colon + 1, ':')) {
            return false; /* an IPv6 address without brackets */
        }
        n = colon ? (size_t)(colon - h) : strlen(h);
    }
    if (n == 0 || n >= namelen) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c <= 0x20 || c >= 0x7f || c == '/' || c == '@') {
            return false;
        }
        name[i] = (char)tolower(c);
    }
    name[n] = '\0';
    if (colon) {
        char *end;
        if (!isdigit((unsigned char)colon[1])) {
            return false;
        }
        errno = 0;
        *port = strtol(colon + 1, &end, 10);
        if (*end || errno || *port > 65535) {
            return false;
        }
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
void admin_hosts_init(struct admin *a, const char *listen, const char *extra)
{
    char buf[1024], name[ADMIN_HOST_NAME_MAX];
    long port;

    admin_host_add(a, "localhost");
    admin_host_add(a, "127.0.0.1");
    admin_host_add(a, "[::1]");
    if (admin_host_split(listen, name, sizeof name, &port) && strcmp(name, "*") != 0 &&
        strcmp(name, "0.0.0.0") != 0 && strcmp(name, "[::]") != 0) {
        admin_host_add(a, name);
    }
    if (!extra || !extra[0]) {
        return;
    }
    if (snprintf(buf, sizeof buf, "%s", extra) >= (int)sizeof buf) {
        LOG_WARN("admin", "admin_hosts is longer than %zu bytes; the rest is ignored",
                 sizeof buf - 1);
    }
    char *save = NULL;
    for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
        admin_host_add(a, t);
    }
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
        if (n < 3 || n - 2 >= sizeof inner || local->ss_family != AF_INET6) {
            return false;
        }
        memcpy(inner, name + 1, n - 2);
        inner[n - 2] = '\0';
        return inet_pton(AF_INET6, inner, want) == 1 && memcmp(want, &in6->sin6_addr, 16) == 0;
    }
    if (inet_pton(AF_INET, name, want) != 1) {
        return false;
    }
    if (local->ss_family == AF_INET) {
        return memcmp(want, &((const struct sockaddr_in *)local)->sin_addr, 4) == 0;
    }
    const struct in6_addr *v6 = &((const struct sockaddr_in6 *)local)->sin6_addr;
    return IN6_IS_ADDR_V4MAPPED(v6) && memcmp(want, v6->s6_addr + 12, 4) == 0;
}

/* True when the request's Host names this kiosk, with no port or the port the request came
 * in on. A request without Host (HTTP/1.0) passes: browsers always send one. */
bool admin_host_ok(const struct admin *a, struct MHD_Connection *conn, const char *host)
{
    char name[ADMIN_HOST_NAME_MAX];
    struct sockaddr_storage local;
    long port, local_port;
    bool port_ours;

    if (!host) {
        return true;
    }
    if (!admin_host_split(host, name, sizeof name, &port) || !admin_local_addr(conn, &local)) {
        return false;
    }
    local_port =
        ntohs(local.ss_family == AF_INET ? ((const struct sockaddr_in *)&local)->sin_port
                                         : ((const struct sockaddr_in6 *)&local)->sin6_port);
    port_ours = port < 0 || port == local_port;
    for (size_t i = 0; i < a->n_hosts; i++) {
        const struct admin_host *e = &a->hosts[i];
        if (strcmp(e->name, name) == 0 && (e->port >= 0 ? port == e->port : port_ours)) {
            return true;
        }
    }
    return port_ours && admin_host_is_addr(&local, name);
}

/* Why a request comes from a page of another site (a browser says so in Sec-Fetch-Site or
 * Origin), or NULL. Requests without either (curl, kioskctl) and the staff page's own
 * fetches (same-origin) pass. */
const char *admin_cross_site(const struct admin *a, struct MHD_Connection *conn, const char *host)
{
    const char *site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
    const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    const char *scheme = a->tls ? "https://" : "http://";
    size_t k = strlen(scheme);

    if (site && strcasecmp(site, "same-origin") != 0 && strcasecmp(site, "none") != 0) {
        return "Sec-Fetch-Site";
    }
    if (origin &&
        (!host || strncasecmp(origin, scheme, k) != 0 || strcasecmp(origin + k, host) != 0)) {
        return "Origin";
    }
    return NULL;
}

/* ---- the header deadline ---------------------------------------------------------- */

/* libmicrohttpd's thread: a connection opened or closed. CLOSED comes before libmicrohttpd
 * closes the socket and takes conn_lock, so the sweeper never touches a closed (or reused)
 * descriptor. */
void admin_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                         enum MHD_ConnectionNotificationCode code)
{
    struct admin *a = cls;
    const union MHD_ConnectionInfo *ci = NULL;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    }
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
void admin_conn_mark(struct admin *a, struct MHD_Connection *conn, bool in_request)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (!a->sweep_ready || !ci || !ci->socket_context) {
        return;
    }
    pthread_mutex_lock(&a->conn_lock);
    struct admin_conn *c = ci->socket_context;
    c->in_request = in_request;
    c->since_ms = kclock_mono_ms();
    pthread_mutex_unlock(&a->conn_lock);
}

/* Once a second, shuts down the sockets whose request headers are overdue. shutdown, not
 * close: libmicrohttpd then reads the end of the stream and closes the connection on its own
 * thread, freeing its place in the limits. */
void *admin_sweeper(void *arg)
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
            if (c->used && !c->in_request && now - c->since_ms > ADMIN_HEADER_DEADLINE_S * 1000) {
                shutdown(c->fd, SHUT_RDWR);
                c->since_ms = now; /* once is enough */
                cut++;
            }
        }
        if (cut > 0) {
            LOG_WARN("admin", "closed %d connection(s) whose request headers took over %d s", cut,
                     ADMIN_HEADER_DEADLINE_S);
        }
    }
    pthread_mutex_unlock(&a->conn_lock);
    return NULL;
}

/* Makes conn_lock and a monotonic sweep_cond; the sweeper starts with the daemon. */
int admin_sweep_init(struct admin *a)
{
    pthread_condattr_t attr;
    int rc = -ENOMEM;
    if (pthread_condattr_init(&attr) != 0) {
        return rc;
    }
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
