/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_workload_check.h: what fuzz_workload.c and fuzz_tar.c
 * do with a workload (verify/workload.h): parse it; rendered without
 * replacements it must be the input, byte for byte; with every image
 * replaced it must parse again, as the same kind, naming the same number
 * of images, each the replacement.  Header-only: each harness is its own
 * program.
 */
#ifndef SN_FUZZ_WORKLOAD_CHECK_H
#define SN_FUZZ_WORKLOAD_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "verify/workload.h"

#define FUZZ_REPLACEMENT                                                                                     \
	"registry.example:5000/fuzz/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void workload_check(const uint8_t *data, size_t size)
{
	struct sn_workload *w = NULL, *again = NULL;
	struct sn_buf out;
	struct sn_err e;
	size_t n;

	if (sn_workload_parse(&w, data, size, "fuzz", &e) != 0)
		return;
	n = sn_workload_count(w);
	for (size_t i = 0; i < n; i++) {
		const struct sn_image_site *s = sn_workload_site(w, i);

		if (s == NULL || s->where == NULL || s->image == NULL || s->line == 0)
			abort();
	}
	(void)sn_workload_kind_name(sn_workload_kind(w));

	if (sn_workload_render(&out, w, &e) == 0) {
		if (out.len != size || (size > 0 && memcmp(out.data, data, size) != 0))
			abort(); /* nothing replaced: the same bytes */
		sn_buf_free(&out);
	}

	for (size_t i = 0; i < n; i++)
		if (sn_workload_replace(w, i, FUZZ_REPLACEMENT, &e) != 0)
			abort(); /* the replacement is writable everywhere */
	if (sn_workload_render(&out, w, &e) == 0) {
		if (sn_workload_parse(&again, out.data, out.len, "fuzz rendered", &e) != 0)
			abort(); /* signet cannot read what it wrote */
		if (sn_workload_kind(again) != sn_workload_kind(w) || sn_workload_count(again) != n)
			abort();
		for (size_t i = 0; i < n; i++)
			if (strcmp(sn_workload_site(again, i)->image, FUZZ_REPLACEMENT) != 0)
				abort();
		sn_workload_free(again);
		sn_buf_free(&out);
	}
	sn_workload_free(w);
}

#endif
