/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/sigstore.c: cosign key-based signatures (SPEC §3.5) through
 * OpenSSL, against pinned public keys only.
 *
 * A sigstore signature reaches this backend as containers/image stores it
 * in dir: and lookaside stores ("\0sigstore-json\n" + JSON); the
 * attachment reader converts every .sig layer into the same form.
 */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* ---- the backend ----------------------------------------------------- */

struct pinned {
	EVP_PKEY *key;
	char id[SN_SIGSTORE_KEY_ID_MAX];
	char *name;         /* the key file's name, or NULL */
	const char *md;     /* the digest it signs with; NULL for Ed25519 */
	int is_rsa;
};

struct sigstore_verifier {
	struct pinned *keys;
	size_t n_keys;
};

static void sigstore_verifier_free(void *state)
{
	struct sigstore_verifier *v = state;

	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_keys; i++) {
		EVP_PKEY_free(v->keys[i].key);
		free(v->keys[i].name);
	}
	free(v->keys);
	free(v);
}

/* Why a PEM block of this type is not a pinnable key. */
static int wrong_pem_type(const char *label, const char *what, struct sn_err *e)
{
	if (strstr(label, "PRIVATE KEY") != NULL)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: a private key (%s); pin the public key (PEM PUBLIC KEY) only", what,
		                 label);
	if (strstr(label, "CERTIFICATE") != NULL)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: an X.509 certificate; keyless and certificate-based (X.509) verification "
		    "is not supported yet: pin the public key (PEM PUBLIC KEY)",
		    what);
	if (strcmp(label, "RSA PUBLIC KEY") == 0)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: a PKCS#1 RSA public key; a PEM PUBLIC KEY (SubjectPublicKeyInfo) is needed "
		    "(openssl rsa -RSAPublicKey_in -pubout converts it)",
		    what);
	if (strncmp(label, "PGP", 3) == 0)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: OpenPGP data; sigstore signatures are checked with a PEM PUBLIC KEY",
		                 what);
	return sn_seterr(e, SIGNET_EBADINPUT, "%s: a PEM \"%.64s\" block, not a PUBLIC KEY", what, label);
}

static int pin_key(struct pinned *k, const struct sn_buf *key, const char *name, struct sn_err *e)
{
	const unsigned char *p;
	struct sn_pem pem = {NULL, NULL, 0};
	EVP_PKEY *pk = NULL;
	char what[512];
	int rc;

	(void)snprintf(what, sizeof(what), "pinned key \"%s\"", name != NULL ? name : "(unnamed)");
	if (key->len > SN_PEM_MAX_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "%s: larger than the limit of %u bytes for a key file",
		                 what, SN_PEM_MAX_SIZE);
	if (key->len == 0 || key->data == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty", what);
	for (p = key->data;
	     p < key->data + key->len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n');)
		p++;
	/* Armored OpenPGP has headers and blank lines that PEM has not. */
	if ((size_t)(key->data + key->len - p) >= 15 && memcmp(p, "-----BEGIN PGP ", 15) == 0)
		return wrong_pem_type("PGP", what, e);
	if ((rc = sn_pem_decode(&pem, key->data, key->len, what, e)) != 0)
		return rc;
	if (strcmp(pem.label, "PUBLIC KEY") != 0) {
		rc = wrong_pem_type(pem.label, what, e);
		goto out;
	}
	p = pem.der;
	pk = d2i_PUBKEY(NULL, &p, (long)pem.der_len);
	if (pk == NULL) {
		ERR_clear_error();
		rc =
		    sn_seterr(e, SIGNET_EBADINPUT, "%s: not a valid public key (SubjectPublicKeyInfo)", what);
		goto out;
	}
	if (p != pem.der + pem.der_len) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: %zu bytes of trailing data after the DER public key",
		               what, (size_t)(pem.der + pem.der_len - p));
		goto out;
	}
	if ((rc = sn_sigstore_key_check(pk, what, e)) != 0)
		goto out;
	if ((rc = sn_sigstore_key_id(k->id, pk, e)) != 0)
		goto out;
	if (name != NULL && (k->name = sn_strdup(name, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	k->md = sn_sigstore_key_digest(pk);
	k->is_rsa = EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA;
	k->key = pk;
	pk = NULL;
out:
	EVP_PKEY_free(pk);
	sn_pem_clear(&pem);
	return rc;
}

static int sigstore_verifier_new(void **state, const struct sn_buf *keys, const char *const *key_names,
                                 size_t n_keys, struct sn_err *e)
{
	struct sigstore_verifier *v;
	int rc;

	if (n_keys == 0)
		return sn_seterr(e, SIGNET_EINVAL, "sigstore verifier: no keys pinned");
	if ((v = calloc(1, sizeof(*v))) == NULL || (v->keys = calloc(n_keys, sizeof(*v->keys))) == NULL) {
		free(v);
		return sn_enomem(e);
	}
	for (size_t i = 0; i < n_keys; i++) {
		rc = pin_key(&v->keys[i], &keys[i], key_names != NULL ? key_names[i] : NULL, e);
		v->n_keys = i + 1; /* pin_key leaves nothing to free on failure but name */
		if (rc != 0) {
			sigstore_verifier_free(v);
			return rc;
		}
	}
	*state = v;
	return 0;
}

/* 1 if sig verifies over data with key and digest md (NULL: Ed25519),
 * 0 if not, SIGNET_ENOMEM. */
static int check_one(const struct pinned *k, const char *md, const unsigned char *sig, size_t sig_len,
                     const unsigned char *data, size_t len)
{
	EVP_MD_CTX *ctx;
	int ok;

	/* PKCS#1 v1.5 signatures are exactly as long as the modulus. */
	if (k->is_rsa && sig_len != (size_t)EVP_PKEY_get_size(k->key))
		return 0;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return SIGNET_ENOMEM;
	ok = EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, k->key, NULL) == 1 &&
	     EVP_DigestVerify(ctx, sig, sig_len, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

int sn_sigstore_check(const void *state, const unsigned char *sig, size_t sig_len, const unsigned char *data,
                      size_t len, struct sn_signer *signer, struct sn_err *e)
{
	const struct sigstore_verifier *v = state;
	struct sn_signer who = {NULL, NULL, NULL};
	const struct pinned *by = NULL;

	for (size_t i = 0; i < v->n_keys && by == NULL; i++) {
		const struct pinned *k = &v->keys[i];
		int ok = check_one(k, k->md, sig, sig_len, data, len);

		if (ok < 0)
			return sn_enomem(e);
		if (ok)
			by = k;
	}
	if (by == NULL)
		return v->n_keys == 1
		           ? sn_seterr(e, SIGNET_EDENIED,
		                       "signature: not signed by any pinned key (the pinned key is %s%s%s%s)",
		                       v->keys[0].id, v->keys[0].name != NULL ? " (" : "",
		                       v->keys[0].name != NULL ? v->keys[0].name : "",
		                       v->keys[0].name != NULL ? ")" : "")
		           : sn_seterr(e, SIGNET_EDENIED,
		                       "signature: not signed by any pinned key (%zu keys pinned)",
		                       v->n_keys);
	if ((who.fingerprint = sn_strdup(by->id, e)) == NULL ||
	    (who.signing_fingerprint = sn_strdup(by->id, e)) == NULL ||
	    (by->name != NULL && (who.uid = sn_strdup(by->name, e)) == NULL)) {
		sn_signer_clear(&who);
		return SIGNET_ENOMEM;
	}
	*signer = who;
	return 0;
}

/* The string member name of object o: NULL if absent; SIGNET_EBADINPUT
 * if present but not a string. */
static int string_member(const char **out, size_t *out_len, json_t *o, const char *name, struct sn_err *e)
{
	json_t *v = json_object_get(o, name);

	*out = NULL;
	*out_len = 0;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "signature blob: %s is not a string", name);
	*out = json_string_value(v);
	*out_len = json_string_length(v);
	return 0;
}

int sn_cosign_sig_parse(struct sn_cosign_sig *out, const unsigned char *chunk, size_t chunk_len,
                        struct sn_err *e)
{
	struct sn_cosign_sig s = {NULL, NULL, NULL, 0, NULL, 0};
	const char *mime, *pl, *sig_b64, *key;
	size_t mime_len, pl_len, sig_b64_len;
	json_t *val;
	int rc;

	if ((rc = sn_json_parse(&s.root, chunk, chunk_len, "signature blob", e)) != 0)
		return rc;
	if (!json_is_object(s.root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: the JSON is not an object");
		goto out;
	}
	json_object_foreach(s.root, key, val)
	{
		if (strcmp(key, "mimeType") != 0 && strcmp(key, "payload") != 0 &&
		    strcmp(key, "annotations") != 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: unknown member \"%.100s\"", key);
			goto out;
		}
	}
	if ((rc = string_member(&mime, &mime_len, s.root, "mimeType", e)) != 0 ||
	    (rc = string_member(&pl, &pl_len, s.root, "payload", e)) != 0)
		goto out;
	if (mime == NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: no mimeType");
		goto out;
	}
	if (mime_len != strlen(SN_MT_COSIGN_SIMPLESIGNING) || strcmp(mime, SN_MT_COSIGN_SIMPLESIGNING) != 0) {
		rc = sn_seterr(
		    e, SIGNET_EUNSUPPORTED,
		    "signature blob: mimeType \"%.100s\" is not a cosign simple signing signature (%s)", mime,
		    SN_MT_COSIGN_SIMPLESIGNING);
		goto out;
	}
	if (pl == NULL || pl_len == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: %s payload",
		               pl == NULL ? "no" : "an empty");
		goto out;
	}
	s.annotations = json_object_get(s.root, "annotations");
	if (s.annotations == NULL || !json_is_object(s.annotations)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: %s",
		               s.annotations == NULL ? "no annotations" : "annotations is not an object");
		goto out;
	}
	json_object_foreach(s.annotations, key, val)
	{
		if (!json_is_string(val)) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "signature blob: annotations.\"%.100s\" is not a string", key);
			goto out;
		}
	}
	if ((rc = string_member(&sig_b64, &sig_b64_len, s.annotations, SN_COSIGN_SIGNATURE_ANNOTATION, e)) !=
	    0)
		goto out;
	if (sig_b64 == NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: no %s annotation",
		               SN_COSIGN_SIGNATURE_ANNOTATION);
		goto out;
	}
	if (sig_b64_len > SN_SIGSTORE_MAX_SIGNATURE_B64) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "signature blob: the %s annotation is longer than %d characters",
		               SN_COSIGN_SIGNATURE_ANNOTATION, SN_SIGSTORE_MAX_SIGNATURE_B64);
		goto out;
	}
	if ((rc = sn_base64_decode(&s.sig, &s.sig_len, sig_b64, sig_b64_len)) != 0) {
		rc = rc == SIGNET_ENOMEM ? sn_enomem(e)
		                         : sn_seterr(e, SIGNET_EBADINPUT,
		                                     "signature blob: the %s annotation is not valid base64",
		                                     SN_COSIGN_SIGNATURE_ANNOTATION);
		goto out;
	}
	if ((rc = sn_base64_decode(&s.payload, &s.payload_len, pl, pl_len)) != 0) {
		rc = rc == SIGNET_ENOMEM
		         ? sn_enomem(e)
		         : sn_seterr(e, SIGNET_EBADINPUT, "signature blob: the payload is not valid base64");
		goto out;
	}
	*out = s;
	return 0;
out:
	sn_cosign_sig_clear(&s);
	return rc;
}

void sn_cosign_sig_clear(struct sn_cosign_sig *s)
{
	if (s == NULL)
		return;
	free(s->payload);
	free(s->sig);
	json_decref(s->root);
	memset(s, 0, sizeof(*s));
}

static int sigstore_verify(void *state, const void *blob, size_t len, struct sn_buf *payload,
                           struct sn_signer *signer, struct sn_err *e)
{
	const struct sigstore_verifier *v = state;
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_cosign_sig s;
	const unsigned char *chunk;
	enum sn_sig_format fmt;
	struct sn_buf out;
	size_t chunk_len;
	int rc;

	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "signature blob is larger than the limit of %u bytes",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = sn_sig_detect(&fmt, &chunk, &chunk_len, blob, len, e)) != 0)
		return rc;
	if (fmt == SN_SIG_SIGSTORE_BUNDLE)
		return sn_bundle_verify(v, chunk, chunk_len, payload, signer, e);
	if (fmt != SN_SIG_SIGSTORE_JSON)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "signature blob: an OpenPGP simple signing signature, not a sigstore one");
	if ((rc = sn_cosign_sig_parse(&s, chunk, chunk_len, e)) != 0)
		return rc;
	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	if ((rc = sn_sigstore_check(v, s.sig, s.sig_len, s.payload, s.payload_len, &who, e)) != 0 ||
	    (rc = sn_buf_append(&out, s.payload, s.payload_len, e)) != 0)
		goto out;
	*payload = out;
	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	*signer = who;
	memset(&who, 0, sizeof(who));
out:
	sn_signer_clear(&who);
	sn_buf_free(&out);
	sn_cosign_sig_clear(&s);
	return rc;
}

/* "KEYID (name)" for each pinned key, comma-separated. */
static int sigstore_describe(void *state, struct sn_buf *out, struct sn_err *e)
{
	const struct sigstore_verifier *v = state;
	int rc = 0;

	for (size_t i = 0; i < v->n_keys && rc == 0; i++) {
		if (i > 0)
			rc = sn_buf_append_str(out, ", ", e);
		if (rc == 0)
			rc = sn_buf_append_str(out, v->keys[i].id, e);
		if (rc == 0 && v->keys[i].name != NULL) {
			rc = sn_buf_append_str(out, " (", e);
			if (rc == 0)
				rc = sn_buf_append_str(out, v->keys[i].name, e);
			if (rc == 0)
				rc = sn_buf_append_str(out, ")", e);
		}
	}
	return rc;
}

const struct sn_sig_backend sn_sigstore_backend = {
    .name = "sigstore",
    .verifier_new = sigstore_verifier_new,
    .verify = sigstore_verify,
    .describe = sigstore_describe,
    .verifier_free = sigstore_verifier_free,
};
