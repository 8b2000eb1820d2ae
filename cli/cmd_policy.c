/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_policy.c: signet policy lint, explain and export. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char policy_help[] =
	"Usage: signet policy lint [--policy FILE | --contract FILE | --key FILE...]\n"
	"       signet policy explain [--policy FILE | --contract FILE | --key FILE...] [OPTIONS] IMAGE\n"
	"       signet policy export [--format containers] [--policy FILE | --contract FILE | --key FILE...]\n"
	"                            [--registries.d DIR | --lookaside URL] -o DIR [--force]\n\n"
	"lint:    parse the policy strictly and import every key it pins; print what it holds.\n"
	"         Exit 0 when valid, 2 with the file, the JSON or YAML path and the reason when not.\n"
	"explain: which scope applies to IMAGE and why, which requirements and keys, and for each\n"
	"         requirement whether it is met and which check failed.  Exit codes as verify.\n"
	"export:  check the policy as lint does, then write DIR/policy.json (containers-policy.json,\n"
	"         keys inlined) and DIR/registries.d/signet.yaml (where signatures are read), so that\n"
	"         podman and skopeo enforce the same decisions (skopeo --policy DIR/policy.json\n"
	"         --registries.d DIR/registries.d).  Where policy.json cannot say what signet decides,\n"
	"         the export is stricter and a warning on stderr says where.  Exit 0 written, 2 bad\n"
	"         policy or usage (an existing DIR/policy.json without --force), 3 cannot read or write.\n\n"
	"Options:\n" CLI_TRUST_HELP
	"  --format containers  export format (the only one: containers-policy.json + registries.d)\n"
	"  -o, --output DIR     export: the directory to write (created if missing)\n"
	"  --force              export: replace an existing policy.json and registries.d/signet.yaml\n"
	CLI_COMMON_HELP;

enum { OPT_FORMAT = 0x400, OPT_FORCE };

/* Prints each line of warnings as "signet: warning: LINE". */
static void print_warnings(const char *warnings)
{
	while (warnings != NULL && *warnings != '\0') {
		size_t n = strcspn(warnings, "\n");

		fprintf(stderr, "signet: warning: %.*s\n", (int)n, warnings);
		warnings += n + (warnings[n] == '\n');
	}
}

static int policy_export(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_TRUST_LONGOPTS,
	    CLI_COMMON_LONGOPTS,
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"output", required_argument, NULL, 'o'},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {NULL, 0, NULL, 0},
	};
	signet_verifier *verifier = NULL;
	signet_ctx *ctx = NULL;
	char *summary = NULL, *warnings = NULL;
	const char *out_dir = NULL;
	unsigned int flags = 0;
	struct cli_common c;
	struct cli_trust t;
	int opt, rc, code;

	cli_common_init(&c);
	cli_trust_init(&t);
	while ((opt = cli_getopt(argc, argv, "a:o:vqh", longopts)) != -1) {
		switch (opt) {
		case 'h': fputs(policy_help, stdout); return EXIT_ALLOWED;
		case '?': return EXIT_USAGE;
		case OPT_FORMAT:
			if (strcmp(optarg, "containers") != 0)
				return cli_usage_error("--format: unknown format \"%s\" (containers)",
				                       optarg);
			continue;
		case 'o': out_dir = optarg; continue;
		case OPT_FORCE: flags |= SIGNET_EXPORT_FORCE; continue;
		default: break;
		}
		if (cli_trust_common_option(&t, &c, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (argc != optind)
		return cli_usage_error(
		    "policy export takes no arguments (the policy comes from --policy, --contract "
		    "or --key)");
	if (out_dir == NULL)
		return cli_usage_error("policy export needs -o DIR, the directory to write");
	if (cli_is_stdout(out_dir))
		return cli_usage_error("policy export writes a directory (policy.json and registries.d/), "
		                       "not standard output: -o takes a DIR (./- for one named \"-\")");
	if (t.vopts.n_annotations != 0)
		return cli_usage_error(
		    "policy export: containers-policy.json cannot require payload annotations "
		    "(-a): refusing to export a looser policy");
	if ((code = cli_verifier_open(&ctx, &verifier, &t, &c)) != 0)
		goto out;
	/* What lint checks (every key imported) before anything is written. */
	if ((rc = signet_verifier_check(&summary, verifier)) != 0 ||
	    (rc = signet_policy_export(&warnings, ctx, &t.vopts, out_dir, flags)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	print_warnings(warnings);
	if (c.json) {
		json_t *o = json_pack("{s:s+, s:s+}", "Policy", out_dir, "/policy.json", "RegistriesD",
		                      out_dir, "/registries.d");

		if (o != NULL) {
			json_dumpf(o, stdout, JSON_INDENT(2));
			fputc('\n', stdout);
			json_decref(o);
		}
	} else if (!c.quiet) {
		printf("%s/policy.json\n%s/registries.d/signet.yaml\n", out_dir, out_dir);
	}
	code = EXIT_ALLOWED;
out:
	free(summary);
	free(warnings);
	signet_verifier_free(verifier);
	signet_ctx_free(ctx);
	return code;
}

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
	while ((opt = cli_getopt(argc, argv, "a:vqh", longopts)) != -1) {
		if (opt == 'h') {
			fputs(policy_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == '?')
			return EXIT_USAGE;
		if (cli_trust_common_option(&t, &c, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	/* lint also accepts the policy file as its argument. */
	if (!explain && argc - optind == 1 && t.vopts.policy_file == NULL && t.vopts.contract_file == NULL &&
	    t.vopts.n_key_files == 0)
		t.vopts.policy_file = argv[optind++];
	if (argc - optind != (explain ? 1 : 0))
		return cli_usage_error(explain ? "policy explain takes exactly one IMAGE"
					       : "policy lint takes the policy as --policy FILE (or FILE), --contract FILE or --key FILE");
	if ((code = cli_verifier_open(&ctx, &verifier, &t, &c)) != 0)
		goto out;
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
	if (strcmp(argv[1], "export") == 0)
		return policy_export(argc - 1, argv + 1);
	return cli_usage_error("unknown policy command \"%s\" (lint, explain, export)", argv[1]);
}
