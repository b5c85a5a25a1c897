/* check: the report behind `kiosk --check-feed FILE` (see check.h). It only formats what
 * feed_parse() decided, so the check and the kiosk can never disagree. */
#include "feed/check.h"

#include <cjson/cJSON.h>

#include "feed/jsonstrict.h"

/* True when the document looks like an announcements-only document. A document that is
 * not even JSON is judged as a feed, which gives the same rejection. */
static bool is_announcements_doc(const char *data, size_t len, const struct feed_limits *lim)
{
    cJSON *root;
    bool yes = false;
    char err[8];

    if (lim && len > lim->max_bytes)
        return false;
    root = json_strict_parse(data, len, NULL, err, sizeof err);
    if (cJSON_IsObject(root))
        yes = cJSON_GetObjectItemCaseSensitive(root, "announcements") &&
              !cJSON_GetObjectItemCaseSensitive(root, "events") &&
              !cJSON_GetObjectItemCaseSensitive(root, "volunteers");
    cJSON_Delete(root);
    return yes;
}

int feed_check_report(const char *data, size_t len, const struct feed_limits *lim, FILE *out)
{
    char err[256];
    struct feed *f;

    if (is_announcements_doc(data, len, lim))
        f = feed_parse_announcements(data, len, lim, err, sizeof err);
    else
        f = feed_parse(data, len, lim, err, sizeof err);
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
    feed_free(f);
    return 0;
}
