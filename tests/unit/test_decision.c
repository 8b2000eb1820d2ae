/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_decision.c: the decision through the public
 * signet_verify, on dir: and oci: layouts made here (no network), and the
 * audit's per-signature record (sn_evaluate_report) agreeing with it on
 * every case: the same verdict; allowed by a signature requirement means
 * at least one record whose facts all pass (valid, identityMatches, no
 * problem); denied by one means none, and the denial names each record's
 * problem.  Both read one examination (verify/examine.c).
 *
 * Cases: each requirement type (insecureAcceptAnything, reject, signedBy,
 * sigstoreSigned); AND across requirements; OR across signatures (one bad
 * and one good: allowed; all bad: denied listing each); an index versus
 * its instance (instance signatures <hex>.signature-N, index signatures
 * with index_signature_covers_instances on and off); annotations required
 * (verify -a); identity rules (matchRepoDigestOrExact, matchRepository,
 * exactReference, remapIdentity).  A dir: image has no docker reference,
 * so the rules that compare with the image's own reference are decided
 * for a docker reference read from a dir: mirror (sn_evaluate_report's
 * layout, the path `signet audit` takes for `skopeo sync --scoped` trees).
 *
 * .sig attachments live in a registry and cannot be reached without the
 * network: when they are read (registries.d use-sigstore-attachments on,
 * off, unset, with and without a sigstoreSigned requirement) is decided by
 * sn_want_attachments, tested here (test_attachments_rule); reading them
 * against a real docker-registry is tests/integration/cosign.sh and
 * test_attachments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gpg_fixture.h"

#include <signet/signet.h>

#include "verify/verifier_internal.h"

static char work[600];    /* fixture dir + "/decision" */
static char layouts[700]; /* made by fixtures/make-layouts.sh */
static char key_a[512], key_b[512], cosign_pub[700], cosign_priv[700];

#define ID       "example.com/team/app:v1" /* what the dir: signatures claim */
#define EXACT_ID "\"signedIdentity\": {\"type\": \"exactReference\", \"dockerReference\": \"" ID "\"}"

/* ---- making layouts and signatures ---------------------------------- */

/* work/name: a copy of the layout src (dir-v1, dir-multi); returns its
 * path (static, 8 rotating). */
static const char *image_copy(const char *name, const char *src)
{
	static char buf[8][800];
	static int next;
	char *p = buf[next++ % 8];

	(void)snprintf(p, 800, "%s/%s", work, name);
	if (fx_sh("rm -rf '%s' && mkdir -p \"$(dirname '%s')\" && cp -r '%s/%s' '%s'", p, p, layouts, src,
	          p) != 0)
		fail_msg("copying %s", src);
	return p;
}

/* Signs the dir: layout at path: with OpenPGP key (a fixture name) or,
 * key NULL, with the cosign key; claiming identity, carrying annotation
 * (cosign only) when not NULL. */
static void sign(const char *path, const char *key, const char *identity, const char *annotation,
                 int recursive)
{
	signet_sign_options so = SIGNET_SIGN_OPTIONS_INIT;
	char text[1024], *loc = NULL;
	signet_ref *ref = NULL;
	signet_ctx *ctx = NULL;

	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	(void)snprintf(text, sizeof(text), "dir:%s", path);
	if (signet_ref_parse(&ref, ctx, text) != 0)
		fail_msg("%s: %s", text, signet_ctx_errmsg(ctx));
	if (key != NULL) {
		so.gpg_key = fx_fpr(key);
		so.gnupghome = fx_home;
	} else {
		so.key = cosign_priv;
	}
	so.identity = identity;
	so.annotations = annotation != NULL ? &annotation : NULL;
	so.n_annotations = annotation != NULL ? 1 : 0;
	so.recursive = recursive;
	if (signet_sign_image(&loc, NULL, ctx, &so, ref) != 0)
		fail_msg("signing %s: %s", text, signet_ctx_errmsg(ctx));
	free(loc);
	signet_ref_free(ref);
	signet_ctx_free(ctx);
}

/* Flips a byte near the end of path/file (inside the signature). */
static void tamper(const char *path, const char *file)
{
	if (fx_sh("cd '%s' && n=$(stat -c %%s %s) && "
	          "printf '\\001' | dd of=%s bs=1 seek=$((n - 20)) conv=notrunc 2>/dev/null",
	          path, file, file) != 0)
		fail_msg("tampering %s/%s", path, file);
}

/* work/name.json holding the policy (printf); returns its path (static,
 * 4 rotating). */
SN_PRINTF(2, 3) static const char *policy(const char *name, const char *fmt, ...)
{
	static char buf[4][800];
	static int next;
	char *p = buf[next++ % 4];
	va_list ap;
	FILE *f;

	(void)snprintf(p, 800, "%s/%s.json", work, name);
	f = fopen(p, "we");
	assert_non_null(f);
	va_start(ap, fmt);
	(void)vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
	return p;
}

/* A policy whose default is the requirements reqs (a JSON array's items). */
#define DEFAULT_POLICY(name, ...) policy(name, "{\"default\": [" __VA_ARGS__ "]}")

/* ---- deciding, and the audit's records ------------------------------ */

struct result {
	int rc;
	char msg[8192];
	json_t *sigs;   /* the audit's records of every stored signature */
	size_t passing; /* records whose facts all pass */
	char explain[16384];
};

static void result_clear(struct result *r)
{
	json_decref(r->sigs);
	memset(r, 0, sizeof(*r));
}

/* Does record s pass every check? */
static int record_passes(const json_t *s)
{
	return json_is_true(json_object_get(s, "valid")) &&
	       json_is_true(json_object_get(s, "identityMatches")) &&
	       json_is_null(json_object_get(s, "problem"));
}

/*
 * Decides image ("dir:...", "oci:...", or a docker reference read from the
 * dir: mirror layout) under policy_file, requiring annotation (or NULL).
 * Without layout: signet_verify, then signet_explain, then
 * sn_evaluate_report, which must agree.  covers: index signatures cover
 * instances (policy.json always sets it; -1: leave).
 */
static void decide(struct result *res, const char *policy_file, const char *image, const char *layout,
                   const char *annotation, int covers)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	struct signet_verdict *verdict = NULL;
	struct sn_eval_report rep;
	signet_verifier *v = NULL;
	signet_ctx *ctx = NULL;
	struct sn_ref *docker = NULL;
	signet_ref *ref = NULL;
	const struct sn_ref *target;
	struct sn_err e;
	char *text = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	o.policy_file = policy_file;
	o.platform = "linux/amd64";
	o.annotations = annotation != NULL ? &annotation : NULL;
	o.n_annotations = annotation != NULL ? 1 : 0;
	if (signet_verifier_new(&v, ctx, &o) != 0)
		fail_msg("verifier: %s", signet_ctx_errmsg(ctx));
	if (covers >= 0)
		v->policy->index_signature_covers_instances = covers;
	sn_err_clear(&e);
	if (layout == NULL) {
		signet_verdict *pv = NULL;

		if (signet_ref_parse(&ref, ctx, image) != 0)
			fail_msg("%s: %s", image, signet_ctx_errmsg(ctx));
		res->rc = signet_verify(&pv, v, ref);
		assert_true((res->rc == 0) == (pv != NULL));
		(void)snprintf(res->msg, sizeof(res->msg), "%s", res->rc != 0 ? signet_ctx_errmsg(ctx) : "");
		signet_verdict_free(pv);
		/* policy explain reads the same examination. */
		assert_int_equal(signet_explain(&text, v, ref), 0);
		assert_non_null(text);
		(void)snprintf(res->explain, sizeof(res->explain), "%s", text);
		assert_non_null(strstr(text, res->rc == 0 ? "Verdict: allowed" : "Verdict: denied"));
		free(text);
		target = (const struct sn_ref *)ref;
	} else {
		assert_int_equal(sn_ref_parse_docker(&docker, image, &e), 0);
		target = docker;
	}
	rc = sn_evaluate_report(&verdict, v, target, layout, &rep, NULL, &e);
	if (layout == NULL) {
		assert_int_equal(rc, res->rc);
		assert_string_equal(e.msg, res->msg);
	} else {
		res->rc = rc;
		(void)snprintf(res->msg, sizeof(res->msg), "%s", rc != 0 ? e.msg : "");
	}
	assert_true(rc == 0 || rc == SIGNET_EDENIED);
	res->sigs = json_incref(rep.signatures);
	assert_non_null(res->sigs);
	for (size_t i = 0; i < json_array_size(res->sigs); i++)
		res->passing += (size_t)record_passes(json_array_get(res->sigs, i));
	if (getenv("SIGNET_TEST_VERBOSE") != NULL) {
		char *dump = json_dumps(res->sigs, JSON_INDENT(1));

		(void)printf("%s: rc %d: %s\n%s\n", image, res->rc, res->msg, dump);
		free(dump);
	}
	sn_eval_report_clear(&rep);
	signet_verdict_free(verdict);
	sn_ref_free(docker);
	signet_ref_free(ref);
	signet_verifier_free(v);
	signet_ctx_free(ctx);
}

/* The message names every part. */
static void expect_msg(const struct result *r, const char *part)
{
	if (strstr(r->msg, part) == NULL)
		fail_msg("message \"%s\" does not name \"%s\"", r->msg, part);
}

/* A decision made by a signature requirement, and the audit agreeing:
 * allowed: some record passes; denied: none does, and the denial names
 * each record's problem (the decision's words for the same fact). */
static void expect_signed(const struct result *r, int allowed, size_t records)
{
	assert_int_equal(r->rc, allowed ? 0 : SIGNET_EDENIED);
	assert_int_equal(json_array_size(r->sigs), records);
	if (allowed) {
		assert_true(r->passing >= 1);
		return;
	}
	assert_int_equal(r->passing, 0);
	for (size_t i = 0; i < records; i++) {
		const char *problem =
		    json_string_value(json_object_get(json_array_get(r->sigs, i), "problem"));

		assert_non_null(problem);
		if (strstr(r->msg, problem) == NULL)
			fail_msg("the denial \"%s\" does not name the record's problem \"%s\"", r->msg,
			         problem);
	}
}

/* The first record with location ending in name. */
static json_t *record(const struct result *r, const char *name)
{
	for (size_t i = 0; i < json_array_size(r->sigs); i++) {
		json_t *s = json_array_get(r->sigs, i);
		const char *loc = json_string_value(json_object_get(s, "location"));
		size_t n = strlen(loc), m = strlen(name);

		if (n >= m && strcmp(loc + n - m, name) == 0)
			return s;
	}
	fail_msg("no record of %s", name);
	return NULL;
}

/* ---- setup ------------------------------------------------------------ */

static int group_setup(void **state)
{
	signet_ctx *ctx = NULL;

	(void)state;
	if (fx_setup() != 0)
		return -1;
	(void)snprintf(work, sizeof(work), "%s/decision", fx_dir);
	(void)snprintf(layouts, sizeof(layouts), "%s/layouts", work);
	if (fx_sh("mkdir -p '%s' && sh '%s/make-layouts.sh' '%s' >'%s/layouts.log' 2>&1", work, FIXTURES_DIR,
	          layouts, work) != 0)
		return -1;
	(void)fx_path(key_a, "A.asc");
	(void)fx_path(key_b, "B.asc");
	(void)snprintf(cosign_priv, sizeof(cosign_priv), "%s/cosign.key", work);
	(void)snprintf(cosign_pub, sizeof(cosign_pub), "%s/cosign.pub", work);
	if (signet_ctx_new(&ctx, NULL) != 0 || signet_key_generate(ctx, cosign_priv, cosign_pub, NULL) != 0)
		return -1;
	signet_ctx_free(ctx);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

static const char *dir_ref(const char *path)
{
	static char buf[4][900];
	static int next;
	char *p = buf[next++ % 4];

	(void)snprintf(p, 900, "dir:%s", path);
	return p;
}

/* ---- requirement types ------------------------------------------------ */

static void test_accept_anything(void **state)
{
	const char *img = image_copy("accept", "dir-v1");
	struct result r;

	(void)state;
	decide(&r, DEFAULT_POLICY("accept", "{\"type\": \"insecureAcceptAnything\"}"), dir_ref(img), NULL,
	       NULL, -1);
	assert_int_equal(r.rc, 0);
	assert_int_equal(json_array_size(r.sigs), 0); /* unsigned */
	result_clear(&r);
}

static void test_reject(void **state)
{
	const char *img = image_copy("reject", "dir-v1");
	struct result r;

	(void)state;
	sign(img, "A", ID, NULL, 0); /* a good signature does not matter */
	decide(&r, DEFAULT_POLICY("reject", "{\"type\": \"reject\"}"), dir_ref(img), NULL, NULL, -1);
	assert_int_equal(r.rc, SIGNET_EDENIED);
	expect_msg(&r, "requirement 1 of 1 (reject, ");
	expect_msg(&r, "default[0]) not met: rejected by the policy");
	assert_int_equal(json_array_size(r.sigs), 1);
	result_clear(&r);
}

static void test_signed_by(void **state)
{
	const char *img = image_copy("signed-by", "dir-v1");
	const char *pa, *pb;
	struct result r;
	json_t *s;

	(void)state;
	sign(img, "A", ID, NULL, 0);
	pa = policy("signed-by-a",
	            "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": "
	            "\"%s\", " EXACT_ID "}]}",
	            key_a);
	decide(&r, pa, dir_ref(img), NULL, NULL, -1);
	expect_signed(&r, 1, 1);
	s = json_array_get(r.sigs, 0);
	assert_string_equal(json_string_value(json_object_get(s, "kind")), "simple-signing");
	assert_string_equal(json_string_value(json_object_get(s, "signer")), fx_fpr("A"));
	assert_string_equal(json_string_value(json_object_get(s, "identity")), ID);
	assert_non_null(strstr(r.explain, "satisfied by signature-1"));
	result_clear(&r);

	/* The wrong key. */
	pb = policy("signed-by-b",
	            "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": "
	            "\"%s\", " EXACT_ID "}]}",
	            key_b);
	decide(&r, pb, dir_ref(img), NULL, NULL, -1);
	expect_signed(&r, 0, 1);
	expect_msg(&r, "no valid signature among 1: signature-1: ");
	s = json_array_get(r.sigs, 0);
	assert_true(json_is_false(json_object_get(s, "valid")));
	assert_true(json_is_null(json_object_get(s, "signer")));
	result_clear(&r);

	/* No signature at all. */
	img = image_copy("unsigned", "dir-v1");
	decide(&r, pa, dir_ref(img), NULL, NULL, -1);
	expect_signed(&r, 0, 0);
	expect_msg(&r, "no signatures for sha256:");
	result_clear(&r);
}

static void test_sigstore_signed(void **state)
{
	const char *img = image_copy("sigstore", "dir-v1");
	const char *p, *pgp;
	struct result r;
	json_t *s;

	(void)state;
	sign(img, NULL, "example.com/team/app", NULL, 0); /* cosign claims the repository */
	p = policy("sigstore",
	           "{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"%s\", \"signedIdentity\": "
	           "{\"type\": \"exactRepository\", \"dockerRepository\": \"example.com/team/app\"}}]}",
	           cosign_pub);
	decide(&r, p, dir_ref(img), NULL, NULL, -1);
	expect_signed(&r, 1, 1);
	s = json_array_get(r.sigs, 0);
	assert_string_equal(json_string_value(json_object_get(s, "kind")), "sigstore");
	result_clear(&r);

	/* A cosign signature does not meet signedBy: the decision says
	 * which format it reads; the record, that no key of the policy is
	 * for sigstore signatures. */
	pgp = policy("sigstore-pgp",
	             "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", "
	             "\"keyPath\": \"%s\", " EXACT_ID "}]}",
	             key_a);
	decide(&r, pgp, dir_ref(img), NULL, NULL, -1);
	assert_int_equal(r.rc, SIGNET_EDENIED);
	expect_msg(&r, "signature-1: not an OpenPGP simple signing signature");
	assert_int_equal(r.passing, 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(r.sigs, 0), "problem")),
	                    "the policy pins no key for sigstore signatures of this image");
	result_clear(&r);
}

/* ---- AND across requirements, OR across signatures ------------------- */

static void test_and(void **state)
{
	const char *both = image_copy("and-both", "dir-v1"), *one = image_copy("and-one", "dir-v1");
	const char *p;
	struct result r;

	(void)state;
	sign(both, "A", ID, NULL, 0);
	sign(both, "B", ID, NULL, 0);
	sign(one, "A", ID, NULL, 0);
	p = policy(
	    "and",
	    "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\", " EXACT_ID
	    "}, {\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\", " EXACT_ID "}]}",
	    key_a, key_b);
	decide(&r, p, dir_ref(both), NULL, NULL, -1);
	expect_signed(&r, 1, 2);
	assert_int_equal(r.passing, 2); /* each by the key of one requirement */
	result_clear(&r);

	decide(&r, p, dir_ref(one), NULL, NULL, -1);
	assert_int_equal(r.rc, SIGNET_EDENIED);
	expect_msg(&r, "requirement 2 of 2 (signedBy");
	/* The record says A's signature is good: the audit examines each
	 * signature with the requirement whose key verifies it. */
	assert_int_equal(r.passing, 1);
	result_clear(&r);

	/* A signature does not lift a reject. */
	p = policy("and-reject",
	           "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": "
	           "\"%s\", " EXACT_ID "}, {\"type\": \"reject\"}]}",
	           key_a);
	decide(&r, p, dir_ref(one), NULL, NULL, -1);
	assert_int_equal(r.rc, SIGNET_EDENIED);
	expect_msg(&r, "requirement 2 of 2 (reject, ");
	expect_msg(&r, "default[1]) not met: rejected by the policy");
	result_clear(&r);
}

static void test_or(void **state)
{
	const char *img = image_copy("or-good", "dir-v1"), *bad = image_copy("or-bad", "dir-v1");
	const char *p;
	struct result r;

	(void)state;
	sign(img, "B", ID, NULL, 0); /* signature-1: a key the policy does not pin */
	sign(img, "A", ID, NULL, 0); /* signature-2: good */
	p = policy(
	    "or",
	    "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\", " EXACT_ID
	    "}]}",
	    key_a);
	decide(&r, p, dir_ref(img), NULL, NULL, -1);
	expect_signed(&r, 1, 2);
	assert_int_equal(r.passing, 1);
	assert_true(record_passes(record(&r, "/signature-2")));
	assert_false(record_passes(record(&r, "/signature-1")));
	result_clear(&r);

	/* All bad: B's, A's tampered, A's for another identity. */
	sign(bad, "B", ID, NULL, 0);
	sign(bad, "A", ID, NULL, 0);
	tamper(bad, "signature-2");
	sign(bad, "A", "example.com/team/app:v2", NULL, 0);
	decide(&r, p, dir_ref(bad), NULL, NULL, -1);
	expect_signed(&r, 0, 3);
	expect_msg(&r, "no valid signature among 3: signature-1: ");
	expect_msg(&r, "; signature-2: ");
	expect_msg(&r, "; signature-3: the signature claims identity \"example.com/team/app:v2\"");
	/* signature-3 is valid, only its identity is wrong. */
	assert_true(json_is_true(json_object_get(record(&r, "/signature-3"), "valid")));
	assert_true(json_is_false(json_object_get(record(&r, "/signature-3"), "identityMatches")));
	result_clear(&r);
}

/* ---- an index and its instance -------------------------------------- */

static void test_index_instance(void **state)
{
	const char *inst = image_copy("index-inst", "dir-multi"), *idx = image_copy("index-top", "dir-multi");
	const char *p;
	struct result r;

	(void)state;
	/* The index and each instance, then the index's own removed:
	 * the instance's <hex>.signature-1 remains. */
	sign(inst, "A", ID, NULL, 1);
	if (fx_sh("rm '%s/signature-1' && ls '%s' | grep -q '^[0-9a-f]*\\.signature-1$'", inst, inst) != 0)
		fail_msg("no instance signature in %s", inst);
	sign(idx, "A", ID, NULL, 0); /* the index only */
	p = policy(
	    "index",
	    "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\", " EXACT_ID
	    "}]}",
	    key_a);

	decide(&r, p, dir_ref(inst), NULL, NULL, -1);
	expect_signed(&r, 1, 1);
	{
		/* The record is of the instance: <hex>.signature-1, naming it. */
		json_t *s = json_array_get(r.sigs, 0);
		const char *digest = json_string_value(json_object_get(s, "manifest"));
		char name[200];

		assert_non_null(strstr(r.explain, "(instance)"));
		(void)snprintf(name, sizeof(name), "/%s.signature-1", digest + strlen("sha256:"));
		assert_ptr_equal(record(&r, name), s);
	}
	result_clear(&r);

	/* An index signature covers its instances (SPEC §4.1)... */
	decide(&r, p, dir_ref(idx), NULL, NULL, 1);
	expect_signed(&r, 1, 1);
	assert_non_null(strstr(r.explain, "(index)"));
	result_clear(&r);
	/* ...unless the policy says not: the instance needs its own. */
	decide(&r, p, dir_ref(idx), NULL, NULL, 0);
	expect_signed(&r, 0, 0);
	expect_msg(&r, "no signatures for sha256:");
	result_clear(&r);
}

/* ---- oci: layouts ------------------------------------------------------ */

static void test_oci(void **state)
{
	char img[900];
	struct result r;
	const char *p;

	(void)state;
	(void)snprintf(img, sizeof(img), "oci:%s/oci:v1", layouts);
	decide(&r, DEFAULT_POLICY("oci-accept", "{\"type\": \"insecureAcceptAnything\"}"), img, NULL, NULL,
	       -1);
	assert_int_equal(r.rc, 0);
	result_clear(&r);
	p = policy(
	    "oci",
	    "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\", " EXACT_ID
	    "}]}",
	    key_a);
	decide(&r, p, img, NULL, NULL, -1);
	expect_signed(&r, 0, 0);
	expect_msg(&r, "no signatures: an oci: layout holds none");
	result_clear(&r);
}

/* ---- annotations (verify -a) ---------------------------------------- */

static void test_annotations(void **state)
{
	const char *img = image_copy("annotated", "dir-v1");
	const char *p, *wrong;
	struct result r;
	json_t *s;

	(void)state;
	sign(img, NULL, "example.com/team/app", "team=blue", 0);
	p = policy("annotated",
	           "{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"%s\", \"signedIdentity\": "
	           "{\"type\": \"exactRepository\", \"dockerRepository\": \"example.com/team/app\"}}]}",
	           cosign_pub);
	decide(&r, p, dir_ref(img), NULL, "team=blue", -1);
	expect_signed(&r, 1, 1);
	result_clear(&r);

	decide(&r, p, dir_ref(img), NULL, "team=red", -1);
	expect_signed(&r, 0, 1);
	expect_msg(&r, "the payload does not carry the annotation team=red");
	result_clear(&r);

	/* Both the annotation and the identity wrong: the first failed check
	 * (annotations come before identity) is the problem in the denial
	 * and in the record, which does not claim the identity matches. */
	wrong =
	    policy("annotated-wrong-id",
	           "{\"default\": [{\"type\": \"sigstoreSigned\", \"keyPath\": \"%s\", \"signedIdentity\": "
	           "{\"type\": \"exactRepository\", \"dockerRepository\": \"example.com/other/app\"}}]}",
	           cosign_pub);
	decide(&r, wrong, dir_ref(img), NULL, "team=red", -1);
	expect_signed(&r, 0, 1);
	s = json_array_get(r.sigs, 0);
	assert_true(json_is_true(json_object_get(s, "valid")));
	assert_true(json_is_false(json_object_get(s, "identityMatches")));
	assert_non_null(strstr(json_string_value(json_object_get(s, "problem")), "annotation team=red"));
	result_clear(&r);
	/* With the annotation there, the identity is the problem. */
	decide(&r, wrong, dir_ref(img), NULL, "team=blue", -1);
	expect_signed(&r, 0, 1);
	expect_msg(&r, "example.com/other/app");
	result_clear(&r);
}

/* ---- identity rules -------------------------------------------------- */

/* A dir: mirror of the docker image localhost:5000/team/app:v1 signed by
 * A claiming claim (named name). */
static const char *mirror(const char *name, const char *claim)
{
	char rel[200];
	const char *path;

	(void)snprintf(rel, sizeof(rel), "mirror-%s/localhost:5000/team/app:v1", name);
	path = image_copy(rel, "dir-v1");
	sign(path, "A", claim, NULL, 0);
	return path;
}

/* A policy for localhost:5000 requiring A with the signedIdentity ident
 * (JSON, or "" for the default, matchRepoDigestOrExact). */
static const char *identity_policy(const char *name, const char *ident)
{
	return policy(
	    name,
	    "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": {\"localhost:5000\": "
	    "[{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\"%s%s}]}}}",
	    key_a, ident[0] != '\0' ? ", \"signedIdentity\": " : "", ident);
}

static void test_identity_rules(void **state)
{
	const char *image = "localhost:5000/team/app:v1";
	const char *same = mirror("same", image), *tag2 = mirror("tag2", "localhost:5000/team/app:v2");
	const char *remapped = mirror("remapped", "example.com/team/app:v1");
	const char *p;
	struct result r;

	(void)state;
	/* matchRepoDigestOrExact (the default). */
	p = identity_policy("id-default", "");
	decide(&r, p, image, same, NULL, -1);
	expect_signed(&r, 1, 1);
	result_clear(&r);
	decide(&r, p, image, tag2, NULL, -1);
	expect_signed(&r, 0, 1);
	expect_msg(&r, "localhost:5000/team/app:v2");
	result_clear(&r);

	/* matchRepository: any tag of the repository. */
	p = identity_policy("id-repo", "{\"type\": \"matchRepository\"}");
	decide(&r, p, image, tag2, NULL, -1);
	expect_signed(&r, 1, 1);
	result_clear(&r);
	decide(&r, p, image, remapped, NULL, -1);
	expect_signed(&r, 0, 1);
	result_clear(&r);

	/* exactReference: that reference, whatever the image is called. */
	p = identity_policy(
	    "id-exact",
	    "{\"type\": \"exactReference\", \"dockerReference\": \"localhost:5000/team/app:v2\"}");
	decide(&r, p, image, tag2, NULL, -1);
	expect_signed(&r, 1, 1);
	result_clear(&r);
	decide(&r, p, image, same, NULL, -1);
	expect_signed(&r, 0, 1);
	expect_msg(&r, "which is not \"localhost:5000/team/app:v2\" (exactReference)");
	result_clear(&r);

	/* remapIdentity: localhost:5000/team is signed as example.com/team. */
	p = identity_policy("id-remap", "{\"type\": \"remapIdentity\", \"prefix\": \"localhost:5000/team\", "
	                                "\"signedPrefix\": \"example.com/team\"}");
	decide(&r, p, image, remapped, NULL, -1);
	expect_signed(&r, 1, 1);
	result_clear(&r);
	decide(&r, p, image, same, NULL, -1);
	expect_signed(&r, 0, 1);
	expect_msg(&r, "remapIdentity \"localhost:5000/team\" -> \"example.com/team\" rewrote");
	result_clear(&r);

	/* A dir: image has no docker reference: rules that compare with it
	 * match nothing (exactReference, above, needs none). */
	decide(&r, p, dir_ref(same), NULL, NULL, -1);
	assert_int_equal(r.rc, SIGNET_EDENIED); /* the default: reject */
	result_clear(&r);
	p = policy("id-dir",
	           "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\"}]}",
	           key_a);
	decide(&r, p, dir_ref(same), NULL, NULL, -1);
	expect_signed(&r, 0, 1);
	expect_msg(&r, "is not a docker reference: no identity to match");
	result_clear(&r);
}

/* When .sig attachments are read: on always, off never, unset exactly when
 * a sigstoreSigned requirement applies. */
static void test_attachments_rule(void **state)
{
	struct sn_requirement reqs[2];
	struct sn_scope_choice c = {reqs, 0, "docker", "", "global default"};

	(void)state;
	memset(reqs, 0, sizeof(reqs));
	reqs[0].type = SN_REQ_SIGNED_BY;
	reqs[1].type = SN_REQ_SIGSTORE_SIGNED;
	for (size_t n = 0; n <= 2; n++) {
		c.n_reqs = n;
		assert_int_equal(sn_want_attachments(1, &c), 1);
		assert_int_equal(sn_want_attachments(0, &c), 0);
		assert_int_equal(sn_want_attachments(-1, &c), n == 2);
	}
	reqs[0].type = SN_REQ_SIGSTORE_SIGNED; /* first of one */
	c.n_reqs = 1;
	assert_int_equal(sn_want_attachments(-1, &c), 1);
	reqs[0].type = SN_REQ_INSECURE_ACCEPT_ANYTHING;
	assert_int_equal(sn_want_attachments(-1, &c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accept_anything),
	    cmocka_unit_test(test_reject),
	    cmocka_unit_test(test_signed_by),
	    cmocka_unit_test(test_sigstore_signed),
	    cmocka_unit_test(test_and),
	    cmocka_unit_test(test_or),
	    cmocka_unit_test(test_index_instance),
	    cmocka_unit_test(test_oci),
	    cmocka_unit_test(test_annotations),
	    cmocka_unit_test(test_identity_rules),
	    cmocka_unit_test(test_attachments_rule),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
