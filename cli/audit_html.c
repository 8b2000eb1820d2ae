/* SPDX-License-Identifier: Apache-2.0 */
/* cli/audit_html.c: the self-contained HTML report of `signet audit`:
 * inline CSS, inline SVG charts and a few lines of inline script, nothing
 * loaded from anywhere (and a Content-Security-Policy saying so).  Every
 * string in a record came from the audited registry and is escaped. */
#include "cli.h"
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct audit_html {
	char *path;
	char *tmp;
	FILE *f;
	FILE *orphans; /* orphan rows, appended after the images table */
	unsigned long rows, orphan_rows;
};

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	"style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
	"<title>signet audit</title>\n<style>\n"
	"body{font-family:sans-serif;margin:1em 2em;color:#222}\n"
	".page{display:flex;flex-direction:column;min-width:0}\n"
	".page>header{order:-3}.about{order:-2}.summary{order:-1}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top;"
	"overflow-wrap:anywhere}\n"
	"th{background:#eee}table.sortable th{cursor:pointer}\n"
	".mono{font-family:monospace}\n"
	/* the images table fits the window: fixed columns, long text wraps */
	"table.images{width:100%;table-layout:fixed}\n"
	"table.images col.verdict{width:5.5em}table.images col.tag{width:9%}"
	"table.images col.digest{width:11em}table.images col.count{width:8em}\n"
	"table.reasons{max-width:100%}table.reasons td:nth-child(-n+2),table.reasons th:nth-child(-n+2)"
	"{overflow-wrap:normal;white-space:nowrap}\n"
	"table.images col.repo{width:22%}table.images col.signers{width:20%}\n"
	"table.orphans{width:100%;table-layout:fixed}\n"
	"tr.v-allowed td.verdict{color:#1a7f37}tr.v-denied td.verdict{color:#c62828;font-weight:bold}\n"
	"tr.v-error td.verdict{color:#b26a00;font-weight:bold}\n"
	"dl.about{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2em 1em;margin:0}\n"
	"dl.about dt{font-weight:bold}dl.about dd{margin:0;overflow-wrap:anywhere}\n"
	".charts{display:flex;flex-wrap:wrap;gap:2em}.charts figure{margin:0;min-width:0;flex:1 1 20em}\n"
	".charts figure.verdicts{flex:0 0 auto}.legend span{margin-right:.3em}\n"
	".bars{display:grid;grid-template-columns:minmax(8em,max-content) minmax(6em,1fr) max-content;"
	"gap:.3em .6em;align-items:center;max-width:60em}\n"
	".bars .label{overflow-wrap:anywhere}.bars .bar{background:#eee;height:1em}"
	".bars .bar span{display:block;height:100%;background:#1565c0}\n"
	"</style>\n</head>\n<body>\n<div class=\"page\">\n"
	"<header><h1>signet audit</h1></header>\n"
	"<section class=\"images\"><h2>Images</h2>\n<table class=\"sortable images\">\n"
	"<colgroup><col class=\"verdict\"><col class=\"repo\"><col class=\"tag\"><col class=\"digest\">"
	"<col class=\"signers\"><col class=\"count\"><col class=\"reason\"></colgroup>\n<thead><tr>"
	"<th>Verdict</th><th>Repository</th><th>Tag</th><th>Digest</th><th>Signers</th>"
	"<th>Signatures</th><th>Reason</th></tr></thead>\n<tbody>\n";

/* Sorts a table on a click on a header: numbers as numbers, text as text. */
static const char html_script[] =
	"<script>\n"
	"document.querySelectorAll('table.sortable th').forEach(function (th) {\n"
	" th.addEventListener('click', function () {\n"
	"  var b = th.closest('table').tBodies[0], i = th.cellIndex, d = th.dataset.dir === 'asc' ? -1 : 1;\n"
	"  th.dataset.dir = d > 0 ? 'asc' : 'desc';\n"
	"  Array.prototype.slice.call(b.rows).sort(function (x, y) {\n"
	"   var p = x.cells[i].textContent, q = y.cells[i].textContent, n = Number(p) - Number(q);\n"
	"   return d * (isNaN(n) || p === '' || q === '' ? p.localeCompare(q) : n);\n"
	"  }).forEach(function (r) { b.appendChild(r); });\n"
	" });\n"
	"});\n"
	"</script>\n";

void audit_html_escape(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			/* Control characters have no business in a report. */
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
		}
	}
}

static void td(FILE *f, const char *cls, const char *s)
{
	fputs(cls != NULL ? "<td class=\"" : "<td", f);
	if (cls != NULL) {
		fputs(cls, f);
		fputc('"', f);
	}
	fputc('>', f);
	audit_html_escape(f, s);
	fputs("</td>", f);
}

int audit_html_open(struct audit_html **out, const char *path)
{
	struct audit_html *h = calloc(1, sizeof(*h));
	size_t plen = strlen(path);
	int fd = -1;

	if (h == NULL || (h->path = strdup(path)) == NULL || (h->tmp = malloc(plen + sizeof(".tmp-XXXXXX"))) == NULL)
		goto nomem;
	memcpy(h->tmp, path, plen);
	memcpy(h->tmp + plen, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
	fd = mkostemp(h->tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "signet: %s: cannot create: %s\n", path, strerror(errno));
		free(h->tmp);
		h->tmp = NULL;
		audit_html_abort(h);
		return EXIT_UNREACHABLE;
	}
	if ((h->f = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto nomem;
	}
	if ((h->orphans = tmpfile()) == NULL) {
		fprintf(stderr, "signet: %s: cannot create a temporary file: %s\n", path, strerror(errno));
		audit_html_abort(h);
		return EXIT_UNREACHABLE;
	}
	fputs(html_head, h->f);
	*out = h;
	return 0;
nomem:
	audit_html_abort(h);
	return cli_usage_error("out of memory");
}

void audit_html_abort(struct audit_html *h)
{
	if (h == NULL)
		return;
	if (h->f != NULL)
		fclose(h->f);
	if (h->orphans != NULL)
		fclose(h->orphans);
	if (h->tmp != NULL && h->f != NULL)
		unlink(h->tmp);
	free(h->tmp);
	free(h->path);
	free(h);
}

/* A digest cell: "sha256:" and 12 hex digits, the whole digest on hover. */
static void digest_td(FILE *f, const char *digest)
{
	if (digest == NULL || strlen(digest) <= 19) {
		td(f, "mono", digest);
		return;
	}
	fputs("<td class=\"mono\" title=\"", f);
	audit_html_escape(f, digest);
	fprintf(f, "\">%.19s" AUDIT_ELLIPSIS "</td>", digest);
}

static void image_row(FILE *f, const signet_audit_record *rec)
{
	const char *verdict = signet_audit_verdict_name(signet_audit_record_verdict(rec));
	size_t i, j, n = signet_audit_record_sig_count(rec), valid = 0, shown = 0;
	char label[512], *reason;

	fputs("<tr class=\"v-", f);
	audit_html_escape(f, verdict != NULL ? verdict : "unknown");
	fputs("\">", f);
	td(f, "verdict", verdict != NULL ? verdict : "?");
	td(f, NULL, signet_audit_record_repository(rec));
	td(f, NULL, signet_audit_record_tag(rec));
	digest_td(f, signet_audit_record_digest(rec));
	fputs("<td>", f);
	for (i = 0; i < n; i++) {
		const char *signer = signet_audit_record_sig_signer(rec, i);
		const char *name = signet_audit_record_sig_signer_name(rec, i);

		if (!signet_audit_record_sig_valid(rec, i))
			continue;
		valid++;
		if (signer == NULL)
			continue;
		for (j = 0; j < i; j++) /* one key that signed twice, once */
			if (signet_audit_record_sig_valid(rec, j) == 1 &&
			    signet_audit_record_sig_signer(rec, j) != NULL &&
			    strcmp(signet_audit_record_sig_signer(rec, j), signer) == 0)
				break;
		if (j < i)
			continue;
		if (shown++ > 0)
			fputs("<br>", f);
		audit_signer_label(label, sizeof(label), signer, name);
		fputs("<span title=\"", f);
		audit_html_escape(f, signer);
		fputs("\">", f);
		audit_html_escape(f, label);
		fputs("</span>", f);
	}
	fprintf(f, "</td><td>%zu/%zu</td>", valid, n);
	/* the reason without the image's own name, the full text on hover */
	reason = audit_reason_short(signet_audit_record_reason(rec), signet_audit_record_reference(rec),
	                            signet_audit_record_digest(rec));
	fputs("<td title=\"", f);
	audit_html_escape(f, signet_audit_record_reason(rec));
	fputs("\">", f);
	audit_html_escape(f, reason != NULL ? reason : signet_audit_record_reason(rec));
	fputs("</td></tr>\n", f);
	free(reason);
}

static void orphan_row(FILE *f, const signet_audit_record *rec)
{
	fputs("<tr>", f);
	td(f, NULL, signet_audit_record_repository(rec));
	td(f, "mono", signet_audit_record_digest(rec));
	td(f, NULL, signet_audit_record_store(rec));
	td(f, "mono", signet_audit_record_location(rec));
	fputs("</tr>\n", f);
}

int audit_html_record(struct audit_html *h, const signet_audit_record *rec)
{
	switch (signet_audit_record_get_type(rec)) {
	case SIGNET_AUDIT_IMAGE:
		image_row(h->f, rec);
		h->rows++;
		break;
	case SIGNET_AUDIT_ORPHAN:
		orphan_row(h->orphans, rec);
		h->orphan_rows++;
		break;
	default: break;
	}
	return 0;
}

/* A donut chart of the verdicts: each slice is a circle of circumference
 * 100 whose dash is the slice's percentage, rotated by the ones before. */
static void verdict_chart(FILE *f, const signet_audit_record *summary)
{
	static const struct {
		unsigned long long (*count)(const signet_audit_record *rec);
		const char *label, *colour;
	} slices[] = {
	    {signet_audit_record_allowed, "allowed", "#2e7d32"},
	    {signet_audit_record_denied, "denied", "#c62828"},
	    {signet_audit_record_errors, "error", "#ef6c00"},
	};
	unsigned long long total = 0;
	double offset = 25; /* start at 12 o'clock */
	size_t i;

	for (i = 0; i < sizeof(slices) / sizeof(slices[0]); i++)
		total += slices[i].count(summary);
	fputs(
	    "<figure class=\"verdicts\"><figcaption>Images by verdict</figcaption>\n"
	    "<svg width=\"160\" height=\"160\" viewBox=\"0 0 42 42\" "
	    "role=\"img\">\n"
	    "<circle cx=\"21\" cy=\"21\" r=\"15.9155\" fill=\"none\" stroke=\"#ddd\" stroke-width=\"6\"/>\n",
	    f);
	for (i = 0; total > 0 && i < sizeof(slices) / sizeof(slices[0]); i++) {
		double pct = 100.0 * (double)slices[i].count(summary) / (double)total;

		if (pct <= 0)
			continue;
		fprintf(f,
		        "<circle cx=\"21\" cy=\"21\" r=\"15.9155\" fill=\"none\" stroke=\"%s\" "
		        "stroke-width=\"6\" "
		        "stroke-dasharray=\"%.3f %.3f\" stroke-dashoffset=\"%.3f\"><title>%s: "
		        "%llu</title></circle>\n",
		        slices[i].colour, pct, 100.0 - pct, offset, slices[i].label,
		        slices[i].count(summary));
		offset -= pct;
	}
	fprintf(f, "<text x=\"21\" y=\"23\" text-anchor=\"middle\" font-size=\"6\">%llu</text>\n</svg>\n"
		   "<div class=\"legend\">", total);
	for (i = 0; i < sizeof(slices) / sizeof(slices[0]); i++)
		fprintf(f, "<span style=\"color:%s\">&#9632;</span>%s: %llu ", slices[i].colour,
		        slices[i].label, slices[i].count(summary));
	fputs("</div></figure>\n", f);
}

/* A horizontal bar per signer, scaled to the largest count: a grid of
 * label (its name and short key id, the whole key id on hover; wrapped
 * when long), bar and count, so that no label runs into its bar. */
static void signer_chart(FILE *f, const signet_audit_record *summary, const struct audit_tally *tally)
{
	unsigned long long max = 0, c;
	size_t i, n = signet_audit_record_signer_count(summary);
	char label[512];

	fputs("<figure class=\"signers\"><figcaption>Valid signatures by signer</figcaption>\n", f);
	if (n == 0) {
		fputs("<p>No valid signature.</p></figure>\n", f);
		return;
	}
	for (i = 0; i < n; i++) {
		(void)signet_audit_record_signer(summary, i, &c);
		if (c > max)
			max = c;
	}
	fputs("<div class=\"bars\" role=\"img\">\n", f);
	for (i = 0; i < n; i++) {
		const char *key = signet_audit_record_signer(summary, i, &c);

		audit_signer_label(label, sizeof(label), key, audit_tally_name(tally, key));
		fputs("<div class=\"label\" title=\"", f);
		audit_html_escape(f, key);
		fputs("\">", f);
		audit_html_escape(f, label);
		fprintf(f,
		        "</div><div class=\"bar\"><span style=\"width:%.1f%%\"></span></div><div "
		        "class=\"n\">%llu</div>\n",
		        max > 0 ? 100.0 * (double)c / (double)max : 0.0, c);
	}
	fputs("</div></figure>\n", f);
}

/* What was audited, under which policy, when, by which signet. */
static void about_section(FILE *f, const signet_audit_record *summary)
{
	const char *started = signet_audit_record_started(summary);
	const char *version = signet_audit_record_signet_version(summary);
	const char *shard = signet_audit_record_shard(summary);

	fputs("<section class=\"about\"><dl class=\"about\">\n<dt>Audited</dt><dd class=\"source\">", f);
	audit_describe_source(f, audit_html_escape, signet_audit_record_source(summary));
	if (shard != NULL) {
		fputs(", shard ", f);
		audit_html_escape(f, shard);
	}
	fputs("</dd>\n<dt>Policy</dt><dd class=\"policy\">", f);
	audit_put_policy(f, audit_html_escape, summary);
	fputs("</dd>\n<dt>Started</dt><dd class=\"started\">", f);
	audit_html_escape(f, started != NULL ? started : "not recorded");
	fputs("</dd>\n<dt>signet</dt><dd class=\"version\">", f);
	audit_html_escape(f, version != NULL ? version : "version not recorded");
	fputs("</dd>\n</dl></section>\n", f);
}

/* The denials and errors grouped by reason, most images first. */
static void reasons_table(FILE *f, const signet_audit_record *summary, const struct audit_tally *tally)
{
	unsigned long long other = tally->reasons_other[0] + tally->reasons_other[1];
	char *text;

	if (tally->n_reasons == 0 && other == 0)
		return;
	fputs("<table class=\"reasons\">\n<thead><tr><th>Verdict</th><th>Images</th><th>Reason</th>"
	      "<th>For example</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < tally->n_reasons; i++) {
		const struct audit_reason *r = &tally->reasons[i];

		fprintf(f, "<tr><td>%s</td><td>%llu</td>",
		        r->verdict == SIGNET_AUDIT_DENIED ? "denied" : "error", r->count);
		text = strdup(r->text);
		audit_strip_policy(text, summary);
		td(f, NULL, text != NULL ? text : r->text);
		free(text);
		td(f, NULL, r->example);
		fputs("</tr>\n", f);
	}
	if (other > 0)
		fprintf(f,
		        "<tr><td></td><td>%llu</td><td>other reasons (more than %u distinct "
		        "reasons)</td><td></td></tr>\n",
		        other, AUDIT_MAX_REASON_GROUPS);
	fputs("</tbody>\n</table>\n", f);
}

static void summary_section(FILE *f, const signet_audit_record *summary, unsigned long orphan_rows,
                            const struct audit_tally *tally)
{
	static const struct {
		unsigned long long (*count)(const signet_audit_record *rec); /* NULL: orphans */
		const char *label;
	} rows[] = {
	    {signet_audit_record_images, "Images"},
	    {signet_audit_record_allowed, "Allowed"},
	    {signet_audit_record_denied, "Denied"},
	    {signet_audit_record_errors, "Errors"},
	    {NULL, "Orphan signatures"},
	    {signet_audit_record_foreign_identity, "Signatures claiming another repository"},
	};
	const char *shard = signet_audit_record_shard(summary);

	/* the policy is named once, in the header above */
	fputs("<section class=\"summary\"><h2>Summary</h2>\n<table>\n", f);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].count == NULL) {
			fprintf(f, "<tr><th>%s</th><td class=\"orphans\">", rows[i].label);
			audit_put_orphans(f, audit_html_escape, summary, orphan_rows);
			fputs("</td></tr>\n", f);
			continue;
		}
		fprintf(f, "<tr><th>%s</th><td>%llu</td></tr>\n", rows[i].label, rows[i].count(summary));
	}
	if (shard != NULL) {
		fputs("<tr><th>Shard</th><td>", f);
		audit_html_escape(f, shard);
		fputs("</td></tr>\n", f);
	}
	fprintf(f, "<tr><th>Signatures</th><td>%llu simple-signing (%llu valid), %llu sigstore (%llu valid)",
	        tally->sigs[0], tally->valid[0], tally->sigs[1], tally->valid[1]);
	if (tally->sigs[2] > 0)
		fprintf(f, ", %llu of another format", tally->sigs[2]);
	fprintf(f, "; images without any: %llu</td></tr>\n", tally->unsigned_images);
	fputs("</table>\n", f);
	reasons_table(f, summary, tally);
	fputs("<div class=\"charts\">\n", f);
	verdict_chart(f, summary);
	signer_chart(f, summary, tally);
	fputs("</div></section>\n", f);
}

int audit_html_commit(struct audit_html *h, const signet_audit_record *summary,
                      const struct audit_tally *tally)
{
	char buf[8192];
	size_t n;
	int fd;

	if (h->rows == 0)
		fputs("<tr><td colspan=\"7\">No image.</td></tr>\n", h->f);
	fputs("</tbody>\n</table></section>\n", h->f);
	fputs("<section class=\"orphans\"><h2>Orphan signatures</h2>\n", h->f);
	if (signet_audit_record_orphans_not_looked_for(summary, NULL, NULL, NULL)) {
		/* not "None": nobody looked everywhere */
		fputs("<p class=\"not-looked-for\">Orphan signatures: ", h->f);
		audit_put_orphans(h->f, audit_html_escape, summary, h->orphan_rows);
		fputs(".</p>\n", h->f);
	} else if (h->orphan_rows == 0) {
		fputs("<p>None: every signature belongs to a digest a tag names.</p>\n", h->f);
	}
	if (h->orphan_rows != 0) {
		fputs("<table class=\"sortable "
		      "orphans\">\n<thead><tr><th>Repository</th><th>Digest</th><th>Store</th>"
		      "<th>Location</th></tr></thead>\n<tbody>\n",
		      h->f);
		rewind(h->orphans);
		while ((n = fread(buf, 1, sizeof(buf), h->orphans)) > 0)
			fwrite(buf, 1, n, h->f);
		if (ferror(h->orphans))
			goto fail;
		fputs("</tbody>\n</table>\n", h->f);
	}
	fputs("</section>\n", h->f);
	about_section(h->f, summary);
	summary_section(h->f, summary, h->orphan_rows, tally);
	fputs("</div>\n", h->f);
	fputs(html_script, h->f);
	fputs("</body>\n</html>\n", h->f);
	fd = fileno(h->f);
	if (fflush(h->f) != 0 || ferror(h->f) || fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (fclose(h->f) != 0) {
		h->f = NULL;
		unlink(h->tmp);
		goto fail;
	}
	h->f = NULL;
	if (rename(h->tmp, h->path) != 0) {
		unlink(h->tmp);
		goto fail;
	}
	audit_html_abort(h);
	return 0;
fail:
	fprintf(stderr, "signet: %s: cannot write: %s\n", h->path, strerror(errno));
	audit_html_abort(h);
	return EXIT_UNREACHABLE;
}
