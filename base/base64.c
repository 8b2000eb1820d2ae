/* SPDX-License-Identifier: Apache-2.0 */
/* base/base64.c: strict base64 (RFC 4648, standard alphabet, padded). */
#include "base/base64.h"

#include <signet/common.h>

#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

int sn_base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int sn_base64_decode(unsigned char **out, size_t *outlen, const char *in, size_t n)
{
	return sn_base64_decode_flags(out, outlen, in, n, 0);
}

int sn_base64_decode_flags(unsigned char **out, size_t *outlen, const char *in, size_t n, unsigned flags)
{
	unsigned char *buf;
	size_t o = 0;

	if ((n == 0 && !(flags & SN_BASE64_EMPTY_OK)) || n % 4 != 0)
		return SIGNET_EBADINPUT;
	if ((buf = malloc(n / 4 * 3 + 1)) == NULL)
		return SIGNET_ENOMEM;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		uint32_t w;

		for (int k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)in[i + k];

			if (c == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad != 0 || (v[k] = sn_base64_value(c)) < 0)
				goto bad;
		}
		w = ((uint32_t)v[0] << 18) | ((uint32_t)v[1] << 12) | ((uint32_t)v[2] << 6) | (uint32_t)v[3];
		if (!(flags & SN_BASE64_LAX_PAD_BITS) &&
		    ((pad == 1 && (w & 0xff) != 0) || (pad == 2 && (w & 0xffff) != 0)))
			goto bad; /* non-canonical: unused bits set */
		buf[o++] = (unsigned char)(w >> 16);
		if (pad < 2)
			buf[o++] = (unsigned char)(w >> 8);
		if (pad < 1)
			buf[o++] = (unsigned char)w;
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return 0;
bad:
	OPENSSL_cleanse(buf, n / 4 * 3 + 1);
	free(buf);
	return SIGNET_EBADINPUT;
}

int sn_base64_encode(struct sn_buf *out, const unsigned char *d, size_t n, size_t line, struct sn_err *e)
{
	unsigned char enc[4 * 48 / 3 + 2]; /* 48 input bytes -> 64 characters, "\n", NUL */
	size_t step = line != 0 && line / 4 * 3 < 48 ? line / 4 * 3 : 48;
	int rc = 0;

	for (size_t off = 0; off < n && rc == 0; off += step) {
		size_t k = n - off < step ? n - off : step;
		int m = EVP_EncodeBlock(enc, d + off, (int)k);

		if (line != 0)
			enc[m++] = '\n';
		rc = sn_buf_append(out, enc, (size_t)m, e);
	}
	OPENSSL_cleanse(enc, sizeof(enc));
	return rc;
}
