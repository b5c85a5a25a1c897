#!/usr/bin/env bash
# The fleet route, end to end with the real kiosk: a separate announcements document,
# signed with `kioskctl sign`, polled by a kiosk whose config names the public key and its
# target. Announcements for other kiosks are not shown; a tampered or unsigned document is
# rejected whole with a log line and the last good announcements stay; a re-signed one is
# taken. (The same checks over real HTTPS, at the sync module, are in test_sync_https.)
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT

"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
pub=$("$B/kioskctl" keygen --out "$tmp/announce.key" 2>/dev/null | grep -Eo '[A-Za-z0-9+/]{43}=' |
    head -n 1)
[ -n "$pub" ] || { echo "kioskctl keygen printed no public key"; exit 1; }

# doc TEXT: writes the announcements document with one lobby text
doc() {
    cat >"$tmp/ann.json" <<JSON
{"version": 1, "generated_at": "2026-11-25T06:00:00+09:00", "announcements": [
 {"id": "all", "text": {"ja": "全館のお知らせ：本日は通常どおり開館しています"}, "level": "normal",
  "starts_at": "2026-11-25T00:00:00+09:00", "ends_at": "2026-11-30T00:00:00+09:00"},
 {"id": "lobby", "text": {"ja": "$1"}, "level": "important", "targets": ["musashino-place/"],
  "starts_at": "2026-11-25T00:00:00+09:00", "ends_at": "2026-11-30T00:00:00+09:00"},
 {"id": "other", "text": {"ja": "吉祥寺の掲示板だけのお知らせ"}, "level": "important",
  "targets": ["kichijoji/"],
  "starts_at": "2026-11-25T00:00:00+09:00", "ends_at": "2026-11-30T00:00:00+09:00"}]}
JSON
}
doc "ロビーのお知らせ：3階ホールの催しは中止です"
"$B/kioskctl" sign "$tmp/ann.json" --key "$tmp/announce.key" >/dev/null 2>&1 ||
    { echo "kioskctl sign failed"; exit 1; }

printf 'fleet-e2e-token-0123456789abcdef\n' >"$tmp/token"
chmod 600 "$tmp/token"
cat >"$tmp/kiosk.conf" <<CONF
target = musashino-place/lobby
announcements_url = file://$tmp/ann.json
announcements_poll_interval_s = 5
# failures back off; keep the retries within the test's patience
backoff_cap_s = 15
announcement_keys = $pub
CONF
mkdir -p "$tmp/state"
SDL_VIDEODRIVER=offscreen "$B/kiosk" --config "$tmp/kiosk.conf" --windowed 1280x720 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state" --now 2026-11-26T12:00:00+09:00 \
    --admin-listen 127.0.0.1:0 --admin-token-file "$tmp/token" >"$tmp/log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 200); do
    port=$(sed -n 's/.*admin API listening on .* port \([0-9]*\).*/\1/p' "$tmp/log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "kiosk did not start"; tail "$tmp/log"; exit 1; }
api() { curl -s --max-time 10 -H "Authorization: Bearer $(cat "$tmp/token")" "$@"; }
active() { api "http://127.0.0.1:$port/api/v1/status" | python3 -c \
    'import json,sys; print(" ".join(json.load(sys.stdin).get("active_announcements", [])))'; }
screen() { api "http://127.0.0.1:$port/api/v1/screen.txt"; }
wait_for() { for _ in $(seq 1 200); do "$@" && return 0; sleep 0.2; done; return 1; }
has_active() { active | grep -qw -- "$1"; }
shows() { screen | grep -q -- "$1"; }
logged() { grep -q -- "$1" "$tmp/log"; }

if wait_for has_active lobby && has_active all && ! has_active other; then
    ok a_signed_document_is_taken_and_targets_are_honoured
else
    bad "a_signed_document_is_taken_and_targets_are_honoured (active: $(active))"
fi
if wait_for shows "3階ホールの催しは中止です" && ! shows "吉祥寺の掲示板"; then
    ok the_lobby_announcement_is_on_screen_and_the_other_is_not
else
    bad the_lobby_announcement_is_on_screen_and_the_other_is_not
fi

# Someone who can only change the web server edits the document: rejected whole.
doc "偽のお知らせ：ただちに退避してください"
if wait_for logged "announcements failed.*signature" && ! shows "偽のお知らせ" &&
    shows "3階ホールの催しは中止です"; then
    ok a_tampered_document_is_rejected_and_the_last_good_stays
else
    bad a_tampered_document_is_rejected_and_the_last_good_stays
fi
rm -f "$tmp/ann.json.sig"
n_before=$(grep -c "announcements failed" "$tmp/log")
if wait_for bash -c "[ \$(grep -c 'announcements failed' '$tmp/log') -gt $n_before ]" &&
    shows "3階ホールの催しは中止です"; then
    ok an_unsigned_document_is_rejected_and_the_last_good_stays
else
    bad an_unsigned_document_is_rejected_and_the_last_good_stays
fi

doc "ロビーのお知らせ：3階ホールの催しは15時に再開します"
"$B/kioskctl" sign "$tmp/ann.json" --key "$tmp/announce.key" >/dev/null 2>&1
if wait_for shows "15時に再開します"; then ok a_re_signed_document_is_taken
else bad a_re_signed_document_is_taken; fi

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=""
[ "$rc" -eq 0 ] || bad "kiosk exit status $rc"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
