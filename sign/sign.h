/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/sign.h: what the sign module offers (internal): payload creation
 * and the signing backends.  Built only with the `signer` feature; nothing
 * outside sign/ and the signing commands may depend on it.
 */
#ifndef SN_SIGN_H
#define SN_SIGN_H

#include "verify/verify.h"

/* Longest passphrase file read (bytes). */
#define SN_PASSPHRASE_FILE_MAX 4096

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

#endif
