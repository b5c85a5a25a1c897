/* bench_jma: how long and how much memory judging the largest safety documents takes.
 *
 * Builds in memory a VPWW54 just under the 1 MiB cap (about 2,000 市町村等 items of three
 * kinds each, the facility's last) and a CAP Atom feed of 64 inline alerts, judges each five
 * times and prints the median and the peak resident memory the first run added. Targets on
 * the development machine: under 50 ms and under 30 MB for the report. Figures only. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "feed/cap.h"
#include "feed/jma.h"
#include "util/log.h"
#include "util/timeutil.h"

#define RUNS 5
#define NOW INT64_C(1783042200) /* 2026-07-03T10:30:00+09:00 */

struct sbuf {
    char *p;
    size_t len, cap;
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 1;
        b->p = realloc(b->p, b->cap);
        if (!b->p) {
            abort();
        }
    }
}

static double ms_since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
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

static void big_warning(struct sbuf *b)
{
    put(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Report xmlns=\"http://xml.kishou.go.jp/"
           "jmaxml1/\"><Control><Title>気象警報・注意報（Ｈ２７）</Title><Status>通常</Status>"
           "<PublishingOffice>気象庁</PublishingOffice></Control><Head xmlns=\"http://"
           "xml.kishou.go.jp/jmaxml1/informationBasis1/\"><ReportDateTime>2026-07-03T10:00:00+"
           "09:00</ReportDateTime><InfoType>発表</InfoType><Headline><Text>警戒してください。"
           "</Text></Headline></Head><Body xmlns=\"http://xml.kishou.go.jp/jmaxml1/body/"
           "meteorology1/\"><Warning type=\"気象警報・注意報（市町村等）\">\n");
    for (int i = 0; b->len < 1000 * 1024; i++) {
        put(b,
            "<Item><Kind><Name>大雨警報</Name><Code>03</Code><Status>継続</Status></Kind>"
            "<Kind><Name>洪水注意報</Name><Code>18</Code><Status>発表</Status></Kind>"
            "<Kind><Name>雷注意報</Name><Code>14</Code><Status>継続</Status></Kind>"
            "<Area><Name>市町村%d</Name><Code>%07d</Code></Area><ChangeStatus>警報・注意報種別に"
            "変化有</ChangeStatus><FullStatus>全体</FullStatus></Item>\n",
            i, 100000 + i);
    }
    put(b, "<Item><Kind><Name>大雨特別警報</Name><Code>33</Code><Status>発表</Status></Kind>"
           "<Area><Name>武蔵野市</Name><Code>1320300</Code></Area></Item></Warning></Body>"
           "</Report>\n");
}

static void cap_feed(struct sbuf *b)
{
    put(b, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>CAP</title>");
    for (int i = 0; i < CAP_MAX_ALERTS; i++) {
        put(b,
            "<entry><id>e%d</id><content type=\"application/cap+xml\"><alert xmlns=\"urn:oasis:"
            "names:tc:emergency:cap:1.2\"><identifier>A-%d</identifier><sender>gw.example.jp"
            "</sender><sent>2026-07-03T10:00:00+09:00</sent><status>Actual</status><msgType>"
            "Alert</msgType><scope>Public</scope><info><language>ja-JP</language><event>避難指示"
            "</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed"
            "</certainty><expires>2026-07-03T22:00:00+09:00</expires><headline>避難指示 %d"
            "</headline><description>土砂災害の危険が高まっています。</description><area>"
            "<areaDesc>武蔵野市</areaDesc><geocode><valueName>JIS</valueName><value>13203"
            "</value></geocode></area></info></alert></content></entry>",
            i, i, i);
    }
    put(b, "</feed>");
}

static void bench(const char *name, const struct sbuf *b, bool jma)
{
    double t[RUNS];
    long before = maxrss_kb(), added = 0;
    struct jma_config jc;
    struct cap_config cc;
    size_t shown = 0;
    jma_config_default(&jc);
    cap_config_default(&cc);
    for (int r = 0; r < RUNS; r++) {
        struct safety_update u;
        struct timespec a;
        safety_update_init(&u);
        clock_gettime(CLOCK_MONOTONIC, &a);
        int rc =
            jma ? jma_judge(b->p, b->len, &jc, NOW, &u) : cap_judge(b->p, b->len, &cc, NOW, &u);
        t[r] = ms_since(&a);
        if (r == 0) {
            added = maxrss_kb() - before;
        }
        shown = rc == 0 ? ann_list_count(u.show) : 0;
        safety_update_free(&u);
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    printf("%-26s %8zu bytes  median %7.2f ms  peak memory added %6ld KB  shown %zu\n", name,
           b->len, t[RUNS / 2], added, shown);
}

int main(void)
{
    struct sbuf w = {NULL, 0, 0}, c = {NULL, 0, 0};
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    big_warning(&w);
    cap_feed(&c);
    bench("VPWW54 nationwide-size", &w, true);
    bench("CAP feed of 64 alerts", &c, false);
    free(w.p);
    free(c.p);
    return 0;
}
