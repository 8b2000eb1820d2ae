/* SPDX-License-Identifier: Apache-2.0 */
/* registry/source_docker.c: the docker:// image source (a registry). */
#include "registry.h"

#include <stdlib.h>

struct docker_source {
	struct sn_source base;   /* first: the interface */
	struct sn_registry *reg; /* borrowed from ctx */
};

static int docker_get_manifest(struct sn_source *src, const char *digest, struct sn_buf *out,
                               char **media_type, struct sn_err *e)
{
	struct docker_source *d = (struct docker_source *)src;
	const struct sn_ref *ref = src->ref;
	const char *want = digest != NULL ? digest : ref->digest != NULL ? ref->digest : ref->tag;

	if (want == NULL) {
		sn_buf_init(out, SIGNET_MAX_MANIFEST_SIZE, "manifest");
		return sn_seterr(e, SIGNET_EINVAL, "%s: no tag or digest", ref->string);
	}
	return sn_registry_get_manifest(d->reg, ref->path, want, out, media_type, NULL, e);
}

static int docker_get_blob(struct sn_source *src, const char *digest, size_t max, const char *what,
                           struct sn_buf *out, struct sn_err *e)
{
	struct docker_source *d = (struct docker_source *)src;

	return sn_registry_get_blob(d->reg, src->ref->path, digest, max, what, out, e);
}

static void docker_free(struct sn_source *src)
{
	if (src == NULL)
		return;
	sn_ref_free(src->ref);
	free(src);
}

static const struct sn_source_ops docker_ops = {
    .get_manifest = docker_get_manifest,
    .get_blob = docker_get_blob,
    .free = docker_free,
};

int sn_source_docker_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref,
                          struct sn_err *e)
{
	struct docker_source *d;
	int rc;

	if (ref == NULL || ref->transport != SIGNET_TRANSPORT_DOCKER || ref->domain == NULL ||
	    ref->path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "not a docker:// reference");
	/* The first image a context reads binds its --creds to that host. */
	if ((rc = sn_ctx_bind_creds(ctx, ref->domain, e)) != 0)
		return rc;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return sn_enomem(e);
	d->base.ops = &docker_ops;
	d->base.ctx = ctx;
	if ((rc = sn_registry_get(&d->reg, ctx, ref->domain, e)) != 0 ||
	    (rc = sn_ref_dup(&d->base.ref, ref, e)) != 0) {
		docker_free(&d->base);
		return rc;
	}
	*out = &d->base;
	return 0;
}
