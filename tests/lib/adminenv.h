/* adminenv: the admin API served in-process for the tests of tests/admin/: a temp dir with a
 * 0600 token file and a state dir, a fixed clock, the admin on 127.0.0.1 port 0, and one
 * libcurl request helper whose reply keeps the headers any of those tests checks. Linked by
 * tests/admin only (as kiosk_testlib_admin); the rest of tests/lib stays plain C. */
#ifndef KIOSK_TESTS_ADMINENV_H
#define KIOSK_TESTS_ADMINENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "admin/admin.h"

/* What differs between the tests: the token written to the token file, the fixed time, the
 * body limit (0 = the admin's default) and whether on_change calls are counted. */
struct adminenv_options {
    const char *token;
    int64_t now;
    size_t max_body;
    bool count_changes;
};

struct adminenv {
    char *dir;
    char state[1024];
    char token_file[1024];
    int64_t now;
    int changes;
    struct admin_options opt;
    struct admin *admin;
    int port;
};

struct adminenv_reply {
    long status;
    char *body;
    size_t len;
    char allow[128];
    char retry_after[32];
    char location[256];
    char nosniff[64];
    char acao[128]; /* Access-Control-Allow-Origin: must never be sent */
    char type[128];
    char csp[512];
    char referrer[64];
    char cache[64];
};

/* Extra request headers and the addresses to use, or NULL. */
struct adminenv_req {
    const char *hdr[4];
    const char *connect_to; /* IP literal of the server to connect to; NULL = 127.0.0.1 */
    const char *from;       /* local address to connect from (127.0.0.x); NULL = any */
};

/* Makes the temp dir and token file, fills e->opt and starts the admin; -1 on failure (call
 * adminenv_done anyway). */
int adminenv_init(struct adminenv *e, const struct adminenv_options *o);
/* (Re)creates the admin from e->opt (after a test changed it); says why on stdout. */
int adminenv_start(struct adminenv *e);
/* Frees the admin and removes the temp dir. */
void adminenv_done(struct adminenv *e);

/* One request. token NULL sends no Authorization header; chunk_bytes > 0 sends that many
 * bytes of body with chunked encoding instead of `body`. Returns the status, -1 when the
 * transfer failed; r->body is always set (free it with adminenv_reply_free). */
long adminenv_request(int port, const char *method, const char *path, const char *token,
                      const char *body, size_t chunk_bytes, const struct adminenv_req *o,
                      struct adminenv_reply *r);
void adminenv_reply_free(struct adminenv_reply *r);
/* The libcurl write callback that appends to the adminenv_reply given as its data, for a test
 * that sets up its own handle (HTTPS, say). */
size_t adminenv_on_body(char *d, size_t s, size_t n, void *u);

#endif
