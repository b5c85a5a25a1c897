#!/usr/bin/env bash
# A visitor's walk through the real program (`kiosk-sim --replay`): tap the events tile, a card,
# then leave it alone until the idle timeout brings back home and the attract loop; the
# first touch there only wakes it. Coordinates come from the screenshot mode's listings of
# the same feed, clock and screen size.
set -u
. "$KIOSK_SOURCE_DIR/tests/lib/replay.sh"
replay_refs
tile=$(at home "イベント")
card=$(atp list-events "点字体験講座")
need "the events tile" "$tile"
need "the braille course's card" "$card"
cat >"$work/script" <<SCRIPT
wait 500
screenshot r-home
tap $tile
screenshot r-list
tap $card
screenshot r-detail
drag 500 800 500 400 300
wait 300
screenshot r-detail-dragged
wait 2500
screenshot r-idle
tap 960 540
wait 300
screenshot r-woken
SCRIPT
# idle: --idle-timeout 5 at --clock-rate 4 is 1.25 real seconds
replay_run --clock-rate 4 --idle-timeout 5
check the_tile_opens_the_list is r-list list-events
check the_card_opens_its_detail is r-detail detail-ev-1126-01
check idle_returns_home_into_the_attract_loop is r-idle attract
check the_first_touch_only_wakes_it is r-woken home
check home_comes_first is r-home home
# 52: the sample feed's current events on 26 November, its Saturday series counted once
check the_list_counts_the_current_events has r-list "52件"
check the_detail_shows_its_title has r-detail "点字体験講座"
check the_detail_explains_its_code has r-detail "スマートフォンで読み取ると申し込みページが開きます"
check the_attract_loop_calls_to_touch has r-idle "画面にタッチしてください"
check the_woken_home_invites_a_touch has r-woken "見たいところにタッチしてください"
replay_end
