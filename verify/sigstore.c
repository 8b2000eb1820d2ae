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

/* The longest PEM label accepted ("ENCRYPTED SIGSTORE PRIVATE KEY" is 30). */
#define SN_PEM_LABEL_MAX 64

/* ---- PEM ------------------------------------------------------------- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The next line of [p, end): its length without the line end, and where
 * the following line starts.  LF or CRLF; the last line may lack one. */
static size_t next_line(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n;

	if (nl == NULL) {
		*next = end;
		n = (size_t)(end - p);
	} else {
		*next = nl + 1;
		n = (size_t)(nl - p);
	}
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n;
}

static int has_prefix(const char *p, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(p, prefix, k) == 0;
}

void sn_pem_clear(struct sn_pem *p)
{
	if (p == NULL)
		return;
	free(p->label);
	if (p->der != NULL)
		OPENSSL_clear_free(p->der, p->der_len + 1);
	memset(p, 0, sizeof(*p));
}

int sn_pem_decode(struct sn_pem *out, const void *data, size_t len, const char *what, struct sn_err *e)
{
	static const char begin[] = "-----BEGIN ", end_pfx[] = "-----END ", dashes[] = "-----";
	const char *p = data, *end = p + len, *next, *label;
	size_t n, label_len, b64_len = 0;
	char *b64 = NULL, *lab = NULL;
	unsigned char *der = NULL;
	size_t der_len = 0;
	int rc, closed = 0;

	while (p < end && is_space((unsigned char)*p))
		p++;
	if (p == end)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty", what);
	if (memchr(data, '\0', len) != NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not a PEM file (binary data)", what);
	n = next_line(p, end, &next);
	if (!has_prefix(p, n, begin)) {
		if (memmem(p, (size_t)(end - p), begin, strlen(begin)) != NULL)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: text before the PEM block", what);
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not a PEM file (no \"-----BEGIN\" line)", what);
	}
	label = p + strlen(begin);
	label_len = n - strlen(begin);
	if (label_len < strlen(dashes) ||
	    memcmp(label + label_len - strlen(dashes), dashes, strlen(dashes)) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: malformed \"-----BEGIN\" line", what);
	label_len -= strlen(dashes);
	if (label_len == 0 || label_len > SN_PEM_LABEL_MAX)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: malformed \"-----BEGIN\" line", what);
	for (size_t i = 0; i < label_len; i++)
		if (label[i] < 0x20 || label[i] > 0x7e || label[i] == '-')
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: malformed \"-----BEGIN\" line", what);
	/* The base64 text is at most as long as the input. */
	if ((b64 = malloc(len + 1)) == NULL)
		return sn_enomem(e);
	for (p = next; p < end; p = next) {
		n = next_line(p, end, &next);
		if (has_prefix(p, n, end_pfx)) {
			if (n != strlen(end_pfx) + label_len + strlen(dashes) ||
			    memcmp(p + strlen(end_pfx), label, label_len) != 0 ||
			    memcmp(p + strlen(end_pfx) + label_len, dashes, strlen(dashes)) != 0) {
				rc = sn_seterr(
				    e, SIGNET_EBADINPUT,
				    "%s: the \"-----END\" line does not match \"-----BEGIN %.*s-----\"", what,
				    (int)label_len, label);
				goto out;
			}
			closed = 1;
			p = next;
			break;
		}
		if (memchr(p, ':', n) != NULL) {
			rc = sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: PEM headers (such as legacy OpenSSL encryption) are not supported", what);
			goto out;
		}
		if (n == 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: blank line inside the PEM block", what);
			goto out;
		}
		memcpy(b64 + b64_len, p, n);
		b64_len += n;
	}
	if (!closed) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: no \"-----END %.*s-----\" line", what,
		               (int)label_len, label);
		goto out;
	}
	while (p < end && is_space((unsigned char)*p))
		p++;
	if (p != end) {
		rc =
		    sn_seterr(e, SIGNET_EBADINPUT, "%s: %s after the PEM block", what,
		              has_prefix(p, (size_t)(end - p), begin) ? "another PEM block (one key per file)"
		                                                      : "trailing data");
		goto out;
	}
	if (b64_len == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: empty PEM block", what);
		goto out;
	}
	rc = sn_base64_decode(&der, &der_len, b64, b64_len);
	if (rc == SIGNET_ENOMEM) {
		rc = sn_enomem(e);
		goto out;
	}
	if (rc != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: the PEM block is not valid base64", what);
		goto out;
	}
	if ((lab = sn_strndup(label, label_len, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	out->label = lab;
	out->der = der;
	out->der_len = der_len;
	lab = NULL;
	der = NULL;
out:
	OPENSSL_clear_free(b64, len + 1);
	if (der != NULL)
		OPENSSL_clear_free(der, der_len + 1);
	free(lab);
	return rc;
}

/* ---- keys ------------------------------------------------------------ */

/* Whether an EC key carries explicit curve parameters.  They are refused,
 * as Go's x509 does: only a named curve says which curve it is. */
static int ec_explicit(const EVP_PKEY *key)
{
	char enc[32];
	size_t n = 0;

	if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, enc, sizeof(enc), &n) != 1) {
		ERR_clear_error();
		return 0; /* no encoding recorded: a named curve */
	}
	return strcmp(enc, OSSL_PKEY_EC_ENCODING_GROUP) != 0;
}

/* The digest an ECDSA key signs with, or NULL for a curve signet does
 * not accept.  Always SHA-256: containers/image signs and verifies
 * sigstore signatures with SHA-256 whatever the curve, so a P-384 or
 * P-521 signature over SHA-384/512 (newer cosign picks the hash by curve)
 * is one it refuses, and signet refuses it too (docs/differences.md). */
static const char *ec_digest(const EVP_PKEY *key, const char **curve)
{
	static const struct {
		const char *group;
		const char *name;
		const char *md;
	} curves[] = {
	    {"prime256v1", "P-256", "SHA256"},
	    {"secp384r1", "P-384", "SHA256"},
	    {"secp521r1", "P-521", "SHA256"},
	};
	char group[80];
	size_t n = 0;

	*curve = NULL;
	if (ec_explicit(key) || EVP_PKEY_get_group_name(key, group, sizeof(group), &n) != 1) {
		ERR_clear_error();
		return NULL;
	}
	for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (strcmp(group, curves[i].group) == 0) {
			*curve = curves[i].name;
			return curves[i].md;
		}
	return NULL;
}

int sn_sigstore_key_check(const struct evp_pkey_st *key, const char *what, struct sn_err *e)
{
	const char *curve, *type;
	char group[80];
	size_t n = 0;
	int bits;

	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_ED25519: return 0;
	case EVP_PKEY_EC:
		if (ec_digest(key, &curve) != NULL)
			return 0;
		if (ec_explicit(key) || EVP_PKEY_get_group_name(key, group, sizeof(group), &n) != 1) {
			ERR_clear_error();
			return sn_seterr(
			    e, SIGNET_EUNSUPPORTED,
			    "%s: an ECDSA key with explicit curve parameters (only the named curves "
			    "P-256, P-384 and P-521 are supported)",
			    what);
		}
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "%s: an ECDSA key on curve %s (only P-256, P-384 and P-521 are supported)",
		                 what, group);
	case EVP_PKEY_RSA:
		bits = EVP_PKEY_get_bits(key);
		if (bits >= 2048 && bits <= 4096)
			return 0;
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "%s: a %d-bit RSA key (2048 to 4096 bits are supported)", what, bits);
	case EVP_PKEY_RSA_PSS:
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "%s: an RSA-PSS key (RSA keys must be plain rsaEncryption keys, used with "
		                 "PKCS#1 v1.5)",
		                 what);
	default:
		type = EVP_PKEY_get0_type_name(key);
		return sn_seterr(
		    e, SIGNET_EUNSUPPORTED,
		    "%s: a key of type %s (ECDSA P-256/P-384/P-521, RSA and Ed25519 are supported)", what,
		    type != NULL ? type : "unknown");
	}
}

int sn_sigstore_key_id(char out[SN_SIGSTORE_KEY_ID_MAX], const struct evp_pkey_st *key, struct sn_err *e)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned char *der = NULL;
	int n;

	n = i2d_PUBKEY(key, &der);
	if (n <= 0) {
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EBADINPUT, "key: cannot encode its public key");
	}
	if (EVP_Digest(der, (size_t)n, md, NULL, EVP_sha256(), NULL) != 1) {
		OPENSSL_free(der);
		ERR_clear_error();
		return sn_enomem(e);
	}
	OPENSSL_free(der);
	memcpy(out, "SHA256:", 7);
	for (size_t i = 0; i < sizeof(md); i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[8 + 2 * i] = hex[md[i] & 15];
	}
	out[7 + 2 * sizeof(md)] = '\0';
	return 0;
}

const char *sn_sigstore_key_digest(const struct evp_pkey_st *key)
{
	const char *curve;

	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_EC: return ec_digest(key, &curve);
	case EVP_PKEY_RSA: return "SHA256";
	default: return NULL;
	}
}

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

static int sigstore_verify(void *state, const void *blob, size_t len, struct sn_buf *payload,
                           struct sn_signer *signer, struct sn_err *e)
{
	const struct sigstore_verifier *v = state;
	struct sn_signer who = {NULL, NULL, NULL};
	const struct pinned *by = NULL;
	const unsigned char *chunk;
	const char *mime, *pl, *sig_b64, *key;
	size_t chunk_len, mime_len, pl_len, sig_b64_len, body_len = 0, sig_len = 0;
	unsigned char *body = NULL, *sig = NULL;
	enum sn_sig_format fmt;
	struct sn_buf out;
	json_t *root = NULL, *ann, *val;
	int rc;

	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "signature blob is larger than the limit of %u bytes",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = sn_sig_detect(&fmt, &chunk, &chunk_len, blob, len, e)) != 0)
		return rc;
	if (fmt != SN_SIG_SIGSTORE_JSON)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "signature blob: an OpenPGP simple signing signature, not a sigstore one");
	if ((rc = sn_json_parse(&root, chunk, chunk_len, "signature blob", e)) != 0)
		return rc;
	if (!json_is_object(root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: the JSON is not an object");
		goto out;
	}
	json_object_foreach(root, key, val)
	{
		if (strcmp(key, "mimeType") != 0 && strcmp(key, "payload") != 0 &&
		    strcmp(key, "annotations") != 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: unknown member \"%.100s\"", key);
			goto out;
		}
	}
	if ((rc = string_member(&mime, &mime_len, root, "mimeType", e)) != 0 ||
	    (rc = string_member(&pl, &pl_len, root, "payload", e)) != 0)
		goto out;
	if (mime == NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: no mimeType");
		goto out;
	}
	if (mime_len != strlen(SN_SIGSTORE_MIME_TYPE) || strcmp(mime, SN_SIGSTORE_MIME_TYPE) != 0) {
		rc = sn_seterr(
		    e, SIGNET_EUNSUPPORTED,
		    "signature blob: mimeType \"%.100s\" is not a cosign simple signing signature (%s)", mime,
		    SN_SIGSTORE_MIME_TYPE);
		goto out;
	}
	if (pl == NULL || pl_len == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: %s payload",
		               pl == NULL ? "no" : "an empty");
		goto out;
	}
	ann = json_object_get(root, "annotations");
	if (ann == NULL || !json_is_object(ann)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: %s",
		               ann == NULL ? "no annotations" : "annotations is not an object");
		goto out;
	}
	json_object_foreach(ann, key, val)
	{
		if (!json_is_string(val)) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "signature blob: annotations.\"%.100s\" is not a string", key);
			goto out;
		}
	}
	if ((rc = string_member(&sig_b64, &sig_b64_len, ann, SN_SIGSTORE_SIGNATURE_ANNOTATION, e)) != 0)
		goto out;
	if (sig_b64 == NULL) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "signature blob: no %s annotation",
		               SN_SIGSTORE_SIGNATURE_ANNOTATION);
		goto out;
	}
	if (sig_b64_len > SN_SIGSTORE_MAX_SIGNATURE_B64) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "signature blob: the %s annotation is longer than %d characters",
		               SN_SIGSTORE_SIGNATURE_ANNOTATION, SN_SIGSTORE_MAX_SIGNATURE_B64);
		goto out;
	}
	if ((rc = sn_base64_decode(&sig, &sig_len, sig_b64, sig_b64_len)) != 0) {
		rc = rc == SIGNET_ENOMEM ? sn_enomem(e)
		                         : sn_seterr(e, SIGNET_EBADINPUT,
		                                     "signature blob: the %s annotation is not valid base64",
		                                     SN_SIGSTORE_SIGNATURE_ANNOTATION);
		goto out;
	}
	if ((rc = sn_base64_decode(&body, &body_len, pl, pl_len)) != 0) {
		rc = rc == SIGNET_ENOMEM
		         ? sn_enomem(e)
		         : sn_seterr(e, SIGNET_EBADINPUT, "signature blob: the payload is not valid base64");
		goto out;
	}
	for (size_t i = 0; i < v->n_keys && by == NULL; i++) {
		const struct pinned *k = &v->keys[i];
		int ok = check_one(k, k->md, sig, sig_len, body, body_len);

		if (ok < 0) {
			rc = sn_enomem(e);
			goto out;
		}
		if (ok)
			by = k;
	}
	if (by == NULL) {
		rc = v->n_keys == 1
		         ? sn_seterr(e, SIGNET_EDENIED,
		                     "signature: not signed by any pinned key (the pinned key is %s%s%s%s)",
		                     v->keys[0].id, v->keys[0].name != NULL ? " (" : "",
		                     v->keys[0].name != NULL ? v->keys[0].name : "",
		                     v->keys[0].name != NULL ? ")" : "")
		         : sn_seterr(e, SIGNET_EDENIED,
		                     "signature: not signed by any pinned key (%zu keys pinned)", v->n_keys);
		goto out;
	}
	if ((rc = sn_buf_append(&out, body, body_len, e)) != 0)
		goto out;
	if ((who.fingerprint = sn_strdup(by->id, e)) == NULL ||
	    (who.signing_fingerprint = sn_strdup(by->id, e)) == NULL ||
	    (by->name != NULL && (who.uid = sn_strdup(by->name, e)) == NULL)) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*payload = out;
	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	*signer = who;
	memset(&who, 0, sizeof(who));
out:
	sn_signer_clear(&who);
	sn_buf_free(&out);
	free(body);
	free(sig);
	json_decref(root);
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
