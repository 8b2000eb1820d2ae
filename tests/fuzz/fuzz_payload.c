/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_payload.c: simple-signing payloads (verify/payload.c),
 * as both payload types, then the digest check against the input itself. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "verify/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {SN_PAYLOAD_TYPE_SIMPLE, SN_PAYLOAD_TYPE_COSIGN};
	struct sn_err e;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct sn_payload *p = NULL;

		if (sn_payload_parse(&p, data, size, types[i], &e) != 0)
			continue;
		/* What the parser promises about a payload it accepted. */
		if (p->type == NULL || strcmp(p->type, types[i]) != 0 || p->manifest_digest == NULL ||
		    p->docker_reference == NULL || p->docker_reference[0] == '\0' ||
		    sn_digest_validate(p->manifest_digest, NULL) != 0)
			abort();
		(void)sn_payload_check_digest(p, data, size, "the input", &e);
		sn_payload_free(p);
	}
	return 0;
}
