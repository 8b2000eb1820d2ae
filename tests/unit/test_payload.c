/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_payload.c: strict simple-signing payload parsing (SPEC §3.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/verify.h"

#define D256 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define D512                                                                                                 \
	"sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"                            \
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SIMPLE SN_PAYLOAD_TYPE_SIMPLE
#define COSIGN SN_PAYLOAD_TYPE_COSIGN

/* A payload with the given critical.type, digest, reference and optional. */
static char *make(const char *type, const char *digest, const char *ref, const char *optional)
{
	static char buf[4096];

	(void)snprintf(buf, sizeof(buf),
	               "{\"critical\":{\"type\":\"%s\",\"image\":{\"docker-manifest-digest\":\"%s\"},"
	               "\"identity\":{\"docker-reference\":\"%s\"}},\"optional\":%s}",
	               type, digest, ref, optional);
	return buf;
}

static int parse(struct sn_payload **p, const char *text, const char *type, struct sn_err *e)
{
	return sn_payload_parse(p, text, strlen(text), type, e);
}

/* Asserts that text is refused with EBADINPUT and a message containing
 * every one of the given substrings. */
static void refused(const char *text, const char *type, const char *sub1, const char *sub2)
{
	struct sn_payload *p = (struct sn_payload *)0x1;
	struct sn_err e = {0};

	assert_int_equal(parse(&p, text, type, &e), SIGNET_EBADINPUT);
	assert_ptr_equal(p, (struct sn_payload *)0x1); /* untouched */
	if (strstr(e.msg, sub1) == NULL || (sub2 != NULL && strstr(e.msg, sub2) == NULL))
		fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", e.msg, sub1, sub2 != NULL ? sub2 : "");
	assert_non_null(strstr(e.msg, "signature payload"));
}

static void test_good(void **state)
{
	struct sn_payload *p = NULL;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(
	    parse(&p,
	          make(SIMPLE, D256, "registry.test/ns/app:v1",
	               "{\"creator\":\"atomic 2.0.0\",\"timestamp\":1700000000,\"other\":[1,{\"x\":null}]}"),
	          SIMPLE, &e),
	    0);
	assert_string_equal(p->type, SIMPLE);
	assert_string_equal(p->manifest_digest, D256);
	assert_string_equal(p->docker_reference, "registry.test/ns/app:v1");
	assert_string_equal(p->creator, "atomic 2.0.0");
	assert_true(p->has_timestamp);
	assert_int_equal(p->timestamp, 1700000000);
	assert_non_null(p->optional);
	assert_non_null(json_object_get(p->optional, "other")); /* unknown optional keys kept, ignored */
	sn_payload_free(p);
	sn_payload_free(NULL);
}

static void test_optional_empty_and_negative_timestamp(void **state)
{
	struct sn_payload *p = NULL;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(parse(&p, make(SIMPLE, D256, "r/a:b", "{}"), SIMPLE, &e), 0);
	assert_null(p->creator);
	assert_false(p->has_timestamp);
	sn_payload_free(p);
	assert_int_equal(parse(&p, make(SIMPLE, D256, "r/a:b", "{\"timestamp\":-5}"), SIMPLE, &e), 0);
	assert_int_equal(p->timestamp, -5);
	sn_payload_free(p);
	/* An integral number written as a real counts, as in containers/image. */
	assert_int_equal(parse(&p, make(SIMPLE, D256, "r/a:b", "{\"timestamp\":1.7e9}"), SIMPLE, &e), 0);
	assert_int_equal(p->timestamp, 1700000000);
	sn_payload_free(p);
}

static void test_missing_optional(void **state)
{
	(void)state;
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\"}}}",
	        SIMPLE, "(top level): missing key \"optional\"", NULL);
	refused("{\"optional\":{}}", SIMPLE, "missing key \"critical\"", NULL);
}

static void test_optional_null(void **state)
{
	struct sn_payload *p = NULL;
	struct sn_err e = {0};

	(void)state;
	refused(make(SIMPLE, D256, "r/a:b", "null"), SIMPLE, "optional: must be an object, not null",
	        "only in cosign payloads");
	assert_int_equal(parse(&p, make(COSIGN, D256, "r/a", "null"), COSIGN, &e), 0);
	assert_null(p->optional);
	assert_null(p->creator);
	assert_false(p->has_timestamp);
	assert_string_equal(p->docker_reference, "r/a");
	sn_payload_free(p);
	/* cosign payloads with an optional object work as well */
	assert_int_equal(parse(&p, make(COSIGN, D256, "r/a", "{\"creator\":\"x\"}"), COSIGN, &e), 0);
	sn_payload_free(p);
	refused(make(SIMPLE, D256, "r/a:b", "[]"), SIMPLE, "optional: must be an object, not an array", NULL);
	refused(make(COSIGN, D256, "r/a", "\"x\""), COSIGN, "optional: must be an object, not a string",
	        NULL);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\"},\"extra\":1},\"optional\":{}}",
	        SIMPLE, "critical: unknown key \"extra\"", NULL);
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\","
	        "\"foo\":1},\"identity\":{\"docker-reference\":\"r/a:b\"}},\"optional\":{}}",
	        SIMPLE, "critical.image: unknown key \"foo\"", NULL);
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\",\"foo\":\"x\"}},\"optional\":{}}",
	        SIMPLE, "signature payload: critical.identity: unknown key \"foo\"", NULL);
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\"}},\"optional\":{},\"extra\":{}}",
	        SIMPLE, "(top level): unknown key \"extra\"", NULL);
	/* Key names are case-sensitive. */
	refused("{\"Critical\":{},\"optional\":{}}", SIMPLE, "unknown key \"Critical\"", NULL);
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\"}},\"optional\":{}}",
	        SIMPLE, "critical.image: missing key \"docker-manifest-digest\"", NULL);
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"}},"
	        "\"optional\":{}}",
	        SIMPLE, "critical: missing key \"identity\"", NULL);
}

static void test_duplicates(void **state)
{
	(void)state;
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\",\"docker-reference\":\"evil/"
	        "x:y\"}},\"optional\":{}}",
	        SIMPLE, "duplicate", NULL);
	refused(make(SIMPLE, D256, "r/a:b", "{\"creator\":\"a\",\"creator\":\"b\"}"), SIMPLE, "duplicate",
	        NULL);
	/* Even inside ignored parts of optional. */
	refused(make(SIMPLE, D256, "r/a:b", "{\"x\":{\"y\":1,\"y\":2}}"), SIMPLE, "duplicate", NULL);
}

static void test_wrong_type(void **state)
{
	(void)state;
	refused(make(COSIGN, D256, "r/a:b", "{}"), SIMPLE,
	        "critical.type: \"cosign container image signature\" is not the expected \"atomic container "
	        "signature\"",
	        NULL);
	refused(make(SIMPLE, D256, "r/a", "{}"), COSIGN, "critical.type", "is not the expected");
	refused(make("Atomic container signature", D256, "r/a:b", "{}"), SIMPLE, "critical.type", NULL);
	refused("{\"critical\":{\"type\":1,\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\"}},\"optional\":{}}",
	        SIMPLE, "critical.type: must be a string, not a number", NULL);
}

static void test_timestamp(void **state)
{
	(void)state;
	refused(make(SIMPLE, D256, "r/a:b", "{\"timestamp\":1.5}"), SIMPLE,
	        "optional.timestamp: 1.5 is not an integer", NULL);
	refused(make(SIMPLE, D256, "r/a:b", "{\"timestamp\":\"1700000000\"}"), SIMPLE,
	        "optional.timestamp: must be an integer, not a string", NULL);
	refused(make(SIMPLE, D256, "r/a:b", "{\"timestamp\":null}"), SIMPLE,
	        "optional.timestamp: must be an integer, not null", NULL);
	/* A literal too large for 64 bits is refused by the JSON parser. */
	refused(make(SIMPLE, D256, "r/a:b", "{\"timestamp\":99999999999999999999999}"), SIMPLE,
	        "invalid JSON", "too big");
	refused(make(SIMPLE, D256, "r/a:b", "{\"timestamp\":1e300}"), SIMPLE, "optional.timestamp",
	        "out of range");
	refused(make(SIMPLE, D256, "r/a:b", "{\"timestamp\":9.3e18}"), SIMPLE, "optional.timestamp",
	        "out of range");
}

static void test_creator_not_string(void **state)
{
	(void)state;
	refused(make(SIMPLE, D256, "r/a:b", "{\"creator\":42}"), SIMPLE,
	        "optional.creator: must be a string, not a number", NULL);
	refused(make(SIMPLE, D256, "r/a:b", "{\"creator\":null}"), SIMPLE,
	        "optional.creator: must be a string, not null", NULL);
}

/* The parser keeps the reference verbatim: an upper-case (invalid)
 * reference parses, and identity matching (policy/) refuses it later. */
static void test_reference_verbatim(void **state)
{
	struct sn_payload *p = NULL;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(parse(&p, make(SIMPLE, D256, "Registry.Test/NS/App:V1", "{}"), SIMPLE, &e), 0);
	assert_string_equal(p->docker_reference, "Registry.Test/NS/App:V1");
	sn_payload_free(p);
	assert_int_equal(parse(&p, make(SIMPLE, D256, "docker.io/library/busybox@" D256, "{}"), SIMPLE, &e),
	                 0);
	assert_string_equal(p->docker_reference, "docker.io/library/busybox@" D256);
	sn_payload_free(p);
	refused(make(SIMPLE, D256, "", "{}"), SIMPLE, "critical.identity.docker-reference: empty", NULL);
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":null}},\"optional\":{}}",
	        SIMPLE, "critical.identity.docker-reference: must be a string, not null", NULL);
}

static void test_digests(void **state)
{
	struct sn_payload *p = NULL;
	struct sn_err e = {0};

	(void)state;
	/* A sha512 digest is a valid digest: the parser accepts it; whether
	 * it matches the image is decided by the caller. */
	assert_int_equal(parse(&p, make(SIMPLE, D512, "r/a:b", "{}"), SIMPLE, &e), 0);
	assert_string_equal(p->manifest_digest, D512);
	sn_payload_free(p);
	refused(make(SIMPLE, "sha256:0123", "r/a:b", "{}"), SIMPLE, "critical.image.docker-manifest-digest",
	        "invalid digest");
	refused(make(SIMPLE, "md5:0123456789abcdef0123456789abcdef", "r/a:b", "{}"), SIMPLE,
	        "critical.image.docker-manifest-digest", "unsupported algorithm");
	refused(make(SIMPLE, "SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	             "r/a:b", "{}"),
	        SIMPLE, "critical.image.docker-manifest-digest", NULL);
	refused(make(SIMPLE, "sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	             "r/a:b", "{}"),
	        SIMPLE, "critical.image.docker-manifest-digest", "lowercase");
}

static void test_trailing_and_shape(void **state)
{
	char buf[4096 + 16];

	(void)state;
	(void)snprintf(buf, sizeof(buf), "%s{}", make(SIMPLE, D256, "r/a:b", "{}"));
	refused(buf, SIMPLE, "invalid JSON", NULL);
	(void)snprintf(buf, sizeof(buf), "%sx", make(SIMPLE, D256, "r/a:b", "{}"));
	refused(buf, SIMPLE, "invalid JSON", NULL);
	refused("[]", SIMPLE, "must be a JSON object, not an array", NULL);
	refused("", SIMPLE, "invalid JSON", NULL);
	refused("{\"critical\":[],\"optional\":{}}", SIMPLE, "critical: must be an object, not an array",
	        NULL);
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":\"" D256 "\","
	        "\"identity\":{\"docker-reference\":\"r/a:b\"}},\"optional\":{}}",
	        SIMPLE, "critical.image: must be an object, not a string", NULL);
	/* Trailing white space is not data. */
	(void)snprintf(buf, sizeof(buf), "%s \n", make(SIMPLE, D256, "r/a:b", "{}"));
	{
		struct sn_payload *p = NULL;
		struct sn_err e = {0};

		assert_int_equal(parse(&p, buf, SIMPLE, &e), 0);
		sn_payload_free(p);
	}
}

static void test_unprintable_key_quoted(void **state)
{
	(void)state;
	refused("{\"critical\":{\"type\":\"" SIMPLE "\",\"image\":{\"docker-manifest-digest\":\"" D256 "\"},"
	        "\"identity\":{\"docker-reference\":\"r/a:b\",\"a\\u001bb\":1}},\"optional\":{}}",
	        SIMPLE, "unknown key \"a?b\"", NULL);
}

static void test_depth_limit(void **state)
{
	char buf[1024];
	size_t n = 0;
	struct sn_payload *p = NULL;
	struct sn_err e = {0};

	(void)state;
	n += (size_t)snprintf(buf, sizeof(buf), "%s", "{\"critical\":{},\"optional\":{\"x\":");
	for (int i = 0; i < SIGNET_MAX_JSON_DEPTH; i++)
		buf[n++] = '[';
	for (int i = 0; i < SIGNET_MAX_JSON_DEPTH; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	buf[n++] = '}';
	assert_int_equal(sn_payload_parse(&p, buf, n, SIMPLE, &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "nesting"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_optional_empty_and_negative_timestamp),
	    cmocka_unit_test(test_missing_optional),
	    cmocka_unit_test(test_optional_null),
	    cmocka_unit_test(test_unknown_keys),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_wrong_type),
	    cmocka_unit_test(test_timestamp),
	    cmocka_unit_test(test_creator_not_string),
	    cmocka_unit_test(test_reference_verbatim),
	    cmocka_unit_test(test_digests),
	    cmocka_unit_test(test_trailing_and_shape),
	    cmocka_unit_test(test_unprintable_key_quoted),
	    cmocka_unit_test(test_depth_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
