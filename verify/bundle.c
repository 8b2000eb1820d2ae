/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/bundle.c: Sigstore bundles (sigstore protobuf-specs, bundle
 * v0.1 to v0.3) signed with a pinned key, as cosign v3 signs an image:
 * a DSSE envelope whose payload is an in-toto statement naming the
 * image's manifest digest, predicate type https://sigstore.dev/cosign/sign/v1.
 *
 * Strict: every object's members are known ones, of the right JSON type;
 * base64 is standard and padded.  The signature is checked by the
 * sigstore backend's one key check (sigstore.c) over the DSSE
 * pre-authentication encoding:
 *   "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * (lengths in ASCII decimal).
 */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each member of o is one of the NULL-terminated names. */
static int members_known(json_t *o, const char *path, const char *const *names, struct sn_err *e)
{
	const char *key = sn_json_unknown_member(o, names);

	return key == NULL
	           ? 0
	           : sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s: unknown member \"%.100s\"", path, key);
}

/* o.name must be present and of kind (JSON_OBJECT, JSON_STRING, ...). */
static int member(json_t **out, json_t *o, const char *path, const char *name, json_type kind, int required,
                  struct sn_err *e)
{
	static const char *const kinds[] = {"an object", "an array", "a string"};
	json_t *v = json_object_get(o, name);

	*out = v;
	if (v == NULL)
		return required ? sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s%s%s: missing", path,
		                            *path ? "." : "", name)
		                : 0;
	if (json_typeof(v) != kind)
		return sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s%s%s: not %s (%s)", path, *path ? "." : "",
		                 name, kinds[kind <= JSON_STRING ? kind : 0], sn_json_kind(v));
	return 0;
}

/* Decodes the base64 string s at path (non-empty). */
static int b64(unsigned char **out, size_t *len, json_t *s, const char *path, struct sn_err *e)
{
	int rc = sn_base64_decode(out, len, json_string_value(s), json_string_length(s));

	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s: not valid base64", path);
	return 0;
}

/* verificationMaterial: exactly one of publicKey, certificate and
 * x509CertificateChain (the last two read by keyless.c). */
static int check_material(json_t *vm, struct sn_err *e)
{
	static const char *const known[] = {
	    "publicKey", "certificate", "x509CertificateChain", "tlogEntries", "timestampVerificationData",
	    NULL};
	static const char *const pk_known[] = {"hint", NULL};
	json_t *pk, *v;
	int rc, n;

	if ((rc = members_known(vm, "verificationMaterial", known, e)) != 0)
		return rc;
	n = (json_object_get(vm, "publicKey") != NULL) + (json_object_get(vm, "certificate") != NULL) +
	    (json_object_get(vm, "x509CertificateChain") != NULL);
	if (n != 1)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "bundle: verificationMaterial: exactly one of publicKey, certificate and "
		                 "x509CertificateChain must be given, %s",
		                 n == 0 ? "none is" : "more than one is");
	if ((rc = member(&pk, vm, "verificationMaterial", "publicKey", JSON_OBJECT, 0, e)) != 0 ||
	    (pk != NULL && (rc = members_known(pk, "verificationMaterial.publicKey", pk_known, e)) != 0) ||
	    (pk != NULL &&
	     (rc = member(&v, pk, "verificationMaterial.publicKey", "hint", JSON_STRING, 0, e)) != 0) ||
	    (rc = member(&v, vm, "verificationMaterial", "certificate", JSON_OBJECT, 0, e)) != 0 ||
	    (rc = member(&v, vm, "verificationMaterial", "x509CertificateChain", JSON_OBJECT, 0, e)) != 0 ||
	    (rc = member(&v, vm, "verificationMaterial", "tlogEntries", JSON_ARRAY, 0, e)) != 0 ||
	    (rc = member(&v, vm, "verificationMaterial", "timestampVerificationData", JSON_OBJECT, 0, e)) !=
	        0)
		return rc;
	return 0;
}

/* The DSSE pre-authentication encoding of (type, body). */
static int pae(struct sn_buf *out, const char *type, size_t type_len, const unsigned char *body, size_t len,
               struct sn_err *e)
{
	char head[64];
	int rc, n;

	n = snprintf(head, sizeof(head), "DSSEv1 %zu ", type_len);
	if ((rc = sn_buf_append(out, head, (size_t)n, e)) != 0 ||
	    (rc = sn_buf_append(out, type, type_len, e)) != 0)
		return rc;
	n = snprintf(head, sizeof(head), " %zu ", len);
	if ((rc = sn_buf_append(out, head, (size_t)n, e)) != 0 ||
	    (rc = sn_buf_append(out, body, len, e)) != 0)
		return rc;
	return 0;
}

void sn_bundle_clear(struct sn_bundle *b)
{
	if (b == NULL)
		return;
	json_decref(b->root);
	free(b->payload);
	free(b->sig);
	sn_buf_free(&b->pae);
	memset(b, 0, sizeof(*b));
}

int sn_bundle_parse(struct sn_bundle *out, const unsigned char *chunk, size_t len, struct sn_err *e)
{
	static const char *const top_known[] = {"mediaType", "verificationMaterial", "dsseEnvelope",
	                                        "messageSignature", NULL};
	static const char *const env_known[] = {"payload", "payloadType", "signatures", NULL};
	static const char *const sig_known[] = {"sig", "keyid", NULL};
	struct sn_bundle b;
	json_t *mt, *env, *pl, *pt, *sigs, *s0, *v;
	int rc;

	memset(&b, 0, sizeof(b));
	sn_buf_init(&b.pae, SIGNET_MAX_SIGNATURE_SIZE + 256u, "DSSE encoding");
	if ((rc = sn_json_parse(&b.root, chunk, len, "bundle", e)) != 0)
		return rc;
	if (!json_is_object(b.root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "bundle: not a JSON object (%s)", sn_json_kind(b.root));
		goto out;
	}
	if ((rc = members_known(b.root, "(top level)", top_known, e)) != 0 ||
	    (rc = member(&mt, b.root, "", "mediaType", JSON_STRING, 1, e)) != 0)
		goto out;
	if (!sn_bundle_media_type(json_string_value(mt))) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "bundle: mediaType: \"%.100s\" is not a Sigstore bundle media type",
		               json_string_value(mt));
		goto out;
	}
	if ((rc = member(&b.material, b.root, "", "verificationMaterial", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = check_material(b.material, e)) != 0)
		goto out;
	if (json_object_get(b.root, "messageSignature") != NULL) {
		rc = sn_seterr(
		    e, SIGNET_EUNSUPPORTED,
		    "bundle: messageSignature: a signature over a blob (cosign sign-blob); an image "
		    "signature is a dsseEnvelope");
		goto out;
	}
	if ((rc = member(&env, b.root, "", "dsseEnvelope", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = members_known(env, "dsseEnvelope", env_known, e)) != 0 ||
	    (rc = member(&pl, env, "dsseEnvelope", "payload", JSON_STRING, 1, e)) != 0 ||
	    (rc = member(&pt, env, "dsseEnvelope", "payloadType", JSON_STRING, 1, e)) != 0 ||
	    (rc = member(&sigs, env, "dsseEnvelope", "signatures", JSON_ARRAY, 1, e)) != 0)
		goto out;
	if (strcmp(json_string_value(pt), SN_INTOTO_PAYLOAD_TYPE) != 0 ||
	    json_string_length(pt) != strlen(SN_INTOTO_PAYLOAD_TYPE)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "bundle: dsseEnvelope.payloadType: \"%.100s\", not %s",
		               json_string_value(pt), SN_INTOTO_PAYLOAD_TYPE);
		goto out;
	}
	if (json_array_size(sigs) != 1) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "bundle: dsseEnvelope.signatures: %zu signatures, exactly one is read",
		               json_array_size(sigs));
		goto out;
	}
	s0 = json_array_get(sigs, 0);
	if (!json_is_object(s0)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "bundle: dsseEnvelope.signatures[0]: not an object (%s)",
		               sn_json_kind(s0));
		goto out;
	}
	if ((rc = members_known(s0, "dsseEnvelope.signatures[0]", sig_known, e)) != 0 ||
	    (rc = member(&v, s0, "dsseEnvelope.signatures[0]", "sig", JSON_STRING, 1, e)) != 0 ||
	    (rc = b64(&b.sig, &b.sig_len, v, "dsseEnvelope.signatures[0].sig", e)) != 0 ||
	    (rc = member(&v, s0, "dsseEnvelope.signatures[0]", "keyid", JSON_STRING, 0, e)) != 0 ||
	    (rc = b64(&b.payload, &b.payload_len, pl, "dsseEnvelope.payload", e)) != 0)
		goto out;
	b.payload_type = json_string_value(pt);
	if ((rc = pae(&b.pae, b.payload_type, json_string_length(pt), b.payload, b.payload_len, e)) != 0)
		goto out;
	*out = b;
	memset(&b, 0, sizeof(b));
out:
	sn_bundle_clear(&b);
	return rc;
}

int sn_bundle_verify(const void *state, const unsigned char *chunk, size_t len, struct sn_buf *statement,
                     struct sn_signer *signer, struct sn_err *e)
{
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_bundle b;
	struct sn_buf out;
	int rc;

	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "bundle statement");
	if ((rc = sn_bundle_parse(&b, chunk, len, e)) != 0)
		return rc;
	if (json_object_get(b.material, "publicKey") == NULL) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED,
		               "bundle: verificationMaterial: a certificate (keyless signing), but this "
		               "requirement pins public keys (a keyless bundle is checked against a trusted "
		               "root and a pinned identity: --trusted-root, or sigstoreSigned fulcio)");
		goto out;
	}
	if ((rc = sn_sigstore_check(state, b.sig, b.sig_len, b.pae.data, b.pae.len, &who, e)) != 0 ||
	    (rc = sn_buf_append(&out, b.payload, b.payload_len, e)) != 0)
		goto out;
	*statement = out;
	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "bundle statement");
	*signer = who;
	memset(&who, 0, sizeof(who));
out:
	sn_signer_clear(&who);
	sn_buf_free(&out);
	sn_bundle_clear(&b);
	return rc;
}

/* ---- the in-toto statement --------------------------------------------- */

static int stmt_err(struct sn_err *e, const char *fmt, ...) SN_PRINTF(2, 3);
static int stmt_err(struct sn_err *e, const char *fmt, ...)
{
	char msg[SN_ERRMSG_MAX - 32];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sn_seterr(e, SIGNET_EBADINPUT, "bundle statement: %s", msg);
}

int sn_statement_parse(struct sn_payload **out, const void *data, size_t len, const char *repository,
                       struct sn_err *e)
{
	static const char *const known[] = {"_type", "subject", "predicateType", "predicate", NULL};
	static const char *const subj_known[] = {"name", "digest", "annotations", NULL};
	struct sn_payload *p = NULL;
	json_t *root = NULL, *t, *subj, *s0, *dg, *hex, *ann, *pt, *v;
	const char *key;
	int rc;

	if ((rc = sn_json_parse(&root, data, len, "bundle statement", e)) != 0)
		return rc;
	if (!json_is_object(root)) {
		rc = stmt_err(e, "not a JSON object (%s)", sn_json_kind(root));
		goto out;
	}
	json_object_foreach(root, key, v)
	{
		size_t i;

		for (i = 0; known[i] != NULL && strcmp(known[i], key) != 0; i++)
			;
		if (known[i] == NULL) {
			rc = stmt_err(e, "unknown member \"%.100s\"", key);
			goto out;
		}
	}
	t = json_object_get(root, "_type");
	if (!json_is_string(t) || (strcmp(json_string_value(t), SN_INTOTO_STATEMENT_V1) != 0 &&
	                           strcmp(json_string_value(t), SN_INTOTO_STATEMENT_V01) != 0)) {
		rc = stmt_err(e, "_type: not an in-toto statement (%s or %s)", SN_INTOTO_STATEMENT_V1,
		              SN_INTOTO_STATEMENT_V01);
		goto out;
	}
	pt = json_object_get(root, "predicateType");
	if (!json_is_string(pt)) {
		rc = stmt_err(e, "predicateType: %s", pt == NULL ? "missing" : "not a string");
		goto out;
	}
	v = json_object_get(root, "predicate");
	if (v != NULL && !json_is_object(v)) {
		rc = stmt_err(e, "predicate: not an object (%s)", sn_json_kind(v));
		goto out;
	}
	subj = json_object_get(root, "subject");
	if (!json_is_array(subj) || json_array_size(subj) != 1) {
		rc = stmt_err(e, "subject: %s",
		              !json_is_array(subj) ? "missing or not an array"
		                                   : "a cosign image signature names exactly one subject");
		goto out;
	}
	s0 = json_array_get(subj, 0);
	if (!json_is_object(s0)) {
		rc = stmt_err(e, "subject[0]: not an object");
		goto out;
	}
	json_object_foreach(s0, key, v)
	{
		size_t i;

		for (i = 0; subj_known[i] != NULL && strcmp(subj_known[i], key) != 0; i++)
			;
		if (subj_known[i] == NULL) {
			rc = stmt_err(e, "subject[0]: unknown member \"%.100s\"", key);
			goto out;
		}
	}
	v = json_object_get(s0, "name");
	if (v != NULL && !json_is_string(v)) {
		rc = stmt_err(e, "subject[0].name: not a string");
		goto out;
	}
	dg = json_object_get(s0, "digest");
	if (!json_is_object(dg)) {
		rc = stmt_err(e, "subject[0].digest: missing or not an object");
		goto out;
	}
	json_object_foreach(dg, key, v)
	{
		if (!json_is_string(v)) {
			rc = stmt_err(e, "subject[0].digest.%.50s: not a string", key);
			goto out;
		}
	}
	hex = json_object_get(dg, "sha256");
	if (hex == NULL) {
		rc = stmt_err(e, "subject[0].digest: no sha256 digest");
		goto out;
	}
	ann = json_object_get(s0, "annotations");
	if (ann != NULL) {
		if (!json_is_object(ann)) {
			rc = stmt_err(e, "subject[0].annotations: not an object");
			goto out;
		}
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((p->manifest_digest = sn_aprintf(e, "sha256:%s", json_string_value(hex))) == NULL ||
	    (p->type = sn_strdup(json_string_value(pt), e)) == NULL ||
	    (p->docker_reference = sn_strdup(repository, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if (sn_digest_validate(p->manifest_digest, NULL) != 0) {
		rc = stmt_err(e, "subject[0].digest.sha256: \"%.80s\" is not 64 lowercase hex digits",
		              json_string_value(hex));
		goto out;
	}
	if (strcmp(p->type, SN_COSIGN_SIGN_PREDICATE) != 0) {
		rc = sn_seterr(
		    e, SIGNET_EDENIED,
		    "bundle statement: predicateType \"%.200s\": an attestation, not a cosign image "
		    "signature (%s)",
		    p->type, SN_COSIGN_SIGN_PREDICATE);
		goto out;
	}
	p->optional = ann != NULL ? json_incref(ann) : NULL;
	*out = p;
	p = NULL;
out:
	sn_payload_free(p);
	json_decref(root);
	return rc;
}
