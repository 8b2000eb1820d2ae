/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_workload.c: finding images in workloads and splicing
 * replacements (verify/workload.c), and the gate around it with the
 * verification step replaced (sn_gate_run in verify/gate.c): no registry.
 * Archives are made with the tar, gzip and base64 commands, and hostile
 * ones with a small tar writer here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "verify/workload.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define D1    "sha256:" HEX64
#define DIDX                                                                                                 \
	"sha256:"                                                                                            \
	"1111111111111111111111111111111111111111111111111111111111111111"
#define DINST                                                                                                \
	"sha256:"                                                                                            \
	"2222222222222222222222222222222222222222222222222222222222222222"

static char tmp[64];

/* ---- helpers -------------------------------------------------------- */

SN_PRINTF(1, 2) static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(rc > 0 && (size_t)rc < sizeof(cmd));
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static const char *tpath(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	(void)snprintf(p[k], sizeof(p[k]), "%s/%s", tmp, name);
	return p[k];
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path, size_t *len)
{
	struct sn_buf b;
	struct sn_err e = {0};

	if (sn_file_read(&b, path, 64u << 20, "test file", 0, &e) != 0)
		fail_msg("reading %s: %s", path, e.msg);
	if (len != NULL)
		*len = b.len;
	return (char *)sn_buf_steal(&b, NULL);
}

static struct sn_workload *parse_ok(const char *text)
{
	struct sn_workload *w = NULL;
	struct sn_err e = {0};

	if (sn_workload_parse(&w, text, strlen(text), "w.yaml", &e) != 0)
		fail_msg("parse: %s", e.msg);
	return w;
}

/* The workload is refused with code, and the message holds each needle. */
static void parse_fail(const char *text, int code, const char *needle, const char *needle2)
{
	struct sn_workload *w = NULL;
	struct sn_err e = {0};
	int rc = sn_workload_parse(&w, text, strlen(text), "w.yaml", &e);

	if (rc != code)
		fail_msg("expected %d, got %d (%s) for:\n%s", code, rc, e.msg, text);
	assert_null(w);
	if (strstr(e.msg, "w.yaml") == NULL || strstr(e.msg, needle) == NULL ||
	    (needle2 != NULL && strstr(e.msg, needle2) == NULL))
		fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", e.msg, needle,
		         needle2 != NULL ? needle2 : "");
}

static void expect_site(const struct sn_workload *w, size_t i, const char *where, const char *image)
{
	const struct sn_image_site *s = sn_workload_site(w, i);

	assert_non_null(s);
	assert_string_equal(s->where, where);
	assert_string_equal(s->image, image);
}

/* Replaces every image with image + "@" D1 (images with a digest kept). */
static void pin_all(struct sn_workload *w)
{
	for (size_t i = 0; i < sn_workload_count(w); i++) {
		const struct sn_image_site *s = sn_workload_site(w, i);
		char r[512];

		if (strchr(s->image, '@') != NULL)
			(void)snprintf(r, sizeof(r), "%s", s->image);
		else
			(void)snprintf(r, sizeof(r), "%s@%s", s->image, D1);
		assert_int_equal(sn_workload_replace(w, i, r, NULL), 0);
	}
}

static char *render(const struct sn_workload *w, size_t *len)
{
	struct sn_buf b;
	struct sn_err e = {0};

	if (sn_workload_render(&b, w, &e) != 0)
		fail_msg("render: %s", e.msg);
	if (len != NULL)
		*len = b.len;
	return (char *)sn_buf_steal(&b, NULL);
}

static void expect_render(const struct sn_workload *w, const char *expected)
{
	size_t len;
	char *got = render(w, &len);

	if (len != strlen(expected) || memcmp(got, expected, len) != 0)
		fail_msg("rendered:\n%s\nexpected:\n%s", got, expected);
	free(got);
}

/* s with every "\n" made "\r\n" (caller frees). */
static char *crlf(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;

	assert_non_null(out);
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			*o++ = '\r';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static char *concat(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);

	assert_non_null(s);
	memcpy(s, a, strlen(a));
	memcpy(s + strlen(a), b, strlen(b) + 1);
	return s;
}

/* ---- compose ---------------------------------------------------------- */

static const char compose_text[] = "# signet gate fixture: busybox:1.36 in a comment stays as it is\n"
                                   "version: \"3.8\"\n"
                                   "services:\n"
                                   "   web:   # the front end\n"
                                   "        image: \"busybox:1.36\"     # pinned by the gate\n"
                                   "        ports: [\"80:80\"]\n"
                                   "   db:\n"
                                   "     image:    'r.example/app'\n"
                                   "     environment:\n"
                                   "       - IMAGE=busybox:1.36\n"
                                   "   cache: {image: redis, command: \"redis-server\"}\n"
                                   "   worker:\n"
                                   "     image: busybox:1.36\n"
                                   "   pinned:\n"
                                   "     image: r.example/base@" D1 "\n"
                                   "x-note: &note\n"
                                   "  text: kept\n";

static const char compose_pinned[] = "# signet gate fixture: busybox:1.36 in a comment stays as it is\n"
                                     "version: \"3.8\"\n"
                                     "services:\n"
                                     "   web:   # the front end\n"
                                     "        image: \"busybox:1.36@" D1 "\"     # pinned by the gate\n"
                                     "        ports: [\"80:80\"]\n"
                                     "   db:\n"
                                     "     image:    'r.example/app@" D1 "'\n"
                                     "     environment:\n"
                                     "       - IMAGE=busybox:1.36\n"
                                     "   cache: {image: redis@" D1 ", command: \"redis-server\"}\n"
                                     "   worker:\n"
                                     "     image: busybox:1.36@" D1 "\n"
                                     "   pinned:\n"
                                     "     image: r.example/base@" D1 "\n"
                                     "x-note: &note\n"
                                     "  text: kept\n";

static void check_compose(const char *text, const char *expected)
{
	struct sn_workload *w = parse_ok(text);

	assert_int_equal(sn_workload_kind(w), SN_WORKLOAD_COMPOSE);
	assert_int_equal(sn_workload_count(w), 5);
	expect_site(w, 1, "services.db.image", "r.example/app");
	expect_site(w, 2, "services.cache.image", "redis");
	expect_site(w, 3, "services.worker.image", "busybox:1.36");
	expect_site(w, 4, "services.pinned.image", "r.example/base@" D1);
	/* Nothing replaced: the same bytes. */
	expect_render(w, text);
	pin_all(w);
	expect_render(w, expected);
	sn_workload_free(w);
}

static void test_compose_splice(void **state)
{
	struct sn_workload *w;
	char *a, *b;

	(void)state;
	w = parse_ok(compose_text);
	expect_site(w, 0, "services.web.image", "busybox:1.36");
	assert_int_equal(sn_workload_site(w, 0)->line, 5);
	assert_int_equal(sn_workload_site(w, 2)->line, 11);
	sn_workload_free(w);
	check_compose(compose_text, compose_pinned);

	/* CRLF line ends, a UTF-8 byte order mark, and multi-byte characters
	 * before the images (libyaml counts characters, not bytes). */
	a = crlf(compose_text);
	b = crlf(compose_pinned);
	check_compose(a, b);
	free(a);
	free(b);
	a = concat("\xef\xbb\xbf# caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x90\xb3 \xc3\xbc\n", compose_text);
	b = concat("\xef\xbb\xbf# caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x90\xb3 \xc3\xbc\n", compose_pinned);
	check_compose(a, b);
	free(a);
	free(b);

	/* A service name in UTF-8 and an image after it on the same line. */
	w = parse_ok("services:\n  \"w\xc3\xa9\xc3\xa9"
	             "b\": {environment: [\"\xe2\x98\x95\"], image: a/b:1}\n");
	expect_site(w, 0,
	            "services.w\xc3\xa9\xc3\xa9"
	            "b.image",
	            "a/b:1");
	pin_all(w);
	expect_render(w, "services:\n  \"w\xc3\xa9\xc3\xa9"
	                 "b\": {environment: [\"\xe2\x98\x95\"], image: a/b:1@" D1 "}\n");
	sn_workload_free(w);
}

static void test_compose_refused(void **state)
{
	(void)state;
	/* Aliases and merge keys (anchors used) are refused by the strict reader. */
	parse_fail("x-base: &base\n  image: busybox\nservices:\n  web: *base\n", SIGNET_EBADINPUT, "aliases",
	           NULL);
	parse_fail("x-base: &base\n  image: busybox\nservices:\n  web:\n    <<: *base\n", SIGNET_EBADINPUT,
	           "line 5", NULL);
	parse_fail("services:\n  web:\n    image: !!str busybox\n", SIGNET_EBADINPUT, "tags", NULL);
	parse_fail("services:\n  web:\n    image: a\n    image: b\n", SIGNET_EBADINPUT, "duplicate key",
	           NULL);
	/* The gate cannot verify what is not pulled. */
	parse_fail("services:\n  web:\n    build: .\n", SIGNET_EBADINPUT, "services.web", "build");
	parse_fail("services:\n  web:\n    build: .\n    image: r.example/web:1\n", SIGNET_EBADINPUT,
	           "services.web", "build");
	parse_fail("services:\n  web:\n    command: sh\n", SIGNET_EBADINPUT, "services.web: has no image",
	           NULL);
	parse_fail("services:\n  web:\n", SIGNET_EBADINPUT, "services.web: has no image", NULL);
	parse_fail("include:\n  - other.yml\nservices:\n  web:\n    image: a\n", SIGNET_EBADINPUT, "include",
	           NULL);
	parse_fail("services: [a, b]\n", SIGNET_EBADINPUT, "services: is not a mapping", NULL);
	parse_fail("services: {}\n", SIGNET_EBADINPUT, "names no image", NULL);
	/* Images the gate cannot rewrite in place. */
	parse_fail("services:\n  web:\n    image: |\n      busybox\n", SIGNET_EBADINPUT, "services.web.image",
	           "block scalar");
	parse_fail("services:\n  web:\n    image: >-\n      busybox\n", SIGNET_EBADINPUT, "block scalar",
	           NULL);
	parse_fail("services:\n  web:\n    image: r.example/\n      app\n", SIGNET_EBADINPUT, "line 3",
	           "several lines or with escape sequences");
	parse_fail("services:\n  web:\n    image: \"busybox\\x3a1\"\n", SIGNET_EBADINPUT, "escape sequences",
	           NULL);
	parse_fail("services:\n  web:\n    image: 'it''s'\n", SIGNET_EBADINPUT, "escape sequences", NULL);
	parse_fail("services:\n  web:\n    image:\n", SIGNET_EBADINPUT, "services.web.image: is empty", NULL);
	parse_fail("services:\n  web:\n    image: ~\n", SIGNET_EBADINPUT, "is empty", NULL);
	parse_fail("services:\n  web:\n    image: [a]\n", SIGNET_EBADINPUT, "is not a string", NULL);
	/* A second document in a compose file. */
	parse_fail("services:\n  web:\n    image: a\n---\nservices: {}\n", SIGNET_EBADINPUT, "more than one",
	           NULL);
}

static void test_compose_limits(void **state)
{
	struct sn_buf b;
	struct sn_workload *w = NULL;
	struct sn_err e = {0};
	char line[64];

	(void)state;
	/* One image more than SIGNET_MAX_WORKLOAD_IMAGES. */
	sn_buf_init(&b, 1u << 20, "test");
	assert_int_equal(sn_buf_append_str(&b, "services:\n", NULL), 0);
	for (int i = 0; i <= SIGNET_MAX_WORKLOAD_IMAGES; i++) {
		(void)snprintf(line, sizeof(line), "  s%d: {image: a}\n", i);
		assert_int_equal(sn_buf_append_str(&b, line, NULL), 0);
	}
	assert_int_equal(sn_workload_parse(&w, b.data, b.len, "w.yaml", &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "SIGNET_MAX_WORKLOAD_IMAGES"));
	assert_null(w);
	sn_buf_free(&b);
	/* A file over SIGNET_MAX_POLICY_FILE_SIZE. */
	assert_int_equal(sn_workload_parse(&w, "services:", SIGNET_MAX_POLICY_FILE_SIZE + 1u, "w.yaml", &e),
	                 SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "SIGNET_MAX_POLICY_FILE_SIZE"));
	/* Nesting deeper than SIGNET_MAX_YAML_DEPTH. */
	sn_buf_init(&b, 1u << 20, "test");
	assert_int_equal(sn_buf_append_str(&b, "services: {web: {image: a}}\nx: ", NULL), 0);
	for (int i = 0; i < SIGNET_MAX_YAML_DEPTH + 2; i++)
		assert_int_equal(sn_buf_append_str(&b, "[", NULL), 0);
	assert_int_equal(sn_workload_parse(&w, b.data, b.len, "w.yaml", &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "SIGNET_MAX_YAML_DEPTH"));
	sn_buf_free(&b);
}

static void test_replace_checked(void **state)
{
	struct sn_workload *w = parse_ok("services:\n  a: {image: x}\n  b: {image: 'y'}\n");
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(sn_workload_replace(w, 0, "x y", &e), SIGNET_EINVAL);
	assert_non_null(strstr(e.msg, "services.a.image"));
	assert_int_equal(sn_workload_replace(w, 0, "x#y", NULL), SIGNET_EINVAL);
	assert_int_equal(sn_workload_replace(w, 0, "", NULL), SIGNET_EINVAL);
	assert_int_equal(sn_workload_replace(w, 1, "y'", NULL), SIGNET_EINVAL);
	/* [ is allowed inside quotes only (an IPv6 host), never to start a plain scalar. */
	assert_int_equal(sn_workload_replace(w, 0, "[::1]:5000/x", NULL), SIGNET_EINVAL);
	assert_int_equal(sn_workload_replace(w, 1, "[::1]:5000/y", NULL), 0);
	assert_int_equal(sn_workload_replace(w, 2, "z", NULL), SIGNET_EINVAL);
	expect_render(w, "services:\n  a: {image: x}\n  b: {image: '[::1]:5000/y'}\n");
	sn_workload_free(w);
}

/* ---- Kubernetes ------------------------------------------------------- */

static const char pods_text[] = "apiVersion: v1\n"
                                "kind: Pod\n"
                                "metadata: {name: a}\n"
                                "spec:\n"
                                "  initContainers:\n"
                                "  - name: init   # runs first\n"
                                "    image: busybox:1.36\n"
                                "  containers:\n"
                                "  - name: main\n"
                                "    image: \"r.example/app:1\"\n"
                                "---\n"
                                "# a ConfigMap: no image, whatever its data says\n"
                                "kind: ConfigMap\n"
                                "data:\n"
                                "  x: \"image: not-an-image\"\n"
                                "---\n"
                                "kind: Pod\n"
                                "spec:\n"
                                "  volumes:\n"
                                "    - name: v\n"
                                "      image:\n"
                                "        reference: r.example/data:2\n"
                                "  containers:\n"
                                "    - image: r.example/other@" D1 "\n"
                                "      name: other\n"
                                "  ephemeralContainers:\n"
                                "    - {name: dbg, image: debug}\n"
                                "...\n";

static void test_pods(void **state)
{
	struct sn_workload *w = parse_ok(pods_text);

	(void)state;
	assert_int_equal(sn_workload_kind(w), SN_WORKLOAD_KUBERNETES);
	assert_int_equal(sn_workload_count(w), 5);
	expect_site(w, 0, "documents[0].spec.initContainers[0].image", "busybox:1.36");
	expect_site(w, 1, "documents[0].spec.containers[0].image", "r.example/app:1");
	expect_site(w, 2, "documents[2].spec.volumes[0].image.reference", "r.example/data:2");
	expect_site(w, 3, "documents[2].spec.containers[0].image", "r.example/other@" D1);
	expect_site(w, 4, "documents[2].spec.ephemeralContainers[0].image", "debug");
	pin_all(w);
	expect_render(w, "apiVersion: v1\n"
	                 "kind: Pod\n"
	                 "metadata: {name: a}\n"
	                 "spec:\n"
	                 "  initContainers:\n"
	                 "  - name: init   # runs first\n"
	                 "    image: busybox:1.36@" D1 "\n"
	                 "  containers:\n"
	                 "  - name: main\n"
	                 "    image: \"r.example/app:1@" D1 "\"\n"
	                 "---\n"
	                 "# a ConfigMap: no image, whatever its data says\n"
	                 "kind: ConfigMap\n"
	                 "data:\n"
	                 "  x: \"image: not-an-image\"\n"
	                 "---\n"
	                 "kind: Pod\n"
	                 "spec:\n"
	                 "  volumes:\n"
	                 "    - name: v\n"
	                 "      image:\n"
	                 "        reference: r.example/data:2@" D1 "\n"
	                 "  containers:\n"
	                 "    - image: r.example/other@" D1 "\n"
	                 "      name: other\n"
	                 "  ephemeralContainers:\n"
	                 "    - {name: dbg, image: debug@" D1 "}\n"
	                 "...\n");
	sn_workload_free(w);
}

static void test_workload_kinds(void **state)
{
	struct sn_workload *w;

	(void)state;
	w = parse_ok(
	    "---\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  template:\n"
	    "    metadata: {labels: {app: x}}\n    spec:\n      containers:\n      - name: x\n"
	    "        image: r.example/x:1\n---\nkind: CronJob\nspec:\n  schedule: \"* * * * *\"\n"
	    "  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: []\n"
	    "          containers: [{name: c, image: r.example/cron:2}]\n---\nkind: PodTemplate\n"
	    "template:\n  spec:\n    containers: [{image: t}]\n---\nkind: List\nitems:\n- kind: Job\n"
	    "  spec: {template: {spec: {containers: [{image: j}]}}}\n");
	assert_int_equal(sn_workload_count(w), 4);
	expect_site(w, 0, "documents[1].spec.template.spec.containers[0].image", "r.example/x:1");
	expect_site(w, 1, "documents[2].spec.jobTemplate.spec.template.spec.containers[0].image",
	            "r.example/cron:2");
	expect_site(w, 2, "documents[3].template.spec.containers[0].image", "t");
	expect_site(w, 3, "documents[4].items[0].spec.template.spec.containers[0].image", "j");
	sn_workload_free(w);

	parse_fail("kind: Pod\nspec: {containers: [{image: a}]}\n---\napiVersion: "
	           "argoproj.io/v1alpha1\nkind: Rollout\n"
	           "spec: {template: {spec: {containers: [{image: b}]}}}\n",
	           SIGNET_EBADINPUT, "documents[1]", "kind \"Rollout\" is not one the gate knows");
	parse_fail("kind: Pod\nspec: {containers: [{image: a}]}\n---\nspec: {}\n", SIGNET_EBADINPUT,
	           "documents[1]: has no kind", NULL);
	parse_fail("kind: Pod\nspec:\n  containers:\n  - name: a\n", SIGNET_EBADINPUT,
	           "documents[0].spec.containers[0]: a container without an image", NULL);
	parse_fail("kind: Pod\nspec:\n  containers: {a: b}\n", SIGNET_EBADINPUT, "is not a list", NULL);
	parse_fail("kind: Pod\nspec: {containers: [{image: a}]}\n---\n- a\n", SIGNET_EBADINPUT,
	           "documents[1]", "not a mapping");
	parse_fail("kind: ConfigMap\ndata: {a: b}\n", SIGNET_EBADINPUT, "names no image", NULL);

	/* Not a workload at all. */
	parse_fail("a: 1\n", SIGNET_EBADINPUT, "not a workload signet knows", NULL);
	parse_fail("- a\n", SIGNET_EBADINPUT, "top level is not a mapping", NULL);
	parse_fail("", SIGNET_EBADINPUT, "empty", NULL);
	parse_fail("a: [\n", SIGNET_EBADINPUT, "invalid YAML", NULL);
	parse_fail("\xff\xfe"
	           "a\0:\0",
	           SIGNET_EBADINPUT, "UTF-16", NULL);
}

/* ---- HPCR workload sections ------------------------------------------ */

static const char archived_compose[] = "# inside the archive\n"
                                       "services:\n"
                                       "  web:\n"
                                       "    image: r.example/web:1   # the app\n"
                                       "  db:\n"
                                       "    image: \"r.example/db\"\n";

static const char archived_compose_pinned[] = "# inside the archive\n"
                                              "services:\n"
                                              "  web:\n"
                                              "    image: r.example/web:1@" D1 "   # the app\n"
                                              "  db:\n"
                                              "    image: \"r.example/db@" D1 "\"\n";

/* Makes tmp/arch/ with docker-compose.yml and a config file, and its
 * tar.gz in base64 (wrapped at width, 0: one line) in tmp/arch.b64. */
static char *make_archive(int width)
{
	char *b64;
	size_t n;

	assert_int_equal(sh("rm -rf '%s/arch' && mkdir -p '%s/arch/config'", tmp, tmp), 0);
	write_file(tpath("arch/docker-compose.yml"), archived_compose, strlen(archived_compose));
	write_file(tpath("arch/config/app.conf"), "kept\n", 5);
	assert_int_equal(
	    sh("cd '%s/arch' && touch -d 2020-01-02T03:04:05Z docker-compose.yml config/app.conf && "
	       "tar czf '%s/arch.tgz' . && base64 -w%d '%s/arch.tgz' > '%s/arch.b64'",
	       tmp, tmp, width, tmp, tmp),
	    0);
	b64 = read_file(tpath("arch.b64"), &n);
	while (n > 0 && b64[n - 1] == '\n')
		b64[--n] = '\0';
	return b64;
}

/* The base64 value between marker and end (a line, or the indented block
 * after it), white space removed, decoded and unpacked into tmp/dir. */
static void unpack_value(const char *text, const char *marker, int block, const char *dir)
{
	const char *p = strstr(text, marker);
	char *b64 = malloc(strlen(text) + 1);
	size_t n = 0;

	assert_non_null(p);
	assert_non_null(b64);
	p += strlen(marker);
	if (block) {
		p = strchr(p, '\n') + 1;
		while (*p == ' ') {
			while (*p == ' ')
				p++;
			while (*p != '\n')
				b64[n++] = *p++;
			p++;
		}
	} else {
		while (*p != '\n' && *p != '"' && *p != '\'')
			b64[n++] = *p++;
	}
	write_file(tpath("value.b64"), b64, n);
	free(b64);
	assert_int_equal(
	    sh("rm -rf '%s/%s' && mkdir '%s/%s' && base64 -d '%s/value.b64' | tar xzf - -C '%s/%s'", tmp, dir,
	       tmp, dir, tmp, tmp, dir),
	    0);
}

static void test_hpcr_compose_archive(void **state)
{
	struct sn_workload *w;
	char *b64 = make_archive(0), *text, *out, *got, *expected;
	size_t len;

	(void)state;
	assert_true(asprintf(&text,
	                     "# the workload section\ntype: workload\nauths: {}\ncompose:\n  archive: %s\n"
	                     "images:\n  rhs: {}\n",
	                     b64) > 0);
	w = parse_ok(text);
	assert_int_equal(sn_workload_kind(w), SN_WORKLOAD_HPCR);
	assert_int_equal(sn_workload_count(w), 2);
	expect_site(w, 0, "compose.archive[docker-compose.yml].services.web.image", "r.example/web:1");
	expect_site(w, 1, "compose.archive[docker-compose.yml].services.db.image", "r.example/db");
	assert_int_equal(sn_workload_site(w, 1)->line, 6); /* the member's own line */
	/* Nothing replaced: byte for byte the same, archive included. */
	out = render(w, &len);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(out, text, len);
	free(out);

	pin_all(w);
	out = render(w, &len);
	assert_int_equal(strlen(out), len);
	/* Outside the archive's value, nothing moved. */
	assert_memory_equal(out, text, strstr(text, "archive: ") - text + 9);
	assert_string_equal(strstr(out, "\nimages:"), strstr(text, "\nimages:"));
	assert_null(memchr(strstr(out, "archive: ") + 9, ' ',
	                   strchr(strstr(out, "archive: ") + 9, '\n') - strstr(out, "archive: ") - 9));
	/* The new archive unpacks to the rewritten compose file, the rest as it was. */
	unpack_value(out, "archive: ", 0, "new");
	got = read_file(tpath("new/docker-compose.yml"), NULL);
	assert_string_equal(got, archived_compose_pinned);
	free(got);
	assert_int_equal(sh("cmp -s '%s/arch/config/app.conf' '%s/new/config/app.conf'", tmp, tmp), 0);
	/* Same members in the same order, with the same metadata (the
	 * compose file's size aside). */
	assert_int_equal(
	    sh("tar tzvf '%s/arch.tgz' --full-time | sed 's/  */ /g' | grep -v docker-compose > '%s/old.lst' "
	       "&& "
	       "base64 -d '%s/value.b64' | tar tzvf - --full-time | sed 's/  */ /g' | grep -v docker-compose "
	       "> '%s/new.lst' && cmp -s '%s/old.lst' '%s/new.lst'",
	       tmp, tmp, tmp, tmp, tmp, tmp),
	    0);
	assert_int_equal(sh("tar tzf '%s/arch.tgz' > '%s/old.names' && base64 -d '%s/value.b64' | tar tzf - "
	                    "> '%s/new.names' "
	                    "&& cmp -s '%s/old.names' '%s/new.names'",
	                    tmp, tmp, tmp, tmp, tmp, tmp),
	                 0);
	assert_int_equal(sh("base64 -d '%s/value.b64' | TZ=UTC tar tzvf - --full-time ./docker-compose.yml | "
	                    "grep -q '2020-01-02 03:04:05'",
	                    tmp),
	                 0);
	/* Re-read: the rewritten workload holds the pinned images. */
	sn_workload_free(w);
	w = parse_ok(out);
	expect_site(w, 0, "compose.archive[docker-compose.yml].services.web.image", "r.example/web:1@" D1);
	/* Pinning again what is pinned changes nothing (no new gzip). */
	pin_all(w);
	expected = out;
	out = render(w, &len);
	assert_string_equal(out, expected);
	free(expected);
	free(out);
	sn_workload_free(w);
	free(text);
	free(b64);
}

static void test_hpcr_wrapped_archive(void **state)
{
	struct sn_workload *w;
	char *b64 = make_archive(76), *text, *indented, *out, *got, *p;
	size_t n = 0;

	(void)state;
	/* `base64` wraps at 76: put it in a literal block, indented. */
	indented = malloc(4 * strlen(b64) + 8);
	assert_non_null(indented);
	for (const char *s = b64; *s != '\0'; s++) {
		if (s == b64 || s[-1] == '\n') {
			memcpy(indented + n, "      ", 6);
			n += 6;
		}
		indented[n++] = *s;
	}
	indented[n] = '\0';
	assert_true(asprintf(&text,
	                     "workload:\n  type: workload\n  compose:\n    archive: |\n%s\n\n  auths: {}\n"
	                     "env:\n  type: env\n",
	                     indented) > 0);
	w = parse_ok(text);
	assert_int_equal(sn_workload_kind(w), SN_WORKLOAD_CONTRACT);
	expect_site(w, 0, "workload.compose.archive[docker-compose.yml].services.web.image",
	            "r.example/web:1");
	pin_all(w);
	out = render(w, NULL);
	/* Same layout: six spaces + 76 characters per line, the last shorter. */
	p = strstr(out, "archive: |\n") + strlen("archive: |\n");
	for (;;) {
		char *eol = strchr(p, '\n');

		assert_memory_equal(p, "      ", 6);
		assert_true(p[6] != ' ');
		if (eol[1] != ' ') {
			assert_true(eol - p - 6 <= 76);
			break;
		}
		assert_int_equal(eol - p - 6, 76);
		p = eol + 1;
	}
	assert_string_equal(strstr(out, "\n\n  auths: {}\nenv:"), strstr(text, "\n\n  auths: {}\nenv:"));
	unpack_value(out, "archive: |", 1, "new");
	got = read_file(tpath("new/docker-compose.yml"), NULL);
	assert_string_equal(got, archived_compose_pinned);
	free(got);
	sn_workload_free(w);
	free(out);
	free(text);
	free(indented);
	free(b64);

	/* A contract that is signed, or whose workload is a string. */
	parse_fail("workload:\n  compose: {archive: AAAA}\nenv: {}\nenvWorkloadSignature: abc\n",
	           SIGNET_EBADINPUT, "envWorkloadSignature", NULL);
	parse_fail("workload: |\n  type: workload\nenv: {}\n", SIGNET_EBADINPUT, "workload: is a string",
	           NULL);
}

static void test_hpcr_play(void **state)
{
	struct sn_workload *w;
	char *text, *b64, *out;
	size_t n;

	(void)state;
	/* play.resources and play.templates: objects written in the section. */
	w = parse_ok("type: workload\nplay:\n  resources:\n  - apiVersion: v1\n    kind: Pod\n    spec:\n"
	             "      containers:\n      - name: a\n        image: r.example/a:1\n  - kind: ConfigMap\n"
	             "    data: {k: v}\n  templates:\n  - kind: Pod\n    spec:\n      containers:\n"
	             "      - image: \"{{ .Env.REGISTRY }}/b\"\n");
	assert_int_equal(sn_workload_count(w), 2);
	expect_site(w, 0, "play.resources[0].spec.containers[0].image", "r.example/a:1");
	expect_site(w, 1, "play.templates[0].spec.containers[0].image", "{{ .Env.REGISTRY }}/b");
	sn_workload_free(w);

	/* play.archive: the *.yaml / *.yml members are Kubernetes YAML. */
	assert_int_equal(
	    sh("rm -rf '%s/play' && mkdir -p '%s/play' && printf 'kind: Pod\\nspec:\\n  containers:\\n"
	       "  - image: r.example/p:1\\n' > '%s/play/pod.yaml' && printf 'not yaml: [' > "
	       "'%s/play/notes.txt'"
	       " && tar czf - -C '%s/play' pod.yaml notes.txt | base64 -w0 > '%s/play.b64'",
	       tmp, tmp, tmp, tmp, tmp, tmp),
	    0);
	b64 = read_file(tpath("play.b64"), &n);
	assert_true(asprintf(&text, "play:\n  archive: \"%s\"\n", b64) > 0);
	w = parse_ok(text);
	expect_site(w, 0, "play.archive[pod.yaml].documents[0].spec.containers[0].image", "r.example/p:1");
	pin_all(w);
	out = render(w, NULL);
	unpack_value(out, "archive: \"", 0, "playnew");
	free(out);
	out = read_file(tpath("playnew/pod.yaml"), NULL);
	assert_string_equal(out, "kind: Pod\nspec:\n  containers:\n  - image: r.example/p:1@" D1 "\n");
	free(out);
	sn_workload_free(w);
	free(text);
	free(b64);
}

/* ---- hostile archives ----------------------------------------------- */

/* Appends a ustar member to f. */
static void tar_member(FILE *f, const char *name, char type, const char *data)
{
	unsigned char h[512] = {0};
	size_t len = data != NULL ? strlen(data) : 0;
	unsigned long sum = 0;
	static const unsigned char zeros[512];

	assert_true(strlen(name) < 100);
	memcpy(h, name, strlen(name));
	(void)snprintf((char *)h + 100, 8, "%07o", 0644);
	(void)snprintf((char *)h + 108, 8, "%07o", 0);
	(void)snprintf((char *)h + 116, 8, "%07o", 0);
	(void)snprintf((char *)h + 124, 12, "%011o", (unsigned)len);
	(void)snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = (unsigned char)type;
	if (type == '2')
		memcpy(h + 157, "/etc/passwd", 11);
	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	(void)snprintf((char *)h + 148, 8, "%06lo", sum);
	assert_int_equal(fwrite(h, 1, 512, f), 512);
	if (len != 0) {
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fwrite(zeros, 1, (512 - len % 512) % 512, f), (512 - len % 512) % 512);
	}
}

static void tar_end(FILE *f)
{
	static const unsigned char zeros[1024];

	assert_int_equal(fwrite(zeros, 1, sizeof(zeros), f), sizeof(zeros));
}

/* The workload holding tmp/t.tar (gzipped unless gz is 0, then taken as
 * it is) as compose.archive: refused with code and needle. */
static void archive_fail(const char *shell_after, int code, const char *needle)
{
	char *b64, *text;

	assert_int_equal(sh("cd '%s' && gzip -c t.tar > t.tgz %s && base64 -w0 t.tgz > t.b64", tmp,
	                    shell_after != NULL ? shell_after : ""),
	                 0);
	b64 = read_file(tpath("t.b64"), NULL);
	assert_true(asprintf(&text, "compose:\n  archive: %s\n", b64) > 0);
	parse_fail(text, code, "compose.archive", needle);
	free(text);
	free(b64);
}

static FILE *tar_open(void)
{
	FILE *f = fopen(tpath("t.tar"), "wb");

	assert_non_null(f);
	return f;
}

static void test_hostile_archives(void **state)
{
	static const char ok[] = "services: {web: {image: a}}\n";
	FILE *f;

	(void)state;
	f = tar_open();
	tar_member(f, "../docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "path traversal");

	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', ok);
	tar_member(f, "x/../../evil", '0', "x");
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "path traversal");

	f = tar_open();
	tar_member(f, "/etc/docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "absolute path");

	f = tar_open();
	tar_member(f, "docker-compose.yml", '2', NULL);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "symbolic link");

	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', ok);
	tar_member(f, "dev", '3', NULL);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "a device");

	f = tar_open();
	tar_member(f, "./docker-compose.yml", '0', ok);
	tar_member(f, "compose.yaml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "ambiguous");

	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', ok);
	tar_member(f, "./docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "appears twice");

	f = tar_open();
	tar_member(f, "sub/docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "holds no docker-compose.yml");

	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', "services: {web: {build: .}}\n");
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "build");

	/* No end-of-archive marker; data after it; a bad checksum; gzip
	 * with trailing bytes; a truncated gzip stream; not gzip at all. */
	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', ok);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "truncated");
	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', ok);
	tar_end(f);
	tar_member(f, "late", '0', "x");
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "after the end of the tar archive");
	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	assert_int_equal(sh("printf 'X' | dd of='%s/t.tar' bs=1 seek=10 conv=notrunc 2>/dev/null", tmp), 0);
	archive_fail(NULL, SIGNET_EBADINPUT, "bad checksum");
	f = tar_open();
	tar_member(f, "docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail("&& printf 'junk' >> t.tgz", SIGNET_EBADINPUT, "after the end of the gzip stream");
	archive_fail("&& head -c 40 t.tgz > t2 && mv t2 t.tgz", SIGNET_EBADINPUT, "truncated");
	archive_fail("&& cp t.tar t.tgz", SIGNET_EBADINPUT, "not a valid gzip stream");
	parse_fail("compose:\n  archive: 'not base64!'\n", SIGNET_EBADINPUT, "compose.archive", "not base64");
	parse_fail("compose:\n  archive: QUJD=\n", SIGNET_EBADINPUT, "compose.archive", "not valid base64");
	parse_fail("compose:\n  archive: [a]\n", SIGNET_EBADINPUT, "compose.archive", "not a string");

	/* Oversize: unpacked beyond SIGNET_MAX_POLICY_FILE_SIZE (a gzip bomb). */
	assert_int_equal(
	    sh("cd '%s' && rm -rf big && mkdir big && head -c %u /dev/zero > big/docker-compose.yml && "
	       "tar cf t.tar -C big docker-compose.yml",
	       tmp, SIGNET_MAX_POLICY_FILE_SIZE),
	    0);
	archive_fail(NULL, SIGNET_ELIMIT, "SIGNET_MAX_POLICY_FILE_SIZE");
}

/* ---- the gate, with the verification step replaced -------------------- */

struct fake {
	int calls;
};

/* Allows everything except "*denied*" (EDENIED) and "*unreach*"
 * (ENETWORK); an image named by DIDX (an index) is verified as DINST. */
static int fake_verify(void *userdata, const struct sn_ref *ref, char **digest, char **signer,
                       struct sn_err *e)
{
	struct fake *f = userdata;

	f->calls++;
	if (strstr(ref->string, "denied") != NULL)
		return sn_seterr(e, SIGNET_EDENIED, "%s: denied: no signature by a pinned key", ref->string);
	if (strstr(ref->string, "unreach") != NULL)
		return sn_seterr(e, SIGNET_ENETWORK, "%s: connection refused", ref->string);
	*digest = strdup(ref->digest == NULL ? D1 : strcmp(ref->digest, DIDX) == 0 ? DINST : ref->digest);
	*signer = strstr(ref->string, "unsigned") != NULL ? NULL : strdup("Test Key <t@example> (ABCDEF)");
	return 0;
}

static void expect_entry(const signet_gate_report *r, size_t i, const char *where, const char *image,
                         int verdict, const char *pinned, const char *reason)
{
	const char *w, *im, *p, *rs;
	int v;

	assert_int_equal(signet_gate_report_entry(r, i, &w, &im, &v, &p, &rs), 0);
	assert_string_equal(w, where);
	assert_string_equal(im, image);
	assert_int_equal(v, verdict);
	if (pinned == NULL)
		assert_null(p);
	else
		assert_string_equal(p, pinned);
	if (reason == NULL)
		assert_null(rs);
	else if (strstr(rs, reason) == NULL)
		fail_msg("entry %zu reason \"%s\" lacks \"%s\"", i, rs, reason);
}

static const char gate_text[] = "services:  # gated\n"
                                "  a: {image: busybox:1.36}\n"
                                "  b:\n"
                                "    image: 'r.example/app@" DIDX "'\n"
                                "  c: {image: busybox:1.36}\n"
                                "  d: {image: \"r.example/unsigned:2@" D1 "\"}\n";

static void test_gate_allowed(void **state)
{
	signet_gate_report *r = NULL;
	struct fake f = {0};
	struct sn_err e = {0};
	struct stat st;
	char *got;

	(void)state;
	write_file(tpath("gate.yml"), gate_text, strlen(gate_text));
	assert_int_equal(chmod(tpath("gate.yml"), 0640), 0);
	assert_int_equal(sn_gate_run(&r, fake_verify, &f, tpath("gate.yml"), NULL, &e), 0);
	assert_int_equal(f.calls, 3); /* busybox:1.36 once */
	assert_int_equal(signet_gate_report_count(r), 4);
	expect_entry(r, 0, "services.a.image", "busybox:1.36", 0, "busybox:1.36@" D1, "Test Key");
	/* An index named by digest: pinned to the instance verified. */
	expect_entry(r, 1, "services.b.image", "r.example/app@" DIDX, 0, "r.example/app@" DINST, "Test Key");
	expect_entry(r, 2, "services.c.image", "busybox:1.36", 0, "busybox:1.36@" D1, "Test Key");
	expect_entry(r, 3, "services.d.image", "r.example/unsigned:2@" D1, 0, "r.example/unsigned:2@" D1,
	             NULL);
	assert_int_equal(signet_gate_report_entry(r, 4, NULL, NULL, NULL, NULL, NULL), SIGNET_EINVAL);
	signet_gate_report_free(r);
	got = read_file(tpath("gate.yml"), NULL);
	assert_string_equal(got, "services:  # gated\n"
	                         "  a: {image: busybox:1.36@" D1 "}\n"
	                         "  b:\n"
	                         "    image: 'r.example/app@" DINST "'\n"
	                         "  c: {image: busybox:1.36@" D1 "}\n"
	                         "  d: {image: \"r.example/unsigned:2@" D1 "\"}\n");
	free(got);
	assert_int_equal(stat(tpath("gate.yml"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	/* To another file: the workload itself is left alone. */
	write_file(tpath("gate.yml"), gate_text, strlen(gate_text));
	r = NULL;
	assert_int_equal(sn_gate_run(&r, fake_verify, &f, tpath("gate.yml"), tpath("gate.out.yml"), &e), 0);
	signet_gate_report_free(r);
	got = read_file(tpath("gate.yml"), NULL);
	assert_string_equal(got, gate_text);
	free(got);
	got = read_file(tpath("gate.out.yml"), NULL);
	assert_non_null(strstr(got, "busybox:1.36@" D1));
	free(got);
	assert_int_equal(stat(tpath("gate.out.yml"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

/* Runs the gate on text; expects rc and the file unchanged; returns the
 * report and the message. */
static signet_gate_report *gate_fail(const char *text, int code, struct sn_err *e)
{
	signet_gate_report *r = NULL;
	struct fake f = {0};
	char *got;

	write_file(tpath("gate.yml"), text, strlen(text));
	(void)unlink(tpath("gate.out.yml"));
	memset(e, 0, sizeof(*e));
	assert_int_equal(sn_gate_run(&r, fake_verify, &f, tpath("gate.yml"), tpath("gate.out.yml"), e), code);
	got = read_file(tpath("gate.yml"), NULL);
	assert_string_equal(got, text);
	free(got);
	assert_int_equal(access(tpath("gate.out.yml"), F_OK), -1);
	assert_int_equal(sh("ls '%s' | grep -c tmp- >/dev/null", tmp), 1); /* no temporary left */
	return r;
}

static void test_gate_denied(void **state)
{
	signet_gate_report *r;
	struct sn_err e;

	(void)state;
	/* Every occurrence is reported, not only the first failure; a denial
	 * outranks the rest. */
	r = gate_fail("services:\n  a: {image: r.example/unreach:1}\n  b: {image: busybox}\n"
	              "  c: {image: r.example/denied:1}\n  d: {image: 'Bad/Name'}\n",
	              SIGNET_EDENIED, &e);
	assert_non_null(strstr(e.msg, "3 of 4 images not allowed, nothing written"));
	assert_non_null(strstr(e.msg, "services.c.image (r.example/denied:1)"));
	assert_int_equal(signet_gate_report_count(r), 4);
	expect_entry(r, 0, "services.a.image", "r.example/unreach:1", SIGNET_ENETWORK, NULL,
	             "connection refused");
	expect_entry(r, 1, "services.b.image", "busybox", 0, "busybox@" D1, "Test Key");
	expect_entry(r, 2, "services.c.image", "r.example/denied:1", SIGNET_EDENIED, NULL, "no signature");
	expect_entry(r, 3, "services.d.image", "Bad/Name", SIGNET_EBADINPUT, NULL, "Bad/Name");
	signet_gate_report_free(r);

	/* Without a denial: a reference that does not parse outranks a
	 * registry that cannot be reached. */
	r = gate_fail("services:\n  a: {image: r.example/unreach:1}\n  b: {image: \"${REGISTRY}/app\"}\n",
	              SIGNET_EBADINPUT, &e);
	expect_entry(r, 1, "services.b.image", "${REGISTRY}/app", SIGNET_EBADINPUT, NULL,
	             "variable substituted");
	signet_gate_report_free(r);
	r = gate_fail("kind: Pod\nspec:\n  containers:\n  - image: r.example/unreach:1\n  - image: "
	              "r.example/unreach:1\n",
	              SIGNET_ENETWORK, &e);
	assert_non_null(strstr(e.msg, "2 of 2 images not allowed"));
	expect_entry(r, 1, "documents[0].spec.containers[1].image", "r.example/unreach:1", SIGNET_ENETWORK,
	             NULL, "connection refused");
	signet_gate_report_free(r);
	r = gate_fail(
	    "play:\n  templates:\n  - kind: Pod\n    spec: {containers: [{image: \"{{ .Env.R }}/b\"}]}\n",
	    SIGNET_EBADINPUT, &e);
	expect_entry(r, 0, "play.templates[0].spec.containers[0].image", "{{ .Env.R }}/b", SIGNET_EBADINPUT,
	             NULL, "template filled in at deployment");
	signet_gate_report_free(r);

	/* A workload that does not parse: no report. */
	r = gate_fail("services:\n  a: {build: .}\n", SIGNET_EBADINPUT, &e);
	assert_null(r);
	assert_non_null(strstr(e.msg, "services.a"));
	/* A workload that is not there. */
	r = NULL;
	assert_int_equal(sn_gate_run(&r, fake_verify, NULL, tpath("missing.yml"), NULL, &e),
	                 SIGNET_ENOTFOUND);
	assert_null(r);
}

static int setup(void **state)
{
	(void)state;
	(void)snprintf(tmp, sizeof(tmp), "/tmp/signet-test-workload-XXXXXX");
	return mkdtemp(tmp) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return sh("rm -rf '%s'", tmp) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compose_splice),
	    cmocka_unit_test(test_compose_refused),
	    cmocka_unit_test(test_compose_limits),
	    cmocka_unit_test(test_replace_checked),
	    cmocka_unit_test(test_pods),
	    cmocka_unit_test(test_workload_kinds),
	    cmocka_unit_test(test_hpcr_compose_archive),
	    cmocka_unit_test(test_hpcr_wrapped_archive),
	    cmocka_unit_test(test_hpcr_play),
	    cmocka_unit_test(test_hostile_archives),
	    cmocka_unit_test(test_gate_allowed),
	    cmocka_unit_test(test_gate_denied),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
