/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_trust_scope.c: how far what the caller gives reaches
 * (issue 12 and --creds).
 *
 *  - The digests a contract vouches for: only the images its own workload
 *    section names by digest (play.resources here: no archive needed),
 *    whether the section is a mapping in the file (re-read from its lines,
 *    also after non-ASCII text and a byte order mark), a block literal, or
 *    a flow mapping; a section that cannot be read vouches for nothing and
 *    says why; a section without compose or play vouches for nothing.
 *  - --creds: bound to one registry host (creds_host, or the first image
 *    read), never given for another; signet_gate refuses a workload on
 *    several hosts before any request, and binds them to the one host of a
 *    workload on one.
 * No network: the one request made (a single-host gate) goes to a closed
 * loopback port.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify/verifier_internal.h"

#include <signet/signet.h>

#define D_A "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define D_B "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static char tmpdir[] = "/tmp/signet-test-trust-scope-XXXXXX";

/* Writes tmpdir/name holding text; returns its path (static, 4 rotating). */
static const char *file(const char *name, const char *text)
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

/* A verifier for the contract text (written as name) in a new context. */
static signet_verifier *contract_verifier(signet_ctx **ctx, const char *name, const char *text)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_verifier *v = NULL;
	int rc;

	assert_int_equal(signet_ctx_new(ctx, NULL), 0);
	o.contract_file = file(name, text);
	rc = signet_verifier_new(&v, *ctx, &o);
	if (rc != 0)
		fail_msg("%s: %d %s", name, rc, signet_ctx_errmsg(*ctx));
	return v;
}

static int vouches(const signet_verifier *v, const char *image)
{
	struct sn_ref *ref = NULL;
	int yes;

	assert_int_equal(sn_ref_parse_docker(&ref, image, NULL), 0);
	yes = sn_verifier_vouches(v, ref);
	sn_ref_free(ref);
	return yes;
}

/* The pod the workload sections below run: app by digest, web by tag. */
/* clang-format off */
#define POD(indent)                                                                                 \
	indent "play:\n" indent "  resources:\n" indent "    - apiVersion: v1\n" indent "      kind: Pod\n" \
	indent "      metadata: {name: p}\n" indent "      spec:\n" indent "        containers:\n"           \
	indent "          - name: app\n" indent "            image: us.icr.io/ns/app@" D_A "\n"          \
	indent "          - name: web\n" indent "            image: us.icr.io/ns/web:v1\n"
/* clang-format on */

static void check_app_vouched(const signet_verifier *v)
{
	assert_int_equal(v->n_vouched, 1);
	assert_null(v->vouch_problem);
	assert_true(vouches(v, "us.icr.io/ns/app@" D_A));
	/* a tag next to the digest changes nothing */
	assert_true(vouches(v, "us.icr.io/ns/app:v9@" D_A));
	/* another digest, another repository, a tag: nothing */
	assert_false(vouches(v, "us.icr.io/ns/app@" D_B));
	assert_false(vouches(v, "us.icr.io/ns/other@" D_A));
	assert_false(vouches(v, "us.icr.io/ns/ap@" D_A));
	assert_false(vouches(v, "us.icr.io/ns/web:v1"));
	assert_false(vouches(v, "us.icr.io/ns/app"));
	/* the text of the section is not kept */
	assert_null(v->policy->workload_text.data);
}

static void test_vouched_forms(void **state)
{
	signet_verifier *v;
	signet_ctx *ctx;

	(void)state;
	/* A mapping in the file, between other sections, with a comment. */
	v = contract_verifier(&ctx, "mapping.yaml",
	                      "env:\n  type: env\n"
	                      "workload:\n  type: workload\n" POD("  ") /* then a comment */
	                      "  # the end of the workload\nattestationPublicKey: c2ln\n");
	check_app_vouched(v);
	signet_verifier_free(v);
	signet_ctx_free(ctx);

	/* Non-ASCII text before it and a byte order mark: libyaml counts
	 * characters, the section is cut at the right bytes. */
	v = contract_verifier(&ctx, "utf8.yaml",
	                      "\xef\xbb\xbf# caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa6\nenv: {type: env, "
	                      "note: \"\xc3\xa9t\xc3\xa9\"}\n"
	                      "workload:\n    type: workload\n" POD("    "));
	check_app_vouched(v);
	signet_verifier_free(v);
	signet_ctx_free(ctx);

	/* A block literal, as IBM's examples write it. */
	v = contract_verifier(&ctx, "literal.yaml",
	                      "env: |\n  type: env\nworkload: |\n  type: workload\n" POD("  "));
	check_app_vouched(v);
	signet_verifier_free(v);
	signet_ctx_free(ctx);

	/* A flow mapping. */
	v = contract_verifier(&ctx, "flow.yaml",
	                      "workload: {type: workload, play: {resources: [{apiVersion: v1, kind: Pod,\n"
	                      "  spec: {containers: [{name: app, image: \"us.icr.io/ns/app@" D_A "\"}]}}]}}\n"
	                      "env: {type: env}\n");
	check_app_vouched(v);
	signet_verifier_free(v);
	signet_ctx_free(ctx);
}

static void test_vouches_nothing(void **state)
{
	signet_verifier *v;
	signet_ctx *ctx;

	(void)state;
	/* No compose and no play: the contract runs nothing it names. */
	v = contract_verifier(&ctx, "none.yaml",
	                      "workload:\n  type: workload\n  volumes: {}\nenv:\n  type: env\n");
	assert_int_equal(v->n_vouched, 0);
	assert_null(v->vouch_problem);
	assert_false(vouches(v, "us.icr.io/ns/app@" D_A));
	signet_verifier_free(v);
	signet_ctx_free(ctx);

	/* A workload whose images cannot be read: nothing, and why. */
	v = contract_verifier(
	    &ctx, "broken.yaml",
	    "workload:\n  type: workload\n  play:\n    resources:\n      - kind: Pod\n"
	    "        spec:\n          containers:\n            - image: [\"us.icr.io/ns/app@" D_A "\"]\n"
	    "env:\n  type: env\n");
	assert_int_equal(v->n_vouched, 0);
	assert_non_null(v->vouch_problem);
	assert_non_null(strstr(v->vouch_problem, "its workload section"));
	assert_false(vouches(v, "us.icr.io/ns/app@" D_A));
	signet_verifier_free(v);
	signet_ctx_free(ctx);

	/* A policy.json vouches for nothing (its digests need what tags need). */
	{
		signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;

		assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
		o.policy_file = file("p.json", "{\"default\":[{\"type\":\"reject\"}]}");
		assert_int_equal(signet_verifier_new(&v, ctx, &o), 0);
		assert_int_equal(v->n_vouched, 0);
		assert_false(vouches(v, "us.icr.io/ns/app@" D_A));
		signet_verifier_free(v);
		signet_ctx_free(ctx);
	}
}

static void test_verifier_options_versions(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT, old;
	signet_verifier *v = NULL;
	signet_ctx *ctx;

	(void)state;
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	o.contract_file = file("c.yaml", "workload:\n  type: workload\nenv:\n  type: env\n");
	o.allow_digest_pinned = 1;
	assert_int_equal(signet_verifier_new(&v, ctx, &o), 0);
	assert_int_equal(v->opts.allow_digest_pinned, 1);
	signet_verifier_free(v);
	/* A version 2 struct ends before allow_digest_pinned: not read, the
	 * version 3 rule applies. */
	memcpy(&old, &o, sizeof(old));
	old.version = 2;
	assert_int_equal(signet_verifier_new(&v, ctx, &old), 0);
	assert_int_equal(v->opts.allow_digest_pinned, 0);
	signet_verifier_free(v);
	/* require_signed_contract (version 5) refuses this unsigned contract;
	 * a version 4 struct ends before it: not read, accepted as before. */
	o.require_signed_contract = 1;
	v = NULL;
	assert_int_equal(signet_verifier_new(&v, ctx, &o), SIGNET_EBADINPUT);
	assert_null(v);
	assert_non_null(
	    strstr(signet_ctx_errmsg(ctx), "unsigned contract refused (--require-signed-contract)"));
	memcpy(&old, &o, sizeof(old));
	old.version = 4;
	assert_int_equal(signet_verifier_new(&v, ctx, &old), 0);
	assert_int_equal(v->opts.require_signed_contract, 0);
	signet_verifier_free(v);
	/* The keyless trust (version 6): a second source next to the
	 * contract, refused; a version 5 struct ends before it: not read. */
	o.require_signed_contract = 0;
	o.trusted_root_file = "/nonexistent/trusted_root.json";
	o.certificate_identity = "a@example.com";
	o.certificate_oidc_issuer = "https://issuer.example";
	v = NULL;
	assert_int_equal(signet_verifier_new(&v, ctx, &o), SIGNET_EINVAL);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "exactly one source of trust"));
	memcpy(&old, &o, sizeof(old));
	old.version = 5;
	assert_int_equal(signet_verifier_new(&v, ctx, &old), 0);
	assert_null(v->opts.trusted_root_file);
	signet_verifier_free(v);
	/* Alone: an identity without a trusted root, a root without the
	 * identity, both SIGNET_EINVAL; a root that cannot be read, ENOTFOUND. */
	o.contract_file = NULL;
	o.trusted_root_file = NULL;
	assert_int_equal(signet_verifier_new(&v, ctx, &o), SIGNET_EINVAL);
	o.trusted_root_file = "/nonexistent/trusted_root.json";
	o.certificate_identity = NULL;
	assert_int_equal(signet_verifier_new(&v, ctx, &o), SIGNET_EINVAL);
	assert_non_null(
	    strstr(signet_ctx_errmsg(ctx), "nothing keyless is accepted without a pinned identity"));
	o.certificate_identity = "a@example.com";
	assert_int_equal(signet_verifier_new(&v, ctx, &o), SIGNET_ENOTFOUND);
	old.version = SIGNET_VERIFIER_OPTIONS_VERSION + 1;
	assert_int_equal(signet_verifier_new(&v, ctx, &old), SIGNET_EINVAL);
	signet_ctx_free(ctx);
}

/* ---- --creds ---------------------------------------------------------- */

static void test_creds_host_option(void **state)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	signet_ctx *ctx = NULL;

	(void)state;
	o.creds = "user:pw";
	o.creds_host = "r.example:5000";
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_string_equal(sn_ctx_creds_for(ctx, "r.example:5000"), "user:pw");
	assert_string_equal(sn_ctx_creds_for(ctx, "R.Example:5000"), "user:pw");
	assert_null(sn_ctx_creds_for(ctx, "r.example"));
	assert_null(sn_ctx_creds_for(ctx, "evil.example:5000"));
	/* bound already: binding again changes nothing */
	assert_int_equal(sn_ctx_bind_creds(ctx, "evil.example", NULL), 0);
	assert_null(sn_ctx_creds_for(ctx, "evil.example"));
	signet_ctx_free(ctx);

	/* docker.io goes by three names */
	o.creds_host = "index.docker.io";
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_string_equal(sn_ctx_creds_for(ctx, "docker.io"), "user:pw");
	assert_null(sn_ctx_creds_for(ctx, "quay.io"));
	signet_ctx_free(ctx);

	/* refused: empty, a path, a host without credentials */
	ctx = NULL;
	o.creds_host = "";
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);
	o.creds_host = "r.example/ns";
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);
	o.creds_host = "r.example";
	o.creds = NULL;
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);
	assert_null(ctx);

	/* Unbound (version 1 reads no creds_host): the first host binds. */
	o.creds = "user:pw";
	o.creds_host = "r.example";
	o.version = 1;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_null(sn_ctx_creds_for(ctx, "r.example"));
	assert_int_equal(sn_ctx_bind_creds(ctx, "first.example", NULL), 0);
	assert_string_equal(sn_ctx_creds_for(ctx, "first.example"), "user:pw");
	assert_int_equal(sn_ctx_bind_creds(ctx, "second.example", NULL), 0);
	assert_null(sn_ctx_creds_for(ctx, "second.example"));
	signet_ctx_free(ctx);
	o.version = SIGNET_CTX_OPTIONS_VERSION + 1;
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);
}

/* signet_gate with --key FILE (any file: nothing is verified when the
 * gate refuses) in a context with creds. */
static int gate(signet_ctx **ctx, signet_gate_report **r, const char *creds_host, const char *workload)
{
	signet_ctx_options co = SIGNET_CTX_OPTIONS_INIT;
	signet_verifier_options vo = SIGNET_VERIFIER_OPTIONS_INIT;
	const char *keys[1];
	signet_verifier *v = NULL;
	char key[1100];
	int rc;

	(void)snprintf(key, sizeof(key), "%s", file("key.asc", "not used\n"));
	keys[0] = key;
	co.creds = "user:pw";
	co.creds_host = creds_host;
	co.connect_timeout_ms = 2000;
	co.request_timeout_ms = 2000;
	assert_int_equal(signet_ctx_new(ctx, &co), 0);
	vo.gpg_key_files = keys;
	vo.n_gpg_key_files = 1;
	assert_int_equal(signet_verifier_new(&v, *ctx, &vo), 0);
	rc = signet_gate(r, v, file("workload.yml", workload), NULL);
	signet_verifier_free(v);
	return rc;
}

static void test_gate_creds(void **state)
{
	signet_gate_report *r = NULL;
	signet_ctx *ctx = NULL;
	const char *msg;

	(void)state;
	/* Two hosts (a third reference does not parse and counts for none;
	 * docker.io twice, under two spellings): refused before any request. */
	assert_int_equal(gate(&ctx, &r, NULL,
	                      "services:\n  a: {image: \"127.0.0.1:1/app:v1\"}\n  b: {image: busybox}\n"
	                      "  c: {image: \"docker.io/library/busybox:1\"}\n  d: {image: \"Bad/Name\"}\n"
	                      "  e: {image: \"127.0.0.1:1/other@" D_A "\"}\n"),
	                 SIGNET_EINVAL);
	assert_null(r);
	msg = signet_ctx_errmsg(ctx);
	assert_non_null(strstr(msg, "names images on 2 registry hosts (127.0.0.1:1, docker.io)"));
	assert_non_null(strstr(msg, "--creds"));
	assert_non_null(strstr(msg, "--authfile"));
	assert_non_null(strstr(msg, "workload.auths"));
	assert_null(ctx->creds_host);
	signet_ctx_free(ctx);

	/* One host: bound to it, then verified (the port is closed). */
	assert_int_not_equal(gate(&ctx, &r, NULL, "services:\n  a: {image: \"127.0.0.1:1/app:v1\"}\n"),
	                     SIGNET_EINVAL);
	assert_non_null(r);
	assert_non_null(ctx->creds_host);
	assert_string_equal(ctx->creds_host, "127.0.0.1:1");
	signet_gate_report_free(r);
	r = NULL;
	signet_ctx_free(ctx);

	/* Bound by the caller: several hosts are verified; only that one
	 * would get the credentials. */
	assert_int_not_equal(
	    gate(&ctx, &r, "127.0.0.1:1",
	         "services:\n  a: {image: \"127.0.0.1:1/app:v1\"}\n  b: {image: \"127.0.0.1:2/b:v1\"}\n"),
	    SIGNET_EINVAL);
	assert_int_equal(signet_gate_report_count(r), 2);
	assert_null(sn_ctx_creds_for(ctx, "127.0.0.1:2"));
	signet_gate_report_free(r);
	signet_ctx_free(ctx);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[200];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vouched_forms),
	    cmocka_unit_test(test_vouches_nothing),
	    cmocka_unit_test(test_verifier_options_versions),
	    cmocka_unit_test(test_creds_host_option),
	    cmocka_unit_test(test_gate_creds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
