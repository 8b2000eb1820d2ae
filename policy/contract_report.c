/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/contract_report.c: signet_contract_verify (signet/contract.h):
 * what a contract holds and whether its signature holds, decided by the
 * guest's own reading of the contract (sn_contract_inspect, contract.c)
 * and its one signature check (contract_sig.c).
 */
#include "policy/policy.h"
#include "base/ctx.h"

#include <stdlib.h>
#include <string.h>

#include <signet/contract.h>

#define WHAT_CONTRACT "contract"

struct signet_contract_report {
	int form[SN_SECTIONS];
	int decrypted[SN_SECTIONS];
	int attestation_key;
	int is_signed;
	int verdict;
	char *problem;
	int have_signer;
	struct sn_contract_signer signer;
};

/* The verdict of facts f on the contract name: the signature's, and an
 * unsigned contract is refused (there is nothing to verify). */
static int report_verdict(struct signet_contract_report *r, const struct sn_contract_facts *f,
                          const char *name, struct sn_err *e)
{
	if (f->signature == NULL) {
		r->verdict = SIGNET_EDENIED;
		r->problem =
		    sn_aprintf(e, WHAT_CONTRACT " %s: not signed: it has no envWorkloadSignature", name);
		return r->problem != NULL ? 0 : SIGNET_ENOMEM;
	}
	r->verdict = f->sig_rc;
	if (f->sig_rc != 0 && (r->problem = sn_strdup(f->sig_msg, e)) == NULL)
		return SIGNET_ENOMEM;
	return 0;
}

int signet_contract_verify(signet_contract_report **out, signet_ctx *ctx, const char *path,
                           const char *contract_key)
{
	struct signet_contract_report *r = NULL;
	struct sn_contract_facts f;
	struct sn_err *e;
	struct sn_buf b;
	int rc;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = &ctx->err;
	sn_err_clear(e);
	if (out == NULL || path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_contract_verify: NULL argument");
	if ((rc = sn_file_read(&b, path, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_CONTRACT, 0, e)) != 0)
		return rc;
	rc = sn_contract_inspect(&f, b.data, b.len, path, contract_key, e);
	sn_buf_wipe_free(&b); /* credentials, keys */
	if (rc != 0)
		return rc;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	for (int i = 0; i < SN_SECTIONS; i++) {
		r->form[i] = f.form[i];
		r->decrypted[i] = f.decrypted[i];
	}
	r->attestation_key = f.attestation_key != NULL;
	r->is_signed = f.signature != NULL;
	r->have_signer = f.have_signer;
	r->signer = f.signer;
	if ((rc = report_verdict(r, &f, path, e)) != 0)
		goto out;
	*out = r;
	r = NULL;
out:
	signet_contract_report_free(r);
	sn_contract_facts_clear(&f);
	return rc;
}

void signet_contract_report_free(signet_contract_report *r)
{
	if (r == NULL)
		return;
	free(r->problem);
	free(r);
}

int signet_contract_report_verdict(const signet_contract_report *r)
{
	return r != NULL ? r->verdict : SIGNET_EINVAL;
}

const char *signet_contract_report_problem(const signet_contract_report *r)
{
	return r != NULL ? r->problem : NULL;
}

int signet_contract_report_section(const signet_contract_report *r, int section, int *decrypted)
{
	if (r == NULL || section < 0 || section >= SN_SECTIONS)
		return -1;
	if (decrypted != NULL)
		*decrypted = r->decrypted[section];
	/* enum sn_contract_form and enum signet_contract_form agree. */
	return r->form[section];
}

int signet_contract_report_attestation_key(const signet_contract_report *r)
{
	return r != NULL && r->attestation_key;
}

int signet_contract_report_signed(const signet_contract_report *r)
{
	return r != NULL && r->is_signed;
}

const char *signet_contract_report_signer(const signet_contract_report *r, int *bits)
{
	if (r == NULL || !r->have_signer)
		return NULL;
	if (bits != NULL)
		*bits = r->signer.bits;
	return r->signer.is_cert ? "certificate" : "public key";
}

const char *signet_contract_report_expiry(const signet_contract_report *r)
{
	return r != NULL && r->have_signer && r->signer.is_cert ? r->signer.not_after : NULL;
}

const char *signet_contract_report_subject(const signet_contract_report *r)
{
	return r != NULL && r->have_signer && r->signer.is_cert ? r->signer.subject : NULL;
}
