/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_workload.c: finding images in workloads and splicing
 * replacements (verify/workload.c), and the gate around it with the
 * verification step replaced (sn_gate_run in verify/gate.c): no registry.
 * Archives are made with the tar, gzip and base64 commands, and hostile
 * ones with a small tar writer here.  Also what compose reads besides
 * the compose file (verify/compose_project.c): .env files,
 * interpolation, COMPOSE_FILE, override files, extends.
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

#include "verify/compose_project.h"
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

/* ---- compose projects: .env, interpolation, the files compose reads ---- */

static void env_ok(struct sn_dotenv *env, const char *text)
{
	struct sn_err e = {0};

	sn_dotenv_init(env);
	if (sn_dotenv_parse(env, text, strlen(text), "p/.env", &e) != 0)
		fail_msg("dotenv: %s\nfor:\n%s", e.msg, text);
}

/* The .env text is refused with code, naming the file and each needle. */
static void env_fail(const char *text, size_t len, int code, const char *needle, const char *needle2)
{
	struct sn_dotenv env;
	struct sn_err e = {0};
	int rc;

	sn_dotenv_init(&env);
	rc = sn_dotenv_parse(&env, text, len, "p/.env", &e);
	if (rc != code)
		fail_msg("expected %d, got %d (%s) for:\n%s", code, rc, e.msg, text);
	assert_int_equal(env.n, 0);
	if (strstr(e.msg, "p/.env") == NULL || strstr(e.msg, needle) == NULL ||
	    (needle2 != NULL && strstr(e.msg, needle2) == NULL))
		fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", e.msg, needle,
		         needle2 != NULL ? needle2 : "");
	sn_dotenv_free(&env);
}

/* name has value in env (NULL: set, but not known to the gate). */
static void expect_var(const struct sn_dotenv *env, const char *name, const char *value)
{
	const struct sn_dotenv_var *v = sn_dotenv_get(env, name);

	if (v == NULL)
		fail_msg("%s is not set", name);
	if (value == NULL) {
		assert_null(v->value);
		assert_non_null(v->why);
	} else if (v->value == NULL) {
		fail_msg("%s is not known: %s", name, v->why);
	} else {
		assert_string_equal(v->value, value);
		assert_null(v->why);
	}
}

static void test_dotenv(void **state)
{
	struct sn_dotenv env;
	struct sn_buf b;
	struct sn_err e = {0};
	char line[80];

	(void)state;
	env_ok(&env, "\xef\xbb\xbf# a comment\n"
	             "\n"
	             "   \t\n"
	             "A=plain\n"
	             "export  B = spaced value  # a comment\n"
	             "C='single $A #x'\n"
	             "D=\"double\\n$A ${A}-x \\\"q\\\" \\\\ y\"   # ok\n"
	             "E=\n"
	             "F\n"
	             "G=${NOPE}/app\n"
	             "H=${NOPE:-dflt}\n"
	             "I=crlf\r\n"
	             "J=\"multi\n"
	             "line\"\n"
	             "A=again\n"
	             "L=$A.${B}\n"
	             "M=\"\"\n"
	             "N=x=y\n"
	             "O=$F\n"
	             "P=${H:+set}");
	expect_var(&env, "A", "again");
	expect_var(&env, "B", "spaced value");
	expect_var(&env, "C", "single $A #x");
	expect_var(&env, "D", "double\nplain plain-x \"q\" \\ y"); /* A as it was then */
	expect_var(&env, "E", "");
	expect_var(&env, "F", NULL);
	assert_non_null(strstr(sn_dotenv_get(&env, "F")->why, "runtime's environment"));
	assert_non_null(strstr(sn_dotenv_get(&env, "F")->why, "line 9 of p/.env"));
	expect_var(&env, "G", NULL);
	assert_non_null(strstr(sn_dotenv_get(&env, "G")->why, "NOPE is not set"));
	expect_var(&env, "H", "dflt");
	expect_var(&env, "I", "crlf");
	expect_var(&env, "J", "multi\nline");
	expect_var(&env, "L", "again.spaced value");
	expect_var(&env, "M", "");
	expect_var(&env, "N", "x=y");
	expect_var(&env, "O", NULL);
	expect_var(&env, "P", "set");
	assert_int_equal(sn_dotenv_get(&env, "A")->line, 15); /* the last statement */
	assert_int_equal(sn_dotenv_get(&env, "J")->line, 13);
	assert_null(sn_dotenv_get(&env, "NOPE"));
	sn_dotenv_free(&env);
	env_ok(&env, "");
	assert_int_equal(env.n, 0);
	sn_dotenv_free(&env);

	/* What compose versions read differently, or not at all. */
#define EF(text, needle) env_fail(text, strlen(text), SIGNET_EBADINPUT, needle, NULL)
	EF("K=a#b\n", "line 1: a '#' in an unquoted value");
	EF("A=1\nK=#b\n", "line 2: a '#'");
	EF("K=a\t#b\n", "a '#'");
	EF("K='it\\'s'\n", "a backslash in a single-quoted value");
	EF("K=\"a\\tb\"\n", "the escape sequence \\'t'");
	EF("K=\"a\\$b\"\n", "the escape sequence \\'$'");
	EF("K=\"a\\\"\"\n", "just before the closing quote");
	EF("K=\"a\\\\\"\n", "just before the closing quote");
	env_ok(&env, "K=\"a\\n\"\n");
	expect_var(&env, "K", "a\n");
	sn_dotenv_free(&env);
	EF("K=\"a\" b\n", "text after the closing quote");
	EF("A=1\nK=\"a\nb\n", "line 2: a quoted value without its closing quote");
	EF("K=\"a\\", "without its closing quote");
	EF("K: v\n", "the YAML style");
	EF("A-B=1\n", "unexpected '-' after the name A");
	EF("A B=1\n", "unexpected 'B' after the name A");
	EF("exporter=1\n", "starting with \"export\"");
	EF("export=1\n", "starting with \"export\"");
	EF("export \n", "expected NAME=VALUE, found the end of the line");
	EF("=1\n", "expected NAME=VALUE, found '='");
	EF("\xc3\xa9=1\n", "expected NAME=VALUE, found 0xc3");
	EF("K=a\x01\n", "a control character (0x01)");
	EF("K=a\rb\n", "a control character (0x0d)");
	EF("K=\"a\rb\"\n", "a carriage return");
	EF("X=1\nY='a\nb'\nZ=b#c\n", "line 4");
	EF("K=${A\n", "a ${ without its closing }");
	EF("K=$-\n", "'$' followed by '-'");
	EF("K=a$\n", "a '$' at the end");
	EF("K=${A/x/y}\n", "not an interpolation compose supports");
#undef EF
	env_fail("A=1\nB=\0\n", 8, SIGNET_EBADINPUT, "line 2: a NUL byte", NULL);

	/* Limits: the file, the variables, one value, all values. */
	env_fail("A=1\n", SN_DOTENV_MAX_SIZE + 1u, SIGNET_ELIMIT, "SN_DOTENV_MAX_SIZE", NULL);
	sn_buf_init(&b, SN_DOTENV_MAX_SIZE, "test");
	for (int i = 0; i <= SN_DOTENV_MAX_VARS; i++) {
		(void)snprintf(line, sizeof(line), "V%d=%d\n", i, i);
		assert_int_equal(sn_buf_append_str(&b, line, NULL), 0);
	}
	env_fail((const char *)b.data, b.len, SIGNET_ELIMIT, "SN_DOTENV_MAX_VARS", NULL);
	sn_buf_reset(&b);
	assert_int_equal(sn_buf_append_str(&b, "A=", NULL), 0);
	for (unsigned i = 0; i <= SN_COMPOSE_MAX_VALUE; i++)
		assert_int_equal(sn_buf_append(&b, "x", 1, NULL), 0);
	env_fail((const char *)b.data, b.len, SIGNET_ELIMIT, "SN_COMPOSE_MAX_VALUE", NULL);
	sn_buf_reset(&b);
	assert_int_equal(sn_buf_append_str(&b, "A=", NULL), 0);
	for (unsigned i = 0; i < SN_COMPOSE_MAX_VALUE / 2; i++)
		assert_int_equal(sn_buf_append(&b, "x", 1, NULL), 0);
	assert_int_equal(sn_buf_append_str(&b, "\n", NULL), 0);
	for (unsigned i = 0; i <= 2 * SN_DOTENV_MAX_TOTAL / SN_COMPOSE_MAX_VALUE; i++) {
		(void)snprintf(line, sizeof(line), "B%u=$A$A\n", i);
		assert_int_equal(sn_buf_append_str(&b, line, NULL), 0);
	}
	env_fail((const char *)b.data, b.len, SIGNET_ELIMIT, "SN_DOTENV_MAX_TOTAL", NULL);
	sn_buf_free(&b);
	assert_int_equal(sn_dotenv_parse(NULL, "", 0, "x", &e), SIGNET_EINVAL);
}

static void interp_ok(const struct sn_dotenv *env, const char *s, const char *want)
{
	struct sn_err e = {0};
	char *got = NULL;

	if (sn_compose_interpolate(&got, s, strlen(s), env, &e) != 0)
		fail_msg("interpolating %s: %s", s, e.msg);
	if (strcmp(got, want) != 0)
		fail_msg("interpolating %s: got \"%s\", expected \"%s\"", s, got, want);
	free(got);
}

static void interp_fail(const struct sn_dotenv *env, const char *s, int code, const char *needle)
{
	struct sn_err e = {0};
	char *got = NULL;
	int rc = sn_compose_interpolate(&got, s, strlen(s), env, &e);

	if (rc != code)
		fail_msg("interpolating %s: expected %d, got %d (%s)", s, code, rc,
		         got != NULL ? got : e.msg);
	assert_null(got);
	if (strstr(e.msg, needle) == NULL)
		fail_msg("interpolating %s: message \"%s\" lacks \"%s\"", s, e.msg, needle);
}

static void test_interpolate(void **state)
{
	struct sn_dotenv env;
	struct sn_buf b;

	(void)state;
	env_ok(&env, "SET=v\nEMPTY=\nUNK\nREG=r.example:5000\nLONG=" HEX64 HEX64 "\n");
	interp_ok(&env, "plain", "plain");
	interp_ok(&env, "$$", "$");
	interp_ok(&env, "a$$b$${SET}", "a$b${SET}");
	interp_ok(&env, "$SET", "v");
	interp_ok(&env, "${SET}", "v");
	interp_ok(&env, "x${SET}y$SET", "xvyv");
	interp_ok(&env, "$SET-x $SET.x $SET/x", "v-x v.x v/x");
	interp_ok(&env, "$REG/app:${SET:-1}", "r.example:5000/app:v");
	interp_ok(&env, "${NOPE:-d}", "d");
	interp_ok(&env, "${NOPE-d}", "d");
	interp_ok(&env, "${EMPTY:-d}", "d");
	interp_ok(&env, "${EMPTY-d}", "");
	interp_ok(&env, "${SET:-d}", "v");
	interp_ok(&env, "${NOPE:-}", "");
	interp_ok(&env, "${NOPE:-a-b-c}", "a-b-c");
	interp_ok(&env, "${NOPE:-r.example:5000/x}", "r.example:5000/x");
	interp_ok(&env, "${SET:?e}", "v");
	interp_ok(&env, "${EMPTY?e}", "");
	interp_ok(&env, "${SET:+a}", "a");
	interp_ok(&env, "${SET+a}", "a");
	interp_ok(&env, "${EMPTY:+a}", "");
	interp_ok(&env, "${EMPTY+a}", "a");
	interp_ok(&env, "${NOPE:-${SET}}", "v");
	interp_ok(&env, "${NOPE:-${NOPE2:-z}}/x", "z/x");
	interp_ok(&env, "${SET:-$NOPE}", "v"); /* a default not taken needs no value */
	interp_ok(&env, "${SET:?$NOPE}", "v");
	interp_ok(&env, "${NOPE:-$$}", "$");
	interp_ok(&env, "$LONG", HEX64 HEX64);

	/* Values the gate cannot know. */
	interp_fail(&env, "$NOPE", SIGNET_ENOTFOUND, "$NOPE: NOPE is not set in p/.env and has no default");
	interp_fail(&env, "a/${NOPE}:1", SIGNET_ENOTFOUND, "${NOPE}: NOPE is not set");
	interp_fail(&env, "${NOPE:?give it}", SIGNET_ENOTFOUND,
	            "NOPE is required and not set in p/.env: \"give it\"");
	interp_fail(&env, "${NOPE?x}", SIGNET_ENOTFOUND, "NOPE is required and not set");
	interp_fail(&env, "${EMPTY:?x}", SIGNET_ENOTFOUND, "EMPTY is required and empty");
	interp_fail(&env, "${NOPE:+a}", SIGNET_ENOTFOUND, "NOPE is not set in p/.env");
	interp_fail(&env, "${NOPE+a}", SIGNET_ENOTFOUND, "NOPE is not set");
	interp_fail(&env, "${UNK}", SIGNET_ENOTFOUND,
	            "${UNK}: UNK is named without a value at line 3 of p/.env");
	interp_fail(&env, "${UNK:-d}", SIGNET_ENOTFOUND, "runtime's environment");
	interp_fail(&env, "${NOPE:-${UNK}}", SIGNET_ENOTFOUND, "UNK is named without a value");
	interp_fail(NULL, "$A", SIGNET_ENOTFOUND, "A is not set (no .env)");
	interp_ok(NULL, "${A:-d}", "d");

	/* Syntax compose refuses, or its versions read differently. */
	interp_fail(&env, "$", SIGNET_EBADINPUT, "a '$' at the end");
	interp_fail(&env, "a$", SIGNET_EBADINPUT, "a '$' at the end");
	interp_fail(&env, "$1", SIGNET_EBADINPUT, "'$' followed by '1'");
	interp_fail(&env, "$-", SIGNET_EBADINPUT, "not a variable");
	interp_fail(&env, "a $ b", SIGNET_EBADINPUT, "'$' followed by 0x20");
	interp_fail(&env, "${", SIGNET_EBADINPUT, "without its closing }");
	interp_fail(&env, "${SET:-${SET}", SIGNET_EBADINPUT, "without its closing }");
	interp_fail(&env, "${}", SIGNET_EBADINPUT, "not followed by a variable name");
	interp_fail(&env, "${1A}", SIGNET_EBADINPUT, "not followed by a variable name");
	interp_fail(&env, "${SET/x/y}", SIGNET_EBADINPUT, "not an interpolation compose supports");
	interp_fail(&env, "${SET:x}", SIGNET_EBADINPUT, "not an interpolation compose supports");
	interp_fail(&env, "${SET:}", SIGNET_EBADINPUT, "not an interpolation compose supports");
	interp_fail(&env, "${SET?x-y}", SIGNET_EBADINPUT, "holds another operator ('-')");
	interp_fail(&env, "${SET:-x?y}", SIGNET_EBADINPUT, "holds another operator ('?')");
	interp_fail(&env, "${SET:-x+y}", SIGNET_EBADINPUT, "holds another operator ('+')");
	interp_fail(&env, "${SET-x:-y}", SIGNET_EBADINPUT, "holds another operator (':-')");
	interp_fail(&env, "${SET:-${}}", SIGNET_EBADINPUT, "not followed by a variable name");

	/* Limits: nesting, and the size of the result. */
	sn_buf_init(&b, 1u << 16, "test");
	for (int i = 0; i <= SN_COMPOSE_MAX_NESTING + 1; i++)
		assert_int_equal(sn_buf_append_str(&b, "${NOPE:-", NULL), 0);
	for (int i = 0; i <= SN_COMPOSE_MAX_NESTING + 1; i++)
		assert_int_equal(sn_buf_append_str(&b, "}", NULL), 0);
	interp_fail(&env, (const char *)b.data, SIGNET_ELIMIT, "SN_COMPOSE_MAX_NESTING");
	sn_buf_reset(&b);
	for (unsigned i = 0; i <= SN_COMPOSE_MAX_VALUE / 128; i++)
		assert_int_equal(sn_buf_append_str(&b, "$LONG", NULL), 0);
	interp_fail(&env, (const char *)b.data, SIGNET_ELIMIT, "SN_COMPOSE_MAX_VALUE");
	sn_buf_free(&b);
	sn_dotenv_free(&env);
}

static void path_ok(const char *dir, const char *rel, const char *want)
{
	struct sn_err e = {0};
	char *got = NULL;

	if (sn_compose_path(&got, dir, rel, strlen(rel), &e) != 0)
		fail_msg("%s relative to \"%s\": %s", rel, dir, e.msg);
	assert_string_equal(got, want);
	free(got);
}

static void path_fail(const char *dir, const char *rel, const char *needle)
{
	struct sn_err e = {0};
	char *got = NULL;

	assert_int_equal(sn_compose_path(&got, dir, rel, strlen(rel), &e), SIGNET_EBADINPUT);
	assert_null(got);
	if (strstr(e.msg, needle) == NULL)
		fail_msg("%s relative to \"%s\": message \"%s\" lacks \"%s\"", rel, dir, e.msg, needle);
}

static void entries_check(const char *text, int code, const char *first, const char *second,
                          const char *needle)
{
	struct sn_dotenv env;
	struct sn_err e = {0};
	char **list = NULL;
	size_t n = 99;

	env_ok(&env, text);
	assert_int_equal(sn_compose_file_entries(&list, &n, &env, &e), code);
	if (code != 0) {
		assert_null(list);
		if (strstr(e.msg, needle) == NULL)
			fail_msg("COMPOSE_FILE from %s: message \"%s\" lacks \"%s\"", text, e.msg, needle);
	} else if (first == NULL) {
		assert_int_equal(n, 0);
		assert_null(list);
	} else {
		assert_int_equal(n, second != NULL ? 2 : 1);
		assert_string_equal(list[0], first);
		if (second != NULL)
			assert_string_equal(list[1], second);
		assert_null(list[n]);
	}
	sn_compose_entries_free(list);
	sn_dotenv_free(&env);
}

static void test_compose_files(void **state)
{
	struct sn_buf b;

	(void)state;
	path_ok("", "a.yml", "a.yml");
	path_ok("", "./a.yml", "a.yml");
	path_ok("", "sub//./b.yml", "sub/b.yml");
	path_ok("sub", "../c.yml", "c.yml");
	path_ok("sub/dir", "x/../y.yml", "sub/dir/y.yml");
	path_ok("", "sub/../c.yml", "c.yml");
	path_fail("", "/etc/compose.yml", "an absolute path");
	path_fail("", "../x.yml", "\"../x.yml\" leaves the project directory");
	path_fail("sub", "../../x.yml", "leaves the project directory");
	path_fail("", "a/../..", "leaves the project directory");
	path_fail("", ".", "names the project directory, not a file");
	path_fail("sub", "..", "names the project directory");
	path_fail("", "", "an empty file name");
	path_fail("", "a\nb", "a control character");

	entries_check("A=1\n", 0, NULL, NULL, NULL);
	entries_check("COMPOSE_FILE=compose.yml\n", 0, "compose.yml", NULL, NULL);
	entries_check("COMPOSE_FILE=a.yml:./sub/b.yml\n", 0, "a.yml", "./sub/b.yml", NULL);
	entries_check("COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=a.yml;b:c.yml\n", 0, "a.yml", "b:c.yml", NULL);
	entries_check("COMPOSE_PATH_SEPARATOR=::\nCOMPOSE_FILE=a.yml::b.yml\n", 0, "a.yml", "b.yml", NULL);
	entries_check("D=x\nCOMPOSE_FILE=${D}.yml\n", 0, "x.yml", NULL, NULL);
	entries_check("COMPOSE_FILE=a.yml::b.yml\n", SIGNET_EBADINPUT, NULL, NULL,
	              "p/.env: line 1: COMPOSE_FILE has an empty entry");
	entries_check("COMPOSE_FILE=\n", SIGNET_EBADINPUT, NULL, NULL, "COMPOSE_FILE has an empty entry");
	entries_check("COMPOSE_FILE=a.yml:\n", SIGNET_EBADINPUT, NULL, NULL, "empty entry");
	entries_check("COMPOSE_FILE\n", SIGNET_EBADINPUT, NULL, NULL,
	              "COMPOSE_FILE is named without a value at line 1 of p/.env");
	entries_check("COMPOSE_FILE=${NOPE}\n", SIGNET_EBADINPUT, NULL, NULL,
	              "the gate cannot tell which compose");
	entries_check("COMPOSE_PATH_SEPARATOR=\nCOMPOSE_FILE=a\n", SIGNET_EBADINPUT, NULL, NULL,
	              "p/.env: line 1: COMPOSE_PATH_SEPARATOR is empty");
	entries_check("COMPOSE_PATH_SEPARATOR\nCOMPOSE_FILE=a\n", SIGNET_EBADINPUT, NULL, NULL,
	              "COMPOSE_PATH_SEPARATOR is named without a value");
	sn_buf_init(&b, 1u << 16, "test");
	assert_int_equal(sn_buf_append_str(&b, "COMPOSE_FILE=a", NULL), 0);
	for (int i = 0; i < SN_COMPOSE_MAX_FILES; i++)
		assert_int_equal(sn_buf_append_str(&b, ":a", NULL), 0);
	entries_check((const char *)b.data, SIGNET_ELIMIT, NULL, NULL, "SN_COMPOSE_MAX_FILES");
	sn_buf_free(&b);

	assert_true(sn_compose_is_base_name("docker-compose.yml"));
	assert_false(sn_compose_is_base_name("docker-compose.override.yml"));
	assert_true(sn_compose_is_override_name("compose.override.yaml"));
	assert_false(sn_compose_is_override_name("compose.yaml"));
}

/* Makes tmp/NAME afresh holding the files given as (path, content)
 * pairs, NULL-terminated; subdirectories are made as needed. */
static void make_project(const char *name, ...)
{
	const char *path, *content;
	va_list ap;

	assert_int_equal(sh("rm -rf '%s/%s' && mkdir -p '%s/%s'", tmp, name, tmp, name), 0);
	va_start(ap, name);
	while ((path = va_arg(ap, const char *)) != NULL) {
		char full[512];

		content = va_arg(ap, const char *);
		(void)snprintf(full, sizeof(full), "%s/%s/%s", tmp, name, path);
		assert_int_equal(sh("mkdir -p \"$(dirname '%s')\"", full), 0);
		write_file(full, content, strlen(content));
	}
	va_end(ap);
}

/* tmp/NAME (make_project) as compose.archive of an HPCR workload section,
 * made as IBM documents it (tar czf - -C DIR . | base64 -w0).  Caller
 * frees. */
static char *project_section(const char *name)
{
	char *b64, *text;
	size_t n;

	assert_int_equal(sh("tar czf - -C '%s/%s' . | base64 -w0 > '%s/project.b64'", tmp, name, tmp), 0);
	b64 = read_file(tpath("project.b64"), &n);
	assert_true(asprintf(&text, "compose:\n  archive: %s\n", b64) > 0);
	free(b64);
	return text;
}

static struct sn_workload *project_ok(const char *name, size_t count)
{
	char *text = project_section(name);
	struct sn_workload *w = parse_ok(text);

	free(text);
	if (sn_workload_count(w) != count) {
		for (size_t i = 0; i < sn_workload_count(w); i++)
			print_message("site %zu: %s = %s\n", i, sn_workload_site(w, i)->where,
			              sn_workload_site(w, i)->image);
		fail_msg("%s: %zu images, expected %zu", name, sn_workload_count(w), count);
	}
	return w;
}

static void project_fail(const char *name, int code, const char *needle, const char *needle2)
{
	char *text = project_section(name);

	parse_fail(text, code, needle, needle2);
	free(text);
}

/* The member MEMBER of the archive in text, unpacked (caller frees). */
static char *unpacked_member(const char *text, const char *member)
{
	char path[256];

	unpack_value(text, "archive: ", 0, "unpacked");
	(void)snprintf(path, sizeof(path), "unpacked/%s", member);
	return read_file(tpath(path), NULL);
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
	tar_member(f, "docker-compose.yml", '0', ok);
	tar_member(f, "./docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "appears twice");

	f = tar_open();
	tar_member(f, "sub/docker-compose.yml", '0', ok);
	tar_end(f);
	fclose(f);
	archive_fail(NULL, SIGNET_EBADINPUT, "holds no compose.yaml, compose.yml, docker-compose.yml");

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
	r = gate_fail("services:\n  a: {image: r.example/unreach:1}\n  b: {image: \"Bad/Name\"}\n",
	              SIGNET_EBADINPUT, &e);
	expect_entry(r, 1, "services.b.image", "Bad/Name", SIGNET_EBADINPUT, NULL, "Bad/Name");
	signet_gate_report_free(r);
	/* A variable with no value (no .env next to the file): the workload
	 * is refused before anything is verified. */
	r = gate_fail("services:\n  a: {image: r.example/unreach:1}\n  b: {image: \"${REGISTRY}/app\"}\n",
	              SIGNET_EBADINPUT, &e);
	assert_null(r);
	assert_non_null(strstr(e.msg, "services.b.image: ${REGISTRY}: REGISTRY is not set (no .env)"));
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

static void test_compose_archive_files(void **state)
{
	struct sn_workload *w;

	(void)state;
	/* Every default file at the root is read, in compose's order, base
	 * files and override files alike; files in subdirectories are not,
	 * unless named. */
	make_project("p1", "docker-compose.yml", "services: {a: {image: r.example/a:1}}\n", "compose.yaml",
	             "services: {b: {image: r.example/b:1}}\n", "compose.override.yml",
	             "services:\n  b: {ports: ['80:80']}\n  c: {image: r.example/unsigned:1}\n",
	             "docker-compose.override.yaml", "services: {d: {image: r.example/d:1}}\n",
	             "sub/docker-compose.yml", "services: {x: {image: r.example/x:1}}\n",
	             "sub/compose.override.yml", "services: {y: {image: r.example/y:1}}\n", "notes.yml",
	             "services: {z: {image: r.example/z:1}}\n", NULL);
	w = project_ok("p1", 4);
	expect_site(w, 0, "compose.archive[compose.yaml].services.b.image", "r.example/b:1");
	expect_site(w, 1, "compose.archive[docker-compose.yml].services.a.image", "r.example/a:1");
	expect_site(w, 2, "compose.archive[compose.override.yml].services.c.image", "r.example/unsigned:1");
	expect_site(w, 3, "compose.archive[docker-compose.override.yaml].services.d.image", "r.example/d:1");
	sn_workload_free(w);

	/* An override file alone is not a project. */
	make_project("p2", "compose.override.yml", "services: {c: {image: r.example/c:1}}\n", NULL);
	project_fail("p2", SIGNET_EBADINPUT, "holds no compose.yaml, compose.yml, docker-compose.yml", NULL);
	make_project("p2", "compose.yml/x", "", NULL);
	project_fail("p2", SIGNET_EBADINPUT, "compose.yml is a directory", NULL);

	/* COMPOSE_FILE in .env: those files, and no default one. */
	make_project("p3", ".env", "# which files\nCOMPOSE_FILE=./extra.yml:sub/more.yaml\n", "compose.yml",
	             "services: {a: {image: r.example/a:1}}\n", "compose.override.yml",
	             "services: {o: {image: r.example/o:1}}\n", "extra.yml",
	             "services: {e: {image: r.example/unsigned:1}}\n", "sub/more.yaml",
	             "services: {m: {image: r.example/m:1}}\n", NULL);
	w = project_ok("p3", 2);
	expect_site(w, 0, "compose.archive[extra.yml].services.e.image", "r.example/unsigned:1");
	expect_site(w, 1, "compose.archive[sub/more.yaml].services.m.image", "r.example/m:1");
	sn_workload_free(w);
	make_project("p3", ".env", "COMPOSE_PATH_SEPARATOR=,\nCOMPOSE_FILE=compose.yml,compose.yml\n",
	             "compose.yml", "services: {a: {image: r.example/a:1}}\n", NULL);
	w = project_ok("p3", 1); /* once */
	sn_workload_free(w);
	make_project("p3", ".env", "A=1\nCOMPOSE_FILE=compose.yml:missing.yml\n", "compose.yml",
	             "services: {a: {image: r.example/a:1}}\n", NULL);
	project_fail("p3", SIGNET_EBADINPUT,
	             "compose.archive[.env]: line 2: COMPOSE_FILE: missing.yml is not in the archive", NULL);
	make_project("p3", ".env", "COMPOSE_FILE=/etc/compose.yml\n", "compose.yml",
	             "services: {a: {image: a}}\n", NULL);
	project_fail("p3", SIGNET_EBADINPUT, "COMPOSE_FILE: \"/etc/compose.yml\" is an absolute path", NULL);
	make_project("p3", ".env", "COMPOSE_FILE=../compose.yml\n", "compose.yml",
	             "services: {a: {image: a}}\n", NULL);
	project_fail("p3", SIGNET_EBADINPUT, "leaves the project directory", NULL);
	make_project("p3", ".env", "COMPOSE_FILE=sub\n", "sub/compose.yml", "services: {a: {image: a}}\n",
	             NULL);
	project_fail("p3", SIGNET_EBADINPUT, "sub is a directory", NULL);
	make_project("p3", ".env", "COMPOSE_FILE=${WHICH}\n", "compose.yml", "services: {a: {image: a}}\n",
	             NULL);
	project_fail("p3", SIGNET_EBADINPUT, "compose.archive[.env]: COMPOSE_FILE is set at line 1",
	             "WHICH is not set");
	make_project("p3", ".env", "COMPOSE_FILE=sub/compose.yml\n", "sub/compose.yml",
	             "services: {a: {image: a}}\n", "sub/.env", "A=1\n", NULL);
	project_fail("p3", SIGNET_EBADINPUT, "its directory holds a .env too", NULL);
	make_project("p3", ".env", "A=b#c\n", "compose.yml", "services: {a: {image: a}}\n", NULL);
	project_fail("p3", SIGNET_EBADINPUT, "compose.archive[.env]: line 1: a '#'", NULL);

	/* COMPOSE_PROFILES changes nothing: every service is gated. */
	make_project("p4", ".env", "COMPOSE_PROFILES=web\n", "compose.yml",
	             "services:\n  web: {image: r.example/a:1, profiles: [web]}\n"
	             "  debug: {image: r.example/unsigned:1, profiles: [debug]}\n",
	             NULL);
	w = project_ok("p4", 2);
	expect_site(w, 1, "compose.archive[compose.yml].services.debug.image", "r.example/unsigned:1");
	sn_workload_free(w);

	/* A service without an image: refused in a project of one file, left
	 * to the other files in a project of several. */
	make_project("p5", "compose.yml", "services:\n  a: {image: r.example/a:1}\n  b: {command: x}\n",
	             NULL);
	project_fail("p5", SIGNET_EBADINPUT, "line 3: compose.archive[compose.yml].services.b: has no image",
	             NULL);
	make_project("p5", "compose.yml", "services:\n  a: {image: r.example/a:1}\n  b: {command: x}\n",
	             "compose.override.yml", "services:\n  b: {image: r.example/b:1}\n  a:\n", NULL);
	w = project_ok("p5", 2);
	sn_workload_free(w);
	make_project("p5", "compose.yml", "include: [other.yml]\nservices: {a: {image: a}}\n", NULL);
	project_fail("p5", SIGNET_EBADINPUT, "line 1: compose.archive[compose.yml]: include", NULL);
}

static void test_compose_archive_extends(void **state)
{
	struct sn_workload *w;

	(void)state;
	/* extends.file: read relative to the file that names it, once, and
	 * a template in it needs no image. */
	make_project(
	    "e1", "compose.yml",
	    "services:\n"
	    "  web:\n"
	    "    extends: {file: common/base.yml, service: base}\n"
	    "  api:\n"
	    "    extends:\n      service: web\n"
	    "  db:\n"
	    "    extends: db-base\n"
	    "  db-base: {image: r.example/db:1}\n",
	    "common/base.yml",
	    "services:\n  base: {image: r.example/unsigned:1}\n  tmpl: {environment: [A=1]}\n"
	    "  more: {extends: {file: ../more.yml, service: m}}\n",
	    "more.yml",
	    "services: {m: {image: r.example/m:1}, back: {extends: {file: compose.yml, service: web}}}\n",
	    NULL);
	w = project_ok("e1", 3);
	expect_site(w, 0, "compose.archive[compose.yml].services.db-base.image", "r.example/db:1");
	expect_site(w, 1, "compose.archive[common/base.yml].services.base.image", "r.example/unsigned:1");
	expect_site(w, 2, "compose.archive[more.yml].services.m.image", "r.example/m:1");
	sn_workload_free(w);
	/* A file extended from a file extended: a cycle is read once each. */
	make_project("e2", "compose.yml", "services: {a: {image: a, extends: {file: b.yml, service: b}}}\n",
	             "b.yml", "services: {b: {image: b, extends: {file: ./compose.yml, service: a}}}\n",
	             NULL);
	w = project_ok("e2", 2);
	sn_workload_free(w);
	make_project("e3", "compose.yml", "services:\n  a:\n    extends: {file: nope.yml, service: x}\n",
	             NULL);
	project_fail(
	    "e3", SIGNET_EBADINPUT,
	    "line 3: compose.archive[compose.yml].services.a.extends.file: nope.yml is not in the archive",
	    NULL);
	make_project("e3", "compose.yml", "services:\n  a:\n    extends: {file: /x.yml, service: x}\n", NULL);
	project_fail("e3", SIGNET_EBADINPUT, "services.a.extends.file: \"/x.yml\" is an absolute path", NULL);
	make_project("e3", "sub/c.yml", "services: {c: {image: c}}\n", "compose.yml",
	             "services:\n  a:\n    extends: {file: sub/../../x.yml, service: x}\n", NULL);
	project_fail("e3", SIGNET_EBADINPUT, "leaves the project directory", NULL);
	make_project("e3", ".env", "F=sub/c.yml\n", "sub/c.yml", "services: {c: {image: c}}\n", "compose.yml",
	             "services:\n  a:\n    extends: {file: '${F}', service: c}\n", NULL);
	w = project_ok("e3", 1);
	expect_site(w, 0, "compose.archive[sub/c.yml].services.c.image", "c");
	sn_workload_free(w);
	make_project("e3", "compose.yml", "services:\n  a:\n    extends: {file: '${F}', service: c}\n", NULL);
	project_fail("e3", SIGNET_EBADINPUT, "services.a.extends.file: ${F}: F is not set (no .env)", NULL);
	make_project("e3", "compose.yml", "services:\n  a:\n    extends: [x]\n", NULL);
	project_fail("e3", SIGNET_EBADINPUT, "services.a.extends: is not a string or a mapping", NULL);
	/* build in an extended file is refused as anywhere. */
	make_project("e3", "compose.yml",
	             "services:\n  a:\n    image: a\n    extends: {file: b.yml, service: b}\n", "b.yml",
	             "services:\n  b:\n    build: .\n", NULL);
	project_fail("e3", SIGNET_EBADINPUT, "line 3: compose.archive[b.yml].services.b: has build", NULL);
}

static void test_compose_archive_interpolation(void **state)
{
	struct sn_workload *w;
	const struct sn_image_site *site;
	char *text, *out, *member;

	(void)state;
	make_project("i1", ".env", "# the images\nREG=r.example\nIMAGE=${REG}/app:1\nTAG=2\n", "compose.yml",
	             "services:\n"
	             "  web:\n"
	             "    image: ${IMAGE}   # from .env\n"
	             "  db:\n"
	             "    image: \"$REG/db:${TAG:-1}\"\n"
	             "  cache:\n"
	             "    image: '${NOPE:-r.example/cache}:3'\n"
	             "  plain:\n"
	             "    image: r.example/plain:1\n",
	             NULL);
	text = project_section("i1");
	w = parse_ok(text);
	assert_int_equal(sn_workload_count(w), 4);
	expect_site(w, 0, "compose.archive[compose.yml].services.web.image", "r.example/app:1");
	site = sn_workload_site(w, 0);
	assert_string_equal(site->written, "${IMAGE}");
	expect_site(w, 1, "compose.archive[compose.yml].services.db.image", "r.example/db:2");
	expect_site(w, 2, "compose.archive[compose.yml].services.cache.image", "r.example/cache:3");
	assert_null(sn_workload_site(w, 3)->written);
	/* Nothing replaced: the same bytes. */
	expect_render(w, text);
	/* A replacement that is the resolved reference itself still replaces
	 * the variable: the runtime's environment can no longer change it. */
	assert_int_equal(sn_workload_replace(w, 0, "r.example/app:1", NULL), 0);
	assert_int_equal(sn_workload_replace(w, 1, "r.example/db:2@" D1, NULL), 0);
	assert_int_equal(sn_workload_replace(w, 2, "r.example/cache:3@" D1, NULL), 0);
	out = render(w, NULL);
	member = unpacked_member(out, "compose.yml");
	assert_string_equal(member, "services:\n"
	                            "  web:\n"
	                            "    image: r.example/app:1   # from .env\n"
	                            "  db:\n"
	                            "    image: \"r.example/db:2@" D1 "\"\n"
	                            "  cache:\n"
	                            "    image: 'r.example/cache:3@" D1 "'\n"
	                            "  plain:\n"
	                            "    image: r.example/plain:1\n");
	free(member);
	member = unpacked_member(out, ".env");
	assert_string_equal(member, "# the images\nREG=r.example\nIMAGE=${REG}/app:1\nTAG=2\n");
	free(member);
	sn_workload_free(w);
	/* Read again, the values are literal. */
	w = parse_ok(out);
	assert_null(sn_workload_site(w, 0)->written);
	expect_site(w, 1, "compose.archive[compose.yml].services.db.image", "r.example/db:2@" D1);
	sn_workload_free(w);
	free(out);
	free(text);

	/* What the gate cannot resolve. */
	make_project("i2", "compose.yml", "services:\n  web:\n    image: ${IMAGE}\n", NULL);
	project_fail("i2", SIGNET_EBADINPUT,
	             "line 3: compose.archive[compose.yml].services.web.image: ${IMAGE}",
	             "IMAGE is not set (no .env) and has no default: the runtime's environment is not known");
	make_project("i2", ".env", "IMAGE\n", "compose.yml", "services:\n  web:\n    image: ${IMAGE}\n",
	             NULL);
	project_fail(
	    "i2", SIGNET_EBADINPUT,
	    "services.web.image: ${IMAGE}: IMAGE is named without a value at line 1 of compose.archive[.env]",
	    NULL);
	make_project("i2", ".env", "A=1\n", "compose.yml", "services:\n  web:\n    image: ${NOPE}\n", NULL);
	project_fail("i2", SIGNET_EBADINPUT, "NOPE is not set in compose.archive[.env]", NULL);
	make_project("i2", ".env", "IMAGE=\n", "compose.yml", "services:\n  web:\n    image: ${IMAGE}\n",
	             NULL);
	project_fail("i2", SIGNET_EBADINPUT, "\"${IMAGE}\" resolves to an empty string", NULL);
	make_project("i2", ".env", "IMAGE=\"a\\nb\"\n", "compose.yml",
	             "services:\n  web:\n    image: ${IMAGE}\n", NULL);
	project_fail("i2", SIGNET_EBADINPUT, "resolves to text with a control character", NULL);
	make_project("i2", "compose.yml", "services:\n  web:\n    image: ${IMAGE/a/b}\n", NULL);
	project_fail("i2", SIGNET_EBADINPUT, "not an interpolation compose supports", NULL);
}

/* sn_workload_parse_path of tmp/DIR/FILE: refused with code and needle
 * (0: parsed, count images). */
static void disk_check(const char *dir, const char *file, int code, const char *needle, size_t count)
{
	struct sn_workload *w = NULL;
	struct sn_err e = {0};
	char path[512];
	char *data;
	size_t len;
	int rc;

	(void)snprintf(path, sizeof(path), "%s/%s/%s", tmp, dir, file);
	data = read_file(path, &len);
	rc = sn_workload_parse_path(&w, data, len, path, &e);
	if (rc != code)
		fail_msg("%s: expected %d, got %d (%s)", path, code, rc, e.msg);
	if (code == 0) {
		assert_int_equal(sn_workload_count(w), count);
	} else {
		assert_null(w);
		if (strstr(e.msg, path) == NULL || strstr(e.msg, needle) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", path, e.msg, needle);
	}
	sn_workload_free(w);
	free(data);
}

static void test_compose_dir(void **state)
{
	static const char one[] = "services: {a: {image: r.example/a:1}}\n";
	signet_gate_report *r = NULL;
	struct fake f = {0};
	struct sn_err e = {0};
	char *got;

	(void)state;
	/* The .env next to the file resolves its values; the gated file names
	 * the literal, pinned reference; the .env is left as it was. */
	make_project("d1", ".env", "IMAGE=r.example/app:1\n", "compose.yml",
	             "services:\n  web:\n    image: ${IMAGE}\n  db: {image: '${DB:-r.example/db}'}\n", NULL);
	assert_int_equal(sn_gate_run(&r, fake_verify, &f, tpath("d1/compose.yml"), NULL, &e), 0);
	expect_entry(r, 0, "services.web.image", "r.example/app:1", 0, "r.example/app:1@" D1, "Test Key");
	expect_entry(r, 1, "services.db.image", "r.example/db", 0, "r.example/db@" D1, "Test Key");
	signet_gate_report_free(r);
	got = read_file(tpath("d1/compose.yml"), NULL);
	assert_string_equal(got, "services:\n  web:\n    image: r.example/app:1@" D1 "\n"
	                         "  db: {image: 'r.example/db@" D1 "'}\n");
	free(got);
	got = read_file(tpath("d1/.env"), NULL);
	assert_string_equal(got, "IMAGE=r.example/app:1\n");
	free(got);

	/* A variable the .env does not set: refused, nothing written. */
	make_project("d2", "compose.yml", "services:\n  web:\n    image: ${IMAGE}\n", NULL);
	disk_check("d2", "compose.yml", SIGNET_EBADINPUT,
	           "line 3: services.web.image: ${IMAGE}: IMAGE is not set (no .env)", 0);
	make_project("d2", ".env", "A=1\n", "compose.yml", "services:\n  web:\n    image: ${IMAGE}\n", NULL);
	disk_check("d2", "compose.yml", SIGNET_EBADINPUT, "d2/.env and has no default", 0);
	make_project("d2", ".env", "A='x\n", "compose.yml", one, NULL);
	disk_check("d2", "compose.yml", SIGNET_EBADINPUT,
	           "d2/.env: line 1: a quoted value without its closing quote", 0);
	make_project("d2", ".env/x", "", "compose.yml", one, NULL);
	disk_check("d2", "compose.yml", 0, NULL, 1); /* a directory named .env is not read */

	/* Other compose files compose reads in that directory. */
	make_project("d3", "compose.yml", one, "compose.override.yml",
	             "services: {b: {image: r.example/unsigned:1}}\n", NULL);
	disk_check("d3", "compose.yml", SIGNET_EBADINPUT, "the override file", 0);
	disk_check("d3", "compose.yml", SIGNET_EBADINPUT, "d3/compose.override.yml is next to it", 0);
	disk_check("d3", "compose.override.yml", SIGNET_EBADINPUT, "an override file: docker compose run in",
	           0);
	make_project("d3", "compose.yaml", one, "docker-compose.yml", one, NULL);
	disk_check("d3", "docker-compose.yml", SIGNET_EBADINPUT, "d3/compose.yaml is next to it", 0);
	disk_check("d3", "compose.yaml", 0, NULL, 1); /* compose prefers it */
	make_project("d3", "compose.yml", one, "docker-compose.override.yaml", one, "app.yml", one, NULL);
	disk_check("d3", "app.yml", 0, NULL, 1); /* read only with -f, and then alone */
	make_project("d3", ".env", "COMPOSE_FILE=./compose.yml\n", "compose.yml", one, NULL);
	disk_check("d3", "compose.yml", 0, NULL, 1);
	make_project("d3", ".env", "COMPOSE_FILE=compose.yml:extra.yml\n", "compose.yml", one, "extra.yml",
	             one, NULL);
	disk_check("d3", "compose.yml", SIGNET_EBADINPUT, "d3/.env: line 1: COMPOSE_FILE names extra.yml", 0);
	disk_check("d3", "extra.yml", SIGNET_EBADINPUT, "COMPOSE_FILE names compose.yml", 0);
	make_project("d3", ".env", "COMPOSE_FILE=missing.yml\n", "compose.yml", one, NULL);
	disk_check("d3", "compose.yml", SIGNET_EBADINPUT, "COMPOSE_FILE names missing.yml (not there)", 0);
	/* with COMPOSE_FILE naming the file, override files are not read */
	make_project("d3", ".env", "COMPOSE_FILE=compose.yml\n", "compose.yml", one, "compose.override.yml",
	             one, NULL);
	disk_check("d3", "compose.yml", 0, NULL, 1);
	make_project("d3", "compose.yml",
	             "services:\n  a:\n    image: a\n    extends: {file: b.yml, service: b}\n", "b.yml", one,
	             NULL);
	disk_check("d3", "compose.yml", SIGNET_EBADINPUT,
	           "services.a.extends.file: the service extends one in b.yml", 0);
	/* Kubernetes YAML is not a compose project: the .env is not read. */
	make_project("d4", ".env", "A=b#c\n", "compose.override.yml", one, "pod.yml",
	             "kind: Pod\nspec: {containers: [{image: r.example/a:1}]}\n", NULL);
	disk_check("d4", "pod.yml", 0, NULL, 1);
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
	    cmocka_unit_test(test_dotenv),
	    cmocka_unit_test(test_interpolate),
	    cmocka_unit_test(test_compose_files),
	    cmocka_unit_test(test_compose_archive_files),
	    cmocka_unit_test(test_compose_archive_extends),
	    cmocka_unit_test(test_compose_archive_interpolation),
	    cmocka_unit_test(test_gate_allowed),
	    cmocka_unit_test(test_gate_denied),
	    cmocka_unit_test(test_compose_dir),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
