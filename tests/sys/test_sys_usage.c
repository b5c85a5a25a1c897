/* test_sys_usage: the hourly usage counts with a moved clock in Tokyo time, in temp dirs,
 * including a writer killed between (and during) its flushes. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys/usage.h"
#include "testutil.h"
#include "util/timeutil.h"

static int64_t at(int y, int mo, int d, int h, int mi)
{
    return timeutil_make_local(y, mo, d, h, mi);
}

static int64_t day_of(int y, int m, int d)
{
    return timeutil_days_from_civil(y, m, d);
}

static struct usage *open_usage(const char *dir, int64_t *now)
{
    struct usage_options o = {.dir = dir, .retain_fiscal_years = 3, .clock = kclock_fixed(now)};
    return usage_create(&o);
}

static bool exists(const char *dir, const char *name)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void counts_land_in_the_local_hour(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2026, 12, 3, 13, 20);
    struct usage *u = open_usage(dir, &now);
    struct usage_report r;

    CHECK(u);
    usage_count(u, USAGE_SESSIONS, 1);
    usage_count(u, USAGE_SCREEN_LIST, 2);
    now = at(2026, 12, 3, 14, 0);
    usage_count(u, USAGE_SESSIONS, 1);
    CHECK(usage_query(u, day_of(2026, 12, 3), day_of(2026, 12, 3), &r) == 0);
    CHECK(r.ndays == 1);
    CHECK(r.days[0].hours[13][USAGE_SESSIONS] == 1);
    CHECK(r.days[0].hours[13][USAGE_SCREEN_LIST] == 2);
    CHECK(r.days[0].hours[14][USAGE_SESSIONS] == 1);
    CHECK(r.days[0].total[USAGE_SESSIONS] == 2);
    CHECK(r.total[USAGE_SESSIONS] == 2);
    usage_report_free(&r);
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

static void a_flush_waits_five_minutes_unless_forced(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2026, 12, 3, 10, 0);
    struct usage *u = open_usage(dir, &now);

    CHECK(u);
    usage_count(u, USAGE_SESSIONS, 1);
    CHECK(usage_flush(u, false) == 0);
    CHECK(!exists(dir, "2026-12-03.usage"));
    now += USAGE_FLUSH_INTERVAL_S - 1;
    CHECK(usage_flush(u, false) == 0);
    CHECK(!exists(dir, "2026-12-03.usage"));
    now += 1;
    CHECK(usage_flush(u, false) == 0);
    CHECK(exists(dir, "2026-12-03.usage"));
    usage_count(u, USAGE_SESSIONS, 1);
    CHECK(usage_flush(u, true) == 0);
    CHECK(exists(dir, "2026-12-03.usage.prev"));
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

static void a_restart_continues_the_days_counts(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2026, 12, 3, 10, 0);
    struct usage *u = open_usage(dir, &now);
    struct usage_report r;

    usage_count(u, USAGE_SESSIONS, 2);
    usage_listing_opened(u, "ev-1", "体操教室", "スポーツ");
    usage_count_tag(u, USAGE_TAG_DISPLAY, "large_text");
    usage_free(u); /* flushes */
    now = at(2026, 12, 3, 10, 30);
    u = open_usage(dir, &now);
    CHECK(u);
    usage_count(u, USAGE_SESSIONS, 1);
    usage_listing_opened(u, "ev-1", "体操教室", "スポーツ");
    CHECK(usage_query(u, day_of(2026, 12, 3), day_of(2026, 12, 3), &r) == 0);
    CHECK(r.total[USAGE_SESSIONS] == 3);
    CHECK(r.nlistings == 1);
    CHECK(r.nlistings == 1 && r.listings[0].opens == 2);
    CHECK(r.nlistings == 1 && strcmp(r.listings[0].title, "体操教室") == 0);
    CHECK(r.ntags == 2 && r.tags[0].tag == USAGE_TAG_CATEGORY && r.tags[0].count == 2);
    CHECK(r.ntags == 2 && r.tags[1].tag == USAGE_TAG_DISPLAY && r.tags[1].count == 1 &&
          strcmp(r.tags[1].name, "large_text") == 0);
    usage_report_free(&r);
    /* the lifetime counters are this process's only */
    int64_t life[USAGE_NCOUNTERS];
    usage_lifetime(u, life);
    CHECK(life[USAGE_SESSIONS] == 1);
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

static void a_damaged_day_file_is_read_from_its_previous_copy(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2026, 12, 3, 10, 0);
    struct usage *u = open_usage(dir, &now);
    struct usage_report r;
    char path[512];

    usage_count(u, USAGE_SESSIONS, 5);
    CHECK(usage_flush(u, true) == 0);
    usage_count(u, USAGE_SESSIONS, 1);
    CHECK(usage_flush(u, true) == 0);
    usage_free(u);
    /* a torn write the rename should have prevented: half the file, no closing line */
    snprintf(path, sizeof path, "%s/2026-12-03.usage", dir);
    CHECK(truncate(path, 40) == 0);
    u = open_usage(dir, &now);
    CHECK(usage_query(u, day_of(2026, 12, 3), day_of(2026, 12, 3), &r) == 0);
    CHECK(r.total[USAGE_SESSIONS] == 5);
    usage_report_free(&r);
    usage_free(u);
    /* a changed byte fails the checksum the same way */
    const char *changed = "kiosk-usage 1 2026-12-03\nc\t10\tsessions\t9\nend\t1\t0\n";
    CHECK(testutil_write_file(path, changed, strlen(changed)) == 0);
    u = open_usage(dir, &now);
    CHECK(usage_query(u, day_of(2026, 12, 3), day_of(2026, 12, 3), &r) == 0);
    CHECK(r.total[USAGE_SESSIONS] == 5);
    usage_report_free(&r);
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

static void listings_sum_across_days_and_keep_the_latest_title(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2026, 12, 1, 9, 0);
    struct usage *u = open_usage(dir, &now);
    struct usage_report r;

    usage_listing_opened(u, "ev-1", "旧題", "講座");
    usage_listing_qr(u, "ev-1", 2500);
    usage_listing_opened(u, "ev-2", "将棋", "文化");
    now = at(2026, 12, 2, 9, 0);
    usage_listing_opened(u, "ev-1", "新題", "講座");
    usage_listing_qr(u, "ev-1", 1500);
    usage_listing_opened(u, "ev-1", "新題", "講座");
    now = at(2026, 12, 9, 9, 0); /* later days leave memory for their files */
    usage_count(u, USAGE_SESSIONS, 1);
    CHECK(usage_flush(u, true) == 0);
    CHECK(usage_query(u, day_of(2026, 12, 1), day_of(2026, 12, 2), &r) == 0);
    CHECK(r.nlistings == 2);
    if (r.nlistings == 2) {
        CHECK(strcmp(r.listings[0].id, "ev-1") == 0);
        CHECK(r.listings[0].opens == 3);
        CHECK(r.listings[0].qr_shown == 2);
        CHECK(r.listings[0].qr_ms == 4000);
        CHECK(strcmp(r.listings[0].title, "新題") == 0);
        CHECK(strcmp(r.listings[1].id, "ev-2") == 0);
    }
    CHECK(r.total[USAGE_LISTING_OPENS] == 4);
    CHECK(r.total[USAGE_QR_MS] == 4000);
    CHECK(r.total[USAGE_SESSIONS] == 0);
    usage_report_free(&r);
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

static void tabs_and_line_breaks_in_titles_cannot_break_a_row(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2026, 12, 3, 9, 0);
    struct usage *u = open_usage(dir, &now);
    struct usage_report r;

    usage_listing_opened(u, "ev\t1", "a\nb\tc\r", "x\ny");
    usage_free(u);
    u = open_usage(dir, &now);
    CHECK(usage_query(u, day_of(2026, 12, 3), day_of(2026, 12, 3), &r) == 0);
    CHECK(r.nlistings == 1 && strcmp(r.listings[0].id, "ev 1") == 0);
    CHECK(r.nlistings == 1 && strcmp(r.listings[0].title, "a b c ") == 0);
    usage_report_free(&r);
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

static void a_day_holds_at_most_the_bounded_rows(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2026, 12, 3, 9, 0);
    struct usage *u = open_usage(dir, &now);
    struct usage_report r;
    char id[32];

    for (int i = 0; i < USAGE_MAX_LISTINGS + 100; i++) {
        snprintf(id, sizeof id, "ev-%d", i);
        usage_listing_opened(u, id, "t", "c");
    }
    for (int i = 0; i < USAGE_MAX_TAGS + 10; i++) {
        snprintf(id, sizeof id, "f-%d", i);
        usage_count_tag(u, USAGE_TAG_FILTER, id);
    }
    usage_free(u);
    u = open_usage(dir, &now);
    CHECK(usage_query(u, day_of(2026, 12, 3), day_of(2026, 12, 3), &r) == 0);
    CHECK(r.nlistings == USAGE_MAX_LISTINGS);
    CHECK(r.nlistings > 0 && strcmp(r.listings[0].id, "(other)") == 0);
    CHECK(r.nlistings > 0 && r.listings[0].opens == 100 + 1);
    CHECK(r.total[USAGE_LISTING_OPENS] == USAGE_MAX_LISTINGS + 100);
    CHECK(r.ntags <= USAGE_MAX_TAGS);
    usage_report_free(&r);
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

static void the_fiscal_year_runs_from_april_to_march(void)
{
    int64_t a, b, d;

    usage_fiscal_year(2026, &a, &b);
    CHECK(a == day_of(2026, 4, 1));
    CHECK(b == day_of(2027, 3, 31));
    CHECK(usage_fiscal_year_of(day_of(2027, 3, 31)) == 2026);
    CHECK(usage_fiscal_year_of(day_of(2027, 4, 1)) == 2027);
    CHECK(usage_fiscal_year_of(day_of(2026, 1, 15)) == 2025);
    CHECK(usage_parse_day("2026-02-28", &d) == 0 && d == day_of(2026, 2, 28));
    CHECK(usage_parse_day("2026-02-29", &d) == -EINVAL);
    CHECK(usage_parse_day("2026-2-28", &d) == -EINVAL);
    CHECK(usage_parse_day("2026-02-28x", &d) == -EINVAL);
}

static void days_before_three_fiscal_years_are_removed(void)
{
    char *dir = testutil_tempdir();
    int64_t now = at(2024, 3, 31, 12, 0);
    struct usage *u = open_usage(dir, &now);

    usage_count(u, USAGE_SESSIONS, 1);
    now = at(2024, 4, 1, 12, 0);
    usage_count(u, USAGE_SESSIONS, 1);
    usage_free(u);
    CHECK(exists(dir, "2024-03-31.usage"));
    CHECK(exists(dir, "2024-04-01.usage"));
    /* FY2026 with 3 years kept: FY2024 (from 2024-04-01) on stays */
    now = at(2026, 12, 3, 9, 0);
    u = open_usage(dir, &now);
    CHECK(!exists(dir, "2024-03-31.usage"));
    CHECK(exists(dir, "2024-04-01.usage"));
    /* a kiosk running across April 1 applies it on its first flush of the new day */
    now = at(2027, 4, 1, 0, 10);
    usage_count(u, USAGE_SESSIONS, 1);
    CHECK(usage_flush(u, true) == 0);
    CHECK(!exists(dir, "2024-04-01.usage"));
    CHECK(exists(dir, "2027-04-01.usage"));
    usage_free(u);
    testutil_rmtree(dir);
    free(dir);
}

/* The writer counts one visit per simulated hour (a session and a listing opened, always
 * together) and flushes after each, an hour of clock apart, until it is killed. */
static void run_writer(const char *dir, int64_t start)
{
    int64_t now = start;
    struct usage *u = open_usage(dir, &now);

    if (!u) {
        _exit(2);
    }
    for (;;) {
        usage_count(u, USAGE_SESSIONS, 1);
        usage_listing_opened(u, "ev-1", "体操", "スポーツ");
        if (usage_flush(u, true) != 0) {
            _exit(3);
        }
        now += 3600;
        if (now > start + 50 * 86400) {
            pause(); /* a fast disk: wait for the kill within the checked range */
        }
    }
}

/* What a killed writer left: every day before the last is whole (24 visits, one an hour),
 * the last a prefix of its hours, and sessions match listing opens in every hour. */
static void check_after_kill(const char *dir, int64_t start, int *days_seen)
{
    int64_t now = start;
    struct usage *u = open_usage(dir, &now);
    struct usage_report r;
    int64_t first = day_of(2026, 12, 1);

    CHECK(u);
    CHECK(usage_query(u, first, first + 60, &r) == 0);
    bool ended = false;
    int days = 0;
    for (size_t i = 0; i < r.ndays; i++) {
        int hours = 0;
        for (int h = 0; h < 24; h++) {
            int64_t s = r.days[i].hours[h][USAGE_SESSIONS];
            CHECK(s == r.days[i].hours[h][USAGE_LISTING_OPENS]);
            CHECK(s == 0 || s == 1);
            if (s == 1) {
                CHECK(hours == h); /* no hole before an hour that was kept */
                hours++;
            }
        }
        if (hours > 0) {
            CHECK(!ended);
            days++;
        }
        if (hours < 24) {
            ended = true;
        }
    }
    *days_seen = days;
    usage_report_free(&r);
    usage_free(u);
}

static void a_writer_killed_at_any_moment_leaves_every_kept_hour_whole(void)
{
    int64_t start = at(2026, 12, 1, 0, 30);
    struct timespec seed;

    clock_gettime(CLOCK_MONOTONIC, &seed);
    srand((unsigned)seed.tv_nsec);
    for (int round = 0; round < 6; round++) {
        char *dir = testutil_tempdir();
        pid_t pid = fork();
        if (pid == 0) {
            run_writer(dir, start);
        }
        CHECK(pid > 0);
        /* long enough for a few days of flushes, at a different moment each round */
        struct timespec ts = {0, (long)(5 + rand() % 60) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int st = 0;
        waitpid(pid, &st, 0);
        CHECK(WIFSIGNALED(st));
        int days = 0;
        check_after_kill(dir, start, &days);
        printf("round %d: killed after %d day(s) of hours\n", round, days);
        testutil_rmtree(dir);
        free(dir);
    }
}

int main(void)
{
    timeutil_set_zone("Asia/Tokyo");
    RUN(counts_land_in_the_local_hour);
    RUN(a_flush_waits_five_minutes_unless_forced);
    RUN(a_restart_continues_the_days_counts);
    RUN(a_damaged_day_file_is_read_from_its_previous_copy);
    RUN(listings_sum_across_days_and_keep_the_latest_title);
    RUN(tabs_and_line_breaks_in_titles_cannot_break_a_row);
    RUN(a_day_holds_at_most_the_bounded_rows);
    RUN(the_fiscal_year_runs_from_april_to_march);
    RUN(days_before_three_fiscal_years_are_removed);
    RUN(a_writer_killed_at_any_moment_leaves_every_kept_hour_whole);
    TEST_MAIN_END();
}
