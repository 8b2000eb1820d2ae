/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_tlog.c: transparency log entries and RFC 3161
 * timestamps (verify/tlog.c) on material made fresh by
 * fixtures/make-keyless.sh (test CA, log key, TSA) and
 * tests/helpers/keylesscraft (bundles; the same material sigstore-js
 * judges in tests/integration/keyless_material.sh): the good entries
 * verify and give the right verified time, each tampering and each
 * mismatch is refused with its code and message, every limit is crossed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "verify/tlog.h"

#define DIGEST "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
#define ITIME  1700000000LL

static char dir[256];
static struct sn_tlog_key log_key;
static struct sn_tsa tsa;
static time_t now;

static void run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	assert_true(vsnprintf(cmd, sizeof(cmd), fmt, ap) < (int)sizeof(cmd));
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static unsigned char *slurp(const char *name, size_t *len)
{
	char path[512];
	unsigned char *d = malloc(1 << 20);
	FILE *f;

	assert_non_null(d);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "rb"));
	*len = fread(d, 1, 1 << 20, f);
	fclose(f);
	return d;
}

static X509 *load_cert(const char *name)
{
	char path[512];
	FILE *f;
	X509 *c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "r"));
	c = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(c);
	return c;
}

/* keylesscraft bundle ARGS -o DIR/NAME.json (leaf alice, the log key). */
static void craft(const char *name, const char *args)
{
	run("\"%s\" bundle --leaf-key %s/alice.key --leaf-cert %s/alice.crt --log-key %s/log.key "
	    "--image-digest " DIGEST " --integrated-time %lld --sig %s/sig.bin %s -o %s/%s.json",
	    getenv("KEYLESSCRAFT"), dir, dir, dir, ITIME, dir, args, dir, name);
}

static int setup(void **state)
{
	const char *craft_bin = getenv("KEYLESSCRAFT");
	const unsigned char *p;
	unsigned char *der;
	size_t len;

	(void)state;
	if (craft_bin == NULL)
		fail_msg("KEYLESSCRAFT must name tests/helpers/keylesscraft");
	/* keylesscraft is a one-shot helper that exits without freeing what it
	 * built: under the sanitizer CI run (ASAN_OPTIONS=detect_leaks=1) its
	 * leaks are not this test's failures. */
	{
		const char *old = getenv("ASAN_OPTIONS");
		char opts[1024];

		snprintf(opts, sizeof(opts), "%s%sdetect_leaks=0", old != NULL ? old : "",
		         old != NULL ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
	}
	now = time(NULL);
	snprintf(dir, sizeof(dir), "%s/signet-tlog.XXXXXX",
	         getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	run("%s/make-keyless.sh %s >/dev/null", FIXTURES_DIR, dir);
	/* Backdated: valid around ITIME, as the entries' integratedTime. */
	run("%s/make-keyless.sh %s leaf alice alice@example.com https://accounts.example.com %lld %lld",
	    FIXTURES_DIR, dir, ITIME - 60, ITIME + 540);
	run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out %s/other.key 2>/dev/null",
	    dir);
	run("\"%s\" sign --leaf-key %s/alice.key --image-digest " DIGEST " -o %s/sig.bin", craft_bin, dir,
	    dir);
	craft("good", "");
	craft("proof-only", "--no-set");
	craft("set-only", "--no-proof");
	craft("none", "--no-set --no-proof");
	craft("t-proof", "--tamper proof");
	craft("t-set", "--tamper set");
	craft("t-checkpoint", "--tamper checkpoint");
	craft("t-body", "--tamper body");
	run("\"%s\" bundle --leaf-key %s/alice.key --leaf-cert %s/alice.crt --log-key %s/other.key "
	    "--image-digest " DIGEST " --integrated-time %lld -o %s/otherlog.json",
	    craft_bin, dir, dir, dir, ITIME, dir);
	run("%s/make-keyless.sh %s tsr %s/sig.bin %s/sig.tsr", FIXTURES_DIR, dir, dir, dir);
	/* A message signature (hashedrekord entry), signed afresh. */
	run("\"%s\" statement --image-digest " DIGEST " -o %s/statement.json", craft_bin, dir);
	run("\"%s\" bundle --leaf-key %s/alice.key --leaf-cert %s/alice.crt --log-key %s/log.key "
	    "--image-digest " DIGEST " --integrated-time %lld --message-signature -o %s/message.json",
	    craft_bin, dir, dir, dir, ITIME, dir);
	run("\"%s\" bundle --leaf-key %s/alice.key --leaf-cert %s/alice.crt --log-key %s/log.key "
	    "--image-digest " DIGEST
	    " --integrated-time %lld --message-signature --tamper body -o %s/t-body-message.json",
	    craft_bin, dir, dir, dir, ITIME, dir);

	der = slurp("log.der", &len);
	p = der;
	assert_non_null(log_key.key = d2i_PUBKEY(NULL, &p, (long)len));
	SHA256(der, len, log_key.log_id);
	log_key.valid_from = 1577836800; /* 2020-01-01, as trusted_root.json */
	free(der);
	assert_non_null(tsa.chain = sk_X509_new_null());
	sk_X509_push(tsa.chain, load_cert("tsa.crt"));
	sk_X509_push(tsa.chain, load_cert("tsa/root.crt"));
	tsa.valid_from = 1577836800;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(log_key.key);
	sk_X509_pop_free(tsa.chain, X509_free);
	run("rm -rf %s", dir);
	return 0;
}

/* A bundle as the keyless verifier holds it: the JSON and the subject. */
struct bundle {
	json_t *root, *entry;
	struct sn_tlog_subject subj;
	unsigned char *sig, *cert, *payload;
};

static unsigned char *b64dec(json_t *s, size_t *len)
{
	unsigned char *d = NULL;

	assert_non_null(s);
	assert_int_equal(sn_base64_decode(&d, len, json_string_value(s), json_string_length(s)), 0);
	return d;
}

static void load(struct bundle *b, const char *name)
{
	char path[512];
	json_error_t je;
	json_t *env;

	memset(b, 0, sizeof(*b));
	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	b->root = json_load_file(path, 0, &je);
	assert_non_null(b->root);
	b->entry = json_array_get(
	    json_object_get(json_object_get(b->root, "verificationMaterial"), "tlogEntries"), 0);
	assert_non_null(b->entry);
	env = json_object_get(b->root, "dsseEnvelope");
	b->sig = b64dec(json_object_get(json_array_get(json_object_get(env, "signatures"), 0), "sig"),
	                &b->subj.sig_len);
	b->payload = b64dec(json_object_get(env, "payload"), &b->subj.payload_len);
	b->cert = b64dec(
	    json_object_get(json_object_get(json_object_get(b->root, "verificationMaterial"), "certificate"),
	                    "rawBytes"),
	    &b->subj.cert_len);
	b->subj.sig = b->sig;
	b->subj.payload = b->payload;
	b->subj.cert_der = b->cert;
	b->subj.payload_type = "application/vnd.in-toto+json";
}

/* A messageSignature bundle: the message is the statement file. */
static void load_message(struct bundle *b, const char *name)
{
	char path[512];
	json_error_t je;
	json_t *vm;
	size_t len;

	memset(b, 0, sizeof(*b));
	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	assert_non_null(b->root = json_load_file(path, 0, &je));
	vm = json_object_get(b->root, "verificationMaterial");
	assert_non_null(b->entry = json_array_get(json_object_get(vm, "tlogEntries"), 0));
	b->sig = b64dec(json_object_get(json_object_get(b->root, "messageSignature"), "signature"),
	                &b->subj.sig_len);
	b->cert = b64dec(json_object_get(json_object_get(vm, "certificate"), "rawBytes"), &b->subj.cert_len);
	b->payload = slurp("statement.json", &len);
	b->subj.payload_len = len;
	b->subj.sig = b->sig;
	b->subj.payload = b->payload;
	b->subj.cert_der = b->cert;
	b->subj.payload_type = NULL;
}

static void unload(struct bundle *b)
{
	json_decref(b->root);
	free(b->sig);
	free(b->cert);
	free(b->payload);
}

/* Verifies b's entry: the code, and the message holding want (if any). */
static int64_t check(struct bundle *b, const struct sn_tlog_key *logs, size_t n, int code, const char *want)
{
	struct sn_err e = {0};
	int64_t t = 12345;
	int rc = sn_tlog_entry_verify(&t, b->entry, logs, n, &b->subj, &e);

	if (rc != code)
		fail_msg("rc %d, expected %d: %s", rc, code, e.msg);
	if (want != NULL && strstr(e.msg, want) == NULL)
		fail_msg("\"%s\" does not hold \"%s\"", e.msg, want);
	if (code != 0)
		assert_int_equal(t, 12345); /* untouched on failure */
	return t;
}

static int64_t verify_named(const char *name, int code, const char *want)
{
	struct bundle b;
	int64_t t;

	load(&b, name);
	t = check(&b, &log_key, 1, code, want);
	unload(&b);
	return t;
}

static void test_good(void **state)
{
	(void)state;
	/* The SET makes integratedTime a verified time; the proof alone does not. */
	assert_int_equal(verify_named("good", 0, NULL), ITIME);
	assert_int_equal(verify_named("set-only", 0, NULL), ITIME);
	assert_int_equal(verify_named("proof-only", 0, NULL), -1);
}

static void test_hashedrekord(void **state)
{
	struct bundle b;
	unsigned char other[8] = "message";
	size_t len;

	(void)state;
	load_message(&b, "message");
	len = b.subj.payload_len;
	assert_int_equal(check(&b, &log_key, 1, 0, NULL), ITIME);
	b.subj.payload_type = "application/vnd.in-toto+json";
	check(&b, &log_key, 1, SIGNET_EDENIED,
	      "is about another signature: a hashedrekord entry, but the bundle holds a DSSE");
	b.subj.payload_type = NULL;
	b.subj.payload = other;
	b.subj.payload_len = sizeof(other);
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its data hash");
	b.subj.payload = NULL; /* an empty message is another message too */
	b.subj.payload_len = 0;
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its data hash");
	b.subj.payload = b.payload;
	b.subj.payload_len = len;
	b.subj.cert_len--;
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its public key");
	unload(&b);
	load_message(&b, "t-body-message");
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its signature");
	unload(&b);
}

static void test_refusals(void **state)
{
	(void)state;
	verify_named("t-proof", SIGNET_EDENIED, "inclusion proof does not verify");
	verify_named("t-set", SIGNET_EDENIED, "signed entry timestamp does not verify");
	verify_named("t-checkpoint", SIGNET_EDENIED, "checkpoint signature does not verify");
	verify_named("t-body", SIGNET_EDENIED, "transparency log entry is about another signature");
	verify_named("none", SIGNET_EDENIED, "no transparency log proof");
	verify_named("otherlog", SIGNET_EDENIED, "not from a trusted transparency log");
}

static void test_log_validity(void **state)
{
	struct sn_tlog_key k = log_key;
	struct bundle b;

	(void)state;
	load(&b, "good");
	check(&b, NULL, 0, SIGNET_EDENIED, "not from a trusted transparency log");
	k.valid_from = ITIME + 1;
	check(&b, &k, 1, SIGNET_EDENIED, "not from a trusted transparency log");
	k.valid_from = 0;
	k.valid_until = ITIME - 1;
	check(&b, &k, 1, SIGNET_EDENIED, "not from a trusted transparency log");
	k.valid_until = ITIME;
	assert_int_equal(check(&b, &k, 1, 0, NULL), ITIME);
	unload(&b);
}

static void test_subject_mismatch(void **state)
{
	struct bundle b;
	unsigned char other[64];
	size_t len;

	(void)state;
	load(&b, "good");
	len = b.subj.payload_len;
	memset(other, 0x42, sizeof(other));
	b.subj.payload = other; /* another statement */
	b.subj.payload_len = sizeof(other);
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its payloadHash");
	b.subj.payload = NULL;
	b.subj.payload_len = 0;
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its payloadHash");
	b.subj.payload_len = len;
	b.subj.payload = b.payload;
	b.subj.cert_len--; /* another certificate */
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its verifier");
	b.subj.cert_len++;
	b.subj.sig_len--;
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: its signature");
	b.subj.sig_len++;
	b.subj.payload_type = NULL; /* a message signature: needs hashedrekord */
	check(&b, &log_key, 1, SIGNET_EDENIED, "is about another signature: a dsse entry");
	b.subj.payload_type = "application/vnd.in-toto+json";
	b.subj.cert_der = NULL; /* a key: the verifier is not compared */
	assert_int_equal(check(&b, &log_key, 1, 0, NULL), ITIME);
	unload(&b);
}

/* The proof's members changed by hand. */
static void test_proof_edits(void **state)
{
	struct bundle b;
	json_t *proof;

	(void)state;
	load(&b, "proof-only");
	proof = json_object_get(b.entry, "inclusionProof");
	json_object_set_new(proof, "logIndex", json_string("4"));
	check(&b, &log_key, 1, SIGNET_EDENIED, "inclusion proof does not verify");
	json_object_set_new(proof, "logIndex", json_string("7"));
	check(&b, &log_key, 1, SIGNET_EDENIED,
	      "inclusion proof does not verify: logIndex 7 is not below treeSize 7");
	json_object_set_new(proof, "logIndex", json_string("5"));
	json_object_set_new(proof, "treeSize", json_string("8"));
	check(&b, &log_key, 1, SIGNET_EDENIED, "inclusion proof does not verify");
	json_object_set_new(proof, "treeSize", json_string("7"));
	json_array_remove(json_object_get(proof, "hashes"), 2);
	check(&b, &log_key, 1, SIGNET_EDENIED, "inclusion proof does not verify: 2 hashes");
	unload(&b);

	/* A genuine proof, and a checkpoint the log signed for another tree. */
	load(&b, "proof-only");
	proof = json_object_get(b.entry, "inclusionProof");
	{
		char *envl = strdup(
		    json_string_value(json_object_get(json_object_get(proof, "checkpoint"), "envelope")));
		const char *nl;
		char note[512], line[1024];
		unsigned char sig[256], hinted[300];
		size_t sig_len = sizeof(sig);
		EVP_PKEY *k;
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		FILE *f;
		char path[512];
		struct sn_buf enc;
		struct sn_err e = {0};

		snprintf(path, sizeof(path), "%s/log.key", dir);
		assert_non_null(envl);
		nl = strchr(envl, '\n');
		assert_non_null(f = fopen(path, "r"));
		assert_non_null(k = PEM_read_PrivateKey(f, NULL, NULL, NULL));
		fclose(f);
		/* Same origin, size 7, another root. */
		snprintf(note, sizeof(note), "%.*s\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		         (int)(nl - envl), envl);
		assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k), 1);
		assert_int_equal(EVP_DigestSign(ctx, sig, &sig_len, (unsigned char *)note, strlen(note)), 1);
		memcpy(hinted, log_key.log_id, 4);
		memcpy(hinted + 4, sig, sig_len);
		sn_buf_init(&enc, 1024, "test");
		assert_int_equal(sn_base64_encode(&enc, hinted, 4 + sig_len, 0, &e), 0);
		snprintf(line, sizeof(line), "%s\n\xe2\x80\x94 rekor.signet.test %.*s\n", note, (int)enc.len,
		         (char *)enc.data);
		json_object_set_new(json_object_get(proof, "checkpoint"), "envelope", json_string(line));
		check(&b, &log_key, 1, SIGNET_EDENIED,
		      "inclusion proof does not verify: the checkpoint names another root hash");
		/* The same note with the size changed is signed by nobody. */
		line[nl - envl + 1] = '6';
		json_object_set_new(json_object_get(proof, "checkpoint"), "envelope", json_string(line));
		check(&b, &log_key, 1, SIGNET_EDENIED,
		      "inclusion proof does not verify: the checkpoint names another tree size");
		/* A note signed only by someone else (a witness). */
		snprintf(line, sizeof(line), "%.*s\n\n\xe2\x80\x94 witness AAAAAAAAAAAA\n",
		         (int)(strstr(envl, "\n\n") - envl), envl);
		json_object_set_new(json_object_get(proof, "checkpoint"), "envelope", json_string(line));
		check(&b, &log_key, 1, SIGNET_EDENIED,
		      "checkpoint signature does not verify: no signature by the log's key");
		/* The log's note cosigned by a witness: the witness line is ignored. */
		snprintf(line, sizeof(line), "%s\xe2\x80\x94 witness AAAAAAAAAAAA\n", envl);
		json_object_set_new(json_object_get(proof, "checkpoint"), "envelope", json_string(line));
		assert_int_equal(check(&b, &log_key, 1, 0, NULL), -1);
		/* A signature line by the log's key hint that does not verify spoils it. */
		memset(hinted, 0, sizeof(hinted));
		memcpy(hinted, log_key.log_id, 4);
		sn_buf_reset(&enc);
		assert_int_equal(sn_base64_encode(&enc, hinted, 12, 0, &e), 0);
		snprintf(line, sizeof(line), "%s\xe2\x80\x94 rekor.signet.test %.*s\n", envl, (int)enc.len,
		         (char *)enc.data);
		json_object_set_new(json_object_get(proof, "checkpoint"), "envelope", json_string(line));
		check(&b, &log_key, 1, SIGNET_EDENIED,
		      "checkpoint signature does not verify with the log's key");
		/* Not a signed note. */
		json_object_set_new(json_object_get(proof, "checkpoint"), "envelope",
		                    json_string("no note\n"));
		check(&b, &log_key, 1, SIGNET_EBADINPUT, "not a signed note");
		sn_buf_free(&enc);
		EVP_MD_CTX_free(ctx);
		EVP_PKEY_free(k);
		free(envl);
	}
	unload(&b);
}

static void test_strict(void **state)
{
	struct bundle b;

	(void)state;
	load(&b, "good");
	json_object_set_new(b.entry, "extra", json_true());
	check(&b, &log_key, 1, SIGNET_EBADINPUT, "unknown member \"extra\"");
	json_object_del(b.entry, "extra");
	json_object_set_new(b.entry, "integratedTime", json_integer(ITIME));
	check(&b, &log_key, 1, SIGNET_EBADINPUT, "tlogEntry.integratedTime: not a string");
	json_object_set_new(b.entry, "integratedTime", json_string("01700000000"));
	check(&b, &log_key, 1, SIGNET_EBADINPUT, "not a non-negative decimal int64");
	json_object_set_new(b.entry, "integratedTime", json_string("-1"));
	check(&b, &log_key, 1, SIGNET_EBADINPUT, "not a non-negative decimal int64");
	json_object_set_new(b.entry, "integratedTime", json_string("1700000000"));
	json_object_set_new(json_object_get(b.entry, "logId"), "keyId", json_string("AAA"));
	check(&b, &log_key, 1, SIGNET_EBADINPUT, "logId.keyId: not valid base64");
	unload(&b);
	load(&b, "good");
	json_object_set_new(json_object_get(b.entry, "kindVersion"), "kind", json_string("hashedrekord"));
	check(&b, &log_key, 1, SIGNET_EBADINPUT,
	      "kindVersion hashedrekord 0.0.1, but the body is dsse 0.0.1");
	json_object_del(b.entry, "kindVersion");
	check(&b, &log_key, 1, SIGNET_EBADINPUT, "tlogEntry.kindVersion: missing");
	/* Another Rekor kind: not read. */
	json_object_set_new(b.entry, "kindVersion",
	                    json_pack("{s:s, s:s}", "kind", "intoto", "version", "0.0.2"));
	json_object_set_new(b.entry, "canonicalizedBody",
	                    json_string("eyJhcGlWZXJzaW9uIjoiMC4wLjIiLCJraW5kIjoiaW50b3RvIiwic3BlYyI6e319"));
	check(&b, &log_key, 1, SIGNET_EUNSUPPORTED,
	      "an entry of kind intoto 0.0.2; signet reads dsse 0.0.1 and hashedrekord 0.0.1");
	unload(&b);
	{
		json_t *notobj = json_string("x");
		struct sn_err e = {0};
		int64_t t;

		load(&b, "good");
		assert_int_equal(sn_tlog_entry_verify(&t, notobj, &log_key, 1, &b.subj, &e),
		                 SIGNET_EBADINPUT);
		json_decref(notobj);
		unload(&b);
	}
}

static void test_limits(void **state)
{
	struct bundle b;
	json_t *hashes;
	char *big;
	size_t n;

	(void)state;
	load(&b, "proof-only");
	hashes = json_object_get(json_object_get(b.entry, "inclusionProof"), "hashes");
	while (json_array_size(hashes) < SIGNET_MAX_INCLUSION_PROOF_HASHES)
		json_array_append(hashes, json_array_get(hashes, 0));
	/* 64 hashes: within the limit, but not this index's path. */
	check(&b, &log_key, 1, SIGNET_EDENIED, "inclusion proof does not verify");
	json_array_append(hashes, json_array_get(hashes, 0));
	check(&b, &log_key, 1, SIGNET_ELIMIT, "SIGNET_MAX_INCLUSION_PROOF_HASHES");
	unload(&b);

	load(&b, "proof-only");
	n = SIGNET_MAX_CHECKPOINT_SIZE + 1;
	assert_non_null(big = malloc(n + 1));
	memset(big, 'a', n);
	big[n] = '\0';
	json_object_set_new(json_object_get(json_object_get(b.entry, "inclusionProof"), "checkpoint"),
	                    "envelope", json_string(big));
	check(&b, &log_key, 1, SIGNET_ELIMIT, "SIGNET_MAX_CHECKPOINT_SIZE");
	free(big);
	unload(&b);

	load(&b, "good");
	{
		struct sn_buf enc;
		struct sn_err e = {0};
		unsigned char *body = calloc(1, SIGNET_MAX_TLOG_BODY_SIZE + 1);

		assert_non_null(body);
		sn_buf_init(&enc, 4 * SIGNET_MAX_TLOG_BODY_SIZE, "test");
		assert_int_equal(sn_base64_encode(&enc, body, SIGNET_MAX_TLOG_BODY_SIZE + 1, 0, &e), 0);
		json_object_set_new(b.entry, "canonicalizedBody", json_stringn((char *)enc.data, enc.len));
		check(&b, &log_key, 1, SIGNET_ELIMIT,
		      "canonicalizedBody: more than 65536 bytes (SIGNET_MAX_TLOG_BODY_SIZE)");
		sn_buf_free(&enc);
		free(body);
	}
	/* The array: SIGNET_MAX_TLOG_ENTRIES entries verify, one more is refused. */
	{
		json_t *arr = json_array();
		int64_t times[SIGNET_MAX_TLOG_ENTRIES];
		size_t nt = 99;
		struct sn_err e = {0};
		struct bundle good, proof;

		load(&good, "good");
		load(&proof, "proof-only");
		json_array_append(arr, proof.entry);
		while (json_array_size(arr) < SIGNET_MAX_TLOG_ENTRIES)
			json_array_append(arr, good.entry);
		assert_int_equal(sn_tlog_entries_verify(times, &nt, arr, &log_key, 1, &good.subj, &e), 0);
		assert_int_equal(nt, SIGNET_MAX_TLOG_ENTRIES - 1); /* the proof-only entry gives no time */
		assert_int_equal(times[0], ITIME);
		json_array_append(arr, good.entry);
		nt = 99;
		assert_int_equal(sn_tlog_entries_verify(times, &nt, arr, &log_key, 1, &good.subj, &e),
		                 SIGNET_ELIMIT);
		assert_non_null(strstr(e.msg, "SIGNET_MAX_TLOG_ENTRIES"));
		assert_int_equal(nt, 99);
		json_array_clear(arr);
		assert_int_equal(sn_tlog_entries_verify(times, &nt, arr, &log_key, 1, &good.subj, &e),
		                 SIGNET_EDENIED);
		assert_non_null(strstr(e.msg, "no transparency log proof"));
		unload(&b);
		load(&b, "t-set");
		json_array_append(arr, good.entry);
		json_array_append(arr, b.entry);
		assert_int_equal(sn_tlog_entries_verify(times, &nt, arr, &log_key, 1, &good.subj, &e),
		                 SIGNET_EDENIED);
		assert_non_null(strstr(
		    e.msg, "tlogEntries[1]: transparency log entry: signed entry timestamp does not verify"));
		json_decref(arr);
		unload(&good);
		unload(&proof);
	}
	unload(&b);
}

static int64_t tsa_check(const unsigned char *tok, size_t len, const unsigned char *sig, size_t sig_len,
                         const struct sn_tsa *t, size_t n, int code, const char *want)
{
	struct sn_err e = {0};
	int64_t got = 12345;
	int rc = sn_tsa_verify(&got, tok, len, sig, sig_len, t, n, &e);

	if (rc != code)
		fail_msg("rc %d, expected %d: %s", rc, code, e.msg);
	if (want != NULL && strstr(e.msg, want) == NULL)
		fail_msg("\"%s\" does not hold \"%s\"", e.msg, want);
	if (code != 0)
		assert_int_equal(got, 12345);
	return got;
}

static void test_tsa(void **state)
{
	size_t tok_len, sig_len;
	unsigned char *tok = slurp("sig.tsr", &tok_len), *sig = slurp("sig.bin", &sig_len), *big;
	struct sn_tsa t = tsa, wrong = {NULL, 0, 0};
	int64_t got;

	(void)state;
	got = tsa_check(tok, tok_len, sig, sig_len, &tsa, 1, 0, NULL);
	assert_true(got >= (int64_t)now - 5 && got <= (int64_t)time(NULL) + 5);
	/* Over another signature. */
	sig[0] ^= 1;
	tsa_check(tok, tok_len, sig, sig_len, &tsa, 1, SIGNET_EDENIED,
	          "timestamp does not verify: it timestamps another signature");
	sig[0] ^= 1;
	/* No authority, or none valid at genTime. */
	tsa_check(tok, tok_len, sig, sig_len, NULL, 0, SIGNET_EDENIED, "timestamp does not verify");
	t.valid_from = got + 60;
	tsa_check(tok, tok_len, sig, sig_len, &t, 1, SIGNET_EDENIED,
	          "timestamp does not verify: its genTime is outside");
	t.valid_from = 0;
	t.valid_until = got - 60;
	tsa_check(tok, tok_len, sig, sig_len, &t, 1, SIGNET_EDENIED,
	          "timestamp does not verify: its genTime is outside");
	/* Another authority: the Fulcio CA's chain signs no timestamps. */
	assert_non_null(wrong.chain = sk_X509_new_null());
	sk_X509_push(wrong.chain, load_cert("ca/inter.crt"));
	sk_X509_push(wrong.chain, load_cert("ca/root.crt"));
	tsa_check(tok, tok_len, sig, sig_len, &wrong, 1, SIGNET_EDENIED,
	          "timestamp does not verify: no trusted timestamp authority");
	/* The TSA's root alone, without its leaf: the token names a leaf that is not chain[0]. */
	{
		struct sn_tsa rootonly = {sk_X509_new_null(), 0, 0};

		sk_X509_push(rootonly.chain, sk_X509_value(tsa.chain, 1));
		tsa_check(tok, tok_len, sig, sig_len, &rootonly, 1, SIGNET_EDENIED,
		          "timestamp does not verify");
		sk_X509_free(rootonly.chain);
	}
	sk_X509_pop_free(wrong.chain, X509_free);
	/* A flipped byte in the signed content. */
	tok[tok_len - 10] ^= 1;
	tsa_check(tok, tok_len, sig, sig_len, &tsa, 1, SIGNET_EDENIED, "timestamp does not verify");
	tok[tok_len - 10] ^= 1;
	/* Malformed, trailing bytes, too large. */
	tsa_check(tok, 10, sig, sig_len, &tsa, 1, SIGNET_EBADINPUT, "not a DER TimeStampResp");
	assert_non_null(big = calloc(1, SIGNET_MAX_TIMESTAMP_SIZE + 1));
	memcpy(big, tok, tok_len);
	tsa_check(big, tok_len + 1, sig, sig_len, &tsa, 1, SIGNET_EBADINPUT, "trailing bytes");
	tsa_check(big, SIGNET_MAX_TIMESTAMP_SIZE, sig, sig_len, &tsa, 1, SIGNET_EBADINPUT,
	          "not a DER TimeStampResp");
	tsa_check(big, SIGNET_MAX_TIMESTAMP_SIZE + 1, sig, sig_len, &tsa, 1, SIGNET_ELIMIT,
	          "SIGNET_MAX_TIMESTAMP_SIZE");
	free(big);
	free(tok);
	free(sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_hashedrekord),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_log_validity),
	    cmocka_unit_test(test_subject_mismatch),
	    cmocka_unit_test(test_proof_edits),
	    cmocka_unit_test(test_strict),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_tsa),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
