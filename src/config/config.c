/* config: see config.h.
 *
 * One table describes every key: its name (the struct field's name), its type, where it
 * lives in struct config and its range. Loading, command-line overrides and the sample file
 * all follow that table, so a key cannot exist in one place and not another. Loading works
 * on a fresh copy of the defaults and hands it over only when the whole file was good. */
#include "config/config.h"

#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fsio.h"

#define CONFIG_MAX_FILE (256 * 1024)
#define CONFIG_MAX_DATES 512

enum config_type {
    CT_STRING,
    CT_INT,
    CT_SIZE,
    CT_BOOL,
    CT_HOURS, /* "09:30-22:00" or "closed" */
    CT_DATES, /* comma-separated YYYY-MM-DD */
    CT_KEYS,  /* comma-separated base64 keys */
};

struct config_key {
    const char *name;
    enum config_type type;
    size_t offset;
    long long min, max;
};

#define K_STR(f)                                                                                   \
    {                                                                                              \
#f, CT_STRING, offsetof(struct config, f), 0, 0                                            \
    }
#define K_INT(f, lo, hi)                                                                           \
    {                                                                                              \
#f, CT_INT, offsetof(struct config, f), (lo), (hi)                                         \
    }
#define K_SIZE(f, lo, hi)                                                                          \
    {                                                                                              \
#f, CT_SIZE, offsetof(struct config, f), (lo), (hi)                                        \
    }
#define K_BOOL(f)                                                                                  \
    {                                                                                              \
#f, CT_BOOL, offsetof(struct config, f), 0, 0                                              \
    }
#define K_HOURS(name, day)                                                                         \
    {                                                                                              \
        name, CT_HOURS, offsetof(struct config, hours) + (day) * sizeof(struct config_hours), 0, 0 \
    }

static const struct config_key config_keys[] = {
    K_STR(facility_name),
    K_STR(facility_name_en),
    K_STR(timezone),
    K_STR(target),
    K_INT(rotation, 0, 270),
    K_INT(idle_timeout_s, 5, 86400),
    K_INT(attract_interval_s, 2, 3600),
    K_INT(stale_after_s, 60, 365 * 86400),
    K_STR(font_text),
    K_STR(font_bold),
    K_STR(font_mono),
    K_STR(font_fallback),
    K_STR(font_cjk_bold),
    K_STR(feed_url),
    K_STR(announcements_url),
    K_STR(state_dir),
    K_INT(poll_interval_s, 10, 86400),
    K_INT(announcements_poll_interval_s, 5, 86400),
    K_INT(backoff_cap_s, 10, 86400),
    K_INT(connect_timeout_s, 1, 600),
    K_INT(total_timeout_s, 1, 3600),
    K_INT(low_speed_limit, 0, 1 << 30),
    K_INT(low_speed_time_s, 0, 3600),
    K_SIZE(max_feed_bytes, 1024, 256LL * 1024 * 1024),
    K_SIZE(max_items, 1, 1000000),
    K_BOOL(allow_http),
    K_BOOL(upgrade_http_urls),
    K_INT(ical_window_days, 1, 3660),
    K_STR(ca_file),
    K_STR(pinned_pubkey),
    {"announcement_keys", CT_KEYS, 0, 0, 0},
    K_STR(admin_listen),
    K_STR(admin_token_file),
    K_STR(admin_tls_cert),
    K_STR(admin_tls_key),
    K_BOOL(admin_allow_plain_remote),
    K_SIZE(admin_max_body, 1024, 16LL * 1024 * 1024),
    K_STR(admin_hosts),
    K_BOOL(metrics_public),
    K_INT(usage_retain_fiscal_years, 1, 20),
    K_INT(usage_flush_interval_s, 1, 3600),
    K_HOURS("hours.sun", 0),
    K_HOURS("hours.mon", 1),
    K_HOURS("hours.tue", 2),
    K_HOURS("hours.wed", 3),
    K_HOURS("hours.thu", 4),
    K_HOURS("hours.fri", 5),
    K_HOURS("hours.sat", 6),
    {"closed_dates", CT_DATES, 0, 0, 0},
    K_STR(panel_off_cmd),
    K_BOOL(closed_screen_black),
    K_STR(panel_on_cmd),
    K_INT(panel_cmd_timeout_s, 1, 600),
    K_STR(jma_extra_url),
    K_STR(jma_eqvol_url),
    K_STR(jma_area_code),
    K_STR(jma_quake_area),
    K_STR(jma_tsunami_area),
    K_BOOL(jma_show_advisories),
    K_BOOL(drill_mode),
    K_INT(quake_max_age_s, 600, 7 * 86400),
    K_STR(cap_url),
    K_STR(cap_area_code),
    K_BOOL(cap_show_unlocated),
    K_BOOL(cap_signed),
};

static void config_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void config_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static const struct config_key *config_key_find(const char *name)
{
    for (size_t i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
        if (strcmp(config_keys[i].name, name) == 0) {
            return &config_keys[i];
        }
    }
    return NULL;
}

static int config_set_string(char **slot, const char *value)
{
    char *copy = strdup(value);
    if (!copy) {
        return -ENOMEM;
    }
    free(*slot);
    *slot = copy;
    return 0;
}

static int config_parse_ll(const char *value, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end != '\0') {
        return -EINVAL;
    }
    *out = v;
    return 0;
}

static int config_parse_hhmm(const char *s, size_t len, int *out_min)
{
    int h, m;
    char buf[8];
    if (len != 5 || s[2] != ':') {
        return -EINVAL;
    }
    memcpy(buf, s, 5);
    buf[5] = '\0';
    if (sscanf(buf, "%2d:%2d", &h, &m) != 2 || h < 0 || h > 24 || m < 0 || m > 59 ||
        (h == 24 && m != 0)) {
        return -EINVAL;
    }
    *out_min = h * 60 + m;
    return 0;
}

static bool config_valid_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
        return false;
    }
    if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) {
        return false;
    }
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return false;
    }
    return true;
}

static bool config_valid_key(const char *s)
{
    size_t n = strlen(s);
    /* 32 bytes in standard base64 with padding is 44 characters. */
    if (n != 44 || s[43] != '=') {
        return false;
    }
    for (size_t i = 0; i < 43; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/')) {
            return false;
        }
    }
    return true;
}

/* Splits a comma-separated list into trimmed, non-empty items; calls `add` for each. */
static int config_each_item(const char *value,
                            int (*add)(struct config *, const char *, char *, size_t),
                            struct config *c, char *err, size_t errlen)
{
    const char *p = value;
    while (*p) {
        while (*p == ' ' || *p == ',') {
            p++;
        }
        if (!*p) {
            break;
        }
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ') {
            len--;
        }
        char item[128];
        if (len >= sizeof item) {
            config_errf(err, errlen, "item '%.20s…' is too long", p);
            return -EINVAL;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        int rc = add(c, item, err, errlen);
        if (rc < 0) {
            return rc;
        }
        p += len;
    }
    return 0;
}

static int config_add_date(struct config *c, const char *item, char *err, size_t errlen)
{
    if (!config_valid_date(item)) {
        config_errf(err, errlen, "'%s' is not a date (YYYY-MM-DD)", item);
        return -EINVAL;
    }
    if (c->n_closed_dates >= CONFIG_MAX_DATES) {
        config_errf(err, errlen, "more than %d dates", CONFIG_MAX_DATES);
        return -EINVAL;
    }
    char **grown = realloc(c->closed_dates, (c->n_closed_dates + 1) * sizeof *grown);
    if (!grown) {
        return -ENOMEM;
    }
    c->closed_dates = grown;
    c->closed_dates[c->n_closed_dates] = strdup(item);
    if (!c->closed_dates[c->n_closed_dates]) {
        return -ENOMEM;
    }
    c->n_closed_dates++;
    return 0;
}

static int config_add_key(struct config *c, const char *item, char *err, size_t errlen)
{
    if (!config_valid_key(item)) {
        config_errf(err, errlen, "'%.50s' is not a base64 Ed25519 public key (44 characters)",
                    item);
        return -EINVAL;
    }
    if (c->n_announcement_keys >= CONFIG_MAX_KEYS) {
        config_errf(err, errlen, "more than %d keys", CONFIG_MAX_KEYS);
        return -EINVAL;
    }
    c->announcement_keys[c->n_announcement_keys] = strdup(item);
    if (!c->announcement_keys[c->n_announcement_keys]) {
        return -ENOMEM;
    }
    c->n_announcement_keys++;
    return 0;
}

static void config_free_lists(struct config *c)
{
    for (size_t i = 0; i < c->n_closed_dates; i++) {
        free(c->closed_dates[i]);
    }
    free(c->closed_dates);
    c->closed_dates = NULL;
    c->n_closed_dates = 0;
    for (size_t i = 0; i < c->n_announcement_keys; i++) {
        free(c->announcement_keys[i]);
        c->announcement_keys[i] = NULL;
    }
    c->n_announcement_keys = 0;
}

static int config_apply(struct config *c, const struct config_key *k, const char *value, char *err,
                        size_t errlen)
{
    char *base = (char *)c;
    long long v;
    switch (k->type) {
    case CT_STRING:
        return config_set_string((char **)(base + k->offset), value);
    case CT_INT:
    case CT_SIZE:
        if (config_parse_ll(value, &v) < 0) {
            config_errf(err, errlen, "key '%s': '%s' is not a whole number", k->name, value);
            return -EINVAL;
        }
        if (v < k->min || v > k->max) {
            config_errf(err, errlen, "key '%s': %lld is outside %lld..%lld", k->name, v, k->min,
                        k->max);
            return -EINVAL;
        }
        if (strcmp(k->name, "rotation") == 0 && v % 90 != 0) {
            config_errf(err, errlen, "key 'rotation': must be 0, 90, 180 or 270");
            return -EINVAL;
        }
        if (k->type == CT_INT) {
            *(int *)(base + k->offset) = (int)v;
        } else {
            *(size_t *)(base + k->offset) = (size_t)v;
        }
        return 0;
    case CT_BOOL:
        if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0) {
            *(bool *)(base + k->offset) = true;
        } else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 ||
                   strcmp(value, "0") == 0) {
            *(bool *)(base + k->offset) = false;
        } else {
            config_errf(err, errlen, "key '%s': '%s' is not true or false", k->name, value);
            return -EINVAL;
        }
        return 0;
    case CT_HOURS: {
        struct config_hours *h = (struct config_hours *)(base + k->offset);
        int open_min, close_min;
        if (strcmp(value, "closed") == 0) {
            h->open_min = h->close_min = 0;
            return 0;
        }
        const char *dash = strchr(value, '-');
        if (!dash || config_parse_hhmm(value, (size_t)(dash - value), &open_min) < 0 ||
            config_parse_hhmm(dash + 1, strlen(dash + 1), &close_min) < 0 ||
            close_min <= open_min) {
            config_errf(err, errlen, "key '%s': '%s' is not HH:MM-HH:MM or closed", k->name, value);
            return -EINVAL;
        }
        h->open_min = open_min;
        h->close_min = close_min;
        return 0;
    }
    case CT_DATES:
    case CT_KEYS: {
        char sub[200] = "";
        /* A list given again replaces the earlier one, as a scalar would. */
        if (k->type == CT_DATES) {
            for (size_t i = 0; i < c->n_closed_dates; i++) {
                free(c->closed_dates[i]);
            }
            c->n_closed_dates = 0;
        } else {
            for (size_t i = 0; i < c->n_announcement_keys; i++) {
                free(c->announcement_keys[i]);
                c->announcement_keys[i] = NULL;
            }
            c->n_announcement_keys = 0;
        }
        int rc = config_each_item(value, k->type == CT_DATES ? config_add_date : config_add_key, c,
                                  sub, sizeof sub);
        if (rc < 0) {
            config_errf(err, errlen, "key '%s': %s", k->name, sub);
        }
        return rc;
    }
    }
    return -EINVAL;
}

/* source.N.url / kind / category / label, N from 1 to CONFIG_MAX_SOURCES - 1 (feed_url and
 * source.0.kind and so on describe the first). */
static int config_set_source(struct config *c, const char *key, const char *value, char *err,
                             size_t errlen)
{
    char *end;
    long n;
    struct config_source *src;
    const char *field;

    errno = 0;
    n = strtol(key + 7, &end, 10);
    if (errno || end == key + 7 || *end != '.' || n < 0 || n >= CONFIG_MAX_SOURCES) {
        config_errf(err, errlen, "key '%s': sources are source.0 to source.%d", key,
                    CONFIG_MAX_SOURCES - 1);
        return -EINVAL;
    }
    src = &c->sources[n];
    field = end + 1;
    if (strcmp(field, "url") == 0) {
        if (n == 0) {
            return config_set_string(&c->feed_url, value);
        }
        return config_set_string(&src->url, value);
    }
    if (strcmp(field, "label") == 0) {
        return config_set_string(&src->label, value);
    }
    if (strcmp(field, "category") == 0) {
        return config_set_string(&src->category, value);
    }
    if (strcmp(field, "kind") == 0) {
        if (strcmp(value, "events") != 0 && strcmp(value, "volunteers") != 0) {
            config_errf(err, errlen, "key '%s': '%s' is not events or volunteers", key, value);
            return -EINVAL;
        }
        src->volunteers = strcmp(value, "volunteers") == 0;
        return 0;
    }
    config_errf(err, errlen, "unknown key '%s' (a source has url, kind, category, label)", key);
    return -EINVAL;
}

size_t config_sources(const struct config *c, size_t idx[CONFIG_MAX_SOURCES])
{
    size_t n = 0;
    for (size_t i = 0; i < CONFIG_MAX_SOURCES; i++) {
        const char *url = config_source_url(c, i);
        if (url && url[0]) {
            idx[n++] = i;
        }
    }
    return n;
}

const char *config_source_url(const struct config *c, size_t i)
{
    if (i >= CONFIG_MAX_SOURCES) {
        return NULL;
    }
    return i == 0 ? c->feed_url : c->sources[i].url;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
    const struct config_key *k = config_key_find(key);
    if (!k && strncmp(key, "source.", 7) == 0) {
        int rc = config_set_source(c, key, value, err, errlen);
        if (rc == -ENOMEM) {
            config_errf(err, errlen, "key '%s': out of memory", key);
        }
        return rc;
    }
    if (!k) {
        config_errf(err, errlen, "unknown key '%s'", key);
        return -EINVAL;
    }
    int rc = config_apply(c, k, value, err, errlen);
    if (rc == -ENOMEM) {
        config_errf(err, errlen, "key '%s': out of memory", key);
    }
    return rc;
}

struct config *config_create_default(void)
{
    static const char *const strings[][2] = {
        {"facility_name", "武蔵野プレイス"},
        {"facility_name_en", "Musashino Place"},
        {"timezone", "Asia/Tokyo"},
        {"target", ""},
        {"font_text", "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf"},
        {"font_bold", "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Bold.ttf"},
        {"font_mono", "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf"},
        {"font_fallback", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"},
        {"font_cjk_bold", ""},
        {"feed_url", ""},
        {"announcements_url", ""},
        {"state_dir", "/var/lib/kiosk"},
        {"ca_file", ""},
        {"pinned_pubkey", ""},
        {"admin_listen", "127.0.0.1:8080"},
        {"admin_token_file", "/etc/kiosk/admin-token"},
        {"admin_tls_cert", ""},
        {"admin_tls_key", ""},
        {"admin_hosts", ""},
        {"panel_off_cmd", ""},
        {"panel_on_cmd", ""},
        {"jma_extra_url", "https://www.data.jma.go.jp/developer/xml/feed/extra.xml"},
        {"jma_eqvol_url", "https://www.data.jma.go.jp/developer/xml/feed/eqvol.xml"},
        {"jma_area_code", "1320300"},
        {"jma_quake_area", "351"},
        {"jma_tsunami_area", ""},
        {"cap_url", ""},
        {"cap_area_code", "13203"},
    };
    struct config *c = calloc(1, sizeof *c);
    if (!c) {
        return NULL;
    }
    /* The test suite runs hundreds of kiosks on configs of defaults: they must not poll JMA's
     * real servers (nor show a real warning in the middle of a screen test). */
    bool no_jma = getenv("KIOSK_TEST_NO_JMA_DEFAULTS");
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        const struct config_key *k = config_key_find(strings[i][0]);
        const char *v = strings[i][1];
        if (no_jma && strncmp(strings[i][0], "jma_", 4) == 0 && strstr(strings[i][0], "_url")) {
            v = "";
        }
        if (!k || config_set_string((char **)((char *)c + k->offset), v) < 0) {
            config_free(c);
            return NULL;
        }
    }
    c->rotation = 0;
    c->idle_timeout_s = 90;
    c->attract_interval_s = 10;
    c->stale_after_s = 86400;
    c->poll_interval_s = 300;
    c->announcements_poll_interval_s = 30;
    c->backoff_cap_s = 1800;
    c->connect_timeout_s = 10;
    c->total_timeout_s = 60;
    c->low_speed_limit = 100;
    c->low_speed_time_s = 20;
    c->max_feed_bytes = 8u * 1024u * 1024u;
    c->max_items = 5000;
    c->allow_http = false;
    c->quake_max_age_s = 21600;
    c->upgrade_http_urls = true;
    c->ical_window_days = 92;
    c->admin_allow_plain_remote = false;
    c->admin_max_body = 65536;
    c->metrics_public = false;
    c->closed_screen_black = false;
    c->usage_retain_fiscal_years = 3;
    c->usage_flush_interval_s = 300;
    c->panel_cmd_timeout_s = 5;
    for (int d = 0; d < 7; d++) {
        /* Always on unless the operator says otherwise: a kiosk must never go dark
         * because nobody set its hours. */
        c->hours[d].open_min = 0;
        c->hours[d].close_min = 24 * 60;
    }
    return c;
}

/* Trims spaces and tabs at both ends in place; returns the start. */
static char *config_trim(char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) {
        s[--n] = '\0';
    }
    return s;
}

static int config_parse_text(struct config *c, char *text, const char *path, char *err,
                             size_t errlen)
{
    unsigned line_no = 0;
    char sub[300];
    char *line = text;
    while (line && *line) {
        char *next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        line_no++;
        char *s = config_trim(line);
        line = next;
        if (*s == '\0' || *s == '#') {
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            config_errf(err, errlen, "%s:%u: expected 'key = value'", path, line_no);
            return -EINVAL;
        }
        *eq = '\0';
        char *key = config_trim(s);
        char *value = config_trim(eq + 1);
        size_t vlen = strlen(value);
        if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
            value[vlen - 1] = '\0';
            value++;
        }
        if (config_set(c, key, value, sub, sizeof sub) < 0) {
            config_errf(err, errlen, "%s:%u: %s", path, line_no, sub);
            return -EINVAL;
        }
    }
    return 0;
}

struct config *config_parse_buffer(const char *text, size_t len, const char *name, char *err,
                                   size_t errlen)
{
    struct config *c = NULL;
    char *copy = NULL;
    if (memchr(text, '\0', len)) {
        config_errf(err, errlen, "%s: not a text file", name);
        return NULL;
    }
    copy = malloc(len + 1);
    c = config_create_default();
    if (!copy || !c) {
        config_errf(err, errlen, "%s: out of memory", name);
        goto fail;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (config_parse_text(c, copy, name, err, errlen) < 0) {
        goto fail;
    }
    free(copy);
    return c;
fail:
    config_free(c);
    free(copy);
    return NULL;
}

struct config *config_load(const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = fsio_read_file(path, CONFIG_MAX_FILE, &text, &len);
    if (rc < 0) {
        config_errf(err, errlen, "%s: cannot read config: %s", path, fsio_strerror(rc));
        return NULL;
    }
    struct config *c = config_parse_buffer(text, len, path, err, errlen);
    free(text);
    return c;
}

void config_free(struct config *c)
{
    if (!c) {
        return;
    }
    for (size_t i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
        if (config_keys[i].type == CT_STRING) {
            free(*(char **)((char *)c + config_keys[i].offset));
        }
    }
    config_free_lists(c);
    for (size_t i = 0; i < CONFIG_MAX_SOURCES; i++) {
        free(c->sources[i].url);
        free(c->sources[i].label);
        free(c->sources[i].category);
    }
    free(c);
}
