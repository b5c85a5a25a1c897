/* staff: the staff web page the admin API serves at / and /staff.
 *
 * The page (assets/staff/: index.html, staff.css, staff.js, staff-icon.svg) is compiled into
 * the binary by cmake/embed.cmake, so an installed kiosk needs no extra files and a tampered
 * /usr/share cannot change what staff run. The page holds no secrets: it is served without
 * the token, asks staff for it and sends it as a Bearer header with each /api/v1 call. Every
 * answer carries a Content-Security-Policy that allows only the page's own script and style
 * and blob: images (the screenshot), nosniff, no-referrer and no-store. */
#ifndef KIOSK_ADMIN_STAFF_H
#define KIOSK_ADMIN_STAFF_H

#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

/* One embedded file; the generated table ends with a NULL name. `data` has a NUL after
 * `len` bytes. */
struct staff_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};

/* Generated at build time (staff_files.c in the build dir). */
extern const struct staff_file staff_files[];

/* The Content-Security-Policy every page answer carries. */
#define ADMIN_STAFF_CSP                                                                            \
    "default-src 'self'; img-src 'self' blob:; object-src 'none'; base-uri 'none'; "               \
    "form-action 'self'; frame-ancestors 'none'"

/* The embedded file called `name` ("index.html"), or NULL. */
const struct staff_file *admin_staff_file(const char *name);

/* True when `url` is one of the page's own paths (/, /staff, /staff.js, ...), which are
 * served without the token. */
bool admin_staff_is_page(const char *url);

/* Answers a request for a page path: 200 with the file for GET and HEAD, 405 with Allow for
 * other methods. The API thread, from the request handler. */
enum MHD_Result admin_staff_serve(struct MHD_Connection *conn, const char *url, const char *method);

#endif
