/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/key_files.c: the policy of keys given as files (`--key`): every
 * image signed by one of them.  With detection, each file says what it
 * is: OpenPGP public keys make a signedBy requirement
 * (matchRepoDigestOrExact), PEM public keys (cosign.pub) a sigstoreSigned
 * one (matchRepository, what cosign's payloads need), as keyPath would in
 * a containers-policy.json.
 */
#include "policy/policy.h"
#include "base/file.h"

#include <stdlib.h>
#include <string.h>

#define PEM_BEGIN   "-----BEGIN "
#define PGP_BEGIN   "-----BEGIN PGP "
#define PGP_PRIVATE "-----BEGIN PGP PRIVATE KEY BLOCK-----"

static int starts(const unsigned char *p, size_t n, const char *s)
{
	size_t l = strlen(s);

	return n >= l && memcmp(p, s, l) == 0;
}

/* Whether PEM text (n bytes at p) holds a private key block anywhere
 * ("-----BEGIN EC PARAMETERS-----" may come first, as openssl ecparam
 * -genkey writes). */
static int pem_is_private(const unsigned char *p, size_t n)
{
	static const char needle[] = "PRIVATE KEY-----";

	return memmem(p, n, needle, sizeof(needle) - 1) != NULL;
}

int sn_key_file_kind(enum sn_req_type *kind, const struct sn_buf *key, const char *file, struct sn_err *e)
{
	const unsigned char *p = key->data, *end = key->data + key->len;
	unsigned int tag;
	int rc;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p == end)
		return sn_seterr(e, SIGNET_EBADINPUT, "key file %s: empty", file);
	if (starts(p, (size_t)(end - p), PGP_PRIVATE))
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "key file %s: an OpenPGP private key; give the public key "
		                 "(gpg --export --armor FINGERPRINT)",
		                 file);
	if (starts(p, (size_t)(end - p), PGP_BEGIN)) {
		*kind = SN_REQ_SIGNED_BY;
		return 0;
	}
	if (starts(p, (size_t)(end - p), PEM_BEGIN)) {
		if (pem_is_private(p, (size_t)(end - p)))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "key file %s: a private key; give the public key (cosign.pub, or "
			                 "openssl pkey -pubout)",
			                 file);
		if ((rc = sn_contract_cosign_key_check(key->data, key->len, NULL, e)) != 0) {
			sn_errctx(e, "key file %s: ", file);
			return rc;
		}
		*kind = SN_REQ_SIGSTORE_SIGNED;
		return 0;
	}
	tag = sn_pgp_first_tag(*p);
	if (tag == SN_PGP_PUBLIC_KEY && p == key->data) {
		*kind = SN_REQ_SIGNED_BY;
		return 0;
	}
	if ((tag == SN_PGP_SECRET_KEY || tag == SN_PGP_SECRET_SUBKEY) && p == key->data)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "key file %s: an OpenPGP secret key; give the public key "
		                 "(gpg --export FINGERPRINT)",
		                 file);
	return sn_seterr(e, SIGNET_EBADINPUT,
	                 "key file %s: neither an OpenPGP public key (armored or binary) nor a PEM public "
	                 "key (-----BEGIN PUBLIC KEY-----, as cosign.pub)",
	                 file);
}

int sn_policy_from_key_files(struct sn_policy **out, const char *const *files, size_t n, int detect,
                             struct sn_err *e)
{
	struct sn_requirement *r;
	struct sn_policy *p;
	int rc;

	if (n == 0 || files == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "no key files");
	if ((rc = sn_policy_one_requirement(&p, &r, SN_REQ_SIGNED_BY, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT,
	                                    "the keys given with --key", "pinned keys", e)) != 0)
		return rc;
	if ((r->keys = calloc(n, sizeof(*r->keys))) == NULL ||
	    (r->key_names = calloc(n, sizeof(*r->key_names))) == NULL) {
		rc = sn_enomem(e);
		goto fail;
	}
	r->n_keys = n;
	for (size_t i = 0; i < n; i++) {
		enum sn_req_type kind = SN_REQ_SIGNED_BY;

		if (files[i] == NULL) {
			rc = sn_seterr(e, SIGNET_EINVAL, "key file %zu: NULL path", i);
			goto fail;
		}
		if ((r->key_names[i] = sn_strdup(files[i], e)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto fail;
		}
		rc = sn_file_read(&r->keys[i], files[i], SIGNET_MAX_POLICY_FILE_SIZE, "key file", 0, e);
		if (rc != 0)
			goto fail;
		if (r->keys[i].len == 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "key file %s: empty", files[i]);
			goto fail;
		}
		if (detect && (rc = sn_key_file_kind(&kind, &r->keys[i], files[i], e)) != 0)
			goto fail;
		/* One requirement is met by any one of its keys; two would both
		 * be required, which is not what a list of keys means. */
		if (i > 0 && kind != r->type) {
			rc = sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "key file %s is %s but %s is %s: give keys of one kind (mixing "
			    "OpenPGP and PEM keys in one --key list is not supported)",
			    files[i], kind == SN_REQ_SIGNED_BY ? "an OpenPGP key" : "a PEM public key",
			    files[0], r->type == SN_REQ_SIGNED_BY ? "an OpenPGP key" : "a PEM public key");
			goto fail;
		}
		r->type = kind;
	}
	/* cosign's payloads name only the repository (docker-reference
	 * without tag), and cosign verify --key checks the digest and the
	 * repository: matchRepository is that rule. */
	if (r->type == SN_REQ_SIGSTORE_SIGNED)
		r->identity.rule = SN_IDENTITY_MATCH_REPOSITORY;
	*out = p;
	return 0;
fail:
	sn_policy_free(p);
	return rc;
}
