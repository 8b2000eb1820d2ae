/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/audit_record_check.h: asserts that two audit records say the
 * same through every getter of include/signet/audit.h (a record and the
 * one parsed back from its JSON).  Include after <cmocka.h>. */
#ifndef AUDIT_RECORD_CHECK_H
#define AUDIT_RECORD_CHECK_H

#include <signet/audit.h>
#include <string.h>

static void same_str(const char *a, const char *b, const char *what)
{
	if (a == NULL || b == NULL) {
		if (a != b)
			fail_msg("%s: \"%s\" vs \"%s\"", what, a != NULL ? a : "(null)",
			         b != NULL ? b : "(null)");
		return;
	}
	if (strcmp(a, b) != 0)
		fail_msg("%s: \"%s\" vs \"%s\"", what, a, b);
}

static void check_same_record(const signet_audit_record *a, const signet_audit_record *b)
{
	unsigned long long ca = 0, cb = 0, na = 0, nb = 0;
	const char *sa = NULL, *sb = NULL, *ra = NULL, *rb = NULL;
	long long ta = 0, tb = 0;
	int ia = 0, ib = 0;

	assert_string_equal(signet_audit_record_json(a), signet_audit_record_json(b));
	assert_int_equal(signet_audit_record_get_type(a), signet_audit_record_get_type(b));
	same_str(signet_audit_record_repository(a), signet_audit_record_repository(b), "repository");
	same_str(signet_audit_record_digest(a), signet_audit_record_digest(b), "digest");
	same_str(signet_audit_record_tag(a), signet_audit_record_tag(b), "tag");
	same_str(signet_audit_record_reference(a), signet_audit_record_reference(b), "reference");
	same_str(signet_audit_record_media_type(a), signet_audit_record_media_type(b), "mediaType");
	assert_int_equal(signet_audit_record_verdict(a), signet_audit_record_verdict(b));
	same_str(signet_audit_record_reason(a), signet_audit_record_reason(b), "reason");
	same_str(signet_audit_record_pinned(a), signet_audit_record_pinned(b), "pinned");
	same_str(signet_audit_record_signature_store_problem(a),
	         signet_audit_record_signature_store_problem(b), "signatureStoreProblem");
	assert_int_equal(signet_audit_record_platform_count(a), signet_audit_record_platform_count(b));
	for (size_t i = 0; i < signet_audit_record_platform_count(a); i++) {
		same_str(signet_audit_record_platform_os(a, i), signet_audit_record_platform_os(b, i), "os");
		same_str(signet_audit_record_platform_architecture(a, i),
		         signet_audit_record_platform_architecture(b, i), "architecture");
		same_str(signet_audit_record_platform_variant(a, i),
		         signet_audit_record_platform_variant(b, i), "variant");
		same_str(signet_audit_record_platform_digest(a, i), signet_audit_record_platform_digest(b, i),
		         "platform digest");
	}
	assert_int_equal(signet_audit_record_sig_count(a), signet_audit_record_sig_count(b));
	for (size_t i = 0; i < signet_audit_record_sig_count(a); i++) {
		same_str(signet_audit_record_sig_kind(a, i), signet_audit_record_sig_kind(b, i), "kind");
		same_str(signet_audit_record_sig_store(a, i), signet_audit_record_sig_store(b, i), "store");
		same_str(signet_audit_record_sig_location(a, i), signet_audit_record_sig_location(b, i),
		         "location");
		assert_int_equal(signet_audit_record_sig_valid(a, i), signet_audit_record_sig_valid(b, i));
		same_str(signet_audit_record_sig_signer(a, i), signet_audit_record_sig_signer(b, i),
		         "signer");
		same_str(signet_audit_record_sig_signer_name(a, i), signet_audit_record_sig_signer_name(b, i),
		         "signerName");
		same_str(signet_audit_record_sig_identity(a, i), signet_audit_record_sig_identity(b, i),
		         "identity");
		assert_int_equal(signet_audit_record_sig_identity_matches(a, i),
		                 signet_audit_record_sig_identity_matches(b, i));
		assert_int_equal(signet_audit_record_sig_timestamp(a, i, &ta),
		                 signet_audit_record_sig_timestamp(b, i, &tb));
		assert_int_equal(ta, tb);
		same_str(signet_audit_record_sig_problem(a, i), signet_audit_record_sig_problem(b, i),
		         "problem");
	}
	same_str(signet_audit_record_store(a), signet_audit_record_store(b), "orphan store");
	same_str(signet_audit_record_location(a), signet_audit_record_location(b), "orphan location");
	assert_int_equal(signet_audit_record_images(a), signet_audit_record_images(b));
	assert_int_equal(signet_audit_record_allowed(a), signet_audit_record_allowed(b));
	assert_int_equal(signet_audit_record_denied(a), signet_audit_record_denied(b));
	assert_int_equal(signet_audit_record_errors(a), signet_audit_record_errors(b));
	assert_int_equal(signet_audit_record_foreign_identity(a), signet_audit_record_foreign_identity(b));
	assert_int_equal(signet_audit_record_orphans(a, &ca), signet_audit_record_orphans(b, &cb));
	assert_int_equal(ca, cb);
	assert_int_equal(signet_audit_record_orphans_not_looked_for(a, &na, &sa, &ra),
	                 signet_audit_record_orphans_not_looked_for(b, &nb, &sb, &rb));
	assert_int_equal(na, nb);
	same_str(sa, sb, "orphansNotLookedFor.repository");
	same_str(ra, rb, "orphansNotLookedFor.reason");
	assert_int_equal(signet_audit_record_signer_count(a), signet_audit_record_signer_count(b));
	for (size_t i = 0; i < signet_audit_record_signer_count(a); i++) {
		same_str(signet_audit_record_signer(a, i, &ca), signet_audit_record_signer(b, i, &cb),
		         "bySigner");
		assert_int_equal(ca, cb);
	}
	same_str(signet_audit_record_policy_kind(a, &ia), signet_audit_record_policy_kind(b, &ib),
	         "policy.kind");
	assert_int_equal(ia, ib);
	assert_int_equal(signet_audit_record_policy_file_count(a), signet_audit_record_policy_file_count(b));
	for (size_t i = 0; i < signet_audit_record_policy_file_count(a); i++)
		same_str(signet_audit_record_policy_file(a, i), signet_audit_record_policy_file(b, i),
		         "policy.files");
	same_str(signet_audit_record_shard(a), signet_audit_record_shard(b), "shard");
}

#endif
