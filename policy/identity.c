/* SPDX-License-Identifier: Apache-2.0 */
/* policy/identity.c: does the identity a signature claims name this image? */
#include "policy.h"

#include <string.h>

const char *sn_identity_rule_name(enum sn_identity_rule rule)
{
	switch (rule) {
	case SN_IDENTITY_MATCH_EXACT: return "matchExact";
	case SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT: return "matchRepoDigestOrExact";
	case SN_IDENTITY_MATCH_REPOSITORY: return "matchRepository";
	}
	return "unknown";
}

static int str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_repository(const struct sn_ref *a, const struct sn_ref *b)
{
	return strcmp(a->domain, b->domain) == 0 && strcmp(a->path, b->path) == 0;
}

/* The tag a reference names, NULL when it only got the implicit default. */
static const char *explicit_tag(const struct sn_ref *r)
{
	return r->tag_implied ? NULL : r->tag;
}

/* Tag for tag and digest for digest, as Go's reference String() compares. */
static int same_reference(const struct sn_ref *a, const char *a_tag, const struct sn_ref *b, const char *b_tag)
{
	return same_repository(a, b) && str_eq(a_tag, b_tag) && str_eq(a->digest, b->digest);
}

/* The claim parsed as a docker reference, with a verdict-style message. */
static int parse_claim(struct sn_ref **out, const char *signed_ref, struct sn_err *e)
{
	struct sn_err perr;
	int rc;

	rc = sn_ref_parse_docker(out, signed_ref, &perr);
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EDENIED, "the signature claims an invalid identity: %s", perr.msg);
	return 0;
}

int sn_identity_match(enum sn_identity_rule rule, const struct sn_ref *image, const char *signed_ref,
		      struct sn_err *e)
{
	struct sn_ref *claim = NULL;
	int ok = 0, rc;

	if (image->transport != SIGNET_TRANSPORT_DOCKER)
		return sn_seterr(e, SIGNET_EDENIED, "%s is not a docker reference: no identity to match",
				 image->string);
	if ((rc = parse_claim(&claim, signed_ref, e)) != 0)
		return rc;
	switch (rule) {
	case SN_IDENTITY_MATCH_EXACT:
		/* Both sides must name a tag or a digest.  An image named by tag
		 * and digest is matched by a claim of either. */
		ok = explicit_tag(claim) != NULL || claim->digest != NULL;
		ok = ok && ((image->tag != NULL && claim->digest == NULL && same_repository(image, claim) &&
			     str_eq(image->tag, explicit_tag(claim))) ||
			    (image->digest != NULL && claim->digest != NULL && explicit_tag(claim) == NULL &&
			     same_repository(image, claim) && strcmp(image->digest, claim->digest) == 0));
		break;
	case SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT:
		if (image->digest != NULL) {
			ok = same_repository(image, claim);
			break;
		}
		ok = explicit_tag(claim) != NULL && claim->digest == NULL &&
		     same_reference(image, image->tag, claim, explicit_tag(claim));
		break;
	case SN_IDENTITY_MATCH_REPOSITORY:
		ok = same_repository(image, claim);
		break;
	}
	sn_ref_free(claim);
	if (!ok)
		return sn_seterr(e, SIGNET_EDENIED, "the signature claims identity \"%.300s\", which does not match %s (%s)",
				 signed_ref, image->string, sn_identity_rule_name(rule));
	return 0;
}

int sn_identity_match_exact_text(const char *expected, const char *signed_ref, struct sn_err *e)
{
	struct sn_ref *want = NULL, *claim = NULL;
	int rc;

	if ((rc = sn_ref_parse_docker(&want, expected, e)) != 0)
		return rc;
	if ((rc = parse_claim(&claim, signed_ref, e)) != 0)
		goto out;
	if (!same_reference(want, explicit_tag(want), claim, explicit_tag(claim)))
		rc = sn_seterr(e, SIGNET_EDENIED, "the signature claims identity \"%.300s\", not \"%.300s\"", signed_ref,
			       expected);
out:
	sn_ref_free(want);
	sn_ref_free(claim);
	return rc;
}
