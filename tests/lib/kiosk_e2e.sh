# kiosk_e2e.sh: shared steps of the end-to-end shell tests, sourced, never run.
#
# Starts the real kiosk headless with its admin API on a port the kernel picks (read back
# from the kiosk's own log line, so nothing races for a fixed port), talks to it with the
# token, reads the screen through GET /api/v1/screen.txt, and stops it. Expects B (the
# build dir), a temp dir in $tmp and a token file at $tmp/token (made by e2e_token).

KIOSK_PID=""
KIOSK_PORT=""

# e2e_token: a 0600 token file the admin API accepts.
e2e_token() {
    printf 'e2e-token-%s-0123456789abcdef\n' "$$" >"$tmp/token"
    chmod 600 "$tmp/token"
}

# e2e_start LOG KIOSK-ARGS...: starts the kiosk; 0 once its admin API listens, 1 (with the
# log's tail printed) when it died or never listened within 20 s.
e2e_start() {
    local log=$1
    shift
    SDL_VIDEODRIVER=offscreen "$B/kiosk" --admin-listen 127.0.0.1:0 \
        --admin-token-file "$tmp/token" "$@" >"$log" 2>&1 &
    KIOSK_PID=$!
    KIOSK_PORT=""
    for _ in $(seq 1 200); do
        KIOSK_PORT=$(sed -n 's/.*admin API listening on .* port \([0-9]*\).*/\1/p' "$log")
        [ -n "$KIOSK_PORT" ] && return 0
        kill -0 "$KIOSK_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "  the kiosk did not start; its log:"
    tail -n 20 "$log" | sed 's/^/    /'
    return 1
}

# e2e_stop [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 5); sets E2E_EXIT to the
# kiosk's exit status.
e2e_stop() {
    E2E_EXIT=""
    [ -n "$KIOSK_PID" ] || return 0
    kill -TERM "$KIOSK_PID" 2>/dev/null
    for _ in $(seq 1 $((${1:-5} * 10))); do kill -0 "$KIOSK_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$KIOSK_PID" 2>/dev/null
    wait "$KIOSK_PID" 2>/dev/null
    E2E_EXIT=$?
    KIOSK_PID=""
}

# e2e_api PATH [CURL-ARGS...]: the admin API with the token.
e2e_api() {
    local path=$1
    shift
    curl -s --max-time 10 -H "Authorization: Bearer $(cat "$tmp/token")" "$@" \
        "http://127.0.0.1:$KIOSK_PORT$path"
}

# e2e_screen: every text line on the kiosk's screen now.
e2e_screen() { e2e_api /api/v1/screen.txt; }
# e2e_shows TEXT: on screen, on one line or wrapped over several (a notice takes two lines)
e2e_shows() { e2e_screen | cut -f2 | tr -d '\n' | grep -qF -- "$1"; }
# e2e_dark: the closed screen: black (closed_screen_black), or dimmed with the closed text
# and nothing of the open screens (no header clock, no touch prompt).
e2e_dark() {
    local s
    s=$(e2e_screen)
    [ -z "$s" ] || { grep -q "ただいま閉館中です" <<<"$s" && ! grep -q "タッチしてください" <<<"$s"; }
}

# e2e_wait_for COMMAND...: polls every 0.2 s for up to E2E_PATIENCE seconds (default 20).
e2e_wait_for() {
    local n=$((${E2E_PATIENCE:-20} * 5))
    for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.2; done
    return 1
}

e2e_passed=0
e2e_failed=0
ok() { e2e_passed=$((e2e_passed + 1)); echo "ok   $1"; }
bad() { e2e_failed=$((e2e_failed + 1)); echo "FAIL $1"; }
# e2e_finish: the closing line ctest and CI read, and the exit status.
e2e_finish() {
    echo "$e2e_passed passed, $e2e_failed failed"
    [ "$e2e_failed" -eq 0 ]
}
