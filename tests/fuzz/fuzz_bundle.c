/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_bundle.c: Sigstore bundles (verify/bundle.c).  The input
 * is tried as a bundle (sn_bundle_verify, against the fixed P-256 key of
 * fuzz_sigstore.c, whose private half fixtures/make-fuzz-seeds.sh holds so
 * that a seed verifies), as the same behind the "\0sigstore-bundle\n"
 * header through the sigstore backend, and as an in-toto statement
 * (sn_statement_parse).
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_payload *p = NULL;
	unsigned char *framed;
	struct sn_buf out;
	struct sn_err e;

	if (fixed_state == NULL) {
		struct sn_buf k = {(unsigned char *)(uintptr_t)fixed_key, sizeof(fixed_key) - 1, 0, 0, NULL};
		const char *kname = "fixed";

		if (sn_sigstore_backend.verifier_new(&fixed_state, &k, &kname, 1, &e) != 0)
			abort();
	}
	if (size > SIGNET_MAX_SIGNATURE_SIZE)
		return 0;
	if (sn_bundle_verify(fixed_state, data, size, &out, &who, &e) == 0) {
		/* What verifying promises: the signer is the pinned key. */
		if (who.fingerprint == NULL)
			abort();
		if (sn_statement_parse(&p, out.data, out.len, "registry.test/signet/app", &e) == 0)
			sn_payload_free(p);
		sn_buf_free(&out);
		sn_signer_clear(&who);
	}
	if ((framed = malloc(SN_BUNDLE_BLOB_HEADER_LEN + size + 1)) != NULL) {
		memcpy(framed, SN_BUNDLE_BLOB_HEADER, SN_BUNDLE_BLOB_HEADER_LEN);
		memcpy(framed + SN_BUNDLE_BLOB_HEADER_LEN, data, size);
		framed[SN_BUNDLE_BLOB_HEADER_LEN + size] = '\0';
		if (sn_sigstore_backend.verify(fixed_state, framed, SN_BUNDLE_BLOB_HEADER_LEN + size, &out,
		                               &who, &e) == 0) {
			sn_buf_free(&out);
			sn_signer_clear(&who);
		}
		free(framed);
	}
	p = NULL;
	if (sn_statement_parse(&p, data, size, "registry.test/signet/app", &e) == 0) {
		/* What parsing promises: a sha256 digest and cosign's predicate. */
		if (p->manifest_digest == NULL || strncmp(p->manifest_digest, "sha256:", 7) != 0 ||
		    sn_digest_validate(p->manifest_digest, NULL) != 0 ||
		    strcmp(p->type, SN_COSIGN_SIGN_PREDICATE) != 0)
			abort();
		sn_payload_free(p);
	}
	return 0;
}
