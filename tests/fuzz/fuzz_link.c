/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_link.c: the Link header of tags-list and catalog pages
 * (registry/client.c, sn_link_next). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry/client_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_err e;
	char *text, *next = NULL;

	if (size > 65536 || (text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sn_link_next(&next, text, &e) == 0 && next != NULL) {
		/* The target is written in the header between < and >. */
		size_t n = strlen(next);
		char *bracketed = malloc(n + 3);

		if (bracketed != NULL) {
			bracketed[0] = '<';
			memcpy(bracketed + 1, next, n);
			bracketed[n + 1] = '>';
			bracketed[n + 2] = '\0';
			if (strstr(text, bracketed) == NULL)
				abort();
			free(bracketed);
		}
		free(next);
	}
	free(text);
	return 0;
}
