/* safety_hold: the held list, the seen entries and the acknowledged reports (safety_hold.h). */
#include "feed/safety_hold.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/timeutil.h"

struct ack {
    char *id;
    int64_t starts_at; /* the report staff saw */
};

struct safety_hold {
    struct ann_list *held;
    char *seen[SAFETY_SEEN_MAX]; /* a ring */
    size_t seen_next;
    struct ack acks[SAFETY_ACK_MAX]; /* a ring */
    size_t ack_next;
};

struct safety_hold *safety_hold_create(void)
{
    struct safety_hold *h = calloc(1, sizeof *h);
    if (!h) {
        return NULL;
    }
    h->held = ann_list_create();
    if (!h->held) {
        free(h);
        return NULL;
    }
    return h;
}

void safety_hold_free(struct safety_hold *h)
{
    if (!h) {
        return;
    }
    ann_list_free(h->held);
    for (size_t i = 0; i < SAFETY_SEEN_MAX; i++) {
        free(h->seen[i]);
    }
    for (size_t i = 0; i < SAFETY_ACK_MAX; i++) {
        free(h->acks[i].id);
    }
    free(h);
}

static bool acknowledged(const struct safety_hold *h, const struct feed_announcement *a)
{
    for (size_t i = 0; i < SAFETY_ACK_MAX; i++) {
        if (h->acks[i].id && strcmp(h->acks[i].id, a->id) == 0 &&
            h->acks[i].starts_at == a->starts_at) {
            return true;
        }
    }
    return false;
}

static bool same_announcement(const struct feed_announcement *a, const struct feed_announcement *b)
{
    return a->level == b->level && a->starts_at == b->starts_at && a->ends_at == b->ends_at &&
           ann_text_equal(&a->text, &b->text);
}

int safety_hold_apply(struct safety_hold *h, const struct safety_update *u)
{
    int changed = 0;
    for (size_t i = 0; i < u->n_clear; i++) {
        if (ann_list_remove(h->held, u->clear[i]) == 0) {
            changed = 1;
        }
    }
    for (size_t i = 0; i < ann_list_count(u->show); i++) {
        const struct feed_announcement *a = ann_list_at(u->show, i);
        const struct feed_announcement *old = ann_list_find(h->held, a->id);
        if (acknowledged(h, a) || (old && same_announcement(old, a))) {
            continue;
        }
        if (ann_list_put(h->held, a) != 0) {
            return -ENOMEM;
        }
        changed = 1;
    }
    return changed;
}

int safety_hold_ack(struct safety_hold *h, const char *id)
{
    const struct feed_announcement *a = ann_list_find(h->held, id);
    struct ack *slot;
    char *copy;
    if (!a) {
        return -ENOENT;
    }
    copy = strdup(id);
    if (!copy) {
        return -ENOMEM;
    }
    slot = &h->acks[h->ack_next];
    free(slot->id);
    slot->id = copy;
    slot->starts_at = a->starts_at;
    h->ack_next = (h->ack_next + 1) % SAFETY_ACK_MAX;
    return ann_list_remove(h->held, id);
}

bool safety_hold_prune(struct safety_hold *h, int64_t now)
{
    bool dropped = false;
    size_t i = 0;
    while (i < ann_list_count(h->held)) {
        const struct feed_announcement *a = ann_list_at(h->held, i);
        if (!a->until_cleared && a->ends_at <= now) {
            (void)ann_list_remove(h->held, a->id);
            dropped = true;
        } else {
            i++;
        }
    }
    return dropped;
}

const struct ann_list *safety_hold_list(const struct safety_hold *h)
{
    return h->held;
}

bool safety_hold_seen(const struct safety_hold *h, const char *entry_id)
{
    for (size_t i = 0; i < SAFETY_SEEN_MAX; i++) {
        if (h->seen[i] && strcmp(h->seen[i], entry_id) == 0) {
            return true;
        }
    }
    return false;
}

int safety_hold_mark_seen(struct safety_hold *h, const char *entry_id)
{
    char *copy;
    if (safety_hold_seen(h, entry_id)) {
        return 0;
    }
    copy = strdup(entry_id);
    if (!copy) {
        return -ENOMEM;
    }
    free(h->seen[h->seen_next]);
    h->seen[h->seen_next] = copy;
    h->seen_next = (h->seen_next + 1) % SAFETY_SEEN_MAX;
    return 0;
}

char *safety_hold_to_json(const struct safety_hold *h, int64_t now)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr;
    char ts[40];
    char *out = NULL;

    timeutil_format_iso8601(now, ts, sizeof ts);
    if (!doc || !cJSON_AddNumberToObject(doc, "version", 1) ||
        !cJSON_AddStringToObject(doc, "generated_at", ts)) {
        goto out;
    }
    arr = cJSON_AddArrayToObject(doc, "announcements");
    if (!arr) {
        goto out;
    }
    for (size_t i = 0; i < ann_list_count(h->held); i++) {
        cJSON *o = ann_to_json(ann_list_at(h->held, i));
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto out;
        }
    }
    out = cJSON_PrintUnformatted(doc);
out:
    cJSON_Delete(doc);
    return out;
}

int safety_hold_load_json(struct safety_hold *h, const char *data, size_t len, int64_t now)
{
    char err[160];
    struct feed *f = feed_parse_announcements(data, len, NULL, err, sizeof err);
    struct ann_list *l;
    int rc = 0;

    if (!f) {
        return -EINVAL;
    }
    l = ann_list_create();
    if (!l) {
        feed_free(f);
        return -ENOMEM;
    }
    for (size_t i = 0; i < feed_announcement_count(f) && rc == 0; i++) {
        const struct feed_announcement *a = feed_announcement_at(f, i);
        if (a->until_cleared || a->ends_at > now) {
            rc = ann_list_put(l, a);
        }
    }
    feed_free(f);
    if (rc != 0) {
        ann_list_free(l);
        return rc;
    }
    ann_list_free(h->held);
    h->held = l;
    return 0;
}
