/* test_safety_poll: the rounds over the safety feeds with a scripted server: conditional
 * GETs, at most once a minute, only unseen entries, retries of what failed, backoff; and the
 * libcurl fetcher's size cap over file://. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net/safety_poll.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

#define T0 INT64_C(1783042200) /* 2026-07-03T10:30:00+09:00 */
#define FEED "https://jma.test/extra.xml"
#define DOC1 "https://jma.test/data/20260703010032_0_VPWW54_130000.xml"
#define DOC2 "https://jma.test/data/20260703012032_0_VPWW54_130000.xml"

struct route {
    const char *url;
    long status;
    const char *body;
    const char *etag;
};

struct server {
    struct route routes[8];
    size_t n_routes;
    char log[16][160]; /* "url|etag sent" */
    size_t n_log;
};

static void fake_fetch(void *ctx, const char *url, const char *etag, const char *last_modified,
                       size_t max, struct safety_fetched *out)
{
    struct server *sv = ctx;
    (void)last_modified;
    (void)max;
    if (sv->n_log < 16) {
        snprintf(sv->log[sv->n_log++], 160, "%s|%s", url, etag ? etag : "");
    }
    for (size_t i = 0; i < sv->n_routes; i++) {
        const struct route *r = &sv->routes[i];
        if (strcmp(r->url, url) != 0) {
            continue;
        }
        if (r->etag && etag && strcmp(r->etag, etag) == 0) {
            out->status = 304;
            return;
        }
        out->status = r->status;
        if (r->status == 200) {
            out->body = strdup(r->body);
            out->len = strlen(r->body);
        }
        snprintf(out->etag, sizeof out->etag, "%s", r->etag ? r->etag : "");
        return;
    }
    out->status = 404;
}

static void route(struct server *sv, const char *url, long status, const char *body,
                  const char *etag)
{
    for (size_t i = 0; i < sv->n_routes; i++) {
        if (strcmp(sv->routes[i].url, url) == 0) {
            sv->routes[i] = (struct route){url, status, body, etag};
            return;
        }
    }
    sv->routes[sv->n_routes++] = (struct route){url, status, body, etag};
}

static char *atom(const char *const *urls, size_t n)
{
    char *d = malloc(8192);
    size_t used = (size_t)snprintf(d, 8192,
                                   "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>随時</title>"
                                   "<id>urn:uuid:f</id>");
    /* newest first, as JMA lists them */
    for (size_t i = n; i-- > 0;) {
        used +=
            (size_t)snprintf(d + used, 8192 - used,
                             "<entry><title>気象警報・注意報（Ｈ２７）</title><id>urn:uuid:%zu</id>"
                             "<link type=\"application/xml\" href=\"%s\"/></entry>",
                             i, urls[i]);
    }
    snprintf(d + used, 8192 - used, "</feed>");
    return d;
}

static char *warning(const char *kind, const char *status, const char *report)
{
    char *d = malloc(4096);
    snprintf(d, 4096,
             "<Report xmlns=\"http://xml.kishou.go.jp/jmaxml1/\"><Control><Title>"
             "気象警報・注意報（Ｈ２７）</Title><Status>通常</Status><PublishingOffice>気象庁"
             "</PublishingOffice></Control><Head xmlns=\"http://xml.kishou.go.jp/jmaxml1/"
             "informationBasis1/\"><ReportDateTime>%s</ReportDateTime><InfoType>発表</InfoType>"
             "<Headline><Text>警戒してください。</Text></Headline></Head><Body xmlns=\"http://"
             "xml.kishou.go.jp/jmaxml1/body/meteorology1/\"><Warning type=\"気象警報・注意報"
             "（市町村等）\"><Item><Kind><Name>%s</Name><Status>%s</Status></Kind><Area><Name>"
             "武蔵野市</Name><Code>1320300</Code></Area></Item></Warning></Body></Report>",
             report, kind, status);
    return d;
}

static struct safety_poll *make_poll(struct server *sv)
{
    struct safety_poll_opts o;
    memset(&o, 0, sizeof o);
    o.n_feeds = 1;
    o.urls[0] = FEED;
    o.types[0] = SAFETY_FEED_JMA;
    jma_config_default(&o.jma);
    cap_config_default(&o.cap);
    o.interval_s = 10; /* raised to a minute */
    return safety_poll_create(&o, fake_fetch, sv);
}

static void a_new_entry_is_fetched_once_and_the_feed_asked_conditionally(void)
{
    struct server sv;
    const char *urls[] = {DOC1, DOC2};
    char *feed1 = atom(urls, 1), *feed2 = atom(urls, 2);
    char *w1 = warning("大雨警報", "発表", "2026-07-03T10:00:00+09:00");
    char *w2 = warning("大雨警報", "解除", "2026-07-03T10:20:00+09:00");
    struct safety_hold *h = safety_hold_create();
    memset(&sv, 0, sizeof sv);
    route(&sv, FEED, 200, feed1, "\"v1\"");
    route(&sv, DOC1, 200, w1, NULL);
    struct safety_poll *p = make_poll(&sv);

    CHECK(safety_poll_round(p, h, T0, 0) == 1);
    CHECK(sv.n_log == 2 && strcmp(sv.log[0], FEED "|") == 0 && strcmp(sv.log[1], DOC1 "|") == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 1);
    CHECK(safety_poll_next_due(p) == 60000);

    /* not yet a minute: nothing is asked */
    CHECK(safety_poll_round(p, h, T0 + 30, 30000) == 0);
    CHECK(sv.n_log == 2);

    /* a minute: the feed is asked with its ETag and answers 304 */
    CHECK(safety_poll_round(p, h, T0 + 60, 60000) == 0);
    CHECK(sv.n_log == 3 && strcmp(sv.log[2], FEED "|\"v1\"") == 0);

    /* the feed changes: only the new entry is fetched, and it clears the warning */
    route(&sv, FEED, 200, feed2, "\"v2\"");
    route(&sv, DOC2, 200, w2, NULL);
    CHECK(safety_poll_round(p, h, T0 + 120, 120000) == 1);
    CHECK(sv.n_log == 5 && strcmp(sv.log[4], DOC2 "|") == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 0);

    safety_poll_free(p);
    safety_hold_free(h);
    free(feed1);
    free(feed2);
    free(w1);
    free(w2);
}

static void an_entry_whose_fetch_failed_is_tried_again(void)
{
    struct server sv;
    const char *urls[] = {DOC1};
    char *feed = atom(urls, 1);
    char *w1 = warning("大雨特別警報", "発表", "2026-07-03T10:00:00+09:00");
    struct safety_hold *h = safety_hold_create();
    memset(&sv, 0, sizeof sv);
    route(&sv, FEED, 200, feed, "\"v1\"");
    route(&sv, DOC1, 503, NULL, NULL);
    struct safety_poll *p = make_poll(&sv);

    CHECK(safety_poll_round(p, h, T0, 0) == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 0);
    /* retried no sooner than a minute, and without the ETag that would hide the entry */
    int64_t due = safety_poll_next_due(p);
    CHECK(due >= 60000);
    route(&sv, DOC1, 200, w1, NULL);
    CHECK(safety_poll_round(p, h, T0 + due / 1000, due) == 1);
    CHECK(sv.n_log == 4 && strcmp(sv.log[2], FEED "|") == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 1);
    CHECK(ann_list_at(safety_hold_list(h), 0)->level == ANN_LEVEL_EMERGENCY);
    safety_poll_free(p);
    safety_hold_free(h);
    free(feed);
    free(w1);
}

static void a_failing_feed_backs_off_but_never_below_a_minute(void)
{
    struct server sv;
    struct safety_hold *h = safety_hold_create();
    memset(&sv, 0, sizeof sv);
    route(&sv, FEED, 500, NULL, NULL);
    struct safety_poll *p = make_poll(&sv);
    int64_t at = 0;
    for (int i = 0; i < 8; i++) {
        CHECK(safety_poll_round(p, h, T0 + at / 1000, at) == 0);
        int64_t next = safety_poll_next_due(p);
        CHECK(next - at >= 60000 && next - at <= 1800000);
        at = next;
    }
    CHECK(sv.n_log == 8);
    safety_poll_free(p);
    safety_hold_free(h);
}

static void the_curl_fetcher_caps_the_body(void)
{
    char *dir = testutil_tempdir();
    char path[512], url[600];
    struct safety_fetched r;
    struct safety_curl *c = safety_curl_create(NULL, 5, 10, true);
    CHECK(c);
    snprintf(path, sizeof path, "%s/doc.xml", dir);
    CHECK(testutil_write_file(path, "<a>0123456789</a>", 17) == 0);
    snprintf(url, sizeof url, "file://%s", path);

    memset(&r, 0, sizeof r);
    safety_poll_fetch_curl(c, url, "", "", 1024, &r);
    CHECK(r.status == 200 && r.len == 17 && strcmp(r.body, "<a>0123456789</a>") == 0);
    free(r.body);

    memset(&r, 0, sizeof r);
    safety_poll_fetch_curl(c, url, "", "", 8, &r);
    CHECK(r.status == 0 && !r.body && r.err[0] && r.too_large);

    safety_curl_free(c);
    /* without allow_file only https is fetched */
    c = safety_curl_create(NULL, 5, 10, false);
    memset(&r, 0, sizeof r);
    safety_poll_fetch_curl(c, url, "", "", 1024, &r);
    CHECK(r.status == 0 && !r.body);
    safety_curl_free(c);
    testutil_rmtree(dir);
    free(dir);
}

#define CAP_URL "https://gw.test/cap.xml"

static const char CAP_ALERT[] =
    "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>A-1</identifier>"
    "<sender>city.musashino.lg.jp</sender><sent>2026-07-03T10:00:00+09:00</sent>"
    "<status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info>"
    "<language>ja-JP</language><event>避難指示</event><urgency>Immediate</urgency>"
    "<severity>Extreme</severity><certainty>Observed</certainty><expires>"
    "2026-07-03T22:00:00+09:00</expires><headline>武蔵野市に避難指示</headline><area>"
    "<areaDesc>武蔵野市</areaDesc><geocode><valueName>JIS</valueName><value>13203</value>"
    "</geocode></area></info></alert>";

static void a_signed_cap_source_counts_only_with_a_good_signature(void)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    char pk_b64[64], sig_b64[128], bad_b64[128];
    const char *keys[1] = {pk_b64};
    struct server sv;
    struct safety_poll_opts o;

    CHECK(sodium_init() >= 0);
    crypto_sign_keypair(pk, sk);
    sodium_bin2base64(pk_b64, sizeof pk_b64, pk, sizeof pk, sodium_base64_VARIANT_ORIGINAL);
    crypto_sign_detached(sig, NULL, (const unsigned char *)CAP_ALERT, strlen(CAP_ALERT), sk);
    sodium_bin2base64(sig_b64, sizeof sig_b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    sig[0] ^= 1;
    sodium_bin2base64(bad_b64, sizeof bad_b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);

    memset(&sv, 0, sizeof sv);
    route(&sv, CAP_URL, 200, CAP_ALERT, "\"c1\"");
    route(&sv, CAP_URL ".sig", 200, bad_b64, NULL);
    memset(&o, 0, sizeof o);
    o.n_feeds = 1;
    o.urls[0] = CAP_URL;
    o.types[0] = SAFETY_FEED_CAP;
    jma_config_default(&o.jma);
    cap_config_default(&o.cap);
    o.cap_signed = true;
    o.keys = keys;
    o.n_keys = 1;
    struct safety_poll *p = safety_poll_create(&o, fake_fetch, &sv);
    struct safety_hold *h = safety_hold_create();

    /* a bad signature: nothing shown, and the document is asked again whole */
    CHECK(safety_poll_round(p, h, T0, 0) == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 0);
    int64_t due = safety_poll_next_due(p);
    route(&sv, CAP_URL ".sig", 200, sig_b64, NULL);
    CHECK(safety_poll_round(p, h, T0 + due / 1000, due) == 1);
    CHECK(strcmp(sv.log[2], CAP_URL "|") == 0);
    CHECK(ann_list_count(safety_hold_list(h)) == 1);
    CHECK(ann_list_has_emergency(safety_hold_list(h)));
    safety_poll_free(p);
    safety_hold_free(h);
}

/* Records each answer's status in front of the real fetcher. */
struct logged_fetch {
    struct safety_curl *curl;
    long statuses[16];
    size_t n;
};

static void logging_fetch(void *ctx, const char *url, const char *etag, const char *last_modified,
                          size_t max, struct safety_fetched *out)
{
    struct logged_fetch *lf = ctx;
    safety_poll_fetch_curl(lf->curl, url, etag, last_modified, max, out);
    if (lf->n < 16) {
        lf->statuses[lf->n++] = out->too_large ? -1 : out->status;
    }
}

static void write_doc(const char *root, const char *name, const char *body)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", root, name);
    CHECK(testutil_write_file(path, body, strlen(body)) == 0);
}

/* The feed at base/extra.xml listing `names` (oldest first) under base/data/. */
static void write_feed(const char *root, const char *base, const char *const *names, size_t n)
{
    char urls[4][300];
    const char *u[4];
    for (size_t i = 0; i < n && i < 4; i++) {
        snprintf(urls[i], sizeof urls[i], "%s/data/%s", base, names[i]);
        u[i] = urls[i];
    }
    char *feed = atom(u, n);
    write_doc(root, "extra.xml", feed);
    free(feed);
}

static void over_https_a_warning_shows_in_one_round_and_a_clearance_ends_it(void)
{
    const char *base = getenv("KIOSK_TEST_HTTPS");
    const char *root = getenv("KIOSK_TEST_DOCROOT");
    const char *ca = getenv("KIOSK_TEST_CA");
    static const char *const names[] = {
        "20260703010032_0_VPWW54_130000.xml", "20260703011032_0_VPWW54_130000.xml",
        "20260703011532_0_VPWW54_130000.xml", "20260703012032_0_VPWW54_130000.xml"};
    struct logged_fetch lf;
    struct safety_poll_opts o;
    char path[600], feed_url[300];

    if (!base || !root || !ca) {
        printf("  skipped: no HTTPS server (tests/net/test_safety_https.sh runs this)\n");
        return;
    }
    memset(&lf, 0, sizeof lf);
    lf.curl = safety_curl_create(ca, 5, 20, false);
    CHECK(lf.curl);
    char *w1 = warning("大雨特別警報", "発表", "2026-07-03T10:00:00+09:00");
    char *w2 = warning("大雨特別警報", "解除", "2026-07-03T10:20:00+09:00");
    write_doc(root, "data/20260703010032_0_VPWW54_130000.xml", w1);
    write_feed(root, base, names, 1);

    memset(&o, 0, sizeof o);
    snprintf(feed_url, sizeof feed_url, "%s/extra.xml", base);
    o.n_feeds = 1;
    o.urls[0] = feed_url;
    o.types[0] = SAFETY_FEED_JMA;
    jma_config_default(&o.jma);
    cap_config_default(&o.cap);
    struct safety_poll *p = safety_poll_create(&o, logging_fetch, &lf);
    struct safety_hold *h = safety_hold_create();

    CHECK(safety_poll_round(p, h, T0, 0) == 1);
    CHECK(lf.n == 2 && lf.statuses[0] == 200 && lf.statuses[1] == 200);
    CHECK(ann_list_count(safety_hold_list(h)) == 1);
    CHECK(ann_list_has_emergency(safety_hold_list(h)));

    /* a minute later nginx answers the ETag with 304 and nothing else is fetched */
    CHECK(safety_poll_round(p, h, T0 + 60, 60000) == 0);
    CHECK(lf.n == 3 && lf.statuses[2] == 304);

    /* a bomb, an oversized report and the clearance appear */
    write_doc(root, "data/20260703011032_0_VPWW54_130000.xml",
              "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
              "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><Report>&b;</Report>");
    snprintf(path, sizeof path, "%s/data/20260703011532_0_VPWW54_130000.xml", root);
    size_t big = JMA_MAX_BYTES + 4096;
    char *junk = malloc(big + 1);
    memset(junk, ' ', big);
    memcpy(junk, w1, strlen(w1));
    junk[big] = '\0';
    CHECK(testutil_write_file(path, junk, big) == 0);
    free(junk);
    write_doc(root, "data/20260703012032_0_VPWW54_130000.xml", w2);
    write_feed(root, base, names, 4);
    CHECK(safety_poll_round(p, h, T0 + 120, 120000) == 1);
    CHECK(lf.n == 7 && lf.statuses[3] == 200 && lf.statuses[4] == 200 && lf.statuses[5] == -1 &&
          lf.statuses[6] == 200);
    CHECK(ann_list_count(safety_hold_list(h)) == 0);

    /* everything was judged: the next round is a 304 again */
    CHECK(safety_poll_round(p, h, T0 + 180, 180000) == 0);
    CHECK(lf.n == 8 && lf.statuses[7] == 304);

    safety_poll_free(p);
    safety_hold_free(h);
    safety_curl_free(lf.curl);
    free(w1);
    free(w2);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(a_new_entry_is_fetched_once_and_the_feed_asked_conditionally);
    RUN(an_entry_whose_fetch_failed_is_tried_again);
    RUN(a_failing_feed_backs_off_but_never_below_a_minute);
    RUN(a_signed_cap_source_counts_only_with_a_good_signature);
    RUN(the_curl_fetcher_caps_the_body);
    RUN(over_https_a_warning_shows_in_one_round_and_a_clearance_ends_it);
    TEST_MAIN_END();
}
