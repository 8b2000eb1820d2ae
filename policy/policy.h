/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/policy.h: what the policy module offers (internal): registries.d
 * (where signatures are stored), later containers-policy.json and the HPCR
 * contract.
 */
#ifndef SN_POLICY_H
#define SN_POLICY_H

#include "registry/registry.h"

/* ---- registries.d (registries_d.c) ---------------------------------- */

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
struct sn_sigstore_config {
	/* read URL (lookaside, or the deprecated sigstore) or NULL */
	char *lookaside;
	/* write URL (lookaside-staging / sigstore-staging, else lookaside / sigstore) or NULL */
	char *lookaside_staging;
	/* -1 unset (containers/image: false), 0 false, 1 true */
	int use_sigstore_attachments;
};
/* Frees the strings and resets c to "nothing configured". */
void sn_sigstore_config_clear(struct sn_sigstore_config *c);

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
int sn_registries_d_resolve(struct sn_sigstore_config *out, const struct sn_registries_d *rd,
                            const struct sn_ref *ref, struct sn_err *e);

/* Lookaside URLs: sn_lookaside_url (registry/registry.h). */

/* ---- identity matching (identity.c) -------------------------------- */

/* containers-policy.json signedIdentity rules (SPEC §4.1). */
enum sn_identity_rule {
	SN_IDENTITY_MATCH_EXACT = 0,
	SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT = 1,
	SN_IDENTITY_MATCH_REPOSITORY = 2,
};

/* The rule's name as policy.json spells it ("matchRepoDigestOrExact"). */
const char *sn_identity_rule_name(enum sn_identity_rule rule);

/*
 * Does a signature claiming the docker reference signed_ref (verbatim from
 * its payload) identify the image `image` under rule?  signed_ref is parsed
 * as containers/image does (normalized, no implicit tag: a claim without a
 * tag or digest names only a repository).  image is the docker reference
 * being checked; its tag counts as given even when it was implied.
 * Returns 0 (match), SIGNET_EDENIED with a message saying what was claimed,
 * what was expected and under which rule, or SIGNET_ENOMEM.
 */
int sn_identity_match(enum sn_identity_rule rule, const struct sn_ref *image, const char *signed_ref,
		      struct sn_err *e);

/* As skopeo standalone-verify: the claim and the expected reference
 * (both text) must be the same reference after normalization, tag for tag
 * (neither gets an implicit "latest").  0 or SIGNET_EDENIED; an expected
 * reference that does not parse is SIGNET_EBADINPUT. */
int sn_identity_match_exact_text(const char *expected, const char *signed_ref, struct sn_err *e);

#endif
