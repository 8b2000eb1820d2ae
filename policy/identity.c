/* SPDX-License-Identifier: Apache-2.0 */
/* policy/identity.c: does the identity a signature claims name this image? */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

const char *sn_identity_rule_name(enum sn_identity_rule rule)
{
	switch (rule) {
	case SN_IDENTITY_MATCH_EXACT: return "matchExact";
	case SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT: return "matchRepoDigestOrExact";
	case SN_IDENTITY_MATCH_REPOSITORY: return "matchRepository";
	case SN_IDENTITY_EXACT_REFERENCE: return "exactReference";
	case SN_IDENTITY_EXACT_REPOSITORY: return "exactRepository";
	case SN_IDENTITY_REMAP_IDENTITY: return "remapIdentity";
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
	default:
		/* The forms with a value of their own go through
		 * sn_identity_spec_match; alone they match nothing. */
		ok = 0;
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

/* ---- the forms with a value of their own ---------------------------- */

/* A value the policy gave (dockerReference, dockerRepository), parsed as
 * containers/image parses it (ParseNormalizedNamed: no implicit tag).  The
 * policy parsers check it already; a value that still does not parse (a
 * model built some other way) denies, as containers/image does. */
static int parse_policy_value(struct sn_ref **out, const char *field, const char *value, struct sn_err *e)
{
	struct sn_err perr;
	int rc;

	if (value == NULL)
		return sn_seterr(e, SIGNET_EDENIED, "the policy gives no %s", field);
	rc = sn_ref_parse_docker(out, value, &perr);
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EDENIED, "the policy's %s \"%.300s\" is not a valid reference: %s",
		                 field, value, perr.msg);
	return 0;
}

/* exactReference: the claim must be dockerReference, tag for tag and digest
 * for digest; neither side may be a bare repository. */
static int match_exact_reference(const struct sn_identity_spec *spec, const char *signed_ref,
                                 struct sn_err *e)
{
	struct sn_ref *want = NULL, *claim = NULL;
	int ok, rc;

	if ((rc = parse_policy_value(&want, "dockerReference", spec->docker_reference, e)) != 0)
		return rc;
	if ((rc = parse_claim(&claim, signed_ref, e)) != 0)
		goto out;
	ok = (explicit_tag(want) != NULL || want->digest != NULL) &&
	     (explicit_tag(claim) != NULL || claim->digest != NULL) &&
	     same_reference(want, explicit_tag(want), claim, explicit_tag(claim));
	if (!ok)
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "the signature claims identity \"%.300s\", which is not \"%.300s\" (%s)",
		               signed_ref, spec->docker_reference, sn_identity_rule_name(spec->rule));
out:
	sn_ref_free(want);
	sn_ref_free(claim);
	return rc;
}

/* exactRepository: the claim must be in the repository dockerRepository. */
static int match_exact_repository(const struct sn_identity_spec *spec, const char *signed_ref,
                                  struct sn_err *e)
{
	struct sn_ref *want = NULL, *claim = NULL;
	int rc;

	if ((rc = parse_policy_value(&want, "dockerRepository", spec->docker_repository, e)) != 0)
		return rc;
	if ((rc = parse_claim(&claim, signed_ref, e)) != 0)
		goto out;
	if (!same_repository(want, claim))
		rc = sn_seterr(
		    e, SIGNET_EDENIED,
		    "the signature claims identity \"%.300s\", which is not in the repository %s (%s)",
		    signed_ref, want->name, sn_identity_rule_name(spec->rule));
out:
	sn_ref_free(want);
	sn_ref_free(claim);
	return rc;
}

/* Does the repository name start with prefix on a component boundary?
 * As containers/image (prmRemapIdentity.refMatchesPrefix): the whole name,
 * or the prefix followed by '/'.  A host prefix therefore matches only the
 * same host:port ("r.example" does not match "r.example:5000/a"). */
static int prefix_matches(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(name, prefix, n) == 0 && (name[n] == '\0' || name[n] == '/');
}

/* remapIdentity: rewrite the image's prefix to signedPrefix, then
 * matchRepoDigestOrExact (an image outside prefix is matched unchanged). */
static int match_remap(const struct sn_identity_spec *spec, const struct sn_ref *image,
                       const char *signed_ref, struct sn_err *e)
{
	struct sn_ref *remapped = NULL;
	struct sn_err sub;
	char *text = NULL;
	int rc;

	if (image->transport != SIGNET_TRANSPORT_DOCKER)
		return sn_seterr(e, SIGNET_EDENIED, "%s is not a docker reference: no identity to match",
		                 image->string);
	if (spec->prefix == NULL || spec->signed_prefix == NULL)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "the policy's remapIdentity has no prefix or signedPrefix");
	sn_err_clear(&sub);
	if (!prefix_matches(image->name, spec->prefix)) {
		rc = sn_identity_match(SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, image, signed_ref, &sub);
		if (rc == SIGNET_EDENIED)
			return sn_seterr(e, rc, "%s; remapIdentity prefix \"%.300s\" does not apply", sub.msg,
			                 spec->prefix);
		return rc == 0 ? 0 : sn_seterr(e, rc, "%s", sub.msg);
	}
	/* image->string is name[:tag][@digest] and begins with the prefix. */
	text = sn_aprintf(e, "%s%s", spec->signed_prefix, image->string + strlen(spec->prefix));
	if (text == NULL)
		return SIGNET_ENOMEM;
	rc = sn_ref_parse_docker(&remapped, text, &sub);
	if (rc == SIGNET_ENOMEM) {
		rc = sn_enomem(e);
		goto out;
	}
	/* containers/image re-parses with ParseNamed, which also refuses a
	 * result that is not in canonical form ("docker.io/busybox:1"). */
	if (rc != 0 || strcmp(remapped->string, text) != 0) {
		rc = sn_seterr(
		    e, SIGNET_EDENIED,
		    "remapIdentity \"%.300s\" -> \"%.300s\" rewrites %s as \"%.300s\", which is not a "
		    "canonical reference: no signature can match it",
		    spec->prefix, spec->signed_prefix, image->string, text);
		goto out;
	}
	rc = sn_identity_match(SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT, remapped, signed_ref, &sub);
	if (rc == SIGNET_EDENIED)
		sn_seterr(e, rc, "%s; remapIdentity \"%.300s\" -> \"%.300s\" rewrote %s", sub.msg,
		          spec->prefix, spec->signed_prefix, image->string);
	else if (rc != 0)
		sn_seterr(e, rc, "%s", sub.msg);
out:
	sn_ref_free(remapped);
	free(text);
	return rc;
}

int sn_identity_spec_match(const struct sn_identity_spec *spec, const struct sn_ref *image,
                           const char *signed_ref, struct sn_err *e)
{
	switch (spec->rule) {
	case SN_IDENTITY_MATCH_EXACT:
	case SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT:
	case SN_IDENTITY_MATCH_REPOSITORY: return sn_identity_match(spec->rule, image, signed_ref, e);
	case SN_IDENTITY_EXACT_REFERENCE:
		/* Does not look at the image: also usable for dir: and oci:. */
		return match_exact_reference(spec, signed_ref, e);
	case SN_IDENTITY_EXACT_REPOSITORY: return match_exact_repository(spec, signed_ref, e);
	case SN_IDENTITY_REMAP_IDENTITY: return match_remap(spec, image, signed_ref, e);
	}
	return sn_seterr(e, SIGNET_EDENIED, "unknown signedIdentity rule %d", (int)spec->rule);
}

void sn_identity_spec_clear(struct sn_identity_spec *spec)
{
	if (spec == NULL)
		return;
	free(spec->docker_reference);
	free(spec->docker_repository);
	free(spec->prefix);
	free(spec->signed_prefix);
	memset(spec, 0, sizeof(*spec));
	/* What a requirement without signedIdentity means. */
	spec->rule = SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT;
}
