/* rotate: between the panel's pixels and the logical screen the ui draws.
 *
 * The KMS/DRM driver ignores the kernel's rotate option, so the kiosk rotates itself: it
 * draws the logical screen (1080x1920 for a portrait panel mounted on its side) into a
 * texture and copies it to the panel turned by the config's rotation, clockwise. A touch
 * arrives in panel pixels and must be turned back the same way. Pure functions. */
#ifndef KIOSK_UI_ROTATE_H
#define KIOSK_UI_ROTATE_H

/* The logical size for a panel of pw x ph at `rotation` (0, 90, 180, 270). */
void ui_rotate_logical_size(int rotation, int pw, int ph, int *lw, int *lh);

/* A panel point (px, py) on a pw x ph panel to logical coordinates. */
void ui_rotate_to_logical(int rotation, int pw, int ph, double px, double py, double *lx,
                          double *ly);

/* The inverse: a logical point to panel coordinates (the replay mode injects touches so). */
void ui_rotate_to_panel(int rotation, int pw, int ph, double lx, double ly, double *px, double *py);

#endif
