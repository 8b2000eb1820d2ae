/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/evaluate.c: the decision for one image under a policy.
 *
 * 1. Resolve the reference to a manifest whose digest is computed here;
 *    for a multi-platform index, also the instance for our platform.
 * 2. Choose the requirements of the most specific scope (policy/).
 * 3. Every requirement must be met (AND); a signature requirement is met
 *    by any one stored signature that passes every check (OR): valid, by
 *    one of the requirement's keys, naming the digest of the manifest it
 *    was stored for, claiming an identity the requirement's rule accepts.
 * Signatures are read once per image and store.  Anything unreadable
 * fails closed.
 */
#include "examine.h"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The signatures stored for one manifest, and the manifest's bytes. */
struct sig_set {
	const char *label;   /* "image", "instance", "index" (for messages) */
	const char *digest;  /* borrowed */
	const struct sn_buf *bytes;
	struct sn_sig_list sigs;
	int read;	     /* sigs were read */
	int rc;		     /* the result of reading them */
	struct sn_err err;   /* why reading failed */
};

/* Everything known about the image being decided. */
/* One examination of the decision, kept for the image's audit record,
 * which reads the same facts instead of examining the signature again.
 * Facts hold a parsed payload only for a signature that a pinned key
 * verified; the others hold their problem (a fixed-size message). */
struct examined {
	const struct sn_req_state *st;
	const struct sn_sig_blob *blob;
	int rc; /* what sn_examine returned */
	struct sn_sig_facts f;
};

struct image {
	const struct sn_ref *ref;
	struct sn_manifest *top;
	struct sn_buf top_bytes;
	char top_digest[SN_DIGEST_MAX];
	struct sn_manifest *inst; /* the platform instance of an index, or NULL */
	struct sn_buf inst_bytes;
	char inst_digest[SN_DIGEST_MAX];
	struct sig_set sets[2];	  /* what signature requirements may use */
	size_t n_sets;
	int store_resolved;	  /* store and attachments below are known */
	char *store;		  /* the lookaside base, or NULL */
	int attachments;	  /* registries.d use-sigstore-attachments: -1 unset, 0, 1 */
	int want_attachments;	  /* read .sig attachments (set by sn_evaluate) */
	const char *layout;	  /* a dir: layout read instead of ref's source, or NULL */
	int keep_facts;		  /* a report is made: examinations are kept */
	struct examined *examined; /* the decision's examinations, when keep_facts */
	size_t n_examined;
};

static void trace(struct sn_buf *t, const char *fmt, ...) SN_PRINTF(2, 3);
static void trace(struct sn_buf *t, const char *fmt, ...)
{
	char line[SN_ERRMSG_MAX];
	va_list ap;

	if (t == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	(void)sn_buf_append_str(t, line, NULL);
	(void)sn_buf_append_str(t, "\n", NULL);
}

static void image_clear(struct image *im)
{
	sn_manifest_free(im->top);
	sn_manifest_free(im->inst);
	sn_buf_free(&im->top_bytes);
	sn_buf_free(&im->inst_bytes);
	for (size_t i = 0; i < im->n_sets; i++)
		sn_sig_list_free(&im->sets[i].sigs);
	free(im->store);
	for (size_t i = 0; i < im->n_examined; i++)
		sn_sig_facts_clear(&im->examined[i].f);
	free(im->examined);
}

/* The kept examination of blob for st, or NULL. */
static struct examined *examined_find(const struct image *im, const struct sn_req_state *st,
                                      const struct sn_sig_blob *blob)
{
	for (size_t i = 0; i < im->n_examined; i++)
		if (im->examined[i].st == st && im->examined[i].blob == blob)
			return &im->examined[i];
	return NULL;
}

/* ---- step 1: the manifest ------------------------------------------ */

static int resolve(struct image *im, struct signet_verifier *v, struct sn_buf *t, struct sn_err *e)
{
	const struct sn_descriptor *d;
	struct sn_source *src = NULL;
	struct sn_ref *lref = NULL;
	int rc;

	if (im->layout != NULL) {
		char *text = sn_aprintf(e, "dir:%s", im->layout);

		if (text == NULL)
			return SIGNET_ENOMEM;
		rc = sn_ref_parse(&lref, text, e);
		free(text);
		if (rc != 0)
			return rc;
	}
	if ((rc = sn_source_open(&src, v->ctx, lref != NULL ? lref : im->ref, e)) != 0 ||
	    (rc = sn_source_read_manifest(&im->top, im->top_digest, &im->top_bytes, src, NULL, e)) != 0)
		goto out;
	trace(t, "Digest: %s (%s)", im->top_digest, im->top->media_type);
	if (!sn_manifest_is_index(im->top)) {
		im->sets[0] = (struct sig_set){ .label = "image", .digest = im->top_digest, .bytes = &im->top_bytes };
		im->n_sets = 1;
		goto out;
	}
	d = sn_platform_select(im->top, &v->platform);
	if (d == NULL) {
		rc = sn_seterr(e, SIGNET_ENOTFOUND, "%s: the index lists no instance for %s/%s%s%s", im->ref->string,
			       v->platform.os, v->platform.arch, v->platform.variant != NULL ? "/" : "",
			       v->platform.variant != NULL ? v->platform.variant : "");
		goto out;
	}
	if ((rc = sn_source_read_manifest(&im->inst, im->inst_digest, &im->inst_bytes, src, d->digest, e)) != 0)
		goto out;
	if (sn_manifest_is_index(im->inst)) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED, "%s: instance %s is itself an index", im->ref->string,
			       im->inst_digest);
		goto out;
	}
	trace(t, "Instance: %s for %s/%s", im->inst_digest, d->os, d->arch);
	/* containers/image checks the instance with its own signatures;
	 * signet also lets a signature on the index cover it (SPEC §4.1). */
	im->sets[0] = (struct sig_set){ .label = "instance", .digest = im->inst_digest, .bytes = &im->inst_bytes };
	im->n_sets = 1;
	if (v->policy->index_signature_covers_instances) {
		im->sets[1] = (struct sig_set){ .label = "index", .digest = im->top_digest, .bytes = &im->top_bytes };
		im->n_sets = 2;
	}
out:
	sn_source_free(src);
	sn_ref_free(lref);
	return rc;
}

/* The digest a pull must use: the instance for an index. */
static const char *pull_digest(const struct image *im)
{
	return im->inst != NULL ? im->inst_digest : im->top_digest;
}

/* ---- signatures ------------------------------------------------------ */

/* Where signatures of a docker image are stored: the lookaside base
 * (--lookaside, else registries.d) and whether .sig attachments are on. */
static int store_resolve(struct image *im, struct signet_verifier *v, struct sn_err *e)
{
	struct sn_lookaside_config cfg = { NULL, NULL, -1 };
	int rc;

	if (im->store_resolved)
		return 0;
	if ((rc = sn_registries_d_resolve(&cfg, v->rd, im->ref, e)) != 0)
		return rc;
	im->attachments = cfg.use_sigstore_attachments;
	if (v->lookaside != NULL) {
		im->store = sn_strdup(v->lookaside, e);
		rc = im->store != NULL ? 0 : SIGNET_ENOMEM;
	} else {
		im->store = cfg.lookaside;
		cfg.lookaside = NULL;
	}
	sn_lookaside_config_clear(&cfg);
	im->store_resolved = rc == 0;
	return rc;
}

/* Moves the items of from to the end of to. */
static int sig_list_append(struct sn_sig_list *to, struct sn_sig_list *from, struct sn_err *e)
{
	struct sn_sig_blob *items;

	if (from->n == 0)
		return 0;
	items = realloc(to->items, (to->n + from->n) * sizeof(*items));
	if (items == NULL)
		return sn_enomem(e);
	memcpy(items + to->n, from->items, from->n * sizeof(*items));
	to->items = items;
	to->n += from->n;
	to->bytes += from->bytes;
	free(from->items);
	from->items = NULL;
	from->n = 0;
	from->bytes = 0;
	return 0;
}

/* The lookaside signatures of digest, then its .sig attachments and its
 * Sigstore bundle referrers. */
static int docker_read(struct sn_sig_list *sigs, struct image *im, struct signet_verifier *v, const char *digest,
		       struct sn_err *e)
{
	struct sn_sig_list attached = SN_SIG_LIST_INIT;
	int rc;

	if ((rc = store_resolve(im, v, e)) != 0)
		return rc;
	if (im->store != NULL && (rc = sn_lookaside_read(sigs, v->ctx, im->store, im->ref, digest, e)) != 0)
		return rc;
	if (!im->want_attachments)
		return 0;
	attached.max_bytes = sn_sig_list_room(sigs);
	if ((rc = sn_attachments_read(&attached, v->ctx, im->ref, digest, e)) == 0)
		rc = sig_list_append(sigs, &attached, e);
	sn_sig_list_free(&attached);
	if (rc != 0)
		return rc;
	/* cosign v3's signatures: Sigstore bundles referring to the image. */
	attached.max_bytes = sn_sig_list_room(sigs);
	if ((rc = sn_referrers_read(&attached, v->ctx, im->ref, digest, e)) == 0)
		rc = sig_list_append(sigs, &attached, e);
	sn_sig_list_free(&attached);
	return rc;
}

/* Reads the signatures of set once.  As containers/image: a stored blob
 * that is not a signature at all makes the whole store unusable. */
static int set_read(struct sig_set *set, struct image *im, struct signet_verifier *v)
{
	const struct sn_ref *ref = im->ref;
	struct sn_err *e = &set->err;
	int rc = 0;

	if (set->read)
		return set->rc;
	set->read = 1;
	sn_err_clear(e);
	/* One budget for every signature held for the image, whatever
	 * the store holds (SIGNET_MAX_SIGNATURES_TOTAL_SIZE). */
	set->sigs = (struct sn_sig_list)SN_SIG_LIST_INIT;
	for (size_t i = 0; i < im->n_sets; i++)
		if (&im->sets[i] != set)
			set->sigs.max_bytes -= im->sets[i].sigs.bytes;
	if (im->layout != NULL) {
		rc = sn_dir_sigs_read(&set->sigs, im->layout, set->digest == im->top_digest ? NULL : set->digest, e);
		goto detect;
	}
	switch (ref->transport) {
	case SIGNET_TRANSPORT_DIR:
		rc = sn_dir_sigs_read(&set->sigs, ref->dir, set->digest == im->top_digest ? NULL : set->digest, e);
		break;
	case SIGNET_TRANSPORT_OCI:
		break; /* an oci: layout holds no signatures */
	case SIGNET_TRANSPORT_DOCKER:
		rc = docker_read(&set->sigs, im, v, set->digest, e);
		break;
	}
detect:
	/* A store holding more than signet reads is refused like one holding
	 * a blob that is not a signature: the verdict is a denial. */
	if (rc == SIGNET_ELIMIT)
		e->code = rc = SIGNET_EDENIED;
	for (size_t i = 0; rc == 0 && i < set->sigs.n; i++) {
		const unsigned char *chunk;
		enum sn_sig_format format;
		size_t chunk_len;

		if (sn_sig_detect(&format, &chunk, &chunk_len, set->sigs.items[i].data, set->sigs.items[i].len, e) !=
		    0) {
			e->code = rc = SIGNET_EDENIED;
			sn_errctx(e, "%s is not a signature: ", set->sigs.items[i].location);
		}
	}
	set->rc = rc;
	return rc;
}

/* One signature against one requirement, read from its examination:
 * 0, or why not (in e).  The first signature accepted fills verdict. */
static int check_signature(const struct sn_req_state *st, const json_t *required, struct image *im,
			   const struct sig_set *set, const struct sn_sig_blob *blob, struct signet_verdict *verdict,
			   struct sn_err *e)
{
	struct sn_sig_subject subject = {im->ref, set->label, set->digest, set->bytes};
	struct sn_sig_facts local, *f = &local;
	struct examined *x = NULL;
	int rc;

	if (im->keep_facts && (x = examined_find(im, st, blob)) == NULL) {
		struct examined *grown = realloc(im->examined, (im->n_examined + 1) * sizeof(*grown));

		if (grown == NULL)
			return sn_enomem(e);
		im->examined = grown;
		x = &grown[im->n_examined++];
		memset(x, 0, sizeof(*x));
		x->st = st;
		x->blob = blob;
		x->rc = sn_examine(&x->f, st, required, &subject, blob);
	}
	if (x != NULL) {
		f = &x->f;
		rc = x->rc;
	} else {
		rc = sn_examine(f, st, required, &subject, blob);
	}
	if (rc != 0) {
		*e = f->problem;
	} else if (verdict != NULL && verdict->signer.fingerprint == NULL) {
		if ((verdict->identity = sn_strdup(f->claim, e)) == NULL ||
		    (verdict->location = sn_strdup(blob->location, e)) == NULL ||
		    sn_signer_copy(&verdict->signer, &f->signer, e) != 0)
			rc = SIGNET_ENOMEM;
	}
	if (x == NULL)
		sn_sig_facts_clear(f);
	return rc;
}

/* The short name of a signature for lists: "signature-2" from its URL. */
static const char *sig_name(const struct sn_sig_blob *b)
{
	const char *slash = strrchr(b->location, '/');

	return slash != NULL ? slash + 1 : b->location;
}

/* Why no signature requirement can be met: none is stored where
 * signatures of this image are read.  Returns SIGNET_EDENIED. */
static int no_signatures(const struct image *im, struct sn_err *e)
{
	if (im->layout != NULL)
		return sn_seterr(e, SIGNET_EDENIED, "no signatures for %s in dir:%s", pull_digest(im),
		                 im->layout);
	if (im->ref->transport == SIGNET_TRANSPORT_OCI)
		return sn_seterr(e, SIGNET_EDENIED, "no signatures: an oci: layout holds none");
	if (im->ref->transport == SIGNET_TRANSPORT_DOCKER && im->store == NULL && !im->want_attachments)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "no signatures: no signature store is configured for this image "
		                 "(a lookaside in registries.d, or --lookaside)");
	return sn_seterr(e, SIGNET_EDENIED, "no signatures for %s in %s%s", pull_digest(im),
	                 im->ref->transport == SIGNET_TRANSPORT_DIR ? im->ref->string
	                 : im->store != NULL                        ? im->store
	                                                            : "",
	                 im->ref->transport == SIGNET_TRANSPORT_DOCKER && im->want_attachments
	                     ? (im->store != NULL ? " or the registry's .sig attachments"
	                                          : "the registry's .sig attachments")
	                     : "");
}

/* A signature requirement: any one signature of any set (OR). */
static int check_signed_by(struct signet_verifier *v, struct image *im, const struct sn_requirement *r,
			   struct signet_verdict *verdict, struct sn_buf *t, struct sn_err *e)
{
	struct sn_req_state *st = NULL;
	struct sn_buf why;
	size_t tried = 0;
	int rc;

	if ((rc = sn_req_state(&st, v, r, e)) != 0)
		return rc;
	if (t != NULL) {
		struct sn_buf keys;

		sn_buf_init(&keys, SN_ERRMSG_MAX, "keys");
		if (st->backend->describe(st->state, &keys, NULL) == 0 && keys.data != NULL)
			trace(t, "    keys: %s", (char *)keys.data);
		sn_buf_free(&keys);
	}
	sn_buf_init(&why, SN_ERRMSG_MAX, "reasons");
	for (size_t s = 0; s < im->n_sets; s++) {
		struct sig_set *set = &im->sets[s];

		if ((rc = set_read(set, im, v)) != 0) {
			*e = set->err;
			if (rc != SIGNET_EDENIED)
				sn_errctx(e, "cannot read the signatures of the %s: ", set->label);
			goto out;
		}
		for (size_t i = 0; i < set->sigs.n; i++) {
			const struct sn_sig_blob *b = &set->sigs.items[i];
			struct sn_err serr;

			tried++;
			sn_err_clear(&serr);
			rc = check_signature(st, v->annotations, im, set, b, verdict, &serr);
			if (rc == 0) {
				trace(t, "    satisfied by %s (%s): %s", sig_name(b), set->label, b->location);
				goto out;
			}
			if (rc == SIGNET_ENOMEM || rc == SIGNET_EIO) {
				*e = serr;
				sn_errctx(e, "%s: ", b->location);
				goto out;
			}
			trace(t, "    %s (%s): %s", sig_name(b), set->label, serr.msg);
			if (why.len != 0)
				(void)sn_buf_append_str(&why, "; ", NULL);
			(void)sn_buf_append_str(&why, sig_name(b), NULL);
			if (im->n_sets > 1) {
				(void)sn_buf_append_str(&why, " of the ", NULL);
				(void)sn_buf_append_str(&why, set->label, NULL);
			}
			(void)sn_buf_append_str(&why, ": ", NULL);
			(void)sn_buf_append_str(&why, serr.msg, NULL);
		}
	}
	if (tried == 0) {
		rc = no_signatures(im, e);
	} else {
		rc = sn_seterr(e, SIGNET_EDENIED, "no valid signature among %zu: %s", tried,
			       why.data != NULL ? (char *)why.data : "");
	}
out:
	sn_buf_free(&why);
	return rc;
}

static const char *req_name(const struct sn_requirement *r)
{
	switch (r->type) {
	case SN_REQ_INSECURE_ACCEPT_ANYTHING: return "insecureAcceptAnything";
	case SN_REQ_REJECT: return "reject";
	case SN_REQ_SIGNED_BY: return "signedBy";
	case SN_REQ_SIGSTORE_SIGNED: return "sigstoreSigned";
	case SN_REQ_UNSUPPORTED: return "unsupported requirement";
	}
	return "requirement";
}

/* Are the requirements of choice only insecureAcceptAnything, so that
 * one of them is what would allow the image? */
static int accepts_anything(const struct sn_scope_choice *choice)
{
	for (size_t i = 0; i < choice->n_reqs; i++)
		if (choice->reqs[i].type != SN_REQ_INSECURE_ACCEPT_ANYTHING)
			return 0;
	return choice->n_reqs != 0;
}

/* One requirement: 0 when met, SIGNET_EDENIED with why, or an error.
 * decides: the requirements are only insecureAcceptAnything. */
static int check_requirement(struct signet_verifier *v, struct image *im, const struct sn_requirement *r,
			     int decides, struct signet_verdict *verdict, struct sn_buf *t, struct sn_err *e)
{
	switch (r->type) {
	case SN_REQ_INSECURE_ACCEPT_ANYTHING:
		/* A policy nobody named (a distribution's default) does not
		 * let images through unsigned (docs/policy.md). */
		if (v->opts.policy_is_default && decides)
			return sn_seterr(e, SIGNET_EDENIED,
					 "%s is a default policy, not named on the command line, and its "
					 "insecureAcceptAnything does not let images through unsigned: pass "
					 "--policy %s to accept images without signatures",
					 v->opts.policy_file, v->opts.policy_file);
		return 0;
	case SN_REQ_REJECT:
		return sn_seterr(e, SIGNET_EDENIED, "rejected by the policy%s%s", r->unsupported != NULL ? ": " : "",
				 r->unsupported != NULL ? r->unsupported : "");
	case SN_REQ_UNSUPPORTED:
		return sn_seterr(e, SIGNET_EDENIED, "%s", r->unsupported != NULL ? r->unsupported : "not supported");
	case SN_REQ_SIGSTORE_SIGNED:
	case SN_REQ_SIGNED_BY:
		return check_signed_by(v, im, r, verdict, t, e);
	}
	return sn_seterr(e, SIGNET_EDENIED, "unknown requirement type");
}

static const char *scope_label(const struct sn_scope_choice *c, char *buf, size_t n)
{
	if (c->transport == NULL)
		return "default";
	(void)snprintf(buf, n, "transports.%s.\"%s\"", c->transport, c->scope != NULL ? c->scope : "");
	return buf;
}

/* Every requirement of choice (AND), unless the image is named by a
 * digest that needs none.  Returns 0, SIGNET_EDENIED with why, or an
 * error; the message names the image. */
static int meet_requirements(struct signet_verifier *v, struct image *im,
                             const struct sn_scope_choice *choice, struct signet_verdict *verdict,
                             struct sn_buf *t, struct sn_err *e)
{
	const struct sn_ref *ref = im->ref;
	int digest_rule, rc;

	/* A contract lets an image named by digest through unsigned when it
	 * vouches for that digest (its own workload names it), or when the
	 * caller allows every digest (signet/verify.h: allow_digest_pinned);
	 * any other digest needs what a tag needs. */
	digest_rule = v->policy->allow_digest_refs_unsigned && ref->digest != NULL;
	if (digest_rule && (v->opts.allow_digest_pinned || sn_verifier_vouches(v, ref))) {
		trace(t, "Requirements: none: %s",
		      v->opts.allow_digest_pinned
		          ? "an image named by digest, accepted unsigned (--allow-digest-pinned)"
		          : "the contract's own workload names this digest");
		return 0;
	}
	if (digest_rule)
		trace(t,
		      "Digest: nothing vouches for it: the contract's own workload does not name "
		      "%s@%s%s%.300s%s",
		      ref->name, ref->digest, v->vouch_problem != NULL ? " (" : "",
		      v->vouch_problem != NULL ? v->vouch_problem : "", v->vouch_problem != NULL ? ")" : "");
	trace(t, "Requirements (all must be met): %zu", choice->n_reqs);
	for (size_t i = 0; i < choice->n_reqs; i++) {
		const struct sn_requirement *r = &choice->reqs[i];

		trace(t, "  %zu. %s%s%s%s%s%s", i + 1, req_name(r), r->where != NULL ? " (" : "",
		      r->where != NULL ? r->where : "", r->where != NULL ? ")" : "",
		      r->type == SN_REQ_SIGNED_BY || r->type == SN_REQ_SIGSTORE_SIGNED ? ", identity " : "",
		      r->type == SN_REQ_SIGNED_BY || r->type == SN_REQ_SIGSTORE_SIGNED
		          ? sn_identity_rule_name(r->identity.rule)
		          : "");
		if ((rc = check_requirement(v, im, r, accepts_anything(choice), verdict, t, e)) != 0) {
			if (rc == SIGNET_EDENIED) {
				trace(t, "    not met: %s", e->msg);
				sn_errctx(e, "requirement %zu of %zu (%s%s%s) not met: ", i + 1,
				          choice->n_reqs, req_name(r), r->where != NULL ? ", " : "",
				          r->where != NULL ? r->where : "");
				if (digest_rule)
					sn_errctx(
					    e,
					    "nothing vouches for its digest (the contract's own workload "
					    "does "
					    "not name it%s%.200s), so it needs a signature as a tag does "
					    "(--allow-digest-pinned accepts images named by digest "
					    "unsigned); ",
					    v->vouch_problem != NULL ? "; reading that workload: " : "",
					    v->vouch_problem != NULL ? v->vouch_problem : "");
				sn_errctx(e, "%s: denied: ", ref->string);
			} else {
				sn_errctx(e, "%s: ", ref->string);
			}
			return rc;
		}
		trace(t, "    met");
	}
	return 0;
}

/* ---- the audit's inventory ------------------------------------------ */

/* Sets key of o to a string, or null for NULL. */
static int jset_str(json_t *o, const char *key, const char *value)
{
	return json_object_set_new(o, key, value != NULL ? json_string(value) : json_null());
}

/* Does the identity claim name another repository than im's? */
static int claim_is_foreign(const struct image *im, const char *claim)
{
	struct sn_ref *r = NULL;
	int foreign;

	if (im->ref->transport != SIGNET_TRANSPORT_DOCKER || claim == NULL)
		return 0;
	if (sn_ref_parse_docker(&r, claim, NULL) != 0)
		return 1; /* an unparsable claim names no repository of ours */
	foreign = strcmp(r->name, im->ref->name) != 0;
	sn_ref_free(r);
	return foreign;
}

/* Examines one stored signature for the audit: for each signature
 * requirement of choice whose format it has, until one of its keys
 * verifies it.  The facts of that examination (else of the last one
 * tried) are the record.  *foreign counts valid signatures claiming
 * another repository.  A failure to examine (even SIGNET_ENOMEM) is the
 * record's problem, as any other. */
static void inspect_facts(struct sn_sig_facts *f, struct signet_verifier *v, struct image *im,
                          const struct sig_set *set, const struct sn_sig_blob *blob,
                          const struct sn_scope_choice *choice, size_t *foreign)
{
	struct sn_sig_subject subject = {im->ref, set->label, set->digest, set->bytes};
	enum sn_sig_format format;
	char none[SN_ERRMSG_MAX];
	struct examined *x;
	int tried = 0;

	if (sn_examine_format(f, blob) != 0)
		return;
	format = f->format;
	(void)snprintf(none, sizeof(none), "the policy pins no key for %s signatures of this image",
	               format != SN_SIG_SIMPLE_SIGNING ? "sigstore" : "simple signing");
	for (size_t i = 0; i < choice->n_reqs; i++) {
		const struct sn_requirement *r = &choice->reqs[i];
		struct sn_req_state *st;
		struct sn_req_kind k;
		struct sn_err serr;

		if (r->type != SN_REQ_SIGNED_BY && r->type != SN_REQ_SIGSTORE_SIGNED)
			continue;
		sn_req_kind(&k, r);
		if (!sn_sig_format_reads(k.format, format))
			continue;
		tried = 1;
		sn_err_clear(&serr);
		if (sn_req_state(&st, v, r, &serr) != 0) {
			(void)snprintf(none, sizeof(none), "%s", serr.msg);
			continue;
		}
		sn_sig_facts_clear(f);
		if ((x = examined_find(im, st, blob)) != NULL) {
			/* The decision examined it: its facts, taken over. */
			*f = x->f;
			memset(&x->f, 0, sizeof(x->f));
			x->st = NULL;
		} else {
			(void)sn_examine(f, st, v->annotations, &subject, blob);
		}
		if (f->failed == SN_CHECK_CRYPTO) {
			(void)snprintf(none, sizeof(none), "%s", f->problem.msg);
			continue;
		}
		if (sn_sig_facts_valid(f) && claim_is_foreign(im, f->claim))
			(*foreign)++;
		return;
	}
	/* No key of the policy verifies it: the record says why. */
	sn_sig_facts_clear(f);
	(void)sn_examine_format(f, blob);
	f->failed = tried ? SN_CHECK_CRYPTO : SN_CHECK_FORMAT;
	f->code = SIGNET_EDENIED;
	(void)snprintf(f->problem.msg, sizeof(f->problem.msg), "%s", none);
}

/* Fills o, the audit record of one stored signature, from its facts.
 * Returns 0 or SIGNET_ENOMEM. */
static int inspect_signature(json_t *o, struct signet_verifier *v, struct image *im,
                             const struct sig_set *set, const struct sn_sig_blob *blob,
                             const struct sn_scope_choice *choice, size_t *foreign)
{
	const struct sn_payload *payload;
	struct sn_sig_facts f;
	int jrc = 0;

	inspect_facts(&f, v, im, set, blob, choice, foreign);
	payload = f.payload;
	jrc |= jset_str(o, "store",
	                im->layout != NULL || im->ref->transport == SIGNET_TRANSPORT_DIR ? "dir"
	                : strncmp(blob->location, "docker://", 9) != 0                   ? "lookaside"
	                : f.is_signature && f.format == SN_SIG_SIGSTORE_BUNDLE           ? "referrer"
	                                                                                 : "attachment");
	jrc |= jset_str(o, "location", blob->location);
	jrc |= jset_str(o, "manifest", set->digest);
	jrc |= jset_str(o, "kind",
	                !f.is_signature                      ? NULL
	                : f.format == SN_SIG_SIGSTORE_JSON   ? "sigstore"
	                : f.format == SN_SIG_SIGSTORE_BUNDLE ? "sigstore-bundle"
	                                                     : "simple-signing");
	jrc |= json_object_set_new(o, "valid", json_boolean(sn_sig_facts_valid(&f)));
	jrc |= jset_str(o, "signer", f.signer.fingerprint);
	jrc |= jset_str(o, "signerName", f.signer.uid);
	jrc |= jset_str(o, "identity", f.claim);
	jrc |= json_object_set_new(o, "identityMatches", json_boolean(f.identity_ok));
	jrc |= json_object_set_new(o, "timestamp", payload != NULL && payload->has_timestamp
							   ? json_integer((json_int_t)payload->timestamp)
							   : json_null());
	jrc |= jset_str(o, "problem", f.failed != SN_CHECK_NONE ? f.problem.msg : NULL);
	sn_sig_facts_clear(&f);
	return jrc != 0 ? SIGNET_ENOMEM : 0;
}

/* The platforms of an index (empty for an image manifest). */
static json_t *platforms_json(const struct sn_manifest *m)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && m != NULL && sn_manifest_is_index(m) && i < m->n_manifests; i++) {
		const struct sn_descriptor *d = &m->manifests[i];
		json_t *o = json_object();

		if (o == NULL || jset_str(o, "os", d->os) != 0 || jset_str(o, "architecture", d->arch) != 0 ||
		    jset_str(o, "variant", d->variant) != 0 || jset_str(o, "digest", d->digest) != 0 ||
		    json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Every signature stored for the image, whatever the decision used. */
static int report_fill(struct sn_eval_report *rep, struct signet_verifier *v, struct image *im,
		       const struct sn_scope_choice *choice)
{
	if ((rep->platforms = platforms_json(im->top)) == NULL || (rep->signatures = json_array()) == NULL)
		return SIGNET_ENOMEM;
	for (size_t s = 0; s < im->n_sets; s++) {
		struct sig_set *set = &im->sets[s];

		if (set_read(set, im, v) != 0 && set->sigs.n == 0) {
			if (rep->sig_error[0] == '\0')
				(void)snprintf(rep->sig_error, sizeof(rep->sig_error), "%s", set->err.msg);
			continue;
		}
		for (size_t i = 0; i < set->sigs.n; i++) {
			json_t *o = json_object();

			if (o == NULL || json_array_append_new(rep->signatures, o) != 0 ||
			    inspect_signature(o, v, im, set, &set->sigs.items[i], choice, &rep->foreign) != 0)
				return SIGNET_ENOMEM;
		}
	}
	return 0;
}

void sn_eval_report_clear(struct sn_eval_report *rep)
{
	if (rep == NULL)
		return;
	json_decref(rep->platforms);
	json_decref(rep->signatures);
	memset(rep, 0, sizeof(*rep));
}

int sn_evaluate(struct signet_verdict **out, struct signet_verifier *v, const struct sn_ref *ref, struct sn_buf *t,
		struct sn_err *e)
{
	return sn_evaluate_report(out, v, ref, NULL, NULL, t, e);
}

static int evaluate(struct signet_verdict **out, struct signet_verifier *v, const struct sn_ref *ref,
                    const char *layout, struct sn_eval_report *report, struct sn_buf *t, struct sn_err *e)
{
	struct signet_verdict *verdict = NULL;
	struct sn_scope_choice choice;
	struct image im;
	char label[600];
	int rc;

	memset(&im, 0, sizeof(im));
	im.ref = ref;
	im.layout = layout;
	im.keep_facts = report != NULL;
	if (report != NULL)
		memset(report, 0, sizeof(*report));
	trace(t, "Image: %s", ref->string);
	trace(t, "Policy: %s%s", v->policy->source != NULL ? v->policy->source : "(built in)",
	      v->opts.policy_is_default ? " (a default location, not named on the command line)" : "");
	sn_policy_choose(&choice, v->policy, ref);
	trace(t, "Scope: %s (%s)", scope_label(&choice, label, sizeof(label)), choice.kind);
	if ((verdict = calloc(1, sizeof(*verdict))) == NULL)
		return sn_enomem(e);
	if ((rc = resolve(&im, v, t, e)) != 0)
		goto out;
	if (report != NULL) {
		memcpy(report->digest, im.top_digest, sizeof(report->digest));
		report->media_type = im.top->media_type;
	}
	if (ref->transport == SIGNET_TRANSPORT_DOCKER && layout == NULL) {
		if ((rc = store_resolve(&im, v, e)) != 0)
			goto out;
		im.want_attachments = sn_want_attachments(im.attachments, &choice);
	}
	memcpy(verdict->digest, pull_digest(&im), strlen(pull_digest(&im)) + 1);
	if ((rc = meet_requirements(v, &im, &choice, verdict, t, e)) != 0)
		goto out;
	if (ref->transport == SIGNET_TRANSPORT_DOCKER)
		verdict->pinned = sn_aprintf(e, "%s@%s", ref->name, verdict->digest);
	else
		verdict->pinned = sn_aprintf(e, "%s@%s", ref->string, verdict->digest);
	if (verdict->pinned == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	trace(t, "Verdict: allowed: pull %s", verdict->pinned);
	sn_log(v->ctx, SIGNET_LOG_INFO, "%s: allowed: %s", ref->string, verdict->pinned);
	*out = verdict;
	verdict = NULL;
out:
	if (report != NULL && report->digest[0] != '\0' && (rc == 0 || rc == SIGNET_EDENIED) &&
	    report_fill(report, v, &im, &choice) != 0) {
		if (rc == 0) {
			signet_verdict_free(*out);
			*out = NULL;
		}
		rc = sn_enomem(e);
	}
	if (rc != 0)
		trace(t, "Verdict: %s: %s", rc == SIGNET_EDENIED ? "denied" : "error", e->msg);
	signet_verdict_free(verdict);
	image_clear(&im);
	return rc;
}

int sn_want_attachments(int setting, const struct sn_scope_choice *choice)
{
	if (setting != -1)
		return setting == 1;
	for (size_t i = 0; i < choice->n_reqs; i++)
		if (choice->reqs[i].type == SN_REQ_SIGSTORE_SIGNED)
			return 1;
	return 0;
}

/* One image, within its deadline (signet_ctx_options.image_timeout_ms). */
int sn_evaluate_report(struct signet_verdict **out, struct signet_verifier *v, const struct sn_ref *ref,
                       const char *layout, struct sn_eval_report *report, struct sn_buf *t, struct sn_err *e)
{
	int began = sn_deadline_begin(v->ctx), rc;

	rc = evaluate(out, v, ref, layout, report, t, e);
	sn_deadline_end(v->ctx, began);
	return rc;
}
