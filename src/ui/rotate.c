/* rotate: see rotate.h. The logical image is turned clockwise by `rotation` about its
 * centre onto the panel (SDL_RenderCopyEx's positive angle), so for 90 degrees the logical
 * top-left lands at the panel's top-right. */
#include "ui/rotate.h"

void ui_rotate_logical_size(int rotation, int pw, int ph, int *lw, int *lh)
{
    if (rotation == 90 || rotation == 270) {
        *lw = ph;
        *lh = pw;
    } else {
        *lw = pw;
        *lh = ph;
    }
}

void ui_rotate_to_logical(int rotation, int pw, int ph, double px, double py, double *lx,
                          double *ly)
{
    switch (rotation) {
    case 90:
        *lx = py;
        *ly = pw - px;
        break;
    case 180:
        *lx = pw - px;
        *ly = ph - py;
        break;
    case 270:
        *lx = ph - py;
        *ly = px;
        break;
    default:
        *lx = px;
        *ly = py;
        break;
    }
}

void ui_rotate_to_panel(int rotation, int pw, int ph, double lx, double ly, double *px, double *py)
{
    switch (rotation) {
    case 90:
        *px = pw - ly;
        *py = lx;
        break;
    case 180:
        *px = pw - lx;
        *py = ph - ly;
        break;
    case 270:
        *px = ly;
        *py = ph - lx;
        break;
    default:
        *px = lx;
        *py = ly;
        break;
    }
}
