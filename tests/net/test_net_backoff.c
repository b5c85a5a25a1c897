/* test_net_backoff: the retry schedule grows, caps, jitters within bounds, honours
 * Retry-After and resets on success, with a fake random source. */
#include <errno.h>
#include <stdint.h>

#include "net/backoff.h"
#include "testutil.h"

static uint32_t fake_value;

static uint32_t fake_rand(void *ctx)
{
    (void)ctx;
    return fake_value;
}

/* A small deterministic generator for sweeping many values. */
static uint32_t lcg_rand(void *ctx)
{
    uint32_t *state = ctx;
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

static void ceiling_doubles_from_base_up_to_cap(void)
{
    struct backoff b;
    backoff_init(&b, 300, 15, 1800);
    CHECK(backoff_ceiling(&b, 1) == 15);
    CHECK(backoff_ceiling(&b, 2) == 30);
    CHECK(backoff_ceiling(&b, 3) == 60);
    CHECK(backoff_ceiling(&b, 4) == 120);
    CHECK(backoff_ceiling(&b, 7) == 960);
    CHECK(backoff_ceiling(&b, 8) == 1800);
    CHECK(backoff_ceiling(&b, 9) == 1800);
    CHECK(backoff_ceiling(&b, 4000000000u) == 1800);
}

static void defaults_apply_to_non_positive_values(void)
{
    struct backoff b;
    backoff_init(&b, 0, 0, 0);
    CHECK(b.interval_s == 300);
    CHECK(b.base_s == BACKOFF_BASE_DEFAULT_S);
    CHECK(b.cap_s == BACKOFF_CAP_DEFAULT_S);
    backoff_init(&b, 60, 100, 50);
    CHECK(b.cap_s == 100); /* a cap below the base is raised to it */
}

static void full_jitter_spans_one_to_ceiling(void)
{
    struct backoff b;
    unsigned i;

    backoff_init(&b, 300, 15, 1800);
    fake_value = 0;
    CHECK(backoff_failure(&b, -1, fake_rand, NULL) == 1);
    fake_value = 29; /* second failure: window [1, 30] */
    CHECK(backoff_failure(&b, -1, fake_rand, NULL) == 30);
    fake_value = 60; /* third: ceiling 60, 60 % 60 = 0 */
    CHECK(backoff_failure(&b, -1, fake_rand, NULL) == 1);
    CHECK(b.failures == 3);

    /* Sweep: every delay stays inside its window, and the window's top is reached. */
    for (i = 1; i <= 12; i++) {
        uint32_t state = i;
        int ceil, min = 1 << 30, max = 0, k;
        backoff_init(&b, 300, 15, 1800);
        b.failures = i - 1;
        ceil = backoff_ceiling(&b, i);
        for (k = 0; k < 2000; k++) {
            int d;
            b.failures = i - 1;
            d = backoff_failure(&b, -1, lcg_rand, &state);
            if (d < min) {
                min = d;
            }
            if (d > max) {
                max = d;
            }
        }
        CHECK(min >= 1);
        CHECK(max <= ceil);
        CHECK(max > ceil / 2); /* jitter actually spreads */
    }
}

static void delay_never_exceeds_cap_however_many_failures(void)
{
    struct backoff b;
    int i;

    backoff_init(&b, 300, 15, 1800);
    fake_value = UINT32_MAX;
    for (i = 0; i < 100; i++) {
        int d = backoff_failure(&b, -1, fake_rand, NULL);
        CHECK(d >= 1 && d <= 1800);
    }
    CHECK(b.failures == 100);
}

static void retry_after_is_a_floor_capped_at_cap(void)
{
    struct backoff b;

    backoff_init(&b, 300, 15, 1800);
    fake_value = 0;
    CHECK(backoff_failure(&b, 120, fake_rand, NULL) == 120);
    CHECK(backoff_failure(&b, 86400, fake_rand, NULL) == 1800);
    /* A Retry-After shorter than the jittered delay does not shorten it. */
    backoff_init(&b, 300, 15, 1800);
    fake_value = 9;
    CHECK(backoff_failure(&b, 2, fake_rand, NULL) == 10);
    /* Zero means "now": the jitter's floor of one second still holds. */
    backoff_init(&b, 300, 15, 1800);
    fake_value = 0;
    CHECK(backoff_failure(&b, 0, fake_rand, NULL) == 1);
}

static void success_resets_the_schedule(void)
{
    struct backoff b;

    backoff_init(&b, 300, 15, 1800);
    fake_value = UINT32_MAX - 1;
    (void)backoff_failure(&b, -1, fake_rand, NULL);
    (void)backoff_failure(&b, -1, fake_rand, NULL);
    (void)backoff_failure(&b, -1, fake_rand, NULL);
    CHECK(b.failures == 3);
    CHECK(backoff_success(&b) == 300);
    CHECK(b.failures == 0);
    fake_value = 14;
    CHECK(backoff_failure(&b, -1, fake_rand, NULL) == 15); /* back to the base window */
}

static void retry_after_parses_seconds_and_http_dates(void)
{
    int64_t out = -1;
    const int64_t t = 1445412480; /* Wed, 21 Oct 2015 07:28:00 GMT */

    CHECK(backoff_parse_retry_after("120", t, &out) == 0 && out == 120);
    CHECK(backoff_parse_retry_after("  7 \r\n", t, &out) == 0 && out == 7);
    CHECK(backoff_parse_retry_after("0", t, &out) == 0 && out == 0);
    CHECK(backoff_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", t - 90, &out) == 0 &&
          out == 90);
    CHECK(backoff_parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", t - 30, &out) == 0 &&
          out == 30);
    CHECK(backoff_parse_retry_after("Wed Oct 21 07:28:00 2015", t - 5, &out) == 0 && out == 5);
    /* A date in the past means "now". */
    CHECK(backoff_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", t + 100, &out) == 0 &&
          out == 0);
    CHECK(backoff_parse_retry_after("99999999999999999999999", t, &out) == 0 && out > 0);
}

static void retry_after_rejects_garbage(void)
{
    int64_t out = 0;
    CHECK(backoff_parse_retry_after("", 0, &out) == -EINVAL);
    CHECK(backoff_parse_retry_after("   ", 0, &out) == -EINVAL);
    CHECK(backoff_parse_retry_after("12abc", 0, &out) == -EINVAL);
    CHECK(backoff_parse_retry_after("-5", 0, &out) == -EINVAL);
    CHECK(backoff_parse_retry_after("soon", 0, &out) == -EINVAL);
    CHECK(backoff_parse_retry_after(NULL, 0, &out) == -EINVAL);
}

int main(void)
{
    RUN(ceiling_doubles_from_base_up_to_cap);
    RUN(defaults_apply_to_non_positive_values);
    RUN(full_jitter_spans_one_to_ceiling);
    RUN(delay_never_exceeds_cap_however_many_failures);
    RUN(retry_after_is_a_floor_capped_at_cap);
    RUN(success_resets_the_schedule);
    RUN(retry_after_parses_seconds_and_http_dates);
    RUN(retry_after_rejects_garbage);
    TEST_MAIN_END();
}
