/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/audit_merge.c: audit records read back from JSON Lines files:
 * one audit's file (signet_audit_read), and the files of the N shards of
 * one audit merged into the records one run would have given
 * (signet_audit_merge).  Records stream through: nothing holds more than
 * one record per file.
 */
#include "audit_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading JSON Lines ------------------------------------------------ */

struct reader {
	const char *path;
	FILE *f;
	unsigned long lineno;
	char *line;
	size_t cap, len;
	char where[512];
};

static int reader_open(struct reader *r, const char *path, struct sn_err *e)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->f = fopen(path, "re");
	if (r->f == NULL)
		return sn_seterr(e, SIGNET_EIO, "%s: %s", path, strerror(errno));
	return 0;
}

static void reader_close(struct reader *r)
{
	if (r->f != NULL)
		fclose(r->f);
	free(r->line);
	r->f = NULL;
	r->line = NULL;
}

/* The next record of r: *rec (caller's); returns 1, 0 at the end of the
 * file, or the error. */
static int reader_next(struct reader *r, signet_audit_record **rec, signet_ctx *ctx)
{
	struct sn_err *e = &ctx->err;
	int c, rc;

	r->len = 0;
	while ((c = getc(r->f)) != EOF && c != '\n') {
		if (r->len + 1 >= r->cap) {
			size_t ncap = r->cap == 0 ? 4096 : r->cap * 2;
			char *p;

			if (r->cap >= SIGNET_AUDIT_MAX_LINE)
				return sn_seterr(e, SIGNET_ELIMIT,
				                 "%s:%lu: line longer than the limit of %u bytes", r->path,
				                 r->lineno + 1, SIGNET_AUDIT_MAX_LINE);
			if ((p = realloc(r->line, ncap)) == NULL)
				return sn_enomem(e);
			r->line = p;
			r->cap = ncap;
		}
		r->line[r->len++] = (char)c;
	}
	if (ferror(r->f))
		return sn_seterr(e, SIGNET_EIO, "%s: cannot read: %s", r->path, strerror(errno));
	if (c == EOF && r->len == 0)
		return 0;
	r->lineno++;
	(void)snprintf(r->where, sizeof(r->where), "%s:%lu", r->path, r->lineno);
	if (r->len == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty line", r->where);
	r->line[r->len] = '\0';
	if ((rc = signet_audit_record_parse(rec, ctx, r->where, r->line, r->len)) != 0)
		return rc;
	return 1;
}

static int stopped(struct sn_err *e, int rc)
{
	if (rc != 0 && e->code == 0)
		sn_seterr(e, rc, "audit: stopped by the caller (%d)", rc);
	return rc;
}

int signet_audit_read(signet_ctx *ctx, const char *path, signet_audit_record_cb cb, void *userdata)
{
	signet_audit_record *rec = NULL;
	int summary = 0, n, rc = 0;
	struct reader r;
	struct sn_err *e;

	if (ctx == NULL || path == NULL || cb == NULL)
		return SIGNET_EINVAL;
	e = &ctx->err;
	sn_err_clear(e);
	if ((rc = reader_open(&r, path, e)) != 0)
		return rc;
	while ((n = reader_next(&r, &rec, ctx)) == 1) {
		if (summary) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: a record after the summary", r.where);
			break;
		}
		summary = signet_audit_record_get_type(rec) == SIGNET_AUDIT_SUMMARY;
		sn_err_clear(e);
		if ((rc = stopped(e, cb(userdata, rec))) != 0)
			break;
		signet_audit_record_free(rec);
		rec = NULL;
	}
	signet_audit_record_free(rec);
	if (rc == 0 && n < 0)
		rc = n;
	if (rc == 0 && !summary)
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: no summary record at the end (an audit that did not finish?)", path);
	reader_close(&r);
	return rc;
}

/* ---- merging shards ------------------------------------------------------ */

struct shard_in {
	struct reader r;
	signet_audit_record *rec; /* the current image or orphan record, NULL at the end */
	signet_audit_record *summary;
	char *prev_repo; /* repository of the previous record */
};

/* Moves s to its next image or orphan record, checking the order; the
 * summary is kept aside and must be the last line. */
static int shard_advance(struct shard_in *s, signet_ctx *ctx)
{
	struct sn_err *e = &ctx->err;
	signet_audit_record *rec = NULL;
	const char *repo;
	int n;

	signet_audit_record_free(s->rec);
	s->rec = NULL;
	while ((n = reader_next(&s->r, &rec, ctx)) == 1) {
		if (s->summary != NULL) {
			signet_audit_record_free(rec);
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: a record after the summary", s->r.where);
		}
		if (signet_audit_record_get_type(rec) == SIGNET_AUDIT_SUMMARY) {
			s->summary = rec;
			continue;
		}
		repo = signet_audit_record_repository(rec);
		if (s->prev_repo != NULL && strcmp(repo, s->prev_repo) < 0) {
			sn_seterr(e, SIGNET_EBADINPUT,
			          "%s: repository \"%s\" after \"%s\": the file is not in audit order",
			          s->r.where, repo, s->prev_repo);
			signet_audit_record_free(rec);
			return SIGNET_EBADINPUT;
		}
		if (s->prev_repo == NULL || strcmp(repo, s->prev_repo) != 0) {
			free(s->prev_repo);
			if ((s->prev_repo = strdup(repo)) == NULL) {
				signet_audit_record_free(rec);
				return sn_enomem(e);
			}
		}
		s->rec = rec;
		return 0;
	}
	if (n < 0)
		return n;
	if (s->summary == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "%s: no summary record at the end (a shard that did not finish?)",
		                 s->r.path);
	return 0;
}

int signet_audit_shard_parse(const char *s, unsigned int *k, unsigned int *n)
{
	unsigned long a, b;
	char *end;

	if (s == NULL || *s < '1' || *s > '9')
		return SIGNET_EINVAL;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno != 0 || *end != '/' || end[1] < '1' || end[1] > '9')
		return SIGNET_EINVAL;
	b = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || a > b || b > SIGNET_AUDIT_MAX_SHARDS)
		return SIGNET_EINVAL;
	*k = (unsigned int)a;
	*n = (unsigned int)b;
	return 0;
}

/* The dump flags that reproduce a summary line from its parsed form, or
 * -1: the merged summary is written the same way, so that the merged
 * output is byte for byte the output of one run. */
static int summary_flags(json_t *summary, const char *text)
{
	static const size_t candidates[] = {
	    JSON_COMPACT | JSON_SORT_KEYS,
	    JSON_COMPACT,
	    JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII,
	    JSON_COMPACT | JSON_ENSURE_ASCII,
	    JSON_SORT_KEYS,
	    0,
	};

	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		char *d = json_dumps(summary, candidates[i]);
		int same = d != NULL && strcmp(d, text) == 0;

		free(d);
		if (same)
			return (int)candidates[i];
	}
	return -1;
}

/* Notes the signers of an image record's valid signatures in the order the
 * audit first counts them (its bySigner keeps that order). */
static int note_signers(json_t *order, const signet_audit_record *rec)
{
	for (size_t i = 0; i < signet_audit_record_sig_count(rec); i++) {
		const char *signer = signet_audit_record_sig_signer(rec, i);

		if (!signet_audit_record_sig_valid(rec, i) || signer == NULL ||
		    json_object_get(order, signer) != NULL)
			continue;
		if (json_object_set_new(order, signer, json_null()) != 0)
			return -1;
	}
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *const summary_counts[] = {
    "images", "allowed", "denied", "errors", "foreignIdentity",
};
#define N_SUMMARY_COUNTS (sizeof(summary_counts) / sizeof(summary_counts[0]))

static unsigned long long count(json_t *o, const char *key)
{
	json_int_t n = json_integer_value(json_object_get(o, key));

	return n > 0 ? (unsigned long long)n : 0;
}

/* Equal strings, or either one not recorded (null, or a file written
 * before the member existed). */
static int same_or_absent(json_t *a, json_t *b)
{
	return !json_is_string(a) || !json_is_string(b) || json_equal(a, b);
}

/* Checks that the shards' summaries are those of all shards of one split,
 * judged by one policy and written alike; *flags: how they were written. */
static int check_summaries(int *flags, struct shard_in *in, size_t n, struct sn_err *e)
{
	unsigned char *seen = calloc(SIGNET_AUDIT_MAX_SHARDS + 1, 1);
	unsigned int k, nn, shards = 0;
	json_t *p0 = NULL, *src0 = NULL;
	int rc = SIGNET_EBADINPUT;

	*flags = -1;
	if (seen == NULL)
		return sn_enomem(e);
	for (size_t i = 0; i < n; i++) {
		const signet_audit_record *s = in[i].summary;
		json_t *p = json_object_get(sn_audit_record_object(s), "policy");
		int f;

		if (signet_audit_shard_parse(signet_audit_record_shard(s), &k, &nn) != 0) {
			sn_seterr(e, rc,
			          "%s: the summary names no shard \"K/N\": not the output of `signet audit "
			          "--shard`",
			          in[i].r.path);
			goto out;
		}
		if (shards != 0 && nn != shards) {
			sn_seterr(e, rc, "%s: shard %u/%u of another split than %s (%u shards)", in[i].r.path,
			          k, nn, in[0].r.path, shards);
			goto out;
		}
		shards = nn;
		if (seen[k]) {
			sn_seterr(e, rc, "%s: shard %u/%u given twice", in[i].r.path, k, nn);
			goto out;
		}
		seen[k] = 1;
		if ((f = summary_flags(sn_audit_record_object(s), signet_audit_record_json(s))) < 0 ||
		    (*flags >= 0 && f != *flags)) {
			sn_seterr(e, rc, "%s: summary record not in the form `signet audit` writes it",
			          in[i].r.path);
			goto out;
		}
		*flags = f;
		/* One policy judged them all, or the merge would claim one
		 * that did not; and one source was split. */
		if (i == 0) {
			p0 = p;
			src0 = json_object_get(sn_audit_record_object(s), "source");
		} else if (!json_equal(p, p0) && (p != NULL || p0 != NULL)) {
			sn_seterr(e, rc, "%s: judged by another policy than %s: not shards of one audit",
			          in[i].r.path, in[0].r.path);
			goto out;
		} else if (!same_or_absent(json_object_get(sn_audit_record_object(s), "source"), src0)) {
			sn_seterr(e, rc, "%s: an audit of another source than %s: not shards of one audit",
			          in[i].r.path, in[0].r.path);
			goto out;
		}
	}
	if (n != shards) {
		for (k = 1; k <= shards && seen[k]; k++)
			;
		sn_seterr(e, rc, "shard %u/%u is missing: merge takes all %u shards of the audit", k, shards,
		          shards);
		goto out;
	}
	rc = 0;
out:
	free(seen);
	return rc;
}

/* bySigner of the whole run from by: its keys in ORDER (the order of first
 * appearance in the merged records, as the audit counts them; any other
 * key after them, in byte order).  NULL: out of memory. */
static json_t *signers_in_order(json_t *by, json_t *order)
{
	json_t *sorted = json_object(), *v;
	const char *key, **keys = NULL;
	size_t i = 0, nkeys = json_object_size(by);

	if (sorted == NULL)
		return NULL;
	json_object_foreach(order, key, v)
	{
		if (json_object_get(by, key) != NULL &&
		    json_object_set(sorted, key, json_object_get(by, key)) != 0)
			goto nomem;
	}
	if (nkeys > 0 && (keys = calloc(nkeys, sizeof(*keys))) == NULL)
		goto nomem;
	json_object_foreach(by, key, v) keys[i++] = key;
	if (nkeys > 1) /* qsort takes no NULL array, even empty */
		qsort(keys, nkeys, sizeof(*keys), cmp_keys);
	for (i = 0; i < nkeys; i++)
		if (json_object_get(sorted, keys[i]) == NULL &&
		    json_object_set(sorted, keys[i], json_object_get(by, keys[i])) != 0)
			goto nomem;
	free(keys);
	return sorted;
nomem:
	free(keys);
	json_decref(sorted);
	return NULL;
}

/* Adds each count of from (an object of integers, or NULL) to into's, a
 * key not seen before going last.  Returns 0, SIGNET_ELIMIT (a sum over
 * LLONG_MAX) or SIGNET_ENOMEM. */
static int add_counts(json_t *into, json_t *from)
{
	const char *key;
	json_t *v;

	json_object_foreach(from, key, v)
	{
		json_int_t had = json_integer_value(json_object_get(into, key));

		if (had > LLONG_MAX - json_integer_value(v))
			return SIGNET_ELIMIT;
		if (json_object_set_new(into, key, json_integer(had + json_integer_value(v))) != 0)
			return SIGNET_ENOMEM;
	}
	return 0;
}

/* The summary of the whole run from the shards' ones: counts summed,
 * bySigner merged in ORDER, "shard": null; key order and formatting as the
 * shards' summaries. */
static int merge_summaries(signet_audit_record **out, struct shard_in *in, size_t n, json_t *order,
                           struct sn_err *e)
{
	json_t *sum = NULL, *by = NULL, *sorted = NULL, *v, *unlooked = NULL, *fmt = NULL;
	unsigned long long totals[N_SUMMARY_COUNTS] = {0}, orphans = 0, unlooked_repos = 0;
	const char *key;
	char *text = NULL;
	size_t i, j;
	int flags, rc;

	if ((rc = check_summaries(&flags, in, n, e)) != 0)
		return rc;
	if ((by = json_object()) == NULL || (fmt = json_object()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		json_t *s = sn_audit_record_object(in[i].summary);

		for (j = 0; j < N_SUMMARY_COUNTS; j++) {
			unsigned long long c = count(s, summary_counts[j]);

			if (totals[j] + c < totals[j] || totals[j] + c > (unsigned long long)LLONG_MAX)
				goto toobig;
			totals[j] += c;
		}
		/* Orphans: counted only if every shard looked everywhere; the
		 * first repository not looked in is the first in audit order
		 * (each repository is in one shard). */
		orphans += count(s, "orphans");
		v = json_object_get(s, "orphansNotLookedFor");
		if (json_is_object(v)) {
			unlooked_repos += count(v, "repositories");
			if (unlooked == NULL ||
			    strcmp(json_string_value(json_object_get(v, "repository")),
			           json_string_value(json_object_get(unlooked, "repository"))) < 0)
				unlooked = v;
		}
		if (orphans > (unsigned long long)LLONG_MAX || unlooked_repos > (unsigned long long)LLONG_MAX)
			goto toobig;
		/* bySigner and byFormat: summed per key, in the order first seen. */
		if ((rc = add_counts(by, json_object_get(s, "bySigner"))) != 0 ||
		    (rc = add_counts(fmt, json_object_get(s, "byFormat"))) != 0) {
			if (rc == SIGNET_ENOMEM)
				goto nomem;
			goto toobig;
		}
	}
	/* The first shard's summary, values replaced in place: same key order. */
	if ((sum = json_deep_copy(sn_audit_record_object(in[0].summary))) == NULL)
		goto nomem;
	for (j = 0; j < N_SUMMARY_COUNTS; j++)
		if (json_object_set_new(sum, summary_counts[j], json_integer((json_int_t)totals[j])) != 0)
			goto nomem;
	if (unlooked == NULL) {
		if (json_object_set_new(sum, "orphans", json_integer((json_int_t)orphans)) != 0 ||
		    (json_object_get(sum, "orphansNotLookedFor") != NULL &&
		     json_object_set_new(sum, "orphansNotLookedFor", json_null()) != 0))
			goto nomem;
	} else {
		json_t *u =
		    json_pack("{s:I, s:s, s:s}", "repositories", (json_int_t)unlooked_repos, "repository",
		              json_string_value(json_object_get(unlooked, "repository")), "reason",
		              json_string_value(json_object_get(unlooked, "reason")));

		if (u == NULL || json_object_set_new(sum, "orphans", json_null()) != 0 ||
		    json_object_set_new(sum, "orphansNotLookedFor", u) != 0)
			goto nomem;
	}
	/* Started: the earliest shard's (ISO 8601 in UTC sorts as text). */
	for (i = 1; i < n; i++) {
		v = json_object_get(sn_audit_record_object(in[i].summary), "started");
		key = json_string_value(json_object_get(sum, "started"));
		if (json_is_string(v) && key != NULL && strcmp(json_string_value(v), key) < 0 &&
		    json_object_set(sum, "started", v) != 0)
			goto nomem;
	}
	if (json_object_get(sum, "byFormat") != NULL && json_object_set(sum, "byFormat", fmt) != 0)
		goto nomem;
	if ((sorted = signers_in_order(by, order)) == NULL || json_object_set(sum, "bySigner", sorted) != 0 ||
	    json_object_set_new(sum, "shard", json_null()) != 0 ||
	    (text = json_dumps(sum, (size_t)flags)) == NULL)
		goto nomem;
	rc = sn_audit_record_new(out, sum, text, e);
	goto out;
toobig:
	rc = sn_seterr(e, SIGNET_ELIMIT, "the summed counts of the shards are too large");
	goto out;
nomem:
	rc = sn_enomem(e);
out:
	free(text);
	json_decref(sorted);
	json_decref(by);
	json_decref(fmt);
	json_decref(sum);
	return rc;
}

/* The shard whose current record comes first (n: none left); two shards
 * at one repository is an error. */
static int next_shard(size_t *best, struct shard_in *in, size_t n, struct sn_err *e)
{
	*best = n;
	for (size_t i = 0; i < n; i++) {
		int c = 0;

		if (in[i].rec == NULL)
			continue;
		if (*best == n || (c = strcmp(signet_audit_record_repository(in[i].rec),
		                              signet_audit_record_repository(in[*best].rec))) < 0)
			*best = i;
		else if (c == 0)
			return sn_seterr(
			    e, SIGNET_EBADINPUT, "repository \"%s\" is in both %s and %s: the shards overlap",
			    signet_audit_record_repository(in[i].rec), in[*best].r.path, in[i].r.path);
	}
	return 0;
}

int signet_audit_merge(signet_ctx *ctx, const char *const *paths, size_t n, signet_audit_record_cb cb,
                       void *userdata)
{
	signet_audit_record *merged = NULL;
	struct shard_in *in = NULL;
	json_t *order = NULL;
	char *repo = NULL;
	struct sn_err *e;
	size_t i, best;
	int rc = 0;

	if (ctx == NULL || paths == NULL || cb == NULL)
		return SIGNET_EINVAL;
	e = &ctx->err;
	sn_err_clear(e);
	if (n == 0 || n > SIGNET_AUDIT_MAX_SHARDS)
		return sn_seterr(e, SIGNET_EINVAL, "audit merge takes from 1 to %u files",
		                 SIGNET_AUDIT_MAX_SHARDS);
	if ((in = calloc(n, sizeof(*in))) == NULL || (order = json_object()) == NULL) {
		free(in);
		return sn_enomem(e);
	}
	for (i = 0; i < n; i++)
		if ((rc = reader_open(&in[i].r, paths[i], e)) != 0 || (rc = shard_advance(&in[i], ctx)) != 0)
			goto out;
	/* k-way merge by repository: each repository lives in exactly one
	 * shard, so its records are copied as a block, in the shard's order. */
	for (;;) {
		if ((rc = next_shard(&best, in, n, e)) != 0)
			goto out;
		if (best == n)
			break;
		free(repo);
		if ((repo = strdup(signet_audit_record_repository(in[best].rec))) == NULL) {
			rc = sn_enomem(e);
			goto out;
		}
		do {
			if (signet_audit_record_get_type(in[best].rec) == SIGNET_AUDIT_IMAGE &&
			    note_signers(order, in[best].rec) != 0) {
				rc = sn_enomem(e);
				goto out;
			}
			if ((rc = stopped(e, cb(userdata, in[best].rec))) != 0 ||
			    (rc = shard_advance(&in[best], ctx)) != 0)
				goto out;
		} while (in[best].rec != NULL &&
		         strcmp(signet_audit_record_repository(in[best].rec), repo) == 0);
	}
	if ((rc = merge_summaries(&merged, in, n, order, e)) == 0)
		rc = stopped(e, cb(userdata, merged));
out:
	for (i = 0; in != NULL && i < n; i++) {
		signet_audit_record_free(in[i].rec);
		signet_audit_record_free(in[i].summary);
		free(in[i].prev_repo);
		reader_close(&in[i].r);
	}
	free(in);
	free(repo);
	signet_audit_record_free(merged);
	json_decref(order);
	return rc;
}
