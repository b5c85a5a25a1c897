/* testutil: see testutil.h. */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int testutil_failures_in_current;
int testutil_passed;
int testutil_failed;

void testutil_check(bool ok, const char *expr, const char *file, int line)
{
    if (!ok) {
        testutil_failures_in_current++;
        fprintf(stderr, "  CHECK failed: %s (%s:%d)\n", expr, file, line);
    }
}

void testutil_run(void (*fn)(void), const char *name)
{
    testutil_failures_in_current = 0;
    fn();
    if (testutil_failures_in_current == 0) {
        testutil_passed++;
        printf("ok   %s\n", name);
    } else {
        testutil_failed++;
        printf("FAIL %s\n", name);
    }
    fflush(stdout);
}

int testutil_finish(void)
{
    printf("%d passed, %d failed\n", testutil_passed, testutil_failed);
    return testutil_failed == 0 ? 0 : 1;
}

char *testutil_tempdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/kiosk-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpl)) {
        return NULL;
    }
    return strdup(tmpl);
}

int testutil_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        return -1;
    }
    size_t n = fwrite(data, 1, len, f);
    int rc = fclose(f);
    return (n == len && rc == 0) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void testutil_rmtree(const char *path)
{
    if (path) {
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
}
