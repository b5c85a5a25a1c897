/* jma: one JMA report in, what the screen must do out (jma.h states the rules).
 *
 * The reader checks exactly the elements it uses: Control (Title, Status, PublishingOffice),
 * Head (ReportDateTime, ValidDateTime, InfoType, EventID, Headline/Text) and, per kind, the
 * Body items of the configured area. Everything else in the report is ignored, so a change
 * JMA makes elsewhere in the schema cannot make the kiosk show something by mistake. */
#include "feed/jma.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/xmlsafe.h"
#include "util/log.h"
#include "util/timeutil.h"

#define JMA_NS "http://xml.kishou.go.jp/jmaxml1/"
#define JMA_HEADLINE_MAX 1024
#define JMA_SOURCE "気象庁発表"
#define JMA_FUTURE_SLACK_S 3600
#define MUNICIPAL_WARNING "気象警報・注意報（市町村等）"

void jma_config_default(struct jma_config *c)
{
    memset(c, 0, sizeof *c);
    c->area_code = "1320300";
    c->quake_area = "351";
    c->tsunami_area = "";
    c->quake_max_age_s = JMA_QUAKE_MAX_AGE_DEFAULT;
    c->warn_max_age_s = JMA_WARN_MAX_AGE_DEFAULT;
    c->max_bytes = JMA_MAX_BYTES;
}

enum jma_kind jma_kind_from_code(const char *code)
{
    if (strcmp(code, "VPWW54") == 0) {
        return JMA_KIND_WARNING;
    }
    if (strcmp(code, "VXSE51") == 0) {
        return JMA_KIND_QUAKE;
    }
    if (strcmp(code, "VXSE53") == 0) {
        return JMA_KIND_QUAKE_HYP;
    }
    if (strcmp(code, "VTSE41") == 0) {
        return JMA_KIND_TSUNAMI;
    }
    return JMA_KIND_OTHER;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum jma_kind jma_kind_from_title(const char *title)
{
    /* "気象警報・注意報（Ｈ２７）", and whatever era mark follows; not VPWW53's
     * "気象特別警報・警報・注意報", whose body the kiosk does not read */
    if (starts_with(title, "気象警報・注意報")) {
        return JMA_KIND_WARNING;
    }
    if (strcmp(title, "震度速報") == 0) {
        return JMA_KIND_QUAKE;
    }
    if (strcmp(title, "震源・震度に関する情報") == 0) {
        return JMA_KIND_QUAKE_HYP;
    }
    if (starts_with(title, "津波警報・注意報・予報")) {
        return JMA_KIND_TSUNAMI;
    }
    return JMA_KIND_OTHER;
}

/* Codes and ids the kiosk puts into its own ids: [0-9A-Za-z], 1..32 characters. */
static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
            return false;
        }
    }
    return true;
}

/* What every kind needs from Control and Head. */
struct report {
    xmlNode *head, *body;
    enum jma_kind kind;
    bool drill;
    bool cancel;
    int64_t report_time;
    int64_t valid_until; /* 0: none given */
    int64_t target_time; /* Head/TargetDateTime, 0 when absent */
    char event_id[40];
    char office[128];
    char *headline; /* owned, may be NULL */
};

static int read_time(const xmlNode *n, int64_t *out)
{
    char buf[64];
    xmlsafe_text_buf(n, buf, sizeof buf);
    return timeutil_parse_iso8601(buf, out, NULL);
}

/* 1: go on judging; 0: judged, nothing to do (why set); -EINVAL: malformed (why set). */
static int read_report(xmlDoc *doc, const struct jma_config *cfg, struct report *r, char *why,
                       size_t whylen)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *control = xmlsafe_child(root, "Control");
    char buf[128];

    if (!root || strcmp((const char *)root->name, "Report") != 0 || !root->ns ||
        strcmp((const char *)root->ns->href, JMA_NS) != 0) {
        snprintf(why, whylen, "not a JMA report");
        return -EINVAL;
    }
    r->head = xmlsafe_child(root, "Head");
    r->body = xmlsafe_child(root, "Body");
    if (!control || !r->head || !r->body) {
        snprintf(why, whylen, "no Control, Head or Body");
        return -EINVAL;
    }
    xmlsafe_text_buf(xmlsafe_child(control, "Status"), buf, sizeof buf);
    if (strcmp(buf, "試験") == 0) {
        snprintf(why, whylen, "a test message (試験)");
        return 0;
    }
    if (strcmp(buf, "訓練") == 0) {
        if (!cfg->drill_mode) {
            snprintf(why, whylen, "a drill (訓練) and drill_mode is off");
            return 0;
        }
        r->drill = true;
    } else if (strcmp(buf, "通常") != 0) {
        snprintf(why, whylen, "Control/Status is not 通常, 訓練 or 試験");
        return -EINVAL;
    }
    xmlsafe_text_buf(xmlsafe_child(control, "Title"), buf, sizeof buf);
    r->kind = jma_kind_from_title(buf);
    if (r->kind == JMA_KIND_OTHER) {
        snprintf(why, whylen, "not a kind the kiosk shows");
        return 0;
    }
    xmlsafe_text_buf(xmlsafe_child(control, "PublishingOffice"), r->office, sizeof r->office);
    if (read_time(xmlsafe_child(r->head, "ReportDateTime"), &r->report_time) != 0) {
        snprintf(why, whylen, "no readable Head/ReportDateTime");
        return -EINVAL;
    }
    if (xmlsafe_child(r->head, "ValidDateTime") &&
        read_time(xmlsafe_child(r->head, "ValidDateTime"), &r->valid_until) != 0) {
        snprintf(why, whylen, "unreadable Head/ValidDateTime");
        return -EINVAL;
    }
    if (xmlsafe_child(r->head, "TargetDateTime") &&
        read_time(xmlsafe_child(r->head, "TargetDateTime"), &r->target_time) != 0) {
        r->target_time = 0;
    }
    xmlsafe_text_buf(xmlsafe_child(r->head, "InfoType"), buf, sizeof buf);
    if (strcmp(buf, "取消") == 0) {
        r->cancel = true;
    } else if (strcmp(buf, "発表") != 0 && strcmp(buf, "訂正") != 0) {
        snprintf(why, whylen, "Head/InfoType is not 発表, 訂正 or 取消");
        return -EINVAL;
    }
    xmlsafe_text_buf(xmlsafe_child(r->head, "EventID"), r->event_id, sizeof r->event_id);
    r->headline = xmlsafe_text(xmlsafe_path(r->head, "Headline/Text"), JMA_HEADLINE_MAX);
    return 1;
}

static bool stale(const struct report *r, int64_t since, int64_t max_age, int64_t now, char *why,
                  size_t whylen)
{
    if (r->report_time > now + JMA_FUTURE_SLACK_S || since > now + JMA_FUTURE_SLACK_S) {
        /* a wrong clock here or there: nothing is shown rather than something stuck */
        snprintf(why, whylen, "dated more than %d s ahead of this kiosk's clock",
                 JMA_FUTURE_SLACK_S);
        return true;
    }
    if (r->valid_until && (r->valid_until <= now || r->valid_until <= r->report_time)) {
        snprintf(why, whylen, "past its Head/ValidDateTime");
        return true;
    }
    if (max_age > 0 && now - since > max_age) {
        snprintf(why, whylen, "older than its maximum age (%lld s)", (long long)max_age);
        return true;
    }
    return false;
}

static void make_id(const struct report *r, const char *what, const char *key, char *out,
                    size_t len)
{
    snprintf(out, len, "%s%s.%s", r->drill ? SAFETY_ID_JMA_DRILL : SAFETY_ID_JMA, what, key);
}

/* The shown text: 【訓練】 (drills), the title line of JMA's names, the headline, the issue
 * time with 気象庁発表. */
static int put_announcement(const struct report *r, const char *id, const char *title,
                            enum ann_level level, int64_t ends, struct safety_update *out)
{
    struct feed_announcement a;
    char when[32];
    size_t cap = strlen(title) + (r->headline ? strlen(r->headline) : 0) + 128;
    char *text = malloc(cap);
    int rc;

    if (!text) {
        return -ENOMEM;
    }
    safety_format_time(r->report_time, when, sizeof when);
    snprintf(text, cap, "%s%s\n%s%s%s %s", r->drill ? SAFETY_DRILL_MARK : "", title,
             r->headline ? r->headline : "", r->headline ? "\n" : "", when, JMA_SOURCE);
    memset(&a, 0, sizeof a);
    a.id = id;
    a.text.ja = text;
    a.level = level;
    a.starts_at = r->report_time;
    a.ends_at = ends;
    a.created_by = "jma";
    a.source = ANN_SOURCE_FEED;
    rc = ann_list_put(out->show, &a);
    free(text);
    return rc;
}

static void join(char *buf, size_t len, const char *name)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s%s", used ? "・" : "", name);
}

/* The level a 気象警報・注意報 kind's name asks for, or -1 when it is not shown. */
static int warning_level(const char *name, bool advisories)
{
    if (strstr(name, "特別警報")) {
        return ANN_LEVEL_EMERGENCY;
    }
    if (strstr(name, "警報")) {
        return ANN_LEVEL_IMPORTANT;
    }
    if (strstr(name, "注意報") && advisories) {
        return ANN_LEVEL_NORMAL;
    }
    return -1;
}

static bool kind_in_force(const xmlNode *kind)
{
    char status[64];
    xmlsafe_text_buf(xmlsafe_child(kind, "Status"), status, sizeof status);
    return status[0] && !strstr(status, "解除") && strcmp(status, "発表警報・注意報はなし") != 0 &&
           strcmp(status, "発表なし") != 0;
}

static xmlNode *find_area_item(xmlNode *parent, const char *list, const char *area_code)
{
    for (xmlNode *w = xmlsafe_child(parent, list); w; w = xmlsafe_next(w, list)) {
        char type[128];
        xmlsafe_attr_buf(w, "type", type, sizeof type);
        if (strcmp(list, "Warning") == 0 && strcmp(type, MUNICIPAL_WARNING) != 0) {
            continue;
        }
        for (xmlNode *it = xmlsafe_child(w, "Item"); it; it = xmlsafe_next(it, "Item")) {
            if (xmlsafe_text_is(xmlsafe_path(it, "Area/Code"), area_code)) {
                return it;
            }
        }
    }
    return NULL;
}

static int judge_warning(struct report *r, const struct jma_config *cfg, int64_t now,
                         struct safety_update *out)
{
    char office[17], id[96], names[512] = "", area[128], title[700];
    xmlNode *item;
    int level = -1;

    if (!cfg->area_code || !code_ok(cfg->area_code)) {
        snprintf(out->why, sizeof out->why, "no usable area code configured");
        return 0;
    }
    safety_hash_hex(r->office, office);
    office[8] = '\0';
    make_id(r, "warn", cfg->area_code, id, sizeof id);
    snprintf(id + strlen(id), sizeof id - strlen(id), ".%s", office);
    if (stale(r, r->report_time, cfg->warn_max_age_s, now, out->why, sizeof out->why)) {
        return 0;
    }
    if (r->cancel) {
        return safety_update_add_clear(out, id);
    }
    item = find_area_item(r->body, "Warning", cfg->area_code);
    if (!item) {
        snprintf(out->why, sizeof out->why, "another area");
        return 0;
    }
    for (xmlNode *k = xmlsafe_child(item, "Kind"); k; k = xmlsafe_next(k, "Kind")) {
        char name[128];
        xmlsafe_text_buf(xmlsafe_child(k, "Name"), name, sizeof name);
        int l = warning_level(name, cfg->show_advisories);
        if (l < 0 || !kind_in_force(k)) {
            continue;
        }
        join(names, sizeof names, name);
        level = l > level ? l : level;
    }
    if (level < 0) {
        /* 解除, or only what the kiosk does not show: the area's banner ends */
        return safety_update_add_clear(out, id);
    }
    xmlsafe_text_buf(xmlsafe_path(item, "Area/Name"), area, sizeof area);
    snprintf(title, sizeof title, "%s（%s）", names, area);
    int64_t ends = r->report_time + cfg->warn_max_age_s;
    if (r->valid_until && r->valid_until < ends) {
        ends = r->valid_until;
    }
    return put_announcement(r, id, title, (enum ann_level)level, ends, out);
}

/* JMA's intensity classes in order, 1 being 震度1; 0 when unknown. */
static int intensity_rank(const char *s)
{
    static const char *const classes[] = {"1", "2", "3", "4", "5-", "5+", "6-", "6+", "7"};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strcmp(s, classes[i]) == 0) {
            return (int)i + 1;
        }
    }
    return 0;
}

static const char *intensity_words(const char *s)
{
    static const char *const from[] = {"5-", "5+", "6-", "6+", "7"};
    static const char *const to[] = {"震度5弱", "震度5強", "震度6弱", "震度6強", "震度7"};
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++) {
        if (strcmp(s, from[i]) == 0) {
            return to[i];
        }
    }
    return NULL;
}

static xmlNode *find_quake_area(xmlNode *body, const char *code)
{
    xmlNode *obs = xmlsafe_path(body, "Intensity/Observation");
    for (xmlNode *p = xmlsafe_child(obs, "Pref"); p; p = xmlsafe_next(p, "Pref")) {
        for (xmlNode *a = xmlsafe_child(p, "Area"); a; a = xmlsafe_next(a, "Area")) {
            if (xmlsafe_text_is(xmlsafe_child(a, "Code"), code)) {
                return a;
            }
        }
    }
    return NULL;
}

static int judge_quake(struct report *r, const struct jma_config *cfg, int64_t now,
                       struct safety_update *out)
{
    char id[96], maxint[16], area[128], title[256];
    int64_t when = r->target_time ? r->target_time : r->report_time;
    xmlNode *origin = xmlsafe_path(r->body, "Earthquake/OriginTime");
    xmlNode *a;

    if (!code_ok(r->event_id)) {
        snprintf(out->why, sizeof out->why, "no usable Head/EventID");
        return -EINVAL;
    }
    if (origin && read_time(origin, &when) != 0) {
        snprintf(out->why, sizeof out->why, "unreadable Earthquake/OriginTime");
        return -EINVAL;
    }
    make_id(r, "quake", r->event_id, id, sizeof id);
    if (stale(r, when, cfg->quake_max_age_s, now, out->why, sizeof out->why)) {
        return 0;
    }
    if (r->cancel) {
        return safety_update_add_clear(out, id);
    }
    a = find_quake_area(r->body, cfg->quake_area);
    if (!a) {
        snprintf(out->why, sizeof out->why, "another area");
        return 0;
    }
    xmlsafe_text_buf(xmlsafe_child(a, "MaxInt"), maxint, sizeof maxint);
    if (intensity_rank(maxint) < intensity_rank("5-")) {
        snprintf(out->why, sizeof out->why, "below 震度5弱 in the area");
        return 0;
    }
    xmlsafe_text_buf(xmlsafe_child(a, "Name"), area, sizeof area);
    snprintf(title, sizeof title, "%s（%s）", intensity_words(maxint), area);
    return put_announcement(r, id, title, ANN_LEVEL_EMERGENCY, when + cfg->quake_max_age_s, out);
}

static int judge_tsunami(struct report *r, const struct jma_config *cfg, int64_t now,
                         struct safety_update *out)
{
    char id[96], name[128], area[128], title[300];
    xmlNode *item;
    enum ann_level level;

    if (!cfg->tsunami_area || !cfg->tsunami_area[0]) {
        snprintf(out->why, sizeof out->why, "tsunami is off (no jma_tsunami_area)");
        return 0;
    }
    if (!code_ok(cfg->tsunami_area)) {
        snprintf(out->why, sizeof out->why, "no usable tsunami area code configured");
        return 0;
    }
    make_id(r, "tsunami", cfg->tsunami_area, id, sizeof id);
    if (stale(r, r->report_time, cfg->warn_max_age_s, now, out->why, sizeof out->why)) {
        return 0;
    }
    if (r->cancel) {
        return safety_update_add_clear(out, id);
    }
    item = find_area_item(xmlsafe_path(r->body, "Tsunami"), "Forecast", cfg->tsunami_area);
    if (!item) {
        snprintf(out->why, sizeof out->why, "another area");
        return 0;
    }
    xmlsafe_text_buf(xmlsafe_path(item, "Category/Kind/Name"), name, sizeof name);
    if (strstr(name, "解除") || !strstr(name, "津波") || strstr(name, "予報")) {
        return safety_update_add_clear(out, id);
    }
    if (strstr(name, "警報")) {
        level = ANN_LEVEL_EMERGENCY;
    } else if (strstr(name, "注意報")) {
        level = ANN_LEVEL_IMPORTANT;
    } else {
        return safety_update_add_clear(out, id);
    }
    xmlsafe_text_buf(xmlsafe_path(item, "Area/Name"), area, sizeof area);
    snprintf(title, sizeof title, "%s（%s）", name, area);
    int64_t ends = r->report_time + cfg->warn_max_age_s;
    if (r->valid_until && r->valid_until < ends) {
        ends = r->valid_until;
    }
    return put_announcement(r, id, title, level, ends, out);
}

static void undo(struct safety_update *out)
{
    char why[sizeof out->why];
    memcpy(why, out->why, sizeof why);
    ann_list_free(out->show);
    for (size_t i = 0; i < out->n_clear; i++) {
        free(out->clear[i]);
    }
    out->n_clear = 0;
    out->show = ann_list_create();
    memcpy(out->why, why, sizeof why);
}

int jma_judge(const char *data, size_t len, const struct jma_config *cfg, int64_t now,
              struct safety_update *out)
{
    struct report r;
    char err[sizeof out->why];
    xmlDoc *doc;
    int rc;

    memset(&r, 0, sizeof r);
    out->why[0] = '\0';
    if (len > cfg->max_bytes) {
        LOG_WARN("jma", "document refused: larger than %zu bytes", cfg->max_bytes);
        snprintf(out->why, sizeof out->why, "larger than %zu bytes", cfg->max_bytes);
        return -EFBIG;
    }
    doc = xmlsafe_read(data, len, cfg->max_bytes, err, sizeof err);
    if (!doc) {
        LOG_WARN("jma", "document refused: %s", err);
        snprintf(out->why, sizeof out->why, "%s", err);
        return -EINVAL;
    }
    rc = read_report(doc, cfg, &r, out->why, sizeof out->why);
    if (rc <= 0) {
        goto out;
    }
    switch (r.kind) {
    case JMA_KIND_WARNING:
        rc = judge_warning(&r, cfg, now, out);
        break;
    case JMA_KIND_QUAKE:
    case JMA_KIND_QUAKE_HYP:
        rc = judge_quake(&r, cfg, now, out);
        break;
    case JMA_KIND_TSUNAMI:
        rc = judge_tsunami(&r, cfg, now, out);
        break;
    default:
        rc = 0;
        break;
    }
out:
    if (rc < 0) {
        LOG_WARN("jma", "document refused: %s", out->why[0] ? out->why : strerror(-rc));
        undo(out);
    } else {
        rc = 0;
        if (safety_update_empty(out)) {
            LOG_INFO("jma", "document changes nothing: %s", out->why);
        }
    }
    free(r.headline);
    xmlFreeDoc(doc);
    return rc;
}

#define ATOM_NS "http://www.w3.org/2005/Atom"

/* "…/20260703000032_0_VPWW54_130000.xml": the data type code and the office code. */
static void link_codes(const char *url, struct jma_entry *e)
{
    const char *base = strrchr(url, '/');
    char name[128];
    char *parts[4] = {NULL, NULL, NULL, NULL};
    size_t n = 0;
    char *save = NULL;

    base = base ? base + 1 : url;
    if (strlen(base) >= sizeof name) {
        return;
    }
    memcpy(name, base, strlen(base) + 1);
    for (char *t = strtok_r(name, "_", &save); t && n < 4; t = strtok_r(NULL, "_", &save)) {
        parts[n++] = t;
    }
    if (n < 4 || strlen(parts[2]) != 6 || !code_ok(parts[2])) {
        return;
    }
    memcpy(e->code, parts[2], 7);
    if (strlen(parts[3]) == 10 && strcmp(parts[3] + 6, ".xml") == 0) {
        memcpy(e->office, parts[3], 6);
        e->office[6] = '\0';
    }
}

/* A VPWW54 of another prefecture's office is of no use: every office code starts with the
 * two digits of its prefecture (北海道's and 沖縄's several offices too). */
static bool entry_for_area(const struct jma_entry *e, const struct jma_config *cfg)
{
    if (e->kind != JMA_KIND_WARNING) {
        return true;
    }
    return e->office[0] && cfg->area_code && strlen(cfg->area_code) >= 2 &&
           strncmp(e->office, cfg->area_code, 2) == 0;
}

static bool read_entry(xmlNode *en, const struct jma_config *cfg, struct jma_entry *e)
{
    char title[256];
    memset(e, 0, sizeof *e);
    xmlsafe_text_buf(xmlsafe_child(en, "id"), e->id, sizeof e->id);
    for (xmlNode *l = xmlsafe_child(en, "link"); l; l = xmlsafe_next(l, "link")) {
        if (xmlsafe_attr_buf(l, "href", e->url, sizeof e->url) > 0) {
            break;
        }
    }
    if (!e->id[0] || !starts_with(e->url, "https://")) {
        return false;
    }
    link_codes(e->url, e);
    e->kind = jma_kind_from_code(e->code);
    if (!e->code[0]) {
        xmlsafe_text_buf(xmlsafe_child(en, "title"), title, sizeof title);
        e->kind = jma_kind_from_title(title);
    }
    if (read_time(xmlsafe_child(en, "updated"), &e->updated) != 0) {
        e->updated = 0;
    }
    return e->kind != JMA_KIND_OTHER && entry_for_area(e, cfg);
}

int jma_atom_parse(const char *data, size_t len, const struct jma_config *cfg, jma_seen_fn seen,
                   void *seen_ctx, struct jma_entry *out, size_t max)
{
    char err[200];
    xmlDoc *doc;
    xmlNode *root;
    size_t n = 0;

    if (len > cfg->max_bytes) {
        LOG_WARN("jma", "feed refused: larger than %zu bytes", cfg->max_bytes);
        return -EFBIG;
    }
    doc = xmlsafe_read(data, len, cfg->max_bytes, err, sizeof err);
    if (!doc) {
        LOG_WARN("jma", "feed refused: %s", err);
        return -EINVAL;
    }
    root = xmlDocGetRootElement(doc);
    if (strcmp((const char *)root->name, "feed") != 0 || !root->ns ||
        strcmp((const char *)root->ns->href, ATOM_NS) != 0) {
        LOG_WARN("jma", "feed refused: not an Atom feed");
        xmlFreeDoc(doc);
        return -EINVAL;
    }
    for (xmlNode *en = xmlsafe_child(root, "entry"); en && n < max;
         en = xmlsafe_next(en, "entry")) {
        if (!read_entry(en, cfg, &out[n])) {
            continue;
        }
        if (seen && seen(seen_ctx, out[n].id)) {
            continue;
        }
        n++;
    }
    xmlFreeDoc(doc);
    return (int)n;
}
