/* SPDX-License-Identifier: Apache-2.0 */
/* verify/verifier_internal.h: the verifier handle, shared by verifier.c
 * (creation, results, standalone checks) and evaluate.c (decisions). */
#ifndef SN_VERIFIER_INTERNAL_H
#define SN_VERIFIER_INTERNAL_H

#include "verify.h"

#include "policy/policy.h"

#include <signet/verify.h>

/* The backend state of one signature requirement, made on first use. */
struct sn_req_state {
	const struct sn_requirement *req;
	const struct sn_sig_backend *backend;
	void *state;
};

struct sn_platform {
	char *os;
	char *arch;
	char *variant; /* NULL: any */
};

struct signet_verifier {
	struct signet_ctx *ctx; /* borrowed */
	struct sn_policy *policy;
	struct sn_registries_d *rd; /* NULL: nothing configured */
	char *lookaside;	    /* overrides registries.d */
	struct sn_platform platform;
	struct sn_req_state *states;
	size_t n_states;
	json_t *annotations; /* required in accepted payloads' optional, or NULL */
	/* The images the contract's own workload names by digest, as
	 * "host/repo@sha256:...": the digests it vouches for (see
	 * allow_digest_pinned in signet/verify.h). */
	char **vouched;
	size_t n_vouched;
	char *vouch_problem; /* why the contract's workload could not be read for them, or NULL */
	struct signet_verifier_options opts; /* a deep copy of the creation options (sn_verifier_clone) */
	char **opt_strings;		     /* what opts points to (owned) */
	size_t n_opt_strings;
};

struct signet_verdict {
	char digest[SN_DIGEST_MAX];
	char *pinned;
	struct sn_signer signer; /* all NULL when no signature was required */
	char *identity;
	char *location;
};

/* Decides for ref.  With trace non-NULL, appends the explanation lines
 * (`policy explain`).  Returns as signet_verify. */
int sn_evaluate(struct signet_verdict **out, struct signet_verifier *v, const struct sn_ref *ref,
		struct sn_buf *trace, struct sn_err *e);

/* What sn_evaluate_report found besides the decision (audit.c). */
struct sn_eval_report {
	char digest[SN_DIGEST_MAX]; /* the manifest the reference names; "" when not resolved */
	const char *media_type;	    /* its media type (static), or NULL */
	/* When the decision was made (allowed or denied): */
	json_t *platforms;  /* [{"os","architecture","variant","digest"}] of an index, [] otherwise */
	json_t *signatures; /* every stored signature: {"kind","store","location","manifest","valid",
			     * "signer","signerName","identity","identityMatches","timestamp","problem"} */
	size_t foreign;	    /* valid signatures whose claimed identity names another repository */
	char sig_error[SN_ERRMSG_MAX]; /* why a signature store could not be read, or "" */
};

/*
 * sn_evaluate, also filling *report (when not NULL; cleared first, the
 * caller frees it with sn_eval_report_clear whatever the return).  With
 * layout non-NULL, the manifests and signatures are read from that dir:
 * layout while ref (a docker reference) decides the scope and the
 * identity: a mirror written by `skopeo sync --scoped`.  Signatures are
 * inventoried with the keys of the scope's requirements of their format:
 * valid = by a pinned key over a payload naming the manifest it is stored
 * for.  Returns as sn_evaluate (SIGNET_ENOMEM if the report cannot be made).
 */
/* Are the .sig attachments of a docker image read?  When registries.d's
 * use-sigstore-attachments (setting: 1 true, 0 false, -1 unset) turns them
 * on; unless it turns them off, whenever a sigstoreSigned requirement of
 * choice applies (cosign keeps its signatures there). */
int sn_want_attachments(int setting, const struct sn_scope_choice *choice);

int sn_evaluate_report(struct signet_verdict **out, struct signet_verifier *v, const struct sn_ref *ref,
		       const char *layout, struct sn_eval_report *report, struct sn_buf *t, struct sn_err *e);
void sn_eval_report_clear(struct sn_eval_report *rep);

/* A new verifier made with v's options in ctx (borrowed), for another
 * thread.  Returns as signet_verifier_new. */
int sn_verifier_clone(struct signet_verifier **out, const struct signet_verifier *v, struct signet_ctx *ctx,
		      struct sn_err *e);

/* The lookaside base (as configured: --lookaside, else registries.d) for
 * a docker reference: *out is the caller's, NULL when none.  Returns 0 or
 * an error of sn_registries_d_resolve. */
int sn_verifier_lookaside(char **out, const struct signet_verifier *v, const struct sn_ref *ref, struct sn_err *e);

/* Does the contract of v vouch for ref, a docker reference by digest: does
 * its own workload name that repository by that digest? */
int sn_verifier_vouches(const struct signet_verifier *v, const struct sn_ref *ref);

/* The backend state of a signature requirement, made once per verifier
 * (examine.c). */
int sn_req_state(struct sn_req_state **out, struct signet_verifier *v, const struct sn_requirement *r,
		 struct sn_err *e);

/* platform.c: the machine's platform ("linux" + its GOARCH-style name),
 * "os/arch[/variant]" parsed, and the index entry that matches. */
int sn_platform_default(struct sn_platform *p, struct sn_err *e);
int sn_platform_parse(struct sn_platform *p, const char *text, struct sn_err *e);
void sn_platform_clear(struct sn_platform *p);
/* The first entry of index m for platform p, or NULL. */
const struct sn_descriptor *sn_platform_select(const struct sn_manifest *m, const struct sn_platform *p);

#endif
