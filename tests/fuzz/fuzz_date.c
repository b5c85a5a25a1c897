/* Fuzzes the ISO 8601 parser: any string parses or fails, and what parses formats back to a
 * string that parses to the same instant. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool zoned;
    char s[128], back[64];
    int64_t t, t2;
    bool date_only;
    if (!zoned) {
        timeutil_set_zone("Asia/Tokyo");
        zoned = true;
    }
    if (size >= sizeof s) {
        return 0;
    }
    memcpy(s, data, size);
    s[size] = '\0';
    if (timeutil_parse_iso8601(s, &t, &date_only) != 0) {
        return 0;
    }
    timeutil_format_iso8601(t, back, sizeof back);
    if (timeutil_parse_iso8601(back, &t2, NULL) != 0 || t2 != t) {
        abort();
    }
    struct time_parts tp;
    timeutil_local(t, &tp);
    return 0;
}
