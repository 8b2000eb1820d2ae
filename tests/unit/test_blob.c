/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_blob.c: signature blob format detection (SPEC §3.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "verify/verify.h"

static int detect(enum sn_sig_format *f, const unsigned char **c, size_t *cl, const void *data, size_t len,
                  struct sn_err *e)
{
	return sn_sig_detect(f, c, cl, data, len, e);
}

/* Every first byte of containers/image's table is simple signing, the
 * chunk being the whole blob; every other byte but 0x00 is refused. */
static void test_first_byte_table(void **state)
{
	static const unsigned char simple[] = {0xa0, 0xa1, 0xa2, 0xa3, 0xc8, 0x90, 0x91, 0x92,
	                                       0x93, 0xc4, 0x88, 0x89, 0x8a, 0x8b, 0xc2};
	unsigned char blob[4] = {0, 1, 2, 3};

	(void)state;
	for (unsigned int b = 1; b < 256; b++) {
		enum sn_sig_format f = (enum sn_sig_format)99;
		const unsigned char *chunk = NULL;
		size_t chunk_len = 0;
		struct sn_err e = {0};
		int expect = memchr(simple, (int)b, sizeof(simple)) != NULL;
		int rc;

		blob[0] = (unsigned char)b;
		rc = detect(&f, &chunk, &chunk_len, blob, sizeof(blob), &e);
		if (expect) {
			assert_int_equal(rc, 0);
			assert_int_equal(f, SN_SIG_SIMPLE_SIGNING);
			assert_ptr_equal(chunk, blob);
			assert_int_equal(chunk_len, sizeof(blob));
		} else {
			if (rc != SIGNET_EBADINPUT)
				fail_msg("first byte 0x%02x: rc %d", b, rc);
			assert_int_equal(f, 99); /* untouched */
			assert_null(chunk);
			assert_non_null(strstr(e.msg, "signature blob: "));
		}
	}
}

static void refused(const void *data, size_t len, const char *sub)
{
	enum sn_sig_format f;
	const unsigned char *chunk;
	size_t chunk_len;
	struct sn_err e = {0};

	assert_int_equal(detect(&f, &chunk, &chunk_len, data, len, &e), SIGNET_EBADINPUT);
	if (strstr(e.msg, sub) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, sub);
}

static void test_descriptions(void **state)
{
	(void)state;
	refused("", 0, "empty");
	refused("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n", 47, "cleartext-signed");
	refused("-----BEGIN PGP MESSAGE-----\n", 28, "ASCII-armored");
	refused("-----BEGIN PGP SIGNATURE-----\n", 30, "ASCII-armored");
	refused("{\"payload\":\"\"}", 14, "JSON without");
	refused("hello", 5, "first byte 0x68");
	refused("\xcb\x0e", 2, "unsigned OpenPGP literal data"); /* new-format literal */
	refused("\xac\x0e", 2, "unsigned OpenPGP literal data"); /* old-format literal */
	refused("\x8c\x0d", 2, "encrypted OpenPGP message");     /* symmetric session key */
	refused("\xc3\x0d", 2, "encrypted OpenPGP message");     /* ... new format */
	refused("\x84\x0c", 2, "encrypted OpenPGP message");     /* public-key session key */
	refused("\x99\x01", 2, "OpenPGP public key");            /* exported key */
	refused("\x95\x01", 2, "OpenPGP secret key");
	refused("\xb4\x01", 2, "cannot start a signature"); /* user id */
}

static void test_format_header(void **state)
{
	static const char ss[] = "\0simple-signing\n\xa3\x01xyz";
	static const char sj[] = "\0sigstore-json\n{\"mimeType\":\"x\"}";
	enum sn_sig_format f;
	const unsigned char *chunk;
	size_t chunk_len;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(detect(&f, &chunk, &chunk_len, ss, sizeof(ss) - 1, &e), 0);
	assert_int_equal(f, SN_SIG_SIMPLE_SIGNING);
	assert_ptr_equal(chunk, (const unsigned char *)ss + 16);
	assert_int_equal(chunk_len, 5);
	assert_int_equal(detect(&f, &chunk, &chunk_len, sj, sizeof(sj) - 1, &e), 0);
	assert_int_equal(f, SN_SIG_SIGSTORE_JSON);
	assert_memory_equal(chunk, "{\"mimeType\":\"x\"}", chunk_len);

	refused("\0simple-signing\n", 16, "header with no content");
	refused("\0", 1, "no \"\\0FORMAT\\n\" header");
	refused("\0simple-signing", 15, "no \"\\0FORMAT\\n\" header");
	refused("\0cosign\nabc", 11, "unknown signature format \"cosign\"");
	refused("\0Simple-Signing\nabc", 19, "unknown signature format \"Simple-Signing\"");
	refused("\0a\x01"
	        "b\nabc",
	        8, "unprintable");
	/* The name is bounded: no newline within the first 65 bytes. */
	{
		char big[200];

		memset(big, 'a', sizeof(big));
		big[0] = '\0';
		big[150] = '\n';
		refused(big, sizeof(big), "no \"\\0FORMAT\\n\" header");
	}
}

static void test_signer_clear(void **state)
{
	struct sn_signer s = {NULL, NULL, NULL};

	(void)state;
	sn_signer_clear(NULL);
	sn_signer_clear(&s);
	s.fingerprint = sn_strdup("AB", NULL);
	s.uid = sn_strdup("x", NULL);
	sn_signer_clear(&s);
	assert_null(s.fingerprint);
	assert_null(s.uid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_byte_table),
	    cmocka_unit_test(test_descriptions),
	    cmocka_unit_test(test_format_header),
	    cmocka_unit_test(test_signer_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
