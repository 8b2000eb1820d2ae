/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_audit.c: signet_audit over local sources (no network):
 * a `skopeo sync --scoped` dir: tree with planted signatures, an oci:
 * layout, shards and -j.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gpg_fixture.h"

#include <signet/signet.h>

#include "verify/verifier_internal.h"

#include "audit_record_check.h"

static char work[600];	 /* fixture dir + "/audit" */
static char tree[700];	 /* the dir: tree */
static char policy[700]; /* requires A */

/* The records of one audit. */
struct out {
	char **rec;
	size_t n;
};

static int collect(void *userdata, const char *json)
{
	struct out *o = userdata;

	o->rec = realloc(o->rec, (o->n + 1) * sizeof(*o->rec));
	assert_non_null(o->rec);
	o->rec[o->n] = strdup(json);
	assert_non_null(o->rec[o->n]);
	o->n++;
	return 0;
}

static void out_free(struct out *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->rec[i]);
	free(o->rec);
	o->rec = NULL;
	o->n = 0;
}

static json_t *rec_json(const struct out *o, size_t i)
{
	json_t *j;

	assert_true(i < o->n);
	j = json_loads(o->rec[i], 0, NULL);
	assert_non_null(j);
	return j;
}

/* Audits source with the policy requiring A; returns signet_audit's code. */
static int run(struct out *o, const char *source, unsigned jobs, unsigned k, unsigned n)
{
	signet_verifier_options vo = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_audit_options ao = SIGNET_AUDIT_OPTIONS_INIT;
	signet_verifier *v = NULL;
	signet_ctx *ctx = NULL;
	int rc;

	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	vo.policy_file = policy;
	vo.platform = "linux/amd64";
	if (signet_verifier_new(&v, ctx, &vo) != 0)
		fail_msg("verifier: %s", signet_ctx_errmsg(ctx));
	ao.source = source;
	ao.jobs = jobs;
	ao.shard_index = k;
	ao.shard_count = n;
	memset(o, 0, sizeof(*o));
	rc = signet_audit(v, &ao, collect, o);
	if (getenv("SIGNET_TEST_VERBOSE") != NULL) {
		for (size_t i = 0; i < o->n; i++)
			(void)printf("%s\n", o->rec[i]);
		(void)printf("rc %d: %s\n", rc, signet_ctx_errmsg(ctx));
	}
	signet_verifier_free(v);
	signet_ctx_free(ctx);
	return rc;
}

/* Signs the dir: layout tree/rel with key name, claiming identity. */
static void sign_dir(const char *rel, const char *key, const char *identity)
{
	signet_sign_options so = SIGNET_SIGN_OPTIONS_INIT;
	char text[1024], *loc = NULL;
	signet_ref *ref = NULL;
	signet_ctx *ctx = NULL;

	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	(void)snprintf(text, sizeof(text), "dir:%s/%s", tree, rel);
	if (signet_ref_parse(&ref, ctx, text) != 0)
		fail_msg("%s: %s", text, signet_ctx_errmsg(ctx));
	so.gpg_key = fx_fpr(key);
	so.gnupghome = fx_home;
	so.identity = identity;
	if (signet_sign_image(&loc, NULL, ctx, &so, ref) != 0)
		fail_msg("signing %s: %s", text, signet_ctx_errmsg(ctx));
	free(loc);
	signet_ref_free(ref);
	signet_ctx_free(ctx);
}

static int group_setup(void **state)
{
	const char *layouts;
	FILE *f;
	char keypath[512];

	(void)state;
	if (fx_setup() != 0)
		return -1;
	(void)snprintf(work, sizeof(work), "%s/audit", fx_dir);
	(void)snprintf(tree, sizeof(tree), "%s/tree", work);
	layouts = "layouts";
	if (fx_sh("mkdir -p '%s' && sh '%s/make-layouts.sh' '%s/%s' >'%s/layouts.log' 2>&1", work, FIXTURES_DIR, work,
		  layouts, work) != 0)
		return -1;
	/* localhost:5000/team/app: five tags; localhost:5000/team/lib:v1;
	 * localhost:5000/zed:v1 (unsigned). */
	if (fx_sh("cd '%s' && mkdir -p tree/localhost:5000/team && "
		  "for t in a-signed b-signed unsigned tampered foreign; do "
		  "cp -r layouts/dir-v1 tree/localhost:5000/team/app:$t || exit 1; done && "
		  "cp -r layouts/dir-v1 tree/localhost:5000/team/lib:v1 && "
		  "cp -r layouts/dir-v1 tree/localhost:5000/zed:v1 && mkdir -p tree/localhost:5000/empty",
		  work) != 0)
		return -1;
	sign_dir("localhost:5000/team/app:a-signed", "A", "localhost:5000/team/app:a-signed");
	sign_dir("localhost:5000/team/app:b-signed", "B", "localhost:5000/team/app:b-signed");
	sign_dir("localhost:5000/team/app:tampered", "A", "localhost:5000/team/app:tampered");
	sign_dir("localhost:5000/team/app:foreign", "A", "localhost:5000/other/app:foreign");
	sign_dir("localhost:5000/team/lib:v1", "A", "localhost:5000/team/lib:v1");
	/* Flip one byte near the end (inside the signature). */
	if (fx_sh("cd '%s/localhost:5000/team/app:tampered' && n=$(stat -c %%s signature-1) && "
		  "printf '\\001' | dd of=signature-1 bs=1 seek=$((n - 20)) conv=notrunc 2>/dev/null",
		  tree) != 0)
		return -1;
	(void)snprintf(policy, sizeof(policy), "%s/policy.json", work);
	f = fopen(policy, "we");
	if (f == NULL)
		return -1;
	(void)fprintf(f,
		      "{\"default\": [{\"type\": \"reject\"}], \"transports\": {"
		      "\"docker\": {\"localhost:5000\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", "
		      "\"keyPath\": \"%s\"}]},"
		      "\"oci\": {\"\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"%s\"}]}}}\n",
		      fx_path(keypath, "A.asc"), keypath);
	(void)fclose(f);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return fx_teardown();
}

/* The one signature of image record r. */
static json_t *only_sig(json_t *r)
{
	json_t *sigs = json_object_get(r, "signatures");

	assert_int_equal(json_array_size(sigs), 1);
	return json_array_get(sigs, 0);
}

static void expect_image(json_t *r, const char *repo, const char *tag, const char *verdict)
{
	assert_string_equal(json_string_value(json_object_get(r, "type")), "image");
	assert_string_equal(json_string_value(json_object_get(r, "repository")), repo);
	assert_string_equal(json_string_value(json_object_get(r, "tag")), tag);
	assert_string_equal(json_string_value(json_object_get(r, "verdict")), verdict);
	assert_non_null(json_string_value(json_object_get(r, "digest")));
}

static void test_dir_tree(void **state)
{
	const char *app = "localhost:5000/team/app";
	char source[800];
	json_t *r, *s, *by, *p;
	struct out o;

	(void)state;
	(void)snprintf(source, sizeof(source), "dir:%s", tree);
	assert_int_equal(run(&o, source, 1, 0, 0), SIGNET_EDENIED);
	assert_int_equal(o.n, 8); /* 7 images + summary */

	r = rec_json(&o, 0); /* a-signed: allowed, signed by A */
	expect_image(r, app, "a-signed", "allowed");
	assert_string_equal(json_string_value(json_object_get(r, "reference")), "localhost:5000/team/app:a-signed");
	assert_true(json_is_null(json_object_get(r, "reason")));
	s = only_sig(r);
	assert_string_equal(json_string_value(json_object_get(s, "kind")), "simple-signing");
	assert_string_equal(json_string_value(json_object_get(s, "store")), "dir");
	assert_true(json_is_true(json_object_get(s, "valid")));
	assert_string_equal(json_string_value(json_object_get(s, "signer")), fx_fpr("A"));
	assert_string_equal(json_string_value(json_object_get(s, "identity")), "localhost:5000/team/app:a-signed");
	assert_true(json_is_true(json_object_get(s, "identityMatches")));
	assert_true(json_is_integer(json_object_get(s, "timestamp")));
	assert_true(json_is_null(json_object_get(s, "problem")));
	assert_non_null(strstr(json_string_value(json_object_get(s, "location")), "app:a-signed/signature-1"));
	json_decref(r);

	r = rec_json(&o, 1); /* b-signed: by a key the policy does not pin */
	expect_image(r, app, "b-signed", "denied");
	assert_non_null(strstr(json_string_value(json_object_get(r, "reason")), "no valid signature among 1"));
	s = only_sig(r);
	assert_true(json_is_false(json_object_get(s, "valid")));
	assert_true(json_is_null(json_object_get(s, "signer")));
	assert_true(json_is_null(json_object_get(s, "identity")));
	assert_non_null(json_string_value(json_object_get(s, "problem")));
	json_decref(r);

	r = rec_json(&o, 2); /* foreign: valid, but claims another repository */
	expect_image(r, app, "foreign", "denied");
	s = only_sig(r);
	assert_true(json_is_true(json_object_get(s, "valid")));
	assert_string_equal(json_string_value(json_object_get(s, "signer")), fx_fpr("A"));
	assert_string_equal(json_string_value(json_object_get(s, "identity")), "localhost:5000/other/app:foreign");
	assert_true(json_is_false(json_object_get(s, "identityMatches")));
	assert_non_null(json_string_value(json_object_get(s, "problem")));
	json_decref(r);

	r = rec_json(&o, 3); /* tampered */
	expect_image(r, app, "tampered", "denied");
	s = only_sig(r);
	assert_true(json_is_false(json_object_get(s, "valid")));
	assert_non_null(json_string_value(json_object_get(s, "problem")));
	json_decref(r);

	r = rec_json(&o, 4); /* unsigned */
	expect_image(r, app, "unsigned", "denied");
	assert_int_equal(json_array_size(json_object_get(r, "signatures")), 0);
	assert_non_null(strstr(json_string_value(json_object_get(r, "reason")), "no signatures"));
	json_decref(r);

	r = rec_json(&o, 5);
	expect_image(r, "localhost:5000/team/lib", "v1", "allowed");
	json_decref(r);
	r = rec_json(&o, 6);
	expect_image(r, "localhost:5000/zed", "v1", "denied");
	json_decref(r);

	r = rec_json(&o, 7);
	assert_string_equal(json_string_value(json_object_get(r, "type")), "summary");
	assert_int_equal(json_integer_value(json_object_get(r, "images")), 7);
	assert_int_equal(json_integer_value(json_object_get(r, "allowed")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "denied")), 5);
	assert_int_equal(json_integer_value(json_object_get(r, "errors")), 0);
	/* a dir: tree has no store beside its images: looked for, none */
	assert_true(json_is_integer(json_object_get(r, "orphans")));
	assert_int_equal(json_integer_value(json_object_get(r, "orphans")), 0);
	assert_true(json_is_null(json_object_get(r, "orphansNotLookedFor")));
	assert_int_equal(json_integer_value(json_object_get(r, "foreignIdentity")), 1);
	assert_true(json_is_null(json_object_get(r, "shard")));
	/* the policy it judged by, named by the caller */
	p = json_object_get(r, "policy");
	assert_string_equal(json_string_value(json_object_get(p, "kind")), "policy");
	assert_int_equal(json_array_size(json_object_get(p, "files")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "files"), 0)), policy);
	assert_true(json_is_true(json_object_get(p, "named")));
	by = json_object_get(r, "bySigner");
	assert_int_equal(json_object_size(by), 1);
	assert_int_equal(json_integer_value(json_object_get(by, fx_fpr("A"))), 3);
	json_decref(r);
	out_free(&o);
}

static void test_oci_layout(void **state)
{
	char source[800];
	json_t *r;
	struct out o;

	(void)state;
	(void)snprintf(source, sizeof(source), "oci:%s/layouts/oci", work);
	assert_int_equal(run(&o, source, 1, 0, 0), SIGNET_EDENIED);
	assert_int_equal(o.n, 3);
	r = rec_json(&o, 0);
	assert_string_equal(json_string_value(json_object_get(r, "tag")), "v1");
	assert_string_equal(json_string_value(json_object_get(r, "verdict")), "denied");
	assert_non_null(strstr(json_string_value(json_object_get(r, "reason")), "no signatures"));
	assert_string_equal(json_string_value(json_object_get(r, "mediaType")),
			    "application/vnd.oci.image.manifest.v1+json");
	json_decref(r);
	r = rec_json(&o, 1);
	assert_string_equal(json_string_value(json_object_get(r, "tag")), "v2");
	json_decref(r);
	r = rec_json(&o, 2);
	assert_int_equal(json_integer_value(json_object_get(r, "images")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "denied")), 2);
	json_decref(r);
	out_free(&o);

	/* A multi-platform index: its platforms are listed. */
	(void)snprintf(source, sizeof(source), "oci:%s/layouts/multi", work);
	assert_int_equal(run(&o, source, 1, 0, 0), SIGNET_EDENIED);
	assert_int_equal(o.n, 4);
	r = rec_json(&o, 2);
	assert_string_equal(json_string_value(json_object_get(r, "tag")), "multi");
	assert_int_equal(json_array_size(json_object_get(r, "platforms")), 2);
	json_decref(r);
	out_free(&o);

	/* A missing layout stops the audit at once. */
	(void)snprintf(source, sizeof(source), "oci:%s/nothing", work);
	assert_int_equal(run(&o, source, 1, 0, 0), SIGNET_ENOTFOUND);
	assert_int_equal(o.n, 0);
	out_free(&o);
}

/* The image records' references, as one string. */
static void refs(char *buf, size_t n, const struct out *o)
{
	buf[0] = '\0';
	for (size_t i = 0; i < o->n; i++) {
		json_t *r = rec_json(o, i);

		if (strcmp(json_string_value(json_object_get(r, "type")), "image") == 0) {
			size_t len = strlen(buf);

			(void)snprintf(buf + len, n - len, "%s ", json_string_value(json_object_get(r, "reference")));
		}
		json_decref(r);
	}
}

static void test_shards(void **state)
{
	char source[800], all[4096], s1[4096], s2[4096];
	struct out o;
	json_t *r;

	(void)state;
	(void)snprintf(source, sizeof(source), "dir:%s", tree);
	(void)run(&o, source, 1, 0, 0);
	refs(all, sizeof(all), &o);
	out_free(&o);
	(void)run(&o, source, 1, 1, 2);
	refs(s1, sizeof(s1), &o);
	r = rec_json(&o, o.n - 1);
	assert_string_equal(json_string_value(json_object_get(r, "shard")), "1/2");
	json_decref(r);
	out_free(&o);
	(void)run(&o, source, 1, 2, 2);
	refs(s2, sizeof(s2), &o);
	out_free(&o);
	/* Each repository is in exactly one shard; together they are all. */
	{
		const char *repos[] = { "localhost:5000/team/app:", "localhost:5000/team/lib:", "localhost:5000/zed:" };

		for (size_t i = 0; i < 3; i++) {
			int in1 = strstr(s1, repos[i]) != NULL, in2 = strstr(s2, repos[i]) != NULL;

			assert_non_null(strstr(all, repos[i]));
			assert_int_equal(in1 + in2, 1);
		}
	}
	assert_int_equal(strlen(s1) + strlen(s2), strlen(all));

	assert_int_equal(run(&o, source, 1, 3, 2), SIGNET_EINVAL);
	assert_int_equal(o.n, 0);
	out_free(&o);
}

static void test_jobs(void **state)
{
	char source[800];
	struct out o1, o3;

	(void)state;
	(void)snprintf(source, sizeof(source), "dir:%s", tree);
	assert_int_equal(run(&o1, source, 1, 0, 0), SIGNET_EDENIED);
	assert_int_equal(run(&o3, source, 3, 0, 0), SIGNET_EDENIED);
	assert_int_equal(o1.n, o3.n);
	/* The same records, but for when each run started. */
	for (size_t i = 0; i < o1.n; i++) {
		json_t *a = rec_json(&o1, i), *b = rec_json(&o3, i);

		(void)json_object_del(a, "started");
		(void)json_object_del(b, "started");
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
	}
	out_free(&o1);
	out_free(&o3);
}

/* The summary's "policy": keys, and a policy.json found rather than named. */
static void test_policy_source(void **state)
{
	signet_verifier_options vo = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_audit_options ao = SIGNET_AUDIT_OPTIONS_INIT;
	const char *keys[2];
	char source[800], a[512], b[512];
	signet_verifier *v = NULL;
	signet_ctx *ctx = NULL;
	json_t *r, *expected;
	struct out o;

	(void)state;
	(void)snprintf(source, sizeof(source), "dir:%s", tree);
	keys[0] = fx_path(a, "A.asc");
	keys[1] = fx_path(b, "B.asc");
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	vo.gpg_key_files = keys;
	vo.n_gpg_key_files = 2;
	vo.platform = "linux/amd64";
	assert_int_equal(signet_verifier_new(&v, ctx, &vo), 0);
	ao.source = source;
	memset(&o, 0, sizeof(o));
	assert_int_equal(signet_audit(v, &ao, collect, &o), SIGNET_EDENIED);
	r = rec_json(&o, o.n - 1);
	expected = json_pack("{s:s, s:[s,s], s:b}", "kind", "keys", "files", a, b, "named", 1);
	assert_non_null(expected);
	assert_true(json_equal(json_object_get(r, "policy"), expected));
	json_decref(expected);
	json_decref(r);
	out_free(&o);
	signet_verifier_free(v);

	vo = (signet_verifier_options)SIGNET_VERIFIER_OPTIONS_INIT;
	vo.policy_file = policy;
	vo.policy_is_default = 1;
	vo.platform = "linux/amd64";
	assert_int_equal(signet_verifier_new(&v, ctx, &vo), 0);
	memset(&o, 0, sizeof(o));
	assert_int_equal(signet_audit(v, &ao, collect, &o), SIGNET_EDENIED);
	r = rec_json(&o, o.n - 1);
	assert_true(json_is_false(json_object_get(json_object_get(r, "policy"), "named")));
	json_decref(r);
	out_free(&o);
	signet_verifier_free(v);
	signet_ctx_free(ctx);
}

/* A callback's non-zero return stops the audit and is returned. */
static int stop_cb(void *userdata, const char *json)
{
	int *n = userdata;

	(void)json;
	return ++*n == 2 ? 42 : 0;
}

static void test_stop(void **state)
{
	signet_verifier_options vo = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_audit_options ao = SIGNET_AUDIT_OPTIONS_INIT;
	signet_verifier *v = NULL;
	signet_ctx *ctx = NULL;
	char source[800];
	int n = 0;

	(void)state;
	(void)snprintf(source, sizeof(source), "dir:%s", tree);
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	vo.policy_file = policy;
	assert_int_equal(signet_verifier_new(&v, ctx, &vo), 0);
	ao.source = source;
	ao.jobs = 2;
	assert_int_equal(signet_audit(v, &ao, stop_cb, &n), 42);
	assert_int_equal(n, 2);
	ao.source = "ftp://x";
	assert_int_equal(signet_audit(v, &ao, stop_cb, &n), SIGNET_EINVAL);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "expected docker://"));
	signet_verifier_free(v);
	signet_ctx_free(ctx);
}

/* ---- the typed record ------------------------------------------------------ */

/* The typed records of one audit, kept (copies). */
struct typed {
	signet_audit_record **rec;
	size_t n;
};

static int collect_typed(void *userdata, const signet_audit_record *rec)
{
	struct typed *t = userdata;

	t->rec = realloc(t->rec, (t->n + 1) * sizeof(*t->rec));
	assert_non_null(t->rec);
	assert_int_equal(signet_audit_record_dup(&t->rec[t->n], rec), 0);
	t->n++;
	return 0;
}

static void typed_free(struct typed *t)
{
	for (size_t i = 0; i < t->n; i++)
		signet_audit_record_free(t->rec[i]);
	free(t->rec);
	memset(t, 0, sizeof(*t));
}

/* Audits the dir: tree with signet_audit_records (shard k/n). */
static int run_typed(struct typed *t, unsigned k, unsigned n)
{
	signet_verifier_options vo = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_audit_options ao = SIGNET_AUDIT_OPTIONS_INIT;
	signet_verifier *v = NULL;
	signet_ctx *ctx = NULL;
	char source[800];
	int rc;

	(void)snprintf(source, sizeof(source), "dir:%s", tree);
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	vo.policy_file = policy;
	vo.platform = "linux/amd64";
	assert_int_equal(signet_verifier_new(&v, ctx, &vo), 0);
	ao.source = source;
	ao.shard_index = k;
	ao.shard_count = n;
	memset(t, 0, sizeof(*t));
	rc = signet_audit_records(v, &ao, collect_typed, t);
	signet_verifier_free(v);
	signet_ctx_free(ctx);
	return rc;
}

/* The typed records are the text records; each one's JSON parses back to
 * a record equal through every getter; what the JSON says is what the
 * getters say. */
static void test_typed_records(void **state)
{
	signet_ctx *ctx = NULL;
	struct typed t;
	char source[800];
	struct out o;
	size_t images = 0, valid = 0;

	(void)state;
	(void)snprintf(source, sizeof(source), "dir:%s", tree);
	assert_int_equal(run(&o, source, 1, 0, 0), SIGNET_EDENIED);
	assert_int_equal(run_typed(&t, 0, 0), SIGNET_EDENIED);
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	assert_int_equal(t.n, o.n);
	for (size_t i = 0; i < t.n; i++) {
		const signet_audit_record *r = t.rec[i];
		signet_audit_record *back = NULL;
		json_t *j = rec_json(&o, i);

		assert_string_equal(signet_audit_record_json(r), o.rec[i]);
		assert_int_equal(signet_audit_record_parse(&back, ctx, "t", o.rec[i], strlen(o.rec[i])), 0);
		check_same_record(r, back);
		signet_audit_record_free(back);
		if (signet_audit_record_get_type(r) == SIGNET_AUDIT_IMAGE) {
			images++;
			assert_string_equal(signet_audit_record_repository(r),
			                    json_string_value(json_object_get(j, "repository")));
			assert_string_equal(signet_audit_verdict_name(signet_audit_record_verdict(r)),
			                    json_string_value(json_object_get(j, "verdict")));
			assert_int_equal(signet_audit_record_sig_count(r),
			                 json_array_size(json_object_get(j, "signatures")));
			for (size_t k = 0; k < signet_audit_record_sig_count(r); k++)
				valid += (size_t)signet_audit_record_sig_valid(r, k);
		} else if (signet_audit_record_get_type(r) == SIGNET_AUDIT_SUMMARY) {
			assert_int_equal(i, t.n - 1);
			assert_int_equal(signet_audit_record_images(r), images);
			assert_int_equal(signet_audit_record_images(r),
			                 json_integer_value(json_object_get(j, "images")));
			assert_int_equal(signet_audit_record_denied(r),
			                 json_integer_value(json_object_get(j, "denied")));
			assert_int_equal(signet_audit_record_signer_count(r),
			                 json_object_size(json_object_get(j, "bySigner")));
			assert_string_equal(signet_audit_record_policy_kind(r, NULL), "policy");
			assert_string_equal(signet_audit_record_policy_file(r, 0), policy);
		}
		json_decref(j);
	}
	assert_true(valid > 0);
	out_free(&o);
	typed_free(&t);
	signet_ctx_free(ctx);
}

/* Writes the JSON Lines of t to work/NAME. */
static void write_jsonl(char *path, size_t n, const char *name, const struct typed *t)
{
	FILE *f;

	(void)snprintf(path, n, "%s/%s", work, name);
	assert_non_null(f = fopen(path, "w"));
	for (size_t i = 0; i < t->n; i++)
		assert_true(fprintf(f, "%s\n", signet_audit_record_json(t->rec[i])) > 0);
	assert_int_equal(fclose(f), 0);
}

/* The shards of an audit merged by the library are byte for byte one run. */
static void test_merge_one_run(void **state)
{
	char p1[800], p2[800], p3[800];
	const char *paths[3] = {p3, p1, p2};
	struct typed whole, s, merged;
	signet_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(run_typed(&whole, 0, 0), SIGNET_EDENIED);
	(void)run_typed(&s, 1, 3);
	write_jsonl(p1, sizeof(p1), "m1.jsonl", &s);
	typed_free(&s);
	(void)run_typed(&s, 2, 3);
	write_jsonl(p2, sizeof(p2), "m2.jsonl", &s);
	typed_free(&s);
	(void)run_typed(&s, 3, 3);
	write_jsonl(p3, sizeof(p3), "m3.jsonl", &s);
	typed_free(&s);
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	memset(&merged, 0, sizeof(merged));
	if (signet_audit_merge(ctx, paths, 3, collect_typed, &merged) != 0)
		fail_msg("merge: %s", signet_ctx_errmsg(ctx));
	assert_int_equal(merged.n, whole.n);
	for (size_t i = 0; i < whole.n; i++)
		check_same_record(merged.rec[i], whole.rec[i]);
	typed_free(&merged);
	typed_free(&whole);
	signet_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dir_tree),      cmocka_unit_test(test_oci_layout),
	    cmocka_unit_test(test_shards),        cmocka_unit_test(test_jobs),
	    cmocka_unit_test(test_policy_source), cmocka_unit_test(test_stop),
	    cmocka_unit_test(test_typed_records), cmocka_unit_test(test_merge_one_run),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
