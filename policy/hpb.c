/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/hpb.c: the hyper-protect-basic encryption format (IBM Hyper
 * Protect "Contract encryption"), decrypted: the contract's encrypted
 * sections (contract.c) and the encrypted attestation record
 * se-checksums.txt.enc (verify/attestation.c) share it.
 *
 * "hyper-protect-basic." + base64(RSA PKCS#1 v1.5 of PASSWORD) + "." +
 * base64(openssl enc -aes-256-cbc -pbkdf2 -pass stdin).  `-pass stdin`
 * makes the password the bytes up to the first newline or NUL (openssl
 * reads it as a line), so decryption cuts PASSWORD there as well; enc
 * -pbkdf2 means "Salted__" + 8 bytes of salt, then PBKDF2-HMAC-SHA256 with
 * 10000 iterations giving the 32-byte key and the 16-byte IV.
 */
#include "policy/policy.h"

#include "base/base64.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#define ENC_MAGIC             "Salted__"
#define ENC_SALT_LEN          8
#define ENC_HEADER_LEN        16    /* "Salted__" + salt */
#define ENC_PBKDF2_ITERATIONS 10000 /* openssl enc -pbkdf2's default */
#define ENC_KEY_LEN           32    /* AES-256 */
#define ENC_IV_LEN            16
#define AES_BLOCK             16

int sn_hpb_is_encrypted(const char *text, size_t len)
{
	return len >= strlen(SN_HPB_PREFIX) && memcmp(text, SN_HPB_PREFIX, strlen(SN_HPB_PREFIX)) == 0;
}

int sn_hpb_split(struct sn_hpb *out, const char *text, size_t len, const char *what, size_t line,
                 struct sn_err *e)
{
	const char *p1, *end = text + len, *dot;
	unsigned char *pw = NULL, *ct = NULL;
	size_t pwl = 0, ctl = 0;
	char at[48] = "";
	int rc;

	if (line != 0)
		(void)snprintf(at, sizeof(at), " (line %zu)", line);

	if (!sn_hpb_is_encrypted(text, len))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: does not start with \"%s\"%s", what, SN_HPB_PREFIX,
		                 at);
	p1 = text + strlen(SN_HPB_PREFIX);
	dot = memchr(p1, '.', (size_t)(end - p1));
	if (dot == NULL || dot == p1 || dot + 1 == end ||
	    memchr(dot + 1, '.', (size_t)(end - dot - 1)) != NULL)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: an encrypted section is hyper-protect-basic.<base64 password>.<base64 data>%s", what,
		    at);
	if ((rc = sn_base64_decode(&pw, &pwl, p1, (size_t)(dot - p1))) != 0 ||
	    (rc = sn_base64_decode(&ct, &ctl, dot + 1, (size_t)(end - dot - 1))) != 0) {
		rc = rc == SIGNET_ENOMEM
		         ? sn_enomem(e)
		         : sn_seterr(e, SIGNET_EBADINPUT,
		                     "%s: the encrypted %s of the hyper-protect-basic section is "
		                     "not base64%s",
		                     what, pw == NULL ? "password" : "data", at);
		sn_hpb_clear(&(struct sn_hpb){pw, pwl, ct, ctl});
		return rc;
	}
	out->epw = pw;
	out->epw_len = pwl;
	out->ct = ct;
	out->ct_len = ctl;
	return 0;
}

void sn_hpb_clear(struct sn_hpb *h)
{
	if (h->epw != NULL) {
		OPENSSL_cleanse(h->epw, h->epw_len);
		free(h->epw);
	}
	free(h->ct);
	memset(h, 0, sizeof(*h));
}

static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1; /* never prompt: a protected key is refused */
}

int sn_rsa_key_load(EVP_PKEY **out, const char *path, size_t max, const char *what, const char *why_rsa,
                    struct sn_err *e)
{
	struct sn_buf b;
	EVP_PKEY *k = NULL;
	BIO *bio;
	int rc;

	if ((rc = sn_file_read(&b, path, max, what, 0, e)) != 0)
		return rc;
	if (b.len <= INT_MAX && (bio = BIO_new_mem_buf(b.data, (int)b.len)) != NULL) {
		k = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
		BIO_free(bio);
	}
	sn_buf_wipe_free(&b);
	ERR_clear_error();
	if (k == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s %s: not a PEM private key, or protected by a passphrase (not supported)",
		                 what, path);
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
		EVP_PKEY_free(k);
		return sn_seterr(e, SIGNET_EBADINPUT, "%s %s: not an RSA key (%s)", what, path, why_rsa);
	}
	*out = k;
	return 0;
}

int sn_hpb_load_key(EVP_PKEY **out, const char *path, const char *what, struct sn_err *e)
{
	return sn_rsa_key_load(out, path, SIGNET_MAX_POLICY_FILE_SIZE, what,
	                       "hyper-protect-basic encrypts with RSA", e);
}

int sn_hpb_decrypt(unsigned char **plain, size_t *plain_len, EVP_PKEY *key, const char *key_path,
                   const struct sn_hpb *h, const struct sn_hpb_names *n, size_t line, struct sn_err *e)
{
	unsigned char kiv[ENC_KEY_LEN + ENC_IV_LEN];
	EVP_PKEY_CTX *pctx = NULL;
	EVP_CIPHER_CTX *cctx = NULL;
	unsigned char *pw = NULL, *out = NULL;
	size_t pw_cap = 0, pw_len = 0, pass_len, out_cap = 0;
	char at[48] = "";
	int n1 = 0, n2 = 0, rc;

	if (line != 0)
		(void)snprintf(at, sizeof(at), " (line %zu)", line);
	if (h->ct_len < ENC_HEADER_LEN + AES_BLOCK || memcmp(h->ct, ENC_MAGIC, strlen(ENC_MAGIC)) != 0 ||
	    (h->ct_len - ENC_HEADER_LEN) % AES_BLOCK != 0 || h->ct_len > INT_MAX)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: the encrypted data is not what `openssl enc -aes-256-cbc -pbkdf2` writes "
		    "(\"Salted__\", 8 bytes of salt, whole AES blocks)%s",
		    n->what, at);
	if ((pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (EVP_PKEY_decrypt_init(pctx) <= 0 || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_decrypt(pctx, NULL, &pw_cap, h->epw, h->epw_len) <= 0 || pw_cap == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: cannot decrypt the password with the private key %s%s", n->what, key_path,
		               at);
		goto out;
	}
	if ((pw = malloc(pw_cap)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	pw_len = pw_cap;
	if (EVP_PKEY_decrypt(pctx, pw, &pw_len, h->epw, h->epw_len) <= 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: cannot decrypt the password with the private key %s: not the key the %s "
		               "was encrypted for, or the %s is damaged%s",
		               n->what, key_path, n->subject, n->part, at);
		goto out;
	}
	/* openssl enc -pass stdin: the password is the first line. */
	for (pass_len = 0; pass_len < pw_len && pw[pass_len] != '\n' && pw[pass_len] != '\0'; pass_len++)
		;
	if (PKCS5_PBKDF2_HMAC((const char *)pw, (int)pass_len, h->ct + strlen(ENC_MAGIC), ENC_SALT_LEN,
	                      ENC_PBKDF2_ITERATIONS, EVP_sha256(), (int)sizeof(kiv), kiv) != 1) {
		rc = sn_enomem(e);
		goto out;
	}
	out_cap = h->ct_len - ENC_HEADER_LEN + AES_BLOCK + 1;
	if ((cctx = EVP_CIPHER_CTX_new()) == NULL || (out = malloc(out_cap)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (EVP_DecryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, kiv, kiv + ENC_KEY_LEN) != 1 ||
	    EVP_DecryptUpdate(cctx, out, &n1, h->ct + ENC_HEADER_LEN, (int)(h->ct_len - ENC_HEADER_LEN)) !=
	        1 ||
	    EVP_DecryptFinal_ex(cctx, out + n1, &n2) != 1) {
		rc = sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: cannot decrypt with the private key %s: not the key the %s was encrypted for, "
		    "or the %s is damaged%s",
		    n->what, key_path, n->subject, n->part, at);
		goto out;
	}
	out[n1 + n2] = '\0';
	*plain = out;
	*plain_len = (size_t)(n1 + n2);
	out = NULL;
	rc = 0;
out:
	OPENSSL_cleanse(kiv, sizeof(kiv));
	if (pw != NULL) {
		OPENSSL_cleanse(pw, pw_cap);
		free(pw);
	}
	if (out != NULL) {
		OPENSSL_cleanse(out, out_cap);
		free(out);
	}
	EVP_CIPHER_CTX_free(cctx);
	EVP_PKEY_CTX_free(pctx);
	ERR_clear_error();
	return rc;
}
