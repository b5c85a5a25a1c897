/* sigcheck: see sigcheck.h. libsodium does the cryptography and the base64; this file only
 * trims whitespace, checks lengths and loops over the keys. */
#include "crypto/sigcheck.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

static pthread_once_t sigcheck_once = PTHREAD_ONCE_INIT;
static int sigcheck_init_rc;

static void sigcheck_do_init(void)
{
    /* sodium_init returns 1 when already initialised elsewhere: that is fine too. */
    sigcheck_init_rc = sodium_init() < 0 ? -EIO : 0;
}

int sigcheck_init(void)
{
    if (pthread_once(&sigcheck_once, sigcheck_do_init) != 0) {
        return -EIO;
    }
    return sigcheck_init_rc;
}

static int sigcheck_decode(const char *text, size_t len, unsigned char *out, size_t want)
{
    size_t got = 0;
    const char *end = NULL;

    if (!text || sigcheck_init() != 0) {
        return -EINVAL;
    }
    while (len > 0 && strchr(" \t\r\n", text[len - 1]) && text[len - 1] != '\0') {
        len--;
    }
    while (len > 0 && strchr(" \t\r\n", text[0]) && text[0] != '\0') {
        text++;
        len--;
    }
    if (len == 0) {
        return -EINVAL;
    }
    if (sodium_base642bin(out, want, text, len, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) !=
        0) {
        return -EINVAL;
    }
    if (got != want || end != text + len) {
        return -EINVAL;
    }
    return 0;
}

int sigcheck_parse_key(const char *b64, unsigned char out[SIGCHECK_KEY_BYTES])
{
    if (!b64) {
        return -EINVAL;
    }
    return sigcheck_decode(b64, strlen(b64), out, SIGCHECK_KEY_BYTES);
}

int sigcheck_parse_sig(const char *text, size_t len, unsigned char out[SIGCHECK_SIG_BYTES])
{
    return sigcheck_decode(text, len, out, SIGCHECK_SIG_BYTES);
}

int sigcheck_verify(const void *doc, size_t doc_len, const char *sig_text, size_t sig_len,
                    const char *const *keys_b64, size_t n_keys, char *err, size_t errlen)
{
    unsigned char sig[SIGCHECK_SIG_BYTES];
    unsigned char key[SIGCHECK_KEY_BYTES];
    size_t i;

    if (err && errlen) {
        err[0] = '\0';
    }
    if (sigcheck_init() != 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        return -EINVAL;
    }
    if (n_keys == 0) {
        snprintf(err, errlen, "no public key configured");
        return -EINVAL;
    }
    if (sigcheck_parse_sig(sig_text, sig_len, sig) != 0) {
        snprintf(err, errlen, "signature is not base64 of 64 bytes");
        return -EINVAL;
    }
    for (i = 0; i < n_keys; i++) {
        if (sigcheck_parse_key(keys_b64[i], key) != 0) {
            snprintf(err, errlen, "public key %zu is not base64 of 32 bytes", i + 1);
            return -EINVAL;
        }
    }
    for (i = 0; i < n_keys; i++) {
        if (sigcheck_parse_key(keys_b64[i], key) != 0) {
            return -EINVAL;
        }
        if (crypto_sign_verify_detached(sig, (const unsigned char *)doc, doc_len, key) == 0) {
            return 0;
        }
    }
    snprintf(err, errlen, "signature does not verify with any of %zu key(s)", n_keys);
    return -EBADMSG;
}
