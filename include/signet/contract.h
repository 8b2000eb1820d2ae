/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/contract.h: helpers for the IBM Hyper Protect (HPCR) deployment
 * contract, for the workload provider who pins image keys into it.
 */
#ifndef SIGNET_CONTRACT_H
#define SIGNET_CONTRACT_H

#include <stddef.h>

#include <signet/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Builds the `images:` section of a contract's workload that pins, for
 * each i < n, the OpenPGP public key in key_files[i] (armored, as
 * `gpg --armor --export`, or binary, which is armored here) to the
 * repository repos[i] (a docker reference, normalized: "busybox" becomes
 * "docker.io/library/busybox"; a tag or digest makes the entry apply to
 * that reference only).  The result is YAML text starting at column 0:
 *
 *   images:
 *     rhs:
 *       # FINGERPRINT (user id)
 *       "us.icr.io/ns/app":
 *         publicKey: <base64 of the armored key>
 *
 * (the fingerprint comments only when signet has OpenPGP support, which
 * then also checks each key fully).  *yaml (caller frees with free()) is
 * written only on success.
 * Returns 0, SIGNET_EINVAL (NULL arguments, n == 0, a repository given
 * twice), SIGNET_EBADINPUT (a repository that does not parse, a key file
 * that is not one OpenPGP public key: a secret key, garbage, trailing
 * data; the message names the file), SIGNET_ENOTFOUND / SIGNET_EIO /
 * SIGNET_ELIMIT (reading a key file), SIGNET_ENOMEM.
 */
SIGNET_EXPORT int signet_contract_images(char **yaml, signet_ctx *ctx, const char *const *repos,
                                         const char *const *key_files, size_t n);

/* The kind of key a pin holds, and the images section it goes to. */
enum signet_contract_pin_kind {
	SIGNET_PIN_RHS = 0,    /* OpenPGP public key (simple signing): images.rhs */
	SIGNET_PIN_COSIGN = 1, /* PEM PUBLIC KEY (cosign signatures): images.cosign */
};

/* One repository and the key pinned to it. */
typedef struct signet_contract_pin {
	int kind;               /* enum signet_contract_pin_kind */
	const char *repository; /* a docker reference, as for signet_contract_images */
	const char *key_file;
} signet_contract_pin;

/*
 * As signet_contract_images, for OpenPGP keys (rhs) and cosign public keys
 * (cosign) together.  The rhs section comes first, then
 *
 *     cosign:
 *       # SHA256:<key id>
 *       "us.icr.io/ns/app":
 *         publicKey: <base64 of the PEM file, as `base64 -w0 cosign.pub`>
 *
 * A cosign key file must be one PEM PUBLIC KEY block of a type signet
 * verifies (ECDSA P-256/P-384/P-521, RSA 2048-4096, Ed25519), nothing
 * else.  A repository may appear once per kind; in both kinds, images of
 * it need both signatures.  Returns as signet_contract_images, plus
 * SIGNET_EUNSUPPORTED (a cosign key of another type or size) and
 * SIGNET_EINVAL (an unknown kind).
 */
SIGNET_EXPORT int signet_contract_images_pins(char **yaml, signet_ctx *ctx, const signet_contract_pin *pins,
                                              size_t n);

/* ---- checking a contract: signet_contract_verify -------------------- */

/* What signet_contract_verify found (opaque; signet_contract_report_free). */
typedef struct signet_contract_report signet_contract_report;

/* The sections signet_contract_report_section reports on. */
enum signet_contract_section { SIGNET_SECTION_WORKLOAD = 0, SIGNET_SECTION_ENV = 1 };

/* How a section is written. */
enum signet_contract_form {
	SIGNET_FORM_MAPPING = 1,   /* a YAML mapping (cannot be signed: no string to sign) */
	SIGNET_FORM_STRING = 2,    /* a string holding YAML */
	SIGNET_FORM_ENCRYPTED = 3, /* hyper-protect-basic.<password>.<data> */
};

/*
 * Checks the HPCR contract in the file path as the guest reads it (the
 * schema of sn_policy_load_contract, the same decision on
 * envWorkloadSignature, see docs/policy.md): contract_key (a PEM RSA
 * private key, or NULL) decrypts the hyper-protect-basic sections, which
 * are otherwise reported as encrypted and not read.
 * On 0, *out (the caller's) holds the report, whose verdict says whether
 * the signature holds.  Returns SIGNET_EBADINPUT (a contract that does not
 * parse, a section that does not decrypt with contract_key, an unreadable
 * key), SIGNET_ELIMIT, SIGNET_ENOTFOUND / SIGNET_EIO (the files),
 * SIGNET_EINVAL, SIGNET_ENOMEM, with the message in ctx.
 */
SIGNET_EXPORT int signet_contract_verify(signet_contract_report **out, signet_ctx *ctx, const char *path,
                                         const char *contract_key);
SIGNET_EXPORT void signet_contract_report_free(signet_contract_report *r);

/*
 * The verdict: 0 when envWorkloadSignature verifies with env.signingKey
 * (a certificate within its dates); SIGNET_EDENIED when it does not, the
 * signing certificate expired or is not yet valid, or the contract is not
 * signed; SIGNET_EBADINPUT when it cannot be checked (env encrypted and
 * no contract_key, a section written as a mapping, no signingKey, a
 * signature or key that does not parse).  signet_contract_report_problem
 * says why (NULL when 0).
 */
SIGNET_EXPORT int signet_contract_report_verdict(const signet_contract_report *r);
SIGNET_EXPORT const char *signet_contract_report_problem(const signet_contract_report *r);

/* The form of section (enum signet_contract_section) as enum
 * signet_contract_form, and in *decrypted (if not NULL) 1 when it is
 * encrypted and was decrypted with contract_key.  -1 for an unknown
 * section. */
SIGNET_EXPORT int signet_contract_report_section(const signet_contract_report *r, int section,
                                                 int *decrypted);

/* 1 when the contract has attestationPublicKey, else 0. */
SIGNET_EXPORT int signet_contract_report_attestation_key(const signet_contract_report *r);

/* 1 when it has envWorkloadSignature, else 0. */
SIGNET_EXPORT int signet_contract_report_signed(const signet_contract_report *r);

/*
 * The signing key, when env.signingKey was read: "certificate" or "public
 * key" (NULL when not read); *bits its RSA size.  For a certificate,
 * signet_contract_report_expiry is its notAfter ("YYYY-MM-DD HH:MM:SS UTC",
 * the contract's expiry) and signet_contract_report_subject its subject;
 * both NULL otherwise.  Borrowed from r.
 */
SIGNET_EXPORT const char *signet_contract_report_signer(const signet_contract_report *r, int *bits);
SIGNET_EXPORT const char *signet_contract_report_expiry(const signet_contract_report *r);
SIGNET_EXPORT const char *signet_contract_report_subject(const signet_contract_report *r);

/* ---- sealing a contract: signet_contract_seal (signing builds only) ---- */

#define SIGNET_CONTRACT_SEAL_OPTIONS_VERSION 1

/* Sections signet_contract_seal encrypts. */
#define SIGNET_SEAL_WORKLOAD 1u
#define SIGNET_SEAL_ENV      2u

typedef struct signet_contract_seal_options {
	unsigned int version; /* SIGNET_CONTRACT_SEAL_OPTIONS_VERSION */
	/* The encryption certificate (PEM X.509, RSA key: IBM's
	 * ...-encrypt.crt), checked against ca_files (PEM certificates, every
	 * one trusted: IBM's intermediate and root, or the certificate
	 * itself for a self-signed test setup; at least one) with dates, and
	 * against crl_files (PEM CRLs) when any is given. */
	const char *encrypt_cert;
	const char *const *ca_files;
	size_t n_ca_files;
	const char *const *crl_files;
	size_t n_crl_files;
	/* The signing key (PEM RSA private key, unencrypted) and optionally
	 * its certificate, whose notAfter becomes the contract's expiry. */
	const char *sign_key;
	const char *sign_cert;
	/* SIGNET_SEAL_WORKLOAD | SIGNET_SEAL_ENV; 0: both. */
	unsigned int sections;
} signet_contract_seal_options;

#define SIGNET_CONTRACT_SEAL_OPTIONS_INIT                                                                    \
	{                                                                                                    \
		SIGNET_CONTRACT_SEAL_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, NULL, NULL, 0                  \
	}

/*
 * Seals the HPCR contract in the file path for IBM's guest: env gets
 * signingKey (the public key of sign_key, or sign_cert) when it has none,
 * and a signingKey it has must be that key (that certificate with
 * sign_cert); the sections chosen are encrypted as IBM documents
 * ("hyper-protect-basic.", RSA PKCS#1 v1.5 of a random 32-byte password,
 * openssl enc -aes-256-cbc -pbkdf2 of the section's YAML), sections
 * already encrypted are kept as they are; envWorkloadSignature is made
 * over the workload value followed by the env value (RSA PKCS#1 v1.5,
 * SHA-256); attestationPublicKey is kept as given.  Plain sections are
 * written as literal block strings (the signature covers strings).  The
 * result is read back and its signature checked before it is returned.
 * *yaml (NUL-terminated, *len bytes; free()) is set only on 0.
 * Returns 0; SIGNET_EDENIED (the encryption certificate does not chain to
 * the ca_files, is revoked by a CRL, expired or not yet valid; the signing
 * certificate expired); SIGNET_EBADINPUT (no ca_files, a contract that
 * does not parse, a key or certificate that is not one, signingKey or
 * sign_cert not matching sign_key, a section that cannot be written back);
 * SIGNET_EINVAL, SIGNET_ELIMIT, SIGNET_ENOTFOUND / SIGNET_EIO (files),
 * SIGNET_ENOMEM.  Secrets (passwords, keys, plaintext) are wiped.
 */
SIGNET_EXPORT int signet_contract_seal(char **yaml, size_t *len, signet_ctx *ctx, const char *path,
                                       const signet_contract_seal_options *opts);

#ifdef __cplusplus
}
#endif
#endif
