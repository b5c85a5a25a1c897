/* metrics: GET /metrics in the Prometheus text exposition format (version 0.0.4, which
 * OpenMetrics scrapers also read), for a city watching its kiosks on the monitoring system it
 * already runs (docs/fleet.md).
 *
 * Names follow Prometheus's conventions: the kiosk_ prefix, base units (seconds, bytes,
 * degrees Celsius), _total on counters, and a label kiosk="<target>" on every series so one
 * Prometheus can tell thirty kiosks apart whatever its relabelling. A scrape is cheap: the
 * figures come from the status the app last pushed, the usage counts held in memory, and
 * /proc and /sys (kernel memory, no disk); the board's slower figures (vcgencmd) come through
 * the health cache. It builds no frame, takes no screenshot and reads no file of the state
 * dir. A figure the kiosk does not know (no thermal zone off a Pi, a source never synced) is
 * left out rather than reported as zero. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "admin/admin_internal.h"
#include "admin/healthcache.h"
#include "feed/announce.h"
#include "sys/health.h"
#include "sys/usage.h"
#include "util/buf.h"
#include "util/fsio.h"

#define METRICS_MAX_BYTES (1u << 20)

struct out {
    struct buf b;
    const char *kiosk; /* the label value, escaped */
    int rc;
};

/* A label value with \, " and line breaks escaped as the format wants. */
static void escape_label(const char *s, char *dst, size_t cap)
{
    size_t n = 0;

    for (; *s && n + 3 < cap; s++) {
        if (*s == '\\' || *s == '"') {
            dst[n++] = '\\';
            dst[n++] = *s;
        } else if (*s == '\n') {
            dst[n++] = '\\';
            dst[n++] = 'n';
        } else {
            dst[n++] = *s;
        }
    }
    dst[n] = '\0';
}

static void put(struct out *o, const char *s)
{
    if (o->rc == 0) {
        o->rc = buf_append(&o->b, s, strlen(s));
    }
}

static void help(struct out *o, const char *name, const char *type, const char *text)
{
    char line[512];

    snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
    put(o, line);
}

/* One sample: name{kiosk="...",extra} value. `extra` is "" or `key="value"` (escaped). */
static void sample(struct out *o, const char *name, const char *extra, double v)
{
    char line[768];

    snprintf(line, sizeof line, "%s{kiosk=\"%s\"%s%s} %.17g\n", name, o->kiosk, extra[0] ? "," : "",
             extra, v);
    put(o, line);
}

static void gauge(struct out *o, const char *name, const char *text, double v)
{
    help(o, name, "gauge", text);
    sample(o, name, "", v);
}

/* The class of a source's last failure: as net/ named it (net/sync.h sync_fail_name), or,
 * when the status came without it, guessed from the message net/ wrote. */
static const char *error_class(const char *cls, const char *msg)
{
    static const struct {
        const char *needle, *cls;
    } map[] = {
        {"too slow", "too_slow"},   {"timeout", "timeout"},   {"TLS", "tls"},
        {"signature", "signature"}, {"HTTP ", "http"},        {"larger than", "too_large"},
        {"truncated", "truncated"}, {"rejected", "rejected"}, {"resolve", "network"},
        {"connect", "network"},     {"Could not", "network"}, {"Failed", "network"},
    };

    if (cls[0]) {
        return cls;
    }
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strstr(msg, map[i].needle)) {
            return map[i].cls;
        }
    }
    return "other";
}

static void sources(struct out *o, const struct admin_status *st, int64_t now)
{
    char extra[256], name[160];

    help(o, "kiosk_source_last_success_timestamp_seconds", "gauge",
         "When the source last synced (200, 304 or file), Unix seconds; absent if never.");
    for (size_t i = 0; i < st->n_sources; i++) {
        escape_label(st->sources[i].name, name, sizeof name);
        snprintf(extra, sizeof extra, "source=\"%s\"", name);
        if (st->sources[i].last_ok_at > 0) {
            sample(o, "kiosk_source_last_success_timestamp_seconds", extra,
                   (double)st->sources[i].last_ok_at);
        }
    }
    help(o, "kiosk_source_sync_age_seconds", "gauge",
         "Seconds since the source last synced; absent if never.");
    for (size_t i = 0; i < st->n_sources; i++) {
        escape_label(st->sources[i].name, name, sizeof name);
        snprintf(extra, sizeof extra, "source=\"%s\"", name);
        if (st->sources[i].last_ok_at > 0) {
            int64_t age = now - st->sources[i].last_ok_at;
            sample(o, "kiosk_source_sync_age_seconds", extra, (double)(age > 0 ? age : 0));
        }
    }
    help(o, "kiosk_source_failing", "gauge",
         "1 when the source's last attempt failed, with the class of that failure.");
    for (size_t i = 0; i < st->n_sources; i++) {
        const struct admin_source_status *s = &st->sources[i];
        bool failing = s->last_error_at > 0 && s->last_error_at > s->last_ok_at;
        escape_label(s->name, name, sizeof name);
        snprintf(extra, sizeof extra, "source=\"%s\",class=\"%s\"", name,
                 failing ? error_class(s->fail_class, s->last_error) : "none");
        sample(o, "kiosk_source_failing", extra, failing ? 1 : 0);
    }
    help(o, "kiosk_source_has_content", "gauge", "1 when a last good copy of the source is held.");
    for (size_t i = 0; i < st->n_sources; i++) {
        escape_label(st->sources[i].name, name, sizeof name);
        snprintf(extra, sizeof extra, "source=\"%s\"", name);
        sample(o, "kiosk_source_has_content", extra, st->sources[i].has_content ? 1 : 0);
    }
}

static void content(struct out *o, const struct admin_status *st, const size_t levels[3],
                    int64_t now)
{
    help(o, "kiosk_items", "gauge", "Listings in the shown feed, by kind.");
    sample(o, "kiosk_items", "kind=\"event\"", (double)st->n_events);
    sample(o, "kiosk_items", "kind=\"volunteer\"", (double)st->n_volunteers);
    help(o, "kiosk_announcements_active", "gauge", "Announcements on screen now, by level.");
    sample(o, "kiosk_announcements_active", "level=\"normal\"", (double)levels[0]);
    sample(o, "kiosk_announcements_active", "level=\"important\"", (double)levels[1]);
    sample(o, "kiosk_announcements_active", "level=\"emergency\"", (double)levels[2]);
    if (st->content_fetched_at > 0) {
        gauge(o, "kiosk_content_age_seconds",
              "Seconds since the shown feed was last confirmed by its server.",
              (double)(now - st->content_fetched_at));
    }
    if (st->feed_generated_at > 0) {
        gauge(o, "kiosk_feed_generated_timestamp_seconds",
              "The shown feed's generated_at, Unix seconds.", (double)st->feed_generated_at);
    }
    gauge(o, "kiosk_clock_synced", "1 when the wall clock is plausible.", st->clock_synced);
    if (st->panel_state[0]) {
        gauge(o, "kiosk_panel_on", "1 when the display panel was last commanded on.",
              strcmp(st->panel_state, "on") == 0);
    }
}

static void process(struct out *o, struct admin *a, const struct admin_status *st, int64_t now)
{
    int64_t uptime_ms = kclock_mono_ms() - a->started_mono_ms;
    char extra[128];

    help(o, "kiosk_build_info", "gauge", "The kiosk's version; always 1.");
    snprintf(extra, sizeof extra, "version=\"%s\"", KIOSK_VERSION);
    sample(o, "kiosk_build_info", extra, 1);
    gauge(o, "kiosk_uptime_seconds", "Seconds since the kiosk started.",
          (double)uptime_ms / 1000.0);
    gauge(o, "kiosk_start_time_seconds", "When the kiosk started, Unix seconds.",
          (double)(st->started_at > 0 ? st->started_at : now - uptime_ms / 1000));
    help(o, "kiosk_frames_drawn_total", "counter", "Frames drawn since start.");
    sample(o, "kiosk_frames_drawn_total", "", (double)st->frames_drawn);
    if (st->last_frame_at > 0) {
        gauge(o, "kiosk_last_frame_timestamp_seconds", "When the last frame was drawn.",
              (double)st->last_frame_at);
        gauge(o, "kiosk_last_frame_duration_seconds", "How long the last frame took to draw.",
              (double)st->last_frame_ms / 1000.0);
    }
}

static long long rss_bytes(void)
{
    long long pages = -1, resident = -1;
    FILE *f = fopen("/proc/self/statm", "re");

    if (!f) {
        return -1;
    }
    if (fscanf(f, "%lld %lld", &pages, &resident) != 2) {
        resident = -1;
    }
    fclose(f);
    return resident < 0 ? -1 : resident * (long long)sysconf(_SC_PAGESIZE);
}

static void board(struct out *o, struct admin *a)
{
    static const struct {
        unsigned now, seen;
        const char *cause;
    } flags[] = {
        {SYS_THROTTLE_UNDERVOLT_NOW, SYS_THROTTLE_UNDERVOLT_SEEN, "under_voltage"},
        {SYS_THROTTLE_FREQ_CAPPED_NOW, SYS_THROTTLE_FREQ_CAPPED_SEEN, "frequency_capped"},
        {SYS_THROTTLE_THROTTLED_NOW, SYS_THROTTLE_THROTTLED_SEEN, "throttled"},
        {SYS_THROTTLE_SOFT_TEMP_NOW, SYS_THROTTLE_SOFT_TEMP_SEEN, "soft_temperature_limit"},
    };
    struct sys_health h;
    char extra[64];
    long long rss = rss_bytes();
    long long free_bytes = fsio_free_bytes(a->state_dir);

    admin_health_get(a->health, kclock_mono_ms(), &h);
    if (rss >= 0) {
        gauge(o, "kiosk_resident_memory_bytes", "Resident memory of the kiosk process.",
              (double)rss);
    }
    if (h.open_fds >= 0) {
        gauge(o, "kiosk_open_fds", "Open file descriptors of the kiosk process.", h.open_fds);
    }
    if (free_bytes >= 0) {
        gauge(o, "kiosk_state_dir_free_bytes", "Bytes free for the kiosk in its state dir.",
              (double)free_bytes);
    }
    if (h.has_soc_temp) {
        gauge(o, "kiosk_soc_temperature_celsius", "SoC temperature.",
              (double)h.soc_temp_millic / 1000.0);
    }
    if (!h.has_throttled) {
        return;
    }
    help(o, "kiosk_throttled", "gauge",
         "Raspberry Pi firmware flags: 1 when the cause holds now (when=\"now\") or has held "
         "since boot (when=\"since_boot\").");
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        snprintf(extra, sizeof extra, "cause=\"%s\",when=\"now\"", flags[i].cause);
        sample(o, "kiosk_throttled", extra, (h.throttled & flags[i].now) != 0);
        snprintf(extra, sizeof extra, "cause=\"%s\",when=\"since_boot\"", flags[i].cause);
        sample(o, "kiosk_throttled", extra, (h.throttled & flags[i].seen) != 0);
    }
}

static void usage_metrics(struct out *o, struct admin *a)
{
    int64_t v[USAGE_NCOUNTERS];
    char name[96], text[160];

    if (!a->usage) {
        return;
    }
    usage_lifetime(a->usage, v);
    for (int c = 0; c < USAGE_NCOUNTERS; c++) {
        if (c == USAGE_QR_MS) {
            help(o, "kiosk_usage_qr_seconds_total", "counter",
                 "Seconds listings' QR codes stayed on screen since start.");
            sample(o, "kiosk_usage_qr_seconds_total", "", (double)v[c] / 1000.0);
            continue;
        }
        snprintf(name, sizeof name, "kiosk_usage_%s_total",
                 usage_counter_name((enum usage_counter)c));
        snprintf(text, sizeof text, "Usage count %s since start (docs/usage-counts.md).",
                 usage_counter_name((enum usage_counter)c));
        help(o, name, "counter", text);
        sample(o, name, "", (double)v[c]);
    }
}

enum MHD_Result admin_get_metrics(struct admin *a, struct MHD_Connection *conn)
{
    struct admin_status st;
    size_t levels[3] = {0, 0, 0};
    char kiosk[256];
    struct out o = {.kiosk = kiosk};
    int64_t now = kclock_now(&a->clock);

    pthread_mutex_lock(&a->status_lock);
    st = a->status;
    for (size_t i = 0; a->status_active && i < ann_list_count(a->status_active); i++) {
        unsigned lv = (unsigned)ann_list_at(a->status_active, i)->level;
        levels[lv < 3 ? lv : 0]++;
    }
    pthread_mutex_unlock(&a->status_lock);
    st.active = NULL;
    st.feed_anns = NULL;
    escape_label(a->metrics_label, kiosk, sizeof kiosk);
    buf_init(&o.b, METRICS_MAX_BYTES);
    process(&o, a, &st, now);
    sources(&o, &st, now);
    content(&o, &st, levels, now);
    board(&o, a);
    usage_metrics(&o, a);
    if (o.rc != 0) {
        buf_free(&o.b);
        return admin_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    return admin_send(conn, MHD_HTTP_OK, buf_take(&o.b, NULL),
                      "text/plain; version=0.0.4; charset=utf-8", NULL, NULL);
}
