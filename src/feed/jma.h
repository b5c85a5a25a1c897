/* jma: the Japan Meteorological Agency's 防災情報XML, judged for one facility.
 *
 * jma_judge() reads one JMA document and decides what the kiosk shows because of it:
 *   - VPWW54 気象警報・注意報: the 市町村等 item of the configured area; a 特別警報 is an
 *     emergency, a 警報 an important banner, a 注意報 a normal one only with
 *     show_advisories; when nothing shown remains (解除, 警報から注意報 without advisories,
 *     発表警報・注意報はなし) the area's banner is taken down;
 *   - VXSE51 震度速報 / VXSE53 震源・震度に関する情報: 震度5弱 or more in the configured
 *     震度 area is an emergency for quake_max_age_s from the quake;
 *   - VTSE41 津波警報・注意報・予報: the configured 津波予報区 (off when empty); 大津波警報
 *     and 津波警報 are emergencies, 津波注意報 important, 解除 and 予報 take it down.
 * Safety rules: only Control/Status 通常 is real; 訓練 is shown only with drill_mode, under
 * 【訓練】 and with ids of its own (SAFETY_ID_JMA_DRILL), so a drill never touches a real
 * banner; 試験 never; InfoType 取消 takes down what it cancels; a document past its
 * ValidDateTime or its maximum age, for another area, or of another kind changes nothing;
 * a malformed or oversized one changes nothing and is logged.
 * The text is JMA's own: the kinds' names and the area's name, Head/Headline/Text, the issue
 * time and 「気象庁発表」; the drill mark is the only word of ours.
 * jma_atom_parse() reads the Atom feeds (extra.xml, eqvol.xml) that list the documents.
 * Plain C, no I/O; any thread. */
#ifndef KIOSK_FEED_JMA_H
#define KIOSK_FEED_JMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/safety.h"

#define JMA_MAX_BYTES (1024u * 1024u)
#define JMA_QUAKE_MAX_AGE_DEFAULT 21600
/* VPWW54 has no end of validity; JMA re-issues a warning's report as it changes, so one not
 * renewed for a day is taken as over rather than shown for ever. */
#define JMA_WARN_MAX_AGE_DEFAULT 86400

struct jma_config {
    const char *area_code;    /* 市町村等 code for warnings, e.g. "1320300" (武蔵野市) */
    const char *quake_area;   /* 震度 area code, e.g. "351" (東京都多摩東部) */
    const char *tsunami_area; /* 津波予報区 code; NULL or "" = tsunami off */
    bool show_advisories;     /* 注意報 as normal banners */
    bool drill_mode;          /* show 訓練 (under 【訓練】) */
    int64_t quake_max_age_s;  /* 21600 */
    int64_t warn_max_age_s;   /* 86400 */
    size_t max_bytes;         /* JMA_MAX_BYTES */
};

/* Musashino's defaults: 1320300, 351, tsunami off, no advisories, no drills. */
void jma_config_default(struct jma_config *c);

enum jma_kind {
    JMA_KIND_OTHER,
    JMA_KIND_WARNING,   /* VPWW54 */
    JMA_KIND_QUAKE,     /* VXSE51 震度速報 */
    JMA_KIND_QUAKE_HYP, /* VXSE53 震源・震度に関する情報 */
    JMA_KIND_TSUNAMI,   /* VTSE41 */
};

/* Judges one document at `now`. `out` must be initialised (safety_update_init) and empty.
 * Returns 0 when the document was read (out may still be empty, with the reason in
 * out->why); -EINVAL (malformed, not a JMA report), -EFBIG (over max_bytes) or -ENOMEM, each
 * with out left empty and a warning logged. */
int jma_judge(const char *data, size_t len, const struct jma_config *cfg, int64_t now,
              struct safety_update *out);

/* One entry of a JMA Atom feed. */
struct jma_entry {
    char id[128];   /* the entry's id (urn:uuid:…), what "seen" is kept by */
    char url[512];  /* its https link to the document */
    char code[8];   /* "VPWW54" and the like, from the link's file name; "" when unknown */
    char office[8]; /* the issuing office's 6-digit code from the link ("130000"), or "" */
    enum jma_kind kind;
    int64_t updated; /* 0 when absent or unreadable */
};

/* Tells whether an entry id was seen before (the poller's memory); may be NULL. */
typedef bool (*jma_seen_fn)(void *ctx, const char *id);

/* Parses an Atom feed and writes up to `max` entries the kiosk may need into `out`, newest
 * document order kept: entries of a kind it shows, with an https link, not `seen`, and (for
 * VPWW54) from an office of the configured area's prefecture. Returns the count, or -EINVAL
 * (not an Atom feed; logged) / -EFBIG / -ENOMEM. */
int jma_atom_parse(const char *data, size_t len, const struct jma_config *cfg, jma_seen_fn seen,
                   void *seen_ctx, struct jma_entry *out, size_t max);

/* The kind named by a data type code ("VPWW54") or a Control/Title. */
enum jma_kind jma_kind_from_code(const char *code);
enum jma_kind jma_kind_from_title(const char *title);

#endif
