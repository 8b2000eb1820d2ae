/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/attachments.c: cosign signature attachments (SPEC §3.5): the OCI
 * image manifest tagged "sha256-<hex>.sig" next to the image, whose layers
 * are simple-signing payloads (media type
 * application/vnd.dev.cosign.simplesigning.v1+json) carrying the signature
 * in the layer annotation dev.cosignproject.cosign/signature.
 *
 * Reading turns each signature layer into the blob containers/image keeps
 * for a sigstore signature ("\0sigstore-json\n" + {"mimeType", "payload",
 * "annotations"}, internal/signature/sigstore.go), so that the verifier
 * sees one format whatever the store.
 *
 * Writing is read-modify-write of a shared tag: like cosign and
 * containers/image we read the manifest, append a layer and PUT it back,
 * but two signers doing that at the same time would lose one signature.
 * So the tag is HEADed again just before the PUT (it moved: start over),
 * and read again a little after it (our layer is gone: another writer's
 * PUT replaced ours; start over).  The remaining window (the other
 * writer's HEAD-to-PUT interval overlapping our PUT-to-re-read delay) is
 * narrowed by the random delay; the registry API offers no conditional
 * PUT to close it.
 */
#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#define SIGSTORE_JSON_PREFIX "\0sigstore-json\n"
#define SIGSTORE_JSON_PREFIX_LEN (sizeof(SIGSTORE_JSON_PREFIX) - 1)
/* The longest tag the distribution spec allows. */
#define TAG_MAX 128
/* The pause between our PUT and the re-read that checks it held: 10 to
 * 50 ms, plus twice what our own HEAD-to-PUT took (a busy registry or
 * machine stretches another writer's HEAD-to-PUT interval too), at most
 * RECHECK_MAX_MS in all. */
#define RECHECK_MIN_MS 10
#define RECHECK_SPREAD_MS 41
#define RECHECK_MAX_MS 2000

/* The .sig tag of one image. */
struct sigtag {
	struct sn_registry *r;
	const char *repo;	 /* ref->path, borrowed */
	char tag[TAG_MAX + 1];
	char *loc; /* "docker://HOST/REPO:TAG", for messages and locations */
};

static void sigtag_free(struct sigtag *t)
{
	free(t->loc);
	t->loc = NULL;
}

static int sigtag_open(struct sigtag *t, struct signet_ctx *ctx, const struct sn_ref *ref,
                       const char *manifest_digest, struct sn_err *e)
{
	const char *colon;
	int n, rc;

	memset(t, 0, sizeof(*t));
	if (ctx == NULL || ref == NULL || manifest_digest == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "cosign signatures: missing argument");
	if (ref->transport != SIGNET_TRANSPORT_DOCKER || ref->domain == NULL || ref->path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "cosign signatures: %.300s is not a docker reference",
		                 ref->string != NULL ? ref->string : "the image");
	if ((rc = sn_digest_validate(manifest_digest, e)) != 0) {
		sn_errctx(e, "cosign signatures of %.300s: ", ref->name != NULL ? ref->name : ref->path);
		return rc;
	}
	/* "ALGO:HEX" -> "ALGO-HEX.sig", as cosign and containers/image. */
	colon = strchr(manifest_digest, ':');
	n = snprintf(t->tag, sizeof(t->tag), "%.*s-%s.sig", (int)(colon - manifest_digest), manifest_digest,
	             colon + 1);
	if (n < 0 || (size_t)n >= sizeof(t->tag))
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "cosign signatures of %.300s@%.200s: the attachment tag would be longer than "
		                 "%d characters (only sha256 digests have cosign attachments)",
		                 ref->path, manifest_digest, TAG_MAX);
	if ((t->loc = sn_aprintf(e, "docker://%s/%s:%s", ref->domain, ref->path, t->tag)) == NULL)
		return SIGNET_ENOMEM;
	t->repo = ref->path;
	if ((rc = sn_registry_get(&t->r, ctx, ref->domain, e)) != 0) {
		sigtag_free(t);
		return rc;
	}
	return 0;
}

/*
 * The .sig manifest: *out = NULL (and digest "") when the tag does not
 * exist, else the parsed OCI image manifest and its digest.  Checks the
 * kind and the layer limit.
 */
static int sig_manifest_read(struct sn_manifest **out, char digest[SN_DIGEST_MAX], const struct sigtag *t,
                             struct sn_err *e)
{
	struct sn_manifest *m = NULL;
	char *ct = NULL;
	struct sn_buf b;
	int rc;

	rc = sn_registry_get_manifest(t->r, t->repo, t->tag, &b, &ct, digest, e);
	if (rc == SIGNET_ENOTFOUND) {
		/* No signatures (the repository may not exist either). */
		sn_err_clear(e);
		*out = NULL;
		digest[0] = '\0';
		rc = 0;
		goto out;
	}
	if (rc != 0)
		goto out;
	if ((rc = sn_manifest_parse(&m, b.data, b.len, ct, e)) != 0) {
		sn_errctx(e, "cosign signatures %s: ", t->loc);
		goto out;
	}
	if (m->kind != SN_MANIFEST_OCI) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "cosign signatures %s: the tag holds a %s, not an OCI image "
		               "manifest (%s)", t->loc, sn_manifest_is_index(m) ? "manifest list or index" :
		               "Docker image manifest", m->media_type);
		goto out;
	}
	if (m->n_layers > SIGNET_MAX_SIG_MANIFEST_LAYERS) {
		rc = sn_seterr(e, SIGNET_ELIMIT,
		               "cosign signatures %s: %zu layers, more than the limit of %d "
		               "(SIGNET_MAX_SIG_MANIFEST_LAYERS)",
		               t->loc, m->n_layers, SIGNET_MAX_SIG_MANIFEST_LAYERS);
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

static int is_signature_layer(const struct sn_descriptor *d)
{
	return d->media_type != NULL && strcmp(d->media_type, SN_MT_COSIGN_SIMPLESIGNING) == 0;
}

/* The layer's signature annotation, or NULL. */
static const char *layer_signature(const struct sn_descriptor *d)
{
	json_t *v = d->annotations != NULL ? json_object_get(d->annotations, SN_COSIGN_SIGNATURE_ANNOTATION) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- reading ---------------------------------------------------------- */

/* "\0sigstore-json\n" + {"mimeType":..., "payload": base64, "annotations": {...}}
 * The payload may be megabytes: it is base64-encoded straight into the
 * blob, never copied through a JSON document. */
static int sigstore_blob(struct sn_sig_blob *out, const char *mime_type, const unsigned char *payload,
                         size_t len, json_t *annotations, struct sn_err *e)
{
	static const char k_payload[] = ",\"payload\":\"", k_annotations[] = "\",\"annotations\":";
	json_t *mt = json_string(mime_type);
	char *head = NULL, *tail = NULL;
	unsigned char *data = NULL, *p;
	size_t b64len, hlen, tlen, total;
	int rc = SIGNET_ENOMEM;

	/* containers/image writes {} for a layer without annotations. */
	if (mt == NULL || (head = json_dumps(mt, JSON_ENCODE_ANY)) == NULL ||
	    (tail = annotations != NULL ? json_dumps(annotations, JSON_COMPACT) : strdup("{}")) == NULL)
		goto out;
	/* len is at most SIGNET_MAX_SIGNATURE_SIZE: no overflow, fits an int. */
	b64len = (len + 2) / 3 * 4;
	hlen = strlen(head);
	tlen = strlen(tail);
	total = SIGSTORE_JSON_PREFIX_LEN + strlen("{\"mimeType\":") + hlen + strlen(k_payload) + b64len +
	        strlen(k_annotations) + tlen + 1;
	if ((data = malloc(total + 1)) == NULL)
		goto out;
	p = data;
#define PUT(s, n) (memcpy(p, (s), (n)), p += (n))
	PUT(SIGSTORE_JSON_PREFIX, SIGSTORE_JSON_PREFIX_LEN);
	PUT("{\"mimeType\":", strlen("{\"mimeType\":"));
	PUT(head, hlen);
	PUT(k_payload, strlen(k_payload));
	p += EVP_EncodeBlock(p, payload, (int)len);
	PUT(k_annotations, strlen(k_annotations));
	PUT(tail, tlen);
	PUT("}", 2); /* and the NUL one past the end */
#undef PUT
	out->data = data;
	out->len = total;
	data = NULL;
	rc = 0;
out:
	if (rc != 0)
		sn_enomem(e);
	json_decref(mt);
	free(head);
	free(tail);
	free(data);
	return rc;
}

/* Fetches the blob of layer i (counted from 0) and checks its size. */
static int fetch_layer(struct sn_buf *b, const struct sigtag *t, const struct sn_descriptor *d, size_t i,
                       struct sn_err *e)
{
	int rc;

	if ((uint64_t)d->size > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "cosign signatures %s layer %zu: %lld bytes, larger than the limit of %u bytes "
		                 "(SIGNET_MAX_SIGNATURE_SIZE)",
		                 t->loc, i + 1, (long long)d->size, SIGNET_MAX_SIGNATURE_SIZE);
	/* Never read more than the descriptor announced. */
	rc = sn_registry_get_blob(t->r, t->repo, d->digest, (size_t)d->size, "cosign signature", b, e);
	if (rc == SIGNET_ELIMIT) {
		/* Not a limit of ours: the registry sent more than described. */
		sn_errctx(e, "cosign signatures %s layer %zu: the blob is larger than the %lld bytes its "
		          "descriptor says: ", t->loc, i + 1, (long long)d->size);
		if (e != NULL)
			e->code = SIGNET_EINTEGRITY;
		return SIGNET_EINTEGRITY;
	}
	if (rc != 0) {
		sn_errctx(e, "cosign signatures %s layer %zu: ", t->loc, i + 1);
		return rc;
	}
	if (b->len != (size_t)d->size) {
		size_t got = b->len;

		sn_buf_free(b);
		return sn_seterr(e, SIGNET_EINTEGRITY,
		                 "cosign signatures %s layer %zu: blob %s has %zu bytes, its descriptor says "
		                 "%lld",
		                 t->loc, i + 1, d->digest, got, (long long)d->size);
	}
	return 0;
}

int sn_attachments_read(struct sn_sig_list *out, struct signet_ctx *ctx, const struct sn_ref *ref,
                        const char *manifest_digest, struct sn_err *e)
{
	struct sn_sig_list l = {NULL, 0, 0, 0};
	struct sn_sig_blob blob = {NULL, 0, NULL};
	struct sn_manifest *m = NULL;
	char digest[SN_DIGEST_MAX];
	struct sigtag t;
	struct sn_buf b;
	size_t nsig = 0;
	int rc;

	sn_buf_init(&b, 0, "cosign signature");
	if (out == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "cosign signatures: missing argument");
	l.max_bytes = out->max_bytes;
	if ((rc = sigtag_open(&t, ctx, ref, manifest_digest, e)) != 0)
		return rc;
	if ((rc = sig_manifest_read(&m, digest, &t, e)) != 0 || m == NULL)
		goto done;
	for (size_t i = 0; i < m->n_layers; i++) {
		const struct sn_descriptor *d = &m->layers[i];

		/* Attestations and anything else are not signatures. */
		if (!is_signature_layer(d))
			continue;
		if (++nsig > SIGNET_MAX_ATTACHED_SIGNATURES) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "cosign signatures %s: more than %d signatures "
			               "(SIGNET_MAX_ATTACHED_SIGNATURES)",
			               t.loc, SIGNET_MAX_ATTACHED_SIGNATURES);
			goto done;
		}
		/* The blob is held base64-encoded, so larger than the layer:
		 * one that cannot fit is not even fetched. */
		if ((uint64_t)d->size > sn_sig_list_room(&l)) {
			rc = sn_sig_list_full(&l, t.loc, e);
			goto done;
		}
		if ((rc = fetch_layer(&b, &t, d, i, e)) != 0 ||
		    (rc = sigstore_blob(&blob, d->media_type, b.data, b.len, d->annotations, e)) != 0)
			goto done;
		sn_buf_free(&b);
		if ((blob.location = sn_aprintf(e, "%s layer %zu", t.loc, i + 1)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto done;
		}
		rc = sn_sig_list_add(&l, blob.data, blob.len, blob.location, t.loc, e);
		blob = (struct sn_sig_blob){NULL, 0, NULL};
		if (rc != 0)
			goto done;
	}
done:
	if (rc == 0) {
		*out = l;
		l.items = NULL;
		l.n = 0;
	}
	sn_sig_list_free(&l);
	free(blob.data);
	sn_manifest_free(m);
	sn_buf_free(&b);
	sigtag_free(&t);
	return rc;
}

/* ---- writing ---------------------------------------------------------- */

/* Index of a signature layer with this digest and signature, or -1. */
static long find_layer(const struct sn_manifest *m, const char *digest, const char *signature)
{
	if (m == NULL)
		return -1;
	for (size_t i = 0; i < m->n_layers; i++) {
		const struct sn_descriptor *d = &m->layers[i];
		const char *s = layer_signature(d);

		if (is_signature_layer(d) && strcmp(d->digest, digest) == 0 && s != NULL &&
		    strcmp(s, signature) == 0)
			return (long)i;
	}
	return -1;
}

static int check_annotations(json_t *annotations, const char **signature, struct sn_err *e)
{
	const char *key;
	json_t *v;

	if (!json_is_object(annotations))
		return sn_seterr(e, SIGNET_EINVAL, "cosign signature: the annotations are not an object");
	json_object_foreach(annotations, key, v) {
		if (!json_is_string(v))
			return sn_seterr(e, SIGNET_EINVAL, "cosign signature: annotation \"%.200s\" is not a string",
			                 key);
	}
	v = json_object_get(annotations, SN_COSIGN_SIGNATURE_ANNOTATION);
	if (v == NULL || json_string_length(v) == 0)
		return sn_seterr(e, SIGNET_EINVAL, "cosign signature: no %s annotation",
		                 SN_COSIGN_SIGNATURE_ANNOTATION);
	*signature = json_string_value(v);
	return 0;
}

/*
 * The new manifest: the old one (every field kept) with the new layer
 * appended, and a new config listing every layer's digest in
 * rootfs.diff_ids (cosign and containers/image write such a config; its
 * blob is uploaded here).  *out is json_dumps'ed (caller frees).
 */
static int build_manifest(char **out, const struct sigtag *t, const struct sn_manifest *old,
                          const char *pdigest, size_t plen, json_t *annotations, struct sn_err *e)
{
	json_t *doc = NULL, *layers, *config = NULL, *diff_ids, *v;
	char cdigest[SN_DIGEST_MAX];
	char *ctext = NULL, *text = NULL;
	size_t i;
	int rc = SIGNET_ENOMEM;

	/* A new document gets the usual field order; config is set below. */
	doc = old != NULL ? json_deep_copy(old->root)
	                  : json_pack("{s:i, s:s, s:n, s:[]}", "schemaVersion", 2, "mediaType",
	                              SN_MT_OCI_MANIFEST, "config", "layers");
	if (doc == NULL || !json_is_array(layers = json_object_get(doc, "layers")))
		goto out;
	if (json_array_append_new(layers, json_pack("{s:s, s:s, s:I, s:o}", "mediaType",
	                                            SN_MT_COSIGN_SIMPLESIGNING, "digest", pdigest, "size",
	                                            (json_int_t)plen, "annotations",
	                                            json_deep_copy(annotations))) != 0)
		goto out;
	config = json_pack("{s:s, s:s, s:{}, s:{s:s, s:[]}}", "architecture", "", "os", "", "config", "rootfs",
	                   "type", "layers", "diff_ids");
	if (config == NULL)
		goto out;
	diff_ids = json_object_get(json_object_get(config, "rootfs"), "diff_ids");
	json_array_foreach(layers, i, v) {
		if (json_array_append(diff_ids, json_object_get(v, "digest")) != 0)
			goto out;
	}
	if ((ctext = json_dumps(config, JSON_COMPACT)) == NULL)
		goto out;
	if ((rc = sn_digest_compute(cdigest, "sha256", ctext, strlen(ctext), e)) != 0)
		goto out;
	if ((rc = sn_registry_put_blob(t->r, t->repo, cdigest, ctext, strlen(ctext), e)) != 0) {
		sn_errctx(e, "cosign signatures %s: config: ", t->loc);
		goto out;
	}
	rc = SIGNET_ENOMEM;
	if (json_object_set_new(doc, "schemaVersion", json_integer(2)) != 0 ||
	    json_object_set_new(doc, "mediaType", json_string(SN_MT_OCI_MANIFEST)) != 0 ||
	    json_object_set_new(doc, "config", json_pack("{s:s, s:s, s:I}", "mediaType", SN_MT_OCI_CONFIG,
	                                                 "digest", cdigest, "size",
	                                                 (json_int_t)strlen(ctext))) != 0)
		goto out;
	if ((text = json_dumps(doc, JSON_COMPACT)) == NULL)
		goto out;
	*out = text;
	text = NULL;
	rc = 0;
out:
	if (rc == SIGNET_ENOMEM)
		sn_enomem(e);
	json_decref(doc);
	json_decref(config);
	free(ctext);
	free(text);
	return rc;
}

/* The digest the tag points at now ("" when it does not exist). */
static int tag_digest(char out[SN_DIGEST_MAX], const struct sigtag *t, struct sn_err *e)
{
	struct sn_buf b;
	int exists, rc;

	if ((rc = sn_registry_head_manifest(t->r, t->repo, t->tag, &exists, NULL, out, e)) != 0)
		return rc;
	if (!exists) {
		out[0] = '\0';
		return 0;
	}
	if (strncmp(out, "sha256:", 7) == 0)
		return 0;
	/* No Docker-Content-Digest (or another algorithm): hash the bytes. */
	rc = sn_registry_get_manifest(t->r, t->repo, t->tag, &b, NULL, out, e);
	sn_buf_free(&b);
	if (rc == SIGNET_ENOTFOUND) {
		sn_err_clear(e);
		out[0] = '\0';
		rc = 0;
	}
	return rc;
}

void sn_attach_recheck_sleep(long put_ms)
{
	unsigned char r = 0;
	struct timespec ts;
	long ms;

	if (RAND_bytes(&r, 1) != 1)
		r = (unsigned char)(getpid() & 0xff);
	ms = RECHECK_MIN_MS + (long)(r % RECHECK_SPREAD_MS) + 2 * (put_ms > 0 ? put_ms : 0);
	if (ms > RECHECK_MAX_MS)
		ms = RECHECK_MAX_MS;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int sn_attachments_write(char **location, struct signet_ctx *ctx, const struct sn_ref *ref,
                         const char *manifest_digest, const void *payload, size_t payload_len,
                         json_t *annotations, struct sn_err *e)
{
	char pdigest[SN_DIGEST_MAX], old_digest[SN_DIGEST_MAX], now_digest[SN_DIGEST_MAX];
	struct sn_manifest *m = NULL;
	const char *signature = NULL;
	char *doc = NULL, *loc = NULL;
	struct sigtag t;
	long found = -1;
	int rc;

	if (location == NULL || payload == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "cosign signature: missing argument");
	if (payload_len == 0)
		return sn_seterr(e, SIGNET_EINVAL, "cosign signature: empty payload");
	if (payload_len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "cosign signature: the payload is larger than the limit of %u bytes "
		                 "(SIGNET_MAX_SIGNATURE_SIZE)",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = check_annotations(annotations, &signature, e)) != 0)
		return rc;
	if ((rc = sigtag_open(&t, ctx, ref, manifest_digest, e)) != 0)
		return rc;
	if ((rc = sn_digest_compute(pdigest, "sha256", payload, payload_len, e)) != 0)
		goto out;
	if ((rc = sn_registry_put_blob(t.r, t.repo, pdigest, payload, payload_len, e)) != 0) {
		sn_errctx(e, "cosign signatures %s: payload: ", t.loc);
		goto out;
	}
	for (int attempt = 1; attempt <= SN_ATTACH_MAX_ATTEMPTS; attempt++) {
		size_t nsig = 1;
		int64_t started;

		sn_manifest_free(m);
		m = NULL;
		free(doc);
		doc = NULL;
		if ((rc = sig_manifest_read(&m, old_digest, &t, e)) != 0)
			goto out;
		if ((found = find_layer(m, pdigest, signature)) >= 0)
			goto done; /* already there */
		if (m != NULL && m->n_layers + 1 > SIGNET_MAX_SIG_MANIFEST_LAYERS) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "cosign signatures %s: already %zu layers, the limit is %d "
			               "(SIGNET_MAX_SIG_MANIFEST_LAYERS)",
			               t.loc, m->n_layers, SIGNET_MAX_SIG_MANIFEST_LAYERS);
			goto out;
		}
		for (size_t i = 0; m != NULL && i < m->n_layers; i++)
			nsig += (size_t)is_signature_layer(&m->layers[i]);
		if (nsig > SIGNET_MAX_ATTACHED_SIGNATURES) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "cosign signatures %s: already %zu signatures, the limit is %d "
			               "(SIGNET_MAX_ATTACHED_SIGNATURES)",
			               t.loc, nsig - 1, SIGNET_MAX_ATTACHED_SIGNATURES);
			goto out;
		}
		if ((rc = build_manifest(&doc, &t, m, pdigest, payload_len, annotations, e)) != 0)
			goto out;
		/* Did another writer move the tag while we built ours? */
		started = sn_now_ms();
		if ((rc = tag_digest(now_digest, &t, e)) != 0)
			goto out;
		if (strcmp(now_digest, old_digest) != 0) {
			sn_log(ctx, SIGNET_LOG_DEBUG, "cosign signatures %s: the tag moved (%s -> %s), attempt %d",
			       t.loc, old_digest[0] != '\0' ? old_digest : "none",
			       now_digest[0] != '\0' ? now_digest : "none", attempt);
			continue;
		}
		rc = sn_registry_put_manifest(t.r, t.repo, t.tag, doc, strlen(doc), SN_MT_OCI_MANIFEST, e);
		/* Two signers upload the same payload (it names the image, not
		 * the key) and the same config; while the other's upload of a
		 * blob completes, the registry can briefly call it unknown.
		 * Upload it again and start over. */
		if (rc == SIGNET_EREGISTRY && strstr(e->msg, "BLOB_UNKNOWN") != NULL) {
			sn_log(ctx, SIGNET_LOG_DEBUG, "cosign signatures %s: a blob was not yet known, attempt %d",
			       t.loc, attempt);
			sn_attach_recheck_sleep(sn_now_ms() - started);
			if ((rc = sn_registry_put_blob(t.r, t.repo, pdigest, payload, payload_len, e)) != 0) {
				sn_errctx(e, "cosign signatures %s: payload: ", t.loc);
				goto out;
			}
			continue;
		}
		if (rc != 0) {
			sn_errctx(e, "cosign signatures %s: ", t.loc);
			goto out;
		}
		/* Did our PUT hold, or did a concurrent one replace it? */
		sn_attach_recheck_sleep(sn_now_ms() - started);
		sn_manifest_free(m);
		m = NULL;
		if ((rc = sig_manifest_read(&m, old_digest, &t, e)) != 0)
			goto out;
		if ((found = find_layer(m, pdigest, signature)) >= 0)
			goto done;
		sn_log(ctx, SIGNET_LOG_DEBUG,
		       "cosign signatures %s: another writer replaced our update, attempt %d", t.loc, attempt);
	}
	rc = sn_seterr(e, SIGNET_EREGISTRY,
	               "cosign signatures %s: the .sig tag kept moving (%d attempts; other signers writing "
	               "at the same time?)",
	               t.loc, SN_ATTACH_MAX_ATTEMPTS);
	goto out;
done:
	if ((loc = sn_aprintf(e, "%s layer %ld", t.loc, found + 1)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*location = loc;
	rc = 0;
out:
	sn_manifest_free(m);
	free(doc);
	sigtag_free(&t);
	return rc;
}
