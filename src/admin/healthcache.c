/* healthcache: see healthcache.h.
 *
 * One mutex guards the reading; it is held while reading so that two requests arriving
 * together start one vcgencmd, not two. The figures the admin reports itself (RSS, free
 * space) are blanked out of the copy before it becomes JSON, so the status has one name for
 * each figure. */
#include "admin/healthcache.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct admin_health {
    pthread_mutex_t lock;
    struct sys_health_paths paths;
    struct sys_health last;
    bool have;
    int64_t read_at_ms;
};

struct admin_health *admin_health_create(const struct sys_health_paths *paths)
{
    struct admin_health *h = calloc(1, sizeof *h);
    if (!h) {
        return NULL;
    }
    if (pthread_mutex_init(&h->lock, NULL) != 0) {
        free(h);
        return NULL;
    }
    h->paths = *paths;
    /* The admin reports free space itself; no statvfs here. */
    h->paths.state_dir = NULL;
    return h;
}

void admin_health_free(struct admin_health *h)
{
    if (!h) {
        return;
    }
    pthread_mutex_destroy(&h->lock);
    free(h);
}

void admin_health_get(struct admin_health *h, int64_t now_mono_ms, struct sys_health *out)
{
    pthread_mutex_lock(&h->lock);
    if (!h->have || now_mono_ms - h->read_at_ms >= ADMIN_HEALTH_MAX_AGE_MS ||
        now_mono_ms < h->read_at_ms) {
        sys_health_read(&h->paths, &h->last);
        h->have = true;
        h->read_at_ms = now_mono_ms;
    }
    *out = h->last;
    pthread_mutex_unlock(&h->lock);
    out->rss_bytes = -1;
    out->state_free_bytes = -1;
}

int admin_health_add_json(struct admin_health *h, cJSON *obj, int64_t now_mono_ms)
{
    struct sys_health copy;

    admin_health_get(h, now_mono_ms, &copy);
    return sys_health_to_json(&copy, obj) < 0 ? -ENOMEM : 0;
}
