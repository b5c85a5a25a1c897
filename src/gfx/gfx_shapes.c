/* gfx_shapes: filled rectangles and rounded rectangles, filled or stroked (see gfx.c).
 *
 * A rounded corner is an anti-aliased white mask made once per (radius, width) and tinted
 * with colour modulation, so a rounded rectangle costs four copies and a few rectangles.
 * Each rectangle is also noted for the frame (gfx_color_at, gfx_shape_look): screenshot
 * listings give the ground under a line and the look of a control from it. */
#include "gfx/gfx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "gfx/gfx_internal.h"
#include "util/log.h"

static void set_color(struct gfx *g, struct gfx_color c)
{
    SDL_SetRenderDrawBlendMode(g->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(g->r, c.r, c.g, c.b, c.a);
}

/* ---- what was drawn where ---- */

void gfx_shape_note(struct gfx *g, SDL_Rect r, int width, struct gfx_color c)
{
    if (!g->shapes) {
        g->shapes = malloc(MAX_SHAPES * sizeof *g->shapes);
    }
    if (!g->shapes || g->n_shapes >= MAX_SHAPES || c.a == 0) {
        return;
    }
    g->shapes[g->n_shapes++] = (struct gfx_shape){r, width, c};
}

static bool shape_covers(const struct gfx_shape *s, int x, int y)
{
    SDL_Rect r = s->r;
    if (x < r.x || y < r.y || x >= r.x + r.w || y >= r.y + r.h) {
        return false;
    }
    return s->width == 0 || x < r.x + s->width || y < r.y + s->width || x >= r.x + r.w - s->width ||
           y >= r.y + r.h - s->width;
}

struct gfx_color gfx_color_at(const struct gfx *g, int x, int y)
{
    struct gfx_color out = {0, 0, 0, 255};
    size_t from = 0;
    /* from the topmost opaque shape up: what lies under it cannot show */
    for (size_t i = g->n_shapes; i-- > 0;) {
        if (g->shapes[i].c.a == 255 && shape_covers(&g->shapes[i], x, y)) {
            from = i;
            break;
        }
    }
    for (size_t i = from; i < g->n_shapes; i++) {
        const struct gfx_shape *s = &g->shapes[i];
        if (!shape_covers(s, x, y)) {
            continue;
        }
        int a = s->c.a;
        out.r = (uint8_t)((s->c.r * a + out.r * (255 - a) + 127) / 255);
        out.g = (uint8_t)((s->c.g * a + out.g * (255 - a) + 127) / 255);
        out.b = (uint8_t)((s->c.b * a + out.b * (255 - a) + 127) / 255);
    }
    return out;
}

int gfx_shape_look(const struct gfx *g, SDL_Rect r, struct gfx_color *fill, struct gfx_color *edge)
{
    int found = 0;
    for (size_t i = g->n_shapes; i-- > 0 && found != 3;) {
        const struct gfx_shape *s = &g->shapes[i];
        int bit = s->width == 0 ? 1 : 2;
        if ((found & bit) || !SDL_RectEquals(&s->r, &r)) {
            continue;
        }
        *(bit == 1 ? fill : edge) = s->c;
        found |= bit;
    }
    return found;
}

/* ---- rectangles ---- */

void gfx_fill_rect(struct gfx *g, SDL_Rect r, struct gfx_color c)
{
    if (r.w <= 0 || r.h <= 0) {
        return;
    }
    gfx_shape_note(g, r, 0, c);
    set_color(g, c);
    SDL_RenderFillRect(g->r, &r);
}

void gfx_fill_triangle_up(struct gfx *g, SDL_Rect r, struct gfx_color c)
{
    if (r.w <= 0 || r.h <= 0) {
        return;
    }
    SDL_Rect *rows = malloc((size_t)r.h * sizeof *rows);
    if (!rows) {
        return;
    }
    for (int i = 0; i < r.h; i++) {
        /* the row's width at its lower edge, so the apex is a pixel, not nothing */
        int w = (int)((int64_t)r.w * (i + 1) / r.h);
        rows[i] = (SDL_Rect){r.x + (r.w - w) / 2, r.y + i, w > 0 ? w : 1, 1};
    }
    set_color(g, c);
    SDL_RenderFillRects(g->r, rows, r.h);
    free(rows);
}

/* Inside a rounded rectangle whose top-left corner is at (o, o) with corner radius rad,
 * looking only at the top-left corner region. */
static bool inside_corner(double x, double y, double o, double rad)
{
    double dx, dy;

    if (x < o || y < o) {
        return false;
    }
    if (x < o + rad && y < o + rad) {
        dx = x - (o + rad);
        dy = y - (o + rad);
        return dx * dx + dy * dy <= rad * rad;
    }
    return true;
}

/* A white top-left corner mask, alpha = coverage (4x4 samples per pixel): a filled
 * quarter disc (width 0) or a ring of that width. Cached by (radius, width). */
static const struct corner *corner_get(struct gfx *g, int radius, int width)
{
    struct corner *slot = NULL;
    SDL_Surface *s;
    int i, x, y, sx, sy, side = width > radius ? width : radius;
    double inner = radius - width > 0 ? radius - width : 0;

    g->tick++;
    for (i = 0; i < MAX_CORNERS; i++) {
        if (g->corners[i].tex && g->corners[i].radius == radius && g->corners[i].width == width) {
            g->corners[i].used = g->tick;
            return &g->corners[i];
        }
        if (!slot || !g->corners[i].tex || (slot->tex && g->corners[i].used < slot->used)) {
            slot = &g->corners[i];
        }
    }
    s = SDL_CreateRGBSurfaceWithFormat(0, side, side, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        return NULL;
    }
    for (y = 0; y < side; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);

        for (x = 0; x < side; x++) {
            int cov = 0;

            for (sy = 0; sy < 4; sy++) {
                for (sx = 0; sx < 4; sx++) {
                    double px = x + (sx + 0.5) / 4.0, py = y + (sy + 0.5) / 4.0;
                    bool in = inside_corner(px, py, 0, radius);

                    if (in && width > 0) {
                        in = !inside_corner(px, py, width, inner);
                    }
                    cov += in;
                }
            }
            row[x] = ((Uint32)(cov * 255 / 16) << 24) | 0xFFFFFFu;
        }
    }
    if (slot->tex) {
        SDL_DestroyTexture(slot->tex);
    }
    slot->tex = SDL_CreateTextureFromSurface(g->r, s);
    SDL_FreeSurface(s);
    if (!slot->tex) {
        return NULL;
    }
    SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_BLEND);
    slot->radius = radius;
    slot->width = width;
    slot->side = side;
    slot->used = g->tick;
    return slot;
}

static void draw_corners(struct gfx *g, const struct corner *k, SDL_Rect r, struct gfx_color c)
{
    SDL_Rect d = {r.x, r.y, k->side, k->side};

    SDL_SetTextureColorMod(k->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(k->tex, c.a);
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL, SDL_FLIP_NONE);
    d.x = r.x + r.w - k->side;
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL, SDL_FLIP_HORIZONTAL);
    d.y = r.y + r.h - k->side;
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL,
                     (SDL_RendererFlip)(SDL_FLIP_HORIZONTAL | SDL_FLIP_VERTICAL));
    d.x = r.x;
    SDL_RenderCopyEx(g->r, k->tex, NULL, &d, 0, NULL, SDL_FLIP_VERTICAL);
}

static int clamp_radius(SDL_Rect r, int radius)
{
    int m = (r.w < r.h ? r.w : r.h) / 2;

    if (radius > m) {
        radius = m;
    }
    if (radius > MAX_CORNER_PX) {
        radius = MAX_CORNER_PX;
    }
    return radius < 0 ? 0 : radius;
}

void gfx_fill_round_rect(struct gfx *g, SDL_Rect r, int radius, struct gfx_color c)
{
    const struct corner *k;
    SDL_Rect parts[3];

    if (r.w <= 0 || r.h <= 0) {
        return;
    }
    radius = clamp_radius(r, radius);
    k = radius > 0 ? corner_get(g, radius, 0) : NULL;
    if (!k) {
        gfx_fill_rect(g, r, c);
        return;
    }
    gfx_shape_note(g, r, 0, c);
    parts[0] = (SDL_Rect){r.x + radius, r.y, r.w - 2 * radius, r.h};
    parts[1] = (SDL_Rect){r.x, r.y + radius, radius, r.h - 2 * radius};
    parts[2] = (SDL_Rect){r.x + r.w - radius, r.y + radius, radius, r.h - 2 * radius};
    set_color(g, c);
    for (int i = 0; i < 3; i++) {
        if (parts[i].w > 0 && parts[i].h > 0) {
            SDL_RenderFillRect(g->r, &parts[i]);
        }
    }
    draw_corners(g, k, r, c);
}

void gfx_stroke_round_rect(struct gfx *g, SDL_Rect r, int radius, int width, struct gfx_color c)
{
    const struct corner *k = NULL;
    SDL_Rect parts[4];
    int side;

    if (r.w <= 0 || r.h <= 0 || width <= 0) {
        return;
    }
    if (2 * width >= (r.w < r.h ? r.w : r.h)) {
        gfx_fill_round_rect(g, r, radius, c);
        return;
    }
    radius = clamp_radius(r, radius);
    if (radius > 0) {
        k = corner_get(g, radius, width);
    }
    gfx_shape_note(g, r, width, c);
    side = k ? k->side : width;
    parts[0] = (SDL_Rect){r.x + side, r.y, r.w - 2 * side, width};
    parts[1] = (SDL_Rect){r.x + side, r.y + r.h - width, r.w - 2 * side, width};
    parts[2] = (SDL_Rect){r.x, r.y + side, width, r.h - 2 * side};
    parts[3] = (SDL_Rect){r.x + r.w - width, r.y + side, width, r.h - 2 * side};
    set_color(g, c);
    for (int i = 0; i < 4; i++) {
        if (parts[i].w > 0 && parts[i].h > 0) {
            SDL_RenderFillRect(g->r, &parts[i]);
        }
    }
    if (k) {
        draw_corners(g, k, r, c);
    } else {
        SDL_Rect sq[4] = {{r.x, r.y, width, width},
                          {r.x + r.w - width, r.y, width, width},
                          {r.x, r.y + r.h - width, width, width},
                          {r.x + r.w - width, r.y + r.h - width, width, width}};
        SDL_RenderFillRects(g->r, sq, 4);
    }
}
