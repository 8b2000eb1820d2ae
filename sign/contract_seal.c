/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/contract_seal.c: signet_contract_seal (signet/contract.h): the
 * provider's side of IBM's "Contract encryption" and "Contract signature".
 *
 * What IBM documents and signet does (the reverse of policy/contract.c,
 * which decrypts and checks):
 *  - a section is encrypted with a random 32-byte password: the password
 *    is RSA-encrypted with the public key of the encryption certificate
 *    (`openssl rsautl -encrypt -certin`: PKCS#1 v1.5), the section's YAML
 *    with `openssl enc -aes-256-cbc -pbkdf2 -pass stdin` ("Salted__", 8
 *    bytes of salt, PBKDF2-HMAC-SHA256 with 10000 iterations giving the
 *    key and the IV, PKCS#7 padding), and the section becomes
 *    "hyper-protect-basic." + base64(password) + "." + base64(data);
 *  - `-pass stdin` keeps the bytes before the first newline or NUL (apps'
 *    app_get_pass reads one line with BIO_gets, cuts it at '\n', and a
 *    NUL ends the C string; a NUL first is "no password"), so a password
 *    holding either would be cut short by an openssl-based decrypter and
 *    not by others: signet draws again until the 32 bytes hold neither;
 *  - envWorkloadSignature: `openssl dgst -sha256 -sign KEY` (RSA PKCS#1
 *    v1.5, SHA-256) of the workload value followed by the env value, as
 *    written (the encrypted strings when encrypted), base64 on one line;
 *    env.signingKey holds the public key (or certificate) and must be in
 *    env before env is encrypted.
 */
#include "config.h"

#include "sign/sign.h"
#include "policy/policy.h"
#include "base/base64.h"
#include "base/ctx.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <signet/contract.h>

#define ENC_MAGIC             "Salted__"
#define ENC_SALT_LEN          8
#define ENC_PBKDF2_ITERATIONS 10000 /* openssl enc -pbkdf2's default */
#define ENC_KEY_LEN           32    /* AES-256 */
#define ENC_IV_LEN            16
#define AES_BLOCK             16
#define SEAL_PASSWORD_LEN     32 /* IBM: 32 random bytes */
/* Draws of a password before giving up; one draw is clean with
 * probability (254/256)^32 > 0.77, so 64 never all fail in practice. */
#define SEAL_PASSWORD_DRAWS 64

#define WHAT_SIGN_KEY    "--sign-key"
#define WHAT_SIGN_CERT   "--sign-cert"
#define WHAT_ENC_CERT    "--encrypt-cert"
#define WHAT_CA          "--ca"
#define WHAT_CRL         "--crl"
#define WHAT_OUTPUT_SIZE "sealed contract"

static const char *const section_names[SN_SECTIONS] = {"workload", "env"};

struct seal {
	const char *path;
	const signet_contract_seal_options *o;
	struct sn_err *e;
	EVP_PKEY *sign_key;
	X509 *sign_cert;
	EVP_PKEY *enc_key;     /* the encryption certificate's public key */
	char *signing_key_pem; /* what env.signingKey gets */
	struct sn_contract_facts in;
	/* The sealed values of workload and env (encrypted strings, or the
	 * plain YAML; a plain value is a secret). */
	struct sn_buf value[SN_SECTIONS];
	int sealed[SN_SECTIONS]; /* value is encrypted */
	char *signature;
	int env_unchecked; /* env was encrypted already: its signingKey unseen */
};

/* ---- files ----------------------------------------------------------- */

/* The bytes of a PEM file as a memory BIO (*bio the caller's; *b too,
 * wiped by the caller: it may be a private key). */
static int pem_file(BIO **bio, struct sn_buf *b, const char *path, const char *what, struct sn_err *e)
{
	int rc;

	if ((rc = sn_file_read(b, path, SIGNET_MAX_PKI_FILE_SIZE, what, 0, e)) != 0)
		return rc;
	if (b->len > INT_MAX || (*bio = BIO_new_mem_buf(b->data, (int)b->len)) == NULL) {
		sn_buf_wipe_free(b);
		return sn_enomem(e);
	}
	return 0;
}

static int load_sign_key(struct seal *s)
{
	return sn_rsa_key_load(&s->sign_key, s->o->sign_key, SIGNET_MAX_PKI_FILE_SIZE, WHAT_SIGN_KEY,
	                       "the contract signature is RSA PKCS#1 v1.5 / SHA-256", s->e);
}

/* One PEM certificate from path into *out (the caller's). */
static int load_cert(X509 **out, const char *path, const char *what, struct sn_err *e)
{
	struct sn_buf b;
	BIO *bio = NULL;
	int rc;

	if ((rc = pem_file(&bio, &b, path, what, e)) != 0)
		return rc;
	*out = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	sn_buf_free(&b);
	ERR_clear_error();
	if (*out == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s %s: not a PEM certificate", what, path);
	return 0;
}

/* The signing certificate: sign_key's, within its dates. */
static int load_sign_cert(struct seal *s)
{
	char who[SN_CONTRACT_WHO_MAX];
	int rc;

	if ((rc = load_cert(&s->sign_cert, s->o->sign_cert, WHAT_SIGN_CERT, s->e)) != 0)
		return rc;
	if (X509_check_private_key(s->sign_cert, s->sign_key) != 1) {
		ERR_clear_error();
		return sn_seterr(s->e, SIGNET_EBADINPUT,
		                 WHAT_SIGN_CERT " %s: not the certificate of " WHAT_SIGN_KEY " %s",
		                 s->o->sign_cert, s->o->sign_key);
	}
	(void)snprintf(who, sizeof(who), WHAT_SIGN_CERT " %s", s->o->sign_cert);
	return sn_contract_cert_dates(s->sign_cert, who, s->e);
}

/* What env.signingKey gets: the certificate, or the public key, as PEM. */
static int signing_key_pem(struct seal *s)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int ok;

	if (bio == NULL)
		return sn_enomem(s->e);
	ok = s->sign_cert != NULL ? PEM_write_bio_X509(bio, s->sign_cert)
	                          : PEM_write_bio_PUBKEY(bio, s->sign_key);
	n = BIO_get_mem_data(bio, &data);
	if (ok == 1 && n > 0)
		s->signing_key_pem = sn_strndup(data, (size_t)n, s->e);
	BIO_free(bio);
	ERR_clear_error();
	if (ok != 1 || n <= 0)
		return sn_seterr(s->e, SIGNET_ENOMEM, "cannot write the signing key as PEM");
	return s->signing_key_pem != NULL ? 0 : SIGNET_ENOMEM;
}

/* ---- the encryption certificate ------------------------------------- */

/* Adds the certificates (want_crls 0) or CRLs (1) of the PEM file path to
 * store; a file holding none is an error. */
static int store_add_file(X509_STORE *store, const char *path, int want_crls, struct sn_err *e)
{
	const char *what = want_crls ? WHAT_CRL : WHAT_CA;
	STACK_OF(X509_INFO) * infos;
	struct sn_buf b;
	BIO *bio = NULL;
	int rc, n = 0;

	if ((rc = pem_file(&bio, &b, path, what, e)) != 0)
		return rc;
	infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	BIO_free(bio);
	sn_buf_free(&b);
	for (int i = 0; infos != NULL && i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *in = sk_X509_INFO_value(infos, i);

		if (!want_crls && in->x509 != NULL) {
			if (X509_STORE_add_cert(store, in->x509) != 1)
				goto fail;
			n++;
		} else if (want_crls && in->crl != NULL) {
			if (X509_STORE_add_crl(store, in->crl) != 1)
				goto fail;
			n++;
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (n == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s %s: no PEM %s in it", what, path,
		                 want_crls ? "CRL (X509 CRL)" : "certificate");
	return 0;
fail:
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	return sn_seterr(e, SIGNET_EBADINPUT, "%s %s: cannot be used", what, path);
}

/* The encryption certificate, checked against the --ca files (every
 * certificate in them trusted: the intermediate alone pins it), with
 * dates and, with --crl files, the CRL of its issuer. */
static int load_encrypt_cert(struct seal *s)
{
	const signet_contract_seal_options *o = s->o;
	X509_STORE *store = NULL;
	X509_STORE_CTX *vctx = NULL;
	X509 *cert = NULL;
	unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
	int rc, err;

	if (o->n_ca_files == 0 || o->ca_files == NULL)
		return sn_seterr(s->e, SIGNET_EBADINPUT,
		                 WHAT_ENC_CERT
		                 " %s: no --ca given to check it with: give IBM's intermediate "
		                 "and root certificates (for a self-signed test certificate, the "
		                 "certificate itself)",
		                 o->encrypt_cert);
	if ((rc = load_cert(&cert, o->encrypt_cert, WHAT_ENC_CERT, s->e)) != 0)
		return rc;
	if ((store = X509_STORE_new()) == NULL || (vctx = X509_STORE_CTX_new()) == NULL) {
		rc = sn_enomem(s->e);
		goto out;
	}
	for (size_t i = 0; i < o->n_ca_files; i++)
		if ((rc = store_add_file(store, o->ca_files[i], 0, s->e)) != 0)
			goto out;
	for (size_t i = 0; i < o->n_crl_files; i++)
		if ((rc = store_add_file(store, o->crl_files[i], 1, s->e)) != 0)
			goto out;
	if (o->n_crl_files > 0)
		flags |= X509_V_FLAG_CRL_CHECK;
	if (X509_STORE_CTX_init(vctx, store, cert, NULL) != 1) {
		rc = sn_enomem(s->e);
		goto out;
	}
	X509_STORE_CTX_set_flags(vctx, flags);
	if (X509_verify_cert(vctx) != 1) {
		err = X509_STORE_CTX_get_error(vctx);
		rc = sn_seterr(s->e, SIGNET_EDENIED,
		               WHAT_ENC_CERT " %s: not trusted: %s (at depth %d of its chain; checked "
		                             "against the --ca%s files given)",
		               o->encrypt_cert, X509_verify_cert_error_string(err),
		               X509_STORE_CTX_get_error_depth(vctx), o->n_crl_files > 0 ? " and --crl" : "");
		goto out;
	}
	if ((s->enc_key = X509_get_pubkey(cert)) == NULL ||
	    EVP_PKEY_get_base_id(s->enc_key) != EVP_PKEY_RSA) {
		rc = sn_seterr(s->e, SIGNET_EBADINPUT,
		               WHAT_ENC_CERT " %s: not an RSA key (hyper-protect-basic encrypts with RSA)",
		               o->encrypt_cert);
		goto out;
	}
	rc = 0;
out:
	X509_STORE_CTX_free(vctx);
	X509_STORE_free(store);
	X509_free(cert);
	ERR_clear_error();
	return rc;
}

/* ---- writing YAML ---------------------------------------------------- */

/* Appends "key: value\n", the value (len bytes) plain when it is one line
 * of base64 characters and dots (encrypted sections, signatures), else a
 * literal block whose value is exactly the bytes: clip, strip or keep
 * chomping after the trailing newlines, an indentation indicator when the
 * first line with text starts with a space.  What libyaml cannot read
 * back that way (CR, control characters) the final read-back refuses. */
static int append_scalar(struct sn_buf *out, const char *key, const char *v, size_t len, struct sn_err *e)
{
	size_t trail = 0, i, start;
	int plain = len > 0, indicator = 0, rc;
	char header[16];

	for (i = 0; i < len && plain; i++)
		plain = (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') ||
		        (v[i] >= '0' && v[i] <= '9') || v[i] == '+' || v[i] == '/' || v[i] == '=' ||
		        v[i] == '.' || v[i] == '-' || v[i] == '_';
	if ((rc = sn_buf_append_str(out, key, e)) != 0 || (rc = sn_buf_append_str(out, ":", e)) != 0)
		return rc;
	if (plain) {
		if ((rc = sn_buf_append_str(out, " ", e)) != 0 || (rc = sn_buf_append(out, v, len, e)) != 0)
			return rc;
		return sn_buf_append_str(out, "\n", e);
	}
	while (trail < len && v[len - 1 - trail] == '\n')
		trail++;
	for (i = 0; i < len && (v[i] == '\n' || v[i] == ' '); i++)
		if (v[i] == ' ')
			indicator = 1;
	(void)snprintf(header, sizeof(header), " |%s%s\n", indicator ? "2" : "",
	               trail == 0   ? "-"
	               : trail == 1 ? ""
	                            : "+");
	if ((rc = sn_buf_append_str(out, header, e)) != 0)
		return rc;
	for (start = 0; start < len;) {
		const char *nl = memchr(v + start, '\n', len - start);
		size_t n = nl != NULL ? (size_t)(nl - (v + start)) : len - start;

		if (n > 0 && ((rc = sn_buf_append_str(out, "  ", e)) != 0 ||
		              (rc = sn_buf_append(out, v + start, n, e)) != 0))
			return rc;
		if ((rc = sn_buf_append_str(out, "\n", e)) != 0)
			return rc;
		start += n + 1;
	}
	return 0;
}

/* ---- env.signingKey -------------------------------------------------- */

/* The env YAML text of s->in with signingKey appended: a block mapping
 * only.  Checked by reading it back (the guest's reader) in a contract of
 * its own: signingKey must come out as written. */
static int add_signing_key(struct seal *s, struct sn_buf *env)
{
	const char *t = s->in.text[SN_SECTION_ENV];
	size_t len = s->in.text_len[SN_SECTION_ENV];
	struct sn_contract_facts back;
	struct sn_buf probe;
	int rc;

	if ((rc = sn_buf_append(env, t, len, s->e)) != 0 ||
	    (len > 0 && t[len - 1] != '\n' && (rc = sn_buf_append_str(env, "\n", s->e)) != 0) ||
	    (rc = append_scalar(env, "signingKey", s->signing_key_pem, strlen(s->signing_key_pem), s->e)) !=
	        0)
		return rc;
	sn_buf_init(&probe, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_OUTPUT_SIZE);
	if ((rc = sn_buf_append_str(&probe, "workload: \"type: workload\"\n", s->e)) != 0 ||
	    (rc = append_scalar(&probe, "env", (const char *)env->data, env->len, s->e)) != 0)
		goto out;
	rc = sn_contract_inspect(&back, probe.data, probe.len, s->path, NULL, s->e);
	if (rc == SIGNET_ENOMEM)
		goto out;
	if (rc != 0 || back.signing_key == NULL || strcmp(back.signing_key, s->signing_key_pem) != 0)
		rc = sn_seterr(s->e, SIGNET_EBADINPUT,
		               "contract %s: env: signingKey cannot be added to this env section (write env "
		               "as a block mapping, or add signingKey yourself)",
		               s->path);
	sn_contract_facts_clear(&back);
out:
	sn_buf_wipe_free(&probe);
	return rc;
}

/* env's signingKey: added when absent; when present it must be sign_key's
 * (sign_cert itself with sign_cert); an encrypted env is not seen. */
static int env_signing_key(struct seal *s, struct sn_buf *env)
{
	char who[SN_CONTRACT_WHO_MAX];
	EVP_PKEY *k = NULL;
	X509 *cert = NULL;
	int rc;

	if (s->in.form[SN_SECTION_ENV] == SN_FORM_ENCRYPTED) {
		s->env_unchecked = 1;
		return 0;
	}
	if (s->in.signing_key == NULL)
		return add_signing_key(s, env);
	(void)snprintf(who, sizeof(who), "contract %s: env.signingKey", s->path);
	if ((rc = sn_contract_signing_key(&k, &cert, who, s->in.signing_key, strlen(s->in.signing_key),
	                                  s->e)) != 0)
		return rc;
	if (EVP_PKEY_eq(k, s->sign_key) != 1)
		rc = sn_seterr(s->e, SIGNET_EBADINPUT,
		               "%s is not the public key of " WHAT_SIGN_KEY " %s (the guest checks the "
		               "signature with it): sign with its key, or remove signingKey to have it set",
		               who, s->o->sign_key);
	else if (s->sign_cert != NULL && (cert == NULL || X509_cmp(cert, s->sign_cert) != 0))
		rc = sn_seterr(s->e, SIGNET_EBADINPUT,
		               "%s is not the certificate " WHAT_SIGN_CERT " %s (the contract's expiry comes "
		               "from the certificate in env): remove signingKey to have it set",
		               who, s->o->sign_cert);
	else if (cert != NULL)
		rc = sn_contract_cert_dates(cert, who, s->e);
	EVP_PKEY_free(k);
	X509_free(cert);
	ERR_clear_error();
	if (rc == 0)
		rc = sn_buf_append(env, s->in.text[SN_SECTION_ENV], s->in.text_len[SN_SECTION_ENV], s->e);
	return rc;
}

/* ---- encryption ------------------------------------------------------ */

/* A password openssl enc -pass stdin reads whole: no newline, no NUL. */
static int draw_password(unsigned char pw[SEAL_PASSWORD_LEN], struct sn_err *e)
{
	for (int draw = 0; draw < SEAL_PASSWORD_DRAWS; draw++) {
		if (RAND_priv_bytes(pw, SEAL_PASSWORD_LEN) != 1)
			break;
		if (memchr(pw, '\n', SEAL_PASSWORD_LEN) == NULL &&
		    memchr(pw, '\0', SEAL_PASSWORD_LEN) == NULL)
			return 0;
	}
	OPENSSL_cleanse(pw, SEAL_PASSWORD_LEN);
	ERR_clear_error();
	return sn_seterr(e, SIGNET_EIO, "cannot draw a random password (the random generator failed)");
}

/* out gets "hyper-protect-basic.<b64 RSA(password)>.<b64 blob>" of the
 * plaintext (len bytes) for the encryption certificate's key. */
static int hpb_encrypt(struct seal *s, struct sn_buf *out, const unsigned char *plain, size_t len)
{
	unsigned char pw[SEAL_PASSWORD_LEN], kiv[ENC_KEY_LEN + ENC_IV_LEN];
	unsigned char *epw = NULL, *blob = NULL;
	size_t epw_len = 0, blob_cap, hdr = strlen(ENC_MAGIC) + ENC_SALT_LEN;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_CIPHER_CTX *cctx = NULL;
	int n1 = 0, n2 = 0, rc;

	if (len > INT_MAX - 2 * AES_BLOCK - hdr)
		return sn_seterr(s->e, SIGNET_ELIMIT, "a section of %zu bytes is too large to encrypt", len);
	blob_cap = hdr + len + AES_BLOCK;
	if ((rc = draw_password(pw, s->e)) != 0)
		return rc;
	if ((blob = malloc(blob_cap)) == NULL ||
	    (pctx = EVP_PKEY_CTX_new_from_pkey(NULL, s->enc_key, NULL)) == NULL ||
	    (cctx = EVP_CIPHER_CTX_new()) == NULL) {
		rc = sn_enomem(s->e);
		goto out;
	}
	memcpy(blob, ENC_MAGIC, strlen(ENC_MAGIC));
	if (EVP_PKEY_encrypt_init(pctx) <= 0 || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_encrypt(pctx, NULL, &epw_len, pw, sizeof(pw)) <= 0 || (epw = malloc(epw_len)) == NULL ||
	    EVP_PKEY_encrypt(pctx, epw, &epw_len, pw, sizeof(pw)) <= 0 ||
	    RAND_bytes(blob + strlen(ENC_MAGIC), ENC_SALT_LEN) != 1 ||
	    PKCS5_PBKDF2_HMAC((const char *)pw, (int)sizeof(pw), blob + strlen(ENC_MAGIC), ENC_SALT_LEN,
	                      ENC_PBKDF2_ITERATIONS, EVP_sha256(), (int)sizeof(kiv), kiv) != 1 ||
	    EVP_EncryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, kiv, kiv + ENC_KEY_LEN) != 1 ||
	    EVP_EncryptUpdate(cctx, blob + hdr, &n1, plain, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(cctx, blob + hdr + n1, &n2) != 1) {
		rc = sn_seterr(s->e, SIGNET_EBADINPUT,
		               WHAT_ENC_CERT " %s: cannot encrypt with its key (too small for a 32-byte "
		                             "password?)",
		               s->o->encrypt_cert);
		goto out;
	}
	if ((rc = sn_buf_append_str(out, SN_HPB_PREFIX, s->e)) != 0 ||
	    (rc = sn_base64_encode(out, epw, epw_len, 0, s->e)) != 0 ||
	    (rc = sn_buf_append_str(out, ".", s->e)) != 0 ||
	    (rc = sn_base64_encode(out, blob, hdr + (size_t)n1 + (size_t)n2, 0, s->e)) != 0)
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(kiv, sizeof(kiv));
	free(epw);
	if (blob != NULL) {
		OPENSSL_cleanse(blob, blob_cap);
		free(blob);
	}
	EVP_CIPHER_CTX_free(cctx);
	EVP_PKEY_CTX_free(pctx);
	ERR_clear_error();
	return rc;
}

/* ---- the seal -------------------------------------------------------- */

/* The sealed value of section i: kept when encrypted already, encrypted
 * when chosen, else the YAML text itself.  plain is the text (env with
 * its signingKey). */
static int seal_section(struct seal *s, int i, const unsigned char *plain, size_t len, unsigned sections)
{
	unsigned bit = i == SN_SECTION_WORKLOAD ? SIGNET_SEAL_WORKLOAD : SIGNET_SEAL_ENV;

	sn_buf_init(&s->value[i], SIGNET_MAX_POLICY_FILE_SIZE, WHAT_OUTPUT_SIZE);
	if (s->in.form[i] == SN_FORM_ENCRYPTED) {
		s->sealed[i] = 1;
		return sn_buf_append(&s->value[i], s->in.value[i], s->in.value_len[i], s->e);
	}
	if (sections & bit) {
		s->sealed[i] = 1;
		return hpb_encrypt(s, &s->value[i], plain, len);
	}
	return sn_buf_append(&s->value[i], plain, len, s->e);
}

/* envWorkloadSignature over the two values. */
static int sign_values(struct seal *s)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char *sig = NULL;
	struct sn_buf b64;
	size_t n = 0;
	int rc;

	sn_buf_init(&b64, SIGNET_MAX_POLICY_FILE_SIZE, "envWorkloadSignature");
	if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, s->sign_key) != 1 ||
	    EVP_DigestSignUpdate(md, s->value[0].data, s->value[0].len) != 1 ||
	    EVP_DigestSignUpdate(md, s->value[1].data, s->value[1].len) != 1 ||
	    EVP_DigestSignFinal(md, NULL, &n) != 1 || (sig = malloc(n)) == NULL ||
	    EVP_DigestSignFinal(md, sig, &n) != 1) {
		rc = sn_seterr(s->e, SIGNET_EBADINPUT, WHAT_SIGN_KEY " %s: cannot sign with it",
		               s->o->sign_key);
		goto out;
	}
	if ((rc = sn_base64_encode(&b64, sig, n, 0, s->e)) != 0 ||
	    (rc = sn_buf_append(&b64, "", 1, s->e)) != 0)
		goto out;
	s->signature = (char *)sn_buf_steal(&b64, NULL);
out:
	sn_buf_free(&b64);
	free(sig);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return rc;
}

static int same(const char *a, size_t alen, const void *b, size_t blen)
{
	return a != NULL && alen == blen && memcmp(a, b, alen) == 0;
}

/* The sealed contract read back by the guest's reader: each value and
 * attestationPublicKey as meant, and the signature verifying with the key
 * put in env (read back too when env is plain). */
static int read_back(struct seal *s, const struct sn_buf *out)
{
	struct sn_contract_facts f;
	const char *key;
	int rc, ok = 1;

	if ((rc = sn_contract_inspect(&f, out->data, out->len, s->path, NULL, s->e)) != 0) {
		if (rc != SIGNET_ENOMEM)
			sn_errctx(s->e, "the sealed contract does not read back: ");
		return rc;
	}
	for (int i = 0; i < SN_SECTIONS; i++)
		ok &= f.form[i] == (s->sealed[i] ? SN_FORM_ENCRYPTED : SN_FORM_STRING) &&
		      same(f.value[i], f.value_len[i], s->value[i].data, s->value[i].len);
	ok &= s->in.attestation_key == NULL || same(f.attestation_key, f.attestation_key_len,
	                                            s->in.attestation_key, s->in.attestation_key_len);
	key = s->sealed[SN_SECTION_ENV] ? s->signing_key_pem : f.signing_key;
	if (!ok || key == NULL) {
		rc = sn_seterr(s->e, SIGNET_EBADINPUT,
		               "contract %s: a section cannot be written back as the same YAML string "
		               "(carriage returns or control characters in it?)",
		               s->path);
	} else if (s->env_unchecked) {
		rc = 0; /* its signingKey is in the encrypted env: not ours to read */
	} else {
		rc = sn_contract_sig_check(s->path, f.signature, strlen(f.signature), f.value[0],
		                           f.value_len[0], f.value[1], f.value_len[1], key, strlen(key), NULL,
		                           s->e);
		if (rc != 0 && rc != SIGNET_ENOMEM)
			sn_errctx(s->e, "the sealed contract does not verify: ");
	}
	sn_contract_facts_clear(&f);
	return rc;
}

static int write_contract(struct seal *s, struct sn_buf *out)
{
	int rc;

	for (int i = 0; i < SN_SECTIONS; i++)
		if ((rc = append_scalar(out, section_names[i], (const char *)s->value[i].data,
		                        s->value[i].len, s->e)) != 0)
			return rc;
	if (s->in.attestation_key != NULL &&
	    (rc = append_scalar(out, "attestationPublicKey", s->in.attestation_key, s->in.attestation_key_len,
	                        s->e)) != 0)
		return rc;
	return append_scalar(out, "envWorkloadSignature", s->signature, strlen(s->signature), s->e);
}

static int seal(struct seal *s, struct sn_buf *out)
{
	unsigned sections = s->o->sections != 0 ? s->o->sections : SIGNET_SEAL_WORKLOAD | SIGNET_SEAL_ENV;
	struct sn_buf contract, env;
	int rc;

	sn_buf_init(&env, SIGNET_MAX_POLICY_FILE_SIZE, "env section");
	if ((rc = sn_file_read(&contract, s->path, SIGNET_MAX_POLICY_FILE_SIZE, "contract", 0, s->e)) != 0)
		return rc;
	rc = sn_contract_inspect(&s->in, contract.data, contract.len, s->path, NULL, s->e);
	sn_buf_wipe_free(&contract);
	if (rc != 0)
		return rc;
	if ((rc = load_sign_key(s)) != 0 || (s->o->sign_cert != NULL && (rc = load_sign_cert(s)) != 0) ||
	    (rc = signing_key_pem(s)) != 0 || (rc = load_encrypt_cert(s)) != 0 ||
	    (rc = env_signing_key(s, &env)) != 0)
		goto out;
	if ((rc = seal_section(s, SN_SECTION_WORKLOAD, (const unsigned char *)s->in.text[SN_SECTION_WORKLOAD],
	                       s->in.text_len[SN_SECTION_WORKLOAD], sections)) != 0 ||
	    (rc = seal_section(s, SN_SECTION_ENV, env.data, env.len, sections)) != 0 ||
	    (rc = sign_values(s)) != 0 || (rc = write_contract(s, out)) != 0)
		goto out;
	rc = read_back(s, out);
out:
	sn_buf_wipe_free(&env);
	return rc;
}

int signet_contract_seal(char **yaml, size_t *len, signet_ctx *ctx, const char *path,
                         const signet_contract_seal_options *opts)
{
	struct seal s;
	struct sn_buf out;
	size_t n = 0;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	sn_err_clear(&ctx->err);
	if (yaml == NULL || len == NULL || path == NULL || opts == NULL)
		return sn_seterr(&ctx->err, SIGNET_EINVAL, "signet_contract_seal: NULL argument");
	if (opts->version != SIGNET_CONTRACT_SEAL_OPTIONS_VERSION)
		return sn_seterr(&ctx->err, SIGNET_EINVAL, "signet_contract_seal: options version %u unknown",
		                 opts->version);
	if (opts->encrypt_cert == NULL || opts->sign_key == NULL)
		return sn_seterr(&ctx->err, SIGNET_EINVAL,
		                 "contract seal needs the encryption certificate and the signing key");
	if ((opts->sections & ~(SIGNET_SEAL_WORKLOAD | SIGNET_SEAL_ENV)) != 0)
		return sn_seterr(&ctx->err, SIGNET_EINVAL, "signet_contract_seal: unknown sections 0x%x",
		                 opts->sections);
	memset(&s, 0, sizeof(s));
	s.path = path;
	s.o = opts;
	s.e = &ctx->err;
	sn_buf_init(&out, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_OUTPUT_SIZE);
	for (int i = 0; i < SN_SECTIONS; i++)
		sn_buf_init(&s.value[i], SIGNET_MAX_POLICY_FILE_SIZE, WHAT_OUTPUT_SIZE);
	if ((rc = seal(&s, &out)) == 0 && (rc = sn_buf_append(&out, "", 1, s.e)) == 0) {
		*yaml = (char *)sn_buf_steal(&out, &n);
		*len = n - 1;
	}
	sn_buf_wipe_free(&out);
	for (int i = 0; i < SN_SECTIONS; i++)
		sn_buf_wipe_free(&s.value[i]);
	sn_contract_facts_clear(&s.in);
	EVP_PKEY_free(s.sign_key);
	EVP_PKEY_free(s.enc_key);
	X509_free(s.sign_cert);
	free(s.signing_key_pem);
	free(s.signature);
	return rc;
}
