/* controls: the touch targets of the last frame as a listing beside a screenshot's text
 * listing, so a test can check from the pixels that every control stands out (WCAG 1.4.11).
 *
 * A row per target: "x y w h action fill edge out", the colours "#RRGGBB" or "-": fill and
 * edge are what was drawn exactly over the target's box (gfx_shape_look), out the ground
 * just above its top edge. It reads only what the frame registered and drew; it judges
 * nothing. */
#include <errno.h>
#include <stdio.h>

#include "ui/ui.h"
#include "ui/ui_internal.h"

static const char *const action_names[] = {
    [UI_ACT_NONE] = "none",
    [UI_ACT_HOME] = "home",
    [UI_ACT_BACK] = "back",
    [UI_ACT_OPEN_TODAY] = "open-today",
    [UI_ACT_OPEN_EVENTS] = "open-events",
    [UI_ACT_OPEN_VOLUNTEERS] = "open-volunteers",
    [UI_ACT_OPEN_ANNOUNCEMENTS] = "open-announcements",
    [UI_ACT_OPEN_DETAIL] = "open-detail",
    [UI_ACT_FILTER_DAY] = "filter-day",
    [UI_ACT_FILTER_CAT] = "filter-category",
    [UI_ACT_FILTER_AUD] = "filter-audience",
    [UI_ACT_CLEAR_FILTER] = "clear-filter",
    [UI_ACT_PAGE_UP] = "page-up",
    [UI_ACT_PAGE_DOWN] = "page-down",
    [UI_ACT_OPEN_PICKER] = "open-picker",
    [UI_ACT_CLOSE_PICKER] = "close-picker",
    [UI_ACT_LARGE_TEXT] = "large-text",
    [UI_ACT_STAY] = "stay",
    [UI_ACT_ATTRACT_PAUSE] = "attract-pause",
    [UI_ACT_OPEN_KIND] = "open-kind",
    [UI_ACT_OPEN_KIND_DETAIL] = "open-kind-detail",
    [UI_ACT_FILTER_RECRUITING] = "filter-recruiting",
    [UI_ACT_FILTER_WDAY] = "filter-weekday",
    [UI_ACT_FILTER_PART] = "filter-daypart",
    [UI_ACT_OPEN_LANG] = "open-language",
    [UI_ACT_SET_LANG] = "set-language",
    [UI_ACT_CLOSE_LANG] = "close-language",
};

/* "#RRGGBB" for a colour found, "-" otherwise, in buf. */
static const char *hex(char buf[8], bool found, struct gfx_color c)
{
    if (!found) {
        return "-";
    }
    snprintf(buf, 8, "#%02X%02X%02X", c.r, c.g, c.b);
    return buf;
}

int ui_write_controls(const struct ui *u, const char *path)
{
    FILE *f = fopen(path, "w");
    int rc = 0;
    if (!f) {
        return -errno;
    }
    for (int i = 0; i < u->n_hits; i++) {
        const struct ui_hit *h = &u->hits[i];
        struct gfx_color fill = {0}, edge = {0};
        int look = gfx_shape_look(u->g, h->r, &fill, &edge);
        struct gfx_color out = gfx_color_at(u->g, h->r.x + h->r.w / 2, h->r.y - 2);
        size_t a = (size_t)h->act;
        const char *name = a < sizeof action_names / sizeof action_names[0] && action_names[a]
                               ? action_names[a]
                               : "other";
        char fb[8], eb[8], ob[8];
        if (fprintf(f, "%d %d %d %d %s %s %s %s\n", h->r.x, h->r.y, h->r.w, h->r.h, name,
                    hex(fb, look & 1, fill), hex(eb, look & 2, edge), hex(ob, true, out)) < 0) {
            rc = -EIO;
            break;
        }
    }
    if (fclose(f) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}
