/* xmlsafe: reading untrusted XML (JMA 防災情報XML, CAP, Atom) with libxml2, safely.
 *
 * One entry point parses a capped buffer with the network off, no DTD loaded, no entity
 * substitution and no XInclude; a document carrying a DOCTYPE at all is refused before and
 * after parsing, so no entity of its own (a "billion laughs") can ever be expanded, by the
 * parser or by a later read of the tree. The small readers below look elements up by local
 * name (the namespaces of JMA's and CAP's documents are checked by the callers where it
 * matters) and return text sanitised as the feed's (utf8_sanitize). Plain C, no I/O. */
#ifndef KIOSK_FEED_XMLSAFE_H
#define KIOSK_FEED_XMLSAFE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

/* The largest safety document read (JMA's largest, a nationwide VPWW54, is ~300 KB). */
#define XMLSAFE_MAX_BYTES (1024u * 1024u)

/* Parses `len` bytes; returns a document the caller frees with xmlFreeDoc, or NULL with a
 * one-line English reason in err ("larger than 1048576 bytes", "has a DOCTYPE", the parser's
 * message). Any thread. */
xmlDoc *xmlsafe_read(const char *data, size_t len, size_t max_bytes, char *err, size_t errlen);

/* The first element child of `parent` with local name `name` (any namespace), or NULL;
 * xmlsafe_next gives the next sibling element with that name. */
xmlNode *xmlsafe_child(const xmlNode *parent, const char *name);
xmlNode *xmlsafe_next(const xmlNode *node, const char *name);
/* Follows a path of local names separated by '/' ("Head/Headline/Text"), first match at each
 * step. */
xmlNode *xmlsafe_path(const xmlNode *from, const char *path);

/* The element's own text (its text and CDATA children), trimmed of ASCII white space and
 * sanitised (keep_newlines) to at most max_bytes: a heap string the caller frees, or NULL
 * when the element is NULL, empty or memory runs out. */
char *xmlsafe_text(const xmlNode *n, size_t max_bytes);
/* xmlsafe_text into a caller's buffer ("" when absent); returns its length. */
size_t xmlsafe_text_buf(const xmlNode *n, char *buf, size_t len);
/* True when the element's text equals `s` exactly (after trimming). */
bool xmlsafe_text_is(const xmlNode *n, const char *s);
/* The value of an attribute without namespace, copied into buf ("" when absent). */
size_t xmlsafe_attr_buf(const xmlNode *n, const char *name, char *buf, size_t len);

#endif
