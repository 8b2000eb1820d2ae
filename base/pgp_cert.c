/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/pgp_cert.c: the pinned certificates (RFC 4880 §11.1), merged as
 * gpg merges imports, every self-signature checked once when loaded, and
 * the validity of a signing key decided at the time of each verification.
 *
 * The rules (docs/signing.md, "What is checked"), each where it is applied:
 *   K1 merging certificates across files ......... load_primary, load_uid, load_subkey,
 *                                                  sigvec_add
 *   K2 every packet as gpg reads it ............... load_signature (and pgp_sig.c)
 *   K3 what makes a self-signature count ......... check_by_primary, sig_counts
 *   K4 key revocations ............................ cert_revoked
 *   K5 valid user IDs ............................. uid_valid
 *   K6 the primary key's expiry, flags, binding ... primary_check
 *   K7 signing subkeys and their back-signature ... subkey_check, check_back_signature
 *   K8 subkey revocations ......................... subkey_check
 *   S7, S8 the key named, the arithmetic, the age . try_key
 * Wherever signet cannot tell whether a revocation is genuine (an
 * algorithm or hash it does not check, a revocation by another key), the
 * key counts as revoked: revocations fail closed.
 */
#include "base/pgp.h"

#include <stdlib.h>
#include <string.h>

/* What a signature on a certificate is worth, the time aside. */
enum sig_state {
	SIG_UNCHECKED = 0, /* signet cannot tell (algorithm, hash, unparsable), or not checked
	                    * yet: a revocation in this state counts (fail closed) */
	SIG_BAD,           /* does not verify, or not by the primary key: ignored */
	SIG_GOOD,          /* verified by the primary key */
};

struct sigrec {
	struct sn_pgp_sig s;
	const unsigned char *body; /* the packet body (in the pinned file's bytes) */
	size_t len;
	enum sig_state state;
	int parsed;
	int checked; /* state and ok are set */
	/* For self-signatures (certifications, direct-key, subkey bindings):
	 * good, version 4, SHA-2, no uninterpreted critical subpacket, not
	 * older than the key it binds.  Time-dependent checks: sig_counts. */
	int ok;
	/* For subkey bindings: the embedded back-signature was good. */
	int back_ok;
	int64_t back_created;
	uint32_t back_expires;
};

struct sigvec {
	struct sigrec *v;
	size_t n;
};

struct uid {
	const unsigned char *data;
	size_t len;
	struct sigvec certs, revs;
};

struct subkey {
	struct sn_pgp_key key;
	struct sigvec binds, revs;
};

struct cert {
	struct sn_pgp_key primary;
	struct sigvec direct, revs;
	struct uid *uids;
	size_t n_uids;
	struct subkey *subs;
	size_t n_subs;
};

struct sn_pgp_keyring {
	struct cert *certs;
	size_t n_certs;
	size_t n_packets;
};

/* ---- building ---------------------------------------------------------- */

static int grow(void **v, size_t n, size_t size, struct sn_err *e)
{
	void *p;

	if (n > SIZE_MAX / size - 1)
		return sn_enomem(e);
	if ((p = realloc(*v, (n + 1) * size)) == NULL)
		return sn_enomem(e);
	*v = p;
	memset((char *)p + n * size, 0, size);
	return 0;
}

/*
 * The bytes that make a signature what it is: all of it but the unhashed
 * subpacket area of a version 4 signature (a and b around it).  Two
 * packets that differ only there are one signature to gpg, which keeps the
 * first it imported; so does signet.  body is framed (sn_pgp_sig_framed).
 */
static void sig_identity(const unsigned char *body, size_t len, struct sn_pgp_part *a, struct sn_pgp_part *b)
{
	size_t hashed_end, unhashed_end;

	*a = (struct sn_pgp_part){body, len};
	*b = (struct sn_pgp_part){body + len, 0};
	if (len < 6 || body[0] != 4)
		return;
	hashed_end = 6 + ((size_t)body[4] << 8 | body[5]);
	unhashed_end = hashed_end + 2 + ((size_t)body[hashed_end] << 8 | body[hashed_end + 1]);
	*a = (struct sn_pgp_part){body, hashed_end};
	*b = (struct sn_pgp_part){body + unhashed_end, len - unhashed_end};
}

static int same_part(const struct sn_pgp_part *x, const struct sn_pgp_part *y)
{
	return x->n == y->n && memcmp(x->p, y->p, x->n) == 0;
}

/* Appends the signature packet body to v unless the same signature is
 * there (sig_identity: the same certificate pinned twice, or the same
 * signature with another unhashed area, where the first one read stays);
 * *out is the new record or NULL. */
static int sigvec_add(struct sigvec *v, const unsigned char *body, size_t len, struct sigrec **out,
                      struct sn_err *e)
{
	struct sn_pgp_part a, b, a2, b2;
	const char *why;
	struct sigrec *r;
	int rc;

	*out = NULL;
	sig_identity(body, len, &a, &b);
	for (size_t i = 0; i < v->n; i++) {
		sig_identity(v->v[i].body, v->v[i].len, &a2, &b2);
		if (same_part(&a, &a2) && same_part(&b, &b2))
			return 0;
	}
	if ((rc = grow((void **)&v->v, v->n, sizeof(*v->v), e)) != 0)
		return rc;
	r = &v->v[v->n++];
	r->body = body;
	r->len = len;
	r->parsed = sn_pgp_sig_parse(&r->s, body, len, &why) == 0;
	*out = r;
	return 0;
}

static void sigvec_free(struct sigvec *v)
{
	free(v->v);
}

/* Is the signature's issuer (if it names one) the primary key? */
static int by_primary(const struct sigrec *r, const struct cert *c)
{
	return r->parsed && sn_pgp_sig_names(&r->s, &c->primary);
}

/* Does a self-signature name the primary key by an issuer key id (and by
 * its fingerprint too, when it has one)?  gpg recognizes self-signatures
 * by the key id alone; one without it is not a self-signature to gpg, so
 * it is none to signet either. */
static int names_primary(const struct sigrec *r, const struct cert *c)
{
	return r->parsed && r->s.has_keyid && memcmp(r->s.keyid, c->primary.fpr + 12, 8) == 0 &&
	       sn_pgp_sig_names(&r->s, &c->primary);
}

/* The signature type of a packet body, parsed or not. */
static unsigned int sig_type(const unsigned char *body, size_t len)
{
	if (len >= 3 && body[0] == 3)
		return body[2];
	if (len >= 2 && body[0] == 4)
		return body[1];
	return 0xffff;
}

/* Checks r by the primary key over parts (the time aside). */
static void check_by_primary(struct sigrec *r, const struct cert *c, const struct sn_pgp_part *parts,
                             size_t n_parts, int64_t bound_created)
{
	int v;

	if (r->checked)
		return;
	r->checked = 1;
	if (!r->parsed) {
		r->state = SIG_UNCHECKED;
		return;
	}
	if (!by_primary(r, c)) {
		r->state = SIG_BAD;
		return;
	}
	v = sn_pgp_sig_verify(&r->s, &c->primary, parts, n_parts);
	r->state = v > 0 ? SIG_GOOD : v < 0 ? SIG_UNCHECKED : SIG_BAD;
	/* K3: what makes a self-signature count, apart from the time. */
	r->ok = r->state == SIG_GOOD && names_primary(r, c) && r->s.version == 4 &&
	        sn_pgp_weak_hash(r->s.hash_algo) == NULL && r->s.critical == 0 &&
	        r->s.created >= bound_created;
}

/* The hash input of a user ID certification: 0xb4, 4-octet length, data. */
static void uid_parts(struct sn_pgp_part parts[4], unsigned char pprefix[3], unsigned char uprefix[5],
                      const struct cert *c, const struct uid *u)
{
	sn_pgp_key_prefix(&c->primary, pprefix);
	uprefix[0] = 0xb4;
	uprefix[1] = (unsigned char)(u->len >> 24);
	uprefix[2] = (unsigned char)(u->len >> 16);
	uprefix[3] = (unsigned char)(u->len >> 8);
	uprefix[4] = (unsigned char)u->len;
	parts[0] = (struct sn_pgp_part){pprefix, 3};
	parts[1] = (struct sn_pgp_part){c->primary.body, c->primary.body_len};
	parts[2] = (struct sn_pgp_part){uprefix, 5};
	parts[3] = (struct sn_pgp_part){u->data, u->len};
}

/* The hash input of a subkey binding, back-signature or revocation. */
static void subkey_parts(struct sn_pgp_part parts[4], unsigned char pprefix[3], unsigned char sprefix[3],
                         const struct cert *c, const struct subkey *sk)
{
	sn_pgp_key_prefix(&c->primary, pprefix);
	sn_pgp_key_prefix(&sk->key, sprefix);
	parts[0] = (struct sn_pgp_part){pprefix, 3};
	parts[1] = (struct sn_pgp_part){c->primary.body, c->primary.body_len};
	parts[2] = (struct sn_pgp_part){sprefix, 3};
	parts[3] = (struct sn_pgp_part){sk->key.body, sk->key.body_len};
}

/* K7: the embedded primary-key binding signature of a subkey binding. */
static void check_back_signature(struct sigrec *r, const struct subkey *sk, const struct sn_pgp_part parts[4])
{
	struct sn_pgp_sig b;
	const char *why;

	if (r->s.embedded == NULL || sn_pgp_sig_parse(&b, r->s.embedded, r->s.embedded_len, &why) != 0)
		return;
	if (b.version != 4 || b.type != SN_PGP_SIG_PRIMARY_BINDING || sn_pgp_weak_hash(b.hash_algo) != NULL ||
	    b.critical != 0 || !sn_pgp_sig_names(&b, &sk->key) || b.created < sk->key.created)
		return;
	if (sn_pgp_sig_verify(&b, &sk->key, parts, 4) != 1)
		return;
	r->back_ok = 1;
	r->back_created = b.created;
	r->back_expires = b.expires;
}

/* Checks the signatures of one certificate, once all its files are in. */
static void cert_check(struct cert *c)
{
	struct sn_pgp_part parts[4];
	unsigned char a[3], b[5];

	parts[0] = (struct sn_pgp_part){a, 3};
	sn_pgp_key_prefix(&c->primary, a);
	parts[1] = (struct sn_pgp_part){c->primary.body, c->primary.body_len};
	for (size_t i = 0; i < c->direct.n; i++)
		check_by_primary(&c->direct.v[i], c, parts, 2, c->primary.created);
	for (size_t i = 0; i < c->revs.n; i++)
		check_by_primary(&c->revs.v[i], c, parts, 2, c->primary.created);
	for (size_t u = 0; u < c->n_uids; u++) {
		struct uid *uid = &c->uids[u];

		uid_parts(parts, a, b, c, uid);
		for (size_t i = 0; i < uid->certs.n; i++)
			check_by_primary(&uid->certs.v[i], c, parts, 4, c->primary.created);
		for (size_t i = 0; i < uid->revs.n; i++)
			check_by_primary(&uid->revs.v[i], c, parts, 4, c->primary.created);
	}
	for (size_t k = 0; k < c->n_subs; k++) {
		struct subkey *sk = &c->subs[k];

		subkey_parts(parts, a, b, c, sk);
		for (size_t i = 0; i < sk->binds.n; i++) {
			int fresh = !sk->binds.v[i].checked;

			check_by_primary(&sk->binds.v[i], c, parts, 4, sk->key.created);
			if (fresh && sk->binds.v[i].ok)
				check_back_signature(&sk->binds.v[i], sk, parts);
		}
		for (size_t i = 0; i < sk->revs.n; i++)
			check_by_primary(&sk->revs.v[i], c, parts, 4, sk->key.created);
	}
}

static void cert_free(struct cert *c)
{
	sn_pgp_key_clear(&c->primary);
	sigvec_free(&c->direct);
	sigvec_free(&c->revs);
	for (size_t i = 0; i < c->n_uids; i++) {
		sigvec_free(&c->uids[i].certs);
		sigvec_free(&c->uids[i].revs);
	}
	free(c->uids);
	for (size_t i = 0; i < c->n_subs; i++) {
		sn_pgp_key_clear(&c->subs[i].key);
		sigvec_free(&c->subs[i].binds);
		sigvec_free(&c->subs[i].revs);
	}
	free(c->subs);
}

void sn_pgp_keyring_free(struct sn_pgp_keyring *kr)
{
	if (kr == NULL)
		return;
	for (size_t i = 0; i < kr->n_certs; i++)
		cert_free(&kr->certs[i]);
	free(kr->certs);
	free(kr);
}

/* Where the packets being read go. */
struct loader {
	struct sn_pgp_keyring *kr;
	struct cert *c;     /* the current certificate */
	struct uid *uid;    /* the current user ID, or NULL */
	struct subkey *sub; /* the current subkey, or NULL */
	int skip;           /* after a user attribute: its signatures are ignored */
	const char *what;
};

static int load_primary(struct loader *l, const unsigned char *body, size_t len, struct sn_err *e)
{
	struct sn_pgp_keyring *kr = l->kr;
	struct sn_pgp_key k;
	const char *why;
	int rc;

	if (sn_pgp_key_parse(&k, body, len, &why) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: a primary key packet is %s", l->what, why);
	l->uid = NULL;
	l->sub = NULL;
	l->skip = 0;
	for (size_t i = 0; i < kr->n_certs; i++) {
		if (memcmp(kr->certs[i].primary.fpr, k.fpr, 20) == 0) {
			l->c = &kr->certs[i]; /* merged, as gpg merges an import */
			sn_pgp_key_clear(&k);
			return 0;
		}
	}
	if ((rc = grow((void **)&kr->certs, kr->n_certs, sizeof(*kr->certs), e)) != 0) {
		sn_pgp_key_clear(&k);
		return rc;
	}
	l->c = &kr->certs[kr->n_certs++];
	l->c->primary = k;
	return 0;
}

static int load_uid(struct loader *l, const unsigned char *body, size_t len, struct sn_err *e)
{
	struct cert *c = l->c;
	int rc;

	l->sub = NULL;
	l->skip = 0;
	for (size_t i = 0; i < c->n_uids; i++) {
		if (c->uids[i].len == len && memcmp(c->uids[i].data, body, len) == 0) {
			l->uid = &c->uids[i];
			return 0;
		}
	}
	if ((rc = grow((void **)&c->uids, c->n_uids, sizeof(*c->uids), e)) != 0)
		return rc;
	l->uid = &c->uids[c->n_uids++];
	l->uid->data = body;
	l->uid->len = len;
	return 0;
}

static int load_subkey(struct loader *l, const unsigned char *body, size_t len, struct sn_err *e)
{
	struct cert *c = l->c;
	struct sn_pgp_key k;
	const char *why;
	int rc;

	if (sn_pgp_key_parse(&k, body, len, &why) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: a subkey of %s is %s", l->what, c->primary.fpr_hex,
		                 why);
	l->uid = NULL;
	l->skip = 0;
	for (size_t i = 0; i < c->n_subs; i++) {
		if (memcmp(c->subs[i].key.fpr, k.fpr, 20) == 0) {
			l->sub = &c->subs[i];
			sn_pgp_key_clear(&k);
			return 0;
		}
	}
	if ((rc = grow((void **)&c->subs, c->n_subs, sizeof(*c->subs), e)) != 0) {
		sn_pgp_key_clear(&k);
		return rc;
	}
	l->sub = &c->subs[c->n_subs++];
	l->sub->key = k;
	return 0;
}

/* Is this a self-signature type, which has one place in a certificate? */
static int placed_type(unsigned int type)
{
	return (type >= SN_PGP_SIG_CERT_GENERIC && type <= SN_PGP_SIG_CERT_POSITIVE) ||
	       type == SN_PGP_SIG_SUBKEY_BINDING || type == SN_PGP_SIG_DIRECT_KEY ||
	       type == SN_PGP_SIG_SUBKEY_REVOCATION || type == SN_PGP_SIG_CERT_REVOCATION;
}

/*
 * Files a signature under the component it follows.  A key revocation
 * counts wherever it stands (fail closed); a certification, binding or
 * revocation out of its place refuses the file (gpg will not import a
 * certificate with one either); other types are dropped.
 */
static int load_signature(struct loader *l, const unsigned char *body, size_t len, struct sn_err *e)
{
	unsigned int type = sig_type(body, len);
	struct sigrec *r;
	struct sigvec *v = NULL;
	const char *why;

	/* gpg refuses a whole file over one malformed packet; so does signet. */
	if (sn_pgp_sig_framed(body, len, &why) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: certificate %s holds %s", l->what,
		                 l->c->primary.fpr_hex, why);

	if (type == SN_PGP_SIG_KEY_REVOCATION)
		v = &l->c->revs;
	else if (l->skip)
		return 0;
	else if (l->sub != NULL)
		v = type == SN_PGP_SIG_SUBKEY_BINDING      ? &l->sub->binds
		    : type == SN_PGP_SIG_SUBKEY_REVOCATION ? &l->sub->revs
		                                           : NULL;
	else if (l->uid != NULL)
		v = type >= SN_PGP_SIG_CERT_GENERIC && type <= SN_PGP_SIG_CERT_POSITIVE ? &l->uid->certs
		    : type == SN_PGP_SIG_CERT_REVOCATION                                ? &l->uid->revs
		                                                                        : NULL;
	else if (type == SN_PGP_SIG_DIRECT_KEY)
		v = &l->c->direct;
	if (v == NULL && placed_type(type))
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: certificate %s holds a signature of type 0x%02x out of its place (after %s)",
		    l->what, l->c->primary.fpr_hex, type,
		    l->sub != NULL   ? "a subkey"
		    : l->uid != NULL ? "a user ID"
		                     : "the primary key");
	if (v == NULL)
		return 0;
	return sigvec_add(v, body, len, &r, e);
}

int sn_pgp_keyring_add(struct sn_pgp_keyring **krp, const unsigned char *bin, size_t len, const char *what,
                       struct sn_err *e)
{
	struct sn_pgp_reader r = {bin, len, 0, what};
	struct loader l = {NULL, NULL, NULL, NULL, 0, what};
	const unsigned char *body;
	size_t body_len;
	unsigned int tag;
	int rc;

	if (*krp == NULL && (*krp = calloc(1, sizeof(**krp))) == NULL)
		return sn_enomem(e);
	l.kr = *krp;
	while (r.off < r.len) {
		if ((rc = sn_pgp_next(&r, &tag, &body, &body_len, NULL, e)) != 0)
			return rc;
		if (++l.kr->n_packets > SN_PGP_MAX_KEY_PACKETS)
			return sn_seterr(
			    e, SIGNET_ELIMIT,
			    "%s: the pinned keys hold more than SN_PGP_MAX_KEY_PACKETS (%u) packets", what,
			    SN_PGP_MAX_KEY_PACKETS);
		/* sn_pgp_key_file checks this too; the keyring does not rely on it. */
		if (l.c == NULL && tag != SN_PGP_PUBLIC_KEY)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: a %s packet before any public key", what,
			                 sn_pgp_tag_name(tag));
		switch (tag) {
		case SN_PGP_PUBLIC_KEY: rc = load_primary(&l, body, body_len, e); break;
		case SN_PGP_USER_ID: rc = load_uid(&l, body, body_len, e); break;
		case SN_PGP_USER_ATTRIBUTE:
			l.uid = NULL;
			l.sub = NULL;
			l.skip = 1;
			rc = 0;
			break;
		case SN_PGP_PUBLIC_SUBKEY: rc = load_subkey(&l, body, body_len, e); break;
		case SN_PGP_SIGNATURE: rc = load_signature(&l, body, body_len, e); break;
		default: rc = 0; /* trust packets */
		}
		if (rc != 0)
			return rc;
	}
	for (size_t i = 0; i < l.kr->n_certs; i++) {
		struct cert *c = &l.kr->certs[i];

		if (c->n_uids == 0)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: certificate %s has no user ID (gpg would not import it)", what,
			                 c->primary.fpr_hex);
	}
	/* A merge can add signatures to a certificate read from an earlier
	 * file: only those not yet checked cost a verification. */
	for (size_t i = 0; i < l.kr->n_certs; i++)
		cert_check(&l.kr->certs[i]);
	return 0;
}

/* ---- validity at a time -------------------------------------------------- */

/* K3, the time part: made by now, and not expired by now. */
static int sig_counts(const struct sigrec *r, int64_t now)
{
	return r->ok && r->s.created <= now &&
	       (r->s.expires == 0 || r->s.created + (int64_t)r->s.expires > now);
}

/* The newest signature of v that counts at now (the first of two as
 * new), or NULL. */
static const struct sigrec *newest(const struct sigvec *v, int64_t now)
{
	const struct sigrec *best = NULL;

	for (size_t i = 0; i < v->n; i++)
		if (sig_counts(&v->v[i], now) && (best == NULL || v->v[i].s.created > best->s.created))
			best = &v->v[i];
	return best;
}

/* A revocation counts when it verifies or signet cannot tell (fail
 * closed); one that verifiably is not the primary key's is ignored, as gpg
 * ignores it. */
static int revokes(const struct sigrec *r)
{
	return r->state != SIG_BAD;
}

/* K4: any key revocation that verifies or that signet cannot check; a
 * revocation issued by another key (a designated revoker) counts too. */
static int cert_revoked(const struct cert *c)
{
	for (size_t i = 0; i < c->revs.n; i++) {
		const struct sigrec *r = &c->revs.v[i];

		if (revokes(r) || (r->parsed && !by_primary(r, c)))
			return 1;
	}
	return 0;
}

/* K5: the user ID's newest certification, when it is valid at now; NULL
 * when it has none or a revocation as new or newer. */
static const struct sigrec *uid_valid(const struct uid *u, int64_t now)
{
	const struct sigrec *cert = newest(&u->certs, now);

	if (cert == NULL)
		return NULL;
	for (size_t i = 0; i < u->revs.n; i++) {
		const struct sigrec *r = &u->revs.v[i];

		if (revokes(r) && (!r->parsed || r->s.created >= cert->s.created))
			return NULL;
	}
	return cert;
}

/* Was one of the signatures of v, counting apart from the time, made at
 * or before t?  (K6, K7; for subkey bindings, with a good back-signature.) */
static int bound_at(const struct sigvec *v, int64_t t, int need_back)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].ok && v->v[i].s.created <= t && (!need_back || v->v[i].back_ok))
			return 1;
	return 0;
}

/* Key expiration set by a binding, for a key created at created. */
static int expired_by(const struct sigrec *b, int64_t created, int64_t now)
{
	return b->s.has_key_expires && b->s.key_expires != 0 && created + (int64_t)b->s.key_expires <= now;
}

/*
 * K6: is the primary key valid at now (not revoked, a valid user ID, not
 * expired by any current binding)?  With for_signing, may it also make
 * the data signature made at sig_created (every current binding that has
 * key flags says sign, at least one has them, and a binding existed
 * then)?  Returns 0 or SIGNET_EDENIED saying why; who names the key that
 * made the signature ("FPR" or "FPR (a subkey of FPR)").
 */
static int primary_check(const struct cert *c, int for_signing, int64_t sig_created, int64_t now,
                         const char *who, struct sn_err *e)
{
	const struct sigrec *direct = newest(&c->direct, now), *b;
	int have_uid = 0, flags_seen = 0, bound = bound_at(&c->direct, sig_created, 0);

	if (c->primary.pkey == NULL)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: made by key %s, whose primary key is %s, which signet does not verify", who,
		    c->primary.why);
	if (cert_revoked(c))
		return sn_seterr(e, SIGNET_EDENIED, "signature: made by key %s, which has been revoked", who);
	/* The current bindings: the newest direct-key signature and the
	 * newest certification of each valid user ID. */
	for (size_t i = 0; i <= c->n_uids; i++) {
		b = i < c->n_uids ? uid_valid(&c->uids[i], now) : direct;
		if (b == NULL)
			continue;
		if (i < c->n_uids) {
			have_uid = 1;
			bound = bound || bound_at(&c->uids[i].certs, sig_created, 0);
		}
		if (expired_by(b, c->primary.created, now))
			return sn_seterr(e, SIGNET_EDENIED, "signature: made by key %s, which has expired",
			                 who);
		if (b->s.has_key_flags) {
			flags_seen = 1;
			if (for_signing && (b->s.key_flags & SN_PGP_FLAG_SIGN) == 0)
				return sn_seterr(
				    e, SIGNET_EDENIED,
				    "signature: key %s is not meant for signing (the key flags of its "
				    "self-signature do not allow it)",
				    who);
		}
	}
	if (!have_uid)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: made by key %s, whose certificate has no valid user ID now (no good "
		    "self-signature, or every user ID revoked)",
		    who);
	if (!for_signing)
		return 0;
	if (!flags_seen)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: key %s is not meant for signing (its self-signatures carry no key "
		    "flags)",
		    who);
	if (!bound)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: made by key %s before any self-signature that binds it", who);
	return 0;
}

/*
 * K7, K8 for a signing subkey: not revoked, its newest binding valid
 * at now allows signing and carries a good back-signature valid at now,
 * not expired by that binding, and a binding with a back-signature
 * existed when the data signature was made.  The primary key must be
 * valid itself (primary_check without the sign flag).
 */
static int subkey_check(const struct cert *c, const struct subkey *sk, int64_t sig_created, int64_t now,
                        const char *who, struct sn_err *e)
{
	const struct sigrec *b;
	int rc;

	if ((rc = primary_check(c, 0, sig_created, now, who, e)) != 0)
		return rc;
	for (size_t i = 0; i < sk->revs.n; i++)
		if (revokes(&sk->revs.v[i]) || (sk->revs.v[i].parsed && !by_primary(&sk->revs.v[i], c)))
			return sn_seterr(e, SIGNET_EDENIED,
			                 "signature: made by key %s, which has been revoked", who);
	if ((b = newest(&sk->binds, now)) == NULL)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: made by key %s, which no valid binding signature ties to its primary "
		    "key now",
		    who);
	if (expired_by(b, sk->key.created, now))
		return sn_seterr(e, SIGNET_EDENIED, "signature: made by key %s, which has expired", who);
	if (!b->s.has_key_flags || (b->s.key_flags & SN_PGP_FLAG_SIGN) == 0)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: key %s is not meant for signing (the key flags of its binding "
		                 "signature do not allow it)",
		                 who);
	if (!b->back_ok || b->back_created > now ||
	    (b->back_expires != 0 && b->back_created + (int64_t)b->back_expires <= now))
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: signing subkey %s is not cross-certified (its binding signature has no "
		    "valid embedded back-signature made by the subkey)",
		    who);
	if (!bound_at(&sk->binds, sig_created, 1))
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: made by key %s before any binding signature that ties it to its "
		                 "primary key",
		                 who);
	return 0;
}

/* The first user ID of c valid at now, or NULL. */
static const struct uid *first_uid(const struct cert *c, int64_t now)
{
	for (size_t i = 0; i < c->n_uids; i++)
		if (uid_valid(&c->uids[i], now) != NULL)
			return &c->uids[i];
	return NULL;
}

/* One key the signature may be by: the cryptography (S7), the signature
 * not older than the key (S8), then the key's validity (K4-K8). */
static int try_key(struct sn_pgp_signer *out, const struct cert *c, const struct subkey *sk,
                   const struct sn_pgp_sig *s, const void *data, size_t len, int64_t now, struct sn_err *e)
{
	const struct sn_pgp_key *k = sk != NULL ? &sk->key : &c->primary;
	struct sn_pgp_part part = {data, len};
	const struct uid *u;
	char who[128];
	int rc, v;

	if (sk != NULL)
		(void)snprintf(who, sizeof(who), "%s (a subkey of %s)", k->fpr_hex, c->primary.fpr_hex);
	else
		(void)snprintf(who, sizeof(who), "%s", k->fpr_hex);
	if (k->pkey == NULL)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: made by key %s, which is %s, which signet does not verify", who,
		                 k->why);
	if ((v = sn_pgp_sig_verify(s, k, &part, 1)) != 1)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    v < 0 ? "signature: the signature by key %s cannot be checked"
		          : "signature: bad signature by key %s (the signed data or the signature was "
		            "modified)",
		    who);
	if (s->created < k->created)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: the signature by key %s is older than the key", who);
	rc = sk != NULL ? subkey_check(c, sk, s->created, now, who, e)
	                : primary_check(c, 1, s->created, now, who, e);
	if (rc != 0)
		return rc;
	u = first_uid(c, now);
	out->key = k;
	out->primary_fpr = c->primary.fpr_hex;
	out->uid = u != NULL ? u->data : NULL;
	out->uid_len = u != NULL ? u->len : 0;
	return 0;
}

int sn_pgp_keyring_signer(struct sn_pgp_signer *out, const struct sn_pgp_keyring *kr,
                          const struct sn_pgp_sig *s, const void *data, size_t len, int64_t now,
                          struct sn_err *e)
{
	struct sn_err first;
	char issuer[41];
	size_t tried = 0;
	int rc = 0;

	sn_pgp_sig_issuer(issuer, s);
	/* A data signature must name its key. */
	if (!s->has_issuer_fpr && !s->has_keyid)
		return sn_seterr(e, SIGNET_EDENIED, "signature: names no issuer key");
	memset(&first, 0, sizeof(first));
	for (size_t i = 0; kr != NULL && i < kr->n_certs; i++) {
		const struct cert *c = &kr->certs[i];

		for (size_t k = 0; k <= c->n_subs; k++) {
			const struct subkey *sk = k < c->n_subs ? &c->subs[k] : NULL;
			struct sn_err err;

			if (!sn_pgp_sig_names(s, sk != NULL ? &sk->key : &c->primary))
				continue;
			memset(&err, 0, sizeof(err));
			rc = try_key(out, c, sk, s, data, len, now, &err);
			if (rc == 0)
				return 0;
			if (tried++ == 0)
				first = err;
		}
	}
	if (tried == 0)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: made by key %s, which is not one of the pinned keys", issuer);
	return sn_seterr(e, rc, "%s", first.msg);
}

int sn_pgp_keyring_describe(const struct sn_pgp_keyring *kr, struct sn_buf *out, struct sn_err *e)
{
	int rc = 0;

	for (size_t i = 0; kr != NULL && i < kr->n_certs && rc == 0; i++) {
		const struct cert *c = &kr->certs[i];
		const struct uid *first = c->n_uids != 0 ? &c->uids[0] : NULL, *u = first;

		/* The first user ID with a certification that counts (the time
		 * aside), for a name. */
		for (size_t j = 0; j < c->n_uids && u == first; j++)
			for (size_t k = 0; k < c->uids[j].certs.n; k++)
				if (c->uids[j].certs.v[k].ok)
					u = &c->uids[j];
		if (i != 0)
			rc = sn_buf_append_str(out, ", ", e);
		if (rc == 0)
			rc = sn_buf_append_str(out, c->primary.fpr_hex, e);
		if (rc == 0 && u != NULL) {
			rc = sn_buf_append_str(out, " (", e);
			if (rc == 0)
				rc = sn_buf_append(out, u->data, u->len, e);
			if (rc == 0)
				rc = sn_buf_append_str(out, ")", e);
		}
	}
	return rc;
}
