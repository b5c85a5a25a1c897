#!/usr/bin/env bash
# Safety information by itself, end to end with the real kiosk over HTTPS on loopback: JMA's
# Atom feed (extra.xml) served by nginx with a test CA lists a 大雨特別警報 for Musashino, a
# 訓練 report and a report for another area. The kiosk shows the 特別警報 as an emergency at
# its first poll, with JMA's own words and 「気象庁発表」, and nothing of the drill or of the
# other area; outside opening hours it wakes the panel; restarted mid-warning it shows it
# again from its cache before any fetch, and a day later not; staff can take it down; once
# the feed carries the 解除 the screen returns to normal.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
. "$S/tests/lib/kiosk_e2e.sh"
. "$S/tests/lib/https/pki.sh"
for tool in nginx openssl; do
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
mkdir -p "$www/data" "$tmp/state"

# report FILE KIND STATUS AREA-NAME AREA-CODE CONTROL-STATUS TIME (files named as JMA names
# them: time, kind code, office; the kiosk picks entries by that code)
report() {
    cat >"$www/data/$1" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Report xmlns="http://xml.kishou.go.jp/jmaxml1/"><Control><Title>気象警報・注意報（Ｈ２７）</Title>
<DateTime>$7</DateTime><Status>$6</Status><EditorialOffice>気象庁本庁</EditorialOffice>
<PublishingOffice>気象庁</PublishingOffice></Control>
<Head xmlns="http://xml.kishou.go.jp/jmaxml1/informationBasis1/"><Title>東京都気象警報・注意報</Title>
<ReportDateTime>$7</ReportDateTime><TargetDateTime>$7</TargetDateTime><InfoKind>気象警報・注意報</InfoKind>
<InfoType>発表</InfoType><Headline><Text>多摩北部では、土砂災害や低い土地の浸水に最大級の警戒をしてください。</Text></Headline></Head>
<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/meteorology1/"><Warning type="気象警報・注意報（市町村等）">
<Item><Kind><Name>$2</Name><Code>33</Code><Status>$3</Status></Kind><Area><Name>$4</Name><Code>$5</Code></Area></Item>
</Warning></Body></Report>
XML
}
# feed FILE...: extra.xml listing the reports (given oldest first), newest first as JMA does
feed() {
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo '<feed xmlns="http://www.w3.org/2005/Atom"><title>高頻度（随時）</title><id>urn:uuid:e2e</id>'
        echo "<updated>2026-07-03T01:30:00Z</updated>"
        local i=$# f k
        for ((k = $#; k >= 1; k--)); do
            f=${!k}
            echo "<entry><title>気象警報・注意報（Ｈ２７）</title><id>urn:uuid:e2e-$f</id>"
            echo "<updated>2026-07-03T01:0${i}:00Z</updated><author><name>気象庁</name></author>"
            echo "<link type=\"application/xml\" href=\"https://127.0.0.1:$port/data/$f\"/></entry>"
            i=$((i - 1))
        done
        echo '</feed>'
    } >"$www/extra.xml"
}

pki=$tmp/pki
https_pki_init "$pki"
https_pki_leaf "$pki" server "IP:127.0.0.1,DNS:localhost"
https_nginx_start "$tmp/ngx" "$www" "$pki/server.crt" "$pki/server.key" || exit 1
port=$HTTPS_NGINX_PORT
nginx_pid=$HTTPS_NGINX_PID

report 20260703010000_0_VPWW54_130000.xml 大雨特別警報 発表 武蔵野市 1320300 通常 2026-07-03T10:00:00+09:00
report 20260703010100_0_VPWW54_130000.xml 大雪特別警報 発表 武蔵野市 1320300 訓練 2026-07-03T10:01:00+09:00
report 20260703010200_0_VPWW54_130010.xml 暴風特別警報 発表 八丈町 1340100 通常 2026-07-03T10:02:00+09:00
feed 20260703010000_0_VPWW54_130000.xml 20260703010100_0_VPWW54_130000.xml 20260703010200_0_VPWW54_130010.xml
cat >"$tmp/kiosk.conf" <<CONF
ca_file = $pki/ca.crt
jma_extra_url = https://127.0.0.1:$port/extra.xml
jma_eqvol_url =
cap_url =
CONF
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$tmp/feed.json" --to 2026-07-03 2>/dev/null
# start N [STATE-DIR [NOW]]
start() {
    e2e_start "$tmp/log$1" --config "$tmp/kiosk.conf" --windowed 1280x720 \
        --feed "file://$tmp/feed.json" --state-dir "${2:-$tmp/state}" \
        --now "${3:-2026-07-03T10:05:00+09:00}"
}
gone() { ! e2e_shows "大雨特別警報"; }
start 1 || exit 1
E2E_PATIENCE=30
if e2e_wait_for e2e_shows "大雨特別警報" && e2e_shows "気象庁発表"; then
    ok a_special_warning_for_our_area_is_an_emergency_at_the_first_poll
else
    bad a_special_warning_for_our_area_is_an_emergency_at_the_first_poll
    e2e_screen | head -n 20
    grep -i "safety\|jma" "$tmp/log1" | tail -n 10
fi
e2e_shows "最大級の警戒" && ok jma_own_headline_is_shown || bad jma_own_headline_is_shown
! e2e_shows "大雪特別警報" && ok a_drill_is_not_shown_without_drill_mode ||
    bad a_drill_is_not_shown_without_drill_mode
! e2e_shows "八丈町" && ! e2e_shows "暴風特別警報" && ok another_area_changes_nothing ||
    bad another_area_changes_nothing
e2e_stop
cp -a "$tmp/state" "$tmp/state-later"
cp -a "$tmp/state" "$tmp/state-clear" # the take-down below must not be what clears it

# an earthquake report: 震度5強 in our area is an emergency; a report for another area is not
quake() { # FILE AREA-CODE MAXINT EVENT-ID
    cat >"$www/data/$1" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Report xmlns="http://xml.kishou.go.jp/jmaxml1/"><Control><Title>震源・震度に関する情報</Title>
<DateTime>2026-07-03T01:07:00Z</DateTime><Status>通常</Status><EditorialOffice>気象庁本庁</EditorialOffice>
<PublishingOffice>気象庁</PublishingOffice></Control>
<Head xmlns="http://xml.kishou.go.jp/jmaxml1/informationBasis1/"><Title>震源・震度情報</Title>
<ReportDateTime>2026-07-03T10:07:00+09:00</ReportDateTime><TargetDateTime>2026-07-03T10:05:00+09:00</TargetDateTime>
<EventID>$4</EventID><InfoType>発表</InfoType><Serial>1</Serial><InfoKind>地震情報</InfoKind>
<InfoKindVersion>1.0_1</InfoKindVersion><Headline><Text>３日１０時０５分ころ、地震による強い揺れを感じました。</Text></Headline></Head>
<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/seismology1/" xmlns:jmx_eb="http://xml.kishou.go.jp/jmaxml1/elementBasis1/">
<Earthquake><OriginTime>2026-07-03T10:05:00+09:00</OriginTime><ArrivalTime>2026-07-03T10:05:00+09:00</ArrivalTime>
<Hypocenter><Area><Name>東京都多摩東部</Name><Code type="震央地名">351</Code></Area></Hypocenter>
<jmx_eb:Magnitude type="Mj" description="Ｍ６．１">6.1</jmx_eb:Magnitude></Earthquake>
<Intensity><Observation><MaxInt>$3</MaxInt><Pref><Name>東京都</Name><Code>13</Code><MaxInt>$3</MaxInt>
<Area><Name>震度の地域</Name><Code>$2</Code><MaxInt>$3</MaxInt></Area></Pref></Observation></Intensity>
</Body></Report>
XML
}
quake 20260703010700_0_VXSE53_010000.xml 351 5+ 20260703100500
quake 20260703010800_0_VXSE53_010000.xml 700 6- 20260703100600
cat >"$www/eqvol.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>地震火山</title><id>urn:uuid:eq</id><updated>2026-07-03T01:10:00Z</updated>
<entry><title>震源・震度に関する情報</title><id>urn:uuid:eq2</id><updated>2026-07-03T01:08:00Z</updated>
<link type="application/xml" href="https://127.0.0.1:$port/data/20260703010800_0_VXSE53_010000.xml"/></entry>
<entry><title>震源・震度に関する情報</title><id>urn:uuid:eq1</id><updated>2026-07-03T01:07:00Z</updated>
<link type="application/xml" href="https://127.0.0.1:$port/data/20260703010700_0_VXSE53_010000.xml"/></entry>
</feed>
XML
printf 'ca_file = %s\njma_extra_url =\njma_eqvol_url = https://127.0.0.1:%s/eqvol.xml\ncap_url =\n' \
    "$pki/ca.crt" "$port" >"$tmp/quake.conf"
mkdir -p "$tmp/state-quake"
e2e_start "$tmp/log-quake" --config "$tmp/quake.conf" --windowed 1280x720 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state-quake" \
    --now 2026-07-03T10:10:00+09:00 || exit 1
if e2e_wait_for e2e_shows "震度5強" && ! e2e_shows "震度6弱"; then
    ok an_earthquake_in_our_area_is_an_emergency_and_another_areas_is_not
else
    bad an_earthquake_in_our_area_is_an_emergency_and_another_areas_is_not
    e2e_screen | cut -f2 | head -n 12
fi
e2e_stop

# a CAP 1.2 alert from a city gateway for our geocode
cat >"$www/cap.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>MUS-2026-0703-1</identifier>
<sender>gateway.city.example</sender><sent>2026-07-03T10:00:00+09:00</sent><status>Actual</status>
<msgType>Alert</msgType><scope>Public</scope><info><language>ja-JP</language><category>Safety</category>
<event>避難指示</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty>
<expires>2026-07-03T22:00:00+09:00</expires><senderName>武蔵野市</senderName>
<headline>境南町に避難指示を発令しました</headline><area><areaDesc>武蔵野市</areaDesc>
<geocode><valueName>JIS</valueName><value>13203</value></geocode></area></info></alert>
XML
printf 'ca_file = %s\njma_extra_url =\njma_eqvol_url =\ncap_url = https://127.0.0.1:%s/cap.xml\n' \
    "$pki/ca.crt" "$port" >"$tmp/cap.conf"
mkdir -p "$tmp/state-cap"
e2e_start "$tmp/log-cap" --config "$tmp/cap.conf" --windowed 1280x720 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state-cap" \
    --now 2026-07-03T10:10:00+09:00 || exit 1
if e2e_wait_for e2e_shows "境南町に避難指示を発令しました"; then
    ok a_cap_alert_for_our_area_is_shown
else
    bad a_cap_alert_for_our_area_is_shown
    grep -i "cap\|safety" "$tmp/log-cap" | tail -n 5
fi
e2e_stop

# outside opening hours with the panel off, an automatic emergency wakes it like a staff one
panel=$tmp/panel.log
: >"$panel"
{
    cat "$tmp/kiosk.conf"
    for d in sun mon tue wed thu fri sat; do echo "hours.$d = 09:30-22:00"; done
    echo "panel_on_cmd = echo on >>$panel"
    echo "panel_off_cmd = echo off >>$panel"
} >"$tmp/night.conf"
mkdir -p "$tmp/state-night"
e2e_start "$tmp/log-night" --config "$tmp/night.conf" --windowed 1280x720 \
    --feed "file://$tmp/feed.json" --state-dir "$tmp/state-night" \
    --now 2026-07-03T23:30:00+09:00 || exit 1
woke() { [ "$(tail -n 1 "$panel")" = on ]; }
if e2e_wait_for woke && e2e_shows "大雨特別警報"; then
    ok an_automatic_emergency_wakes_the_panel_outside_opening_hours
else
    bad "an_automatic_emergency_wakes_the_panel_outside_opening_hours ($(tr '\n' ' ' <"$panel"))"
fi
e2e_stop

# restarted mid-warning: the cache shows it before any fetch (nginx is stopped meanwhile)
kill -STOP "$nginx_pid"
start 2 || exit 1
if e2e_wait_for e2e_shows "大雨特別警報"; then
    ok a_restarted_kiosk_shows_the_warning_from_its_cache
else
    bad a_restarted_kiosk_shows_the_warning_from_its_cache
fi
# staff take it down: it goes, and the worker is told (it is not put back by the same report)
id=$(e2e_api /api/v1/status | python3 -c \
    'import json,sys; print(" ".join(i for i in json.load(sys.stdin).get("active_announcements", []) if i.startswith("jma.")))')
code=$(e2e_api "/api/v1/announcements/${id%% *}" -o /dev/null -w '%{http_code}' -X DELETE)
if [ -n "$id" ] && [ "$code" = 204 -o "$code" = 200 ] && e2e_wait_for gone; then
    ok staff_can_take_an_automatic_warning_down
else
    bad "staff_can_take_an_automatic_warning_down (id '$id', HTTP $code)"
fi
e2e_stop 10

# a day and more later, the cached warning has expired: it does not come back
start 2b "$tmp/state-later" 2026-07-04T11:00:00+09:00 || exit 1
shown_home() { e2e_shows "ボランティア"; }
if e2e_wait_for shown_home && sleep 2 && gone; then
    ok an_expired_warning_does_not_come_back_from_the_cache
else
    bad an_expired_warning_does_not_come_back_from_the_cache
fi
e2e_stop 10
kill -CONT "$nginx_pid"

# the 解除 comes (the take-down above is forgotten with the state of a new report): the
# screen returns to normal at the first poll
report 20260703010400_0_VPWW54_130000.xml 大雨特別警報 解除 武蔵野市 1320300 通常 2026-07-03T10:04:00+09:00
feed 20260703010000_0_VPWW54_130000.xml 20260703010100_0_VPWW54_130000.xml 20260703010200_0_VPWW54_130010.xml 20260703010400_0_VPWW54_130000.xml
start 3 "$tmp/state-clear" || exit 1
if e2e_wait_for gone; then
    ok the_screen_returns_to_normal_after_the_all_clear
else
    bad the_screen_returns_to_normal_after_the_all_clear
    e2e_screen | head -n 10
fi
e2e_stop
e2e_finish
