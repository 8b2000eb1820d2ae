/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_sigstore.c: the sigstore (cosign key-based) backend
 * against keys and signatures made by the openssl command
 * (fixtures/make-cosign-keys.sh): every accepted key type, and every way a
 * signature, a blob or a pinned key must be refused.
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
#include "verify/verify.h"

#include "cosign_fixture.h"

#define MAX_PINS 8

static const struct sn_sig_backend *const B = &sn_sigstore_backend;

static int verbose(void)
{
	return getenv("SIGNET_TEST_VERBOSE") != NULL;
}

/* A verifier pinned to the fixture files named in a NULL-terminated list. */
static int vpin(void **v, struct sn_err *e, const char *first, va_list ap)
{
	struct sn_buf keys[MAX_PINS];
	const char *names[MAX_PINS];
	size_t n = 0;
	int rc;

	for (const char *name = first; name != NULL; name = va_arg(ap, const char *)) {
		assert_true(n < MAX_PINS);
		cx_read(&keys[n], name);
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

/* Pinning the one file must fail with code, sub in the message, and the
 * file named. */
static void pin_refused(const char *file, int code, const char *sub)
{
	struct sn_err e = {0};
	void *v = (void *)0x1;
	int rc = 0;

	{
		struct sn_buf key;
		const char *name = file;

		cx_read(&key, file);
		rc = B->verifier_new(&v, &key, &name, 1, &e);
		sn_buf_free(&key);
	}
	if (verbose())
		(void)printf("pin refused: %d %s\n", rc, e.msg);
	if (rc != code || strstr(e.msg, sub) == NULL || strstr(e.msg, file) == NULL)
		fail_msg("pinning %s: got %d \"%s\", expected %d with \"%s\"", file, rc, e.msg, code, sub);
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
	if (verbose())
		(void)printf("pin refused: %d %s\n", rc, e.msg);
	if (rc != code || strstr(e.msg, sub) == NULL || strstr(e.msg, name) == NULL)
		fail_msg("pinning %s: got %d \"%s\", expected %d with \"%s\"", name, rc, e.msg, code, sub);
	assert_ptr_equal(v, (void *)0x1);
	sn_buf_free(&key);
}

static void pin_str_refused(const char *key, const char *name, int code, const char *sub)
{
	pin_bytes_refused(key, strlen(key), name, code, sub);
}

/* Verifies blob: the payload must be payload.json, the signer key name. */
static void accepted(void *v, const struct sn_buf *blob, const char *name)
{
	struct sn_buf payload, expected;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_err e = {0};
	char id[SN_SIGSTORE_KEY_ID_MAX], file[64];
	int rc;

	rc = B->verify(v, blob->data, blob->len, &payload, &who, &e);
	if (rc != 0)
		fail_msg("verify (expecting %s): %d %s", name, rc, e.msg);
	cx_read(&expected, "payload.json");
	assert_int_equal(payload.len, expected.len);
	assert_memory_equal(payload.data, expected.data, expected.len);
	assert_int_equal(payload.max, SIGNET_MAX_SIGNATURE_SIZE);
	cx_keyid(id, name);
	assert_string_equal(who.fingerprint, id);
	assert_string_equal(who.signing_fingerprint, id);
	(void)snprintf(file, sizeof(file), "%s.pub", name);
	assert_string_equal(who.uid, file);
	sn_buf_free(&payload);
	sn_buf_free(&expected);
	sn_signer_clear(&who);
}

/* Verifies blob and expects code with sub in the message; outputs untouched. */
static void refused(void *v, const void *blob, size_t len, int code, const char *sub)
{
	struct sn_buf payload;
	struct sn_signer who;
	struct sn_err e = {0};
	int rc;

	memset(&payload, 0x5a, sizeof(payload));
	memset(&who, 0x5a, sizeof(who));
	rc = B->verify(v, blob, len, &payload, &who, &e);
	if (verbose())
		(void)printf("verify refused: %d %s\n", rc, e.msg);
	if (rc != code || strstr(e.msg, sub) == NULL)
		fail_msg("verify: got %d \"%s\", expected %d with \"%s\"", rc, e.msg, code, sub);
	assert_int_equal(((unsigned char *)&payload)[0], 0x5a);
	assert_int_equal(((unsigned char *)&who)[sizeof(who) - 1], 0x5a);
}

static void refused_buf(void *v, const struct sn_buf *b, int code, const char *sub)
{
	refused(v, b->data, b->len, code, sub);
}

/* ---- accepted signatures ---------------------------------------------- */

static void test_every_key_type(void **state)
{
	static const char *const names[] = {"ec256", "ec384", "ec521", "rsa2048", "rsa4096", "ed25519"};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char pub[64], sig[64];
		struct sn_buf blob;
		void *v;

		(void)snprintf(pub, sizeof(pub), "%s.pub", names[i]);
		/* P-384 and P-521 sign SHA-256 too, as containers/image does. */
		(void)snprintf(sig, sizeof(sig), "%s%s.sig", names[i], i == 1 || i == 2 ? "-sha256" : "");
		v = pin(pub, NULL);
		cx_blob_file(&blob, sig);
		accepted(v, &blob, names[i]);
		sn_buf_free(&blob);
		B->verifier_free(v);
	}
}

/* containers/image signs and verifies with SHA-256 whatever the curve:
 * a P-384 or P-521 signature over SHA-384/512 is refused, as it refuses it. */
static void test_sha256_on_larger_curves(void **state)
{
	struct sn_buf blob;
	void *v;

	(void)state;
	v = pin("ec384.pub", NULL);
	cx_blob_file(&blob, "ec384.sig"); /* openssl dgst -sha384 */
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	cx_blob_file(&blob, "ec521.sig");
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	B->verifier_free(v);

	v = pin("ec521.pub", NULL);
	cx_blob_file(&blob, "ec521.sig"); /* openssl dgst -sha512 */
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	B->verifier_free(v);
}

/* Several pins: the one that verifies is the signer. */
static void test_several_keys(void **state)
{
	struct sn_buf blob, d;
	char id[SN_SIGSTORE_KEY_ID_MAX];
	struct sn_err e = {0};
	void *v;

	(void)state;
	v = pin("ec384.pub", "rsa2048.pub", "ed25519.pub", "ec256.pub", NULL);
	cx_blob_file(&blob, "ed25519.sig");
	accepted(v, &blob, "ed25519");
	sn_buf_free(&blob);
	cx_blob_file(&blob, "ec256.sig");
	accepted(v, &blob, "ec256");
	sn_buf_free(&blob);
	cx_blob_file(&blob, "ec521.sig");
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key (4 keys pinned)");
	sn_buf_free(&blob);

	/* describe: every key id and name. */
	sn_buf_init(&d, 1u << 16, "description");
	assert_int_equal(B->describe(v, &d, &e), 0);
	for (size_t i = 0; i < 4; i++) {
		static const char *const n[] = {"ec384", "rsa2048", "ed25519", "ec256"};
		char want[128];

		cx_keyid(id, n[i]);
		(void)snprintf(want, sizeof(want), "%s (%s.pub)", id, n[i]);
		if (strstr((const char *)d.data, want) == NULL)
			fail_msg("description \"%s\" lacks \"%s\"", d.data, want);
	}
	assert_int_equal(strncmp((const char *)d.data, "SHA256:", 7), 0);
	sn_buf_free(&d);
	B->verifier_free(v);
}

/* Other annotations (bundle, certificate, anything) are ignored; members
 * in any order; whitespace in the JSON. */
static void test_blob_variants(void **state)
{
	struct sn_buf payload, sig, blob;
	char *sb;
	void *v;

	(void)state;
	v = pin("ec256.pub", NULL);
	cx_read(&payload, "payload.json");
	cx_read(&sig, "ec256.sig");
	sb = cx_b64(sig.data, sig.len);
	cx_blob_fmt(
	    &blob,
	    "{ \"annotations\": {\"dev.sigstore.cosign/bundle\": \"{}\", "
	    "\"dev.cosignproject.cosign/signature\": \"%2$s\", \"org.example/x\": \"\"},\n"
	    "  \"payload\": \"%1$s\", \"mimeType\": \"application/vnd.dev.cosign.simplesigning.v1+json\" }\n",
	    payload.data, payload.len, sb);
	accepted(v, &blob, "ec256");
	sn_buf_free(&blob);
	free(sb);
	sn_buf_free(&sig);
	sn_buf_free(&payload);
	B->verifier_free(v);
}

/* ---- refused signatures ------------------------------------------------- */

static void test_wrong_key(void **state)
{
	struct sn_buf blob;
	void *v;
	char id[SN_SIGSTORE_KEY_ID_MAX];

	(void)state;
	v = pin("ec256.pub", NULL);
	cx_keyid(id, "ec256");
	/* Another key of the same type, and keys of other types. */
	cx_blob_file(&blob, "ec384.sig");
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key (the pinned key is SHA256:");
	refused_buf(v, &blob, SIGNET_EDENIED, id);
	refused_buf(v, &blob, SIGNET_EDENIED, "(ec256.pub)");
	sn_buf_free(&blob);
	cx_blob_file(&blob, "rsa2048.sig");
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	cx_blob_file(&blob, "ed25519.sig");
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	B->verifier_free(v);

	v = pin("ed25519.pub", NULL);
	cx_blob_file(&blob, "ec256.sig");
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	B->verifier_free(v);

	v = pin("rsa4096.pub", NULL);
	cx_blob_file(&blob, "rsa2048.sig");
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	B->verifier_free(v);
}

/* Every byte of a signature matters; so does every byte of the payload. */
static void test_tampered(void **state)
{
	static const char *const names[] = {"ec256", "ec521", "rsa2048", "ed25519"};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct sn_buf payload, sig, blob;
		char pub[64], file[64];
		void *v;

		(void)snprintf(pub, sizeof(pub), "%s.pub", names[i]);
		(void)snprintf(file, sizeof(file), "%s%s.sig", names[i], i == 1 ? "-sha256" : "");
		v = pin(pub, NULL);
		cx_read(&payload, "payload.json");
		cx_read(&sig, file);

		/* A bit flipped at the start, the middle and the end of the signature. */
		for (size_t at = 0; at < 3; at++) {
			size_t pos = at == 0 ? 0 : at == 1 ? sig.len / 2 : sig.len - 1;

			sig.data[pos] ^= 0x01;
			cx_blob(&blob, payload.data, payload.len, sig.data, sig.len);
			refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
			sn_buf_free(&blob);
			sig.data[pos] ^= 0x01;
		}
		/* Truncated and extended signatures. */
		cx_blob(&blob, payload.data, payload.len, sig.data, sig.len - 1);
		refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
		sn_buf_free(&blob);
		assert_int_equal(sn_buf_append(&sig, "\0", 1, NULL), 0);
		cx_blob(&blob, payload.data, payload.len, sig.data, sig.len);
		refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
		sn_buf_free(&blob);
		sig.len--;

		/* The payload changed: one byte, one byte added, one removed. */
		payload.data[20] ^= 0x20;
		cx_blob(&blob, payload.data, payload.len, sig.data, sig.len);
		refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
		sn_buf_free(&blob);
		payload.data[20] ^= 0x20;
		assert_int_equal(sn_buf_append(&payload, " ", 1, NULL), 0);
		cx_blob(&blob, payload.data, payload.len, sig.data, sig.len);
		refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
		sn_buf_free(&blob);
		cx_blob(&blob, payload.data, payload.len - 2, sig.data, sig.len);
		refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
		sn_buf_free(&blob);

		/* Sanity: the untouched pair still verifies. */
		cx_blob(&blob, payload.data, payload.len - 1, sig.data, sig.len);
		accepted(v, &blob, names[i]);
		sn_buf_free(&blob);
		sn_buf_free(&sig);
		sn_buf_free(&payload);
		B->verifier_free(v);
	}
}

static void test_missing_annotation(void **state)
{
	struct sn_buf payload, blob;
	void *v;

	(void)state;
	v = pin("ec256.pub", NULL);
	cx_read(&payload, "payload.json");
	cx_blob_fmt(&blob,
	            "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%s\","
	            "\"annotations\":{\"dev.sigstore.cosign/bundle\":\"%s\"}}",
	            payload.data, payload.len, "");
	refused_buf(v, &blob, SIGNET_EBADINPUT, "no dev.cosignproject.cosign/signature annotation");
	sn_buf_free(&blob);
	cx_blob_fmt(&blob,
	            "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%s\","
	            "\"annotations\":{}}%s",
	            payload.data, payload.len, "");
	refused_buf(v, &blob, SIGNET_EBADINPUT, "no dev.cosignproject.cosign/signature annotation");
	sn_buf_free(&blob);
	sn_buf_free(&payload);
	B->verifier_free(v);
}

static void test_invalid_base64(void **state)
{
	static const char *const bad_sigs[] = {
	    "MEUCIQ",       /* no padding */
	    "MEUC IQ==",    /* whitespace */
	    "MEUCIQ==\n",   /* a line end */
	    "MEUC*Q==",     /* not the alphabet */
	    "MEUCIR==",     /* unused bits set */
	    "MEUCIQ==MEUC", /* padding in the middle */
	    "",             /* empty */
	    "MEUC-_==",     /* URL-safe alphabet */
	};
	struct sn_buf payload, sig, blob;
	char *sb;
	void *v;

	(void)state;
	v = pin("ec256.pub", NULL);
	cx_read(&payload, "payload.json");
	cx_read(&sig, "ec256.sig");
	for (size_t i = 0; i < sizeof(bad_sigs) / sizeof(bad_sigs[0]); i++) {
		char esc[64];
		size_t o = 0;

		/* JSON-escape the newline. */
		for (const char *p = bad_sigs[i]; *p != '\0'; p++) {
			if (*p == '\n') {
				esc[o++] = '\\';
				esc[o++] = 'n';
			} else {
				esc[o++] = *p;
			}
		}
		esc[o] = '\0';
		cx_blob_fmt(&blob, CX_BLOB_JSON, payload.data, payload.len, esc);
		refused_buf(v, &blob, SIGNET_EBADINPUT,
		            "the dev.cosignproject.cosign/signature annotation is not valid base64");
		sn_buf_free(&blob);
	}
	/* The payload's base64. */
	sb = cx_b64(sig.data, sig.len);
	cx_blob_fmt(&blob,
	            "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%sA\","
	            "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%s\"}}",
	            payload.data, payload.len, sb);
	refused_buf(v, &blob, SIGNET_EBADINPUT, "the payload is not valid base64");
	sn_buf_free(&blob);
	cx_blob_fmt(
	    &blob,
	    "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$.0s\","
	    "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	    payload.data, payload.len, sb);
	refused_buf(v, &blob, SIGNET_EBADINPUT, "an empty payload");
	sn_buf_free(&blob);
	free(sb);
	sn_buf_free(&sig);
	sn_buf_free(&payload);
	B->verifier_free(v);
}

/* The blob must be exactly the documented JSON. */
static void test_malformed_blob(void **state)
{
	static const struct {
		const char *json; /* %1$s payload, %2$s signature */
		int code;
		const char *sub;
	} cases[] = {
	    {"[]", SIGNET_EBADINPUT, "not an object"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"},\"extra\":1}",
	     SIGNET_EBADINPUT, "unknown member \"extra\""},
	    {"{\"MimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EBADINPUT, "unknown member \"MimeType\""},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\","
	     "\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EBADINPUT, "duplicate"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"payload\":\"%1$s\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EBADINPUT, "duplicate"},
	    {"{\"payload\":\"%1$s\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EBADINPUT, "no mimeType"},
	    {"{\"mimeType\":\"application/vnd.oci.image.layer.v1.tar\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EUNSUPPORTED, "mimeType \"application/vnd.oci.image.layer.v1.tar\" is not a cosign"},
	    {"{\"mimeType\":null,\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EBADINPUT, "mimeType is not a string"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",%1$.0s"
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EBADINPUT, "no payload"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":[\"%1$s\"],"
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}",
	     SIGNET_EBADINPUT, "payload is not a string"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\"}",
	     SIGNET_EBADINPUT, "no annotations"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":null}",
	     SIGNET_EBADINPUT, "annotations is not an object"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\",\"n\":1}}",
	     SIGNET_EBADINPUT, "annotations.\"n\" is not a string"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":[\"%2$s\"]}}",
	     SIGNET_EBADINPUT, "is not a string"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}}{}",
	     SIGNET_EBADINPUT, "invalid JSON"},
	    {"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%1$s\","
	     "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%2$s\"}",
	     SIGNET_EBADINPUT, "invalid JSON"},
	};
	struct sn_buf payload, sig, blob;
	char *sb;
	void *v;

	(void)state;
	v = pin("ec256.pub", NULL);
	cx_read(&payload, "payload.json");
	cx_read(&sig, "ec256.sig");
	sb = cx_b64(sig.data, sig.len);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cx_blob_fmt(&blob, cases[i].json, payload.data, payload.len, sb);
		refused_buf(v, &blob, cases[i].code, cases[i].sub);
		sn_buf_free(&blob);
	}

	/* Not a sigstore blob at all. */
	refused(v, "\xa3\x01", 2, SIGNET_EBADINPUT,
	        "an OpenPGP simple signing signature, not a sigstore one");
	refused(v, "{}", 2, SIGNET_EBADINPUT, "JSON without a");
	refused(v, "\0sigstore-json\n", 15, SIGNET_EBADINPUT, "header with no content");
	refused(v, "", 0, SIGNET_EBADINPUT, "empty");

	/* A signature annotation far longer than any signature. */
	{
		size_t n = SN_SIGSTORE_MAX_SIGNATURE_B64 + 4;
		char *longsig = malloc(n + 1);

		assert_non_null(longsig);
		memset(longsig, 'A', n);
		longsig[n] = '\0';
		cx_blob_fmt(&blob, CX_BLOB_JSON, payload.data, payload.len, longsig);
		refused_buf(v, &blob, SIGNET_EBADINPUT, "annotation is longer than 4096 characters");
		sn_buf_free(&blob);
		free(longsig);
	}
	free(sb);
	sn_buf_free(&sig);
	sn_buf_free(&payload);
	B->verifier_free(v);
}

/* A blob over SIGNET_MAX_SIGNATURE_SIZE is refused before parsing. */
static void test_size_limit(void **state)
{
	struct sn_buf payload, blob;
	size_t n = SIGNET_MAX_SIGNATURE_SIZE / 4 * 3; /* base64 just over the limit */
	unsigned char *big = calloc(1, n);
	void *v;

	(void)state;
	assert_non_null(big);
	memset(big, '{', n);
	v = pin("ec256.pub", NULL);
	cx_blob(&blob, big, n, "x", 1);
	assert_true(blob.len > SIGNET_MAX_SIGNATURE_SIZE);
	refused_buf(v, &blob, SIGNET_ELIMIT, "larger than the limit");
	sn_buf_free(&blob);
	/* Just under: parsed, and refused only for the signature. */
	cx_read(&payload, "payload.json");
	cx_blob(&blob, big, n - 3 * 64, "x", 1);
	assert_true(blob.len <= SIGNET_MAX_SIGNATURE_SIZE);
	refused_buf(v, &blob, SIGNET_EDENIED, "not signed by any pinned key");
	sn_buf_free(&blob);
	sn_buf_free(&payload);
	free(big);
	B->verifier_free(v);
}

/* ---- refused keys --------------------------------------------------------- */

static void test_private_key_as_public(void **state)
{
	(void)state;
	pin_refused("ec256.key", SIGNET_EBADINPUT, "a private key (PRIVATE KEY); pin the public key");
	pin_refused("ec256-enc.key", SIGNET_EBADINPUT, "a private key (ENCRYPTED PRIVATE KEY)");
	pin_refused("ec256-pkcs1.key", SIGNET_EBADINPUT, "a private key (EC PRIVATE KEY)");
	pin_refused("ed25519.key", SIGNET_EBADINPUT, "a private key");
}

static void test_certificate_refused(void **state)
{
	(void)state;
	pin_refused(
	    "ec256.crt", SIGNET_EBADINPUT,
	    "an X.509 certificate; keyless and certificate-based (X.509) verification is not supported yet");
}

static void test_unsupported_keys(void **state)
{
	(void)state;
	pin_refused("k256.pub", SIGNET_EUNSUPPORTED,
	            "an ECDSA key on curve secp256k1 (only P-256, P-384 and P-521");
	pin_refused("rsa1024.pub", SIGNET_EUNSUPPORTED,
	            "a 1024-bit RSA key (2048 to 4096 bits are supported)");
	pin_refused("rsa4104.pub", SIGNET_EUNSUPPORTED, "a 4104-bit RSA key");
	pin_refused("ed448.pub", SIGNET_EUNSUPPORTED, "a key of type ED448");
	pin_refused("rsapss.pub", SIGNET_EUNSUPPORTED, "an RSA-PSS key");
	pin_refused("ec256-explicit.pub", SIGNET_EUNSUPPORTED, "explicit curve parameters");
}

static void test_malformed_keys(void **state)
{
	static const char junk[] = "this is not a key\n";
	struct sn_buf k, two;
	char *p;

	(void)state;
	pin_bytes_refused(junk, sizeof(junk) - 1, "junk.pub", SIGNET_EBADINPUT, "not a PEM file");
	pin_bytes_refused("", 0, "empty.pub", SIGNET_EBADINPUT, "empty");
	pin_bytes_refused("\x30\x59\x30\x13", 4, "der.pub", SIGNET_EBADINPUT, "not a PEM file");
	pin_str_refused("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n-----END PGP PUBLIC KEY BLOCK-----\n",
	                "pgp.asc", SIGNET_EBADINPUT, "OpenPGP data");
	pin_str_refused("-----BEGIN RSA PUBLIC KEY-----\nMA==\n-----END RSA PUBLIC KEY-----\n", "pkcs1.pub",
	                SIGNET_EBADINPUT, "a PKCS#1 RSA public key");
	pin_str_refused("-----BEGIN PUBLIC KEY-----\nMA==\n-----END PUBLIC KEY-----\n", "short.pub",
	                SIGNET_EBADINPUT, "not a valid public key");
	pin_str_refused("-----BEGIN PUBLIC KEY-----\nMA=\n-----END PUBLIC KEY-----\n", "b64.pub",
	                SIGNET_EBADINPUT, "not valid base64");
	pin_str_refused("-----BEGIN PUBLIC KEY-----\nMA==\n", "open.pub", SIGNET_EBADINPUT,
	                "no \"-----END PUBLIC KEY-----\" line");
	pin_str_refused("-----BEGIN PUBLIC KEY-----\nMA==\n-----END PRIVATE KEY-----\n", "mismatch.pub",
	                SIGNET_EBADINPUT, "does not match");
	pin_str_refused("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n", "nobody.pub",
	                SIGNET_EBADINPUT, "empty PEM block");
	pin_str_refused("-----BEGIN FOO-----\nMA==\n-----END FOO-----\n", "foo.pub", SIGNET_EBADINPUT,
	                "a PEM \"FOO\" block, not a PUBLIC KEY");
	pin_str_refused("-----BEGIN PUBLIC KEY----\nMA==\n-----END PUBLIC KEY-----\n", "dashes.pub",
	                SIGNET_EBADINPUT, "malformed \"-----BEGIN\" line");

	/* A key file over the limit. */
	{
		char *big = malloc(SN_PEM_MAX_SIZE + 1);

		assert_non_null(big);
		memset(big, ' ', SN_PEM_MAX_SIZE + 1);
		pin_bytes_refused(big, SN_PEM_MAX_SIZE + 1, "big.pub", SIGNET_ELIMIT,
		                  "larger than the limit of 65536");
		free(big);
	}

	cx_read(&k, "ec256.pub");
	/* Text before, text after, a second key, a PEM header, a blank line. */
	sn_buf_init(&two, 1u << 16, "key");
	assert_int_equal(sn_buf_append_str(&two, "comment\n", NULL), 0);
	assert_int_equal(sn_buf_append(&two, k.data, k.len, NULL), 0);
	pin_bytes_refused(two.data, two.len, "before.pub", SIGNET_EBADINPUT, "text before the PEM block");
	sn_buf_reset(&two);
	assert_int_equal(sn_buf_append(&two, k.data, k.len, NULL), 0);
	assert_int_equal(sn_buf_append_str(&two, "trailing\n", NULL), 0);
	pin_bytes_refused(two.data, two.len, "after.pub", SIGNET_EBADINPUT,
	                  "trailing data after the PEM block");
	sn_buf_reset(&two);
	assert_int_equal(sn_buf_append(&two, k.data, k.len, NULL), 0);
	assert_int_equal(sn_buf_append(&two, k.data, k.len, NULL), 0);
	pin_bytes_refused(two.data, two.len, "two.pub", SIGNET_EBADINPUT,
	                  "another PEM block (one key per file)");
	sn_buf_reset(&two);
	p = strchr((char *)k.data, '\n');
	assert_non_null(p);
	assert_int_equal(sn_buf_append(&two, k.data, (size_t)(p + 1 - (char *)k.data), NULL), 0);
	assert_int_equal(sn_buf_append_str(&two, "Proc-Type: 4,ENCRYPTED\n", NULL), 0);
	assert_int_equal(sn_buf_append_str(&two, p + 1, NULL), 0);
	pin_bytes_refused(two.data, two.len, "header.pub", SIGNET_EBADINPUT, "PEM headers");
	sn_buf_reset(&two);
	assert_int_equal(sn_buf_append(&two, k.data, (size_t)(p + 1 - (char *)k.data), NULL), 0);
	assert_int_equal(sn_buf_append_str(&two, "\n", NULL), 0);
	assert_int_equal(sn_buf_append_str(&two, p + 1, NULL), 0);
	pin_bytes_refused(two.data, two.len, "blank.pub", SIGNET_EBADINPUT, "blank line");

	/* Whitespace around the block and CRLF line ends are fine. */
	sn_buf_reset(&two);
	assert_int_equal(sn_buf_append_str(&two, "\n  \n", NULL), 0);
	for (size_t i = 0; i < k.len; i++) {
		if (k.data[i] == '\n')
			assert_int_equal(sn_buf_append(&two, "\r", 1, NULL), 0);
		assert_int_equal(sn_buf_append(&two, k.data + i, 1, NULL), 0);
	}
	assert_int_equal(sn_buf_append_str(&two, "\n\n", NULL), 0);
	{
		const char *name = "crlf.pub";
		struct sn_err e = {0};
		void *v = NULL;

		if (B->verifier_new(&v, &two, &name, 1, &e) != 0)
			fail_msg("CRLF key refused: %s", e.msg);
		B->verifier_free(v);
	}
	sn_buf_free(&two);
	sn_buf_free(&k);
}

/* DER with a byte after the SubjectPublicKeyInfo, properly re-armored. */
static void test_der_trailing_data(void **state)
{
	struct sn_buf k, der, pem;
	struct sn_pem dec = {NULL, NULL, 0};
	struct sn_err e = {0};
	char *b;

	(void)state;
	cx_read(&k, "ec256.pub");
	assert_int_equal(sn_pem_decode(&dec, k.data, k.len, "ec256.pub", &e), 0);
	assert_string_equal(dec.label, "PUBLIC KEY");
	sn_buf_init(&der, 1u << 16, "der");
	assert_int_equal(sn_buf_append(&der, dec.der, dec.der_len, NULL), 0);
	assert_int_equal(sn_buf_append(&der, "\0", 1, NULL), 0);
	b = cx_b64(der.data, der.len);
	sn_buf_init(&pem, 1u << 16, "pem");
	assert_int_equal(sn_buf_append_str(&pem, "-----BEGIN PUBLIC KEY-----\n", NULL), 0);
	assert_int_equal(sn_buf_append_str(&pem, b, NULL), 0);
	assert_int_equal(sn_buf_append_str(&pem, "\n-----END PUBLIC KEY-----\n", NULL), 0);
	pin_bytes_refused(pem.data, pem.len, "trailing.pub", SIGNET_EBADINPUT,
	                  "1 bytes of trailing data after the DER public key");
	free(b);
	sn_buf_free(&pem);
	sn_buf_free(&der);
	sn_pem_clear(&dec);
	sn_buf_free(&k);
}

static void test_no_keys(void **state)
{
	struct sn_err e = {0};
	void *v = (void *)0x1;

	(void)state;
	assert_int_equal(B->verifier_new(&v, NULL, NULL, 0, &e), SIGNET_EINVAL);
	assert_non_null(strstr(e.msg, "no keys pinned"));
	assert_ptr_equal(v, (void *)0x1);
	B->verifier_free(NULL);
}

/* A key refused among good ones fails the whole verifier, naming it. */
static void test_one_bad_pin_of_several(void **state)
{
	struct sn_buf keys[2];
	const char *names[2] = {"ec256.pub", "rsa1024.pub"};
	struct sn_err e = {0};
	void *v = (void *)0x1;

	(void)state;
	cx_read(&keys[0], names[0]);
	cx_read(&keys[1], names[1]);
	assert_int_equal(B->verifier_new(&v, keys, names, 2, &e), SIGNET_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "pinned key \"rsa1024.pub\""));
	assert_ptr_equal(v, (void *)0x1);
	sn_buf_free(&keys[0]);
	sn_buf_free(&keys[1]);
}

/* An unnamed key: no uid, and messages still make sense. */
static void test_unnamed_key(void **state)
{
	struct sn_buf k, blob, payload;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_err e = {0};
	char id[SN_SIGSTORE_KEY_ID_MAX];
	void *v = NULL;

	(void)state;
	cx_read(&k, "ec256.pub");
	assert_int_equal(B->verifier_new(&v, &k, NULL, 1, &e), 0);
	cx_blob_file(&blob, "ec256.sig");
	assert_int_equal(B->verify(v, blob.data, blob.len, &payload, &who, &e), 0);
	cx_keyid(id, "ec256");
	assert_string_equal(who.fingerprint, id);
	assert_null(who.uid);
	sn_signer_clear(&who);
	sn_buf_free(&payload);
	sn_buf_free(&blob);
	B->verifier_free(v);
	sn_buf_free(&k);
}

static int group_setup(void **state)
{
	(void)state;
	return cx_setup();
}

static int group_teardown(void **state)
{
	(void)state;
	return cx_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key_type),
	    cmocka_unit_test(test_sha256_on_larger_curves),
	    cmocka_unit_test(test_several_keys),
	    cmocka_unit_test(test_blob_variants),
	    cmocka_unit_test(test_wrong_key),
	    cmocka_unit_test(test_tampered),
	    cmocka_unit_test(test_missing_annotation),
	    cmocka_unit_test(test_invalid_base64),
	    cmocka_unit_test(test_malformed_blob),
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_private_key_as_public),
	    cmocka_unit_test(test_certificate_refused),
	    cmocka_unit_test(test_unsupported_keys),
	    cmocka_unit_test(test_malformed_keys),
	    cmocka_unit_test(test_der_trailing_data),
	    cmocka_unit_test(test_no_keys),
	    cmocka_unit_test(test_one_bad_pin_of_several),
	    cmocka_unit_test(test_unnamed_key),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
