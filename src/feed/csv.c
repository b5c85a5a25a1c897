/* csv: the national open-data event list (イベント一覧). Placeholder until the reader lands. */
#include "feed/import.h"

#include <stdio.h>

struct cJSON *import_csv(const char *data, size_t len, const struct import_opts *o, char *err,
                         size_t errlen)
{
    (void)data;
    (void)len;
    (void)o;
    snprintf(err, errlen, "CSV is not read yet");
    return NULL;
}
