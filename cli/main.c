/* SPDX-License-Identifier: Apache-2.0 */
/* cli/main.c: the signet command: subcommand dispatch. */
#include "cli.h"

#include <string.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "inspect", cmd_inspect, "resolve an image to its manifest digest and show what it is" },
	{ "verify", cmd_verify, "decide whether an image may be pulled, and pin it to its digest" },
	{ "audit", cmd_audit, "check every image of a registry, mirror or layout; merge and render reports" },
	{ "gate", cmd_gate, "verify every image of a workload and pin them all, or write nothing" },
	{ "standalone-verify", cmd_standalone_verify, "verify a signature of a manifest file (as skopeo)" },
	{ "policy", cmd_policy, "lint, explain or export a policy" },
	{ "contract", cmd_contract, "HPCR contract helpers: print the images section pinning keys" },
#if SIGNET_HAVE_SIGNER
	{ "sign", cmd_sign, "sign an image and store the signature where verifiers look" },
	{ "standalone-sign", cmd_standalone_sign, "sign a manifest file (as skopeo)" },
	{ "key", cmd_key, "generate a key pair for cosign-format signing" },
#endif
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: signet COMMAND [OPTIONS] ...\n\n"
		   "Container image signing and supply-chain checks.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-18s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'signet COMMAND --help' for the options of a command.\n"
		   "Exit codes: 0 allowed/done, 1 denied, 2 bad usage or input, 3 cannot reach or read.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_ALLOWED;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("signet %s\n", signet_version());
		return EXIT_ALLOWED;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "signet: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
