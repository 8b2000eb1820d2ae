/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_json.c: the strict JSON front end. */
#include "fuzz.h"
#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_err e;
	json_t *j = NULL;

	if (sn_json_parse(&j, data, size, "fuzz", &e) == 0)
		json_decref(j);
	return 0;
}
