/* stats: GET /api/v1/stats, the usage counts (sys/usage.h) for the city's yearly review.
 *
 * JSON for tools and the staff page; CSV for a spreadsheet on the city's Windows PCs: Excel
 * on a Japanese Windows reads a CSV as CP932 unless it starts with a UTF-8 byte-order mark,
 * and wants CRLF line ends. The CSV is one rectangular table (a "section" column says whether
 * a row is the total, a day, an hour or a listing) so it filters and pivots as it is. Text
 * from the feed (titles, categories) that starts like a formula is prefixed with ' so a
 * spreadsheet shows it instead of running it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "admin/admin_internal.h"
#include "sys/usage.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/timeutil.h"

#define STATS_MAX_DAYS 1100 /* three years in one request; the disk reads stay short */
#define STATS_MAX_BYTES (64u << 20)
#define STATS_DEFAULT_DAYS 7

/* The name a counter has in the API: milliseconds are given as seconds. */
static const char *api_name(int c)
{
    return c == USAGE_QR_MS ? "qr_seconds" : usage_counter_name((enum usage_counter)c);
}

static double api_value(int c, int64_t v)
{
    return c == USAGE_QR_MS ? (double)v / 1000.0 : (double)v;
}

static bool add_counters(cJSON *obj, const int64_t *v)
{
    bool ok = true;

    for (int c = 0; c < USAGE_NCOUNTERS && ok; c++) {
        ok = cJSON_AddNumberToObject(obj, api_name(c), api_value(c, v[c]));
    }
    return ok;
}

static void date_text(const struct usage_day_total *d, char *buf, size_t len)
{
    snprintf(buf, len, "%04d-%02d-%02d", d->year, d->month, d->day);
}

static bool any(const int64_t *v)
{
    for (int c = 0; c < USAGE_NCOUNTERS; c++) {
        if (v[c]) {
            return true;
        }
    }
    return false;
}

static bool json_days(cJSON *doc, const struct usage_report *r)
{
    cJSON *days = cJSON_AddArrayToObject(doc, "days");
    cJSON *hours = cJSON_AddArrayToObject(doc, "hours");
    char date[16];
    bool ok = days && hours;

    for (size_t i = 0; i < r->ndays && ok; i++) {
        const struct usage_day_total *d = &r->days[i];
        cJSON *o = cJSON_CreateObject();
        date_text(d, date, sizeof date);
        ok = o && cJSON_AddItemToArray(days, o) && cJSON_AddStringToObject(o, "date", date) &&
             add_counters(o, d->total);
        /* hours without a count are left out: a year is 8760 of them */
        for (int h = 0; h < 24 && ok; h++) {
            if (!any(d->hours[h])) {
                continue;
            }
            cJSON *ho = cJSON_CreateObject();
            ok = ho && cJSON_AddItemToArray(hours, ho) &&
                 cJSON_AddStringToObject(ho, "date", date) &&
                 cJSON_AddNumberToObject(ho, "hour", h) && add_counters(ho, d->hours[h]);
        }
    }
    return ok;
}

static bool json_listings(cJSON *doc, const struct usage_report *r)
{
    cJSON *arr = cJSON_AddArrayToObject(doc, "listings");
    cJSON *tags = cJSON_AddObjectToObject(doc, "tags");
    bool ok = arr && tags;

    for (size_t i = 0; i < r->nlistings && ok; i++) {
        const struct usage_listing_total *l = &r->listings[i];
        cJSON *o = cJSON_CreateObject();
        ok = o && cJSON_AddItemToArray(arr, o) && cJSON_AddStringToObject(o, "id", l->id) &&
             cJSON_AddStringToObject(o, "title", l->title) &&
             cJSON_AddStringToObject(o, "category", l->category) &&
             cJSON_AddNumberToObject(o, "opens", (double)l->opens) &&
             cJSON_AddNumberToObject(o, "qr_shown", (double)l->qr_shown) &&
             cJSON_AddNumberToObject(o, "qr_seconds", (double)l->qr_ms / 1000.0);
    }
    for (int t = 0; t < USAGE_NTAGS && ok; t++) {
        ok = cJSON_AddObjectToObject(tags, usage_tag_name((enum usage_tag)t));
    }
    for (size_t i = 0; i < r->ntags && ok; i++) {
        cJSON *group = cJSON_GetObjectItemCaseSensitive(tags, usage_tag_name(r->tags[i].tag));
        ok = group && cJSON_AddNumberToObject(group, r->tags[i].name, (double)r->tags[i].count);
    }
    return ok;
}

static char *stats_json(const struct usage_report *r, const char *from, const char *to)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *totals = doc ? cJSON_AddObjectToObject(doc, "totals") : NULL;
    char *text = NULL;

    if (totals && cJSON_AddStringToObject(doc, "from", from) &&
        cJSON_AddStringToObject(doc, "to", to) && add_counters(totals, r->total) &&
        json_days(doc, r) && json_listings(doc, r)) {
        text = cJSON_PrintUnformatted(doc);
    }
    cJSON_Delete(doc);
    return text;
}

/* ---- CSV ---- */

static int csv_text(struct buf *b, const char *s)
{
    int rc = buf_append(b, "\"", 1);

    /* a cell Excel would take for a formula is shown as text */
    if (rc == 0 && s[0] && strchr("=+-@\t\r", s[0])) {
        rc = buf_append(b, "'", 1);
    }
    for (const char *p = s; *p && rc == 0; p++) {
        rc = buf_append(b, p, 1);
        if (rc == 0 && *p == '"') {
            rc = buf_append(b, "\"", 1);
        }
    }
    return rc == 0 ? buf_append(b, "\"", 1) : rc;
}

static int csv_num(struct buf *b, int c, int64_t v)
{
    char n[32];

    if (c == USAGE_QR_MS) {
        snprintf(n, sizeof n, ",%" PRId64 ".%03d", v / 1000, (int)(v % 1000));
    } else {
        snprintf(n, sizeof n, ",%" PRId64, v);
    }
    return buf_append(b, n, strlen(n));
}

/* One row: section, date, hour, id, title, category, then every counter. */
static int csv_row(struct buf *b, const char *section, const char *date, int hour,
                   const struct usage_listing_total *l, const int64_t *v)
{
    char h[8] = "";
    int rc;

    if (hour >= 0) {
        snprintf(h, sizeof h, "%d", hour);
    }
    rc = buf_append(b, section, strlen(section));
    rc = rc ? rc : buf_append(b, ",", 1);
    rc = rc ? rc : buf_append(b, date, strlen(date));
    rc = rc ? rc : buf_append(b, ",", 1);
    rc = rc ? rc : buf_append(b, h, strlen(h));
    rc = rc ? rc : buf_append(b, ",", 1);
    rc = rc ? rc : csv_text(b, l ? l->id : "");
    rc = rc ? rc : buf_append(b, ",", 1);
    rc = rc ? rc : csv_text(b, l ? l->title : "");
    rc = rc ? rc : buf_append(b, ",", 1);
    rc = rc ? rc : csv_text(b, l ? l->category : "");
    for (int c = 0; c < USAGE_NCOUNTERS && rc == 0; c++) {
        rc = csv_num(b, c, v[c]);
    }
    return rc ? rc : buf_append(b, "\r\n", 2);
}

static char *stats_csv(const struct usage_report *r, size_t *len)
{
    struct buf b;
    char date[16];
    int rc;

    buf_init(&b, STATS_MAX_BYTES);
    rc = buf_append(&b,
                    "\xEF\xBB\xBF"
                    "section,date,hour,id,title,category",
                    38);
    for (int c = 0; c < USAGE_NCOUNTERS && rc == 0; c++) {
        const char *n = api_name(c);
        rc = buf_append(&b, ",", 1);
        rc = rc ? rc : buf_append(&b, n, strlen(n));
    }
    rc = rc ? rc : buf_append(&b, "\r\n", 2);
    rc = rc ? rc : csv_row(&b, "total", "", -1, NULL, r->total);
    for (size_t i = 0; i < r->ndays && rc == 0; i++) {
        date_text(&r->days[i], date, sizeof date);
        rc = csv_row(&b, "day", date, -1, NULL, r->days[i].total);
    }
    for (size_t i = 0; i < r->ndays && rc == 0; i++) {
        date_text(&r->days[i], date, sizeof date);
        for (int h = 0; h < 24 && rc == 0; h++) {
            if (any(r->days[i].hours[h])) {
                rc = csv_row(&b, "hour", date, h, NULL, r->days[i].hours[h]);
            }
        }
    }
    for (size_t i = 0; i < r->nlistings && rc == 0; i++) {
        const struct usage_listing_total *l = &r->listings[i];
        int64_t v[USAGE_NCOUNTERS] = {0};
        v[USAGE_LISTING_OPENS] = l->opens;
        v[USAGE_QR_SHOWN] = l->qr_shown;
        v[USAGE_QR_MS] = l->qr_ms;
        rc = csv_row(&b, "listing", "", -1, l, v);
    }
    if (rc != 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_take(&b, len);
}

/* ---- the route ---- */

static int parse_range(struct admin *a, const char *from, const char *to, int64_t *first,
                       int64_t *last)
{
    struct time_parts p;

    timeutil_local(kclock_now(&a->clock), &p);
    int64_t today = timeutil_days_from_civil(p.year, p.month, p.day);
    *last = today;
    *first = today - (STATS_DEFAULT_DAYS - 1);
    if (to && usage_parse_day(to, last) != 0) {
        return -EINVAL;
    }
    if (from && usage_parse_day(from, first) != 0) {
        return -EINVAL;
    }
    if (!from && to) {
        *first = *last - (STATS_DEFAULT_DAYS - 1);
    }
    return 0;
}

enum MHD_Result admin_get_stats(struct admin *a, struct MHD_Connection *conn)
{
    const char *from = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "from");
    const char *to = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "to");
    const char *fmt = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "format");
    struct usage_report r;
    int64_t first, last;
    char f[16], t[16];
    char *body = NULL;
    size_t len = 0;

    if (fmt && strcmp(fmt, "json") != 0 && strcmp(fmt, "csv") != 0) {
        return admin_error(conn, MHD_HTTP_BAD_REQUEST, "format: use json or csv");
    }
    if (parse_range(a, from, to, &first, &last) != 0) {
        return admin_error(conn, MHD_HTTP_BAD_REQUEST,
                           "from, to: give dates as YYYY-MM-DD (facility's local days)");
    }
    if (last < first || last - first >= STATS_MAX_DAYS) {
        return admin_error(conn, MHD_HTTP_BAD_REQUEST,
                           "from, to: from must not be after to, and at most %d days apart",
                           STATS_MAX_DAYS);
    }
    int rc = usage_query(a->usage, first, last, &r);
    if (rc != 0) {
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "counts not read: %s",
                           strerror(-rc));
    }
    snprintf(f, sizeof f, "%04d-%02d-%02d", r.days[0].year, r.days[0].month, r.days[0].day);
    date_text(&r.days[r.ndays - 1], t, sizeof t);
    bool csv = fmt && strcmp(fmt, "csv") == 0;
    if (csv) {
        body = stats_csv(&r, &len);
    } else {
        body = stats_json(&r, f, t);
    }
    usage_report_free(&r);
    if (!body) {
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    if (csv) {
        char disp[96];
        snprintf(disp, sizeof disp, "attachment; filename=\"kiosk-usage-%s-%s.csv\"", f, t);
        return admin_send(conn, MHD_HTTP_OK, body, "text/csv; charset=utf-8",
                          MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
    }
    return admin_send(conn, MHD_HTTP_OK, body, "application/json; charset=utf-8", NULL, NULL);
}
