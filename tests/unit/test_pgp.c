/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_pgp.c: the in-process OpenPGP code (base/pgp.h) on
 * packets this test builds itself, with keys made by OpenSSL.
 *
 *   keys and signatures (pgp_sig.c): good signatures by each algorithm and
 *   hash, what makes one bad (0) or not checkable (-1), what parses and
 *   what does not;
 *   certificates (pgp_cert.c): who may have made a data signature, and
 *   each rule that denies it, with its error code and message.
 *
 * Every time is fixed (keys made at CREATED, judged at NOW): nothing here
 * depends on the clock.  The comparison with gpg's own verdicts is in
 * test_openpgp.c and tests/integration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "base/pgp.h"

#define CREATED 1700000000u               /* the keys' creation time, and the signatures' by default */
#define NOW     ((int64_t)CREATED + 1000) /* when the keyring judges */

static const unsigned char DATA[] = "{\"critical\":{},\"optional\":{}}";
#define DATA_LEN (sizeof(DATA) - 1)

static const char UID[] = "Test Signer <signer@example.com>";

/* A packet body being built. */
struct pkt {
	unsigned char b[4096];
	size_t n;
};

static void put(struct pkt *p, const void *data, size_t n)
{
	assert_true(n <= sizeof(p->b) - p->n);
	memcpy(p->b + p->n, data, n);
	p->n += n;
}

static void put8(struct pkt *p, unsigned int v)
{
	unsigned char c = (unsigned char)v;

	put(p, &c, 1);
}

static void put_be(struct pkt *p, uint32_t v, size_t n)
{
	for (size_t i = n; i-- > 0;)
		put8(p, (v >> (8 * i)) & 0xff);
}

/* An MPI of the big-endian number in data (leading zero octets dropped),
 * with extra_zero octets of 0 put back in front (a malformed encoding). */
static void put_mpi(struct pkt *p, const unsigned char *data, size_t n, int extra_zero)
{
	unsigned int bits;

	while (n > 1 && data[0] == 0) {
		data++;
		n--;
	}
	bits = (unsigned int)(n - 1) * 8;
	for (unsigned int top = data[0]; top != 0; top >>= 1)
		bits++;
	put_be(p, bits + 8u * (unsigned int)extra_zero, 2);
	for (int i = 0; i < extra_zero; i++)
		put8(p, 0);
	put(p, data, n);
}

/* An RSA key body (n, e) turned into a key of another algorithm with
 * n_mpis public MPIs: the algorithm octet changed and MPIs of value 1
 * added, so that its fields fill the packet as that algorithm's do. */
static struct pkt as_algo(const struct pkt *rsa_body, unsigned int algo, size_t n_mpis)
{
	static const unsigned char one = 1;
	struct pkt b = *rsa_body;

	b.b[5] = (unsigned char)algo;
	for (size_t i = 2; i < n_mpis; i++)
		put_mpi(&b, &one, 1, 0);
	return b;
}

/* ---- keys --------------------------------------------------------------- */

enum { ALG_RSA = 1, ALG_DSA = 17, ALG_ECDSA = 19, ALG_EDDSA = 22 };

static const unsigned char OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char OID_ED25519[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01};

struct key {
	int algo;
	EVP_PKEY *priv;
	struct pkt body; /* the public key packet body */
	unsigned char fpr_bin[20];
	char fpr[41];
};

static void key_body(struct key *k)
{
	unsigned char pub[600];
	size_t n = sizeof(pub);

	k->body.n = 0;
	put8(&k->body, 4);
	put_be(&k->body, CREATED, 4);
	put8(&k->body, (unsigned int)k->algo);
	switch (k->algo) {
	case ALG_EDDSA:
		pub[0] = 0x40;
		n = sizeof(pub) - 1;
		assert_int_equal(EVP_PKEY_get_raw_public_key(k->priv, pub + 1, &n), 1);
		put8(&k->body, sizeof(OID_ED25519));
		put(&k->body, OID_ED25519, sizeof(OID_ED25519));
		put_mpi(&k->body, pub, n + 1, 0);
		break;
	case ALG_ECDSA:
		assert_int_equal(EVP_PKEY_get_octet_string_param(k->priv, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
		                                                 pub, sizeof(pub), &n),
		                 1);
		put8(&k->body, sizeof(OID_P256));
		put(&k->body, OID_P256, sizeof(OID_P256));
		put_mpi(&k->body, pub, n, 0);
		break;
	default: {
		BIGNUM *bn_n = NULL, *bn_e = NULL;

		assert_int_equal(EVP_PKEY_get_bn_param(k->priv, OSSL_PKEY_PARAM_RSA_N, &bn_n), 1);
		assert_int_equal(EVP_PKEY_get_bn_param(k->priv, OSSL_PKEY_PARAM_RSA_E, &bn_e), 1);
		n = (size_t)BN_bn2bin(bn_n, pub);
		put_mpi(&k->body, pub, n, 0);
		n = (size_t)BN_bn2bin(bn_e, pub);
		put_mpi(&k->body, pub, n, 0);
		BN_free(bn_n);
		BN_free(bn_e);
	}
	}
}

/* The v4 fingerprint, computed here from RFC 4880 §12.2. */
static void key_fpr(struct key *k)
{
	unsigned char hdr[3] = {0x99, (unsigned char)(k->body.n >> 8), (unsigned char)k->body.n};
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha1(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, hdr, 3), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, k->body.b, k->body.n), 1);
	assert_int_equal(EVP_DigestFinal_ex(ctx, k->fpr_bin, NULL), 1);
	EVP_MD_CTX_free(ctx);
	for (int i = 0; i < 20; i++)
		(void)snprintf(k->fpr + 2 * i, 3, "%02X", k->fpr_bin[i]);
}

static void key_make(struct key *k, int algo, size_t rsa_bits)
{
	memset(k, 0, sizeof(*k));
	k->algo = algo;
	switch (algo) {
	case ALG_EDDSA: k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
	case ALG_ECDSA: k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
	default: k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", rsa_bits);
	}
	assert_non_null(k->priv);
	key_body(k);
	key_fpr(k);
}

/* ed: the usual primary key; sub: a signing subkey; other: a key nobody
 * pinned; rsa1024: the smallest RSA key signet verifies with. */
static struct key ed, ec, rsa, rsa1024, sub, other;

static int group_setup(void **state)
{
	(void)state;
	key_make(&ed, ALG_EDDSA, 0);
	key_make(&ec, ALG_ECDSA, 0);
	key_make(&rsa, ALG_RSA, 2048);
	key_make(&rsa1024, ALG_RSA, 1024);
	key_make(&sub, ALG_EDDSA, 0);
	key_make(&other, ALG_EDDSA, 0);
	return 0;
}

static int group_teardown(void **state)
{
	struct key *keys[] = {&ed, &ec, &rsa, &rsa1024, &sub, &other};

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		EVP_PKEY_free(keys[i]->priv);
	return 0;
}

/* Parses k's public key packet; pkey must be set. */
static void key_parse(struct sn_pgp_key *pk, const struct key *k)
{
	const char *why = NULL;

	assert_int_equal(sn_pgp_key_parse(pk, k->body.b, k->body.n, &why), 0);
	assert_string_equal(pk->fpr_hex, k->fpr);
	assert_memory_equal(pk->fpr, k->fpr_bin, 20);
	assert_int_equal(pk->algo, k->algo);
	assert_int_equal(pk->created, CREATED);
	assert_non_null(pk->pkey);
	assert_null(pk->why);
}

/* ---- signatures ----------------------------------------------------------- */

/* How a test signature is built; the zero value is a good data signature
 * over DATA (version 4, SHA-256, issuer fingerprint hashed and key id
 * unhashed, made at CREATED). */
struct sig_opts {
	unsigned int version, type, hash; /* 0: 4, 0x00, 8 (SHA-256); version 3 is the v3 layout */
	uint32_t created;                 /* 0: CREATED */
	const struct sn_pgp_part *parts;  /* what is signed before the trailer; NULL: DATA */
	size_t n_parts;
	const struct key *issuer; /* the key named as issuer; NULL: the one signing */
	int created_unhashed;     /* the creation time in the unhashed area */
	int no_created, two_created;
	int no_issuer;            /* neither fingerprint nor key id */
	int keyid_only;           /* a key id but no fingerprint */
	int fpr_only;             /* a fingerprint but no key id */
	int keyid_other;          /* the key id disagrees with the fingerprint */
	int two_fprs, two_keyids; /* a second, different issuer fingerprint / key id */
	unsigned int extra_type;  /* an extra hashed subpacket of this type (0x80: critical) */
	const void *raw;          /* octets appended as they are to the hashed area */
	size_t raw_len;
	const void *raw_unhashed; /* ... and to the unhashed area */
	size_t raw_unhashed_len;
	unsigned int key_flags; /* 0: no key flags subpacket */
	int key_flags_critical;
	uint32_t key_expires;        /* 0: no key expiration subpacket */
	uint32_t expires;            /* 0: no signature expiration subpacket */
	const struct pkt *embedded;  /* an embedded signature (subpacket 32) ... */
	int embedded_unhashed;       /* ... in the unhashed area */
	const struct pkt *embedded2; /* another one, in the unhashed area after it */
	int mpi_extra_zero;          /* a zero octet in front of the first MPI */
	int trailing;                /* an octet after the MPIs */
	int left16_wrong;
	int claimed_algo; /* the public-key algorithm written, 0: the key's */
};

static void subpacket(struct pkt *p, unsigned int type, const void *data, size_t n)
{
	size_t len = n + 1;

	if (len < 192) {
		put8(p, (unsigned int)len);
	} else {
		assert_true(len < 8384);
		put8(p, (unsigned int)((len - 192) >> 8) + 192);
		put8(p, (unsigned int)(len - 192) & 0xff);
	}
	put8(p, type);
	put(p, data, n);
}

static const unsigned char *be32(unsigned char out[4], uint32_t v)
{
	for (int i = 0; i < 4; i++)
		out[i] = (unsigned char)(v >> (24 - 8 * i));
	return out;
}

/* The digest the hash octet names (SHA-256 for ids OpenSSL has none for). */
static const EVP_MD *md_of(unsigned int hash)
{
	switch (hash) {
	case 1: return EVP_md5();
	case 2: return EVP_sha1();
	case 9: return EVP_sha384();
	case 10: return EVP_sha512();
	case 11: return EVP_sha224();
	default: return EVP_sha256();
	}
}

/* The signature value of digest by k, as MPIs. */
static void sign_value(struct pkt *out, const struct key *k, const EVP_MD *md, const unsigned char *digest,
                       size_t digest_len, int mpi_extra_zero)
{
	unsigned char sig[600];
	size_t sig_len = sizeof(sig);
	EVP_PKEY_CTX *pctx;

	switch (k->algo) {
	case ALG_EDDSA: {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();

		assert_non_null(ctx);
		assert_int_equal(EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL, k->priv, NULL), 1);
		assert_int_equal(EVP_DigestSign(ctx, sig, &sig_len, digest, digest_len), 1);
		EVP_MD_CTX_free(ctx);
		assert_int_equal(sig_len, 64);
		put_mpi(out, sig, 32, mpi_extra_zero);
		put_mpi(out, sig + 32, 32, 0);
		break;
	}
	case ALG_ECDSA: {
		const unsigned char *p = sig;
		const BIGNUM *r, *s;
		unsigned char rb[66], sb[66];
		ECDSA_SIG *es;

		pctx = EVP_PKEY_CTX_new(k->priv, NULL);
		assert_non_null(pctx);
		assert_int_equal(EVP_PKEY_sign_init(pctx), 1);
		assert_int_equal(EVP_PKEY_sign(pctx, sig, &sig_len, digest, digest_len), 1);
		EVP_PKEY_CTX_free(pctx);
		es = d2i_ECDSA_SIG(NULL, &p, (long)sig_len);
		assert_non_null(es);
		ECDSA_SIG_get0(es, &r, &s);
		put_mpi(out, rb, (size_t)BN_bn2bin(r, rb), mpi_extra_zero);
		put_mpi(out, sb, (size_t)BN_bn2bin(s, sb), 0);
		ECDSA_SIG_free(es);
		break;
	}
	default:
		pctx = EVP_PKEY_CTX_new(k->priv, NULL);
		assert_non_null(pctx);
		assert_int_equal(EVP_PKEY_sign_init(pctx), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING), 1);
		assert_int_equal(EVP_PKEY_CTX_set_signature_md(pctx, md), 1);
		assert_int_equal(EVP_PKEY_sign(pctx, sig, &sig_len, digest, digest_len), 1);
		EVP_PKEY_CTX_free(pctx);
		put_mpi(out, sig, sig_len, mpi_extra_zero);
	}
}

/* A signature packet body by k, built with o. */
static void sig_make(struct pkt *out, const struct key *k, const struct sig_opts *o)
{
	const struct key *iss = o->issuer != NULL ? o->issuer : k;
	const struct sn_pgp_part data_part = {DATA, DATA_LEN};
	const struct sn_pgp_part *parts = o->parts != NULL ? o->parts : &data_part;
	size_t n_parts = o->parts != NULL ? o->n_parts : 1;
	uint32_t when = o->created != 0 ? o->created : CREATED;
	unsigned char created[4], fpr[21] = {4}, keyid[8], digest[64], trailer[6] = {4, 0xff}, v[4];
	struct pkt hashed = {.n = 0}, unhashed = {.n = 0};
	const EVP_MD *md = md_of(o->hash != 0 ? o->hash : 8);
	unsigned int version = o->version != 0 ? o->version : 4, digest_len = 0;
	size_t head_off, head;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	be32(created, when);
	memcpy(fpr + 1, iss->fpr_bin, 20);
	memcpy(keyid, fpr + 13, 8);
	if (o->keyid_other)
		keyid[7] ^= 1;
	out->n = 0;
	if (version == 3) {
		/* RFC 4880 §5.2.2: the type and creation time are hashed. */
		put8(out, 3);
		put8(out, 5);
		head_off = out->n;
		put8(out, o->type);
		put(out, created, 4);
		head = out->n - head_off;
		put(out, keyid, 8);
		put8(out, (unsigned int)(o->claimed_algo != 0 ? o->claimed_algo : k->algo));
		put8(out, o->hash != 0 ? o->hash : 8);
	} else {
		if (!o->no_created && !o->created_unhashed)
			subpacket(&hashed, 2, created, 4);
		if (o->two_created)
			subpacket(&hashed, 2, created, 4);
		if (o->expires != 0)
			subpacket(&hashed, 3, be32(v, o->expires), 4);
		if (o->key_expires != 0)
			subpacket(&hashed, 9, be32(v, o->key_expires), 4);
		if (o->key_flags != 0) {
			v[0] = (unsigned char)o->key_flags;
			subpacket(&hashed, o->key_flags_critical ? 0x80 | 27 : 27, v, 1);
		}
		if (!o->no_issuer && !o->keyid_only)
			subpacket(&hashed, 33, fpr, sizeof(fpr));
		if (o->two_fprs) {
			fpr[20] ^= 1;
			subpacket(&hashed, 33, fpr, sizeof(fpr));
			fpr[20] ^= 1;
		}
		if (o->extra_type != 0)
			subpacket(&hashed, o->extra_type, "x", 1);
		if (o->raw != NULL)
			put(&hashed, o->raw, o->raw_len);
		if (o->embedded != NULL)
			subpacket(o->embedded_unhashed ? &unhashed : &hashed, 32, o->embedded->b,
			          o->embedded->n);
		if (o->embedded2 != NULL)
			subpacket(&unhashed, 32, o->embedded2->b, o->embedded2->n);
		if (o->raw_unhashed != NULL)
			put(&unhashed, o->raw_unhashed, o->raw_unhashed_len);
		if (o->created_unhashed)
			subpacket(&unhashed, 2, created, 4);
		if (!o->no_issuer && !o->fpr_only)
			subpacket(&unhashed, 16, keyid, sizeof(keyid));
		if (o->two_keyids) {
			keyid[0] ^= 1;
			subpacket(&unhashed, 16, keyid, sizeof(keyid));
		}

		put8(out, version);
		put8(out, o->type);
		put8(out, (unsigned int)(o->claimed_algo != 0 ? o->claimed_algo : k->algo));
		put8(out, o->hash != 0 ? o->hash : 8);
		put_be(out, (uint32_t)hashed.n, 2);
		put(out, hashed.b, hashed.n);
		head_off = 0;
		head = out->n;
		put_be(out, (uint32_t)unhashed.n, 2);
		put(out, unhashed.b, unhashed.n);
	}

	/* RFC 4880 §5.2.4. */
	trailer[2] = (unsigned char)(head >> 24);
	trailer[3] = (unsigned char)(head >> 16);
	trailer[4] = (unsigned char)(head >> 8);
	trailer[5] = (unsigned char)head;
	assert_non_null(ctx);
	assert_int_equal(EVP_DigestInit_ex(ctx, md, NULL), 1);
	for (size_t i = 0; i < n_parts; i++)
		assert_int_equal(EVP_DigestUpdate(ctx, parts[i].p, parts[i].n), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, out->b + head_off, head), 1);
	if (version != 3)
		assert_int_equal(EVP_DigestUpdate(ctx, trailer, sizeof(trailer)), 1);
	assert_int_equal(EVP_DigestFinal_ex(ctx, digest, &digest_len), 1);
	EVP_MD_CTX_free(ctx);
	put8(out, digest[0] ^ (o->left16_wrong ? 0xff : 0));
	put8(out, digest[1]);
	sign_value(out, k, md, digest, digest_len, o->mpi_extra_zero);
	if (o->trailing)
		put8(out, 0);
}

/* Parses a signature packet body that must parse. */
static void sig_parse_ok(struct sn_pgp_sig *s, const struct pkt *body)
{
	const char *why = NULL;

	if (sn_pgp_sig_parse(s, body->b, body->n, &why) != 0)
		fail_msg("signature does not parse: %s", why);
}

/* A signature packet body built with o that must not parse; why names it. */
static void sig_parse_fails(const struct key *k, const struct sig_opts *o, const char *want_why)
{
	struct sn_pgp_sig s;
	struct pkt body;
	const char *why = NULL;

	sig_make(&body, k, o);
	assert_int_equal(sn_pgp_sig_parse(&s, body.b, body.n, &why), -1);
	assert_non_null(why);
	if (strstr(why, want_why) == NULL)
		fail_msg("why: \"%s\", wanted \"%s\"", why, want_why);
}

static int verify_data(const struct sn_pgp_sig *s, const struct sn_pgp_key *pk, const void *data, size_t len)
{
	const struct sn_pgp_part part = {data, len};

	return sn_pgp_sig_verify(s, pk, &part, 1);
}

/* A signature by k built with o: parsed, and checked over DATA by k (want). */
static void check(const struct key *k, const struct sig_opts *o, int want)
{
	struct sn_pgp_key pk;
	struct sn_pgp_sig s;
	struct pkt body;

	sig_make(&body, k, o);
	key_parse(&pk, k);
	sig_parse_ok(&s, &body);
	assert_int_equal(s.created, o->created != 0 ? o->created : CREATED);
	if (o->version != 3 && !o->keyid_only) {
		assert_true(s.has_issuer_fpr);
		assert_memory_equal(s.issuer_fpr, k->fpr_bin, 20);
	}
	if (!o->fpr_only) {
		assert_true(s.has_keyid);
		assert_memory_equal(s.keyid, k->fpr_bin + 12, 8);
	}
	assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN), want);
	sn_pgp_key_clear(&pk);
}

/* ---- keys and signatures ------------------------------------------------------ */

static void test_good_each_algorithm(void **state)
{
	const struct sig_opts good = {0};
	struct sn_pgp_key pk;
	struct sn_pgp_sig s;
	struct pkt body;
	struct sn_pgp_part parts[3] = {{DATA, 5}, {DATA + 5, 0}, {DATA + 5, DATA_LEN - 5}};

	(void)state;
	check(&ed, &good, 1);
	check(&ec, &good, 1);
	check(&rsa, &good, 1);
	/* RSA-1024, the smallest signet verifies with. */
	check(&rsa1024, &good, 1);
	/* Every SHA-2 hash. */
	for (unsigned int h = 8; h <= 11; h++)
		check(&rsa, &(struct sig_opts){.hash = h}, 1);
	/* ECDSA P-256 with SHA-256, -384, -512 (SHA-224: test_bad_signatures). */
	for (unsigned int h = 8; h <= 10; h++)
		check(&ec, &(struct sig_opts){.hash = h}, 1);
	/* Version 3: type and creation time hashed, no trailer. */
	check(&rsa, &(struct sig_opts){.version = 3}, 1);
	check(&ed, &(struct sig_opts){.version = 3}, 1);
	/* Named by key id only. */
	check(&ed, &(struct sig_opts){.keyid_only = 1}, 1);
	/* A non-critical subpacket signet does not read is ignored, as by gpg. */
	check(&ed, &(struct sig_opts){.extra_type = 20}, 1);
	/* The signed data in several parts is their concatenation. */
	sig_make(&body, &ed, &good);
	key_parse(&pk, &ed);
	sig_parse_ok(&s, &body);
	assert_int_equal(sn_pgp_sig_verify(&s, &pk, parts, 3), 1);
	assert_int_equal(sn_pgp_sig_verify(&s, &pk, parts, 2), 0);
	sn_pgp_key_clear(&pk);
}

static void test_bad_signatures(void **state)
{
	const struct key *keys[] = {&ed, &ec, &rsa};
	struct sn_pgp_key pk;
	struct sn_pgp_sig s;
	struct pkt body;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		check(keys[i], &(struct sig_opts){.left16_wrong = 1}, 0);
		check(keys[i], &(struct sig_opts){.mpi_extra_zero = 1}, 0);
		check(keys[i], &(struct sig_opts){.trailing = 1}, 0);
		/* Other data. */
		sig_make(&body, keys[i], &(struct sig_opts){0});
		key_parse(&pk, keys[i]);
		sig_parse_ok(&s, &body);
		assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN - 1), 0);
		assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN), 1);
		/* The last octet of the signature value. */
		body.b[body.n - 1] ^= 1;
		sig_parse_ok(&s, &body);
		assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN), 0);
		/* A version 3 signature over other data. */
		sig_make(&body, keys[i], &(struct sig_opts){.version = 3});
		sig_parse_ok(&s, &body);
		assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN - 1), 0);
		sn_pgp_key_clear(&pk);
	}
	/* A signature by one key checked with another of the same algorithm,
	 * and one claiming another algorithm. */
	sig_make(&body, &ed, &(struct sig_opts){0});
	key_parse(&pk, &other);
	sig_parse_ok(&s, &body);
	assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN), 0);
	sn_pgp_key_clear(&pk);
	check(&ed, &(struct sig_opts){.claimed_algo = ALG_ECDSA}, 0);
}

static void test_verify_cannot_tell(void **state)
{
	struct sn_pgp_key pk;
	struct sn_pgp_sig s;
	struct pkt body, key_body_dsa;
	const char *why = NULL;

	(void)state;
	/* A hash signet has no digest for: RIPEMD-160, SHA3-256 (RFC 9580). */
	check(&ed, &(struct sig_opts){.hash = 3}, -1);
	check(&rsa, &(struct sig_opts){.hash = 12}, -1);
	/* Hashes too short for the key (EdDSA needs 256 bits, ECDSA the
	 * order's size: SHA-224 with P-256) are not checked at all, so that a
	 * revocation made so still counts; the signatures themselves are
	 * mathematically good. */
	check(&ed, &(struct sig_opts){.hash = 11}, -1);
	check(&ec, &(struct sig_opts){.hash = 11}, -1);
	check(&ed, &(struct sig_opts){.hash = 2}, -1);
	/* A key signet does not verify with (DSA). */
	key_body_dsa = as_algo(&rsa.body, ALG_DSA, 4);
	assert_int_equal(sn_pgp_key_parse(&pk, key_body_dsa.b, key_body_dsa.n, &why), 0);
	assert_null(pk.pkey);
	sig_make(&body, &rsa, &(struct sig_opts){.claimed_algo = ALG_DSA});
	sig_parse_ok(&s, &body);
	assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN), -1);
	sn_pgp_key_clear(&pk);
	/* Weak hashes are computed (revocations are checked with them):
	 * an RSA signature with SHA-1 or MD5 is good, and named weak. */
	check(&rsa, &(struct sig_opts){.hash = 2}, 1);
	check(&rsa, &(struct sig_opts){.hash = 1}, 1);
	assert_string_equal(sn_pgp_weak_hash(1), "MD5");
	assert_string_equal(sn_pgp_weak_hash(2), "SHA-1");
	assert_string_equal(sn_pgp_weak_hash(3), "RIPEMD-160");
	assert_string_equal(sn_pgp_weak_hash(12), "an unknown hash algorithm");
	assert_string_equal(sn_pgp_weak_hash(0), "an unknown hash algorithm");
	for (unsigned int h = 8; h <= 11; h++)
		assert_null(sn_pgp_weak_hash(h));
}

static void test_parse_kinds(void **state)
{
	static const unsigned int types[] = {0x01, 0x10, 0x13, 0x18, 0x19, 0x1f, 0x20, 0x28, 0x30};
	/* A signature expiration, a key expiration, key flags and a creation time. */
	static const unsigned char unhashed_sps[] = {5, 3, 0,  0, 0, 1, 5, 9, 0, 0, 0,
	                                             1, 2, 27, 3, 5, 2, 0, 0, 0, 1};
	struct sn_pgp_key pk;
	struct sn_pgp_sig s;
	struct pkt body, back, back2;

	(void)state;
	/* Every signature type parses; the caller judges the type. */
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		sig_make(&body, &ed, &(struct sig_opts){.type = types[i]});
		sig_parse_ok(&s, &body);
		assert_int_equal(s.type, types[i]);
		assert_int_equal(s.critical, 0);
	}
	/* Version 3 and version 4. */
	sig_make(&body, &ed, &(struct sig_opts){.version = 3, .type = 0x00});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.version, 3);
	assert_int_equal(s.hashed_len, 5);
	assert_false(s.has_issuer_fpr);
	sig_make(&body, &ed, &(struct sig_opts){0});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.version, 4);
	assert_int_equal(s.pk_algo, ALG_EDDSA);
	assert_int_equal(s.hash_algo, 8);
	/* Weak hashes parse, for the caller to refuse by sn_pgp_weak_hash. */
	sig_make(&body, &ed, &(struct sig_opts){.hash = 2});
	sig_parse_ok(&s, &body);
	assert_string_equal(sn_pgp_weak_hash(s.hash_algo), "SHA-1");
	sig_make(&body, &ed, &(struct sig_opts){.hash = 1});
	sig_parse_ok(&s, &body);
	assert_string_equal(sn_pgp_weak_hash(s.hash_algo), "MD5");
	/* A critical subpacket signet does not interpret is recorded, not a
	 * parse failure: a notation, an unknown type, and on a data
	 * signature key flags (interpreted on self-signatures only). */
	sig_make(&body, &ed, &(struct sig_opts){.extra_type = 0x80 | 20});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.critical, 20);
	sig_make(&body, &ed, &(struct sig_opts){.extra_type = 0x80 | 100});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.critical, 100);
	sig_make(&body, &ed, &(struct sig_opts){.key_flags = 3, .key_flags_critical = 1});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.critical, 27);
	sig_make(&body, &ed, &(struct sig_opts){.type = 0x13, .key_flags = 3, .key_flags_critical = 1});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.critical, 0);
	assert_true(s.has_key_flags);
	assert_int_equal(s.key_flags, 3);
	/* The same subpackets not critical: nothing recorded. */
	sig_make(&body, &ed, &(struct sig_opts){.extra_type = 20});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.critical, 0);
	/* Expirations, key flags and an embedded signature are read from
	 * the hashed area. */
	sig_make(&back, &sub, &(struct sig_opts){.type = 0x19});
	sig_make(&body, &ed,
	         &(struct sig_opts){
	             .type = 0x18, .expires = 7, .key_expires = 9, .key_flags = 2, .embedded = &back});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.expires, 7);
	assert_true(s.has_key_expires);
	assert_int_equal(s.key_expires, 9);
	assert_int_equal(s.key_flags, 2);
	assert_non_null(s.embedded);
	assert_true(s.embedded_hashed);
	assert_int_equal(s.embedded_len, back.n);
	assert_memory_equal(s.embedded, back.b, back.n);
	/* The embedded signature: the hashed one when there is one, else
	 * the first unhashed one. */
	sig_make(&back2, &other, &(struct sig_opts){.type = 0x19});
	sig_make(&body, &ed, &(struct sig_opts){.type = 0x18, .embedded = &back, .embedded2 = &back2});
	sig_parse_ok(&s, &body);
	assert_true(s.embedded_hashed);
	assert_int_equal(s.embedded_len, back.n);
	assert_memory_equal(s.embedded, back.b, back.n);
	sig_make(&body, &ed, &(struct sig_opts){.type = 0x18, .embedded = &back, .embedded_unhashed = 1});
	sig_parse_ok(&s, &body);
	assert_non_null(s.embedded);
	assert_false(s.embedded_hashed);
	assert_memory_equal(s.embedded, back.b, back.n);
	sig_make(
	    &body, &ed,
	    &(struct sig_opts){.type = 0x18, .embedded = &back2, .embedded_unhashed = 1, .embedded2 = &back});
	sig_parse_ok(&s, &body);
	assert_false(s.embedded_hashed);
	assert_int_equal(s.embedded_len, back2.n);
	assert_memory_equal(s.embedded, back2.b, back2.n);
	/* ... and not from the unhashed area, which anyone may rewrite. */
	sig_make(&body, &ed,
	         &(struct sig_opts){
	             .type = 0x13, .raw_unhashed = unhashed_sps, .raw_unhashed_len = sizeof(unhashed_sps)});
	sig_parse_ok(&s, &body);
	assert_int_equal(s.expires, 0);
	assert_false(s.has_key_expires);
	assert_int_equal(s.key_expires, 0);
	assert_false(s.has_key_flags);
	assert_int_equal(s.created, CREATED);
	/* No issuer parses; such a signature names any key (only a
	 * back-signature may do that: the caller decides). */
	sig_make(&body, &ed, &(struct sig_opts){.no_issuer = 1});
	sig_parse_ok(&s, &body);
	assert_false(s.has_issuer_fpr);
	assert_false(s.has_keyid);
	key_parse(&pk, &other);
	assert_int_equal(sn_pgp_sig_names(&s, &pk), 1);
	/* Named by fingerprint, or by key id only. */
	sig_make(&body, &ed, &(struct sig_opts){0});
	sig_parse_ok(&s, &body);
	assert_int_equal(sn_pgp_sig_names(&s, &pk), 0);
	sig_make(&body, &ed, &(struct sig_opts){.keyid_only = 1});
	sig_parse_ok(&s, &body);
	assert_false(s.has_issuer_fpr);
	assert_int_equal(sn_pgp_sig_names(&s, &pk), 0);
	sig_make(&body, &ed, &(struct sig_opts){.fpr_only = 1});
	sig_parse_ok(&s, &body);
	assert_false(s.has_keyid);
	assert_int_equal(sn_pgp_sig_names(&s, &pk), 0);
	sn_pgp_key_clear(&pk);
	key_parse(&pk, &ed);
	assert_int_equal(sn_pgp_sig_names(&s, &pk), 1);
	sig_make(&body, &ed, &(struct sig_opts){.keyid_only = 1});
	sig_parse_ok(&s, &body);
	assert_int_equal(sn_pgp_sig_names(&s, &pk), 1);
	sig_make(&body, &ed, &(struct sig_opts){0});
	sig_parse_ok(&s, &body);
	assert_int_equal(sn_pgp_sig_names(&s, &pk), 1);
	sn_pgp_key_clear(&pk);
}

static void test_parse_malformed(void **state)
{
	/* Subpacket areas: a zero length; a length past the end of the area;
	 * a three-octet creation time (with none other); a second key
	 * expiration; empty key flags; a fingerprint of a version 5 key. */
	static const unsigned char zero_len[] = {0};
	static const unsigned char past_end[] = {10, 20, 'x'};
	static const unsigned char key_exp2[] = {5, 9, 0, 0, 0, 1, 5, 9, 0, 0, 0, 2};
	static const unsigned char no_flags[] = {1, 27};
	static const unsigned char created3[] = {4, 2, 0x65, 0x53, 0xf1};
	unsigned char fpr_v5[23] = {22, 33, 5};
	struct sn_pgp_sig s;
	struct pkt body;
	const char *why;

	(void)state;
	sig_parse_fails(&ed, &(struct sig_opts){.version = 5}, "version other than 3 or 4");
	sig_parse_fails(&ed, &(struct sig_opts){.version = 2}, "version other than 3 or 4");
	sig_parse_fails(&ed, &(struct sig_opts){.no_created = 1}, "no creation time");
	sig_parse_fails(&ed, &(struct sig_opts){.created_unhashed = 1}, "no creation time");
	sig_parse_fails(&ed, &(struct sig_opts){.two_created = 1}, "more than one creation time");
	sig_parse_fails(&ed, &(struct sig_opts){.keyid_other = 1}, "disagrees with its issuer fingerprint");
	sig_parse_fails(&ed, &(struct sig_opts){.two_fprs = 1}, "two different issuer fingerprints");
	sig_parse_fails(&ed, &(struct sig_opts){.two_keyids = 1}, "two different issuer key ids");
	sig_parse_fails(&ed, &(struct sig_opts){.raw = zero_len, .raw_len = sizeof(zero_len)},
	                "malformed subpacket");
	sig_parse_fails(&ed, &(struct sig_opts){.raw = past_end, .raw_len = sizeof(past_end)},
	                "malformed subpacket");
	sig_parse_fails(&ed, &(struct sig_opts){.raw = key_exp2, .raw_len = sizeof(key_exp2)},
	                "malformed subpacket");
	sig_parse_fails(&ed, &(struct sig_opts){.raw = no_flags, .raw_len = sizeof(no_flags)},
	                "malformed subpacket");
	sig_parse_fails(&ed,
	                &(struct sig_opts){.no_created = 1, .raw = created3, .raw_len = sizeof(created3)},
	                "creation time");
	memcpy(fpr_v5 + 3, ed.fpr_bin, 20);
	sig_parse_fails(&ed, &(struct sig_opts){.keyid_only = 1, .raw = fpr_v5, .raw_len = sizeof(fpr_v5)},
	                "not of a version 4 key");
	/* Two agreeing issuers, and the same key id twice, are fine. */
	sig_make(&body, &ed, &(struct sig_opts){0});
	sig_parse_ok(&s, &body);
	/* A version 3 signature whose hashed length is not 5. */
	sig_make(&body, &ed, &(struct sig_opts){.version = 3});
	body.b[1] = 6;
	assert_int_equal(sn_pgp_sig_parse(&s, body.b, body.n, &why), -1);
	assert_non_null(strstr(why, "version 3"));
	/* Empty. */
	assert_int_equal(sn_pgp_sig_parse(&s, body.b, 0, &why), -1);
}

static void test_parse_truncated(void **state)
{
	struct sn_pgp_key pk;
	struct sn_pgp_sig s;
	struct pkt body;
	const char *why;
	/* version, type, algorithms, hashed area (creation time 6, issuer
	 * fingerprint 23), unhashed area (key id 10), left 16 bits */
	const size_t mpis = 4 + 2 + 6 + 23 + 2 + 10 + 2;

	(void)state;
	sig_make(&body, &rsa, &(struct sig_opts){0});
	sig_parse_ok(&s, &body);
	assert_ptr_equal(s.mpis, body.b + mpis);
	/* Every cut up to the signature value: does not parse. */
	for (size_t n = 0; n <= mpis; n++)
		assert_int_equal(sn_pgp_sig_parse(&s, body.b, n, &why), -1);
	/* Every cut inside it: parses, and is a bad signature. */
	key_parse(&pk, &rsa);
	for (size_t n = mpis + 1; n < body.n; n++) {
		assert_int_equal(sn_pgp_sig_parse(&s, body.b, n, &why), 0);
		assert_int_equal(verify_data(&s, &pk, DATA, DATA_LEN), 0);
	}
	sn_pgp_key_clear(&pk);
	/* Version 3: the same before the signature value. */
	sig_make(&body, &ed, &(struct sig_opts){.version = 3});
	for (size_t n = 0; n <= 2 + 5 + 8 + 2 + 2; n++)
		assert_int_equal(sn_pgp_sig_parse(&s, body.b, n, &why), -1);
	assert_int_equal(sn_pgp_sig_parse(&s, body.b, body.n, &why), 0);
}

/* An RSA public key body with a modulus of exactly bits bits (odd, not a
 * real key: the parser does not factor it) and e = 65537. */
static void rsa_body_bits(struct pkt *p, unsigned int bits)
{
	unsigned char n[512], e[3] = {1, 0, 1};
	size_t bytes = (bits + 7) / 8;

	memset(n, 0xa5, bytes);
	n[0] = (unsigned char)(0xffu >> (8 * bytes - bits));
	n[bytes - 1] |= 1;
	p->n = 0;
	put8(p, 4);
	put_be(p, CREATED, 4);
	put8(p, ALG_RSA);
	put_mpi(p, n, bytes, 0);
	put_mpi(p, e, 3, 0);
}

static void test_key_forms(void **state)
{
	static const unsigned char OID_SECP256K1[] = {0x2b, 0x81, 0x04, 0x00, 0x0a};
	struct sn_pgp_key pk;
	struct pkt body;
	const char *why;

	(void)state;
	/* Version 3 and 5: not parsed. */
	body = rsa.body;
	body.b[0] = 3;
	why = NULL;
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), -1);
	assert_non_null(strstr(why, "version 3"));
	body.b[0] = 5;
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), -1);
	assert_non_null(strstr(why, "version other than 4"));
	/* Malformed: Ed25519 without the 0x40 prefix octet, a compressed EC
	 * point, trailing octets after the key material, a cut. */
	body = ed.body;
	body.b[6 + 1 + 9 + 2] = 0x41;
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), -1);
	assert_null(pk.pkey);
	body = ec.body;
	body.b[6 + 1 + 8 + 2] = 0x02;
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), -1);
	body = rsa.body;
	body.b[body.n++] = 0;
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), -1);
	assert_non_null(strstr(why, "malformed"));
	for (size_t n = 0; n < ed.body.n; n++)
		assert_int_equal(sn_pgp_key_parse(&pk, ed.body.b, n, &why), -1);
	/* Well formed but not verified with: another EdDSA curve, another
	 * ECDSA curve, DSA, an encryption-only algorithm: parsed, pkey
	 * NULL, why says which; the fingerprint is still computed. */
	body = ed.body;
	body.b[6 + 1 + 8] ^= 1;
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), 0);
	assert_null(pk.pkey);
	assert_non_null(strstr(pk.why, "Ed25519"));
	assert_int_equal(pk.bits, 0);
	sn_pgp_key_clear(&pk);
	body.n = 0;
	put8(&body, 4);
	put_be(&body, CREATED, 4);
	put8(&body, ALG_ECDSA);
	put8(&body, sizeof(OID_SECP256K1));
	put(&body, OID_SECP256K1, sizeof(OID_SECP256K1));
	put(&body, ec.body.b + 6 + 1 + sizeof(OID_P256), ec.body.n - (6 + 1 + sizeof(OID_P256)));
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), 0);
	assert_null(pk.pkey);
	assert_non_null(strstr(pk.why, "curve other than"));
	sn_pgp_key_clear(&pk);
	/* Read field by field, as gpg reads them: DSA has four MPIs, ElGamal
	 * three; a key whose fields do not fill its packet is malformed. */
	body = rsa.body;
	body.b[5] = ALG_DSA;
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), -1);
	assert_non_null(strstr(why, "malformed"));
	body = as_algo(&rsa.body, ALG_DSA, 4);
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), 0);
	assert_int_equal(pk.algo, ALG_DSA);
	assert_null(pk.pkey);
	assert_string_equal(pk.why, "a DSA key");
	assert_int_equal(pk.created, CREATED);
	assert_int_equal(strlen(pk.fpr_hex), 40);
	sn_pgp_key_clear(&pk);
	body = as_algo(&rsa.body, 16, 3);
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), 0);
	assert_null(pk.pkey);
	assert_non_null(strstr(pk.why, "ElGamal"));
	sn_pgp_key_clear(&pk);
	/* RSA: 1024 bits and more are verified with, fewer are not. */
	key_parse(&pk, &rsa1024);
	assert_int_equal(pk.bits, 1024);
	sn_pgp_key_clear(&pk);
	key_parse(&pk, &rsa);
	assert_int_equal(pk.bits, 2048);
	sn_pgp_key_clear(&pk);
	rsa_body_bits(&body, SN_PGP_MIN_RSA_BITS);
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), 0);
	assert_non_null(pk.pkey);
	assert_int_equal(pk.bits, SN_PGP_MIN_RSA_BITS);
	sn_pgp_key_clear(&pk);
	rsa_body_bits(&body, SN_PGP_MIN_RSA_BITS - 1);
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), 0);
	assert_null(pk.pkey);
	assert_non_null(strstr(pk.why, "RSA key smaller than 1024 bits"));
	sn_pgp_key_clear(&pk);
	rsa_body_bits(&body, 768);
	assert_int_equal(sn_pgp_key_parse(&pk, body.b, body.n, &why), 0);
	assert_null(pk.pkey);
	sn_pgp_key_clear(&pk);
	/* The other key sizes. */
	key_parse(&pk, &ed);
	assert_int_equal(pk.bits, 256);
	sn_pgp_key_clear(&pk);
	key_parse(&pk, &ec);
	assert_int_equal(pk.bits, 256);
	sn_pgp_key_clear(&pk);
	sn_pgp_key_clear(NULL);
}

/* ---- certificates --------------------------------------------------------- */

/* A key file being built: new-format packets (RFC 4880 §4.2.2). */
static void file_packet(struct sn_buf *f, unsigned int tag, const void *body, size_t n)
{
	unsigned char hdr[6] = {(unsigned char)(0xc0 | tag)};
	size_t h = 1;
	struct sn_err e;

	if (n < 192) {
		hdr[h++] = (unsigned char)n;
	} else if (n < 8384) {
		hdr[h++] = (unsigned char)(((n - 192) >> 8) + 192);
		hdr[h++] = (unsigned char)((n - 192) & 0xff);
	} else {
		hdr[h++] = 0xff;
		for (int i = 3; i >= 0; i--)
			hdr[h++] = (unsigned char)(n >> (8 * i));
	}
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_buf_append(f, hdr, h, &e), 0);
	assert_int_equal(sn_buf_append(f, body, n, &e), 0);
}

static void file_sig(struct sn_buf *f, const struct key *k, const struct sig_opts *o)
{
	struct pkt body;

	sig_make(&body, k, o);
	file_packet(f, SN_PGP_SIGNATURE, body.b, body.n);
}

/* The hash inputs of RFC 4880 §5.2.4: a key (0x99, length, body) ... */
struct hashin {
	unsigned char a[3], b[5];
	struct sn_pgp_part parts[4];
};

static void key_in(struct hashin *h, const struct key *primary)
{
	h->a[0] = 0x99;
	h->a[1] = (unsigned char)(primary->body.n >> 8);
	h->a[2] = (unsigned char)primary->body.n;
	h->parts[0] = (struct sn_pgp_part){h->a, 3};
	h->parts[1] = (struct sn_pgp_part){primary->body.b, primary->body.n};
}

/* ... a user ID certification (the key, 0xb4, four-octet length, the
 * user ID) ... */
static void uid_in(struct hashin *h, const struct key *primary, const char *uid)
{
	size_t n = strlen(uid);

	key_in(h, primary);
	h->b[0] = 0xb4;
	h->b[1] = (unsigned char)(n >> 24);
	h->b[2] = (unsigned char)(n >> 16);
	h->b[3] = (unsigned char)(n >> 8);
	h->b[4] = (unsigned char)n;
	h->parts[2] = (struct sn_pgp_part){h->b, 5};
	h->parts[3] = (struct sn_pgp_part){uid, n};
}

/* ... a subkey binding, back-signature or revocation (both keys). */
static void sub_in(struct hashin *h, const struct key *primary, const struct key *subkey)
{
	key_in(h, primary);
	h->b[0] = 0x99;
	h->b[1] = (unsigned char)(subkey->body.n >> 8);
	h->b[2] = (unsigned char)subkey->body.n;
	h->parts[2] = (struct sn_pgp_part){h->b, 3};
	h->parts[3] = (struct sn_pgp_part){subkey->body.b, subkey->body.n};
}

/* The back-signature of a signing subkey, and how it goes wrong. */
enum back {
	BACK_GOOD = 0,
	BACK_NONE,
	BACK_UNHASHED,       /* good, in the unhashed area (counts, as in gpg) */
	BACK_HASHED_CORRUPT, /* a corrupt one hashed, a good one unhashed */
	BACK_FIRST_CORRUPT,  /* unhashed: a corrupt one, then a good one */
	BACK_OTHER_KEY,      /* made by (and naming) another key */
	BACK_OTHER_SIGNER,   /* naming the subkey, made by another key */
	BACK_OTHER_PRIMARY,  /* by the subkey, over another primary key */
	BACK_CLASS_18,       /* a subkey binding (0x18) instead of 0x19 */
	BACK_CORRUPT,        /* its signature value modified */
	BACK_SHA1,           /* made with SHA-1 */
	BACK_OLD,            /* older than the subkey */
	BACK_FUTURE,         /* made after NOW */
	BACK_EXPIRED,        /* expired at NOW */
};

/*
 * A certificate, good by default: the primary key (ed), a user ID with
 * a positive certification (0x13, key flags 0x03, SHA-256, issuer
 * fingerprint) made at CREATED; optionally a subkey bound by 0x18 (key
 * flags 0x02) with a back-signature (0x19) embedded in the hashed area.
 */
struct cert_spec {
	const struct key *primary;    /* NULL: ed */
	const char *uid;              /* NULL: UID */
	unsigned int flags;           /* key flags of the certification, 0: 0x03 */
	int no_flags;                 /* no key flags subpacket */
	uint32_t cert_created;        /* 0: CREATED */
	uint32_t cert_expires;        /* the certification's own expiration */
	uint32_t key_expires;         /* key expiration set by the certification */
	unsigned int cert_hash;       /* 0: SHA-256 */
	unsigned int cert_critical;   /* an extra hashed subpacket type (0x80: critical) */
	const struct key *certifier;  /* who makes the certification; NULL: the primary */
	unsigned int cert_version;    /* 0: 4 */
	int no_cert;                  /* the user ID without a certification */
	uint32_t cert2_created;       /* a second certification made then (0: none) ... */
	unsigned int cert2_flags;     /* ... with these key flags (0: 0x03) ... */
	uint32_t cert2_key_expires;   /* ... and this key expiration */
	int direct;                   /* a direct-key signature (0x1f) ... */
	unsigned int direct_flags;    /* ... with these key flags (0: none) ... */
	uint32_t direct_key_expires;  /* ... and this key expiration */
	int uid_revoked;              /* a certification revocation (0x30) of the user ID */
	int revoked;                  /* a key revocation (0x20) ... */
	const struct key *revoker;    /* ... by this key; NULL: the primary */
	int revocation_corrupt;       /* ... whose signature value is modified */
	unsigned int revocation_hash; /* ... made with this hash (0: SHA-256) */
	int revocation_unparsable;    /* ... without a creation time */
	const struct key *subkey;     /* a subkey */
	unsigned int sub_flags;       /* key flags of its binding, 0: 0x02 */
	int sub_no_flags;
	uint32_t sub_created;       /* creation of the binding (and back-signature), 0: CREATED */
	uint32_t sub_key_expires;   /* key expiration set by the binding */
	uint32_t sub_early_binding; /* an earlier binding without a back-signature made then */
	enum back back;
	int sub_revoked; /* a subkey revocation (0x28) */
};

static void cert_build(struct sn_buf *f, const struct cert_spec *cs)
{
	const struct key *pk = cs->primary != NULL ? cs->primary : &ed;
	const char *uid = cs->uid != NULL ? cs->uid : UID;
	struct hashin h;
	struct pkt back, bad, rev;
	int two = cs->back == BACK_HASHED_CORRUPT || cs->back == BACK_FIRST_CORRUPT;

	file_packet(f, SN_PGP_PUBLIC_KEY, pk->body.b, pk->body.n);
	if (cs->direct) {
		key_in(&h, pk);
		file_sig(f, pk,
		         &(struct sig_opts){.type = SN_PGP_SIG_DIRECT_KEY,
		                            .key_flags = cs->direct_flags,
		                            .key_expires = cs->direct_key_expires,
		                            .parts = h.parts,
		                            .n_parts = 2});
	}
	if (cs->revoked) {
		key_in(&h, pk);
		sig_make(&rev, cs->revoker != NULL ? cs->revoker : pk,
		         &(struct sig_opts){.type = SN_PGP_SIG_KEY_REVOCATION,
		                            .hash = cs->revocation_hash,
		                            .no_created = cs->revocation_unparsable,
		                            .parts = h.parts,
		                            .n_parts = 2});
		if (cs->revocation_corrupt)
			rev.b[rev.n - 1] ^= 1;
		file_packet(f, SN_PGP_SIGNATURE, rev.b, rev.n);
	}
	file_packet(f, SN_PGP_USER_ID, uid, strlen(uid));
	uid_in(&h, pk, uid);
	if (!cs->no_cert)
		file_sig(f, cs->certifier != NULL ? cs->certifier : pk,
		         &(struct sig_opts){.type = SN_PGP_SIG_CERT_POSITIVE,
		                            .version = cs->cert_version,
		                            .hash = cs->cert_hash,
		                            .created = cs->cert_created,
		                            .expires = cs->cert_expires,
		                            .key_flags = cs->no_flags     ? 0
		                                         : cs->flags != 0 ? cs->flags
		                                                          : 0x03,
		                            .key_expires = cs->key_expires,
		                            .extra_type = cs->cert_critical,
		                            .parts = h.parts,
		                            .n_parts = 4});
	if (cs->cert2_created != 0)
		file_sig(f, pk,
		         &(struct sig_opts){.type = SN_PGP_SIG_CERT_POSITIVE,
		                            .created = cs->cert2_created,
		                            .key_flags = cs->cert2_flags != 0 ? cs->cert2_flags : 0x03,
		                            .key_expires = cs->cert2_key_expires,
		                            .parts = h.parts,
		                            .n_parts = 4});
	if (cs->uid_revoked)
		file_sig(
		    f, pk,
		    &(struct sig_opts){.type = SN_PGP_SIG_CERT_REVOCATION,
		                       .created = (cs->cert_created != 0 ? cs->cert_created : CREATED) + 1,
		                       .parts = h.parts,
		                       .n_parts = 4});
	if (cs->subkey == NULL)
		return;
	file_packet(f, SN_PGP_PUBLIC_SUBKEY, cs->subkey->body.b, cs->subkey->body.n);
	sub_in(&h, pk, cs->subkey);
	if (cs->sub_early_binding != 0)
		file_sig(f, pk,
		         &(struct sig_opts){.type = SN_PGP_SIG_SUBKEY_BINDING,
		                            .created = cs->sub_early_binding,
		                            .key_flags = 0x02,
		                            .parts = h.parts,
		                            .n_parts = 4});
	{
		struct sig_opts bo = {.type = SN_PGP_SIG_PRIMARY_BINDING,
		                      .created = cs->sub_created,
		                      .parts = h.parts,
		                      .n_parts = 4};
		const struct key *by = cs->subkey;
		struct hashin h2;

		switch (cs->back) {
		case BACK_OTHER_KEY: by = &other; break;
		case BACK_OTHER_SIGNER:
			by = &other;
			bo.issuer = cs->subkey;
			break;
		case BACK_OTHER_PRIMARY:
			sub_in(&h2, &other, cs->subkey);
			bo.parts = h2.parts;
			break;
		case BACK_CLASS_18: bo.type = SN_PGP_SIG_SUBKEY_BINDING; break;
		case BACK_SHA1: bo.hash = 2; break;
		case BACK_OLD: bo.created = CREATED - 1; break;
		case BACK_FUTURE: bo.created = (uint32_t)NOW + 1; break;
		case BACK_EXPIRED: bo.expires = 1000; break;
		default: break;
		}
		sig_make(&back, by, &bo);
		bad = back;
		bad.b[bad.n - 1] ^= 1;
		if (cs->back == BACK_CORRUPT)
			back = bad;
	}
	file_sig(f, pk,
	         &(struct sig_opts){.type = SN_PGP_SIG_SUBKEY_BINDING,
	                            .created = cs->sub_created,
	                            .key_flags = cs->sub_no_flags     ? 0
	                                         : cs->sub_flags != 0 ? cs->sub_flags
	                                                              : 0x02,
	                            .key_expires = cs->sub_key_expires,
	                            .embedded = cs->back == BACK_NONE ? NULL
	                                        : two                 ? &bad
	                                                              : &back,
	                            .embedded_unhashed =
	                                cs->back == BACK_UNHASHED || cs->back == BACK_FIRST_CORRUPT,
	                            .embedded2 = two ? &back : NULL,
	                            .parts = h.parts,
	                            .n_parts = 4});
	if (cs->sub_revoked)
		file_sig(
		    f, pk,
		    &(struct sig_opts){.type = SN_PGP_SIG_SUBKEY_REVOCATION, .parts = h.parts, .n_parts = 4});
}

/* A keyring of one file holding the certificate cs; f keeps the bytes. */
static struct sn_pgp_keyring *ring(struct sn_buf *f, const struct cert_spec *cs)
{
	struct sn_pgp_keyring *kr = NULL;
	struct sn_err e;

	sn_buf_init(f, (size_t)1 << 24, "key file");
	cert_build(f, cs);
	memset(&e, 0, sizeof(e));
	if (sn_pgp_keyring_add(&kr, f->data, f->len, "test key", &e) != 0)
		fail_msg("keyring_add: %s", e.msg);
	assert_non_null(kr);
	return kr;
}

/* The data signature by signer built with o, judged by kr at NOW: allowed
 * with key and primary, or (want_msg) denied with a message holding it. */
static void judge(const struct sn_pgp_keyring *kr, const struct key *signer, const struct sig_opts *o,
                  const struct key *key, const struct key *primary, const char *uid, const char *want_msg)
{
	struct sn_pgp_signer out, before;
	struct sn_pgp_sig s;
	struct sn_err e;
	struct pkt body;
	int rc;

	sig_make(&body, signer, o);
	sig_parse_ok(&s, &body);
	memset(&e, 0, sizeof(e));
	memset(&out, 0x5a, sizeof(out));
	memcpy(&before, &out, sizeof(out));
	rc = sn_pgp_keyring_signer(&out, kr, &s, DATA, DATA_LEN, NOW, &e);
	if (want_msg == NULL) {
		if (rc != 0)
			fail_msg("denied (%d): %s", rc, e.msg);
		assert_string_equal(out.key->fpr_hex, key->fpr);
		assert_string_equal(out.primary_fpr, primary->fpr);
		if (uid == NULL) {
			assert_null(out.uid);
		} else {
			assert_int_equal(out.uid_len, strlen(uid));
			assert_memory_equal(out.uid, uid, out.uid_len);
		}
		return;
	}
	if (rc != SIGNET_EDENIED)
		fail_msg("wanted SIGNET_EDENIED (\"%s\"), got %d: %s", want_msg, rc, e.msg);
	assert_int_equal(e.code, SIGNET_EDENIED);
	if (strstr(e.msg, want_msg) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, want_msg);
	/* *out is untouched on failure. */
	assert_memory_equal(&out, &before, sizeof(out));
}

/* One certificate cs; a data signature by signer made at sig_created
 * (0: CREATED): allowed with key, or denied with want_msg. */
static void cert_case(const struct cert_spec *cs, const struct key *signer, uint32_t sig_created,
                      const struct key *key, const char *want_msg)
{
	struct sn_pgp_keyring *kr;
	struct sn_buf f;

	kr = ring(&f, cs);
	judge(kr, signer, &(struct sig_opts){.created = sig_created}, key,
	      cs->primary != NULL ? cs->primary : &ed, cs->uid != NULL ? cs->uid : UID, want_msg);
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
}

static void describe_is(const struct sn_pgp_keyring *kr, const char *want)
{
	struct sn_buf out;
	struct sn_err e;

	sn_buf_init(&out, 1 << 16, "description");
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_pgp_keyring_describe(kr, &out, &e), 0);
	assert_string_equal(out.data != NULL ? (const char *)out.data : "", want);
	sn_buf_free(&out);
}

static void test_keyring_primary_signs(void **state)
{
	struct sn_pgp_keyring *kr;
	struct sn_buf f;
	char want[256];

	(void)state;
	kr = ring(&f, &(struct cert_spec){0});
	judge(kr, &ed, &(struct sig_opts){0}, &ed, &ed, UID, NULL);
	/* Named by key id only. */
	judge(kr, &ed, &(struct sig_opts){.keyid_only = 1}, &ed, &ed, UID, NULL);
	/* Made at NOW. */
	judge(kr, &ed, &(struct sig_opts){.created = (uint32_t)NOW}, &ed, &ed, UID, NULL);
	(void)snprintf(want, sizeof(want), "%s (%s)", ed.fpr, UID);
	describe_is(kr, want);
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	/* Each algorithm as a primary key. */
	cert_case(&(struct cert_spec){.primary = &rsa}, &rsa, 0, &rsa, NULL);
	cert_case(&(struct cert_spec){.primary = &ec}, &ec, 0, &ec, NULL);
	cert_case(&(struct cert_spec){.primary = &rsa1024}, &rsa1024, 0, &rsa1024, NULL);
	/* Key flags with more bits than sign. */
	cert_case(&(struct cert_spec){.flags = 0x2f}, &ed, 0, &ed, NULL);
	/* A certification expiring later than NOW. */
	cert_case(&(struct cert_spec){.cert_expires = 1001}, &ed, 0, &ed, NULL);
	/* An empty keyring describes as nothing. */
	describe_is(NULL, "");
}

static void test_keyring_subkey_signs(void **state)
{
	struct sn_pgp_keyring *kr;
	struct sn_buf f;

	(void)state;
	kr = ring(&f, &(struct cert_spec){.subkey = &sub});
	judge(kr, &sub, &(struct sig_opts){0}, &sub, &ed, UID, NULL);
	/* The primary key (flags 0x03) still signs for itself. */
	judge(kr, &ed, &(struct sig_opts){0}, &ed, &ed, UID, NULL);
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	/* An ECDSA subkey of an RSA primary key. */
	cert_case(&(struct cert_spec){.primary = &rsa, .subkey = &ec}, &ec, 0, &ec, NULL);
	/* A subkey whose primary key may only certify (flags 0x01). */
	cert_case(&(struct cert_spec){.flags = 0x01, .subkey = &sub}, &sub, 0, &sub, NULL);
}

static void test_keyring_back_signature(void **state)
{
	static const struct {
		enum back back;
		const char *what;
	} cases[] = {
	    {BACK_NONE, "missing"},
	    {BACK_HASHED_CORRUPT, "corrupt in the hashed area, good in the unhashed one"},
	    {BACK_FIRST_CORRUPT, "corrupt first in the unhashed area, good after it"},
	    {BACK_OTHER_KEY, "made by another key"},
	    {BACK_OTHER_SIGNER, "naming the subkey, made by another key"},
	    {BACK_OTHER_PRIMARY, "over another primary key"},
	    {BACK_CLASS_18, "of class 0x18"},
	    {BACK_CORRUPT, "corrupted"},
	    {BACK_SHA1, "made with SHA-1"},
	    {BACK_OLD, "older than the subkey"},
	    {BACK_FUTURE, "made after now"},
	    {BACK_EXPIRED, "expired now"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("back-signature %s\n", cases[i].what);
		cert_case(&(struct cert_spec){.subkey = &sub, .back = cases[i].back}, &sub, 0, NULL,
		          "is not cross-certified");
		/* The primary key itself is not affected. */
		cert_case(&(struct cert_spec){.subkey = &sub, .back = cases[i].back}, &ed, 0, &ed, NULL);
	}
	/* A good back-signature in the unhashed area only counts, as in gpg
	 * (g10/getkey.c, merge_selfsigs_subkey: "It is safe to have this in
	 * the unhashed area since the 0x19 is located on the selfsig for
	 * convenience, not security": it is made by the subkey, over both
	 * keys). */
	cert_case(&(struct cert_spec){.subkey = &sub, .back = BACK_UNHASHED}, &sub, 0, &sub, NULL);
	/* A subkey back-signed with SHA-1 by an RSA key: computed, good,
	 * still refused. */
	cert_case(&(struct cert_spec){.primary = &ed, .subkey = &rsa, .back = BACK_SHA1}, &rsa, 0, NULL,
	          "is not cross-certified");
	cert_case(&(struct cert_spec){.primary = &ed, .subkey = &rsa}, &rsa, 0, &rsa, NULL);
}

static void test_keyring_revoked(void **state)
{
	(void)state;
	/* A key revocation by the primary key. */
	cert_case(&(struct cert_spec){.revoked = 1}, &ed, 0, NULL, "which has been revoked");
	/* ... revokes its subkeys too. */
	cert_case(&(struct cert_spec){.revoked = 1, .subkey = &sub}, &sub, 0, NULL, "which has been revoked");
	/* One whose signature does not verify is ignored, as gpg ignores it. */
	cert_case(&(struct cert_spec){.revoked = 1, .revocation_corrupt = 1}, &ed, 0, &ed, NULL);
	/* One signet cannot check counts: fail closed.  A hash it has no
	 * digest for, a packet it cannot parse. */
	cert_case(&(struct cert_spec){.revoked = 1, .revocation_hash = 3}, &ed, 0, NULL,
	          "which has been revoked");
	cert_case(&(struct cert_spec){.revoked = 1, .revocation_unparsable = 1}, &ed, 0, NULL,
	          "which has been revoked");
	/* One with SHA-1 is checked: good, it revokes; corrupt, it is
	 * ignored (were SHA-1 not computed, it would count). */
	cert_case(&(struct cert_spec){.primary = &rsa, .revoked = 1, .revocation_hash = 2}, &rsa, 0, NULL,
	          "which has been revoked");
	cert_case(
	    &(struct cert_spec){.primary = &rsa, .revoked = 1, .revocation_hash = 2, .revocation_corrupt = 1},
	    &rsa, 0, &rsa, NULL);
	/* One by another key (a designated revoker) counts: fail closed. */
	cert_case(&(struct cert_spec){.revoked = 1, .revoker = &other}, &ed, 0, NULL,
	          "which has been revoked");
	/* A subkey revocation (0x28): the subkey is revoked, the primary not. */
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_revoked = 1}, &sub, 0, NULL,
	          "which has been revoked");
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_revoked = 1}, &ed, 0, &ed, NULL);
	/* The only user ID revoked (0x30): no valid user ID; certified
	 * again after the revocation, valid again (as in gpg). */
	cert_case(&(struct cert_spec){.uid_revoked = 1}, &ed, 0, NULL, "has no valid user ID");
	cert_case(&(struct cert_spec){.uid_revoked = 1, .cert2_created = CREATED + 10}, &ed, CREATED + 10,
	          &ed, NULL);
}

static void test_keyring_expired(void **state)
{
	(void)state;
	/* Key expiration set by the certification: created + 500 < NOW. */
	cert_case(&(struct cert_spec){.key_expires = 500}, &ed, 0, NULL, "which has expired");
	/* The boundary: expired at created + key_expires. */
	cert_case(&(struct cert_spec){.key_expires = 1000}, &ed, 0, NULL, "which has expired");
	cert_case(&(struct cert_spec){.key_expires = 1001}, &ed, 0, &ed, NULL);
	/* The primary key's expiry ends its subkeys too. */
	cert_case(&(struct cert_spec){.key_expires = 500, .subkey = &sub}, &sub, 0, NULL,
	          "which has expired");
	/* A subkey expired by its binding; the primary key is not. */
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_key_expires = 500}, &sub, 0, NULL,
	          "which has expired");
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_key_expires = 1001}, &sub, 0, &sub, NULL);
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_key_expires = 500}, &ed, 0, &ed, NULL);
	/* The newest certification is the one that counts: a newer one
	 * without an expiration lifts it, a newer one with one sets it. */
	cert_case(&(struct cert_spec){.key_expires = 500, .cert2_created = CREATED + 10}, &ed, 0, &ed, NULL);
	cert_case(&(struct cert_spec){.cert2_created = CREATED + 10, .cert2_key_expires = 500}, &ed, 0, NULL,
	          "which has expired");
	/* A direct-key signature's key expiration counts too. */
	cert_case(&(struct cert_spec){.direct = 1, .direct_key_expires = 500}, &ed, 0, NULL,
	          "which has expired");
	cert_case(&(struct cert_spec){.direct = 1, .direct_key_expires = 1001}, &ed, 0, &ed, NULL);
}

static void test_keyring_key_flags(void **state)
{
	(void)state;
	cert_case(&(struct cert_spec){.no_flags = 1}, &ed, 0, NULL, "carry no key flags");
	cert_case(&(struct cert_spec){.flags = 0x01}, &ed, 0, NULL, "is not meant for signing");
	cert_case(&(struct cert_spec){.flags = 0x0c}, &ed, 0, NULL, "is not meant for signing");
	/* A subkey binding without the sign flag, or without key flags. */
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_flags = 0x0c}, &sub, 0, NULL,
	          "is not meant for signing");
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_no_flags = 1}, &sub, 0, NULL,
	          "is not meant for signing");
	/* The newest certification's flags count. */
	cert_case(&(struct cert_spec){.cert2_created = CREATED + 10, .cert2_flags = 0x01}, &ed, 0, NULL,
	          "is not meant for signing");
	cert_case(&(struct cert_spec){.flags = 0x01, .cert2_created = CREATED + 10}, &ed, 0, &ed, NULL);
	/* Every current binding with key flags must allow signing: a
	 * direct-key signature saying certify only. */
	cert_case(&(struct cert_spec){.direct = 1, .direct_flags = 0x01}, &ed, 0, NULL,
	          "is not meant for signing");
	cert_case(&(struct cert_spec){.direct = 1, .direct_flags = 0x02}, &ed, 0, &ed, NULL);
	/* A direct-key signature's flags suffice when the certification has
	 * none. */
	cert_case(&(struct cert_spec){.no_flags = 1, .direct = 1, .direct_flags = 0x02}, &ed, 0, &ed, NULL);
}

static void test_keyring_bound_when_signed(void **state)
{
	(void)state;
	/* A certification dated after the data signature. */
	cert_case(&(struct cert_spec){.cert_created = CREATED + 100}, &ed, CREATED + 50, NULL,
	          "before any self-signature");
	cert_case(&(struct cert_spec){.cert_created = CREATED + 100}, &ed, CREATED + 100, &ed, NULL);
	/* A subkey binding dated after the data signature. */
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_created = CREATED + 100}, &sub, CREATED + 50, NULL,
	          "before any binding signature");
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_created = CREATED + 100}, &sub, CREATED + 100,
	          &sub, NULL);
	/* A data signature older than the key. */
	cert_case(&(struct cert_spec){0}, &ed, CREATED - 1, NULL, "older than the key");
	cert_case(&(struct cert_spec){.subkey = &sub}, &sub, CREATED - 1, NULL, "older than the key");
	/* The binding in place when the data signature was made has no
	 * back-signature: the subkey was not cross-certified then. */
	cert_case(
	    &(struct cert_spec){.subkey = &sub, .sub_early_binding = CREATED, .sub_created = CREATED + 100},
	    &sub, CREATED + 50, NULL, "before any binding signature");
	cert_case(
	    &(struct cert_spec){.subkey = &sub, .sub_early_binding = CREATED, .sub_created = CREATED + 100},
	    &sub, CREATED + 100, &sub, NULL);
}

static void test_keyring_self_signatures(void **state)
{
	(void)state;
	/* What makes a self-signature count (K3, K5); without one the
	 * certificate has no valid user ID. */
	cert_case(&(struct cert_spec){.no_cert = 1}, &ed, 0, NULL, "has no valid user ID");
	/* A third-party certification only. */
	cert_case(&(struct cert_spec){.certifier = &other}, &ed, 0, NULL, "has no valid user ID");
	/* SHA-1, good by the RSA primary key: not a self-signature that counts. */
	cert_case(&(struct cert_spec){.primary = &rsa, .cert_hash = 2}, &rsa, 0, NULL,
	          "has no valid user ID");
	cert_case(&(struct cert_spec){.primary = &rsa, .cert_hash = 10}, &rsa, 0, &rsa, NULL);
	/* A critical notation. */
	cert_case(&(struct cert_spec){.cert_critical = 0x80 | 20}, &ed, 0, NULL, "has no valid user ID");
	cert_case(&(struct cert_spec){.cert_critical = 20}, &ed, 0, &ed, NULL);
	/* Made after NOW, or expired at NOW. */
	cert_case(&(struct cert_spec){.cert_created = (uint32_t)NOW + 1}, &ed, 0, NULL,
	          "has no valid user ID");
	cert_case(&(struct cert_spec){.cert_expires = 1000}, &ed, 0, NULL, "has no valid user ID");
	/* A version 3 certification. */
	cert_case(&(struct cert_spec){.cert_version = 3}, &ed, 0, NULL, "has no valid user ID");
	/* A certification older than the key it binds. */
	cert_case(&(struct cert_spec){.cert_created = CREATED - 1}, &ed, 0, NULL, "has no valid user ID");
	/* A subkey binding older than the subkey: none binds it. */
	cert_case(&(struct cert_spec){.subkey = &sub, .sub_created = CREATED - 1}, &sub, 0, NULL,
	          "which no valid binding signature ties to its primary key");
}

static void test_keyring_unknown_key(void **state)
{
	struct sn_pgp_keyring *kr;
	struct sn_buf f;
	struct sn_pgp_sig s;
	struct sn_pgp_signer out;
	struct sn_err e;
	struct pkt body;

	(void)state;
	kr = ring(&f, &(struct cert_spec){.subkey = &sub});
	/* By a key nobody pinned; the message names it. */
	judge(kr, &other, &(struct sig_opts){0}, NULL, NULL, NULL, "not one of the pinned keys");
	judge(kr, &other, &(struct sig_opts){0}, NULL, NULL, NULL, other.fpr);
	judge(kr, &other, &(struct sig_opts){.keyid_only = 1}, NULL, NULL, NULL,
	      "not one of the pinned keys");
	/* Naming the pinned key, made by another: a bad signature. */
	judge(kr, &other, &(struct sig_opts){.issuer = &ed}, NULL, NULL, NULL, "bad signature by key");
	judge(kr, &other, &(struct sig_opts){.issuer = &sub}, NULL, NULL, NULL, "bad signature by key");
	/* Naming no key at all. */
	judge(kr, &ed, &(struct sig_opts){.no_issuer = 1}, NULL, NULL, NULL, "names no issuer key");
	/* Over other data. */
	sig_make(&body, &ed, &(struct sig_opts){0});
	sig_parse_ok(&s, &body);
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_pgp_keyring_signer(&out, kr, &s, DATA, DATA_LEN - 1, NOW, &e), SIGNET_EDENIED);
	assert_non_null(strstr(e.msg, "bad signature by key"));
	assert_non_null(strstr(e.msg, ed.fpr));
	/* A hash signet cannot compute. */
	judge(kr, &ed, &(struct sig_opts){.hash = 3}, NULL, NULL, NULL, "cannot be checked");
	/* An empty keyring. */
	sig_make(&body, &ed, &(struct sig_opts){0});
	sig_parse_ok(&s, &body);
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_pgp_keyring_signer(&out, NULL, &s, DATA, DATA_LEN, NOW, &e), SIGNET_EDENIED);
	assert_non_null(strstr(e.msg, "not one of the pinned keys"));
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
}

static void test_keyring_merge(void **state)
{
	struct sn_pgp_keyring *kr = NULL;
	struct sn_buf f1, f2;
	struct sn_err e;
	struct hashin h;
	char want[256];

	(void)state;
	sn_buf_init(&f1, (size_t)1 << 20, "key file");
	sn_buf_init(&f2, (size_t)1 << 20, "key file");
	cert_build(&f1, &(struct cert_spec){0});
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_pgp_keyring_add(&kr, f1.data, f1.len, "first", &e), 0);
	judge(kr, &ed, &(struct sig_opts){0}, &ed, &ed, UID, NULL);
	/* The same file twice: merged, nothing changes. */
	assert_int_equal(sn_pgp_keyring_add(&kr, f1.data, f1.len, "first again", &e), 0);
	judge(kr, &ed, &(struct sig_opts){0}, &ed, &ed, UID, NULL);
	/* A second file: the primary key and a revocation of it. */
	file_packet(&f2, SN_PGP_PUBLIC_KEY, ed.body.b, ed.body.n);
	key_in(&h, &ed);
	file_sig(&f2, &ed,
	         &(struct sig_opts){.type = SN_PGP_SIG_KEY_REVOCATION, .parts = h.parts, .n_parts = 2});
	assert_int_equal(sn_pgp_keyring_add(&kr, f2.data, f2.len, "second", &e), 0);
	judge(kr, &ed, &(struct sig_opts){0}, NULL, NULL, NULL, "which has been revoked");
	/* Still one certificate. */
	(void)snprintf(want, sizeof(want), "%s (%s)", ed.fpr, UID);
	describe_is(kr, want);
	sn_pgp_keyring_free(kr);
	/* The other order: the revocation file first is not a certificate
	 * (no user ID) on its own. */
	kr = NULL;
	assert_int_equal(sn_pgp_keyring_add(&kr, f2.data, f2.len, "second", &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "has no user ID"));
	assert_non_null(strstr(e.msg, ed.fpr));
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f1);
	sn_buf_free(&f2);
}

static void test_keyring_describe(void **state)
{
	struct sn_pgp_keyring *kr = NULL;
	struct sn_buf f;
	struct sn_err e;
	struct hashin h;
	char want[512];

	(void)state;
	/* Two certificates in one file. */
	sn_buf_init(&f, (size_t)1 << 20, "key file");
	cert_build(&f, &(struct cert_spec){.uid = "Alice <alice@example.com>"});
	cert_build(&f, &(struct cert_spec){.primary = &rsa, .uid = "Bob <bob@example.com>"});
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "two", &e), 0);
	(void)snprintf(want, sizeof(want), "%s (Alice <alice@example.com>), %s (Bob <bob@example.com>)",
	               ed.fpr, rsa.fpr);
	describe_is(kr, want);
	judge(kr, &ed, &(struct sig_opts){0}, &ed, &ed, "Alice <alice@example.com>", NULL);
	judge(kr, &rsa, &(struct sig_opts){0}, &rsa, &rsa, "Bob <bob@example.com>", NULL);
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	/* A first user ID without a self-signature: the name and the signer's
	 * user ID are the second, certified one. */
	kr = NULL;
	sn_buf_init(&f, (size_t)1 << 20, "key file");
	file_packet(&f, SN_PGP_PUBLIC_KEY, ed.body.b, ed.body.n);
	file_packet(&f, SN_PGP_USER_ID, "Uncertified", strlen("Uncertified"));
	file_packet(&f, SN_PGP_USER_ID, UID, strlen(UID));
	uid_in(&h, &ed, UID);
	file_sig(&f, &ed,
	         &(struct sig_opts){
	             .type = SN_PGP_SIG_CERT_POSITIVE, .key_flags = 3, .parts = h.parts, .n_parts = 4});
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "uids", &e), 0);
	(void)snprintf(want, sizeof(want), "%s (%s)", ed.fpr, UID);
	describe_is(kr, want);
	judge(kr, &ed, &(struct sig_opts){0}, &ed, &ed, UID, NULL);
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
}

static void test_keyring_bad_files(void **state)
{
	struct sn_pgp_keyring *kr = NULL;
	struct sn_buf f;
	struct sn_err e;
	struct pkt v3;
	struct key dsa;

	(void)state;
	/* A certificate without a user ID. */
	sn_buf_init(&f, (size_t)1 << 20, "key file");
	file_packet(&f, SN_PGP_PUBLIC_KEY, ed.body.b, ed.body.n);
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "no uid", &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "no uid: certificate"));
	assert_non_null(strstr(e.msg, "has no user ID"));
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	/* A version 3 primary key. */
	kr = NULL;
	sn_buf_init(&f, (size_t)1 << 20, "key file");
	v3 = rsa.body;
	v3.b[0] = 3;
	file_packet(&f, SN_PGP_PUBLIC_KEY, v3.b, v3.n);
	file_packet(&f, SN_PGP_USER_ID, UID, strlen(UID));
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "old key", &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "old key: a primary key packet is a version 3 key"));
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	/* A certification before any user ID, and one after a subkey: out of
	 * place, as gpg will not import (found by the fuzzer: signet used to
	 * drop them and accept the file). */
	for (int after_subkey = 0; after_subkey <= 1; after_subkey++) {
		struct pkt cert;

		kr = NULL;
		sn_buf_init(&f, (size_t)1 << 20, "key file");
		sig_make(&cert, &ed, &(struct sig_opts){.type = 0x13, .key_flags = 0x03});
		if (after_subkey) {
			cert_build(&f, &(struct cert_spec){0});
			file_packet(&f, SN_PGP_PUBLIC_SUBKEY, sub.body.b, sub.body.n);
		} else {
			file_packet(&f, SN_PGP_PUBLIC_KEY, ed.body.b, ed.body.n);
		}
		file_packet(&f, SN_PGP_SIGNATURE, cert.b, cert.n);
		file_packet(&f, SN_PGP_USER_ID, UID, strlen(UID));
		memset(&e, 0, sizeof(e));
		assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "misplaced", &e), SIGNET_EBADINPUT);
		assert_non_null(strstr(e.msg, "a signature of type 0x13 out of its place"));
		assert_non_null(strstr(e.msg, after_subkey ? "after a subkey" : "after the primary key"));
		sn_pgp_keyring_free(kr);
		sn_buf_free(&f);
	}
	/* A malformed subkey. */
	kr = NULL;
	sn_buf_init(&f, (size_t)1 << 20, "key file");
	cert_build(&f, &(struct cert_spec){0});
	v3 = sub.body;
	v3.b[v3.n++] = 0;
	file_packet(&f, SN_PGP_PUBLIC_SUBKEY, v3.b, v3.n);
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "bad subkey", &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "a subkey of"));
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	/* Packets before any public key. */
	{
		static const unsigned int tags[] = {SN_PGP_USER_ID, SN_PGP_SIGNATURE, SN_PGP_PUBLIC_SUBKEY};
		static const char *const names[] = {"a user id packet before any public key",
		                                    "a signature packet before any public key",
		                                    "a public subkey packet before any public key"};

		for (size_t i = 0; i < 3; i++) {
			kr = NULL;
			sn_buf_init(&f, (size_t)1 << 20, "key file");
			file_packet(&f, tags[i], sub.body.b, sub.body.n);
			cert_build(&f, &(struct cert_spec){0});
			assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "headless", &e),
			                 SIGNET_EBADINPUT);
			assert_non_null(strstr(e.msg, "headless: "));
			if (strstr(e.msg, names[i]) == NULL)
				fail_msg("message \"%s\" lacks \"%s\"", e.msg, names[i]);
			sn_pgp_keyring_free(kr);
			sn_buf_free(&f);
		}
	}
	/* A primary key signet does not verify with: loaded, and every
	 * signature by it denied, saying why. */
	kr = NULL;
	sn_buf_init(&f, (size_t)1 << 20, "key file");
	v3 = as_algo(&rsa.body, ALG_DSA, 4);
	file_packet(&f, SN_PGP_PUBLIC_KEY, v3.b, v3.n);
	file_packet(&f, SN_PGP_USER_ID, UID, strlen(UID));
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "dsa", &e), 0);
	memset(&dsa, 0, sizeof(dsa));
	dsa.algo = ALG_DSA;
	dsa.body = v3;
	key_fpr(&dsa);
	judge(kr, &rsa, &(struct sig_opts){.issuer = &dsa, .claimed_algo = ALG_DSA}, NULL, NULL, NULL,
	      "which is a DSA key, which signet does not verify");
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
}

/* Appends filler user ID packets (all the same, without signatures) to f. */
static void uid_fill(struct sn_buf *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		file_packet(f, SN_PGP_USER_ID, "x", 1);
}

static void test_keyring_packet_limit(void **state)
{
	struct sn_pgp_keyring *kr = NULL;
	struct sn_buf f, one;
	struct sn_err e;

	(void)state;
	/* Exactly SN_PGP_MAX_KEY_PACKETS in one file: primary key, user ID,
	 * certification and fillers. */
	sn_buf_init(&f, (size_t)1 << 24, "key file");
	cert_build(&f, &(struct cert_spec){0});
	uid_fill(&f, SN_PGP_MAX_KEY_PACKETS - 3);
	memset(&e, 0, sizeof(e));
	if (sn_pgp_keyring_add(&kr, f.data, f.len, "big", &e) != 0)
		fail_msg("%s", e.msg);
	judge(kr, &ed, &(struct sig_opts){0}, &ed, &ed, UID, NULL);
	sn_pgp_keyring_free(kr);
	/* One more. */
	kr = NULL;
	uid_fill(&f, 1);
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "big", &e), SIGNET_ELIMIT);
	assert_int_equal(e.code, SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "big: "));
	assert_non_null(strstr(e.msg, "SN_PGP_MAX_KEY_PACKETS"));
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	/* The count is over all the files of a keyring: MAX - 1, then one
	 * (the primary key again, merged), then one more. */
	kr = NULL;
	sn_buf_init(&f, (size_t)1 << 24, "key file");
	sn_buf_init(&one, 1024, "key file");
	cert_build(&f, &(struct cert_spec){0});
	uid_fill(&f, SN_PGP_MAX_KEY_PACKETS - 4);
	file_packet(&one, SN_PGP_PUBLIC_KEY, ed.body.b, ed.body.n);
	assert_int_equal(sn_pgp_keyring_add(&kr, f.data, f.len, "first", &e), 0);
	assert_int_equal(sn_pgp_keyring_add(&kr, one.data, one.len, "second", &e), 0);
	assert_int_equal(sn_pgp_keyring_add(&kr, one.data, one.len, "third", &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "third: "));
	assert_non_null(strstr(e.msg, "SN_PGP_MAX_KEY_PACKETS"));
	sn_pgp_keyring_free(kr);
	sn_buf_free(&f);
	sn_buf_free(&one);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_each_algorithm),
	    cmocka_unit_test(test_bad_signatures),
	    cmocka_unit_test(test_verify_cannot_tell),
	    cmocka_unit_test(test_parse_kinds),
	    cmocka_unit_test(test_parse_malformed),
	    cmocka_unit_test(test_parse_truncated),
	    cmocka_unit_test(test_key_forms),
	    cmocka_unit_test(test_keyring_primary_signs),
	    cmocka_unit_test(test_keyring_subkey_signs),
	    cmocka_unit_test(test_keyring_back_signature),
	    cmocka_unit_test(test_keyring_revoked),
	    cmocka_unit_test(test_keyring_expired),
	    cmocka_unit_test(test_keyring_key_flags),
	    cmocka_unit_test(test_keyring_bound_when_signed),
	    cmocka_unit_test(test_keyring_self_signatures),
	    cmocka_unit_test(test_keyring_unknown_key),
	    cmocka_unit_test(test_keyring_merge),
	    cmocka_unit_test(test_keyring_describe),
	    cmocka_unit_test(test_keyring_bad_files),
	    cmocka_unit_test(test_keyring_packet_limit),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
