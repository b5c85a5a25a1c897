/* Tests for config/: defaults, a good file, and every way a file can be bad. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/config_sources.h"
#include "testutil.h"

static char *dir;

static struct config *load_text(const char *text, char *err, size_t errlen)
{
    char path[512];
    snprintf(path, sizeof path, "%s/kiosk.conf", dir);
    if (testutil_write_file(path, text, strlen(text)) < 0) {
        return NULL;
    }
    return config_load(path, err, errlen);
}

static void defaults_should_match_the_documented_values(void)
{
    struct config *c = config_create_default();
    CHECK(c);
    CHECK(strcmp(c->timezone, "Asia/Tokyo") == 0);
    CHECK(c->poll_interval_s == 300);
    CHECK(c->announcements_poll_interval_s == 30);
    CHECK(c->backoff_cap_s == 1800);
    CHECK(c->max_feed_bytes == 8u * 1024 * 1024);
    CHECK(c->max_items == 5000);
    CHECK(c->idle_timeout_s == 90);
    CHECK(c->stale_after_s == 86400);
    CHECK(strcmp(c->admin_listen, "127.0.0.1:8080") == 0);
    CHECK(c->admin_max_body == 65536);
    CHECK(c->admin_hosts && c->admin_hosts[0] == '\0');
    CHECK(!c->allow_http);
    for (int d = 0; d < 7; d++) {
        CHECK(c->hours[d].open_min == 0 && c->hours[d].close_min == 24 * 60);
    }
    config_free(c);
}

static void a_good_file_should_override_defaults(void)
{
    char err[256] = "";
    struct config *c = load_text("# comment\n\n"
                                 "facility_name = \" 武蔵野プレイス \"\n"
                                 "poll_interval_s = 60\n"
                                 "allow_http = true\n"
                                 "rotation = 90\n"
                                 "hours.mon = closed\n"
                                 "hours.tue = 09:30-22:00\r\n"
                                 "closed_dates = 2026-12-29, 2026-12-30,2026-12-31\n"
                                 "announcement_keys = "
                                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
                                 err, sizeof err);
    CHECK(c);
    if (!c) {
        return;
    }
    CHECK(strcmp(c->facility_name, " 武蔵野プレイス ") == 0);
    CHECK(c->poll_interval_s == 60);
    CHECK(c->allow_http);
    CHECK(c->rotation == 90);
    CHECK(c->hours[1].open_min == c->hours[1].close_min);
    CHECK(c->hours[2].open_min == 570 && c->hours[2].close_min == 1320);
    CHECK(c->n_closed_dates == 3);
    CHECK(c->n_closed_dates == 3 && strcmp(c->closed_dates[2], "2026-12-31") == 0);
    CHECK(c->n_announcement_keys == 1);
    config_free(c);
}

static void an_unknown_key_should_fail_naming_the_key_and_line(void)
{
    char err[256] = "";
    struct config *c = load_text("poll_interval_s = 60\npoll_intervall = 5\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "poll_intervall"));
    CHECK(strstr(err, ":2:"));
    config_free(c);
}

static void a_wrong_type_should_fail_naming_the_key(void)
{
    char err[256] = "";
    struct config *c = load_text("poll_interval_s = soon\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "poll_interval_s"));
    c = load_text("allow_http = maybe\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "allow_http"));
    c = load_text("rotation = 45\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "rotation"));
    c = load_text("hours.sat = 22:00-09:00\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "hours.sat"));
    c = load_text("closed_dates = 2026-02-30\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "closed_dates"));
    c = load_text("announcement_keys = notakey\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "announcement_keys"));
}

static void an_out_of_range_value_should_fail(void)
{
    char err[256] = "";
    struct config *c = load_text("poll_interval_s = 1\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "outside"));
}

static void a_line_without_equals_should_fail(void)
{
    char err[256] = "";
    struct config *c = load_text("feed_url https://x\n", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, ":1:"));
}

static void an_unreadable_file_should_fail_with_the_path(void)
{
    char err[256] = "";
    struct config *c = config_load("/nonexistent/kiosk.conf", err, sizeof err);
    CHECK(!c);
    CHECK(strstr(err, "/nonexistent/kiosk.conf"));
}

static void config_set_should_apply_command_line_overrides(void)
{
    char err[256] = "";
    struct config *c = config_create_default();
    CHECK(config_set(c, "feed_url", "file:///tmp/feed.json", err, sizeof err) == 0);
    CHECK(strcmp(c->feed_url, "file:///tmp/feed.json") == 0);
    CHECK(config_set(c, "no_such_key", "1", err, sizeof err) < 0);
    CHECK(strstr(err, "no_such_key"));
    config_free(c);
}

static void the_shipped_sample_config_should_load(void)
{
    char err[256] = "";
    struct config *c = config_load(KIOSK_SOURCE_DIR "/config/kiosk.conf", err, sizeof err);
    if (!c) {
        fprintf(stderr, "  %s\n", err);
    }
    CHECK(c);
    config_free(c);
}

static void safety_keys_should_default_to_musashino_and_be_settable(void)
{
    char err[256] = "";
    struct config *c = config_create_default();
    CHECK(c && strcmp(c->jma_area_code, "1320300") == 0 && strcmp(c->jma_quake_area, "351") == 0);
    CHECK(c && c->jma_tsunami_area[0] == '\0' && !c->jma_show_advisories && !c->drill_mode);
    CHECK(c && c->quake_max_age_s == 21600 && c->cap_url[0] == '\0' && !c->cap_show_unlocated);
    CHECK(c && !c->cap_signed);
    CHECK(c && strstr(c->jma_extra_url, "/extra.xml") && strstr(c->jma_eqvol_url, "/eqvol.xml"));
    config_free(c);
    c = load_text("drill_mode = true\njma_tsunami_area = 300\nquake_max_age_s = 3600\n"
                  "cap_url = https://gw.example.jp/cap.xml\ncap_show_unlocated = true\n"
                  "cap_signed = true\n",
                  err, sizeof err);
    CHECK(c && c->drill_mode && strcmp(c->jma_tsunami_area, "300") == 0);
    CHECK(c && c->quake_max_age_s == 3600 && c->cap_show_unlocated && c->cap_signed);
    config_free(c);
    c = load_text("quake_max_age_s = 5\n", err, sizeof err);
    CHECK(!c && strstr(err, "quake_max_age_s"));
    config_free(c);
}

/* A FIFO put in the config's place held the kiosk in open() for ever (issue 17); the alarm
 * turns such a hang into a failure. */
static void a_fifo_as_config_should_be_refused_at_once_with_a_clear_error(void)
{
    char path[512], err[256] = "";
    snprintf(path, sizeof path, "%s/fifo.conf", dir);
    CHECK(mkfifo(path, 0600) == 0);
    alarm(20);
    struct config *c = config_load(path, err, sizeof err);
    alarm(0);
    CHECK(!c);
    CHECK(strstr(err, "fifo.conf"));
    CHECK(strstr(err, "not a regular file"));
    config_free(c);
}

static void sources_should_be_listed_in_order_with_their_settings(void)
{
    char err[256] = "";
    struct config *c = load_text("feed_url = https://a.example/feed.json\n"
                                 "source.3.url = https://cal.example/x.ics\n"
                                 "source.1.url = file:///srv/events.csv\n"
                                 "source.1.kind = volunteers\n"
                                 "source.1.category = 福祉\n"
                                 "source.3.label = 施設予約\n"
                                 "upgrade_http_urls = false\n",
                                 err, sizeof err);
    size_t idx[CONFIG_MAX_SOURCES];
    struct config_import ci;
    char name[64];

    CHECK(c);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(config_sources(c, idx) == 3);
    CHECK(idx[0] == 0 && idx[1] == 1 && idx[2] == 3);
    CHECK(strcmp(config_source_url(c, 3), "https://cal.example/x.ics") == 0);
    config_import_opts(c, 1, 1000, &ci);
    CHECK(ci.opts.kind == FEED_KIND_VOLUNTEER && strcmp(ci.opts.default_category, "福祉") == 0);
    CHECK(strcmp(ci.opts.id_prefix, "s1-") == 0 && !ci.opts.upgrade_http && ci.opts.now == 1000);
    CHECK(ci.opts.window_days == 92);
    config_import_opts(c, 0, 0, &ci);
    CHECK(ci.opts.kind == FEED_KIND_EVENT && strcmp(ci.opts.id_prefix, "") == 0);
    config_source_name(c, 0, name, sizeof name);
    CHECK(strcmp(name, "feed") == 0);
    config_source_name(c, 1, name, sizeof name);
    CHECK(strcmp(name, "events.csv") == 0);
    config_source_name(c, 3, name, sizeof name);
    CHECK(strcmp(name, "施設予約") == 0);
    CHECK(config_set(c, "source.0.url", "https://b.example/f.json", err, sizeof err) == 0);
    CHECK(strcmp(c->feed_url, "https://b.example/f.json") == 0);
    config_free(c);
}

static void a_bad_source_key_should_fail_naming_it(void)
{
    char err[256] = "";
    struct config *c = load_text("source.1.kind = events-and-more\n", err, sizeof err);
    CHECK(!c && strstr(err, "source.1.kind") && strstr(err, "events or volunteers"));
    c = load_text("source.16.url = https://x.example/\n", err, sizeof err);
    CHECK(!c && strstr(err, "source.0 to source.15"));
    c = load_text("source.2.colour = red\n", err, sizeof err);
    CHECK(!c && strstr(err, "source.2.colour"));
    c = load_text("source.x.url = https://x.example/\n", err, sizeof err);
    CHECK(!c && strstr(err, "source.x.url"));
}

int main(void)
{
    dir = testutil_tempdir();
    RUN(defaults_should_match_the_documented_values);
    RUN(safety_keys_should_default_to_musashino_and_be_settable);
    RUN(a_fifo_as_config_should_be_refused_at_once_with_a_clear_error);
    RUN(a_good_file_should_override_defaults);
    RUN(an_unknown_key_should_fail_naming_the_key_and_line);
    RUN(a_wrong_type_should_fail_naming_the_key);
    RUN(an_out_of_range_value_should_fail);
    RUN(a_line_without_equals_should_fail);
    RUN(an_unreadable_file_should_fail_with_the_path);
    RUN(config_set_should_apply_command_line_overrides);
    RUN(the_shipped_sample_config_should_load);
    RUN(sources_should_be_listed_in_order_with_their_settings);
    RUN(a_bad_source_key_should_fail_naming_it);
    testutil_rmtree(dir);
    free(dir);
    TEST_MAIN_END();
}
