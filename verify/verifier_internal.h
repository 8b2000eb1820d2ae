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

/* The backend state of a signature requirement, made once per verifier
 * (evaluate.c). */
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
