/* config: the kiosk's settings, from a key = value file and the command line.
 *
 * The file format is one `key = value` per line, `#` comments, values unquoted (strings may
 * be quoted with "" to keep spaces at the ends). config/kiosk.conf documents every key and
 * its default. A bad config (unknown key, wrong type, value out of range, unreadable file)
 * fails the whole load with a message naming the key and line: the kiosk never starts on
 * half a config, and SIGHUP keeps the old one. */
#ifndef KIOSK_CONFIG_CONFIG_H
#define KIOSK_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_KEYS 8
#define CONFIG_MAX_SOURCES 16 /* feed_url and source.1 … source.15 */

/* One place listings come from. Source 0 is feed_url; source.N.* keys add the others. */
struct config_source {
    char *url;       /* https:// or file://; "" = unused slot */
    char *label;     /* named in the status and the log; "" = the URL's host or file name */
    char *category;  /* category label for CSV and iCalendar items naming none; "" = none */
    bool volunteers; /* kind = volunteers: CSV and iCalendar items are volunteer listings */
};

/* Opening hours of one weekday, in minutes after midnight; open == close means closed. */
struct config_hours {
    int open_min;
    int close_min;
};

struct config {
    /* identity and display */
    char *facility_name;    /* 武蔵野プレイス */
    char *facility_name_en; /* Musashino Place */
    char *timezone;         /* Asia/Tokyo */
    char *target;           /* e.g. musashino-place/lobby; "" = none */
    int rotation;           /* 0, 90, 180, 270 */
    int idle_timeout_s;     /* 90 */
    int attract_interval_s; /* 10: seconds per listing in the attract loop */
    int stale_after_s;      /* 86400 */
    char *font_text;        /* BIZ UDPGothic Regular */
    char *font_bold;        /* BIZ UDPGothic Bold */
    char *font_mono;        /* BIZ UDGothic Regular (digits line up) */
    char *font_fallback;    /* Noto Sans CJK JP (face 0 of the .ttc) */
    char *font_cjk_bold;    /* Noto Sans CJK Bold .ttc for Chinese and Korean bold; "": the
                             * regular face emboldened (one CJK face less in memory) */

    /* feed and sync */
    char *feed_url;                    /* https:// or file:// */
    char *announcements_url;           /* "" = announcements come with the feed only */
    char *state_dir;                   /* /var/lib/kiosk */
    int poll_interval_s;               /* 300 */
    int announcements_poll_interval_s; /* 30 */
    int backoff_cap_s;                 /* 1800 */
    int connect_timeout_s;             /* 10 */
    int total_timeout_s;               /* 60 */
    int low_speed_limit;               /* bytes/s: 100 */
    int low_speed_time_s;              /* 20 */
    size_t max_feed_bytes;             /* 8 MiB */
    size_t max_items;                  /* 5000 per kind */
    bool allow_http;                   /* http:// signup URLs and feed (never for announcements) */
    char *ca_file;                     /* extra CA bundle; "" = system */
    char *pinned_pubkey;               /* curl's "sha256//base64;sha256//backup"; "" = no pin */
    bool upgrade_http_urls;            /* http:// signup URLs of CSV and iCalendar become https */
    int ical_window_days;              /* 92: how far calendar series are expanded */
    /* source.N.url/kind/category/label; sources[0].url is unused (feed_url is source 0's) */
    struct config_source sources[CONFIG_MAX_SOURCES];
    size_t n_announcement_keys; /* Ed25519 public keys, base64 */
    char *announcement_keys[CONFIG_MAX_KEYS];

    /* admin API */
    char *admin_listen;     /* 127.0.0.1:8080; "" disables the API */
    char *admin_token_file; /* /etc/kiosk/admin-token */
    char *admin_tls_cert;
    char *admin_tls_key;
    bool admin_allow_plain_remote; /* allow plain HTTP beyond loopback */
    size_t admin_max_body;         /* 65536 */
    char *admin_hosts;             /* more Host names the API answers to; "" = only its own */
    bool metrics_public;           /* GET /metrics without the token (a closed network) */

    /* usage counts (sys/usage.h) */
    int usage_retain_fiscal_years; /* 3: fiscal years (April-March) of counts kept */
    int usage_flush_interval_s;    /* 300: most seconds of counts a power cut may lose */

    /* opening hours; index 0 = Sunday */
    struct config_hours hours[7];
    size_t n_closed_dates;
    char **closed_dates;      /* "YYYY-MM-DD" */
    char *panel_off_cmd;      /* "" = none */
    bool closed_screen_black; /* outside hours: black, not the dimmed hours (no power control) */
    char *panel_on_cmd;
    int panel_cmd_timeout_s; /* 5 */

    /* safety information (docs/safety.md) */
    char *jma_extra_url;      /* JMA's high-frequency 随時 Atom feed (warnings); "" = off */
    char *jma_eqvol_url;      /* JMA's 地震火山 Atom feed (earthquakes, tsunami); "" = off */
    char *jma_area_code;      /* 市町村等 code for warnings: 1320300 (武蔵野市) */
    char *jma_quake_area;     /* 震度 area code: 351 (東京都多摩東部) */
    char *jma_tsunami_area;   /* 津波予報区 code; "" = off (Musashino has no coast) */
    bool jma_show_advisories; /* 注意報 as normal banners: false */
    bool drill_mode;          /* show 訓練 / CAP Exercise under 【訓練】: false */
    int quake_max_age_s;      /* 21600 */
    char *cap_url;            /* a CAP 1.2 alert or Atom/RSS feed of them; "" = off */
    char *cap_area_code;      /* geocode value of the facility's area: 13203 */
    bool cap_show_unlocated;  /* show CAP alerts that name no area: false */
    bool cap_signed;          /* cap_url needs <cap_url>.sig by an announcement_key: false */
};

/* A config holding every default. NULL on allocation failure. */
struct config *config_create_default(void);

/* Loads `path` over the defaults. On error returns NULL and writes a message naming the key
 * (and line) to err. The caller frees with config_free. */
struct config *config_load(const char *path, char *err, size_t errlen);

/* Parses config text (`len` bytes, need not be NUL-terminated) over the defaults, as
 * config_load does for a file; `name` labels error messages. */
struct config *config_parse_buffer(const char *text, size_t len, const char *name, char *err,
                                   size_t errlen);

/* Applies one `key`/`value` pair as if read from a file (command-line overrides). Returns 0,
 * or -EINVAL with a message in err. */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);

void config_free(struct config *c);

/* The slots of the sources in use, in order: 0 when feed_url is set, then each N whose
 * source.N.url is set. Fills idx (room for CONFIG_MAX_SOURCES) and returns how many. */
size_t config_sources(const struct config *c, size_t idx[CONFIG_MAX_SOURCES]);

/* The URL of slot i: feed_url for 0, source.i.url otherwise. */
const char *config_source_url(const struct config *c, size_t i);

#endif
