/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/contract.c: the IBM Hyper Protect (HPCR) deployment contract as a
 * policy source (SPEC §4.2; the rules are in policy.h).
 *
 * What IBM documents and signet follows:
 *  - the contract's sections are workload and env (both mandatory),
 *    attestationPublicKey and envWorkloadSignature (optional).  IBM's
 *    contract schema does not forbid other top-level keys; signet refuses
 *    them, so that a misspelt section is not silently ignored;
 *  - workload.images.rhs maps an image identifier (repository, optionally
 *    with tag or digest, as the schema's pattern allows) to {publicKey:
 *    base64 of `gpg -a --export KEY`}; workload.images.dct maps a
 *    repository to {notary, publicKey}; images has no other keys, and the
 *    entries no other fields (additionalProperties: false in the schema);
 *  - workload.auths maps a registry host (or https://index.docker.io/v1/)
 *    to {username, password};
 *  - cosign keys: IBM's HPCR schema has no place for them in
 *    workload.images (its images object is additionalProperties: false
 *    with rhs and dct only); IBM Confidential Computing Containers pins
 *    them elsewhere, as confidential-containers.config.cosign."<image>"
 *    {publicKey: base64 of the PEM key}.  signet takes those names into
 *    the images object: workload.images.cosign."<image>".publicKey (see
 *    docs/policy.md); a contract using it is signet's, not IBM's schema;
 *  - images named by digest are allowed without checks (the contract is
 *    itself integrity protected), others need a key;
 *  - "Contract encryption": PASSWORD = 32 random bytes; the section is
 *    "hyper-protect-basic." + base64(openssl rsautl -encrypt -certin
 *    (PKCS#1 v1.5) of PASSWORD) + "." + base64(openssl enc -aes-256-cbc
 *    -pbkdf2 -pass stdin of the section's YAML).  `-pass stdin` makes the
 *    password the bytes up to the first newline or NUL (openssl reads it as
 *    a line), so decryption cuts PASSWORD there as well; enc -pbkdf2 means
 *    "Salted__" + 8 bytes of salt, then PBKDF2-HMAC-SHA256 with 10000
 *    iterations giving the 32-byte key and the 16-byte IV.
 */
#include "policy/policy.h"
#include "base/yaml_strict.h"
#include "base/cosign_key.h"
#include "base/pem.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#define NO_KEY_REASON    "no key is pinned for this repository in the contract"
#define DCT_REASON       "Docker Content Trust is not supported yet"
#define WHAT_CONTRACT    "contract"
#define WHAT_PRIVATE_KEY "contract private key"

#define ARMOR_BEGIN "-----BEGIN PGP PUBLIC KEY BLOCK-----"
#define ARMOR_END   "-----END PGP PUBLIC KEY BLOCK-----"

/* The sections of workload.images. */
#define SECTION_RHS    "rhs"
#define SECTION_DCT    "dct"
#define SECTION_COSIGN "cosign"

struct contract {
	char *name;           /* "contract FILE" */
	const char *key_path; /* the private key file, or NULL */
	EVP_PKEY *pkey;       /* loaded on first use */
	struct sn_policy *p;
	size_t cap_scopes;
	struct sn_keyset scope_index; /* scope -> index in p->scopes (keys borrowed) */
	int have_workload;
	int have_env;
	int workload_runs;         /* the workload section has compose or play */
	const unsigned char *data; /* the contract file's bytes */
	size_t len;
	struct sn_err *e;
	/* The contract signature (contract_sig.c): the section values as
	 * strings (NULL: written as a mapping), the signature, the key. */
	int require_signed;
	char *workload_value;
	size_t workload_len;
	char *env_value;
	size_t env_len;
	size_t env_line;
	int env_encrypted;
	char *signature;
	char *signing_key;
	/* sn_contract_inspect: report instead of enforce (NULL: the guest). */
	struct sn_contract_facts *facts;
};

/* ---- messages -------------------------------------------------------- */

/* SIGNET_EBADINPUT "<document>: <formatted> (line N)". */
static int bad(struct sn_yaml *y, size_t line, const char *fmt, ...) SN_PRINTF(3, 4);
static int bad(struct sn_yaml *y, size_t line, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sn_seterr(y->e, SIGNET_EBADINPUT, "%s: %s (line %zu)", y->what, msg, line);
}

/* The current event must be a non-empty scalar: copies it to *out. */
static int want_string(struct sn_yaml *y, const char *path, char **out)
{
	size_t len;

	if (y->ev.type != YAML_SCALAR_EVENT)
		return bad(y, sn_yaml_line(y), "%s must be a string", path);
	(void)sn_yaml_text(y, &len);
	if (sn_yaml_is_null(y) || len == 0)
		return bad(y, sn_yaml_line(y), "%s is empty", path);
	if (*out != NULL) /* cannot happen: duplicate keys are refused */
		return bad(y, sn_yaml_line(y), "%s given twice", path);
	return sn_yaml_dup_text(y, out, path);
}

/* ---- keys and scopes ------------------------------------------------- */

static int starts(const unsigned char *d, size_t n, const char *s)
{
	size_t l = strlen(s);

	return n >= l && memcmp(d, s, l) == 0;
}

const char *sn_contract_key_problem(const unsigned char *d, size_t n)
{
	const unsigned char *p, *end = d + n;
	size_t bl = strlen(ARMOR_BEGIN), el = strlen(ARMOR_END);

	if (n == 0)
		return "empty";
	if (d[0] & 0x80)
		return "a binary OpenPGP key; the contract needs it ASCII-armored (gpg --armor --export KEY "
		       "| base64 -w0)";
	if (memchr(d, '\0', n) != NULL)
		return "binary data, not an ASCII-armored OpenPGP public key";
	if (starts(d, n, "-----BEGIN PGP PRIVATE KEY BLOCK-----") ||
	    starts(d, n, "-----BEGIN PGP SECRET KEY BLOCK-----"))
		return "a secret key block: pin the public key (gpg --armor --export KEY), never the secret "
		       "key";
	if (!starts(d, n, ARMOR_BEGIN) || !(starts(d + bl, n - bl, "\n") || starts(d + bl, n - bl, "\r\n")))
		return "not an ASCII-armored OpenPGP public key block (" ARMOR_BEGIN ")";
	/* The END line: at the start of a line, alone on it. */
	for (p = d + bl;; p++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL)
			return "an armored key block without its END line";
		p++;
		if (starts(p, (size_t)(end - p), "-----BEGIN"))
			return "more than one armored block";
		if (starts(p, (size_t)(end - p), ARMOR_END))
			break;
		p--;
	}
	for (p += el; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			return "data after the end of the key block";
	return NULL;
}

int sn_contract_cosign_key_check(const unsigned char *d, size_t n, char *key_id, struct sn_err *e)
{
	struct sn_pem pem = {NULL, NULL, 0};
	const unsigned char *p;
	EVP_PKEY *k = NULL;
	int rc;

	if (n > SN_PEM_MAX_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "larger than the limit of %u bytes for a PEM key (%s)",
		                 SN_PEM_MAX_SIZE, "SN_PEM_MAX_SIZE");
	for (p = d; p < d + n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++)
		;
	if (starts(p, (size_t)(d + n - p), "-----BEGIN PGP "))
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "OpenPGP data; a cosign key is a PEM PUBLIC KEY (cosign.pub; OpenPGP keys "
		                 "go in workload.images.rhs)");
	if ((rc = sn_pem_decode(&pem, d, n, "not one PEM PUBLIC KEY block", e)) != 0)
		return rc;
	if (strcmp(pem.label, "PUBLIC KEY") != 0) {
		if (strstr(pem.label, "PRIVATE KEY") != NULL)
			rc =
			    sn_seterr(e, SIGNET_EBADINPUT,
			              "a private key (PEM \"%.64s\"): pin the public key (cosign.pub), never "
			              "the private key",
			              pem.label);
		else if (strcmp(pem.label, "CERTIFICATE") == 0)
			rc = sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "an X.509 certificate; keyless and certificate-based verification is not "
			    "supported: pin the public key (PEM PUBLIC KEY)");
		else
			rc = sn_seterr(e, SIGNET_EBADINPUT, "a PEM \"%.64s\" block, not a PUBLIC KEY",
			               pem.label);
		goto out;
	}
	p = pem.der;
	if ((k = d2i_PUBKEY(NULL, &p, (long)pem.der_len)) == NULL) {
		ERR_clear_error();
		rc = sn_seterr(e, SIGNET_EBADINPUT, "not a valid public key (SubjectPublicKeyInfo)");
		goto out;
	}
	if (p != pem.der + pem.der_len) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%zu bytes of trailing data after the DER public key",
		               (size_t)(pem.der + pem.der_len - p));
		goto out;
	}
	if ((rc = sn_sigstore_key_check(k, "not supported", e)) != 0)
		goto out;
	if (key_id != NULL)
		rc = sn_sigstore_key_id(key_id, k, e);
out:
	EVP_PKEY_free(k);
	sn_pem_clear(&pem);
	return rc;
}

int sn_contract_scope(char **out, const char *ident, int repository_only, struct sn_err *e)
{
	struct sn_ref *ref = NULL;
	char *s;
	int rc;

	if ((rc = sn_ref_parse_docker(&ref, ident, e)) != 0)
		return rc;
	if (ref->digest != NULL && ref->tag != NULL) {
		sn_ref_free(ref);
		return sn_seterr(e, SIGNET_EBADINPUT, "\"%.300s\" names both a tag and a digest", ident);
	}
	if (repository_only && (ref->digest != NULL || !ref->tag_implied)) {
		sn_ref_free(ref);
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "\"%.300s\" must name a repository, without tag or digest", ident);
	}
	if (ref->digest != NULL)
		s = sn_aprintf(e, "%s@%s", ref->name, ref->digest);
	else if (!ref->tag_implied)
		s = sn_aprintf(e, "%s:%s", ref->name, ref->tag);
	else
		s = sn_strdup(ref->name, e);
	sn_ref_free(ref);
	if (s == NULL)
		return SIGNET_ENOMEM;
	*out = s;
	return 0;
}

/* Adds req (taken: cleared on every path) to the requirements of scope. */
static int add_requirement(struct contract *c, struct sn_yaml *y, size_t line, const char *section,
                           const char *ident, const char *scope, struct sn_requirement *req)
{
	struct sn_policy *p = c->p;
	struct sn_scope_reqs *s;
	struct sn_requirement *nv;
	struct sn_keyent *k;
	int rc;

	if ((k = sn_keyset_find(&c->scope_index, scope)) != NULL) {
		s = &p->scopes[k->val];
		for (size_t i = 0; i < s->n_reqs; i++)
			if (s->reqs[i].type == req->type) {
				rc = bad(y, line,
				         "workload.images.%s.\"%.300s\": the repository %s is already pinned "
				         "by %s",
				         section, ident, scope, s->reqs[i].where);
				goto fail;
			}
	} else {
		if (p->n_scopes == c->cap_scopes) {
			size_t ncap = c->cap_scopes == 0 ? 8 : c->cap_scopes * 2;
			struct sn_scope_reqs *ns;

			if (ncap > SIZE_MAX / sizeof(*ns) ||
			    (ns = realloc(p->scopes, ncap * sizeof(*ns))) == NULL) {
				rc = sn_enomem(c->e);
				goto fail;
			}
			p->scopes = ns;
			c->cap_scopes = ncap;
		}
		s = &p->scopes[p->n_scopes];
		memset(s, 0, sizeof(*s));
		if ((s->transport = sn_strdup("docker", c->e)) == NULL ||
		    (s->scope = sn_strdup(scope, c->e)) == NULL) {
			free(s->transport);
			rc = SIGNET_ENOMEM;
			goto fail;
		}
		/* The index borrows the scope string, which never moves. */
		if ((rc = sn_keyset_add(&c->scope_index, s->scope, p->n_scopes, c->e)) != 0) {
			free(s->transport);
			free(s->scope);
			goto fail;
		}
		p->n_scopes++;
	}
	if (s->n_reqs >= SIZE_MAX / sizeof(*nv) - 1 ||
	    (nv = realloc(s->reqs, (s->n_reqs + 1) * sizeof(*nv))) == NULL) {
		rc = sn_enomem(c->e);
		goto fail;
	}
	s->reqs = nv;
	s->reqs[s->n_reqs++] = *req;
	memset(req, 0, sizeof(*req));
	return 0;
fail:
	sn_requirement_clear(req);
	return rc;
}

/* The scope of an images entry, or an error naming it. */
static int entry_scope(char **scope, struct sn_yaml *y, size_t line, const char *section, const char *ident)
{
	struct sn_err sub;
	int rc;

	sn_err_clear(&sub);
	rc = sn_contract_scope(scope, ident, strcmp(section, SECTION_DCT) == 0, &sub);
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(y->e);
	if (rc != 0)
		return bad(y, line, "workload.images.%s.\"%.300s\": not an image identifier: %s", section,
		           ident, sub.msg);
	return 0;
}

/* ---- workload.images ------------------------------------------------- */

struct entry {
	const char *section; /* SECTION_RHS, SECTION_DCT or SECTION_COSIGN */
	const char *ident;
	char *public_key;
	size_t key_line;
	char *notary;
};

static int entry_field(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct entry *en = ctx;
	int dct = strcmp(en->section, SECTION_DCT) == 0;
	char path[640];

	(void)snprintf(path, sizeof(path), "workload.images.%s.\"%.300s\".%.100s", en->section, en->ident,
	               key);
	if (strcmp(key, "publicKey") == 0) {
		en->key_line = sn_yaml_line(y);
		return want_string(y, path, &en->public_key);
	}
	if (dct && strcmp(key, "notary") == 0)
		return want_string(y, path, &en->notary);
	return bad(y, line, "workload.images.%s.\"%.300s\": unknown key \"%.100s\" (%s)", en->section,
	           en->ident, key,
	           dct                                     ? "a dct entry has notary and publicKey"
	           : strcmp(en->section, SECTION_RHS) == 0 ? "an rhs entry has only publicKey"
	                                                   : "a cosign entry has only publicKey");
}

/* Decodes the base64 publicKey of an entry into *out (caller frees). */
static int decode_key(unsigned char **out, size_t *len, struct sn_yaml *y, const struct entry *en)
{
	int rc = sn_base64_decode(out, len, en->public_key, strlen(en->public_key));

	if (rc == SIGNET_ENOMEM)
		return sn_enomem(y->e);
	if (rc != 0)
		return bad(y, en->key_line, "workload.images.%s.\"%.300s\".publicKey: not base64%s",
		           en->section, en->ident,
		           strcmp(en->section, SECTION_RHS) == 0 ? " (gpg --armor --export KEY | base64 -w0)"
		           : strcmp(en->section, SECTION_COSIGN) == 0 ? " (base64 -w0 cosign.pub)"
		                                                      : "");
	return 0;
}

/* The value of workload.images.<section>.<ident>. */
static int images_entry(struct sn_yaml *y, struct contract *c, const char *section, const char *ident,
                        size_t line)
{
	struct entry en = {.section = section, .ident = ident};
	struct sn_requirement req;
	unsigned char *key = NULL;
	const char *why;
	char *scope = NULL;
	size_t klen = 0;
	int rc;

	memset(&req, 0, sizeof(req));
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		return bad(y, line, "workload.images.%s.\"%.300s\" must be a mapping (%s)", section, ident,
		           strcmp(section, SECTION_DCT) == 0 ? "notary, publicKey" : "publicKey");
	if ((rc = entry_scope(&scope, y, line, section, ident)) != 0)
		return rc;
	if ((rc = sn_yaml_walk_mapping(y, entry_field, &en)) != 0)
		goto out;
	if (en.public_key == NULL) {
		rc = bad(y, line, "workload.images.%s.\"%.300s\": publicKey is missing", section, ident);
		goto out;
	}
	if ((rc = decode_key(&key, &klen, y, &en)) != 0)
		goto out;
	req.where = sn_aprintf(c->e, "%s: workload.images.%s.\"%.300s\"", c->name, section, ident);
	if (req.where == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	req.identity.rule = SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT;
	if (strcmp(section, SECTION_DCT) == 0) {
		if (en.notary == NULL) {
			rc = bad(y, line, "workload.images.dct.\"%.300s\": notary is missing", ident);
			goto out;
		}
		req.type = SN_REQ_UNSUPPORTED;
		if ((req.unsupported = sn_strdup(DCT_REASON, c->e)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
	} else {
		if (strcmp(section, SECTION_RHS) == 0) {
			if ((why = sn_contract_key_problem(key, klen)) != NULL) {
				rc = bad(y, en.key_line, "workload.images.rhs.\"%.300s\".publicKey: %s",
				         ident, why);
				goto out;
			}
			req.type = SN_REQ_SIGNED_BY;
		} else {
			struct sn_err sub;

			sn_err_clear(&sub);
			if ((rc = sn_contract_cosign_key_check(key, klen, NULL, &sub)) != 0) {
				rc = rc == SIGNET_ENOMEM
				         ? sn_enomem(c->e)
				         : bad(y, en.key_line,
				               "workload.images.cosign.\"%.300s\".publicKey: %s", ident,
				               sub.msg);
				goto out;
			}
			/* cosign's payloads name the repository only. */
			req.type = SN_REQ_SIGSTORE_SIGNED;
			req.identity.rule = SN_IDENTITY_MATCH_REPOSITORY;
		}
		req.keys = calloc(1, sizeof(*req.keys));
		req.key_names = calloc(1, sizeof(*req.key_names));
		if (req.keys == NULL || req.key_names == NULL) {
			rc = sn_enomem(c->e);
			goto out;
		}
		req.key_names[0] =
		    sn_aprintf(c->e, "%s: workload.images.%s.\"%.300s\".publicKey", c->name, section, ident);
		if (req.key_names[0] == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		sn_buf_init(&req.keys[0], SIGNET_MAX_POLICY_FILE_SIZE, "contract key");
		req.keys[0].data = key; /* NUL-terminated one past klen by sn_base64_decode */
		req.keys[0].len = klen;
		req.keys[0].cap = klen + 1;
		req.n_keys = 1;
		key = NULL;
	}
	rc = add_requirement(c, y, line, section, ident, scope, &req);
out:
	sn_requirement_clear(&req);
	free(key);
	free(scope);
	free(en.public_key);
	free(en.notary);
	return rc;
}

static int rhs_value(struct sn_yaml *y, const char *ident, size_t line, void *ctx)
{
	return images_entry(y, ctx, SECTION_RHS, ident, line);
}

static int dct_value(struct sn_yaml *y, const char *ident, size_t line, void *ctx)
{
	return images_entry(y, ctx, SECTION_DCT, ident, line);
}

static int cosign_value(struct sn_yaml *y, const char *ident, size_t line, void *ctx)
{
	return images_entry(y, ctx, SECTION_COSIGN, ident, line);
}

static int images_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	sn_yaml_value_fn fn;

	if (strcmp(key, SECTION_RHS) == 0)
		fn = rhs_value;
	else if (strcmp(key, SECTION_DCT) == 0)
		fn = dct_value;
	else if (strcmp(key, SECTION_COSIGN) == 0)
		fn = cosign_value;
	else
		return bad(y, line,
		           "workload.images: unknown key \"%.100s\" (images has rhs, dct and cosign)", key);
	if (sn_yaml_is_null(y))
		return 0;
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		return bad(y, line, "workload.images.%s must be a mapping of images", key);
	return sn_yaml_walk_mapping(y, fn, ctx);
}

/* ---- workload.auths -------------------------------------------------- */

struct auth {
	const char *registry;
	char *username;
	char *password; /* secret */
};

static int auth_field(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct auth *a = ctx;
	char path[512];

	(void)snprintf(path, sizeof(path), "workload.auths.\"%.300s\".%.50s", a->registry, key);
	if (strcmp(key, "username") == 0)
		return want_string(y, path, &a->username);
	if (strcmp(key, "password") == 0)
		return want_string(y, path, &a->password);
	return bad(y, line, "workload.auths.\"%.300s\": unknown key \"%.100s\" (username and password)",
	           a->registry, key);
}

/* The registry host an auths key stands for ("docker.io" for Docker
 * Hub's legacy names), or NULL if it does not look like a host. */
static const char *auth_host(const char *registry)
{
	if (strcmp(registry, "https://index.docker.io/v1/") == 0 || strcmp(registry, "index.docker.io") == 0)
		return SN_DOCKER_DOMAIN;
	if (registry[0] == '\0' || strpbrk(registry, "/@ \t\r\n") != NULL)
		return NULL;
	for (const char *s = registry; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return NULL;
	return registry;
}

static int auths_value(struct sn_yaml *y, const char *registry, size_t line, void *ctx)
{
	struct contract *c = ctx;
	struct sn_policy *p = c->p;
	struct auth a = {.registry = registry};
	const char *host = auth_host(registry);
	char *h = NULL, *creds = NULL, **nh, **nc;
	size_t ul, pl;
	int rc;

	if (host == NULL)
		return bad(y, line, "workload.auths: \"%.300s\" is not a registry host name", registry);
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		return bad(y, line, "workload.auths.\"%.300s\" must be a mapping (username, password)",
		           registry);
	if ((rc = sn_yaml_walk_mapping(y, auth_field, &a)) != 0)
		goto out;
	if (a.username == NULL || a.password == NULL) {
		rc = bad(y, line, "workload.auths.\"%.300s\": %s is missing", registry,
		         a.username == NULL ? "username" : "password");
		goto out;
	}
	if (strchr(a.username, ':') != NULL) {
		rc = bad(y, line,
		         "workload.auths.\"%.300s\".username contains ':', which USER:PASSWORD cannot carry",
		         registry);
		goto out;
	}
	for (size_t i = 0; i < p->n_auths; i++)
		if (strcmp(p->auth_hosts[i], host) == 0) {
			rc = bad(y, line, "workload.auths.\"%.300s\": credentials for %s are given twice",
			         registry, host);
			goto out;
		}
	ul = strlen(a.username);
	pl = strlen(a.password);
	if ((h = sn_strdup(host, c->e)) == NULL || (creds = malloc(ul + pl + 2)) == NULL) {
		rc = sn_enomem(c->e);
		goto out;
	}
	memcpy(creds, a.username, ul);
	creds[ul] = ':';
	memcpy(creds + ul + 1, a.password, pl + 1);
	if (p->n_auths >= SIZE_MAX / sizeof(char *) - 1 ||
	    (nh = realloc(p->auth_hosts, (p->n_auths + 1) * sizeof(char *))) == NULL) {
		rc = sn_enomem(c->e);
		goto out;
	}
	p->auth_hosts = nh;
	if ((nc = realloc(p->auth_creds, (p->n_auths + 1) * sizeof(char *))) == NULL) {
		rc = sn_enomem(c->e);
		goto out;
	}
	p->auth_creds = nc;
	p->auth_hosts[p->n_auths] = h;
	p->auth_creds[p->n_auths] = creds;
	p->n_auths++;
	h = creds = NULL;
	rc = 0;
out:
	free(h);
	sn_free_secret(creds);
	free(a.username);
	sn_free_secret(a.password);
	return rc;
}

/* ---- sections -------------------------------------------------------- */

/* A `type` key: a string equal to want. */
static int type_value(struct sn_yaml *y, const char *section, const char *want, size_t line)
{
	if (y->ev.type != YAML_SCALAR_EVENT)
		return bad(y, line, "%s.type must be a string", section);
	if (!sn_yaml_is(y, want)) {
		size_t len;
		const char *t = sn_yaml_text(y, &len);

		return bad(y, line, "%s.type is \"%.*s\", not \"%s\"", section, (int)(len > 40 ? 40 : len), t,
		           want);
	}
	return 0;
}

static int workload_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct contract *c = ctx;

	if (strcmp(key, "compose") == 0 || strcmp(key, "play") == 0)
		c->workload_runs = 1; /* the images it runs: see keep_workload */
	if (strcmp(key, "type") == 0)
		return type_value(y, "workload", "workload", line);
	if (strcmp(key, "images") == 0 || strcmp(key, "auths") == 0) {
		if (sn_yaml_is_null(y))
			return 0;
		if (y->ev.type != YAML_MAPPING_START_EVENT)
			return bad(y, line, "workload.%s must be a mapping", key);
		return sn_yaml_walk_mapping(y, strcmp(key, "images") == 0 ? images_value : auths_value, ctx);
	}
	return sn_yaml_skip(y); /* compose, play, volumes, env, ...: not policy */
}

static int env_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct contract *c = ctx;

	if (strcmp(key, "type") == 0)
		return type_value(y, "env", "env", line);
	if (strcmp(key, "signingKey") == 0)
		return want_string(y, "env.signingKey", &c->signing_key);
	return sn_yaml_skip(y);
}

/* ---- the workload's own images ------------------------------------- */

/* Keeps indent + text (len bytes, a secret) as the policy's workload_text
 * when the workload section just walked has compose or play: the verifier
 * reads the images the contract runs from it (policy.h). */
static int keep_workload(struct contract *c, const char *indent, size_t indent_len, const char *text,
                         size_t len)
{
	struct sn_buf *b = &c->p->workload_text;
	int rc;

	if (!c->workload_runs)
		return 0;
	sn_buf_wipe_free(b);
	free(c->p->workload_what);
	sn_buf_init(b, SIGNET_MAX_POLICY_FILE_SIZE, "the contract's workload section");
	if ((c->p->workload_what = sn_aprintf(c->e, "%s: its workload section", c->name)) == NULL)
		return SIGNET_ENOMEM;
	if ((rc = sn_buf_append(b, indent, indent_len, c->e)) != 0 ||
	    (rc = sn_buf_append(b, text, len, c->e)) != 0)
		sn_buf_wipe_free(b);
	return rc;
}

/* The byte offset in the contract of libyaml mark index, which counts
 * characters (UTF-8 continuation bytes do not count, nor a byte order
 * mark); SIZE_MAX when the file is not UTF-8 or index is past its end. */
static size_t mark_offset(const struct contract *c, size_t index)
{
	size_t at = 0, ch = 0;

	if (c->len >= 2 &&
	    ((c->data[0] == 0xfe && c->data[1] == 0xff) || (c->data[0] == 0xff && c->data[1] == 0xfe)))
		return SIZE_MAX;
	if (c->len >= 3 && c->data[0] == 0xef && c->data[1] == 0xbb && c->data[2] == 0xbf)
		at = 3;
	while (ch < index && at < c->len) {
		at++;
		while (at < c->len && (c->data[at] & 0xc0) == 0x80)
			at++;
		ch++;
	}
	return ch == index ? at : SIZE_MAX;
}

/* The workload mapping written in the contract file, from its first key
 * (start, at column) to its end (end): its lines, the first one indented
 * to column as the others are, make a YAML document of their own. */
static int keep_workload_mapping(struct contract *c, const yaml_mark_t *start, const yaml_mark_t *end)
{
	size_t from = mark_offset(c, start->index), to = mark_offset(c, end->index);
	char indent[256];

	if (!c->workload_runs)
		return 0;
	if (from == SIZE_MAX || to == SIZE_MAX || to < from || start->column >= sizeof(indent)) {
		free(c->p->workload_problem);
		c->p->workload_problem = sn_strdup(
		    start->column >= sizeof(indent)
		        ? "its workload section is indented too deeply to be read again"
		        : "the contract is not UTF-8 text, so its workload section cannot be read again",
		    c->e);
		return c->p->workload_problem != NULL ? 0 : SIGNET_ENOMEM;
	}
	memset(indent, ' ', start->column);
	return keep_workload(c, indent, start->column, (const char *)c->data + from, to - from);
}

/* For sn_contract_inspect: the section mapping written in the file from
 * start to end as YAML text of its own (facts->text[idx]), each line
 * without the mapping's indentation. */
static int mapping_text(struct contract *c, int idx, const yaml_mark_t *start, const yaml_mark_t *end)
{
	size_t from = mark_offset(c, start->index), to = mark_offset(c, end->index), n = 0;
	const char *p, *stop;
	char *out;

	if (from == SIZE_MAX || to == SIZE_MAX || to < from)
		return sn_seterr(c->e, SIGNET_EBADINPUT,
		                 "%s: the contract is not UTF-8 text, so its %s section cannot be read again",
		                 c->name, idx == SN_SECTION_WORKLOAD ? "workload" : "env");
	if ((out = malloc(to - from + 1)) == NULL)
		return sn_enomem(c->e);
	for (p = (const char *)c->data + from, stop = (const char *)c->data + to; p < stop;) {
		const char *eol = memchr(p, '\n', (size_t)(stop - p));
		size_t line = eol != NULL ? (size_t)(eol - p) + 1 : (size_t)(stop - p), cut = 0;

		/* The first line starts at the mapping's column already. */
		if (p != (const char *)c->data + from)
			while (cut < start->column && cut < line && p[cut] == ' ')
				cut++;
		memcpy(out + n, p + cut, line - cut);
		n += line - cut;
		p += line;
	}
	out[n] = '\0';
	c->facts->text[idx] = out;
	c->facts->text_len[idx] = n;
	return 0;
}

/* Parses text (YAML held in a string, or decrypted) as the section. */
static int parse_text(struct contract *c, const char *what, size_t line_base, const char *text, size_t len,
                      const char *section, sn_yaml_value_fn fn)
{
	struct sn_yaml y;
	int rc;

	if ((rc = sn_yaml_open(&y, text, len, what, line_base, 1, c->e)) != 0)
		goto out;
	if (y.ev.type == YAML_STREAM_END_EVENT || sn_yaml_is_null(&y))
		rc = sn_seterr(c->e, SIGNET_EBADINPUT, "%s: the %s section holds no YAML", what, section);
	else if (y.ev.type != YAML_MAPPING_START_EVENT)
		rc =
		    sn_seterr(c->e, SIGNET_EBADINPUT, "%s: line %zu: the %s section must hold a YAML mapping",
		              what, sn_yaml_line(&y), section);
	else
		rc = sn_yaml_walk_mapping(&y, fn, c);
	if (rc == 0)
		rc = sn_yaml_finish(&y);
	if (rc == 0 && fn == workload_value)
		rc = keep_workload(c, "", 0, text, len);
out:
	sn_yaml_close(&y);
	return rc;
}

static int load_private_key(struct contract *c)
{
	if (c->pkey != NULL)
		return 0;
	return sn_hpb_load_key(&c->pkey, c->key_path, WHAT_PRIVATE_KEY, c->e);
}

/* Decrypts a section (sn_hpb_decrypt) and walks its text with fn, as if
 * it had been written in the clear; the text is wiped after. */
static int decrypt_walk(struct sn_yaml *y, struct contract *c, const char *section, size_t line,
                        const struct sn_hpb *h, sn_yaml_value_fn fn)
{
	struct sn_hpb_names names = {NULL, WHAT_CONTRACT, "section"};
	unsigned char *plain = NULL;
	size_t plen = 0;
	char *what = NULL;
	int rc;

	if ((rc = load_private_key(c)) != 0)
		return rc;
	if ((names.what = what = sn_aprintf(c->e, "%s: %s", y->what, section)) == NULL)
		return SIGNET_ENOMEM;
	rc = sn_hpb_decrypt(&plain, &plen, c->pkey, c->key_path, h, &names, line, c->e);
	free(what);
	if (rc != 0)
		return rc;
	if ((what = sn_aprintf(c->e, "%s: %s (decrypted)", c->name, section)) == NULL)
		rc = SIGNET_ENOMEM;
	else
		rc = parse_text(c, what, 0, (const char *)plain, plen, section, fn);
	OPENSSL_cleanse(plain, plen);
	free(plain);
	free(what);
	return rc;
}

/* A "hyper-protect-basic.<password>.<data>" section (the current scalar). */
static int encrypted_section(struct sn_yaml *y, struct contract *c, const char *section, sn_yaml_value_fn fn,
                             size_t line)
{
	struct sn_hpb h = {0};
	size_t len;
	const char *text = sn_yaml_text(y, &len);
	char *what;
	int rc;

	if ((what = sn_aprintf(c->e, "%s: %s", y->what, section)) == NULL)
		return SIGNET_ENOMEM;
	rc = sn_hpb_split(&h, text, len, what, line, c->e);
	free(what);
	if (rc != 0)
		return rc;
	if (c->facts != NULL) {
		/* Reported: decrypted (and read) only with the key. */
		c->env_encrypted |= fn == env_value;
		c->env_line = line;
		if (c->key_path == NULL)
			goto out;
		if ((rc = decrypt_walk(y, c, section, line, &h, fn)) == 0)
			c->facts->decrypted[fn == env_value ? SN_SECTION_ENV : SN_SECTION_WORKLOAD] = 1;
		goto out;
	}
	if (fn == env_value) { /* decrypted only to check a signature */
		c->env_encrypted = 1;
		c->env_line = line;
		goto out;
	}
	if (c->key_path == NULL) {
		rc =
		    sn_seterr(c->e, SIGNET_EBADINPUT,
		              "%s: %s is encrypted (hyper-protect-basic); give the private key to decrypt it",
		              c->name, section);
		goto out;
	}
	rc = decrypt_walk(y, c, section, line, &h, fn);
out:
	sn_hpb_clear(&h);
	return rc;
}

/* The value of workload or env: a mapping, YAML in a string, or an
 * encrypted string. */
static int section_value(struct sn_yaml *y, struct contract *c, const char *section, sn_yaml_value_fn fn,
                         size_t line)
{
	int idx = fn == workload_value ? SN_SECTION_WORKLOAD : SN_SECTION_ENV;
	const char *text;
	char *what = NULL;
	size_t len;
	int rc;

	if (y->ev.type == YAML_MAPPING_START_EVENT) {
		yaml_mark_t start = y->ev.start_mark;

		if ((rc = sn_yaml_walk_mapping(y, fn, c)) != 0)
			return rc;
		if (c->facts != NULL) {
			c->facts->form[idx] = SN_FORM_MAPPING;
			if ((rc = mapping_text(c, idx, &start, &y->ev.end_mark)) != 0)
				return rc;
		}
		if (fn != workload_value)
			return 0;
		return keep_workload_mapping(c, &start, &y->ev.end_mark);
	}
	if (y->ev.type != YAML_SCALAR_EVENT)
		return bad(y, line, "%s must be a mapping or a string", section);
	text = sn_yaml_text(y, &len);
	if (sn_yaml_is_null(y) || len == 0)
		return bad(y, line, "%s is empty", section);
	/* The string as written: what envWorkloadSignature covers. */
	if ((rc = sn_yaml_dup_text(y, fn == workload_value ? &c->workload_value : &c->env_value, section)) !=
	    0)
		return rc;
	if (fn == workload_value)
		c->workload_len = len;
	else
		c->env_len = len;
	if (sn_hpb_is_encrypted(text, len)) {
		if (c->facts != NULL)
			c->facts->form[idx] = SN_FORM_ENCRYPTED;
		return encrypted_section(y, c, section, fn, line);
	}
	if (c->facts != NULL) {
		c->facts->form[idx] = SN_FORM_STRING;
		if ((c->facts->text[idx] = sn_strndup(text, len, c->e)) == NULL)
			return SIGNET_ENOMEM;
		c->facts->text_len[idx] = len;
	}
	/* YAML in a string.  In a literal block (|) the text's lines are
	 * the file's lines from the one after the indicator: report those. */
	if (y->ev.data.scalar.style == YAML_LITERAL_SCALAR_STYLE)
		return parse_text(c, y->what, sn_yaml_line(y), text, len, section, fn);
	if ((what = sn_aprintf(c->e, "%s: %s (the YAML in the string at line %zu)", y->what, section,
	                       sn_yaml_line(y))) == NULL)
		return SIGNET_ENOMEM;
	rc = parse_text(c, what, 0, text, len, section, fn);
	free(what);
	return rc;
}

static int top_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct contract *c = ctx;

	if (strcmp(key, "workload") == 0) {
		c->have_workload = 1;
		return section_value(y, c, "workload", workload_value, line);
	}
	if (strcmp(key, "env") == 0) {
		c->have_env = 1;
		return section_value(y, c, "env", env_value, line);
	}
	if (strcmp(key, "envWorkloadSignature") == 0)
		return want_string(y, key, &c->signature); /* checked: check_signature */
	if (strcmp(key, "attestationPublicKey") == 0) {
		if (y->ev.type != YAML_SCALAR_EVENT)
			return bad(y, line, "%s must be a string", key);
		if (c->facts == NULL)
			return 0; /* not interpreted */
		(void)sn_yaml_text(y, &c->facts->attestation_key_len);
		return sn_yaml_dup_text(y, &c->facts->attestation_key, key);
	}
	return bad(y, line,
	           "unknown top-level key \"%.100s\" (a contract has workload, env, attestationPublicKey and "
	           "envWorkloadSignature)",
	           key);
}

/* ---- the contract signature ------------------------------------------ */

/* The encrypted env (the current section value, held in c->env_value)
 * decrypted and walked again for its signingKey. */
static int read_encrypted_env(struct sn_yaml *y, struct contract *c)
{
	struct sn_hpb h = {0};
	int rc;

	/* The form was checked when env was read. */
	if ((rc = sn_hpb_split(&h, c->env_value, c->env_len, c->name, c->env_line, c->e)) != 0)
		return rc;
	rc = decrypt_walk(y, c, "env", c->env_line, &h, env_value);
	sn_hpb_clear(&h);
	return rc;
}

/* envWorkloadSignature, when present, must verify (policy.h); with
 * require_signed, it must be present. */
static int check_signature(struct sn_yaml *y, struct contract *c)
{
	int rc;

	if (c->signature == NULL) {
		if (!c->require_signed)
			return 0;
		return sn_seterr(c->e, SIGNET_EBADINPUT,
		                 "%s: unsigned contract refused (--require-signed-contract): it has no "
		                 "envWorkloadSignature",
		                 c->name);
	}
	if (c->workload_value == NULL || c->env_value == NULL)
		return sn_seterr(c->e, SIGNET_EBADINPUT,
		                 "%s: envWorkloadSignature cannot be checked: the %s section is written as a "
		                 "mapping, and the signature covers the sections as strings (write it as the "
		                 "string that was signed)",
		                 c->name, c->workload_value == NULL ? "workload" : "env");
	if (c->env_encrypted && c->signing_key == NULL) {
		if (c->key_path == NULL)
			return sn_seterr(c->e, SIGNET_EBADINPUT,
			                 "%s: envWorkloadSignature cannot be checked: env is encrypted and "
			                 "holds the signingKey; give the private key to decrypt it "
			                 "(--contract-key) rather than trust a signature unchecked",
			                 c->name);
		if ((rc = read_encrypted_env(y, c)) != 0)
			return rc;
	}
	if (c->signing_key == NULL)
		return sn_seterr(
		    c->e, SIGNET_EBADINPUT,
		    "%s: envWorkloadSignature is given but env has no signingKey to check it with", c->name);
	return sn_contract_sig_check(c->name, c->signature, strlen(c->signature), c->workload_value,
	                             c->workload_len, c->env_value, c->env_len, c->signing_key,
	                             strlen(c->signing_key), c->facts != NULL ? &c->facts->signer : NULL,
	                             c->e);
}

/* ---- loading --------------------------------------------------------- */

static int default_reject(struct contract *c)
{
	struct sn_requirement *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return sn_enomem(c->e);
	c->p->default_reqs = r;
	c->p->n_default = 1;
	r->type = SN_REQ_REJECT;
	r->identity.rule = SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT;
	if ((r->unsupported = sn_strdup(NO_KEY_REASON, c->e)) == NULL ||
	    (r->where = sn_strdup(c->name, c->e)) == NULL)
		return SIGNET_ENOMEM;
	return 0;
}

/* The signature's verdict: the guest refuses the contract (a refusal is
 * a bad contract, SIGNET_EBADINPUT, as any); inspect records it. */
static int signature_verdict(struct sn_yaml *y, struct contract *c)
{
	int rc = check_signature(y, c);

	if (c->facts == NULL)
		return rc == SIGNET_EDENIED ? SIGNET_EBADINPUT : rc;
	if (rc == 0 || rc == SIGNET_ENOMEM)
		return rc;
	c->facts->sig_rc = rc;
	c->facts->have_signer = c->facts->signer.bits > 0;
	if ((c->facts->sig_msg = sn_strdup(c->e->msg, c->e)) == NULL)
		return SIGNET_ENOMEM;
	sn_err_clear(c->e);
	return 0;
}

/* Moves what the walk kept into the facts. */
static void keep_facts(struct contract *c)
{
	struct sn_contract_facts *f = c->facts;

	f->value[SN_SECTION_WORKLOAD] = c->workload_value;
	f->value_len[SN_SECTION_WORKLOAD] = c->workload_len;
	f->value[SN_SECTION_ENV] = c->env_value;
	f->value_len[SN_SECTION_ENV] = c->env_len;
	f->signature = c->signature;
	f->signing_key = c->signing_key;
	if (f->sig_rc == 0 && f->signature != NULL)
		f->have_signer = 1;
	c->workload_value = c->env_value = c->signature = c->signing_key = NULL;
}

static int parse_contract(struct sn_policy **out, const void *data, size_t len, const char *source,
                          const char *contract_key, int strict, int require_signed,
                          struct sn_contract_facts *facts, struct sn_err *e)
{
	struct contract c;
	struct sn_yaml y;
	int rc, opened = 0;

	if (out == NULL || (data == NULL && len != 0) || source == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "contract: no contract given");
	memset(&c, 0, sizeof(c));
	c.e = e;
	c.key_path = contract_key;
	c.require_signed = require_signed;
	c.facts = facts;
	c.data = data;
	c.len = len;
	if (len > SIGNET_MAX_POLICY_FILE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 WHAT_CONTRACT " %s: larger than the limit of %u bytes (%s)", source,
		                 SIGNET_MAX_POLICY_FILE_SIZE, "SIGNET_MAX_POLICY_FILE_SIZE");
	if ((c.name = sn_aprintf(e, WHAT_CONTRACT " %s", source)) == NULL ||
	    (c.p = calloc(1, sizeof(*c.p))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	c.p->allow_digest_refs_unsigned = !strict;
	c.p->index_signature_covers_instances = 1;
	if ((c.p->source = sn_strdup(source, e)) == NULL || (rc = default_reject(&c)) != 0) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	rc = sn_yaml_open(&y, data != NULL ? data : "", len, c.name, 0, 1, e);
	opened = 1;
	if (rc != 0)
		goto out;
	if (y.ev.type == YAML_STREAM_END_EVENT || sn_yaml_is_null(&y)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: empty: a contract has workload and env sections",
		               c.name);
		goto out;
	}
	if (y.ev.type != YAML_MAPPING_START_EVENT) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: line %zu: the top level must be a mapping (workload, env)", c.name,
		               sn_yaml_line(&y));
		goto out;
	}
	if ((rc = sn_yaml_walk_mapping(&y, top_value, &c)) != 0 || (rc = sn_yaml_finish(&y)) != 0)
		goto out;
	if (!c.have_workload || !c.have_env) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: no %s section (a contract needs workload and env)",
		               c.name, c.have_workload ? "env" : "workload");
		goto out;
	}
	if ((rc = signature_verdict(&y, &c)) != 0)
		goto out;
	if (facts != NULL)
		keep_facts(&c);
	*out = c.p;
	c.p = NULL;
out:
	if (opened)
		sn_yaml_close(&y);
	sn_keyset_free(&c.scope_index);
	EVP_PKEY_free(c.pkey);
	sn_free_secret(c.workload_value); /* may be YAML holding credentials */
	sn_free_secret(c.env_value);
	free(c.signature);
	free(c.signing_key);
	sn_policy_free(c.p);
	free(c.name);
	return rc;
}

int sn_policy_parse_contract(struct sn_policy **out, const void *data, size_t len, const char *source,
                             const char *contract_key, int strict, int require_signed, struct sn_err *e)
{
	return parse_contract(out, data, len, source, contract_key, strict, require_signed, NULL, e);
}

void sn_contract_facts_clear(struct sn_contract_facts *f)
{
	if (f == NULL)
		return;
	for (int i = 0; i < SN_SECTIONS; i++) {
		sn_free_secret(f->value[i]);
		if (f->text[i] != NULL) {
			OPENSSL_cleanse(f->text[i], f->text_len[i]);
			free(f->text[i]);
		}
	}
	free(f->signing_key);
	free(f->attestation_key);
	free(f->signature);
	free(f->sig_msg);
	memset(f, 0, sizeof(*f));
}

int sn_contract_inspect(struct sn_contract_facts *f, const void *data, size_t len, const char *source,
                        const char *contract_key, struct sn_err *e)
{
	struct sn_policy *p = NULL;
	int rc;

	if (f == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "contract: no facts to fill");
	memset(f, 0, sizeof(*f));
	rc = parse_contract(&p, data, len, source, contract_key, 0, 0, f, e);
	sn_policy_free(p);
	if (rc != 0)
		sn_contract_facts_clear(f);
	return rc;
}

int sn_policy_load_contract(struct sn_policy **out, const char *path, const char *contract_key, int strict,
                            int require_signed, struct sn_err *e)
{
	struct sn_buf b;
	int rc;

	if (out == NULL || path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "contract: no file given");
	if ((rc = sn_file_read(&b, path, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_CONTRACT, 0, e)) != 0)
		return rc;
	rc = sn_policy_parse_contract(out, b.data, b.len, path, contract_key, strict, require_signed, e);
	sn_buf_wipe_free(&b); /* credentials, volume seeds, keys */
	return rc;
}
