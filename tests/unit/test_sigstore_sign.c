/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_sigstore_sign.c: sigstore (cosign key-based) signing and
 * key generation (built only with the signer feature).  Signatures are
 * checked by the openssl command, keys come from openssl and from signet
 * itself; go-securesystemslib's test vector checks the cosign key format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "sign/sign.h"

#include "cosign_fixture.h"

static int verbose(void)
{
	return getenv("SIGNET_TEST_VERBOSE") != NULL;
}

static const char *fpath(const char *name)
{
	static char paths[4][512];
	static int next;
	char *p = paths[next++ % 4];

	return cx_path(p, name);
}

/* A passphrase source reading the file name (NULL: none). */
static const struct sn_pass *pf(const char *name)
{
	static struct sn_pass pass;

	if (name == NULL)
		return NULL;
	memset(&pass, 0, sizeof(pass));
	pass.file = fpath(name);
	return &pass;
}

static void expect(int rc, const struct sn_err *e, int code, const char *sub)
{
	if (verbose())
		(void)printf("got: %d %s\n", rc, e->msg);
	if (rc != code || strstr(e->msg, sub) == NULL)
		fail_msg("got %d \"%s\", expected %d with \"%s\"", rc, e->msg, code, sub);
	assert_null(strstr(e->msg, "correct horse"));
	assert_null(strstr(e->msg, "not the passphrase"));
}

/* The JSON object of a blob (after the header). */
static json_t *blob_json(const struct sn_buf *blob)
{
	json_error_t jerr;
	json_t *j;

	assert_true(blob->len > SN_SIGSTORE_BLOB_HEADER_LEN);
	assert_memory_equal(blob->data, SN_SIGSTORE_BLOB_HEADER, SN_SIGSTORE_BLOB_HEADER_LEN);
	j = json_loadb((const char *)blob->data + SN_SIGSTORE_BLOB_HEADER_LEN,
	               blob->len - SN_SIGSTORE_BLOB_HEADER_LEN, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		fail_msg("blob JSON: %s", jerr.text);
	return j;
}

/* Writes the blob's raw signature to sig.der. */
static void write_sig(const struct sn_buf *blob)
{
	json_t *j = blob_json(blob);
	const char *s = json_string_value(
	    json_object_get(json_object_get(j, "annotations"), SN_COSIGN_SIGNATURE_ANNOTATION));
	unsigned char *raw = NULL;
	size_t n = 0;

	assert_non_null(s);
	assert_int_equal(sn_base64_decode(&raw, &n, s, strlen(s)), 0);
	cx_write("sig.der", raw, n);
	free(raw);
	json_decref(j);
}

/* openssl's verdict on sig.der over file with pub (0: good). */
static int openssl_verify(const char *pub, const char *dgst, const char *file)
{
	if (dgst == NULL)
		return cx_sh("openssl pkeyutl -verify -pubin -inkey '%s' -rawin -in '%s' -sigfile sig.der",
		             pub, file);
	return cx_sh("openssl dgst -%s -verify '%s' -signature sig.der '%s'", dgst, pub, file);
}

/* Signs payload.json with key (and passphrase file), checks the blob with
 * the backend pinned to pub and with openssl. */
static void sign_and_check(const char *key, const char *pass, const char *pub, const char *dgst)
{
	struct sn_buf payload, blob, keyb, got;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_err e = {0};
	const char *name = pub;
	void *v = NULL;
	int rc;

	cx_read(&payload, "payload.json");
	rc = sn_sigstore_sign(&blob, fpath(key), pf(pass), payload.data, payload.len, NULL, &e);
	if (rc != 0)
		fail_msg("signing with %s: %d %s", key, rc, e.msg);
	assert_int_equal(blob.max, SIGNET_MAX_SIGNATURE_SIZE);
	/* signet's own verifier */
	cx_read(&keyb, pub);
	assert_int_equal(sn_sigstore_backend.verifier_new(&v, &keyb, &name, 1, &e), 0);
	if (sn_sigstore_backend.verify(v, blob.data, blob.len, &got, &who, &e) != 0)
		fail_msg("verifying %s's signature: %s", key, e.msg);
	assert_int_equal(got.len, payload.len);
	assert_memory_equal(got.data, payload.data, payload.len);
	sn_signer_clear(&who);
	sn_buf_free(&got);
	sn_sigstore_backend.verifier_free(v);
	/* openssl, the independent checker, and a negative control */
	write_sig(&blob);
	if (openssl_verify(pub, dgst, "payload.json") != 0)
		fail_msg("openssl does not verify %s's signature (see %s/cmd.log)", key, cx_dir);
	cx_write("payload2.json", payload.data, payload.len - 1);
	if (openssl_verify(pub, dgst, "payload2.json") == 0)
		fail_msg("openssl verifies %s's signature over other data", key);
	sn_buf_free(&keyb);
	sn_buf_free(&blob);
	sn_buf_free(&payload);
}

static void sign_refused(const char *key, const char *pass, int code, const char *sub)
{
	struct sn_buf payload, blob;
	struct sn_err e = {0};
	int rc;

	cx_read(&payload, "payload.json");
	memset(&blob, 0x5a, sizeof(blob));
	rc = sn_sigstore_sign(&blob, key != NULL ? fpath(key) : NULL, pf(pass), payload.data, payload.len,
	                      NULL, &e);
	expect(rc, &e, code, sub);
	assert_int_equal(((unsigned char *)&blob)[0], 0x5a);
	sn_buf_free(&payload);
}

/* ---- signing ---------------------------------------------------------- */

static void test_sign_every_key_type(void **state)
{
	(void)state;
	sign_and_check("ec256.key", NULL, "ec256.pub", "sha256");
	sign_and_check("ec384.key", NULL, "ec384.pub", "sha256");
	sign_and_check("ec521.key", NULL, "ec521.pub", "sha256");
	sign_and_check("rsa2048.key", NULL, "rsa2048.pub", "sha256");
	sign_and_check("rsa4096.key", NULL, "rsa4096.pub", "sha256");
	sign_and_check("ed25519.key", NULL, "ed25519.pub", NULL);
}

/* The blob's exact shape: containers/image's member order, annotations
 * sorted, the payload's base64. */
static void test_blob_bytes(void **state)
{
	struct sn_buf payload, blob;
	struct sn_err e = {0};
	json_t *ann = json_pack("{s:s, s:s}", "org.example/b", "2", "dev.sigstore.cosign/bundle", "<&>");
	char *pb, *want;
	const char *text;
	size_t n;

	(void)state;
	cx_read(&payload, "payload.json");
	assert_int_equal(
	    sn_sigstore_sign(&blob, fpath("ec256.key"), NULL, payload.data, payload.len, ann, &e), 0);
	pb = cx_b64(payload.data, payload.len);
	n = strlen(pb) + 512;
	want = malloc(n);
	assert_non_null(want);
	(void)snprintf(
	    want, n,
	    "{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%s\","
	    "\"annotations\":{\"dev.cosignproject.cosign/signature\":\"",
	    pb);
	text = (const char *)blob.data + SN_SIGSTORE_BLOB_HEADER_LEN;
	assert_memory_equal(blob.data, "\0sigstore-json\n", 15);
	if (strncmp(text, want, strlen(want)) != 0)
		fail_msg("blob \"%s\" does not start with \"%s\"", text, want);
	text = strstr(text, "\",\"dev.sigstore.cosign/bundle\":\"<&>\",\"org.example/b\":\"2\"}}");
	assert_non_null(text);
	assert_int_equal(strlen(text),
	                 strlen("\",\"dev.sigstore.cosign/bundle\":\"<&>\",\"org.example/b\":\"2\"}}"));
	/* The caller's annotations are not changed. */
	assert_int_equal(json_object_size(ann), 2);
	free(want);
	free(pb);
	json_decref(ann);
	sn_buf_free(&blob);
	sn_buf_free(&payload);
}

static void test_annotations_refused(void **state)
{
	struct sn_buf payload, blob;
	struct sn_err e = {0};
	json_t *bad[3];

	(void)state;
	bad[0] = json_pack("{s:s}", SN_COSIGN_SIGNATURE_ANNOTATION, "x");
	bad[1] = json_pack("{s:i}", "n", 1);
	bad[2] = json_pack("[s]", "x");
	cx_read(&payload, "payload.json");
	memset(&blob, 0x5a, sizeof(blob));
	expect(sn_sigstore_sign(&blob, fpath("ec256.key"), NULL, payload.data, payload.len, bad[0], &e), &e,
	       SIGNET_EINVAL, "is the signature itself and cannot be given");
	expect(sn_sigstore_sign(&blob, fpath("ec256.key"), NULL, payload.data, payload.len, bad[1], &e), &e,
	       SIGNET_EINVAL, "\"n\" is not a string");
	expect(sn_sigstore_sign(&blob, fpath("ec256.key"), NULL, payload.data, payload.len, bad[2], &e), &e,
	       SIGNET_EINVAL, "not a JSON object");
	assert_int_equal(((unsigned char *)&blob)[0], 0x5a);
	for (int i = 0; i < 3; i++)
		json_decref(bad[i]);
	sn_buf_free(&payload);
}

static void test_sign_raw(void **state)
{
	struct sn_buf payload;
	struct sn_err e = {0};
	char id[SN_SIGSTORE_KEY_ID_MAX], want[SN_SIGSTORE_KEY_ID_MAX];
	char *b64 = NULL;
	unsigned char *raw = NULL;
	size_t n = 0;

	(void)state;
	cx_read(&payload, "payload.json");
	assert_int_equal(
	    sn_sigstore_sign_raw(&b64, id, fpath("ec521.key"), NULL, payload.data, payload.len, &e), 0);
	cx_keyid(want, "ec521");
	assert_string_equal(id, want);
	assert_int_equal(sn_base64_decode(&raw, &n, b64, strlen(b64)), 0);
	cx_write("sig.der", raw, n);
	assert_int_equal(openssl_verify("ec521.pub", "sha256", "payload.json"), 0);
	free(raw);
	free(b64);
	/* NULL key id is fine; failures leave the output alone. */
	b64 = (char *)0x1;
	expect(sn_sigstore_sign_raw(&b64, NULL, fpath("rsa1024.key"), NULL, payload.data, payload.len, &e),
	       &e, SIGNET_EUNSUPPORTED, "a 1024-bit RSA key");
	assert_ptr_equal(b64, (char *)0x1);
	sn_buf_free(&payload);
}

static void test_encrypted_pkcs8(void **state)
{
	(void)state;
	sign_and_check("ec256-enc.key", "pass.txt", "ec256.pub", "sha256");
	sign_refused("ec256-enc.key", "wrong-pass.txt", SIGNET_EINVAL, "wrong passphrase for signing key ");
	sign_refused("ec256-enc.key", "wrong-pass.txt", SIGNET_EINVAL, "ec256-enc.key (or a damaged key)");
	sign_refused("ec256-enc.key", NULL, SIGNET_EINVAL, "is encrypted: a passphrase is needed");
	sign_refused("ec256-enc.key", "no-such-pass.txt", SIGNET_ENOTFOUND, "passphrase file");
}

/* A passphrase callback that counts its calls and answers as told. */
struct answer {
	const char *pass;
	int rc;
	int calls;
};

static int answer_cb(char *buf, size_t size, size_t *len, const char *key, void *payload)
{
	struct answer *a = payload;

	assert_non_null(key);
	a->calls++;
	if (a->rc != 0)
		return a->rc;
	assert_true(strlen(a->pass) <= size);
	memcpy(buf, a->pass, strlen(a->pass));
	*len = strlen(a->pass);
	return 0;
}

/* Loads key with the callback (and passphrase file pass, or NULL). */
static int load_with(struct answer *a, const char *key, const char *pass, struct sn_err *e)
{
	struct sn_pass src = {NULL, NULL, 0, answer_cb, a};
	EVP_PKEY *k = NULL;
	int rc;

	src.file = pass != NULL ? fpath(pass) : NULL;
	a->calls = 0;
	rc = sn_sigstore_load_private_key(&k, fpath(key), &src, e);
	EVP_PKEY_free(k);
	return rc;
}

static void test_passphrase_callback(void **state)
{
	struct answer a = {"correct horse battery staple", 0, 0};
	struct sn_pass given = {NULL, NULL, SIGNET_PASSPHRASE_MAX + 1, NULL, NULL};
	struct sn_err e = {0};
	unsigned char buf[SN_PASSPHRASE_FILE_MAX];
	size_t len = 0;
	int have = 0;

	(void)state;
	/* a plain key never asks */
	assert_int_equal(load_with(&a, "ec256.key", NULL, &e), 0);
	assert_int_equal(a.calls, 0);
	/* an encrypted one asks once */
	assert_int_equal(load_with(&a, "ec256-enc.key", NULL, &e), 0);
	assert_int_equal(a.calls, 1);
	/* a passphrase file comes first */
	a.pass = "not it";
	assert_int_equal(load_with(&a, "ec256-enc.key", "pass.txt", &e), 0);
	assert_int_equal(a.calls, 0);
	expect(load_with(&a, "ec256-enc.key", NULL, &e), &e, SIGNET_EINVAL,
	       "wrong passphrase for signing key ");
	/* none to be had: as if there were no callback */
	a.rc = SIGNET_ENOTFOUND;
	expect(load_with(&a, "ec256-enc.key", NULL, &e), &e, SIGNET_EINVAL,
	       "is encrypted: a passphrase is needed");
	assert_int_equal(a.calls, 1);
	/* the callback's failure stops, naming the key */
	a.rc = SIGNET_EIO;
	expect(load_with(&a, "ec256-enc.key", NULL, &e), &e, SIGNET_EIO, "ec256-enc.key: no passphrase");
	/* given bytes over the limit */
	given.data = "x";
	expect(sn_pass_get(buf, &len, &have, &given, 0, "k", &e), &e, SIGNET_ELIMIT, "SIGNET_PASSPHRASE_MAX");
	assert_int_equal(have, 0);
	given.len = 1;
	assert_int_equal(sn_pass_get(buf, &len, &have, &given, 0, "k", &e), 0);
	assert_int_equal(have, 1);
	assert_int_equal(len, 1);
}

/* A version 1 options struct (shorter: no passphrase_cb, existing_cb) is
 * still accepted; allocated at its own size so that ASan sees a read past
 * it. */
static void test_options_v1(void **state)
{
	static const char manifest[] =
	    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
	    "{\"mediaType\":\"application/"
	    "vnd.oci.image.config.v1+json\",\"digest\":\"sha256:44136fa355b3678a11"
	    "46ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}";
	const size_t v1 = offsetof(signet_sign_options, recursive) + sizeof(int);
	signet_sign_options init = SIGNET_SIGN_OPTIONS_INIT;
	unsigned char *o = malloc(v1), *sig = NULL;
	unsigned int bad = 3;
	size_t sig_len = 0;
	signet_ctx *ctx = NULL;

	(void)state;
	assert_non_null(o);
	init.version = 1;
	init.key = fpath("ec256.key");
	memcpy(o, &init, v1);
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	if (signet_standalone_sign(&sig, &sig_len, ctx, (const signet_sign_options *)(void *)o, manifest,
	                           sizeof(manifest) - 1, "example.com/a") != 0)
		fail_msg("version 1 options: %s", signet_ctx_errmsg(ctx));
	assert_true(sig_len > 0);
	free(sig);
	memcpy(o, &bad, sizeof(bad));
	assert_int_equal(signet_standalone_sign(&sig, &sig_len, ctx, (const signet_sign_options *)(void *)o,
	                                        manifest, sizeof(manifest) - 1, "example.com/a"),
	                 SIGNET_EINVAL);
	signet_ctx_free(ctx);
	free(o);
}

static void test_key_refused(void **state)
{
	struct sn_buf payload, blob;
	struct sn_err e = {0};
	unsigned char *big;

	(void)state;
	sign_refused("rsa1024.key", NULL, SIGNET_EUNSUPPORTED, "a 1024-bit RSA key");
	sign_refused("k256.key", NULL, SIGNET_EUNSUPPORTED, "curve secp256k1");
	sign_refused("ed448.key", NULL, SIGNET_EUNSUPPORTED, "a key of type ED448");
	sign_refused("ec256-pkcs1.key", NULL, SIGNET_EUNSUPPORTED,
	             "\"EC PRIVATE KEY\" key; signet reads PKCS#8");
	sign_refused("ec256.pub", NULL, SIGNET_EBADINPUT, "a public key; signing needs the private key");
	sign_refused("ec256.crt", NULL, SIGNET_EUNSUPPORTED, "a PEM \"CERTIFICATE\" block");
	sign_refused("payload.json", NULL, SIGNET_EBADINPUT, "not a PEM file");
	sign_refused("no-such.key", NULL, SIGNET_ENOTFOUND, "signing key");
	sign_refused(NULL, NULL, SIGNET_EINVAL, "no key file given");
	big = calloc(1, SN_PEM_MAX_SIZE + 1);
	assert_non_null(big);
	cx_write("big.key", big, SN_PEM_MAX_SIZE + 1);
	free(big);
	sign_refused("big.key", NULL, SIGNET_ELIMIT, "larger than the limit of 65536 bytes");
	{
		char *bp = malloc(SN_PASSPHRASE_FILE_MAX);

		assert_non_null(bp);
		memset(bp, 'x', SN_PASSPHRASE_FILE_MAX);
		cx_write("big-pass.txt", bp, SN_PASSPHRASE_FILE_MAX);
		free(bp);
	}
	sign_refused("ec256-enc.key", "big-pass.txt", SIGNET_ELIMIT, "passphrase file");
	cx_write("two-lines.txt", "a\nb\n", 4);
	sign_refused("ec256-enc.key", "two-lines.txt", SIGNET_EINVAL, "more than one line");

	/* Payload limits. */
	cx_read(&payload, "payload.json");
	expect(sn_sigstore_sign(&blob, fpath("ec256.key"), NULL, payload.data, 0, NULL, &e), &e,
	       SIGNET_EINVAL, "empty payload");
	big = calloc(1, SIGNET_MAX_SIGNATURE_SIZE + 1);
	assert_non_null(big);
	expect(
	    sn_sigstore_sign(&blob, fpath("ec256.key"), NULL, big, SIGNET_MAX_SIGNATURE_SIZE + 1, NULL, &e),
	    &e, SIGNET_ELIMIT, "larger than the limit");
	/* A payload that fits but whose blob (base64) does not. */
	expect(sn_sigstore_sign(&blob, fpath("ec256.key"), NULL, big, SIGNET_MAX_SIGNATURE_SIZE, NULL, &e),
	       &e, SIGNET_ELIMIT, "signature blob: larger than the limit");
	free(big);
	sn_buf_free(&payload);
}

/* ---- cosign-format keys ------------------------------------------------ */

/* Decodes a cosign key file into its label and JSON. */
static json_t *key_json(const char *file, char **label)
{
	struct sn_buf k;
	struct sn_pem pem = {NULL, NULL, 0};
	struct sn_err e = {0};
	json_error_t jerr;
	json_t *j;

	cx_read(&k, file);
	if (sn_pem_decode(&pem, k.data, k.len, file, &e) != 0)
		fail_msg("%s", e.msg);
	j = json_loadb((const char *)pem.der, pem.der_len, 0, &jerr);
	assert_non_null(j);
	if (label != NULL)
		*label = strdup(pem.label);
	sn_pem_clear(&pem);
	sn_buf_free(&k);
	return j;
}

/* Writes j as a PEM key file with this label. */
static void write_key_json(const char *file, const char *label, json_t *j)
{
	struct sn_buf pem;
	char *text = json_dumps(j, JSON_COMPACT);

	assert_non_null(text);
	sn_buf_init(&pem, 1u << 20, "pem");
	assert_int_equal(sn_pem_encode(&pem, label, (unsigned char *)text, strlen(text), NULL), 0);
	cx_write(file, pem.data, pem.len);
	sn_buf_free(&pem);
	free(text);
}

static void test_generate_cosign(void **state)
{
	struct sn_err e = {0};
	struct sn_buf k, k2;
	struct stat st;
	unsigned char *raw = NULL;
	size_t n = 0;
	char *label = NULL;
	json_t *j;

	(void)state;
	if (sn_sigstore_generate(fpath("gen.key"), fpath("gen.pub"), pf("pass.txt"), &e) != 0)
		fail_msg("generate: %s", e.msg);
	assert_int_equal(stat(fpath("gen.key"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(fpath("gen.pub"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);

	/* The file: cosign's format, with the parameters signet writes. */
	j = key_json("gen.key", &label);
	assert_string_equal(label, "ENCRYPTED SIGSTORE PRIVATE KEY");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(json_object_get(j, "kdf"), "params"), "N")),
	    32768);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(json_object_get(j, "kdf"), "params"), "r")),
	    8);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(json_object_get(j, "kdf"), "params"), "p")),
	    1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "kdf"), "name")), "scrypt");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "cipher"), "name")),
	                    "nacl/secretbox");
	{
		const char *s = json_string_value(json_object_get(json_object_get(j, "kdf"), "salt"));

		assert_int_equal(sn_base64_decode(&raw, &n, s, strlen(s)), 0);
		assert_int_equal(n, 32);
		free(raw);
		s = json_string_value(json_object_get(json_object_get(j, "cipher"), "nonce"));
		assert_int_equal(sn_base64_decode(&raw, &n, s, strlen(s)), 0);
		assert_int_equal(n, 24);
		free(raw);
	}
	free(label);
	json_decref(j);
	/* The public key is an ordinary P-256 SubjectPublicKeyInfo. */
	assert_int_equal(cx_sh("openssl pkey -pubin -in gen.pub -noout -text | grep -q 'NIST CURVE: P-256'"),
	                 0);

	/* Re-read and used; openssl checks the signature with gen.pub. */
	sign_and_check("gen.key", "pass.txt", "gen.pub", "sha256");
	sign_refused("gen.key", "wrong-pass.txt", SIGNET_EINVAL, "wrong passphrase for signing key ");
	sign_refused("gen.key", "wrong-pass.txt", SIGNET_EINVAL, "gen.key (or a damaged key)");
	sign_refused("gen.key", NULL, SIGNET_EINVAL,
	             "no passphrase was given, and the empty passphrase does not open it");

	/* Never overwritten: neither file changes, nothing new appears. */
	cx_read(&k, "gen.key");
	expect(sn_sigstore_generate(fpath("gen.key"), fpath("gen-other.pub"), pf("pass.txt"), &e), &e,
	       SIGNET_EIO, "gen.key: exists already, not overwritten");
	expect(sn_sigstore_generate(fpath("gen.key"), fpath("gen.pub"), NULL, &e), &e, SIGNET_EIO,
	       "exists already, not overwritten");
	expect(sn_sigstore_generate(fpath("gen-new.key"), fpath("gen.pub"), NULL, &e), &e, SIGNET_EIO,
	       "gen.pub: exists already, not overwritten");
	assert_int_equal(stat(fpath("gen-other.pub"), &st), -1);
	assert_int_equal(stat(fpath("gen-new.key"), &st), -1);
	cx_read(&k2, "gen.key");
	assert_int_equal(k.len, k2.len);
	assert_memory_equal(k.data, k2.data, k.len);
	sn_buf_free(&k);
	sn_buf_free(&k2);
	expect(sn_sigstore_generate(fpath("same.key"), fpath("same.key"), NULL, &e), &e, SIGNET_EINVAL,
	       "two different file names");
	expect(sn_sigstore_generate(fpath("g3.key"), fpath("g3.pub"), pf("no-such-pass.txt"), &e), &e,
	       SIGNET_ENOTFOUND, "passphrase file");
	assert_int_equal(stat(fpath("g3.key"), &st), -1);
}

static void test_generate_plain(void **state)
{
	struct sn_err e = {0};
	struct stat st;

	(void)state;
	if (sn_sigstore_generate(fpath("plain.key"), fpath("plain.pub"), NULL, &e) != 0)
		fail_msg("generate: %s", e.msg);
	assert_int_equal(stat(fpath("plain.key"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* openssl reads it and derives the same public key. */
	assert_int_equal(
	    cx_sh("openssl pkey -in plain.key -pubout -out plain-openssl.pub && cmp plain.pub "
	          "plain-openssl.pub && head -1 plain.key | grep -qx -- '-----BEGIN PRIVATE KEY-----'"),
	    0);
	sign_and_check("plain.key", NULL, "plain.pub", "sha256");
	/* A passphrase file given for a plain key is not needed, and not an error. */
	sign_and_check("plain.key", "pass.txt", "plain.pub", "sha256");
}

/* cosign's older label, and keys written with the other accepted N. */
/* cosign keys: the callback, the empty passphrase, and generation from
 * given bytes (the empty passphrase still encrypts, as cosign does). */
static void test_passphrase_cosign(void **state)
{
	struct answer a = {"correct horse battery staple", 0, 0};
	struct sn_err e = {0};
	char *label = NULL;
	json_t *j;

	(void)state;
	assert_int_equal(load_with(&a, "gen.key", NULL, &e), 0);
	assert_int_equal(a.calls, 1);
	a.rc = SIGNET_ENOTFOUND;
	expect(load_with(&a, "gen.key", NULL, &e), &e, SIGNET_EINVAL,
	       "no passphrase was given, and the empty passphrase does not open it");
	if (sn_sigstore_generate(fpath("empty.key"), fpath("empty.pub"),
	                         &(struct sn_pass){NULL, "", 0, NULL, NULL}, &e) != 0)
		fail_msg("generate with the empty passphrase: %s", e.msg);
	j = key_json("empty.key", &label);
	assert_string_equal(label, "ENCRYPTED SIGSTORE PRIVATE KEY");
	json_decref(j);
	free(label);
	/* opened with no passphrase at all: the empty one is tried */
	assert_int_equal(load_with(&a, "empty.key", NULL, &e), 0);
}

static void test_cosign_variants(void **state)
{
	char *label = NULL;
	json_t *j;

	(void)state;
	j = key_json("gen.key", &label);
	write_key_json("gen-cosign.key", "ENCRYPTED COSIGN PRIVATE KEY", j);
	sign_and_check("gen-cosign.key", "pass.txt", "gen.pub", "sha256");
	json_decref(j);
	free(label);

	/* openssl's P-384 key wrapped by signet with N = 65536 and 131072. */
	for (uint64_t n = 65536; n <= 131072; n *= 2) {
		struct sn_buf k, enc, pem;
		struct sn_pem p8 = {NULL, NULL, 0};
		struct sn_err e = {0};
		const char pass[] = "correct horse battery staple";

		cx_read(&k, "ec384.key");
		assert_int_equal(sn_pem_decode(&p8, k.data, k.len, "ec384.key", &e), 0);
		assert_int_equal(sn_cosign_encrypt(&enc, p8.der, p8.der_len, (const unsigned char *)pass,
		                                   strlen(pass), n, &e),
		                 0);
		sn_buf_init(&pem, 1u << 20, "pem");
		assert_int_equal(sn_pem_encode(&pem, "ENCRYPTED SIGSTORE PRIVATE KEY", enc.data, enc.len, &e),
		                 0);
		cx_write("ec384-cosign.key", pem.data, pem.len);
		sign_and_check("ec384-cosign.key", "pass.txt", "ec384.pub", "sha256");
		sn_buf_free(&pem);
		sn_buf_free(&enc);
		sn_pem_clear(&p8);
		sn_buf_free(&k);
	}
}

/* Every change to a cosign key's parameters is refused as it should be. */
static void test_cosign_key_tampered(void **state)
{
	static const struct {
		const char *path;  /* member to change: "kdf.params.N", ... */
		const char *value; /* JSON */
		int code;
		const char *sub;
	} cases[] = {
	    {"kdf.params.N", "1024", SIGNET_EUNSUPPORTED, "unsupported scrypt parameters N=1024, r=8, p=1"},
	    {"kdf.params.N", "1048576", SIGNET_EUNSUPPORTED, "unsupported scrypt parameters"},
	    {"kdf.params.N", "-32768", SIGNET_EUNSUPPORTED, "unsupported scrypt parameters"},
	    {"kdf.params.r", "4", SIGNET_EUNSUPPORTED, "unsupported scrypt parameters N=32768, r=4, p=1"},
	    {"kdf.params.p", "2", SIGNET_EUNSUPPORTED, "unsupported scrypt parameters"},
	    {"kdf.params.N", "32768.0", SIGNET_EBADINPUT, "kdf.params.N is not an integer"},
	    {"kdf.params.N", "\"32768\"", SIGNET_EBADINPUT, "kdf.params.N is not an integer"},
	    /* Parameters accepted, but not the ones the key was made with. */
	    {"kdf.params.N", "65536", SIGNET_EINVAL, "wrong passphrase for signing key"},
	    {"kdf.name", "\"argon2id\"", SIGNET_EUNSUPPORTED, "unsupported key derivation \"argon2id\""},
	    {"cipher.name", "\"aes-gcm\"", SIGNET_EUNSUPPORTED, "unsupported cipher \"aes-gcm\""},
	    {"cipher.nonce", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"", SIGNET_EINVAL, "(or a damaged key)"},
	    {"cipher.nonce", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"", SIGNET_EBADINPUT,
	     "cipher.nonce is 22 bytes, not 24"},
	    {"cipher.nonce", "\"AAAA AAAAAAAAAAAAAAAAAAAAAAAAAAA\"", SIGNET_EBADINPUT,
	     "cipher.nonce is not valid base64"},
	    {"ciphertext", "\"AAAAAAAAAAAAAAAAAAAAAA==\"", SIGNET_EBADINPUT, "the ciphertext is too short"},
	    {"kdf.salt", "1", SIGNET_EBADINPUT, "kdf.salt is not a string"},
	    {"kdf.extra", "1", SIGNET_EBADINPUT, "unknown member kdf.\"extra\""},
	    {"extra", "{}", SIGNET_EBADINPUT, "unknown member the key.\"extra\""},
	};
	char *label = NULL;
	json_t *orig;

	(void)state;
	orig = key_json("gen.key", &label);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = json_deep_copy(orig), *o = j,
		       *v = json_loads(cases[i].value, JSON_DECODE_ANY, NULL);
		char path[64], *dot, *seg = path;

		assert_non_null(v);
		(void)snprintf(path, sizeof(path), "%s", cases[i].path);
		while ((dot = strchr(seg, '.')) != NULL) {
			*dot = '\0';
			o = json_object_get(o, seg);
			seg = dot + 1;
		}
		assert_int_equal(json_object_set_new(o, seg, v), 0);
		write_key_json("tampered.key", label, j);
		sign_refused("tampered.key", "pass.txt", cases[i].code, cases[i].sub);
		json_decref(j);
	}
	/* A flipped ciphertext bit: the MAC fails, as for a wrong passphrase. */
	{
		json_t *j = json_deep_copy(orig);
		const char *s = json_string_value(json_object_get(j, "ciphertext"));
		char *c = strdup(s);

		c[10] = c[10] == 'A' ? 'B' : 'A';
		json_object_set_new(j, "ciphertext", json_string(c));
		write_key_json("tampered.key", label, j);
		sign_refused("tampered.key", "pass.txt", SIGNET_EINVAL, "(or a damaged key)");
		free(c);
		json_decref(j);
	}
	/* Decrypts, but is not a PKCS#8 key. */
	{
		struct sn_buf enc;
		struct sn_err e = {0};
		const char pass[] = "correct horse battery staple";

		assert_int_equal(sn_cosign_encrypt(&enc, (const unsigned char *)"hello", 5,
		                                   (const unsigned char *)pass, strlen(pass), 32768, &e),
		                 0);
		{
			json_error_t jerr;
			json_t *j = json_loadb((const char *)enc.data, enc.len, 0, &jerr);

			write_key_json("tampered.key", "ENCRYPTED SIGSTORE PRIVATE KEY", j);
			json_decref(j);
		}
		sign_refused("tampered.key", "pass.txt", SIGNET_EBADINPUT, "not a PKCS#8 private key");
		sn_buf_free(&enc);
	}
	json_decref(orig);
	free(label);
}

/* go-securesystemslib's own test vector (encrypted/encrypted_test.go,
 * TestDecrypt): the independent check of scrypt + secretbox. */
static void test_securesystemslib_vector(void **state)
{
	static const char vec[] =
	    "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":"
	    "\"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g=\"},"
	    "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik\"},"
	    "\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ==\"}";
	struct sn_err e = {0};
	unsigned char *plain = NULL;
	size_t n = 0;

	(void)state;
	if (sn_cosign_decrypt(&plain, &n, vec, sizeof(vec) - 1, (const unsigned char *)"supersecret", 11,
	                      "vector", &e) != 0)
		fail_msg("decrypt: %s", e.msg);
	assert_int_equal(n, 15);
	assert_memory_equal(plain, "reallyimportant", 15);
	free(plain);
	plain = (unsigned char *)0x1;
	expect(sn_cosign_decrypt(&plain, &n, vec, sizeof(vec) - 1, (const unsigned char *)"supersecreT", 11,
	                         "vector", &e),
	       &e, SIGNET_EINVAL, "wrong passphrase for vector (or a damaged key)");
	assert_ptr_equal(plain, (unsigned char *)0x1);
}

#if !SIGNET_HAVE_SODIUM
/* Built without libsodium: cosign keys are refused, not misread. */
static void test_without_sodium(void **state)
{
	static const char key[] = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\ne30=\n"
	                          "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
	struct sn_err e = {0};
	struct stat st;

	(void)state;
	cx_write("nosodium.key", key, sizeof(key) - 1);
	sign_refused("nosodium.key", "pass.txt", SIGNET_EUNSUPPORTED, "built without libsodium");
	expect(sn_sigstore_generate(fpath("ns.key"), fpath("ns.pub"), pf("pass.txt"), &e), &e,
	       SIGNET_EUNSUPPORTED, "needs libsodium");
	assert_int_equal(stat(fpath("ns.key"), &st), -1);
}
#endif

/* Debian's skopeo 1.9.3 is built with sigstore disabled ("Debian-local
 * change: sigstore disabled"), so it can neither sign with these keys nor
 * verify these signatures: the independent checks here are openssl and
 * go-securesystemslib's vector. */

/* ---- signing a bundle again (sn_existing_signature, bundles) ---------- */

#define BDIGEST   "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define BDIGEST_2 "sha256:1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The statement for digest with the annotations ann (a JSON object text,
 * or NULL). */
static void statement(struct sn_buf *out, const char *digest, const char *ann)
{
	struct sn_err e = {0};
	json_t *a = ann != NULL ? json_loads(ann, 0, NULL) : NULL;

	assert_true(ann == NULL || a != NULL);
	if (sn_bundle_statement(out, digest, a, &e) != 0)
		fail_msg("statement: %s", e.msg);
	json_decref(a);
}

/* Appends key's bundle over stmt to l as a referrer read would; tamper
 * flips one byte of its signature's base64. */
static void add_bundle(struct sn_sig_list *l, const char *key, const struct sn_buf *stmt, int tamper)
{
	struct sn_err e = {0};
	struct sn_buf b;
	unsigned char *data;
	char *sig;

	if (sn_bundle_create(&b, fpath(key), NULL, stmt, &e) != 0)
		fail_msg("bundle: %s", e.msg);
	if (tamper) {
		assert_non_null(sig = strstr((char *)b.data, "\"sig\":\""));
		sig[7] = sig[7] == 'A' ? 'B' : 'A';
	}
	assert_non_null(data = malloc(SN_BUNDLE_BLOB_HEADER_LEN + b.len + 1));
	memcpy(data, SN_BUNDLE_BLOB_HEADER, SN_BUNDLE_BLOB_HEADER_LEN);
	memcpy(data + SN_BUNDLE_BLOB_HEADER_LEN, b.data, b.len);
	data[SN_BUNDLE_BLOB_HEADER_LEN + b.len] = '\0';
	assert_int_equal(
	    sn_sig_list_add(l, data, SN_BUNDLE_BLOB_HEADER_LEN + b.len, strdup("referrer"), "referrers", &e),
	    0);
	sn_buf_free(&b);
}

/* Which of l key finds as its own bundle over stmt (-1: none). */
static long existing(const struct sn_sig_list *l, const char *key, const struct sn_buf *stmt)
{
	char id[SN_SIGSTORE_KEY_ID_MAX];
	struct sn_err e = {0};
	struct sn_buf pub;
	long found = -2;

	if (sn_sigstore_public_key(&pub, id, fpath(key), NULL, &e) != 0)
		fail_msg("public key: %s", e.msg);
	if (sn_existing_signature(&found, l, &sn_sigstore_backend, &pub, stmt, SN_COSIGN_SIGN_PREDICATE,
	                          &e) != 0)
		fail_msg("existing: %s", e.msg);
	sn_buf_free(&pub);
	return found;
}

static void test_bundle_existing(void **state)
{
	static const char no_member[] =
	    "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" BDIGEST
	    "\"}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}";
	struct sn_sig_list l = SN_SIG_LIST_INIT, forged = SN_SIG_LIST_INIT;
	struct sn_buf plain, prod, other, bare, bad, pub;
	char id[SN_SIGSTORE_KEY_ID_MAX];
	struct sn_err e = {0};
	long found = -2;
	char *p;

	(void)state;
	if (sn_sigstore_generate(fpath("b1.key"), fpath("b1.pub"), NULL, &e) != 0 ||
	    sn_sigstore_generate(fpath("b2.key"), fpath("b2.pub"), NULL, &e) != 0)
		fail_msg("generate: %s", e.msg);
	statement(&plain, BDIGEST, NULL);
	statement(&prod, BDIGEST, "{\"env\":\"prod\"}");
	statement(&other, BDIGEST_2, NULL);
	/* The same statement without its annotations member, as sigstore-js
	 * writes one: "sha256:" cut from the digest. */
	sn_buf_init(&bare, 4096, "statement");
	assert_non_null(p = strstr(no_member, "sha256:0123"));
	assert_int_equal(sn_buf_append(&bare, no_member, (size_t)(p - no_member), &e), 0);
	assert_int_equal(sn_buf_append_str(&bare, p + 7, &e), 0);

	assert_int_equal(existing(&l, "b1.key", &plain), -1);
	add_bundle(&l, "b1.key", &plain, 0);
	assert_int_equal(existing(&l, "b1.key", &plain), 0);
	assert_int_equal(existing(&l, "b1.key", &bare), 0);
	assert_int_equal(existing(&l, "b2.key", &plain), -1);
	assert_int_equal(existing(&l, "b1.key", &other), -1);
	assert_int_equal(existing(&l, "b1.key", &prod), -1);
	add_bundle(&l, "b2.key", &prod, 0);
	assert_int_equal(existing(&l, "b1.key", &prod), -1);
	assert_int_equal(existing(&l, "b2.key", &prod), 1);
	add_bundle(&l, "b1.key", &prod, 0);
	assert_int_equal(existing(&l, "b1.key", &prod), 2);
	/* A bundle whose signature does not verify counts for nothing. */
	add_bundle(&forged, "b1.key", &plain, 1);
	assert_int_equal(existing(&forged, "b1.key", &plain), -1);
	/* A statement that does not parse is the caller's error. */
	sn_buf_init(&bad, 64, "statement");
	assert_int_equal(sn_buf_append_str(&bad, "{\"_type\":1}", &e), 0);
	assert_int_equal(sn_sigstore_public_key(&pub, id, fpath("b1.key"), NULL, &e), 0);
	expect(
	    sn_existing_signature(&found, &l, &sn_sigstore_backend, &pub, &bad, SN_COSIGN_SIGN_PREDICATE, &e),
	    &e, SIGNET_EBADINPUT, "bundle statement: _type");
	assert_int_equal(found, -1);
	sn_sig_list_free(&l);
	sn_sig_list_free(&forged);
	sn_buf_free(&plain);
	sn_buf_free(&prod);
	sn_buf_free(&other);
	sn_buf_free(&bare);
	sn_buf_free(&bad);
	sn_buf_free(&pub);
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
		cmocka_unit_test(test_sign_every_key_type),
		cmocka_unit_test(test_blob_bytes),
		cmocka_unit_test(test_annotations_refused),
		cmocka_unit_test(test_sign_raw),
		cmocka_unit_test(test_encrypted_pkcs8),
		cmocka_unit_test(test_key_refused),
		cmocka_unit_test(test_passphrase_callback),
		cmocka_unit_test(test_options_v1),
		cmocka_unit_test(test_generate_plain),
		cmocka_unit_test(test_bundle_existing),
	/* What runs depends on the build: cosign's encrypted keys need
	 * libsodium, and without it they must be refused, not misread. */
#if SIGNET_HAVE_SODIUM
		cmocka_unit_test(test_securesystemslib_vector),
		/* in this order: later tests use the keys generated here */
		cmocka_unit_test(test_generate_cosign),
		cmocka_unit_test(test_passphrase_cosign),
		cmocka_unit_test(test_cosign_variants),
		cmocka_unit_test(test_cosign_key_tampered),
#else
		cmocka_unit_test(test_without_sodium),
#endif
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
