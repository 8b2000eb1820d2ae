/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_default_policy.c: a policy nobody named (the verifier
 * option policy_is_default, set by the command for $HOME/.config/containers
 * or /etc/containers/policy.json) does not let images through unsigned
 * (issue 12, docs/policy.md): insecureAcceptAnything that would decide is
 * a denial naming the file; reject and signedBy decide as always; a file
 * the caller named, and every version 1 caller, keep accept-anything.
 * Over a dir: layout made by fixtures/make-layouts.sh (no network).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signet/signet.h>

static char tmpdir[] = "/tmp/signet-test-default-policy-XXXXXX";
static char image[1100];

/* Writes tmpdir/name holding text; returns its path (static, 4 rotating). */
static const char *policy_file(const char *name, const char *text)
{
	static char buf[4][1100];
	static int next;
	char *p = buf[next++ % 4];
	FILE *f;

	(void)snprintf(p, 1100, "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	return p;
}

/* signet_verify of the dir: layout with opts; the message in msg. */
static int decide(const signet_verifier_options *opts, char *msg, size_t n)
{
	signet_verifier *v = NULL;
	signet_verdict *verdict = NULL;
	signet_ctx *ctx = NULL;
	signet_ref *ref = NULL;
	int rc;

	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	rc = signet_verifier_new(&v, ctx, opts);
	if (rc == 0) {
		assert_int_equal(signet_ref_parse(&ref, ctx, image), 0);
		rc = signet_verify(&verdict, v, ref);
		assert_true(rc != 0 || verdict != NULL);
	}
	(void)snprintf(msg, n, "%s", rc != 0 ? signet_ctx_errmsg(ctx) : "");
	signet_verdict_free(verdict);
	signet_ref_free(ref);
	signet_verifier_free(v);
	signet_ctx_free(ctx);
	return rc;
}

static void test_default_accept_anything_denies(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	char msg[4096], want[1200];

	(void)state;
	/* Debian's /etc/containers/policy.json, as skopeo installs it. */
	o.policy_file = policy_file("debian.json", "{\"default\":[{\"type\":\"insecureAcceptAnything\"}],"
	                                           "\"transports\":{\"docker-daemon\":{\"\":[{\"type\":"
	                                           "\"insecureAcceptAnything\"}]}}}");
	o.policy_is_default = 1;
	assert_int_equal(decide(&o, msg, sizeof(msg)), SIGNET_EDENIED);
	(void)snprintf(want, sizeof(want), "%s is a default policy, not named on the command line",
	               o.policy_file);
	assert_non_null(strstr(msg, want));
	(void)snprintf(want, sizeof(want), "pass --policy %s to accept images without signatures",
	               o.policy_file);
	assert_non_null(strstr(msg, want));
	assert_non_null(strstr(msg, "denied: requirement 1 of 1 (insecureAcceptAnything"));

	/* Several insecureAcceptAnything: still only accept-anything. */
	o.policy_file = policy_file("twice.json", "{\"default\":[{\"type\":\"insecureAcceptAnything\"},"
	                                          "{\"type\":\"insecureAcceptAnything\"}]}");
	assert_int_equal(decide(&o, msg, sizeof(msg)), SIGNET_EDENIED);
	assert_non_null(strstr(msg, "to accept images without signatures"));
}

static void test_named_accept_anything_allows(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_verifier_options v1;
	char msg[4096];

	(void)state;
	o.policy_file = policy_file("named.json", "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
	assert_int_equal(decide(&o, msg, sizeof(msg)), 0);

	/* A version 1 caller: its struct ends before policy_is_default, so
	 * whatever follows is not read and the file counts as named. */
	memcpy(&v1, &o, sizeof(v1));
	v1.version = 1;
	v1.policy_is_default = 1; /* stands for bytes past a v1 struct */
	assert_int_equal(decide(&v1, msg, sizeof(msg)), 0);

	/* An unknown version is refused. */
	o.version = SIGNET_VERIFIER_OPTIONS_VERSION + 1;
	assert_int_equal(decide(&o, msg, sizeof(msg)), SIGNET_EINVAL);
}

static void test_other_requirements_decide(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	char msg[4096];

	(void)state;
	o.policy_is_default = 1;
	/* reject denies as always, with its own reason. */
	o.policy_file = policy_file("reject.json", "{\"default\":[{\"type\":\"insecureAcceptAnything\"},"
	                                           "{\"type\":\"reject\"}]}");
	assert_int_equal(decide(&o, msg, sizeof(msg)), SIGNET_EDENIED);
	assert_non_null(strstr(msg, "rejected by the policy"));
	assert_null(strstr(msg, "--policy"));

	/* With a signature requirement next to it, the signature decides
	 * (the layout holds none).  The key: a P-256 public key (PEM). */
	o.policy_file = policy_file(
	    "signed.json",
	    "{\"default\":[{\"type\":\"insecureAcceptAnything\"},{\"type\":\"sigstoreSigned\",\"keyData\":"
	    "\"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RRZ0FFcUZQWEU3Nm"
	    "JORUJQc"
	    "U5DOE41cE11N0IrdTcyNwpxelAxNU5VU3N0OXd0KzlxMjMyRmZxVmFmZ3JqVFNUVGVOanZ6ZE1DWVRrb3FYb0dsUGNmQlRCZ"
	    "m1BPT0K"
	    "LS0tLS1FTkQgUFVCTElDIEtFWS0tLS0tCg==\"}]}");
	assert_int_equal(decide(&o, msg, sizeof(msg)), SIGNET_EDENIED);
	assert_null(strstr(msg, "--policy"));
	assert_non_null(strstr(msg, "requirement 2 of 2 (sigstoreSigned"));
	assert_non_null(strstr(msg, "no signatures"));

	/* policy_is_default says where a policy_file came from: without
	 * one it is a mistake. */
	o.policy_file = NULL;
	o.contract_file = policy_file("contract.yaml", "workload: {}\n");
	assert_int_equal(decide(&o, msg, sizeof(msg)), SIGNET_EINVAL);
	assert_non_null(strstr(msg, "policy_is_default"));
}

static void test_explain_names_default(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_verifier *v = NULL;
	signet_ctx *ctx = NULL;
	signet_ref *ref = NULL;
	char *text = NULL;

	(void)state;
	o.policy_file = policy_file("explain.json", "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
	o.policy_is_default = 1;
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	assert_int_equal(signet_verifier_new(&v, ctx, &o), 0);
	assert_int_equal(signet_ref_parse(&ref, ctx, image), 0);
	assert_int_equal(signet_explain(&text, v, ref), 0);
	assert_non_null(strstr(text, "(a default location, not named on the command line)"));
	assert_non_null(strstr(text, "Verdict: denied"));
	free(text);
	signet_ref_free(ref);
	signet_verifier_free(v);
	signet_ctx_free(ctx);
}

static int group_setup(void **state)
{
	char cmd[2048];

	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	(void)snprintf(cmd, sizeof(cmd), "sh '%s/make-layouts.sh' '%s/layouts' >'%s/make.log' 2>&1",
	               FIXTURES_DIR, tmpdir, tmpdir);
	if (system(cmd) != 0) {
		fprintf(stderr, "make-layouts.sh failed; see %s/make.log\n", tmpdir);
		return -1;
	}
	(void)snprintf(image, sizeof(image), "dir:%s/layouts/dir-v1", tmpdir);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[200];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_accept_anything_denies),
	    cmocka_unit_test(test_named_accept_anything_allows),
	    cmocka_unit_test(test_other_requirements_decide),
	    cmocka_unit_test(test_explain_names_default),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
