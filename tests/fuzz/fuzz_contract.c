/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_contract.c: the HPCR contract reader (strict YAML, nested
 * YAML in strings, the images/auths model; no private key, so encrypted
 * sections are only checked for form), as the guest reads it and as
 * `contract verify` and `contract seal` read it (sn_contract_inspect: the
 * section texts, a mapping's lines cut out of the file). */
#include "fuzz.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_contract_facts f;
	struct sn_policy *p = NULL;
	struct sn_err e;

	if (sn_policy_parse_contract(&p, data, size, "fuzz", NULL, 0, 0, &e) == 0)
		sn_policy_free(p);
	if (sn_contract_inspect(&f, data, size, "fuzz", NULL, &e) == 0)
		sn_contract_facts_clear(&f);
	return 0;
}
