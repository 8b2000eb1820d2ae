/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_openpgp_fast.c: the in-process OpenPGP parsers and
 * signature check (verify/openpgp_fast.c) on packets this test builds
 * itself, with keys made by OpenSSL: good signatures by each algorithm,
 * and each rule that makes the check decline (left to gpg).  The
 * comparison with gpg's own verdicts is in test_openpgp.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "verify/verify.h"

#define CREATED 1700000000u /* the keys' and signatures' creation time */

static const unsigned char DATA[] = "{\"critical\":{},\"optional\":{}}";

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

/* ---- keys --------------------------------------------------------------- */

enum { ALG_RSA = 1, ALG_ECDSA = 19, ALG_EDDSA = 22 };

static const unsigned char OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char OID_ED25519[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01};

struct key {
	int algo;
	EVP_PKEY *priv;
	struct pkt body; /* the public key packet body */
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
	unsigned char hdr[3] = {0x99, (unsigned char)(k->body.n >> 8), (unsigned char)k->body.n}, md[20];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha1(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, hdr, 3), 1);
	assert_int_equal(EVP_DigestUpdate(ctx, k->body.b, k->body.n), 1);
	assert_int_equal(EVP_DigestFinal_ex(ctx, md, NULL), 1);
	EVP_MD_CTX_free(ctx);
	for (int i = 0; i < 20; i++)
		(void)snprintf(k->fpr + 2 * i, 3, "%02X", md[i]);
}

static void key_make(struct key *k, int algo)
{
	memset(k, 0, sizeof(*k));
	k->algo = algo;
	switch (algo) {
	case ALG_EDDSA: k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
	case ALG_ECDSA: k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
	default: k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	}
	assert_non_null(k->priv);
	key_body(k);
	key_fpr(k);
}

static struct key ed, ec, rsa;

static int group_setup(void **state)
{
	(void)state;
	key_make(&ed, ALG_EDDSA);
	key_make(&ec, ALG_ECDSA);
	key_make(&rsa, ALG_RSA);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(ed.priv);
	EVP_PKEY_free(ec.priv);
	EVP_PKEY_free(rsa.priv);
	return 0;
}

/* ---- signatures ----------------------------------------------------------- */

/* How a test signature is built; the zero value is a good one. */
struct sig_opts {
	unsigned int version, type, hash; /* 0: 4, 0x00, 8 (SHA-256) */
	int created_unhashed;             /* the creation time in the unhashed area */
	int no_created, two_created;
	int no_issuer;                    /* neither fingerprint nor key id */
	int keyid_other;                  /* the key id disagrees with the fingerprint */
	unsigned int extra_type;          /* an extra hashed subpacket of this type (0x80: critical) */
	int mpi_extra_zero;               /* a zero octet in front of the first MPI */
	int trailing;                     /* an octet after the MPIs */
	int left16_wrong;
	int claimed_algo;                 /* the public-key algorithm written, 0: the key's */
};

static void subpacket(struct pkt *p, unsigned int type, const void *data, size_t n)
{
	put8(p, (unsigned int)n + 1);
	put8(p, type);
	put(p, data, n);
}

static void sig_make(struct pkt *out, const struct key *k, const struct sig_opts *o)
{
	unsigned char created[4] = {CREATED >> 24, (CREATED >> 16) & 0xff, (CREATED >> 8) & 0xff,
	                            CREATED & 0xff};
	unsigned char fpr[21] = {4}, keyid[8], digest[64], sig[600], trailer[6] = {4, 0xff};
	struct pkt hashed = {.n = 0}, unhashed = {.n = 0};
	size_t sig_len = sizeof(sig), head;
	unsigned int digest_len = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;

	for (int i = 0; i < 20; i++) {
		unsigned int v;

		assert_int_equal(sscanf(k->fpr + 2 * i, "%2X", &v), 1);
		fpr[1 + i] = (unsigned char)v;
	}
	memcpy(keyid, fpr + 13, 8);
	if (o->keyid_other)
		keyid[7] ^= 1;
	if (!o->no_created && !o->created_unhashed)
		subpacket(&hashed, 2, created, 4);
	if (o->two_created)
		subpacket(&hashed, 2, created, 4);
	if (!o->no_issuer)
		subpacket(&hashed, 33, fpr, sizeof(fpr));
	if (o->extra_type != 0)
		subpacket(&hashed, o->extra_type, "x", 1);
	if (o->created_unhashed)
		subpacket(&unhashed, 2, created, 4);
	if (!o->no_issuer)
		subpacket(&unhashed, 16, keyid, sizeof(keyid));

	out->n = 0;
	put8(out, o->version != 0 ? o->version : 4);
	put8(out, o->type);
	put8(out, (unsigned int)(o->claimed_algo != 0 ? o->claimed_algo : k->algo));
	put8(out, o->hash != 0 ? o->hash : 8);
	put_be(out, (uint32_t)hashed.n, 2);
	put(out, hashed.b, hashed.n);
	head = out->n;
	put_be(out, (uint32_t)unhashed.n, 2);
	put(out, unhashed.b, unhashed.n);

	/* RFC 4880 §5.2.4 with SHA-256, whatever the hash octet says. */
	trailer[2] = (unsigned char)(head >> 24);
	trailer[3] = (unsigned char)(head >> 16);
	trailer[4] = (unsigned char)(head >> 8);
	trailer[5] = (unsigned char)head;
	assert_non_null(md);
	assert_int_equal(EVP_DigestInit_ex(md, EVP_sha256(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(md, DATA, sizeof(DATA) - 1), 1);
	assert_int_equal(EVP_DigestUpdate(md, out->b, head), 1);
	assert_int_equal(EVP_DigestUpdate(md, trailer, sizeof(trailer)), 1);
	assert_int_equal(EVP_DigestFinal_ex(md, digest, &digest_len), 1);
	put8(out, digest[0] ^ (o->left16_wrong ? 0xff : 0));
	put8(out, digest[1]);

	switch (k->algo) {
	case ALG_EDDSA:
		assert_int_equal(EVP_DigestSignInit_ex(md, NULL, NULL, NULL, NULL, k->priv, NULL), 1);
		assert_int_equal(EVP_DigestSign(md, sig, &sig_len, digest, digest_len), 1);
		assert_int_equal(sig_len, 64);
		put_mpi(out, sig, 32, o->mpi_extra_zero);
		put_mpi(out, sig + 32, 32, 0);
		break;
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
		put_mpi(out, rb, (size_t)BN_bn2bin(r, rb), o->mpi_extra_zero);
		put_mpi(out, sb, (size_t)BN_bn2bin(s, sb), 0);
		ECDSA_SIG_free(es);
		break;
	}
	default:
		pctx = EVP_PKEY_CTX_new(k->priv, NULL);
		assert_non_null(pctx);
		assert_int_equal(EVP_PKEY_sign_init(pctx), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING), 1);
		assert_int_equal(EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()), 1);
		assert_int_equal(EVP_PKEY_sign(pctx, sig, &sig_len, digest, digest_len), 1);
		EVP_PKEY_CTX_free(pctx);
		put_mpi(out, sig, sig_len, o->mpi_extra_zero);
	}
	if (o->trailing)
		put8(out, 0);
	EVP_MD_CTX_free(md);
}

/* Parses k's public key packet; pkey must be set. */
static void pub_parse(struct sn_pgp_pubkey *pk, const struct key *k)
{
	assert_int_equal(sn_pgp_pubkey_parse(pk, k->body.b, k->body.n), 0);
	assert_string_equal(pk->fpr, k->fpr);
	assert_int_equal(pk->algo, k->algo);
	assert_int_equal(pk->created, CREATED);
	assert_non_null(pk->pkey);
}

/* A signature by k built with o: parsed (or not: want_parse) and checked
 * (want_ok). */
static void check(const struct key *k, const struct sig_opts *o, int want_parse, int want_ok)
{
	struct sn_pgp_pubkey pk;
	struct sn_pgp_sig s;
	struct pkt body;

	sig_make(&body, k, o);
	pub_parse(&pk, k);
	assert_int_equal(sn_pgp_sig_parse(&s, body.b, body.n), want_parse);
	if (want_parse == 0) {
		assert_int_equal(s.created, CREATED);
		assert_string_equal(s.issuer_fpr, k->fpr);
		assert_string_equal(s.keyid, k->fpr + 24);
		assert_int_equal(sn_pgp_sig_verify(&s, &pk, DATA, sizeof(DATA) - 1), want_ok);
	}
	sn_pgp_pubkey_clear(&pk);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_good_each_algorithm(void **state)
{
	const struct sig_opts good = {0};

	(void)state;
	check(&ed, &good, 0, 1);
	check(&ec, &good, 0, 1);
	check(&rsa, &good, 0, 1);
	/* A non-critical subpacket signet does not read is ignored, as by gpg. */
	check(&ed, &(struct sig_opts){.extra_type = 20}, 0, 1);
}

static void test_bad_signatures_not_confirmed(void **state)
{
	const struct key *keys[] = {&ed, &ec, &rsa};
	struct sn_pgp_pubkey pk;
	struct sn_pgp_sig s;
	struct pkt body;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		check(keys[i], &(struct sig_opts){.left16_wrong = 1}, 0, 0);
		check(keys[i], &(struct sig_opts){.mpi_extra_zero = 1}, 0, 0);
		check(keys[i], &(struct sig_opts){.trailing = 1}, 0, 0);
		/* Other data. */
		sig_make(&body, keys[i], &(struct sig_opts){0});
		pub_parse(&pk, keys[i]);
		assert_int_equal(sn_pgp_sig_parse(&s, body.b, body.n), 0);
		assert_int_equal(sn_pgp_sig_verify(&s, &pk, DATA, sizeof(DATA) - 2), 0);
		/* The last octet of the signature value. */
		body.b[body.n - 1] ^= 1;
		assert_int_equal(sn_pgp_sig_parse(&s, body.b, body.n), 0);
		assert_int_equal(sn_pgp_sig_verify(&s, &pk, DATA, sizeof(DATA) - 1), 0);
		sn_pgp_pubkey_clear(&pk);
	}
	/* A signature by one key checked with another of the same algorithm,
	 * and one claiming another algorithm. */
	sig_make(&body, &ed, &(struct sig_opts){0});
	{
		struct key other;

		key_make(&other, ALG_EDDSA);
		pub_parse(&pk, &other);
		assert_int_equal(sn_pgp_sig_parse(&s, body.b, body.n), 0);
		assert_int_equal(sn_pgp_sig_verify(&s, &pk, DATA, sizeof(DATA) - 1), 0);
		sn_pgp_pubkey_clear(&pk);
		EVP_PKEY_free(other.priv);
	}
	check(&ed, &(struct sig_opts){.claimed_algo = ALG_ECDSA}, 0, 0);
}

static void test_parse_declines(void **state)
{
	(void)state;
	check(&ed, &(struct sig_opts){.version = 3}, -1, 0);
	check(&ed, &(struct sig_opts){.version = 5}, -1, 0);
	check(&ed, &(struct sig_opts){.type = 0x01}, -1, 0); /* text document */
	check(&ed, &(struct sig_opts){.type = 0x13}, -1, 0); /* a certification */
	check(&ed, &(struct sig_opts){.hash = 2}, -1, 0);    /* SHA-1 */
	check(&ed, &(struct sig_opts){.hash = 1}, -1, 0);    /* MD5 */
	check(&ed, &(struct sig_opts){.no_created = 1}, -1, 0);
	check(&ed, &(struct sig_opts){.created_unhashed = 1}, -1, 0);
	check(&ed, &(struct sig_opts){.two_created = 1}, -1, 0);
	check(&ed, &(struct sig_opts){.no_issuer = 1}, -1, 0);
	check(&ed, &(struct sig_opts){.keyid_other = 1}, -1, 0);
	check(&ed, &(struct sig_opts){.extra_type = 0x80 | 20}, -1, 0); /* critical notation */
	check(&ed, &(struct sig_opts){.extra_type = 0x80 | 100}, -1, 0);
}

static void test_parse_truncated(void **state)
{
	struct sn_pgp_sig s;
	struct pkt body;

	(void)state;
	sig_make(&body, &rsa, &(struct sig_opts){0});
	/* Every cut before the MPIs: nothing to confirm. */
	for (size_t n = 0; n < 6 + 6 + 23 + 2 + 10 + 2; n++)
		assert_int_equal(sn_pgp_sig_parse(&s, body.b, n), -1);
}

static void test_pubkey_forms(void **state)
{
	struct sn_pgp_pubkey pk;
	struct key k;
	struct pkt body;

	(void)state;
	/* Version 3: not parsed. */
	body = ed.body;
	body.b[0] = 3;
	assert_int_equal(sn_pgp_pubkey_parse(&pk, body.b, body.n), -1);
	/* Ed25519 without the 0x40 prefix octet; another curve OID. */
	body = ed.body;
	body.b[6 + 1 + 9 + 2] = 0x41;
	assert_int_equal(sn_pgp_pubkey_parse(&pk, body.b, body.n), 0);
	assert_null(pk.pkey);
	body = ed.body;
	body.b[6 + 1 + 8] ^= 1;
	assert_int_equal(sn_pgp_pubkey_parse(&pk, body.b, body.n), 0);
	assert_null(pk.pkey);
	/* A compressed EC point. */
	body = ec.body;
	body.b[6 + 1 + 8 + 2] = 0x02;
	assert_int_equal(sn_pgp_pubkey_parse(&pk, body.b, body.n), 0);
	assert_null(pk.pkey);
	/* Trailing octets after the key material. */
	body = rsa.body;
	body.b[body.n++] = 0;
	assert_int_equal(sn_pgp_pubkey_parse(&pk, body.b, body.n), 0);
	assert_null(pk.pkey);
	/* RSA below 2048 bits and DSA are left to gpg. */
	memset(&k, 0, sizeof(k));
	k.algo = ALG_RSA;
	k.priv = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	assert_non_null(k.priv);
	key_body(&k);
	assert_int_equal(sn_pgp_pubkey_parse(&pk, k.body.b, k.body.n), 0);
	assert_null(pk.pkey);
	EVP_PKEY_free(k.priv);
	body = rsa.body;
	body.b[5] = 17;
	assert_int_equal(sn_pgp_pubkey_parse(&pk, body.b, body.n), 0);
	assert_int_equal(pk.algo, 17);
	assert_null(pk.pkey);
	sn_pgp_pubkey_clear(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_each_algorithm),
	    cmocka_unit_test(test_bad_signatures_not_confirmed),
	    cmocka_unit_test(test_parse_declines),
	    cmocka_unit_test(test_parse_truncated),
	    cmocka_unit_test(test_pubkey_forms),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
