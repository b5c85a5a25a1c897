/* test_ui_uifmt: Japanese dates and times as the screens show them, the strings table,
 * and the rotation between panel and logical coordinates. */
#include <stdio.h>
#include <string.h>

#include "feed/feed.h"
#include "testutil.h"
#include "ui/rotate.h"
#include "ui/strings.h"
#include "ui/uifmt.h"
#include "util/timeutil.h"

static int64_t at(const char *iso)
{
    int64_t t = 0;
    timeutil_parse_iso8601(iso, &t, NULL);
    return t;
}

static struct feed_item item(const char *start, const char *end, bool all_day)
{
    struct feed_item it;
    memset(&it, 0, sizeof it);
    it.has_start = start;
    it.start = start ? at(start) : 0;
    it.has_end = end;
    it.end = end ? at(end) : 0;
    it.all_day = all_day;
    it.capacity = -1;
    return it;
}

static void date_reads_month_day_and_weekday(void)
{
    char b[64];
    int64_t now = at("2026-11-26T10:00:00+09:00");
    uifmt_date(at("2026-12-01T10:00:00+09:00"), now, b, sizeof b);
    CHECK(strcmp(b, "12月1日(火)") == 0);
    uifmt_date(at("2027-01-05T10:00:00+09:00"), now, b, sizeof b);
    CHECK(strcmp(b, "2027年1月5日(火)") == 0);
    /* the facility's zone, not UTC: 23:30 UTC is the next morning in Tokyo */
    uifmt_date(at("2026-11-30T23:30:00Z"), now, b, sizeof b);
    CHECK(strcmp(b, "12月1日(火)") == 0);
}

static void weekend_days_are_classified_for_colour(void)
{
    CHECK(uifmt_wday_class(at("2026-11-28T12:00:00+09:00")) == UIFMT_SATURDAY);
    CHECK(uifmt_wday_class(at("2026-11-29T12:00:00+09:00")) == UIFMT_SUNDAY);
    CHECK(uifmt_wday_class(at("2026-11-30T12:00:00+09:00")) == UIFMT_WEEKDAY);
}

static void when_shows_time_range_all_day_and_spans(void)
{
    char b[128];
    int64_t now = at("2026-11-26T10:00:00+09:00");
    struct feed_item it = item("2026-12-01T10:00:00+09:00", "2026-12-01T12:00:00+09:00", false);
    uifmt_when(&it, now, b, sizeof b);
    CHECK(strcmp(b, "12月1日(火) 10:00〜12:00") == 0);
    uifmt_time_range(&it, b, sizeof b);
    CHECK(strcmp(b, "10:00〜12:00") == 0);

    it = item("2026-12-01T00:00:00+09:00", "2026-12-02T00:00:00+09:00", true);
    uifmt_when(&it, now, b, sizeof b);
    CHECK(strcmp(b, "12月1日(火) 終日") == 0);
    uifmt_time_range(&it, b, sizeof b);
    CHECK(strcmp(b, "終日") == 0);

    it = item("2026-12-01T00:00:00+09:00", "2026-12-04T00:00:00+09:00", true);
    uifmt_when(&it, now, b, sizeof b);
    CHECK(strcmp(b, "12月1日(火)〜12月3日(木)") == 0);

    it = item("2026-12-01T10:00:00+09:00", "2026-12-03T17:00:00+09:00", false);
    uifmt_when(&it, now, b, sizeof b);
    CHECK(strcmp(b, "12月1日(火) 10:00〜12月3日(木) 17:00") == 0);
    uifmt_time_range(&it, b, sizeof b);
    CHECK(strcmp(b, "〜12/3") == 0);

    it = item("2026-12-01T09:05:00+09:00", NULL, false);
    uifmt_when(&it, now, b, sizeof b);
    CHECK(strcmp(b, "12月1日(火) 9:05〜") == 0);

    it = item(NULL, NULL, false);
    CHECK(uifmt_when(&it, now, b, sizeof b) == 0 && b[0] == '\0');
}

static void an_all_day_time_note_stands_for_all_day(void)
{
    char b[256];
    int64_t now = at("2026-11-26T10:00:00+09:00");
    struct feed_item it = item("2026-11-27T00:00:00+09:00", NULL, true);
    it.end = at("2026-11-28T00:00:00+09:00");
    it.time_note.ja = "7時から売り切れまで";
    uifmt_when(&it, now, b, sizeof b);
    CHECK(strcmp(b, "11月27日(金) 7時から売り切れまで") == 0);
    uifmt_time_range(&it, b, sizeof b);
    CHECK(strcmp(b, "7時から売り切れまで") == 0);
    /* over several days the remark follows the range */
    it.has_end = true;
    it.end = at("2026-11-30T00:00:00+09:00");
    uifmt_when(&it, now, b, sizeof b);
    CHECK(strcmp(b, "11月27日(金)〜11月29日(日) 7時から売り切れまで") == 0);
    /* a timed item keeps its time */
    struct feed_item timed = item("2026-12-01T10:00:00+09:00", "2026-12-01T12:00:00+09:00", false);
    timed.time_note.ja = "受付は9時半から";
    uifmt_time_range(&timed, b, sizeof b);
    CHECK(strcmp(b, "10:00〜12:00") == 0);
}

static void an_item_reads_on_one_of_its_dates(void)
{
    char b[128];
    int64_t now = at("2026-11-26T10:00:00+09:00");
    struct feed_item it = item("2026-11-28T10:30:00+09:00", "2026-12-19T11:00:00+09:00", false);
    struct feed_date d = {at("2026-12-12T14:00:00+09:00"), at("2026-12-12T14:30:00+09:00"), false,
                          true};
    struct feed_item on;
    uifmt_item_on_date(&it, &d, &on);
    uifmt_when(&on, now, b, sizeof b);
    CHECK(strcmp(b, "12月12日(土) 14:00〜14:30") == 0);
    /* a date without an end was stored ending at midnight: it reads open-ended */
    d.end = at("2026-12-13T00:00:00+09:00");
    uifmt_item_on_date(&it, &d, &on);
    uifmt_when(&on, now, b, sizeof b);
    CHECK(strcmp(b, "12月12日(土) 14:00〜") == 0);
    struct feed_date all = {at("2026-12-12T00:00:00+09:00"), at("2026-12-13T00:00:00+09:00"), true,
                            false};
    uifmt_item_on_date(&it, &all, &on);
    uifmt_when(&on, now, b, sizeof b);
    CHECK(strcmp(b, "12月12日(土) 終日") == 0);
}

static void deadline_shows_time_only_when_not_end_of_day(void)
{
    char b[64];
    int64_t now = at("2026-11-26T10:00:00+09:00");
    uifmt_deadline(at("2026-11-28T23:59:00+09:00"), now, b, sizeof b);
    CHECK(strcmp(b, "締切 11月28日(土)") == 0);
    uifmt_deadline(at("2026-11-27T17:00:00+09:00"), now, b, sizeof b);
    CHECK(strcmp(b, "締切 11月27日(金) 17:00") == 0);
}

static void last_update_names_the_day_when_not_today(void)
{
    char b[64];
    int64_t now = at("2026-11-26T10:00:00+09:00");
    uifmt_last_update(at("2026-11-26T08:05:00+09:00"), now, b, sizeof b);
    CHECK(strcmp(b, "最終更新 8:05") == 0);
    uifmt_last_update(at("2026-11-24T21:30:00+09:00"), now, b, sizeof b);
    CHECK(strcmp(b, "最終更新 11月24日(火) 21:30") == 0);
    uifmt_last_update(0, now, b, sizeof b);
    CHECK(strcmp(b, "最終更新 －") == 0);
}

static void short_buffers_cut_at_a_character_boundary(void)
{
    char b[8];
    int64_t now = at("2026-11-26T10:00:00+09:00");
    size_t n = uifmt_date(at("2026-12-01T10:00:00+09:00"), now, b, sizeof b);
    CHECK(n == strlen(b));
    CHECK(n < sizeof b);
    /* "12月" is 5 bytes; the next character (1) fits, 日 does not */
    CHECK(strcmp(b, "12月1") == 0);
}

static void every_string_in_the_table_is_present(void)
{
    for (int i = 0; i < UI_STR_COUNT_; i++) {
        const char *s = ui_str((enum ui_str)i);
        if (i == UI_STR_UNTIL_BEFORE) {
            continue; /* Japanese says まで after the date, nothing before it */
        }
        if (s[0] == '\0') {
            printf("missing string %d\n", i);
        }
        CHECK(s[0] != '\0');
    }
    CHECK(ui_str(UI_STR_COUNT_)[0] == '\0');
    CHECK(strcmp(ui_str(UI_STR_QR_CAPTION),
                 "スマートフォンで読み取ると\n申し込みページが開きます") == 0);
    CHECK(strcmp(ui_str(UI_STR_ATTRACT_TOUCH), "画面にタッチしてください") == 0);
}

static bool has_chip(const struct uifmt_chip *c, size_t n, const char *label)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].label, label) == 0) {
            return true;
        }
    }
    return false;
}

static void chips_say_status_fee_signup_and_capacity_as_the_feed_does(void)
{
    struct uifmt_chip c[UIFMT_MAX_CHIPS];
    struct feed_item it = item("2026-11-26T10:00:00+09:00", "2026-11-26T12:00:00+09:00", false);
    it.capacity = 16;
    it.fee.ja = "無料";
    it.signup_url = "https://example.jp/a";
    size_t n = uifmt_chips(&it, at("2026-11-26T10:30:00+09:00"), c);
    CHECK(n == 4 && c[0].kind == UIFMT_CHIP_STATUS && strcmp(c[0].label, "開催中") == 0);
    CHECK(has_chip(c, n, "無料") && has_chip(c, n, "要申込") && has_chip(c, n, "定員16名"));
    /* before it starts: no status; the clock unknown: none either */
    CHECK(!has_chip(c, uifmt_chips(&it, at("2026-11-26T09:00:00+09:00"), c), "開催中"));
    CHECK(!has_chip(c, uifmt_chips(&it, 0, c), "開催中"));
    /* a deadline later today */
    struct feed_item dl = item("2026-12-05T10:00:00+09:00", NULL, false);
    dl.has_deadline = true;
    dl.deadline = at("2026-11-26T17:00:00+09:00");
    n = uifmt_chips(&dl, at("2026-11-26T10:00:00+09:00"), c);
    CHECK(n >= 1 && strcmp(c[0].label, "きょう締切") == 0);
    CHECK(!has_chip(c, uifmt_chips(&dl, at("2026-11-25T10:00:00+09:00"), c), "きょう締切"));
    /* the fee itself when short, 有料 when not; 申込不要 only when the feed says so */
    struct feed_item f = item("2026-12-05T10:00:00+09:00", NULL, false);
    f.capacity = -1;
    f.fee.ja = "500円（材料費）";
    CHECK(has_chip(c, uifmt_chips(&f, 0, c), "500円"));
    f.fee.ja = "子ども無料、大人300円";
    CHECK(has_chip(c, uifmt_chips(&f, 0, c), "有料"));
    f.fee.ja = "無料（申し込み不要）";
    n = uifmt_chips(&f, 0, c);
    CHECK(n == 2 && has_chip(c, n, "無料") && has_chip(c, n, "申込不要"));
    f.fee.ja = NULL;
    CHECK(uifmt_chips(&f, 0, c) == 0);
}

static void a_whole_day_written_as_0_00_to_23_59_reads_all_day(void)
{
    char b[128];
    struct feed_item it = item("2026-12-01T00:00:00+09:00", "2026-12-01T23:59:00+09:00", false);
    uifmt_time_range(&it, b, sizeof b);
    CHECK(strcmp(b, "終日") == 0);
    struct feed_item eve = item("2026-12-01T00:00:00+09:00", "2026-12-01T06:00:00+09:00", false);
    uifmt_time_range(&eve, b, sizeof b);
    CHECK(strcmp(b, "0:00〜6:00") == 0);
}

static void rotation_round_trips_every_corner(void)
{
    int rots[] = {0, 90, 180, 270};
    for (int r = 0; r < 4; r++) {
        int lw, lh;
        ui_rotate_logical_size(rots[r], 1920, 1080, &lw, &lh);
        CHECK((rots[r] % 180 == 0) ? (lw == 1920 && lh == 1080) : (lw == 1080 && lh == 1920));
        double pts[][2] = {{0, 0}, {lw, 0}, {0, lh}, {100, 300}};
        for (int i = 0; i < 4; i++) {
            double px, py, lx, ly;
            ui_rotate_to_panel(rots[r], 1920, 1080, pts[i][0], pts[i][1], &px, &py);
            CHECK(px >= 0 && px <= 1920 && py >= 0 && py <= 1080);
            ui_rotate_to_logical(rots[r], 1920, 1080, px, py, &lx, &ly);
            CHECK(lx == pts[i][0] && ly == pts[i][1]);
        }
    }
    /* turned clockwise: the logical top-left sits at the panel's top-right */
    double px, py;
    ui_rotate_to_panel(90, 1920, 1080, 0, 0, &px, &py);
    CHECK(px == 1920 && py == 0);
}

static void a_place_is_offsite_unless_it_names_the_facility_or_a_floor(void)
{
    const char *fac = "武蔵野プレイス";
    CHECK(!uifmt_place_offsite("4階 フォーラムB", fac));
    CHECK(!uifmt_place_offsite("地下2階 ティーンズスタジオ", fac));
    CHECK(!uifmt_place_offsite("B1 返却ポスト", fac));
    CHECK(!uifmt_place_offsite("４階　調理室", fac));
    CHECK(!uifmt_place_offsite("武蔵野プレイス 館内各所", fac));
    CHECK(!uifmt_place_offsite("館内各所", fac));
    CHECK(!uifmt_place_offsite("", fac));
    CHECK(!uifmt_place_offsite(NULL, fac));
    CHECK(uifmt_place_offsite("境南コミュニティセンター 2階 和室", fac));
    CHECK(uifmt_place_offsite("プレイス前広場", fac));
    CHECK(uifmt_place_offsite("JR吉祥寺駅 北口・南口", fac));
    CHECK(uifmt_place_offsite("4階 フォーラム", NULL) == false);
}

int main(void)
{
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        printf("no Asia/Tokyo zone\n");
        return 1;
    }
    RUN(date_reads_month_day_and_weekday);
    RUN(weekend_days_are_classified_for_colour);
    RUN(when_shows_time_range_all_day_and_spans);
    RUN(an_all_day_time_note_stands_for_all_day);
    RUN(an_item_reads_on_one_of_its_dates);
    RUN(deadline_shows_time_only_when_not_end_of_day);
    RUN(last_update_names_the_day_when_not_today);
    RUN(short_buffers_cut_at_a_character_boundary);
    RUN(every_string_in_the_table_is_present);
    RUN(chips_say_status_fee_signup_and_capacity_as_the_feed_does);
    RUN(a_whole_day_written_as_0_00_to_23_59_reads_all_day);
    RUN(rotation_round_trips_every_corner);
    RUN(a_place_is_offsite_unless_it_names_the_facility_or_a_floor);
    TEST_MAIN_END();
}
