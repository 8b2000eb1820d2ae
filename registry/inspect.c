/* SPDX-License-Identifier: Apache-2.0 */
/* registry/inspect.c: the public reference and inspect API. */
#include "registry.h"

#include <stdlib.h>
#include <string.h>

/* The public handle is the internal reference itself. */
struct signet_ref {
	struct sn_ref ref;
};

struct signet_image_info {
	char digest[SN_DIGEST_MAX];
	char *pinned;
	struct sn_manifest *manifest;
};

static struct sn_err *ctx_err(signet_ctx *ctx)
{
	if (ctx == NULL)
		return NULL;
	sn_err_clear(&ctx->err);
	return &ctx->err;
}

int signet_ref_parse(signet_ref **out, signet_ctx *ctx, const char *text)
{
	struct sn_ref *ref = NULL;
	int rc;

	if (out == NULL || text == NULL)
		return sn_seterr(ctx_err(ctx), SIGNET_EINVAL, "signet_ref_parse: NULL argument");
	if ((rc = sn_ref_parse(&ref, text, ctx_err(ctx))) != 0)
		return rc;
	*out = (signet_ref *)ref;
	return 0;
}

void signet_ref_free(signet_ref *ref)
{
	sn_ref_free((struct sn_ref *)ref);
}

enum signet_transport signet_ref_transport(const signet_ref *ref)
{
	return ref->ref.transport;
}

const char *signet_ref_string(const signet_ref *ref)
{
	return ref->ref.string;
}

const char *signet_ref_name(const signet_ref *ref)
{
	return ref->ref.name;
}

const char *signet_ref_tag(const signet_ref *ref)
{
	return ref->ref.tag;
}

const char *signet_ref_digest(const signet_ref *ref)
{
	return ref->ref.digest;
}

int signet_inspect(signet_image_info **out, signet_ctx *ctx, const signet_ref *pub)
{
	const struct sn_ref *ref = (const struct sn_ref *)pub;
	struct sn_err *e = ctx_err(ctx);
	struct signet_image_info *info = NULL;
	struct sn_source *src = NULL;
	int rc, began;

	if (out == NULL || ctx == NULL || pub == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_inspect: NULL argument");
	info = calloc(1, sizeof(*info));
	if (info == NULL)
		return sn_enomem(e);
	began = sn_deadline_begin(ctx);
	if ((rc = sn_source_open(&src, ctx, ref, e)) != 0)
		goto out;
	if ((rc = sn_source_read_manifest(&info->manifest, info->digest, NULL, src, NULL, e)) != 0)
		goto out;
	/* Only a registry image has a pull-by-digest form. */
	if (ref->transport == SIGNET_TRANSPORT_DOCKER &&
	    (info->pinned = sn_aprintf(e, "%s@%s", ref->name, info->digest)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*out = info;
	info = NULL;
out:
	sn_deadline_end(ctx, began);
	sn_source_free(src);
	signet_image_info_free(info);
	return rc;
}

void signet_image_info_free(signet_image_info *info)
{
	if (info == NULL)
		return;
	sn_manifest_free(info->manifest);
	free(info->pinned);
	free(info);
}

const char *signet_image_info_digest(const signet_image_info *info)
{
	return info->digest;
}

const char *signet_image_info_media_type(const signet_image_info *info)
{
	return info->manifest->media_type;
}

const char *signet_image_info_pinned(const signet_image_info *info)
{
	return info->pinned;
}

size_t signet_image_info_instance_count(const signet_image_info *info)
{
	return sn_manifest_is_index(info->manifest) ? info->manifest->n_manifests : 0;
}

int signet_image_info_instance(const signet_image_info *info, size_t i, const char **digest,
			       const char **media_type, const char **os, const char **arch, const char **variant)
{
	const struct sn_descriptor *d;

	if (i >= signet_image_info_instance_count(info))
		return SIGNET_EINVAL;
	d = &info->manifest->manifests[i];
	if (digest != NULL)
		*digest = d->digest;
	if (media_type != NULL)
		*media_type = d->media_type;
	if (os != NULL)
		*os = d->os;
	if (arch != NULL)
		*arch = d->arch;
	if (variant != NULL)
		*variant = d->variant;
	return 0;
}

size_t signet_image_info_layer_count(const signet_image_info *info)
{
	return sn_manifest_is_index(info->manifest) ? 0 : info->manifest->n_layers;
}

const char *signet_image_info_config_digest(const signet_image_info *info)
{
	return sn_manifest_is_index(info->manifest) ? NULL : info->manifest->config.digest;
}
