/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_verify.c: signet verify IMAGE and signet standalone-verify. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

static const char verify_help[] =
    "Usage: signet verify [--policy FILE | --contract FILE | --key FILE...] [OPTIONS] IMAGE...\n\n"
    "Decide whether each IMAGE may be pulled: resolve it to a manifest digest computed locally,\n"
    "choose the requirements the policy has for it, read the signatures stored for that digest,\n"
    "and allow it only if every requirement is met.  Prints the reference to pull\n"
    "(host/repo@sha256:...) and who signed it; a denial or error goes to standard error.  Several\n"
    "images are verified in order with the same policy; --json prints one object for one IMAGE, a\n"
    "JSON array of them (in order) for several, on denials and errors too (\"Allowed\": false with\n"
    "\"Reason\", or \"Error\": {\"Code\", \"Message\", \"ExitCode\"}).\n\n"
    "Options:\n" CLI_TRUST_HELP CLI_TIMEOUT_HELP CLI_COMMON_HELP
    "\nExit codes: 0 allowed (every IMAGE), 1 denied, 2 bad usage or input, 3 cannot reach or read.\n"
    "With several images, the first that applies of: 1 if any was denied, 2 if any was bad input,\n"
    "3 if any could not be read, else 0.\n";

static const char standalone_verify_help[] =
	"Usage: signet standalone-verify MANIFEST REFERENCE KEYFILE SIGNATURE\n\n"
	"As skopeo standalone-verify, with a public key file (armored or binary OpenPGP) instead of a\n"
	"fingerprint: check that SIGNATURE is a valid signature by the key in KEYFILE over the digest\n"
	"of MANIFEST with exactly the identity REFERENCE.  Prints the digest on success.\n\n"
	"Exit codes: 0 verified, 1 the signature is refused, 2 bad usage or input, 3 cannot read a file.\n";

/* The name of a return code as include/signet/common.h spells it. */
static const char *code_name(int rc)
{
	switch (rc) {
	case SIGNET_EINVAL: return "SIGNET_EINVAL";
	case SIGNET_EBADINPUT: return "SIGNET_EBADINPUT";
	case SIGNET_ELIMIT: return "SIGNET_ELIMIT";
	case SIGNET_EDENIED: return "SIGNET_EDENIED";
	case SIGNET_EINTEGRITY: return "SIGNET_EINTEGRITY";
	case SIGNET_ENOTFOUND: return "SIGNET_ENOTFOUND";
	case SIGNET_ENETWORK: return "SIGNET_ENETWORK";
	case SIGNET_ETLS: return "SIGNET_ETLS";
	case SIGNET_EAUTH: return "SIGNET_EAUTH";
	case SIGNET_EREGISTRY: return "SIGNET_EREGISTRY";
	case SIGNET_EIO: return "SIGNET_EIO";
	case SIGNET_ENOMEM: return "SIGNET_ENOMEM";
	case SIGNET_EUNSUPPORTED: return "SIGNET_EUNSUPPORTED";
	default: return "unknown";
	}
}

/* The object --json prints for one image: allowed (the verdict's members),
 * denied ("Reason": the library's message, which says why each signature
 * failed) or failed ("Error": code name, message, exit code).  NULL: out
 * of memory. */
static json_t *verdict_json(const signet_verdict *v, const char *image, int rc, const char *msg,
                            const struct cli_trust *t)
{
	json_t *source = cli_trust_source_json(t);

	if (source == NULL)
		return NULL;
	if (rc == 0)
		return json_pack("{s:b, s:s, s:s, s:s, s:s*, s:s*, s:s*, s:s*, s:s*, s:o}", "Allowed", 1,
		                 "Image", image, "Pinned", signet_verdict_pinned(v), "Digest",
		                 signet_verdict_digest(v), "Signer", signet_verdict_signer(v), "SigningKey",
		                 signet_verdict_signing_key(v), "SignerUID", signet_verdict_signer_uid(v),
		                 "Identity", signet_verdict_identity(v), "Signature",
		                 signet_verdict_location(v), "Policy", source);
	if (rc == SIGNET_EDENIED)
		return json_pack("{s:b, s:s, s:s, s:o}", "Allowed", 0, "Image", image, "Reason", msg,
		                 "Policy", source);
	return json_pack("{s:b, s:s, s:{s:s, s:s, s:i}, s:o}", "Allowed", 0, "Image", image, "Error", "Code",
	                 code_name(rc), "Message", msg, "ExitCode", cli_exit_code(rc), "Policy", source);
}

/* --json when the policy or a key cannot be loaded: no image was looked
 * at, so the object has no "Image". */
static void print_setup_error(signet_ctx *ctx, int rc, const struct cli_trust *t)
{
	const char *msg = signet_ctx_errmsg(ctx);
	json_t *source = cli_trust_source_json(t), *o = NULL;

	if (source != NULL)
		o = json_pack("{s:b, s:{s:s, s:s, s:i}, s:o}", "Allowed", 0, "Error", "Code", code_name(rc),
		              "Message", msg[0] != '\0' ? msg : signet_strerror(rc), "ExitCode",
		              cli_exit_code(rc), "Policy", source);
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

/* How bad an exit code is among several images: a denial first (the
 * answer a script acts on), then bad input, then what could not be read. */
static int exit_rank(int code)
{
	switch (code) {
	case EXIT_DENIED: return 3;
	case EXIT_USAGE: return 2;
	case EXIT_UNREACHABLE: return 1;
	default: return 0;
	}
}

/* Verifies one image; prints its text (stdout, or the failure on stderr)
 * or appends its JSON object to out.  Returns the image's exit code. */
static int verify_one(json_t *out, signet_ctx *ctx, signet_verifier *verifier, const char *image,
                      const struct cli_trust *t, const struct cli_common *c, int *denied, int *printed)
{
	signet_verdict *verdict = NULL;
	signet_ref *ref = NULL;
	const char *msg;
	int rc, code;

	if ((rc = signet_ref_parse(&ref, ctx, image)) == 0)
		rc = signet_verify(&verdict, verifier, ref);
	msg = signet_ctx_errmsg(ctx);
	if (msg[0] == '\0')
		msg = signet_strerror(rc);
	code = rc == 0 ? EXIT_ALLOWED : cli_exit_code(rc);
	if (rc != 0)
		fprintf(stderr, "signet: %s\n", msg);
	*denied |= rc == SIGNET_EDENIED;
	if (c->quiet)
		goto out;
	if (c->json) {
		json_t *o = verdict_json(verdict, image, rc, msg, t);

		if (o == NULL || json_array_append_new(out, o) != 0) {
			fputs("signet: cannot build JSON output\n", stderr);
			code = EXIT_UNREACHABLE;
		}
	} else if (rc == 0) {
		if (*printed)
			putchar('\n'); /* between the blocks of several images */
		print_verdict(verdict, t);
		*printed = 1;
	}
out:
	signet_verdict_free(verdict);
	signet_ref_free(ref);
	return code;
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
	signet_ctx *ctx = NULL;
	json_t *objects = NULL;
	struct cli_common c;
	struct cli_trust t;
	int opt, rc, code = EXIT_ALLOWED, denied = 0, printed = 0;

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
	if (argc - optind < 1)
		return cli_usage_error("verify takes at least one IMAGE (see 'signet verify --help')");
	if (cli_trust_finish(&t) != 0)
		return EXIT_USAGE;
	if (cli_ctx_new(&ctx, &c) != 0)
		return EXIT_UNREACHABLE;
	if ((rc = signet_verifier_new(&verifier, ctx, &t.vopts)) != 0) {
		code = cli_fail(ctx, rc);
		if (c.json && !c.quiet)
			print_setup_error(ctx, rc, &t);
		goto out;
	}
	if ((objects = json_array()) == NULL) {
		code = cli_usage_error("out of memory");
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		int one = verify_one(objects, ctx, verifier, argv[i], &t, &c, &denied, &printed);

		if (exit_rank(one) > exit_rank(code))
			code = one;
	}
	if (denied && !c.quiet)
		cli_trust_print_source(&t, stderr);
	if (c.json && !c.quiet) {
		json_t *doc = argc - optind == 1 ? json_array_get(objects, 0) : objects;

		if (doc != NULL) {
			json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
			fputc('\n', stdout);
		}
	}
out:
	json_decref(objects);
	signet_verifier_free(verifier);
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
