#!/usr/bin/env bash
# The fleet route, end to end with the real kiosk: a separate announcements document,
# signed with `kioskctl sign`, polled by a kiosk whose config names the public key and its
# target. Announcements for other kiosks are not shown; a tampered or unsigned document is
# rejected whole with a log line and the last good announcements stay; a re-signed one is
# taken. (The same checks over real HTTPS, at the sync module, are in test_sync_https.)
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap 'e2e_stop; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
e2e_token

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

cat >"$tmp/kiosk.conf" <<CONF
target = musashino-place/lobby
announcements_url = file://$tmp/ann.json
announcements_poll_interval_s = 5
# failures back off; keep the retries within the test's patience
backoff_cap_s = 15
announcement_keys = $pub
CONF
mkdir -p "$tmp/state"
e2e_start "$tmp/log" --config "$tmp/kiosk.conf" --windowed 1280x720 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state" \
    --now 2026-11-26T12:00:00+09:00 || exit 1
E2E_PATIENCE=40
active() { e2e_api /api/v1/status | python3 -c \
    'import json,sys; print(" ".join(json.load(sys.stdin).get("active_announcements", [])))'; }
has_active() { active | grep -qw -- "$1"; }
logged() { grep -q -- "$1" "$tmp/log"; }

if e2e_wait_for has_active lobby && has_active all && ! has_active other; then
    ok a_signed_document_is_taken_and_targets_are_honoured
else
    bad "a_signed_document_is_taken_and_targets_are_honoured (active: $(active))"
fi
if e2e_wait_for e2e_shows "3階ホールの催しは中止です" && ! e2e_shows "吉祥寺の掲示板"; then
    ok the_lobby_announcement_is_on_screen_and_the_other_is_not
else
    bad the_lobby_announcement_is_on_screen_and_the_other_is_not
fi

# Someone who can only change the web server edits the document: rejected whole.
doc "偽のお知らせ：ただちに退避してください"
if e2e_wait_for logged "announcements failed.*signature" && ! e2e_shows "偽のお知らせ" &&
    e2e_shows "3階ホールの催しは中止です"; then
    ok a_tampered_document_is_rejected_and_the_last_good_stays
else
    bad a_tampered_document_is_rejected_and_the_last_good_stays
fi
rm -f "$tmp/ann.json.sig"
n_before=$(grep -c "announcements failed" "$tmp/log")
if e2e_wait_for bash -c "[ \$(grep -c 'announcements failed' '$tmp/log') -gt $n_before ]" &&
    e2e_shows "3階ホールの催しは中止です"; then
    ok an_unsigned_document_is_rejected_and_the_last_good_stays
else
    bad an_unsigned_document_is_rejected_and_the_last_good_stays
fi

doc "ロビーのお知らせ：3階ホールの催しは15時に再開します"
"$B/kioskctl" sign "$tmp/ann.json" --key "$tmp/announce.key" >/dev/null 2>&1
if e2e_wait_for e2e_shows "15時に再開します"; then ok a_re_signed_document_is_taken
else bad a_re_signed_document_is_taken; fi

e2e_stop
[ "$E2E_EXIT" = 0 ] || bad "kiosk exit status $E2E_EXIT"
e2e_finish
