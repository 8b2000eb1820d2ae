/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/registries_d.c: containers-registries.d(5), where lookaside
 * signatures are read and written (SPEC §3.6).
 *
 * The rules follow containers/image (docker/registries_d.go, yaml.v3):
 *  - every name ending in ".yaml" in the directory, merged; default-docker
 *    in at most one file, each docker scope in at most one file;
 *  - unknown keys are ignored (yaml.Unmarshal without KnownFields);
 *  - a null value (`key:`, `~`, `null`) is the same as an absent key, except
 *    that a docker scope with a null value still counts as defined;
 *  - an empty string is "not set" and lets the next scope supply the field;
 *  - use-sigstore-attachments takes what yaml.v3 puts into a Go bool: plain
 *    true/false (three spellings each) and, in any style, the YAML 1.1
 *    y/yes/on/n/no/off forms.
 * Field-by-field fall-through (sn_registries_d_resolve) is what the code
 * does (signatureTopLevel, useSigstoreAttachments) and what skopeo 1.9.3
 * was seen doing; containers-registries.d(5) says instead that only the
 * most precise scope is used.  The code wins.
 * Stricter than containers/image, on purpose: aliases are refused outright
 * (no billion laughs), explicit tags, merge keys and a second document are
 * refused, duplicate keys are refused in every mapping (yaml.v3 misses them
 * in ignored subtrees), URLs are checked when loading (http, https and
 * file:/// are the schemes containers/image can read).
 *
 * libyaml is used through its event parser; the document is never built
 * as a tree, so memory stays proportional to what is kept.
 */
#include "registry/registries_d.h"

#include "base/yaml_strict.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#define WHAT_FILE "registries.d file"

/* One section: a docker scope or default-docker. */
struct regd_ns {
	char *scope;      /* NULL for default-docker */
	const char *file; /* borrowed from sn_registries_d.files */
	char *lookaside;
	char *lookaside_staging;
	char *sigstore;
	char *sigstore_staging;
	int use_attachments; /* -1 unset */
};

struct sn_registries_d {
	struct regd_ns *scopes;
	size_t n_scopes, cap_scopes;
	struct sn_keyset scope_index; /* scope -> index in scopes */
	struct regd_ns *default_docker;
	char **files;
	size_t n_files, cap_files;
};

/* ---- the object ----------------------------------------------------- */

static void ns_free(struct regd_ns *ns)
{
	free(ns->scope);
	free(ns->lookaside);
	free(ns->lookaside_staging);
	free(ns->sigstore);
	free(ns->sigstore_staging);
}

void sn_registries_d_free(struct sn_registries_d *rd)
{
	if (rd == NULL)
		return;
	for (size_t i = 0; i < rd->n_scopes; i++)
		ns_free(&rd->scopes[i]);
	free(rd->scopes);
	sn_keyset_free(&rd->scope_index);
	if (rd->default_docker != NULL) {
		ns_free(rd->default_docker);
		free(rd->default_docker);
	}
	for (size_t i = 0; i < rd->n_files; i++)
		free(rd->files[i]);
	free(rd->files);
	free(rd);
}

void sn_lookaside_config_clear(struct sn_lookaside_config *c)
{
	if (c == NULL)
		return;
	free(c->lookaside);
	free(c->lookaside_staging);
	c->lookaside = NULL;
	c->lookaside_staging = NULL;
	c->use_sigstore_attachments = -1;
}

/* ---- URLs ----------------------------------------------------------- */

/* URLs are checked with sn_lookaside_base_problem (registry/lookaside.c). */

/* ---- YAML (yaml_strict.c reads it) ---------------------------------- */

/* ---- sections ------------------------------------------------------- */

/* "docker scope \"X\"" or "default-docker", for messages. */
static const char *ns_name(const struct regd_ns *ns, char *buf, size_t n)
{
	if (ns->scope == NULL)
		return "default-docker";
	(void)snprintf(buf, n, "docker scope \"%.200s\"", ns->scope);
	return buf;
}

static int ns_string(struct sn_yaml *p, struct regd_ns *ns, const char *key, char **field)
{
	char where[256];
	char *s = NULL;
	int rc;

	if (p->ev.type != YAML_SCALAR_EVENT)
		return sn_seterr(p->e, SIGNET_EBADINPUT, "%s: line %zu: %s: %s must be a string", p->what,
		                 sn_yaml_line(p), ns_name(ns, where, sizeof(where)), key);
	if (sn_yaml_is_null(p))
		return 0;
	if ((rc = sn_yaml_dup_text(p, &s, key)) != 0)
		return rc;
	if (*s == '\0') { /* "" is "not set", as in containers/image */
		free(s);
		return 0;
	}
	*field = s;
	return 0;
}

static int ns_bool(struct sn_yaml *p, struct regd_ns *ns, const char *key, int *field)
{
	/* What yaml.v3 stores into a Go bool: the core schema booleans
	 * when plain, and the YAML 1.1 forms in any style (so "yes" quoted
	 * is true, "true" quoted is an error, as in containers/image). */
	static const char *const yes11[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
	static const char *const no11[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
	char where[256];

	if (p->ev.type == YAML_SCALAR_EVENT) {
		if (sn_yaml_is_null(p))
			return 0;
		if (sn_yaml_plain(p) &&
		    (sn_yaml_is(p, "true") || sn_yaml_is(p, "True") || sn_yaml_is(p, "TRUE"))) {
			*field = 1;
			return 0;
		}
		if (sn_yaml_plain(p) &&
		    (sn_yaml_is(p, "false") || sn_yaml_is(p, "False") || sn_yaml_is(p, "FALSE"))) {
			*field = 0;
			return 0;
		}
		for (size_t i = 0; i < sizeof(yes11) / sizeof(yes11[0]); i++) {
			if (sn_yaml_is(p, yes11[i])) {
				*field = 1;
				return 0;
			}
			if (sn_yaml_is(p, no11[i])) {
				*field = 0;
				return 0;
			}
		}
	}
	return sn_seterr(p->e, SIGNET_EBADINPUT, "%s: line %zu: %s: %s must be true or false", p->what,
	                 sn_yaml_line(p), ns_name(ns, where, sizeof(where)), key);
}

static int ns_value(struct sn_yaml *p, const char *key, size_t key_line, void *ctx)
{
	struct regd_ns *ns = ctx;

	(void)key_line;
	if (strcmp(key, "lookaside") == 0)
		return ns_string(p, ns, key, &ns->lookaside);
	if (strcmp(key, "lookaside-staging") == 0)
		return ns_string(p, ns, key, &ns->lookaside_staging);
	if (strcmp(key, "sigstore") == 0)
		return ns_string(p, ns, key, &ns->sigstore);
	if (strcmp(key, "sigstore-staging") == 0)
		return ns_string(p, ns, key, &ns->sigstore_staging);
	if (strcmp(key, "use-sigstore-attachments") == 0)
		return ns_bool(p, ns, key, &ns->use_attachments);
	return sn_yaml_skip(p); /* unknown: ignored, as containers/image does */
}

static int ns_check_urls(struct sn_yaml *p, const struct regd_ns *ns, size_t line)
{
	const struct {
		const char *key;
		const char *url;
	} f[] = {
	    {"lookaside", ns->lookaside},
	    {"lookaside-staging", ns->lookaside_staging},
	    {"sigstore", ns->sigstore},
	    {"sigstore-staging", ns->sigstore_staging},
	};
	char where[256];
	const char *why;

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].url != NULL && (why = sn_lookaside_base_problem(f[i].url)) != NULL)
			return sn_seterr(p->e, SIGNET_EBADINPUT, "%s: line %zu: %s: %s \"%.300s\": %s",
			                 p->what, line, ns_name(ns, where, sizeof(where)), f[i].key, f[i].url,
			                 why);
	return 0;
}

/* Parses a section's value (the current event) into ns: null leaves it
 * empty, a mapping fills it. */
static int ns_parse(struct sn_yaml *p, struct regd_ns *ns)
{
	size_t line = sn_yaml_line(p);
	char where[256];
	int rc;

	ns->use_attachments = -1;
	ns->file = p->what;
	if (sn_yaml_is_null(p))
		return 0;
	if (p->ev.type != YAML_MAPPING_START_EVENT)
		return sn_seterr(p->e, SIGNET_EBADINPUT, "%s: line %zu: %s must be a mapping", p->what, line,
		                 ns_name(ns, where, sizeof(where)));
	if ((rc = sn_yaml_walk_mapping(p, ns_value, ns)) != 0)
		return rc;
	return ns_check_urls(p, ns, line);
}

static int docker_value(struct sn_yaml *p, const char *scope, size_t key_line, void *ctx)
{
	struct sn_registries_d *rd = ctx;
	struct regd_ns ns = {0};
	struct sn_keyent *prev;
	int rc;

	(void)key_line;
	/* Same scope twice in this file is a duplicate key (walk_mapping);
	 * here it can only come from an earlier file. */
	if ((prev = sn_keyset_find(&rd->scope_index, scope)) != NULL)
		return sn_seterr(p->e, SIGNET_EBADINPUT,
		                 "%s: line %zu: docker scope \"%.200s\" defined both in %s and %s", p->what,
		                 sn_yaml_line(p), scope, rd->scopes[prev->val].file, p->what);
	if ((ns.scope = sn_strdup(scope, p->e)) == NULL)
		return SIGNET_ENOMEM;
	if ((rc = ns_parse(p, &ns)) != 0)
		goto fail;
	if (rd->n_scopes == rd->cap_scopes) {
		size_t ncap = rd->cap_scopes == 0 ? 16 : rd->cap_scopes * 2;
		struct regd_ns *nv;

		if (ncap > SIZE_MAX / sizeof(*nv) || (nv = realloc(rd->scopes, ncap * sizeof(*nv))) == NULL) {
			rc = sn_enomem(p->e);
			goto fail;
		}
		rd->scopes = nv;
		rd->cap_scopes = ncap;
	}
	/* The index borrows the scope string, which never moves. */
	if ((rc = sn_keyset_add(&rd->scope_index, ns.scope, rd->n_scopes, p->e)) != 0)
		goto fail;
	rd->scopes[rd->n_scopes++] = ns;
	return 0;
fail:
	ns_free(&ns);
	return rc;
}

static int top_value(struct sn_yaml *p, const char *key, size_t key_line, void *ctx)
{
	struct sn_registries_d *rd = ctx;
	struct regd_ns *ns;
	int rc;

	(void)key_line;
	if (strcmp(key, "default-docker") == 0) {
		if (sn_yaml_is_null(p)) /* a nil pointer in containers/image: not defined */
			return 0;
		if (rd->default_docker != NULL)
			return sn_seterr(p->e, SIGNET_EBADINPUT,
			                 "%s: line %zu: \"default-docker\" defined both in %s and %s",
			                 p->what, sn_yaml_line(p), rd->default_docker->file, p->what);
		if ((ns = calloc(1, sizeof(*ns))) == NULL)
			return sn_enomem(p->e);
		if ((rc = ns_parse(p, ns)) != 0) {
			ns_free(ns);
			free(ns);
			return rc;
		}
		rd->default_docker = ns;
		return 0;
	}
	if (strcmp(key, "docker") == 0) {
		if (sn_yaml_is_null(p))
			return 0;
		if (p->ev.type != YAML_MAPPING_START_EVENT)
			return sn_seterr(p->e, SIGNET_EBADINPUT,
			                 "%s: line %zu: \"docker\" must be a mapping of scopes", p->what,
			                 sn_yaml_line(p));
		return sn_yaml_walk_mapping(p, docker_value, rd);
	}
	return sn_yaml_skip(p); /* unknown: ignored, as containers/image does */
}

static int parse_file(struct sn_registries_d *rd, const char *file, const unsigned char *data, size_t len,
                      struct sn_err *e)
{
	struct sn_yaml y;
	int rc;

	if ((rc = sn_yaml_open(&y, data, len, file, 0, 0, e)) != 0)
		goto out;
	if (y.ev.type == YAML_STREAM_END_EVENT) /* no document at all */
		goto out;
	if (y.ev.type == YAML_MAPPING_START_EVENT) {
		rc = sn_yaml_walk_mapping(&y, top_value, rd);
	} else if (!sn_yaml_is_null(&y)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: line %zu: the top level must be a mapping", file,
		               sn_yaml_line(&y));
	}
	if (rc == 0)
		rc = sn_yaml_finish(&y);
out:
	sn_yaml_close(&y);
	return rc;
}


/* ---- loading -------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_yaml_suffix(const char *name)
{
	size_t n = strlen(name);

	return n >= 5 && memcmp(name + n - 5, ".yaml", 5) == 0;
}

/* Lists the *.yaml names of d, sorted. */
static int list_yaml(char ***out, size_t *count, DIR *d, const char *dir, struct sn_err *e)
{
	char **names = NULL, **nv;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int rc = 0;

	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0)
				rc = sn_seterr(e, SIGNET_EIO, "registries.d directory %s: %s", dir,
				               strerror(errno));
			break;
		}
		if (!has_yaml_suffix(de->d_name))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if (cap > SIZE_MAX / sizeof(*names) ||
			    (nv = realloc(names, cap * sizeof(*names))) == NULL) {
				rc = sn_enomem(e);
				break;
			}
			names = nv;
		}
		if ((names[n] = sn_strdup(de->d_name, e)) == NULL) {
			rc = SIGNET_ENOMEM;
			break;
		}
		n++;
	}
	if (rc != 0) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return rc;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	*count = n;
	return 0;
}

static int add_file(struct sn_registries_d *rd, char *path, struct sn_err *e)
{
	if (rd->n_files == rd->cap_files) {
		size_t ncap = rd->cap_files == 0 ? 8 : rd->cap_files * 2;
		char **nv;

		if (ncap > SIZE_MAX / sizeof(*nv) || (nv = realloc(rd->files, ncap * sizeof(*nv))) == NULL)
			return sn_enomem(e);
		rd->files = nv;
		rd->cap_files = ncap;
	}
	rd->files[rd->n_files++] = path;
	return 0;
}

int sn_registries_d_load(struct sn_registries_d **out, const char *dir, struct sn_err *e)
{
	struct sn_registries_d *rd = NULL;
	char **names = NULL;
	size_t n_names = 0;
	DIR *d = NULL;
	int fd, rc;

	if (out == NULL || dir == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "registries.d: no directory given");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return sn_seterr(e, SIGNET_ENOTFOUND, "registries.d directory %s: does not exist",
			                 dir);
		return sn_seterr(e, SIGNET_EIO, "registries.d directory %s: %s", dir, strerror(errno));
	}
	if ((d = fdopendir(fd)) == NULL) {
		rc = sn_seterr(e, SIGNET_EIO, "registries.d directory %s: %s", dir, strerror(errno));
		close(fd);
		return rc;
	}
	if ((rc = list_yaml(&names, &n_names, d, dir, e)) != 0)
		goto out;
	if ((rd = calloc(1, sizeof(*rd))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	for (size_t i = 0; i < n_names; i++) {
		size_t dl = strlen(dir);
		struct sn_buf buf;
		struct stat st;
		char *path;

		/* Regular files only (symbolic links followed, as
		 * containers/image reads through them); a name that
		 * vanished since the listing is skipped, as there. */
		if (fstatat(dirfd(d), names[i], &st, 0) != 0) {
			if (errno == ENOENT)
				continue;
			rc = sn_seterr(e, SIGNET_EIO, WHAT_FILE " %s/%s: %s", dir, names[i], strerror(errno));
			goto out;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		path = sn_aprintf(e, "%s%s%s", dir, dl > 0 && dir[dl - 1] == '/' ? "" : "/", names[i]);
		if (path == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		if ((rc = add_file(rd, path, e)) != 0) {
			free(path);
			goto out;
		}
		rc = sn_file_read(&buf, path, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_FILE, 0, e);
		if (rc == SIGNET_ENOTFOUND)
			continue;
		if (rc != 0)
			goto out;
		rc = parse_file(rd, path, buf.data, buf.len, e);
		sn_buf_free(&buf);
		if (rc != 0)
			goto out;
	}
	*out = rd;
	rd = NULL;
	rc = 0;
out:
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	closedir(d);
	sn_registries_d_free(rd);
	return rc;
}

/* ---- resolution ----------------------------------------------------- */

struct resolved {
	const char *lookaside;
	const char *staging;
	int attachments;
};

/* Takes from ns each field not decided yet (see policy.h: the write URL
 * comes from the first scope having any of the four URLs, exactly as
 * containers/image's registryNamespace.signatureTopLevel(write=true)). */
static void apply_ns(struct resolved *r, const struct regd_ns *ns)
{
	if (ns == NULL)
		return;
	if (r->lookaside == NULL)
		r->lookaside = ns->lookaside != NULL ? ns->lookaside : ns->sigstore;
	if (r->staging == NULL) {
		if (ns->lookaside_staging != NULL)
			r->staging = ns->lookaside_staging;
		else if (ns->sigstore_staging != NULL)
			r->staging = ns->sigstore_staging;
		else if (ns->lookaside != NULL)
			r->staging = ns->lookaside;
		else
			r->staging = ns->sigstore;
	}
	if (r->attachments < 0)
		r->attachments = ns->use_attachments;
}

static void apply_scope(struct resolved *r, const struct sn_registries_d *rd, const char *scope)
{
	const struct sn_keyent *k = sn_keyset_find(&rd->scope_index, scope);

	if (k != NULL)
		apply_ns(r, &rd->scopes[k->val]);
}

/* The candidate scopes of containers/image's PolicyConfigurationIdentity
 * and DockerReferenceNamespaces, in order. */
static int resolve_scopes(struct resolved *r, const struct sn_registries_d *rd, const struct sn_ref *ref,
                          struct sn_err *e)
{
	char *name = NULL, *s = NULL, *colon, *dot;
	int rc = SIGNET_ENOMEM;

	if ((name = sn_aprintf(e, "%s/%s", ref->domain, ref->path)) == NULL)
		goto out;
	/* The identity: name:tag, or name@digest (containers/image has no
	 * reference with both; the digest is what gets pulled). */
	if (ref->digest != NULL || ref->tag != NULL) {
		s = ref->digest != NULL ? sn_aprintf(e, "%s@%s", name, ref->digest)
		                        : sn_aprintf(e, "%s:%s", name, ref->tag);
		if (s == NULL)
			goto out;
		apply_scope(r, rd, s);
		free(s);
		s = NULL;
	}
	/* The repository, each parent namespace, then host[:port]. */
	for (;;) {
		char *slash;

		apply_scope(r, rd, name);
		if ((slash = strrchr(name, '/')) == NULL)
			break;
		*slash = '\0';
	}
	/* Wildcards from the host without port: for a.b.example.com,
	 * *.b.example.com, *.example.com, *.com.  The port is cut at the first
	 * ':' as containers/image does (so "[::1]:5000" yields none). */
	if ((colon = strchr(name, ':')) != NULL)
		*colon = '\0';
	for (dot = strchr(name, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
		if ((s = sn_aprintf(e, "*%s", dot)) == NULL)
			goto out;
		apply_scope(r, rd, s);
		free(s);
		s = NULL;
	}
	apply_ns(r, rd->default_docker);
	rc = 0;
out:
	free(name);
	return rc;
}

int sn_registries_d_resolve(struct sn_lookaside_config *out, const struct sn_registries_d *rd,
                            const struct sn_ref *ref, struct sn_err *e)
{
	struct resolved r = {NULL, NULL, -1};
	struct sn_lookaside_config c = {NULL, NULL, -1};
	int rc;

	if (out == NULL || ref == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "registries.d: no reference given");
	if (ref->transport != SIGNET_TRANSPORT_DOCKER || ref->domain == NULL || ref->path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "registries.d: %s is not a docker reference",
		                 ref->string != NULL ? ref->string : "the image");
	if (rd != NULL && (rc = resolve_scopes(&r, rd, ref, e)) != 0)
		return rc;
	if ((r.lookaside != NULL && (c.lookaside = sn_strdup(r.lookaside, e)) == NULL) ||
	    (r.staging != NULL && (c.lookaside_staging = sn_strdup(r.staging, e)) == NULL)) {
		sn_lookaside_config_clear(&c);
		return SIGNET_ENOMEM;
	}
	c.use_sigstore_attachments = r.attachments;
	*out = c;
	return 0;
}

/* ---- sections, for export -------------------------------------------- */

size_t sn_registries_d_count(const struct sn_registries_d *rd)
{
	if (rd == NULL)
		return 0;
	return rd->n_scopes + (rd->default_docker != NULL);
}

void sn_registries_d_section(struct sn_registries_d_section *out, const struct sn_registries_d *rd, size_t i)
{
	const struct regd_ns *ns = i < rd->n_scopes ? &rd->scopes[i] : rd->default_docker;

	out->scope = ns->scope;
	out->lookaside = ns->lookaside;
	out->sigstore = ns->sigstore;
	out->use_sigstore_attachments = ns->use_attachments;
}
