/* healthcache: the board's health figures for GET /api/v1/status, read at most every ten s.
 *
 * sys_health_read is a handful of /proc and /sys reads, but on a board whose kernel hides
 * the firmware's throttled file it runs vcgencmd (up to SYS_HEALTH_CMD_TIMEOUT_MS). A staff
 * page polling the status every few seconds must not spawn a child each time, so the last
 * reading is kept for ADMIN_HEALTH_MAX_AGE_MS. Memory in use and free space in the state dir
 * are not taken from here: the admin reports those fresh on every request. */
#ifndef KIOSK_ADMIN_HEALTHCACHE_H
#define KIOSK_ADMIN_HEALTHCACHE_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "sys/health.h"

#define ADMIN_HEALTH_MAX_AGE_MS 10000

struct admin_health;

/* A cache reading from `paths` (copied; the strings are borrowed and must outlive the
 * cache). NULL when memory runs out. The caller frees with admin_health_free. */
struct admin_health *admin_health_create(const struct sys_health_paths *paths);

/* Accepts NULL. */
void admin_health_free(struct admin_health *h);

/* Adds open_fds, soc_temp_c, throttled, under_voltage_now, under_voltage_seen and
 * throttled_now (each only when known) to `obj`, reading the board first when the last
 * reading is older than ADMIN_HEALTH_MAX_AGE_MS at `now_mono_ms` (or from the future).
 * Returns 0 or -ENOMEM. Any thread; concurrent callers wait for one reading. */
int admin_health_add_json(struct admin_health *h, cJSON *obj, int64_t now_mono_ms);

/* The cached reading itself (read first as above); rss and free space are unknown (-1). */
void admin_health_get(struct admin_health *h, int64_t now_mono_ms, struct sys_health *out);

#endif
