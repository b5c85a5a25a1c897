/* Tests for util/log: levels, one line per message, and rate limiting per call site. */
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
    CHECK(strcmp(last, "sync: 304 in 41 ms second") == 0);
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
    for (int i = 0; i < 1000; i++)
        LOG_WARN("sync", "failed (attempt %d)", i);
    CHECK(lines > 0 && lines <= 10);
    /* Another call site is not affected by the first one's limit. */
    int before = lines;
    LOG_WARN("sync", "a different line");
    CHECK(lines == before + 1);
}

int main(void)
{
    log_set_sink(sink, NULL);
    RUN(a_message_should_be_one_line_with_its_module);
    RUN(lines_below_the_level_should_be_dropped);
    RUN(a_repeating_call_site_should_be_rate_limited);
    log_set_sink(NULL, NULL);
    TEST_MAIN_END();
}
