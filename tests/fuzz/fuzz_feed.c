/* Fuzzes the feed parser and validator: any bytes must give a feed or a one-line reason,
 * never a crash, a leak or undefined behaviour; and a kept feed's strings must be clean. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "feed/feed_select.h"
#include "util/log.h"
#include "util/utf8.h"

static void quiet(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)line;
    (void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct feed_limits lim;
    char err[256];
    log_set_sink(quiet, NULL);
    feed_limits_default(&lim);
    lim.max_items = 200;
    struct feed *f = feed_parse((const char *)data, size, &lim, err, sizeof err);
    if (!f) {
        if (strchr(err, '\n') || err[0] == '\0') {
            abort();
        }
        return 0;
    }
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < feed_count(f, (enum feed_kind)k); i++) {
            const struct feed_item *it = feed_item_at(f, (enum feed_kind)k, i);
            if (!it->id || !it->title.ja || !utf8_valid(it->title.ja, strlen(it->title.ja))) {
                abort();
            }
        }
    }
    const struct feed_item *out[64];
    struct feed_filter flt = {
        .kind = FEED_KIND_EVENT, .day = FEED_DAY_WEEK, .category = NULL, .audience = NULL};
    feed_select(f, &flt, feed_generated_at(f), out, 64);
    feed_free(f);
    f = feed_parse_announcements((const char *)data, size, &lim, err, sizeof err);
    feed_free(f);
    return 0;
}
