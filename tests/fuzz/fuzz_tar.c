/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_tar.c: the tar reader and re-creator of HPCR workload
 * archives (verify/workload.c).  The input is a tar archive; the harness
 * gzips and base64-encodes it into an HPCR workload section, once as
 * compose.archive and once as play.archive, and checks each as
 * fuzz_workload_check.h does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "fuzz.h"
#include "fuzz_workload_check.h"

/* gzip of data into a malloc'd buffer. */
static unsigned char *gzip_data(const uint8_t *data, size_t size, size_t *out_len)
{
	unsigned char *out = NULL;
	z_stream zs;
	uLong bound;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, (uLong)size);
	if ((out = malloc(bound)) == NULL)
		goto out;
	zs.next_in = (unsigned char *)(uintptr_t)data;
	zs.avail_in = (uInt)size;
	zs.next_out = out;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		free(out);
		out = NULL;
		goto out;
	}
	*out_len = bound - zs.avail_out;
out:
	deflateEnd(&zs);
	return out;
}

static void as_section(const char *head, const unsigned char *gz, size_t gz_len)
{
	size_t hl = strlen(head), b64_len = 4 * ((gz_len + 2) / 3);
	unsigned char *doc = malloc(hl + b64_len + 2);

	if (doc == NULL)
		return;
	memcpy(doc, head, hl);
	(void)EVP_EncodeBlock(doc + hl, gz, (int)gz_len);
	doc[hl + b64_len] = '\n';
	workload_check(doc, hl + b64_len + 1);
	free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *gz;
	size_t gz_len = 0;

	if (size > 1024u * 1024u)
		return 0;
	if ((gz = gzip_data(data, size, &gz_len)) == NULL)
		return 0;
	as_section("type: workload\ncompose:\n  archive: ", gz, gz_len);
	as_section("type: workload\nplay:\n  archive: ", gz, gz_len);
	free(gz);
	return 0;
}
