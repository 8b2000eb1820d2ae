/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/json.h: strict JSON (json.c): one value, no duplicate keys, bounded depth.
 */
#ifndef SN_BASE_JSON_H
#define SN_BASE_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "base/error.h"

/* Parses exactly one JSON value spanning all of data: duplicate keys,
 * nesting deeper than SIGNET_MAX_JSON_DEPTH, trailing bytes and invalid
 * UTF-8 are errors (SIGNET_EBADINPUT / SIGNET_ELIMIT) whose message starts
 * with what.  The caller owns the result (json_decref). */
int sn_json_parse(json_t **out, const void *data, size_t len, const char *what, struct sn_err *e);
/* As sn_json_parse, for a document holding secrets (an auth file, a
 * credential helper's reply): a syntax error's message gives the line and
 * column but never the text near it. */
int sn_json_parse_secret(json_t **out, const void *data, size_t len, const char *what, struct sn_err *e);
/* The first member of object o whose name is none of names
 * (NULL-terminated), or NULL: for strict readers that refuse unknown
 * members (each names the place in its own message). */
const char *sn_json_unknown_member(json_t *o, const char *const *names);
/* "an object", "a string", ... for messages about the wrong JSON type. */
const char *sn_json_kind(const json_t *v);

#endif
