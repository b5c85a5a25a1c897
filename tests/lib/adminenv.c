/* adminenv: the admin API served in-process for tests/admin/ (see adminenv.h). */
#include "adminenv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "httpreply.h"
#include "testutil.h"
#include "util/clock.h"

static void on_change(void *ctx)
{
    struct adminenv *e = ctx;
    __atomic_add_fetch(&e->changes, 1, __ATOMIC_SEQ_CST);
}

int adminenv_start(struct adminenv *e)
{
    char err[512];
    e->admin = admin_create(&e->opt, err, sizeof err);
    if (!e->admin) {
        printf("  admin_create: %s\n", err);
        return -1;
    }
    e->port = admin_port(e->admin);
    return 0;
}

int adminenv_init(struct adminenv *e, const struct adminenv_options *o)
{
    char line[512];
    int n;
    memset(e, 0, sizeof *e);
    e->dir = testutil_tempdir();
    if (!e->dir) {
        return -1;
    }
    snprintf(e->state, sizeof e->state, "%s/state", e->dir);
    snprintf(e->token_file, sizeof e->token_file, "%s/token", e->dir);
    n = snprintf(line, sizeof line, "%s\n", o->token);
    if (n < 0 || (size_t)n >= sizeof line ||
        testutil_write_file(e->token_file, line, (size_t)n) < 0 || chmod(e->token_file, 0600) < 0) {
        return -1;
    }
    e->now = o->now;
    e->opt.listen = "127.0.0.1:0";
    e->opt.token_file = e->token_file;
    e->opt.max_body = o->max_body;
    e->opt.state_dir = e->state;
    e->opt.clock = kclock_fixed(&e->now);
    if (o->count_changes) {
        e->opt.on_change = on_change;
        e->opt.on_change_ctx = e;
    }
    return adminenv_start(e);
}

void adminenv_done(struct adminenv *e)
{
    admin_free(e->admin);
    if (e->dir) {
        testutil_rmtree(e->dir);
    }
    free(e->dir);
    e->dir = NULL;
    e->admin = NULL;
}

size_t adminenv_on_body(char *d, size_t s, size_t n, void *u)
{
    struct adminenv_reply *r = u;
    return httpreply_append(&r->body, &r->len, d, s * n) == 0 ? s * n : 0;
}

static size_t on_header(char *d, size_t s, size_t n, void *u)
{
    struct adminenv_reply *r = u;
    httpreply_grab_header(d, s * n, "Allow:", r->allow, sizeof r->allow);
    httpreply_grab_header(d, s * n, "Retry-After:", r->retry_after, sizeof r->retry_after);
    httpreply_grab_header(d, s * n, "Location:", r->location, sizeof r->location);
    httpreply_grab_header(d, s * n, "X-Content-Type-Options:", r->nosniff, sizeof r->nosniff);
    httpreply_grab_header(d, s * n, "Access-Control-Allow-Origin:", r->acao, sizeof r->acao);
    httpreply_grab_header(d, s * n, "Content-Type:", r->type, sizeof r->type);
    httpreply_grab_header(d, s * n, "Content-Security-Policy:", r->csp, sizeof r->csp);
    httpreply_grab_header(d, s * n, "Referrer-Policy:", r->referrer, sizeof r->referrer);
    httpreply_grab_header(d, s * n, "Cache-Control:", r->cache, sizeof r->cache);
    return s * n;
}

struct chunked {
    size_t left;
};

static size_t on_read(char *buf, size_t s, size_t n, void *u)
{
    struct chunked *c = u;
    size_t k = s * n < c->left ? s * n : c->left;
    memset(buf, ' ', k);
    c->left -= k;
    return k;
}

long adminenv_request(int port, const char *method, const char *path, const char *token,
                      const char *body, size_t chunk_bytes, const struct adminenv_req *o,
                      struct adminenv_reply *r)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdrs = NULL;
    char url[512], auth[256];
    struct chunked ch = {chunk_bytes};
    memset(r, 0, sizeof *r);
    if (!h) {
        return -1;
    }
    snprintf(url, sizeof url, "http://%s:%d%s", o && o->connect_to ? o->connect_to : "127.0.0.1",
             port, path);
    for (size_t i = 0; o && i < sizeof o->hdr / sizeof o->hdr[0]; i++) {
        if (o->hdr[i]) {
            hdrs = curl_slist_append(hdrs, o->hdr[i]);
        }
    }
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hdrs = curl_slist_append(hdrs, auth);
    }
    if (chunk_bytes) {
        hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, adminenv_on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (o && o->from) {
        char iface[64];
        snprintf(iface, sizeof iface, "host!%s", o->from);
        curl_easy_setopt(h, CURLOPT_INTERFACE, iface);
    }
    if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    }
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    } else if (chunk_bytes) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(h, CURLOPT_READDATA, &ch);
    }
    if (curl_easy_perform(h) == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    } else {
        r->status = -1;
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    if (!r->body) {
        r->body = calloc(1, 1);
    }
    if (getenv("TEST_VERBOSE")) {
        printf("  %s %s -> %ld %s\n", method, path, r->status, r->body ? r->body : "");
    }
    return r->status;
}

void adminenv_reply_free(struct adminenv_reply *r)
{
    free(r->body);
    r->body = NULL;
}
