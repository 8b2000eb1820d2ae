/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_challenge.c: WWW-Authenticate challenges
 * (registry/auth.c sn_challenge_parse).  Each input line is one header
 * value (at most SN_MAX_CHALLENGE_HEADERS, as one answer carries).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry/client_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *values[SN_MAX_CHALLENGE_HEADERS];
	struct sn_challenge c;
	struct sn_err e;
	size_t n = 0;
	char *text, *p;

	if (size > 65536 || (text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text; n < SN_MAX_CHALLENGE_HEADERS;) {
		char *nl = strchr(p, '\n');

		values[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	memset(&c, 0, sizeof(c));
	if (sn_challenge_parse(&c, values, n, &e) == 0) {
		if (c.kind == SN_AUTH_BEARER && (c.realm == NULL || c.realm[0] == '\0'))
			abort(); /* promised: Bearer has a realm */
		sn_challenge_clear(&c);
	}
	free(text);
	return 0;
}
