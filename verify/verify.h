/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/verify.h: what the verify module offers (internal): signature
 * payloads, the signature backends behind one table, blob detection.
 */
#ifndef SN_VERIFY_H
#define SN_VERIFY_H

#include "base/cosign_key.h"
#include "base/pem.h"
#include "registry/registry.h"

#include <signet/attestation.h>

/* ---- signature blobs (blob.c) --------------------------------------- */

enum sn_sig_format {
	SN_SIG_SIMPLE_SIGNING = 0,  /* a binary OpenPGP message (SPEC §3.4) */
	SN_SIG_SIGSTORE_JSON = 1,   /* "\0sigstore-json\n" + JSON (SPEC §3.5) */
	SN_SIG_SIGSTORE_BUNDLE = 2, /* SN_BUNDLE_BLOB_HEADER + a Sigstore bundle (referrers.c) */
};

/* Does a requirement reading format want (sn_req_kind) read a blob of
 * format got?  sigstoreSigned reads .sig signatures and bundles alike. */
static inline int sn_sig_format_reads(enum sn_sig_format want, enum sn_sig_format got)
{
	return want == got || (want == SN_SIG_SIGSTORE_JSON && got == SN_SIG_SIGSTORE_BUNDLE);
}

/*
 * Detects the format of a stored signature blob as containers/image does
 * (SPEC §3.4): first byte an OpenPGP packet tag that can start a signed
 * message (compressed data, one-pass signature, signature) -> simple
 * signing, *chunk = data (the whole blob); 0x00 -> "\0FORMAT\n" + chunk,
 * FORMAT simple-signing, sigstore-json or sigstore-bundle (signet's own
 * name for a bundle read from a referrer), *chunk and *chunk_len point into
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

/* ---- signature backends (openpgp.c, sigstore.c) --------------------- */

/* Who made a signature that verified. */
struct sn_signer {
	char *fingerprint;         /* OpenPGP: the pinned primary key's fingerprint (hex, upper
	                            * case); sigstore: the key id "SHA256:<hex>" (sn_sigstore_key_id) */
	char *signing_fingerprint; /* the key that made it: the primary or a signing subkey
	                            * (sigstore: the same key id) */
	char *uid;                 /* OpenPGP: first user id of the primary key, or NULL;
	                            * sigstore: the pinned key's name, or NULL */
};
/* Frees the strings (blob.c); s is left zeroed.  Accepts NULL. */
void sn_signer_clear(struct sn_signer *s);
/* dst (zeroed by the caller) gets copies of src's strings.  Returns 0 or
 * SIGNET_ENOMEM (dst then holds what was copied: sn_signer_clear it). */
int sn_signer_copy(struct sn_signer *dst, const struct sn_signer *src, struct sn_err *e);

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

/* ---- OpenPGP simple signing, in process (openpgp.c, pgp_*.c) ---------- */

/*
 * The OpenPGP backend.  verifier_new parses the pinned certificates
 * (armored or binary, several per file, the same certificate in several
 * files merged) and checks their self-signatures with OpenSSL; no gpg,
 * no keyring, no process.  verify accepts a binary OpenPGP message,
 * optionally behind "\0simple-signing\n": an optional single compressed
 * layer (uncompressed, ZIP or ZLIB) around one-pass signatures, one
 * literal data packet and signatures, nothing after; exactly one
 * signature, by a key of the pinned certificates valid now (not revoked,
 * not expired, allowed to sign; a signing subkey bound with a
 * back-signature), good over the literal data.  docs/signing.md lists the
 * rules.  The verifier may be used by one thread at a time.
 */
extern const struct sn_sig_backend sn_openpgp_backend;

/* Bytes of an OpenPGP message after decompression: the payload (at most
 * SIGNET_MAX_SIGNATURE_SIZE) plus room for the packets around it. */
#define SN_OPENPGP_MAX_MESSAGE_SIZE (SIGNET_MAX_SIGNATURE_SIZE + 64u * 1024u)

/* signet's structure checks (the fuzz harnesses use them).
 * sn_openpgp_check_structure: data is a binary OpenPGP message (after
 * sn_sig_detect) as verify reads it: the packet grammar above, exactly as
 * verify checks it, but any number of signatures.  sn_openpgp_check_key:
 * data is a pinned key file (armored or binary) as verifier_new accepts
 * it, what names it in messages.  Return 0, SIGNET_EBADINPUT,
 * SIGNET_EUNSUPPORTED, SIGNET_ELIMIT or SIGNET_ENOMEM. */
int sn_openpgp_check_structure(const void *data, size_t len, struct sn_err *e);
int sn_openpgp_check_key(const void *data, size_t len, const char *what, struct sn_err *e);

/* ---- sigstore (cosign) key-based signatures through OpenSSL (sigstore.c) */

struct evp_pkey_st; /* OpenSSL's EVP_PKEY */

/* The media type and signature annotation: SN_MT_COSIGN_SIMPLESIGNING and
 * SN_COSIGN_SIGNATURE_ANNOTATION (registry/registry.h). */
/* The blob header, as containers/image writes it; sizeof - 1 bytes long
 * (it starts with a NUL byte, so never use strlen on it). */
#define SN_SIGSTORE_BLOB_HEADER "\0sigstore-json\n"
#define SN_SIGSTORE_BLOB_HEADER_LEN (sizeof(SN_SIGSTORE_BLOB_HEADER) - 1)
/* Longest base64 signature annotation accepted (an RSA-4096 signature is
 * 684 characters). */
#define SN_SIGSTORE_MAX_SIGNATURE_B64 4096

/*
 * The sigstore backend: cosign's key-based signatures (SPEC §3.5).
 *
 * verifier_new: each key is one PEM "PUBLIC KEY" (SubjectPublicKeyInfo)
 * block, alone in its file (surrounding whitespace allowed): ECDSA on
 * P-256, P-384 or P-521 (named curves), RSA of 2048 to 4096 bits, or
 * Ed25519.  A private key, an X.509 certificate (keyless / certificate
 * verification is not supported yet), any other PEM type, PEM headers,
 * bad base64, a DER key with trailing bytes, a second block or any other
 * trailing data is SIGNET_EBADINPUT naming key_names[i]; a well-formed
 * key of another type, curve or size is SIGNET_EUNSUPPORTED.
 *
 * verify: blob is "\0sigstore-json\n" + {"mimeType": SN_MT_COSIGN_SIMPLESIGNING,
 * "payload": base64, "annotations": {string: string, ...}}, parsed
 * strictly (exactly these three members, no duplicate keys, standard
 * padded base64 without whitespace); another mimeType is
 * SIGNET_EUNSUPPORTED (containers/image does not treat such an attachment
 * as a signature either).  The SN_COSIGN_SIGNATURE_ANNOTATION holds the
 * base64 signature over the exact payload bytes; other annotations are
 * ignored.  Checked with each pinned key until one verifies: ECDSA (DER)
 * with SHA-256 on P-256, SHA-384 on P-384 and SHA-512 on P-521, and on
 * P-384/P-521 also SHA-256, which containers/image (skopeo, podman) uses
 * for every key type; RSA PKCS#1 v1.5 with SHA-256; pure Ed25519.  None:
 * SIGNET_EDENIED.  The payload is not parsed here (the caller uses
 * sn_payload_parse with SN_PAYLOAD_TYPE_COSIGN).
 *
 * describe: "KEYID (name)" per pinned key, comma-separated.
 */
extern const struct sn_sig_backend sn_sigstore_backend;

/* The one signature check of the sigstore backend: sig over data (the
 * exact bytes signed) by one of the pinned keys of state (the backend's
 * verifier), with the algorithms listed above.  *signer as verify's.
 * 0, SIGNET_EDENIED ("not signed by any pinned key ...") or
 * SIGNET_ENOMEM. */
int sn_sigstore_check(const void *state, const unsigned char *sig, size_t sig_len, const unsigned char *data,
                      size_t len, struct sn_signer *signer, struct sn_err *e);

/* A cosign .sig signature (the chunk after SN_SIGSTORE_BLOB_HEADER) parsed
 * as the sigstore backend's verify describes, its signature not checked:
 * payload and signature decoded, every annotation a string.  *out is the
 * caller's (sn_cosign_sig_clear), untouched on failure.  0,
 * SIGNET_EBADINPUT, SIGNET_EUNSUPPORTED (another mimeType) or
 * SIGNET_ENOMEM. */
struct sn_cosign_sig {
	json_t *root;        /* owned */
	json_t *annotations; /* borrowed from root */
	unsigned char *payload;
	size_t payload_len;
	unsigned char *sig;
	size_t sig_len;
};
int sn_cosign_sig_parse(struct sn_cosign_sig *out, const unsigned char *chunk, size_t len, struct sn_err *e);
void sn_cosign_sig_clear(struct sn_cosign_sig *s);

/* ---- keyless Sigstore bundles (keyless.c) ----------------------------- */

struct sn_keyless; /* policy/policy.h */

/*
 * The keyless backend: Sigstore bundles whose verificationMaterial is a
 * Fulcio certificate, and cosign .sig layers ("\0sigstore-json\n" blobs)
 * carrying a certificate annotation, checked offline against a trusted
 * root and the pinned identity of a keyless requirement (keyless.c lists
 * every rule).
 * Its state is made with sn_keyless_verifier_new (its verifier_new
 * refuses key files); the state borrows k, which must outlive it.  verify
 * returns the signed statement (bundle) or payload (.sig) and, as signer, fingerprint = the
 * certificate's SAN, signing_fingerprint = the key id of its key, uid =
 * "SAN (OIDC issuer ISSUER)".  Refusals are SIGNET_EDENIED whose message
 * says which rule failed ("does not chain to the trusted root", "not valid
 * at the signing time", "identity does not match", "no verified signing
 * time", or tlog.c's own), SIGNET_EBADINPUT / SIGNET_EUNSUPPORTED /
 * SIGNET_ELIMIT for a bundle that does not parse.
 */
extern const struct sn_sig_backend sn_keyless_backend;
int sn_keyless_verifier_new(void **state, const struct sn_keyless *k, struct sn_err *e);

/* ---- Sigstore bundles (bundle.c) ------------------------------------- */

#define SN_INTOTO_PAYLOAD_TYPE  "application/vnd.in-toto+json"
#define SN_INTOTO_STATEMENT_V1  "https://in-toto.io/Statement/v1"
#define SN_INTOTO_STATEMENT_V01 "https://in-toto.io/Statement/v0.1"

/* A Sigstore bundle parsed: what the key-based check (sn_bundle_verify)
 * and the keyless one (keyless.c) read. */
struct sn_bundle {
	json_t *root;           /* the whole bundle (owned) */
	json_t *material;       /* verificationMaterial (borrowed from root) */
	unsigned char *payload; /* the DSSE envelope's payload, decoded */
	size_t payload_len;
	const char *payload_type; /* its payloadType (borrowed from root) */
	unsigned char *sig;       /* the one DSSE signature, decoded */
	size_t sig_len;
	struct sn_buf pae; /* the bytes signed: the DSSE pre-authentication encoding */
};

/* Parses a bundle strictly, as sn_bundle_verify describes, without checking
 * its signature; verificationMaterial holds exactly one of publicKey,
 * certificate and x509CertificateChain (their contents are read by their
 * checks).  *out is the caller's (sn_bundle_clear); untouched on failure. */
int sn_bundle_parse(struct sn_bundle *out, const unsigned char *chunk, size_t len, struct sn_err *e);
void sn_bundle_clear(struct sn_bundle *b);

/*
 * Verifies a Sigstore bundle (the chunk after SN_BUNDLE_BLOB_HEADER)
 * against the pinned keys of state (the sigstore backend's verifier),
 * as cosign v3 signs an image with a key: the bundle is parsed strictly
 * (mediaType one of the bundle media types; verificationMaterial with a
 * publicKey, its hint ignored: keys are never chosen by what the bundle
 * says; tlogEntries and timestampVerificationData allowed but not
 * checked; a dsseEnvelope with payloadType SN_INTOTO_PAYLOAD_TYPE and
 * exactly one signature).  The signature is checked over the DSSE
 * pre-authentication encoding with sn_sigstore_check.  *statement gets
 * the envelope's payload (initialized here), *signer the key.  Unknown
 * members, wrong JSON types and bad base64 are SIGNET_EBADINPUT naming the
 * JSON path ("bundle: dsseEnvelope.signatures[0].sig: ..."); a
 * certificate (keyless: keyless.c checks those) or a messageSignature is
 * SIGNET_EUNSUPPORTED; a
 * bad signature SIGNET_EDENIED.  Outputs untouched on failure.
 */
int sn_bundle_verify(const void *state, const unsigned char *chunk, size_t len, struct sn_buf *statement,
                     struct sn_signer *signer, struct sn_err *e);

/*
 * Parses the in-toto statement a bundle signs into a payload the
 * examination reads like a simple-signing one: _type (Statement v1 or
 * v0.1), exactly one subject with a sha256 digest -> manifest_digest,
 * predicateType (must be SN_COSIGN_SIGN_PREDICATE, else SIGNET_EDENIED:
 * an attestation is not a signature) -> type, the subject's annotations
 * (cosign sign -a) -> optional.  A statement names no image, only its
 * digest: docker_reference is set to repository, the repository the
 * bundle was found in.  SIGNET_EBADINPUT names the JSON path.
 */
int sn_statement_parse(struct sn_payload **out, const void *data, size_t len, const char *repository,
                       struct sn_err *e);

/* ---- attestation records (attestation.c) ----------------------------- */

/*
 * The checksums text of an attestation record (len bytes, named name in
 * messages) parsed and, with contract (contract_len bytes of YAML; NULL:
 * none), compared as signet_attestation_verify compares them; no file is
 * read and no signature or chain is checked (both verdicts stay "not
 * verified").  For the fuzz harness.  0 with *out (signet_attestation_free),
 * SIGNET_EBADINPUT, SIGNET_ELIMIT or SIGNET_ENOMEM.
 */
int sn_attestation_parse(signet_attestation **out, const char *name, const char *text, size_t len,
                         const char *contract, size_t contract_len, struct sn_err *e);

#endif
