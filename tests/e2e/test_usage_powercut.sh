#!/usr/bin/env bash
# test_usage_powercut: the usage counts' flush inside a power-cut loop. A real kiosk
# (`kiosk-sim --replay`, a visitor tapping the events tile, the "today" filter and home over
# and over) flushes its counts every second (usage_flush_interval_s = 1) and is killed with
# SIGKILL at a random moment, USAGE_POWERCUT_CYCLES times (default 15), restarted each time on
# the same state dir. After every kill each day file must be whole (its header, its row count
# and its FNV-1a checksum, or else its .prev copy must be), no count of any hour may be lower
# than it was after the previous kill (no earlier hour is lost), and temp files of killed
# writes may not pile up. Prints the figures and "N passed, M failed".
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
CYCLES=${USAGE_POWERCUT_CYCLES:-15}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-usagecut-XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=offscreen
feed="$S/assets/sample-feed.json"
now=2026-11-26T10:00:00+09:00
# the reference coordinates are on Japanese screens: the short set will do (tests/README.md)
KIOSK_SHOTS_LANGS=en "$B/kiosk" --screenshot "$tmp/ref" --feed "file://$feed" --state-dir "$tmp/ref-state" \
    --now "$now" >/dev/null 2>&1 || { echo "screenshot run failed"; exit 1; }
at() { awk -F'\t' -v t="$2" '$2 == t { split($1, g, " "); print int(g[1] + g[3] / 2), int(g[2] + g[4] / 2); exit }' "$tmp/ref/$1.txt"; }
tile=$(at home "イベント")
today=$(at list-events "きょう")
home=$(at list-events "ホーム")
[ -n "$tile" ] && [ -n "$today" ] && [ -n "$home" ] || { echo "cannot find the targets"; exit 1; }
{
    echo "wait 300"
    for _ in $(seq 1 400); do
        echo "tap $tile"
        echo "wait 100"
        echo "tap $today"
        echo "wait 100"
        echo "tap $home"
        echo "wait 100"
    done
} >"$tmp/visit"
printf 'usage_flush_interval_s = 1\n' >"$tmp/kiosk.conf"

cat >"$tmp/check.py" <<'PY'
"""Checks every day file of a usage dir (src/sys/usage.c's format) and that no count fell
since the last observation (kept in a JSON file). Prints one line; exit 1 on a failure."""
import glob, json, os, sys

def fnv(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h

def parse(path):
    data = open(path, "rb").read()
    if not data.endswith(b"\n"):
        return None
    body, _, last = data[:-1].rpartition(b"\n")
    body += b"\n"
    f = last.split(b"\t")
    if len(f) != 3 or f[0] != b"end" or int(f[2], 16) != fnv(body):
        return None
    lines = body.decode().split("\n")[1:-1]
    if len(lines) != int(f[1]) or not body.startswith(b"kiosk-usage 1 "):
        return None
    counts = {}
    for ln in lines:
        p = ln.split("\t")
        if p[0] == "c":
            counts["%s %s" % (p[1], p[2])] = int(p[3])
    return counts

usage, state = sys.argv[1], sys.argv[2]
prev = json.load(open(state)) if os.path.exists(state) else {}
now, bad = {}, []
for path in sorted(glob.glob(os.path.join(usage, "*.usage"))):
    day = os.path.basename(path)[:10]
    c = parse(path)
    if c is None:
        bad.append(day + " damaged")
        c = parse(path + ".prev") if os.path.exists(path + ".prev") else None
        if c is None:
            bad.append(day + " and its .prev damaged")
            continue
    for k, v in c.items():
        now[day + " " + k] = v
for k, v in prev.items():
    if now.get(k, 0) < v:
        bad.append("%s fell from %d to %d" % (k, v, now.get(k, 0)))
temps = len(glob.glob(os.path.join(usage, "*.tmp-*")))
if temps > 1:
    bad.append("%d temp files" % temps)
json.dump(now, open(state, "w"))
total = sum(now.values())
print("files whole, %d counts in all, %d temp file(s)%s" % (total, temps,
      "" if not bad else ": " + "; ".join(bad)))
sys.exit(1 if bad else 0)
PY

passed=0
failed=0
for c in $(seq 1 "$CYCLES"); do
    "$B/kiosk-sim" --windowed 1920x1080 --replay "$tmp/visit" --config "$tmp/kiosk.conf" \
        --feed "file://$feed" --state-dir "$tmp/state" --now "$now" --admin-listen "" \
        >"$tmp/log" 2>&1 &
    pid=$!
    # between 1.5 and 4.5 s: several flushes in, and anywhere within the next
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 1.5 + (r % 300) / 100 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
    if out=$(python3 "$tmp/check.py" "$tmp/state/usage" "$tmp/seen.json"); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL cycle $c: $out"
    fi
done
echo "after $CYCLES kills: $out"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if sum(d.values()) > 0 else 1)" \
    "$tmp/seen.json" || { echo "FAIL nothing was ever flushed"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
