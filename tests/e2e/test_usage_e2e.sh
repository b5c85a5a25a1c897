#!/usr/bin/env bash
# Usage counts end to end: a scripted visit through the real program (`kiosk-sim --replay`),
# then the kiosk started again on the same state dir answers GET /api/v1/stats with exactly
# the numbers of that visit, in the CSV staff open in Excel (BOM, CRLF), through kioskctl
# too, and /metrics carries the new process's (zero) counters with the kiosk label.
#   visit 1: home (tapped) → events list → a card (QR code shown), left alone until the
#            idle timeout brings the attract loop
#   visit 2: the first touch wakes the kiosk (home)
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
tmp=$(mktemp -d)
trap 'e2e_stop; rm -rf "$tmp"' EXIT
e2e_token
export SDL_VIDEODRIVER=offscreen
feed="$S/assets/sample-feed.json"
now=2026-11-26T10:00:00+09:00
# the reference coordinates are on Japanese screens: the short set will do (tests/README.md)
KIOSK_SHOTS_LANGS=en "$B/kiosk" --screenshot "$tmp/ref" --feed "file://$feed" --state-dir "$tmp/ref-state" \
    --now "$now" >/dev/null 2>"$tmp/err1" || { echo "screenshot run failed"; cat "$tmp/err1"; exit 1; }
# a list row's title may end in … on a narrow column, so rows are found by how they start
at() { awk -F'\t' -v t="$2" 'index($2, t) == 1 { split($1, g, " "); print int(g[1] + g[3] / 2), int(g[2] + g[4] / 2); exit }' "$tmp/ref/$1.txt"; }
tile=$(at home "イベント")
card=$(at list-events "点字体験講座")
[ -n "$tile" ] && [ -n "$card" ] || { echo "cannot find the tile or the card"; exit 1; }
cat >"$tmp/script" <<SCRIPT
wait 500
tap $tile
tap $card
wait 300
# idle: --idle-timeout 5 at --clock-rate 4 is 1.25 real seconds
wait 2500
tap 960 540
wait 300
SCRIPT
mkdir -p "$tmp/state"
"$B/kiosk-sim" --windowed 1920x1080 --replay "$tmp/script" --feed "file://$feed" \
    --state-dir "$tmp/state" --now "$now" --clock-rate 4 --idle-timeout 5 --admin-listen "" \
    >"$tmp/replay.out" 2>"$tmp/replay.err" || { echo "replay failed"; cat "$tmp/replay.err"; exit 1; }
ls "$tmp/state/usage/2026-11-26.usage" >/dev/null || { echo "FAIL no day file written at exit"; exit 1; }

printf 'target = community/sakai\n' >"$tmp/kiosk.conf"
e2e_start "$tmp/log" --config "$tmp/kiosk.conf" --windowed 960x540 --feed "file://$feed" \
    --state-dir "$tmp/state" --now 2026-11-26T15:00:00+09:00 || exit 1
failed=0
check() {
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failed=1; fi
}
e2e_api "/api/v1/stats?from=2026-11-26&to=2026-11-26&format=csv" >"$tmp/stats.csv"
head -c 3 "$tmp/stats.csv" | od -An -tx1 | grep -q "ef bb bf"
check csv_starts_with_a_bom [ $? -eq 0 ]
check csv_lines_end_crlf bash -c '! tr -d "\r" <"$1" | cmp -s - "$1" && [ "$(grep -c $'"'"'\r$'"'"' "$1")" = "$(wc -l <"$1")" ]' _ "$tmp/stats.csv"
total=$(grep -a '^total,' "$tmp/stats.csv" | tr -d '\r')
echo "  $total"
# columns: sessions home list detail announcements listing_opens qr_shown qr_seconds attract filters
IFS=, read -r _ _ _ _ _ _ sessions home list detail anns opens qr qrs attract filters <<<"$total"
check two_sessions [ "$sessions" = 2 ]
check home_twice_list_once_detail_once [ "$home/$list/$detail/$anns" = "2/1/1/0" ]
check one_listing_opened_and_its_qr_shown_once [ "$opens/$qr" = "1/1" ]
check the_qr_stayed_on_screen_until_the_idle_timeout \
    awk -v s="$qrs" 'BEGIN { exit !(s >= 4 && s < 30) }'
check the_attract_loop_showed_a_qr_code [ "$attract" -ge 1 ]
check no_filter_was_used [ "$filters" = 0 ]
check the_hour_row_is_10_oclock grep -aq '^hour,2026-11-26,10,' "$tmp/stats.csv"
check the_listing_row_names_the_card \
    grep -aq '^listing,,,"ev-1126-01","点字体験講座 〜指で読む文字にふれる〜",' "$tmp/stats.csv"
printf 'url = http://127.0.0.1:%s\ntoken_file = %s\n' "$KIOSK_PORT" "$tmp/token" >"$tmp/ctl.conf"
"$B/kioskctl" --config "$tmp/ctl.conf" stats --from 2026-11-26 --to 2026-11-26 --csv >"$tmp/ctl.csv"
check kioskctl_csv_is_the_same_bytes cmp -s "$tmp/ctl.csv" "$tmp/stats.csv"
e2e_api /metrics >"$tmp/metrics"
check metrics_carry_the_kiosk_label \
    grep -q '^kiosk_usage_sessions_total{kiosk="community/sakai"} 0$' "$tmp/metrics"
if command -v promtool >/dev/null; then
    check metrics_pass_promtool bash -c 'promtool check metrics <"$1"' _ "$tmp/metrics"
fi
e2e_stop
n_fail=$failed
[ "$n_fail" -eq 0 ] && echo "usage e2e: all passed" || { echo "usage e2e: failed"; cat "$tmp/stats.csv"; }
exit "$n_fail"
