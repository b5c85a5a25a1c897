/* bench_feed_series: a feed of series, parsed and selected.
 *
 * Builds 10,000 events, each a weekly series of 13 dates (a quarter of Saturday classes,
 * one moved), parses it with the per-kind cap raised to fit, then times feed_select for
 * every day filter at a clock in the middle of the series, as the list screen does once a
 * minute. Prints the best times and the peak memory the parse added. Figures only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "feed/feed.h"
#include "feed/feed_select.h"
#include "util/log.h"
#include "util/timeutil.h"

#define N_ITEMS 10000
#define N_DATES 13
#define RUNS 5

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static char *make_feed(size_t *len)
{
    size_t cap = (size_t)N_ITEMS * (N_DATES * 96 + 256) + 256;
    char *p = malloc(cap);
    size_t n = 0;

    if (!p) {
        return NULL;
    }
    n += (size_t)snprintf(p + n, cap - n,
                          "{\"version\":1,\"generated_at\":\"2026-11-25T09:00:00+09:00\","
                          "\"events\":[");
    for (int i = 0; i < N_ITEMS; i++) {
        int64_t first = timeutil_make_local(2026, 11, 28 + i % 7, 9 + i % 9, 0);
        n += (size_t)snprintf(p + n, cap - n,
                              "%s{\"id\":\"s-%05d\",\"title\":{\"ja\":\"土曜の教室 %d\"},"
                              "\"place\":{\"ja\":\"武蔵野プレイス\"},\"dates\":[",
                              i ? "," : "", i, i);
        for (int d = 0; d < N_DATES; d++) {
            char s[40], e[40];
            int64_t t = first + (int64_t)d * 7 * 86400 + (d == 5 ? 3 * 3600 : 0);
            timeutil_format_iso8601(t, s, sizeof s);
            timeutil_format_iso8601(t + 5400, e, sizeof e);
            n += (size_t)snprintf(p + n, cap - n, "%s{\"start\":\"%s\",\"end\":\"%s\"%s}",
                                  d ? "," : "", s, e, d == 5 ? ",\"changed\":true" : "");
        }
        n += (size_t)snprintf(p + n, cap - n, "]}");
    }
    n += (size_t)snprintf(p + n, cap - n, "],\"volunteers\":[]}");
    *len = n;
    return p;
}

int main(void)
{
    struct feed_limits lim;
    size_t len = 0;
    char err[256];
    double best_parse = 1e9;
    struct feed *f = NULL;
    const struct feed_item **out = malloc(N_ITEMS * sizeof *out);
    static const char *names[] = {"all", "today", "week", "month"};

    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0 || !out) {
        return 1;
    }
    feed_limits_default(&lim);
    lim.max_items = N_ITEMS;
    lim.max_bytes = 64u * 1024u * 1024u;
    char *doc = make_feed(&len);
    if (!doc) {
        return 1;
    }
    long rss_before = maxrss_kb();
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms();
        struct feed *g = feed_parse(doc, len, &lim, err, sizeof err);
        double t = now_ms() - t0;
        if (!g) {
            fprintf(stderr, "rejected: %s\n", err);
            return 1;
        }
        best_parse = t < best_parse ? t : best_parse;
        feed_free(f);
        f = g;
    }
    long rss_after = maxrss_kb();
    printf("feed: %.1f MiB, %zu events of %d dates, dropped=%zu\n", (double)len / 1048576.0,
           feed_count(f, FEED_KIND_EVENT), N_DATES, feed_drop_count(f));
    printf("parse+validate: best of %d runs %.1f ms; peak memory added %.1f MB (ru_maxrss)\n", RUNS,
           best_parse, (double)(rss_after - rss_before) / 1024.0);
    /* Tuesday in the sixth week: most series have a date ahead and some today */
    int64_t now = timeutil_make_local(2027, 1, 5, 10, 0);
    for (int day = FEED_DAY_ALL; day <= FEED_DAY_MONTH; day++) {
        struct feed_filter flt = {
            .kind = FEED_KIND_EVENT, .day = (enum feed_day)day, .category = NULL, .audience = NULL};
        double best = 1e9;
        size_t n = 0;
        for (int r = 0; r < RUNS; r++) {
            double t0 = now_ms();
            n = feed_select(f, &flt, now, out, N_ITEMS);
            double t = now_ms() - t0;
            best = t < best ? t : best;
        }
        printf("feed_select %-5s: %5zu matched, best %.2f ms\n", names[day], n, best);
    }
    feed_free(f);
    free(doc);
    free(out);
    return 0;
}
