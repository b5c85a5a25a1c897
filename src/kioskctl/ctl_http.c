/* ctl_http: one libcurl request to the kiosk and what its outcome means for the exit code.
 *
 * The kiosk is on a LAN or on this machine, so timeouts are short and nothing is retried:
 * a script calling kioskctl decides whether to try again from the exit code. The answer
 * is read into memory with a hard cap counted in the write callback (libcurl's own size
 * limit does not stop a chunked body). */
#include "kioskctl/ctl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "util/buf.h"

#define CTL_MAX_REPLY (4u * 1024u * 1024u)

void ctl_say(const char *fmt, ...)
{
    va_list ap;
    fputs("kioskctl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static size_t ctl_on_data(char *data, size_t size, size_t nmemb, void *userp)
{
    struct buf *b = userp;
    size_t n = size * nmemb;
    /* past CTL_MAX_REPLY (or out of memory), 0 makes curl fail with CURLE_WRITE_ERROR */
    return buf_append(b, data, n) == 0 ? n : 0;
}

static size_t ctl_on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    struct ctl_reply *r = userp;
    size_t n = size * nmemb;
    static const char name[] = "retry-after:";
    if (n > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
        size_t i = sizeof name - 1, j = 0;
        while (i < n && data[i] == ' ') {
            i++;
        }
        while (i < n && j + 1 < sizeof r->retry_after && data[i] >= '0' && data[i] <= '9') {
            r->retry_after[j++] = data[i++];
        }
        r->retry_after[j] = '\0';
    }
    return n;
}

int ctl_request(const struct ctl_conn *c, const char *method, const char *path, const char *body,
                struct ctl_reply *out)
{
    int rc = CTL_EXIT_UNREACHABLE;
    CURL *h = NULL;
    struct curl_slist *hdrs = NULL, *more;
    char url[2048], auth[1200], errbuf[CURL_ERROR_SIZE];
    size_t blen = strlen(c->url);
    CURLcode cc;
    struct buf reply;

    memset(out, 0, sizeof *out);
    buf_init(&reply, CTL_MAX_REPLY);
    while (blen > 0 && c->url[blen - 1] == '/') {
        blen--;
    }
    if (snprintf(url, sizeof url, "%.*s%s", (int)blen, c->url, path) >= (int)sizeof url ||
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->token) >= (int)sizeof auth) {
        ctl_say("URL または トークンが長すぎます / the URL or token is too long");
        return CTL_EXIT_USAGE;
    }
    h = curl_easy_init();
    if (!h) {
        ctl_say("libcurl を初期化できません / cannot initialise libcurl");
        return CTL_EXIT_UNREACHABLE;
    }
    hdrs = curl_slist_append(NULL, auth);
    more = hdrs ? curl_slist_append(hdrs, "Accept: application/json") : NULL;
    if (more && body) {
        more = curl_slist_append(more, "Content-Type: application/json; charset=utf-8");
    }
    if (!more) {
        ctl_say("メモリ不足 / out of memory");
        goto out;
    }
    hdrs = more;
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s > 0 ? c->timeout_s : 30L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, ctl_on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, ctl_on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, out);
    /* The admin API never redirects; following one would send the token elsewhere. */
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    if (c->cacert && c->cacert[0]) {
        curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert);
    }
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        ctl_say("キオスクに接続できません / cannot reach the kiosk at %s: %s", c->url,
                errbuf[0] ? errbuf : curl_easy_strerror(cc));
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = buf_take(&reply, &out->len);
    if (!out->body) {
        out->body = calloc(1, 1);
        if (!out->body) {
            ctl_say("メモリ不足 / out of memory");
            goto out;
        }
    }
    rc = CTL_EXIT_OK;
out:
    if (rc != CTL_EXIT_OK) {
        ctl_reply_free(out);
    }
    buf_free(&reply);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return rc;
}

void ctl_reply_free(struct ctl_reply *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

int ctl_report_failure(const struct ctl_conn *c, const struct ctl_reply *r)
{
    char msg[600] = "";
    cJSON *doc = r->body ? cJSON_ParseWithLength(r->body, r->len) : NULL;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "error");
    if (cJSON_IsString(e)) {
        snprintf(msg, sizeof msg, "%s", e->valuestring);
    }
    cJSON_Delete(doc);

    if (r->status == 401) {
        ctl_say("認証に失敗しました。トークンを確認してください / authentication failed: the "
                "kiosk at %s does not accept this token (check --token-file)",
                c->url);
        return CTL_EXIT_AUTH;
    }
    if (r->status == 429) {
        ctl_say("認証の失敗が多すぎます。%s 秒後に再試行してください / too many failed logins "
                "from this address; try again in %s s",
                r->retry_after[0] ? r->retry_after : "60",
                r->retry_after[0] ? r->retry_after : "60");
        return CTL_EXIT_AUTH;
    }
    if (r->status >= 400 && r->status < 500) {
        ctl_say("キオスクが要求を拒否しました / the kiosk rejected the request (HTTP %ld): %s",
                r->status, msg[0] ? msg : "no reason given");
        return CTL_EXIT_REJECTED;
    }
    ctl_say("キオスク側でエラーが発生しました / the kiosk failed (HTTP %ld): %s", r->status,
            msg[0] ? msg : "no reason given");
    return CTL_EXIT_SERVER;
}
