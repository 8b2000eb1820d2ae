/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/image.h: image references and inspecting what a reference names.
 */
#ifndef SIGNET_IMAGE_H
#define SIGNET_IMAGE_H

#include <signet/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct signet_ref signet_ref;

enum signet_transport {
	SIGNET_TRANSPORT_DOCKER = 0, /* docker://HOST/PATH[:TAG][@DIGEST] or a bare name */
	SIGNET_TRANSPORT_OCI = 1,    /* oci:PATH[:REF] */
	SIGNET_TRANSPORT_DIR = 2,    /* dir:PATH */
};

/*
 * Parses an image reference as skopeo does: "docker://NAME", "oci:PATH[:REF]",
 * "dir:PATH", or a bare docker reference "NAME" (as podman accepts).  Docker
 * names are normalized as containers/image does ("busybox" becomes
 * "docker.io/library/busybox:latest").
 * Returns 0, SIGNET_EBADINPUT (message says why) or SIGNET_ENOMEM.
 */
SIGNET_EXPORT int signet_ref_parse(signet_ref **out, signet_ctx *ctx, const char *text);
SIGNET_EXPORT void signet_ref_free(signet_ref *ref);

SIGNET_EXPORT enum signet_transport signet_ref_transport(const signet_ref *ref);
/* The full normalized form: "docker.io/library/busybox:latest",
 * "oci:/path/layout:ref", "dir:/path".  Borrowed. */
SIGNET_EXPORT const char *signet_ref_string(const signet_ref *ref);
/* docker: "docker.io/library/busybox"; oci/dir: the layout path.  Borrowed. */
SIGNET_EXPORT const char *signet_ref_name(const signet_ref *ref);
/* docker: the tag or NULL; oci: the REF or NULL; dir: NULL.  Borrowed. */
SIGNET_EXPORT const char *signet_ref_tag(const signet_ref *ref);
/* docker: the digest or NULL.  Borrowed. */
SIGNET_EXPORT const char *signet_ref_digest(const signet_ref *ref);

typedef struct signet_image_info signet_image_info;

/*
 * Resolves ref to its manifest: fetches it (by tag or digest, from a
 * registry or a local layout), recomputes its digest locally, refuses it if
 * it differs from a requested digest, and parses it strictly.
 * Returns 0 or SIGNET_EBADINPUT, SIGNET_ELIMIT, SIGNET_EINTEGRITY,
 * SIGNET_EUNSUPPORTED, SIGNET_ENOTFOUND, SIGNET_ENETWORK, SIGNET_ETLS,
 * SIGNET_EAUTH, SIGNET_EREGISTRY, SIGNET_EIO, SIGNET_ENOMEM.
 */
SIGNET_EXPORT int signet_inspect(signet_image_info **out, signet_ctx *ctx, const signet_ref *ref);
SIGNET_EXPORT void signet_image_info_free(signet_image_info *info);

/* "sha256:..." computed over the manifest bytes.  Borrowed. */
SIGNET_EXPORT const char *signet_image_info_digest(const signet_image_info *info);
/* The manifest media type.  Borrowed. */
SIGNET_EXPORT const char *signet_image_info_media_type(const signet_image_info *info);
/* The reference to pull: "host/repo@sha256:..." for docker references,
 * NULL for oci: and dir: layouts.  Borrowed. */
SIGNET_EXPORT const char *signet_image_info_pinned(const signet_image_info *info);
/* For an index or manifest list: how many instances it lists (0 otherwise). */
SIGNET_EXPORT size_t signet_image_info_instance_count(const signet_image_info *info);
/* Instance i: digest, media type, os, architecture and variant (NULL when
 * absent); each pointer may be NULL if not wanted.  Borrowed.
 * Returns 0 or SIGNET_EINVAL (i out of range). */
SIGNET_EXPORT int signet_image_info_instance(const signet_image_info *info, size_t i, const char **digest,
					      const char **media_type, const char **os, const char **arch,
					      const char **variant);
/* For an image manifest: the number of layers and the config digest. */
SIGNET_EXPORT size_t signet_image_info_layer_count(const signet_image_info *info);
SIGNET_EXPORT const char *signet_image_info_config_digest(const signet_image_info *info);

#ifdef __cplusplus
}
#endif
#endif
