/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_contract.c: signet contract images (HPCR contract helpers). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RHS 256

static const char contract_help[] =
    "Usage: signet contract images --rhs REPOSITORY=KEYFILE [--rhs ...] [-o FILE]\n\n"
    "Helpers for the IBM Hyper Protect (HPCR) deployment contract.\n\n"
    "Commands:\n"
    "  images   print the images: section of the contract's workload that pins OpenPGP keys\n"
    "           (Red Hat simple signing, images.rhs) to repositories\n\n"
    "Run 'signet contract images --help' for its options.\n";

static const char images_help[] =
    "Usage: signet contract images --rhs REPOSITORY=KEYFILE [--rhs ...] [-o FILE]\n\n"
    "Print the images: section of an HPCR contract's workload: for each --rhs, the repository\n"
    "(normalized: busybox is docker.io/library/busybox; with a tag or digest the entry applies\n"
    "to that reference only) and the base64 of its ASCII-armored OpenPGP public key, as\n"
    "`gpg --armor --export KEY | base64 -w0` makes it.  Images of these repositories must then\n"
    "carry a simple signing signature by the key; images named by digest need none.\n"
    "Indent the output under workload: (or under the workload's YAML).\n\n"
    "Options:\n"
    "  --rhs REPOSITORY=KEYFILE  a repository and its OpenPGP public key file (armored or\n"
    "                            binary); repeatable\n"
    "  -o, --output FILE         write to FILE (atomically) instead of standard output\n"
    "  -h, --help                this help\n"
    "\nExit codes: 0 done, 2 bad usage or input, 3 cannot read a key file.\n";

enum { OPT_RHS = 0x300 };

static int cmd_contract_images(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"rhs", required_argument, NULL, OPT_RHS},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *repos[MAX_RHS], *keys[MAX_RHS];
	char *specs[MAX_RHS];
	const char *output = NULL;
	signet_ctx *ctx = NULL;
	char *yaml = NULL;
	size_t n = 0;
	int opt, rc, code;

	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(images_help, stdout);
			code = EXIT_ALLOWED;
			goto out;
		case 'o': output = optarg; break;
		case OPT_RHS: {
			char *eq;

			if (n == MAX_RHS) {
				code = cli_usage_error("at most %d --rhs options", MAX_RHS);
				goto out;
			}
			/* A repository never holds '=', a file name may: split
			 * at the first one. */
			if ((specs[n] = strdup(optarg)) == NULL) {
				code = cli_usage_error("out of memory");
				goto out;
			}
			eq = strchr(specs[n], '=');
			if (eq == NULL || eq == specs[n] || eq[1] == '\0') {
				free(specs[n]);
				code = cli_usage_error("--rhs takes REPOSITORY=KEYFILE, not \"%s\"", optarg);
				goto out;
			}
			*eq = '\0';
			repos[n] = specs[n];
			keys[n] = eq + 1;
			n++;
			break;
		}
		default: code = EXIT_USAGE; goto out;
		}
	}
	if (optind != argc) {
		code = cli_usage_error(
		    "contract images takes no arguments (see 'signet contract images --help')");
		goto out;
	}
	if (n == 0) {
		code = cli_usage_error("contract images needs at least one --rhs REPOSITORY=KEYFILE");
		goto out;
	}
	if (signet_ctx_new(&ctx, NULL) != 0) {
		code = cli_usage_error("cannot create a context");
		goto out;
	}
	if ((rc = signet_contract_images(&yaml, ctx, repos, keys, n)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	if (output != NULL) {
		code = cli_write_file(output, yaml, strlen(yaml));
		goto out;
	}
	if (fputs(yaml, stdout) == EOF || fflush(stdout) != 0) {
		fputs("signet: cannot write to standard output\n", stderr);
		code = EXIT_UNREACHABLE;
		goto out;
	}
	code = EXIT_ALLOWED;
out:
	for (size_t i = 0; i < n; i++)
		free(specs[i]);
	free(yaml);
	signet_ctx_free(ctx);
	return code;
}

int cmd_contract(int argc, char **argv)
{
	if (argc < 2) {
		fputs(contract_help, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(contract_help, stdout);
		return EXIT_ALLOWED;
	}
	if (strcmp(argv[1], "images") == 0)
		return cmd_contract_images(argc - 1, argv + 1);
	fprintf(stderr, "signet: unknown contract command \"%s\"\n", argv[1]);
	fputs(contract_help, stderr);
	return EXIT_USAGE;
}
