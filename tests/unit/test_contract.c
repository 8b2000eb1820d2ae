/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_contract.c: the HPCR contract as a policy source
 * (policy/contract.c) and `signet contract images` (policy/contract_api.c):
 * real armored keys from fixtures/make-gpg-keys.sh, sections encrypted with
 * the openssl command lines IBM documents, and every malformed contract
 * that must be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "config.h"
#include "policy/policy.h"

#include <signet/contract.h>

#include "gpg_fixture.h"

/* ---- helpers -------------------------------------------------------- */

static char *b64_of(const unsigned char *d, size_t n)
{
	char *s = malloc(4 * ((n + 2) / 3) + 1);

	assert_non_null(s);
	EVP_EncodeBlock((unsigned char *)s, d, (int)n);
	return s;
}

/* base64 of a fixture file. */
static char *b64_file(const char *name)
{
	struct sn_buf b;
	char *s;

	fx_read(&b, name);
	s = b64_of(b.data, b.len);
	sn_buf_free(&b);
	return s;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/* Writes a contract (printf-style) as fixture file name; returns its path
 * in a static buffer. */
SN_PRINTF(2, 3) static const char *contract(const char *name, const char *fmt, ...)
{
	static char path[512];
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	fx_path(path, name);
	write_text(path, text);
	free(text);
	return path;
}

static struct sn_policy *load_ok(const char *path, const char *key, int strict)
{
	struct sn_policy *p = NULL;
	struct sn_err e = {0};
	int rc = sn_policy_load_contract(&p, path, key, strict, 0, &e);

	if (rc != 0)
		fail_msg("loading %s failed (%d): %s", path, rc, e.msg);
	assert_non_null(p);
	return p;
}

/* Loading must fail with code and a message holding every string given
 * (NULL-terminated list). */
static void load_fails(const char *path, const char *key, int code, ...)
{
	struct sn_policy *p = NULL;
	struct sn_err e = {0};
	const char *s;
	va_list ap;
	int rc = sn_policy_load_contract(&p, path, key, 0, 0, &e);

	if (rc != code)
		fail_msg("%s: expected %d, got %d: %s", path, code, rc, e.msg);
	assert_null(p);
	va_start(ap, code);
	while ((s = va_arg(ap, const char *)) != NULL)
		if (strstr(e.msg, s) == NULL)
			fail_msg("\"%s\" not in \"%s\"", s, e.msg);
	va_end(ap);
}

static const struct sn_scope_reqs *scope_of(const struct sn_policy *p, const char *scope)
{
	for (size_t i = 0; i < p->n_scopes; i++)
		if (strcmp(p->scopes[i].scope, scope) == 0)
			return &p->scopes[i];
	fail_msg("no scope %s", scope);
	return NULL;
}

/* The scope holds one signedBy requirement pinning exactly the bytes of
 * fixture file key_file, named after ident. */
static void assert_pinned(const struct sn_policy *p, const char *scope, const char *path, const char *ident,
                          const char *key_file)
{
	const struct sn_scope_reqs *s = scope_of(p, scope);
	const struct sn_requirement *r;
	char name[1024];
	struct sn_buf want;

	assert_string_equal(s->transport, "docker");
	assert_int_equal(s->n_reqs, 1);
	r = &s->reqs[0];
	assert_int_equal(r->type, SN_REQ_SIGNED_BY);
	assert_int_equal(r->identity.rule, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT);
	assert_int_equal(r->n_keys, 1);
	fx_read(&want, key_file);
	assert_int_equal(r->keys[0].len, want.len);
	assert_memory_equal(r->keys[0].data, want.data, want.len);
	sn_buf_free(&want);
	snprintf(name, sizeof(name), "contract %s: workload.images.rhs.\"%s\".publicKey", path, ident);
	assert_string_equal(r->key_names[0], name);
	snprintf(name, sizeof(name), "contract %s: workload.images.rhs.\"%s\"", path, ident);
	assert_string_equal(r->where, name);
}

/* The requirements sn_policy_choose gives image: those of scope (NULL:
 * the global default), the first of type type. */
static void assert_choice(const struct sn_policy *p, const char *image, const char *scope,
                          enum sn_req_type type)
{
	struct sn_scope_choice ch;
	struct sn_ref *ref = NULL;
	struct sn_err e = {0};

	if (sn_ref_parse_docker(&ref, image, &e) != 0)
		fail_msg("%s: %s", image, e.msg);
	sn_policy_choose(&ch, p, ref);
	if (scope == NULL) {
		assert_null(ch.transport);
	} else {
		assert_non_null(ch.scope);
		assert_string_equal(ch.scope, scope);
	}
	assert_true(ch.n_reqs >= 1);
	assert_int_equal(ch.reqs[0].type, type);
	sn_ref_free(ref);
}

static void assert_default_reject(const struct sn_policy *p, const char *path)
{
	char where[600];

	assert_int_equal(p->n_default, 1);
	assert_int_equal(p->default_reqs[0].type, SN_REQ_REJECT);
	assert_string_equal(p->default_reqs[0].unsupported,
	                    "no key is pinned for this repository in the contract");
	snprintf(where, sizeof(where), "contract %s", path);
	assert_string_equal(p->default_reqs[0].where, where);
}

/* Encrypts fixture file section with IBM's commands
 * (fixtures/make-contracts.sh) for certificate cert; password: base64
 * preset or NULL (random).  Returns the section text. */
static char *ibm_encrypt(const char *section, const char *cert, const char *password)
{
	char sec[512], crt[512], outp[512], line[65536];
	FILE *f;
	char *s;

	fx_path(outp, "encrypted.out");
	if (fx_sh("PASSWORD='%s' sh '%s/make-contracts.sh' encrypt '%s' '%s' >'%s' 2>>'%s/openssl.log'",
	          password != NULL ? password : "", FIXTURES_DIR, fx_path(sec, section), fx_path(crt, cert),
	          outp, fx_dir) != 0)
		fail_msg("IBM's encryption commands failed; see %s/openssl.log", fx_dir);
	f = fopen(outp, "re");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	assert_true(strncmp(line, "hyper-protect-basic.", 20) == 0);
	s = strdup(line);
	assert_non_null(s);
	return s;
}

/* ---- fixtures ------------------------------------------------------- */

static char *key_a, *key_b; /* base64 of A.asc, B.asc */

static int group_setup(void **state)
{
	(void)state;
	if (fx_setup() != 0)
		return -1;
	/* The HPCR encryption certificate stand-in (IBM encrypts with
	 * -certin), its private key, and a second, unrelated key pair. */
	if (fx_sh("cd '%s' && sh '%s/make-contracts.sh' keypair . 2>>openssl.log && "
	          "openssl genrsa -out other.key 3072 2>>openssl.log && "
	          "openssl genpkey -algorithm ed25519 -out ed.key 2>>openssl.log",
	          fx_dir, FIXTURES_DIR) != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

static int load_keys(void **state)
{
	(void)state;
	if (key_a == NULL) {
		key_a = b64_file("A.asc");
		key_b = b64_file("B.asc");
	}
	return 0;
}

/* ---- the model ------------------------------------------------------ */

static void test_rhs_mapping(void **state)
{
	struct sn_policy *p;
	const char *path;

	(void)state;
	path = contract("rhs.yaml",
	                "workload:\n"
	                "  type: workload\n"
	                "  compose:\n"
	                "    archive: H4sIAKOFmGIAA+2RTW6DMBBGs84pRuyB8Q8k\n"
	                "  images:\n"
	                "    rhs:\n"
	                "      us.icr.io/ns/app:\n"
	                "        publicKey: %s\n"
	                "      \"busybox\":\n"
	                "        publicKey: %s\n"
	                "      r.example.com/team/svc:v1.2:\n"
	                "        publicKey: %s\n"
	                "  volumes:\n"
	                "    test:\n"
	                "      seed: workload_phrase\n"
	                "  env:\n"
	                "    K: v\n"
	                "env:\n"
	                "  type: env\n"
	                "  logging:\n"
	                "    logRouter: {hostname: h.example.com, port: 443}\n"
	                "attestationPublicKey: |\n"
	                "  -----BEGIN PUBLIC KEY-----\n"
	                "  -----END PUBLIC KEY-----\n",
	                key_a, key_b, key_a);
	p = load_ok(path, NULL, 0);
	assert_string_equal(p->source, path);
	assert_int_equal(p->n_scopes, 3);
	assert_pinned(p, "us.icr.io/ns/app", path, "us.icr.io/ns/app", "A.asc");
	assert_pinned(p, "docker.io/library/busybox", path, "busybox", "B.asc");
	/* A tag makes an exact-reference scope, as in policy.json. */
	assert_pinned(p, "r.example.com/team/svc:v1.2", path, "r.example.com/team/svc:v1.2", "A.asc");
	assert_default_reject(p, path);
	assert_int_equal(p->allow_digest_refs_unsigned, 1);
	assert_int_equal(p->index_signature_covers_instances, 1);
	assert_int_equal(p->n_auths, 0);
	/* What applies to images, through the shared scope resolution. */
	assert_choice(p, "us.icr.io/ns/app:v2", "us.icr.io/ns/app", SN_REQ_SIGNED_BY);
	assert_choice(
	    p, "us.icr.io/ns/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    "us.icr.io/ns/app", SN_REQ_SIGNED_BY);
	assert_choice(p, "busybox", "docker.io/library/busybox", SN_REQ_SIGNED_BY);
	assert_choice(p, "r.example.com/team/svc:v1.2", "r.example.com/team/svc:v1.2", SN_REQ_SIGNED_BY);
	assert_choice(p, "r.example.com/team/svc:v1.3", NULL, SN_REQ_REJECT);
	assert_choice(p, "us.icr.io/ns/other:v1", NULL, SN_REQ_REJECT);
	sn_policy_free(p);

	/* strict: digest references need signatures too. */
	p = load_ok(path, NULL, 1);
	assert_int_equal(p->allow_digest_refs_unsigned, 0);
	sn_policy_free(p);
}

static void test_no_images(void **state)
{
	struct sn_policy *p;
	const char *path;

	(void)state;
	/* Nothing pinned: every image by tag is denied, by default. */
	path = contract("noimages.yaml", "workload:\n  type: workload\n  images:\n    rhs:\n    dct: ~\n"
	                                 "env:\n  type: env\n");
	p = load_ok(path, NULL, 0);
	assert_int_equal(p->n_scopes, 0);
	assert_default_reject(p, path);
	sn_policy_free(p);
}

static void test_workload_string(void **state)
{
	struct sn_policy *p;
	const char *path;

	(void)state;
	/* A block literal holding the workload's YAML, as IBM's examples. */
	path = contract("literal.yaml",
	                "env: |\n"
	                "  type: env\n"
	                "workload: |\n"
	                "  type: workload\n"
	                "  images:\n"
	                "    rhs:\n"
	                "      us.icr.io/ns/app:\n"
	                "        publicKey: %s\n",
	                key_a);
	p = load_ok(path, NULL, 0);
	assert_int_equal(p->n_scopes, 1);
	assert_pinned(p, "us.icr.io/ns/app", path, "us.icr.io/ns/app", "A.asc");
	sn_policy_free(p);

	/* Any string style: here double-quoted flow YAML. */
	path = contract("quoted.yaml",
	                "workload: \"images: {rhs: {'us.icr.io/ns/app': {publicKey: %s}}}\"\n"
	                "env: 'type: env'\n",
	                key_a);
	p = load_ok(path, NULL, 0);
	assert_pinned(p, "us.icr.io/ns/app", path, "us.icr.io/ns/app", "A.asc");
	sn_policy_free(p);
}

static void test_dct_unsupported(void **state)
{
	const struct sn_scope_reqs *s;
	struct sn_policy *p;
	const char *path;
	char where[600];

	(void)state;
	path = contract("dct.yaml",
	                "workload:\n"
	                "  images:\n"
	                "    dct:\n"
	                "      us.icr.io/mynamespace/my-haproxy:\n"
	                "        notary: \"https://notary.us.icr.io\"\n"
	                "        publicKey: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\n"
	                "    rhs:\n"
	                "      us.icr.io/mynamespace/my-haproxy:\n"
	                "        publicKey: %s\n"
	                "env:\n  type: env\n",
	                key_a);
	p = load_ok(path, NULL, 0);
	assert_int_equal(p->n_scopes, 1);
	s = scope_of(p, "us.icr.io/mynamespace/my-haproxy");
	/* Both pins apply (AND): the DCT one always denies, for now. */
	assert_int_equal(s->n_reqs, 2);
	assert_int_equal(s->reqs[0].type, SN_REQ_UNSUPPORTED);
	assert_string_equal(s->reqs[0].unsupported, "Docker Content Trust is not supported yet");
	snprintf(where, sizeof(where),
	         "contract %s: workload.images.dct.\"us.icr.io/mynamespace/my-haproxy\"", path);
	assert_string_equal(s->reqs[0].where, where);
	assert_int_equal(s->reqs[1].type, SN_REQ_SIGNED_BY);
	sn_policy_free(p);

	path =
	    contract("dcttag.yaml", "workload:\n  images:\n    dct:\n      us.icr.io/ns/app:v1:\n"
	                            "        notary: https://n\n        publicKey: AAAA\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload.images.dct.\"us.icr.io/ns/app:v1\"",
	           "must name a repository", "(line 4)", NULL);
	path = contract("dctnonotary.yaml", "workload:\n  images:\n    dct:\n      us.icr.io/ns/app:\n"
	                                    "        publicKey: AAAA\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT,
	           "workload.images.dct.\"us.icr.io/ns/app\": notary is missing", NULL);
}

static void test_auths(void **state)
{
	struct sn_policy *p;
	const char *path;

	(void)state;
	path = contract("auths.yaml", "workload:\n"
	                              "  auths:\n"
	                              "    us.icr.io:\n"
	                              "      password: s3cret:with:colons\n"
	                              "      username: iamapikey\n"
	                              "    https://index.docker.io/v1/:\n"
	                              "      username: hubuser\n"
	                              "      password: \"hub pass\"\n"
	                              "    localhost:5000: {username: u, password: p}\n"
	                              "env:\n  type: env\n");
	p = load_ok(path, NULL, 0);
	assert_int_equal(p->n_auths, 3);
	assert_string_equal(p->auth_hosts[0], "us.icr.io");
	assert_string_equal(p->auth_creds[0], "iamapikey:s3cret:with:colons");
	assert_string_equal(p->auth_hosts[1], "docker.io");
	assert_string_equal(p->auth_creds[1], "hubuser:hub pass");
	assert_string_equal(p->auth_hosts[2], "localhost:5000");
	assert_string_equal(p->auth_creds[2], "u:p");
	sn_policy_free(p);

	path = contract("auths-nopw.yaml",
	                "workload:\n  auths:\n    us.icr.io:\n      username: u\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload.auths.\"us.icr.io\": password is missing", NULL);
	path = contract(
	    "auths-colon.yaml",
	    "workload:\n  auths:\n    us.icr.io: {username: 'a:b', password: p}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "username contains ':'", NULL);
	path = contract(
	    "auths-extra.yaml",
	    "workload:\n  auths:\n    us.icr.io: {username: a, password: p, email: x}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "unknown key \"email\"", NULL);
	path = contract("auths-twice.yaml",
	                "workload:\n  auths:\n    docker.io: {username: a, password: p}\n"
	                "    https://index.docker.io/v1/: {username: b, password: q}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "credentials for docker.io are given twice", NULL);
	/* The password never appears in a message. */
	path = contract(
	    "auths-bad.yaml",
	    "workload:\n  auths:\n    us.icr.io: {username: a, password: [TOPSECRET]}\nenv: {type: env}\n");
	{
		struct sn_policy *q = NULL;
		struct sn_err e = {0};

		assert_int_equal(sn_policy_load_contract(&q, path, NULL, 0, 0, &e), SIGNET_EBADINPUT);
		assert_non_null(strstr(e.msg, "workload.auths.\"us.icr.io\".password must be a string"));
		assert_null(strstr(e.msg, "TOPSECRET"));
	}
}

/* ---- encryption ----------------------------------------------------- */

static const char workload_yaml[] = "type: workload\n"
                                    "images:\n"
                                    "  rhs:\n"
                                    "    us.icr.io/ns/app:\n"
                                    "      publicKey: %s\n"
                                    "auths:\n"
                                    "  us.icr.io: {username: iamapikey, password: topsecret}\n";

static void test_encrypted_workload(void **state)
{
	char sec[512], key[512], other[512];
	struct sn_policy *p;
	const char *path;
	char *wl, *env;

	(void)state;
	(void)contract("workload.yaml", workload_yaml, key_a);
	(void)contract("env.yaml", "type: env\nlogging:\n  syslog: {hostname: h, port: 6514}\n");
	fx_path(key, "hpcr.key");
	fx_path(other, "other.key");
	/* Random passwords, as IBM's steps make them (a password byte that
	 * is a newline or NUL changes what openssl uses: several rounds). */
	for (int round = 0; round < 6; round++) {
		wl = ibm_encrypt("workload.yaml", "hpcr.crt", NULL);
		env = ibm_encrypt("env.yaml", "hpcr.crt", NULL);
		path = contract("encrypted.yaml", "env: %s\nworkload: %s\n", env, wl);
		p = load_ok(path, key, 0);
		assert_int_equal(p->n_scopes, 1);
		assert_pinned(p, "us.icr.io/ns/app", path, "us.icr.io/ns/app", "A.asc");
		assert_int_equal(p->n_auths, 1);
		assert_string_equal(p->auth_creds[0], "iamapikey:topsecret");
		sn_policy_free(p);
		free(wl);
		free(env);
	}

	/* `-pass stdin` reads a line: a password with a newline in the
	 * middle encrypts with its first part only. */
	wl = ibm_encrypt("workload.yaml", "hpcr.crt",
	                 "Cnh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg="); /* "\n" first */
	path = contract("encrypted-nl0.yaml", "workload: %s\nenv:\n  type: env\n", wl);
	p = load_ok(path, key, 0);
	assert_pinned(p, "us.icr.io/ns/app", path, "us.icr.io/ns/app", "A.asc");
	sn_policy_free(p);
	free(wl);
	wl = ibm_encrypt("workload.yaml", "hpcr.crt",
	                 "cHcxCnRoZS1yZXN0LW9mLXRoZS0zMi1ieXRlLXBhc3M="); /* "pw1\n..." */
	path = contract("encrypted-nl.yaml", "workload: %s\nenv:\n  type: env\n", wl);
	p = load_ok(path, key, 0);
	assert_pinned(p, "us.icr.io/ns/app", path, "us.icr.io/ns/app", "A.asc");
	sn_policy_free(p);

	/* No key: a clear error, not a parse failure. */
	{
		char msg[1024];

		snprintf(msg, sizeof(msg),
		         "contract %s: workload is encrypted (hyper-protect-basic); give the private key to "
		         "decrypt it",
		         path);
		load_fails(path, NULL, SIGNET_EBADINPUT, msg, NULL);
	}
	/* The wrong private key. */
	load_fails(path, other, SIGNET_EBADINPUT, "workload: cannot decrypt", other,
	           "not the key the contract was encrypted for", NULL);
	/* Not an RSA key; not a key at all; no such file. */
	load_fails(path, fx_path(sec, "ed.key"), SIGNET_EBADINPUT, "not an RSA key", NULL);
	load_fails(path, fx_path(sec, "A.asc"), SIGNET_EBADINPUT, "not a PEM private key", NULL);
	load_fails(path, fx_path(sec, "missing.key"), SIGNET_ENOTFOUND, "missing.key", NULL);

	/* Damaged: the last AES block cut off (the padding check fails,
	 * whatever the random salt), or not base64. */
	{
		char *dot = strrchr(wl, '.'), *cut, *b64;
		unsigned char *ct = NULL;
		size_t ctl = 0;

		assert_non_null(dot);
		assert_int_equal(sn_base64_decode(&ct, &ctl, dot + 1, strlen(dot + 1)), 0);
		assert_true(ctl >= 48);
		b64 = b64_of(ct, ctl - 16);
		assert_int_not_equal(asprintf(&cut, "%.*s.%s", (int)(dot - wl), wl, b64), -1);
		path = contract("damaged.yaml", "workload: %s\nenv: {type: env}\n", cut);
		load_fails(path, key, SIGNET_EBADINPUT, "workload: cannot decrypt with the private key",
		           "not the key the contract was encrypted for, or the section is damaged", NULL);
		free(cut);
		free(b64);
		free(ct);
	}
	path = contract("badb64.yaml", "workload: hyper-protect-basic.AAAA.@@@@\nenv: {type: env}\n");
	load_fails(path, key, SIGNET_EBADINPUT,
	           "the encrypted data of the hyper-protect-basic section is not base64", NULL);
	path = contract("badform.yaml", "workload: hyper-protect-basic.AAAA\nenv: {type: env}\n");
	load_fails(path, key, SIGNET_EBADINPUT, "hyper-protect-basic.<base64 password>.<base64 data>", NULL);
	path = contract("notsalted.yaml",
	                "workload: hyper-protect-basic.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
	                "env: {type: env}\n");
	load_fails(path, key, SIGNET_EBADINPUT, "Salted__", NULL);
	free(wl);

	/* Duplicate keys inside the decrypted text: named, with its line. */
	(void)contract("workload-dup.yaml", "type: workload\nimages:\n  rhs: {}\n  rhs: {}\n");
	wl = ibm_encrypt("workload-dup.yaml", "hpcr.crt", NULL);
	path = contract("encrypted-dup.yaml", "workload: %s\nenv: {type: env}\n", wl);
	load_fails(path, key, SIGNET_EBADINPUT,
	           "workload (decrypted): line 4: duplicate key \"rhs\" (first at line 3)", NULL);
	free(wl);

	/* An encrypted env needs no key: signet never decrypts it. */
	env = ibm_encrypt("env.yaml", "hpcr.crt", NULL);
	path = contract("encrypted-env.yaml", "workload:\n  type: workload\nenv: %s\n", env);
	p = load_ok(path, NULL, 0);
	sn_policy_free(p);
	free(env);
}

/* ---- refusals ------------------------------------------------------- */

static void test_bad_public_keys(void **state)
{
	char *secret, *binary, *garbage_b64;
	struct sn_buf a;
	char *with_garbage;
	const char *path;

	(void)state;
	path = contract("notb64.yaml", "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app:\n"
	                               "        publicKey: not-base64!\nenv: {type: env}\n");
	{
		char msg[1024];

		snprintf(msg, sizeof(msg),
		         "contract %s: workload.images.rhs.\"us.icr.io/ns/app\".publicKey: not base64", path);
		load_fails(path, NULL, SIGNET_EBADINPUT, msg, "(line 5)", NULL);
	}

	secret = b64_file("A.secret.asc");
	path = contract("secret.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app:\n"
	                "        publicKey: %s\nenv: {type: env}\n",
	                secret);
	load_fails(path, NULL, SIGNET_EBADINPUT,
	           "workload.images.rhs.\"us.icr.io/ns/app\".publicKey: a secret key block", NULL);
	free(secret);

	binary = b64_file("A.gpg");
	path = contract("binary.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app:\n"
	                "        publicKey: %s\nenv: {type: env}\n",
	                binary);
	load_fails(path, NULL, SIGNET_EBADINPUT, "publicKey: a binary OpenPGP key", NULL);
	free(binary);

	fx_read(&a, "A.asc");
	with_garbage = malloc(a.len + 32);
	assert_non_null(with_garbage);
	memcpy(with_garbage, a.data, a.len);
	memcpy(with_garbage + a.len, "garbage\n", 9);
	garbage_b64 = b64_of((unsigned char *)with_garbage, a.len + 8);
	path = contract("garbage.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app:\n"
	                "        publicKey: %s\nenv: {type: env}\n",
	                garbage_b64);
	load_fails(path, NULL, SIGNET_EBADINPUT, "publicKey: data after the end of the key block", NULL);
	free(garbage_b64);
	/* Two keys in a row are not one key block. */
	memcpy(with_garbage + a.len, a.data, a.len > 30 ? 30 : a.len);
	garbage_b64 = b64_of((unsigned char *)with_garbage, a.len + 30);
	path = contract("twokeys.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app:\n"
	                "        publicKey: %s\nenv: {type: env}\n",
	                garbage_b64);
	load_fails(path, NULL, SIGNET_EBADINPUT, "publicKey: data after the end of the key block", NULL);
	free(garbage_b64);
	free(with_garbage);
	sn_buf_free(&a);

	path = contract("nokey.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app: {}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT,
	           "workload.images.rhs.\"us.icr.io/ns/app\": publicKey is missing", NULL);
	path = contract("emptykey.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app: {publicKey: }\n"
	                "env: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "publicKey is empty", NULL);
	path = contract("extrakey.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app: {publicKey: %s, notary: x}\n"
	                "env: {type: env}\n",
	                key_a);
	load_fails(path, NULL, SIGNET_EBADINPUT, "unknown key \"notary\" (an rhs entry has only publicKey)",
	           NULL);
	path = contract("badref.yaml",
	                "workload:\n  images:\n    rhs:\n      US.icr.io/NS/App: {publicKey: %s}\n"
	                "env: {type: env}\n",
	                key_a);
	load_fails(path, NULL, SIGNET_EBADINPUT,
	           "workload.images.rhs.\"US.icr.io/NS/App\": not an image identifier", NULL);
	path = contract("samerepo.yaml",
	                "workload:\n  images:\n    rhs:\n      busybox: {publicKey: %s}\n"
	                "      docker.io/library/busybox: {publicKey: %s}\nenv: {type: env}\n",
	                key_a, key_b);
	load_fails(path, NULL, SIGNET_EBADINPUT,
	           "the repository docker.io/library/busybox is already pinned by", NULL);
}

static void test_duplicate_keys(void **state)
{
	const char *path;
	char msg[600];

	(void)state;
	path = contract("dup.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/app:\n        publicKey: %s\n"
	                "        publicKey: %s\nenv: {type: env}\n",
	                key_a, key_b);
	snprintf(msg, sizeof(msg), "contract %s: line 6: duplicate key \"publicKey\" (first at line 5)",
	         path);
	load_fails(path, NULL, SIGNET_EBADINPUT, msg, NULL);

	/* In a block literal, the line is the file's. */
	path = contract("dup-literal.yaml", "env: {type: env}\n"
	                                    "workload: |\n"
	                                    "  type: workload\n"
	                                    "  volumes:\n"
	                                    "    v: {seed: a}\n"
	                                    "    v: {seed: b}\n");
	snprintf(msg, sizeof(msg), "contract %s: line 6: duplicate key \"v\" (first at line 5)", path);
	load_fails(path, NULL, SIGNET_EBADINPUT, msg, NULL);

	/* In another string style, the line within the string. */
	path = contract("dup-quoted.yaml",
	                "env: {type: env}\nworkload: \"type: workload\\ntype: workload\\n\"\n");
	snprintf(msg, sizeof(msg),
	         "contract %s: workload (the YAML in the string at line 2): line 2: duplicate key \"type\"",
	         path);
	load_fails(path, NULL, SIGNET_EBADINPUT, msg, NULL);

	/* Top level, and in parts signet otherwise ignores. */
	path = contract("dup-top.yaml",
	                "workload: {type: workload}\nenv: {type: env}\nworkload: {type: workload}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "line 3: duplicate key \"workload\" (first at line 1)",
	           NULL);
	path = contract("dup-env.yaml", "workload: {type: workload}\nenv:\n  env: {A: 1, A: 2}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "line 3: duplicate key \"A\"", NULL);
}

static void test_yaml_refusals(void **state)
{
	const char *path;

	(void)state;
	path = contract("alias.yaml",
	                "workload:\n  images:\n    rhs:\n      us.icr.io/ns/a: &k\n        publicKey: %s\n"
	                "      us.icr.io/ns/b: *k\nenv: {type: env}\n",
	                key_a);
	load_fails(path, NULL, SIGNET_EBADINPUT, "line 6: YAML aliases (*k) are not allowed", NULL);
	path = contract("alias-literal.yaml", "env: {type: env}\nworkload: |\n  a: &x 1\n  b: *x\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "line 4: YAML aliases (*x) are not allowed", NULL);
	path = contract("merge.yaml", "workload:\n  compose: {<<: {a: 1}}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "merge keys", NULL);
	path = contract("tag.yaml", "workload: !!map {type: workload}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "explicit YAML tags", NULL);
	path = contract("twodocs.yaml", "workload: {}\nenv: {type: env}\n---\nworkload: {}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "more than one YAML document", NULL);
	path = contract("syntax.yaml", "workload: {\nenv: x\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "invalid YAML", NULL);
}

static void test_structure(void **state)
{
	const char *path;

	(void)state;
	path = contract("empty.yaml", "# nothing\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "empty: a contract has workload and env sections", NULL);
	path = contract("list.yaml", "- workload\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "the top level must be a mapping", NULL);
	path = contract("unknown.yaml", "workload: {type: workload}\nenv: {type: env}\nworklaod: {}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "unknown top-level key \"worklaod\"", "(line 3)", NULL);
	path = contract("noenv.yaml", "workload: {type: workload}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "no env section", NULL);
	path = contract("noworkload.yaml", "env: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "no workload section", NULL);
	path = contract("swapped.yaml", "workload: {type: env}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload.type is \"env\", not \"workload\"", NULL);
	path = contract("seq.yaml", "workload: [a]\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload must be a mapping or a string", NULL);
	path = contract("nullwl.yaml", "workload:\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload is empty", NULL);
	path = contract("scalarwl.yaml", "workload: just words\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "the workload section must hold a YAML mapping", NULL);
	path = contract("images-typo.yaml", "workload:\n  images:\n    rsh: {}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload.images: unknown key \"rsh\"", NULL);
	path = contract("images-seq.yaml", "workload:\n  images: [rhs]\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload.images must be a mapping", NULL);
	path = contract("attest.yaml", "workload: {}\nenv: {type: env}\nattestationPublicKey: {a: b}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "attestationPublicKey must be a string", NULL);
	load_fails("/nonexistent/contract.yaml", NULL, SIGNET_ENOTFOUND, "/nonexistent/contract.yaml", NULL);
}

static void test_limits(void **state)
{
	char path[512], *deep;
	size_t n = 0;
	FILE *f;

	(void)state;
	/* One byte over SIGNET_MAX_POLICY_FILE_SIZE. */
	fx_path(path, "huge.yaml");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)SIGNET_MAX_POLICY_FILE_SIZE + 1), 0);
	fclose(f);
	load_fails(path, NULL, SIGNET_ELIMIT, "larger than the limit", NULL);
	unlink(path);

	/* Nesting one deeper than SIGNET_MAX_YAML_DEPTH, inside a part
	 * signet ignores. */
	deep = malloc(4 * SIGNET_MAX_YAML_DEPTH + 64);
	assert_non_null(deep);
	for (int i = 0; i < SIGNET_MAX_YAML_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < SIGNET_MAX_YAML_DEPTH; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	/* workload at depth 1, compose 2, then the brackets. */
	load_fails(contract("deep.yaml", "workload: {compose: %s}\nenv: {type: env}\n", deep), NULL,
	           SIGNET_ELIMIT, "YAML nesting deeper than the limit of 64", NULL);
	free(deep);
}

/* ---- signet contract images ---------------------------------------- */

static void test_images_round_trip(void **state)
{
	const char *repos[] = {"us.icr.io/ns/app", "busybox:1.36",
	                       "r.example.com/x@sha256:"
	                       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
	char a[512], b[512], c[512], ind[512];
	const char *keys[3];
	signet_ctx *ctx = NULL;
	struct sn_policy *p;
	const struct sn_scope_reqs *s;
	char *yaml = NULL, *indented, *o;
	const char *path;
	size_t n;

	(void)state;
	keys[0] = fx_path(a, "A.asc");
	keys[1] = fx_path(b, "B.gpg"); /* binary: armored by signet */
	keys[2] = fx_path(c, "C.asc");
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	if (signet_contract_images(&yaml, ctx, repos, keys, 3) != 0)
		fail_msg("signet_contract_images: %s", signet_ctx_errmsg(ctx));
	assert_true(strncmp(yaml, "images:\n  rhs:\n", 15) == 0);
	assert_non_null(strstr(yaml, "    \"us.icr.io/ns/app\":\n      publicKey: "));
	assert_non_null(strstr(yaml, "    \"docker.io/library/busybox:1.36\":\n"));
	/* Checked in process, and named. */
	{
		char comment[128];

		snprintf(comment, sizeof(comment), "    # %s (signet test A <a@signet.test>)\n", fx_fpr("A"));
		assert_non_null(strstr(yaml, comment));
	}

	/* Into a contract: under workload:, indented by two. */
	n = strlen(yaml);
	indented = malloc(2 * n + 64);
	assert_non_null(indented);
	o = indented;
	for (const char *l = yaml; *l != '\0';) {
		size_t len = strcspn(l, "\n");

		o += snprintf(o, (size_t)(indented + 2 * n + 64 - o), "  %.*s\n", (int)len, l);
		l += len + (l[len] == '\n');
	}
	path = contract("roundtrip.yaml", "workload:\n  type: workload\n%senv:\n  type: env\n", indented);
	p = load_ok(path, NULL, 0);
	assert_int_equal(p->n_scopes, 3);
	assert_pinned(p, "us.icr.io/ns/app", path, "us.icr.io/ns/app", "A.asc");
	assert_pinned(
	    p, "r.example.com/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    path, "r.example.com/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    "C.asc");
	/* The armor signet made for the binary key is what gpg reads back
	 * (checksum included). */
	s = scope_of(p, "docker.io/library/busybox:1.36");
	assert_int_equal(s->reqs[0].type, SN_REQ_SIGNED_BY);
	fx_path(ind, "B.rearmored.asc");
	{
		FILE *f = fopen(ind, "w");

		assert_non_null(f);
		assert_int_equal(fwrite(s->reqs[0].keys[0].data, 1, s->reqs[0].keys[0].len, f),
		                 s->reqs[0].keys[0].len);
		fclose(f);
	}
	assert_int_equal(
	    fx_sh("cd '%s' && gpg --batch --dearmor < B.rearmored.asc > B.dearmored 2>>gpg.log && "
	          "cmp -s B.dearmored B.gpg",
	          fx_dir),
	    0);
	sn_policy_free(p);
	free(indented);
	free(yaml);
	yaml = NULL;

	/* Refusals: a secret key, a repository twice, a bad repository. */
	keys[0] = fx_path(a, "A.secret.asc");
	assert_int_equal(signet_contract_images(&yaml, ctx, repos, keys, 1), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "A.secret.asc: a secret key block"));
	keys[0] = fx_path(a, "A.secret.gpg");
	assert_int_equal(signet_contract_images(&yaml, ctx, repos, keys, 1), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "A.secret.gpg: a secret key"));
	keys[0] = fx_path(a, "payload.json");
	assert_int_equal(signet_contract_images(&yaml, ctx, repos, keys, 1), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "not an ASCII-armored OpenPGP public key block"));
	keys[0] = fx_path(a, "A.asc");
	keys[1] = fx_path(b, "B.asc");
	{
		const char *twice[] = {"busybox", "docker.io/library/busybox"};

		assert_int_equal(signet_contract_images(&yaml, ctx, twice, keys, 2), SIGNET_EINVAL);
		assert_non_null(strstr(signet_ctx_errmsg(ctx), "docker.io/library/busybox is given twice"));
	}
	{
		const char *badrepo[] = {"Not/A/Repo"};

		assert_int_equal(signet_contract_images(&yaml, ctx, badrepo, keys, 1), SIGNET_EBADINPUT);
		assert_non_null(strstr(signet_ctx_errmsg(ctx), "repository \"Not/A/Repo\""));
	}
	keys[0] = fx_path(a, "no-such-key.asc");
	assert_int_equal(signet_contract_images(&yaml, ctx, repos, keys, 1), SIGNET_ENOTFOUND);
	assert_int_equal(signet_contract_images(&yaml, ctx, repos, keys, 0), SIGNET_EINVAL);
	assert_null(yaml);
	signet_ctx_free(ctx);
}

/* ---- cosign keys (workload.images.cosign) ----------------------------- */

/* The cosign fixtures, made once in the fixture directory with openssl:
 * c.key/c.pub (P-256), c2.pub (another P-256), ed.pub (Ed25519),
 * rsa1024.pub, dsa.pub, c.crt (a certificate of c.key). */
static void cosign_keys(void)
{
	static int made;

	if (made)
		return;
	if (fx_sh("cd '%s' && { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out c.key && "
	          "openssl pkey -in c.key -pubout -out c.pub && "
	          "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out c2.key && "
	          "openssl pkey -in c2.key -pubout -out c2.pub && openssl pkey -in ed.key -pubout -out "
	          "ed.pub && "
	          "openssl genrsa -out rsa1024.key 1024 && openssl pkey -in rsa1024.key -pubout -out "
	          "rsa1024.pub && "
	          "openssl req -x509 -new -key c.key -subj /CN=c -days 1 -out c.crt; } 2>>openssl.log",
	          fx_dir) != 0)
		fail_msg("openssl could not make the cosign fixtures; see %s/openssl.log", fx_dir);
	made = 1;
}

/* scope's requirement i is a sigstoreSigned pinning fixture file key_file,
 * matchRepository, named after ident. */
static void assert_cosign_pinned(const struct sn_policy *p, const char *scope, size_t i, const char *path,
                                 const char *ident, const char *key_file)
{
	const struct sn_scope_reqs *s = scope_of(p, scope);
	const struct sn_requirement *r;
	struct sn_buf want;
	char name[1024];

	assert_true(s->n_reqs > i);
	r = &s->reqs[i];
	assert_int_equal(r->type, SN_REQ_SIGSTORE_SIGNED);
	assert_int_equal(r->identity.rule, SN_IDENTITY_MATCH_REPOSITORY);
	assert_int_equal(r->n_keys, 1);
	fx_read(&want, key_file);
	assert_int_equal(r->keys[0].len, want.len);
	assert_memory_equal(r->keys[0].data, want.data, want.len);
	sn_buf_free(&want);
	snprintf(name, sizeof(name), "contract %s: workload.images.cosign.\"%s\".publicKey", path, ident);
	assert_string_equal(r->key_names[0], name);
	snprintf(name, sizeof(name), "contract %s: workload.images.cosign.\"%s\"", path, ident);
	assert_string_equal(r->where, name);
}

static void test_cosign_mapping(void **state)
{
	char *c = NULL, *ed = NULL;
	const struct sn_scope_reqs *s;
	struct sn_policy *p;
	const char *path;

	(void)state;
	cosign_keys();
	c = b64_file("c.pub");
	ed = b64_file("ed.pub");
	path = contract("cosign.yaml",
	                "workload:\n"
	                "  type: workload\n"
	                "  images:\n"
	                "    cosign:\n"
	                "      us.icr.io/ns/cos:\n"
	                "        publicKey: %s\n"
	                "      \"busybox:1.36\":\n"
	                "        publicKey: %s\n"
	                "      us.icr.io/ns/both:\n"
	                "        publicKey: %s\n"
	                "    rhs:\n"
	                "      us.icr.io/ns/both:\n"
	                "        publicKey: %s\n"
	                "env:\n"
	                "  type: env\n",
	                c, ed, c, key_a);
	p = load_ok(path, NULL, 0);
	assert_int_equal(p->n_scopes, 3);
	assert_int_equal(scope_of(p, "us.icr.io/ns/cos")->n_reqs, 1);
	assert_cosign_pinned(p, "us.icr.io/ns/cos", 0, path, "us.icr.io/ns/cos", "c.pub");
	/* A tag makes an exact-reference scope, as for rhs. */
	assert_cosign_pinned(p, "docker.io/library/busybox:1.36", 0, path, "busybox:1.36", "ed.pub");
	/* Pinned in cosign and rhs: both requirements apply (AND), in the
	 * order of the file. */
	s = scope_of(p, "us.icr.io/ns/both");
	assert_int_equal(s->n_reqs, 2);
	assert_cosign_pinned(p, "us.icr.io/ns/both", 0, path, "us.icr.io/ns/both", "c.pub");
	assert_int_equal(s->reqs[1].type, SN_REQ_SIGNED_BY);
	assert_choice(p, "us.icr.io/ns/cos:v9", "us.icr.io/ns/cos", SN_REQ_SIGSTORE_SIGNED);
	assert_choice(p, "busybox:1.37", NULL, SN_REQ_REJECT);
	assert_default_reject(p, path);
	assert_int_equal(p->allow_digest_refs_unsigned, 1);
	sn_policy_free(p);
	free(c);
	free(ed);
}

/* A cosign entry whose publicKey is the base64 of key_b64_of (a fixture
 * file) must fail naming the contract path and why. */
static void cosign_fails(const char *name, const char *b64key, const char *why)
{
	char msg[1024];
	const char *path = contract(name,
	                            "workload:\n  images:\n    cosign:\n      us.icr.io/ns/cos:\n"
	                            "        publicKey: %s\nenv: {type: env}\n",
	                            b64key);

	snprintf(msg, sizeof(msg),
	         "contract %s: workload.images.cosign.\"us.icr.io/ns/cos\".publicKey: ", path);
	load_fails(path, NULL, SIGNET_EBADINPUT, msg, why, "(line 5)", NULL);
}

static void test_cosign_bad_keys(void **state)
{
	struct sn_buf pub, crt;
	char *b, *twice, *plus;
	const char *path;

	(void)state;
	cosign_keys();
	cosign_fails("cos-notb64.yaml", "not-base64!", "not base64 (base64 -w0 cosign.pub)");
	b = b64_file("c.key");
	cosign_fails("cos-private.yaml", b, "a private key (PEM \"PRIVATE KEY\"): pin the public key");
	free(b);
	b = b64_file("c.crt");
	cosign_fails("cos-cert.yaml", b, "an X.509 certificate");
	free(b);
	b = b64_file("A.asc");
	cosign_fails("cos-pgp.yaml", b, "OpenPGP data; a cosign key is a PEM PUBLIC KEY");
	free(b);
	b = b64_file("rsa1024.pub");
	cosign_fails("cos-rsa1024.yaml", b, "a 1024-bit RSA key (2048 to 4096 bits are supported)");
	free(b);
	b = b64_of((const unsigned char *)"garbage", 7);
	cosign_fails("cos-garbage.yaml", b, "not one PEM PUBLIC KEY block: not a PEM file");
	free(b);

	/* Exactly one block and nothing else. */
	fx_read(&pub, "c.pub");
	fx_read(&crt, "c2.pub");
	twice = malloc(pub.len + crt.len + 16);
	assert_non_null(twice);
	memcpy(twice, pub.data, pub.len);
	memcpy(twice + pub.len, crt.data, crt.len);
	b = b64_of((unsigned char *)twice, pub.len + crt.len);
	cosign_fails("cos-two.yaml", b, "after the PEM block");
	free(b);
	memcpy(twice + pub.len, "trailing\n", 9);
	b = b64_of((unsigned char *)twice, pub.len + 9);
	cosign_fails("cos-trailing.yaml", b, "after the PEM block");
	free(b);
	/* Surrounding whitespace is fine. */
	plus = malloc(pub.len + 8);
	assert_non_null(plus);
	memcpy(plus, "\n  ", 3);
	memcpy(plus + 3, pub.data, pub.len);
	memcpy(plus + 3 + pub.len, "\n\n", 2);
	b = b64_of((unsigned char *)plus, pub.len + 5);
	path = contract("cos-space.yaml",
	                "workload:\n  images:\n    cosign:\n      us.icr.io/ns/cos:\n"
	                "        publicKey: %s\nenv: {type: env}\n",
	                b);
	sn_policy_free(load_ok(path, NULL, 0));
	free(b);
	free(plus);
	free(twice);
	sn_buf_free(&pub);
	sn_buf_free(&crt);

	/* Entry shape and repeats. */
	b = b64_file("c.pub");
	path =
	    contract("cos-notary.yaml",
	             "workload:\n  images:\n    cosign:\n      us.icr.io/ns/cos: {publicKey: %s, notary: x}\n"
	             "env: {type: env}\n",
	             b);
	load_fails(path, NULL, SIGNET_EBADINPUT, "unknown key \"notary\" (a cosign entry has only publicKey)",
	           NULL);
	path = contract("cos-nokey.yaml", "workload:\n  images:\n    cosign:\n      us.icr.io/ns/cos: {}\n"
	                                  "env: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT,
	           "workload.images.cosign.\"us.icr.io/ns/cos\": publicKey is missing", NULL);
	path = contract("cos-same.yaml",
	                "workload:\n  images:\n    cosign:\n      busybox: {publicKey: %s}\n"
	                "      docker.io/library/busybox: {publicKey: %s}\nenv: {type: env}\n",
	                b, b);
	load_fails(
	    path, NULL, SIGNET_EBADINPUT,
	    "workload.images.cosign.\"docker.io/library/busybox\": the repository docker.io/library/busybox "
	    "is already pinned by",
	    NULL);
	path = contract("cos-list.yaml", "workload:\n  images:\n    cosign: [a]\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT, "workload.images.cosign must be a mapping of images", NULL);
	path = contract("cos-unknown.yaml", "workload:\n  images:\n    notation: {}\nenv: {type: env}\n");
	load_fails(path, NULL, SIGNET_EBADINPUT,
	           "workload.images: unknown key \"notation\" (images has rhs, dct and cosign)", NULL);
	free(b);
}

static void test_images_pins(void **state)
{
	char a[512], cp[512], ck[512], keyid[128], want[1024], *cb64, *yaml = NULL, *indented, *o;
	signet_contract_pin pins[3];
	signet_ctx *ctx = NULL;
	struct sn_policy *p;
	const char *path;
	size_t n;

	(void)state;
	cosign_keys();
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	pins[0] = (signet_contract_pin){SIGNET_PIN_COSIGN, "us.icr.io/ns/app", fx_path(cp, "c.pub")};
	pins[1] = (signet_contract_pin){SIGNET_PIN_RHS, "us.icr.io/ns/app", fx_path(a, "A.asc")};
	pins[2] = (signet_contract_pin){SIGNET_PIN_COSIGN, "busybox", cp};
	if (signet_contract_images_pins(&yaml, ctx, pins, 3) != 0)
		fail_msg("signet_contract_images_pins: %s", signet_ctx_errmsg(ctx));
	/* rhs first, then cosign with the key ids openssl computes. */
	assert_true(strncmp(yaml, "images:\n  rhs:\n", 15) == 0);
	assert_int_equal(fx_sh("cd '%s' && echo \"SHA256:$(openssl pkey -pubin -in c.pub -outform DER | "
	                       "sha256sum | cut -d' ' -f1)\" >c.id",
	                       fx_dir),
	                 0);
	{
		struct sn_buf id;

		fx_read(&id, "c.id");
		snprintf(keyid, sizeof(keyid), "%.*s", (int)strcspn((char *)id.data, "\n"), (char *)id.data);
		sn_buf_free(&id);
	}
	cb64 = b64_file("c.pub");
	snprintf(want, sizeof(want),
	         "\n  cosign:\n    # %s\n    \"us.icr.io/ns/app\":\n      publicKey: %s\n"
	         "    # %s\n    \"docker.io/library/busybox\":\n      publicKey: %s\n",
	         keyid, cb64, keyid, cb64);
	if (strstr(yaml, want) == NULL)
		fail_msg("expected\n%s\nin\n%s", want, yaml);
	assert_true(strlen(yaml) > strlen(want) &&
	            strcmp(yaml + strlen(yaml) - strlen(want) + 1, want + 1) == 0);

	/* Read back: cosign and rhs for us.icr.io/ns/app (AND). */
	n = strlen(yaml);
	indented = malloc(2 * n + 64);
	assert_non_null(indented);
	o = indented;
	for (const char *l = yaml; *l != '\0';) {
		size_t len = strcspn(l, "\n");

		memcpy(o, "  ", 2);
		memcpy(o + 2, l, len);
		o[2 + len] = '\n';
		o += len + 3;
		l += len + (l[len] == '\n');
	}
	*o = '\0';
	path = contract("pins.yaml", "workload:\n  type: workload\n%senv:\n  type: env\n", indented);
	p = load_ok(path, NULL, 0);
	assert_int_equal(scope_of(p, "us.icr.io/ns/app")->n_reqs, 2);
	assert_int_equal(scope_of(p, "us.icr.io/ns/app")->reqs[0].type, SN_REQ_SIGNED_BY);
	assert_cosign_pinned(p, "us.icr.io/ns/app", 1, path, "us.icr.io/ns/app", "c.pub");
	assert_cosign_pinned(p, "docker.io/library/busybox", 0, path, "docker.io/library/busybox", "c.pub");
	sn_policy_free(p);
	free(indented);
	free(yaml);
	free(cb64);
	yaml = NULL;

	/* Only cosign: no rhs section. */
	if (signet_contract_images_pins(&yaml, ctx, pins, 1) != 0)
		fail_msg("signet_contract_images_pins: %s", signet_ctx_errmsg(ctx));
	assert_true(strncmp(yaml, "images:\n  cosign:\n    # SHA256:", 31) == 0);
	free(yaml);
	yaml = NULL;

	/* Refusals. */
	pins[0].key_file = fx_path(ck, "c.key");
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, pins, 1), SIGNET_EBADINPUT);
	snprintf(want, sizeof(want), "key file %s: a private key", ck);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), want));
	pins[0].key_file = fx_path(ck, "rsa1024.pub");
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, pins, 1), SIGNET_EUNSUPPORTED);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "rsa1024.pub: not supported: a 1024-bit RSA key"));
	pins[0].key_file = fx_path(ck, "A.asc");
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, pins, 1), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "OpenPGP data"));
	pins[0].key_file = fx_path(ck, "missing.pub");
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, pins, 1), SIGNET_ENOTFOUND);
	pins[0].key_file = cp;
	pins[1] = (signet_contract_pin){SIGNET_PIN_COSIGN, "docker.io/library/busybox", cp};
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, pins, 3), SIGNET_EINVAL);
	assert_non_null(
	    strstr(signet_ctx_errmsg(ctx), "repository docker.io/library/busybox is given twice"));
	pins[1].kind = 7;
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, pins, 2), SIGNET_EINVAL);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "unknown kind of key 7"));
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, NULL, 1), SIGNET_EINVAL);
	assert_int_equal(signet_contract_images_pins(&yaml, ctx, pins, 0), SIGNET_EINVAL);
	assert_null(yaml);
	signet_ctx_free(ctx);
}

/* ---- sn_contract_inspect: what contract verify and seal read -------- */

static void test_inspect(void **state)
{
	static const char text[] = "workload:\n"
	                           "    type: workload\n"
	                           "    # a comment\n"
	                           "    images:\n"
	                           "      rhs: {}\n"
	                           "env: |\n"
	                           "  type: env\n"
	                           "attestationPublicKey: \"a\\nb\"\n";
	static const char sealed[] = "workload: hyper-protect-basic.QUFB.QUFBQQ==\n"
	                             "env: \"type: env\"\n"
	                             "envWorkloadSignature: QUFB\n";
	struct sn_contract_facts f;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(sn_contract_inspect(&f, text, strlen(text), "i.yaml", NULL, &e), 0);
	assert_int_equal(f.form[SN_SECTION_WORKLOAD], SN_FORM_MAPPING);
	assert_null(f.value[SN_SECTION_WORKLOAD]);
	/* the mapping's lines without their indentation, comments kept */
	assert_string_equal(f.text[SN_SECTION_WORKLOAD], "type: workload\n# a comment\nimages:\n  rhs: {}\n");
	assert_int_equal(f.form[SN_SECTION_ENV], SN_FORM_STRING);
	assert_string_equal(f.value[SN_SECTION_ENV], "type: env\n");
	assert_string_equal(f.text[SN_SECTION_ENV], "type: env\n");
	assert_int_equal(f.attestation_key_len, 3);
	assert_memory_equal(f.attestation_key, "a\nb", 3);
	assert_null(f.signature);
	assert_int_equal(f.sig_rc, 0);
	sn_contract_facts_clear(&f);

	/* encrypted without a key: reported, not an error; the signature
	 * cannot be checked (env is a string but has no signingKey) */
	assert_int_equal(sn_contract_inspect(&f, sealed, strlen(sealed), "s.yaml", NULL, &e), 0);
	assert_int_equal(f.form[SN_SECTION_WORKLOAD], SN_FORM_ENCRYPTED);
	assert_int_equal(f.decrypted[SN_SECTION_WORKLOAD], 0);
	assert_null(f.text[SN_SECTION_WORKLOAD]);
	assert_string_equal(f.value[SN_SECTION_WORKLOAD], "hyper-protect-basic.QUFB.QUFBQQ==");
	assert_string_equal(f.signature, "QUFB");
	assert_int_equal(f.sig_rc, SIGNET_EBADINPUT);
	assert_non_null(strstr(f.sig_msg, "env has no signingKey"));
	sn_contract_facts_clear(&f);
	/* the guest refuses the same contract */
	assert_int_equal(sn_policy_parse_contract(&(struct sn_policy *){NULL}, sealed, strlen(sealed),
	                                          "s.yaml", NULL, 0, 0, &e),
	                 SIGNET_EBADINPUT);
	/* a contract that does not parse is an error, the facts cleared */
	assert_int_equal(sn_contract_inspect(&f, "boot: x\n", 8, "b.yaml", NULL, &e), SIGNET_EBADINPUT);
	assert_null(f.value[SN_SECTION_ENV]);
}

/* ---- the contract signature (contract_sig.c) ------------------------ */

/* Parses text (require_signed given); returns the code, message in *msg. */
static int parse_signed(const char *text, int require_signed, char *msg, size_t size)
{
	struct sn_policy *p = NULL;
	struct sn_err e = {0};
	int rc = sn_policy_parse_contract(&p, text, strlen(text), "s.yaml", NULL, 0, require_signed, &e);

	(void)snprintf(msg, size, "%s", e.msg);
	if (rc == 0)
		assert_non_null(p);
	else
		assert_null(p);
	sn_policy_free(p);
	return rc;
}

/* base64 of the RSA PKCS#1 v1.5 / SHA-256 signature by k over a then b. */
static char *sign_two(EVP_PKEY *k, const char *a, const char *b)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char sig[512];
	size_t n = sizeof(sig);
	char *s;

	assert_non_null(md);
	assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
	assert_int_equal(EVP_DigestSignUpdate(md, a, strlen(a)), 1);
	assert_int_equal(EVP_DigestSignUpdate(md, b, strlen(b)), 1);
	assert_int_equal(EVP_DigestSignFinal(md, sig, &n), 1);
	EVP_MD_CTX_free(md);
	s = b64_of(sig, n);
	return s;
}

static void test_signature(void **state)
{
	EVP_PKEY *k = EVP_RSA_gen(2048), *other = EVP_RSA_gen(2048);
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem_b64, *sig, *sig_other, *text, env[4096], msg[2048];
	const char *workload = "type: workload";
	char *pem;
	long pem_len;

	(void)state;
	assert_non_null(k);
	assert_non_null(other);
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PUBKEY(bio, k), 1);
	pem_len = BIO_get_mem_data(bio, &pem);
	pem_b64 = b64_of((const unsigned char *)pem, (size_t)pem_len);
	(void)snprintf(env, sizeof(env), "type: env\nsigningKey: %s", pem_b64);
	sig = sign_two(k, workload, env);
	sig_other = sign_two(other, workload, env);

	/* Both sections as double-quoted strings: the values signed. */
	assert_true(asprintf(&text,
	                     "workload: \"%s\"\nenv: \"type: env\\nsigningKey: %s\"\n"
	                     "envWorkloadSignature: %s\n",
	                     workload, pem_b64, sig) > 0);
	assert_int_equal(parse_signed(text, 1, msg, sizeof(msg)), 0);
	free(text);
	/* One byte more in workload. */
	assert_true(asprintf(&text,
	                     "workload: \"%s \"\nenv: \"type: env\\nsigningKey: %s\"\n"
	                     "envWorkloadSignature: %s\n",
	                     workload, pem_b64, sig) > 0);
	assert_int_equal(parse_signed(text, 0, msg, sizeof(msg)), SIGNET_EBADINPUT);
	assert_non_null(
	    strstr(msg, "contract s.yaml: envWorkloadSignature does not verify with env.signingKey"));
	free(text);
	/* Signed by another key. */
	assert_true(asprintf(&text,
	                     "workload: \"%s\"\nenv: \"type: env\\nsigningKey: %s\"\n"
	                     "envWorkloadSignature: %s\n",
	                     workload, pem_b64, sig_other) > 0);
	assert_int_equal(parse_signed(text, 0, msg, sizeof(msg)), SIGNET_EBADINPUT);
	assert_non_null(strstr(msg, "does not verify with env.signingKey"));
	free(text);
	/* A workload written as a mapping: nothing to check the signature over. */
	assert_true(asprintf(&text,
	                     "workload:\n  type: workload\nenv: \"type: env\\nsigningKey: %s\"\n"
	                     "envWorkloadSignature: %s\n",
	                     pem_b64, sig) > 0);
	assert_int_equal(parse_signed(text, 0, msg, sizeof(msg)), SIGNET_EBADINPUT);
	assert_non_null(strstr(msg, "cannot be checked: the workload section is written as a mapping"));
	free(text);
	/* Unsigned: accepted, unless required. */
	text = "workload: \"type: workload\"\nenv: \"type: env\"\n";
	assert_int_equal(parse_signed(text, 0, msg, sizeof(msg)), 0);
	assert_int_equal(parse_signed(text, 1, msg, sizeof(msg)), SIGNET_EBADINPUT);
	assert_non_null(
	    strstr(msg, "contract s.yaml: unsigned contract refused (--require-signed-contract)"));
	/* An empty signature is refused as such. */
	text = "workload: \"type: workload\"\nenv: \"type: env\"\nenvWorkloadSignature: \"\"\n";
	assert_int_equal(parse_signed(text, 0, msg, sizeof(msg)), SIGNET_EBADINPUT);
	assert_non_null(strstr(msg, "envWorkloadSignature is empty"));

	free(sig);
	free(sig_other);
	free(pem_b64);
	BIO_free(bio);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_rhs_mapping, load_keys),
	    cmocka_unit_test_setup(test_no_images, load_keys),
	    cmocka_unit_test_setup(test_workload_string, load_keys),
	    cmocka_unit_test_setup(test_dct_unsupported, load_keys),
	    cmocka_unit_test_setup(test_auths, load_keys),
	    cmocka_unit_test_setup(test_encrypted_workload, load_keys),
	    cmocka_unit_test_setup(test_bad_public_keys, load_keys),
	    cmocka_unit_test_setup(test_duplicate_keys, load_keys),
	    cmocka_unit_test_setup(test_yaml_refusals, load_keys),
	    cmocka_unit_test_setup(test_structure, load_keys),
	    cmocka_unit_test_setup(test_limits, load_keys),
	    cmocka_unit_test_setup(test_images_round_trip, load_keys),
	    cmocka_unit_test_setup(test_cosign_mapping, load_keys),
	    cmocka_unit_test_setup(test_cosign_bad_keys, load_keys),
	    cmocka_unit_test_setup(test_images_pins, load_keys),
	    cmocka_unit_test(test_signature),
	    cmocka_unit_test(test_inspect),
	};
	int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);

	free(key_a);
	free(key_b);
	return rc;
}
