/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_authfile.c: a containers auth.json / docker config.json
 * (registry/authfile.c, which reads a path: the input is written to a
 * private temporary file), looked up for a few registries and repositories.
 */
#include "fuzz.h"
#include "fuzz_tmpfile.h"
#include "registry/registry.h"

static const char *const lookups[][2] = {
	{"docker.io", "library/busybox"},
	{"registry.example.com:5000", "team/app"},
	{"localhost:5000", NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;
	struct sn_err e;

	if (size > SIGNET_MAX_AUTHFILE_SIZE)
		return 0;
	if ((path = fuzz_write("auth.json", data, size)) == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		for (int legacy = 0; legacy <= 1; legacy++) {
			struct sn_authfile_hit hit;

			if (sn_authfile_lookup(&hit, path, legacy, 1, lookups[i][0], lookups[i][1], &e) != 0)
				continue;
			/* Both or neither; a helper or credentials, never both. */
			if ((hit.user == NULL) != (hit.pass == NULL) ||
			    (hit.helper != NULL && hit.user != NULL) ||
			    ((hit.helper != NULL || hit.user != NULL) != (hit.key != NULL)))
				abort();
			sn_authfile_hit_clear(&hit);
		}
	}
	return 0;
}
