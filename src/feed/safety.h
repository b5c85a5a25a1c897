/* safety: what one safety document (JMA 防災情報XML, CAP) asks of the kiosk's screen.
 *
 * The readers (jma.h, cap.h) judge one document and answer with a struct safety_update:
 * announcements to show (each replacing any held with the same id) and ids to take down
 * (a 取消, a 解除, a CAP Cancel). A document that concerns nobody here gives an empty update
 * with the reason in `why`. safety_update_apply() plays an update onto the list of automatic
 * announcements a kiosk holds. Plain C, no I/O; any thread, one update per thread. */
#ifndef KIOSK_FEED_SAFETY_H
#define KIOSK_FEED_SAFETY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/announce.h"

#define SAFETY_MAX_CLEAR 16

/* The prefix of every automatic announcement's id, and of a drill's. */
#define SAFETY_ID_JMA "jma."
#define SAFETY_ID_JMA_DRILL "jma-drill."
#define SAFETY_ID_CAP "cap."
#define SAFETY_ID_CAP_DRILL "cap-drill."

/* The banner a drill's text starts with (訓練 with drill_mode, CAP Exercise). */
#define SAFETY_DRILL_MARK "【訓練】"

struct safety_update {
    struct ann_list *show; /* owned; to put, replacing the same id */
    size_t n_clear;
    char *clear[SAFETY_MAX_CLEAR]; /* owned; ids to remove */
    char why[160]; /* when nothing is shown or cleared: why ("another area", "test message") */
};

/* 0, or -ENOMEM. */
int safety_update_init(struct safety_update *u);
void safety_update_free(struct safety_update *u);
/* Adds an id to take down; 0, -ENOMEM, or -E2BIG past SAFETY_MAX_CLEAR. */
int safety_update_add_clear(struct safety_update *u, const char *id);
/* True when the update changes nothing. */
bool safety_update_empty(const struct safety_update *u);
/* Removes the cleared ids from `held`, then puts the shown ones. 0 or -ENOMEM. */
int safety_update_apply(const struct safety_update *u, struct ann_list *held);

/* The 64-bit FNV-1a hash as 16 hex digits: ids made of outside strings (a CAP identifier, a
 * JMA office name) that ann_id_valid would refuse. out >= 17 bytes. */
void safety_hash_hex(const char *s, char *out);

/* "12月3日 10時05分" in the facility's zone. buf >= 32 bytes. */
void safety_format_time(int64_t t, char *buf, size_t len);

#endif
