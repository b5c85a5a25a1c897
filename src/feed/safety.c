/* safety: the update the readers hand over, and how it is played onto a held list. */
#include "feed/safety.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

int safety_update_init(struct safety_update *u)
{
    memset(u, 0, sizeof *u);
    u->show = ann_list_create();
    return u->show ? 0 : -ENOMEM;
}

void safety_update_free(struct safety_update *u)
{
    ann_list_free(u->show);
    for (size_t i = 0; i < u->n_clear; i++) {
        free(u->clear[i]);
    }
    memset(u, 0, sizeof *u);
}

int safety_update_add_clear(struct safety_update *u, const char *id)
{
    if (u->n_clear >= SAFETY_MAX_CLEAR) {
        return -E2BIG;
    }
    u->clear[u->n_clear] = strdup(id);
    if (!u->clear[u->n_clear]) {
        return -ENOMEM;
    }
    u->n_clear++;
    return 0;
}

bool safety_update_empty(const struct safety_update *u)
{
    return u->n_clear == 0 && ann_list_count(u->show) == 0;
}

int safety_update_apply(const struct safety_update *u, struct ann_list *held)
{
    for (size_t i = 0; i < u->n_clear; i++) {
        (void)ann_list_remove(held, u->clear[i]);
    }
    for (size_t i = 0; i < ann_list_count(u->show); i++) {
        int rc = ann_list_put(held, ann_list_at(u->show, i));
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

void safety_hash_hex(const char *s, char *out)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= UINT64_C(1099511628211);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

void safety_format_time(int64_t t, char *buf, size_t len)
{
    struct time_parts tp;
    timeutil_local(t, &tp);
    snprintf(buf, len, "%d月%d日 %d時%02d分", tp.month, tp.day, tp.hour, tp.minute);
}
