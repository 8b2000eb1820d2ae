/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_gate.c: signet gate WORKLOAD. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

static const char gate_help[] =
    "Usage: signet gate [--policy FILE | --contract FILE | --key FILE...] [OPTIONS] [-o OUT] WORKLOAD\n\n"
    "Verify every image WORKLOAD names before anything is pulled.  WORKLOAD is a docker compose\n"
    "file (services.*.image), Kubernetes YAML (the pod specs' containers, initContainers,\n"
    "ephemeralContainers and image volumes, in one or more documents), an HPCR workload section\n"
    "(compose.archive, play.resources, play.templates, play.archive), or an HPCR contract whose\n"
    "workload section is a mapping.  Each distinct image is verified once.\n\n"
    "If every image is allowed, the workload is written back (to OUT, or in place) with each image\n"
    "pinned to the digest that was verified (busybox:1.36 -> busybox:1.36@sha256:...); every other\n"
    "byte of the file is kept.  If any image is denied or cannot be checked, nothing is written.\n"
    "The report, one line per image (verdict, where, image, then the pinned reference and signer\n"
    "or the reason), goes to standard output in both cases.\n\n"
    "Options:\n"
    "  -o, --output FILE    write the pinned workload to FILE instead of WORKLOAD; with -o - to\n"
    "                       standard output (the report then goes to standard error)\n" CLI_TRUST_HELP
        CLI_TIMEOUT_HELP CLI_COMMON_HELP
    "\nExit codes: 0 all allowed (written), 1 an image denied (nothing written), 2 bad usage, or a\n"
    "workload or image reference that does not parse, 3 an image or its signatures cannot be read.\n";

/* A verdict as one word: allowed, denied, invalid (exit 2), error (exit 3). */
static const char *verdict_word(int verdict)
{
	switch (cli_exit_code(verdict)) {
	case EXIT_ALLOWED: return "allowed";
	case EXIT_DENIED: return "denied";
	case EXIT_USAGE: return "invalid";
	default: return "error";
	}
}

/* Prints s with control characters shown as '?' (line breaks as spaces),
 * padded to width; returns the characters printed before padding. */
static void put_clean(FILE *f, const char *s, size_t width)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++, n++) {
		unsigned char c = (unsigned char)*s;

		fputc(c == '\n' || c == '\t' ? ' ' : c < 0x20 || c == 0x7f ? '?' : c, f);
	}
	for (; n < width; n++)
		fputc(' ', f);
}

#define COL_MAX 64 /* wider where/image values push the next column right */

static void print_table(FILE *f, const signet_gate_report *r)
{
	size_t n = signet_gate_report_count(r), w_where = strlen("WHERE"), w_image = strlen("IMAGE");

	for (size_t i = 0; i < n; i++) {
		const char *where, *image;

		(void)signet_gate_report_entry(r, i, &where, &image, NULL, NULL, NULL);
		if (strlen(where) > w_where)
			w_where = strlen(where) > COL_MAX ? COL_MAX : strlen(where);
		if (strlen(image) > w_image)
			w_image = strlen(image) > COL_MAX ? COL_MAX : strlen(image);
	}
	fprintf(f, "%-8s  ", "VERDICT");
	put_clean(f, "WHERE", w_where);
	fputs("  ", f);
	put_clean(f, "IMAGE", w_image);
	fputs("  PINNED / REASON\n", f);
	for (size_t i = 0; i < n; i++) {
		const char *where, *image, *pinned, *reason;
		int verdict;

		(void)signet_gate_report_entry(r, i, &where, &image, &verdict, &pinned, &reason);
		fprintf(f, "%-8s  ", verdict_word(verdict));
		put_clean(f, where, w_where);
		fputs("  ", f);
		put_clean(f, image, w_image);
		fputs("  ", f);
		if (verdict == 0) {
			put_clean(f, pinned, 0);
			fputs(reason != NULL ? "  signed by " : "  (no signature required by the policy)", f);
			put_clean(f, reason, 0);
		} else {
			put_clean(f, reason, 0);
		}
		fputc('\n', f);
	}
}

static int print_json(FILE *f, const signet_gate_report *r, const struct cli_trust *t)
{
	json_t *a = json_array();

	if (a == NULL)
		goto fail;
	for (size_t i = 0; i < signet_gate_report_count(r); i++) {
		const char *where, *image, *pinned, *reason;
		int verdict;
		json_t *o, *source;

		(void)signet_gate_report_entry(r, i, &where, &image, &verdict, &pinned, &reason);
		if ((source = cli_trust_source_json(t)) == NULL)
			goto fail;
		o = json_pack("{s:s, s:s, s:b, s:s, s:s*, s:s*, s:s*, s:o}", "Where", where, "Image", image,
		              "Allowed", verdict == 0, "Verdict", verdict_word(verdict), "Pinned", pinned,
		              "Signer", verdict == 0 ? reason : NULL, "Reason", verdict != 0 ? reason : NULL,
		              "Policy", source);
		if (o == NULL || json_array_append_new(a, o) != 0)
			goto fail;
	}
	json_dumpf(a, f, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', f);
	json_decref(a);
	return 0;
fail:
	json_decref(a);
	fputs("signet: cannot build JSON output\n", stderr);
	return -1;
}

/* -o -: the library writes the pinned workload atomically to a file in
 * a private temporary directory; it is copied to standard output only
 * when the gate allowed every image.  *dir and *file: caller frees. */
static int stage_open(char **dir, char **file)
{
	const char *tmp = getenv("TMPDIR");

	*file = NULL;
	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	if (asprintf(dir, "%s/signet-gate.XXXXXX", tmp) < 0) {
		*dir = NULL;
		return cli_usage_error("out of memory");
	}
	if (mkdtemp(*dir) == NULL) {
		fprintf(stderr, "signet: %s: cannot create a temporary directory: %s\n", *dir,
		        strerror(errno));
		free(*dir);
		*dir = NULL;
		return EXIT_UNREACHABLE;
	}
	if (asprintf(file, "%s/workload", *dir) < 0) {
		*file = NULL;
		return cli_usage_error("out of memory");
	}
	return 0;
}

static void stage_remove(char *dir, char *file)
{
	if (file != NULL)
		(void)unlink(file);
	if (dir != NULL)
		(void)rmdir(dir);
	free(file);
	free(dir);
}

int cmd_gate(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    CLI_TRUST_LONGOPTS,
	    CLI_COMMON_LONGOPTS,
	    CLI_TIMEOUT_LONGOPT,
	    {NULL, 0, NULL, 0},
	};
	signet_gate_report *report = NULL;
	signet_verifier *verifier = NULL;
	signet_ctx *ctx = NULL;
	const char *output = NULL;
	char *stage_dir = NULL, *stage_file = NULL;
	FILE *report_f = stdout;
	struct cli_common c;
	struct cli_trust t;
	int opt, rc, code;

	cli_common_init(&c);
	cli_trust_init(&t);
	while ((opt = cli_getopt(argc, argv, "o:a:vqh", longopts)) != -1) {
		if (opt == 'h') {
			fputs(gate_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == '?')
			return EXIT_USAGE;
		if (opt == 'o') {
			output = optarg;
			continue;
		}
		if (cli_trust_common_option(&t, &c, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("gate takes exactly one WORKLOAD (see 'signet gate --help')");
	if (output != NULL && output[0] == '\0')
		return cli_usage_error("--output takes a file name");
	if ((code = cli_verifier_open(&ctx, &verifier, &t, &c)) != 0)
		goto out;
	if (cli_is_stdout(output)) {
		/* Standard output carries the workload; the report goes to stderr. */
		report_f = stderr;
		if ((code = stage_open(&stage_dir, &stage_file)) != 0)
			goto out;
	}
	rc = signet_gate(&report, verifier, argv[optind], stage_file != NULL ? stage_file : output);
	code = cli_exit_code(rc);
	if (report != NULL && (rc != 0 || !c.quiet)) {
		if (c.json) {
			if (print_json(report_f, report, &t) != 0 && code == EXIT_ALLOWED)
				code = EXIT_USAGE;
		} else {
			print_table(report_f, report);
			cli_trust_print_source(&t, report_f);
		}
		fflush(report_f); /* the report first, then the error on stderr */
	}
	if (rc != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	if (stage_file != NULL && (code = cli_copy_to_stdout(stage_file)) != 0)
		goto out;
	if (!c.quiet && !c.json)
		fprintf(report_f, "Wrote %s: %zu image%s pinned to verified digests\n",
		        stage_file != NULL ? "standard output"
		        : output != NULL   ? output
		                           : argv[optind],
		        signet_gate_report_count(report), signet_gate_report_count(report) == 1 ? "" : "s");
out:
	stage_remove(stage_dir, stage_file);
	signet_gate_report_free(report);
	signet_verifier_free(verifier);
	signet_ctx_free(ctx);
	return code;
}
