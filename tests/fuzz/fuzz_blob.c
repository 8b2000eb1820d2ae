/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_blob.c: stored signature blob detection (sn_sig_detect). */
#include <stdlib.h>

#include "fuzz.h"
#include "verify/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum sn_sig_format fmt = SN_SIG_SIMPLE_SIGNING;
	const unsigned char *chunk = NULL;
	size_t chunk_len = 0;
	struct sn_err e;

	if (sn_sig_detect(&fmt, &chunk, &chunk_len, data, size, &e) != 0)
		return 0;
	/* The chunk is a non-empty part of the input that ends with it. */
	if (chunk == NULL || chunk_len == 0 || chunk < data || chunk_len > size ||
	    chunk + chunk_len != data + size)
		abort();
	if (fmt != SN_SIG_SIMPLE_SIGNING && fmt != SN_SIG_SIGSTORE_JSON)
		abort();
	return 0;
}
