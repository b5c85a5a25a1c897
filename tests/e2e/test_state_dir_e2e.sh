#!/usr/bin/env bash
# The state directory, end to end (issue 17): "/" or a system directory, given on the command
# line, in the config, through a symlink or through "..", is refused at start with exit 2
# and a message naming it; a directory of its own (a temp dir here, /var/lib/kiosk on the
# board) still starts.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap 'e2e_stop; rm -rf "$tmp"' EXIT
e2e_token
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
ln -s /usr "$tmp/to-usr"

# refused NAME KIOSK-ARGS...: exit 2 within 20 s and "system directory" in the log
refused() {
    local name=$1
    shift
    SDL_VIDEODRIVER=offscreen timeout -k 5 20 "$B/kiosk" --windowed 960x540 \
        --feed "file://$tmp/feed.json" --admin-listen 127.0.0.1:0 \
        --admin-token-file "$tmp/token" "$@" >"$tmp/log" 2>&1
    local rc=$?
    if [ "$rc" = 2 ] && grep -q "state_dir .* is a system directory: refusing to start" \
        "$tmp/log"; then
        ok "$name"
    else
        bad "$name (status $rc: $(tail -n 1 "$tmp/log"))"
    fi
}
refused state_dir_root_is_refused_with_exit_2 --state-dir /
refused state_dir_etc_is_refused --state-dir /etc/
refused state_dir_var_lib_is_refused --state-dir /var/lib
refused a_dotdot_path_to_root_is_refused --state-dir /var/lib/kiosk/../../..
refused a_symlink_to_usr_is_refused --state-dir "$tmp/to-usr"
echo "state_dir = /var" >"$tmp/kiosk.conf"
refused state_dir_in_the_config_is_checked_too --config "$tmp/kiosk.conf"

if e2e_start "$tmp/log-ok" --windowed 960x540 --feed "file://$tmp/feed.json" \
    --state-dir "$tmp/state/kiosk" && e2e_wait_for e2e_shows "武蔵野プレイス"; then
    ok a_directory_of_its_own_starts
else
    bad a_directory_of_its_own_starts
fi
e2e_stop
e2e_finish
