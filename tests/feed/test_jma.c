/* test_jma: JMA 防災情報XML judged for Musashino, one safety rule a test.
 *
 * The documents are written here, modelled on real VPWW54, VXSE51/53 and VTSE41 reports
 * (same elements, namespaces and wording), so the tests need nothing from outside. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/jma.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define T0 INT64_C(1783042200) /* 2026-07-03T10:30:00+09:00 */
#define REPORT "2026-07-03T10:00:00+09:00"

static char logged[512];

static void sink(enum log_level level, const char *line, void *ctx)
{
    (void)ctx;
    if (level >= LOG_LEVEL_WARN) {
        snprintf(logged, sizeof logged, "%s", line);
    }
}

static const char *const HEAD_NS = "http://xml.kishou.go.jp/jmaxml1/informationBasis1/";

static char *warn_doc(const char *status, const char *info_type, const char *report,
                      const char *items)
{
    size_t cap = strlen(items) + 4096;
    char *d = malloc(cap);
    snprintf(
        d, cap,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Report xmlns=\"http://xml.kishou.go.jp/jmaxml1/\" "
        "xmlns:jmx=\"http://xml.kishou.go.jp/jmaxml1/\">\n"
        "<Control>\n<Title>気象警報・注意報（Ｈ２７）</Title>\n"
        "<DateTime>2026-07-03T01:00:32Z</DateTime>\n<Status>%s</Status>\n"
        "<EditorialOffice>気象庁本庁</EditorialOffice>\n"
        "<PublishingOffice>気象庁</PublishingOffice>\n</Control>\n"
        "<Head xmlns=\"%s\">\n<Title>東京都気象警報・注意報</Title>\n"
        "<ReportDateTime>%s</ReportDateTime>\n<TargetDateTime>%s</TargetDateTime>\n"
        "<EventID/>\n<InfoType>%s</InfoType>\n<Serial/>\n"
        "<InfoKind>気象警報・注意報</InfoKind>\n<InfoKindVersion>1.2_1</InfoKindVersion>\n"
        "<Headline>\n<Text>多摩南部では、３日夕方まで土砂災害に警戒してください。</Text>\n"
        "</Headline>\n</Head>\n"
        "<Body xmlns=\"http://xml.kishou.go.jp/jmaxml1/body/meteorology1/\" "
        "xmlns:jmx_eb=\"http://xml.kishou.go.jp/jmaxml1/elementBasis1/\">\n"
        "<Warning type=\"気象警報・注意報（府県予報区等）\">\n<Item><Kind><Name>大雨警報</Name>"
        "<Code>03</Code></Kind><Area><Name>東京都</Name><Code>130000</Code></Area></Item>\n"
        "</Warning>\n<Warning type=\"気象警報・注意報（市町村等）\">\n%s</Warning>\n"
        "</Body>\n</Report>\n",
        status, HEAD_NS, report, report, info_type, items);
    return d;
}

/* One 市町村等 item: kinds as "Name|Code|Status;…". */
static char *item(const char *area_name, const char *area_code, const char *kinds)
{
    char *out = malloc(4096);
    char copy[1024];
    size_t used;
    char *save = NULL;
    used = (size_t)snprintf(out, 4096, "<Item>\n");
    snprintf(copy, sizeof copy, "%s", kinds);
    for (char *k = strtok_r(copy, ";", &save); k; k = strtok_r(NULL, ";", &save)) {
        char *name = k, *code = strchr(k, '|'), *st;
        *code++ = '\0';
        st = strchr(code, '|');
        *st++ = '\0';
        used += (size_t)snprintf(out + used, 4096 - used,
                                 "<Kind><Name>%s</Name><Code>%s</Code><Status>%s</Status></Kind>\n",
                                 name, code, st);
    }
    snprintf(out + used, 4096 - used,
             "<Area><Name>%s</Name><Code>%s</Code></Area>\n"
             "<ChangeStatus>警報・注意報種別に変化有</ChangeStatus>\n"
             "<FullStatus>全体</FullStatus>\n<EditingMark>0</EditingMark>\n</Item>\n",
             area_name, area_code);
    return out;
}

static char *musashino(const char *kinds)
{
    char *ours = item("武蔵野市", "1320300", kinds);
    char *theirs = item("三鷹市", "1320400", "大雨警報|03|発表");
    size_t n = strlen(ours) + strlen(theirs) + 1;
    char *both = malloc(n);
    snprintf(both, n, "%s%s", theirs, ours);
    free(ours);
    free(theirs);
    return both;
}

static char *quake_doc(const char *title, const char *status, const char *info_type,
                       const char *report, const char *origin, const char *area_code,
                       const char *maxint)
{
    char *d = malloc(8192);
    char eq[512] = "";
    if (origin) {
        snprintf(eq, sizeof eq,
                 "<Earthquake><OriginTime>%s</OriginTime><ArrivalTime>%s</ArrivalTime>"
                 "<Hypocenter><Area><Name>東京都多摩東部</Name><Code type=\"震央地名\">351</Code>"
                 "</Area></Hypocenter><jmx_eb:Magnitude type=\"Mj\" description=\"Ｍ６．１\">6.1"
                 "</jmx_eb:Magnitude></Earthquake>\n",
                 origin, origin);
    }
    snprintf(d, 8192,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<Report xmlns=\"http://xml.kishou.go.jp/jmaxml1/\" "
             "xmlns:jmx=\"http://xml.kishou.go.jp/jmaxml1/\">\n"
             "<Control><Title>%s</Title><DateTime>2026-07-03T01:07:00Z</DateTime>"
             "<Status>%s</Status><EditorialOffice>気象庁本庁</EditorialOffice>"
             "<PublishingOffice>気象庁</PublishingOffice></Control>\n"
             "<Head xmlns=\"%s\"><Title>%s</Title><ReportDateTime>%s</ReportDateTime>"
             "<TargetDateTime>%s</TargetDateTime><EventID>20260703100512</EventID>"
             "<InfoType>%s</InfoType><Serial>1</Serial><InfoKind>地震情報</InfoKind>"
             "<InfoKindVersion>1.0_1</InfoKindVersion><Headline><Text>３日１０時０５分ころ、"
             "地震による強い揺れを感じました。</Text></Headline></Head>\n"
             "<Body xmlns=\"http://xml.kishou.go.jp/jmaxml1/body/seismology1/\" "
             "xmlns:jmx_eb=\"http://xml.kishou.go.jp/jmaxml1/elementBasis1/\">\n%s"
             "<Intensity><Observation><MaxInt>%s</MaxInt>"
             "<Pref><Name>東京都</Name><Code>13</Code><MaxInt>%s</MaxInt>"
             "<Area><Name>東京都２３区</Name><Code>350</Code><MaxInt>4</MaxInt></Area>"
             "<Area><Name>東京都多摩東部</Name><Code>%s</Code><MaxInt>%s</MaxInt>"
             "<City><Name>武蔵野市</Name><Code>1320300</Code><MaxInt>%s</MaxInt></City></Area>"
             "</Pref></Observation></Intensity>\n"
             "<Comments><ForecastComment codeType=\"固定付加文\"><Text>この地震による津波の心配は"
             "ありません。</Text><Code>0215</Code></ForecastComment></Comments>\n"
             "</Body></Report>\n",
             title, status, HEAD_NS, title, report, origin ? origin : report, info_type, eq, maxint,
             maxint, area_code, maxint, maxint);
    return d;
}

static char *vxse53(const char *status, const char *info_type, const char *area, const char *maxint)
{
    return quake_doc("震源・震度に関する情報", status, info_type, "2026-07-03T10:07:00+09:00",
                     "2026-07-03T10:05:00+09:00", area, maxint);
}

static char *tsunami_doc(const char *kind_name, const char *kind_code, const char *info_type)
{
    char *d = malloc(4096);
    snprintf(d, 4096,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<Report xmlns=\"http://xml.kishou.go.jp/jmaxml1/\">"
             "<Control><Title>津波警報・注意報・予報a</Title><DateTime>2026-07-03T01:00:00Z"
             "</DateTime><Status>通常</Status><EditorialOffice>気象庁本庁</EditorialOffice>"
             "<PublishingOffice>気象庁</PublishingOffice></Control>"
             "<Head xmlns=\"%s\"><Title>津波警報・注意報・予報</Title>"
             "<ReportDateTime>" REPORT "</ReportDateTime><TargetDateTime>" REPORT
             "</TargetDateTime><EventID>20260703095800</EventID><InfoType>%s</InfoType>"
             "<Serial/><InfoKind>津波警報・注意報・予報</InfoKind><InfoKindVersion>1.0_1"
             "</InfoKindVersion><Headline><Text>津波警報を発表しました。</Text></Headline></Head>"
             "<Body xmlns=\"http://xml.kishou.go.jp/jmaxml1/body/seismology1/\"><Tsunami>"
             "<Forecast><Item><Area><Name>伊豆諸島</Name><Code>320</Code></Area><Category>"
             "<Kind><Name>津波注意報</Name><Code>62</Code></Kind></Category></Item>"
             "<Item><Area><Name>東京湾内湾</Name><Code>300</Code></Area><Category>"
             "<Kind><Name>%s</Name><Code>%s</Code></Kind></Category></Item>"
             "</Forecast></Tsunami></Body></Report>",
             HEAD_NS, info_type, kind_name, kind_code);
    return d;
}

/* Judges `doc` (freed here) with `cfg` at T0 into a fresh update. */
static int judge(char *doc, const struct jma_config *cfg, struct safety_update *u)
{
    int rc;
    safety_update_init(u);
    logged[0] = '\0';
    rc = jma_judge(doc, strlen(doc), cfg, T0, u);
    free(doc);
    return rc;
}

static const struct feed_announcement *only(const struct safety_update *u)
{
    return ann_list_count(u->show) == 1 && u->n_clear == 0 ? ann_list_at(u->show, 0) : NULL;
}

static void a_warning_for_our_area_is_an_important_banner(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = musashino("大雨警報|03|発表;雷注意報|14|継続");
    jma_config_default(&cfg);
    CHECK(judge(warn_doc("通常", "発表", REPORT, items), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a);
    if (a) {
        CHECK(a->level == ANN_LEVEL_IMPORTANT);
        CHECK(strncmp(a->id, "jma.warn.1320300.", 17) == 0);
        CHECK(ann_id_valid(a->id));
        /* the advisory is left out by default; JMA's words, area, time and source shown */
        CHECK(strstr(a->text.ja, "大雨警報（武蔵野市）\n"));
        CHECK(!strstr(a->text.ja, "雷注意報"));
        CHECK(strstr(a->text.ja, "土砂災害に警戒してください。"));
        CHECK(strstr(a->text.ja, "7月3日 10時00分 気象庁発表"));
        CHECK(!strstr(a->text.ja, "訓練"));
        CHECK(a->starts_at == T0 - 1800);
        CHECK(a->ends_at == T0 - 1800 + JMA_WARN_MAX_AGE_DEFAULT);
        CHECK(a->source == ANN_SOURCE_FEED);
    }
    free(items);
    safety_update_free(&u);
}

static void a_special_warning_is_an_emergency(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = musashino("大雨特別警報|33|発表;洪水警報|04|継続");
    jma_config_default(&cfg);
    CHECK(judge(warn_doc("通常", "発表", REPORT, items), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && a->level == ANN_LEVEL_EMERGENCY);
    CHECK(a && strstr(a->text.ja, "大雨特別警報・洪水警報（武蔵野市）"));
    free(items);
    safety_update_free(&u);
}

static void an_update_replaces_and_a_clearance_takes_the_banner_down(void)
{
    struct jma_config cfg;
    struct safety_update u;
    struct ann_list *held = ann_list_create();
    char *issued = musashino("大雨警報|03|発表");
    char *updated = musashino("大雨警報|03|継続;洪水警報|04|発表");
    char *cleared = musashino("大雨警報|03|解除;洪水警報|04|解除");
    jma_config_default(&cfg);

    CHECK(judge(warn_doc("通常", "発表", REPORT, issued), &cfg, &u) == 0);
    CHECK(safety_update_apply(&u, held) == 0);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 1);

    CHECK(judge(warn_doc("通常", "発表", "2026-07-03T10:20:00+09:00", updated), &cfg, &u) == 0);
    CHECK(safety_update_apply(&u, held) == 0);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 1);
    CHECK(strstr(ann_list_at(held, 0)->text.ja, "大雨警報・洪水警報（武蔵野市）"));

    CHECK(judge(warn_doc("通常", "発表", "2026-07-03T10:25:00+09:00", cleared), &cfg, &u) == 0);
    CHECK(ann_list_count(u.show) == 0 && u.n_clear == 1);
    CHECK(safety_update_apply(&u, held) == 0);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 0);

    free(issued);
    free(updated);
    free(cleared);
    ann_list_free(held);
}

static void advisories_are_shown_only_when_the_config_asks(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = musashino("大雨注意報|10|警報から注意報;雷注意報|14|継続");
    jma_config_default(&cfg);
    /* a warning turned advisory ends the banner when advisories are not shown */
    CHECK(judge(warn_doc("通常", "発表", REPORT, items), &cfg, &u) == 0);
    CHECK(ann_list_count(u.show) == 0 && u.n_clear == 1);
    safety_update_free(&u);

    cfg.show_advisories = true;
    CHECK(judge(warn_doc("通常", "発表", REPORT, items), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && a->level == ANN_LEVEL_NORMAL);
    CHECK(a && strstr(a->text.ja, "大雨注意報・雷注意報（武蔵野市）"));
    free(items);
    safety_update_free(&u);
}

static void a_warning_for_another_area_changes_nothing(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = item("三鷹市", "1320400", "大雨特別警報|33|発表");
    jma_config_default(&cfg);
    CHECK(judge(warn_doc("通常", "発表", REPORT, items), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    CHECK(strcmp(u.why, "another area") == 0);
    free(items);
    safety_update_free(&u);
}

static void intensity_5_lower_or_more_in_our_area_is_an_emergency(void)
{
    struct jma_config cfg;
    struct safety_update u;
    jma_config_default(&cfg);
    CHECK(judge(vxse53("通常", "発表", "351", "5+"), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && a->level == ANN_LEVEL_EMERGENCY);
    if (a) {
        CHECK(strcmp(a->id, "jma.quake.20260703100512") == 0);
        CHECK(strstr(a->text.ja, "震度5強（東京都多摩東部）\n"));
        CHECK(strstr(a->text.ja, "３日１０時０５分ころ"));
        CHECK(strstr(a->text.ja, "7月3日 10時07分 気象庁発表"));
        /* shown for the maximum age counted from the quake itself */
        CHECK(a->ends_at == T0 - 1500 + JMA_QUAKE_MAX_AGE_DEFAULT);
    }
    safety_update_free(&u);

    /* 震度速報 has no Earthquake element: the observation time counts */
    CHECK(
        judge(quake_doc("震度速報", "通常", "発表", "2026-07-03T10:06:00+09:00", NULL, "351", "5-"),
              &cfg, &u) == 0);
    a = only(&u);
    CHECK(a && a->level == ANN_LEVEL_EMERGENCY && strstr(a->text.ja, "震度5弱"));
    CHECK(a && strcmp(a->id, "jma.quake.20260703100512") == 0);
    safety_update_free(&u);
}

static void a_quake_elsewhere_or_below_5_lower_changes_nothing(void)
{
    struct jma_config cfg;
    struct safety_update u;
    jma_config_default(&cfg);
    CHECK(judge(vxse53("通常", "発表", "352", "6+"), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strcmp(u.why, "another area") == 0);
    safety_update_free(&u);
    CHECK(judge(vxse53("通常", "発表", "351", "4"), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "below"));
    safety_update_free(&u);
    CHECK(judge(vxse53("通常", "発表", "351", "５強"), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
}

static void a_drill_is_shown_only_in_drill_mode_under_its_mark(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = musashino("大雨特別警報|33|発表");
    jma_config_default(&cfg);
    CHECK(judge(warn_doc("訓練", "発表", REPORT, items), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "drill"));
    safety_update_free(&u);

    cfg.drill_mode = true;
    CHECK(judge(warn_doc("訓練", "発表", REPORT, items), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && strncmp(a->text.ja, "【訓練】大雨特別警報", strlen("【訓練】大雨特別警報")) == 0);
    CHECK(a && strncmp(a->id, "jma-drill.warn.", 15) == 0);
    safety_update_free(&u);

    CHECK(judge(vxse53("訓練", "発表", "351", "7"), &cfg, &u) == 0);
    a = only(&u);
    CHECK(a && strncmp(a->text.ja, "【訓練】震度7", strlen("【訓練】震度7")) == 0);
    safety_update_free(&u);
    free(items);
}

static void a_test_message_is_never_shown(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = musashino("大雨特別警報|33|発表");
    jma_config_default(&cfg);
    cfg.drill_mode = true;
    CHECK(judge(warn_doc("試験", "発表", REPORT, items), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "試験"));
    safety_update_free(&u);
    CHECK(judge(vxse53("試験", "発表", "351", "7"), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
    free(items);
}

static void a_cancellation_removes_what_it_cancels(void)
{
    struct jma_config cfg;
    struct safety_update u;
    struct ann_list *held = ann_list_create();
    char *items = musashino("大雨警報|03|発表");
    jma_config_default(&cfg);

    CHECK(judge(vxse53("通常", "発表", "351", "6-"), &cfg, &u) == 0);
    safety_update_apply(&u, held);
    safety_update_free(&u);
    CHECK(judge(warn_doc("通常", "発表", REPORT, items), &cfg, &u) == 0);
    safety_update_apply(&u, held);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 2);

    CHECK(judge(vxse53("通常", "取消", "351", "6-"), &cfg, &u) == 0);
    CHECK(u.n_clear == 1 && strcmp(u.clear[0], "jma.quake.20260703100512") == 0);
    safety_update_apply(&u, held);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 1);

    CHECK(judge(warn_doc("通常", "取消", REPORT, items), &cfg, &u) == 0);
    safety_update_apply(&u, held);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 0);
    free(items);
    ann_list_free(held);
}

static void a_drill_cancellation_never_touches_a_real_banner(void)
{
    struct jma_config cfg;
    struct safety_update u;
    jma_config_default(&cfg);
    cfg.drill_mode = true;
    CHECK(judge(vxse53("訓練", "取消", "351", "6-"), &cfg, &u) == 0);
    CHECK(u.n_clear == 1 && strncmp(u.clear[0], "jma-drill.", 10) == 0);
    safety_update_free(&u);
}

static void stale_documents_change_nothing(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = musashino("大雨警報|03|発表");
    jma_config_default(&cfg);
    /* a quake seven hours ago: past the 6-hour maximum age */
    CHECK(judge(quake_doc("震源・震度に関する情報", "通常", "発表", "2026-07-03T03:32:00+09:00",
                          "2026-07-03T03:29:00+09:00", "351", "6+"),
                &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "maximum age"));
    safety_update_free(&u);
    /* a warning report two days old */
    CHECK(judge(warn_doc("通常", "発表", "2026-07-01T10:00:00+09:00", items), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
    /* past its ValidDateTime */
    char *doc = warn_doc("通常", "発表", REPORT, items);
    char *at = strstr(doc, "<EventID/>");
    size_t n = strlen(doc) + 100;
    char *with = malloc(n);
    snprintf(with, n, "%.*s<ValidDateTime>2026-07-03T10:10:00+09:00</ValidDateTime>%s",
             (int)(at - doc), doc, at);
    free(doc);
    CHECK(judge(with, &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "ValidDateTime"));
    safety_update_free(&u);
    /* dated a day ahead: a wrong clock somewhere shows nothing rather than something stuck */
    CHECK(judge(warn_doc("通常", "発表", "2026-07-04T10:00:00+09:00", items), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "ahead"));
    safety_update_free(&u);
    free(items);
}

static void malformed_documents_change_nothing_and_are_logged(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char *items = musashino("大雨特別警報|33|発表");
    char *good = warn_doc("通常", "発表", REPORT, items);
    jma_config_default(&cfg);

    /* cut in the middle */
    char *cut = strndup(good, strlen(good) / 2);
    CHECK(judge(cut, &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u) && strstr(logged, "not well-formed"));
    safety_update_free(&u);

    /* a status JMA does not use */
    CHECK(judge(warn_doc("本番", "発表", REPORT, items), &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u) && strstr(logged, "Control/Status"));
    safety_update_free(&u);

    /* no issue time */
    CHECK(judge(warn_doc("通常", "発表", "明日", items), &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u) && strstr(logged, "ReportDateTime"));
    safety_update_free(&u);

    /* another namespace: not JMA's */
    char *other = strdup(good);
    memcpy(strstr(other, "kishou"), "kisyou", 6);
    CHECK(judge(other, &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u) && strstr(logged, "not a JMA report"));
    safety_update_free(&u);

    CHECK(judge(strdup(""), &cfg, &u) == -EINVAL);
    safety_update_free(&u);
    free(good);
    free(items);
}

static void an_oversized_document_is_refused_unread(void)
{
    struct jma_config cfg;
    struct safety_update u;
    size_t n = JMA_MAX_BYTES + 1;
    char *items = musashino("大雨特別警報|33|発表");
    char *good = warn_doc("通常", "発表", REPORT, items);
    char *big = malloc(n + 1);
    jma_config_default(&cfg);
    memset(big, ' ', n);
    memcpy(big, good, strlen(good));
    big[n] = '\0';
    CHECK(judge(big, &cfg, &u) == -EFBIG);
    CHECK(safety_update_empty(&u) && strstr(u.why, "larger than"));
    safety_update_free(&u);
    free(good);
    free(items);
}

static void entity_bombs_and_external_entities_are_refused(void)
{
    struct jma_config cfg;
    struct safety_update u;
    char doc[4096];
    size_t used;
    clock_t t0 = clock();
    jma_config_default(&cfg);

    used = (size_t)snprintf(doc, sizeof doc,
                            "<?xml version=\"1.0\"?>\n<!DOCTYPE Report [\n"
                            "<!ENTITY lol \"lol\">\n");
    for (int i = 1; i < 10; i++) {
        used += (size_t)snprintf(doc + used, sizeof doc - used, "<!ENTITY lol%d \"", i);
        for (int j = 0; j < 10; j++) {
            if (i == 1) {
                used += (size_t)snprintf(doc + used, sizeof doc - used, "&lol;");
            } else {
                used += (size_t)snprintf(doc + used, sizeof doc - used, "&lol%d;", i - 1);
            }
        }
        used += (size_t)snprintf(doc + used, sizeof doc - used, "\">\n");
    }
    snprintf(doc + used, sizeof doc - used,
             "]>\n<Report xmlns=\"http://xml.kishou.go.jp/jmaxml1/\"><Control><Title>"
             "&lol9;</Title></Control></Report>\n");
    CHECK(judge(strdup(doc), &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u) && strstr(u.why, "DOCTYPE"));
    safety_update_free(&u);

    CHECK(judge(strdup("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                       "\"file:///etc/passwd\">]><Report>&x;</Report>"),
                &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
    /* refused before any expansion: well under a second */
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
}

static void a_tsunami_is_off_by_default_and_judged_for_the_configured_coast(void)
{
    struct jma_config cfg;
    struct safety_update u;
    jma_config_default(&cfg);
    CHECK(judge(tsunami_doc("津波警報", "51", "発表"), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "off"));
    safety_update_free(&u);

    cfg.tsunami_area = "300";
    CHECK(judge(tsunami_doc("津波警報", "51", "発表"), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && a->level == ANN_LEVEL_EMERGENCY && strstr(a->text.ja, "津波警報（東京湾内湾）"));
    CHECK(a && strcmp(a->id, "jma.tsunami.300") == 0);
    safety_update_free(&u);

    CHECK(judge(tsunami_doc("津波注意報", "62", "発表"), &cfg, &u) == 0);
    a = only(&u);
    CHECK(a && a->level == ANN_LEVEL_IMPORTANT);
    safety_update_free(&u);

    CHECK(judge(tsunami_doc("警報解除", "50", "発表"), &cfg, &u) == 0);
    CHECK(ann_list_count(u.show) == 0 && u.n_clear == 1);
    safety_update_free(&u);

    cfg.tsunami_area = "301";
    CHECK(judge(tsunami_doc("津波警報", "51", "発表"), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
}

static const char ATOM[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" lang=\"ja\">\n"
    "<title>高頻度（随時）</title><subtitle>JMAXML publishing feed</subtitle>\n"
    "<updated>2026-07-03T01:01:00+09:00</updated><id>urn:uuid:feed</id>\n"
    "<link href=\"https://www.data.jma.go.jp/developer/xml/feed/extra.xml\" rel=\"self\"/>\n"
    "<entry><title>気象警報・注意報（Ｈ２７）</title><id>urn:uuid:a1</id>"
    "<updated>2026-07-03T01:00:32Z</updated><author><name>気象庁</name></author>"
    "<link type=\"application/xml\" href=\"https://www.data.jma.go.jp/developer/xml/data/"
    "20260703010032_0_VPWW54_130000.xml\"/><content type=\"text\">【東京都気象警報・注意報】"
    "</content></entry>\n"
    "<entry><title>気象警報・注意報（Ｈ２７）</title><id>urn:uuid:a2</id>"
    "<updated>2026-07-03T01:00:33Z</updated><author><name>熊本地方気象台</name></author>"
    "<link type=\"application/xml\" href=\"https://www.data.jma.go.jp/developer/xml/data/"
    "20260703010033_0_VPWW54_430000.xml\"/></entry>\n"
    "<entry><title>震度速報</title><id>urn:uuid:a3</id><updated>2026-07-03T01:06:00Z</updated>"
    "<link type=\"application/xml\" href=\"https://www.data.jma.go.jp/developer/xml/data/"
    "20260703010600_0_VXSE51_010000.xml\"/></entry>\n"
    "<entry><title>震源・震度に関する情報</title><id>urn:uuid:a4</id>"
    "<updated>2026-07-03T01:07:00Z</updated><link type=\"application/xml\" "
    "href=\"https://www.data.jma.go.jp/developer/xml/data/20260703010700_0_VXSE53_010000.xml\"/>"
    "</entry>\n"
    "<entry><title>府県天気予報（Ｒ１）</title><id>urn:uuid:a5</id>"
    "<updated>2026-07-03T01:07:00Z</updated><link type=\"application/xml\" "
    "href=\"https://www.data.jma.go.jp/developer/xml/data/20260703010700_0_VPFD51_130000.xml\"/>"
    "</entry>\n"
    "<entry><title>震度速報</title><id>urn:uuid:a6</id><updated>2026-07-03T01:06:00Z</updated>"
    "<link href=\"http://example.org/20260703010600_0_VXSE51_010000.xml\"/></entry>\n"
    "</feed>\n";

static bool seen_a4(void *ctx, const char *id)
{
    (void)ctx;
    return strcmp(id, "urn:uuid:a4") == 0;
}

static void the_atom_feed_lists_unseen_documents_of_our_kinds(void)
{
    struct jma_config cfg;
    struct jma_entry e[8];
    jma_config_default(&cfg);
    int n = jma_atom_parse(ATOM, strlen(ATOM), &cfg, NULL, NULL, e, 8);
    /* Kumamoto's warnings, the forecast and the plain-http link are left out */
    CHECK(n == 3);
    if (n == 3) {
        CHECK(strcmp(e[0].id, "urn:uuid:a1") == 0 && e[0].kind == JMA_KIND_WARNING);
        CHECK(strcmp(e[0].office, "130000") == 0 && strcmp(e[0].code, "VPWW54") == 0);
        CHECK(strstr(e[0].url, "_VPWW54_130000.xml"));
        CHECK(e[0].updated == INT64_C(1783040432));
        CHECK(e[1].kind == JMA_KIND_QUAKE && e[2].kind == JMA_KIND_QUAKE_HYP);
    }
    n = jma_atom_parse(ATOM, strlen(ATOM), &cfg, seen_a4, NULL, e, 8);
    CHECK(n == 2);
    n = jma_atom_parse(ATOM, strlen(ATOM), &cfg, NULL, NULL, e, 1);
    CHECK(n == 1);
    CHECK(jma_atom_parse("<feed/>", 7, &cfg, NULL, NULL, e, 8) == -EINVAL);
}

static void recorded_jma_documents_are_read_when_present(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/jma/VPWW54_130000.xml", KIOSK_TESTDATA);
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("  skipped: %s absent\n", path);
        return;
    }
    static char buf[JMA_MAX_BYTES + 1];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct jma_config cfg;
    struct safety_update u;
    jma_config_default(&cfg);
    safety_update_init(&u);
    CHECK(jma_judge(buf, n, &cfg, T0, &u) == 0);
    safety_update_free(&u);
}

int main(void)
{
    log_set_level(LOG_LEVEL_INFO);
    log_set_sink(sink, NULL);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(a_warning_for_our_area_is_an_important_banner);
    RUN(a_special_warning_is_an_emergency);
    RUN(an_update_replaces_and_a_clearance_takes_the_banner_down);
    RUN(advisories_are_shown_only_when_the_config_asks);
    RUN(a_warning_for_another_area_changes_nothing);
    RUN(intensity_5_lower_or_more_in_our_area_is_an_emergency);
    RUN(a_quake_elsewhere_or_below_5_lower_changes_nothing);
    RUN(a_drill_is_shown_only_in_drill_mode_under_its_mark);
    RUN(a_test_message_is_never_shown);
    RUN(a_cancellation_removes_what_it_cancels);
    RUN(a_drill_cancellation_never_touches_a_real_banner);
    RUN(stale_documents_change_nothing);
    RUN(malformed_documents_change_nothing_and_are_logged);
    RUN(an_oversized_document_is_refused_unread);
    RUN(entity_bombs_and_external_entities_are_refused);
    RUN(a_tsunami_is_off_by_default_and_judged_for_the_configured_coast);
    RUN(the_atom_feed_lists_unseen_documents_of_our_kinds);
    RUN(recorded_jma_documents_are_read_when_present);
    TEST_MAIN_END();
}
