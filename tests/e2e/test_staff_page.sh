#!/bin/bash
# test_staff_page: the staff web page in a real browser against the real kiosk.
#
# Installs what it needs when missing (Debian's chromium through scripts/deps.sh; node and
# npm; playwright-core, pinned, into a cache dir outside the repo), shifts the sample feed to
# today, starts the kiosk headless (offscreen SDL, 1920x1080) with its admin API on a loopback
# port the kernel picks, and runs tests/e2e/staff/staff_e2e.mjs: chromium signs in, posts an
# important announcement with an end time, sees it in the page's list and in the kiosk's next
# screenshot and screen text, clears it; a wrong token shows an error and changes nothing.
# The browser's own screenshots (phone 390x844 and desktop) and the kiosk's before/after
# screenshots are left in $STAFF_OUT_DIR when set (else in the temp dir with KEEP_TMP=1).
# It skips nothing: without network access to Debian's mirror and npm on a fresh machine it
# fails, saying what it could not install.
set -u

B=${KIOSK_BUILD_DIR:?KIOSK_BUILD_DIR not set}
S=${KIOSK_SOURCE_DIR:?KIOSK_SOURCE_DIR not set}
KIOSK=$B/kiosk
# shellcheck source=../lib/kiosk_e2e.sh
. "$S/tests/lib/kiosk_e2e.sh"
# The newest playwright-core that still runs on bookworm's nodejs 18 (1.62 wants node 20).
PLAYWRIGHT_VERSION=1.61.1
NODE_DIR=${KIOSK_TEST_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kiosk-test-node}
finish() {
    e2e_finish
    exit $?
}

tmp=$(mktemp -d)
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    e2e_stop
    if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

for f in "$KIOSK" "$B/kiosk-feedshift"; do
    if [ ! -x "$f" ]; then
        echo "  $f is not built"
        bad programs_are_built
        finish
    fi
done
ok programs_are_built

# ---- what the browser test needs, installed when missing --------------------------------
# deps.sh sets -euo pipefail when sourced: keep that in a subshell.
ensure_packages() {
    (
        # shellcheck source-path=SCRIPTDIR source=../scripts/deps.sh
        . "$S/scripts/deps.sh"
        kiosk_ensure_packages "$@"
    )
}
if [ -x /usr/bin/chromium ] || ensure_packages chromium; then
    ok chromium_is_installed
else
    bad "chromium_is_installed (apt-get install chromium failed)"
    finish
fi
# Debian's nodejs and npm, unless a node with npm is already there (e.g. NodeSource's, whose
# nodejs package conflicts with Debian's npm).
if { command -v node && command -v npm; } >/dev/null || ensure_packages nodejs npm; then
    ok node_is_installed
else
    bad "node_is_installed (apt-get install nodejs npm failed)"
    finish
fi
have_playwright() {
    grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" \
        "$NODE_DIR/node_modules/playwright-core/package.json" 2>/dev/null
}
mkdir -p "$NODE_DIR"
# Two test runs at once (a plain and a sanitizer build) must not install over each other.
exec 9>"$NODE_DIR/.lock"
flock -w 300 9 || echo "  (no lock on $NODE_DIR after 300 s; going on)"
if have_playwright; then
    ok playwright_core_is_cached
else
    # Its own package.json keeps npm from climbing into a parent project.
    [ -f "$NODE_DIR/package.json" ] ||
        printf '{"name": "kiosk-test-node", "private": true}\n' >"$NODE_DIR/package.json"
    if (cd "$NODE_DIR" && npm install --no-audit --no-fund --no-save --loglevel=error \
        "playwright-core@$PLAYWRIGHT_VERSION") >"$tmp/npm.log" 2>&1; then
        ok playwright_core_is_installed
    else
        sed 's/^/    /' "$tmp/npm.log" | tail -n 20
        bad "playwright_core_is_installed (npm install into $NODE_DIR failed)"
        finish
    fi
fi
exec 9>&-

# ---- the kiosk ---------------------------------------------------------------------------
e2e_token
token=$(cat "$tmp/token")
mkdir -p "$tmp/state" "$tmp/out"
if "$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" >"$tmp/shift.log" 2>&1
then
    ok sample_feed_shifted_to_today
else
    cat "$tmp/shift.log"
    bad sample_feed_shifted_to_today
    finish
fi

log=$tmp/kiosk.log
if ! e2e_start "$log" --feed "file://$tmp/feed.json" --state-dir "$tmp/state" \
    --windowed 1920x1080; then
    bad kiosk_starts_its_admin_api
    finish
fi
ok kiosk_starts_its_admin_api

# ---- the browser -------------------------------------------------------------------------
out=${STAFF_OUT_DIR:-$tmp/out}
mkdir -p "$out"
KIOSK_URL="http://127.0.0.1:$KIOSK_PORT" KIOSK_TOKEN=$token KIOSK_NODE_DIR=$NODE_DIR OUT_DIR=$out \
    timeout 120 node "$S/tests/e2e/staff/staff_e2e.mjs" >"$tmp/e2e.out" 2>&1
rc=$?
sed 's/^/  /' "$tmp/e2e.out"
sub=$(tail -n 1 "$tmp/e2e.out")
if [ $rc -eq 0 ] && [[ $sub =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]
then
    ok "browser_e2e (${BASH_REMATCH[1]} checks)"
else
    echo "  the kiosk's log:"
    sed 's/^/    /' "$log" | tail -n 20
    bad "browser_e2e (node exited $rc)"
fi
echo "  screenshots in $out: $(cd "$out" && echo *.png)"
[ -z "${STAFF_OUT_DIR:-}${KEEP_TMP:-}" ] && echo "  (set STAFF_OUT_DIR=DIR or KEEP_TMP=1 to keep them)"

if kill -0 "$KIOSK_PID" 2>/dev/null; then ok kiosk_still_runs; else bad kiosk_still_runs; fi
e2e_stop
# In a KIOSK_SANITIZE build, ASan and UBSan report into the kiosk's log.
if grep -q -E 'Sanitizer|runtime error:' "$log"; then
    grep -E -A 12 'Sanitizer|runtime error:' "$log" | sed 's/^/    /' | head -n 40
    bad kiosk_log_has_no_sanitizer_reports
else
    ok kiosk_log_has_no_sanitizer_reports
fi
finish
