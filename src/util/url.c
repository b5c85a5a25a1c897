/* url: judges a URL from outside before the kiosk shows it as a QR code (see url.h).
 *
 * Phones follow the WHATWG URL standard, libcurl follows RFC 3986: they agree on plain
 * URLs and differ on the tricks an attacker uses to make a caption name one site while the
 * code opens another ("https://evil.example\@city.jp/" is evil.example to a phone and
 * city.jp to curl). So the raw text is screened first: a backslash before the path, user
 * info, and any character in the host part other than letters, digits, '-', '.', ':',
 * brackets or non-ASCII (an international name) are refused. What is left is parsed by
 * curl_url(), and the host curl resolves must be a name of ASCII labels (punycode for an
 * international one), an IPv4 address or a bracketed IPv6 address.
 *
 * International names go through libidn2 directly (UTF-8 in, no locale): libcurl 7.88's
 * CURLU_PUNYCODE converts through the process locale, which is "C" under systemd, so the
 * kiosk and `kiosk --check-feed` in a terminal would disagree. Nothing here does I/O. */
#include "util/url.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <idn2.h>

#include "util/utf8.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The characters a host part may hold in the raw URL: '%' (percent-decoded differently
 * by different parsers), '_' and the rest are refused before any parser sees them. */
static bool authority_char_ok(unsigned char c)
{
    return c >= 0x80 || is_alnum((char)c) || c == '-' || c == '.' || c == ':' || c == '[' ||
           c == ']';
}

/* True when s[0..n) is a number as WHATWG reads the last label of a host: decimal, or
 * hex after "0x". A host ending so is an IPv4 address to a phone, or an error. */
static bool label_is_number(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (i = 2; i < n; i++) {
            char c = s[i];
            if (!is_digit(c) && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
    for (i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return false;
        }
    }
    return n > 0;
}

/* True for four dotted decimal parts of 0-255 without leading zeros, the form curl
 * resolves every IPv4 spelling to. */
static bool is_dotted_quad(const char *h)
{
    int parts = 0;
    const char *p = h;
    while (parts < 4) {
        size_t n = 0;
        int v = 0;
        while (is_digit(p[n]) && n < 4) {
            v = v * 10 + (p[n] - '0');
            n++;
        }
        if (n == 0 || n > 3 || v > 255 || (n > 1 && p[0] == '0')) {
            return false;
        }
        parts++;
        p += n;
        if (parts < 4) {
            if (*p != '.') {
                return false;
            }
            p++;
        }
    }
    return *p == '\0';
}

/* True when h is a name of ASCII labels (letters, digits, '-' not at either end, 1-63
 * bytes each, 253 in all) or an IPv4 address in dotted decimal. */
static bool host_name_ok(const char *h)
{
    size_t len = strlen(h);
    const char *label = h;
    const char *last = h;
    if (len == 0 || len > 253) {
        return false;
    }
    for (;;) {
        size_t n = strcspn(label, ".");
        if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-') {
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            if (!is_alnum(label[i]) && label[i] != '-') {
                return false;
            }
        }
        last = label;
        if (label[n] == '\0') {
            break;
        }
        label += n + 1;
    }
    if (label_is_number(last, strlen(last))) {
        return is_dotted_quad(h);
    }
    return true;
}

/* The reason for a URL curl refuses, in the words of the feed rules. */
static const char *curl_reason(CURLUcode rc)
{
    switch (rc) {
    case CURLUE_NO_HOST:
        return "no host";
    case CURLUE_BAD_PORT_NUMBER:
        return "bad port number";
    case CURLUE_OUT_OF_MEMORY:
        return "out of memory";
    default:
        return "not a valid URL";
    }
}

/* Writes the caption form of ascii host `h` (already lower-case) to out: the Unicode form
 * of an international name with its punycode beside it. False when a punycode label does
 * not decode. */
static bool caption_host(const char *h, char *out, size_t outlen)
{
    char *uni = NULL;
    bool ok = true;
    if (h[0] == '[' || !strstr(h, "xn--")) {
        snprintf(out, outlen, "%s", h);
        return true;
    }
    if (idn2_to_unicode_8z8z(h, &uni, 0) != IDN2_OK || !uni || !utf8_valid(uni, strlen(uni))) {
        ok = false;
    } else if (strcmp(uni, h) == 0) {
        snprintf(out, outlen, "%s", h);
    } else {
        snprintf(out, outlen, "%s (%s)", uni, h);
    }
    idn2_free(uni);
    return ok;
}

bool url_check(const char *url, bool allow_http, struct url_checked *out, const char **why)
{
    struct url_checked *res = NULL;
    CURLU *cu = NULL;
    char *scheme = NULL, *user = NULL, *host = NULL;
    uint8_t *ascii = NULL;
    const char *problem = NULL;
    size_t len = strlen(url);
    size_t skip;

    if (len > URL_MAX) {
        problem = "too long";
        goto out;
    }
    if (strncasecmp(url, "https://", 8) == 0) {
        skip = 8;
    } else if (strncasecmp(url, "http://", 7) == 0) {
        if (!allow_http) {
            problem = "not https";
            goto out;
        }
        skip = 7;
    } else {
        problem = "not an https URL";
        goto out;
    }
    const char *auth = url + skip;
    size_t alen = strcspn(auth, "/?#");
    /* a phone reads '\' as '/' and ends the host there; curl reads it as user info */
    if (memchr(url, '\\', skip + alen)) {
        problem = "a backslash before the path";
        goto out;
    }
    if (memchr(auth, '@', alen)) {
        problem = "user name or password before the host";
        goto out;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        bool in_host = i >= skip && i < skip + alen;
        if (c <= 0x20 || c == 0x7F || (c >= 0x80 && !in_host)) {
            problem = "spaces or non-ASCII characters (percent-encode them)";
            goto out;
        }
        if (in_host && !authority_char_ok(c)) {
            problem = "host has characters other than letters, digits, '-' and '.'";
            goto out;
        }
    }
    if (alen == 0 || auth[0] == ':') {
        problem = "no host";
        goto out;
    }
    if (!utf8_valid(auth, alen)) {
        problem = "host is not valid UTF-8";
        goto out;
    }

    res = out ? out : malloc(sizeof *res);
    if (!res) {
        problem = "out of memory";
        goto out;
    }
    /* the host part ends at the port's ':' (an IPv6 address is bracketed) */
    size_t hlen = auth[0] == '[' ? alen : strcspn(auth, ":");
    if (hlen > alen) {
        hlen = alen;
    }
    bool intl = false;
    for (size_t i = 0; i < hlen; i++) {
        intl = intl || (unsigned char)auth[i] >= 0x80;
    }
    if (intl) {
        char name[URL_HOST_TEXT_MAX];
        if (hlen >= sizeof name) {
            problem = "host name too long";
            goto out;
        }
        memcpy(name, auth, hlen);
        name[hlen] = '\0';
        if (idn2_lookup_u8((const uint8_t *)name, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) !=
                IDN2_OK ||
            !ascii) {
            problem = "international host name is not valid";
            goto out;
        }
        int n = snprintf(res->url, sizeof res->url, "%.*s%s%s", (int)skip, url, (const char *)ascii,
                         auth + hlen);
        if (n < 0 || (size_t)n >= sizeof res->url) {
            problem = "too long";
            goto out;
        }
    } else {
        memcpy(res->url, url, len + 1);
    }

    cu = curl_url();
    if (!cu) {
        problem = "out of memory";
        goto out;
    }
    CURLUcode rc = curl_url_set(cu, CURLUPART_URL, res->url, 0);
    if (rc != CURLUE_OK) {
        problem = curl_reason(rc);
        goto out;
    }
    if (curl_url_get(cu, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcasecmp(scheme, "https") != 0 && (!allow_http || strcasecmp(scheme, "http") != 0))) {
        problem = "not an https URL";
        goto out;
    }
    rc = curl_url_get(cu, CURLUPART_USER, &user, 0);
    if (rc != CURLUE_NO_USER) {
        problem = "user name or password before the host";
        goto out;
    }
    rc = curl_url_get(cu, CURLUPART_HOST, &host, 0);
    if (rc != CURLUE_OK || !host || host[0] == '\0') {
        problem = "no host";
        goto out;
    }
    for (char *p = host; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (char)(*p - 'A' + 'a');
        }
    }
    /* curl checked a bracketed address with inet_pton; a zone id never got this far */
    if (host[0] != '[' && !host_name_ok(host)) {
        problem = "host is not a name or an IP address";
        goto out;
    }
    if (!caption_host(host, res->host, sizeof res->host)) {
        problem = "international host name is not valid";
        goto out;
    }

out:
    if (res != out) {
        free(res);
    }
    curl_free(scheme);
    curl_free(user);
    curl_free(host);
    idn2_free(ascii);
    curl_url_cleanup(cu);
    if (problem && why) {
        *why = problem;
    }
    return !problem;
}
