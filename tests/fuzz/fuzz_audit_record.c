/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_audit_record.c: one line of `signet audit --json` read
 * back (signet_audit_record_parse).  A record accepted writes back exactly
 * the bytes it was read from, parses again, and every getter answers
 * (past the end of its lists too) without reading out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include <signet/signet.h>

#include "fuzz.h"

static void touch(const char *s)
{
	if (s != NULL && strlen(s) == (size_t)-1)
		abort();
}

static void getters(const signet_audit_record *r)
{
	unsigned long long n = 0;
	const char *a = NULL, *b = NULL;
	long long ts;
	int named;

	touch(signet_audit_record_repository(r));
	touch(signet_audit_record_digest(r));
	touch(signet_audit_record_tag(r));
	touch(signet_audit_record_reference(r));
	touch(signet_audit_record_media_type(r));
	touch(signet_audit_verdict_name(signet_audit_record_verdict(r)));
	touch(signet_audit_record_reason(r));
	touch(signet_audit_record_pinned(r));
	touch(signet_audit_record_signature_store_problem(r));
	for (size_t i = 0; i <= signet_audit_record_platform_count(r); i++) {
		touch(signet_audit_record_platform_os(r, i));
		touch(signet_audit_record_platform_architecture(r, i));
		touch(signet_audit_record_platform_variant(r, i));
		touch(signet_audit_record_platform_digest(r, i));
	}
	for (size_t i = 0; i <= signet_audit_record_sig_count(r); i++) {
		touch(signet_audit_record_sig_kind(r, i));
		touch(signet_audit_record_sig_store(r, i));
		touch(signet_audit_record_sig_location(r, i));
		touch(signet_audit_record_sig_signer(r, i));
		touch(signet_audit_record_sig_signer_name(r, i));
		touch(signet_audit_record_sig_identity(r, i));
		touch(signet_audit_record_sig_problem(r, i));
		(void)signet_audit_record_sig_valid(r, i);
		(void)signet_audit_record_sig_identity_matches(r, i);
		(void)signet_audit_record_sig_timestamp(r, i, &ts);
	}
	touch(signet_audit_record_store(r));
	touch(signet_audit_record_location(r));
	(void)signet_audit_record_images(r);
	(void)signet_audit_record_allowed(r);
	(void)signet_audit_record_denied(r);
	(void)signet_audit_record_errors(r);
	(void)signet_audit_record_foreign_identity(r);
	/* null orphans exactly when they were not looked for */
	if (signet_audit_record_get_type(r) == SIGNET_AUDIT_SUMMARY &&
	    signet_audit_record_orphans(r, &n) == signet_audit_record_orphans_not_looked_for(r, &n, &a, &b))
		abort();
	touch(a);
	touch(b);
	for (size_t i = 0; i <= signet_audit_record_signer_count(r); i++)
		if ((signet_audit_record_signer(r, i, &n) == NULL) !=
		    (i == signet_audit_record_signer_count(r)))
			abort();
	touch(signet_audit_record_policy_kind(r, &named));
	for (size_t i = 0; i <= signet_audit_record_policy_file_count(r); i++)
		touch(signet_audit_record_policy_file(r, i));
	touch(signet_audit_record_shard(r));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static signet_ctx *ctx;
	signet_audit_record *r = NULL, *again = NULL;
	const char *json;
	int rc;

	if (size > 1024u * 1024u || (ctx == NULL && signet_ctx_new(&ctx, NULL) != 0))
		return 0;
	rc = signet_audit_record_parse(&r, ctx, "fuzz:1", (const char *)data, size);
	if (rc != 0) {
		if ((rc != SIGNET_EBADINPUT && rc != SIGNET_ENOMEM) || r != NULL ||
		    signet_ctx_errmsg(ctx)[0] == '\0')
			abort();
		return 0;
	}
	json = signet_audit_record_json(r);
	if (json == NULL || strlen(json) != size || memcmp(json, data, size) != 0)
		abort();
	getters(r);
	if (signet_audit_record_parse(&again, ctx, NULL, json, size) != 0 ||
	    signet_audit_record_get_type(again) != signet_audit_record_get_type(r))
		abort();
	signet_audit_record_free(again);
	signet_audit_record_free(r);
	return 0;
}
