/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/registries_d.h: containers-registries.d(5) (registries_d.c):
 * where the signatures of an image are stored (lookaside URLs, .sig
 * attachments).  Storage, not trust: read by verify/ and sign/ alike.
 */
#ifndef SN_REGISTRY_REGISTRIES_D_H
#define SN_REGISTRY_REGISTRIES_D_H

#include "registry/registry.h"

struct sn_registries_d;

/*
 * Loads every *.yaml file of dir (containers-registries.d(5)), merged, in
 * byte order of the names; other names, and entries that are not regular
 * files (after following symbolic links), are ignored.  A file has a
 * `default-docker:` section and a `docker:` map keyed by scope (host[:port],
 * host[:port]/ns..., host/repo[:tag|@digest], *.domain); a section holds
 * lookaside, lookaside-staging, sigstore, sigstore-staging (URL strings)
 * and use-sigstore-attachments (bool).
 *
 * As containers/image (yaml.v3 Unmarshal, not strict), unknown keys are
 * ignored.  Errors (SIGNET_EBADINPUT, the message names the file, line and
 * key or scope): a scope defined in two files, default-docker in two files,
 * duplicate YAML mapping keys (anywhere), wrong value types, a URL that is
 * not an absolute http://, https:// or file:/// URL, YAML aliases (refused
 * outright), explicit tags, merge keys (<<), more than one document.
 * SIGNET_ELIMIT: a file over SIGNET_MAX_POLICY_FILE_SIZE or nesting deeper
 * than SIGNET_MAX_YAML_DEPTH.  A missing dir is SIGNET_ENOTFOUND
 * (containers/image treats it as empty: callers loading the default
 * location should do the same by passing rd = NULL to the resolver); other
 * directory or file errors are SIGNET_EIO.  *out belongs to the caller.
 */
int sn_registries_d_load(struct sn_registries_d **out, const char *dir, struct sn_err *e);
void sn_registries_d_free(struct sn_registries_d *rd);

/* Where signatures of one image are read and written.  The URLs are as
 * written in the file (percent-escapes not decoded; a file:// URL's path
 * must be decoded before use). */
struct sn_lookaside_config {
	/* read URL (lookaside, or the deprecated sigstore) or NULL */
	char *lookaside;
	/* write URL (lookaside-staging / sigstore-staging, else lookaside / sigstore) or NULL */
	char *lookaside_staging;
	/* use-sigstore-attachments (named as the registries.d key): -1 unset
	 * (containers/image: false), 0 false, 1 true */
	int use_sigstore_attachments;
};
/* Frees the strings and resets c to "nothing configured". */
void sn_lookaside_config_clear(struct sn_lookaside_config *c);

/*
 * Resolves the configuration for a docker reference, as containers/image:
 * scopes are tried in the order host/path:tag (or host/path@digest when the
 * reference has a digest), host/path, each parent namespace, host[:port],
 * then *.domain wildcards built from the host without its port, most
 * specific first (a.b.example.com: *.b.example.com, *.example.com, *.com),
 * then default-docker.  Each of the three results is taken from the first
 * scope that supplies it:
 *  - lookaside: the scope's lookaside, else its sigstore;
 *  - lookaside_staging: the scope's lookaside-staging, else sigstore-staging,
 *    else lookaside, else sigstore (a scope with only lookaside therefore
 *    also decides where signatures are written);
 *  - use_sigstore_attachments: the scope's value if it sets one.
 * (This is containers/image's code; its man page wrongly says only the most
 * precise scope counts.)
 * Nothing configured gives NULL / NULL / -1 (containers/image then uses
 * its built-in file:///var/lib/containers/sigstore or the per-user
 * directory; that is the caller's choice).  rd may be NULL (nothing
 * configured).  Returns 0, SIGNET_EINVAL (not a docker reference) or
 * SIGNET_ENOMEM; *out is written only on success (the caller clears it).
 */
int sn_registries_d_resolve(struct sn_lookaside_config *out, const struct sn_registries_d *rd,
                            const struct sn_ref *ref, struct sn_err *e);

/* One section of a loaded registries.d, as written (fields borrowed from
 * rd; NULL when absent).  scope is NULL for default-docker. */
struct sn_registries_d_section {
	const char *scope;
	const char *lookaside;
	const char *sigstore;         /* the deprecated spelling of lookaside */
	int use_sigstore_attachments; /* -1 unset, 0, 1 */
};
/* How many sections rd holds (the docker scopes in the order they were
 * read, then default-docker if defined); 0 for NULL. */
size_t sn_registries_d_count(const struct sn_registries_d *rd);
/* Section i < sn_registries_d_count(rd). */
void sn_registries_d_section(struct sn_registries_d_section *out, const struct sn_registries_d *rd, size_t i);

/* Lookaside URLs: sn_lookaside_url (registry/registry.h). */

#endif
