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
    "Options:\n" CLI_TRUST_HELP CLI_TIMEOUT_HELP CLI_COMMON_HELP
    "\nExit codes: 0 allowed, 1 denied, 2 bad usage or input, 3 cannot reach or read.\n";

static const char standalone_verify_help[] =
	"Usage: signet standalone-verify MANIFEST REFERENCE KEYFILE SIGNATURE\n\n"
	"As skopeo standalone-verify, with a public key file (armored or binary OpenPGP) instead of a\n"
	"fingerprint: check that SIGNATURE is a valid signature by the key in KEYFILE over the digest\n"
	"of MANIFEST with exactly the identity REFERENCE.  Prints the digest on success.\n\n"
	"Exit codes: 0 verified, 1 the signature is refused, 2 bad usage or input, 3 cannot read a file.\n";

static void print_verdict_json(const signet_verdict *v, const struct cli_trust *t)
{
	json_t *o = NULL, *source = cli_trust_source_json(t);

	if (source != NULL)
		o = json_pack("{s:b, s:s, s:s, s:s*, s:s*, s:s*, s:s*, s:s*, s:o}", "Allowed", 1, "Pinned",
			      signet_verdict_pinned(v), "Digest", signet_verdict_digest(v), "Signer",
			      signet_verdict_signer(v), "SigningKey", signet_verdict_signing_key(v), "SignerUID",
			      signet_verdict_signer_uid(v), "Identity", signet_verdict_identity(v), "Signature",
			      signet_verdict_location(v), "Policy", source);
	if (o == NULL) {
		fputs("signet: cannot build JSON output\n", stderr);
		return;
	}
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(o);
}

static void print_verdict(const signet_verdict *v, const struct cli_trust *t)
{
	const char *uid = signet_verdict_signer_uid(v);

	printf("%s\n", signet_verdict_pinned(v));
	if (signet_verdict_signer(v) == NULL) {
		printf("Signed by: nobody (the policy requires no signature for this image)\n");
		cli_trust_print_source(t, stdout);
		return;
	}
	printf("Signed by: %s", signet_verdict_signer(v));
	if (uid != NULL)
		printf(" (%s)", uid);
	if (strcmp(signet_verdict_signing_key(v), signet_verdict_signer(v)) != 0)
		printf(", subkey %s", signet_verdict_signing_key(v));
	printf("\nIdentity: %s\n", signet_verdict_identity(v));
	cli_trust_print_source(t, stdout);
}

int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_TRUST_LONGOPTS,
	    CLI_COMMON_LONGOPTS,
	    CLI_TIMEOUT_LONGOPT,
	    {NULL, 0, NULL, 0},
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
	while ((opt = cli_getopt(argc, argv, "a:vqh", longopts)) != -1) {
		if (opt == 'h') {
			fputs(verify_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == '?')
			return EXIT_USAGE;
		if (cli_trust_common_option(&t, &c, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("verify takes exactly one IMAGE (see 'signet verify --help')");
	if ((code = cli_verifier_open(&ctx, &verifier, &t, &c)) != 0)
		goto out;
	if ((rc = signet_ref_parse(&ref, ctx, argv[optind])) != 0 ||
	    (rc = signet_verify(&verdict, verifier, ref)) != 0) {
		code = cli_fail(ctx, rc);
		if (rc == SIGNET_EDENIED && !c.quiet)
			cli_trust_print_source(&t, stderr);
		goto out;
	}
	code = EXIT_ALLOWED;
	if (c.quiet)
		goto out;
	if (c.json)
		print_verdict_json(verdict, &t);
	else
		print_verdict(verdict, &t);
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

	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
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
