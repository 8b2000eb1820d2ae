/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/registry.h: what the registry module offers the rest of signet
 * (internal): image references, manifests, the registry client, and image
 * sources (one interface over docker://, oci: and dir:).
 */
#ifndef SN_REGISTRY_H
#define SN_REGISTRY_H

#include "base/base.h"

#include <signet/image.h>

/* ---- references (reference.c) --------------------------------------- */

#define SN_DOCKER_DOMAIN "docker.io"
#define SN_DOCKER_OFFICIAL_PREFIX "library/"

/* The host grammar of references, the one copy every parser uses:
 * sn_ref_host_name_ok: labels ([a-zA-Z0-9], or that with '-' inside)
 * joined by '.'; sn_ref_domain_ok: a host name or "[" IPv6 hex and ':' "]",
 * then an optional ":" port of digits.  1 when s (n bytes) is one. */
int sn_ref_host_name_ok(const char *s, size_t n);
int sn_ref_domain_ok(const char *s, size_t n);
/* One path component of a docker repository ([a-z0-9]+ joined by '.', '_',
 * '__' or dashes), and a tag ([\w][\w.-]{0,127}): the grammar of
 * sn_ref_parse, for every parser that checks a repository or tag. */
int sn_ref_path_component_ok(const char *s, size_t n);
int sn_ref_tag_ok(const char *s, size_t n);

/* A parsed reference.  Docker fields are normalized: domain is never NULL
 * ("docker.io" by default), path has "library/" on docker.io single
 * components, and a reference with neither tag nor digest gets tag
 * "latest".  A reference may carry both a tag and a digest
 * ("repo:tag@sha256:..."); the digest then decides what is pulled. */
struct sn_ref {
	enum signet_transport transport;
	char *domain; /* docker: "docker.io", "localhost:5000", "[::1]:5000"; else NULL */
	char *path;   /* docker: "library/busybox"; else NULL */
	char *tag;    /* docker: tag or NULL; oci: REF or NULL; dir: NULL */
	char *digest; /* docker: digest or NULL; else NULL */
	char *dir;    /* oci/dir: the layout directory; else NULL */
	char *string; /* the full normalized form (see signet_ref_string) */
	char *name;   /* docker: domain + "/" + path; oci/dir: dir */
	int tag_implied; /* docker: tag is "latest" because the text named none */
};

/* Parses "docker://NAME", "oci:PATH[:REF]", "dir:PATH" or a bare docker
 * NAME.  Errors are SIGNET_EBADINPUT with a message that quotes the input
 * and says what is wrong (e.g. "repository name must be lowercase"). */
int sn_ref_parse(struct sn_ref **out, const char *text, struct sn_err *e);
/* Parses a docker reference without a transport prefix. */
int sn_ref_parse_docker(struct sn_ref **out, const char *name, struct sn_err *e);
void sn_ref_free(struct sn_ref *ref);
/* A deep copy. */
int sn_ref_dup(struct sn_ref **out, const struct sn_ref *ref, struct sn_err *e);

/* ---- manifests (manifest.c) ----------------------------------------- */

#define SN_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define SN_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define SN_MT_DOCKER_V2S2 "application/vnd.docker.distribution.manifest.v2+json"
#define SN_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define SN_MT_DOCKER_V2S1 "application/vnd.docker.distribution.manifest.v1+json"
#define SN_MT_DOCKER_V2S1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"
/* The Accept header value for manifest requests. */
#define SN_MANIFEST_ACCEPT \
	SN_MT_OCI_MANIFEST ", " SN_MT_OCI_INDEX ", " SN_MT_DOCKER_V2S2 ", " SN_MT_DOCKER_LIST

enum sn_manifest_kind {
	SN_MANIFEST_OCI = 0,	    /* OCI image manifest */
	SN_MANIFEST_OCI_INDEX = 1,  /* OCI image index */
	SN_MANIFEST_DOCKER_V2S2 = 2, /* Docker schema 2 manifest */
	SN_MANIFEST_DOCKER_LIST = 3, /* Docker manifest list */
};

struct sn_descriptor {
	char *media_type;
	char *digest;	  /* validated with sn_digest_validate */
	int64_t size;	  /* >= 0 */
	char *os;	  /* index entries: platform, or NULL */
	char *arch;
	char *variant;
	char *ref_name;	  /* annotation org.opencontainers.image.ref.name, or NULL */
	json_t *annotations; /* the descriptor's annotations object, or NULL (owned ref) */
};

struct sn_manifest {
	enum sn_manifest_kind kind;
	const char *media_type; /* one of the SN_MT_* constants */
	/* image manifests */
	struct sn_descriptor config;
	struct sn_descriptor *layers;
	size_t n_layers;
	/* indexes and lists */
	struct sn_descriptor *manifests;
	size_t n_manifests;
	json_t *annotations; /* top-level annotations or NULL (owned ref) */
	json_t *root;	     /* the whole document (owned ref) */
};

/*
 * Parses a manifest strictly (SPEC §3.2).  content_type is the media type the
 * server or layout declared (NULL or "" when unknown); when given it must
 * agree with the document.  Docker schema 1 is SIGNET_EUNSUPPORTED; a
 * document that could be read as more than one type is SIGNET_EBADINPUT
 * (CVE-2021-41190); over SIGNET_MAX_MANIFEST_SIZE is SIGNET_ELIMIT.
 */
int sn_manifest_parse(struct sn_manifest **out, const void *data, size_t len, const char *content_type,
		      struct sn_err *e);
void sn_manifest_free(struct sn_manifest *m);
int sn_manifest_is_index(const struct sn_manifest *m);

/* ---- the registry client (client.c, auth.c, authfile.c) ----------- */

/*
 * One handle per registry host, kept in ctx->registries and reused: its
 * connections (http1.h's pool), cached bearer tokens per scope, the
 * credentials for that host.  Returned handles are borrowed from ctx.
 * domain is a normalized reference domain ("docker.io" maps to
 * registry-1.docker.io).
 */
int sn_registry_get(struct sn_registry **out, struct signet_ctx *ctx, const char *domain, struct sn_err *e);

/* GET /v2/ and authenticate if challenged.  Returns 0 or an error. */
int sn_registry_ping(struct sn_registry *r, struct sn_err *e);

/*
 * GET a manifest by tag or digest with the Accept list of SN_MANIFEST_ACCEPT.
 * out is initialized here (max SIGNET_MAX_MANIFEST_SIZE).  *content_type
 * receives the Content-Type (caller frees; may be NULL if absent).  When ref
 * is a digest the bytes are checked against it (SIGNET_EINTEGRITY).  When the
 * server sent Docker-Content-Digest and it differs from the digest of the
 * bytes, SIGNET_EINTEGRITY.  *digest receives the locally computed digest.
 */
int sn_registry_get_manifest(struct sn_registry *r, const char *repo, const char *ref, struct sn_buf *out,
			     char **content_type, char digest[SN_DIGEST_MAX], struct sn_err *e);
/* HEAD a manifest: *exists is 0 on 404; digest from Docker-Content-Digest
 * (validated, may be "" if absent), content_type as above. */
int sn_registry_head_manifest(struct sn_registry *r, const char *repo, const char *ref, int *exists,
			      char **content_type, char digest[SN_DIGEST_MAX], struct sn_err *e);
/* PUT a manifest under ref (tag or digest). */
int sn_registry_put_manifest(struct sn_registry *r, const char *repo, const char *ref, const void *data,
			     size_t len, const char *media_type, struct sn_err *e);
/* GET a blob; out initialized with max and what; digest checked. */
int sn_registry_get_blob(struct sn_registry *r, const char *repo, const char *digest, size_t max,
			 const char *what, struct sn_buf *out, struct sn_err *e);
/* GET /v2/REPO/referrers/DIGEST (OCI distribution 1.1), Accept an OCI
 * image index.  *found = 1 with the index bytes in out (initialized here,
 * max SIGNET_MAX_MANIFEST_SIZE) on 200 with Content-Type an OCI index;
 * *found = 0 on 404 (no referrers API: the caller falls back to the tag
 * schema), and on 405 or 501, as some registries without it answer.  Another Content-Type or status is
 * SIGNET_EREGISTRY (401/403: SIGNET_EAUTH). */
int sn_registry_get_referrers(struct sn_registry *r, const char *repo, const char *digest, struct sn_buf *out,
                              int *found, struct sn_err *e);
/* Uploads a blob (POST then monolithic PUT) unless it already exists. */
int sn_registry_put_blob(struct sn_registry *r, const char *repo, const char *digest, const void *data,
			 size_t len, struct sn_err *e);

/* Called once per tag or repository name; a non-zero return stops the
 * listing and is returned. */
typedef int (*sn_name_cb)(void *userdata, const char *name);
/* GET /v2/REPO/tags/list following Link pagination (limits of §7). */
int sn_registry_list_tags(struct sn_registry *r, const char *repo, sn_name_cb cb, void *userdata,
			  struct sn_err *e);
/* GET /v2/_catalog following Link pagination. */
int sn_registry_catalog(struct sn_registry *r, sn_name_cb cb, void *userdata, struct sn_err *e);

/* authfile.c: what one containers auth.json or docker config.json says
 * for domain/repo.  "credHelpers" (per host) or "credsStore" name a helper
 * (hit->helper); else "auths" keyed by "host", "host/ns[/repo]" (most
 * specific wins) or "https://index.docker.io/v1/" for docker.io, whose
 * entry has "auth" (base64 "user:pass") or "username" + "password".
 * legacy: the ~/.dockercfg format (the auths map at the top level).
 * helpers: 0 to ignore credHelpers and credsStore (not even checked).
 * A missing file, no matching key or an entry without credentials leave
 * *out all NULL.  Errors (a malformed file) name the file and the JSON
 * path.  Clear *out with sn_authfile_hit_clear (pass is a secret). */
struct sn_authfile_hit {
	char *user;   /* NULL: no credentials here */
	char *pass;   /* secret */
	char *helper; /* NAME of docker-credential-NAME to ask instead; NULL: none */
	char *key;    /* what gave it, for messages: auths["K"], credHelpers["K"], credsStore */
};
int sn_authfile_lookup(struct sn_authfile_hit *out, const char *path, int legacy, int helpers,
                       const char *domain, const char *repo, struct sn_err *e);
void sn_authfile_hit_clear(struct sn_authfile_hit *h);

/* credhelper.c: runs docker-credential-NAME get (from PATH, no shell, a
 * clean descriptor set) with server_url on its standard input, and reads
 * its reply ({"ServerURL","Username","Secret"}) of at most
 * SIGNET_MAX_CREDHELPER_REPLY bytes, killing it at deadline_ms
 * (CLOCK_MONOTONIC).  *user and *pass (a secret) are NULL when the helper
 * answers "credentials not found".  Returns SIGNET_ELIMIT (reply too long),
 * SIGNET_EBADINPUT (reply malformed), SIGNET_EUNSUPPORTED (an identity
 * token), SIGNET_EIO (cannot run, timed out, failed). */
int sn_credhelper_get(char **user, char **pass, const char *name, const char *server_url, int64_t deadline_ms,
                      struct sn_err *e);

/* credsearch.c: credentials for domain/repo from ctx's --authfile or, when
 * enabled (SIGNET_CREDS_SEARCH), the auth files of containers-auth.json(5)
 * in order, asking helpers when enabled (SIGNET_CREDS_HELPERS).  The first
 * source holding credentials wins; *user is NULL when none has. */
int sn_creds_search(char **user, char **pass, struct signet_ctx *ctx, const char *domain, const char *repo,
                    struct sn_err *e);

/* ---- signature stores (http_fetch.c, lookaside.c, dir_signatures.c, sigfiles.c) */

/* One stored signature blob, as read (not yet parsed or verified). */
struct sn_sig_blob {
	unsigned char *data; /* NUL-terminated one past len */
	size_t len;
	char *location; /* URL (lookaside) or path (dir:) it was read from */
};

/* What a store read returns; the caller frees it with sn_sig_list_free.
 * A read holds every blob it returns, so a list has a budget: the caller
 * sets max_bytes before reading (SN_SIG_LIST_INIT: the whole
 * SIGNET_MAX_SIGNATURES_TOTAL_SIZE; less when other signatures of the same
 * image are already held), and a read that would hold more fails with
 * SIGNET_ELIMIT naming SIGNET_MAX_SIGNATURES_TOTAL_SIZE, having stopped
 * fetching.  A max_bytes of 0 allows nothing. */
struct sn_sig_list {
	struct sn_sig_blob *items;
	size_t n;
	size_t bytes;     /* the sum of the items' len */
	size_t max_bytes; /* the most bytes the list may hold */
};
#define SN_SIG_LIST_INIT                                                                                     \
	{                                                                                                    \
		NULL, 0, 0, SIGNET_MAX_SIGNATURES_TOTAL_SIZE                                                 \
	}

/* Frees the blobs and leaves l empty (n == 0, bytes == 0; max_bytes is
 * kept); l may be NULL. */
void sn_sig_list_free(struct sn_sig_list *l);

/* The bytes l may still take. */
size_t sn_sig_list_room(const struct sn_sig_list *l);

/* The most bytes a reader may take for l's next blob:
 * SIGNET_MAX_SIGNATURE_SIZE, or the room left when that is less (but at
 * least 1, so that a read still tells a blob that is there from one that
 * is not).  A read capped below SIGNET_MAX_SIGNATURE_SIZE that crosses its
 * cap reports sn_sig_list_full(). */
size_t sn_sig_list_next_max(const struct sn_sig_list *l);

/* Appends a blob, taking data (len bytes, NUL one past, from malloc) and
 * location over whatever the outcome; past l's budget it is SIGNET_ELIMIT
 * "<store>: the signatures ... more than N bytes in total
 * (SIGNET_MAX_SIGNATURES_TOTAL_SIZE)". */
int sn_sig_list_add(struct sn_sig_list *l, unsigned char *data, size_t len, char *location, const char *store,
                    struct sn_err *e);

/* The error for a blob of unknown size that did not fit the room left
 * (a read capped at sn_sig_list_room() crossed it). */
int sn_sig_list_full(const struct sn_sig_list *l, const char *store, struct sn_err *e);

/*
 * GET url (http:// or https://) with the context's TLS settings (tls_verify,
 * cert_dir), timeouts, retries and redirect rules (registry/client.c), on the
 * handle cached for the URL's host:port in ctx->registries, but as a plain
 * web server: no /v2/ probe, no plain-HTTP fallback, and never any
 * credentials (no Authorization header, not even the registry's when the
 * host is the same; a URL carrying user:password@ is SIGNET_EINVAL).
 * out is initialized here with max and what, and is empty unless *found.
 * Returns 0 with *found = 1 on 200, 0 with *found = 0 on 404; any other
 * status is SIGNET_EREGISTRY ("<what> <url>: HTTP 500"); SIGNET_ENETWORK,
 * SIGNET_ETLS (message starts "<what>: GET <url>: "); a body over max is
 * SIGNET_ELIMIT ("<what> <url>: larger than the limit of N bytes (<limit_name>)",
 * limit_name being the constant's name or NULL); more than
 * SIGNET_MAX_REDIRECTS redirects is SIGNET_ELIMIT naming that limit.
 */
int sn_http_fetch(struct sn_buf *out, int *found, struct signet_ctx *ctx, const char *url, size_t max,
                  const char *limit_name, const char *what, struct sn_err *e);

/* NULL if url is usable as a lookaside base: an absolute http://, https://
 * or file:/// URL (empty host) without query or fragment, without spaces or
 * control characters and with valid percent-escapes; else the reason. */
const char *sn_lookaside_base_problem(const char *url);

/*
 * The URL of signature number index (1, 2, ...) of the manifest with
 * digest manifest_digest ("ALGO:HEX") of ref (a docker reference) in the
 * lookaside store at base: "<base>/<path>@<ALGO>=<HEX>/signature-<index>",
 * path being the repository without the host ("a/b" for host/a/b).  base
 * is used as written, so a trailing slash gives "//", as in
 * containers/image.  *out belongs to the caller.  Returns 0, SIGNET_EINVAL
 * (NULL arguments, index 0, not a docker reference) or SIGNET_EBADINPUT
 * (base not an absolute http(s):// or file:/// URL, invalid digest,
 * unexpected path components).
 */
int sn_lookaside_url(char **out, const char *base, const struct sn_ref *ref, const char *manifest_digest,
                     unsigned index, struct sn_err *e);

/*
 * Reads signature-1, signature-2, ... of manifest_digest from a lookaside
 * base URL (file://, http://, https://; SPEC §3.6), stopping at the first
 * missing one (no such file, or a missing directory; HTTP 404).  Any other
 * failure fails the whole read (a directory or FIFO where a signature should
 * be, an unreadable file, HTTP 500, a refused connection: never "no
 * signatures").  A file:// path is percent-decoded strictly (SIGNET_EBADINPUT
 * for a bad escape or %00).  More than SIGNET_MAX_LOOKASIDE_SIGNATURES, or a
 * blob over SIGNET_MAX_SIGNATURE_SIZE, is SIGNET_ELIMIT naming the limit.
 * No signature at all: 0 with out->n == 0.  ctx is needed for http(s) only
 * (may be NULL for file://).  *out is written only on success.
 */
int sn_lookaside_read(struct sn_sig_list *out, struct signet_ctx *ctx, const char *base,
                      const struct sn_ref *ref, const char *manifest_digest, struct sn_err *e);
/*
 * Writes blob (1 byte to SIGNET_MAX_SIGNATURE_SIZE) as the first free
 * signature-N under a file:// base, creating the directories (0755); an
 * existing signature is never replaced, also against a concurrent writer
 * (the file is complete before it appears under its name).  All of
 * signature-1 .. signature-SIGNET_MAX_LOOKASIDE_SIGNATURES taken is
 * SIGNET_ELIMIT; an http(s) base is SIGNET_EINVAL.  *location (caller
 * frees) is the file's URL.
 */
int sn_lookaside_write(char **location, const char *base, const struct sn_ref *ref,
                       const char *manifest_digest, const void *blob, size_t len, struct sn_err *e);

/*
 * dir: layouts (containers/image directory transport): signature-N of the
 * top manifest (instance_digest NULL) or <hex>.signature-N of an instance
 * (hex: the instance digest without "ALGO:"), with the read and write rules
 * of the file:// lookaside; files are opened without following a symbolic
 * link (one is an error failing the read).  Writing needs the directory to
 * exist (SIGNET_ENOTFOUND).  Locations are paths.
 */
int sn_dir_sigs_read(struct sn_sig_list *out, const char *dir, const char *instance_digest, struct sn_err *e);
int sn_dir_sigs_write(char **location, const char *dir, const char *instance_digest, const void *blob,
                      size_t len, struct sn_err *e);

/*
 * Cosign signature attachments in a registry (attachments.c, SPEC §3.5):
 * the OCI image manifest tagged ALGO-HEX.sig in the image's repository,
 * one layer per signature.
 */
#define SN_MT_COSIGN_SIMPLESIGNING "application/vnd.dev.cosign.simplesigning.v1+json"
#define SN_MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define SN_COSIGN_SIGNATURE_ANNOTATION "dev.cosignproject.cosign/signature"
#define SN_COSIGN_CERTIFICATE_ANNOTATION "dev.sigstore.cosign/certificate"
#define SN_COSIGN_CHAIN_ANNOTATION "dev.sigstore.cosign/chain"
#define SN_COSIGN_BUNDLE_ANNOTATION "dev.sigstore.cosign/bundle"

/*
 * Reads the signatures attached to manifest_digest of ref (a docker
 * reference).  No .sig tag (HTTP 404): 0 with out->n == 0.  The tag must
 * name an OCI image manifest (else SIGNET_EBADINPUT); layers of other media
 * types than SN_MT_COSIGN_SIMPLESIGNING are skipped; each signature layer's
 * blob is fetched and checked against its descriptor's digest and size
 * (SIGNET_EINTEGRITY).  More than SIGNET_MAX_SIG_MANIFEST_LAYERS layers,
 * more than SIGNET_MAX_ATTACHED_SIGNATURES signatures or a layer over
 * SIGNET_MAX_SIGNATURE_SIZE is SIGNET_ELIMIT naming the limit.  Each
 * signature becomes one blob "\0sigstore-json\n" + {"mimeType", "payload"
 * (base64 of the layer blob), "annotations" (the layer's, {} if none)}, as
 * containers/image stores it; location "docker://HOST/REPO:TAG layer N"
 * (N counts every layer from 1).  Registry errors as sn_registry_*.
 * *out is written only on success.
 */
int sn_attachments_read(struct sn_sig_list *out, struct signet_ctx *ctx, const struct sn_ref *ref,
                        const char *manifest_digest, struct sn_err *e);

/*
 * Adds one signature layer (payload, 1 byte to SIGNET_MAX_SIGNATURE_SIZE;
 * annotations: an object of strings holding at least
 * SN_COSIGN_SIGNATURE_ANNOTATION, copied, not taken) to the .sig manifest
 * of manifest_digest, creating it if needed.  Read-modify-write: the
 * existing layers are kept; a layer with the same digest and signature
 * annotation already there is success without a write; the tag is HEADed
 * again just before the PUT and re-read shortly after it, and the whole
 * update is redone when another writer moved it.  After
 * SN_ATTACH_MAX_ATTEMPTS tries, SIGNET_EREGISTRY ("the .sig tag kept
 * moving").  A manifest that would exceed SIGNET_MAX_SIG_MANIFEST_LAYERS
 * layers or SIGNET_MAX_ATTACHED_SIGNATURES signatures is SIGNET_ELIMIT; a
 * tag holding something other than an OCI image manifest is
 * SIGNET_EBADINPUT (never overwritten).  *location (caller frees) is
 * "docker://HOST/REPO:TAG layer N".
 */
#define SN_ATTACH_MAX_ATTEMPTS 10
/* The pause between a read-modify-write's PUT and the re-read that checks
 * it held (attachments.c; the referrers tag schema uses it too): 10 to
 * 50 ms at random, plus twice put_ms (what our own HEAD-to-PUT took), at
 * most 2 s. */
void sn_attach_recheck_sleep(long put_ms);
int sn_attachments_write(char **location, struct signet_ctx *ctx, const struct sn_ref *ref,
                         const char *manifest_digest, const void *payload, size_t payload_len,
                         json_t *annotations, struct sn_err *e);

/*
 * Sigstore bundles stored as OCI 1.1 referrers (referrers.c), as cosign v3
 * stores an image's signatures.
 */
#define SN_MT_SIGSTORE_BUNDLE_V03      "application/vnd.dev.sigstore.bundle.v0.3+json"
#define SN_MT_SIGSTORE_BUNDLE_V02      "application/vnd.dev.sigstore.bundle+json;version=0.2"
#define SN_MT_SIGSTORE_BUNDLE_V01      "application/vnd.dev.sigstore.bundle+json;version=0.1"
#define SN_MT_OCI_EMPTY                "application/vnd.oci.empty.v1+json"
#define SN_BUNDLE_PREDICATE_ANNOTATION "dev.sigstore.bundle.predicateType"
#define SN_BUNDLE_CONTENT_ANNOTATION   "dev.sigstore.bundle.content"
/* The in-toto predicate type of a cosign image signature. */
#define SN_COSIGN_SIGN_PREDICATE "https://sigstore.dev/cosign/sign/v1"
/* A bundle read from a referrer is held as this header + the bundle JSON
 * (sizeof - 1 bytes: it starts with a NUL byte). */
#define SN_BUNDLE_BLOB_HEADER     "\0sigstore-bundle\n"
#define SN_BUNDLE_BLOB_HEADER_LEN (sizeof(SN_BUNDLE_BLOB_HEADER) - 1)
/* "ALGO-HEX" and its NUL. */
#define SN_REFERRERS_TAG_MAX 129

/* Is mt one of the Sigstore bundle media types (v0.1, v0.2, v0.3)? */
int sn_bundle_media_type(const char *mt);
/* The referrers tag schema's tag of digest ("sha256:HEX" -> "sha256-HEX").
 * 0 or SIGNET_EINVAL. */
int sn_referrers_tag(char tag[SN_REFERRERS_TAG_MAX], const char *digest, struct sn_err *e);

/*
 * Reads the cosign signature bundles referring to manifest_digest of ref
 * (a docker reference): the referrers API, or on a 404 from it the tag
 * schema (no such tag: 0 with out->n == 0).  The index must be an OCI
 * image index of at most SIGNET_MAX_REFERRERS entries; entries with a
 * Sigstore bundle artifactType (attestations, whose predicateType
 * annotation names another predicate, are skipped), at most
 * SIGNET_MAX_REFERRER_BUNDLES, are each an OCI image manifest whose
 * subject is manifest_digest and whose one layer is the bundle (at most
 * SIGNET_MAX_SIGNATURE_SIZE, within out->max_bytes with the rest), checked
 * against its descriptor's digest and size.  Each becomes the blob
 * SN_BUNDLE_BLOB_HEADER + the bundle, location
 * "docker://HOST/REPO@REFERRER-DIGEST".  Limits are SIGNET_ELIMIT naming
 * them; a malformed index or referrer is SIGNET_EBADINPUT.  *out is
 * written only on success.
 */
int sn_referrers_read(struct sn_sig_list *out, struct signet_ctx *ctx, const struct sn_ref *ref,
                      const char *manifest_digest, struct sn_err *e);

/*
 * Stores a Sigstore bundle (1 byte to SIGNET_MAX_SIGNATURE_SIZE) as a
 * referrer of the manifest subject_digest (of media type
 * subject_media_type, subject_size bytes) of ref: the bundle blob, the
 * empty config, and an OCI image manifest (artifactType the bundle v0.3
 * media type, subject, the bundle as its one layer, annotated with the
 * content kind, cosign's predicate type and created, an RFC 3339 time)
 * put by its digest.  When the registry has no referrers API (404), the
 * referrer is added to the tag schema's index (read-modify-write, other
 * entries kept, re-checked as sn_attachments_write does; a tag holding
 * something else is SIGNET_EBADINPUT, never overwritten).  *location
 * (caller frees) is "docker://HOST/REPO@REFERRER-DIGEST".
 */
int sn_referrers_write(char **location, struct signet_ctx *ctx, const struct sn_ref *ref,
                       const char *subject_digest, const char *subject_media_type, size_t subject_size,
                       const void *bundle, size_t len, const char *created, struct sn_err *e);

/* ---- image sources (source.c, source_docker.c, layout_oci.c, layout_dir.c) */

struct sn_source;

struct sn_source_ops {
	/* Raw manifest bytes: digest NULL means the manifest the reference
	 * names (tag, digest, oci REF, dir manifest.json); otherwise the
	 * manifest with that digest (an index instance).  out is initialized
	 * by the op with max SIGNET_MAX_MANIFEST_SIZE.  *media_type gets what
	 * the source declared (Content-Type, index descriptor) or NULL. */
	int (*get_manifest)(struct sn_source *src, const char *digest, struct sn_buf *out, char **media_type,
			    struct sn_err *e);
	/* A blob by digest, at most max bytes; out initialized by the op. */
	int (*get_blob)(struct sn_source *src, const char *digest, size_t max, const char *what,
			struct sn_buf *out, struct sn_err *e);
	void (*free)(struct sn_source *src);
};

struct sn_source {
	const struct sn_source_ops *ops;
	struct sn_ref *ref;	 /* owned copy */
	struct signet_ctx *ctx; /* borrowed */
};

int sn_source_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref, struct sn_err *e);
void sn_source_free(struct sn_source *src);

/* Per-transport constructors used by sn_source_open. */
int sn_source_docker_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref,
			  struct sn_err *e);
int sn_source_oci_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref,
		       struct sn_err *e);
int sn_source_dir_open(struct sn_source **out, struct signet_ctx *ctx, const struct sn_ref *ref,
		       struct sn_err *e);

/*
 * The one way the rest of signet reads a manifest: fetch through the
 * source, recompute the digest locally, check it against `digest` (or the
 * reference's own digest when digest is NULL and the reference has one),
 * parse strictly.  *out_digest gets the computed digest; *out_bytes (if
 * not NULL) the raw bytes, initialized here.
 */
int sn_source_read_manifest(struct sn_manifest **out, char out_digest[SN_DIGEST_MAX], struct sn_buf *out_bytes,
			    struct sn_source *src, const char *digest, struct sn_err *e);

/* ---- credentials and hosts (creds.c, client.c) ----------------------- */

/* Binds ctx->creds (--creds) to the registry host domain ("docker.io",
 * "localhost:5000"), unless they are bound already or there are none.
 * Once bound, sn_ctx_creds_for gives them for that host only.  0 or
 * SIGNET_ENOMEM. */
int sn_ctx_bind_creds(struct signet_ctx *ctx, const char *domain, struct sn_err *e);
/* ctx->creds when they are bound to the registry host domain, else NULL.
 * Borrowed. */
const char *sn_ctx_creds_for(const struct signet_ctx *ctx, const char *domain);
/* Is a the same registry host as b (case-insensitive; docker.io,
 * index.docker.io and registry-1.docker.io are one)? */
int sn_registry_host_equal(const char *a, const char *b);

/* Frees every registry handle of ctx (registry/client.c). */
void sn_registry_free_all(struct signet_ctx *ctx);

#endif
