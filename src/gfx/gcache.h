/* gcache: a byte- and count-bounded LRU map from byte-string keys to owned values.
 *
 * gfx keeps laid-out text, line textures and QR textures in these. A put that goes over
 * either bound evicts the least recently used entries (never the one just put), calling
 * the destructor given at creation. Not thread-safe: gfx is main-thread only. */
#ifndef KIOSK_GFX_GCACHE_H
#define KIOSK_GFX_GCACHE_H

#include <stddef.h>

struct gcache;

typedef void (*gcache_free_fn)(void *value);

/* NULL on allocation failure. max_entries also sizes the hash table. */
struct gcache *gcache_create(size_t max_bytes, size_t max_entries, gcache_free_fn free_value);

/* Frees every value and the cache. Accepts NULL. */
void gcache_free(struct gcache *c);

/* The value stored under key, marked most recently used, or NULL. The pointer stays valid
 * until the next put, set_limit or free of this cache. */
void *gcache_get(struct gcache *c, const void *key, size_t klen);

/* Stores value under key, replacing (and freeing) an older value. `bytes` is what the value
 * holds. The cache owns value from now on, even on failure (-1: no memory; value freed). */
int gcache_put(struct gcache *c, const void *key, size_t klen, void *value, size_t bytes);

/* Changes the byte bound, evicting at once down to it. */
void gcache_set_limit(struct gcache *c, size_t max_bytes);

/* Bytes accounted (values plus keys and bookkeeping) and entries held. */
size_t gcache_bytes(const struct gcache *c);
size_t gcache_count(const struct gcache *c);

#endif
