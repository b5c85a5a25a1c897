/* xmlsafe: libxml2 with everything that reaches outside the buffer turned off.
 *
 * The options leave out XML_PARSE_NOENT (substitution), XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR,
 * XML_PARSE_DTDVALID, XML_PARSE_XINCLUDE and XML_PARSE_HUGE, and add XML_PARSE_NONET. The
 * refusal of any DOCTYPE goes further than libxml2's own amplification checks: the safety
 * documents the kiosk reads never carry one, so a document that does is not one of them. */
#include "feed/xmlsafe.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "util/utf8.h"

#define XMLSAFE_OPTIONS                                                                            \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |               \
     XML_PARSE_COMPACT)

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void quiet_errors(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* xmlInitParser is not safe to race; the generic error handler keeps libxml2 off stderr
 * (log.h: nothing else writes there). */
static void init_parser(void)
{
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet_errors);
}

static bool has_doctype(const char *data, size_t len)
{
    static const char needle[] = "<!DOCTYPE";
    size_t n = sizeof needle - 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (data[i] == '<' && memcmp(data + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

static void parser_error(xmlParserCtxt *ctxt, char *err, size_t errlen)
{
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    char msg[160];
    size_t n;
    if (!e || !e->message) {
        snprintf(err, errlen, "not well-formed XML");
        return;
    }
    snprintf(msg, sizeof msg, "%s", e->message);
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) {
        msg[--n] = '\0';
    }
    snprintf(err, errlen, "not well-formed XML (line %d): %s", e->line, msg);
}

xmlDoc *xmlsafe_read(const char *data, size_t len, size_t max_bytes, char *err, size_t errlen)
{
    xmlParserCtxt *ctxt = NULL;
    xmlDoc *doc = NULL;

    err[0] = '\0';
    pthread_once(&init_once, init_parser);
    if (len > max_bytes || len > (size_t)INT32_MAX) {
        snprintf(err, errlen, "larger than %zu bytes", max_bytes);
        goto out;
    }
    if (has_doctype(data, len)) {
        snprintf(err, errlen, "has a DOCTYPE (refused: entities are never expanded)");
        goto out;
    }
    ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL, XMLSAFE_OPTIONS);
    if (!doc || !ctxt->wellFormed) {
        parser_error(ctxt, err, errlen);
        xmlFreeDoc(doc);
        doc = NULL;
        goto out;
    }
    if (doc->intSubset || doc->extSubset || !xmlDocGetRootElement(doc)) {
        snprintf(err, errlen, doc->intSubset ? "has a DOCTYPE" : "no root element");
        xmlFreeDoc(doc);
        doc = NULL;
    }
out:
    xmlFreeParserCtxt(ctxt);
    return doc;
}

static bool is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

xmlNode *xmlsafe_child(const xmlNode *parent, const char *name)
{
    if (!parent) {
        return NULL;
    }
    for (xmlNode *c = parent->children; c; c = c->next) {
        if (is_named(c, name)) {
            return c;
        }
    }
    return NULL;
}

xmlNode *xmlsafe_next(const xmlNode *node, const char *name)
{
    if (!node) {
        return NULL;
    }
    for (xmlNode *c = node->next; c; c = c->next) {
        if (is_named(c, name)) {
            return c;
        }
    }
    return NULL;
}

xmlNode *xmlsafe_path(const xmlNode *from, const char *path)
{
    char step[64];
    const char *p = path;
    const xmlNode *cur = from;

    while (cur && *p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n >= sizeof step) {
            return NULL;
        }
        memcpy(step, p, n);
        step[n] = '\0';
        cur = xmlsafe_child(cur, step);
        p += n + (slash ? 1 : 0);
    }
    return (xmlNode *)cur;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The concatenated text children, capped so a huge text node costs no more than the cap. */
static size_t raw_text(const xmlNode *n, char *buf, size_t len)
{
    size_t used = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content) {
            continue;
        }
        size_t k = strlen((const char *)c->content);
        if (k > len - 1 - used) {
            k = len - 1 - used;
        }
        memcpy(buf + used, c->content, k);
        used += k;
    }
    buf[used] = '\0';
    return used;
}

char *xmlsafe_text(const xmlNode *n, size_t max_bytes)
{
    char *raw = NULL;
    char *out = NULL;
    size_t len, start = 0;

    if (!n) {
        return NULL;
    }
    /* +4 so a cut inside a character is repaired by the sanitiser, not by us */
    raw = malloc(max_bytes + 5);
    if (!raw) {
        return NULL;
    }
    len = raw_text(n, raw, max_bytes + 5);
    while (start < len && is_space(raw[start])) {
        start++;
    }
    while (len > start && is_space(raw[len - 1])) {
        len--;
    }
    raw[len] = '\0';
    if (len > start && utf8_valid(raw + start, len - start)) {
        out = utf8_sanitize(raw + start, max_bytes, true);
    } else if (len > start) {
        /* a cap cut a character: drop the partial tail */
        while (len > start && ((unsigned char)raw[len - 1] & 0xC0) == 0x80) {
            len--;
        }
        if (len > start) {
            len--;
        }
        raw[len] = '\0';
        if (len > start && utf8_valid(raw + start, len - start)) {
            out = utf8_sanitize(raw + start, max_bytes, true);
        }
    }
    free(raw);
    if (out && !out[0]) {
        free(out);
        out = NULL;
    }
    return out;
}

size_t xmlsafe_text_buf(const xmlNode *n, char *buf, size_t len)
{
    char *t = xmlsafe_text(n, len - 1);
    size_t k = 0;
    buf[0] = '\0';
    if (t) {
        k = strlen(t);
        memcpy(buf, t, k + 1);
        free(t);
    }
    return k;
}

bool xmlsafe_text_is(const xmlNode *n, const char *s)
{
    char buf[256];
    if (!n) {
        return false;
    }
    xmlsafe_text_buf(n, buf, sizeof buf);
    return strcmp(buf, s) == 0;
}

size_t xmlsafe_attr_buf(const xmlNode *n, const char *name, char *buf, size_t len)
{
    xmlChar *v;
    size_t k = 0;
    buf[0] = '\0';
    if (!n) {
        return 0;
    }
    v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v) {
        return 0;
    }
    if (utf8_valid((const char *)v, strlen((const char *)v))) {
        k = utf8_sanitize_buf((const char *)v, strlen((const char *)v), buf, len - 1, false);
    }
    xmlFree(v);
    return k;
}
