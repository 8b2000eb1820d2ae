/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_registries_d.c: a registries.d directory of one file
 * (registry/registries_d.c, through sn_registries_d_load: the input is
 * written to a private temporary directory), the sections it yields and
 * the resolution of a few references; and the strict YAML reader
 * (base/yaml_strict.h) walking the input as one document.
 */
#include "fuzz.h"
#include "fuzz_tmpfile.h"
#include "policy/policy.h"
#include "base/yaml_strict.h"

static const char *const refs[] = {
	"docker.io/library/busybox:latest",
	"registry.example.com:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"a.b.example.com/x/y/z:1",
};

static void strict_walk(const uint8_t *data, size_t size)
{
	struct sn_yaml y;
	struct sn_err e;

	if (sn_yaml_open(&y, data, size, "fuzz", 0, size & 1, &e) == 0 && y.ev.type != YAML_STREAM_END_EVENT &&
	    sn_yaml_skip(&y) == 0)
		(void)sn_yaml_finish(&y);
	sn_yaml_close(&y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_registries_d *rd = NULL;
	const char *path;
	struct sn_err e;

	if (size > SIGNET_MAX_POLICY_FILE_SIZE)
		return 0;
	strict_walk(data, size);
	if ((path = fuzz_write("fuzz.yaml", data, size)) == NULL)
		return 0;
	if (sn_registries_d_load(&rd, fuzz_dir, &e) != 0)
		return 0;
	for (size_t i = 0; i < sn_registries_d_count(rd); i++) {
		struct sn_registries_d_section s;

		sn_registries_d_section(&s, rd, i);
	}
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		struct sn_lookaside_config c = {NULL, NULL, -1};
		struct sn_ref *ref = NULL;

		if (sn_ref_parse(&ref, refs[i], &e) != 0)
			continue;
		if (sn_registries_d_resolve(&c, rd, ref, &e) == 0)
			sn_lookaside_config_clear(&c);
		sn_ref_free(ref);
	}
	sn_registries_d_free(rd);
	return 0;
}
