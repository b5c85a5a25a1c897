/* bench_ical: how long and how much memory reading a large calendar takes.
 *
 * Builds in memory a calendar of 2,000 weekly VEVENTs in Asia/Tokyo (with its VTIMEZONE),
 * a tenth of them with two EXDATEs and a moved instance (a RECURRENCE-ID override), reads
 * it with import_ical, prints the tree and validates it with feed_parse, five times, and
 * prints the median and the peak resident memory the first run added. Targets on the
 * development machine: under 150 ms and under 40 MB. Figures only, no assertions. */
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

#define N_EVENTS 2000
#define RUNS 5
#define NOW 1799539200 /* 2027-01-10T09:00:00+09:00 */

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
    "はじめてのスマートフォン教室",
    "シニアのための健康体操",
    "図書館 読み聞かせ会",
    "多文化交流カフェ〜やさしい日本語で話そう〜",
    "書道教室",
};

static const char *PLACES[] = {
    "武蔵野プレイス 4階 フォーラム",
    "境南コミュニティセンター",
    "吉祥寺東コミュニティセンター 和室",
};

static char *make_calendar(size_t *len)
{
    struct buf b;

    buf_init(&b, (size_t)256 << 20);

    put(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kiosk bench//EN\r\n"
            "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0900\r\n"
            "TZOFFSETTO:+0900\r\nTZNAME:JST\r\nDTSTART:19700101T000000\r\nEND:STANDARD\r\n"
            "END:VTIMEZONE\r\n");
    for (int i = 0; i < N_EVENTS; i++) {
        /* series that began up to a year ago, weekly, some with an end */
        int month = 1 + i % 12, day = 1 + i % 28, hour = 9 + i % 10;
        int year = month == 1 ? 2027 : 2026;
        put(&b,
            "BEGIN:VEVENT\r\nUID:series-%05d@facility.example.jp\r\n"
            "DTSTAMP:20261201T000000Z\r\nSUMMARY:%s（第%d期）\r\nLOCATION:%s\r\n"
            "DESCRIPTION:どなたでも参加できます。\\n持ち物：飲み物、タオル、筆記用具。"
            "\\n雨天の場合は中止します\\, 当日朝にお知らせします。\r\n"
            "DTSTART;TZID=Asia/Tokyo:%04d%02d%02dT%02d0000\r\n"
            "DTEND;TZID=Asia/Tokyo:%04d%02d%02dT%02d3000\r\n"
            "RRULE:FREQ=WEEKLY%s\r\nCATEGORIES:講座,%s\r\n"
            "URL:http://www.city.example.jp/ev/%05d\r\n",
            i, TITLES[i % 5], i / 5 + 1, PLACES[i % 3], year, month, day, hour, year, month, day,
            hour, i % 3 == 0 ? ";UNTIL=20271231T000000Z" : "", i % 2 ? "子ども" : "シニア", i);
        if (i % 10 == 0) {
            put(&b, "EXDATE;TZID=Asia/Tokyo:20270201T%02d0000,20270301T%02d0000\r\n", hour, hour);
        }
        put(&b, "END:VEVENT\r\n");
        if (i % 10 == 0) {
            put(&b,
                "BEGIN:VEVENT\r\nUID:series-%05d@facility.example.jp\r\n"
                "DTSTAMP:20261201T000000Z\r\nRECURRENCE-ID;TZID=Asia/Tokyo:20270215T%02d0000\r\n"
                "SUMMARY:%s（時間変更）\r\n"
                "DTSTART;TZID=Asia/Tokyo:20270215T%02d0000\r\n"
                "DTEND;TZID=Asia/Tokyo:20270215T%02d3000\r\nEND:VEVENT\r\n",
                i, hour, TITLES[i % 5], hour + 1, hour + 1);
        }
    }
    put(&b, "END:VCALENDAR\r\n");
    *len = b.len;
    return b.data;
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

int main(void)
{
    struct import_opts o;
    struct feed_limits lim;
    size_t len, events = 0, drops = 0, dates = 0;
    char *cal;
    double t_all[RUNS], t_import[RUNS];
    long rss_before, rss_after = 0;
    char err[256];

    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    import_opts_default(&o);
    o.now = NOW;
    feed_limits_default(&lim);
    cal = make_calendar(&len);
    rss_before = maxrss_kb();
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms(), t1;
        cJSON *doc = import_ical(cal, len, &o, err, sizeof err);
        char *text;
        struct feed *f;

        if (!doc) {
            fprintf(stderr, "rejected: %s\n", err);
            return 1;
        }
        t1 = now_ms();
        dates = 0;
        {
            const cJSON *it;
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "events"))
            {
                int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(it, "dates"));
                dates += n ? (size_t)n : 1;
            }
        }
        text = cJSON_PrintUnformatted(doc);
        cJSON_Delete(doc);
        f = text ? feed_parse(text, strlen(text), &lim, err, sizeof err) : NULL;
        free(text);
        if (!f) {
            fprintf(stderr, "feed rejected: %s\n", err);
            return 1;
        }
        t_all[r] = now_ms() - t0;
        t_import[r] = t1 - t0;
        events = feed_count(f, FEED_KIND_EVENT);
        drops = feed_drop_count(f);
        feed_free(f);
        if (r == 0) {
            rss_after = maxrss_kb();
        }
    }
    qsort(t_all, RUNS, sizeof t_all[0], cmp_double);
    qsort(t_import, RUNS, sizeof t_import[0], cmp_double);
    printf("calendar: %zu bytes (%.2f MiB), %d VEVENTs; kept events=%zu dates=%zu dropped=%zu\n",
           len, (double)len / 1048576.0, N_EVENTS + N_EVENTS / 10, events, dates, drops);
    printf("import_ical: median of %d runs %.1f ms\n", RUNS, t_import[RUNS / 2]);
    printf("import_ical + print + feed_parse: median of %d runs %.1f ms\n", RUNS, t_all[RUNS / 2]);
    printf("peak memory added: %.1f MB (ru_maxrss)\n", (double)(rss_after - rss_before) / 1024.0);
    if (getenv("BENCH_ICAL_DUMP")) {
        FILE *out = fopen(getenv("BENCH_ICAL_DUMP"), "wb");
        if (out) {
            fwrite(cal, 1, len, out);
            fclose(out);
        }
    }
    free(cal);
    return 0;
}
