/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_policy_scope.c: which scope of a policy applies to an
 * image (SPEC §4.1, containers/image's requirementsForImageRef). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/policy.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define R  "[{\"type\": \"reject\"}]"
#define NX "/nonexistent-signet-scope-test" /* a root that does not exist */

/* Every docker scope shape, and path scopes for dir: and oci:. */
static const char policy_text[] = "{\"default\": [{\"type\": \"insecureAcceptAnything\"}],"
                                  " \"transports\": {"
                                  "  \"docker\": {"
                                  "   \"\": " R ","
                                  "   \"r.example/ns/repo:v1\": " R ","
                                  "   \"r.example/ns/repo@" D1 "\": " R ","
                                  "   \"r.example/ns/repo\": " R ","
                                  "   \"r.example/ns\": " R ","
                                  "   \"r.example/lat/img:latest\": " R ","
                                  "   \"r.example/a/b/c\": " R ","
                                  "   \"r.example/a\": " R ","
                                  "   \"r.example\": " R ","
                                  "   \"r.example:5000/ns\": " R ","
                                  "   \"r.example:5000\": " R ","
                                  "   \"*.b.example.com\": " R ","
                                  "   \"*.example.com\": " R ","
                                  "   \"docker.io/library/busybox\": " R ","
                                  "   \"docker.io/library\": " R ","
                                  "   \"[::1]:5000\": " R ","
                                  "   \"localhost:5000/x\": " R ""
                                  "  },"
                                  "  \"dir\": {"
                                  "   \"\": " R ","
                                  "   \"" NX "/layouts/a\": " R ","
                                  "   \"" NX "/layouts\": " R ""
                                  "  },"
                                  "  \"oci\": {"
                                  "   \"" NX "/oci/img\": " R ","
                                  "   \"" NX "/oci\": " R ""
                                  "  }"
                                  " }}";

struct scope_case {
	const char *image;
	const char *transport; /* NULL: the global default */
	const char *scope;
	const char *kind;
};

static const struct scope_case cases[] = {
    /* the exact reference */
    {"r.example/ns/repo:v1", "docker", "r.example/ns/repo:v1", "exact"},
    {"r.example/ns/repo@" D1, "docker", "r.example/ns/repo@" D1, "exact"},
    /* tag and digest (containers/image refuses those): the digest first */
    {"r.example/ns/repo:v1@" D1, "docker", "r.example/ns/repo@" D1, "exact"},
    {"r.example/ns/repo:v1@" D2, "docker", "r.example/ns/repo:v1", "exact"},
    {"r.example/ns/repo:v2@" D2, "docker", "r.example/ns/repo", "repository"},
    /* an implied tag is the tag */
    {"r.example/lat/img", "docker", "r.example/lat/img:latest", "exact"},
    {"docker://r.example/lat/img:latest", "docker", "r.example/lat/img:latest", "exact"},
    /* the repository */
    {"r.example/ns/repo:v9", "docker", "r.example/ns/repo", "repository"},
    {"r.example/ns/repo@" D2, "docker", "r.example/ns/repo", "repository"},
    {"r.example/a/b/c:v1", "docker", "r.example/a/b/c", "repository"},
    {"busybox", "docker", "docker.io/library/busybox", "repository"},
    {"docker.io/library/busybox:1.36", "docker", "docker.io/library/busybox", "repository"},
    /* parent namespaces, most specific first */
    {"r.example/ns/other:v1", "docker", "r.example/ns", "namespace"},
    {"r.example/ns/deep/er:v1", "docker", "r.example/ns", "namespace"},
    {"r.example/a/b/c/d:v1", "docker", "r.example/a/b/c", "namespace"},
    {"r.example/a/b/x:v1", "docker", "r.example/a", "namespace"},
    {"r.example/a/x", "docker", "r.example/a", "namespace"},
    {"alpine", "docker", "docker.io/library", "namespace"},
    {"r.example:5000/ns/x:v1", "docker", "r.example:5000/ns", "namespace"},
    /* the host, with its port */
    {"r.example/zzz:v1", "docker", "r.example", "host"},
    {"r.example/nsx/repo:v1", "docker", "r.example", "host"},
    {"r.example:5000/other:v1", "docker", "r.example:5000", "host"},
    {"[::1]:5000/x:v1", "docker", "[::1]:5000", "host"},
    {"localhost:5000/x/y:v1", "docker", "localhost:5000/x", "namespace"},
    {"localhost:5000/x", "docker", "localhost:5000/x", "repository"},
    /* another port is another host: r.example is not tried */
    {"r.example:6000/other:v1", "docker", "", "transport default"},
    /* wildcards from the host without its port, most specific first */
    {"a.b.example.com/x:v1", "docker", "*.b.example.com", "wildcard"},
    {"z.a.b.example.com/x/y:v1", "docker", "*.b.example.com", "wildcard"},
    {"a.b.example.com:8443/x:v1", "docker", "*.b.example.com", "wildcard"},
    {"c.example.com/x:v1", "docker", "*.example.com", "wildcard"},
    /* never the bare domain */
    {"b.example.com/x:v1", "docker", "*.example.com", "wildcard"},
    {"example.com/x:v1", "docker", "", "transport default"},
    /* nothing else: the transport's "" */
    {"other.org/x", "docker", "", "transport default"},
    {"localhost/x", "docker", "", "transport default"},
    /* dir: the directory, then its parents (not "/") */
    {"dir:" NX "/layouts/a", "dir", NX "/layouts/a", "exact"},
    {"dir:" NX "/layouts/b", "dir", NX "/layouts", "namespace"},
    {"dir:" NX "/layouts/a/sub", "dir", NX "/layouts/a", "namespace"},
    {"dir:" NX "/layouts", "dir", NX "/layouts", "exact"},
    {"dir:" NX "/layouts/./x/../a/", "dir", NX "/layouts/a", "exact"},
    {"dir:" NX "//layouts//b", "dir", NX "/layouts", "namespace"},
    {"dir:" NX "/layoutsx", "dir", "", "transport default"},
    {"dir:/", "dir", "", "transport default"},
    /* oci: the layout directory; its REF plays no part */
    {"oci:" NX "/oci/img:v1", "oci", NX "/oci/img", "exact"},
    {"oci:" NX "/oci/img", "oci", NX "/oci/img", "exact"},
    {"oci:" NX "/oci/other:v1", "oci", NX "/oci", "namespace"},
    {"oci:" NX "/oci/img/nested", "oci", NX "/oci/img", "namespace"},
    /* no oci "" scope: the global default */
    {"oci:" NX "/elsewhere:v1", NULL, NULL, "global default"},
};

static struct sn_policy *load(const char *text)
{
	struct sn_policy *p = NULL;
	struct sn_err e;

	sn_err_clear(&e);
	if (sn_policy_parse_json(&p, text, strlen(text), "scopes.json", &e) != 0)
		fail_msg("policy does not parse: %s", e.msg);
	return p;
}

static void check(const struct sn_policy *p, const char *image, const char *transport, const char *scope,
                  const char *kind)
{
	struct sn_scope_choice ch;
	struct sn_ref *ref = NULL;
	struct sn_err e;

	sn_err_clear(&e);
	if (sn_ref_parse(&ref, image, &e) != 0)
		fail_msg("%s: %s", image, e.msg);
	sn_policy_choose(&ch, p, ref);
	if (strcmp(ch.kind, kind) != 0 || (transport == NULL) != (ch.transport == NULL) ||
	    (transport != NULL && strcmp(ch.transport, transport) != 0) ||
	    (scope == NULL) != (ch.scope == NULL) || (scope != NULL && strcmp(ch.scope, scope) != 0))
		fail_msg("%s: expected %s \"%s\" (%s), got %s \"%s\" (%s)", image,
		         transport ? transport : "-", scope ? scope : "-", kind,
		         ch.transport ? ch.transport : "-", ch.scope ? ch.scope : "-", ch.kind);
	assert_non_null(ch.reqs);
	assert_true(ch.n_reqs > 0);
	sn_ref_free(ref);
}

static void test_table(void **state)
{
	struct sn_policy *p = load(policy_text);
	struct sn_scope_choice ch;
	struct sn_ref *ref = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(p, cases[i].image, cases[i].transport, cases[i].scope, cases[i].kind);

	/* the requirements handed back are the scope's */
	assert_int_equal(sn_ref_parse(&ref, "other.org/x", NULL), 0);
	sn_policy_choose(&ch, p, ref);
	assert_int_equal(ch.n_reqs, 1);
	assert_int_equal(ch.reqs[0].type, SN_REQ_REJECT);
	assert_string_equal(ch.reqs[0].where, "policy scopes.json: transports.docker.\"\"[0]");
	sn_ref_free(ref);
	assert_int_equal(sn_ref_parse(&ref, "oci:/elsewhere", NULL), 0);
	sn_policy_choose(&ch, p, ref);
	assert_ptr_equal(ch.reqs, p->default_reqs);
	assert_int_equal(ch.reqs[0].type, SN_REQ_INSECURE_ACCEPT_ANYTHING);
	sn_ref_free(ref);
	sn_policy_free(p);
}

/* Without a transport default, and with "*.com". */
static void test_global_default_and_tld(void **state)
{
	struct sn_policy *p = load("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {"
	                           "\"*.com\": [{\"type\": \"insecureAcceptAnything\"}],"
	                           "\"r.example/a\": [{\"type\": \"insecureAcceptAnything\"}]}}}");

	(void)state;
	check(p, "example.com/x:v1", "docker", "*.com", "wildcard");
	check(p, "a.b.c.com:5000/x", "docker", "*.com", "wildcard");
	check(p, "r.example/a:1", "docker", "r.example/a", "repository");
	check(p, "r.example/b:1", NULL, NULL, "global default");
	check(p, "example.org/x", NULL, NULL, "global default");
	check(p, "dir:/srv/x", NULL, NULL, "global default");
	sn_policy_free(p);

	p = load("{\"default\": [{\"type\": \"reject\"}]}");
	check(p, "busybox", NULL, NULL, "global default");
	check(p, "oci:/srv/l:1", NULL, NULL, "global default");
	sn_policy_free(p);
}

static char tmpdir[PATH_MAX];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* dir: and oci: paths are resolved as containers/image resolves them:
 * absolute, symbolic links followed, a missing last component appended to
 * its resolved parent. */
static void test_resolved_paths(void **state)
{
	char real[PATH_MAX + 32], link[PATH_MAX + 32], img[PATH_MAX + 32], text[4 * PATH_MAX],
	    image[PATH_MAX + 64];
	char resolved[PATH_MAX], cwd[PATH_MAX];
	struct sn_policy *p;

	(void)state;
	(void)snprintf(tmpdir, sizeof(tmpdir), "/tmp/signet-scope-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	assert_non_null(realpath(tmpdir, resolved));
	(void)snprintf(real, sizeof(real), "%s/real", resolved);
	(void)snprintf(img, sizeof(img), "%s/real/img", resolved);
	(void)snprintf(link, sizeof(link), "%s/link", resolved);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(mkdir(img, 0700), 0);
	assert_int_equal(symlink("real", link), 0);

	(void)snprintf(text, sizeof(text),
	               "{\"default\": [{\"type\": \"reject\"}], \"transports\": {"
	               "\"dir\": {\"%s\": [{\"type\": \"insecureAcceptAnything\"}]},"
	               "\"oci\": {\"%s\": [{\"type\": \"insecureAcceptAnything\"}]}}}",
	               real, img);
	p = load(text);

	/* through the symbolic link */
	(void)snprintf(image, sizeof(image), "dir:%s/link/img", resolved);
	check(p, image, "dir", real, "namespace");
	(void)snprintf(image, sizeof(image), "oci:%s/link/img:v1", resolved);
	check(p, image, "oci", img, "exact");
	/* a missing last component under the link */
	(void)snprintf(image, sizeof(image), "dir:%s/link/missing", resolved);
	check(p, image, "dir", real, "namespace");
	/* the link itself names the scope's directory */
	(void)snprintf(image, sizeof(image), "dir:%s/link", resolved);
	check(p, image, "dir", real, "exact");
	/* relative to the current directory */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	check(p, "dir:link/img", "dir", real, "namespace");
	check(p, "oci:./link/../real/img", "oci", img, "exact");
	assert_int_equal(chdir(cwd), 0);
	/* the scope is the resolved path: the link's path is not a scope */
	sn_policy_free(p);
	(void)snprintf(text, sizeof(text),
	               "{\"default\": [{\"type\": \"reject\"}], \"transports\": {"
	               "\"dir\": {\"%s\": [{\"type\": \"insecureAcceptAnything\"}]}}}",
	               link);
	p = load(text);
	(void)snprintf(image, sizeof(image), "dir:%s/link/img", resolved);
	check(p, image, NULL, NULL, "global default");
	sn_policy_free(p);
	(void)nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_global_default_and_tld),
	    cmocka_unit_test(test_resolved_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
