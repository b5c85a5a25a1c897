/* feedshift: moves a feed's dates by whole weeks so a sample feed is always current.
 *
 * The bundled sample feed (assets/sample-feed.json) is written around one anchor day, the
 * date of its generated_at. Shown months later it would list nothing but past events, so the
 * demo and the tests first run `kiosk-feedshift IN OUT [--to YYYY-MM-DD]`, which shifts every
 * date field (generated_at; start, end, deadline and each of "dates" of events and volunteer
 * listings; starts_at, ends_at of announcements; opens and deadline of grants, the slots of
 * rooms, the exceptions of desks) by the same number of WEEKS, chosen so that
 * the target day (default: today in Asia/Tokyo) falls within three days of the shifted
 * anchor. Whole weeks keep every weekday right, and with it "毎週土曜" schedules and the
 * Saturday-blue colouring.
 *
 * The shift is done on the text: the date part of each string moves by 7n days and the rest
 * (time of day, seconds, fraction, offset) is kept byte for byte, so a date-only value stays
 * date-only and "+09:00" stays "+09:00". Japan has no daylight saving time, and a fixed offset
 * makes a calendar shift of 7n days exactly 7n * 86400 seconds. A field that is not a date is
 * left as it is, with a warning: the tool also shifts test feeds whose bad items are the point.
 *
 * This is a command-line tool on the model library alone (util/: calendar arithmetic from
 * timeutil, the capped buffer, fsio's atomic write), not the kiosk's I/O or screens; its
 * messages on stderr are its user interface. The output is written atomically (temp file,
 * fsync, rename) with mode 0644. Its date grammar is its own on purpose: it shifts years
 * before 1970 and leap seconds that the kiosk's strict parser refuses, because test feeds
 * carry such values to be refused by the kiosk, not by the tool. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/fsio.h"
#include "util/timeutil.h"

#define FS_MAX_INPUT (64L * 1024 * 1024)
#define FS_TOKYO_OFFSET_MIN (9 * 60)

struct fs_stats {
    unsigned shifted;
    unsigned skipped;
};

static long fs_floor_div(long a, long b)
{
    long q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static bool fs_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Reads the "YYYY-MM-DD" at the start of s into a day number. */
static bool fs_parse_date_prefix(const char *s, long *day)
{
    int y, m, d;
    if (strlen(s) < 10 || !fs_digits(s, 4, &y) || s[4] != '-' || !fs_digits(s + 5, 2, &m) ||
        s[7] != '-' || !fs_digits(s + 8, 2, &d)) {
        return false;
    }
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > timeutil_days_in_month(y, m)) {
        return false;
    }
    *day = (long)timeutil_days_from_civil(y, m, d);
    return true;
}

/* Checks the part after the date: empty, or "THH:MM[:SS[.frac]]" then "Z" or "±HH:MM".
 * Sets *offset_min (minutes east of UTC) and *minute_of_day; 0 for a bare date. */
static bool fs_parse_time_suffix(const char *s, int *minute_of_day, int *offset_min,
                                 bool *date_only)
{
    int hh, mm, ss, oh, om;
    *minute_of_day = 0;
    *offset_min = 0;
    *date_only = (*s == '\0');
    if (*date_only) {
        return true;
    }
    if (*s != 'T' || !fs_digits(s + 1, 2, &hh) || s[3] != ':' || !fs_digits(s + 4, 2, &mm) ||
        hh > 23 || mm > 59) {
        return false;
    }
    s += 6;
    if (*s == ':') {
        if (!fs_digits(s + 1, 2, &ss) || ss > 60) {
            return false;
        }
        s += 3;
        if (*s == '.') {
            s++;
            if (*s < '0' || *s > '9') {
                return false;
            }
            while (*s >= '0' && *s <= '9') {
                s++;
            }
        }
    }
    *minute_of_day = hh * 60 + mm;
    if (s[0] == 'Z' && s[1] == '\0') {
        return true;
    }
    if ((s[0] != '+' && s[0] != '-') || !fs_digits(s + 1, 2, &oh) || s[3] != ':' ||
        !fs_digits(s + 4, 2, &om) || s[6] != '\0' || oh > 23 || om > 59) {
        return false;
    }
    *offset_min = (s[0] == '-' ? -1 : 1) * (oh * 60 + om);
    return true;
}

/* The Tokyo calendar day of an ISO 8601 date or date-time, as a day number. */
static bool fs_tokyo_day(const char *s, long *day)
{
    long d;
    int minute, offset;
    bool date_only;
    if (!fs_parse_date_prefix(s, &d) ||
        !fs_parse_time_suffix(s + 10, &minute, &offset, &date_only)) {
        return false;
    }
    if (date_only) {
        *day = d;
        return true;
    }
    long utc_min = d * 1440 + minute - offset;
    *day = fs_floor_div(utc_min + FS_TOKYO_OFFSET_MIN, 1440);
    return true;
}

static void fs_format_day(long day, char *buf, size_t len)
{
    int64_t y;
    int m, d;
    timeutil_civil_from_days(day, &y, &m, &d);
    snprintf(buf, len, "%04" PRId64 "-%02d-%02d", y, m, d);
}

/* Shifts the string value of obj[key] by `days`, if the key is present. */
static int fs_shift_field(cJSON *obj, const char *key, long days, const char *where,
                          struct fs_stats *st)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    long d;
    int minute, offset;
    bool date_only;
    char out[128];

    if (!v || cJSON_IsNull(v)) {
        return 0;
    }
    if (!cJSON_IsString(v) || !v->valuestring || !fs_parse_date_prefix(v->valuestring, &d) ||
        !fs_parse_time_suffix(v->valuestring + 10, &minute, &offset, &date_only) ||
        strlen(v->valuestring) >= sizeof(out) - 10) {
        fprintf(stderr, "kiosk-feedshift: %s.%s is not an ISO 8601 date; left unchanged\n", where,
                key);
        st->skipped++;
        return 0;
    }
    fs_format_day(d + days, out, sizeof(out));
    if (strlen(out) != 10) {
        fprintf(stderr, "kiosk-feedshift: %s.%s shifted out of range\n", where, key);
        return -1;
    }
    /* Everything after the date part is kept as written. */
    snprintf(out + 10, sizeof(out) - 10, "%s", v->valuestring + 10);
    if (!cJSON_SetValuestring(v, out)) {
        fprintf(stderr, "kiosk-feedshift: out of memory\n");
        return -1;
    }
    st->shifted++;
    return 0;
}

/* The date fields of each entry of an item's sub-array: a series' "dates", a room's
 * "slots", a desk's "exceptions" (docs/feed.md). */
struct fs_sub {
    const char *name;
    const char *keys[3];
};

static const struct fs_sub FS_SUBS[] = {
    {"dates", {"start", "end", NULL}},
    {"slots", {"start", "end", NULL}},
    {"exceptions", {"date", "until", NULL}},
};

static int fs_shift_sub(cJSON *item, const struct fs_sub *sub, long days, const char *where,
                        struct fs_stats *st)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(item, sub->name);
    cJSON *d;
    int i = 0;
    char dwhere[96];

    if (!arr || !cJSON_IsArray(arr)) {
        return 0;
    }
    cJSON_ArrayForEach(d, arr)
    {
        snprintf(dwhere, sizeof(dwhere), "%s.%s[%d]", where, sub->name, i++);
        if (!cJSON_IsObject(d)) {
            continue;
        }
        for (const char *const *k = sub->keys; *k; k++) {
            if (fs_shift_field(d, *k, days, dwhere, st) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

static int fs_shift_array(cJSON *root, const char *name, const char *const *keys, long days,
                          struct fs_stats *st)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, name);
    cJSON *item;
    int i = 0;
    char where[64];

    if (!arr || !cJSON_IsArray(arr)) {
        return 0;
    }
    cJSON_ArrayForEach(item, arr)
    {
        snprintf(where, sizeof(where), "%s[%d]", name, i++);
        if (!cJSON_IsObject(item)) {
            continue;
        }
        for (const char *const *k = keys; *k; k++) {
            if (fs_shift_field(item, *k, days, where, st) != 0) {
                return -1;
            }
        }
        for (size_t k = 0; k < sizeof FS_SUBS / sizeof FS_SUBS[0]; k++) {
            if (fs_shift_sub(item, &FS_SUBS[k], days, where, st) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* Reads IN (a file or stdin, which fsio_read_file refuses as not regular) up to
 * FS_MAX_INPUT bytes; one byte more in the buffer tells a larger input. */
static int fs_read_file(const char *path, char **out, size_t *out_len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    struct buf b;
    int rc = -1;

    buf_init(&b, (size_t)FS_MAX_INPUT + 1);
    if (!f) {
        fprintf(stderr, "kiosk-feedshift: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        size_t room = b.max - b.len < 65536 ? b.max - b.len : 65536;
        if (buf_reserve(&b, room) != 0) {
            fprintf(stderr, "kiosk-feedshift: out of memory\n");
            goto out;
        }
        size_t n = fread(b.data + b.len, 1, room, f);
        buf_commit(&b, n);
        if (b.len > (size_t)FS_MAX_INPUT) {
            fprintf(stderr, "kiosk-feedshift: %s is larger than %ld bytes\n", path, FS_MAX_INPUT);
            goto out;
        }
        if (n == 0) {
            break;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "kiosk-feedshift: cannot read %s\n", path);
        goto out;
    }
    *out = buf_take(&b, out_len);
    rc = 0;
out:
    buf_free(&b);
    if (f != stdin) {
        fclose(f);
    }
    return rc;
}

/* Writes via fsio's temp file in the same directory, so a reader (a running kiosk polling a
 * file:// URL) never sees half a document; "-" is stdout. */
static int fs_write_atomic(const char *path, const char *data, size_t len)
{
    int rc;

    if (strcmp(path, "-") == 0) {
        return fsio_write_all(STDOUT_FILENO, data, len) == 0 ? 0 : -1;
    }
    rc = fsio_write_atomic_mode(path, data, len, false, 0644);
    if (rc < 0) {
        fprintf(stderr, "kiosk-feedshift: cannot write %s: %s\n", path, strerror(-rc));
        return -1;
    }
    return 0;
}

static void fs_usage(FILE *to)
{
    fprintf(to,
            "usage: kiosk-feedshift IN OUT [--to YYYY-MM-DD]\n"
            "Shifts every date in a kiosk feed by whole weeks so that the target day (default:\n"
            "today in Asia/Tokyo) falls within three days of the feed's generated_at date.\n"
            "IN or OUT may be - for stdin or stdout.\n");
}

int main(int argc, char **argv)
{
    static const char *const item_keys[] = {"start", "end", "deadline", NULL};
    static const char *const ann_keys[] = {"starts_at", "ends_at", NULL};
    static const char *const grant_keys[] = {"opens", "deadline", NULL};
    static const char *const no_keys[] = {NULL};
    const char *in = NULL, *out = NULL, *to = NULL;
    char *data = NULL, *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    cJSON *gen;
    struct fs_stats st = {0, 0};
    long anchor, target, days;
    char from_s[16], to_s[16];
    int rc = 2;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
            to = argv[++i];
        } else if (strncmp(argv[i], "--to=", 5) == 0) {
            to = argv[i] + 5;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fs_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fs_usage(stderr);
            return 2;
        } else if (!in) {
            in = argv[i];
        } else if (!out) {
            out = argv[i];
        } else {
            fs_usage(stderr);
            return 2;
        }
    }
    if (!in || !out) {
        fs_usage(stderr);
        return 2;
    }
    if (to) {
        if (strlen(to) != 10 || !fs_parse_date_prefix(to, &target)) {
            fprintf(stderr, "kiosk-feedshift: --to wants YYYY-MM-DD, not \"%s\"\n", to);
            return 2;
        }
    } else {
        /* Asia/Tokyo is UTC+9 all year: no tz database needed. */
        target = fs_floor_div((long)time(NULL) + FS_TOKYO_OFFSET_MIN * 60L, 86400);
    }

    rc = 1;
    if (fs_read_file(in, &data, &len) != 0) {
        goto out;
    }
    /* cJSON's require_null_terminated wants the terminator inside the length. */
    root = cJSON_ParseWithLengthOpts(data, len + 1, NULL, 1);
    if (!root || !cJSON_IsObject(root)) {
        fprintf(stderr, "kiosk-feedshift: %s is not a valid JSON object\n", in);
        goto out;
    }
    gen = cJSON_GetObjectItemCaseSensitive(root, "generated_at");
    if (!cJSON_IsString(gen) || !gen->valuestring || !fs_tokyo_day(gen->valuestring, &anchor)) {
        fprintf(stderr, "kiosk-feedshift: %s has no usable generated_at to anchor on\n", in);
        goto out;
    }
    /* The nearest whole number of weeks: the target lands in [anchor-3, anchor+3]. */
    days = 7 * fs_floor_div(target - anchor + 3, 7);

    if (fs_shift_field(root, "generated_at", days, "feed", &st) != 0 ||
        fs_shift_array(root, "events", item_keys, days, &st) != 0 ||
        fs_shift_array(root, "volunteers", item_keys, days, &st) != 0 ||
        fs_shift_array(root, "announcements", ann_keys, days, &st) != 0 ||
        fs_shift_array(root, "grants", grant_keys, days, &st) != 0 ||
        fs_shift_array(root, "rooms", no_keys, days, &st) != 0 ||
        fs_shift_array(root, "desks", no_keys, days, &st) != 0) {
        goto out;
    }
    text = cJSON_Print(root);
    if (!text) {
        fprintf(stderr, "kiosk-feedshift: out of memory\n");
        goto out;
    }
    size_t tlen = strlen(text);
    /* cJSON leaves off the final newline; add it in place of the terminator. */
    text[tlen] = '\n';
    if (fs_write_atomic(out, text, tlen + 1) != 0) {
        goto out;
    }
    fs_format_day(anchor, from_s, sizeof(from_s));
    fs_format_day(anchor + days, to_s, sizeof(to_s));
    fprintf(strcmp(out, "-") == 0 ? stderr : stdout,
            "kiosk-feedshift: anchor %s -> %s (%+ld weeks), %u dates shifted, %u left\n", from_s,
            to_s, days / 7, st.shifted, st.skipped);
    rc = 0;
out:
    free(text);
    cJSON_Delete(root);
    free(data);
    return rc;
}
