/* health: the figures GET /api/v1/status reports about the kiosk process and the board.
 *
 * Resident memory and open file descriptors show a leak weeks before it kills the kiosk;
 * free space in the state dir shows a card filling up; on a Raspberry Pi the SoC
 * temperature and the firmware's throttled flags show a hot case or a weak power supply
 * (under-voltage corrupts SD cards). Every figure is optional: off the board, in a
 * container or under a sandbox that hides a file, it is simply absent. All paths are
 * injectable so tests point them at a fake tree. Reading is a handful of small file reads;
 * the vcgencmd fallback runs a child for at most SYS_HEALTH_CMD_TIMEOUT_MS. Any thread (the
 * admin API's); no state kept between calls. */
#ifndef KIOSK_SYS_HEALTH_H
#define KIOSK_SYS_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define SYS_HEALTH_CMD_TIMEOUT_MS 2000

/* Firmware throttled bits (vcgencmd get_throttled). */
#define SYS_THROTTLE_UNDERVOLT_NOW 0x1u
#define SYS_THROTTLE_FREQ_CAPPED_NOW 0x2u
#define SYS_THROTTLE_THROTTLED_NOW 0x4u
#define SYS_THROTTLE_SOFT_TEMP_NOW 0x8u
#define SYS_THROTTLE_UNDERVOLT_SEEN 0x10000u
#define SYS_THROTTLE_FREQ_CAPPED_SEEN 0x20000u
#define SYS_THROTTLE_THROTTLED_SEEN 0x40000u
#define SYS_THROTTLE_SOFT_TEMP_SEEN 0x80000u

/* Where to look. NULL or "" skips a figure. */
struct sys_health_paths {
    const char *proc_self;      /* /proc/self: statm and fd/ */
    const char *state_dir;      /* /var/lib/kiosk */
    const char *thermal_temp;   /* /sys/class/thermal/thermal_zone0/temp (millidegrees) */
    const char *throttled_file; /* /sys/devices/platform/soc/soc:firmware/get_throttled */
    const char *vcgencmd;       /* /usr/bin/vcgencmd, used when throttled_file is absent */
};

struct sys_health {
    int64_t rss_bytes;        /* -1: unknown */
    int open_fds;             /* -1: unknown */
    int64_t state_free_bytes; /* -1: unknown */
    bool has_soc_temp;
    int soc_temp_millic; /* 48312 = 48.312 °C */
    bool has_throttled;
    unsigned throttled; /* SYS_THROTTLE_* bits */
};

/* The real paths of a board, with the given state dir. */
void sys_health_default_paths(struct sys_health_paths *paths, const char *state_dir);

/* Fills *out; figures that cannot be read are left unknown. Returns the number of figures
 * read. */
int sys_health_read(const struct sys_health_paths *paths, struct sys_health *out);

/* Adds the known figures to a JSON object: rss_bytes, open_fds, state_free_bytes,
 * soc_temp_c (one decimal), throttled ("0x50005"), under_voltage_now, under_voltage_seen,
 * throttled_now. Unknown figures are left out. Returns 0 or -ENOMEM. */
int sys_health_to_json(const struct sys_health *h, cJSON *obj);

#endif
