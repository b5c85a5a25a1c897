#!/usr/bin/env bash
# Runs the kiosk on the bundled sample feed, on a fresh Debian bookworm machine:
#   1. installs the build packages that are missing (scripts/deps.sh; uses sudo if not root);
#   2. builds kiosk, kiosk-feedshift and kioskctl into build/ (RelWithDebInfo);
#   3. shifts assets/sample-feed.json by whole weeks so its dates fall around today, into
#      the demo directory (${XDG_RUNTIME_DIR:-/tmp}/kiosk-demo, or $KIOSK_DEMO_DIR);
#   4. runs the kiosk on it: in a 1920x1080 window when there is a display (DISPLAY or
#      WAYLAND_DISPLAY), full screen on a KMS console, and otherwise renders every screen to
#      PNG files (./screenshots/, or $KIOSK_DEMO_SCREENSHOTS) and says where they are.
# Arguments are passed on to the kiosk, e.g. `scripts/run-demo.sh --windowed 1280x720`.
#
# Environment: KIOSK_DEMO_DIR, KIOSK_DEMO_BUILD_DIR (default build/), KIOSK_DEMO_MODE
# (window, kms or screenshots), KIOSK_DEMO_ADMIN_LISTEN (default 127.0.0.1:8080),
# KIOSK_DEMO_SCREENSHOTS,
# KIOSK_DEMO_REAL_HOURS=1 (keep config/kiosk.conf's opening hours and closing days; by
# default the demo is open around the clock so it shows listings whenever it is run).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=deps.sh
. "$here/scripts/deps.sh"
kiosk_ensure_packages "${KIOSK_BUILD_PACKAGES[@]}"

build=${KIOSK_DEMO_BUILD_DIR:-$here/build}
jobs=$(nproc 2>/dev/null || echo 2)
targets=(kiosk kiosk-feedshift)
if compgen -G "$here/src/kioskctl/*.c" >/dev/null; then
    targets+=(kioskctl)
fi
echo "demo: building ${targets[*]} in $build"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

demo=${KIOSK_DEMO_DIR:-${XDG_RUNTIME_DIR:-/tmp}/kiosk-demo}
mkdir -p "$demo/state"
chmod 700 "$demo"

# Dates that make sense today: the whole feed moves by whole weeks, weekdays intact.
"$build/kiosk-feedshift" "$here/assets/sample-feed.json" "$demo/feed.json"
feed_url="file://$demo/feed.json"

# The admin API refuses a token file that group or others can read.
token_file=$demo/admin-token
if [ ! -s "$token_file" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 >"$token_file")
fi
chmod 600 "$token_file"
admin_listen=${KIOSK_DEMO_ADMIN_LISTEN:-127.0.0.1:8080}

# The demo's config: the documented sample, then the demo's own settings (a later line wins).
config=$demo/kiosk.conf
{
    cat "$here/config/kiosk.conf"
    echo
    echo "# ---- added by scripts/run-demo.sh"
    echo "feed_url = $feed_url"
    echo "state_dir = $demo/state"
    echo "admin_listen = $admin_listen"
    echo "admin_token_file = $token_file"
    if [ "${KIOSK_DEMO_REAL_HOURS:-0}" != 1 ]; then
        for d in sun mon tue wed thu fri sat; do
            echo "hours.$d = 00:00-24:00"
        done
        echo "closed_dates ="
    fi
} >"$config"

mode=${KIOSK_DEMO_MODE:-}
if [ -z "$mode" ]; then
    if [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; then
        mode=window
    elif [[ "$(tty 2>/dev/null || true)" =~ ^/dev/tty[0-9]+$ ]] &&
        compgen -G "/dev/dri/card*" >/dev/null; then
        mode=kms
    else
        mode=screenshots
    fi
fi

common=(--config "$config" --feed "$feed_url" --state-dir "$demo/state")

case $mode in
window | kms)
    url="http://$admin_listen"
    until_at=$(TZ=Asia/Tokyo date -d '+1 hour' +%Y-%m-%dT%H:%M+09:00)
    cat <<EOF
demo: feed     $demo/feed.json (shifted to this week)
demo: state    $demo/state
demo: admin    $url (token in $token_file)
demo: push an announcement while the kiosk runs, from another terminal:
  export KIOSK_URL=$url KIOSK_TOKEN_FILE=$token_file
  $build/kioskctl announce --level important --until $until_at \\
      "4階 調理室は本日ご利用いただけません"
  $build/kioskctl list
demo: quit with Ctrl+C (or close the window)
EOF
    extra=(--admin-listen "$admin_listen" --admin-token-file "$token_file")
    if [ "$mode" = window ]; then
        extra+=(--windowed 1920x1080)
    else
        echo "demo: no window system; running full screen on this console (KMS/DRM)."
        echo "      Your user needs the video and input groups."
    fi
    exec "$build/kiosk" "${common[@]}" "${extra[@]}" "$@"
    ;;
screenshots)
    shots=${KIOSK_DEMO_SCREENSHOTS:-$here/screenshots}
    mkdir -p "$shots"
    echo "demo: no display found; rendering every screen to $shots"
    SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy} \
        "$build/kiosk" --screenshot "$shots" "${common[@]}" "$@"
    n=$(find "$shots" -maxdepth 1 -name '*.png' | wc -l)
    echo "demo: $n screenshots in $shots"
    if [ -e "$shots/home.png" ]; then
        echo "demo: start with $shots/home.png"
    fi
    ;;
*)
    echo "demo: KIOSK_DEMO_MODE must be window, kms or screenshots, not '$mode'" >&2
    exit 2
    ;;
esac
