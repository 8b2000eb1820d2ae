/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/cosign_key.c: the public keys cosign signatures are made with
 * (ECDSA P-256/384/521, RSA 2048-4096, Ed25519): which are accepted, the
 * digest each signs with, and their key ids.  Used by policy/ (pinned keys
 * in a contract), verify/ (the sigstore backend) and sign/ (signing keys).
 */
#include "base/cosign_key.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* ---- keys ------------------------------------------------------------ */

/* Whether an EC key carries explicit curve parameters.  They are refused,
 * as Go's x509 does: only a named curve says which curve it is. */
static int ec_explicit(const EVP_PKEY *key)
{
	char enc[32];
	size_t n = 0;

	if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, enc, sizeof(enc), &n) != 1) {
		ERR_clear_error();
		return 0; /* no encoding recorded: a named curve */
	}
	return strcmp(enc, OSSL_PKEY_EC_ENCODING_GROUP) != 0;
}

/* The digest an ECDSA key signs with, or NULL for a curve signet does
 * not accept.  Always SHA-256: containers/image signs and verifies
 * sigstore signatures with SHA-256 whatever the curve, so a P-384 or
 * P-521 signature over SHA-384/512 (newer cosign picks the hash by curve)
 * is one it refuses, and signet refuses it too (docs/differences.md). */
static const char *ec_digest(const EVP_PKEY *key, const char **curve)
{
	static const struct {
		const char *group;
		const char *name;
		const char *md;
	} curves[] = {
	    {"prime256v1", "P-256", "SHA256"},
	    {"secp384r1", "P-384", "SHA256"},
	    {"secp521r1", "P-521", "SHA256"},
	};
	char group[80];
	size_t n = 0;

	*curve = NULL;
	if (ec_explicit(key) || EVP_PKEY_get_group_name(key, group, sizeof(group), &n) != 1) {
		ERR_clear_error();
		return NULL;
	}
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (strcmp(group, curves[i].group) == 0) {
			*curve = curves[i].name;
			return curves[i].md;
		}
	return NULL;
}

int sn_sigstore_key_check(const struct evp_pkey_st *key, const char *what, struct sn_err *e)
{
	const char *curve, *type;
	char group[80];
	size_t n = 0;
	int bits;

	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_ED25519: return 0;
	case EVP_PKEY_EC:
		if (ec_digest(key, &curve) != NULL)
			return 0;
		if (ec_explicit(key) || EVP_PKEY_get_group_name(key, group, sizeof(group), &n) != 1) {
			ERR_clear_error();
			return sn_seterr(
			    e, SIGNET_EUNSUPPORTED,
			    "%s: an ECDSA key with explicit curve parameters (only the named curves "
			    "P-256, P-384 and P-521 are supported)",
			    what);
		}
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "%s: an ECDSA key on curve %s (only P-256, P-384 and P-521 are supported)",
		                 what, group);
	case EVP_PKEY_RSA:
		bits = EVP_PKEY_get_bits(key);
		if (bits >= 2048 && bits <= 4096)
			return 0;
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "%s: a %d-bit RSA key (2048 to 4096 bits are supported)", what, bits);
	case EVP_PKEY_RSA_PSS:
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "%s: an RSA-PSS key (RSA keys must be plain rsaEncryption keys, used with "
		                 "PKCS#1 v1.5)",
		                 what);
	default:
		type = EVP_PKEY_get0_type_name(key);
		return sn_seterr(
		    e, SIGNET_EUNSUPPORTED,
		    "%s: a key of type %s (ECDSA P-256/P-384/P-521, RSA and Ed25519 are supported)", what,
		    type != NULL ? type : "unknown");
	}
}

int sn_sigstore_key_id(char out[SN_SIGSTORE_KEY_ID_MAX], const struct evp_pkey_st *key, struct sn_err *e)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned char *der = NULL;
	int n;

	n = i2d_PUBKEY(key, &der);
	if (n <= 0) {
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EBADINPUT, "key: cannot encode its public key");
	}
	if (EVP_Digest(der, (size_t)n, md, NULL, EVP_sha256(), NULL) != 1) {
		OPENSSL_free(der);
		ERR_clear_error();
		return sn_enomem(e);
	}
	OPENSSL_free(der);
	memcpy(out, "SHA256:", 7);
	for (size_t i = 0; i < sizeof(md); i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[8 + 2 * i] = hex[md[i] & 15];
	}
	out[7 + 2 * sizeof(md)] = '\0';
	return 0;
}

const char *sn_sigstore_key_digest(const struct evp_pkey_st *key)
{
	const char *curve;

	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_EC: return ec_digest(key, &curve);
	case EVP_PKEY_RSA: return "SHA256";
	default: return NULL;
	}
}
