/* jsonstrict: RFC 8259 JSON, strictly, in front of cJSON.
 *
 * cJSON is lenient where the kiosk cannot be: it takes leading zeros, "1.", raw control
 * characters in strings, form feeds between tokens, and turns "\u0000" into a silently
 * truncated string. json_strict_parse() first checks the bytes against the grammar without
 * recursion (so a 100,000-deep [[[[ is one clean error, not a stack overflow), with a depth
 * and value budget so an 8 MiB document cannot become hundreds of megabytes of nodes, and
 * only then lets cJSON build the tree (from the caller's bytes, without a copy, unless the
 * document holds an escaped NUL). Bytes of 0x80 and above inside strings are passed
 * through unjudged: callers check each string with utf8_valid() so one bad string costs one
 * item, not the document. An escaped NUL becomes JSON_STRICT_NUL_MARK in the string (an
 * overlong encoding, itself invalid UTF-8) so callers can tell it apart and reject it. */
#ifndef KIOSK_UTIL_JSONSTRICT_H
#define KIOSK_UTIL_JSONSTRICT_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

#define JSON_STRICT_NUL_MARK "\xC0\x80"
#define JSON_STRICT_MAX_DEPTH_DEFAULT 64
#define JSON_STRICT_MAX_VALUES_DEFAULT 1000000u

struct json_strict_limits {
    size_t max_depth;  /* arrays and objects nested deeper are an error */
    size_t max_values; /* more values (scalars, arrays, objects) in all are an error */
};

/* Parses `len` bytes (not necessarily NUL-terminated; a leading UTF-8 byte order mark is
 * skipped). Returns a tree the caller deletes with cJSON_Delete, or NULL with a one-line
 * reason in err ("invalid JSON at byte 12: ..."). `lim` may be NULL for the defaults.
 * Any thread. */
struct cJSON *json_strict_parse(const char *data, size_t len, const struct json_strict_limits *lim,
                                char *err, size_t errlen);

/* json_strict_parse(), also telling through *strings_clean (when not NULL) whether every
 * string and member name in the document is well-formed UTF-8 without an escaped NUL, so
 * the caller may skip json_strict_string_problem() on each. */
struct cJSON *json_strict_parse_ex(const char *data, size_t len,
                                   const struct json_strict_limits *lim, bool *strings_clean,
                                   char *err, size_t errlen);

/* Why a string from json_strict_parse() cannot be used, or NULL when it is well-formed
 * UTF-8 without NUL: "contains \\u0000" or "invalid UTF-8". */
const char *json_strict_string_problem(const char *s);

#endif
