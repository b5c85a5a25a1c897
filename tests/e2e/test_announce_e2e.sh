#!/usr/bin/env bash
# Announcements that must never mislead, end to end on the real kiosk (issue 17): a blank or
# invisible text is refused everywhere and never hides a real emergency; times that cannot
# be stored and contradictory ends are refused; the API says why an announcement for other
# kiosks is not shown; and a feed's notice that staff ended early stays hidden across
# unrelated writes and a restart, until the feed's own end.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap 'e2e_stop; rm -rf "$tmp"' EXIT
e2e_token
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
: >"$tmp/kiosk.conf"

start() {
    e2e_start "$tmp/log" --config "$tmp/kiosk.conf" --windowed 960x540 \
        --feed "file://$tmp/feed.json" --state-dir "$tmp/state" --now "$1"
}
# post JSON: prints the HTTP status, the body goes to $tmp/body
post() {
    e2e_api /api/v1/announcements -o "$tmp/body" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' -d "$1"
}
# jq-free JSON reads: json EXPR evaluates a Python expression on the document d from stdin
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
active_ids() { e2e_api /api/v1/announcements | json "' '.join(a['id'] for a in d['active'])"; }
kiosk_now_plus() {
    e2e_api /api/v1/announcements | python3 -c "
import datetime, json, sys
now = datetime.datetime.fromisoformat(json.load(sys.stdin)['now'])
print((now + datetime.timedelta(seconds=$1)).isoformat())"
}

start 2026-11-26T10:00:00+09:00 || exit 1
e2e_wait_for e2e_shows "武蔵野プレイス" || bad the_kiosk_shows_its_home

# --- blank and invisible texts -------------------------------------------------------
code=$(post '{"id":"fire","text":{"ja":"火災が発生しました。係員の指示に従って避難してください。"},
              "level":"emergency","until_cleared":true}')
[ "$code" = 201 ] && ok a_real_emergency_is_accepted || bad "a_real_emergency_is_accepted ($code)"
all_refused=1
for t in ' ' '\u3000' '\n' '\u200b' '\u2800' '\u3164' '\u00ad\u200b\ufeff' '\u2060 \u180e' \
         '\ue000' '\udb40\udc41'; do
    code=$(post "{\"id\":\"blank\",\"text\":{\"ja\":\"$t\"},\"level\":\"emergency\",
                  \"until_cleared\":true}")
    if [ "$code" != 400 ] || ! grep -q "visible\|empty" "$tmp/body"; then
        all_refused=0
        echo "  \"$t\" -> $code $(cat "$tmp/body")"
    fi
done
[ $all_refused = 1 ] && ok blank_and_invisible_texts_are_refused_with_a_reason \
    || bad blank_and_invisible_texts_are_refused_with_a_reason
code=$(post '{"id":"blank-en","text":{"ja":"避難訓練を行います","en":" \u200b"},
              "level":"important","ends_at":"2026-11-26T18:00:00+09:00"}')
if [ "$code" = 201 ] && ! grep -q '"en"' "$tmp/body"; then ok a_blank_english_text_is_absent
else bad "a_blank_english_text_is_absent ($code $(cat "$tmp/body"))"; fi
if e2e_wait_for e2e_shows "火災が発生しました"; then ok the_emergency_is_on_screen
else bad the_emergency_is_on_screen; fi
if "$B/kioskctl" --url "http://127.0.0.1:$KIOSK_PORT" --token-file "$tmp/token" announce \
        --level emergency --until-cleared $'\u3000 \u200b' >"$tmp/ctl" 2>&1; then
    bad kioskctl_refuses_a_blank_text
elif grep -q "empty" "$tmp/ctl"; then ok kioskctl_refuses_a_blank_text
else bad "kioskctl_refuses_a_blank_text ($(cat "$tmp/ctl"))"; fi

# --- times and ends that cannot be kept ------------------------------------------------
code=$(post '{"id":"far","text":{"ja":"遠い先"},"level":"normal",
              "ends_at":"9999-12-31T23:00:00Z"}')
if [ "$code" = 400 ] && grep -q "9999" "$tmp/body"; then ok an_end_past_year_9999_is_refused
else bad "an_end_past_year_9999_is_refused ($code $(cat "$tmp/body"))"; fi
code=$(post '{"id":"both","text":{"ja":"両方"},"level":"emergency","until_cleared":true,
              "ends_at":"2026-11-26T18:00:00+09:00"}')
if [ "$code" = 400 ] && grep -q "until_cleared" "$tmp/body"; then
    ok until_cleared_with_ends_at_is_refused
else bad "until_cleared_with_ends_at_is_refused ($code $(cat "$tmp/body"))"; fi

# --- targets: active, but not shown here, and the API says why --------------------------
code=$(post '{"id":"elsewhere","text":{"ja":"別の館のお知らせ"},"level":"important",
              "ends_at":"2026-11-26T18:00:00+09:00","targets":["musashino-place/2f"]}')
if [ "$code" = 201 ] && [ "$(json "d['active'], d['shown'], d.get('reason')" <"$tmp/body")" \
        = "True False targets" ]; then
    ok an_announcement_for_other_kiosks_says_why_it_is_not_shown
else bad "an_announcement_for_other_kiosks_says_why_it_is_not_shown ($(cat "$tmp/body"))"; fi
e2e_api /api/v1/announcements/elsewhere >"$tmp/one"
[ "$(json "d['shown'], d['reason']" <"$tmp/one")" = "False targets" ] \
    && ok the_single_read_says_it_too || bad the_single_read_says_it_too
e2e_api /api/v1/announcements/blank-en >"$tmp/one"
[ "$(json "d['shown'], 'reason' in d" <"$tmp/one")" = "True False" ] \
    && ok a_shown_one_has_no_reason || bad a_shown_one_has_no_reason

# --- a feed notice that staff ended early stays hidden ----------------------------------
if e2e_wait_for sh -c "$(declare -f e2e_api active_ids json); tmp=$tmp KIOSK_PORT=$KIOSK_PORT \
        active_ids | grep -qw ann-seiri"; then ok the_feed_notice_is_shown_at_first
else bad the_feed_notice_is_shown_at_first; fi
ends=$(kiosk_now_plus 2)
code=$(post "{\"id\":\"ann-seiri\",\"text\":{\"ja\":\"整理日のお知らせ（終了）\"},
              \"level\":\"normal\",\"ends_at\":\"$ends\"}")
[ "$code" = 201 ] || bad "staff_end_the_feed_notice ($code $(cat "$tmp/body"))"
sleep 3
hidden() { ! active_ids | grep -qw ann-seiri; }
if e2e_wait_for hidden; then ok the_ended_direct_copy_hides_the_feed_notice
else bad the_ended_direct_copy_hides_the_feed_notice; fi
code=$(post '{"id":"unrelated","text":{"ja":"関係のないお知らせ"},"level":"normal",
              "ends_at":"2026-11-26T18:00:00+09:00"}')
sleep 1
if [ "$code" = 201 ] && hidden; then ok it_stays_hidden_after_an_unrelated_write
else bad "it_stays_hidden_after_an_unrelated_write ($(active_ids))"; fi
e2e_stop

# A restart: the blank emergency an older version stored is dropped with a log line and
# never hides the real one; the hiding survives.
python3 - "$tmp/state/direct-announcements.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["announcements"].insert(0, {"id": "old-blank", "text": {"ja": "\u3000"}, "level": "emergency",
                              "starts_at": "2026-11-26T10:00:30+09:00", "until_cleared": True})
json.dump(d, open(p, "w"), ensure_ascii=False)
PY
start 2026-11-26T10:05:00+09:00 || exit 1
if e2e_wait_for e2e_shows "火災が発生しました"; then ok a_stored_blank_emergency_never_hides_a_real_one
else bad a_stored_blank_emergency_never_hides_a_real_one; fi
grep -q "old-blank\|no visible character" "$tmp/log" && ok the_dropped_entry_is_logged \
    || bad the_dropped_entry_is_logged
if hidden; then ok the_hiding_survives_a_restart; else bad the_hiding_survives_a_restart; fi
e2e_stop

# After the feed's own end the hiding has nothing left to do and is pruned at the next write.
start 2026-12-20T10:00:00+09:00 || exit 1
code=$(post '{"id":"later","text":{"ja":"後日のお知らせ"},"level":"normal",
              "ends_at":"2026-12-20T18:00:00+09:00"}')
if [ "$code" = 201 ] && ! grep -q '"ann-seiri"' "$tmp/state/direct-announcements.json"; then
    ok the_hiding_is_pruned_after_the_feed_notice_ends
else bad the_hiding_is_pruned_after_the_feed_notice_ends; fi
e2e_stop

# --- a feed with a blank emergency: the item is dropped with its reason ------------------
python3 - "$tmp/feed.json" "$tmp/blankfeed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["announcements"].append({"id": "feed-blank", "text": {"ja": " \u200b "}, "level": "emergency",
                           "starts_at": "2026-11-25T00:00:00+09:00", "until_cleared": True})
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$B/kiosk" --check-feed "$tmp/blankfeed.json" >"$tmp/check" 2>&1
if grep -q "feed-blank.*no visible character" "$tmp/check"; then
    ok check_feed_names_the_blank_announcement
else bad "check_feed_names_the_blank_announcement ($(grep -i blank "$tmp/check"))"; fi
e2e_finish
