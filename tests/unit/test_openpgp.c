/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_openpgp.c: the OpenPGP backend against real gpg-made
 * signatures and keys (fixtures/make-gpg-keys.sh): good signatures, and
 * every way a signature or a pinned key must be refused.
 */
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

#include "config.h"
#include "verify/verify.h"


#include <zlib.h>

#include "gpg_fixture.h"
#if SIGNET_HAVE_GPGME
#include "sign/sign.h"
#endif

#define MAX_PINS 8

static const struct sn_sig_backend *const B = &sn_openpgp_backend;

/* A verifier pinned to the fixture files named in a NULL-terminated list. */
static int vpin(void **v, struct sn_err *e, const char *first, va_list ap)
{
	struct sn_buf keys[MAX_PINS];
	const char *names[MAX_PINS] = {NULL};
	size_t n = 0;
	int rc;

	memset(keys, 0, sizeof(keys));

	for (const char *name = first; name != NULL; name = va_arg(ap, const char *)) {
		assert_true(n < MAX_PINS);
		fx_read(&keys[n], name);
		names[n++] = name;
	}
	rc = B->verifier_new(v, keys, names, n, e);
	for (size_t i = 0; i < n; i++)
		sn_buf_free(&keys[i]);
	return rc;
}

static void *pin(const char *first, ...)
{
	struct sn_err e = {0};
	void *v = NULL;
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = vpin(&v, &e, first, ap);
	va_end(ap);
	if (rc != 0)
		fail_msg("pinning %s: %d %s", first, rc, e.msg);
	return v;
}

/* Pinning must fail with code and a message containing sub1 and sub2. */
static void pin_refused(int code, const char *sub1, const char *sub2, const char *first, ...)
{
	struct sn_err e = {0};
	void *v = (void *)0x1;
	va_list ap;
	int rc;

	va_start(ap, first);
	rc = vpin(&v, &e, first, ap);
	va_end(ap);
	if (getenv("SIGNET_TEST_VERBOSE") != NULL)
		(void)printf("pin refused: %d %s\n", rc, e.msg);
	if (rc != code || strstr(e.msg, sub1) == NULL || (sub2 != NULL && strstr(e.msg, sub2) == NULL))
		fail_msg("pinning %s: got %d \"%s\", expected %d with \"%s\"", first, rc, e.msg, code, sub1);
	assert_ptr_equal(v, (void *)0x1);
}

/* Same with raw key bytes. */
static void pin_bytes_refused(const void *data, size_t len, const char *name, int code, const char *sub)
{
	struct sn_buf key;
	struct sn_err e = {0};
	void *v = (void *)0x1;
	int rc;

	sn_buf_init(&key, 1u << 20, "key");
	assert_int_equal(sn_buf_append(&key, data, len, NULL), 0);
	rc = B->verifier_new(&v, &key, &name, 1, &e);
	if (getenv("SIGNET_TEST_VERBOSE") != NULL)
		(void)printf("pin refused: %d %s\n", rc, e.msg);
	if (rc != code || strstr(e.msg, sub) == NULL || strstr(e.msg, name) == NULL)
		fail_msg("pinning %s: got %d \"%s\", expected %d with \"%s\"", name, rc, e.msg, code, sub);
	assert_ptr_equal(v, (void *)0x1);
	sn_buf_free(&key);
}

/* Verifies blob and expects success by the given signer. */
static void accepted(void *v, const void *blob, size_t len, const char *primary, const char *signing)
{
	struct sn_buf payload, expected;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_err e = {0};
	int rc;

	rc = B->verify(v, blob, len, &payload, &who, &e);
	if (rc != 0)
		fail_msg("verify: %d %s", rc, e.msg);
	fx_read(&expected, "payload.json");
	assert_int_equal(payload.len, expected.len);
	assert_memory_equal(payload.data, expected.data, expected.len);
	assert_int_equal(payload.max, SIGNET_MAX_SIGNATURE_SIZE);
	assert_string_equal(who.fingerprint, primary);
	assert_string_equal(who.signing_fingerprint, signing);
	assert_non_null(who.uid);
	assert_non_null(strstr(who.uid, "signet test"));
	sn_buf_free(&payload);
	sn_buf_free(&expected);
	sn_signer_clear(&who);
}

static void accepted_file(void *v, const char *file, const char *primary, const char *signing)
{
	struct sn_buf b;

	fx_read(&b, file);
	accepted(v, b.data, b.len, primary, signing);
	sn_buf_free(&b);
}

/* Verifies blob and expects code with sub in the message; outputs untouched. */
static void refused(void *v, const void *blob, size_t len, int code, const char *sub)
{
	struct sn_buf payload;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_err e = {0};
	int rc;

	memset(&payload, 0xa5, sizeof(payload));
	rc = B->verify(v, blob, len, &payload, &who, &e);
	if (getenv("SIGNET_TEST_VERBOSE") != NULL)
		(void)printf("verify refused: %d %s\n", rc, e.msg);
	if (rc != code || strstr(e.msg, sub) == NULL)
		fail_msg("verify: got %d \"%s\", expected %d with \"%s\"", rc, e.msg, code, sub);
	assert_null(who.fingerprint);
	assert_int_equal(((unsigned char *)&payload)[0], 0xa5);
}

static void refused_file(void *v, const char *file, int code, const char *sub)
{
	struct sn_buf b;

	fx_read(&b, file);
	refused(v, b.data, b.len, code, sub);
	sn_buf_free(&b);
}

/* gpg --sign of payload.json into out by fixture key k1 (and k2 unless
 * NULL), with extra options. */
static void gpg_sign(const char *out, const char *k1, const char *k2, const char *opts)
{
	char u2[128] = "";

	if (k2 != NULL)
		(void)snprintf(u2, sizeof(u2), "-u %s", fx_fpr(k2));
	assert_int_equal(fx_gpg("-u %s %s %s --sign -o '%s' payload.json", fx_fpr(k1), u2, opts, out), 0);
}

static int group_setup(void **state)
{
	(void)state;
	if (fx_setup() != 0)
		return -1;
	/* Signatures shared by several tests. */
	if (fx_gpg("-u %s --sign -o good-A.sig payload.json", fx_fpr("A")) != 0 ||
	    fx_gpg("-u %s --sign -o good-B.sig payload.json", fx_fpr("B")) != 0 ||
	    fx_gpg("-u %s -z 0 --sign -o unc-A.sig payload.json", fx_fpr("A")) != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

/* ---- good signatures ----------------------------------------------- */

static void test_good_gpg_cli(void **state)
{
	void *v;

	(void)state;
	v = pin("A.asc", NULL);
	accepted_file(v, "good-A.sig", fx_fpr("A"), fx_fpr("A"));
	accepted_file(v, "unc-A.sig", fx_fpr("A"), fx_fpr("A")); /* uncompressed (-z 0) */
	/* The verifier is reusable. */
	accepted_file(v, "good-A.sig", fx_fpr("A"), fx_fpr("A"));
	B->verifier_free(v);
	B->verifier_free(NULL);
}

static void test_good_binary_key_ed25519(void **state)
{
	void *v;

	(void)state;
	v = pin("B.gpg", NULL);
	accepted_file(v, "good-B.sig", fx_fpr("B"), fx_fpr("B"));
	B->verifier_free(v);
}

static void test_good_stdin_partial_lengths(void **state)
{
	void *v;

	(void)state;
	/* From a pipe gpg does not know the size: the literal packet uses
	 * partial body lengths once the payload is large enough. */
	assert_int_equal(
	    fx_sh("cd '%s' && { cat payload.json; head -c 100000 /dev/zero | tr '\\0' ' '; } > big.json",
	          fx_dir),
	    0);
	assert_int_equal(fx_gpg("-u %s -z 0 --sign -o big.sig < big.json", fx_fpr("A")), 0);
	v = pin("A.asc", NULL);
	{
		struct sn_buf blob, want, payload;
		struct sn_signer who = {NULL, NULL, NULL};
		struct sn_err e = {0};

		fx_read(&blob, "big.sig");
		fx_read(&want, "big.json");
		/* one-pass signature (15 bytes), then a new-format literal
		 * packet whose first length octet is a partial one */
		assert_int_equal(blob.data[15], 0xcb);
		assert_in_range(blob.data[16], 224, 254);
		if (B->verify(v, blob.data, blob.len, &payload, &who, &e) != 0)
			fail_msg("%s", e.msg);
		assert_int_equal(payload.len, want.len);
		assert_memory_equal(payload.data, want.data, want.len);
		sn_buf_free(&payload);
		sn_buf_free(&blob);
		sn_buf_free(&want);
		sn_signer_clear(&who);
	}
	B->verifier_free(v);
}

static void test_several_certificates_in_one_file(void **state)
{
	struct sn_buf a, b, both;
	struct sn_err e = {0};
	const char *name = "A+B";
	void *v = NULL;

	(void)state;
	for (int armored = 0; armored < 2; armored++) {
		fx_read(&a, armored ? "A.asc" : "A.gpg");
		fx_read(&b, armored ? "B.asc" : "B.gpg");
		sn_buf_init(&both, 1u << 20, "keys");
		assert_int_equal(sn_buf_append(&both, a.data, a.len, NULL), 0);
		if (armored)
			assert_int_equal(sn_buf_append_str(&both, "\r\n\n", NULL), 0);
		assert_int_equal(sn_buf_append(&both, b.data, b.len, NULL), 0);
		if (B->verifier_new(&v, &both, &name, 1, &e) != 0)
			fail_msg("%s", e.msg);
		accepted_file(v, "good-A.sig", fx_fpr("A"), fx_fpr("A"));
		accepted_file(v, "good-B.sig", fx_fpr("B"), fx_fpr("B"));
		B->verifier_free(v);
		sn_buf_free(&a);
		sn_buf_free(&b);
		sn_buf_free(&both);
	}
	/* Several files, one certificate each. */
	v = pin("A.gpg", "B.asc", NULL);
	accepted_file(v, "good-B.sig", fx_fpr("B"), fx_fpr("B"));
	B->verifier_free(v);
}

static void test_format_header_prefix(void **state)
{
	struct sn_buf sig, blob;
	void *v;

	(void)state;
	fx_read(&sig, "good-A.sig");
	sn_buf_init(&blob, 1u << 20, "blob");
	assert_int_equal(sn_buf_append(&blob, "\0simple-signing\n", 16, NULL), 0);
	assert_int_equal(sn_buf_append(&blob, sig.data, sig.len, NULL), 0);
	v = pin("A.asc", NULL);
	accepted(v, blob.data, blob.len, fx_fpr("A"), fx_fpr("A"));
	refused(v, "\0sigstore-json\n{}", 17, SIGNET_EBADINPUT, "a sigstore signature, not an OpenPGP one");
	B->verifier_free(v);
	sn_buf_free(&sig);
	sn_buf_free(&blob);
}

static void test_subkey_maps_to_primary(void **state)
{
	void *v;

	(void)state;
	gpg_sign("sub-C.sig", "C", NULL, "");
	v = pin("C.asc", NULL);
	accepted_file(v, "sub-C.sig", fx_fpr("C"), fx_fpr("C_SUB"));
	B->verifier_free(v);
}

#if SIGNET_HAVE_GPGME
static void test_good_sn_openpgp_sign(void **state)
{
	struct sn_buf payload, sig;
	struct sn_err e = {0};
	void *v;

	(void)state;
	fx_read(&payload, "payload.json");
	if (sn_openpgp_sign(&sig, fx_fpr("A"), NULL, fx_home, payload.data, payload.len, &e) != 0)
		fail_msg("%s", e.msg);
	v = pin("A.asc", NULL);
	accepted(v, sig.data, sig.len, fx_fpr("A"), fx_fpr("A"));
	B->verifier_free(v);
	v = pin("B.asc", NULL);
	refused(v, sig.data, sig.len, SIGNET_EDENIED, "not one of the pinned keys");
	B->verifier_free(v);
	sn_buf_free(&sig);
	sn_buf_free(&payload);
}
#endif

/* ---- verdicts ------------------------------------------------------- */

static void test_wrong_key(void **state)
{
	void *v;

	(void)state;
	v = pin("A.asc", NULL);
	refused_file(v, "good-B.sig", SIGNET_EDENIED, "which is not one of the pinned keys");
	B->verifier_free(v);
	/* The subkey's primary pinned elsewhere does not help. */
	v = pin("A.asc", "B.asc", NULL);
	refused_file(v, "sub-C.sig", SIGNET_EDENIED, "not one of the pinned keys");
	B->verifier_free(v);
}

static void test_unknown_key(void **state)
{
	char other[512];
	void *v;

	(void)state;
	/* A key that exists nowhere in the fixtures. */
	(void)snprintf(other, sizeof(other), "%s/other-home", fx_dir);
	assert_int_equal(
	    fx_sh("mkdir -m 700 '%s' && GNUPGHOME='%s' gpg --batch --quiet --passphrase '' "
	          "--quick-gen-key 'stranger <s@x.test>' ed25519 sign never 2>/dev/null && "
	          "cd '%s' && GNUPGHOME='%s' gpg --batch --quiet -u stranger --sign -o stranger.sig "
	          "payload.json 2>/dev/null",
	          other, other, fx_dir, other),
	    0);
	(void)fx_sh("gpgconf --homedir '%s' --kill all", other);
	v = pin("A.asc", "B.gpg", "C.asc", NULL);
	refused_file(v, "stranger.sig", SIGNET_EDENIED, "not one of the pinned keys");
	B->verifier_free(v);
}

static void test_tampered_payload(void **state)
{
	struct sn_buf b;
	unsigned char *at;
	void *v;

	(void)state;
	fx_read(&b, "unc-A.sig");
	at = memmem(b.data, b.len, "registry.test", 13);
	assert_non_null(at);
	*at = 'R'; /* the signed reference now says Registry.test */
	v = pin("A.asc", NULL);
	refused(v, b.data, b.len, SIGNET_EDENIED, "bad signature");
	B->verifier_free(v);
	sn_buf_free(&b);
}

static void test_truncated(void **state)
{
	struct sn_buf b;
	void *v;

	(void)state;
	v = pin("A.asc", NULL);
	fx_read(&b, "good-A.sig");
	refused(v, b.data, b.len - 20, SIGNET_EBADINPUT, "truncated compressed data");
	sn_buf_free(&b);
	fx_read(&b, "unc-A.sig");
	refused(v, b.data, b.len - 20, SIGNET_EBADINPUT, "truncated OpenPGP data");
	refused(v, b.data, 1, SIGNET_EBADINPUT, "truncated");
	sn_buf_free(&b);
	B->verifier_free(v);
}

static void test_expired_key(void **state)
{
	void *v;

	(void)state;
	v = pin("EXPIRED.asc", NULL);
	refused_file(v, "expired.sig", SIGNET_EDENIED, "expired");
	B->verifier_free(v);
}

static void test_revoked_key(void **state)
{
	void *v;

	(void)state;
	v = pin("REVOKED.gpg", NULL);
	refused_file(v, "revoked.sig", SIGNET_EDENIED, "revoked");
	B->verifier_free(v);
}

/* ---- blobs that are not one signed message ---------------------------- */

static void test_armored_and_cleartext(void **state)
{
	void *v;

	(void)state;
	gpg_sign("armored.sig", "A", NULL, "--armor");
	assert_int_equal(fx_gpg("-u %s --clearsign -o clear.sig payload.json", fx_fpr("A")), 0);
	v = pin("A.asc", NULL);
	refused_file(v, "armored.sig", SIGNET_EBADINPUT, "ASCII-armored");
	refused_file(v, "clear.sig", SIGNET_EBADINPUT, "cleartext-signed");
	B->verifier_free(v);
}

static void test_literal_without_signature(void **state)
{
	void *v;

	(void)state;
	assert_int_equal(fx_gpg("--store -o store.gpg payload.json"), 0);
	assert_int_equal(fx_gpg("--store -z 0 -o store0.gpg payload.json"), 0);
	v = pin("A.asc", NULL);
	/* compressed literal data: a well-formed message with no signature */
	refused_file(v, "store.gpg", SIGNET_EDENIED, "carries no signature");
	/* bare literal data: refused by blob detection */
	refused_file(v, "store0.gpg", SIGNET_EBADINPUT, "unsigned OpenPGP literal data");
	B->verifier_free(v);
}

static void test_encrypted_unsigned(void **state)
{
	void *v;

	(void)state;
	assert_int_equal(fx_gpg("--symmetric --passphrase x -o sym.gpg payload.json"), 0);
	v = pin("A.asc", NULL);
	refused_file(v, "sym.gpg", SIGNET_EBADINPUT, "encrypted OpenPGP message");
	B->verifier_free(v);
}

static void test_two_signatures(void **state)
{
	void *v;

	(void)state;
	gpg_sign("two.sig", "A", "B", "");
	gpg_sign("two0.sig", "A", "B", "-z 0");
	v = pin("A.asc", "B.asc", NULL);
	refused_file(v, "two.sig", SIGNET_EDENIED, "carries 2 signatures; exactly one is required");
	refused_file(v, "two0.sig", SIGNET_EDENIED, "carries 2 signatures");
	B->verifier_free(v);
}

static void test_trailing_garbage(void **state)
{
	struct sn_buf b, sig;
	void *v;

	(void)state;
	v = pin("A.asc", NULL);
	/* gpg itself ignores what follows the compressed stream. */
	fx_read(&b, "good-A.sig");
	assert_int_equal(sn_buf_append_str(&b, "GARBAGE", NULL), 0);
	refused(v, b.data, b.len, SIGNET_EBADINPUT,
	        "7 bytes of trailing data after the end of the compressed stream");
	sn_buf_free(&b);
	/* A whole second message appended. */
	fx_read(&b, "good-A.sig");
	fx_read(&sig, "good-A.sig");
	assert_int_equal(sn_buf_append(&b, sig.data, sig.len, NULL), 0);
	refused(v, b.data, b.len, SIGNET_EBADINPUT, "trailing data");
	sn_buf_free(&b);
	sn_buf_free(&sig);
	/* Uncompressed: garbage is not a packet... */
	fx_read(&b, "unc-A.sig");
	assert_int_equal(sn_buf_append_str(&b, "GARBAGE", NULL), 0);
	refused(v, b.data, b.len, SIGNET_EBADINPUT, "byte 0x47");
	sn_buf_free(&b);
	/* ... and a second message is out of order. */
	fx_read(&b, "unc-A.sig");
	fx_read(&sig, "unc-A.sig");
	assert_int_equal(sn_buf_append(&b, sig.data, sig.len, NULL), 0);
	refused(v, b.data, b.len, SIGNET_EBADINPUT, "one-pass signature packet after the literal data");
	sn_buf_free(&b);
	sn_buf_free(&sig);
	B->verifier_free(v);
}

static void test_detached_signature(void **state)
{
	void *v;

	(void)state;
	assert_int_equal(fx_gpg("-u %s --detach-sign -o detached.sig payload.json", fx_fpr("A")), 0);
	v = pin("A.asc", NULL);
	refused_file(v, "detached.sig", SIGNET_EBADINPUT, "detached signature");
	B->verifier_free(v);
}

static void test_bzip2_unsupported(void **state)
{
	void *v;

	(void)state;
	gpg_sign("bz.sig", "A", NULL, "--compress-algo bzip2");
	v = pin("A.asc", NULL);
	refused_file(v, "bz.sig", SIGNET_EUNSUPPORTED, "BZip2");
	B->verifier_free(v);
}

static void test_limits(void **state)
{
	unsigned char *zeros, *packed;
	uLongf packed_len;
	z_stream zs;
	void *v;

	(void)state;
	v = pin("A.asc", NULL);
	/* The blob itself. */
	zeros = calloc(1, SIGNET_MAX_SIGNATURE_SIZE + 1);
	assert_non_null(zeros);
	zeros[0] = 0xa3;
	refused(v, zeros, SIGNET_MAX_SIGNATURE_SIZE + 1, SIGNET_ELIMIT, "limit of 4194304 bytes");
	free(zeros);
	/* A small blob that inflates past the limit: 0xa3 0x01 + raw deflate
	 * of 6 MiB of zeros. */
	zeros = calloc(1, 6u << 20);
	packed = malloc(1u << 20);
	assert_non_null(zeros);
	assert_non_null(packed);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
	packed[0] = 0xa3;
	packed[1] = 0x01;
	zs.next_in = zeros;
	zs.avail_in = 6u << 20;
	zs.next_out = packed + 2;
	zs.avail_out = (1u << 20) - 2;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	packed_len = zs.total_out + 2;
	deflateEnd(&zs);
	assert_true(packed_len < 64u * 1024u);
	refused(v, packed, packed_len, SIGNET_ELIMIT,
	        "decompressed OpenPGP message is larger than the limit");
	free(zeros);
	free(packed);
	B->verifier_free(v);
}

/* ---- pinned keys ---------------------------------------------------- */

static void test_secret_key_refused(void **state)
{
	(void)state;
	pin_refused(SIGNET_EBADINPUT, "pinned key \"A.secret.asc\"", "secret key", "A.secret.asc", NULL);
	pin_refused(SIGNET_EBADINPUT, "pinned key \"A.secret.gpg\"", "secret key", "A.secret.gpg", NULL);
	/* One bad file fails the whole verifier, whatever its position. */
	pin_refused(SIGNET_EBADINPUT, "A.secret.gpg", "secret key", "B.asc", "A.secret.gpg", NULL);
}

static void test_garbage_key_refused(void **state)
{
	struct sn_buf b;
	char *crc;

	(void)state;
	pin_bytes_refused("hello world\n", 12, "hello.key", SIGNET_EBADINPUT, "not an OpenPGP key");
	pin_bytes_refused("", 0, "empty.key", SIGNET_EBADINPUT, "empty");
	pin_bytes_refused(" \n\t", 3, "blank.key", SIGNET_EBADINPUT, "empty");
	pin_bytes_refused("\x99\x01", 2, "short.key", SIGNET_EBADINPUT, "truncated");
	pin_bytes_refused("-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----\n", 59, "msg.asc",
	                  SIGNET_EBADINPUT, "not a public key block");
	pin_bytes_refused("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ\n", 41, "open.asc", SIGNET_EBADINPUT,
	                  "without an END line");

	/* Trailing data after a binary key. */
	fx_read(&b, "A.gpg");
	assert_int_equal(sn_buf_append_str(&b, "junk", NULL), 0);
	pin_bytes_refused(b.data, b.len, "A-junk.gpg", SIGNET_EBADINPUT, "byte 0x6a");
	b.len -= 4 + 10; /* and a truncated one */
	pin_bytes_refused(b.data, b.len, "A-short.gpg", SIGNET_EBADINPUT, "truncated");
	sn_buf_free(&b);

	/* Text after an armored key. */
	fx_read(&b, "A.asc");
	assert_int_equal(sn_buf_append_str(&b, "and some text\n", NULL), 0);
	pin_bytes_refused(b.data, b.len, "A-text.asc", SIGNET_EBADINPUT,
	                  "unexpected text outside an armor block");
	sn_buf_free(&b);

	/* A corrupted armor checksum. */
	fx_read(&b, "A.asc");
	crc = strstr((char *)b.data, "\n=");
	assert_non_null(crc);
	crc[2] = crc[2] == 'A' ? 'B' : 'A';
	pin_bytes_refused(b.data, b.len, "A-crc.asc", SIGNET_EBADINPUT, "checksum mismatch");
	/* A checksum line with padding: one octet, not the three of a CRC-24
	 * (found by the fuzzer: it used to read past the decoded octet). */
	memcpy(crc + 2, "0j==", 4);
	pin_bytes_refused(b.data, b.len, "A-crc-padded.asc", SIGNET_EBADINPUT, "invalid armor checksum line");
	sn_buf_free(&b);

	/* A signature is not a key. */
	pin_refused(SIGNET_EBADINPUT, "pinned key \"good-A.sig\"", "not an OpenPGP public key", "good-A.sig",
	            NULL);
}

static void test_no_keys(void **state)
{
	struct sn_err e = {0};
	void *v = NULL;

	(void)state;
	assert_int_equal(B->verifier_new(&v, NULL, NULL, 0, &e), SIGNET_EINVAL);
	assert_non_null(strstr(e.msg, "no keys"));
	assert_null(v);
}

/* Verification is in process: no GnuPG home, no file, no agent. */
static void test_nothing_on_disk(void **state)
{
	char tmp[512];
	struct dirent *de;
	int entries = 0;
	DIR *d;
	void *v;

	(void)state;
	(void)snprintf(tmp, sizeof(tmp), "%s/tmp", fx_dir);
	assert_int_equal(fx_sh("mkdir -p '%s'", tmp), 0);
	assert_int_equal(setenv("TMPDIR", tmp, 1), 0);
	v = pin("A.asc", "C.asc", NULL);
	accepted_file(v, "good-A.sig", fx_fpr("A"), fx_fpr("A"));
	refused_file(v, "good-B.sig", SIGNET_EDENIED, "not one of the pinned keys");
	B->verifier_free(v);
	assert_int_equal(unsetenv("TMPDIR"), 0);
	d = opendir(tmp);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		entries += de->d_name[0] != '.';
	(void)closedir(d);
	assert_int_equal(entries, 0);
}

/* ---- kinds of signatures, good and bad --------------------------------- */

/* blob, verified by a verifier pinned to key, gives code and (when not 0)
 * a message containing want. */
static void check(const char *what, const char *key, const struct sn_buf *blob, int code, const char *want)
{
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_buf payload;
	struct sn_err e = {0};
	void *v = pin(key, NULL);
	int rc;

	rc = B->verify(v, blob->data, blob->len, &payload, &who, &e);
	if (rc == 0)
		sn_buf_free(&payload);
	sn_signer_clear(&who);
	B->verifier_free(v);
	if (rc != code || (code != 0 && strstr(e.msg, want) == NULL))
		fail_msg("%s pinned to %s: %d \"%s\", expected %d \"%s\"", what, key, rc, e.msg, code,
		         code != 0 ? want : "");
}

static void check_file(const char *key, const char *file, int code, const char *want)
{
	struct sn_buf b;

	fx_read(&b, file);
	check(file, key, &b, code, want);
	sn_buf_free(&b);
}

/* Good signatures of every key algorithm and SHA-2 hash, compressed or
 * not, by a signing subkey. */
static void test_algorithms_and_hashes(void **state)
{
	static const struct {
		const char *key, *pin, *opts;
	} cases[] = {
	    {"A", "A.asc", ""},
	    {"A", "A.gpg", "-z 0 --digest-algo SHA224"},
	    {"A", "A.asc", "--digest-algo SHA384"},
	    {"A", "A.asc", "--compress-algo zlib --digest-algo SHA512"},
	    {"B", "B.asc", ""},
	    {"B", "B.asc", "--digest-algo SHA512"},
	    {"C", "C.asc", ""}, /* the signing subkey C_SUB */
	    {"E256", "E256.asc", ""},
	    {"E384", "E384.asc", "--digest-algo SHA512"},
	    {"R2048", "R2048.asc", "-z 0"},
	};
	char file[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		(void)snprintf(file, sizeof(file), "kind-%zu.sig", i);
		gpg_sign(file, cases[i].key, NULL, cases[i].opts);
		check_file(cases[i].pin, file, 0, NULL);
	}
}

/* Good signatures gpg accepts and signet refuses (docs/differences.md). */
static void test_stricter_than_gpg(void **state)
{
	(void)state;
	gpg_sign("sha1.sig", "A", NULL, "--digest-algo SHA1");
	check_file("A.asc", "sha1.sig", SIGNET_EDENIED, "made with SHA-1, which signet refuses");
	gpg_sign("text.sig", "A", NULL, "--textmode");
	check_file("A.asc", "text.sig", SIGNET_EDENIED, "text-mode signature");
	gpg_sign("future.sig", "A", NULL, "--faked-system-time 20300101T000000");
	check_file("A.asc", "future.sig", SIGNET_EDENIED, "dated in the future");
}

static void test_bad_signatures(void **state)
{
	struct sn_buf b;
	unsigned char *at;

	(void)state;
	check_file("A.asc", "good-B.sig", SIGNET_EDENIED, "which is not one of the pinned keys");
	check_file("EXPIRED.asc", "expired.sig", SIGNET_EDENIED, "which has expired");
	check_file("REVOKED.asc", "revoked.sig", SIGNET_EDENIED, "which has been revoked");
	gpg_sign("crit.sig", "A", NULL, "--sig-notation '!critical@signet.test=yes'");
	check_file("A.asc", "crit.sig", SIGNET_EDENIED, "critical subpacket of type 20");
	gpg_sign("sigexp.sig", "B", NULL, "--default-sig-expire seconds=1");
	(void)sleep(2);
	check_file("B.asc", "sigexp.sig", SIGNET_EDENIED, "has expired");

	/* The signed data changed. */
	fx_read(&b, "unc-A.sig");
	at = memmem(b.data, b.len, "registry.test", 13);
	assert_non_null(at);
	*at = 'R';
	check("unc-A.sig, payload changed", "A.asc", &b, SIGNET_EDENIED, "bad signature");
	sn_buf_free(&b);
	/* The signature value changed (its last octet). */
	fx_read(&b, "unc-A.sig");
	b.data[b.len - 1] ^= 0x01;
	check("unc-A.sig, RSA value changed", "A.asc", &b, SIGNET_EDENIED, "bad signature");
	sn_buf_free(&b);
	gpg_sign("unc-B.sig", "B", NULL, "-z 0");
	fx_read(&b, "unc-B.sig");
	b.data[b.len - 1] ^= 0x01;
	check("unc-B.sig, EdDSA value changed", "B.asc", &b, SIGNET_EDENIED, "bad signature");
	sn_buf_free(&b);
	gpg_sign("unc-E256.sig", "E256", NULL, "-z 0");
	fx_read(&b, "unc-E256.sig");
	b.data[b.len - 1] ^= 0x01;
	check("unc-E256.sig, ECDSA value changed", "E256.asc", &b, SIGNET_EDENIED, "bad signature");
	sn_buf_free(&b);
}

/* The one-pass signature packet (the first packet of unc-A.sig: an
 * old-format header of two octets, then version, type, hash algorithm,
 * ...) must announce the signature that follows. */
static void test_one_pass_mismatch(void **state)
{
	struct sn_buf b;

	(void)state;
	fx_read(&b, "unc-A.sig");
	assert_int_equal(b.data[0], 0x90); /* one-pass signature, 13 octets */
	assert_int_equal(b.data[1], 13);
	assert_int_equal(b.data[2], 3);
	b.data[4] = b.data[4] == 8 ? 10 : 8; /* another hash algorithm */
	check("unc-A.sig, one-pass hash changed", "A.asc", &b, SIGNET_EDENIED, "one-pass signature packet");
	sn_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_gpg_cli),
		cmocka_unit_test(test_good_binary_key_ed25519),
		cmocka_unit_test(test_good_stdin_partial_lengths),
		cmocka_unit_test(test_several_certificates_in_one_file),
		cmocka_unit_test(test_format_header_prefix),
		cmocka_unit_test(test_subkey_maps_to_primary),
#if SIGNET_HAVE_GPGME
		cmocka_unit_test(test_good_sn_openpgp_sign),
#endif
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_tampered_payload),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_expired_key),
		cmocka_unit_test(test_revoked_key),
		cmocka_unit_test(test_armored_and_cleartext),
		cmocka_unit_test(test_literal_without_signature),
		cmocka_unit_test(test_encrypted_unsigned),
		cmocka_unit_test(test_two_signatures),
		cmocka_unit_test(test_trailing_garbage),
		cmocka_unit_test(test_detached_signature),
		cmocka_unit_test(test_bzip2_unsupported),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_secret_key_refused),
		cmocka_unit_test(test_garbage_key_refused),
		cmocka_unit_test(test_no_keys),
		cmocka_unit_test(test_nothing_on_disk),
		cmocka_unit_test(test_algorithms_and_hashes),
		cmocka_unit_test(test_stricter_than_gpg),
		cmocka_unit_test(test_bad_signatures),
		cmocka_unit_test(test_one_pass_mismatch),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

