/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/gate.h: the pre-pull gate for a whole workload.  Every image a
 * workload names is verified; only when all are allowed is the workload
 * written back with each image pinned to the digest that was verified.
 */
#ifndef SIGNET_GATE_H
#define SIGNET_GATE_H

#include <signet/common.h>
#include <signet/verify.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct signet_gate_report signet_gate_report;

/*
 * Reads the workload at path (at most SIGNET_MAX_POLICY_FILE_SIZE bytes):
 *  - a docker compose file: services.<name>.image (a service without an
 *    image, or with build, a top-level include and extends.file are
 *    refused: the gate cannot verify what is not pulled); images written
 *    with ${VAR} are resolved from the .env next to it, and another
 *    compose file compose would read in its directory is refused;
 *  - Kubernetes YAML, one or more documents: Pod, Deployment,
 *    StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
 *    CronJob, PodTemplate, List; their pod specs' containers[],
 *    initContainers[], ephemeralContainers[] (image) and volumes[]
 *    (image.reference).  Kinds holding no image (ConfigMap, Secret,
 *    Service, ...) are passed over, other kinds refused;
 *  - an HPCR workload section (type: workload, or compose / play):
 *    compose.archive (base64 of a tar.gz holding a compose project at its
 *    root: every file compose reads there is gated, the default compose
 *    and override files present or those COMPOSE_FILE in its .env names,
 *    and the files services extend; ${VAR} resolved from its .env),
 *    play.resources[] and play.templates[] (Kubernetes objects), and
 *    play.archive (a tar.gz whose *.yml / *.yaml members are Kubernetes
 *    YAML); or an HPCR contract whose workload section is such a mapping
 *    (not a string, not encrypted, and no envWorkloadSignature).
 * Images must be plain or quoted YAML scalars on one line without escape
 * sequences; aliases, tags, merge keys and duplicate keys are refused.
 * A value that needs the runtime's environment (a variable with neither
 * a value in .env nor a default) is refused; an image written with a
 * variable is verified as what it resolves to, and written back as that
 * pinned reference (docs/gate.md, "What compose reads").
 *
 * Verifies each distinct image once (by its text as written) with v: a
 * tag is resolved once, and the digest written is the one whose
 * signatures were verified (for a multi-platform index, the instance
 * chosen for v's platform).  Only if every image is allowed is the
 * workload written, atomically (temporary file + rename, with path's
 * permission bits), to output, or back to path (NULL output; a symbolic
 * link stays a link, its target is replaced).  Each image becomes its
 * text as written + "@" + digest ("busybox:1.36" ->
 * "busybox:1.36@sha256:...", "r.example/app" -> "r.example/app@sha256:...");
 * an image that named a digest keeps it, unless it named an index whose
 * instance was verified: then the instance digest replaces it.
 *
 * The rewrite never re-emits YAML (libyaml's emitter is never used): the output is the input's bytes with
 * only each image value's bytes replaced (inside the quotes for quoted
 * ones), so comments, key order, quoting, indentation and line ends stay
 * byte for byte.  An archive is re-created from its own bytes: every tar
 * header and member as it was except the rewritten compose/YAML members
 * (their data, size and header checksum), gzip-compressed again and
 * base64-encoded with the original's line width and indentation.  A
 * workload whose images are all already pinned is written unchanged.
 *
 * *report (caller frees) is set whenever the workload was read and
 * parsed, also when an image is denied or the output cannot be written;
 * it lists every image occurrence with its verdict, not only the first
 * failure.  Returns 0 (all allowed, written), or, nothing written:
 * SIGNET_EDENIED if any image is denied (a denial outranks every other
 * failure: no retry can allow the workload), else SIGNET_EINTEGRITY,
 * else the first input error (SIGNET_EBADINPUT: an image reference or
 * manifest that does not parse; SIGNET_ELIMIT, SIGNET_EUNSUPPORTED), else
 * the first error reading an image or its signatures (SIGNET_ENOTFOUND,
 * SIGNET_ENETWORK, ...).  The workload itself: SIGNET_ENOTFOUND /
 * SIGNET_EIO (cannot be read or written), SIGNET_EBADINPUT (does not
 * parse or is refused; the message names the file, the line and the YAML
 * path), SIGNET_ELIMIT (more than SIGNET_MAX_WORKLOAD_IMAGES images, a
 * file or unpacked archive over SIGNET_MAX_POLICY_FILE_SIZE).  The
 * message (signet_ctx_errmsg of v's context) counts the images not
 * allowed and names the most severe one.
 */
SIGNET_EXPORT int signet_gate(signet_gate_report **report, signet_verifier *v, const char *path,
                              const char *output);
SIGNET_EXPORT void signet_gate_report_free(signet_gate_report *report);

/* How many image occurrences the report lists (0 for NULL). */
SIGNET_EXPORT size_t signet_gate_report_count(const signet_gate_report *report);
/* Occurrence i, in document order: where it is (a YAML path such as
 * "services.web.image", "documents[1].spec.initContainers[0].image" or
 * "compose.archive[docker-compose.yml].services.web.image"), the
 * reference as written (for a compose value written with a variable,
 * the reference it resolves to), the verdict code (0 allowed, else a SIGNET_E*
 * code), the pinned reference written (NULL unless allowed), and the
 * reason: for a refused image the denial or error message; for an
 * allowed one who signed it ("user id (FINGERPRINT)", or the
 * fingerprint), or NULL when the policy required no signature.  Any
 * output pointer may be NULL.  Strings are borrowed from report.
 * Returns 0 or SIGNET_EINVAL (i out of range). */
SIGNET_EXPORT int signet_gate_report_entry(const signet_gate_report *report, size_t i, const char **where,
                                           const char **image, int *verdict, const char **pinned,
                                           const char **reason);

#ifdef __cplusplus
}
#endif
#endif
