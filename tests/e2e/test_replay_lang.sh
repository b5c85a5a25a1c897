#!/usr/bin/env bash
# A visitor who reads English (`kiosk-sim --replay`): the globe button in the header opens the
# language chooser, English turns every interface word to English, a listing opens in it;
# left alone, the visitor is asked in English whether they are still there, one touch keeps
# the session (still English, still the listing), and left again the kiosk goes home into
# the attract loop, where the next visitor finds it in 日本語. The injected clock
# (--clock-rate 5, --idle-timeout 40: the warning from 20 s to 40 s of kiosk time, 4 to 8
# real seconds after the last touch) keeps it fast, with margin each side for a loaded
# machine. Coordinates come from the screenshot mode's listings of the same feed.
set -u
. "$KIOSK_SOURCE_DIR/tests/lib/replay.sh"
replay_refs
globe=$(at home "日本語")
english=$(at language "English")
tile=$(at home-en "Events")
card=$(atp list-events-en "Try Braille")
need "the language button" "$globe"
need "English in the chooser" "$english"
need "the Events tile" "$tile"
need "the braille course's card" "$card"
# each tap ends 300 real ms (1.5 s of kiosk time) later
cat >"$work/script" <<SCRIPT
wait 500
tap $globe
screenshot l-chooser
tap $english
screenshot l-home
tap $tile
screenshot l-list
tap $card
screenshot l-detail
# 5.7 + 0.3 real s after the tap: 30 s idle, past the warning (20 s), before home (40 s)
wait 5700
screenshot l-warn
tap 960 540
screenshot l-kept
# left alone past the timeout: 51 s
wait 10000
screenshot l-gone
tap 960 540
screenshot l-next
SCRIPT
replay_run --clock-rate 5 --idle-timeout 40
check the_chooser_opens_over_home is l-chooser home
check the_chooser_offers_korean has l-chooser "한국어"
check english_turns_home_to_english is l-home home
check home_invites_in_english has l-home "Touch what you want to see"
check the_button_names_the_language has l-home "English"
check no_japanese_hint_is_left lacks l-home "見たいところにタッチしてください"
check the_list_opens_in_english is l-list list-events
check the_list_says_back has l-list "Back"
check a_listing_opens is l-detail detail-ev-1126-01
check the_listing_reads_in_english has l-detail "Scan with your phone"
check a_plain_free_fee_reads_in_english lacks l-detail "無料"
check the_warning_comes_before_the_idle_return is l-warn idle-warning
check the_warning_asks_in_english has l-warn "Are you still there?"
check the_warning_offers_to_continue has l-warn "Continue"
check one_touch_keeps_the_listing is l-kept detail-ev-1126-01
check the_kept_session_stays_english has l-kept "Back"
check the_kept_session_shows_no_warning lacks l-kept "Are you still there?"
check idle_returns_home_into_the_attract_loop is l-gone attract
check the_next_visitor_finds_home is l-next home
check the_next_visitor_reads_japanese has l-next "見たいところにタッチしてください"
check the_button_is_back_to_japanese has l-next "日本語"
check no_english_hint_is_left lacks l-next "Touch what you want to see"
check the_choice_is_logged grep -q "ui: language: en" "$work/err2" "$work/stdout"
replay_end
