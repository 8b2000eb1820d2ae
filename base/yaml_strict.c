/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/yaml_strict.c: the strict libyaml event reader of the YAML policy
 * sources (see yaml_strict.h for the rules).
 */
#include "base/yaml_strict.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* ---- the string set ------------------------------------------------- */

static size_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (size_t)h;
}

struct sn_keyent *sn_keyset_find(const struct sn_keyset *ks, const char *key)
{
	size_t i;

	if (ks->cap == 0)
		return NULL;
	for (i = str_hash(key) & (ks->cap - 1); ks->slots[i].key != NULL; i = (i + 1) & (ks->cap - 1))
		if (strcmp(ks->slots[i].key, key) == 0)
			return &ks->slots[i];
	return NULL;
}

int sn_keyset_add(struct sn_keyset *ks, char *key, size_t val, struct sn_err *e)
{
	size_t i;

	if ((ks->n + 1) * 2 > ks->cap) {
		size_t ncap = ks->cap == 0 ? 16 : ks->cap * 2;
		struct sn_keyent *ns;

		if (ncap <= ks->cap || ncap > SIZE_MAX / sizeof(*ns))
			return sn_enomem(e);
		ns = calloc(ncap, sizeof(*ns));
		if (ns == NULL)
			return sn_enomem(e);
		for (size_t j = 0; j < ks->cap; j++) {
			if (ks->slots[j].key == NULL)
				continue;
			for (i = str_hash(ks->slots[j].key) & (ncap - 1); ns[i].key != NULL;
			     i = (i + 1) & (ncap - 1))
				;
			ns[i] = ks->slots[j];
		}
		free(ks->slots);
		ks->slots = ns;
		ks->cap = ncap;
	}
	for (i = str_hash(key) & (ks->cap - 1); ks->slots[i].key != NULL; i = (i + 1) & (ks->cap - 1))
		;
	ks->slots[i].key = key;
	ks->slots[i].val = val;
	ks->n++;
	return 0;
}

void sn_keyset_free(struct sn_keyset *ks)
{
	if (ks->owns_keys)
		for (size_t i = 0; i < ks->cap; i++)
			free(ks->slots[i].key);
	free(ks->slots);
	ks->slots = NULL;
	ks->cap = ks->n = 0;
}

/* ---- events --------------------------------------------------------- */

size_t sn_yaml_line(const struct sn_yaml *y)
{
	return y->ev.start_mark.line + 1 + y->line_base;
}

/* Forgets the current event, wiping its scalar first if asked. */
static void drop_event(struct sn_yaml *y)
{
	if (!y->have_ev)
		return;
	if (y->wipe && y->ev.type == YAML_SCALAR_EVENT && y->ev.data.scalar.value != NULL)
		OPENSSL_cleanse(y->ev.data.scalar.value, y->ev.data.scalar.length);
	yaml_event_delete(&y->ev);
	y->have_ev = 0;
}

int sn_yaml_next(struct sn_yaml *y)
{
	const yaml_char_t *tag = NULL;

	drop_event(y);
	if (!yaml_parser_parse(&y->parser, &y->ev)) {
		if (y->parser.error == YAML_MEMORY_ERROR)
			return sn_enomem(y->e);
		if (y->parser.context != NULL)
			return sn_seterr(
			    y->e, SIGNET_EBADINPUT,
			    "%s: line %zu column %zu: invalid YAML: %s (%s at line %zu column %zu)", y->what,
			    y->parser.problem_mark.line + 1 + y->line_base, y->parser.problem_mark.column + 1,
			    y->parser.problem != NULL ? y->parser.problem : "syntax error", y->parser.context,
			    y->parser.context_mark.line + 1 + y->line_base,
			    y->parser.context_mark.column + 1);
		return sn_seterr(y->e, SIGNET_EBADINPUT, "%s: line %zu column %zu: invalid YAML: %s", y->what,
		                 y->parser.problem_mark.line + 1 + y->line_base,
		                 y->parser.problem_mark.column + 1,
		                 y->parser.problem != NULL ? y->parser.problem : "syntax error");
	}
	y->have_ev = 1;
	switch (y->ev.type) {
	case YAML_ALIAS_EVENT:
		return sn_seterr(y->e, SIGNET_EBADINPUT,
		                 "%s: line %zu: YAML aliases (*%.100s) are not allowed", y->what,
		                 sn_yaml_line(y), (const char *)y->ev.data.alias.anchor);
	case YAML_SCALAR_EVENT: tag = y->ev.data.scalar.tag; break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		tag = y->ev.type == YAML_SEQUENCE_START_EVENT ? y->ev.data.sequence_start.tag
		                                              : y->ev.data.mapping_start.tag;
		if (++y->depth > SIGNET_MAX_YAML_DEPTH)
			return sn_seterr(
			    y->e, SIGNET_ELIMIT,
			    "%s: line %zu: YAML nesting deeper than the limit of %d (SIGNET_MAX_YAML_DEPTH)",
			    y->what, sn_yaml_line(y), SIGNET_MAX_YAML_DEPTH);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT: y->depth--; break;
	default: break;
	}
	if (tag != NULL)
		return sn_seterr(y->e, SIGNET_EBADINPUT,
		                 "%s: line %zu: explicit YAML tags (%.100s) are not supported", y->what,
		                 sn_yaml_line(y), (const char *)tag);
	return 0;
}

const char *sn_yaml_text(const struct sn_yaml *y, size_t *len)
{
	*len = y->ev.data.scalar.length;
	return (const char *)y->ev.data.scalar.value;
}

int sn_yaml_is(const struct sn_yaml *y, const char *s)
{
	size_t len;
	const char *t = sn_yaml_text(y, &len);

	return len == strlen(s) && memcmp(t, s, len) == 0;
}

int sn_yaml_plain(const struct sn_yaml *y)
{
	return y->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

int sn_yaml_is_null(const struct sn_yaml *y)
{
	return y->ev.type == YAML_SCALAR_EVENT && sn_yaml_plain(y) &&
	       (sn_yaml_is(y, "") || sn_yaml_is(y, "~") || sn_yaml_is(y, "null") || sn_yaml_is(y, "Null") ||
	        sn_yaml_is(y, "NULL"));
}

int sn_yaml_dup_text(struct sn_yaml *y, char **out, const char *what)
{
	size_t len;
	const char *t = sn_yaml_text(y, &len);

	if (memchr(t, '\0', len) != NULL)
		return sn_seterr(y->e, SIGNET_EBADINPUT, "%s: line %zu: %s contains a NUL byte", y->what,
		                 sn_yaml_line(y), what);
	*out = sn_strndup(t, len, y->e);
	return *out == NULL ? SIGNET_ENOMEM : 0;
}

/* ---- mappings ------------------------------------------------------- */

int sn_yaml_walk_mapping(struct sn_yaml *y, sn_yaml_value_fn fn, void *ctx)
{
	struct sn_keyset seen = {.owns_keys = 1};
	struct sn_keyent *prev;
	size_t line;
	const char *k;
	char *key = NULL;
	int rc;

	for (;;) {
		if ((rc = sn_yaml_next(y)) != 0)
			goto out;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (y->ev.type != YAML_SCALAR_EVENT) {
			rc = sn_seterr(y->e, SIGNET_EBADINPUT, "%s: line %zu: a mapping key must be a scalar",
			               y->what, sn_yaml_line(y));
			goto out;
		}
		if (sn_yaml_plain(y) && sn_yaml_is(y, "<<")) {
			rc = sn_seterr(y->e, SIGNET_EBADINPUT,
			               "%s: line %zu: YAML merge keys (<<) are not supported", y->what,
			               sn_yaml_line(y));
			goto out;
		}
		if ((rc = sn_yaml_dup_text(y, &key, "a mapping key")) != 0)
			goto out;
		line = sn_yaml_line(y);
		if ((prev = sn_keyset_find(&seen, key)) != NULL) {
			rc = sn_seterr(y->e, SIGNET_EBADINPUT,
			               "%s: line %zu: duplicate key \"%.200s\" (first at line %zu)", y->what,
			               line, key, prev->val);
			goto out;
		}
		if ((rc = sn_keyset_add(&seen, key, line, y->e)) != 0)
			goto out;
		/* seen owns the key now; it stays valid until the mapping ends. */
		k = key;
		key = NULL;
		if ((rc = sn_yaml_next(y)) != 0)
			goto out;
		if ((rc = fn != NULL ? fn(y, k, line, ctx) : sn_yaml_skip(y)) != 0)
			goto out;
	}
	rc = 0;
out:
	free(key);
	sn_keyset_free(&seen);
	return rc;
}

int sn_yaml_skip(struct sn_yaml *y)
{
	int rc;

	switch (y->ev.type) {
	case YAML_SCALAR_EVENT: return 0;
	case YAML_MAPPING_START_EVENT: return sn_yaml_walk_mapping(y, NULL, NULL);
	case YAML_SEQUENCE_START_EVENT:
		for (;;) {
			if ((rc = sn_yaml_next(y)) != 0)
				return rc;
			if (y->ev.type == YAML_SEQUENCE_END_EVENT)
				return 0;
			if ((rc = sn_yaml_skip(y)) != 0)
				return rc;
		}
	default:
		return sn_seterr(y->e, SIGNET_EBADINPUT, "%s: line %zu: unexpected YAML event", y->what,
		                 sn_yaml_line(y));
	}
}

/* ---- documents ------------------------------------------------------ */

int sn_yaml_open(struct sn_yaml *y, const void *data, size_t len, const char *what, size_t line_base,
                 int wipe, struct sn_err *e)
{
	int rc;

	memset(y, 0, sizeof(*y));
	y->what = what;
	y->line_base = line_base;
	y->wipe = wipe;
	y->e = e;
	if (!yaml_parser_initialize(&y->parser))
		return sn_enomem(e);
	y->started = 1;
	yaml_parser_set_input_string(&y->parser, data, len);
	if ((rc = sn_yaml_next(y)) != 0) /* stream start */
		return rc;
	if ((rc = sn_yaml_next(y)) != 0) /* document start, or stream end */
		return rc;
	if (y->ev.type == YAML_STREAM_END_EVENT)
		return 0;
	return sn_yaml_next(y); /* the root node */
}

int sn_yaml_finish(struct sn_yaml *y)
{
	int rc;

	if ((rc = sn_yaml_next(y)) != 0) /* document end */
		return rc;
	if ((rc = sn_yaml_next(y)) != 0)
		return rc;
	if (y->ev.type != YAML_STREAM_END_EVENT)
		return sn_seterr(y->e, SIGNET_EBADINPUT, "%s: line %zu: more than one YAML document", y->what,
		                 sn_yaml_line(y));
	return 0;
}

void sn_yaml_close(struct sn_yaml *y)
{
	if (!y->started)
		return;
	drop_event(y);
	if (y->wipe) {
		/* What the parser decoded from the input, and the raw input
		 * it read; both are still allocated here. */
		if (y->parser.buffer.start != NULL)
			OPENSSL_cleanse(y->parser.buffer.start,
			                (size_t)(y->parser.buffer.end - y->parser.buffer.start));
		if (y->parser.raw_buffer.start != NULL)
			OPENSSL_cleanse(y->parser.raw_buffer.start,
			                (size_t)(y->parser.raw_buffer.end - y->parser.raw_buffer.start));
	}
	yaml_parser_delete(&y->parser);
	y->started = 0;
}
