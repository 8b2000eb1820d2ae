/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_client.c: the parts of the registry client that need no
 * registry: WWW-Authenticate parsing, host comparison, argument checks and
 * connection failures on loopback.  The HTTP behaviour against real
 * registries is in tests/integration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "registry/client_internal.h"

static int parse1(struct sn_challenge *c, const char *header, struct sn_err *e)
{
	const char *v[1] = {header};

	return sn_challenge_parse(c, v, 1, e);
}

static void test_challenge_bearer(void **state)
{
	struct sn_challenge c = {0};
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(parse1(&c,
	                        "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
	                        "scope=\"repository:a/b:pull\"",
	                        &e),
	                 0);
	assert_int_equal(c.kind, SN_AUTH_BEARER);
	assert_string_equal(c.realm, "https://auth.example/token");
	assert_string_equal(c.service, "registry.example");
	assert_string_equal(c.scope, "repository:a/b:pull");
	/* case-insensitive scheme and names, spaces around "=", token values,
	 * unknown parameters ignored */
	assert_int_equal(
	    parse1(&c, "bearer REALM = \"https://x/t\" , Service=svc, error=\"insufficient_scope\"", &e), 0);
	assert_int_equal(c.kind, SN_AUTH_BEARER);
	assert_string_equal(c.realm, "https://x/t");
	assert_string_equal(c.service, "svc");
	assert_null(c.scope);
	/* backslash escapes in quoted strings */
	assert_int_equal(parse1(&c, "Bearer realm=\"https://x/t\",service=\"a \\\"q\\\" \\\\ b\"", &e), 0);
	assert_string_equal(c.service, "a \"q\" \\ b");
	sn_challenge_clear(&c);
}

static void test_challenge_choice(void **state)
{
	const char *two[2] = {"Basic realm=\"x\"", "Bearer realm=\"https://y/token\""};
	struct sn_challenge c = {0};
	struct sn_err e = {0};

	(void)state;
	/* Bearer preferred, in one header or across headers */
	assert_int_equal(parse1(&c, "Basic realm=\"x\", Bearer realm=\"https://y/token\",service=\"s\"", &e),
	                 0);
	assert_int_equal(c.kind, SN_AUTH_BEARER);
	assert_string_equal(c.realm, "https://y/token");
	assert_string_equal(c.service, "s");
	assert_int_equal(sn_challenge_parse(&c, two, 2, &e), 0);
	assert_int_equal(c.kind, SN_AUTH_BEARER);
	assert_string_equal(c.realm, "https://y/token");
	assert_int_equal(parse1(&c, "Basic realm=\"registry\"", &e), 0);
	assert_int_equal(c.kind, SN_AUTH_BASIC);
	assert_string_equal(c.realm, "registry");
	assert_int_equal(parse1(&c, "Basic", &e), 0);
	assert_int_equal(c.kind, SN_AUTH_BASIC);
	/* schemes signet does not speak */
	assert_int_equal(parse1(&c, "Negotiate", &e), 0);
	assert_int_equal(c.kind, SN_AUTH_OTHER);
	assert_int_equal(parse1(&c, "Negotiate abc+/==, Digest realm=\"d\", nonce=\"n\"", &e), 0);
	assert_int_equal(c.kind, SN_AUTH_OTHER);
	assert_int_equal(sn_challenge_parse(&c, NULL, 0, &e), 0);
	assert_int_equal(c.kind, SN_AUTH_NONE);
	sn_challenge_clear(&c);
}

static void test_challenge_malformed(void **state)
{
	static const struct {
		const char *header, *reason;
	} bad[] = {
	    {"Bearer realm=\"https://x/t\",realm=\"https://y/t\"", "duplicate parameter"},
	    {"Bearer realm=\"https://x/t\",REALM=\"https://y/t\"", "duplicate parameter"},
	    {"Bearer realm=\"https://x/t", "unterminated quoted string"},
	    {"Bearer realm=\"https://x/t\\", "invalid escape"},
	    {"Bearer realm=\"a\x01b\"", "control character"},
	    {"Bearer realm=https://x/t", "unexpected character"}, /* a URL must be quoted */
	    {"Bearer realm=", "without realm"},                   /* a token68, grammatically */
	    {"Bearer realm=\"x\",service=", "has no value"},
	    {"Bearer service=\"s\"", "without realm"},
	    {"Bearer realm=\"\"", "without realm"},
	    {"Bearer realm=\"https://x/t\" service=\"s\"", "unexpected character"},
	    {"=realm", "expected a scheme"},
	    {"Bearer; realm=\"x\"", "unexpected character"},
	};
	struct sn_challenge c = {SN_AUTH_BASIC, NULL, NULL, NULL};
	struct sn_err e = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse1(&c, bad[i].header, &e), SIGNET_EREGISTRY);
		if (strstr(e.msg, bad[i].reason) == NULL || strstr(e.msg, "WWW-Authenticate") == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", bad[i].header, e.msg, bad[i].reason);
		/* untouched on failure */
		assert_int_equal(c.kind, SN_AUTH_BASIC);
		assert_null(c.realm);
	}
}

static void test_same_host(void **state)
{
	(void)state;
	assert_true(sn_url_same_host("https://reg.example:5000/v2/", "https://REG.example:5000/x?y=1"));
	assert_true(sn_url_same_host("https://reg.example/v2/", "https://reg.example:443/"));
	assert_true(sn_url_same_host("https://[::1]:5000/v2/", "http://[::1]:5000/v2/x"));
	assert_false(sn_url_same_host("https://reg.example/v2/", "http://reg.example/v2/")); /* 443 vs 80 */
	assert_false(sn_url_same_host("https://reg.example/v2/", "https://storage.example/blob"));
	assert_false(sn_url_same_host("https://reg.example:5000/", "https://reg.example:5001/"));
	assert_false(sn_url_same_host("https://reg.example/", "not a url"));
	assert_false(sn_url_same_host(NULL, "https://reg.example/"));
}

static void test_arguments(void **state)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	struct sn_registry *r = NULL, *r2 = NULL;
	struct sn_err e = {0};
	signet_ctx *ctx = NULL;
	char *ct = (char *)"untouched";
	char digest[SN_DIGEST_MAX] = "untouched";
	struct sn_buf b;
	int exists = 7;

	(void)state;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(sn_registry_get(&r, ctx, "bad host/x", &e), SIGNET_EINVAL);
	assert_int_equal(sn_registry_get(&r, ctx, "", &e), SIGNET_EINVAL);
	assert_int_equal(sn_registry_get(&r, ctx, "localhost:1", &e), 0);
	assert_int_equal(sn_registry_get(&r2, ctx, "localhost:1", &e), 0);
	assert_ptr_equal(r, r2); /* one handle per host, reused */
	assert_int_equal(sn_registry_get(&r2, ctx, "docker.io", &e), 0);
	assert_ptr_not_equal(r, r2);
	assert_string_equal(r2->host, "registry-1.docker.io");

	/* Checked before any connection is made. */
	assert_int_equal(sn_registry_get_manifest(r, "Upper/case", "v1", &b, &ct, digest, &e), SIGNET_EINVAL);
	assert_non_null(strstr(e.msg, "invalid repository name \"Upper/case\""));
	assert_int_equal(b.len, 0);
	assert_string_equal(ct, "untouched");
	assert_string_equal(digest, "untouched");
	assert_int_equal(sn_registry_get_manifest(r, "a/b", "bad tag", &b, &ct, digest, &e), SIGNET_EINVAL);
	assert_non_null(strstr(e.msg, "invalid tag"));
	assert_int_equal(sn_registry_get_manifest(r, "a/b", "sha256:abc", &b, &ct, digest, &e),
	                 SIGNET_EINVAL);
	assert_int_equal(sn_registry_get_manifest(r, "a//b", "v1", &b, &ct, digest, &e), SIGNET_EINVAL);
	assert_int_equal(sn_registry_get_manifest(r, "a/b?x=1", "v1", &b, &ct, digest, &e), SIGNET_EINVAL);
	assert_int_equal(sn_registry_head_manifest(r, "a/../b", "v1", &exists, &ct, digest, &e),
	                 SIGNET_EINVAL);
	assert_int_equal(exists, 7);
	assert_int_equal(sn_registry_get_blob(r, "a/b", "v1", 10, "config", &b, &e), SIGNET_EINVAL);
	assert_int_equal(sn_registry_put_manifest(r, "a/b", "v1", "{}", 2, "text/plain\r\nX: y", &e),
	                 SIGNET_EINVAL);
	/* pushing bytes under a digest they do not have is refused locally */
	assert_int_equal(
	    sn_registry_put_blob(r, "a/b",
	                         "sha256:0000000000000000000000000000000000000000000000000000000000000000",
	                         "x", 1, &e),
	    SIGNET_EINTEGRITY);
	signet_ctx_free(ctx);
}

static void test_connection_refused(void **state)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	struct sn_registry *r = NULL;
	struct sn_err e = {0};
	signet_ctx *ctx = NULL;
	struct sn_buf b;

	(void)state;
	/* Nothing listens on port 1 of loopback. */
	o.connect_timeout_ms = 2000;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(sn_registry_get(&r, ctx, "127.0.0.1:1", &e), 0);
	assert_int_equal(sn_registry_get_manifest(r, "a/b", "v1", &b, NULL, NULL, &e), SIGNET_ENETWORK);
	assert_non_null(strstr(e.msg, "registry 127.0.0.1:1: GET https://127.0.0.1:1/v2/: "));
	assert_null(strstr(e.msg, "http://")); /* TLS verification on: never plain HTTP */
	assert_int_equal(sn_registry_ping(r, &e), SIGNET_ENETWORK);
	signet_ctx_free(ctx);

	/* tls_verify off: https, then the plain HTTP fallback, both named */
	o.tls_verify = 0;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(sn_registry_get(&r, ctx, "127.0.0.1:1", &e), 0);
	assert_int_equal(sn_registry_ping(r, &e), SIGNET_ENETWORK);
	assert_non_null(strstr(e.msg, "GET https://127.0.0.1:1/v2/: "));
	assert_non_null(strstr(e.msg, "; plain HTTP fallback: GET http://127.0.0.1:1/v2/: "));
	signet_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_challenge_bearer),    cmocka_unit_test(test_challenge_choice),
	    cmocka_unit_test(test_challenge_malformed), cmocka_unit_test(test_same_host),
	    cmocka_unit_test(test_arguments),           cmocka_unit_test(test_connection_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
