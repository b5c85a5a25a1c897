/* ui_internal: the state shared by ui.c, the widgets and the screens. Not for app/.
 *
 * Screens are functions of (struct ui, rect) that draw and register touch targets; the
 * navigation stack holds plain values (kind, filter, item id, scroll) and never pointers
 * into a feed, because a new snapshot may replace the feed between two frames. */
#ifndef KIOSK_UI_UI_INTERNAL_H
#define KIOSK_UI_UI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "feed/kinds.h"
#include "feed/when.h"
#include "gfx/gfx.h"
#include "ui/strings.h"
#include "ui/theme.h"
#include "ui/ui.h"

#define UI_ID_MAX 128
#define UI_MAX_HITS 160
#define UI_NAV_DEPTH 6
#define UI_ATTRACT_MAX 16
#define UI_JA_SHOWN 64

enum ui_action {
    UI_ACT_NONE,
    UI_ACT_HOME,
    UI_ACT_BACK,
    UI_ACT_OPEN_TODAY,
    UI_ACT_OPEN_EVENTS,
    UI_ACT_OPEN_VOLUNTEERS,
    UI_ACT_OPEN_ANNOUNCEMENTS,
    UI_ACT_OPEN_DETAIL, /* sarg: item id */
    UI_ACT_FILTER_DAY,  /* arg: enum feed_day */
    UI_ACT_FILTER_CAT,  /* sarg: category id, "" = any */
    UI_ACT_FILTER_AUD,  /* sarg: audience id, "" = any */
    UI_ACT_CLEAR_FILTER,
    UI_ACT_PAGE_UP,
    UI_ACT_PAGE_DOWN,
    UI_ACT_OPEN_PICKER, /* arg: 1 category, 2 audience */
    UI_ACT_CLOSE_PICKER,
    UI_ACT_LARGE_TEXT,        /* turns large text on or off */
    UI_ACT_STAY,              /* the idle warning's つづける */
    UI_ACT_ATTRACT_PAUSE,     /* stops or restarts the attract loop's turning */
    UI_ACT_OPEN_KIND,         /* arg: enum feed_extra_kind */
    UI_ACT_OPEN_KIND_DETAIL,  /* arg: enum feed_extra_kind, sarg: its id */
    UI_ACT_FILTER_RECRUITING, /* groups: only those that want members, or all again */
    UI_ACT_FILTER_WDAY,       /* arg: weekday 0 (Sunday) to 6, turned on or off */
    UI_ACT_FILTER_PART,       /* arg: enum feed_daypart */
    UI_ACT_OPEN_LANG,         /* the header's language button */
    UI_ACT_SET_LANG,          /* arg: enum ui_lang */
    UI_ACT_CLOSE_LANG,        /* a touch beside the chooser */
};

struct ui_hit {
    SDL_Rect r;
    enum ui_action act;
    int arg;
    char sarg[UI_ID_MAX];
};

struct ui_nav {
    enum ui_screen screen;
    enum feed_kind kind;
    enum feed_day day;
    char category[UI_ID_MAX]; /* "" = any */
    char audience[UI_ID_MAX];
    char id[UI_ID_MAX]; /* detail */
    float scroll;       /* list: pixels; detail and announcements: first block */
    int picker;         /* list: 0, or the open chooser (1 category, 2 audience, 3 when) */
    int extra;          /* kinds list and detail: enum feed_extra_kind */
    bool recruiting;    /* groups: only those that want members */
    unsigned weekdays;  /* volunteers: bit 0 = Sunday; 0 = any day (feed/when.h) */
    int daypart;        /* volunteers: enum feed_daypart */
};

/* Sizes in pixels for the current screen size. */
struct ui_metrics {
    float unit;
    float base_unit; /* unit without large text: for what must not grow (QR panels) */
    bool portrait;
    int pad, gap, radius;
    int header_h, footer_h, button_h, chip_h;
    int f_small, f_body, f_card_title, f_title, f_name, f_clock, f_tile_label, f_tile_num;
    int f_detail_title, f_date_big;
};

struct ui_selection {
    const struct feed *feed;
    uint64_t generation;
    int64_t minute;
    struct ui_nav key;
    const struct feed_item **items;
    size_t n, cap, total;
};

struct ui {
    struct gfx *g;
    const struct model *m;
    char *name, *name_en;
    int idle_timeout_ms, attract_interval_ms;
    int stale_after_s;
    int w, h;
    struct ui_metrics mt;

    struct ui_nav nav[UI_NAV_DEPTH];
    int depth; /* nav[depth - 1] is shown; depth >= 1 */

    bool attract;
    int64_t attract_next_ms;
    size_t attract_step;
    /* the attract loop's cards for grants, desks, rooms and groups (scr_attract.c), one per
     * kind, rebuilt whenever the loop picks its listings */
    struct feed_item attract_extra[FEED_EXTRA_COUNT];
    int64_t last_touch_ms;
    bool attract_paused; /* by its pause control, until the idle timeout passes again */

    /* reading aids, for one visitor's session: idle resets them */
    bool large_text;
    bool idle_warning; /* 「まだ使いますか？」 is up */
    int warn_drawn_s;  /* the seconds left it last showed */

    /* the primary finger */
    bool touch_down, dragging, swallow;
    int down_x, down_y, last_x, last_y;
    int64_t down_ms, last_move_ms;
    float velocity; /* px per ms, positive = content moves up */
    float scroll_at_down;

    /* momentum after a drag */
    bool fling;
    float fling_v;
    int64_t fling_ms;

    /* taps allowed: a small bucket refilled over time */
    float tap_tokens;
    int64_t tap_refill_ms;

    /* targets of the last frame */
    struct ui_hit hits[UI_MAX_HITS];
    int n_hits;
    SDL_Rect scroll_rect; /* where a drag scrolls; w == 0: nothing scrolls */
    float scroll_max;
    int page_px;        /* list: pixels per ▲▼ page; blocks: blocks per page */
    bool scroll_blocks; /* detail and announcements scroll by blocks */
    int n_blocks, blocks_shown;
    int blocks_back; /* list: listings on the previous page (▲ goes back exactly), or 0 */

    /* outside opening hours: black, no drawing; a touch shows when it opens again */
    bool closed;
    int64_t next_open; /* Unix seconds; <= 0 unknown */
    struct ui_hours hours;
    int64_t closed_msg_until_ms;
    bool drawn_emergency;

    /* the visitor's language (ui_set_language), and its chooser open over the screen */
    enum ui_lang lang;
    bool lang_open;
    const char *saved_text_lang; /* w_script_for's listing tag to restore */
    /* feed texts w_tr gave in Japanese this frame on a screen in another language: drawn
     * with Japanese shapes even without kana (a ring; the feed outlives the frame) */
    const char *ja_shown[UI_JA_SHOWN];
    unsigned n_ja_shown;

    bool dirty;
    uint64_t drawn_generation;
    int64_t drawn_minute;
    struct ui_selection sel;
    char describe[UI_ID_MAX + 32];
    char scratch[32768]; /* per-frame text built by the screens */
    size_t scratch_used;

    /* usage counting (ui.c): what the last frame showed, and the QR code on screen */
    struct ui_counter_sink sink;
    bool in_session;
    char shown_key[UI_ID_MAX + 32];
    char qr_id[UI_ID_MAX];
    int64_t qr_since_ms;
    size_t counted_attract_step; /* attract_step + 1 once counted; 0: not yet */
};

/* ui.c */
/* Milliseconds without a touch after which the idle warning comes up (reading.c). */
int64_t ui_warn_after_ms(const struct ui *u);
/* For the screens that offer them (none yet): a language chosen ("en"), large text turned on.
 * Counted only within a visitor's session. */
void ui_count_language(struct ui *u, const char *lang);
void ui_count_large_text(struct ui *u);
struct ui_nav *ui_top(struct ui *u);
void ui_hit_add(struct ui *u, SDL_Rect r, enum ui_action act, int arg, const char *sarg);
/* The current listings for a nav's filter (cached per model generation and minute). */
const struct ui_selection *ui_select(struct ui *u, const struct ui_nav *nv);
int64_t ui_now(const struct ui *u);
bool ui_has_feed(const struct ui *u);
/* A copy of the formatted text in the frame's scratch space ("" when full). */
const char *ui_scratchf(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* widgets.c */
/* The text of t in the visitor's language: the translation when the feed has it, else the
 * Japanese (*ja_only set, when not NULL, so the screen can say 「日本語のみ」); やさしい日本語
 * falls back to plain Japanese unmarked. t->en when there is no Japanese at all; NULL when
 * the field is absent. */
const char *w_tr(struct ui *u, const struct feed_text *t, bool *ja_only);
/* t in the screen's own language only (en, zh-Hans, ko or ja-easy; NULL on a Japanese
 * screen or when t lacks it), with no fallback. */
const char *w_tr_exact(const struct ui *u, const struct feed_text *t);
/* Sets the script for drawing s (Japanese for text with kana on a Chinese or Korean
 * screen) and returns the one to restore with gfx_set_script. */
enum gfx_script w_script_for(struct ui *u, const char *s);
void w_script_done(struct ui *u, enum gfx_script old);
struct gfx_text_style w_style(enum gfx_font_role role, int px, struct gfx_color c);
int w_text(struct ui *u, const char *s, SDL_Rect box, enum gfx_font_role role, int px,
           struct gfx_color c, enum gfx_align align, int max_lines);
int w_text_width(struct ui *u, const char *s, enum gfx_font_role role, int px);
/* s past its leading blanks (ASCII and ideographic spaces, which some feeds put before a
 * title and which would indent it); "" for NULL. Points into s. */
const char *w_trim(const char *s);
int w_text_height(struct ui *u, const char *s, int width, enum gfx_font_role role, int px,
                  int max_lines);
void w_text_center(struct ui *u, const char *s, SDL_Rect box, enum gfx_font_role role, int px,
                   struct gfx_color c);
void w_button(struct ui *u, SDL_Rect r, const char *label, bool primary, enum ui_action act,
              int arg);
/* A white card with the outline that makes it a control on the page (tiles, rows, panels). */
void w_card(struct ui *u, SDL_Rect r, int radius);
int w_chip(struct ui *u, int x, int y, int maxw, const char *label, struct theme_hue hue,
           bool selected, bool tappable, enum ui_action act, int arg, const char *sarg);
int w_chip_width(struct ui *u, const char *label);
int w_tag(struct ui *u, int x, int y, int maxw, const char *label, struct theme_hue hue, int px);
/* The small 「日本語のみ」 tag, in the screen's language, beside a feed text w_tr gave in
 * Japanese for want of a translation: drawn at (x, y) when `draw`; returns its width (0 when
 * wider than maxw: nothing drawn) and its height in *h (may be NULL). */
int w_ja_only(struct ui *u, int x, int y, int maxw, int px, bool draw, int *h);
void w_header(struct ui *u, SDL_Rect r);
int w_announcement_bands(struct ui *u, SDL_Rect r);
int w_stale_band(struct ui *u, SDL_Rect r);
void w_footer(struct ui *u, SDL_Rect r, bool nav_buttons);
/* The 「文字を大きく / Larger text」 toggle, right-aligned to `right` and centred in the
 * band r (the header every screen shares); returns the width it took, with its gap. */
int w_large_text_button(struct ui *u, SDL_Rect r, int right);
/* The idle warning over the frame: the question, a large つづける, the seconds left. */
void w_idle_warning(struct ui *u, int64_t now_ms);
void w_empty(struct ui *u, SDL_Rect r, const char *title, const char *body, const char *button,
             enum ui_action act);
/* An empty list on a card: "nothing matches" with 条件をはずす when filtered, else "nothing
 * yet". */
void w_empty_list(struct ui *u, SDL_Rect r, bool filtered);
/* it as it reads on its next date (feed_item_next_date at the model's clock, the first
 * date while the clock is unset): it itself unless it is a series, else *tmp filled. */
const struct feed_item *w_item_next(struct ui *u, const struct feed_item *it,
                                    struct feed_item *tmp);
/* The date of it's next date (w_item_next) with the weekday in its colour; returns the height. */
int w_date_line(struct ui *u, const struct feed_item *it, int x, int y, int maxw, int px,
                enum gfx_font_role role, struct gfx_color c);
/* A list row: time, title, place and the chips of uifmt_chips, in r (about 100 px at
 * 1080). The row is a target that opens the listing. */
void w_row(struct ui *u, SDL_Rect r, const struct feed_item *it);
/* The height a row r (as w_row draws it) lacks to give its title a second line, or 0 when
 * the title fits on one. */
int w_row_title_extra(struct ui *u, SDL_Rect r, const struct feed_item *it);
/* The least height of a row: a title line and its chips. */
int w_row_min_h(struct ui *u);
/* The height of a day heading's line. */
int w_day_heading_h(struct ui *u);
/* A day heading over the rows of that day: 「12月5日(土)」 with the weekday in its colour. */
void w_day_heading(struct ui *u, SDL_Rect r, int64_t day);
/* The same in a narrow column beside the day's first row: date over weekday. */
void w_day_gutter(struct ui *u, SDL_Rect r, int64_t day);
struct theme_hue w_item_hue(struct ui *u, const struct feed_item *it);
struct theme_hue w_category_hue(struct ui *u, const char *id);
const char *w_category_label(struct ui *u, const char *id);
const char *w_audience_label(struct ui *u, const char *id);
bool w_rect_inside(SDL_Rect inner, SDL_Rect outer);

/* langpick.c: the language button and chooser, and which glyph shapes a language wants */
/* Draws the globe and the current language's own name at the right end of the header r;
 * returns the width it took, gap included, for the header to keep clear. */
int w_lang_button(struct ui *u, SDL_Rect r);
/* The chooser over the whole screen when it is open; draw it last. */
void w_lang_chooser(struct ui *u);
enum gfx_script ui_lang_script(enum ui_lang lang);
/* Whether the screen is in Japanese (plain or やさしい), which keeps its English subtitles. */
bool ui_lang_is_japanese(const struct ui *u);

/* screens */
void scr_home_draw(struct ui *u, SDL_Rect r);
void scr_list_draw(struct ui *u, SDL_Rect r);
void scr_detail_draw(struct ui *u, SDL_Rect r);
void scr_announcements_draw(struct ui *u, SDL_Rect r);
void scr_attract_draw(struct ui *u, int64_t now_ms);
void scr_emergency_draw(struct ui *u);
void scr_closed_draw(struct ui *u, int64_t now_ms);
/* The facility's hours as 「9:30〜22:00」 (sep between the times), or false when unknown or
 * always open. */
bool scr_hours_text(const struct ui *u, const char *sep, char *buf, size_t len);
/* The ▲▼ column beside a scrolling area, with a bar showing the position. */
/* Draws the QR code of url centred on cx; returns its side or -1 (see gfx_draw_qr). */
int scr_draw_qr_centered(struct ui *u, const char *url, int cx, int y, int max_px, int min_mod);
/* The side gfx_draw_qr will draw for data within max_px, or -1 when it cannot fit. */
int scr_qr_side(struct ui *u, const char *data, int max_px, int min_module);
/* What scanning a signup code does, in Japanese then English, and the host it opens (on as
 * many lines as it needs, never cut with …), in a column r.w wide from (r.x, r.y): the
 * caption that goes directly under (or beside) a code. Returns its height; draws only
 * when draw is true. */
int scr_qr_caption(struct ui *u, const char *host, SDL_Rect r, int px, struct gfx_color fg,
                   enum gfx_align align, bool draw);
/* The longest signup URL (bytes) whose code the detail screen draws with metrics mt. */
size_t scr_detail_qr_max_url(const struct ui_metrics *mt);
/* How wide the announcement bands run on the screen shown: a landscape detail's code
 * column takes the right side from the header down. */
int scr_detail_band_w(struct ui *u);
void scr_page_buttons(struct ui *u, SDL_Rect col, bool can_up, bool can_down, float frac_top,
                      float frac_len);
/* The ▲▼ column beside a paged list with 「3 / 9」 between the buttons (scr_list.c). */
void scr_page_counter(struct ui *u, SDL_Rect col, bool can_up, bool can_down, int page, int pages);

/* scr_detail.c: a detail's parts, shared with the civic-activity details (scr_kinds.c). A
 * block list pages by whole blocks; scr_blk_add ignores an empty text. */
struct scr_blocks;
struct scr_blocks *scr_blocks_new(void);
void scr_blocks_free(struct scr_blocks *bs);
void scr_blk_add(struct scr_blocks *bs, const char *label, const char *text,
                 enum gfx_font_role role, int px, struct gfx_color color);
void scr_blk_paragraphs(struct ui *u, struct scr_blocks *bs, const char *text, int width, int max_h,
                        int px, struct gfx_color color);
void scr_blocks_draw(struct ui *u, SDL_Rect view, SDL_Rect page_col, struct scr_blocks *bs);
/* ja, and en beneath it when the feed has both. */
const char *scr_text_both(struct ui *u, const struct feed_text *t);
/* The heading's width, beside the landscape QR panel. */
int scr_detail_head_w(struct ui *u, int w);
/* The kind tag (and a second tag, and 日本語のみ when ja_only), the title (with ruby markup, if
 * any; whole on the first page) and its English: returns the y below. */
int scr_detail_heading(struct ui *u, int x, int y, int head_w, const char *kind,
                       struct theme_hue hue, const char *tag2, bool ja_only, const char *title_ja,
                       const char *title_en);
/* The QR panel of url (or contact, or how to ask, without one) and the view for the blocks
 * below y; page: the code opens a page about the entry, not a sign-up form. Returns whether
 * a code was drawn. */
bool scr_detail_body(struct ui *u, SDL_Rect r, int y, const char *url, const char *host,
                     const char *contact, bool page, SDL_Rect *view, SDL_Rect *page_col);
/* scr_qr_caption for a code that opens a page about the entry (page) or a sign-up form. */
int scr_qr_caption_as(struct ui *u, bool page, const char *host, SDL_Rect r, int px,
                      struct gfx_color fg, enum gfx_align align, bool draw);

/* scr_kinds.c: grants, desks, rooms and groups. */
void scr_kinds_list_draw(struct ui *u, SDL_Rect r);
void scr_kinds_detail_draw(struct ui *u, SDL_Rect r);
struct theme_hue scr_kinds_hue(enum feed_extra_kind kind);
enum ui_str scr_kinds_title(enum feed_extra_kind kind);
/* The entry of that kind with that id, or NULL. */
const void *scr_kinds_find(const struct feed *f, enum feed_extra_kind kind, const char *id);
/* A card of the attract loop for entry e of a kind: its title, deadline (grants), place and
 * page as a listing's. False when it has no page to show as a code. */
bool scr_kinds_card(struct ui *u, enum feed_extra_kind kind, const void *e, struct feed_item *it);
/* The entries a list of nv's kind shows, in order (at most max in out); how many in all. */
size_t scr_kinds_select(struct ui *u, const struct ui_nav *nv, const void **out, size_t max);

/* The listings the attract loop cycles through (featured first, then upcoming). */
size_t scr_attract_items(struct ui *u, const struct feed_item **out, size_t max);

#endif
