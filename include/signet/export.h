/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/export.h: writing signet's policy out in other tools' formats, so
 * that they enforce the same decisions natively (defence in depth).
 */
#ifndef SIGNET_EXPORT_H
#define SIGNET_EXPORT_H

#include <signet/common.h>
#include <signet/verify.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of signet_policy_export. */
#define SIGNET_EXPORT_FORCE 1u /* replace an existing policy.json and registries.d/signet.yaml */

/*
 * Writes the policy that trust describes (the same options as
 * signet_verifier_new: a containers-policy.json, an HPCR contract with its
 * key and strict flag, or pinned keys; registries.d and lookaside) as
 * files podman, skopeo and CRI-O read:
 *
 *   out_dir/policy.json              containers-policy.json(5), every key
 *                                    inlined (keyData), nothing else read
 *   out_dir/registries.d/signet.yaml containers-registries.d(5): where the
 *                                    verifier reads signatures
 *
 * Both are written atomically; out_dir and out_dir/registries.d are
 * created (mode 0755) when missing.  An existing policy.json or
 * signet.yaml is not replaced unless flags holds SIGNET_EXPORT_FORCE;
 * other *.yaml files in out_dir/registries.d are refused (the containers
 * tools would merge them in).
 *
 * Where containers-policy.json cannot say what signet decides, the export
 * is stricter, never looser, and *warnings says so (one line each, "\n"
 * terminated; caller frees; NULL when there is nothing to say; warnings
 * may be NULL).  Requirements signet cannot check are exported as reject.
 * Payload annotations (trust->annotations) cannot be exported: refused.
 *
 * Returns 0; SIGNET_EINVAL (bad arguments or options, annotations, a bad
 * lookaside URL, an existing file without SIGNET_EXPORT_FORCE, another
 * *.yaml in out_dir/registries.d; the message names it);
 * SIGNET_EBADINPUT / SIGNET_ENOTFOUND / SIGNET_EIO / SIGNET_ELIMIT (the
 * policy, a key or registries.d, as signet_verifier_new; SIGNET_EIO also
 * when out_dir cannot be written); SIGNET_ENOMEM.  On failure nothing is
 * left behind.
 */
SIGNET_EXPORT int signet_policy_export(char **warnings, signet_ctx *ctx, const signet_verifier_options *trust,
                                       const char *out_dir, unsigned int flags);

#ifdef __cplusplus
}
#endif
#endif
