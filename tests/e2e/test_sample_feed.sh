#!/usr/bin/env bash
# test_sample_feed: the bundled demo feed is valid and rich enough, the kiosk keeps every item
# of it, and kiosk-feedshift moves it to any week keeping weekdays and string formats.
#
# Run by ctest with KIOSK_BUILD_DIR and KIOSK_SOURCE_DIR set; needs python3 for the JSON
# comparisons. Prints one line per check and ends with "N passed, N failed" like the C tests.
set -uo pipefail

src=${KIOSK_SOURCE_DIR:?KIOSK_SOURCE_DIR not set}
build=${KIOSK_BUILD_DIR:?KIOSK_BUILD_DIR not set}
feed=$src/assets/sample-feed.json
kiosk=$build/kiosk
shift_tool=$build/kiosk-feedshift

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_sample_feed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
check() {
    local name=$1; shift
    if "$@" >"$tmp/out" 2>&1; then
        echo "ok   $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        sed 's/^/     /' "$tmp/out"
        failed=$((failed + 1))
    fi
}

the_sample_feed_should_be_valid_json() {
    python3 -m json.tool "$feed" >/dev/null
}

the_sample_feed_should_be_rich_enough() {
    python3 - "$feed" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
n_ev, n_vol, n_ann = len(d["events"]), len(d["volunteers"]), len(d["announcements"])
print(f"events={n_ev} volunteers={n_vol} announcements={n_ann}")
assert d["version"] == 1
assert n_ev >= 40, "fewer than 40 events"
assert n_vol >= 20, "fewer than 20 volunteer listings"
assert n_ann >= 2, "fewer than 2 announcements"
assert 8 <= len(d["categories"]) <= 12, "expected about ten categories"
assert len(d["audiences"]) >= 5
assert d["generated_at"].endswith("+09:00")
# The demo must never open on a full-screen emergency: the only emergency is long past.
for a in d["announcements"]:
    if a["level"] == "emergency":
        assert a["ends_at"] < d["generated_at"], a["id"] + " would be active"
# Some items without a signup URL, some with English, one all-day, one multi-day.
items = d["events"] + d["volunteers"]
assert any("signup_url" not in e for e in d["events"])
assert any("en" in e["title"] for e in items)
assert any(len(e["start"]) == 10 for e in d["events"]), "no all-day event"
assert any("end" in e and e["end"][:10] != e["start"][:10] for e in d["events"]), \
    "no multi-day event"
# A series with a moved date, and an all-day event with a remark for its time.
assert any(len(e.get("dates", [])) >= 6 and any(x.get("changed") for x in e["dates"])
           for e in d["events"]), "no series with a changed date"
assert any(len(e["start"]) == 10 and "time_note" in e for e in d["events"]), \
    "no all-day event with a time_note"
# Each civic-activity kind, a grant already closed, a desk past midnight, a room without
# slots, a group not recruiting.
assert len(d["grants"]) >= 3 and any(g["deadline"] < d["generated_at"] for g in d["grants"])
assert len(d["desks"]) >= 3 and any(h["close"] < h["open"] for x in d["desks"]
                                    for h in x["hours"])
assert len(d["rooms"]) >= 2 and any("slots" not in r for r in d["rooms"])
assert len(d["groups"]) >= 4 and any(not g["recruiting"] for g in d["groups"])
assert len(open(sys.argv[1], "rb").read()) < 300 * 1024
EOF
}

# `kiosk --check-feed FILE` must keep every item of the demo feed and drop none.
check_feed_keeps_everything() {
    local file=$1 out rc
    [ -x "$kiosk" ] || { echo "no kiosk binary at $kiosk"; return 1; }
    out=$("$kiosk" --check-feed "$file" 2>&1)
    rc=$?
    echo "$out"
    [ $rc -eq 0 ] || { echo "exit status $rc"; return 1; }
    if grep -q '^dropped:' <<<"$out"; then
        echo "items were dropped"
        return 1
    fi
    python3 - "$file" "$out" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
m = re.search(r"^kept: events=(\d+) volunteers=(\d+) announcements=(\d+)", sys.argv[2], re.M)
assert m, "no kept: line"
want = (len(d["events"]), len(d["volunteers"]), len(d["announcements"]))
got = tuple(int(x) for x in m.groups())
assert got == want, f"kept {got}, feed has {want}"
m = re.search(r"^kept: grants=(\d+) desks=(\d+) rooms=(\d+) groups=(\d+)", sys.argv[2], re.M)
assert m, "no kept: line for grants"
want = tuple(len(d.get(k, [])) for k in ("grants", "desks", "rooms", "groups"))
got = tuple(int(x) for x in m.groups())
assert got == want, f"kept {got}, feed has {want}"
EOF
}

the_kiosk_should_keep_every_item_of_the_sample_feed() {
    check_feed_keeps_everything "$feed"
}

# Compares a shifted copy with the original: every date moved by the same multiple of
# 7 days, weekday, time of day and offset unchanged, date-only still date-only, nothing
# else changed, and the target day within three days of the new anchor.
compare_shifted() {
    python3 - "$feed" "$1" "$2" <<'EOF'
import datetime, json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
target = datetime.date.fromisoformat(sys.argv[3])
day = lambda s: datetime.date.fromisoformat(s[:10])
shift = (day(b["generated_at"]) - day(a["generated_at"])).days
assert shift % 7 == 0, f"shift of {shift} days is not whole weeks"
assert abs((target - day(b["generated_at"])).days) <= 3, \
    f"target {target} not within 3 days of anchor {b['generated_at']}"
assert b["generated_at"][10:] == a["generated_at"][10:]
fields = {"events": ("start", "end", "deadline"), "volunteers": ("start", "end", "deadline"),
          "announcements": ("starts_at", "ends_at"), "grants": ("opens", "deadline"),
          "desks": (), "rooms": (), "groups": ()}
subs = {"dates": ("start", "end"), "slots": ("start", "end"), "exceptions": ("date", "until")}
n = 1
for kind, keys in fields.items():
    assert len(a[kind]) == len(b[kind])
    for x, y in zip(a[kind], b[kind]):
        assert x.keys() == y.keys(), x["id"]
        for k in x:
            if k in keys:
                assert (day(y[k]) - day(x[k])).days == shift, (x["id"], k, x[k], y[k])
                assert day(y[k]).weekday() == day(x[k]).weekday()
                assert y[k][10:] == x[k][10:], (x["id"], k, "format changed")
                n += 1
            elif k in subs:
                assert len(x[k]) == len(y[k]), (x["id"], k)
                for xd, yd in zip(x[k], y[k]):
                    assert xd.keys() == yd.keys(), (x["id"], k)
                    for dk in xd:
                        if dk in subs[k]:
                            assert (day(yd[dk]) - day(xd[dk])).days == shift, (x["id"], k, dk)
                            assert yd[dk][10:] == xd[dk][10:], (x["id"], k, dk, "format changed")
                            n += 1
                        else:
                            assert xd[dk] == yd[dk], (x["id"], k, dk, "changed")
            else:
                assert x[k] == y[k], (x["id"], k, "changed")
for k in a:
    if k not in fields and k != "generated_at":
        assert a[k] == b[k], k
print(f"shift {shift // 7:+d} weeks, {n} dates compared")
EOF
}

feedshift_should_land_on() {
    local to=$1
    "$shift_tool" "$feed" "$tmp/shifted-$to.json" --to "$to" &&
        compare_shifted "$tmp/shifted-$to.json" "$to"
}

feedshift_should_keep_the_anchor_week_in_place() {
    "$shift_tool" "$feed" "$tmp/same.json" --to 2026-11-28 &&
        cmp <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$feed") \
            <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$tmp/same.json")
}

feedshift_should_round_to_the_nearest_week() {
    # The anchor is Wednesday 2026-11-25: Sunday the 29th is +4 days, so one week on; the
    # Saturday before (-4) one week back.
    "$shift_tool" "$feed" "$tmp/n1.json" --to 2026-11-29 &&
        grep -q '"generated_at":[[:space:]]*"2026-12-02T06:00:00+09:00"' "$tmp/n1.json" &&
        "$shift_tool" "$feed" "$tmp/n2.json" --to 2026-11-21 &&
        grep -q '"generated_at":[[:space:]]*"2026-11-18T06:00:00+09:00"' "$tmp/n2.json"
}

feedshift_should_default_to_today_in_tokyo() {
    local before after
    before=$(TZ=Asia/Tokyo date +%F)
    "$shift_tool" "$feed" "$tmp/today.json" || return 1
    after=$(TZ=Asia/Tokyo date +%F)
    # Midnight may pass while the tool runs: either day is right.
    compare_shifted "$tmp/today.json" "$before" || compare_shifted "$tmp/today.json" "$after"
}

feedshift_should_rewrite_a_file_in_place() {
    cp "$feed" "$tmp/inplace.json" &&
        "$shift_tool" "$tmp/inplace.json" "$tmp/inplace.json" --to 2027-04-01 &&
        compare_shifted "$tmp/inplace.json" 2027-04-01 &&
        [ -z "$(find "$tmp" -name 'inplace.json.tmp.*')" ]
}

feedshift_should_leave_a_bad_date_alone_and_say_so() {
    printf '%s\n' '{"version":1,"generated_at":"2026-11-25T06:00:00+09:00",' \
        '"events":[{"id":"a","start":"2026-13-01","end":"2026-11-26T10:00:00Z"}],' \
        '"volunteers":[]}' >"$tmp/bad.json"
    "$shift_tool" "$tmp/bad.json" "$tmp/bad-out.json" --to 2026-12-09 2>"$tmp/bad.err" &&
        grep -q 'events\[0\].start' "$tmp/bad.err" &&
        grep -q '"start":[[:space:]]*"2026-13-01"' "$tmp/bad-out.json" &&
        grep -q '"end":[[:space:]]*"2026-12-10T10:00:00Z"' "$tmp/bad-out.json"
}

feedshift_should_refuse_a_feed_without_generated_at() {
    echo '{"version":1,"events":[],"volunteers":[]}' >"$tmp/noanchor.json"
    ! "$shift_tool" "$tmp/noanchor.json" "$tmp/noanchor-out.json" &&
        [ ! -e "$tmp/noanchor-out.json" ] &&
        ! "$shift_tool" "$feed" "$tmp/x.json" --to 2026-02-30 &&
        ! "$shift_tool" "$tmp/missing.json" "$tmp/x.json"
}

the_kiosk_should_keep_every_item_of_a_shifted_feed() {
    "$shift_tool" "$feed" "$tmp/check.json" --to 2031-07-15 &&
        check_feed_keeps_everything "$tmp/check.json"
}

check "the sample feed should be valid JSON" the_sample_feed_should_be_valid_json
check "the sample feed should be rich enough" the_sample_feed_should_be_rich_enough
check "kiosk --check-feed should keep every item of the sample feed" \
    the_kiosk_should_keep_every_item_of_the_sample_feed
if [ -x "$shift_tool" ]; then
    for to in 2026-11-25 2026-12-24 2027-03-01 2026-01-01 2030-02-28; do
        check "feedshift should land a target of $to within three days" \
            feedshift_should_land_on "$to"
    done
    check "feedshift should keep the anchor week in place" \
        feedshift_should_keep_the_anchor_week_in_place
    check "feedshift should round to the nearest week" feedshift_should_round_to_the_nearest_week
    check "feedshift should default to today in Tokyo" feedshift_should_default_to_today_in_tokyo
    check "feedshift should rewrite a file in place" feedshift_should_rewrite_a_file_in_place
    check "feedshift should leave a bad date alone and say so" \
        feedshift_should_leave_a_bad_date_alone_and_say_so
    check "feedshift should refuse a feed without generated_at or a bad --to" \
        feedshift_should_refuse_a_feed_without_generated_at
    check "kiosk --check-feed should keep every item of a shifted feed" \
        the_kiosk_should_keep_every_item_of_a_shifted_feed
else
    echo "FAIL no kiosk-feedshift at $shift_tool"
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
