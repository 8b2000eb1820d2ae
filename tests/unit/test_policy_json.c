/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_policy_json.c: containers-policy.json(5) into the policy
 * model: every requirement and signedIdentity form, and the refusals, each
 * with its code and the JSON path in its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/policy.h"

#define D1  "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define SRC "t.json"

static char tmpdir[64];

/* ---- fixtures ------------------------------------------------------ */

static void write_text(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	char sub[128];

	(void)state;
	(void)snprintf(tmpdir, sizeof(tmpdir), "/tmp/signet-policyjson-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* The parser does not parse keys: any non-empty file will do. */
	write_text("k1.gpg", "KEY-ONE");
	write_text("k2.gpg", "KEY-TWO");
	write_text("cosign.pub", "-----BEGIN PUBLIC KEY-----\n");
	write_text("empty.gpg", "");
	(void)snprintf(sub, sizeof(sub), "%s/adir", tmpdir);
	return mkdir(sub, 0700);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	(void)nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* The template with every "@D@" replaced by the fixture directory. */
static char *subst(const char *tmpl)
{
	size_t dl = strlen(tmpdir), n = strlen(tmpl) + 1, o = 0;
	const char *p;
	char *out;

	for (p = tmpl; (p = strstr(p, "@D@")) != NULL; p += 3)
		n += dl;
	out = malloc(n);
	assert_non_null(out);
	for (p = tmpl; *p != '\0';) {
		if (strncmp(p, "@D@", 3) == 0) {
			memcpy(out + o, tmpdir, dl);
			o += dl;
			p += 3;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

static int parse(struct sn_policy **p, const char *tmpl, struct sn_err *e)
{
	char *text = subst(tmpl);
	int rc;

	*p = NULL;
	sn_err_clear(e);
	rc = sn_policy_parse_json(p, text, strlen(text), SRC, e);
	free(text);
	return rc;
}

static struct sn_policy *parse_ok(const char *tmpl)
{
	struct sn_policy *p = NULL;
	struct sn_err e;
	int rc = parse(&p, tmpl, &e);

	if (rc != 0)
		fail_msg("parse failed (%d): %s\n%s", rc, e.msg, tmpl);
	assert_non_null(p);
	return p;
}

/* Refused with code, and the message starts with the expected text
 * ("@D@" substituted there too). */
static void expect_err(const char *tmpl, int code, const char *prefix)
{
	struct sn_policy *p = NULL;
	struct sn_err e;
	char *want = subst(prefix);
	int rc = parse(&p, tmpl, &e);

	if (rc != code || strncmp(e.msg, want, strlen(want)) != 0)
		fail_msg("for %s\n  expected %d \"%s...\"\n  got      %d \"%s\"", tmpl, code, want, rc,
		         e.msg);
	assert_null(p);
	free(want);
}

#define BAD(tmpl, prefix) expect_err(tmpl, SIGNET_EBADINPUT, prefix)

/* Refused with code, the message containing part. */
static void expect_contains(const char *tmpl, int code, const char *part)
{
	struct sn_policy *p = NULL;
	struct sn_err e;
	int rc = parse(&p, tmpl, &e);

	if (rc != code || strstr(e.msg, part) == NULL)
		fail_msg("for %s\n  expected %d \"...%s...\"\n  got      %d \"%s\"", tmpl, code, part, rc,
		         e.msg);
	assert_null(p);
}
#define DEF(req)          "{\"default\": [" req "]}"
#define SCOPE(transport, scope, req)                                                                         \
	"{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"" transport "\": {\"" scope "\": [" req  \
	"]}}}"

static void assert_key(const struct sn_requirement *r, size_t i, const char *bytes, const char *name)
{
	char *want = subst(name);

	assert_true(i < r->n_keys);
	assert_int_equal(r->keys[i].len, strlen(bytes));
	assert_memory_equal(r->keys[i].data, bytes, strlen(bytes));
	assert_string_equal(r->key_names[i], want);
	free(want);
}

/* ---- what parses --------------------------------------------------- */

static void test_minimal(void **state)
{
	struct sn_policy *p;

	(void)state;
	p = parse_ok(DEF("{\"type\": \"reject\"}"));
	assert_string_equal(p->source, SRC);
	assert_int_equal(p->n_default, 1);
	assert_int_equal(p->default_reqs[0].type, SN_REQ_REJECT);
	assert_int_equal(p->default_reqs[0].n_keys, 0);
	assert_string_equal(p->default_reqs[0].where, "policy t.json: default[0]");
	assert_int_equal(p->n_scopes, 0);
	/* policy.json has no field for these: the defaults */
	assert_int_equal(p->index_signature_covers_instances, 1);
	assert_int_equal(p->allow_digest_refs_unsigned, 0);
	assert_int_equal(p->n_auths, 0);
	sn_policy_free(p);

	p = parse_ok(DEF("{\"type\": \"insecureAcceptAnything\"}, {\"type\": \"reject\"}"));
	assert_int_equal(p->n_default, 2);
	assert_int_equal(p->default_reqs[0].type, SN_REQ_INSECURE_ACCEPT_ANYTHING);
	assert_int_equal(p->default_reqs[1].type, SN_REQ_REJECT);
	assert_string_equal(p->default_reqs[1].where, "policy t.json: default[1]");
	sn_policy_free(p);

	/* "transports" may be empty, and so may a transport */
	p = parse_ok("{\"transports\": {\"docker\": {}}, \"default\": [{\"type\": \"reject\"}]}");
	assert_int_equal(p->n_scopes, 0);
	sn_policy_free(p);
	sn_policy_free(NULL);
}

static void test_signed_by(void **state)
{
	struct sn_policy *p;
	const struct sn_requirement *r;

	(void)state;
	p = parse_ok(DEF("{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"@D@/k1.gpg\"}"));
	r = &p->default_reqs[0];
	assert_int_equal(r->type, SN_REQ_SIGNED_BY);
	assert_int_equal(r->n_keys, 1);
	assert_key(r, 0, "KEY-ONE", "keyPath @D@/k1.gpg");
	assert_int_equal(r->identity.rule, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT);
	assert_null(r->unsupported);
	sn_policy_free(p);

	p = parse_ok(DEF("{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", "
	                 "\"keyPaths\": [\"@D@/k1.gpg\", \"@D@/k2.gpg\"]}"));
	r = &p->default_reqs[0];
	assert_int_equal(r->n_keys, 2);
	assert_key(r, 0, "KEY-ONE", "keyPaths[0] @D@/k1.gpg");
	assert_key(r, 1, "KEY-TWO", "keyPaths[1] @D@/k2.gpg");
	sn_policy_free(p);

	/* "S0VZLURBVEE=" is "KEY-DATA" */
	p = parse_ok(DEF("{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyData\": \"S0VZLURBVEE=\", "
	                 "\"signedIdentity\": {\"type\": \"matchRepository\"}}"));
	r = &p->default_reqs[0];
	assert_int_equal(r->type, SN_REQ_SIGNED_BY);
	assert_key(r, 0, "KEY-DATA", "keyData");
	assert_int_equal(r->identity.rule, SN_IDENTITY_MATCH_REPOSITORY);
	sn_policy_free(p);
}

/* Key types containers/image knows but does not implement: they parse,
 * always deny, and their key files are not read. */
static void test_signed_by_unsupported_key_types(void **state)
{
	static const char *const types[] = {"X509Certificates", "signedByX509CAs", "signedByGPGKeys"};
	char tmpl[512], want[128];

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct sn_policy *p;
		const struct sn_requirement *r;

		(void)snprintf(
		    tmpl, sizeof(tmpl),
		    DEF("{\"type\": \"signedBy\", \"keyType\": \"%s\", \"keyPath\": \"@D@/missing\"}"),
		    types[i]);
		p = parse_ok(tmpl);
		r = &p->default_reqs[0];
		assert_int_equal(r->type, SN_REQ_UNSUPPORTED);
		assert_int_equal(r->n_keys, 0);
		(void)snprintf(want, sizeof(want),
		               "signedBy keyType \"%s\" is not supported (only GPGKeys is)", types[i]);
		assert_string_equal(r->unsupported, want);
		sn_policy_free(p);
	}
}

static void test_sigstore_signed(void **state)
{
	struct sn_policy *p;
	const struct sn_requirement *r;

	(void)state;
	p = parse_ok(DEF("{\"type\": \"sigstoreSigned\", \"keyPath\": \"@D@/cosign.pub\"}"));
	r = &p->default_reqs[0];
	assert_int_equal(r->type, SN_REQ_SIGSTORE_SIGNED);
	assert_key(r, 0, "-----BEGIN PUBLIC KEY-----\n", "keyPath @D@/cosign.pub");
	assert_int_equal(r->identity.rule, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT);
	sn_policy_free(p);

	p = parse_ok(DEF("{\"type\": \"sigstoreSigned\", \"keyPaths\": [\"@D@/k1.gpg\", \"@D@/k2.gpg\"]}"));
	r = &p->default_reqs[0];
	assert_int_equal(r->n_keys, 2);
	assert_key(r, 1, "KEY-TWO", "keyPaths[1] @D@/k2.gpg");
	sn_policy_free(p);

	p = parse_ok(DEF("{\"type\": \"sigstoreSigned\", \"keyData\": \"S0VZLURBVEE=\", "
	                 "\"signedIdentity\": {\"type\": \"matchRepository\"}}"));
	r = &p->default_reqs[0];
	assert_key(r, 0, "KEY-DATA", "keyData");
	assert_int_equal(r->identity.rule, SN_IDENTITY_MATCH_REPOSITORY);
	sn_policy_free(p);

	/* "b25l" "one", "dHdv" "two" */
	p = parse_ok(DEF("{\"type\": \"sigstoreSigned\", \"keyDatas\": [\"b25l\", \"dHdv\"]}"));
	r = &p->default_reqs[0];
	assert_int_equal(r->n_keys, 2);
	assert_key(r, 0, "one", "keyDatas[0]");
	assert_key(r, 1, "two", "keyDatas[1]");
	sn_policy_free(p);
}

static void test_sigstore_unsupported(void **state)
{
	struct sn_policy *p;

	(void)state;
	/* keyless: Fulcio + Rekor make a keyless requirement; its CA and
	 * Rekor key are read when the policy is loaded */
	expect_contains(
	    DEF("{\"type\": \"sigstoreSigned\", \"fulcio\": {\"caPath\": \"/nonexistent/fulcio.pem\", "
	        "\"oidcIssuer\": \"https://github.com/login/oauth\", \"subjectEmail\": \"u@example.com\"}, "
	        "\"rekorPublicKeyPath\": \"/nonexistent/rekor.pub\", "
	        "\"signedIdentity\": {\"type\": \"matchRepository\"}}"),
	    SIGNET_ENOTFOUND, "/nonexistent/fulcio.pem");
	/* "b25l" is "one": not PEM certificates */
	expect_contains(DEF("{\"type\": \"sigstoreSigned\", \"fulcio\": {\"caData\": \"b25l\", "
	                    "\"oidcIssuer\": \"https://issuer\", \"subjectEmail\": \"u@example.com\"}, "
	                    "\"rekorPublicKeyDatas\": [\"b25l\"]}"),
	                SIGNET_EBADINPUT, "not PEM CERTIFICATE blocks");

	/* a public key, but the signature must also be in Rekor */
	p = parse_ok(DEF("{\"type\": \"sigstoreSigned\", \"keyPath\": \"@D@/cosign.pub\", "
	                 "\"rekorPublicKeyData\": \"b25l\"}"));
	assert_int_equal(p->default_reqs[0].type, SN_REQ_UNSUPPORTED);
	assert_string_equal(p->default_reqs[0].unsupported,
	                    "sigstoreSigned: Rekor (rekorPublicKey...) is not supported yet");
	assert_int_equal(p->default_reqs[0].n_keys, 0);
	sn_policy_free(p);

	p = parse_ok(
	    DEF("{\"type\": \"sigstoreSigned\", \"pki\": {\"caRootsPath\": \"/nonexistent/roots.pem\", "
	        "\"caIntermediatesData\": \"b25l\", \"subjectHostname\": \"h.example.com\"}}"));
	assert_int_equal(p->default_reqs[0].type, SN_REQ_UNSUPPORTED);
	assert_string_equal(p->default_reqs[0].unsupported,
	                    "sigstoreSigned: X.509 PKI (pki) is not supported yet");
	sn_policy_free(p);
}

static void test_signed_base_layer(void **state)
{
	struct sn_policy *p;

	(void)state;
	p = parse_ok(
	    DEF("{\"type\": \"signedBaseLayer\", \"baseLayerIdentity\": {\"type\": \"exactRepository\", "
	        "\"dockerRepository\": \"r.example/base\"}}"));
	assert_int_equal(p->default_reqs[0].type, SN_REQ_UNSUPPORTED);
	assert_string_equal(p->default_reqs[0].unsupported, "signedBaseLayer is not supported");
	sn_policy_free(p);
	BAD(DEF("{\"type\": \"signedBaseLayer\"}"), "policy t.json: default[0].baseLayerIdentity: missing");
	BAD(DEF("{\"type\": \"signedBaseLayer\", \"baseLayerIdentity\": {\"type\": \"matchRepository\"}, "
	        "\"x\": 1}"),
	    "policy t.json: default[0].x: unknown field (signedBaseLayer has type, baseLayerIdentity)");
	BAD(DEF("{\"type\": \"signedBaseLayer\", \"baseLayerIdentity\": {\"type\": \"exactReference\", "
	        "\"dockerReference\": \"r.example/base\"}}"),
	    "policy t.json: default[0].baseLayerIdentity.dockerReference: \"r.example/base\" names neither a "
	    "tag nor "
	    "a digest");
}

static void test_signed_identities(void **state)
{
	struct sn_policy *p;
	const struct sn_identity_spec *s;

	(void)state;
#define SI(ident)                                                                                            \
	DEF("{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyData\": \"b25l\", "                     \
	    "\"signedIdentity\": " ident "}")
	p = parse_ok(SI("{\"type\": \"matchExact\"}"));
	assert_int_equal(p->default_reqs[0].identity.rule, SN_IDENTITY_MATCH_EXACT);
	sn_policy_free(p);
	p = parse_ok(SI("{\"type\": \"matchRepoDigestOrExact\"}"));
	assert_int_equal(p->default_reqs[0].identity.rule, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT);
	sn_policy_free(p);
	p = parse_ok(SI("{\"type\": \"matchRepository\"}"));
	assert_int_equal(p->default_reqs[0].identity.rule, SN_IDENTITY_MATCH_REPOSITORY);
	sn_policy_free(p);

	p = parse_ok(SI("{\"type\": \"exactReference\", \"dockerReference\": \"busybox:1.36\"}"));
	s = &p->default_reqs[0].identity;
	assert_int_equal(s->rule, SN_IDENTITY_EXACT_REFERENCE);
	assert_string_equal(s->docker_reference, "busybox:1.36"); /* kept as written */
	sn_policy_free(p);
	p = parse_ok(SI("{\"type\": \"exactReference\", \"dockerReference\": \"r.example/a@" D1 "\"}"));
	assert_string_equal(p->default_reqs[0].identity.docker_reference, "r.example/a@" D1);
	sn_policy_free(p);

	p = parse_ok(SI("{\"type\": \"exactRepository\", \"dockerRepository\": \"vendor.example/p/img\"}"));
	s = &p->default_reqs[0].identity;
	assert_int_equal(s->rule, SN_IDENTITY_EXACT_REPOSITORY);
	assert_string_equal(s->docker_repository, "vendor.example/p/img");
	sn_policy_free(p);

	p = parse_ok(SI("{\"type\": \"remapIdentity\", \"prefix\": \"mirror.example:5000/vendor\", "
	                "\"signedPrefix\": \"vendor.example\"}"));
	s = &p->default_reqs[0].identity;
	assert_int_equal(s->rule, SN_IDENTITY_REMAP_IDENTITY);
	assert_string_equal(s->prefix, "mirror.example:5000/vendor");
	assert_string_equal(s->signed_prefix, "vendor.example");
	sn_policy_free(p);
	/* the prefix shapes containers/image accepts (and IPv6, as signet's references) */
	p = parse_ok(SI("{\"type\": \"remapIdentity\", \"prefix\": \"localhost\", \"signedPrefix\": "
	                "\"[::1]:5000/a/b\"}"));
	sn_policy_free(p);
	p = parse_ok(SI("{\"type\": \"remapIdentity\", \"prefix\": \"docker.io/library/busybox\", "
	                "\"signedPrefix\": \"Mirror.Example/a\"}"));
	sn_policy_free(p);
}

static void test_bad_identities(void **state)
{
	(void)state;
#define P0 "policy t.json: default[0].signedIdentity"
	BAD(SI("\"matchExact\""), P0 ": must be an object (a signedIdentity), not a string");
	BAD(SI("{}"), P0 ".type: missing");
	BAD(SI("{\"type\": 1}"), P0 ".type: must be a string, not a number");
	BAD(SI("{\"type\": \"matchFoo\"}"),
	    P0 ".type: unknown signedIdentity type \"matchFoo\" (matchExact, ");
	BAD(SI("{\"type\": \"matchExact\", \"dockerReference\": \"r.example/a:1\"}"),
	    P0 ".dockerReference: unknown field (matchExact has type)");
	BAD(SI("{\"type\": \"matchRepository\", \"type\": \"matchExact\"}"), "policy t.json: invalid JSON");
	BAD(SI("{\"type\": \"exactReference\"}"), P0 ".dockerReference: missing");
	BAD(SI("{\"type\": \"exactReference\", \"dockerReference\": 5}"),
	    P0 ".dockerReference: must be a string");
	BAD(SI("{\"type\": \"exactReference\", \"dockerReference\": \"r.example/a\"}"), P0
	    ".dockerReference: \"r.example/a\" names neither a tag nor a digest (exactReference needs one;");
	BAD(SI("{\"type\": \"exactReference\", \"dockerReference\": \"r.example/A:1\"}"), P0
	    ".dockerReference: image reference \"r.example/A:1\": invalid reference format: repository name "
	    "must be lowercase");
	BAD(SI("{\"type\": \"exactReference\", \"dockerReference\": \"r.example/a:1\", \"prefix\": \"x\"}"),
	    P0 ".prefix: unknown field (exactReference has type, dockerReference)");
	BAD(SI("{\"type\": \"exactRepository\"}"), P0 ".dockerRepository: missing");
	BAD(SI("{\"type\": \"exactRepository\", \"dockerRepository\": \"\"}"),
	    P0 ".dockerRepository: must not be empty");
	BAD(SI("{\"type\": \"exactRepository\", \"dockerRepository\": \"r.example/a:1\"}"), P0
	    ".dockerRepository: \"r.example/a:1\" names a tag or digest, which exactRepository would ignore");
	BAD(SI("{\"type\": \"exactRepository\", \"dockerRepository\": \"r.example/a@" D1 "\"}"),
	    P0 ".dockerRepository: \"r.example/a@" D1 "\" names a tag or digest");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"r.example\"}"), P0 ".signedPrefix: missing");
	BAD(SI("{\"type\": \"remapIdentity\", \"signedPrefix\": \"r.example\"}"), P0 ".prefix: missing");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"busybox\", \"signedPrefix\": \"r.example\"}"),
	    P0 ".prefix: not a valid prefix: does not start with a registry host (one with a '.' or ':', or "
	       "localhost)");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"library/busybox\", \"signedPrefix\": "
	       "\"r.example\"}"),
	    P0 ".prefix: not a valid prefix: does not start with a registry host");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"*.example.com\", \"signedPrefix\": "
	       "\"r.example\"}"),
	    P0 ".prefix: not a valid prefix: does not start with a valid registry host[:port]");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"r.example\", \"signedPrefix\": "
	       "\"v.example/a:1\"}"),
	    P0 ".signedPrefix: not a valid prefix: a prefix is host[:port][/namespace...], without a tag or "
	       "digest");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"r.example/\", \"signedPrefix\": \"v.example\"}"),
	    P0 ".prefix: not a valid prefix: image reference \"r.example/\": invalid reference format: the "
	       "repository path is empty");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"r.example/Ns\", \"signedPrefix\": "
	       "\"v.example\"}"),
	    P0 ".prefix: not a valid prefix: image reference \"r.example/Ns\": invalid reference format: "
	       "repository name must be lowercase");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"r.example:x\", \"signedPrefix\": \"v.example\"}"),
	    P0 ".prefix: not a valid prefix: does not start with a valid registry host[:port]");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"\", \"signedPrefix\": \"v.example\"}"),
	    P0 ".prefix: must not be empty");
	BAD(SI("{\"type\": \"remapIdentity\", \"prefix\": \"r.example\", \"signedPrefix\": \"v.example\", "
	       "\"x\": 1}"),
	    P0 ".x: unknown field (remapIdentity has type, prefix, signedPrefix)");
#undef P0
#undef SI
}

/* ---- what is refused ----------------------------------------------- */

static void test_document_errors(void **state)
{
	(void)state;
	BAD("", "policy t.json: invalid JSON at line");
	BAD("{", "policy t.json: invalid JSON at line");
	BAD("{\"default\": [{\"type\": \"reject\"}]} x", "policy t.json: invalid JSON at line");
	BAD("[]", "policy t.json: the top level must be a JSON object, not an array");
	BAD("{}", "policy t.json: default: missing (the global default requirements are required)");
	BAD("{\"transports\": {}}", "policy t.json: default: missing");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"Default\": []}",
	    "policy t.json: Default: unknown field (the top level has default, transports)");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"default\": [{\"type\": \"reject\"}]}",
	    "policy t.json: invalid JSON at line 1");
	BAD("{\"default\": []}", "policy t.json: default: must not be empty (it is a list of requirements)");
	BAD("{\"default\": null}", "policy t.json: default: must be an array (requirements), not null");
	BAD("{\"default\": {\"type\": \"reject\"}}",
	    "policy t.json: default: must be an array (requirements), not an object");
	BAD(DEF("\"reject\""), "policy t.json: default[0]: must be an object (a requirement), not a string");
	BAD(DEF("{\"type\": \"reject\"}, []"),
	    "policy t.json: default[1]: must be an object (a requirement), not an array");
	BAD(DEF("{}"), "policy t.json: default[0].type: missing");
	BAD(DEF("{\"type\": true}"), "policy t.json: default[0].type: must be a string, not a boolean");
	BAD(DEF("{\"type\": \"Reject\"}"), "policy t.json: default[0].type: unknown requirement type "
	                                   "\"Reject\" (insecureAcceptAnything, reject, "
	                                   "signedBy, sigstoreSigned or signedBaseLayer)");
	BAD(DEF("{\"type\": \"reject\", \"keyPath\": \"/k\"}"),
	    "policy t.json: default[0].keyPath: unknown field (reject has type)");
	BAD(DEF("{\"type\": \"insecureAcceptAnything\", \"x\": null}"),
	    "policy t.json: default[0].x: unknown field (insecureAcceptAnything has type)");
	BAD(DEF("{\"type\": \"reject\", \"type\": \"reject\"}"), "policy t.json: invalid JSON at line 1");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"transports\": []}",
	    "policy t.json: transports: must be an object (transport name -> scopes), not an array");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": []}}",
	    "policy t.json: transports.docker: must be an object (scope -> requirements), not an array");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"r.example/a\": []}}}",
	    "policy t.json: transports.docker.\"r.example/a\": must not be empty (it is a list of "
	    "requirements)");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"\": {}}}}",
	    "policy t.json: transports.docker.\"\": must be an array (requirements), not an object");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"r.example\": "
	    "[{\"type\": \"reject\"}], "
	    "\"r.example\": [{\"type\": \"reject\"}]}}}",
	    "policy t.json: invalid JSON at line 1");
	/* the requirement lists of transports signet does not read are parsed all the same */
	BAD("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"x-new\": {\"any thing\": [{\"type\": "
	    "\"rejected\"}]}}}",
	    "policy t.json: transports.x-new.\"any thing\"[0].type: unknown requirement type \"rejected\"");
	BAD("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"a b\": {\"\": []}}}",
	    "policy t.json: transports.\"a b\".\"\": must not be empty");
	/* too deep */
	{
		char deep[300];
		size_t i;

		for (i = 0; i < 100; i++)
			deep[i] = '[';
		for (; i < 200; i++)
			deep[i] = ']';
		deep[i] = '\0';
		expect_err(deep, SIGNET_ELIMIT,
		           "policy t.json: JSON nesting deeper than the limit of 64 levels");
	}
}

static void test_signed_by_errors(void **state)
{
	(void)state;
#define SB(rest) DEF("{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\"" rest "}")
#define P0       "policy t.json: default[0]"
	BAD(DEF("{\"type\": \"signedBy\", \"keyPath\": \"@D@/k1.gpg\"}"), P0 ".keyType: missing");
	BAD(DEF("{\"type\": \"signedBy\", \"keyType\": \"gpg\", \"keyPath\": \"@D@/k1.gpg\"}"),
	    P0 ".keyType: unknown keyType \"gpg\" (GPGKeys; signedByGPGKeys, X509Certificates and "
	       "signedByX509CAs "
	       "parse but are not supported)");
	BAD(DEF("{\"type\": \"signedBy\", \"keyType\": [], \"keyPath\": \"@D@/k1.gpg\"}"),
	    P0 ".keyType: must be a string, not an array");
	BAD(SB(", \"keyPat\": \"@D@/k1.gpg\""), P0 ".keyPat: unknown field (signedBy has type, keyType, "
	                                           "keyPath, keyPaths, keyData, signedIdentity)");
	BAD(SB(""), P0 ": exactly one of keyPath, keyPaths and keyData must be given, none is");
	BAD(SB(", \"keyPath\": \"@D@/k1.gpg\", \"keyData\": \"b25l\""),
	    P0 ": exactly one of keyPath, keyPaths and keyData must be given, more than one is");
	BAD(SB(", \"keyPath\": \"@D@/k1.gpg\", \"keyPaths\": [\"@D@/k1.gpg\"]"),
	    P0 ": exactly one of keyPath, keyPaths and keyData must be given, more than one is");
	BAD(SB(", \"keyPath\": \"\""), P0 ".keyPath: must not be empty");
	BAD(SB(", \"keyPath\": 7"), P0 ".keyPath: must be a string, not a number");
	BAD(SB(", \"keyPaths\": []"), P0 ".keyPaths: must not be empty (it is a list of paths)");
	BAD(SB(", \"keyPaths\": \"@D@/k1.gpg\""), P0 ".keyPaths: must be an array (paths), not a string");
	BAD(SB(", \"keyPaths\": [\"@D@/k1.gpg\", 1]"), P0 ".keyPaths[1]: must be a string, not a number");
	BAD(SB(", \"keyPaths\": [\"@D@/k1.gpg\", \"\"]"), P0 ".keyPaths[1]: must not be empty");
	BAD(SB(", \"keyData\": \"not base64!\""), P0 ".keyData: not valid base64");
	BAD(SB(", \"keyData\": \"b25l\\nb25l\""), P0 ".keyData: not valid base64");
	BAD(SB(", \"keyData\": \"b25\""), P0 ".keyData: not valid base64");
	BAD(SB(", \"keyData\": \"\""), P0 ".keyData: must not be empty");
	BAD(SB(", \"keyData\": [\"b25l\"]"), P0 ".keyData: must be a string (base64), not an array");
	BAD(SB(", \"keyDatas\": [\"b25l\"]"), P0 ".keyDatas: unknown field (signedBy has ");
	BAD(SB(", \"keyData\": \"b25l\", \"signedIdentity\": null"),
	    P0 ".signedIdentity: must be an object (a signedIdentity), not null");
	/* key files: read at load time, errors name the file and the JSON path */
	expect_err(SB(", \"keyPath\": \"@D@/missing.gpg\""), SIGNET_ENOTFOUND,
	           P0 ".keyPath: key file: @D@/missing.gpg: no such file");
	expect_err(SB(", \"keyPaths\": [\"@D@/k1.gpg\", \"@D@/missing.gpg\"]"), SIGNET_ENOTFOUND,
	           P0 ".keyPaths[1]: key file: @D@/missing.gpg: no such file");
	expect_err(SB(", \"keyPath\": \"@D@/adir\""), SIGNET_EIO,
	           P0 ".keyPath: key file: @D@/adir: not a regular file");
	BAD(SB(", \"keyPath\": \"@D@/empty.gpg\""), P0 ".keyPath: key file @D@/empty.gpg is empty");
	expect_err(SCOPE("docker", "r.example/a",
	                 "{\"type\": \"reject\"}, "
	                 "{\"type\": \"signedBy\", \"keyType\": "
	                 "\"GPGKeys\", \"keyPath\": \"@D@/nope\"}"),
	           SIGNET_ENOTFOUND,
	           "policy t.json: transports.docker.\"r.example/a\"[1].keyPath: key file: @D@/nope");
#undef SB
#undef P0
}

static void test_sigstore_errors(void **state)
{
	(void)state;
#define SS(rest) DEF("{\"type\": \"sigstoreSigned\"" rest "}")
#define FULCIO                                                                                               \
	"\"fulcio\": {\"caPath\": \"/f.pem\", \"oidcIssuer\": \"https://i\", \"subjectEmail\": \"u@e\"}"
#define P0 "policy t.json: default[0]"
	BAD(SS(""), P0
	    ": exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki must be given, none is");
	BAD(SS(", \"keyPath\": \"@D@/k1.gpg\", \"keyDatas\": [\"b25l\"]"),
	    P0 ": exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki must be given, more "
	       "than one is");
	BAD(SS(", \"keyType\": \"GPGKeys\", \"keyPath\": \"@D@/k1.gpg\""),
	    P0 ".keyType: unknown field (sigstoreSigned has type, keyPath, keyPaths, keyData, keyDatas, "
	       "fulcio, pki, ");
	BAD(SS(", \"keyDatas\": []"), P0 ".keyDatas: must not be empty (it is a list of base64 strings)");
	BAD(SS(", \"keyDatas\": [\"b25l\", \"@@@@\"]"), P0 ".keyDatas[1]: not valid base64");
	BAD(SS(", \"keyPaths\": []"), P0 ".keyPaths: must not be empty");
	expect_err(SS(", \"keyPath\": \"@D@/missing.pub\""), SIGNET_ENOTFOUND,
	           P0 ".keyPath: key file: @D@/missing.pub: no such file");
	BAD(SS(", " FULCIO),
	    P0 ": fulcio needs one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and "
	       "rekorPublicKeyDatas");
	BAD(SS(", " FULCIO ", \"rekorPublicKeyPath\": \"/r\", \"rekorPublicKeyData\": \"b25l\""),
	    P0 ": at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and "
	       "rekorPublicKeyDatas "
	       "can be given");
	BAD(SS(", \"fulcio\": {\"caPath\": \"/f\", \"caData\": \"b25l\", \"oidcIssuer\": \"i\", "
	       "\"subjectEmail\": \"e\"}, "
	       "\"rekorPublicKeyPath\": \"/r\""),
	    P0 ".fulcio: exactly one of caPath and caData must be given, both are");
	BAD(SS(", \"fulcio\": {\"caPath\": \"/f\", \"subjectEmail\": \"e\"}, \"rekorPublicKeyPath\": \"/r\""),
	    P0 ".fulcio.oidcIssuer: missing");
	BAD(SS(", \"fulcio\": {\"caPath\": \"/f\", \"oidcIssuer\": \"i\", \"subjectEmail\": \"\"}, "
	       "\"rekorPublicKeyPath\": \"/r\""),
	    P0 ".fulcio.subjectEmail: must not be empty");
	BAD(SS(", \"fulcio\": {\"caPath\": \"/f\", \"oidcIssuer\": \"i\", \"subjectEmail\": \"e\", \"x\": "
	       "1}, "
	       "\"rekorPublicKeyPath\": \"/r\""),
	    P0 ".fulcio.x: unknown field (fulcio has caPath, caData, oidcIssuer, subjectEmail)");
	BAD(SS(", \"fulcio\": \"x\", \"rekorPublicKeyPath\": \"/r\""),
	    P0 ".fulcio: must be an object, not a string");
	BAD(SS(", " FULCIO ", \"rekorPublicKeyDatas\": [\"!\"]"),
	    P0 ".rekorPublicKeyDatas[0]: not valid base64");
	BAD(SS(", \"pki\": {\"caRootsPath\": \"/r\", \"subjectEmail\": \"e\"}, \"rekorPublicKeyPath\": "
	       "\"/r\""),
	    P0 ": pki cannot be combined with a Rekor public key");
	BAD(SS(", \"pki\": {\"caRootsPath\": \"/r\"}"),
	    P0 ".pki: at least one of subjectEmail and subjectHostname must be given");
	BAD(SS(", \"pki\": {\"subjectEmail\": \"e\"}"),
	    P0 ".pki: exactly one of caRootsPath and caRootsData must be given, none is");
	BAD(SS(", \"pki\": {\"caRootsPath\": \"/r\", \"caIntermediatesPath\": \"/i\", "
	       "\"caIntermediatesData\": \"b25l\", "
	       "\"subjectEmail\": \"e\"}"),
	    P0 ".pki: caIntermediatesPath and caIntermediatesData cannot both be given");
	BAD(SS(", \"keyPath\": \"@D@/k1.gpg\", \"signedIdentity\": {\"type\": \"exactRepository\", "
	       "\"dockerRepository\": \"Bad\"}"),
	    P0 ".signedIdentity.dockerRepository: image reference \"Bad\"");
#undef SS
#undef FULCIO
#undef P0
}

/* ---- scopes -------------------------------------------------------- */

static void test_scopes(void **state)
{
	static const char *const good_docker[] = {
	    "r.example",
	    "r.example:5000",
	    "localhost",
	    "localhost:5000/a",
	    "[::1]:5000",
	    "R.Example/ns",
	    "r.example/ns",
	    "r.example/ns/repo",
	    "r.example/ns/repo:v1.0",
	    "r.example/ns/repo@" D1,
	    "docker.io/library/busybox:latest",
	    "docker.io/bitnami", /* a namespace, not docker.io/library/bitnami */
	    "*.example.com",
	    "*.com",
	};
	static const char *const good_paths[] = {"/srv", "/srv/images/a", "/a.b/c..d/.e"};
	struct sn_policy *p;
	char tmpl[512], where[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good_docker) / sizeof(good_docker[0]); i++) {
		(void)snprintf(tmpl, sizeof(tmpl), SCOPE("docker", "%s", "{\"type\": \"reject\"}"),
		               good_docker[i]);
		p = parse_ok(tmpl);
		assert_int_equal(p->n_scopes, 1);
		assert_string_equal(p->scopes[0].transport, "docker");
		assert_string_equal(p->scopes[0].scope, good_docker[i]);
		assert_int_equal(p->scopes[0].n_reqs, 1);
		(void)snprintf(where, sizeof(where), "policy t.json: transports.docker.\"%s\"[0]",
		               good_docker[i]);
		assert_string_equal(p->scopes[0].reqs[0].where, where);
		sn_policy_free(p);
	}
	for (i = 0; i < sizeof(good_paths) / sizeof(good_paths[0]); i++) {
		for (int t = 0; t < 2; t++) {
			(void)snprintf(tmpl, sizeof(tmpl), SCOPE("%s", "%s", "{\"type\": \"reject\"}"),
			               t ? "oci" : "dir", good_paths[i]);
			p = parse_ok(tmpl);
			assert_int_equal(p->n_scopes, 1);
			assert_string_equal(p->scopes[0].transport, t ? "oci" : "dir");
			assert_string_equal(p->scopes[0].scope, good_paths[i]);
			sn_policy_free(p);
		}
	}

	/* Several transports; those signet does not read are checked, then
	 * left out (their key files are not read either). */
	p = parse_ok(
	    "{\"default\": [{\"type\": \"reject\"}], \"transports\": {"
	    "\"docker\": {\"\": [{\"type\": \"insecureAcceptAnything\"}], \"r.example/a\": [{\"type\": "
	    "\"reject\"}]},"
	    "\"dir\": {\"\": [{\"type\": \"reject\"}]},"
	    "\"oci\": {\"/srv/oci\": [{\"type\": \"reject\"}]},"
	    "\"docker-daemon\": {\"\": [{\"type\": \"insecureAcceptAnything\"}], \"r.example/x\": "
	    "[{\"type\": \"reject\"}]},"
	    "\"containers-storage\": "
	    "{\"[overlay@/var/lib/containers/storage]docker.io/library/busybox:latest\": "
	    "[{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"/nonexistent/key.gpg\"}],"
	    "\"[/var/lib/containers/storage]\": [{\"type\": \"reject\"}],"
	    "\"[overlay@/v]busybox@" D1
	    "@1111111111111111111111111111111111111111111111111111111111111111\": [{\"type\": \"reject\"}]},"
	    "\"atomic\": {\"h:5000/ns/stream:tag\": [{\"type\": \"reject\"}]},"
	    "\"oci-archive\": {\"/srv/a.tar\": [{\"type\": \"reject\"}]},"
	    "\"sif\": {\"/srv/s.sif\": [{\"type\": \"reject\"}]},"
	    "\"docker-archive\": {\"\": [{\"type\": \"reject\"}]},"
	    "\"tarball\": {\"\": [{\"type\": \"reject\"}]},"
	    "\"ostree\": {\"anything at all\": [{\"type\": \"reject\"}]},"
	    "\"future-transport\": {\"anything at all\": [{\"type\": \"reject\"}]}"
	    "}}");
	assert_int_equal(p->n_scopes, 4);
	assert_string_equal(p->scopes[0].transport, "docker");
	assert_string_equal(p->scopes[0].scope, "");
	assert_int_equal(p->scopes[0].reqs[0].type, SN_REQ_INSECURE_ACCEPT_ANYTHING);
	assert_string_equal(p->scopes[1].scope, "r.example/a");
	assert_string_equal(p->scopes[1].reqs[0].where,
	                    "policy t.json: transports.docker.\"r.example/a\"[0]");
	assert_string_equal(p->scopes[2].transport, "dir");
	assert_string_equal(p->scopes[3].transport, "oci");
	assert_string_equal(p->scopes[3].scope, "/srv/oci");
	sn_policy_free(p);
}

static void test_bad_scopes(void **state)
{
	static const struct {
		const char *transport, *scope, *why;
	} cases[] = {
	    {"docker", "*",
	     "not a valid scope: a wildcard is \"*.\" followed by a domain, as in \"*.example.com\" "
	     "(\"*\" alone is not a scope)"},
	    {"docker", "*.", "not a valid scope: a wildcard is \"*.\" followed by a domain"},
	    {"docker", "*example.com", "not a valid scope: a wildcard is \"*.\" followed by a domain"},
	    {"docker", "*.example.com:5000",
	     "not a valid scope: a wildcard is \"*.\" followed by a domain name, "
	     "without a port or more wildcards"},
	    {"docker", "*.*.com", "not a valid scope: a wildcard is \"*.\" followed by a domain name"},
	    {"docker", "*.example.com/ns",
	     "not a valid scope: a wildcard is \"*.\" followed by a domain name"},
	    {"docker", "example*.*.com", "not a valid scope: '*' is only valid as a leading \"*.\" wildcard"},
	    {"docker", "r.example/*", "not a valid scope: '*' is only valid as a leading \"*.\" wildcard"},
	    {"docker", "busybox",
	     "not a valid scope: does not start with a registry host (one with a '.' or ':', "
	     "or localhost): names are written in the fully expanded form, e.g. "
	     "\"docker.io/library/busybox\""},
	    {"docker", "library/busybox", "not a valid scope: does not start with a registry host"},
	    {"docker", "r_x.example/a",
	     "not a valid scope: does not start with a valid registry host[:port]"},
	    {"docker", "r.example:port/a",
	     "not a valid scope: does not start with a valid registry host[:port]"},
	    {"docker", "index.docker.io/library/busybox",
	     "not a valid scope: starts with \"index.docker.io\", which references call \"docker.io\""},
	    {"docker", "r.example/A",
	     "not a valid scope: image reference \"r.example/A\": invalid reference "
	     "format: repository name must be lowercase"},
	    {"docker", "r.example/a/",
	     "not a valid scope: image reference \"r.example/a/\": invalid reference "
	     "format: empty path component"},
	    {"docker", "r.example/a:",
	     "not a valid scope: image reference \"r.example/a:\": invalid reference "
	     "format: ':' is not followed by a tag"},
	    {"docker", "r.example/a@sha256:abc",
	     "not a valid scope: image reference \"r.example/a@sha256:abc\""},
	    {"docker", "r.example/a:v1@" D1,
	     "not a valid scope: it names both a tag and a digest; a scope names one of them"},
	    {"docker", "docker.io/busybox:latest",
	     "not a valid scope: not in the fully expanded form (\"docker.io/library/busybox:latest\"), so "
	     "no "
	     "image can match it"},
	    {"dir", "relative/dir", "not a valid scope: must be an absolute path"},
	    {"dir", "/", "not a valid scope: use the transport default \"\" instead of \"/\""},
	    {"dir", "/srv/", "not a valid scope: not a canonical path"},
	    {"dir", "/srv//a", "not a valid scope: not a canonical path"},
	    {"dir", "/srv/./a", "not a valid scope: not a canonical path"},
	    {"oci", "/srv/../a", "not a valid scope: not a canonical path"},
	    {"oci", "srv", "not a valid scope: must be an absolute path"},
	    {"oci", "/", "not a valid scope: use the transport default"},
	    {"oci-archive", "a.tar", "not a valid scope: must be an absolute path"},
	    {"sif", "/x/", "not a valid scope: not a canonical path"},
	    {"docker-archive", "/x.tar",
	     "not a valid scope: docker-archive supports only the default \"\" scope"},
	    {"tarball", "x", "not a valid scope: tarball supports only the default \"\" scope"},
	    {"docker-daemon", D1, "not a valid scope: an image ID (algo:digest) is not a namespace"},
	    {"containers-storage", "docker.io/library/busybox",
	     "not a valid scope: containers-storage scopes start with"},
	    {"containers-storage", "[]x", "not a valid scope: containers-storage scopes start with"},
	    {"containers-storage", "[overlay@var]x", "not a valid scope: the storage specifier must be"},
	    {"containers-storage", "[@/var]x", "not a valid scope: the storage specifier must be"},
	    {"containers-storage", "[/var]x@notanid",
	     "not a valid scope: what follows '@' is neither a digest nor an image ID"},
	    {"containers-storage", "[/var]x@" D1 "@short",
	     "not a valid scope: expected name@digest@image-ID"},
	    {"atomic", "h/ns:x/s",
	     "not a valid scope: atomic scopes are host[:port][/namespace[/stream[:tag]]]"},
	    {"atomic", "h/ns/s/extra", "not a valid scope: atomic scopes are"},
	    {"atomic", "h/ns/s:t:u", "not a valid scope: atomic scopes are"},
	};
	char tmpl[512], want[768];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		(void)snprintf(tmpl, sizeof(tmpl), SCOPE("%s", "%s", "{\"type\": \"reject\"}"),
		               cases[i].transport, cases[i].scope);
		(void)snprintf(want, sizeof(want), "policy t.json: transports.%s.\"%s\": %s",
		               cases[i].transport, cases[i].scope, cases[i].why);
		BAD(tmpl, want);
	}
	/* quoting in the JSON path keeps messages readable */
	BAD(SCOPE("docker", "a\\\"b\\n", "{\"type\": \"reject\"}"),
	    "policy t.json: transports.docker.\"a\\\"b\\x0a\": not a valid scope: does not start with a "
	    "valid registry");
}

/* ---- files and limits ---------------------------------------------- */

static void test_load_file(void **state)
{
	struct sn_policy *p = NULL;
	struct sn_err e;
	char path[256], *text;
	int fd;

	(void)state;
	text = subst("{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": "
	             "\"@D@/k1.gpg\"}]}");
	write_text("policy.json", text);
	free(text);
	(void)snprintf(path, sizeof(path), "%s/policy.json", tmpdir);
	sn_err_clear(&e);
	assert_int_equal(sn_policy_load_json(&p, path, &e), 0);
	assert_string_equal(p->source, path);
	assert_int_equal(p->default_reqs[0].n_keys, 1);
	assert_memory_equal(p->default_reqs[0].keys[0].data, "KEY-ONE", 7);
	sn_policy_free(p);
	p = NULL;

	/* a relative keyPath is relative to the current directory */
	write_text("rel.json", "{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"k2.gpg\"}]}");
	{
		char cwd[512];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(tmpdir), 0);
		assert_int_equal(sn_policy_load_json(&p, "rel.json", &e), 0);
		assert_int_equal(chdir(cwd), 0);
	}
	assert_string_equal(p->default_reqs[0].key_names[0], "keyPath k2.gpg");
	assert_memory_equal(p->default_reqs[0].keys[0].data, "KEY-TWO", 7);
	sn_policy_free(p);
	p = NULL;

	/* errors name the file */
	write_text("bad.json", "{\"default\": [{\"type\": \"reject\", \"x\": 1}]}");
	(void)snprintf(path, sizeof(path), "%s/bad.json", tmpdir);
	assert_int_equal(sn_policy_load_json(&p, path, &e), SIGNET_EBADINPUT);
	text = subst("policy @D@/bad.json: default[0].x: unknown field (reject has type)");
	assert_string_equal(e.msg, text);
	free(text);

	(void)snprintf(path, sizeof(path), "%s/none.json", tmpdir);
	assert_int_equal(sn_policy_load_json(&p, path, &e), SIGNET_ENOTFOUND);
	assert_non_null(strstr(e.msg, "none.json: no such file"));

	/* one byte over SIGNET_MAX_POLICY_FILE_SIZE (a sparse file) */
	(void)snprintf(path, sizeof(path), "%s/huge.json", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)SIGNET_MAX_POLICY_FILE_SIZE + 1), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(sn_policy_load_json(&p, path, &e), SIGNET_ELIMIT);
	text = subst(
	    "policy @D@/huge.json: larger than the limit of 16777216 bytes (SIGNET_MAX_POLICY_FILE_SIZE)");
	assert_string_equal(e.msg, text);
	free(text);
	assert_null(p);

	/* and through the in-memory entry point */
	{
		size_t n = (size_t)SIGNET_MAX_POLICY_FILE_SIZE + 1;
		char *big = malloc(n);

		assert_non_null(big);
		memset(big, ' ', n);
		assert_int_equal(sn_policy_parse_json(&p, big, n, SRC, &e), SIGNET_ELIMIT);
		assert_string_equal(e.msg, "policy t.json: larger than the limit of 16777216 bytes "
		                           "(SIGNET_MAX_POLICY_FILE_SIZE)");
		free(big);
	}
	assert_int_equal(sn_policy_load_json(NULL, path, &e), SIGNET_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_signed_by),
	    cmocka_unit_test(test_signed_by_unsupported_key_types),
	    cmocka_unit_test(test_sigstore_signed),
	    cmocka_unit_test(test_sigstore_unsupported),
	    cmocka_unit_test(test_signed_base_layer),
	    cmocka_unit_test(test_signed_identities),
	    cmocka_unit_test(test_bad_identities),
	    cmocka_unit_test(test_document_errors),
	    cmocka_unit_test(test_signed_by_errors),
	    cmocka_unit_test(test_sigstore_errors),
	    cmocka_unit_test(test_scopes),
	    cmocka_unit_test(test_bad_scopes),
	    cmocka_unit_test(test_load_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
