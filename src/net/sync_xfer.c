/* sync_xfer: one capped transfer of the fetch worker (see sync_internal.h).
 *
 * Sets up the worker's easy handle for one GET (timeouts, TLS verification, pinning, the
 * validators of a conditional request), drives it through the multi handle so sync_destroy
 * can wake it at once, and collects the body into a buf capped at the document's limit:
 * CURLOPT_MAXFILESIZE does not stop a chunked body on this libcurl, so the write callback
 * counts. It keeps the ETag, Last-Modified and Retry-After of the final response. It does
 * not judge what the answer means (sync_attempt.c does). */
#include "net/sync_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static size_t sync_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct sync_xfer *x = userdata;
    size_t n = size * nmemb;
    int rc = buf_append(&x->body, ptr, n);

    if (rc == -EFBIG) {
        x->body_too_large = true;
    }
    return rc == 0 ? n : 0; /* 0 aborts with CURLE_WRITE_ERROR */
}

static void sync_copy_header(char *dst, size_t dstlen, const char *v, size_t n)
{
    if (n >= dstlen) {
        dst[0] = '\0'; /* too long to send back whole: better none */
        return;
    }
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static size_t sync_header_cb(char *ptr, size_t size, size_t nitems, void *userdata)
{
    struct sync_xfer *x = userdata;
    size_t n = size * nitems;
    size_t len = n;
    const char *colon;
    const char *v;

    while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n')) {
        len--;
    }
    if (len >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
        /* A new response (after a redirect or a 100): forget the previous one's headers. */
        memset(&x->h, 0, sizeof x->h);
        return n;
    }
    colon = memchr(ptr, ':', len);
    if (!colon) {
        return n;
    }
    v = colon + 1;
    while (v < ptr + len && (*v == ' ' || *v == '\t')) {
        v++;
    }
    while (len > 0 && (ptr[len - 1] == ' ' || ptr[len - 1] == '\t')) {
        len--;
    }
    if (v > ptr + len) {
        v = ptr + len;
    }
#define SYNC_IS_HDR(name)                                                                          \
    ((size_t)(colon - ptr) == sizeof(name) - 1 && strncasecmp(ptr, name, sizeof(name) - 1) == 0)
    if (SYNC_IS_HDR("etag")) {
        sync_copy_header(x->h.etag, sizeof x->h.etag, v, (size_t)(ptr + len - v));
    } else if (SYNC_IS_HDR("last-modified")) {
        sync_copy_header(x->h.last_modified, sizeof x->h.last_modified, v, (size_t)(ptr + len - v));
    } else if (SYNC_IS_HDR("retry-after")) {
        sync_copy_header(x->h.retry_after, sizeof x->h.retry_after, v, (size_t)(ptr + len - v));
    }
#undef SYNC_IS_HDR
    return n;
}

static int sync_xferinfo_cb(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                            curl_off_t ulnow)
{
    struct sync_xfer *x = clientp;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return atomic_load(&x->s->stopping) ? 1 : 0;
}

#define SYNC_SETOPT(opt, val)                                                                      \
    do {                                                                                           \
        if (curl_easy_setopt(e, (opt), (val)) != CURLE_OK) {                                       \
            snprintf(x->errbuf, sizeof x->errbuf, "cannot set %s", #opt);                          \
            x->code = CURLE_FAILED_INIT;                                                           \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* Runs one GET of `url` into x (zeroed by the caller except s). `cond` adds validators. */
void sync_transfer(struct sync *s, const char *url, const char *protocols,
                   const struct cache_meta *cond, size_t max, struct sync_xfer *x)
{
    CURL *e = s->easy;
    struct curl_slist *hdrs = NULL;
    bool added = false;
    char line[320];
    CURLMsg *msg;
    int left;

    x->code = CURLE_FAILED_INIT;
    buf_init(&x->body, max);
    curl_easy_reset(e);
    SYNC_SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
    SYNC_SETOPT(CURLOPT_URL, url);
    SYNC_SETOPT(CURLOPT_PROTOCOLS_STR, protocols);
    SYNC_SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "https");
    SYNC_SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
    SYNC_SETOPT(CURLOPT_MAXREDIRS, SYNC_MAX_REDIRS);
    SYNC_SETOPT(CURLOPT_NOSIGNAL, 1L);
    SYNC_SETOPT(CURLOPT_CONNECTTIMEOUT, (long)s->connect_timeout_s);
    SYNC_SETOPT(CURLOPT_TIMEOUT, (long)s->total_timeout_s);
    if (s->low_speed_limit > 0) {
        SYNC_SETOPT(CURLOPT_LOW_SPEED_LIMIT, (long)s->low_speed_limit);
        SYNC_SETOPT(CURLOPT_LOW_SPEED_TIME, (long)s->low_speed_time_s);
    }
    SYNC_SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
    SYNC_SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
    if (s->ca_file) {
        SYNC_SETOPT(CURLOPT_CAINFO, s->ca_file);
        SYNC_SETOPT(CURLOPT_CAPATH, SYNC_CA_PATH);
    }
    if (s->pinned) {
        SYNC_SETOPT(CURLOPT_PINNEDPUBLICKEY, s->pinned);
    }
    SYNC_SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    /* Compressed bodies are welcome: the write callback counts the decoded bytes. */
    SYNC_SETOPT(CURLOPT_ACCEPT_ENCODING, "");
    SYNC_SETOPT(CURLOPT_USERAGENT, "musashino-kiosk/" KIOSK_VERSION);
    SYNC_SETOPT(CURLOPT_WRITEFUNCTION, sync_write_cb);
    SYNC_SETOPT(CURLOPT_WRITEDATA, x);
    SYNC_SETOPT(CURLOPT_HEADERFUNCTION, sync_header_cb);
    SYNC_SETOPT(CURLOPT_HEADERDATA, x);
    SYNC_SETOPT(CURLOPT_NOPROGRESS, 0L);
    SYNC_SETOPT(CURLOPT_XFERINFOFUNCTION, sync_xferinfo_cb);
    SYNC_SETOPT(CURLOPT_XFERINFODATA, x);

    if (cond && cond->etag[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", cond->etag);
        struct curl_slist *n = curl_slist_append(hdrs, line);
        if (!n) {
            goto out;
        }
        hdrs = n;
    }
    if (cond && cond->last_modified[0]) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", cond->last_modified);
        struct curl_slist *n = curl_slist_append(hdrs, line);
        if (!n) {
            goto out;
        }
        hdrs = n;
    }
    if (hdrs) {
        SYNC_SETOPT(CURLOPT_HTTPHEADER, hdrs);
    }

    if (curl_multi_add_handle(s->multi, e) != CURLM_OK) {
        goto out;
    }
    added = true;
    for (;;) {
        int running = 0;
        if (curl_multi_perform(s->multi, &running) != CURLM_OK || running == 0) {
            break;
        }
        if (atomic_load(&s->stopping)) {
            x->stopped = true;
            break;
        }
        if (curl_multi_poll(s->multi, NULL, 0, 1000, NULL) != CURLM_OK) {
            break;
        }
    }
    while ((msg = curl_multi_info_read(s->multi, &left))) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) {
            x->code = msg->data.result;
        }
    }
    if (x->code == CURLE_ABORTED_BY_CALLBACK || atomic_load(&s->stopping)) {
        x->stopped = true;
    }
    if (curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &x->status) != CURLE_OK) {
        x->status = 0;
    }

out:
    if (added) {
        curl_multi_remove_handle(s->multi, e);
    }
    /* The list must outlive the transfer; reset drops the handle's pointer to it. */
    curl_easy_reset(e);
    curl_slist_free_all(hdrs);
}

#undef SYNC_SETOPT

void sync_xfer_free(struct sync_xfer *x)
{
    buf_free(&x->body);
}
