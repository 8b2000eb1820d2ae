/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/sign.h: what the sign module offers (internal): payload creation
 * and the signing backends.  Built only with the `signer` feature; nothing
 * outside sign/ and the signing commands may depend on it.
 */
#ifndef SN_SIGN_H
#define SN_SIGN_H

#include "verify/verify.h"

#include <signet/sign.h>

/* A passphrase buffer: the longest passphrase plus its NUL. */
#define SN_PASSPHRASE_FILE_MAX (SIGNET_PASSPHRASE_MAX + 1)

/* Where a key's passphrase comes from, first match wins: the first line
 * of file, the len bytes at data, or the callback (asked only when a key
 * turns out to be encrypted).  A NULL struct sn_pass gives none. */
struct sn_pass {
	const char *file;
	const void *data;
	size_t len;
	signet_passphrase_cb cb;
	void *payload;
};

/* secret_file.c: a whole regular file of at most max bytes into buf (which
 * has max + 1 bytes); "WHAT PATH: reason" on failure.  The caller wipes
 * buf.  Returns 0, SIGNET_ENOTFOUND, SIGNET_EIO or SIGNET_ELIMIT. */
int sn_read_secret(unsigned char *buf, size_t max, size_t *len, const char *path, const char *what,
		   struct sn_err *e);
/* The passphrase: the file's only line, one trailing LF or CRLF removed
 * (as skopeo's --sign-passphrase-file), NUL-terminated.  buf has
 * SN_PASSPHRASE_FILE_MAX bytes; the caller wipes it.  More than one line
 * or a NUL byte is SIGNET_EINVAL. */
int sn_read_passphrase(unsigned char *buf, size_t *len, const char *path, struct sn_err *e);

/* The passphrase pass gives, into buf (SN_PASSPHRASE_FILE_MAX bytes,
 * NUL-terminated; the caller wipes it): *have is 0 when it gives none
 * (pass NULL or empty, ask 0 and no file or data, or the callback's
 * SIGNET_ENOTFOUND).  The callback is called only when ask is set; key
 * names the key for it.  Returns 0, the codes of sn_read_passphrase,
 * SIGNET_ELIMIT (data too long) or the callback's other codes (with a
 * message naming key). */
int sn_pass_get(unsigned char *buf, size_t *len, int *have, const struct sn_pass *pass, int ask,
                const char *key, struct sn_err *e);

/*
 * Builds a simple-signing payload (SPEC §3.3) into *out (initialized here,
 * max SIGNET_MAX_SIGNATURE_SIZE):
 *   {"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},"type":T},
 *    "optional":{"creator":C,"timestamp":N}}
 * compact, keys sorted: the bytes skopeo (Go's json.Marshal of maps)
 * writes for the same values, except that Go escapes <, > and & in
 * strings, which references and digests never contain.  type is
 * SN_PAYLOAD_TYPE_SIMPLE or SN_PAYLOAD_TYPE_COSIGN; docker_reference must
 * be non-empty UTF-8 (not otherwise checked: the caller decides what
 * identity to sign); manifest_digest must pass sn_digest_validate;
 * creator NULL means "signet <version>"; timestamp is seconds since the
 * epoch (the caller passes time(NULL), so that tests are deterministic).
 * The result is parsed back with sn_payload_parse before it is returned.
 * Returns 0, SIGNET_EINVAL (bad argument, message says which) or
 * SIGNET_ENOMEM; *out untouched on failure.
 */
int sn_payload_create(struct sn_buf *out, const char *type, const char *docker_reference,
                      const char *manifest_digest, const char *creator, int64_t timestamp, struct sn_err *e);

/* The same with a caller-made optional object (annotations, as cosign
 * writes them), or "optional": null when optional is NULL. */
int sn_payload_create_optional(struct sn_buf *out, const char *type, const char *docker_reference,
			       const char *manifest_digest, json_t *optional, struct sn_err *e);

/*
 * Signs payload with the provider's GnuPG secret key whose fingerprint
 * (40 or 64 hex digits, any case, optional "0x"; a subkey's fingerprint
 * selects its primary key) is given, producing a binary (not armored)
 * OpenPGP signed message, gpg's default compression, into *sig
 * (initialized here, max SIGNET_MAX_SIGNATURE_SIZE).
 *
 * gnupghome NULL uses gpg's default home (GNUPGHOME or ~/.gnupg).  With
 * passphrase_file NULL, gpg-agent supplies the passphrase as usual (its
 * cache or pinentry); otherwise the file's first line (one trailing
 * newline, LF or CRLF, removed; no other line allowed) is given to gpg
 * through loopback pinentry and wiped from memory after use.  The
 * passphrase never appears in messages.
 *
 * The new signature is verified once with sn_openpgp_backend against the
 * signer's exported public key before it is returned (containers/image
 * does the same sanity check), so signet never publishes a signature it
 * would itself refuse.
 *
 * Returns 0, SIGNET_EINVAL (bad fingerprint, key that cannot sign, bad
 * passphrase), SIGNET_ENOTFOUND (no such secret key, passphrase file
 * missing), SIGNET_ELIMIT, SIGNET_EIO (gpg failed) or the code of the
 * failed self-check; *sig untouched on failure.
 */
int sn_openpgp_sign(struct sn_buf *sig, const char *fingerprint, const char *passphrase_file,
                    const char *gnupghome, const void *payload, size_t len, struct sn_err *e);

/* Loads gpgme (libgpgme.so.11, on first use: sign/gpgme_lazy.h),
 * initializes it once per process (thread-safe) and checks that an
 * OpenPGP engine (gpg) is available: signing only; verification never
 * loads gpgme nor starts gpg.  Returns 0 or SIGNET_EIO (gpgme could not
 * be loaded, the message says why; or no engine). */
int sn_gpgme_init(struct sn_err *e);

/* ---- sigstore (cosign) keys (sigstore_keys.c, sigstore_sign.c) -------- */

/* The scrypt N signet writes cosign keys with: go-securesystemslib's
 * "legacy" level (r = 8, p = 1), what older cosign releases wrote.  Its
 * current default (65536) and 131072 are read too. */
#define SN_COSIGN_SCRYPT_N 32768

/*
 * Loads a private key for sigstore signing from a PEM file (at most
 * SN_PEM_MAX_SIZE bytes): "PRIVATE KEY" (PKCS#8), "ENCRYPTED PRIVATE KEY"
 * (PKCS#8 encrypted with a password, e.g. openssl pkcs8 -topk8 -v2), or
 * cosign's "ENCRYPTED SIGSTORE PRIVATE KEY" / "ENCRYPTED COSIGN PRIVATE
 * KEY" (needs libsodium: SIGNET_HAVE_SODIUM).  The passphrase comes from
 * pass (a file's first line, one trailing LF or CRLF removed; given
 * bytes; or its callback, asked only for an encrypted key); with none an
 * encrypted PKCS#8 key is refused and a cosign key is tried with the
 * empty passphrase (cosign allows one).  The key
 * must pass sn_sigstore_key_check.  Every copy of the key and passphrase
 * is wiped.
 *
 * Returns 0, SIGNET_ENOTFOUND (no key or passphrase file), SIGNET_EINVAL
 * ("wrong passphrase for KEY (or a damaged key)", a passphrase needed),
 * SIGNET_EBADINPUT (not such a key file), SIGNET_EUNSUPPORTED (other PEM
 * types such as "EC PRIVATE KEY", unsupported scrypt parameters, KDF or
 * cipher, key type, built without libsodium), SIGNET_ELIMIT, SIGNET_EIO
 * or SIGNET_ENOMEM.  *key is the caller's (EVP_PKEY_free), untouched on
 * failure.
 */
int sn_sigstore_load_private_key(struct evp_pkey_st **key, const char *key_path, const struct sn_pass *pass,
                                 struct sn_err *e);

/*
 * cosign's encrypted key body (go-securesystemslib "encrypted"): JSON
 * {"kdf":{"name":"scrypt","params":{"N":N,"r":8,"p":1},"salt":B64},
 *  "cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64};
 * key = scrypt(passphrase, salt, N, 8, 1, 32 bytes), ciphertext =
 * secretbox(plaintext, nonce, key).  Exactly these members are accepted;
 * N must be 32768, 65536 or 131072 with r = 8, p = 1, else SIGNET_EUNSUPPORTED
 * "unsupported scrypt parameters".  sn_cosign_decrypt returns 0,
 * SIGNET_EINVAL (wrong passphrase or a damaged key: the message names
 * what), SIGNET_EBADINPUT, SIGNET_EUNSUPPORTED or SIGNET_ENOMEM; *plain
 * (malloc'd, wipe it) untouched on failure.  sn_cosign_encrypt writes the
 * JSON with a fresh random salt (32 bytes) and nonce (24 bytes) and
 * scrypt N = n into *out (initialized here).  Both need libsodium
 * (SIGNET_EUNSUPPORTED without it).
 */
int sn_cosign_decrypt(unsigned char **plain, size_t *plain_len, const void *json, size_t json_len,
                      const unsigned char *passphrase, size_t passphrase_len, const char *what,
                      struct sn_err *e);
int sn_cosign_encrypt(struct sn_buf *out, const unsigned char *plain, size_t plain_len,
                      const unsigned char *passphrase, size_t passphrase_len, uint64_t n, struct sn_err *e);

/*
 * Generates a P-256 key pair (cosign's default): the private key at
 * priv_path, mode 0600, in cosign's "ENCRYPTED SIGSTORE PRIVATE KEY"
 * format (scrypt N = SN_COSIGN_SCRYPT_N) with the passphrase from pass
 * (its file or data; never its callback), or as plain PKCS#8 PEM when
 * pass is NULL;
 * the public key (PEM PUBLIC KEY) at pub_path, mode 0644.  Both are
 * written atomically and never replace an existing file (SIGNET_EIO,
 * "exists already"; nothing is written then).  The written private key
 * is read back and must match.  Returns 0, SIGNET_EINVAL,
 * SIGNET_ENOTFOUND (passphrase file), SIGNET_EUNSUPPORTED (a passphrase
 * without libsodium), SIGNET_EIO or SIGNET_ENOMEM.
 */
int sn_sigstore_generate(const char *priv_path, const char *pub_path, const struct sn_pass *pass,
                         struct sn_err *e);

/*
 * Signs payload (at most SIGNET_MAX_SIGNATURE_SIZE bytes) with the
 * private key at key_path (see sn_sigstore_load_private_key) and writes
 * the sigstore blob SN_SIGSTORE_BLOB_HEADER + {"mimeType":
 * SN_MT_COSIGN_SIMPLESIGNING, "payload": base64, "annotations": {...}} into
 * *blob (initialized here, max SIGNET_MAX_SIGNATURE_SIZE), compact, in
 * containers/image's member order, annotations sorted: the signature
 * annotation plus the caller's annotations (an object of strings, or
 * NULL; it must not hold the signature annotation).  The signature:
 * ECDSA (DER) with SHA-256 / SHA-384 / SHA-512 on P-256 / P-384 / P-521,
 * RSA PKCS#1 v1.5 with SHA-256, pure Ed25519.  The blob is verified once
 * with sn_sigstore_backend against the key's public half before it is
 * returned.
 *
 * Returns 0, the codes of sn_sigstore_load_private_key, SIGNET_EINVAL
 * (bad annotations), SIGNET_ELIMIT, SIGNET_EIO (signing failed) or the
 * code of the failed self-check; *blob untouched on failure.
 */
int sn_sigstore_sign(struct sn_buf *blob, const char *key_path, const struct sn_pass *pass,
                     const void *payload, size_t len, json_t *annotations, struct sn_err *e);

/*
 * The same signature, for the attachment writer: *sig_b64 (malloc'd,
 * NUL-terminated) receives the base64 signature for the
 * SN_COSIGN_SIGNATURE_ANNOTATION, and *pub_key_id (if not NULL, a
 * buffer of SN_SIGSTORE_KEY_ID_MAX) the signing key's id.  Self-checked
 * the same way.  Outputs untouched on failure.
 */
int sn_sigstore_sign_raw(char **sig_b64, char *pub_key_id, const char *key_path, const struct sn_pass *pass,
                         const void *payload, size_t len, struct sn_err *e);

/* The public half of the private key at key_path (loaded as
 * sn_sigstore_load_private_key does) as a PEM "PUBLIC KEY" into *pem
 * (initialized here) and its key id into key_id
 * (SN_SIGSTORE_KEY_ID_MAX).  Returns 0 or the codes of loading. */
int sn_sigstore_public_key(struct sn_buf *pem, char *key_id, const char *key_path, const struct sn_pass *pass,
                           struct sn_err *e);

/* sign/openpgp_sign.c: the public key of the GnuPG secret key
 * fingerprint (as sn_openpgp_sign selects it) exported into *key
 * (initialized here) and its primary fingerprint into primary
 * (upper-case hex, at most 64 digits + NUL; 65 bytes).  Returns 0,
 * SIGNET_EINVAL, SIGNET_ENOTFOUND or SIGNET_EIO. */
#define SN_OPENPGP_FPR_MAX 65
int sn_openpgp_public_key(struct sn_buf *key, char *primary, const char *fingerprint, const char *gnupghome,
                          struct sn_err *e);

/*
 * sign/existing.c: is one of sigs (blobs in the key's format) already a
 * signature by the pinned public key (verified with backend, as a
 * verifier would) over a payload of the same meaning as payload: the same
 * type, identity and manifest digest, and for the cosign type the same
 * optional object (annotations); the creator and timestamp of simple
 * signing do not count.  type SN_COSIGN_SIGN_PREDICATE: sigs are
 * Sigstore bundles and payload the in-toto statement one would sign;
 * the same meaning is the same predicate type, subject digest and
 * annotations (none and {} alike).  *found is its index or -1.  Blobs that do not
 * verify are not errors.  Returns 0, SIGNET_EBADINPUT (payload itself
 * does not parse) or SIGNET_ENOMEM.
 */
int sn_existing_signature(long *found, const struct sn_sig_list *sigs, const struct sn_sig_backend *backend,
                          const struct sn_buf *pubkey, const struct sn_buf *payload, const char *type,
                          struct sn_err *e);

/*
 * The in-toto statement a Sigstore bundle (bundle_sign.c) signs for the
 * image manifest digest (sha256 only), as cosign v3's sign --key makes
 * it: one subject, the digest with annotations (an object of strings, or
 * NULL: {}), predicate type SN_COSIGN_SIGN_PREDICATE, an empty predicate.
 * *out (initialized here) holds its compact JSON.  Returns 0,
 * SIGNET_EINVAL (digest) or SIGNET_ENOMEM.
 */
int sn_bundle_statement(struct sn_buf *out, const char *digest, json_t *annotations, struct sn_err *e);

/*
 * A Sigstore bundle signing statement (from sn_bundle_statement) with the
 * key at key_path: a DSSE envelope over it, verification material the
 * key's hint.  *out (initialized here) holds the bundle JSON.  Returns 0,
 * the codes of sn_sigstore_sign_raw, SIGNET_ENOMEM.
 */
int sn_bundle_create(struct sn_buf *out, const char *key_path, const struct sn_pass *pass,
                     const struct sn_buf *statement, struct sn_err *e);

#endif
