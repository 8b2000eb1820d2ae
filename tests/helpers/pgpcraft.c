/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/helpers/pgpcraft.c: OpenPGP keys, certificates and signed messages
 * built byte by byte (RFC 4880 version 4, RFC 6637 ECDSA, legacy EdDSA
 * Ed25519) with OpenSSL-generated keys, for the differential suite
 * tests/integration/openpgp_diff.sh.
 *
 *   pgpcraft OUTDIR [ID]
 *
 * writes one directory per case (or only case ID), OUTDIR/craft-ID/, in
 * the case format of tests/integration/openpgp_gpg_cases.sh:
 *
 *   keys/1.pgp [2.pgp ...]  the pinned key files, in order
 *   signature               the signature blob
 *   manifest.json           the manifest whose digest the payload names
 *   reference               the payload's docker reference
 *   fingerprint             the signing certificate's primary fingerprint
 *   expect                  allow | deny: what gpg (containers/image's rule) says
 *   tag                     the docs/differences.md row when signet refuses what
 *                           gpg allows (only then)
 *   skopeo-skip             why skopeo is not compared (optional)
 *   note                    what the case is
 *
 * The cases are the table `cases` at the end; each row names a builder
 * and its arguments.  Every key is generated once per run (OpenSSL), and
 * takes its OpenPGP identity (creation time, hence fingerprint) per case.
 * "Now" is the time the program starts; cases place keys and signatures
 * around it.  Exit 0, or 1 with a message when anything fails.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <zlib.h>

/* ---- basics ------------------------------------------------------------ */

static const char *outdir;

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pgpcraft: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Everything a case allocates is released when the case is written. */
struct arena {
	void **v;
	size_t n, cap;
};
static struct arena arena;

static void *keep(void *p)
{
	if (p == NULL)
		die("out of memory");
	if (arena.n == arena.cap) {
		size_t cap = arena.cap ? arena.cap * 2 : 256;
		void **v = realloc(arena.v, cap * sizeof(*v));

		if (v == NULL)
			die("out of memory");
		arena.v = v;
		arena.cap = cap;
	}
	arena.v[arena.n++] = p;
	return p;
}

static void arena_release(void)
{
	while (arena.n > 0)
		free(arena.v[--arena.n]);
}

/* A growing byte string; the struct and its bytes live in the arena. */
struct buf {
	unsigned char *p;
	size_t len, cap;
};

static struct buf *buf_new(void)
{
	return keep(calloc(1, sizeof(struct buf)));
}

static void put(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		unsigned char *q;

		while (cap < b->len + n)
			cap *= 2;
		/* The old bytes stay in the arena; the new ones are registered. */
		q = keep(malloc(cap));
		if (b->len)
			memcpy(q, b->p, b->len);
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put8(struct buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(b, &c, 1);
}

static void put16(struct buf *b, unsigned v)
{
	put8(b, v >> 8);
	put8(b, v);
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

static void putb(struct buf *b, const struct buf *c)
{
	put(b, c->p, c->len);
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static struct buf *cat(const struct buf *a, const struct buf *b)
{
	struct buf *c = buf_new();

	putb(c, a);
	putb(c, b);
	return c;
}

static void hex_upper(char *out, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---- time ----------------------------------------------------------------- */

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define YEAR (365 * DAY)

static int64_t NOW; /* when the program started */

/* ---- hashes (RFC 4880 §9.4) ----------------------------------------------- */

enum {
	H_MD5 = 1,
	H_SHA1 = 2,
	H_RIPEMD160 = 3,
	H_SHA256 = 8,
	H_SHA384 = 9,
	H_SHA512 = 10,
	H_SHA224 = 11,
};

static EVP_MD *md_of(int h)
{
	const char *name = NULL;
	EVP_MD *md;

	switch (h) {
	case H_MD5: name = "MD5"; break;
	case H_SHA1: name = "SHA1"; break;
	case H_RIPEMD160: name = "RIPEMD160"; break;
	case H_SHA256: name = "SHA256"; break;
	case H_SHA384: name = "SHA384"; break;
	case H_SHA512: name = "SHA512"; break;
	case H_SHA224: name = "SHA224"; break;
	default: die("unknown hash %d", h);
	}
	if ((md = EVP_MD_fetch(NULL, name, NULL)) == NULL)
		die("OpenSSL has no %s", name);
	return md; /* the caller frees it (EVP_MD_free) */
}

/* The digest of data by hash h; returns its length. */
static size_t hash_of(int h, const struct buf *data, unsigned char digest[EVP_MAX_MD_SIZE])
{
	EVP_MD *md = md_of(h);
	unsigned int n = 0;

	if (EVP_Digest(data->p, data->len, digest, &n, md, NULL) != 1)
		die("EVP_Digest failed");
	EVP_MD_free(md);
	return n;
}

/* ---- keys ------------------------------------------------------------------ */

/* Public-key algorithms (RFC 4880 §9.1, RFC 6637, draft-koch-eddsa). */
enum { PK_RSA = 1, PK_DSA = 17, PK_ECDSA = 19, PK_EDDSA = 22 };

enum alg { ED25519, RSA768, RSA1024, RSA2048, RSA3072, RSA4096, P256, P384, P521, DSA2048, N_ALG };

static const struct alg_info {
	const char *name; /* OpenSSL's: RSA bits, a curve, "ED25519", "DSA" */
	int pk;
	int bits;
	const char *oid; /* the curve OID's DER contents, for ECC */
	size_t oid_len;
} algs[N_ALG] = {
	[RSA768] = {"RSA", PK_RSA, 768, NULL, 0},
	[RSA1024] = {"RSA", PK_RSA, 1024, NULL, 0},
	[RSA2048] = {"RSA", PK_RSA, 2048, NULL, 0},
	[RSA3072] = {"RSA", PK_RSA, 3072, NULL, 0},
	[RSA4096] = {"RSA", PK_RSA, 4096, NULL, 0},
	/* 1.2.840.10045.3.1.7, 1.3.132.0.34, 1.3.132.0.35 */
	[P256] = {"P-256", PK_ECDSA, 256, "\x2a\x86\x48\xce\x3d\x03\x01\x07", 8},
	[P384] = {"P-384", PK_ECDSA, 384, "\x2b\x81\x04\x00\x22", 5},
	[P521] = {"P-521", PK_ECDSA, 521, "\x2b\x81\x04\x00\x23", 5},
	/* 1.3.6.1.4.1.11591.15.1 */
	[ED25519] = {"ED25519", PK_EDDSA, 256, "\x2b\x06\x01\x04\x01\xda\x47\x0f\x01", 9},
	[DSA2048] = {"DSA", PK_DSA, 2048, NULL, 0},
};

/* Key material, generated on first use and kept for the whole run. */
#define POOL 6
static EVP_PKEY *pool[N_ALG][POOL];

static EVP_PKEY *dsa_generate(int bits)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL), *kctx = NULL;
	EVP_PKEY *params = NULL, *pk = NULL;

	if (ctx == NULL || EVP_PKEY_paramgen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_dsa_paramgen_bits(ctx, bits) != 1 ||
	    EVP_PKEY_CTX_set_dsa_paramgen_q_bits(ctx, 256) != 1 || EVP_PKEY_paramgen(ctx, &params) != 1 ||
	    (kctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) == NULL || EVP_PKEY_keygen_init(kctx) != 1 ||
	    EVP_PKEY_keygen(kctx, &pk) != 1)
		die("cannot generate a DSA key");
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_CTX_free(kctx);
	EVP_PKEY_free(params);
	return pk;
}

static EVP_PKEY *material(enum alg a, int i)
{
	const struct alg_info *ai = &algs[a];
	EVP_PKEY *pk = NULL;

	if (i < 0 || i >= POOL)
		die("no key material %d", i);
	if (pool[a][i] != NULL)
		return pool[a][i];
	switch (ai->pk) {
	case PK_RSA: pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)ai->bits); break;
	case PK_ECDSA: pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", ai->name); break;
	case PK_EDDSA: pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
	case PK_DSA: pk = dsa_generate(ai->bits); break;
	}
	if (pk == NULL)
		die("cannot generate a %s key", ai->name);
	pool[a][i] = pk;
	return pk;
}

/* An MPI (RFC 4880 §3.2) of a big-endian number, leading zeros dropped. */
static void put_mpi(struct buf *b, const unsigned char *p, size_t n)
{
	unsigned bits;

	while (n > 0 && p[0] == 0) {
		p++;
		n--;
	}
	bits = n == 0 ? 0 : (unsigned)(n - 1) * 8;
	if (n > 0)
		for (unsigned c = p[0]; c != 0; c >>= 1)
			bits++;
	put16(b, bits);
	put(b, p, n);
}

static void put_bn_mpi(struct buf *b, const BIGNUM *bn)
{
	int n = BN_num_bytes(bn);
	unsigned char *p = keep(malloc((size_t)n + 1));

	BN_bn2bin(bn, p);
	put_mpi(b, p, (size_t)n);
}

static void put_param_mpi(struct buf *b, EVP_PKEY *pk, const char *param)
{
	BIGNUM *bn = NULL;

	if (EVP_PKEY_get_bn_param(pk, param, &bn) != 1)
		die("cannot read the key parameter %s", param);
	put_bn_mpi(b, bn);
	BN_free(bn);
}

/* A version 4 key: material with an OpenPGP creation time. */
struct key {
	enum alg alg;
	int pk;
	EVP_PKEY *pkey; /* the pool's */
	uint32_t created;
	struct buf *body; /* the public key packet body */
	unsigned char fpr[20];
	const unsigned char *keyid; /* fpr + 12 */
	char hex[41];
};

/* The hash input of a key (RFC 4880 §12.2, §5.2.4): 0x99, length, body. */
static struct buf *hin_key(const struct key *k)
{
	struct buf *b = buf_new();

	put8(b, 0x99);
	put16(b, (unsigned)k->body->len);
	putb(b, k->body);
	return b;
}

static struct key *key_new(enum alg a, int i, int64_t created)
{
	struct key *k = keep(calloc(1, sizeof(*k)));
	const struct alg_info *ai = &algs[a];
	unsigned char raw[133], digest[EVP_MAX_MD_SIZE];
	size_t n = sizeof(raw);
	struct buf *b;

	k->alg = a;
	k->pk = ai->pk;
	k->pkey = material(a, i);
	k->created = (uint32_t)created;
	k->body = b = buf_new();
	put8(b, 4);
	put32(b, k->created);
	put8(b, (unsigned)ai->pk);
	switch (ai->pk) {
	case PK_RSA:
		put_param_mpi(b, k->pkey, OSSL_PKEY_PARAM_RSA_N);
		put_param_mpi(b, k->pkey, OSSL_PKEY_PARAM_RSA_E);
		break;
	case PK_DSA:
		put_param_mpi(b, k->pkey, OSSL_PKEY_PARAM_FFC_P);
		put_param_mpi(b, k->pkey, OSSL_PKEY_PARAM_FFC_Q);
		put_param_mpi(b, k->pkey, OSSL_PKEY_PARAM_FFC_G);
		put_param_mpi(b, k->pkey, OSSL_PKEY_PARAM_PUB_KEY);
		break;
	case PK_ECDSA:
		put8(b, (unsigned)ai->oid_len);
		put(b, ai->oid, ai->oid_len);
		if (EVP_PKEY_get_octet_string_param(k->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, raw, sizeof(raw),
		                                    &n) != 1 ||
		    raw[0] != 0x04)
			die("cannot read an uncompressed %s point", ai->name);
		put_mpi(b, raw, n);
		break;
	case PK_EDDSA:
		put8(b, (unsigned)ai->oid_len);
		put(b, ai->oid, ai->oid_len);
		raw[0] = 0x40; /* the native point format */
		n = 32;
		if (EVP_PKEY_get_raw_public_key(k->pkey, raw + 1, &n) != 1 || n != 32)
			die("cannot read an Ed25519 public key");
		put_mpi(b, raw, 33);
		break;
	}
	if (hash_of(H_SHA1, hin_key(k), digest) != 20)
		die("SHA-1 is not 20 bytes");
	memcpy(k->fpr, digest, 20);
	k->keyid = k->fpr + 12;
	hex_upper(k->hex, k->fpr, 20);
	return k;
}

/* ---- signatures ------------------------------------------------------------- */

/* Signature types (RFC 4880 §5.2.1). */
enum {
	ST_BINARY = 0x00,
	ST_TEXT = 0x01,
	ST_POSITIVE = 0x13,
	ST_SUBKEY_BINDING = 0x18,
	ST_PRIMARY_BINDING = 0x19,
	ST_DIRECT = 0x1f,
	ST_KEY_REVOCATION = 0x20,
	ST_SUBKEY_REVOCATION = 0x28,
	ST_CERT_REVOCATION = 0x30,
};

/* Subpacket types (RFC 4880 §5.2.3.1); 101 is a private, unknown one. */
enum {
	SP_CREATED = 2,
	SP_SIG_EXPIRES = 3,
	SP_KEY_EXPIRES = 9,
	SP_PREF_SYM = 11,
	SP_REVOKER = 12,
	SP_ISSUER = 16,
	SP_NOTATION = 20,
	SP_PREF_HASH = 21,
	SP_PREF_COMPR = 22,
	SP_KEY_FLAGS = 27,
	SP_REASON = 29,
	SP_FEATURES = 30,
	SP_EMBEDDED = 32,
	SP_ISSUER_FPR = 33,
	SP_PRIVATE = 101,
};
#define CRITICAL 0x80u

/* Key flags (RFC 4880 §5.2.3.21), and two of our own: KF_EMPTY, a key
 * flags subpacket with a zero octet, and KF_NONE, no subpacket at all.
 * 0 leaves the builder's default. */
enum { KF_C = 0x01, KF_S = 0x02, KF_E = 0x0c, KF_EMPTY = 0x100, KF_NONE = 0x200 };

/* Where the issuer is named.  ISS_GPG is what gpg 2.2 writes: the issuer
 * fingerprint hashed, the key id unhashed. */
enum { ISS_GPG, ISS_FPR, ISS_KEYID, ISS_KEYID_HASHED, ISS_FPR_UNHASHED, ISS_NONE };

/* Critical subpackets to add. */
enum {
	CR_UNKNOWN = 1 << 0,          /* a critical private subpacket (101), hashed */
	CR_UNKNOWN_UNHASHED = 1 << 1, /* ... in the unhashed area */
	CR_NOTATION = 1 << 2,         /* a critical notation, hashed */
	CR_CREATED = 1 << 3,          /* the creation time marked critical */
	CR_ISSUER = 1 << 4,           /* the issuer fingerprint marked critical */
	CR_EXPIRES = 1 << 5,          /* the signature expiration marked critical */
	CR_KEY_FLAGS = 1 << 6,        /* a critical key flags subpacket (sign) */
	NC_UNKNOWN = 1 << 7,          /* a non-critical private subpacket, hashed */
	NC_NOTATION = 1 << 8,         /* a non-critical notation */
};

/* How to make a signature; zero is the usual. */
struct so {
	int version;       /* 3 or 4 (0: 4) */
	int type;          /* TYPE(t) overrides what the builder signs as */
	int hash;          /* 0: SHA-256 */
	int64_t at;        /* creation time, seconds from now (0: the builder's default) */
	int64_t expires;   /* signature expiration, seconds after at (0: none) */
	int64_t key_expires; /* key expiration, seconds after the key's creation (0: none) */
	int kf;            /* key flags: KF_* (0: the builder's default) */
	int issuer;        /* ISS_* */
	const struct key *iss_as;   /* the issuer subpackets name this key instead */
	const struct key *keyid_as; /* only the key id names this key */
	unsigned crit;     /* CR_*, NC_* */
	int no_created;    /* no creation time at all */
	int created_unhashed; /* the creation time in the unhashed area only */
	int two_created;   /* two creation time subpackets, hashed */
	const struct buf *embedded; /* an embedded signature (subpacket 32) */
	int embedded_hashed;
	int reason;        /* a revocation reason subpacket: code + 1 */
	const struct key *revoker; /* a revocation key subpacket naming it */
	int bad_left16;    /* the quick check is wrong */
	int bad_value;     /* the signature value is damaged */
};
#define TYPE(t) (0x100 | (t))

static void sp(struct buf *b, unsigned type, const void *data, size_t n)
{
	size_t len = n + 1;

	if (len < 192) {
		put8(b, (unsigned)len);
	} else if (len < 8384) {
		put8(b, (unsigned)(((len - 192) >> 8) + 192));
		put8(b, (unsigned)((len - 192) & 0xff));
	} else {
		put8(b, 255);
		put32(b, (uint32_t)len);
	}
	put8(b, type);
	put(b, data, n);
}

static void sp32(struct buf *b, unsigned type, uint32_t v)
{
	unsigned char d[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	                      (unsigned char)v};

	sp(b, type, d, 4);
}

static void sp_notation(struct buf *b, unsigned crit, const char *name, const char *value)
{
	struct buf *d = buf_new();

	put32(d, 0x80000000u); /* human-readable */
	put16(d, (unsigned)strlen(name));
	put16(d, (unsigned)strlen(value));
	puts_(d, name);
	puts_(d, value);
	sp(b, SP_NOTATION | crit, d->p, d->len);
}

static void sp_issuer_fpr(struct buf *b, unsigned crit, const struct key *k)
{
	unsigned char d[21];

	d[0] = 4;
	memcpy(d + 1, k->fpr, 20);
	sp(b, SP_ISSUER_FPR | crit, d, 21);
}

/* The hash a signature uses: o's, else SHA-256, or the curve's size for
 * ECDSA P-384 and P-521 (what gpg picks). */
static int hash_for(const struct key *k, const struct so *o)
{
	if (o->hash)
		return o->hash;
	return k->alg == P384 ? H_SHA384 : k->alg == P521 ? H_SHA512 : H_SHA256;
}

/* The signature value over digest (the algorithm's MPIs). */
static struct buf *sign_digest(const struct key *k, int h, const unsigned char *dg, size_t n)
{
	struct buf *out = buf_new();
	unsigned char sig[1024];
	size_t siglen = sizeof(sig);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k->pkey, NULL);
	const BIGNUM *r, *s;

	if (ctx == NULL)
		die("EVP_PKEY_CTX_new failed");
	switch (k->pk) {
	case PK_RSA: {
		EVP_MD *md = md_of(h);

		/* PKCS#1 v1.5 with the hash's DigestInfo (RFC 4880 §5.2.2). */
		if (EVP_PKEY_sign_init(ctx) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_signature_md(ctx, md) != 1 || EVP_PKEY_sign(ctx, sig, &siglen, dg, n) != 1)
			die("RSA signing failed");
		EVP_MD_free(md);
		put_mpi(out, sig, siglen);
		break;
	}
	case PK_DSA: {
		const unsigned char *p = sig;
		DSA_SIG *ds;

		if (EVP_PKEY_sign_init(ctx) != 1 || EVP_PKEY_sign(ctx, sig, &siglen, dg, n) != 1 ||
		    (ds = d2i_DSA_SIG(NULL, &p, (long)siglen)) == NULL)
			die("DSA signing failed");
		DSA_SIG_get0(ds, &r, &s);
		put_bn_mpi(out, r);
		put_bn_mpi(out, s);
		DSA_SIG_free(ds);
		break;
	}
	case PK_ECDSA: {
		const unsigned char *p = sig;
		ECDSA_SIG *es;

		if (EVP_PKEY_sign_init(ctx) != 1 || EVP_PKEY_sign(ctx, sig, &siglen, dg, n) != 1 ||
		    (es = d2i_ECDSA_SIG(NULL, &p, (long)siglen)) == NULL)
			die("ECDSA signing failed");
		ECDSA_SIG_get0(es, &r, &s);
		put_bn_mpi(out, r);
		put_bn_mpi(out, s);
		ECDSA_SIG_free(es);
		break;
	}
	case PK_EDDSA: {
		/* Legacy EdDSA signs the digest; R and S are MPIs. */
		EVP_MD_CTX *mctx = EVP_MD_CTX_new();

		if (mctx == NULL || EVP_DigestSignInit_ex(mctx, NULL, NULL, NULL, NULL, k->pkey, NULL) != 1 ||
		    EVP_DigestSign(mctx, sig, &siglen, dg, n) != 1 || siglen != 64)
			die("Ed25519 signing failed");
		EVP_MD_CTX_free(mctx);
		put_mpi(out, sig, 32);
		put_mpi(out, sig + 32, 32);
		break;
	}
	}
	EVP_PKEY_CTX_free(ctx);
	return out;
}

/*
 * A signature packet body by k, of type, over data (the hash input before
 * the signature's own fields: the literal data, or the keys and user ID
 * it binds), made as o says.  The creation time is o->at, else at.
 */
static struct buf *sign(const struct key *k, int type, const struct buf *data, int64_t at, const struct so *o)
{
	struct buf *hashed = buf_new(), *unhashed = buf_new(), *head = buf_new(), *in = buf_new(),
	           *out = buf_new(), *value;
	const struct key *iss = o->iss_as != NULL ? o->iss_as : k;
	const struct key *kid = o->keyid_as != NULL ? o->keyid_as : iss;
	int h = hash_for(k, o);
	unsigned char digest[EVP_MAX_MD_SIZE];
	size_t n;

	if (o->type & 0x100)
		type = o->type & 0xff;
	if (o->at != 0)
		at = NOW + o->at;
	if (o->version == 3) {
		put8(head, (unsigned)type);
		put32(head, (uint32_t)at);
	} else {
		/* gpg's order: issuer fingerprint, creation time, the rest; the
		 * key id unhashed. */
		if (o->issuer == ISS_GPG || o->issuer == ISS_FPR)
			sp_issuer_fpr(hashed, (o->crit & CR_ISSUER) ? CRITICAL : 0, iss);
		if (!o->no_created)
			sp32(o->created_unhashed ? unhashed : hashed,
			     SP_CREATED | ((o->crit & CR_CREATED) ? CRITICAL : 0), (uint32_t)at);
		if (o->two_created)
			sp32(hashed, SP_CREATED, (uint32_t)(at - 1));
		if (o->expires != 0)
			sp32(hashed, SP_SIG_EXPIRES | ((o->crit & CR_EXPIRES) ? CRITICAL : 0),
			     (uint32_t)o->expires);
		if (o->key_expires != 0)
			sp32(hashed, SP_KEY_EXPIRES, (uint32_t)o->key_expires);
		if (o->kf == KF_EMPTY) {
			sp(hashed, SP_KEY_FLAGS, "", 1);
		} else if (o->kf != 0 && o->kf != KF_NONE) {
			unsigned char f = (unsigned char)o->kf;

			sp(hashed, SP_KEY_FLAGS, &f, 1);
		}
		if (o->crit & CR_KEY_FLAGS)
			sp(hashed, SP_KEY_FLAGS | CRITICAL, "\x02", 1);
		if (o->revoker != NULL) {
			unsigned char d[22];

			d[0] = 0x80;
			d[1] = (unsigned char)o->revoker->pk;
			memcpy(d + 2, o->revoker->fpr, 20);
			sp(hashed, SP_REVOKER, d, 22);
		}
		if (o->reason != 0) {
			unsigned char d[1] = {(unsigned char)(o->reason - 1)};

			sp(hashed, SP_REASON, d, 1);
		}
		if (o->crit & CR_NOTATION)
			sp_notation(hashed, CRITICAL, "critical@craft.test", "yes");
		if (o->crit & NC_NOTATION)
			sp_notation(hashed, 0, "plain@craft.test", "yes");
		if (o->crit & CR_UNKNOWN)
			sp(hashed, SP_PRIVATE | CRITICAL, "x", 1);
		if (o->crit & NC_UNKNOWN)
			sp(hashed, SP_PRIVATE, "x", 1);
		if (o->crit & CR_UNKNOWN_UNHASHED)
			sp(unhashed, SP_PRIVATE | CRITICAL, "x", 1);
		if (o->issuer == ISS_KEYID_HASHED)
			sp(hashed, SP_ISSUER, kid->keyid, 8);
		if (o->embedded != NULL)
			sp(o->embedded_hashed ? hashed : unhashed, SP_EMBEDDED, o->embedded->p, o->embedded->len);
		if (o->issuer == ISS_GPG || o->issuer == ISS_KEYID)
			sp(unhashed, SP_ISSUER, kid->keyid, 8);
		if (o->issuer == ISS_FPR_UNHASHED)
			sp_issuer_fpr(unhashed, 0, iss);
		if (hashed->len > 0xffff || unhashed->len > 0xffff)
			die("subpackets too long");
		put8(head, 4);
		put8(head, (unsigned)type);
		put8(head, (unsigned)k->pk);
		put8(head, (unsigned)h);
		put16(head, (unsigned)hashed->len);
		putb(head, hashed);
	}
	/* RFC 4880 §5.2.4: data, the hashed fields, and for version 4 a
	 * trailer 0x04 0xff with their length. */
	putb(in, data);
	putb(in, head);
	if (o->version != 3) {
		put8(in, 4);
		put8(in, 0xff);
		put32(in, (uint32_t)head->len);
	}
	n = hash_of(h, in, digest);
	value = sign_digest(k, h, digest, n);
	if (o->bad_left16)
		digest[0] ^= 0x01;
	if (o->bad_value)
		value->p[value->len - 1] ^= 0x01; /* the low bit: the MPI's length stays exact */
	if (o->version == 3) {
		put8(out, 3);
		put8(out, 5);
		putb(out, head);
		put(out, kid->keyid, 8);
		put8(out, (unsigned)k->pk);
		put8(out, (unsigned)h);
	} else {
		putb(out, head);
		put16(out, (unsigned)unhashed->len);
		putb(out, unhashed);
	}
	put(out, digest, 2);
	putb(out, value);
	return out;
}

/* ---- packets ----------------------------------------------------------------- */

/* Packet tags (RFC 4880 §4.3). */
enum {
	T_SIGNATURE = 2,
	T_ONE_PASS = 4,
	T_PUBLIC_KEY = 6,
	T_COMPRESSED = 8,
	T_MARKER = 10,
	T_LITERAL = 11,
	T_TRUST = 12,
	T_USER_ID = 13,
	T_PUBLIC_SUBKEY = 14,
	T_USER_ATTRIBUTE = 17,
	T_PRIVATE = 60,
};

/* Packet header formats (RFC 4880 §4.2). */
enum {
	F_OLD,           /* old format, the shortest length */
	F_OLD4,          /* old format, a 4-octet length */
	F_OLD_INDET,     /* old format, indeterminate length (to the end) */
	F_NEW,           /* new format, the shortest length */
	F_NEW5,          /* new format, a 5-octet length */
	F_PARTIAL,       /* new format, partial lengths: 512, 512, ..., the rest */
	F_PARTIAL_SMALL, /* new format, partial lengths of 8 octets (under 512) */
};

static void new_len(struct buf *out, size_t n)
{
	if (n < 192) {
		put8(out, (unsigned)n);
	} else if (n < 8384) {
		put8(out, (unsigned)(((n - 192) >> 8) + 192));
		put8(out, (unsigned)((n - 192) & 0xff));
	} else {
		put8(out, 255);
		put32(out, (uint32_t)n);
	}
}

static void pkt_raw(struct buf *out, unsigned tag, const unsigned char *body, size_t n, int fmt)
{
	if (tag > 15 && (fmt == F_OLD || fmt == F_OLD4 || fmt == F_OLD_INDET))
		fmt = F_NEW; /* old format has four bits for the tag */
	switch (fmt) {
	case F_OLD:
		if (n < 256) {
			put8(out, 0x80 | tag << 2);
			put8(out, (unsigned)n);
		} else if (n < 65536) {
			put8(out, 0x80 | tag << 2 | 1);
			put16(out, (unsigned)n);
		} else {
			put8(out, 0x80 | tag << 2 | 2);
			put32(out, (uint32_t)n);
		}
		break;
	case F_OLD4:
		put8(out, 0x80 | tag << 2 | 2);
		put32(out, (uint32_t)n);
		break;
	case F_OLD_INDET: put8(out, 0x80 | tag << 2 | 3); break;
	case F_NEW:
		put8(out, 0xc0 | tag);
		new_len(out, n);
		break;
	case F_NEW5:
		put8(out, 0xc0 | tag);
		put8(out, 255);
		put32(out, (uint32_t)n);
		break;
	case F_PARTIAL:
	case F_PARTIAL_SMALL: {
		unsigned shift = fmt == F_PARTIAL ? 9 : 3;
		size_t chunk = (size_t)1 << shift;

		if (fmt == F_PARTIAL && n <= chunk)
			die("partial lengths need more than %zu octets", chunk);
		put8(out, 0xc0 | tag);
		while (n > chunk) {
			put8(out, 224 + shift);
			put(out, body, chunk);
			body += chunk;
			n -= chunk;
		}
		new_len(out, n);
		break;
	}
	}
	put(out, body, n);
}

static void pkt(struct buf *out, unsigned tag, const struct buf *body, int fmt)
{
	pkt_raw(out, tag, body->p, body->len, fmt);
}

/* ---- certificates --------------------------------------------------------------- */

/* The hash input of a user ID (RFC 4880 §5.2.4): 0xb4, 4-octet length, text. */
static struct buf *hin_uid(const char *uid)
{
	struct buf *b = buf_new();

	put8(b, 0xb4);
	put32(b, (uint32_t)strlen(uid));
	puts_(b, uid);
	return b;
}

static void c_key(struct buf *out, const struct key *k)
{
	pkt(out, T_PUBLIC_KEY, k->body, F_OLD);
}

/* A user ID certification of uid on p, by `by` (0x13 unless o->type). */
static void c_uid_sig(struct buf *out, const struct key *p, const char *uid, const struct key *by, struct so o)
{
	if (o.kf == 0)
		o.kf = KF_C | KF_S;
	pkt(out, T_SIGNATURE, sign(by, ST_POSITIVE, cat(hin_key(p), hin_uid(uid)), p->created, &o), F_OLD);
}

/* A user ID packet and its self-certification. */
static void c_uid(struct buf *out, const struct key *p, const char *uid, struct so o)
{
	struct buf *u = buf_new();

	puts_(u, uid);
	pkt(out, T_USER_ID, u, F_OLD);
	c_uid_sig(out, p, uid, p, o);
}

/* A user ID revocation (0x30) of uid on p, by `by` (p for a usual one),
 * made an hour ago unless o.at says otherwise. */
static void c_uid_revoke(struct buf *out, const struct key *p, const char *uid, const struct key *by, struct so o)
{
	o.kf = o.kf ? o.kf : KF_NONE;
	o.reason = o.reason ? o.reason : 32 + 1; /* user ID no longer valid */
	pkt(out, T_SIGNATURE, sign(by, ST_CERT_REVOCATION, cat(hin_key(p), hin_uid(uid)), NOW - HOUR, &o), F_OLD);
}

/* A user attribute (a small JPEG image subpacket, RFC 4880 §5.12.1) and
 * its self-certification. */
static void c_uat(struct buf *out, const struct key *p)
{
	static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0xff, 0xd9};
	struct buf *body = buf_new(), *in = buf_new();
	struct so o = {.kf = KF_C | KF_S};

	put8(body, 1 + 16 + sizeof(jpeg)); /* subpacket length: type, header, image */
	put8(body, 1);                     /* image */
	put16(body, 0x1000);               /* header length 16, little-endian */
	put8(body, 1);                     /* header version 1 */
	put8(body, 1);                     /* JPEG */
	for (int i = 0; i < 12; i++)
		put8(body, 0);
	put(body, jpeg, sizeof(jpeg));
	pkt(out, T_USER_ATTRIBUTE, body, F_NEW);
	put8(in, 0xd1);
	put32(in, (uint32_t)body->len);
	putb(in, body);
	pkt(out, T_SIGNATURE, sign(p, ST_POSITIVE, cat(hin_key(p), in), p->created, &o), F_OLD);
}

/* A direct-key signature (0x1f) on p by p. */
static void c_direct(struct buf *out, const struct key *p, struct so o)
{
	if (o.kf == 0)
		o.kf = KF_C | KF_S;
	pkt(out, T_SIGNATURE, sign(p, ST_DIRECT, hin_key(p), p->created, &o), F_OLD);
}

/* A key revocation (0x20) of p, made by `by` (p itself for a usual one). */
static void c_revoke(struct buf *out, const struct key *p, const struct key *by, struct so o)
{
	o.kf = o.kf ? o.kf : KF_NONE;
	o.reason = o.reason ? o.reason : 0 + 1; /* no reason */
	pkt(out, T_SIGNATURE, sign(by, ST_KEY_REVOCATION, hin_key(p), NOW - HOUR, &o), F_OLD);
}

/* How a subkey binding's embedded primary-key binding signature is made. */
enum {
	BACK_UNHASHED,      /* good, in the unhashed area (as gpg makes it) */
	BACK_HASHED,        /* good, in the hashed area */
	BACK_NONE,          /* missing */
	BACK_CORRUPT,       /* its signature value damaged */
	BACK_OTHER_KEY,     /* made by another key (bk.other) */
	BACK_OTHER_PRIMARY, /* made over another primary key (bk.other) and the subkey */
	BACK_OTHER_SUBKEY,  /* made over the primary and another subkey (bk.other) */
	BACK_CLASS_18,      /* of type 0x18 instead of 0x19 */
};

struct back {
	int mode;
	const struct key *other;
	struct so o; /* how the back-signature itself is made */
};

/* The subkey binding signature (0x18) of s on p, made by `by` (p for a
 * usual one), with its back-signature. */
static void c_bind(struct buf *out, const struct key *p, const struct key *s, const struct key *by, struct so o,
                   struct back bk)
{
	const struct key *bsigner = bk.mode == BACK_OTHER_KEY ? bk.other : s;
	struct buf *bdata;

	if (o.kf == 0)
		o.kf = KF_S;
	if (bk.mode != BACK_NONE) {
		if (bk.mode == BACK_OTHER_PRIMARY)
			bdata = cat(hin_key(bk.other), hin_key(s));
		else if (bk.mode == BACK_OTHER_SUBKEY)
			bdata = cat(hin_key(p), hin_key(bk.other));
		else
			bdata = cat(hin_key(p), hin_key(s));
		bk.o.kf = KF_NONE;
		bk.o.bad_value = bk.o.bad_value || bk.mode == BACK_CORRUPT;
		o.embedded = sign(bsigner, bk.mode == BACK_CLASS_18 ? ST_SUBKEY_BINDING : ST_PRIMARY_BINDING, bdata,
		                  s->created, &bk.o);
		o.embedded_hashed = bk.mode == BACK_HASHED;
	}
	pkt(out, T_SIGNATURE, sign(by, ST_SUBKEY_BINDING, cat(hin_key(p), hin_key(s)), s->created, &o), F_OLD);
}

/* A subkey packet and its binding. */
static void c_sub(struct buf *out, const struct key *p, const struct key *s, struct so o, struct back bk)
{
	pkt(out, T_PUBLIC_SUBKEY, s->body, F_OLD);
	c_bind(out, p, s, p, o, bk);
}

/* A subkey revocation (0x28) of s on p, by `by`. */
static void c_sub_revoke(struct buf *out, const struct key *p, const struct key *s, const struct key *by, struct so o)
{
	o.kf = o.kf ? o.kf : KF_NONE;
	o.reason = o.reason ? o.reason : 0 + 1;
	pkt(out, T_SIGNATURE, sign(by, ST_SUBKEY_REVOCATION, cat(hin_key(p), hin_key(s)), NOW - HOUR, &o), F_OLD);
}

/* The usual certificate: p, one user ID certified for signing. */
static struct buf *cert(const struct key *p, const char *uid)
{
	struct buf *out = buf_new();

	c_key(out, p);
	c_uid(out, p, uid, (struct so){0});
	return out;
}

/* ---- armor (RFC 4880 §6) ------------------------------------------------------------ */

static uint32_t crc24(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xb704ceu;

	for (size_t i = 0; i < n; i++) {
		crc ^= (uint32_t)p[i] << 16;
		for (int j = 0; j < 8; j++) {
			crc <<= 1;
			if (crc & 0x1000000u)
				crc ^= 0x1864cfbu;
		}
	}
	return crc & 0xffffffu;
}

static void put_base64(struct buf *out, const unsigned char *p, size_t n, int wrap)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
		             i + 2 < n ? b64[v & 63] : '='};

		put(out, q, 4);
		col += 4;
		if (wrap && col == 64) {
			put8(out, '\n');
			col = 0;
		}
	}
	if (wrap && col != 0)
		put8(out, '\n');
}

enum { CRC_GOOD, CRC_BAD, CRC_NONE };

/* bin armored as "PGP <kind>", with a good, a wrong or no checksum. */
static struct buf *armor(const char *kind, const struct buf *bin, int crc_mode)
{
	struct buf *out = buf_new();
	uint32_t crc = crc24(bin->p, bin->len) ^ (crc_mode == CRC_BAD ? 1u : 0u);
	unsigned char c[3] = {(unsigned char)(crc >> 16), (unsigned char)(crc >> 8), (unsigned char)crc};

	puts_(out, "-----BEGIN PGP ");
	puts_(out, kind);
	puts_(out, "-----\n\n");
	put_base64(out, bin->p, bin->len, 1);
	if (crc_mode != CRC_NONE) {
		put8(out, '=');
		put_base64(out, c, 3, 0);
		put8(out, '\n');
	}
	puts_(out, "-----END PGP ");
	puts_(out, kind);
	puts_(out, "-----\n");
	return out;
}

/* ---- one case ------------------------------------------------------------------------- */

enum verdict { ALLOW = 1, DENY };

struct row;

/* The case being written. */
struct cx {
	const struct row *row;
	char dir[4096];
	char ref[300];
	struct buf *manifest;
	struct buf *payload;     /* the simple-signing payload to sign */
	struct buf *keys[8];     /* the pinned key files, in order */
	int n_keys;
	struct buf *sig;         /* the signature blob */
	const struct key *cert;  /* the signing certificate's primary key */
};

static void sha256_hex(char out[65], const void *p, size_t n)
{
	unsigned char d[32];
	unsigned int len = 0;

	if (EVP_Digest(p, n, d, &len, EVP_sha256(), NULL) != 1 || len != 32)
		die("SHA-256 failed");
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void write_file(const struct cx *cx, const char *name, const void *p, size_t n)
{
	char path[4200];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", cx->dir, name) >= (int)sizeof(path))
		die("path too long");
	if ((f = fopen(path, "wbe")) == NULL)
		die("%s: %s", path, strerror(errno));
	if ((n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
		die("%s: write failed", path);
}

static void write_line(const struct cx *cx, const char *name, const char *s)
{
	struct buf *b = buf_new();

	puts_(b, s);
	put8(b, '\n');
	write_file(cx, name, b->p, b->len);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("mkdir %s: %s", path, strerror(errno));
}

/* Pins a key file (binary packets, or armor()'s text). */
static void pin(struct cx *cx, const struct buf *bin)
{
	if (cx->n_keys == (int)(sizeof(cx->keys) / sizeof(cx->keys[0])))
		die("too many key files");
	cx->keys[cx->n_keys++] = (struct buf *)bin;
}

/* The case's manifest, reference and payload.  long_ref makes the
 * reference long enough for a literal packet of partial lengths. */
static void case_begin(struct cx *cx, const char *id, int long_ref)
{
	char layer[65], config[65], digest[65];
	struct buf *m = buf_new(), *p = buf_new();

	if (snprintf(cx->dir, sizeof(cx->dir), "%s/%s", outdir, id) >= (int)sizeof(cx->dir))
		die("path too long");
	make_dir(cx->dir);
	if (snprintf(cx->ref, sizeof(cx->ref), "example.com/diff/%s%s:latest", id,
	             long_ref ? "/a-repository-name-long-enough-to-make-the-signed-payload-more-than-five-"
	                        "hundred-and-twelve-octets-long-together-with-a-long-file-name"
	                      : "") >= (int)sizeof(cx->ref))
		die("reference too long");
	sha256_hex(layer, id, strlen(id));
	sha256_hex(config, "{}", 2);
	puts_(m, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	         "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:");
	puts_(m, config);
	puts_(m, "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
	         "\"digest\":\"sha256:");
	puts_(m, layer);
	{
		char size[32];

		snprintf(size, sizeof(size), "%zu", strlen(id));
		puts_(m, "\",\"size\":");
		puts_(m, size);
	}
	puts_(m, "}],\"annotations\":{\"org.example.pgpcraft.case\":\"");
	puts_(m, id);
	puts_(m, "\"}}");
	sha256_hex(digest, m->p, m->len);
	puts_(p, "{\"critical\":{\"identity\":{\"docker-reference\":\"");
	puts_(p, cx->ref);
	puts_(p, "\"},\"image\":{\"docker-manifest-digest\":\"sha256:");
	puts_(p, digest);
	puts_(p, "\"},\"type\":\"atomic container signature\"},\"optional\":{\"creator\":\"signet-diff\"}}");
	cx->manifest = m;
	cx->payload = p;
}

/* ---- messages -------------------------------------------------------------------------- */

/* Message layouts. */
enum {
	L_OPS,      /* one-pass signature, literal, signature (gpg's) */
	L_SIGFIRST, /* signature, literal (the older layout) */
	L_DETACHED, /* the signature alone */
	L_LITONLY,  /* the literal alone */
	L_OPS_ONLY, /* one-pass signature, literal: the signature missing */
	L_TWO_LIT,  /* one-pass signature, literal, literal, signature */
};

/* Compression: C_x - 1 is the algorithm (RFC 4880 §9.3). */
enum { C_NONE, C_ZERO, C_ZIP, C_ZLIB, C_BZIP2 };

/* How to make the signed message; zero is gpg's layout, uncompressed,
 * old-format headers, one Ed25519 signature. */
struct msg {
	enum alg alg;     /* the signer's algorithm */
	struct so sig;    /* the data signature */
	int text;         /* a text signature (0x01) */
	int layout;
	int comp;
	int nested;       /* the compressed packet inside another, of this C_* */
	int sig_fmt, ops_fmt, lit_fmt, comp_fmt; /* F_* */
	int second;       /* a second signature: 1 by another key, 2 by the same key */
	int lit_format;   /* the literal's format octet (0: 'b') */
	int long_name;    /* a 255-octet file name in the literal packet */
	int marker;       /* a marker packet first */
	const char *trailing; /* bytes after the message */
	const char *trailing_in_comp; /* bytes after the compressed stream, inside its packet */
	int ops_version;  /* the one-pass packet's fields, when not the signature's */
	int ops_type;     /* TYPE(t) */
	int ops_hash, ops_pk;
	int ops_other_key; /* names another key */
	int ops_not_last;
	int ops_extra;    /* one more one-pass packet than signatures */
	int tamper;       /* the literal data changed after signing */
	int header;       /* containers/image's "\0simple-signing\n" in front */
	int armor;        /* ASCII armor */
	int bad_crc;      /* ... with a wrong checksum (CRC_BAD) */
	int cleartext;    /* a cleartext signature */
};

static struct buf *literal_body(const struct cx *cx, const struct msg *m)
{
	struct buf *b = buf_new();

	put8(b, m->lit_format ? (unsigned)m->lit_format : 'b');
	if (m->long_name) {
		put8(b, 255);
		for (int i = 0; i < 255; i++)
			put8(b, (unsigned)('a' + i % 26));
	} else {
		put8(b, 0);
	}
	put32(b, 0);
	putb(b, cx->payload);
	if (m->tamper)
		b->p[b->len - 6] ^= 0x20; /* "signet-diff" -> "signet-dIff" */
	return b;
}

static struct buf *ops_body(const struct key *k, int type, int hash, int last, const struct msg *m,
                            const struct key *other)
{
	struct buf *b = buf_new();

	put8(b, m->ops_version ? (unsigned)m->ops_version : 3);
	put8(b, (unsigned)((m->ops_type & 0x100) ? m->ops_type & 0xff : type));
	put8(b, (unsigned)(m->ops_hash ? m->ops_hash : hash));
	put8(b, (unsigned)(m->ops_pk ? m->ops_pk : k->pk));
	put(b, (m->ops_other_key ? other : k)->keyid, 8);
	put8(b, m->ops_not_last ? 0 : (unsigned)last);
	return b;
}

/* Compresses (or stores, C_ZERO) inner as a compressed packet body. */
static struct buf *compressed_body(int comp, const struct buf *inner, const char *trailing)
{
	struct buf *b = buf_new();
	z_stream zs;
	unsigned char chunk[4096];
	int zrc;

	put8(b, (unsigned)(comp - 1));
	if (comp == C_ZERO) {
		putb(b, inner);
	} else if (comp == C_ZIP || comp == C_ZLIB) {
		memset(&zs, 0, sizeof(zs));
		if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, comp == C_ZIP ? -15 : 15, 8,
		                 Z_DEFAULT_STRATEGY) != Z_OK)
			die("deflateInit2 failed");
		zs.next_in = inner->p;
		zs.avail_in = (uInt)inner->len;
		do {
			zs.next_out = chunk;
			zs.avail_out = sizeof(chunk);
			zrc = deflate(&zs, Z_FINISH);
			if (zrc != Z_OK && zrc != Z_STREAM_END)
				die("deflate failed");
			put(b, chunk, sizeof(chunk) - zs.avail_out);
		} while (zrc != Z_STREAM_END);
		deflateEnd(&zs);
	} else {
		die("pgpcraft writes no BZip2");
	}
	if (trailing != NULL)
		puts_(b, trailing);
	return b;
}

/*
 * The signed message over the case's payload: k signs (and k2, when
 * m->second asks for a second signature), laid out as m says.
 */
static struct buf *message(const struct cx *cx, const struct key *k, const struct key *k2, const struct msg *m)
{
	int type = m->text ? ST_TEXT : ST_BINARY, hash = hash_for(k, &m->sig);
	struct buf *sig = sign(k, type, cx->payload, NOW - MINUTE, &m->sig), *sig2 = NULL;
	struct buf *inner = buf_new(), *out = buf_new(), *lit = literal_body(cx, m);
	struct so plain = {0};

	if (m->sig.type & 0x100)
		type = m->sig.type & 0xff;
	if (m->second)
		sig2 = sign(m->second == 2 ? k : k2, ST_BINARY, cx->payload, NOW - 2 * MINUTE, &plain);
	switch (m->layout) {
	case L_OPS:
	case L_OPS_ONLY:
	case L_TWO_LIT:
		if (m->ops_extra)
			pkt(inner, T_ONE_PASS, ops_body(k, type, hash, 0, m, k2), m->ops_fmt);
		if (sig2 != NULL) {
			const struct key *s2 = m->second == 2 ? k : k2;

			pkt(inner, T_ONE_PASS, ops_body(s2, ST_BINARY, hash_for(s2, &plain), 0, &(struct msg){0}, NULL),
			    m->ops_fmt);
		}
		pkt(inner, T_ONE_PASS, ops_body(k, type, hash, 1, m, k2), m->ops_fmt);
		pkt(inner, T_LITERAL, lit, m->lit_fmt);
		if (m->layout == L_TWO_LIT)
			pkt(inner, T_LITERAL, lit, m->lit_fmt);
		if (m->layout == L_OPS_ONLY)
			break;
		pkt(inner, T_SIGNATURE, sig, m->sig_fmt);
		if (sig2 != NULL)
			pkt(inner, T_SIGNATURE, sig2, m->sig_fmt);
		break;
	case L_SIGFIRST:
		if (sig2 != NULL)
			pkt(inner, T_SIGNATURE, sig2, m->sig_fmt);
		pkt(inner, T_SIGNATURE, sig, m->sig_fmt);
		pkt(inner, T_LITERAL, lit, m->lit_fmt);
		break;
	case L_DETACHED: pkt(inner, T_SIGNATURE, sig, m->sig_fmt); break;
	case L_LITONLY: pkt(inner, T_LITERAL, lit, m->lit_fmt); break;
	}
	if (m->header)
		put(out, "\0simple-signing\n", 16);
	if (m->marker)
		pkt_raw(out, T_MARKER, (const unsigned char *)"PGP", 3, F_OLD);
	if (m->nested != C_NONE) {
		struct buf *in2 = buf_new();

		pkt(in2, T_COMPRESSED, compressed_body(m->comp, inner, NULL), F_OLD);
		pkt(out, T_COMPRESSED, compressed_body(m->nested, in2, NULL), m->comp_fmt);
	} else if (m->comp != C_NONE)
		pkt(out, T_COMPRESSED, compressed_body(m->comp, inner, m->trailing_in_comp), m->comp_fmt);
	else
		putb(out, inner);
	if (m->trailing != NULL)
		puts_(out, m->trailing);
	if (m->armor)
		return armor("MESSAGE", out, m->bad_crc ? CRC_BAD : CRC_GOOD);
	return out;
}

/* A cleartext signature (RFC 4880 §7) of the payload, one line of text. */
static struct buf *cleartext(const struct cx *cx, const struct key *k, const struct msg *m)
{
	struct buf *sig = sign(k, ST_TEXT, cx->payload, NOW - MINUTE, &m->sig), *pk = buf_new(), *out = buf_new();
	struct buf *arm;

	pkt(pk, T_SIGNATURE, sig, F_OLD);
	arm = armor("SIGNATURE", pk, CRC_GOOD);
	puts_(out, "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
	putb(out, cx->payload);
	put8(out, '\n');
	putb(out, arm);
	return out;
}

/* ---- the cases ----------------------------------------------------------------------------- */

/* How a case's certificate is made, beyond the usual; zero is the usual. */
struct certo {
	enum alg palg;     /* the primary key's algorithm, when a subkey signs */
	int64_t key_at;    /* the primary key's creation, seconds from now (0: 30 days ago) */
	int64_t sub_at;    /* the subkey's (0: 29 days ago) */
	struct so uid;     /* the user ID's self-certification */
	struct so bind;    /* the subkey binding */
	struct back back;  /* its back-signature (b_sub fills in `other`) */
};

struct row {
	const char *id; /* the case is "craft-" id */
	void (*build)(struct cx *, const struct row *);
	int arg;
	const struct msg *m;
	const struct certo *c;
	enum verdict expect; /* what gpg says */
	const char *tag;     /* docs/differences.md's row when signet refuses what gpg allows */
	const char *skip;    /* why skopeo is not compared */
	const char *note;
};

#define M(...) (&(const struct msg){__VA_ARGS__})
#define C(...) (&(const struct certo){__VA_ARGS__})

static const struct msg plain_msg;
static const struct certo plain_cert;

static const char UID[] = "Craft Signer <signer@craft.test>";
static const char UID2[] = "Craft Other <other@craft.test>";

static int64_t or_default(int64_t v, int64_t dflt)
{
	return v != 0 ? v : dflt;
}

/* A key of the usual age: created 30 days ago. */
static struct key *std_key(enum alg a, int i)
{
	return key_new(a, i, NOW - 30 * DAY);
}

/* The case's key k signs the message m; its certificate is cx->cert. */
static void sign_message(struct cx *cx, const struct key *k, const struct key *k2, const struct msg *m)
{
	cx->sig = m->cleartext ? cleartext(cx, k, m) : message(cx, k, k2, m);
}

/*
 * The primary key signs: one certificate (m->alg, created c->key_at,
 * its user ID certified as c->uid says), the message as m says.  A second
 * signer (m->second == 1) is pinned in the same file.
 */
static void b_msg(struct cx *cx, const struct row *r)
{
	const struct msg *m = r->m;
	const struct certo *c = r->c;
	struct key *k = key_new(m->alg, 0, NOW + or_default(c->key_at, -30 * DAY)), *k2 = NULL;
	struct buf *file = buf_new();

	c_key(file, k);
	c_uid(file, k, UID, c->uid);
	if (m->second == 1) {
		k2 = std_key(m->alg == ED25519 ? RSA2048 : ED25519, 1);
		putb(file, cert(k2, UID2));
	} else if (m->ops_other_key) {
		k2 = std_key(ED25519, 2); /* named by the one-pass packet, not pinned */
	}
	pin(cx, file);
	cx->cert = k;
	sign_message(cx, k, k2, m);
}

/*
 * A signing subkey signs (arg 1: the primary key does): a primary key
 * (c->palg, certify only unless c->uid.kf says otherwise) and a subkey
 * (m->alg) bound as c->bind and c->back say.
 */
static void b_sub(struct cx *cx, const struct row *r)
{
	const struct msg *m = r->m;
	const struct certo *c = r->c;
	struct key *p = key_new(c->palg, 0, NOW + or_default(c->key_at, -30 * DAY));
	struct key *s = key_new(m->alg, m->alg == c->palg ? 1 : 0, NOW + or_default(c->sub_at, -29 * DAY));
	struct buf *file = buf_new();
	struct so uid = c->uid;
	struct back bk = c->back;

	if (uid.kf == 0)
		uid.kf = KF_C;
	bk.other = bk.mode == BACK_OTHER_SUBKEY ? key_new(ED25519, 3, NOW - 29 * DAY) : std_key(ED25519, 2);
	c_key(file, p);
	c_uid(file, p, UID, uid);
	c_sub(file, p, s, c->bind, bk);
	pin(cx, file);
	cx->cert = p;
	sign_message(cx, r->arg == 1 ? p : s, NULL, m);
}

/*
 * bin (packets with old-format definite lengths, as the c_* builders
 * write them) with the headers rewritten in fmt: every packet's
 * (which < 0) or only packet number which's.
 */
static struct buf *reframe(const struct buf *bin, int fmt, int which)
{
	struct buf *out = buf_new();
	size_t off = 0;

	for (int i = 0; off < bin->len; i++) {
		unsigned b = bin->p[off], tag, lt = b & 3;
		size_t n = 0, hl = (size_t)1 + (lt == 0 ? 1 : lt == 1 ? 2 : 4);

		if ((b & 0xc0) != 0x80 || lt == 3)
			die("reframe: not an old-format definite packet at %zu", off);
		tag = (b >> 2) & 15;
		for (size_t j = 1; j < hl; j++)
			n = n << 8 | bin->p[off + j];
		pkt_raw(out, tag, bin->p + off + hl, n, which < 0 || which == i ? fmt : F_OLD);
		off += hl + n;
	}
	return out;
}

/* User IDs: revoked, several, recertified, with a user attribute. */
static void b_uid(struct cx *cx, const struct row *r)
{
	struct key *k = std_key(r->m->alg, 0), *o = std_key(ED25519, 2);
	struct buf *f = buf_new();

	c_key(f, k);
	switch (r->arg) {
	case 0: /* the only user ID revoked */
		c_uid(f, k, UID, r->c->uid);
		c_uid_revoke(f, k, UID, k, (struct so){0});
		break;
	case 1: /* the first revoked, the second valid */
		c_uid(f, k, UID, (struct so){0});
		c_uid_revoke(f, k, UID, k, (struct so){0});
		c_uid(f, k, UID2, (struct so){0});
		break;
	case 2: /* revoked two hours ago, certified again an hour ago */
		c_uid(f, k, UID, (struct so){0});
		c_uid_revoke(f, k, UID, k, (struct so){.at = -2 * HOUR});
		c_uid_sig(f, k, UID, k, (struct so){.at = -HOUR});
		break;
	case 3: /* "revoked" by another key */
		c_uid(f, k, UID, (struct so){0});
		c_uid_revoke(f, k, UID, o, (struct so){0});
		break;
	case 4: /* no user ID */ break;
	case 5: /* the first user ID's self-signature set an expiry that passed; the second's (newer) none */
		c_uid(f, k, UID, (struct so){.key_expires = DAY});
		c_uid(f, k, UID2, (struct so){.at = -DAY});
		break;
	case 6: /* the first (newer) allows signing, the second (older) certifying only */
		c_uid(f, k, UID, (struct so){.at = -DAY});
		c_uid(f, k, UID2, (struct so){.kf = KF_C});
		break;
	case 7: /* the first's self-signature has an unknown critical subpacket, the second is fine */
		c_uid(f, k, UID, (struct so){.crit = CR_UNKNOWN});
		c_uid(f, k, UID2, (struct so){0});
		break;
	case 8: /* a revocation older than the self-signature */
		c_uid(f, k, UID, (struct so){.at = -DAY});
		c_uid_revoke(f, k, UID, k, (struct so){.at = -2 * DAY});
		break;
	case 9: /* a user attribute after the user ID */
		c_uid(f, k, UID, (struct so){0});
		c_uat(f, k);
		break;
	case 10: /* the self-signature is a generic certification (0x10) */
		c_uid(f, k, UID, (struct so){.type = TYPE(0x10)});
		break;
	case 11: /* the user ID certified by another key only */
		{
			struct buf *u = buf_new();

			puts_(u, UID);
			pkt(f, T_USER_ID, u, F_OLD);
			c_uid_sig(f, k, UID, o, (struct so){0});
		}
		break;
	case 12: /* the user ID is revoked, a user attribute is not */
		c_uid(f, k, UID, (struct so){0});
		c_uid_revoke(f, k, UID, k, (struct so){0});
		c_uat(f, k);
		break;
	default: die("b_uid: %d", r->arg);
	}
	pin(cx, f);
	cx->cert = k;
	sign_message(cx, k, NULL, r->m);
}

/* Direct-key signatures (0x1f) before the user ID. */
static void b_direct(struct cx *cx, const struct row *r)
{
	struct key *k = std_key(ED25519, 0), *o = std_key(ED25519, 2);
	struct buf *f = buf_new();

	c_key(f, k);
	switch (r->arg) {
	case 0: c_direct(f, k, (struct so){0}); break;                       /* sign and certify */
	case 1: c_direct(f, k, (struct so){.key_expires = DAY}); break;      /* an expiry that passed */
	case 2: c_direct(f, k, (struct so){0}); break;                       /* user ID: no key flags */
	case 3: c_direct(f, k, (struct so){.kf = KF_NONE, .revoker = o}); break; /* a designated revoker */
	case 4: c_direct(f, k, (struct so){.kf = KF_C}); break;              /* certify only */
	case 5: c_direct(f, k, (struct so){.crit = CR_UNKNOWN}); break;      /* unknown critical subpacket */
	case 6: c_direct(f, k, (struct so){.key_expires = 10 * YEAR}); break; /* expires later */
	case 7: c_direct(f, k, (struct so){.kf = KF_NONE, .key_expires = DAY}); break; /* no flags, expired */
	case 8: c_direct(f, k, (struct so){0}); break;                       /* and no user ID at all */
	default: die("b_direct: %d", r->arg);
	}
	if (r->arg != 8)
		c_uid(f, k, UID, (struct so){.kf = r->arg == 2 ? KF_NONE : 0});
	pin(cx, f);
	cx->cert = k;
	sign_message(cx, k, NULL, r->m);
}

/* Key revocations (0x20) of the signing key (r->m->alg). */
static void b_rev(struct cx *cx, const struct row *r)
{
	struct key *k = std_key(r->m->alg, 0), *o = std_key(ED25519, 2);
	struct buf *f = buf_new();

	c_key(f, k);
	switch (r->arg) {
	case 0: c_revoke(f, k, k, (struct so){0}); break;
	case 1: c_revoke(f, k, k, (struct so){.hash = H_SHA1}); break;
	case 2: c_revoke(f, k, k, (struct so){.bad_value = 1}); break;
	case 3: c_revoke(f, k, o, (struct so){0}); break; /* by a key it did not designate */
	case 4:                                           /* by its designated revoker, pinned */
	case 5:                                           /* ... not pinned */
		c_direct(f, k, (struct so){.kf = KF_NONE, .revoker = o});
		c_revoke(f, k, o, (struct so){0});
		break;
	case 6: c_revoke(f, k, k, (struct so){.at = DAY}); break;       /* dated tomorrow */
	case 7: c_revoke(f, k, k, (struct so){.reason = 1 + 1}); break; /* superseded */
	case 8: c_revoke(f, k, k, (struct so){.at = -20 * DAY}); break; /* long before the signature */
	case 9: c_revoke(f, k, k, (struct so){.issuer = ISS_NONE}); break;
	case 10: break; /* after the user ID, below */
	case 11: c_revoke(f, k, k, (struct so){.reason = 3 + 1}); break; /* retired */
	case 12: c_revoke(f, k, k, (struct so){.hash = H_SHA224}); break;
	default: die("b_rev: %d", r->arg);
	}
	c_uid(f, k, UID, (struct so){0});
	if (r->arg == 10)
		c_revoke(f, k, k, (struct so){0});
	pin(cx, f);
	if (r->arg == 4)
		pin(cx, cert(o, UID2));
	cx->cert = k;
	sign_message(cx, k, NULL, r->m);
}

/* Signing subkeys: revocations, several bindings, several subkeys. */
static void b_subvar(struct cx *cx, const struct row *r)
{
	struct key *p = std_key(ED25519, 0), *o = std_key(ED25519, 2);
	struct key *s = key_new(ED25519, 1, NOW - 29 * DAY), *s2 = key_new(ED25519, 3, NOW - 28 * DAY);
	struct buf *f = buf_new();
	struct msg m = *r->m;
	const struct back good = {0}, none = {.mode = BACK_NONE};

	c_key(f, p);
	if (r->arg == 4)
		c_revoke(f, p, p, (struct so){0});
	c_uid(f, p, UID, (struct so){.kf = KF_C});
	switch (r->arg) {
	case 0: /* revoked */
	case 4: /* the primary key revoked */
		c_sub(f, p, s, (struct so){0}, good);
		if (r->arg == 0)
			c_sub_revoke(f, p, s, p, (struct so){0});
		break;
	case 1: /* another subkey revoked */
		c_sub(f, p, s, (struct so){0}, good);
		c_sub(f, p, s2, (struct so){0}, good);
		c_sub_revoke(f, p, s2, p, (struct so){0});
		break;
	case 2: /* "revoked" by another key */
		c_sub(f, p, s, (struct so){0}, good);
		c_sub_revoke(f, p, s, o, (struct so){0});
		break;
	case 3: /* a revocation whose signature is damaged */
		c_sub(f, p, s, (struct so){0}, good);
		c_sub_revoke(f, p, s, p, (struct so){.bad_value = 1});
		break;
	case 5: /* a newer binding for encryption only */
		c_sub(f, p, s, (struct so){0}, good);
		c_bind(f, p, s, p, (struct so){.at = -2 * DAY, .kf = KF_E}, none);
		break;
	case 6: /* a newer binding whose expiry has passed */
		c_sub(f, p, s, (struct so){0}, good);
		c_bind(f, p, s, p, (struct so){.at = -2 * DAY, .key_expires = DAY}, good);
		break;
	case 7: /* expired by its first binding, extended by a newer one */
		c_sub(f, p, s, (struct so){.key_expires = DAY}, good);
		c_bind(f, p, s, p, (struct so){.at = -2 * DAY}, good);
		break;
	case 8: /* two signing subkeys, the second signs */
		c_sub(f, p, s2, (struct so){0}, good);
		c_sub(f, p, s, (struct so){0}, good);
		break;
	case 9: /* the data signature names the primary key, the subkey made it */
		c_sub(f, p, s, (struct so){0}, good);
		m.sig.iss_as = p;
		break;
	case 10: /* the binding made by another key */
		pkt(f, T_PUBLIC_SUBKEY, s->body, F_OLD);
		c_bind(f, p, s, o, (struct so){0}, good);
		break;
	case 11: /* a newer binding without a back-signature */
		c_sub(f, p, s, (struct so){0}, good);
		c_bind(f, p, s, p, (struct so){.at = -2 * DAY}, none);
		break;
	case 12: /* an older binding without a back-signature, a newer one with */
		c_sub(f, p, s, (struct so){0}, none);
		c_bind(f, p, s, p, (struct so){.at = -2 * DAY}, good);
		break;
	case 13: /* revoked by a SHA-1 revocation */
		c_sub(f, p, s, (struct so){0}, good);
		c_sub_revoke(f, p, s, p, (struct so){.hash = H_SHA1});
		break;
	default: die("b_subvar: %d", r->arg);
	}
	pin(cx, f);
	cx->cert = p;
	sign_message(cx, s, NULL, &m);
}

/* Key files: armor, several certificates, odd packets and framing. */
static void b_keys(struct cx *cx, const struct row *r)
{
	struct key *k = std_key(ED25519, 0), *o = std_key(RSA2048, 1);
	struct buf *base = cert(k, UID), *other = cert(o, UID2), *f = buf_new();

	switch (r->arg) {
	case 0: pin(cx, armor("PUBLIC KEY BLOCK", base, CRC_GOOD)); break;
	case 1: pin(cx, armor("PUBLIC KEY BLOCK", base, CRC_BAD)); break;
	case 2: pin(cx, armor("PUBLIC KEY BLOCK", base, CRC_NONE)); break;
	case 3: /* two armor blocks in one file, the signer's second */
		putb(f, armor("PUBLIC KEY BLOCK", other, CRC_GOOD));
		putb(f, armor("PUBLIC KEY BLOCK", base, CRC_GOOD));
		pin(cx, f);
		break;
	case 4: pin(cx, cat(other, base)); break; /* two certificates in one binary file */
	case 5: /* two files, the signer's second */
		pin(cx, other);
		pin(cx, base);
		break;
	case 6: pin(cx, other); break; /* only another key */
	case 7: /* a private-use packet (tag 60) after the self-signature */
		putb(f, base);
		pkt_raw(f, T_PRIVATE, (const unsigned char *)"craft", 5, F_NEW);
		pin(cx, f);
		break;
	case 8: /* a trust packet after the self-signature, as in a keyring */
		putb(f, base);
		pkt_raw(f, T_TRUST, (const unsigned char *)"\x00\x00", 2, F_OLD);
		pin(cx, f);
		break;
	case 9: pin(cx, reframe(base, F_NEW, -1)); break;  /* new-format headers */
	case 10: pin(cx, reframe(base, F_OLD4, -1)); break; /* 4-octet old-format lengths */
	case 11: pin(cx, reframe(base, F_NEW5, -1)); break; /* 5-octet new-format lengths */
	case 12: pin(cx, reframe(base, F_OLD_INDET, 2)); break; /* the self-signature of indeterminate length */
	case 13: pin(cx, reframe(base, F_PARTIAL_SMALL, 0)); break; /* the key packet in partial lengths */
	case 14: /* the armored file with a comment header and CRLF line ends */
		{
			struct buf *a = armor("PUBLIC KEY BLOCK", base, CRC_GOOD);

			for (size_t i = 0; i < a->len; i++) {
				if (a->p[i] == '\n')
					put8(f, '\r');
				put8(f, a->p[i]);
				if (i == 36) /* after the BEGIN line */
					puts_(f, "Comment: made by pgpcraft\r\n");
			}
			pin(cx, f);
		}
		break;
	case 15: /* two files: the signer's, then the same again armored */
		pin(cx, base);
		pin(cx, armor("PUBLIC KEY BLOCK", base, CRC_GOOD));
		break;
	default: die("b_keys: %d", r->arg);
	}
	cx->cert = k;
	sign_message(cx, k, NULL, r->m);
}

/* The same certificate pinned in two files, the second adding to it. */
static void b_merge(struct cx *cx, const struct row *r)
{
	struct key *k = std_key(ED25519, 0), *o = std_key(ED25519, 2);
	struct key *s = key_new(ED25519, 1, NOW - 29 * DAY);
	struct buf *f1 = buf_new(), *f2 = buf_new();
	const struct key *signer = k;
	const struct back good = {0};

	c_key(f1, k);
	c_key(f2, k);
	switch (r->arg) {
	case 0: /* the second adds a key revocation */
		c_uid(f1, k, UID, (struct so){0});
		c_revoke(f2, k, k, (struct so){0});
		break;
	case 1: /* the first carries the revocation */
		c_revoke(f1, k, k, (struct so){0});
		c_uid(f1, k, UID, (struct so){0});
		c_uid(f2, k, UID, (struct so){0});
		break;
	case 2: /* the second adds a newer self-signature whose expiry has passed */
	case 13: /* ... in the first file */
		c_uid(r->arg == 2 ? f1 : f2, k, UID, (struct so){0});
		c_uid(r->arg == 2 ? f2 : f1, k, UID, (struct so){.at = -HOUR, .key_expires = DAY});
		break;
	case 3: /* the second adds a newer self-signature for certifying only */
		c_uid(f1, k, UID, (struct so){0});
		c_uid(f2, k, UID, (struct so){.at = -HOUR, .kf = KF_C});
		break;
	case 4: /* the second adds a subkey revocation; the subkey signs */
		c_uid(f1, k, UID, (struct so){.kf = KF_C});
		c_sub(f1, k, s, (struct so){0}, good);
		pkt(f2, T_PUBLIC_SUBKEY, s->body, F_OLD);
		c_sub_revoke(f2, k, s, k, (struct so){0});
		signer = s;
		break;
	case 5: /* the user ID in the first, the signing subkey in the second */
		c_uid(f1, k, UID, (struct so){.kf = KF_C});
		c_sub(f2, k, s, (struct so){0}, good);
		signer = s;
		break;
	case 6: /* the same file twice */
		c_uid(f1, k, UID, (struct so){0});
		c_uid(f2, k, UID, (struct so){0});
		break;
	case 7: /* the second revokes the only user ID */
		c_uid(f1, k, UID, (struct so){0});
		{
			struct buf *u = buf_new();

			puts_(u, UID);
			pkt(f2, T_USER_ID, u, F_OLD);
			c_uid_revoke(f2, k, UID, k, (struct so){0});
		}
		break;
	case 8: /* the second adds a user ID */
		c_uid(f1, k, UID, (struct so){0});
		c_uid(f2, k, UID2, (struct so){0});
		break;
	case 9: /* signed 25 days ago; then the first self-signature expired; the second, newer, extends */
	case 10: /* ... the second file alone */
		c_uid(f1, k, UID, (struct so){.key_expires = 10 * DAY});
		c_uid(f2, k, UID, (struct so){.at = -HOUR});
		break;
	case 11: /* the second holds another key's revocation */
		c_uid(f1, k, UID, (struct so){0});
		f2 = buf_new();
		c_key(f2, o);
		c_revoke(f2, o, o, (struct so){0});
		c_uid(f2, o, UID2, (struct so){0});
		break;
	case 12: /* the second adds a newer subkey binding whose expiry has passed */
		c_uid(f1, k, UID, (struct so){.kf = KF_C});
		c_sub(f1, k, s, (struct so){0}, good);
		pkt(f2, T_PUBLIC_SUBKEY, s->body, F_OLD);
		c_bind(f2, k, s, k, (struct so){.at = -HOUR, .key_expires = DAY}, good);
		signer = s;
		break;
	default: die("b_merge: %d", r->arg);
	}
	if (r->arg != 10)
		pin(cx, f1);
	pin(cx, f2);
	cx->cert = k;
	sign_message(cx, signer, NULL, r->m);
}

/* The data signature names another key, or disagrees with itself. */
static void b_iss(struct cx *cx, const struct row *r)
{
	struct key *k = std_key(ED25519, 0), *o = std_key(ED25519, 2), *u = std_key(ED25519, 3);
	struct buf *f = cert(k, UID);
	struct msg m = *r->m;

	putb(f, cert(o, UID2));
	switch (r->arg) {
	case 0: m.sig.iss_as = o; break;      /* another pinned key */
	case 1: m.sig.iss_as = u; break;      /* a key that is not pinned */
	case 2: m.sig.keyid_as = o; break;    /* fingerprint: the signer; key id: another */
	case 3:                               /* key id: the signer; fingerprint: another */
		m.sig.iss_as = o;
		m.sig.keyid_as = k;
		break;
	case 4: /* only a key id, another key's */
		m.sig.issuer = ISS_KEYID;
		m.sig.iss_as = o;
		break;
	default: die("b_iss: %d", r->arg);
	}
	pin(cx, f);
	cx->cert = k;
	sign_message(cx, k, NULL, &m);
}

/* ---- the table ------------------------------------------------------------------------------- */

#define SUBKEY "signed by a subkey: skopeo counts primary fingerprints only"

static const struct row cases[] = {
	/* ---- every key algorithm, the primary key signing ---- */
	{"algo-rsa768", b_msg, 0, M(.alg = RSA768), NULL, ALLOW, "pgp-rsa-small", NULL, "an RSA-768 primary key signs"},
	{"algo-rsa1024", b_msg, 0, M(.alg = RSA1024), NULL, ALLOW, NULL, NULL, "an RSA-1024 primary key signs"},
	{"algo-rsa2048", b_msg, 0, M(.alg = RSA2048), NULL, ALLOW, NULL, NULL, "an RSA-2048 primary key signs"},
	{"algo-rsa3072", b_msg, 0, M(.alg = RSA3072), NULL, ALLOW, NULL, NULL, "an RSA-3072 primary key signs"},
	{"algo-rsa4096", b_msg, 0, M(.alg = RSA4096), NULL, ALLOW, NULL, NULL, "an RSA-4096 primary key signs"},
	{"algo-p256", b_msg, 0, M(.alg = P256), NULL, ALLOW, NULL, NULL, "an ECDSA P-256 primary key signs (SHA-256)"},
	{"algo-p384", b_msg, 0, M(.alg = P384), NULL, ALLOW, NULL, NULL, "an ECDSA P-384 primary key signs (SHA-384)"},
	{"algo-p521", b_msg, 0, M(.alg = P521), NULL, ALLOW, NULL, NULL, "an ECDSA P-521 primary key signs (SHA-512)"},
	{"algo-ed25519", b_msg, 0, M(.alg = ED25519), NULL, ALLOW, NULL, NULL, "an Ed25519 (legacy EdDSA) primary key signs"},
	{"algo-dsa2048", b_msg, 0, M(.alg = DSA2048), NULL, ALLOW, "pgp-algo-unsupported", NULL,
	 "a DSA-2048 primary key signs (SHA-256, q of 256 bits)"},

	/* ---- every key algorithm as a signing subkey (Ed25519 primary, certify only) ---- */
	{"sub-rsa1024", b_sub, 0, M(.alg = RSA1024), NULL, ALLOW, NULL, SUBKEY, "an RSA-1024 signing subkey"},
	{"sub-rsa2048", b_sub, 0, M(.alg = RSA2048), NULL, ALLOW, NULL, SUBKEY, "an RSA-2048 signing subkey"},
	{"sub-rsa3072", b_sub, 0, M(.alg = RSA3072), NULL, ALLOW, NULL, SUBKEY, "an RSA-3072 signing subkey"},
	{"sub-rsa4096", b_sub, 0, M(.alg = RSA4096), NULL, ALLOW, NULL, SUBKEY, "an RSA-4096 signing subkey"},
	{"sub-rsa768", b_sub, 0, M(.alg = RSA768), NULL, ALLOW, "pgp-rsa-small", SUBKEY, "an RSA-768 signing subkey"},
	{"sub-p256", b_sub, 0, M(.alg = P256), NULL, ALLOW, NULL, SUBKEY, "an ECDSA P-256 signing subkey"},
	{"sub-p384", b_sub, 0, M(.alg = P384), NULL, ALLOW, NULL, SUBKEY, "an ECDSA P-384 signing subkey"},
	{"sub-p521", b_sub, 0, M(.alg = P521), NULL, ALLOW, NULL, SUBKEY, "an ECDSA P-521 signing subkey"},
	{"sub-ed25519", b_sub, 0, M(.alg = ED25519), NULL, ALLOW, NULL, SUBKEY, "an Ed25519 signing subkey"},
	{"sub-dsa2048", b_sub, 0, M(.alg = DSA2048), NULL, ALLOW, "pgp-algo-unsupported", SUBKEY, "a DSA-2048 signing subkey"},
	{"sub-under-rsa3072", b_sub, 0, M(.alg = ED25519), C(.palg = RSA3072), ALLOW, NULL, SUBKEY,
	 "an Ed25519 signing subkey of an RSA-3072 primary key"},
	{"sub-under-p521", b_sub, 0, M(.alg = P256), C(.palg = P521), ALLOW, NULL, SUBKEY,
	 "an ECDSA P-256 signing subkey of an ECDSA P-521 primary key"},
	{"sub-under-dsa", b_sub, 0, M(.alg = ED25519), C(.palg = DSA2048), ALLOW, "pgp-algo-unsupported", SUBKEY,
	 "an Ed25519 signing subkey of a DSA primary key (signet checks no DSA self-signature)"},
	{"sub-under-rsa768", b_sub, 0, M(.alg = ED25519), C(.palg = RSA768), ALLOW, "pgp-rsa-small", SUBKEY,
	 "an Ed25519 signing subkey of an RSA-768 primary key"},

	/* ---- hashes of the data signature ---- */
	{"hash-md5", b_msg, 0, M(.alg = RSA2048, .sig = {.hash = H_MD5}), NULL, DENY, NULL, NULL, "RSA-2048, MD5"},
	{"hash-sha1", b_msg, 0, M(.alg = RSA2048, .sig = {.hash = H_SHA1}), NULL, ALLOW, "pgp-sha1-data", NULL, "RSA-2048, SHA-1"},
	{"hash-ripemd160", b_msg, 0, M(.alg = RSA2048, .sig = {.hash = H_RIPEMD160}), NULL, ALLOW, "pgp-sha1-data", NULL,
	 "RSA-2048, RIPEMD-160"},
	{"hash-sha224", b_msg, 0, M(.alg = RSA2048, .sig = {.hash = H_SHA224}), NULL, ALLOW, NULL, NULL, "RSA-2048, SHA-224"},
	{"hash-sha256", b_msg, 0, M(.alg = RSA2048, .sig = {.hash = H_SHA256}), NULL, ALLOW, NULL, NULL, "RSA-2048, SHA-256"},
	{"hash-sha384", b_msg, 0, M(.alg = RSA2048, .sig = {.hash = H_SHA384}), NULL, ALLOW, NULL, NULL, "RSA-2048, SHA-384"},
	{"hash-sha512", b_msg, 0, M(.alg = RSA2048, .sig = {.hash = H_SHA512}), NULL, ALLOW, NULL, NULL, "RSA-2048, SHA-512"},
	{"hash-p256-sha224", b_msg, 0, M(.alg = P256, .sig = {.hash = H_SHA224}), NULL, DENY, NULL, NULL,
	 "ECDSA P-256 with SHA-224, shorter than the curve (gpg refuses a hash shorter than the curve)"},
	{"hash-p256-sha512", b_msg, 0, M(.alg = P256, .sig = {.hash = H_SHA512}), NULL, ALLOW, NULL, NULL, "ECDSA P-256 with SHA-512"},
	{"hash-p256-sha1", b_msg, 0, M(.alg = P256, .sig = {.hash = H_SHA1}), NULL, DENY, NULL, NULL, "ECDSA P-256 with SHA-1 (gpg refuses a hash shorter than the curve)"},
	{"hash-p384-sha256", b_msg, 0, M(.alg = P384, .sig = {.hash = H_SHA256}), NULL, DENY, NULL, NULL,
	 "ECDSA P-384 with SHA-256, shorter than the curve (gpg refuses a hash shorter than the curve)"},
	{"hash-p384-sha512", b_msg, 0, M(.alg = P384, .sig = {.hash = H_SHA512}), NULL, ALLOW, NULL, NULL, "ECDSA P-384 with SHA-512"},
	{"hash-p521-sha384", b_msg, 0, M(.alg = P521, .sig = {.hash = H_SHA384}), NULL, DENY, NULL, NULL,
	 "ECDSA P-521 with SHA-384 (gpg refuses a hash shorter than the curve)"},
	{"hash-p521-sha256", b_msg, 0, M(.alg = P521, .sig = {.hash = H_SHA256}), NULL, DENY, NULL, NULL,
	 "ECDSA P-521 with SHA-256 (gpg refuses a hash shorter than the curve)"},
	{"hash-ed25519-sha224", b_msg, 0, M(.sig = {.hash = H_SHA224}), NULL, ALLOW, "pgp-eddsa-short-hash", NULL,
	 "Ed25519 with SHA-224 (under 256 bits)"},
	{"hash-ed25519-sha384", b_msg, 0, M(.sig = {.hash = H_SHA384}), NULL, ALLOW, NULL, NULL, "Ed25519 with SHA-384"},
	{"hash-ed25519-sha512", b_msg, 0, M(.sig = {.hash = H_SHA512}), NULL, ALLOW, NULL, NULL, "Ed25519 with SHA-512"},
	{"hash-ed25519-sha1", b_msg, 0, M(.sig = {.hash = H_SHA1}), NULL, ALLOW, "pgp-sha1-data", NULL, "Ed25519 with SHA-1"},
	{"hash-dsa-sha1", b_msg, 0, M(.alg = DSA2048, .sig = {.hash = H_SHA1}), NULL, DENY, NULL, NULL,
	 "DSA-2048 with SHA-1 (truncation the other way) (gpg refuses a hash shorter than q)"},

	/* ---- message layouts and compression ---- */
	{"msg-ops", b_msg, 0, M(.layout = L_OPS), NULL, ALLOW, NULL, NULL, "one-pass, literal, signature; old-format headers"},
	{"msg-sigfirst", b_msg, 0, M(.layout = L_SIGFIRST), NULL, ALLOW, NULL, NULL, "signature, then literal (no one-pass packet)"},
	{"msg-zip", b_msg, 0, M(.comp = C_ZIP), NULL, ALLOW, NULL, NULL, "ZIP (raw deflate) compressed one-pass layout"},
	{"msg-zlib", b_msg, 0, M(.comp = C_ZLIB), NULL, ALLOW, NULL, NULL, "ZLIB compressed one-pass layout"},
	{"msg-stored", b_msg, 0, M(.comp = C_ZERO), NULL, ALLOW, NULL, NULL, "a compressed packet of algorithm 0 (uncompressed)"},
	{"msg-sigfirst-zip", b_msg, 0, M(.layout = L_SIGFIRST, .comp = C_ZIP), NULL, ALLOW, NULL, NULL,
	 "signature-first layout, ZIP compressed"},
	{"msg-sigfirst-zlib", b_msg, 0, M(.layout = L_SIGFIRST, .comp = C_ZLIB), NULL, ALLOW, NULL, NULL,
	 "signature-first layout, ZLIB compressed"},
	{"msg-sigfirst-stored", b_msg, 0, M(.layout = L_SIGFIRST, .comp = C_ZERO), NULL, ALLOW, NULL, NULL,
	 "signature-first layout in a compressed packet of algorithm 0"},
	{"msg-zlib-indet", b_msg, 0, M(.comp = C_ZLIB, .comp_fmt = F_OLD_INDET), NULL, ALLOW, NULL, NULL,
	 "ZLIB packet of indeterminate length (as gpg writes it)"},
	{"msg-zip-indet", b_msg, 0, M(.comp = C_ZIP, .comp_fmt = F_OLD_INDET), NULL, ALLOW, NULL, NULL,
	 "ZIP packet of indeterminate length"},
	{"msg-zlib-partial", b_msg, 0, M(.alg = RSA4096, .comp = C_ZLIB, .comp_fmt = F_PARTIAL), NULL, ALLOW, NULL, NULL,
	 "ZLIB packet in partial body lengths (RSA-4096: over 512 octets)"},
	{"msg-stored-partial", b_msg, 0, M(.alg = RSA4096, .comp = C_ZERO, .comp_fmt = F_PARTIAL), NULL, ALLOW, NULL, NULL,
	 "algorithm-0 compressed packet in partial body lengths"},
	{"msg-new-format", b_msg, 0, M(.ops_fmt = F_NEW, .lit_fmt = F_NEW, .sig_fmt = F_NEW), NULL, ALLOW, NULL, NULL,
	 "every packet with a new-format header"},
	{"msg-new-format-zlib", b_msg, 0, M(.comp = C_ZLIB, .comp_fmt = F_NEW, .ops_fmt = F_NEW, .lit_fmt = F_NEW, .sig_fmt = F_NEW),
	 NULL, ALLOW, NULL, NULL, "new-format headers inside and outside a ZLIB packet"},
	{"msg-old4", b_msg, 0, M(.ops_fmt = F_OLD4, .lit_fmt = F_OLD4, .sig_fmt = F_OLD4), NULL, ALLOW, NULL, NULL,
	 "old-format headers with 4-octet lengths"},
	{"msg-new5", b_msg, 0, M(.ops_fmt = F_NEW5, .lit_fmt = F_NEW5, .sig_fmt = F_NEW5), NULL, ALLOW, NULL, NULL,
	 "new-format headers with 5-octet lengths"},
	{"msg-lit-indet", b_msg, 0, M(.layout = L_SIGFIRST, .lit_fmt = F_OLD_INDET), NULL, ALLOW, NULL, NULL,
	 "signature first, the literal of indeterminate length last"},
	{"msg-lit-indet-zlib", b_msg, 0, M(.layout = L_SIGFIRST, .lit_fmt = F_OLD_INDET, .comp = C_ZLIB), NULL, ALLOW, NULL, NULL,
	 "signature first, literal of indeterminate length, inside ZLIB"},
	{"msg-lit-partial", b_msg, 0, M(.lit_fmt = F_PARTIAL, .long_name = 1), NULL, ALLOW, NULL, NULL,
	 "the literal in partial body lengths (512, then the rest)"},
	{"msg-lit-partial-zip", b_msg, 0, M(.lit_fmt = F_PARTIAL, .long_name = 1, .comp = C_ZIP), NULL, ALLOW, NULL, NULL,
	 "the literal in partial body lengths, inside ZIP"},
	{"msg-lit-partial-sigfirst", b_msg, 0, M(.layout = L_SIGFIRST, .lit_fmt = F_PARTIAL, .long_name = 1), NULL, ALLOW,
	 NULL, NULL, "signature first, the literal in partial body lengths"},
	{"msg-sig-indet", b_msg, 0, M(.sig_fmt = F_OLD_INDET), NULL, DENY, NULL, NULL,
	 "the signature packet of old-format indeterminate length, bare"},
	{"msg-sig-indet-zlib", b_msg, 0, M(.sig_fmt = F_OLD_INDET, .comp = C_ZLIB), NULL, DENY, NULL, NULL,
	 "the signature packet of indeterminate length inside ZLIB"},
	{"msg-sig-indet-zip", b_msg, 0, M(.sig_fmt = F_OLD_INDET, .comp = C_ZIP), NULL, DENY, NULL, NULL,
	 "the signature packet of indeterminate length inside ZIP"},
	{"msg-sig-indet-zlib-indet", b_msg, 0, M(.sig_fmt = F_OLD_INDET, .comp = C_ZLIB, .comp_fmt = F_OLD_INDET), NULL, DENY,
	 NULL, NULL, "indeterminate signature inside an indeterminate ZLIB packet (gpg's framing)"},
	{"msg-sig-indet-rsa", b_msg, 0, M(.alg = RSA2048, .sig_fmt = F_OLD_INDET), NULL, DENY, NULL, NULL,
	 "an RSA signature packet of indeterminate length"},
	{"msg-sig-partial", b_msg, 0, M(.sig_fmt = F_PARTIAL_SMALL), NULL, DENY, NULL, NULL,
	 "the signature packet in partial body lengths"},
	{"msg-sig-partial-zlib", b_msg, 0, M(.sig_fmt = F_PARTIAL_SMALL, .comp = C_ZLIB), NULL, DENY, NULL, NULL,
	 "the signature packet in partial body lengths, inside ZLIB"},
	{"msg-sig-partial-rsa4096", b_msg, 0, M(.alg = RSA4096, .sig_fmt = F_PARTIAL), NULL, DENY, NULL, NULL,
	 "an RSA-4096 signature packet in partial lengths of 512"},
	{"msg-ops-indet", b_msg, 0, M(.ops_fmt = F_OLD_INDET), NULL, DENY, NULL, NULL,
	 "the one-pass packet of indeterminate length"},
	{"msg-ops-partial", b_msg, 0, M(.ops_fmt = F_PARTIAL_SMALL), NULL, DENY, NULL, NULL,
	 "the one-pass packet in partial body lengths (8 octets, then 5)"},
	{"msg-lit-text", b_msg, 0, M(.lit_format = 't'), NULL, ALLOW, NULL, NULL, "a literal of format 't', binary signature"},
	{"msg-lit-utf8", b_msg, 0, M(.lit_format = 'u'), NULL, ALLOW, NULL, NULL, "a literal of format 'u', binary signature"},
	{"msg-lit-long-name", b_msg, 0, M(.long_name = 1), NULL, ALLOW, NULL, NULL, "a literal with a 255-octet file name"},
	{"msg-header", b_msg, 0, M(.header = 1), NULL, ALLOW, NULL,
	 "skopeo standalone-verify hands the blob to gpg as is, the simple-signing header included",
	 "the message behind containers/image's \\0simple-signing\\n header"},
	{"msg-header-zlib", b_msg, 0, M(.header = 1, .comp = C_ZLIB), NULL, ALLOW, NULL,
	 "skopeo standalone-verify hands the blob to gpg as is, the simple-signing header included",
	 "a ZLIB message behind the simple-signing header"},
	{"msg-marker", b_msg, 0, M(.marker = 1), NULL, ALLOW, "pgp-marker", NULL, "a marker packet (tag 10) first"},
	{"msg-marker-zlib", b_msg, 0, M(.marker = 1, .comp = C_ZLIB), NULL, ALLOW, "pgp-marker", NULL,
	 "a marker packet, then a ZLIB message"},
	{"msg-armored", b_msg, 0, M(.armor = 1), NULL, ALLOW, "pgp-armored", NULL, "the message ASCII-armored"},
	{"msg-armored-zlib", b_msg, 0, M(.armor = 1, .comp = C_ZLIB), NULL, ALLOW, "pgp-armored", NULL,
	 "a ZLIB message ASCII-armored"},
	{"msg-armored-bad-crc", b_msg, 0, M(.armor = 1, .bad_crc = 1), NULL, DENY, NULL, NULL,
	 "the message ASCII-armored with a wrong CRC-24"},
	{"msg-cleartext", b_msg, 0, M(.cleartext = 1), NULL, ALLOW, "pgp-cleartext", NULL, "a cleartext signature (type 0x01)"},
	{"msg-cleartext-rsa", b_msg, 0, M(.alg = RSA2048, .cleartext = 1), NULL, ALLOW, "pgp-cleartext", NULL,
	 "a cleartext signature by RSA-2048"},
	{"msg-text-sig", b_msg, 0, M(.text = 1), NULL, ALLOW, "pgp-text-sig", NULL, "a text-mode signature (0x01) over a 'b' literal"},
	{"msg-text-sig-lit-text", b_msg, 0, M(.text = 1, .lit_format = 't'), NULL, ALLOW, "pgp-text-sig", NULL,
	 "a text-mode signature over a 't' literal"},
	{"msg-v3-sig", b_msg, 0, M(.alg = RSA2048, .sig = {.version = 3}), NULL, ALLOW, NULL, NULL,
	 "a version 3 data signature by RSA-2048, one-pass layout"},
	{"msg-v3-sig-sigfirst", b_msg, 0, M(.alg = RSA2048, .sig = {.version = 3}, .layout = L_SIGFIRST), NULL, ALLOW, NULL, NULL,
	 "a version 3 data signature, signature first"},
	{"msg-v3-sig-zlib", b_msg, 0, M(.alg = RSA2048, .sig = {.version = 3}, .comp = C_ZLIB), NULL, ALLOW, NULL, NULL,
	 "a version 3 data signature inside ZLIB"},
	{"msg-v3-sig-ed25519", b_msg, 0, M(.sig = {.version = 3}), NULL, ALLOW, NULL, NULL, "a version 3 data signature by Ed25519"},
	{"msg-v3-sig-sha1", b_msg, 0, M(.alg = RSA2048, .sig = {.version = 3, .hash = H_SHA1}), NULL, ALLOW, "pgp-sha1-data",
	 NULL, "a version 3 data signature with SHA-1"},
	{"msg-sig-type-02", b_msg, 0, M(.sig = {.type = TYPE(0x02)}), NULL, DENY, NULL, NULL,
	 "a standalone signature (0x02) in place of the data signature"},
	{"msg-sig-type-13", b_msg, 0, M(.sig = {.type = TYPE(0x13)}), NULL, DENY, NULL, NULL,
	 "a certification (0x13) over the literal data"},
	{"msg-two-literals", b_msg, 0, M(.layout = L_TWO_LIT), NULL, DENY, NULL, NULL,
	 "one-pass, the literal twice, signature"},
	{"msg-nested-zlib", b_msg, 0, M(.comp = C_ZLIB, .nested = C_ZLIB), NULL, ALLOW, "pgp-nested-compression", NULL,
	 "a ZLIB packet inside a ZLIB packet"},
	{"msg-nested-zip-stored", b_msg, 0, M(.comp = C_ZERO, .nested = C_ZIP), NULL, ALLOW, "pgp-nested-compression", NULL,
	 "an algorithm-0 compressed packet inside a ZIP packet"},

	/* ---- trailing data ---- */
	{"trail-text", b_msg, 0, M(.trailing = "trailing text\n"), NULL, DENY, NULL, NULL,
	 "text after the message (gpg: no data)"},
	{"trail-zero", b_msg, 0, M(.trailing = "\x80"), NULL, DENY, NULL, NULL,
	 "one octet 0x80 (a packet header cut short) after the message (gpg: no data)"},
	{"trail-in-zlib", b_msg, 0, M(.comp = C_ZLIB, .trailing_in_comp = "junk"), NULL, ALLOW, "pgp-trailing", NULL,
	 "bytes after the end of the ZLIB stream, inside the compressed packet"},
	{"trail-in-zip", b_msg, 0, M(.comp = C_ZIP, .trailing_in_comp = "junk"), NULL, ALLOW, "pgp-trailing", NULL,
	 "bytes after the end of the deflate stream, inside the compressed packet"},
	{"trail-in-zlib-indet", b_msg, 0, M(.comp = C_ZLIB, .comp_fmt = F_OLD_INDET, .trailing_in_comp = "junk"), NULL, ALLOW,
	 "pgp-trailing", NULL, "bytes after the ZLIB stream in a compressed packet of indeterminate length"},
	{"trail-after-zlib", b_msg, 0, M(.comp = C_ZLIB, .trailing = "junk"), NULL, ALLOW, "pgp-trailing", NULL,
	 "text after the compressed packet (gpg ignores it)"},
	{"trail-sigfirst", b_msg, 0, M(.layout = L_SIGFIRST, .trailing = "junk"), NULL, DENY, NULL, NULL,
	 "text after a signature-first message (gpg: no data)"},
	{"trail-marker", b_msg, 0, M(.trailing = "\xa8\x03PGP"), NULL, ALLOW, "pgp-marker", NULL,
	 "a marker packet after the message"},

	/* ---- two signatures, none, or no data ---- */
	{"two-sigs", b_msg, 0, M(.second = 1), NULL, DENY, NULL, NULL,
	 "signed by Ed25519 and RSA-2048, both pinned (one-pass layout)"},
	{"two-sigs-same-key", b_msg, 0, M(.second = 2), NULL, DENY, NULL, NULL, "signed twice by the same key"},
	{"two-sigs-sigfirst", b_msg, 0, M(.second = 1, .layout = L_SIGFIRST), NULL, DENY, NULL, NULL,
	 "two signatures before the literal"},
	{"two-sigs-zlib", b_msg, 0, M(.second = 1, .comp = C_ZLIB), NULL, DENY, NULL, NULL, "two signatures inside ZLIB"},
	{"two-sigs-rsa-first", b_msg, 0, M(.alg = RSA2048, .second = 1), NULL, DENY, NULL, NULL,
	 "signed by RSA-2048 and Ed25519"},
	{"detached", b_msg, 0, M(.layout = L_DETACHED), NULL, DENY, NULL, NULL, "a detached signature: no literal data"},
	{"detached-zlib", b_msg, 0, M(.layout = L_DETACHED, .comp = C_ZLIB), NULL, DENY, NULL, NULL,
	 "a detached signature inside ZLIB"},
	{"detached-armored", b_msg, 0, M(.layout = L_DETACHED, .armor = 1), NULL, DENY, NULL, NULL,
	 "an armored detached signature"},
	{"literal-only", b_msg, 0, M(.layout = L_LITONLY), NULL, DENY, NULL, NULL, "a literal packet and no signature"},
	{"ops-no-sig", b_msg, 0, M(.layout = L_OPS_ONLY), NULL, DENY, NULL, NULL, "a one-pass packet and the literal, no signature"},

	/* ---- one-pass packets that disagree with the signature ---- */
	{"ops-hash", b_msg, 0, M(.ops_hash = H_SHA512), NULL, DENY, NULL, NULL, "the one-pass packet says SHA-512, the signature SHA-256"},
	{"ops-hash-zlib", b_msg, 0, M(.ops_hash = H_SHA512, .comp = C_ZLIB), NULL, DENY, NULL, NULL,
	 "the one-pass packet says SHA-512 (inside ZLIB)"},
	{"ops-keyid-other", b_msg, 0, M(.alg = RSA2048, .ops_other_key = 1), NULL, ALLOW, "pgp-ops-mismatch", NULL,
	 "the one-pass packet names a key id other than the signer's"},
	{"ops-type", b_msg, 0, M(.ops_type = TYPE(ST_TEXT)), NULL, ALLOW, "pgp-ops-mismatch", NULL,
	 "the one-pass packet says text (0x01), the signature binary"},
	{"ops-pk", b_msg, 0, M(.ops_pk = PK_RSA), NULL, ALLOW, "pgp-ops-mismatch", NULL,
	 "the one-pass packet says RSA, the signature is Ed25519"},
	{"ops-not-last", b_msg, 0, M(.ops_not_last = 1), NULL, ALLOW, "pgp-ops-mismatch", NULL,
	 "the only one-pass packet has its last flag 0"},
	{"ops-version", b_msg, 0, M(.ops_version = 2), NULL, DENY, NULL, NULL, "a one-pass packet of version 2"},
	{"ops-extra", b_msg, 0, M(.ops_extra = 1), NULL, DENY, NULL, NULL,
	 "two one-pass packets, one signature (gpg finds no signature)"},

	/* ---- the signature's value ---- */
	{"sig-bad-quick-check", b_msg, 0, M(.sig = {.bad_left16 = 1}), NULL, ALLOW, "pgp-bad-quick-check", NULL, "the quick check (left 16 bits) is wrong (gpg does not check it)"},
	{"sig-bad-quick-check-rsa", b_msg, 0, M(.alg = RSA2048, .sig = {.bad_left16 = 1}), NULL, ALLOW, "pgp-bad-quick-check", NULL,
	 "RSA: the quick check is wrong (gpg does not check it)"},
	{"sig-bad-value", b_msg, 0, M(.sig = {.bad_value = 1}), NULL, DENY, NULL, NULL, "Ed25519: a bit of S flipped"},
	{"sig-bad-value-rsa", b_msg, 0, M(.alg = RSA2048, .sig = {.bad_value = 1}), NULL, DENY, NULL, NULL,
	 "RSA: a bit of the signature flipped"},
	{"sig-bad-value-p256", b_msg, 0, M(.alg = P256, .sig = {.bad_value = 1}), NULL, DENY, NULL, NULL,
	 "ECDSA P-256: a bit of s flipped"},
	{"sig-bad-value-p521", b_msg, 0, M(.alg = P521, .sig = {.bad_value = 1}), NULL, DENY, NULL, NULL,
	 "ECDSA P-521: a bit of s flipped"},
	{"sig-tampered", b_msg, 0, M(.tamper = 1), NULL, DENY, NULL, NULL, "the literal data changed after signing"},
	{"sig-tampered-zlib", b_msg, 0, M(.tamper = 1, .comp = C_ZLIB), NULL, DENY, NULL, NULL,
	 "the literal data changed after signing, inside ZLIB"},

	/* ---- times ---- */
	{"sig-future", b_msg, 0, M(.sig = {.at = DAY}), NULL, ALLOW, "pgp-future-sig", NULL, "the signature is dated tomorrow"},
	{"sig-future-year", b_msg, 0, M(.sig = {.at = YEAR}), NULL, ALLOW, "pgp-future-sig", NULL, "the signature is dated in a year"},
	{"sig-before-key", b_msg, 0, M(.sig = {.at = -31 * DAY}), NULL, DENY, NULL, NULL, "the signature predates its key by a day"},
	{"sig-expired", b_msg, 0, M(.sig = {.at = -2 * DAY, .expires = DAY}), NULL, DENY, NULL, NULL,
	 "made two days ago, expired after one"},
	{"sig-expires-later", b_msg, 0, M(.sig = {.expires = 10 * YEAR}), NULL, ALLOW, NULL, NULL, "the signature expires in 10 years"},
	{"sig-expires-critical", b_msg, 0, M(.sig = {.expires = 10 * YEAR, .crit = CR_EXPIRES}), NULL, ALLOW, NULL, NULL,
	 "a critical signature expiration, in 10 years"},
	{"sig-expired-critical", b_msg, 0, M(.sig = {.at = -2 * DAY, .expires = DAY, .crit = CR_EXPIRES}), NULL, DENY, NULL, NULL,
	 "a critical signature expiration that has passed"},
	{"key-future", b_msg, 0, NULL, C(.key_at = DAY), DENY, NULL, NULL, "the key is created tomorrow, the signature now"},
	{"key-future-sig-future", b_msg, 0, M(.sig = {.at = 2 * HOUR}), C(.key_at = HOUR), DENY, NULL, NULL,
	 "the key is created in an hour, the signature in two"},
	{"key-young", b_msg, 0, M(.sig = {.at = -MINUTE}), C(.key_at = -2 * MINUTE), ALLOW, NULL, NULL,
	 "the key is two minutes old"},

	/* ---- data signature subpackets ---- */
	{"sub-critical-unknown", b_msg, 0, M(.sig = {.crit = CR_UNKNOWN}), NULL, DENY, NULL, NULL,
	 "a critical unknown subpacket (101), hashed"},
	{"sub-critical-unknown-unhashed", b_msg, 0, M(.sig = {.crit = CR_UNKNOWN_UNHASHED}), NULL, DENY, NULL, NULL,
	 "a critical unknown subpacket (101) in the unhashed area"},
	{"sub-critical-notation", b_msg, 0, M(.sig = {.crit = CR_NOTATION}), NULL, DENY, NULL, NULL, "a critical notation"},
	{"sub-critical-notation-rsa", b_msg, 0, M(.alg = RSA2048, .sig = {.crit = CR_NOTATION}), NULL, DENY, NULL, NULL,
	 "RSA: a critical notation"},
	{"sub-notation", b_msg, 0, M(.sig = {.crit = NC_NOTATION}), NULL, ALLOW, NULL, NULL, "a non-critical notation"},
	{"sub-unknown", b_msg, 0, M(.sig = {.crit = NC_UNKNOWN}), NULL, ALLOW, NULL, NULL, "a non-critical unknown subpacket"},
	{"sub-critical-created", b_msg, 0, M(.sig = {.crit = CR_CREATED}), NULL, ALLOW, NULL, NULL, "the creation time marked critical"},
	{"sub-critical-issuer", b_msg, 0, M(.sig = {.crit = CR_ISSUER}), NULL, ALLOW, NULL, NULL, "the issuer fingerprint marked critical"},
	{"sub-critical-key-flags", b_msg, 0, M(.sig = {.crit = CR_KEY_FLAGS}), NULL, ALLOW, "pgp-critical-other", NULL,
	 "a critical key flags subpacket in a data signature"},
	{"sub-no-created", b_msg, 0, M(.sig = {.no_created = 1}), NULL, DENY, NULL, NULL, "no creation time subpacket"},
	{"sub-created-unhashed", b_msg, 0, M(.sig = {.created_unhashed = 1}), NULL, DENY, NULL, NULL,
	 "the creation time only in the unhashed area"},
	{"sub-two-created", b_msg, 0, M(.sig = {.two_created = 1}), NULL, ALLOW, "pgp-two-creation-times", NULL,
	 "two creation time subpackets"},

	/* ---- issuers ---- */
	{"iss-fpr", b_msg, 0, M(.sig = {.issuer = ISS_FPR}), NULL, ALLOW, NULL, NULL, "only an issuer fingerprint (hashed)"},
	{"iss-fpr-unhashed", b_msg, 0, M(.sig = {.issuer = ISS_FPR_UNHASHED}), NULL, DENY, NULL, NULL,
	 "only an issuer fingerprint, unhashed (gpg looks up key id 0: no public key)"},
	{"iss-keyid", b_msg, 0, M(.sig = {.issuer = ISS_KEYID}), NULL, ALLOW, NULL, NULL, "only an issuer key id (unhashed)"},
	{"iss-keyid-hashed", b_msg, 0, M(.sig = {.issuer = ISS_KEYID_HASHED}), NULL, ALLOW, NULL, NULL, "only an issuer key id, hashed"},
	{"iss-none", b_msg, 0, M(.sig = {.issuer = ISS_NONE}), NULL, DENY, NULL, NULL, "no issuer at all"},
	{"iss-other", b_iss, 0, NULL, NULL, DENY, NULL, NULL, "the issuer (key id and fingerprint) is another pinned key"},
	{"iss-unknown", b_iss, 1, NULL, NULL, DENY, NULL, NULL, "the issuer is a key that is not pinned"},
	{"iss-keyid-disagrees", b_iss, 2, NULL, NULL, ALLOW, "pgp-issuer-mismatch", NULL,
	 "the fingerprint names the signer, the key id another pinned key"},
	{"iss-fpr-disagrees", b_iss, 3, NULL, NULL, DENY, NULL, NULL,
	 "the key id names the signer, the fingerprint another pinned key"},
	{"iss-keyid-only-other", b_iss, 4, NULL, NULL, DENY, NULL, NULL, "only a key id, of another pinned key"},

	/* ---- the primary key's self-signature ---- */
	{"key-expired", b_msg, 0, NULL, C(.uid = {.key_expires = DAY}), DENY, NULL, NULL,
	 "the key expired 29 days ago (its self-signature's key expiration)"},
	{"key-expires-later", b_msg, 0, NULL, C(.uid = {.key_expires = 10 * YEAR}), ALLOW, NULL, NULL, "the key expires in 10 years"},
	{"key-expired-rsa", b_msg, 0, M(.alg = RSA2048), C(.uid = {.key_expires = DAY}), DENY, NULL, NULL,
	 "an RSA-2048 key that expired"},
	{"key-selfsig-sha1", b_msg, 0, NULL, C(.uid = {.hash = H_SHA1}), ALLOW, "pgp-sha1-selfsig", NULL,
	 "its only self-signature uses SHA-1"},
	{"key-selfsig-sha1-rsa", b_msg, 0, M(.alg = RSA2048), C(.uid = {.hash = H_SHA1}), ALLOW, "pgp-sha1-selfsig", NULL,
	 "RSA-2048: its only self-signature uses SHA-1"},
	{"key-selfsig-sha512", b_msg, 0, NULL, C(.uid = {.hash = H_SHA512}), ALLOW, NULL, NULL, "its self-signature uses SHA-512"},
	{"key-selfsig-ed25519-sha224", b_msg, 0, NULL, C(.uid = {.hash = H_SHA224}), ALLOW, "pgp-eddsa-short-hash", NULL,
	 "Ed25519: its only self-signature uses SHA-224"},
	{"key-selfsig-future", b_msg, 0, NULL, C(.uid = {.at = DAY}), ALLOW, "pgp-future-binding", NULL,
	 "its only self-signature is dated tomorrow"},
	{"key-selfsig-before-key", b_msg, 0, NULL, C(.uid = {.at = -31 * DAY}), DENY, NULL, NULL,
	 "its only self-signature predates the key"},
	{"key-selfsig-expired", b_msg, 0, NULL, C(.uid = {.expires = DAY}), ALLOW, "pgp-expired-selfsig", NULL,
	 "its only self-signature expired (signature expiration) 29 days ago (gpg uses it all the same)"},
	{"key-selfsig-bad", b_msg, 0, NULL, C(.uid = {.bad_value = 1}), DENY, NULL, NULL, "its only self-signature does not verify"},
	{"key-selfsig-no-issuer", b_msg, 0, NULL, C(.uid = {.issuer = ISS_NONE}), DENY, NULL, NULL,
	 "its only self-signature names no issuer (gpg does not import the key)"},
	{"key-selfsig-keyid", b_msg, 0, NULL, C(.uid = {.issuer = ISS_KEYID}), ALLOW, NULL, NULL,
	 "its self-signature names its issuer by key id only"},
	{"key-selfsig-fpr", b_msg, 0, NULL, C(.uid = {.issuer = ISS_FPR}), DENY, NULL, NULL,
	 "its self-signature names its issuer by fingerprint only (gpg does not import the key)"},
	{"key-no-flags", b_msg, 0, NULL, C(.uid = {.kf = KF_NONE}), ALLOW, "pgp-no-key-flags", NULL,
	 "its self-signature has no key flags"},
	{"key-no-flags-rsa", b_msg, 0, M(.alg = RSA2048), C(.uid = {.kf = KF_NONE}), ALLOW, "pgp-no-key-flags", NULL,
	 "RSA-2048: its self-signature has no key flags"},
	{"key-flags-certify", b_msg, 0, NULL, C(.uid = {.kf = KF_C}), DENY, NULL, NULL, "its key flags allow certifying only"},
	{"key-flags-encrypt", b_msg, 0, M(.alg = RSA2048), C(.uid = {.kf = KF_E}), DENY, NULL, NULL,
	 "RSA-2048: its key flags allow encrypting only"},
	{"key-flags-empty", b_msg, 0, NULL, C(.uid = {.kf = KF_EMPTY}), DENY, NULL, NULL, "its key flags are a zero octet"},
	{"key-flags-critical", b_msg, 0, NULL, C(.uid = {.kf = KF_NONE, .crit = CR_KEY_FLAGS}), ALLOW, NULL, NULL,
	 "its key flags (sign) are marked critical"},
	{"key-selfsig-critical-unknown", b_msg, 0, NULL, C(.uid = {.crit = CR_UNKNOWN}), DENY, NULL, NULL,
	 "its only self-signature has an unknown critical subpacket"},
	{"key-selfsig-critical-notation", b_msg, 0, NULL, C(.uid = {.crit = CR_NOTATION}), DENY, NULL, NULL,
	 "its only self-signature has a critical notation"},
	{"key-selfsig-unknown", b_msg, 0, NULL, C(.uid = {.crit = NC_UNKNOWN | NC_NOTATION}), ALLOW, NULL, NULL,
	 "its self-signature has a non-critical unknown subpacket and notation"},
	{"key-selfsig-critical-unhashed", b_msg, 0, NULL, C(.uid = {.crit = CR_UNKNOWN_UNHASHED}), DENY, NULL, NULL,
	 "its only self-signature has an unknown critical subpacket, unhashed"},
	{"key-selfsig-after-sig", b_msg, 0, NULL, C(.uid = {.at = -30}), ALLOW, "pgp-binding-after-sig", NULL,
	 "its only self-signature was made 30 s after the data signature"},
	{"key-selfsig-at-sig", b_msg, 0, NULL, C(.uid = {.at = -MINUTE}), ALLOW, NULL, NULL,
	 "its only self-signature was made the second the data signature was"},
	{"key-selfsig-generic", b_uid, 10, NULL, NULL, ALLOW, NULL, NULL, "its self-signature is a generic certification (0x10)"},
	{"key-selfsig-v3", b_msg, 0, M(.alg = RSA2048), C(.uid = {.version = 3}), DENY, NULL, NULL,
	 "RSA-2048: its only self-signature is a version 3 signature (gpg does not import the key)"},

	/* ---- user IDs ---- */
	{"uid-revoked", b_uid, 0, NULL, NULL, ALLOW, "pgp-no-valid-uid", NULL, "its only user ID is revoked"},
	{"uid-revoked-rsa", b_uid, 0, M(.alg = RSA2048), NULL, ALLOW, "pgp-no-valid-uid", NULL,
	 "RSA-2048: its only user ID is revoked"},
	{"uid-revoked-other-valid", b_uid, 1, NULL, NULL, ALLOW, NULL, NULL, "two user IDs, the first revoked"},
	{"uid-recertified", b_uid, 2, NULL, NULL, ALLOW, NULL, NULL, "its user ID revoked, then certified again"},
	{"uid-revoked-by-other", b_uid, 3, NULL, NULL, ALLOW, NULL, NULL, "its user ID \"revoked\" by another key"},
	{"uid-none", b_uid, 4, NULL, NULL, DENY, NULL, NULL, "no user ID at all"},
	{"uid-first-expired", b_uid, 5, NULL, NULL, DENY, NULL, NULL,
	 "two user IDs: the first's self-signature set an expiry that passed, the second's (newer) none (gpg: key expired)"},
	{"uid-second-certify-only", b_uid, 6, NULL, NULL, ALLOW, "pgp-no-key-flags", NULL,
	 "two user IDs: the newer self-signature allows signing, the older certifying only"},
	{"uid-first-critical", b_uid, 7, NULL, NULL, ALLOW, NULL, NULL,
	 "two user IDs: the first's self-signature has an unknown critical subpacket"},
	{"uid-old-revocation", b_uid, 8, NULL, NULL, ALLOW, NULL, NULL, "a user ID revocation older than its self-signature"},
	{"uid-attribute", b_uid, 9, NULL, NULL, ALLOW, NULL, NULL, "a user attribute (JPEG) after the user ID"},
	{"uid-third-party-only", b_uid, 11, NULL, NULL, DENY, NULL, NULL, "its user ID is certified by another key only"},
	{"uid-revoked-attribute-valid", b_uid, 12, NULL, NULL, ALLOW, "pgp-no-valid-uid", NULL,
	 "its user ID is revoked, a certified user attribute is not"},

	/* ---- direct-key signatures ---- */
	{"direct-flags", b_direct, 0, NULL, NULL, ALLOW, NULL, NULL, "a direct-key signature for signing, and the user ID's"},
	{"direct-expired", b_direct, 1, NULL, NULL, DENY, NULL, NULL,
	 "a direct-key signature whose key expiry has passed; the user ID's sets none"},
	{"direct-only-flags", b_direct, 2, NULL, NULL, ALLOW, NULL, NULL,
	 "the direct-key signature has the key flags, the user ID's none"},
	{"direct-revoker", b_direct, 3, NULL, NULL, ALLOW, NULL, NULL,
	 "a direct-key signature designating another key as revoker (no key flags)"},
	{"direct-certify-only", b_direct, 4, NULL, NULL, DENY, NULL, NULL,
	 "a direct-key signature for certifying only, the user ID's for signing (gpg: wrong key usage)"},
	{"direct-critical-unknown", b_direct, 5, NULL, NULL, ALLOW, NULL, NULL,
	 "a direct-key signature with an unknown critical subpacket"},
	{"direct-expires-later", b_direct, 6, NULL, NULL, ALLOW, NULL, NULL, "a direct-key signature: the key expires in 10 years"},
	{"direct-no-flags-expired", b_direct, 7, NULL, NULL, DENY, NULL, NULL,
	 "a direct-key signature without key flags whose key expiry has passed"},
	{"direct-no-uid", b_direct, 8, NULL, NULL, DENY, NULL, NULL, "a direct-key signature and no user ID"},

	/* ---- key revocations ---- */
	{"rev", b_rev, 0, NULL, NULL, DENY, NULL, NULL, "revoked (no reason) an hour ago"},
	{"rev-sha1", b_rev, 1, NULL, NULL, DENY, NULL, NULL, "Ed25519: revoked by a SHA-1 revocation (gpg honours it)"},
	{"rev-bad-sig", b_rev, 2, NULL, NULL, ALLOW, NULL, NULL, "a revocation whose signature does not verify"},
	{"rev-by-other", b_rev, 3, NULL, NULL, ALLOW, "pgp-designated-revoker", NULL,
	 "a revocation issued by a key it did not designate"},
	{"rev-designated-pinned", b_rev, 4, NULL, NULL, DENY, NULL, NULL,
	 "revoked by its designated revoker, pinned in a second file"},
	{"rev-designated-unpinned", b_rev, 5, NULL, NULL, ALLOW, "pgp-designated-revoker", NULL,
	 "revoked by its designated revoker, which is not pinned"},
	{"rev-future", b_rev, 6, NULL, NULL, DENY, NULL, NULL, "a revocation dated tomorrow"},
	{"rev-superseded", b_rev, 7, NULL, NULL, DENY, NULL, NULL, "revoked: superseded (reason 1)"},
	{"rev-old", b_rev, 8, NULL, NULL, DENY, NULL, NULL, "revoked 20 days ago, signed since"},
	{"rev-no-issuer", b_rev, 9, NULL, NULL, ALLOW, "pgp-revocation-no-issuer", NULL, "a revocation naming no issuer"},
	{"rev-after-uid", b_rev, 10, NULL, NULL, DENY, NULL, NULL, "a key revocation placed after the user ID"},
	{"rev-retired", b_rev, 11, NULL, NULL, DENY, NULL, NULL, "revoked: retired (reason 3)"},
	{"rev-sha1-rsa", b_rev, 1, M(.alg = RSA2048), NULL, DENY, NULL, NULL, "RSA-2048: revoked by a SHA-1 revocation"},
	{"rev-sha224", b_rev, 12, NULL, NULL, DENY, NULL, NULL, "Ed25519: revoked by a SHA-224 revocation (gpg honours it)"},

	/* ---- signing subkeys: the back-signature (0x19 in the 0x18 binding) ---- */
	{"back-unhashed", b_sub, 0, NULL, C(.back = {.mode = BACK_UNHASHED}), ALLOW, NULL, SUBKEY,
	 "the back-signature in the unhashed area (as gpg writes it)"},
	{"back-hashed", b_sub, 0, NULL, C(.back = {.mode = BACK_HASHED}), ALLOW, NULL, SUBKEY,
	 "the back-signature in the hashed area"},
	{"back-missing", b_sub, 0, NULL, C(.back = {.mode = BACK_NONE}), DENY, NULL, SUBKEY, "no back-signature"},
	{"back-corrupt", b_sub, 0, NULL, C(.back = {.mode = BACK_CORRUPT}), DENY, NULL, SUBKEY,
	 "the back-signature does not verify (a bit flipped)"},
	{"back-corrupt-hashed", b_sub, 0, NULL, C(.back = {.mode = BACK_HASHED, .o = {.bad_value = 1}}), DENY, NULL, SUBKEY,
	 "a hashed back-signature that does not verify"},
	{"back-bad-quick-check", b_sub, 0, NULL, C(.back = {.o = {.bad_left16 = 1}}), ALLOW, "pgp-bad-quick-check", SUBKEY,
	 "the back-signature's quick check is wrong (gpg does not check it)"},
	{"back-other-key", b_sub, 0, NULL, C(.back = {.mode = BACK_OTHER_KEY}), DENY, NULL, SUBKEY,
	 "the back-signature is made by another key"},
	{"back-other-primary", b_sub, 0, NULL, C(.back = {.mode = BACK_OTHER_PRIMARY}), DENY, NULL, SUBKEY,
	 "the back-signature is made over another primary key"},
	{"back-other-subkey", b_sub, 0, NULL, C(.back = {.mode = BACK_OTHER_SUBKEY}), DENY, NULL, SUBKEY,
	 "the back-signature is made over the primary key and another subkey"},
	{"back-class-18", b_sub, 0, NULL, C(.back = {.mode = BACK_CLASS_18}), DENY, NULL, SUBKEY,
	 "the back-signature is of type 0x18, not 0x19"},
	{"back-class-18-hashed", b_sub, 0, NULL, C(.back = {.mode = BACK_HASHED, .o = {.type = TYPE(0x18)}}), DENY, NULL, SUBKEY,
	 "a hashed back-signature of type 0x18"},
	{"back-other-key-no-issuer", b_sub, 0, NULL, C(.back = {.mode = BACK_OTHER_KEY, .o = {.issuer = ISS_NONE}}), DENY, NULL,
	 SUBKEY, "the back-signature is made by another key and names no issuer"},
	{"back-other-primary-hashed", b_sub, 0, NULL, C(.back = {.mode = BACK_OTHER_PRIMARY, .o = {.issuer = ISS_FPR}}), DENY,
	 NULL, SUBKEY, "the back-signature is made over another primary key (issuer fingerprint only)"},
	{"back-sha1", b_sub, 0, NULL, C(.back = {.o = {.hash = H_SHA1}}), ALLOW, "pgp-sha1-selfsig", SUBKEY,
	 "the back-signature uses SHA-1"},
	{"back-sha512", b_sub, 0, NULL, C(.back = {.o = {.hash = H_SHA512}}), ALLOW, NULL, SUBKEY,
	 "the back-signature uses SHA-512"},
	{"back-expired", b_sub, 0, NULL, C(.back = {.o = {.expires = DAY}}), ALLOW, "pgp-back-sig-expired", SUBKEY,
	 "the back-signature expired (signature expiration) 28 days ago (gpg does not check its expiry)"},
	{"back-no-issuer", b_sub, 0, NULL, C(.back = {.o = {.issuer = ISS_NONE}}), ALLOW, NULL, SUBKEY,
	 "the back-signature names no issuer"},
	{"back-critical-unknown", b_sub, 0, NULL, C(.back = {.o = {.crit = CR_UNKNOWN}}), DENY, NULL, SUBKEY,
	 "the back-signature has an unknown critical subpacket"},
	{"back-rsa", b_sub, 0, M(.alg = RSA2048), C(.back = {.mode = BACK_HASHED}), ALLOW, NULL, SUBKEY,
	 "an RSA-2048 subkey's hashed back-signature"},
	{"back-missing-rsa", b_sub, 0, M(.alg = RSA2048), C(.back = {.mode = BACK_NONE}), DENY, NULL, SUBKEY,
	 "an RSA-2048 signing subkey without back-signature"},
	{"back-missing-p256", b_sub, 0, M(.alg = P256), C(.back = {.mode = BACK_NONE}), DENY, NULL, SUBKEY,
	 "an ECDSA P-256 signing subkey without back-signature"},
	{"back-corrupt-p384", b_sub, 0, M(.alg = P384), C(.back = {.mode = BACK_CORRUPT}), DENY, NULL, SUBKEY,
	 "an ECDSA P-384 subkey's back-signature does not verify"},

	/* ---- signing subkeys: the binding ---- */
	{"bind-expired", b_sub, 0, NULL, C(.bind = {.key_expires = DAY}), DENY, NULL, SUBKEY, "the subkey expired 28 days ago"},
	{"bind-expires-later", b_sub, 0, NULL, C(.bind = {.key_expires = 10 * YEAR}), ALLOW, NULL, SUBKEY,
	 "the subkey expires in 10 years"},
	{"bind-encrypt", b_sub, 0, M(.alg = RSA2048), C(.bind = {.kf = KF_E}), DENY, NULL, SUBKEY,
	 "an RSA subkey bound for encryption only (with a back-signature)"},
	{"bind-certify", b_sub, 0, NULL, C(.bind = {.kf = KF_C}), DENY, NULL, SUBKEY, "the subkey bound for certifying only"},
	{"bind-no-flags", b_sub, 0, NULL, C(.bind = {.kf = KF_NONE}), ALLOW, "pgp-no-key-flags", SUBKEY,
	 "the binding has no key flags (a back-signature is there)"},
	{"bind-sha1", b_sub, 0, NULL, C(.bind = {.hash = H_SHA1}), ALLOW, "pgp-sha1-selfsig", SUBKEY, "the binding uses SHA-1"},
	{"bind-corrupt", b_sub, 0, NULL, C(.bind = {.bad_value = 1}), DENY, NULL, SUBKEY, "the binding does not verify"},
	{"bind-future", b_sub, 0, NULL, C(.bind = {.at = DAY}), ALLOW, "pgp-future-binding", SUBKEY, "the binding is dated tomorrow"},
	{"bind-after-sig", b_sub, 0, NULL, C(.bind = {.at = -30}), ALLOW, "pgp-binding-after-sig", SUBKEY,
	 "the subkey's only binding was made 30 s after the data signature"},
	{"bind-critical-unknown", b_sub, 0, NULL, C(.bind = {.crit = CR_UNKNOWN}), DENY, NULL, SUBKEY,
	 "the binding has an unknown critical subpacket"},
	{"bind-sig-expired", b_sub, 0, NULL, C(.bind = {.expires = DAY}), DENY, NULL, SUBKEY,
	 "the binding itself expired (signature expiration)"},
	{"bind-no-issuer", b_sub, 0, NULL, C(.bind = {.issuer = ISS_NONE}), DENY, NULL, SUBKEY,
	 "the subkey binding names no issuer (gpg does not see a binding)"},
	{"bind-fpr-only", b_sub, 0, NULL, C(.bind = {.issuer = ISS_FPR}), DENY, NULL, SUBKEY,
	 "the subkey binding names its issuer by fingerprint only (gpg does not see a binding)"},
	{"bind-keyid-only", b_sub, 0, NULL, C(.bind = {.issuer = ISS_KEYID}), ALLOW, NULL, SUBKEY,
	 "the subkey binding names its issuer by key id only"},
	{"bind-before-subkey", b_sub, 0, NULL, C(.bind = {.at = -30 * DAY}), ALLOW, "pgp-binding-before-key", SUBKEY,
	 "the subkey binding predates the subkey (gpg accepts it)"},
	{"back-future", b_sub, 0, NULL, C(.back = {.o = {.at = DAY}}), ALLOW, "pgp-future-binding", SUBKEY,
	 "the back-signature is dated tomorrow (gpg accepts it)"},
	{"back-before-subkey", b_sub, 0, NULL, C(.back = {.o = {.at = -30 * DAY}}), DENY, NULL, SUBKEY,
	 "the back-signature predates the subkey"},
	{"sub-future", b_sub, 0, M(.sig = {.at = 2 * DAY}), C(.sub_at = DAY), DENY, NULL, SUBKEY,
	 "the subkey is created tomorrow, signs the day after"},
	{"sub-sig-before-subkey", b_sub, 0, M(.sig = {.at = -29 * DAY - HOUR}), NULL, DENY, NULL, SUBKEY,
	 "the data signature predates the subkey by an hour"},
	{"sub-primary-signs", b_sub, 1, NULL, C(.uid = {.kf = KF_C | KF_S}), ALLOW, NULL, NULL,
	 "the primary key signs; it has a signing subkey too"},
	{"sub-primary-certify-only-signs", b_sub, 1, NULL, NULL, DENY, NULL, NULL,
	 "the certify-only primary key signs itself"},
	{"sub-primary-expired", b_sub, 0, NULL, C(.uid = {.kf = KF_C, .key_expires = DAY}), DENY, NULL, SUBKEY,
	 "a valid subkey of an expired primary key"},
	{"sub-primary-no-uid-valid", b_sub, 0, NULL, C(.uid = {.kf = KF_C, .bad_value = 1}), DENY, NULL, SUBKEY,
	 "a valid subkey; the primary key's only self-signature does not verify"},
	{"sub-revoked", b_subvar, 0, NULL, NULL, DENY, NULL, SUBKEY, "the signing subkey is revoked"},
	{"sub-other-revoked", b_subvar, 1, NULL, NULL, ALLOW, NULL, SUBKEY, "another subkey is revoked"},
	{"sub-revoked-by-other", b_subvar, 2, NULL, NULL, ALLOW, "pgp-designated-revoker", SUBKEY,
	 "a subkey revocation issued by another key"},
	{"sub-revoked-bad-sig", b_subvar, 3, NULL, NULL, ALLOW, NULL, SUBKEY, "a subkey revocation that does not verify"},
	{"sub-primary-revoked", b_subvar, 4, NULL, NULL, DENY, NULL, SUBKEY, "a valid subkey of a revoked primary key"},
	{"sub-rebound-encrypt", b_subvar, 5, NULL, NULL, DENY, NULL, SUBKEY, "a newer binding for encryption only"},
	{"sub-rebound-expired", b_subvar, 6, NULL, NULL, DENY, NULL, SUBKEY, "a newer binding whose key expiry has passed"},
	{"sub-rebound-extends", b_subvar, 7, NULL, NULL, ALLOW, NULL, SUBKEY,
	 "expired by its first binding, extended by a newer one"},
	{"sub-second-signs", b_subvar, 8, NULL, NULL, ALLOW, NULL, SUBKEY, "two signing subkeys, the second signs"},
	{"sub-issuer-primary", b_subvar, 9, NULL, NULL, DENY, NULL, SUBKEY,
	 "the subkey signs, the signature names the primary key"},
	{"sub-bound-by-other", b_subvar, 10, NULL, NULL, DENY, NULL, SUBKEY, "the subkey binding is made by another key"},
	{"sub-rebound-no-back", b_subvar, 11, NULL, NULL, DENY, NULL, SUBKEY,
	 "the newer binding lacks the back-signature the older has"},
	{"sub-rebound-with-back", b_subvar, 12, NULL, NULL, ALLOW, NULL, SUBKEY,
	 "the older binding lacks a back-signature, the newer has one"},
	{"sub-revoked-sha1", b_subvar, 13, NULL, NULL, DENY, NULL, SUBKEY, "the signing subkey revoked by a SHA-1 revocation (gpg honours it)"},

	/* ---- key files ---- */
	{"keys-armored", b_keys, 0, NULL, NULL, ALLOW, NULL, NULL, "the key file ASCII-armored (CRC-24)"},
	{"keys-armored-bad-crc", b_keys, 1, NULL, NULL, DENY, NULL, NULL, "the armored key file with a wrong CRC-24"},
	{"keys-armored-no-crc", b_keys, 2, NULL, NULL, ALLOW, NULL, NULL, "the armored key file without a CRC line"},
	{"keys-armored-two-blocks", b_keys, 3, NULL, NULL, ALLOW, NULL, NULL, "two armor blocks in one file, the signer's second"},
	{"keys-two-certs", b_keys, 4, NULL, NULL, ALLOW, NULL, NULL, "two certificates in one binary file, the signer's second"},
	{"keys-two-files", b_keys, 5, NULL, NULL, ALLOW, NULL, NULL, "two key files, the signer's second"},
	{"keys-wrong-key", b_keys, 6, NULL, NULL, DENY, NULL, NULL, "only another key pinned"},
	{"keys-private-packet", b_keys, 7, NULL, NULL, ALLOW, "pgp-key-unknown-packet", NULL,
	 "a private-use packet (tag 60) in the key file"},
	{"keys-trust-packet", b_keys, 8, NULL, NULL, ALLOW, NULL, NULL, "a trust packet in the key file"},
	{"keys-new-format", b_keys, 9, NULL, NULL, ALLOW, NULL, NULL, "the key file in new-format headers"},
	{"keys-old4", b_keys, 10, NULL, NULL, ALLOW, NULL, NULL, "the key file with 4-octet old-format lengths"},
	{"keys-new5", b_keys, 11, NULL, NULL, ALLOW, NULL, NULL, "the key file with 5-octet new-format lengths"},
	{"keys-indet", b_keys, 12, NULL, NULL, DENY, NULL, NULL, "the self-signature of indeterminate length"},
	{"keys-partial", b_keys, 13, NULL, NULL, DENY, NULL, NULL, "the key packet in partial lengths"},
	{"keys-armored-crlf", b_keys, 14, NULL, NULL, ALLOW, NULL, NULL, "armored with CRLF line ends and a Comment header"},
	{"keys-binary-and-armored", b_keys, 15, NULL, NULL, ALLOW, NULL, NULL, "the same key pinned binary and armored"},

	/* ---- the same certificate in two files ---- */
	{"merge-revocation", b_merge, 0, NULL, NULL, DENY, NULL, NULL, "the second file adds a key revocation"},
	{"merge-revocation-first", b_merge, 1, NULL, NULL, DENY, NULL, NULL, "the first file carries a key revocation"},
	{"merge-expiry-past", b_merge, 2, NULL, NULL, DENY, NULL, NULL,
	 "the second adds a newer self-signature whose key expiry has passed"},
	{"merge-expiry-past-first", b_merge, 13, NULL, NULL, DENY, NULL, NULL,
	 "the first holds a newer self-signature whose key expiry has passed"},
	{"merge-certify-only", b_merge, 3, NULL, NULL, DENY, NULL, NULL, "the second adds a newer self-signature for certifying only"},
	{"merge-sub-revocation", b_merge, 4, NULL, NULL, DENY, NULL, SUBKEY, "the second adds a revocation of the signing subkey"},
	{"merge-split-subkey", b_merge, 5, NULL, NULL, ALLOW, NULL, SUBKEY,
	 "the user ID in the first file, the signing subkey in the second"},
	{"merge-same", b_merge, 6, NULL, NULL, ALLOW, NULL, NULL, "the same certificate twice"},
	{"merge-uid-revocation", b_merge, 7, NULL, NULL, ALLOW, "pgp-no-valid-uid", NULL,
	 "the second revokes the only user ID"},
	{"merge-second-uid", b_merge, 8, NULL, NULL, ALLOW, NULL, NULL, "the second adds a user ID"},
	{"merge-extended", b_merge, 9, M(.sig = {.at = -25 * DAY}), NULL, ALLOW, NULL, NULL,
	 "signed 25 days ago; the old self-signature (expired since) and a new one extending it"},
	{"merge-extended-new-only", b_merge, 10, M(.sig = {.at = -25 * DAY}), NULL, ALLOW, "pgp-binding-after-sig", NULL,
	 "signed 25 days ago; only the new self-signature, made an hour ago, is pinned"},
	{"merge-other-revoked", b_merge, 11, NULL, NULL, ALLOW, NULL, NULL, "the second file holds another key, revoked"},
	{"merge-sub-expired", b_merge, 12, NULL, NULL, DENY, NULL, SUBKEY,
	 "the second adds a newer subkey binding whose expiry has passed"},
};

/* ---- main ------------------------------------------------------------------------------------ */

static void case_end(struct cx *cx)
{
	const struct row *r = cx->row;
	char path[4200], name[32];

	if (cx->sig == NULL || cx->cert == NULL || cx->n_keys == 0)
		die("craft-%s: the builder made no signature, certificate or key file", r->id);
	if (r->tag != NULL && r->expect != ALLOW)
		die("craft-%s: a tag on a case gpg denies", r->id);
	snprintf(path, sizeof(path), "%s/keys", cx->dir);
	make_dir(path);
	for (int i = 0; i < cx->n_keys; i++) {
		snprintf(name, sizeof(name), "keys/%d.pgp", i + 1);
		write_file(cx, name, cx->keys[i]->p, cx->keys[i]->len);
	}
	write_file(cx, "signature", cx->sig->p, cx->sig->len);
	write_file(cx, "manifest.json", cx->manifest->p, cx->manifest->len);
	write_line(cx, "reference", cx->ref);
	write_line(cx, "fingerprint", cx->cert->hex);
	write_line(cx, "expect", r->expect == ALLOW ? "allow" : "deny");
	write_line(cx, "note", r->note);
	if (r->tag != NULL)
		write_line(cx, "tag", r->tag);
	if (r->skip != NULL)
		write_line(cx, "skopeo-skip", r->skip);
}

static int valid_id(const char *id)
{
	if (*id == '\0')
		return 0;
	for (const char *c = id; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	size_t n = sizeof(cases) / sizeof(cases[0]), written = 0;
	const char *only = argc > 2 ? argv[2] : NULL;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: pgpcraft OUTDIR [ID]\n");
		return 2;
	}
	outdir = argv[1];
	NOW = (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++) {
		if (!valid_id(cases[i].id))
			die("bad case id '%s'", cases[i].id);
		for (size_t j = 0; j < i; j++)
			if (strcmp(cases[i].id, cases[j].id) == 0)
				die("case id '%s' twice", cases[i].id);
	}
	make_dir(outdir);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &cases[i];
		struct row rr = *r;
		struct cx cx;
		char id[200];

		if (only != NULL && strcmp(only, r->id) != 0 &&
		    !(strncmp(only, "craft-", 6) == 0 && strcmp(only + 6, r->id) == 0))
			continue;
		/* A row without m or c means the usual message, the usual certificate. */
		rr.m = r->m != NULL ? r->m : &plain_msg;
		rr.c = r->c != NULL ? r->c : &plain_cert;
		memset(&cx, 0, sizeof(cx));
		cx.row = &rr;
		if (snprintf(id, sizeof(id), "craft-%s", r->id) >= (int)sizeof(id))
			die("case id too long");
		case_begin(&cx, id, r->m != NULL && r->m->long_name);
		r->build(&cx, &rr);
		case_end(&cx);
		arena_release();
		written++;
	}
	for (int a = 0; a < N_ALG; a++)
		for (int i = 0; i < POOL; i++)
			EVP_PKEY_free(pool[a][i]);
	free(arena.v);
	if (only != NULL && written == 0)
		die("no case %s", only);
	printf("pgpcraft: %zu cases in %s\n", written, outdir);
	return 0;
}
