/* usage: hourly counts in memory, one atomically written file per local day (usage.h).
 *
 * A day file reads:
 *   kiosk-usage 1 2026-12-03
 *   c <hour> <counter> <n>                       (tab-separated, one per non-zero counter)
 *   t <tag> <name> <n>
 *   l <opens> <qr_shown> <qr_ms> <id> <category> <title>
 *   end <rows> <fnv1a-64 of every byte before this line, hex>
 * Strings never hold a tab or a line break (they are replaced when counted). */
#include "sys/usage.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/timeutil.h"

#define USAGE_OPEN_DAYS 4
#define USAGE_FILE_MAX (8u << 20)
#define USAGE_MAX_RANGE_DAYS 3660
#define USAGE_OTHER "(other)"

struct ulisting {
    char id[USAGE_ID_MAX + 1];
    char category[USAGE_ID_MAX + 1];
    char title[USAGE_TITLE_MAX + 1];
    int64_t opens, qr_shown, qr_ms;
};

struct utag {
    enum usage_tag tag;
    char name[USAGE_ID_MAX + 1];
    int64_t count;
};

struct uday {
    int64_t day;
    int64_t hours[24][USAGE_NCOUNTERS];
    struct ulisting *listings;
    size_t nlistings, lcap;
    struct utag *tags;
    size_t ntags, tcap;
    bool dirty;
};

struct usage {
    pthread_mutex_t lock;
    char *dir;
    int retain;
    int flush_interval_s;
    struct kclock clock;
    struct uday *days[USAGE_OPEN_DAYS];
    int64_t lifetime[USAGE_NCOUNTERS];
    int64_t last_flush;
    int64_t retention_day;
};

static const char *const counter_names[USAGE_NCOUNTERS] = {
    [USAGE_SESSIONS] = "sessions",
    [USAGE_SCREEN_HOME] = "screen_home",
    [USAGE_SCREEN_LIST] = "screen_list",
    [USAGE_SCREEN_DETAIL] = "screen_detail",
    [USAGE_SCREEN_ANNOUNCEMENTS] = "screen_announcements",
    [USAGE_LISTING_OPENS] = "listing_opens",
    [USAGE_QR_SHOWN] = "qr_shown",
    [USAGE_QR_MS] = "qr_ms",
    [USAGE_ATTRACT_QR_SHOWN] = "attract_qr_shown",
    [USAGE_FILTERS_USED] = "filters_used",
};

static const char *const tag_names[USAGE_NTAGS] = {
    [USAGE_TAG_CATEGORY] = "category",
    [USAGE_TAG_FILTER] = "filter",
    [USAGE_TAG_LANGUAGE] = "language",
    [USAGE_TAG_DISPLAY] = "display",
};

const char *usage_counter_name(enum usage_counter c)
{
    return (unsigned)c < USAGE_NCOUNTERS ? counter_names[c] : "?";
}

const char *usage_tag_name(enum usage_tag t)
{
    return (unsigned)t < USAGE_NTAGS ? tag_names[t] : "?";
}

/* ---- Calendar ---- */

int usage_parse_day(const char *s, int64_t *day)
{
    int y, m, d, n = 0;

    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) {
        return -EINVAL;
    }
    if (s[4] != '-' || s[7] != '-' || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > timeutil_days_in_month(y, m)) {
        return -EINVAL;
    }
    *day = timeutil_days_from_civil(y, m, d);
    return 0;
}

void usage_fiscal_year(int fy, int64_t *first_day, int64_t *last_day)
{
    *first_day = timeutil_days_from_civil(fy, 4, 1);
    *last_day = timeutil_days_from_civil(fy + 1, 4, 1) - 1;
}

int usage_fiscal_year_of(int64_t day)
{
    int64_t y;
    int m, d;

    timeutil_civil_from_days(day, &y, &m, &d);
    return (int)(m >= 4 ? y : y - 1);
}

static void local_day_hour(int64_t t, int64_t *day, int *hour)
{
    struct time_parts p;

    timeutil_local(t, &p);
    *day = timeutil_days_from_civil(p.year, p.month, p.day);
    *hour = p.hour;
}

static void day_name(int64_t day, char *buf, size_t len)
{
    int64_t y;
    int m, d;

    timeutil_civil_from_days(day, &y, &m, &d);
    snprintf(buf, len, "%04d-%02d-%02d", (int)y, m, d);
}

static int day_path(const struct usage *u, int64_t day, char *buf, size_t len)
{
    char name[16];

    day_name(day, name, sizeof name);
    int n = snprintf(buf, len, "%s/%s.usage", u->dir, name);
    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* ---- Strings ---- */

/* Copies at most `cap` bytes of s, cut at a UTF-8 boundary, with tabs, line breaks and other
 * control bytes made spaces so a row stays one row. */
static void copy_clean(char *dst, size_t cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n > cap) {
        n = cap;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        dst[i] = ch < 0x20 || ch == 0x7F ? ' ' : (char)ch;
    }
    dst[n] = '\0';
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- Days in memory ---- */

static void uday_free(struct uday *d)
{
    if (d) {
        free(d->listings);
        free(d->tags);
        free(d);
    }
}

static struct uday *uday_new(int64_t day)
{
    struct uday *d = calloc(1, sizeof *d);

    if (d) {
        d->day = day;
    }
    return d;
}

static struct ulisting *uday_listing(struct uday *d, const char *id)
{
    char key[USAGE_ID_MAX + 1];

    copy_clean(key, USAGE_ID_MAX, id);
    for (size_t i = 0; i < d->nlistings; i++) {
        if (strcmp(d->listings[i].id, key) == 0) {
            return &d->listings[i];
        }
    }
    /* the last row a day may hold is "(other)", the sum of the ids beyond the bound */
    if (d->nlistings >= USAGE_MAX_LISTINGS - 1) {
        snprintf(key, sizeof key, "%s", USAGE_OTHER);
        for (size_t i = 0; i < d->nlistings; i++) {
            if (strcmp(d->listings[i].id, key) == 0) {
                return &d->listings[i];
            }
        }
    }
    if (d->nlistings == d->lcap) {
        size_t cap = d->lcap ? d->lcap * 2 : 16;
        struct ulisting *n = realloc(d->listings, cap * sizeof *n);
        if (!n) {
            return NULL;
        }
        d->listings = n;
        d->lcap = cap;
    }
    struct ulisting *l = &d->listings[d->nlistings++];
    memset(l, 0, sizeof *l);
    snprintf(l->id, sizeof l->id, "%s", key);
    return l;
}

static struct utag *uday_tag(struct uday *d, enum usage_tag t, const char *name)
{
    char key[USAGE_ID_MAX + 1];

    copy_clean(key, USAGE_ID_MAX, name);
    for (size_t i = 0; i < d->ntags; i++) {
        if (d->tags[i].tag == t && strcmp(d->tags[i].name, key) == 0) {
            return &d->tags[i];
        }
    }
    if (d->ntags >= USAGE_MAX_TAGS - USAGE_NTAGS) {
        /* a row of "(other)" for each tag stays possible within the bound */
        snprintf(key, sizeof key, "%s", USAGE_OTHER);
        for (size_t i = 0; i < d->ntags; i++) {
            if (d->tags[i].tag == t && strcmp(d->tags[i].name, key) == 0) {
                return &d->tags[i];
            }
        }
    }
    if (d->ntags == d->tcap) {
        size_t cap = d->tcap ? d->tcap * 2 : 16;
        struct utag *n = realloc(d->tags, cap * sizeof *n);
        if (!n) {
            return NULL;
        }
        d->tags = n;
        d->tcap = cap;
    }
    struct utag *g = &d->tags[d->ntags++];
    memset(g, 0, sizeof *g);
    g->tag = t;
    snprintf(g->name, sizeof g->name, "%s", key);
    return g;
}

/* ---- The day file ---- */

static int appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int appendf(struct buf *b, const char *fmt, ...)
{
    char line[640];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line) {
        return -EOVERFLOW;
    }
    return buf_append(b, line, (size_t)n);
}

static int uday_serialize(const struct uday *d, struct buf *b)
{
    char name[16];
    size_t rows = 0;
    int rc;

    day_name(d->day, name, sizeof name);
    rc = appendf(b, "kiosk-usage 1 %s\n", name);
    for (int h = 0; h < 24 && rc == 0; h++) {
        for (int c = 0; c < USAGE_NCOUNTERS && rc == 0; c++) {
            if (d->hours[h][c]) {
                rc = appendf(b, "c\t%d\t%s\t%" PRId64 "\n", h, counter_names[c], d->hours[h][c]);
                rows++;
            }
        }
    }
    for (size_t i = 0; i < d->ntags && rc == 0; i++) {
        const struct utag *g = &d->tags[i];
        rc = appendf(b, "t\t%s\t%s\t%" PRId64 "\n", tag_names[g->tag], g->name, g->count);
        rows++;
    }
    for (size_t i = 0; i < d->nlistings && rc == 0; i++) {
        const struct ulisting *l = &d->listings[i];
        rc = appendf(b, "l\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%s\t%s\t%s\n", l->opens,
                     l->qr_shown, l->qr_ms, l->id, l->category, l->title);
        rows++;
    }
    if (rc == 0) {
        rc = appendf(b, "end\t%zu\t%016" PRIx64 "\n", rows, fnv1a(b->data, b->len));
    }
    return rc;
}

static int find_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0) {
            return i;
        }
    }
    return -1;
}

static bool parse_count(const char *s, int64_t *out)
{
    char *end;

    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0) {
        return false;
    }
    *out = v;
    return true;
}

/* Splits a row at tabs in place; returns the number of fields (at most max). */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;

    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

static int parse_row(struct uday *d, char *line)
{
    char *f[8];
    int n = split_tabs(line, f, 8);
    int64_t a, b, c;

    if (strcmp(f[0], "c") == 0 && n == 4) {
        int k = find_name(counter_names, USAGE_NCOUNTERS, f[2]);
        int h = atoi(f[1]);
        if (!parse_count(f[3], &a) || h < 0 || h > 23) {
            return -EINVAL;
        }
        if (k >= 0) { /* a counter of a later version is skipped */
            d->hours[h][k] += a;
        }
        return 0;
    }
    if (strcmp(f[0], "t") == 0 && n == 4) {
        int k = find_name(tag_names, USAGE_NTAGS, f[1]);
        if (!parse_count(f[3], &a)) {
            return -EINVAL;
        }
        struct utag *g = k >= 0 ? uday_tag(d, (enum usage_tag)k, f[2]) : NULL;
        if (g) {
            g->count += a;
        }
        return k >= 0 && !g ? -ENOMEM : 0;
    }
    if (strcmp(f[0], "l") == 0 && n == 7) {
        if (!parse_count(f[1], &a) || !parse_count(f[2], &b) || !parse_count(f[3], &c)) {
            return -EINVAL;
        }
        struct ulisting *l = uday_listing(d, f[4]);
        if (!l) {
            return -ENOMEM;
        }
        l->opens += a;
        l->qr_shown += b;
        l->qr_ms += c;
        copy_clean(l->category, USAGE_ID_MAX, f[5]);
        copy_clean(l->title, USAGE_TITLE_MAX, f[6]);
        return 0;
    }
    return -EINVAL;
}

/* Checks the header and the closing line, then reads the rows. */
static int uday_parse(struct uday *d, char *text, size_t len)
{
    char head[40];

    day_name(d->day, head + 14, sizeof head - 14);
    memcpy(head, "kiosk-usage 1 ", 14);
    size_t hl = strlen(head);
    if (len < hl + 1 || memcmp(text, head, hl) != 0 || text[hl] != '\n' || text[len - 1] != '\n') {
        return -EINVAL;
    }
    text[len - 1] = '\0';
    char *endl = strrchr(text, '\n');
    if (!endl) {
        return -EINVAL;
    }
    size_t body = (size_t)(endl + 1 - text);
    unsigned long long rows;
    uint64_t sum;
    int used = 0;
    if (sscanf(endl + 1, "end\t%llu\t%" SCNx64 "%n", &rows, &sum, &used) != 2 ||
        endl[1 + used] != '\0' || sum != fnv1a(text, body)) {
        return -EINVAL;
    }
    *endl = '\0';
    size_t seen = 0;
    char *save = NULL;
    for (char *line = strtok_r(text + hl + 1, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        int rc = parse_row(d, line);
        if (rc != 0) {
            return rc;
        }
        seen++;
    }
    return seen == rows ? 0 : -EINVAL;
}

static int load_file(const char *path, int64_t day, struct uday **out)
{
    char *text = NULL;
    size_t len = 0;
    struct uday *d = NULL;
    int rc = fsio_read_file(path, USAGE_FILE_MAX, &text, &len);

    if (rc != 0) {
        goto out;
    }
    d = uday_new(day);
    if (!d) {
        rc = -ENOMEM;
        goto out;
    }
    rc = uday_parse(d, text, len);
    if (rc == 0) {
        *out = d;
        d = NULL;
    }
out:
    uday_free(d);
    free(text);
    return rc;
}

/* A day from its file, else from its ".prev" when the file is damaged; a day never written
 * is empty. NULL only on allocation failure. */
static struct uday *load_day(const struct usage *u, int64_t day)
{
    char path[4096], prev[4200];
    struct uday *d = NULL;

    if (day_path(u, day, path, sizeof path) != 0) {
        return uday_new(day);
    }
    int rc = load_file(path, day, &d);
    if (rc == 0 || rc == -ENOMEM) {
        return d;
    }
    if (rc != -ENOENT) {
        LOG_WARN("usage", "%s: %s; reading the previous copy", path,
                 rc == -EINVAL ? "damaged" : fsio_strerror(rc));
        snprintf(prev, sizeof prev, "%s.prev", path);
        if (load_file(prev, day, &d) == 0) {
            return d;
        }
        LOG_WARN("usage", "%s: no readable previous copy; the day starts again", path);
    }
    return uday_new(day);
}

/* ---- Retention ---- */

static void apply_retention(struct usage *u, int64_t today)
{
    int64_t cutoff, last;
    DIR *dir = opendir(u->dir);

    u->retention_day = today;
    if (!dir) {
        return;
    }
    usage_fiscal_year(usage_fiscal_year_of(today) - (u->retain - 1), &cutoff, &last);
    for (struct dirent *e = readdir(dir); e; e = readdir(dir)) {
        char date[11];
        int64_t day;
        const char *rest = e->d_name + 10;
        if (strlen(e->d_name) < 16 ||
            (strcmp(rest, ".usage") != 0 && strcmp(rest, ".usage.prev") != 0)) {
            continue;
        }
        memcpy(date, e->d_name, 10);
        date[10] = '\0';
        if (usage_parse_day(date, &day) == 0 && day < cutoff) {
            if (unlinkat(dirfd(dir), e->d_name, 0) != 0) {
                LOG_WARN("usage", "%s/%s: %s", u->dir, e->d_name, strerror(errno));
            }
        }
    }
    closedir(dir);
}

/* ---- Life cycle ---- */

struct usage *usage_create(const struct usage_options *o)
{
    struct usage *u = calloc(1, sizeof *u);
    char probe[4096];

    if (!u) {
        return NULL;
    }
    u->dir = strdup(o->dir);
    u->retain = o->retain_fiscal_years > 0 ? o->retain_fiscal_years : 3;
    u->flush_interval_s = o->flush_interval_s > 0 ? o->flush_interval_s : USAGE_FLUSH_INTERVAL_S;
    u->clock = o->clock;
    if (!u->dir || pthread_mutex_init(&u->lock, NULL) != 0) {
        free(u->dir);
        free(u);
        return NULL;
    }
    int rc = fsio_mkdirs(u->dir);
    if (rc != 0) {
        LOG_ERROR("usage", "%s: %s", u->dir, fsio_strerror(rc));
        usage_free(u);
        return NULL;
    }
    int64_t now = kclock_now(&u->clock), today;
    int hour;
    local_day_hour(now, &today, &hour);
    if (day_path(u, today, probe, sizeof probe) == 0) {
        fsio_remove_stale_temps(probe);
    }
    apply_retention(u, today);
    u->days[0] = load_day(u, today);
    u->last_flush = now;
    return u;
}

void usage_free(struct usage *u)
{
    if (!u) {
        return;
    }
    usage_flush(u, true);
    for (int i = 0; i < USAGE_OPEN_DAYS; i++) {
        uday_free(u->days[i]);
    }
    pthread_mutex_destroy(&u->lock);
    free(u->dir);
    free(u);
}

/* The open day for `day`, loading it or making room. Lock held. */
static struct uday *open_day(struct usage *u, int64_t day)
{
    int free_slot = -1, oldest_clean = -1;

    for (int i = 0; i < USAGE_OPEN_DAYS; i++) {
        if (u->days[i] && u->days[i]->day == day) {
            return u->days[i];
        }
        if (!u->days[i] && free_slot < 0) {
            free_slot = i;
        }
        if (u->days[i] && !u->days[i]->dirty &&
            (oldest_clean < 0 || u->days[i]->day < u->days[oldest_clean]->day)) {
            oldest_clean = i;
        }
    }
    int slot = free_slot >= 0 ? free_slot : oldest_clean;
    if (slot < 0) {
        /* every slot holds unsaved counts (the clock jumped about): keep them, lose this */
        return NULL;
    }
    struct uday *d = load_day(u, day);
    if (d) {
        uday_free(u->days[slot]);
        u->days[slot] = d;
    }
    return d;
}

/* The day and hour to count into now. Lock held. */
static struct uday *current(struct usage *u, int *hour)
{
    int64_t day;

    local_day_hour(kclock_now(&u->clock), &day, hour);
    return open_day(u, day);
}

void usage_count(struct usage *u, enum usage_counter c, int64_t n)
{
    int hour;

    if (!u || (unsigned)c >= USAGE_NCOUNTERS || n <= 0) {
        return;
    }
    pthread_mutex_lock(&u->lock);
    struct uday *d = current(u, &hour);
    if (d) {
        d->hours[hour][c] += n;
        d->dirty = true;
    }
    u->lifetime[c] += n;
    pthread_mutex_unlock(&u->lock);
}

void usage_count_tag(struct usage *u, enum usage_tag t, const char *name)
{
    int hour;

    if (!u || (unsigned)t >= USAGE_NTAGS || !name || !*name) {
        return;
    }
    pthread_mutex_lock(&u->lock);
    struct uday *d = current(u, &hour);
    struct utag *g = d ? uday_tag(d, t, name) : NULL;
    if (g) {
        g->count++;
        d->dirty = true;
    }
    pthread_mutex_unlock(&u->lock);
}

void usage_listing_opened(struct usage *u, const char *id, const char *title, const char *category)
{
    int hour;

    if (!u || !id || !*id) {
        return;
    }
    pthread_mutex_lock(&u->lock);
    struct uday *d = current(u, &hour);
    if (d) {
        d->hours[hour][USAGE_LISTING_OPENS]++;
        d->dirty = true;
        struct ulisting *l = uday_listing(d, id);
        if (l) {
            l->opens++;
            if (strcmp(l->id, USAGE_OTHER) != 0) {
                copy_clean(l->title, USAGE_TITLE_MAX, title);
                copy_clean(l->category, USAGE_ID_MAX, category);
            }
        }
        struct utag *g = category && *category ? uday_tag(d, USAGE_TAG_CATEGORY, category) : NULL;
        if (g) {
            g->count++;
        }
    }
    u->lifetime[USAGE_LISTING_OPENS]++;
    pthread_mutex_unlock(&u->lock);
}

void usage_listing_qr(struct usage *u, const char *id, int64_t ms)
{
    int hour;

    if (!u || !id || !*id || ms < 0) {
        return;
    }
    pthread_mutex_lock(&u->lock);
    struct uday *d = current(u, &hour);
    if (d) {
        d->hours[hour][USAGE_QR_SHOWN]++;
        d->hours[hour][USAGE_QR_MS] += ms;
        d->dirty = true;
        struct ulisting *l = uday_listing(d, id);
        if (l) {
            l->qr_shown++;
            l->qr_ms += ms;
        }
    }
    u->lifetime[USAGE_QR_SHOWN]++;
    u->lifetime[USAGE_QR_MS] += ms;
    pthread_mutex_unlock(&u->lock);
}

void usage_lifetime(struct usage *u, int64_t out[USAGE_NCOUNTERS])
{
    pthread_mutex_lock(&u->lock);
    memcpy(out, u->lifetime, sizeof u->lifetime);
    pthread_mutex_unlock(&u->lock);
}

/* ---- Flush ---- */

struct pending {
    int64_t day;
    struct buf text;
};

int usage_flush(struct usage *u, bool force)
{
    struct pending p[USAGE_OPEN_DAYS];
    size_t np = 0;
    int result = 0;
    int64_t today;
    int hour;

    if (!u) {
        return 0;
    }
    pthread_mutex_lock(&u->lock);
    int64_t now = kclock_now(&u->clock);
    /* a clock stepped back counts as time passed, or nothing would be written for hours */
    if (!force && now >= u->last_flush && now - u->last_flush < u->flush_interval_s) {
        pthread_mutex_unlock(&u->lock);
        return 0;
    }
    u->last_flush = now;
    local_day_hour(now, &today, &hour);
    for (int i = 0; i < USAGE_OPEN_DAYS; i++) {
        struct uday *d = u->days[i];
        if (!d || !d->dirty) {
            continue;
        }
        buf_init(&p[np].text, USAGE_FILE_MAX);
        p[np].day = d->day;
        if (uday_serialize(d, &p[np].text) != 0) {
            LOG_ERROR("usage", "a day's counts do not fit in a file; kept in memory");
            buf_free(&p[np].text);
            result = -EFBIG;
            continue;
        }
        d->dirty = false;
        np++;
    }
    bool new_day = u->retention_day != today;
    pthread_mutex_unlock(&u->lock);

    /* the writes run without the lock: counting goes on while the card syncs */
    for (size_t i = 0; i < np; i++) {
        char path[4096];
        int rc = day_path(u, p[i].day, path, sizeof path);
        if (rc == 0) {
            rc = fsio_write_atomic(path, p[i].text.data, p[i].text.len, true);
        }
        if (rc != 0) {
            LOG_ERROR("usage", "%s: %s; counts kept in memory", path, fsio_strerror(rc));
            pthread_mutex_lock(&u->lock);
            for (int k = 0; k < USAGE_OPEN_DAYS; k++) {
                if (u->days[k] && u->days[k]->day == p[i].day) {
                    u->days[k]->dirty = true;
                }
            }
            pthread_mutex_unlock(&u->lock);
            result = result ? result : rc;
        }
        buf_free(&p[i].text);
    }
    if (new_day) {
        pthread_mutex_lock(&u->lock);
        apply_retention(u, today);
        pthread_mutex_unlock(&u->lock);
    }
    return result;
}

/* ---- Reports ---- */

/* By id, the latest day first. */
static int cmp_listing_id(const void *a, const void *b)
{
    const struct usage_listing_total *x = a, *y = b;
    int c = strcmp(x->id, y->id);

    if (c != 0) {
        return c;
    }
    return x->last_day > y->last_day ? -1 : x->last_day < y->last_day;
}

static int cmp_listing_opens(const void *a, const void *b)
{
    const struct usage_listing_total *x = a, *y = b;

    if (x->opens != y->opens) {
        return x->opens > y->opens ? -1 : 1;
    }
    return strcmp(x->id, y->id);
}

static int cmp_tag(const void *a, const void *b)
{
    const struct usage_tag_total *x = a, *y = b;

    if (x->tag != y->tag) {
        return x->tag < y->tag ? -1 : 1;
    }
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

static int cmp_tag_name(const void *a, const void *b)
{
    const struct usage_tag_total *x = a, *y = b;

    if (x->tag != y->tag) {
        return x->tag < y->tag ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

/* Adds a day's rows to the report; listings and tags are merged afterwards. */
static int report_add(struct usage_report *r, struct usage_day_total *dt, const struct uday *d,
                      size_t *lcap, size_t *tcap)
{
    for (int h = 0; h < 24; h++) {
        for (int c = 0; c < USAGE_NCOUNTERS; c++) {
            dt->hours[h][c] = d->hours[h][c];
            dt->total[c] += d->hours[h][c];
            r->total[c] += d->hours[h][c];
        }
    }
    for (size_t i = 0; i < d->nlistings; i++) {
        if (r->nlistings == *lcap) {
            size_t cap = *lcap ? *lcap * 2 : 64;
            struct usage_listing_total *n = realloc(r->listings, cap * sizeof *n);
            if (!n) {
                return -ENOMEM;
            }
            r->listings = n;
            *lcap = cap;
        }
        struct usage_listing_total *t = &r->listings[r->nlistings++];
        const struct ulisting *l = &d->listings[i];
        memcpy(t->id, l->id, sizeof t->id);
        memcpy(t->category, l->category, sizeof t->category);
        memcpy(t->title, l->title, sizeof t->title);
        t->opens = l->opens;
        t->qr_shown = l->qr_shown;
        t->qr_ms = l->qr_ms;
        t->last_day = d->day;
    }
    for (size_t i = 0; i < d->ntags; i++) {
        if (r->ntags == *tcap) {
            size_t cap = *tcap ? *tcap * 2 : 64;
            struct usage_tag_total *n = realloc(r->tags, cap * sizeof *n);
            if (!n) {
                return -ENOMEM;
            }
            r->tags = n;
            *tcap = cap;
        }
        struct usage_tag_total *t = &r->tags[r->ntags++];
        t->tag = d->tags[i].tag;
        memcpy(t->name, d->tags[i].name, sizeof t->name);
        t->count = d->tags[i].count;
    }
    return 0;
}

/* Sums rows of one id; the title and category kept are the latest day's. */
static void merge_listings(struct usage_report *r)
{
    struct usage_listing_total *a = r->listings;
    size_t out = 0;

    if (r->nlistings == 0) {
        return;
    }
    qsort(a, r->nlistings, sizeof *a, cmp_listing_id);
    for (size_t i = 0; i < r->nlistings; i++) {
        if (out > 0 && strcmp(a[out - 1].id, a[i].id) == 0) {
            struct usage_listing_total *t = &a[out - 1];
            t->opens += a[i].opens;
            t->qr_shown += a[i].qr_shown;
            t->qr_ms += a[i].qr_ms;
        } else {
            a[out++] = a[i];
        }
    }
    r->nlistings = out;
    qsort(a, out, sizeof *a, cmp_listing_opens);
}

static void merge_tags(struct usage_report *r)
{
    size_t out = 0;

    if (r->ntags == 0) {
        return;
    }
    qsort(r->tags, r->ntags, sizeof *r->tags, cmp_tag_name);
    for (size_t i = 0; i < r->ntags; i++) {
        if (out > 0 && cmp_tag_name(&r->tags[out - 1], &r->tags[i]) == 0) {
            r->tags[out - 1].count += r->tags[i].count;
        } else {
            r->tags[out++] = r->tags[i];
        }
    }
    r->ntags = out;
    qsort(r->tags, out, sizeof *r->tags, cmp_tag);
}

int usage_query(struct usage *u, int64_t first_day, int64_t last_day, struct usage_report *out)
{
    size_t lcap = 0, tcap = 0;
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (last_day < first_day || last_day - first_day >= USAGE_MAX_RANGE_DAYS) {
        return -EINVAL;
    }
    out->ndays = (size_t)(last_day - first_day + 1);
    out->days = calloc(out->ndays, sizeof *out->days);
    if (!out->days) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < out->ndays && rc == 0; i++) {
        int64_t day = first_day + (int64_t)i, y;
        struct usage_day_total *dt = &out->days[i];
        timeutil_civil_from_days(day, &y, &dt->month, &dt->day);
        dt->year = (int)y;
        /* a day in memory holds its file's counts and what came since */
        pthread_mutex_lock(&u->lock);
        const struct uday *mem = NULL;
        for (int k = 0; k < USAGE_OPEN_DAYS; k++) {
            if (u->days[k] && u->days[k]->day == day) {
                mem = u->days[k];
            }
        }
        if (mem) {
            rc = report_add(out, dt, mem, &lcap, &tcap);
        }
        pthread_mutex_unlock(&u->lock);
        if (mem || rc != 0) {
            continue;
        }
        struct uday *d = load_day(u, day);
        if (!d) {
            rc = -ENOMEM;
            break;
        }
        rc = report_add(out, dt, d, &lcap, &tcap);
        uday_free(d);
        /* a year of 500 listings a day is 180,000 rows: fold them as they come, so memory
         * follows the listings, not the days */
        if (out->nlistings > USAGE_MAX_LISTINGS * 4) {
            merge_listings(out);
        }
        if (out->ntags > USAGE_MAX_TAGS * 4) {
            merge_tags(out);
        }
    }
    if (rc != 0) {
        usage_report_free(out);
        return rc;
    }
    merge_listings(out);
    merge_tags(out);
    return 0;
}

void usage_report_free(struct usage_report *r)
{
    if (r) {
        free(r->days);
        free(r->listings);
        free(r->tags);
        memset(r, 0, sizeof *r);
    }
}
