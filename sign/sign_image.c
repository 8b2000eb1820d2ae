/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/sign_image.c: sign what a reference names and publish the
 * signature where verifiers will look for it.
 */
#include "sign.h"

#include "config.h"
#include "registry/registries_d.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <signet/sign.h>

static struct sn_err *ctx_err(signet_ctx *ctx)
{
	sn_err_clear(&ctx->err);
	return &ctx->err;
}

/* The version 1 struct: every member up to recursive. */
#define SIGN_OPTIONS_V1_SIZE (offsetof(signet_sign_options, recursive) + sizeof(int))

/* Copies the caller's options into *out, a version 1 struct with the
 * later members NULL (it is shorter: they must not be read from it). */
static int check_options(signet_sign_options *out, const signet_sign_options *opts, struct sn_err *e)
{
	if (opts == NULL || (opts->version != SIGNET_SIGN_OPTIONS_VERSION && opts->version != 1))
		return sn_seterr(e, SIGNET_EINVAL, "signing options missing or of an unknown version");
	memset(out, 0, sizeof(*out));
	memcpy(out, opts, opts->version == 1 ? SIGN_OPTIONS_V1_SIZE : sizeof(*out));
	opts = out;
	if ((opts->gpg_key == NULL) == (opts->key == NULL))
		return sn_seterr(e, SIGNET_EINVAL,
				 "give exactly one signing key: an OpenPGP fingerprint or a sigstore key file");
	if (opts->gpg_key != NULL && opts->n_annotations != 0)
		return sn_seterr(e, SIGNET_EINVAL, "annotations go into cosign-format signatures only (--key)");
	if (opts->gpg_key != NULL && opts->store == SIGNET_STORE_ATTACH)
		return sn_seterr(e, SIGNET_EINVAL, "OpenPGP signatures are stored in a lookaside, not as attachments");
	if (opts->gpg_key != NULL && opts->store == SIGNET_STORE_BUNDLE)
		return sn_seterr(e, SIGNET_EINVAL,
		                 "Sigstore bundles are signed with a sigstore key (--key), not OpenPGP");
	if (opts->store == SIGNET_STORE_BUNDLE && opts->lookaside != NULL)
		return sn_seterr(e, SIGNET_EINVAL,
		                 "a Sigstore bundle is stored as a referrer, not in a lookaside");
	return 0;
}

/* The payload's optional object for a cosign signature: the annotations
 * as strings, or NULL ("optional": null) when there are none. */
static int cosign_optional(json_t **out, const signet_sign_options *opts, struct sn_err *e)
{
	json_t *o;

	*out = NULL;
	if (opts->n_annotations == 0)
		return 0;
	if ((o = json_object()) == NULL)
		return sn_enomem(e);
	for (size_t i = 0; i < opts->n_annotations; i++) {
		const char *a = opts->annotations[i], *eq = a != NULL ? strchr(a, '=') : NULL;
		char *key;
		int rc;

		if (eq == NULL || eq == a) {
			json_decref(o);
			return sn_seterr(e, SIGNET_EINVAL, "annotation \"%.100s\": expected KEY=VALUE",
					 a != NULL ? a : "");
		}
		if ((key = sn_strndup(a, (size_t)(eq - a), e)) == NULL) {
			json_decref(o);
			return SIGNET_ENOMEM;
		}
		rc = json_object_set_new(o, key, json_string(eq + 1));
		free(key);
		if (rc != 0) {
			json_decref(o);
			return sn_seterr(e, SIGNET_EINVAL, "annotation \"%.100s\": not valid UTF-8", a);
		}
	}
	*out = o;
	return 0;
}

/* The payload for digest and identity, in the key's format. */
static int make_payload(struct sn_buf *payload, const signet_sign_options *opts, const char *identity,
			const char *digest, struct sn_err *e)
{
	struct sn_ref *parsed = NULL;
	json_t *optional = NULL;
	int rc;

	/* Sign only identities that verifiers can parse back. */
	if ((rc = sn_ref_parse_docker(&parsed, identity, e)) != 0) {
		sn_errctx(e, "signature identity: ");
		return rc;
	}
	sn_ref_free(parsed);
	if (opts->gpg_key != NULL)
		return sn_payload_create(payload, SN_PAYLOAD_TYPE_SIMPLE, identity, digest, NULL, (int64_t)time(NULL),
					 e);
	if ((rc = cosign_optional(&optional, opts, e)) != 0)
		return rc;
	rc = sn_payload_create_optional(payload, SN_PAYLOAD_TYPE_COSIGN, identity, digest, optional, e);
	json_decref(optional);
	return rc;
}

/* Where the passphrase of a sigstore key comes from. */
static struct sn_pass key_pass(const signet_sign_options *opts)
{
	struct sn_pass p = {opts->passphrase_file, NULL, 0, opts->passphrase_cb, opts->passphrase_payload};

	return p;
}

/* A stored signature blob over payload: simple signing or sigstore JSON. */
static int sign_blob(struct sn_buf *sig, const signet_sign_options *opts, const struct sn_buf *payload,
		     struct sn_err *e)
{
	struct sn_pass pass = key_pass(opts);

	if (opts->key != NULL)
		return sn_sigstore_sign(sig, opts->key, &pass, payload->data, payload->len, NULL, e);
#if SIGNET_HAVE_GPGME
	return sn_openpgp_sign(sig, opts->gpg_key, opts->passphrase_file, opts->gnupghome, payload->data,
			       payload->len, e);
#else
	(void)sig;
	return sn_seterr(e, SIGNET_EUNSUPPORTED, "this signet was built without OpenPGP support");
#endif
}

/* The identity a signature of ref claims when the caller names none:
 * OpenPGP: the reference with its tag (by digest alone, repository and
 * digest); cosign: the repository, as cosign writes it. */
static char *default_identity(const signet_sign_options *opts, const struct sn_ref *ref, struct sn_err *e)
{
	if (opts->key != NULL)
		return sn_strdup(ref->name, e);
	if (ref->tag != NULL)
		return sn_aprintf(e, "%s:%s", ref->name, ref->tag);
	return sn_aprintf(e, "%s@%s", ref->name, ref->digest);
}

/* Where signatures of a docker image go: attachments, or the lookaside
 * (--lookaside, else registries.d's lookaside-staging / lookaside). */
static int choose_store(enum signet_sign_store *store, char **base, const signet_sign_options *opts,
			const struct sn_ref *ref, struct sn_err *e)
{
	struct sn_lookaside_config cfg = { NULL, NULL, -1 };
	struct sn_registries_d *rd = NULL;
	int rc = 0;

	*store = opts->store;
	*base = NULL;
	if (*store == SIGNET_STORE_AUTO)
		*store = opts->key != NULL && opts->lookaside == NULL ? SIGNET_STORE_ATTACH : SIGNET_STORE_LOOKASIDE;
	if (*store == SIGNET_STORE_ATTACH || *store == SIGNET_STORE_BUNDLE)
		return 0;
	if (opts->lookaside != NULL) {
		*base = sn_strdup(opts->lookaside, e);
		return *base != NULL ? 0 : SIGNET_ENOMEM;
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
	*base = cfg.lookaside_staging;
	cfg.lookaside_staging = NULL;
out:
	sn_lookaside_config_clear(&cfg);
	sn_registries_d_free(rd);
	return rc;
}

/* The signatures already stored where this one would go. */
static int read_stored(struct sn_sig_list *out, signet_ctx *ctx, enum signet_sign_store store,
                       const char *base, const struct sn_ref *ref, const char *digest, const char *instance,
                       struct sn_err *e)
{
	if (ref->transport != SIGNET_TRANSPORT_DOCKER)
		return sn_dir_sigs_read(out, ref->dir, instance, e);
	if (store == SIGNET_STORE_ATTACH)
		return sn_attachments_read(out, ctx, ref, digest, e);
	if (store == SIGNET_STORE_BUNDLE)
		return sn_referrers_read(out, ctx, ref, digest, e);
	/* Only a file:// lookaside can be written: leave the others to
	 * sn_lookaside_write's refusal. */
	if (strncmp(base, "file://", 7) != 0)
		return 0;
	return sn_lookaside_read(out, ctx, base, ref, digest, e);
}

/* Is an identical signature by the signing key already stored?  *where
 * (caller frees) is its location, or NULL.  For a bundle, payload is the
 * in-toto statement it would sign. */
static int find_existing(char **where, signet_ctx *ctx, const signet_sign_options *opts,
                         enum signet_sign_store store, const char *base, const struct sn_ref *ref,
                         const char *digest, const char *instance, const struct sn_buf *payload,
                         struct sn_err *e)
{
	struct sn_sig_list stored = SN_SIG_LIST_INIT;
	const struct sn_sig_backend *backend = &sn_sigstore_backend;
	const char *type = SN_PAYLOAD_TYPE_COSIGN;
	struct sn_pass pass = key_pass(opts);
	char id[SN_SIGSTORE_KEY_ID_MAX];
	struct sn_buf pub;
	long found = -1;
	int rc;

	*where = NULL;
	sn_buf_init(&pub, 0, NULL);
	if ((rc = read_stored(&stored, ctx, store, base, ref, digest, instance, e)) != 0 || stored.n == 0)
		goto out;
	if (opts->key != NULL) {
		if (store == SIGNET_STORE_BUNDLE)
			type = SN_COSIGN_SIGN_PREDICATE;
		rc = sn_sigstore_public_key(&pub, id, opts->key, &pass, e);
	} else {
#if SIGNET_HAVE_GPGME
		char primary[SN_OPENPGP_FPR_MAX];

		backend = &sn_openpgp_backend;
		type = SN_PAYLOAD_TYPE_SIMPLE;
		rc = sn_openpgp_public_key(&pub, primary, opts->gpg_key, opts->gnupghome, e);
#else
		goto out;
#endif
	}
	if (rc != 0 || (rc = sn_existing_signature(&found, &stored, backend, &pub, payload, type, e)) != 0 ||
	    found < 0)
		goto out;
	if ((*where = sn_strdup(stored.items[found].location, e)) == NULL)
		rc = SIGNET_ENOMEM;
out:
	sn_sig_list_free(&stored);
	sn_buf_free(&pub);
	return rc;
}

/* The bundle of digest (the manifest m, len bytes), stored as its
 * referrer unless one by the same key over the same statement is there. */
static int sign_bundle(char **location, signet_ctx *ctx, const signet_sign_options *opts,
                       const struct sn_ref *ref, const char *digest, const struct sn_manifest *m, size_t len,
                       struct sn_err *e)
{
	json_t *annotations = NULL;
	struct sn_buf bundle, stmt;
	char created[32];
	time_t now = time(NULL);
	struct tm tm;
	struct sn_pass pass = key_pass(opts);
	int rc;

	sn_buf_init(&bundle, 0, NULL);
	sn_buf_init(&stmt, 0, NULL);
	if (gmtime_r(&now, &tm) == NULL || strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return sn_seterr(e, SIGNET_EIO, "the time cannot be formatted");
	if ((rc = cosign_optional(&annotations, opts, e)) != 0)
		return rc;
	rc = sn_bundle_statement(&stmt, digest, annotations, e);
	json_decref(annotations);
	if (rc != 0 || (rc = find_existing(location, ctx, opts, SIGNET_STORE_BUNDLE, NULL, ref, digest, NULL,
	                                   &stmt, e)) != 0)
		goto out;
	if (*location != NULL) {
		if (opts->existing_cb != NULL)
			opts->existing_cb(digest, *location, opts->existing_payload);
		goto out;
	}
	if ((rc = sn_bundle_create(&bundle, opts->key, &pass, &stmt, e)) == 0)
		rc = sn_referrers_write(location, ctx, ref, digest, m->media_type, len, bundle.data,
		                        bundle.len, created, e);
out:
	sn_buf_free(&stmt);
	sn_buf_free(&bundle);
	return rc;
}

/* Signs one manifest digest of ref and stores the signature. */
static int sign_one(char **location, signet_ctx *ctx, const signet_sign_options *opts,
                    const struct sn_ref *ref, const char *digest, const char *instance, const char *identity,
                    const struct sn_manifest *m, size_t len, struct sn_err *e)
{
	enum signet_sign_store store = SIGNET_STORE_LOOKASIDE;
	struct sn_pass pass = key_pass(opts);
	struct sn_buf payload, sig;
	json_t *annotations = NULL;
	char *base = NULL, *sig_b64 = NULL;
	int rc;

	sn_buf_init(&payload, 0, NULL);
	sn_buf_init(&sig, 0, NULL);
	if (ref->transport == SIGNET_TRANSPORT_DOCKER && (rc = choose_store(&store, &base, opts, ref, e)) != 0)
		return rc;
	if (store == SIGNET_STORE_BUNDLE)
		return sign_bundle(location, ctx, opts, ref, digest, m, len, e);
	if ((rc = make_payload(&payload, opts, identity, digest, e)) != 0)
		goto out;
	/* Signing again what is already signed by this key would only add
	 * a duplicate (signature-2, a second .sig layer). */
	if ((rc = find_existing(location, ctx, opts, store, base, ref, digest, instance, &payload, e)) != 0)
		goto out;
	if (*location != NULL) {
		if (opts->existing_cb != NULL)
			opts->existing_cb(digest, *location, opts->existing_payload);
		goto out;
	}
	if (store == SIGNET_STORE_ATTACH) {
		/* The attachment carries the payload as its layer and the
		 * signature in an annotation. */
		if ((rc = sn_sigstore_sign_raw(&sig_b64, NULL, opts->key, &pass, payload.data, payload.len,
		                               e)) != 0)
			goto out;
		if ((annotations = json_pack("{s:s}", SN_COSIGN_SIGNATURE_ANNOTATION, sig_b64)) == NULL) {
			rc = sn_enomem(e);
			goto out;
		}
		rc = sn_attachments_write(location, ctx, ref, digest, payload.data, payload.len, annotations, e);
		goto out;
	}
	if ((rc = sign_blob(&sig, opts, &payload, e)) != 0)
		goto out;
	if (ref->transport == SIGNET_TRANSPORT_DOCKER)
		rc = sn_lookaside_write(location, base, ref, digest, sig.data, sig.len, e);
	else
		rc = sn_dir_sigs_write(location, ref->dir, instance, sig.data, sig.len, e);
out:
	json_decref(annotations);
	free(sig_b64);
	free(base);
	sn_buf_free(&payload);
	sn_buf_free(&sig);
	return rc;
}

int signet_sign_image(char **location, char **digest, signet_ctx *ctx, const signet_sign_options *opts,
		      const signet_ref *pub)
{
	const struct sn_ref *ref = (const struct sn_ref *)pub;
	signet_sign_options o;
	struct sn_manifest *manifest = NULL;
	struct sn_source *src = NULL;
	char computed[SN_DIGEST_MAX];
	char *identity = NULL, *where = NULL, *d = NULL;
	struct sn_buf places, bytes;
	struct sn_err *e;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	sn_buf_init(&places, 1u << 20, "signature locations");
	sn_buf_init(&bytes, 0, NULL);
	if (location == NULL || pub == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_sign_image: NULL argument");
	if ((rc = check_options(&o, opts, e)) != 0)
		return rc;
	opts = &o;
	if (ref->transport == SIGNET_TRANSPORT_OCI)
		return sn_seterr(e, SIGNET_EUNSUPPORTED, "%s: oci: layouts cannot hold signatures (use dir: or docker://)",
				 ref->string);
	if (ref->transport == SIGNET_TRANSPORT_DIR && opts->identity == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "%s: a dir: image needs the identity to sign (--sign-identity)",
				 ref->string);
	if (ref->transport == SIGNET_TRANSPORT_DIR && opts->store == SIGNET_STORE_ATTACH)
		return sn_seterr(e, SIGNET_EINVAL, "%s: a dir: layout has no attachments", ref->string);
	if (ref->transport == SIGNET_TRANSPORT_DIR && opts->store == SIGNET_STORE_BUNDLE)
		return sn_seterr(e, SIGNET_EINVAL, "%s: a dir: layout has no referrers (Sigstore bundles)",
		                 ref->string);
	/* Resolve first: the digest signed is the one computed here. */
	if ((rc = sn_source_open(&src, ctx, ref, e)) != 0 ||
	    (rc = sn_source_read_manifest(&manifest, computed, &bytes, src, NULL, e)) != 0)
		goto out;
	identity = opts->identity != NULL ? sn_strdup(opts->identity, e) : default_identity(opts, ref, e);
	if (identity == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = sign_one(&where, ctx, opts, ref, computed, NULL, identity, manifest, bytes.len, e)) != 0)
		goto out;
	sn_log(ctx, SIGNET_LOG_INFO, "%s: signed %s as %s", ref->string, computed, identity);
	if ((rc = sn_buf_append_str(&places, where, e)) != 0)
		goto out;
	/* --recursive: each image of an index, by the digest computed over
	 * the bytes fetched for it. */
	for (size_t i = 0; opts->recursive && sn_manifest_is_index(manifest) && i < manifest->n_manifests; i++) {
		struct sn_manifest *inst = NULL;
		char inst_digest[SN_DIGEST_MAX];
		struct sn_buf ib;

		free(where);
		where = NULL;
		rc = sn_source_read_manifest(&inst, inst_digest, &ib, src, manifest->manifests[i].digest, e);
		if (rc == 0)
			rc = sign_one(&where, ctx, opts, ref, inst_digest, inst_digest, identity, inst,
			              ib.len, e);
		sn_manifest_free(inst);
		sn_buf_free(&ib);
		if (rc != 0 || (rc = sn_buf_append_str(&places, "\n", e)) != 0 ||
		    (rc = sn_buf_append_str(&places, where, e)) != 0)
			goto out;
	}
	if (digest != NULL && (d = sn_strdup(computed, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*location = (char *)sn_buf_steal(&places, NULL);
	if (digest != NULL)
		*digest = d;
out:
	sn_manifest_free(manifest);
	sn_source_free(src);
	sn_buf_free(&places);
	sn_buf_free(&bytes);
	free(identity);
	free(where);
	return rc;
}

int signet_standalone_sign(unsigned char **signature, size_t *signature_len, signet_ctx *ctx,
			   const signet_sign_options *opts, const void *manifest, size_t manifest_len,
			   const char *reference)
{
	signet_sign_options o;
	struct sn_manifest *m = NULL;
	char digest[SN_DIGEST_MAX];
	struct sn_buf payload, sig;
	struct sn_err *e;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	sn_buf_init(&payload, 0, NULL);
	sn_buf_init(&sig, 0, NULL);
	if (signature == NULL || signature_len == NULL || manifest == NULL || reference == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_standalone_sign: NULL argument");
	if ((rc = check_options(&o, opts, e)) != 0)
		return rc;
	opts = &o;
	if ((rc = sn_manifest_parse(&m, manifest, manifest_len, NULL, e)) != 0)
		return rc;
	sn_manifest_free(m);
	if ((rc = sn_digest_compute(digest, "sha256", manifest, manifest_len, e)) == 0 &&
	    (rc = make_payload(&payload, opts, reference, digest, e)) == 0 &&
	    (rc = sign_blob(&sig, opts, &payload, e)) == 0)
		*signature = sn_buf_steal(&sig, signature_len);
	sn_buf_free(&payload);
	sn_buf_free(&sig);
	return rc;
}

int signet_key_generate(signet_ctx *ctx, const char *priv_path, const char *pub_path, const char *passphrase_file)
{
	struct sn_err *e;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	if (priv_path == NULL || pub_path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_key_generate: NULL path");
	if (passphrase_file == NULL)
		return sn_sigstore_generate(priv_path, pub_path, NULL, e);
	return sn_sigstore_generate(priv_path, pub_path,
	                            &(struct sn_pass){passphrase_file, NULL, 0, NULL, NULL}, e);
}

int signet_key_generate_passphrase(signet_ctx *ctx, const char *priv_path, const char *pub_path,
                                   const void *passphrase, size_t len)
{
	struct sn_err *e;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = ctx_err(ctx);
	if (priv_path == NULL || pub_path == NULL || (passphrase == NULL && len != 0))
		return sn_seterr(e, SIGNET_EINVAL, "signet_key_generate_passphrase: NULL argument");
	/* The empty passphrase still encrypts, as cosign does. */
	return sn_sigstore_generate(
	    priv_path, pub_path,
	    &(struct sn_pass){NULL, passphrase != NULL ? passphrase : "", len, NULL, NULL}, e);
}
