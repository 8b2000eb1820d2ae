/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/workload.c: finding the images a workload names (compose files,
 * Kubernetes YAML, HPCR workload sections and their base64 tar.gz
 * archives) and writing the workload back with new values spliced into
 * the original bytes (see workload.h for the rules).
 *
 * libyaml's marks count characters, not bytes: every mark is mapped to a
 * byte offset here, and an image is only accepted when the bytes found
 * there are exactly its value, so a splice can never land elsewhere.
 */
#include "verify/workload.h"

#include "base/yaml_strict.h"
#include "verify/compose_project.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

#define PATH_BUF   512 /* a YAML path shown in messages (longer ones are cut) */
#define TAR_BLOCK  512
#define TAR_RECORD 10240 /* GNU tar's default record: archives are padded to it */
#define GZ_CHUNK   65536

enum text_kind { TEXT_COMPOSE, TEXT_K8S, TEXT_HPCR, TEXT_CONTRACT };
enum archive_kind { ARCHIVE_COMPOSE, ARCHIVE_PLAY };

struct wl_archive;

/* A stretch of a text that rendering replaces: an image value, or the
 * base64 characters of an archive. */
struct wl_span {
	size_t start, end;
	size_t site; /* when archive is NULL */
	struct wl_archive *archive;
};

/* A YAML text: the file, or a member of an archive. */
struct wl_text {
	const unsigned char *data; /* borrowed */
	size_t len;
	struct wl_span *spans; /* in increasing, disjoint order */
	size_t n_spans, cap_spans;
	/* libyaml mark index (characters) -> byte offset */
	size_t bom; /* bytes of a UTF-8 byte order mark (libyaml does not count it) */
	int ascii;  /* no byte >= 0x80: offset = bom + index */
	size_t cur_ch, cur_byte;
};

/* A tar member: a regular file or a directory. */
struct wl_member {
	size_t hdr;  /* offset of its own header block (after any L/x headers) */
	size_t data; /* offset of its data */
	size_t size;
	char *name;   /* normalized ("./a.yml" -> "a.yml") */
	int is_dir;   /* a directory */
	int pax_size; /* its size is in a pax header (signet cannot rewrite it) */
	int gated;    /* its YAML is gated: walked, and re-created by rendering */
	struct wl_text text;
};

struct wl_archive {
	struct wl_archive *next; /* every archive of the workload, for freeing */
	unsigned char *tar;      /* the unpacked archive (owned) */
	size_t tar_len;
	size_t end;                /* offset of the end-of-archive blocks */
	struct wl_member *members; /* every member, in archive order */
	size_t n_members;
	struct sn_keyset index; /* member name -> index in members */
	size_t width;           /* base64 characters per line; 0: one line */
	char *sep;              /* what separates two lines (a line break and indentation) */
	size_t sep_len;
};

struct sn_workload {
	enum sn_workload_kind kind;
	struct wl_text root;
	struct sn_image_site *sites;
	size_t n_sites, cap_sites;
	unsigned char *quoted; /* per site: written in quotes */
	struct wl_archive *archives;
};

/*
 * The compose project a compose file belongs to (docs/gate.md, "What
 * compose reads"): the .env its values are interpolated from and, in a
 * compose archive, the files compose reads, in the order they are walked.
 */
struct compose_ctx {
	const struct sn_dotenv *env; /* never NULL; empty without a .env */
	struct wl_archive *archive;  /* the compose archive, or NULL: a file on its own */
	char *dir;                   /* the directory of the member walked ("": the root) */
	int template_only;           /* the member is read only as an extends target */
	char *imageless;             /* the first service without image or extends (a message) */
	size_t queue[SN_COMPOSE_MAX_FILES];
	unsigned char queue_tmpl[SN_COMPOSE_MAX_FILES];
	size_t n_queue;
};

/* Walking one YAML text. */
struct walk {
	struct sn_workload *w;
	struct wl_text *t;
	struct sn_yaml y;
	const char *what; /* names the text in messages */
	struct sn_err *e;
	struct compose_ctx *cc; /* a compose file's project, else NULL */
	char path[PATH_BUF];
	size_t plen;
};

/* ---- messages and paths --------------------------------------------- */

/* "WHAT: line N: PATH: message", SIGNET_EBADINPUT. */
SN_PRINTF(3, 4) static int walk_err(struct walk *k, size_t line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sn_seterr(k->e, SIGNET_EBADINPUT, "%s: line %zu: %s%s%s", k->what, line, k->path,
	                 k->plen != 0 ? ": " : "", msg);
}

/* Appends s to the path, control characters shown as '?'; returns the
 * length to restore with path_pop. */
static size_t path_append(struct walk *k, const char *s, size_t n)
{
	size_t old = k->plen;

	for (size_t i = 0; i < n && k->plen + 1 < sizeof(k->path); i++) {
		unsigned char c = (unsigned char)s[i];

		k->path[k->plen++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	k->path[k->plen] = '\0';
	return old;
}

static size_t path_key(struct walk *k, const char *key)
{
	size_t old = k->plen;

	if (k->plen != 0)
		(void)path_append(k, ".", 1);
	(void)path_append(k, key, strlen(key));
	return old;
}

static size_t path_index(struct walk *k, size_t i)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "[%zu]", i);

	return path_append(k, b, (size_t)n);
}

static void path_pop(struct walk *k, size_t old)
{
	k->plen = old;
	k->path[old] = '\0';
}

/* ---- texts ---------------------------------------------------------- */

static int text_init(struct wl_text *t, const unsigned char *data, size_t len, const char *what,
                     struct sn_err *e)
{
	memset(t, 0, sizeof(*t));
	t->data = data;
	t->len = len;
	if (len >= 2 && ((data[0] == 0xfe && data[1] == 0xff) || (data[0] == 0xff && data[1] == 0xfe)))
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: UTF-16 text is not supported: write the workload in UTF-8", what);
	if (len >= 1 && data[0] == '\0')
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: starts with a NUL byte: not UTF-8 YAML", what);
	if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
		t->bom = 3;
	t->ascii = 1;
	for (size_t i = 0; i < len && t->ascii; i++)
		if (data[i] >= 0x80)
			t->ascii = 0;
	t->cur_byte = t->bom;
	return 0;
}

static void text_free(struct wl_text *t)
{
	free(t->spans);
	t->spans = NULL;
	t->n_spans = t->cap_spans = 0;
}

/* The byte offset of libyaml mark index (a count of characters: UTF-8
 * continuation bytes do not count). */
static size_t byte_at(struct wl_text *t, size_t index)
{
	if (t->ascii)
		return t->bom + index;
	if (index < t->cur_ch) {
		t->cur_ch = 0;
		t->cur_byte = t->bom;
	}
	while (t->cur_ch < index && t->cur_byte < t->len) {
		t->cur_byte++;
		while (t->cur_byte < t->len && (t->data[t->cur_byte] & 0xc0) == 0x80)
			t->cur_byte++;
		t->cur_ch++;
	}
	return t->cur_byte;
}

static int add_span(struct wl_text *t, size_t start, size_t end, size_t site, struct wl_archive *a,
                    struct sn_err *e)
{
	if (start > end || end > t->len || (t->n_spans != 0 && start < t->spans[t->n_spans - 1].end))
		return sn_seterr(e, SIGNET_EBADINPUT, "workload: internal error: overlapping image values");
	if (t->n_spans == t->cap_spans) {
		size_t ncap = t->cap_spans != 0 ? t->cap_spans * 2 : 8;
		struct wl_span *ns = realloc(t->spans, ncap * sizeof(*ns));

		if (ns == NULL)
			return sn_enomem(e);
		t->spans = ns;
		t->cap_spans = ncap;
	}
	t->spans[t->n_spans++] = (struct wl_span){.start = start, .end = end, .site = site, .archive = a};
	return 0;
}

/* ---- image values --------------------------------------------------- */

/* A compose value written with '$': interpolated as compose does, from
 * the project's .env (compose_project.h); *out is the caller's. */
static int compose_resolve(struct walk *k, size_t line, const char *value, size_t vlen, char **out)
{
	struct sn_err ie = {0};
	char *r = NULL;
	int rc = sn_compose_interpolate(&r, value, vlen, k->cc->env, &ie);

	if (rc == SIGNET_ENOMEM)
		return sn_enomem(k->e);
	if (rc == SIGNET_ELIMIT)
		return sn_seterr(k->e, rc, "%s: line %zu: %s: %s", k->what, line, k->path, ie.msg);
	if (rc != 0)
		return walk_err(k, line, "%s", ie.msg);
	*out = r;
	return 0;
}

/* An image written with '$' in a compose file: the reference it
 * resolves to (*out, the caller's), which the gate verifies and whose
 * pinned form replaces the whole value. */
static int resolve_image(struct walk *k, size_t line, const char *value, size_t vlen, char **out)
{
	char *r = NULL;
	int rc;

	if ((rc = compose_resolve(k, line, value, vlen, &r)) != 0)
		return rc;
	if (r[0] == '\0')
		rc = walk_err(k, line, "\"%.*s\" resolves to an empty string", (int)(vlen > 200 ? 200 : vlen),
		              value);
	for (const char *p = r; rc == 0 && *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			rc = walk_err(k, line, "\"%.*s\" resolves to text with a control character",
			              (int)(vlen > 200 ? 200 : vlen), value);
	if (rc != 0) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* The current event is the value of an image key: records it. */
static int add_site(struct walk *k, size_t line)
{
	const yaml_event_t *ev = &k->y.ev;
	struct sn_workload *w = k->w;
	struct sn_image_site *s;
	size_t start, end, vlen;
	const char *value;
	char *resolved = NULL;
	int quoted, rc;

	if (ev->type != YAML_SCALAR_EVENT)
		return walk_err(k, line, "is not a string");
	line = sn_yaml_line(&k->y);
	switch (ev->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE: quoted = 0; break;
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: quoted = 1; break;
	default: return walk_err(k, line, "is a block scalar (| or >): write the image on one line");
	}
	value = sn_yaml_text(&k->y, &vlen);
	if (sn_yaml_is_null(&k->y) || vlen == 0)
		return walk_err(k, line, "is empty: the gate needs the image it is to verify");
	if (memchr(value, '\0', vlen) != NULL)
		return walk_err(k, line, "contains a NUL byte");
	start = byte_at(k->t, ev->start_mark.index);
	end = byte_at(k->t, ev->end_mark.index);
	if (quoted) {
		char q = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? '\'' : '"';

		if (end < start + 2 || end > k->t->len || k->t->data[start] != q || k->t->data[end - 1] != q)
			return walk_err(k, line, "cannot find the quotes of the value in the file");
		start++;
		end--;
	}
	if (end > k->t->len || end - start != vlen || memcmp(k->t->data + start, value, vlen) != 0)
		return walk_err(
		    k, line,
		    "is written over several lines or with escape sequences: write the image on one "
		    "line, as it is, so that it can be rewritten in place");
	if (w->n_sites == SIGNET_MAX_WORKLOAD_IMAGES)
		return sn_seterr(k->e, SIGNET_ELIMIT,
		                 "%s: line %zu: more than %d images (SIGNET_MAX_WORKLOAD_IMAGES)", k->what,
		                 line, SIGNET_MAX_WORKLOAD_IMAGES);
	if (k->cc != NULL && memchr(value, '$', vlen) != NULL &&
	    (rc = resolve_image(k, line, value, vlen, &resolved)) != 0)
		return rc;
	if (w->n_sites == w->cap_sites) {
		size_t ncap = w->cap_sites != 0 ? w->cap_sites * 2 : 8;
		struct sn_image_site *ns = realloc(w->sites, ncap * sizeof(*ns));
		unsigned char *nq;

		if (ns == NULL)
			goto nomem;
		w->sites = ns;
		if ((nq = realloc(w->quoted, ncap)) == NULL)
			goto nomem;
		w->quoted = nq;
		w->cap_sites = ncap;
	}
	s = &w->sites[w->n_sites];
	memset(s, 0, sizeof(*s));
	s->line = line;
	if ((s->where = sn_strdup(k->path, k->e)) == NULL ||
	    (resolved != NULL && (s->written = sn_strndup(value, vlen, k->e)) == NULL) ||
	    (s->image = resolved != NULL ? resolved : sn_strndup(value, vlen, k->e)) == NULL) {
		free(s->where);
		free(s->written);
		goto nomem;
	}
	resolved = NULL;
	w->quoted[w->n_sites] = (unsigned char)quoted;
	if (add_span(k->t, start, end, w->n_sites, NULL, k->e) != 0) {
		free(s->where);
		free(s->written);
		free(s->image);
		return k->e != NULL ? k->e->code : SIGNET_ENOMEM;
	}
	w->n_sites++;
	return 0;
nomem:
	free(resolved);
	return sn_enomem(k->e);
}

/* The value of key (the current event) as an image, under path.key. */
static int key_site(struct walk *k, const char *key, size_t line)
{
	size_t old = path_key(k, key);
	int rc = add_site(k, line);

	path_pop(k, old);
	return rc;
}

/* ---- compose -------------------------------------------------------- */

/* Adds archive member i to the compose files walked (once), as a file
 * compose reads (template_only 0) or as an extends target only. */
static int compose_enqueue(struct compose_ctx *cc, size_t i, int template_only, const char *what,
                           struct sn_err *e)
{
	struct wl_member *m = &cc->archive->members[i];

	if (m->gated)
		return 0;
	if (cc->n_queue == SN_COMPOSE_MAX_FILES)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s: the project reads more than %d compose files (SN_COMPOSE_MAX_FILES)",
		                 what, SN_COMPOSE_MAX_FILES);
	m->gated = 1;
	cc->queue[cc->n_queue] = i;
	cc->queue_tmpl[cc->n_queue++] = (unsigned char)template_only;
	return 0;
}

/* The archive member a compose file names (COMPOSE_FILE, extends.file):
 * rel taken relative to dir, which must be a regular file the archive
 * holds.  *i is its index; on failure *why (the caller's) says why. */
static int archive_file(size_t *i, char **why, const struct wl_archive *a, const char *dir, const char *rel,
                        struct sn_err *e)
{
	struct sn_err ie = {0};
	const struct sn_keyent *ent;
	char *name = NULL;
	int rc;

	*why = NULL;
	if ((rc = sn_compose_path(&name, dir, rel, strlen(rel), &ie)) == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0) {
		*why = sn_strdup(ie.msg, e);
	} else if ((ent = sn_keyset_find(&a->index, name)) == NULL) {
		*why = sn_aprintf(e, "%s is not in the archive", name);
	} else if (a->members[ent->val].is_dir) {
		*why = sn_aprintf(e, "%s is a directory, not a compose file", name);
	} else {
		*i = ent->val;
		free(name);
		return 0;
	}
	free(name);
	return *why != NULL ? SIGNET_EBADINPUT : SIGNET_ENOMEM;
}

/* The value of extends.file (the current event). */
static int extends_file(struct walk *k, size_t line)
{
	struct compose_ctx *cc = k->cc;
	const char *value;
	char *resolved = NULL, *why = NULL;
	size_t vlen, i = 0;
	int rc;

	if (k->y.ev.type != YAML_SCALAR_EVENT)
		return walk_err(k, line, "is not a string");
	line = sn_yaml_line(&k->y);
	value = sn_yaml_text(&k->y, &vlen);
	if (memchr(value, '\0', vlen) != NULL)
		return walk_err(k, line, "contains a NUL byte");
	if (cc->archive == NULL)
		return walk_err(
		    k, line,
		    "the service extends one in %.*s, which the gate does not see: it checks only "
		    "the file it is given; put that service in this file, or gate the files together "
		    "as an HPCR compose archive",
		    (int)(vlen > 200 ? 200 : vlen), value);
	if (memchr(value, '$', vlen) != NULL)
		rc = compose_resolve(k, line, value, vlen, &resolved);
	else
		rc = (resolved = sn_strndup(value, vlen, k->e)) == NULL ? SIGNET_ENOMEM : 0;
	if (rc != 0)
		return rc;
	rc = archive_file(&i, &why, cc->archive, cc->dir, resolved, k->e);
	if (rc == SIGNET_EBADINPUT)
		rc = walk_err(k, line, "%s", why);
	else if (rc == 0)
		rc = compose_enqueue(cc, i, 1, k->what, k->e);
	free(why);
	free(resolved);
	return rc;
}

static int extends_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	size_t old;
	int rc;

	if (strcmp(key, "file") != 0)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	rc = extends_file(k, line);
	path_pop(k, old);
	return rc;
}

struct compose_service {
	struct walk *k;
	int has_image, has_extends;
};

static int service_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct compose_service *s = ctx;
	struct walk *k = s->k;
	size_t old;
	int rc;

	if (strcmp(key, "image") == 0) {
		s->has_image = 1;
		return key_site(k, key, line);
	}
	if (strcmp(key, "build") == 0)
		return walk_err(k, line,
		                "has build: the gate verifies images that are pulled, not built on the spot; "
		                "build and push the image, sign it, and name it in image");
	if (strcmp(key, "extends") != 0)
		return sn_yaml_skip(y);
	/* extends: SERVICE (in this file), or {service: SERVICE, file: F} */
	s->has_extends = 1;
	if (y->ev.type == YAML_SCALAR_EVENT)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		rc = walk_err(k, line, "is not a string or a mapping");
	else
		rc = sn_yaml_walk_mapping(y, extends_value, k);
	path_pop(k, old);
	return rc;
}

/*
 * A service without an image: compose refuses to run it (without build,
 * which is refused), unless it takes its image from another file.  So
 * it is refused in a project of one compose file, as most likely a
 * mistake; in a project of several (overrides, COMPOSE_FILE, extends
 * targets) it may be completed by another file, whose image is gated.
 */
static int imageless(struct walk *k, size_t line)
{
	static const char msg[] =
	    "has no image (build-only?): the gate cannot verify an image that is not pulled";

	if (k->cc->archive == NULL)
		return walk_err(k, line, "%s", msg);
	if (k->cc->imageless == NULL && (k->cc->imageless = sn_aprintf(k->e, "%s: line %zu: %s: %s", k->what,
	                                                               line, k->path, msg)) == NULL)
		return SIGNET_ENOMEM;
	return 0;
}

/* A service must name its image, unless it extends another (whose image,
 * in a file the gate walks too, it then runs), or see imageless. */
static int services_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	struct compose_service s = {.k = k};
	size_t old = path_key(k, key);
	int rc;

	if (y->ev.type != YAML_MAPPING_START_EVENT) {
		if (!sn_yaml_is_null(y))
			rc = walk_err(k, line, "is not a mapping");
		else if ((rc = sn_yaml_skip(y)) == 0 && !k->cc->template_only)
			rc = imageless(k, line);
	} else if ((rc = sn_yaml_walk_mapping(y, service_value, &s)) == 0 && !s.has_image && !s.has_extends &&
	           !k->cc->template_only) {
		rc = imageless(k, line);
	}
	path_pop(k, old);
	return rc;
}

struct compose_top {
	struct walk *k;
	int has_services;
};

static int compose_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct compose_top *c = ctx;
	struct walk *k = c->k;
	size_t old;
	int rc;

	if (strcmp(key, "include") == 0)
		return walk_err(
		    k, line,
		    "include: services from other files are not seen by the gate; put them in this file");
	if (strcmp(key, "services") != 0)
		return sn_yaml_skip(y);
	c->has_services = 1;
	old = path_key(k, key);
	if (y->ev.type == YAML_MAPPING_START_EVENT)
		rc = sn_yaml_walk_mapping(y, services_value, k);
	else
		rc = walk_err(k, line, "is not a mapping");
	path_pop(k, old);
	return rc;
}

/* ---- Kubernetes objects --------------------------------------------- */

/* Kinds whose pod specs the walk below reads. */
static const char *const image_kinds[] = {
    "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
    "Job", "CronJob",    "PodTemplate", "List",
};
/* Kinds that name no image. */
static const char *const plain_kinds[] = {
    "ConfigMap",
    "Secret",
    "Service",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "Namespace",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "Ingress",
    "IngressClass",
    "NetworkPolicy",
    "StorageClass",
    "LimitRange",
    "ResourceQuota",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "Endpoints",
    "EndpointSlice",
    "PriorityClass",
};

static int kind_known(const char *kind)
{
	for (size_t i = 0; i < sizeof(image_kinds) / sizeof(image_kinds[0]); i++)
		if (strcmp(kind, image_kinds[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(plain_kinds) / sizeof(plain_kinds[0]); i++)
		if (strcmp(kind, plain_kinds[i]) == 0)
			return 1;
	return 0;
}

static int walk_spec(struct walk *k);
static int walk_objects(struct walk *k, size_t line);

struct container {
	struct walk *k;
	int has_image;
};

static int container_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct container *c = ctx;

	if (strcmp(key, "image") != 0)
		return sn_yaml_skip(y);
	c->has_image = 1;
	return key_site(c->k, key, line);
}

static int image_volume_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct container *c = ctx;

	if (strcmp(key, "reference") != 0)
		return sn_yaml_skip(y);
	c->has_image = 1;
	return key_site(c->k, key, line);
}

static int volume_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	struct container c = {.k = k};
	size_t old;
	int rc;

	if (strcmp(key, "image") != 0)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		rc = walk_err(k, line, "is not a mapping");
	else if ((rc = sn_yaml_walk_mapping(y, image_volume_value, &c)) == 0 && !c.has_image)
		rc = walk_err(k, line, "an image volume without a reference");
	path_pop(k, old);
	return rc;
}

/* containers[], initContainers[], ephemeralContainers[] or volumes[]. */
static int walk_list(struct walk *k, size_t line, int volumes)
{
	int rc;

	if (k->y.ev.type == YAML_SCALAR_EVENT && sn_yaml_is_null(&k->y))
		return 0;
	if (k->y.ev.type != YAML_SEQUENCE_START_EVENT)
		return walk_err(k, line, "is not a list");
	for (size_t i = 0;; i++) {
		struct container c = {.k = k};
		size_t old, item_line;

		if ((rc = sn_yaml_next(&k->y)) != 0)
			return rc;
		if (k->y.ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		old = path_index(k, i);
		item_line = sn_yaml_line(&k->y);
		if (k->y.ev.type != YAML_MAPPING_START_EVENT)
			rc = walk_err(k, item_line, "is not a mapping");
		else if (volumes)
			rc = sn_yaml_walk_mapping(&k->y, volume_value, k);
		else if ((rc = sn_yaml_walk_mapping(&k->y, container_value, &c)) == 0 && !c.has_image)
			rc = walk_err(k, item_line, "a container without an image");
		path_pop(k, old);
		if (rc != 0)
			return rc;
	}
}

/* template: / jobTemplate: {spec: ...} */
static int template_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	size_t old;
	int rc;

	(void)line;
	if (strcmp(key, "spec") != 0)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	rc = walk_spec(k);
	path_pop(k, old);
	return rc;
}

static int walk_template(struct walk *k)
{
	if (k->y.ev.type != YAML_MAPPING_START_EVENT)
		return sn_yaml_skip(&k->y);
	return sn_yaml_walk_mapping(&k->y, template_value, k);
}

/* A spec: a pod spec, or a workload spec holding a template (Deployment,
 * Job, ...) or a jobTemplate (CronJob). */
static int spec_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	size_t old;
	int rc;

	if (strcmp(key, "containers") == 0 || strcmp(key, "initContainers") == 0 ||
	    strcmp(key, "ephemeralContainers") == 0 || strcmp(key, "volumes") == 0) {
		old = path_key(k, key);
		rc = walk_list(k, line, strcmp(key, "volumes") == 0);
	} else if (strcmp(key, "template") == 0 || strcmp(key, "jobTemplate") == 0) {
		old = path_key(k, key);
		rc = walk_template(k);
	} else {
		return sn_yaml_skip(y);
	}
	path_pop(k, old);
	return rc;
}

static int walk_spec(struct walk *k)
{
	if (k->y.ev.type != YAML_MAPPING_START_EVENT)
		return sn_yaml_skip(&k->y);
	return sn_yaml_walk_mapping(&k->y, spec_value, k);
}

struct k8s_object {
	struct walk *k;
	char *kind;
};

static int object_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct k8s_object *o = ctx;
	struct walk *k = o->k;
	size_t old;
	int rc;

	if (strcmp(key, "kind") == 0) {
		if (y->ev.type != YAML_SCALAR_EVENT)
			return walk_err(k, line, "kind is not a string");
		return sn_yaml_dup_text(y, &o->kind, "kind");
	}
	if (strcmp(key, "spec") != 0 && strcmp(key, "template") != 0 && strcmp(key, "items") != 0)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	if (strcmp(key, "spec") == 0)
		rc = walk_spec(k);
	else if (strcmp(key, "template") == 0)
		rc = walk_template(k); /* PodTemplate */
	else
		rc = walk_objects(k, line); /* List */
	path_pop(k, old);
	return rc;
}

/* The current event starts a Kubernetes object. */
static int walk_object(struct walk *k)
{
	struct k8s_object o = {.k = k};
	size_t line = sn_yaml_line(&k->y);
	int rc;

	if (k->y.ev.type != YAML_MAPPING_START_EVENT)
		return walk_err(k, line, "is not a mapping (a Kubernetes object)");
	if ((rc = sn_yaml_walk_mapping(&k->y, object_value, &o)) != 0)
		goto out;
	if (o.kind == NULL)
		rc = walk_err(k, line, "has no kind");
	else if (!kind_known(o.kind))
		rc =
		    walk_err(k, line,
		             "kind \"%.100s\" is not one the gate knows: it might name images the gate would "
		             "not see",
		             o.kind);
out:
	free(o.kind);
	return rc;
}

/* A list of objects (play.resources, play.templates, List items). */
static int walk_objects(struct walk *k, size_t line)
{
	int rc;

	if (k->y.ev.type == YAML_SCALAR_EVENT && sn_yaml_is_null(&k->y))
		return 0;
	if (k->y.ev.type != YAML_SEQUENCE_START_EVENT)
		return walk_err(k, line, "is not a list");
	for (size_t i = 0;; i++) {
		size_t old;

		if ((rc = sn_yaml_next(&k->y)) != 0)
			return rc;
		if (k->y.ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		old = path_index(k, i);
		rc = walk_object(k);
		path_pop(k, old);
		if (rc != 0)
			return rc;
	}
}

/* Every document of a Kubernetes YAML text, as documents[N]. */
static int walk_documents(struct walk *k)
{
	int rc;

	for (size_t doc = 0; k->y.ev.type != YAML_STREAM_END_EVENT; doc++) {
		size_t old = path_key(k, "documents");

		(void)path_index(k, doc);
		if (k->y.ev.type == YAML_SCALAR_EVENT && sn_yaml_is_null(&k->y))
			rc = 0; /* an empty document */
		else
			rc = walk_object(k);
		path_pop(k, old);
		if (rc != 0 || (rc = sn_yaml_next(&k->y)) != 0 || /* document end */
		    (rc = sn_yaml_next(&k->y)) != 0)              /* document start or stream end */
			return rc;
		if (k->y.ev.type == YAML_DOCUMENT_START_EVENT && (rc = sn_yaml_next(&k->y)) != 0)
			return rc;
	}
	return 0;
}

/* ---- archives: base64, gzip, tar ------------------------------------ */

static int is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
	       c == '/' || c == '=';
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int gunzip(struct sn_buf *out, const unsigned char *in, size_t n, const char *what, struct sn_err *e)
{
	unsigned char chunk[GZ_CHUNK];
	z_stream zs;
	int zrc, rc = 0;

	memset(&zs, 0, sizeof(zs));
	sn_buf_init(out, SIGNET_MAX_POLICY_FILE_SIZE, "unpacked archive");
	if (n > UINT_MAX)
		return sn_seterr(e, SIGNET_ELIMIT, "%s: too large", what);
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return sn_enomem(e);
	zs.next_in = (unsigned char *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	for (;;) {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zrc = inflate(&zs, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END) {
			rc = zrc == Z_MEM_ERROR
			         ? sn_enomem(e)
			         : sn_seterr(e, SIGNET_EBADINPUT, "%s: not a valid gzip stream (%s)", what,
			                     zrc == Z_BUF_ERROR ? "truncated"
			                     : zs.msg != NULL   ? zs.msg
			                                        : "corrupt");
			goto out;
		}
		if (sizeof(chunk) - zs.avail_out > out->max - out->len) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "%s: unpacked, the archive is larger than the limit of %u bytes "
			               "(SIGNET_MAX_POLICY_FILE_SIZE)",
			               what, SIGNET_MAX_POLICY_FILE_SIZE);
			goto out;
		}
		if ((rc = sn_buf_append(out, chunk, sizeof(chunk) - zs.avail_out, e)) != 0)
			goto out;
		if (zrc == Z_STREAM_END)
			break;
	}
	if (zs.avail_in != 0)
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: %u bytes after the end of the gzip stream", what,
		               zs.avail_in);
out:
	inflateEnd(&zs);
	if (rc != 0)
		sn_buf_free(out);
	return rc;
}

static int gzip_buf(struct sn_buf *out, const unsigned char *in, size_t n, struct sn_err *e)
{
	z_stream zs;
	uLong bound;
	int rc = 0;

	memset(&zs, 0, sizeof(zs));
	sn_buf_init(out, SIGNET_MAX_POLICY_FILE_SIZE, "rewritten archive (SIGNET_MAX_POLICY_FILE_SIZE)");
	if (n > SIGNET_MAX_POLICY_FILE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "rewritten archive: larger than the limit of %u bytes "
		                 "(SIGNET_MAX_POLICY_FILE_SIZE)",
		                 SIGNET_MAX_POLICY_FILE_SIZE);
	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return sn_enomem(e);
	bound = deflateBound(&zs, (uLong)n);
	if ((out->data = malloc(bound + 1)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	out->cap = bound + 1;
	out->max = bound;
	zs.next_in = (unsigned char *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out->data;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		rc = sn_seterr(e, SIGNET_ENOMEM, "rewritten archive: gzip compression failed");
		goto out;
	}
	out->len = bound - zs.avail_out;
	out->data[out->len] = '\0';
out:
	deflateEnd(&zs);
	if (rc != 0)
		sn_buf_free(out);
	return rc;
}

/* An octal tar number field (leading spaces, trailing NULs or spaces). */
static int tar_num(const unsigned char *f, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (f[0] & 0x80)
		return -1; /* base-256: sizes signet never needs */
	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > (UINT64_MAX >> 3))
			return -1;
		v = v * 8 + (uint64_t)(f[i] - '0');
	}
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

static int tar_checksum_ok(const unsigned char *h)
{
	uint64_t want;
	unsigned long usum = 0;
	long ssum = 0;

	if (tar_num(h + 148, 8, &want) != 0)
		return 0;
	for (size_t i = 0; i < TAR_BLOCK; i++) {
		unsigned char c = i >= 148 && i < 156 ? ' ' : h[i];

		usum += c;
		ssum += (signed char)c;
	}
	return want == usum || (ssum >= 0 && want == (uint64_t)ssum);
}

static void tar_set_checksum(unsigned char *h)
{
	unsigned long sum = 0;

	memset(h + 148, ' ', 8);
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	(void)snprintf((char *)h + 148, 7, "%06lo", sum & 0777777ul);
	h[154] = '\0';
	h[155] = ' ';
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* A member name made safe and normal: not absolute, no "..", no NUL;
 * "." and empty components dropped ("./a//b/" -> "a/b"; "./" -> "").
 * *out is the caller's. */
static int tar_name(char **out, const char *raw, size_t n, const char *what, struct sn_err *e)
{
	char *s;
	size_t o = 0;

	if (n == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: a member with an empty name", what);
	if (raw[0] == '/')
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: member \"%.*s\" has an absolute path", what,
		                 (int)(n > 200 ? 200 : n), raw);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)raw[i] < 0x20 || raw[i] == 0x7f)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: a member name with control characters",
			                 what);
	if ((s = malloc(n + 1)) == NULL)
		return sn_enomem(e);
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && raw[j] != '/')
			j++;
		if (j - i == 2 && raw[i] == '.' && raw[i + 1] == '.') {
			free(s);
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: member \"%.*s\" has a \"..\" component (path traversal)", what,
			                 (int)(n > 200 ? 200 : n), raw);
		}
		if (j > i && !(j - i == 1 && raw[i] == '.')) {
			if (o != 0)
				s[o++] = '/';
			memcpy(s + o, raw + i, j - i);
			o += j - i;
		}
		i = j + 1;
	}
	s[o] = '\0';
	*out = s;
	return 0;
}

/* The members of a play archive that are gated: *.yml, *.yaml. */
static int play_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && strcmp(name + n - 4, ".yml") == 0) || (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

/* The records of a pax extended header: "LEN key=value\n"...  Returns the
 * path (caller frees; NULL if none) and whether it sets a size. */
static int pax_parse(char **path, int *has_size, const unsigned char *d, size_t n, const char *what,
                     struct sn_err *e)
{
	size_t off = 0;

	while (off < n) {
		uint64_t len = 0;
		size_t i = off, key, eq;

		while (i < n && d[i] >= '0' && d[i] <= '9' && len < n)
			len = len * 10 + (uint64_t)(d[i++] - '0');
		if (i == off || i >= n || d[i] != ' ' || len > n - off || len < (uint64_t)(i - off) + 3 ||
		    d[off + len - 1] != '\n')
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: a malformed pax extended header", what);
		key = i + 1;
		for (eq = key; eq < off + len - 1 && d[eq] != '='; eq++)
			;
		if (eq == off + len - 1 || eq == key)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: a malformed pax extended header", what);
		if (eq - key == 4 && memcmp(d + key, "path", 4) == 0) {
			free(*path);
			if ((*path = sn_strndup((const char *)d + eq + 1, off + len - 1 - (eq + 1), e)) ==
			    NULL)
				return SIGNET_ENOMEM;
			if (strlen(*path) != off + len - 1 - (eq + 1))
				return sn_seterr(e, SIGNET_EBADINPUT, "%s: a pax path with a NUL byte", what);
		} else if (eq - key == 4 && memcmp(d + key, "size", 4) == 0) {
			*has_size = 1;
		} else if (eq - key >= 10 && memcmp(d + key, "GNU.sparse", 10) == 0) {
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: a sparse file: not supported in a workload archive", what);
		}
		off += (size_t)len;
	}
	return 0;
}

/*
 * Reads the tar archive a->tar: ustar or GNU headers with valid checksums,
 * regular files and directories only (GNU long names and pax path records
 * understood), safe names, no duplicates, the end-of-archive marker
 * followed by zeros only.  Every member is recorded, and indexed by name.
 */
static int tar_parse(struct wl_archive *a, const char *what, struct sn_err *e)
{
	char *long_name = NULL, *name = NULL;
	size_t off = 0, cap = 0;
	int pax_size = 0, rc = 0;

	if (a->tar_len % TAR_BLOCK != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: not a tar archive (%zu bytes: not a multiple of 512)", what, a->tar_len);
		goto out;
	}
	for (;;) {
		const unsigned char *h = a->tar + off;
		struct wl_member *m;
		uint64_t size;
		size_t blocks;
		int posix, type;

		if (a->tar_len - off < TAR_BLOCK) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: the tar archive is truncated (no end-of-archive "
			               "marker)",
			               what);
			goto out;
		}
		if (all_zero(h, TAR_BLOCK)) {
			if (long_name != NULL || pax_size) {
				rc = sn_seterr(e, SIGNET_EBADINPUT,
				               "%s: an extended header without its member", what);
				goto out;
			}
			if (!all_zero(h, a->tar_len - off)) {
				rc = sn_seterr(e, SIGNET_EBADINPUT,
				               "%s: data after the end of the tar archive", what);
				goto out;
			}
			a->end = off;
			break;
		}
		posix = memcmp(h + 257,
		               "ustar\0"
		               "00",
		               8) == 0;
		if (!posix && memcmp(h + 257, "ustar  \0", 8) != 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: not a ustar or GNU tar archive (header at byte %zu)", what, off);
			goto out;
		}
		if (!tar_checksum_ok(h)) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: a tar header with a bad checksum (at byte %zu)", what, off);
			goto out;
		}
		if (tar_num(h + 124, 12, &size) != 0 || size > a->tar_len - off - TAR_BLOCK) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: a tar member whose size is invalid or past the end "
			               "(at byte %zu)",
			               what, off);
			goto out;
		}
		blocks = ((size_t)size + TAR_BLOCK - 1) / TAR_BLOCK;
		if (blocks * TAR_BLOCK > a->tar_len - off - TAR_BLOCK) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: the tar archive is truncated", what);
			goto out;
		}
		type = h[156];
		if (type == 'L' || type == 'x') {
			if (type == 'L') {
				size_t n = (size_t)size;

				while (n > 0 && h[TAR_BLOCK + n - 1] == '\0')
					n--;
				free(long_name);
				if ((long_name = sn_strndup((const char *)h + TAR_BLOCK, n, e)) == NULL) {
					rc = SIGNET_ENOMEM;
					goto out;
				}
				if (strlen(long_name) != n) {
					rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: a long name with a NUL byte",
					               what);
					goto out;
				}
			} else if ((rc = pax_parse(&long_name, &pax_size, h + TAR_BLOCK, (size_t)size, what,
			                           e)) != 0) {
				goto out;
			}
			off += TAR_BLOCK + blocks * TAR_BLOCK;
			continue;
		}
		if (long_name != NULL) {
			rc = tar_name(&name, long_name, strlen(long_name), what, e);
		} else {
			char full[256 + 2];
			size_t nl = strnlen((const char *)h, 100),
			       pl = posix ? strnlen((const char *)h + 345, 155) : 0;
			size_t fl = 0;

			if (pl != 0) {
				memcpy(full, h + 345, pl);
				full[pl] = '/';
				fl = pl + 1;
			}
			memcpy(full + fl, h, nl);
			fl += nl;
			rc = tar_name(&name, full, fl, what, e);
		}
		if (rc != 0)
			goto out;
		if (type != '0' && type != '\0' && type != '5') {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: member \"%.200s\" is %s: only regular files and "
			               "directories are allowed in a workload archive",
			               what, name,
			               type == '1'                  ? "a hard link"
			               : type == '2'                ? "a symbolic link"
			               : type == '3' || type == '4' ? "a device"
			               : type == '6'                ? "a FIFO"
			               : type == 'g'                ? "a pax global header"
			                                            : "of an unsupported type");
			goto out;
		}
		if (sn_keyset_find(&a->index, name) != NULL) {
			rc =
			    sn_seterr(e, SIGNET_EBADINPUT, "%s: member \"%.200s\" appears twice", what, name);
			goto out;
		}
		if (a->n_members == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 8;
			struct wl_member *nm = realloc(a->members, ncap * sizeof(*nm));

			if (nm == NULL) {
				rc = sn_enomem(e);
				goto out;
			}
			a->members = nm;
			cap = ncap;
		}
		if ((rc = sn_keyset_add(&a->index, name, a->n_members, e)) != 0)
			goto out;
		m = &a->members[a->n_members++];
		memset(m, 0, sizeof(*m));
		m->hdr = off;
		m->data = off + TAR_BLOCK;
		m->size = (size_t)size;
		m->name = name; /* the member owns it; the index borrows it */
		m->is_dir = type == '5';
		m->pax_size = pax_size;
		name = NULL;
		free(long_name);
		long_name = NULL;
		pax_size = 0;
		off += TAR_BLOCK + blocks * TAR_BLOCK;
	}
out:
	free(long_name);
	free(name);
	return rc;
}

static int walk_text(struct walk *k, enum text_kind kind);

/* Walks archive member i as a YAML text of kind (a compose file of the
 * project cc, or Kubernetes YAML); what names the archive. */
static int walk_member(struct walk *k, struct wl_archive *a, size_t i, enum text_kind kind,
                       struct compose_ctx *cc, const char *what)
{
	struct wl_member *m = &a->members[i];
	struct walk *sub;
	int rc;

	if (m->pax_size)
		return sn_seterr(
		    k->e, SIGNET_EBADINPUT,
		    "%s: member \"%.200s\" has its size in a pax header: signet cannot rewrite it", what,
		    m->name);
	m->gated = 1;
	if ((sub = calloc(1, sizeof(*sub))) == NULL)
		return sn_enomem(k->e);
	sub->w = k->w;
	sub->t = &m->text;
	sub->e = k->e;
	sub->cc = cc;
	memcpy(sub->path, k->path, k->plen + 1);
	sub->plen = k->plen;
	(void)path_append(sub, "[", 1);
	(void)path_append(sub, m->name, strlen(m->name));
	(void)path_append(sub, "]", 1);
	sub->what = sn_aprintf(k->e, "%s: %s", k->what, sub->path);
	if (sub->what == NULL)
		rc = SIGNET_ENOMEM;
	else if ((rc = text_init(&m->text, a->tar + m->data, m->size, sub->what, k->e)) == 0)
		rc = walk_text(sub, kind);
	free((char *)(uintptr_t)sub->what);
	free(sub);
	return rc;
}

/* play.archive: its *.yml and *.yaml members, in archive order. */
static int play_archive(struct walk *k, struct wl_archive *a, const char *what)
{
	int rc;

	for (size_t i = 0; i < a->n_members; i++)
		if (!a->members[i].is_dir && play_name(a->members[i].name) &&
		    (rc = walk_member(k, a, i, TEXT_K8S, NULL, what)) != 0)
			return rc;
	return 0;
}

/* The first file COMPOSE_FILE names sets the project directory; if a
 * .env is there too, compose versions differ on which .env they read. */
static int first_file_env(struct walk *k, const struct compose_ctx *cc, const struct sn_dotenv_var *cf,
                          const char *name)
{
	const char *slash = strrchr(name, '/');
	char *other;
	int found;

	if (slash == NULL)
		return 0;
	if ((other = sn_aprintf(k->e, "%.*s/.env", (int)(slash - name), name)) == NULL)
		return SIGNET_ENOMEM;
	found = sn_keyset_find(&cc->archive->index, other) != NULL;
	free(other);
	if (!found)
		return 0;
	return sn_seterr(k->e, SIGNET_EBADINPUT,
	                 "%s: %s: line %zu: COMPOSE_FILE names %s first, and its directory holds a .env too: "
	                 "docker compose versions differ on which .env they read",
	                 k->what, cc->env->name, cf->line, name);
}

/* The files compose reads first in a compose archive: those COMPOSE_FILE
 * in its .env names, or else every default file present at its root
 * (docs/gate.md: a superset of the ones compose picks). */
static int compose_files(struct walk *k, struct compose_ctx *cc, const char *what)
{
	struct wl_archive *a = cc->archive;
	const struct sn_dotenv_var *cf = sn_dotenv_get(cc->env, "COMPOSE_FILE");
	const char *const *lists[2] = {sn_compose_base_names, sn_compose_override_names};
	char **entries = NULL, *why = NULL;
	size_t n = 0, i = 0, found = 0;
	int rc;

	if ((rc = sn_compose_file_entries(&entries, &n, cc->env, k->e)) != 0) {
		(void)sn_errctx(k->e, "%s: ", k->what);
		return rc;
	}
	for (size_t j = 0; j < n && rc == 0; j++) {
		if ((rc = archive_file(&i, &why, a, "", entries[j], k->e)) == SIGNET_EBADINPUT)
			rc = sn_seterr(k->e, rc, "%s: %s: line %zu: COMPOSE_FILE: %s", k->what, cc->env->name,
			               cf->line, why);
		else if (rc == 0 && j == 0 && (rc = first_file_env(k, cc, cf, a->members[i].name)) != 0)
			break;
		else if (rc == 0)
			rc = compose_enqueue(cc, i, 0, what, k->e);
		free(why);
		why = NULL;
	}
	sn_compose_entries_free(entries);
	if (n != 0 || rc != 0)
		return rc;
	for (size_t l = 0; l < 2; l++) {
		for (size_t j = 0; j < 4; j++) {
			const struct sn_keyent *ent = sn_keyset_find(&a->index, lists[l][j]);

			if (ent == NULL)
				continue;
			if (a->members[ent->val].is_dir)
				return sn_seterr(
				    k->e, SIGNET_EBADINPUT,
				    "%s: %s is a directory: docker compose would pick it as a compose "
				    "file",
				    what, lists[l][j]);
			if ((rc = compose_enqueue(cc, ent->val, 0, what, k->e)) != 0)
				return rc;
			found += l == 0;
		}
		if (l == 0 && found == 0)
			return sn_seterr(
			    k->e, SIGNET_EBADINPUT,
			    "%s: holds no compose.yaml, compose.yml, docker-compose.yml or "
			    "docker-compose.yaml at its root (and no COMPOSE_FILE in a .env there)",
			    what);
	}
	return 0;
}

/* compose.archive: the .env at its root, then every compose file compose
 * reads (compose_files, and the files their services extend), each once. */
static int compose_archive(struct walk *k, struct wl_archive *a, const char *what)
{
	struct compose_ctx *cc;
	struct sn_dotenv env;
	const struct sn_keyent *ent;
	char *env_name = NULL;
	int rc = 0;

	sn_dotenv_init(&env);
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return sn_enomem(k->e);
	cc->env = &env;
	cc->archive = a;
	/* compose reads .env when it is there and not a directory */
	if ((ent = sn_keyset_find(&a->index, ".env")) != NULL && !a->members[ent->val].is_dir) {
		const struct wl_member *m = &a->members[ent->val];

		if (m->pax_size)
			rc = sn_seterr(
			    k->e, SIGNET_EBADINPUT,
			    "%s: member \".env\" has its size in a pax header: signet cannot read it", what);
		else if ((env_name = sn_aprintf(k->e, "%s[.env]", k->path)) == NULL)
			rc = SIGNET_ENOMEM;
		else if ((rc = sn_dotenv_parse(&env, a->tar + m->data, m->size, env_name, k->e)) != 0)
			(void)sn_errctx(k->e, "%s: ", k->what);
		if (rc != 0)
			goto out;
	}
	if ((rc = compose_files(k, cc, what)) != 0)
		goto out;
	for (size_t q = 0; q < cc->n_queue; q++) {
		const char *name = a->members[cc->queue[q]].name, *slash = strrchr(name, '/');

		free(cc->dir);
		if ((cc->dir = sn_strndup(name, slash != NULL ? (size_t)(slash - name) : 0, k->e)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		cc->template_only = cc->queue_tmpl[q];
		if ((rc = walk_member(k, a, cc->queue[q], TEXT_COMPOSE, cc, what)) != 0)
			goto out;
	}
	if (cc->n_queue == 1 && cc->imageless != NULL)
		rc = sn_seterr(k->e, SIGNET_EBADINPUT, "%s", cc->imageless);
out:
	free(cc->imageless);
	free(cc->dir);
	free(cc);
	free(env_name);
	sn_dotenv_free(&env);
	return rc;
}

/*
 * The current event is the value of an archive key (compose.archive or
 * play.archive): decodes it, reads the archive, walks its gated members,
 * and records the base64 characters as a span to re-create.
 */
static int walk_archive(struct walk *k, size_t line, enum archive_kind kind)
{
	const yaml_event_t *ev = &k->y.ev;
	struct wl_archive *a = NULL;
	struct sn_buf raw, tar;
	unsigned char *gz = NULL;
	size_t gzlen = 0, start, end, r0, r1, p0 = 0, p1 = 0, vlen, vn = 0;
	const unsigned char *value;
	char what[PATH_BUF + 64];
	int rc;

	sn_buf_init(&raw, SIGNET_MAX_POLICY_FILE_SIZE, "archive");
	memset(&tar, 0, sizeof(tar));
	if (ev->type != YAML_SCALAR_EVENT)
		return walk_err(k, line, "is not a string (base64 of a tar.gz)");
	line = sn_yaml_line(&k->y);
	(void)snprintf(what, sizeof(what), "%s: line %zu: %s", k->what, line, k->path);
	start = byte_at(k->t, ev->start_mark.index);
	end = byte_at(k->t, ev->end_mark.index);
	if (end > k->t->len || start > end)
		return walk_err(k, line, "cannot find the value in the file");
	r0 = start;
	r1 = end;
	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		if (end < start + 2)
			return walk_err(k, line, "cannot find the quotes of the value in the file");
		r0++;
		r1--;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		while (r0 < r1 && k->t->data[r0] != '\n')
			r0++;
		if (r0 == r1)
			return walk_err(k, line, "cannot find the block scalar's lines in the file");
		r0++;
		break;
	default: break;
	}
	/* The characters in the file must be the value's: base64 and white
	 * space only, the same base64 characters in the same order. */
	value = (const unsigned char *)sn_yaml_text(&k->y, &vlen);
	for (size_t i = r0; i < r1; i++) {
		unsigned char c = k->t->data[i];

		if (is_space(c))
			continue;
		if (!is_b64(c)) {
			rc = walk_err(k, line, "is not base64 (a tar.gz encoded with base64 -w0)");
			goto out;
		}
		if (raw.len == 0)
			p0 = i;
		p1 = i + 1;
		if ((rc = sn_buf_append(&raw, &c, 1, k->e)) != 0)
			goto out;
	}
	for (size_t i = 0; i < vlen; i++) {
		if (is_space(value[i]))
			continue;
		if (vn >= raw.len || value[i] != raw.data[vn]) {
			rc = walk_err(k, line, "is written with escape sequences: write the base64 as it is");
			goto out;
		}
		vn++;
	}
	if (vn != raw.len || raw.len == 0) {
		rc = walk_err(k, line, raw.len == 0 ? "is empty" : "cannot find the value in the file");
		goto out;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		rc = sn_enomem(k->e);
		goto out;
	}
	a->next = k->w->archives;
	k->w->archives = a;
	/* Line layout: the width of the first line and what follows it. */
	for (size_t i = p0; i < p1; i++) {
		if (is_space(k->t->data[i])) {
			size_t j = i;

			while (j < p1 && is_space(k->t->data[j]))
				j++;
			a->width = i - p0;
			a->sep_len = j - i;
			if ((a->sep = sn_strndup((const char *)k->t->data + i, j - i, k->e)) == NULL) {
				rc = SIGNET_ENOMEM;
				goto out;
			}
			break;
		}
	}
	if (sn_base64_decode(&gz, &gzlen, (const char *)raw.data, raw.len) != 0) {
		rc = walk_err(k, line, "is not valid base64 (standard alphabet, padded)");
		goto out;
	}
	if ((rc = gunzip(&tar, gz, gzlen, what, k->e)) != 0)
		goto out;
	a->tar = sn_buf_steal(&tar, &a->tar_len);
	if ((rc = tar_parse(a, what, k->e)) != 0 ||
	    (rc = kind == ARCHIVE_COMPOSE ? compose_archive(k, a, what) : play_archive(k, a, what)) != 0)
		goto out;
	rc = add_span(k->t, p0, p1, 0, a, k->e);
out:
	free(gz);
	sn_buf_free(&raw);
	sn_buf_free(&tar);
	return rc;
}

/* ---- HPCR workload sections and contracts --------------------------- */

static int compose_section_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	size_t old;
	int rc;

	if (strcmp(key, "archive") != 0)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	rc = walk_archive(k, line, ARCHIVE_COMPOSE);
	path_pop(k, old);
	return rc;
}

static int play_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	size_t old;
	int rc;

	if (strcmp(key, "resources") == 0 || strcmp(key, "templates") == 0) {
		old = path_key(k, key);
		rc = walk_objects(k, line);
	} else if (strcmp(key, "archive") == 0) {
		old = path_key(k, key);
		rc = walk_archive(k, line, ARCHIVE_PLAY);
	} else {
		return sn_yaml_skip(y);
	}
	path_pop(k, old);
	return rc;
}

static int hpcr_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	size_t old;
	int rc;

	if (strcmp(key, "compose") != 0 && strcmp(key, "play") != 0)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		rc = walk_err(k, line, "is not a mapping");
	else
		rc = sn_yaml_walk_mapping(y, strcmp(key, "compose") == 0 ? compose_section_value : play_value,
		                          k);
	path_pop(k, old);
	return rc;
}

static int contract_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct walk *k = ctx;
	size_t old;
	int rc;

	if (strcmp(key, "workload") != 0)
		return sn_yaml_skip(y);
	old = path_key(k, key);
	if (y->ev.type != YAML_MAPPING_START_EVENT)
		rc =
		    walk_err(k, line,
		             "is a string (YAML in a block literal, or encrypted): gate the workload section "
		             "on its own, written as a mapping, before it goes into the contract");
	else
		rc = sn_yaml_walk_mapping(y, hpcr_value, k);
	path_pop(k, old);
	return rc;
}

/* Walks a whole YAML text of the given kind. */
static int walk_text(struct walk *k, enum text_kind kind)
{
	struct compose_top ct = {.k = k};
	size_t line;
	int rc;

	if ((rc = sn_yaml_open(&k->y, k->t->data, k->t->len, k->what, 0, 0, k->e)) != 0)
		goto out;
	line = sn_yaml_line(&k->y);
	if (kind == TEXT_K8S) {
		rc = walk_documents(k);
		goto out;
	}
	if (k->y.ev.type != YAML_MAPPING_START_EVENT) {
		rc = sn_seterr(k->e, SIGNET_EBADINPUT, "%s: line %zu: %s", k->what, line,
		               kind == TEXT_COMPOSE ? "not a compose file: the top level is not a mapping"
		                                    : "the top level is not a mapping");
		goto out;
	}
	switch (kind) {
	case TEXT_COMPOSE: rc = sn_yaml_walk_mapping(&k->y, compose_value, &ct); break;
	case TEXT_HPCR: rc = sn_yaml_walk_mapping(&k->y, hpcr_value, k); break;
	default: rc = sn_yaml_walk_mapping(&k->y, contract_value, k); break;
	}
	if (rc == 0 && kind == TEXT_COMPOSE && !ct.has_services && k->cc->archive == NULL)
		rc = sn_seterr(k->e, SIGNET_EBADINPUT, "%s: not a compose file: no services", k->what);
	if (rc == 0)
		rc = sn_yaml_finish(&k->y);
out:
	sn_yaml_close(&k->y);
	return rc;
}

/* ---- detection ------------------------------------------------------ */

struct survey {
	int services, kind, api_version, compose, play, type_workload, workload, signature;
};

static int survey_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct survey *s = ctx;

	(void)line;
	if (strcmp(key, "services") == 0)
		s->services = 1;
	else if (strcmp(key, "kind") == 0)
		s->kind = 1;
	else if (strcmp(key, "apiVersion") == 0)
		s->api_version = 1;
	else if (strcmp(key, "compose") == 0)
		s->compose = 1;
	else if (strcmp(key, "play") == 0)
		s->play = 1;
	else if (strcmp(key, "workload") == 0)
		s->workload = 1;
	else if (strcmp(key, "envWorkloadSignature") == 0)
		s->signature = 1;
	else if (strcmp(key, "type") == 0 && y->ev.type == YAML_SCALAR_EVENT && sn_yaml_is(y, "workload"))
		s->type_workload = 1;
	return sn_yaml_skip(y);
}

/* Which kind of workload data is, from the top-level keys of its first
 * non-empty document. */
static int detect(enum sn_workload_kind *kind, struct survey *s, const struct wl_text *t, const char *what,
                  struct sn_err *e)
{
	struct sn_yaml y;
	int rc;

	if ((rc = sn_yaml_open(&y, t->data, t->len, what, 0, 0, e)) != 0)
		goto out;
	/* Empty documents before the first object (a file starting "---\n---") */
	while (y.ev.type == YAML_SCALAR_EVENT && sn_yaml_is_null(&y)) {
		if ((rc = sn_yaml_next(&y)) != 0 || (rc = sn_yaml_next(&y)) != 0)
			goto out;
		if (y.ev.type == YAML_DOCUMENT_START_EVENT && (rc = sn_yaml_next(&y)) != 0)
			goto out;
	}
	if (y.ev.type == YAML_STREAM_END_EVENT) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: empty: not a workload", what);
		goto out;
	}
	if (y.ev.type != YAML_MAPPING_START_EVENT) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: line %zu: not a workload: the top level is not a mapping", what,
		               sn_yaml_line(&y));
		goto out;
	}
	if ((rc = sn_yaml_walk_mapping(&y, survey_value, s)) != 0)
		goto out;
	if (s->services && !s->kind)
		*kind = SN_WORKLOAD_COMPOSE;
	else if (s->kind || s->api_version)
		*kind = SN_WORKLOAD_KUBERNETES;
	else if (s->compose || s->play || s->type_workload)
		*kind = SN_WORKLOAD_HPCR;
	else if (s->workload)
		*kind = SN_WORKLOAD_CONTRACT;
	else
		rc = sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: not a workload signet knows: not a docker compose file (no services), "
		    "Kubernetes YAML (no kind), an HPCR workload section (no compose or play) or an "
		    "HPCR contract (no workload)",
		    what);
out:
	sn_yaml_close(&y);
	return rc;
}

/* ---- the API -------------------------------------------------------- */

/* sn_workload_parse; path (or NULL) is where a compose file's project
 * (its directory) is. */
static int workload_parse(struct sn_workload **out, const void *data, size_t len, const char *what,
                          const char *path, struct sn_err *e)
{
	struct sn_workload *w;
	struct survey s = {0};
	struct walk *k = NULL;
	struct compose_ctx *cc = NULL;
	struct sn_dotenv env;
	int rc;

	sn_dotenv_init(&env);

	if (out == NULL || (data == NULL && len != 0) || what == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "sn_workload_parse: NULL argument");
	if (len > SIGNET_MAX_POLICY_FILE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s: larger than the limit of %u bytes (SIGNET_MAX_POLICY_FILE_SIZE)", what,
		                 SIGNET_MAX_POLICY_FILE_SIZE);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return sn_enomem(e);
	if ((rc = text_init(&w->root, data, len, what, e)) != 0 ||
	    (rc = detect(&w->kind, &s, &w->root, what, e)) != 0)
		goto out;
	if (w->kind == SN_WORKLOAD_CONTRACT && s.signature) {
		rc = sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: the contract carries an envWorkloadSignature, which rewriting its workload "
		    "would invalidate: gate the workload section before signing the contract",
		    what);
		goto out;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	k->w = w;
	k->t = &w->root;
	k->what = what;
	k->e = e;
	if (w->kind == SN_WORKLOAD_COMPOSE) {
		/* A compose file on its own: its project is its directory. */
		if (path != NULL && (rc = sn_compose_dir_load(&env, path, e)) != 0) {
			(void)sn_errctx(e, "%s: ", path);
			goto out;
		}
		if ((cc = calloc(1, sizeof(*cc))) == NULL) {
			rc = sn_enomem(e);
			goto out;
		}
		cc->env = &env;
		k->cc = cc;
	}
	rc = walk_text(k, w->kind == SN_WORKLOAD_COMPOSE      ? TEXT_COMPOSE
	                  : w->kind == SN_WORKLOAD_KUBERNETES ? TEXT_K8S
	                  : w->kind == SN_WORKLOAD_HPCR       ? TEXT_HPCR
	                                                      : TEXT_CONTRACT);
	if (rc == 0 && w->n_sites == 0)
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: a %s that names no image: nothing to gate", what,
		               sn_workload_kind_name(w->kind));
out:
	free(cc);
	free(k);
	sn_dotenv_free(&env);
	if (rc != 0) {
		sn_workload_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int sn_workload_parse(struct sn_workload **out, const void *data, size_t len, const char *what,
                      struct sn_err *e)
{
	return workload_parse(out, data, len, what, NULL, e);
}

int sn_workload_parse_path(struct sn_workload **out, const void *data, size_t len, const char *path,
                           struct sn_err *e)
{
	if (path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "sn_workload_parse_path: NULL argument");
	return workload_parse(out, data, len, path, path, e);
}

void sn_workload_free(struct sn_workload *w)
{
	struct wl_archive *a, *next;

	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n_sites; i++) {
		free(w->sites[i].where);
		free(w->sites[i].image);
		free(w->sites[i].written);
		free(w->sites[i].replacement);
	}
	free(w->sites);
	free(w->quoted);
	text_free(&w->root);
	for (a = w->archives; a != NULL; a = next) {
		next = a->next;
		for (size_t i = 0; i < a->n_members; i++) {
			text_free(&a->members[i].text);
			free(a->members[i].name);
		}
		sn_keyset_free(&a->index);
		free(a->members);
		free(a->tar);
		free(a->sep);
		free(a);
	}
	free(w);
}

enum sn_workload_kind sn_workload_kind(const struct sn_workload *w)
{
	return w->kind;
}

const char *sn_workload_kind_name(enum sn_workload_kind kind)
{
	switch (kind) {
	case SN_WORKLOAD_COMPOSE: return "docker compose file";
	case SN_WORKLOAD_KUBERNETES: return "Kubernetes YAML";
	case SN_WORKLOAD_HPCR: return "HPCR workload section";
	default: return "HPCR contract";
	}
}

size_t sn_workload_count(const struct sn_workload *w)
{
	return w->n_sites;
}

const struct sn_image_site *sn_workload_site(const struct sn_workload *w, size_t i)
{
	return i < w->n_sites ? &w->sites[i] : NULL;
}

int sn_workload_replace(struct sn_workload *w, size_t i, const char *text, struct sn_err *e)
{
	char *copy;

	if (w == NULL || text == NULL || i >= w->n_sites)
		return sn_seterr(e, SIGNET_EINVAL, "sn_workload_replace: invalid argument");
	if (text[0] == '\0')
		return sn_seterr(e, SIGNET_EINVAL, "%s: an empty replacement", w->sites[i].where);
	for (const char *p = text; *p != '\0'; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		         c == '.' || c == '_' || c == ':' || c == '/' || c == '@' || c == '-' ||
		         (w->quoted[i] && (c == '[' || c == ']'));

		if (!ok || (p == text && !w->quoted[i] &&
		            !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))))
			return sn_seterr(e, SIGNET_EINVAL,
			                 "%s: \"%.200s\" cannot be written there without quoting or escaping",
			                 w->sites[i].where, text);
	}
	if ((copy = sn_strdup(text, e)) == NULL)
		return SIGNET_ENOMEM;
	free(w->sites[i].replacement);
	w->sites[i].replacement = copy;
	return 0;
}

static int text_changed(const struct sn_workload *w, const struct wl_text *t);

static int archive_changed(const struct sn_workload *w, const struct wl_archive *a)
{
	for (size_t i = 0; i < a->n_members; i++)
		if (text_changed(w, &a->members[i].text))
			return 1;
	return 0;
}

/* Does rendering t change any of its bytes?  (A replacement is compared
 * with the bytes written, not with the image: an interpolated value is
 * replaced even by the reference it resolved to.) */
static int text_changed(const struct sn_workload *w, const struct wl_text *t)
{
	for (size_t i = 0; i < t->n_spans; i++) {
		const struct wl_span *s = &t->spans[i];
		const char *r = s->archive == NULL ? w->sites[s->site].replacement : NULL;

		if (s->archive != NULL ? archive_changed(w, s->archive)
		                       : r != NULL && (strlen(r) != s->end - s->start ||
		                                       memcmp(r, t->data + s->start, s->end - s->start) != 0))
			return 1;
	}
	return 0;
}

static int render_text(struct sn_buf *out, const struct sn_workload *w, const struct wl_text *t,
                       struct sn_err *e);

/* The archive re-created, gzipped and base64-encoded in its layout. */
static int render_archive(struct sn_buf *out, const struct sn_workload *w, const struct wl_archive *a,
                          struct sn_err *e)
{
	static const unsigned char zeros[TAR_BLOCK];
	struct sn_buf tar, data, gz;
	size_t pos = 0, enc_len;
	char *enc = NULL;
	int rc = 0;

	sn_buf_init(&tar, SIGNET_MAX_POLICY_FILE_SIZE, "rewritten archive (SIGNET_MAX_POLICY_FILE_SIZE)");
	memset(&data, 0, sizeof(data));
	memset(&gz, 0, sizeof(gz));
	for (size_t i = 0; i < a->n_members; i++) {
		const struct wl_member *m = &a->members[i];
		unsigned char h[TAR_BLOCK];
		size_t pad;

		if (!m->gated)
			continue; /* copied with the bytes around it */
		if ((rc = render_text(&data, w, &m->text, e)) != 0)
			goto out;
		memcpy(h, a->tar + m->hdr, TAR_BLOCK);
		(void)snprintf((char *)h + 124, 12, "%011zo", data.len);
		tar_set_checksum(h);
		pad = (TAR_BLOCK - data.len % TAR_BLOCK) % TAR_BLOCK;
		if ((rc = sn_buf_append(&tar, a->tar + pos, m->hdr - pos, e)) != 0 ||
		    (rc = sn_buf_append(&tar, h, TAR_BLOCK, e)) != 0 ||
		    (rc = sn_buf_append(&tar, data.data, data.len, e)) != 0 ||
		    (rc = sn_buf_append(&tar, zeros, pad, e)) != 0)
			goto out;
		pos = m->data + ((m->size + TAR_BLOCK - 1) / TAR_BLOCK) * TAR_BLOCK;
		sn_buf_free(&data);
	}
	if ((rc = sn_buf_append(&tar, a->tar + pos, a->end - pos, e)) != 0)
		goto out;
	/* The end: two zero blocks, padded to GNU tar's record size if the
	 * original was; otherwise the original's zeros as they were. */
	if (a->tar_len % TAR_RECORD == 0) {
		size_t total = ((tar.len + 2 * TAR_BLOCK + TAR_RECORD - 1) / TAR_RECORD) * TAR_RECORD;

		while (rc == 0 && tar.len < total)
			rc = sn_buf_append(&tar, zeros, TAR_BLOCK, e);
	} else {
		for (size_t n = a->tar_len - a->end; rc == 0 && n > 0; n -= TAR_BLOCK)
			rc = sn_buf_append(&tar, zeros, TAR_BLOCK, e);
	}
	if (rc != 0 || (rc = gzip_buf(&gz, tar.data, tar.len, e)) != 0)
		goto out;
	if (gz.len > (size_t)INT_MAX / 2 || (enc = malloc(4 * ((gz.len + 2) / 3) + 1)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	enc_len = (size_t)EVP_EncodeBlock((unsigned char *)enc, gz.data, (int)gz.len);
	if (a->width == 0) {
		rc = sn_buf_append(out, enc, enc_len, e);
	} else {
		for (size_t off = 0; rc == 0 && off < enc_len; off += a->width) {
			size_t n = enc_len - off < a->width ? enc_len - off : a->width;

			if (off != 0)
				rc = sn_buf_append(out, a->sep, a->sep_len, e);
			if (rc == 0)
				rc = sn_buf_append(out, enc + off, n, e);
		}
	}
out:
	free(enc);
	sn_buf_free(&tar);
	sn_buf_free(&data);
	sn_buf_free(&gz);
	return rc;
}

static int render_text(struct sn_buf *out, const struct sn_workload *w, const struct wl_text *t,
                       struct sn_err *e)
{
	size_t pos = 0;
	int rc;

	sn_buf_init(out, SIGNET_MAX_POLICY_FILE_SIZE, "rewritten workload (SIGNET_MAX_POLICY_FILE_SIZE)");
	for (size_t i = 0; i < t->n_spans; i++) {
		const struct wl_span *s = &t->spans[i];
		const char *r;

		if ((rc = sn_buf_append(out, t->data + pos, s->start - pos, e)) != 0)
			goto fail;
		if (s->archive != NULL && archive_changed(w, s->archive))
			rc = render_archive(out, w, s->archive, e);
		else if (s->archive == NULL && (r = w->sites[s->site].replacement) != NULL)
			rc = sn_buf_append_str(out, r, e);
		else
			rc = sn_buf_append(out, t->data + s->start, s->end - s->start, e);
		if (rc != 0)
			goto fail;
		pos = s->end;
	}
	if ((rc = sn_buf_append(out, t->data + pos, t->len - pos, e)) != 0)
		goto fail;
	return 0;
fail:
	sn_buf_free(out);
	return rc;
}

int sn_workload_render(struct sn_buf *out, const struct sn_workload *w, struct sn_err *e)
{
	if (out == NULL || w == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "sn_workload_render: NULL argument");
	return render_text(out, w, &w->root, e);
}
