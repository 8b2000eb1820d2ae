/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_sign.c: signet sign IMAGE and signet standalone-sign. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char sign_help[] =
	"Usage: signet sign --gpg-key FINGERPRINT [OPTIONS] IMAGE\n\n"
	"Resolve IMAGE (docker://... or dir:PATH) to its manifest digest, sign a simple-signing\n"
	"payload for it with the OpenPGP key in your GnuPG, and store the signature as the next free\n"
	"signature-N: in the lookaside that registries.d names for the image (lookaside-staging, else\n"
	"lookaside), or in the dir: layout.  Prints where it was stored.\n\n"
	"Options:\n"
	"  --gpg-key FPR          the signing key's full fingerprint (the key stays in GnuPG)\n"
	"  --passphrase-file F    give GnuPG the passphrase from F (loopback pinentry) instead of the agent\n"
	"  --sign-identity REF    the docker reference the signature claims (default: IMAGE's)\n"
	"  --registries.d DIR     where signatures are stored (default: the containers locations)\n"
	"  --lookaside URL        store under this file:// lookaside instead\n" CLI_COMMON_HELP;

static const char standalone_sign_help[] =
	"Usage: signet standalone-sign MANIFEST REFERENCE --gpg-key FINGERPRINT -o SIGNATURE\n\n"
	"As skopeo standalone-sign: sign the digest of MANIFEST with identity REFERENCE and write the\n"
	"signature to SIGNATURE (atomically).\n\n"
	"Options:\n"
	"  --gpg-key FPR          the signing key's full fingerprint\n"
	"  --passphrase-file F    give GnuPG the passphrase from F instead of the agent\n"
	"  -o, --output FILE      where to write the signature\n";

enum { OPT_GPG_KEY = 0x300, OPT_PASSPHRASE_FILE, OPT_SIGN_IDENTITY };

/* --key PRIV.pem is the cosign-format signer, which comes with sigstore
 * support: refuse it clearly rather than as an unknown option. */
static int pem_key_unsupported(void)
{
	return cli_usage_error("--key (sigstore/cosign signing) is not supported yet; use --gpg-key");
}

int cmd_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "gpg-key", required_argument, NULL, OPT_GPG_KEY },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE },
		{ "sign-identity", required_argument, NULL, OPT_SIGN_IDENTITY },
		{ "identity", required_argument, NULL, OPT_SIGN_IDENTITY },
		{ "registries.d", required_argument, NULL, OPT_REGISTRIES_D },
		{ "lookaside", required_argument, NULL, OPT_LOOKASIDE },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	signet_sign_options sopts = SIGNET_SIGN_OPTIONS_INIT;
	char *location = NULL, *digest = NULL;
	signet_ctx *ctx = NULL;
	signet_ref *ref = NULL;
	struct cli_common c;
	int opt, rc, code;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(sign_help, stdout);
			return EXIT_ALLOWED;
		case OPT_GPG_KEY:
			sopts.gpg_key = optarg;
			break;
		case OPT_KEY:
			return pem_key_unsupported();
		case OPT_PASSPHRASE_FILE:
			sopts.passphrase_file = optarg;
			break;
		case OPT_SIGN_IDENTITY:
			sopts.identity = optarg;
			break;
		case OPT_REGISTRIES_D:
			sopts.registries_d = optarg;
			break;
		case OPT_LOOKASIDE:
			sopts.lookaside = optarg;
			break;
		case '?':
			return EXIT_USAGE;
		default:
			if (cli_common_option(&c, opt, optarg) != 0)
				return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("sign takes exactly one IMAGE (see 'signet sign --help')");
	if (sopts.gpg_key == NULL)
		return cli_usage_error("sign needs --gpg-key FINGERPRINT");
	if (sopts.registries_d == NULL && sopts.lookaside == NULL)
		sopts.registries_d = cli_default_registries_d();
	if (cli_ctx_new(&ctx, &c) != 0)
		return EXIT_UNREACHABLE;
	if ((rc = signet_ref_parse(&ref, ctx, argv[optind])) != 0 ||
	    (rc = signet_sign_image(&location, &digest, ctx, &sopts, ref)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	code = EXIT_ALLOWED;
	if (c.json) {
		json_t *o = json_pack("{s:s, s:s}", "Digest", digest, "Signature", location);

		if (o != NULL)
			json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		fputc('\n', stdout);
		json_decref(o);
	} else if (!c.quiet)
		printf("Signature stored at %s\n", location);
out:
	free(location);
	free(digest);
	signet_ref_free(ref);
	signet_ctx_free(ctx);
	return code;
}

int cmd_standalone_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "gpg-key", required_argument, NULL, OPT_GPG_KEY },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	signet_sign_options sopts = SIGNET_SIGN_OPTIONS_INIT;
	unsigned char *manifest = NULL, *sig = NULL;
	size_t manifest_len = 0, sig_len = 0;
	const char *output = NULL;
	signet_ctx *ctx = NULL;
	int opt, rc, code;

	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(standalone_sign_help, stdout);
			return EXIT_ALLOWED;
		case OPT_GPG_KEY:
			sopts.gpg_key = optarg;
			break;
		case OPT_KEY:
			return pem_key_unsupported();
		case OPT_PASSPHRASE_FILE:
			sopts.passphrase_file = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2 || output == NULL || sopts.gpg_key == NULL)
		return cli_usage_error("standalone-sign takes MANIFEST REFERENCE --gpg-key FINGERPRINT -o SIGNATURE");
	if ((code = cli_read_file(&manifest, &manifest_len, argv[optind], SIGNET_MAX_MANIFEST_SIZE, "manifest")) != 0)
		goto out;
	if (signet_ctx_new(&ctx, NULL) != 0) {
		code = cli_usage_error("cannot create a context");
		goto out;
	}
	rc = signet_standalone_sign(&sig, &sig_len, ctx, &sopts, manifest, manifest_len, argv[optind + 1]);
	if (rc != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	code = cli_write_file(output, sig, sig_len);
out:
	free(manifest);
	free(sig);
	signet_ctx_free(ctx);
	return code;
}
