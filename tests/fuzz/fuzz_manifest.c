/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_manifest.c: manifest parsing, with and without a declared media type. */
#include "fuzz.h"
#include "registry/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *types[] = { NULL, SN_MT_OCI_MANIFEST, SN_MT_OCI_INDEX, SN_MT_DOCKER_V2S2,
				       SN_MT_DOCKER_LIST };
	struct sn_manifest *m = NULL;
	struct sn_err e;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (sn_manifest_parse(&m, data, size, types[i], &e) == 0) {
			sn_manifest_free(m);
			m = NULL;
		}
	}
	return 0;
}
