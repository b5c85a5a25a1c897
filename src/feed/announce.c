/* announce: one list of announcements from two routes.
 *
 * An ann_list owns deep copies (plain malloc) so it can outlive the feed an entry came
 * from: the merged list the UI reads survives the next feed swap until the next tick.
 * Merging is by id: every document is taken in order, a later one replacing an earlier one,
 * and a direct (admin API) entry replaces them all; only then are window and target
 * checked, so a direct edit that ended an announcement hides the feed's copy of it too.
 * Validation of a single JSON announcement is the feed's own rule set (feed_valid.c) with
 * the admin API's stricter ids. */
#include "feed/announce.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed/feed_internal.h"
#include "util/timeutil.h"
#include "util/utf8.h"

struct ann_list {
    struct feed_announcement *v;
    size_t n;
    size_t cap;
};

/* An announcement's text in each language it may carry, by the key of its JSON (the feed's
 * own keys, docs/feed.md), Japanese first: one table for copying, freeing, checking and
 * writing, so a language can never be kept by one of them and lost by another. */
static const struct {
    const char *key;
    size_t off;
} ann_langs[] = {
    {"ja", offsetof(struct feed_text, ja)},           {"en", offsetof(struct feed_text, en)},
    {"zh-Hans", offsetof(struct feed_text, zh_hans)}, {"ko", offsetof(struct feed_text, ko)},
    {"ja-easy", offsetof(struct feed_text, ja_easy)},
};
#define ANN_N_LANGS (sizeof ann_langs / sizeof ann_langs[0])

static const char **text_slot(struct feed_text *t, size_t i)
{
    return (const char **)(void *)((char *)t + ann_langs[i].off);
}

static const char *text_at(const struct feed_text *t, size_t i)
{
    return *(const char *const *)(const void *)((const char *)t + ann_langs[i].off);
}

struct ann_list *ann_list_create(void)
{
    return calloc(1, sizeof(struct ann_list));
}

void ann_clear(struct feed_announcement *a)
{
    if (!a) {
        return;
    }
    free((void *)a->id);
    for (size_t i = 0; i < ANN_N_LANGS; i++) {
        free((void *)text_at(&a->text, i));
    }
    for (size_t i = 0; i < a->n_targets; i++) {
        free((void *)a->targets[i]);
    }
    free((void *)a->targets);
    free((void *)a->created_by);
    memset(a, 0, sizeof *a);
}

void ann_list_free(struct ann_list *l)
{
    if (!l) {
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        ann_clear(&l->v[i]);
    }
    free(l->v);
    free(l);
}

size_t ann_list_count(const struct ann_list *l)
{
    return l ? l->n : 0;
}

const struct feed_announcement *ann_list_at(const struct ann_list *l, size_t i)
{
    return i < ann_list_count(l) ? &l->v[i] : NULL;
}

const struct feed_announcement *ann_list_find(const struct ann_list *l, const char *id)
{
    for (size_t i = 0; id && i < ann_list_count(l); i++) {
        if (strcmp(l->v[i].id, id) == 0) {
            return &l->v[i];
        }
    }
    return NULL;
}

static int dup_str(const char *s, const char **out)
{
    *out = NULL;
    if (!s) {
        return 0;
    }
    *out = strdup(s);
    return *out ? 0 : -ENOMEM;
}

int ann_copy(struct feed_announcement *dst, const struct feed_announcement *src)
{
    const char **t = NULL;

    *dst = *src;
    dst->id = dst->created_by = NULL;
    dst->text = (struct feed_text){0};
    dst->targets = NULL;
    dst->n_targets = 0;
    if (dup_str(src->id, &dst->id) || dup_str(src->created_by, &dst->created_by)) {
        goto fail;
    }
    for (size_t i = 0; i < ANN_N_LANGS; i++) {
        if (dup_str(text_at(&src->text, i), text_slot(&dst->text, i))) {
            goto fail;
        }
    }
    if (src->n_targets) {
        t = calloc(src->n_targets, sizeof *t);
        if (!t) {
            goto fail;
        }
        dst->targets = t;
        for (size_t i = 0; i < src->n_targets; i++) {
            if (dup_str(src->targets[i], &t[i])) {
                goto fail;
            }
            dst->n_targets++;
        }
    }
    return 0;
fail:
    ann_clear(dst);
    return -ENOMEM;
}

static int list_append(struct ann_list *l, const struct feed_announcement *a)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct feed_announcement *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) {
            return -ENOMEM;
        }
        l->v = nv;
        l->cap = cap;
    }
    if (ann_copy(&l->v[l->n], a)) {
        return -ENOMEM;
    }
    l->n++;
    return 0;
}

int ann_list_put(struct ann_list *l, const struct feed_announcement *a)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].id, a->id) == 0) {
            struct feed_announcement copy;
            if (ann_copy(&copy, a)) {
                return -ENOMEM;
            }
            ann_clear(&l->v[i]);
            l->v[i] = copy;
            return 0;
        }
    }
    return list_append(l, a);
}

int ann_list_remove(struct ann_list *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].id, id) == 0) {
            ann_clear(&l->v[i]);
            memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof l->v[0]);
            l->n--;
            return 0;
        }
    }
    return -ENOENT;
}

bool ann_id_valid(const char *id)
{
    size_t len = 0;
    bool only_dots = true;
    if (!id) {
        return false;
    }
    for (const char *p = id; *p; p++, len++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok || len >= ANN_ID_MAX) {
            return false;
        }
        if (c != '.') {
            only_dots = false;
        }
    }
    return len > 0 && !only_dots;
}

/* The first translation given with nothing visible in it (ANN_RULE_TEXT_EN and the rules
 * after it follow ann_langs' order), with a message naming its key. */
static enum ann_rule blank_translation(const struct feed_text *t, const char **msg)
{
    static const char *const msgs[] = {
        "",
        "field 'text': 'en' has no visible character",
        "field 'text': 'zh-Hans' has no visible character",
        "field 'text': 'ko' has no visible character",
        "field 'text': 'ja-easy' has no visible character",
    };
    for (size_t i = 1; i < ANN_N_LANGS; i++) {
        const char *s = text_at(t, i);
        if (s && !utf8_has_visible(s, strlen(s))) {
            *msg = msgs[i];
            return (enum ann_rule)(ANN_RULE_TEXT_EN + (i - 1));
        }
    }
    return ANN_RULE_OK;
}

enum ann_rule ann_check_direct(const struct feed_announcement *a, bool has_end, int64_t now,
                               char *why, size_t whylen)
{
    enum ann_rule r = ANN_RULE_OK;
    const char *msg = "", *tr_msg = "";
    enum ann_rule tr = blank_translation(&a->text, &tr_msg);

    if (!ann_id_valid(a->id)) {
        r = ANN_RULE_ID;
        msg = "id: use 1 to 128 characters from A-Z a-z 0-9 . _ - (not only dots)";
    } else if (!a->text.ja || !utf8_has_visible(a->text.ja, strlen(a->text.ja))) {
        r = ANN_RULE_TEXT;
        msg = "field 'text': 'ja' has no visible character";
    } else if (tr != ANN_RULE_OK) {
        r = tr;
        msg = tr_msg;
    } else if (a->until_cleared && a->level != ANN_LEVEL_EMERGENCY) {
        r = ANN_RULE_UNTIL_CLEARED_LEVEL;
        msg = "until_cleared: only an emergency may stay until cleared; give ends_at instead";
    } else if (a->until_cleared && has_end) {
        r = ANN_RULE_UNTIL_CLEARED_END;
        msg = "field 'ends_at': not with until_cleared (an announcement until cleared has no "
              "end; give one or the other)";
    } else if (!a->until_cleared && !has_end) {
        r = ANN_RULE_NO_END;
        msg = "field 'ends_at': required (or until_cleared for an emergency)";
    } else if (!a->until_cleared && a->ends_at <= now) {
        r = ANN_RULE_ENDED;
        msg = "ends_at: the announcement would already have ended by the kiosk's clock; give "
              "a later ends_at";
    } else if (!a->until_cleared && a->ends_at <= a->starts_at) {
        r = ANN_RULE_END_BEFORE_START;
        msg = "ends_at: must be after starts_at";
    }
    if (why && whylen) {
        snprintf(why, whylen, "%s", msg);
    }
    return r;
}

bool ann_targets_match(const struct feed_announcement *a, const char *target)
{
    if (a->n_targets == 0) {
        return true;
    }
    if (!target || !*target) {
        return false;
    }
    for (size_t i = 0; i < a->n_targets; i++) {
        size_t n = strlen(a->targets[i]);
        if (n > 0 && strncmp(a->targets[i], target, n) == 0) {
            return true;
        }
    }
    return false;
}

bool ann_list_has_emergency(const struct ann_list *l)
{
    for (size_t i = 0; i < ann_list_count(l); i++) {
        if (l->v[i].level == ANN_LEVEL_EMERGENCY) {
            return true;
        }
    }
    return false;
}

bool ann_text_equal(const struct feed_text *a, const struct feed_text *b)
{
    for (size_t i = 0; i < ANN_N_LANGS; i++) {
        const char *x = text_at(a, i), *y = text_at(b, i);
        if (!x != !y || (x && strcmp(x, y) != 0)) {
            return false;
        }
    }
    return true;
}

bool ann_has_visible_text(const struct feed_announcement *a)
{
    for (size_t i = 0; i < ANN_N_LANGS; i++) {
        const char *s = text_at(&a->text, i);
        if (s && utf8_has_visible(s, strlen(s))) {
            return true;
        }
    }
    return false;
}

bool ann_active(const struct feed_announcement *a, int64_t now)
{
    if (now < a->starts_at) {
        return false;
    }
    if (a->until_cleared && a->level == ANN_LEVEL_EMERGENCY) {
        return true;
    }
    return now < a->ends_at;
}

struct cand {
    const struct feed_announcement *a;
    size_t prio; /* higher wins for the same id */
};

static int cmp_cand(const void *pa, const void *pb)
{
    const struct cand *a = pa, *b = pb;
    int c = strcmp(a->a->id, b->a->id);
    if (c) {
        return c;
    }
    return a->prio > b->prio ? -1 : a->prio < b->prio ? 1 : 0;
}

/* The automatic safety announcements (feed/safety.h's ids: JMA, CAP): at the same level
 * they come after every other, so the staff's own emergency is always the one shown first. */
static bool automatic(const struct feed_announcement *a)
{
    static const char *const prefixes[] = {"jma.", "jma-drill.", "cap.", "cap-drill."};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(a->id, prefixes[i], strlen(prefixes[i])) == 0) {
            return true;
        }
    }
    return false;
}

static int cmp_shown(const void *pa, const void *pb)
{
    const struct feed_announcement *a = pa, *b = pb;
    if (a->level != b->level) {
        return a->level > b->level ? -1 : 1;
    }
    if (automatic(a) != automatic(b)) {
        return automatic(a) ? 1 : -1;
    }
    if (a->starts_at != b->starts_at) {
        return a->starts_at > b->starts_at ? -1 : 1;
    }
    return strcmp(a->id, b->id);
}

struct ann_list *ann_merge(const struct feed *const *feeds, size_t n_feeds,
                           const struct ann_list *direct, const char *target, int64_t now)
{
    struct ann_list *out = ann_list_create();
    struct cand *c = NULL;
    size_t n = ann_list_count(direct), k = 0;

    if (!out) {
        return NULL;
    }
    for (size_t i = 0; i < n_feeds; i++) {
        n += feed_announcement_count(feeds ? feeds[i] : NULL);
    }
    if (n == 0) {
        return out;
    }
    c = malloc(n * sizeof *c);
    if (!c) {
        goto fail;
    }
    for (size_t i = 0; i < n_feeds; i++) {
        const struct feed *f = feeds[i];
        for (size_t j = 0; j < feed_announcement_count(f); j++) {
            c[k++] = (struct cand){feed_announcement_at(f, j), i};
        }
    }
    for (size_t j = 0; j < ann_list_count(direct); j++) {
        c[k++] = (struct cand){ann_list_at(direct, j), n_feeds};
    }
    qsort(c, k, sizeof *c, cmp_cand);
    for (size_t i = 0; i < k; i++) {
        const struct feed_announcement *a = c[i].a;
        if (i > 0 && strcmp(c[i - 1].a->id, a->id) == 0) {
            continue; /* a lower-priority copy of the same id */
        }
        if (!ann_active(a, now) || !ann_targets_match(a, target)) {
            continue;
        }
        if (!ann_has_visible_text(a)) {
            continue; /* validation refuses these; one kept from before must not show blank */
        }
        if (list_append(out, a)) {
            goto fail;
        }
    }
    free(c);
    if (out->n > 1) {
        qsort(out->v, out->n, sizeof out->v[0], cmp_shown);
    }
    return out;
fail:
    free(c);
    ann_list_free(out);
    return NULL;
}

struct ann_list *ann_collect(const struct feed *const *feeds, size_t n_feeds)
{
    struct ann_list *out = ann_list_create();

    for (size_t i = 0; out && i < n_feeds; i++) {
        const struct feed *f = feeds[i];
        for (size_t j = 0; j < feed_announcement_count(f); j++) {
            if (ann_list_put(out, feed_announcement_at(f, j)) < 0) {
                ann_list_free(out);
                return NULL;
            }
        }
    }
    return out;
}

static void *heap_alloc(void *actx, size_t n, size_t align)
{
    (void)actx;
    (void)align; /* malloc aligns for every type */
    return malloc(n);
}

static void heap_release(void *actx, void *p)
{
    (void)actx;
    free(p);
}

static int ann_parse(const struct cJSON *obj, enum fv_ann_mode mode, int64_t now,
                     struct feed_announcement *out, char *err, size_t errlen)
{
    struct fv_ctx c = {heap_alloc, heap_release, NULL, FEED_MAX_STRING_DEFAULT};
    char why[256];
    int rc = fv_announcement(obj, mode, now, &c, out, why, sizeof why);

    if (rc == 0) {
        if (err && errlen) {
            err[0] = '\0';
        }
        return 0;
    }
    ann_clear(out);
    snprintf(err, errlen, "%s", rc == -2 ? "out of memory" : why);
    return rc == -2 ? -ENOMEM : -EINVAL;
}

int ann_from_json(const struct cJSON *obj, int64_t now, struct feed_announcement *out, char *err,
                  size_t errlen)
{
    return ann_parse(obj, FV_ANN_API, now, out, err, errlen);
}

int ann_from_stored_json(const struct cJSON *obj, int64_t now, struct feed_announcement *out,
                         char *err, size_t errlen)
{
    return ann_parse(obj, FV_ANN_STORED, now, out, err, errlen);
}

static const char *level_name(enum ann_level l)
{
    switch (l) {
    case ANN_LEVEL_EMERGENCY:
        return "emergency";
    case ANN_LEVEL_IMPORTANT:
        return "important";
    case ANN_LEVEL_NORMAL:
    default:
        return "normal";
    }
}

struct cJSON *ann_to_json(const struct feed_announcement *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *text = NULL, *targets = NULL;
    char ts[40];

    if (!o) {
        return NULL;
    }
    if (!cJSON_AddStringToObject(o, "id", a->id ? a->id : "")) {
        goto fail;
    }
    text = cJSON_AddObjectToObject(o, "text");
    if (!text || !cJSON_AddStringToObject(text, "ja", a->text.ja ? a->text.ja : "")) {
        goto fail;
    }
    for (size_t i = 1; i < ANN_N_LANGS; i++) {
        const char *s = text_at(&a->text, i);
        if (s && !cJSON_AddStringToObject(text, ann_langs[i].key, s)) {
            goto fail;
        }
    }
    if (!cJSON_AddStringToObject(o, "level", level_name(a->level))) {
        goto fail;
    }
    timeutil_format_iso8601(a->starts_at, ts, sizeof ts);
    if (!cJSON_AddStringToObject(o, "starts_at", ts)) {
        goto fail;
    }
    if (!a->until_cleared) {
        timeutil_format_iso8601(a->ends_at, ts, sizeof ts);
        if (!cJSON_AddStringToObject(o, "ends_at", ts)) {
            goto fail;
        }
    }
    if (a->until_cleared && !cJSON_AddTrueToObject(o, "until_cleared")) {
        goto fail;
    }
    if (a->n_targets) {
        targets = cJSON_AddArrayToObject(o, "targets");
        if (!targets) {
            goto fail;
        }
        for (size_t i = 0; i < a->n_targets; i++) {
            cJSON *s = cJSON_CreateString(a->targets[i]);
            if (!s || !cJSON_AddItemToArray(targets, s)) {
                cJSON_Delete(s);
                goto fail;
            }
        }
    }
    if (a->created_by && !cJSON_AddStringToObject(o, "created_by", a->created_by)) {
        goto fail;
    }
    if (!cJSON_AddStringToObject(o, "source", a->source == ANN_SOURCE_DIRECT ? "direct" : "feed")) {
        goto fail;
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}
