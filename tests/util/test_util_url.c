/* test_util_url: the rules a signup URL must meet before it becomes a QR code, and the host
 * its caption names. */
#include <stdlib.h>
#include <string.h>

#include "util/url.h"
#include "testutil.h"

static struct url_checked got;

/* The reason url_check gives, or NULL when it accepts the URL. */
static const char *why(const char *url)
{
    const char *w = NULL;
    memset(&got, 0, sizeof got);
    return url_check(url, false, &got, &w) ? NULL : w;
}

static bool refused_because(const char *url, const char *reason)
{
    const char *w = why(url);
    if (!w || strcmp(w, reason) != 0) {
        printf("  %s: %s\n", url, w ? w : "(accepted)");
        return false;
    }
    return true;
}

static bool accepted_with_host(const char *url, const char *host)
{
    const char *w = why(url);
    if (w || strcmp(got.host, host) != 0) {
        printf("  %s: %s, host '%s'\n", url, w ? w : "accepted", got.host);
        return false;
    }
    return true;
}

static void a_plain_https_url_is_kept_as_given_and_names_its_host(void)
{
    CHECK(accepted_with_host("https://www.city.musashino.lg.jp/form/ev-1201-01",
                             "www.city.musashino.lg.jp"));
    CHECK(strcmp(got.url, "https://www.city.musashino.lg.jp/form/ev-1201-01") == 0);
    CHECK(accepted_with_host("HTTPS://Www.Example.JP/a/b?c=D#e", "www.example.jp"));
    CHECK(strcmp(got.url, "HTTPS://Www.Example.JP/a/b?c=D#e") == 0);
    CHECK(accepted_with_host("https://example.jp", "example.jp"));
    CHECK(accepted_with_host("https://example.jp?x=1", "example.jp"));
    CHECK(accepted_with_host("https://localhost/x", "localhost"));
}

static void a_backslash_before_the_path_is_refused(void)
{
    /* a phone opens evil.example; curl and the old caption said the city's host */
    CHECK(refused_because("https://evil.example\\@www.city.musashino.lg.jp/form",
                          "a backslash before the path"));
    CHECK(refused_because("https://www.city.jp\\evil.example/", "a backslash before the path"));
    CHECK(refused_because("https://\\\\evil.example/", "a backslash before the path"));
    /* in the path a backslash cannot move the host */
    CHECK(accepted_with_host("https://example.jp/a\\b", "example.jp"));
}

static void user_info_is_refused(void)
{
    const char *r = "user name or password before the host";
    CHECK(refused_because("https://www.city.musashino.lg.jp@evil.example/", r));
    CHECK(refused_because("https://user:pw@host.jp:8443/x", r));
    CHECK(refused_because("https://@host.jp/x", r));
    CHECK(refused_because("https://@/x", r));
    /* an '@' after the host is part of the path or query */
    CHECK(accepted_with_host("https://example.jp/a@b?c=d@e", "example.jp"));
}

static void a_url_without_a_host_is_refused(void)
{
    CHECK(refused_because("https://:443/x", "no host"));
    CHECK(refused_because("https:///x", "no host"));
    CHECK(refused_because("https://", "no host"));
    CHECK(refused_because("https://?q", "no host"));
    CHECK(refused_because("https://#f", "no host"));
}

static void only_https_is_accepted_and_http_where_allowed(void)
{
    const char *w = NULL;
    CHECK(refused_because("http://example.jp/", "not https"));
    CHECK(refused_because("ftp://example.jp/", "not an https URL"));
    CHECK(refused_because("javascript:alert(1)", "not an https URL"));
    CHECK(refused_because("https:example.jp", "not an https URL"));
    CHECK(refused_because("https:/\\example.jp", "not an https URL"));
    CHECK(url_check("http://example.jp/", true, &got, &w));
    CHECK(strcmp(got.host, "example.jp") == 0);
    CHECK(!url_check("ftp://example.jp/", true, NULL, &w));
}

static void hosts_must_be_names_or_addresses(void)
{
    const char *r = "host has characters other than letters, digits, '-' and '.'";
    CHECK(refused_because("https://a_b.jp/", r));
    CHECK(refused_because("https://ex%2Eample.jp/", r));
    CHECK(refused_because("https://exa!mple.jp/", r));
    CHECK(refused_because("https://[fe80::1%25eth0]/", r));
    const char *n = "host is not a name or an IP address";
    CHECK(refused_because("https://a..b/", n));
    CHECK(refused_because("https://example.jp./", n));
    CHECK(refused_because("https://-example.jp/", n));
    CHECK(refused_because("https://example-.jp/", n));
    CHECK(refused_because("https://1.2.3.4.5/", n));
    CHECK(refused_because("https://example.123/", n));
    char longlabel[128] = "https://";
    memset(longlabel + 8, 'a', 64);
    strcpy(longlabel + 72, ".jp/");
    CHECK(refused_because(longlabel, n));
}

static void ip_addresses_show_as_the_parser_resolves_them(void)
{
    CHECK(accepted_with_host("https://192.0.2.1/x", "192.0.2.1"));
    CHECK(accepted_with_host("https://192.0.2.1:8443/x", "192.0.2.1"));
    /* a phone reads these as IPv4 too: the caption says which address */
    CHECK(accepted_with_host("https://0x7f.1/", "127.0.0.1"));
    CHECK(accepted_with_host("https://1.2.3/", "1.2.0.3"));
    CHECK(accepted_with_host("https://[2001:db8::1]:8443/", "[2001:db8::1]"));
    CHECK(accepted_with_host("https://[::1]/x", "[::1]"));
    CHECK(refused_because("https://256.1.1.1/", "host is not a name or an IP address"));
    CHECK(refused_because("https://[2001:db8::zz]/", "not a valid URL"));
    CHECK(refused_because("https://[2001:db8::1/", "not a valid URL"));
}

static void ports_are_checked_and_left_out_of_the_caption(void)
{
    CHECK(accepted_with_host("https://example.jp:8443/x", "example.jp"));
    CHECK(accepted_with_host("https://example.jp:/x", "example.jp"));
    CHECK(refused_because("https://example.jp:99999/", "bad port number"));
    CHECK(refused_because("https://example.jp:8x/", "bad port number"));
}

static void an_international_host_shows_unicode_and_punycode(void)
{
    CHECK(accepted_with_host("https://例え.jp/a?b=1", "例え.jp (xn--r8jz45g.jp)"));
    /* the code holds the ASCII form, so the phone opens exactly the punycode shown */
    CHECK(strcmp(got.url, "https://xn--r8jz45g.jp/a?b=1") == 0);
    CHECK(accepted_with_host("https://xn--r8jz45g.jp/", "例え.jp (xn--r8jz45g.jp)"));
    CHECK(strcmp(got.url, "https://xn--r8jz45g.jp/") == 0);
    CHECK(accepted_with_host("https://武蔵野.jp:8443/", "武蔵野.jp (xn--5lwo46cp2i.jp)"));
    CHECK(strcmp(got.url, "https://xn--5lwo46cp2i.jp:8443/") == 0);
    /* a look-alike name is shown with its punycode, which gives it away */
    CHECK(accepted_with_host("https://аpple.com/", "аpple.com (xn--pple-43d.com)"));
    /* full-width letters are the ASCII name */
    CHECK(accepted_with_host("https://ＥＸＡＭＰＬＥ.jp/", "example.jp"));
    CHECK(strcmp(got.url, "https://example.jp/") == 0);
    CHECK(refused_because("https://例え.jp/申し込み",
                          "spaces or non-ASCII characters (percent-encode them)"));
    CHECK(refused_because("https://xn--zz.jp/", "international host name is not valid"));
    /* a zero-width space is nothing to a phone (UTS 46), and nothing in the caption */
    CHECK(accepted_with_host("https://a\xE2\x80\x8B"
                             "b.jp/",
                             "ab.jp"));
    CHECK(strcmp(got.url, "https://ab.jp/") == 0);
}

static void long_urls_are_refused_past_2048_bytes(void)
{
    char *u = malloc(URL_MAX + 2);
    CHECK(u);
    if (!u) {
        return;
    }
    strcpy(u, "https://example.jp/");
    size_t n = strlen(u);
    memset(u + n, 'a', URL_MAX - n);
    u[URL_MAX] = '\0';
    CHECK(!why(u));
    CHECK(strcmp(got.url, u) == 0);
    u[URL_MAX] = 'a';
    u[URL_MAX + 1] = '\0';
    CHECK(refused_because(u, "too long"));
    free(u);
    /* the punycode form counts too */
    char *v = malloc(URL_MAX + 1);
    CHECK(v);
    if (!v) {
        return;
    }
    strcpy(v, "https://例え.jp/");
    n = strlen(v);
    memset(v + n, 'a', URL_MAX - n);
    v[URL_MAX] = '\0';
    CHECK(refused_because(v, "too long"));
    free(v);
}

static void spaces_and_controls_are_refused(void)
{
    const char *r = "spaces or non-ASCII characters (percent-encode them)";
    CHECK(refused_because("https://example.jp/a b", r));
    CHECK(refused_because("https://exa\tmple.jp/", r));
    CHECK(refused_because("https://example.jp/\x7F", r));
    CHECK(refused_because(" https://example.jp/", "not an https URL"));
}

int main(void)
{
    RUN(a_plain_https_url_is_kept_as_given_and_names_its_host);
    RUN(a_backslash_before_the_path_is_refused);
    RUN(user_info_is_refused);
    RUN(a_url_without_a_host_is_refused);
    RUN(only_https_is_accepted_and_http_where_allowed);
    RUN(hosts_must_be_names_or_addresses);
    RUN(ip_addresses_show_as_the_parser_resolves_them);
    RUN(ports_are_checked_and_left_out_of_the_caption);
    RUN(an_international_host_shows_unicode_and_punycode);
    RUN(long_urls_are_refused_past_2048_bytes);
    RUN(spaces_and_controls_are_refused);
    TEST_MAIN_END();
}
