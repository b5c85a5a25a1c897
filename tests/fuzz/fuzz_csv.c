/* Fuzzes the CSV reader (イベント一覧): any bytes must give a tree or a one-line reason, never
 * a crash, a leak or undefined behaviour; every drop names a line; and a tree that comes back
 * must print and pass the feed's validator whole, without a single item dropped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed.h"
#include "feed/import.h"
#include "util/log.h"
#include "util/timeutil.h"

static void quiet(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)line;
    (void)ctx;
}

static void on_drop(void *ctx, const char *kind, const char *id, const char *reason)
{
    (void)ctx;
    if (strcmp(kind, "row") != 0 || !id[0] || strspn(id, "0123456789") != strlen(id) ||
        !reason[0] || strchr(reason, '\n')) {
        fprintf(stderr, "bad drop: %s %s: %s\n", kind, id, reason);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool zoned;
    struct import_opts o;
    char err[256];
    cJSON *doc;
    char *printed;

    if (!zoned) {
        log_set_sink(quiet, NULL);
        timeutil_set_zone("Asia/Tokyo");
        zoned = true;
    }
    import_opts_default(&o);
    o.drop = on_drop;
    o.max_items = 200;
    /* the first byte picks the options, so both kinds and both URL rules are reached */
    if (size > 0) {
        o.kind = (data[0] & 1) ? FEED_KIND_VOLUNTEER : FEED_KIND_EVENT;
        o.upgrade_http = (data[0] & 2) == 0;
        o.default_category = (data[0] & 4) ? "その他" : NULL;
    }
    doc = import_csv((const char *)data, size, &o, err, sizeof err);
    if (!doc) {
        if (err[0] == '\0' || strchr(err, '\n')) {
            abort();
        }
        return 0;
    }
    printed = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (printed) {
        struct feed_limits lim;
        struct feed *f;
        feed_limits_default(&lim);
        f = feed_parse(printed, strlen(printed), &lim, err, sizeof err);
        /* the reader's tree is always a document the validator accepts whole, every item
         * included: what the reader would make the validator drop, it leaves out itself */
        if (!f || feed_drop_count(f) != 0) {
            if (f) {
                fprintf(stderr, "validator dropped %s: %s\n", feed_drop_at(f, 0)->id,
                        feed_drop_at(f, 0)->reason);
            }
            abort();
        }
        feed_free(f);
        free(printed);
    }
    return 0;
}
