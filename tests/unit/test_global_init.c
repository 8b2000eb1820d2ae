/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_global_init.c: signet_global_init (base/ctx.c), in a
 * process of its own: the choice is process-wide and must come before
 * OpenSSL's first use, so the tests run in this order.  With
 * SIGNET_GLOBAL_ONE_SHOT, OpenSSL has no text for a libcrypto error (its
 * code stays, and `openssl errstr` explains it) and still computes
 * digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <signet/common.h>

#include "base/digest.h"

static void test_unknown_flags_refused(void **state)
{
	(void)state;
	assert_int_equal(signet_global_init(0x2u), SIGNET_EINVAL);
	assert_int_equal(signet_global_init(SIGNET_GLOBAL_ONE_SHOT | 0x80000000u), SIGNET_EINVAL);
}

/* Must be the first test that lets OpenSSL initialize. */
static void test_one_shot(void **state)
{
	static const char junk[] =
	    "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
	char digest[SN_DIGEST_MAX];
	struct sn_err e = {0};
	unsigned long code;
	BIO *bio;

	(void)state;
	assert_int_equal(signet_global_init(SIGNET_GLOBAL_ONE_SHOT), SIGNET_OK);

	/* A libcrypto error keeps its code and has no text. */
	ERR_clear_error();
	bio = BIO_new_mem_buf(junk, (int)strlen(junk));
	assert_non_null(bio);
	assert_null(PEM_read_bio_X509(bio, NULL, NULL, NULL));
	BIO_free(bio);
	code = ERR_peek_last_error();
	assert_int_not_equal(code, 0);
	assert_int_equal(ERR_GET_LIB(code), ERR_LIB_PEM);
	assert_null(ERR_reason_error_string(code));
	assert_null(ERR_lib_error_string(code));
	ERR_clear_error();

	/* OpenSSL still works: SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
	assert_int_equal(sn_digest_compute(digest, "sha256", "abc", 3, &e), 0);
	assert_string_equal(digest,
	                    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* Once OpenSSL is initialized, another call changes nothing and succeeds. */
static void test_again(void **state)
{
	(void)state;
	assert_int_equal(signet_global_init(SIGNET_GLOBAL_ONE_SHOT), SIGNET_OK);
	assert_int_equal(signet_global_init(0), SIGNET_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unknown_flags_refused),
	    cmocka_unit_test(test_one_shot),
	    cmocka_unit_test(test_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
