/* test_net_sigcheck: detached Ed25519 signatures over the announcements document: good,
 * bad, missing, wrong key, backup key, and malformed inputs. */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "crypto/sigcheck.h"
#include "testutil.h"

static const char doc[] = "{\"version\":1,\"announcements\":[]}\n";

struct keyset {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char pk_b64[64];
};

static void make_key(struct keyset *k)
{
    crypto_sign_keypair(k->pk, k->sk);
    sodium_bin2base64(k->pk_b64, sizeof k->pk_b64, k->pk, sizeof k->pk,
                      sodium_base64_VARIANT_ORIGINAL);
}

/* The format `kioskctl sign` writes: base64 and a newline. */
static void sign(const struct keyset *k, const void *data, size_t len, char *out, size_t outlen)
{
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, data, len, k->sk);
    sodium_bin2base64(out, outlen, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    strncat(out, "\n", outlen - strlen(out) - 1);
}

static void good_signature_verifies(void)
{
    struct keyset k;
    char sig[128], err[128];
    const char *keys[1];

    CHECK(sigcheck_init() == 0);
    make_key(&k);
    keys[0] = k.pk_b64;
    sign(&k, doc, strlen(doc), sig, sizeof sig);
    CHECK(sigcheck_verify(doc, strlen(doc), sig, strlen(sig), keys, 1, err, sizeof err) == 0);
}

static void surrounding_whitespace_is_allowed(void)
{
    struct keyset k;
    char sig[128], padded[160], err[128];
    const char *keys[1];

    make_key(&k);
    keys[0] = k.pk_b64;
    sign(&k, doc, strlen(doc), sig, sizeof sig);
    snprintf(padded, sizeof padded, " \r\n\t%s\r\n\n", sig);
    CHECK(sigcheck_verify(doc, strlen(doc), padded, strlen(padded), keys, 1, err, sizeof err) == 0);
}

static void altered_document_is_rejected(void)
{
    struct keyset k;
    char sig[128], err[128];
    char copy[sizeof doc];
    const char *keys[1];

    make_key(&k);
    keys[0] = k.pk_b64;
    sign(&k, doc, strlen(doc), sig, sizeof sig);
    memcpy(copy, doc, sizeof doc);
    copy[3] ^= 1;
    CHECK(sigcheck_verify(copy, strlen(copy), sig, strlen(sig), keys, 1, err, sizeof err) ==
          -EBADMSG);
    CHECK(strstr(err, "does not verify"));
    /* One byte more (a trailing newline added by an editor) also breaks it. */
    CHECK(sigcheck_verify(doc, strlen(doc) + 1, sig, strlen(sig), keys, 1, err, sizeof err) ==
          -EBADMSG);
}

static void missing_or_malformed_signature_is_rejected(void)
{
    struct keyset k;
    char err[128];
    const char *keys[1];
    char short_sig[] = "AAAA";

    make_key(&k);
    keys[0] = k.pk_b64;
    CHECK(sigcheck_verify(doc, strlen(doc), "", 0, keys, 1, err, sizeof err) == -EINVAL);
    CHECK(sigcheck_verify(doc, strlen(doc), NULL, 0, keys, 1, err, sizeof err) == -EINVAL);
    CHECK(sigcheck_verify(doc, strlen(doc), short_sig, strlen(short_sig), keys, 1, err,
                          sizeof err) == -EINVAL);
    CHECK(sigcheck_verify(doc, strlen(doc), "<html>portal</html>", 19, keys, 1, err, sizeof err) ==
          -EINVAL);
    CHECK(strstr(err, "64 bytes"));
}

static void wrong_key_is_rejected(void)
{
    struct keyset signer, other;
    char sig[128], err[128];
    const char *keys[1];

    make_key(&signer);
    make_key(&other);
    keys[0] = other.pk_b64;
    sign(&signer, doc, strlen(doc), sig, sizeof sig);
    CHECK(sigcheck_verify(doc, strlen(doc), sig, strlen(sig), keys, 1, err, sizeof err) ==
          -EBADMSG);
}

static void any_configured_key_may_verify(void)
{
    struct keyset a, b;
    char sig[128], err[128];
    const char *keys[2];

    make_key(&a);
    make_key(&b);
    keys[0] = a.pk_b64;
    keys[1] = b.pk_b64;
    sign(&b, doc, strlen(doc), sig, sizeof sig);
    CHECK(sigcheck_verify(doc, strlen(doc), sig, strlen(sig), keys, 2, err, sizeof err) == 0);
}

static void malformed_keys_and_no_keys_are_errors(void)
{
    struct keyset k;
    char sig[128], err[128];
    const char *bad[1] = {"bm90IGEga2V5"};
    unsigned char raw[SIGCHECK_KEY_BYTES];

    make_key(&k);
    sign(&k, doc, strlen(doc), sig, sizeof sig);
    CHECK(sigcheck_verify(doc, strlen(doc), sig, strlen(sig), bad, 1, err, sizeof err) == -EINVAL);
    CHECK(sigcheck_verify(doc, strlen(doc), sig, strlen(sig), NULL, 0, err, sizeof err) == -EINVAL);
    CHECK(sigcheck_parse_key(k.pk_b64, raw) == 0);
    CHECK(memcmp(raw, k.pk, sizeof raw) == 0);
    CHECK(sigcheck_parse_key("", raw) == -EINVAL);
    CHECK(sigcheck_parse_key(NULL, raw) == -EINVAL);
}

int main(void)
{
    RUN(good_signature_verifies);
    RUN(surrounding_whitespace_is_allowed);
    RUN(altered_document_is_rejected);
    RUN(missing_or_malformed_signature_is_rejected);
    RUN(wrong_key_is_rejected);
    RUN(any_configured_key_may_verify);
    RUN(malformed_keys_and_no_keys_are_errors);
    TEST_MAIN_END();
}
