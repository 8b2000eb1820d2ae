/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_sign.c: signet sign IMAGE and signet standalone-sign. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char sign_help[] =
	"Usage: signet sign (--gpg-key FINGERPRINT | --key PRIVATE.key) [OPTIONS] IMAGE\n\n"
	"Resolve IMAGE (docker://... or dir:PATH) to its manifest digest and sign it:\n"
	"  --gpg-key: a simple-signing signature made by the OpenPGP key in your GnuPG, stored as the\n"
	"             next free signature-N of the lookaside registries.d names for the image\n"
	"             (lookaside-staging, else lookaside);\n"
	"  --key:     a cosign-format signature made with a sigstore private key (PEM PKCS#8 or\n"
	"             cosign's encrypted key), stored as a sha256-<digest>.sig attachment next to the image.\n"
	"dir: images keep their signatures in the layout.  Prints where each signature was stored.\n"
	"When the store already holds a signature by the same key for the same digest and identity\n"
	"(one that verifies with the key), nothing is written and signet says so on stderr.\n\n"
	"Options:\n"
	"  --gpg-key FPR          the OpenPGP key's full fingerprint (the key stays in GnuPG)\n"
	"  --key FILE             a sigstore (cosign) private key\n"
	"  --passphrase-file F    the key's passphrase (GnuPG: loopback pinentry instead of the agent);\n"
	"                         for --key without it: COSIGN_PASSWORD, else asked on the terminal\n"
	"  --sign-identity REF    the docker reference the signature claims (default: IMAGE's tagged\n"
	"                         reference; with --key its repository, as cosign writes it)\n"
	"  -a, --annotation K=V   write K=V into the payload (cosign format); repeatable\n"
	"  --store WHERE          attach, lookaside or auto (default)\n"
	"  --format FORMAT        with --key: sig (a .sig attachment or lookaside blob, the default) or\n"
	"                         bundle (a Sigstore bundle stored as an OCI 1.1 referrer, as cosign v3)\n"
	"  --recursive            sign a multi-platform index and each image it lists\n"
	"  --registries.d DIR     where signatures are stored (default: the containers locations)\n"
	"  --lookaside URL        store under this file:// lookaside instead\n" CLI_COMMON_HELP;

static const char key_help[] =
	"Usage: signet key generate [--passphrase-file F | --no-passphrase] [-o PREFIX]\n\n"
	"Write a new ECDSA P-256 key pair for cosign-format signing: PREFIX.key (mode 0600) and\n"
	"PREFIX.pub.  PREFIX defaults to \"cosign\".  The private key is encrypted in cosign's format\n"
	"with the passphrase from --passphrase-file, else COSIGN_PASSWORD (empty: the empty passphrase,\n"
	"as cosign), else asked twice on the terminal; without any of them (no terminal) nothing is\n"
	"written.  Existing files are never replaced.\n\n"
	"Options:\n"
	"  --passphrase-file F    encrypt the private key with the passphrase in F\n"
	"  --no-passphrase        write the private key unencrypted (PEM PKCS#8)\n"
	"  -o, --output PREFIX    write PREFIX.key and PREFIX.pub (default: cosign)\n"
	"  -h, --help             this help\n\n"
	"Exit codes: 0 written, 2 bad usage or no passphrase, 3 a file exists or cannot be written.\n";

static const char standalone_sign_help[] =
	"Usage: signet standalone-sign MANIFEST REFERENCE (--gpg-key FINGERPRINT | --key FILE) -o SIGNATURE\n\n"
	"As skopeo standalone-sign: sign the digest of MANIFEST with identity REFERENCE and write the\n"
	"signature to SIGNATURE (atomically; - writes it to standard output).\n\n"
	"Options:\n"
	"  --gpg-key FPR          the OpenPGP key's full fingerprint (a simple-signing signature)\n"
	"  --key FILE             a sigstore (cosign) private key (a cosign-format signature blob)\n"
	"  --passphrase-file F    the key's passphrase (GnuPG: loopback pinentry instead of the agent);\n"
	"                         for --key without it: COSIGN_PASSWORD, else asked on the terminal\n"
	"  -o, --output FILE      where to write the signature (- for standard output)\n"
	"  -h, --help             this help\n";

enum {
	OPT_GPG_KEY = 0x300,
	OPT_PASSPHRASE_FILE,
	OPT_SIGN_IDENTITY,
	OPT_STORE,
	OPT_RECURSIVE,
	OPT_NO_PASSPHRASE,
	OPT_FORMAT
};

#define MAX_ANNOTATIONS 64

/* Who is told that a signature was already there. */
struct existing_note {
	const char *image;
	const char *key;
	int quiet;
};

static void note_existing(const char *digest, const char *location, void *payload)
{
	const struct existing_note *n = payload;

	if (!n->quiet)
		fprintf(stderr, "signet: %s already has a signature by %s for %s: nothing written (%s)\n",
		        n->image, n->key, digest, location);
}

/* The passphrase of a --key without --passphrase-file comes from
 * COSIGN_PASSWORD or the terminal (cli/passphrase.c). */
static void ask_passphrase(signet_sign_options *sopts, struct cli_passphrase *pp)
{
	if (sopts->key != NULL && sopts->passphrase_file == NULL) {
		sopts->passphrase_cb = cli_passphrase_cb;
		sopts->passphrase_payload = pp;
	}
}

/* Prints the failure, and how to give a passphrase when none could be
 * had and one was needed. */
static int sign_fail(signet_ctx *ctx, int rc, const struct cli_passphrase *pp)
{
	int code = cli_fail(ctx, rc);

	if (pp->none && rc == SIGNET_EINVAL && strstr(signet_ctx_errmsg(ctx), "passphrase") != NULL)
		fprintf(stderr, "signet: %s\n", CLI_PASSPHRASE_HOWTO);
	return code;
}

int cmd_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"gpg-key", required_argument, NULL, OPT_GPG_KEY},
	    {"key", required_argument, NULL, OPT_KEY},
	    {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
	    {"sign-identity", required_argument, NULL, OPT_SIGN_IDENTITY},
	    {"identity", required_argument, NULL, OPT_SIGN_IDENTITY},
	    {"registries.d", required_argument, NULL, OPT_REGISTRIES_D},
	    {"lookaside", required_argument, NULL, OPT_LOOKASIDE},
	    {"annotation", required_argument, NULL, 'a'},
	    {"store", required_argument, NULL, OPT_STORE},
	    {"recursive", no_argument, NULL, OPT_RECURSIVE},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    CLI_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	signet_sign_options sopts = SIGNET_SIGN_OPTIONS_INIT;
	const char *annotations[MAX_ANNOTATIONS];
	struct cli_passphrase pp = {0};
	struct existing_note note;
	char *location = NULL, *digest = NULL;
	signet_ctx *ctx = NULL;
	signet_ref *ref = NULL;
	struct cli_common c;
	int opt, rc, code, bundle = 0;

	cli_common_init(&c);
	while ((opt = cli_getopt(argc, argv, "a:vqh", longopts)) != -1) {
		switch (opt) {
		case 'h':
			fputs(sign_help, stdout);
			return EXIT_ALLOWED;
		case OPT_GPG_KEY:
			sopts.gpg_key = optarg;
			break;
		case OPT_KEY:
			sopts.key = optarg;
			break;
		case 'a':
			if (sopts.n_annotations == MAX_ANNOTATIONS)
				return cli_usage_error("at most %d annotations", MAX_ANNOTATIONS);
			annotations[sopts.n_annotations++] = optarg;
			sopts.annotations = annotations;
			break;
		case OPT_STORE:
			if (strcmp(optarg, "attach") == 0)
				sopts.store = SIGNET_STORE_ATTACH;
			else if (strcmp(optarg, "lookaside") == 0)
				sopts.store = SIGNET_STORE_LOOKASIDE;
			else if (strcmp(optarg, "auto") == 0)
				sopts.store = SIGNET_STORE_AUTO;
			else
				return cli_usage_error("--store takes attach, lookaside or auto, not \"%s\"", optarg);
			break;
		case OPT_RECURSIVE:
			sopts.recursive = 1;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "bundle") == 0)
				bundle = 1;
			else if (strcmp(optarg, "sig") != 0)
				return cli_usage_error("--format takes sig or bundle, not \"%s\"", optarg);
			break;
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
	if ((sopts.gpg_key == NULL) == (sopts.key == NULL))
		return cli_usage_error("sign needs one of --gpg-key FINGERPRINT and --key PRIVATE.key");
	if (bundle) {
		if (sopts.key == NULL || sopts.store != SIGNET_STORE_AUTO || sopts.lookaside != NULL)
			return cli_usage_error(
			    "--format bundle needs --key and stores a referrer (no --gpg-key, "
			    "--store or --lookaside)");
		sopts.store = SIGNET_STORE_BUNDLE;
	}
	if (sopts.registries_d == NULL && sopts.lookaside == NULL)
		sopts.registries_d = cli_default_registries_d();
	if (cli_ctx_new(&ctx, &c) != 0)
		return EXIT_UNREACHABLE;
	ask_passphrase(&sopts, &pp);
	note.image = argv[optind];
	note.key = sopts.key != NULL ? sopts.key : sopts.gpg_key;
	note.quiet = c.quiet || c.json;
	sopts.existing_cb = note_existing;
	sopts.existing_payload = &note;
	if ((rc = signet_ref_parse(&ref, ctx, argv[optind])) != 0 ||
	    (rc = signet_sign_image(&location, &digest, ctx, &sopts, ref)) != 0) {
		code = sign_fail(ctx, rc, &pp);
		goto out;
	}
	code = EXIT_ALLOWED;
	if (c.json) {
		json_t *o = json_pack("{s:s, s:s}", "Digest", digest, "Signature", location);

		if (o != NULL)
			json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		fputc('\n', stdout);
		json_decref(o);
	} else if (!c.quiet) {
		/* One line per signature (several with --recursive). */
		for (char *line = location, *next; line != NULL; line = next) {
			next = strchr(line, '\n');
			if (next != NULL)
				*next++ = '\0';
			printf("Signature stored at %s\n", line);
		}
	}
out:
	cli_passphrase_wipe(&pp);
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
	struct cli_passphrase pp = {0};
	unsigned char *manifest = NULL, *sig = NULL;
	size_t manifest_len = 0, sig_len = 0;
	const char *output = NULL;
	signet_ctx *ctx = NULL;
	int opt, rc, code;

	while ((opt = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		switch (opt) {
		case 'h':
			fputs(standalone_sign_help, stdout);
			return EXIT_ALLOWED;
		case OPT_GPG_KEY:
			sopts.gpg_key = optarg;
			break;
		case OPT_KEY:
			sopts.key = optarg;
			break;
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
	if (argc - optind != 2 || output == NULL || (sopts.gpg_key == NULL) == (sopts.key == NULL))
		return cli_usage_error("standalone-sign takes MANIFEST REFERENCE (--gpg-key FINGERPRINT | --key FILE) "
				       "-o SIGNATURE");
	if ((code = cli_read_file(&manifest, &manifest_len, argv[optind], SIGNET_MAX_MANIFEST_SIZE, "manifest")) != 0)
		goto out;
	if (signet_ctx_new(&ctx, NULL) != 0) {
		code = cli_usage_error("cannot create a context");
		goto out;
	}
	ask_passphrase(&sopts, &pp);
	rc = signet_standalone_sign(&sig, &sig_len, ctx, &sopts, manifest, manifest_len, argv[optind + 1]);
	if (rc != 0) {
		code = sign_fail(ctx, rc, &pp);
		goto out;
	}
	code = cli_write_file(output, sig, sig_len);
out:
	cli_passphrase_wipe(&pp);
	free(manifest);
	free(sig);
	signet_ctx_free(ctx);
	return code;
}

int cmd_key(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
	    {"no-passphrase", no_argument, NULL, OPT_NO_PASSPHRASE},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *prefix = "cosign", *passphrase_file = NULL;
	struct cli_passphrase pp = {0};
	char priv[4096], pub[4096];
	signet_ctx *ctx = NULL;
	int opt, rc, code, plain = 0;

	if (argc < 2 || strcmp(argv[1], "generate") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
			fputs(key_help, stdout);
			return EXIT_ALLOWED;
		}
		return cli_usage_error(
		    "usage: signet key generate [--passphrase-file F | --no-passphrase] [-o PREFIX]");
	}
	argc--;
	argv++;
	while ((opt = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		switch (opt) {
		case 'h':
			fputs(key_help, stdout);
			return EXIT_ALLOWED;
		case OPT_PASSPHRASE_FILE:
			passphrase_file = optarg;
			break;
		case OPT_NO_PASSPHRASE: plain = 1; break;
		case 'o':
			prefix = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc != optind)
		return cli_usage_error("key generate takes no arguments (see 'signet key --help')");
	if (plain && passphrase_file != NULL)
		return cli_usage_error("key generate takes --passphrase-file or --no-passphrase, not both");
	if (snprintf(priv, sizeof(priv), "%s.key", prefix) >= (int)sizeof(priv) ||
	    snprintf(pub, sizeof(pub), "%s.pub", prefix) >= (int)sizeof(pub))
		return cli_usage_error("-o: prefix too long");
	/* Encrypted unless told otherwise, as cosign always encrypts. */
	if (!plain && passphrase_file == NULL && (rc = cli_passphrase_get(&pp, 1)) != 0) {
		if (rc == SIGNET_ENOTFOUND)
			return cli_usage_error("key generate: no passphrase for the private key: %s; or "
			                       "--no-passphrase to write it unencrypted",
			                       CLI_PASSPHRASE_HOWTO);
		return EXIT_USAGE;
	}
	if (signet_ctx_new(&ctx, NULL) != 0) {
		code = cli_usage_error("cannot create a context");
		goto out;
	}
	if (pp.have)
		rc = signet_key_generate_passphrase(ctx, priv, pub, pp.buf, pp.len);
	else
		rc = signet_key_generate(ctx, priv, pub, passphrase_file);
	if (rc != 0)
		code = cli_fail(ctx, rc);
	else {
		printf("Private key written to %s\nPublic key written to %s\n", priv, pub);
		code = EXIT_ALLOWED;
	}
out:
	cli_passphrase_wipe(&pp);
	signet_ctx_free(ctx);
	return code;
}
