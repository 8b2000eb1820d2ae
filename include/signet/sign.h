/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/sign.h: signing images (provider side).  Not in verify-only
 * builds (meson -Dsigner=disabled).
 */
#ifndef SIGNET_SIGN_H
#define SIGNET_SIGN_H

#include <signet/common.h>
#include <signet/image.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIGNET_SIGN_OPTIONS_VERSION 1

typedef struct signet_sign_options {
	unsigned int version; /* SIGNET_SIGN_OPTIONS_VERSION */
	/* The OpenPGP signing key: a full fingerprint (40 or 64 hex digits)
	 * of a key in the signer's GnuPG.  The key never leaves GnuPG: its
	 * agent (or a smartcard behind it) makes the signature. */
	const char *gpg_key;
	/* A file whose first line is the key's passphrase, given to GnuPG
	 * through loopback pinentry and wiped after use; NULL: the agent asks. */
	const char *passphrase_file;
	/* The GnuPG home to sign with; NULL: GnuPG's default. */
	const char *gnupghome;
	/* The docker reference the signature claims; NULL: the image's own
	 * reference (as skopeo --sign-identity). */
	const char *identity;
	/* Where the signature goes for docker:// images: a lookaside base URL
	 * (file:// only for writing) used instead of registries.d, or the
	 * registries.d directory whose lookaside-staging / lookaside applies. */
	const char *lookaside;
	const char *registries_d;
} signet_sign_options;

#define SIGNET_SIGN_OPTIONS_INIT { SIGNET_SIGN_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }

/*
 * Resolves ref to its manifest digest (computed locally), signs a
 * simple-signing payload naming that digest and the identity, and stores
 * the signature as the next free signature-N: in the lookaside for docker://
 * images, in the layout for dir: images.  *location (caller frees) says where;
 * *digest (caller frees, may be NULL if not wanted) is the digest signed.
 * Returns 0, SIGNET_EINVAL (options), SIGNET_ENOTFOUND (key, image, no
 * lookaside configured), errors reading the image, SIGNET_EIO.
 */
SIGNET_EXPORT int signet_sign_image(char **location, char **digest, signet_ctx *ctx, const signet_sign_options *opts,
				    const signet_ref *ref);

/*
 * As `skopeo standalone-sign`: signs the digest of manifest with identity
 * `reference`.  *signature (caller frees with free()) receives the binary
 * signature blob.
 */
SIGNET_EXPORT int signet_standalone_sign(unsigned char **signature, size_t *signature_len, signet_ctx *ctx,
					 const signet_sign_options *opts, const void *manifest, size_t manifest_len,
					 const char *reference);

#ifdef __cplusplus
}
#endif
#endif
