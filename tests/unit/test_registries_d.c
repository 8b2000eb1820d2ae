/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_registries_d.c: registries.d loading and scope resolution
 * (lookaside signature URLs: test_lookaside.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/policy.h"

#define D256 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* ---- helpers -------------------------------------------------------- */

static int setup_dir(void **state)
{
	char *dir = strdup("/tmp/signet-regd-XXXXXX");

	if (dir == NULL || mkdtemp(dir) == NULL)
		return -1;
	*state = dir;
	return 0;
}

static int teardown_dir(void **state)
{
	char *dir = *state;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			char path[4096];

			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (unlink(path) != 0)
				(void)rmdir(path);
		}
		closedir(d);
	}
	rmdir(dir);
	free(dir);
	return 0;
}

static void write_file(const char *dir, const char *name, const char *content)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
	assert_int_equal(fclose(f), 0);
}

static void remove_file(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(unlink(path), 0);
}

/* A docker reference as reference.c would build it (normalized). */
static struct sn_ref mkref(const char *domain, const char *path, const char *tag, const char *digest)
{
	struct sn_ref r;

	memset(&r, 0, sizeof(r));
	r.transport = SIGNET_TRANSPORT_DOCKER;
	r.domain = (char *)domain;
	r.path = (char *)path;
	r.tag = (char *)tag;
	r.digest = (char *)digest;
	return r;
}

/* Loads dir and expects success. */
static struct sn_registries_d *load_ok(const char *dir)
{
	struct sn_registries_d *rd = NULL;
	struct sn_err e = {0};
	int rc = sn_registries_d_load(&rd, dir, &e);

	if (rc != 0)
		fail_msg("load failed (%d): %s", rc, e.msg);
	assert_non_null(rd);
	return rd;
}

/* Loads dir, expects code and every (non-NULL) substring in the message. */
static void load_fails(const char *dir, int code, const char *s1, const char *s2, const char *s3)
{
	struct sn_registries_d *rd = NULL;
	struct sn_err e = {0};
	int rc = sn_registries_d_load(&rd, dir, &e);

	if (rc != code)
		fail_msg("expected %d, got %d: %s", code, rc, e.msg);
	assert_null(rd);
	if (s1 != NULL && strstr(e.msg, s1) == NULL)
		fail_msg("\"%s\" not in \"%s\"", s1, e.msg);
	if (s2 != NULL && strstr(e.msg, s2) == NULL)
		fail_msg("\"%s\" not in \"%s\"", s2, e.msg);
	if (s3 != NULL && strstr(e.msg, s3) == NULL)
		fail_msg("\"%s\" not in \"%s\"", s3, e.msg);
}

/* Writes one file "f.yaml" into a fresh state and expects the failure. */
static void one_file_fails(const char *dir, const char *yaml, int code, const char *s1, const char *s2)
{
	write_file(dir, "f.yaml", yaml);
	load_fails(dir, code, "f.yaml", s1, s2);
	remove_file(dir, "f.yaml");
}

static void expect(const struct sn_registries_d *rd, const struct sn_ref *ref, const char *look,
                   const char *stage, int att)
{
	struct sn_lookaside_config c = {NULL, NULL, -1};
	struct sn_err e = {0};

	assert_int_equal(sn_registries_d_resolve(&c, rd, ref, &e), 0);
	if (look == NULL)
		assert_null(c.lookaside);
	else
		assert_string_equal(c.lookaside, look);
	if (stage == NULL)
		assert_null(c.lookaside_staging);
	else
		assert_string_equal(c.lookaside_staging, stage);
	assert_int_equal(c.use_sigstore_attachments, att);
	sn_lookaside_config_clear(&c);
}

/* ---- resolution ----------------------------------------------------- */

static void test_scope_kinds(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r;

	write_file(dir, "scopes.yaml",
	           "docker:\n"
	           "  example.com/ns/repo:v1:\n"
	           "    lookaside: https://tag.example/s\n"
	           "  example.com/ns/repo@" D256 ":\n"
	           "    lookaside: https://digest.example/s\n"
	           "  example.com/ns/repo:\n"
	           "    lookaside: https://repo.example/s\n"
	           "  example.com/ns:\n"
	           "    lookaside: https://ns.example/s\n"
	           "  example.com:\n"
	           "    lookaside: https://host.example/s\n"
	           "  registry.example.com:5000:\n"
	           "    lookaside: https://hostport.example/s\n"
	           "  '*.b.example.com':\n"
	           "    lookaside: https://wild-b.example/s\n"
	           "  \"*.example.com\":\n"
	           "    lookaside: https://wild-example.example/s\n"
	           "  '*.com':\n"
	           "    lookaside: https://wild-com.example/s\n"
	           "default-docker:\n"
	           "  lookaside: file:///var/lib/default\n");
	rd = load_ok(dir);

	r = mkref("example.com", "ns/repo", "v1", NULL);
	expect(rd, &r, "https://tag.example/s", "https://tag.example/s", -1);
	r = mkref("example.com", "ns/repo", NULL, D256);
	expect(rd, &r, "https://digest.example/s", "https://digest.example/s", -1);
	/* Tag and digest: the digest decides, as it decides what is pulled. */
	r = mkref("example.com", "ns/repo", "v1", D256);
	expect(rd, &r, "https://digest.example/s", "https://digest.example/s", -1);
	r = mkref("example.com", "ns/repo", "v2", NULL);
	expect(rd, &r, "https://repo.example/s", "https://repo.example/s", -1);
	r = mkref("example.com", "ns/repo/deeper", "v1", NULL);
	expect(rd, &r, "https://repo.example/s", "https://repo.example/s", -1);
	r = mkref("example.com", "ns/other", "v1", NULL);
	expect(rd, &r, "https://ns.example/s", "https://ns.example/s", -1);
	r = mkref("example.com", "x", "latest", NULL);
	expect(rd, &r, "https://host.example/s", "https://host.example/s", -1);
	/* A prefix that is not a path component boundary does not match. */
	r = mkref("example.com", "nsx/repo", "latest", NULL);
	expect(rd, &r, "https://host.example/s", "https://host.example/s", -1);
	r = mkref("registry.example.com:5000", "a", "latest", NULL);
	expect(rd, &r, "https://hostport.example/s", "https://hostport.example/s", -1);
	/* Wildcards apply to the host without its port. */
	r = mkref("registry.example.com:6000", "a", "latest", NULL);
	expect(rd, &r, "https://wild-example.example/s", "https://wild-example.example/s", -1);
	r = mkref("a.b.example.com", "x", "latest", NULL);
	expect(rd, &r, "https://wild-b.example/s", "https://wild-b.example/s", -1);
	/* *.b.example.com does not cover b.example.com itself. */
	r = mkref("b.example.com", "x", "latest", NULL);
	expect(rd, &r, "https://wild-example.example/s", "https://wild-example.example/s", -1);
	r = mkref("foo.com", "x", "latest", NULL);
	expect(rd, &r, "https://wild-com.example/s", "https://wild-com.example/s", -1);
	r = mkref("docker.io", "library/busybox", "latest", NULL);
	expect(rd, &r, "file:///var/lib/default", "file:///var/lib/default", -1);
	r = mkref("localhost:5000", "x", "latest", NULL);
	expect(rd, &r, "file:///var/lib/default", "file:///var/lib/default", -1);
	sn_registries_d_free(rd);
	remove_file(dir, "scopes.yaml");

	/* Nothing configured. */
	r = mkref("example.com", "x", "latest", NULL);
	expect(NULL, &r, NULL, NULL, -1);
	rd = load_ok(dir);
	expect(rd, &r, NULL, NULL, -1);
	sn_registries_d_free(rd);
}

static void test_not_docker(void **state)
{
	struct sn_lookaside_config c = {NULL, NULL, -1};
	struct sn_err e = {0};
	struct sn_ref r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.transport = SIGNET_TRANSPORT_OCI;
	r.dir = (char *)"/tmp/layout";
	r.string = (char *)"oci:/tmp/layout";
	assert_int_equal(sn_registries_d_resolve(&c, NULL, &r, &e), SIGNET_EINVAL);
	assert_non_null(strstr(e.msg, "oci:/tmp/layout"));
	assert_non_null(strstr(e.msg, "not a docker reference"));
	assert_null(c.lookaside);
}

static void test_per_field_fallthrough(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r;

	write_file(dir, "a.yaml",
	           "docker:\n"
	           "  example.com/ns/repo:\n"
	           "    use-sigstore-attachments: true\n"
	           "  example.com/ns:\n"
	           "    lookaside-staging: file:///stage/ns\n"
	           "  example.com/ns/sub:\n"
	           "    lookaside: https://sub.example/s\n"
	           "  example.com/ns/empty:\n"
	           "    lookaside: \"\"\n"
	           "    lookaside-staging: ~\n"
	           "  example.com/ns/nullscope:\n"
	           "  example.com:\n"
	           "    lookaside: https://host.example/s\n");
	write_file(dir, "b.yaml",
	           "default-docker:\n"
	           "  lookaside: https://default.example/s\n"
	           "  use-sigstore-attachments: false\n");
	rd = load_ok(dir);

	/* Attachments from the repository, the write URL from the
	 * namespace, the read URL from the host. */
	r = mkref("example.com", "ns/repo", "1", NULL);
	expect(rd, &r, "https://host.example/s", "file:///stage/ns", 1);
	/* No staging anywhere above: lookaside is also the write URL;
	 * attachments come from default-docker. */
	r = mkref("example.com", "other", "1", NULL);
	expect(rd, &r, "https://host.example/s", "https://host.example/s", 0);
	/* A scope with only lookaside decides the write URL too (as
	 * containers/image: lookaside-staging and lookaside are tried
	 * together, scope by scope), shadowing the namespace's staging. */
	r = mkref("example.com", "ns/sub", "1", NULL);
	expect(rd, &r, "https://sub.example/s", "https://sub.example/s", 0);
	/* Empty and null values are "not set". */
	r = mkref("example.com", "ns/empty", "1", NULL);
	expect(rd, &r, "https://host.example/s", "file:///stage/ns", 0);
	r = mkref("example.com", "ns/nullscope", "1", NULL);
	expect(rd, &r, "https://host.example/s", "file:///stage/ns", 0);
	r = mkref("other.org", "x", "1", NULL);
	expect(rd, &r, "https://default.example/s", "https://default.example/s", 0);
	sn_registries_d_free(rd);
}

static void test_deprecated_aliases(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r;

	write_file(dir, "old.yaml",
	           "docker:\n"
	           "  old.example:\n"
	           "    sigstore: https://old.example/read\n"
	           "    sigstore-staging: file:///old/write\n"
	           "  onlyold.example:\n"
	           "    sigstore: https://onlyold.example/read\n"
	           "  both.example:\n"
	           "    sigstore: https://both.example/old\n"
	           "    lookaside: https://both.example/new\n"
	           "    sigstore-staging: file:///both/old\n"
	           "    lookaside-staging: file:///both/new\n"
	           "  mixed.example:\n"
	           "    lookaside: https://mixed.example/new\n"
	           "    sigstore-staging: file:///mixed/old\n");
	rd = load_ok(dir);
	r = mkref("old.example", "x", "1", NULL);
	expect(rd, &r, "https://old.example/read", "file:///old/write", -1);
	/* Staging falls back to the (deprecated) read URL. */
	r = mkref("onlyold.example", "x", "1", NULL);
	expect(rd, &r, "https://onlyold.example/read", "https://onlyold.example/read", -1);
	/* The new names win over the old ones in the same scope. */
	r = mkref("both.example", "x", "1", NULL);
	expect(rd, &r, "https://both.example/new", "file:///both/new", -1);
	/* sigstore-staging beats lookaside for writing. */
	r = mkref("mixed.example", "x", "1", NULL);
	expect(rd, &r, "https://mixed.example/new", "file:///mixed/old", -1);
	sn_registries_d_free(rd);
}

static void test_staging_fallback(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r;

	write_file(dir, "s.yaml",
	           "docker:\n"
	           "  read.example:\n"
	           "    lookaside: https://read.example/s\n"
	           "  write.example:\n"
	           "    lookaside: https://write.example/read\n"
	           "    lookaside-staging: file:///write/stage\n"
	           "  writeonly.example:\n"
	           "    lookaside-staging: file:///writeonly\n");
	rd = load_ok(dir);
	r = mkref("read.example", "x", "1", NULL);
	expect(rd, &r, "https://read.example/s", "https://read.example/s", -1);
	r = mkref("write.example", "x", "1", NULL);
	expect(rd, &r, "https://write.example/read", "file:///write/stage", -1);
	r = mkref("writeonly.example", "x", "1", NULL);
	expect(rd, &r, NULL, "file:///writeonly", -1);
	sn_registries_d_free(rd);
}

static void test_use_sigstore_attachments(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r;

	write_file(dir, "att.yaml",
	           "docker:\n"
	           "  t1.example: {use-sigstore-attachments: true}\n"
	           "  t2.example: {use-sigstore-attachments: TRUE}\n"
	           "  t3.example: {use-sigstore-attachments: yes}\n"
	           "  t4.example: {use-sigstore-attachments: \"on\"}\n"
	           "  f1.example: {use-sigstore-attachments: false}\n"
	           "  f2.example: {use-sigstore-attachments: Off}\n"
	           "  n1.example: {use-sigstore-attachments: null}\n"
	           "default-docker:\n"
	           "  use-sigstore-attachments: no\n");
	rd = load_ok(dir);
	r = mkref("t1.example", "x", "1", NULL);
	expect(rd, &r, NULL, NULL, 1);
	r = mkref("t2.example", "x", "1", NULL);
	expect(rd, &r, NULL, NULL, 1);
	r = mkref("t3.example", "x", "1", NULL);
	expect(rd, &r, NULL, NULL, 1);
	r = mkref("t4.example", "x", "1", NULL);
	expect(rd, &r, NULL, NULL, 1);
	r = mkref("f1.example", "x", "1", NULL);
	expect(rd, &r, NULL, NULL, 0);
	r = mkref("f2.example", "x", "1", NULL);
	expect(rd, &r, NULL, NULL, 0);
	/* null is "unset": default-docker's "no" applies. */
	r = mkref("n1.example", "x", "1", NULL);
	expect(rd, &r, NULL, NULL, 0);
	sn_registries_d_free(rd);
	remove_file(dir, "att.yaml");

	/* Quoted "true" is a string, not a bool (as yaml.v3). */
	one_file_fails(
	    dir, "docker:\n  a.example:\n    use-sigstore-attachments: \"true\"\n", SIGNET_EBADINPUT,
	    "docker scope \"a.example\": use-sigstore-attachments must be true or false", "line 3");
	one_file_fails(dir, "default-docker:\n  use-sigstore-attachments: 1\n", SIGNET_EBADINPUT,
	               "default-docker: use-sigstore-attachments must be true or false", NULL);
	one_file_fails(dir, "default-docker:\n  use-sigstore-attachments: [true]\n", SIGNET_EBADINPUT,
	               "use-sigstore-attachments must be true or false", NULL);
}

/* ---- merging -------------------------------------------------------- */

static void test_duplicate_scope_across_files(void **state)
{
	const char *dir = *state;

	write_file(dir, "a.yaml", "docker:\n  example.com/ns:\n    lookaside: https://a.example/s\n");
	write_file(dir, "b.yaml",
	           "docker:\n  other.example:\n  example.com/ns:\n    lookaside: https://b.example/s\n");
	load_fails(dir, SIGNET_EBADINPUT, "docker scope \"example.com/ns\" defined both in", "/a.yaml and ",
	           "/b.yaml");
	/* A null-valued scope still counts as defined. */
	write_file(dir, "b.yaml", "docker:\n  example.com/ns: ~\n");
	load_fails(dir, SIGNET_EBADINPUT, "docker scope \"example.com/ns\" defined both in", "/a.yaml and ",
	           "/b.yaml");
	/* Different scopes merge. */
	write_file(dir, "b.yaml", "docker:\n  example.com/other:\n    lookaside: https://b.example/s\n");
	sn_registries_d_free(load_ok(dir));
}

static void test_two_default_docker(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r = mkref("example.com", "x", "1", NULL);

	write_file(dir, "10-first.yaml", "default-docker:\n  lookaside: https://first.example/s\n");
	write_file(dir, "20-second.yaml", "default-docker:\n  lookaside: https://second.example/s\n");
	load_fails(dir, SIGNET_EBADINPUT, "\"default-docker\" defined both in", "/10-first.yaml and ",
	           "/20-second.yaml");
	/* An empty mapping defines it too. */
	write_file(dir, "20-second.yaml", "default-docker: {}\n");
	load_fails(dir, SIGNET_EBADINPUT, "\"default-docker\" defined both in", "/10-first.yaml",
	           "/20-second.yaml");
	/* A null one does not (a nil pointer in containers/image). */
	write_file(dir, "20-second.yaml", "default-docker:\ndocker:\n");
	rd = load_ok(dir);
	expect(rd, &r, "https://first.example/s", "https://first.example/s", -1);
	sn_registries_d_free(rd);
}

/* ---- strict parsing ------------------------------------------------- */

static void test_unknown_keys_ignored(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r = mkref("example.com", "x", "1", NULL);

	/* containers/image decodes with yaml.Unmarshal (not KnownFields):
	 * unknown keys are ignored, whatever their value. */
	write_file(dir, "u.yaml",
	           "future-section: {a: [1, 2, {b: c}]}\n"
	           "docker:\n"
	           "  example.com:\n"
	           "    lookaside: https://host.example/s\n"
	           "    lookasid: https://typo.example/s\n"
	           "    use-cosign-attachments: true\n"
	           "default-docker:\n"
	           "  whatever: 12\n");
	rd = load_ok(dir);
	expect(rd, &r, "https://host.example/s", "https://host.example/s", -1);
	sn_registries_d_free(rd);
	remove_file(dir, "u.yaml");
	/* ... but what they hold is still checked as YAML. */
	one_file_fails(dir, "future:\n  a: 1\n  a: 2\n", SIGNET_EBADINPUT, "line 3: duplicate key \"a\"",
	               "first at line 2");
}

static void test_duplicate_yaml_keys(void **state)
{
	const char *dir = *state;

	one_file_fails(dir,
	               "docker:\n"
	               "  example.com:\n"
	               "    lookaside: https://one.example/s\n"
	               "    lookaside: https://two.example/s\n",
	               SIGNET_EBADINPUT, "line 4: duplicate key \"lookaside\"", "first at line 3");
	one_file_fails(dir,
	               "docker:\n"
	               "  example.com: {}\n"
	               "  'example.com': {}\n",
	               SIGNET_EBADINPUT, "line 3: duplicate key \"example.com\"", "first at line 2");
	one_file_fails(dir,
	               "docker: {}\n"
	               "default-docker: {}\n"
	               "docker: {}\n",
	               SIGNET_EBADINPUT, "duplicate key \"docker\"", "first at line 1");
	one_file_fails(dir, "default-docker: {}\ndefault-docker: {}\n", SIGNET_EBADINPUT,
	               "duplicate key \"default-docker\"", NULL);
}

static void test_alias_refused(void **state)
{
	const char *dir = *state;

	one_file_fails(dir,
	               "default-docker: &d\n"
	               "  lookaside: https://d.example/s\n"
	               "docker:\n"
	               "  example.com: *d\n",
	               SIGNET_EBADINPUT, "line 4: YAML aliases (*d) are not allowed", NULL);
	/* Billion laughs: refused at the first alias, nothing expanded. */
	one_file_fails(dir,
	               "a: &a [x, x, x, x, x, x, x, x, x]\n"
	               "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	               "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
	               SIGNET_EBADINPUT, "line 2: YAML aliases (*a) are not allowed", NULL);
	one_file_fails(dir, "docker:\n  <<: {example.com: {}}\n", SIGNET_EBADINPUT,
	               "line 2: YAML merge keys (<<) are not supported", NULL);
	one_file_fails(dir, "default-docker:\n  lookaside: !!str https://x.example/s\n", SIGNET_EBADINPUT,
	               "line 2: explicit YAML tags", NULL);
}

static void test_shapes(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;

	one_file_fails(dir, "- docker\n", SIGNET_EBADINPUT, "line 1: the top level must be a mapping", NULL);
	one_file_fails(dir, "docker: [example.com]\n", SIGNET_EBADINPUT, "\"docker\" must be a mapping",
	               NULL);
	one_file_fails(dir, "docker:\n  example.com: https://x.example/s\n", SIGNET_EBADINPUT,
	               "line 2: docker scope \"example.com\" must be a mapping", NULL);
	one_file_fails(dir, "default-docker: [a]\n", SIGNET_EBADINPUT, "default-docker must be a mapping",
	               NULL);
	one_file_fails(dir, "docker:\n  example.com:\n    lookaside: {a: b}\n", SIGNET_EBADINPUT,
	               "line 3: docker scope \"example.com\": lookaside must be a string", NULL);
	one_file_fails(dir, "docker:\n  [a, b]: {}\n", SIGNET_EBADINPUT,
	               "line 2: a mapping key must be a scalar", NULL);
	one_file_fails(dir, "default-docker: {}\n---\ndocker: {}\n", SIGNET_EBADINPUT,
	               "line 2: more than one YAML document", NULL);
	one_file_fails(dir, "docker:\n  example.com:\n   lookaside: x\n  bad\n", SIGNET_EBADINPUT,
	               "invalid YAML: could not find expected ':'",
	               "while scanning a simple key at line 4 column 3");
	one_file_fails(dir, "default-docker:\n  lookaside: \"https://x.example/\\0\"\n", SIGNET_EBADINPUT,
	               "lookaside contains a NUL byte", NULL);

	/* Empty, comment-only and null documents are fine. */
	write_file(dir, "empty.yaml", "");
	write_file(dir, "comment.yaml", "# nothing here\n");
	write_file(dir, "null.yaml", "---\n~\n...\n");
	rd = load_ok(dir);
	sn_registries_d_free(rd);
}

static void test_depth_limit(void **state)
{
	const char *dir = *state;
	char doc[512];
	size_t n = 0;

	/* The root mapping is level 1; 63 nested sequences under a key
	 * reach the limit of 64, one more crosses it. */
	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "deep: ");
	for (int i = 0; i < SIGNET_MAX_YAML_DEPTH - 1; i++)
		doc[n++] = '[';
	for (int i = 0; i < SIGNET_MAX_YAML_DEPTH - 1; i++)
		doc[n++] = ']';
	doc[n++] = '\n';
	doc[n] = '\0';
	write_file(dir, "deep.yaml", doc);
	sn_registries_d_free(load_ok(dir));
	remove_file(dir, "deep.yaml");

	n = 0;
	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "deep: ");
	for (int i = 0; i < SIGNET_MAX_YAML_DEPTH; i++)
		doc[n++] = '[';
	for (int i = 0; i < SIGNET_MAX_YAML_DEPTH; i++)
		doc[n++] = ']';
	doc[n++] = '\n';
	doc[n] = '\0';
	one_file_fails(dir, doc, SIGNET_ELIMIT, "line 1: YAML nesting deeper than the limit of 64", NULL);
}

static void test_non_yaml_ignored(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd;
	struct sn_ref r = mkref("example.com", "x", "1", NULL);
	char path[4096];

	write_file(dir, "real.yaml", "docker:\n  example.com:\n    lookaside: https://real.example/s\n");
	write_file(dir, "other.yml", "not: [valid");
	write_file(dir, "other.json", "{");
	write_file(dir, "real.yaml.bak", "docker:\n  example.com: {}\n");
	write_file(dir, "README", "*alias");
	snprintf(path, sizeof(path), "%s/subdir.yaml", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/dangling.yaml", dir);
	assert_int_equal(symlink("/nonexistent/signet-regd.yaml", path), 0);
	rd = load_ok(dir);
	expect(rd, &r, "https://real.example/s", "https://real.example/s", -1);
	sn_registries_d_free(rd);
}

static void test_bad_url(void **state)
{
	const char *dir = *state;
	static const struct {
		const char *url;
		const char *why;
	} bad[] = {
	    {"ftp://sigs.example/s", "not an absolute http://, https:// or file:// URL"},
	    {"/var/lib/sigs", "not an absolute"},
	    {"sigs.example/s", "not an absolute"},
	    {"file://host/var/lib/sigs", "must have an empty host"},
	    {"file://", "needs a path"},
	    {"https:///path", "no host"},
	    {"'https://sigs.example/a b'", "space or a control character"},
	    {"https://sigs.example/s?x=1", "query or fragment"},
	    {"https://sigs.example/s#frag", "query or fragment"},
	    {"https://sigs.example/%zz", "invalid percent-escape"},
	};
	char doc[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc), "docker:\n  example.com:\n    lookaside-staging: %s\n",
		         bad[i].url);
		one_file_fails(dir, doc, SIGNET_EBADINPUT, "docker scope \"example.com\": lookaside-staging",
		               bad[i].why);
	}
	one_file_fails(dir, "default-docker:\n  sigstore: ftp://x\n", SIGNET_EBADINPUT,
	               "line 2: default-docker: sigstore \"ftp://x\"", "not an absolute");

	/* Schemes are case-insensitive; percent-escapes are kept. */
	write_file(dir, "ok.yaml",
	           "docker:\n"
	           "  example.com:\n"
	           "    lookaside: HTTPS://user@sigs.example:8443/a%20b\n"
	           "    lookaside-staging: file:///\n");
	sn_registries_d_free(load_ok(dir));
}

static void test_oversized_file(void **state)
{
	const char *dir = *state;
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)SIGNET_MAX_POLICY_FILE_SIZE + 1), 0);
	close(fd);
	load_fails(dir, SIGNET_ELIMIT, "/big.yaml", "larger than the limit of 16777216 bytes", NULL);

	/* Exactly at the limit: read and parsed (one long comment). */
	{
		size_t len = SIGNET_MAX_POLICY_FILE_SIZE;
		char *doc = malloc(len + 1);

		assert_non_null(doc);
		memset(doc, 'x', len);
		doc[0] = '#';
		doc[len - 1] = '\n';
		doc[len] = '\0';
		write_file(dir, "big.yaml", doc);
		free(doc);
	}
	sn_registries_d_free(load_ok(dir));
}

static void test_missing_dir(void **state)
{
	const char *dir = *state;
	struct sn_registries_d *rd = NULL;
	struct sn_err e = {0};
	char path[4096];

	snprintf(path, sizeof(path), "%s/nonexistent", dir);
	assert_int_equal(sn_registries_d_load(&rd, path, &e), SIGNET_ENOTFOUND);
	assert_null(rd);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "does not exist"));

	write_file(dir, "plain.yaml", "");
	snprintf(path, sizeof(path), "%s/plain.yaml", dir);
	assert_int_equal(sn_registries_d_load(&rd, path, &e), SIGNET_EIO);
	assert_null(rd);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "Not a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_scope_kinds, setup_dir, teardown_dir),
	    cmocka_unit_test(test_not_docker),
	    cmocka_unit_test_setup_teardown(test_per_field_fallthrough, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_deprecated_aliases, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_staging_fallback, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_use_sigstore_attachments, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_duplicate_scope_across_files, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_two_default_docker, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_unknown_keys_ignored, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_duplicate_yaml_keys, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_alias_refused, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_shapes, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_depth_limit, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_non_yaml_ignored, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_bad_url, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_oversized_file, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_missing_dir, setup_dir, teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
