/* SPDX-License-Identifier: Apache-2.0 */
/* base/str.c: string helpers that report failures through sn_err. */
#include "base/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

char *sn_strdup(const char *s, struct sn_err *e)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		sn_enomem(e);
	return d;
}

char *sn_strndup(const char *s, size_t n, struct sn_err *e)
{
	char *d = strndup(s, n);

	if (d == NULL)
		sn_enomem(e);
	return d;
}

char *sn_aprintf(struct sn_err *e, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sn_enomem(e);
		return NULL;
	}
	return s;
}

void sn_free_secret(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

int sn_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end = NULL;

	if (s == NULL || *s < '0' || *s > '9')
		return SIGNET_EBADINPUT;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > max)
		return SIGNET_EBADINPUT;
	*out = (uint64_t)v;
	return 0;
}

int sn_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
