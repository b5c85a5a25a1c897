/* feed_valid: the field rules of the feed format, shared by the feed parser and the admin
 * API's announcement parser.
 *
 * Each validator reads one member of a cJSON object and either fills a value or says, in
 * one short English phrase that names the field, why the item cannot be used. They never
 * log: the caller decides whether a failure drops an item (feed) or answers 400 (admin).
 * Strings are assumed already checked by fv_strings_ok() and are sanitised on copy. */
#include "feed/feed_internal.h"

#include <math.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/jsonstrict.h"
#include "util/timeutil.h"
#include "util/url.h"
#include "util/utf8.h"

#define ARENA_CHUNK 65536u

struct arena_chunk {
    struct arena_chunk *next;
    size_t cap;
    size_t used;
    max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t n, size_t align)
{
    struct arena_chunk *c = a->head;
    size_t off;

    if (n == 0) {
        n = 1;
    }
    if (c) {
        off = (c->used + align - 1) & ~(align - 1);
        if (off <= c->cap && c->cap - off >= n) {
            c->used = off + n;
            a->total += n;
            return (unsigned char *)c->data + off;
        }
    }
    size_t cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
    c = malloc(sizeof *c + cap);
    if (!c) {
        return NULL;
    }
    c->cap = cap;
    c->used = n;
    if (n > ARENA_CHUNK / 4 && a->head) {
        /* a big block gets a chunk of its own behind the current one, which stays open for
         * the small strings that follow */
        c->next = a->head->next;
        a->head->next = c;
    } else {
        c->next = a->head;
        a->head = c;
    }
    a->total += n;
    return c->data;
}

void arena_release(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

/* The first problem in v's subtree (member names and string values), or NULL. The depth
 * is bounded by jsonstrict's nesting limit. */
static const char *subtree_problem(const cJSON *v)
{
    const char *problem = NULL;

    if (cJSON_IsString(v) && v->valuestring) {
        problem = json_strict_string_problem(v->valuestring);
    }
    for (const cJSON *ch = v->child; ch && !problem; ch = ch->next) {
        if (ch->string) {
            problem = json_strict_string_problem(ch->string);
        }
        if (!problem) {
            problem = subtree_problem(ch);
        }
    }
    return problem;
}

bool fv_strings_ok(const cJSON *v, char *why, size_t whylen)
{
    for (const cJSON *ch = v ? v->child : NULL; ch; ch = ch->next) {
        const char *problem = NULL;
        if (ch->string) {
            problem = json_strict_string_problem(ch->string);
            if (problem) {
                snprintf(why, whylen, "a field name: %s", problem);
                return false;
            }
        }
        problem = subtree_problem(ch);
        if (problem) {
            if (ch->string) {
                snprintf(why, whylen, "field '%s': %s", ch->string, problem);
            } else {
                snprintf(why, whylen, "%s", problem);
            }
            return false;
        }
    }
    return true;
}

char *fv_strdup(const struct fv_ctx *c, const char *s, bool keep_newlines)
{
    size_t len = strlen(s);
    size_t cap = len < c->max_string ? len : c->max_string;
    char *out = c->alloc(c->actx, cap + 1, 1);

    if (!out) {
        return NULL;
    }
    utf8_sanitize_buf(s, len, out, c->max_string, keep_newlines);
    return out;
}

static bool is_blank_or_invisible(int32_t cp)
{
    return cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF;
}

bool fv_id_printable(const char *s)
{
    size_t len = strlen(s);
    const char *end = s + len;

    if (len == 0 || len > FEED_MAX_ID || !utf8_valid(s, len)) {
        return false;
    }
    while (s < end) {
        int32_t cp = utf8_next(&s, end);
        if (cp < 0 || is_blank_or_invisible(cp)) {
            return false;
        }
    }
    return true;
}

bool fv_id_simple(const char *s)
{
    size_t len = strlen(s);

    if (len == 0 || len > FEED_MAX_ID) {
        return false;
    }
    for (; *s; s++) {
        char ch = *s;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-')) {
            return false;
        }
    }
    return true;
}

static const cJSON *member(const cJSON *parent, const char *field)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, field);
    return cJSON_IsNull(v) ? NULL : v;
}

static void fv_release(const struct fv_ctx *c, void *p)
{
    if (c->release) {
        c->release(c->actx, p);
    }
}

/* An optional translation `key` of text object v: 0 with *out set (or left NULL when absent
 * or blank), -1 when not a string, -2 out of memory. */
static int fv_translation(const cJSON *v, const char *field, const char *key, bool keep_newlines,
                          const struct fv_ctx *c, const char **out, char *why, size_t whylen)
{
    const cJSON *t = member(v, key);
    char *s;

    *out = NULL;
    if (!t) {
        return 0;
    }
    if (!cJSON_IsString(t)) {
        snprintf(why, whylen, "field '%s': '%s' is not a string", field, key);
        return -1;
    }
    s = fv_strdup(c, t->valuestring, keep_newlines);
    if (!s) {
        return -2;
    }
    if (utf8_has_visible(s, strlen(s))) {
        *out = s;
    } else {
        fv_release(c, s);
    }
    return 0;
}

int fv_text_tr(const cJSON *parent, const char *field, bool required, bool keep_newlines,
               const struct fv_ctx *c, struct feed_text *out, char *why, size_t whylen)
{
    const cJSON *v;
    int rc = fv_text(parent, field, required, keep_newlines, c, out, why, whylen);

    if (rc != 0 || !out->ja) {
        return rc;
    }
    v = member(parent, field);
    rc = fv_translation(v, field, "zh-Hans", keep_newlines, c, &out->zh_hans, why, whylen);
    if (rc == 0) {
        rc = fv_translation(v, field, "ko", keep_newlines, c, &out->ko, why, whylen);
    }
    if (rc == 0) {
        rc = fv_translation(v, field, "ja-easy", keep_newlines, c, &out->ja_easy, why, whylen);
    }
    return rc;
}

int fv_text(const cJSON *parent, const char *field, bool required, bool keep_newlines,
            const struct fv_ctx *c, struct feed_text *out, char *why, size_t whylen)
{
    const cJSON *v = member(parent, field);
    const cJSON *ja, *en;
    char *s;

    *out = (struct feed_text){0};
    if (!v) {
        if (!required) {
            return 0;
        }
        snprintf(why, whylen, "field '%s': required", field);
        return -1;
    }
    if (!cJSON_IsObject(v)) {
        snprintf(why, whylen, "field '%s': not a text object like {\"ja\": \"...\"}", field);
        return -1;
    }
    ja = member(v, "ja");
    en = member(v, "en");
    if (!ja) {
        snprintf(why, whylen, "field '%s': 'ja' required", field);
        return -1;
    }
    if (!cJSON_IsString(ja)) {
        snprintf(why, whylen, "field '%s': 'ja' is not a string", field);
        return -1;
    }
    if (en && !cJSON_IsString(en)) {
        snprintf(why, whylen, "field '%s': 'en' is not a string", field);
        return -1;
    }
    s = fv_strdup(c, ja->valuestring, keep_newlines);
    if (!s) {
        return -2;
    }
    if (!utf8_has_visible(s, strlen(s))) {
        /* An empty optional text (a CMS exporting a blank column) is simply absent. A text
         * of spaces or invisible characters would draw as nothing, and on the emergency
         * screen a blank entry must never take the place of a real one. */
        bool empty = !s[0];
        fv_release(c, s);
        if (!required) {
            return 0;
        }
        snprintf(why, whylen,
                 empty ? "field '%s': 'ja' is empty"
                       : "field '%s': 'ja' has no visible character (only "
                         "spaces or invisible characters)",
                 field);
        return -1;
    }
    out->ja = s;
    if (en) {
        s = fv_strdup(c, en->valuestring, keep_newlines);
        if (!s) {
            return -2;
        }
        if (utf8_has_visible(s, strlen(s))) {
            out->en = s;
        } else {
            fv_release(c, s);
        }
    }
    return 0;
}

int fv_id(const cJSON *obj, const struct fv_ctx *c, const char **out, char *why, size_t whylen)
{
    const cJSON *v = member(obj, "id");

    if (!v) {
        snprintf(why, whylen, "field 'id': required");
        return -1;
    }
    if (!cJSON_IsString(v)) {
        snprintf(why, whylen, "field 'id': not a string");
        return -1;
    }
    if (!fv_id_printable(v->valuestring)) {
        snprintf(why, whylen, "field 'id': must be 1-%u printable characters without spaces",
                 FEED_MAX_ID);
        return -1;
    }
    *out = fv_strdup(c, v->valuestring, false);
    return *out ? 0 : -2;
}

int fv_url(const cJSON *obj, const char *field, bool allow_http, const struct fv_ctx *c,
           const char **url, const char **host, char *why, size_t whylen)
{
    const cJSON *v = member(obj, field);
    const char *problem = NULL;
    struct url_checked *uc;
    int rc = 0;

    *url = NULL;
    *host = NULL;
    if (!v) {
        return 0;
    }
    if (!cJSON_IsString(v)) {
        snprintf(why, whylen, "field '%s': not a string", field);
        return -1;
    }
    if (!v->valuestring[0]) {
        return 0;
    }
    /* the same parse gives the URL the code holds and the host its caption names */
    uc = malloc(sizeof *uc);
    if (!uc) {
        return -2;
    }
    if (!url_check(v->valuestring, allow_http, uc, &problem)) {
        snprintf(why, whylen, "field '%s': %s", field, problem);
        rc = -1;
        goto out;
    }
    *url = fv_strdup(c, uc->url, false);
    *host = fv_strdup(c, uc->host, false);
    if (!*url || !*host) {
        rc = -2;
    }
out:
    free(uc);
    return rc;
}

int fv_whole(const cJSON *obj, const char *field, int max, int *out, char *why, size_t whylen)
{
    const cJSON *v = member(obj, field);
    double d;

    if (!v) {
        return 0;
    }
    d = cJSON_IsNumber(v) ? v->valuedouble : -1.0;
    if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d) || d < 0 || d > max) {
        snprintf(why, whylen, "field '%s': not a whole number from 0 to %d", field, max);
        return -1;
    }
    *out = (int)d;
    return 0;
}

int fv_bool(const cJSON *obj, const char *field, bool *out, char *why, size_t whylen)
{
    const cJSON *v = member(obj, field);

    if (!v) {
        return 0;
    }
    if (!cJSON_IsBool(v)) {
        snprintf(why, whylen, "field '%s': not true or false", field);
        return -1;
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

static const char *label_lookup(const struct feed_label *labels, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(labels[i].id, id) == 0) {
            return labels[i].id;
        }
    }
    return NULL;
}

int fv_refs(const cJSON *obj, const char *field, const struct feed_label *labels, size_t n_labels,
            const struct fv_ctx *c, const char *const **out, size_t *n_out, char *why,
            size_t whylen)
{
    const cJSON *arr = member(obj, field);
    const cJSON *el;
    const char **refs;
    size_t n = 0;

    *out = NULL;
    *n_out = 0;
    if (!arr) {
        return 0;
    }
    if (!cJSON_IsArray(arr)) {
        snprintf(why, whylen, "field '%s': not an array of ids", field);
        return -1;
    }
    cJSON_ArrayForEach(el, arr)
    {
        if (!cJSON_IsString(el)) {
            snprintf(why, whylen, "field '%s': not an array of ids", field);
            return -1;
        }
        n++;
    }
    if (n > FEED_MAX_REFS) {
        n = FEED_MAX_REFS;
    }
    if (n == 0 || n_labels == 0) {
        return 0;
    }
    refs = c->alloc(c->actx, n * sizeof *refs, alignof(const char *));
    if (!refs) {
        return -2;
    }
    cJSON_ArrayForEach(el, arr)
    {
        const char *id = label_lookup(labels, n_labels, el->valuestring);
        bool dup = false;
        if (*n_out == n) {
            break;
        }
        if (!id) {
            continue;
        }
        for (size_t i = 0; i < *n_out; i++) {
            dup = dup || refs[i] == id;
        }
        if (!dup) {
            refs[(*n_out)++] = id;
        }
    }
    *out = refs;
    return 0;
}

int64_t fv_next_day_start(int64_t t)
{
    struct time_parts p;

    /* mktime normalises day 32 into the next month and knows the zone's 23- and 25-hour
     * days */
    timeutil_local(t, &p);
    return timeutil_make_local(p.year, p.month, p.day + 1, 0, 0);
}

int fv_time(const cJSON *parent, const char *field, bool required, bool date_is_end, int64_t *out,
            bool *present, bool *date_only, char *why, size_t whylen)
{
    const cJSON *v = member(parent, field);
    bool dateonly = false;

    *present = false;
    if (date_only) {
        *date_only = false;
    }
    if (!v) {
        if (!required) {
            return 0;
        }
        snprintf(why, whylen, "field '%s': required", field);
        return -1;
    }
    if (!cJSON_IsString(v) || timeutil_parse_iso8601(v->valuestring, out, &dateonly) != 0) {
        snprintf(why, whylen,
                 "field '%s': not a date (YYYY-MM-DD) or date-time with offset "
                 "(YYYY-MM-DDTHH:MM:SS+09:00)",
                 field);
        return -1;
    }
    if (dateonly && date_is_end) {
        /* the string is a proven YYYY-MM-DD: its next midnight without a round trip */
        const char *d = v->valuestring;
        int y = atoi(d), m = atoi(d + 5), day = atoi(d + 8);
        *out = timeutil_make_local(y, m, day + 1, 0, 0);
    }
    {
        /* Stored and served in the facility's zone: 9999-12-31T23:00Z is year 10000 there,
         * which no ISO 8601 reader takes back, so the entry would be lost at the next start. */
        struct time_parts p;
        timeutil_local(*out, &p);
        if (p.year < 1 || p.year > 9999) {
            snprintf(why, whylen,
                     "field '%s': outside the years 0001-9999 in the facility's "
                     "time zone",
                     field);
            return -1;
        }
    }
    *present = true;
    if (date_only) {
        *date_only = dateonly;
    }
    return 0;
}

static int ann_level(const cJSON *obj, bool required, enum ann_level *out, char *why, size_t whylen)
{
    const cJSON *v = member(obj, "level");

    *out = ANN_LEVEL_NORMAL;
    if (!v && !required) {
        return 0;
    }
    if (!v) {
        snprintf(why, whylen, "field 'level': required");
        return -1;
    }
    if (cJSON_IsString(v)) {
        if (strcmp(v->valuestring, "normal") == 0) {
            return 0;
        }
        if (strcmp(v->valuestring, "important") == 0) {
            *out = ANN_LEVEL_IMPORTANT;
            return 0;
        }
        if (strcmp(v->valuestring, "emergency") == 0) {
            *out = ANN_LEVEL_EMERGENCY;
            return 0;
        }
    }
    snprintf(why, whylen, "field 'level': must be \"normal\", \"important\" or \"emergency\"");
    return -1;
}

static int ann_targets(const cJSON *obj, const struct fv_ctx *c, struct feed_announcement *out,
                       char *why, size_t whylen)
{
    const cJSON *v = member(obj, "targets");
    const cJSON *t;
    const char **arr;
    size_t n = 0;

    if (!v) {
        return 0;
    }
    if (!cJSON_IsArray(v)) {
        goto bad;
    }
    cJSON_ArrayForEach(t, v)
    {
        if (!cJSON_IsString(t)) {
            goto bad;
        }
        n++;
    }
    if (n == 0) {
        return 0;
    }
    if (n > FEED_MAX_TARGETS) {
        snprintf(why, whylen, "field 'targets': more than %u targets", FEED_MAX_TARGETS);
        return -1;
    }
    arr = c->alloc(c->actx, n * sizeof *arr, _Alignof(const char *));
    if (!arr) {
        return -2;
    }
    memset(arr, 0, n * sizeof *arr);
    out->targets = arr;
    cJSON_ArrayForEach(t, v)
    {
        char *s;
        if (!t->valuestring[0] || strlen(t->valuestring) > FEED_MAX_ID ||
            !fv_id_printable(t->valuestring)) {
            snprintf(why, whylen,
                     "field 'targets': a target must be 1-%u printable characters "
                     "without spaces",
                     FEED_MAX_ID);
            return -1;
        }
        s = fv_strdup(c, t->valuestring, false);
        if (!s) {
            return -2;
        }
        arr[out->n_targets++] = s;
    }
    return 0;
bad:
    snprintf(why, whylen, "field 'targets': not an array of strings");
    return -1;
}

int fv_announcement(const cJSON *obj, enum fv_ann_mode mode, int64_t now, const struct fv_ctx *c,
                    struct feed_announcement *out, char *why, size_t whylen)
{
    const cJSON *v;
    bool present, uc = false, has_end = false;
    int rc;

    memset(out, 0, sizeof *out);
    out->source = mode == FV_ANN_FEED ? ANN_SOURCE_FEED : ANN_SOURCE_DIRECT;
    if (!cJSON_IsObject(obj)) {
        snprintf(why, whylen, "not an object");
        return -1;
    }
    if (!fv_strings_ok(obj, why, whylen)) {
        return -1;
    }

    v = member(obj, "id");
    if (!v) {
        snprintf(why, whylen, "field 'id': required");
        return -1;
    }
    if (!cJSON_IsString(v)) {
        snprintf(why, whylen, "field 'id': not a string");
        return -1;
    }
    if (mode != FV_ANN_FEED ? !fv_id_simple(v->valuestring) : !fv_id_printable(v->valuestring)) {
        snprintf(why, whylen,
                 mode != FV_ANN_FEED
                     ? "field 'id': must be 1-128 characters of A-Z a-z 0-9 . _ -"
                     : "field 'id': must be 1-128 printable characters without spaces");
        return -1;
    }
    out->id = fv_strdup(c, v->valuestring, false);
    if (!out->id) {
        return -2;
    }

    rc = fv_text_tr(obj, "text", true, true, c, &out->text, why, whylen);
    if (rc) {
        return rc;
    }
    if (ann_level(obj, mode != FV_ANN_FEED, &out->level, why, whylen)) {
        return -1;
    }

    v = member(obj, "until_cleared");
    if (v && !cJSON_IsBool(v)) {
        snprintf(why, whylen, "field 'until_cleared': not true or false");
        return -1;
    }
    uc = cJSON_IsTrue(v);
    if (uc && out->level != ANN_LEVEL_EMERGENCY) {
        snprintf(why, whylen, "field 'until_cleared': only for level \"emergency\"");
        return -1;
    }
    if (uc && mode == FV_ANN_API && member(obj, "ends_at")) {
        /* Staff who give both would believe the end applies; it never would. A feed keeps
         * the pair, since dropping a feed's emergency for it would hide the emergency. */
        snprintf(why, whylen,
                 "field 'ends_at': not with until_cleared (an announcement "
                 "until cleared has no end; give one or the other)");
        return -1;
    }
    out->until_cleared = uc;

    if (fv_time(obj, "starts_at", mode == FV_ANN_FEED, false, &out->starts_at, &present, NULL, why,
                whylen)) {
        return -1;
    }
    if (!present) {
        out->starts_at = now;
    }
    if (fv_time(obj, "ends_at", !uc, true, &out->ends_at, &has_end, NULL, why, whylen)) {
        return -1;
    }
    if (has_end && out->ends_at <= out->starts_at) {
        snprintf(why, whylen, "field 'ends_at': must be after starts_at");
        return -1;
    }

    rc = ann_targets(obj, c, out, why, whylen);
    if (rc) {
        return rc;
    }

    v = member(obj, "created_by");
    if (v) {
        if (!cJSON_IsString(v)) {
            snprintf(why, whylen, "field 'created_by': not a string");
            return -1;
        }
        if (v->valuestring[0]) {
            char *s = fv_strdup(c, v->valuestring, false);
            if (!s) {
                return -2;
            }
            out->created_by = s;
        }
    }
    return 0;
}
