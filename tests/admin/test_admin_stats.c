/* test_admin_stats: GET /api/v1/stats and GET /metrics on an in-process admin with real usage
 * counts (sys/usage.h) in a temp dir and a fixed Tokyo clock: a scripted visit is replayed
 * through the counting calls the app makes, and the CSV and JSON numbers are checked
 * exactly, as is the Prometheus text the fleet's scraper reads. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "admin/admin.h"
#include "adminenv.h"
#include "sys/usage.h"
#include "testutil.h"
#include "util/timeutil.h"

#define TOKEN "test-token-0123456789abcdef"

struct env {
    struct adminenv e;
    struct usage *u;
    char usage_dir[1100];
};

/* The visit, on Tuesday 2026-12-01 and Wednesday 2026-12-02 (Tokyo):
 *   12-01 10:xx  2 sessions; ev-1 opened twice, its QR shown 3.5 s and 1.25 s; a filter
 *   12-01 14:xx  1 session; vo-7 opened, no QR
 *   12-02 09:xx  1 session; ev-1 opened, QR 2 s; an attract QR */
static void replay_visit(struct usage *u, int64_t *now)
{
    *now = timeutil_make_local(2026, 12, 1, 10, 5);
    usage_count(u, USAGE_SESSIONS, 1);
    usage_count(u, USAGE_SCREEN_HOME, 1);
    usage_count(u, USAGE_SCREEN_DETAIL, 1);
    usage_listing_opened(u, "ev-1", "=SUM(1) 体操, \"朝\"", "sports");
    usage_listing_qr(u, "ev-1", 3500);
    usage_count(u, USAGE_SESSIONS, 1);
    usage_count(u, USAGE_FILTERS_USED, 1);
    usage_count_tag(u, USAGE_TAG_FILTER, "category:sports");
    usage_listing_opened(u, "ev-1", "=SUM(1) 体操, \"朝\"", "sports");
    usage_listing_qr(u, "ev-1", 1250);
    *now = timeutil_make_local(2026, 12, 1, 14, 30);
    usage_count(u, USAGE_SESSIONS, 1);
    usage_listing_opened(u, "vo-7", "図書の整理", "library");
    *now = timeutil_make_local(2026, 12, 2, 9, 0);
    usage_count(u, USAGE_SESSIONS, 1);
    usage_listing_opened(u, "ev-1", "=SUM(1) 体操, \"朝\"", "sports");
    usage_listing_qr(u, "ev-1", 2000);
    usage_count(u, USAGE_ATTRACT_QR_SHOWN, 1);
    *now = timeutil_make_local(2026, 12, 3, 12, 0);
}

static int env_init(struct env *v, bool metrics_public)
{
    const struct adminenv_options o = {TOKEN, 0, 0, false};

    memset(v, 0, sizeof *v);
    if (adminenv_init(&v->e, &o) != 0) {
        return -1;
    }
    admin_free(v->e.admin);
    v->e.admin = NULL;
    snprintf(v->usage_dir, sizeof v->usage_dir, "%s/usage", v->e.state);
    v->e.now = timeutil_make_local(2026, 12, 1, 9, 0);
    struct usage_options uo = {
        .dir = v->usage_dir, .retain_fiscal_years = 3, .clock = kclock_fixed(&v->e.now)};
    v->u = usage_create(&uo);
    if (!v->u) {
        return -1;
    }
    replay_visit(v->u, &v->e.now);
    v->e.opt.usage = v->u;
    v->e.opt.metrics_public = metrics_public;
    v->e.opt.metrics_label = "musashino-place/lobby";
    return adminenv_start(&v->e);
}

static void env_done(struct env *v)
{
    admin_free(v->e.admin);
    v->e.admin = NULL;
    usage_free(v->u);
    adminenv_done(&v->e);
}

static long get(struct env *v, const char *path, const char *token, struct adminenv_reply *r)
{
    return adminenv_request(v->e.port, "GET", path, token, NULL, 0, NULL, r);
}

static double num(const cJSON *o, const char *name)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(n) ? n->valuedouble : -1;
}

static void stats_json_gives_totals_days_hours_and_listings(void)
{
    struct env v;
    struct adminenv_reply r;

    CHECK(env_init(&v, false) == 0);
    CHECK(get(&v, "/api/v1/stats?from=2026-12-01&to=2026-12-03", TOKEN, &r) == 200);
    cJSON *doc = cJSON_Parse(r.body);
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(doc, "totals");
    CHECK(num(tot, "sessions") == 4);
    CHECK(num(tot, "listing_opens") == 4);
    CHECK(num(tot, "qr_shown") == 3);
    CHECK(num(tot, "qr_seconds") == 6.75);
    CHECK(num(tot, "attract_qr_shown") == 1);
    CHECK(num(tot, "filters_used") == 1);
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(doc, "days");
    CHECK(cJSON_GetArraySize(days) == 3);
    CHECK(num(cJSON_GetArrayItem(days, 0), "sessions") == 3);
    CHECK(num(cJSON_GetArrayItem(days, 1), "sessions") == 1);
    CHECK(num(cJSON_GetArrayItem(days, 2), "sessions") == 0);
    const cJSON *hours = cJSON_GetObjectItemCaseSensitive(doc, "hours");
    CHECK(cJSON_GetArraySize(hours) == 3);
    const cJSON *h0 = cJSON_GetArrayItem(hours, 0);
    CHECK(num(h0, "hour") == 10 && num(h0, "sessions") == 2);
    const cJSON *ls = cJSON_GetObjectItemCaseSensitive(doc, "listings");
    CHECK(cJSON_GetArraySize(ls) == 2);
    const cJSON *l0 = cJSON_GetArrayItem(ls, 0);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(l0, "id");
    CHECK(cJSON_IsString(id) && strcmp(id->valuestring, "ev-1") == 0);
    CHECK(num(l0, "opens") == 3 && num(l0, "qr_shown") == 3 && num(l0, "qr_seconds") == 6.75);
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(doc, "tags");
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(tags, "category");
    CHECK(num(cat, "sports") == 3 && num(cat, "library") == 1);
    cJSON_Delete(doc);
    adminenv_reply_free(&r);
    env_done(&v);
}

static void stats_csv_opens_in_excel_and_its_numbers_add_up(void)
{
    struct env v;
    struct adminenv_reply r;

    CHECK(env_init(&v, false) == 0);
    CHECK(get(&v, "/api/v1/stats?from=2026-12-01&to=2026-12-02&format=csv", TOKEN, &r) == 200);
    CHECK(strncmp(r.type, "text/csv; charset=utf-8", 23) == 0);
    CHECK(r.len > 3 && memcmp(r.body, "\xEF\xBB\xBF", 3) == 0);
    /* every line ends CRLF; no bare LF */
    size_t crlf = 0;
    bool bare = false;
    for (size_t i = 0; i < r.len; i++) {
        if (r.body[i] == '\n') {
            crlf += i > 0 && r.body[i - 1] == '\r';
            bare = bare || i == 0 || r.body[i - 1] != '\r';
        }
    }
    CHECK(!bare);
    /* header, total, 2 days, 3 hours, 2 listings */
    CHECK(crlf == 9);
    const char *expect[] = {
        "\xEF\xBB\xBFsection,date,hour,id,title,category,sessions,screen_home,screen_list,"
        "screen_detail,screen_announcements,listing_opens,qr_shown,qr_seconds,"
        "attract_qr_shown,filters_used\r\n",
        "total,,,\"\",\"\",\"\",4,1,0,1,0,4,3,6.750,1,1\r\n",
        "day,2026-12-01,,\"\",\"\",\"\",3,1,0,1,0,3,2,4.750,0,1\r\n",
        "day,2026-12-02,,\"\",\"\",\"\",1,0,0,0,0,1,1,2.000,1,0\r\n",
        "hour,2026-12-01,10,\"\",\"\",\"\",2,1,0,1,0,2,2,4.750,0,1\r\n",
        "hour,2026-12-01,14,\"\",\"\",\"\",1,0,0,0,0,1,0,0.000,0,0\r\n",
        "hour,2026-12-02,9,\"\",\"\",\"\",1,0,0,0,0,1,1,2.000,1,0\r\n",
        /* a title starting like a formula is shown as text; quotes doubled */
        "listing,,,\"ev-1\",\"'=SUM(1) 体操, \"\"朝\"\"\",\"sports\",0,0,0,0,0,3,3,6.750,0,0\r\n",
        "listing,,,\"vo-7\",\"図書の整理\",\"library\",0,0,0,0,0,1,0,0.000,0,0\r\n",
    };
    const char *p = r.body;
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        size_t n = strlen(expect[i]);
        bool same = strncmp(p, expect[i], n) == 0;
        CHECK(same);
        if (!same) {
            printf("  line %zu: %.*s\n  want: %s", i, (int)strcspn(p, "\n"), p, expect[i]);
            break;
        }
        p += n;
    }
    adminenv_reply_free(&r);
    env_done(&v);
}

static void stats_after_a_restart_are_read_from_the_day_files(void)
{
    struct env v;
    struct adminenv_reply r;

    CHECK(env_init(&v, false) == 0);
    admin_free(v.e.admin);
    v.e.admin = NULL;
    usage_free(v.u); /* flushes: the kiosk stops */
    struct usage_options uo = {
        .dir = v.usage_dir, .retain_fiscal_years = 3, .clock = kclock_fixed(&v.e.now)};
    v.u = usage_create(&uo);
    v.e.opt.usage = v.u;
    CHECK(adminenv_start(&v.e) == 0);
    CHECK(get(&v, "/api/v1/stats?from=2026-12-01&to=2026-12-02&format=csv", TOKEN, &r) == 200);
    CHECK(strstr(r.body, "\r\ntotal,,,\"\",\"\",\"\",4,1,0,1,0,4,3,6.750,1,1\r\n"));
    adminenv_reply_free(&r);
    env_done(&v);
}

static void stats_need_the_token_and_good_dates(void)
{
    struct env v;
    struct adminenv_reply r;

    CHECK(env_init(&v, true) == 0);
    CHECK(get(&v, "/api/v1/stats", NULL, &r) == 401);
    adminenv_reply_free(&r);
    CHECK(get(&v, "/api/v1/stats?from=2026-13-01", TOKEN, &r) == 400);
    adminenv_reply_free(&r);
    CHECK(get(&v, "/api/v1/stats?from=2026-12-03&to=2026-12-01", TOKEN, &r) == 400);
    adminenv_reply_free(&r);
    CHECK(get(&v, "/api/v1/stats?format=xlsx", TOKEN, &r) == 400);
    adminenv_reply_free(&r);
    CHECK(get(&v, "/api/v1/stats?from=2020-01-01&to=2026-12-01", TOKEN, &r) == 400);
    adminenv_reply_free(&r);
    /* no range: the last 7 days up to today (12-03) */
    CHECK(get(&v, "/api/v1/stats", TOKEN, &r) == 200);
    CHECK(strstr(r.body, "\"from\":\"2026-11-27\",\"to\":\"2026-12-03\""));
    adminenv_reply_free(&r);
    env_done(&v);
}

static void metrics_need_the_token_unless_public(void)
{
    struct env v;
    struct adminenv_reply r;

    CHECK(env_init(&v, false) == 0);
    CHECK(get(&v, "/metrics", NULL, &r) == 401);
    adminenv_reply_free(&r);
    CHECK(get(&v, "/metrics", TOKEN, &r) == 200);
    adminenv_reply_free(&r);
    env_done(&v);
    CHECK(env_init(&v, true) == 0);
    CHECK(get(&v, "/metrics", NULL, &r) == 200);
    adminenv_reply_free(&r);
    /* public means the metrics only */
    CHECK(get(&v, "/api/v1/status", NULL, &r) == 401);
    adminenv_reply_free(&r);
    env_done(&v);
}

/* Prometheus's own linter on the page, when Debian's prometheus package is there. */
static void promtool_checks(struct env *v)
{
    char cmd[256];

    if (system("command -v promtool >/dev/null 2>&1") != 0) {
        printf("  skipped: promtool not installed (apt-get install prometheus)\n");
        return;
    }
    snprintf(cmd, sizeof cmd,
             "curl -sf http://127.0.0.1:%d/metrics | promtool check metrics >/dev/null", v->e.port);
    CHECK(system(cmd) == 0);
}

/* Every sample line is name{kiosk="...",...} value, every name has HELP and TYPE before it,
 * and counters end in _total. */
static void metrics_follow_the_text_format_and_conventions(void)
{
    struct env v;
    struct adminenv_reply r;
    regex_t re;

    CHECK(regcomp(&re,
                  "^(kiosk_[a-z_]+)\\{kiosk=\"musashino-place/lobby\"(,[a-z_]+=\"[^\"]*\")*\\} "
                  "-?[0-9.e+]+$",
                  REG_EXTENDED) == 0);
    CHECK(env_init(&v, true) == 0);
    CHECK(get(&v, "/metrics", NULL, &r) == 200);
    CHECK(strncmp(r.type, "text/plain; version=0.0.4", 25) == 0);
    printf("  /metrics: %zu bytes\n", r.len);
    char *save = NULL, typed[128] = "", type[16] = "";
    int samples = 0;
    for (char *line = strtok_r(r.body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "# HELP ", 7) == 0) {
            continue;
        }
        if (sscanf(line, "# TYPE %127s %15s", typed, type) == 2) {
            continue;
        }
        regmatch_t m[2];
        bool ok = regexec(&re, line, 2, m, 0) == 0;
        CHECK(ok);
        if (!ok) {
            printf("  bad line: %s\n", line);
            continue;
        }
        samples++;
        size_t n = (size_t)(m[1].rm_eo - m[1].rm_so);
        CHECK(strlen(typed) == n && strncmp(line, typed, n) == 0);
        if (strcmp(type, "counter") == 0) {
            CHECK(n > 6 && strncmp(line + n - 6, "_total", 6) == 0);
        }
    }
    CHECK(samples > 20);
    adminenv_reply_free(&r);
    promtool_checks(&v);
    CHECK(get(&v, "/metrics", NULL, &r) == 200);
    CHECK(strstr(r.body, "\nkiosk_usage_sessions_total{kiosk=\"musashino-place/lobby\"} 4\n"));
    CHECK(strstr(r.body, "\nkiosk_usage_qr_seconds_total{kiosk=\"musashino-place/lobby\"} 6.75\n"));
    CHECK(strstr(r.body, "kiosk_build_info{kiosk=\"musashino-place/lobby\",version=\""));
    CHECK(strstr(r.body, "\nkiosk_items{kiosk=\"musashino-place/lobby\",kind=\"event\"} 0\n"));
    CHECK(strstr(r.body, "\nkiosk_uptime_seconds{"));
    adminenv_reply_free(&r);
    regfree(&re);
    env_done(&v);
}

static void metrics_come_from_memory_not_the_day_files(void)
{
    struct env v;
    struct adminenv_reply r;
    char cmd[1200];

    CHECK(env_init(&v, true) == 0);
    CHECK(usage_flush(v.u, true) == 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", v.usage_dir);
    CHECK(system(cmd) == 0);
    CHECK(get(&v, "/metrics", NULL, &r) == 200);
    CHECK(strstr(r.body, "\nkiosk_usage_listing_opens_total{kiosk=\"musashino-place/lobby\"} 4\n"));
    adminenv_reply_free(&r);
    env_done(&v);
}

/* With status pushed: sources' sync age and error class, announcements, the panel. */
static void metrics_report_sources_and_the_panel_from_the_status(void)
{
    struct env v;
    struct adminenv_reply r;
    struct admin_status st;

    CHECK(env_init(&v, true) == 0);
    memset(&st, 0, sizeof st);
    st.n_sources = 2;
    snprintf(st.sources[0].name, sizeof st.sources[0].name, "feed");
    st.sources[0].last_ok_at = v.e.now - 120;
    st.sources[0].has_content = true;
    snprintf(st.sources[1].name, sizeof st.sources[1].name, "city \"ical\"");
    st.sources[1].last_ok_at = v.e.now - 7200;
    st.sources[1].last_error_at = v.e.now - 60;
    snprintf(st.sources[1].last_error, sizeof st.sources[1].last_error, "timeout after 30 s");
    st.n_sources = 3;
    /* the class net/ named wins over what the message suggests */
    snprintf(st.sources[2].name, sizeof st.sources[2].name, "csv");
    st.sources[2].last_error_at = v.e.now - 30;
    snprintf(st.sources[2].last_error, sizeof st.sources[2].last_error, "csv: failed (HTTP 500)");
    snprintf(st.sources[2].fail_class, sizeof st.sources[2].fail_class, "tls");
    st.n_events = 12;
    snprintf(st.panel_state, sizeof st.panel_state, "on");
    st.frames_drawn = 345;
    CHECK(admin_set_status(v.e.admin, &st) == 0);
    CHECK(get(&v, "/metrics", NULL, &r) == 200);
    const char *want[] = {
        "kiosk_source_sync_age_seconds{kiosk=\"musashino-place/lobby\",source=\"feed\"} 120\n",
        "kiosk_source_sync_age_seconds{kiosk=\"musashino-place/lobby\","
        "source=\"city \\\"ical\\\"\"} 7200\n",
        "kiosk_source_failing{kiosk=\"musashino-place/lobby\",source=\"feed\",class=\"none\"} 0\n",
        "kiosk_source_failing{kiosk=\"musashino-place/lobby\",source=\"city \\\"ical\\\"\","
        "class=\"timeout\"} 1\n",
        "kiosk_source_failing{kiosk=\"musashino-place/lobby\",source=\"csv\",class=\"tls\"} 1\n",
        "kiosk_items{kiosk=\"musashino-place/lobby\",kind=\"event\"} 12\n",
        "kiosk_panel_on{kiosk=\"musashino-place/lobby\"} 1\n",
        "kiosk_frames_drawn_total{kiosk=\"musashino-place/lobby\"} 345\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool found = strstr(r.body, want[i]);
        CHECK(found);
        if (!found) {
            printf("  missing: %s", want[i]);
        }
    }
    adminenv_reply_free(&r);
    env_done(&v);
}

/* Runs the built kioskctl (../../kioskctl from this test) with args; its stdout into out. */
static int run_kioskctl(struct env *v, const char *args, char *out, size_t cap, size_t *len)
{
    char self[1024], cmd[4096], conf[1100];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

    if (n < 0) {
        return -1;
    }
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(conf, sizeof conf, "%s/kioskctl.conf", v->e.dir);
    if (testutil_write_file(conf, "", 0) != 0) {
        return -1;
    }
    snprintf(cmd, sizeof cmd,
             "%s/../../kioskctl --config '%s' --token-file '%s' --url http://127.0.0.1:%d %s", self,
             conf, v->e.token_file, v->e.port, args);
    FILE *p = popen(cmd, "r");
    if (!p) {
        return -1;
    }
    *len = fread(out, 1, cap - 1, p);
    out[*len] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void kioskctl_stats_gives_the_fiscal_year_and_a_csv_byte_for_byte(void)
{
    struct env v;
    struct adminenv_reply r;
    static char out[1 << 20];
    size_t len = 0;

    CHECK(env_init(&v, false) == 0);
    CHECK(run_kioskctl(&v, "stats --fiscal-year 2026 --csv", out, sizeof out, &len) == 0);
    CHECK(get(&v, "/api/v1/stats?from=2026-04-01&to=2027-03-31&format=csv", TOKEN, &r) == 200);
    CHECK(len == r.len && memcmp(out, r.body, len) == 0);
    CHECK(strstr(out, "\r\nday,2026-04-01,") && strstr(out, "\r\nday,2027-03-31,"));
    CHECK(!strstr(out, "\r\nday,2027-04-01,"));
    adminenv_reply_free(&r);
    CHECK(run_kioskctl(&v, "stats --from 2026-12-01 --to 2026-12-02", out, sizeof out, &len) == 0);
    CHECK(strstr(out, "2026-12-01 〜 2026-12-02"));
    CHECK(strstr(out, "  2026-12-01      3\n"));
    CHECK(strstr(out, "ev-1"));
    CHECK(run_kioskctl(&v, "stats --from 2026-12-32 2>/dev/null", out, sizeof out, &len) == 1);
    CHECK(run_kioskctl(&v, "stats --fiscal-year 2026 --from 2026-12-01 2>/dev/null", out,
                       sizeof out, &len) == 1);
    env_done(&v);
}

int main(void)
{
    timeutil_set_zone("Asia/Tokyo");
    RUN(stats_json_gives_totals_days_hours_and_listings);
    RUN(stats_csv_opens_in_excel_and_its_numbers_add_up);
    RUN(stats_after_a_restart_are_read_from_the_day_files);
    RUN(stats_need_the_token_and_good_dates);
    RUN(metrics_need_the_token_unless_public);
    RUN(metrics_follow_the_text_format_and_conventions);
    RUN(metrics_come_from_memory_not_the_day_files);
    RUN(metrics_report_sources_and_the_panel_from_the_status);
    RUN(kioskctl_stats_gives_the_fiscal_year_and_a_csv_byte_for_byte);
    TEST_MAIN_END();
}
