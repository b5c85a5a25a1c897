/* test_feed_check: the exact output of `kiosk --check-feed FILE`. */
#include <stdlib.h>
#include <string.h>

#include "feed/check.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "testutil.h"

static char *q(const char *s)
{
    char *out = strdup(s);
    for (char *p = out; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    return out;
}

/* Runs the report on a single-quoted document; returns its output (caller frees). */
static char *report(const char *doc, const struct feed_limits *lim, int *rc)
{
    char *j = q(doc);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    *rc = feed_check_report(j, strlen(j), lim, NULL, out);
    fclose(out);
    free(j);
    return buf;
}

static void a_clean_feed_reports_its_counts(void)
{
    int rc;
    char *out = report("{'version':1,'generated_at':'2020-01-01T00:00:00Z','events':["
                       "{'id':'e1','title':{'ja':'昔の催し'},'start':'2020-01-02'}],"
                       "'volunteers':[{'id':'v1','title':{'ja':'募集'}}],"
                       "'announcements':[{'id':'a1','text':{'ja':'x'},"
                       "'starts_at':'2020-01-01T00:00:00Z','ends_at':'2020-01-02T00:00:00Z'}]}",
                       NULL, &rc);
    /* items in the past are valid: the check judges validity, not time */
    CHECK(rc == 0);
    CHECK(strcmp(out, "kept: events=1 volunteers=1 announcements=1\n"
                      "kept: grants=0 desks=0 rooms=0 groups=0\n") == 0);
    free(out);
}

static void dropped_items_get_one_line_each(void)
{
    int rc;
    char *out = report("{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','events':["
                       "{'id':'e1','title':{'ja':'ok'},'start':'2026-12-01'},"
                       "{'id':'e2','title':{'ja':'x'},'start':'2026-12-02',"
                       "'end':'2026-12-01'},"
                       "{'title':{'ja':'no id'},'start':'2026-12-01'}],"
                       "'volunteers':[{'id':'v1','title':{'ja':'x'},"
                       "'signup_url':'http://example.jp'}],"
                       "'announcements':[{'id':'a1','text':{'ja':'x'}}]}",
                       NULL, &rc);
    CHECK(rc == 0);
    const char *want = "kept: events=1 volunteers=0 announcements=0\n"
                       "kept: grants=0 desks=0 rooms=0 groups=0\n"
                       "dropped: event e2: end before start\n"
                       "dropped: event ?: field 'id': required\n"
                       "dropped: volunteer v1: field 'signup_url': not https\n"
                       "dropped: announcement a1: field 'starts_at': required\n";
    CHECK(strcmp(out, want) == 0);
    if (strcmp(out, want) != 0) {
        fprintf(stderr, "  got:\n%s", out);
    }
    free(out);
}

static void a_url_too_long_for_a_scannable_code_gets_a_warning(void)
{
    struct feed_limits lim;
    int rc;
    char doc[2048], url[300];

    feed_limits_default(&lim);
    lim.qr_max_url = 122;
    /* 122 bytes is fine, 123 is one too many; a volunteer's too; a dropped one is not */
    snprintf(url, sizeof url, "https://example.jp/%0103d", 0);
    CHECK(strlen(url) == 122);
    snprintf(doc, sizeof doc,
             "{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','events':["
             "{'id':'e1','title':{'ja':'x'},'start':'2026-12-01','signup_url':'%s'},"
             "{'id':'e2','title':{'ja':'x'},'start':'2026-12-01','signup_url':'%s9'}],"
             "'volunteers':[{'id':'v1','title':{'ja':'x'},'signup_url':'%s99'},"
             "{'id':'v2','title':{'ja':'x'},'signup_url':'https://a@%s'}]}",
             url, url, url, url + 8);
    char *out = report(doc, &lim, &rc);
    const char *want =
        "kept: events=2 volunteers=1 announcements=0\n"
        "kept: grants=0 desks=0 rooms=0 groups=0\n"
        "dropped: volunteer v2: field 'signup_url': user name or password before the host\n"
        "warning: event e2: url is 123 bytes, too long for a QR code that can be scanned at "
        "this kiosk's size (max 122)\n"
        "warning: volunteer v1: url is 124 bytes, too long for a QR code that can be scanned "
        "at this kiosk's size (max 122)\n";
    /* a warning does not fail the check: the listing is kept and shows its contact */
    CHECK(rc == 0);
    CHECK(strcmp(out, want) == 0);
    if (strcmp(out, want) != 0) {
        fprintf(stderr, "  got:\n%s", out);
    }
    free(out);
    /* without a limit (NULL: the defaults) nothing is said */
    out = report(doc, NULL, &rc);
    CHECK(rc == 0 && !strstr(out, "warning:"));
    free(out);
}

static void a_url_whose_caption_could_lie_is_dropped_with_its_reason(void)
{
    int rc;
    char *out = report("{'version':1,'generated_at':'2026-11-25T09:00:00+09:00','events':["
                       "{'id':'e1','title':{'ja':'x'},'start':'2026-12-01',"
                       "'signup_url':'https://evil.example\\\\@www.city.musashino.lg.jp/f'},"
                       "{'id':'e2','title':{'ja':'x'},'start':'2026-12-01',"
                       "'signup_url':'https://:443/x'}],'volunteers':[]}",
                       NULL, &rc);
    const char *want = "kept: events=0 volunteers=0 announcements=0\n"
                       "kept: grants=0 desks=0 rooms=0 groups=0\n"
                       "dropped: event e1: field 'signup_url': a backslash before the path\n"
                       "dropped: event e2: field 'signup_url': no host\n";
    CHECK(rc == 0);
    CHECK(strcmp(out, want) == 0);
    if (strcmp(out, want) != 0) {
        fprintf(stderr, "  got:\n%s", out);
    }
    free(out);
}

static void a_rejected_document_gets_a_single_line(void)
{
    int rc;
    char *out = report("{'version':1,'events':[]} trailing", NULL, &rc);
    CHECK(rc == 1);
    CHECK(strncmp(out, "rejected: invalid JSON at byte ", 31) == 0);
    CHECK(strchr(out, '\n') == out + strlen(out) - 1);
    free(out);
    out = report("{'version':2,'events':[],'volunteers':[]}", NULL, &rc);
    CHECK(rc == 1);
    CHECK(strcmp(out, "rejected: unsupported version (this kiosk reads version 1)\n") == 0);
    free(out);
}

static void the_size_limit_applies(void)
{
    struct feed_limits lim;
    int rc;
    char *out;

    feed_limits_default(&lim);
    lim.max_bytes = 10;
    out = report("{'version':1,'events':[],'volunteers':[]}", &lim, &rc);
    CHECK(rc == 1);
    CHECK(strstr(out, "rejected: document too large") == out);
    free(out);
}

static void an_announcements_document_is_checked_as_one(void)
{
    int rc;
    char *out = report("{'version':1,'generated_at':'2026-11-25T09:00:00+09:00',"
                       "'announcements':[{'id':'a1','text':{'ja':'x'},"
                       "'starts_at':'2026-11-25T09:00:00+09:00',"
                       "'ends_at':'2026-11-26T09:00:00+09:00'}]}",
                       NULL, &rc);
    CHECK(rc == 0);
    CHECK(strcmp(out, "kept: events=0 volunteers=0 announcements=1\n") == 0);
    free(out);
    /* but a feed that lost its events array is still a broken feed */
    out = report("{'version':1,'volunteers':[],'announcements':[]}", NULL, &rc);
    CHECK(rc == 1 && strcmp(out, "rejected: missing events array\n") == 0);
    free(out);
}

static void the_shipped_sample_feed_is_clean(void)
{
    FILE *f = fopen(KIOSK_SOURCE_DIR "/assets/sample-feed.json", "rb");
    static char data[1 << 20];
    size_t n;
    char *buf = NULL;
    size_t len = 0;
    FILE *out;
    int rc;

    if (!f) {
        printf("  (no sample feed, skipped)\n");
        return;
    }
    n = fread(data, 1, sizeof data, f);
    fclose(f);
    out = open_memstream(&buf, &len);
    rc = feed_check_report(data, n, NULL, NULL, out);
    fclose(out);
    CHECK(rc == 0);
    CHECK(strncmp(buf, "kept: events=", 13) == 0);
    CHECK(!strstr(buf, "dropped:"));
    free(buf);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        return 1;
    }
    RUN(a_clean_feed_reports_its_counts);
    RUN(dropped_items_get_one_line_each);
    RUN(a_url_too_long_for_a_scannable_code_gets_a_warning);
    RUN(a_url_whose_caption_could_lie_is_dropped_with_its_reason);
    RUN(a_rejected_document_gets_a_single_line);
    RUN(the_size_limit_applies);
    RUN(an_announcements_document_is_checked_as_one);
    RUN(the_shipped_sample_feed_is_clean);
    TEST_MAIN_END();
}
