/* SPDX-License-Identifier: Apache-2.0 */
/* base/buf.c: growable byte buffers with a hard maximum. */
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

void sn_buf_init(struct sn_buf *b, size_t max, const char *what)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	b->what = what != NULL ? what : "data";
}

int sn_buf_append(struct sn_buf *b, const void *data, size_t n, struct sn_err *e)
{
	size_t need, ncap;
	unsigned char *p;

	if (n > b->max || b->len > b->max - n)
		return sn_seterr(e, SIGNET_ELIMIT, "%s is larger than the limit of %zu bytes", b->what, b->max);
	need = b->len + n + 1; /* + NUL; cannot overflow: max < SIZE_MAX */
	if (need > b->cap) {
		ncap = b->cap != 0 ? b->cap : 256;
		while (ncap < need)
			ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
		/* Do not reserve far past the limit. */
		if (ncap > b->max + 1)
			ncap = b->max + 1 >= need ? b->max + 1 : need;
		p = realloc(b->data, ncap);
		if (p == NULL)
			return sn_enomem(e);
		b->data = p;
		b->cap = ncap;
	}
	if (n != 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int sn_buf_append_str(struct sn_buf *b, const char *s, struct sn_err *e)
{
	return sn_buf_append(b, s, strlen(s), e);
}

void sn_buf_reset(struct sn_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void sn_buf_free(struct sn_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void sn_buf_wipe_free(struct sn_buf *b)
{
	if (b == NULL)
		return;
	if (b->data != NULL)
		OPENSSL_cleanse(b->data, b->cap);
	sn_buf_free(b);
}

unsigned char *sn_buf_steal(struct sn_buf *b, size_t *len)
{
	unsigned char *p = b->data;

	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
