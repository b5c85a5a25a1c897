/* clock: see clock.h. */
#include "util/clock.h"

#include <stdlib.h>
#include <time.h>

struct kclock_scaled_state {
    int64_t start;
    double rate;
    int64_t mono_origin_ms;
};

static int64_t kclock_system_now(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

static int64_t kclock_fixed_now(void *ctx)
{
    return *(const int64_t *)ctx;
}

static int64_t kclock_scaled_now(void *ctx)
{
    const struct kclock_scaled_state *s = ctx;
    double elapsed_s = (double)(kclock_mono_ms() - s->mono_origin_ms) / 1000.0;
    return s->start + (int64_t)(elapsed_s * s->rate);
}

struct kclock kclock_system(void)
{
    struct kclock c = {kclock_system_now, NULL};
    return c;
}

struct kclock kclock_fixed(int64_t *t)
{
    struct kclock c = {kclock_fixed_now, t};
    return c;
}

struct kclock kclock_scaled(int64_t start, double rate)
{
    struct kclock c = {kclock_scaled_now, NULL};
    struct kclock_scaled_state *s = malloc(sizeof *s);
    if (!s) {
        return c;
    }
    s->start = start;
    s->rate = rate > 0 ? rate : 1.0;
    s->mono_origin_ms = kclock_mono_ms();
    c.ctx = s;
    return c;
}

void kclock_free(struct kclock *c)
{
    if (c && c->now == kclock_scaled_now) {
        free(c->ctx);
        c->ctx = NULL;
    }
}

int64_t kclock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
