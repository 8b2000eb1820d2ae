/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/audit.c: `signet audit`: every image of a registry (catalog or a
 * list of repositories), of a `skopeo sync --scoped` dir: tree or of an
 * oci: layout, decided with the verifier's policy, with an inventory of
 * the signatures stored for it, then the signatures no tag uses.
 *
 * Memory: the repository names, and per repository its tag names and the
 * digests they resolve to (both bounded by SIGNET_MAX_TAGS_TOTAL); records
 * are streamed as made.  With jobs > 1 the tags of one repository are
 * decided by that many threads, each with its own context and verifier,
 * and emitted in tag order through a reorder window of `jobs` records.
 *
 * Orphans are only claimed where every signature of a repository could be
 * seen: its tag list read, every tag resolved, its lookaside a listable
 * file:// directory.  Elsewhere the summary says they were not looked for
 * (a count would claim a search that did not happen).
 */
#include "audit_internal.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signet/audit.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SN_AUDIT_MAX_DEPTH 64 /* directory depth walked in a dir: tree */

enum audit_kind { AUDIT_DOCKER, AUDIT_DIR, AUDIT_OCI };

/* A growable list of owned strings. */
struct strv {
	char **s;
	size_t n;
};

static void strv_free(struct strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->s[i]);
	free(v->s);
	v->s = NULL;
	v->n = 0;
}

static int strv_add(struct strv *v, const char *s, size_t len, struct sn_err *e)
{
	char **n;

	if (v->n >= SIGNET_MAX_TAGS_TOTAL)
		return sn_seterr(e, SIGNET_ELIMIT, "audit: more than %u names (SIGNET_MAX_TAGS_TOTAL)",
				 (unsigned)SIGNET_MAX_TAGS_TOTAL);
	if ((n = realloc(v->s, (v->n + 1) * sizeof(*n))) == NULL)
		return sn_enomem(e);
	v->s = n;
	if ((n[v->n] = sn_strndup(s, len, e)) == NULL)
		return SIGNET_ENOMEM;
	v->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and removes duplicates. */
static void strv_sort_unique(struct strv *v)
{
	size_t o = 0;

	if (v->n == 0)
		return;
	qsort(v->s, v->n, sizeof(*v->s), cmp_str);
	for (size_t i = 0; i < v->n; i++) {
		if (o > 0 && strcmp(v->s[o - 1], v->s[i]) == 0)
			free(v->s[i]);
		else
			v->s[o++] = v->s[i];
	}
	v->n = o;
}

static int strv_has(const struct strv *v, const char *s)
{
	return v->n != 0 && bsearch(&s, v->s, v->n, sizeof(*v->s), cmp_str) != NULL;
}

/* One tag being decided. */
struct job {
	const char *tag;
	json_t *rec;	/* the image record, or NULL when it could not be made */
	int rc;		/* the decision: 0, SIGNET_EDENIED or the error */
	size_t foreign; /* signatures claiming another repository */
	int done;
};

/* One worker of -j: its own context and verifier. */
struct worker {
	struct signet_ctx *ctx;
	struct signet_verifier *v;
	pthread_t thread;
	struct audit *a;
};

struct audit {
	struct signet_verifier *v;
	const signet_audit_options *o;
	signet_audit_record_cb cb;
	void *userdata;
	struct sn_err *e;
	enum audit_kind kind;
	char *host;	/* docker: the registry */
	char *ns;	/* docker: the namespace or repository, or NULL */
	char *tag;	/* docker: REPO:TAG, the one image to audit; else NULL */
	/* Repositories the source named, before --shard: 0 at the end is "no
	 * image found".  probing: ns was not in the catalog (or there is no
	 * catalog), so it is tried as a repository and a 404 on its tags means
	 * nothing is there. */
	size_t matched;
	int probing;
	char *root;	/* dir: the tree; oci: the layout */
	struct sn_registry *reg;
	/* totals */
	size_t images, allowed, denied, errors, orphans, foreign;
	json_t *by_signer;
	json_t *by_format; /* stored signatures per kind, every kind listed */
	/* Repositories whose orphans were not (all) looked for; the first of
	 * them in audit order and why. */
	size_t unlooked;
	char *unlooked_repo, *unlooked_reason;
	json_t *policy;	 /* the summary's "policy", made before any record */
	char started[32]; /* the summary's "started": UTC ISO 8601, when the audit began */
	int first_error; /* the first image error code, or 0 */
	/* workers (jobs > 1) */
	unsigned int jobs;
	struct worker *workers;
	/* the repository being decided */
	const char *repo;
	struct strv *tags;
	struct job *window; /* jobs slots: tag i is in window[i % jobs] */
	size_t next, emitted;
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* FNV-1a, 64 bits. */
static uint64_t fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

static int in_shard(const struct audit *a, const char *repo)
{
	if (a->o->shard_count == 0)
		return 1;
	return fnv1a64(repo) % a->o->shard_count == a->o->shard_index - 1;
}

/* Is tag a cosign storage tag (sha256-<hex>.sig|.att|.sbom, or the
 * referrers tag schema's sha256-<hex> holding an image's referrers)?
 * *sig is set for .sig. */
static int cosign_tag(const char *tag, int *sig)
{
	size_t n = strlen(tag);

	*sig = 0;
	if (n < 7 + 64 || strncmp(tag, "sha256-", 7) != 0)
		return 0;
	/* A loop rather than strspn: GCC's -Wstringop-overread misreads the
	 * latter under the sanitizers. */
	for (size_t i = 7; i < 7 + 64; i++)
		if (!((tag[i] >= '0' && tag[i] <= '9') || (tag[i] >= 'a' && tag[i] <= 'f')))
			return 0;
	if (n == 7 + 64)
		return 1;
	if (strcmp(tag + 71, ".sig") == 0)
		*sig = 1;
	return *sig || strcmp(tag + 71, ".att") == 0 || strcmp(tag + 71, ".sbom") == 0;
}

/* ---- one image ------------------------------------------------------ */

static int set_str(json_t *o, const char *key, const char *value)
{
	return json_object_set_new(o, key, value != NULL ? json_string(value) : json_null());
}

/* Decides repo:tag with v and makes its record in j. */
static void decide(struct job *j, const struct audit *a, struct signet_verifier *v, const char *repo)
{
	struct signet_verdict *verdict = NULL;
	struct sn_eval_report rep;
	struct sn_ref *ref = NULL;
	char *text = NULL, *layout = NULL;
	const char *verdict_name;
	struct sn_err err;
	json_t *rec;
	int jrc = 0;

	memset(&rep, 0, sizeof(rep));
	sn_err_clear(&err);
	switch (a->kind) {
	case AUDIT_DOCKER:
		text = sn_aprintf(&err, "%s/%s:%s", a->host, repo, j->tag);
		break;
	case AUDIT_DIR:
		text = sn_aprintf(&err, "%s:%s", repo, j->tag);
		layout = sn_aprintf(&err, "%s/%s:%s", a->root, repo, j->tag);
		break;
	case AUDIT_OCI:
		text = sn_aprintf(&err, "oci:%s:%s", a->root, j->tag);
		break;
	}
	if (text == NULL || (a->kind == AUDIT_DIR && layout == NULL))
		j->rc = SIGNET_ENOMEM;
	else if (a->kind == AUDIT_OCI)
		j->rc = sn_ref_parse(&ref, text, &err);
	else
		j->rc = sn_ref_parse_docker(&ref, text, &err);
	if (j->rc == 0)
		j->rc = sn_evaluate_report(&verdict, v, ref, layout, &rep, NULL, &err);
	verdict_name = j->rc == 0 ? "allowed" : j->rc == SIGNET_EDENIED ? "denied" : "error";
	j->foreign = rep.foreign;
	if ((rec = json_object()) == NULL)
		goto out;
	jrc |= set_str(rec, "type", "image");
	jrc |= set_str(rec, "repository", a->kind == AUDIT_OCI ? a->root : ref != NULL ? ref->name : repo);
	jrc |= set_str(rec, "tag", j->tag);
	jrc |= set_str(rec, "reference", ref != NULL ? ref->string : text);
	jrc |= set_str(rec, "digest", rep.digest[0] != '\0' ? rep.digest : NULL);
	jrc |= set_str(rec, "mediaType", rep.media_type);
	jrc |= json_object_set_new(rec, "platforms", rep.platforms != NULL ? json_incref(rep.platforms) : json_array());
	jrc |= set_str(rec, "verdict", verdict_name);
	jrc |= set_str(rec, "reason", j->rc != 0 ? err.msg : NULL);
	jrc |= set_str(rec, "pinned", verdict != NULL ? signet_verdict_pinned(verdict) : NULL);
	jrc |= json_object_set_new(rec, "signatures", rep.signatures != NULL ? json_incref(rep.signatures) : json_array());
	if (rep.sig_error[0] != '\0')
		jrc |= set_str(rec, "signatureStoreProblem", rep.sig_error);
	if (jrc != 0) {
		json_decref(rec);
		rec = NULL;
	}
out:
	j->rec = rec;
	signet_verdict_free(verdict);
	sn_eval_report_clear(&rep);
	sn_ref_free(ref);
	free(text);
	free(layout);
}

/* ---- emitting --------------------------------------------------------- */

/* Sends one record; the callback's non-zero return is returned. */
static int emit(struct audit *a, json_t *rec)
{
	signet_audit_record *r = NULL;
	int rc;

	if ((rc = sn_audit_record_new(&r, rec, NULL, a->e)) != 0)
		return rc;
	rc = a->cb(a->userdata, r);
	signet_audit_record_free(r);
	if (rc != 0)
		sn_seterr(a->e, rc, "audit: stopped by the caller (%d)", rc);
	return rc;
}

/* Counts a decided image, remembers its digests, emits it. */
static int account(struct audit *a, struct job *j, struct strv *known, const char **unresolved)
{
	json_t *sigs, *s, *plats, *p;
	const char *digest;
	size_t i;
	int rc;

	if (j->rec == NULL)
		return sn_seterr(a->e, SIGNET_ENOMEM, "audit: %s: out of memory making its record", j->tag);
	a->images++;
	if (j->rc == 0) {
		a->allowed++;
	} else if (j->rc == SIGNET_EDENIED) {
		a->denied++;
	} else {
		a->errors++;
		if (a->first_error == 0)
			a->first_error = j->rc;
	}
	a->foreign += j->foreign;
	sigs = json_object_get(j->rec, "signatures");
	json_array_foreach(sigs, i, s) {
		const char *signer = json_string_value(json_object_get(s, "signer"));
		const char *kind = json_string_value(json_object_get(s, "kind"));
		json_int_t n;

		if (kind != NULL) {
			n = json_integer_value(json_object_get(a->by_format, kind));
			if (json_object_set_new(a->by_format, kind, json_integer(n + 1)) != 0)
				return sn_enomem(a->e);
		}
		if (!json_is_true(json_object_get(s, "valid")) || signer == NULL)
			continue;
		n = json_integer_value(json_object_get(a->by_signer, signer));
		if (json_object_set_new(a->by_signer, signer, json_integer(n + 1)) != 0)
			return sn_enomem(a->e);
	}
	digest = json_string_value(json_object_get(j->rec, "digest"));
	if (digest == NULL) {
		if (*unresolved == NULL)
			*unresolved = j->tag;
	} else if ((rc = strv_add(known, digest, strlen(digest), a->e)) != 0)
		return rc;
	plats = json_object_get(j->rec, "platforms");
	json_array_foreach(plats, i, p) {
		const char *d = json_string_value(json_object_get(p, "digest"));

		if (d != NULL && (rc = strv_add(known, d, strlen(d), a->e)) != 0)
			return rc;
	}
	return emit(a, j->rec);
}

/* ---- parallel deciding -------------------------------------------- */

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct audit *a = w->a;

	for (;;) {
		struct job j = { 0 };
		size_t i;

		pthread_mutex_lock(&a->mu);
		while (!a->stop && a->next < a->tags->n && a->next >= a->emitted + a->jobs)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop || a->next >= a->tags->n) {
			pthread_mutex_unlock(&a->mu);
			return NULL;
		}
		i = a->next++;
		pthread_mutex_unlock(&a->mu);
		j.tag = a->tags->s[i];
		decide(&j, a, w->v, a->repo);
		j.done = 1;
		pthread_mutex_lock(&a->mu);
		a->window[i % a->jobs] = j;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
	}
}

/* Decides and emits every tag of repo, in order. */
static int decide_tags(struct audit *a, const char *repo, struct strv *tags, struct strv *known,
		       const char **unresolved)
{
	unsigned int started = 0;
	int rc = 0;

	if (a->jobs <= 1 || tags->n <= 1) {
		for (size_t i = 0; i < tags->n && rc == 0; i++) {
			struct job j = { .tag = tags->s[i] };

			decide(&j, a, a->workers != NULL ? a->workers[0].v : a->v, repo);
			rc = account(a, &j, known, unresolved);
			json_decref(j.rec);
		}
		return rc;
	}
	a->repo = repo;
	a->tags = tags;
	a->next = a->emitted = 0;
	a->stop = 0;
	memset(a->window, 0, a->jobs * sizeof(*a->window));
	for (; started < a->jobs; started++)
		if (pthread_create(&a->workers[started].thread, NULL, worker_main, &a->workers[started]) != 0)
			break;
	if (started == 0)
		return sn_seterr(a->e, SIGNET_ENOMEM, "audit: cannot start a worker thread");
	while (a->emitted < tags->n) {
		struct job j;

		pthread_mutex_lock(&a->mu);
		while (!a->window[a->emitted % a->jobs].done)
			pthread_cond_wait(&a->cv, &a->mu);
		j = a->window[a->emitted % a->jobs];
		a->window[a->emitted % a->jobs].done = 0;
		a->window[a->emitted % a->jobs].rec = NULL;
		a->emitted++;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		rc = rc != 0 ? rc : account(a, &j, known, unresolved);
		json_decref(j.rec);
		if (rc != 0) {
			pthread_mutex_lock(&a->mu);
			a->stop = 1;
			pthread_cond_broadcast(&a->cv);
			pthread_mutex_unlock(&a->mu);
			break;
		}
	}
	for (unsigned int k = 0; k < started; k++)
		pthread_join(a->workers[k].thread, NULL);
	/* Records decided but not emitted (stopped early). */
	for (unsigned int k = 0; k < a->jobs; k++) {
		json_decref(a->window[k].rec);
		a->window[k] = (struct job){ 0 };
	}
	return rc;
}

/* A context with ctx's settings (not its log callback: workers run in
 * other threads than the caller's). */
static int ctx_copy(struct signet_ctx **out, const struct signet_ctx *c, struct sn_err *e)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	int rc;

	o.authfile = c->authfile;
	o.creds = c->creds;
	o.creds_host = c->creds != NULL ? c->creds_host : NULL;
	o.cert_dir = c->cert_dir;
	o.tls_verify = c->tls_verify;
	o.connect_timeout_ms = c->connect_timeout_ms;
	o.request_timeout_ms = c->request_timeout_ms;
	if ((rc = signet_ctx_new(out, &o)) != 0)
		return sn_seterr(e, rc, "audit: cannot make a context for a worker");
	for (const struct sn_host_creds *h = c->host_creds; h != NULL; h = h->next)
		if ((rc = sn_ctx_add_host_creds(*out, h->host, h->creds, e)) != 0)
			return rc;
	return 0;
}

/* Makes the keyring of every signature requirement of v now, in this
 * thread (errors are left for the images that need the requirement). */
static void prepare_keys(struct signet_verifier *v)
{
	const struct sn_policy *p = v->policy;
	struct sn_req_state *st;

	for (size_t i = 0; i < p->n_default; i++)
		if (p->default_reqs[i].type == SN_REQ_SIGNED_BY || p->default_reqs[i].type == SN_REQ_SIGSTORE_SIGNED)
			(void)sn_req_state(&st, v, &p->default_reqs[i], NULL);
	for (size_t s = 0; s < p->n_scopes; s++)
		for (size_t i = 0; i < p->scopes[s].n_reqs; i++)
			if (p->scopes[s].reqs[i].type == SN_REQ_SIGNED_BY ||
			    p->scopes[s].reqs[i].type == SN_REQ_SIGSTORE_SIGNED)
				(void)sn_req_state(&st, v, &p->scopes[s].reqs[i], NULL);
}

static int workers_start(struct audit *a)
{
	int rc;

	if (a->jobs <= 1)
		return 0;
	if ((a->workers = calloc(a->jobs, sizeof(*a->workers))) == NULL ||
	    (a->window = calloc(a->jobs, sizeof(*a->window))) == NULL)
		return sn_enomem(a->e);
	for (unsigned int k = 0; k < a->jobs; k++) {
		a->workers[k].a = a;
		if ((rc = ctx_copy(&a->workers[k].ctx, a->v->ctx, a->e)) != 0 ||
		    (rc = sn_verifier_clone(&a->workers[k].v, a->v, a->workers[k].ctx, a->e)) != 0)
			return rc;
		prepare_keys(a->workers[k].v);
	}
	return 0;
}

static void workers_free(struct audit *a)
{
	for (unsigned int k = 0; a->workers != NULL && k < a->jobs; k++) {
		signet_verifier_free(a->workers[k].v);
		signet_ctx_free(a->workers[k].ctx);
	}
	free(a->workers);
	free(a->window);
}

/* ---- sources: repositories and tags ---------------------------------- */

struct collect {
	struct audit *a;
	struct strv *names;
	struct strv *sig_hex; /* docker tags: the .sig digests */
};

static int catalog_cb(void *userdata, const char *name)
{
	struct collect *c = userdata;
	size_t n = c->a->ns != NULL ? strlen(c->a->ns) : 0;

	/* NAMESPACE/...: the repositories under it; REPO itself: that one. */
	if (n != 0 && (strncmp(name, c->a->ns, n) != 0 || (name[n] != '/' && name[n] != '\0')))
		return 0;
	c->a->matched++;
	if (!in_shard(c->a, name))
		return 0;
	return strv_add(c->names, name, strlen(name), c->a->e);
}

static int tags_cb(void *userdata, const char *tag)
{
	struct collect *c = userdata;
	int sig;

	if (cosign_tag(tag, &sig))
		return sig ? strv_add(c->sig_hex, tag + 7, 64, c->a->e) : 0;
	return strv_add(c->names, tag, strlen(tag), c->a->e);
}

static int ignore_name(void *userdata, const char *name)
{
	(void)userdata;
	(void)name;
	return 0;
}

/* Whether a->ns, which another shard audits, is a repository at all
 * (a->matched 0 when it is not), so that every shard of an audit of
 * nothing fails alike. */
static int probe_repo(struct audit *a)
{
	int rc = sn_registry_list_tags(a->reg, a->ns, ignore_name, NULL, a->e);

	if (rc == SIGNET_ENOTFOUND) {
		sn_err_clear(a->e);
		a->matched = 0;
		return 0;
	}
	if (rc != 0)
		sn_errctx(a->e, "audit: %s/%s: listing the tags: ", a->host, a->ns);
	return rc;
}

/* Whether the registry has REPO:TAG, before anything is reported: a 404
 * (no such tag, or no such repository) is an audit of nothing, told as
 * such (SIGNET_EINVAL); any other failure stops the audit as the catalog's
 * does. */
static int probe_tag(struct audit *a)
{
	int exists = 0, rc = sn_registry_head_manifest(a->reg, a->ns, a->tag, &exists, NULL, NULL, a->e);

	if (rc != 0) {
		sn_errctx(a->e, "audit: %s/%s:%s: ", a->host, a->ns, a->tag);
		return rc;
	}
	if (!exists)
		return sn_seterr(a->e, SIGNET_EINVAL,
				 "audit: no image found under %s: the registry has no tag \"%s\" in %s/%s "
				 "(HTTP 404)",
				 a->o->source, a->tag, a->host, a->ns);
	return 0;
}

/* repos_file: one repository per line (HOST/ prefix allowed), # comments. */
static int repos_from_file(struct audit *a, struct strv *repos)
{
	struct collect c = { a, repos, NULL };
	struct sn_buf b;
	char *line, *end;
	int rc;

	if ((rc = sn_file_read(&b, a->o->repos_file, SIGNET_MAX_POLICY_FILE_SIZE, "repository list", 0, a->e)) != 0)
		return rc;
	for (line = (char *)b.data; line != NULL && *line != '\0' && rc == 0; line = end) {
		size_t hl = strlen(a->host);
		char *s = line, *t;

		end = strchr(line, '\n');
		if (end != NULL)
			*end++ = '\0';
		if ((t = strchr(s, '#')) != NULL)
			*t = '\0';
		s += strspn(s, " \t\r");
		t = s + strlen(s);
		while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'))
			*--t = '\0';
		if (*s == '\0')
			continue;
		if (strncmp(s, a->host, hl) == 0 && s[hl] == '/')
			s += hl + 1;
		a->matched++;
		if (!in_shard(a, s))
			continue;
		rc = strv_add(c.names, s, strlen(s), a->e);
	}
	sn_buf_free(&b);
	return rc;
}

static int has_manifest(const char *dir)
{
	char path[4096];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/manifest.json", dir) >= sizeof(path))
		return 0;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Walks TREE/rel: a directory named NAME:TAG holding manifest.json is an
 * image of repository rel/NAME; other directories are walked into. */
static int walk_tree(struct audit *a, const char *rel, unsigned depth, struct strv *repos)
{
	char *path = rel[0] != '\0' ? sn_aprintf(a->e, "%s/%s", a->root, rel) : sn_strdup(a->root, a->e);
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	if (path == NULL)
		return SIGNET_ENOMEM;
	if (depth > SN_AUDIT_MAX_DEPTH) {
		rc = sn_seterr(a->e, SIGNET_ELIMIT, "audit: %s: deeper than %d directories", path, SN_AUDIT_MAX_DEPTH);
		goto out;
	}
	if ((dir = opendir(path)) == NULL) {
		rc = sn_seterr(a->e, errno == ENOENT ? SIGNET_ENOTFOUND : SIGNET_EIO, "audit: %s: %s", path,
			       strerror(errno));
		goto out;
	}
	while (rc == 0 && (d = readdir(dir)) != NULL) {
		char *sub, *colon;
		struct stat st;

		if (d->d_name[0] == '.')
			continue;
		if ((sub = sn_aprintf(a->e, "%s/%s", path, d->d_name)) == NULL) {
			rc = SIGNET_ENOMEM;
			break;
		}
		if (lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) {
			free(sub);
			continue;
		}
		colon = strchr(d->d_name, ':');
		if (has_manifest(sub)) {
			/* NAME:TAG (NAME@DIGEST images are not listed) */
			if (colon != NULL && colon != d->d_name && strchr(d->d_name, '@') == NULL) {
				char *repo = sn_aprintf(a->e, "%s%s%.*s", rel, rel[0] != '\0' ? "/" : "",
							(int)(colon - d->d_name), d->d_name);

				if (repo == NULL)
					rc = SIGNET_ENOMEM;
				else if (a->matched++, in_shard(a, repo))
					rc = strv_add(repos, repo, strlen(repo), a->e);
				free(repo);
			}
		} else {
			char *r = sn_aprintf(a->e, "%s%s%s", rel, rel[0] != '\0' ? "/" : "", d->d_name);

			rc = r != NULL ? walk_tree(a, r, depth + 1, repos) : SIGNET_ENOMEM;
			free(r);
		}
		free(sub);
	}
	closedir(dir);
out:
	free(path);
	return rc;
}

/* The tags of repository REL/NAME of the tree: TREE/REL/NAME:TAG. */
static int tree_tags(struct audit *a, const char *repo, struct strv *tags)
{
	const char *slash = strrchr(repo, '/');
	const char *base = slash != NULL ? slash + 1 : repo;
	size_t bl = strlen(base);
	char *path;
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	path = slash != NULL ? sn_aprintf(a->e, "%s/%.*s", a->root, (int)(slash - repo), repo)
			     : sn_strdup(a->root, a->e);
	if (path == NULL)
		return SIGNET_ENOMEM;
	if ((dir = opendir(path)) == NULL) {
		rc = sn_seterr(a->e, SIGNET_EIO, "audit: %s: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	while (rc == 0 && (d = readdir(dir)) != NULL) {
		char *sub;

		if (strncmp(d->d_name, base, bl) != 0 || d->d_name[bl] != ':' || d->d_name[bl + 1] == '\0')
			continue;
		if ((sub = sn_aprintf(a->e, "%s/%s", path, d->d_name)) == NULL) {
			rc = SIGNET_ENOMEM;
			break;
		}
		if (has_manifest(sub))
			rc = strv_add(tags, d->d_name + bl + 1, strlen(d->d_name + bl + 1), a->e);
		free(sub);
	}
	closedir(dir);
	free(path);
	return rc;
}

/* The reference names of an oci: layout's index.json. */
static int oci_tags(struct audit *a, struct strv *tags)
{
	struct sn_manifest *m = NULL;
	struct sn_buf b;
	char *path;
	int rc;

	sn_buf_init(&b, 0, NULL);
	if ((path = sn_aprintf(a->e, "%s/index.json", a->root)) == NULL)
		return SIGNET_ENOMEM;
	rc = sn_file_read(&b, path, SIGNET_MAX_MANIFEST_SIZE, "OCI layout index", 0, a->e);
	if (rc == 0 && (rc = sn_manifest_parse(&m, b.data, b.len, NULL, a->e)) != 0)
		sn_errctx(a->e, "audit: %s: ", path);
	if (rc == 0 && !sn_manifest_is_index(m))
		rc = sn_seterr(a->e, SIGNET_EBADINPUT, "audit: %s: not an image index", path);
	for (size_t i = 0; rc == 0 && i < m->n_manifests; i++)
		if (m->manifests[i].ref_name != NULL)
			rc = strv_add(tags, m->manifests[i].ref_name, strlen(m->manifests[i].ref_name), a->e);
	sn_manifest_free(m);
	sn_buf_free(&b);
	free(path);
	return rc;
}

/* ---- orphans ---------------------------------------------------------- */

/* Leaves s as it is if it is UTF-8, else shows its bytes above 0x7f as
 * '?': JSON cannot carry it (a file name, a URL from a configuration). */
static void utf8_or_ascii(char *s)
{
	json_t *j = json_string(s);

	if (j != NULL) {
		json_decref(j);
		return;
	}
	for (; *s != '\0'; s++)
		if ((unsigned char)*s > 0x7f)
			*s = '?';
}

/* Notes that the orphans of repository name (HOST/REPO) were not (all)
 * looked for, and why (kept for the first such repository only). */
static int not_looked_for(struct audit *a, const char *name, const char *fmt, ...) SN_PRINTF(3, 4);
static int not_looked_for(struct audit *a, const char *name, const char *fmt, ...)
{
	char why[SN_ERRMSG_MAX];
	va_list ap;

	a->unlooked++;
	if (a->unlooked_repo != NULL)
		return 0;
	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	utf8_or_ascii(why);
	if ((a->unlooked_repo = sn_strdup(name, a->e)) == NULL ||
	    (a->unlooked_reason = sn_strdup(why, a->e)) == NULL)
		return SIGNET_ENOMEM;
	return 0;
}

/* A URL as a report shows it: without a user:password@ (which signet
 * refuses to use anyway). */
static char *shown_url(const char *url, struct sn_err *e)
{
	const char *auth = strstr(url, "://"), *at = NULL;

	if (auth == NULL)
		return sn_strdup(url, e);
	auth += 3;
	for (const char *p = auth; *p != '\0' && *p != '/'; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return sn_strdup(url, e);
	return sn_aprintf(e, "%.*s%s", (int)(auth - url), url, at + 1);
}

static int emit_orphan(struct audit *a, const char *repo, const char *digest, const char *store,
		       const char *location)
{
	json_t *o = json_object();
	int rc;

	if (o == NULL || set_str(o, "type", "orphan") != 0 || set_str(o, "repository", repo) != 0 ||
	    set_str(o, "digest", digest) != 0 || set_str(o, "store", store) != 0 ||
	    set_str(o, "location", location) != 0) {
		json_decref(o);
		return sn_enomem(a->e);
	}
	a->orphans++;
	rc = emit(a, o);
	json_decref(o);
	return rc;
}

/* repo@sha256=HEX directories of a file:// lookaside that no tag names. */
static int lookaside_orphans(struct audit *a, const char *name, const char *path, const struct strv *known)
{
	struct signet_verifier *v = a->v;
	struct strv found = { NULL, 0 };
	struct sn_ref *ref = NULL;
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;
	char *store = NULL, *dirpath = NULL, *text;
	size_t bl = strlen(base);
	struct dirent *d;
	DIR *dir;
	int rc;

	if ((text = sn_aprintf(a->e, "%s:latest", name)) == NULL)
		return SIGNET_ENOMEM;
	rc = sn_ref_parse_docker(&ref, text, a->e);
	free(text);
	if (rc != 0 || (rc = sn_verifier_lookaside(&store, v, ref, a->e)) != 0)
		goto out;
	if (store == NULL)
		goto out; /* no lookaside: nothing stored there */
	/* Only a local store without escapes can be listed: http(s):// has
	 * no directory listing. */
	if (strncmp(store, "file://", 7) != 0 || strchr(store, '%') != NULL) {
		char *shown = shown_url(store, a->e);

		rc = shown != NULL ? not_looked_for(a, name, "the lookaside %s cannot be listed", shown)
				   : SIGNET_ENOMEM;
		free(shown);
		goto out;
	}
	dirpath = slash != NULL ? sn_aprintf(a->e, "%s/%.*s", store + 7, (int)(slash - path), path)
				: sn_strdup(store + 7, a->e);
	if (dirpath == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((dir = opendir(dirpath)) == NULL) {
		/* ENOENT: nothing stored for this repository. */
		if (errno != ENOENT)
			rc = not_looked_for(a, name, "the lookaside directory %s cannot be read: %s", dirpath,
					    strerror(errno));
		goto out;
	}
	while (rc == 0 && (d = readdir(dir)) != NULL) {
		const char *h = d->d_name + bl + 8;

		if (strncmp(d->d_name, base, bl) == 0 && strncmp(d->d_name + bl, "@sha256=", 8) == 0 &&
		    strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64)
			rc = strv_add(&found, d->d_name, strlen(d->d_name), a->e);
	}
	closedir(dir);
	strv_sort_unique(&found);
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		char digest[SN_DIGEST_MAX], *loc;

		(void)snprintf(digest, sizeof(digest), "sha256:%s", found.s[i] + bl + 8);
		if (strv_has(known, digest))
			continue;
		if ((loc = sn_aprintf(a->e, "file://%s/%s", dirpath, found.s[i])) == NULL) {
			rc = SIGNET_ENOMEM;
			break;
		}
		rc = emit_orphan(a, name, digest, "lookaside", loc);
		free(loc);
	}
out:
	strv_free(&found);
	sn_ref_free(ref);
	free(store);
	free(dirpath);
	return rc;
}

/* ---- the audit ------------------------------------------------------- */

/* Decides every tag of one repository, then its orphans. */
static int audit_repo(struct audit *a, const char *repo)
{
	struct strv tags = { NULL, 0 }, sig_hex = { NULL, 0 }, known = { NULL, 0 };
	struct collect c = { a, &tags, &sig_hex };
	const char *unresolved = NULL;
	char *name = NULL;
	int rc;

	switch (a->kind) {
	case AUDIT_DOCKER:
		if (a->tag != NULL) {
			rc = strv_add(&tags, a->tag, strlen(a->tag), a->e);
			break;
		}
		rc = sn_registry_list_tags(a->reg, repo, tags_cb, &c, a->e);
		if (rc == SIGNET_ENOTFOUND && a->probing) {
			/* Not a repository either: nothing there. */
			sn_err_clear(a->e);
			a->matched = 0;
			rc = 0;
			goto out;
		}
		if (rc != 0)
			sn_errctx(a->e, "audit: %s/%s: listing the tags: ", a->host, repo);
		break;
	case AUDIT_DIR:
		rc = tree_tags(a, repo, &tags);
		break;
	case AUDIT_OCI:
	default:
		rc = oci_tags(a, &tags);
		break;
	}
	if (rc != 0)
		goto out;
	strv_sort_unique(&tags);
	strv_sort_unique(&sig_hex);
	if ((rc = decide_tags(a, repo, &tags, &known, &unresolved)) != 0 || a->kind != AUDIT_DOCKER)
		goto out;
	if ((name = sn_aprintf(a->e, "%s/%s", a->host, repo)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	/* One image: no tag list, so no way to tell what no tag names. */
	if (a->tag != NULL) {
		rc = not_looked_for(a, name,
				    "only its tag %s was audited, and orphans need the repository's tag list",
				    a->tag);
		goto out;
	}
	/* A tag that could not be resolved may be what a signature is for:
	 * no orphans are claimed then. */
	if (unresolved != NULL) {
		rc = not_looked_for(a, name,
				    "its tag %s could not be resolved to a digest, "
				    "and a signature may be for it",
				    unresolved);
		goto out;
	}
	strv_sort_unique(&known);
	for (size_t i = 0; rc == 0 && i < sig_hex.n; i++) {
		char digest[SN_DIGEST_MAX], *loc;

		(void)snprintf(digest, sizeof(digest), "sha256:%s", sig_hex.s[i]);
		if (strv_has(&known, digest))
			continue;
		if ((loc = sn_aprintf(a->e, "docker://%s:sha256-%s.sig", name, sig_hex.s[i])) == NULL) {
			rc = SIGNET_ENOMEM;
			break;
		}
		rc = emit_orphan(a, name, digest, "attachment", loc);
		free(loc);
	}
	if (rc == 0)
		rc = lookaside_orphans(a, name, repo, &known);
out:
	free(name);
	strv_free(&tags);
	strv_free(&sig_hex);
	strv_free(&known);
	return rc;
}

/* A file name as a JSON string.  NULL: out of memory. */
static json_t *file_name(const char *path)
{
	json_t *j = json_string(path);
	char *copy;

	if (j != NULL || (copy = strdup(path)) == NULL)
		return j;
	utf8_or_ascii(copy);
	j = json_string(copy);
	free(copy);
	return j;
}

/* Where the verdicts came from, as `signet verify --json` says it (its
 * "Policy" object, with the audit records' lower-case keys):
 * {"kind": "policy"|"contract"|"keys"|"trusted-root", "files": [...],
 * "named": bool}.  NULL: out of memory. */
static json_t *policy_source(const struct signet_verifier *v)
{
	const struct signet_verifier_options *o = &v->opts;
	json_t *files = json_array();
	const char *kind;
	int jrc = 0;

	if (files == NULL)
		return NULL;
	if (o->policy_file != NULL)
		jrc |= json_array_append_new(files, file_name(o->policy_file));
	else if (o->contract_file != NULL)
		jrc |= json_array_append_new(files, file_name(o->contract_file));
	else if (o->trusted_root_file != NULL)
		jrc |= json_array_append_new(files, file_name(o->trusted_root_file));
	for (size_t i = 0; o->policy_file == NULL && o->contract_file == NULL && i < o->n_gpg_key_files; i++)
		jrc |= json_array_append_new(files, file_name(o->gpg_key_files[i]));
	for (size_t i = 0; o->policy_file == NULL && o->contract_file == NULL && i < o->n_key_files; i++)
		jrc |= json_array_append_new(files, file_name(o->key_files[i]));
	if (jrc != 0) {
		json_decref(files);
		return NULL;
	}
	kind = o->policy_file != NULL         ? "policy"
	       : o->contract_file != NULL     ? "contract"
	       : o->trusted_root_file != NULL ? "trusted-root"
	                                      : "keys";
	return json_pack("{s:s, s:o, s:b}", "kind", kind, "files", files, "named", !o->policy_is_default);
}

/* The current time as UTC ISO 8601 ("2026-12-05T04:13:13Z") in buf;
 * "" when the clock cannot be read (the summary then says null). */
static void started_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	buf[0] = '\0';
	if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

static int emit_summary(struct audit *a)
{
	json_t *o = json_object(), *unlooked = NULL;
	char shard[64];
	int jrc = 0, rc;

	if (a->unlooked != 0)
		unlooked = json_pack("{s:I, s:s, s:s}", "repositories", (json_int_t)a->unlooked, "repository",
				     a->unlooked_repo, "reason", a->unlooked_reason);
	if (o == NULL || (a->unlooked != 0 && unlooked == NULL)) {
		json_decref(o);
		json_decref(unlooked);
		return sn_enomem(a->e);
	}
	(void)snprintf(shard, sizeof(shard), "%u/%u", a->o->shard_index, a->o->shard_count);
	jrc |= set_str(o, "type", "summary");
	jrc |= json_object_set_new(o, "images", json_integer((json_int_t)a->images));
	jrc |= json_object_set_new(o, "allowed", json_integer((json_int_t)a->allowed));
	jrc |= json_object_set_new(o, "denied", json_integer((json_int_t)a->denied));
	jrc |= json_object_set_new(o, "errors", json_integer((json_int_t)a->errors));
	/* null, not a count, when they were not looked for everywhere */
	jrc |= json_object_set_new(o, "orphans",
				   unlooked == NULL ? json_integer((json_int_t)a->orphans) : json_null());
	jrc |= json_object_set_new(o, "orphansNotLookedFor", unlooked != NULL ? unlooked : json_null());
	jrc |= json_object_set_new(o, "foreignIdentity", json_integer((json_int_t)a->foreign));
	jrc |= json_object_set(o, "bySigner", a->by_signer);
	jrc |= json_object_set(o, "byFormat", a->by_format);
	jrc |= json_object_set(o, "policy", a->policy);
	jrc |= set_str(o, "shard", a->o->shard_count != 0 ? shard : NULL);
	/* What was audited, when and by what: the report's header. */
	jrc |= set_str(o, "source", a->o->source);
	jrc |= set_str(o, "started", a->started[0] != '\0' ? a->started : NULL);
	jrc |= set_str(o, "signetVersion", signet_version());
	rc = jrc != 0 ? sn_enomem(a->e) : emit(a, o);
	json_decref(o);
	return rc;
}

/* Parses the source into a. */
static int parse_source(struct audit *a, const char *src)
{
	if (strncmp(src, "docker://", 9) == 0) {
		const char *h = src + 9, *slash = strchr(h, '/');
		struct sn_ref *probe = NULL;
		char *text;
		int rc;

		a->kind = AUDIT_DOCKER;
		a->host = slash != NULL ? sn_strndup(h, (size_t)(slash - h), a->e) : sn_strdup(h, a->e);
		if (a->host == NULL)
			return SIGNET_ENOMEM;
		if (slash != NULL && slash[1] != '\0') {
			size_t n = strlen(slash + 1);
			const char *base, *colon;

			while (n > 0 && slash[n] == '/')
				n--;
			if (memchr(slash + 1, '@', n) != NULL)
				return sn_seterr(a->e, SIGNET_EINVAL,
						 "audit: %s: a digest is no audit source (name REPO or REPO:TAG)", src);
			/* REPO:TAG: after the host, a colon only separates a tag. */
			base = slash + 1;
			colon = memchr(base, ':', n);
			if (colon != NULL) {
				if ((a->tag = sn_strndup(colon + 1, n - (size_t)(colon + 1 - base), a->e)) == NULL)
					return SIGNET_ENOMEM;
				n = (size_t)(colon - base);
			}
			if ((a->ns = sn_strndup(base, n, a->e)) == NULL)
				return SIGNET_ENOMEM;
		}
		/* The host, the namespace (or repository) and the tag must read
		 * as a reference. */
		if (a->tag != NULL)
			text = sn_aprintf(a->e, "%s/%s:%s", a->host, a->ns, a->tag);
		else
			text = sn_aprintf(a->e, "%s/%s%sx", a->host, a->ns != NULL ? a->ns : "",
					  a->ns != NULL ? "/" : "");
		if (text == NULL)
			return SIGNET_ENOMEM;
		rc = sn_ref_parse_docker(&probe, text, a->e);
		if (rc == 0 && strcmp(probe->domain, a->host) != 0)
			rc = sn_seterr(a->e, SIGNET_EBADINPUT, "audit: %s: \"%s\" is not a registry host", src, a->host);
		else if (rc == 0 && a->tag != NULL && (a->ns[0] == '\0' || probe->tag == NULL ||
							strcmp(probe->path, a->ns) != 0 ||
							strcmp(probe->tag, a->tag) != 0))
			rc = sn_seterr(a->e, SIGNET_EINVAL, "audit: %s: expected docker://HOST/REPO:TAG", src);
		else if (rc != 0)
			sn_errctx(a->e, "audit: %s: ", src);
		free(text);
		sn_ref_free(probe);
		return rc;
	}
	if (strncmp(src, "dir:", 4) == 0 || strncmp(src, "oci:", 4) == 0) {
		size_t n = strlen(src + 4);

		a->kind = src[0] == 'd' ? AUDIT_DIR : AUDIT_OCI;
		while (n > 1 && src[4 + n - 1] == '/')
			n--;
		if (n == 0)
			return sn_seterr(a->e, SIGNET_EINVAL, "audit: %s: no path", src);
		return (a->root = sn_strndup(src + 4, n, a->e)) != NULL ? 0 : SIGNET_ENOMEM;
	}
	return sn_seterr(a->e, SIGNET_EINVAL,
			 "audit: \"%.200s\": expected docker://HOST[:PORT][/NAMESPACE|/REPO[:TAG]], dir:TREE or oci:LAYOUT",
			 src);
}

int signet_audit_records(signet_verifier *v, const signet_audit_options *opts, signet_audit_record_cb cb,
                         void *userdata)
{
	struct strv repos = { NULL, 0 };
	struct audit a;
	int rc;

	if (v == NULL)
		return SIGNET_EINVAL;
	memset(&a, 0, sizeof(a));
	a.e = &v->ctx->err;
	sn_err_clear(a.e);
	if (opts == NULL || cb == NULL || opts->version != SIGNET_AUDIT_OPTIONS_VERSION || opts->source == NULL)
		return sn_seterr(a.e, SIGNET_EINVAL, "signet_audit: invalid arguments or options version");
	if ((opts->shard_count == 0) != (opts->shard_index == 0) || opts->shard_index > opts->shard_count)
		return sn_seterr(a.e, SIGNET_EINVAL, "audit: shard %u/%u: expected K/N with 1 <= K <= N",
				 opts->shard_index, opts->shard_count);
	if (opts->jobs > 256)
		return sn_seterr(a.e, SIGNET_EINVAL, "audit: %u jobs: at most 256", opts->jobs);
	a.v = v;
	a.o = opts;
	a.cb = cb;
	a.userdata = userdata;
	a.jobs = opts->jobs == 0 ? 1 : opts->jobs;
	started_now(a.started, sizeof(a.started));
	pthread_mutex_init(&a.mu, NULL);
	pthread_cond_init(&a.cv, NULL);
	if ((rc = parse_source(&a, opts->source)) != 0)
		goto out;
	if (opts->repos_file != NULL && (a.kind != AUDIT_DOCKER || a.tag != NULL)) {
		rc = sn_seterr(a.e, SIGNET_EINVAL,
			       "audit: a repository list is for docker://HOST[/NAMESPACE] sources only");
		goto out;
	}
	a.by_format = json_pack("{s:i, s:i, s:i}", "simple-signing", 0, "sigstore", 0, "sigstore-bundle", 0);
	if ((a.by_signer = json_object()) == NULL || a.by_format == NULL ||
	    (a.policy = policy_source(v)) == NULL) {
		rc = sn_enomem(a.e);
		goto out;
	}
	switch (a.kind) {
	case AUDIT_DOCKER:
		/* --creds go to the source's registry and nowhere else. */
		if ((rc = sn_ctx_bind_creds(v->ctx, a.host, a.e)) != 0 ||
		    (rc = sn_registry_get(&a.reg, v->ctx, a.host, a.e)) != 0)
			break;
		if (a.tag != NULL) {
			/* REPO:TAG: that one image, however the catalog lists it
			 * (in every shard alike: asked of the registry first). */
			if ((rc = probe_tag(&a)) != 0)
				break;
			a.matched = 1;
			rc = in_shard(&a, a.ns) ? strv_add(&repos, a.ns, strlen(a.ns), a.e) : 0;
		} else if (opts->repos_file != NULL) {
			rc = repos_from_file(&a, &repos);
		} else {
			struct collect c = { &a, &repos, NULL };

			rc = sn_registry_catalog(a.reg, catalog_cb, &c, a.e);
			/* docker://HOST/NAME that the catalog does not show (a
			 * registry without a catalog for us, or one that lists only
			 * some repositories): NAME may still be a repository, and
			 * its tags list says. */
			if (a.ns != NULL && a.matched == 0 &&
			    (rc == 0 || rc == SIGNET_ENOTFOUND || rc == SIGNET_EAUTH)) {
				sn_err_clear(a.e);
				strv_free(&repos);
				a.probing = 1;
				a.matched = 1;
				rc = in_shard(&a, a.ns) ? strv_add(&repos, a.ns, strlen(a.ns), a.e)
							: probe_repo(&a);
			} else if (rc != 0) {
				sn_errctx(a.e, "audit: %s: the catalog: ", a.host);
			}
		}
		break;
	case AUDIT_DIR:
		rc = walk_tree(&a, "", 0, &repos);
		break;
	case AUDIT_OCI:
		a.matched = 1;
		rc = in_shard(&a, a.root) ? strv_add(&repos, a.root, strlen(a.root), a.e) : 0;
		break;
	}
	if (rc != 0)
		goto out;
	strv_sort_unique(&repos);
	if ((rc = workers_start(&a)) != 0)
		goto out;
	for (size_t i = 0; i < repos.n && rc == 0; i++)
		rc = audit_repo(&a, repos.s[i]);
	if (rc != 0)
		goto out;
	/* An audit of nothing must not pass: a typo in the source would let
	 * a CI job pass having checked nothing.  A shard may be empty when
	 * others are not, so with --shard only a source that names no
	 * repository at all is refused. */
	if (a.matched == 0 || (opts->shard_count == 0 && a.images == 0)) {
		rc = sn_seterr(a.e, SIGNET_EINVAL, "audit: no image found under %s", opts->source);
		goto out;
	}
	if ((rc = emit_summary(&a)) != 0)
		goto out;
	if (a.denied != 0)
		rc = sn_seterr(a.e, SIGNET_EDENIED, "audit: %zu of %zu images denied, %zu errors", a.denied, a.images,
			       a.errors);
	else if (a.errors != 0)
		rc = sn_seterr(a.e, a.first_error, "audit: %zu of %zu images could not be decided", a.errors,
			       a.images);
out:
	workers_free(&a);
	strv_free(&repos);
	json_decref(a.by_signer);
	json_decref(a.by_format);
	json_decref(a.policy);
	free(a.unlooked_repo);
	free(a.unlooked_reason);
	free(a.host);
	free(a.ns);
	free(a.tag);
	free(a.root);
	pthread_mutex_destroy(&a.mu);
	pthread_cond_destroy(&a.cv);
	return rc;
}

/* signet_audit's callback, given each record's JSON. */
struct text_cb {
	signet_audit_cb cb;
	void *userdata;
};

static int text_record(void *userdata, const signet_audit_record *rec)
{
	struct text_cb *t = userdata;

	return t->cb(t->userdata, signet_audit_record_json(rec));
}

int signet_audit(signet_verifier *v, const signet_audit_options *opts, signet_audit_cb cb, void *userdata)
{
	struct text_cb t = {cb, userdata};

	if (cb == NULL) {
		if (v != NULL)
			sn_seterr(&v->ctx->err, SIGNET_EINVAL,
			          "signet_audit: invalid arguments or options version");
		return SIGNET_EINVAL;
	}
	return signet_audit_records(v, opts, text_record, &t);
}
