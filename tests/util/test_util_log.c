/* Tests for util/log: levels, one line per message, escaped control characters, and rate
 * limiting per call site that audit lines are exempt from. */
#include <string.h>

#include "testutil.h"
#include "util/log.h"

static int lines;
static char last[1024];

static void sink(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)ctx;
    lines++;
    snprintf(last, sizeof last, "%s", line);
}

static void a_message_should_be_one_line_with_its_module(void)
{
    lines = 0;
    LOG_INFO("sync", "304 in %d ms\nsecond", 41);
    CHECK(lines == 1);
    CHECK(strcmp(last, "sync: 304 in 41 ms\\x0asecond") == 0);
    /* A trailing newline is the caller's habit, not content. */
    LOG_INFO("sync", "done\n");
    CHECK(strcmp(last, "sync: done") == 0);
}

static void control_characters_from_outside_should_be_escaped(void)
{
    /* A request path with ESC [2J and BEL would clear the terminal of whoever reads the log
     * and ring its bell; C1 CSI (U+009B) and a stray byte do the same on other terminals. */
    LOG_WARN("admin", "refused GET %s", "/\x1b[2J\x07x\x7f\tend");
    CHECK(strcmp(last, "admin: refused GET /\\x1b[2J\\x07x\\x7f\\x09end") == 0);
    LOG_WARN("admin", "refused GET %s",
             "/\xc2\x9b"
             "31m\x9b\xff");
    CHECK(strcmp(last, "admin: refused GET /\\xc2\\x9b31m\\x9b\\xff") == 0);
    /* Text in other scripts passes as it is. */
    LOG_INFO("admin", "announcement %s", "閉館のお知らせ");
    CHECK(strcmp(last, "admin: announcement 閉館のお知らせ") == 0);
    for (const char *p = last; *p; p++) {
        CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
    }
}

static void lines_below_the_level_should_be_dropped(void)
{
    lines = 0;
    LOG_DEBUG("x", "hidden");
    CHECK(lines == 0);
    log_set_level(LOG_LEVEL_DEBUG);
    LOG_DEBUG("x", "shown");
    CHECK(lines == 1);
    log_set_level(LOG_LEVEL_INFO);
}

static void a_repeating_call_site_should_be_rate_limited(void)
{
    lines = 0;
    for (int i = 0; i < 1000; i++) {
        LOG_WARN("sync", "failed (attempt %d)", i);
    }
    CHECK(lines > 0 && lines <= 10);
    /* Another call site is not affected by the first one's limit. */
    int before = lines;
    LOG_WARN("sync", "a different line");
    CHECK(lines == before + 1);
}

static void audit_lines_should_never_be_rate_limited(void)
{
    /* A flood of refused requests and a burst of staff actions: every action is kept. */
    for (int i = 0; i < 1000; i++) {
        LOG_WARN("admin", "refused GET /x from %d", i);
    }
    lines = 0;
    for (int i = 0; i < 50; i++) {
        LOG_AUDIT("admin", "announcement a%d created by 127.0.0.1", i);
    }
    CHECK(lines == 50);
    CHECK(strcmp(last, "admin: announcement a49 created by 127.0.0.1") == 0);
    /* Nor hidden by a level that hides ordinary info lines. */
    log_set_level(LOG_LEVEL_WARN);
    LOG_AUDIT("admin", "announcement a deleted by 127.0.0.1");
    CHECK(lines == 51);
    log_set_level(LOG_LEVEL_INFO);
}

int main(void)
{
    log_set_sink(sink, NULL);
    RUN(a_message_should_be_one_line_with_its_module);
    RUN(lines_below_the_level_should_be_dropped);
    RUN(control_characters_from_outside_should_be_escaped);
    RUN(a_repeating_call_site_should_be_rate_limited);
    RUN(audit_lines_should_never_be_rate_limited);
    log_set_sink(NULL, NULL);
    TEST_MAIN_END();
}
