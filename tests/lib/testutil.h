/* testutil: the smallest harness that reads well.
 *
 * A test program is a list of RUN(name) calls of functions whose names read as sentences;
 * CHECK records a failure with file and line and goes on. TEST_MAIN_END prints the closing
 * line "N passed, N failed" that CI reads and returns the exit code. */
#ifndef KIOSK_TESTS_TESTUTIL_H
#define KIOSK_TESTS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

extern int testutil_failures_in_current;
extern int testutil_passed;
extern int testutil_failed;

void testutil_check(bool ok, const char *expr, const char *file, int line);
void testutil_run(void (*fn)(void), const char *name);
int testutil_finish(void);

/* A fresh empty directory under $TMPDIR for one test; the caller frees the string. */
char *testutil_tempdir(void);
/* Writes a whole file; returns 0 or -1. */
int testutil_write_file(const char *path, const char *data, size_t len);
/* Removes a directory tree (best effort). */
void testutil_rmtree(const char *path);

#define CHECK(expr) testutil_check((expr) ? true : false, #expr, __FILE__, __LINE__)
#define RUN(fn) testutil_run(fn, #fn)
#define TEST_MAIN_END() return testutil_finish()

#endif
