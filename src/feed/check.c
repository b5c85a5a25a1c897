/* check: the report behind `kiosk --check-feed FILE` (see check.h). It only formats what
 * feed_parse() decided, so the check and the kiosk can never disagree; and it warns of
 * signup URLs longer than the caller's limit, which the app takes from the screens'
 * layout and util/qrspec.h, the rule gfx draws by. */
#include "feed/check.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "feed/import.h"
#include "feed/kinds.h"
#include "util/jsonstrict.h"
#include "util/log.h"

/* Warns of one entry's URL that no screen can draw as a code that scans; prints to out,
 * or logs when out is NULL. Returns 1 when it warned. */
static size_t long_url(const char *kind, const char *id, const char *url, size_t max_url, FILE *out)
{
    char line[512];
    size_t n = url ? strlen(url) : 0;

    if (max_url == 0 || n <= max_url) {
        return 0;
    }
    snprintf(line, sizeof line,
             "%s %s: url is %zu bytes, too long for a QR code that can be scanned at this "
             "kiosk's size (max %zu)",
             kind, id, n, max_url);
    if (out) {
        fprintf(out, "warning: %s\n", line);
    } else {
        LOG_WARN("feed", "%s: a screen without room for the code shows the contact", line);
    }
    return 1;
}

/* The URL a kind's screen draws as a code, and the entry's id. */
static const char *extra_url(const struct feed *f, enum feed_extra_kind kind, size_t i,
                             const char **id)
{
    switch (kind) {
    case FEED_EXTRA_GRANT:
        *id = feed_grant_at(f, i)->id;
        return feed_grant_at(f, i)->url.url;
    case FEED_EXTRA_DESK:
        *id = feed_desk_at(f, i)->id;
        return feed_desk_at(f, i)->url.url;
    case FEED_EXTRA_ROOM:
        *id = feed_room_at(f, i)->id;
        return feed_room_at(f, i)->booking.url;
    default:
        *id = feed_group_at(f, i)->id;
        return feed_group_at(f, i)->url.url;
    }
}

/* Calls long_url for every item and entry. */
static size_t long_urls(const struct feed *f, size_t max_url, FILE *out)
{
    size_t n = 0;
    for (int k = 0; k < 2; k++) {
        enum feed_kind kind = k == 0 ? FEED_KIND_EVENT : FEED_KIND_VOLUNTEER;
        for (size_t i = 0; i < feed_count(f, kind); i++) {
            const struct feed_item *it = feed_item_at(f, kind, i);
            n += long_url(k == 0 ? "event" : "volunteer", it->id, it->signup_url, max_url, out);
        }
    }
    for (int k = 0; k < FEED_EXTRA_COUNT; k++) {
        for (size_t i = 0; i < feed_extra_count(f, (enum feed_extra_kind)k); i++) {
            const char *id = NULL;
            const char *url = extra_url(f, (enum feed_extra_kind)k, i, &id);
            n += long_url(feed_extra_kind_name((enum feed_extra_kind)k), id, url, max_url, out);
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
    bool ann_doc = false;

    if (import_detect(data, len) != IMPORT_FORMAT_JSON) {
        f = feed_import(data, len, o, lim, NULL, err, sizeof err);
    } else if ((ann_doc = is_announcements_doc(data, len, lim))) {
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
    if (!ann_doc) {
        /* a line of its own, so scripts reading the first line keep working */
        fprintf(out, "kept: grants=%zu desks=%zu rooms=%zu groups=%zu\n",
                feed_extra_count(f, FEED_EXTRA_GRANT), feed_extra_count(f, FEED_EXTRA_DESK),
                feed_extra_count(f, FEED_EXTRA_ROOM), feed_extra_count(f, FEED_EXTRA_GROUP));
    }
    for (size_t i = 0; i < feed_drop_count(f); i++) {
        const struct feed_drop *d = feed_drop_at(f, i);
        fprintf(out, "dropped: %s %s: %s\n", d->kind, d->id, d->reason);
    }
    (void)long_urls(f, lim ? lim->qr_max_url : 0, out);
    feed_free(f);
    return 0;
}
