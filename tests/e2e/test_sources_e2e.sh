#!/usr/bin/env bash
# The city's own data, end to end over real HTTPS on loopback: a kiosk whose config names the
# JSON feed, the open-data event list (CSV in CP932, as many city systems still write it), a
# facility calendar (iCalendar with a weekly series and a moved date) and a fourth source the
# server does not have. Everything is made here: a test CA and nginx on a free port (as in
# tests/net/test_sync_https.sh), the CSV and the calendar.
#   - the headless screenshot run reads every source and draws them: the CSV's titles with
#     ①, Ⅱ and ～ exactly, a series with its coming dates, an all-day listing with its remark,
#     a QR code that decodes to the https:// URL (the CSV says http://);
#   - the running kiosk lists each source in /api/v1/status: counts for the three good ones,
#     the fourth failing with its HTTP status; when the CSV turns bad on the server, its last
#     good copy stays on screen and its status says why.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
. "$S/tests/lib/https/pki.sh"
for tool in nginx openssl iconv python3 zbarimg; do
    command -v "$tool" >/dev/null || { echo "$tool missing (scripts/deps.sh installs it)"; exit 1; }
done
tmp=$(mktemp -d)
cleanup() {
    e2e_stop
    https_nginx_stop
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
e2e_token

www=$tmp/www
mkdir -p "$www"
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$www/feed.json" --to 2026-11-25 2>/dev/null

# The event list, written in UTF-8 here and served in CP932; one row has a bad date.
cat >"$tmp/events.csv" <<'CSV'
名称,開始日,終了日,開始時刻,終了時刻,日時備考,場所名称,集合場所,説明,URL,対象者,定員,料金(基本),申込期限日,イベント種類
市民講座①　Ⅱ期～はじめての俳句～,2026/12/05,,10:00,12:00,,武蔵野プレイス　スペースＡ,,季語から始める俳句の講座です。,http://www.city.musashino.lg.jp/haiku,どなたでも,20,無料,2026/12/01,講座
冬のおはなしタイム,2026/12/05,,11:00,11:30,,武蔵野プレイス　こどもライブラリー,,絵本の読み聞かせ,,幼児,,無料,,子育て
冬のおはなしタイム,2026/12/12,,11:00,11:30,,武蔵野プレイス　こどもライブラリー,,絵本の読み聞かせ,,幼児,,無料,,子育て
冬のおはなしタイム,2026/12/19,,11:00,11:30,,武蔵野プレイス　こどもライブラリー,,絵本の読み聞かせ,,幼児,,無料,,子育て
冬のおはなしタイム,2027/1/9,,11:00,11:30,,武蔵野プレイス　こどもライブラリー,,絵本の読み聞かせ,,幼児,,無料,,子育て
冬のおはなしタイム,2027/1/16,,11:00,11:30,,武蔵野プレイス　こどもライブラリー,,絵本の読み聞かせ,,幼児,,無料,,子育て
冬のおはなしタイム,2027/1/23,,11:00,11:30,,武蔵野プレイス　こどもライブラリー,,絵本の読み聞かせ,,幼児,,無料,,子育て
冬の作品展,2026/12/01,2026/12/20,,,午前10時から午後5時まで（月曜休館）,,武蔵野プレイス　ギャラリー,,,,,無料,,展示
日付の壊れた行,2026/13/45,,10:00,,,,どこか,,,,,,,
CSV
iconv -f UTF-8 -t CP932 "$tmp/events.csv" >"$www/events.csv" || { echo "iconv to CP932 failed"; exit 1; }

# The facility calendar: a weekly class (one date moved), a one-off and a cancelled entry.
printf '%s\r\n' \
    'BEGIN:VCALENDAR' 'VERSION:2.0' 'PRODID:-//kiosk test//JA' \
    'BEGIN:VTIMEZONE' 'TZID:Asia/Tokyo' 'BEGIN:STANDARD' 'DTSTART:19700101T000000' \
    'TZOFFSETFROM:+0900' 'TZOFFSETTO:+0900' 'TZNAME:JST' 'END:STANDARD' 'END:VTIMEZONE' \
    'BEGIN:VEVENT' 'UID:yoga-weekly@place.example' 'DTSTAMP:20261120T000000Z' \
    'DTSTART;TZID=Asia/Tokyo:20261202T100000' 'DTEND;TZID=Asia/Tokyo:20261202T110000' \
    'RRULE:FREQ=WEEKLY;COUNT=8' 'SUMMARY:はじめてのヨガ教室' 'LOCATION:3階 スタジオ' \
    'URL:https://place.example/yoga' 'END:VEVENT' \
    'BEGIN:VEVENT' 'UID:yoga-weekly@place.example' 'DTSTAMP:20261120T000000Z' \
    'RECURRENCE-ID;TZID=Asia/Tokyo:20261216T100000' \
    'DTSTART;TZID=Asia/Tokyo:20261216T140000' 'DTEND;TZID=Asia/Tokyo:20261216T150000' \
    'SUMMARY:はじめてのヨガ教室' 'LOCATION:3階 スタジオ' 'END:VEVENT' \
    'BEGIN:VEVENT' 'UID:concert@place.example' 'DTSTAMP:20261120T000000Z' \
    'DTSTART;TZID=Asia/Tokyo:20261210T180000' 'DURATION:PT2H' \
    'SUMMARY:ロビーコンサート\, 冬' 'END:VEVENT' \
    'BEGIN:VEVENT' 'UID:cancelled@place.example' 'DTSTAMP:20261120T000000Z' \
    'DTSTART;TZID=Asia/Tokyo:20261211T180000' 'SUMMARY:中止になった催し' \
    'STATUS:CANCELLED' 'END:VEVENT' \
    'END:VCALENDAR' >"$www/cal.ics"

pki=$tmp/pki
https_pki_init "$pki"
https_pki_leaf "$pki" server "IP:127.0.0.1,DNS:localhost"
https_nginx_start "$tmp/ngx" "$www" "$pki/server.crt" "$pki/server.key" || exit 1
port=$HTTPS_NGINX_PORT
base=https://127.0.0.1:$port

cat >"$tmp/kiosk.conf" <<CONF
ca_file = $pki/ca.crt
feed_url = $base/feed.json
source.1.url = $base/events.csv
source.1.label = 市のイベント一覧
source.2.url = $base/cal.ics
source.2.label = 施設予約
source.3.url = $base/missing.csv
source.3.label = 届かない一覧
poll_interval_s = 10
backoff_cap_s = 10
CONF

# ---- every screen, headless ----------------------------------------------------------------
SDL_VIDEODRIVER=offscreen "$B/kiosk" --config "$tmp/kiosk.conf" --state-dir "$tmp/shots-state" \
    --screenshot "$tmp/shots" --now 2026-11-26T10:00:00+09:00 >"$tmp/shots.log" 2>&1
shots_rc=$?
[ "$shots_rc" -eq 0 ] && ok screenshot_run_reads_every_source ||
    { bad "screenshot_run_reads_every_source (exit $shots_rc)"; tail -n 20 "$tmp/shots.log"; }
detail_of() { grep -l -- "$1" "$tmp"/shots/detail-*.txt 2>/dev/null | grep -v portrait | head -n 1; }

haiku=$(detail_of "市民講座①　Ⅱ期～はじめての俳句～")
if [ -n "$haiku" ]; then
    ok titles_with_circled_roman_and_wave_dash_show_exactly
else
    bad titles_with_circled_roman_and_wave_dash_show_exactly
    grep -h "俳句" "$tmp"/shots/*.txt | head -n 3
fi
code=$( [ -n "$haiku" ] && zbarimg --nodbus -q --raw "${haiku%.txt}.png" 2>/dev/null)
[ "$code" = "https://www.city.musashino.lg.jp/haiku" ] && ok the_qr_code_decodes_to_the_https_url ||
    bad "the_qr_code_decodes_to_the_https_url (decoded '$code')"

story=$(detail_of "冬のおはなしタイム")
if [ -n "$story" ] && grep -q "12月12日\|12/12" "$story" && grep -q "12月19日\|12/19" "$story"; then
    ok a_csv_series_shows_its_coming_dates
else
    bad "a_csv_series_shows_its_coming_dates ($story)"
    [ -n "$story" ] && cut -f2 "$story" | head -n 30
fi
n_story=$(grep -l "冬のおはなしタイム" "$tmp"/shots/detail-*.txt | grep -vc portrait)
[ "$n_story" -eq 1 ] && ok a_series_is_one_listing || bad "a_series_is_one_listing ($n_story details)"

show=$(detail_of "冬の作品展")
# a remark may wrap, so the detail's lines are read as one text
[ -n "$show" ] && cut -f2 "$show" | tr -d '\n' | grep -q "午前10時から午後5時まで" &&
    ok an_all_day_listing_shows_its_remark || bad an_all_day_listing_shows_its_remark

yoga=$(detail_of "はじめてのヨガ教室")
if [ -n "$yoga" ] && grep -q "14:00" "$yoga"; then
    ok a_calendar_series_shows_its_moved_date
else
    bad "a_calendar_series_shows_its_moved_date ($yoga)"
    [ -n "$yoga" ] && cut -f2 "$yoga" | head -n 30
fi
[ -n "$(detail_of "ロビーコンサート, 冬")" ] && ok an_escaped_comma_comes_out_right ||
    bad an_escaped_comma_comes_out_right
[ -z "$(detail_of "中止になった催し")" ] && ok a_cancelled_entry_is_not_shown ||
    bad a_cancelled_entry_is_not_shown

# ---- the running kiosk ---------------------------------------------------------------------
mkdir -p "$tmp/state"
e2e_start "$tmp/log" --config "$tmp/kiosk.conf" --windowed 1280x720 --state-dir "$tmp/state" \
    --now 2026-11-26T10:00:00+09:00 || exit 1
E2E_PATIENCE=40
# src NAME FIELD: one field of the named source in /api/v1/status (counts.events and so on)
src() {
    e2e_api /api/v1/status | python3 -c '
import json, sys
name, field = sys.argv[1], sys.argv[2]
for s in json.load(sys.stdin).get("sources", []):
    if s["name"] == name:
        v = s
        for part in field.split("."):
            v = v.get(part) if isinstance(v, dict) else None
        print(json.dumps(v, ensure_ascii=False))
' "$1" "$2"
}
src_is() { [ "$(src "$1" "$2")" = "$3" ]; }

if e2e_wait_for src_is 市のイベント一覧 format '"csv"' && src_is 施設予約 format '"ical"' &&
    src_is feed format '"json"'; then
    ok every_source_is_fetched_and_its_format_seen
else
    bad every_source_is_fetched_and_its_format_seen
    e2e_api /api/v1/status | python3 -m json.tool | sed -n '/"sources"/,/]/p' | head -n 60
fi
csv_events=$(src 市のイベント一覧 counts.events)
[ "$csv_events" = 3 ] && ok the_csv_keeps_three_listings ||
    bad "the_csv_keeps_three_listings ($csv_events)"
[ "$(src 市のイベント一覧 counts.dropped)" = 1 ] && ok the_bad_row_is_dropped ||
    bad "the_bad_row_is_dropped ($(src 市のイベント一覧 counts.dropped))"
if e2e_wait_for src_is 届かない一覧 failing true && src 届かない一覧 last_error | grep -q 404; then
    ok a_missing_source_fails_with_its_status
else
    bad "a_missing_source_fails_with_its_status ($(src 届かない一覧 last_error))"
fi

# The CSV turns into something that is not an event list; the others go on.
printf 'これは,一覧では,ありません\n1,2,3\n' >"$www/events.csv"
touch "$www/events.csv"
has_reason() { src 市のイベント一覧 last_error | grep -q "rejected"; }
if e2e_wait_for has_reason && src_is 市のイベント一覧 counts.events 3 &&
    src_is 市のイベント一覧 has_content true; then
    ok a_broken_source_keeps_its_last_good_copy
else
    bad "a_broken_source_keeps_its_last_good_copy ($(src 市のイベント一覧 last_error))"
fi
total=$(e2e_api /api/v1/status | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["events"])')
feed_events=$(src feed counts.events)
ical_events=$(src 施設予約 counts.events)
[ "$total" -eq $((feed_events + 3 + ical_events)) ] && ok the_screen_still_counts_every_source ||
    bad "the_screen_still_counts_every_source ($total != $feed_events + 3 + $ical_events)"
grep -q "sync: 市のイベント一覧: failed (rejected" "$tmp/log" && ok the_log_names_the_source ||
    bad the_log_names_the_source
e2e_finish
