/* sync_attempt: what one transfer of the fetch worker meant, and what is kept of it.
 *
 * An attempt is three steps in a row: the transfer (sync_xfer.c), the judge (HTTP status,
 * 304 and unchanged bodies, the detached signature of the announcements, the parse) and the
 * persist step (the cache store or touch, the metadata the next conditional request sends).
 * The judge writes nothing, so a body that fails any check never reaches the disk. The
 * schedule (backoff, the next due time) and the log line close the attempt. */
#include "net/sync_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/sigcheck.h"
#include "util/log.h"
#include "util/timeutil.h"

/* Puts a short reason for a failed transfer in buf and returns its class. */
static enum sync_fail sync_classify(const struct sync *s, const struct sync_xfer *x,
                                    long elapsed_ms, char *buf, size_t len)
{
    const char *eb = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->code);

    switch (x->code) {
    case CURLE_OPERATION_TIMEDOUT:
        if (strstr(eb, "too slow")) {
            snprintf(buf, len, "too slow: under %d B/s for %d s", s->low_speed_limit,
                     s->low_speed_time_s);
            return SYNC_FAIL_TOO_SLOW;
        }
        snprintf(buf, len, "timeout after %ld s", (elapsed_ms + 500) / 1000);
        return SYNC_FAIL_TIMEOUT;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (x->body_too_large || x->code == CURLE_FILESIZE_EXCEEDED) {
            snprintf(buf, len, "larger than %zu bytes", x->body.max);
            return SYNC_FAIL_TOO_LARGE;
        }
        break;
    case CURLE_PARTIAL_FILE:
        snprintf(buf, len, "truncated after %zu bytes", x->body.len);
        return SYNC_FAIL_TRUNCATED;
    case CURLE_RECV_ERROR:
        if (x->body.len > 0) {
            snprintf(buf, len, "truncated after %zu bytes: %.150s", x->body.len, eb);
            return SYNC_FAIL_TRUNCATED;
        }
        snprintf(buf, len, "%.150s", eb);
        return SYNC_FAIL_NETWORK;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        snprintf(buf, len, "TLS: %.150s", eb);
        return SYNC_FAIL_TLS;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_FILE_COULDNT_READ_FILE:
    case CURLE_URL_MALFORMAT:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        snprintf(buf, len, "%.150s", eb);
        return SYNC_FAIL_NETWORK;
    default:
        break;
    }
    snprintf(buf, len, "curl error %d: %.150s", (int)x->code, eb);
    return SYNC_FAIL_OTHER;
}

/* Fetches and checks the detached signature of an announcements body. 0 or a reason. */
static int sync_check_signature(struct sync *s, struct sync_docstate *d, const char *body,
                                size_t len, char *sig_out, size_t sig_outlen, char *why,
                                size_t whylen)
{
    struct sync_xfer x;
    char err[160];
    int rc = -EBADMSG;
    size_t a, b;

    memset(&x, 0, sizeof x);
    x.s = s;
    sync_transfer(s, d->sig_url, d->protocols, NULL, SYNC_SIG_MAX_BYTES, &x);
    if (x.stopped) {
        rc = -ECANCELED;
        goto out;
    }
    if (x.code != CURLE_OK) {
        char reason[200];
        sync_classify(s, &x, 0, reason, sizeof reason);
        snprintf(why, whylen, "signature not fetched: %.150s", reason);
        goto out;
    }
    if (x.status != 0 && x.status != 200) {
        snprintf(why, whylen, "unsigned: .sig gave HTTP %ld", x.status);
        goto out;
    }
    if (sigcheck_verify(body, len, x.body.data ? x.body.data : "", x.body.len,
                        (const char *const *)s->keys, s->n_keys, err, sizeof err) != 0) {
        snprintf(why, whylen, "bad signature: %s", err);
        goto out;
    }
    /* Keep the trimmed base64 so cache_load can verify the cached copy again. */
    for (a = 0; a < x.body.len && strchr(" \t\r\n", x.body.data[a]); a++) {
        ;
    }
    for (b = x.body.len; b > a && strchr(" \t\r\n", x.body.data[b - 1]); b--) {
        ;
    }
    if (b - a < sig_outlen) {
        memcpy(sig_out, x.body.data + a, b - a);
        sig_out[b - a] = '\0';
    }
    rc = 0;
out:
    sync_xfer_free(&x);
    return rc;
}

static void sync_update_validators(struct cache_meta *m, const struct sync_hdrs *h)
{
    if (h->etag[0]) {
        snprintf(m->etag, sizeof m->etag, "%s", h->etag);
    }
    if (h->last_modified[0]) {
        snprintf(m->last_modified, sizeof m->last_modified, "%s", h->last_modified);
    }
}

/* What a finished transfer meant, decided before anything is written. */
struct sync_judgement {
    int64_t retry_after; /* seconds from Retry-After, or -1 */
    char reason[200];    /* why it failed, for the log and r->message */
    char digest[CACHE_DIGEST_LEN];
    char sig[sizeof((struct cache_meta *)0)->signature];
    bool fresh;       /* a new body, checked and parsed: to be stored */
    bool store_again; /* the same bytes as held, but the disk refused them last time */
};

/* The judge step: what did this transfer mean (200/304/error, signature, parse)? Fills
 * r->ok, r->not_modified, r->fail, r->feed and r->http_status, and j; writes nothing.
 * 0, or -ECANCELED when stopped while fetching the signature. */
static int sync_judge(struct sync *s, struct sync_docstate *d, const struct sync_xfer *x,
                      int64_t t0, struct sync_result *r, struct sync_judgement *j)
{
    const bool ann = d->doc == CACHE_DOC_ANNOUNCEMENTS;

    r->http_status = x->status;
    if (x->h.retry_after[0] &&
        backoff_parse_retry_after(x->h.retry_after, kclock_now(&s->clock), &j->retry_after) != 0) {
        j->retry_after = -1;
    }

    if (x->code != CURLE_OK) {
        r->fail = sync_classify(s, x, (long)(sync_mono_ms() - t0), j->reason, sizeof j->reason);
    } else if (x->status == 304) {
        if (d->meta.digest[0]) {
            r->ok = true;
            r->not_modified = true;
        } else {
            r->fail = SYNC_FAIL_HTTP;
            snprintf(j->reason, sizeof j->reason, "HTTP 304 to an unconditional request");
        }
    } else if (x->status != 0 && x->status != 200) {
        r->fail = SYNC_FAIL_HTTP;
        if (j->retry_after >= 0) {
            snprintf(j->reason, sizeof j->reason, "HTTP %ld, Retry-After %" PRId64 " s", x->status,
                     j->retry_after);
        } else {
            snprintf(j->reason, sizeof j->reason, "HTTP %ld", x->status);
        }
    } else {
        const char *body = x->body.data ? x->body.data : "";
        cache_digest(body, x->body.len, j->digest);
        if (d->meta.digest[0] && strcmp(j->digest, d->meta.digest) == 0) {
            /* The same bytes as the content held: no parse, no cache write (flash wear),
             * unless the disk refused them last time. */
            r->ok = true;
            r->not_modified = true;
            j->store_again = d->unsaved;
        } else {
            char err[256] = "";
            if (ann && s->n_keys > 0) {
                int rc = sync_check_signature(s, d, body, x->body.len, j->sig, sizeof j->sig,
                                              j->reason, sizeof j->reason);
                if (rc == -ECANCELED) {
                    return rc;
                }
                if (rc != 0) {
                    r->fail = SYNC_FAIL_SIGNATURE;
                }
            }
            if (r->fail == SYNC_FAIL_NONE) {
                enum import_format fmt = IMPORT_FORMAT_JSON;
                if (ann) {
                    r->feed = feed_parse_announcements(body, x->body.len, &s->lim, err, sizeof err);
                } else {
                    /* a calendar's window starts today: read at the wall clock's now */
                    d->opts.now = kclock_now(&s->clock);
                    r->feed =
                        feed_import(body, x->body.len, &d->opts, &s->lim, &fmt, err, sizeof err);
                }
                snprintf(r->format, sizeof r->format, "%s", import_format_name(fmt));
                if (!r->feed) {
                    r->fail = SYNC_FAIL_REJECTED;
                    snprintf(j->reason, sizeof j->reason, "rejected: %.180s", err);
                }
            }
            if (r->fail == SYNC_FAIL_NONE) {
                j->fresh = true;
                r->ok = true;
            }
        }
    }
    return 0;
}

/* The persist step: stores a fresh body or touches the cache for an unchanged one, and
 * keeps d's metadata as what the receiver now holds. */
static void sync_persist(struct sync *s, struct sync_docstate *d, const struct sync_xfer *x,
                         const struct sync_result *r, const struct sync_judgement *j)
{
    const char *body = x->body.data ? x->body.data : "";

    if (j->fresh) {
        struct cache_meta m;
        memset(&m, 0, sizeof m);
        sync_update_validators(&m, &x->h);
        m.fetched_at = kclock_now(&s->clock);
        snprintf(m.signature, sizeof m.signature, "%s", j->sig);
        memcpy(m.digest, j->digest, sizeof j->digest);
        d->unsaved = s->state_dir && cache_store(s->state_dir, d->doc, body, x->body.len, &m) != 0;
        /* Even when the disk refused, the receiver holds this body now; without
         * validators the next answer is a whole body, stored once the disk is back
         * (a 304 would leave the old body on disk under this body's metadata). */
        if (d->unsaved) {
            m.etag[0] = '\0';
            m.last_modified[0] = '\0';
        }
        d->meta = m;
    } else if (r->ok && r->not_modified) {
        d->meta.fetched_at = kclock_now(&s->clock);
        if (j->store_again) {
            struct cache_meta m = d->meta;
            sync_update_validators(&m, &x->h);
            d->unsaved = cache_store(s->state_dir, d->doc, body, x->body.len, &m) != 0;
            if (!d->unsaved) {
                d->meta = m;
            }
        } else {
            sync_update_validators(&d->meta, &x->h);
            if (s->state_dir) {
                (void)cache_touch(s->state_dir, d->doc, &d->meta);
            }
        }
    }
}

/* A calendar's repeating entries are expanded from today: content that stays the same for
 * weeks (304 after 304) would run out of dates. On the first unchanged answer of a new day,
 * the cached copy is read again at today's date and delivered as new content. */
static bool sync_reread_daily(struct sync *s, struct sync_docstate *d, struct sync_result *r)
{
    int64_t now = kclock_now(&s->clock);
    int64_t today = timeutil_day_start(now);
    struct cache_meta m;
    struct feed *f = NULL;

    if (d->doc == CACHE_DOC_ANNOUNCEMENTS || !r->ok) {
        return false;
    }
    if (!r->not_modified || d->read_day == 0) {
        /* fresh content was read just now; the first answer after start-up matches what the
         * app read from the cache at start-up, today */
        d->read_day = today;
        return false;
    }
    if (d->read_day == today || !s->state_dir || d->unsaved) {
        return false;
    }
    d->opts.now = now;
    if (cache_load_source(s->state_dir, d->slot, &s->lim, &d->opts, &s->clock, &f, &m) != 0) {
        return false;
    }
    if (strcmp(m.digest, d->meta.digest) != 0) {
        /* not the body the receiver holds (a .prev restored): leave it to the next fetch */
        feed_free(f);
        return false;
    }
    d->read_day = today;
    r->feed = f;
    r->not_modified = false;
    return true;
}

/* Says the result in r->message and in the log with one literal format per kind of line,
 * so the log's per-call-site rate limit treats successes and failures apart. */
#define SYNC_SAY(level, r, ...)                                                                    \
    do {                                                                                           \
        snprintf((r)->message, sizeof(r)->message, __VA_ARGS__);                                   \
        log_msg((level), "sync", __VA_ARGS__);                                                     \
    } while (0)

struct sync_result *sync_attempt(struct sync *s, struct sync_docstate *d)
{
    struct sync_result *r = calloc(1, sizeof *r);
    const bool ann = d->doc == CACHE_DOC_ANNOUNCEMENTS;
    char pfx[80] = "";
    struct sync_xfer x;
    struct sync_judgement j;
    int64_t t0 = sync_mono_ms();
    int delay;

    memset(&x, 0, sizeof x);
    memset(&j, 0, sizeof j);
    x.s = s;
    j.retry_after = -1;
    if (!r) {
        return NULL;
    }
    r->doc = d->doc;
    r->source = d->slot;
    /* the feed keeps its log lines as they were; another source is named */
    if (ann) {
        snprintf(pfx, sizeof pfx, "announcements ");
    } else if (d->slot > 0) {
        snprintf(pfx, sizeof pfx, "%s: ", d->name);
    }
    snprintf(r->source_name, sizeof r->source_name, "%s", ann ? "announcements" : d->name);
    r->started_at = kclock_now(&s->clock);
    sync_transfer(s, d->url, d->protocols, d->meta.digest[0] ? &d->meta : NULL, s->max_bytes, &x);
    if (x.stopped || sync_judge(s, d, &x, t0, r, &j) == -ECANCELED) {
        goto stopped;
    }
    sync_persist(s, d, &x, r, &j);

    r->finished_at = kclock_now(&s->clock);
    r->duration_ms = (long)(sync_mono_ms() - t0);
    r->fetched_at = d->meta.fetched_at;
    delay = r->ok ? backoff_success(&d->bo)
                  : backoff_failure(&d->bo, j.retry_after, s->rnd, s->rnd_ctx);
    d->due_ms = sync_mono_ms() + (int64_t)delay * 1000;
    r->next_attempt_at = r->finished_at + delay;

    if (!r->ok) {
        SYNC_SAY(LOG_LEVEL_WARN, r, "%sfailed (%.100s), next try in %d s", pfx, j.reason, delay);
    } else if (r->not_modified && x.status == 304) {
        SYNC_SAY(LOG_LEVEL_INFO, r, "%s304 in %ld ms", pfx, r->duration_ms);
    } else if (r->not_modified) {
        SYNC_SAY(LOG_LEVEL_INFO, r, "%s%s unchanged in %ld ms", pfx, x.status ? "200" : "file",
                 r->duration_ms);
    } else if (ann) {
        SYNC_SAY(LOG_LEVEL_INFO, r, "announcements %s announcements=%zu dropped=%zu in %ld ms",
                 x.status ? "200" : "file", feed_announcement_count(r->feed),
                 feed_drop_count(r->feed), r->duration_ms);
    } else {
        SYNC_SAY(LOG_LEVEL_INFO, r,
                 "%s%s events=%zu volunteers=%zu announcements=%zu dropped=%zu in %ld ms%s", pfx,
                 x.status ? "200" : "file", feed_count(r->feed, FEED_KIND_EVENT),
                 feed_count(r->feed, FEED_KIND_VOLUNTEER), feed_announcement_count(r->feed),
                 feed_drop_count(r->feed), r->duration_ms,
                 strcmp(r->format, "json") == 0  ? ""
                 : strcmp(r->format, "csv") == 0 ? " (CSV)"
                                                 : " (iCalendar)");
    }
    if (sync_reread_daily(s, d, r)) {
        LOG_INFO("sync", "%sread again for today's dates: events=%zu volunteers=%zu", pfx,
                 feed_count(r->feed, FEED_KIND_EVENT), feed_count(r->feed, FEED_KIND_VOLUNTEER));
    }
    sync_xfer_free(&x);
    return r;

stopped:
    sync_xfer_free(&x);
    sync_result_free(r);
    return NULL;
}

#undef SYNC_SAY
