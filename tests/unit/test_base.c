/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_base.c: errors, bounded buffers, digests, strict JSON,
 * bounded reads and atomic writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

static void test_buf_limit(void **state)
{
	struct sn_buf b;
	struct sn_err e = { 0 };

	(void)state;
	sn_buf_init(&b, 8, "widget");
	assert_int_equal(sn_buf_append(&b, "12345678", 8, &e), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal((char *)b.data, "12345678");
	assert_int_equal(sn_buf_append(&b, "9", 1, &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "widget"));
	assert_non_null(strstr(e.msg, "limit of 8 bytes"));
	assert_int_equal(b.len, 8); /* nothing half-appended */
	/* A huge n must not overflow the length check. */
	assert_int_equal(sn_buf_append(&b, "", SIZE_MAX, &e), SIGNET_ELIMIT);
	sn_buf_free(&b);
}

static void test_errctx_prefixes(void **state)
{
	struct sn_err e = { 0 };

	(void)state;
	assert_int_equal(sn_seterr(&e, SIGNET_EBADINPUT, "bad %s", "thing"), SIGNET_EBADINPUT);
	assert_int_equal(sn_errctx(&e, "file %s: ", "x.json"), SIGNET_EBADINPUT);
	assert_string_equal(e.msg, "file x.json: bad thing");
	assert_int_equal(sn_seterr(NULL, SIGNET_EIO, "ignored"), SIGNET_EIO);
}

static void test_digest_validate(void **state)
{
	static const char *good[] = {
		"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	};
	static const char *bad[] = {
		"",
		"sha256",
		"sha256:",
		"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
		"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
		"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
		"sha384:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"md5:0123456789abcdef0123456789abcdef",
		"SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
	};
	struct sn_err e = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(sn_digest_validate(good[i], &e), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sn_digest_validate(bad[i], &e), SIGNET_EBADINPUT);
		assert_non_null(strstr(e.msg, "invalid digest"));
	}
}

static void test_digest_compute_check(void **state)
{
	/* sha256("abc") and sha512("abc") from FIPS 180-2. */
	static const char s256[] = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char s512[] = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
				   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
	char out[SN_DIGEST_MAX];
	struct sn_err e = { 0 };

	(void)state;
	assert_int_equal(sn_digest_compute(out, "sha256", "abc", 3, &e), 0);
	assert_string_equal(out, s256);
	assert_int_equal(sn_digest_compute(out, "sha512", "abc", 3, &e), 0);
	assert_string_equal(out, s512);
	assert_int_equal(sn_digest_check(s256, "abc", 3, "blob", &e), 0);
	assert_int_equal(sn_digest_check(s512, "abc", 3, "blob", &e), 0);
	assert_int_equal(sn_digest_check(s256, "abd", 3, "blob", &e), SIGNET_EINTEGRITY);
	assert_non_null(strstr(e.msg, "blob: digest mismatch"));
	assert_non_null(strstr(e.msg, s256));
	assert_int_equal(sn_digest_check("sha256:xyz", "abc", 3, "blob", &e), SIGNET_EBADINPUT);
}

static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 1);

	for (int i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth * 2 - 1 - i] = ']';
	}
	s[depth * 2] = '\0';
	return s;
}

static void test_json_strict(void **state)
{
	struct sn_err e = { 0 };
	json_t *j = NULL;
	char *s;

	(void)state;
	assert_int_equal(sn_json_parse(&j, "{\"a\":1}", 7, "doc", &e), 0);
	json_decref(j);
	j = NULL;
	assert_int_equal(sn_json_parse(&j, "{\"a\":1,\"a\":2}", 13, "doc", &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "doc: invalid JSON"));
	assert_non_null(strstr(e.msg, "duplicate"));
	assert_int_equal(sn_json_parse(&j, "{\"a\":1} x", 9, "doc", &e), SIGNET_EBADINPUT);
	assert_int_equal(sn_json_parse(&j, "{\"a\":1}{}", 9, "doc", &e), SIGNET_EBADINPUT);
	assert_int_equal(sn_json_parse(&j, "{\"a\":\"\\u0000\"}", 14, "doc", &e), SIGNET_EBADINPUT);
	assert_int_equal(sn_json_parse(&j, "{\"a\":\"\xff\"}", 9, "doc", &e), SIGNET_EBADINPUT);
	assert_null(j);

	/* Exactly the limit parses; one level more is refused naming it.
	 * A bracket inside a string does not count. */
	s = nested(SIGNET_MAX_JSON_DEPTH);
	assert_int_equal(sn_json_parse(&j, s, strlen(s), "doc", &e), 0);
	json_decref(j);
	free(s);
	s = nested(SIGNET_MAX_JSON_DEPTH + 1);
	assert_int_equal(sn_json_parse(&j, s, strlen(s), "doc", &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "nesting deeper than the limit of 64"));
	free(s);
	assert_int_equal(sn_json_parse(&j, "[\"[[[[\\\"[[\"]", 12, "doc", &e), 0);
	json_decref(j);
}

static int count_entries(const char *dir)
{
	struct dirent *d;
	DIR *dh = opendir(dir);
	int n = 0;

	while ((d = readdir(dh)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dh);
	return n;
}

static void test_files(void **state)
{
	char dir[] = "/tmp/signet-test-base-XXXXXX";
	char path[256], link_path[256];
	struct sn_err e = { 0 };
	struct sn_buf b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	snprintf(link_path, sizeof(link_path), "%s/link.json", dir);

	assert_int_equal(sn_file_write_atomic(path, "hello", 5, 0644, 1, &e), 0);
	/* exclusive never replaces, and leaves no temporary file behind */
	assert_int_equal(sn_file_write_atomic(path, "other", 5, 0644, 1, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "exists already"));
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(sn_file_read(&b, path, 16, "greeting", 0, &e), 0);
	assert_string_equal((char *)b.data, "hello");
	sn_buf_free(&b);
	/* non-exclusive replaces */
	assert_int_equal(sn_file_write_atomic(path, "bye", 3, 0644, 0, &e), 0);
	assert_int_equal(count_entries(dir), 1);

	assert_int_equal(sn_file_read(&b, path, 2, "greeting", 0, &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "limit of 2 bytes"));
	assert_int_equal(sn_file_read(&b, "/nonexistent/x", 2, "greeting", 0, &e), SIGNET_ENOTFOUND);
	assert_non_null(strstr(e.msg, "/nonexistent/x"));
	assert_int_equal(symlink(path, link_path), 0);
	assert_int_equal(sn_file_read(&b, link_path, 16, "blob", SN_FILE_NOFOLLOW, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(sn_file_read(&b, link_path, 16, "blob", 0, &e), 0);
	sn_buf_free(&b);
	assert_int_equal(sn_file_read(&b, dir, 16, "blob", 0, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "not a regular file"));

	/* A FIFO where a file is expected is refused at once, not waited on. */
	unlink(link_path);
	assert_int_equal(mkfifo(link_path, 0600), 0);
	assert_int_equal(sn_file_read(&b, link_path, 16, "blob", SN_FILE_NOFOLLOW, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "not a regular file"));

	unlink(link_path);
	unlink(path);
	rmdir(dir);
}

static void test_strerror_and_u64(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_string_equal(signet_strerror(SIGNET_EDENIED), "denied");
	assert_string_equal(signet_strerror(12345), "unknown error");
	assert_int_equal(sn_parse_u64("42", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(sn_parse_u64("101", 100, &v), SIGNET_EBADINPUT);
	assert_int_equal(sn_parse_u64("-1", 100, &v), SIGNET_EBADINPUT);
	assert_int_equal(sn_parse_u64("4x", 100, &v), SIGNET_EBADINPUT);
	assert_int_equal(sn_parse_u64("", 100, &v), SIGNET_EBADINPUT);
	assert_int_equal(sn_parse_u64("99999999999999999999999", UINT64_MAX, &v), SIGNET_EBADINPUT);
}

static void test_base64_strict(void **state)
{
	static const char *bad[] = { "", "Zm9", "Zm9v\n", "Zm 9v", "Zg==Zm9v", "Zh==", "Zm9=", "Zm9v====", "Z===",
				     "Zm9v-_==" };
	unsigned char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(sn_base64_decode(&out, &len, "Zm9vYmFy", 8), 0);
	assert_int_equal(len, 6);
	assert_string_equal((char *)out, "foobar");
	free(out);
	assert_int_equal(sn_base64_decode(&out, &len, "Zm8=", 4), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(out, "fo", 2);
	free(out);
	assert_int_equal(sn_base64_decode(&out, &len, "Zg==", 4), 0);
	assert_int_equal(len, 1);
	free(out);
	out = NULL;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sn_base64_decode(&out, &len, bad[i], strlen(bad[i])), SIGNET_EBADINPUT);
	assert_null(out);
}

/* The relaxations are opt-in, one at a time; the encoder round-trips and
 * breaks lines where asked. */
static void test_base64_flags_and_encode(void **state)
{
	unsigned char *out = NULL;
	size_t len = 1;
	struct sn_buf b;

	(void)state;
	assert_int_equal(sn_base64_decode_flags(&out, &len, "", 0, SN_BASE64_EMPTY_OK), 0);
	assert_int_equal(len, 0);
	free(out);
	out = NULL;
	assert_int_equal(sn_base64_decode_flags(&out, &len, "Zh==", 4, SN_BASE64_EMPTY_OK), SIGNET_EBADINPUT);
	assert_int_equal(sn_base64_decode_flags(&out, &len, "Zh==", 4, SN_BASE64_LAX_PAD_BITS), 0);
	assert_int_equal(len, 1);
	assert_int_equal(out[0], 'f');
	free(out);
	out = NULL;
	assert_int_equal(sn_base64_decode_flags(&out, &len, "", 0, SN_BASE64_LAX_PAD_BITS), SIGNET_EBADINPUT);
	assert_int_equal(sn_base64_decode_flags(&out, &len, "Zm9", 3, SN_BASE64_EMPTY_OK | SN_BASE64_LAX_PAD_BITS),
	                 SIGNET_EBADINPUT);
	assert_null(out);

	sn_buf_init(&b, 1024, "encoded");
	assert_int_equal(sn_base64_encode(&b, (const unsigned char *)"foobar", 6, 0, NULL), 0);
	assert_string_equal((char *)b.data, "Zm9vYmFy");
	sn_buf_reset(&b);
	assert_int_equal(sn_base64_encode(&b, (const unsigned char *)"foobar", 6, 4, NULL), 0);
	assert_string_equal((char *)b.data, "Zm9v\nYmFy\n");
	sn_buf_free(&b);
	sn_buf_init(&b, 4, "encoded");
	assert_int_equal(sn_base64_encode(&b, (const unsigned char *)"foobar", 6, 0, NULL), SIGNET_ELIMIT);
	sn_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_limit),	  cmocka_unit_test(test_errctx_prefixes),
		cmocka_unit_test(test_digest_validate),	  cmocka_unit_test(test_digest_compute_check),
		cmocka_unit_test(test_json_strict),	  cmocka_unit_test(test_files),
		cmocka_unit_test(test_strerror_and_u64),  cmocka_unit_test(test_base64_strict),
		cmocka_unit_test(test_base64_flags_and_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
