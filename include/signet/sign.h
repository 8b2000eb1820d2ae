/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/sign.h: signing images (provider side).  Not in verify-only
 * builds (meson -Dsigner=disabled).
 */
#ifndef SIGNET_SIGN_H
#define SIGNET_SIGN_H

#include <signet/common.h>
#include <signet/image.h>
#include <signet/limits.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2 added passphrase_cb and existing_cb; version 1 structs are still
 * accepted (the fields they lack count as NULL). */
#define SIGNET_SIGN_OPTIONS_VERSION 2

/*
 * Asked for the passphrase of an encrypted sigstore private key (key: its
 * file name) when no passphrase file was given.  Writes at most size
 * bytes (SIGNET_PASSPHRASE_MAX) to buf and their count to *len; the
 * library wipes buf after use.  It may be called more than once in one
 * call (each time the key is loaded: to look for an identical stored
 * signature, to sign, per image with recursive): callers that prompt
 * keep the answer for the call's duration.
 * Returns 0, SIGNET_ENOTFOUND when no passphrase can be had (the key is
 * then tried as if none was given), or another negative code to stop.
 */
typedef int (*signet_passphrase_cb)(char *buf, size_t size, size_t *len, const char *key, void *payload);

/*
 * Told about each signature that was not written because an identical
 * one (same key, same payload identity and digest) is already stored:
 * digest is the manifest digest, location where that signature is.
 */
typedef void (*signet_existing_cb)(const char *digest, const char *location, void *payload);

/* Where a signature of a docker:// image goes. */
enum signet_sign_store {
	SIGNET_STORE_AUTO = 0,      /* cosign keys: attachments; OpenPGP: the lookaside */
	SIGNET_STORE_ATTACH = 1,    /* a sha256-<hex>.sig manifest in the image's repository */
	SIGNET_STORE_LOOKASIDE = 2, /* the next free signature-N of the lookaside */
	SIGNET_STORE_BUNDLE = 3,    /* cosign keys: a Sigstore bundle stored as an OCI 1.1 referrer
	                             * (the referrers tag schema on registries without the API), as
	                             * cosign v3 signs */
};

typedef struct signet_sign_options {
	unsigned int version; /* SIGNET_SIGN_OPTIONS_VERSION */
	/* Exactly one signing key:
	 * gpg_key: an OpenPGP key, by full fingerprint (40 or 64 hex digits),
	 * in the signer's GnuPG.  The key never leaves GnuPG: its agent (or a
	 * smartcard behind it) makes the signature.  Simple signing format.
	 * key: a sigstore private key file (PEM PKCS#8, plain or encrypted,
	 * or cosign's encrypted key).  Cosign format. */
	const char *gpg_key;
	const char *key;
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
	enum signet_sign_store store;
	/* "key=value" annotations written into the payload's optional
	 * object (cosign -a); cosign format only. */
	const char *const *annotations;
	size_t n_annotations;
	/* Sign a multi-platform index and each image it lists. */
	int recursive;
	/* Version 2: asked for the passphrase of an encrypted sigstore key
	 * when passphrase_file is NULL (not for GnuPG keys: the agent asks);
	 * NULL: not asked. */
	signet_passphrase_cb passphrase_cb;
	void *passphrase_payload;
	/* Version 2: called for each signature skipped as already stored;
	 * may be NULL. */
	signet_existing_cb existing_cb;
	void *existing_payload;
} signet_sign_options;

#define SIGNET_SIGN_OPTIONS_INIT                                                                             \
	{                                                                                                    \
		SIGNET_SIGN_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, SIGNET_STORE_AUTO,    \
		    NULL, 0, 0, NULL, NULL, NULL, NULL                                                       \
	}

/*
 * Resolves ref to its manifest digest (computed locally), signs a payload
 * naming that digest and the identity (OpenPGP: the reference with its
 * tag; cosign: the repository, as cosign writes it), and stores the
 * signature: as a .sig attachment, a Sigstore bundle referrer
 * (SIGNET_STORE_BUNDLE: the payload is then an in-toto statement naming
 * the digest, the annotations are its subject's) or the next free
 * signature-N of the lookaside for docker:// images, in the layout for
 * dir: images.  When a .sig attachment, lookaside or layout signature
 * stored for the same digest already verifies with the signing key's
 * public half and names the same identity and digest (and, cosign format,
 * the same annotations), or a bundle referring to the digest verifies
 * with it over a statement naming the digest with the same annotations,
 * nothing is signed or written: its location is
 * reported instead (and opts->existing_cb told).  With
 * recursive, an index and then each of its images are signed, one
 * location per line.  *location (caller frees) says where;
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

/*
 * Writes a new ECDSA P-256 key pair for cosign-format signing: the private
 * key to priv_path (mode 0600; cosign's encrypted format when
 * passphrase_file is given, else PEM PKCS#8) and the public key to pub_path
 * (PEM SPKI).  Never replaces an existing file.
 */
SIGNET_EXPORT int signet_key_generate(signet_ctx *ctx, const char *priv_path, const char *pub_path,
				      const char *passphrase_file);

/*
 * The same with the passphrase itself (len bytes, at most
 * SIGNET_PASSPHRASE_MAX; the empty one is allowed, as cosign allows it):
 * the private key is always written in cosign's encrypted format.  The
 * caller wipes passphrase.  Returns as signet_key_generate.
 */
SIGNET_EXPORT int signet_key_generate_passphrase(signet_ctx *ctx, const char *priv_path, const char *pub_path,
                                                 const void *passphrase, size_t len);

#ifdef __cplusplus
}
#endif
#endif
