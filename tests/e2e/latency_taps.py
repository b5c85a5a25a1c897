#!/usr/bin/env python3
"""Sends taps and swipes to an X display through libxdo (xdotool's own library, so each
event is stamped with CLOCK_MONOTONIC right before it is sent, with no process start-up
in between), then pairs them with the kiosk's latency log (KIOSK_LATENCY_LOG=1).

usage: latency_taps.py send DISPLAY COUNT SEED OUT   -- writes "kind t_us" per event sent
       latency_taps.py report SENT KIOSK_LOG LABEL  -- prints figures; exit 1 when too slow

A sample is one event sent (a tap's release, or a swipe's release: lists and details turn a
whole page when a swipe ends, so the moves before it draw nothing): the first input the
kiosk handled at or after the send, then the first frame whose draw began after that input.
tap->frame is that frame's presentation minus the send time. Taps never use `xdotool click`
(it sleeps 100 ms between press and release) and never `click`'s delays."""
import ctypes
import random
import re
import statistics
import sys
import time

HOME_TILE = (360, 220)  # the イベント tile on the home screen at 960x540
HOME_BUTTON = (222, 507)  # ホーム on the list screen
LIST = (550, 420)  # inside the list, for swipes


def now_us():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def send(display, count, seed, out):
    xdo_lib = ctypes.CDLL("libxdo.so.3")
    xdo_lib.xdo_new.restype = ctypes.c_void_p
    xdo_lib.xdo_new.argtypes = [ctypes.c_char_p]
    for f in ("xdo_mouse_down", "xdo_mouse_up"):
        getattr(xdo_lib, f).argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int]
    xdo_lib.xdo_move_mouse.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int]
    xdo = xdo_lib.xdo_new(display.encode())
    if not xdo:
        sys.exit("cannot open display " + display)
    rnd = random.Random(seed)
    rows = []
    on_list = False
    taps = 0
    while taps < count:
        # random moments: idle gaps long enough for the tap limiter (a few a second)
        time.sleep(rnd.uniform(0.28, 0.6))
        if on_list and rnd.random() < 0.4:
            # a swipe: press, moves every ~8 ms, release; the release turns the page and is
            # the sample (the moves only load the loop with input that draws nothing)
            x, y = LIST
            xdo_lib.xdo_move_mouse(xdo, x, y, 0)
            xdo_lib.xdo_mouse_down(xdo, 0, 1)
            for step in range(1, 16):
                time.sleep(rnd.uniform(0.004, 0.012))
                xdo_lib.xdo_move_mouse(xdo, x, y - step * 10 * (1 if rnd.random() < 0.9 else -1), 0)
            t = now_us()
            xdo_lib.xdo_mouse_up(xdo, 0, 1)
            rows.append(("swipe", t))
            taps += 1
            continue
        x, y = HOME_BUTTON if on_list else HOME_TILE
        xdo_lib.xdo_move_mouse(xdo, x, y, 0)
        time.sleep(0.02)
        xdo_lib.xdo_mouse_down(xdo, 0, 1)
        t = now_us()
        xdo_lib.xdo_mouse_up(xdo, 0, 1)
        rows.append(("tap", t))
        on_list = not on_list
        taps += 1
    time.sleep(0.3)
    with open(out, "w") as f:
        for kind, t in rows:
            f.write("%s %d\n" % (kind, t))


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def report(sent_path, log_path, label):
    sent = [(k, int(t)) for k, t in (ln.split() for ln in open(sent_path))]
    inputs, frames = [], []
    for ln in open(log_path, errors="replace"):
        m = re.search(r"latency: input \w+ (\d+)", ln)
        if m:
            inputs.append(int(m.group(1)))
        m = re.search(r"latency: frame (\d+) (\d+) input (\d+)", ln)
        if m:
            frames.append((int(m.group(1)), int(m.group(2))))
    lat = {"tap": [], "swipe": []}
    draw = {"tap": [], "swipe": []}
    extra = {"tap": [], "swipe": []}
    missed = 0
    for kind, s in sent:
        t_in = next((t for t in inputs if t >= s), None)
        fr = next((f for f in frames if t_in is not None and f[0] >= t_in), None)
        if fr is None or fr[1] - s > 2000000:
            missed += 1
            continue
        lat[kind].append((fr[1] - s) / 1000.0)
        draw[kind].append((fr[1] - fr[0]) / 1000.0)
        # an event that comes while a frame is being drawn or presented waits for it: no
        # loop can add it to a frame already under way (one frame per vsync)
        busy = next((f[1] - s for f in frames if f[0] <= s < f[1]), 0)
        extra[kind].append((fr[1] - s - busy - (fr[1] - fr[0])) / 1000.0)
    ok = True
    for kind in ("tap", "swipe"):
        v, d = lat[kind], draw[kind]
        if not v:
            continue
        p50, p99, d50 = pct(v, 50), pct(v, 99), statistics.median(d)
        e50, e99 = pct(extra[kind], 50), pct(extra[kind], 99)
        print("%s %-4s n=%3d tap->frame p50 %6.1f ms p90 %6.1f ms p99 %6.1f ms; "
              "draw p50 %5.1f ms; beyond draw and frame in flight p50 %5.1f p99 %5.1f ms"
              % (label, kind, len(v), p50, pct(v, 90), p99, d50, e50, e99))
        # on a shared, noisy machine the median is the robust figure: tap->frame may exceed
        # the frame's own draw (and the frame in flight) by 5 ms at most; p99 is printed
        if e50 > 5.0:
            print("%s %s: p50 %.1f ms beyond the draw (p50 %.1f ms) exceeds 5 ms"
                  % (label, kind, e50, d50))
            ok = False
    if missed > len(sent) // 5:
        print("%s: %d of %d events had no frame" % (label, missed, len(sent)))
        ok = False
    return ok


def main():
    if sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
        return 0
    return 0 if report(sys.argv[2], sys.argv[3], sys.argv[4]) else 1


if __name__ == "__main__":
    sys.exit(main())
