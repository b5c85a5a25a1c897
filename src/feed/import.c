/* import: what the readers share (import.h): the format guess and the default options. */
#include "feed/import.h"

#include <string.h>

void import_opts_default(struct import_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kind = FEED_KIND_EVENT;
    o->upgrade_http = true;
    o->window_days = IMPORT_WINDOW_DAYS_DEFAULT;
    o->max_items = FEED_MAX_ITEMS_DEFAULT;
}

/* True when the text at p (with n bytes left) starts with the ASCII word w, in any case. */
static bool starts_with_ci(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k) {
        return false;
    }
    for (size_t i = 0; i < k; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (c != w[i]) {
            return false;
        }
    }
    return true;
}

enum import_format import_detect(const char *data, size_t len)
{
    size_t i = 0;

    if (!data || len == 0) {
        return IMPORT_FORMAT_UNKNOWN;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < len && strchr(" \t\r\n", data[i]) && data[i]) {
        i++;
    }
    if (i == len) {
        return IMPORT_FORMAT_UNKNOWN;
    }
    if (data[i] == '{' || data[i] == '[') {
        return IMPORT_FORMAT_JSON;
    }
    if (starts_with_ci(data + i, len - i, "BEGIN:VCALENDAR")) {
        return IMPORT_FORMAT_ICAL;
    }
    /* A NUL is never in a CSV or a calendar: a binary file (an image, a zip) is neither. */
    if (memchr(data, '\0', len)) {
        return IMPORT_FORMAT_UNKNOWN;
    }
    return IMPORT_FORMAT_CSV;
}

const char *import_format_name(enum import_format f)
{
    switch (f) {
    case IMPORT_FORMAT_JSON:
        return "json";
    case IMPORT_FORMAT_CSV:
        return "csv";
    case IMPORT_FORMAT_ICAL:
        return "ical";
    default:
        return "unknown";
    }
}
