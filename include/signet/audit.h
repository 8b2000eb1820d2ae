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
 * One audit record: an image, an orphan signature or the summary (the
 * fields, their types and when they are present: docs/audit.md).  Records
 * are made by signet_audit_records() (borrowed for the callback) or read
 * back by signet_audit_record_parse() (the caller's, freed with
 * signet_audit_record_free()).  Strings returned by the getters are
 * borrowed from the record and live as long as it; a getter asked about a
 * field its record's type does not have returns NULL, 0 or -1.
 */
typedef struct signet_audit_record signet_audit_record;

typedef enum signet_audit_record_type {
	SIGNET_AUDIT_IMAGE = 1,   /* {"type":"image", ...}: one tag, decided */
	SIGNET_AUDIT_ORPHAN = 2,  /* {"type":"orphan", ...}: a signature no tag uses */
	SIGNET_AUDIT_SUMMARY = 3, /* {"type":"summary", ...}: the last record */
} signet_audit_record_type;

typedef enum signet_audit_verdict {
	SIGNET_AUDIT_ALLOWED = 0,
	SIGNET_AUDIT_DENIED = 1,
	SIGNET_AUDIT_ERROR = 2, /* the image could not be decided (read) */
} signet_audit_verdict;

/*
 * Called once per record, in a stable order (repositories sorted, tags
 * sorted): every image and orphan record of a repository, then the next
 * repository, the summary last.  rec is borrowed for the call.
 * Orphans are looked for in a docker:// source's repositories whose tag
 * list was read (not for REPO:TAG) and whose tags all resolved: its .sig
 * tags and a file:// lookaside directory (an http(s):// one cannot be
 * listed).  dir: and oci: sources hold no separate signature store.
 * A non-zero return stops the audit and is returned.
 */
typedef int (*signet_audit_record_cb)(void *userdata, const signet_audit_record *rec);

/* The text form of signet_audit_record_cb: rec's JSON (as
 * signet_audit_record_json()), borrowed for the call. */
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
 * answers 404 for that tag).  The message is in v's context.
 */
SIGNET_EXPORT int signet_audit_records(signet_verifier *v, const signet_audit_options *opts,
                                       signet_audit_record_cb cb, void *userdata);

/* signet_audit_records() with each record given as its JSON text. */
SIGNET_EXPORT int signet_audit(signet_verifier *v, const signet_audit_options *opts, signet_audit_cb cb,
			       void *userdata);

/* ---- records ------------------------------------------------------------ */

/*
 * Reads one record from one line of JSON Lines (text, len bytes, without
 * its newline): strict JSON (duplicate keys refused) of a known type with
 * the fields its type needs in their types (docs/audit.md).  where names
 * the line in messages ("FILE:LINE"; NULL: "audit record").  On success
 * *out is the caller's and its JSON is text, byte for byte.  Returns 0,
 * SIGNET_EBADINPUT (the message, in ctx, names where and the field),
 * SIGNET_ENOMEM or SIGNET_EINVAL; *out is untouched on failure.
 */
SIGNET_EXPORT int signet_audit_record_parse(signet_audit_record **out, signet_ctx *ctx, const char *where,
                                            const char *text, size_t len);
/* A copy of rec in *out (the caller's), to keep a record past its
 * callback.  Returns 0, SIGNET_ENOMEM or SIGNET_EINVAL; *out is untouched
 * on failure. */
SIGNET_EXPORT int signet_audit_record_dup(signet_audit_record **out, const signet_audit_record *rec);
/* Frees rec; NULL is accepted. */
SIGNET_EXPORT void signet_audit_record_free(signet_audit_record *rec);
/* rec as one line of JSON Lines (no newline): what `signet audit --json`
 * prints.  Borrowed from rec. */
SIGNET_EXPORT const char *signet_audit_record_json(const signet_audit_record *rec);
SIGNET_EXPORT signet_audit_record_type signet_audit_record_get_type(const signet_audit_record *rec);

/* Image and orphan records. */
SIGNET_EXPORT const char *signet_audit_record_repository(const signet_audit_record *rec);
/* Image: the manifest digest the tag resolved to (NULL: unresolved).
 * Orphan: the digest the signature is for. */
SIGNET_EXPORT const char *signet_audit_record_digest(const signet_audit_record *rec);

/* Image records (NULL when absent or null). */
SIGNET_EXPORT const char *signet_audit_record_tag(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_reference(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_media_type(const signet_audit_record *rec);
/* -1 for a record that is not an image's. */
SIGNET_EXPORT int signet_audit_record_verdict(const signet_audit_record *rec);
/* "allowed", "denied", "error"; NULL for anything else. */
SIGNET_EXPORT const char *signet_audit_verdict_name(int verdict);
/* Why the image is denied or could not be read (NULL when allowed). */
SIGNET_EXPORT const char *signet_audit_record_reason(const signet_audit_record *rec);
/* The digest the policy pins the image to, if any. */
SIGNET_EXPORT const char *signet_audit_record_pinned(const signet_audit_record *rec);
/* Why the signature store could not be read, if it could not. */
SIGNET_EXPORT const char *signet_audit_record_signature_store_problem(const signet_audit_record *rec);
/* The platforms of an index, i < count (NULL fields: absent). */
SIGNET_EXPORT size_t signet_audit_record_platform_count(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_platform_os(const signet_audit_record *rec, size_t i);
SIGNET_EXPORT const char *signet_audit_record_platform_architecture(const signet_audit_record *rec, size_t i);
SIGNET_EXPORT const char *signet_audit_record_platform_variant(const signet_audit_record *rec, size_t i);
SIGNET_EXPORT const char *signet_audit_record_platform_digest(const signet_audit_record *rec, size_t i);
/* Every signature stored for the image, i < count. */
SIGNET_EXPORT size_t signet_audit_record_sig_count(const signet_audit_record *rec);
/* "simple-signing" or "sigstore". */
SIGNET_EXPORT const char *signet_audit_record_sig_kind(const signet_audit_record *rec, size_t i);
/* "lookaside", "attachment" or "dir", and where in it. */
SIGNET_EXPORT const char *signet_audit_record_sig_store(const signet_audit_record *rec, size_t i);
SIGNET_EXPORT const char *signet_audit_record_sig_location(const signet_audit_record *rec, size_t i);
/* 1: cryptographically valid with a key the policy pins; else 0. */
SIGNET_EXPORT int signet_audit_record_sig_valid(const signet_audit_record *rec, size_t i);
/* The signer's fingerprint or key id, and its user id (NULL: unknown). */
SIGNET_EXPORT const char *signet_audit_record_sig_signer(const signet_audit_record *rec, size_t i);
SIGNET_EXPORT const char *signet_audit_record_sig_signer_name(const signet_audit_record *rec, size_t i);
/* The identity the signature claims, and whether the policy accepts it. */
SIGNET_EXPORT const char *signet_audit_record_sig_identity(const signet_audit_record *rec, size_t i);
SIGNET_EXPORT int signet_audit_record_sig_identity_matches(const signet_audit_record *rec, size_t i);
/* 1 and *ts (seconds since the epoch) when the payload has a timestamp. */
SIGNET_EXPORT int signet_audit_record_sig_timestamp(const signet_audit_record *rec, size_t i, long long *ts);
/* The first problem found with the signature (NULL: none). */
SIGNET_EXPORT const char *signet_audit_record_sig_problem(const signet_audit_record *rec, size_t i);

/* Orphan records: "attachment" or "lookaside", and where. */
SIGNET_EXPORT const char *signet_audit_record_store(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_location(const signet_audit_record *rec);

/* Summary records: the counts (0 for other records). */
SIGNET_EXPORT unsigned long long signet_audit_record_images(const signet_audit_record *rec);
SIGNET_EXPORT unsigned long long signet_audit_record_allowed(const signet_audit_record *rec);
SIGNET_EXPORT unsigned long long signet_audit_record_denied(const signet_audit_record *rec);
SIGNET_EXPORT unsigned long long signet_audit_record_errors(const signet_audit_record *rec);
/* Signatures claiming another repository. */
SIGNET_EXPORT unsigned long long signet_audit_record_foreign_identity(const signet_audit_record *rec);
/* 1 and *n: orphans were looked for in every audited repository and n
 * found; 0: they were not looked for everywhere (see below). */
SIGNET_EXPORT int signet_audit_record_orphans(const signet_audit_record *rec, unsigned long long *n);
/* 1 when orphans were not looked for in some repositories: *repositories
 * how many, *repository the first of them in audit order, *reason why;
 * 0 otherwise (outputs untouched).  Any output may be NULL. */
SIGNET_EXPORT int signet_audit_record_orphans_not_looked_for(const signet_audit_record *rec,
                                                             unsigned long long *repositories,
                                                             const char **repository, const char **reason);
/* Valid signatures by signer, i < count, in the order first counted. */
SIGNET_EXPORT size_t signet_audit_record_signer_count(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_signer(const signet_audit_record *rec, size_t i,
                                                     unsigned long long *count);
/* Where the verdicts came from: "policy", "contract", "keys" or
 * "trusted-root" (keyless, since verifier options version 6) (NULL: not
 * recorded, a file written before signet recorded it); *named 0 for a
 * policy.json found in a default location (may be NULL). */
SIGNET_EXPORT const char *signet_audit_record_policy_kind(const signet_audit_record *rec, int *named);
SIGNET_EXPORT size_t signet_audit_record_policy_file_count(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_policy_file(const signet_audit_record *rec, size_t i);
/* "K/N" for one shard of a split audit; NULL for a whole one. */
SIGNET_EXPORT const char *signet_audit_record_shard(const signet_audit_record *rec);
/* The report's header: the SOURCE audited (as given, "docker://HOST/NS",
 * "dir:TREE", "oci:LAYOUT"), when the audit started (UTC ISO 8601,
 * "2026-12-05T04:13:13Z"; a merge: its earliest shard's) and the
 * signet_version() that wrote it.  NULL when not recorded (files written
 * before signet recorded them). */
SIGNET_EXPORT const char *signet_audit_record_source(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_started(const signet_audit_record *rec);
SIGNET_EXPORT const char *signet_audit_record_signet_version(const signet_audit_record *rec);

/* ---- files of records ------------------------------------------------- */

/* Longest line of JSON Lines read back: an image record holds at most
 * 128 + 100 signatures of a few hundred bytes of text each, far below. */
#define SIGNET_AUDIT_MAX_LINE (8u * 1024u * 1024u)
/* Shards of one audit accepted by signet_audit_merge(). */
#define SIGNET_AUDIT_MAX_SHARDS 4096u

/* Parses a shard "K/N" (`signet audit --shard`, a summary record's shard)
 * strictly: decimal, no sign or leading zero, 1 <= K <= N <=
 * SIGNET_AUDIT_MAX_SHARDS.  Returns 0 with *k and *n set, or SIGNET_EINVAL. */
SIGNET_EXPORT int signet_audit_shard_parse(const char *text, unsigned int *k, unsigned int *n);

/*
 * Reads the records of one audit written as JSON Lines (`signet audit
 * --json`) at path, each through cb (borrowed for the call), in file
 * order; the summary must be the last line.  Returns 0; SIGNET_EIO (the
 * file cannot be opened or read); SIGNET_EBADINPUT (a line that is no
 * record, a record after the summary, no summary); SIGNET_ELIMIT (a line
 * longer than SIGNET_AUDIT_MAX_LINE); cb's non-zero return.  Records read
 * before a failure have been given to cb.  The message is in ctx.
 */
SIGNET_EXPORT int signet_audit_read(signet_ctx *ctx, const char *path, signet_audit_record_cb cb,
                                    void *userdata);

/*
 * Merges the JSON Lines outputs of the N shards of one audit (`signet
 * audit --shard K/N --json`), paths[0..n), into the records one run would
 * have given, in its order (records of each repository as a block, the
 * repositories sorted), each through cb (borrowed for the call), the
 * merged summary last (counts summed, "shard": null; its JSON formatted as
 * the shards' summaries).  Memory: one record per file.  Returns 0;
 * SIGNET_EIO (a file unreadable); SIGNET_EBADINPUT (a file is not the
 * output of `signet audit --shard`, shards of another split or judged by
 * another policy, a shard missing or given twice, repositories in two
 * shards, a file out of audit order); SIGNET_ELIMIT (summed counts too
 * large, a line too long); SIGNET_EINVAL (n is 0 or more than
 * SIGNET_AUDIT_MAX_SHARDS); cb's non-zero return.  The message is in ctx.
 */
SIGNET_EXPORT int signet_audit_merge(signet_ctx *ctx, const char *const *paths, size_t n,
                                     signet_audit_record_cb cb, void *userdata);

#ifdef __cplusplus
}
#endif
#endif
