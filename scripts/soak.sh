#!/usr/bin/env bash
# Soak test: the real kiosk lives through days of simulated time in minutes
# (`kiosk-sim --soak`, src/sim/soak.c) with visitors tapping and dragging, staff posting
# and deleting announcements over the admin API, and a feed file that changes before every
# poll. Every simulated hour it prints resident memory, open descriptors and cache sizes; at
# the end it fails when memory grew more than 5 % after the first simulated day or
# descriptors grew.
#
#   scripts/soak.sh --days 7 --minutes 30     a week in about half an hour (the real soak)
#   scripts/soak.sh --days 7 --rate 10000     a week as fast as CI runs it (tests/test_soak.sh)
#
# Options: --days D (default 7), --minutes M (real minutes the idle time takes; sets the
# rate), --rate R (times real speed; default 4000), --start ISO8601 (the simulated start;
# default 2026-11-26T07:00:00+09:00, a Thursday before opening, so the first and the last
# simulated day each hold one whole opening day), --size WxH (default 1920x1080),
# --build DIR (default build/, which must hold kiosk-sim and kiosk-feedshift), --dir DIR
# (work directory, kept; default a temporary one, removed), --log FILE (also write the figures
# there). Runs headless (SDL's offscreen driver) unless SDL_VIDEODRIVER is set. Exit status:
# the kiosk's (0 PASS, 1 FAIL, 2 bad arguments).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
days=7
minutes=
rate=
size=1920x1080
start=2026-11-26T07:00:00+09:00
build=$here/build
dir=
log=
while [ $# -gt 0 ]; do
    case $1 in
    --days) days=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --start) start=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
case $days in '' | *[!0-9]*) echo "soak.sh: --days wants a whole number" >&2; exit 2 ;; esac
seconds=$((days * 86400))
if [ -z "$rate" ]; then
    if [ -n "$minutes" ]; then
        case $minutes in
        '' | *[!0-9]* | 0) echo "soak.sh: --minutes wants a whole number > 0" >&2; exit 2 ;;
        esac
        rate=$((seconds / (minutes * 60)))
        [ "$rate" -ge 2 ] || rate=2
    else
        rate=4000
    fi
fi
kiosk=$build/kiosk-sim
shift_tool=$build/kiosk-feedshift
for f in "$kiosk" "$shift_tool"; do
    if [ ! -x "$f" ]; then
        echo "soak.sh: missing $f (build the kiosk-sim and kiosk-feedshift targets)" >&2
        exit 2
    fi
done

if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-soak.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"
chmod 700 "$dir"
rm -rf "$dir/state"
mkdir -p "$dir/state"

# The feed's dates around today; the soak then rewrites this file around its own clock.
"$shift_tool" "$here/assets/sample-feed.json" "$dir/feed.json" 2>/dev/null
(umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$dir/admin-token")
chmod 600 "$dir/admin-token"
# The facility's real opening hours (config/kiosk.conf), so every night closes and opens
# the kiosk again; the shortest poll, so the feed changes as often as it can.
{
    cat "$here/config/kiosk.conf"
    echo
    echo "# ---- added by scripts/soak.sh"
    echo "poll_interval_s = 10"
    echo "panel_off_cmd ="
    echo "panel_on_cmd ="
} >"$dir/kiosk.conf"

export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
# Without this, SDL's offscreen driver draws the window through EGL on Mesa's llvmpipe,
# which maps about 100 MB of LLVM that is not the kiosk's and not what a board runs.
export SDL_FRAMEBUFFER_ACCELERATION=${SDL_FRAMEBUFFER_ACCELERATION:-0}

echo "soak.sh: $days simulated days from $start at ${rate}x (idle time about" \
    "$((seconds / rate)) s real), $size, in $dir"
status=0
"$kiosk" --config "$dir/kiosk.conf" --feed "file://$dir/feed.json" --state-dir "$dir/state" \
    --windowed "$size" --admin-listen 127.0.0.1:0 --admin-token-file "$dir/admin-token" \
    --now "$start" --soak "$seconds" --clock-rate "$rate" \
    >"$dir/soak.out" 2>"$dir/kiosk.log" || status=$?
if [ -n "$log" ]; then
    cp "$dir/soak.out" "$log"
fi
cat "$dir/soak.out"
if [ "$status" -ne 0 ]; then
    echo "soak.sh: the kiosk exited with $status; the last lines of its log:"
    tail -n 20 "$dir/kiosk.log"
fi
exit "$status"
