/* bench_csv: how long and how much memory reading a large CP932 event list takes.
 *
 * Builds in memory a 10,000-row CSV in the catalogue's layout (イベント一覧): Japanese text
 * with ①, Ⅱ and ～, quoted descriptions over several lines, 3,000 one-off listings and 1,000
 * weekly series of 7 rows; converts it to CP932 with iconv; then reads it with import_csv,
 * prints the tree and validates it with feed_parse, and reports the median of 5 runs and the
 * peak resident memory that added. Targets on the development machine: under 150 ms and
 * under 40 MB. Figures only, no assertions. */
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "feed/feed.h"
#include "feed/import.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

#define N_ROWS 10000
#define N_SINGLE 3000
#define SERIES_LEN 7
#define RUNS 5

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
    "玉川上水の清掃ボランティア", "はじめてのスマートフォン教室Ⅱ",
    "①親子で楽しむ工作教室",      "多文化交流カフェ～やさしい日本語で話そう～",
    "防災講座：在宅避難の備え",   "武蔵野プレイス 夜のジャズコンサート",
    "シニアのための健康体操",     "図書館 読み聞かせ会",
};
static const char *PLACES[] = {
    "武蔵野プレイス　4階　フォーラム",
    "武蔵野市役所 西棟8階 811会議室",
    "境南コミュニティセンター",
    "吉祥寺東コミュニティセンター　和室",
    "井の頭恩賜公園 西園",
};
static const char *CATS[] = {"子育て・教育", "文化・芸術", "健康・福祉、スポーツ", "生活と環境"};

static char *make_csv(size_t *len)
{
    struct buf b;

    buf_init(&b, (size_t)256 << 20);

    put(&b, "NO,名称,概要,説明,イベント種類,URL,開始日,終了日,開始時刻,終了時刻,日時備考,"
            "場所名称,集合場所,住所都道府県,住所市区町村,主催団体,対象者,定員,料金(基本),"
            "申込期限日,申込方法,連絡先名称,連絡先電話番号,備考\n");
    for (int i = 0; i < N_ROWS; i++) {
        int listing = i < N_SINGLE ? i : N_SINGLE + (i - N_SINGLE) / SERIES_LEN;
        int nth = i < N_SINGLE ? 0 : (i - N_SINGLE) % SERIES_LEN;
        int day = 1 + (listing % 20) + nth * 7;
        int month = 1 + (day - 1) / 28, mday = 1 + (day - 1) % 28;
        int hour = 9 + listing % 9;
        put(&b,
            "%010d,%s（第%d回）,,\"市民の皆さんと一緒に活動します。\n"
            "雨天の場合は中止します。当日の朝7時に市ホームページで\"\"お知らせ\"\"します。\n"
            "持ち物：飲み物、タオル、筆記用具。\",%s,http://www.city.musashino.lg.jp/ev/%d.html,"
            "2027-%02d-%02d,2027-%02d-%02d,%d:00,%d:30,%s,%s,,東京都,武蔵野市,"
            "武蔵野市 市民活動推進課,どなたでも,%d,無料,2026-12-20,\"電話または窓口で\n"
            "（令和8年12月20日まで）\",市民活動推進課,0422-60-1830,\n",
            i + 1, TITLES[listing % 8], listing + 1, CATS[listing % 4], listing, month, mday, month,
            mday, hour, hour + 1, listing % 10 == 0 ? "10時～12時" : "", PLACES[listing % 5],
            10 + listing % 90);
    }
    *len = b.len;
    return b.data;
}

static char *to_cp932(const char *s, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("CP932", "UTF-8");
    char *out = malloc(len + 1);
    char *in = (char *)s, *o = out;
    size_t il = len, ol = len;

    if (cd == (iconv_t)-1 || !out || iconv(cd, &in, &il, &o, &ol) == (size_t)-1) {
        fprintf(stderr, "iconv to CP932 failed\n");
        exit(1);
    }
    iconv_close(cd);
    *out_len = (size_t)(o - out);
    return out;
}

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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static size_t n_dropped;

static void count_drop(void *ctx, const char *kind, const char *id, const char *reason)
{
    (void)ctx;
    (void)kind;
    if (n_dropped++ < 5) {
        fprintf(stderr, "dropped %s: %s\n", id, reason);
    }
}

int main(void)
{
    struct import_opts o;
    size_t utf8_len, len, items = 0, drops = 0;
    char *utf8, *csv;
    double times[RUNS], t_import[RUNS];
    long rss_before, rss_after;
    char err[256];

    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    utf8 = make_csv(&utf8_len);
    csv = to_cp932(utf8, utf8_len, &len);
    free(utf8);
    import_opts_default(&o);
    o.drop = count_drop;
    rss_before = maxrss_kb();
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms(), t1;
        cJSON *doc = import_csv(csv, len, &o, err, sizeof err);
        char *printed;
        struct feed *f;

        if (!doc) {
            fprintf(stderr, "rejected: %s\n", err);
            return 1;
        }
        t1 = now_ms();
        printed = cJSON_PrintUnformatted(doc);
        cJSON_Delete(doc);
        f = printed ? feed_parse(printed, strlen(printed), NULL, err, sizeof err) : NULL;
        free(printed);
        if (!f) {
            fprintf(stderr, "validator rejected the tree: %s\n", err);
            return 1;
        }
        times[r] = now_ms() - t0;
        t_import[r] = t1 - t0;
        items = feed_count(f, FEED_KIND_EVENT);
        drops = feed_drop_count(f);
        feed_free(f);
    }
    rss_after = maxrss_kb();
    qsort(times, RUNS, sizeof times[0], cmp_double);
    qsort(t_import, RUNS, sizeof t_import[0], cmp_double);
    printf("csv: %d rows, %zu bytes CP932 (%.2f MiB), items=%zu, rows dropped=%zu, validator "
           "dropped=%zu\n",
           N_ROWS, len, (double)len / 1048576.0, items, n_dropped / RUNS, drops);
    printf("import_csv + print + feed_parse: median of %d runs %.1f ms (import_csv alone %.1f "
           "ms)\n",
           RUNS, times[RUNS / 2], t_import[RUNS / 2]);
    printf("peak memory added: %.1f MB (ru_maxrss)\n", (double)(rss_after - rss_before) / 1024.0);
    free(csv);
    return 0;
}
