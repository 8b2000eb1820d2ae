/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/layout_dir.c: the dir:PATH source, containers/image's directory
 * transport read offline: `version` (if present), `manifest.json` (the top manifest),
 * `<hex>.manifest.json` (index instances) and blobs named by their hex
 * digest.  Every file is read bounded and without following a symbolic
 * link; everything asked for by digest is checked against it.
 */
#include "registry.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The version file is one short line. */
#define DIR_VERSION_FILE_MAX 256

static const char *const dir_versions[] = {
    "Directory Transport Version: 1.0\n",
    "Directory Transport Version: 1.1\n",
};

struct dir_source {
	struct sn_source base; /* first: the generic source */
};

/* DIR/HEXSUFFIX for a validated digest ("sha256:abc" -> "DIR/abc" + suffix). */
static int digest_path(char **out, const char *dir, const char *digest, const char *suffix, const char *what,
                       struct sn_err *e)
{
	int rc;

	if ((rc = sn_digest_validate(digest, e)) != 0) {
		sn_errctx(e, "%s: ", what);
		return rc;
	}
	*out = sn_aprintf(e, "%s/%s%s", dir, strchr(digest, ':') + 1, suffix);
	return *out == NULL ? SIGNET_ENOMEM : 0;
}

/* Reads path (at most max bytes) into out; when digest is not NULL the
 * content must match it. */
static int read_checked(struct sn_buf *out, const char *path, const char *digest, size_t max,
                        const char *what, struct sn_err *e)
{
	struct sn_buf b;
	int rc;

	if ((rc = sn_file_read(&b, path, max, what, SN_FILE_NOFOLLOW, e)) != 0)
		return rc;
	if (digest != NULL && (rc = sn_digest_check(digest, b.data, b.len, what, e)) != 0) {
		sn_errctx(e, "%s: ", path);
		sn_buf_free(&b);
		return rc;
	}
	*out = b;
	return 0;
}

static int dir_get_manifest(struct sn_source *base, const char *digest, struct sn_buf *out, char **media_type,
                            struct sn_err *e)
{
	const char *dir = base->ref->dir;
	char *path = NULL, *top = NULL;
	struct sn_buf b;
	int rc;

	if (digest == NULL) {
		/* No digest is known for manifest.json: the caller computes it. */
		if ((path = sn_aprintf(e, "%s/manifest.json", dir)) == NULL)
			return SIGNET_ENOMEM;
		rc = read_checked(&b, path, NULL, SIGNET_MAX_MANIFEST_SIZE, "manifest", e);
		goto out;
	}
	if ((rc = digest_path(&path, dir, digest, ".manifest.json", "manifest", e)) != 0)
		goto out;
	rc = read_checked(&b, path, digest, SIGNET_MAX_MANIFEST_SIZE, "manifest", e);
	if (rc != SIGNET_ENOTFOUND)
		goto out;
	/* A single-image copy has no <hex>.manifest.json: the digest may be
	 * that of manifest.json itself. */
	if ((top = sn_aprintf(e, "%s/manifest.json", dir)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if (read_checked(&b, top, digest, SIGNET_MAX_MANIFEST_SIZE, "manifest", NULL) == 0) {
		rc = 0;
		goto out;
	}
	rc = sn_seterr(e, SIGNET_ENOTFOUND, "no manifest %s: neither %s exists nor does %s match it", digest,
	               path, top);
out:
	free(path);
	free(top);
	if (rc != 0) {
		sn_errctx(e, "%s: ", base->ref->string);
		return rc;
	}
	/* The media type is the document's own; sn_manifest_parse finds it. */
	*out = b;
	*media_type = NULL;
	return 0;
}

static int dir_get_blob(struct sn_source *base, const char *digest, size_t max, const char *what,
                        struct sn_buf *out, struct sn_err *e)
{
	char *path;
	int rc;

	if ((rc = digest_path(&path, base->ref->dir, digest, "", what, e)) == 0) {
		rc = read_checked(out, path, digest, max, what, e);
		free(path);
	}
	if (rc != 0)
		sn_errctx(e, "%s: ", base->ref->string);
	return rc;
}

static void dir_free(struct sn_source *base)
{
	if (base == NULL)
		return;
	sn_ref_free(base->ref);
	free(base);
}

static const struct sn_source_ops dir_ops = {
    .get_manifest = dir_get_manifest,
    .get_blob = dir_get_blob,
    .free = dir_free,
};

/* containers/image reads a dir: layout whatever its version file says,
 * or without one (its own test fixtures have none); it only writes the
 * file, and checks it before replacing a directory's contents.  signet
 * reads a layout without the file too, when it holds manifest.json, but
 * refuses a version it does not know: the layout says it is in another
 * format (docs/differences.md). */
static int check_version(const char *dir, struct sn_err *e)
{
	struct sn_buf b;
	struct stat st;
	char *path, *manifest = NULL;
	int rc;

	if ((path = sn_aprintf(e, "%s/version", dir)) == NULL)
		return SIGNET_ENOMEM;
	if ((rc = sn_file_read(&b, path, DIR_VERSION_FILE_MAX, "directory layout version", SN_FILE_NOFOLLOW,
	                       e)) != 0) {
		if (rc != SIGNET_ENOTFOUND)
			goto out;
		if ((manifest = sn_aprintf(e, "%s/manifest.json", dir)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		if (lstat(manifest, &st) == 0 && S_ISREG(st.st_mode)) {
			sn_err_clear(e);
			rc = 0;
		} else {
			rc = sn_seterr(e, SIGNET_ENOTFOUND,
			               "%s is not a dir: image layout: neither %s nor %s exists", dir, path,
			               manifest);
		}
		goto out;
	}
	rc = SIGNET_EUNSUPPORTED;
	for (size_t i = 0; i < sizeof(dir_versions) / sizeof(dir_versions[0]); i++)
		if (b.len == strlen(dir_versions[i]) && memcmp(b.data, dir_versions[i], b.len) == 0)
			rc = 0;
	if (rc != 0)
		sn_seterr(e, rc, "%s: unsupported directory transport version (1.0 and 1.1 are supported)",
		          path);
	sn_buf_free(&b);
out:
	free(manifest);
	free(path);
	return rc;
}

int sn_source_dir_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref,
                       struct sn_err *e)
{
	struct dir_source *src;
	int rc;

	if (ref->transport != SIGNET_TRANSPORT_DIR || ref->dir == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "%s: not a dir: reference", ref->string);
	if ((rc = check_version(ref->dir, e)) != 0)
		return rc;
	src = calloc(1, sizeof(*src));
	if (src == NULL)
		return sn_enomem(e);
	src->base.ops = &dir_ops;
	src->base.ctx = ctx;
	if ((rc = sn_ref_dup(&src->base.ref, ref, e)) != 0) {
		free(src);
		return rc;
	}
	*out = &src->base;
	return 0;
}
