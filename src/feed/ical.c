/* ical: iCalendar. Placeholder until the reader lands. */
#include "feed/import.h"

#include <stdio.h>

struct cJSON *import_ical(const char *data, size_t len, const struct import_opts *o, char *err,
                         size_t errlen)
{
    (void)data;
    (void)len;
    (void)o;
    snprintf(err, errlen, "iCalendar is not read yet");
    return NULL;
}
