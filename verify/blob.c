/* SPDX-License-Identifier: Apache-2.0 */
/* verify/blob.c: what kind of signature a stored blob is (SPEC §3.4). */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

/* The longest format name accepted in a "\0FORMAT\n" header. */
#define SN_SIG_FORMAT_NAME_MAX 64

#define ARMOR_CLEARTEXT "-----BEGIN PGP SIGNED MESSAGE-----"
#define ARMOR_BEGIN     "-----BEGIN PGP "

/* The first bytes that can start a signed OpenPGP message, as
 * containers/image's internal/signature reads them: compressed data
 * (tag 8), one-pass signature (tag 4), signature (tag 2), each in the old
 * format (any length type) and the new one. */
static int is_simple_signing_tag(unsigned char b)
{
	return (b >= 0xa0 && b <= 0xa3) || b == 0xc8 || (b >= 0x90 && b <= 0x93) || b == 0xc4 ||
	       (b >= 0x88 && b <= 0x8b) || b == 0xc2;
}

/* What a blob that is not a signature looks like, for the message. */
static const char *describe_packet(unsigned char b)
{
	unsigned int tag = (b & 0x40) != 0 ? (b & 0x3fu) : ((b >> 2) & 0x0fu);

	switch (tag) {
	case 1:
	case 3:
	case 9:
	case 18: return "an encrypted OpenPGP message, not a signed one";
	case 11: return "unsigned OpenPGP literal data (no signature)";
	case 5:
	case 7: return "an OpenPGP secret key, not a signature";
	case 6:
	case 14: return "an OpenPGP public key, not a signature";
	case 10: return "an OpenPGP marker packet, which cannot start a signature";
	default: return "an OpenPGP packet that cannot start a signature";
	}
}

static int has_prefix(const unsigned char *data, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(data, prefix, n) == 0;
}

int sn_sig_detect(enum sn_sig_format *format, const unsigned char **chunk, size_t *chunk_len,
                  const unsigned char *data, size_t len, struct sn_err *e)
{
	const unsigned char *nl, *name;
	size_t name_len, scan;
	unsigned char b;

	if (len == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "signature blob: empty");
	b = data[0];
	if (is_simple_signing_tag(b)) {
		*format = SN_SIG_SIMPLE_SIGNING;
		*chunk = data;
		*chunk_len = len;
		return 0;
	}
	if (b == 0x00) {
		scan = len - 1 < SN_SIG_FORMAT_NAME_MAX + 1 ? len - 1 : SN_SIG_FORMAT_NAME_MAX + 1;
		nl = memchr(data + 1, '\n', scan);
		if (nl == NULL)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "signature blob: starts with a NUL byte but has no \"\\0FORMAT\\n\" header");
		name = data + 1;
		name_len = (size_t)(nl - name);
		if (name_len == strlen("simple-signing") && memcmp(name, "simple-signing", name_len) == 0) {
			*format = SN_SIG_SIMPLE_SIGNING;
		} else if (name_len == strlen("sigstore-json") &&
		           memcmp(name, "sigstore-json", name_len) == 0) {
			*format = SN_SIG_SIGSTORE_JSON;
		} else if (name_len == strlen("sigstore-bundle") &&
		           memcmp(name, "sigstore-bundle", name_len) == 0) {
			*format = SN_SIG_SIGSTORE_BUNDLE;
		} else {
			for (size_t i = 0; i < name_len; i++)
				if (name[i] < 0x20 || name[i] > 0x7e)
					return sn_seterr(
					    e, SIGNET_EBADINPUT,
					    "signature blob: unknown signature format (unprintable name)");
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "signature blob: unknown signature format \"%.*s\" (simple-signing, "
			                 "sigstore-json and sigstore-bundle are supported)",
			                 (int)name_len, (const char *)name);
		}
		if ((size_t)(nl + 1 - data) == len)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "signature blob: \"%.*s\" header with no content", (int)name_len,
			                 (const char *)name);
		*chunk = nl + 1;
		*chunk_len = len - (size_t)(nl + 1 - data);
		return 0;
	}
	if (has_prefix(data, len, ARMOR_CLEARTEXT))
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "signature blob: a cleartext-signed message; simple signing needs a binary OpenPGP "
		    "message");
	if (has_prefix(data, len, ARMOR_BEGIN))
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "signature blob: ASCII-armored OpenPGP data; simple signing needs a binary OpenPGP "
		    "message (gpg --dearmor)");
	if ((b & 0x80) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "signature blob: %s (first byte 0x%02x)",
		                 describe_packet(b), b);
	if (b == '{')
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "signature blob: JSON without a \"\\0sigstore-json\\n\" header is not a signature");
	return sn_seterr(
	    e, SIGNET_EBADINPUT,
	    "signature blob: unknown format (first byte 0x%02x is neither an OpenPGP packet tag nor a "
	    "format header)",
	    b);
}

void sn_signer_clear(struct sn_signer *s)
{
	if (s == NULL)
		return;
	free(s->fingerprint);
	free(s->signing_fingerprint);
	free(s->uid);
	memset(s, 0, sizeof(*s));
}

int sn_signer_copy(struct sn_signer *dst, const struct sn_signer *src, struct sn_err *e)
{
	if ((src->fingerprint != NULL && (dst->fingerprint = sn_strdup(src->fingerprint, e)) == NULL) ||
	    (src->signing_fingerprint != NULL &&
	     (dst->signing_fingerprint = sn_strdup(src->signing_fingerprint, e)) == NULL) ||
	    (src->uid != NULL && (dst->uid = sn_strdup(src->uid, e)) == NULL))
		return SIGNET_ENOMEM;
	return 0;
}
