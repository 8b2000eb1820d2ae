/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/workload.h: the image references a workload names, and the
 * workload written back with some of them replaced (internal; the gate,
 * verify/gate.c, is its user).
 *
 * Workloads (detected from the top-level keys of the first document):
 *  - a docker compose file: services.<name>.image.  A service without an
 *    image, or with build (an image made on the spot), a top-level
 *    include and extends.file (services from other files) are refused:
 *    the gate cannot verify what it does not see being pulled.  Image
 *    values written with '$' are interpolated as compose does, from the
 *    .env next to the file (sn_workload_parse_path; none for
 *    sn_workload_parse), and the project's other files compose would
 *    read are refused (compose_project.h);
 *  - Kubernetes YAML, one or more documents: in Pod, Deployment,
 *    StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
 *    CronJob, PodTemplate and List objects, the pod specs' containers[],
 *    initContainers[], ephemeralContainers[] (image) and volumes[]
 *    (image.reference).  Objects of kinds that hold no image (ConfigMap,
 *    Secret, Service, ...) are passed over; any other kind is refused (it
 *    might name images the gate would not see);
 *  - an HPCR workload section (type: workload, or compose / play):
 *    compose.archive (base64 of a tar.gz holding a compose project at
 *    its root: every compose file compose would read there is walked,
 *    those COMPOSE_FILE in its .env names, or else every default file
 *    present (compose.yaml, compose.yml, docker-compose.yml,
 *    docker-compose.yaml and their .override. forms), and the files
 *    their services extend; values are interpolated from its .env),
 *    play.resources[] and play.templates[] (Kubernetes objects written
 *    in the section), play.archive (base64 of a tar.gz whose *.yml and
 *    *.yaml members are Kubernetes YAML);
 *  - an HPCR contract whose workload section is a mapping (as above,
 *    under "workload.").  A workload section held as a string (a block
 *    literal, or encrypted) is refused, and so is a contract carrying an
 *    envWorkloadSignature (a rewrite would invalidate it).
 *
 * YAML is read with the strict reader of base/yaml_strict.h (no aliases,
 * tags, merge keys or duplicate keys); every image must be a plain or
 * quoted scalar written on one line without escape sequences (its bytes
 * in the file are exactly its value).
 *
 * Rewriting never re-emits YAML (libyaml's emitter is never used): the new workload is the original bytes
 * with only the bytes of each replaced image value changed (inside the
 * quotes for a quoted scalar).  Comments, key order, quoting, indentation,
 * line ends and everything else stay byte for byte.  An archive is
 * re-created from its original bytes: every tar header and member is
 * copied unchanged except the rewritten YAML members (new data, size and
 * header checksum; name, mode, owner, mtime kept), compressed again with
 * gzip, and base64-encoded with the line width and line separator of the
 * original value (one line if it was one line).
 */
#ifndef SN_WORKLOAD_H
#define SN_WORKLOAD_H

#include "registry/registry.h"

#include <signet/gate.h>

enum sn_workload_kind {
	SN_WORKLOAD_COMPOSE = 0,
	SN_WORKLOAD_KUBERNETES = 1,
	SN_WORKLOAD_HPCR = 2,     /* an HPCR workload section */
	SN_WORKLOAD_CONTRACT = 3, /* an HPCR contract holding its workload section */
};

/* One image reference as written in the workload. */
struct sn_image_site {
	char *where;       /* YAML path: "services.web.image", "documents[1].spec.containers[0].image",
	                    * "compose.archive[docker-compose.yml].services.web.image" */
	char *image;       /* the value as written, or what a compose value written with '$'
	                    * resolves to (the reference verified) */
	char *written;     /* for such a value, as written ("${IMAGE}"); else NULL */
	size_t line;       /* 1-based line in the YAML text that holds it (a member's own lines
	                    * for an archive member) */
	char *replacement; /* what sn_workload_render writes instead, or NULL (kept) */
};

struct sn_workload;

/*
 * Reads a workload: data (len bytes, borrowed: it must outlive *out) is
 * the file's content, what names it in messages (the path).  Returns 0,
 * SIGNET_EBADINPUT (not a workload of a known kind, invalid YAML, an image
 * written in a way the gate cannot rewrite, a refused construct; the
 * message names what, the YAML path and the line), SIGNET_ELIMIT (more
 * than SIGNET_MAX_WORKLOAD_IMAGES images, an archive larger than
 * SIGNET_MAX_POLICY_FILE_SIZE unpacked, YAML nesting) or SIGNET_ENOMEM.
 * A workload naming no image at all is SIGNET_EBADINPUT (nothing to gate:
 * most likely the wrong file).
 */
int sn_workload_parse(struct sn_workload **out, const void *data, size_t len, const char *what,
                      struct sn_err *e);
/*
 * sn_workload_parse of the file at path (named by path in messages): a
 * docker compose file is read with its directory, as `docker compose`
 * run there reads it: its values interpolated from the .env there, and
 * refused (SIGNET_EBADINPUT) when compose would read another compose
 * file there with it or instead of it (sn_compose_dir_load).  Also
 * SIGNET_EIO when that .env cannot be read.
 */
int sn_workload_parse_path(struct sn_workload **out, const void *data, size_t len, const char *path,
                           struct sn_err *e);
void sn_workload_free(struct sn_workload *w);

enum sn_workload_kind sn_workload_kind(const struct sn_workload *w);
/* "docker compose file", "Kubernetes YAML", "HPCR workload section",
 * "HPCR contract". */
const char *sn_workload_kind_name(enum sn_workload_kind kind);
/* The image occurrences, in document order (archives' members where the
 * archive is).  Borrowed. */
size_t sn_workload_count(const struct sn_workload *w);
const struct sn_image_site *sn_workload_site(const struct sn_workload *w, size_t i);

/*
 * Replaces occurrence i with text (copied) in what sn_workload_render
 * writes (the whole value as written: "${IMAGE}" becomes text).  text must be writable in place of the value
 * without quoting or escaping: non-empty, only [A-Za-z0-9._:/@-] (a quoted value may also hold [ and ], for
 * an IPv6 host); anything else is SIGNET_EINVAL. Returns 0, SIGNET_EINVAL or SIGNET_ENOMEM.
 */
int sn_workload_replace(struct sn_workload *w, size_t i, const char *text, struct sn_err *e);

/*
 * The workload's bytes with every replacement made (see the top of this
 * file); out is initialized here (max SIGNET_MAX_POLICY_FILE_SIZE, which a
 * larger result crosses: SIGNET_ELIMIT).  Returns 0, SIGNET_ELIMIT or
 * SIGNET_ENOMEM.
 */
int sn_workload_render(struct sn_buf *out, const struct sn_workload *w, struct sn_err *e);

/* ---- the gate (gate.c) ---------------------------------------------- */

/*
 * How the gate asks about one image: verify ref and, if it is allowed,
 * return 0 with *digest the manifest digest that was verified (the one to
 * pull; for a multi-platform index, the chosen instance's) and *signer who
 * signed it ("uid (fingerprint)", the fingerprint, or NULL when no
 * signature was needed); both the caller's to free.  Otherwise the verdict
 * code, with the message in e.  signet_gate uses signet_verify.
 */
typedef int (*sn_gate_verify_fn)(void *userdata, const struct sn_ref *ref, char **digest, char **signer,
                                 struct sn_err *e);

/*
 * signet_gate with the verification step given: reads the workload at
 * path, asks verify (once per distinct reference, as written) about each
 * image, and writes the pinned workload to output (NULL: path) only if
 * all are allowed.  Returns as signet_gate; *report as signet_gate's.
 */
int sn_gate_run(signet_gate_report **report, sn_gate_verify_fn verify, void *userdata, const char *path,
                const char *output, struct sn_err *e);

/*
 * What the gate checks once the workload is read, before any image is
 * verified (signet_gate: where --creds may go): 0 to go on, or the error
 * that stops the gate with nothing verified, no report and nothing written.
 */
typedef int (*sn_gate_check_fn)(void *userdata, const struct sn_workload *w, const char *path,
                                struct sn_err *e);
/* sn_gate_run with check (may be NULL) called as above, with userdata. */
int sn_gate_run_checked(signet_gate_report **report, sn_gate_check_fn check, sn_gate_verify_fn verify,
                        void *userdata, const char *path, const char *output, struct sn_err *e);

#endif
