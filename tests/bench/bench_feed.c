/* bench_feed: how long and how much memory parsing a large feed takes.
 *
 * Builds in memory a feed of 10,000 items (5,000 events and 5,000 volunteer listings, the
 * default per-kind cap) with realistic Japanese text, parses and validates it several
 * times, and prints the best time and the peak resident memory the parse added. Targets on
 * the development machine: under 100 ms and under 40 MB. Figures only, no assertions. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "feed/feed.h"
#include "feed/feed_internal.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

#define N_EVENTS 5000
#define N_VOLUNTEERS 5000
#define RUNS 7

/* The generators write a document of a few MiB; running out of memory ends the bench. */
static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = buf_vappendf(b, fmt, ap);
    va_end(ap);
    if (rc != 0) {
        fprintf(stderr, "cannot build the bench's document\n");
        exit(1);
    }
}

static const char *TITLES[] = {
    "玉川上水の清掃ボランティア",  "はじめてのスマートフォン教室",
    "子ども食堂 調理スタッフ募集", "多文化交流カフェ〜やさしい日本語で話そう〜",
    "防災講座：在宅避難の備え",    "武蔵野プレイス 夜のジャズコンサート",
    "シニアのための健康体操",      "図書館 読み聞かせ会",
};
static const char *PLACES[] = {
    "武蔵野プレイス 4階 フォーラム", "武蔵野市役所 西棟8階 811会議室",
    "境南コミュニティセンター",      "吉祥寺東コミュニティセンター 和室",
    "井の頭恩賜公園 西園",
};
static const char *CATS[] = {"learning", "kids", "senior", "intl", "environment", "welfare"};

static char *make_feed(size_t *len)
{
    struct buf b;

    buf_init(&b, (size_t)256 << 20);

    put(&b, "{\"version\":1,\"generated_at\":\"2026-11-25T09:00:00+09:00\","
            "\"publisher\":{\"ja\":\"武蔵野市 市民活動推進課\",\"en\":\"Musashino City\"},"
            "\"categories\":[");
    for (size_t i = 0; i < 6; i++) {
        put(&b, "%s{\"id\":\"%s\",\"label\":{\"ja\":\"分類%zu\",\"en\":\"Category %zu\"}}",
            i ? "," : "", CATS[i], i, i);
    }
    put(&b, "],\"audiences\":[{\"id\":\"everyone\",\"label\":{\"ja\":\"どなたでも\"}},"
            "{\"id\":\"kids\",\"label\":{\"ja\":\"小学生\"}}],\"events\":[");
    for (int i = 0; i < N_EVENTS; i++) {
        int day = 1 + i % 28, hour = 9 + i % 10;
        put(&b,
            "%s{\"id\":\"ev-%05d\",\"title\":{\"ja\":\"%s（第%d回）\",\"en\":\"Event %d\"},"
            "\"summary\":{\"ja\":\"どなたでも参加できます。動きやすい服装でお越しください。\"},"
            "\"description\":{\"ja\":\"市民の皆さんと一緒に活動します。\\n"
            "雨天の場合は中止します。当日の朝7時に市ホームページでお知らせします。"
            "持ち物：飲み物、タオル、筆記用具。\"},"
            "\"start\":\"2026-12-%02dT%02d:00:00+09:00\",\"end\":\"2026-12-%02dT%02d:30:00+09:00\","
            "\"place\":{\"ja\":\"%s\"},\"address\":{\"ja\":\"武蔵野市境南町2-3-18\"},"
            "\"organizer\":{\"ja\":\"武蔵野市 市民活動推進課\"},"
            "\"categories\":[\"%s\",\"%s\"],\"audience\":[\"everyone\"],"
            "\"fee\":{\"ja\":\"無料\"},\"capacity\":%d,"
            "\"deadline\":\"2026-11-28T17:00:00+09:00\","
            "\"signup_url\":\"https://www.city.musashino.lg.jp/form/ev-%05d\","
            "\"contact\":{\"ja\":\"市民活動推進課 0422-60-1830\"},\"featured\":%s}",
            i ? "," : "", i, TITLES[i % 8], i / 8 + 1, i, day, hour, day, hour + 1, PLACES[i % 5],
            CATS[i % 6], CATS[(i + 1) % 6], 10 + i % 90, i, i % 50 == 0 ? "true" : "false");
    }
    put(&b, "],\"volunteers\":[");
    for (int i = 0; i < N_VOLUNTEERS; i++) {
        put(&b,
            "%s{\"id\":\"vo-%05d\",\"title\":{\"ja\":\"%s\"},"
            "\"organization\":{\"ja\":\"NPO法人 むさしの子ども応援団\"},"
            "\"description\":{\"ja\":\"地域の子どもたちに温かい食事を届ける活動です。"
            "経験は問いません。\"},"
            "\"schedule\":{\"ja\":\"毎週土曜 10:00〜12:00\"},"
            "\"start\":\"2026-12-01\",\"end\":\"2027-03-31\",\"place\":{\"ja\":\"%s\"},"
            "\"wanted\":{\"ja\":\"調理補助 6名程度\"},\"categories\":[\"welfare\"],"
            "\"audience\":[\"everyone\"],\"deadline\":\"2027-01-31\","
            "\"signup_url\":\"https://www.city.musashino.lg.jp/form/vo-%05d\","
            "\"contact\":{\"ja\":\"ボランティアセンター武蔵野 0422-23-0701\"}}",
            i ? "," : "", i, TITLES[(i + 2) % 8], PLACES[i % 5], i);
    }
    put(&b, "]}");
    *len = b.len;
    return b.data;
}

static double now_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(void)
{
    struct feed_limits lim;
    size_t len;
    char *doc;
    double best = 1e9, best_cpu = 1e9;
    long rss_before, rss_after;
    char err[256];
    size_t arena = 0, events = 0, vols = 0, drops = 0;

    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    feed_limits_default(&lim);
    doc = make_feed(&len);
    rss_before = maxrss_kb();
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
        struct feed *f = feed_parse(doc, len, &lim, err, sizeof err);
        double t = now_ms(CLOCK_MONOTONIC) - t0;
        double c = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (!f) {
            fprintf(stderr, "rejected: %s\n", err);
            return 1;
        }
        if (t < best) {
            best = t;
        }
        if (c < best_cpu) {
            best_cpu = c;
        }
        if (getenv("BENCH_FEED_VERBOSE")) {
            printf("run %d: %.1f ms wall, %.1f ms cpu\n", r, t, c);
        }
        events = feed_count(f, FEED_KIND_EVENT);
        vols = feed_count(f, FEED_KIND_VOLUNTEER);
        drops = feed_drop_count(f);
        arena = feed_arena_bytes(f);
        feed_free(f);
    }
    rss_after = maxrss_kb();
    printf("feed: %zu bytes (%.2f MiB), events=%zu volunteers=%zu dropped=%zu\n", len,
           (double)len / 1048576.0, events, vols, drops);
    printf("parse+validate: best of %d runs %.1f ms wall, %.1f ms cpu\n", RUNS, best, best_cpu);
    printf("peak memory added by parsing: %.1f MB (ru_maxrss), model arena %.1f MB\n",
           (double)(rss_after - rss_before) / 1024.0, (double)arena / 1048576.0);
    if (getenv("BENCH_FEED_DUMP")) {
        FILE *out = fopen(getenv("BENCH_FEED_DUMP"), "wb");
        if (out) {
            fwrite(doc, 1, len, out);
            fclose(out);
        }
    }
    free(doc);
    return 0;
}
