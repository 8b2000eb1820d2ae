/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_identity.c: the identity a signature claims against the
 * image being checked, rule by rule (containers-policy.json(5)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_exact_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
