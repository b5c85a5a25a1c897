/* ctl_stats: `kioskctl stats`, the usage counts for the city's yearly review.
 *
 *   kioskctl stats --fiscal-year 2026             (令和8年度: 2026-04-01 to 2027-03-31)
 *   kioskctl stats --from 2026-12-01 --to 2026-12-07 --csv > week.csv
 *
 * It asks GET /api/v1/stats and either passes the CSV through untouched (UTF-8 with a BOM and
 * CRLF, so Excel on a Japanese Windows opens it as it is), passes the JSON through (--json),
 * or prints a short summary for a person. Dates are checked here so a typo is heard about
 * before anything is sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "kioskctl/ctl.h"
#include "util/timeutil.h"

/* "YYYY-MM-DD", a real date. */
static bool ctl_date_ok(const char *s)
{
    int64_t t;
    bool date_only = false;

    return s && strlen(s) == 10 && timeutil_parse_iso8601(s, &t, &date_only) == 0 && date_only;
}

static double ctl_num(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void ctl_print_summary(const cJSON *doc)
{
    static const struct {
        const char *key, *label;
    } rows[] = {
        {"sessions", "利用（セッション） / sessions"},
        {"screen_home", "ホーム画面 / home screen"},
        {"screen_list", "一覧画面 / list screens"},
        {"screen_detail", "詳細画面 / detail screens"},
        {"screen_announcements", "お知らせ画面 / announcements screen"},
        {"listing_opens", "催し・募集を開いた / listings opened"},
        {"qr_shown", "QRコード表示 / QR codes shown"},
        {"qr_seconds", "QRコード表示秒数 / QR seconds on screen"},
        {"attract_qr_shown", "待機画面のQRコード / attract-loop QR codes"},
        {"filters_used", "絞り込み / filters used"},
    };
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(doc, "totals");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(doc, "from");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(doc, "to");
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(doc, "days");
    const cJSON *ls = cJSON_GetObjectItemCaseSensitive(doc, "listings");
    const cJSON *it;
    int n = 0;

    printf("期間 / range: %s 〜 %s\n", cJSON_IsString(from) ? from->valuestring : "?",
           cJSON_IsString(to) ? to->valuestring : "?");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        printf("  %-44s %10.0f\n", rows[i].label, ctl_num(tot, rows[i].key));
    }
    printf("\n日別の利用 / sessions per day:\n");
    cJSON_ArrayForEach(it, days)
    {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(it, "date");
        if (ctl_num(it, "sessions") > 0 || ctl_num(it, "listing_opens") > 0) {
            printf("  %s %6.0f\n", cJSON_IsString(d) ? d->valuestring : "?",
                   ctl_num(it, "sessions"));
        }
    }
    printf("\nよく開かれた催し・募集 / most opened listings (opens, QR shown, QR seconds):\n");
    cJSON_ArrayForEach(it, ls)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        const cJSON *title = cJSON_GetObjectItemCaseSensitive(it, "title");
        if (n++ >= 20) {
            printf("  … (--csv で全件 / all of them with --csv)\n");
            break;
        }
        printf("  %6.0f %6.0f %8.1f  %s  %s\n", ctl_num(it, "opens"), ctl_num(it, "qr_shown"),
               ctl_num(it, "qr_seconds"), cJSON_IsString(id) ? id->valuestring : "?",
               cJSON_IsString(title) ? title->valuestring : "");
    }
}

int ctl_stats(const struct ctl_conn *c, const struct ctl_stats_args *s)
{
    char from[16], to[16], path[160];
    struct ctl_reply r;

    from[0] = to[0] = '\0';
    if (s->fiscal_year) {
        char *end;
        long fy = strtol(s->fiscal_year, &end, 10);
        if (*end || fy < 2000 || fy > 2200 || s->from || s->to) {
            ctl_say("--fiscal-year は西暦の年度（例 2026）で、--from/--to とは併用できません / "
                    "--fiscal-year takes a year such as 2026, without --from/--to");
            return CTL_EXIT_USAGE;
        }
        snprintf(from, sizeof from, "%04ld-04-01", fy);
        snprintf(to, sizeof to, "%04ld-03-31", fy + 1);
    }
    if ((s->from && !ctl_date_ok(s->from)) || (s->to && !ctl_date_ok(s->to))) {
        ctl_say("日付は YYYY-MM-DD で / give dates as YYYY-MM-DD");
        return CTL_EXIT_USAGE;
    }
    if (s->from) {
        snprintf(from, sizeof from, "%s", s->from);
    }
    if (s->to) {
        snprintf(to, sizeof to, "%s", s->to);
    }
    snprintf(path, sizeof path, "/api/v1/stats?format=%s%s%s%s%s", s->csv ? "csv" : "json",
             from[0] ? "&from=" : "", from, to[0] ? "&to=" : "", to);
    int rc = ctl_request(c, "GET", path, NULL, &r);
    if (rc != CTL_EXIT_OK || r.status != 200) {
        rc = rc != CTL_EXIT_OK ? rc : ctl_report_failure(c, &r);
        ctl_reply_free(&r);
        return rc;
    }
    if (s->csv || s->json) {
        /* the exact bytes: the BOM and CRLF are what Excel needs */
        if (fwrite(r.body, 1, r.len, stdout) != r.len || (s->json && putchar('\n') == EOF)) {
            rc = CTL_EXIT_USAGE;
        }
        ctl_reply_free(&r);
        return rc;
    }
    cJSON *doc = cJSON_ParseWithLength(r.body, r.len);
    if (!cJSON_IsObject(doc)) {
        ctl_say("キオスクの応答が読めません / the kiosk's answer makes no sense");
        rc = CTL_EXIT_SERVER;
    } else {
        ctl_print_summary(doc);
    }
    cJSON_Delete(doc);
    ctl_reply_free(&r);
    return rc;
}
