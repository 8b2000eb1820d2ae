/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_audit.c: signet audit SOURCE, and its two offline helpers on
 * recorded JSON Lines: signet audit merge (shards into one run) and
 * signet audit render (table or HTML).  Records stream through: nothing
 * holds more than one record per input file. */
#include "cli.h"
#include "audit.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char audit_help[] =
	"Usage: signet audit [--policy FILE | --contract FILE | --key FILE...] [OPTIONS] SOURCE\n"
	"       signet audit merge [--json | --html FILE] SHARD.jsonl...\n"
	"       signet audit render (--table | --html FILE) FILE.jsonl\n\n"
	"Check every image SOURCE holds against the policy and report, per image, the verdict, who\n"
	"signed it and why it is denied; then the signatures no tag's digest uses (orphans) and a\n"
	"summary.  SOURCE is docker://HOST[:PORT][/NAMESPACE] (the repositories under NAMESPACE),\n"
	"docker://HOST[:PORT]/REPO (its tags), docker://HOST[:PORT]/REPO:TAG (that image), dir:TREE\n"
	"(a `skopeo sync --scoped` tree) or oci:LAYOUT.  A SOURCE that holds no image (nothing under\n"
	"NAMESPACE, a TAG the registry does not have) is an error.  The summary names the policy\n"
	"judged by, and where orphans were not looked for (one image, an http(s):// lookaside).\n\n"
	"Options:\n"
	"  --repos FILE         audit the repositories listed in FILE (one per line) instead of the\n"
	"                       registry's catalog\n"
	"  -j, --jobs N         parallel requests (default 1)\n"
	"  --shard K/N          audit only shard K of N (repositories split by a hash of their name);\n"
	"                       combine the --json outputs of all N shards with `signet audit merge`\n"
	"  --html FILE          also write a self-contained HTML report to FILE\n" CLI_TRUST_HELP CLI_TIMEOUT_HELP CLI_COMMON_HELP
	"\nmerge: combine the --json outputs of the N shards of one audit into the output a single run\n"
	"would have given (a table, --json or --html FILE).\n"
	"render: turn a --json output back into the table or an HTML report.\n"
	"With --json the output is JSON Lines: one object per image and per orphan, then the summary.\n"
	"\nExit codes: 0 every image allowed, 1 some image denied, 2 bad usage or input (a SOURCE with\n"
	"no image), 3 some image or the source could not be read (merge and render: as the recorded\n"
	"audit).\n";

enum {
	OPT_REPOS = 0x300,
	OPT_SHARD,
	OPT_HTML,
	OPT_TABLE,
};

enum rec_type { REC_IMAGE, REC_ORPHAN, REC_SUMMARY };

/* Where records go: any of a table on stdout, JSON Lines on stdout, HTML. */
struct sink {
	int table;
	int json;
	int progress; /* a progress line on stderr (a terminal) */
	int header;   /* the table's header line is printed */
	struct audit_html *html;
	FILE *orphans; /* table: orphan lines, printed after the images */
	unsigned long images, denied, errors;
	unsigned long long orphan_records; /* seen */
	json_t *summary;		   /* once seen */
	int code;	 /* exit code of a failure of the sink itself */
};

/* ---- records -------------------------------------------------------------- */

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int is_count(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

/* "orphans" is a count or null (not looked for everywhere): see
 * audit_summary_problem(). */
static const char *const summary_counts[] = {
	"images", "allowed", "denied", "errors", "foreignIdentity",
};
#define N_SUMMARY_COUNTS (sizeof(summary_counts) / sizeof(summary_counts[0]))

/* The type of a record, or -1 with a message naming WHERE (a file and a
 * line) and what is wrong with it. */
static int record_type(json_t *rec, const char *where)
{
	const char *type = str(rec, "type"), *verdict, *key;
	json_t *v;

	if (!json_is_object(rec) || type == NULL) {
		fprintf(stderr, "signet: %s: not an audit record (no \"type\")\n", where);
		return -1;
	}
	if (strcmp(type, "image") == 0) {
		verdict = str(rec, "verdict");
		if (str(rec, "repository") == NULL || str(rec, "tag") == NULL || verdict == NULL ||
		    (strcmp(verdict, "allowed") != 0 && strcmp(verdict, "denied") != 0 &&
		     strcmp(verdict, "error") != 0) ||
		    (json_object_get(rec, "signatures") != NULL && !json_is_array(json_object_get(rec, "signatures")))) {
			fprintf(stderr,
				"signet: %s: image record without a repository, a tag, a verdict (allowed, denied, "
				"error) or with signatures not an array\n",
				where);
			return -1;
		}
		return REC_IMAGE;
	}
	if (strcmp(type, "orphan") == 0) {
		if (str(rec, "repository") == NULL || str(rec, "digest") == NULL) {
			fprintf(stderr, "signet: %s: orphan record without a repository or a digest\n", where);
			return -1;
		}
		return REC_ORPHAN;
	}
	if (strcmp(type, "summary") == 0) {
		const char *problem;

		for (size_t i = 0; i < N_SUMMARY_COUNTS; i++) {
			if (!is_count(json_object_get(rec, summary_counts[i]))) {
				fprintf(stderr, "signet: %s: summary record: \"%s\" is not a count\n", where,
					summary_counts[i]);
				return -1;
			}
		}
		if (!json_is_object(json_object_get(rec, "bySigner"))) {
			fprintf(stderr, "signet: %s: summary record: \"bySigner\" is not an object\n", where);
			return -1;
		}
		json_object_foreach(json_object_get(rec, "bySigner"), key, v) {
			if (!is_count(v)) {
				fprintf(stderr, "signet: %s: summary record: bySigner \"%s\" is not a count\n", where,
					key);
				return -1;
			}
		}
		v = json_object_get(rec, "shard");
		if (v != NULL && !json_is_null(v) && !json_is_string(v)) {
			fprintf(stderr, "signet: %s: summary record: \"shard\" is neither \"K/N\" nor null\n", where);
			return -1;
		}
		if ((problem = audit_summary_problem(rec)) != NULL) {
			fprintf(stderr, "signet: %s: summary record: %s\n", where, problem);
			return -1;
		}
		return REC_SUMMARY;
	}
	fprintf(stderr, "signet: %s: unknown record type \"%.40s\"\n", where, type);
	return -1;
}

/* Writes s to f with control characters (terminal escapes from a hostile
 * registry) replaced by '?'; NULL or "" as "-". */
static void put_clean(FILE *f, const char *s)
{
	if (s == NULL || *s == '\0') {
		fputc('-', f);
		return;
	}
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

/* ---- the table -------------------------------------------------------------- */

static void progress_clear(struct sink *s)
{
	if (s->progress)
		fputs("\r\033[K", stderr);
}

static void progress_show(struct sink *s)
{
	if (!s->progress)
		return;
	fprintf(stderr, "\r\033[Ksignet audit: %lu images, %lu denied, %lu errors", s->images, s->denied, s->errors);
	fflush(stderr);
}

/* The table's header, before its first line (not before an error). */
static void table_header(struct sink *s)
{
	if (!s->header)
		printf("%-7s  %s  %s  %s  %s\n", "VERDICT", "REFERENCE", "DIGEST", "SIGNERS", "REASON");
	s->header = 1;
}

static void table_image(json_t *rec)
{
	const char *digest = str(rec, "digest"), *ref = str(rec, "reference");
	json_t *sigs = json_object_get(rec, "signatures"), *sig;
	size_t i, shown = 0;

	printf("%-7s  ", str(rec, "verdict"));
	if (ref != NULL) {
		put_clean(stdout, ref);
	} else {
		put_clean(stdout, str(rec, "repository"));
		fputc(':', stdout);
		put_clean(stdout, str(rec, "tag"));
	}
	fputs("  ", stdout);
	/* sha256: and 12 hex digits, as docker shows image ids */
	if (digest != NULL && strlen(digest) > 19)
		printf("%.19s", digest);
	else
		put_clean(stdout, digest);
	fputs("  ", stdout);
	json_array_foreach(sigs, i, sig) {
		if (!json_is_true(json_object_get(sig, "valid")) || str(sig, "signer") == NULL)
			continue;
		if (shown++ > 0)
			fputc(',', stdout);
		put_clean(stdout, str(sig, "signer"));
	}
	if (shown == 0)
		fputc('-', stdout);
	fputs("  ", stdout);
	put_clean(stdout, str(rec, "reason"));
	fputc('\n', stdout);
}

static void table_orphan(FILE *f, json_t *rec)
{
	fputs("  ", f);
	put_clean(f, str(rec, "repository"));
	fputs("  ", f);
	put_clean(f, str(rec, "digest"));
	fputs("  ", f);
	put_clean(f, str(rec, "store"));
	fputs("  ", f);
	put_clean(f, str(rec, "location"));
	fputc('\n', f);
}

static unsigned long long count(json_t *summary, const char *key)
{
	json_int_t n = json_integer_value(json_object_get(summary, key));

	return n > 0 ? (unsigned long long)n : 0;
}

static int table_finish(struct sink *s)
{
	json_t *sum = s->summary, *v;
	const char *key, *shard = str(sum, "shard");
	char buf[8192];
	size_t n;

	table_header(s);
	if (ftell(s->orphans) > 0) {
		printf("\nOrphan signatures (for digests no tag names):\n");
		rewind(s->orphans);
		while ((n = fread(buf, 1, sizeof(buf), s->orphans)) > 0)
			fwrite(buf, 1, n, stdout);
		if (ferror(s->orphans)) {
			fputs("signet: the temporary file of orphans cannot be read back\n", stderr);
			return EXIT_UNREACHABLE;
		}
	}
	fputs("\nPolicy: ", stdout);
	audit_put_policy(stdout, put_clean, sum);
	printf("\nImages: %llu (%llu allowed, %llu denied, %llu errors)\n", count(sum, "images"),
	       count(sum, "allowed"), count(sum, "denied"), count(sum, "errors"));
	fputs("Orphan signatures: ", stdout);
	audit_put_orphans(stdout, put_clean, sum, s->orphan_records);
	fputc('\n', stdout);
	printf("Signatures claiming another repository: %llu\n", count(sum, "foreignIdentity"));
	if (json_object_size(json_object_get(sum, "bySigner")) > 0) {
		printf("Valid signatures by signer:\n");
		json_object_foreach(json_object_get(sum, "bySigner"), key, v) {
			fputs("  ", stdout);
			put_clean(stdout, key);
			printf("  %lld\n", (long long)json_integer_value(v));
		}
	}
	if (shard != NULL) {
		fputs("Shard: ", stdout);
		put_clean(stdout, shard);
		fputc('\n', stdout);
	}
	return 0;
}

/* ---- the sink --------------------------------------------------------------- */

static int sink_init(struct sink *s, int table, int json, const char *html)
{
	int code;

	memset(s, 0, sizeof(*s));
	s->table = table;
	s->json = json;
	if (table && (s->orphans = tmpfile()) == NULL) {
		fprintf(stderr, "signet: cannot create a temporary file: %s\n", strerror(errno));
		return EXIT_UNREACHABLE;
	}
	if (html != NULL && (code = audit_html_open(&s->html, html)) != 0) {
		if (s->orphans != NULL)
			fclose(s->orphans);
		s->orphans = NULL;
		return code;
	}
	return 0;
}


/* One record: TEXT is its JSON Lines form (written as is with --json),
 * REC the parsed record (borrowed; the summary is kept, referenced). */
static void sink_record(struct sink *s, const char *text, json_t *rec, int type)
{
	if (s->json) {
		fputs(text, stdout);
		fputc('\n', stdout);
	}
	switch (type) {
	case REC_IMAGE:
		s->images++;
		if (strcmp(str(rec, "verdict"), "denied") == 0)
			s->denied++;
		else if (strcmp(str(rec, "verdict"), "error") == 0)
			s->errors++;
		if (s->table) {
			progress_clear(s);
			table_header(s);
			table_image(rec);
			fflush(stdout);
		}
		progress_show(s);
		break;
	case REC_ORPHAN:
		s->orphan_records++;
		if (s->table)
			table_orphan(s->orphans, rec);
		break;
	default:
		json_decref(s->summary);
		s->summary = json_incref(rec);
		return;
	}
	if (s->html != NULL)
		audit_html_record(s->html, rec);
}

/* The end of the records: the table's orphans and summary, the HTML file
 * renamed into place (when there is a summary; else it is dropped).  Returns
 * 0 or the exit code of a failure. */
static int sink_finish(struct sink *s)
{
	int code = s->code;

	progress_clear(s);
	if (s->summary != NULL && code == 0 && s->table)
		code = table_finish(s);
	if (s->html != NULL) {
		if (s->summary != NULL && code == 0)
			code = audit_html_commit(s->html, s->summary);
		else
			audit_html_abort(s->html);
		s->html = NULL;
	}
	if (s->orphans != NULL)
		fclose(s->orphans);
	s->orphans = NULL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "signet: stdout: cannot write: %s\n", strerror(errno));
		if (code == 0)
			code = EXIT_UNREACHABLE;
	}
	json_decref(s->summary);
	s->summary = NULL;
	return code;
}

/* The exit code a summary stands for, as signet_audit's return: denied
 * first, then images that could not be read. */
static int summary_exit(json_t *summary)
{
	if (count(summary, "denied") > 0)
		return EXIT_DENIED;
	if (count(summary, "errors") > 0)
		return EXIT_UNREACHABLE;
	return EXIT_ALLOWED;
}

/* ---- reading JSON Lines ------------------------------------------------------ */

struct reader {
	const char *path;
	FILE *f;
	unsigned long lineno;
	char *line;
	size_t cap, len;
	char where[512];
};

static int reader_open(struct reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->f = fopen(path, "re");
	if (r->f == NULL) {
		fprintf(stderr, "signet: %s: %s\n", path, strerror(errno));
		return EXIT_UNREACHABLE;
	}
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

/* The next record of r: *rec (caller's) and its type; returns 1, 0 at the
 * end of the file, or -(exit code) (printed). */
static int reader_next(struct reader *r, json_t **rec, int *type)
{
	json_error_t jerr;
	int c;

	r->len = 0;
	while ((c = getc(r->f)) != EOF && c != '\n') {
		if (r->len + 1 >= r->cap) {
			size_t ncap = r->cap == 0 ? 4096 : r->cap * 2;
			char *p;

			if (r->cap >= AUDIT_MAX_LINE) {
				fprintf(stderr, "signet: %s:%lu: line longer than the limit of %u bytes\n", r->path,
					r->lineno + 1, AUDIT_MAX_LINE);
				return -EXIT_USAGE;
			}
			if ((p = realloc(r->line, ncap)) == NULL) {
				fputs("signet: out of memory\n", stderr);
				return -EXIT_USAGE;
			}
			r->line = p;
			r->cap = ncap;
		}
		r->line[r->len++] = (char)c;
	}
	if (ferror(r->f)) {
		fprintf(stderr, "signet: %s: cannot read: %s\n", r->path, strerror(errno));
		return -EXIT_UNREACHABLE;
	}
	if (c == EOF && r->len == 0)
		return 0;
	r->lineno++;
	snprintf(r->where, sizeof(r->where), "%s:%lu", r->path, r->lineno);
	if (r->len == 0) {
		fprintf(stderr, "signet: %s: empty line\n", r->where);
		return -EXIT_USAGE;
	}
	r->line[r->len] = '\0';
	*rec = json_loadb(r->line, r->len, JSON_REJECT_DUPLICATES, &jerr);
	if (*rec == NULL) {
		fprintf(stderr, "signet: %s: not JSON: %s\n", r->where, jerr.text);
		return -EXIT_USAGE;
	}
	if ((*type = record_type(*rec, r->where)) < 0) {
		json_decref(*rec);
		*rec = NULL;
		return -EXIT_USAGE;
	}
	return 1;
}

/* ---- render ------------------------------------------------------------------- */

static int cmd_audit_render(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "html", required_argument, NULL, OPT_HTML },
		{ "table", no_argument, NULL, OPT_TABLE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *html = NULL;
	struct reader r;
	struct sink s;
	json_t *rec = NULL;
	int opt, table = 0, type, n, code;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(audit_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == OPT_HTML)
			html = optarg;
		else if (opt == OPT_TABLE)
			table = 1;
		else
			return EXIT_USAGE;
	}
	if ((html == NULL) == (table == 0))
		return cli_usage_error("audit render takes one of --table and --html FILE");
	if (argc - optind != 1)
		return cli_usage_error("audit render takes exactly one FILE.jsonl");
	if ((code = reader_open(&r, argv[optind])) != 0)
		return code;
	if ((code = sink_init(&s, table, 0, html)) != 0) {
		reader_close(&r);
		return code;
	}
	while ((n = reader_next(&r, &rec, &type)) == 1) {
		if (s.summary != NULL) {
			fprintf(stderr, "signet: %s: a record after the summary\n", r.where);
			n = -EXIT_USAGE;
			break;
		}
		sink_record(&s, r.line, rec, type);
		json_decref(rec);
		rec = NULL;
	}
	json_decref(rec);
	if (n == 0 && s.summary == NULL) {
		fprintf(stderr, "signet: %s: no summary record at the end (an audit that did not finish?)\n",
			r.path);
		n = -EXIT_USAGE;
	}
	if (n < 0)
		s.code = -n;
	code = s.summary != NULL ? summary_exit(s.summary) : 0;
	n = sink_finish(&s);
	reader_close(&r);
	return n != 0 ? n : code;
}

/* ---- merge -------------------------------------------------------------------- */

struct shard_in {
	struct reader r;
	json_t *rec; /* the current image or orphan record, NULL at the end */
	int type;
	json_t *summary;
	char *summary_text;
	char *prev_repo; /* repository of the previous record */
};

/* Moves s to its next image or orphan record, checking the order; the
 * summary is kept aside and must be the last line.  Returns 0 or the exit
 * code (printed). */
static int shard_advance(struct shard_in *s)
{
	json_t *rec = NULL;
	int n, type;

	json_decref(s->rec);
	s->rec = NULL;
	while ((n = reader_next(&s->r, &rec, &type)) == 1) {
		if (s->summary != NULL) {
			json_decref(rec);
			fprintf(stderr, "signet: %s: a record after the summary\n", s->r.where);
			return EXIT_USAGE;
		}
		if (type == REC_SUMMARY) {
			s->summary = rec;
			if ((s->summary_text = strdup(s->r.line)) == NULL)
				return cli_usage_error("out of memory");
			continue;
		}
		if (s->prev_repo != NULL && strcmp(str(rec, "repository"), s->prev_repo) < 0) {
			fprintf(stderr, "signet: %s: repository \"%s\" after \"%s\": the file is not in audit order\n",
				s->r.where, str(rec, "repository"), s->prev_repo);
			json_decref(rec);
			return EXIT_USAGE;
		}
		if (s->prev_repo == NULL || strcmp(str(rec, "repository"), s->prev_repo) != 0) {
			free(s->prev_repo);
			if ((s->prev_repo = strdup(str(rec, "repository"))) == NULL) {
				json_decref(rec);
				return cli_usage_error("out of memory");
			}
		}
		s->rec = rec;
		s->type = type;
		return 0;
	}
	if (n < 0)
		return -n;
	if (s->summary == NULL) {
		fprintf(stderr, "signet: %s: no summary record at the end (a shard that did not finish?)\n",
			s->r.path);
		return EXIT_USAGE;
	}
	return 0;
}

/* Parses "K/N" strictly (1 <= K <= N <= AUDIT_MAX_SHARDS); 0 or -1. */
static int parse_shard(const char *s, unsigned int *k, unsigned int *n)
{
	unsigned long a, b;
	char *end;

	if (s == NULL || *s < '1' || *s > '9')
		return -1;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno != 0 || *end != '/' || end[1] < '1' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || a > b || b > AUDIT_MAX_SHARDS)
		return -1;
	*k = (unsigned int)a;
	*n = (unsigned int)b;
	return 0;
}

/* The dump flags that reproduce the library's own summary line from its
 * parsed form, or -1: merge writes its summary the same way, so that the
 * merged output is byte for byte the output of one run. */
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
 * library first counts them (its bySigner keeps that order). */
static int note_signers(json_t *order, json_t *rec)
{
	json_t *sig;
	size_t i;

	json_array_foreach(json_object_get(rec, "signatures"), i, sig) {
		const char *signer = str(sig, "signer");

		if (!json_is_true(json_object_get(sig, "valid")) || signer == NULL ||
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

/* The summary of the whole run from the shards' ones: counts summed,
 * bySigner merged, its keys in ORDER (the order of first appearance in the
 * merged records, as the library counts them; any other key after them, in
 * byte order), "shard": null; key order and formatting as the shards'
 * summaries.  *out is the line, caller frees; *merged the object. */
static int merge_summaries(char **out, json_t **merged, struct shard_in *in, size_t n, json_t *order)
{
	json_t *sum = NULL, *by = NULL, *sorted = NULL, *v, *unlooked = NULL;
	unsigned long long totals[N_SUMMARY_COUNTS] = { 0 }, orphans = 0, unlooked_repos = 0;
	unsigned char *seen = NULL;
	unsigned int k, shards = 0;
	const char *key, **keys = NULL;
	size_t i, j, nkeys;
	int flags = -1, code = EXIT_USAGE;

	if ((seen = calloc(AUDIT_MAX_SHARDS + 1, 1)) == NULL || (by = json_object()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		json_t *s = in[i].summary;
		unsigned int nn;
		int f;

		if (parse_shard(str(s, "shard"), &k, &nn) != 0) {
			fprintf(stderr, "signet: %s: the summary names no shard \"K/N\": not the output of "
					"`signet audit --shard`\n",
				in[i].r.path);
			goto out;
		}
		if (shards != 0 && nn != shards) {
			fprintf(stderr, "signet: %s: shard %u/%u of another split than %s (%u shards)\n",
				in[i].r.path, k, nn, in[0].r.path, shards);
			goto out;
		}
		shards = nn;
		if (seen[k]) {
			fprintf(stderr, "signet: %s: shard %u/%u given twice\n", in[i].r.path, k, nn);
			goto out;
		}
		seen[k] = 1;
		if ((f = summary_flags(s, in[i].summary_text)) < 0 || (flags >= 0 && f != flags)) {
			fprintf(stderr, "signet: %s: summary record not in the form `signet audit` writes it\n",
				in[i].r.path);
			goto out;
		}
		flags = f;
		/* One policy judged them all, or the merge would claim one
		 * that did not. */
		v = json_object_get(s, "policy");
		if (i > 0 && !json_equal(v, json_object_get(in[0].summary, "policy")) &&
		    (v != NULL || json_object_get(in[0].summary, "policy") != NULL)) {
			fprintf(stderr,
				"signet: %s: judged by another policy than %s: not shards of one audit\n",
				in[i].r.path, in[0].r.path);
			goto out;
		}
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
			if (unlooked == NULL || strcmp(str(v, "repository"), str(unlooked, "repository")) < 0)
				unlooked = v;
		}
		if (orphans > (unsigned long long)LLONG_MAX || unlooked_repos > (unsigned long long)LLONG_MAX)
			goto toobig;
		json_object_foreach(json_object_get(s, "bySigner"), key, v) {
			json_int_t had = json_integer_value(json_object_get(by, key));

			if (had > LLONG_MAX - json_integer_value(v))
				goto toobig;
			if (json_object_set_new(by, key, json_integer(had + json_integer_value(v))) != 0)
				goto nomem;
		}
	}
	if (n != shards) {
		for (k = 1; k <= shards && seen[k]; k++)
			;
		fprintf(stderr, "signet: shard %u/%u is missing: merge takes all %u shards of the audit\n", k, shards,
			shards);
		goto out;
	}
	/* The first shard's summary, values replaced in place: same key order. */
	if ((sum = json_deep_copy(in[0].summary)) == NULL || (sorted = json_object()) == NULL)
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
		json_t *u = json_pack("{s:I, s:s, s:s}", "repositories", (json_int_t)unlooked_repos,
				      "repository", str(unlooked, "repository"), "reason",
				      str(unlooked, "reason"));

		if (u == NULL || json_object_set_new(sum, "orphans", json_null()) != 0 ||
		    json_object_set_new(sum, "orphansNotLookedFor", u) != 0)
			goto nomem;
	}
	json_object_foreach(order, key, v) {
		if (json_object_get(by, key) != NULL && json_object_set(sorted, key, json_object_get(by, key)) != 0)
			goto nomem;
	}
	nkeys = json_object_size(by);
	if (nkeys > 0 && (keys = calloc(nkeys, sizeof(*keys))) == NULL)
		goto nomem;
	i = 0;
	json_object_foreach(by, key, v)
		keys[i++] = key;
	qsort(keys, nkeys, sizeof(*keys), cmp_keys);
	for (i = 0; i < nkeys; i++)
		if (json_object_get(sorted, keys[i]) == NULL &&
		    json_object_set(sorted, keys[i], json_object_get(by, keys[i])) != 0)
			goto nomem;
	if (json_object_set(sum, "bySigner", sorted) != 0 || json_object_set_new(sum, "shard", json_null()) != 0 ||
	    (*out = json_dumps(sum, (size_t)flags)) == NULL)
		goto nomem;
	*merged = sum;
	sum = NULL;
	code = 0;
	goto out;
toobig:
	fputs("signet: the summed counts of the shards are too large\n", stderr);
	goto out;
nomem:
	code = cli_usage_error("out of memory");
out:
	free(keys);
	free(seen);
	json_decref(sorted);
	json_decref(by);
	json_decref(sum);
	return code;
}

static int cmd_audit_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "html", required_argument, NULL, OPT_HTML },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct shard_in *in = NULL;
	const char *html = NULL;
	json_t *merged = NULL, *order = NULL;
	char *summary = NULL, *repo = NULL;
	struct sink s;
	int opt, json = 0, code = 0, sink_open = 0, fin;
	size_t n, i, best;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(audit_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == OPT_HTML)
			html = optarg;
		else if (opt == OPT_JSON)
			json = 1;
		else
			return EXIT_USAGE;
	}
	if (json && html != NULL)
		return cli_usage_error("audit merge takes --json or --html FILE, not both");
	if (argc - optind < 1)
		return cli_usage_error("audit merge takes the SHARD.jsonl files of every shard");
	n = (size_t)(argc - optind);
	if (n > AUDIT_MAX_SHARDS)
		return cli_usage_error("audit merge takes at most %u files", AUDIT_MAX_SHARDS);
	if ((in = calloc(n, sizeof(*in))) == NULL || (order = json_object()) == NULL) {
		free(in);
		return cli_usage_error("out of memory");
	}
	for (i = 0; i < n; i++)
		if ((code = reader_open(&in[i].r, argv[optind + (int)i])) != 0 || (code = shard_advance(&in[i])) != 0)
			goto out;
	if ((code = sink_init(&s, !json && html == NULL, json, html)) != 0)
		goto out;
	sink_open = 1;
	/* k-way merge by repository: each repository lives in exactly one
	 * shard, so its records are copied as a block, in the shard's order. */
	for (;;) {
		best = n;
		for (i = 0; i < n; i++) {
			int c = 0;

			if (in[i].rec == NULL)
				continue;
			if (best == n || (c = strcmp(str(in[i].rec, "repository"), str(in[best].rec, "repository"))) < 0) {
				best = i;
			} else if (c == 0) {
				fprintf(stderr, "signet: repository \"%s\" is in both %s and %s: the shards overlap\n",
					str(in[i].rec, "repository"), in[best].r.path, in[i].r.path);
				s.code = code = EXIT_USAGE;
				goto out;
			}
		}
		if (best == n)
			break;
		free(repo);
		if ((repo = strdup(str(in[best].rec, "repository"))) == NULL) {
			s.code = code = cli_usage_error("out of memory");
			goto out;
		}
		do {
			if (in[best].type == REC_IMAGE && note_signers(order, in[best].rec) != 0) {
				s.code = code = cli_usage_error("out of memory");
				goto out;
			}
			sink_record(&s, in[best].r.line, in[best].rec, in[best].type);
			if ((code = shard_advance(&in[best])) != 0) {
				s.code = code;
				goto out;
			}
		} while (in[best].rec != NULL && strcmp(str(in[best].rec, "repository"), repo) == 0);
	}
	if ((code = merge_summaries(&summary, &merged, in, n, order)) != 0) {
		s.code = code;
		goto out;
	}
	sink_record(&s, summary, merged, REC_SUMMARY);
	code = summary_exit(merged);
out:
	if (sink_open && (fin = sink_finish(&s)) != 0)
		code = fin;
	for (i = 0; in != NULL && i < n; i++) {
		json_decref(in[i].rec);
		json_decref(in[i].summary);
		free(in[i].summary_text);
		free(in[i].prev_repo);
		reader_close(&in[i].r);
	}
	free(in);
	free(summary);
	free(repo);
	json_decref(merged);
	json_decref(order);
	return code;
}

/* ---- the audit ------------------------------------------------------------------ */

static int audit_cb(void *userdata, const char *text)
{
	struct sink *s = userdata;
	json_error_t jerr;
	json_t *rec;
	int type;

	rec = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (rec == NULL) {
		fprintf(stderr, "signet: audit record not JSON: %s\n", jerr.text);
		s->code = EXIT_UNREACHABLE;
		return SIGNET_EBADINPUT;
	}
	if ((type = record_type(rec, "audit record")) < 0) {
		json_decref(rec);
		s->code = EXIT_UNREACHABLE;
		return SIGNET_EBADINPUT;
	}
	sink_record(s, text, rec, type);
	json_decref(rec);
	if (ferror(stdout)) {
		fprintf(stderr, "signet: stdout: cannot write: %s\n", strerror(errno));
		s->code = EXIT_UNREACHABLE;
		return SIGNET_EIO;
	}
	return 0;
}

/* Parses -j N strictly: 1..AUDIT_MAX_JOBS. */
static int parse_jobs(const char *arg, unsigned int *out)
{
	unsigned long n;
	char *end;

	errno = 0;
	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	n = strtoul(arg, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > AUDIT_MAX_JOBS)
		return -1;
	*out = (unsigned int)n;
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_TRUST_LONGOPTS,
	    CLI_COMMON_LONGOPTS,
	    CLI_TIMEOUT_LONGOPT,
	    {"repos", required_argument, NULL, OPT_REPOS},
	    {"jobs", required_argument, NULL, 'j'},
	    {"shard", required_argument, NULL, OPT_SHARD},
	    {"html", required_argument, NULL, OPT_HTML},
	    {NULL, 0, NULL, 0},
	};
	signet_audit_options aopts = SIGNET_AUDIT_OPTIONS_INIT;
	signet_verifier *verifier = NULL;
	signet_ctx *ctx = NULL;
	const char *html = NULL;
	struct cli_common c;
	struct cli_trust t;
	struct sink s;
	int opt, rc, code;

	if (argc >= 2 && strcmp(argv[1], "merge") == 0)
		return cmd_audit_merge(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "render") == 0)
		return cmd_audit_render(argc - 1, argv + 1);
	cli_common_init(&c);
	cli_trust_init(&t);
	while ((opt = getopt_long(argc, argv, "a:j:vqh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(audit_help, stdout);
			return EXIT_ALLOWED;
		case '?':
			return EXIT_USAGE;
		case OPT_REPOS:
			aopts.repos_file = optarg;
			continue;
		case 'j':
			if (parse_jobs(optarg, &aopts.jobs) != 0)
				return cli_usage_error("-j takes a number of parallel requests from 1 to %u, not \"%s\"",
						       AUDIT_MAX_JOBS, optarg);
			continue;
		case OPT_SHARD:
			if (parse_shard(optarg, &aopts.shard_index, &aopts.shard_count) != 0)
				return cli_usage_error("--shard takes K/N with 1 <= K <= N <= %u, not \"%s\"",
						       AUDIT_MAX_SHARDS, optarg);
			continue;
		case OPT_HTML:
			html = optarg;
			continue;
		default:
			break;
		}
		if (cli_trust_common_option(&t, &c, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("audit takes exactly one SOURCE (see 'signet audit --help')");
	aopts.source = argv[optind];
	if ((code = cli_verifier_open(&ctx, &verifier, &t, &c)) != 0)
		goto out;
	if ((code = sink_init(&s, !c.json && !c.quiet, c.json, html)) != 0)
		goto out;
	s.progress = isatty(STDERR_FILENO) && !c.quiet;
	rc = signet_audit(verifier, &aopts, audit_cb, &s);
	if (s.code == 0 && s.summary == NULL) {
		/* Stopped before the end: the catalog, the layout, ... */
		progress_clear(&s);
		s.progress = 0;
		s.code = rc != 0 ? cli_fail(ctx, rc) : EXIT_UNREACHABLE;
		if (rc == 0)
			fputs("signet: the audit ended without its summary\n", stderr);
	}
	if ((code = sink_finish(&s)) != 0)
		goto out;
	if (rc == SIGNET_OK || rc == SIGNET_EDENIED) {
		code = cli_exit_code(rc);
	} else {
		code = cli_exit_code(rc);
		if (!c.quiet)
			fprintf(stderr, "signet: some images could not be read: %s\n", signet_strerror(rc));
	}
out:
	signet_verifier_free(verifier);
	signet_ctx_free(ctx);
	return code;
}
