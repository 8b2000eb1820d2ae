/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_audit_record.c: the audit record of include/signet/
 * audit.h (the schema of docs/audit.md): every field of each record type
 * read through its getter, written back byte for byte and parsed again;
 * the strict parse and its messages; reading a file of records; merging
 * the shards of one audit into the bytes of one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <signet/signet.h>

#include "audit_record_check.h"

#define FF     "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
#define AA     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define BB     "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
#define D1     "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2     "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3     "sha256:3333333333333333333333333333333333333333333333333333333333333333"
#define D9     "sha256:9999999999999999999999999999999999999999999999999999999999999999"
#define MT     "application/vnd.oci.image.index.v1+json"
#define POLICY "\"policy\":{\"kind\":\"keys\",\"files\":[\"a.asc\",\"b.asc\"],\"named\":true}"

/* An image record with every field set, two platforms, two signatures. */
static const char image_full[] =
    "{\"type\":\"image\",\"repository\":\"reg.example/team/app\",\"tag\":\"v1\","
    "\"reference\":\"reg.example/team/app:v1\",\"digest\":\"" D1 "\",\"mediaType\":\"" MT "\","
    "\"platforms\":[{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\",\"digest\":\"" D2 "\"},"
    "{\"os\":\"linux\",\"architecture\":\"amd64\",\"variant\":null,\"digest\":\"" D3 "\"}],"
    "\"verdict\":\"denied\",\"reason\":\"no valid signature\",\"pinned\":\"" D1 "\","
    "\"signatures\":[{\"kind\":\"simple-signing\",\"store\":\"lookaside\",\"location\":\"file:///sigs/"
    "app@sha256=1/signature-1\","
    "\"valid\":true,\"signer\":\"" FF
    "\",\"signerName\":\"Ops <ops@example.com>\",\"identity\":\"reg.example/team/app:v1\","
    "\"identityMatches\":false,\"timestamp\":1700000000,\"problem\":\"identity does not match\"},"
    "{\"kind\":\"sigstore\",\"store\":\"attachment\",\"location\":\"docker://reg.example/team/"
    "app:sha256-1.sig\","
    "\"valid\":false,\"signer\":null,\"signerName\":null,\"identity\":null,\"identityMatches\":false,"
    "\"timestamp\":null,\"problem\":\"no key\"}],"
    "\"signatureStoreProblem\":\"the lookaside answered 500\"}";

static const char orphan_rec[] =
    "{\"type\":\"orphan\",\"repository\":\"reg.example/team/app\",\"digest\":\"" D9
    "\",\"store\":\"attachment\",\"location\":\"docker://reg.example/team/app:sha256-9.sig\"}";

static const char summary_unlooked[] =
    "{\"type\":\"summary\",\"images\":7,\"allowed\":4,\"denied\":2,\"errors\":1,\"orphans\":null,"
    "\"orphansNotLookedFor\":{\"repositories\":2,\"repository\":\"reg.example/team/app\",\"reason\":\"the "
    "lookaside "
    "http://la.example cannot be listed\"},\"foreignIdentity\":3,\"bySigner\":{\"" FF "\":5,\"" AA
    "\":1}," POLICY ",\"shard\":\"2/3\"}";

static signet_ctx *ctx;

static int setup(void **state)
{
	(void)state;
	return signet_ctx_new(&ctx, NULL);
}

static int teardown(void **state)
{
	(void)state;
	signet_ctx_free(ctx);
	return 0;
}

static signet_audit_record *parse(const char *text)
{
	signet_audit_record *r = NULL;

	if (signet_audit_record_parse(&r, ctx, "t", text, strlen(text)) != 0)
		fail_msg("%s", signet_ctx_errmsg(ctx));
	return r;
}

/* rec's JSON is text, byte for byte, and parses back to the same record. */
static void roundtrip(const signet_audit_record *rec, const char *text)
{
	signet_audit_record *again, *dup = NULL;

	assert_string_equal(signet_audit_record_json(rec), text);
	again = parse(signet_audit_record_json(rec));
	check_same_record(rec, again);
	assert_int_equal(signet_audit_record_dup(&dup, again), 0);
	check_same_record(rec, dup);
	signet_audit_record_free(dup);
	signet_audit_record_free(again);
}

static void test_image_fields(void **state)
{
	signet_audit_record *r = parse(image_full);
	unsigned long long n;
	long long ts = 0;

	(void)state;
	assert_int_equal(signet_audit_record_get_type(r), SIGNET_AUDIT_IMAGE);
	assert_string_equal(signet_audit_record_repository(r), "reg.example/team/app");
	assert_string_equal(signet_audit_record_tag(r), "v1");
	assert_string_equal(signet_audit_record_reference(r), "reg.example/team/app:v1");
	assert_string_equal(signet_audit_record_digest(r), D1);
	assert_string_equal(signet_audit_record_media_type(r), MT);
	assert_int_equal(signet_audit_record_verdict(r), SIGNET_AUDIT_DENIED);
	assert_string_equal(signet_audit_verdict_name(signet_audit_record_verdict(r)), "denied");
	assert_string_equal(signet_audit_record_reason(r), "no valid signature");
	assert_string_equal(signet_audit_record_pinned(r), D1);
	assert_string_equal(signet_audit_record_signature_store_problem(r), "the lookaside answered 500");
	assert_int_equal(signet_audit_record_platform_count(r), 2);
	assert_string_equal(signet_audit_record_platform_os(r, 0), "linux");
	assert_string_equal(signet_audit_record_platform_architecture(r, 0), "arm64");
	assert_string_equal(signet_audit_record_platform_variant(r, 0), "v8");
	assert_string_equal(signet_audit_record_platform_digest(r, 0), D2);
	assert_null(signet_audit_record_platform_variant(r, 1));
	assert_string_equal(signet_audit_record_platform_digest(r, 1), D3);
	assert_null(signet_audit_record_platform_os(r, 2));
	assert_int_equal(signet_audit_record_sig_count(r), 2);
	assert_string_equal(signet_audit_record_sig_kind(r, 0), "simple-signing");
	assert_string_equal(signet_audit_record_sig_store(r, 0), "lookaside");
	assert_string_equal(signet_audit_record_sig_location(r, 0), "file:///sigs/app@sha256=1/signature-1");
	assert_true(signet_audit_record_sig_valid(r, 0));
	assert_string_equal(signet_audit_record_sig_signer(r, 0), FF);
	assert_string_equal(signet_audit_record_sig_signer_name(r, 0), "Ops <ops@example.com>");
	assert_string_equal(signet_audit_record_sig_identity(r, 0), "reg.example/team/app:v1");
	assert_false(signet_audit_record_sig_identity_matches(r, 0));
	assert_int_equal(signet_audit_record_sig_timestamp(r, 0, &ts), 1);
	assert_int_equal(ts, 1700000000);
	assert_string_equal(signet_audit_record_sig_problem(r, 0), "identity does not match");
	assert_string_equal(signet_audit_record_sig_kind(r, 1), "sigstore");
	assert_string_equal(signet_audit_record_sig_store(r, 1), "attachment");
	assert_false(signet_audit_record_sig_valid(r, 1));
	assert_null(signet_audit_record_sig_signer(r, 1));
	assert_null(signet_audit_record_sig_signer_name(r, 1));
	assert_null(signet_audit_record_sig_identity(r, 1));
	assert_int_equal(signet_audit_record_sig_timestamp(r, 1, &ts), 0);
	assert_string_equal(signet_audit_record_sig_problem(r, 1), "no key");
	assert_null(signet_audit_record_sig_kind(r, 2));
	/* the fields of other record types */
	assert_null(signet_audit_record_store(r));
	assert_null(signet_audit_record_location(r));
	assert_null(signet_audit_record_shard(r));
	assert_int_equal(signet_audit_record_images(r), 0);
	assert_int_equal(signet_audit_record_orphans(r, &n), 0);
	assert_int_equal(signet_audit_record_signer_count(r), 0);
	assert_null(signet_audit_record_policy_kind(r, NULL));
	roundtrip(r, image_full);
	signet_audit_record_free(r);
}

static void test_orphan_fields(void **state)
{
	signet_audit_record *r = parse(orphan_rec);

	(void)state;
	assert_int_equal(signet_audit_record_get_type(r), SIGNET_AUDIT_ORPHAN);
	assert_string_equal(signet_audit_record_repository(r), "reg.example/team/app");
	assert_string_equal(signet_audit_record_digest(r), D9);
	assert_string_equal(signet_audit_record_store(r), "attachment");
	assert_string_equal(signet_audit_record_location(r), "docker://reg.example/team/app:sha256-9.sig");
	assert_null(signet_audit_record_tag(r));
	assert_int_equal(signet_audit_record_verdict(r), -1);
	assert_int_equal(signet_audit_record_sig_count(r), 0);
	roundtrip(r, orphan_rec);
	signet_audit_record_free(r);
}

static void test_summary_fields(void **state)
{
	static const char counted[] =
	    "{\"type\":\"summary\",\"images\":1,\"allowed\":1,\"denied\":0,\"errors\":0,"
	    "\"orphans\":4,\"orphansNotLookedFor\":null,\"foreignIdentity\":0,"
	    "\"bySigner\":{},\"policy\":{\"kind\":\"policy\",\"files\":[\"/etc/p.json\"],"
	    "\"named\":false},\"shard\":null}";
	static const char headed[] =
	    "{\"type\":\"summary\",\"images\":1,\"allowed\":1,\"denied\":0,\"errors\":0,"
	    "\"orphans\":4,\"orphansNotLookedFor\":null,\"foreignIdentity\":0,"
	    "\"bySigner\":{},\"policy\":{\"kind\":\"policy\",\"files\":[\"/etc/p.json\"],"
	    "\"named\":false},\"shard\":null,\"source\":\"docker://reg.example/team\","
	    "\"started\":\"2026-12-05T04:13:13Z\",\"signetVersion\":\"0.1.0\"}";
	/* as signet wrote it before "orphansNotLookedFor" and "policy" */
	static const char old[] =
	    "{\"type\":\"summary\",\"images\":0,\"allowed\":0,\"denied\":0,\"errors\":0,"
	    "\"orphans\":0,\"foreignIdentity\":0,\"bySigner\":{},\"shard\":null}";
	signet_audit_record *r = parse(summary_unlooked);
	unsigned long long n = 99, c = 0;
	const char *repo = NULL, *reason = NULL;
	int named = 0;

	(void)state;
	assert_int_equal(signet_audit_record_get_type(r), SIGNET_AUDIT_SUMMARY);
	assert_int_equal(signet_audit_record_images(r), 7);
	assert_int_equal(signet_audit_record_allowed(r), 4);
	assert_int_equal(signet_audit_record_denied(r), 2);
	assert_int_equal(signet_audit_record_errors(r), 1);
	assert_int_equal(signet_audit_record_foreign_identity(r), 3);
	assert_int_equal(signet_audit_record_orphans(r, &n), 0);
	assert_int_equal(n, 99);
	assert_int_equal(signet_audit_record_orphans_not_looked_for(r, &n, &repo, &reason), 1);
	assert_int_equal(n, 2);
	assert_string_equal(repo, "reg.example/team/app");
	assert_string_equal(reason, "the lookaside http://la.example cannot be listed");
	assert_int_equal(signet_audit_record_signer_count(r), 2);
	assert_string_equal(signet_audit_record_signer(r, 0, &c), FF);
	assert_int_equal(c, 5);
	assert_string_equal(signet_audit_record_signer(r, 1, &c), AA);
	assert_int_equal(c, 1);
	assert_null(signet_audit_record_signer(r, 2, &c));
	assert_string_equal(signet_audit_record_policy_kind(r, &named), "keys");
	assert_true(named);
	assert_int_equal(signet_audit_record_policy_file_count(r), 2);
	assert_string_equal(signet_audit_record_policy_file(r, 0), "a.asc");
	assert_string_equal(signet_audit_record_policy_file(r, 1), "b.asc");
	assert_string_equal(signet_audit_record_shard(r), "2/3");
	assert_null(signet_audit_record_repository(r));
	roundtrip(r, summary_unlooked);
	signet_audit_record_free(r);

	r = parse(counted);
	assert_int_equal(signet_audit_record_orphans(r, &n), 1);
	assert_int_equal(n, 4);
	assert_int_equal(signet_audit_record_orphans_not_looked_for(r, NULL, NULL, NULL), 0);
	assert_string_equal(signet_audit_record_policy_kind(r, &named), "policy");
	assert_false(named);
	assert_null(signet_audit_record_shard(r));
	roundtrip(r, counted);
	signet_audit_record_free(r);

	/* the header: what was audited, when, by which signet */
	r = parse(headed);
	assert_string_equal(signet_audit_record_source(r), "docker://reg.example/team");
	assert_string_equal(signet_audit_record_started(r), "2026-12-05T04:13:13Z");
	assert_string_equal(signet_audit_record_signet_version(r), "0.1.0");
	roundtrip(r, headed);
	signet_audit_record_free(r);

	r = parse(old);
	assert_null(signet_audit_record_source(r));
	assert_null(signet_audit_record_started(r));
	assert_null(signet_audit_record_signet_version(r));
	assert_null(signet_audit_record_policy_kind(r, NULL));
	assert_int_equal(signet_audit_record_policy_file_count(r), 0);
	roundtrip(r, old);
	signet_audit_record_free(r);

	/* Bytes as read, not as jansson would write them. */
	r = parse("{ \"type\": \"orphan\", \"repository\": \"r\", \"digest\": \"d\" }");
	assert_string_equal(signet_audit_record_json(r),
	                    "{ \"type\": \"orphan\", \"repository\": \"r\", \"digest\": \"d\" }");
	assert_null(signet_audit_record_store(r));
	signet_audit_record_free(r);
}

/* Refused lines: the exact code, and a message naming the line and what. */
static void test_parse_refused(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"", "L:3: not JSON"},
	    {"{\"type\":\"orphan\"} x", "L:3: not JSON"},
	    {"{\"type\":\"orphan\",\"repository\":\"a\",\"repository\":\"b\",\"digest\":\"x\"}",
	     "L:3: not JSON: duplicate object key"},
	    {"[1]", "L:3: not an audit record (no \"type\")"},
	    {"{\"type\":\"tag\"}", "L:3: unknown record type \"tag\""},
	    {"{\"type\":\"image\",\"repository\":\"a\",\"tag\":\"t\",\"verdict\":\"maybe\"}",
	     "L:3: image record without a repository, a tag, a verdict (allowed, denied, error)"},
	    {"{\"type\":\"image\",\"repository\":\"a\",\"tag\":\"t\",\"verdict\":\"allowed\",\"signatures\":{"
	     "}}",
	     "or with signatures not an array"},
	    {"{\"type\":\"image\",\"repository\":\"a\",\"tag\":\"t\",\"verdict\":\"allowed\",\"digest\":1}",
	     "L:3: image record: \"digest\" is neither a string nor null"},
	    {"{\"type\":\"image\",\"repository\":\"a\",\"tag\":\"t\",\"verdict\":\"allowed\",\"signatures\":["
	     "{},{\"valid\":\"yes\"}]}",
	     "L:3: image record: signatures[1].valid has not its type"},
	    {"{\"type\":\"image\",\"repository\":\"a\",\"tag\":\"t\",\"verdict\":\"allowed\",\"signatures\":["
	     "7]}",
	     "L:3: image record: signatures[0] is not an object"},
	    {"{\"type\":\"image\",\"repository\":\"a\",\"tag\":\"t\",\"verdict\":\"allowed\",\"platforms\":[{"
	     "\"os\":1}]}",
	     "L:3: image record: platforms[0] is not"},
	    {"{\"type\":\"orphan\",\"repository\":\"a\"}",
	     "L:3: orphan record without a repository or a digest"},
	    {"{\"type\":\"summary\",\"images\":-1}", "L:3: summary record: \"images\" is not a count"},
	    {"{\"type\":\"summary\",\"images\":0,\"allowed\":0,\"denied\":0,\"errors\":0,\"foreignIdentity\":"
	     "0,"
	     "\"bySigner\":{\"F\":\"1\"}}",
	     "L:3: summary record: bySigner \"F\" is not a count"},
	    {"{\"type\":\"summary\",\"images\":0,\"allowed\":0,\"denied\":0,\"errors\":0,\"foreignIdentity\":"
	     "0,"
	     "\"bySigner\":{},\"orphans\":null,\"orphansNotLookedFor\":null}",
	     "L:3: summary record: \"orphans\" is null but \"orphansNotLookedFor\" is not set"},
	    {"{\"type\":\"summary\",\"images\":0,\"allowed\":0,\"denied\":0,\"errors\":0,\"foreignIdentity\":"
	     "0,"
	     "\"bySigner\":{},\"orphans\":0,\"policy\":{\"kind\":\"policy\",\"files\":[\"a\",\"b\"],"
	     "\"named\":true}}",
	     "L:3: summary record: \"policy\": a policy, a contract or a trusted root is one file"},
	    {"{\"type\":\"summary\",\"images\":0,\"allowed\":0,\"denied\":0,\"errors\":0,\"foreignIdentity\":"
	     "0,"
	     "\"bySigner\":{},\"orphans\":0,\"shard\":2}",
	     "L:3: summary record: \"shard\" is neither \"K/N\" nor null"},
	    {"{\"type\":\"summary\",\"images\":0,\"allowed\":0,\"denied\":0,\"errors\":0,\"foreignIdentity\":"
	     "0,"
	     "\"bySigner\":{},\"orphans\":0,\"shard\":null,\"started\":1764908000}",
	     "L:3: summary record: \"started\" is neither a string nor null"},
	};
	signet_audit_record *r = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = signet_audit_record_parse(&r, ctx, "L:3", bad[i].text, strlen(bad[i].text));

		if (rc != SIGNET_EBADINPUT || strstr(signet_ctx_errmsg(ctx), bad[i].msg) == NULL)
			fail_msg("%s: %d %s", bad[i].text, rc, signet_ctx_errmsg(ctx));
		assert_null(r);
	}
	/* a newline inside: not one line */
	{
		static const char nl[] = "{\"type\":\"orphan\",\n\"repository\":\"a\",\"digest\":\"d\"}";

		assert_int_equal(signet_audit_record_parse(&r, ctx, NULL, nl, strlen(nl)), SIGNET_EBADINPUT);
	}
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "audit record: not one line"));
	assert_int_equal(signet_audit_record_parse(NULL, ctx, NULL, "{}", 2), SIGNET_EINVAL);
	assert_null(r);
}

/* ---- files ----------------------------------------------------------------- */

static char dir[64];

static const char *write_file(char *path, size_t n, const char *name, const char *const *lines)
{
	FILE *f;

	(void)snprintf(path, n, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	for (; *lines != NULL; lines++)
		assert_true(fprintf(f, "%s\n", *lines) > 0);
	assert_int_equal(fclose(f), 0);
	return path;
}

struct lines {
	char buf[16384];
	size_t n;
	int stop_at; /* the callback fails at this record (1-based), 0: never */
};

static int collect(void *userdata, const signet_audit_record *rec)
{
	struct lines *l = userdata;
	size_t len = strlen(l->buf);

	l->n++;
	if (l->stop_at != 0 && (int)l->n == l->stop_at)
		return 42;
	(void)snprintf(l->buf + len, sizeof(l->buf) - len, "%s\n", signet_audit_record_json(rec));
	return 0;
}

#define SIG(valid, signer)                                                                                   \
	"{\"kind\":\"simple-signing\",\"store\":\"lookaside\",\"location\":\"x\",\"valid\":" valid           \
	",\"signer\":" signer ",\"signerName\":null,\"identity\":\"x\",\"identityMatches\":true,"            \
	                      "\"timestamp\":null,\"problem\":null}"
#define IMG(repo, digest, verdict, sigs)                                                                     \
	"{\"type\":\"image\",\"repository\":\"" repo "\",\"tag\":\"v1\",\"reference\":\"" repo               \
	":v1\",\"digest\":\"" digest "\",\"mediaType\":\"" MT "\",\"platforms\":[],\"verdict\":\"" verdict   \
	"\",\"reason\":null,\"pinned\":null,"                                                                \
	"\"signatures\":[" sigs "]}"
#define SUM(images, allowed, denied, orphans, by, shard)                                                     \
	"{\"type\":\"summary\",\"images\":" images ",\"allowed\":" allowed ",\"denied\":" denied             \
	",\"errors\":0,"                                                                                     \
	"\"orphans\":" orphans ",\"orphansNotLookedFor\":null,\"foreignIdentity\":0,\"bySigner\":" by        \
	"," POLICY ",\"shard\":" shard "}"

/* r/a (shard 1), r/b (shard 2), r/c (shard 1); signers first seen FF, AA,
 * BB: neither sorted nor the order of either shard. */
static const char *const img_a = IMG("r/a", D1, "allowed", SIG("true", "\"" FF "\""));
static const char *const orph_a = "{\"type\":\"orphan\",\"repository\":\"r/a\",\"digest\":\"" D9
                                  "\",\"store\":\"attachment\",\"location\":\"docker://r/a:sha256-9.sig\"}";
static const char *const img_b = IMG("r/b", D2, "denied", SIG("true", "\"" AA "\"") "," SIG("false", "null"));
static const char *const img_c =
    IMG("r/c", D3, "allowed", SIG("true", "\"" BB "\"") "," SIG("true", "\"" FF "\""));

static void test_read_file(void **state)
{
	const char *whole[] = {img_a, orph_a, SUM("1", "1", "0", "1", "{\"" FF "\":1}", "null"), NULL};
	const char *after[] = {img_a, SUM("1", "1", "0", "1", "{\"" FF "\":1}", "null"), orph_a, NULL};
	const char *nosum[] = {img_a, NULL};
	char path[128], expect[4096];
	struct lines l;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(
	    signet_audit_read(ctx, write_file(path, sizeof(path), "whole.jsonl", whole), collect, &l), 0);
	(void)snprintf(expect, sizeof(expect), "%s\n%s\n%s\n", whole[0], whole[1], whole[2]);
	assert_string_equal(l.buf, expect);

	memset(&l, 0, sizeof(l));
	assert_int_equal(
	    signet_audit_read(ctx, write_file(path, sizeof(path), "after.jsonl", after), collect, &l),
	    SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "after.jsonl:3: a record after the summary"));
	assert_int_equal(l.n, 2);

	memset(&l, 0, sizeof(l));
	assert_int_equal(
	    signet_audit_read(ctx, write_file(path, sizeof(path), "nosum.jsonl", nosum), collect, &l),
	    SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "nosum.jsonl: no summary record at the end"));

	(void)snprintf(path, sizeof(path), "%s/absent.jsonl", dir);
	assert_int_equal(signet_audit_read(ctx, path, collect, &l), SIGNET_EIO);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "absent.jsonl: No such file"));

	memset(&l, 0, sizeof(l));
	l.stop_at = 2;
	assert_int_equal(
	    signet_audit_read(ctx, write_file(path, sizeof(path), "whole.jsonl", whole), collect, &l), 42);
	assert_int_equal(l.n, 2);
}

static void test_merge(void **state)
{
	const char *whole[] = {img_a,
	                       orph_a,
	                       img_b,
	                       img_c,
	                       SUM("3", "2", "1", "1", "{\"" FF "\":2,\"" AA "\":1,\"" BB "\":1}", "null"),
	                       NULL};
	const char *s1[] = {img_a, orph_a, img_c,
	                    SUM("2", "2", "0", "1", "{\"" FF "\":2,\"" BB "\":1}", "\"1/2\""), NULL};
	const char *s2[] = {img_b, SUM("1", "0", "1", "0", "{\"" AA "\":1}", "\"2/2\""), NULL};
	const char *other[] = {img_b, SUM("1", "0", "1", "0", "{\"" AA "\":1}", "\"2/3\""), NULL};
	const char *overlap[] = {img_a, SUM("1", "1", "0", "0", "{\"" FF "\":1}", "\"2/2\""), NULL};
	const char *unsorted[] = {IMG("r/z", D1, "allowed", ""), IMG("r/y", D1, "allowed", ""),
	                          SUM("2", "2", "0", "0", "{}", "\"2/2\""), NULL};
	char p1[128], p2[128], pw[128], expect[16384] = "";
	const char *paths[2] = {p1, p2};
	struct lines l;

	(void)state;
	write_file(pw, sizeof(pw), "whole.jsonl", whole);
	write_file(p1, sizeof(p1), "s1.jsonl", s1);
	write_file(p2, sizeof(p2), "s2.jsonl", s2);
	for (size_t i = 0; whole[i] != NULL; i++) {
		size_t len = strlen(expect);

		(void)snprintf(expect + len, sizeof(expect) - len, "%s\n", whole[i]);
	}
	/* byte for byte one run, whatever the order of the files */
	memset(&l, 0, sizeof(l));
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), 0);
	assert_string_equal(l.buf, expect);
	paths[0] = p2;
	paths[1] = p1;
	memset(&l, 0, sizeof(l));
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), 0);
	assert_string_equal(l.buf, expect);

	/* refused */
	memset(&l, 0, sizeof(l));
	assert_int_equal(signet_audit_merge(ctx, paths, 1, collect, &l), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "shard 1/2 is missing"));
	paths[0] = p1;
	paths[1] = p1;
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "repository \"r/a\" is in both"));
	paths[1] = write_file(p2, sizeof(p2), "other.jsonl", other);
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "other.jsonl: shard 2/3 of another split"));
	paths[1] = write_file(p2, sizeof(p2), "overlap.jsonl", overlap);
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "the shards overlap"));
	paths[1] = write_file(p2, sizeof(p2), "unsorted.jsonl", unsorted);
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), SIGNET_EBADINPUT);
	assert_non_null(
	    strstr(signet_ctx_errmsg(ctx),
	           "unsorted.jsonl:2: repository \"r/y\" after \"r/z\": the file is not in audit order"));
	paths[0] = pw;
	assert_int_equal(signet_audit_merge(ctx, paths, 1, collect, &l), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "whole.jsonl: the summary names no shard"));
	assert_int_equal(signet_audit_merge(ctx, paths, 0, collect, &l), SIGNET_EINVAL);
}

/* The merged header: the source of its shards (shards of two sources are
 * no one audit), the earliest shard's start. */
static void test_merge_header(void **state)
{
#define HSUM(images, shard, source, started)                                                                 \
	"{\"type\":\"summary\",\"images\":" images ",\"allowed\":" images ",\"denied\":0,\"errors\":0,"      \
	"\"orphans\":0,\"orphansNotLookedFor\":null,\"foreignIdentity\":0,\"bySigner\":{}," POLICY           \
	",\"shard\":" shard ",\"source\":\"" source "\",\"started\":\"" started                              \
	"\",\"signetVersion\":\"0.1.0\"}"
	const char *s1[] = {IMG("r/a", D1, "allowed", ""),
	                    HSUM("1", "\"1/2\"", "docker://r", "2026-12-05T04:10:00Z"), NULL};
	const char *s2[] = {IMG("r/b", D1, "allowed", ""),
	                    HSUM("1", "\"2/2\"", "docker://r", "2026-12-05T04:09:59Z"), NULL};
	const char *s2x[] = {IMG("r/b", D1, "allowed", ""),
	                     HSUM("1", "\"2/2\"", "docker://elsewhere", "2026-12-05T04:09:59Z"), NULL};
	static const char merged[] = HSUM("2", "null", "docker://r", "2026-12-05T04:09:59Z") "\n";
	char p1[128], p2[128];
	const char *paths[2] = {p1, p2};
	struct lines l;
	const char *last;

	(void)state;
	write_file(p1, sizeof(p1), "h1.jsonl", s1);
	write_file(p2, sizeof(p2), "h2.jsonl", s2);
	memset(&l, 0, sizeof(l));
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), 0);
	assert_non_null(last = strstr(l.buf, "{\"type\":\"summary\""));
	assert_string_equal(last, merged);
	write_file(p2, sizeof(p2), "h2x.jsonl", s2x);
	memset(&l, 0, sizeof(l));
	assert_int_equal(signet_audit_merge(ctx, paths, 2, collect, &l), SIGNET_EBADINPUT);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "h2x.jsonl: an audit of another source than"));
#undef HSUM
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_image_fields),   cmocka_unit_test(test_orphan_fields),
	    cmocka_unit_test(test_summary_fields), cmocka_unit_test(test_merge_header),
	    cmocka_unit_test(test_parse_refused),  cmocka_unit_test(test_read_file),
	    cmocka_unit_test(test_merge),
	};
	int rc;

	(void)snprintf(dir, sizeof(dir), "/tmp/signet-audit-record-XXXXXX");
	char cmd[128];

	if (mkdtemp(dir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, setup, teardown);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		(void)fprintf(stderr, "cannot remove %s\n", dir);
	return rc;
}
