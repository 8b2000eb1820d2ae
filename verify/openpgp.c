/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/openpgp.c: OpenPGP simple signing (SPEC §3.4) through gpgme,
 * against pinned keys only.
 *
 * gpg is lenient where a verifier must not be: it ignores bytes after the
 * end of a compressed stream, and it would happily decrypt, fetch keys or
 * start an agent.  So signet checks the packet structure of every key and
 * every signature itself first (RFC 4880 §4.2 framing, §11.3 grammar) and
 * hands gpg only what passed, in a private home whose gpg.conf forbids
 * anything beyond local verification.
 */
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gpgme.h>
#include <zlib.h>

/* The private home's configuration: no agent, no dirmngr, no key lookup
 * of any kind (auto-key-import would take a key from the signature
 * itself), nothing but the keys imported here. */
static const char gpg_conf[] = "no-autostart\n"
                               "no-auto-key-retrieve\n"
                               "no-auto-key-import\n"
                               "auto-key-locate local\n"
                               "no-greeting\n";

/* ---- gpgme setup ----------------------------------------------------- */

static pthread_once_t gpgme_once = PTHREAD_ONCE_INIT;
static int gpgme_init_failed;

static void gpgme_init_once(void)
{
	/* Also makes gpgme ignore SIGPIPE if the application did not decide. */
	if (gpgme_check_version(NULL) == NULL || gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP) != 0)
		gpgme_init_failed = 1;
}

int sn_gpgme_init(struct sn_err *e)
{
	if (pthread_once(&gpgme_once, gpgme_init_once) != 0 || gpgme_init_failed)
		return sn_seterr(e, SIGNET_EIO, "gpgme: no usable OpenPGP engine (is gpg installed?)");
	return 0;
}

/* Records code with "<prefix>: <gpgme's reason>". */
SN_PRINTF(4, 5) static int gpgme_err(struct sn_err *e, int code, gpgme_error_t err, const char *fmt, ...)
{
	char what[1024], reason[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (gpgme_strerror_r(err, reason, sizeof(reason)) != 0)
		(void)snprintf(reason, sizeof(reason), "gpgme error %u", (unsigned int)err);
	return sn_seterr(e, code, "%s: %s", what, reason);
}

/* ---- OpenPGP packet framing ------------------------------------------ */

enum {
	PKT_PKESK = 1,
	PKT_SIGNATURE = 2,
	PKT_SKESK = 3,
	PKT_ONE_PASS = 4,
	PKT_SECRET_KEY = 5,
	PKT_PUBLIC_KEY = 6,
	PKT_SECRET_SUBKEY = 7,
	PKT_COMPRESSED = 8,
	PKT_SED = 9,
	PKT_MARKER = 10,
	PKT_LITERAL = 11,
	PKT_TRUST = 12,
	PKT_USER_ID = 13,
	PKT_PUBLIC_SUBKEY = 14,
	PKT_USER_ATTRIBUTE = 17,
	PKT_SEIPD = 18,
	PKT_MDC = 19,
	PKT_AEAD = 20,
};

static const char *tag_name(unsigned int tag)
{
	switch (tag) {
	case PKT_PKESK: return "public-key encrypted session key";
	case PKT_SIGNATURE: return "signature";
	case PKT_SKESK: return "symmetric-key encrypted session key";
	case PKT_ONE_PASS: return "one-pass signature";
	case PKT_SECRET_KEY: return "secret key";
	case PKT_PUBLIC_KEY: return "public key";
	case PKT_SECRET_SUBKEY: return "secret subkey";
	case PKT_COMPRESSED: return "compressed data";
	case PKT_SED: return "symmetrically encrypted data";
	case PKT_MARKER: return "marker";
	case PKT_LITERAL: return "literal data";
	case PKT_TRUST: return "trust";
	case PKT_USER_ID: return "user id";
	case PKT_PUBLIC_SUBKEY: return "public subkey";
	case PKT_USER_ATTRIBUTE: return "user attribute";
	case PKT_SEIPD: return "encrypted and integrity protected data";
	case PKT_MDC: return "modification detection code";
	case PKT_AEAD: return "AEAD encrypted data";
	default: return "unknown";
	}
}

/* A sequence of packets being read. */
struct pgp_reader {
	const unsigned char *p;
	size_t len;
	size_t off;
	const char *what; /* names the stream in messages */
};

static int truncated(const struct pgp_reader *r, unsigned int tag, struct sn_err *e)
{
	return sn_seterr(e, SIGNET_EBADINPUT, "%s: truncated OpenPGP data (a %s packet runs past the end)",
	                 r->what, tag_name(tag));
}

/* Reads n big-endian bytes of a length. */
static int read_len(struct pgp_reader *r, size_t n, unsigned int tag, size_t *out, struct sn_err *e)
{
	size_t v = 0;

	if (n > r->len - r->off)
		return truncated(r, tag, e);
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | r->p[r->off++];
	*out = v;
	return 0;
}

/*
 * Reads the next packet.  *body points into the stream, or into scratch
 * when the packet uses partial body lengths (the chunks are joined there;
 * scratch NULL refuses them).  An old-format packet of indeterminate
 * length extends to the end of the stream (refused unless allow_indet).
 */
static int pgp_next(struct pgp_reader *r, unsigned int *tag_out, const unsigned char **body, size_t *body_len,
                    struct sn_buf *scratch, int allow_indet, struct sn_err *e)
{
	size_t start = r->off, n, o1, o2 = 0;
	unsigned int tag;
	unsigned char b;
	int rc;

	b = r->p[r->off++];
	if ((b & 0x80) == 0)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: not OpenPGP data: byte 0x%02x at offset %zu is not a packet header",
		                 r->what, b, start);
	if ((b & 0x40) == 0) {
		/* Old format: tag in bits 5-2, length type in bits 1-0. */
		tag = (b >> 2) & 0x0fu;
		if (tag == 0)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: reserved packet tag 0 at offset %zu",
			                 r->what, start);
		switch (b & 3) {
		case 3:
			if (!allow_indet)
				return sn_seterr(
				    e, SIGNET_EBADINPUT,
				    "%s: a %s packet of indeterminate length is not allowed here", r->what,
				    tag_name(tag));
			n = r->len - r->off;
			break;
		default:
			if ((rc = read_len(r, (size_t)1 << (b & 3), tag, &n, e)) != 0)
				return rc;
		}
		if (n > r->len - r->off)
			return truncated(r, tag, e);
		*tag_out = tag;
		*body = r->p + r->off;
		*body_len = n;
		r->off += n;
		return 0;
	}
	/* New format. */
	tag = b & 0x3fu;
	if (tag == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: reserved packet tag 0 at offset %zu", r->what,
		                 start);
	for (int first = 1;; first = 0) {
		int partial = 0;

		if (r->off >= r->len)
			return truncated(r, tag, e);
		o1 = r->p[r->off++];
		if (o1 < 192) {
			n = o1;
		} else if (o1 < 224) {
			if ((rc = read_len(r, 1, tag, &o2, e)) != 0)
				return rc;
			n = ((o1 - 192) << 8) + o2 + 192;
		} else if (o1 == 255) {
			if ((rc = read_len(r, 4, tag, &n, e)) != 0)
				return rc;
		} else {
			n = (size_t)1 << (o1 & 0x1f);
			partial = 1;
		}
		if (n > r->len - r->off)
			return truncated(r, tag, e);
		if (first && !partial) {
			*tag_out = tag;
			*body = r->p + r->off;
			*body_len = n;
			r->off += n;
			return 0;
		}
		/* RFC 4880 §4.2.2.4: only data packets may be split. */
		if (scratch == NULL || !(tag == PKT_LITERAL || tag == PKT_COMPRESSED || tag == PKT_SED ||
		                         tag == PKT_SEIPD || tag == PKT_AEAD))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: a %s packet with partial body lengths is not allowed here",
			                 r->what, tag_name(tag));
		if (first)
			sn_buf_reset(scratch);
		if ((rc = sn_buf_append(scratch, r->p + r->off, n, e)) != 0)
			return rc;
		r->off += n;
		if (!partial) {
			*tag_out = tag;
			*body = scratch->data;
			*body_len = scratch->len;
			return 0;
		}
	}
}

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
 * sequence.  Counts the signatures and copies the literal data.
 */
static int msg_sequence(struct msg_check *m, struct pgp_reader *r, int outer, struct sn_err *e)
{
	size_t n_ops = 0, n_lead = 0, n_trail = 0, n_packets = 0, body_len;
	const unsigned char *body;
	struct pgp_reader inner;
	int have_literal = 0, rc;
	unsigned int tag;

	while (r->off < r->len) {
		if ((rc = pgp_next(r, &tag, &body, &body_len, outer ? &m->scratch : &m->scratch2, 1, e)) != 0)
			return rc;
		switch (tag) {
		case PKT_COMPRESSED:
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
		case PKT_ONE_PASS:
			if (have_literal)
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: a one-pass signature packet after the literal data",
				                 r->what);
			if ((rc = keep_first(m->ops, body, body_len, e)) != 0)
				return rc;
			n_ops++;
			break;
		case PKT_SIGNATURE:
			if ((rc = keep_first(m->sig, body, body_len, e)) != 0)
				return rc;
			if (have_literal)
				n_trail++;
			else
				n_lead++;
			break;
		case PKT_LITERAL:
			if (have_literal)
				return sn_seterr(e, SIGNET_EBADINPUT, "%s: more than one literal data packet",
				                 r->what);
			if ((rc = literal_data(m->literal, body, body_len, r->what, e)) != 0)
				return rc;
			have_literal = 1;
			break;
		case PKT_PKESK:
		case PKT_SKESK:
		case PKT_SED:
		case PKT_SEIPD:
		case PKT_AEAD:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: an encrypted OpenPGP message (%s packet), not a signed one",
			                 r->what, tag_name(tag));
		default:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: unexpected %s packet (tag %u) in a signed message", r->what,
			                 tag_name(tag), tag);
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
	struct pgp_reader r = {data, len, 0, "signature"};
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

/* ---- pinned keys ----------------------------------------------------- */

#define ARMOR_PUBLIC_BEGIN  "-----BEGIN PGP PUBLIC KEY BLOCK-----"
#define ARMOR_PUBLIC_END    "-----END PGP PUBLIC KEY BLOCK-----"
#define ARMOR_PRIVATE_BEGIN "-----BEGIN PGP PRIVATE KEY BLOCK-----"
#define ARMOR_ANY_BEGIN     "-----BEGIN PGP "

/* Strict base64: a multiple of 4 characters, padding only at the end. */
static int b64_decode(struct sn_buf *out, const unsigned char *s, size_t n, const char *what,
                      struct sn_err *e)
{
	unsigned char q[3];
	int rc;

	if (n % 4 != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: armor body is not valid base64 (length)", what);
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;

		for (int j = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == n && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			v[j] = pad != 0 ? -1 : sn_base64_value(s[i + j]);
			if (v[j] < 0)
				return sn_seterr(e, SIGNET_EBADINPUT, "%s: armor body is not valid base64",
				                 what);
		}
		q[0] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		q[1] = (unsigned char)((v[1] & 0xf) << 4 | v[2] >> 2);
		q[2] = (unsigned char)((v[2] & 0x3) << 6 | v[3]);
		if ((rc = sn_buf_append(out, q, (size_t)(3 - pad), e)) != 0)
			return rc;
	}
	return 0;
}

/* RFC 4880 §6.1. */
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

static int line_is(const unsigned char *line, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(line, s, n) == 0;
}

static int line_starts(const unsigned char *line, size_t n, const char *s)
{
	return n >= strlen(s) && memcmp(line, s, strlen(s)) == 0;
}

/*
 * Decodes one or more "PGP PUBLIC KEY BLOCK" armor blocks into binary.
 * Only white space may surround the blocks; headers ("Key: value") are
 * skipped; a CRC line, when present, must match.
 */
static int armor_decode(struct sn_buf *out, const unsigned char *t, size_t len, const char *what,
                        struct sn_err *e)
{
	enum { OUTSIDE, HEADERS, BODY, AFTER_CRC } state = OUTSIDE;
	struct sn_buf b64, block;
	size_t pos = 0, lineno = 0, blocks = 0;
	uint32_t crc = 0;
	int have_crc = 0, rc = 0;

	sn_buf_init(&b64, len, "armor");
	sn_buf_init(&block, len, "armor");
	while (pos < len) {
		const unsigned char *line = t + pos, *nl = memchr(t + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - line) : len - pos;

		pos += n + (nl != NULL);
		lineno++;
		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		switch (state) {
		case OUTSIDE:
			while (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
				line++;
				n--;
			}
			if (n == 0)
				continue;
			if (line_is(line, n, ARMOR_PUBLIC_BEGIN)) {
				state = HEADERS;
				blocks++;
				have_crc = 0;
				sn_buf_reset(&b64);
				continue;
			}
			if (line_starts(line, n, ARMOR_PRIVATE_BEGIN)) {
				rc = sn_seterr(e, SIGNET_EBADINPUT,
				               "%s: is a secret key; pin public keys only (gpg --export, not "
				               "--export-secret-keys)",
				               what);
				goto out;
			}
			if (line_starts(line, n, ARMOR_ANY_BEGIN)) {
				rc = sn_seterr(e, SIGNET_EBADINPUT,
				               "%s: armored \"%.*s\", not a public key block", what,
				               (int)(n > 60 ? 60 : n), (const char *)line);
				goto out;
			}
			rc =
			    sn_seterr(e, SIGNET_EBADINPUT,
			              "%s: unexpected text outside an armor block at line %zu", what, lineno);
			goto out;
		case HEADERS:
			if (n == 0) {
				state = BODY;
				continue;
			}
			if (memchr(line, ':', n) != NULL)
				continue;
			state = BODY;
			/* A body line without the blank separator: go on below. */
			__attribute__((fallthrough));
		case BODY:
			if (n == 0)
				continue;
			if (line_is(line, n, ARMOR_PUBLIC_END))
				break;
			if (line[0] == '=') {
				sn_buf_reset(&block);
				if (n != 5 || (rc = b64_decode(&block, line + 1, 4, what, e)) != 0) {
					rc = sn_seterr(e, SIGNET_EBADINPUT,
					               "%s: invalid armor checksum line %zu", what, lineno);
					goto out;
				}
				crc = (uint32_t)block.data[0] << 16 | (uint32_t)block.data[1] << 8 |
				      block.data[2];
				have_crc = 1;
				state = AFTER_CRC;
				continue;
			}
			if ((rc = sn_buf_append(&b64, line, n, e)) != 0)
				goto out;
			continue;
		case AFTER_CRC:
			if (n == 0)
				continue;
			if (line_is(line, n, ARMOR_PUBLIC_END))
				break;
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: text after the armor checksum at line %zu",
			               what, lineno);
			goto out;
		}
		/* The END line of a block. */
		sn_buf_reset(&block);
		if ((rc = b64_decode(&block, b64.data, b64.len, what, e)) != 0)
			goto out;
		if (have_crc && crc24(block.data, block.len) != crc) {
			rc =
			    sn_seterr(e, SIGNET_EBADINPUT, "%s: armor checksum mismatch (corrupt key)", what);
			goto out;
		}
		if ((rc = sn_buf_append(out, block.data, block.len, e)) != 0)
			goto out;
		state = OUTSIDE;
	}
	if (state != OUTSIDE)
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: armor block without an END line", what);
	else if (blocks == 0)
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: no armor block", what);
out:
	sn_buf_free(&b64);
	sn_buf_free(&block);
	return rc;
}

/* Checks that bin is a sequence of transferable public keys (RFC 4880
 * §11.1) and nothing else. */
static int key_packets_check(const unsigned char *bin, size_t len, const char *what, struct sn_err *e)
{
	struct pgp_reader r = {bin, len, 0, what};
	const unsigned char *body;
	size_t body_len, n_packets = 0;
	unsigned int tag;
	int rc;

	/* Name what the file is before the framing rules do. */
	if (len > 0 && (bin[0] & 0x80) != 0) {
		tag = (bin[0] & 0x40) != 0 ? (bin[0] & 0x3fu) : ((bin[0] >> 2) & 0x0fu);
		if (tag != PKT_PUBLIC_KEY && tag != PKT_SECRET_KEY)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: not an OpenPGP public key (starts with a %s packet)", what,
			                 tag_name(tag));
	}
	while (r.off < r.len) {
		if ((rc = pgp_next(&r, &tag, &body, &body_len, NULL, 0, e)) != 0)
			return rc;
		switch (tag) {
		case PKT_SECRET_KEY:
		case PKT_SECRET_SUBKEY:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: contains a secret key; pin public keys only (gpg --export, not "
			                 "--export-secret-keys)",
			                 what);
		case PKT_PUBLIC_KEY: break;
		case PKT_PUBLIC_SUBKEY:
		case PKT_USER_ID:
		case PKT_USER_ATTRIBUTE:
		case PKT_SIGNATURE:
		case PKT_TRUST:
			if (n_packets == 0)
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: not an OpenPGP public key (starts with a %s packet)",
				                 what, tag_name(tag));
			break;
		default:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: not an OpenPGP public key (%s packet, tag %u, at offset %zu)",
			                 what, tag_name(tag), tag, (size_t)(body - bin));
		}
		n_packets++;
	}
	if (n_packets == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty", what);
	return 0;
}

/* The binary packets of a pinned key file, armored or not, checked. */
static int key_to_binary(struct sn_buf *bin, const unsigned char *data, size_t len, const char *what,
                         struct sn_err *e)
{
	size_t i = 0;
	int rc;

	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i == len)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty", what);
	if (data[i] == '-')
		rc = armor_decode(bin, data, len, what, e);
	else if ((data[0] & 0x80) != 0)
		rc = sn_buf_append(bin, data, len, e);
	else
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: not an OpenPGP key (neither ASCII armor nor binary OpenPGP packets)",
		                 what);
	if (rc != 0)
		return rc;
	return key_packets_check(bin->data, bin->len, what, e);
}

int sn_openpgp_check_key(const void *data, size_t len, const char *what, struct sn_err *e)
{
	struct sn_buf bin;
	int rc;

	sn_buf_init(&bin, len, "pinned key");
	rc = key_to_binary(&bin, data, len, what, e);
	sn_buf_free(&bin);
	return rc;
}

/* ---- the verifier ---------------------------------------------------- */

/*
 * A fingerprint that may sign, and the pinned primary key it stands for.
 * usable and expires are gpg's verdict on the key when it was imported
 * (revoked, expired, invalid, disabled, not for signing), which the
 * in-process check (openpgp_fast.c) relies on; key is the public key
 * material from the pinned file, fpr[0] == '\0' when not found there.
 */
struct accepted {
	char *fpr;     /* a primary key or one of its signing subkeys */
	char *primary; /* the primary key's fingerprint */
	char *uid;     /* the primary key's first user id, or NULL */
	int usable;    /* gpg would let it sign now (until expires) */
	int64_t expires; /* earliest expiry of the key and its primary, 0 = never */
	struct sn_pgp_pubkey key;
};

struct openpgp_verifier {
	gpgme_ctx_t ctx;
	char *home;
	struct accepted *acc;
	size_t n_acc;
	int in_process;      /* decide without gpg where that is safe (default on) */
	size_t n_in_process; /* signatures decided so */
	char (*known)[41];   /* every v4 key and subkey in the pinned files */
	size_t n_known;
	int known_all;       /* no pinned key packet of another version */
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
	return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

static int remove_tree(const char *path, struct sn_err *e)
{
	if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0 && errno != ENOENT)
		return sn_seterr(e, SIGNET_EIO, "removing %s: %s", path, strerror(errno));
	return 0;
}

/* gpg.conf forbids starting an agent, so there should never be one; if a
 * socket exists anyway, ask that agent to exit, over assuan. */
static void kill_agent(const char *home)
{
	gpgme_ctx_t actx = NULL;
	struct stat st;
	char *sock;

	sock = sn_aprintf(NULL, "%s/S.gpg-agent", home);
	if (sock == NULL)
		return;
	if (lstat(sock, &st) == 0 && S_ISSOCK(st.st_mode) && gpgme_new(&actx) == 0) {
		gpgme_error_t op_err = 0;

		if (gpgme_set_protocol(actx, GPGME_PROTOCOL_ASSUAN) == 0 &&
		    gpgme_ctx_set_engine_info(actx, GPGME_PROTOCOL_ASSUAN, sock, NULL) == 0)
			(void)gpgme_op_assuan_transact_ext(actx, "KILLAGENT", NULL, NULL, NULL, NULL, NULL,
			                                   NULL, &op_err);
		gpgme_release(actx);
	}
	free(sock);
}

static void openpgp_verifier_free(void *state)
{
	struct openpgp_verifier *v = state;

	if (v == NULL)
		return;
	if (v->ctx != NULL)
		gpgme_release(v->ctx);
	if (v->home != NULL) {
		kill_agent(v->home);
		(void)remove_tree(v->home, NULL);
		free(v->home);
	}
	for (size_t i = 0; i < v->n_acc; i++) {
		free(v->acc[i].fpr);
		free(v->acc[i].primary);
		free(v->acc[i].uid);
		sn_pgp_pubkey_clear(&v->acc[i].key);
	}
	free(v->acc);
	free(v->known);
	free(v);
}

static int make_home(struct openpgp_verifier *v, struct sn_err *e)
{
	const char *tmp = secure_getenv("TMPDIR");
	char *conf = NULL;
	int fd = -1, rc = 0;
	size_t n = sizeof(gpg_conf) - 1;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	if ((v->home = sn_aprintf(e, "%s/signet-gpg-XXXXXX", tmp)) == NULL)
		return SIGNET_ENOMEM;
	if (mkdtemp(v->home) == NULL) {
		rc = sn_seterr(e, SIGNET_EIO, "creating a temporary GnuPG home in %s: %s", tmp,
		               strerror(errno));
		free(v->home);
		v->home = NULL;
		return rc;
	}
	/* mkdtemp makes it 0700 already; be explicit against odd umasks. */
	if (chmod(v->home, 0700) != 0)
		return sn_seterr(e, SIGNET_EIO, "%s: %s", v->home, strerror(errno));
	if ((conf = sn_aprintf(e, "%s/gpg.conf", v->home)) == NULL)
		return SIGNET_ENOMEM;
	fd = open(conf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, gpg_conf, n) != (ssize_t)n)
		rc = sn_seterr(e, SIGNET_EIO, "writing %s: %s", conf, strerror(errno));
	if (fd >= 0 && close(fd) != 0 && rc == 0)
		rc = sn_seterr(e, SIGNET_EIO, "writing %s: %s", conf, strerror(errno));
	free(conf);
	return rc;
}

static int add_accepted(struct openpgp_verifier *v, const char *fpr, const char *primary, const char *uid,
                        int usable, int64_t expires, struct sn_err *e)
{
	struct accepted *a;

	for (size_t i = 0; i < v->n_acc; i++)
		if (strcasecmp(v->acc[i].fpr, fpr) == 0)
			return 0;
	a = realloc(v->acc, (v->n_acc + 1) * sizeof(*a));
	if (a == NULL)
		return sn_enomem(e);
	v->acc = a;
	a = &v->acc[v->n_acc];
	memset(a, 0, sizeof(*a));
	a->usable = usable;
	a->expires = expires;
	if ((a->fpr = sn_strdup(fpr, e)) == NULL || (uid != NULL && (a->uid = sn_strdup(uid, e)) == NULL) ||
	    (a->primary = sn_strdup(primary, e)) == NULL) {
		free(a->fpr);
		free(a->uid);
		return SIGNET_ENOMEM;
	}
	v->n_acc++;
	return 0;
}

/* gpg's view of a certificate and one of its (sub)keys: neither revoked,
 * expired, disabled nor invalid. */
static int key_valid(gpgme_key_t key, gpgme_subkey_t sk)
{
	return !key->revoked && !key->expired && !key->disabled && !key->invalid && !sk->revoked &&
	       !sk->expired && !sk->disabled && !sk->invalid;
}

static int64_t earliest(int64_t a, int64_t b)
{
	return a == 0 ? b : b == 0 || a < b ? a : b;
}

/* Records the primary key fpr and its signing subkeys as accepted. */
static int accept_key(struct openpgp_verifier *v, const char *fpr, const char *what, struct sn_err *e)
{
	gpgme_key_t key = NULL;
	gpgme_subkey_t pk;
	gpgme_error_t err;
	const char *uid;
	int rc;

	err = gpgme_get_key(v->ctx, fpr, &key, 0);
	if (err != 0)
		return gpgme_err(e, SIGNET_EBADINPUT, err, "%s: certificate %s imported but not found", what,
		                 fpr);
	if (key->subkeys == NULL || key->subkeys->fpr == NULL) {
		gpgme_key_unref(key);
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: certificate %s has no primary key", what, fpr);
	}
	uid = key->uids != NULL ? key->uids->uid : NULL;
	pk = key->subkeys;
	rc = add_accepted(v, pk->fpr, pk->fpr, uid, key_valid(key, pk) && pk->can_sign, pk->expires, e);
	for (gpgme_subkey_t sk = pk->next; rc == 0 && sk != NULL; sk = sk->next)
		if (sk->can_sign && sk->fpr != NULL)
			rc = add_accepted(v, sk->fpr, pk->fpr, uid, key_valid(key, pk) && key_valid(key, sk),
			                  earliest(pk->expires, sk->expires), e);
	gpgme_key_unref(key);
	return rc;
}

/* Records a fingerprint of the pinned files. */
static int add_known(struct openpgp_verifier *v, const char *fpr, struct sn_err *e)
{
	char(*k)[41] = realloc(v->known, (v->n_known + 1) * sizeof(*k));

	if (k == NULL)
		return sn_enomem(e);
	v->known = k;
	memcpy(v->known[v->n_known++], fpr, 41);
	return 0;
}

/*
 * Gives each accepted key its public key material, read from the pinned
 * file's own packets (bin, checked by key_to_binary): the fingerprint
 * binds the material, so a key gpg accepted is found by it.  Keys not
 * found or not understood (sn_pgp_pubkey_parse) stay with gpg alone.
 * Also records the fingerprint of every key and subkey packet (known).
 */
static int attach_key_material(struct openpgp_verifier *v, const struct sn_buf *bin, const char *what,
                               struct sn_err *e)
{
	struct pgp_reader r = {bin->data, bin->len, 0, what};
	const unsigned char *body;
	size_t body_len;
	unsigned int tag;
	int rc;

	while (r.off < r.len) {
		struct sn_pgp_pubkey k;

		if ((rc = pgp_next(&r, &tag, &body, &body_len, NULL, 0, e)) != 0)
			return rc;
		if (tag != PKT_PUBLIC_KEY && tag != PKT_PUBLIC_SUBKEY)
			continue;
		if (sn_pgp_pubkey_parse(&k, body, body_len) != 0) {
			v->known_all = 0; /* a v3 key: other key ids */
			continue;
		}
		if ((rc = add_known(v, k.fpr, e)) != 0) {
			sn_pgp_pubkey_clear(&k);
			return rc;
		}
		for (size_t i = 0; i < v->n_acc; i++) {
			struct accepted *a = &v->acc[i];

			if (a->key.fpr[0] == '\0' && strcasecmp(a->fpr, k.fpr) == 0) {
				a->key = k;
				memset(&k, 0, sizeof(k));
				break;
			}
		}
		sn_pgp_pubkey_clear(&k);
	}
	return 0;
}

static int import_key(struct openpgp_verifier *v, const struct sn_buf *key, const char *name,
                      struct sn_err *e)
{
	char what[512];
	struct sn_buf bin;
	gpgme_data_t d = NULL;
	gpgme_import_result_t res;
	gpgme_error_t err;
	size_t n_fprs = 0;
	char **fprs = NULL;
	int rc;

	(void)snprintf(what, sizeof(what), "pinned key \"%s\"", name != NULL ? name : "(unnamed)");
	sn_buf_init(&bin, key->len, "pinned key");
	if ((rc = key_to_binary(&bin, key->data, key->len, what, e)) != 0)
		goto out;
	err = gpgme_data_new_from_mem(&d, (const char *)bin.data, bin.len, 0);
	if (err != 0) {
		rc = gpgme_err(e, SIGNET_ENOMEM, err, "%s", what);
		goto out;
	}
	err = gpgme_op_import(v->ctx, d);
	if (err != 0) {
		rc = gpgme_err(e, SIGNET_EBADINPUT, err, "%s: gpg could not import it", what);
		goto out;
	}
	res = gpgme_op_import_result(v->ctx);
	if (res == NULL) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: gpg reported no import result", what);
		goto out;
	}
	for (gpgme_import_status_t st = res->imports; st != NULL; st = st->next) {
		char **f;

		if (st->result != 0) {
			rc = gpgme_err(e, SIGNET_EBADINPUT, st->result, "%s: gpg refused certificate %s",
			               what, st->fpr != NULL ? st->fpr : "(unknown)");
			goto out;
		}
		if ((st->status & GPGME_IMPORT_SECRET) != 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: contains a secret key; pin public keys only",
			               what);
			goto out;
		}
		if (st->fpr == NULL)
			continue;
		f = realloc(fprs, (n_fprs + 1) * sizeof(*fprs));
		if (f == NULL) {
			rc = sn_enomem(e);
			goto out;
		}
		fprs = f;
		if ((fprs[n_fprs] = sn_strdup(st->fpr, e)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		n_fprs++;
	}
	if (res->not_imported != 0 || n_fprs == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: gpg imported %zu of the %d certificates in it (no valid "
		               "self-signature or user id?)",
		               what, n_fprs, res->considered);
		goto out;
	}
	for (size_t i = 0; i < n_fprs && rc == 0; i++)
		rc = accept_key(v, fprs[i], what, e);
	if (rc == 0)
		rc = attach_key_material(v, &bin, what, e);
out:
	for (size_t i = 0; i < n_fprs; i++)
		free(fprs[i]);
	free(fprs);
	gpgme_data_release(d);
	sn_buf_free(&bin);
	return rc;
}

static int openpgp_verifier_new(void **state, const struct sn_buf *keys, const char *const *key_names,
                                size_t n_keys, struct sn_err *e)
{
	struct openpgp_verifier *v;
	gpgme_error_t err;
	int rc;

	if ((rc = sn_gpgme_init(e)) != 0)
		return rc;
	if (n_keys == 0)
		return sn_seterr(e, SIGNET_EINVAL, "OpenPGP verifier: no keys pinned");
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return sn_enomem(e);
	if ((rc = make_home(v, e)) != 0)
		goto fail;
	if ((err = gpgme_new(&v->ctx)) != 0) {
		rc = gpgme_err(e, SIGNET_EIO, err, "gpgme: creating a context");
		goto fail;
	}
	if ((err = gpgme_set_protocol(v->ctx, GPGME_PROTOCOL_OpenPGP)) != 0 ||
	    (err = gpgme_ctx_set_engine_info(v->ctx, GPGME_PROTOCOL_OpenPGP, NULL, v->home)) != 0 ||
	    (err = gpgme_set_pinentry_mode(v->ctx, GPGME_PINENTRY_MODE_CANCEL)) != 0 ||
	    (err = gpgme_set_keylist_mode(v->ctx, GPGME_KEYLIST_MODE_LOCAL)) != 0) {
		rc = gpgme_err(e, SIGNET_EIO, err, "gpgme: setting up a context with home %s", v->home);
		goto fail;
	}
	gpgme_set_armor(v->ctx, 0);
	gpgme_set_textmode(v->ctx, 0);
	gpgme_set_offline(v->ctx, 1);
	v->in_process = 1;
	v->known_all = 1;
	for (size_t i = 0; i < n_keys; i++)
		if ((rc = import_key(v, &keys[i], key_names != NULL ? key_names[i] : NULL, e)) != 0)
			goto fail;
	*state = v;
	return 0;
fail:
	openpgp_verifier_free(v);
	return rc;
}

static const struct accepted *find_accepted(const struct openpgp_verifier *v, const char *fpr)
{
	for (size_t i = 0; i < v->n_acc; i++)
		if (strcasecmp(v->acc[i].fpr, fpr) == 0)
			return &v->acc[i];
	return NULL;
}

/* Does the signature name a key of the pinned files? */
static int issuer_known(const struct openpgp_verifier *v, const struct sn_pgp_sig *s)
{
	for (size_t i = 0; i < v->n_known; i++)
		if (sn_pgp_sig_names(s, v->known[i]))
			return 1;
	return 0;
}

/*
 * The in-process check (see openpgp_fast.c).  Returns the accepted key
 * the signature names when that key is usable now and the signature is
 * good, its times in order and its one-pass packet consistent.  Otherwise
 * NULL, with *rc SIGNET_EDENIED when the signature names a key that is
 * nowhere in the pinned files (gpg could only say "no public key"; the
 * message is the one check_signature gives then), or 0 when gpg must
 * decide (every other bad or unusual signature).  sig and ops are the
 * packet bodies (ops empty when the message has none).
 */
static const struct accepted *in_process_check(struct openpgp_verifier *v, const struct sn_buf *sig,
                                               const struct sn_buf *ops, const struct sn_buf *literal,
                                               int *rc, struct sn_err *e)
{
	const struct accepted *a = NULL;
	struct sn_pgp_sig s;
	int64_t now = (int64_t)time(NULL);

	*rc = 0;
	if (!v->in_process || sn_pgp_sig_parse(&s, sig->data, sig->len) != 0)
		return NULL;
	if (v->known_all && !issuer_known(v, &s)) {
		v->n_in_process++;
		*rc = sn_seterr(e, SIGNET_EDENIED,
		                "signature: made by key %s, which is not one of the pinned keys",
		                s.issuer_fpr[0] != '\0' ? s.issuer_fpr : s.keyid);
		return NULL;
	}
	for (size_t i = 0; i < v->n_acc; i++) {
		if (!sn_pgp_sig_names(&s, v->acc[i].fpr))
			continue;
		if (a != NULL)
			return NULL; /* two keys with that key id: gpg sorts it out */
		a = &v->acc[i];
	}
	if (a == NULL || !a->usable || a->key.pkey == NULL || (a->expires != 0 && now >= a->expires))
		return NULL;
	if (s.created > now || s.created < a->key.created ||
	    (s.has_expires && s.expires != 0 && now >= s.created + s.expires))
		return NULL;
	if (ops->len != 0 && !sn_pgp_ops_announces(ops->data, ops->len, &s, a->fpr))
		return NULL;
	if (sn_pgp_sig_verify(&s, &a->key, literal->data, literal->len) != 1)
		return NULL;
	v->n_in_process++;
	return a;
}

/* The verdict on the one signature gpg reported. */
static int check_signature(const struct openpgp_verifier *v, gpgme_signature_t sig,
                           const struct accepted **out, struct sn_err *e)
{
	static const struct {
		gpgme_sigsum_t bit;
		const char *why;
	} bad_bits[] = {
	    {GPGME_SIGSUM_KEY_REVOKED, "has been revoked"},
	    {GPGME_SIGSUM_KEY_EXPIRED, "has expired"},
	    {GPGME_SIGSUM_SIG_EXPIRED, "made a signature that has expired"},
	    {GPGME_SIGSUM_KEY_MISSING, "is not one of the pinned keys"},
	    {GPGME_SIGSUM_RED, "made a bad signature"},
	    {GPGME_SIGSUM_CRL_MISSING, "has no revocation list"},
	    {GPGME_SIGSUM_CRL_TOO_OLD, "has an outdated revocation list"},
	    {GPGME_SIGSUM_BAD_POLICY, "violates a signature policy"},
	    {GPGME_SIGSUM_SYS_ERROR, "could not be checked (system error)"},
	};
	const char *fpr = sig->fpr != NULL ? sig->fpr : "(unknown)";
	const struct accepted *a;

	switch (gpgme_err_code(sig->status)) {
	case GPG_ERR_NO_ERROR: break;
	case GPG_ERR_BAD_SIGNATURE:
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: bad signature by key %s (the signed data or the signature was modified)",
		    fpr);
	case GPG_ERR_NO_PUBKEY:
		return sn_seterr(e, SIGNET_EDENIED,
		                 "signature: made by key %s, which is not one of the pinned keys", fpr);
	case GPG_ERR_KEY_EXPIRED:
		return sn_seterr(e, SIGNET_EDENIED, "signature: made by key %s, which has expired", fpr);
	case GPG_ERR_SIG_EXPIRED:
		return sn_seterr(e, SIGNET_EDENIED, "signature: the signature by key %s has expired", fpr);
	case GPG_ERR_CERT_REVOKED:
		return sn_seterr(e, SIGNET_EDENIED, "signature: made by key %s, which has been revoked", fpr);
	default:
		return gpgme_err(e, SIGNET_EDENIED, sig->status,
		                 "signature: the signature by key %s is not valid", fpr);
	}
	for (size_t i = 0; i < sizeof(bad_bits) / sizeof(bad_bits[0]); i++)
		if ((sig->summary & bad_bits[i].bit) != 0)
			return sn_seterr(e, SIGNET_EDENIED, "signature: key %s %s", fpr, bad_bits[i].why);
	if (sig->validity == GPGME_VALIDITY_NEVER)
		return sn_seterr(e, SIGNET_EDENIED, "signature: key %s is marked as never valid", fpr);
	if (sig->validity_reason != 0)
		return gpgme_err(e, SIGNET_EDENIED, sig->validity_reason,
		                 "signature: the validity of key %s could not be established", fpr);
	if (sig->wrong_key_usage)
		return sn_seterr(e, SIGNET_EDENIED, "signature: key %s is not meant for signing", fpr);
	a = find_accepted(v, fpr);
	if (a == NULL)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "signature: made by key %s, which is neither a pinned key nor a signing subkey of one",
		    fpr);
	*out = a;
	return 0;
}

static int openpgp_verify(void *state, const void *blob, size_t len, struct sn_buf *payload,
                          struct sn_signer *signer, struct sn_err *e)
{
	struct openpgp_verifier *v = state;
	struct sn_signer who = {NULL, NULL, NULL};
	const struct accepted *a = NULL;
	const unsigned char *msg;
	enum sn_sig_format fmt;
	gpgme_data_t in = NULL, out = NULL;
	gpgme_verify_result_t res;
	gpgme_signature_t sig;
	gpgme_error_t err;
	struct sn_buf literal, sig_pkt, ops_pkt;
	size_t msg_len, n_sigs = 0, plain_len = 0;
	char *plain = NULL;
	int rc;

	sn_buf_init(&literal, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	sn_buf_init(&sig_pkt, SN_OPENPGP_MAX_MESSAGE_SIZE, "signature packet");
	sn_buf_init(&ops_pkt, SN_OPENPGP_MAX_MESSAGE_SIZE, "one-pass signature packet");
	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "signature blob is larger than the limit of %u bytes",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = sn_sig_detect(&fmt, &msg, &msg_len, blob, len, e)) != 0)
		return rc;
	if (fmt != SN_SIG_SIMPLE_SIGNING)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "signature blob: a sigstore signature, not an OpenPGP one");
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
	if ((a = in_process_check(v, &sig_pkt, &ops_pkt, &literal, &rc, e)) != NULL)
		goto verified;
	if (rc != 0)
		goto out;
	if ((err = gpgme_data_new_from_mem(&in, (const char *)msg, msg_len, 0)) != 0 ||
	    (err = gpgme_data_new(&out)) != 0) {
		rc = gpgme_err(e, SIGNET_ENOMEM, err, "signature");
		goto out;
	}
	err = gpgme_op_verify(v->ctx, in, NULL, out);
	if (err != 0) {
		switch (gpgme_err_code(err)) {
		case GPG_ERR_ENOMEM: rc = gpgme_err(e, SIGNET_ENOMEM, err, "signature: gpg"); break;
		case GPG_ERR_INV_ENGINE:
		case GPG_ERR_ENOENT:
		case GPG_ERR_EPIPE:
		case GPG_ERR_EIO: rc = gpgme_err(e, SIGNET_EIO, err, "signature: running gpg failed"); break;
		default:
			rc = gpgme_err(e, SIGNET_EBADINPUT, err, "signature: gpg could not read the message");
		}
		goto out;
	}
	res = gpgme_op_verify_result(v->ctx);
	n_sigs = 0;
	for (sig = res != NULL ? res->signatures : NULL; sig != NULL; sig = sig->next)
		n_sigs++;
	if (n_sigs != 1) {
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "signature: gpg reported %zu signatures; exactly one is required", n_sigs);
		goto out;
	}
	if ((rc = check_signature(v, res->signatures, &a, e)) != 0)
		goto out;
	plain = gpgme_data_release_and_get_mem(out, &plain_len);
	out = NULL;
	/* gpg and signet read the same message; make sure they agree on what
	 * was signed. */
	if (plain_len != literal.len || (plain_len != 0 && memcmp(plain, literal.data, plain_len) != 0)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "signature: the data gpg verified differs from the literal data packet");
		goto out;
	}
verified:
	if ((who.fingerprint = sn_strdup(a->primary, e)) == NULL ||
	    (who.signing_fingerprint = sn_strdup(a->fpr, e)) == NULL ||
	    (a->uid != NULL && (who.uid = sn_strdup(a->uid, e)) == NULL)) {
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
	gpgme_free(plain);
	gpgme_data_release(in);
	gpgme_data_release(out);
	sn_buf_free(&literal);
	sn_buf_free(&sig_pkt);
	sn_buf_free(&ops_pkt);
	return rc;
}

/* "FPR (uid)" for each pinned primary key, once, comma-separated. */
static int openpgp_describe(void *state, struct sn_buf *out, struct sn_err *e)
{
	const struct openpgp_verifier *v = state;
	int rc = 0, first = 1;

	for (size_t i = 0; i < v->n_acc && rc == 0; i++) {
		if (strcmp(v->acc[i].fpr, v->acc[i].primary) != 0)
			continue; /* a subkey: its primary is listed */
		if (!first)
			rc = sn_buf_append_str(out, ", ", e);
		first = 0;
		if (rc == 0)
			rc = sn_buf_append_str(out, v->acc[i].primary, e);
		if (rc == 0 && v->acc[i].uid != NULL) {
			rc = sn_buf_append_str(out, " (", e);
			if (rc == 0)
				rc = sn_buf_append_str(out, v->acc[i].uid, e);
			if (rc == 0)
				rc = sn_buf_append_str(out, ")", e);
		}
	}
	return rc;
}

void sn_openpgp_set_in_process(void *state, int on)
{
	((struct openpgp_verifier *)state)->in_process = on != 0;
}

size_t sn_openpgp_in_process_count(const void *state)
{
	return ((const struct openpgp_verifier *)state)->n_in_process;
}

const struct sn_sig_backend sn_openpgp_backend = {
    .name = "openpgp",
    .verifier_new = openpgp_verifier_new,
    .verify = openpgp_verify,
    .describe = openpgp_describe,
    .verifier_free = openpgp_verifier_free,
};
