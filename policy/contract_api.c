/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/contract_api.c: the public contract helpers (signet/contract.h):
 * writing the workload.images section that pins OpenPGP keys (rhs) and
 * cosign public keys (cosign) to repositories, in the form
 * sn_policy_load_contract reads back.
 */
#include "config.h"

#include "policy/policy.h"

#include "base/cosign_key.h"
#include "base/pem.h"
#include "base/pgp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include <signet/contract.h>

#define WHAT_KEY_FILE "key file"

/* The OpenPGP packet tag of the first packet of a binary key. */
static unsigned first_tag(const unsigned char *d)
{
	return (d[0] & 0x40) ? (d[0] & 0x3Fu) : ((d[0] >> 2) & 0x0Fu);
}

/* Reads one key file into *armored: armored keys as they are, binary keys
 * armored here.  Only the form is checked (the backend checks the rest). */
static int read_key(struct sn_buf *armored, const char *path, struct sn_err *e)
{
	struct sn_buf raw;
	const char *why;
	int rc;

	if ((rc = sn_file_read(&raw, path, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_KEY_FILE, 0, e)) != 0)
		return rc;
	sn_buf_init(armored, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_KEY_FILE);
	if (raw.len > 0 && (raw.data[0] & 0x80)) {
		unsigned tag = first_tag(raw.data);

		if (tag == 5 || tag == 7) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               WHAT_KEY_FILE
			               " %s: a secret key: pin the public key (gpg --export KEY), never the "
			               "secret key",
			               path);
			goto out;
		}
		if (tag != 6) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               WHAT_KEY_FILE " %s: not an OpenPGP public key (packet %u first)", path,
			               tag);
			goto out;
		}
		if ((rc = sn_openpgp_armor_public_key(armored, raw.data, raw.len, e)) != 0)
			goto out;
	} else {
		if ((why = sn_contract_key_problem(raw.data, raw.len)) != NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, WHAT_KEY_FILE " %s: %s", path, why);
			goto out;
		}
		if ((rc = sn_buf_append(armored, raw.data, raw.len, e)) != 0)
			goto out;
	}
	/* What the loader will check. */
	if ((why = sn_contract_key_problem(armored->data, armored->len)) != NULL)
		rc = sn_seterr(e, SIGNET_EBADINPUT, WHAT_KEY_FILE " %s: %s", path, why);
out:
	if (rc != 0)
		sn_buf_free(armored);
	sn_buf_free(&raw);
	return rc;
}

/* Appends "    # <who>\n" for the key, after checking it fully. */
static int describe_key(struct sn_buf *out, const struct sn_buf *key, const char *path, struct sn_err *e)
{
	struct sn_pgp_keyring *kr = NULL;
	struct sn_buf bin, who;
	char what[512];
	int rc;

	/* As the OpenPGP verifier reads a pinned key (verify/openpgp.c). */
	(void)snprintf(what, sizeof(what), "pinned key \"%s\"", path);
	sn_buf_init(&bin, key->len, "pinned key");
	if ((rc = sn_pgp_key_file(&bin, key->data, key->len, what, e)) != 0 ||
	    (rc = sn_pgp_keyring_add(&kr, bin.data, bin.len, what, e)) != 0) {
		sn_pgp_keyring_free(kr);
		sn_buf_free(&bin);
		return rc;
	}
	sn_buf_init(&who, 4096, "key description");
	rc = sn_pgp_keyring_describe(kr, &who, e);
	sn_pgp_keyring_free(kr);
	sn_buf_free(&bin);
	if (rc == 0 && who.len > 0) {
		/* A YAML comment holds one line: control characters out. */
		for (size_t i = 0; i < who.len; i++)
			if (who.data[i] < 0x20 || who.data[i] == 0x7f)
				who.data[i] = '?';
		if ((rc = sn_buf_append_str(out, "    # ", e)) == 0 &&
		    (rc = sn_buf_append(out, who.data, who.len, e)) == 0)
			rc = sn_buf_append_str(out, "\n", e);
	}
	sn_buf_free(&who);
	return rc;
}

/* Reads a cosign public key file into *key (verbatim) after checking it;
 * key_id receives its key id. */
static int read_cosign_key(struct sn_buf *key, char key_id[SN_SIGSTORE_KEY_ID_MAX], const char *path,
                           struct sn_err *e)
{
	int rc;

	if ((rc = sn_file_read(key, path, SN_PEM_MAX_SIZE, WHAT_KEY_FILE, 0, e)) != 0)
		return rc;
	if ((rc = sn_contract_cosign_key_check(key->data, key->len, key_id, e)) != 0) {
		sn_errctx(e, WHAT_KEY_FILE " %s: ", path);
		sn_buf_free(key);
	}
	return rc;
}

/* Appends the entries of one section (pins of kind) to out. */
static int append_section(struct sn_buf *out, const signet_contract_pin *pins, char **scopes, size_t n,
                          int kind, struct sn_err *e)
{
	char key_id[SN_SIGSTORE_KEY_ID_MAX];
	struct sn_buf key;
	int rc = 0, any = 0;

	sn_buf_init(&key, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_KEY_FILE);
	for (size_t i = 0; i < n; i++) {
		if (pins[i].kind != kind)
			continue;
		if (!any && (rc = sn_buf_append_str(out, kind == SIGNET_PIN_RHS ? "  rhs:\n" : "  cosign:\n",
		                                    e)) != 0)
			goto out;
		any = 1;
		if (kind == SIGNET_PIN_RHS) {
			if ((rc = read_key(&key, pins[i].key_file, e)) != 0 ||
			    (rc = describe_key(out, &key, pins[i].key_file, e)) != 0)
				goto out;
		} else {
			if ((rc = read_cosign_key(&key, key_id, pins[i].key_file, e)) != 0 ||
			    (rc = sn_buf_append_str(out, "    # ", e)) != 0 ||
			    (rc = sn_buf_append_str(out, key_id, e)) != 0 ||
			    (rc = sn_buf_append_str(out, "\n", e)) != 0)
				goto out;
		}
		/* A scope holds only [a-z0-9._:/@-] and upper-case tag
		 * letters: nothing to escape inside double quotes. */
		if ((rc = sn_buf_append_str(out, "    \"", e)) != 0 ||
		    (rc = sn_buf_append_str(out, scopes[i], e)) != 0 ||
		    (rc = sn_buf_append_str(out, "\":\n      publicKey: ", e)) != 0 ||
		    (rc = sn_base64_encode(out, key.data, key.len, 0, e)) != 0 ||
		    (rc = sn_buf_append_str(out, "\n", e)) != 0)
			goto out;
		sn_buf_free(&key);
	}
out:
	sn_buf_free(&key);
	return rc;
}

int signet_contract_images_pins(char **yaml, signet_ctx *ctx, const signet_contract_pin *pins, size_t n)
{
	struct sn_err *e = NULL;
	struct sn_buf out;
	char **scopes = NULL;
	int rc;

	if (ctx != NULL) {
		e = &ctx->err;
		sn_err_clear(e);
	}
	if (yaml == NULL || ctx == NULL || pins == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_contract_images: NULL argument");
	if (n == 0)
		return sn_seterr(e, SIGNET_EINVAL, "contract images: no repository and key given");
	sn_buf_init(&out, SIGNET_MAX_POLICY_FILE_SIZE, "contract images section");
	if ((scopes = calloc(n, sizeof(*scopes))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (pins[i].repository == NULL || pins[i].key_file == NULL) {
			rc = sn_seterr(e, SIGNET_EINVAL,
			               "signet_contract_images: NULL repository or key file");
			goto out;
		}
		if (pins[i].kind != SIGNET_PIN_RHS && pins[i].kind != SIGNET_PIN_COSIGN) {
			rc = sn_seterr(e, SIGNET_EINVAL, "signet_contract_images: unknown kind of key %d",
			               pins[i].kind);
			goto out;
		}
		if ((rc = sn_contract_scope(&scopes[i], pins[i].repository, 0, e)) != 0) {
			sn_errctx(e, "repository \"%.300s\": ", pins[i].repository);
			goto out;
		}
		/* Once per section; the same repository in rhs and cosign
		 * needs both signatures. */
		for (size_t j = 0; j < i; j++)
			if (pins[j].kind == pins[i].kind && strcmp(scopes[i], scopes[j]) == 0) {
				rc = sn_seterr(e, SIGNET_EINVAL,
				               "repository %s is given twice (\"%.300s\" and \"%.300s\")",
				               scopes[i], pins[j].repository, pins[i].repository);
				goto out;
			}
	}
	if ((rc = sn_buf_append_str(&out, "images:\n", e)) != 0 ||
	    (rc = append_section(&out, pins, scopes, n, SIGNET_PIN_RHS, e)) != 0 ||
	    (rc = append_section(&out, pins, scopes, n, SIGNET_PIN_COSIGN, e)) != 0)
		goto out;
	*yaml = (char *)sn_buf_steal(&out, NULL);
	rc = 0;
out:
	if (scopes != NULL)
		for (size_t i = 0; i < n; i++)
			free(scopes[i]);
	free(scopes);
	sn_buf_free(&out);
	return rc;
}

int signet_contract_images(char **yaml, signet_ctx *ctx, const char *const *repos,
                           const char *const *key_files, size_t n)
{
	static const signet_contract_pin none = {SIGNET_PIN_RHS, NULL, NULL};
	signet_contract_pin *pins;
	int rc;

	if (ctx == NULL || yaml == NULL || repos == NULL || key_files == NULL || n == 0)
		return signet_contract_images_pins(yaml, ctx,
		                                   repos != NULL && key_files != NULL ? &none : NULL, n);
	if (n > SIZE_MAX / sizeof(*pins) || (pins = calloc(n, sizeof(*pins))) == NULL)
		return sn_enomem(&ctx->err);
	for (size_t i = 0; i < n; i++) {
		pins[i].kind = SIGNET_PIN_RHS;
		pins[i].repository = repos[i];
		pins[i].key_file = key_files[i];
	}
	rc = signet_contract_images_pins(yaml, ctx, pins, n);
	free(pins);
	return rc;
}
