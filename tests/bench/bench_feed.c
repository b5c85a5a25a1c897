/* bench_feed: how long and how much memory parsing a large feed takes.
 *
 * Builds in memory a feed of 10,000 items (5,000 events and 5,000 volunteer listings, the
 * default per-kind cap) with realistic Japanese text, plus the civic-activity kinds (1,000
 * grants, 500 desks with weekly hours, 500 rooms with three weeks of slots, 2,000 groups),
 * parses and validates it several
 * times, and prints the best time and the peak resident memory the parse added. Targets on
 * the development machine: under 100 ms and under 40 MB. Figures only, no assertions. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "feed/feed.h"
#include "feed/feed_internal.h"
#include "feed/kinds.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

#define ROOM_DAYS 14
#define RUNS 7

/* How many entries of each kind a document holds. */
struct mix {
    const char *name;
    int events, volunteers, grants, desks, rooms, groups;
};

/* The classic document as before the civic-activity kinds, for comparison over time, and
 * the same 10,000 items spread over every kind; both stay under the 8 MiB default limit. */
static const struct mix MIXES[] = {
    {"events and volunteers", 5000, 5000, 0, 0, 0, 0},
    {"every kind", 4000, 3500, 800, 200, 200, 1300},
};

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

/* The grants, desks, rooms and groups arrays (feed/kinds.h), each entry as full as the
 * sample feed's. */
static void make_kinds(struct buf *b, const struct mix *mx)
{
    put(b, ",\"grants\":[");
    for (int i = 0; i < mx->grants; i++) {
        put(b,
            "%s{\"id\":\"gr-%05d\",\"title\":{\"ja\":\"市民活動チャレンジ補助金（第%d期）\"},"
            "\"provider\":{\"ja\":\"武蔵野市 市民活動推進課\"},"
            "\"amount\":{\"ja\":\"上限10万円（対象経費の3分の2まで）\"},"
            "\"eligibility\":{\"ja\":\"市内で活動する3人以上の市民団体。立ち上げから3年以内の"
            "団体を優先します。\"},\"opens\":\"2026-11-01\",\"deadline\":\"2026-12-%02d\","
            "\"url\":\"https://musashino-place.example.jp/grants/%05d\","
            "\"contact\":{\"ja\":\"市民活動推進課 0422-00-3900\"}}",
            i ? "," : "", i, i + 1, 1 + i % 28, i);
    }
    put(b, "],\"desks\":[");
    for (int i = 0; i < mx->desks; i++) {
        put(b,
            "%s{\"id\":\"dk-%05d\",\"name\":{\"ja\":\"市民活動相談 %d\"},"
            "\"helps\":{\"ja\":\"団体の立ち上げ、会則づくり、会計、広報、助成金の申請\"},"
            "\"place\":{\"ja\":\"%s\"},\"phone\":\"0422-00-%04d\","
            "\"booking_required\":%s,\"hours\":["
            "{\"days\":[\"mon\",\"tue\",\"thu\",\"fri\"],\"open\":\"09:30\",\"close\":\"17:00\"},"
            "{\"days\":[\"sat\"],\"open\":\"22:00\",\"close\":\"02:00\"}],"
            "\"exceptions\":[{\"date\":\"2026-12-28\",\"until\":\"2027-01-04\","
            "\"closed\":true,\"note\":{\"ja\":\"年末年始休館\"}}]}",
            i ? "," : "", i, i, PLACES[i % 5], i % 10000, i % 2 ? "true" : "false");
    }
    put(b, "],\"rooms\":[");
    for (int i = 0; i < mx->rooms; i++) {
        put(b,
            "%s{\"id\":\"rm-%05d\",\"facility\":{\"ja\":\"武蔵野プレイス\"},"
            "\"name\":{\"ja\":\"会議室 %d\"},\"capacity\":%d,"
            "\"equipment\":{\"ja\":\"ホワイトボード、プロジェクター\"},"
            "\"fee\":{\"ja\":\"市民活動登録団体は無料\"},"
            "\"booking_url\":\"https://musashino-place.example.jp/rooms/%05d\",\"slots\":[",
            i ? "," : "", i, 400 + i, 6 + i % 30, i);
        for (int d = 0; d < ROOM_DAYS; d++) {
            int day = 26 + d, mon = day > 30 ? 12 : 11;
            day = day > 30 ? day - 30 : day;
            put(b,
                "%s{\"start\":\"2026-%02d-%02dT09:00:00+09:00\",\"end\":\"2026-%02d-%02dT12:00:00+"
                "09:00\","
                "\"state\":\"free\"},{\"start\":\"2026-%02d-%02dT13:00:00+09:00\","
                "\"end\":\"2026-%02d-%02dT17:00:00+09:00\",\"state\":\"booked\"}",
                d ? "," : "", mon, day, mon, day, mon, day, mon, day);
        }
        put(b, "]}");
    }
    put(b, "],\"groups\":[");
    for (int i = 0; i < mx->groups; i++) {
        put(b,
            "%s{\"id\":\"gp-%05d\",\"name\":{\"ja\":\"玉川上水の自然を楽しむ会 %d\"},"
            "\"summary\":{\"ja\":\"緑道の清掃と、季節の草花や野鳥の観察をしています。\"},"
            "\"categories\":[\"%s\"],\"activity\":{\"ja\":\"毎月第1日曜 9:00～11:00\"},"
            "\"place\":{\"ja\":\"%s\"},\"recruiting\":%s,"
            "\"contact\":{\"ja\":\"事務局 0422-00-4501\"},"
            "\"url\":\"https://musashino-place.example.jp/groups/%05d\"}",
            i ? "," : "", i, i, CATS[i % 6], PLACES[i % 5], i % 3 ? "true" : "false", i);
    }
    put(b, "]");
}

static char *make_feed(const struct mix *mx, size_t *len)
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
    for (int i = 0; i < mx->events; i++) {
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
    for (int i = 0; i < mx->volunteers; i++) {
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
    put(&b, "]");
    make_kinds(&b, mx);
    put(&b, "}");
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

/* Parses one document RUNS times and prints its figures. Run in a child of its own, so
 * ru_maxrss measures this document alone. */
static int bench_one(const struct mix *mx, bool dump)
{
    struct feed_limits lim;
    size_t len;
    char *doc;
    double best = 1e9, best_cpu = 1e9;
    long rss_before, rss_after;
    char err[256];
    size_t arena = 0, events = 0, vols = 0, drops = 0;
    size_t kinds[FEED_EXTRA_COUNT] = {0};

    feed_limits_default(&lim);
    doc = make_feed(mx, &len);
    rss_before = maxrss_kb();
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
        struct feed *f = feed_parse(doc, len, &lim, err, sizeof err);
        double t = now_ms(CLOCK_MONOTONIC) - t0;
        double c = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        if (!f) {
            fprintf(stderr, "rejected: %s\n", err);
            free(doc);
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
        for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
            kinds[k] = feed_extra_count(f, (enum feed_extra_kind)k);
        }
        arena = feed_arena_bytes(f);
        feed_free(f);
    }
    rss_after = maxrss_kb();
    printf("%s: %zu bytes (%.2f MiB), events=%zu volunteers=%zu grants=%zu desks=%zu "
           "rooms=%zu (%d slots each) groups=%zu dropped=%zu\n",
           mx->name, len, (double)len / 1048576.0, events, vols, kinds[FEED_EXTRA_GRANT],
           kinds[FEED_EXTRA_DESK], kinds[FEED_EXTRA_ROOM], mx->rooms ? 2 * ROOM_DAYS : 0,
           kinds[FEED_EXTRA_GROUP], drops);
    printf("  parse+validate: best of %d runs %.1f ms wall, %.1f ms cpu\n", RUNS, best, best_cpu);
    printf("  peak memory added by parsing: %.1f MB (ru_maxrss), model arena %.1f MB\n",
           (double)(rss_after - rss_before) / 1024.0, (double)arena / 1048576.0);
    if (dump) {
        FILE *out = fopen(getenv("BENCH_FEED_DUMP"), "wb");
        if (out) {
            fwrite(doc, 1, len, out);
            fclose(out);
        }
    }
    free(doc);
    return 0;
}

int main(void)
{
    size_t n = sizeof MIXES / sizeof MIXES[0];
    int rc = 0;

    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        int status = 0;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            /* BENCH_FEED_DUMP writes the last document, the one with every kind */
            int r = bench_one(&MIXES[i], i + 1 == n && getenv("BENCH_FEED_DUMP"));
            fflush(stdout);
            _exit(r);
        }
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            rc = 1;
        }
    }
    return rc;
}
