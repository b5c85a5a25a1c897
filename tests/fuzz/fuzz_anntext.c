/* Fuzzes announcement text against the screens (issue 17): any text the admin API's rules
 * accept must measure more than 0 px in every style a screen draws announcements with, so
 * no accepted announcement can vanish or let the next one be skipped. Real fonts, real
 * layout (ICU), a software renderer; the validator is the one the API and feeds use. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <cjson/cJSON.h>

#include "feed/announce.h"
#include "gfx/gfx.h"
#include "util/log.h"

static struct gfx *g;

static const struct gfx_fonts fonts = {
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf",
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Bold.ttf",
    "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
};

/* The styles and widths the screens use at 1920x1080 and 1080x1920: the emergency screen
 * (no line limit), the bands (1 or 2 lines), home's list (3 lines), the announcements
 * screen (no limit). */
static const struct {
    enum gfx_font_role role;
    int px, width, max_lines;
} styles[] = {
    {GFX_FONT_BOLD, 68, 1700, 0}, {GFX_FONT_TEXT, 42, 1700, 0}, {GFX_FONT_BOLD, 34, 1500, 2},
    {GFX_FONT_TEXT, 32, 1500, 1}, {GFX_FONT_TEXT, 30, 400, 3},  {GFX_FONT_BOLD, 34, 900, 0},
};

static int init(void)
{
    char err[256];
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 24, SDL_PIXELFORMAT_RGB24);
    SDL_Renderer *r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
    log_set_level(LOG_LEVEL_ERROR);
    g = r ? gfx_create(r, &fonts, err, sizeof err) : NULL;
    return g ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    struct feed_announcement a;
    if (!g && init() != 0) {
        abort();
    }
    char *text = malloc(size + 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    cJSON *o = cJSON_CreateObject(), *t = cJSON_AddObjectToObject(o, "text");
    cJSON_AddStringToObject(o, "id", "fuzz");
    cJSON_AddStringToObject(t, "ja", text);
    cJSON_AddStringToObject(o, "level", "emergency");
    cJSON_AddTrueToObject(o, "until_cleared");
    if (ann_from_json(o, 1764000000, &a, err, sizeof err) == 0) {
        for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
            struct gfx_text_style st = {styles[i].role,      styles[i].px,  {0, 0, 0, 255}, 0,
                                        styles[i].max_lines, GFX_ALIGN_LEFT};
            if (gfx_measure_text(g, a.text.ja, styles[i].width, &st, NULL) <= 0) {
                abort(); /* accepted, yet it would draw as nothing */
            }
        }
        ann_clear(&a);
    }
    cJSON_Delete(o);
    free(text);
    return 0;
}
