/* theme: the category palette (see theme.h). Each pair was checked for contrast: the fg
 * on white and on its own bg stays above 4.5:1. */
#include "ui/theme.h"

static const struct theme_hue palette[] = {
    {THEME_RGB(0x1A5FB4), THEME_RGB(0xE3EEFB)}, /* blue */
    {THEME_RGB(0x1E7034), THEME_RGB(0xE2F3E6)}, /* green */
    {THEME_RGB(0xA84600), THEME_RGB(0xFDEBDC)}, /* orange */
    {THEME_RGB(0x7B2CA0), THEME_RGB(0xF2E6F8)}, /* purple */
    {THEME_RGB(0x006A73), THEME_RGB(0xDDF3F4)}, /* teal */
    {THEME_RGB(0xAF2A20), THEME_RGB(0xFBE4E2)}, /* red */
    {THEME_RGB(0x5F5F00), THEME_RGB(0xF1F1D2)}, /* olive */
    {THEME_RGB(0xA1306A), THEME_RGB(0xFAE3EF)}, /* pink */
};

struct theme_hue theme_category_hue(size_t i)
{
    return palette[i % (sizeof palette / sizeof palette[0])];
}

struct theme_hue theme_tile_hue(int tile)
{
    static const int map[4] = {0, 1, 2, 3};
    if (tile < 0 || tile > 3) {
        tile = 0;
    }
    return palette[map[tile]];
}
