/* Fuzzes the iCalendar reader: any bytes must give a tree or a one-line reason, never a
 * crash, a leak, a hang or undefined behaviour; a dropped entry is reported with a UID that
 * holds no line break; and the tree, printed, must pass feed_parse whole with nothing
 * dropped, since the reader only writes what the validator accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed.h"
#include "feed/import.h"
#include "util/log.h"
#include "util/timeutil.h"

#define NOW 1799539200 /* 2027-01-10T09:00:00+09:00 */

static void quiet(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)line;
    (void)ctx;
}

static void on_drop(void *ctx, const char *kind, const char *id, const char *reason)
{
    (void)ctx;
    if (strcmp(kind, "event") != 0 || !id[0] || strchr(id, '\n') || !reason[0]) {
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_sink(quiet, NULL);
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_opts o;
    struct feed_limits lim;
    char err[256];
    char *text;
    struct feed *f;
    cJSON *doc;

    import_opts_default(&o);
    o.now = NOW;
    o.max_items = 200;
    o.drop = on_drop;
    o.default_category = size % 2 ? "お知らせ" : NULL;
    o.upgrade_http = size % 3 != 0;
    doc = import_ical((const char *)data, size, &o, err, sizeof err);
    if (!doc) {
        if (strchr(err, '\n') || err[0] == '\0') {
            abort();
        }
        return 0;
    }
    text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text) {
        abort();
    }
    feed_limits_default(&lim);
    f = feed_parse(text, strlen(text), &lim, err, sizeof err);
    free(text);
    if (!f || feed_drop_count(f) != 0) {
        abort();
    }
    feed_free(f);
    return 0;
}
