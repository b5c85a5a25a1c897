/* backoff: the retry schedule (see backoff.h). Pure arithmetic plus one call to libcurl's
 * date parser, which is reentrant and knows the three HTTP date forms. */
#include "net/backoff.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <curl/curl.h>

void backoff_init(struct backoff *b, int interval_s, int base_s, int cap_s)
{
    b->interval_s = interval_s > 0 ? interval_s : 300;
    b->base_s = base_s > 0 ? base_s : BACKOFF_BASE_DEFAULT_S;
    b->cap_s = cap_s > 0 ? cap_s : BACKOFF_CAP_DEFAULT_S;
    if (b->cap_s < b->base_s) {
        b->cap_s = b->base_s;
    }
    b->failures = 0;
}

int backoff_success(struct backoff *b)
{
    b->failures = 0;
    return b->interval_s;
}

int backoff_ceiling(const struct backoff *b, unsigned failures)
{
    int64_t ceil = b->base_s;
    unsigned i;

    /* Doubling stops at the cap, so the loop never overflows however long the outage. */
    for (i = 1; i < failures && ceil < b->cap_s; i++) {
        ceil *= 2;
    }
    return ceil > b->cap_s ? b->cap_s : (int)ceil;
}

int backoff_failure(struct backoff *b, int64_t retry_after_s, backoff_rand_fn rnd, void *rnd_ctx)
{
    int ceil;
    int64_t delay;

    if (b->failures < UINT_MAX) {
        b->failures++;
    }
    ceil = backoff_ceiling(b, b->failures);
    /* Full jitter over [1, ceil]: never 0, so a failing server is not hammered. */
    delay = 1 + (int64_t)(rnd(rnd_ctx) % (uint32_t)ceil);
    if (retry_after_s > 0) {
        int64_t ra = retry_after_s > b->cap_s ? b->cap_s : retry_after_s;
        if (ra > delay) {
            delay = ra;
        }
    }
    return (int)delay;
}

int backoff_parse_retry_after(const char *value, int64_t now, int64_t *out_s)
{
    const char *p = value;
    size_t len;
    char buf[128];
    time_t t;

    if (!value) {
        return -EINVAL;
    }
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    len = strlen(p);
    while (len > 0 &&
           (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' || p[len - 1] == '\n')) {
        len--;
    }
    if (len == 0 || len >= sizeof buf) {
        return -EINVAL;
    }
    memcpy(buf, p, len);
    buf[len] = '\0';

    if (isdigit((unsigned char)buf[0])) {
        int64_t v = 0;
        size_t i;
        for (i = 0; i < len; i++) {
            if (!isdigit((unsigned char)buf[i])) {
                return -EINVAL;
            }
            if (v < INT64_MAX / 10 - 10) {
                v = v * 10 + (buf[i] - '0');
            }
        }
        *out_s = v;
        return 0;
    }
    t = curl_getdate(buf, NULL);
    if (t == (time_t)-1) {
        return -EINVAL;
    }
    *out_s = (int64_t)t > now ? (int64_t)t - now : 0;
    return 0;
}
