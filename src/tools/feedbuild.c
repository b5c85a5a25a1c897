/* kiosk-feed: one checked feed v1 document from a city's sources, for a fleet of kiosks.
 *
 *   kiosk-feed build --config sources.conf --out feed.json [--sign KEYFILE] [--now ISO]
 *
 * A city with many kiosks publishes one feed from one host rather than have every kiosk read
 * every CSV and calendar. This reads the sources a kiosk config names (feed_url and
 * source.N.*, config/kiosk.conf) with the kiosk's own readers and rules (feed/import.h), merges
 * them as a kiosk does, writes the result with feed_write_json (deterministic: the same input
 * gives the same bytes, given the same --now for calendars), checks the output with the
 * kiosk's validator, and writes it atomically. --sign writes OUT.sig as `kioskctl sign` does.
 * A source that cannot be read fails the build (exit 1): a fleet feed missing a source would
 * silently empty every kiosk of it. Messages go to stderr; exit 0 built, 1 failed, 2 usage. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "config/config.h"
#include "config/config_sources.h"
#include "feed/feed.h"
#include "feed/feed_write.h"
#include "feed/import.h"
#include "kioskctl/ctl.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/log.h"
#include "util/timeutil.h"

struct fb_args {
    const char *config;
    const char *out;
    const char *sign;
    const char *now;
};

/* ctl_keys.c (the signing code shared with kioskctl) speaks through this. */
void ctl_say(const char *fmt, ...)
{
    va_list ap;
    fputs("kiosk-feed: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void fb_usage(FILE *f)
{
    fprintf(f, "usage: kiosk-feed build --config SOURCES.conf --out FEED.json [--sign KEYFILE]\n"
               "                        [--now YYYY-MM-DDTHH:MM:SS+09:00]\n"
               "Reads every source the config names (feed_url, source.N.url: JSON feed, CSV\n"
               "イベント一覧 or iCalendar), merges them as a kiosk does and writes one feed v1\n"
               "document that passes `kiosk --check-feed`. --now fixes the calendar window\n"
               "(default: now).\n");
}

static size_t fb_write_cb(char *p, size_t size, size_t n, void *ctx)
{
    struct buf *b = ctx;
    return buf_append(b, p, size * n) == 0 ? size * n : 0;
}

/* The bytes of one source: a file:// path read directly, https:// with curl (verified TLS,
 * the config's CA file, timeouts and size cap). 0, or -1 after saying why. */
static int fb_fetch(const struct config *c, const char *url, char **data, size_t *len)
{
    struct buf b;
    CURL *h;
    CURLcode rc;
    long status = 0;
    char errbuf[CURL_ERROR_SIZE] = "";

    if (strncmp(url, "file://", 7) == 0) {
        int r = fsio_read_file(url + 7, c->max_feed_bytes, data, len);
        if (r != 0) {
            fprintf(stderr, "kiosk-feed: cannot read %s: %s\n", url + 7, fsio_strerror(r));
            return -1;
        }
        return 0;
    }
    if (strncmp(url, "https://", 8) != 0) {
        fprintf(stderr, "kiosk-feed: %s: a source must be https:// or file://\n", url);
        return -1;
    }
    buf_init(&b, c->max_feed_bytes);
    h = curl_easy_init();
    if (!h) {
        return -1;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)c->connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)c->total_timeout_s);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fb_write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "kiosk-feed/" KIOSK_VERSION);
    if (c->ca_file[0]) {
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    }
    rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "kiosk-feed: %s: %s\n", url,
                rc != CURLE_OK ? (errbuf[0] ? errbuf : curl_easy_strerror(rc)) : "not HTTP 200");
        buf_free(&b);
        return -1;
    }
    *data = buf_take(&b, len);
    if (!*data) {
        /* an empty body is an empty CSV: feed_import rejects it with its reason */
        *data = calloc(1, 1);
    }
    return *data ? 0 : -1;
}

static int fb_parse_args(int argc, char **argv, struct fb_args *a)
{
    memset(a, 0, sizeof *a);
    if (argc < 2 || strcmp(argv[1], "build") != 0) {
        return -1;
    }
    for (int i = 2; i < argc; i++) {
        const char **dst = NULL;
        if (strcmp(argv[i], "--config") == 0) {
            dst = &a->config;
        } else if (strcmp(argv[i], "--out") == 0) {
            dst = &a->out;
        } else if (strcmp(argv[i], "--sign") == 0) {
            dst = &a->sign;
        } else if (strcmp(argv[i], "--now") == 0) {
            dst = &a->now;
        }
        if (!dst || i + 1 >= argc) {
            fprintf(stderr, "kiosk-feed: unknown option or missing value: %s\n", argv[i]);
            return -1;
        }
        *dst = argv[++i];
    }
    return a->config && a->out ? 0 : -1;
}

/* Reads every source into parts[]; 0, or -1 when one failed (said). */
static int fb_read_sources(const struct config *c, int64_t now, struct feed **feeds,
                           char names[][64], struct feed_part *parts, size_t *n_out)
{
    size_t slots[CONFIG_MAX_SOURCES];
    size_t n = config_sources(c, slots);
    struct feed_limits lim;

    feed_limits_default(&lim);
    lim.max_bytes = c->max_feed_bytes;
    lim.max_items = c->max_items;
    lim.allow_http = c->allow_http;
    *n_out = 0;
    if (n == 0) {
        fprintf(stderr, "kiosk-feed: the config names no source (feed_url, source.N.url)\n");
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        const char *url = config_source_url(c, slots[k]);
        struct config_import ci;
        enum import_format fmt;
        char err[256] = "";
        char *data = NULL;
        size_t len = 0;

        config_source_name(c, slots[k], names[k], 64);
        if (fb_fetch(c, url, &data, &len) != 0) {
            return -1;
        }
        config_import_opts(c, slots[k], now, &ci);
        feeds[k] = feed_import(data, len, &ci.opts, &lim, &fmt, err, sizeof err);
        free(data);
        if (!feeds[k]) {
            fprintf(stderr, "kiosk-feed: %s (%s) rejected: %s\n", names[k], url, err);
            return -1;
        }
        fprintf(stderr, "kiosk-feed: %s: %s events=%zu volunteers=%zu dropped=%zu\n", names[k],
                import_format_name(fmt), feed_count(feeds[k], FEED_KIND_EVENT),
                feed_count(feeds[k], FEED_KIND_VOLUNTEER), feed_drop_count(feeds[k]));
        for (size_t i = 0; i < feed_drop_count(feeds[k]); i++) {
            const struct feed_drop *d = feed_drop_at(feeds[k], i);
            fprintf(stderr, "kiosk-feed: %s: dropped: %s %s: %s\n", names[k], d->kind, d->id,
                    d->reason);
        }
        parts[k].feed = feeds[k];
        parts[k].name = names[k];
        *n_out = k + 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct fb_args a;
    struct config *c = NULL;
    struct feed *feeds[CONFIG_MAX_SOURCES] = {0};
    char names[CONFIG_MAX_SOURCES][64];
    struct feed_part parts[CONFIG_MAX_SOURCES];
    struct feed *merged = NULL, *check = NULL;
    char *json = NULL;
    char err[512];
    size_t n = 0;
    int64_t now = (int64_t)time(NULL);
    int rc = 1;

    if (fb_parse_args(argc, argv, &a) != 0) {
        fb_usage(stderr);
        return 2;
    }
    c = config_load(a.config, err, sizeof err);
    if (!c) {
        fprintf(stderr, "kiosk-feed: %s\n", err);
        return 2;
    }
    if (timeutil_set_zone(c->timezone) != 0) {
        fprintf(stderr, "kiosk-feed: unknown timezone %s\n", c->timezone);
        goto out;
    }
    if (a.now && timeutil_parse_iso8601(a.now, &now, NULL) != 0) {
        fprintf(stderr, "kiosk-feed: --now: not an ISO 8601 time: %s\n", a.now);
        rc = 2;
        goto out;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        fb_read_sources(c, now, feeds, names, parts, &n) != 0) {
        goto out;
    }
    merged = feed_merge(parts, n);
    json = merged ? feed_write_json(merged) : NULL;
    if (!json) {
        fprintf(stderr, "kiosk-feed: out of memory\n");
        goto out;
    }
    /* the kiosk's own judgement of what is about to be published */
    check = feed_parse(json, strlen(json), NULL, err, sizeof err);
    if (!check || feed_drop_count(check) > 0) {
        fprintf(stderr, "kiosk-feed: the built feed does not pass the check: %s\n",
                check ? feed_drop_at(check, 0)->reason : err);
        goto out;
    }
    if (fsio_write_atomic_mode(a.out, json, strlen(json), false, 0644) != 0) {
        fprintf(stderr, "kiosk-feed: cannot write %s\n", a.out);
        goto out;
    }
    fprintf(stderr, "kiosk-feed: wrote %s: events=%zu volunteers=%zu announcements=%zu\n", a.out,
            feed_count(check, FEED_KIND_EVENT), feed_count(check, FEED_KIND_VOLUNTEER),
            feed_announcement_count(check));
    rc = 0;
    if (a.sign && ctl_sign(a.out, a.sign) != CTL_EXIT_OK) {
        rc = 1;
    }
out:
    free(json);
    feed_free(check);
    feed_free(merged);
    for (size_t i = 0; i < CONFIG_MAX_SOURCES; i++) {
        feed_free(feeds[i]);
    }
    config_free(c);
    curl_global_cleanup();
    return rc;
}
