/* ical: iCalendar (RFC 5545) read with libical into the feed v1 shape (import.h).
 *
 * libical does the grammar: line unfolding, escapes, parameters, time zones and the
 * recurrence rules. This file decides what a kiosk lists: one item per UID, its dates within
 * a window that starts at the facility day of `now`, the overrides (RECURRENCE-ID) applied
 * to the instance they name, and everything a visitor cannot use dropped with its UID. It
 * does not judge the texts and the URL the way the feed does; the tree goes through
 * feed_parse's validator after this.
 *
 * libical keeps some state per process: whether an error aborts (set once here to "never"
 * under pthread_once), the parse-error handling of unknown tokens (left at its default) and
 * its table of built-in zones (loaded lazily, behind libical's own lock in 3.0). icalerrno is
 * per thread when libical is built with pthreads, as Debian's is; it is cleared after each
 * use so a later caller does not read our error. */
#include "feed/import.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <libical/ical.h>

#include "feed/feed_internal.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/url.h"
#include "util/utf8.h"

#define ICAL_MAX_STEPS 100000 /* rule iterations per item before giving up */
#define ICAL_MAX_OCCS 4096    /* occurrences gathered per item before sorting */
#define ICAL_MAX_DEPTH 16     /* BEGIN: nesting; libical frees components recursively */
#define ICAL_MAX_UID_ID 100   /* a longer UID becomes a hashed id */
#define ICAL_MAX_TEXT 4096    /* bytes of a text, as the feed's default max_string */
#define ICAL_MAX_WINDOW 3660  /* days */
#define DAY 86400
/* Years read at all. libical extends a built-in zone's table of changes up to the latest year
 * asked of it and keeps it for the life of the process, so a hostile DTSTART in year 9000
 * in each of the system's zones would cost hundreds of megabytes. */
#define ICAL_YEAR_MIN 1900
#define ICAL_YEAR_MAX 2100

/* One date of an item, in Unix seconds; an all-day one runs from a facility midnight to
 * another (exclusive). */
struct occ {
    int64_t start;
    int64_t end;
    bool has_end;
    bool all_day;
    bool changed;
    bool gone; /* removed by an EXDATE or an override */
};

struct occs {
    struct occ *v;
    size_t n, cap;
    bool full;
};

/* One VEVENT and the overrides (RECURRENCE-ID) that share its UID. */
struct vev {
    icalcomponent *comp;
    const char *uid;
    bool is_override;
    bool linked;           /* an override read with its master, no item of its own */
    size_t first_override; /* index into ctx->evs, SIZE_MAX when none */
    size_t next_override;
};

#define OFFCACHE_SLOTS 64

/* The facility's UTC offset by UTC day, for writing times. */
struct offcache {
    int64_t day[OFFCACHE_SLOTS];
    int64_t off[OFFCACHE_SLOTS];
    bool ok[OFFCACHE_SLOTS];
    bool steady[OFFCACHE_SLOTS]; /* the same offset all day */
};

struct ctx {
    const struct import_opts *o;
    struct offcache offs;
    icalcomponent *root;
    struct vev *evs;
    size_t n_evs;
    int64_t ws, we; /* the window [ws, we) */
    cJSON *cats;    /* the top-level categories array */
    char **cat_ids;
    size_t n_cat_ids;
    cJSON *items;
    size_t n_items;
    char **id_slots; /* open-addressed set of item ids, for duplicate UIDs */
    size_t id_mask;
};

/* The timing of a series: what its DTSTART and DTEND or DURATION say. */
struct timing {
    struct icaltimetype st; /* DTSTART, its zone resolved */
    int64_t start;
    int64_t dur;  /* seconds, or days for all-day */
    bool has_end; /* false for a date-time without DTEND or DURATION */
};

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
    /* Debian builds libical with errors not fatal, but an abort() on a bad property must
     * not depend on a build flag. */
    icalerror_set_errors_are_fatal(0);
}

static void drop(const struct ctx *c, const char *uid, const char *reason)
{
    char *clean = NULL;

    if (!c->o->drop) {
        return;
    }
    if (uid && utf8_valid(uid, strlen(uid))) {
        clean = utf8_sanitize(uid, 200, false);
    }
    c->o->drop(c->o->drop_ctx, "event", clean && clean[0] ? clean : "?", reason);
    free(clean);
}

/* ---- text ---- */

static bool is_space_at(const char *s, size_t *w)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
        *w = 1;
        return true;
    }
    if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) {
        *w = 3; /* U+3000 IDEOGRAPHIC SPACE */
        return true;
    }
    return false;
}

/* A heap copy of s with spaces trimmed at both ends and control characters removed, or NULL
 * when s is NULL, blank or not UTF-8 (*bad set then). */
static char *clean_text(const char *s, bool keep_newlines, bool *bad)
{
    size_t w, len;
    const char *end;
    char *out, *t;

    *bad = false;
    if (!s) {
        return NULL;
    }
    len = strlen(s);
    if (!utf8_valid(s, len)) {
        *bad = true;
        return NULL;
    }
    end = s + len;
    while (s < end && is_space_at(s, &w)) {
        s += w;
    }
    out = utf8_sanitize(s, ICAL_MAX_TEXT, keep_newlines);
    if (!out) {
        return NULL;
    }
    /* trailing spaces: walk forward remembering where the last non-space ended */
    t = out;
    end = out;
    while (*t) {
        if (is_space_at(t, &w)) {
            t += w;
            continue;
        }
        t++;
        while ((*t & 0xC0) == 0x80) {
            t++;
        }
        end = t;
    }
    out[end - out] = '\0';
    if (!utf8_has_visible(out, strlen(out))) {
        /* blank or invisible: absent, as the feed's validator would judge it */
        free(out);
        return NULL;
    }
    return out;
}

static int add_text(cJSON *item, const char *field, const char *s, bool keep_newlines)
{
    bool bad;
    char *t = clean_text(s, keep_newlines, &bad);
    cJSON *obj;

    if (!t) {
        return 0;
    }
    obj = cJSON_AddObjectToObject(item, field);
    if (!obj || !cJSON_AddStringToObject(obj, "ja", t)) {
        free(t);
        return -1;
    }
    free(t);
    return 0;
}

/* ---- ids ---- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3u;
    }
    return h;
}

static void make_id(const struct ctx *c, const char *uid, const char *fallback, char *out,
                    size_t outlen)
{
    const char *prefix = c->o->id_prefix ? c->o->id_prefix : "";
    size_t n = uid ? strlen(uid) : 0;

    if (uid && n >= 1 && n <= ICAL_MAX_UID_ID && fv_id_printable(uid) &&
        strlen(prefix) + n <= FEED_MAX_ID) {
        snprintf(out, outlen, "%s%s", prefix, uid);
        return;
    }
    snprintf(out, outlen, "%sics-%016" PRIx64, prefix, fnv1a(uid ? uid : fallback));
}

/* Adds id to the set; false when it was there already. */
static bool id_add(struct ctx *c, char *id)
{
    size_t i = (size_t)fnv1a(id) & c->id_mask;
    while (c->id_slots[i]) {
        if (strcmp(c->id_slots[i], id) == 0) {
            return false;
        }
        i = (i + 1) & c->id_mask;
    }
    c->id_slots[i] = id;
    return true;
}

/* ---- time ---- */

/* The zone of a property's TZID: the calendar's VTIMEZONE, else a zone libical knows by
 * that name; NULL (floating, so the facility's zone) for a TZID nobody knows. */
static icaltimezone *tzid_zone(icalcomponent *comp, icalproperty *p)
{
    icalparameter *par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const char *tzid = par ? icalparameter_get_tzid(par) : NULL;
    icalcomponent *cal = icalcomponent_get_parent(comp);
    icaltimezone *z = NULL;

    if (!tzid) {
        return NULL;
    }
    if (cal) {
        z = icalcomponent_get_timezone(cal, tzid);
    }
    if (!z) {
        z = icaltimezone_get_builtin_timezone(tzid);
    }
    if (!z) {
        z = icaltimezone_get_builtin_timezone_from_tzid(tzid);
    }
    icalerror_clear_errno();
    return z;
}

/* A time from a property with its zone: libical resolves a TZID for DTSTART and DTEND, this
 * does it for the others too. */
static struct icaltimetype with_zone(icalcomponent *comp, icalproperty *p, struct icaltimetype t)
{
    if (!t.is_date && !t.zone && !icaltime_is_utc(t)) {
        t.zone = tzid_zone(comp, p);
    }
    return t;
}

static bool time_sane(struct icaltimetype t)
{
    return !icaltime_is_null_time(t) && t.year >= ICAL_YEAR_MIN && t.year <= ICAL_YEAR_MAX &&
           t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 && t.hour >= 0 &&
           t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 && t.second <= 60;
}

/* Unix seconds of a libical time: a date is the facility's midnight, a floating time the
 * facility's wall clock, UTC and zoned times what they say. */
static int64_t to_unix(struct icaltimetype t)
{
    if (t.is_date) {
        return timeutil_make_local(t.year, t.month, t.day, 0, 0);
    }
    if (icaltime_is_utc(t)) {
        return timeutil_days_from_civil(t.year, t.month, t.day) * DAY + t.hour * 3600 +
               t.minute * 60 + t.second;
    }
    if (!t.zone) {
        return timeutil_make_local(t.year, t.month, t.day, t.hour, t.minute) + t.second;
    }
    return (int64_t)icaltime_as_timet_with_zone(t, t.zone);
}

/* The facility midnight `days` days after the date of t (an all-day time). */
static int64_t date_plus(struct icaltimetype t, int64_t days)
{
    int64_t y;
    int m, d;
    timeutil_civil_from_days(timeutil_days_from_civil(t.year, t.month, t.day) + days, &y, &m, &d);
    return timeutil_make_local((int)y, m, d, 0, 0);
}

/* A Unix time as a libical time in the same zone and kind as `like`, to start a rule's
 * iterator near the window. */
static struct icaltimetype from_unix(int64_t x, struct icaltimetype like)
{
    struct icaltimetype t;

    if (like.zone || icaltime_is_utc(like)) {
        const icaltimezone *z = like.zone ? like.zone : icaltimezone_get_utc_timezone();
        t = icaltime_from_timet_with_zone((time_t)x, 0, (icaltimezone *)z);
    } else {
        struct time_parts p;
        timeutil_local(x, &p);
        t = icaltime_null_time();
        t.year = p.year;
        t.month = p.month;
        t.day = p.day;
        t.hour = p.hour;
        t.minute = p.minute;
        t.second = p.second;
    }
    if (like.is_date) {
        t.is_date = 1;
        t.hour = t.minute = t.second = 0;
        t.zone = NULL;
    }
    return t;
}

/* The start and end of one occurrence starting at t with the series' length. */
static struct occ occ_at(const struct timing *tm, struct icaltimetype t)
{
    struct occ o = {0};
    o.all_day = t.is_date;
    o.start = to_unix(t);
    o.has_end = tm->has_end;
    o.end = o.all_day ? date_plus(t, tm->dur) : o.start + (tm->has_end ? tm->dur : 0);
    return o;
}

/* Whether an occurrence is worth listing: it ends after the window starts (one without an
 * end: starts in it) and, for a series, starts before the window ends. */
static bool in_window(const struct ctx *c, const struct occ *o, bool series)
{
    bool current = o->has_end || o->all_day ? o->end > c->ws : o->start >= c->ws;
    return current && (!series || o->start < c->we);
}

static int occs_add(struct occs *s, struct occ o)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct occ *v;
        if (s->n >= ICAL_MAX_OCCS) {
            s->full = true;
            return 0;
        }
        v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = o;
    return 0;
}

/* Marks gone every occurrence that starts at `start` (a date: on that facility day). */
static void occs_remove(struct occs *s, int64_t start, bool by_day)
{
    for (size_t i = 0; i < s->n; i++) {
        int64_t at = by_day ? timeutil_day_start(s->v[i].start) : s->v[i].start;
        if (!s->v[i].gone && !s->v[i].changed && at == start) {
            s->v[i].gone = true;
        }
    }
}

static int occ_cmp(const void *a, const void *b)
{
    const struct occ *x = a, *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    /* a moved date sorts first so it survives the de-duplication */
    return (int)y->changed - (int)x->changed;
}

/* DTSTART, and DTEND or DURATION, of a VEVENT. Returns NULL or the reason to drop it. */
static const char *read_timing(icalcomponent *e, struct timing *tm)
{
    icalproperty *ps = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
    icalproperty *pe = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY);
    icalproperty *pd = icalcomponent_get_first_property(e, ICAL_DURATION_PROPERTY);

    memset(tm, 0, sizeof *tm);
    if (!ps) {
        return "no DTSTART";
    }
    tm->st = with_zone(e, ps, icalproperty_get_dtstart(ps));
    if (!time_sane(tm->st)) {
        return "DTSTART is not a usable date";
    }
    tm->start = to_unix(tm->st);
    if (pe) {
        struct icaltimetype et = with_zone(e, pe, icalproperty_get_dtend(pe));
        if (!time_sane(et)) {
            return "DTEND is not a usable date";
        }
        if (tm->st.is_date) {
            tm->dur = timeutil_days_from_civil(et.year, et.month, et.day) -
                      timeutil_days_from_civil(tm->st.year, tm->st.month, tm->st.day);
            if (tm->dur == 0) {
                tm->dur = 1; /* DTEND = DTSTART for a date: a day, as calendars show it */
            }
        } else {
            tm->dur = to_unix(et) - tm->start;
        }
        tm->has_end = true;
    } else if (pd) {
        struct icaldurationtype d = icalproperty_get_duration(pd);
        int64_t secs = (int64_t)icaldurationtype_as_int(d);
        tm->dur = tm->st.is_date ? secs / DAY : secs;
        if (tm->st.is_date && tm->dur == 0 && secs >= 0) {
            tm->dur = 1;
        }
        tm->has_end = true;
    } else {
        tm->dur = tm->st.is_date ? 1 : 0;
        tm->has_end = tm->st.is_date;
    }
    icalerror_clear_errno();
    if (tm->dur < 0) {
        return "end before start";
    }
    return NULL;
}

static bool by_empty(const short *by)
{
    return by[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

/* True when a rule is a plain one: a frequency, an INTERVAL, a COUNT or an UNTIL and, for a
 * weekly one, at most a BYDAY naming DTSTART's own weekday. Its instances are DTSTART's wall
 * time every n seconds, days or weeks, which step_plain() walks without libical's iterator:
 * libical 3.0 drives each step of the iterator through an ICU calendar (about 1.5 us a
 * step), and a facility's calendar of weekly classes is nearly all such rules. Any other
 * rule, and any RSCALE, goes to libical. */
static bool rule_is_plain(const struct icalrecurrencetype *r, struct icaltimetype st)
{
    if ((int)r->freq < 0 || r->freq > ICAL_WEEKLY_RECURRENCE || r->interval < 1 ||
        (r->rscale && r->rscale[0]) || (st.is_date && r->freq < ICAL_DAILY_RECURRENCE)) {
        return false;
    }
    if (!by_empty(r->by_second) || !by_empty(r->by_minute) || !by_empty(r->by_hour) ||
        !by_empty(r->by_month_day) || !by_empty(r->by_year_day) || !by_empty(r->by_week_no) ||
        !by_empty(r->by_month) || !by_empty(r->by_set_pos)) {
        return false;
    }
    if (by_empty(r->by_day)) {
        return true;
    }
    return r->freq == ICAL_WEEKLY_RECURRENCE && by_empty(r->by_day + 1) &&
           icalrecurrencetype_day_position(r->by_day[0]) == 0 &&
           (int)icalrecurrencetype_day_day_of_week(r->by_day[0]) == icaltime_day_of_week(st);
}

/* Whether instance t (a plain rule's, so in DTSTART's zone) is on or before UNTIL. */
static bool before_until(const struct icalrecurrencetype *r, struct icaltimetype t, int64_t at,
                         int64_t until)
{
    if (icaltime_is_null_time(r->until)) {
        return true;
    }
    if (r->until.is_date || t.is_date) {
        return timeutil_days_from_civil(t.year, t.month, t.day) <=
               timeutil_days_from_civil(r->until.year, r->until.month, r->until.day);
    }
    return at <= until;
}

/* The instances of a plain rule (rule_is_plain) in the window. */
static int64_t wall_seconds(struct icaltimetype t)
{
    return timeutil_days_from_civil(t.year, t.month, t.day) * DAY + t.hour * 3600 + t.minute * 60 +
           t.second;
}

static int64_t plain_step(const struct icalrecurrencetype *r)
{
    static const int64_t unit[] = {
        [ICAL_SECONDLY_RECURRENCE] = 1,     [ICAL_MINUTELY_RECURRENCE] = 60,
        [ICAL_HOURLY_RECURRENCE] = 3600,    [ICAL_DAILY_RECURRENCE] = DAY,
        [ICAL_WEEKLY_RECURRENCE] = 7 * DAY,
    };
    return unit[r->freq] * r->interval;
}

static int step_plain(const struct ctx *c, const char *uid, const struct timing *tm,
                      const struct icalrecurrencetype *r, struct occs *s, bool *future)
{
    int64_t step = plain_step(r);
    int64_t len = tm->st.is_date ? tm->dur * DAY : tm->dur;
    int64_t wall0 = wall_seconds(tm->st);
    int64_t k = 0, until = 0;
    long steps = 0;

    if (!icaltime_is_null_time(r->until) && !r->until.is_date) {
        struct icaltimetype u = r->until;
        if (!u.zone && !icaltime_is_utc(u)) {
            u.zone = tm->st.zone; /* a floating UNTIL is read in DTSTART's zone */
        }
        until = time_sane(u) ? to_unix(u) : INT64_MAX;
    }
    /* Jump to just before the window, counting in wall time as the instances are: a few
     * hours of margin cover a change of offset between here and there. */
    if (tm->start + len < c->ws - DAY) {
        struct icaltimetype near = from_unix(c->ws - len - 3 * 3600, tm->st);
        k = (wall_seconds(near) - wall0) / step - 1;
        k = k > 0 ? k : 0;
    }
    for (;; k++) {
        struct icaltimetype t = tm->st;
        int64_t y, w = wall0 + k * step;
        struct occ o;

        if ((r->count > 0 && k >= r->count) || ++steps > ICAL_MAX_STEPS) {
            break;
        }
        timeutil_civil_from_days(floor_div(w, DAY), &y, &t.month, &t.day);
        if (y > ICAL_YEAR_MAX) {
            break;
        }
        t.year = (int)y;
        if (!t.is_date) {
            w -= floor_div(w, DAY) * DAY;
            t.hour = (int)(w / 3600);
            t.minute = (int)(w / 60 % 60);
            t.second = (int)(w % 60);
        }
        o = occ_at(tm, t);
        if (!before_until(r, t, o.start, until)) {
            break;
        }
        if (o.start >= c->we) {
            *future = true;
            break;
        }
        if (in_window(c, &o, true)) {
            if (occs_add(s, o)) {
                return -1;
            }
            if (s->full) {
                break;
            }
        }
    }
    if (steps > ICAL_MAX_STEPS) {
        LOG_WARN("ical", "event %s: its RRULE was followed for %d steps only", uid, ICAL_MAX_STEPS);
    }
    return 0;
}

/* Adds the instances of one RRULE that fall in the window. *future is set when the rule
 * has an instance after the window. */
static int expand_rule(const struct ctx *c, const char *uid, const struct timing *tm,
                       icalproperty *p, struct occs *s, bool *future)
{
    struct icalrecurrencetype r = icalproperty_get_rrule(p);
    icalrecur_iterator *it;
    int64_t len = tm->st.is_date ? tm->dur * DAY : tm->dur;
    long steps = 0;
    int rc = 0;

    if (r.freq == ICAL_NO_RECURRENCE) {
        icalerror_clear_errno();
        return 0;
    }
    if (rule_is_plain(&r, tm->st)) {
        return step_plain(c, uid, tm, &r, s, future);
    }
    if (r.freq < ICAL_DAILY_RECURRENCE) {
        /* libical can spend minutes inside one step of a rule more often than daily with
         * day filters (FREQ=SECONDLY;BYDAY=3TU;BYSETPOS=1); no facility needs one */
        LOG_WARN("ical", "event %s: an RRULE more often than daily with BY parts is ignored", uid);
        icalerror_clear_errno();
        return 0;
    }
    it = icalrecur_iterator_new(r, tm->st);
    if (!it) {
        icalerror_clear_errno();
        return 0;
    }
    /* Jump close to the window (libical refuses for a rule with COUNT, which must be counted
     * from DTSTART); a day of margin covers the zone's offset. */
    if (r.count == 0 && tm->start + len < c->ws - 2 * DAY) {
        (void)icalrecur_iterator_set_start(it, from_unix(c->ws - len - DAY, tm->st));
    }
    icalerror_clear_errno();
    for (;;) {
        struct icaltimetype t;
        struct occ o;

        if (++steps > ICAL_MAX_STEPS) {
            LOG_WARN("ical", "event %s: its RRULE was followed for %d steps only", uid,
                     ICAL_MAX_STEPS);
            break;
        }
        t = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(t) || !time_sane(t)) {
            break;
        }
        t.zone = tm->st.zone;
        t.is_date = tm->st.is_date;
        o = occ_at(tm, t);
        if (o.start >= c->we) {
            *future = true;
            break;
        }
        if (in_window(c, &o, true)) {
            if (occs_add(s, o)) {
                rc = -1;
                break;
            }
            if (s->full) {
                break;
            }
        }
    }
    icalrecur_iterator_free(it);
    icalerror_clear_errno();
    return rc;
}

static int add_rdates(const struct ctx *c, icalcomponent *e, const struct timing *tm,
                      struct occs *s, bool *future)
{
    for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_RDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(e, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype dp = icalproperty_get_rdate(p);
        struct occ o;

        if (!icaltime_is_null_time(dp.time)) {
            struct icaltimetype t = with_zone(e, p, dp.time);
            if (!time_sane(t)) {
                continue;
            }
            o = occ_at(tm, t);
        } else {
            struct icaltimetype a = with_zone(e, p, dp.period.start);
            struct icaltimetype b = with_zone(e, p, dp.period.end);
            if (!time_sane(a)) {
                continue;
            }
            o = occ_at(tm, a);
            if (time_sane(b)) {
                o.end = to_unix(b);
                o.has_end = true;
            } else if (!icaldurationtype_is_null_duration(dp.period.duration)) {
                o.end = o.start + icaldurationtype_as_int(dp.period.duration);
                o.has_end = true;
            }
            if (o.end < o.start) {
                continue;
            }
        }
        if (o.start >= c->we) {
            *future = true;
        }
        if (in_window(c, &o, true) && occs_add(s, o)) {
            return -1;
        }
    }
    icalerror_clear_errno();
    return 0;
}

static void apply_exdates(icalcomponent *e, struct occs *s)
{
    for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(e, ICAL_EXDATE_PROPERTY)) {
        struct icaltimetype t = with_zone(e, p, icalproperty_get_exdate(p));
        if (time_sane(t)) {
            occs_remove(s, to_unix(t), t.is_date);
        }
    }
    icalerror_clear_errno();
}

static bool is_cancelled(icalcomponent *e)
{
    return icalcomponent_get_first_property(e, ICAL_STATUS_PROPERTY) &&
           icalcomponent_get_status(e) == ICAL_STATUS_CANCELLED;
}

/* Replaces the instances the overrides name by their own times, or removes them. */
static int apply_overrides(const struct ctx *c, size_t master, const struct timing *tm,
                           struct occs *s, bool *future)
{
    for (size_t i = c->evs[master].first_override; i != SIZE_MAX; i = c->evs[i].next_override) {
        icalcomponent *e = c->evs[i].comp;
        icalproperty *pr = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY);
        struct icaltimetype rid = with_zone(e, pr, icalproperty_get_recurrenceid(pr));
        struct timing own;
        struct occ was, now;

        if (!time_sane(rid)) {
            continue;
        }
        /* the instance it names, as the series would have had it */
        was = occ_at(tm, rid);
        occs_remove(s, was.start, false);
        if (is_cancelled(e)) {
            continue;
        }
        if (read_timing(e, &own)) {
            now = was; /* an override without a usable DTSTART keeps the instance's time */
        } else {
            /* without an end of its own it lasts as long as the series' dates, unless it
             * turns a timed date into an all-day one or back */
            bool own_end = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY) ||
                           icalcomponent_get_first_property(e, ICAL_DURATION_PROPERTY) ||
                           own.st.is_date != tm->st.is_date;
            now = occ_at(own_end ? &own : tm, own.st);
        }
        now.changed = now.start != was.start || now.end != was.end || now.all_day != was.all_day;
        if (now.start >= c->we) {
            *future = true;
        }
        if (in_window(c, &now, true) && occs_add(s, now)) {
            return -1;
        }
    }
    return 0;
}

/* Sorts, removes the gone and duplicated dates and caps the count. */
static void occs_finish(struct occs *s)
{
    size_t k = 0;

    if (s->n == 0) {
        return;
    }
    qsort(s->v, s->n, sizeof *s->v, occ_cmp);
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].gone || (k > 0 && s->v[k - 1].start == s->v[i].start)) {
            continue;
        }
        s->v[k++] = s->v[i];
    }
    s->n = k < FEED_MAX_DATES ? k : FEED_MAX_DATES;
}

/* ---- writing ---- */

/* The facility's UTC offset at x, from the system's zone rules (slow: localtime). */
static int64_t local_offset(int64_t x)
{
    struct time_parts p;
    timeutil_local(x, &p);
    return timeutil_days_from_civil(p.year, p.month, p.day) * DAY + p.hour * 3600 + p.minute * 60 +
           p.second - x;
}

/* The facility's offset at t from the cache: one look-up of the zone rules per UTC day, and
 * none of it trusted on a day whose offset changes (then false: ask timeutil). Formatting
 * every date of 2,000 series through localtime took a tenth of the reader's time. */
static bool cached_offset(struct offcache *oc, int64_t t, int64_t *off)
{
    int64_t d = floor_div(t, DAY);
    size_t i = (size_t)d & (OFFCACHE_SLOTS - 1);

    if (!oc->ok[i] || oc->day[i] != d) {
        int64_t a = local_offset(d * DAY), b = local_offset(d * DAY + DAY - 1);
        oc->day[i] = d;
        oc->ok[i] = true;
        oc->steady[i] = a == b;
        oc->off[i] = a;
    }
    *off = oc->off[i];
    return oc->steady[i];
}

/* t in the facility's zone, as timeutil_local would give it. */
static void local_parts(struct ctx *c, int64_t t, struct time_parts *p, int64_t *off)
{
    int64_t secs, y;

    if (!cached_offset(&c->offs, t, off)) {
        timeutil_local(t, p);
        *off = local_offset(t);
        return;
    }
    secs = t + *off;
    timeutil_civil_from_days(floor_div(secs, DAY), &y, &p->month, &p->day);
    p->year = (int)y;
    secs -= floor_div(secs, DAY) * DAY;
    p->hour = (int)(secs / 3600);
    p->minute = (int)(secs / 60 % 60);
    p->second = (int)(secs % 60);
}

/* Writes n as `width` digits at p (snprintf's parsing of the format was a tenth of the
 * reader's time over 26,000 dates). */
static char *digits(char *p, int n, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + n % 10);
        n /= 10;
    }
    return p + width;
}

/* "YYYY-MM-DD" of t in the facility's zone; buf holds 11 bytes or more. */
static void format_date(struct ctx *c, int64_t t, char *buf)
{
    struct time_parts p;
    int64_t off;
    char *q = buf;

    local_parts(c, t, &p, &off);
    q = digits(q, p.year, 4);
    *q++ = '-';
    q = digits(q, p.month, 2);
    *q++ = '-';
    q = digits(q, p.day, 2);
    *q = '\0';
}

/* As timeutil_format_iso8601 ("2027-01-16T10:00:00+09:00"), through the offset cache; buf
 * holds 26 bytes or more. */
static void format_time(struct ctx *c, int64_t t, char *buf)
{
    struct time_parts p;
    int64_t off;
    char *q = buf + 10;

    format_date(c, t, buf);
    local_parts(c, t, &p, &off);
    *q++ = 'T';
    q = digits(q, p.hour, 2);
    *q++ = ':';
    q = digits(q, p.minute, 2);
    *q++ = ':';
    q = digits(q, p.second, 2);
    *q++ = off < 0 ? '-' : '+';
    off = off < 0 ? -off : off;
    q = digits(q, (int)(off / 3600 % 100), 2);
    *q++ = ':';
    q = digits(q, (int)(off % 3600 / 60), 2);
    *q = '\0';
}

/* Writes "start" and "end" of one date into obj. */
static int put_times(struct ctx *c, cJSON *obj, const struct occ *o)
{
    char buf[40];

    if (o->all_day) {
        format_date(c, o->start, buf);
        if (!cJSON_AddStringToObject(obj, "start", buf)) {
            return -1;
        }
        if (o->end - o->start > DAY + DAY / 2) {
            /* DTEND is exclusive; the feed's "end" date is the last day included */
            format_date(c, o->end - 1, buf);
            if (!cJSON_AddStringToObject(obj, "end", buf)) {
                return -1;
            }
        }
        return 0;
    }
    format_time(c, o->start, buf);
    if (!cJSON_AddStringToObject(obj, "start", buf)) {
        return -1;
    }
    if (o->has_end) {
        format_time(c, o->end, buf);
        if (!cJSON_AddStringToObject(obj, "end", buf)) {
            return -1;
        }
    }
    return 0;
}

static int put_dates(struct ctx *c, cJSON *item, const struct occs *s)
{
    cJSON *arr;

    if (s->n < 2) {
        return 0;
    }
    arr = cJSON_AddArrayToObject(item, "dates");
    if (!arr) {
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        cJSON *d = cJSON_CreateObject();
        if (!d || !cJSON_AddItemToArray(arr, d)) {
            cJSON_Delete(d);
            return -1;
        }
        if (put_times(c, d, &s->v[i])) {
            return -1;
        }
        if (s->v[i].changed && !cJSON_AddTrueToObject(d, "changed")) {
            return -1;
        }
    }
    return 0;
}

/* The signup URL: https as given, http upgraded when allowed, anything else nothing. */
static int put_url(const struct ctx *c, icalcomponent *e, cJSON *item)
{
    icalproperty *p = icalcomponent_get_first_property(e, ICAL_URL_PROPERTY);
    const char *v = p ? icalproperty_get_url(p) : NULL;
    bool bad;
    char *u = clean_text(v, false, &bad);
    char *url = NULL;
    int rc = 0;

    icalerror_clear_errno();
    if (!u) {
        return 0;
    }
    if (strncasecmp(u, "https://", 8) == 0) {
        url = strdup(u);
    } else if (strncasecmp(u, "http://", 7) == 0 && c->o->upgrade_http) {
        size_t n = strlen(u) + 2;
        url = malloc(n);
        if (url) {
            snprintf(url, n, "https://%s", u + 7);
        }
    } else {
        goto out;
    }
    if (!url) {
        rc = -1;
        goto out;
    }
    if (url_check(url, false, NULL, NULL) && !cJSON_AddStringToObject(item, "signup_url", url)) {
        rc = -1;
    }
out:
    free(url);
    free(u);
    return rc;
}

/* The category id of a label: the label without spaces, at most FEED_MAX_ID bytes cut at a
 * character boundary. Empty when nothing usable is left. */
static void label_id(const char *label, char *out, size_t outlen)
{
    size_t k = 0, w;
    const char *s = label;

    while (*s) {
        size_t n = 1;
        if (is_space_at(s, &w)) {
            s += w;
            continue;
        }
        while ((s[n] & 0xC0) == 0x80) {
            n++;
        }
        if (k + n > FEED_MAX_ID || k + n >= outlen) {
            break;
        }
        memcpy(out + k, s, n);
        k += n;
        s += n;
    }
    out[k] = '\0';
    if (k && !fv_id_printable(out)) {
        out[0] = '\0';
    }
}

/* Lists a label in the document's categories (once) and on the item (once). */
static int add_category(struct ctx *c, cJSON *refs, const char *raw)
{
    bool bad;
    char *label = clean_text(raw, false, &bad);
    char id[FEED_MAX_ID + 8];
    size_t i;
    int rc = 0;
    cJSON *ref;

    if (!label) {
        return 0;
    }
    label_id(label, id, sizeof id);
    if (!id[0]) {
        goto out;
    }
    for (i = 0; i < c->n_cat_ids && strcmp(c->cat_ids[i], id) != 0; i++) {
    }
    if (i == c->n_cat_ids) {
        cJSON *l, *lab;
        if (c->n_cat_ids == FEED_MAX_LABELS) {
            goto out;
        }
        c->cat_ids[c->n_cat_ids] = strdup(id);
        if (!c->cat_ids[c->n_cat_ids]) {
            rc = -1;
            goto out;
        }
        c->n_cat_ids++;
        l = cJSON_CreateObject();
        if (!l || !cJSON_AddItemToArray(c->cats, l)) {
            cJSON_Delete(l);
            rc = -1;
            goto out;
        }
        lab = cJSON_AddObjectToObject(l, "label");
        if (!cJSON_AddStringToObject(l, "id", id) || !lab ||
            !cJSON_AddStringToObject(lab, "ja", label)) {
            rc = -1;
            goto out;
        }
    }
    if (cJSON_GetArraySize(refs) >= (int)FEED_MAX_REFS) {
        goto out;
    }
    cJSON_ArrayForEach(ref, refs)
    {
        if (strcmp(ref->valuestring, id) == 0) {
            goto out;
        }
    }
    if (!cJSON_AddItemToArray(refs, cJSON_CreateString(id))) {
        rc = -1;
    }
out:
    free(label);
    return rc;
}

static int put_categories(struct ctx *c, icalcomponent *e, cJSON *item)
{
    cJSON *refs = cJSON_CreateArray();
    int rc = 0;

    if (!refs) {
        return -1;
    }
    for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(e, ICAL_CATEGORIES_PROPERTY)) {
        /* libical splits the value at the first comma only; each part may hold more */
        const char *v = icalproperty_get_categories(p);
        char *copy = v ? strdup(v) : NULL;
        char *save = NULL;
        if (v && !copy) {
            rc = -1;
            goto out;
        }
        for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && rc == 0;
             tok = strtok_r(NULL, ",", &save)) {
            rc = add_category(c, refs, tok);
        }
        free(copy);
        if (rc) {
            goto out;
        }
    }
    if (cJSON_GetArraySize(refs) == 0 && c->o->default_category) {
        rc = add_category(c, refs, c->o->default_category);
    }
out:
    icalerror_clear_errno();
    if (rc == 0 && cJSON_GetArraySize(refs) > 0) {
        cJSON_AddItemToObject(item, "categories", refs);
        return 0;
    }
    cJSON_Delete(refs);
    return rc;
}

/* ---- one item ---- */

/* Reads one series (or a lone event) into an item. Returns 0 (added or dropped) or -1 when
 * out of memory. */
static int read_item(struct ctx *c, size_t idx)
{
    icalcomponent *e = c->evs[idx].comp;
    const char *uid = c->evs[idx].uid;
    struct timing tm;
    struct occs s = {0};
    bool future = false, series, bad;
    const char *why;
    char *title = NULL, *id = NULL;
    cJSON *item = NULL;
    int rc = 0;

    /* before the expansion, which is the costly part */
    if (c->n_items >= c->o->max_items) {
        char msg[64];
        snprintf(msg, sizeof msg, "over the limit of %zu items", c->o->max_items);
        drop(c, uid, msg);
        goto out;
    }

    if (is_cancelled(e)) {
        drop(c, uid, "cancelled");
        goto out;
    }
    why = read_timing(e, &tm);
    if (why) {
        drop(c, uid, why);
        goto out;
    }
    title = clean_text(icalcomponent_get_summary(e), false, &bad);
    icalerror_clear_errno();
    if (!title) {
        drop(c, uid, bad ? "SUMMARY is not UTF-8" : "no SUMMARY");
        goto out;
    }
    series = icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY) ||
             icalcomponent_get_first_property(e, ICAL_RDATE_PROPERTY) ||
             c->evs[idx].first_override != SIZE_MAX;
    {
        struct occ first = occ_at(&tm, tm.st);
        if (first.start >= c->we) {
            future = true;
        }
        if (in_window(c, &first, series) && occs_add(&s, first)) {
            rc = -1;
            goto out;
        }
    }
    for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY); p;
         p = icalcomponent_get_next_property(e, ICAL_RRULE_PROPERTY)) {
        if (expand_rule(c, uid ? uid : "?", &tm, p, &s, &future)) {
            rc = -1;
            goto out;
        }
    }
    if (add_rdates(c, e, &tm, &s, &future)) {
        rc = -1;
        goto out;
    }
    apply_exdates(e, &s);
    if (apply_overrides(c, idx, &tm, &s, &future)) {
        rc = -1;
        goto out;
    }
    occs_finish(&s);
    if (s.n == 0) {
        /* a past event is history; a series with no date in the window is said */
        if (series && future) {
            char msg[64];
            snprintf(msg, sizeof msg, "no date within the next %d days",
                     (int)((c->we - c->ws) / DAY));
            drop(c, uid, msg);
        }
        goto out;
    }
    id = malloc(FEED_MAX_ID + 32);
    if (!id) {
        rc = -1;
        goto out;
    }
    {
        /* an entry without a UID is named by its title and first start */
        char fallback[ICAL_MAX_TEXT + 32];
        snprintf(fallback, sizeof fallback, "%s@%" PRId64, title, tm.start);
        make_id(c, uid, fallback, id, FEED_MAX_ID + 32);
    }
    if (!id_add(c, id)) {
        drop(c, uid, "duplicate UID");
        goto out;
    }
    item = cJSON_CreateObject();
    if (!item || !cJSON_AddStringToObject(item, "id", id)) {
        free(id);
        id = NULL;
        rc = -1;
        goto out;
    }
    id = NULL; /* the id set keeps it */
    {
        cJSON *t = cJSON_AddObjectToObject(item, "title");
        if (!t || !cJSON_AddStringToObject(t, "ja", title)) {
            rc = -1;
            goto out;
        }
    }
    if (add_text(item, "place", icalcomponent_get_location(e), false) ||
        add_text(item, "description", icalcomponent_get_description(e), true) ||
        put_times(c, item, &s.v[0]) || put_dates(c, item, &s) || put_url(c, e, item) ||
        put_categories(c, e, item)) {
        rc = -1;
        goto out;
    }
    icalerror_clear_errno();
    cJSON_AddItemToArray(c->items, item);
    item = NULL;
    c->n_items++;
out:
    cJSON_Delete(item);
    free(id);
    free(title);
    free(s.v);
    return rc;
}

/* ---- the calendar ---- */

/* Whether the line at s (n bytes) names property `name` ("BEGIN", "END"), followed by the
 * ':' of its value or the ';' of a parameter, as libical reads a property name. */
static bool line_is(const char *s, size_t n, const char *name)
{
    size_t k = strlen(name);
    return n > k && strncasecmp(s, name, k) == 0 && (s[k] == ':' || s[k] == ';');
}

/* Rejects a plain deep nesting before libical parses it, with a clear reason. A nesting
 * that hides its BEGIN lines in folds gets past this; free_tree copes with that one. */
static bool nesting_ok(const char *s, size_t len)
{
    int depth = 0;
    size_t i = 0;

    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (s + i)) : len - i;
        if (line_is(s + i, n, "BEGIN")) {
            if (++depth > ICAL_MAX_DEPTH) {
                return false;
            }
        } else if (line_is(s + i, n, "END") && depth > 0) {
            depth--;
        }
        i += n + 1;
    }
    return true;
}

/* Frees a component tree from the leaves up: icalcomponent_free recurses once per level, so
 * a hostile nesting thousands deep would overflow the stack. */
static void free_tree(icalcomponent *c)
{
    while (c) {
        icalcomponent *kid = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
        icalcomponent *parent;
        if (kid) {
            c = kid;
            continue;
        }
        parent = icalcomponent_get_parent(c);
        if (parent) {
            icalcomponent_remove_component(parent, c);
        }
        icalcomponent_free(c);
        c = parent;
    }
}

static int collect(struct ctx *c, icalcomponent *cal, size_t *cap)
{
    for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        struct vev *v;
        if (c->n_evs == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            struct vev *nv = realloc(c->evs, nc * sizeof *nv);
            if (!nv) {
                return -1;
            }
            c->evs = nv;
            *cap = nc;
        }
        v = &c->evs[c->n_evs++];
        v->comp = e;
        v->uid = icalcomponent_get_uid(e);
        if (v->uid && !v->uid[0]) {
            v->uid = NULL;
        }
        v->is_override = icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY);
        v->linked = false;
        v->first_override = SIZE_MAX;
        v->next_override = SIZE_MAX;
    }
    icalerror_clear_errno();
    return 0;
}

/* Hangs each override on the master with its UID; an override without one stays alone. */
static int link_overrides(struct ctx *c)
{
    size_t cap = 16, mask;
    size_t *slots;

    while (cap < c->n_evs * 2) {
        cap *= 2;
    }
    mask = cap - 1;
    slots = malloc(cap * sizeof *slots);
    if (!slots) {
        return -1;
    }
    for (size_t i = 0; i < cap; i++) {
        slots[i] = SIZE_MAX;
    }
    for (size_t i = 0; i < c->n_evs; i++) {
        size_t h;
        if (c->evs[i].is_override || !c->evs[i].uid) {
            continue;
        }
        h = (size_t)fnv1a(c->evs[i].uid) & mask;
        while (slots[h] != SIZE_MAX && strcmp(c->evs[slots[h]].uid, c->evs[i].uid) != 0) {
            h = (h + 1) & mask;
        }
        if (slots[h] == SIZE_MAX) {
            slots[h] = i; /* a second master with the UID is dropped later as a duplicate */
        }
    }
    for (size_t i = c->n_evs; i-- > 0;) {
        size_t h;
        struct vev *v = &c->evs[i];
        if (!v->is_override || !v->uid) {
            continue;
        }
        h = (size_t)fnv1a(v->uid) & mask;
        while (slots[h] != SIZE_MAX && strcmp(c->evs[slots[h]].uid, v->uid) != 0) {
            h = (h + 1) & mask;
        }
        if (slots[h] != SIZE_MAX) {
            struct vev *m = &c->evs[slots[h]];
            v->next_override = m->first_override;
            m->first_override = i;
            v->linked = true;
        }
    }
    free(slots);
    return 0;
}

static void ctx_free(struct ctx *c)
{
    if (c->id_slots) {
        for (size_t i = 0; i <= c->id_mask; i++) {
            free(c->id_slots[i]);
        }
    }
    free(c->id_slots);
    for (size_t i = 0; i < c->n_cat_ids; i++) {
        free(c->cat_ids[i]);
    }
    free(c->cat_ids);
    free(c->evs);
    free_tree(c->root);
}

static cJSON *new_doc(const struct ctx *c, cJSON **cats, cJSON **items)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *ev, *vol;

    if (!doc || !cJSON_AddNumberToObject(doc, "version", 1)) {
        goto fail;
    }
    *cats = cJSON_AddArrayToObject(doc, "categories");
    ev = cJSON_AddArrayToObject(doc, "events");
    vol = cJSON_AddArrayToObject(doc, "volunteers");
    if (!*cats || !ev || !vol) {
        goto fail;
    }
    *items = c->o->kind == FEED_KIND_VOLUNTEER ? vol : ev;
    return doc;
fail:
    cJSON_Delete(doc);
    return NULL;
}

struct cJSON *import_ical(const char *data, size_t len, const struct import_opts *o, char *err,
                          size_t errlen)
{
    struct ctx c = {0};
    struct import_opts def;
    char *text = NULL;
    cJSON *doc = NULL, *result = NULL;
    size_t cap = 0;
    int days;

    if (!o) {
        import_opts_default(&def);
        o = &def;
    }
    c.o = o;
    err[0] = '\0';
    (void)pthread_once(&lib_once, lib_init);
    if (!data || import_detect(data, len) != IMPORT_FORMAT_ICAL) {
        snprintf(err, errlen, "not an iCalendar file: no BEGIN:VCALENDAR");
        goto out;
    }
    if (memchr(data, '\0', len)) {
        snprintf(err, errlen, "not an iCalendar file: it holds NUL bytes");
        goto out;
    }
    if (!nesting_ok(data, len)) {
        snprintf(err, errlen, "not an iCalendar file: components nested deeper than %d",
                 ICAL_MAX_DEPTH);
        goto out;
    }
    text = malloc(len + 1);
    if (!text) {
        goto oom;
    }
    memcpy(text, data, len);
    text[len] = '\0';

    c.root = icalparser_parse_string(text);
    icalerror_clear_errno();
    if (!c.root) {
        snprintf(err, errlen, "not an iCalendar file: libical could not parse it");
        goto out;
    }
    if (icalcomponent_isa(c.root) == ICAL_VCALENDAR_COMPONENT) {
        if (collect(&c, c.root, &cap)) {
            goto oom;
        }
    } else if (icalcomponent_isa(c.root) == ICAL_XROOT_COMPONENT) {
        /* several VCALENDARs one after another */
        for (icalcomponent *k = icalcomponent_get_first_component(c.root, ICAL_VCALENDAR_COMPONENT);
             k; k = icalcomponent_get_next_component(c.root, ICAL_VCALENDAR_COMPONENT)) {
            if (collect(&c, k, &cap)) {
                goto oom;
            }
        }
    } else {
        snprintf(err, errlen, "not an iCalendar file: no VCALENDAR component");
        goto out;
    }
    if (link_overrides(&c)) {
        goto oom;
    }

    days = o->window_days > 0 ? o->window_days : IMPORT_WINDOW_DAYS_DEFAULT;
    days = days < ICAL_MAX_WINDOW ? days : ICAL_MAX_WINDOW;
    c.ws = timeutil_day_start(o->now);
    c.we = c.ws + (int64_t)days * DAY;
    {
        size_t slots = 16;
        while (slots < c.n_evs * 2) {
            slots *= 2;
        }
        c.id_slots = calloc(slots, sizeof *c.id_slots);
        c.id_mask = slots - 1;
        c.cat_ids = calloc(FEED_MAX_LABELS, sizeof *c.cat_ids);
        if (!c.id_slots || !c.cat_ids) {
            goto oom;
        }
    }
    doc = new_doc(&c, &c.cats, &c.items);
    if (!doc) {
        goto oom;
    }
    for (size_t i = 0; i < c.n_evs; i++) {
        if (c.evs[i].linked) {
            continue;
        }
        if (read_item(&c, i)) {
            goto oom;
        }
    }
    result = doc;
    doc = NULL;
    goto out;
oom:
    snprintf(err, errlen, "out of memory reading the calendar");
out:
    icalerror_clear_errno();
    cJSON_Delete(doc);
    ctx_free(&c);
    free(text);
    return result;
}
