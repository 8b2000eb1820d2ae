/* SPDX-License-Identifier: Apache-2.0 */
/* cli/main.c: the signet command: subcommand dispatch. */
#include "cli.h"

#include <string.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	/* 1: the command hands OpenSSL no private key or passphrase, so the
	 * process may skip OpenSSL's error texts and its clean-up at exit
	 * (signet_global_init, SIGNET_GLOBAL_ONE_SHOT). */
	int one_shot;
};

static const struct command commands[] = {
	{ "inspect", cmd_inspect, "resolve an image to its manifest digest and show what it is", 1 },
	{ "verify", cmd_verify, "decide whether an image may be pulled, and pin it to its digest", 1 },
	{ "audit", cmd_audit, "check every image of a registry, mirror or layout; merge and render reports", 1 },
	{ "gate", cmd_gate, "verify every image of a workload and pin them all, or write nothing", 1 },
	{ "standalone-verify", cmd_standalone_verify, "verify a signature of a manifest file (as skopeo)", 1 },
	{ "policy", cmd_policy, "lint, explain or export a policy", 1 },
	{ "contract", cmd_contract, "HPCR contract helpers: pin keys (images), seal, verify", 0 },
	{ "attestation", cmd_attestation, "verify an HPCR attestation record: signature, chain, contract", 0 },
#if SIGNET_HAVE_SIGNER
	{ "sign", cmd_sign, "sign an image and store the signature where verifiers look", 0 },
	{ "standalone-sign", cmd_standalone_sign, "sign a manifest file (as skopeo)", 0 },
	{ "key", cmd_key, "generate a key pair for cosign-format signing", 0 },
#endif
};

/* signet help CMD SUB...: at most this many words after "help". */
#define MAX_HELP_ARGS 4

static void usage(FILE *f)
{
	fprintf(f, "Usage: signet COMMAND [OPTIONS] ...\n\n"
		   "Container image signing and supply-chain checks.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-18s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'signet COMMAND --help' or 'signet help COMMAND' for the options of a command.\n"
	           "Exit codes: 0 allowed/done, 1 denied, 2 bad usage or input, 3 cannot reach or read.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static int run(const struct command *cmd, int argc, char **argv)
{
	cli_set_command(cmd->name);
	if (cmd->one_shot && signet_global_init(SIGNET_GLOBAL_ONE_SHOT) != 0) {
		fprintf(stderr, "signet: %s: OpenSSL cannot be initialized (out of memory)\n", cmd->name);
		return EXIT_UNREACHABLE;
	}
	return cmd->run(argc, argv);
}

/* signet help [CMD [SUB...]]: the top-level help, or what
 * "signet CMD [SUB...] --help" prints. */
static int help(int argc, char **argv)
{
	const struct command *cmd;
	char *args[MAX_HELP_ARGS + 2];

	if (argc < 3) {
		usage(stdout);
		return EXIT_ALLOWED;
	}
	if ((cmd = find_command(argv[2])) == NULL) {
		fprintf(stderr, "signet: help: unknown command \"%s\"\n", argv[2]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (argc - 2 > MAX_HELP_ARGS)
		return cli_usage_error("help: too many words (see 'signet help')");
	for (int i = 2; i < argc; i++)
		args[i - 2] = argv[i];
	args[argc - 2] = "--help";
	args[argc - 1] = NULL;
	return run(cmd, argc - 1, args);
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_ALLOWED;
	}
	if (strcmp(argv[1], "help") == 0)
		return help(argc, argv);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("signet %s\n", signet_version());
		return EXIT_ALLOWED;
	}
	if ((cmd = find_command(argv[1])) != NULL)
		return run(cmd, argc - 1, argv + 1);
	fprintf(stderr, "signet: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
