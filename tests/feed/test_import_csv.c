/* test_import_csv: the open-data event list (イベント一覧) read into the feed v1 shape.
 *
 * Each case writes a small CSV, reads it with import_csv and checks the tree and the drops
 * (collected as "LINE: reason" lines). Every tree that comes back is also printed and run
 * through feed_parse, which must keep every item: what the reader makes, the validator
 * takes. The city's real file (KIOSK_TESTDATA) is read as published and converted to CP932
 * by the test; both must give the same tree. */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed.h"
#include "feed/import.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define CAT_HEAD                                                                                   \
    "名称,開始日,終了日,開始時刻,終了時刻,日時備考,場所名称,集合場所,URL,イベント種類\n"

static char drops[16384];
static int n_drops;

static void on_drop(void *ctx, const char *kind, const char *id, const char *reason)
{
    size_t n = strlen(drops);
    (void)ctx;
    CHECK(strcmp(kind, "row") == 0);
    CHECK(!strchr(reason, '\n'));
    snprintf(drops + n, sizeof drops - n, "%s: %s\n", id, reason);
    n_drops++;
}

static void quiet(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)line;
    (void)ctx;
}

static void opts(struct import_opts *o)
{
    import_opts_default(o);
    o->drop = on_drop;
    o->drop_ctx = NULL;
}

/* Prints the tree and validates it: every item must be kept. Returns the items kept. */
static size_t validate(const cJSON *doc, enum feed_kind kind)
{
    char err[256];
    char *s = cJSON_PrintUnformatted(doc);
    struct feed *f = s ? feed_parse(s, strlen(s), NULL, err, sizeof err) : NULL;
    size_t n = 0;

    CHECK(f);
    if (!f) {
        fprintf(stderr, "  validator rejected the tree: %s\n", err);
    } else {
        n = feed_count(f, kind);
        CHECK(feed_drop_count(f) == 0);
        for (size_t i = 0; i < feed_drop_count(f); i++) {
            fprintf(stderr, "  validator dropped %s: %s\n", feed_drop_at(f, i)->id,
                    feed_drop_at(f, i)->reason);
        }
    }
    feed_free(f);
    free(s);
    return n;
}

static cJSON *read_with(const char *data, size_t len, const struct import_opts *o)
{
    char err[256] = "unchanged";
    cJSON *doc;

    drops[0] = '\0';
    n_drops = 0;
    doc = import_csv(data, len, o, err, sizeof err);
    CHECK(doc);
    if (!doc) {
        fprintf(stderr, "  rejected: %s\n", err);
        return NULL;
    }
    CHECK(err[0] == '\0');
    CHECK(validate(doc, o->kind) ==
          (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
              doc, o->kind == FEED_KIND_EVENT ? "events" : "volunteers")));
    return doc;
}

static cJSON *read_csv(const char *csv)
{
    struct import_opts o;
    opts(&o);
    return read_with(csv, strlen(csv), &o);
}

static const cJSON *items_of(const cJSON *doc)
{
    return cJSON_GetObjectItemCaseSensitive(doc, "events");
}

static int n_items(const cJSON *doc)
{
    return cJSON_GetArraySize(items_of(doc));
}

static const cJSON *item_at(const cJSON *doc, int i)
{
    return cJSON_GetArrayItem(items_of(doc), i);
}

static const char *str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *text(const cJSON *obj, const char *name)
{
    return str(cJSON_GetObjectItemCaseSensitive(obj, name), "ja");
}

static bool eq(const char *a, const char *b)
{
    bool same = a && b && strcmp(a, b) == 0;
    if (!same) {
        fprintf(stderr, "  got '%s', want '%s'\n", a ? a : "(null)", b ? b : "(null)");
    }
    return same;
}

static bool has_drop(const char *line_reason)
{
    bool found = strstr(drops, line_reason);
    if (!found) {
        fprintf(stderr, "  no drop '%s' in:\n%s", line_reason, drops);
    }
    return found;
}

/* UTF-8 text as CP932, made here with iconv; the caller frees it. */
static char *to_cp932(const char *s, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("CP932", "UTF-8");
    char *out = malloc(len * 2 + 1);
    char *in = (char *)s, *o = out;
    size_t il = len, ol = len * 2;

    if (cd == (iconv_t)-1 || !out || iconv(cd, &in, &il, &o, &ol) == (size_t)-1) {
        free(out);
        out = NULL;
    } else {
        *out_len = (size_t)(o - out);
    }
    if (cd != (iconv_t)-1) {
        iconv_close(cd);
    }
    return out;
}

/* ---- layouts and header ---- */

static void the_recommended_layout_is_read_by_header_name(void)
{
    const char *csv = "独自列,URL,場所名称,イベント名,終了時間,開始時間,開始日,終了日,"
                      "開始日時特記事項,説明,料金（基本）,料金(詳細),連絡先名称,連絡先電話番号,"
                      "主催者,カテゴリー,住所,方書,定員,参加申込終了日\n"
                      "x,https://example.jp/a,武蔵野プレイス,天文学講座,12:00,10:00,2027-01-16,,"
                      "雨天中止,星を見ます,500円,資料代込み,生涯学習課,0422-00-0000,武蔵野市,"
                      "講座,東京都武蔵野市境南町2-3-18,4階,30,2027-01-10\n";
    cJSON *doc = read_csv(csv);
    const cJSON *it;

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 1);
    CHECK(n_drops == 0);
    it = item_at(doc, 0);
    CHECK(eq(text(it, "title"), "天文学講座"));
    CHECK(eq(text(it, "place"), "武蔵野プレイス"));
    CHECK(eq(str(it, "start"), "2027-01-16T10:00:00+09:00"));
    CHECK(eq(str(it, "end"), "2027-01-16T12:00:00+09:00"));
    CHECK(eq(text(it, "time_note"), "雨天中止"));
    CHECK(eq(text(it, "description"), "星を見ます"));
    CHECK(eq(text(it, "fee"), "500円\n資料代込み"));
    CHECK(eq(text(it, "contact"), "生涯学習課 0422-00-0000"));
    CHECK(eq(text(it, "organizer"), "武蔵野市"));
    CHECK(eq(text(it, "address"), "東京都武蔵野市境南町2-3-18 4階"));
    CHECK(eq(str(it, "deadline"), "2027-01-10"));
    CHECK(cJSON_GetObjectItemCaseSensitive(it, "capacity")->valueint == 30);
    CHECK(eq(str(it, "signup_url"), "https://example.jp/a"));
    CHECK(eq(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(it, "categories"), 0)->valuestring,
             "講座"));
    CHECK(strncmp(str(it, "id"), "csv-", 4) == 0 && strlen(str(it, "id")) == 20);
    cJSON_Delete(doc);
}

static void the_catalogue_layout_is_read_by_header_name(void)
{
    const char *csv =
        "NO,概要,終了時刻,名称,集合場所,開始日,開始時刻,主催団体,対象者,定員,申込期限日,"
        "申込期限時刻,料金(基本),申込方法,連絡先名称,連絡先電話番号,謎の列,終了日\n"
        "1,概要だけ,11:30,ふたごのつどい,桜堤児童館,2027/1/28,10:00,子ども家庭支援センター,"
        "多胎育児の家族,１５,2027-01-20,17:00,無料,電話で,支援センター,0422-60-1239,?,\n";
    cJSON *doc = read_csv(csv);
    const cJSON *it;

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 1);
    it = item_at(doc, 0);
    CHECK(eq(text(it, "title"), "ふたごのつどい"));
    CHECK(eq(text(it, "place"), "桜堤児童館"));
    CHECK(eq(text(it, "description"), "概要だけ"));
    CHECK(eq(text(it, "organizer"), "子ども家庭支援センター"));
    CHECK(eq(text(it, "wanted"), "多胎育児の家族"));
    CHECK(eq(text(it, "contact"), "支援センター 0422-60-1239\n電話で"));
    CHECK(eq(str(it, "start"), "2027-01-28T10:00:00+09:00"));
    CHECK(eq(str(it, "end"), "2027-01-28T11:30:00+09:00"));
    CHECK(eq(str(it, "deadline"), "2027-01-20T17:00:00+09:00"));
    CHECK(cJSON_GetObjectItemCaseSensitive(it, "capacity")->valueint == 15);
    CHECK(!cJSON_GetObjectItemCaseSensitive(it, "signup_url"));
    cJSON_Delete(doc);
}

static void the_english_name_columns_fill_the_titles_en(void)
{
    const char *rec = "イベント名,イベント名_英語,開始日,場所名称\n"
                      "点字体験講座,Braille Workshop,2026-12-05,図書館\n"
                      "将棋教室,,2026-12-06,和室\n";
    const char *cat = "名称,名称(英字),開始日\n"
                      "ふたごのつどい,Twins Meetup,2027-01-28\n";
    cJSON *doc = read_csv(rec);

    if (doc) {
        CHECK(n_items(doc) == 2);
        CHECK(eq(str(cJSON_GetObjectItemCaseSensitive(item_at(doc, 0), "title"), "en"),
                 "Braille Workshop"));
        /* a blank English cell leaves the title Japanese only */
        CHECK(!str(cJSON_GetObjectItemCaseSensitive(item_at(doc, 1), "title"), "en"));
        cJSON_Delete(doc);
    }
    doc = read_csv(cat);
    if (doc) {
        CHECK(eq(str(cJSON_GetObjectItemCaseSensitive(item_at(doc, 0), "title"), "en"),
                 "Twins Meetup"));
        cJSON_Delete(doc);
    }
}

static void a_file_without_a_name_column_is_rejected_naming_it(void)
{
    const char *csv = "タイトル,開始日\nあ,2027-01-01\n";
    char err[256] = "";
    struct import_opts o;
    cJSON *doc;

    opts(&o);
    doc = import_csv(csv, strlen(csv), &o, err, sizeof err);
    CHECK(!doc);
    CHECK(strstr(err, "名称") && strstr(err, "イベント名"));
    CHECK(!strchr(err, '\n'));
    cJSON_Delete(doc);
    doc = import_csv("", 0, &o, err, sizeof err);
    CHECK(!doc);
    CHECK(err[0]);
}

/* ---- encodings ---- */

static void utf8_with_and_without_a_bom_read_the_same(void)
{
    const char *plain = CAT_HEAD "清掃,2027-01-16,,,,,,玉川上水,,\n";
    char with_bom[256];
    cJSON *a, *b;
    char *pa, *pb;

    snprintf(with_bom, sizeof with_bom, "\xEF\xBB\xBF%s", plain);
    a = read_csv(plain);
    b = read_csv(with_bom);
    if (!a || !b) {
        cJSON_Delete(a);
        cJSON_Delete(b);
        return;
    }
    pa = cJSON_PrintUnformatted(a);
    pb = cJSON_PrintUnformatted(b);
    CHECK(eq(pa, pb));
    CHECK(n_items(a) == 1);
    free(pa);
    free(pb);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void cp932_keeps_circled_digits_roman_numerals_kabushiki_taka_and_wave_dash(void)
{
    const char *utf8 = "名称,開始日,場所名称,主催団体\n"
                       "①講座Ⅱ　10時～12時,2027-01-16,髙橋ホール,㈱むさしの\n";
    size_t len = 0;
    char *sj = to_cp932(utf8, strlen(utf8), &len);
    struct import_opts o;
    cJSON *doc;

    CHECK(sj);
    if (!sj) {
        return;
    }
    /* CP932's wave dash is 0x8160, which plain Shift_JIS would read as U+301C */
    {
        bool found = false;
        for (size_t i = 0; i + 1 < len; i++) {
            found = found || (sj[i] == '\x81' && sj[i + 1] == '\x60');
        }
        CHECK(found);
    }
    opts(&o);
    doc = read_with(sj, len, &o);
    if (doc) {
        const cJSON *it = item_at(doc, 0);
        CHECK(eq(text(it, "title"), "①講座Ⅱ　10時～12時"));
        CHECK(eq(text(it, "place"), "髙橋ホール"));
        CHECK(eq(text(it, "organizer"), "㈱むさしの"));
    }
    cJSON_Delete(doc);
    free(sj);
}

static void a_file_neither_utf8_nor_cp932_is_rejected_with_the_byte(void)
{
    /* Latin-1 "café," : 0xE9 starts a CP932 pair that ',' cannot end */
    const char *latin1 = "Name,Date\ncaf\xE9,2027-01-16\n";
    const char *bad_bom = "\xEF\xBB\xBF名称\n\xFF\n";
    char err[256] = "";
    struct import_opts o;
    cJSON *doc;

    opts(&o);
    doc = import_csv(latin1, strlen(latin1), &o, err, sizeof err);
    CHECK(!doc);
    CHECK(strstr(err, "not UTF-8 or CP932"));
    CHECK(strstr(err, "0xE9"));
    CHECK(strstr(err, "offset 13"));
    cJSON_Delete(doc);
    doc = import_csv(bad_bom, strlen(bad_bom), &o, err, sizeof err);
    CHECK(!doc);
    CHECK(strstr(err, "0xFF at offset 10"));
    cJSON_Delete(doc);
    /* UTF-8 with one bad byte after its Japanese header is damaged UTF-8, not CP932 */
    doc = import_csv("名称,開始日\n\xFF,2027-01-16\n", 30, &o, err, sizeof err);
    CHECK(!doc);
    CHECK(strstr(err, "0xFF at offset 17"));
    cJSON_Delete(doc);
    doc = import_csv("名称\nA\0B\n", 11, &o, err, sizeof err);
    CHECK(!doc);
    CHECK(strstr(err, "0x00 at offset 8"));
    cJSON_Delete(doc);
}

/* ---- records ---- */

static void crlf_and_lf_read_the_same(void)
{
    const char *lf = CAT_HEAD "清掃,2027-01-16,,10:00,12:00,,公園,,,\n"
                              "\"二行の\n名前\",2027-01-17,,,,,公園,,,\n";
    const char *crlf = CAT_HEAD "清掃,2027-01-16,,10:00,12:00,,公園,,,\r\n"
                                "\"二行の\r\n名前\",2027-01-17,,,,,公園,,,\r\n";
    cJSON *a = read_csv(lf), *b = read_csv(crlf);
    char *pa = a ? cJSON_PrintUnformatted(a) : NULL;
    char *pb = b ? cJSON_PrintUnformatted(b) : NULL;

    CHECK(pa && pb && eq(pa, pb));
    CHECK(a && n_items(a) == 2);
    free(pa);
    free(pb);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void quoted_commas_quotes_and_line_breaks_keep_later_line_numbers(void)
{
    const char *csv = CAT_HEAD                                                    /* line 1 */
        "\"清掃, 玉川上水\",2027-01-16,,,,\"雨天\n中止\n(予備日なし)\",公園,,,\n" /* 2-4 */
        "\"「\"\"ごみゼロ\"\"」の日\",2027-01-17,,,,,公園,,,\n"                   /* 5 */
        "\n"                                                                      /* 6 */
        "名前なし,bad,,,,,公園,,,\n";                                             /* 7 */
    cJSON *doc = read_csv(csv);

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 2);
    CHECK(eq(text(item_at(doc, 0), "title"), "清掃, 玉川上水"));
    CHECK(eq(text(item_at(doc, 0), "time_note"), "雨天\n中止\n(予備日なし)"));
    CHECK(eq(text(item_at(doc, 1), "title"), "「\"ごみゼロ\"」の日"));
    CHECK(n_drops == 1);
    CHECK(has_drop("7: bad date 'bad' in 開始日"));
    cJSON_Delete(doc);
}

static void a_stray_quote_or_a_short_row_drops_that_record_with_its_line(void)
{
    const char *csv = CAT_HEAD                  /* 1 */
        "良い行,2027-01-16,,,,,公園,,,\n"       /* 2 */
        "引用\"符,2027-01-16,,,,,公園,,,\n"     /* 3 */
        "\"閉じた\"後,2027-01-16,,,,,公園,,,\n" /* 4 */
        "短い,2027-01-16\n"                     /* 5 */
        "\"複数\n行\",2027-01-18,,,,,公園,,,\n" /* 6-7 */
        "末尾が空でも良い,2027-01-19,,,,,,,,\n" /* 8 */
        "\"閉じない,2027-01-20,,,,,公園,,,\n"   /* 9 */
        "回復した行,2027-01-21,,,,,公園,,,\n";  /* 10 */
    cJSON *doc = read_csv(csv);

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 4);
    CHECK(has_drop("3: stray quote"));
    CHECK(has_drop("4: text after a closing quote"));
    CHECK(has_drop("5: short row (2 fields, the header has 10)"));
    CHECK(has_drop("9: unterminated quote"));
    CHECK(n_drops == 4);
    CHECK(eq(text(item_at(doc, 3), "title"), "回復した行"));
    cJSON_Delete(doc);
}

static void a_field_past_64_kib_drops_the_record_and_many_commas_are_harmless(void)
{
    size_t big = 70 * 1024, commas = 2000000;
    size_t cap = big + commas + 512;
    char *csv = malloc(cap);
    size_t n;
    cJSON *doc;

    if (!csv) {
        return;
    }
    n = (size_t)snprintf(csv, cap, "名称,開始日\n大きい,2027-01-16,");
    memset(csv + n, 'x', big);
    n += big;
    n += (size_t)snprintf(csv + n, cap - n, "\n\"大\"\"きい%s", "\",2027-01-16\n");
    memset(csv + n, ',', commas);
    n += commas;
    n += (size_t)snprintf(csv + n, cap - n, "\n正常,2027-01-16\n");
    /* line 2 is long but its extra field is past the header: kept; line 3 is normal */
    {
        struct import_opts o;
        opts(&o);
        doc = read_with(csv, n, &o);
    }
    CHECK(doc && n_items(doc) == 3);
    cJSON_Delete(doc);

    n = (size_t)snprintf(csv, cap, "名称,開始日\n\"");
    memset(csv + n, 'y', big);
    n += big;
    n += (size_t)snprintf(csv + n, cap - n, "\",2027-01-16\n正常,2027-01-16\n");
    {
        struct import_opts o;
        opts(&o);
        doc = read_with(csv, n, &o);
    }
    CHECK(doc && n_items(doc) == 1);
    CHECK(has_drop("2: field longer than 65536 bytes"));
    cJSON_Delete(doc);
    free(csv);
}

static void a_bad_date_an_end_before_start_or_no_name_drops_with_the_line(void)
{
    const char *csv = CAT_HEAD                        /* 1 */
        "ok,2027-01-16,,,,,公園,,,\n"                 /* 2 */
        "日付,2027-02-30,,,,,公園,,,\n"               /* 3 */
        "終了日,2027-01-16,2027/1/15,,,,公園,,,\n"    /* 4 */
        "終了時刻,2027-01-16,,12:00,11:00,,公園,,,\n" /* 5 */
        "　,2027-01-16,,,,,公園,,,\n"                 /* 6 */
        "開始日なし,,,,,,公園,,,\n"                   /* 7 */
        "時刻,2027-01-16,,25:00,,,公園,,,\n"          /* 8 */
        "改行,\"2027\n-01-16\",,,,,公園,,,\n";        /* 9-10 */
    cJSON *doc = read_csv(csv);

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 1);
    CHECK(has_drop("3: bad date '2027-02-30' in 開始日"));
    CHECK(has_drop("4: end before start"));
    CHECK(has_drop("5: end before start"));
    CHECK(has_drop("6: missing 名称"));
    CHECK(has_drop("7: missing 開始日"));
    CHECK(has_drop("8: bad time '25:00' in 開始時刻"));
    CHECK(has_drop("9: bad date '2027 -01-16' in 開始日"));
    CHECK(n_drops == 7);
    cJSON_Delete(doc);
}

static void a_volunteer_listing_may_have_no_date(void)
{
    const char *csv = "名称,開始日,対象者,主催団体\n子ども食堂,,調理補助,NPO\n";
    struct import_opts o;
    cJSON *doc;

    opts(&o);
    o.kind = FEED_KIND_VOLUNTEER;
    doc = read_with(csv, strlen(csv), &o);
    if (!doc) {
        return;
    }
    {
        const cJSON *it =
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "volunteers"), 0);
        CHECK(eq(text(it, "title"), "子ども食堂"));
        CHECK(eq(text(it, "organization"), "NPO"));
        CHECK(eq(text(it, "wanted"), "調理補助"));
        CHECK(!cJSON_GetObjectItemCaseSensitive(it, "start"));
    }
    CHECK(n_items(doc) == 0);
    cJSON_Delete(doc);
}

/* ---- dates and times ---- */

static void full_width_dates_and_times_are_read(void)
{
    const char *csv =
        CAT_HEAD "全角,２０２７－０１－１６,２０２７／１／１７,１０：００,９：３０,,公園,,,\n";
    cJSON *doc = read_csv(csv);

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 1);
    CHECK(eq(str(item_at(doc, 0), "start"), "2027-01-16T10:00:00+09:00"));
    CHECK(eq(str(item_at(doc, 0), "end"), "2027-01-17T09:30:00+09:00"));
    cJSON_Delete(doc);
}

static void an_empty_end_date_is_the_same_day_and_no_start_time_is_all_day(void)
{
    const char *csv = CAT_HEAD                                     /* 1 */
        "当日,2027-01-16,,10:00,12:00,,公園,,,\n"                  /* 2 */
        "終日,2027-01-16,,,,10時～12時 (令和9年1月16日),公園,,,\n" /* 3 */
        "三日間,2027-01-16,2027-01-18,,,,公園,,,\n"                /* 4 */
        "終了時刻だけ,2027-01-16,,,15:00,,公園,,,\n"               /* 5 */
        "秒つき,2027-01-16,,9:05:00,24:00,,公園,,,\n";             /* 6 */
    cJSON *doc = read_csv(csv);

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 5);
    CHECK(eq(str(item_at(doc, 0), "end"), "2027-01-16T12:00:00+09:00"));
    CHECK(eq(str(item_at(doc, 1), "start"), "2027-01-16"));
    CHECK(!str(item_at(doc, 1), "end"));
    CHECK(eq(text(item_at(doc, 1), "time_note"), "10時～12時 (令和9年1月16日)"));
    CHECK(eq(str(item_at(doc, 2), "start"), "2027-01-16"));
    CHECK(eq(str(item_at(doc, 2), "end"), "2027-01-18"));
    CHECK(eq(str(item_at(doc, 3), "start"), "2027-01-16"));
    CHECK(!str(item_at(doc, 3), "end"));
    CHECK(eq(str(item_at(doc, 4), "start"), "2027-01-16T09:05:00+09:00"));
    CHECK(eq(str(item_at(doc, 4), "end"), "2027-01-17T00:00:00+09:00"));
    cJSON_Delete(doc);
}

/* ---- text ---- */

static void ideographic_spaces_are_trimmed_and_the_meeting_place_stands_in(void)
{
    const char *csv = CAT_HEAD "　 清掃　,2027-01-16,,,,,　,　武蔵野プレイス　1階　,,\n";
    cJSON *doc = read_csv(csv);

    if (!doc) {
        return;
    }
    CHECK(eq(text(item_at(doc, 0), "title"), "清掃"));
    CHECK(eq(text(item_at(doc, 0), "place"), "武蔵野プレイス　1階"));
    CHECK(!cJSON_GetObjectItemCaseSensitive(item_at(doc, 0), "time_note"));
    cJSON_Delete(doc);
}

static void categories_are_split_and_listed_once_and_the_default_fills_in(void)
{
    const char *csv = CAT_HEAD "a,2027-01-16,,,,,p,,,\"健康・福祉、スポーツ,子 育て，スポーツ\"\n"
                               "b,2027-01-16,,,,,p,,,スポーツ\n"
                               "c,2027-01-16,,,,,p,,,\n";
    struct import_opts o;
    cJSON *doc;
    const cJSON *cats, *c0;

    opts(&o);
    o.default_category = "その他";
    doc = read_with(csv, strlen(csv), &o);
    if (!doc) {
        return;
    }
    cats = cJSON_GetObjectItemCaseSensitive(doc, "categories");
    CHECK(cJSON_GetArraySize(cats) == 4);
    CHECK(eq(str(cJSON_GetArrayItem(cats, 0), "id"), "健康・福祉"));
    CHECK(eq(str(cJSON_GetArrayItem(cats, 2), "id"), "子育て"));
    CHECK(eq(text(cJSON_GetArrayItem(cats, 2), "label"), "子 育て"));
    CHECK(eq(str(cJSON_GetArrayItem(cats, 3), "id"), "その他"));
    c0 = cJSON_GetObjectItemCaseSensitive(item_at(doc, 0), "categories");
    CHECK(cJSON_GetArraySize(c0) == 3);
    CHECK(eq(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(item_at(doc, 2), "categories"), 0)
                 ->valuestring,
             "その他"));
    cJSON_Delete(doc);
}

/* ---- URLs ---- */

static void http_is_upgraded_unless_turned_off_and_other_schemes_are_ignored(void)
{
    const char *csv = CAT_HEAD "a,2027-01-16,,,,,p,,http://www.city.musashino.lg.jp/x.html,\n"
                               "b,2027-01-16,,,,,p,,HTTPS://example.jp/,\n"
                               "c,2027-01-16,,,,,p,,ftp://example.jp/,\n"
                               "d,2027-01-16,,,,,p,,javascript:alert(1),\n"
                               "e,2027-01-16,,,,,p,,https://user@example.jp/,\n";
    struct import_opts o;
    cJSON *doc;

    opts(&o);
    doc = read_with(csv, strlen(csv), &o);
    if (doc) {
        CHECK(n_items(doc) == 5);
        CHECK(eq(str(item_at(doc, 0), "signup_url"), "https://www.city.musashino.lg.jp/x.html"));
        CHECK(eq(str(item_at(doc, 1), "signup_url"), "HTTPS://example.jp/"));
        CHECK(!str(item_at(doc, 2), "signup_url"));
        CHECK(!str(item_at(doc, 3), "signup_url"));
        CHECK(!str(item_at(doc, 4), "signup_url"));
    }
    cJSON_Delete(doc);
    o.upgrade_http = false;
    doc = read_with(csv, strlen(csv), &o);
    if (doc) {
        CHECK(!str(item_at(doc, 0), "signup_url"));
        CHECK(str(item_at(doc, 1), "signup_url"));
    }
    cJSON_Delete(doc);
}

/* ---- series ---- */

static void three_rows_of_one_name_and_place_are_one_item_with_three_dates(void)
{
    const char *csv = CAT_HEAD                            /* 1 */
        "体操教室,2027-01-23,,10:00,11:00,,体育館,,,\n"   /* 2 */
        "体操教室,2027-01-09,,10:00,11:00,,体育館,,,\n"   /* 3 */
        "体操教室,2027-01-16,,13:00,14:00,,体育館　,,,\n" /* 4 */
        "体操教室,2027-01-16,,10:00,11:00,,別の館,,,\n"   /* 5 */
        "体操教室,2027-01-09,,10:00,11:00,,体育館,,,\n";  /* 6 */
    const char *reordered = CAT_HEAD "体操教室,2027-01-16,,10:00,11:00,,別の館,,,\n"
                                     "体操教室,2027-01-16,,13:00,14:00,,体育館,,,\n";
    cJSON *doc = read_csv(csv), *doc2;
    const cJSON *it, *dates;

    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 2);
    CHECK(has_drop("6: same name, place and date as line 3"));
    it = item_at(doc, 0);
    dates = cJSON_GetObjectItemCaseSensitive(it, "dates");
    CHECK(cJSON_GetArraySize(dates) == 3);
    CHECK(eq(str(it, "start"), "2027-01-09T10:00:00+09:00"));
    CHECK(eq(str(it, "end"), "2027-01-09T11:00:00+09:00"));
    CHECK(eq(str(cJSON_GetArrayItem(dates, 0), "start"), "2027-01-09T10:00:00+09:00"));
    CHECK(eq(str(cJSON_GetArrayItem(dates, 1), "start"), "2027-01-16T13:00:00+09:00"));
    CHECK(eq(str(cJSON_GetArrayItem(dates, 1), "end"), "2027-01-16T14:00:00+09:00"));
    CHECK(eq(str(cJSON_GetArrayItem(dates, 2), "start"), "2027-01-23T10:00:00+09:00"));
    CHECK(!cJSON_GetObjectItemCaseSensitive(item_at(doc, 1), "dates"));
    CHECK(eq(text(item_at(doc, 1), "place"), "別の館"));
    CHECK(strcmp(str(item_at(doc, 0), "id"), str(item_at(doc, 1), "id")) != 0);
    /* ids depend on name and place only, not on row order */
    doc2 = read_csv(reordered);
    if (doc2) {
        CHECK(eq(str(item_at(doc2, 1), "id"), str(item_at(doc, 0), "id")));
        CHECK(eq(str(item_at(doc2, 0), "id"), str(item_at(doc, 1), "id")));
    }
    cJSON_Delete(doc2);
    cJSON_Delete(doc);
}

static void items_past_the_limit_are_dropped_and_ids_take_the_prefix(void)
{
    const char *csv = CAT_HEAD "a,2027-01-16,,,,,p,,,\n"
                               "b,2027-01-16,,,,,p,,,\n"
                               "a,2027-01-17,,,,,p,,,\n"
                               "c,2027-01-16,,,,,p,,,\n";
    struct import_opts o;
    cJSON *doc;

    opts(&o);
    o.max_items = 2;
    o.id_prefix = "musashino-";
    doc = read_with(csv, strlen(csv), &o);
    if (!doc) {
        return;
    }
    CHECK(n_items(doc) == 2);
    CHECK(has_drop("5: over the limit of 2 items"));
    CHECK(n_drops == 1);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(item_at(doc, 0), "dates")) == 2);
    CHECK(strncmp(str(item_at(doc, 0), "id"), "musashino-csv-", 14) == 0);
    cJSON_Delete(doc);
}

/* ---- the city's real file ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!fp) {
        return NULL;
    }
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(fp);
    return buf;
}

static void the_city_file_reads_whole_and_its_cp932_copy_gives_the_same_tree(void)
{
    size_t len = 0, sj_len = 0;
    char *data = slurp(KIOSK_TESTDATA "/opendata/musashino-events-2022.csv", &len);
    char *sj;
    struct import_opts o;
    cJSON *a, *b;
    char *pa, *pb;

    if (!data) {
        printf("  skipped: %s/opendata/musashino-events-2022.csv is absent\n", KIOSK_TESTDATA);
        return;
    }
    opts(&o);
    a = read_with(data, len, &o);
    CHECK(a);
    if (!a) {
        free(data);
        return;
    }
    /* 43 rows: 25 listings, the weekly ones folded (名称 and 集合場所 the same) */
    CHECK(n_items(a) == 25);
    CHECK(n_drops == 0);
    if (n_drops) {
        fprintf(stderr, "  dropped:\n%s", drops);
    }
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "categories")) == 6);
    for (int i = 0; i < n_items(a); i++) {
        const char *u = str(item_at(a, i), "signup_url");
        CHECK(u && strncmp(u, "https://www.city.musashino.lg.jp/", 33) == 0);
    }
    {
        int five = 0;
        for (int i = 0; i < n_items(a); i++) {
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(item_at(a, i), "dates");
            five += cJSON_GetArraySize(d) == 5;
        }
        CHECK(five == 1); /* 障がい者のためのスポーツ広場 */
    }
    /* the same bytes as CP932 (the file has no character CP932 lacks) */
    sj = to_cp932(data + 3, len - 3, &sj_len);
    CHECK(sj);
    b = sj ? read_with(sj, sj_len, &o) : NULL;
    pa = cJSON_PrintUnformatted(a);
    pb = b ? cJSON_PrintUnformatted(b) : NULL;
    CHECK(pb && eq(pa, pb));
    CHECK(n_drops == 0);
    free(pa);
    free(pb);
    free(sj);
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(data);
}

int main(void)
{
    log_set_sink(quiet, NULL);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        fprintf(stderr, "no Asia/Tokyo zone\n");
    }
    RUN(the_recommended_layout_is_read_by_header_name);
    RUN(the_catalogue_layout_is_read_by_header_name);
    RUN(a_file_without_a_name_column_is_rejected_naming_it);
    RUN(the_english_name_columns_fill_the_titles_en);
    RUN(utf8_with_and_without_a_bom_read_the_same);
    RUN(cp932_keeps_circled_digits_roman_numerals_kabushiki_taka_and_wave_dash);
    RUN(a_file_neither_utf8_nor_cp932_is_rejected_with_the_byte);
    RUN(crlf_and_lf_read_the_same);
    RUN(quoted_commas_quotes_and_line_breaks_keep_later_line_numbers);
    RUN(a_stray_quote_or_a_short_row_drops_that_record_with_its_line);
    RUN(a_field_past_64_kib_drops_the_record_and_many_commas_are_harmless);
    RUN(a_bad_date_an_end_before_start_or_no_name_drops_with_the_line);
    RUN(a_volunteer_listing_may_have_no_date);
    RUN(full_width_dates_and_times_are_read);
    RUN(an_empty_end_date_is_the_same_day_and_no_start_time_is_all_day);
    RUN(ideographic_spaces_are_trimmed_and_the_meeting_place_stands_in);
    RUN(categories_are_split_and_listed_once_and_the_default_fills_in);
    RUN(http_is_upgraded_unless_turned_off_and_other_schemes_are_ignored);
    RUN(three_rows_of_one_name_and_place_are_one_item_with_three_dates);
    RUN(items_past_the_limit_are_dropped_and_ids_take_the_prefix);
    RUN(the_city_file_reads_whole_and_its_cp932_copy_gives_the_same_tree);
    TEST_MAIN_END();
}
