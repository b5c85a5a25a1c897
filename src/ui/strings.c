/* strings: the one table of the kiosk's own Japanese words (see strings.h).
 *
 * Words are chosen for a 70-year-old and a child alike: kana where kanji would be hard
 * (もどる, きょう), polite but short sentences, and an empty state that says what is
 * happening and what will happen next instead of a bare "no data". */
#include "ui/strings.h"

#include <stddef.h>

static const char *const ui_strings[UI_STR_COUNT_] = {
    [UI_STR_TILE_TODAY] = "きょうのイベント",
    [UI_STR_TILE_EVENTS] = "イベント",
    [UI_STR_TILE_VOLUNTEERS] = "ボランティア募集",
    [UI_STR_TILE_ANNOUNCEMENTS] = "お知らせ",
    [UI_STR_TILE_TODAY_SUB] = "きょう開かれる催し",
    [UI_STR_TILE_EVENTS_SUB] = "これからの催し",
    [UI_STR_TILE_VOLUNTEERS_SUB] = "参加する人を募集中",
    [UI_STR_TILE_ANNOUNCEMENTS_SUB] = "館からのお知らせ",
    [UI_STR_COUNT_UNIT] = "件",
    [UI_STR_COUNT_UNKNOWN] = "－",
    [UI_STR_TITLE_EVENTS] = "イベント",
    [UI_STR_TITLE_VOLUNTEERS] = "ボランティア募集",
    [UI_STR_TITLE_ANNOUNCEMENTS] = "お知らせ",
    [UI_STR_TITLE_UPCOMING] = "もうすぐ始まるイベント",
    [UI_STR_TITLE_DETAIL_EVENT] = "イベントのくわしい内容",
    [UI_STR_TITLE_DETAIL_VOLUNTEER] = "ボランティア募集のくわしい内容",
    [UI_STR_HOME_HINT] = "見たいところにタッチしてください",
    [UI_STR_DAY_TODAY] = "きょう",
    [UI_STR_DAY_WEEK] = "今週",
    [UI_STR_DAY_MONTH] = "今月",
    [UI_STR_DAY_ALL] = "すべて",
    [UI_STR_FILTER_DAY] = "日にち",
    [UI_STR_FILTER_CATEGORY] = "分野",
    [UI_STR_FILTER_AUDIENCE] = "対象",
    [UI_STR_FILTER_ANY] = "すべて",
    [UI_STR_PICK_CATEGORY] = "分野をえらんでください",
    [UI_STR_PICK_AUDIENCE] = "対象をえらんでください",
    [UI_STR_CLOSE] = "とじる",
    [UI_STR_PICK_MARK] = "▼",
    [UI_STR_BACK] = "◀ もどる",
    [UI_STR_HOME] = "ホーム",
    [UI_STR_PAGE_UP] = "▲",
    [UI_STR_PAGE_DOWN] = "▼",
    [UI_STR_LAST_UPDATE] = "最終更新",
    [UI_STR_LAST_UPDATE_NONE] = "最終更新 －",
    [UI_STR_SYNC_FAILED] = "● 通信できません",
    [UI_STR_STALE_NOTICE] = "表示している情報は古くなっている可能性があります。"
                            "最新の情報は窓口でおたずねください。",
    [UI_STR_CLOCK_UNSYNCED] = "時刻を確認しています",
    [UI_STR_EMPTY_LOADING_TITLE] = "情報を読み込んでいます",
    [UI_STR_EMPTY_LOADING_BODY] = "イベントとボランティア募集の情報を受け取っています。"
                                  "しばらくお待ちください。",
    [UI_STR_EMPTY_OFFLINE_TITLE] = "まだ情報を受け取れていません",
    [UI_STR_EMPTY_OFFLINE_BODY] = "ネットワークにつながると、イベントとボランティア募集の"
                                  "情報が自動で表示されます。"
                                  "催しのご案内は窓口でもお受けしています。",
    [UI_STR_EMPTY_FILTER_TITLE] = "条件に合うものはありません",
    [UI_STR_EMPTY_FILTER_BODY] = "日にちや分野の条件を変えると、ほかの催しが見られます。",
    [UI_STR_EMPTY_LIST_TITLE] = "いまご案内できるものはありません",
    [UI_STR_EMPTY_LIST_BODY] = "新しい情報が届くと、ここに表示されます。",
    [UI_STR_CLEAR_FILTER] = "条件をはずす",
    [UI_STR_NO_ANNOUNCEMENTS] = "いまお知らせはありません",
    /* broken where a reader pauses, not inside ページ wherever the width falls */
    [UI_STR_QR_CAPTION] = "スマートフォンで読み取ると\n申し込みページが開きます",
    /* the same in a column too narrow for it, still broken between phrases */
    [UI_STR_QR_CAPTION_NARROW] = "スマートフォンで\n読み取ると\n申し込みページが\n開きます",
    [UI_STR_QR_CAPTION_EN] = "Scan to open the sign-up page",
    [UI_STR_NO_SIGNUP_TITLE] = "申し込み・お問い合わせ",
    [UI_STR_NO_SIGNUP_BODY] = "申し込みについては窓口でおたずねください。",
    [UI_STR_F_DATE] = "日時",
    [UI_STR_F_DATES] = "日程",
    [UI_STR_F_PLACE] = "場所",
    [UI_STR_F_ADDRESS] = "住所",
    [UI_STR_F_ORGANIZER] = "主催",
    [UI_STR_F_ORGANIZATION] = "団体",
    [UI_STR_F_SCHEDULE] = "活動日",
    [UI_STR_F_WANTED] = "募集内容",
    [UI_STR_F_FEE] = "費用",
    [UI_STR_F_CAPACITY] = "定員",
    [UI_STR_F_DEADLINE] = "締切",
    [UI_STR_F_CONTACT] = "連絡先",
    [UI_STR_F_SIGNUP] = "申込",
    [UI_STR_F_AUDIENCE] = "対象",
    [UI_STR_F_CATEGORY] = "分野",
    [UI_STR_CAPACITY_UNIT] = "名",
    [UI_STR_ALL_DAY] = "終日",
    [UI_STR_DEADLINE] = "締切",
    [UI_STR_RANGE_SEP] = "〜",
    [UI_STR_LIST_SEP] = "・",
    [UI_STR_YEAR_SUFFIX] = "年",
    [UI_STR_MONTH_SUFFIX] = "月",
    [UI_STR_DAY_SUFFIX] = "日",
    [UI_STR_WD_SUN] = "日",
    [UI_STR_WD_MON] = "月",
    [UI_STR_WD_TUE] = "火",
    [UI_STR_WD_WED] = "水",
    [UI_STR_WD_THU] = "木",
    [UI_STR_WD_FRI] = "金",
    [UI_STR_WD_SAT] = "土",
    [UI_STR_ATTRACT_TOUCH] = "画面にタッチしてください",
    [UI_STR_ATTRACT_FEATURED] = "おすすめ",
    [UI_STR_ATTRACT_UPCOMING] = "もうすぐ",
    [UI_STR_ANN_EMERGENCY] = "緊急のお知らせ",
    [UI_STR_ANN_IMPORTANT] = "重要",
    [UI_STR_ANN_NORMAL] = "お知らせ",
    [UI_STR_MORE_PREFIX] = "ほか",
    [UI_STR_TIMES_SUFFIX] = "回",
    /* beside a date of a series whose time moved: a visitor who knows "Saturdays at 10"
     * must see that this one is different */
    [UI_STR_TIME_CHANGED] = "時間変更",
    [UI_STR_MORE_BELOW] = "▼ つづきがあります",
    [UI_STR_ITEM_GONE] = "この情報の掲載は終わりました",
    [UI_STR_UNTIL] = "まで",
    [UI_STR_FROM] = "から",
    [UI_STR_FEATURED] = "おすすめ",
    [UI_STR_CLOSED_TITLE] = "ただいま閉館中です",
    [UI_STR_CLOSED_NEXT] = "次の開館",
    [UI_STR_CLOSED_TITLE_EN] = "We are closed now",
    [UI_STR_CLOSED_NEXT_EN] = "Opens",
    [UI_STR_DEMO_ANN_NORMAL] = "【表示確認】地下2階 サウンドスタジオの予約方法が"
                               "12月から変わります。",
    [UI_STR_DEMO_ANN_IMPORTANT] = "【表示確認】12月7日(月)は館内整理日のため休館します。"
                                  "返却は地下1階の返却ポストへ。",
    [UI_STR_HOURS_TODAY] = "きょうの開館時間",
    [UI_STR_HOURS_TODAY_EN] = "Open today",
    [UI_STR_HOURS] = "開館時間",
    [UI_STR_HOURS_EN] = "Opening hours",
    [UI_STR_HOME_NOW] = "きょうのイベント",
    [UI_STR_HOME_WEEK] = "今週のイベント",
    [UI_STR_ISSUED] = "発表",
    [UI_STR_ISSUED_EN] = "Issued",
    [UI_STR_ANN_EMERGENCY_EN] = "Emergency",
    [UI_STR_SHOWN_UNTIL] = "まで掲示",
    [UI_STR_OFFSITE] = "館外",
    [UI_STR_OFFSITE_HINT] = "館外の会場です。歩いて行く道順は窓口でご案内します。",
    [UI_STR_DEMO_ANN_EMERGENCY] = "【表示確認】火災報知器が作動しました。係員の指示に"
                                  "従い、落ち着いて近くの出口から外へ避難してください。",
};

const char *ui_str(enum ui_str id)
{
    if ((int)id < 0 || id >= UI_STR_COUNT_ || !ui_strings[id]) {
        return "";
    }
    return ui_strings[id];
}
