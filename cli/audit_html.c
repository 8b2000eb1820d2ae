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
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	"style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
	"<title>signet audit</title>\n<style>\n"
	"body{font-family:sans-serif;margin:1em 2em;color:#222}\n"
	".page{display:flex;flex-direction:column}\n"
	".page>header{order:-2}.summary{order:-1}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n"
	"th{background:#eee}table.sortable th{cursor:pointer}\n"
	"td.mono{font-family:monospace}\n"
	"tr.v-allowed td.verdict{color:#1a7f37}tr.v-denied td.verdict{color:#c62828;font-weight:bold}\n"
	"tr.v-error td.verdict{color:#b26a00;font-weight:bold}\n"
	".charts{display:flex;flex-wrap:wrap;gap:2em}.legend span{margin-right:1em}\n"
	"</style>\n</head>\n<body>\n<div class=\"page\">\n"
	"<header><h1>signet audit</h1></header>\n"
	"<section class=\"images\"><h2>Images</h2>\n<table class=\"sortable\">\n<thead><tr>"
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

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
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

static void image_row(FILE *f, json_t *rec)
{
	const char *verdict = str(rec, "verdict");
	json_t *sigs = json_object_get(rec, "signatures"), *sig;
	size_t i, valid = 0, shown = 0;

	fputs("<tr class=\"v-", f);
	audit_html_escape(f, verdict != NULL ? verdict : "unknown");
	fputs("\">", f);
	td(f, "verdict", verdict != NULL ? verdict : "?");
	td(f, NULL, str(rec, "repository"));
	td(f, NULL, str(rec, "tag"));
	td(f, "mono", str(rec, "digest"));
	fputs("<td>", f);
	json_array_foreach(sigs, i, sig) {
		const char *signer = str(sig, "signer"), *name = str(sig, "signerName");

		if (!json_is_true(json_object_get(sig, "valid")))
			continue;
		valid++;
		if (signer == NULL)
			continue;
		if (shown++ > 0)
			fputs("<br>", f);
		if (name != NULL) {
			audit_html_escape(f, name);
			fputs(" ", f);
		}
		fputs("<span class=\"mono\">", f);
		audit_html_escape(f, signer);
		fputs("</span>", f);
	}
	fprintf(f, "</td><td>%zu/%zu</td>", valid, json_array_size(sigs));
	td(f, NULL, str(rec, "reason"));
	fputs("</tr>\n", f);
}

static void orphan_row(FILE *f, json_t *rec)
{
	fputs("<tr>", f);
	td(f, NULL, str(rec, "repository"));
	td(f, "mono", str(rec, "digest"));
	td(f, NULL, str(rec, "store"));
	td(f, "mono", str(rec, "location"));
	fputs("</tr>\n", f);
}

int audit_html_record(struct audit_html *h, json_t *rec)
{
	const char *type = str(rec, "type");

	if (type != NULL && strcmp(type, "image") == 0) {
		image_row(h->f, rec);
		h->rows++;
	} else if (type != NULL && strcmp(type, "orphan") == 0) {
		orphan_row(h->orphans, rec);
		h->orphan_rows++;
	}
	return 0;
}

static unsigned long long count(json_t *summary, const char *key)
{
	json_int_t n = json_integer_value(json_object_get(summary, key));

	return n > 0 ? (unsigned long long)n : 0;
}

/* A donut chart of the verdicts: each slice is a circle of circumference
 * 100 whose dash is the slice's percentage, rotated by the ones before. */
static void verdict_chart(FILE *f, json_t *summary)
{
	static const struct {
		const char *key, *label, *colour;
	} slices[] = {
		{ "allowed", "allowed", "#2e7d32" },
		{ "denied", "denied", "#c62828" },
		{ "errors", "error", "#ef6c00" },
	};
	unsigned long long total = 0;
	double offset = 25; /* start at 12 o'clock */
	size_t i;

	for (i = 0; i < sizeof(slices) / sizeof(slices[0]); i++)
		total += count(summary, slices[i].key);
	fputs("<figure><figcaption>Images by verdict</figcaption>\n"
	      "<svg width=\"160\" height=\"160\" viewBox=\"0 0 42 42\" "
	      "role=\"img\">\n"
	      "<circle cx=\"21\" cy=\"21\" r=\"15.9155\" fill=\"none\" stroke=\"#ddd\" stroke-width=\"6\"/>\n",
	      f);
	for (i = 0; total > 0 && i < sizeof(slices) / sizeof(slices[0]); i++) {
		double pct = 100.0 * (double)count(summary, slices[i].key) / (double)total;

		if (pct <= 0)
			continue;
		fprintf(f,
			"<circle cx=\"21\" cy=\"21\" r=\"15.9155\" fill=\"none\" stroke=\"%s\" stroke-width=\"6\" "
			"stroke-dasharray=\"%.3f %.3f\" stroke-dashoffset=\"%.3f\"><title>%s: %llu</title></circle>\n",
			slices[i].colour, pct, 100.0 - pct, offset, slices[i].label, count(summary, slices[i].key));
		offset -= pct;
	}
	fprintf(f, "<text x=\"21\" y=\"23\" text-anchor=\"middle\" font-size=\"6\">%llu</text>\n</svg>\n"
		   "<div class=\"legend\">", total);
	for (i = 0; i < sizeof(slices) / sizeof(slices[0]); i++)
		fprintf(f, "<span style=\"color:%s\">&#9632;</span>%s: %llu ", slices[i].colour, slices[i].label,
			count(summary, slices[i].key));
	fputs("</div></figure>\n", f);
}

/* A horizontal bar per signer, scaled to the largest count. */
static void signer_chart(FILE *f, json_t *summary)
{
	json_t *by = json_object_get(summary, "bySigner"), *v;
	unsigned long long max = 0;
	const char *key;
	size_t n = json_object_size(by), row = 0;

	fputs("<figure><figcaption>Valid signatures by signer</figcaption>\n", f);
	if (n == 0) {
		fputs("<p>No valid signature.</p></figure>\n", f);
		return;
	}
	json_object_foreach(by, key, v) {
		if (json_integer_value(v) > 0 && (unsigned long long)json_integer_value(v) > max)
			max = (unsigned long long)json_integer_value(v);
	}
	fprintf(f, "<svg width=\"760\" height=\"%zu\" role=\"img\">\n",
		n * 22 + 4);
	json_object_foreach(by, key, v) {
		unsigned long long c = json_integer_value(v) > 0 ? (unsigned long long)json_integer_value(v) : 0;
		double w = max > 0 ? 300.0 * (double)c / (double)max : 0;

		fputs("<text x=\"0\" y=\"", f);
		fprintf(f, "%zu\" font-size=\"12\" font-family=\"monospace\">", row * 22 + 16);
		audit_html_escape(f, key);
		fprintf(f, "</text><rect x=\"400\" y=\"%zu\" width=\"%.1f\" height=\"16\" fill=\"#1565c0\"/>"
			   "<text x=\"%.1f\" y=\"%zu\" font-size=\"12\">%llu</text>\n",
			row * 22 + 4, w, 400 + w + 4, row * 22 + 16, c);
		row++;
	}
	fputs("</svg></figure>\n", f);
}

static void summary_section(FILE *f, json_t *summary, unsigned long orphan_rows)
{
	static const struct {
		const char *key, *label;
	} rows[] = {
		{ "images", "Images" },
		{ "allowed", "Allowed" },
		{ "denied", "Denied" },
		{ "errors", "Errors" },
		{ "orphans", "Orphan signatures" },
		{ "foreignIdentity", "Signatures claiming another repository" },
	};
	const char *shard = str(summary, "shard");

	fputs("<section class=\"summary\"><h2>Summary</h2>\n<table>\n", f);
	fputs("<tr><th>Policy</th><td class=\"policy\">", f);
	audit_put_policy(f, audit_html_escape, summary);
	fputs("</td></tr>\n", f);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (strcmp(rows[i].key, "orphans") == 0) {
			fprintf(f, "<tr><th>%s</th><td class=\"orphans\">", rows[i].label);
			audit_put_orphans(f, audit_html_escape, summary, orphan_rows);
			fputs("</td></tr>\n", f);
			continue;
		}
		fprintf(f, "<tr><th>%s</th><td>%llu</td></tr>\n", rows[i].label, count(summary, rows[i].key));
	}
	if (shard != NULL) {
		fputs("<tr><th>Shard</th><td>", f);
		audit_html_escape(f, shard);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<div class=\"charts\">\n", f);
	verdict_chart(f, summary);
	signer_chart(f, summary);
	fputs("</div></section>\n", f);
}

int audit_html_commit(struct audit_html *h, json_t *summary)
{
	char buf[8192];
	size_t n;
	int fd;

	if (h->rows == 0)
		fputs("<tr><td colspan=\"7\">No image.</td></tr>\n", h->f);
	fputs("</tbody>\n</table></section>\n", h->f);
	fputs("<section class=\"orphans\"><h2>Orphan signatures</h2>\n", h->f);
	if (json_is_object(json_object_get(summary, "orphansNotLookedFor"))) {
		/* not "None": nobody looked everywhere */
		fputs("<p class=\"not-looked-for\">Orphan signatures: ", h->f);
		audit_put_orphans(h->f, audit_html_escape, summary, h->orphan_rows);
		fputs(".</p>\n", h->f);
	} else if (h->orphan_rows == 0) {
		fputs("<p>None: every signature belongs to a digest a tag names.</p>\n", h->f);
	}
	if (h->orphan_rows != 0) {
		fputs("<table class=\"sortable\">\n<thead><tr><th>Repository</th><th>Digest</th><th>Store</th>"
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
	summary_section(h->f, summary, h->orphan_rows);
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
