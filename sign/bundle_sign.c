/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/bundle_sign.c: a Sigstore bundle (v0.3) signing an image digest
 * with a key, as cosign v3's `cosign sign --key` makes one: a DSSE
 * envelope whose payload is an in-toto statement (Statement v1) with the
 * manifest digest as its one subject (no name: cosign writes none), the
 * -a annotations as the subject's annotations, predicate type
 * https://sigstore.dev/cosign/sign/v1 and an empty predicate; the
 * verification material is the key's hint (base64 of the SHA-256 of its
 * SubjectPublicKeyInfo).  No transparency log entry or timestamp: signet
 * signs offline.
 */
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "SHA256:<hex>" -> base64 of the bytes. */
static int key_hint(struct sn_buf *out, const char *key_id, struct sn_err *e)
{
	unsigned char md[32];
	const char *hex = key_id + 7;

	if (strncmp(key_id, "SHA256:", 7) != 0 || strlen(hex) != 2 * sizeof(md))
		return sn_seterr(e, SIGNET_EINVAL, "bundle: unexpected key id \"%.80s\"", key_id);
	for (size_t i = 0; i < sizeof(md); i++)
		md[i] = (unsigned char)(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
	return sn_base64_encode(out, md, sizeof(md), 0, e);
}

int sn_bundle_statement(struct sn_buf *out, const char *digest, json_t *annotations, struct sn_err *e)
{
	json_t *stmt, *ann;
	char *text;
	int rc;

	if (digest == NULL || strncmp(digest, "sha256:", 7) != 0 || sn_digest_validate(digest, NULL) != 0)
		return sn_seterr(e, SIGNET_EINVAL, "bundle: only sha256 manifest digests are signed (%.100s)",
		                 digest != NULL ? digest : "(none)");
	ann = annotations != NULL ? json_incref(annotations) : json_object();
	/* "o" takes ann, also when the pack fails. */
	stmt = json_pack("{s:s, s:[{s:{s:s}, s:o}], s:s, s:{}}", "_type", SN_INTOTO_STATEMENT_V1, "subject",
	                 "digest", "sha256", digest + 7, "annotations", ann, "predicateType",
	                 SN_COSIGN_SIGN_PREDICATE, "predicate");
	text = stmt != NULL ? json_dumps(stmt, JSON_COMPACT) : NULL;
	json_decref(stmt);
	if (text == NULL)
		return sn_enomem(e);
	sn_buf_init(out, SIGNET_MAX_SIGNATURE_SIZE, "bundle statement");
	rc = sn_buf_append(out, text, strlen(text), e);
	free(text);
	return rc;
}

int sn_bundle_create(struct sn_buf *out, const char *key_path, const struct sn_pass *pass,
                     const struct sn_buf *statement, struct sn_err *e)
{
	char key_id[SN_SIGSTORE_KEY_ID_MAX];
	struct sn_buf pae, payload_b64, hint;
	json_t *bundle = NULL;
	char *sig_b64 = NULL, *btext = NULL;
	char head[64];
	int rc, n;

	sn_buf_init(&pae, SIGNET_MAX_SIGNATURE_SIZE, "DSSE encoding");
	sn_buf_init(&payload_b64, SIGNET_MAX_SIGNATURE_SIZE, "bundle payload");
	sn_buf_init(&hint, 128, "key hint");
	n = snprintf(head, sizeof(head), "DSSEv1 %zu %s %zu ", strlen(SN_INTOTO_PAYLOAD_TYPE),
	             SN_INTOTO_PAYLOAD_TYPE, statement->len);
	if ((rc = sn_buf_append(&pae, head, (size_t)n, e)) != 0 ||
	    (rc = sn_buf_append(&pae, statement->data, statement->len, e)) != 0 ||
	    (rc = sn_sigstore_sign_raw(&sig_b64, key_id, key_path, pass, pae.data, pae.len, e)) != 0 ||
	    (rc = sn_base64_encode(&payload_b64, statement->data, statement->len, 0, e)) != 0 ||
	    (rc = key_hint(&hint, key_id, e)) != 0 || (rc = sn_buf_append(&hint, "", 1, e)) != 0 ||
	    (rc = sn_buf_append(&payload_b64, "", 1, e)) != 0)
		goto out;
	bundle = json_pack("{s:s, s:{s:{s:s}}, s:{s:s, s:s, s:[{s:s, s:s}]}}", "mediaType",
	                   SN_MT_SIGSTORE_BUNDLE_V03, "verificationMaterial", "publicKey", "hint",
	                   (const char *)hint.data, "dsseEnvelope", "payload", (const char *)payload_b64.data,
	                   "payloadType", SN_INTOTO_PAYLOAD_TYPE, "signatures", "sig", sig_b64, "keyid", "");
	if (bundle == NULL || (btext = json_dumps(bundle, JSON_COMPACT)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	sn_buf_init(out, SIGNET_MAX_SIGNATURE_SIZE, "Sigstore bundle");
	rc = sn_buf_append(out, btext, strlen(btext), e);
out:
	json_decref(bundle);
	free(btext);
	free(sig_b64);
	sn_buf_free(&pae);
	sn_buf_free(&payload_b64);
	sn_buf_free(&hint);
	return rc;
}
