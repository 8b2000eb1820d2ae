/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_attestation_record.c: the checksums text of an
 * attestation record (se-checksums.txt), compared with a contract
 * (sn_attestation_parse).  The input is the record, then optionally a NUL
 * byte and the contract's YAML.  A record accepted has at least one entry;
 * every entry has a name and a known status, its checksums are 64
 * lowercase hex digits, "matched" means equal and "differs" unequal, and
 * no record verifies without its signature and chain.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "verify/verify.h"

#include "fuzz.h"

static void check_hex(const char *s)
{
	if (s == NULL)
		return;
	if (strlen(s) != 64)
		abort();
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *contract = NULL, *nul = memchr(data, '\0', size);
	size_t len = size, contract_len = 0;
	signet_attestation *a = NULL;
	struct sn_err e;
	int rc;

	if (nul != NULL) {
		len = (size_t)(nul - text);
		contract = nul + 1;
		contract_len = size - len - 1;
	}
	memset(&e, 0, sizeof(e));
	rc = sn_attestation_parse(&a, "fuzz", text, len, contract, contract_len, &e);
	if (rc != 0) {
		if ((rc != SIGNET_EBADINPUT && rc != SIGNET_ELIMIT && rc != SIGNET_ENOMEM) || a != NULL ||
		    e.msg[0] == '\0')
			abort();
		return 0;
	}
	if (signet_attestation_entry_count(a) == 0 || signet_attestation_ok(a) ||
	    signet_attestation_entry_at(a, signet_attestation_entry_count(a)) != NULL ||
	    signet_attestation_header(a, signet_attestation_header_count(a)) != NULL)
		abort();
	for (size_t i = 0; i < signet_attestation_header_count(a); i++)
		if (signet_attestation_header(a, i) == NULL)
			abort();
	for (size_t i = 0; i < signet_attestation_entry_count(a); i++) {
		const signet_attestation_entry *en = signet_attestation_entry_at(a, i);

		if (en->name == NULL || en->name[0] == '\0' ||
		    strcmp(signet_attestation_status_name(en->status), "invalid") == 0)
			abort();
		check_hex(en->recorded);
		check_hex(en->expected);
		if (en->status == SIGNET_ATTEST_MATCHED &&
		    (en->recorded == NULL || en->expected == NULL || strcmp(en->recorded, en->expected) != 0))
			abort();
		if (en->status == SIGNET_ATTEST_DIFFERS &&
		    (en->recorded == NULL || en->expected == NULL || strcmp(en->recorded, en->expected) == 0))
			abort();
		if ((en->status == SIGNET_ATTEST_MISSING) != (en->line == 0) ||
		    (en->status == SIGNET_ATTEST_MISSING) != (en->recorded == NULL))
			abort();
		if (contract == NULL && en->status != SIGNET_ATTEST_RECORDED &&
		    en->status != SIGNET_ATTEST_UNCHECKED)
			abort();
	}
	signet_attestation_free(a);
	return 0;
}
