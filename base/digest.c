/* SPDX-License-Identifier: Apache-2.0 */
/* base/digest.c: content digests, always computed here. */
#include "base/digest.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

struct algo {
	const char *name;
	size_t hexlen;
};

static const struct algo algos[] = {
	{ "sha256", 64 },
	{ "sha512", 128 },
};

static const struct algo *algo_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++)
		if (strlen(algos[i].name) == len && memcmp(algos[i].name, name, len) == 0)
			return &algos[i];
	return NULL;
}

int sn_digest_validate(const char *digest, struct sn_err *e)
{
	const char *colon, *hex;
	const struct algo *a;

	if (digest == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "missing digest");
	colon = strchr(digest, ':');
	if (colon == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "invalid digest \"%.200s\": no algorithm", digest);
	a = algo_find(digest, (size_t)(colon - digest));
	if (a == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT,
				 "invalid digest \"%.200s\": unsupported algorithm (sha256 and sha512 are)", digest);
	hex = colon + 1;
	if (strlen(hex) != a->hexlen)
		return sn_seterr(e, SIGNET_EBADINPUT, "invalid digest \"%.200s\": %s needs %zu hex digits",
				 digest, a->name, a->hexlen);
	if (!sn_digest_hex_ok(hex, a->hexlen))
		return sn_seterr(e, SIGNET_EBADINPUT,
				 "invalid digest \"%.200s\": not lowercase hexadecimal", digest);
	return 0;
}

int sn_digest_hex_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int sn_digest_compute(char out[SN_DIGEST_MAX], const char *algo, const void *data, size_t len,
		      struct sn_err *e)
{
	static const char hexdig[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *type;
	size_t off;

	if (strcmp(algo, "sha256") == 0)
		type = EVP_sha256();
	else if (strcmp(algo, "sha512") == 0)
		type = EVP_sha512();
	else
		return sn_seterr(e, SIGNET_EBADINPUT, "unsupported digest algorithm \"%.32s\"", algo);
	if (EVP_Digest(data, len, md, &mdlen, type, NULL) != 1)
		return sn_seterr(e, SIGNET_ENOMEM, "computing a %s digest failed", algo);
	off = strlen(algo);
	memcpy(out, algo, off);
	out[off++] = ':';
	for (unsigned int i = 0; i < mdlen; i++) {
		out[off++] = hexdig[md[i] >> 4];
		out[off++] = hexdig[md[i] & 0xf];
	}
	out[off] = '\0';
	return 0;
}

int sn_digest_check(const char *expected, const void *data, size_t len, const char *what,
		    struct sn_err *e)
{
	char algo[8];
	char got[SN_DIGEST_MAX];
	size_t alen;
	int rc;

	if ((rc = sn_digest_validate(expected, e)) != 0)
		return rc;
	alen = (size_t)(strchr(expected, ':') - expected);
	memcpy(algo, expected, alen);
	algo[alen] = '\0';
	if ((rc = sn_digest_compute(got, algo, data, len, e)) != 0)
		return rc;
	if (strlen(got) != strlen(expected) || CRYPTO_memcmp(got, expected, strlen(got)) != 0)
		return sn_seterr(e, SIGNET_EINTEGRITY, "%s: digest mismatch: expected %s, content hashes to %s",
				 what, expected, got);
	return 0;
}
