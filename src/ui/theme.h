/* theme: colours and sizes of the kiosk's screens.
 *
 * Colour groups, it does not decorate: one hue per category (chips, bars), blue for
 * Saturday and red for Sunday, a dark header, white cards on a warm light ground. Every
 * text colour here keeps at least 4.5:1 against the ground it is drawn on. Sizes scale
 * from one unit, min(w, h) / 1080, so 1920x1080 and 1080x1920 get the same physical text
 * and touch targets (at least 80 px, about 10 mm on a 24" panel, at 1080). */
#ifndef KIOSK_UI_THEME_H
#define KIOSK_UI_THEME_H

#include <stddef.h>

#include "gfx/gfx.h"

#define THEME_RGB(hex)                                                                             \
    ((struct gfx_color){((hex) >> 16) & 0xFF, ((hex) >> 8) & 0xFF, (hex)&0xFF, 0xFF})

/* grounds */
#define THEME_BG THEME_RGB(0xF2F0EB)
#define THEME_CARD THEME_RGB(0xFFFFFF)
#define THEME_HEADER THEME_RGB(0x0E4A6B)
#define THEME_HEADER_TEXT THEME_RGB(0xFFFFFF)
#define THEME_HEADER_SUB THEME_RGB(0xD5E6F0)
#define THEME_LINE THEME_RGB(0xD9D6CF)
/* text on white or the light ground */
#define THEME_TEXT THEME_RGB(0x1D2125)
#define THEME_TEXT_SUB THEME_RGB(0x4A5159)
#define THEME_SATURDAY THEME_RGB(0x1557B0)
#define THEME_SUNDAY THEME_RGB(0xC0271F)
/* controls */
#define THEME_BUTTON THEME_RGB(0x0E4A6B)
#define THEME_BUTTON_TEXT THEME_RGB(0xFFFFFF)
#define THEME_BUTTON_SOFT THEME_RGB(0xE3EBF0)
#define THEME_CHIP_OFF THEME_RGB(0xFFFFFF)
#define THEME_CHIP_OFF_LINE THEME_RGB(0x7A8590) /* 3.7:1 on white: a control's outline */
/* a white card that is a control (tile, row, panel) needs an edge: white is 1.1:1 on THEME_BG;
 * this is 3.3:1 on it (WCAG 1.4.11) */
#define THEME_CARD_LINE THEME_CHIP_OFF_LINE
/* announcements and status */
#define THEME_IMPORTANT_BG THEME_RGB(0xB3261E)
#define THEME_IMPORTANT_TEXT THEME_RGB(0xFFFFFF)
#define THEME_NORMAL_BADGE THEME_RGB(0xE4E8EC)
#define THEME_EMERGENCY_BG THEME_RGB(0x8E0E0E)
#define THEME_EMERGENCY_BAND THEME_RGB(0x000000)
#define THEME_EMERGENCY_TITLE THEME_RGB(0xFFE14D)
#define THEME_STALE_BG THEME_RGB(0xFFF1C2)
#define THEME_STALE_TEXT THEME_RGB(0x5A4300)
#define THEME_WARN_TEXT THEME_RGB(0xFFD27A)
#define THEME_ATTRACT_BG THEME_RGB(0x0E4A6B)
#define THEME_ATTRACT_PROMPT THEME_RGB(0xFFD54A)

/* A hue: `fg` for text and bars on white or `bg`, `bg` a light tint. */
struct theme_hue {
    struct gfx_color fg;
    struct gfx_color bg;
};

/* The hue of the i-th category of the feed (cycles through a fixed palette). */
struct theme_hue theme_category_hue(size_t i);

/* Hues of the four home tiles: today, events, volunteers, announcements. */
struct theme_hue theme_tile_hue(int tile);

#endif
