/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/verifier.c: the pre-pull decision.  Resolve the image to a digest
 * computed here, read every signature stored for that digest, and allow
 * the image only if one of them is a good signature by a pinned key over
 * a payload that names this digest and an identity that matches.
 */
#include "verify.h"

#include "config.h"
#include "policy/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signet/verify.h>

struct signet_verifier {
	struct signet_ctx *ctx;	 /* borrowed */
	const struct sn_sig_backend *pgp;
	void *pgp_state;
	struct sn_registries_d *rd; /* NULL: nothing configured */
	char *lookaside;	    /* overrides registries.d */
};

struct signet_verdict {
	char digest[SN_DIGEST_MAX];
	char *pinned;
	struct sn_signer signer;
	char *identity;
	char *location;
};

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
#if SIGNET_HAVE_OPENPGP
	struct sn_buf *bufs;
	int rc;

	if ((bufs = calloc(n, sizeof(*bufs))) == NULL)
		return sn_enomem(e);
	if ((rc = read_keys(bufs, files, n, e)) == 0 &&
	    (rc = sn_openpgp_backend.verifier_new(state, bufs, files, n, e)) == 0)
		*backend = &sn_openpgp_backend;
	free_keys(bufs, n);
	return rc;
#else
	(void)backend;
	(void)state;
	(void)files;
	(void)n;
	return sn_seterr(e, SIGNET_EUNSUPPORTED, "this signet was built without OpenPGP support");
#endif
}

int signet_verifier_new(signet_verifier **out, signet_ctx *ctx, const signet_verifier_options *opts)
{
	struct signet_verifier *v;
	struct sn_err *e;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	if (out == NULL || opts == NULL || opts->version != SIGNET_VERIFIER_OPTIONS_VERSION)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verifier_new: invalid arguments or options version");
	if (opts->n_gpg_key_files == 0 || opts->gpg_key_files == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "no keys pinned: a verifier needs at least one public key");
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return sn_enomem(e);
	v->ctx = ctx;
	if ((rc = pgp_state_new(&v->pgp, &v->pgp_state, opts->gpg_key_files, opts->n_gpg_key_files, e)) != 0)
		goto fail;
	if (opts->registries_d != NULL && (rc = sn_registries_d_load(&v->rd, opts->registries_d, e)) != 0)
		goto fail;
	if (opts->lookaside != NULL && (v->lookaside = sn_strdup(opts->lookaside, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto fail;
	}
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
	if (v->pgp != NULL)
		v->pgp->verifier_free(v->pgp_state);
	sn_registries_d_free(v->rd);
	free(v->lookaside);
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

/* The signatures stored for digest of the image ref.  *where names the
 * store for messages (caller frees). */
static int read_signatures(struct sn_sig_list *sigs, char **where, signet_verifier *v, const struct sn_ref *ref,
			   const char *digest, struct sn_err *e)
{
	struct sn_sigstore_config cfg = { NULL, NULL, -1 };
	const char *base;
	int rc;

	switch (ref->transport) {
	case SIGNET_TRANSPORT_DIR:
		if ((*where = sn_strdup(ref->string, e)) == NULL)
			return SIGNET_ENOMEM;
		return sn_dir_sigs_read(sigs, ref->dir, NULL, e);
	case SIGNET_TRANSPORT_OCI:
		return sn_seterr(e, SIGNET_EDENIED, "%s: denied: an oci: layout holds no signatures", ref->string);
	case SIGNET_TRANSPORT_DOCKER:
		break;
	}
	base = v->lookaside;
	if (base == NULL) {
		if ((rc = sn_registries_d_resolve(&cfg, v->rd, ref, e)) != 0)
			return rc;
		base = cfg.lookaside;
	}
	if (base == NULL) {
		rc = sn_seterr(e, SIGNET_EDENIED,
			       "%s: denied: no signature store is configured for this image "
			       "(a lookaside in registries.d, or --lookaside)",
			       ref->string);
		goto out;
	}
	if ((*where = sn_strdup(base, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	rc = sn_lookaside_read(sigs, v->ctx, base, ref, digest, e);
out:
	sn_sigstore_config_clear(&cfg);
	return rc;
}

/* Checks one signature blob; on success fills signer, identity. */
static int check_one(signet_verifier *v, const struct sn_ref *ref, const struct sn_buf *manifest,
		     const unsigned char *blob, size_t len, struct sn_signer *signer, char **identity,
		     struct sn_err *e)
{
	const unsigned char *chunk = NULL;
	struct sn_payload *payload = NULL;
	enum sn_sig_format format;
	struct sn_buf signed_bytes;
	size_t chunk_len = 0;
	int rc;

	sn_buf_init(&signed_bytes, 0, NULL);
	if ((rc = sn_sig_detect(&format, &chunk, &chunk_len, blob, len, e)) != 0)
		return rc;
	if (format != SN_SIG_SIMPLE_SIGNING)
		return sn_seterr(e, SIGNET_EDENIED, "a sigstore signature, and no sigstore key is pinned");
	if ((rc = v->pgp->verify(v->pgp_state, blob, len, &signed_bytes, signer, e)) != 0)
		return rc;
	if ((rc = sn_payload_parse(&payload, signed_bytes.data, signed_bytes.len, SN_PAYLOAD_TYPE_SIMPLE, e)) != 0)
		goto out;
	/* The payload names the manifest by a digest of its own choosing:
	 * recompute that digest over the bytes we hold. */
	if ((rc = sn_digest_check(payload->manifest_digest, manifest->data, manifest->len, "signed manifest", e)) !=
	    0) {
		if (rc == SIGNET_EINTEGRITY)
			rc = sn_seterr(e, SIGNET_EDENIED, "it signs manifest %s, not this one", payload->manifest_digest);
		goto out;
	}
	if ((rc = sn_identity_match(SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, ref, payload->docker_reference, e)) != 0)
		goto out;
	if ((*identity = sn_strdup(payload->docker_reference, e)) == NULL)
		rc = SIGNET_ENOMEM;
out:
	if (rc != 0)
		sn_signer_clear(signer);
	sn_payload_free(payload);
	sn_buf_free(&signed_bytes);
	return rc;
}

/* Appends "; LOCATION: reason" to the list of failures. */
static void note_failure(struct sn_buf *why, const char *location, const char *reason)
{
	const char *name = strrchr(location, '/');

	name = name != NULL ? name + 1 : location;
	if (why->len != 0)
		(void)sn_buf_append_str(why, "; ", NULL);
	(void)sn_buf_append_str(why, name, NULL);
	(void)sn_buf_append_str(why, ": ", NULL);
	(void)sn_buf_append_str(why, reason, NULL);
}

int signet_verify(signet_verdict **out, signet_verifier *v, const signet_ref *pub)
{
	const struct sn_ref *ref = (const struct sn_ref *)pub;
	struct signet_verdict *verdict = NULL;
	struct sn_sig_list sigs = { NULL, 0 };
	struct sn_manifest *manifest = NULL;
	struct sn_source *src = NULL;
	struct sn_buf bytes, why;
	char *where = NULL;
	struct sn_err *e;
	int rc;

	if (v == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(v->ctx);
	if (out == NULL || pub == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_verify: NULL argument");
	sn_buf_init(&bytes, 0, NULL);
	/* Bounded: the message buffer holds it all anyway. */
	sn_buf_init(&why, SN_ERRMSG_MAX, "reasons");
	if ((verdict = calloc(1, sizeof(*verdict))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((rc = sn_source_open(&src, v->ctx, ref, e)) != 0 ||
	    (rc = sn_source_read_manifest(&manifest, verdict->digest, &bytes, src, NULL, e)) != 0)
		goto out;
	if ((rc = read_signatures(&sigs, &where, v, ref, verdict->digest, e)) != 0) {
		if (rc != SIGNET_EDENIED)
			sn_errctx(e, "%s: cannot read its signatures: ", ref->string);
		goto out;
	}
	if (sigs.n == 0) {
		rc = sn_seterr(e, SIGNET_EDENIED, "%s: denied: no signatures for %s in %s", ref->string, verdict->digest,
			       where);
		goto out;
	}
	/* As containers/image: a stored blob that is not a signature at all
	 * makes the whole store unusable, it is not just one bad signature. */
	for (size_t i = 0; i < sigs.n; i++) {
		const unsigned char *chunk;
		enum sn_sig_format format;
		size_t chunk_len;

		if (sn_sig_detect(&format, &chunk, &chunk_len, sigs.items[i].data, sigs.items[i].len, e) != 0) {
			e->code = rc = SIGNET_EDENIED;
			sn_errctx(e, "%s: denied: %s is not a signature: ", ref->string, sigs.items[i].location);
			goto out;
		}
	}
	for (size_t i = 0; i < sigs.n; i++) {
		struct sn_err serr;

		sn_err_clear(&serr);
		rc = check_one(v, ref, &bytes, sigs.items[i].data, sigs.items[i].len, &verdict->signer,
			       &verdict->identity, &serr);
		if (rc == 0) {
			if ((verdict->location = sn_strdup(sigs.items[i].location, e)) == NULL) {
				rc = SIGNET_ENOMEM;
				goto out;
			}
			break;
		}
		if (rc == SIGNET_ENOMEM || rc == SIGNET_EIO) {
			*e = serr;
			sn_errctx(e, "%s: ", sigs.items[i].location);
			goto out;
		}
		note_failure(&why, sigs.items[i].location, serr.msg);
	}
	if (rc != 0) {
		rc = sn_seterr(e, SIGNET_EDENIED, "%s: denied: no valid signature among %zu: %s", ref->string, sigs.n,
			       why.data != NULL ? (char *)why.data : "");
		goto out;
	}
	if (ref->transport == SIGNET_TRANSPORT_DOCKER)
		verdict->pinned = sn_aprintf(e, "%s@%s", ref->name, verdict->digest);
	else
		verdict->pinned = sn_aprintf(e, "%s@%s", ref->string, verdict->digest);
	if (verdict->pinned == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	sn_log(v->ctx, SIGNET_LOG_INFO, "%s: allowed: %s signed by %s", ref->string, verdict->digest,
	       verdict->signer.fingerprint);
	*out = verdict;
	verdict = NULL;
out:
	signet_verdict_free(verdict);
	sn_sig_list_free(&sigs);
	sn_manifest_free(manifest);
	sn_source_free(src);
	sn_buf_free(&bytes);
	sn_buf_free(&why);
	free(where);
	return rc;
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
	if ((rc = pgp_state_new(&backend, &state, &key_file, 1, e)) != 0)
		goto out;
	if ((rc = backend->verify(state, signature, signature_len, &signed_bytes, &signer, e)) != 0 ||
	    (rc = sn_payload_parse(&payload, signed_bytes.data, signed_bytes.len, SN_PAYLOAD_TYPE_SIMPLE, e)) != 0)
		goto verdict;
	rc = sn_digest_check(payload->manifest_digest, manifest, manifest_len, "signed manifest", e);
	if (rc == SIGNET_EINTEGRITY)
		rc = sn_seterr(e, SIGNET_EDENIED, "the signature signs manifest %s, not this one",
			       payload->manifest_digest);
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
