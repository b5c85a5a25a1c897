/* ctl_keys: the Ed25519 key that signs the announcements document.
 *
 * The city publishes announcements at announcements_url; the kiosk shows them only when
 * <announcements_url>.sig verifies against one of its announcement_keys. `keygen` makes the
 * key pair once (the secret stays with staff, mode 0600, never overwritten by accident);
 * `sign` is run after every edit of the document. The secret key file is text: the
 * standard base64 of libsodium's 64-byte secret key (seed followed by public key), so it
 * can be copied into a password manager. */
#include "kioskctl/ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "util/fsio.h"

#define CTL_SIGN_MAX_BYTES (64u * 1024u * 1024u)

static int ctl_write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Appends '\n' to a base64 string whose buffer was sized one byte larger than the encoding. */
static void ctl_add_newline(char *s)
{
    size_t n = strlen(s);
    s[n] = '\n';
    s[n + 1] = '\0';
}

int ctl_keygen(const char *out_path)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char sk_b64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES,
                                          sodium_base64_VARIANT_ORIGINAL) +
                1];
    char pk_b64[sodium_base64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES,
                                          sodium_base64_VARIANT_ORIGINAL)];
    int rc = CTL_EXIT_USAGE, fd = -1, w;

    if (sodium_init() < 0) {
        ctl_say("libsodium を初期化できません / cannot initialise libsodium");
        return CTL_EXIT_USAGE;
    }
    crypto_sign_keypair(pk, sk);
    sodium_bin2base64(sk_b64, sizeof sk_b64 - 1, sk, sizeof sk, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(pk_b64, sizeof pk_b64, pk, sizeof pk, sodium_base64_VARIANT_ORIGINAL);
    ctl_add_newline(sk_b64);

    /* O_EXCL: a second keygen must never destroy the key the kiosks trust. */
    fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            ctl_say("%s は既に存在します。上書きしません / %s already exists; refusing to "
                    "overwrite a key (choose another --out)",
                    out_path, out_path);
        } else {
            ctl_say("%s を作成できません / cannot create %s: %s", out_path, out_path,
                    strerror(errno));
        }
        goto out;
    }
    w = fchmod(fd, 0600) < 0 ? -errno : 0;
    if (w == 0) {
        w = ctl_write_all(fd, sk_b64, strlen(sk_b64));
    }
    if (w == 0 && fsync(fd) < 0) {
        w = -errno;
    }
    if (close(fd) < 0 && w == 0) {
        w = -errno;
    }
    fd = -1;
    if (w < 0) {
        ctl_say("%s に書き込めません / cannot write %s: %s", out_path, out_path, strerror(-w));
        unlink(out_path);
        goto out;
    }
    printf("%s\n", pk_b64);
    ctl_say("秘密鍵を %s に保存しました。公開鍵をキオスクの設定に追加してください / secret key "
            "written to %s (keep it private); add the public key to the kiosk config: "
            "announcement_keys = %s",
            out_path, out_path, pk_b64);
    rc = CTL_EXIT_OK;
out:
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(sk_b64, sizeof sk_b64);
    return rc;
}

/* Reads a secret key file: base64 text of 64 bytes, or the raw 64 bytes. */
static int ctl_read_secret(const char *path, unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
    char *data = NULL;
    size_t len = 0, bin_len = 0;
    struct stat st;
    int rc = fsio_read_file(path, 4096, &data, &len);
    if (rc < 0) {
        ctl_say("秘密鍵 %s を読めません / cannot read the secret key %s: %s", path, path,
                strerror(-rc));
        return -1;
    }
    if (stat(path, &st) == 0 && (st.st_mode & 077)) {
        ctl_say("警告: %s は他のユーザーも読めます / warning: %s is readable by others; "
                "run: chmod 600 %s",
                path, path, path);
    }
    rc = -1;
    if (len == crypto_sign_SECRETKEYBYTES) {
        memcpy(sk, data, len);
        rc = 0;
    } else if (sodium_base642bin(sk, crypto_sign_SECRETKEYBYTES, data, len, " \t\r\n", &bin_len,
                                 NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
               bin_len == crypto_sign_SECRETKEYBYTES) {
        rc = 0;
    }
    if (rc < 0) {
        ctl_say("%s は kioskctl keygen の秘密鍵ではありません / %s is not a secret key made "
                "by kioskctl keygen",
                path, path);
    }
    sodium_memzero(data, len);
    free(data);
    return rc;
}

int ctl_sign(const char *file, const char *key_path)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    char sig_b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL) + 1];
    char sig_path[4096];
    char *data = NULL;
    size_t len = 0;
    int rc = CTL_EXIT_USAGE, w;

    if (sodium_init() < 0) {
        ctl_say("libsodium を初期化できません / cannot initialise libsodium");
        return CTL_EXIT_USAGE;
    }
    if (snprintf(sig_path, sizeof sig_path, "%s.sig", file) >= (int)sizeof sig_path) {
        ctl_say("ファイル名が長すぎます / file name too long: %s", file);
        return CTL_EXIT_USAGE;
    }
    if (ctl_read_secret(key_path, sk) < 0) {
        goto out;
    }
    w = fsio_read_file(file, CTL_SIGN_MAX_BYTES, &data, &len);
    if (w < 0) {
        ctl_say("%s を読めません / cannot read %s: %s", file, file, strerror(-w));
        goto out;
    }
    crypto_sign_detached(sig, NULL, (const unsigned char *)data, len, sk);
    /* A key file that was edited by hand could hold a mismatched public half: check. */
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    if (crypto_sign_verify_detached(sig, (const unsigned char *)data, len, pk) != 0) {
        ctl_say("%s は壊れています / the secret key %s is damaged (signature does not verify)",
                key_path, key_path);
        goto out;
    }
    sodium_bin2base64(sig_b64, sizeof sig_b64 - 1, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
    ctl_add_newline(sig_b64);
    w = fsio_write_atomic(sig_path, sig_b64, strlen(sig_b64), false);
    if (w == 0 && chmod(sig_path, 0644) < 0) {
        w = -errno; /* the .sig is published next to the document */
    }
    if (w < 0) {
        ctl_say("%s に書き込めません / cannot write %s: %s", sig_path, sig_path, strerror(-w));
        goto out;
    }
    ctl_say("署名しました / signed %s (%zu bytes) -> %s", file, len, sig_path);
    rc = CTL_EXIT_OK;
out:
    sodium_memzero(sk, sizeof sk);
    free(data);
    return rc;
}
