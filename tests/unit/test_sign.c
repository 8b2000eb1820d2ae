/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_sign.c: payload creation and OpenPGP signing with the
 * provider's GnuPG (built only with the signer feature), including
 * interoperability with skopeo standalone-sign.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "sign/sign.h"

#define D256 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_payload_create_bytes(void **state)
{
	static const char want[] =
	    "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.test/a/b:v1\"},"
	    "\"image\":{\"docker-manifest-digest\":\"" D256 "\"},\"type\":\"atomic container signature\"},"
	    "\"optional\":{\"creator\":\"signet-test\",\"timestamp\":1700000000}}";
	struct sn_payload *p = NULL;
	struct sn_buf out;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(sn_payload_create(&out, SN_PAYLOAD_TYPE_SIMPLE, "registry.test/a/b:v1", D256,
	                                   "signet-test", 1700000000, &e),
	                 0);
	assert_int_equal(out.len, sizeof(want) - 1);
	assert_memory_equal(out.data, want, out.len);
	assert_int_equal(out.max, SIGNET_MAX_SIGNATURE_SIZE);
	sn_buf_free(&out);

	/* Default creator; the cosign type; parses back with its own type. */
	assert_int_equal(
	    sn_payload_create(&out, SN_PAYLOAD_TYPE_COSIGN, "registry.test/a/b", D256, NULL, 5, &e), 0);
	assert_int_equal(sn_payload_parse(&p, out.data, out.len, SN_PAYLOAD_TYPE_COSIGN, &e), 0);
	assert_string_equal(p->creator, "signet " SIGNET_VERSION);
	assert_int_equal(p->timestamp, 5);
	assert_string_equal(p->docker_reference, "registry.test/a/b");
	sn_payload_free(p);
	sn_buf_free(&out);
}

static void create_refused(const char *type, const char *ref, const char *digest, const char *creator,
                           const char *sub)
{
	struct sn_buf out;
	struct sn_err e = {0};

	memset(&out, 0x5a, sizeof(out));
	assert_int_equal(sn_payload_create(&out, type, ref, digest, creator, 1, &e), SIGNET_EINVAL);
	if (strstr(e.msg, sub) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, sub);
	assert_int_equal(((unsigned char *)&out)[0], 0x5a); /* untouched */
}

static void test_payload_create_refused(void **state)
{
	(void)state;
	create_refused("atomic", "r/a:b", D256, NULL, "unknown type");
	create_refused(NULL, "r/a:b", D256, NULL, "unknown type");
	create_refused(SN_PAYLOAD_TYPE_SIMPLE, "", D256, NULL, "empty docker reference");
	create_refused(SN_PAYLOAD_TYPE_SIMPLE, NULL, D256, NULL, "empty docker reference");
	create_refused(SN_PAYLOAD_TYPE_SIMPLE, "r/a:b", "sha256:abc", NULL, "invalid digest");
	create_refused(SN_PAYLOAD_TYPE_SIMPLE, "r/a:\xff", D256, NULL, "not valid UTF-8");
	create_refused(SN_PAYLOAD_TYPE_SIMPLE, "r/a:b", D256, "\xc3", "not valid UTF-8");
}

#if SIGNET_HAVE_GPGME

#include "gpg_fixture.h"

static int group_setup(void **state)
{
	(void)state;
	return fx_setup();
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

static void sign_ok(struct sn_buf *sig, const char *fpr, const char *pass_file, const char *home)
{
	struct sn_buf payload;
	struct sn_err e = {0};

	fx_read(&payload, "payload.json");
	if (sn_openpgp_sign(sig, fpr, pass_file, home, payload.data, payload.len, &e) != 0)
		fail_msg("signing with %s: %s", fpr, e.msg);
	sn_buf_free(&payload);
}

static void sign_refused(const char *fpr, const char *pass_file, const char *home, int code, const char *sub)
{
	struct sn_buf payload, sig;
	struct sn_err e = {0};
	int rc;

	fx_read(&payload, "payload.json");
	memset(&sig, 0x5a, sizeof(sig));
	rc = sn_openpgp_sign(&sig, fpr, pass_file, home, payload.data, payload.len, &e);
	if (getenv("SIGNET_TEST_VERBOSE") != NULL)
		(void)printf("sign refused: %d %s\n", rc, e.msg);
	if (rc != code || strstr(e.msg, sub) == NULL)
		fail_msg("signing with %s: got %d \"%s\", expected %d with \"%s\"", fpr, rc, e.msg, code,
		         sub);
	assert_int_equal(((unsigned char *)&sig)[0], 0x5a);
	assert_null(strstr(e.msg, "signet-test-passphrase"));
	sn_buf_free(&payload);
}

/* Verifies sig with key file pinned; checks payload and signer. */
static void check_sig(const struct sn_buf *sig, const char *keyfile, const char *primary, const char *signing)
{
	const struct sn_sig_backend *b = &sn_openpgp_backend;
	struct sn_buf key, got, want;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_err e = {0};
	void *v = NULL;

	fx_read(&key, keyfile);
	if (b->verifier_new(&v, &key, &keyfile, 1, &e) != 0 ||
	    b->verify(v, sig->data, sig->len, &got, &who, &e) != 0)
		fail_msg("verifying with %s: %s", keyfile, e.msg);
	fx_read(&want, "payload.json");
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	assert_string_equal(who.fingerprint, primary);
	assert_string_equal(who.signing_fingerprint, signing);
	b->verifier_free(v);
	sn_signer_clear(&who);
	sn_buf_free(&got);
	sn_buf_free(&want);
	sn_buf_free(&key);
}

static void test_sign_round_trip(void **state)
{
	struct sn_buf sig;
	char lower[80];

	(void)state;
	sign_ok(&sig, fx_fpr("A"), NULL, fx_home);
	/* binary, compressed by gpg's default: not armored */
	assert_int_equal(sig.data[0], 0xa3);
	check_sig(&sig, "A.asc", fx_fpr("A"), fx_fpr("A"));
	sn_buf_free(&sig);

	/* Fingerprint spelling: lower case and a 0x prefix are fine. */
	(void)snprintf(lower, sizeof(lower), "0x%s", fx_fpr("B"));
	for (char *p = lower + 2; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	sign_ok(&sig, lower, NULL, fx_home);
	check_sig(&sig, "B.gpg", fx_fpr("B"), fx_fpr("B"));
	sn_buf_free(&sig);
}

static void test_sign_with_signing_subkey(void **state)
{
	struct sn_buf sig;

	(void)state;
	/* The primary is certify-only: gpg signs with the subkey. */
	sign_ok(&sig, fx_fpr("C"), NULL, fx_home);
	check_sig(&sig, "C.asc", fx_fpr("C"), fx_fpr("C_SUB"));
	sn_buf_free(&sig);
}

static void test_sign_ambient_home(void **state)
{
	struct sn_buf sig;
	char *old = getenv("GNUPGHOME");

	(void)state;
	old = old != NULL ? strdup(old) : NULL;
	assert_int_equal(setenv("GNUPGHOME", fx_home, 1), 0);
	sign_ok(&sig, fx_fpr("A"), NULL, NULL);
	assert_int_equal(old != NULL ? setenv("GNUPGHOME", old, 1) : unsetenv("GNUPGHOME"), 0);
	free(old);
	check_sig(&sig, "A.gpg", fx_fpr("A"), fx_fpr("A"));
	sn_buf_free(&sig);
}

static void test_sign_bad_fingerprints(void **state)
{
	char short_id[17];

	(void)state;
	sign_refused("signet test A", NULL, fx_home, SIGNET_EINVAL, "not a fingerprint");
	(void)snprintf(short_id, sizeof(short_id), "%s", fx_fpr("A") + 24); /* the long key id */
	sign_refused(short_id, NULL, fx_home, SIGNET_EINVAL, "not a fingerprint");
	sign_refused(NULL, NULL, fx_home, SIGNET_EINVAL, "no fingerprint");
	sign_refused("0123456789ABCDEF0123456789ABCDEF01234567", NULL, fx_home, SIGNET_ENOTFOUND,
	             "no such secret key");
	sign_refused(fx_fpr("EXPIRED"), NULL, fx_home, SIGNET_EINVAL, "has expired");
	sign_refused(fx_fpr("REVOKED"), NULL, fx_home, SIGNET_EINVAL, "has been revoked");
}

static void test_sign_passphrase_file(void **state)
{
	char wrong[512], crlf[512], two[512], good[512], missing[512];
	struct sn_buf sig;

	(void)state;
	fx_path(good, "P.passphrase");
	fx_path(wrong, "wrong.passphrase");
	fx_path(crlf, "crlf.passphrase");
	fx_path(two, "two.passphrase");
	fx_path(missing, "missing.passphrase");
	assert_int_equal(fx_sh("printf 'not-it\\n' > '%s' && printf 'signet-test-passphrase\\r\\n' > '%s' && "
	                       "printf 'signet-test-passphrase\\nx\\n' > '%s'",
	                       wrong, crlf, two),
	                 0);
	/* The wrong one first: gpg-agent caches nothing in the fixture home. */
	sign_refused(fx_fpr("P"), wrong, fx_home, SIGNET_EINVAL, "bad passphrase");
	sign_refused(fx_fpr("P"), two, fx_home, SIGNET_EINVAL, "more than one line");
	sign_refused(fx_fpr("P"), missing, fx_home, SIGNET_ENOTFOUND, "missing.passphrase");
	sign_ok(&sig, fx_fpr("P"), good, fx_home);
	check_sig(&sig, "P.asc", fx_fpr("P"), fx_fpr("P"));
	sn_buf_free(&sig);
	sign_ok(&sig, fx_fpr("P"), crlf, fx_home);
	check_sig(&sig, "P.asc", fx_fpr("P"), fx_fpr("P"));
	sn_buf_free(&sig);
	/* A passphrase file for a key without passphrase is simply unused. */
	sign_ok(&sig, fx_fpr("A"), wrong, fx_home);
	sn_buf_free(&sig);
}

static void test_sign_limit(void **state)
{
	struct sn_buf sig;
	struct sn_err e = {0};
	char *big = calloc(1, SIGNET_MAX_SIGNATURE_SIZE + 1);

	(void)state;
	assert_non_null(big);
	assert_int_equal(
	    sn_openpgp_sign(&sig, fx_fpr("A"), NULL, fx_home, big, SIGNET_MAX_SIGNATURE_SIZE + 1, &e),
	    SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "limit of 4194304 bytes"));
	free(big);
}

/* skopeo standalone-sign (containers/image through gpgme) makes a
 * signature signet verifies, and its payload bytes are the ones
 * sn_payload_create writes for the same values. */
static void test_skopeo_interop(void **state)
{
	const struct sn_sig_backend *b = &sn_openpgp_backend;
	struct sn_buf sig, key, got, mine;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_payload *p = NULL;
	struct sn_err e = {0};
	const char *name = "A.asc";
	char digest[SN_DIGEST_MAX];
	void *v = NULL;

	(void)state;
	if (fx_sh("command -v skopeo >/dev/null") != 0)
		skip();
	assert_int_equal(fx_sh("cd '%s' && printf '%%s' '{\"schemaVersion\":2,\"mediaType\":"
	                       "\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
	                       "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":2},"
	                       "\"layers\":[]}' > manifest.json && GNUPGHOME='%s' skopeo standalone-sign "
	                       "manifest.json registry.test/signet/app:v1 %s -o skopeo.sig 2>>gpg.log",
	                       fx_dir, D256, fx_home, fx_fpr("A")),
	                 0);
	fx_read(&sig, "skopeo.sig");
	fx_read(&key, "A.asc");
	fx_read(&mine, "manifest.json");
	assert_int_equal(sn_digest_compute(digest, "sha256", mine.data, mine.len, &e), 0);
	sn_buf_free(&mine);
	if (b->verifier_new(&v, &key, &name, 1, &e) != 0 ||
	    b->verify(v, sig.data, sig.len, &got, &who, &e) != 0)
		fail_msg("%s", e.msg);
	assert_string_equal(who.fingerprint, fx_fpr("A"));
	assert_int_equal(sn_payload_parse(&p, got.data, got.len, SN_PAYLOAD_TYPE_SIMPLE, &e), 0);
	assert_string_equal(p->docker_reference, "registry.test/signet/app:v1");
	assert_string_equal(p->manifest_digest, digest);
	assert_non_null(p->creator);
	assert_true(p->has_timestamp);
	assert_int_equal(sn_payload_create(&mine, SN_PAYLOAD_TYPE_SIMPLE, p->docker_reference,
	                                   p->manifest_digest, p->creator, p->timestamp, &e),
	                 0);
	assert_int_equal(mine.len, got.len);
	assert_memory_equal(mine.data, got.data, got.len);
	sn_payload_free(p);
	b->verifier_free(v);
	sn_signer_clear(&who);
	sn_buf_free(&mine);
	sn_buf_free(&got);
	sn_buf_free(&key);
	sn_buf_free(&sig);
}

#endif /* SIGNET_HAVE_GPGME */

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_payload_create_bytes),
	    cmocka_unit_test(test_payload_create_refused),
	};
	int rc = cmocka_run_group_tests_name("payload_create", tests, NULL, NULL);
#if SIGNET_HAVE_GPGME
	const struct CMUnitTest gpg_tests[] = {
	    cmocka_unit_test(test_sign_round_trip),      cmocka_unit_test(test_sign_with_signing_subkey),
	    cmocka_unit_test(test_sign_ambient_home),    cmocka_unit_test(test_sign_bad_fingerprints),
	    cmocka_unit_test(test_sign_passphrase_file), cmocka_unit_test(test_sign_limit),
	    cmocka_unit_test(test_skopeo_interop),
	};

	rc |= cmocka_run_group_tests_name("openpgp_sign", gpg_tests, group_setup, group_teardown);
#endif
	return rc;
}
