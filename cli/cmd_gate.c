/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_gate.c: signet gate WORKLOAD. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

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
    "  -o, --output FILE    write the pinned workload to FILE instead of WORKLOAD\n" CLI_TRUST_HELP
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
static void put_clean(const char *s, size_t width)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++, n++) {
		unsigned char c = (unsigned char)*s;

		putchar(c == '\n' || c == '\t' ? ' ' : c < 0x20 || c == 0x7f ? '?' : c);
	}
	for (; n < width; n++)
		putchar(' ');
}

#define COL_MAX 64 /* wider where/image values push the next column right */

static void print_table(const signet_gate_report *r)
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
	printf("%-8s  ", "VERDICT");
	put_clean("WHERE", w_where);
	fputs("  ", stdout);
	put_clean("IMAGE", w_image);
	fputs("  PINNED / REASON\n", stdout);
	for (size_t i = 0; i < n; i++) {
		const char *where, *image, *pinned, *reason;
		int verdict;

		(void)signet_gate_report_entry(r, i, &where, &image, &verdict, &pinned, &reason);
		printf("%-8s  ", verdict_word(verdict));
		put_clean(where, w_where);
		fputs("  ", stdout);
		put_clean(image, w_image);
		fputs("  ", stdout);
		if (verdict == 0) {
			put_clean(pinned, 0);
			fputs(reason != NULL ? "  signed by " : "  (no signature required by the policy)",
			      stdout);
			put_clean(reason, 0);
		} else {
			put_clean(reason, 0);
		}
		putchar('\n');
	}
}

static int print_json(const signet_gate_report *r, const struct cli_trust *t)
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
	json_dumpf(a, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(a);
	return 0;
fail:
	json_decref(a);
	fputs("signet: cannot build JSON output\n", stderr);
	return -1;
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
	rc = signet_gate(&report, verifier, argv[optind], output);
	code = cli_exit_code(rc);
	if (report != NULL && (rc != 0 || !c.quiet)) {
		if (c.json) {
			if (print_json(report, &t) != 0 && code == EXIT_ALLOWED)
				code = EXIT_USAGE;
		} else {
			print_table(report);
			cli_trust_print_source(&t, stdout);
		}
		fflush(stdout); /* the report first, then the error on stderr */
	}
	if (rc != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	if (!c.quiet && !c.json)
		printf("Wrote %s: %zu image%s pinned to verified digests\n",
		       output != NULL ? output : argv[optind], signet_gate_report_count(report),
		       signet_gate_report_count(report) == 1 ? "" : "s");
out:
	signet_gate_report_free(report);
	signet_verifier_free(verifier);
	signet_ctx_free(ctx);
	return code;
}
