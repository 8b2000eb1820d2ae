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
	"  -j, --jobs N         parallel requests (default 4 for a registry elsewhere, 1 for one on\n"
	"                       this machine (loopback) and for dir: and oci:)\n"
	"  --shard K/N          audit only shard K of N (repositories split by a hash of their name);\n"
	"                       combine the --json outputs of all N shards with `signet audit merge`\n"
	"  --html FILE          also write a self-contained HTML report to FILE\n" CLI_TRUST_HELP;
/* Two strings: one would pass the 4095 bytes C99 promises compilers read. */
static const char audit_help_end[] = CLI_TIMEOUT_HELP CLI_COMMON_HELP
	"\nmerge: combine the --json outputs of the N shards of one audit into the output a single run\n"
	"would have given (a table, --json or --html FILE).\n"
	"render: turn a --json output back into the table or an HTML report.\n"
	"With --json the output is JSON Lines: one object per image and per orphan, then the summary.\n"
	"Otherwise the report leads with the summary (what was audited, the policy, the counts, the\n"
	"denials grouped by reason, the signers), then one line per image fitted to $COLUMNS or the\n"
	"terminal's width.  Every run ends with a summary line on stderr; -q prints only that line.\n"
	"\nExit codes: 0 every image allowed, 1 some image denied, 2 bad usage or input (a SOURCE with\n"
	"no image), 3 some image or the source could not be read (merge and render: as the recorded\n"
	"audit).\n";

enum {
	OPT_REPOS = 0x300,
	OPT_SHARD,
	OPT_HTML,
	OPT_TABLE,
};

/* Where records go: any of the terminal report on stdout, JSON Lines on
 * stdout, HTML; and always the summary line on stderr at the end. */
struct sink {
	int table;
	int json;
	const char *html_path; /* --html FILE: opened with the first record */
	int opened;
	int progress; /* a progress line on stderr (a terminal) */
	struct audit_table *tab;
	struct audit_html *html;
	struct audit_tally tally;
	unsigned long images, denied, errors;
	unsigned long long orphan_records; /* seen */
	signet_audit_record *summary;      /* once seen (a copy) */
	int code;                          /* exit code of a failure of the sink itself */
};

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

/* ---- the sink --------------------------------------------------------------- */

static void sink_init(struct sink *s, int table, int json, const char *html)
{
	memset(s, 0, sizeof(*s));
	audit_tally_init(&s->tally);
	s->table = table;
	s->json = json;
	s->html_path = html;
}

/* Opens the sink's files (a temporary file of orphans for the table, the
 * HTML file's): before the first record.  Returns 0 or the exit code
 * (printed). */
static int sink_open(struct sink *s)
{
	int code;

	if (s->opened)
		return 0;
	if (s->table && (code = audit_table_open(&s->tab)) != 0)
		return code;
	if (s->html_path != NULL && (code = audit_html_open(&s->html, s->html_path)) != 0) {
		audit_table_free(s->tab);
		s->tab = NULL;
		return code;
	}
	s->opened = 1;
	return 0;
}

/* One record (borrowed; the summary is kept, copied): printed as JSON Lines
 * with --json, shown in the table and the HTML page.  Returns 0, or the
 * exit code of a failure of the sink (printed, also in s->code). */
static int sink_record(struct sink *s, const signet_audit_record *rec)
{
	int code;

	if ((code = sink_open(s)) != 0)
		return s->code = code;
	if (s->json) {
		fputs(signet_audit_record_json(rec), stdout);
		fputc('\n', stdout);
	}
	switch (signet_audit_record_get_type(rec)) {
	case SIGNET_AUDIT_IMAGE:
		s->images++;
		if (signet_audit_record_verdict(rec) == SIGNET_AUDIT_DENIED)
			s->denied++;
		else if (signet_audit_record_verdict(rec) == SIGNET_AUDIT_ERROR)
			s->errors++;
		if (audit_tally_image(&s->tally, rec) != 0)
			return s->code = cli_usage_error("out of memory");
		if (s->tab != NULL && (code = audit_table_record(s->tab, rec)) != 0)
			return s->code = code;
		progress_show(s);
		break;
	case SIGNET_AUDIT_ORPHAN:
		s->orphan_records++;
		if (s->tab != NULL && (code = audit_table_record(s->tab, rec)) != 0)
			return s->code = code;
		break;
	default:
		signet_audit_record_free(s->summary);
		s->summary = NULL;
		if (signet_audit_record_dup(&s->summary, rec) != 0)
			return s->code = cli_usage_error("out of memory");
		return 0;
	}
	if (s->html != NULL)
		audit_html_record(s->html, rec);
	return 0;
}

static int sink_cb(void *userdata, const signet_audit_record *rec)
{
	struct sink *s = userdata;

	if (sink_record(s, rec) != 0)
		return SIGNET_EIO;
	if (ferror(stdout)) {
		fprintf(stderr, "signet: stdout: cannot write: %s\n", strerror(errno));
		s->code = EXIT_UNREACHABLE;
		return SIGNET_EIO;
	}
	return 0;
}

/* The end of the records: the terminal report, the HTML file renamed
 * into place (when there is a summary; else it is dropped), and the
 * summary line on stderr.  Returns 0 or the exit code of a failure. */
static int sink_finish(struct sink *s)
{
	int code = s->code;

	progress_clear(s);
	audit_tally_sort(&s->tally);
	if (s->summary != NULL && code == 0 && s->tab != NULL)
		code = audit_table_print(s->tab, stdout, s->summary, &s->tally, s->orphan_records,
		                         audit_columns());
	if (s->html != NULL) {
		if (s->summary != NULL && code == 0)
			code = audit_html_commit(s->html, s->summary, &s->tally);
		else
			audit_html_abort(s->html);
		s->html = NULL;
	}
	audit_table_free(s->tab);
	s->tab = NULL;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "signet: stdout: cannot write: %s\n", strerror(errno));
		if (code == 0)
			code = EXIT_UNREACHABLE;
	}
	/* the last word, on the terminal whatever stdout is */
	if (s->summary != NULL && code == 0)
		audit_summary_line(stderr, audit_put_clean, s->summary);
	signet_audit_record_free(s->summary);
	s->summary = NULL;
	audit_tally_free(&s->tally);
	return code;
}

/* The exit code a summary stands for, as signet_audit's return: denied
 * first, then images that could not be read. */
static int summary_exit(const signet_audit_record *summary)
{
	if (signet_audit_record_denied(summary) > 0)
		return EXIT_DENIED;
	if (signet_audit_record_errors(summary) > 0)
		return EXIT_UNREACHABLE;
	return EXIT_ALLOWED;
}

/* Gives the records of files (one audit's, or the shards of one) to a
 * sink: signet_audit_read for one file, signet_audit_merge for shards.
 * Returns the exit code: the recorded audit's, or the failure's. */
static int sink_files(struct sink *s, const char *const *paths, size_t n, int merge)
{
	signet_ctx *ctx = NULL;
	int rc, code, fin;

	if (signet_ctx_new(&ctx, NULL) != 0)
		return cli_usage_error("out of memory");
	if (merge)
		rc = signet_audit_merge(ctx, paths, n, sink_cb, s);
	else
		rc = signet_audit_read(ctx, paths[0], sink_cb, s);
	if (rc != 0 && s->code == 0)
		s->code = cli_fail(ctx, rc);
	code = s->code != 0 ? s->code : s->summary != NULL ? summary_exit(s->summary) : 0;
	if (s->opened && (fin = sink_finish(s)) != 0)
		code = fin;
	signet_ctx_free(ctx);
	return code;
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
	struct sink s;
	int opt, table = 0;

	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		if (opt == 'h') {
			fputs(audit_help, stdout), fputs(audit_help_end, stdout);
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
	sink_init(&s, table, 0, html);
	return sink_files(&s, (const char *const *)argv + optind, 1, 0);
}

/* ---- merge -------------------------------------------------------------------- */

static int cmd_audit_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"html", required_argument, NULL, OPT_HTML},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *html = NULL;
	struct sink s;
	int opt, json = 0;
	size_t n;

	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		if (opt == 'h') {
			fputs(audit_help, stdout), fputs(audit_help_end, stdout);
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
	sink_init(&s, !json && html == NULL, json, html);
	return sink_files(&s, (const char *const *)argv + optind, n, 1);
}

/* ---- the audit ------------------------------------------------------------------ */

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

/* The -j an audit of source gets when none is given: AUDIT_DEFAULT_REMOTE_JOBS
 * for a docker:// registry that is not on this machine (loopback), else 1. */
static unsigned int default_jobs(const char *source)
{
	static const char *const local[] = {"localhost", "127.", "[::1]"};
	const char *host = source + 9;

	if (strncmp(source, "docker://", 9) != 0)
		return 1;
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (strncmp(host, local[i], strlen(local[i])) == 0) {
			char next = host[strlen(local[i])];

			/* "localhost", "localhost:5000", "127.x", not "localhost.example" */
			if (local[i][strlen(local[i]) - 1] == '.' || next == '\0' || next == ':' ||
			    next == '/')
				return 1;
		}
	return AUDIT_DEFAULT_REMOTE_JOBS;
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
	int opt, rc, code, jobs_given = 0;

	if (argc >= 2 && strcmp(argv[1], "merge") == 0)
		return cmd_audit_merge(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "render") == 0)
		return cmd_audit_render(argc - 1, argv + 1);
	cli_common_init(&c);
	cli_trust_init(&t);
	while ((opt = cli_getopt(argc, argv, "a:j:vqh", longopts)) != -1) {
		switch (opt) {
		case 'h':
			fputs(audit_help, stdout), fputs(audit_help_end, stdout);
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
			jobs_given = 1;
			continue;
		case OPT_SHARD:
			if (signet_audit_shard_parse(optarg, &aopts.shard_index, &aopts.shard_count) != 0)
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
	if (!jobs_given)
		aopts.jobs = default_jobs(aopts.source);
	if (c.verbose)
		fprintf(stderr, "signet: audit: %u image%s at a time (-j %u%s)\n", aopts.jobs,
		        aopts.jobs == 1 ? "" : "s", aopts.jobs,
		        jobs_given                                ? ""
		        : aopts.jobs == AUDIT_DEFAULT_REMOTE_JOBS ? ", the default for a registry elsewhere"
		                                                  : ", the default for a local source");
	if ((code = cli_verifier_open(&ctx, &verifier, &t, &c)) != 0)
		goto out;
	sink_init(&s, !c.json && !c.quiet, c.json, html);
	if ((code = sink_open(&s)) != 0)
		goto out;
	s.progress = isatty(STDERR_FILENO) && !c.quiet;
	rc = signet_audit_records(verifier, &aopts, sink_cb, &s);
	if (s.code == 0 && s.summary == NULL) {
		/* Stopped before the end: the catalog, the layout, ... */
		progress_clear(&s);
		s.progress = 0;
		s.code = rc != 0 ? cli_fail(ctx, rc) : EXIT_UNREACHABLE;
		if (rc == 0)
			fputs("signet: the audit ended without its summary\n", stderr);
	}
	if (s.code == 0 && rc != SIGNET_OK && rc != SIGNET_EDENIED && !c.quiet) {
		/* before the summary line, which ends the run */
		progress_clear(&s);
		s.progress = 0;
		fprintf(stderr, "signet: some images could not be read: %s\n", signet_strerror(rc));
	}
	if ((code = sink_finish(&s)) != 0)
		goto out;
	code = cli_exit_code(rc);
out:
	signet_verifier_free(verifier);
	signet_ctx_free(ctx);
	return code;
}
