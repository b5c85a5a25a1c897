#!/usr/bin/env bash
# Files that are FIFOs, end to end (issue 17): a FIFO as the config, a font, the admin token
# file or the TLS certificate never holds the kiosk in open(); a FIFO put in the config's place
# before a SIGHUP leaves the kiosk drawing on its old config. Every run is under `timeout`,
# so a hang is a failure, not a stuck test.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
pid=""
trap 'e2e_stop; [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
e2e_token
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
mkfifo "$tmp/fifo.conf" "$tmp/fifo-token" "$tmp/fifo.crt" "$tmp/fifo.key" "$tmp/fifo.ttf"
mkdir -p "$tmp/state"
common=(--windowed 960x540 --feed "file://$tmp/feed.json" --state-dir "$tmp/state"
    --now 2026-11-26T12:00:00+09:00)
# exec: started with &, the kiosk itself must be $!, or killing $! leaves it running
kiosk() { SDL_VIDEODRIVER=offscreen exec "$B/kiosk" "${common[@]}" "$@"; }

# 1. the config is a FIFO: refused at once, exit 2 like any unreadable config
SDL_VIDEODRIVER=offscreen timeout -k 5 20 "$B/kiosk" "${common[@]}" --config "$tmp/fifo.conf" \
    >"$tmp/log1" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -q "fifo.conf.*not a regular file" "$tmp/log1"; then
    ok a_fifo_as_config_is_refused_with_exit_2
else
    bad "a_fifo_as_config_is_refused_with_exit_2 (status $rc: $(tail -n 1 "$tmp/log1"))"
fi

# 1b. a font is a FIFO: refused before SDL_ttf opens it, exit 1 like any unusable font
echo "font_fallback = $tmp/fifo.ttf" >"$tmp/font.conf"
SDL_VIDEODRIVER=offscreen timeout -k 5 20 "$B/kiosk" "${common[@]}" --config "$tmp/font.conf" \
    >"$tmp/log1b" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "font_fallback .*fifo.ttf is not a regular file" "$tmp/log1b"; then
    ok a_fifo_as_font_is_refused_with_exit_1
else
    bad "a_fifo_as_font_is_refused_with_exit_1 (status $rc: $(tail -n 1 "$tmp/log1b"))"
fi

# 2. the token file is a FIFO: the screen goes on, the admin API stays off, with a log line
# (started in the background: a kiosk that keeps running is the right outcome here)
waitlog() { grep -q -- "$2" "$1"; }
kiosk --admin-listen 127.0.0.1:0 --admin-token-file "$tmp/fifo-token" >"$tmp/log2" 2>&1 &
pid=$!
if e2e_wait_for waitlog "$tmp/log2" "admin API not started: .*fifo-token.*not a regular file" &&
    e2e_wait_for waitlog "$tmp/log2" "first frame" && kill -0 "$pid" 2>/dev/null; then
    ok a_fifo_as_token_file_turns_the_api_off_and_the_kiosk_keeps_drawing
else
    bad a_fifo_as_token_file_turns_the_api_off_and_the_kiosk_keeps_drawing
    tail -n 5 "$tmp/log2" | sed 's/^/    /'
fi
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=""

# 3. the TLS certificate and key are FIFOs: the admin API stays off, the kiosk runs
printf 'admin_tls_cert = %s\nadmin_tls_key = %s\n' "$tmp/fifo.crt" "$tmp/fifo.key" \
    >"$tmp/tls.conf"
kiosk --admin-listen 127.0.0.1:0 --admin-token-file "$tmp/token" --config "$tmp/tls.conf" \
    >"$tmp/log3" 2>&1 &
pid=$!
if e2e_wait_for waitlog "$tmp/log3" "admin API not started: .*fifo.crt" &&
    e2e_wait_for waitlog "$tmp/log3" "first frame" && kill -0 "$pid" 2>/dev/null; then
    ok a_fifo_as_tls_certificate_turns_the_api_off_and_the_kiosk_keeps_drawing
else
    bad a_fifo_as_tls_certificate_turns_the_api_off_and_the_kiosk_keeps_drawing
    tail -n 5 "$tmp/log3" | sed 's/^/    /'
fi
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=""

# 4. SIGHUP with a FIFO in the config's place: the old config stays, the kiosk keeps drawing
echo "facility_name = 武蔵野プレイス" >"$tmp/kiosk.conf"
e2e_start "$tmp/log4" --config "$tmp/kiosk.conf" --windowed 960x540 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state" \
    --now 2026-11-26T12:00:00+09:00 || exit 1
lit() { e2e_shows "武蔵野プレイス"; }
e2e_wait_for lit || bad "the kiosk shows its home screen"
rm "$tmp/kiosk.conf"
mkfifo "$tmp/kiosk.conf"
kill -HUP "$KIOSK_PID"
if e2e_wait_for waitlog "$tmp/log4" "keeping the old config.*not a regular file"; then
    ok a_fifo_config_on_sighup_is_named_and_the_old_one_kept
else
    bad a_fifo_config_on_sighup_is_named_and_the_old_one_kept
fi
# curl gives up after 10 s: a frozen loop cannot answer screen.txt
t0=$(date +%s%N)
if kill -0 "$KIOSK_PID" 2>/dev/null && lit; then
    ms=$((($(date +%s%N) - t0) / 1000000))
    ok "the_kiosk_keeps_drawing_after_the_fifo_sighup (screen.txt in $ms ms)"
else
    bad the_kiosk_keeps_drawing_after_the_fifo_sighup
fi
e2e_stop
if [ "$E2E_EXIT" = 0 ]; then ok the_kiosk_still_stops_cleanly
else bad "the_kiosk_still_stops_cleanly (status $E2E_EXIT)"; fi
e2e_finish
