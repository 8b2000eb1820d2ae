/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/openpgp_fast.c: the signature arithmetic of OpenPGP v4 data
 * signatures (RFC 4880 §5.2.3, §5.2.4, RFC 6637, draft-koch-eddsa) with
 * OpenSSL, so that a good signature by a pinned key is confirmed without
 * starting gpg.
 *
 * This file only ever says "this signature is good" or "I will not
 * decide" (openpgp.c also denies, without it, a signature naming a key
 * that is nowhere in the pinned files).  It decides for the narrow, common case: a version 4 binary
 * document signature with a SHA-2 hash, no critical subpacket it does not
 * know, by an RSA, ECDSA (NIST curves) or legacy EdDSA Ed25519 key.
 * Everything else, every bad signature included, goes to gpg, which
 * says why it is bad in the words the rest of signet already uses.  Which
 * keys are pinned, and whether they are valid (self-signatures, binding
 * signatures, revocation, expiry, usage flags), is still gpg's word,
 * recorded when the keys were imported (openpgp.c).
 */
#include "verify.h"

#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

/* RFC 4880 §9.1, RFC 6637 §5, draft-koch-eddsa §3. */
enum {
	PK_RSA = 1,
	PK_RSA_SIGN = 3,
	PK_ECDSA = 19,
	PK_EDDSA = 22,
};

/* RFC 4880 §9.4. */
static const EVP_MD *hash_md(unsigned int algo)
{
	switch (algo) {
	case 8: return EVP_sha256();
	case 9: return EVP_sha384();
	case 10: return EVP_sha512();
	case 11: return EVP_sha224();
	default: return NULL; /* MD5, SHA-1, RIPEMD-160 and the unknown: gpg decides */
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

	if (rd_be(r, 2, &bits) != 0 || bits == 0)
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

static void hex_upper(char *out, const unsigned char *p, size_t n)
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

static EVP_PKEY *rsa_key(struct rd *r, unsigned int *bits)
{
	const unsigned char *n, *e;
	size_t n_len, e_len;
	OSSL_PARAM_BLD *bld;
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	EVP_PKEY *pkey = NULL;

	if (rd_mpi(r, &n, &n_len) != 0 || rd_mpi(r, &e, &e_len) != 0 || r->off != r->len)
		return NULL;
	/* Below 2048 bits, let gpg say what it thinks of the key. */
	if (n_len < 256 || n_len > 2048 || e_len > 8)
		return NULL;
	bld = OSSL_PARAM_BLD_new();
	bn_n = BN_bin2bn(n, (int)n_len, NULL);
	bn_e = BN_bin2bn(e, (int)e_len, NULL);
	if (bld != NULL && bn_n != NULL && bn_e != NULL &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1)
		pkey = pkey_fromdata("RSA", bld);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	*bits = (unsigned int)n_len * 8;
	return pkey;
}

static EVP_PKEY *ecdsa_key(struct rd *r, unsigned int *bits)
{
	const unsigned char *oid, *q;
	size_t oid_len, q_len;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *pkey = NULL;

	if (rd_oid(r, &oid, &oid_len) != 0 || rd_mpi(r, &q, &q_len) != 0 || r->off != r->len)
		return NULL;
	for (size_t i = 0; i < sizeof(nist_curves) / sizeof(nist_curves[0]); i++) {
		if (oid_len != nist_curves[i].oid_len || memcmp(oid, nist_curves[i].oid, oid_len) != 0)
			continue;
		/* An uncompressed point: 0x04 || X || Y. */
		if (q_len != 1 + 2 * (size_t)nist_curves[i].bytes || q[0] != 0x04)
			return NULL;
		if ((bld = OSSL_PARAM_BLD_new()) == NULL)
			return NULL;
		if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
		                                    nist_curves[i].group, 0) == 1 &&
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q, q_len) == 1)
			pkey = pkey_fromdata("EC", bld);
		OSSL_PARAM_BLD_free(bld);
		*bits = nist_curves[i].bytes == 66 ? 521 : nist_curves[i].bytes * 8;
		return pkey;
	}
	return NULL;
}

static EVP_PKEY *eddsa_key(struct rd *r, unsigned int *bits)
{
	const unsigned char *oid, *q;
	size_t oid_len, q_len;

	if (rd_oid(r, &oid, &oid_len) != 0 || rd_mpi(r, &q, &q_len) != 0 || r->off != r->len)
		return NULL;
	/* Ed25519 only; the point is the 0x40 prefix and 32 octets. */
	if (oid_len != sizeof(oid_ed25519) || memcmp(oid, oid_ed25519, oid_len) != 0 || q_len != 33 ||
	    q[0] != 0x40)
		return NULL;
	*bits = 256;
	return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, q + 1, 32);
}

int sn_pgp_pubkey_parse(struct sn_pgp_pubkey *k, const unsigned char *body, size_t len)
{
	struct rd r = {body, len, 0};
	unsigned char hdr[3], md[20];
	unsigned int version, algo, bits = 0;
	uint32_t created;
	EVP_MD_CTX *ctx;
	int ok;

	memset(k, 0, sizeof(*k));
	if (len > 0xffff || rd_u8(&r, &version) != 0 || version != 4 || rd_be(&r, 4, &created) != 0 ||
	    rd_u8(&r, &algo) != 0)
		return -1;
	/* RFC 4880 §12.2: SHA-1 over 0x99, the two-octet length, the body. */
	hdr[0] = 0x99;
	hdr[1] = (unsigned char)(len >> 8);
	hdr[2] = (unsigned char)len;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 && EVP_DigestUpdate(ctx, hdr, 3) == 1 &&
	     EVP_DigestUpdate(ctx, body, len) == 1 && EVP_DigestFinal_ex(ctx, md, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	hex_upper(k->fpr, md, sizeof(md));
	k->algo = algo;
	k->created = created;
	switch (algo) {
	case PK_RSA:
	case PK_RSA_SIGN: k->pkey = rsa_key(&r, &bits); break;
	case PK_ECDSA: k->pkey = ecdsa_key(&r, &bits); break;
	case PK_EDDSA: k->pkey = eddsa_key(&r, &bits); break;
	default: break;
	}
	k->bits = bits;
	return 0;
}

void sn_pgp_pubkey_clear(struct sn_pgp_pubkey *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	memset(k, 0, sizeof(*k));
}

/* ---- signatures ------------------------------------------------------- */

/* RFC 4880 §5.2.3.1: a subpacket area; records what signet reads and
 * refuses (-1) what it cannot vouch for. */
static int subpackets(struct sn_pgp_sig *s, const unsigned char *p, size_t len, int hashed)
{
	struct rd r = {p, len, 0};

	while (r.off < r.len) {
		unsigned int o1, o2, type;
		uint32_t n, v;
		const unsigned char *data;
		struct rd d;

		if (rd_u8(&r, &o1) != 0)
			return -1;
		if (o1 < 192) {
			n = o1;
		} else if (o1 < 255) {
			if (rd_u8(&r, &o2) != 0)
				return -1;
			n = ((o1 - 192) << 8) + o2 + 192;
		} else if (rd_be(&r, 4, &n) != 0) {
			return -1;
		}
		if (n == 0 || rd_bytes(&r, n, &data) != 0)
			return -1;
		d = (struct rd){data + 1, n - 1, 0};
		type = data[0] & 0x7fu;
		switch (type) {
		case 2: /* signature creation time */
			if (!hashed || s->has_created || rd_be(&d, 4, &v) != 0 || d.off != d.len)
				return -1;
			s->created = v;
			s->has_created = 1;
			break;
		case 3: /* signature expiration time */
			if (!hashed || s->has_expires || rd_be(&d, 4, &v) != 0 || d.off != d.len)
				return -1;
			s->expires = v;
			s->has_expires = 1;
			break;
		case 16: /* issuer key id */
			if (d.len != 8)
				return -1;
			if (s->keyid[0] != '\0') {
				char other[17];

				hex_upper(other, d.p, 8);
				if (strcmp(other, s->keyid) != 0)
					return -1;
			}
			hex_upper(s->keyid, d.p, 8);
			break;
		case 33: /* issuer fingerprint: version 4 and 20 octets */
			if (!hashed || s->issuer_fpr[0] != '\0' || d.len != 21 || d.p[0] != 4)
				return -1;
			hex_upper(s->issuer_fpr, d.p + 1, 20);
			break;
		default:
			/* A critical subpacket signet does not interpret (a
			 * notation, a policy, a reason...) is gpg's to judge. */
			if ((data[0] & 0x80) != 0)
				return -1;
		}
	}
	return 0;
}

int sn_pgp_sig_parse(struct sn_pgp_sig *s, const unsigned char *body, size_t len)
{
	struct rd r = {body, len, 0};
	const unsigned char *hashed, *unhashed, *left;
	unsigned int version, type;
	uint32_t hashed_len, unhashed_len;

	memset(s, 0, sizeof(*s));
	if (rd_u8(&r, &version) != 0 || version != 4 || rd_u8(&r, &type) != 0 || type != 0x00 ||
	    rd_u8(&r, &s->pk_algo) != 0 || rd_u8(&r, &s->hash_algo) != 0 ||
	    hash_md(s->hash_algo) == NULL || rd_be(&r, 2, &hashed_len) != 0 ||
	    rd_bytes(&r, hashed_len, &hashed) != 0)
		return -1;
	s->hashed = body;
	s->hashed_len = r.off;
	if (rd_be(&r, 2, &unhashed_len) != 0 || rd_bytes(&r, unhashed_len, &unhashed) != 0 ||
	    rd_bytes(&r, 2, &left) != 0)
		return -1;
	if (subpackets(s, hashed, hashed_len, 1) != 0 || subpackets(s, unhashed, unhashed_len, 0) != 0 ||
	    !s->has_created)
		return -1;
	/* The fingerprint names the key; a key id, when also given, agrees. */
	if (s->issuer_fpr[0] != '\0' && s->keyid[0] != '\0' && strcmp(s->issuer_fpr + 24, s->keyid) != 0)
		return -1;
	if (s->issuer_fpr[0] == '\0' && s->keyid[0] == '\0')
		return -1;
	s->left16[0] = left[0];
	s->left16[1] = left[1];
	s->mpis = body + r.off;
	s->mpis_len = len - r.off;
	return 0;
}

int sn_pgp_sig_names(const struct sn_pgp_sig *s, const char *fpr)
{
	if (strlen(fpr) != 40)
		return 0;
	return s->issuer_fpr[0] != '\0' ? strcasecmp(fpr, s->issuer_fpr) == 0
	                                 : strcasecmp(fpr + 24, s->keyid) == 0;
}

int sn_pgp_ops_announces(const unsigned char *ops, size_t len, const struct sn_pgp_sig *s,
                         const char *fpr)
{
	char keyid[17];

	/* RFC 4880 §5.4: version 3, type, hash, public-key algorithm, key
	 * id, nested flag. */
	if (len != 13 || ops[0] != 3 || ops[1] != 0x00 || ops[2] != s->hash_algo || ops[3] != s->pk_algo)
		return 0;
	hex_upper(keyid, ops + 4, 8);
	return strlen(fpr) == 40 && strcasecmp(fpr + 24, keyid) == 0;
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

static int verify_rsa(const struct sn_pgp_pubkey *k, const EVP_MD *md, struct rd *r,
                      const unsigned char *digest, size_t digest_len)
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

static int verify_ecdsa(const struct sn_pgp_pubkey *k, struct rd *r, const unsigned char *digest,
                        size_t digest_len)
{
	const unsigned char *rp, *sp;
	size_t r_len, s_len;
	unsigned char *der = NULL;
	ECDSA_SIG *sig;
	BIGNUM *br, *bs;
	EVP_PKEY_CTX *ctx = NULL;
	int der_len, ok = 0;

	/* A hash as long as the curve's order (SHA-512 for P-521). */
	if (digest_len * 8 < (k->bits > 512 ? 512 : k->bits))
		return 0;
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
static int verify_eddsa(const struct sn_pgp_pubkey *k, struct rd *r, const unsigned char *digest,
                        size_t digest_len)
{
	unsigned char sig[64];
	EVP_MD_CTX *ctx;
	int ok;

	if (mpi_fixed(r, sig, 32) != 0 || mpi_fixed(r, sig + 32, 32) != 0 || r->off != r->len)
		return 0;
	/* draft-koch-eddsa §5: at least a 256-bit hash with Ed25519. */
	if (digest_len < 32 || (ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	ok = EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, k->pkey, NULL) == 1 &&
	     EVP_DigestVerify(ctx, sig, sizeof(sig), digest, digest_len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

int sn_pgp_sig_verify(const struct sn_pgp_sig *s, const struct sn_pgp_pubkey *k, const void *data,
                      size_t len)
{
	static const unsigned char v4_trailer[2] = {0x04, 0xff};
	const EVP_MD *md = hash_md(s->hash_algo);
	unsigned char digest[EVP_MAX_MD_SIZE], n32[4];
	unsigned int digest_len = 0;
	struct rd r = {s->mpis, s->mpis_len, 0};
	EVP_MD_CTX *ctx;
	int ok;

	if (md == NULL || k->pkey == NULL || s->pk_algo != k->algo || s->hashed_len > UINT32_MAX)
		return 0;
	/* RFC 4880 §5.2.4: the data, the hashed part of the signature
	 * packet, then 0x04 0xff and that part's length. */
	n32[0] = (unsigned char)(s->hashed_len >> 24);
	n32[1] = (unsigned char)(s->hashed_len >> 16);
	n32[2] = (unsigned char)(s->hashed_len >> 8);
	n32[3] = (unsigned char)s->hashed_len;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	ok = EVP_DigestInit_ex(ctx, md, NULL) == 1 && EVP_DigestUpdate(ctx, data, len) == 1 &&
	     EVP_DigestUpdate(ctx, s->hashed, s->hashed_len) == 1 &&
	     EVP_DigestUpdate(ctx, v4_trailer, 2) == 1 && EVP_DigestUpdate(ctx, n32, 4) == 1 &&
	     EVP_DigestFinal_ex(ctx, digest, &digest_len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok || digest_len < 2 || digest[0] != s->left16[0] || digest[1] != s->left16[1])
		return 0;
	switch (k->algo) {
	case PK_RSA:
	case PK_RSA_SIGN: return verify_rsa(k, md, &r, digest, digest_len);
	case PK_ECDSA: return verify_ecdsa(k, &r, digest, digest_len);
	case PK_EDDSA: return verify_eddsa(k, &r, digest, digest_len);
	default: return 0;
	}
}
