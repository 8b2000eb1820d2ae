/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/base64.h: base64 (base64.c): the one strict decoder.
 */
#ifndef SN_BASE_BASE64_H
#define SN_BASE_BASE64_H

#include <stddef.h>

#include "base/buf.h"

/* Decodes standard, padded base64 exactly: length a multiple of 4 and not
 * zero, padding only at the end, no whitespace, unused bits zero.  *out is
 * malloc'd and NUL-terminated one past *outlen; wipe it if it is a secret.
 * Returns 0, SIGNET_EBADINPUT or SIGNET_ENOMEM (no message: the caller
 * names what it decoded). */
int sn_base64_decode(unsigned char **out, size_t *outlen, const char *in, size_t n);

/* Relaxations of sn_base64_decode, for the callers whose format needs them. */
#define SN_BASE64_EMPTY_OK     1u /* "" decodes to nothing */
#define SN_BASE64_LAX_PAD_BITS 2u /* unused bits before '=' may be set (as gpg's armor reader) */

/* sn_base64_decode with flags (0: exactly sn_base64_decode). */
int sn_base64_decode_flags(unsigned char **out, size_t *outlen, const char *in, size_t n, unsigned flags);

/* Appends the standard, padded base64 of d to out in lines of `line`
 * characters (a multiple of 4, at most 64), each ended by "\n"; 0: one line, no "\n".
 * The encoder's scratch is wiped (d may be a secret).  0, SIGNET_ELIMIT or
 * SIGNET_ENOMEM (message in e). */
int sn_base64_encode(struct sn_buf *out, const unsigned char *d, size_t n, size_t line, struct sn_err *e);
/* The value of one character of the standard alphabet, or -1. */
int sn_base64_value(unsigned char c);

#endif
