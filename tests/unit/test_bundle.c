/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_bundle.c: Sigstore bundles (verify/bundle.c) against the
 * fixed P-256 key whose private half fixtures/make-fuzz-seeds.sh holds:
 * the signed seed verifies and its statement reads back; every broken
 * seed and every tampering is refused with its code and the JSON path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/verify.h"

static const char fixed_key[] = "-----BEGIN PUBLIC KEY-----\n"
                                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHYKiitLRz/JtfYI44pCpExOZXLxl\n"
                                "vkBOqqkkbqG9BC0EFBZJCkjtR4+vBfd7eB3fS71aOTzzjmYAKJMzFIALQw==\n"
                                "-----END PUBLIC KEY-----\n";
#define SEED_DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void *state_new(void)
{
	struct sn_buf k = {(unsigned char *)(uintptr_t)fixed_key, sizeof(fixed_key) - 1, 0, 0, NULL};
	const char *name = "fixed";
	struct sn_err e = {0};
	void *st = NULL;

	assert_int_equal(sn_sigstore_backend.verifier_new(&st, &k, &name, 1, &e), 0);
	return st;
}

/* fixtures/fuzz/bundle/NAME, NUL-terminated. */
static char *seed(const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *data = malloc(1 << 16);

	assert_non_null(data);
	(void)snprintf(path, sizeof(path), "%s/fuzz/bundle/%s", FIXTURES_DIR, name);
	assert_non_null(f = fopen(path, "rb"));
	*len = fread(data, 1, (1 << 16) - 1, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

static int verify(void *st, const char *data, size_t len, struct sn_buf *stmt, struct sn_err *e)
{
	struct sn_signer who = {NULL, NULL, NULL};
	int rc = sn_bundle_verify(st, (const unsigned char *)data, len, stmt, &who, e);

	if (rc == 0)
		assert_string_equal(who.fingerprint, who.signing_fingerprint);
	sn_signer_clear(&who);
	return rc;
}

static void test_signed_seed(void **unused)
{
	void *st = state_new();
	struct sn_payload *p = NULL;
	struct sn_err e = {0};
	struct sn_buf stmt;
	size_t len;
	char *b = seed("signed", &len);

	(void)unused;
	assert_int_equal(verify(st, b, len, &stmt, &e), 0);
	assert_int_equal(sn_statement_parse(&p, stmt.data, stmt.len, "registry.test/signet/app", &e), 0);
	assert_string_equal(p->manifest_digest, SEED_DIGEST);
	assert_string_equal(p->type, SN_COSIGN_SIGN_PREDICATE);
	assert_string_equal(p->docker_reference, "registry.test/signet/app");
	assert_string_equal(json_string_value(json_object_get(p->optional, "env")), "prod");
	sn_payload_free(p);
	sn_buf_free(&stmt);
	free(b);
	sn_sigstore_backend.verifier_free(st);
}

/* The signed seed with its first occurrence of from replaced by to. */
static char *edited(const char *from, const char *to, size_t *len)
{
	size_t n;
	char *b = seed("signed", &n), *at = strstr(b, from), *out;

	assert_non_null(at);
	assert_non_null(out = malloc(n + strlen(to) + 1));
	memcpy(out, b, (size_t)(at - b));
	memcpy(out + (at - b), to, strlen(to));
	memcpy(out + (at - b) + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
	*len = strlen(out);
	free(b);
	return out;
}

static void expect(void *st, const char *data, size_t len, int code, const char *msg)
{
	struct sn_err e = {0};
	struct sn_buf stmt;

	assert_int_equal(verify(st, data, len, &stmt, &e), code);
	if (strstr(e.msg, msg) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg);
}

static void test_refusals(void **unused)
{
	static const struct {
		const char *name;
		int code;
		const char *msg;
	} bad[] = {
	    {"bad-keyless", SIGNET_EUNSUPPORTED, "verificationMaterial: a certificate (keyless signing)"},
	    {"bad-two-signatures", SIGNET_EBADINPUT, "dsseEnvelope.signatures: 2 signatures, exactly one"},
	    {"bad-base64", SIGNET_EBADINPUT, "dsseEnvelope.signatures[0].sig: not valid base64"},
	    {"bad-message-signature", SIGNET_EUNSUPPORTED, "messageSignature: a signature over a blob"},
	    {"statement", SIGNET_EBADINPUT, "(top level): unknown member \"_type\""},
	};
	void *st = state_new();
	size_t len;
	char *b;

	(void)unused;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = seed(bad[i].name, &len);
		expect(st, b, len, bad[i].code, bad[i].msg);
		free(b);
	}
	/* Tampering: the payload type (part of what is signed), the
	 * signature, a member's type, an unknown member. */
	b = edited("\"payloadType\":\"application/vnd.in-toto+json\"", "\"payloadType\":\"text/plain\"",
	           &len);
	expect(st, b, len, SIGNET_EBADINPUT, "dsseEnvelope.payloadType: \"text/plain\", not");
	free(b);
	b = edited("\"keyid\":\"\"", "\"keyid\":\"\",\"extra\":1", &len);
	expect(st, b, len, SIGNET_EBADINPUT, "dsseEnvelope.signatures[0]: unknown member \"extra\"");
	free(b);
	b = edited("\"hint\":\"x\"", "\"hint\":7", &len);
	expect(st, b, len, SIGNET_EBADINPUT, "verificationMaterial.publicKey.hint: not a string");
	free(b);
	b = edited("\"sig\":\"M", "\"sig\":\"N", &len);
	expect(st, b, len, SIGNET_EDENIED, "not signed by any pinned key");
	free(b);
	b = edited("v0.3+json", "v0.9+json", &len);
	expect(st, b, len, SIGNET_EBADINPUT,
	       "mediaType: \"application/vnd.dev.sigstore.bundle.v0.9+json\" is not");
	free(b);
	sn_sigstore_backend.verifier_free(st);
}

static void test_statement(void **unused)
{
	static const struct {
		const char *text;
		int code;
		const char *msg;
	} cases[] = {
	    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"AB\"}}],"
	     "\"predicateType\":\"" SN_COSIGN_SIGN_PREDICATE "\"}",
	     SIGNET_EBADINPUT, "subject[0].digest.sha256: \"AB\" is not 64 lowercase hex digits"},
	    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"x\"}",
	     SIGNET_EBADINPUT, "subject: a cosign image signature names exactly one subject"},
	    {"{\"_type\":\"x\",\"subject\":[],\"predicateType\":\"x\"}", SIGNET_EBADINPUT,
	     "_type: not an in-toto"},
	    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha512\":\"00\"}}],"
	     "\"predicateType\":\"x\"}",
	     SIGNET_EBADINPUT, "subject[0].digest: no sha256 digest"},
	    {"{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":"
	     "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}}],"
	     "\"predicateType\":\"https://slsa.dev/provenance/v1\"}",
	     SIGNET_EDENIED, "an attestation, not a cosign image signature"},
	    {"{\"_type\":\"https://in-toto.io/Statement/"
	     "v1\",\"subject\":[],\"predicateType\":\"x\",\"more\":1}",
	     SIGNET_EBADINPUT, "unknown member \"more\""},
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sn_payload *p = NULL;
		struct sn_err e = {0};

		assert_int_equal(sn_statement_parse(&p, cases[i].text, strlen(cases[i].text), "r.test/a", &e),
		                 cases[i].code);
		assert_null(p);
		if (strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, e.msg, cases[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signed_seed),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_statement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
