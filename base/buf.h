/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/buf.h: bounded buffers (buf.c): every buffer has a ceiling from birth.
 */
#ifndef SN_BASE_BUF_H
#define SN_BASE_BUF_H

#include <stddef.h>

#include "base/error.h"

/* A growable byte buffer with a hard maximum, always NUL-terminated one
 * past len (so text can be used as a C string). */
struct sn_buf {
	unsigned char *data;
	size_t len;
	size_t cap;
	size_t max;	    /* appends beyond this fail with SIGNET_ELIMIT */
	const char *what;   /* names the limit in messages, e.g. "manifest" */
};

/* max is the largest len allowed; what names the content for messages. */
void sn_buf_init(struct sn_buf *b, size_t max, const char *what);
/* Returns 0, SIGNET_ELIMIT (message names b->what and b->max) or ENOMEM. */
int sn_buf_append(struct sn_buf *b, const void *data, size_t n, struct sn_err *e);
int sn_buf_append_str(struct sn_buf *b, const char *s, struct sn_err *e);
void sn_buf_reset(struct sn_buf *b);
void sn_buf_free(struct sn_buf *b);
/* Wipes the contents (OPENSSL_cleanse) before freeing: for secrets. */
void sn_buf_wipe_free(struct sn_buf *b);
/* Hands the bytes over (caller frees); b is left empty. */
unsigned char *sn_buf_steal(struct sn_buf *b, size_t *len);

#endif
