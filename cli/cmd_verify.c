/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_verify.c: signet verify IMAGE and signet standalone-verify. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

static const char verify_help[] =
	"Usage: signet verify [--policy FILE | --contract FILE | --key FILE...] [OPTIONS] IMAGE\n\n"
	"Decide whether IMAGE may be pulled: resolve it to a manifest digest computed locally, choose\n"
	"the requirements the policy has for it, read the signatures stored for that digest, and allow\n"
	"it only if every requirement is met.  Prints the reference to pull (host/repo@sha256:...)\n"
	"and who signed it.\n\n"
	"Options:\n" CLI_TRUST_HELP CLI_COMMON_HELP
	"\nExit codes: 0 allowed, 1 denied, 2 bad usage or input, 3 cannot reach or read.\n";

static const char standalone_verify_help[] =
	"Usage: signet standalone-verify MANIFEST REFERENCE KEYFILE SIGNATURE\n\n"
	"As skopeo standalone-verify, with a public key file (armored or binary OpenPGP) instead of a\n"
	"fingerprint: check that SIGNATURE is a valid signature by the key in KEYFILE over the digest\n"
	"of MANIFEST with exactly the identity REFERENCE.  Prints the digest on success.\n\n"
	"Exit codes: 0 verified, 1 the signature is refused, 2 bad usage or input, 3 cannot read a file.\n";

/* The first of the two containers locations of a configuration file or
 * directory that exists: $HOME/.config/containers/NAME, /etc/containers/NAME. */
static const char *containers_default(char *buf, size_t n, const char *name, int want_dir)
{
	const char *home = getenv("HOME");
	struct stat st;

	if (home != NULL && home[0] != '\0' && snprintf(buf, n, "%s/.config/containers/%s", home, name) < (int)n &&
	    stat(buf, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
		return buf;
	if (snprintf(buf, n, "/etc/containers/%s", name) < (int)n && stat(buf, &st) == 0 &&
	    (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
		return buf;
	return NULL;
}

const char *cli_default_registries_d(void)
{
	static char buf[4096];

	return containers_default(buf, sizeof(buf), "registries.d", 1);
}

void cli_trust_init(struct cli_trust *t)
{
	static const signet_verifier_options init = SIGNET_VERIFIER_OPTIONS_INIT;

	memset(t, 0, sizeof(*t));
	t->vopts = init;
}

int cli_trust_option(struct cli_trust *t, int opt, const char *arg)
{
	switch (opt) {
	case OPT_KEY:
		if (t->vopts.n_gpg_key_files == CLI_MAX_KEYS) {
			cli_usage_error("at most %d --key options", CLI_MAX_KEYS);
			return -1;
		}
		t->keys[t->vopts.n_gpg_key_files++] = arg;
		t->vopts.gpg_key_files = t->keys;
		return 0;
	case OPT_POLICY:
		t->vopts.policy_file = arg;
		return 0;
	case OPT_CONTRACT:
		t->vopts.contract_file = arg;
		return 0;
	case OPT_CONTRACT_KEY:
		t->vopts.contract_key = arg;
		return 0;
	case OPT_STRICT:
		t->vopts.strict = 1;
		return 0;
	case OPT_REGISTRIES_D:
		t->vopts.registries_d = arg;
		return 0;
	case OPT_LOOKASIDE:
		t->vopts.lookaside = arg;
		return 0;
	case OPT_PLATFORM:
		t->vopts.platform = arg;
		return 0;
	case 'a':
		if (t->vopts.n_annotations == CLI_MAX_KEYS) {
			cli_usage_error("at most %d annotations", CLI_MAX_KEYS);
			return -1;
		}
		t->annotations[t->vopts.n_annotations++] = arg;
		t->vopts.annotations = t->annotations;
		return 0;
	default:
		return 1;
	}
}

int cli_trust_finish(struct cli_trust *t)
{
	static char policy[4096];
	signet_verifier_options *o = &t->vopts;
	int sources = (o->policy_file != NULL) + (o->contract_file != NULL) + (o->n_gpg_key_files != 0);

	if (sources > 1) {
		cli_usage_error("give one of --policy, --contract and --key");
		return -1;
	}
	if ((o->contract_key != NULL || o->strict) && o->contract_file == NULL) {
		cli_usage_error("--contract-key and --strict go with --contract");
		return -1;
	}
	if (sources == 0 && (o->policy_file = containers_default(policy, sizeof(policy), "policy.json", 0)) == NULL) {
		cli_usage_error("no policy: give --policy, --contract or --key (no policy.json in "
				"$HOME/.config/containers or /etc/containers)");
		return -1;
	}
	if (o->registries_d == NULL && o->lookaside == NULL)
		o->registries_d = cli_default_registries_d();
	return 0;
}

static void print_verdict_json(const signet_verdict *v)
{
	json_t *o;

	o = json_pack("{s:b, s:s, s:s, s:s*, s:s*, s:s*, s:s*, s:s*}", "Allowed", 1, "Pinned", signet_verdict_pinned(v),
		      "Digest", signet_verdict_digest(v), "Signer", signet_verdict_signer(v), "SigningKey",
		      signet_verdict_signing_key(v), "SignerUID", signet_verdict_signer_uid(v), "Identity",
		      signet_verdict_identity(v), "Signature", signet_verdict_location(v));
	if (o == NULL) {
		fputs("signet: cannot build JSON output\n", stderr);
		return;
	}
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(o);
}

static void print_verdict(const signet_verdict *v)
{
	const char *uid = signet_verdict_signer_uid(v);

	printf("%s\n", signet_verdict_pinned(v));
	if (signet_verdict_signer(v) == NULL) {
		printf("Signed by: nobody (the policy requires no signature for this image)\n");
		return;
	}
	printf("Signed by: %s", signet_verdict_signer(v));
	if (uid != NULL)
		printf(" (%s)", uid);
	if (strcmp(signet_verdict_signing_key(v), signet_verdict_signer(v)) != 0)
		printf(", subkey %s", signet_verdict_signing_key(v));
	printf("\nIdentity: %s\n", signet_verdict_identity(v));
}

int cmd_verify(int argc, char **argv)
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
	struct cli_common c;
	struct cli_trust t;
	int opt, rc, code;

	cli_common_init(&c);
	cli_trust_init(&t);
	while ((opt = getopt_long(argc, argv, "a:vqh", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(verify_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == '?')
			return EXIT_USAGE;
		if ((rc = cli_trust_option(&t, opt, optarg)) == 1)
			rc = cli_common_option(&c, opt, optarg);
		if (rc != 0)
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("verify takes exactly one IMAGE (see 'signet verify --help')");
	if (cli_trust_finish(&t) != 0)
		return EXIT_USAGE;
	if (cli_ctx_new(&ctx, &c) != 0)
		return EXIT_UNREACHABLE;
	if ((rc = signet_ref_parse(&ref, ctx, argv[optind])) != 0 ||
	    (rc = signet_verifier_new(&verifier, ctx, &t.vopts)) != 0 ||
	    (rc = signet_verify(&verdict, verifier, ref)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	code = EXIT_ALLOWED;
	if (c.quiet)
		goto out;
	if (c.json)
		print_verdict_json(verdict);
	else
		print_verdict(verdict);
out:
	signet_verdict_free(verdict);
	signet_verifier_free(verifier);
	signet_ref_free(ref);
	signet_ctx_free(ctx);
	return code;
}

int cmd_standalone_verify(int argc, char **argv)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	unsigned char *manifest = NULL, *sig = NULL;
	size_t manifest_len = 0, sig_len = 0;
	char *digest = NULL, *fpr = NULL;
	signet_ctx *ctx = NULL;
	int opt, rc, code;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(standalone_verify_help, stdout);
			return EXIT_ALLOWED;
		}
		return EXIT_USAGE;
	}
	if (argc - optind != 4)
		return cli_usage_error("standalone-verify takes MANIFEST REFERENCE KEYFILE SIGNATURE");
	if ((code = cli_read_file(&manifest, &manifest_len, argv[optind], SIGNET_MAX_MANIFEST_SIZE, "manifest")) != 0 ||
	    (code = cli_read_file(&sig, &sig_len, argv[optind + 3], SIGNET_MAX_SIGNATURE_SIZE, "signature")) != 0)
		goto out;
	if (signet_ctx_new(&ctx, NULL) != 0) {
		code = cli_usage_error("cannot create a context");
		goto out;
	}
	rc = signet_standalone_verify(&digest, &fpr, ctx, manifest, manifest_len, argv[optind + 1], argv[optind + 2],
				      sig, sig_len);
	if (rc != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	printf("Signature verified, digest %s\n", digest);
	code = EXIT_ALLOWED;
out:
	free(manifest);
	free(sig);
	free(digest);
	free(fpr);
	signet_ctx_free(ctx);
	return code;
}
