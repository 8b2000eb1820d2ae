/* SPDX-License-Identifier: Apache-2.0 */
/* base/json.c: strict JSON parsing for untrusted documents. */
#include "base/json.h"

#include <string.h>

#include <openssl/crypto.h>

/* Nesting depth of the arrays and objects in data, counted outside of
 * strings; stops counting once max is crossed.  jansson's own cap is a
 * compile-time constant of the distribution's build, so signet checks its
 * own limit first. */
static int json_depth_exceeds(const unsigned char *data, size_t len, int max)
{
	int depth = 0, in_string = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				return 1;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

static int parse(json_t **out, const void *data, size_t len, const char *what, int secret, struct sn_err *e)
{
	json_error_t jerr;
	json_t *root;

	if (json_depth_exceeds(data, len, SIGNET_MAX_JSON_DEPTH))
		return sn_seterr(e, SIGNET_ELIMIT, "%s: JSON nesting deeper than the limit of %d levels", what,
				 SIGNET_MAX_JSON_DEPTH);
	/* No JSON_DISABLE_EOF_CHECK: anything but whitespace after the value
	 * is an error.  NUL bytes inside strings are refused by default. */
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL && secret) {
		/* jansson keeps the code in the text's last byte: read it first. */
		int dup = json_error_code(&jerr) == json_error_duplicate_key;

		/* jansson's text quotes the input near the error: maybe a secret. */
		OPENSSL_cleanse(jerr.text, sizeof(jerr.text));
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: invalid JSON at line %d, column %d%s", what,
		                 jerr.line, jerr.column, dup ? ": a duplicate key" : "");
	}
	if (root == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: invalid JSON at line %d, column %d: %s", what, jerr.line,
				 jerr.column, jerr.text);
	*out = root;
	return 0;
}

int sn_json_parse(json_t **out, const void *data, size_t len, const char *what, struct sn_err *e)
{
	return parse(out, data, len, what, 0, e);
}

int sn_json_parse_secret(json_t **out, const void *data, size_t len, const char *what, struct sn_err *e)
{
	return parse(out, data, len, what, 1, e);
}

const char *sn_json_unknown_member(json_t *o, const char *const *names)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v)
	{
		size_t i;

		for (i = 0; names[i] != NULL && strcmp(names[i], key) != 0; i++)
			;
		if (names[i] == NULL)
			return key;
	}
	return NULL;
}

const char *sn_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "an unknown JSON value";
}
