#!/usr/bin/env python3
"""Tap to pixels, the way issue 13 measured it: under one Xvfb, a tap sent through libxdo
(press and release, no click delay) and the screen's pixels polled through the X server
(XGetImage of a strip of the tapped tile) until they change; the same for the kiosk and for
chromium --kiosk on a page that switches its content on click. Prints p50 and p90.

usage: tap_to_pixels.py DISPLAY NAME X Y X2 Y2 N: taps alternate between (X, Y), which
opens the second screen, and (X2, Y2), which brings the first back; the strip watched is
at (X, Y). The program must already show its first screen."""
import ctypes
import random
import statistics
import sys
import time

X11 = ctypes.CDLL("libX11.so.6")
X11.XOpenDisplay.restype = ctypes.c_void_p
X11.XOpenDisplay.argtypes = [ctypes.c_char_p]
X11.XDefaultRootWindow.restype = ctypes.c_ulong
X11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
X11.XGetImage.restype = ctypes.c_void_p
X11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                          ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
X11.XDestroyImage = None  # a macro: free through the image's own function table instead
XDO = ctypes.CDLL("libxdo.so.3")
XDO.xdo_new.restype = ctypes.c_void_p
XDO.xdo_new.argtypes = [ctypes.c_char_p]
XDO.xdo_mouse_down.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int]
XDO.xdo_mouse_up.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int]
XDO.xdo_move_mouse.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int]
LIBC = ctypes.CDLL("libc.so.6")


class XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_char)),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int)]


def strip(dpy, root, x, y):
    img = X11.XGetImage(dpy, root, x - 60, y, 120, 2, 0xFFFFFFFF, 2)  # ZPixmap
    im = ctypes.cast(img, ctypes.POINTER(XImage)).contents
    data = ctypes.string_at(im.data, im.bytes_per_line * im.height)
    LIBC.free(im.data)
    LIBC.free(ctypes.c_void_p(img))
    return data


def main():
    disp, name = sys.argv[1], sys.argv[2]
    x, y, x2, y2, n = (int(v) for v in sys.argv[3:8])
    dpy = X11.XOpenDisplay(disp.encode())
    root = X11.XDefaultRootWindow(dpy)
    xdo = XDO.xdo_new(disp.encode())
    lat = []
    for i in range(n):
        XDO.xdo_move_mouse(xdo, *((x, y) if i % 2 == 0 else (x2, y2)), 0)
        # random moments: a fixed gap would lock onto the phase of a loop that sleeps in slices
        time.sleep(random.uniform(0.4, 0.7))
        before = strip(dpy, root, x, y)
        XDO.xdo_mouse_down(xdo, 0, 1)
        t0 = time.clock_gettime(time.CLOCK_MONOTONIC)
        XDO.xdo_mouse_up(xdo, 0, 1)
        while time.clock_gettime(time.CLOCK_MONOTONIC) - t0 < 1.0:
            if strip(dpy, root, x, y) != before:
                lat.append((time.clock_gettime(time.CLOCK_MONOTONIC) - t0) * 1000)
                break
    lat.sort()
    if not lat:
        print("%s: the pixels never changed" % name)
        return 1
    print("%-9s tap->pixels n=%d p50 %.1f ms p90 %.1f ms" % (
        name, len(lat), statistics.median(lat), lat[int(0.9 * (len(lat) - 1))]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
