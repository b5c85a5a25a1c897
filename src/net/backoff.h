/* backoff: when to try the next sync, as pure functions.
 *
 * After a success the next attempt is one poll interval away. After a failure the delay is
 * drawn with "full jitter": uniform in [1, min(cap, base * 2^(failures-1))] seconds, so a
 * fleet of kiosks that lost the network together does not come back in lock-step. A
 * server's Retry-After (seconds or an HTTP date) is a floor for that delay, itself capped
 * at the cap so a broken or hostile server can never silence a kiosk for days. Randomness
 * is injected so tests can pin it. No clocks, no I/O, no state beyond struct backoff. */
#ifndef KIOSK_NET_BACKOFF_H
#define KIOSK_NET_BACKOFF_H

#include <stdint.h>

#define BACKOFF_BASE_DEFAULT_S 15
#define BACKOFF_CAP_DEFAULT_S 1800

/* Returns a uniformly distributed 32-bit value. Called only from the thread that owns the
 * struct backoff. */
typedef uint32_t (*backoff_rand_fn)(void *ctx);

struct backoff {
    int interval_s;    /* normal poll interval, > 0 */
    int base_s;        /* first failure's ceiling, > 0 */
    int cap_s;         /* largest delay after failures, >= base_s */
    unsigned failures; /* consecutive failures so far */
};

/* Fills b with the given schedule and no failures; non-positive values take defaults
 * (interval 300 s). */
void backoff_init(struct backoff *b, int interval_s, int base_s, int cap_s);

/* Records a success: failures reset; returns interval_s. */
int backoff_success(struct backoff *b);

/* Records a failure and returns the delay in seconds before the next attempt, in
 * [1, cap_s]. retry_after_s < 0 means the server gave none. */
int backoff_failure(struct backoff *b, int64_t retry_after_s, backoff_rand_fn rnd, void *rnd_ctx);

/* The ceiling of the jitter window after `failures` consecutive failures (>= 1). */
int backoff_ceiling(const struct backoff *b, unsigned failures);

/* Parses a Retry-After header value: delta-seconds or an HTTP date (IMF-fixdate, RFC 850
 * or asctime), relative to `now` (Unix seconds). Returns 0 and sets *out_s (>= 0; a date
 * in the past gives 0), or -EINVAL. Any thread. */
int backoff_parse_retry_after(const char *value, int64_t now, int64_t *out_s);

#endif
