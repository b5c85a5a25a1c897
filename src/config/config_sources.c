/* config_sources: how a source's settings become a reader's options (feed/import.h), in one
 * place for the kiosk's sync, its --check-feed and kiosk-feed build. */
#include "config/config_sources.h"

#include <stdio.h>
#include <string.h>

void config_import_opts(const struct config *c, size_t slot, int64_t now, struct config_import *out)
{
    const struct config_source *src = slot < CONFIG_MAX_SOURCES ? &c->sources[slot] : NULL;

    import_opts_default(&out->opts);
    out->opts.now = now;
    out->opts.upgrade_http = c->upgrade_http_urls;
    out->opts.window_days = c->ical_window_days;
    out->opts.max_items = c->max_items;
    /* ids of the first source stay as they are; the others get their slot so that two
     * calendars using the same UID scheme do not collide */
    if (slot == 0) {
        out->prefix[0] = '\0';
    } else {
        snprintf(out->prefix, sizeof out->prefix, "s%zu-", slot);
    }
    out->opts.id_prefix = out->prefix;
    if (src) {
        out->opts.kind = src->volunteers ? FEED_KIND_VOLUNTEER : FEED_KIND_EVENT;
        out->opts.default_category = src->category && src->category[0] ? src->category : NULL;
    }
}

void config_source_name(const struct config *c, size_t slot, char *buf, size_t len)
{
    const char *label = slot < CONFIG_MAX_SOURCES ? c->sources[slot].label : NULL;
    const char *url = config_source_url(c, slot);
    const char *p, *e;

    if (label && label[0]) {
        snprintf(buf, len, "%s", label);
        return;
    }
    if (slot == 0) {
        snprintf(buf, len, "feed");
        return;
    }
    if (!url || !url[0]) {
        snprintf(buf, len, "source.%zu", slot);
        return;
    }
    /* the host of a web source, the file name of a local one */
    p = strstr(url, "://");
    p = p ? p + 3 : url;
    if (strncmp(url, "file://", 7) == 0) {
        const char *slash = strrchr(p, '/');
        snprintf(buf, len, "%s", slash ? slash + 1 : p);
        return;
    }
    e = p + strcspn(p, "/?#");
    snprintf(buf, len, "%.*s", (int)(e - p), p);
}
