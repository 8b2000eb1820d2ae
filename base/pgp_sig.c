/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/pgp_sig.c: OpenPGP key and signature packets (RFC 4880 §5.2,
 * §5.5.2, RFC 6637, draft-koch-eddsa) and the signature arithmetic, on
 * OpenSSL.  Parsing is exact: MPIs carry their exact bit count, fields
 * fill their packet, nothing is guessed.  Which signature counts for what
 * is decided by pgp_cert.c (certificates) and openpgp.c (messages).
 */
#include "base/pgp.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

/* RFC 4880 §9.4.  SHA-1 and MD5 only ever serve to check revocations
 * (a revocation signet can check counts); no signature made with them is
 * accepted (docs/signing.md). */
static const EVP_MD *hash_md(unsigned int algo)
{
	switch (algo) {
	case 1: return EVP_md5();
	case 2: return EVP_sha1();
	case 8: return EVP_sha256();
	case 9: return EVP_sha384();
	case 10: return EVP_sha512();
	case 11: return EVP_sha224();
	default: return NULL;
	}
}

const char *sn_pgp_weak_hash(unsigned int algo)
{
	switch (algo) {
	case 1: return "MD5";
	case 2: return "SHA-1";
	case 3: return "RIPEMD-160";
	case 8:
	case 9:
	case 10:
	case 11: return NULL;
	default: return "an unknown hash algorithm";
	}
}

/* The curve OIDs of RFC 6637 §11 and draft-koch-eddsa, without their
 * length octet. */
static const unsigned char oid_p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char oid_p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const unsigned char oid_p521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
static const unsigned char oid_ed25519[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01};

static const struct {
	const unsigned char *oid;
	size_t oid_len;
	const char *group;  /* OpenSSL's name */
	unsigned int bytes; /* size of a coordinate */
} nist_curves[] = {
    {oid_p256, sizeof(oid_p256), "P-256", 32},
    {oid_p384, sizeof(oid_p384), "P-384", 48},
    {oid_p521, sizeof(oid_p521), "P-521", 66},
};

/* ---- reading ---------------------------------------------------------- */

struct rd {
	const unsigned char *p;
	size_t len, off;
};

static int rd_u8(struct rd *r, unsigned int *v)
{
	if (r->off >= r->len)
		return -1;
	*v = r->p[r->off++];
	return 0;
}

static int rd_be(struct rd *r, size_t n, uint32_t *v)
{
	uint32_t x = 0;

	if (n > r->len - r->off)
		return -1;
	for (size_t i = 0; i < n; i++)
		x = x << 8 | r->p[r->off++];
	*v = x;
	return 0;
}

static int rd_bytes(struct rd *r, size_t n, const unsigned char **p)
{
	if (n > r->len - r->off)
		return -1;
	*p = r->p + r->off;
	r->off += n;
	return 0;
}

/*
 * An MPI (RFC 4880 §3.2): a bit count and the big-endian bytes.  The
 * count must be exact (no leading zero octet, top bit where it says):
 * OpenPGP implementations write them so, and gpg judges anything else.
 */
static int rd_mpi(struct rd *r, const unsigned char **p, size_t *n)
{
	uint32_t bits;
	size_t bytes;

	/* gpg reads no MPI over 16384 bits, and refuses the packet. */
	if (rd_be(r, 2, &bits) != 0 || bits == 0 || bits > SN_PGP_MAX_MPI_BITS)
		return -1;
	bytes = (bits + 7) / 8;
	if (rd_bytes(r, bytes, p) != 0)
		return -1;
	/* The top octet has exactly bits - 8 * (bytes - 1) significant bits. */
	if (((*p)[0] >> ((bits - 1) % 8)) != 1)
		return -1;
	*n = bytes;
	return 0;
}

/* An OID field: a length octet (not 0, not 0xff) and the OID. */
static int rd_oid(struct rd *r, const unsigned char **p, size_t *n)
{
	unsigned int len;

	if (rd_u8(r, &len) != 0 || len == 0 || len == 0xff)
		return -1;
	*n = len;
	return rd_bytes(r, len, p);
}

void sn_pgp_hex(char *out, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* ---- public keys ------------------------------------------------------ */

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (params != NULL && (ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) != NULL &&
	    EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/* The exact bit count of a big-endian number whose first octet is not 0. */
static unsigned int mpi_bits(const unsigned char *p, size_t n)
{
	unsigned int bits = (unsigned int)(n - 1) * 8;

	for (unsigned int top = p[0]; top != 0; top >>= 1)
		bits++;
	return bits;
}

/* Each reader returns 0 with k->pkey set, 1 when the key is well formed
 * but not one signet verifies with (k->why says why), -1 when malformed. */
static int rsa_key(struct sn_pgp_key *k, struct rd *r)
{
	const unsigned char *n, *e;
	size_t n_len, e_len;
	OSSL_PARAM_BLD *bld;
	BIGNUM *bn_n = NULL, *bn_e = NULL;

	if (rd_mpi(r, &n, &n_len) != 0 || rd_mpi(r, &e, &e_len) != 0 || r->off != r->len)
		return -1;
	k->bits = mpi_bits(n, n_len);
	if (k->bits < SN_PGP_MIN_RSA_BITS) {
		k->why = "an RSA key smaller than 1024 bits";
		return 1;
	}
	if (n_len > 2048 || e_len > 8) {
		k->why = "an RSA key with a modulus over 16384 bits or an exponent over 64 bits";
		return 1;
	}
	bld = OSSL_PARAM_BLD_new();
	bn_n = BN_bin2bn(n, (int)n_len, NULL);
	bn_e = BN_bin2bn(e, (int)e_len, NULL);
	if (bld != NULL && bn_n != NULL && bn_e != NULL &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1)
		k->pkey = pkey_fromdata("RSA", bld);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	return k->pkey != NULL ? 0 : -1;
}

static int ecdsa_key(struct sn_pgp_key *k, struct rd *r)
{
	const unsigned char *oid, *q;
	size_t oid_len, q_len;
	OSSL_PARAM_BLD *bld;

	if (rd_oid(r, &oid, &oid_len) != 0 || rd_mpi(r, &q, &q_len) != 0 || r->off != r->len)
		return -1;
	for (size_t i = 0; i < sizeof(nist_curves) / sizeof(nist_curves[0]); i++) {
		if (oid_len != nist_curves[i].oid_len || memcmp(oid, nist_curves[i].oid, oid_len) != 0)
			continue;
		/* An uncompressed point: 0x04 || X || Y. */
		if (q_len != 1 + 2 * (size_t)nist_curves[i].bytes || q[0] != 0x04)
			return -1;
		if ((bld = OSSL_PARAM_BLD_new()) == NULL)
			return -1;
		if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, nist_curves[i].group,
		                                    0) == 1 &&
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q, q_len) == 1)
			k->pkey = pkey_fromdata("EC", bld);
		OSSL_PARAM_BLD_free(bld);
		k->bits = nist_curves[i].bytes == 66 ? 521 : nist_curves[i].bytes * 8;
		return k->pkey != NULL ? 0 : -1;
	}
	k->why = "an ECDSA key on a curve other than P-256, P-384 and P-521";
	return 1;
}

static int eddsa_key(struct sn_pgp_key *k, struct rd *r)
{
	const unsigned char *oid, *q;
	size_t oid_len, q_len;

	if (rd_oid(r, &oid, &oid_len) != 0 || rd_mpi(r, &q, &q_len) != 0 || r->off != r->len)
		return -1;
	if (oid_len != sizeof(oid_ed25519) || memcmp(oid, oid_ed25519, oid_len) != 0) {
		k->why = "an EdDSA key on a curve other than Ed25519";
		return 1;
	}
	/* The point is the 0x40 prefix and 32 octets. */
	if (q_len != 33 || q[0] != 0x40)
		return -1;
	k->bits = 256;
	k->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, q + 1, 32);
	return k->pkey != NULL ? 0 : -1;
}

/*
 * The keys signet does not verify with are still read field by field, as
 * gpg reads them: a file gpg would refuse to import (a malformed packet
 * aborts its whole import) is refused too.  Algorithms neither knows are
 * taken as they are.
 */
static int other_key(struct sn_pgp_key *k, struct rd *r, unsigned int algo)
{
	const unsigned char *p;
	size_t n, mpis = 0;
	unsigned int kdf_len, v;

	switch (algo) {
	case 2: /* RSA encrypt-only: n, e */
		k->why = "an encryption-only RSA key";
		mpis = 2;
		break;
	case 16:
	case 20: /* ElGamal: p, g, y */
		k->why = "an ElGamal key";
		mpis = 3;
		break;
	case SN_PGP_PK_DSA: /* p, q, g, y */
		k->why = "a DSA key";
		mpis = 4;
		break;
	case 18: /* ECDH (RFC 6637 §9): curve, point, KDF parameters */
		k->why = "an ECDH key";
		if (rd_oid(r, &p, &n) != 0 || rd_mpi(r, &p, &n) != 0 || rd_u8(r, &kdf_len) != 0 ||
		    kdf_len != 3 || rd_u8(r, &v) != 0 || v != 1 || rd_bytes(r, 2, &p) != 0)
			return -1;
		break;
	default: k->why = "a key of an unknown algorithm"; return 1;
	}
	for (size_t i = 0; i < mpis; i++)
		if (rd_mpi(r, &p, &n) != 0)
			return -1;
	return r->off == r->len ? 1 : -1;
}

void sn_pgp_key_prefix(const struct sn_pgp_key *k, unsigned char prefix[3])
{
	prefix[0] = 0x99;
	prefix[1] = (unsigned char)(k->body_len >> 8);
	prefix[2] = (unsigned char)k->body_len;
}

int sn_pgp_key_parse(struct sn_pgp_key *k, const unsigned char *body, size_t len, const char **why)
{
	struct rd r = {body, len, 0};
	unsigned char prefix[3];
	unsigned int version, algo;
	uint32_t created;
	EVP_MD_CTX *ctx;
	int ok, rc;

	memset(k, 0, sizeof(*k));
	if (rd_u8(&r, &version) != 0) {
		*why = "an empty key packet";
		return -1;
	}
	if (version != 4) {
		*why = version == 3 || version == 2 ? "a version 3 key, which signet refuses"
		                                    : "a key packet of a version other than 4";
		return -1;
	}
	if (len > 0xffff || rd_be(&r, 4, &created) != 0 || rd_u8(&r, &algo) != 0) {
		*why = "a malformed key packet";
		return -1;
	}
	k->body = body;
	k->body_len = len;
	k->algo = algo;
	k->created = created;
	/* RFC 4880 §12.2: SHA-1 over 0x99, the two-octet length, the body. */
	sn_pgp_key_prefix(k, prefix);
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		*why = "out of memory";
		return -1;
	}
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 && EVP_DigestUpdate(ctx, prefix, 3) == 1 &&
	     EVP_DigestUpdate(ctx, body, len) == 1 && EVP_DigestFinal_ex(ctx, k->fpr, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		*why = "the fingerprint could not be computed";
		return -1;
	}
	sn_pgp_hex(k->fpr_hex, k->fpr, sizeof(k->fpr));
	switch (algo) {
	case SN_PGP_PK_RSA:
	case SN_PGP_PK_RSA_SIGN: rc = rsa_key(k, &r); break;
	case SN_PGP_PK_ECDSA: rc = ecdsa_key(k, &r); break;
	case SN_PGP_PK_EDDSA: rc = eddsa_key(k, &r); break;
	default: rc = other_key(k, &r, algo);
	}
	if (rc < 0) {
		sn_pgp_key_clear(k);
		*why = "a malformed key packet (its public key fields do not parse)";
		return -1;
	}
	if (rc > 0)
		k->bits = 0;
	return 0;
}

void sn_pgp_key_clear(struct sn_pgp_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	memset(k, 0, sizeof(*k));
}

const char *sn_pgp_algo_name(unsigned int algo)
{
	switch (algo) {
	case SN_PGP_PK_RSA:
	case SN_PGP_PK_RSA_SIGN: return "RSA";
	case SN_PGP_PK_ECDSA: return "ECDSA";
	case SN_PGP_PK_EDDSA: return "EdDSA";
	case SN_PGP_PK_DSA: return "DSA";
	default: return "unknown";
	}
}

/* ---- signatures ------------------------------------------------------- */

/* RFC 4880 §5.2.3.1 subpacket types signet reads. */
enum {
	SP_CREATED = 2,
	SP_EXPIRES = 3,
	SP_EXPORTABLE = 4,
	SP_REVOCABLE = 7,
	SP_KEY_EXPIRES = 9,
	SP_PREF_SYM = 11,
	SP_REVOKER = 12,
	SP_ISSUER = 16,
	SP_PREF_HASH = 21,
	SP_PREF_COMPR = 22,
	SP_KS_PREFS = 23,
	SP_PRIMARY_UID = 25,
	SP_KEY_FLAGS = 27,
	SP_REASON = 29,
	SP_FEATURES = 30,
	SP_EMBEDDED = 32,
	SP_ISSUER_FPR = 33,
};

static int is_data_sig(unsigned int type)
{
	return type == SN_PGP_SIG_BINARY || type == SN_PGP_SIG_TEXT;
}

/*
 * The subpackets whose meaning signet applies to a signature of this
 * type: a critical one outside the list makes the signature unusable
 * (RFC 4880 §5.2.3.1: "the receiver MUST treat the signature as
 * invalid"), a critical notation included.  Preferences and features are
 * about encryption and key servers: knowing them changes nothing for a
 * verifier, so they may be critical on self-signatures.
 */
static int interpreted(unsigned int type, unsigned int sp)
{
	switch (sp) {
	case SP_CREATED:
	case SP_EXPIRES:
	case SP_ISSUER:
	case SP_ISSUER_FPR: return 1;
	case SP_KEY_EXPIRES:
	case SP_PREF_SYM:
	case SP_PREF_HASH:
	case SP_PREF_COMPR:
	case SP_KS_PREFS:
	case SP_PRIMARY_UID:
	case SP_KEY_FLAGS:
	case SP_FEATURES:
	case SP_EMBEDDED:
	case SP_REVOKER:
	case SP_EXPORTABLE:
	case SP_REVOCABLE:
	case SP_REASON: return !is_data_sig(type);
	default: return 0;
	}
}

/* Reads one subpacket area into s; hashed says which one.  -1 with *why
 * for a malformed area. */
static int subpackets(struct sn_pgp_sig *s, const unsigned char *p, size_t len, int hashed, const char **why)
{
	struct rd r = {p, len, 0};
	int seen_created = 0, seen_expires = 0, seen_key_expires = 0, seen_flags = 0;

	while (r.off < r.len) {
		unsigned int o1, o2, type;
		uint32_t n, v;
		const unsigned char *data;
		struct rd d;

		if (rd_u8(&r, &o1) != 0)
			goto malformed;
		if (o1 < 192) {
			n = o1;
		} else if (o1 < 255) {
			if (rd_u8(&r, &o2) != 0)
				goto malformed;
			n = ((o1 - 192) << 8) + o2 + 192;
		} else if (rd_be(&r, 4, &n) != 0) {
			goto malformed;
		}
		if (n == 0 || rd_bytes(&r, n, &data) != 0)
			goto malformed;
		d = (struct rd){data + 1, n - 1, 0};
		type = data[0] & 0x7fu;
		if ((data[0] & 0x80) != 0 && s->critical == 0 && !interpreted(s->type, type))
			s->critical = type;
		switch (type) {
		case SP_CREATED:
			if (!hashed) /* RFC 4880 §5.2.3.4: MUST be in the hashed area */
				break;
			if (seen_created++ || rd_be(&d, 4, &v) != 0 || d.off != d.len)
				goto bad_created;
			s->created = v;
			break;
		case SP_EXPIRES:
			if (!hashed)
				break;
			if (seen_expires++ || rd_be(&d, 4, &v) != 0 || d.off != d.len)
				goto malformed;
			s->expires = v;
			break;
		case SP_KEY_EXPIRES:
			if (!hashed)
				break;
			if (seen_key_expires++ || rd_be(&d, 4, &v) != 0 || d.off != d.len)
				goto malformed;
			s->key_expires = v;
			s->has_key_expires = 1;
			break;
		case SP_KEY_FLAGS:
			if (!hashed)
				break;
			if (seen_flags++ || d.len == 0)
				goto malformed;
			s->key_flags = d.p[0];
			s->has_key_flags = 1;
			break;
		case SP_REVOKER:
			if (hashed)
				s->has_revoker = 1;
			break;
		case SP_ISSUER:
			if (d.len != 8 || (s->has_keyid && memcmp(s->keyid, d.p, 8) != 0)) {
				*why = "two different issuer key ids, or a malformed one";
				return -1;
			}
			memcpy(s->keyid, d.p, 8);
			s->has_keyid = 1;
			break;
		case SP_ISSUER_FPR:
			/* Only a hashed one names the key, as gpg reads it. */
			if (!hashed)
				break;
			/* Version 4 keys only: a version octet and 20 octets. */
			if (d.len != 21 || d.p[0] != 4 ||
			    (s->has_issuer_fpr && memcmp(s->issuer_fpr, d.p + 1, 20) != 0)) {
				*why = "two different issuer fingerprints, or one that is not of a version 4 "
				       "key";
				return -1;
			}
			memcpy(s->issuer_fpr, d.p + 1, 20);
			s->has_issuer_fpr = 1;
			break;
		case SP_EMBEDDED:
			/* A back-signature is a version 4 signature of class 0x19;
			 * gpg too looks only for those. */
			if (d.len < 2 || d.p[0] != 4 || d.p[1] != SN_PGP_SIG_PRIMARY_BINDING)
				break;
			/* The first hashed one, else the first unhashed one (gpg
			 * puts back-signatures there: they are signatures
			 * themselves, and need no other protection). */
			if (s->embedded == NULL || (hashed && !s->embedded_hashed)) {
				s->embedded = d.p;
				s->embedded_len = d.len;
				s->embedded_hashed = hashed;
			}
			break;
		default: break;
		}
	}
	return 0;
malformed:
	*why = "a malformed subpacket";
	return -1;
bad_created:
	*why = "more than one creation time, or a malformed one";
	return -1;
}

static int sig_v3(struct sn_pgp_sig *s, struct rd *r, const unsigned char *body, const char **why)
{
	unsigned int hlen;
	uint32_t created;
	const unsigned char *keyid;

	/* RFC 4880 §5.2.2: 5 hashed octets (type, creation time), key id. */
	if (rd_u8(r, &hlen) != 0 || hlen != 5 || rd_u8(r, &s->type) != 0 || rd_be(r, 4, &created) != 0 ||
	    rd_bytes(r, 8, &keyid) != 0 || rd_u8(r, &s->pk_algo) != 0 || rd_u8(r, &s->hash_algo) != 0) {
		*why = "a malformed version 3 signature packet";
		return -1;
	}
	s->hashed = body + 2;
	s->hashed_len = 5;
	s->created = created;
	memcpy(s->keyid, keyid, 8);
	s->has_keyid = 1;
	return 0;
}

static int sig_v4(struct sn_pgp_sig *s, struct rd *r, const unsigned char *body, const char **why)
{
	const unsigned char *hashed, *unhashed;
	uint32_t hashed_len, unhashed_len;

	if (rd_u8(r, &s->type) != 0 || rd_u8(r, &s->pk_algo) != 0 || rd_u8(r, &s->hash_algo) != 0 ||
	    rd_be(r, 2, &hashed_len) != 0 || rd_bytes(r, hashed_len, &hashed) != 0) {
		*why = "a malformed signature packet";
		return -1;
	}
	/* RFC 4880 §5.2.4: the hash covers the packet up to the end of the
	 * hashed subpackets. */
	s->hashed = body;
	s->hashed_len = r->off;
	if (rd_be(r, 2, &unhashed_len) != 0 || rd_bytes(r, unhashed_len, &unhashed) != 0) {
		*why = "a malformed signature packet";
		return -1;
	}
	s->created = -1;
	if (subpackets(s, hashed, hashed_len, 1, why) != 0 ||
	    subpackets(s, unhashed, unhashed_len, 0, why) != 0)
		return -1;
	if (s->created < 0) {
		*why = "no creation time in the hashed subpackets";
		return -1;
	}
	/* The key id, when also given, is the fingerprint's low 64 bits. */
	if (s->has_keyid && s->has_issuer_fpr && memcmp(s->keyid, s->issuer_fpr + 12, 8) != 0) {
		*why = "an issuer key id that disagrees with its issuer fingerprint";
		return -1;
	}
	return 0;
}

int sn_pgp_sig_parse(struct sn_pgp_sig *s, const unsigned char *body, size_t len, const char **why)
{
	struct rd r = {body, len, 0};
	const unsigned char *left;

	memset(s, 0, sizeof(*s));
	if (rd_u8(&r, &s->version) != 0) {
		*why = "an empty signature packet";
		return -1;
	}
	if (s->version == 3) {
		if (sig_v3(s, &r, body, why) != 0)
			return -1;
	} else if (s->version == 4) {
		if (sig_v4(s, &r, body, why) != 0)
			return -1;
	} else {
		*why = "a signature of a version other than 3 or 4";
		return -1;
	}
	if (rd_bytes(&r, 2, &left) != 0 || r.off == r.len) {
		*why = "a signature packet without a signature value";
		return -1;
	}
	s->left16[0] = left[0];
	s->left16[1] = left[1];
	s->mpis = body + r.off;
	s->mpis_len = len - r.off;
	return 0;
}

/* The MPIs of a signature by algo, 0 for an algorithm signet does not know. */
static size_t sig_mpis(unsigned int algo)
{
	switch (algo) {
	case SN_PGP_PK_RSA:
	case SN_PGP_PK_RSA_SIGN: return 1;
	case SN_PGP_PK_DSA:
	case SN_PGP_PK_ECDSA:
	case SN_PGP_PK_EDDSA:
	case 20: return 2;
	default: return 0;
	}
}

/* A subpacket area whose lengths add up exactly. */
static int area_framed(const unsigned char *p, size_t len)
{
	struct rd r = {p, len, 0};

	while (r.off < r.len) {
		unsigned int o1, o2;
		uint32_t n;
		const unsigned char *data;

		if (rd_u8(&r, &o1) != 0)
			return 0;
		if (o1 < 192)
			n = o1;
		else if (o1 < 255) {
			if (rd_u8(&r, &o2) != 0)
				return 0;
			n = ((o1 - 192) << 8) + o2 + 192;
		} else if (rd_be(&r, 4, &n) != 0)
			return 0;
		if (n == 0 || rd_bytes(&r, n, &data) != 0)
			return 0;
	}
	return 1;
}

int sn_pgp_sig_framed(const unsigned char *body, size_t len, const char **why)
{
	struct rd r = {body, len, 0};
	const unsigned char *p;
	unsigned int version, hlen, pk, u;
	uint32_t n, bits;

	if (rd_u8(&r, &version) != 0 || (version != 3 && version != 4)) {
		*why = "a signature packet of a version other than 3 or 4";
		return -1;
	}
	if (version == 3) {
		if (rd_u8(&r, &hlen) != 0 || hlen != 5 || rd_bytes(&r, 5 + 8, &p) != 0 ||
		    rd_u8(&r, &pk) != 0 || rd_u8(&r, &u) != 0)
			goto bad;
	} else if (rd_u8(&r, &u) != 0 || rd_u8(&r, &pk) != 0 || rd_u8(&r, &u) != 0 || rd_be(&r, 2, &n) != 0 ||
	           rd_bytes(&r, n, &p) != 0 || !area_framed(p, n) || rd_be(&r, 2, &n) != 0 ||
	           rd_bytes(&r, n, &p) != 0 || !area_framed(p, n)) {
		goto bad;
	}
	if (rd_bytes(&r, 2, &p) != 0)
		goto bad;
	if (sig_mpis(pk) == 0)
		return 0; /* an algorithm signet does not know: its fields are opaque */
	/* Each MPI within the bytes left and gpg's size limit (an exact bit
	 * count is checked where the signature is verified). */
	for (size_t i = 0; i < sig_mpis(pk); i++)
		if (rd_be(&r, 2, &bits) != 0 || bits > SN_PGP_MAX_MPI_BITS ||
		    rd_bytes(&r, (bits + 7) / 8, &p) != 0)
			goto bad;
	if (r.off == r.len)
		return 0;
bad:
	*why = "a malformed signature packet (its fields do not fill it exactly)";
	return -1;
}

void sn_pgp_sig_issuer(char out[41], const struct sn_pgp_sig *s)
{
	if (s->has_issuer_fpr)
		sn_pgp_hex(out, s->issuer_fpr, 20);
	else
		sn_pgp_hex(out, s->keyid, s->has_keyid ? 8 : 0);
}

int sn_pgp_sig_names(const struct sn_pgp_sig *s, const struct sn_pgp_key *k)
{
	if (s->has_issuer_fpr)
		return memcmp(s->issuer_fpr, k->fpr, 20) == 0;
	if (s->has_keyid)
		return memcmp(s->keyid, k->fpr + 12, 8) == 0;
	return 1;
}

/* Copies an MPI right-aligned into out[0..n), which it must fit. */
static int mpi_fixed(struct rd *r, unsigned char *out, size_t n)
{
	const unsigned char *p;
	size_t len;

	if (rd_mpi(r, &p, &len) != 0 || len > n)
		return -1;
	memset(out, 0, n - len);
	memcpy(out + n - len, p, len);
	return 0;
}

static int verify_rsa(const struct sn_pgp_key *k, const EVP_MD *md, struct rd *r, const unsigned char *digest,
                      size_t digest_len)
{
	unsigned char sig[2048];
	size_t n = (size_t)EVP_PKEY_get_size(k->pkey);
	EVP_PKEY_CTX *ctx;
	int ok;

	if (n == 0 || n > sizeof(sig) || mpi_fixed(r, sig, n) != 0 || r->off != r->len)
		return 0;
	if ((ctx = EVP_PKEY_CTX_new(k->pkey, NULL)) == NULL)
		return 0;
	ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	     EVP_PKEY_CTX_set_signature_md(ctx, md) == 1 &&
	     EVP_PKEY_verify(ctx, sig, n, digest, digest_len) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

static int verify_ecdsa(const struct sn_pgp_key *k, struct rd *r, const unsigned char *digest,
                        size_t digest_len)
{
	const unsigned char *rp, *sp;
	size_t r_len, s_len;
	unsigned char *der = NULL;
	ECDSA_SIG *sig;
	BIGNUM *br, *bs;
	EVP_PKEY_CTX *ctx = NULL;
	int der_len, ok = 0;

	/* A hash as long as the curve's order (SHA-512 for P-521); a shorter
	 * one is not checked at all (-1: a revocation made so still counts). */
	if (digest_len * 8 < (k->bits > 512 ? 512 : k->bits))
		return -1;
	if (rd_mpi(r, &rp, &r_len) != 0 || rd_mpi(r, &sp, &s_len) != 0 || r->off != r->len)
		return 0;
	if ((sig = ECDSA_SIG_new()) == NULL)
		return 0;
	br = BN_bin2bn(rp, (int)r_len, NULL);
	bs = BN_bin2bn(sp, (int)s_len, NULL);
	if (br == NULL || bs == NULL || ECDSA_SIG_set0(sig, br, bs) != 1) {
		BN_free(br);
		BN_free(bs);
		goto out;
	}
	if ((der_len = i2d_ECDSA_SIG(sig, &der)) <= 0)
		goto out;
	ok = (ctx = EVP_PKEY_CTX_new(k->pkey, NULL)) != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
	     EVP_PKEY_verify(ctx, der, (size_t)der_len, digest, digest_len) == 1;
out:
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	return ok;
}

/* Legacy EdDSA: R and S as two MPIs; what is signed is the digest. */
static int verify_eddsa(const struct sn_pgp_key *k, struct rd *r, const unsigned char *digest,
                        size_t digest_len)
{
	unsigned char sig[64];
	EVP_MD_CTX *ctx;
	int ok;

	if (mpi_fixed(r, sig, 32) != 0 || mpi_fixed(r, sig + 32, 32) != 0 || r->off != r->len)
		return 0;
	/* draft-koch-eddsa §5: at least a 256-bit hash with Ed25519. */
	if (digest_len < 32)
		return -1; /* not checked at all, as for ECDSA */
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	ok = EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, k->pkey, NULL) == 1 &&
	     EVP_DigestVerify(ctx, sig, sizeof(sig), digest, digest_len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}
int sn_pgp_sig_verify(const struct sn_pgp_sig *s, const struct sn_pgp_key *k, const struct sn_pgp_part *parts,
                      size_t n_parts)
{
	const EVP_MD *md = hash_md(s->hash_algo);
	unsigned char digest[EVP_MAX_MD_SIZE], trailer[6];
	unsigned int digest_len = 0;
	struct rd r = {s->mpis, s->mpis_len, 0};
	EVP_MD_CTX *ctx;
	int ok;

	if (md == NULL || k->pkey == NULL)
		return -1;
	if (s->pk_algo != k->algo || s->hashed_len > UINT32_MAX)
		return 0;
	/* RFC 4880 §5.2.4: the signed data, the hashed part of the signature
	 * packet and, for version 4, 0x04 0xff and that part's length. */
	trailer[0] = 0x04;
	trailer[1] = 0xff;
	trailer[2] = (unsigned char)(s->hashed_len >> 24);
	trailer[3] = (unsigned char)(s->hashed_len >> 16);
	trailer[4] = (unsigned char)(s->hashed_len >> 8);
	trailer[5] = (unsigned char)s->hashed_len;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	ok = 1;
	for (size_t i = 0; ok && i < n_parts; i++)
		ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].n) == 1;
	ok = ok && EVP_DigestUpdate(ctx, s->hashed, s->hashed_len) == 1 &&
	     (s->version == 3 || EVP_DigestUpdate(ctx, trailer, sizeof(trailer)) == 1) &&
	     EVP_DigestFinal_ex(ctx, digest, &digest_len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok || digest_len < 2 || digest[0] != s->left16[0] || digest[1] != s->left16[1])
		return 0;
	switch (k->algo) {
	case SN_PGP_PK_RSA:
	case SN_PGP_PK_RSA_SIGN: return verify_rsa(k, md, &r, digest, digest_len);
	case SN_PGP_PK_ECDSA: return verify_ecdsa(k, &r, digest, digest_len);
	case SN_PGP_PK_EDDSA: return verify_eddsa(k, &r, digest, digest_len);
	default: return 0;
	}
}
