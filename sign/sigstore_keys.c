/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/sigstore_keys.c: private keys for sigstore signing: PEM PKCS#8
 * (plain or encrypted) and cosign's scrypt + nacl/secretbox format, read
 * and generated.
 */
#include "sign.h"
#include "base/pgp.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#if SIGNET_HAVE_SODIUM
#include "sodium_lazy.h"
#endif

#define COSIGN_SALT_SIZE  32
#define COSIGN_NONCE_SIZE 24 /* crypto_secretbox_NONCEBYTES */
#define COSIGN_KEY_SIZE   32 /* crypto_secretbox_KEYBYTES */
#define COSIGN_MAC_SIZE   16 /* crypto_secretbox_MACBYTES */
/* The longest salt read (cosign writes 32 bytes). */
#define COSIGN_SALT_MAX 1024
/* Memory scrypt may use: 128 * r * N bytes plus a little, 128 MiB for
 * the largest N accepted.  OpenSSL's default (32 MiB) is too small even
 * for N = 32768. */
#define COSIGN_SCRYPT_MAXMEM (256u * 1024u * 1024u)

#define PEM_SIGSTORE "ENCRYPTED SIGSTORE PRIVATE KEY"
#define PEM_COSIGN   "ENCRYPTED COSIGN PRIVATE KEY"

#if SIGNET_HAVE_SODIUM
_Static_assert(COSIGN_NONCE_SIZE == crypto_secretbox_NONCEBYTES, "nonce size");
_Static_assert(COSIGN_KEY_SIZE == crypto_secretbox_KEYBYTES, "key size");
_Static_assert(COSIGN_MAC_SIZE == crypto_secretbox_MACBYTES, "MAC size");
#endif

/* ---- files ------------------------------------------------------------ */

/* ---- cosign's encrypted format ------------------------------------------ */

#if SIGNET_HAVE_SODIUM

static int scrypt_n_ok(uint64_t n)
{
	return n == 32768 || n == 65536 || n == 131072;
}

/* Refuses members of o other than the n names given. */
static int only_members(json_t *o, const char *const *names, size_t n, const char *path, const char *what,
                        struct sn_err *e)
{
	const char *key;
	json_t *v;

	if (!json_is_object(o))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s is not an object", what, path);
	json_object_foreach(o, key, v)
	{
		size_t i;

		for (i = 0; i < n && strcmp(key, names[i]) != 0; i++)
			;
		if (i == n)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: unknown member %s.\"%.64s\"", what, path,
			                 key);
	}
	for (size_t i = 0; i < n; i++)
		if (json_object_get(o, names[i]) == NULL)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s has no \"%s\"", what, path, names[i]);
	return 0;
}

static int get_string(const char **out, size_t *len, json_t *o, const char *name, const char *path,
                      const char *what, struct sn_err *e)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_string(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s is not a string", what, path, name);
	*out = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

/* Decodes the base64 member path.name into *out (malloc'd). */
static int get_b64(unsigned char **out, size_t *out_len, json_t *o, const char *name, const char *path,
                   const char *what, struct sn_err *e)
{
	const char *s;
	size_t n;
	int rc;

	if ((rc = get_string(&s, &n, o, name, path, what, e)) != 0)
		return rc;
	rc = sn_base64_decode(out, out_len, s, n);
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s is not valid base64", what, path, name);
	return 0;
}

static int get_int(json_int_t *out, json_t *o, const char *name, const char *what, struct sn_err *e)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_integer(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: kdf.params.%s is not an integer", what, name);
	*out = json_integer_value(v);
	return 0;
}

static int scrypt_key(unsigned char key[COSIGN_KEY_SIZE], const unsigned char *pass, size_t pass_len,
                      const unsigned char *salt, size_t salt_len, uint64_t n, struct sn_err *e)
{
	if (EVP_PBE_scrypt((const char *)(pass != NULL ? pass : (const unsigned char *)""), pass_len, salt,
	                   salt_len, n, 8, 1, COSIGN_SCRYPT_MAXMEM, key, COSIGN_KEY_SIZE) != 1) {
		ERR_clear_error();
		return sn_seterr(e, SIGNET_ENOMEM, "scrypt key derivation failed (out of memory?)");
	}
	return 0;
}

int sn_cosign_decrypt(unsigned char **plain, size_t *plain_len, const void *json, size_t json_len,
                      const unsigned char *passphrase, size_t passphrase_len, const char *what,
                      struct sn_err *e)
{
	static const char *const top[] = {"kdf", "cipher", "ciphertext"};
	static const char *const kdf_m[] = {"name", "params", "salt"};
	static const char *const params_m[] = {"N", "r", "p"};
	static const char *const cipher_m[] = {"name", "nonce"};
	unsigned char key[COSIGN_KEY_SIZE];
	unsigned char *salt = NULL, *nonce = NULL, *ct = NULL, *pt = NULL;
	size_t salt_len = 0, nonce_len = 0, ct_len = 0, name_len;
	json_t *root = NULL, *kdf, *params, *cipher;
	json_int_t n, r, p;
	const char *name;
	int rc;

	if ((rc = sn_sodium_load(e)) != 0)
		return rc;
	if ((rc = sn_json_parse(&root, json, json_len, what, e)) != 0)
		return rc;
	if ((rc = only_members(root, top, 3, "the key", what, e)) != 0)
		goto out;
	kdf = json_object_get(root, "kdf");
	cipher = json_object_get(root, "cipher");
	if ((rc = only_members(kdf, kdf_m, 3, "kdf", what, e)) != 0 ||
	    (rc = only_members(cipher, cipher_m, 2, "cipher", what, e)) != 0)
		goto out;
	params = json_object_get(kdf, "params");
	if ((rc = only_members(params, params_m, 3, "kdf.params", what, e)) != 0)
		goto out;
	if ((rc = get_string(&name, &name_len, kdf, "name", "kdf", what, e)) != 0)
		goto out;
	if (strcmp(name, "scrypt") != 0 || name_len != strlen("scrypt")) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED, "%s: unsupported key derivation \"%.64s\" (scrypt is)",
		               what, name);
		goto out;
	}
	if ((rc = get_string(&name, &name_len, cipher, "name", "cipher", what, e)) != 0)
		goto out;
	if (strcmp(name, "nacl/secretbox") != 0 || name_len != strlen("nacl/secretbox")) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED, "%s: unsupported cipher \"%.64s\" (nacl/secretbox is)",
		               what, name);
		goto out;
	}
	if ((rc = get_int(&n, params, "N", what, e)) != 0 || (rc = get_int(&r, params, "r", what, e)) != 0 ||
	    (rc = get_int(&p, params, "p", what, e)) != 0)
		goto out;
	/* Fixed parameters, as go-securesystemslib checks them: otherwise a
	 * key file could make signet spend any amount of memory and time. */
	if (n < 0 || !scrypt_n_ok((uint64_t)n) || r != 8 || p != 1) {
		rc = sn_seterr(
		    e, SIGNET_EUNSUPPORTED,
		    "%s: unsupported scrypt parameters N=%lld, r=%lld, p=%lld (N must be 32768, 65536 "
		    "or 131072, r 8 and p 1)",
		    what, (long long)n, (long long)r, (long long)p);
		goto out;
	}
	if ((rc = get_b64(&salt, &salt_len, kdf, "salt", "kdf", what, e)) != 0 ||
	    (rc = get_b64(&nonce, &nonce_len, cipher, "nonce", "cipher", what, e)) != 0 ||
	    (rc = get_b64(&ct, &ct_len, root, "ciphertext", "the key", what, e)) != 0)
		goto out;
	if (salt_len > COSIGN_SALT_MAX) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: kdf.salt is longer than %d bytes", what,
		               COSIGN_SALT_MAX);
		goto out;
	}
	if (nonce_len != COSIGN_NONCE_SIZE) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: cipher.nonce is %zu bytes, not %d", what, nonce_len,
		               COSIGN_NONCE_SIZE);
		goto out;
	}
	if (ct_len <= COSIGN_MAC_SIZE) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: the ciphertext is too short", what);
		goto out;
	}
	if ((rc = scrypt_key(key, passphrase, passphrase_len, salt, salt_len, (uint64_t)n, e)) != 0)
		goto out;
	if ((pt = malloc(ct_len - COSIGN_MAC_SIZE + 1)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (crypto_secretbox_open_easy(pt, ct, ct_len, nonce, key) != 0) {
		rc = sn_seterr(e, SIGNET_EINVAL, "wrong passphrase for %s (or a damaged key)", what);
		goto out;
	}
	pt[ct_len - COSIGN_MAC_SIZE] = '\0';
	*plain = pt;
	*plain_len = ct_len - COSIGN_MAC_SIZE;
	pt = NULL;
out:
	OPENSSL_cleanse(key, sizeof(key));
	if (pt != NULL)
		OPENSSL_clear_free(pt, ct_len - COSIGN_MAC_SIZE + 1);
	free(salt);
	free(nonce);
	free(ct);
	json_decref(root);
	return rc;
}

/* Appends base64 of data to a malloc'd NUL-terminated string. */
static char *b64(const unsigned char *data, size_t len, struct sn_err *e)
{
	char *s;

	if (len > (size_t)INT32_MAX / 2 || (s = malloc((len + 2) / 3 * 4 + 1)) == NULL) {
		(void)sn_enomem(e);
		return NULL;
	}
	(void)EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	return s;
}

int sn_cosign_encrypt(struct sn_buf *out, const unsigned char *plain, size_t plain_len,
                      const unsigned char *passphrase, size_t passphrase_len, uint64_t n, struct sn_err *e)
{
	unsigned char salt[COSIGN_SALT_SIZE], nonce[COSIGN_NONCE_SIZE], key[COSIGN_KEY_SIZE];
	char *salt_s = NULL, *nonce_s = NULL, *ct_s = NULL, *text = NULL;
	unsigned char *ct = NULL;
	struct sn_buf res;
	json_t *root = NULL;
	int rc;

	sn_buf_init(&res, SN_PEM_MAX_SIZE, "encrypted key");
	if (!scrypt_n_ok(n))
		return sn_seterr(e, SIGNET_EINVAL, "cosign key encryption: unsupported scrypt N=%llu",
		                 (unsigned long long)n);
	if (plain_len > SN_PEM_MAX_SIZE)
		return sn_seterr(e, SIGNET_EINVAL, "cosign key encryption: the key is too large");
	if ((rc = sn_sodium_load(e)) != 0)
		return rc;
	if (RAND_bytes(salt, sizeof(salt)) != 1 || RAND_bytes(nonce, sizeof(nonce)) != 1) {
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EIO, "cosign key encryption: no random bytes");
	}
	if ((rc = scrypt_key(key, passphrase, passphrase_len, salt, sizeof(salt), n, e)) != 0)
		goto out;
	if ((ct = malloc(plain_len + COSIGN_MAC_SIZE)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (crypto_secretbox_easy(ct, plain, plain_len, nonce, key) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "cosign key encryption: secretbox failed");
		goto out;
	}
	if ((salt_s = b64(salt, sizeof(salt), e)) == NULL ||
	    (nonce_s = b64(nonce, sizeof(nonce), e)) == NULL ||
	    (ct_s = b64(ct, plain_len + COSIGN_MAC_SIZE, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	/* Members in go-securesystemslib's order. */
	root = json_pack("{s:{s:s, s:{s:I, s:i, s:i}, s:s}, s:{s:s, s:s}, s:s}", "kdf", "name", "scrypt",
	                 "params", "N", (json_int_t)n, "r", 8, "p", 1, "salt", salt_s, "cipher", "name",
	                 "nacl/secretbox", "nonce", nonce_s, "ciphertext", ct_s);
	if (root == NULL || (text = json_dumps(root, JSON_COMPACT)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((rc = sn_buf_append_str(&res, text, e)) != 0)
		goto out;
	*out = res;
	sn_buf_init(&res, SN_PEM_MAX_SIZE, "encrypted key");
out:
	OPENSSL_cleanse(key, sizeof(key));
	sn_buf_free(&res);
	free(text);
	json_decref(root);
	free(salt_s);
	free(nonce_s);
	free(ct_s);
	free(ct);
	return rc;
}

#else /* !SIGNET_HAVE_SODIUM */

int sn_cosign_decrypt(unsigned char **plain, size_t *plain_len, const void *json, size_t json_len,
                      const unsigned char *passphrase, size_t passphrase_len, const char *what,
                      struct sn_err *e)
{
	(void)plain, (void)plain_len, (void)json, (void)json_len, (void)passphrase, (void)passphrase_len;
	return sn_seterr(e, SIGNET_EUNSUPPORTED,
	                 "%s: a cosign-format encrypted key, and this signet was built without libsodium "
	                 "(meson option sodium)",
	                 what);
}

int sn_cosign_encrypt(struct sn_buf *out, const unsigned char *plain, size_t plain_len,
                      const unsigned char *passphrase, size_t passphrase_len, uint64_t n, struct sn_err *e)
{
	(void)out, (void)plain, (void)plain_len, (void)passphrase, (void)passphrase_len, (void)n;
	return sn_seterr(e, SIGNET_EUNSUPPORTED,
	                 "cosign-format key encryption needs libsodium, and this signet was built without it "
	                 "(meson option sodium)");
}

#endif

/* ---- loading ------------------------------------------------------------- */

/* A PKCS#8 PrivateKeyInfo spanning all of der. */
static int pkcs8_key(EVP_PKEY **out, const unsigned char *der, size_t len, const char *what, struct sn_err *e)
{
	const unsigned char *p = der;
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_PKEY *k;

	p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
	if (p8 == NULL || p != der + len) {
		PKCS8_PRIV_KEY_INFO_free(p8);
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not a PKCS#8 private key%s", what,
		                 p8 != NULL ? " (trailing data)" : "");
	}
	k = EVP_PKCS82PKEY(p8);
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (k == NULL) {
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: a PKCS#8 private key of an unknown or invalid kind", what);
	}
	*out = k;
	return 0;
}

/* A PKCS#8 EncryptedPrivateKeyInfo (PBES2 etc., as OpenSSL writes it). */
static int pkcs8_encrypted_key(EVP_PKEY **out, const unsigned char *der, size_t len, const char *pass,
                               size_t pass_len, const char *what, struct sn_err *e)
{
	const unsigned char *p = der;
	PKCS8_PRIV_KEY_INFO *p8inf;
	X509_SIG *x;
	EVP_PKEY *k;

	x = d2i_X509_SIG(NULL, &p, (long)len);
	if (x == NULL || p != der + len) {
		X509_SIG_free(x);
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not a PKCS#8 encrypted private key%s", what,
		                 x != NULL ? " (trailing data)" : "");
	}
	p8inf = PKCS8_decrypt(x, pass, (int)pass_len);
	X509_SIG_free(x);
	k = p8inf != NULL ? EVP_PKCS82PKEY(p8inf) : NULL;
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	ERR_clear_error();
	if (k == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "wrong passphrase for %s (or a damaged key)", what);
	*out = k;
	return 0;
}

/* Whether a key file holds OpenPGP data: an armor line, or a first byte
 * that is the header of a key packet (RFC 4880 §4.2), as gpg exports. */
static int openpgp_key_file(const unsigned char *d, size_t n)
{
	static const char armor[] = "-----BEGIN PGP ";
	unsigned int tag;
	size_t i = 0;

	if (n > 0 && (tag = sn_pgp_first_tag(d[0])) != 0)
		return tag == SN_PGP_SECRET_KEY || tag == SN_PGP_PUBLIC_KEY;
	while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return n - i >= sizeof(armor) - 1 && memcmp(d + i, armor, sizeof(armor) - 1) == 0;
}

int sn_sigstore_load_private_key(struct evp_pkey_st **key, const char *key_path, const struct sn_pass *src,
                                 struct sn_err *e)
{
	unsigned char file[SN_PEM_MAX_SIZE + 1], pass[SN_PASSPHRASE_FILE_MAX];
	struct sn_pem pem = {NULL, NULL, 0};
	unsigned char *plain = NULL;
	size_t file_len = 0, pass_len = 0, plain_len = 0;
	EVP_PKEY *k = NULL;
	char what[512];
	int rc, have = 0;

	pass[0] = '\0';
	if (key_path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signing key: no key file given");
	(void)snprintf(what, sizeof(what), "signing key %s", key_path);
	if ((rc = sn_read_secret(file, SN_PEM_MAX_SIZE, &file_len, key_path, "signing key", e)) != 0)
		goto out;
	/* A file or given bytes now (a bad passphrase file is an error even
	 * for a plain key); the callback only for an encrypted key. */
	if ((rc = sn_pass_get(pass, &pass_len, &have, src, 0, key_path, e)) != 0)
		goto out;
	if (openpgp_key_file(file, file_len)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s is an OpenPGP key: use --gpg-key FINGERPRINT (the key stays in GnuPG)",
		               what);
		goto out;
	}
	if ((rc = sn_pem_decode(&pem, file, file_len, what, e)) != 0)
		goto out;
	if (strcmp(pem.label, "PRIVATE KEY") == 0) {
		rc = pkcs8_key(&k, pem.der, pem.der_len, what, e);
	} else if (strcmp(pem.label, "ENCRYPTED PRIVATE KEY") == 0) {
		if (!have && (rc = sn_pass_get(pass, &pass_len, &have, src, 1, key_path, e)) != 0)
			goto out;
		if (!have)
			rc = sn_seterr(e, SIGNET_EINVAL, "%s is encrypted: a passphrase is needed", what);
		else
			rc = pkcs8_encrypted_key(&k, pem.der, pem.der_len, (const char *)pass, pass_len, what,
			                         e);
	} else if (strcmp(pem.label, PEM_SIGSTORE) == 0 || strcmp(pem.label, PEM_COSIGN) == 0) {
		/* No passphrase at all: cosign allows an empty one. */
		if (!have && (rc = sn_pass_get(pass, &pass_len, &have, src, 1, key_path, e)) != 0)
			goto out;
		rc = sn_cosign_decrypt(&plain, &plain_len, pem.der, pem.der_len, pass, pass_len, what, e);
		if (rc == SIGNET_EINVAL && !have)
			rc = sn_seterr(e, SIGNET_EINVAL,
			               "wrong passphrase for %s (or a damaged key): no passphrase was given, "
			               "and the empty passphrase does not open it",
			               what);
		if (rc == 0)
			rc = pkcs8_key(&k, plain, plain_len, what, e);
	} else if (strcmp(pem.label, "EC PRIVATE KEY") == 0 || strcmp(pem.label, "RSA PRIVATE KEY") == 0) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED,
		               "%s: a \"%s\" key; signet reads PKCS#8 (openssl pkcs8 -topk8 converts it)",
		               what, pem.label);
	} else if (strcmp(pem.label, "PUBLIC KEY") == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: a public key; signing needs the private key", what);
	} else {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED,
		               "%s: a PEM \"%.64s\" block; PRIVATE KEY, ENCRYPTED PRIVATE KEY and cosign's "
		               "ENCRYPTED SIGSTORE PRIVATE KEY are supported",
		               what, pem.label);
	}
	if (rc != 0)
		goto out;
	if ((rc = sn_sigstore_key_check(k, what, e)) != 0)
		goto out;
	*key = k;
	k = NULL;
out:
	EVP_PKEY_free(k);
	if (plain != NULL)
		OPENSSL_clear_free(plain, plain_len + 1);
	sn_pem_clear(&pem);
	OPENSSL_cleanse(file, sizeof(file));
	OPENSSL_cleanse(pass, sizeof(pass));
	return rc;
}

/* ---- generation ---------------------------------------------------------- */

static int exists(const char *path, struct sn_err *e)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return sn_seterr(e, SIGNET_EIO, "%s: exists already, not overwritten", path);
	if (errno != ENOENT)
		return sn_seterr(e, SIGNET_EIO, "%s: %s", path, strerror(errno));
	return 0;
}

int sn_sigstore_generate(const char *priv_path, const char *pub_path, const struct sn_pass *src,
                         struct sn_err *e)
{
	/* The passphrase is read once; the read-back below takes it as given
	 * bytes, never from the callback. */
	struct sn_pass given = {NULL, NULL, 0, NULL, NULL};
	unsigned char pass[SN_PASSPHRASE_FILE_MAX];
	unsigned char *der = NULL, *pub_der = NULL;
	struct sn_buf priv, pub, enc;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	EVP_PKEY *k = NULL, *back = NULL;
	size_t pass_len = 0;
	int der_len = 0, pub_len, rc, wrote_priv = 0, wrote_pub = 0, have = 0;

	sn_buf_init(&priv, SN_PEM_MAX_SIZE, "private key");
	sn_buf_init(&pub, SN_PEM_MAX_SIZE, "public key");
	sn_buf_init(&enc, SN_PEM_MAX_SIZE, "encrypted key");
	pass[0] = '\0';
	if (priv_path == NULL || pub_path == NULL || strcmp(priv_path, pub_path) == 0)
		return sn_seterr(e, SIGNET_EINVAL, "key generation: two different file names are needed");
	if (src != NULL && (src->file != NULL || src->data != NULL)) {
#if !SIGNET_HAVE_SODIUM
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "key generation: an encrypted (cosign-format) key needs libsodium, and this "
		                 "signet was built without it (meson option sodium)");
#endif
		if ((rc = sn_pass_get(pass, &pass_len, &have, src, 0, priv_path, e)) != 0)
			goto out;
		given.data = pass;
		given.len = pass_len;
	}
	if ((rc = exists(priv_path, e)) != 0 || (rc = exists(pub_path, e)) != 0)
		goto out;
	/* Room for the whole private PEM up front: a buffer that grew by
	 * realloc would leave unwiped copies of a plain key behind. */
	{
		static const unsigned char zero[4096];

		if ((rc = sn_buf_append(&priv, zero, sizeof(zero), e)) != 0)
			goto out;
		sn_buf_reset(&priv);
	}
	if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL || (p8 = EVP_PKEY2PKCS8(k)) == NULL ||
	    (der_len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der)) <= 0 || (pub_len = i2d_PUBKEY(k, &pub_der)) <= 0) {
		ERR_clear_error();
		rc = sn_seterr(e, SIGNET_EIO, "key generation: OpenSSL could not make a P-256 key");
		goto out;
	}
	if (have) {
		if ((rc = sn_cosign_encrypt(&enc, der, (size_t)der_len, pass, pass_len, SN_COSIGN_SCRYPT_N,
		                            e)) != 0 ||
		    (rc = sn_pem_encode(&priv, PEM_SIGSTORE, enc.data, enc.len, e)) != 0)
			goto out;
	} else if ((rc = sn_pem_encode(&priv, "PRIVATE KEY", der, (size_t)der_len, e)) != 0) {
		goto out;
	}
	if ((rc = sn_pem_encode(&pub, "PUBLIC KEY", pub_der, (size_t)pub_len, e)) != 0)
		goto out;
	if ((rc = sn_file_write_atomic(priv_path, priv.data, priv.len, 0600, 1, e)) != 0)
		goto out;
	wrote_priv = 1;
	if ((rc = sn_file_write_atomic(pub_path, pub.data, pub.len, 0644, 1, e)) != 0)
		goto out;
	wrote_pub = 1;
	/* Read back what was written, as a signer will. */
	if ((rc = sn_sigstore_load_private_key(&back, priv_path, have ? &given : NULL, e)) != 0) {
		(void)sn_errctx(e, "key generation: reading the new key back failed: ");
		goto out;
	}
	if (EVP_PKEY_eq(back, k) != 1) {
		rc = sn_seterr(e, SIGNET_EIO, "key generation: the key read back from %s differs", priv_path);
		goto out;
	}
out:
	if (rc != 0) {
		/* Ours, just created: nothing half-made is left behind. */
		if (wrote_priv)
			(void)unlink(priv_path);
		if (wrote_pub)
			(void)unlink(pub_path);
	}
	EVP_PKEY_free(back);
	EVP_PKEY_free(k);
	PKCS8_PRIV_KEY_INFO_free(p8);
	if (der != NULL)
		OPENSSL_clear_free(der, (size_t)der_len);
	OPENSSL_free(pub_der);
	sn_buf_wipe_free(&priv);
	sn_buf_free(&pub);
	sn_buf_free(&enc);
	OPENSSL_cleanse(pass, sizeof(pass));
	return rc;
}
