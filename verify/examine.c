/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/examine.c: one stored signature examined for one requirement
 * (examine.h).  Every rule about one signature is here, once, in the
 * order the checks are made:
 *
 *   a signature at all -> of the requirement's format -> by one of its
 *   keys -> a payload of its type -> naming the digest of the manifest it
 *   was stored for (recomputed here) -> carrying the required annotations
 *   -> claiming an identity the requirement's rule accepts.
 */
#include "examine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sn_req_kind(struct sn_req_kind *k, const struct sn_requirement *r)
{
	if (r->type == SN_REQ_SIGSTORE_SIGNED && r->keyless != NULL)
		*k = (struct sn_req_kind){&sn_keyless_backend, SN_SIG_SIGSTORE_JSON, SN_PAYLOAD_TYPE_COSIGN,
		                          "a keyless Sigstore signature"};
	else if (r->type == SN_REQ_SIGSTORE_SIGNED)
		*k = (struct sn_req_kind){&sn_sigstore_backend, SN_SIG_SIGSTORE_JSON, SN_PAYLOAD_TYPE_COSIGN,
		                          "a sigstore (cosign) signature"};
	else
		*k = (struct sn_req_kind){&sn_openpgp_backend, SN_SIG_SIMPLE_SIGNING, SN_PAYLOAD_TYPE_SIMPLE,
		                          "an OpenPGP simple signing signature"};
}

int sn_req_state(struct sn_req_state **out, struct signet_verifier *v, const struct sn_requirement *r,
                 struct sn_err *e)
{
	struct sn_req_state *n;
	struct sn_req_kind k;
	int rc;

	for (size_t i = 0; i < v->n_states; i++) {
		if (v->states[i].req == r) {
			*out = &v->states[i];
			return 0;
		}
	}
	sn_req_kind(&k, r);
	if ((n = realloc(v->states, (v->n_states + 1) * sizeof(*n))) == NULL)
		return sn_enomem(e);
	v->states = n;
	n = &v->states[v->n_states];
	*n = (struct sn_req_state){.req = r, .backend = k.backend};
	rc = r->keyless != NULL ? sn_keyless_verifier_new(&n->state, r->keyless, e)
	                        : k.backend->verifier_new(&n->state, r->keys,
	                                                  (const char *const *)r->key_names, r->n_keys, e);
	if (rc != 0) {
		sn_errctx(e, "%s: ", r->where != NULL ? r->where : "requirement");
		return rc;
	}
	v->n_states++;
	*out = n;
	return 0;
}

void sn_sig_facts_clear(struct sn_sig_facts *f)
{
	if (f == NULL)
		return;
	sn_signer_clear(&f->signer);
	sn_payload_free(f->payload);
	memset(f, 0, sizeof(*f));
}

/* Records the first failed check; the message is in f->problem. */
static int fail(struct sn_sig_facts *f, enum sn_sig_check check, int code)
{
	f->failed = check;
	f->code = code;
	f->problem.code = code;
	return code;
}

/* As fail, with the message. */
static int failf(struct sn_sig_facts *f, enum sn_sig_check check, int code, const char *fmt, ...)
    SN_PRINTF(4, 5);
static int failf(struct sn_sig_facts *f, enum sn_sig_check check, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(f->problem.msg, sizeof(f->problem.msg), fmt, ap);
	va_end(ap);
	return fail(f, check, code);
}

int sn_examine_format(struct sn_sig_facts *f, const struct sn_sig_blob *blob)
{
	const unsigned char *chunk = NULL;
	size_t chunk_len = 0;
	struct sn_err e;

	memset(f, 0, sizeof(*f));
	sn_err_clear(&f->problem);
	sn_err_clear(&e);
	if (sn_sig_detect(&f->format, &chunk, &chunk_len, blob->data, blob->len, &e) != 0)
		return failf(f, SN_CHECK_SIGNATURE, SIGNET_EDENIED, "not a signature: %.2000s", e.msg);
	f->is_signature = 1;
	return 0;
}

/* Is claim a reference without tag or digest (what cosign signs)? */
static int repository_only(const char *claim)
{
	struct sn_ref *r = NULL;
	int only;

	if (sn_ref_parse_docker(&r, claim, NULL) != 0)
		return 0;
	only = r->tag_implied && r->digest == NULL;
	sn_ref_free(r);
	return only;
}

/* Does the payload carry every annotation required (verify -a)? */
static int annotations_present(const json_t *required, const struct sn_payload *p, struct sn_err *e)
{
	const char *key;
	json_t *want;

	if (required == NULL)
		return 0;
	json_object_foreach((json_t *)required, key, want)
	{
		json_t *got = p->optional != NULL ? json_object_get(p->optional, key) : NULL;

		if (!json_is_string(got) || strcmp(json_string_value(got), json_string_value(want)) != 0)
			return sn_seterr(e, SIGNET_EDENIED,
			                 "the payload does not carry the annotation %.100s=%.200s", key,
			                 json_string_value(want));
	}
	return 0;
}

/* The claimed identity against the requirement's rule; a claim of a bare
 * repository (as cosign signs) denied by another rule says which rule
 * accepts it. */
static int identity_check(const struct sn_requirement *r, const struct sn_ref *ref, const char *claim,
                          struct sn_err *e)
{
	int rc = sn_identity_spec_match(&r->identity, ref, claim, e);

	if (rc == SIGNET_EDENIED && r->identity.rule != SN_IDENTITY_MATCH_REPOSITORY &&
	    repository_only(claim)) {
		char reason[SN_ERRMSG_MAX - 160];
		size_t n = strnlen(e->msg, sizeof(reason) - 1);

		memcpy(reason, e->msg, n);
		reason[n] = '\0';
		sn_seterr(e, rc,
		          "%s; the signature names only a repository, as cosign signs: a signedIdentity of "
		          "{\"type\": \"matchRepository\"} accepts such signatures",
		          reason);
	}
	return rc;
}

int sn_examine(struct sn_sig_facts *f, const struct sn_req_state *st, const json_t *annotations,
               const struct sn_sig_subject *subject, const struct sn_sig_blob *blob)
{
	const struct sn_requirement *r = st->req;
	struct sn_err *e = &f->problem;
	struct sn_buf signed_bytes;
	char what[SN_DIGEST_MAX + 32];
	struct sn_req_kind k;
	int rc;

	if ((rc = sn_examine_format(f, blob)) != 0)
		return rc;
	f->req = r;
	sn_req_kind(&k, r);
	if (!sn_sig_format_reads(k.format, f->format))
		return failf(f, SN_CHECK_FORMAT, SIGNET_EDENIED, "not %s", k.format_name);
	f->format_ok = 1;

	sn_buf_init(&signed_bytes, 0, NULL);
	rc = st->backend->verify(st->state, blob->data, blob->len, &signed_bytes, &f->signer, e);
	if (rc != 0) {
		sn_signer_clear(&f->signer);
		sn_buf_free(&signed_bytes);
		return fail(f, SN_CHECK_CRYPTO, rc);
	}
	f->crypto_ok = 1;
	/* A bundle signs an in-toto statement naming only a digest: the
	 * identity it stands for is the repository it was found in, as a
	 * cosign .sig payload names only a repository. */
	if (f->format == SN_SIG_SIGSTORE_BUNDLE)
		rc = sn_statement_parse(&f->payload, signed_bytes.data, signed_bytes.len,
		                        subject->ref->name != NULL ? subject->ref->name : "", e);
	else
		rc = sn_payload_parse(&f->payload, signed_bytes.data, signed_bytes.len, k.payload_type, e);
	sn_buf_free(&signed_bytes);
	if (rc != 0) {
		f->payload = NULL;
		return fail(f, SN_CHECK_PAYLOAD, rc);
	}
	f->claim = f->payload->docker_reference;

	/* The digest it names is recomputed over the bytes this signature
	 * was stored for. */
	(void)snprintf(what, sizeof(what), "this %s (%s)", subject->label, subject->digest);
	if ((rc = sn_payload_check_digest(f->payload, subject->bytes->data, subject->bytes->len, what, e)) !=
	    0)
		return fail(f, SN_CHECK_DIGEST, rc);
	f->digest_ok = 1;
	if ((rc = annotations_present(annotations, f->payload, e)) != 0)
		return fail(f, SN_CHECK_ANNOTATIONS, rc);
	f->annotations_ok = 1;
	if ((rc = identity_check(r, subject->ref, f->claim, e)) != 0)
		return fail(f, SN_CHECK_IDENTITY, rc);
	f->identity_ok = 1;
	return 0;
}
