/* ctl: the pieces of kioskctl, the staff command for the kiosk's admin API.
 *
 * kioskctl.c parses the command line and formats answers; ctl_http.c talks to the kiosk
 * with libcurl and turns every outcome into one of the documented exit codes; ctl_keys.c
 * makes and uses the Ed25519 key that signs the published announcements document. kioskctl
 * is an interactive tool: it writes messages for a person (Japanese and English) on stderr
 * and results on stdout, rather than log lines. */
#ifndef KIOSK_KIOSKCTL_CTL_H
#define KIOSK_KIOSKCTL_CTL_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes a script can rely on (also in `kioskctl --help`). */
enum ctl_exit {
    CTL_EXIT_OK = 0,
    CTL_EXIT_USAGE = 1,       /* bad arguments, or a local file (token, key) is unusable */
    CTL_EXIT_UNREACHABLE = 2, /* no answer from the kiosk (down, wrong URL, TLS failure) */
    CTL_EXIT_AUTH = 3,        /* 401 wrong token, or 429 after too many wrong tokens */
    CTL_EXIT_REJECTED = 4,    /* another 4xx: the kiosk refused the request as sent */
    CTL_EXIT_SERVER = 5,      /* 5xx or an answer that makes no sense */
};

struct ctl_conn {
    const char *url;    /* base, e.g. "http://127.0.0.1:8080" */
    const char *token;  /* the bearer token */
    const char *cacert; /* a CA file for an https kiosk with its own certificate, or NULL */
    long timeout_s;     /* the whole request */
};

struct ctl_reply {
    long status; /* HTTP status, 0 when there was no answer */
    char *body;  /* NUL-terminated, owned; may be empty */
    size_t len;
    char retry_after[16];
};

/* Sends one request (body may be NULL) to url + path. Returns CTL_EXIT_OK when an HTTP
 * answer came back (whatever its status), else prints why and returns
 * CTL_EXIT_UNREACHABLE. The caller frees with ctl_reply_free. */
int ctl_request(const struct ctl_conn *c, const char *method, const char *path, const char *body,
                struct ctl_reply *out);
void ctl_reply_free(struct ctl_reply *r);

/* For a non-2xx answer: prints the kiosk's {"error": ...} message for a person and
 * returns the exit code for the status. */
int ctl_report_failure(const struct ctl_conn *c, const struct ctl_reply *r);

/* Writes a new Ed25519 secret key (standard base64 of libsodium's 64-byte key) to
 * `out_path` with mode 0600, refusing to overwrite, and prints the public key. */
int ctl_keygen(const char *out_path);

/* Signs the exact bytes of `file` with the secret key in `key_path` and writes the
 * standard base64 of the 64-byte signature plus a newline to "<file>.sig". */
int ctl_sign(const char *file, const char *key_path);

/* `kioskctl stats`: the usage counts of --fiscal-year (April to March) or --from/--to
 * (YYYY-MM-DD; NULL = the kiosk's default, the last 7 days), as a summary, the kiosk's JSON
 * (json) or its CSV for Excel (csv, written byte for byte). Returns an exit code. */
struct ctl_stats_args {
    const char *fiscal_year, *from, *to;
    bool csv, json;
};
int ctl_stats(const struct ctl_conn *c, const struct ctl_stats_args *s);

/* Prints a message for a person on stderr, prefixed "kioskctl: ". */
void ctl_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
