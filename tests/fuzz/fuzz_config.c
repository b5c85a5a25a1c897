/* Fuzzes the config parser: any text loads whole or fails naming what is wrong. */
#include <stdint.h>
#include <stdlib.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";
    struct config *c = config_parse_buffer((const char *)data, size, "fuzz.conf", err, sizeof err);
    if (!c && err[0] == '\0') {
        abort();
    }
    config_free(c);
    return 0;
}
