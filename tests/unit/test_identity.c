/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_identity.c: the identity a signature claims against the
 * image being checked, rule by rule (containers-policy.json(5)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

struct identity_case {
	enum sn_identity_rule rule;
	const char *image;
	const char *claim;
	int allowed;
};

static const struct identity_case cases[] = {
	/* matchRepoDigestOrExact: by tag, exactly that tag */
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "r.example/a/b:v1", 1 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "r.example/a/b:v2", 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "r.example/a/c:v1", 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "r.example/a/b", 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "r.example/a/b@" D1, 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "other.example/a/b:v1", 0 },
	/* the claim is normalized as the image is */
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "docker.io/library/busybox:latest", "busybox:latest", 1 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "busybox", "docker.io/library/busybox:latest", 1 },
	/* a claim without a tag gets no implicit "latest" */
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "busybox", "busybox", 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "R.example/a/b:v1", 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "r.example/A/b:v1", 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1", "not a reference", 0 },
	/* by digest: any claim in the same repository */
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b@" D1, "r.example/a/b:v1", 1 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b@" D1, "r.example/a/b", 1 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b@" D1, "r.example/a/b@" D2, 1 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b@" D1, "r.example/a/c:v1", 0 },
	{ SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, "r.example/a/b:v1@" D1, "r.example/a/b:v9", 1 },
	/* matchExact */
	{ SN_IDENTITY_MATCH_EXACT, "r.example/a/b:v1", "r.example/a/b:v1", 1 },
	{ SN_IDENTITY_MATCH_EXACT, "r.example/a/b:v1", "r.example/a/b", 0 },
	{ SN_IDENTITY_MATCH_EXACT, "r.example/a/b@" D1, "r.example/a/b@" D1, 1 },
	{ SN_IDENTITY_MATCH_EXACT, "r.example/a/b@" D1, "r.example/a/b@" D2, 0 },
	{ SN_IDENTITY_MATCH_EXACT, "r.example/a/b@" D1, "r.example/a/b:v1", 0 },
	{ SN_IDENTITY_MATCH_EXACT, "r.example/a/b:v1@" D1, "r.example/a/b:v1", 1 },
	{ SN_IDENTITY_MATCH_EXACT, "r.example/a/b:v1@" D1, "r.example/a/b@" D1, 1 },
	/* matchRepository */
	{ SN_IDENTITY_MATCH_REPOSITORY, "r.example/a/b:v1", "r.example/a/b", 1 },
	{ SN_IDENTITY_MATCH_REPOSITORY, "r.example/a/b:v1", "r.example/a/b:other", 1 },
	{ SN_IDENTITY_MATCH_REPOSITORY, "r.example/a/b:v1", "r.example/a/bb", 0 },
	{ SN_IDENTITY_MATCH_REPOSITORY, "r.example/a/b:v1", "r.example/a", 0 },
};

static void test_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct identity_case *c = &cases[i];
		struct sn_ref *image = NULL;
		struct sn_err e = { 0 };
		int rc;

		assert_int_equal(sn_ref_parse_docker(&image, c->image, &e), 0);
		rc = sn_identity_match(c->rule, image, c->claim, &e);
		if (rc != (c->allowed ? 0 : SIGNET_EDENIED))
			fail_msg("case %zu: %s vs claim %s under %s: got %d (%s)", i, c->image, c->claim,
				 sn_identity_rule_name(c->rule), rc, e.msg);
		/* A refusal says which rule refused the claim, or that the
		 * claim is not a reference at all. */
		if (!c->allowed && strstr(e.msg, sn_identity_rule_name(c->rule)) == NULL &&
		    strstr(e.msg, "invalid identity") == NULL)
			fail_msg("case %zu: message does not say why: %s", i, e.msg);
		sn_ref_free(image);
	}
}

static void test_exact_text(void **state)
{
	struct sn_err e = { 0 };

	(void)state;
	assert_int_equal(sn_identity_match_exact_text("r.example/a/b:v1", "r.example/a/b:v1", &e), 0);
	assert_int_equal(sn_identity_match_exact_text("busybox", "docker.io/library/busybox", &e), 0);
	/* neither side gets an implicit tag */
	assert_int_equal(sn_identity_match_exact_text("busybox", "busybox:latest", &e), SIGNET_EDENIED);
	assert_non_null(strstr(e.msg, "claims identity \"busybox:latest\""));
	assert_int_equal(sn_identity_match_exact_text("busybox:latest", "busybox", &e), SIGNET_EDENIED);
	assert_int_equal(sn_identity_match_exact_text("Busybox", "busybox", &e), SIGNET_EBADINPUT);
}

/* The first three rules through sn_identity_spec_match: the same verdicts. */
static void test_spec_simple_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct identity_case *c = &cases[i];
		struct sn_identity_spec spec = {.rule = c->rule};
		struct sn_ref *image = NULL;
		struct sn_err e = {0};
		int rc;

		assert_int_equal(sn_ref_parse_docker(&image, c->image, &e), 0);
		rc = sn_identity_spec_match(&spec, image, c->claim, &e);
		if (rc != (c->allowed ? 0 : SIGNET_EDENIED))
			fail_msg("case %zu: %s vs claim %s under %s: got %d (%s)", i, c->image, c->claim,
			         sn_identity_rule_name(c->rule), rc, e.msg);
		sn_ref_free(image);
	}
}

struct spec_case {
	enum sn_identity_rule rule;
	const char *value;         /* dockerReference, dockerRepository, or the prefix */
	const char *signed_prefix; /* remapIdentity */
	const char *image;         /* sn_ref_parse text */
	const char *claim;
	int allowed;
	const char *why; /* a denial's message contains this */
};

#define REF    SN_IDENTITY_EXACT_REFERENCE
#define REPO   SN_IDENTITY_EXACT_REPOSITORY
#define REMAP  SN_IDENTITY_REMAP_IDENTITY
#define MIRROR "mirror.example:5000/vendor"

static const struct spec_case spec_cases[] = {
    /* exactReference: the claim against the policy's value, not the image */
    {REF, "vendor.example/p/img:1.0", NULL, "mirror.example/x/y:z", "vendor.example/p/img:1.0", 1, NULL},
    {REF, "vendor.example/p/img:1.0", NULL, "vendor.example/p/img:1.0", "vendor.example/p/img:1.1", 0,
     "which is not \"vendor.example/p/img:1.0\" (exactReference)"},
    {REF, "vendor.example/p/img:1.0", NULL, "mirror.example/x/y:z", "vendor.example/p/img", 0,
     "exactReference"},
    {REF, "vendor.example/p/img:1.0", NULL, "mirror.example/x/y:z", "vendor.example/p/img@" D1, 0,
     "exactReference"},
    {REF, "vendor.example/p/img:1.0", NULL, "mirror.example/x/y:z", "vendor.example/p/other:1.0", 0,
     "exactReference"},
    {REF, "vendor.example/p/img@" D1, NULL, "mirror.example/x/y:z", "vendor.example/p/img@" D1, 1, NULL},
    {REF, "vendor.example/p/img@" D1, NULL, "mirror.example/x/y:z", "vendor.example/p/img@" D2, 0,
     "exactReference"},
    {REF, "vendor.example/p/img@" D1, NULL, "mirror.example/x/y:z", "vendor.example/p/img:1.0", 0,
     "exactReference"},
    /* both sides normalized */
    {REF, "busybox:latest", NULL, "r.example/a:b", "docker.io/library/busybox:latest", 1, NULL},
    {REF, "busybox:latest", NULL, "r.example/a:b", "Busybox:latest", 0, "invalid identity"},
    /* it does not need a docker image */
    {REF, "vendor.example/p/img:1.0", NULL, "dir:/srv/img", "vendor.example/p/img:1.0", 1, NULL},
    {REF, "vendor.example/p/img:1.0", NULL, "oci:/srv/layout:1.0", "vendor.example/p/img:2.0", 0,
     "exactReference"},

    /* exactRepository */
    {REPO, "vendor.example/p/img", NULL, "mirror.example/x/y:z", "vendor.example/p/img:any", 1, NULL},
    {REPO, "vendor.example/p/img", NULL, "mirror.example/x/y:z", "vendor.example/p/img", 1, NULL},
    {REPO, "vendor.example/p/img", NULL, "mirror.example/x/y:z", "vendor.example/p/img@" D1, 1, NULL},
    {REPO, "vendor.example/p/img", NULL, "mirror.example/x/y:z", "vendor.example/p/other:1", 0,
     "which is not in the repository vendor.example/p/img (exactRepository)"},
    {REPO, "vendor.example/p/img", NULL, "mirror.example/x/y:z", "vendor.example/p", 0, "exactRepository"},
    {REPO, "vendor.example/p/img", NULL, "mirror.example/x/y:z", "vendor.example/p/img/sub:1", 0,
     "exactRepository"},
    {REPO, "busybox", NULL, "r.example/a:b", "docker.io/library/busybox:1", 1, NULL},
    {REPO, "vendor.example/p/img", NULL, "dir:/srv/img", "vendor.example/p/img:1", 1, NULL},

    /* remapIdentity: prefix rewritten, then matchRepoDigestOrExact */
    {REMAP, MIRROR, "vendor.example", MIRROR "/p/img:1", "vendor.example/p/img:1", 1, NULL},
    {REMAP, MIRROR, "vendor.example", MIRROR "/p/img:1", MIRROR "/p/img:1", 0,
     "rewrote mirror.example:5000/vendor/p/img:1"},
    {REMAP, MIRROR, "vendor.example", MIRROR "/p/img:1", "vendor.example/p/img:2", 0,
     "matchRepoDigestOrExact"},
    {REMAP, MIRROR, "vendor.example", MIRROR "/p/img:1", "vendor.example/p/img", 0, "remapIdentity"},
    /* by digest: any claim in the remapped repository */
    {REMAP, MIRROR, "vendor.example", MIRROR "/p/img@" D1, "vendor.example/p/img:any", 1, NULL},
    {REMAP, MIRROR, "vendor.example", MIRROR "/p/img@" D1, "vendor.example/p/other:any", 0, "remapIdentity"},
    /* the prefix ends on a '/' boundary; otherwise nothing is rewritten */
    {REMAP, MIRROR, "vendor.example", "mirror.example:5000/vendorx/img:1",
     "mirror.example:5000/vendorx/img:1", 1, NULL},
    {REMAP, MIRROR, "vendor.example", "mirror.example:5000/vendorx/img:1", "vendor.examplex/img:1", 0,
     "prefix \"mirror.example:5000/vendor\" does not apply"},
    /* the whole name as the prefix: "vendor.example:1" is not canonical */
    {REMAP, MIRROR, "vendor.example", MIRROR ":1", "vendor.example:1", 0, "not a canonical reference"},
    /* a host prefix: the same host[:port] only */
    {REMAP, "mirror.example", "docker.io", "mirror.example/library/busybox:1", "busybox:1", 1, NULL},
    {REMAP, "mirror.example", "docker.io", "mirror.example/busybox:1", "docker.io/busybox:1", 0,
     "not a canonical reference"},
    {REMAP, "mirror.example", "docker.io", "mirror.example:5000/library/busybox:1",
     "mirror.example:5000/library/busybox:1", 1, NULL},
    {REMAP, "mirror.example", "docker.io", "mirror.example:5000/library/busybox:1", "busybox:1", 0,
     "does not apply"},
    /* an implied tag counts, a claim without one does not */
    {REMAP, "mirror.example", "docker.io", "mirror.example/library/busybox", "busybox:latest", 1, NULL},
    {REMAP, "mirror.example", "docker.io", "mirror.example/library/busybox", "busybox", 0, "remapIdentity"},
    /* a namespace rewritten to a deeper one */
    {REMAP, "mirror.example/a", "vendor.example/x/y", "mirror.example/a/b/c:1", "vendor.example/x/y/b/c:1", 1,
     NULL},
    /* needs a docker image */
    {REMAP, MIRROR, "vendor.example", "dir:/srv/img", "vendor.example/p/img:1", 0, "not a docker reference"},
};

static void test_spec_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(spec_cases) / sizeof(spec_cases[0]); i++) {
		const struct spec_case *c = &spec_cases[i];
		struct sn_identity_spec spec = {.rule = c->rule};
		struct sn_ref *image = NULL;
		struct sn_err e = {0};
		int rc;

		if (c->rule == REF)
			spec.docker_reference = (char *)c->value;
		else if (c->rule == REPO)
			spec.docker_repository = (char *)c->value;
		else {
			spec.prefix = (char *)c->value;
			spec.signed_prefix = (char *)c->signed_prefix;
		}
		assert_int_equal(sn_ref_parse(&image, c->image, &e), 0);
		rc = sn_identity_spec_match(&spec, image, c->claim, &e);
		if (rc != (c->allowed ? 0 : SIGNET_EDENIED))
			fail_msg("case %zu: %s vs claim %s under %s: got %d (%s)", i, c->image, c->claim,
			         sn_identity_rule_name(c->rule), rc, e.msg);
		if (!c->allowed && strstr(e.msg, c->why) == NULL)
			fail_msg("case %zu: message does not say \"%s\": %s", i, c->why, e.msg);
		sn_ref_free(image);
	}
}

static void test_spec_clear(void **state)
{
	struct sn_identity_spec spec = {.rule = SN_IDENTITY_REMAP_IDENTITY};

	(void)state;
	spec.prefix = strdup("a.example");
	spec.signed_prefix = strdup("b.example");
	spec.docker_reference = strdup("a.example/x:1");
	spec.docker_repository = strdup("a.example/x");
	sn_identity_spec_clear(&spec);
	assert_null(spec.prefix);
	assert_null(spec.signed_prefix);
	assert_null(spec.docker_reference);
	assert_null(spec.docker_repository);
	/* a cleared spec is what a requirement without signedIdentity means */
	assert_int_equal(spec.rule, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT);
	sn_identity_spec_clear(&spec);
	sn_identity_spec_clear(NULL);
	assert_string_equal(sn_identity_rule_name(SN_IDENTITY_EXACT_REFERENCE), "exactReference");
	assert_string_equal(sn_identity_rule_name(SN_IDENTITY_EXACT_REPOSITORY), "exactRepository");
	assert_string_equal(sn_identity_rule_name(SN_IDENTITY_REMAP_IDENTITY), "remapIdentity");
}

/* A value the policy parser would have refused still denies. */
static void test_spec_bad_values(void **state)
{
	struct sn_identity_spec spec = {.rule = SN_IDENTITY_EXACT_REFERENCE,
	                                .docker_reference = (char *)"Bad Ref"};
	struct sn_ref *image = NULL;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(sn_ref_parse_docker(&image, "r.example/a:1", &e), 0);
	assert_int_equal(sn_identity_spec_match(&spec, image, "r.example/a:1", &e), SIGNET_EDENIED);
	assert_non_null(strstr(e.msg, "dockerReference \"Bad Ref\" is not a valid reference"));
	spec.docker_reference = NULL;
	assert_int_equal(sn_identity_spec_match(&spec, image, "r.example/a:1", &e), SIGNET_EDENIED);
	spec.rule = SN_IDENTITY_REMAP_IDENTITY;
	assert_int_equal(sn_identity_spec_match(&spec, image, "r.example/a:1", &e), SIGNET_EDENIED);
	assert_non_null(strstr(e.msg, "no prefix"));
	sn_ref_free(image);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_exact_text),
		cmocka_unit_test(test_spec_simple_rules),
		cmocka_unit_test(test_spec_rules),
		cmocka_unit_test(test_spec_clear),
		cmocka_unit_test(test_spec_bad_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
