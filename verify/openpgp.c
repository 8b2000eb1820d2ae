/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/openpgp.c: the OpenPGP simple-signing backend (SPEC §3.4), in
 * process and its own authority: no gpg, no keyring.  The pinned
 * certificates are judged by pgp_cert.c, a message's packets by the
 * grammar below, its one signature by the rules of verify() (docs/signing.md
 * has them all as a table).
 */
#include "verify.h"
#include "base/pgp.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

/* ---- signed messages ------------------------------------------------- */

/* Inflates a compressed data packet body (algorithm octet + data) into
 * out.  Data after the end of the compressed stream is refused: gpg
 * silently ignores it, which would let anything ride along. */
static int pgp_decompress(struct sn_buf *out, const unsigned char *body, size_t len, const char *what,
                          struct sn_err *e)
{
	unsigned char chunk[16384];
	z_stream zs;
	int wbits, zrc, rc = 0;

	if (len < 1)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty compressed data packet", what);
	/* RFC 4880 §9.3: 0 uncompressed, 1 ZIP (raw deflate), 2 ZLIB, 3 BZip2. */
	if (body[0] == 0)
		return sn_buf_append(out, body + 1, len - 1, e);
	if (body[0] == 3)
		return sn_seterr(
		    e, SIGNET_EUNSUPPORTED,
		    "%s: compressed with BZip2, which signet does not decode (sign with ZIP or ZLIB "
		    "compression, gpg's default)",
		    what);
	if (body[0] != 1 && body[0] != 2)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: unknown compression algorithm %u", what, body[0]);
	wbits = body[0] == 1 ? -15 : 15;
	if (len - 1 > UINT32_MAX)
		return sn_seterr(e, SIGNET_ELIMIT, "%s: compressed data too large", what);
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, wbits) != Z_OK)
		return sn_enomem(e);
	zs.next_in = (Bytef *)(uintptr_t)(body + 1);
	zs.avail_in = (uInt)(len - 1);
	for (;;) {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zrc = inflate(&zs, Z_NO_FLUSH);
		if ((zrc == Z_OK || zrc == Z_STREAM_END || zrc == Z_BUF_ERROR) &&
		    (rc = sn_buf_append(out, chunk, sizeof(chunk) - zs.avail_out, e)) != 0) {
			if (rc == SIGNET_ELIMIT)
				rc = sn_seterr(
				    e, SIGNET_ELIMIT,
				    "%s: decompressed OpenPGP message is larger than the limit of %zu bytes",
				    what, out->max);
			goto out;
		}
		if (zrc == Z_STREAM_END)
			break;
		if (zrc == Z_BUF_ERROR && zs.avail_in == 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: truncated compressed data", what);
			goto out;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: corrupt compressed data (%s)", what,
			               zs.msg != NULL ? zs.msg : "inflate failed");
			goto out;
		}
	}
	if (zs.avail_in != 0)
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: %u bytes of trailing data after the end of the compressed stream", what,
		               zs.avail_in);
out:
	inflateEnd(&zs);
	return rc;
}

/* Appends the data of a literal data packet body to literal. */
static int literal_data(struct sn_buf *literal, const unsigned char *body, size_t len, const char *what,
                        struct sn_err *e)
{
	size_t hdr;
	int rc;

	if (len < 2 || len < (hdr = 2 + (size_t)body[1] + 4))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: literal data packet too short", what);
	if ((rc = sn_buf_append(literal, body + hdr, len - hdr, e)) == SIGNET_ELIMIT)
		return sn_seterr(e, SIGNET_ELIMIT, "%s: signed payload is larger than the limit of %zu bytes",
		                 what, literal->max);
	return rc;
}

struct msg_check {
	struct sn_buf inflated; /* the decompressed inner message */
	struct sn_buf scratch;  /* partial-length bodies of the outer message */
	struct sn_buf scratch2; /* ... and of the inner one */
	struct sn_buf *literal; /* the signed payload */
	struct sn_buf *sig;     /* if not NULL: a copy of the first signature packet body */
	struct sn_buf *ops;     /* if not NULL: ... and of the first one-pass signature's */
	size_t n_sigs;
};

/* Copies the first packet body of a kind into out (when wanted). */
static int keep_first(struct sn_buf *out, const unsigned char *body, size_t len, struct sn_err *e)
{
	if (out == NULL || out->data != NULL)
		return 0;
	return sn_buf_append(out, body, len, e);
}

/*
 * Checks that a packet sequence is a signed message as signet accepts it:
 * [one-pass signature | signature]..., exactly one literal data packet,
 * [signature]..., with as many trailing signatures as one-pass ones; or,
 * at the outer level only, a single compressed data packet holding such a
 * sequence (M2; M3 is sn_pgp_next's, M4 and M5 pgp_decompress's and the
 * check after it).  Counts the signatures and copies the literal data.
 */
static int msg_sequence(struct msg_check *m, struct sn_pgp_reader *r, int outer, struct sn_err *e)
{
	size_t n_ops = 0, n_lead = 0, n_trail = 0, n_packets = 0, body_len;
	const unsigned char *body;
	struct sn_pgp_reader inner;
	int have_literal = 0, rc;
	unsigned int tag;

	while (r->off < r->len) {
		if ((rc = sn_pgp_next(r, &tag, &body, &body_len, outer ? &m->scratch : &m->scratch2, e)) != 0)
			return rc;
		switch (tag) {
		case SN_PGP_COMPRESSED:
			if (!outer)
				return sn_seterr(e, SIGNET_EBADINPUT, "%s: nested compressed data packets",
				                 r->what);
			if (n_packets != 0)
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: a compressed data packet after other packets", r->what);
			if ((rc = pgp_decompress(&m->inflated, body, body_len, r->what, e)) != 0)
				return rc;
			if (r->off != r->len)
				return sn_seterr(
				    e, SIGNET_EBADINPUT,
				    "%s: %zu bytes of trailing data after the compressed data packet",
				    r->what, r->len - r->off);
			inner.p = m->inflated.data;
			inner.len = m->inflated.len;
			inner.off = 0;
			inner.what = r->what;
			if (inner.len == 0)
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: the compressed data packet is empty", r->what);
			return msg_sequence(m, &inner, 0, e);
		case SN_PGP_ONE_PASS:
			if (have_literal)
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: a one-pass signature packet after the literal data",
				                 r->what);
			if ((rc = keep_first(m->ops, body, body_len, e)) != 0)
				return rc;
			n_ops++;
			break;
		case SN_PGP_SIGNATURE:
			if ((rc = keep_first(m->sig, body, body_len, e)) != 0)
				return rc;
			if (have_literal)
				n_trail++;
			else
				n_lead++;
			break;
		case SN_PGP_LITERAL:
			if (have_literal)
				return sn_seterr(e, SIGNET_EBADINPUT, "%s: more than one literal data packet",
				                 r->what);
			if ((rc = literal_data(m->literal, body, body_len, r->what, e)) != 0)
				return rc;
			have_literal = 1;
			break;
		case SN_PGP_PKESK:
		case SN_PGP_SKESK:
		case SN_PGP_SED:
		case SN_PGP_SEIPD:
		case SN_PGP_AEAD:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: an encrypted OpenPGP message (%s packet), not a signed one",
			                 r->what, sn_pgp_tag_name(tag));
		default:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: unexpected %s packet (tag %u) in a signed message", r->what,
			                 sn_pgp_tag_name(tag), tag);
		}
		n_packets++;
	}
	if (n_packets == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty OpenPGP message", r->what);
	if (!have_literal)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: no literal data packet (a detached signature? simple signing carries the "
		    "payload inside the message)",
		    r->what);
	if (n_ops != n_trail)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: %zu one-pass signature packets but %zu signature packets after the literal "
		    "data",
		    r->what, n_ops, n_trail);
	m->n_sigs = n_lead + n_trail;
	return 0;
}

/* Structure check of a signature message; see msg_sequence.  literal
 * (and sig and ops, unless NULL) are initialized by the caller. */
static int msg_check(struct sn_buf *literal, struct sn_buf *sig, struct sn_buf *ops, size_t *n_sigs,
                     const unsigned char *data, size_t len, struct sn_err *e)
{
	struct sn_pgp_reader r = {data, len, 0, "signature"};
	struct msg_check m;
	int rc;

	memset(&m, 0, sizeof(m));
	sn_buf_init(&m.inflated, SN_OPENPGP_MAX_MESSAGE_SIZE, "decompressed OpenPGP message");
	sn_buf_init(&m.scratch, SIGNET_MAX_SIGNATURE_SIZE, "OpenPGP packet");
	sn_buf_init(&m.scratch2, SN_OPENPGP_MAX_MESSAGE_SIZE, "OpenPGP packet");
	m.literal = literal;
	m.sig = sig;
	m.ops = ops;
	rc = msg_sequence(&m, &r, 1, e);
	if (rc == 0)
		*n_sigs = m.n_sigs;
	sn_buf_free(&m.inflated);
	sn_buf_free(&m.scratch);
	sn_buf_free(&m.scratch2);
	return rc;
}

int sn_openpgp_check_structure(const void *data, size_t len, struct sn_err *e)
{
	struct sn_buf literal;
	size_t n_sigs = 0;
	int rc;

	if (len == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "signature: empty OpenPGP message");
	sn_buf_init(&literal, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	rc = msg_check(&literal, NULL, NULL, &n_sigs, data, len, e);
	sn_buf_free(&literal);
	return rc;
}

int sn_openpgp_check_key(const void *data, size_t len, const char *what, struct sn_err *e)
{
	struct sn_pgp_keyring *kr = NULL;
	struct sn_buf bin;
	int rc;

	sn_buf_init(&bin, len, "pinned key");
	if ((rc = sn_pgp_key_file(&bin, data, len, what, e)) == 0)
		rc = sn_pgp_keyring_add(&kr, bin.data, bin.len, what, e);
	sn_pgp_keyring_free(kr);
	sn_buf_free(&bin);
	return rc;
}

/* ---- the verifier ---------------------------------------------------- */

struct openpgp_verifier {
	struct sn_buf *files; /* the pinned files as binary packets: the keyring points into them */
	size_t n_files;
	struct sn_pgp_keyring *kr;
};

static void openpgp_verifier_free(void *state)
{
	struct openpgp_verifier *v = state;

	if (v == NULL)
		return;
	sn_pgp_keyring_free(v->kr);
	for (size_t i = 0; i < v->n_files; i++)
		sn_buf_free(&v->files[i]);
	free(v->files);
	free(v);
}

static int openpgp_verifier_new(void **state, const struct sn_buf *keys, const char *const *key_names,
                                size_t n_keys, struct sn_err *e)
{
	struct openpgp_verifier *v;
	int rc = 0;

	if (n_keys == 0)
		return sn_seterr(e, SIGNET_EINVAL, "OpenPGP verifier: no keys pinned");
	if ((v = calloc(1, sizeof(*v))) == NULL || (v->files = calloc(n_keys, sizeof(*v->files))) == NULL) {
		free(v);
		return sn_enomem(e);
	}
	v->n_files = n_keys;
	for (size_t i = 0; i < n_keys && rc == 0; i++) {
		char what[512];

		(void)snprintf(what, sizeof(what), "pinned key \"%s\"",
		               key_names != NULL && key_names[i] != NULL ? key_names[i] : "(unnamed)");
		sn_buf_init(&v->files[i], keys[i].len, "pinned key");
		if ((rc = sn_pgp_key_file(&v->files[i], keys[i].data, keys[i].len, what, e)) == 0)
			rc = sn_pgp_keyring_add(&v->kr, v->files[i].data, v->files[i].len, what, e);
	}
	if (rc != 0) {
		openpgp_verifier_free(v);
		return rc;
	}
	*state = v;
	return 0;
}

/*
 * M6: the one-pass signature packet announces the signature: version 3,
 * the same type, hash and public-key algorithms, the key id of the key
 * that made it, and it is the last one-pass packet (RFC 4880 §5.4).
 */
static int ops_check(const struct sn_buf *ops, const struct sn_pgp_sig *s, const struct sn_pgp_key *k,
                     struct sn_err *e)
{
	const unsigned char *p = ops->data;

	if (ops->len == 0)
		return 0;
	if (ops->len != 13 || p[0] != 3 || p[1] != s->type || p[2] != s->hash_algo || p[3] != s->pk_algo ||
	    memcmp(p + 4, k->fpr + 12, 8) != 0 || p[12] != 1)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: the one-pass signature packet does not announce the signature that "
		    "follows (version, type, algorithms or key id differ)");
	return 0;
}

/*
 * S2-S6: what a data signature must be, whoever made it (S1, S4 in part:
 * sn_pgp_sig_parse).  The signing
 * key's validity and the arithmetic are sn_pgp_keyring_signer's.
 */
static int data_sig_check(const struct sn_pgp_sig *s, int64_t now, struct sn_err *e)
{
	const char *weak = sn_pgp_weak_hash(s->hash_algo);
	char issuer[41];

	sn_pgp_sig_issuer(issuer, s);
	if (s->type != SN_PGP_SIG_BINARY)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    s->type == SN_PGP_SIG_TEXT
		        ? "signature: a text-mode signature (type 0x01); simple signing signs the "
		          "payload's bytes (type 0x00)"
		        : "signature: the signature packet is not a signature over data (type 0x%02x)",
		    s->type);
	if (weak != NULL)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: made with %s, which signet refuses (SHA-2 only)", weak);
	if (s->critical != 0)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: has a critical subpacket of type %u, which signet does not interpret",
		    s->critical);
	if (s->created > now)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: the signature by key %s is dated in the future", issuer);
	if (s->expires != 0 && s->created + (int64_t)s->expires <= now)
		return sn_seterr(e, SIGNET_EDENIED, "signature: the signature by key %s has expired", issuer);
	return 0;
}

/* A user ID as a C string: bytes outside printable ASCII become '?'. */
static char *printable(const unsigned char *p, size_t n, struct sn_err *e)
{
	char *s = malloc(n + 1);

	if (s == NULL) {
		(void)sn_enomem(e);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		s[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	s[n] = '\0';
	return s;
}

static int openpgp_verify(void *state, const void *blob, size_t len, struct sn_buf *payload,
                          struct sn_signer *signer, struct sn_err *e)
{
	struct openpgp_verifier *v = state;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_pgp_signer by;
	struct sn_pgp_sig s;
	struct sn_buf literal, sig_pkt, ops_pkt;
	const unsigned char *msg;
	enum sn_sig_format fmt;
	const char *why;
	size_t msg_len, n_sigs = 0;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "signature blob is larger than the limit of %u bytes",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	/* M1: a binary message (armor, cleartext and the rest: sn_sig_detect). */
	if ((rc = sn_sig_detect(&fmt, &msg, &msg_len, blob, len, e)) != 0)
		return rc;
	if (fmt != SN_SIG_SIMPLE_SIGNING)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "signature blob: a sigstore signature, not an OpenPGP one");
	sn_buf_init(&literal, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	sn_buf_init(&sig_pkt, SN_OPENPGP_MAX_MESSAGE_SIZE, "signature packet");
	sn_buf_init(&ops_pkt, SN_OPENPGP_MAX_MESSAGE_SIZE, "one-pass signature packet");
	if ((rc = msg_check(&literal, &sig_pkt, &ops_pkt, &n_sigs, msg, msg_len, e)) != 0)
		goto out;
	if (n_sigs != 1) {
		rc = n_sigs == 0
		         ? sn_seterr(e, SIGNET_EDENIED,
		                     "signature: the OpenPGP message carries no signature (unsigned literal "
		                     "data)")
		         : sn_seterr(e, SIGNET_EDENIED,
		                     "signature: the OpenPGP message carries %zu signatures; exactly one is "
		                     "required",
		                     n_sigs);
		goto out;
	}
	if (sn_pgp_sig_parse(&s, sig_pkt.data, sig_pkt.len, &why) != 0) {
		rc = sn_seterr(e, SIGNET_EDENIED, "signature: the signature packet is %s", why);
		goto out;
	}
	if ((rc = data_sig_check(&s, now, e)) != 0 ||
	    (rc = sn_pgp_keyring_signer(&by, v->kr, &s, literal.data, literal.len, now, e)) != 0 ||
	    (rc = ops_check(&ops_pkt, &s, by.key, e)) != 0)
		goto out;
	if ((who.fingerprint = sn_strdup(by.primary_fpr, e)) == NULL ||
	    (who.signing_fingerprint = sn_strdup(by.key->fpr_hex, e)) == NULL ||
	    (by.uid != NULL && (who.uid = printable(by.uid, by.uid_len, e)) == NULL)) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if (literal.data == NULL && (rc = sn_buf_append(&literal, "", 0, e)) != 0)
		goto out;
	*payload = literal;
	sn_buf_init(&literal, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	*signer = who;
	memset(&who, 0, sizeof(who));
out:
	sn_signer_clear(&who);
	sn_buf_free(&literal);
	sn_buf_free(&sig_pkt);
	sn_buf_free(&ops_pkt);
	return rc;
}

static int openpgp_describe(void *state, struct sn_buf *out, struct sn_err *e)
{
	return sn_pgp_keyring_describe(((const struct openpgp_verifier *)state)->kr, out, e);
}

const struct sn_sig_backend sn_openpgp_backend = {
    .name = "openpgp",
    .verifier_new = openpgp_verifier_new,
    .verify = openpgp_verify,
    .describe = openpgp_describe,
    .verifier_free = openpgp_verifier_free,
};
