/* SPDX-License-Identifier: Apache-2.0 */
/* cli/audit_table.c: the terminal report of `signet audit`: what was
 * audited and under which policy, the counts, the denials grouped by
 * reason, the signers by name, then one aligned line per image (cells cut
 * to the terminal's width with "…") and the orphans.  Rows wait in
 * temporary files until the summary has arrived, so memory stays bounded.
 * Every string from a record is cleaned of control characters. */
#include "cli.h"
#include "audit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The image table's columns; the last, the reason, is not padded. */
enum { COL_VERDICT, COL_REF, COL_DIGEST, COL_SIGNERS, COL_REASON, N_COLS };
/* Cells of a row in the temporary file are separated by this byte, which
 * cleaned text never holds. */
#define CELL_SEP '\x1f'
/* Shortest width a cut column keeps. */
#define MIN_CELL 8u
/* What the digest column shows: 12 hex digits, as docker shows image ids. */
#define DIGEST_SHOWN 12u

struct audit_table {
	FILE *rows, *orphans;
	size_t widest[N_COLS];
};

void audit_put_clean(FILE *f, const char *s)
{
	if (s == NULL || *s == '\0') {
		fputc('-', f);
		return;
	}
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

/* Display width of n bytes of UTF-8: its code points. */
static size_t text_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Writes s cleaned, with NULL or "" as "-", and returns its width. */
static size_t put_cell(FILE *f, const char *s)
{
	size_t w = 0;

	if (s == NULL || *s == '\0') {
		fputc('-', f);
		return 1;
	}
	for (; *s != '\0'; s++) {
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/* The part of a short reason a row shows after its group's number: what
 * is wrong, after "requirement N of M (...) not met: ". */
static const char *reason_tail(const char *text)
{
	const char *p = strstr(text, ") not met: ");

	return p != NULL ? p + 11 : text;
}

unsigned int audit_columns(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	unsigned long n = 0;
	char *end;

	if (env != NULL && *env >= '0' && *env <= '9') {
		errno = 0;
		n = strtoul(env, &end, 10);
		if (errno != 0 || *end != '\0')
			n = 0;
	}
	if (n == 0 && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		n = ws.ws_col;
	if (n == 0)
		n = AUDIT_COLUMNS_DEFAULT;
	if (n < AUDIT_COLUMNS_MIN)
		n = AUDIT_COLUMNS_MIN;
	if (n > AUDIT_COLUMNS_MAX)
		n = AUDIT_COLUMNS_MAX;
	return (unsigned int)n;
}

int audit_table_open(struct audit_table **out)
{
	struct audit_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return cli_usage_error("out of memory");
	if ((t->rows = tmpfile()) == NULL || (t->orphans = tmpfile()) == NULL) {
		fprintf(stderr, "signet: cannot create a temporary file: %s\n", strerror(errno));
		audit_table_free(t);
		return EXIT_UNREACHABLE;
	}
	*out = t;
	return 0;
}

void audit_table_free(struct audit_table *t)
{
	if (t == NULL)
		return;
	if (t->rows != NULL)
		fclose(t->rows);
	if (t->orphans != NULL)
		fclose(t->orphans);
	free(t);
}

static void widen(struct audit_table *t, int col, size_t w)
{
	if (w > t->widest[col])
		t->widest[col] = w;
}

/* One image's row: verdict, reference, short digest, its valid signers
 * (each key once), the reason without the image's own name. */
static int table_image(struct audit_table *t, const signet_audit_record *rec)
{
	const char *digest = signet_audit_record_digest(rec), *ref = signet_audit_record_reference(rec);
	const char *reason = signet_audit_record_reason(rec);
	size_t i, j, n = signet_audit_record_sig_count(rec), w = 0, shown = 0;
	char label[512], *text;
	FILE *f = t->rows;

	widen(t, COL_VERDICT, put_cell(f, signet_audit_verdict_name(signet_audit_record_verdict(rec))));
	fputc(CELL_SEP, f);
	if (ref != NULL) {
		widen(t, COL_REF, put_cell(f, ref));
	} else {
		w = put_cell(f, signet_audit_record_repository(rec));
		fputc(':', f);
		widen(t, COL_REF, w + 1 + put_cell(f, signet_audit_record_tag(rec)));
	}
	fputc(CELL_SEP, f);
	if (digest != NULL && strncmp(digest, "sha256:", 7) == 0 && strlen(digest) > 7 + DIGEST_SHOWN) {
		fprintf(f, "%.*s", (int)DIGEST_SHOWN, digest + 7);
		widen(t, COL_DIGEST, DIGEST_SHOWN);
	} else {
		widen(t, COL_DIGEST, put_cell(f, digest));
	}
	fputc(CELL_SEP, f);
	w = 0;
	for (i = 0; i < n; i++) {
		const char *signer = signet_audit_record_sig_signer(rec, i);

		if (signet_audit_record_sig_valid(rec, i) != 1 || signer == NULL)
			continue;
		for (j = 0; j < i; j++) /* one key that signed twice, once */
			if (signet_audit_record_sig_valid(rec, j) == 1 &&
			    signet_audit_record_sig_signer(rec, j) != NULL &&
			    strcmp(signet_audit_record_sig_signer(rec, j), signer) == 0)
				break;
		if (j < i)
			continue;
		if (shown++ > 0) {
			fputs(", ", f);
			w += 2;
		}
		audit_signer_label(label, sizeof(label), signer, signet_audit_record_sig_signer_name(rec, i));
		w += put_cell(f, label);
	}
	if (shown == 0)
		w = put_cell(f, NULL);
	widen(t, COL_SIGNERS, w);
	fputc(CELL_SEP, f);
	text = audit_reason_short(reason, ref, digest);
	if (text == NULL && reason != NULL)
		return cli_usage_error("out of memory");
	/* shown as "[N] " and its tail (put_images) */
	put_cell(f, text);
	widen(t, COL_REASON, text != NULL ? 6 + text_width(reason_tail(text), strlen(reason_tail(text))) : 1);
	free(text);
	fputc('\n', f);
	return 0;
}

int audit_table_record(struct audit_table *t, const signet_audit_record *rec)
{
	switch (signet_audit_record_get_type(rec)) {
	case SIGNET_AUDIT_IMAGE: return table_image(t, rec);
	case SIGNET_AUDIT_ORPHAN:
		fputs("  ", t->orphans);
		audit_put_clean(t->orphans, signet_audit_record_repository(rec));
		fputs("  ", t->orphans);
		audit_put_clean(t->orphans, signet_audit_record_digest(rec));
		fputs("  ", t->orphans);
		audit_put_clean(t->orphans, signet_audit_record_store(rec));
		fputs("  ", t->orphans);
		audit_put_clean(t->orphans, signet_audit_record_location(rec));
		fputc('\n', t->orphans);
		return 0;
	default: return 0;
	}
}

/* Writes n bytes of s in width w: cut with "…" when wider, padded with
 * spaces when pad. */
static void put_fit(FILE *f, const char *s, size_t n, size_t w, int pad)
{
	size_t have = text_width(s, n), i, cps = 0;

	if (have <= w) {
		fwrite(s, 1, n, f);
		for (; pad && have < w; have++)
			fputc(' ', f);
		return;
	}
	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && cps++ == w - 1)
			break;
	}
	fwrite(s, 1, i, f);
	fputs(AUDIT_ELLIPSIS, f);
}

static void put_header(FILE *f, const signet_audit_record *sum)
{
	const char *started = signet_audit_record_started(sum),
	           *version = signet_audit_record_signet_version(sum);
	const char *shard = signet_audit_record_shard(sum);

	fputs("Audited: ", f);
	audit_describe_source(f, audit_put_clean, signet_audit_record_source(sum));
	if (shard != NULL) {
		fputs(", shard ", f);
		audit_put_clean(f, shard);
	}
	fputs("\nPolicy: ", f);
	audit_put_policy(f, audit_put_clean, sum);
	fputs("\nStarted: ", f);
	audit_put_clean(f, started != NULL ? started : "not recorded");
	fputs(", signet ", f);
	audit_put_clean(f, version != NULL ? version : "version not recorded");
	fputc('\n', f);
}

static void put_counts(FILE *f, const signet_audit_record *sum, const struct audit_tally *tally,
                       unsigned long long orphan_records)
{
	const unsigned long long *s = tally->sigs, *v = tally->valid;

	fprintf(f, "\nImages: %llu (%llu allowed, %llu denied, %llu errors)\n",
	        signet_audit_record_images(sum), signet_audit_record_allowed(sum),
	        signet_audit_record_denied(sum), signet_audit_record_errors(sum));
	fprintf(f, "Signatures: %llu simple-signing (%llu valid), %llu sigstore (%llu valid)", s[0], v[0],
	        s[1], v[1]);
	if (s[2] > 0)
		fprintf(f, ", %llu of another format", s[2]);
	fprintf(f, "; images without any: %llu\n", tally->unsigned_images);
	fputs("Orphan signatures: ", f);
	audit_put_orphans(f, audit_put_clean, sum, orphan_records);
	fprintf(f, "\nSignatures claiming another repository: %llu\n",
	        signet_audit_record_foreign_identity(sum));
}

/* The denials (or errors) grouped by reason, most images first, each
 * numbered as the image rows refer to it. */
static int put_reasons(FILE *f, const signet_audit_record *sum, const struct audit_tally *tally, int verdict,
                       const char *host, unsigned int columns)
{
	unsigned long long total = verdict == SIGNET_AUDIT_DENIED ? signet_audit_record_denied(sum)
	                                                          : signet_audit_record_errors(sum);
	unsigned long long other = tally->reasons_other[verdict == SIGNET_AUDIT_DENIED ? 0 : 1];
	unsigned long long widest = 1;
	size_t indent;
	int cw = 1, nw = 1;

	if (total == 0)
		return 0;
	for (size_t i = 0; i < tally->n_reasons; i++)
		if (tally->reasons[i].verdict == verdict && tally->reasons[i].count > widest)
			widest = tally->reasons[i].count;
	for (; widest >= 10; widest /= 10)
		cw++;
	for (size_t n = tally->n_reasons; n >= 10; n /= 10)
		nw++;
	indent = 2 + 2 + (size_t)nw + 1 + (size_t)cw + 2;
	fprintf(f, "\n%s, by reason ([N] images: reason):\n",
	        verdict == SIGNET_AUDIT_DENIED ? "Denied" : "Not read (errors)");
	for (size_t i = 0; i < tally->n_reasons; i++) {
		const struct audit_reason *r = &tally->reasons[i];
		const char *ex = r->example != NULL ? r->example : "-";
		char *text;

		if (r->verdict != verdict)
			continue;
		if ((text = strdup(r->text)) == NULL)
			return cli_usage_error("out of memory");
		audit_strip_policy(text, sum);
		/* whole, on one line: what a script greps for stays whole */
		fprintf(f, "  [%*zu] %*llu  ", nw, i + 1, cw, r->count);
		audit_put_clean(f, text);
		fputc('\n', f);
		free(text);
		if (host != NULL && strncmp(ex, host, strlen(host)) == 0)
			ex += strlen(host);
		fprintf(f, "%*se.g. ", (int)indent, "");
		put_fit(f, ex, strlen(ex), columns > indent + 5 + MIN_CELL ? columns - indent - 5 : MIN_CELL,
		        0);
		fputc('\n', f);
	}
	if (other > 0)
		fprintf(f, "  %*s %*llu  other reasons (more than %u distinct reasons)\n", nw + 2, "", cw,
		        other, AUDIT_MAX_REASON_GROUPS);
	return 0;
}

/* Valid signatures by signer: each key once, with its name and count. */
static void put_signers(FILE *f, const signet_audit_record *sum, const struct audit_tally *tally)
{
	size_t n = signet_audit_record_signer_count(sum);
	unsigned long long c, widest = 1;
	char label[512];
	int cw = 1;

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (signet_audit_record_signer(sum, i, &c) != NULL && c > widest)
			widest = c;
	for (; widest >= 10; widest /= 10)
		cw++;
	fputs("\nValid signatures by signer (signatures: signer):\n", f);
	for (size_t i = 0; i < n; i++) {
		const char *key = signet_audit_record_signer(sum, i, &c);

		audit_signer_label(label, sizeof(label), key, audit_tally_name(tally, key));
		fprintf(f, "  %*llu  ", cw, c);
		audit_put_clean(f, label);
		fputc('\n', f);
	}
}

/* Widths of the image table's columns in columns: fixed verdict and
 * digest; reference, signers and reason share the rest, none wider than
 * its widest cell, the reason taking what is left. */
static void layout(const struct audit_table *t, unsigned int columns, size_t hlen, size_t w[N_COLS])
{
	size_t rest, want;

	for (int i = 0; i < N_COLS; i++)
		w[i] = t->widest[i] > 0 ? t->widest[i] : 1;
	if (w[COL_REF] > hlen)
		w[COL_REF] -= hlen; /* shown without the host */
	if (w[COL_VERDICT] < 7)
		w[COL_VERDICT] = 7; /* "VERDICT" */
	if (w[COL_REF] < 9)
		w[COL_REF] = 9; /* "REFERENCE" */
	if (w[COL_DIGEST] < 6)
		w[COL_DIGEST] = 6;
	if (w[COL_SIGNERS] < 7)
		w[COL_SIGNERS] = 7;
	rest = columns - w[COL_VERDICT] - w[COL_DIGEST] - 2 * (N_COLS - 1);
	/* the reference gets up to 2/5, the signers 1/4, of what is left */
	want = rest * 2 / 5;
	if (w[COL_REF] > want)
		w[COL_REF] = want > MIN_CELL ? want : MIN_CELL;
	want = rest / 4;
	if (w[COL_SIGNERS] > want)
		w[COL_SIGNERS] = want > MIN_CELL ? want : MIN_CELL;
	/* the reason takes the rest; what it does not need goes back */
	want = rest - w[COL_REF] - w[COL_SIGNERS];
	if (t->widest[COL_REASON] < want) {
		size_t spare = want - (t->widest[COL_REASON] > 6 ? t->widest[COL_REASON] : 6);
		size_t more = t->widest[COL_REF] > w[COL_REF] ? t->widest[COL_REF] - w[COL_REF] : 0;

		if (more > spare)
			more = spare;
		w[COL_REF] += more;
		spare -= more;
		more = t->widest[COL_SIGNERS] > w[COL_SIGNERS] ? t->widest[COL_SIGNERS] - w[COL_SIGNERS] : 0;
		w[COL_SIGNERS] += more > spare ? spare : more;
	}
	w[COL_REASON] = rest - w[COL_REF] - w[COL_SIGNERS];
	if (w[COL_REASON] < MIN_CELL)
		w[COL_REASON] = MIN_CELL;
}

static void put_row(FILE *f, char *const cells[N_COLS], const size_t lens[N_COLS], const size_t w[N_COLS])
{
	for (int i = 0; i < N_COLS; i++) {
		if (i > 0)
			fputs("  ", f);
		put_fit(f, cells[i], lens[i], w[i], i < N_COLS - 1);
	}
	fputc('\n', f);
}

static int put_images(FILE *f, struct audit_table *t, const signet_audit_record *sum,
                      const struct audit_tally *tally, const char *host, unsigned int columns)
{
	static const char *const heads[N_COLS] = {"VERDICT", "REFERENCE", "DIGEST", "SIGNERS", "REASON"};
	size_t w[N_COLS], lens[N_COLS], cap = 0, hlen = host != NULL ? strlen(host) : 0;
	char *cells[N_COLS], *line = NULL, *reason = NULL;
	ssize_t n;

	layout(t, columns, hlen, w);
	for (int i = 0; i < N_COLS; i++) {
		cells[i] = (char *)heads[i];
		lens[i] = strlen(heads[i]);
	}
	if (host != NULL) {
		fputs("\nImages (references in ", f);
		fwrite(host, 1, hlen - 1, f);
		fputs("):\n", f);
	} else {
		fputs("\nImages:\n", f);
	}
	put_row(f, cells, lens, w);
	rewind(t->rows);
	while ((n = getline(&line, &cap, t->rows)) > 0) {
		char *p = line, *end = line + n - (line[n - 1] == '\n');
		size_t g;
		int i;

		for (i = 0; i < N_COLS; i++) {
			char *sep = memchr(p, CELL_SEP, (size_t)(end - p));

			cells[i] = p;
			lens[i] = (size_t)((sep != NULL ? sep : end) - p);
			p = sep != NULL ? sep + 1 : end;
		}
		if (hlen > 0 && lens[COL_REF] > hlen && strncmp(cells[COL_REF], host, hlen) == 0) {
			cells[COL_REF] += hlen;
			lens[COL_REF] -= hlen;
		}
		/* the reason: its group's number and what is wrong */
		cells[COL_REASON][lens[COL_REASON]] = '\0';
		g = audit_tally_reason_index(tally, cells[COL_REASON]);
		free(reason);
		reason = NULL;
		if (g != (size_t)-1) {
			const char *tail = reason_tail(cells[COL_REASON]);
			size_t need = strlen(tail) + 32;

			if ((reason = malloc(need)) == NULL) {
				free(line);
				return cli_usage_error("out of memory");
			}
			(void)snprintf(reason, need, "[%zu] %s", g + 1, tail);
		} else if (lens[COL_REASON] > 1 && (reason = strdup(cells[COL_REASON])) != NULL) {
			audit_strip_policy(reason, sum);
		}
		if (reason != NULL) {
			cells[COL_REASON] = reason;
			lens[COL_REASON] = strlen(reason);
		}
		put_row(f, cells, lens, w);
	}
	free(reason);
	free(line);
	if (ferror(t->rows)) {
		fputs("signet: the temporary file of the report cannot be read back\n", stderr);
		return EXIT_UNREACHABLE;
	}
	return 0;
}

/* "HOST/" of a docker:// source, whose references the table shows
 * without it; NULL for other sources.  malloc'd. */
static char *source_host(const signet_audit_record *sum)
{
	const char *src = signet_audit_record_source(sum), *slash;
	char *host;

	if (src == NULL || strncmp(src, "docker://", 9) != 0)
		return NULL;
	slash = strchr(src + 9, '/');
	host = slash != NULL ? strndup(src + 9, (size_t)(slash - src - 9) + 1) : NULL;
	if (slash == NULL && (host = malloc(strlen(src + 9) + 2)) != NULL)
		(void)snprintf(host, strlen(src + 9) + 2, "%s/", src + 9);
	return host;
}

int audit_table_print(struct audit_table *t, FILE *f, const signet_audit_record *sum,
                      const struct audit_tally *tally, unsigned long long orphan_records,
                      unsigned int columns)
{
	char buf[8192];
	size_t n;
	int code;

	char *host = source_host(sum);

	put_header(f, sum);
	put_counts(f, sum, tally, orphan_records);
	if ((code = put_reasons(f, sum, tally, SIGNET_AUDIT_DENIED, host, columns)) != 0 ||
	    (code = put_reasons(f, sum, tally, SIGNET_AUDIT_ERROR, host, columns)) != 0)
		goto out;
	put_signers(f, sum, tally);
	if (signet_audit_record_images(sum) > 0 && (code = put_images(f, t, sum, tally, host, columns)) != 0)
		goto out;
	if (ftell(t->orphans) > 0) {
		fputs("\nOrphan signatures (for digests no tag names):\n", f);
		rewind(t->orphans);
		while ((n = fread(buf, 1, sizeof(buf), t->orphans)) > 0)
			fwrite(buf, 1, n, f);
		if (ferror(t->orphans)) {
			fputs("signet: the temporary file of orphans cannot be read back\n", stderr);
			code = EXIT_UNREACHABLE;
		}
	}
out:
	free(host);
	return code;
}

void audit_summary_line(FILE *f, audit_put_fn put, const signet_audit_record *sum)
{
	const char *source = signet_audit_record_source(sum), *shard = signet_audit_record_shard(sum);

	fputs("signet audit: ", f);
	if (source != NULL) {
		put(f, source);
		fputs(": ", f);
	}
	if (shard != NULL) {
		fputs("shard ", f);
		put(f, shard);
		fputs(": ", f);
	}
	fprintf(f, "%llu images: %llu allowed, %llu denied, %llu errors (policy: ",
	        signet_audit_record_images(sum), signet_audit_record_allowed(sum),
	        signet_audit_record_denied(sum), signet_audit_record_errors(sum));
	audit_put_policy(f, put, sum);
	fputs(")\n", f);
}
