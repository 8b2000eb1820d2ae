/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/pgp_packet.c: OpenPGP packet framing (RFC 4880 §4.2) and the
 * ASCII armor of pinned key files (§6), strictly.
 */
#include "base/pgp.h"

#include "base/base64.h"

#include <stdlib.h>
#include <string.h>

unsigned int sn_pgp_first_tag(unsigned char b)
{
	if ((b & 0x80u) == 0)
		return 0;
	return (b & 0x40u) != 0 ? b & 0x3fu : (b >> 2) & 0x0fu;
}

const char *sn_pgp_tag_name(unsigned int tag)
{
	switch (tag) {
	case SN_PGP_PKESK: return "public-key encrypted session key";
	case SN_PGP_SIGNATURE: return "signature";
	case SN_PGP_SKESK: return "symmetric-key encrypted session key";
	case SN_PGP_ONE_PASS: return "one-pass signature";
	case SN_PGP_SECRET_KEY: return "secret key";
	case SN_PGP_PUBLIC_KEY: return "public key";
	case SN_PGP_SECRET_SUBKEY: return "secret subkey";
	case SN_PGP_COMPRESSED: return "compressed data";
	case SN_PGP_SED: return "symmetrically encrypted data";
	case SN_PGP_MARKER: return "marker";
	case SN_PGP_LITERAL: return "literal data";
	case SN_PGP_TRUST: return "trust";
	case SN_PGP_USER_ID: return "user id";
	case SN_PGP_PUBLIC_SUBKEY: return "public subkey";
	case SN_PGP_USER_ATTRIBUTE: return "user attribute";
	case SN_PGP_SEIPD: return "encrypted and integrity protected data";
	case SN_PGP_MDC: return "modification detection code";
	case SN_PGP_AEAD: return "AEAD encrypted data";
	default: return "unknown";
	}
}

static int truncated(const struct sn_pgp_reader *r, unsigned int tag, struct sn_err *e)
{
	return sn_seterr(e, SIGNET_EBADINPUT, "%s: truncated OpenPGP data (a %s packet runs past the end)",
	                 r->what, sn_pgp_tag_name(tag));
}

/* Reads n big-endian bytes of a length. */
static int read_len(struct sn_pgp_reader *r, size_t n, unsigned int tag, size_t *out, struct sn_err *e)
{
	size_t v = 0;

	if (n > r->len - r->off)
		return truncated(r, tag, e);
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | r->p[r->off++];
	*out = v;
	return 0;
}

/* RFC 4880 §4.2.1, §4.2.2.4: only data packets may have an indeterminate
 * or partial length; signet's messages hold no encrypted ones. */
static int data_packet(unsigned int tag)
{
	return tag == SN_PGP_LITERAL || tag == SN_PGP_COMPRESSED;
}

int sn_pgp_next(struct sn_pgp_reader *r, unsigned int *tag_out, const unsigned char **body, size_t *body_len,
                struct sn_buf *scratch, struct sn_err *e)
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
			if (scratch == NULL || !data_packet(tag))
				return sn_seterr(
				    e, SIGNET_EBADINPUT,
				    "%s: a %s packet of indeterminate length is not allowed here", r->what,
				    sn_pgp_tag_name(tag));
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
		if (scratch == NULL || !data_packet(tag))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: a %s packet with partial body lengths is not allowed here",
			                 r->what, sn_pgp_tag_name(tag));
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

/* ---- pinned keys ----------------------------------------------------- */

#define ARMOR_PUBLIC_BEGIN  "-----BEGIN PGP PUBLIC KEY BLOCK-----"
#define ARMOR_PUBLIC_END    "-----END PGP PUBLIC KEY BLOCK-----"
#define ARMOR_PRIVATE_BEGIN "-----BEGIN PGP PRIVATE KEY BLOCK-----"
#define ARMOR_ANY_BEGIN     "-----BEGIN PGP "
#define ARMOR_LINE          64 /* base64 characters per armored line, as gpg writes */

/* The armor body through the one base64 decoder, with gpg's leniency on
 * unused bits before the padding (an empty body decodes to nothing). */
static int b64_decode(struct sn_buf *out, const unsigned char *s, size_t n, const char *what,
                      struct sn_err *e)
{
	unsigned char *d = NULL;
	size_t dlen = 0;
	int rc;

	if (n % 4 != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: armor body is not valid base64 (length)", what);
	rc = sn_base64_decode_flags(&d, &dlen, (const char *)s, n, SN_BASE64_EMPTY_OK | SN_BASE64_LAX_PAD_BITS);
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: armor body is not valid base64", what);
	rc = sn_buf_append(out, d, dlen, e);
	free(d);
	return rc;
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

int sn_openpgp_armor_public_key(struct sn_buf *out, const unsigned char *d, size_t n, struct sn_err *e)
{
	uint32_t crc = crc24(d, n);
	unsigned char c3[3];
	int rc;

	c3[0] = (unsigned char)(crc >> 16);
	c3[1] = (unsigned char)(crc >> 8);
	c3[2] = (unsigned char)crc;
	if ((rc = sn_buf_append_str(out, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n", e)) != 0 ||
	    (rc = sn_base64_encode(out, d, n, ARMOR_LINE, e)) != 0 ||
	    (rc = sn_buf_append_str(out, "=", e)) != 0 || (rc = sn_base64_encode(out, c3, 3, 0, e)) != 0)
		return rc;
	return sn_buf_append_str(out, "\n-----END PGP PUBLIC KEY BLOCK-----\n", e);
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
				if (n != 5 || (rc = b64_decode(&block, line + 1, 4, what, e)) != 0 ||
				    block.len != 3) {
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
	struct sn_pgp_reader r = {bin, len, 0, what};
	const unsigned char *body;
	size_t body_len, n_packets = 0;
	unsigned int tag;
	int rc;

	/* Name what the file is before the framing rules do. */
	if (len > 0 && (bin[0] & 0x80) != 0) {
		tag = (bin[0] & 0x40) != 0 ? (bin[0] & 0x3fu) : ((bin[0] >> 2) & 0x0fu);
		if (tag != SN_PGP_PUBLIC_KEY && tag != SN_PGP_SECRET_KEY)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: not an OpenPGP public key (starts with a %s packet)", what,
			                 sn_pgp_tag_name(tag));
	}
	while (r.off < r.len) {
		if ((rc = sn_pgp_next(&r, &tag, &body, &body_len, NULL, e)) != 0)
			return rc;
		switch (tag) {
		case SN_PGP_SECRET_KEY:
		case SN_PGP_SECRET_SUBKEY:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: contains a secret key; pin public keys only (gpg --export, not "
			                 "--export-secret-keys)",
			                 what);
		case SN_PGP_PUBLIC_KEY: break;
		case SN_PGP_PUBLIC_SUBKEY:
		case SN_PGP_USER_ID:
		case SN_PGP_USER_ATTRIBUTE:
		case SN_PGP_SIGNATURE:
		case SN_PGP_TRUST:
			if (n_packets == 0)
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: not an OpenPGP public key (starts with a %s packet)",
				                 what, sn_pgp_tag_name(tag));
			break;
		default:
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: not an OpenPGP public key (%s packet, tag %u, at offset %zu)",
			                 what, sn_pgp_tag_name(tag), tag, (size_t)(body - bin));
		}
		n_packets++;
	}
	if (n_packets == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty", what);
	return 0;
}

int sn_pgp_key_file(struct sn_buf *bin, const unsigned char *data, size_t len, const char *what,
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
	else if ((data[i] & 0x80) != 0)
		rc = sn_buf_append(bin, data, len, e);
	else
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: not an OpenPGP key (neither ASCII armor nor binary OpenPGP packets)",
		                 what);
	if (rc != 0)
		return rc;
	return key_packets_check(bin->data, bin->len, what, e);
}
