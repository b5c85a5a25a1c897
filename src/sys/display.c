/* display: picks /dev/dri/card<N> from the connector states in sysfs.
 *
 * Entries in /sys/class/drm are "card0", "card0-HDMI-A-1", "renderD128", "version"; only
 * the "card<N>-<connector>" ones carry a status file ("connected", "disconnected",
 * "unknown"). The choice is deterministic (lowest index wins) whatever order readdir gives. */
#include "sys/display.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

enum { SYS_DISP_NONE, SYS_DISP_UNKNOWN, SYS_DISP_CONNECTED };

/* Parses "card<N>-<rest>"; returns N or -1. */
static int sys_display_parse_name(const char *name, const char **rest)
{
    const char *p = name + 4;
    long n = 0;

    if (strncmp(name, "card", 4) != 0 || *p < '0' || *p > '9') {
        return -1;
    }
    while (*p >= '0' && *p <= '9') {
        n = n * 10 + (*p - '0');
        if (n > 99) { /* SDL accepts 0-99 */
            return -1;
        }
        p++;
    }
    if (*p != '-' || p[1] == '\0') {
        return -1;
    }
    *rest = p + 1;
    return (int)n;
}

static int sys_display_state(const char *drm_root, const char *entry)
{
    char path[512];
    char buf[32];
    FILE *f;
    size_t n;
    int n_path = snprintf(path, sizeof path, "%s/%s/status", drm_root, entry);

    if (n_path < 0 || (size_t)n_path >= sizeof path) {
        return SYS_DISP_NONE;
    }
    f = fopen(path, "re");
    if (!f) {
        return SYS_DISP_NONE;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    if (strcmp(buf, "connected") == 0) {
        return SYS_DISP_CONNECTED;
    }
    if (strcmp(buf, "unknown") == 0) {
        return SYS_DISP_UNKNOWN;
    }
    return SYS_DISP_NONE;
}

int sys_display_find(const char *drm_root, char *connector, size_t len)
{
    DIR *dir;
    struct dirent *de;
    int best = -1, best_state = SYS_DISP_NONE;
    char best_name[64] = "";
    int result;

    if (!drm_root) {
        return -EINVAL;
    }
    dir = opendir(drm_root);
    if (!dir) {
        return -errno;
    }
    while ((de = readdir(dir))) {
        const char *rest = NULL;
        int idx = sys_display_parse_name(de->d_name, &rest);
        int state;

        if (idx < 0) {
            continue;
        }
        state = sys_display_state(drm_root, de->d_name);
        if (state == SYS_DISP_NONE) {
            continue;
        }
        /* a connected connector beats an unknown one; then the lowest card, then the
         * connector name, so the answer never depends on readdir order */
        if (state > best_state ||
            (state == best_state && (idx < best || (idx == best && strcmp(rest, best_name) < 0)))) {
            best = idx;
            best_state = state;
            snprintf(best_name, sizeof best_name, "%s", rest);
        }
    }
    closedir(dir);
    result = best >= 0 ? best : -ENODEV;
    if (best >= 0 && connector && len > 0) {
        snprintf(connector, len, "%s", best_name);
    }
    return result;
}

int sys_display_select(const char *drm_root)
{
    const char *preset = getenv(SYS_DISPLAY_HINT);
    char connector[64] = "";
    char value[16];
    int idx;

    if (preset && *preset) {
        LOG_INFO("sys", "display: %s=%s set by the operator, keeping it", SYS_DISPLAY_HINT, preset);
        return atoi(preset);
    }
    idx = sys_display_find(drm_root ? drm_root : SYS_DISPLAY_SYSFS, connector, sizeof connector);
    if (idx < 0) {
        LOG_WARN("sys", "display: no connected DRM connector under %s (%s); SDL will guess",
                 drm_root ? drm_root : SYS_DISPLAY_SYSFS, strerror(-idx));
        return idx;
    }
    snprintf(value, sizeof value, "%d", idx);
    if (setenv(SYS_DISPLAY_HINT, value, 1) != 0) {
        int err = errno;
        LOG_WARN("sys", "display: cannot set %s: %s", SYS_DISPLAY_HINT, strerror(err));
        return -err;
    }
    LOG_INFO("sys", "display: using /dev/dri/card%d (%s)", idx, connector);
    return idx;
}
