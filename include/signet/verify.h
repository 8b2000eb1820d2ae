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

#define SIGNET_VERIFIER_OPTIONS_VERSION 6

typedef struct signet_verifier_options {
	unsigned int version; /* SIGNET_VERIFIER_OPTIONS_VERSION */
	/* Exactly one source of trust:
	 *  - policy_file: a containers-policy.json (containers-policy.json(5));
	 *  - contract_file: an HPCR deployment contract, whose
	 *    workload.images pins the keys (contract_key: a PEM private key
	 *    to decrypt hyper-protect-basic sections, or NULL; strict: images
	 *    named by digest need signatures too; see allow_digest_pinned for
	 *    which digests the contract vouches for);
	 *  - gpg_key_files: OpenPGP public key files (armored or binary, one
	 *    or many keys each), as the policy "every image signedBy one of
	 *    these keys, matchRepoDigestOrExact";
	 *  - key_files (since version 4): key files whose kind is detected,
	 *    see below. */
	const char *policy_file;
	const char *contract_file;
	const char *contract_key;
	int strict;
	const char *const *gpg_key_files;
	size_t n_gpg_key_files;
	/* A containers-registries.d directory saying where signatures are
	 * stored (lookaside); NULL: none. */
	const char *registries_d;
	/* A lookaside base URL (file://, http://, https://) used instead of
	 * what registries.d says; NULL: none. */
	const char *lookaside;
	/* The platform whose instance is chosen from a multi-platform index,
	 * "os/arch[/variant]"; NULL: the machine's own (linux/<arch>). */
	const char *platform;
	/* "key=value" annotations an accepted signature's payload must carry
	 * in its optional object (as cosign verify -a). */
	const char *const *annotations;
	size_t n_annotations;
	/* Since version 2.  Non-zero: nobody named policy_file; the caller
	 * found it where containers tools look by default
	 * ($HOME/.config/containers/policy.json, /etc/containers/policy.json),
	 * and such a file may be a distribution's "accept anything" default.
	 * Then an image whose requirements are only insecureAcceptAnything is
	 * denied (SIGNET_EDENIED; the message names the file and says to pass
	 * it explicitly, --policy FILE); reject, signedBy and sigstoreSigned
	 * decide as always.  0 (and every version 1 caller): the caller chose
	 * the file, and insecureAcceptAnything allows what it says. */
	int policy_is_default;
	/* Since version 3; with contract_file, without strict.  A contract
	 * lets an image named by digest through unsigned (IBM's rule) only
	 * when the contract itself vouches for that digest: the images its
	 * own workload section names (compose.archive, play.resources,
	 * play.templates, play.archive; decrypted with contract_key), name
	 * and digest both equal.  So the contract's own workload, gated or
	 * verified, keeps IBM's rule, while a digest that only a separate
	 * workload file or the caller names needs a signature by a key the
	 * contract pins for its repository, like a tag (denied otherwise,
	 * SIGNET_EDENIED, the message saying that nothing vouches for the
	 * digest).  Non-zero: every image named by digest is allowed
	 * unsigned, as before version 3 (`--allow-digest-pinned`).  Version 1
	 * and 2 callers get the version 3 rule (0): it closes a hole, and a
	 * caller that needs the old one says so. */
	int allow_digest_pinned;
	/* Since version 4; a source of trust instead of gpg_key_files (not
	 * with it).  Public key files whose kind is read from each file:
	 * OpenPGP public keys (armored or binary) make the policy "every
	 * image signedBy one of these keys, matchRepoDigestOrExact", as
	 * gpg_key_files; PEM public keys ("-----BEGIN PUBLIC KEY-----", a
	 * cosign.pub: ECDSA P-256/P-384/P-521, RSA 2048 to 4096 bits,
	 * Ed25519) make "every image sigstoreSigned by one of these keys,
	 * matchRepository": what `cosign verify --key` checks (a .sig
	 * attachment signature over the image's digest, whose payload names
	 * its repository; cosign writes no tag there) and what a
	 * sigstoreSigned keyPath with that signedIdentity says.  Files of both
	 * kinds together, a private key (PEM or OpenPGP), or a file of
	 * neither kind are SIGNET_EBADINPUT naming the file and what it is. */
	const char *const *key_files;
	size_t n_key_files;
	/* Since version 5; with contract_file.  A contract carrying an
	 * envWorkloadSignature is always checked (every version): RSA
	 * PKCS#1 v1.5 / SHA-256 over the workload value followed by the env
	 * value, with env.signingKey (a PEM public key or certificate, or
	 * base64 of either; a certificate must be within its validity
	 * dates); a signature that does not verify, an expired or not yet
	 * valid certificate, or a signature that cannot be checked (env
	 * encrypted and no contract_key to read its signingKey) refuse the
	 * contract, SIGNET_EBADINPUT.  Non-zero: a contract without
	 * envWorkloadSignature is refused too (SIGNET_EBADINPUT, "unsigned
	 * contract refused").  0 (and versions 1 to 4): unsigned contracts
	 * are accepted as before. */
	int require_signed_contract;
	/* Since version 6; a source of trust on its own (not with the others
	 * above).  Keyless (Fulcio) signatures, offline: trusted_root_file is
	 * a sigstore trusted_root.json (its certificate authorities,
	 * transparency logs and timestamp authorities), and the policy is
	 * "every image sigstoreSigned keyless, matchRepository": a Sigstore
	 * bundle whose certificate chains to one of the root's CAs at the
	 * signing time proven by a transparency log entry or an RFC 3161
	 * timestamp, whose signature verifies with the certificate's key, and
	 * whose certificate names exactly certificate_identity (its SAN, an
	 * email address or a URI) and certificate_oidc_issuer (Fulcio's OIDC
	 * issuer extension).  All three are needed together (SIGNET_EINVAL
	 * otherwise: nothing keyless is accepted without a pinned identity);
	 * a trusted root that does not parse is SIGNET_EBADINPUT naming the
	 * JSON path.  docs/cosign.md lists every rule. */
	const char *trusted_root_file;
	const char *certificate_identity;
	const char *certificate_oidc_issuer;
} signet_verifier_options;

#define SIGNET_VERIFIER_OPTIONS_INIT                                                                         \
	{                                                                                                    \
		SIGNET_VERIFIER_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, \
		    0, NULL, 0, 0, NULL, NULL, NULL                                                          \
	}

/*
 * Creates a verifier.  ctx is borrowed and must outlive the verifier.
 * opts->version is 1 (the struct without policy_is_default), 2 (without
 * allow_digest_pinned), 3 (without key_files), 4 (without
 * require_signed_contract), 5 (without the keyless trust) or 6.
 * Returns 0, SIGNET_EINVAL (no keys, bad options), SIGNET_EBADINPUT (a key
 * file or registries.d that does not parse, a private key in key_files;
 * the message names it), SIGNET_EUNSUPPORTED (a PEM key of another type,
 * curve or size),
 * SIGNET_ENOTFOUND / SIGNET_EIO (a file that cannot be read), SIGNET_ELIMIT.
 */
SIGNET_EXPORT int signet_verifier_new(signet_verifier **out, signet_ctx *ctx, const signet_verifier_options *opts);
/* Frees the verifier and removes its private keyring.  Accepts NULL. */
SIGNET_EXPORT void signet_verifier_free(signet_verifier *v);

typedef struct signet_verdict signet_verdict;

/*
 * The call a runtime makes before a pull: resolves ref to a manifest digest
 * (computed locally; for a multi-platform index, the instance for the
 * verifier's platform), chooses the requirements the policy has for ref,
 * and allows the image only if every requirement is met: a signature
 * requirement by at least one stored signature that is valid, made by one
 * of its keys, names this digest, and claims an identity its
 * signedIdentity rule accepts.  For an index, the instance's own
 * signatures count, and so do the index's (SPEC §4.1).
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

/*
 * Explains the decision for ref without needing it to be allowed: the
 * policy source, the scope chosen and why, each requirement with its keys
 * (fingerprints and names), and the verdict with the check that failed.
 * *text is the caller's (free()).  Returns 0 whatever the verdict, or an
 * error that prevented explaining (then the message says why).
 */
SIGNET_EXPORT int signet_explain(char **text, signet_verifier *v, const signet_ref *ref);

/*
 * Checks the verifier's policy completely without deciding anything: every
 * key of every requirement is imported (so a key that does not parse is
 * found now, not at the first pull).  *summary (caller frees) says what the
 * policy holds: scopes, requirements, keys with fingerprints.
 * Returns 0, SIGNET_EBADINPUT (a key that does not parse; the message names
 * where it was written), SIGNET_EIO, SIGNET_ENOMEM.
 */
SIGNET_EXPORT int signet_verifier_check(char **summary, signet_verifier *v);

/* "host/repo@sha256:..." (docker) — what to pull.  Borrowed. */
SIGNET_EXPORT const char *signet_verdict_pinned(const signet_verdict *verdict);
/* The manifest digest that was verified.  Borrowed. */
SIGNET_EXPORT const char *signet_verdict_digest(const signet_verdict *verdict);
/* The pinned primary key fingerprint of the signature that was accepted
 * (upper-case hex), the key that made it (the primary or a signing subkey),
 * the key's first user id (or NULL), and the identity the signature claims.
 * All NULL when no requirement needed a signature (insecureAcceptAnything,
 * a digest the contract vouches for, or allow_digest_pinned).  Borrowed. */
SIGNET_EXPORT const char *signet_verdict_signer(const signet_verdict *verdict);
SIGNET_EXPORT const char *signet_verdict_signing_key(const signet_verdict *verdict);
SIGNET_EXPORT const char *signet_verdict_signer_uid(const signet_verdict *verdict);
SIGNET_EXPORT const char *signet_verdict_identity(const signet_verdict *verdict);
/* Where the accepted signature was read (a URL or a path), or NULL.
 * Borrowed. */
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
