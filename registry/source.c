/* SPDX-License-Identifier: Apache-2.0 */
/* registry/source.c: one interface over docker://, oci: and dir: sources. */
#include "registry.h"

#include <stdlib.h>
#include <string.h>

int sn_source_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref, struct sn_err *e)
{
	switch (ref->transport) {
	case SIGNET_TRANSPORT_DOCKER:
		return sn_source_docker_open(out, ctx, ref, e);
	case SIGNET_TRANSPORT_OCI:
		return sn_source_oci_open(out, ctx, ref, e);
	case SIGNET_TRANSPORT_DIR:
		return sn_source_dir_open(out, ctx, ref, e);
	}
	return sn_seterr(e, SIGNET_EINVAL, "unknown transport %d", (int)ref->transport);
}

void sn_source_free(struct sn_source *src)
{
	if (src != NULL)
		src->ops->free(src);
}

int sn_source_read_manifest(struct sn_manifest **out, char out_digest[SN_DIGEST_MAX], struct sn_buf *out_bytes,
			    struct sn_source *src, const char *digest, struct sn_err *e)
{
	const char *want = digest != NULL ? digest : src->ref->digest;
	struct sn_manifest *m = NULL;
	char computed[SN_DIGEST_MAX];
	char *media_type = NULL;
	struct sn_buf bytes;
	int rc;

	sn_buf_init(&bytes, SIGNET_MAX_MANIFEST_SIZE, "manifest");
	if ((rc = src->ops->get_manifest(src, digest, &bytes, &media_type, e)) != 0)
		goto out;
	/* Whatever the source said, the digest is the one computed here. */
	if (want != NULL) {
		if ((rc = sn_digest_check(want, bytes.data, bytes.len, "manifest", e)) != 0)
			goto fail_ctx;
		memcpy(computed, want, strlen(want) + 1);
	} else if ((rc = sn_digest_compute(computed, "sha256", bytes.data, bytes.len, e)) != 0) {
		goto out;
	}
	if ((rc = sn_manifest_parse(&m, bytes.data, bytes.len, media_type, e)) != 0)
		goto fail_ctx;
	*out = m;
	memcpy(out_digest, computed, strlen(computed) + 1);
	if (out_bytes != NULL) {
		*out_bytes = bytes;
		sn_buf_init(&bytes, 0, NULL);
	}
	goto out;
fail_ctx:
	if (digest != NULL)
		sn_errctx(e, "%s (instance %s): ", src->ref->string, digest);
	else
		sn_errctx(e, "%s: ", src->ref->string);
out:
	free(media_type);
	sn_buf_free(&bytes);
	return rc;
}
