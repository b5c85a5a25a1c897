/* config_sources: a configured source as the feed readers' options and a name for people.
 *
 * Source 0 is feed_url, sources 1 to 15 the source.N.* keys (config.h). The kiosk's sync,
 * `kiosk --check-feed` and `kiosk-feed build` read a source the same way through this. */
#ifndef KIOSK_CONFIG_SOURCES_H
#define KIOSK_CONFIG_SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "feed/import.h"

struct config_import {
    struct import_opts opts; /* id_prefix points into prefix */
    char prefix[32];
};

/* The options for reading slot's source at `now` (the iCalendar window's start). */
void config_import_opts(const struct config *c, size_t slot, int64_t now,
                        struct config_import *out);

/* The name the status and the log give slot's source: its label, else "feed" for source 0
 * and the URL's host (or a file's name) for the others. */
void config_source_name(const struct config *c, size_t slot, char *buf, size_t len);

#endif
