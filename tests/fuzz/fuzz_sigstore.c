/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_sigstore.c: the sigstore backend (verify/sigstore.c).
 * The input is tried as a pinned PEM public key (sn_pem_decode, then the
 * backend's verifier_new and describe), and as a signature blob, with and
 * without the "\0sigstore-json\n" header, against a fixed P-256 key made
 * once.  fixtures/make-fuzz-seeds.sh holds that key's private half (a test
 * key), so that a seed verifies.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "verify/verify.h"

static const char fixed_key[] = "-----BEGIN PUBLIC KEY-----\n"
				"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHYKiitLRz/JtfYI44pCpExOZXLxl\n"
				"vkBOqqkkbqG9BC0EFBZJCkjtR4+vBfd7eB3fS71aOTzzjmYAKJMzFIALQw==\n"
				"-----END PUBLIC KEY-----\n";

static void *fixed_state; /* made once, kept for the process */

static void as_blob(const void *blob, size_t len)
{
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_buf payload;
	struct sn_err e;

	if (sn_sigstore_backend.verify(fixed_state, blob, len, &payload, &who, &e) == 0) {
		sn_buf_free(&payload);
		sn_signer_clear(&who);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name = "fuzz";
	struct sn_pem pem = {NULL, NULL, 0};
	struct sn_buf key, desc;
	unsigned char *framed;
	void *state = NULL;
	struct sn_err e;

	if (fixed_state == NULL) {
		struct sn_buf k = {(unsigned char *)(uintptr_t)fixed_key, sizeof(fixed_key) - 1, 0, 0, NULL};
		const char *kname = "fixed";

		if (sn_sigstore_backend.verifier_new(&fixed_state, &k, &kname, 1, &e) != 0)
			abort();
	}
	if (size > SN_PEM_MAX_SIZE + SN_SIGSTORE_BLOB_HEADER_LEN)
		return 0;

	if (sn_pem_decode(&pem, data, size, "fuzz", &e) == 0)
		sn_pem_clear(&pem);

	/* As a pinned key. */
	memset(&key, 0, sizeof(key));
	key.data = (unsigned char *)(uintptr_t)data;
	key.len = size;
	if (sn_sigstore_backend.verifier_new(&state, &key, &name, 1, &e) == 0) {
		sn_buf_init(&desc, 4096, "description");
		(void)sn_sigstore_backend.describe(state, &desc, &e);
		sn_buf_free(&desc);
		sn_sigstore_backend.verifier_free(state);
	}

	/* As a blob, whole and behind the header. */
	as_blob(data, size);
	if ((framed = malloc(SN_SIGSTORE_BLOB_HEADER_LEN + size + 1)) == NULL)
		return 0;
	memcpy(framed, SN_SIGSTORE_BLOB_HEADER, SN_SIGSTORE_BLOB_HEADER_LEN);
	if (size > 0)
		memcpy(framed + SN_SIGSTORE_BLOB_HEADER_LEN, data, size);
	as_blob(framed, SN_SIGSTORE_BLOB_HEADER_LEN + size);
	free(framed);
	return 0;
}
