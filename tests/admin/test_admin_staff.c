/* test_admin_staff: the staff page the admin API serves, and the board health in its status.
 *
 * The admin runs in-process on 127.0.0.1 port 0 with a temp state dir and a fixed clock;
 * requests go through libcurl. The page must be served without the token, byte for byte the
 * files in assets/staff/, with its security headers, and loading it must never count towards
 * the failed-login lockout. The health cache is tested on a fake /sys tree with an injected
 * monotonic time. The browser test is tests/e2e/test_staff_page.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "admin/admin.h"
#include "admin/healthcache.h"
#include "admin/staff.h"
#include "adminenv.h"
#include "testutil.h"
#include "util/clock.h"
#include "util/fsio.h"

#define TOKEN "staff-test-token-0123456789abcdef"
#define T0 1780000000LL

/* Each test's admin: this test's token and clock, the default body cap. */
static int env_init(struct adminenv *e)
{
    const struct adminenv_options o = {TOKEN, T0, 0, false};
    return adminenv_init(e, &o);
}

/* One request; token NULL sends no Authorization header; a POST sends "{}". */
static long request(struct adminenv *e, const char *method, const char *path, const char *token,
                    struct adminenv_reply *r)
{
    return adminenv_request(e->port, method, path, token, strcmp(method, "POST") == 0 ? "{}" : NULL,
                            0, NULL, r);
}

/* True when the body is byte for byte assets/staff/NAME in the source tree. */
static bool body_is_asset(const struct adminenv_reply *r, const char *name)
{
    char path[1024];
    char *data = NULL;
    size_t len = 0;
    bool same;
    snprintf(path, sizeof path, "%s/assets/staff/%s", KIOSK_SOURCE_DIR, name);
    if (fsio_read_file(path, 1024 * 1024, &data, &len) < 0) {
        return false;
    }
    same = len > 0 && len == r->len && memcmp(data, r->body, len) == 0;
    free(data);
    return same;
}

static bool has_security_headers(const struct adminenv_reply *r)
{
    return strstr(r->csp, "default-src 'self'") && strstr(r->csp, "img-src 'self' blob:") &&
           !strstr(r->csp, "unsafe") && strcmp(r->nosniff, "nosniff") == 0 &&
           strcmp(r->referrer, "no-referrer") == 0 && strcmp(r->cache, "no-store") == 0;
}

static void page_is_served_without_the_token_with_its_headers(void)
{
    static const char *const paths[] = {"/", "/staff", "/staff/"};
    struct adminenv e;
    struct adminenv_reply r;
    CHECK(env_init(&e) == 0);
    for (size_t i = 0; e.admin && i < sizeof paths / sizeof paths[0]; i++) {
        CHECK(request(&e, "GET", paths[i], NULL, &r) == 200);
        CHECK(strcmp(r.type, "text/html; charset=utf-8") == 0);
        CHECK(has_security_headers(&r));
        CHECK(body_is_asset(&r, "index.html"));
        free(r.body);
    }
    adminenv_done(&e);
}

static void script_style_and_icon_are_the_files_in_the_repo(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    CHECK(env_init(&e) == 0);
    if (e.admin) {
        CHECK(request(&e, "GET", "/staff.js", NULL, &r) == 200);
        CHECK(strcmp(r.type, "text/javascript; charset=utf-8") == 0);
        CHECK(has_security_headers(&r));
        CHECK(body_is_asset(&r, "staff.js"));
        free(r.body);
        CHECK(request(&e, "GET", "/staff.css", NULL, &r) == 200);
        CHECK(strcmp(r.type, "text/css; charset=utf-8") == 0);
        CHECK(body_is_asset(&r, "staff.css"));
        free(r.body);
        CHECK(request(&e, "GET", "/favicon.ico", NULL, &r) == 200);
        CHECK(strcmp(r.type, "image/svg+xml") == 0);
        CHECK(body_is_asset(&r, "staff-icon.svg"));
        free(r.body);
        CHECK(request(&e, "HEAD", "/", NULL, &r) == 200);
        CHECK(r.len == 0);
        free(r.body);
    }
    adminenv_done(&e);
}

static void page_refuses_other_methods_with_405(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    CHECK(env_init(&e) == 0);
    if (e.admin) {
        CHECK(request(&e, "POST", "/", TOKEN, &r) == 405);
        CHECK(strcmp(r.allow, "GET, HEAD") == 0);
        free(r.body);
        CHECK(request(&e, "DELETE", "/staff.js", NULL, &r) == 405);
        free(r.body);
    }
    adminenv_done(&e);
}

static void other_paths_still_need_the_token(void)
{
    static const char *const paths[] = {"/index.html", "/staff.js.map", "/staff/x",
                                        "/api/v1/status", "/assets/staff/staff.js"};
    struct adminenv e;
    struct adminenv_reply r;
    CHECK(env_init(&e) == 0);
    for (size_t i = 0; e.admin && i < sizeof paths / sizeof paths[0]; i++) {
        CHECK(request(&e, "GET", paths[i], NULL, &r) == 401);
        free(r.body);
    }
    adminenv_done(&e);
}

static void loading_the_page_never_counts_as_a_failed_login(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    CHECK(env_init(&e) == 0);
    if (e.admin) {
        for (int i = 0; i < 25; i++) {
            CHECK(request(&e, "GET", i % 2 ? "/favicon.ico" : "/", NULL, &r) == 200);
            free(r.body);
        }
        /* Nine wrong tokens are still below the lockout of ten. */
        for (int i = 0; i < 9; i++) {
            CHECK(request(&e, "GET", "/api/v1/status", "wrong-token-0123456789", &r) == 401);
            free(r.body);
        }
        CHECK(request(&e, "GET", "/api/v1/status", TOKEN, &r) == 200);
        free(r.body);
    }
    adminenv_done(&e);
}

static void every_page_file_is_embedded_whole(void)
{
    static const char *const names[] = {"index.html", "staff.css", "staff.js", "staff-icon.svg"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct staff_file *f = admin_staff_file(names[i]);
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/assets/staff/%s", KIOSK_SOURCE_DIR, names[i]);
        CHECK(f);
        CHECK(stat(path, &st) == 0);
        if (f) {
            CHECK(f->len == (size_t)st.st_size);
            CHECK(f->data[f->len] == '\0');
        }
    }
    CHECK(!admin_staff_file("nothing.txt"));
    CHECK(admin_staff_is_page("/") && admin_staff_is_page("/staff.js"));
    CHECK(!admin_staff_is_page("/api/v1/status") && !admin_staff_is_page(NULL));
}

static void status_reports_open_file_descriptors(void)
{
    struct adminenv e;
    struct adminenv_reply r;
    CHECK(env_init(&e) == 0);
    if (e.admin) {
        CHECK(request(&e, "GET", "/api/v1/status", TOKEN, &r) == 200);
        cJSON *doc = cJSON_Parse(r.body);
        const cJSON *fds = cJSON_GetObjectItemCaseSensitive(doc, "open_fds");
        CHECK(cJSON_IsNumber(fds) && fds->valuedouble > 2);
        /* One name per figure: the cache's rss and free space are left out. */
        CHECK(!cJSON_GetObjectItemCaseSensitive(doc, "rss_bytes"));
        CHECK(!cJSON_GetObjectItemCaseSensitive(doc, "state_free_bytes"));
        CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "memory_rss_bytes")));
        cJSON_Delete(doc);
        free(r.body);
    }
    adminenv_done(&e);
}

/* Reads the cache into a fresh object and returns it. */
static cJSON *health_at(struct admin_health *h, int64_t ms)
{
    cJSON *o = cJSON_CreateObject();
    if (o && admin_health_add_json(h, o, ms) != 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static double num(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void health_is_read_at_most_every_ten_seconds(void)
{
    char *dir = testutil_tempdir();
    char temp[1024], thr[1024];
    struct sys_health_paths p = {0};
    struct admin_health *h;
    cJSON *o;

    CHECK(dir);
    if (!dir) {
        return;
    }
    snprintf(temp, sizeof temp, "%s/temp", dir);
    snprintf(thr, sizeof thr, "%s/get_throttled", dir);
    CHECK(testutil_write_file(temp, "48312\n", 6) == 0);
    CHECK(testutil_write_file(thr, "50005\n", 6) == 0);
    p.thermal_temp = temp;
    p.throttled_file = thr;
    p.state_dir = dir; /* ignored: the admin reports free space itself */
    h = admin_health_create(&p);
    CHECK(h);
    if (!h) {
        goto out;
    }

    o = health_at(h, 1000);
    CHECK(num(o, "soc_temp_c") == 48.3);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "under_voltage_now")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "under_voltage_seen")));
    CHECK(!cJSON_GetObjectItemCaseSensitive(o, "state_free_bytes"));
    CHECK(!cJSON_GetObjectItemCaseSensitive(o, "open_fds")); /* no proc_self given */
    cJSON_Delete(o);

    CHECK(testutil_write_file(temp, "51000\n", 6) == 0);
    CHECK(testutil_write_file(thr, "0\n", 2) == 0);
    o = health_at(h, 1000 + ADMIN_HEALTH_MAX_AGE_MS - 1);
    CHECK(num(o, "soc_temp_c") == 48.3); /* still the cached reading */
    cJSON_Delete(o);

    o = health_at(h, 1000 + ADMIN_HEALTH_MAX_AGE_MS);
    CHECK(num(o, "soc_temp_c") == 51.0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "under_voltage_now")));
    cJSON_Delete(o);

    /* A clock that went backwards reads again rather than trusting a reading "from the
     * future" for ever. */
    CHECK(testutil_write_file(temp, "60000\n", 6) == 0);
    o = health_at(h, 500);
    CHECK(num(o, "soc_temp_c") == 60.0);
    cJSON_Delete(o);
    admin_health_free(h);
out:
    admin_health_free(NULL);
    testutil_rmtree(dir);
    free(dir);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    RUN(page_is_served_without_the_token_with_its_headers);
    RUN(script_style_and_icon_are_the_files_in_the_repo);
    RUN(page_refuses_other_methods_with_405);
    RUN(other_paths_still_need_the_token);
    RUN(loading_the_page_never_counts_as_a_failed_login);
    RUN(every_page_file_is_embedded_whole);
    RUN(status_reports_open_file_descriptors);
    RUN(health_is_read_at_most_every_ten_seconds);
    curl_global_cleanup();
    TEST_MAIN_END();
}
