/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/verifier.c: the pre-pull decision.  Resolve the image to a digest
 * computed here, read every signature stored for that digest, and allow
 * the image only if one of them is a good signature by a pinned key over
 * a payload that names this digest and an identity that matches.
 */
#include "verifier_internal.h"
#include "workload.h"

#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Clears and returns the context's error record. */
static struct sn_err *ctx_err(signet_ctx *ctx)
{
	sn_err_clear(&ctx->err);
	return &ctx->err;
}

/* Reads pinned key files into bufs[0..n). */
static int read_keys(struct sn_buf *bufs, const char *const *files, size_t n, struct sn_err *e)
{
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (files[i] == NULL)
			return sn_seterr(e, SIGNET_EINVAL, "key file %zu: NULL path", i);
		if ((rc = sn_file_read(&bufs[i], files[i], SIGNET_MAX_POLICY_FILE_SIZE, "key file", 0, e)) != 0)
			return rc;
	}
	return 0;
}

static void free_keys(struct sn_buf *bufs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sn_buf_free(&bufs[i]);
	free(bufs);
}

/* A backend's verifier state for the OpenPGP keys in files. */
static int pgp_state_new(const struct sn_sig_backend **backend, void **state, const char *const *files, size_t n,
			 struct sn_err *e)
{
	struct sn_buf *bufs;
	int rc;

	if ((bufs = calloc(n, sizeof(*bufs))) == NULL)
		return sn_enomem(e);
	if ((rc = read_keys(bufs, files, n, e)) == 0 &&
	    (rc = sn_openpgp_backend.verifier_new(state, bufs, files, n, e)) == 0)
		*backend = &sn_openpgp_backend;
	free_keys(bufs, n);
	return rc;
}

/* "key=value" pairs as a JSON object of strings, or NULL for none. */
static int required_annotations(json_t **out, const signet_verifier_options *opts, struct sn_err *e)
{
	json_t *o;

	*out = NULL;
	if (opts->n_annotations == 0)
		return 0;
	if (opts->annotations == NULL || (o = json_object()) == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "annotations: none given or out of memory");
	for (size_t i = 0; i < opts->n_annotations; i++) {
		const char *a = opts->annotations[i], *eq = a != NULL ? strchr(a, '=') : NULL;
		char *key;

		if (eq == NULL || eq == a || (key = strndup(a, (size_t)(eq - a))) == NULL) {
			json_decref(o);
			return sn_seterr(e, SIGNET_EINVAL, "annotation \"%.100s\": expected KEY=VALUE", a != NULL ? a : "");
		}
		if (json_object_set_new(o, key, json_string(eq + 1)) != 0) {
			free(key);
			json_decref(o);
			return sn_seterr(e, SIGNET_EINVAL, "annotation \"%.100s\": not valid UTF-8", a);
		}
		free(key);
	}
	*out = o;
	return 0;
}

/* Makes v own block p (freed with v); p is freed on failure. */
static int own(struct signet_verifier *v, void *p, struct sn_err *e)
{
	char **n;

	if (p == NULL)
		return sn_enomem(e);
	if ((n = realloc(v->opt_strings, (v->n_opt_strings + 1) * sizeof(*n))) == NULL) {
		free(p);
		return sn_enomem(e);
	}
	v->opt_strings = n;
	n[v->n_opt_strings++] = p;
	return 0;
}

/* *dst = a copy of s owned by v (NULL for NULL).  0 or SIGNET_ENOMEM. */
static int keep_string(const char **dst, struct signet_verifier *v, const char *s, struct sn_err *e)
{
	char *copy;

	*dst = NULL;
	if (s == NULL)
		return 0;
	if (own(v, copy = strdup(s), e) != 0)
		return SIGNET_ENOMEM;
	*dst = copy;
	return 0;
}

/* *dst = a copy of the string array src[0..n) owned by v. */
static int keep_strings(const char *const **dst, struct signet_verifier *v, const char *const *src, size_t n,
			struct sn_err *e)
{
	const char **a;

	*dst = NULL;
	if (src == NULL || n == 0)
		return 0;
	if (own(v, a = calloc(n, sizeof(*a)), e) != 0)
		return SIGNET_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (keep_string(&a[i], v, src[i], e) != 0)
			return SIGNET_ENOMEM;
	*dst = a;
	return 0;
}

/* A deep copy of the creation options in v->opts (for sn_verifier_clone). */
static int keep_options(struct signet_verifier *v, const signet_verifier_options *o, struct sn_err *e)
{
	v->opts = *o;
	if (keep_string(&v->opts.policy_file, v, o->policy_file, e) != 0 ||
	    keep_string(&v->opts.contract_file, v, o->contract_file, e) != 0 ||
	    keep_string(&v->opts.contract_key, v, o->contract_key, e) != 0 ||
	    keep_string(&v->opts.registries_d, v, o->registries_d, e) != 0 ||
	    keep_string(&v->opts.lookaside, v, o->lookaside, e) != 0 ||
	    keep_string(&v->opts.platform, v, o->platform, e) != 0 ||
	    keep_string(&v->opts.trusted_root_file, v, o->trusted_root_file, e) != 0 ||
	    keep_string(&v->opts.certificate_identity, v, o->certificate_identity, e) != 0 ||
	    keep_string(&v->opts.certificate_oidc_issuer, v, o->certificate_oidc_issuer, e) != 0 ||
	    keep_strings(&v->opts.gpg_key_files, v, o->gpg_key_files, o->n_gpg_key_files, e) != 0 ||
	    keep_strings(&v->opts.key_files, v, o->key_files, o->n_key_files, e) != 0 ||
	    keep_strings(&v->opts.annotations, v, o->annotations, o->n_annotations, e) != 0)
		return SIGNET_ENOMEM;
	return 0;
}

/* ---- the digests a contract vouches for --------------------------- */

/* Adds "name@digest" of every image the contract's own workload section
 * names by digest to v->vouched, then wipes the section's text.  A section
 * that cannot be read vouches for nothing (v->vouch_problem says why). */
static int gather_vouched(struct signet_verifier *v, struct sn_err *e)
{
	struct sn_policy *p = v->policy;
	struct sn_workload *w = NULL;
	struct sn_err sub;
	int rc = 0;

	sn_err_clear(&sub);
	if (p->workload_problem != NULL) {
		rc = (v->vouch_problem = sn_strdup(p->workload_problem, e)) != NULL ? 0 : SIGNET_ENOMEM;
		goto out;
	}
	if (p->workload_text.data == NULL || p->workload_text.len == 0)
		goto out;
	rc = sn_workload_parse(&w, p->workload_text.data, p->workload_text.len,
			       p->workload_what != NULL ? p->workload_what : "the contract's workload section", &sub);
	if (rc == SIGNET_ENOMEM) {
		rc = sn_enomem(e);
		goto out;
	}
	if (rc != 0) {
		rc = (v->vouch_problem = sn_strdup(sub.msg, e)) != NULL ? 0 : SIGNET_ENOMEM;
		goto out;
	}
	if ((v->vouched = calloc(sn_workload_count(w) + 1, sizeof(*v->vouched))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	for (size_t i = 0; i < sn_workload_count(w); i++) {
		struct sn_ref *ref = NULL;

		/* An image that does not parse vouches for nothing. */
		if (sn_ref_parse_docker(&ref, sn_workload_site(w, i)->image, NULL) != 0)
			continue;
		if (ref->digest != NULL &&
		    (v->vouched[v->n_vouched] = sn_aprintf(e, "%s@%s", ref->name, ref->digest)) == NULL) {
			sn_ref_free(ref);
			rc = SIGNET_ENOMEM;
			goto out;
		}
		v->n_vouched += ref->digest != NULL;
		sn_ref_free(ref);
	}
out:
	sn_workload_free(w);
	sn_buf_wipe_free(&p->workload_text);
	return rc;
}

int sn_verifier_vouches(const struct signet_verifier *v, const struct sn_ref *ref)
{
	size_t nlen;

	if (ref->transport != SIGNET_TRANSPORT_DOCKER || ref->digest == NULL)
		return 0;
	nlen = strlen(ref->name);
	for (size_t i = 0; i < v->n_vouched; i++)
		if (strncmp(v->vouched[i], ref->name, nlen) == 0 && v->vouched[i][nlen] == '@' &&
		    strcmp(v->vouched[i] + nlen + 1, ref->digest) == 0)
			return 1;
	return 0;
}

int sn_verifier_clone(struct signet_verifier **out, const struct signet_verifier *v, struct signet_ctx *ctx,
		      struct sn_err *e)
{
	int rc = signet_verifier_new(out, ctx, &v->opts);

	if (rc != 0)
		sn_seterr(e, rc, "%s", signet_ctx_errmsg(ctx));
	return rc;
}

int sn_verifier_lookaside(char **out, const struct signet_verifier *v, const struct sn_ref *ref, struct sn_err *e)
{
	struct sn_lookaside_config cfg = { NULL, NULL, -1 };
	int rc;

	*out = NULL;
	if (v->lookaside != NULL)
		return (*out = sn_strdup(v->lookaside, e)) != NULL ? 0 : SIGNET_ENOMEM;
	if ((rc = sn_registries_d_resolve(&cfg, v->rd, ref, e)) != 0)
		return rc;
	*out = cfg.lookaside;
	cfg.lookaside = NULL;
	sn_lookaside_config_clear(&cfg);
	return 0;
}

int signet_verifier_new(signet_verifier **out, signet_ctx *ctx, const signet_verifier_options *given)
{
	static const signet_verifier_options init = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_verifier_options current = init;
	const signet_verifier_options *opts = &current;
	struct signet_verifier *v;
	struct sn_err *e;
	int sources, rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	if (out == NULL || given == NULL || given->version < 1 || given->version > SIGNET_VERIFIER_OPTIONS_VERSION)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verifier_new: invalid arguments or options version");
	/* An older struct ends before the fields added since: read no further
	 * (they keep their SIGNET_VERIFIER_OPTIONS_INIT values). */
	memcpy(&current, given,
	       given->version == 1   ? offsetof(signet_verifier_options, policy_is_default)
	       : given->version == 2 ? offsetof(signet_verifier_options, allow_digest_pinned)
	       : given->version == 3 ? offsetof(signet_verifier_options, key_files)
	       : given->version == 4 ? offsetof(signet_verifier_options, require_signed_contract)
	       : given->version == 5 ? offsetof(signet_verifier_options, trusted_root_file)
	                             : sizeof(current));
	current.version = SIGNET_VERIFIER_OPTIONS_VERSION;
	sources = (opts->policy_file != NULL) + (opts->contract_file != NULL) + (opts->n_gpg_key_files != 0) +
	          (opts->n_key_files != 0) + (opts->trusted_root_file != NULL);
	if (sources != 1)
		return sn_seterr(e, SIGNET_EINVAL,
				 "a verifier needs exactly one source of trust: a policy, a contract, pinned keys, or a trusted root");
	if (opts->n_gpg_key_files != 0 && opts->gpg_key_files == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verifier_new: gpg_key_files is NULL");
	if (opts->n_key_files != 0 && opts->key_files == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verifier_new: key_files is NULL");
	if ((opts->certificate_identity != NULL || opts->certificate_oidc_issuer != NULL) &&
	    opts->trusted_root_file == NULL)
		return sn_seterr(e, SIGNET_EINVAL,
				 "signet_verifier_new: a certificate identity or OIDC issuer without a trusted root");
	if (opts->policy_is_default && opts->policy_file == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verifier_new: policy_is_default without a policy_file");
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return sn_enomem(e);
	v->ctx = ctx;
	if ((rc = keep_options(v, opts, e)) != 0)
		goto fail;
	if (opts->policy_file != NULL)
		rc = sn_policy_load_json(&v->policy, opts->policy_file, e);
	else if (opts->contract_file != NULL)
		rc = sn_policy_load_contract(&v->policy, opts->contract_file, opts->contract_key,
		                             opts->strict, opts->require_signed_contract, e);
	else if (opts->n_gpg_key_files != 0)
		rc = sn_policy_from_key_files(&v->policy, opts->gpg_key_files, opts->n_gpg_key_files, 0, e);
	else if (opts->n_key_files != 0)
		rc = sn_policy_from_key_files(&v->policy, opts->key_files, opts->n_key_files, 1, e);
	else
		rc = sn_policy_from_keyless(&v->policy, opts->trusted_root_file, opts->certificate_identity,
					    opts->certificate_oidc_issuer, e);
	if (rc != 0 || (rc = gather_vouched(v, e)) != 0)
		goto fail;
	/* Credentials a contract carries for its registries. */
	for (size_t i = 0; i < v->policy->n_auths; i++)
		if ((rc = sn_ctx_add_host_creds(ctx, v->policy->auth_hosts[i], v->policy->auth_creds[i], e)) != 0)
			goto fail;
	if (opts->registries_d != NULL && (rc = sn_registries_d_load(&v->rd, opts->registries_d, e)) != 0)
		goto fail;
	if (opts->lookaside != NULL && (v->lookaside = sn_strdup(opts->lookaside, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto fail;
	}
	rc = opts->platform != NULL ? sn_platform_parse(&v->platform, opts->platform, e)
				    : sn_platform_default(&v->platform, e);
	if (rc != 0 || (rc = required_annotations(&v->annotations, opts, e)) != 0)
		goto fail;
	*out = v;
	return 0;
fail:
	signet_verifier_free(v);
	return rc;
}

void signet_verifier_free(signet_verifier *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_states; i++)
		v->states[i].backend->verifier_free(v->states[i].state);
	free(v->states);
	sn_policy_free(v->policy);
	sn_registries_d_free(v->rd);
	sn_platform_clear(&v->platform);
	json_decref(v->annotations);
	free(v->lookaside);
	for (size_t i = 0; i < v->n_vouched; i++)
		free(v->vouched[i]);
	free(v->vouched);
	free(v->vouch_problem);
	for (size_t i = 0; i < v->n_opt_strings; i++)
		free(v->opt_strings[i]);
	free(v->opt_strings);
	free(v);
}

void signet_verdict_free(signet_verdict *verdict)
{
	if (verdict == NULL)
		return;
	free(verdict->pinned);
	sn_signer_clear(&verdict->signer);
	free(verdict->identity);
	free(verdict->location);
	free(verdict);
}

const char *signet_verdict_pinned(const signet_verdict *verdict)
{
	return verdict->pinned;
}

const char *signet_verdict_digest(const signet_verdict *verdict)
{
	return verdict->digest;
}

const char *signet_verdict_signer(const signet_verdict *verdict)
{
	return verdict->signer.fingerprint;
}

const char *signet_verdict_signing_key(const signet_verdict *verdict)
{
	return verdict->signer.signing_fingerprint;
}

const char *signet_verdict_signer_uid(const signet_verdict *verdict)
{
	return verdict->signer.uid;
}

const char *signet_verdict_identity(const signet_verdict *verdict)
{
	return verdict->identity;
}

const char *signet_verdict_location(const signet_verdict *verdict)
{
	return verdict->location;
}

int signet_verify(signet_verdict **out, signet_verifier *v, const signet_ref *ref)
{
	struct sn_err *e;

	if (v == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(v->ctx);
	if (out == NULL || ref == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verify: NULL argument");
	return sn_evaluate(out, v, (const struct sn_ref *)ref, NULL, e);
}

int signet_explain(char **text, signet_verifier *v, const signet_ref *ref)
{
	signet_verdict *verdict = NULL;
	struct sn_buf t;
	struct sn_err *e;
	int rc;

	if (v == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(v->ctx);
	if (text == NULL || ref == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_explain: NULL argument");
	sn_buf_init(&t, 1u << 20, "explanation");
	rc = sn_evaluate(&verdict, v, (const struct sn_ref *)ref, &t, e);
	signet_verdict_free(verdict);
	if (rc == SIGNET_ENOMEM || t.data == NULL) {
		sn_buf_free(&t);
		return sn_enomem(e);
	}
	*text = (char *)sn_buf_steal(&t, NULL);
	return 0;
}

/* Appends one requirement list to the summary, importing its keys. */
static int check_reqs(struct sn_buf *out, signet_verifier *v, const char *scope, const struct sn_requirement *reqs,
		      size_t n, size_t *n_keys, struct sn_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct sn_requirement *r = &reqs[i];
		struct sn_req_state *st;
		char *line;

		line = sn_aprintf(e, "%s[%zu]: %s\n", scope, i,
				  r->type == SN_REQ_INSECURE_ACCEPT_ANYTHING ? "insecureAcceptAnything"
				  : r->type == SN_REQ_REJECT		     ? "reject"
				  : r->type == SN_REQ_SIGNED_BY		     ? "signedBy"
				  : r->type == SN_REQ_SIGSTORE_SIGNED	     ? "sigstoreSigned"
									     : "unsupported (always denies)");
		if (line == NULL)
			return SIGNET_ENOMEM;
		rc = sn_buf_append_str(out, line, e);
		free(line);
		if (rc != 0 || (r->type != SN_REQ_SIGNED_BY && r->type != SN_REQ_SIGSTORE_SIGNED))
			continue;
		if ((rc = sn_req_state(&st, v, r, e)) != 0)
			return rc;
		*n_keys += r->n_keys;
		if ((rc = sn_buf_append_str(out, "  keys: ", e)) == 0 && (rc = st->backend->describe(st->state, out, e)) == 0)
			rc = sn_buf_append_str(out, "\n", e);
	}
	return rc;
}

int signet_verifier_check(char **summary, signet_verifier *v)
{
	const struct sn_policy *p;
	struct sn_buf out;
	size_t n_keys = 0;
	struct sn_err *e;
	char *line;
	int rc;

	if (v == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(v->ctx);
	if (summary == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verifier_check: NULL argument");
	p = v->policy;
	sn_buf_init(&out, 1u << 20, "summary");
	rc = check_reqs(&out, v, "default", p->default_reqs, p->n_default, &n_keys, e);
	for (size_t i = 0; i < p->n_scopes && rc == 0; i++) {
		char *scope = sn_aprintf(e, "transports.%s.\"%s\"", p->scopes[i].transport, p->scopes[i].scope);

		if (scope == NULL) {
			rc = SIGNET_ENOMEM;
			break;
		}
		rc = check_reqs(&out, v, scope, p->scopes[i].reqs, p->scopes[i].n_reqs, &n_keys, e);
		free(scope);
	}
	if (rc == 0) {
		line = sn_aprintf(e, "%s: valid: %zu scopes besides the default, %zu key files or key data\n",
				  p->source != NULL ? p->source : "policy", p->n_scopes, n_keys);
		rc = line != NULL ? sn_buf_append_str(&out, line, e) : SIGNET_ENOMEM;
		free(line);
	}
	if (rc != 0) {
		sn_buf_free(&out);
		return rc;
	}
	*summary = (char *)sn_buf_steal(&out, NULL);
	return 0;
}

int signet_standalone_verify(char **digest, char **fingerprint, signet_ctx *ctx, const void *manifest,
			     size_t manifest_len, const char *reference, const char *key_file, const void *signature,
			     size_t signature_len)
{
	const struct sn_sig_backend *backend = NULL;
	struct sn_manifest *m = NULL;
	struct sn_payload *payload = NULL;
	struct sn_signer signer = { NULL, NULL, NULL };
	struct sn_buf signed_bytes;
	char *d = NULL, *f = NULL;
	void *state = NULL;
	struct sn_err *e;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	if (digest == NULL || fingerprint == NULL || manifest == NULL || reference == NULL || key_file == NULL ||
	    signature == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_standalone_verify: NULL argument");
	sn_buf_init(&signed_bytes, 0, NULL);
	if ((rc = sn_manifest_parse(&m, manifest, manifest_len, NULL, e)) != 0)
		goto out;
	if ((rc = pgp_state_new(&backend, &state, &key_file, 1, e)) != 0 || backend == NULL)
		goto out;
	if ((rc = backend->verify(state, signature, signature_len, &signed_bytes, &signer, e)) != 0 ||
	    (rc = sn_payload_parse(&payload, signed_bytes.data, signed_bytes.len, SN_PAYLOAD_TYPE_SIMPLE, e)) != 0)
		goto verdict;
	rc = sn_payload_check_digest(payload, manifest, manifest_len, "this one", e);
	if (rc != 0 || (rc = sn_identity_match_exact_text(reference, payload->docker_reference, e)) != 0)
		goto verdict;
	if ((d = sn_strdup(payload->manifest_digest, e)) == NULL || (f = sn_strdup(signer.fingerprint, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*digest = d;
	*fingerprint = f;
	d = f = NULL;
	goto out;
verdict:
	/* Whatever is wrong with the signature itself is a denial. */
	if (rc == SIGNET_EBADINPUT || rc == SIGNET_EUNSUPPORTED || rc == SIGNET_ELIMIT)
		e->code = rc = SIGNET_EDENIED;
	if (rc == SIGNET_EDENIED)
		sn_errctx(e, "signature refused: ");
out:
	if (backend != NULL)
		backend->verifier_free(state);
	sn_signer_clear(&signer);
	sn_payload_free(payload);
	sn_manifest_free(m);
	sn_buf_free(&signed_bytes);
	free(d);
	free(f);
	return rc;
}
