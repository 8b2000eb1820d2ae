/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_verify.c: signet verify IMAGE and signet standalone-verify. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#define MAX_KEYS 64

static const char verify_help[] =
	"Usage: signet verify --key FILE [--key FILE ...] [OPTIONS] IMAGE\n\n"
	"Decide whether IMAGE may be pulled: resolve it to a manifest digest computed locally, read\n"
	"the signatures stored for that digest, and allow it only if one is a valid signature by a\n"
	"pinned key naming this digest and a matching identity (matchRepoDigestOrExact).\n"
	"Prints the reference to pull (host/repo@sha256:...) and who signed it.\n\n"
	"Options:\n"
	"  --key FILE           an OpenPGP public key file (armored or binary) to trust; repeatable\n"
	"  --registries.d DIR   where signatures are stored (default: the containers locations)\n"
	"  --lookaside URL      read signatures from this lookaside instead (file://, http(s)://)\n" CLI_COMMON_HELP
	"\nExit codes: 0 allowed, 1 denied, 2 bad usage or input, 3 cannot reach or read.\n";

static const char standalone_verify_help[] =
	"Usage: signet standalone-verify MANIFEST REFERENCE KEYFILE SIGNATURE\n\n"
	"As skopeo standalone-verify, with a public key file (armored or binary OpenPGP) instead of a\n"
	"fingerprint: check that SIGNATURE is a valid signature by the key in KEYFILE over the digest\n"
	"of MANIFEST with exactly the identity REFERENCE.  Prints the digest on success.\n\n"
	"Exit codes: 0 verified, 1 the signature is refused, 2 bad usage or input, 3 cannot read a file.\n";

enum { OPT_KEY = 0x200, OPT_REGISTRIES_D, OPT_LOOKASIDE };

const char *cli_default_registries_d(void)
{
	static char user_dir[4096];
	const char *home = getenv("HOME");
	struct stat st;

	if (home != NULL && home[0] != '\0' &&
	    snprintf(user_dir, sizeof(user_dir), "%s/.config/containers/registries.d", home) < (int)sizeof(user_dir) &&
	    stat(user_dir, &st) == 0 && S_ISDIR(st.st_mode))
		return user_dir;
	if (stat("/etc/containers/registries.d", &st) == 0 && S_ISDIR(st.st_mode))
		return "/etc/containers/registries.d";
	return NULL;
}

static void print_verdict_json(const signet_verdict *v)
{
	json_t *o;

	o = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s*, s:s, s:s}", "Allowed", 1, "Pinned", signet_verdict_pinned(v),
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
		{ "key", required_argument, NULL, OPT_KEY },
		{ "registries.d", required_argument, NULL, OPT_REGISTRIES_D },
		{ "lookaside", required_argument, NULL, OPT_LOOKASIDE },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	signet_verifier_options vopts = SIGNET_VERIFIER_OPTIONS_INIT;
	const char *keys[MAX_KEYS];
	signet_verifier *verifier = NULL;
	signet_verdict *verdict = NULL;
	signet_ctx *ctx = NULL;
	signet_ref *ref = NULL;
	struct cli_common c;
	size_t n_keys = 0;
	int opt, rc, code;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(verify_help, stdout);
			return EXIT_ALLOWED;
		case OPT_KEY:
			if (n_keys == MAX_KEYS)
				return cli_usage_error("at most %d --key options", MAX_KEYS);
			keys[n_keys++] = optarg;
			break;
		case OPT_REGISTRIES_D:
			vopts.registries_d = optarg;
			break;
		case OPT_LOOKASIDE:
			vopts.lookaside = optarg;
			break;
		case '?':
			return EXIT_USAGE;
		default:
			if (cli_common_option(&c, opt, optarg) != 0)
				return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("verify takes exactly one IMAGE (see 'signet verify --help')");
	if (n_keys == 0)
		return cli_usage_error("verify needs at least one --key FILE to trust");
	if (vopts.registries_d == NULL && vopts.lookaside == NULL)
		vopts.registries_d = cli_default_registries_d();
	vopts.gpg_key_files = keys;
	vopts.n_gpg_key_files = n_keys;
	if (cli_ctx_new(&ctx, &c) != 0)
		return EXIT_UNREACHABLE;
	if ((rc = signet_ref_parse(&ref, ctx, argv[optind])) != 0 ||
	    (rc = signet_verifier_new(&verifier, ctx, &vopts)) != 0 ||
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
