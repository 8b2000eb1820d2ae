/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/pem.h: PEM blocks (pem.c), the one codec of PEM keys.
 */
#ifndef SN_BASE_PEM_H
#define SN_BASE_PEM_H

#include <stddef.h>

#include "base/buf.h"

/* Longest PEM key file read (public keys, and private keys in sign/). */
#define SN_PEM_MAX_SIZE (64u * 1024u)

/* One decoded PEM block. */
struct sn_pem {
	char *label;         /* "PUBLIC KEY", ... */
	unsigned char *der;  /* the decoded body: wipe it (OPENSSL_cleanse) if it is a secret */
	size_t der_len;
};

/*
 * Decodes data as exactly one PEM block: "-----BEGIN LABEL-----", base64
 * lines, "-----END LABEL-----", LF or CRLF line ends; only whitespace may
 * come before or after it.  PEM headers ("Proc-Type: ...", legacy
 * OpenSSL encryption) are refused.  Intermediate copies are wiped, so it
 * may be used on private keys.  Returns 0, SIGNET_EBADINPUT (the message
 * starts with what) or SIGNET_ENOMEM; *out is the caller's
 * (sn_pem_clear), untouched on failure.
 */
int sn_pem_decode(struct sn_pem *out, const void *data, size_t len, const char *what, struct sn_err *e);
/* Wipes and frees the block's contents; accepts NULL. */
void sn_pem_clear(struct sn_pem *p);

/* Appends der as a PEM block with this label (64-character lines) to out. */
int sn_pem_encode(struct sn_buf *out, const char *label, const unsigned char *der, size_t der_len,
                  struct sn_err *e);

#endif
