/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/layout_oci.c: the oci:PATH[:REF] source, an OCI image layout
 * directory (oci-layout, index.json, blobs/ALG/HEX) read offline.  Every
 * blob is read bounded, without following a symbolic link, and checked
 * against the digest it was asked for by.
 */
#include "registry.h"

#include <stdlib.h>
#include <string.h>

/* The oci-layout file is one tiny JSON object. */
#define OCI_LAYOUT_FILE_MAX 4096

/* How many image names an "several images" message lists. */
#define OCI_NAMES_LISTED 8

struct oci_source {
	struct sn_source base;                /* first: the generic source */
	struct sn_manifest *index;            /* index.json */
	const struct sn_descriptor *selected; /* borrowed from index */
};

/* "DIR/blobs/ALG/HEX": paths are only ever built from validated digests. */
static int blob_path(char **out, const char *dir, const char *digest, struct sn_err *e)
{
	const char *colon;
	int rc;

	if ((rc = sn_digest_validate(digest, e)) != 0)
		return rc;
	colon = strchr(digest, ':');
	*out = sn_aprintf(e, "%s/blobs/%.*s/%s", dir, (int)(colon - digest), digest, colon + 1);
	return *out == NULL ? SIGNET_ENOMEM : 0;
}

/* Reads blob digest of at most max bytes into out and checks it.  When
 * size is >= 0 the blob must have exactly that many bytes. */
static int read_blob(struct sn_buf *out, const char *dir, const char *digest, int64_t size, size_t max,
                     const char *what, struct sn_err *e)
{
	struct sn_buf b;
	char *path;
	int rc;

	if ((rc = blob_path(&path, dir, digest, e)) != 0) {
		if (rc != SIGNET_ENOMEM)
			sn_errctx(e, "%s: ", what);
		return rc;
	}
	if (size >= 0 && (uint64_t)size > (uint64_t)max) {
		rc = sn_seterr(e, SIGNET_ELIMIT,
		               "%s: %s: its descriptor says %lld bytes, over the limit of %zu", what, path,
		               (long long)size, max);
		goto out;
	}
	if ((rc = sn_file_read(&b, path, max, what, SN_FILE_NOFOLLOW, e)) != 0)
		goto out;
	if (size >= 0 && (uint64_t)size != (uint64_t)b.len) {
		rc = sn_seterr(e, SIGNET_EINTEGRITY,
		               "%s: %s: size mismatch: its descriptor says %lld bytes, the file has %zu",
		               what, path, (long long)size, b.len);
		sn_buf_free(&b);
		goto out;
	}
	if ((rc = sn_digest_check(digest, b.data, b.len, what, e)) != 0) {
		sn_errctx(e, "%s: ", path);
		sn_buf_free(&b);
		goto out;
	}
	*out = b;
out:
	free(path);
	return rc;
}

static const struct sn_descriptor *index_find_digest(const struct sn_manifest *index, const char *digest)
{
	for (size_t i = 0; i < index->n_manifests; i++)
		if (strcmp(index->manifests[i].digest, digest) == 0)
			return &index->manifests[i];
	return NULL;
}

static int oci_get_manifest(struct sn_source *base, const char *digest, struct sn_buf *out, char **media_type,
                            struct sn_err *e)
{
	struct oci_source *src = (struct oci_source *)base;
	const struct sn_descriptor *d;
	struct sn_buf b;
	char *mt = NULL;
	int rc;

	if (digest == NULL) {
		d = src->selected;
		rc = read_blob(&b, base->ref->dir, d->digest, d->size, SIGNET_MAX_MANIFEST_SIZE, "manifest",
		               e);
	} else {
		/* An instance of an index (or any manifest blob): its media
		 * type is known when index.json lists it. */
		d = index_find_digest(src->index, digest);
		rc = read_blob(&b, base->ref->dir, digest, d != NULL ? d->size : -1, SIGNET_MAX_MANIFEST_SIZE,
		               "manifest", e);
	}
	if (rc != 0) {
		sn_errctx(e, "%s: ", base->ref->string);
		return rc;
	}
	if (d != NULL && (mt = sn_strdup(d->media_type, e)) == NULL) {
		sn_buf_free(&b);
		return SIGNET_ENOMEM;
	}
	*out = b;
	*media_type = mt;
	return 0;
}

static int oci_get_blob(struct sn_source *base, const char *digest, size_t max, const char *what,
                        struct sn_buf *out, struct sn_err *e)
{
	int rc = read_blob(out, base->ref->dir, digest, -1, max, what, e);

	if (rc != 0)
		sn_errctx(e, "%s: ", base->ref->string);
	return rc;
}

static void oci_free(struct sn_source *base)
{
	struct oci_source *src = (struct oci_source *)base;

	if (src == NULL)
		return;
	sn_manifest_free(src->index);
	sn_ref_free(base->ref);
	free(src);
}

static const struct sn_source_ops oci_ops = {
    .get_manifest = oci_get_manifest,
    .get_blob = oci_get_blob,
    .free = oci_free,
};

/* DIR/oci-layout must exist and declare an imageLayoutVersion 1.x. */
static int check_layout_file(const char *dir, struct sn_err *e)
{
	struct sn_buf b;
	json_t *root = NULL, *v;
	char *path;
	int rc;

	if ((path = sn_aprintf(e, "%s/oci-layout", dir)) == NULL)
		return SIGNET_ENOMEM;
	if ((rc = sn_file_read(&b, path, OCI_LAYOUT_FILE_MAX, "OCI layout file", SN_FILE_NOFOLLOW, e)) != 0) {
		if (rc == SIGNET_ENOTFOUND)
			sn_errctx(e, "%s is not an OCI image layout: ", dir);
		goto out;
	}
	rc = sn_json_parse(&root, b.data, b.len, path, e);
	sn_buf_free(&b);
	if (rc != 0)
		goto out;
	v = json_object_get(root, "imageLayoutVersion");
	if (!json_is_object(root) || v == NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: imageLayoutVersion: missing", path);
		goto out;
	}
	if (!json_is_string(v)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: imageLayoutVersion: not a string", path);
		goto out;
	}
	if (strncmp(json_string_value(v), "1.", 2) != 0) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED,
		               "%s: imageLayoutVersion \"%.32s\" is not supported (1.x is)", path,
		               json_string_value(v));
		goto out;
	}
out:
	json_decref(root);
	free(path);
	return rc;
}

static int read_index(struct sn_manifest **out, const char *dir, struct sn_err *e)
{
	struct sn_buf b;
	char *path;
	int rc;

	if ((path = sn_aprintf(e, "%s/index.json", dir)) == NULL)
		return SIGNET_ENOMEM;
	if ((rc = sn_file_read(&b, path, SIGNET_MAX_MANIFEST_SIZE, "OCI layout index", SN_FILE_NOFOLLOW,
	                       e)) != 0)
		goto out;
	/* index.json is an OCI image index (it may omit its mediaType). */
	rc = sn_manifest_parse(out, b.data, b.len, SN_MT_OCI_INDEX, e);
	sn_buf_free(&b);
	if (rc != 0)
		sn_errctx(e, "%s: ", path);
out:
	free(path);
	return rc;
}

/* Picks the descriptor the reference names: the one whose ref.name
 * annotation is tag, or without a tag the only one there is. */
static int select_image(const struct sn_descriptor **out, const struct sn_manifest *index,
                        const struct sn_ref *ref, struct sn_err *e)
{
	const struct sn_descriptor *found = NULL;
	char names[512];
	size_t off = 0;

	if (ref->tag != NULL) {
		for (size_t i = 0; i < index->n_manifests; i++) {
			const struct sn_descriptor *d = &index->manifests[i];
			if (d->ref_name == NULL || strcmp(d->ref_name, ref->tag) != 0)
				continue;
			if (found != NULL)
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: %s/index.json names more than one image \"%s\"",
				                 ref->string, ref->dir, ref->tag);
			found = d;
		}
		if (found == NULL)
			return sn_seterr(e, SIGNET_ENOTFOUND, "%s: no image named \"%s\" in %s/index.json",
			                 ref->string, ref->tag, ref->dir);
		*out = found;
		return 0;
	}
	if (index->n_manifests == 1) {
		*out = &index->manifests[0];
		return 0;
	}
	if (index->n_manifests == 0)
		return sn_seterr(e, SIGNET_ENOTFOUND, "%s: %s/index.json lists no image", ref->string,
		                 ref->dir);
	names[0] = '\0';
	for (size_t i = 0; i < index->n_manifests && i < OCI_NAMES_LISTED; i++) {
		const struct sn_descriptor *d = &index->manifests[i];
		int n = snprintf(names + off, sizeof(names) - off, "%s%.48s", i ? ", " : "",
		                 d->ref_name != NULL ? d->ref_name : d->digest);
		if (n < 0 || (size_t)n >= sizeof(names) - off)
			break;
		off += (size_t)n;
	}
	return sn_seterr(e, SIGNET_EBADINPUT,
	                 "%s: the layout holds %zu images (%s%s); name one as oci:%s:REF", ref->string,
	                 index->n_manifests, names, index->n_manifests > OCI_NAMES_LISTED ? ", ..." : "",
	                 ref->dir);
}

int sn_source_oci_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref,
                       struct sn_err *e)
{
	struct oci_source *src = NULL;
	int rc;

	if (ref->transport != SIGNET_TRANSPORT_OCI || ref->dir == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "%s: not an oci: reference", ref->string);
	src = calloc(1, sizeof(*src));
	if (src == NULL)
		return sn_enomem(e);
	src->base.ops = &oci_ops;
	src->base.ctx = ctx;
	if ((rc = check_layout_file(ref->dir, e)) != 0 || (rc = read_index(&src->index, ref->dir, e)) != 0 ||
	    (rc = select_image(&src->selected, src->index, ref, e)) != 0 ||
	    (rc = sn_ref_dup(&src->base.ref, ref, e)) != 0)
		goto out;
	*out = &src->base;
	src = NULL;
out:
	if (src != NULL)
		oci_free(&src->base);
	return rc;
}
