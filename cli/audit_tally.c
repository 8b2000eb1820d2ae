/* SPDX-License-Identifier: Apache-2.0 */
/* cli/audit_tally.c: what the terminal report and the HTML page gather
 * from the image records as they stream by, for the summary they lead
 * with: signatures by format, denials grouped by reason, and the names
 * of the signers (the summary's bySigner has their key ids only).  All
 * of it bounded: at most AUDIT_MAX_REASON_GROUPS reasons and
 * AUDIT_MAX_SIGNER_NAMES names are kept; the rest is counted. */
#include "cli.h"
#include "audit.h"

#include <stdlib.h>
#include <string.h>

void audit_tally_init(struct audit_tally *t)
{
	memset(t, 0, sizeof(*t));
}

void audit_tally_free(struct audit_tally *t)
{
	for (size_t i = 0; i < t->n_reasons; i++) {
		free(t->reasons[i].text);
		free(t->reasons[i].example);
	}
	free(t->reasons);
	for (size_t i = 0; i < t->n_names; i++) {
		free(t->names[i].signer);
		free(t->names[i].name);
	}
	free(t->names);
	memset(t, 0, sizeof(*t));
}

/* Appends n bytes of s to the string being built in *b (len, cap).
 * Returns 0 or -1 (out of memory). */
static int grow_append(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t want = (*len + n + 1) * 2;
		char *p = realloc(*b, want);

		if (p == NULL)
			return -1;
		*b = p;
		*cap = want;
	}
	memcpy(*b + *len, s, n);
	*len += n;
	(*b)[*len] = '\0';
	return 0;
}

char *audit_reason_short(const char *reason, const char *ref, const char *digest)
{
	size_t rlen = ref != NULL ? strlen(ref) : 0, dlen = digest != NULL ? strlen(digest) : 0;
	size_t len = 0, cap = 0;
	const char *p = reason;
	char *b = NULL;

	if (reason == NULL)
		return NULL;
	/* "REF: denied: " names the image the row already names */
	if (rlen > 0 && strncmp(p, ref, rlen) == 0 && strncmp(p + rlen, ": ", 2) == 0)
		p += rlen + 2;
	if (strncmp(p, "denied: ", 8) == 0)
		p += 8;
	if (grow_append(&b, &len, &cap, "", 0) != 0)
		return NULL;
	while (*p != '\0') {
		if (rlen > 0 && strncmp(p, ref, rlen) == 0) {
			if (grow_append(&b, &len, &cap, "the image", 9) != 0)
				goto nomem;
			p += rlen;
		} else if (dlen > 0 && strncmp(p, digest, dlen) == 0) {
			if (grow_append(&b, &len, &cap, "its digest", 10) != 0)
				goto nomem;
			p += dlen;
		} else {
			/* control characters (terminal escapes) as '?', as
			 * every cell is cleaned: the text is a group's key */
			char c = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;

			if (grow_append(&b, &len, &cap, &c, 1) != 0)
				goto nomem;
			p++;
		}
	}
	return b;
nomem:
	free(b);
	return NULL;
}

/* Removes every "WORD FILE: " (WORD policy or contract, FILE one of the
 * summary's policy files) from text, in place: the report names the
 * policy once, in its header. */
void audit_strip_policy(char *text, const signet_audit_record *summary)
{
	static const char *const words[] = {"policy ", "contract "};
	size_t n = signet_audit_record_policy_file_count(summary);

	for (size_t i = 0; text != NULL && i < n; i++) {
		const char *file = signet_audit_record_policy_file(summary, i);
		size_t flen = file != NULL ? strlen(file) : 0;

		for (size_t w = 0; flen > 0 && w < sizeof(words) / sizeof(words[0]); w++) {
			size_t wlen = strlen(words[w]);
			char *p = text;

			while ((p = strstr(p, words[w])) != NULL) {
				if (strncmp(p + wlen, file, flen) == 0 &&
				    strncmp(p + wlen + flen, ": ", 2) == 0) {
					/* ", policy F: x" -> ", x" */
					memmove(p, p + wlen + flen + 2, strlen(p + wlen + flen + 2) + 1);
					continue;
				}
				p += wlen;
			}
		}
	}
}

static int tally_reason(struct audit_tally *t, const signet_audit_record *rec)
{
	int verdict = signet_audit_record_verdict(rec);
	const char *ref = signet_audit_record_reference(rec);
	char *text =
	    audit_reason_short(signet_audit_record_reason(rec), ref, signet_audit_record_digest(rec));
	struct audit_reason *r;

	if (text == NULL) {
		if (signet_audit_record_reason(rec) != NULL)
			return -1;
		text = strdup("(no reason recorded)");
		if (text == NULL)
			return -1;
	}
	for (size_t i = 0; i < t->n_reasons; i++) {
		r = &t->reasons[i];
		if (r->verdict == verdict && strcmp(r->text, text) == 0) {
			r->count++;
			free(text);
			return 0;
		}
	}
	if (t->n_reasons >= AUDIT_MAX_REASON_GROUPS) {
		t->reasons_other[verdict == SIGNET_AUDIT_DENIED ? 0 : 1]++;
		free(text);
		return 0;
	}
	if (t->n_reasons == t->cap_reasons) {
		size_t cap = t->cap_reasons == 0 ? 8 : t->cap_reasons * 2;

		r = realloc(t->reasons, cap * sizeof(*r));
		if (r == NULL) {
			free(text);
			return -1;
		}
		t->reasons = r;
		t->cap_reasons = cap;
	}
	r = &t->reasons[t->n_reasons];
	r->text = text;
	r->count = 1;
	r->verdict = verdict;
	r->example = ref != NULL ? strdup(ref) : NULL;
	t->n_reasons++;
	return 0;
}

static int tally_name(struct audit_tally *t, const char *signer, const char *name)
{
	struct audit_signer_name *n;

	if (name == NULL || *name == '\0' || audit_tally_name(t, signer) != NULL)
		return 0;
	if (t->n_names >= AUDIT_MAX_SIGNER_NAMES)
		return 0; /* shown by key id alone */
	if (t->n_names == t->cap_names) {
		size_t cap = t->cap_names == 0 ? 8 : t->cap_names * 2;

		n = realloc(t->names, cap * sizeof(*n));
		if (n == NULL)
			return -1;
		t->names = n;
		t->cap_names = cap;
	}
	n = &t->names[t->n_names];
	n->signer = strdup(signer);
	n->name = strdup(name);
	if (n->signer == NULL || n->name == NULL) {
		free(n->signer);
		free(n->name);
		return -1;
	}
	t->n_names++;
	return 0;
}

int audit_tally_image(struct audit_tally *t, const signet_audit_record *rec)
{
	size_t n = signet_audit_record_sig_count(rec);

	if (n == 0)
		t->unsigned_images++;
	for (size_t i = 0; i < n; i++) {
		const char *kind = signet_audit_record_sig_kind(rec, i), *signer;
		int valid = signet_audit_record_sig_valid(rec, i) == 1;
		int k = kind != NULL && strcmp(kind, "simple-signing") == 0 ? 0
		        : kind != NULL && strcmp(kind, "sigstore") == 0     ? 1
		                                                            : 2;

		t->sigs[k]++;
		if (valid)
			t->valid[k]++;
		signer = signet_audit_record_sig_signer(rec, i);
		if (valid && signer != NULL &&
		    tally_name(t, signer, signet_audit_record_sig_signer_name(rec, i)) != 0)
			return -1;
	}
	if (signet_audit_record_verdict(rec) != SIGNET_AUDIT_ALLOWED)
		return tally_reason(t, rec);
	return 0;
}

const char *audit_tally_name(const struct audit_tally *t, const char *signer)
{
	for (size_t i = 0; signer != NULL && i < t->n_names; i++)
		if (strcmp(t->names[i].signer, signer) == 0)
			return t->names[i].name;
	return NULL;
}

void audit_signer_label(char *buf, size_t n, const char *signer, const char *name)
{
	size_t len = signer != NULL ? strlen(signer) : 0;
	char id[64];

	if (signer == NULL) {
		(void)snprintf(buf, n, "%s", name != NULL ? name : "unknown key");
		return;
	}
	if (strncmp(signer, "SHA256:", 7) == 0) {
		/* a cosign key: its SPKI digest, as a prefix; the name is
		 * where the policy pins it (keyPath FILE) */
		if (name != NULL && *name != '\0')
			(void)snprintf(buf, n, "cosign key %.23s%s (%s)", signer,
			               len > 23 ? AUDIT_ELLIPSIS : "", name);
		else
			(void)snprintf(buf, n, "cosign key %.23s%s", signer, len > 23 ? AUDIT_ELLIPSIS : "");
		return;
	} else if (len > AUDIT_KEY_ID_HEX + 4) {
		/* an OpenPGP fingerprint: its start, and its long key id */
		(void)snprintf(id, sizeof(id), "%.4s" AUDIT_ELLIPSIS "%s", signer,
		               signer + len - AUDIT_KEY_ID_HEX);
	} else {
		(void)snprintf(id, sizeof(id), "%.60s", signer);
	}
	if (name != NULL && *name != '\0')
		(void)snprintf(buf, n, "%s (%s)", name, id);
	else
		(void)snprintf(buf, n, "OpenPGP key %s", id);
}

static int reason_cmp(const void *a, const void *b)
{
	const struct audit_reason *x = a, *y = b;

	if (x->verdict != y->verdict)
		return x->verdict == SIGNET_AUDIT_DENIED ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->text, y->text);
}

void audit_tally_sort(struct audit_tally *t)
{
	if (t->n_reasons > 1)
		qsort(t->reasons, t->n_reasons, sizeof(t->reasons[0]), reason_cmp);
}

void audit_describe_source(FILE *f, audit_put_fn put, const char *source)
{
	if (source == NULL) {
		fputs("not recorded (a report written before signet recorded it)", f);
		return;
	}
	put(f, source);
	if (strncmp(source, "docker://", 9) == 0) {
		const char *path = strchr(source + 9, '/');

		if (path == NULL || path[1] == '\0')
			fputs(" (a registry: every repository of its catalog)", f);
		else if (strchr(path, ':') != NULL)
			fputs(" (one image)", f);
		else
			fputs(" (a namespace or repository of a registry: every repository under it)", f);
	} else if (strncmp(source, "dir:", 4) == 0) {
		fputs(" (a mirror: a skopeo sync dir: tree)", f);
	} else if (strncmp(source, "oci:", 4) == 0) {
		fputs(" (an OCI layout: every reference in it)", f);
	}
}

size_t audit_tally_reason_index(const struct audit_tally *t, const char *text)
{
	for (size_t i = 0; text != NULL && i < t->n_reasons; i++)
		if (strcmp(t->reasons[i].text, text) == 0)
			return i;
	return (size_t)-1;
}
