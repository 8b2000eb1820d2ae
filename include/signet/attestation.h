/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/attestation.h: the auditor's check of an IBM Hyper Protect
 * attestation record: se-checksums.txt (or se-checksums.txt.enc, encrypted
 * for the contract's attestationPublicKey) and se-signature.bin, signed by
 * the image's attestation certificate, which chains to the roots given.
 */
#ifndef SIGNET_ATTESTATION_H
#define SIGNET_ATTESTATION_H

#include <stddef.h>

#include <signet/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct signet_attestation signet_attestation;

#define SIGNET_ATTESTATION_OPTIONS_VERSION 1

typedef struct signet_attestation_options {
	unsigned int version; /* SIGNET_ATTESTATION_OPTIONS_VERSION */
	/* The attestation certificate (PEM), whose RSA key signed the record.
	 * Required. */
	const char *cert;
	/* Certificate files (PEM, one or more certificates each): the
	 * self-signed ones are the trust anchors, the others intermediates
	 * the chain may pass through.  A self-signed attestation certificate
	 * given here is a chain of one. */
	const char *const *ca_files;
	size_t n_ca_files;
	/* CRL files (PEM or DER).  Every certificate of the chain below the
	 * trust anchor must be covered by a CRL of its issuer from these. */
	const char *const *crl_files;
	size_t n_crl_files;
	/* The PEM RSA private key that decrypts se-checksums.txt.enc (the
	 * private half of the contract's attestationPublicKey); NULL when the
	 * record is in the clear. */
	const char *key;
	/* The contract the auditor expects (YAML); NULL: the contract
	 * checksums are listed, not compared. */
	const char *contract;
} signet_attestation_options;

#define SIGNET_ATTESTATION_OPTIONS_INIT                                                                      \
	{                                                                                                    \
		SIGNET_ATTESTATION_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, NULL, NULL                       \
	}

/* The verdict on one line of the record. */
enum signet_attestation_status {
	SIGNET_ATTEST_MATCHED = 0,   /* a contract checksum equal to the contract's value */
	SIGNET_ATTEST_DIFFERS = 1,   /* a contract checksum that is not the contract's value */
	SIGNET_ATTEST_MISSING = 2,   /* the contract has the section, the record no checksum of it */
	SIGNET_ATTEST_UNKNOWN = 3,   /* the record has a contract checksum the contract has no section for */
	SIGNET_ATTEST_RECORDED = 4,  /* a line that is not a contract checksum (baseimage, cidata/...) */
	SIGNET_ATTEST_UNCHECKED = 5, /* a contract checksum, no contract given to compare with */
};

/* One line of the record (or one expected line it lacks).  Borrowed from
 * the signet_attestation it came from. */
typedef struct signet_attestation_entry {
	const char *name;     /* the name as the record writes it ("contract:workload", "baseimage");
	                         "contract:<section>" for a missing one */
	const char *section;  /* the contract section it is the checksum of ("workload", "env",
	                         "attestationPublicKey", "envWorkloadSignature"), NULL for others */
	int status;           /* enum signet_attestation_status */
	const char *recorded; /* the record's sha256, 64 lowercase hex; NULL when missing */
	const char *expected; /* sha256 of the contract's value, 64 lowercase hex; NULL without one */
	size_t line;          /* the line in the (decrypted) record; 0 when missing */
} signet_attestation_entry;

/*
 * Verifies the attestation record in the directory dir: se-checksums.txt,
 * or se-checksums.txt.enc (decrypted with opts->key), and se-signature.bin
 * (RSA PKCS#1 v1.5 / SHA-256 over the decrypted checksums).  It checks, and
 * records each verdict in *out (the caller's, signet_attestation_free):
 *  - the signature, with the public key of opts->cert;
 *  - the chain of opts->cert to a self-signed certificate of ca_files,
 *    through the others, with their dates, and revocation: every
 *    certificate below the trust anchor needs a CRL from its issuer among
 *    crl_files (no CRL for one is a failed chain, not a pass);
 *  - with opts->contract, each contract checksum of the record against
 *    sha256 of the contract's value exactly as written (the
 *    hyper-protect-basic string when encrypted): matched, differs,
 *    missing or unknown.  Record labels are read leniently
 *    ("contract:workload", "contract: workload", "workload").
 * A record that verifies or not is a result (0, see
 * signet_attestation_ok); the errors are about the input:
 * SIGNET_EINVAL (NULL arguments, no cert, unknown options version),
 * SIGNET_ENOTFOUND (a missing file: the record, the signature, a
 * certificate, CRL, key or contract file), SIGNET_EIO, SIGNET_ELIMIT
 * (SIGNET_MAX_ATTESTATION_RECORD_SIZE, _LINES, _LINE_LENGTH,
 * _SIGNATURE_SIZE; SIGNET_MAX_POLICY_FILE_SIZE for the other files),
 * SIGNET_EBADINPUT (a malformed record, naming the file and line; both or
 * neither of se-checksums.txt and .enc; .enc without a key; a file that is
 * not a certificate, CRL, key or contract; a contract section written as
 * a mapping, whose checksum cannot be known), SIGNET_EDENIED (the
 * encrypted record does not decrypt with opts->key: the wrong key, or a
 * damaged record), SIGNET_ENOMEM.  *out is written only on success.
 */
SIGNET_EXPORT int signet_attestation_verify(signet_attestation **out, signet_ctx *ctx, const char *dir,
                                            const signet_attestation_options *opts);

/* Frees a result.  Accepts NULL. */
SIGNET_EXPORT void signet_attestation_free(signet_attestation *a);

/* 1 when the signature verified, the chain held and every contract
 * checksum matched (no differs, missing or unknown); else 0. */
SIGNET_EXPORT int signet_attestation_ok(const signet_attestation *a);

/* 1 when the signature verified with the certificate's key; detail says
 * why not (borrowed, "" when it did). */
SIGNET_EXPORT int signet_attestation_signature_ok(const signet_attestation *a, const char **detail);

/* 1 when the certificate chain held; detail (borrowed) is the chain
 * ("subject <- issuer <- ... (CRL checked)") or why it failed. */
SIGNET_EXPORT int signet_attestation_chain_ok(const signet_attestation *a, const char **detail);

/* 1 when the record was se-checksums.txt.enc (decrypted), 0 when in the
 * clear. */
SIGNET_EXPORT int signet_attestation_encrypted(const signet_attestation *a);

/* The file the checksums were read from (dir/se-checksums.txt[.enc]). */
SIGNET_EXPORT const char *signet_attestation_record_path(const signet_attestation *a);

/* The header lines of the record (the lines before the first checksum),
 * and the entries: the record's lines in order, then the missing ones. */
SIGNET_EXPORT size_t signet_attestation_header_count(const signet_attestation *a);
SIGNET_EXPORT const char *signet_attestation_header(const signet_attestation *a, size_t i);
SIGNET_EXPORT size_t signet_attestation_entry_count(const signet_attestation *a);
SIGNET_EXPORT const signet_attestation_entry *signet_attestation_entry_at(const signet_attestation *a,
                                                                          size_t i);

/* "matched", "differs", "missing", "unknown", "recorded", "unchecked". */
SIGNET_EXPORT const char *signet_attestation_status_name(int status);

#ifdef __cplusplus
}
#endif
#endif
