#!/usr/bin/env python3
"""The kiosk against a browser kiosk showing the same listings: run by bench-vs-browser.sh.

usage: bench_vs_browser.py KIOSK FEED_JSON STATE_DIR HTML OUT_DIR

Each run starts the program, times it from the launch to its first frame (the kiosk's own
"first frame" log line; the page's first-contentful-paint, reported by its console), then
leaves it idle for IDLE seconds and sums over all its processes and threads the CPU seconds
(from schedstat) and the voluntary context switches (each one a sleep that ended: a wake-up),
while sampling the PSS summed over its processes every 100 ms for the peak. RUNS runs each;
medians are printed, with the ratio browser / kiosk. Environment: BENCH_RUNS (5),
BENCH_IDLE_S (60), BENCH_ONLY=kiosk to measure the kiosk alone (e.g. an older build)."""
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

def mono():
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def tree(root):
    """root and its descendants (chromium's zygote and renderers are its children)."""
    kids = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % p) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        kids.setdefault(ppid, []).append(int(p))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def pss_kb(pids):
    total = 0
    for p in pids:
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                m = re.search(r"^Pss:\s+(\d+) kB", f.read(), re.M)
                total += int(m.group(1)) if m else 0
        except OSError:
            pass
    return total


def cpu_and_switches(pids):
    cpu, vol = 0.0, 0
    for p in pids:
        try:
            for t in os.listdir("/proc/%d/task" % p):
                # nanoseconds on a CPU: clock ticks (10 ms) are too coarse for an idle kiosk
                with open("/proc/%d/task/%s/schedstat" % (p, t)) as f:
                    cpu += int(f.read().split()[0]) / 1e9
                with open("/proc/%d/task/%s/status" % (p, t)) as f:
                    m = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", f.read(), re.M)
                    vol += int(m.group(1)) if m else 0
        except OSError:
            pass
    return cpu, vol


def run_once(argv, env, marker, idle_s):
    """(first frame s, peak PSS MiB, idle CPU s, idle voluntary switches)"""
    t0 = mono()
    proc = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, errors="replace", start_new_session=True)
    first = [None]
    seen = threading.Event()

    def reader():
        for line in proc.stderr:
            if first[0] is None and marker.search(line):
                first[0] = mono() - t0
                seen.set()

    threading.Thread(target=reader, daemon=True).start()
    peak = 0
    deadline = mono() + 30
    while not seen.is_set() and mono() < deadline and proc.poll() is None:
        peak = max(peak, pss_kb(tree(proc.pid)))
        seen.wait(0.05)
    if first[0] is None:
        os.killpg(proc.pid, signal.SIGKILL)
        sys.exit("no first frame from %s" % argv[0])
    time.sleep(2)  # settle: the first sync, the page's load
    pids = tree(proc.pid)
    c0, v0 = cpu_and_switches(pids)
    end = mono() + idle_s
    while mono() < end:
        pids = tree(proc.pid)
        peak = max(peak, pss_kb(pids))
        time.sleep(0.1 if mono() + 0.1 < end else max(0, end - mono()))
    c1, v1 = cpu_and_switches(tree(proc.pid))
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return first[0], peak / 1024.0, c1 - c0, v1 - v0


def main():
    kiosk, feed, state, html, out = sys.argv[1:6]
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    idle = float(os.environ.get("BENCH_IDLE_S", "60"))
    only = os.environ.get("BENCH_ONLY", "")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
    kiosk_argv = [kiosk, "--windowed", "1920x1080", "--feed", "file://" + feed, "--state-dir",
                  state]
    chrome_argv = ["chromium", "--headless", "--kiosk", "--no-sandbox", "--no-first-run",
                   "--window-size=1920,1080", "--hide-scrollbars", "--enable-logging=stderr",
                   "--v=0", "--user-data-dir=" + os.path.join(out, "chromium-profile"),
                   "file://" + html]
    progs = [("kiosk", kiosk_argv, dict(env), re.compile(r"first frame after"))]
    if only != "kiosk":
        progs.append(("chromium", chrome_argv, dict(os.environ),
                      re.compile(r"kiosk-bench-fcp")))
    res = {}
    for name, argv, e, marker in progs:
        rows = [run_once(argv, e, marker, idle) for _ in range(runs)]
        res[name] = [statistics.median(col) for col in zip(*rows)]
        for r in rows:
            print("%-8s first %.3f s  peak PSS %.1f MiB  idle CPU %.3f s  idle switches %d"
                  % (name, r[0], r[1], r[2], r[3]), file=sys.stderr)
    labels = ["first frame (ms)", "peak PSS, summed (MiB)", "CPU over idle (s)",
              "voluntary switches over idle (/s)"]
    print("medians of %d runs, %g s idle" % (runs, idle))
    print("| measure | kiosk | chromium --headless --kiosk | ratio |")
    print("|---|---:|---:|---:|")
    for i, label in enumerate(labels):
        k = res["kiosk"][i]
        c = res["chromium"][i] if "chromium" in res else float("nan")
        if i == 0:
            k, c = k * 1000, c * 1000
        if i == 3:
            k, c = k / idle, c / idle
        fmt = "%.0f" if i == 0 else ("%.1f" if i == 1 else ("%.2f" if i == 3 else "%.3f"))
        ratio = ("%.1f×" % (c / k)) if k > 0 and c == c else ("∞" if c == c else "-")
        print("| %s | %s | %s | %s |" % (label, fmt % k, fmt % c, ratio))


if __name__ == "__main__":
    main()
