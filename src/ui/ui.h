/* ui: the screens a visitor sees and touches, drawn from the model in one pass.
 *
 * The ui is immediate-mode: ui_draw() paints the whole frame from the model and the
 * navigation state, and records where each touch target landed; a touch is matched
 * against the targets of the last frame drawn. Screens: home (tiles with counts, what is
 * coming up, announcements; a smaller tile for each civic-activity kind with entries), a list
 * per kind with filters, the detail of one listing with the QR code of its signup page, the
 * lists and details of grants, desks, rooms and groups (scr_kinds.c), the announcements, the
 * attract loop after the idle timeout, and an emergency announcement over everything. Coordinates
 * are logical screen pixels (after rotation); times are milliseconds of the app's monotonic clock
 * (app/ may scale it for tests). It does not own the model, the renderer or the event loop: app/
 * feeds it touches and time and asks it to draw. Main thread only. */
#ifndef KIOSK_UI_UI_H
#define KIOSK_UI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed_select.h"
#include "feed/kinds.h"
#include "feed/model.h"
#include "gfx/gfx.h"

struct ui;

struct ui_options {
    const char *facility_name;    /* copied */
    const char *facility_name_en; /* copied; may be NULL or "" */
    int idle_timeout_s;           /* back home and into the attract loop after this */
    int attract_interval_s;       /* seconds per listing in the attract loop */
    int stale_after_s;            /* content older than this gets a notice */
};

enum ui_touch_phase { UI_TOUCH_DOWN, UI_TOUCH_MOVE, UI_TOUCH_UP };

enum ui_screen {
    UI_SCREEN_HOME,
    UI_SCREEN_LIST,
    UI_SCREEN_DETAIL,
    UI_SCREEN_ANNOUNCEMENTS,
    UI_SCREEN_KINDS,       /* grants, desks, rooms or groups (feed/kinds.h) */
    UI_SCREEN_KIND_DETAIL, /* one of them */
};

/* Usage counting: the ui says what a visitor did, never who or in which order; app/ routes
 * it to storage the ui does not know (sys/usage.h). A session is the first touch after the
 * attract loop (or start-up) until the idle timeout sends the kiosk back. A screen, listing
 * or QR code counts when a frame first shows it; a QR code's time on screen is reported when
 * it leaves. Fields not named by `what` are NULL or 0; strings live only during the call. */
enum ui_count {
    UI_COUNT_SESSION,
    UI_COUNT_SCREEN,     /* screen */
    UI_COUNT_LISTING,    /* id, title, category (the first, or NULL): a detail opened */
    UI_COUNT_QR,         /* id, ms: a listing's QR code left the screen after ms */
    UI_COUNT_ATTRACT_QR, /* id: the attract loop showed a listing with its QR code */
    UI_COUNT_FILTER,     /* name: "day", "category:<id>", "audience:<id>", "weekday", "daypart",
                          * "recruiting", "clear" */
    UI_COUNT_LANGUAGE,   /* name: "ja", "en"…: a visitor chose a language */
    UI_COUNT_LARGE_TEXT, /* a visitor turned large text on */
};

struct ui_count_event {
    enum ui_count what;
    enum ui_screen screen;
    const char *id, *title, *category, *name;
    int64_t ms;
};

struct ui_counter_sink {
    void (*count)(void *ctx, const struct ui_count_event *e); /* main thread */
    void *ctx;
};

/* A ui drawing through `g` and reading `m` (both must outlive it). NULL on allocation
 * failure. Starts on the home screen, the idle timer counting from `now_ms`. */
struct ui *ui_create(struct gfx *g, const struct model *m, const struct ui_options *o,
                     int64_t now_ms);
void ui_free(struct ui *u);

/* Sets (or with NULL, clears) where usage counts go; copied. */
void ui_set_counter_sink(struct ui *u, const struct ui_counter_sink *sink);

/* The logical screen size; everything scales from min(w, h). */
void ui_set_size(struct ui *u, int w, int h);

/* The longest signup URL in bytes whose QR code the detail screen draws large enough to
 * scan, in landscape and in portrait (at 1080 lines; sizes scale, so the limit hardly
 * changes with the panel). A longer one shows the contact instead. Any thread. */
size_t ui_qr_max_url(void);

/* One touch of the primary finger, in logical pixels. A tap is a down and an up without
 * moving far; a move beyond a few millimetres drags the list under the finger. The first
 * touch in the attract loop only wakes the kiosk. Taps beyond a few per second are dropped
 * so a storm of taps cannot queue navigation. */
void ui_touch(struct ui *u, enum ui_touch_phase ph, int x, int y, int64_t now_ms);

/* Advances timers and animations (idle timeout, attract step, scrolling momentum) and
 * notices a changed model. Returns true when the screen must be redrawn. */
bool ui_update(struct ui *u, int64_t now_ms);

/* Milliseconds from now_ms until ui_update has work (an animation frame, the idle timeout,
 * the next attract step); -1 when only input or the model can change the screen. */
int64_t ui_next_deadline(const struct ui *u, int64_t now_ms);

/* Draws the whole frame onto the renderer's current target. */
void ui_draw(struct ui *u, int64_t now_ms);
/* Writes the touch targets of the last frame drawn to path, a row each: "x y w h action fill
 * edge out", the colours "#RRGGBB" or "-" (src/ui/controls.c). 0 or negative errno. */
int ui_write_controls(const struct ui *u, const char *path);

/* Navigation, for the screenshot mode and tests; each leaves the attract loop. */
void ui_go_home(struct ui *u, int64_t now_ms);
void ui_open_list(struct ui *u, enum feed_kind kind, enum feed_day day, const char *category,
                  const char *audience, int64_t now_ms);
/* 0, or -ENOENT when the model has no listing with that id. */
int ui_open_detail(struct ui *u, const char *id, int64_t now_ms);
void ui_open_announcements(struct ui *u, int64_t now_ms);
/* The list of grants, desks, rooms or groups (groups: of `category`, NULL any; and only
 * those recruiting members). */
void ui_open_kind(struct ui *u, enum feed_extra_kind kind, const char *category, bool recruiting,
                  int64_t now_ms);
/* 0, or -ENOENT when the feed has no entry of that kind with that id. */
int ui_open_kind_detail(struct ui *u, enum feed_extra_kind kind, const char *id, int64_t now_ms);
/* The shown list's weekday (bit 0 = Sunday; 0 any) and time-of-day filter (feed/when.h). */
void ui_set_when(struct ui *u, unsigned weekdays, enum feed_daypart part);
void ui_start_attract(struct ui *u, int64_t now_ms);
/* Outside opening hours the screen is black and nothing is drawn; a touch shows
 * 「ただいま閉館中です」 with the next opening (`next_open`, Unix seconds; <= 0 unknown) for a
 * few seconds. An emergency announcement is drawn whatever the hours. */
void ui_set_closed(struct ui *u, bool closed, int64_t next_open, int64_t now_ms);

/* The facility's hours as the screens show them: home's 「きょうの開館時間」 and the closed
 * screen's. open/close: today's interval while open, the next opening day's while closed
 * (Unix seconds; open <= 0: not known or closed all day; an interval of 24 hours or more is
 * "always open" and not shown). black: outside hours the screen stays black (a panel that
 * cannot be switched off), a touch showing the closed text; else the text is shown dimmed. */
struct ui_hours {
    int64_t open, close;
    bool black;
};
void ui_set_hours(struct ui *u, const struct ui_hours *h);
bool ui_is_closed(const struct ui *u);
/* Scrolls the current screen's list or text by whole pages (negative: up). */
void ui_scroll_pages(struct ui *u, int pages);

/* Large text: every text about 1.4 times and every screen laid out again (fewer rows, more
 * pages). A visitor turns it on with the header's 「文字を大きく」; the idle timeout and the
 * closing hour turn it off. */
void ui_set_large_text(struct ui *u, bool on);
bool ui_large_text(const struct ui *u);
/* Before the idle timeout sends a visitor's session home, 「まだ使いますか？」 asks for 20 s
 * (half the timeout when it is under 40 s); any touch keeps the session. This shows it now,
 * with the whole time to answer, for the screenshot mode and tests. */
void ui_show_idle_warning(struct ui *u, int64_t now_ms);
bool ui_idle_warning_shown(const struct ui *u);

bool ui_in_attract(const struct ui *u);
enum ui_screen ui_current_screen(const struct ui *u);
/* A short name of what is shown ("home", "list-events", "detail-ev-1", "attract",
 * "emergency", "idle-warning"), "+large" after it in large text, for logs and the replay
 * mode. Static until the next ui call. */
const char *ui_describe(struct ui *u);

/* The interface language by its tag: "ja", "ja-easy", "en", "zh-Hans" or "ko" (the
 * screenshot suffixes "easy", "zh" too). A visitor picks it with the header's language
 * button; it holds for the session and the idle return home sets "ja" again. 0, or -EINVAL
 * for an unknown tag (nothing changes). */
int ui_set_language(struct ui *u, const char *tag);
const char *ui_language(const struct ui *u);
/* Opens the language chooser over the current screen, as the header button does (for the
 * screenshot mode). */
void ui_open_language_chooser(struct ui *u);

#endif
