/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_tlog.c: transparency log entries and RFC 3161
 * timestamps (verify/tlog.c).  The input is read as a keyless bundle: its
 * tlogEntries are verified (sn_tlog_entries_verify) about its own
 * signature, certificate and payload, against one log whose key is the
 * fixed P-256 key of fuzz_sigstore.c (fixtures/make-fuzz-seeds.sh holds
 * its private half and crafts the seeds with keylesscraft, so that they
 * verify); each rfc3161Timestamps[].signedTimestamp, and the input itself,
 * is read as a timestamp (sn_tsa_verify, no authority trusted: the parse
 * only).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/sha.h>

#include "fuzz.h"
#include "verify/tlog.h"

static const char fixed_key[] = "-----BEGIN PUBLIC KEY-----\n"
                                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHYKiitLRz/JtfYI44pCpExOZXLxl\n"
                                "vkBOqqkkbqG9BC0EFBZJCkjtR4+vBfd7eB3fS71aOTzzjmYAKJMzFIALQw==\n"
                                "-----END PUBLIC KEY-----\n";

static struct sn_tlog_key fixed_log; /* made once, kept for the process */

static unsigned char *b64(json_t *s, size_t *len)
{
	unsigned char *d = NULL;

	*len = 0;
	if (!json_is_string(s) || sn_base64_decode(&d, len, json_string_value(s), json_string_length(s)) != 0)
		return NULL;
	return d;
}

static void entries(json_t *root)
{
	json_t *vm = json_object_get(root, "verificationMaterial"),
	       *env = json_object_get(root, "dsseEnvelope");
	json_t *tsv = json_array_get(
	    json_object_get(json_object_get(vm, "timestampVerificationData"), "rfc3161Timestamps"), 0);
	struct sn_tlog_subject subj = {NULL, 0, NULL, 0, NULL, 0, NULL};
	unsigned char *sig, *cert, *payload = NULL, *tok;
	int64_t times[SIGNET_MAX_TLOG_ENTRIES], t;
	size_t n = 0, len;
	struct sn_err e;

	if (env != NULL) {
		sig = b64(json_object_get(json_array_get(json_object_get(env, "signatures"), 0), "sig"),
		          &subj.sig_len);
		payload = b64(json_object_get(env, "payload"), &subj.payload_len);
		subj.payload_type = json_string_value(json_object_get(env, "payloadType"));
		if (subj.payload_type == NULL)
			subj.payload_type = "";
	} else {
		sig = b64(json_object_get(json_object_get(root, "messageSignature"), "signature"),
		          &subj.sig_len);
	}
	cert = b64(json_object_get(json_object_get(vm, "certificate"), "rawBytes"), &subj.cert_len);
	subj.sig = sig;
	subj.cert_der = cert;
	subj.payload = payload;
	if (sn_tlog_entries_verify(times, &n, json_object_get(vm, "tlogEntries"), &fixed_log, 1, &subj, &e) ==
	    0) {
		/* What verifying promises: at most one time per entry. */
		if (n > json_array_size(json_object_get(vm, "tlogEntries")))
			abort();
	}
	if ((tok = b64(json_object_get(tsv, "signedTimestamp"), &len)) != NULL) {
		if (sn_tsa_verify(&t, tok, len, sig != NULL ? sig : (const unsigned char *)"", subj.sig_len,
		                  NULL, 0, &e) == 0)
			abort(); /* no authority is trusted */
		free(tok);
	}
	free(sig);
	free(cert);
	free(payload);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root = NULL;
	struct sn_err e;
	int64_t t;

	if (fixed_log.key == NULL) {
		BIO *bio = BIO_new_mem_buf(fixed_key, (int)sizeof(fixed_key) - 1);
		unsigned char *der = NULL;
		int len;

		fixed_log.key = bio != NULL ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		if (fixed_log.key == NULL || (len = i2d_PUBKEY(fixed_log.key, &der)) <= 0)
			abort();
		SHA256(der, (size_t)len, fixed_log.log_id);
		OPENSSL_free(der);
	}
	if (size > SIGNET_MAX_SIGNATURE_SIZE)
		return 0;
	if (sn_json_parse(&root, data, size, "bundle", &e) == 0) {
		if (json_is_object(root))
			entries(root);
		json_decref(root);
	}
	if (sn_tsa_verify(&t, data, size, (const unsigned char *)"", 0, NULL, 0, &e) == 0)
		abort();
	return 0;
}
