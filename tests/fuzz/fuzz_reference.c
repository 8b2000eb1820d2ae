/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_reference.c: image reference parsing. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_ref *ref = NULL, *copy = NULL;
	struct sn_err e;
	char *text;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sn_ref_parse(&ref, text, &e) == 0) {
		/* A parsed reference's normalized form parses to itself. */
		if (sn_ref_parse(&copy, ref->string, &e) != 0 || strcmp(copy->string, ref->string) != 0)
			abort();
		sn_ref_free(copy);
		sn_ref_free(ref);
	}
	free(text);
	return 0;
}
