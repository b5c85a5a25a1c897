/* display: which DRM card drives the panel.
 *
 * A Raspberry Pi 4 or 5 has two DRM cards: the render-only GPU (v3d) and the display
 * controller (vc4) with the HDMI and DSI connectors, and their numbering is not stable
 * between kernels. SDL 2.26's KMS/DRM driver opens /dev/dri/card<N> with N from the hint
 * SDL_KMSDRM_DEVICE_INDEX (SDL >= 2.24; SDL_GetHint falls back to the environment variable
 * of the same name), guessing 0 otherwise, and a wrong guess is a black screen. We read the
 * connector states the kernel publishes in sysfs and pick the card with a connected one.
 * This module never opens a DRM device and knows nothing of SDL. */
#ifndef KIOSK_SYS_DISPLAY_H
#define KIOSK_SYS_DISPLAY_H

#include <stddef.h>

#define SYS_DISPLAY_SYSFS "/sys/class/drm"
#define SYS_DISPLAY_HINT "SDL_KMSDRM_DEVICE_INDEX"

/* Scans `drm_root` (normally SYS_DISPLAY_SYSFS; tests pass a fake tree) for entries
 * "card<N>-<connector>/status". Returns the lowest N with a "connected" connector; when none
 * says connected, the lowest N with a connector in state "unknown" (some DSI and composite
 * outputs never report more); -ENODEV when no card has a connector, -errno when the
 * directory cannot be read. When `connector` is not NULL it receives the connector's name
 * ("HDMI-A-1"), truncated to `len`. Any thread. */
int sys_display_find(const char *drm_root, char *connector, size_t len);

/* Start-up helper for the app, called before SDL_Init and before any thread starts (it
 * calls setenv): unless the operator already set SDL_KMSDRM_DEVICE_INDEX, finds the card
 * and exports its index for SDL. Logs what it chose. Returns the index in effect, or a
 * negative value when nothing was found (SDL then keeps its own guess). */
int sys_display_select(const char *drm_root);

#endif
