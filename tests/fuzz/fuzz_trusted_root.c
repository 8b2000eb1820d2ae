/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_trusted_root.c: sigstore trusted_root.json
 * (policy/trusted_root.c, sn_trusted_root_parse); the same bytes also as
 * the PEM CA file of containers-policy.json's fulcio form
 * (sn_trusted_root_from_pem, no log key).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_buf pem = {(unsigned char *)(uintptr_t)data, size, 0, 0, NULL};
	struct sn_trusted_root r;
	struct sn_err e;

	memset(&e, 0, sizeof(e));
	if (sn_trusted_root_parse(&r, data, size, "fuzz", &e) == 0)
		sn_trusted_root_clear(&r);
	memset(&e, 0, sizeof(e));
	if (sn_trusted_root_from_pem(&r, &pem, "fuzz", NULL, NULL, 0, &e) == 0)
		sn_trusted_root_clear(&r);
	return 0;
}
