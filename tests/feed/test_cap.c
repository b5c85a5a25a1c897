/* test_cap: CAP 1.2 alerts judged for Musashino (geocode 13203), one rule a test.
 *
 * The alerts are written here in the shape Lアラート bridges and public CAP feeds use. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feed/cap.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define T0 INT64_C(1783042200) /* 2026-07-03T10:30:00+09:00 */
#define SENT "2026-07-03T10:00:00+09:00"
#define LATER "2026-07-03T22:00:00+09:00"
#define EARLIER "2026-07-03T10:20:00+09:00"
#define SENDER "city.musashino.lg.jp"

static const char MUSASHINO_AREA[] =
    "<area><areaDesc>武蔵野市</areaDesc><geocode><valueName>JIS X0402</valueName>"
    "<value>132039</value></geocode></area>";
static const char MITAKA_AREA[] =
    "<area><areaDesc>三鷹市</areaDesc><geocode><valueName>JIS X0402</valueName>"
    "<value>132047</value></geocode></area>";

static char *info(const char *lang, const char *severity, const char *urgency, const char *expires,
                  const char *headline, const char *area)
{
    char *d = malloc(4096);
    char exp[128] = "";
    if (expires) {
        snprintf(exp, sizeof exp, "<expires>%s</expires>", expires);
    }
    snprintf(d, 4096,
             "<info><language>%s</language><category>Safety</category>"
             "<event>避難指示</event><responseType>Evacuate</responseType>"
             "<urgency>%s</urgency><severity>%s</severity><certainty>Observed</certainty>"
             "%s<senderName>武蔵野市</senderName><headline>%s</headline>"
             "<description>土砂災害の危険が高まっています。</description>%s</info>",
             lang, urgency, severity, exp, headline, area);
    return d;
}

static char *alert(const char *status, const char *msg_type, const char *ident, const char *refs,
                   char *info1, char *info2)
{
    char *d = malloc(16384);
    char ref[512] = "";
    if (refs) {
        snprintf(ref, sizeof ref, "<references>%s</references>", refs);
    }
    snprintf(d, 16384,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
             "<identifier>%s</identifier><sender>" SENDER "</sender><sent>" SENT "</sent>"
             "<status>%s</status><msgType>%s</msgType><scope>Public</scope>%s%s%s</alert>\n",
             ident, status, msg_type, ref, info1 ? info1 : "", info2 ? info2 : "");
    free(info1);
    free(info2);
    return d;
}

static char *evacuation(const char *status, const char *msg_type, const char *ident,
                        const char *refs)
{
    return alert(status, msg_type, ident, refs,
                 info("ja-JP", "Severe", "Immediate", LATER, "武蔵野市に避難指示", MUSASHINO_AREA),
                 NULL);
}

static int judge(char *doc, const struct cap_config *cfg, struct safety_update *u)
{
    int rc;
    safety_update_init(u);
    rc = cap_judge(doc, strlen(doc), cfg, T0, u);
    free(doc);
    return rc;
}

static const struct feed_announcement *only(const struct safety_update *u)
{
    return ann_list_count(u->show) == 1 ? ann_list_at(u->show, 0) : NULL;
}

static void an_actual_alert_for_our_area_is_shown_with_its_own_text(void)
{
    struct cap_config cfg;
    struct safety_update u;
    cap_config_default(&cfg);
    CHECK(judge(evacuation("Actual", "Alert", "A-1", NULL), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && u.n_clear == 0);
    if (a) {
        CHECK(a->level == ANN_LEVEL_EMERGENCY);
        CHECK(strncmp(a->id, "cap.", 4) == 0 && ann_id_valid(a->id));
        CHECK(strstr(a->text.ja, "武蔵野市に避難指示（武蔵野市）\n"));
        CHECK(strstr(a->text.ja, "土砂災害の危険が高まっています。"));
        CHECK(strstr(a->text.ja, "7月3日 10時00分 武蔵野市"));
        CHECK(!a->text.en);
        CHECK(a->starts_at == T0 - 1800);
        CHECK(a->ends_at == T0 + 11 * 3600 + 1800);
    }
    safety_update_free(&u);
}

static void severity_and_urgency_give_the_level(void)
{
    static const struct {
        const char *sev, *urg;
        int level;
    } table[] = {
        {"Extreme", "Expected", ANN_LEVEL_EMERGENCY},
        {"Severe", "Immediate", ANN_LEVEL_EMERGENCY},
        {"Severe", "Expected", ANN_LEVEL_IMPORTANT},
        {"Moderate", "Future", ANN_LEVEL_IMPORTANT},
        {"Unknown", "Unknown", ANN_LEVEL_IMPORTANT},
        {"Minor", "Expected", ANN_LEVEL_NORMAL},
        {"Extreme", "Past", -1},
    };
    struct cap_config cfg;
    cap_config_default(&cfg);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        struct safety_update u;
        CHECK(judge(alert("Actual", "Alert", "A-2", NULL,
                          info("ja", table[i].sev, table[i].urg, LATER, "見出し", MUSASHINO_AREA),
                          NULL),
                    &cfg, &u) == 0);
        const struct feed_announcement *a = only(&u);
        if (table[i].level < 0) {
            CHECK(!a);
        } else {
            CHECK(a && (int)a->level == table[i].level);
        }
        safety_update_free(&u);
    }
}

static void the_japanese_info_comes_first_and_english_goes_to_text_en(void)
{
    struct cap_config cfg;
    struct safety_update u;
    cap_config_default(&cfg);
    CHECK(
        judge(alert("Actual", "Alert", "A-3", NULL,
                    info("en-US", "Severe", "Immediate", LATER, "Evacuation order", MUSASHINO_AREA),
                    info("ja-JP", "Severe", "Immediate", LATER, "避難指示", MUSASHINO_AREA)),
              &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && strncmp(a->text.ja, "避難指示", strlen("避難指示")) == 0);
    CHECK(a && a->text.en && strncmp(a->text.en, "Evacuation order", 16) == 0);
    safety_update_free(&u);
}

static void exercises_only_in_drill_mode_and_tests_never(void)
{
    struct cap_config cfg;
    struct safety_update u;
    cap_config_default(&cfg);
    CHECK(judge(evacuation("Exercise", "Alert", "A-4", NULL), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
    cfg.drill_mode = true;
    CHECK(judge(evacuation("Exercise", "Alert", "A-4", NULL), &cfg, &u) == 0);
    const struct feed_announcement *a = only(&u);
    CHECK(a && strncmp(a->text.ja, "【訓練】", strlen("【訓練】")) == 0);
    CHECK(a && strncmp(a->id, "cap-drill.", 10) == 0);
    safety_update_free(&u);
    CHECK(judge(evacuation("Test", "Alert", "A-5", NULL), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "never"));
    safety_update_free(&u);
    CHECK(judge(evacuation("Draft", "Alert", "A-5", NULL), &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
}

static void update_replaces_and_cancel_removes_by_reference(void)
{
    struct cap_config cfg;
    struct safety_update u;
    struct ann_list *held = ann_list_create();
    char first_id[64];
    cap_config_default(&cfg);

    CHECK(judge(evacuation("Actual", "Alert", "A-6", NULL), &cfg, &u) == 0);
    safety_update_apply(&u, held);
    snprintf(first_id, sizeof first_id, "%s", ann_list_at(u.show, 0)->id);
    safety_update_free(&u);

    CHECK(judge(evacuation("Actual", "Update", "A-7", SENDER ",A-6," SENT), &cfg, &u) == 0);
    CHECK(u.n_clear == 1 && strcmp(u.clear[0], first_id) == 0);
    safety_update_apply(&u, held);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 1 && strcmp(ann_list_at(held, 0)->id, first_id) != 0);

    CHECK(judge(alert("Actual", "Cancel", "A-8", SENDER ",A-7," SENT, NULL, NULL), &cfg, &u) == 0);
    CHECK(ann_list_count(u.show) == 0 && u.n_clear == 1);
    safety_update_apply(&u, held);
    safety_update_free(&u);
    CHECK(ann_list_count(held) == 0);
    ann_list_free(held);
}

static void expired_alerts_change_nothing(void)
{
    struct cap_config cfg;
    struct safety_update u;
    cap_config_default(&cfg);
    CHECK(
        judge(alert("Actual", "Alert", "A-9", NULL,
                    info("ja", "Extreme", "Immediate", EARLIER, "避難指示", MUSASHINO_AREA), NULL),
              &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strcmp(u.why, "expired") == 0);
    safety_update_free(&u);
    /* no expires: the maximum age counts from sent */
    cfg.max_age_s = 600;
    CHECK(judge(alert("Actual", "Alert", "A-9", NULL,
                      info("ja", "Extreme", "Immediate", NULL, "避難指示", MUSASHINO_AREA), NULL),
                &cfg, &u) == 0);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
    /* sent in the far future, expiring before it was sent */
    char *future = evacuation("Actual", "Alert", "A-9", NULL);
    memcpy(strstr(future, "<sent>2026") + 6, "8641", 4);
    cfg.max_age_s = CAP_MAX_AGE_DEFAULT;
    CHECK(judge(future, &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strstr(u.why, "ahead"));
    safety_update_free(&u);
}

static void areas_are_matched_by_geocode_and_unlocated_by_the_switch(void)
{
    struct cap_config cfg;
    struct safety_update u;
    cap_config_default(&cfg);
    CHECK(judge(alert("Actual", "Alert", "A-10", NULL,
                      info("ja", "Extreme", "Immediate", LATER, "避難指示", MITAKA_AREA), NULL),
                &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strcmp(u.why, "another area") == 0);
    safety_update_free(&u);

    CHECK(judge(alert("Actual", "Alert", "A-11", NULL,
                      info("ja", "Extreme", "Immediate", LATER, "全国の警報", ""), NULL),
                &cfg, &u) == 0);
    CHECK(safety_update_empty(&u) && strcmp(u.why, "no area") == 0);
    safety_update_free(&u);
    cfg.show_unlocated = true;
    CHECK(judge(alert("Actual", "Alert", "A-11", NULL,
                      info("ja", "Extreme", "Immediate", LATER, "全国の警報", ""), NULL),
                &cfg, &u) == 0);
    CHECK(only(&u));
    safety_update_free(&u);

    /* the JMA 7-digit code names the same municipality */
    cfg.area_code = "1320300";
    CHECK(judge(evacuation("Actual", "Alert", "A-12", NULL), &cfg, &u) == 0);
    CHECK(only(&u));
    safety_update_free(&u);
}

static void a_feed_of_inline_alerts_is_judged_alert_by_alert(void)
{
    struct cap_config cfg;
    struct safety_update u;
    char *one = evacuation("Actual", "Alert", "F-1", NULL);
    char *two = alert("Actual", "Alert", "F-2", NULL,
                      info("ja", "Extreme", "Immediate", LATER, "三鷹", MITAKA_AREA), NULL);
    char *bad = strdup("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><status>Actual"
                       "</status></alert>");
    char *feed = malloc(40000);
    cap_config_default(&cfg);
    /* drop the XML declarations to inline them */
    snprintf(feed, 40000,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
             "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>武蔵野市 CAP</title>"
             "<entry><id>e1</id><content type=\"application/cap+xml\">%s</content></entry>"
             "<entry><id>e2</id><content type=\"application/cap+xml\">%s</content></entry>"
             "<entry><id>e3</id><content type=\"application/cap+xml\">%s</content></entry>"
             "<entry><id>e4</id><link href=\"https://gw.example.jp/cap/4.xml\"/></entry>"
             "</feed>",
             strchr(one, '\n') + 1, strchr(two, '\n') + 1, bad);
    CHECK(judge(strdup(feed), &cfg, &u) == 0);
    CHECK(only(&u) && strstr(only(&u)->text.ja, "武蔵野市に避難指示"));
    safety_update_free(&u);

    struct cap_link links[4];
    CHECK(cap_feed_links(feed, strlen(feed), &cfg, links, 4) == 1);
    CHECK(strcmp(links[0].id, "e4") == 0 && strstr(links[0].url, "4.xml"));

    char *rss = malloc(40000);
    snprintf(rss, 40000,
             "<rss version=\"2.0\"><channel><title>t</title><item>%s</item>"
             "<item><guid>g2</guid><link>https://gw.example.jp/cap/2.xml</link></item>"
             "</channel></rss>",
             strchr(one, '\n') + 1);
    CHECK(judge(strdup(rss), &cfg, &u) == 0);
    CHECK(only(&u));
    safety_update_free(&u);
    CHECK(cap_feed_links(rss, strlen(rss), &cfg, links, 4) == 1);
    CHECK(strcmp(links[0].id, "g2") == 0);
    free(rss);
    free(feed);
    free(one);
    free(two);
    free(bad);
}

static void malformed_oversized_and_bombs_change_nothing(void)
{
    struct cap_config cfg;
    struct safety_update u;
    cap_config_default(&cfg);
    CHECK(judge(strdup("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>"), &cfg,
                &u) == -EINVAL);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
    CHECK(judge(evacuation("Real", "Alert", "M-1", NULL), &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u) && strstr(u.why, "status"));
    safety_update_free(&u);
    CHECK(judge(evacuation("Actual", "Shout", "M-2", NULL), &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
    CHECK(judge(strdup("<html><body>gateway error</body></html>"), &cfg, &u) == -EINVAL);
    safety_update_free(&u);
    CHECK(judge(strdup("<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY a \"aaaaaaaaaa\">"
                       "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                       "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&b;</alert>"),
                &cfg, &u) == -EINVAL);
    CHECK(safety_update_empty(&u) && strstr(u.why, "DOCTYPE"));
    safety_update_free(&u);
    cfg.max_bytes = 100;
    CHECK(judge(evacuation("Actual", "Alert", "M-3", NULL), &cfg, &u) == -EFBIG);
    CHECK(safety_update_empty(&u));
    safety_update_free(&u);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(an_actual_alert_for_our_area_is_shown_with_its_own_text);
    RUN(severity_and_urgency_give_the_level);
    RUN(the_japanese_info_comes_first_and_english_goes_to_text_en);
    RUN(exercises_only_in_drill_mode_and_tests_never);
    RUN(update_replaces_and_cancel_removes_by_reference);
    RUN(expired_alerts_change_nothing);
    RUN(areas_are_matched_by_geocode_and_unlocated_by_the_switch);
    RUN(a_feed_of_inline_alerts_is_judged_alert_by_alert);
    RUN(malformed_oversized_and_bombs_change_nothing);
    TEST_MAIN_END();
}
