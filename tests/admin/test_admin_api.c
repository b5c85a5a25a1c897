/* test_admin_api: the admin API served in-process on a loopback port, driven with libcurl.
 *
 * Each test starts its own admin on 127.0.0.1 port 0 (the kernel picks a free port) with a
 * temp state dir, a 0600 token file and a fixed clock, so tests neither collide nor depend
 * on the time of day. "Nothing changes" is checked both through the API and on disk. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "admin/admin.h"
#include "admin/store.h"
#include "adminenv.h"
#include "testutil.h"
#include "util/clock.h"
#include "util/fsio.h"
#include "util/log.h"

#define TOKEN "test-token-0123456789abcdef"
#define T0 1780000000LL /* 2026-05-28T20:26:40Z */

/* Each test's admin: this test's token and clock, a 4 KiB body cap, on_change counted. */
static int env_init(struct adminenv *e)
{
    const struct adminenv_options o = {TOKEN, T0, 4096, true};
    return adminenv_init(e, &o);
}

static long request_ex(int port, const char *method, const char *path, const char *token,
                       const char *body, size_t chunk_bytes, struct adminenv_reply *r)
{
    return adminenv_request(port, method, path, token, body, chunk_bytes, NULL, r);
}

/* A request with up to two extra headers ("Origin: ...", "Host: ..."). */
static long request_h(struct adminenv *e, const char *method, const char *path, const char *token,
                      const char *h1, const char *h2, struct adminenv_reply *r)
{
    struct adminenv_req o = {{h1, h2, NULL, NULL}, NULL, NULL};
    return adminenv_request(e->port, method, path, token, NULL, 0, &o, r);
}

static long request(struct adminenv *e, const char *method, const char *path, const char *token,
                    const char *body, struct adminenv_reply *r)
{
    return request_ex(e->port, method, path, token, body, 0, r);
}

/* The "error" member of a JSON error answer, or "" (static buffer). */
static const char *error_of(const struct adminenv_reply *r)
{
    static char msg[512];
    cJSON *doc = cJSON_Parse(r->body);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "error");
    snprintf(msg, sizeof msg, "%s", cJSON_IsString(e) ? e->valuestring : "");
    cJSON_Delete(doc);
    return msg;
}

static int count_direct(struct adminenv *e)
{
    struct adminenv_reply r;
    int n = -1;
    if (request(e, "GET", "/api/v1/announcements", TOKEN, NULL, &r) == 200) {
        cJSON *doc = cJSON_Parse(r.body);
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "announcements");
        n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : -1;
        cJSON_Delete(doc);
    }
    adminenv_reply_free(&r);
    return n;
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static const char *store_file(struct adminenv *e, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", e->state, ADMIN_STORE_FILE);
    return buf;
}

static const char ann_closing[] =
    "{\"id\": \"closing\", \"text\": {\"ja\": \"本日は17時30分で閉館します\", "
    "\"en\": \"Closing at 17:30 today\"}, \"level\": \"important\", "
    "\"ends_at\": \"2026-05-29T17:30:00+09:00\", \"created_by\": \"desk\"}";

static const char ann_fire[] = "{\"id\": \"fire\", \"text\": {\"ja\": \"火災です\"}, "
                               "\"level\": \"emergency\", \"until_cleared\": true}";

/* ---- tests ------------------------------------------------------------------------ */

static void post_creates_then_replaces_lists_and_deletes(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char path[1200];
    cJSON *doc;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(e.port > 0);
    CHECK(count_direct(&e) == 0);

    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_closing, &r) == 201);
    doc = cJSON_Parse(r.body);
    CHECK(doc && strcmp(cJSON_GetObjectItem(doc, "id")->valuestring, "closing") == 0);
    CHECK(doc && cJSON_IsTrue(cJSON_GetObjectItem(doc, "active")));
    CHECK(strcmp(r.location, "/api/v1/announcements/closing") == 0);
    cJSON_Delete(doc);
    adminenv_reply_free(&r);
    CHECK(file_exists(store_file(&e, path, sizeof path)));
    CHECK(e.changes == 1);

    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_closing, &r) == 200);
    adminenv_reply_free(&r);
    CHECK(count_direct(&e) == 1);
    CHECK(e.changes == 2);

    CHECK(request(&e, "GET", "/api/v1/announcements/closing", TOKEN, NULL, &r) == 200);
    CHECK(strstr(r.body, "本日は17時30分で閉館します"));
    adminenv_reply_free(&r);

    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_fire, &r) == 201);
    adminenv_reply_free(&r);
    CHECK(count_direct(&e) == 2);

    struct ann_list *snap = admin_snapshot_direct(e.admin);
    CHECK(snap && ann_list_count(snap) == 2);
    CHECK(snap && ann_list_find(snap, "fire") && ann_list_find(snap, "fire")->until_cleared);
    CHECK(snap && ann_list_find(snap, "closing") &&
          ann_list_find(snap, "closing")->source == ANN_SOURCE_DIRECT);
    ann_list_free(snap);

    CHECK(request(&e, "DELETE", "/api/v1/announcements/closing", TOKEN, NULL, &r) == 204);
    adminenv_reply_free(&r);
    CHECK(request(&e, "DELETE", "/api/v1/announcements/closing", TOKEN, NULL, &r) == 404);
    CHECK(strstr(error_of(&r), "closing"));
    adminenv_reply_free(&r);
    CHECK(count_direct(&e) == 1);
    CHECK(e.changes == 4);
    adminenv_done(&e);
}

static void post_without_id_gets_a_generated_one(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    cJSON *doc;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN,
                  "{\"text\": {\"ja\": \"テスト\"}, \"level\": \"normal\", "
                  "\"ends_at\": \"2026-05-29T17:30:00+09:00\"}",
                  &r) == 201);
    doc = cJSON_Parse(r.body);
    const cJSON *id = cJSON_GetObjectItem(doc, "id");
    CHECK(cJSON_IsString(id) && ann_id_valid(id->valuestring));
    cJSON_Delete(doc);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void missing_or_wrong_token_is_401_and_changes_nothing(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char path[1200];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "POST", "/api/v1/announcements", NULL, ann_closing, &r) == 401);
    CHECK(strstr(error_of(&r), "token"));
    adminenv_reply_free(&r);
    CHECK(request(&e, "POST", "/api/v1/announcements", "wrong-token-0123456789", ann_closing, &r) ==
          401);
    adminenv_reply_free(&r);
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN "x", ann_closing, &r) == 401);
    adminenv_reply_free(&r);
    CHECK(request(&e, "GET", "/api/v1/status", "", NULL, &r) == 401);
    adminenv_reply_free(&r);
    CHECK(request(&e, "GET", "/nowhere", NULL, NULL, &r) == 401);
    adminenv_reply_free(&r);
    CHECK(!file_exists(store_file(&e, path, sizeof path)));
    CHECK(count_direct(&e) == 0);
    CHECK(e.changes == 0);
    adminenv_done(&e);
}

static void token_file_open_to_others_refuses_to_start(void)
{
    struct adminenv e;
    char err[512];
    struct admin *a;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(chmod(e.token_file, 0644) == 0);
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(!a);
    CHECK(strstr(err, "chmod 600"));
    admin_free(a);
    CHECK(chmod(e.token_file, 0640) == 0);
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(!a);
    admin_free(a);

    CHECK(testutil_write_file(e.token_file, "short\n", 6) == 0 && chmod(e.token_file, 0600) == 0);
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(!a && strstr(err, "too short"));
    admin_free(a);

    e.opt.token_file = "/nonexistent/token";
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(!a && strstr(err, "/nonexistent/token"));
    admin_free(a);
    adminenv_done(&e);
}

/* Bodies the API must refuse with 400, and the word its error must contain so the staff
 * PC can say what to fix (NULL: any error will do). One row per way a body can be wrong. */
struct bad_body {
    const char *why;
    const char *body;
    const char *field;
};

#define ENDS_OK "\"ends_at\": \"2026-05-29T17:30:00+09:00\""

static const struct bad_body bad_bodies[] = {
    {"cut short", "{\"id\": \"a\",", "JSON"},
    {"not an object", "[1, 2]", "object"},
    {"trailing garbage", "{} trailing", NULL},
    {"empty", "", "empty"},
    {"wrong type", "{\"id\": \"x\", \"text\": {\"ja\": \"a\"}, \"level\": 3, " ENDS_OK "}",
     "level"},
    {"missing text", "{\"id\": \"x\", \"level\": \"normal\", " ENDS_OK "}", "text"},
    {"missing ends_at", "{\"id\": \"x\", \"text\": {\"ja\": \"a\"}, \"level\": \"normal\"}",
     "ends_at"},
    {"unknown level",
     "{\"id\": \"x\", \"text\": {\"ja\": \"a\"}, \"level\": \"urgent\", " ENDS_OK "}", "level"},
    {"until_cleared on a non-emergency",
     "{\"id\": \"x\", \"text\": {\"ja\": \"a\"}, \"level\": \"normal\", \"until_cleared\": true}",
     "until_cleared"},
    {"already ended by the kiosk's clock",
     "{\"id\": \"x\", \"text\": {\"ja\": \"a\"}, \"level\": \"normal\", "
     "\"ends_at\": \"2020-01-01T00:00:00+09:00\"}",
     "ends_at"},
    {"a bad id",
     "{\"id\": \"../etc\", \"text\": {\"ja\": \"a\"}, \"level\": \"normal\", " ENDS_OK "}", "id"},
    {"a translation that is not a string",
     "{\"id\": \"x\", \"text\": {\"ja\": \"a\", \"ko\": 5}, \"level\": \"normal\", " ENDS_OK "}",
     "'ko'"},
    {"invalid UTF-8",
     "{\"id\": \"x\", \"text\": {\"ja\": \"\xff\xfe\"}, \"level\": \"normal\", " ENDS_OK "}",
     "UTF-8"},
};

static void bad_bodies_get_a_4xx_naming_the_field_and_change_nothing(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char big[8192];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    for (size_t i = 0; i < sizeof bad_bodies / sizeof bad_bodies[0]; i++) {
        const struct bad_body *b = &bad_bodies[i];
        int st = request(&e, "POST", "/api/v1/announcements", TOKEN, b->body, &r);
        bool named = !b->field || strstr(error_of(&r), b->field);
        if (st != 400 || !named) {
            fprintf(stderr, "  bad body \"%s\": status %d, error %s\n", b->why, st, error_of(&r));
        }
        CHECK(st == 400);
        CHECK(named);
        adminenv_reply_free(&r);
    }

    /* oversized, with Content-Length: refused before reading */
    memset(big, ' ', sizeof big - 1);
    big[0] = '{';
    big[sizeof big - 2] = '}';
    big[sizeof big - 1] = '\0';
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, big, &r) == 413);
    CHECK(strstr(error_of(&r), "4096"));
    adminenv_reply_free(&r);
    /* oversized, chunked: discarded, then refused */
    CHECK(request_ex(e.port, "POST", "/api/v1/announcements", TOKEN, NULL, 20000, &r) == 413);
    adminenv_reply_free(&r);
    /* far beyond: the connection is dropped (either way, nothing is stored) */
    request_ex(e.port, "POST", "/api/v1/announcements", TOKEN, NULL, 3u * 1024u * 1024u, &r);
    CHECK(r.status == 413 || r.status == -1);
    adminenv_reply_free(&r);

    CHECK(count_direct(&e) == 0);
    CHECK(e.changes == 0);
    adminenv_done(&e);
}

static void wrong_method_is_405_with_allow(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "PUT", "/api/v1/announcements", TOKEN, "{}", &r) == 405);
    CHECK(strstr(r.allow, "POST") && strstr(r.allow, "GET"));
    CHECK(strstr(error_of(&r), "PUT"));
    adminenv_reply_free(&r);
    CHECK(request(&e, "DELETE", "/api/v1/announcements", TOKEN, NULL, &r) == 405);
    adminenv_reply_free(&r);
    CHECK(request(&e, "POST", "/api/v1/announcements/x", TOKEN, "{}", &r) == 405);
    CHECK(strstr(r.allow, "DELETE"));
    adminenv_reply_free(&r);
    CHECK(request(&e, "POST", "/api/v1/status", TOKEN, "{}", &r) == 405);
    CHECK(strcmp(r.allow, "GET, HEAD") == 0);
    adminenv_reply_free(&r);
    CHECK(request(&e, "GET", "/api/v1/nothing", TOKEN, NULL, &r) == 404);
    adminenv_reply_free(&r);
    CHECK(request(&e, "GET", "/api/v1/screenshot", TOKEN, NULL, &r) == 404);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void ids_in_paths_are_validated(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    static const char *const bad[] = {
        "/api/v1/announcements/..",          "/api/v1/announcements/../../etc/passwd",
        "/api/v1/announcements/..%2F..%2Fx", "/api/v1/announcements/a%20b",
        "/api/v1/announcements/.",           "/api/v1/announcements/",
    };
    char longid[300];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long st = request(&e, "DELETE", bad[i], TOKEN, NULL, &r);
        if (st != 400 && st != 404) {
            printf("  %s -> %ld\n", bad[i], st);
        }
        CHECK(st == 400 || st == 404);
        adminenv_reply_free(&r);
    }
    memset(longid, 'a', sizeof longid);
    memcpy(longid, "/api/v1/announcements/", 22);
    longid[22 + 129] = '\0';
    CHECK(request(&e, "GET", longid, TOKEN, NULL, &r) == 400);
    adminenv_reply_free(&r);
    CHECK(request(&e, "DELETE", "/api/v1/announcements/no-such_id.1", TOKEN, NULL, &r) == 404);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void repeated_bad_tokens_get_429_with_retry_after(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    for (int i = 0; i < 10; i++) {
        CHECK(request(&e, "GET", "/api/v1/status", "guess-0000000000000000", NULL, &r) == 401);
        adminenv_reply_free(&r);
    }
    CHECK(request(&e, "GET", "/api/v1/status", "guess-0000000000000000", NULL, &r) == 429);
    CHECK(atoi(r.retry_after) > 0 && atoi(r.retry_after) <= 60);
    CHECK(strstr(error_of(&r), "try again"));
    adminenv_reply_free(&r);
    /* Wrong tokens keep getting 429 while the address cools off, whatever they are. */
    CHECK(request(&e, "GET", "/api/v1/status", "guess-1111111111111111", NULL, &r) == 429);
    CHECK(atoi(r.retry_after) > 0);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void the_right_token_gets_in_after_many_wrong_ones(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    for (int i = 0; i < 15; i++) {
        long st = request(&e, "GET", "/api/v1/status", "guess-0000000000000000", NULL, &r);
        CHECK(i < 10 ? st == 401 : st == 429);
        adminenv_reply_free(&r);
    }
    /* Staff clearing an emergency from the same address (a shared office NAT, or a page
     * that guessed from their PC) are never kept waiting. */
    CHECK(request(&e, "GET", "/api/v1/status", TOKEN, NULL, &r) == 200);
    adminenv_reply_free(&r);
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_fire, &r) == 201);
    adminenv_reply_free(&r);
    CHECK(request(&e, "DELETE", "/api/v1/announcements/fire", TOKEN, NULL, &r) == 204);
    adminenv_reply_free(&r);
    /* ... and their success does not lift the block for the guesser. */
    CHECK(request(&e, "GET", "/api/v1/status", "guess-0000000000000000", NULL, &r) == 429);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void requests_without_a_token_never_lock_anyone_out(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    /* What a browser with a page open on the staff PC sends on its own, many times over. */
    for (int i = 0; i < 15; i++) {
        CHECK(request(&e, "OPTIONS", "/api/v1/announcements", NULL, NULL, &r) == 204);
        adminenv_reply_free(&r);
        CHECK(request(&e, "GET", "/robots.txt", NULL, NULL, &r) == 401);
        adminenv_reply_free(&r);
        CHECK(request(&e, "GET", "/apple-touch-icon.png", NULL, NULL, &r) == 401);
        adminenv_reply_free(&r);
        CHECK(request(&e, "POST", "/api/v1/announcements", NULL, ann_fire, &r) == 401);
        adminenv_reply_free(&r);
        CHECK(request(&e, "GET", "/api/v1/status", "", NULL, &r) == 401);
        adminenv_reply_free(&r);
    }
    CHECK(request(&e, "GET", "/api/v1/status", TOKEN, NULL, &r) == 200);
    adminenv_reply_free(&r);
    /* Not even one of them counted: nine wrong tokens still leave room for a tenth. */
    for (int i = 0; i < 10; i++) {
        CHECK(request(&e, "GET", "/api/v1/status", "typo-00000000000000000", NULL, &r) == 401);
        adminenv_reply_free(&r);
    }
    CHECK(count_direct(&e) == 0 && e.changes == 0);
    adminenv_done(&e);
}

static void options_is_answered_without_any_cors_grant(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "OPTIONS", "/api/v1/announcements/fire", NULL, NULL, &r) == 204);
    CHECK(strstr(r.allow, "OPTIONS") && strstr(r.allow, "DELETE"));
    CHECK(r.acao[0] == '\0');
    adminenv_reply_free(&r);
    /* A preflight from another site is refused outright. */
    CHECK(request_h(&e, "OPTIONS", "/api/v1/announcements", NULL, "Origin: https://evil.example",
                    "Access-Control-Request-Method: DELETE", &r) == 403);
    CHECK(r.acao[0] == '\0');
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void cross_site_requests_are_refused_without_counting(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char origin[64];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    /* Even with the right token (a script on another site cannot read it, but a proxy or
     * a browser extension might add it): the API is for the staff page and tools. */
    CHECK(request_h(&e, "POST", "/api/v1/announcements", TOKEN, "Origin: http://evil.example", NULL,
                    &r) == 403);
    CHECK(strstr(error_of(&r), "other sites"));
    adminenv_reply_free(&r);
    for (int i = 0; i < 15; i++) {
        CHECK(request_h(&e, "GET", "/api/v1/status", "guess-0000000000000000",
                        "Sec-Fetch-Site: cross-site", NULL, &r) == 403);
        adminenv_reply_free(&r);
        CHECK(request_h(&e, "GET", "/api/v1/status", NULL, "Origin: null", NULL, &r) == 403);
        adminenv_reply_free(&r);
        CHECK(request_h(&e, "GET", "/api/v1/status", NULL, "Sec-Fetch-Site: same-site", NULL, &r) ==
              403);
        adminenv_reply_free(&r);
    }
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Origin: http://127.0.0.1:1", NULL, &r) ==
          403);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Origin: https://evil.example",
                    "Sec-Fetch-Site: same-origin", &r) == 403);
    adminenv_reply_free(&r);
    /* None of that counted. */
    CHECK(request(&e, "GET", "/api/v1/status", "typo-00000000000000000", NULL, &r) == 401);
    adminenv_reply_free(&r);

    /* The staff page's own fetches, a typed URL, and tools without either header. */
    snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%d", e.port);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, origin, "Sec-Fetch-Site: same-origin",
                    &r) == 200);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "POST", "/api/v1/announcements", TOKEN, origin, NULL, &r) == 400);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Sec-Fetch-Site: none", NULL, &r) == 200);
    adminenv_reply_free(&r);
    /* A link on another site may still open the staff page itself (it holds no secret). */
    CHECK(request_h(&e, "GET", "/staff", NULL, "Sec-Fetch-Site: cross-site", NULL, &r) == 200);
    adminenv_reply_free(&r);
    CHECK(e.changes == 0 && count_direct(&e) == 0);
    adminenv_done(&e);
}

static void a_host_that_is_not_the_kiosk_gets_421(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char h[128];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    /* DNS rebinding: a page on evil.example re-points its own name at 127.0.0.1. */
    snprintf(h, sizeof h, "Host: evil.example:%d", e.port);
    CHECK(request_h(&e, "GET", "/", NULL, h, NULL, &r) == 421);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, h, NULL, &r) == 421);
    CHECK(strstr(error_of(&r), "admin_hosts"));
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Host: evil.example", NULL, &r) == 421);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Host: 127.0.0.1:1", NULL, &r) == 421);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Host: 127.0.0.1.evil.example", NULL, &r) ==
          421);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Host: user@127.0.0.1", NULL, &r) == 421);
    adminenv_reply_free(&r);
    /* Refusals by name do not count as failed logins. */
    CHECK(request(&e, "GET", "/api/v1/status", "typo-00000000000000000", NULL, &r) == 401);
    adminenv_reply_free(&r);

    /* What kioskctl, the tests and a browser on the kiosk itself use. */
    const char *good[] = {"127.0.0.1", "localhost", "LocalHost", "[::1]"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(h, sizeof h, "Host: %s:%d", good[i], e.port);
        CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, h, NULL, &r) == 200);
        adminenv_reply_free(&r);
        snprintf(h, sizeof h, "Host: %s", good[i]);
        CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, h, NULL, &r) == 200);
        adminenv_reply_free(&r);
    }

    /* Names staff configured: bare (any of our ports) or with the port a proxy uses. */
    admin_free(e.admin);
    e.admin = NULL;
    e.opt.hosts = "kiosk-3.lan, proxy.example:443 bogus:port";
    CHECK(adminenv_start(&e) == 0);
    snprintf(h, sizeof h, "Host: kiosk-3.lan:%d", e.port);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, h, NULL, &r) == 200);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Host: KIOSK-3.lan", NULL, &r) == 200);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/", NULL, "Host: proxy.example:443", NULL, &r) == 200);
    adminenv_reply_free(&r);
    snprintf(h, sizeof h, "Host: proxy.example:%d", e.port);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, h, NULL, &r) == 421);
    adminenv_reply_free(&r);
    CHECK(request_h(&e, "GET", "/api/v1/status", TOKEN, "Host: bogus", NULL, &r) == 421);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static int audit_lines;
static int raw_controls;

static void count_audit(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)ctx;
    if (strstr(line, "admin: announcement ") && strstr(line, " by 127.0.0.1")) {
        __atomic_add_fetch(&audit_lines, 1, __ATOMIC_SEQ_CST);
    }
    for (const char *p = line; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            __atomic_add_fetch(&raw_controls, 1, __ATOMIC_SEQ_CST);
        }
    }
}

static void every_create_replace_and_delete_is_logged(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char body[256], path[64];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    audit_lines = 0;
    raw_controls = 0;
    log_set_sink(count_audit, NULL);
    /* Refusals with ESC and BEL in the path, enough to trip any rate limit. */
    for (int i = 0; i < 10; i++) {
        CHECK(request(&e, "GET", "/x%1b[2J%07", NULL, NULL, &r) == 401);
        adminenv_reply_free(&r);
    }
    for (int i = 0; i < 8; i++) {
        snprintf(body, sizeof body,
                 "{\"id\": \"n%d\", \"text\": {\"ja\": \"お知らせ\"}, \"level\": "
                 "\"normal\", \"ends_at\": \"2026-05-29T17:30:00+09:00\"}",
                 i);
        CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, body, &r) == 201);
        adminenv_reply_free(&r);
        CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, body, &r) == 200);
        adminenv_reply_free(&r);
        snprintf(path, sizeof path, "/api/v1/announcements/n%d", i);
        CHECK(request(&e, "DELETE", path, TOKEN, NULL, &r) == 204);
        adminenv_reply_free(&r);
    }
    log_set_sink(NULL, NULL);
    printf("  %d audit lines for 24 staff actions\n", audit_lines);
    CHECK(audit_lines == 24);
    CHECK(raw_controls == 0);
    adminenv_done(&e);
}

static void the_address_a_request_came_in_on_is_a_good_host(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char h[128];
    struct adminenv_req o = {{h, NULL, NULL, NULL}, "127.0.0.2", NULL};
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    /* Listening on every address: staff type the kiosk's LAN address into a browser. */
    admin_free(e.admin);
    e.admin = NULL;
    e.opt.listen = "0.0.0.0:0";
    e.opt.allow_plain_remote = true;
    CHECK(adminenv_start(&e) == 0);
    snprintf(h, sizeof h, "Host: 127.0.0.2:%d", e.port);
    CHECK(adminenv_request(e.port, "GET", "/api/v1/status", TOKEN, NULL, 0, &o, &r) == 200);
    adminenv_reply_free(&r);
    snprintf(h, sizeof h, "Host: 127.0.0.3:%d", e.port);
    CHECK(adminenv_request(e.port, "GET", "/api/v1/status", TOKEN, NULL, 0, &o, &r) == 421);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void a_good_token_resets_the_failure_count(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 9; i++) {
            CHECK(request(&e, "GET", "/api/v1/status", "typo-00000000000000000", NULL, &r) == 401);
            adminenv_reply_free(&r);
        }
        CHECK(request(&e, "GET", "/api/v1/status", TOKEN, NULL, &r) == 200);
        adminenv_reply_free(&r);
    }
    adminenv_done(&e);
}

static void announcements_survive_a_restart(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    struct ann_list *snap;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_closing, &r) == 201);
    adminenv_reply_free(&r);
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_fire, &r) == 201);
    adminenv_reply_free(&r);

    admin_free(e.admin);
    e.admin = NULL;
    CHECK(adminenv_start(&e) == 0);
    snap = admin_snapshot_direct(e.admin);
    CHECK(snap && ann_list_count(snap) == 2);
    const struct feed_announcement *c = snap ? ann_list_find(snap, "closing") : NULL;
    CHECK(c && c->level == ANN_LEVEL_IMPORTANT && c->text.en &&
          strcmp(c->text.en, "Closing at 17:30 today") == 0 && c->created_by &&
          strcmp(c->created_by, "desk") == 0 && c->starts_at == T0);
    ann_list_free(snap);
    CHECK(count_direct(&e) == 2);

    /* After 17:30 the closing notice has ended: a reboot must not bring it back, while
     * the emergency stays until cleared. */
    admin_free(e.admin);
    e.admin = NULL;
    e.now = T0 + 2 * 86400;
    CHECK(adminenv_start(&e) == 0);
    snap = admin_snapshot_direct(e.admin);
    CHECK(snap && ann_list_count(snap) == 1 && ann_list_find(snap, "fire"));
    ann_list_free(snap);
    adminenv_done(&e);
}

/* The text of `key` in the "text" of an announcement's JSON, or "" (static buffer). */
static const char *text_in(const char *body, const char *key)
{
    static char s[256];
    cJSON *doc = cJSON_Parse(body);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(doc, "text"), key);
    snprintf(s, sizeof s, "%s", cJSON_IsString(v) ? v->valuestring : "");
    cJSON_Delete(doc);
    return s;
}

static void every_language_round_trips_through_post_get_and_a_restart(void)
{
    static const char body[] =
        "{\"id\": \"tr\", \"text\": {\"ja\": \"本日は{休館|きゅうかん}です\", "
        "\"en\": \"Closed today\", \"zh-Hans\": \"今天闭馆\", \"ko\": \"오늘은 휴관합니다\", "
        "\"ja-easy\": \"きょうは {休|やす}みです\"}, \"level\": \"normal\", " ENDS_OK "}";
    static const char *const keys[] = {"ja", "en", "zh-Hans", "ko", "ja-easy"};
    static const char *const want[] = {"本日は{休館|きゅうかん}です", "Closed today", "今天闭馆",
                                       "오늘은 휴관합니다", "きょうは {休|やす}みです"};
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, body, &r) == 201);
    for (size_t k = 0; k < 5; k++) {
        CHECK(strcmp(text_in(r.body, keys[k]), want[k]) == 0);
    }
    adminenv_reply_free(&r);
    for (int restart = 0; restart < 2; restart++) {
        if (restart) {
            admin_free(e.admin);
            e.admin = NULL;
            CHECK(adminenv_start(&e) == 0);
        }
        CHECK(request(&e, "GET", "/api/v1/announcements/tr", TOKEN, NULL, &r) == 200);
        for (size_t k = 0; k < 5; k++) {
            bool same = strcmp(text_in(r.body, keys[k]), want[k]) == 0;
            CHECK(same);
            if (!same) {
                fprintf(stderr, "  %s after %d restarts: %s\n", keys[k], restart, r.body);
            }
        }
        adminenv_reply_free(&r);
    }
    struct ann_list *snap = admin_snapshot_direct(e.admin);
    const struct feed_announcement *a = snap ? ann_list_find(snap, "tr") : NULL;
    CHECK(a && a->text.zh_hans && strcmp(a->text.zh_hans, "今天闭馆") == 0);
    ann_list_free(snap);
    adminenv_done(&e);
}

static void a_corrupt_store_falls_back_to_the_previous_copy(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    struct ann_list *snap;
    char path[1200];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_closing, &r) == 201);
    adminenv_reply_free(&r);
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_fire, &r) == 201);
    adminenv_reply_free(&r);
    admin_free(e.admin);
    e.admin = NULL;

    /* A torn or garbled main file: .prev holds the state before the last change. */
    store_file(&e, path, sizeof path);
    CHECK(testutil_write_file(path, "{\"version\": 1, \"annou", 21) == 0);
    CHECK(adminenv_start(&e) == 0);
    snap = admin_snapshot_direct(e.admin);
    CHECK(snap && ann_list_count(snap) == 1 && ann_list_find(snap, "closing"));
    ann_list_free(snap);

    /* Both unusable: an empty store, and the kiosk still starts. */
    admin_free(e.admin);
    e.admin = NULL;
    CHECK(testutil_write_file(path, "garbage", 7) == 0);
    strncat(path, ".prev", sizeof path - strlen(path) - 1);
    CHECK(testutil_write_file(path, "\xff", 1) == 0);
    CHECK(adminenv_start(&e) == 0);
    CHECK(count_direct(&e) == 0);
    adminenv_done(&e);
}

static void temp_files_of_killed_writes_are_removed_at_start(void)
{
    struct adminenv e;
    char path[1200], tmp[1300];
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    admin_free(e.admin);
    e.admin = NULL;
    /* What SIGKILL or a power cut between mkstemp and rename leaves behind. */
    snprintf(tmp, sizeof tmp, "%s.tmp-Ab12Cd", store_file(&e, path, sizeof path));
    CHECK(testutil_write_file(tmp, "{\"version\": 1, \"ann", 19) == 0);
    CHECK(adminenv_start(&e) == 0);
    CHECK(access(tmp, F_OK) != 0);
    CHECK(count_direct(&e) == 0);
    adminenv_done(&e);
}

static void a_bad_entry_in_the_store_is_dropped_alone(void)
{
    struct adminenv e;
    char path[1200];
    struct ann_list *snap;
    static const char doc[] =
        "{\"version\": 1, \"announcements\": ["
        "{\"id\": \"ok\", \"text\": {\"ja\": \"よい\"}, \"level\": \"normal\", "
        "\"starts_at\": \"2026-05-28T00:00:00Z\", \"ends_at\": \"2026-06-01T00:00:00Z\"},"
        "{\"id\": \"bad\", \"level\": \"normal\"},"
        "{\"id\": \"../x\", \"text\": {\"ja\": \"x\"}, \"level\": \"normal\", "
        "\"ends_at\": \"2026-06-01T00:00:00Z\"}]}";
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    admin_free(e.admin);
    e.admin = NULL;
    CHECK(testutil_write_file(store_file(&e, path, sizeof path), doc, strlen(doc)) == 0);
    CHECK(adminenv_start(&e) == 0);
    snap = admin_snapshot_direct(e.admin);
    CHECK(snap && ann_list_count(snap) == 1 && ann_list_find(snap, "ok"));
    ann_list_free(snap);
    adminenv_done(&e);
}

static void ended_ones_are_pruned_when_the_store_is_written(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char path[1200], *data = NULL;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_closing, &r) == 201);
    adminenv_reply_free(&r);
    e.now = T0 + 2 * 86400;
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_fire, &r) == 201);
    adminenv_reply_free(&r);
    CHECK(fsio_read_file(store_file(&e, path, sizeof path), 1 << 20, &data, NULL) == 0);
    CHECK(data && strstr(data, "\"fire\"") && !strstr(data, "\"closing\""));
    free(data);
    adminenv_done(&e);
}

static struct feed_announcement store_ann(const char *id, int64_t starts, int64_t ends)
{
    struct feed_announcement a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.text.ja = "お知らせ";
    a.level = ANN_LEVEL_NORMAL;
    a.starts_at = starts;
    a.ends_at = ends;
    return a;
}

/* A full store (HTTP 409) has its own result, apart from any failed write (HTTP 500). */
static void a_full_store_is_told_apart_from_a_failed_write(void)
{
    char *dir = testutil_tempdir();
    char err[256], id[32];
    struct admin_store *s = dir ? admin_store_open(dir, T0, NULL, err, sizeof err) : NULL;
    struct feed_announcement a;
    int sys_err = 0;

    CHECK(s);
    for (int i = 0; s && i < ADMIN_STORE_MAX; i++) {
        snprintf(id, sizeof id, "n%d", i);
        a = store_ann(id, T0, T0 + 86400);
        CHECK(admin_store_put(s, &a, T0, NULL, &sys_err) == ADMIN_STORE_OK);
    }
    a = store_ann("one-more", T0, T0 + 86400);
    CHECK(s && admin_store_put(s, &a, T0, NULL, &sys_err) == ADMIN_STORE_FULL);
    CHECK(sys_err == 0);
    CHECK(s && ann_list_count(admin_store_list(s)) == ADMIN_STORE_MAX);
    a = store_ann("bad id!", T0, T0 + 86400);
    CHECK(s && admin_store_put(s, &a, T0, NULL, &sys_err) == ADMIN_STORE_INVALID);
    CHECK(sys_err == EINVAL);
    admin_store_free(s);
    if (dir) {
        testutil_rmtree(dir);
    }
    free(dir);
}

static void an_ended_entry_keeps_hiding_the_feeds_copy_until_the_feeds_end(void)
{
    char *dir = testutil_tempdir();
    char err[256];
    struct ann_list *feed = ann_list_create();
    struct feed_announcement f = store_ann("seiri", T0 - 86400, T0 + 10 * 86400);
    struct feed_announcement hide = store_ann("seiri", T0, T0 + 60);
    struct feed_announcement other = store_ann("other", T0, T0 + 86400);
    struct admin_store *s = NULL;
    f.source = ANN_SOURCE_FEED;
    CHECK(dir && feed && ann_list_put(feed, &f) == 0);
    if (!dir || !feed) {
        goto out;
    }
    s = admin_store_open(dir, T0, NULL, err, sizeof err);
    CHECK(s && admin_store_put(s, &hide, T0, NULL, NULL) == ADMIN_STORE_OK);
    CHECK(s && admin_store_set_feed(s, feed) == 0);
    /* an unrelated write after the direct copy ended: it stays, so it still hides */
    CHECK(s && admin_store_put(s, &other, T0 + 120, NULL, NULL) == ADMIN_STORE_OK);
    CHECK(s && ann_list_find(admin_store_list(s), "seiri"));
    admin_store_free(s);
    /* and across a restart that knows the feed (the app loads its cache first) */
    s = admin_store_open(dir, T0 + 180, feed, err, sizeof err);
    CHECK(s && ann_list_find(admin_store_list(s), "seiri"));
    /* once the feed's own copy has ended, the next write prunes it */
    CHECK(s && admin_store_remove(s, "other", T0 + 11 * 86400) == 0);
    CHECK(s && ann_list_count(admin_store_list(s)) == 0);
    admin_store_free(s);
    /* without the feed's copy, an ended entry goes at the next start as before */
    s = admin_store_open(dir, T0 + 180, NULL, err, sizeof err);
    CHECK(s && admin_store_put(s, &hide, T0 + 180, NULL, NULL) == ADMIN_STORE_OK);
    admin_store_free(s);
    s = admin_store_open(dir, T0 + 600, NULL, err, sizeof err);
    CHECK(s && ann_list_count(admin_store_list(s)) == 0);
out:
    admin_store_free(s);
    ann_list_free(feed);
    if (dir) {
        testutil_rmtree(dir);
    }
    free(dir);
}

static void a_live_feed_or_automatic_announcement_can_be_taken_down(void)
{
    char *dir = testutil_tempdir();
    char err[256];
    struct ann_list *feed = ann_list_create();
    struct feed_announcement f = store_ann("jma.warn.1320300.ab", T0 - 600, T0 + 86400);
    struct feed_announcement old = store_ann("gone", T0 - 86400, T0 - 60);
    struct admin_store *s = NULL;
    const struct feed_announcement *h;
    f.source = ANN_SOURCE_FEED;
    f.level = ANN_LEVEL_EMERGENCY;
    f.text.zh_hans = "警报";
    old.source = ANN_SOURCE_FEED;
    CHECK(dir && feed && ann_list_put(feed, &f) == 0 && ann_list_put(feed, &old) == 0);
    if (!dir || !feed) {
        goto out;
    }
    s = admin_store_open(dir, T0, feed, err, sizeof err);
    CHECK(s && admin_store_hide(s, "jma.warn.1320300.ab", T0) == 0);
    h = s ? ann_list_find(admin_store_list(s), "jma.warn.1320300.ab") : NULL;
    CHECK(h && h->ends_at == T0 && !h->until_cleared && h->source == ANN_SOURCE_DIRECT);
    /* the list says what was taken down, in every language it had */
    CHECK(h && h->text.zh_hans && strcmp(h->text.zh_hans, "警报") == 0);
    /* nothing live by that id: 404 as before */
    CHECK(s && admin_store_hide(s, "gone", T0) == -ENOENT);
    CHECK(s && admin_store_hide(s, "nobody", T0) == -ENOENT);
out:
    admin_store_free(s);
    ann_list_free(feed);
    if (dir) {
        testutil_rmtree(dir);
    }
    free(dir);
}

static void status_reports_what_the_app_set(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    struct admin_status st;
    struct ann_list *active = ann_list_create();
    struct feed_announcement an;
    cJSON *doc;
    if (env_init(&e) < 0 || !active) {
        CHECK(0);
        ann_list_free(active);
        return;
    }
    CHECK(request(&e, "GET", "/api/v1/status", TOKEN, NULL, &r) == 200);
    doc = cJSON_Parse(r.body);
    CHECK(doc && cJSON_IsFalse(cJSON_GetObjectItem(doc, "status_reported")));
    CHECK(doc && cJSON_IsString(cJSON_GetObjectItem(doc, "version")));
    cJSON_Delete(doc);
    adminenv_reply_free(&r);

    memset(&an, 0, sizeof an);
    an.id = "from-feed";
    an.text.ja = "フィードから";
    an.level = ANN_LEVEL_NORMAL;
    an.starts_at = T0 - 60;
    an.ends_at = T0 + 3600;
    CHECK(ann_list_put(active, &an) == 0);
    memset(&st, 0, sizeof st);
    st.last_sync_at = T0 - 30;
    st.last_sync_ok = true;
    snprintf(st.last_sync_message, sizeof st.last_sync_message, "200 events=42");
    st.content_fetched_at = T0 - 30;
    st.n_events = 42;
    st.n_volunteers = 7;
    st.n_announcements = 1;
    st.clock_synced = true;
    st.frames_drawn = 1234;
    st.last_frame_at = T0 - 1;
    st.last_frame_ms = 12;
    st.active = active;
    st.n_sources = 2;
    snprintf(st.sources[0].name, sizeof st.sources[0].name, "feed");
    snprintf(st.sources[0].format, sizeof st.sources[0].format, "json");
    st.sources[0].has_content = true;
    st.sources[0].last_ok_at = T0 - 30;
    st.sources[0].n_events = 40;
    snprintf(st.sources[1].name, sizeof st.sources[1].name, "市のイベント一覧");
    st.sources[1].last_error_at = T0 - 20;
    snprintf(st.sources[1].last_error, sizeof st.sources[1].last_error, "failed (HTTP 404)");
    CHECK(admin_set_status(e.admin, &st) == 0);
    ann_list_free(active); /* the admin keeps its own copy */

    CHECK(request(&e, "GET", "/api/v1/status", TOKEN, NULL, &r) == 200);
    doc = cJSON_Parse(r.body);
    const cJSON *counts = cJSON_GetObjectItem(doc, "counts");
    const cJSON *sync = cJSON_GetObjectItem(doc, "last_sync");
    CHECK(doc && cJSON_IsTrue(cJSON_GetObjectItem(doc, "status_reported")));
    CHECK(counts && cJSON_GetObjectItem(counts, "events")->valuedouble == 42);
    CHECK(counts && cJSON_GetObjectItem(counts, "volunteers")->valuedouble == 7);
    CHECK(sync && strcmp(cJSON_GetObjectItem(sync, "message")->valuestring, "200 events=42") == 0);
    CHECK(doc && cJSON_GetObjectItem(doc, "cache_age_s")->valuedouble == 30);
    CHECK(doc && cJSON_GetObjectItem(doc, "frames_drawn")->valuedouble == 1234);
    CHECK(doc && cJSON_GetObjectItem(doc, "memory_rss_bytes")->valuedouble > 0);
    CHECK(doc && cJSON_GetObjectItem(doc, "state_dir_free_bytes")->valuedouble > 0);
    CHECK(strstr(r.body, "\"active_announcements\":[\"from-feed\"]"));
    {
        const cJSON *srcs = cJSON_GetObjectItem(doc, "sources");
        const cJSON *s0 = cJSON_GetArrayItem(srcs, 0), *s1 = cJSON_GetArrayItem(srcs, 1);
        CHECK(cJSON_GetArraySize(srcs) == 2);
        CHECK(s0 && strcmp(cJSON_GetObjectItem(s0, "format")->valuestring, "json") == 0);
        CHECK(s0 && cJSON_IsFalse(cJSON_GetObjectItem(s0, "failing")));
        CHECK(s0 &&
              cJSON_GetObjectItem(cJSON_GetObjectItem(s0, "counts"), "events")->valuedouble == 40);
        CHECK(s0 && cJSON_IsNull(cJSON_GetObjectItem(s0, "last_error")));
        CHECK(s1 && strcmp(cJSON_GetObjectItem(s1, "name")->valuestring, "市のイベント一覧") == 0);
        CHECK(s1 && cJSON_IsTrue(cJSON_GetObjectItem(s1, "failing")));
        CHECK(s1 && cJSON_IsFalse(cJSON_GetObjectItem(s1, "has_content")));
        CHECK(s1 &&
              strcmp(cJSON_GetObjectItem(s1, "last_error")->valuestring, "failed (HTTP 404)") == 0);
        CHECK(s1 && cJSON_IsNull(cJSON_GetObjectItem(s1, "last_success_at")));
    }
    cJSON_Delete(doc);
    adminenv_reply_free(&r);

    CHECK(request(&e, "GET", "/api/v1/announcements", TOKEN, NULL, &r) == 200);
    doc = cJSON_Parse(r.body);
    const cJSON *shown = cJSON_GetObjectItem(doc, "active");
    CHECK(cJSON_IsArray(shown) && cJSON_GetArraySize(shown) == 1);
    cJSON_Delete(doc);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static int fake_png(void *ctx, unsigned char **png, size_t *len)
{
    (void)ctx;
    *png = malloc(8);
    if (!*png) {
        return -ENOMEM;
    }
    memcpy(*png, "\x89PNG\r\n\x1a\n", 8);
    *len = 8;
    return 0;
}

static void screenshot_hook_serves_png(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    admin_free(e.admin);
    e.admin = NULL;
    e.opt.screenshot = fake_png;
    CHECK(adminenv_start(&e) == 0);
    CHECK(request(&e, "GET", "/api/v1/screenshot", TOKEN, NULL, &r) == 200);
    CHECK(r.len == 8 && memcmp(r.body, "\x89PNG", 4) == 0);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

/* A screenshot hook that takes as long as the test says: it holds until released (or 3 s,
 * so a build without the fix fails instead of hanging), and counts how many run at once. */
static pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cond = PTHREAD_COND_INITIALIZER;
static int slow_running, slow_max, slow_calls;
static bool slow_release;

static int slow_png(void *ctx, unsigned char **png, size_t *len)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 3;
    pthread_mutex_lock(&slow_lock);
    slow_calls++;
    if (++slow_running > slow_max) {
        slow_max = slow_running;
    }
    pthread_cond_broadcast(&slow_cond);
    while (!slow_release && pthread_cond_timedwait(&slow_cond, &slow_lock, &until) == 0) {
        ;
    }
    slow_running--;
    pthread_mutex_unlock(&slow_lock);
    return fake_png(ctx, png, len);
}

static void slow_wait_running(int n)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&slow_lock);
    while (slow_running < n && pthread_cond_timedwait(&slow_cond, &slow_lock, &until) == 0) {
        ;
    }
    pthread_mutex_unlock(&slow_lock);
}

struct shot_job {
    int port;
    const char *path;
    char from[32];
    struct adminenv_reply r;
    long status;
};

static void *shot_thread(void *arg)
{
    struct shot_job *j = arg;
    struct adminenv_req o = {{NULL, NULL, NULL, NULL}, NULL, j->from[0] ? j->from : NULL};
    j->status = adminenv_request(j->port, "GET", j->path, TOKEN, NULL, 0, &o, &j->r);
    return NULL;
}

static void a_screenshot_in_flight_never_holds_up_status(void)
{
    enum { N = 50 };
    struct adminenv e;
    struct adminenv_reply r;
    static struct shot_job jobs[N];
    pthread_t th[N];
    int n200 = 0, n429 = 0, refused = 0, other = 0;
    int64_t t0, status_ms;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    admin_free(e.admin);
    e.admin = NULL;
    e.opt.screenshot = slow_png;
    e.opt.screen_text = fake_png;
    CHECK(adminenv_start(&e) == 0);
    slow_running = slow_max = slow_calls = 0;
    slow_release = false;

    /* The first one is taken (and held); 49 more arrive meanwhile, from many addresses so
     * that most get past the per-address connection limit. */
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < N; i++) {
        jobs[i].port = e.port;
        jobs[i].path = "/api/v1/screenshot";
        snprintf(jobs[i].from, sizeof jobs[i].from, "127.0.0.%d", 20 + i % 8);
    }
    CHECK(pthread_create(&th[0], NULL, shot_thread, &jobs[0]) == 0);
    slow_wait_running(1);
    CHECK(slow_running == 1);
    /* /status answers while the screenshot is still being taken. */
    t0 = kclock_mono_ms();
    CHECK(request(&e, "GET", "/api/v1/status", TOKEN, NULL, &r) == 200);
    status_ms = kclock_mono_ms() - t0;
    adminenv_reply_free(&r);
    printf("  /status answered in %lld ms with a screenshot in flight\n", (long long)status_ms);
    CHECK(status_ms < 1000);
    for (int i = 1; i < N; i++) {
        CHECK(pthread_create(&th[i], NULL, shot_thread, &jobs[i]) == 0);
    }
    /* ... and while the others are refused. */
    t0 = kclock_mono_ms();
    CHECK(request(&e, "GET", "/api/v1/status", TOKEN, NULL, &r) == 200);
    status_ms = kclock_mono_ms() - t0;
    adminenv_reply_free(&r);
    printf("  /status answered in %lld ms among %d screenshot requests\n", (long long)status_ms, N);
    CHECK(status_ms < 1000);
    for (int i = 1; i < N; i++) {
        pthread_join(th[i], NULL);
    }
    CHECK(slow_running == 1); /* the first is still being taken */
    /* The screen text has a slot of its own: a tool reading it is not refused meanwhile. */
    CHECK(request(&e, "GET", "/api/v1/screen.txt", TOKEN, NULL, &r) == 200);
    CHECK(strcmp(r.nosniff, "nosniff") == 0);
    adminenv_reply_free(&r);

    pthread_mutex_lock(&slow_lock);
    slow_release = true;
    pthread_cond_broadcast(&slow_cond);
    pthread_mutex_unlock(&slow_lock);
    pthread_join(th[0], NULL);
    CHECK(jobs[0].status == 200);
    CHECK(jobs[0].r.len == 8 && memcmp(jobs[0].r.body, "\x89PNG", 4) == 0);
    CHECK(strcmp(jobs[0].r.nosniff, "nosniff") == 0);
    for (int i = 1; i < N; i++) {
        if (jobs[i].status == 429 && atoi(jobs[i].r.retry_after) > 0) {
            n429++;
        } else if (jobs[i].status == 200) {
            n200++;
        } else if (jobs[i].status == -1) {
            refused++; /* closed at the door by the connection limits */
        } else {
            other++;
        }
    }
    printf("  %d more meanwhile: %d got 429, %d refused at the door, %d other, max %d at once\n",
           N - 1, n429, refused, n200 + other, slow_max);
    CHECK(n429 > 0 && n200 == 0 && other == 0);
    CHECK(slow_max == 1 && slow_calls == 1);
    for (int i = 0; i < N; i++) {
        adminenv_reply_free(&jobs[i].r);
    }

    /* The slot is free again, for the picture and for the text. */
    CHECK(request(&e, "GET", "/api/v1/screenshot", TOKEN, NULL, &r) == 200);
    CHECK(r.len == 8 && strcmp(r.nosniff, "nosniff") == 0);
    adminenv_reply_free(&r);
    CHECK(request(&e, "GET", "/api/v1/screen.txt", TOKEN, NULL, &r) == 200);
    CHECK(strcmp(r.nosniff, "nosniff") == 0);
    adminenv_reply_free(&r);
    adminenv_done(&e);
}

static void stopping_with_a_screenshot_in_flight_answers_it_first(void)
{
    struct adminenv e;
    struct shot_job job;
    pthread_t th;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    admin_free(e.admin);
    e.admin = NULL;
    e.opt.screenshot = slow_png;
    CHECK(adminenv_start(&e) == 0);
    slow_running = slow_max = slow_calls = 0;
    slow_release = false;
    memset(&job, 0, sizeof job);
    job.port = e.port;
    job.path = "/api/v1/screenshot";
    CHECK(pthread_create(&th, NULL, shot_thread, &job) == 0);
    slow_wait_running(1);
    /* The hook gives up after 3 s (as the app's does after 5): stopping waits for it and
     * answers the client rather than stop the daemon under a suspended connection. */
    admin_free(e.admin);
    e.admin = NULL;
    pthread_join(th, NULL);
    CHECK(slow_calls == 1);
    CHECK(job.status == 200);
    adminenv_reply_free(&job.r);
    adminenv_done(&e);
}

static void listen_beyond_loopback_needs_tls_or_consent(void)
{
    struct adminenv e;
    char err[512];
    struct admin *a;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    e.opt.listen = "0.0.0.0:0";
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(!a && strstr(err, "admin_tls_cert"));
    admin_free(a);
    e.opt.allow_plain_remote = true;
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(a && admin_port(a) > 0);
    admin_free(a);

    e.opt.listen = "[::1]:0";
    e.opt.allow_plain_remote = false;
    a = admin_create(&e.opt, err, sizeof err);
    if (!a) {
        printf("  (no IPv6 loopback here: %s)\n", err);
    }
    admin_free(a);

    static const char *const bad[] = {"127.0.0.1", "127.0.0.1:99999", "nohost:80", "[::1]80",
                                      ":8080"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e.opt.listen = bad[i];
        a = admin_create(&e.opt, err, sizeof err);
        CHECK(!a && strstr(err, "admin_listen"));
        admin_free(a);
    }
    e.opt.listen = "127.0.0.1:0";
    e.opt.tls_cert = "/nonexistent/cert.pem";
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(!a && strstr(err, "admin_tls_key"));
    admin_free(a);
    adminenv_done(&e);
}

static void tls_serves_https_when_configured(void)
{
    struct adminenv e;
    char err[512], cmd[4096], cert[1100], key[1100], url[256];
    struct admin *a;
    CURL *h;
    long status = 0;
    if (system("command -v openssl >/dev/null 2>&1") != 0) {
        printf("  SKIP: openssl not installed; TLS not tested\n");
        return;
    }
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    snprintf(cert, sizeof cert, "%s/cert.pem", e.dir);
    snprintf(key, sizeof key, "%s/key.pem", e.dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
             "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s "
             ">/dev/null 2>&1",
             key, cert);
    CHECK(system(cmd) == 0);
    admin_free(e.admin);
    e.admin = NULL;
    e.opt.tls_cert = cert;
    e.opt.tls_key = key;
    e.opt.listen = "127.0.0.1:0";
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(a && admin_uses_tls(a));
    if (a) {
        h = curl_easy_init();
        snprintf(url, sizeof url, "https://127.0.0.1:%d/api/v1/status", admin_port(a));
        struct curl_slist *hdrs = curl_slist_append(NULL, "Authorization: Bearer " TOKEN);
        struct adminenv_reply r;
        memset(&r, 0, sizeof r);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_CAINFO, cert);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, adminenv_on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
        CHECK(curl_easy_perform(h) == CURLE_OK);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        CHECK(status == 200);
        free(r.body);
        curl_slist_free_all(hdrs);
        curl_easy_cleanup(h);
    } else {
        printf("  %s\n", err);
    }
    admin_free(a);
    adminenv_done(&e);
}

static void empty_listen_keeps_the_store_without_a_server(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    char err[512];
    struct admin *a;
    struct ann_list *snap;
    if (env_init(&e) < 0) {
        CHECK(0);
        return;
    }
    CHECK(request(&e, "POST", "/api/v1/announcements", TOKEN, ann_fire, &r) == 201);
    adminenv_reply_free(&r);
    e.opt.listen = "";
    e.opt.token_file = NULL;
    a = admin_create(&e.opt, err, sizeof err);
    CHECK(a && admin_port(a) == 0);
    snap = a ? admin_snapshot_direct(a) : NULL;
    CHECK(snap && ann_list_count(snap) == 1);
    ann_list_free(snap);
    admin_free(a);
    adminenv_done(&e);
}

static void ids_are_checked_like_the_api_says(void)
{
    char s[200];
    CHECK(ann_id_valid("a"));
    CHECK(ann_id_valid("closing-2026.05_28"));
    CHECK(ann_id_valid("..a"));
    CHECK(!ann_id_valid(""));
    CHECK(!ann_id_valid("."));
    CHECK(!ann_id_valid(".."));
    CHECK(!ann_id_valid("..."));
    CHECK(!ann_id_valid("a/b"));
    CHECK(!ann_id_valid("a b"));
    CHECK(!ann_id_valid("お知らせ"));
    CHECK(!ann_id_valid(NULL));
    memset(s, 'x', sizeof s);
    s[128] = '\0';
    CHECK(ann_id_valid(s));
    s[128] = 'x';
    s[129] = '\0';
    CHECK(!ann_id_valid(s));
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    RUN(ids_are_checked_like_the_api_says);
    RUN(post_creates_then_replaces_lists_and_deletes);
    RUN(post_without_id_gets_a_generated_one);
    RUN(missing_or_wrong_token_is_401_and_changes_nothing);
    RUN(token_file_open_to_others_refuses_to_start);
    RUN(bad_bodies_get_a_4xx_naming_the_field_and_change_nothing);
    RUN(wrong_method_is_405_with_allow);
    RUN(ids_in_paths_are_validated);
    RUN(repeated_bad_tokens_get_429_with_retry_after);
    RUN(a_good_token_resets_the_failure_count);
    RUN(the_right_token_gets_in_after_many_wrong_ones);
    RUN(requests_without_a_token_never_lock_anyone_out);
    RUN(options_is_answered_without_any_cors_grant);
    RUN(cross_site_requests_are_refused_without_counting);
    RUN(a_host_that_is_not_the_kiosk_gets_421);
    RUN(the_address_a_request_came_in_on_is_a_good_host);
    RUN(every_create_replace_and_delete_is_logged);
    RUN(announcements_survive_a_restart);
    RUN(every_language_round_trips_through_post_get_and_a_restart);
    RUN(a_corrupt_store_falls_back_to_the_previous_copy);
    RUN(temp_files_of_killed_writes_are_removed_at_start);
    RUN(a_bad_entry_in_the_store_is_dropped_alone);
    RUN(ended_ones_are_pruned_when_the_store_is_written);
    RUN(an_ended_entry_keeps_hiding_the_feeds_copy_until_the_feeds_end);
    RUN(a_live_feed_or_automatic_announcement_can_be_taken_down);
    RUN(a_full_store_is_told_apart_from_a_failed_write);
    RUN(status_reports_what_the_app_set);
    RUN(screenshot_hook_serves_png);
    RUN(a_screenshot_in_flight_never_holds_up_status);
    RUN(stopping_with_a_screenshot_in_flight_answers_it_first);
    RUN(listen_beyond_loopback_needs_tls_or_consent);
    RUN(tls_serves_https_when_configured);
    RUN(empty_listen_keeps_the_store_without_a_server);
    curl_global_cleanup();
    TEST_MAIN_END();
}
