/* httpreply: the pieces of an HTTP reply that the admin tests collect from libcurl's
 * callbacks, shared so each test keeps only the headers it cares about. Plain C, no curl:
 * the callbacks stay in the tests, which own their handles. */
#ifndef KIOSK_TESTS_HTTPREPLY_H
#define KIOSK_TESTS_HTTPREPLY_H

#include <stddef.h>

/* Appends n bytes to *body (kept NUL-terminated; the caller frees it). Returns 0, or -1 when
 * out of memory, leaving *body and *len as they were. */
int httpreply_append(char **body, size_t *len, const char *data, size_t n);

/* When the raw header line (n bytes, not terminated) starts with name ("Allow:", any case),
 * copies its value without leading spaces or the line end into out; else leaves out alone. */
void httpreply_grab_header(const char *line, size_t n, const char *name, char *out, size_t outlen);

#endif
