/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/sign_image.c: sign what a reference names and publish the
 * signature where verifiers will look for it.
 */
#include "sign.h"

#include "config.h"
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <signet/sign.h>

static struct sn_err *ctx_err(signet_ctx *ctx)
{
	sn_err_clear(&ctx->err);
	return &ctx->err;
}

static int check_options(const signet_sign_options *opts, struct sn_err *e)
{
	if (opts == NULL || opts->version != SIGNET_SIGN_OPTIONS_VERSION)
		return sn_seterr(e, SIGNET_EINVAL, "signing options missing or of an unknown version");
	if (opts->gpg_key == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "no signing key given (an OpenPGP key fingerprint)");
	return 0;
}

/* Builds the payload for digest and identity and signs it into sig. */
static int sign_payload(struct sn_buf *sig, const signet_sign_options *opts, const char *identity,
			const char *digest, struct sn_err *e)
{
#if SIGNET_HAVE_OPENPGP
	struct sn_ref *parsed = NULL;
	struct sn_buf payload;
	int rc;

	/* Sign only identities that verifiers can parse back. */
	if ((rc = sn_ref_parse_docker(&parsed, identity, e)) != 0) {
		sn_errctx(e, "signature identity: ");
		return rc;
	}
	sn_ref_free(parsed);
	if ((rc = sn_payload_create(&payload, SN_PAYLOAD_TYPE_SIMPLE, identity, digest, NULL, (int64_t)time(NULL),
				    e)) != 0)
		return rc;
	rc = sn_openpgp_sign(sig, opts->gpg_key, opts->passphrase_file, opts->gnupghome, payload.data, payload.len,
			     e);
	sn_buf_free(&payload);
	return rc;
#else
	(void)sig;
	(void)opts;
	(void)identity;
	(void)digest;
	return sn_seterr(e, SIGNET_EUNSUPPORTED, "this signet was built without OpenPGP support");
#endif
}

/* The identity a signature of ref claims when the caller names none: the
 * reference with its tag; by digest alone, the repository and digest. */
static char *default_identity(const struct sn_ref *ref, struct sn_err *e)
{
	if (ref->tag != NULL)
		return sn_aprintf(e, "%s:%s", ref->name, ref->tag);
	return sn_aprintf(e, "%s@%s", ref->name, ref->digest);
}

/* Where signatures of a docker image are written: --lookaside, else
 * registries.d's lookaside-staging / lookaside for the image. */
static int lookaside_base(char **out, const signet_sign_options *opts, const struct sn_ref *ref, struct sn_err *e)
{
	struct sn_sigstore_config cfg = { NULL, NULL, -1 };
	struct sn_registries_d *rd = NULL;
	int rc = 0;

	if (opts->lookaside != NULL) {
		*out = sn_strdup(opts->lookaside, e);
		return *out != NULL ? 0 : SIGNET_ENOMEM;
	}
	if (opts->registries_d != NULL && (rc = sn_registries_d_load(&rd, opts->registries_d, e)) != 0)
		return rc;
	if ((rc = sn_registries_d_resolve(&cfg, rd, ref, e)) != 0)
		goto out;
	if (cfg.lookaside_staging == NULL) {
		rc = sn_seterr(e, SIGNET_ENOTFOUND,
			       "%s: nowhere to store the signature: no lookaside-staging or lookaside in registries.d "
			       "for this image (or give --lookaside)",
			       ref->string);
		goto out;
	}
	*out = cfg.lookaside_staging;
	cfg.lookaside_staging = NULL;
out:
	sn_sigstore_config_clear(&cfg);
	sn_registries_d_free(rd);
	return rc;
}

int signet_sign_image(char **location, char **digest, signet_ctx *ctx, const signet_sign_options *opts,
		      const signet_ref *pub)
{
	const struct sn_ref *ref = (const struct sn_ref *)pub;
	struct sn_manifest *manifest = NULL;
	struct sn_source *src = NULL;
	char computed[SN_DIGEST_MAX];
	char *identity = NULL, *base = NULL, *where = NULL, *d = NULL;
	struct sn_buf sig;
	struct sn_err *e;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	sn_buf_init(&sig, 0, NULL);
	if (location == NULL || pub == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_sign_image: NULL argument");
	if ((rc = check_options(opts, e)) != 0)
		return rc;
	if (ref->transport == SIGNET_TRANSPORT_OCI)
		return sn_seterr(e, SIGNET_EUNSUPPORTED, "%s: oci: layouts cannot hold signatures (use dir: or docker://)",
				 ref->string);
	if (ref->transport == SIGNET_TRANSPORT_DIR && opts->identity == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "%s: a dir: image needs the identity to sign (--sign-identity)",
				 ref->string);
	/* Resolve first: the digest signed is the one computed here. */
	if ((rc = sn_source_open(&src, ctx, ref, e)) != 0 ||
	    (rc = sn_source_read_manifest(&manifest, computed, NULL, src, NULL, e)) != 0)
		goto out;
	identity = opts->identity != NULL ? sn_strdup(opts->identity, e) : default_identity(ref, e);
	if (identity == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if (ref->transport == SIGNET_TRANSPORT_DOCKER && (rc = lookaside_base(&base, opts, ref, e)) != 0)
		goto out;
	if ((rc = sign_payload(&sig, opts, identity, computed, e)) != 0)
		goto out;
	if (ref->transport == SIGNET_TRANSPORT_DOCKER)
		rc = sn_lookaside_write(&where, base, ref, computed, sig.data, sig.len, e);
	else
		rc = sn_dir_sigs_write(&where, ref->dir, NULL, sig.data, sig.len, e);
	if (rc != 0)
		goto out;
	if (digest != NULL && (d = sn_strdup(computed, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	sn_log(ctx, SIGNET_LOG_INFO, "%s: signed %s as %s", ref->string, computed, identity);
	*location = where;
	where = NULL;
	if (digest != NULL)
		*digest = d;
out:
	sn_manifest_free(manifest);
	sn_source_free(src);
	sn_buf_free(&sig);
	free(identity);
	free(base);
	free(where);
	return rc;
}

int signet_standalone_sign(unsigned char **signature, size_t *signature_len, signet_ctx *ctx,
			   const signet_sign_options *opts, const void *manifest, size_t manifest_len,
			   const char *reference)
{
	struct sn_manifest *m = NULL;
	char digest[SN_DIGEST_MAX];
	struct sn_buf sig;
	struct sn_err *e;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	sn_buf_init(&sig, 0, NULL);
	if (signature == NULL || signature_len == NULL || manifest == NULL || reference == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_standalone_sign: NULL argument");
	if ((rc = check_options(opts, e)) != 0)
		return rc;
	if ((rc = sn_manifest_parse(&m, manifest, manifest_len, NULL, e)) != 0)
		return rc;
	sn_manifest_free(m);
	if ((rc = sn_digest_compute(digest, "sha256", manifest, manifest_len, e)) != 0 ||
	    (rc = sign_payload(&sig, opts, reference, digest, e)) != 0)
		return rc;
	*signature = sn_buf_steal(&sig, signature_len);
	return 0;
}
