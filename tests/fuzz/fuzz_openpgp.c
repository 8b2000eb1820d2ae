/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_openpgp.c: signet's own OpenPGP code (verify/openpgp.c,
 * verify/openpgp_fast.c), never gpg: the input as a signed message (after
 * blob detection, as verify does; and as it is), as a pinned key file, and
 * as a plain sequence of packets whose public keys, literal data and
 * signatures go through the in-process check (a key file followed by an
 * uncompressed signed message verifies).
 */
#include "fuzz.h"
#include "verify/verify.h"

/* The packets of a sequence, single-length headers only (RFC 4880 §4.2):
 * each public key or subkey is parsed, the last one kept; each signature
 * is parsed and checked with that key over the last literal data. */
static void in_process(const uint8_t *p, size_t size)
{
	struct sn_pgp_pubkey key = {.fpr = ""};
	const uint8_t *literal = NULL;
	size_t off = 0, literal_len = 0;

	while (off < size) {
		unsigned int b = p[off++], tag;
		size_t len = 0, n;

		if ((b & 0x80) == 0)
			break;
		if ((b & 0x40) == 0) {
			tag = (b >> 2) & 0x0f;
			if ((b & 3) == 3)
				break;
			n = (size_t)1 << (b & 3);
		} else {
			tag = b & 0x3f;
			n = 1;
			if (off < size && p[off] >= 192 && p[off] < 224)
				n = 2;
			else if (off < size && p[off] == 255)
				n = 5;
			else if (off < size && p[off] >= 224)
				break; /* partial lengths */
		}
		if (n > size - off)
			break;
		if ((b & 0x40) == 0 || n == 5)
			for (size_t i = n == 5 ? 1 : 0; i < n; i++)
				len = len << 8 | p[off + i];
		else if (n == 1)
			len = p[off];
		else
			len = ((size_t)(p[off] - 192) << 8) + p[off + 1] + 192;
		off += n;
		if (len > size - off)
			break;
		if (tag == 6 || tag == 14) {
			sn_pgp_pubkey_clear(&key);
			(void)sn_pgp_pubkey_parse(&key, p + off, len);
		} else if (tag == 11 && len >= 6 && len >= 6u + p[off + 1]) {
			literal = p + off + 6 + p[off + 1];
			literal_len = len - 6 - p[off + 1];
		} else if (tag == 2) {
			struct sn_pgp_sig sig;

			if (sn_pgp_sig_parse(&sig, p + off, len) == 0 && key.pkey != NULL)
				(void)sn_pgp_sig_verify(&sig, &key, literal, literal_len);
		}
		off += len;
	}
	sn_pgp_pubkey_clear(&key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum sn_sig_format fmt;
	const unsigned char *msg;
	size_t msg_len;
	struct sn_err e;

	if (size > SIGNET_MAX_SIGNATURE_SIZE)
		return 0;
	(void)sn_openpgp_check_structure(data, size, &e);
	if (sn_sig_detect(&fmt, &msg, &msg_len, data, size, &e) == 0 && fmt == SN_SIG_SIMPLE_SIGNING &&
	    msg != data)
		(void)sn_openpgp_check_structure(msg, msg_len, &e);
	(void)sn_openpgp_check_key(data, size, "fuzz key", &e);
	in_process(data, size);
	return 0;
}
