/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/policy.c: the policy model shared by every policy source, and
 * scope resolution (which requirements apply to an image; SPEC §4.1).
 *
 * The order is containers/image's (PolicyContext.requirementsForImageRef:
 * the reference's PolicyConfigurationIdentity, then each of its
 * PolicyConfigurationNamespaces, then the transport's "", then default):
 *
 * docker (docker/policyconfiguration/naming.go):
 *   host/ns/repo:tag or host/ns/repo@digest       "exact"
 *   host/ns/repo                                  "repository"
 *   host/ns                                       "namespace" (each parent)
 *   host[:port]                                   "host"
 *   *.b.example.com, *.example.com, *.com         "wildcard": from the host
 *                                                 without its port, never the
 *                                                 bare domain nor the host itself
 * A reference carrying both a tag and a digest (containers/image refuses
 * those) tries the digest form first, since the digest decides what is
 * pulled, then the tag form; both are "exact".
 *
 * dir: and oci: (directory_transport.go, oci_transport.go): the image's
 * directory resolved as containers/image resolves it
 * (explicitfilepath.ResolvePathToFullyExplicit: absolute, symbolic links
 * resolved; a missing last component is appended to its resolved parent)
 * is "exact", each parent directory but "/" is "namespace".  The oci: REF
 * plays no part.  When the path cannot be resolved (containers/image would
 * then refuse the reference) signet uses it made absolute and cleaned
 * lexically; reading such an image fails anyway.
 */
#include "policy/policy.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A docker scope candidate: name (<= SIGNET_MAX_NAME_LENGTH) plus ":" tag
 * (128) or "@" digest (SN_DIGEST_MAX). */
#define SCOPE_CANDIDATE_MAX 640

void sn_requirement_clear(struct sn_requirement *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_keys; i++) {
		if (r->keys != NULL)
			sn_buf_free(&r->keys[i]);
		if (r->key_names != NULL)
			free(r->key_names[i]);
	}
	free(r->keys);
	free(r->key_names);
	sn_identity_spec_clear(&r->identity);
	sn_keyless_free(r->keyless);
	free(r->unsupported);
	free(r->where);
	memset(r, 0, sizeof(*r));
	r->identity.rule = SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT;
}

static void reqs_free(struct sn_requirement *reqs, size_t n)
{
	size_t i;

	if (reqs == NULL)
		return;
	for (i = 0; i < n; i++)
		sn_requirement_clear(&reqs[i]);
	free(reqs);
}

int sn_policy_one_requirement(struct sn_policy **out, struct sn_requirement **req, enum sn_req_type type,
                              enum sn_identity_rule rule, const char *source, const char *where,
                              struct sn_err *e)
{
	struct sn_policy *p;
	struct sn_requirement *r;

	if ((p = calloc(1, sizeof(*p))) == NULL || (p->default_reqs = calloc(1, sizeof(*r))) == NULL) {
		free(p);
		return sn_enomem(e);
	}
	p->n_default = 1;
	p->index_signature_covers_instances = 1;
	r = &p->default_reqs[0];
	r->type = type;
	r->identity.rule = rule;
	if ((p->source = sn_strdup(source, e)) == NULL || (r->where = sn_strdup(where, e)) == NULL) {
		sn_policy_free(p);
		return SIGNET_ENOMEM;
	}
	*out = p;
	*req = r;
	return 0;
}

void sn_policy_free(struct sn_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->source);
	reqs_free(p->default_reqs, p->n_default);
	for (i = 0; p->scopes != NULL && i < p->n_scopes; i++) {
		free(p->scopes[i].transport);
		free(p->scopes[i].scope);
		reqs_free(p->scopes[i].reqs, p->scopes[i].n_reqs);
	}
	free(p->scopes);
	for (i = 0; i < p->n_auths; i++) {
		if (p->auth_hosts != NULL)
			free(p->auth_hosts[i]);
		if (p->auth_creds != NULL)
			sn_free_secret(p->auth_creds[i]);
	}
	free(p->auth_hosts);
	free(p->auth_creds);
	sn_buf_wipe_free(&p->workload_text);
	free(p->workload_what);
	free(p->workload_problem);
	free(p);
}

/* ---- scope resolution ------------------------------------------------ */

static const char *transport_name(enum signet_transport t)
{
	switch (t) {
	case SIGNET_TRANSPORT_DOCKER: return "docker";
	case SIGNET_TRANSPORT_OCI: return "oci";
	case SIGNET_TRANSPORT_DIR: return "dir";
	}
	return NULL;
}

/* The scope entry for (transport, scope), first one wins. */
static const struct sn_scope_reqs *find_scope(const struct sn_policy *p, const char *transport,
                                              const char *scope)
{
	size_t i;

	for (i = 0; i < p->n_scopes; i++)
		if (p->scopes[i].transport != NULL && p->scopes[i].scope != NULL &&
		    strcmp(p->scopes[i].transport, transport) == 0 && strcmp(p->scopes[i].scope, scope) == 0)
			return &p->scopes[i];
	return NULL;
}

/* Fills out from sr if sr is not NULL; returns whether it did. */
static int take(struct sn_scope_choice *out, const struct sn_scope_reqs *sr, const char *kind)
{
	if (sr == NULL)
		return 0;
	out->reqs = sr->reqs;
	out->n_reqs = sr->n_reqs;
	out->transport = sr->transport;
	out->scope = sr->scope;
	out->kind = kind;
	return 1;
}

static int try_scope(struct sn_scope_choice *out, const struct sn_policy *p, const char *transport,
                     const char *scope, const char *kind)
{
	return take(out, find_scope(p, transport, scope), kind);
}

static int choose_docker(struct sn_scope_choice *out, const struct sn_policy *p, const struct sn_ref *ref)
{
	char cand[SCOPE_CANDIDATE_MAX];
	size_t len;
	const char *host_end, *dot;
	int n;

	if (ref->name == NULL || ref->domain == NULL)
		return 0;
	/* The exact reference: digest form first (see the top of the file). */
	if (ref->digest != NULL) {
		n = snprintf(cand, sizeof(cand), "%s@%s", ref->name, ref->digest);
		if (n > 0 && (size_t)n < sizeof(cand) && try_scope(out, p, "docker", cand, "exact"))
			return 1;
	}
	if (ref->tag != NULL) {
		n = snprintf(cand, sizeof(cand), "%s:%s", ref->name, ref->tag);
		if (n > 0 && (size_t)n < sizeof(cand) && try_scope(out, p, "docker", cand, "exact"))
			return 1;
	}
	/* The repository, then each parent namespace, then the host. */
	len = strlen(ref->name);
	if (len >= sizeof(cand))
		return 0; /* cannot happen: names are at most SIGNET_MAX_NAME_LENGTH */
	memcpy(cand, ref->name, len + 1);
	for (int first = 1;; first = 0) {
		char *slash = strrchr(cand, '/');

		if (try_scope(out, p, "docker", cand,
		              first           ? "repository"
		              : slash == NULL ? "host"
		                              : "namespace"))
			return 1;
		if (slash == NULL)
			break;
		*slash = '\0';
	}
	/* cand is now the host[:port]; wildcards come from the host without
	 * its port (cut at the first ':', as containers/image does). */
	host_end = strchr(cand, ':');
	if (host_end != NULL)
		cand[host_end - cand] = '\0';
	for (dot = strchr(cand, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
		char wild[SCOPE_CANDIDATE_MAX];

		n = snprintf(wild, sizeof(wild), "*.%s", dot + 1);
		if (n > 0 && (size_t)n < sizeof(wild) && try_scope(out, p, "docker", wild, "wildcard"))
			return 1;
	}
	return 0;
}

/* Cleans an absolute path in place, lexically: no empty, "." or ".."
 * components, no trailing '/' (except for "/" itself). */
static void clean_path(char *s)
{
	char *src = s, *dst = s;

	/* s[0] == '/' */
	while (*src != '\0') {
		char *comp, *end;
		size_t n;

		while (*src == '/')
			src++;
		if (*src == '\0')
			break;
		comp = src;
		end = strchr(comp, '/');
		n = end != NULL ? (size_t)(end - comp) : strlen(comp);
		src = comp + n;
		if (n == 1 && comp[0] == '.')
			continue;
		if (n == 2 && comp[0] == '.' && comp[1] == '.') {
			while (dst > s && *(dst - 1) != '/')
				dst--;
			if (dst > s)
				dst--; /* the '/' before the dropped component */
			continue;
		}
		*dst++ = '/';
		memmove(dst, comp, n);
		dst += n;
	}
	if (dst == s)
		*dst++ = '/';
	*dst = '\0';
}

/* The path made absolute and cleaned, or NULL (no memory, no cwd). */
static char *absolute_path(const char *path)
{
	char cwd[PATH_MAX], *abs;
	size_t n;

	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return NULL;
		n = strlen(cwd) + 1 + strlen(path) + 1;
		abs = malloc(n);
		if (abs != NULL)
			(void)snprintf(abs, n, "%s/%s", cwd, path);
	}
	if (abs != NULL)
		clean_path(abs);
	return abs;
}

/* As explicitfilepath.ResolvePathToFullyExplicit; NULL if that fails. */
static char *resolve_path(const char *abs)
{
	struct stat st;
	char *parent, *base, *rp, *res;
	size_t n;

	if (lstat(abs, &st) == 0)
		return realpath(abs, NULL);
	if (errno != ENOENT)
		return NULL;
	/* abs is clean and not "/" (that exists): split at the last '/'. */
	base = strrchr(abs, '/');
	if (base == NULL)
		return NULL;
	parent = base == abs ? strdup("/") : strndup(abs, (size_t)(base - abs));
	if (parent == NULL)
		return NULL;
	rp = realpath(parent, NULL);
	free(parent);
	if (rp == NULL)
		return NULL;
	base++;
	n = strlen(rp) + 1 + strlen(base) + 1;
	res = malloc(n);
	if (res != NULL)
		(void)snprintf(res, n, "%s%s%s", rp, strcmp(rp, "/") == 0 ? "" : "/", base);
	free(rp);
	return res;
}

static int choose_path(struct sn_scope_choice *out, const struct sn_policy *p, const char *transport,
                       const char *dir)
{
	char *abs, *path;
	int found = 0;

	if (dir == NULL || (abs = absolute_path(dir)) == NULL)
		return 0;
	path = resolve_path(abs);
	if (path == NULL) {
		path = abs;
		abs = NULL;
	}
	if (try_scope(out, p, transport, path, "exact")) {
		found = 1;
		goto out;
	}
	for (;;) {
		char *slash = strrchr(path, '/');

		/* "/" itself is never a scope (the transport's "" is). */
		if (slash == NULL || slash == path)
			break;
		*slash = '\0';
		if (try_scope(out, p, transport, path, "namespace")) {
			found = 1;
			break;
		}
	}
out:
	free(path);
	free(abs);
	return found;
}

void sn_policy_choose(struct sn_scope_choice *out, const struct sn_policy *p, const struct sn_ref *ref)
{
	const char *tname = ref != NULL ? transport_name(ref->transport) : NULL;
	int found = 0;

	memset(out, 0, sizeof(*out));
	if (tname != NULL) {
		switch (ref->transport) {
		case SIGNET_TRANSPORT_DOCKER: found = choose_docker(out, p, ref); break;
		case SIGNET_TRANSPORT_OCI:
		case SIGNET_TRANSPORT_DIR: found = choose_path(out, p, tname, ref->dir); break;
		}
		if (!found)
			found = try_scope(out, p, tname, "", "transport default");
	}
	if (found)
		return;
	out->reqs = p->default_reqs;
	out->n_reqs = p->n_default;
	out->transport = NULL;
	out->scope = NULL;
	out->kind = "global default";
}
