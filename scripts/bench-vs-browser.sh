#!/usr/bin/env bash
# bench-vs-browser.sh [BUILD-DIR]: the kiosk against a browser kiosk on the same listings,
# both headless on this machine (issue 13). The kiosk runs with SDL's offscreen driver at
# 1920x1080 on the sample feed shifted to today, from a warm cache; chromium --headless
# --kiosk shows a static HTML page made from the kiosk's own home screen text listing
# (every line at its place and size, the same font files, the same cards and bars).
# Measured in one run, medians of BENCH_RUNS (5): launch to first frame (first contentful
# paint for the page), peak PSS summed over all processes, CPU seconds and voluntary context
# switches over BENCH_IDLE_S (60) seconds idle. Prints a table with the ratios (browser /
# kiosk). BENCH_IDLE_S=10 BENCH_RUNS=3 makes a quick run; KIOSK_BIN measures another build
# (with BENCH_ONLY=kiosk, the kiosk alone).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
kiosk=${KIOSK_BIN:-$build/kiosk}
command -v chromium >/dev/null || [ "${BENCH_ONLY:-}" = kiosk ] || {
    echo "chromium is not installed (scripts/deps.sh installs it)" >&2
    exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/kiosk-feedshift" "$here/assets/sample-feed.json" "$tmp/feed.json" --to "$(date +%F)" \
    2>/dev/null
mkdir -p "$tmp/state"
# the listings as the kiosk draws them, and a warm cache for the timed runs
SDL_VIDEODRIVER=offscreen "$kiosk" --screenshot "$tmp/shots" --feed "file://$tmp/feed.json" \
    --state-dir "$tmp/state" >/dev/null 2>&1
python3 - "$tmp/shots/home.txt" "$tmp/page.html" <<'PY'
import html, sys
fonts = "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-"
# the cards and bars of the home screen at 1920x1080: x, y, w, h, colour
boxes = [(0, 0, 1920, 150, "#0b4a6f"), (0, 150, 1920, 76, "#c0392b"),
         (0, 226, 1920, 68, "#ffffff"), (0, 954, 1920, 126, "#ffffff"),
         (36, 320, 444, 250, "#ffffff"), (502, 320, 444, 250, "#ffffff"),
         (968, 320, 444, 250, "#ffffff"), (1434, 320, 446, 250, "#ffffff"),
         (36, 672, 1192, 94, "#ffffff"), (36, 778, 1192, 94, "#ffffff"),
         (1264, 606, 620, 322, "#ffffff")]
out = ["<!doctype html><html lang=ja><head><meta charset=utf-8><style>",
       "@font-face{font-family:k;src:url(file://%sRegular.ttf)}" % fonts,
       "@font-face{font-family:k;font-weight:bold;src:url(file://%sBold.ttf)}" % fonts,
       "body{margin:0;width:1920px;height:1080px;background:#f0eee9;overflow:hidden;"
       "font-family:k}div{position:absolute;white-space:nowrap;line-height:1}"
       ".c{border-radius:12px}</style>",
       "<script>new PerformanceObserver(function(l){l.getEntries().forEach(function(e){"
       "if(e.name==='first-contentful-paint'){console.log('kiosk-bench-fcp '+e.startTime)}"
       "})}).observe({type:'paint',buffered:true});</script></head><body>"]
for x, y, w, h, c in boxes:
    out.append('<div class=c style="left:%dpx;top:%dpx;width:%dpx;height:%dpx;'
               'background:%s"></div>' % (x, y, w, h, c))
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 2:
        continue
    x, y, w, h = (int(v) for v in parts[0].split())
    out.append('<div style="left:%dpx;top:%dpx;font-size:%dpx">%s</div>'
               % (x, y, int(h * 0.85), html.escape(parts[1])))
out.append("</body></html>")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out))
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "$(uname -r); $(chromium --version 2>/dev/null | head -n1); $(date -u +%F)"
nice -n "${BENCH_NICE:-0}" python3 "$here/scripts/bench_vs_browser.py" "$kiosk" "$tmp/feed.json" \
    "$tmp/state" "$tmp/page.html" "$tmp"
