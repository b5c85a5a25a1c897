#!/usr/bin/env bash
# Every screen of the sample feed, rendered headless by `kiosk --screenshot`: text inside the
# screen and within 禁則, QR codes that decode to the listing's URL in whole-pixel modules
# with a quiet zone, no glyph cut by its line box (tests/e2e/screens_check.py), and the
# screens a visitor must see exist.
# KIOSK_SHOTS_LANGS (tests/README.md) renders only the other languages it names ("en"): the
# checks of the languages left out are skipped.
set -u
kiosk="$KIOSK_BUILD_DIR/kiosk"
qrshot="$KIOSK_BUILD_DIR/tests/ui/test_ui_qrshot"
inkshot="$KIOSK_BUILD_DIR/tests/ui/test_ui_inkshot"
feed="$KIOSK_SOURCE_DIR/assets/sample-feed.json"
for f in "$kiosk" "$qrshot" "$inkshot"; do [ -x "$f" ] || { echo "missing $f"; exit 1; }; done
command -v zbarimg >/dev/null || { echo "zbarimg missing (zbar-tools)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SDL_VIDEODRIVER=offscreen
if ! "$kiosk" --screenshot "$work/shots" --feed "file://$feed" --state-dir "$work/state" \
    --now 2026-11-26T10:00:00+09:00 >"$work/out" 2>"$work/err"; then
    echo "kiosk --screenshot failed"; cat "$work/out" "$work/err"; exit 1
fi
grep -q "^screenshots: .* in $work/shots" "$work/out" || { echo "no summary line"; cat "$work/out"; exit 1; }
failed=0
# the other languages rendered, as screenshot suffixes
langs=""
for pair in ja-easy:easy en:en zh-Hans:zh ko:ko; do
    case " ${KIOSK_SHOTS_LANGS:-ja-easy en zh-Hans ko} " in
    *" ${pair%%:*} "* | *",${pair%%:*} "* | *" ${pair%%:*},"* | *",${pair%%:*},"*)
        langs="$langs ${pair#*:}" ;;
    esac
done
for name in home list-events list-events-category list-events-today list-volunteers \
    no-results detail-ev-1212-01 announcements ann-normal ann-important ann-emergency \
    offline stale no-cache no-cache-loading attract home-portrait list-events-portrait \
    attract-portrait ann-emergency-portrait idle-warning idle-warning-portrait \
    home-large list-events-large detail-ev-1212-01-large home-large-portrait \
    list-events-large-portrait detail-ev-1212-01-large-portrait idle-warning-large \
    kinds-grants kinds-desks kinds-rooms kinds-groups \
    kinds-groups-recruiting kinds-groups-empty kinds-grants-empty home-no-grants \
    grant-grant-challenge desk-desk-shimin-katsudo room-room-place-studio \
    room-room-kyonan-washitsu group-group-tamagawa list-volunteers-when \
    kinds-grants-portrait kinds-rooms-portrait \
    room-room-place-studio-portrait desk-desk-shimin-katsudo-portrait language; do
    for ext in png txt; do
        [ -s "$work/shots/$name.$ext" ] || { echo "FAIL missing $name.$ext"; failed=1; }
    done
done
# lines may wrap anywhere: look in the text of the whole screen
has() { cut -f2 "$work/shots/$1.txt" | tr -d '\n' | grep -qF -- "$2" || { echo "FAIL $1 lacks '$2'"; failed=1; }; }
# has for a screen in another language: only when that language was rendered
hasl() { case " $langs " in *" ${1##*-} "*) has "$@" ;; esac; }
has home "きょうのイベント"
has home "ボランティア募集"
has home "最終更新 10:00"
has list-events "点字体験講座"
has no-results "条件をはずす"
has offline "通信できません"
has stale "古くなっている可能性があります"
has no-cache "まだ情報を受け取れていません"
has ann-emergency "緊急のお知らせ"
has attract "画面にタッチしてください"
has detail-ev-1212-01 "スマートフォンで読み取ると申し込みページが開きます"
has home "文字を大きく"
has home-large "文字を小さく"
has list-events-large-portrait "文字を小さく"
has idle-warning "まだ使いますか？"
has attract "止める"
has home "補助金・助成金"
has home "相談窓口"
has kinds-grants "締切まであと 5日"
has desk-desk-shimin-katsudo "受付中"
has desk-desk-shimin-katsudo "0422-00-1910"
has room-room-place-studio "空き"
has room-room-kyonan-washitsu "空き状況は施設におたずねください"
has kinds-groups "会員募集中"
has kinds-groups-empty "条件をはずす"
has kinds-grants-empty "いまご案内できるものはありません"
has list-volunteers-when "土・日 午前"
if cut -f2 "$work/shots/home-no-grants.txt" | tr -d '\n' | grep -qF "補助金・助成金"; then
    echo "FAIL home-no-grants shows a grants tile with no grant open"; failed=1
fi
# the sample feed's title_ruby: readings listed over their base
has detail-ev-1126-02 "{介護|かいご}"
# the main screens in every language, landscape and portrait
for lang in $langs; do
    for name in home language list-events list-volunteers announcements ann-emergency offline \
        attract closed closed-black-touched; do
        for o in "" -portrait; do
            [ -s "$work/shots/$name-$lang$o.png" ] || { echo "FAIL missing $name-$lang$o.png"; failed=1; }
        done
    done
done
hasl home-en "Touch what you want to see"
hasl home-en "English"
hasl home-zh "请点击想查看的内容"
hasl home-ko "보고 싶은 곳을 터치해 주십시오"
hasl home-easy "見たい ところを さわって ください"
has language "やさしい にほんご"
has language "한국어"
# a listing without a translation reads in Japanese, marked so in the screen's language
hasl detail-ev-1124-01-en "Cinema Place Evening Film"
hasl detail-ev-1124-01-zh "电影之夜"
hasl list-volunteers-en "Japanese only"
hasl list-volunteers-zh "仅有日语"
# a notice in the screen's language, else in Japanese marked so (the sample's parking
# notice has no Korean)
hasl announcements-en "The underground car park is busy"
hasl announcements-zh "因馆内Wi-Fi施工"
hasl announcements-ko "일본어만"
hasl ann-emergency-zh "火灾报警器"
python3 "$KIOSK_SOURCE_DIR/tests/e2e/screens_check.py" "$work/shots" "$feed" "$qrshot" || failed=1
[ "$failed" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$failed"
