/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_workload.c: the gate's workload finder and rewriter
 * (verify/workload.c): compose files, Kubernetes YAML, HPCR workload
 * sections and contracts; see fuzz_workload_check.h. */
#include "fuzz.h"
#include "fuzz_workload_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > SIGNET_MAX_POLICY_FILE_SIZE)
		return 0;
	workload_check(data, size);
	return 0;
}
