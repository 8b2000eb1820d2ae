/* SPDX-License-Identifier: Apache-2.0 */
/* sign/openpgp_sign.c: simple signing with the provider's GnuPG key, through gpgme. */
#include "sign.h"
#include "gpgme_lazy.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <pthread.h>

/* 64 hex digits (v5) + NUL */
#define FPR_MAX 65

/* Normalizes a fingerprint to upper-case hex; refuses anything else (a
 * user id or a short key id would let gpg pick a key by a loose match). */
/* ---- gpgme setup ----------------------------------------------------- */

static pthread_once_t gpgme_once = PTHREAD_ONCE_INIT;
static int gpgme_init_failed;

static void gpgme_init_once(void)
{
	/* Also makes gpgme ignore SIGPIPE if the application did not decide. */
	if (gpgme_check_version(NULL) == NULL || gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP) != 0)
		gpgme_init_failed = 1;
}

int sn_gpgme_init(struct sn_err *e)
{
	int rc;

	if ((rc = sn_gpgme_load(e)) != 0)
		return rc;
	if (pthread_once(&gpgme_once, gpgme_init_once) != 0 || gpgme_init_failed)
		return sn_seterr(e, SIGNET_EIO, "gpgme: no usable OpenPGP engine (is gpg installed?)");
	return 0;
}

static int normalize_fpr(char out[FPR_MAX], const char *in, struct sn_err *e)
{
	size_t n;

	if (in == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signing key: no fingerprint given");
	if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X'))
		in += 2;
	n = strlen(in);
	if (n != 40 && n != 64)
		return sn_seterr(e, SIGNET_EINVAL,
		                 "signing key \"%.80s\": not a fingerprint (40 or 64 hexadecimal digits)",
		                 in);
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)in[i]))
			return sn_seterr(
			    e, SIGNET_EINVAL,
			    "signing key \"%.80s\": not a fingerprint (40 or 64 hexadecimal digits)", in);
		out[i] = (char)toupper((unsigned char)in[i]);
	}
	out[n] = '\0';
	return 0;
}

SN_PRINTF(4, 5) static int gpgme_fail(struct sn_err *e, int code, gpgme_error_t err, const char *fmt, ...)
{
	char what[1024], reason[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (gpgme_strerror_r(err, reason, sizeof(reason)) != 0)
		(void)snprintf(reason, sizeof(reason), "gpgme error %u", (unsigned int)err);
	return sn_seterr(e, code, "%s: %s", what, reason);
}

struct passphrase {
	const unsigned char *data;
	size_t len;
	int asked;
};

/* gpg asks through loopback pinentry; answer once, refuse a second time
 * (the first answer was wrong) rather than loop. */
static gpgme_error_t passphrase_cb(void *hook, const char *uid_hint, const char *info, int prev_was_bad,
                                   int fd)
{
	struct passphrase *p = hook;

	(void)uid_hint;
	(void)info;
	if (prev_was_bad || p->asked)
		return gpgme_error(GPG_ERR_BAD_PASSPHRASE);
	p->asked = 1;
	if (gpgme_io_writen(fd, p->data, p->len) != 0 || gpgme_io_writen(fd, "\n", 1) != 0)
		return gpgme_error_from_syserror();
	return 0;
}

/* Copies and frees a gpgme memory data object into a bounded buffer. */
static int take_data(struct sn_buf *out, gpgme_data_t *d, struct sn_err *e)
{
	size_t n = 0;
	char *mem = gpgme_data_release_and_get_mem(*d, &n);
	int rc;

	*d = NULL;
	rc = sn_buf_append(out, mem != NULL ? mem : "", n, e);
	gpgme_free(mem);
	return rc;
}

/* Verifies sig against the signer's public key as a verifier would. */
static int self_check(gpgme_ctx_t ctx, const char *primary, const struct sn_buf *sig, const void *payload,
                      size_t len, struct sn_err *e)
{
	const char *name = "signer's public key";
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_buf key, got;
	gpgme_data_t kd = NULL;
	gpgme_error_t err;
	void *st = NULL;
	int rc;

	sn_buf_init(&key, SIGNET_MAX_POLICY_FILE_SIZE, "public key");
	sn_buf_init(&got, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	if ((err = gpgme_data_new(&kd)) != 0 || (err = gpgme_op_export(ctx, primary, 0, kd)) != 0) {
		rc = gpgme_fail(e, SIGNET_EIO, err, "exporting the public key %s", primary);
		goto out;
	}
	if ((rc = take_data(&key, &kd, e)) != 0)
		goto out;
	if ((rc = sn_openpgp_backend.verifier_new(&st, &key, &name, 1, e)) != 0 ||
	    (rc = sn_openpgp_backend.verify(st, sig->data, sig->len, &got, &who, e)) != 0) {
		(void)sn_errctx(e, "self-check of the new signature failed: ");
		goto out;
	}
	if (got.len != len || memcmp(got.data, payload, len) != 0 || strcmp(who.fingerprint, primary) != 0)
		rc = sn_seterr(
		    e, SIGNET_EIO,
		    "self-check of the new signature failed: it does not carry the payload or signer asked "
		    "for");
out:
	sn_openpgp_backend.verifier_free(st);
	sn_signer_clear(&who);
	sn_buf_free(&got);
	sn_buf_free(&key);
	gpgme_data_release(kd);
	return rc;
}

/* A gpgme context on gnupghome (NULL: gpg's default) and the secret key
 * fpr names in it; primary gets its primary key's fingerprint.  On
 * failure *ctx and *key may be set: the caller releases them. */
static int open_secret_key(gpgme_ctx_t *ctx, gpgme_key_t *key, char primary[FPR_MAX], const char *fpr,
                           const char *gnupghome, struct sn_err *e)
{
	const char *home = gnupghome != NULL ? gnupghome : "(gpg's default home)";
	gpgme_error_t err;

	if ((err = gpgme_new(ctx)) != 0 || (err = gpgme_set_protocol(*ctx, GPGME_PROTOCOL_OpenPGP)) != 0 ||
	    (gnupghome != NULL &&
	     (err = gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, gnupghome)) != 0))
		return gpgme_fail(e, SIGNET_EIO, err, "gpgme: setting up a context with GnuPG home %s", home);
	gpgme_set_armor(*ctx, 0);
	err = gpgme_get_key(*ctx, fpr, key, 1);
	if (gpgme_err_code(err) == GPG_ERR_EOF)
		return sn_seterr(e, SIGNET_ENOTFOUND, "signing key %s: no such secret key in GnuPG home %s",
		                 fpr, home);
	if (err != 0)
		return gpgme_fail(e,
		                  gpgme_err_code(err) == GPG_ERR_AMBIGUOUS_NAME ? SIGNET_EINVAL : SIGNET_EIO,
		                  err, "signing key %s in GnuPG home %s", fpr, home);
	if ((*key)->subkeys == NULL || (*key)->subkeys->fpr == NULL ||
	    strlen((*key)->subkeys->fpr) >= FPR_MAX)
		return sn_seterr(e, SIGNET_EIO, "signing key %s: gpg listed it without a fingerprint", fpr);
	memcpy(primary, (*key)->subkeys->fpr, strlen((*key)->subkeys->fpr) + 1);
	return 0;
}

int sn_openpgp_sign(struct sn_buf *sig, const char *fingerprint, const char *passphrase_file,
                    const char *gnupghome, const void *payload, size_t len, struct sn_err *e)
{
	struct passphrase pp = {NULL, 0, 0};
	unsigned char ppbuf[SN_PASSPHRASE_FILE_MAX];
	size_t pplen = 0;
	struct sn_buf out;
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key = NULL;
	gpgme_data_t in = NULL, sd = NULL;
	gpgme_sign_result_t sres;
	gpgme_error_t err;
	char fpr[FPR_MAX];
	char primary[FPR_MAX];
	int rc, n_sigs = 0;

	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature");
	if ((rc = normalize_fpr(fpr, fingerprint, e)) != 0)
		return rc;
	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "signature payload is larger than the limit of %u bytes",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = sn_gpgme_init(e)) != 0)
		return rc;
	if (passphrase_file != NULL) {
		if ((rc = sn_read_passphrase(ppbuf, &pplen, passphrase_file, e)) != 0)
			goto out;
		pp.data = ppbuf;
		pp.len = pplen;
	}
	if ((rc = open_secret_key(&ctx, &key, primary, fpr, gnupghome, e)) != 0)
		goto out;
	gpgme_set_textmode(ctx, 0);
	if (key->revoked || key->expired || key->disabled || key->invalid || !key->can_sign) {
		rc = sn_seterr(e, SIGNET_EINVAL, "signing key %s cannot sign: %s", fpr,
		               key->revoked    ? "it has been revoked"
		               : key->expired  ? "it has expired"
		               : key->disabled ? "it is disabled"
		               : key->invalid  ? "it is invalid"
		                               : "it has no usable signing (sub)key");
		goto out;
	}
	if ((err = gpgme_signers_add(ctx, key)) != 0) {
		rc = gpgme_fail(e, SIGNET_EIO, err, "signing key %s", fpr);
		goto out;
	}
	if (passphrase_file != NULL) {
		if ((err = gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK)) != 0) {
			rc = gpgme_fail(e, SIGNET_EIO, err, "gpgme: loopback pinentry");
			goto out;
		}
		gpgme_set_passphrase_cb(ctx, passphrase_cb, &pp);
	}
	if ((err = gpgme_data_new_from_mem(&in, payload, len, 0)) != 0 || (err = gpgme_data_new(&sd)) != 0) {
		rc = gpgme_fail(e, SIGNET_ENOMEM, err, "signing");
		goto out;
	}
	err = gpgme_op_sign(ctx, in, sd, GPGME_SIG_MODE_NORMAL);
	if (err != 0) {
		switch (gpgme_err_code(err)) {
		case GPG_ERR_BAD_PASSPHRASE:
		case GPG_ERR_CANCELED:
		case GPG_ERR_NO_PASSPHRASE:
			rc = sn_seterr(e, SIGNET_EINVAL, "signing with key %s: %s", fpr,
			               passphrase_file != NULL
			                   ? "bad passphrase (from the passphrase file)"
			                   : "no passphrase (gpg-agent could not ask for it)");
			break;
		default: rc = gpgme_fail(e, SIGNET_EIO, err, "signing with key %s", fpr);
		}
		goto out;
	}
	sres = gpgme_op_sign_result(ctx);
	if (sres == NULL || sres->invalid_signers != NULL) {
		rc = sn_seterr(e, SIGNET_EINVAL, "signing with key %s: gpg refused the key", fpr);
		goto out;
	}
	for (gpgme_new_signature_t s = sres->signatures; s != NULL; s = s->next)
		n_sigs++;
	if (n_sigs != 1) {
		rc = sn_seterr(e, SIGNET_EIO, "signing with key %s: gpg made %d signatures instead of one",
		               fpr, n_sigs);
		goto out;
	}
	if ((rc = take_data(&out, &sd, e)) != 0)
		goto out;
	if ((rc = self_check(ctx, primary, &out, payload, len, e)) != 0)
		goto out;
	*sig = out;
	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signature");
out:
	OPENSSL_cleanse(ppbuf, sizeof(ppbuf));
	sn_buf_free(&out);
	gpgme_data_release(in);
	gpgme_data_release(sd);
	gpgme_key_unref(key);
	gpgme_release(ctx);
	return rc;
}

int sn_openpgp_public_key(struct sn_buf *key, char *primary, const char *fingerprint, const char *gnupghome,
                          struct sn_err *e)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t k = NULL;
	gpgme_data_t kd = NULL;
	gpgme_error_t err;
	char fpr[FPR_MAX];
	int rc;

	_Static_assert(SN_OPENPGP_FPR_MAX == FPR_MAX, "fingerprint buffer");
	sn_buf_init(key, SIGNET_MAX_POLICY_FILE_SIZE, "public key");
	if ((rc = normalize_fpr(fpr, fingerprint, e)) != 0 || (rc = sn_gpgme_init(e)) != 0)
		return rc;
	if ((rc = open_secret_key(&ctx, &k, primary, fpr, gnupghome, e)) != 0)
		goto out;
	if ((err = gpgme_data_new(&kd)) != 0 || (err = gpgme_op_export(ctx, primary, 0, kd)) != 0) {
		rc = gpgme_fail(e, SIGNET_EIO, err, "exporting the public key %s", primary);
		goto out;
	}
	rc = take_data(key, &kd, e);
out:
	if (rc != 0)
		sn_buf_free(key);
	gpgme_data_release(kd);
	gpgme_key_unref(k);
	gpgme_release(ctx);
	return rc;
}
