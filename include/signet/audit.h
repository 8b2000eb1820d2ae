/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/audit.h: checking everything a registry, a mirror or an offline
 * copy holds against a policy, one image at a time, in bounded memory.
 */
#ifndef SIGNET_AUDIT_H
#define SIGNET_AUDIT_H

#include <signet/common.h>
#include <signet/verify.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIGNET_AUDIT_OPTIONS_VERSION 1

typedef struct signet_audit_options {
	unsigned int version; /* SIGNET_AUDIT_OPTIONS_VERSION */
	/* docker://HOST[:PORT][/NAMESPACE] (the catalog's repositories equal to
	 * NAMESPACE or under NAMESPACE/; when the catalog shows none, or there
	 * is none, NAMESPACE tried as a repository), docker://HOST[:PORT]/REPO:TAG
	 * (that one image), dir:TREE (as `skopeo sync --scoped` writes it) or
	 * oci:LAYOUT (every reference in it). */
	const char *source;
	/* A file with one repository per line, used instead of the registry's
	 * catalog (for registries that disable /v2/_catalog); NULL: catalog. */
	const char *repos_file;
	/* Parallel requests (1 = sequential). */
	unsigned int jobs;
	/* Shard shard_index of shard_count (1-based; 0/0: everything): the
	 * repositories are split deterministically by a hash of their name. */
	unsigned int shard_index;
	unsigned int shard_count;
} signet_audit_options;

#define SIGNET_AUDIT_OPTIONS_INIT { SIGNET_AUDIT_OPTIONS_VERSION, NULL, NULL, 1, 0, 0 }

/*
 * Called once per record, in a stable order (repositories sorted, tags
 * sorted), with one JSON object as text (borrowed for the call):
 *  {"type":"image", "repository", "tag", "reference", "digest",
 *   "mediaType", "platforms":[{"os","architecture","variant","digest"}],
 *   "verdict":"allowed"|"denied"|"error", "reason",
 *   "signatures":[{"kind":"simple-signing"|"sigstore", "store":"lookaside"|
 *     "attachment"|"dir", "location", "valid":bool, "signer" (fingerprint
 *     or key id, or null), "signerName", "identity" (claimed),
 *     "identityMatches":bool, "timestamp" (or null), "problem" (or null)}]}
 *  {"type":"orphan", "repository", "digest", "store", "location"}: a
 *   signature stored for a digest that no tag of the repository names
 *  {"type":"summary", "images", "allowed", "denied", "errors",
 *   "orphans" (a count, or null when they were not looked for in every
 *     audited repository),
 *   "orphansNotLookedFor" (null, or {"repositories": how many were not
 *     searched, "repository": the first of them, "reason": why, e.g. "the
 *     lookaside http://... cannot be listed"}),
 *   "foreignIdentity" (signatures claiming another repository),
 *   "bySigner":{"FPR or key id": count},
 *   "policy":{"kind":"policy"|"contract"|"keys", "files":[...], "named"
 *     (false: a policy.json the caller found in a default location, as
 *     signet_verifier_options.policy_is_default)},
 *   "shard":"K/N" or null}
 * Orphans are looked for in a docker:// source's repositories whose tag
 * list was read (not for REPO:TAG) and whose tags all resolved: its .sig
 * tags and a file:// lookaside directory (an http(s):// one cannot be
 * listed).  dir: and oci: sources hold no separate signature store.
 * A non-zero return stops the audit and is returned.
 */
typedef int (*signet_audit_cb)(void *userdata, const char *json);

/*
 * Audits the source with v's policy (with jobs > 1, v's options are used
 * to make one verifier per worker).  Results are streamed through cb and
 * never all held: memory stays bounded whatever the number of images.
 * Returns, after the whole audit: 0 when every image is allowed;
 * SIGNET_EDENIED when any image is denied; otherwise, when an image could
 * not be read, that image's code (SIGNET_ENETWORK, SIGNET_EAUTH, ...);
 * or at once an error that stopped the audit (the catalog or a layout
 * unreadable, cb's non-zero return); SIGNET_EINVAL, and no summary, when
 * the source holds no image at all ("no image found under SOURCE"; with
 * a shard: when it names no repository; for REPO:TAG: when the registry
 * answers 404 for that tag).
 */
SIGNET_EXPORT int signet_audit(signet_verifier *v, const signet_audit_options *opts, signet_audit_cb cb,
			       void *userdata);

#ifdef __cplusplus
}
#endif
#endif
