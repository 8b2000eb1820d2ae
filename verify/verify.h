/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/verify.h: what the verify module offers (internal): signature
 * payloads, the signature backends behind one table, blob detection.
 */
#ifndef SN_VERIFY_H
#define SN_VERIFY_H

#include "registry/registry.h"

/* ---- signature blobs (blob.c) --------------------------------------- */

enum sn_sig_format {
	SN_SIG_SIMPLE_SIGNING = 0, /* a binary OpenPGP message (SPEC §3.4) */
	SN_SIG_SIGSTORE_JSON = 1,  /* "\0sigstore-json\n" + JSON (SPEC §3.5) */
};

/*
 * Detects the format of a stored signature blob as containers/image does
 * (SPEC §3.4): first byte an OpenPGP packet tag that can start a signed
 * message (compressed data, one-pass signature, signature) -> simple
 * signing, *chunk = data (the whole blob); 0x00 -> "\0FORMAT\n" + chunk,
 * FORMAT simple-signing or sigstore-json, *chunk and *chunk_len point into
 * data after the header (an empty chunk is refused).  Anything else is
 * SIGNET_EBADINPUT with a message saying what the blob looks like (ASCII
 * armor, a cleartext signature, unsigned literal data, an encrypted
 * message, an unknown format name, ...).  Outputs untouched on failure.
 */
int sn_sig_detect(enum sn_sig_format *format, const unsigned char **chunk, size_t *chunk_len,
                  const unsigned char *data, size_t len, struct sn_err *e);

/* ---- payloads (payload.c) ------------------------------------------ */

#define SN_PAYLOAD_TYPE_SIMPLE "atomic container signature"
#define SN_PAYLOAD_TYPE_COSIGN "cosign container image signature"

/* A parsed simple-signing payload (SPEC §3.3). */
struct sn_payload {
	char *type;             /* critical.type */
	char *manifest_digest;  /* critical.image.docker-manifest-digest, validated */
	char *docker_reference; /* critical.identity.docker-reference, verbatim, never "" */
	char *creator;          /* optional.creator or NULL */
	int64_t timestamp;      /* optional.timestamp if has_timestamp */
	int has_timestamp;
	json_t *optional; /* the optional object (owned ref) or NULL when "optional": null */
};

/*
 * Parses a payload strictly, with containers/image's rules: top level
 * exactly critical + optional, both objects (optional may be null only
 * when expected_type is the cosign one); critical exactly type + image +
 * identity, image exactly docker-manifest-digest, identity exactly
 * docker-reference, all strings; no duplicate keys, no trailing bytes;
 * unknown keys in optional ignored; optional.creator a string;
 * optional.timestamp an integer in int64 range (an integral JSON number
 * such as 1e9 counts, as in containers/image; 1.5 does not); type equal to
 * expected_type; the digest a valid digest (sn_digest_validate: sha256 or
 * sha512, lowercase hex).
 *
 * The docker-reference is kept verbatim and not parsed here (an upper-case
 * or otherwise invalid reference is accepted by this parser; identity
 * matching, which parses it, refuses it later); only an empty one is
 * refused.  Stricter than containers/image: null for a string or for
 * timestamp is refused (Go would read it as "" or 0).
 *
 * Returns 0, SIGNET_EBADINPUT (the message starts "signature payload: "
 * and names the JSON path, e.g. "critical.identity: unknown key \"foo\""),
 * SIGNET_ELIMIT (nesting) or SIGNET_ENOMEM.  *out is the caller's.
 */
int sn_payload_parse(struct sn_payload **out, const void *data, size_t len, const char *expected_type,
                     struct sn_err *e);
void sn_payload_free(struct sn_payload *p);

/*
 * Does the payload sign these manifest bytes?  The digest it names is
 * recomputed over them.  As containers/image (skopeo 1.9), only sha256
 * manifest digests are accepted: the digest pulled is a sha256 one.
 * what names the manifest for the message ("this instance (sha256:...)").
 * Returns 0 or SIGNET_EDENIED saying which manifest the payload signs.
 */
int sn_payload_check_digest(const struct sn_payload *p, const void *manifest, size_t len, const char *what,
			    struct sn_err *e);

/* ---- signature backends (openpgp.c, later sigstore.c) ---------------- */

/* Who made a signature that verified. */
struct sn_signer {
	char *fingerprint;         /* the pinned primary key's fingerprint (hex, upper case) */
	char *signing_fingerprint; /* the key that made it: the primary or a signing subkey */
	char *uid;                 /* first user id of the primary key, or NULL */
};
/* Frees the strings (blob.c); s is left zeroed.  Accepts NULL. */
void sn_signer_clear(struct sn_signer *s);

/*
 * A backend verifies one kind of signature against keys pinned by the
 * caller, and nothing else.  Every failure is SIGNET_EDENIED (a verdict:
 * bad signature, unknown or expired or revoked key, no signature or
 * several signatures), SIGNET_EBADINPUT (the blob is not a well-formed
 * message of this kind: garbage, trailing data, armor, encryption),
 * SIGNET_EUNSUPPORTED (well-formed but using something signet does not
 * decode, e.g. BZip2 compression), SIGNET_ELIMIT (a size cap) or
 * SIGNET_ENOMEM / SIGNET_EIO (local failure, e.g. gpg could not run); the
 * message says which check failed.
 */
struct sn_sig_backend {
	const char *name;
	/* Creates verifier state from pinned public keys: keys[i] is one key
	 * file's bytes (OpenPGP: armored or binary, one or many certificates;
	 * sigstore: PEM).  Keys that do not parse, secret keys and trailing
	 * data are SIGNET_EBADINPUT naming key_names[i]. */
	int (*verifier_new)(void **state, const struct sn_buf *keys, const char *const *key_names,
	                    size_t n_keys, struct sn_err *e);
	/* Verifies blob; on success *payload receives the signed bytes
	 * (initialized here, max SIGNET_MAX_SIGNATURE_SIZE) and *signer who
	 * signed (the caller clears it with sn_signer_clear).  Outputs
	 * untouched on failure. */
	int (*verify)(void *state, const void *blob, size_t len, struct sn_buf *payload,
	              struct sn_signer *signer, struct sn_err *e);
	/* Appends a description of the pinned keys to out (fingerprints
	 * and names, for `policy explain`). */
	int (*describe)(void *state, struct sn_buf *out, struct sn_err *e);
	/* Releases the state; accepts NULL. */
	void (*verifier_free)(void *state);
};

/* ---- OpenPGP through gpgme (openpgp.c) ------------------------------- */

/* Everything in this section exists only when the openpgp feature is on
 * (config.h: SIGNET_HAVE_OPENPGP); callers guard their uses. */

/*
 * The OpenPGP backend.  verifier_new creates a private temporary GnuPG
 * home (mkdtemp under $TMPDIR or /tmp, mode 0700, with a gpg.conf that
 * forbids starting gpg-agent or dirmngr and any key retrieval), used only
 * by this verifier's gpgme context, and imports the pinned certificates
 * into it.  Accepted signers: each imported primary key and its subkeys
 * that can sign (reported as the primary).  verify accepts a binary
 * OpenPGP message, optionally behind "\0simple-signing\n", whose packet
 * structure signet checks itself before gpg sees it: an optional single
 * compressed layer (uncompressed, ZIP or ZLIB) around one-pass signatures,
 * one literal data packet and signatures, nothing after; exactly one
 * signature, good, by an accepted key; the payload gpg reports must equal
 * the literal data signet parsed.  The verifier is used by one thread at
 * a time.  verifier_free stops any agent and removes the home.
 */
extern const struct sn_sig_backend sn_openpgp_backend;

/* Bytes of an OpenPGP message after decompression: the payload (at most
 * SIGNET_MAX_SIGNATURE_SIZE) plus room for the packets around it. */
#define SN_OPENPGP_MAX_MESSAGE_SIZE (SIGNET_MAX_SIGNATURE_SIZE + 64u * 1024u)

/* Initializes gpgme once per process (thread-safe) and checks that an
 * OpenPGP engine (gpg) is available.  Returns 0 or SIGNET_EIO. */
int sn_gpgme_init(struct sn_err *e);

#endif
