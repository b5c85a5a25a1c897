/* url: judges a URL from outside before the kiosk shows it as a QR code.
 *
 * A pure-parsing utility: it uses libcurl's URL parser (curl_url(), no transfer, no DNS)
 * and libidn2's name conversion, and never touches the network, files or the locale. The
 * rules are for a code a visitor scans: what the phone opens must be what the caption
 * under the code names. So a URL is refused when a phone and curl could disagree on its
 * host (user info, a backslash before the path, characters other than letters, digits,
 * '-', '.', ':' and brackets in the host part) or when it has no usable host. */
#ifndef KIOSK_UTIL_URL_H
#define KIOSK_UTIL_URL_H

#include <stdbool.h>
#include <stddef.h>

#define URL_MAX 2048u
#define URL_HOST_TEXT_MAX 1024u

/* What url_check() found. */
struct url_checked {
    /* The URL to encode: as given, except that an international host is in its ASCII
     * (punycode) form, so the code holds only printable ASCII. */
    char url[URL_MAX + 1];
    /* The host for the caption, as the parser resolves it, lower-case, without port:
     * "www.example.jp", "192.0.2.1", "[2001:db8::1]"; an international name in Unicode
     * with its punycode beside it: "例え.jp (xn--r8jz45g.jp)". */
    char host[URL_HOST_TEXT_MAX];
};

/* True when `url` is an https URL (or http when allow_http) that names a host the caption
 * can show truthfully, at most URL_MAX bytes (also after converting its host). Fills *out
 * when it is. Otherwise returns false and points *why at a short English phrase
 * ("user name or password before the host"). `out` may be NULL. Any thread. */
bool url_check(const char *url, bool allow_http, struct url_checked *out, const char **why);

#endif
