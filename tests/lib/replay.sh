# replay.sh: shared steps of the replay tests (`kiosk-sim --replay`), sourced, never run.
#
# A replay test taps where a visitor would. The places come from the screenshot mode's
# listings of the same feed, clock and screen size, rendered once by replay_refs, so a
# moved button moves the test's tap with it. Sets kiosk, sim, feed, now and work (a temp
# dir removed on exit); the test writes its script to $work/script and calls replay_run.

kiosk="$KIOSK_BUILD_DIR/kiosk"
sim="$KIOSK_BUILD_DIR/kiosk-sim"
feed="$KIOSK_SOURCE_DIR/assets/sample-feed.json"
now=2026-11-26T10:00:00+09:00
[ -x "$kiosk" ] && [ -x "$sim" ] || { echo "missing $kiosk or $sim"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_VIDEODRIVER=offscreen
replay_failed=0

# replay_refs: the reference screens into $work/ref; exits the test when that fails. The
# taps need Japanese and English screens only: the short set (tests/README.md).
replay_refs() {
    KIOSK_SHOTS_LANGS=en "$kiosk" --screenshot "$work/ref" --feed "file://$feed" --state-dir "$work/s1" \
        --now "$now" >/dev/null 2>"$work/err1" || {
        echo "screenshot run failed"; cat "$work/err1"; exit 1; }
}

# at SCREEN TEXT: the centre of SCREEN's first listed line that is exactly TEXT.
at() {
    awk -F'\t' -v t="$2" '$2 == t { split($1, g, " ");
        print int(g[1] + g[3] / 2), int(g[2] + g[4] / 2); exit }' "$work/ref/$1.txt"
}

# atp SCREEN PREFIX: the same for the first line starting so (a list row's title keeps to
# one line and may end in …).
atp() {
    awk -F'\t' -v t="$2" 'index($2, t) == 1 { split($1, g, " ");
        print int(g[1] + g[3] / 2), int(g[2] + g[4] / 2); exit }' "$work/ref/$1.txt"
}

# need NAME VALUE: exits the test, naming what it could not find, when VALUE is empty.
need() {
    [ -n "$2" ] || { echo "cannot find $1 in the reference screens"; exit 1; }
}

# replay_run SIM-ARGS...: runs $work/script on a 1920x1080 window; its stdout is kept in
# $work/stdout and printed.
replay_run() {
    "$sim" --windowed 1920x1080 --replay "$work/script" --screenshot "$work/out" \
        --feed "file://$feed" --state-dir "$work/s2" --now "$now" --admin-listen "" "$@" \
        >"$work/stdout" 2>"$work/err2" || {
        echo "replay failed"; cat "$work/stdout" "$work/err2"; exit 1; }
    cat "$work/stdout"
}

# Predicates on the replay's screenshots: is SHOT DESCRIBE (the screen it was, as
# ui_describe names it), has / lacks SHOT TEXT (its lines joined).
is() { grep -qx "replay: screenshot $1: $2" "$work/stdout"; }
has() { cut -f2 "$work/out/$1.txt" | tr -d '\n' | grep -qF -- "$2"; }
lacks() { ! has "$@"; }

# check NAME PREDICATE ARGS...: prints ok or FAIL with NAME.
check() {
    if "${@:2}"; then echo "ok $1"; else echo "FAIL $1"; replay_failed=1; fi
}

# replay_end: the summary line ctest's log shows, and the test's exit status.
replay_end() {
    [ "$replay_failed" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
    exit "$replay_failed"
}
