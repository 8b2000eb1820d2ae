/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_openpgp_input.h: how an input of fuzz-openpgp names
 * pinned key files and a signature blob, shared by the harness
 * (fuzz_openpgp.c) and the differential replay against gpg
 * (diff_openpgp.c), so that both read a corpus file the same way.
 *
 *   KEY_FILE  SPLIT  [KEY_FILE  SPLIT ...]  BLOB
 *
 * SPLIT is the 16 bytes "\n#SIGNET-SPLIT#\n".  The input is cut at every
 * occurrence: the last piece is the signature blob (verify's input, with
 * or without "\0simple-signing\n"), the ones before it are the pinned key
 * files, in order (armored or binary; empty pieces included: the verifier
 * refuses them).  An input without SPLIT, or with more than
 * FUZZ_OPENPGP_MAX_KEYS key files, names no verification (the harness then
 * only runs the structure and key checks over it).
 *
 * A separator rather than a length prefix: libFuzzer's insertions and
 * deletions inside a key file keep the key file and the blob apart, where
 * they would shift a length prefix's boundary into the middle of a packet;
 * libFuzzer also learns the separator from the harness's memmem (its
 * memmem hook adds it to the mutation dictionary).  It cannot appear in
 * armor (newline, '#') and is 16 given bytes in binary packets.
 */
#ifndef SN_FUZZ_OPENPGP_INPUT_H
#define SN_FUZZ_OPENPGP_INPUT_H

#include <stdint.h>
#include <string.h>

#include "base/base.h"

#define FUZZ_OPENPGP_SPLIT     "\n#SIGNET-SPLIT#\n"
#define FUZZ_OPENPGP_SPLIT_LEN (sizeof(FUZZ_OPENPGP_SPLIT) - 1)
#define FUZZ_OPENPGP_MAX_KEYS  4

struct fuzz_openpgp_input {
	struct sn_buf keys[FUZZ_OPENPGP_MAX_KEYS]; /* borrowed: data points into the input */
	size_t n_keys;
	const uint8_t *blob;
	size_t blob_len;
};

/* Cuts data (see above); 0 when it names a verification, -1 when not. */
static inline int fuzz_openpgp_split(struct fuzz_openpgp_input *in, const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *s;

	memset(in, 0, sizeof(*in));
	while ((s = memmem(p, (size_t)(end - p), FUZZ_OPENPGP_SPLIT, FUZZ_OPENPGP_SPLIT_LEN)) != NULL) {
		if (in->n_keys == FUZZ_OPENPGP_MAX_KEYS)
			return -1;
		in->keys[in->n_keys].data = (unsigned char *)(uintptr_t)p;
		in->keys[in->n_keys].len = (size_t)(s - p);
		in->n_keys++;
		p = s + FUZZ_OPENPGP_SPLIT_LEN;
	}
	if (in->n_keys == 0)
		return -1;
	in->blob = p;
	in->blob_len = (size_t)(end - p);
	return 0;
}

#endif
