/* Fuzzes the safety XML readers (JMA reports and Atom feeds, CAP alerts and feeds): any bytes
 * must give an update or a refusal, never a crash, a leak or undefined behaviour; a refusal
 * leaves the update empty, and every announcement kept has a valid id and clean text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed/cap.h"
#include "feed/jma.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define NOW INT64_C(1783042200) /* 2026-07-03T10:30:00+09:00, the seeds' morning */

static void quiet(enum log_level level, const char *line, void *ctx)
{
    (void)level;
    (void)line;
    (void)ctx;
}

static void check_update(int rc, const struct safety_update *u)
{
    if (rc < 0 && !safety_update_empty(u)) {
        abort();
    }
    for (size_t i = 0; i < ann_list_count(u->show); i++) {
        const struct feed_announcement *a = ann_list_at(u->show, i);
        if (!ann_id_valid(a->id) || !a->text.ja || !utf8_valid(a->text.ja, strlen(a->text.ja)) ||
            a->ends_at <= a->starts_at) {
            abort();
        }
    }
    for (size_t i = 0; i < u->n_clear; i++) {
        if (!ann_id_valid(u->clear[i])) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct jma_config jc;
    struct cap_config cc;
    struct safety_update u;
    struct jma_entry entries[8];
    int rc;

    if (!ready) {
        log_set_sink(quiet, NULL);
        timeutil_set_zone("Asia/Tokyo");
        ready = 1;
    }
    jma_config_default(&jc);
    jc.show_advisories = (size & 1) != 0;
    jc.drill_mode = (size & 2) != 0;
    jc.tsunami_area = "300";
    cap_config_default(&cc);
    cc.show_unlocated = jc.drill_mode;
    cc.drill_mode = jc.drill_mode;

    if (safety_update_init(&u) != 0) {
        return 0;
    }
    rc = jma_judge((const char *)data, size, &jc, NOW, &u);
    check_update(rc, &u);
    safety_update_free(&u);

    if (safety_update_init(&u) != 0) {
        return 0;
    }
    rc = cap_judge((const char *)data, size, &cc, NOW, &u);
    check_update(rc, &u);
    safety_update_free(&u);

    rc = jma_atom_parse((const char *)data, size, &jc, NULL, NULL, entries, 8);
    if (rc > 8) {
        abort();
    }
    return 0;
}
