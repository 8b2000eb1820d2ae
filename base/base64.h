/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/base64.h: base64 (base64.c): the one strict decoder.
 */
#ifndef SN_BASE_BASE64_H
#define SN_BASE_BASE64_H

#include <stddef.h>

/* Decodes standard, padded base64 exactly: length a multiple of 4 and not
 * zero, padding only at the end, no whitespace, unused bits zero.  *out is
 * malloc'd and NUL-terminated one past *outlen; wipe it if it is a secret.
 * Returns 0, SIGNET_EBADINPUT or SIGNET_ENOMEM (no message: the caller
 * names what it decoded). */
int sn_base64_decode(unsigned char **out, size_t *outlen, const char *in, size_t n);
/* The value of one character of the standard alphabet, or -1. */
int sn_base64_value(unsigned char c);

#endif
