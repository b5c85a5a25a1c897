/* check: the report behind `kiosk --check-feed FILE` (see check.h). It only formats what
 * feed_parse() decided, so the check and the kiosk can never disagree; and it warns of
 * signup URLs longer than the caller's limit, which the app takes from the screens'
 * layout and util/qrspec.h, the rule gfx draws by. */
#include "feed/check.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "feed/import.h"
#include "util/jsonstrict.h"
#include "util/log.h"

/* The warning for an item whose signup URL no screen can draw as a code that scans, or
 * false when it has none. */
static bool long_url(const struct feed_item *it, size_t max_url, char *buf, size_t len)
{
    size_t n = it->signup_url ? strlen(it->signup_url) : 0;
    if (max_url == 0 || n <= max_url) {
        return false;
    }
    snprintf(buf, len,
             "%s %s: url is %zu bytes, too long for a QR code that can be scanned at this "
             "kiosk's size (max %zu)",
             it->kind == FEED_KIND_EVENT ? "event" : "volunteer", it->id, n, max_url);
    return true;
}

/* Calls long_url for every item; prints to out, or logs when out is NULL. */
static size_t long_urls(const struct feed *f, size_t max_url, FILE *out)
{
    char line[512];
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        enum feed_kind kind = k == 0 ? FEED_KIND_EVENT : FEED_KIND_VOLUNTEER;
        for (size_t i = 0; i < feed_count(f, kind); i++) {
            if (!long_url(feed_item_at(f, kind, i), max_url, line, sizeof line)) {
                continue;
            }
            n++;
            if (out) {
                fprintf(out, "warning: %s\n", line);
            } else {
                LOG_WARN("feed", "%s: a screen without room for the code shows the contact", line);
            }
        }
    }
    return n;
}

size_t feed_check_log_long_urls(const struct feed *f, size_t max_url)
{
    return f ? long_urls(f, max_url, NULL) : 0;
}

/* True when the document looks like an announcements-only document. A document that is
 * not even JSON is judged as a feed, which gives the same rejection. */
static bool is_announcements_doc(const char *data, size_t len, const struct feed_limits *lim)
{
    cJSON *root;
    bool yes = false;
    char err[8];

    if (lim && len > lim->max_bytes) {
        return false;
    }
    root = json_strict_parse(data, len, NULL, err, sizeof err);
    if (cJSON_IsObject(root)) {
        yes = cJSON_GetObjectItemCaseSensitive(root, "announcements") &&
              !cJSON_GetObjectItemCaseSensitive(root, "events") &&
              !cJSON_GetObjectItemCaseSensitive(root, "volunteers");
    }
    cJSON_Delete(root);
    return yes;
}

int feed_check_report(const char *data, size_t len, const struct feed_limits *lim,
                      const struct import_opts *o, FILE *out)
{
    char err[256];
    struct feed *f;

    if (import_detect(data, len) != IMPORT_FORMAT_JSON) {
        f = feed_import(data, len, o, lim, NULL, err, sizeof err);
    } else if (is_announcements_doc(data, len, lim)) {
        f = feed_parse_announcements(data, len, lim, err, sizeof err);
    } else {
        f = feed_parse(data, len, lim, err, sizeof err);
    }
    if (!f) {
        fprintf(out, "rejected: %s\n", err);
        return 1;
    }
    fprintf(out, "kept: events=%zu volunteers=%zu announcements=%zu\n",
            feed_count(f, FEED_KIND_EVENT), feed_count(f, FEED_KIND_VOLUNTEER),
            feed_announcement_count(f));
    for (size_t i = 0; i < feed_drop_count(f); i++) {
        const struct feed_drop *d = feed_drop_at(f, i);
        fprintf(out, "dropped: %s %s: %s\n", d->kind, d->id, d->reason);
    }
    (void)long_urls(f, lim ? lim->qr_max_url : 0, out);
    feed_free(f);
    return 0;
}
