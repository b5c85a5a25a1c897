/* admin_store: see store.h.
 *
 * Every change builds a complete new list (the old entries that have not ended, plus the
 * change), writes it to disk, and only then swaps it in. That makes a refused write leave
 * the store exactly as it was without any undo code, and lets readers on other threads copy
 * the current list under a short lock while the writer is busy with fsync. */
#include "admin/store.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/jsonstrict.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/utf8.h"

struct admin_store {
    char path[PATH_MAX];
    pthread_mutex_t lock; /* guards the `list` and `feed` pointers across threads */
    struct ann_list *list;
    struct ann_list *feed; /* the feed's announcements as the app last gave them, or NULL */
};

static bool store_ended(const struct feed_announcement *a, int64_t now)
{
    return !a->until_cleared && a->ends_at <= now;
}

/* An ended direct entry still hides the feed's announcement with its id (ann_merge lets
 * the direct copy win even when it is over): staff who ended a feed's notice early expect
 * it to stay away until the feed's own end, not to come back at the next unrelated write. */
static bool store_keep(const struct feed_announcement *a, int64_t now, const struct ann_list *feed)
{
    const struct feed_announcement *f;

    if (!store_ended(a, now)) {
        return true;
    }
    f = ann_list_find(feed, a->id);
    if (!f) {
        return false;
    }
    return (f->until_cleared && f->level == ANN_LEVEL_EMERGENCY) || f->ends_at > now;
}

/* A copy of `src` without the entries that have ended at `now` (but for those that still
 * hide one of `feed`, which may be NULL) and without `skip_id`. NULL when memory runs out. */
static struct ann_list *store_copy_live(const struct ann_list *src, int64_t now,
                                        const char *skip_id, const struct ann_list *feed)
{
    struct ann_list *dst = ann_list_create();
    if (!dst) {
        return NULL;
    }
    for (size_t i = 0; src && i < ann_list_count(src); i++) {
        const struct feed_announcement *a = ann_list_at(src, i);
        if (!store_keep(a, now, feed) || (skip_id && strcmp(a->id, skip_id) == 0)) {
            continue;
        }
        if (ann_list_put(dst, a) < 0) {
            ann_list_free(dst);
            return NULL;
        }
    }
    return dst;
}

/* store_copy_live of the current list with the feed as last given. Writer thread. */
static struct ann_list *store_next(struct admin_store *s, int64_t now, const char *skip_id)
{
    struct ann_list *next;
    pthread_mutex_lock(&s->lock);
    next = store_copy_live(s->list, now, skip_id, s->feed);
    pthread_mutex_unlock(&s->lock);
    return next;
}

static int store_save(const struct admin_store *s, const struct ann_list *l)
{
    int rc = -ENOMEM;
    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = NULL;
    if (!root || !cJSON_AddNumberToObject(root, "version", 1)) {
        goto out;
    }
    arr = cJSON_AddArrayToObject(root, "announcements");
    if (!arr) {
        goto out;
    }
    for (size_t i = 0; i < ann_list_count(l); i++) {
        cJSON *item = ann_to_json(ann_list_at(l, i));
        if (!item) {
            goto out;
        }
        cJSON_AddItemToArray(arr, item);
    }
    text = cJSON_Print(root);
    if (!text) {
        goto out;
    }
    rc = fsio_write_atomic(s->path, text, strlen(text), true);
    if (rc < 0) {
        LOG_ERROR("admin", "cannot write %s: %s", s->path, strerror(-rc));
    }
out:
    free(text);
    cJSON_Delete(root);
    return rc;
}

/* Parses one store file into `out`. Returns 0, or -1 when the file is unusable as a whole
 * (missing: -ENOENT) with the reason in err. Bad entries are dropped with a log line. */
static int store_load_file(const char *path, int64_t now, const struct ann_list *feed,
                           struct ann_list *out, char *err, size_t errlen)
{
    int rc;
    char *data = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    const cJSON *arr, *ver, *item;
    size_t kept = 0, dropped = 0, ended = 0;

    rc = fsio_read_file(path, ADMIN_STORE_MAX_BYTES, &data, &len);
    if (rc < 0) {
        snprintf(err, errlen, "%s", fsio_strerror(rc));
        goto out;
    }
    rc = -1;
    if (!utf8_valid(data, len)) {
        snprintf(err, errlen, "not valid UTF-8");
        goto out;
    }
    root = json_strict_parse(data, len, NULL, err, errlen);
    if (!root) {
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        snprintf(err, errlen, "not a JSON object");
        goto out;
    }
    ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != 1) {
        snprintf(err, errlen, "version is not 1");
        goto out;
    }
    arr = cJSON_GetObjectItemCaseSensitive(root, "announcements");
    if (!cJSON_IsArray(arr)) {
        snprintf(err, errlen, "announcements is not an array");
        goto out;
    }
    cJSON_ArrayForEach(item, arr)
    {
        struct feed_announcement a;
        char why[200];
        memset(&a, 0, sizeof a);
        if (ann_from_stored_json(item, now, &a, why, sizeof why) < 0) {
            LOG_WARN("admin", "%s: dropping a stored announcement: %s", path, why);
            dropped++;
            continue;
        }
        if (!ann_id_valid(a.id)) {
            LOG_WARN("admin", "%s: dropping a stored announcement with an invalid id", path);
            dropped++;
        } else if (!store_keep(&a, now, feed)) {
            LOG_INFO("admin", "%s: announcement %s has ended; not restored", path, a.id);
            ended++;
        } else if (kept >= ADMIN_STORE_MAX) {
            LOG_WARN("admin", "%s: more than %d announcements; dropping %s", path, ADMIN_STORE_MAX,
                     a.id);
            dropped++;
        } else {
            a.source = ANN_SOURCE_DIRECT;
            if (ann_list_put(out, &a) < 0) {
                ann_clear(&a);
                snprintf(err, errlen, "out of memory");
                goto out;
            }
            kept++;
        }
        ann_clear(&a);
    }
    LOG_INFO("admin", "%s: restored %zu announcements (%zu ended, %zu dropped)", path, kept, ended,
             dropped);
    rc = 0;
out:
    cJSON_Delete(root);
    free(data);
    return rc;
}

struct admin_store *admin_store_open(const char *state_dir, int64_t now,
                                     const struct ann_list *feed, char *err, size_t errlen)
{
    struct admin_store *s = NULL;
    struct ann_list *list = NULL;
    char why[256], prev[PATH_MAX + 8];
    int rc;

    if (err && errlen) {
        err[0] = '\0';
    }
    if (!state_dir || !state_dir[0]) {
        snprintf(err, errlen, "state_dir is empty");
        return NULL;
    }
    rc = fsio_mkdirs(state_dir);
    if (rc < 0) {
        snprintf(err, errlen, "cannot create state_dir %s: %s", state_dir, strerror(-rc));
        return NULL;
    }
    s = calloc(1, sizeof *s);
    if (!s || pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (snprintf(s->path, sizeof s->path, "%s/%s", state_dir, ADMIN_STORE_FILE) >=
        (int)sizeof s->path) {
        snprintf(err, errlen, "state_dir path is too long");
        goto fail;
    }
    if (feed && admin_store_set_feed(s, feed) < 0) {
        goto oom;
    }
    /* Writes killed before their rename leave temp files; nothing writes the store yet. */
    if (fsio_remove_stale_temps(s->path) > 0) {
        LOG_INFO("admin", "removed temp files of interrupted writes of %s", s->path);
    }
    list = ann_list_create();
    if (!list) {
        goto oom;
    }
    rc = store_load_file(s->path, now, feed, list, why, sizeof why);
    if (rc == -ENOENT) {
        LOG_INFO("admin", "%s does not exist yet: no direct announcements", s->path);
    } else if (rc < 0) {
        /* The main file is unusable: the previous copy is complete by construction. */
        LOG_ERROR("admin", "%s is unusable (%s); trying the previous copy", s->path, why);
        ann_list_free(list);
        list = ann_list_create();
        if (!list) {
            goto oom;
        }
        snprintf(prev, sizeof prev, "%s.prev", s->path);
        rc = store_load_file(prev, now, feed, list, why, sizeof why);
        if (rc < 0) {
            LOG_ERROR("admin",
                      "%s is unusable too (%s); starting with no direct "
                      "announcements",
                      prev, why);
            ann_list_free(list);
            list = ann_list_create();
            if (!list) {
                goto oom;
            }
        }
    }
    s->list = list;
    return s;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    ann_list_free(list);
    ann_list_free(s->feed);
    pthread_mutex_destroy(&s->lock);
    free(s);
    return NULL;
}

void admin_store_free(struct admin_store *s)
{
    if (!s) {
        return;
    }
    ann_list_free(s->list);
    ann_list_free(s->feed);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int admin_store_set_feed(struct admin_store *s, const struct ann_list *feed)
{
    struct ann_list *copy = ann_list_create(), *old;
    for (size_t i = 0; copy && i < ann_list_count(feed); i++) {
        if (ann_list_put(copy, ann_list_at(feed, i)) < 0) {
            ann_list_free(copy);
            copy = NULL;
        }
    }
    if (!copy) {
        return -ENOMEM;
    }
    pthread_mutex_lock(&s->lock);
    old = s->feed;
    s->feed = copy;
    pthread_mutex_unlock(&s->lock);
    ann_list_free(old);
    return 0;
}

static void store_swap(struct admin_store *s, struct ann_list *list)
{
    struct ann_list *old;
    pthread_mutex_lock(&s->lock);
    old = s->list;
    s->list = list;
    pthread_mutex_unlock(&s->lock);
    ann_list_free(old);
}

enum admin_store_result admin_store_put(struct admin_store *s, const struct feed_announcement *a,
                                        int64_t now, bool *replaced, int *sys_err)
{
    struct feed_announcement copy = *a;
    struct ann_list *next;
    bool had;
    int rc;

    if (!ann_id_valid(a->id)) {
        rc = -EINVAL;
        goto fail;
    }
    had = ann_list_find(s->list, a->id);
    next = store_next(s, now, a->id);
    if (!next) {
        rc = -ENOMEM;
        goto fail;
    }
    if (ann_list_count(next) >= ADMIN_STORE_MAX) {
        ann_list_free(next);
        return ADMIN_STORE_FULL;
    }
    copy.source = ANN_SOURCE_DIRECT;
    rc = ann_list_put(next, &copy);
    if (rc == 0) {
        rc = store_save(s, next);
    }
    if (rc < 0) {
        ann_list_free(next);
        goto fail;
    }
    store_swap(s, next);
    if (replaced) {
        *replaced = had;
    }
    return ADMIN_STORE_OK;
fail:
    if (sys_err) {
        *sys_err = -rc;
    }
    /* ann_list_put fails only for memory; store_save also for the write itself */
    if (rc == -EINVAL) {
        return ADMIN_STORE_INVALID;
    }
    return rc == -ENOMEM ? ADMIN_STORE_NOMEM : ADMIN_STORE_WRITE_FAILED;
}

int admin_store_remove(struct admin_store *s, const char *id, int64_t now)
{
    struct ann_list *next;
    int rc;

    if (!ann_id_valid(id) || !ann_list_find(s->list, id)) {
        return -ENOENT;
    }
    next = store_next(s, now, id);
    if (!next) {
        return -ENOMEM;
    }
    rc = store_save(s, next);
    if (rc < 0) {
        ann_list_free(next);
        return rc;
    }
    store_swap(s, next);
    return 0;
}

int admin_store_hide(struct admin_store *s, const char *id, int64_t now)
{
    struct feed_announcement copy;
    const struct feed_announcement *fa;
    enum admin_store_result res = ADMIN_STORE_NOMEM;
    int rc = -ENOENT;

    if (!ann_id_valid(id)) {
        return -ENOENT;
    }
    memset(&copy, 0, sizeof copy);
    /* copied under the lock: the app may replace the feed's list at any time */
    pthread_mutex_lock(&s->lock);
    fa = s->feed ? ann_list_find(s->feed, id) : NULL;
    if (fa && !store_ended(fa, now)) {
        /* its texts in every language it has (the list says what was taken down), without
         * the targets and author that were the feed's */
        struct feed_announcement src = *fa;
        src.n_targets = 0;
        src.targets = NULL;
        src.created_by = NULL;
        rc = ann_copy(&copy, &src);
    }
    pthread_mutex_unlock(&s->lock);
    if (rc < 0) {
        goto out;
    }
    /* an entry that ended just now: it shows nothing and hides the feed's copy (ann_merge)
     * for as long as that one has not ended */
    copy.starts_at = now - 1;
    copy.ends_at = now;
    copy.until_cleared = false;
    res = admin_store_put(s, &copy, now, NULL, NULL);
    rc = res == ADMIN_STORE_OK ? 0 : res == ADMIN_STORE_NOMEM ? -ENOMEM : -EIO;
out:
    ann_clear(&copy);
    return rc;
}

const struct ann_list *admin_store_list(const struct admin_store *s)
{
    return s->list;
}

struct ann_list *admin_store_copy(struct admin_store *s)
{
    struct ann_list *copy;
    pthread_mutex_lock(&s->lock);
    copy = store_copy_live(s->list, INT64_MIN, NULL, NULL);
    pthread_mutex_unlock(&s->lock);
    return copy;
}

const char *admin_store_path(const struct admin_store *s)
{
    return s->path;
}
