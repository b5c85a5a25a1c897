/* cache: see cache.h. Bodies are stored verbatim so an operator can read them and so the
 * digest in the metadata binds validators and signature to exactly those bytes: after a
 * power cut between writing the body and its metadata the two simply stop matching, and
 * the body is used without validators rather than trusted with someone else's ETag. */
#include "cache/cache.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/sigcheck.h"
#include "util/fsio.h"
#include "feed/import.h"
#include "util/log.h"

#define CACHE_META_MAGIC "kiosk-cache-meta 1"
#define CACHE_META_MAX 4096
#define CACHE_PATH_MAX 4096

const char *cache_doc_name(enum cache_doc doc)
{
    static const char *const sources[CACHE_MAX_SOURCES] = {
        "feed",      "source-1",  "source-2",  "source-3",  "source-4",  "source-5",
        "source-6",  "source-7",  "source-8",  "source-9",  "source-10", "source-11",
        "source-12", "source-13", "source-14", "source-15",
    };
    size_t slot;

    if (doc == CACHE_DOC_ANNOUNCEMENTS) {
        return "announcements";
    }
    slot = cache_doc_slot(doc);
    return slot < CACHE_MAX_SOURCES ? sources[slot] : "feed";
}

enum cache_doc cache_doc_source(size_t slot)
{
    return slot == 0 ? CACHE_DOC_FEED : (enum cache_doc)(CACHE_DOC_ANNOUNCEMENTS + slot);
}

size_t cache_doc_slot(enum cache_doc doc)
{
    return doc == CACHE_DOC_FEED ? 0 : (size_t)doc - (size_t)CACHE_DOC_ANNOUNCEMENTS;
}

void cache_digest(const void *data, size_t len, char out[CACHE_DIGEST_LEN])
{
    unsigned char h[16];

    (void)sigcheck_init();
    crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
    sodium_bin2hex(out, CACHE_DIGEST_LEN, h, sizeof h);
}

static int cache_path(char *buf, size_t len, const char *dir, enum cache_doc doc,
                      const char *suffix)
{
    int n = snprintf(buf, len, "%s/%s%s", dir, cache_doc_name(doc), suffix);
    return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

/* A header value goes on one line of the metadata file; one that cannot is dropped, which
 * only costs a conditional GET. */
static bool cache_value_ok(const char *v)
{
    for (; *v; v++) {
        if ((unsigned char)*v < 0x20 || *v == 0x7f) {
            return false;
        }
    }
    return true;
}

static void cache_set_field(char *dst, size_t dstlen, const char *src)
{
    size_t n = strlen(src);
    if (n >= dstlen) {
        dst[0] = '\0';
        return;
    }
    memcpy(dst, src, n + 1);
    if (!cache_value_ok(dst)) {
        dst[0] = '\0';
    }
}

static int cache_parse_meta(const char *text, struct cache_meta *m)
{
    const char *line = text;
    bool first = true;

    memset(m, 0, sizeof *m);
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char buf[512];
        char *sp;

        if (n >= sizeof buf) {
            return -EINVAL;
        }
        memcpy(buf, line, n);
        buf[n] = '\0';
        line = nl ? nl + 1 : line + n;
        if (first) {
            if (strcmp(buf, CACHE_META_MAGIC) != 0) {
                return -EINVAL;
            }
            first = false;
            continue;
        }
        sp = strchr(buf, ' ');
        if (!sp) {
            continue;
        }
        *sp++ = '\0';
        if (strcmp(buf, "digest") == 0) {
            cache_set_field(m->digest, sizeof m->digest, sp);
        } else if (strcmp(buf, "etag") == 0) {
            cache_set_field(m->etag, sizeof m->etag, sp);
        } else if (strcmp(buf, "last_modified") == 0) {
            cache_set_field(m->last_modified, sizeof m->last_modified, sp);
        } else if (strcmp(buf, "signature") == 0) {
            cache_set_field(m->signature, sizeof m->signature, sp);
        } else if (strcmp(buf, "fetched_at") == 0) {
            m->fetched_at = strtoll(sp, NULL, 10);
        }
    }
    if (first || strlen(m->digest) != CACHE_DIGEST_LEN - 1) {
        return -EINVAL;
    }
    return 0;
}

static int cache_read_meta(const char *path, struct cache_meta *m)
{
    char *text = NULL;
    size_t len = 0;
    int rc = fsio_read_file(path, CACHE_META_MAX, &text, &len);

    if (rc == 0) {
        rc = strlen(text) == len ? cache_parse_meta(text, m) : -EINVAL;
        free(text);
    }
    if (rc != 0) {
        memset(m, 0, sizeof *m);
    }
    return rc;
}

static int cache_write_meta(const char *path, const struct cache_meta *m, bool keep_previous)
{
    char text[CACHE_META_MAX];
    int n = snprintf(text, sizeof text,
                     CACHE_META_MAGIC "\n"
                                      "digest %s\n"
                                      "fetched_at %" PRId64 "\n"
                                      "etag %s\n"
                                      "last_modified %s\n"
                                      "signature %s\n",
                     m->digest, m->fetched_at, cache_value_ok(m->etag) ? m->etag : "",
                     cache_value_ok(m->last_modified) ? m->last_modified : "",
                     cache_value_ok(m->signature) ? m->signature : "");

    if (n < 0 || (size_t)n >= sizeof text) {
        return -EOVERFLOW;
    }
    return fsio_write_atomic(path, text, (size_t)n, keep_previous);
}

/* Keeps only the newest copy moved aside for `path` (for a person to look at): a feed that
 * arrives corrupt every day must not fill the disk over months. */
static void cache_prune_aside(const char *path, const char *keep)
{
    char dir[CACHE_PATH_MAX], prefix[CACHE_PATH_MAX], victim[CACHE_PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *keep_base = strrchr(keep, '/') ? strrchr(keep, '/') + 1 : keep;
    int n = slash ? snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path)
                  : snprintf(dir, sizeof dir, ".");
    int m = snprintf(prefix, sizeof prefix, "%s.corrupt-", base);
    if (n < 0 || (size_t)n >= sizeof dir || m < 0 || (size_t)m >= sizeof prefix) {
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, (size_t)m) != 0 || strcmp(e->d_name, keep_base) == 0) {
            continue;
        }
        if (snprintf(victim, sizeof victim, "%s/%s", dir, e->d_name) < (int)sizeof victim &&
            unlink(victim) == 0) {
            LOG_INFO("cache", "removed the older copy %s", victim);
        }
    }
    closedir(d);
}

static void cache_move_aside(const char *path, const struct kclock *clock)
{
    char aside[CACHE_PATH_MAX];
    int64_t now = clock ? kclock_now(clock) : (int64_t)time(NULL);
    int n = snprintf(aside, sizeof aside, "%s.corrupt-%" PRId64, path, now);

    if (n < 0 || (size_t)n >= sizeof aside || rename(path, aside) != 0) {
        LOG_WARN("cache", "cannot move %s aside: %s", path, strerror(errno));
        return;
    }
    LOG_WARN("cache", "moved %s aside to %s", path, aside);
    cache_prune_aside(path, aside);
}

/* After falling back to `.prev`, makes it the current copy again: otherwise the next
 * store's keep_previous would unlink `.prev` while no current copy exists, and a power cut
 * right then would leave nothing. Best effort: a read-only disk just logs. */
static void cache_restore_current(const char *state_dir, enum cache_doc doc, const char *body,
                                  size_t len, const struct cache_meta *meta)
{
    char path[CACHE_PATH_MAX];
    int rc = cache_path(path, sizeof path, state_dir, doc, ".json");

    if (rc == 0) {
        rc = fsio_write_atomic(path, body, len, false);
    }
    if (rc == 0 && meta) {
        rc = cache_path(path, sizeof path, state_dir, doc, ".meta");
        if (rc == 0) {
            rc = cache_write_meta(path, meta, false);
        }
    }
    if (rc != 0) {
        LOG_WARN("cache", "cannot restore %s from its previous copy: %s", path, strerror(-rc));
    }
}

static struct feed *cache_parse(enum cache_doc doc, const char *data, size_t len,
                                const struct feed_limits *lim, const struct import_opts *o,
                                char *err, size_t errlen)
{
    if (doc == CACHE_DOC_ANNOUNCEMENTS) {
        return feed_parse_announcements(data, len, lim, err, errlen);
    }
    if (o) {
        return feed_import(data, len, o, lim, NULL, err, errlen);
    }
    return feed_parse(data, len, lim, err, errlen);
}

static int cache_load_any(const char *state_dir, enum cache_doc doc, const struct feed_limits *lim,
                          const struct import_opts *o, const char *const *keys, size_t n_keys,
                          const struct kclock *clock, struct feed **out, struct cache_meta *meta)
{
    static const char *const body_suffix[2] = {".json", ".json.prev"};
    static const char *const meta_suffix[2] = {".meta", ".meta.prev"};
    struct cache_meta metas[2];
    bool have_meta[2] = {false, false};
    char path[CACHE_PATH_MAX];
    const char *name = cache_doc_name(doc);
    int i, j;

    if (out) {
        *out = NULL;
    }
    if (meta) {
        memset(meta, 0, sizeof *meta);
    }
    if (!state_dir || !lim || !out || !meta || (n_keys > 0 && !keys)) {
        return -EINVAL;
    }

    /* Writes killed before their rename leave temp files; at load no writer runs yet. */
    for (j = 0; j < 2; j++) {
        if (cache_path(path, sizeof path, state_dir, doc, j ? ".meta" : ".json") == 0 &&
            fsio_remove_stale_temps(path) > 0) {
            LOG_INFO("cache", "removed temp files of interrupted writes of %s", path);
        }
    }
    for (j = 0; j < 2; j++) {
        if (cache_path(path, sizeof path, state_dir, doc, meta_suffix[j]) == 0) {
            have_meta[j] = cache_read_meta(path, &metas[j]) == 0;
        }
    }

    for (i = 0; i < 2; i++) {
        char *buf = NULL;
        size_t len = 0;
        char err[256] = "";
        char digest[CACHE_DIGEST_LEN];
        struct feed *f;
        int match = -1;
        int rc;

        if (cache_path(path, sizeof path, state_dir, doc, body_suffix[i]) != 0) {
            return -EINVAL;
        }
        rc = fsio_read_file(path, lim->max_bytes, &buf, &len);
        if (rc == -ENOENT || rc == -ENOTDIR) { /* nothing cached (or no state dir) */
            continue;
        }
        if (rc != 0) {
            LOG_WARN("cache", "cannot read %s: %s", path, fsio_strerror(rc));
            cache_move_aside(path, clock);
            continue;
        }
        f = cache_parse(doc, buf, len, lim, o, err, sizeof err);
        if (!f) {
            LOG_WARN("cache", "%s is corrupt: %s", path, err);
            free(buf);
            cache_move_aside(path, clock);
            continue;
        }
        cache_digest(buf, len, digest);
        for (j = 0; j < 2 && match < 0; j++) {
            if (have_meta[j] && strcmp(metas[j].digest, digest) == 0) {
                match = j;
            }
        }
        if (doc == CACHE_DOC_ANNOUNCEMENTS && n_keys > 0) {
            const char *sig = match >= 0 ? metas[match].signature : "";
            rc = sigcheck_verify(buf, len, sig, strlen(sig), keys, n_keys, err, sizeof err);
            if (rc != 0) {
                LOG_WARN("cache", "%s not used: %s", path, sig[0] ? err : "no stored signature");
                feed_free(f);
                free(buf);
                continue;
            }
        }
        if (match >= 0) {
            *meta = metas[match];
        } else {
            /* Validators of another body would make a 304 confirm content we do not have. */
            memcpy(meta->digest, digest, sizeof digest);
        }
        if (i == 1) {
            cache_restore_current(state_dir, doc, buf, len, match >= 0 ? meta : NULL);
        }
        LOG_INFO("cache", "loaded %s (%zu bytes%s%s)", path, len,
                 match >= 0 ? "" : ", no matching metadata",
                 meta->etag[0] || meta->last_modified[0] ? ", with validators" : "");
        free(buf);
        *out = f;
        return 0;
    }
    LOG_INFO("cache", "no usable cached %s in %s", name, state_dir);
    return -ENOENT;
}

int cache_load(const char *state_dir, enum cache_doc doc, const struct feed_limits *lim,
               const char *const *keys, size_t n_keys, const struct kclock *clock,
               struct feed **out, struct cache_meta *meta)
{
    return cache_load_any(state_dir, doc, lim, NULL, keys, n_keys, clock, out, meta);
}

int cache_load_source(const char *state_dir, size_t slot, const struct feed_limits *lim,
                      const struct import_opts *o, const struct kclock *clock, struct feed **out,
                      struct cache_meta *meta)
{
    if (slot >= CACHE_MAX_SOURCES) {
        return -EINVAL;
    }
    return cache_load_any(state_dir, cache_doc_source(slot), lim, o, NULL, 0, clock, out, meta);
}

int cache_store(const char *state_dir, enum cache_doc doc, const void *body, size_t len,
                struct cache_meta *meta)
{
    char path[CACHE_PATH_MAX];
    int rc;

    if (!state_dir || !body || !meta) {
        return -EINVAL;
    }
    cache_digest(body, len, meta->digest);
    rc = fsio_mkdirs(state_dir);
    if (rc != 0) {
        LOG_WARN("cache", "cannot create %s: %s", state_dir, strerror(-rc));
        return rc;
    }
    rc = cache_path(path, sizeof path, state_dir, doc, ".json");
    if (rc == 0) {
        rc = fsio_write_atomic(path, body, len, true);
    }
    if (rc != 0) {
        LOG_WARN("cache", "cannot write %s: %s; keeping the feed in memory only", path,
                 strerror(-rc));
        return rc;
    }
    rc = cache_path(path, sizeof path, state_dir, doc, ".meta");
    if (rc == 0) {
        rc = cache_write_meta(path, meta, true);
    }
    if (rc != 0) {
        LOG_WARN("cache", "cannot write %s: %s", path, strerror(-rc));
        return rc;
    }
    return 0;
}

int cache_touch(const char *state_dir, enum cache_doc doc, const struct cache_meta *meta)
{
    char path[CACHE_PATH_MAX];
    int rc;

    if (!state_dir || !meta || !meta->digest[0]) {
        return -EINVAL;
    }
    rc = cache_path(path, sizeof path, state_dir, doc, ".meta");
    /* No .prev here: the old metadata may be the only match for the body's .prev copy. */
    if (rc == 0) {
        rc = cache_write_meta(path, meta, false);
    }
    if (rc != 0) {
        LOG_WARN("cache", "cannot write %s: %s", path, strerror(-rc));
    }
    return rc;
}
