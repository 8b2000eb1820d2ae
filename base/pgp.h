/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/pgp.h: OpenPGP key material (RFC 4880, RFC 6637, draft-koch-eddsa),
 * in process on OpenSSL.  No gpg, no keyring: the keys are the
 * certificates the caller pinned, parsed and judged here.  policy/ (pinned
 * keys of a contract), verify/ and sign/ use this one copy.
 *
 *   pgp_packet.c  packet framing and ASCII armor (its one CRC-24)
 *   pgp_sig.c     key and signature packets, and the signature arithmetic
 *   pgp_cert.c    certificates: merging, self-signatures, validity at a time
 *   verify/openpgp.c  the backend: the message grammar and the decision
 *
 * docs/signing.md has the rules as a table; each rule is enforced in one
 * place, named in a comment there.
 */
#ifndef SN_BASE_PGP_H
#define SN_BASE_PGP_H

#include "base/base.h"

/* ---- packets (pgp_packet.c) ------------------------------------------ */

enum {
	SN_PGP_PKESK = 1,
	SN_PGP_SIGNATURE = 2,
	SN_PGP_SKESK = 3,
	SN_PGP_ONE_PASS = 4,
	SN_PGP_SECRET_KEY = 5,
	SN_PGP_PUBLIC_KEY = 6,
	SN_PGP_SECRET_SUBKEY = 7,
	SN_PGP_COMPRESSED = 8,
	SN_PGP_SED = 9,
	SN_PGP_MARKER = 10,
	SN_PGP_LITERAL = 11,
	SN_PGP_TRUST = 12,
	SN_PGP_USER_ID = 13,
	SN_PGP_PUBLIC_SUBKEY = 14,
	SN_PGP_USER_ATTRIBUTE = 17,
	SN_PGP_SEIPD = 18,
	SN_PGP_MDC = 19,
	SN_PGP_AEAD = 20,
};

/* "signature", "public key", ... or "unknown". */
const char *sn_pgp_tag_name(unsigned int tag);

/* The packet tag that the first octet b of binary OpenPGP data announces
 * (RFC 4880 §4.2: bit 7 set, bit 6 the new format), or 0 when b is no
 * packet header: enough to tell a binary key file from other data. */
unsigned int sn_pgp_first_tag(unsigned char b);

/* A sequence of packets being read; what names it in messages. */
struct sn_pgp_reader {
	const unsigned char *p;
	size_t len;
	size_t off;
	const char *what;
};

/*
 * Reads the next packet (RFC 4880 §4.2).  *body points into the stream,
 * or into scratch when the body came in partial lengths (joined there).
 * Indeterminate (old format) and partial (new format) lengths are allowed
 * only for literal and compressed data packets, and only when scratch is
 * not NULL (in messages; never in key files): RFC 4880 §4.2.2.4 and
 * §4.2.1.  Returns 0 or SIGNET_EBADINPUT (framing), SIGNET_ELIMIT.
 */
int sn_pgp_next(struct sn_pgp_reader *r, unsigned int *tag, const unsigned char **body, size_t *body_len,
                struct sn_buf *scratch, struct sn_err *e);

/*
 * A pinned key file as binary packets: ASCII armor ("PGP PUBLIC KEY
 * BLOCK", one or more blocks, CRC-24 checked when present) is decoded,
 * binary is copied.  Then the packets are checked to be transferable
 * public keys and nothing else (no secret keys, no unknown packets).
 * what names the file.  Returns 0 or SIGNET_EBADINPUT / SIGNET_ELIMIT.
 */
int sn_pgp_key_file(struct sn_buf *bin, const unsigned char *data, size_t len, const char *what,
                    struct sn_err *e);

/* Appends the ASCII armor of the binary OpenPGP data d (n bytes) as a
 * PUBLIC KEY BLOCK to out (RFC 4880 §6.2: 64-character lines, CRC-24
 * checksum).  0, SIGNET_ELIMIT or SIGNET_ENOMEM. */
int sn_openpgp_armor_public_key(struct sn_buf *out, const unsigned char *d, size_t n, struct sn_err *e);

/* ---- keys and signatures (pgp_sig.c) --------------------------------- */

struct evp_pkey_st;

/* RFC 4880 §9.1, RFC 6637 §5, draft-koch-eddsa §3. */
enum {
	SN_PGP_PK_RSA = 1,
	SN_PGP_PK_RSA_SIGN = 3,
	SN_PGP_PK_DSA = 17,
	SN_PGP_PK_ECDSA = 19,
	SN_PGP_PK_EDDSA = 22,
};

/* Largest MPI read (gpg's limit too: it refuses a packet with a larger one). */
#define SN_PGP_MAX_MPI_BITS 16384u

/* Smallest RSA modulus signet verifies (containers/image's own test
 * fixtures used RSA-1024 keys). */
#define SN_PGP_MIN_RSA_BITS 1024u

/* A version 4 public key or subkey packet. */
struct sn_pgp_key {
	unsigned char fpr[20];     /* v4 fingerprint: SHA-1 over 0x99, length, body */
	char fpr_hex[41];          /* the same, upper-case hex */
	unsigned int algo;         /* public-key algorithm */
	unsigned int bits;         /* RSA modulus or curve size; 0 when pkey is NULL */
	int64_t created;           /* seconds since the epoch */
	struct evp_pkey_st *pkey;  /* NULL: signet does not verify with this key (why) */
	const char *why;           /* when pkey is NULL: which algorithm or size */
	const unsigned char *body; /* the packet body (not owned), for hashing */
	size_t body_len;
};

/*
 * Reads a public key or subkey packet body.  Returns 0 for a version 4
 * key (pkey set for RSA of SN_PGP_MIN_RSA_BITS bits or more, ECDSA on
 * P-256/384/521 and legacy EdDSA Ed25519; otherwise NULL and why says
 * what is not supported), -1 with *why set for another version or a
 * malformed body.  body must outlive k.  sn_pgp_key_clear accepts zeroed
 * keys.
 */
int sn_pgp_key_parse(struct sn_pgp_key *k, const unsigned char *body, size_t len, const char **why);
void sn_pgp_key_clear(struct sn_pgp_key *k);

/* Signature types (RFC 4880 §5.2.1). */
enum {
	SN_PGP_SIG_BINARY = 0x00,
	SN_PGP_SIG_TEXT = 0x01,
	SN_PGP_SIG_CERT_GENERIC = 0x10,
	SN_PGP_SIG_CERT_POSITIVE = 0x13,
	SN_PGP_SIG_SUBKEY_BINDING = 0x18,
	SN_PGP_SIG_PRIMARY_BINDING = 0x19,
	SN_PGP_SIG_DIRECT_KEY = 0x1f,
	SN_PGP_SIG_KEY_REVOCATION = 0x20,
	SN_PGP_SIG_SUBKEY_REVOCATION = 0x28,
	SN_PGP_SIG_CERT_REVOCATION = 0x30,
};

/* Key flags (RFC 4880 §5.2.3.21). */
#define SN_PGP_FLAG_SIGN 0x02u

/*
 * A version 3 or 4 signature packet, as sn_pgp_sig_parse read it.  The
 * pointers are into the packet body, which must outlive it.
 */
struct sn_pgp_sig {
	unsigned int version, type, pk_algo, hash_algo;
	int64_t created;
	uint32_t expires;     /* signature expiration, seconds after created; 0 = never */
	uint32_t key_expires; /* key expiration, seconds after the key's creation; 0 = never */
	int has_key_expires;
	unsigned int key_flags; /* first octet of the key flags subpacket */
	int has_key_flags;
	int has_revoker; /* a revocation key subpacket (designated revoker) */
	unsigned char keyid[8];
	int has_keyid;
	unsigned char issuer_fpr[20];
	int has_issuer_fpr;
	const unsigned char *embedded; /* an embedded signature (subpacket 32) */
	size_t embedded_len;
	int embedded_hashed;         /* ... found in the hashed area (else the unhashed one) */
	unsigned int critical;       /* the first critical subpacket type signet does not
	                              * interpret for this kind of signature, or 0 */
	const unsigned char *hashed; /* what the hash covers after the signed data */
	size_t hashed_len;
	unsigned char left16[2];
	const unsigned char *mpis; /* the algorithm-specific fields */
	size_t mpis_len;
};

/*
 * Reads a signature packet body.  Version 3 (type and creation time
 * hashed, issuer key id) or version 4 (subpackets, RFC 4880 §5.2.3):
 * exactly one creation time, in the hashed area; expirations and key
 * flags count only in the hashed area; at most one issuer key id and one
 * issuer fingerprint (version 4, 20 octets), which must agree.  A
 * critical subpacket signet does not interpret is recorded in s->critical
 * (the caller refuses the signature).  The embedded signature is the
 * hashed one when there is one, else the first unhashed one.  Returns 0,
 * or -1 with *why naming what is malformed (a hash algorithm outside
 * SHA-2 is parsed: see sn_pgp_weak_hash).
 */
int sn_pgp_sig_parse(struct sn_pgp_sig *s, const unsigned char *body, size_t len, const char **why);

/*
 * 0 when a signature packet body is framed as gpg reads it: version 3 or
 * 4, subpacket areas whose lengths add up, as many MPIs as its algorithm
 * has (for the algorithms signet knows), none over SN_PGP_MAX_MPI_BITS,
 * nothing after them.  -1 with *why otherwise.  Whether the signature
 * counts for anything is another matter (sn_pgp_sig_parse and callers).
 */
int sn_pgp_sig_framed(const unsigned char *body, size_t len, const char **why);

/* The issuer a signature names, for messages: its fingerprint, else its
 * key id, upper-case hex ("" when it names none). */
void sn_pgp_sig_issuer(char out[41], const struct sn_pgp_sig *s);

/* 1 when the signature names the key by issuer fingerprint or key id (or
 * names no issuer at all, which only version 4 embedded back-signatures
 * may do: the caller decides), 0 otherwise. */
int sn_pgp_sig_names(const struct sn_pgp_sig *s, const struct sn_pgp_key *k);

/* A piece of the hashed input before the signature's own trailer. */
struct sn_pgp_part {
	const void *p;
	size_t n;
};

/* The hash input of a key: 0x99, two-octet length, body (in prefix[3]). */
void sn_pgp_key_prefix(const struct sn_pgp_key *k, unsigned char prefix[3]);

/* NULL for SHA-224/256/384/512; otherwise the name of the refused hash
 * ("SHA-1", "MD5", "RIPEMD-160", "an unknown hash algorithm"). */
const char *sn_pgp_weak_hash(unsigned int algo);

/*
 * 1 when s is a mathematically good signature by k over the parts
 * followed by the signature's trailer (RFC 4880 §5.2.4): same public-key
 * algorithm, the quick check, the signature value (RSA PKCS#1 v1.5 with
 * the hash's DigestInfo, ECDSA with a hash at least as long as the curve's
 * order or SHA-512, EdDSA with a hash of at least 256 bits), exact MPIs.
 * 0 when it is not (bad, or not by this key); -1 when signet cannot tell
 * (k is of an algorithm signet does not verify with, the hash is one
 * OpenSSL does not offer, or it is shorter than ECDSA or EdDSA asks).  Weak hashes (SHA-1, MD5) are computed:
 * only revocations are checked with them.  Times, types and key validity are the caller's.
 */
int sn_pgp_sig_verify(const struct sn_pgp_sig *s, const struct sn_pgp_key *k, const struct sn_pgp_part *parts,
                      size_t n_parts);

/* "RSA-3072", "ECDSA P-256", "EdDSA Ed25519", "DSA" ... for messages. */
const char *sn_pgp_algo_name(unsigned int algo);

/* Upper-case hex of n bytes into out (2n + 1 bytes). */
void sn_pgp_hex(char *out, const unsigned char *p, size_t n);

/* ---- certificates (pgp_cert.c) --------------------------------------- */

/* Packets in all the pinned key files of one verifier together. */
#define SN_PGP_MAX_KEY_PACKETS 10000u

/* All the certificates of the pinned key files, merged by primary key. */
struct sn_pgp_keyring;

/*
 * Adds the binary key packets of one pinned file (sn_pgp_key_file's
 * output, which must outlive the keyring: it is not copied) to *kr
 * (created on first use).  Certificates with a primary key already seen
 * (in this file or an earlier one) are merged into it, as gpg merges
 * imports.  Every self-signature is checked cryptographically here, once;
 * what depends on the time is decided at sn_pgp_keyring_signer.  A
 * certificate whose primary key is not version 4 or has no user ID packet
 * is SIGNET_EBADINPUT naming what.  After an error *kr is only fit to be
 * freed (a half-read file may have left signatures unchecked).
 */
int sn_pgp_keyring_add(struct sn_pgp_keyring **kr, const unsigned char *bin, size_t len, const char *what,
                       struct sn_err *e);
void sn_pgp_keyring_free(struct sn_pgp_keyring *kr);

/* Who may have made a data signature, when sn_pgp_keyring_signer allows. */
struct sn_pgp_signer {
	const struct sn_pgp_key *key; /* the key that made it: primary or signing subkey */
	const char *primary_fpr;      /* the certificate's primary fingerprint (hex) */
	const unsigned char *uid;     /* its first valid user ID, or NULL */
	size_t uid_len;
};

/*
 * The decision on one data signature s over data at time now: a key of
 * the keyring that s names, valid at now (certificate rules in
 * docs/signing.md: revocations, expiry and key flags from the current
 * self-signatures, signing subkeys bound with a back-signature), bound
 * when s was made, and s good by it.  Returns 0 with *out set, or
 * SIGNET_EDENIED with the reason (unknown key, bad signature, revoked,
 * expired, not for signing, ...).
 */
int sn_pgp_keyring_signer(struct sn_pgp_signer *out, const struct sn_pgp_keyring *kr,
                          const struct sn_pgp_sig *s, const void *data, size_t len, int64_t now,
                          struct sn_err *e);

/* Appends "FPR (uid)" for each certificate, comma-separated, to out. */
int sn_pgp_keyring_describe(const struct sn_pgp_keyring *kr, struct sn_buf *out, struct sn_err *e);

#endif
