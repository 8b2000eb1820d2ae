/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_contract.c: signet contract images (HPCR contract helpers). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PINS 256

static const char contract_help[] =
    "Usage: signet contract images [--rhs REPOSITORY=KEYFILE]... [--cosign REPOSITORY=PUBKEY.pem]...\n"
    "                              [-o FILE]\n\n"
    "Helpers for the IBM Hyper Protect (HPCR) deployment contract.\n\n"
    "Commands:\n"
    "  images   print the images: section of the contract's workload that pins OpenPGP keys\n"
    "           (Red Hat simple signing, images.rhs) and cosign public keys (images.cosign) to\n"
    "           repositories\n\n"
    "Run 'signet contract images --help' for its options.\n";

static const char images_help[] =
    "Usage: signet contract images [--rhs REPOSITORY=KEYFILE]... [--cosign REPOSITORY=PUBKEY.pem]...\n"
    "                              [-o FILE]\n\n"
    "Print the images: section of an HPCR contract's workload: for each --rhs, the repository\n"
    "(normalized: busybox is docker.io/library/busybox; with a tag or digest the entry applies\n"
    "to that reference only) and the base64 of its ASCII-armored OpenPGP public key, as\n"
    "`gpg --armor --export KEY | base64 -w0` makes it; for each --cosign, the repository and the\n"
    "base64 of its cosign public key file (PEM PUBLIC KEY), as `base64 -w0 cosign.pub` makes it\n"
    "(images.cosign is signet's extension of IBM's schema, see docs/policy.md).  Images of these\n"
    "repositories must then carry a signature by the key (both kinds when a repository is given\n"
    "to both), except images the contract's own workload names by digest.\n"
    "Indent the output under workload: (or under the workload's YAML).\n\n"
    "Options:\n"
    "  --rhs REPOSITORY=KEYFILE  a repository and its OpenPGP public key file (armored or\n"
    "                            binary); repeatable\n"
    "  --cosign REPOSITORY=PUBKEY.pem\n"
    "                            a repository and its cosign public key (ECDSA P-256/384/521,\n"
    "                            RSA 2048-4096 or Ed25519); repeatable\n"
    "  -o, --output FILE         write to FILE (atomically) instead of standard output (- is\n"
    "                            standard output)\n"
    "  -h, --help                this help\n"
    "\nExit codes: 0 done, 2 bad usage or input, 3 cannot read a key file.\n";

enum { OPT_RHS = 0x300, OPT_COSIGN };

static int cmd_contract_images(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"rhs", required_argument, NULL, OPT_RHS},
	    {"cosign", required_argument, NULL, OPT_COSIGN},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	signet_contract_pin pins[MAX_PINS];
	char *specs[MAX_PINS];
	const char *output = NULL;
	signet_ctx *ctx = NULL;
	char *yaml = NULL;
	size_t n = 0;
	int opt, rc, code;

	while ((opt = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		switch (opt) {
		case 'h':
			fputs(images_help, stdout);
			code = EXIT_ALLOWED;
			goto out;
		case 'o': output = optarg; break;
		case OPT_RHS:
		case OPT_COSIGN: {
			const char *name = opt == OPT_RHS ? "--rhs" : "--cosign";
			char *eq;

			if (n == MAX_PINS) {
				code = cli_usage_error("at most %d --rhs and --cosign options", MAX_PINS);
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
				code =
				    cli_usage_error("%s takes REPOSITORY=KEYFILE, not \"%s\"", name, optarg);
				goto out;
			}
			*eq = '\0';
			pins[n].kind = opt == OPT_RHS ? SIGNET_PIN_RHS : SIGNET_PIN_COSIGN;
			pins[n].repository = specs[n];
			pins[n].key_file = eq + 1;
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
		code = cli_usage_error("contract images needs at least one --rhs REPOSITORY=KEYFILE or "
		                       "--cosign REPOSITORY=PUBKEY.pem");
		goto out;
	}
	if (signet_ctx_new(&ctx, NULL) != 0) {
		code = cli_usage_error("cannot create a context");
		goto out;
	}
	if ((rc = signet_contract_images_pins(&yaml, ctx, pins, n)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	/* Standard output without -o, or with -o - */
	code = cli_write_file(output != NULL ? output : "-", yaml, strlen(yaml));
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
