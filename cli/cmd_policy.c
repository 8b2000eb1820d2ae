/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_policy.c: signet policy lint and signet policy explain. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char policy_help[] =
	"Usage: signet policy lint [--policy FILE | --contract FILE | --key FILE...]\n"
	"       signet policy explain [--policy FILE | --contract FILE | --key FILE...] [OPTIONS] IMAGE\n\n"
	"lint:    parse the policy strictly and import every key it pins; print what it holds.\n"
	"         Exit 0 when valid, 2 with the file, the JSON or YAML path and the reason when not.\n"
	"explain: which scope applies to IMAGE and why, which requirements and keys, and for each\n"
	"         requirement whether it is met and which check failed.  Exit codes as verify.\n\n"
	"Options:\n" CLI_TRUST_HELP CLI_COMMON_HELP;

/* lint and explain share everything up to the verifier. */
static int policy_run(int argc, char **argv, int explain)
{
	static const struct option longopts[] = {
		CLI_TRUST_LONGOPTS,
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	signet_verifier *verifier = NULL;
	signet_verdict *verdict = NULL;
	signet_ctx *ctx = NULL;
	signet_ref *ref = NULL;
	char *text = NULL;
	struct cli_common c;
	struct cli_trust t;
	int opt, rc, code;

	cli_common_init(&c);
	cli_trust_init(&t);
	while ((opt = getopt_long(argc, argv, "a:vqh", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(policy_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == '?')
			return EXIT_USAGE;
		if ((rc = cli_trust_option(&t, opt, optarg)) == 1)
			rc = cli_common_option(&c, opt, optarg);
		if (rc != 0)
			return EXIT_USAGE;
	}
	/* lint also accepts the policy file as its argument. */
	if (!explain && argc - optind == 1 && t.vopts.policy_file == NULL && t.vopts.contract_file == NULL &&
	    t.vopts.n_gpg_key_files == 0)
		t.vopts.policy_file = argv[optind++];
	if (argc - optind != (explain ? 1 : 0))
		return cli_usage_error(explain ? "policy explain takes exactly one IMAGE"
					       : "policy lint takes the policy as --policy FILE (or FILE), --contract FILE or --key FILE");
	if (cli_trust_finish(&t) != 0)
		return EXIT_USAGE;
	if (cli_ctx_new(&ctx, &c) != 0)
		return EXIT_UNREACHABLE;
	if ((rc = signet_verifier_new(&verifier, ctx, &t.vopts)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	if (!explain) {
		if ((rc = signet_verifier_check(&text, verifier)) != 0) {
			code = cli_fail(ctx, rc);
			goto out;
		}
		if (!c.quiet)
			fputs(text, stdout);
		code = EXIT_ALLOWED;
		goto out;
	}
	if ((rc = signet_ref_parse(&ref, ctx, argv[optind])) != 0 ||
	    (rc = signet_explain(&text, verifier, ref)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	fputs(text, stdout);
	/* The exit code is the decision's, as verify would give it. */
	rc = signet_verify(&verdict, verifier, ref);
	code = cli_exit_code(rc);
out:
	free(text);
	signet_verdict_free(verdict);
	signet_verifier_free(verifier);
	signet_ref_free(ref);
	signet_ctx_free(ctx);
	return code;
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(policy_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_ALLOWED;
	}
	if (strcmp(argv[1], "lint") == 0)
		return policy_run(argc - 1, argv + 1, 0);
	if (strcmp(argv[1], "explain") == 0)
		return policy_run(argc - 1, argv + 1, 1);
	return cli_usage_error("unknown policy command \"%s\" (lint, explain)", argv[1]);
}
