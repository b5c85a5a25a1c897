/* cap: one CAP 1.2 alert (or a feed of them) in, what the screen must do out (cap.h). */
#include "feed/cap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/xmlsafe.h"
#include "util/log.h"
#include "util/timeutil.h"

#define CAP_NS "urn:oasis:names:tc:emergency:cap:1.2"
#define ATOM_NS "http://www.w3.org/2005/Atom"
#define CAP_TEXT_MAX 1024
#define CAP_DESC_MAX 600
#define CAP_FUTURE_SLACK_S 3600

void cap_config_default(struct cap_config *c)
{
    memset(c, 0, sizeof *c);
    c->area_code = "13203";
    c->max_age_s = CAP_MAX_AGE_DEFAULT;
    c->max_bytes = CAP_MAX_BYTES;
}

static bool is_cap_alert(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "alert") == 0 &&
           n->ns && strcmp((const char *)n->ns->href, CAP_NS) == 0;
}

static void alert_id(bool drill, const char *sender, const char *identifier, char *out, size_t len)
{
    char key[600];
    char hex[17];
    snprintf(key, sizeof key, "%s,%s", sender, identifier);
    safety_hash_hex(key, hex);
    snprintf(out, len, "%s%s", drill ? SAFETY_ID_CAP_DRILL : SAFETY_ID_CAP, hex);
}

/* references: "sender,identifier,sent" triples separated by white space. */
static int clear_references(const xmlNode *alert, bool drill, struct safety_update *out)
{
    char *refs = xmlsafe_text(xmlsafe_child(alert, "references"), 4096);
    char *save = NULL;
    int rc = 0;
    if (!refs) {
        return 0;
    }
    for (char *t = strtok_r(refs, " \t\n", &save); t && rc == 0;
         t = strtok_r(NULL, " \t\n", &save)) {
        char *c1 = strchr(t, ',');
        char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        char id[64];
        if (!c2) {
            continue;
        }
        *c2 = '\0';
        *c1 = '\0';
        alert_id(drill, t, c1 + 1, id, sizeof id);
        rc = safety_update_add_clear(out, id);
    }
    free(refs);
    return rc == -E2BIG ? 0 : rc;
}

static bool lang_is(const xmlNode *info, const char *prefix)
{
    char lang[32];
    xmlsafe_text_buf(xmlsafe_child(info, "language"), lang, sizeof lang);
    if (!lang[0]) {
        snprintf(lang, sizeof lang, "en-US"); /* CAP 1.2's default */
    }
    return strncmp(lang, prefix, strlen(prefix)) == 0;
}

static xmlNode *pick_info(const xmlNode *alert, const char *prefix)
{
    for (xmlNode *i = xmlsafe_child(alert, "info"); i; i = xmlsafe_next(i, "info")) {
        if (lang_is(i, prefix)) {
            return i;
        }
    }
    return NULL;
}

static bool all_digits(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

static bool geocode_matches(const char *value, const char *ours)
{
    if (!ours || !ours[0] || !value[0]) {
        return false;
    }
    if (strcmp(value, ours) == 0) {
        return true;
    }
    /* 13203 (JIS), 132039 (with check digit) and 1320300 (JMA) name one municipality */
    return all_digits(value) && all_digits(ours) && strlen(value) >= 5 && strlen(ours) >= 5 &&
           strncmp(value, ours, 5) == 0;
}

/* The info's area that is ours, NULL when none; *located tells whether it has any area. */
static xmlNode *our_area(const xmlNode *info, const struct cap_config *cfg, bool *located)
{
    *located = false;
    for (xmlNode *a = xmlsafe_child(info, "area"); a; a = xmlsafe_next(a, "area")) {
        *located = true;
        for (xmlNode *g = xmlsafe_child(a, "geocode"); g; g = xmlsafe_next(g, "geocode")) {
            char value[64];
            xmlsafe_text_buf(xmlsafe_child(g, "value"), value, sizeof value);
            if (geocode_matches(value, cfg->area_code)) {
                return a;
            }
        }
    }
    return NULL;
}

/* -1 when not shown. */
static int cap_level(const xmlNode *info, char *why, size_t whylen)
{
    char sev[32], urg[32], cert[32];
    xmlsafe_text_buf(xmlsafe_child(info, "severity"), sev, sizeof sev);
    xmlsafe_text_buf(xmlsafe_child(info, "urgency"), urg, sizeof urg);
    xmlsafe_text_buf(xmlsafe_child(info, "certainty"), cert, sizeof cert);
    if (strcmp(urg, "Past") == 0 || strcmp(cert, "Unlikely") == 0) {
        snprintf(why, whylen, "urgency Past or certainty Unlikely");
        return -1;
    }
    if (strcmp(sev, "Extreme") == 0) {
        return ANN_LEVEL_EMERGENCY;
    }
    if (strcmp(sev, "Severe") == 0) {
        return strcmp(urg, "Immediate") == 0 ? ANN_LEVEL_EMERGENCY : ANN_LEVEL_IMPORTANT;
    }
    if (strcmp(sev, "Moderate") == 0 || strcmp(sev, "Unknown") == 0) {
        return ANN_LEVEL_IMPORTANT;
    }
    if (strcmp(sev, "Minor") == 0) {
        return ANN_LEVEL_NORMAL;
    }
    snprintf(why, whylen, "no valid severity");
    return -2;
}

static int read_opt_time(const xmlNode *n, int64_t *out)
{
    char buf[64];
    *out = 0;
    if (!n) {
        return 0;
    }
    xmlsafe_text_buf(n, buf, sizeof buf);
    return timeutil_parse_iso8601(buf, out, NULL);
}

/* One info's text: headline or event, the area, the description, the time and sender. */
static char *info_text(const xmlNode *info, const xmlNode *area, bool drill, int64_t sent)
{
    char *head = xmlsafe_text(xmlsafe_child(info, "headline"), CAP_TEXT_MAX);
    char *desc = xmlsafe_text(xmlsafe_child(info, "description"), CAP_DESC_MAX);
    char *area_desc = area ? xmlsafe_text(xmlsafe_child(area, "areaDesc"), 256) : NULL;
    char *sender = xmlsafe_text(xmlsafe_child(info, "senderName"), 256);
    char when[32];
    size_t cap = CAP_TEXT_MAX + CAP_DESC_MAX + 1024;
    char *text = malloc(cap);

    if (!head) {
        head = xmlsafe_text(xmlsafe_child(info, "event"), CAP_TEXT_MAX);
    }
    if (text) {
        safety_format_time(sent, when, sizeof when);
        snprintf(text, cap, "%s%s%s%s%s\n%s%s%s%s%s", drill ? SAFETY_DRILL_MARK : "",
                 head ? head : "", area_desc ? "（" : "", area_desc ? area_desc : "",
                 area_desc ? "）" : "", desc ? desc : "", desc ? "\n" : "", when, sender ? " " : "",
                 sender ? sender : "");
    }
    free(head);
    free(desc);
    free(area_desc);
    free(sender);
    return text;
}

struct alert_head {
    bool drill;
    int64_t sent;
    char id[64];
    char msg_type[16];
};

/* 1: go on; 0: nothing to do (why set); -EINVAL: malformed (why set). */
static int read_alert_head(const xmlNode *alert, const struct cap_config *cfg, struct alert_head *h,
                           char *why, size_t whylen)
{
    char status[16], sender[256], ident[256];
    memset(h, 0, sizeof *h);
    xmlsafe_text_buf(xmlsafe_child(alert, "sender"), sender, sizeof sender);
    xmlsafe_text_buf(xmlsafe_child(alert, "identifier"), ident, sizeof ident);
    xmlsafe_text_buf(xmlsafe_child(alert, "status"), status, sizeof status);
    xmlsafe_text_buf(xmlsafe_child(alert, "msgType"), h->msg_type, sizeof h->msg_type);
    if (!sender[0] || !ident[0] || read_opt_time(xmlsafe_child(alert, "sent"), &h->sent) != 0 ||
        !h->sent) {
        snprintf(why, whylen, "no identifier, sender or readable sent");
        return -EINVAL;
    }
    if (strcmp(status, "Exercise") == 0) {
        if (!cfg->drill_mode) {
            snprintf(why, whylen, "an Exercise and drill_mode is off");
            return 0;
        }
        h->drill = true;
    } else if (strcmp(status, "System") == 0 || strcmp(status, "Test") == 0 ||
               strcmp(status, "Draft") == 0) {
        snprintf(why, whylen, "status %s is never shown", status);
        return 0;
    } else if (strcmp(status, "Actual") != 0) {
        snprintf(why, whylen, "no valid status");
        return -EINVAL;
    }
    if (strcmp(h->msg_type, "Ack") == 0 || strcmp(h->msg_type, "Error") == 0) {
        snprintf(why, whylen, "msgType %s changes nothing", h->msg_type);
        return 0;
    }
    if (strcmp(h->msg_type, "Alert") != 0 && strcmp(h->msg_type, "Update") != 0 &&
        strcmp(h->msg_type, "Cancel") != 0) {
        snprintf(why, whylen, "no valid msgType");
        return -EINVAL;
    }
    alert_id(h->drill, sender, ident, h->id, sizeof h->id);
    return 1;
}

static int judge_alert(const xmlNode *alert, const struct cap_config *cfg, int64_t now,
                       struct safety_update *out)
{
    struct alert_head h;
    struct feed_announcement a;
    xmlNode *info, *en, *area;
    int64_t expires, effective;
    bool located;
    int level, rc;
    char *ja = NULL, *en_text = NULL;

    rc = read_alert_head(alert, cfg, &h, out->why, sizeof out->why);
    if (rc <= 0) {
        return rc;
    }
    if (strcmp(h.msg_type, "Alert") != 0) {
        rc = clear_references(alert, h.drill, out);
        if (rc != 0 || strcmp(h.msg_type, "Cancel") == 0) {
            return rc;
        }
    }
    info = pick_info(alert, "ja");
    en = pick_info(alert, "en");
    if (!info) {
        info = xmlsafe_child(alert, "info");
    }
    if (!info) {
        snprintf(out->why, sizeof out->why, "no info");
        return 0;
    }
    if (read_opt_time(xmlsafe_child(info, "expires"), &expires) != 0 ||
        read_opt_time(xmlsafe_child(info, "effective"), &effective) != 0) {
        snprintf(out->why, sizeof out->why, "unreadable expires or effective");
        return -EINVAL;
    }
    if (h.sent > now + CAP_FUTURE_SLACK_S) {
        snprintf(out->why, sizeof out->why, "sent more than %d s ahead of this kiosk's clock",
                 CAP_FUTURE_SLACK_S);
        return 0;
    }
    if ((expires && expires <= now) || (!expires && now - h.sent > cfg->max_age_s) ||
        (expires && expires <= (effective ? effective : h.sent))) {
        snprintf(out->why, sizeof out->why, "expired");
        return 0;
    }
    level = cap_level(info, out->why, sizeof out->why);
    if (level < 0) {
        return level == -1 ? 0 : -EINVAL;
    }
    area = our_area(info, cfg, &located);
    if (located ? !area : !cfg->show_unlocated) {
        snprintf(out->why, sizeof out->why, located ? "another area" : "no area");
        return 0;
    }
    ja = info_text(info, area, h.drill, h.sent);
    if (en && en != info) {
        bool en_located;
        en_text = info_text(en, our_area(en, cfg, &en_located), h.drill, h.sent);
    }
    if (!ja) {
        free(en_text);
        return -ENOMEM;
    }
    memset(&a, 0, sizeof a);
    a.id = h.id;
    a.text.ja = ja;
    a.text.en = en_text;
    a.level = (enum ann_level)level;
    a.starts_at = effective ? effective : h.sent;
    a.ends_at = expires ? expires : h.sent + cfg->max_age_s;
    a.created_by = "cap";
    a.source = ANN_SOURCE_FEED;
    rc = ann_list_put(out->show, &a);
    free(ja);
    free(en_text);
    return rc;
}

/* The alert carried inline by an Atom entry's content or an RSS item, or NULL. */
static xmlNode *inline_alert(const xmlNode *entry)
{
    for (xmlNode *c = entry->children; c; c = c->next) {
        if (is_cap_alert(c)) {
            return c;
        }
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "content") == 0) {
            for (xmlNode *d = c->children; d; d = d->next) {
                if (is_cap_alert(d)) {
                    return d;
                }
            }
        }
    }
    return NULL;
}

/* The entries of an Atom feed or an RSS channel, through `next`. */
static xmlNode *first_entry(xmlNode *root, const char **name)
{
    if (strcmp((const char *)root->name, "feed") == 0 && root->ns &&
        strcmp((const char *)root->ns->href, ATOM_NS) == 0) {
        *name = "entry";
        return xmlsafe_child(root, "entry");
    }
    if (strcmp((const char *)root->name, "rss") == 0) {
        *name = "item";
        return xmlsafe_child(xmlsafe_child(root, "channel"), "item");
    }
    *name = NULL;
    return NULL;
}

static void undo(struct safety_update *out)
{
    char why[sizeof out->why];
    memcpy(why, out->why, sizeof why);
    safety_update_free(out);
    safety_update_init(out);
    memcpy(out->why, why, sizeof why);
}

static int judge_feed(xmlNode *root, const struct cap_config *cfg, int64_t now,
                      struct safety_update *out)
{
    const char *name;
    size_t judged = 0;
    xmlNode *e = first_entry(root, &name);

    if (!name) {
        snprintf(out->why, sizeof out->why, "neither a CAP alert nor an Atom or RSS feed");
        return -EINVAL;
    }
    for (; e; e = xmlsafe_next(e, name)) {
        xmlNode *alert = inline_alert(e);
        struct safety_update one;
        int rc;
        if (!alert) {
            continue;
        }
        if (judged++ >= CAP_MAX_ALERTS) {
            LOG_WARN("cap", "feed has more than %d alerts: the rest ignored", CAP_MAX_ALERTS);
            break;
        }
        if (safety_update_init(&one) != 0) {
            return -ENOMEM;
        }
        rc = judge_alert(alert, cfg, now, &one);
        if (rc == -EINVAL) {
            LOG_WARN("cap", "alert in feed skipped: %s", one.why);
        } else if (rc == 0) {
            for (size_t i = 0; i < one.n_clear && rc == 0; i++) {
                rc = safety_update_add_clear(out, one.clear[i]);
            }
            for (size_t i = 0; i < ann_list_count(one.show) && rc == 0; i++) {
                rc = ann_list_put(out->show, ann_list_at(one.show, i));
            }
            if (safety_update_empty(&one)) {
                snprintf(out->why, sizeof out->why, "%s", one.why);
            }
        }
        safety_update_free(&one);
        if (rc == -ENOMEM) {
            return rc;
        }
    }
    if (judged == 0) {
        snprintf(out->why, sizeof out->why, "a feed without inline alerts");
    }
    return 0;
}

int cap_judge(const char *data, size_t len, const struct cap_config *cfg, int64_t now,
              struct safety_update *out)
{
    char err[sizeof out->why];
    xmlDoc *doc;
    xmlNode *root;
    int rc;

    out->why[0] = '\0';
    if (len > cfg->max_bytes) {
        LOG_WARN("cap", "document refused: larger than %zu bytes", cfg->max_bytes);
        snprintf(out->why, sizeof out->why, "larger than %zu bytes", cfg->max_bytes);
        return -EFBIG;
    }
    doc = xmlsafe_read(data, len, cfg->max_bytes, err, sizeof err);
    if (!doc) {
        LOG_WARN("cap", "document refused: %s", err);
        snprintf(out->why, sizeof out->why, "%s", err);
        return -EINVAL;
    }
    root = xmlDocGetRootElement(doc);
    rc = is_cap_alert(root) ? judge_alert(root, cfg, now, out) : judge_feed(root, cfg, now, out);
    if (rc < 0) {
        LOG_WARN("cap", "document refused: %s", out->why[0] ? out->why : strerror(-rc));
        undo(out);
    } else if (safety_update_empty(out)) {
        LOG_INFO("cap", "document changes nothing: %s", out->why);
    }
    xmlFreeDoc(doc);
    return rc < 0 ? rc : 0;
}

static void entry_link(const xmlNode *e, char *url, size_t len)
{
    url[0] = '\0';
    for (xmlNode *l = xmlsafe_child(e, "link"); l; l = xmlsafe_next(l, "link")) {
        /* Atom: <link href=…/>; RSS: <link>url</link> */
        if (xmlsafe_attr_buf(l, "href", url, len) > 0 || xmlsafe_text_buf(l, url, len) > 0) {
            return;
        }
    }
}

int cap_feed_links(const char *data, size_t len, const struct cap_config *cfg, struct cap_link *out,
                   size_t max)
{
    char err[160];
    const char *name;
    xmlDoc *doc;
    size_t n = 0;

    if (len > cfg->max_bytes) {
        LOG_WARN("cap", "feed refused: larger than %zu bytes", cfg->max_bytes);
        return -EFBIG;
    }
    doc = xmlsafe_read(data, len, cfg->max_bytes, err, sizeof err);
    if (!doc) {
        LOG_WARN("cap", "feed refused: %s", err);
        return -EINVAL;
    }
    for (xmlNode *e = first_entry(xmlDocGetRootElement(doc), &name); e && n < max;
         e = xmlsafe_next(e, name)) {
        if (inline_alert(e)) {
            continue;
        }
        entry_link(e, out[n].url, sizeof out[n].url);
        if (strncmp(out[n].url, "https://", 8) != 0) {
            continue;
        }
        xmlsafe_text_buf(xmlsafe_child(e, strcmp(name, "entry") == 0 ? "id" : "guid"), out[n].id,
                         sizeof out[n].id);
        n++;
    }
    xmlFreeDoc(doc);
    return (int)n;
}
