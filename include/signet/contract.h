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

#ifdef __cplusplus
}
#endif
#endif
