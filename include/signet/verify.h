/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/verify.h: deciding whether an image may be pulled.
 *
 * A verifier is created once from what the caller pins (keys, and where
 * signatures are stored), then asked about many images.  Keys are imported
 * once into a private keyring that holds nothing else; connections and
 * tokens are reused through the context.  A verifier is used from one
 * thread at a time.
 */
#ifndef SIGNET_VERIFY_H
#define SIGNET_VERIFY_H

#include <stdint.h>

#include <signet/common.h>
#include <signet/image.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct signet_verifier signet_verifier;

#define SIGNET_VERIFIER_OPTIONS_VERSION 1

typedef struct signet_verifier_options {
	unsigned int version; /* SIGNET_VERIFIER_OPTIONS_VERSION */
	/* OpenPGP public key files (armored or binary, one or many keys
	 * each): a signature must be made by one of these keys (a primary
	 * key or one of its signing subkeys). */
	const char *const *gpg_key_files;
	size_t n_gpg_key_files;
	/* A containers-registries.d directory saying where signatures are
	 * stored (lookaside); NULL: none. */
	const char *registries_d;
	/* A lookaside base URL (file://, http://, https://) used instead of
	 * what registries.d says; NULL: none. */
	const char *lookaside;
} signet_verifier_options;

#define SIGNET_VERIFIER_OPTIONS_INIT { SIGNET_VERIFIER_OPTIONS_VERSION, NULL, 0, NULL, NULL }

/*
 * Creates a verifier.  ctx is borrowed and must outlive the verifier.
 * Returns 0, SIGNET_EINVAL (no keys, bad options), SIGNET_EBADINPUT (a key
 * file or registries.d that does not parse; the message names it),
 * SIGNET_ENOTFOUND / SIGNET_EIO (a file that cannot be read), SIGNET_ELIMIT.
 */
SIGNET_EXPORT int signet_verifier_new(signet_verifier **out, signet_ctx *ctx, const signet_verifier_options *opts);
/* Frees the verifier and removes its private keyring.  Accepts NULL. */
SIGNET_EXPORT void signet_verifier_free(signet_verifier *v);

typedef struct signet_verdict signet_verdict;

/*
 * The call a runtime makes before a pull: resolves ref to a manifest digest
 * (computed locally), reads the signatures stored for that digest, and
 * accepts the image when one of them is a valid signature by a pinned key
 * whose payload names this digest and an identity that matches ref
 * (matchRepoDigestOrExact: a tag must match exactly; a digest reference
 * needs the same repository).
 *
 * Returns 0 with *out set (pull signet_verdict_pinned(*out), nothing
 * else); SIGNET_EDENIED when no signature passes (the message names the
 * image and, for each signature tried, why it failed); SIGNET_EINTEGRITY
 * when the registry served content that does not match its digest; or an
 * error reading the image or its signatures (SIGNET_ENOTFOUND,
 * SIGNET_ENETWORK, SIGNET_ETLS, SIGNET_EAUTH, SIGNET_EREGISTRY, SIGNET_EIO,
 * SIGNET_ELIMIT, SIGNET_EBADINPUT).  Any non-zero return means: do not pull.
 */
SIGNET_EXPORT int signet_verify(signet_verdict **out, signet_verifier *v, const signet_ref *ref);
SIGNET_EXPORT void signet_verdict_free(signet_verdict *verdict);

/* "host/repo@sha256:..." (docker) — what to pull.  Borrowed. */
SIGNET_EXPORT const char *signet_verdict_pinned(const signet_verdict *verdict);
/* The manifest digest that was verified.  Borrowed. */
SIGNET_EXPORT const char *signet_verdict_digest(const signet_verdict *verdict);
/* The pinned primary key fingerprint of the signature that was accepted
 * (upper-case hex), the key that made it (the primary or a signing subkey),
 * the key's first user id (or NULL), and the identity the signature claims.
 * Borrowed. */
SIGNET_EXPORT const char *signet_verdict_signer(const signet_verdict *verdict);
SIGNET_EXPORT const char *signet_verdict_signing_key(const signet_verdict *verdict);
SIGNET_EXPORT const char *signet_verdict_signer_uid(const signet_verdict *verdict);
SIGNET_EXPORT const char *signet_verdict_identity(const signet_verdict *verdict);
/* Where the accepted signature was read (a URL or a path).  Borrowed. */
SIGNET_EXPORT const char *signet_verdict_location(const signet_verdict *verdict);

/*
 * As `skopeo standalone-verify`: checks that signature (a stored signature
 * blob) is a valid signature by a key in key_file over a payload that names
 * the digest of manifest and exactly the docker reference `reference`.
 * On success *digest (caller frees) is the manifest digest and *fingerprint
 * (caller frees) the signing primary key.
 * Returns 0, SIGNET_EDENIED, SIGNET_EBADINPUT, SIGNET_EIO, SIGNET_ENOTFOUND.
 */
SIGNET_EXPORT int signet_standalone_verify(char **digest, char **fingerprint, signet_ctx *ctx,
					   const void *manifest, size_t manifest_len, const char *reference,
					   const char *key_file, const void *signature, size_t signature_len);

#ifdef __cplusplus
}
#endif
#endif
