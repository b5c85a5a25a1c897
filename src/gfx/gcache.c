/* gcache: chained hash table (FNV-1a) plus a doubly linked LRU list.
 *
 * The table has a fixed power-of-two bucket count chosen from max_entries, so it never
 * rehashes; the count bound keeps chains short. */
#include "gfx/gcache.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct gcache_entry {
    struct gcache_entry *chain; /* next in bucket */
    struct gcache_entry *newer, *older;
    uint64_t hash;
    void *value;
    size_t bytes; /* value bytes plus this entry */
    size_t klen;
    unsigned char key[];
};

struct gcache {
    struct gcache_entry **buckets;
    size_t n_buckets; /* power of two */
    struct gcache_entry *newest, *oldest;
    size_t bytes, count;
    size_t max_bytes, max_entries;
    gcache_free_fn free_value;
};

static uint64_t hash_key(const void *key, size_t klen)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ull;
    size_t i;

    for (i = 0; i < klen; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

struct gcache *gcache_create(size_t max_bytes, size_t max_entries, gcache_free_fn free_value)
{
    struct gcache *c = calloc(1, sizeof *c);
    size_t n = 16;

    if (!c) {
        return NULL;
    }
    if (max_entries < 1) {
        max_entries = 1;
    }
    while (n < max_entries && n < ((size_t)1 << 20)) {
        n <<= 1;
    }
    c->buckets = calloc(n, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    c->n_buckets = n;
    c->max_bytes = max_bytes;
    c->max_entries = max_entries;
    c->free_value = free_value;
    return c;
}

static void unlink_lru(struct gcache *c, struct gcache_entry *e)
{
    if (e->newer) {
        e->newer->older = e->older;
    } else {
        c->newest = e->older;
    }
    if (e->older) {
        e->older->newer = e->newer;
    } else {
        c->oldest = e->newer;
    }
    e->newer = e->older = NULL;
}

static void link_newest(struct gcache *c, struct gcache_entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest) {
        c->newest->newer = e;
    }
    c->newest = e;
    if (!c->oldest) {
        c->oldest = e;
    }
}

static void remove_entry(struct gcache *c, struct gcache_entry *e)
{
    struct gcache_entry **pp = &c->buckets[e->hash & (c->n_buckets - 1)];

    while (*pp && *pp != e) {
        pp = &(*pp)->chain;
    }
    if (*pp) {
        *pp = e->chain;
    }
    unlink_lru(c, e);
    c->bytes -= e->bytes;
    c->count--;
    if (c->free_value) {
        c->free_value(e->value);
    }
    free(e);
}

static struct gcache_entry *find(const struct gcache *c, const void *key, size_t klen, uint64_t h)
{
    struct gcache_entry *e = c->buckets[h & (c->n_buckets - 1)];

    for (; e; e = e->chain) {
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            return e;
        }
    }
    return NULL;
}

/* Evicts from the old end, sparing `keep`, until both bounds hold. */
static void evict(struct gcache *c, const struct gcache_entry *keep)
{
    while ((c->bytes > c->max_bytes || c->count > c->max_entries) && c->oldest) {
        struct gcache_entry *victim = c->oldest;

        if (victim == keep) {
            victim = victim->newer;
            if (!victim) {
                break;
            }
        }
        remove_entry(c, victim);
    }
}

void gcache_free(struct gcache *c)
{
    if (!c) {
        return;
    }
    while (c->oldest) {
        remove_entry(c, c->oldest);
    }
    free(c->buckets);
    free(c);
}

void *gcache_get(struct gcache *c, const void *key, size_t klen)
{
    struct gcache_entry *e = find(c, key, klen, hash_key(key, klen));

    if (!e) {
        return NULL;
    }
    if (c->newest != e) {
        unlink_lru(c, e);
        link_newest(c, e);
    }
    return e->value;
}

int gcache_put(struct gcache *c, const void *key, size_t klen, void *value, size_t bytes)
{
    uint64_t h = hash_key(key, klen);
    struct gcache_entry *e = find(c, key, klen, h);
    size_t b;

    if (e) {
        remove_entry(c, e);
    }
    e = malloc(sizeof *e + klen);
    if (!e) {
        if (c->free_value) {
            c->free_value(value);
        }
        return -1;
    }
    memcpy(e->key, key, klen);
    e->klen = klen;
    e->hash = h;
    e->value = value;
    b = bytes + sizeof *e + klen;
    e->bytes = b;
    e->chain = c->buckets[h & (c->n_buckets - 1)];
    c->buckets[h & (c->n_buckets - 1)] = e;
    link_newest(c, e);
    c->bytes += b;
    c->count++;
    evict(c, e);
    return 0;
}

void gcache_set_limit(struct gcache *c, size_t max_bytes)
{
    c->max_bytes = max_bytes;
    evict(c, NULL);
}

size_t gcache_bytes(const struct gcache *c)
{
    return c ? c->bytes : 0;
}

size_t gcache_count(const struct gcache *c)
{
    return c ? c->count : 0;
}
