/* staff: see staff.h.
 *
 * A fixed table maps the page's paths to embedded files and their types; nothing is read
 * from disk and no path is ever joined, so there is nothing to traverse. The answers are
 * built from the embedded bytes without copying (MHD_RESPMEM_PERSISTENT). */
#include "admin/staff.h"

#include <string.h>

struct staff_route {
    const char *url;
    const char *file;
    const char *type;
};

static const struct staff_route staff_routes[] = {
    {"/", "index.html", "text/html; charset=utf-8"},
    {"/staff", "index.html", "text/html; charset=utf-8"},
    {"/staff/", "index.html", "text/html; charset=utf-8"},
    {"/staff.css", "staff.css", "text/css; charset=utf-8"},
    {"/staff.js", "staff.js", "text/javascript; charset=utf-8"},
    {"/staff-icon.svg", "staff-icon.svg", "image/svg+xml"},
    /* Browsers ask for it unprompted; without this it would count as a failed login. */
    {"/favicon.ico", "staff-icon.svg", "image/svg+xml"},
};

const struct staff_file *admin_staff_file(const char *name)
{
    for (const struct staff_file *f = staff_files; f->name; f++) {
        if (strcmp(f->name, name) == 0) {
            return f;
        }
    }
    return NULL;
}

static const struct staff_route *staff_route_find(const char *url)
{
    for (size_t i = 0; i < sizeof staff_routes / sizeof staff_routes[0]; i++) {
        if (strcmp(staff_routes[i].url, url) == 0) {
            return &staff_routes[i];
        }
    }
    return NULL;
}

bool admin_staff_is_page(const char *url)
{
    return url && staff_route_find(url);
}

static void staff_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy", ADMIN_STAFF_CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

static enum MHD_Result staff_answer(struct MHD_Connection *conn, unsigned status, const void *data,
                                    size_t len, const char *type, const char *allow)
{
    enum MHD_Result ret;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        return MHD_NO;
    }
    staff_headers(resp);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (allow) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    }
    ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result admin_staff_serve(struct MHD_Connection *conn, const char *url, const char *method)
{
    static const char not_allowed[] =
        "{\"error\":\"the staff page is read with GET; use GET, HEAD\"}";
    static const char missing[] = "{\"error\":\"this kiosk was built without the staff page\"}";
    const struct staff_route *r = staff_route_find(url);
    const struct staff_file *f = r ? admin_staff_file(r->file) : NULL;

    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        return staff_answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED, not_allowed, sizeof not_allowed - 1,
                            "application/json; charset=utf-8", "GET, HEAD");
    }
    if (!f) {
        return staff_answer(conn, MHD_HTTP_NOT_FOUND, missing, sizeof missing - 1,
                            "application/json; charset=utf-8", NULL);
    }
    return staff_answer(conn, MHD_HTTP_OK, f->data, f->len, r->type, NULL);
}
