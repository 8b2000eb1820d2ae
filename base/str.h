/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/str.h: strings (str.c).
 */
#ifndef SN_BASE_STR_H
#define SN_BASE_STR_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* strdup that records ENOMEM in e and returns NULL; NULL in, NULL out. */
char *sn_strdup(const char *s, struct sn_err *e);
char *sn_strndup(const char *s, size_t n, struct sn_err *e);
/* asprintf-alike: NULL on failure (ENOMEM recorded in e). */
char *sn_aprintf(struct sn_err *e, const char *fmt, ...) SN_PRINTF(2, 3);
/* Frees after wiping: for passwords and tokens. */
void sn_free_secret(char *s);
/* The value of hexadecimal digit c (either case), or -1 when c is not one. */
int sn_hex_digit(int c);
/* Parses a decimal unsigned integer spanning the whole string. */
int sn_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
