/* strings: every word the kiosk itself says, in one table per language.
 *
 * Screens never spell out UI text: they ask ui_str(UI_STR_...), which answers in the
 * language the visitor chose (ui_str_set_lang). Keeping the words in one table per language
 * (strings_ja.c, strings_easy.c, strings_en.c, strings_zh.c, strings_ko.c) lets a reviewer
 * read a whole vocabulary at once (tone, kana for the young and the old, consistent terms)
 * and lets a test prove no entry is missing in any of them; docs/ui-strings.md lists them
 * side by side for native speakers. やさしい日本語 entries may carry readings as
 * `{漢字|かんじ}` (drawn as ruby, or as the base text where ruby is not drawn). Content from
 * the feed (titles, places, announcements) is not here; it comes from the model. */
#ifndef KIOSK_UI_STRINGS_H
#define KIOSK_UI_STRINGS_H

enum ui_str {
    UI_STR_TILE_TODAY,
    UI_STR_TILE_EVENTS,
    UI_STR_TILE_VOLUNTEERS,
    UI_STR_TILE_ANNOUNCEMENTS,
    UI_STR_TILE_TODAY_SUB,
    UI_STR_TILE_EVENTS_SUB,
    UI_STR_TILE_VOLUNTEERS_SUB,
    UI_STR_TILE_ANNOUNCEMENTS_SUB,
    UI_STR_COUNT_UNIT,
    UI_STR_COUNT_UNKNOWN,
    UI_STR_TITLE_EVENTS,
    UI_STR_TITLE_VOLUNTEERS,
    UI_STR_TITLE_ANNOUNCEMENTS,
    UI_STR_TITLE_UPCOMING,
    UI_STR_TITLE_DETAIL_EVENT,
    UI_STR_TITLE_DETAIL_VOLUNTEER,
    UI_STR_HOME_HINT,
    UI_STR_DAY_TODAY,
    UI_STR_DAY_WEEK,
    UI_STR_DAY_MONTH,
    UI_STR_DAY_ALL,
    UI_STR_FILTER_DAY,
    UI_STR_FILTER_CATEGORY,
    UI_STR_FILTER_AUDIENCE,
    UI_STR_FILTER_ANY,
    UI_STR_PICK_CATEGORY,
    UI_STR_PICK_AUDIENCE,
    UI_STR_CLOSE,
    UI_STR_PICK_MARK,
    UI_STR_BACK,
    UI_STR_HOME,
    UI_STR_PAGE_UP,
    UI_STR_PAGE_DOWN,
    UI_STR_LAST_UPDATE,
    UI_STR_LAST_UPDATE_NONE,
    UI_STR_SYNC_FAILED,
    UI_STR_STALE_NOTICE,
    UI_STR_CLOCK_UNSYNCED,
    UI_STR_EMPTY_LOADING_TITLE,
    UI_STR_EMPTY_LOADING_BODY,
    UI_STR_EMPTY_OFFLINE_TITLE,
    UI_STR_EMPTY_OFFLINE_BODY,
    UI_STR_EMPTY_FILTER_TITLE,
    UI_STR_EMPTY_FILTER_BODY,
    UI_STR_EMPTY_LIST_TITLE,
    UI_STR_EMPTY_LIST_BODY,
    UI_STR_CLEAR_FILTER,
    UI_STR_NO_ANNOUNCEMENTS,
    UI_STR_QR_CAPTION,
    UI_STR_QR_CAPTION_NARROW,
    UI_STR_QR_CAPTION_EN,
    UI_STR_NO_SIGNUP_TITLE,
    UI_STR_NO_SIGNUP_BODY,
    UI_STR_F_DATE,
    UI_STR_F_DATES,
    UI_STR_F_PLACE,
    UI_STR_F_ADDRESS,
    UI_STR_F_ORGANIZER,
    UI_STR_F_ORGANIZATION,
    UI_STR_F_SCHEDULE,
    UI_STR_F_WANTED,
    UI_STR_F_FEE,
    UI_STR_F_CAPACITY,
    UI_STR_F_DEADLINE,
    UI_STR_F_CONTACT,
    UI_STR_F_SIGNUP,
    UI_STR_F_AUDIENCE,
    UI_STR_F_CATEGORY,
    UI_STR_CAPACITY_UNIT,
    UI_STR_ALL_DAY,
    UI_STR_DEADLINE,
    UI_STR_RANGE_SEP,
    UI_STR_LIST_SEP,
    UI_STR_YEAR_SUFFIX,
    UI_STR_MONTH_SUFFIX,
    UI_STR_DAY_SUFFIX,
    UI_STR_WD_SUN,
    UI_STR_WD_MON,
    UI_STR_WD_TUE,
    UI_STR_WD_WED,
    UI_STR_WD_THU,
    UI_STR_WD_FRI,
    UI_STR_WD_SAT,
    UI_STR_ATTRACT_TOUCH,
    UI_STR_ATTRACT_FEATURED,
    UI_STR_ATTRACT_UPCOMING,
    UI_STR_ANN_EMERGENCY,
    UI_STR_ANN_IMPORTANT,
    UI_STR_ANN_NORMAL,
    UI_STR_MORE_PREFIX,
    UI_STR_TIMES_SUFFIX,
    UI_STR_TIME_CHANGED,
    UI_STR_MORE_BELOW,
    UI_STR_ITEM_GONE,
    UI_STR_UNTIL,
    UI_STR_FROM,
    UI_STR_FEATURED,
    UI_STR_CLOSED_TITLE,
    UI_STR_CLOSED_NEXT,
    UI_STR_CLOSED_TITLE_EN,
    UI_STR_CLOSED_NEXT_EN,
    UI_STR_DEMO_ANN_NORMAL,
    UI_STR_DEMO_ANN_IMPORTANT,
    UI_STR_DEMO_ANN_EMERGENCY,
    UI_STR_HOURS_TODAY, /* home: the facility's hours today */
    UI_STR_HOURS_TODAY_EN,
    UI_STR_HOURS, /* the closed screen: the hours of the next opening day */
    UI_STR_HOURS_EN,
    UI_STR_HOME_NOW, /* home's board: what runs and starts today, then this week */
    UI_STR_HOME_WEEK,
    UI_STR_ISSUED, /* the emergency screen: when it was issued */
    UI_STR_ISSUED_EN,
    UI_STR_ANN_EMERGENCY_EN,
    UI_STR_SHOWN_UNTIL, /* an announcement's end: 「12月5日まで掲示」 */
    UI_STR_OFFSITE,     /* a detail's place outside the building, and how to get there */
    UI_STR_OFFSITE_HINT,
    /* reading aids (issue 12); each entry's English gloss is beside it in strings.c */
    UI_STR_LARGE_TEXT_ON,
    UI_STR_LARGE_TEXT_ON_EN,
    UI_STR_LARGE_TEXT_OFF,
    UI_STR_LARGE_TEXT_OFF_EN,
    UI_STR_IDLE_QUESTION,
    UI_STR_IDLE_STAY,
    UI_STR_IDLE_SECONDS,
    UI_STR_ATTRACT_PAUSE,
    UI_STR_ATTRACT_PLAY,
    UI_STR_TILE_GRANTS,
    UI_STR_TILE_DESKS,
    UI_STR_TILE_ROOMS,
    UI_STR_TILE_GROUPS,
    UI_STR_TILE_GRANTS_SUB,
    UI_STR_TILE_DESKS_SUB,
    UI_STR_TILE_ROOMS_SUB,
    UI_STR_TILE_GROUPS_SUB,
    UI_STR_TITLE_GRANTS,
    UI_STR_TITLE_DESKS,
    UI_STR_TITLE_ROOMS,
    UI_STR_TITLE_GROUPS,
    UI_STR_DAYS_LEFT,
    UI_STR_DEADLINE_TODAY,
    UI_STR_DEADLINE_PASSED,
    UI_STR_OPEN_NOW,
    UI_STR_CLOSED_NOW,
    UI_STR_NEXT_OPEN,
    UI_STR_NO_OPENING,
    UI_STR_TODAY,
    UI_STR_F_AMOUNT,
    UI_STR_F_ELIGIBILITY,
    UI_STR_F_PERIOD,
    UI_STR_F_PROVIDER,
    UI_STR_F_PHONE,
    UI_STR_F_HOURS,
    UI_STR_F_EXCEPTIONS,
    UI_STR_F_BOOKING,
    UI_STR_BOOKING_REQUIRED,
    UI_STR_BOOKING_FREE,
    UI_STR_F_HELPS,
    UI_STR_CLOSED_DAY,
    UI_STR_F_EQUIPMENT,
    UI_STR_F_SLOTS,
    UI_STR_FREE_TODAY,
    UI_STR_FREE_WEEK,
    UI_STR_SLOTS_UNIT,
    UI_STR_SLOT_FREE,
    UI_STR_SLOT_BOOKED,
    UI_STR_NO_SLOTS,
    UI_STR_NO_SLOTS_DAY,
    UI_STR_RECRUITING,
    UI_STR_RECRUITING_ONLY,
    UI_STR_QR_CAPTION_PAGE,
    UI_STR_QR_CAPTION_PAGE_NARROW,
    UI_STR_QR_CAPTION_PAGE_EN,
    UI_STR_FILTER_WHEN,
    UI_STR_PICK_WHEN,
    UI_STR_PART_MORNING,
    UI_STR_PART_AFTERNOON,
    UI_STR_PART_EVENING,
    UI_STR_WHEN_WEEKDAYS,
    UI_STR_WHEN_PART,
    UI_STR_LANG_TITLE, /* the heading of the language chooser */
    UI_STR_JA_ONLY,    /* beside feed text shown in Japanese because it has no translation */
    UI_STR_CHIP_NOW,   /* the chips of a list row (ui/uifmt.h) */
    UI_STR_CHIP_DEADLINE_TODAY,
    UI_STR_CHIP_FREE,
    UI_STR_CHIP_PAID,
    UI_STR_CHIP_NO_SIGNUP,
    UI_STR_CHIP_SIGNUP,
    UI_STR_CHIP_CAPACITY,  /* before the number; UI_STR_CAPACITY_UNIT after it */
    UI_STR_UNTIL_BEFORE,   /* before an end date where the language puts "until" first */
    UI_STR_DAYS_LEFT_UNIT, /* after the number of UI_STR_DAYS_LEFT (zh 天, not the date's 日) */
    UI_STR_COUNT_          /* keep last */
};

/* The interface languages, in the chooser's order. */
enum ui_lang { UI_LANG_JA, UI_LANG_EASY, UI_LANG_EN, UI_LANG_ZH, UI_LANG_KO, UI_LANG_COUNT_ };

/* The text of `id` in the current language; never NULL (an unknown id gives ""). Static
 * storage. Main thread (the current language is the screen's). */
const char *ui_str(enum ui_str id);

/* The text of `id` in `lang`, whatever the current language (the attract loop's call to
 * touch cycles through all of them). NULL only for an entry missing from its table. */
const char *ui_str_in(enum ui_lang lang, enum ui_str id);

/* Sets the language ui_str answers in (an unknown value gives Japanese). Main thread. */
void ui_str_set_lang(enum ui_lang lang);
enum ui_lang ui_str_lang(void);

/* The BCP 47 tag of a language ("ja", "ja-easy", "en", "zh-Hans", "ko"), as the feed's text
 * objects and usage counts name it. */
const char *ui_lang_code(enum ui_lang lang);
/* The screenshot suffix ("", "easy", "en", "zh", "ko"): home.png, home-en.png… */
const char *ui_lang_suffix(enum ui_lang lang);
/* The language's name in itself (日本語, やさしい にほんご, English, 中文, 한국어). */
const char *ui_lang_own_name(enum ui_lang lang);
/* The language of a tag or suffix ("en", "zh-Hans", "zh", "easy"…), or -1. */
int ui_lang_parse(const char *s);

#endif
