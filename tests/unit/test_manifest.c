/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_manifest.c: strict manifest parsing (SPEC §3.2): every
 * accepted kind, schema 1, ambiguous documents (CVE-2021-41190), content
 * types, missing fields, wrong types, digests, sizes and the size limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"

#define MT_OCI_CONFIG    "application/vnd.oci.image.config.v1+json"
#define MT_OCI_LAYER     "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MT_DOCKER_LAYER  "application/vnd.docker.image.rootfs.diff.tar.gzip"

/* As umoci writes it: no top-level mediaType. */
static const char oci_manifest_nomt[] =
    "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
    "\",\"size\":292},"
    "\"layers\":[{\"mediaType\":\"" MT_OCI_LAYER "\",\"digest\":\"" D2 "\",\"size\":102}]}";

static const char oci_manifest[] = "{\n"
                                   "  \"schemaVersion\": 2,\n"
                                   "  \"mediaType\": \"" SN_MT_OCI_MANIFEST "\",\n"
                                   "  \"config\": {\n"
                                   "    \"mediaType\": \"" MT_OCI_CONFIG "\",\n"
                                   "    \"digest\": \"" D1 "\",\n"
                                   "    \"size\": 7023\n"
                                   "  },\n"
                                   "  \"layers\": [\n"
                                   "    {\n"
                                   "      \"mediaType\": \"" MT_OCI_LAYER "\",\n"
                                   "      \"digest\": \"" D2 "\",\n"
                                   "      \"size\": 32654\n"
                                   "    },\n"
                                   "    {\n"
                                   "      \"mediaType\": \"" MT_OCI_LAYER "\",\n"
                                   "      \"digest\": \"" D3 "\",\n"
                                   "      \"size\": 16724,\n"
                                   "      \"annotations\": {\"com.example.layer\": \"top\"}\n"
                                   "    }\n"
                                   "  ],\n"
                                   "  \"annotations\": {\n"
                                   "    \"com.example.key1\": \"value1\"\n"
                                   "  }\n"
                                   "}\n";

static const char oci_index[] =
    "{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_OCI_INDEX "\",\"manifests\":["
    "{\"mediaType\":\"" SN_MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":345,"
    "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
    "{\"mediaType\":\"" SN_MT_OCI_MANIFEST "\",\"digest\":\"" D2 "\",\"size\":346,"
    "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"},"
    "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}],"
    "\"annotations\":{\"com.example\":\"x\"}}";

/* An OCI layout's index.json as umoci writes it. */
static const char oci_index_nomt[] =
    "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\","
    "\"size\":345,\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}";

static const char docker_v2s2[] = "{\n"
                                  "   \"schemaVersion\": 2,\n"
                                  "   \"mediaType\": \"" SN_MT_DOCKER_V2S2 "\",\n"
                                  "   \"config\": {\n"
                                  "      \"mediaType\": \"" MT_DOCKER_CONFIG "\",\n"
                                  "      \"size\": 1469,\n"
                                  "      \"digest\": \"" D1 "\"\n"
                                  "   },\n"
                                  "   \"layers\": [\n"
                                  "      {\n"
                                  "         \"mediaType\": \"" MT_DOCKER_LAYER "\",\n"
                                  "         \"size\": 2479,\n"
                                  "         \"digest\": \"" D2 "\"\n"
                                  "      }\n"
                                  "   ]\n"
                                  "}";

static const char docker_list[] =
    "{\n"
    "  \"schemaVersion\": 2,\n"
    "  \"mediaType\": \"" SN_MT_DOCKER_LIST "\",\n"
    "  \"manifests\": [\n"
    "    {\n"
    "      \"mediaType\": \"" SN_MT_DOCKER_V2S2 "\",\n"
    "      \"size\": 528,\n"
    "      \"digest\": \"" D1 "\",\n"
    "      \"platform\": {\"architecture\": \"arm\", \"os\": \"linux\", \"variant\": \"v7\"}\n"
    "    },\n"
    "    {\n"
    "      \"mediaType\": \"" SN_MT_DOCKER_V2S2 "\",\n"
    "      \"size\": 528,\n"
    "      \"digest\": \"" D2 "\",\n"
    "      \"platform\": {\"architecture\": \"s390x\", \"os\": \"linux\"}\n"
    "    }\n"
    "  ]\n"
    "}\n";

static int parse(struct sn_manifest **m, const char *doc, const char *ct, struct sn_err *e)
{
	sn_err_clear(e);
	return sn_manifest_parse(m, doc, strlen(doc), ct, e);
}

/* Parses doc and expects code with every needle in the message. */
static void expect_fail(const char *doc, const char *ct, int code, const char *needle1, const char *needle2)
{
	struct sn_manifest *m = (struct sn_manifest *)0x1;
	struct sn_err e = {0};
	int rc = parse(&m, doc, ct, &e);

	if (rc != code || (needle1 != NULL && strstr(e.msg, needle1) == NULL) ||
	    (needle2 != NULL && strstr(e.msg, needle2) == NULL))
		print_error("document %s\n  rc %d (expected %d), message \"%s\"\n", doc, rc, code, e.msg);
	assert_int_equal(rc, code);
	assert_ptr_equal(m, (struct sn_manifest *)0x1); /* untouched on failure */
	if (needle1 != NULL)
		assert_non_null(strstr(e.msg, needle1));
	if (needle2 != NULL)
		assert_non_null(strstr(e.msg, needle2));
}

static void test_oci_manifest(void **state)
{
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(parse(&m, oci_manifest, NULL, &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	assert_string_equal(m->media_type, SN_MT_OCI_MANIFEST);
	assert_false(sn_manifest_is_index(m));
	assert_string_equal(m->config.digest, D1);
	assert_string_equal(m->config.media_type, MT_OCI_CONFIG);
	assert_int_equal(m->config.size, 7023);
	assert_int_equal(m->n_layers, 2);
	assert_string_equal(m->layers[0].digest, D2);
	assert_int_equal(m->layers[0].size, 32654);
	assert_null(m->layers[0].annotations);
	assert_string_equal(m->layers[1].digest, D3);
	assert_non_null(m->layers[1].annotations);
	assert_string_equal(json_string_value(json_object_get(m->layers[1].annotations, "com.example.layer")),
	                    "top");
	assert_string_equal(json_string_value(json_object_get(m->annotations, "com.example.key1")), "value1");
	assert_int_equal(m->n_manifests, 0);
	assert_non_null(m->root);
	sn_manifest_free(m);

	/* The same with the declared type, parameters and blanks included. */
	assert_int_equal(parse(&m, oci_manifest, " " SN_MT_OCI_MANIFEST " ; charset=utf-8", &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	sn_manifest_free(m);
	assert_int_equal(parse(&m, oci_manifest, "", &e), 0);
	sn_manifest_free(m);
}

static void test_oci_manifest_without_media_type(void **state)
{
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};

	(void)state;
	/* Decided by structure; a consistent declared type is fine too. */
	assert_int_equal(parse(&m, oci_manifest_nomt, NULL, &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	assert_string_equal(m->media_type, SN_MT_OCI_MANIFEST);
	assert_int_equal(m->n_layers, 1);
	sn_manifest_free(m);
	assert_int_equal(parse(&m, oci_manifest_nomt, SN_MT_OCI_MANIFEST, &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	sn_manifest_free(m);
}

static void test_oci_index(void **state)
{
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(parse(&m, oci_index, SN_MT_OCI_INDEX, &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_OCI_INDEX);
	assert_string_equal(m->media_type, SN_MT_OCI_INDEX);
	assert_true(sn_manifest_is_index(m));
	assert_int_equal(m->n_manifests, 2);
	assert_int_equal(m->n_layers, 0);
	assert_string_equal(m->manifests[0].digest, D1);
	assert_string_equal(m->manifests[0].media_type, SN_MT_OCI_MANIFEST);
	assert_int_equal(m->manifests[0].size, 345);
	assert_string_equal(m->manifests[0].os, "linux");
	assert_string_equal(m->manifests[0].arch, "amd64");
	assert_null(m->manifests[0].variant);
	assert_null(m->manifests[0].ref_name);
	assert_string_equal(m->manifests[1].arch, "arm64");
	assert_string_equal(m->manifests[1].variant, "v8");
	assert_string_equal(m->manifests[1].ref_name, "v1");
	assert_non_null(m->manifests[1].annotations);
	assert_non_null(m->annotations);
	sn_manifest_free(m);

	assert_int_equal(parse(&m, oci_index_nomt, NULL, &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_OCI_INDEX);
	assert_int_equal(m->n_manifests, 1);
	assert_null(m->manifests[0].os);
	assert_string_equal(m->manifests[0].ref_name, "v1");
	sn_manifest_free(m);
	assert_int_equal(parse(&m, oci_index_nomt, SN_MT_OCI_INDEX, &e), 0);
	sn_manifest_free(m);

	/* An empty index is valid. */
	assert_int_equal(parse(&m,
	                       "{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_OCI_INDEX "\",\"manifests\":[]}",
	                       NULL, &e),
	                 0);
	assert_int_equal(m->n_manifests, 0);
	sn_manifest_free(m);
}

static void test_docker_kinds(void **state)
{
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(parse(&m, docker_v2s2, SN_MT_DOCKER_V2S2, &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_DOCKER_V2S2);
	assert_string_equal(m->media_type, SN_MT_DOCKER_V2S2);
	assert_string_equal(m->config.media_type, MT_DOCKER_CONFIG);
	assert_int_equal(m->config.size, 1469);
	assert_int_equal(m->n_layers, 1);
	assert_string_equal(m->layers[0].digest, D2);
	assert_false(sn_manifest_is_index(m));
	sn_manifest_free(m);

	assert_int_equal(parse(&m, docker_list, SN_MT_DOCKER_LIST "; charset=utf-8", &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_DOCKER_LIST);
	assert_string_equal(m->media_type, SN_MT_DOCKER_LIST);
	assert_true(sn_manifest_is_index(m));
	assert_int_equal(m->n_manifests, 2);
	assert_string_equal(m->manifests[0].arch, "arm");
	assert_string_equal(m->manifests[0].variant, "v7");
	assert_string_equal(m->manifests[1].arch, "s390x");
	assert_string_equal(m->manifests[1].os, "linux");
	sn_manifest_free(m);

	assert_false(sn_manifest_is_index(NULL));
	sn_manifest_free(NULL);
}

static void test_schema1_refused(void **state)
{
	static const char unsigned_s1[] =
	    "{\"schemaVersion\":1,\"name\":\"library/busybox\",\"tag\":\"latest\",\"architecture\":\"amd64\","
	    "\"fsLayers\":[{\"blobSum\":\"" D1 "\"}],\"history\":[{\"v1Compatibility\":\"{}\"}]}";
	static const char signed_s1[] =
	    "{\"schemaVersion\":1,\"name\":\"library/busybox\",\"tag\":\"latest\",\"architecture\":\"amd64\","
	    "\"fsLayers\":[{\"blobSum\":\"" D1 "\"}],\"history\":[{\"v1Compatibility\":\"{}\"}],"
	    "\"signatures\":[{\"header\":{\"alg\":\"ES256\"},\"signature\":\"abc\",\"protected\":\"def\"}]}";

	(void)state;
	expect_fail(unsigned_s1, NULL, SIGNET_EUNSUPPORTED, "Docker schema 1 manifests are not supported",
	            NULL);
	expect_fail(signed_s1, SN_MT_DOCKER_V2S1_SIGNED, SIGNET_EUNSUPPORTED, "schema 1", NULL);
	expect_fail(unsigned_s1, SN_MT_DOCKER_V2S1, SIGNET_EUNSUPPORTED, "schema 1", NULL);
	/* A schema 1 type, declared or in the document, whatever the rest says. */
	expect_fail(oci_manifest_nomt, SN_MT_DOCKER_V2S1_SIGNED, SIGNET_EUNSUPPORTED, "schema 1", NULL);
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_DOCKER_V2S1
	            "\",\"config\":{},\"layers\":[]}",
	            NULL, SIGNET_EUNSUPPORTED, "schema 1", NULL);
}

static void test_ambiguous_refused(void **state)
{
	(void)state;
	/* The CVE-2021-41190 shapes: an index that is also a manifest. */
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_OCI_MANIFEST "\","
	            "\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1 "\",\"size\":1},"
	            "\"layers\":[],\"manifests\":[]}",
	            NULL, SIGNET_EBADINPUT, "CVE-2021-41190", "manifests");
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_OCI_INDEX "\",\"manifests\":[],"
	            "\"layers\":[]}",
	            SN_MT_OCI_INDEX, SIGNET_EBADINPUT, "CVE-2021-41190", "layers");
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_DOCKER_LIST "\",\"manifests\":[],"
	            "\"config\":{\"mediaType\":\"" MT_DOCKER_CONFIG "\",\"digest\":\"" D1 "\",\"size\":1}}",
	            NULL, SIGNET_EBADINPUT, "CVE-2021-41190", "config");
	/* Without a mediaType, structure alone decides, and both readings exist. */
	expect_fail("{\"schemaVersion\":2,\"manifests\":[],"
	            "\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":1},\"layers\":[]}",
	            NULL, SIGNET_EBADINPUT, "CVE-2021-41190", NULL);
	expect_fail("{\"schemaVersion\":2,\"manifests\":[],\"layers\":[]}", NULL, SIGNET_EBADINPUT,
	            "CVE-2021-41190", NULL);
	/* Schema 1 fields in a schema 2 document. */
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_DOCKER_V2S2 "\","
	            "\"config\":{\"mediaType\":\"" MT_DOCKER_CONFIG "\",\"digest\":\"" D1 "\",\"size\":1},"
	            "\"layers\":[],\"fsLayers\":[]}",
	            NULL, SIGNET_EBADINPUT, "CVE-2021-41190", "fsLayers");
	/* Even a null value counts as present: stricter than containers/image. */
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_OCI_MANIFEST "\","
	            "\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1 "\",\"size\":1},"
	            "\"layers\":[],\"manifests\":null}",
	            NULL, SIGNET_EBADINPUT, "CVE-2021-41190", NULL);
}

static void test_content_type_mismatch(void **state)
{
	(void)state;
	/* Document and declared type disagree. */
	expect_fail(oci_manifest, SN_MT_DOCKER_V2S2, SIGNET_EBADINPUT, "does not match", SN_MT_DOCKER_V2S2);
	expect_fail(docker_v2s2, SN_MT_OCI_MANIFEST, SIGNET_EBADINPUT, "does not match", NULL);
	expect_fail(oci_index, SN_MT_DOCKER_LIST, SIGNET_EBADINPUT, "does not match", NULL);
	expect_fail(docker_list, SN_MT_OCI_INDEX "; charset=utf-8", SIGNET_EBADINPUT, "does not match", NULL);
	/* No mediaType: the declared type must fit the structure. */
	expect_fail(oci_manifest_nomt, SN_MT_OCI_INDEX, SIGNET_EBADINPUT, "structure", NULL);
	expect_fail(oci_index_nomt, SN_MT_OCI_MANIFEST, SIGNET_EBADINPUT, "structure", NULL);
	/* ... and Docker documents carry their own. */
	expect_fail(oci_manifest_nomt, SN_MT_DOCKER_V2S2, SIGNET_EBADINPUT, "no mediaType", NULL);
	expect_fail(oci_index_nomt, SN_MT_DOCKER_LIST, SIGNET_EBADINPUT, "no mediaType", NULL);
	/* Types that are not manifests at all. */
	expect_fail(oci_manifest_nomt, "text/plain", SIGNET_EUNSUPPORTED, "unsupported media type",
	            "text/plain");
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\","
	            "\"blobs\":[]}",
	            NULL, SIGNET_EUNSUPPORTED, "application/vnd.oci.artifact.manifest.v1+json", NULL);
}

static void test_missing_fields(void **state)
{
	(void)state;
	expect_fail("{\"mediaType\":\"" SN_MT_OCI_INDEX "\",\"manifests\":[]}", NULL, SIGNET_EBADINPUT,
	            "manifest: schemaVersion: missing", NULL);
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_OCI_MANIFEST "\",\"layers\":[]}", NULL,
	            SIGNET_EBADINPUT, "manifest: config: missing", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":1}}",
	            NULL, SIGNET_EBADINPUT, "manifest: layers: missing", NULL);
	expect_fail("{\"schemaVersion\":2,\"mediaType\":\"" SN_MT_DOCKER_LIST "\"}", NULL, SIGNET_EBADINPUT,
	            "manifest: manifests: missing", NULL);
	expect_fail("{\"schemaVersion\":2}", NULL, SIGNET_EBADINPUT, "cannot tell its type", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG
	            "\",\"size\":1},\"layers\":[]}",
	            NULL, SIGNET_EBADINPUT, "manifest: config.digest: missing", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\"},"
	            "\"layers\":[]}",
	            NULL, SIGNET_EBADINPUT, "manifest: config.size: missing", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":1},\"layers\":[{\"digest\":\"" D2 "\",\"size\":1}]}",
	            NULL, SIGNET_EBADINPUT, "manifest: layers[0].mediaType: missing", NULL);
	expect_fail("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST
	            "\",\"digest\":\"" D1 "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\"}}]}",
	            NULL, SIGNET_EBADINPUT, "manifest: manifests[0].platform.os: missing", NULL);
}

static void test_wrong_types(void **state)
{
	(void)state;
	expect_fail("[]", NULL, SIGNET_EBADINPUT, "manifest: not a JSON object", NULL);
	expect_fail("{\"schemaVersion\":\"2\",\"manifests\":[]}", NULL, SIGNET_EBADINPUT,
	            "manifest: schemaVersion: not an integer", NULL);
	expect_fail("{\"schemaVersion\":3,\"manifests\":[]}", NULL, SIGNET_EBADINPUT, "schemaVersion: 3",
	            NULL);
	expect_fail("{\"schemaVersion\":2,\"mediaType\":7,\"manifests\":[]}", NULL, SIGNET_EBADINPUT,
	            "manifest: mediaType: not a string", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":1},\"layers\":{}}",
	            NULL, SIGNET_EBADINPUT, "manifest: layers: not an array", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":[],\"layers\":[]}", NULL, SIGNET_EBADINPUT,
	            "manifest: config: not an object", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":1},\"layers\":["
	            "{\"mediaType\":\"" MT_OCI_LAYER "\",\"digest\":\"" D2 "\",\"size\":1},"
	            "{\"mediaType\":\"" MT_OCI_LAYER "\",\"digest\":\"" D2 "\",\"size\":1},"
	            "{\"mediaType\":\"" MT_OCI_LAYER "\",\"digest\":42,\"size\":1}]}",
	            NULL, SIGNET_EBADINPUT, "manifest: layers[2].digest: not a string", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":\"1\"},\"layers\":[]}",
	            NULL, SIGNET_EBADINPUT, "manifest: config.size: not an integer", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":1.5},\"layers\":[]}",
	            NULL, SIGNET_EBADINPUT, "manifest: config.size: not an integer", NULL);
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":null,\"digest\":\"" D1 "\",\"size\":1},"
	            "\"layers\":[]}",
	            NULL, SIGNET_EBADINPUT, "manifest: config.mediaType: not a string", NULL);
	expect_fail("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST
	            "\",\"digest\":\"" D1 "\",\"size\":1,\"platform\":\"linux/amd64\"}]}",
	            NULL, SIGNET_EBADINPUT, "manifest: manifests[0].platform: not an object", NULL);
	expect_fail(
	    "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST "\",\"digest\":\"" D1
	    "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\",\"variant\":8}}]}",
	    NULL, SIGNET_EBADINPUT, "manifest: manifests[0].platform.variant: not a string", NULL);
	expect_fail(
	    "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST "\",\"digest\":\"" D1
	    "\",\"size\":1,\"annotations\":{\"org.opencontainers.image.ref.name\":1}}]}",
	    NULL, SIGNET_EBADINPUT,
	    "manifest: manifests[0].annotations[\"org.opencontainers.image.ref.name\"]: not a string", NULL);
	expect_fail("{\"schemaVersion\":2,\"manifests\":[],\"annotations\":[]}", NULL, SIGNET_EBADINPUT,
	            "manifest: annotations: not an object", NULL);
	expect_fail("{\"schemaVersion\":2,\"manifests\":[\"" D1 "\"]}", NULL, SIGNET_EBADINPUT,
	            "manifest: manifests[0]: not an object", NULL);
}

static void test_strict_json(void **state)
{
	char deep[300];
	size_t n = 0;

	(void)state;
	expect_fail("{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}", NULL, SIGNET_EBADINPUT,
	            "manifest", "duplicate");
	expect_fail("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST
	            "\",\"digest\":\"" D1 "\",\"digest\":\"" D2 "\",\"size\":1}]}",
	            NULL, SIGNET_EBADINPUT, "duplicate", NULL);
	expect_fail("{\"schemaVersion\":2,\"manifests\":[]} {}", NULL, SIGNET_EBADINPUT, "manifest", NULL);
	expect_fail("", NULL, SIGNET_EBADINPUT, "manifest", NULL);
	/* Nesting past SIGNET_MAX_JSON_DEPTH inside annotations. */
	n += (size_t)snprintf(deep, sizeof(deep), "{\"schemaVersion\":2,\"manifests\":[],\"x\":");
	for (int i = 0; i < SIGNET_MAX_JSON_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < SIGNET_MAX_JSON_DEPTH; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = '\0';
	expect_fail(deep, NULL, SIGNET_ELIMIT, "manifest", "nesting");
}

static void test_bad_digests_and_sizes(void **state)
{
	static const char *bad[] = {
	    "sha256:111111111111111111111111111111111111111111111111111111111111111",   /* 63 */
	    "sha256:1111111111111111111111111111111111111111111111111111111111111111a", /* 65 */
	    "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "md5:d41d8cd98f00b204e9800998ecf8427e",
	    "1111111111111111111111111111111111111111111111111111111111111111",
	    "sha256:../../../../etc/passwd",
	    "",
	};
	char doc[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc),
		         "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG
		         "\",\"digest\":\"" D1 "\",\"size\":1},\"layers\":[{\"mediaType\":\"" MT_OCI_LAYER
		         "\",\"digest\":\"%s\",\"size\":1}]}",
		         bad[i]);
		expect_fail(doc, NULL, SIGNET_EBADINPUT, "manifest: layers[0].digest: ", "invalid digest");
	}
	expect_fail("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1
	            "\",\"size\":-1},\"layers\":[]}",
	            NULL, SIGNET_EBADINPUT, "manifest: config.size: negative", NULL);
	expect_fail("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST
	            "\",\"digest\":\"" D1 "\",\"size\":-9223372036854775808}]}",
	            NULL, SIGNET_EBADINPUT, "manifest: manifests[0].size: negative", NULL);
	/* Past int64: jansson refuses the number itself. */
	expect_fail("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" SN_MT_OCI_MANIFEST
	            "\",\"digest\":\"" D1 "\",\"size\":9223372036854775808}]}",
	            NULL, SIGNET_EBADINPUT, "manifest", NULL);
}

/* A valid manifest padded with trailing blanks to exactly len bytes. */
static char *padded_manifest(size_t len)
{
	char *doc = malloc(len + 1);
	size_t n = strlen(oci_manifest_nomt);

	assert_non_null(doc);
	memcpy(doc, oci_manifest_nomt, n);
	memset(doc + n, ' ', len - n);
	doc[len] = '\0';
	return doc;
}

static void test_size_limit(void **state)
{
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};
	char *doc;

	(void)state;
	doc = padded_manifest(SIGNET_MAX_MANIFEST_SIZE);
	assert_int_equal(sn_manifest_parse(&m, doc, SIGNET_MAX_MANIFEST_SIZE, NULL, &e), 0);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	sn_manifest_free(m);
	free(doc);

	m = NULL;
	doc = padded_manifest(SIGNET_MAX_MANIFEST_SIZE + 1);
	assert_int_equal(sn_manifest_parse(&m, doc, SIGNET_MAX_MANIFEST_SIZE + 1, NULL, &e), SIGNET_ELIMIT);
	assert_null(m);
	assert_non_null(strstr(e.msg, "manifest size limit of 4194304 bytes"));
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_oci_manifest),
	    cmocka_unit_test(test_oci_manifest_without_media_type),
	    cmocka_unit_test(test_oci_index),
	    cmocka_unit_test(test_docker_kinds),
	    cmocka_unit_test(test_schema1_refused),
	    cmocka_unit_test(test_ambiguous_refused),
	    cmocka_unit_test(test_content_type_mismatch),
	    cmocka_unit_test(test_missing_fields),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_strict_json),
	    cmocka_unit_test(test_bad_digests_and_sizes),
	    cmocka_unit_test(test_size_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
