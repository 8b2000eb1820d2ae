/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/audit_record.c: one audit record (an image, an orphan signature,
 * the summary) as an opaque object: made by the audit, or read back from a
 * line of JSON Lines and checked field by field; getters for every field
 * (docs/audit.md), and its JSON, byte for byte the line it was read from
 * or the compact form the audit writes.
 */
#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>

struct signet_audit_record {
	signet_audit_record_type type;
	json_t *o;
	char *text;
	json_t *sigs;   /* image: "signatures" (an array), or NULL */
	json_t *plats;  /* image: "platforms" (an array), or NULL */
	json_t *policy; /* summary: "policy" (an object), or NULL */
	/* summary: the keys of "bySigner" in their order, borrowed from o */
	const char **signers;
	size_t n_signers;
};

/* ---- checking a record read back ------------------------------------- */

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int is_count(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

/* absent, null or a string */
static int opt_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return v == NULL || json_is_null(v) || json_is_string(v);
}

/* "orphans" is a count or null (not looked for everywhere): see
 * summary_problem(). */
static const char *const summary_counts[] = {
    "images", "allowed", "denied", "errors", "foreignIdentity",
};
#define N_SUMMARY_COUNTS (sizeof(summary_counts) / sizeof(summary_counts[0]))
/* What was audited, when and by which signet: strings (or null). */
static const char *const summary_header[] = {
    "source",
    "started",
    "signetVersion",
};
#define N_SUMMARY_HEADER (sizeof(summary_header) / sizeof(summary_header[0]))

/* NULL when the summary's "orphans", "orphansNotLookedFor" and "policy"
 * have the form the library writes them in (the last two may be absent in
 * files written before they existed); else what is wrong. */
static const char *summary_problem(json_t *summary)
{
	json_t *orphans = json_object_get(summary, "orphans");
	json_t *unlooked = json_object_get(summary, "orphansNotLookedFor");
	json_t *policy = json_object_get(summary, "policy"), *files, *f;
	const char *kind;
	size_t i;

	if (!is_count(orphans) && !json_is_null(orphans))
		return "\"orphans\" is neither a count nor null";
	if (unlooked != NULL && !json_is_null(unlooked) &&
	    (!json_is_object(unlooked) || !is_count(json_object_get(unlooked, "repositories")) ||
	     json_integer_value(json_object_get(unlooked, "repositories")) == 0 ||
	     str(unlooked, "repository") == NULL || str(unlooked, "reason") == NULL))
		return "\"orphansNotLookedFor\" is neither null nor "
		       "{\"repositories\" (at least 1), \"repository\", \"reason\"}";
	/* null orphans exactly when they were not looked for everywhere */
	if (json_is_null(orphans) != json_is_object(unlooked))
		return "\"orphans\" is null but \"orphansNotLookedFor\" is not set, or the other way round";
	if (policy == NULL)
		return NULL; /* written before signet recorded it */
	kind = str(policy, "kind");
	files = json_object_get(policy, "files");
	if (!json_is_object(policy) || kind == NULL ||
	    (strcmp(kind, "policy") != 0 && strcmp(kind, "contract") != 0 && strcmp(kind, "keys") != 0 &&
	     strcmp(kind, "trusted-root") != 0) ||
	    !json_is_array(files) || !json_is_boolean(json_object_get(policy, "named")))
		return "\"policy\" is not "
		       "{\"kind\": \"policy\"|\"contract\"|\"keys\"|\"trusted-root\", \"files\": [...], "
		       "\"named\": bool}";
	json_array_foreach(files, i, f)
	{
		if (!json_is_string(f))
			return "\"policy\": \"files\" holds something else than file names";
	}
	if (strcmp(kind, "keys") != 0 && json_array_size(files) != 1)
		return "\"policy\": a policy, a contract or a trusted root is one file";
	return NULL;
}

/* NULL when the image record's optional fields have their types; else the
 * JSON path of the first that does not, in buf. */
static const char *image_problem(json_t *rec, char *buf, size_t len)
{
	static const char *const strs[] = {"reference", "digest", "mediaType",
	                                   "reason",    "pinned", "signatureStoreProblem"};
	static const char *const sig_strs[] = {"kind",       "store",    "location", "signer",
	                                       "signerName", "identity", "problem"};
	static const char *const plat_strs[] = {"os", "architecture", "variant", "digest"};
	json_t *sigs = json_object_get(rec, "signatures"), *plats = json_object_get(rec, "platforms"), *s, *t;
	size_t i, k;

	for (k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		if (!opt_str(rec, strs[k])) {
			(void)snprintf(buf, len, "\"%s\" is neither a string nor null", strs[k]);
			return buf;
		}
	if (plats != NULL && !json_is_array(plats))
		return "\"platforms\" is not an array";
	json_array_foreach(plats, i, s)
	{
		for (k = 0; json_is_object(s) && k < sizeof(plat_strs) / sizeof(plat_strs[0]); k++)
			if (!opt_str(s, plat_strs[k]))
				break;
		if (!json_is_object(s) || k < sizeof(plat_strs) / sizeof(plat_strs[0])) {
			(void)snprintf(
			    buf, len,
			    "platforms[%zu] is not {\"os\", \"architecture\", \"variant\", \"digest\"}", i);
			return buf;
		}
	}
	json_array_foreach(sigs, i, s)
	{
		const char *bad = NULL;

		if (!json_is_object(s)) {
			(void)snprintf(buf, len, "signatures[%zu] is not an object", i);
			return buf;
		}
		for (k = 0; bad == NULL && k < sizeof(sig_strs) / sizeof(sig_strs[0]); k++)
			if (!opt_str(s, sig_strs[k]))
				bad = sig_strs[k];
		if (bad == NULL && (t = json_object_get(s, "valid")) != NULL && !json_is_boolean(t))
			bad = "valid";
		if (bad == NULL && (t = json_object_get(s, "identityMatches")) != NULL && !json_is_boolean(t))
			bad = "identityMatches";
		if (bad == NULL && (t = json_object_get(s, "timestamp")) != NULL && !json_is_null(t) &&
		    !json_is_integer(t))
			bad = "timestamp";
		if (bad != NULL) {
			(void)snprintf(buf, len, "signatures[%zu].%s has not its type", i, bad);
			return buf;
		}
	}
	return NULL;
}

int sn_audit_record_check(json_t *rec, const char *where, struct sn_err *e)
{
	const char *type = str(rec, "type"), *verdict, *key, *problem;
	char buf[128];
	json_t *v, *v2;

	if (!json_is_object(rec) || type == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not an audit record (no \"type\")", where);
	if (strcmp(type, "image") == 0) {
		verdict = str(rec, "verdict");
		if (str(rec, "repository") == NULL || str(rec, "tag") == NULL || verdict == NULL ||
		    (strcmp(verdict, "allowed") != 0 && strcmp(verdict, "denied") != 0 &&
		     strcmp(verdict, "error") != 0) ||
		    (json_object_get(rec, "signatures") != NULL &&
		     !json_is_array(json_object_get(rec, "signatures"))))
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: image record without a repository, a tag, a verdict (allowed, denied, "
			    "error) or with signatures not an array",
			    where);
		if ((problem = image_problem(rec, buf, sizeof(buf))) != NULL)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: image record: %s", where, problem);
		return SIGNET_AUDIT_IMAGE;
	}
	if (strcmp(type, "orphan") == 0) {
		if (str(rec, "repository") == NULL || str(rec, "digest") == NULL)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: orphan record without a repository or a digest", where);
		if (!opt_str(rec, "store") || !opt_str(rec, "location"))
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: orphan record: \"store\" or \"location\" is neither a string nor null",
			    where);
		return SIGNET_AUDIT_ORPHAN;
	}
	if (strcmp(type, "summary") == 0) {
		for (size_t i = 0; i < N_SUMMARY_COUNTS; i++)
			if (!is_count(json_object_get(rec, summary_counts[i])))
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: summary record: \"%s\" is not a count", where,
				                 summary_counts[i]);
		if (!json_is_object(json_object_get(rec, "bySigner")))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: summary record: \"bySigner\" is not an object", where);
		json_object_foreach(json_object_get(rec, "bySigner"), key, v)
		{
			if (!is_count(v))
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: summary record: bySigner \"%s\" is not a count", where,
				                 key);
		}
		/* byFormat: absent in records written before it existed. */
		v = json_object_get(rec, "byFormat");
		if (v != NULL && !json_is_object(v))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: summary record: \"byFormat\" is not an object", where);
		json_object_foreach(v, key, v2)
		{
			if (!is_count(v2))
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: summary record: byFormat \"%s\" is not a count", where,
				                 key);
		}
		v = json_object_get(rec, "shard");
		if (v != NULL && !json_is_null(v) && !json_is_string(v))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: summary record: \"shard\" is neither \"K/N\" nor null", where);
		/* the header, absent in files written before it existed */
		for (size_t i = 0; i < N_SUMMARY_HEADER; i++)
			if (!opt_str(rec, summary_header[i]))
				return sn_seterr(e, SIGNET_EBADINPUT,
				                 "%s: summary record: \"%s\" is neither a string nor null",
				                 where, summary_header[i]);
		if ((problem = summary_problem(rec)) != NULL)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: summary record: %s", where, problem);
		return SIGNET_AUDIT_SUMMARY;
	}
	return sn_seterr(e, SIGNET_EBADINPUT, "%s: unknown record type \"%.40s\"", where, type);
}

/* ---- the object ---------------------------------------------------------- */

int sn_audit_record_new(signet_audit_record **out, json_t *obj, const char *text, struct sn_err *e)
{
	struct signet_audit_record *r = calloc(1, sizeof(*r));
	const char *type = str(obj, "type"), *key;
	json_t *v, *by;

	if (r == NULL)
		return sn_enomem(e);
	r->o = json_incref(obj);
	r->text = text != NULL ? strdup(text) : json_dumps(obj, JSON_COMPACT);
	if (r->text == NULL)
		goto nomem;
	r->type = type == NULL                   ? SIGNET_AUDIT_IMAGE
	          : strcmp(type, "orphan") == 0  ? SIGNET_AUDIT_ORPHAN
	          : strcmp(type, "summary") == 0 ? SIGNET_AUDIT_SUMMARY
	                                         : SIGNET_AUDIT_IMAGE;
	if (r->type == SIGNET_AUDIT_IMAGE) {
		r->sigs = json_is_array(json_object_get(obj, "signatures"))
		              ? json_object_get(obj, "signatures")
		              : NULL;
		r->plats = json_is_array(json_object_get(obj, "platforms"))
		               ? json_object_get(obj, "platforms")
		               : NULL;
	} else if (r->type == SIGNET_AUDIT_SUMMARY) {
		r->policy =
		    json_is_object(json_object_get(obj, "policy")) ? json_object_get(obj, "policy") : NULL;
		by = json_object_get(obj, "bySigner");
		if (json_object_size(by) > 0 &&
		    (r->signers = calloc(json_object_size(by), sizeof(*r->signers))) == NULL)
			goto nomem;
		json_object_foreach(by, key, v) r->signers[r->n_signers++] = key;
	}
	*out = r;
	return 0;
nomem:
	signet_audit_record_free(r);
	return sn_enomem(e);
}

json_t *sn_audit_record_object(const signet_audit_record *rec)
{
	return rec != NULL ? rec->o : NULL;
}

int signet_audit_record_parse(signet_audit_record **out, signet_ctx *ctx, const char *where, const char *text,
                              size_t len)
{
	struct sn_err *e = ctx != NULL ? &ctx->err : NULL;
	json_error_t jerr;
	char *copy = NULL;
	json_t *o;
	int rc;

	if (out == NULL || ctx == NULL || text == NULL)
		return SIGNET_EINVAL;
	sn_err_clear(e);
	if (where == NULL)
		where = "audit record";
	if ((o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not JSON: %s", where, jerr.text);
	if ((rc = sn_audit_record_check(o, where, e)) < 0)
		goto out;
	if (memchr(text, '\0', len) != NULL || memchr(text, '\n', len) != NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: not one line of JSON Lines", where);
		goto out;
	}
	if ((copy = sn_strndup(text, len, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	rc = sn_audit_record_new(out, o, copy, e);
out:
	free(copy);
	json_decref(o);
	return rc;
}

int signet_audit_record_dup(signet_audit_record **out, const signet_audit_record *rec)
{
	if (out == NULL || rec == NULL)
		return SIGNET_EINVAL;
	/* The object is never changed once made: the copy shares it. */
	return sn_audit_record_new(out, rec->o, rec->text, NULL);
}

void signet_audit_record_free(signet_audit_record *rec)
{
	if (rec == NULL)
		return;
	json_decref(rec->o);
	free(rec->text);
	free(rec->signers);
	free(rec);
}

const char *signet_audit_record_json(const signet_audit_record *rec)
{
	return rec != NULL ? rec->text : NULL;
}

signet_audit_record_type signet_audit_record_get_type(const signet_audit_record *rec)
{
	return rec != NULL ? rec->type : (signet_audit_record_type)0;
}

/* ---- getters ------------------------------------------------------------ */

/* Field key of rec when rec is of one of the types in mask (1 << type). */
static const char *field(const signet_audit_record *rec, unsigned mask, const char *key)
{
	if (rec == NULL || (mask & (1u << rec->type)) == 0)
		return NULL;
	return str(rec->o, key);
}

#define IMAGE  (1u << SIGNET_AUDIT_IMAGE)
#define ORPHAN (1u << SIGNET_AUDIT_ORPHAN)

const char *signet_audit_record_repository(const signet_audit_record *rec)
{
	return field(rec, IMAGE | ORPHAN, "repository");
}

const char *signet_audit_record_digest(const signet_audit_record *rec)
{
	return field(rec, IMAGE | ORPHAN, "digest");
}

const char *signet_audit_record_tag(const signet_audit_record *rec)
{
	return field(rec, IMAGE, "tag");
}

const char *signet_audit_record_reference(const signet_audit_record *rec)
{
	return field(rec, IMAGE, "reference");
}

const char *signet_audit_record_media_type(const signet_audit_record *rec)
{
	return field(rec, IMAGE, "mediaType");
}

int signet_audit_record_verdict(const signet_audit_record *rec)
{
	const char *v = field(rec, IMAGE, "verdict");

	if (v == NULL)
		return -1;
	return strcmp(v, "allowed") == 0  ? SIGNET_AUDIT_ALLOWED
	       : strcmp(v, "denied") == 0 ? SIGNET_AUDIT_DENIED
	                                  : SIGNET_AUDIT_ERROR;
}

const char *signet_audit_verdict_name(int verdict)
{
	switch (verdict) {
	case SIGNET_AUDIT_ALLOWED: return "allowed";
	case SIGNET_AUDIT_DENIED: return "denied";
	case SIGNET_AUDIT_ERROR: return "error";
	default: return NULL;
	}
}

const char *signet_audit_record_reason(const signet_audit_record *rec)
{
	return field(rec, IMAGE, "reason");
}

const char *signet_audit_record_pinned(const signet_audit_record *rec)
{
	return field(rec, IMAGE, "pinned");
}

const char *signet_audit_record_signature_store_problem(const signet_audit_record *rec)
{
	return field(rec, IMAGE, "signatureStoreProblem");
}

size_t signet_audit_record_platform_count(const signet_audit_record *rec)
{
	return rec != NULL ? json_array_size(rec->plats) : 0;
}

static const char *plat(const signet_audit_record *rec, size_t i, const char *key)
{
	return rec != NULL ? str(json_array_get(rec->plats, i), key) : NULL;
}

const char *signet_audit_record_platform_os(const signet_audit_record *rec, size_t i)
{
	return plat(rec, i, "os");
}

const char *signet_audit_record_platform_architecture(const signet_audit_record *rec, size_t i)
{
	return plat(rec, i, "architecture");
}

const char *signet_audit_record_platform_variant(const signet_audit_record *rec, size_t i)
{
	return plat(rec, i, "variant");
}

const char *signet_audit_record_platform_digest(const signet_audit_record *rec, size_t i)
{
	return plat(rec, i, "digest");
}

size_t signet_audit_record_sig_count(const signet_audit_record *rec)
{
	return rec != NULL ? json_array_size(rec->sigs) : 0;
}

static json_t *sig(const signet_audit_record *rec, size_t i)
{
	return rec != NULL ? json_array_get(rec->sigs, i) : NULL;
}

const char *signet_audit_record_sig_kind(const signet_audit_record *rec, size_t i)
{
	return str(sig(rec, i), "kind");
}

const char *signet_audit_record_sig_store(const signet_audit_record *rec, size_t i)
{
	return str(sig(rec, i), "store");
}

const char *signet_audit_record_sig_location(const signet_audit_record *rec, size_t i)
{
	return str(sig(rec, i), "location");
}

int signet_audit_record_sig_valid(const signet_audit_record *rec, size_t i)
{
	return json_is_true(json_object_get(sig(rec, i), "valid"));
}

const char *signet_audit_record_sig_signer(const signet_audit_record *rec, size_t i)
{
	return str(sig(rec, i), "signer");
}

const char *signet_audit_record_sig_signer_name(const signet_audit_record *rec, size_t i)
{
	return str(sig(rec, i), "signerName");
}

const char *signet_audit_record_sig_identity(const signet_audit_record *rec, size_t i)
{
	return str(sig(rec, i), "identity");
}

int signet_audit_record_sig_identity_matches(const signet_audit_record *rec, size_t i)
{
	return json_is_true(json_object_get(sig(rec, i), "identityMatches"));
}

int signet_audit_record_sig_timestamp(const signet_audit_record *rec, size_t i, long long *ts)
{
	json_t *t = json_object_get(sig(rec, i), "timestamp");

	if (!json_is_integer(t))
		return 0;
	if (ts != NULL)
		*ts = (long long)json_integer_value(t);
	return 1;
}

const char *signet_audit_record_sig_problem(const signet_audit_record *rec, size_t i)
{
	return str(sig(rec, i), "problem");
}

const char *signet_audit_record_store(const signet_audit_record *rec)
{
	return field(rec, ORPHAN, "store");
}

const char *signet_audit_record_location(const signet_audit_record *rec)
{
	return field(rec, ORPHAN, "location");
}

static unsigned long long count(const signet_audit_record *rec, const char *key)
{
	json_int_t n;

	if (rec == NULL || rec->type != SIGNET_AUDIT_SUMMARY)
		return 0;
	n = json_integer_value(json_object_get(rec->o, key));
	return n > 0 ? (unsigned long long)n : 0;
}

unsigned long long signet_audit_record_images(const signet_audit_record *rec)
{
	return count(rec, "images");
}

unsigned long long signet_audit_record_allowed(const signet_audit_record *rec)
{
	return count(rec, "allowed");
}

unsigned long long signet_audit_record_denied(const signet_audit_record *rec)
{
	return count(rec, "denied");
}

unsigned long long signet_audit_record_errors(const signet_audit_record *rec)
{
	return count(rec, "errors");
}

unsigned long long signet_audit_record_foreign_identity(const signet_audit_record *rec)
{
	return count(rec, "foreignIdentity");
}

int signet_audit_record_orphans(const signet_audit_record *rec, unsigned long long *n)
{
	if (rec == NULL || rec->type != SIGNET_AUDIT_SUMMARY ||
	    !json_is_integer(json_object_get(rec->o, "orphans")))
		return 0;
	if (n != NULL)
		*n = count(rec, "orphans");
	return 1;
}

int signet_audit_record_orphans_not_looked_for(const signet_audit_record *rec,
                                               unsigned long long *repositories, const char **repository,
                                               const char **reason)
{
	json_t *u = rec != NULL && rec->type == SIGNET_AUDIT_SUMMARY
	                ? json_object_get(rec->o, "orphansNotLookedFor")
	                : NULL;
	json_int_t n = json_integer_value(json_object_get(u, "repositories"));

	if (!json_is_object(u))
		return 0;
	if (repositories != NULL)
		*repositories = n > 0 ? (unsigned long long)n : 0;
	if (repository != NULL)
		*repository = str(u, "repository");
	if (reason != NULL)
		*reason = str(u, "reason");
	return 1;
}

size_t signet_audit_record_signer_count(const signet_audit_record *rec)
{
	return rec != NULL ? rec->n_signers : 0;
}

const char *signet_audit_record_signer(const signet_audit_record *rec, size_t i, unsigned long long *n)
{
	json_int_t c;

	if (rec == NULL || i >= rec->n_signers)
		return NULL;
	c = json_integer_value(json_object_get(json_object_get(rec->o, "bySigner"), rec->signers[i]));
	if (n != NULL)
		*n = c > 0 ? (unsigned long long)c : 0;
	return rec->signers[i];
}

const char *signet_audit_record_policy_kind(const signet_audit_record *rec, int *named)
{
	if (rec == NULL || rec->policy == NULL)
		return NULL;
	if (named != NULL)
		*named = json_is_true(json_object_get(rec->policy, "named"));
	return str(rec->policy, "kind");
}

size_t signet_audit_record_policy_file_count(const signet_audit_record *rec)
{
	return rec != NULL ? json_array_size(json_object_get(rec->policy, "files")) : 0;
}

const char *signet_audit_record_policy_file(const signet_audit_record *rec, size_t i)
{
	return rec != NULL ? json_string_value(json_array_get(json_object_get(rec->policy, "files"), i))
	                   : NULL;
}

const char *signet_audit_record_shard(const signet_audit_record *rec)
{
	return field(rec, 1u << SIGNET_AUDIT_SUMMARY, "shard");
}

const char *signet_audit_record_source(const signet_audit_record *rec)
{
	return field(rec, 1u << SIGNET_AUDIT_SUMMARY, "source");
}

const char *signet_audit_record_started(const signet_audit_record *rec)
{
	return field(rec, 1u << SIGNET_AUDIT_SUMMARY, "started");
}

const char *signet_audit_record_signet_version(const signet_audit_record *rec)
{
	return field(rec, 1u << SIGNET_AUDIT_SUMMARY, "signetVersion");
}
