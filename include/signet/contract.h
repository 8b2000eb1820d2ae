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

#ifdef __cplusplus
}
#endif
#endif
