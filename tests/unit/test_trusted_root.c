/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_trusted_root.c: trusted_root.json (policy/trusted_root.c)
 * with a CA certificate and a log key made here: a good root parses; each
 * malformed member is refused naming its JSON path; each limit
 * (SIGNET_MAX_TRUSTED_ROOT_ENTRIES, SIGNET_MAX_CERT_CHAIN,
 * SIGNET_MAX_TRUSTED_ROOT_SIZE) is crossed; RFC 3339 times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "policy/policy.h"

static char *cert_b64, *key_b64, *key_id_b64, *root_pem, *log_pem;

/* Standard padded base64 of d. */
static char *b64(const unsigned char *d, int n)
{
	char *out = malloc((size_t)(4 * ((n + 2) / 3) + 1));

	assert_non_null(out);
	EVP_EncodeBlock((unsigned char *)out, d, n);
	return out;
}

static int setup(void **state)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	unsigned char *der = NULL, id[32];
	unsigned int id_len = 0;
	int n;
	BIO *bio;
	char *p;
	long len;

	(void)state;
	assert_non_null(k);
	assert_non_null(x);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"test root", -1, -1, 0);
	X509_set_issuer_name(x, name);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	n = i2d_X509(x, &der);
	cert_b64 = b64(der, n);
	OPENSSL_free(der);
	der = NULL;
	n = i2d_PUBKEY(k, &der);
	key_b64 = b64(der, n);
	EVP_Digest(der, (size_t)n, id, &id_len, EVP_sha256(), NULL);
	key_id_b64 = b64(id, 32);
	OPENSSL_free(der);
	bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, x);
	len = BIO_get_mem_data(bio, &p);
	root_pem = strndup(p, (size_t)len);
	(void)BIO_reset(bio);
	PEM_write_bio_PUBKEY(bio, k);
	len = BIO_get_mem_data(bio, &p);
	log_pem = strndup(p, (size_t)len);
	BIO_free(bio);
	X509_free(x);
	EVP_PKEY_free(k);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(cert_b64);
	free(key_b64);
	free(key_id_b64);
	free(root_pem);
	free(log_pem);
	return 0;
}

#define MT "application/vnd.dev.sigstore.trustedroot+json;version=0.1"

/* A good trusted root as a JSON object. */
static json_t *good(void)
{
	json_t *r = json_pack(
	    "{s:s, s:[{s:s, s:s, s:{s:s, s:s, s:{s:s}}, s:{s:s}}], s:[{s:{s:s}, s:s, s:{s:[{s:s}]}, "
	    "s:{s:s, s:s}}]}",
	    "mediaType", MT, "tlogs", "baseUrl", "https://rekor.example", "hashAlgorithm", "SHA2_256",
	    "publicKey", "rawBytes", key_b64, "keyDetails", "PKIX_ECDSA_P256_SHA_256", "validFor", "start",
	    "2020-01-01T00:00:00Z", "logId", "keyId", key_id_b64, "certificateAuthorities", "subject",
	    "commonName", "test", "uri", "https://fulcio.example", "certChain", "certificates", "rawBytes",
	    cert_b64, "validFor", "start", "2020-01-01T00:00:00.000Z", "end", "2040-01-01T00:00:00Z");

	assert_non_null(r);
	return r;
}

static int parse(json_t *j, struct sn_trusted_root *out, struct sn_err *e)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	int rc;

	assert_non_null(text);
	memset(e, 0, sizeof(*e));
	rc = sn_trusted_root_parse(out, text, strlen(text), "trusted root t.json", e);
	free(text);
	json_decref(j);
	return rc;
}

/* j is refused with code, the message containing part. */
static void refused(json_t *j, int code, const char *part)
{
	struct sn_trusted_root r;
	struct sn_err e;
	int rc = parse(j, &r, &e);

	if (rc != code || strstr(e.msg, part) == NULL)
		fail_msg("expected %d \"...%s...\", got %d \"%s\"", code, part, rc, e.msg);
}

static void test_good(void **state)
{
	struct sn_trusted_root r;
	struct sn_err e;
	int64_t t;

	(void)state;
	assert_int_equal(parse(good(), &r, &e), 0);
	assert_int_equal(r.n_cas, 1);
	assert_int_equal(r.n_logs, 1);
	assert_int_equal(r.n_tsas, 0);
	assert_int_equal(sk_X509_num(r.cas[0].chain), 1);
	assert_int_equal(sn_rfc3339_parse(&t, "2020-01-01T00:00:00Z"), 0);
	assert_int_equal(r.cas[0].valid_from, t);
	assert_int_equal(sn_rfc3339_parse(&t, "2040-01-01T00:00:00Z"), 0);
	assert_int_equal(r.cas[0].valid_until, t);
	assert_int_equal(r.logs[0].valid_until, 0);
	assert_non_null(r.logs[0].key);
	sn_trusted_root_clear(&r);
}

static void test_malformed(void **state)
{
	json_t *j;

	(void)state;
	j = good();
	json_object_set_new(j, "mediaType", json_string("application/json"));
	refused(j, SIGNET_EBADINPUT, "trusted root t.json: mediaType: \"application/json\", not");
	j = good();
	json_object_set_new(j, "extra", json_true());
	refused(j, SIGNET_EBADINPUT, "trusted root t.json: unknown member \"extra\"");
	j = good();
	json_object_del(j, "tlogs");
	refused(j, SIGNET_EBADINPUT, "trusted root t.json: tlogs: missing");
	j = good();
	json_object_set_new(j, "certificateAuthorities", json_array());
	refused(j, SIGNET_EBADINPUT, "certificateAuthorities: empty");
	j = good();
	json_object_set_new(json_object_get(json_array_get(json_object_get(j, "tlogs"), 0), "publicKey"), "x",
	                    json_null());
	refused(j, SIGNET_EBADINPUT, "tlogs[0].publicKey: unknown member \"x\"");
	j = good();
	json_object_set_new(json_object_get(json_array_get(json_object_get(j, "tlogs"), 0), "logId"), "keyId",
	                    json_string(cert_b64));
	refused(j, SIGNET_EBADINPUT, "tlogs[0].logId.keyId: is not the SHA-256 of publicKey.rawBytes");
	j = good();
	json_object_set_new(json_object_get(json_array_get(json_object_get(j, "tlogs"), 0), "publicKey"),
	                    "rawBytes", json_string(cert_b64));
	refused(j, SIGNET_EBADINPUT, "tlogs[0].publicKey.rawBytes: not a DER public key");
	j = good();
	json_object_set_new(
	    json_array_get(
	        json_object_get(
	            json_object_get(json_array_get(json_object_get(j, "certificateAuthorities"), 0),
	                            "certChain"),
	            "certificates"),
	        0),
	    "rawBytes", json_string("AAA"));
	refused(j, SIGNET_EBADINPUT,
	        "certificateAuthorities[0].certChain.certificates[0].rawBytes: not valid base64");
	j = good();
	json_object_set_new(
	    json_array_get(
	        json_object_get(
	            json_object_get(json_array_get(json_object_get(j, "certificateAuthorities"), 0),
	                            "certChain"),
	            "certificates"),
	        0),
	    "rawBytes", json_string(key_b64));
	refused(j, SIGNET_EBADINPUT,
	        "certificateAuthorities[0].certChain.certificates[0].rawBytes: not a DER X.509 certificate");
	j = good();
	json_object_set_new(
	    json_object_get(json_array_get(json_object_get(j, "certificateAuthorities"), 0), "validFor"),
	    "start", json_string("2020-02-30T00:00:00Z"));
	refused(
	    j, SIGNET_EBADINPUT,
	    "certificateAuthorities[0].validFor.start: \"2020-02-30T00:00:00Z\" is not an RFC 3339 UTC time");
	j = good();
	json_object_set_new(
	    json_object_get(json_array_get(json_object_get(j, "certificateAuthorities"), 0), "validFor"),
	    "end", json_string("2019-01-01T00:00:00Z"));
	refused(j, SIGNET_EBADINPUT, "certificateAuthorities[0].validFor.end: ends before it starts");
	j = good();
	json_object_set_new(json_array_get(json_object_get(j, "tlogs"), 0), "hashAlgorithm",
	                    json_string("SHA2_384"));
	refused(j, SIGNET_EUNSUPPORTED, "tlogs[0].hashAlgorithm: \"SHA2_384\": only SHA2_256 logs are read");
	j = good();
	json_object_set_new(json_array_get(json_object_get(j, "tlogs"), 0), "baseUrl", json_integer(1));
	refused(j, SIGNET_EBADINPUT, "tlogs[0].baseUrl: not a string");
	refused(json_array(), SIGNET_EBADINPUT, "trusted root t.json: not a JSON object");
}

static void test_limits(void **state)
{
	struct sn_trusted_root r;
	struct sn_err e;
	json_t *j, *cas, *certs;
	char *big;

	(void)state;
	/* SIGNET_MAX_TRUSTED_ROOT_ENTRIES: exactly at the limit, then one more */
	j = good();
	cas = json_object_get(j, "certificateAuthorities");
	while (json_array_size(cas) < SIGNET_MAX_TRUSTED_ROOT_ENTRIES)
		json_array_append_new(cas, json_deep_copy(json_array_get(cas, 0)));
	assert_int_equal(parse(json_deep_copy(j), &r, &e), 0);
	assert_int_equal(r.n_cas, SIGNET_MAX_TRUSTED_ROOT_ENTRIES);
	sn_trusted_root_clear(&r);
	json_array_append_new(cas, json_deep_copy(json_array_get(cas, 0)));
	refused(j, SIGNET_ELIMIT, "certificateAuthorities: 33 entries, more than the limit of 32");
	/* SIGNET_MAX_CERT_CHAIN */
	j = good();
	certs = json_object_get(
	    json_object_get(json_array_get(json_object_get(j, "certificateAuthorities"), 0), "certChain"),
	    "certificates");
	while (json_array_size(certs) <= SIGNET_MAX_CERT_CHAIN)
		json_array_append_new(certs, json_deep_copy(json_array_get(certs, 0)));
	refused(j, SIGNET_ELIMIT,
	        "certificateAuthorities[0].certChain.certificates: 9 entries, more than the limit of 8");
	/* SIGNET_MAX_CERT_SIZE: base64 of more than 64 KiB */
	big = malloc(90001);
	assert_non_null(big);
	memset(big, 'A', 90000);
	big[90000] = '\0';
	j = good();
	json_object_set_new(json_object_get(json_array_get(json_object_get(j, "tlogs"), 0), "publicKey"),
	                    "rawBytes", json_string(big));
	refused(j, SIGNET_ELIMIT, "tlogs[0].publicKey.rawBytes: longer than the limit of 65536 bytes");
	free(big);
	/* SIGNET_MAX_TRUSTED_ROOT_SIZE */
	big = malloc(SIGNET_MAX_TRUSTED_ROOT_SIZE + 1);
	assert_non_null(big);
	memset(big, ' ', SIGNET_MAX_TRUSTED_ROOT_SIZE + 1);
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    sn_trusted_root_parse(&r, big, SIGNET_MAX_TRUSTED_ROOT_SIZE + 1, "trusted root big", &e),
	    SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "larger than the limit of 1048576 bytes"));
	free(big);
}

static void test_from_pem(void **state)
{
	struct sn_buf ca = {(unsigned char *)root_pem, strlen(root_pem), 0, 0, NULL};
	struct sn_buf two, logk = {(unsigned char *)log_pem, strlen(log_pem), 0, 0, NULL};
	const char *names[] = {"rekorPublicKeyData"};
	struct sn_trusted_root r;
	struct sn_err e = {0};
	char *both;

	(void)state;
	assert_int_equal(sn_trusted_root_from_pem(&r, &ca, "caData", &logk, names, 1, &e), 0);
	assert_int_equal(r.n_cas, 1);
	assert_int_equal(r.n_logs, 1);
	assert_int_equal(r.cas[0].valid_until, 0);
	sn_trusted_root_clear(&r);
	/* two certificates in one file: one CA of two anchors */
	assert_non_null(both = malloc(2 * strlen(root_pem) + 2));
	(void)snprintf(both, 2 * strlen(root_pem) + 2, "%s\n%s", root_pem, root_pem);
	two = (struct sn_buf){(unsigned char *)both, strlen(both), 0, 0, NULL};
	assert_int_equal(sn_trusted_root_from_pem(&r, &two, "caData", &logk, names, 1, &e), 0);
	assert_int_equal(sk_X509_num(r.cas[0].chain), 2);
	sn_trusted_root_clear(&r);
	free(both);
	/* the log key where the CA belongs */
	assert_int_equal(sn_trusted_root_from_pem(&r, &logk, "caData", &logk, names, 1, &e),
	                 SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "not PEM CERTIFICATE blocks"));
	/* the CA where the log key belongs */
	assert_int_equal(sn_trusted_root_from_pem(&r, &ca, "caData", &ca, names, 1, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "not a PUBLIC KEY"));
}

static void test_rfc3339(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(sn_rfc3339_parse(&t, "1970-01-01T00:00:00Z"), 0);
	assert_int_equal(t, 0);
	assert_int_equal(sn_rfc3339_parse(&t, "2021-03-07T03:20:29.123456Z"), 0);
	assert_int_equal(t, 1615087229);
	assert_int_equal(sn_rfc3339_parse(&t, "2024-02-29T23:59:59Z"), 0);
	assert_int_equal(t, 1709251199);
	assert_int_equal(sn_rfc3339_parse(&t, "2023-02-29T00:00:00Z"), -1);
	assert_int_equal(sn_rfc3339_parse(&t, "2023-01-01T00:00:00+01:00"), -1);
	assert_int_equal(sn_rfc3339_parse(&t, "2023-01-01T00:00:00.Z"), -1);
	assert_int_equal(sn_rfc3339_parse(&t, "2023-01-01 00:00:00Z"), -1);
	assert_int_equal(sn_rfc3339_parse(&t, "2023-01-01T24:00:00Z"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),     cmocka_unit_test(test_malformed), cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_from_pem), cmocka_unit_test(test_rfc3339),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
