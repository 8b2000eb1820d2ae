/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/contract_sig.c: the HPCR contract signature (envWorkloadSignature).
 *
 * What IBM documents and signet follows ("Contract signature"): the
 * deployer signs the value of workload immediately followed by the value
 * of env (the hyper-protect-basic strings when encrypted), no separator,
 * with `openssl dgst -sha256 -sign KEY.pem` (RSA PKCS#1 v1.5, SHA-256),
 * and writes its base64 as envWorkloadSignature.  The public key goes
 * into env.signingKey: a PEM public key or a PEM certificate, or base64
 * of either; with a certificate, its notAfter is the contract's expiry.
 */
#include "policy/policy.h"
#include "base/base64.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define PEM_BEGIN      "-----BEGIN "
#define PEM_CERT_BEGIN "-----BEGIN CERTIFICATE-----"

static int starts_with(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	return n >= k && memcmp(s, prefix, k) == 0;
}

/* "YYYY-MM-DD HH:MM:SS UTC" of t into buf (at least 32 bytes). */
static void format_time(char *buf, size_t size, const ASN1_TIME *t)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) != 1 || strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		(void)snprintf(buf, size, "(an unreadable date)");
}

/* The public key of the PEM text pem (len bytes): a PUBLIC KEY block or a
 * CERTIFICATE within its validity dates.  *out is the caller's. */
static int signing_key_load(EVP_PKEY **out, const char *name, const char *pem, size_t len, struct sn_err *e)
{
	BIO *bio;
	X509 *cert = NULL;
	EVP_PKEY *k = NULL;
	char when[64];
	int rc = 0;

	if (len > INT_MAX || (bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return sn_enomem(e);
	if (starts_with(pem, len, PEM_CERT_BEGIN)) {
		if ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: env.signingKey: not a readable PEM certificate", name);
			goto out;
		}
		if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) {
			format_time(when, sizeof(when), X509_get0_notAfter(cert));
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: env.signingKey: signing certificate expired on %s (its notAfter: "
			               "the contract's expiry)",
			               name, when);
			goto out;
		}
		if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) {
			format_time(when, sizeof(when), X509_get0_notBefore(cert));
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: env.signingKey: signing certificate is not valid before %s", name,
			               when);
			goto out;
		}
		if ((k = X509_get_pubkey(cert)) == NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: env.signingKey: the certificate's public key cannot be read",
			               name);
			goto out;
		}
	} else if ((k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL)) == NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: env.signingKey: not a PEM public key or certificate (nor base64 of one)",
		               name);
		goto out;
	}
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
		rc = sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: env.signingKey: not an RSA key (the contract signature is RSA PKCS#1 v1.5 / "
		    "SHA-256)",
		    name);
		goto out;
	}
	*out = k;
	k = NULL;
out:
	EVP_PKEY_free(k);
	X509_free(cert);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

int sn_contract_sig_check(const char *name, const char *sig, size_t sig_len, const char *workload,
                          size_t workload_len, const char *env, size_t env_len, const char *signing_key,
                          size_t signing_key_len, struct sn_err *e)
{
	unsigned char *raw = NULL, *decoded = NULL;
	size_t raw_len = 0, decoded_len = 0;
	const char *pem = signing_key;
	size_t pem_len = signing_key_len;
	EVP_PKEY *k = NULL;
	EVP_MD_CTX *md = NULL;
	int rc;

	if (sn_base64_decode(&raw, &raw_len, sig, sig_len) != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: envWorkloadSignature is not base64 (one line, as `base64 -w0`)", name);
		goto out;
	}
	/* signingKey: the PEM text itself, or base64 of it. */
	if (!starts_with(signing_key, signing_key_len, PEM_BEGIN)) {
		if (sn_base64_decode(&decoded, &decoded_len, signing_key, signing_key_len) != 0 ||
		    !starts_with((const char *)decoded, decoded_len, PEM_BEGIN)) {
			rc = sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: env.signingKey: neither a PEM public key or certificate nor base64 "
			    "of one",
			    name);
			goto out;
		}
		pem = (const char *)decoded;
		pem_len = decoded_len;
	}
	if ((rc = signing_key_load(&k, name, pem, pem_len, e)) != 0)
		goto out;
	if ((md = EVP_MD_CTX_new()) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestVerifyUpdate(md, workload, workload_len) != 1 ||
	    EVP_DigestVerifyUpdate(md, env, env_len) != 1 || EVP_DigestVerifyFinal(md, raw, raw_len) != 1) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: envWorkloadSignature does not verify with env.signingKey (the workload "
		               "or env section was changed after signing, or another key signed it)",
		               name);
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	free(raw);
	free(decoded);
	ERR_clear_error();
	return rc;
}
