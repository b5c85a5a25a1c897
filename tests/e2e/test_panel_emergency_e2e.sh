#!/usr/bin/env bash
# Panel power during emergencies, end to end: the real kiosk with a moved clock at 22:30
# (closed), panel commands that append "on" / "off" to a log. An emergency posted while
# closed runs panel_on_cmd at once and keeps the panel on while it shows; its DELETE runs
# panel_off_cmd; two emergencies keep it on until both end; one that ends by its ends_at
# switches it off too; the status reports the state, the reason and the last command's exit;
# an emergency in the feed turns it on as well, and its removal from the feed off.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap 'e2e_stop; rm -rf "$tmp"' EXIT
e2e_token
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-11-25 2>/dev/null
panel="$tmp/panel.log"
{
    for d in sun mon tue wed thu fri sat; do echo "hours.$d = 09:30-22:00"; done
    echo "panel_on_cmd = echo on >>$panel"
    # exits 3, so the status must show a failing command's exit status
    echo "panel_off_cmd = echo off >>$panel; exit 3"
} >"$tmp/kiosk.conf"
: >"$panel"
mkdir -p "$tmp/state"
e2e_start "$tmp/log" --config "$tmp/kiosk.conf" --windowed 960x540 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state" \
    --now 2026-11-25T22:30:00+09:00 || exit 1

count() { grep -c "^$1\$" "$panel"; }
last_is() { [ "$(tail -n 1 "$panel")" = "$1" ]; }
ons_are() { [ "$(count on)" = "$1" ]; }
offs_are() { [ "$(count off)" = "$1" ]; }
post() {
    e2e_api /api/v1/announcements -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "$1"
}
# status_is PYTHON-EXPR: true when the expression holds for the status JSON `s`
status_is() {
    e2e_api /api/v1/status | python3 -c "import json,sys; s=json.load(sys.stdin); \
sys.exit(0 if ($1) else 1)" 2>/dev/null
}
ms_now() { echo $(($(date +%s%N) / 1000000)); }
# still PRED SECONDS: PRED holds the whole time (checked every 0.2 s)
still() {
    local pred=$1 n=$(($2 * 5))
    for _ in $(seq 1 "$n"); do eval "$pred" || return 1; sleep 0.2; done
}

if e2e_wait_for offs_are 1 && ons_are 0; then ok closed_at_start_runs_panel_off_once
else bad "closed_at_start_runs_panel_off_once ($(tr '\n' ' ' <"$panel"))"; fi
if e2e_wait_for status_is "s['panel']['state'] == 'off' and s['panel']['reason'] == 'hours' \
and s['panel']['last_command']['command'] == 'off' \
and s['panel']['last_command']['exit_status'] == 3"; then
    ok status_shows_off_for_the_hours_and_exit_status_3
else
    bad status_shows_off_for_the_hours_and_exit_status_3
    e2e_api /api/v1/status | python3 -m json.tool | sed -n '/"panel"/,/}/p'
fi

t0=$(ms_now)
post '{"id":"quake","text":{"ja":"地震が発生しました。係員の指示に従ってください。"},
       "level":"emergency","until_cleared":true}'
if e2e_wait_for ons_are 1 && last_is on; then
    ok "an_emergency_while_closed_runs_panel_on_at_once (after $(($(ms_now) - t0)) ms)"
else
    bad an_emergency_while_closed_runs_panel_on_at_once
fi
if e2e_wait_for status_is "s['panel']['state'] == 'on' and \
s['panel']['reason'] == 'emergency' and s['panel']['last_command']['command'] == 'on' \
and s['panel']['last_command']['exit_status'] == 0 \
and s['panel']['last_command']['finished_at'] is not None \
and s['panel']['commands_configured']"; then
    ok status_shows_on_for_the_emergency_and_exit_status_0
else
    bad status_shows_on_for_the_emergency_and_exit_status_0
    e2e_api /api/v1/status | python3 -m json.tool | sed -n '/"panel"/,/}/p'
fi
if still "offs_are 1 && last_is on" 3; then ok the_panel_stays_on_while_the_emergency_shows
else bad the_panel_stays_on_while_the_emergency_shows; fi

post '{"id":"fire","text":{"ja":"火災が発生しました。"},"level":"emergency",
       "until_cleared":true}'
e2e_api /api/v1/announcements/quake -o /dev/null -X DELETE
if e2e_wait_for e2e_shows "火災が発生しました" && still "offs_are 1 && ons_are 1" 3; then
    ok a_second_emergency_keeps_the_panel_on_when_the_first_ends
else
    bad a_second_emergency_keeps_the_panel_on_when_the_first_ends
fi
t0=$(ms_now)
e2e_api /api/v1/announcements/fire -o /dev/null -X DELETE
if e2e_wait_for offs_are 2 && last_is off; then
    ok "the_last_emergency_deleted_while_closed_runs_panel_off (after $(($(ms_now) - t0)) ms)"
else
    bad the_last_emergency_deleted_while_closed_runs_panel_off
fi
if e2e_wait_for status_is "s['panel']['state'] == 'off' and s['panel']['reason'] == 'hours'"
then ok status_shows_off_again; else bad status_shows_off_again; fi

# ends in 8 s of the kiosk's clock (real speed from 22:30): time enough to post it
ends=$(e2e_api /api/v1/status | python3 -c "import json,sys,datetime as d; \
n=d.datetime.fromisoformat(json.load(sys.stdin)['now']); \
print((n + d.timedelta(seconds=8)).isoformat())")
post "{\"id\":\"flood\",\"text\":{\"ja\":\"浸水のおそれがあります。\"},\"level\":\"emergency\",
       \"ends_at\":\"$ends\"}"
if e2e_wait_for ons_are 2 && last_is on; then ok a_timed_emergency_runs_panel_on
else bad "a_timed_emergency_runs_panel_on (ends_at $ends)"; fi
if e2e_wait_for offs_are 3 && last_is off; then ok its_ends_at_passing_runs_panel_off
else bad its_ends_at_passing_runs_panel_off; fi
if grep -q "panel on (emergency)" "$tmp/log" && grep -q "panel off (hours)" "$tmp/log"; then
    ok the_changes_are_logged
else
    bad the_changes_are_logged
fi
e2e_stop
echo "panel commands: $(tr '\n' ' ' <"$panel")"

# an emergency that comes with the feed, at a start while closed, then leaves the feed
python3 - "$tmp/feed.json" "$tmp/feed2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["announcements"].append({"id": "feed-fire", "text": {"ja": "火災報知器が作動しました。"},
                           "level": "emergency", "starts_at": "2026-11-25T22:00:00+09:00",
                           "until_cleared": True})
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PY
echo "poll_interval_s = 10" >>"$tmp/kiosk.conf"
: >"$panel"
mkdir -p "$tmp/state2"
e2e_start "$tmp/log2" --config "$tmp/kiosk.conf" --windowed 960x540 \
    --feed "file://$tmp/feed2.json" --state-dir "$tmp/state2" \
    --now 2026-11-25T22:30:00+09:00 || exit 1
if e2e_wait_for e2e_shows "火災報知器が作動しました" && e2e_wait_for last_is on &&
    e2e_wait_for status_is "s['panel']['state'] == 'on' and \
s['panel']['reason'] == 'emergency'"; then
    ok an_emergency_from_the_feed_while_closed_turns_the_panel_on
else
    bad "an_emergency_from_the_feed_while_closed_turns_the_panel_on ($(tr '\n' ' ' <"$panel"))"
fi
python3 - "$tmp/feed2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["announcements"] = [a for a in d["announcements"] if a["id"] != "feed-fire"]
json.dump(d, open(sys.argv[1] + ".new", "w"), ensure_ascii=False)
PY
mv "$tmp/feed2.json.new" "$tmp/feed2.json"
if E2E_PATIENCE=40 e2e_wait_for last_is off && e2e_wait_for e2e_dark; then
    ok its_removal_from_the_feed_turns_the_panel_off
else
    bad "its_removal_from_the_feed_turns_the_panel_off ($(tr '\n' ' ' <"$panel"))"
fi
e2e_stop
echo "panel commands: $(tr '\n' ' ' <"$panel")"
e2e_finish
