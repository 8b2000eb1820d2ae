/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_policy_json.c: containers-policy.json (policy/policy_json.c),
 * then what is done with a policy that parsed: scope choice for a few
 * references and the export back to policy.json + registries.d.  A keyPath
 * in the input is read like any file (sn_file_read refuses anything but a
 * regular file, so nothing blocks).
 */
#include "fuzz.h"
#include "policy/policy.h"

static const char *const refs[] = {
	"docker.io/library/busybox:latest",
	"registry.example.com:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"a.b.example.com/x/y/z:1",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_policy *p = NULL;
	struct sn_err e;

	if (sn_policy_parse_json(&p, data, size, "fuzz", &e) != 0)
		return 0;
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		struct sn_scope_choice c;
		struct sn_ref *ref = NULL;

		if (sn_ref_parse(&ref, refs[i], &e) != 0)
			continue;
		sn_policy_choose(&c, p, ref);
		sn_ref_free(ref);
	}
	{
		struct sn_export x;

		if (sn_export_render(&x, p, NULL, NULL, &e) == 0)
			sn_export_clear(&x);
	}
	sn_policy_free(p);
	return 0;
}
