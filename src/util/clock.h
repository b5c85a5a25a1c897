/* clock: the injected wall clock.
 *
 * Nothing in the kiosk calls time() directly: it asks a struct kclock, so tests and the
 * soak mode can move time (forward, back, fast) without touching the system clock.
 * Times are Unix seconds (int64_t). */
#ifndef KIOSK_UTIL_CLOCK_H
#define KIOSK_UTIL_CLOCK_H

#include <stdint.h>

struct kclock {
    int64_t (*now)(void *ctx);
    void *ctx;
};

/* The system's CLOCK_REALTIME. */
struct kclock kclock_system(void);

/* A clock that reads *t; tests move it by writing *t. The caller owns t. */
struct kclock kclock_fixed(int64_t *t);

/* A clock that runs from `start` at `rate` times real speed (rate 1 with an offset moves
 * the system clock; a large rate makes a simulated week pass in minutes). The returned
 * clock owns a small heap state; free it with kclock_free. NULL state on failure. */
struct kclock kclock_scaled(int64_t start, double rate);
void kclock_free(struct kclock *c);

static inline int64_t kclock_now(const struct kclock *c)
{
    return c->now(c->ctx);
}

/* Monotonic milliseconds for timeouts and frame timing; never jumps with the wall clock. */
int64_t kclock_mono_ms(void);

#endif
