#!/usr/bin/env bash
# `kiosk --check-feed` on signup URLs: one whose caption could name another site than the
# code opens is dropped with its reason; one too long for a QR code that scans at this
# kiosk's size is kept with a warning naming the limit, and the exit status stays 0.
set -u
kiosk="$KIOSK_BUILD_DIR/kiosk"
[ -x "$kiosk" ] || { echo "missing $kiosk"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
long="https://www.city.musashino.lg.jp/form?id=$(printf 'a%.0s' $(seq 1 200))"
cat >"$work/feed.json" <<JSON
{"version": 1, "generated_at": "2026-11-25T09:00:00+09:00",
 "events": [
  {"id": "ok", "title": {"ja": "x"}, "start": "2026-12-01",
   "signup_url": "https://www.city.musashino.lg.jp/form/ok"},
  {"id": "long", "title": {"ja": "x"}, "start": "2026-12-01", "signup_url": "$long"},
  {"id": "evil", "title": {"ja": "x"}, "start": "2026-12-01",
   "signup_url": "https://evil.example\\\\@www.city.musashino.lg.jp/form"}],
 "volunteers": [
  {"id": "nohost", "title": {"ja": "x"}, "signup_url": "https://@/x"},
  {"id": "idn", "title": {"ja": "x"}, "signup_url": "https://例え.jp/form"}]}
JSON
passed=0 failed=0
check() { # name, then a command that must succeed
    local name=$1; shift
    if "$@"; then
        echo "ok   $name"; passed=$((passed + 1))
    else
        echo "FAIL $name"; failed=$((failed + 1))
    fi
}
"$kiosk" --check-feed "$work/feed.json" >"$work/out" 2>"$work/err"
rc=$?
cat "$work/out"
check exit_status_stays_0 [ "$rc" -eq 0 ]
check kept_line grep -qx 'kept: events=2 volunteers=1 announcements=0' "$work/out"
check backslash_dropped grep -qx \
    "dropped: event evil: field 'signup_url': a backslash before the path" "$work/out"
check empty_host_dropped grep -qx \
    "dropped: volunteer nohost: field 'signup_url': user name or password before the host" \
    "$work/out"
check long_url_warned grep -qE "^warning: event long: url is ${#long} bytes, too long for a QR \
code that can be scanned at this kiosk's size \(max [0-9]+\)$" "$work/out"
check only_that_warning [ "$(grep -c '^warning:' "$work/out")" -eq 1 ]
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
