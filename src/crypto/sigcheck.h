/* sigcheck: Ed25519 detached signatures over the announcements document.
 *
 * A signature file holds the standard base64 (with padding) of the 64-byte signature,
 * surrounding whitespace allowed; `kioskctl sign FILE` writes one as FILE.sig. A public key
 * is the standard base64 of 32 bytes. A document is accepted when any configured key
 * verifies the signature over its exact bytes. This module does not fetch anything and
 * keeps no state beyond libsodium's one-time initialisation. */
#ifndef KIOSK_CRYPTO_SIGCHECK_H
#define KIOSK_CRYPTO_SIGCHECK_H

#include <stddef.h>

#define SIGCHECK_KEY_BYTES 32
#define SIGCHECK_SIG_BYTES 64

/* Initialises libsodium once per process. Returns 0 or -EIO. Any thread, any number of
 * times (the sigcheck functions call it themselves). */
int sigcheck_init(void);

/* Decodes a base64 public key. Returns 0, or -EINVAL when it is not 32 bytes of base64. */
int sigcheck_parse_key(const char *b64, unsigned char out[SIGCHECK_KEY_BYTES]);

/* Decodes a signature file's body (`len` bytes, need not be NUL-terminated). Returns 0, or
 * -EINVAL when it is not 64 bytes of base64 between optional whitespace. */
int sigcheck_parse_sig(const char *text, size_t len, unsigned char out[SIGCHECK_SIG_BYTES]);

/* Verifies `sig_text` (a signature file's body) over `doc` against the base64 keys.
 * Returns 0 when one key verifies; -EINVAL for an unreadable signature or a key that is
 * not base64 of 32 bytes (checked before any verification); -EBADMSG when no key
 * verifies. On failure writes a short English reason to err. Any thread. */
int sigcheck_verify(const void *doc, size_t doc_len, const char *sig_text, size_t sig_len,
                    const char *const *keys_b64, size_t n_keys, char *err, size_t errlen);

#endif
