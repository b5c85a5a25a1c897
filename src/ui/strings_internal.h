/* strings_internal: the per-language tables behind ui_str (strings.h). Not for screens.
 *
 * Each table is a designated-initialiser array indexed by enum ui_str; a missing entry is
 * NULL, which test_ui_strings finds. */
#ifndef KIOSK_UI_STRINGS_INTERNAL_H
#define KIOSK_UI_STRINGS_INTERNAL_H

#include "ui/strings.h"

extern const char *const ui_strings_ja[UI_STR_COUNT_];
extern const char *const ui_strings_easy[UI_STR_COUNT_];
extern const char *const ui_strings_en[UI_STR_COUNT_];
extern const char *const ui_strings_zh[UI_STR_COUNT_];
extern const char *const ui_strings_ko[UI_STR_COUNT_];

#endif
