/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/referrers.c: Sigstore bundles stored as OCI 1.1 referrers of
 * an image manifest, as cosign v3 stores its signatures.
 *
 * Discovery: the referrers API (GET /v2/REPO/referrers/DIGEST, an OCI
 * image index); on a 404 the referrers tag schema: the tag "ALGO-HEX"
 * holding such an index, which registries without the API (docker-registry
 * 2.8) keep.  Index entries whose artifactType is a Sigstore bundle media
 * type are read (minus those whose dev.sigstore.bundle.predicateType
 * annotation names another predicate than cosign's signature: those are
 * attestations); each is an OCI image manifest whose one layer is the
 * bundle.  A bundle becomes the blob "\0sigstore-bundle\n" + its JSON, so
 * that the verifier sees it through the same list as every other store.
 */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest tag the distribution spec allows. */
#define TAG_MAX 128

int sn_bundle_media_type(const char *mt)
{
	return mt != NULL &&
	       (strcmp(mt, SN_MT_SIGSTORE_BUNDLE_V03) == 0 || strcmp(mt, SN_MT_SIGSTORE_BUNDLE_V02) == 0 ||
	        strcmp(mt, SN_MT_SIGSTORE_BUNDLE_V01) == 0);
}

int sn_referrers_tag(char tag[SN_REFERRERS_TAG_MAX], const char *digest, struct sn_err *e)
{
	const char *colon;
	int n;

	if (sn_digest_validate(digest, e) != 0)
		return SIGNET_EINVAL;
	colon = strchr(digest, ':');
	/* "ALGO:HEX" -> "ALGO-HEX", cut at 128 characters (OCI distribution). */
	n = snprintf(tag, SN_REFERRERS_TAG_MAX, "%.*s-%.*s", (int)(colon - digest), digest,
	             TAG_MAX - 1 - (int)(colon - digest), colon + 1);
	if (n < 0)
		return sn_seterr(e, SIGNET_EINVAL, "referrers tag of %.200s", digest);
	return 0;
}

/* Where the referrers are read from, for messages. */
struct where {
	struct sn_registry *r;
	const char *repo;
	const char *domain;
	const char *digest; /* the subject */
	char *loc;          /* "referrers of docker://HOST/REPO@DIGEST" or the tag */
};

/* The referrers index: from the API, else the tag schema.  *out is NULL
 * when there is none. */
static int index_read(struct sn_manifest **out, struct where *w, struct sn_err *e)
{
	char tag[SN_REFERRERS_TAG_MAX], digest[SN_DIGEST_MAX];
	struct sn_manifest *m = NULL;
	struct sn_buf b;
	char *ct = NULL;
	int found = 0, rc;

	*out = NULL;
	if ((rc = sn_registry_get_referrers(w->r, w->repo, w->digest, &b, &found, e)) != 0)
		return rc;
	if (found) {
		if ((w->loc = sn_aprintf(e, "referrers of docker://%s/%s@%s", w->domain, w->repo,
		                         w->digest)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		rc = sn_manifest_parse(&m, b.data, b.len, SN_MT_OCI_INDEX, e);
	} else {
		if ((rc = sn_referrers_tag(tag, w->digest, e)) != 0)
			goto out;
		if ((w->loc = sn_aprintf(e, "referrers tag docker://%s/%s:%s", w->domain, w->repo, tag)) ==
		    NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		rc = sn_registry_get_manifest(w->r, w->repo, tag, &b, &ct, digest, e);
		if (rc == SIGNET_ENOTFOUND) {
			sn_err_clear(e);
			rc = 0;
			goto out;
		}
		if (rc == 0)
			rc = sn_manifest_parse(&m, b.data, b.len, ct, e);
	}
	if (rc != 0) {
		sn_errctx(e, "%s: ", w->loc);
		goto out;
	}
	if (m->kind != SN_MANIFEST_OCI_INDEX) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: holds a %s, not an OCI image index", w->loc,
		               m->media_type);
		goto out;
	}
	if (m->n_manifests > SIGNET_MAX_REFERRERS) {
		rc = sn_seterr(e, SIGNET_ELIMIT,
		               "%s: %zu referrers, more than the limit of %d (SIGNET_MAX_REFERRERS)", w->loc,
		               m->n_manifests, SIGNET_MAX_REFERRERS);
		goto out;
	}
	*out = m;
	m = NULL;
out:
	sn_manifest_free(m);
	sn_buf_free(&b);
	free(ct);
	return rc;
}

/* Is entry i of the index a cosign signature bundle? */
static int is_signature_bundle(const struct sn_manifest *idx, size_t i)
{
	json_t *d = json_array_get(json_object_get(idx->root, "manifests"), i);
	json_t *at = json_object_get(d, "artifactType");
	json_t *pt = idx->manifests[i].annotations != NULL
	                 ? json_object_get(idx->manifests[i].annotations, SN_BUNDLE_PREDICATE_ANNOTATION)
	                 : NULL;

	if (!json_is_string(at) || !sn_bundle_media_type(json_string_value(at)))
		return 0;
	/* Attestations are bundles too; cosign marks what they attest. */
	return pt == NULL || strcmp(json_string_value(pt), SN_COSIGN_SIGN_PREDICATE) == 0;
}

/* Reads the referrer manifest d and its bundle layer into *blob
 * ("\0sigstore-bundle\n" + JSON), if it fits the room left in l. */
static int bundle_read(struct sn_sig_blob *blob, const struct where *w, const struct sn_descriptor *d,
                       const struct sn_sig_list *l, struct sn_err *e)
{
	struct sn_manifest *m = NULL;
	const struct sn_descriptor *layer;
	char digest[SN_DIGEST_MAX];
	char *ct = NULL, *loc = NULL;
	unsigned char *data = NULL;
	json_t *subject;
	struct sn_buf b;
	int rc;

	sn_buf_init(&b, 0, NULL);
	if ((loc = sn_aprintf(e, "docker://%s/%s@%s", w->domain, w->repo, d->digest)) == NULL)
		return SIGNET_ENOMEM;
	if (d->media_type == NULL || strcmp(d->media_type, SN_MT_OCI_MANIFEST) != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "referrer %s: a %.100s, not an OCI image manifest", loc,
		               d->media_type != NULL ? d->media_type : "(no media type)");
		goto out;
	}
	if ((rc = sn_registry_get_manifest(w->r, w->repo, d->digest, &b, &ct, digest, e)) != 0 ||
	    (rc = sn_manifest_parse(&m, b.data, b.len, ct, e)) != 0) {
		sn_errctx(e, "referrer %s: ", loc);
		goto out;
	}
	sn_buf_free(&b);
	subject = json_object_get(m->root, "subject");
	if (m->kind != SN_MANIFEST_OCI || !json_is_object(subject) ||
	    !json_is_string(json_object_get(subject, "digest")) ||
	    strcmp(json_string_value(json_object_get(subject, "digest")), w->digest) != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "referrer %s: %s", loc,
		               m->kind != SN_MANIFEST_OCI ? "not an OCI image manifest"
		                                          : "its subject is not this image's manifest");
		goto out;
	}
	if (m->n_layers != 1) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "referrer %s: a bundle referrer has exactly one layer, a Sigstore bundle (%zu "
		               "layers)",
		               loc, m->n_layers);
		goto out;
	}
	/* Listed as a bundle, holding something else: not fetched. */
	if (!sn_bundle_media_type(m->layers[0].media_type)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "referrer %s: its one layer is %.100s, not a Sigstore bundle", loc,
		               m->layers[0].media_type != NULL ? m->layers[0].media_type : "(no media type)");
		goto out;
	}
	layer = &m->layers[0];
	if ((uint64_t)layer->size > SIGNET_MAX_SIGNATURE_SIZE) {
		rc = sn_seterr(e, SIGNET_ELIMIT,
		               "referrer %s: bundle of %lld bytes, larger than the limit of %u bytes "
		               "(SIGNET_MAX_SIGNATURE_SIZE)",
		               loc, (long long)layer->size, SIGNET_MAX_SIGNATURE_SIZE);
		goto out;
	}
	/* One that cannot fit the image's budget is not even fetched. */
	if ((uint64_t)layer->size + SN_BUNDLE_BLOB_HEADER_LEN > sn_sig_list_room(l)) {
		rc = sn_sig_list_full(l, w->loc, e);
		goto out;
	}
	if ((rc = sn_registry_get_blob(w->r, w->repo, layer->digest, (size_t)layer->size, "Sigstore bundle",
	                               &b, e)) != 0) {
		if (rc == SIGNET_ELIMIT && e != NULL)
			e->code = rc = SIGNET_EINTEGRITY; /* larger than its descriptor */
		sn_errctx(e, "referrer %s: ", loc);
		goto out;
	}
	if (b.len != (size_t)layer->size) {
		rc = sn_seterr(e, SIGNET_EINTEGRITY,
		               "referrer %s: bundle %s has %zu bytes, its descriptor says %lld", loc,
		               layer->digest, b.len, (long long)layer->size);
		goto out;
	}
	if ((data = malloc(SN_BUNDLE_BLOB_HEADER_LEN + b.len + 1)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	memcpy(data, SN_BUNDLE_BLOB_HEADER, SN_BUNDLE_BLOB_HEADER_LEN);
	memcpy(data + SN_BUNDLE_BLOB_HEADER_LEN, b.data, b.len);
	data[SN_BUNDLE_BLOB_HEADER_LEN + b.len] = '\0';
	blob->data = data;
	blob->len = SN_BUNDLE_BLOB_HEADER_LEN + b.len;
	blob->location = loc;
	data = NULL;
	loc = NULL;
out:
	free(data);
	free(loc);
	free(ct);
	sn_buf_free(&b);
	sn_manifest_free(m);
	return rc;
}

int sn_referrers_read(struct sn_sig_list *out, struct signet_ctx *ctx, const struct sn_ref *ref,
                      const char *manifest_digest, struct sn_err *e)
{
	struct sn_sig_list l = {NULL, 0, 0, 0};
	struct sn_manifest *idx = NULL;
	struct where w = {0};
	size_t nb = 0;
	int rc;

	if (out == NULL || ctx == NULL || ref == NULL || manifest_digest == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "Sigstore bundles: missing argument");
	if (ref->transport != SIGNET_TRANSPORT_DOCKER || ref->domain == NULL || ref->path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "Sigstore bundles: %.300s is not a docker reference",
		                 ref->string != NULL ? ref->string : "the image");
	if ((rc = sn_digest_validate(manifest_digest, e)) != 0)
		return rc;
	l.max_bytes = out->max_bytes;
	w.repo = ref->path;
	w.domain = ref->domain;
	w.digest = manifest_digest;
	if ((rc = sn_registry_get(&w.r, ctx, ref->domain, e)) != 0 || (rc = index_read(&idx, &w, e)) != 0 ||
	    idx == NULL)
		goto done;
	for (size_t i = 0; i < idx->n_manifests; i++) {
		struct sn_sig_blob blob = {NULL, 0, NULL};

		if (!is_signature_bundle(idx, i))
			continue;
		if (++nb > SIGNET_MAX_REFERRER_BUNDLES) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "%s: more than %d Sigstore bundles (SIGNET_MAX_REFERRER_BUNDLES)",
			               w.loc, SIGNET_MAX_REFERRER_BUNDLES);
			goto done;
		}
		if ((rc = bundle_read(&blob, &w, &idx->manifests[i], &l, e)) != 0)
			goto done;
		if ((rc = sn_sig_list_add(&l, blob.data, blob.len, blob.location, w.loc, e)) != 0)
			goto done;
	}
done:
	if (rc == 0) {
		*out = l;
		l.items = NULL;
		l.n = 0;
	}
	sn_sig_list_free(&l);
	sn_manifest_free(idx);
	free(w.loc);
	return rc;
}

/* ---- writing ---------------------------------------------------------- */

/* The empty config of an artifact manifest ("{}"). */
#define EMPTY_JSON   "{}"
#define EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

/* The referrer manifest of the bundle (digest bdigest, blen bytes) for
 * the subject; *out json_dumps'ed (caller frees). */
static int referrer_manifest(char **out, const char *bdigest, size_t blen, const char *subject_mt,
                             const char *subject_digest, size_t subject_size, const char *created,
                             struct sn_err *e)
{
	json_t *doc = json_pack(
	    "{s:i, s:s, s:s, s:{s:s, s:s, s:i}, s:[{s:s, s:s, s:I}], s:{s:s, s:s, s:I}, "
	    "s:{s:s, s:s, s:s}}",
	    "schemaVersion", 2, "mediaType", SN_MT_OCI_MANIFEST, "artifactType", SN_MT_SIGSTORE_BUNDLE_V03,
	    "config", "mediaType", SN_MT_OCI_EMPTY, "digest", EMPTY_DIGEST, "size", 2, "layers", "mediaType",
	    SN_MT_SIGSTORE_BUNDLE_V03, "digest", bdigest, "size", (json_int_t)blen, "subject", "mediaType",
	    subject_mt, "digest", subject_digest, "size", (json_int_t)subject_size, "annotations",
	    SN_BUNDLE_CONTENT_ANNOTATION, "dsse-envelope", SN_BUNDLE_PREDICATE_ANNOTATION,
	    SN_COSIGN_SIGN_PREDICATE, "org.opencontainers.image.created", created);

	*out = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return *out != NULL ? 0 : sn_enomem(e);
}

/* Does index idx list digest? */
static int index_lists(const struct sn_manifest *idx, const char *digest)
{
	for (size_t i = 0; idx != NULL && i < idx->n_manifests; i++)
		if (strcmp(idx->manifests[i].digest, digest) == 0)
			return 1;
	return 0;
}

/* The tag schema index with the referrer (mdigest, mlen bytes) added: the
 * old one's entries kept. *out json_dumps'ed. */
static int index_with(char **out, const struct sn_manifest *old, const char *mdigest, size_t mlen,
                      const char *created, struct sn_err *e)
{
	json_t *doc, *entries;
	int rc = SIGNET_ENOMEM;

	doc = old != NULL ? json_deep_copy(old->root)
	                  : json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType", SN_MT_OCI_INDEX,
	                              "manifests");
	if (doc == NULL || !json_is_array(entries = json_object_get(doc, "manifests")))
		goto out;
	if (json_array_append_new(
	        entries, json_pack("{s:s, s:s, s:I, s:s, s:{s:s, s:s, s:s}}", "mediaType", SN_MT_OCI_MANIFEST,
	                           "digest", mdigest, "size", (json_int_t)mlen, "artifactType",
	                           SN_MT_SIGSTORE_BUNDLE_V03, "annotations", SN_BUNDLE_CONTENT_ANNOTATION,
	                           "dsse-envelope", SN_BUNDLE_PREDICATE_ANNOTATION, SN_COSIGN_SIGN_PREDICATE,
	                           "org.opencontainers.image.created", created)) != 0)
		goto out;
	if ((*out = json_dumps(doc, JSON_COMPACT)) != NULL)
		rc = 0;
out:
	json_decref(doc);
	return rc != 0 ? sn_enomem(e) : 0;
}

/* Adds the referrer to the tag schema's index: read, add, HEAD again just
 * before the PUT (it moved: start over), re-read after (another writer's
 * PUT replaced ours: start over), as attachments.c does for .sig tags. */
static int tag_schema_add(struct where *w, const char *mdigest, size_t mlen, const char *created,
                          struct sn_err *e)
{
	char tag[SN_REFERRERS_TAG_MAX], old_digest[SN_DIGEST_MAX], now_digest[SN_DIGEST_MAX];
	struct sn_manifest *idx = NULL;
	char *doc = NULL, *ct = NULL;
	struct sn_buf b;
	int rc;

	sn_buf_init(&b, 0, NULL);
	if ((rc = sn_referrers_tag(tag, w->digest, e)) != 0)
		return rc;
	for (int attempt = 1; attempt <= SN_ATTACH_MAX_ATTEMPTS; attempt++) {
		int64_t started;
		int exists = 0;

		sn_manifest_free(idx);
		idx = NULL;
		free(doc);
		doc = NULL;
		free(ct);
		ct = NULL;
		sn_buf_free(&b);
		old_digest[0] = '\0';
		rc = sn_registry_get_manifest(w->r, w->repo, tag, &b, &ct, old_digest, e);
		if (rc == SIGNET_ENOTFOUND) {
			sn_err_clear(e);
			old_digest[0] = '\0';
		} else if (rc != 0 || (rc = sn_manifest_parse(&idx, b.data, b.len, ct, e)) != 0) {
			sn_errctx(e, "referrers tag %s: ", tag);
			goto out;
		} else if (idx->kind != SN_MANIFEST_OCI_INDEX) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "referrers tag %s: holds a %s, not an OCI image index (not "
			               "overwritten)",
			               tag, idx->media_type);
			goto out;
		}
		if (index_lists(idx, mdigest))
			goto out; /* already there */
		if (idx != NULL && idx->n_manifests + 1 > SIGNET_MAX_REFERRERS) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "referrers tag %s: already %zu referrers, the limit is %d "
			               "(SIGNET_MAX_REFERRERS)",
			               tag, idx->n_manifests, SIGNET_MAX_REFERRERS);
			goto out;
		}
		if ((rc = index_with(&doc, idx, mdigest, mlen, created, e)) != 0)
			goto out;
		started = sn_now_ms();
		if ((rc = sn_registry_head_manifest(w->r, w->repo, tag, &exists, NULL, now_digest, e)) != 0)
			goto out;
		if (!exists)
			now_digest[0] = '\0';
		if (strcmp(now_digest, old_digest) != 0)
			continue;
		if ((rc = sn_registry_put_manifest(w->r, w->repo, tag, doc, strlen(doc), SN_MT_OCI_INDEX,
		                                   e)) != 0) {
			sn_errctx(e, "referrers tag %s: ", tag);
			goto out;
		}
		sn_attach_recheck_sleep((long)(sn_now_ms() - started));
		sn_manifest_free(idx);
		idx = NULL;
		sn_buf_free(&b);
		free(ct);
		ct = NULL;
		if ((rc = sn_registry_get_manifest(w->r, w->repo, tag, &b, &ct, old_digest, e)) != 0 ||
		    (rc = sn_manifest_parse(&idx, b.data, b.len, ct, e)) != 0) {
			sn_errctx(e, "referrers tag %s: ", tag);
			goto out;
		}
		if (index_lists(idx, mdigest))
			goto out;
	}
	rc = sn_seterr(e, SIGNET_EREGISTRY,
	               "referrers tag %s: kept moving (%d attempts; other signers writing at "
	               "the same time?)",
	               tag, SN_ATTACH_MAX_ATTEMPTS);
out:
	sn_manifest_free(idx);
	sn_buf_free(&b);
	free(doc);
	free(ct);
	return rc;
}

int sn_referrers_write(char **location, struct signet_ctx *ctx, const struct sn_ref *ref,
                       const char *subject_digest, const char *subject_media_type, size_t subject_size,
                       const void *bundle, size_t len, const char *created, struct sn_err *e)
{
	char bdigest[SN_DIGEST_MAX], mdigest[SN_DIGEST_MAX];
	struct where w = {0};
	struct sn_buf b;
	char *doc = NULL, *loc = NULL;
	int found = 0, rc;

	if (location == NULL || ctx == NULL || ref == NULL || subject_digest == NULL ||
	    subject_media_type == NULL || bundle == NULL || created == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "Sigstore bundle referrer: missing argument");
	if (ref->transport != SIGNET_TRANSPORT_DOCKER || ref->domain == NULL || ref->path == NULL)
		return sn_seterr(e, SIGNET_EINVAL,
		                 "Sigstore bundle referrer: %.300s is not a docker reference",
		                 ref->string != NULL ? ref->string : "the image");
	if (len == 0 || len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_EINVAL,
		                 "Sigstore bundle referrer: the bundle is empty or larger than %u "
		                 "bytes (SIGNET_MAX_SIGNATURE_SIZE)",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = sn_digest_validate(subject_digest, e)) != 0)
		return rc;
	sn_buf_init(&b, 0, NULL);
	w.repo = ref->path;
	w.domain = ref->domain;
	w.digest = subject_digest;
	if ((rc = sn_registry_get(&w.r, ctx, ref->domain, e)) != 0 ||
	    (rc = sn_digest_compute(bdigest, "sha256", bundle, len, e)) != 0)
		goto out;
	if ((rc = referrer_manifest(&doc, bdigest, len, subject_media_type, subject_digest, subject_size,
	                            created, e)) != 0 ||
	    (rc = sn_digest_compute(mdigest, "sha256", doc, strlen(doc), e)) != 0)
		goto out;
	/* Concurrent signers upload the same empty config; while another's
	 * upload of it completes, the registry can briefly call it unknown:
	 * upload again and retry, as sn_attachments_write does. */
	for (int attempt = 1;; attempt++) {
		if ((rc = sn_registry_put_blob(w.r, w.repo, bdigest, bundle, len, e)) != 0 ||
		    (rc = sn_registry_put_blob(w.r, w.repo, EMPTY_DIGEST, EMPTY_JSON, 2, e)) != 0)
			break;
		rc = sn_registry_put_manifest(w.r, w.repo, mdigest, doc, strlen(doc), SN_MT_OCI_MANIFEST, e);
		if (rc != SIGNET_EREGISTRY || e == NULL || strstr(e->msg, "BLOB_UNKNOWN") == NULL ||
		    attempt == SN_ATTACH_MAX_ATTEMPTS)
			break;
		sn_log(ctx, SIGNET_LOG_DEBUG,
		       "Sigstore bundle referrer: a blob was not yet known, attempt %d", attempt);
	}
	if (rc != 0) {
		sn_errctx(e, "Sigstore bundle referrer of %s/%s@%s: ", w.domain, w.repo, subject_digest);
		goto out;
	}
	/* A registry with the referrers API indexes the referrer itself;
	 * one without it needs the tag schema's index updated. */
	if ((rc = sn_registry_get_referrers(w.r, w.repo, subject_digest, &b, &found, e)) != 0)
		goto out;
	if (!found && (rc = tag_schema_add(&w, mdigest, strlen(doc), created, e)) != 0)
		goto out;
	if ((loc = sn_aprintf(e, "docker://%s/%s@%s", w.domain, w.repo, mdigest)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*location = loc;
out:
	sn_buf_free(&b);
	free(doc);
	return rc;
}
