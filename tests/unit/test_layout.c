/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_layout.c: the oci: and dir: sources over layouts built by
 * umoci and skopeo at test time (fixtures/make-layouts.sh): manifest
 * digests, index instances, blobs, tampering, missing names, symbolic
 * links, and malformed layouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/registry.h"

static char tmpdir[] = "/tmp/signet-test-layout-XXXXXX";

/* Printed by make-layouts.sh (sha256sum of the index it writes) and read
 * from the umoci-written index.json. */
static char multi_index[SN_DIGEST_MAX], multi_amd64[SN_DIGEST_MAX], multi_arm64[SN_DIGEST_MAX];

static char *path_of(const char *fmt, ...) SN_PRINTF(1, 2);

static char *path_of(const char *fmt, ...)
{
	static char buf[4][1024];
	static int next;
	char *p = buf[next++ % 4];
	char rel[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(p, 1024, "%s/%s", tmpdir, rel);
	return p;
}

/* The sha256 of a file, computed here (as sha256sum would). */
static void file_digest(char out[SN_DIGEST_MAX], const char *path)
{
	struct sn_buf b;
	struct sn_err e = {0};

	assert_int_equal(sn_file_read(&b, path, 64u << 20, "test file", 0, &e), 0);
	assert_int_equal(sn_digest_compute(out, "sha256", b.data, b.len, &e), 0);
	sn_buf_free(&b);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Flips the first byte of a file (twice restores it). */
static void flip_byte(const char *path)
{
	FILE *f = fopen(path, "r+b");
	int c;

	assert_non_null(f);
	c = fgetc(f);
	assert_int_not_equal(c, EOF);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	assert_int_equal(fputc(c ^ 0x01, f), c ^ 0x01);
	assert_int_equal(fclose(f), 0);
}

/* The digest index.json of layout gives to the image named name. */
static void index_digest(char out[SN_DIGEST_MAX], const char *layout, const char *name)
{
	json_error_t jerr;
	json_t *root = json_load_file(path_of("%s/index.json", layout), 0, &jerr);
	json_t *ms, *d;
	size_t i;

	assert_non_null(root);
	ms = json_object_get(root, "manifests");
	json_array_foreach(ms, i, d)
	{
		const char *n = json_string_value(
		    json_object_get(json_object_get(d, "annotations"), "org.opencontainers.image.ref.name"));
		if (n != NULL && strcmp(n, name) == 0) {
			snprintf(out, SN_DIGEST_MAX, "%s", json_string_value(json_object_get(d, "digest")));
			json_decref(root);
			return;
		}
	}
	json_decref(root);
	fail_msg("no %s in %s/index.json", name, layout);
}

/* "TRANSPORT:TMPDIR/REL" */
static const char *layout_ref(const char *transport, const char *rel)
{
	static char buf[1100];

	snprintf(buf, sizeof(buf), "%s:%s/%s", transport, tmpdir, rel);
	return buf;
}

static int open_src(struct sn_source **src, const char *text, struct sn_err *e)
{
	struct sn_ref *ref = NULL;
	int rc;

	sn_err_clear(e);
	assert_int_equal(sn_ref_parse(&ref, text, e), 0);
	rc = sn_source_open(src, NULL, ref, e);
	sn_ref_free(ref);
	return rc;
}

static int group_setup(void **state)
{
	char cmd[2048], line[256], name[64], digest[SN_DIGEST_MAX];
	FILE *f;

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "sh '%s/make-layouts.sh' '%s' >'%s/make.log' 2>'%s/make.err'",
	         FIXTURES_DIR, tmpdir, tmpdir, tmpdir);
	if (system(cmd) != 0) {
		fprintf(stderr, "make-layouts.sh failed; see %s/make.err\n", tmpdir);
		return -1;
	}
	f = fopen(path_of("make.log"), "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%63s %135s", name, digest) != 2)
			continue;
		if (strcmp(name, "multi-index") == 0)
			memcpy(multi_index, digest, sizeof(digest));
		else if (strcmp(name, "multi-amd64") == 0)
			memcpy(multi_amd64, digest, sizeof(digest));
		else if (strcmp(name, "multi-arm64") == 0)
			memcpy(multi_arm64, digest, sizeof(digest));
	}
	fclose(f);
	return multi_index[0] && multi_amd64[0] && multi_arm64[0] ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[1100];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_oci_tags(void **state)
{
	struct sn_source *src = NULL;
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};
	char want[SN_DIGEST_MAX], got[SN_DIGEST_MAX], file[SN_DIGEST_MAX], v2[SN_DIGEST_MAX];
	struct sn_buf bytes, blob;

	(void)state;
	index_digest(want, "oci", "v1");
	file_digest(file, path_of("oci/blobs/sha256/%s", want + strlen("sha256:")));
	assert_string_equal(file, want); /* the layout itself is sound */

	assert_int_equal(open_src(&src, layout_ref("oci", "oci:v1"), &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, &bytes, src, NULL, &e), 0);
	assert_string_equal(got, want);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	assert_string_equal(m->media_type, SN_MT_OCI_MANIFEST);
	assert_int_equal(m->n_layers, 1);
	/* The config and the layer come back checked. */
	assert_int_equal(src->ops->get_blob(src, m->config.digest, 1 << 20, "config", &blob, &e), 0);
	assert_int_equal((int64_t)blob.len, m->config.size);
	sn_buf_free(&blob);
	assert_int_equal(src->ops->get_blob(src, m->layers[0].digest, 1 << 20, "layer", &blob, &e), 0);
	assert_int_equal((int64_t)blob.len, m->layers[0].size);
	sn_buf_free(&blob);
	/* The same manifest asked for by its digest. */
	sn_manifest_free(m);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, want, &e), 0);
	assert_string_equal(got, want);
	sn_manifest_free(m);
	sn_buf_free(&bytes);
	sn_source_free(src);

	/* v2 is another image. */
	index_digest(v2, "oci", "v2");
	assert_string_not_equal(v2, want);
	assert_int_equal(open_src(&src, layout_ref("oci", "oci:v2"), &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), 0);
	assert_string_equal(got, v2);
	sn_manifest_free(m);
	sn_source_free(src);
}

static void test_oci_names(void **state)
{
	struct sn_source *src = (struct sn_source *)0x1;
	struct sn_err e = {0};
	const char *ref;

	(void)state;
	ref = layout_ref("oci", "oci:nope");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_ENOTFOUND);
	assert_non_null(strstr(e.msg, "no image named \"nope\""));
	assert_non_null(strstr(e.msg, "/oci/index.json"));
	assert_ptr_equal(src, (struct sn_source *)0x1);

	/* Without a REF the layout must hold exactly one image. */
	ref = layout_ref("oci", "oci");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "holds 2 images (v1, v2)"));
	assert_ptr_equal(src, (struct sn_source *)0x1);

	ref = layout_ref("oci", "no-such-layout:v1");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_ENOTFOUND);
	assert_non_null(strstr(e.msg, "not an OCI image layout"));
	assert_non_null(strstr(e.msg, "no-such-layout/oci-layout"));
}

static void test_oci_multi(void **state)
{
	struct sn_source *src = NULL;
	struct sn_manifest *m = NULL, *inst = NULL;
	struct sn_err e = {0};
	const char *ref;
	char got[SN_DIGEST_MAX], file[SN_DIGEST_MAX];
	struct sn_buf buf;
	char *mt = NULL;

	(void)state;
	file_digest(file, path_of("multi/blobs/sha256/%s", multi_index + strlen("sha256:")));
	assert_string_equal(file, multi_index);
	ref = layout_ref("oci", "multi:multi");
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), 0);
	assert_string_equal(got, multi_index);
	assert_int_equal(m->kind, SN_MANIFEST_OCI_INDEX);
	assert_int_equal(m->n_manifests, 2);
	assert_string_equal(m->manifests[0].digest, multi_amd64);
	assert_string_equal(m->manifests[0].arch, "amd64");
	assert_string_equal(m->manifests[0].os, "linux");
	assert_string_equal(m->manifests[1].digest, multi_arm64);
	assert_string_equal(m->manifests[1].arch, "arm64");
	assert_string_equal(m->manifests[1].variant, "v8");

	/* Instances by digest, with the media type index.json gives them. */
	assert_int_equal(src->ops->get_manifest(src, multi_arm64, &buf, &mt, &e), 0);
	assert_string_equal(mt, SN_MT_OCI_MANIFEST);
	free(mt);
	sn_buf_free(&buf);
	assert_int_equal(sn_source_read_manifest(&inst, got, NULL, src, multi_amd64, &e), 0);
	assert_string_equal(got, multi_amd64);
	assert_int_equal(inst->kind, SN_MANIFEST_OCI);
	sn_manifest_free(inst);

	/* A digest nothing has. */
	assert_int_equal(sn_source_read_manifest(
	                     &inst, got, NULL, src,
	                     "sha256:0000000000000000000000000000000000000000000000000000000000000000", &e),
	                 SIGNET_ENOTFOUND);
	assert_non_null(
	    strstr(e.msg, "blobs/sha256/0000000000000000000000000000000000000000000000000000000000000000"));
	/* Digests that are not digests never reach the file system. */
	assert_int_equal(src->ops->get_blob(src, "sha256:../../../etc/passwd", 1024, "layer", &buf, &e),
	                 SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "invalid digest"));
	assert_int_equal(src->ops->get_manifest(src, "../index.json", &buf, &mt, &e), SIGNET_EBADINPUT);
	sn_manifest_free(m);
	sn_source_free(src);

	/* Three images and no REF: the message lists them. */
	ref = layout_ref("oci", "multi");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "holds 3 images (amd64, arm64, multi)"));
}

static void test_dir_single(void **state)
{
	struct sn_source *src = NULL;
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};
	const char *ref;
	char got[SN_DIGEST_MAX], file[SN_DIGEST_MAX], v1[SN_DIGEST_MAX];
	struct sn_buf blob;
	char *mt = (char *)0x1;

	(void)state;
	file_digest(file, path_of("dir-v1/manifest.json"));
	index_digest(v1, "oci", "v1");
	assert_string_equal(file, v1); /* skopeo copied the manifest unchanged */

	ref = layout_ref("dir", "dir-v1");
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(src->ops->get_manifest(src, NULL, &blob, &mt, &e), 0);
	assert_null(mt); /* decided by the document */
	sn_buf_free(&blob);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), 0);
	assert_string_equal(got, file);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	assert_int_equal(src->ops->get_blob(src, m->layers[0].digest, 1 << 20, "layer", &blob, &e), 0);
	assert_int_equal((int64_t)blob.len, m->layers[0].size);
	sn_buf_free(&blob);
	assert_int_equal(src->ops->get_blob(src, m->config.digest, 1 << 20, "config", &blob, &e), 0);
	sn_buf_free(&blob);
	/* The blob limit is the caller's. */
	assert_int_equal(src->ops->get_blob(src, m->config.digest, 16, "config", &blob, &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "config"));
	sn_manifest_free(m);

	/* The top manifest asked for by its own digest (no <hex>.manifest.json). */
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, v1, &e), 0);
	assert_string_equal(got, v1);
	sn_manifest_free(m);
	assert_int_equal(sn_source_read_manifest(
	                     &m, got, NULL, src,
	                     "sha256:0000000000000000000000000000000000000000000000000000000000000000", &e),
	                 SIGNET_ENOTFOUND);
	assert_non_null(
	    strstr(e.msg, "0000000000000000000000000000000000000000000000000000000000000000.manifest.json"));
	sn_source_free(src);
}

static void test_dir_multi(void **state)
{
	struct sn_source *src = NULL;
	struct sn_manifest *m = NULL, *inst = NULL;
	struct sn_err e = {0};
	const char *ref;
	char got[SN_DIGEST_MAX], file[SN_DIGEST_MAX];

	(void)state;
	file_digest(file, path_of("dir-multi/manifest.json"));
	assert_string_equal(file, multi_index);
	file_digest(file, path_of("dir-multi/%s.manifest.json", multi_arm64 + strlen("sha256:")));
	assert_string_equal(file, multi_arm64);

	ref = layout_ref("dir", "dir-multi");
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), 0);
	assert_string_equal(got, multi_index);
	assert_int_equal(m->kind, SN_MANIFEST_OCI_INDEX);
	assert_int_equal(m->n_manifests, 2);
	for (size_t i = 0; i < m->n_manifests; i++) {
		assert_int_equal(sn_source_read_manifest(&inst, got, NULL, src, m->manifests[i].digest, &e),
		                 0);
		assert_string_equal(got, i == 0 ? multi_amd64 : multi_arm64);
		assert_int_equal(inst->kind, SN_MANIFEST_OCI);
		sn_manifest_free(inst);
	}
	sn_manifest_free(m);
	sn_source_free(src);
}

static void test_tampered(void **state)
{
	struct sn_source *src = NULL;
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};
	const char *ref;
	char got[SN_DIGEST_MAX], v1[SN_DIGEST_MAX];
	char layer[SN_DIGEST_MAX], *path;
	struct sn_buf blob;

	(void)state;
	index_digest(v1, "oci", "v1");
	ref = layout_ref("oci", "oci:v1");
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), 0);
	snprintf(layer, sizeof(layer), "%s", m->layers[0].digest);
	sn_manifest_free(m);

	/* A flipped byte in a layer. */
	path = path_of("oci/blobs/sha256/%s", layer + strlen("sha256:"));
	flip_byte(path);
	assert_int_equal(src->ops->get_blob(src, layer, 1 << 20, "layer", &blob, &e), SIGNET_EINTEGRITY);
	assert_non_null(strstr(e.msg, "digest mismatch"));
	assert_non_null(strstr(e.msg, layer));
	flip_byte(path);
	assert_int_equal(src->ops->get_blob(src, layer, 1 << 20, "layer", &blob, &e), 0);
	sn_buf_free(&blob);

	/* A flipped byte in the manifest itself. */
	path = path_of("oci/blobs/sha256/%s", v1 + strlen("sha256:"));
	flip_byte(path);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), SIGNET_EINTEGRITY);
	assert_non_null(strstr(e.msg, v1));
	flip_byte(path);
	sn_source_free(src);

	/* The same in a dir: layout: blobs and instance manifests. */
	ref = layout_ref("dir", "dir-v1");
	assert_int_equal(open_src(&src, ref, &e), 0);
	path = path_of("dir-v1/%s", layer + strlen("sha256:"));
	flip_byte(path);
	assert_int_equal(src->ops->get_blob(src, layer, 1 << 20, "layer", &blob, &e), SIGNET_EINTEGRITY);
	flip_byte(path);
	sn_source_free(src);

	ref = layout_ref("dir", "dir-multi");
	assert_int_equal(open_src(&src, ref, &e), 0);
	path = path_of("dir-multi/%s.manifest.json", multi_amd64 + strlen("sha256:"));
	flip_byte(path);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, multi_amd64, &e), SIGNET_EINTEGRITY);
	assert_non_null(strstr(e.msg, multi_amd64));
	flip_byte(path);
	sn_source_free(src);
}

static void test_symlinks_refused(void **state)
{
	struct sn_source *src = NULL;
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};
	const char *ref;
	char got[SN_DIGEST_MAX], config[SN_DIGEST_MAX], *path, *copy;
	struct sn_buf blob;

	(void)state;
	ref = layout_ref("oci", "oci:v1");
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), 0);
	snprintf(config, sizeof(config), "%s", m->config.digest);
	sn_manifest_free(m);

	/* The same bytes behind a symbolic link are still refused. */
	path = path_of("oci/blobs/sha256/%s", config + strlen("sha256:"));
	copy = path_of("config-copy");
	assert_int_equal(rename(path, copy), 0);
	assert_int_equal(symlink(copy, path), 0);
	assert_int_equal(src->ops->get_blob(src, config, 1 << 20, "config", &blob, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rename(copy, path), 0);
	sn_source_free(src);

	/* Same for dir: blobs and manifest.json. */
	ref = layout_ref("dir", "dir-v1");
	assert_int_equal(open_src(&src, ref, &e), 0);
	path = path_of("dir-v1/manifest.json");
	copy = path_of("manifest-copy");
	assert_int_equal(rename(path, copy), 0);
	assert_int_equal(symlink(copy, path), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rename(copy, path), 0);
	sn_source_free(src);
}

static void test_malformed_layouts(void **state)
{
	struct sn_source *src = NULL;
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};
	const char *ref;
	char blob[SN_DIGEST_MAX], index[1024], got[SN_DIGEST_MAX];
	static const char manifest[] =
	    "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
	    "\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\",\"size\":"
	    "1},"
	    "\"layers\":[]}";

	(void)state;
	/* dir: without a version file, and with an unknown version. */
	assert_int_equal(mkdir(path_of("bad-dir"), 0755), 0);
	ref = layout_ref("dir", "bad-dir");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_ENOTFOUND);
	assert_non_null(strstr(e.msg, "not a dir: image layout"));
	write_file(path_of("bad-dir/version"), "Directory Transport Version: 2.0\n");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "bad-dir/version"));
	write_file(path_of("bad-dir/version"), "Directory Transport Version: 1.0\n");
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), SIGNET_ENOTFOUND);
	assert_non_null(strstr(e.msg, "bad-dir/manifest.json"));
	sn_source_free(src);

	/* dir: without a version file but with manifest.json: read, as
	 * containers/image reads it; a version file still has to be known. */
	assert_int_equal(mkdir(path_of("nover-dir"), 0755), 0);
	write_file(path_of("nover-dir/manifest.json"), manifest);
	ref = layout_ref("dir", "nover-dir");
	src = NULL;
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), 0);
	sn_manifest_free(m);
	m = NULL;
	sn_source_free(src);
	src = NULL;
	write_file(path_of("nover-dir/version"), "Directory Transport Version: 1.2\n");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "nover-dir/version: unsupported directory transport version"));

	/* oci: with a wrong layout version, then a lying descriptor size. */
	assert_int_equal(mkdir(path_of("bad-oci"), 0755), 0);
	assert_int_equal(mkdir(path_of("bad-oci/blobs"), 0755), 0);
	assert_int_equal(mkdir(path_of("bad-oci/blobs/sha256"), 0755), 0);
	write_file(path_of("bad-oci/oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
	ref = layout_ref("oci", "bad-oci:x");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "imageLayoutVersion"));
	write_file(path_of("bad-oci/oci-layout"),
	           "{\"imageLayoutVersion\":\"1.0.0\",\"imageLayoutVersion\":\"1.0.0\"}");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "duplicate"));
	write_file(path_of("bad-oci/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

	assert_int_equal(sn_digest_compute(blob, "sha256", manifest, strlen(manifest), &e), 0);
	write_file(path_of("bad-oci/blobs/sha256/%s", blob + strlen("sha256:")), manifest);
	snprintf(index, sizeof(index),
	         "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST
	         "\",\"digest\":\"%s\",\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":"
	         "\"x\"}}]}",
	         blob, strlen(manifest) + 1);
	write_file(path_of("bad-oci/index.json"), index);
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), SIGNET_EINTEGRITY);
	assert_non_null(strstr(e.msg, "size mismatch"));
	sn_source_free(src);

	/* The declared media type must agree with the blob. */
	snprintf(index, sizeof(index),
	         "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_INDEX
	         "\",\"digest\":\"%s\",\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":"
	         "\"x\"}}]}",
	         blob, strlen(manifest));
	write_file(path_of("bad-oci/index.json"), index);
	assert_int_equal(open_src(&src, ref, &e), 0);
	assert_int_equal(sn_source_read_manifest(&m, got, NULL, src, NULL, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "structure"));
	sn_source_free(src);

	/* Two images under one name. */
	snprintf(index, sizeof(index),
	         "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST
	         "\",\"digest\":\"%s\",\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":"
	         "\"x\"}},"
	         "{\"mediaType\":\"" SN_MT_OCI_MANIFEST "\",\"digest\":\"%s\",\"size\":%zu,\"annotations\":{"
	         "\"org.opencontainers.image.ref.name\":\"x\"}}]}",
	         blob, strlen(manifest), blob, strlen(manifest));
	write_file(path_of("bad-oci/index.json"), index);
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "more than one image \"x\""));

	/* index.json that is not an index. */
	write_file(path_of("bad-oci/index.json"), manifest);
	assert_int_equal(open_src(&src, ref, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "bad-oci/index.json: manifest: "));

	/* An empty layout. */
	write_file(path_of("bad-oci/index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
	ref = layout_ref("oci", "bad-oci");
	assert_int_equal(open_src(&src, ref, &e), SIGNET_ENOTFOUND);
	assert_non_null(strstr(e.msg, "lists no image"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_oci_tags),         cmocka_unit_test(test_oci_names),
	    cmocka_unit_test(test_oci_multi),        cmocka_unit_test(test_dir_single),
	    cmocka_unit_test(test_dir_multi),        cmocka_unit_test(test_tampered),
	    cmocka_unit_test(test_symlinks_refused), cmocka_unit_test(test_malformed_layouts),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
