/* Fuzzes what the admin API does with a request body: strict JSON, then one announcement,
 * then back to JSON and into a list. */
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "feed/announce.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithLengthOpts((const char *)data, size, &end, 0);
    if (!obj) {
        return 0;
    }
    struct feed_announcement a;
    if (ann_from_json(obj, 1764000000, &a, err, sizeof err) == 0) {
        cJSON *back = ann_to_json(&a);
        struct ann_list *l = ann_list_create();
        if (!back || !l || ann_list_put(l, &a) != 0) {
            abort();
        }
        struct ann_list *m = ann_merge(NULL, 0, l, "musashino-place/lobby", 1764000000);
        ann_list_free(m);
        ann_list_free(l);
        cJSON_Delete(back);
        ann_clear(&a);
    }
    cJSON_Delete(obj);
    return 0;
}
