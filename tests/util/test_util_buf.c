/* test_util_buf: the capped growable buffer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "testutil.h"

static void appends_grow_and_stay_nul_terminated(void)
{
    struct buf b;
    char chunk[1000];
    buf_init(&b, 1 << 20);
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 100; i++) {
        CHECK(buf_append(&b, chunk, sizeof chunk) == 0);
    }
    CHECK(b.len == 100000 && b.data[b.len] == '\0' && b.cap > b.len);
    CHECK(buf_append(&b, "", 0) == 0 && b.len == 100000);
    buf_free(&b);
    CHECK(!b.data && b.len == 0);
}

static void the_cap_refuses_the_append_that_would_pass_it_and_keeps_the_rest(void)
{
    struct buf b;
    buf_init(&b, 10);
    CHECK(buf_append(&b, "0123456789", 10) == 0);
    CHECK(buf_append(&b, "a", 1) == -EFBIG);
    CHECK(b.len == 10 && strcmp(b.data, "0123456789") == 0);
    CHECK(b.cap <= 11); /* never allocates past the cap */
    buf_free(&b);
    buf_init(&b, 4);
    CHECK(buf_append(&b, "12345", 5) == -EFBIG && !b.data);
    buf_free(&b);
}

static void reserve_and_commit_serve_direct_readers(void)
{
    struct buf b;
    size_t len = 0;
    buf_init(&b, 100);
    CHECK(buf_reserve(&b, 50) == 0 && b.cap >= 51);
    memcpy(b.data + b.len, "hello", 5);
    buf_commit(&b, 5);
    CHECK(b.len == 5 && strcmp(b.data, "hello") == 0);
    CHECK(buf_reserve(&b, 96) == -EFBIG);
    char *s = buf_take(&b, &len);
    CHECK(s && len == 5 && strcmp(s, "hello") == 0);
    CHECK(!b.data && b.len == 0);
    free(s);
    CHECK(!buf_take(&b, &len) && len == 0);
}

static void formatted_text_is_appended_within_the_cap(void)
{
    struct buf b;
    buf_init(&b, 16);
    CHECK(buf_appendf(&b, "%s-%d", "ab", 42) == 0);
    CHECK(b.len == 5 && strcmp(b.data, "ab-42") == 0);
    CHECK(buf_appendf(&b, "%s", "0123456789") == 0); /* 15 of 16 */
    CHECK(b.len == 15 && strcmp(b.data, "ab-420123456789") == 0);
    CHECK(buf_appendf(&b, "%c", 'x') == 0); /* exactly the cap */
    /* past the cap: refused, and nothing changes */
    CHECK(buf_appendf(&b, "%c", 'y') == -EFBIG);
    CHECK(b.len == 16 && strcmp(b.data, "ab-420123456789x") == 0);
    buf_free(&b);
}

int main(void)
{
    RUN(appends_grow_and_stay_nul_terminated);
    RUN(the_cap_refuses_the_append_that_would_pass_it_and_keeps_the_rest);
    RUN(reserve_and_commit_serve_direct_readers);
    RUN(formatted_text_is_appended_within_the_cap);
    TEST_MAIN_END();
}
