/* test_feed_jsonsuite: none of JSONTestSuite's parsing cases is a feed, so feed_parse()
 * must turn every one down cleanly: NULL, a one-line reason, no crash, no leak (the
 * sanitizer build checks the last two). The y_ cases are valid JSON and must be rejected
 * as "not a feed", never as invalid JSON; the n_ cases must never reach the item rules. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "util/log.h"
#include "testutil.h"

/* tests/lib/jsonsuite.sh puts the cases there (from ../shared, or npm in a lone clone) */
#define SUITE KIOSK_BINARY_DIR "/testdata/JSONTestSuite/test_parsing"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

static void every_suite_case_is_rejected_with_one_line(void)
{
    DIR *d = opendir(SUITE);
    struct dirent *e;
    size_t files = 0;

    CHECK(d);
    if (!d) {
        return;
    }
    while ((e = readdir(d))) {
        char path[1024];
        char err[256];
        size_t len = 0;
        char *data;
        struct feed *f;
        size_t n = strlen(e->d_name);

        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", SUITE, e->d_name);
        data = read_all(path, &len);
        CHECK(data);
        if (!data) {
            continue;
        }
        files++;
        strcpy(err, "");
        f = feed_parse(data, len, NULL, err, sizeof err);
        CHECK(!f);
        CHECK(err[0] != '\0' && !strchr(err, '\n'));
        if (e->d_name[0] == 'y') {
            CHECK(strncmp(err, "invalid JSON", 12) != 0);
        }
        if (f || !err[0] || (e->d_name[0] == 'y' && strncmp(err, "invalid JSON", 12) == 0)) {
            fprintf(stderr, "  %s: %s\n", e->d_name, f ? "accepted" : err);
        }
        feed_free(f);
        /* and as an announcements document */
        f = feed_parse_announcements(data, len, NULL, err, sizeof err);
        CHECK(!f && !strchr(err, '\n'));
        feed_free(f);
        free(data);
    }
    closedir(d);
    CHECK(files == 318);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    RUN(every_suite_case_is_rejected_with_one_line);
    TEST_MAIN_END();
}
