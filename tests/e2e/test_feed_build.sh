#!/usr/bin/env bash
# kiosk-feed build, the fleet's route: one feed v1 document from a city's sources (the JSON
# feed, a CP932 event list CSV and a calendar, as file:// sources), written by the kiosk's own
# readers. The same input gives the same bytes; the output passes `kiosk --check-feed` with
# nothing dropped and shows what the sources held; --sign writes a detached signature that
# verifies with the public key; a source that cannot be read fails the build and leaves no file.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT

"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
printf '%s\n' '名称,開始日,開始時刻,終了時刻,場所名称,URL,イベント種類' \
    '市民講座①　Ⅱ期～はじめての俳句～,2026/12/05,10:00,12:00,武蔵野プレイス,http://www.city.musashino.lg.jp/haiku,講座' \
    'おはなし会,2026/12/05,11:00,11:30,こどもライブラリー,,' \
    'おはなし会,2026/12/12,11:00,11:30,こどもライブラリー,,' \
    '壊れた行,2026/02/30,,,,,' | iconv -f UTF-8 -t CP932 >"$tmp/events.csv"
printf '%s\r\n' 'BEGIN:VCALENDAR' 'VERSION:2.0' 'PRODID:-//kiosk test//JA' \
    'BEGIN:VEVENT' 'UID:yoga@place.example' 'DTSTAMP:20261120T000000Z' \
    'DTSTART:20261202T010000Z' 'DTEND:20261202T020000Z' 'RRULE:FREQ=WEEKLY;COUNT=4' \
    'SUMMARY:ヨガ教室' 'END:VEVENT' 'END:VCALENDAR' >"$tmp/cal.ics"
cat >"$tmp/sources.conf" <<CONF
feed_url = file://$tmp/feed.json
source.1.url = file://$tmp/events.csv
source.1.label = 市のイベント一覧
source.2.url = file://$tmp/cal.ics
source.2.category = 講座・学び
CONF
now=2026-11-26T10:00:00+09:00

"$B/kiosk-feed" build --config "$tmp/sources.conf" --out "$tmp/a.json" --now "$now" 2>"$tmp/a.log"
rc=$?
[ "$rc" -eq 0 ] && ok a_feed_is_built_from_three_sources ||
    { bad "a_feed_is_built_from_three_sources (exit $rc)"; cat "$tmp/a.log"; }
grep -q "市のイベント一覧: dropped: row 5: " "$tmp/a.log" && ok the_bad_row_is_reported_with_its_line ||
    { bad the_bad_row_is_reported_with_its_line; cat "$tmp/a.log"; }
"$B/kiosk-feed" build --config "$tmp/sources.conf" --out "$tmp/b.json" --now "$now" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" && ok the_output_is_byte_identical_from_run_to_run ||
    bad the_output_is_byte_identical_from_run_to_run

"$B/kiosk" --check-feed "$tmp/a.json" >"$tmp/check.txt" 2>/dev/null
rc=$?
expect_events=$(($(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$tmp/feed.json") + 3))
if [ "$rc" -eq 0 ] && ! grep -q "^dropped" "$tmp/check.txt" &&
    grep -q "^kept: events=$expect_events volunteers=" "$tmp/check.txt"; then
    ok the_built_feed_passes_check_feed_with_nothing_dropped
else
    bad "the_built_feed_passes_check_feed_with_nothing_dropped (exit $rc, want $expect_events events)"
    cat "$tmp/check.txt"
fi
python3 - "$tmp/a.json" <<'PY' && ok the_sources_listings_are_in_the_feed || bad the_sources_listings_are_in_the_feed
import json, sys
doc = json.load(open(sys.argv[1]))
ev = {e["title"]["ja"]: e for e in doc["events"]}
haiku = ev["市民講座①　Ⅱ期～はじめての俳句～"]
assert haiku["signup_url"] == "https://www.city.musashino.lg.jp/haiku", haiku
assert haiku["id"].startswith("s1-"), haiku["id"]
assert len(ev["おはなし会"]["dates"]) == 2, ev["おはなし会"]
yoga = ev["ヨガ教室"]
assert len(yoga["dates"]) == 4 and yoga["start"] == "2026-12-02T10:00:00+09:00", yoga
cats = {c["id"]: c["label"]["ja"] for c in doc["categories"]}
assert any(cats[c] == "講座・学び" for c in yoga["categories"]), (yoga, cats)
PY

key_out=$("$B/kioskctl" keygen --out "$tmp/sign.key" 2>&1)
pub=$(printf '%s\n' "$key_out" | grep -Eo '[A-Za-z0-9+/]{43}=' | head -n 1)
"$B/kiosk-feed" build --config "$tmp/sources.conf" --out "$tmp/s.json" --now "$now" \
    --sign "$tmp/sign.key" 2>/dev/null
rc=$?
# verify as a kiosk would, with openssl's Ed25519: the raw public key in its DER wrapping
verify_sig() {
    python3 - "$1" "$2" "$tmp" <<'PY' || return 1
import base64, sys
doc, pub, tmp = sys.argv[1:4]
open(tmp + "/pub.der", "wb").write(bytes.fromhex("302a300506032b6570032100") + base64.b64decode(pub))
open(tmp + "/sig.bin", "wb").write(base64.b64decode(open(doc + ".sig").read().strip()))
PY
    openssl pkeyutl -verify -pubin -keyform DER -inkey "$tmp/pub.der" -rawin -in "$1" \
        -sigfile "$tmp/sig.bin" >/dev/null 2>&1
}
if [ "$rc" -eq 0 ] && [ -s "$tmp/s.json.sig" ] && [ -n "$pub" ] && verify_sig "$tmp/s.json" "$pub" &&
    cmp -s "$tmp/s.json" "$tmp/a.json"; then
    ok sign_writes_a_signature_that_verifies
else
    bad "sign_writes_a_signature_that_verifies (exit $rc)"
fi
printf ' ' >>"$tmp/s.json"
verify_sig "$tmp/s.json" "$pub" && bad a_changed_feed_no_longer_verifies || ok a_changed_feed_no_longer_verifies

rm -f "$tmp/c.json"
sed -i "s|source.2.url = .*|source.2.url = file://$tmp/missing.ics|" "$tmp/sources.conf"
"$B/kiosk-feed" build --config "$tmp/sources.conf" --out "$tmp/c.json" --now "$now" 2>"$tmp/c.log"
rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/c.json" ] && grep -q "missing.ics" "$tmp/c.log" &&
    ok a_source_that_cannot_be_read_fails_the_build || bad "a_source_that_cannot_be_read_fails_the_build (exit $rc)"
e2e_finish
