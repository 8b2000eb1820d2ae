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

int sn_contract_cert_dates(const X509 *cert, const char *who, struct sn_err *e)
{
	char when[SN_CONTRACT_DATE_MAX];

	if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) {
		format_time(when, sizeof(when), X509_get0_notAfter(cert));
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "%s: signing certificate expired on %s (its notAfter: the contract's expiry)", who, when);
	}
	if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) {
		format_time(when, sizeof(when), X509_get0_notBefore(cert));
		return sn_seterr(e, SIGNET_EDENIED, "%s: signing certificate is not valid before %s", who,
		                 when);
	}
	return 0;
}

/* The public key of the PEM text pem (len bytes): a PUBLIC KEY block or a
 * CERTIFICATE (*cert, when cert is not NULL).  Both are the caller's. */
static int signing_key_load(EVP_PKEY **out, X509 **cert_out, const char *name, const char *pem, size_t len,
                            struct sn_err *e)
{
	BIO *bio;
	X509 *cert = NULL;
	EVP_PKEY *k = NULL;
	int rc = 0;

	if (len > INT_MAX || (bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return sn_enomem(e);
	if (starts_with(pem, len, PEM_CERT_BEGIN)) {
		if ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: not a readable PEM certificate", name);
			goto out;
		}
		if ((k = X509_get_pubkey(cert)) == NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: the certificate's public key cannot be read",
			               name);
			goto out;
		}
	} else if ((k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL)) == NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: not a PEM public key or certificate (nor base64 of one)", name);
		goto out;
	}
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: not an RSA key (the contract signature is RSA PKCS#1 v1.5 / SHA-256)",
		               name);
		goto out;
	}
	*out = k;
	k = NULL;
	if (cert_out != NULL) {
		*cert_out = cert;
		cert = NULL;
	}
out:
	EVP_PKEY_free(k);
	X509_free(cert);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

int sn_contract_signing_key(EVP_PKEY **key, X509 **cert, const char *name, const char *text, size_t len,
                            struct sn_err *e)
{
	unsigned char *decoded = NULL;
	size_t decoded_len = 0;
	int rc;

	/* The PEM text itself, or base64 of it. */
	if (starts_with(text, len, PEM_BEGIN))
		return signing_key_load(key, cert, name, text, len, e);
	if (sn_base64_decode(&decoded, &decoded_len, text, len) != 0 ||
	    !starts_with((const char *)decoded, decoded_len, PEM_BEGIN))
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: neither a PEM public key or certificate nor base64 of one", name);
	else
		rc = signing_key_load(key, cert, name, (const char *)decoded, decoded_len, e);
	free(decoded);
	return rc;
}

int sn_contract_sig_check(const char *name, const char *sig, size_t sig_len, const char *workload,
                          size_t workload_len, const char *env, size_t env_len, const char *signing_key,
                          size_t signing_key_len, struct sn_contract_signer *who, struct sn_err *e)
{
	unsigned char *raw = NULL;
	size_t raw_len = 0;
	char what[SN_CONTRACT_WHO_MAX];
	EVP_PKEY *k = NULL;
	X509 *cert = NULL;
	EVP_MD_CTX *md = NULL;
	int rc;

	if (sn_base64_decode(&raw, &raw_len, sig, sig_len) != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: envWorkloadSignature is not base64 (one line, as `base64 -w0`)", name);
		goto out;
	}
	(void)snprintf(what, sizeof(what), "%s: env.signingKey", name);
	if ((rc = sn_contract_signing_key(&k, &cert, what, signing_key, signing_key_len, e)) != 0)
		goto out;
	if (who != NULL) {
		memset(who, 0, sizeof(*who));
		who->bits = EVP_PKEY_get_bits(k);
		if (cert != NULL) {
			who->is_cert = 1;
			format_time(who->not_after, sizeof(who->not_after), X509_get0_notAfter(cert));
			if (X509_NAME_oneline(X509_get_subject_name(cert), who->subject,
			                      (int)sizeof(who->subject)) == NULL)
				who->subject[0] = '\0';
		}
	}
	if (cert != NULL && (rc = sn_contract_cert_dates(cert, what, e)) != 0)
		goto out;
	if ((md = EVP_MD_CTX_new()) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestVerifyUpdate(md, workload, workload_len) != 1 ||
	    EVP_DigestVerifyUpdate(md, env, env_len) != 1 || EVP_DigestVerifyFinal(md, raw, raw_len) != 1) {
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "%s: envWorkloadSignature does not verify with env.signingKey (the workload "
		               "or env section was changed after signing, or another key signed it)",
		               name);
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(k);
	X509_free(cert);
	free(raw);
	ERR_clear_error();
	return rc;
}
