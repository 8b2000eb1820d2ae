/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/digest.h: digests (digest.c): "sha256:..." and "sha512:..." strings.
 */
#ifndef SN_BASE_DIGEST_H
#define SN_BASE_DIGEST_H

#include <stddef.h>

#include "base/error.h"

/* "sha512:" + 128 hex + NUL */
#define SN_DIGEST_MAX 136

/* Validates "sha256:<64 lowercase hex>" or "sha512:<128 lowercase hex>".
 * Returns 0 or SIGNET_EBADINPUT (message names the string). */
int sn_digest_validate(const char *digest, struct sn_err *e);
/* 1 when s[0..n) is lowercase hexadecimal: the encoded part of every
 * digest and image ID grammar (this one, go-digest's, containers-storage
 * IDs). */
int sn_digest_hex_ok(const char *s, size_t n);
/* Computes "ALGO:HEX" of data with algo "sha256" or "sha512". */
int sn_digest_compute(char out[SN_DIGEST_MAX], const char *algo, const void *data, size_t len,
		      struct sn_err *e);
/* Recomputes the digest of data with expected's algorithm and compares.
 * Returns 0, SIGNET_EBADINPUT (expected is not a digest) or
 * SIGNET_EINTEGRITY with a message naming what, expected and computed. */
int sn_digest_check(const char *expected, const void *data, size_t len, const char *what,
		    struct sn_err *e);

#endif
