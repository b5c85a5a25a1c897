#!/usr/bin/env bash
# Tap to frame, end to end: the real kiosk under Xvfb with SDL's X11 driver, once with the
# software renderer and once with the GL one (Mesa's llvmpipe here). latency_taps.py sends
# taps and swipes through libxdo at random moments (some on an idle kiosk, some right after
# a swipe turned a page), stamping each with CLOCK_MONOTONIC; the kiosk, with
# KIOSK_LATENCY_LOG=1, logs the same clock for each input it handles and for the first
# frame presented after it. The median tap->frame must stay under the frame's own draw
# time plus 5 ms (p90 and p99 are printed). LATENCY_TAPS (default 50 per renderer) makes a
# long run; LATENCY_RENDERERS picks the renderers ("software opengl").
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
XPID=""
cleanup() {
    e2e_stop
    [ -n "$XPID" ] && kill "$XPID" 2>/dev/null
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
for p in Xvfb python3; do
    if ! command -v "$p" >/dev/null; then echo "skipped: $p is not installed"; exit 0; fi
done
if ! python3 -c 'import ctypes; ctypes.CDLL("libxdo.so.3")' 2>/dev/null; then
    echo "skipped: libxdo (xdotool) is not installed"
    exit 0
fi
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to "$(date +%F)" \
    2>/dev/null
# a display number nobody holds: Xvfb says so on its own -displayfd
Xvfb -displayfd 3 -screen 0 960x540x24 -nolisten tcp 3>"$tmp/dpy" 2>/dev/null &
XPID=$!
for _ in $(seq 1 50); do [ -s "$tmp/dpy" ] && break; sleep 0.1; done
if [ ! -s "$tmp/dpy" ]; then bad xvfb_starts; e2e_finish; exit 1; fi
export DISPLAY=":$(cat "$tmp/dpy")"

taps=${LATENCY_TAPS:-50}
for r in ${LATENCY_RENDERERS:-software opengl}; do
    mkdir -p "$tmp/st-$r"
    SDL_VIDEODRIVER=x11 SDL_RENDER_DRIVER=$r KIOSK_LATENCY_LOG=1 "$B/kiosk" --windowed 960x540 \
        --feed "file://$tmp/feed.json" --state-dir "$tmp/st-$r" >"$tmp/log-$r" 2>&1 &
    KIOSK_PID=$!
    for _ in $(seq 1 100); do grep -q 'sync: file' "$tmp/log-$r" && break; sleep 0.1; done
    sleep 0.5
    grep -m1 'display: driver' "$tmp/log-$r"
    python3 "$S/tests/e2e/latency_taps.py" send "$DISPLAY" "$taps" "${LATENCY_SEED:-$RANDOM}" \
        "$tmp/sent-$r"
    if python3 "$S/tests/e2e/latency_taps.py" report "$tmp/sent-$r" "$tmp/log-$r" "$r"; then
        ok "tap_to_frame_${r}_within_draw_plus_5ms"
    else
        bad "tap_to_frame_${r}_within_draw_plus_5ms"
    fi
    e2e_stop
done
e2e_finish
