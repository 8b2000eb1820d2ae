/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/yaml_strict.h: a strict libyaml event reader shared by the YAML
 * policy sources (registries.d, the HPCR contract, compose files).
 *
 * One document, walked as events (never built as a tree), with refusals
 * that every caller wants: aliases (no billion laughs), explicit tags,
 * merge keys (<<), non-scalar mapping keys, duplicate keys in any mapping
 * (also inside subtrees the caller ignores), a second document, and
 * nesting deeper than SIGNET_MAX_YAML_DEPTH.  Messages start with the
 * name given at open and a line number: "<what>: line N: ...".
 */
#ifndef SN_YAML_STRICT_H
#define SN_YAML_STRICT_H

#include "base/base.h"

#include <yaml.h>

/* A string set (open addressing, FNV-1a) with a value per key: the keys of
 * one mapping, or an index of names.  Zero-initialized is empty; with
 * owns_keys set, the set frees its keys. */
struct sn_keyent {
	char *key;
	size_t val;
};
struct sn_keyset {
	struct sn_keyent *slots;
	size_t cap; /* 0 or a power of two */
	size_t n;
	int owns_keys;
};

/* The entry for key, or NULL. */
struct sn_keyent *sn_keyset_find(const struct sn_keyset *ks, const char *key);
/* Adds key (the caller checked it is absent); on success a set with
 * owns_keys owns it.  0 or SIGNET_ENOMEM. */
int sn_keyset_add(struct sn_keyset *ks, char *key, size_t val, struct sn_err *e);
void sn_keyset_free(struct sn_keyset *ks);

struct sn_yaml {
	yaml_parser_t parser;
	yaml_event_t ev; /* the current event, valid when have_ev */
	int have_ev;
	int started; /* the parser was initialized */
	unsigned depth;
	const char *what; /* names the document in messages (borrowed) */
	size_t line_base; /* added to every line reported */
	int wipe;         /* the text holds secrets: cleanse what libyaml read */
	struct sn_err *e;
};

/*
 * Starts reading data (len bytes, borrowed until sn_yaml_close) and moves
 * to the root node: returns 0 with y->ev its first event, or 0 with
 * y->ev.type == YAML_STREAM_END_EVENT for an empty stream (no document).
 * line_base is added to the line numbers in messages (for YAML held in a
 * block literal of another document).  With wipe set, every scalar and
 * libyaml's input buffers are cleansed (OPENSSL_cleanse) before they are
 * freed; copies libyaml makes while growing its internal strings are not
 * reachable and are not wiped.  Call sn_yaml_close in every case.
 * Errors: SIGNET_EBADINPUT, SIGNET_ELIMIT, SIGNET_ENOMEM.
 */
int sn_yaml_open(struct sn_yaml *y, const void *data, size_t len, const char *what, size_t line_base,
                 int wipe, struct sn_err *e);
/* After the root node has been consumed: the document and the stream must
 * end there ("more than one YAML document" otherwise). */
int sn_yaml_finish(struct sn_yaml *y);
void sn_yaml_close(struct sn_yaml *y);

/* Moves to the next event with the refusals above. */
int sn_yaml_next(struct sn_yaml *y);

/* The 1-based line of the current event (line_base added). */
size_t sn_yaml_line(const struct sn_yaml *y);
/* The current scalar's bytes (not NUL-safe: use sn_yaml_dup_text). */
const char *sn_yaml_text(const struct sn_yaml *y, size_t *len);
/* The current scalar equals s. */
int sn_yaml_is(const struct sn_yaml *y, const char *s);
/* The current scalar is plain (unquoted, not a block scalar). */
int sn_yaml_plain(const struct sn_yaml *y);
/* The current event is a plain scalar YAML resolves to null ("", ~, null,
 * Null, NULL). */
int sn_yaml_is_null(const struct sn_yaml *y);
/* Copies the current scalar to *out (caller frees); a NUL byte in it is
 * SIGNET_EBADINPUT naming `what`. */
int sn_yaml_dup_text(struct sn_yaml *y, char **out, const char *what);

/* Called with the current event at the start of key's value; must consume
 * the whole value (sn_yaml_skip for values it ignores).  key_line is the
 * line of the key. */
typedef int (*sn_yaml_value_fn)(struct sn_yaml *y, const char *key, size_t key_line, void *ctx);

/* The current event is a mapping start: walks the pairs to the mapping's
 * end, refusing non-scalar keys, merge keys and duplicate keys, and hands
 * each value to fn (NULL: every value is skipped). */
int sn_yaml_walk_mapping(struct sn_yaml *y, sn_yaml_value_fn fn, void *ctx);
/* The current event starts a node: consumes it whole (the refusals still
 * apply inside). */
int sn_yaml_skip(struct sn_yaml *y);

#endif
