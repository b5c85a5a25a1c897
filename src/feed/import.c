/* import: what the readers share (import.h): the format guess and the default options. */
#include "feed/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed_internal.h"

void import_opts_default(struct import_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kind = FEED_KIND_EVENT;
    o->upgrade_http = true;
    o->window_days = IMPORT_WINDOW_DAYS_DEFAULT;
    o->max_items = FEED_MAX_ITEMS_DEFAULT;
}

/* True when the text at p (with n bytes left) starts with the ASCII word w, in any case. */
static bool starts_with_ci(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k) {
        return false;
    }
    for (size_t i = 0; i < k; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (c != w[i]) {
            return false;
        }
    }
    return true;
}

enum import_format import_detect(const char *data, size_t len)
{
    size_t i = 0;

    if (!data || len == 0) {
        return IMPORT_FORMAT_UNKNOWN;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < len && strchr(" \t\r\n", data[i]) && data[i]) {
        i++;
    }
    if (i == len) {
        return IMPORT_FORMAT_UNKNOWN;
    }
    if (data[i] == '{' || data[i] == '[') {
        return IMPORT_FORMAT_JSON;
    }
    if (starts_with_ci(data + i, len - i, "BEGIN:VCALENDAR")) {
        return IMPORT_FORMAT_ICAL;
    }
    /* A captive portal's or an error page's HTML (or any XML) is not an event list, whatever
     * a CSV reader would make of it */
    if (data[i] == '<') {
        return IMPORT_FORMAT_UNKNOWN;
    }
    /* A NUL is never in a CSV or a calendar: a binary file (an image, a zip) is neither. */
    if (memchr(data, '\0', len)) {
        return IMPORT_FORMAT_UNKNOWN;
    }
    return IMPORT_FORMAT_CSV;
}

const char *import_format_name(enum import_format f)
{
    switch (f) {
    case IMPORT_FORMAT_JSON:
        return "json";
    case IMPORT_FORMAT_CSV:
        return "csv";
    case IMPORT_FORMAT_ICAL:
        return "ical";
    default:
        return "unknown";
    }
}

/* The drops a reader reports, collected for feed_from_tree. */
struct predrops {
    struct feed_predrop *v;
    size_t n, cap;
    bool oom;
};

static void collect_drop(void *ctx, const char *kind, const char *id, const char *reason)
{
    struct predrops *p = ctx;
    struct feed_predrop *d;

    if (p->oom) {
        return;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        struct feed_predrop *nv = realloc(p->v, cap * sizeof *nv);
        if (!nv) {
            p->oom = true;
            return;
        }
        p->v = nv;
        p->cap = cap;
    }
    d = &p->v[p->n];
    d->kind = strdup(kind ? kind : "row");
    d->id = strdup(id ? id : "?");
    d->reason = strdup(reason ? reason : "dropped");
    if (!d->kind || !d->id || !d->reason) {
        free(d->kind);
        free(d->id);
        free(d->reason);
        p->oom = true;
        return;
    }
    p->n++;
}

static void predrops_free(struct predrops *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].kind);
        free(p->v[i].id);
        free(p->v[i].reason);
    }
    free(p->v);
}

struct feed *feed_import(const char *data, size_t len, const struct import_opts *o_in,
                         const struct feed_limits *lim_in, enum import_format *fmt_out, char *err,
                         size_t errlen)
{
    struct import_opts o;
    struct feed_limits lim;
    struct predrops pre = {0};
    enum import_format fmt = import_detect(data, len);
    struct feed *f = NULL;
    cJSON *root = NULL;

    if (o_in) {
        o = *o_in;
    } else {
        import_opts_default(&o);
    }
    if (lim_in) {
        lim = *lim_in;
    } else {
        feed_limits_default(&lim);
    }
    if (lim.max_bytes == 0) {
        lim.max_bytes = FEED_MAX_BYTES_DEFAULT;
    }
    if (fmt_out) {
        *fmt_out = fmt;
    }
    if (fmt == IMPORT_FORMAT_JSON) {
        return feed_parse(data, len, &lim, err, errlen);
    }
    if (fmt == IMPORT_FORMAT_UNKNOWN) {
        size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        while (i < len && strchr(" \t\r\n", data[i]) && data[i]) {
            i++;
        }
        snprintf(err, errlen, "not a feed, CSV or iCalendar file%s",
                 i == len         ? " (empty)"
                 : data[i] == '<' ? " (an HTML or XML page)"
                                  : "");
        return NULL;
    }
    if (len > lim.max_bytes) {
        snprintf(err, errlen, "document too large (%zu bytes, limit %zu)", len, lim.max_bytes);
        return NULL;
    }
    if (fmt == IMPORT_FORMAT_ICAL && len > IMPORT_ICAL_MAX_BYTES) {
        /* libical's tree costs about 33 bytes per byte read: bound what one calendar takes */
        snprintf(err, errlen, "calendar too large (%zu bytes, limit %u)", len,
                 IMPORT_ICAL_MAX_BYTES);
        return NULL;
    }
    /* the feed's drop list (feed_drop_at) is where the caller reads them */
    o.drop = collect_drop;
    o.drop_ctx = &pre;
    if (o.max_items == 0 || o.max_items > lim.max_items) {
        o.max_items = lim.max_items;
    }
    root = fmt == IMPORT_FORMAT_CSV ? import_csv(data, len, &o, err, errlen)
                                    : import_ical(data, len, &o, err, errlen);
    if (!root) {
        goto out;
    }
    if (pre.oom) {
        snprintf(err, errlen, "out of memory");
        cJSON_Delete(root);
        goto out;
    }
    if (!cJSON_GetObjectItemCaseSensitive(root, "generated_at")) {
        /* these formats carry no generation time: the epoch says "unknown" without the
         * missing-member warning a JSON feed would earn */
        (void)cJSON_AddStringToObject(root, "generated_at", "1970-01-01T00:00:00Z");
    }
    f = feed_from_tree(root, false, &lim, pre.v, pre.n, err, errlen);
out:
    predrops_free(&pre);
    return f;
}
