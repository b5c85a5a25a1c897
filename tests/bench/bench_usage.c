/* bench_usage: how large a year of usage counts grows on disk, and what a flush and a
 * fiscal-year query cost.
 *
 * Two years of a fiscal year (365 days) are written through sys/usage.h with a moved clock:
 * "busy", every one of 500 listings opened and its QR code shown every day, with every
 * hourly counter non-zero from 9:00 to 22:00 (the bound the issue names: a year of hourly
 * rows for 500 listings); and "typical", 120 sessions a day opening 40 different listings.
 * Titles are 20 Japanese characters (60 bytes). Prints the bytes on disk, the median time of
 * a day's flush and of a whole-year usage_query, and the peak resident memory added. Figures
 * only, no assertions. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "sys/usage.h"
#include "testutil.h"
#include "util/log.h"
#include "util/timeutil.h"

#define TITLE "市民活動フェスティバル武蔵野プレイス会場" /* 20 characters, 60 bytes */

static double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long long dir_bytes(const char *dir)
{
    long long total = 0;
    char path[1400];
    struct stat st;
    DIR *d = opendir(dir);

    if (!d) {
        return -1;
    }
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        /* the ".prev" copies double what a year holds; count them apart */
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.' && !strstr(e->d_name, ".prev") && stat(path, &st) == 0) {
            total += st.st_size;
        }
    }
    closedir(d);
    return total;
}

static void run(const char *label, int listings_a_day, int sessions_a_day, bool every_hour)
{
    char *dir = testutil_tempdir();
    char udir[1024], id[32];
    int64_t now = timeutil_make_local(2026, 4, 1, 9, 0);
    struct usage_options o = {.dir = udir, .retain_fiscal_years = 3, .clock = kclock_fixed(&now)};
    double flush_ms = 0, t;
    struct usage_report r;

    snprintf(udir, sizeof udir, "%s/usage", dir);
    struct usage *u = usage_create(&o);
    for (int day = 0; day < 365 && u; day++) {
        int64_t start = timeutil_make_local(2026, 4, 1, 0, 0) + (int64_t)day * 86400;
        for (int i = 0; i < sessions_a_day; i++) {
            now = start + 9 * 3600 + (int64_t)i * (13 * 3600) / sessions_a_day;
            usage_count(u, USAGE_SESSIONS, 1);
            usage_count(u, USAGE_SCREEN_HOME, 1);
        }
        for (int i = 0; i < listings_a_day; i++) {
            now = start + 9 * 3600 + (int64_t)i * (13 * 3600) / listings_a_day;
            snprintf(id, sizeof id, "ev-%d", (day * 7 + i) % 500);
            usage_listing_opened(u, id, TITLE, "sports");
            usage_listing_qr(u, id, 2500);
            if (every_hour) {
                for (int c = 0; c < USAGE_NCOUNTERS; c++) {
                    usage_count(u, (enum usage_counter)c, 1);
                }
                usage_count_tag(u, USAGE_TAG_FILTER, "category:sports");
            }
        }
        now = start + 23 * 3600;
        t = ms_now();
        usage_flush(u, true);
        flush_ms += ms_now() - t;
    }
    int64_t first, last;
    usage_fiscal_year(2026, &first, &last);
    double q[5];
    for (int k = 0; k < 5; k++) {
        t = ms_now();
        if (usage_query(u, first, last, &r) == 0) {
            usage_report_free(&r);
        }
        q[k] = ms_now() - t;
    }
    for (int a = 0; a < 5; a++) {
        for (int b = a + 1; b < 5; b++) {
            if (q[b] < q[a]) {
                double x = q[a];
                q[a] = q[b];
                q[b] = x;
            }
        }
    }
    printf("%-8s %4d listings/day %4d sessions/day: %8.2f MB a year on disk, flush %.2f ms/day "
           "(mean), fiscal-year query %.1f ms (median)\n",
           label, listings_a_day, sessions_a_day, (double)dir_bytes(udir) / 1e6, flush_ms / 365,
           q[2]);
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

int main(void)
{
    struct rusage before, after;

    timeutil_set_zone("Asia/Tokyo");
    log_set_level(LOG_LEVEL_WARN);
    getrusage(RUSAGE_SELF, &before);
    run("typical", 40, 120, false);
    run("busy", 500, 500, true);
    getrusage(RUSAGE_SELF, &after);
    printf("peak resident memory added: %ld KB\n", after.ru_maxrss - before.ru_maxrss);
    return 0;
}
