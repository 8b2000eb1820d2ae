/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/gate.c: the pre-pull gate for a whole workload (signet/gate.h).
 * Every image occurrence is verified (each distinct reference once), the
 * report lists them all, and the workload is written back pinned to the
 * verified digests only when every one is allowed.
 *
 * Which failure the gate returns when several occur: a denial (or an
 * integrity failure, which is a denial too) outranks everything, since
 * no retry can turn the workload into an allowed one; then input that
 * does not parse (an image reference, a manifest); then failures to read
 * (network, registry, files).  Within a rank, the first occurrence wins.
 */
#include "verify/workload.h"

#include "verifier_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct gate_entry {
	char *where;
	char *image;
	int verdict;
	char *pinned;
	char *reason;
};

struct signet_gate_report {
	struct gate_entry *entries;
	size_t n;
};

void signet_gate_report_free(signet_gate_report *report)
{
	if (report == NULL)
		return;
	for (size_t i = 0; i < report->n; i++) {
		free(report->entries[i].where);
		free(report->entries[i].image);
		free(report->entries[i].pinned);
		free(report->entries[i].reason);
	}
	free(report->entries);
	free(report);
}

size_t signet_gate_report_count(const signet_gate_report *report)
{
	return report != NULL ? report->n : 0;
}

int signet_gate_report_entry(const signet_gate_report *report, size_t i, const char **where,
                             const char **image, int *verdict, const char **pinned, const char **reason)
{
	const struct gate_entry *g;

	if (report == NULL || i >= report->n)
		return SIGNET_EINVAL;
	g = &report->entries[i];
	if (where != NULL)
		*where = g->where;
	if (image != NULL)
		*image = g->image;
	if (verdict != NULL)
		*verdict = g->verdict;
	if (pinned != NULL)
		*pinned = g->pinned;
	if (reason != NULL)
		*reason = g->reason;
	return 0;
}

/* The rank of a verdict for the whole workload (see the top). */
static int severity(int code)
{
	switch (code) {
	case 0: return 0;
	case SIGNET_EDENIED: return 4;
	case SIGNET_EINTEGRITY: return 3;
	case SIGNET_EBADINPUT:
	case SIGNET_ELIMIT:
	case SIGNET_EUNSUPPORTED:
	case SIGNET_EINVAL: return 2;
	default: return 1;
	}
}

/* What to write for image (parsed as ref) verified at digest: the text as
 * written with "@digest" appended; if it named a digest already, that
 * digest (it is the one verified) or, for an index named by digest, the
 * instance chosen in its place. */
static char *pin(const char *image, const struct sn_ref *ref, const char *digest, struct sn_err *e)
{
	const char *at;

	if (ref->digest == NULL)
		return sn_aprintf(e, "%s@%s", image, digest);
	if (strcmp(ref->digest, digest) == 0)
		return sn_strdup(image, e);
	at = strrchr(image, '@');
	if (at == NULL || at - image > INT_MAX) {
		(void)sn_seterr(e, SIGNET_EBADINPUT, "%s: cannot find its digest", image);
		return NULL;
	}
	return sn_aprintf(e, "%.*s@%s", (int)(at - image), image, digest);
}

/* Verifies one distinct image into g. */
static int check_one(struct gate_entry *g, sn_gate_verify_fn verify, void *userdata, struct sn_err *e)
{
	struct sn_err ie = {0};
	struct sn_ref *ref = NULL;
	char *digest = NULL, *signer = NULL;
	int rc;

	rc = sn_ref_parse_docker(&ref, g->image, &ie);
	if (rc == SIGNET_ENOMEM)
		goto out;
	if (rc == 0 && (rc = verify(userdata, ref, &digest, &signer, &ie)) == 0 &&
	    (digest == NULL || (rc = sn_digest_validate(digest, &ie)) == 0)) {
		if (digest == NULL)
			rc = sn_seterr(&ie, SIGNET_EINVAL, "%s: the verifier returned no digest", g->image);
		else if ((g->pinned = pin(g->image, ref, digest, &ie)) == NULL)
			rc = ie.code != 0 ? ie.code : SIGNET_ENOMEM;
	}
	if (rc == SIGNET_ENOMEM)
		goto out;
	g->verdict = rc;
	if (rc == 0) {
		g->reason = signer;
		signer = NULL;
	} else {
		const char *hint =
		    strstr(g->image, "{{") != NULL
		        ? " (a template filled in at deployment: the gate can only verify an "
		          "image named in full)"
		    : strchr(g->image, '$') != NULL
		        ? " (a variable substituted at deployment: the gate can only verify an "
		          "image named in full)"
		        : "";

		g->reason = sn_aprintf(e, "%s%s", ie.msg[0] != '\0' ? ie.msg : signet_strerror(rc), hint);
		if (g->reason == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
	}
	rc = 0;
out:
	if (rc == SIGNET_ENOMEM)
		(void)sn_enomem(e);
	sn_ref_free(ref);
	free(digest);
	free(signer);
	return rc;
}

int sn_gate_run(signet_gate_report **report, sn_gate_verify_fn verify, void *userdata, const char *path,
                const char *output, struct sn_err *e)
{
	return sn_gate_run_checked(report, NULL, verify, userdata, path, output, e);
}

int sn_gate_run_checked(signet_gate_report **report, sn_gate_check_fn check, sn_gate_verify_fn verify,
                        void *userdata, const char *path, const char *output, struct sn_err *e)
{
	struct sn_workload *w = NULL;
	signet_gate_report *r = NULL;
	struct sn_buf file, out;
	char *real = NULL;
	size_t n_bad = 0, worst = 0;
	struct stat st;
	int rc;

	memset(&file, 0, sizeof(file));
	memset(&out, 0, sizeof(out));
	if (report == NULL || verify == NULL || path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_gate: NULL argument");
	if ((rc = sn_file_read(&file, path, SIGNET_MAX_POLICY_FILE_SIZE, "workload", 0, e)) != 0)
		return rc;
	if (stat(path, &st) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "workload %s: cannot read its mode", path);
		goto out;
	}
	if ((rc = sn_workload_parse_path(&w, file.data, file.len, path, e)) != 0 ||
	    (check != NULL && (rc = check(userdata, w, path, e)) != 0))
		goto out;
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->entries = calloc(sn_workload_count(w), sizeof(*r->entries))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	for (size_t i = 0; i < sn_workload_count(w); i++) {
		const struct sn_image_site *s = sn_workload_site(w, i);
		struct gate_entry *g = &r->entries[r->n++];
		const struct gate_entry *same = NULL;

		if ((g->where = sn_strdup(s->where, e)) == NULL ||
		    (g->image = sn_strdup(s->image, e)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		/* Each distinct reference, as written, is verified once. */
		for (size_t j = 0; j < i && same == NULL; j++)
			if (strcmp(r->entries[j].image, g->image) == 0)
				same = &r->entries[j];
		if (same != NULL) {
			g->verdict = same->verdict;
			if ((same->pinned != NULL && (g->pinned = sn_strdup(same->pinned, e)) == NULL) ||
			    (same->reason != NULL && (g->reason = sn_strdup(same->reason, e)) == NULL)) {
				rc = SIGNET_ENOMEM;
				goto out;
			}
		} else if ((rc = check_one(g, verify, userdata, e)) != 0) {
			goto out;
		}
		if (g->verdict != 0) {
			if (n_bad == 0 || severity(g->verdict) > severity(r->entries[worst].verdict))
				worst = i;
			n_bad++;
		}
	}
	if (n_bad != 0) {
		const struct gate_entry *g = &r->entries[worst];

		rc = sn_seterr(e, g->verdict,
		               "workload %s: %zu of %zu image%s not allowed, nothing written; %s (%s): %s",
		               path, n_bad, r->n, r->n == 1 ? "" : "s", g->where, g->image, g->reason);
		goto out;
	}
	for (size_t i = 0; i < r->n; i++)
		if ((rc = sn_workload_replace(w, i, r->entries[i].pinned, e)) != 0)
			goto out;
	if ((rc = sn_workload_render(&out, w, e)) != 0) {
		(void)sn_errctx(e, "workload %s: ", path);
		goto out;
	}
	if (output == NULL && (real = realpath(path, NULL)) == NULL) {
		rc = sn_seterr(e, SIGNET_EIO, "workload %s: cannot resolve its path", path);
		goto out;
	}
	rc = sn_file_write_atomic(output != NULL ? output : real, out.data, out.len, st.st_mode & 0777, 0, e);
out:
	free(real);
	sn_buf_free(&out);
	sn_buf_free(&file);
	sn_workload_free(w);
	/* The report goes out whenever the workload was read (not when
	 * memory ran out while it was being made). */
	if (r != NULL && rc != SIGNET_ENOMEM) {
		*report = r;
		r = NULL;
	}
	signet_gate_report_free(r);
	return rc;
}

/* The verification step of signet_gate: signet_verify. */
static int verify_with(void *userdata, const struct sn_ref *ref, char **digest, char **signer,
                       struct sn_err *e)
{
	signet_verifier *v = userdata;
	signet_verdict *verdict = NULL;
	const char *fpr, *uid;
	int rc;

	rc = signet_verify(&verdict, v, (const signet_ref *)ref);
	if (rc != 0) {
		const char *msg = signet_ctx_errmsg(v->ctx);

		return sn_seterr(e, rc, "%s", msg[0] != '\0' ? msg : signet_strerror(rc));
	}
	fpr = signet_verdict_signer(verdict);
	uid = signet_verdict_signer_uid(verdict);
	rc = SIGNET_ENOMEM;
	if ((*digest = sn_strdup(signet_verdict_digest(verdict), e)) == NULL)
		goto out;
	*signer = fpr == NULL ? NULL : uid != NULL ? sn_aprintf(e, "%s (%s)", uid, fpr) : sn_strdup(fpr, e);
	if (fpr != NULL && *signer == NULL) {
		free(*digest);
		*digest = NULL;
		goto out;
	}
	rc = 0;
out:
	signet_verdict_free(verdict);
	return rc;
}

/* The registry hosts of the images of w (docker references that parse),
 * each once, as "A, B, C" in *list (caller frees; NULL when none); *n
 * their number. */
static int image_hosts(char **list, size_t *n, const struct sn_workload *w, struct sn_err *e)
{
	struct sn_buf b;
	int rc = 0;

	*n = 0;
	*list = NULL;
	sn_buf_init(&b, (size_t)SIGNET_MAX_WORKLOAD_IMAGES * (SIGNET_MAX_NAME_LENGTH + 2), "registry hosts");
	for (size_t i = 0; i < sn_workload_count(w) && rc == 0; i++) {
		struct sn_ref *ref = NULL;
		const char *h;
		int seen = 0;

		if (sn_ref_parse_docker(&ref, sn_workload_site(w, i)->image, NULL) != 0)
			continue; /* reported as it is verified; never contacted */
		/* b holds "A, B": compare ref's host with each. */
		for (h = (const char *)b.data; h != NULL && !seen;) {
			const char *end = strstr(h, ", ");
			size_t len = end != NULL ? (size_t)(end - h) : strlen(h);
			char one[SIGNET_MAX_NAME_LENGTH + 1];

			if (len < sizeof(one)) {
				memcpy(one, h, len);
				one[len] = '\0';
				seen = sn_registry_host_equal(one, ref->domain);
			}
			h = end != NULL ? end + 2 : NULL;
		}
		if (!seen && ((*n != 0 && (rc = sn_buf_append_str(&b, ", ", e)) != 0) ||
		              (rc = sn_buf_append_str(&b, ref->domain, e)) != 0)) {
			sn_ref_free(ref);
			break;
		}
		*n += !seen;
		sn_ref_free(ref);
	}
	if (rc == 0 && *n != 0)
		*list = (char *)sn_buf_steal(&b, NULL);
	sn_buf_free(&b);
	return rc;
}

/* Before any request: --creds not yet bound to a host go to the one
 * registry host the workload names, and a workload naming several is
 * refused (the credentials are for one registry, as skopeo's --creds). */
static int bind_creds(void *userdata, const struct sn_workload *w, const char *path, struct sn_err *e)
{
	signet_verifier *v = userdata;
	char *hosts = NULL;
	size_t n = 0;
	int rc;

	if (v->ctx->creds == NULL || v->ctx->creds_host != NULL)
		return 0;
	if ((rc = image_hosts(&hosts, &n, w, e)) != 0)
		return rc;
	if (n > 1)
		rc = sn_seterr(e, SIGNET_EINVAL,
		               "workload %s names images on %zu registry hosts (%s): the credentials given "
		               "(--creds) are for one registry, and nothing is sent to any: give each host "
		               "its own with --authfile or the contract's workload.auths",
		               path, n, hosts);
	else if (n == 1)
		rc = sn_ctx_bind_creds(v->ctx, hosts, e);
	free(hosts);
	return rc;
}

int signet_gate(signet_gate_report **report, signet_verifier *v, const char *path, const char *output)
{
	struct sn_err *e;
	int rc;

	if (v == NULL)
		return SIGNET_EINVAL;
	/* signet_verify uses the context's error record for each image; the
	 * gate's own message is made aside and put there at the end. */
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		(void)sn_enomem(&v->ctx->err);
		return SIGNET_ENOMEM;
	}
	rc = sn_gate_run_checked(report, bind_creds, verify_with, v, path, output, e);
	if (rc == 0)
		sn_err_clear(&v->ctx->err);
	else
		v->ctx->err = *e;
	free(e);
	return rc;
}
