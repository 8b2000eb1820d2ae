/* SPDX-License-Identifier: Apache-2.0 */
/* sign/sigstore_sign.c: cosign key-based signatures (SPEC §3.5) through OpenSSL. */
#include "sign.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* Signs data with key; *sig is malloc'd. */
static int sign_bytes(unsigned char **sig, size_t *sig_len, EVP_PKEY *key, const void *data, size_t len,
                      const char *key_path, struct sn_err *e)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *s = NULL;
	size_t n = 0;
	int rc = 0;

	if (ctx == NULL)
		return sn_enomem(e);
	if (EVP_DigestSignInit_ex(ctx, NULL, sn_sigstore_key_digest(key), NULL, NULL, key, NULL) != 1 ||
	    EVP_DigestSign(ctx, NULL, &n, data, len) != 1 || (s = malloc(n)) == NULL ||
	    EVP_DigestSign(ctx, s, &n, data, len) != 1) {
		ERR_clear_error();
		rc = sn_seterr(e, SIGNET_EIO, "signing with key %s: OpenSSL could not sign", key_path);
		free(s);
		goto out;
	}
	*sig = s;
	*sig_len = n;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

static char *base64(const void *data, size_t len, struct sn_err *e)
{
	char *s;

	if (len > (size_t)INT32_MAX / 2 || (s = malloc((len + 2) / 3 * 4 + 1)) == NULL) {
		(void)sn_enomem(e);
		return NULL;
	}
	(void)EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The annotations object: the caller's plus the signature, keys sorted
 * (Go's encoding of a map[string]string, as containers/image writes it). */
static int annotations_object(json_t **out, json_t *extra, const char *sig_b64, struct sn_err *e)
{
	const char **keys = NULL;
	const char *key;
	size_t n = 0, i = 0;
	json_t *ann = NULL, *v;
	int rc = 0;

	if (extra != NULL) {
		if (!json_is_object(extra))
			return sn_seterr(e, SIGNET_EINVAL, "signature annotations: not a JSON object");
		json_object_foreach(extra, key, v)
		{
			if (!json_is_string(v))
				return sn_seterr(e, SIGNET_EINVAL,
				                 "signature annotations: \"%.100s\" is not a string", key);
			if (strcmp(key, SN_COSIGN_SIGNATURE_ANNOTATION) == 0)
				return sn_seterr(
				    e, SIGNET_EINVAL,
				    "signature annotations: %s is the signature itself and cannot be given",
				    key);
		}
		n = json_object_size(extra);
	}
	if ((keys = calloc(n + 1, sizeof(*keys))) == NULL || (ann = json_object()) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (extra != NULL) {
		json_object_foreach(extra, key, v)
		{
			keys[i++] = key;
		}
	}
	keys[i++] = SN_COSIGN_SIGNATURE_ANNOTATION;
	qsort(keys, i, sizeof(*keys), cmp_str);
	for (size_t j = 0; j < i; j++) {
		json_t *val = strcmp(keys[j], SN_COSIGN_SIGNATURE_ANNOTATION) == 0
		                  ? json_string(sig_b64)
		                  : json_copy(json_object_get(extra, keys[j]));

		if (val == NULL || json_object_set_new(ann, keys[j], val) != 0) {
			rc = sn_enomem(e);
			goto out;
		}
	}
	*out = ann;
	ann = NULL;
out:
	json_decref(ann);
	free(keys);
	return rc;
}

/* "\0sigstore-json\n" + {"mimeType", "payload", "annotations"}, in
 * containers/image's member order. */
static int build_blob(struct sn_buf *blob, const void *payload, size_t len, const char *sig_b64,
                      json_t *extra, struct sn_err *e)
{
	json_t *root = NULL, *ann = NULL;
	char *payload_b64 = NULL, *text = NULL;
	int rc;

	if ((rc = annotations_object(&ann, extra, sig_b64, e)) != 0)
		return rc;
	if ((payload_b64 = base64(payload, len, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((root = json_object()) == NULL ||
	    json_object_set_new(root, "mimeType", json_string(SN_MT_COSIGN_SIMPLESIGNING)) != 0 ||
	    json_object_set_new(root, "payload", json_string(payload_b64)) != 0 ||
	    json_object_set(root, "annotations", ann) != 0 ||
	    (text = json_dumps(root, JSON_COMPACT)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((rc = sn_buf_append(blob, SN_SIGSTORE_BLOB_HEADER, SN_SIGSTORE_BLOB_HEADER_LEN, e)) != 0 ||
	    (rc = sn_buf_append_str(blob, text, e)) != 0) {
		if (rc == SIGNET_ELIMIT)
			rc = sn_seterr(e, SIGNET_ELIMIT, "signature blob: larger than the limit of %u bytes",
			               SIGNET_MAX_SIGNATURE_SIZE);
		goto out;
	}
out:
	free(text);
	free(payload_b64);
	json_decref(root);
	json_decref(ann);
	return rc;
}

/* key's public half as a PEM "PUBLIC KEY" into pem. */
static int public_pem(struct sn_buf *pem, EVP_PKEY *key, struct sn_err *e)
{
	unsigned char *der = NULL;
	int n, rc;

	if ((n = i2d_PUBKEY(key, &der)) <= 0) {
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EIO, "the signing key has no public half OpenSSL can write");
	}
	rc = sn_pem_encode(pem, "PUBLIC KEY", der, (size_t)n, e);
	OPENSSL_free(der);
	return rc;
}

int sn_sigstore_public_key(struct sn_buf *pem, char *key_id, const char *key_path, const struct sn_pass *pass,
                           struct sn_err *e)
{
	EVP_PKEY *key = NULL;
	int rc;

	sn_buf_init(pem, SN_PEM_MAX_SIZE, "public key");
	if ((rc = sn_sigstore_load_private_key(&key, key_path, pass, e)) != 0)
		return rc;
	if ((rc = sn_sigstore_key_id(key_id, key, e)) == 0)
		rc = public_pem(pem, key, e);
	EVP_PKEY_free(key);
	if (rc != 0)
		sn_buf_free(pem);
	return rc;
}

/* Verifies blob with sn_sigstore_backend against key's public half, as a
 * verifier pinning it would. */
static int self_check(EVP_PKEY *key, const char *key_id, const struct sn_buf *blob, const void *payload,
                      size_t len, struct sn_err *e)
{
	const char *name = "signer's public key";
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_buf pem, got;
	void *st = NULL;
	int rc;

	sn_buf_init(&pem, SN_PEM_MAX_SIZE, "public key");
	sn_buf_init(&got, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	if ((rc = public_pem(&pem, key, e)) != 0) {
		(void)sn_errctx(e, "self-check of the new signature failed: ");
		goto out;
	}
	if ((rc = sn_sigstore_backend.verifier_new(&st, &pem, &name, 1, e)) != 0 ||
	    (rc = sn_sigstore_backend.verify(st, blob->data, blob->len, &got, &who, e)) != 0) {
		(void)sn_errctx(e, "self-check of the new signature failed: ");
		goto out;
	}
	if (got.len != len || memcmp(got.data, payload, len) != 0 || strcmp(who.fingerprint, key_id) != 0)
		rc = sn_seterr(
		    e, SIGNET_EIO,
		    "self-check of the new signature failed: it does not carry the payload or signer "
		    "asked for");
out:
	sn_sigstore_backend.verifier_free(st);
	sn_signer_clear(&who);
	sn_buf_free(&got);
	sn_buf_free(&pem);
	return rc;
}

/* Loads the key, signs, builds the blob and checks it. */
static int sign_checked(struct sn_buf *blob, char **sig_b64, char key_id[SN_SIGSTORE_KEY_ID_MAX],
                        const char *key_path, const struct sn_pass *pass, const void *payload, size_t len,
                        json_t *annotations, struct sn_err *e)
{
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	EVP_PKEY *key = NULL;
	char *b64 = NULL;
	struct sn_buf out;
	int rc;

	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature blob");
	if (payload == NULL || len == 0)
		return sn_seterr(e, SIGNET_EINVAL, "sigstore signing: empty payload");
	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "signature payload is larger than the limit of %u bytes",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = sn_sigstore_load_private_key(&key, key_path, pass, e)) != 0)
		return rc;
	if ((rc = sn_sigstore_key_id(key_id, key, e)) != 0 ||
	    (rc = sign_bytes(&sig, &sig_len, key, payload, len, key_path, e)) != 0)
		goto out;
	if ((b64 = base64(sig, sig_len, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = build_blob(&out, payload, len, b64, annotations, e)) != 0 ||
	    (rc = self_check(key, key_id, &out, payload, len, e)) != 0)
		goto out;
	if (blob != NULL) {
		*blob = out;
		sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature blob");
	}
	if (sig_b64 != NULL) {
		*sig_b64 = b64;
		b64 = NULL;
	}
out:
	EVP_PKEY_free(key);
	sn_buf_free(&out);
	free(sig);
	free(b64);
	return rc;
}

int sn_sigstore_sign(struct sn_buf *blob, const char *key_path, const struct sn_pass *pass,
                     const void *payload, size_t len, json_t *annotations, struct sn_err *e)
{
	char key_id[SN_SIGSTORE_KEY_ID_MAX];

	return sign_checked(blob, NULL, key_id, key_path, pass, payload, len, annotations, e);
}

int sn_sigstore_sign_raw(char **sig_b64, char *pub_key_id, const char *key_path, const struct sn_pass *pass,
                         const void *payload, size_t len, struct sn_err *e)
{
	char key_id[SN_SIGSTORE_KEY_ID_MAX];
	char *b64 = NULL;
	int rc;

	rc = sign_checked(NULL, &b64, key_id, key_path, pass, payload, len, NULL, e);
	if (rc != 0)
		return rc;
	*sig_b64 = b64;
	if (pub_key_id != NULL)
		memcpy(pub_key_id, key_id, sizeof(key_id));
	return 0;
}
