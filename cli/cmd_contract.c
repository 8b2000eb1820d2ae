/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_contract.c: signet contract images, seal and verify (HPCR
 * contract helpers). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_PINS 256

static const char contract_help[] =
    "Usage: signet contract images [--rhs REPOSITORY=KEYFILE]... [--cosign REPOSITORY=PUBKEY.pem]...\n"
    "                              [-o FILE]\n"
#if SIGNET_HAVE_SIGNER
    "       signet contract seal --encrypt-cert CERT --ca FILE... [--crl FILE]... --sign-key KEY.pem\n"
    "                            [--sign-cert CERT.pem] [--sections workload,env] CONTRACT.yaml\n"
    "                            [-o OUT.yaml]\n"
#endif
    "       signet contract verify [--contract-key KEY.pem] [--json] CONTRACT.yaml\n\n"
    "Helpers for the IBM Hyper Protect (HPCR) deployment contract.\n\n"
    "Commands:\n"
    "  images   print the images: section of the contract's workload that pins OpenPGP keys\n"
    "           (Red Hat simple signing, images.rhs) and cosign public keys (images.cosign) to\n"
    "           repositories\n"
#if SIGNET_HAVE_SIGNER
    "  seal     encrypt the contract's sections for IBM's encryption certificate and sign it\n"
    "           (envWorkloadSignature)\n"
#endif
    "  verify   check a contract as the guest does: its schema, its signature and expiry, and\n"
    "           which sections are encrypted\n\n"
    "Run 'signet contract COMMAND --help' for the options of each.\n";

static const char images_help[] =
    "Usage: signet contract images [--rhs REPOSITORY=KEYFILE]... [--cosign REPOSITORY=PUBKEY.pem]...\n"
    "                              [-o FILE]\n\n"
    "Print the images: section of an HPCR contract's workload: for each --rhs, the repository\n"
    "(normalized: busybox is docker.io/library/busybox; with a tag or digest the entry applies\n"
    "to that reference only) and the base64 of its ASCII-armored OpenPGP public key, as\n"
    "`gpg --armor --export KEY | base64 -w0` makes it; for each --cosign, the repository and the\n"
    "base64 of its cosign public key file (PEM PUBLIC KEY), as `base64 -w0 cosign.pub` makes it\n"
    "(images.cosign is signet's extension of IBM's schema, see docs/policy.md).  Images of these\n"
    "repositories must then carry a signature by the key (both kinds when a repository is given\n"
    "to both), except images the contract's own workload names by digest.\n"
    "Indent the output under workload: (or under the workload's YAML).\n\n"
    "Options:\n"
    "  --rhs REPOSITORY=KEYFILE  a repository and its OpenPGP public key file (armored or\n"
    "                            binary); repeatable\n"
    "  --cosign REPOSITORY=PUBKEY.pem\n"
    "                            a repository and its cosign public key (ECDSA P-256/384/521,\n"
    "                            RSA 2048-4096 or Ed25519); repeatable\n"
    "  -o, --output FILE         write to FILE (atomically) instead of standard output (- is\n"
    "                            standard output)\n"
    "  -h, --help                this help\n"
    "\nExit codes: 0 done, 2 bad usage or input, 3 cannot read a key file.\n";

enum { OPT_RHS = 0x300, OPT_COSIGN };

static int cmd_contract_images(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"rhs", required_argument, NULL, OPT_RHS},
	    {"cosign", required_argument, NULL, OPT_COSIGN},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	signet_contract_pin pins[MAX_PINS];
	char *specs[MAX_PINS];
	const char *output = NULL;
	signet_ctx *ctx = NULL;
	char *yaml = NULL;
	size_t n = 0;
	int opt, rc, code;

	while ((opt = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		switch (opt) {
		case 'h':
			fputs(images_help, stdout);
			code = EXIT_ALLOWED;
			goto out;
		case 'o': output = optarg; break;
		case OPT_RHS:
		case OPT_COSIGN: {
			const char *name = opt == OPT_RHS ? "--rhs" : "--cosign";
			char *eq;

			if (n == MAX_PINS) {
				code = cli_usage_error("at most %d --rhs and --cosign options", MAX_PINS);
				goto out;
			}
			/* A repository never holds '=', a file name may: split
			 * at the first one. */
			if ((specs[n] = strdup(optarg)) == NULL) {
				code = cli_usage_error("out of memory");
				goto out;
			}
			eq = strchr(specs[n], '=');
			if (eq == NULL || eq == specs[n] || eq[1] == '\0') {
				free(specs[n]);
				code =
				    cli_usage_error("%s takes REPOSITORY=KEYFILE, not \"%s\"", name, optarg);
				goto out;
			}
			*eq = '\0';
			pins[n].kind = opt == OPT_RHS ? SIGNET_PIN_RHS : SIGNET_PIN_COSIGN;
			pins[n].repository = specs[n];
			pins[n].key_file = eq + 1;
			n++;
			break;
		}
		default: code = EXIT_USAGE; goto out;
		}
	}
	if (optind != argc) {
		code = cli_usage_error(
		    "contract images takes no arguments (see 'signet contract images --help')");
		goto out;
	}
	if (n == 0) {
		code = cli_usage_error("contract images needs at least one --rhs REPOSITORY=KEYFILE or "
		                       "--cosign REPOSITORY=PUBKEY.pem");
		goto out;
	}
	if (signet_ctx_new(&ctx, NULL) != 0) {
		code = cli_usage_error("cannot create a context");
		goto out;
	}
	if ((rc = signet_contract_images_pins(&yaml, ctx, pins, n)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	/* Standard output without -o, or with -o - */
	code = cli_write_file(output != NULL ? output : "-", yaml, strlen(yaml));
out:
	for (size_t i = 0; i < n; i++)
		free(specs[i]);
	free(yaml);
	signet_ctx_free(ctx);
	return code;
}

/* ---- contract verify ------------------------------------------------ */

static const char verify_help[] =
    "Usage: signet contract verify [--contract-key KEY.pem] [--json] CONTRACT.yaml\n\n"
    "Check an HPCR contract as signet verify --contract and gate --contract read it: its\n"
    "schema (the sections workload, env, attestationPublicKey, envWorkloadSignature), its\n"
    "signature (envWorkloadSignature over the workload value then the env value, RSA\n"
    "PKCS#1 v1.5 / SHA-256, with env.signingKey) and, when env.signingKey is a certificate,\n"
    "its expiry (the certificate's notAfter).  Say which sections are encrypted\n"
    "(hyper-protect-basic) and, with --contract-key, decrypt them and check their YAML too.\n"
    "An encrypted env holds signingKey: without --contract-key its signature cannot be\n"
    "checked.\n\n"
    "Options:\n"
    "  --contract-key KEY.pem  the RSA private key the contract is encrypted for (PEM,\n"
    "                          unencrypted)\n"
    "  --json                  machine-readable output\n"
    "  -h, --help              this help\n"
    "\nExit codes: 0 signed and the signature verifies, 1 refused (the signature does not\n"
    "verify, the signing certificate expired or is not yet valid, the contract is not signed),\n"
    "2 bad input (a contract that does not parse or does not decrypt, a signature that cannot\n"
    "be checked), 3 cannot read a file.\n";

enum { OPT_VKEY = 0x310, OPT_VJSON };

static const char *form_name(int form, int decrypted)
{
	switch (form) {
	case SIGNET_FORM_MAPPING: return "mapping";
	case SIGNET_FORM_STRING: return "string";
	case SIGNET_FORM_ENCRYPTED:
		return decrypted ? "encrypted (decrypted with --contract-key)"
		                 : "encrypted (not decrypted: no --contract-key)";
	default: return "absent";
	}
}

static const char *verdict_name(int verdict)
{
	return verdict == 0 ? "verified" : verdict == SIGNET_EDENIED ? "refused" : "unchecked";
}

static json_t *section_json(const signet_contract_report *r, int section)
{
	int decrypted = 0, form = signet_contract_report_section(r, section, &decrypted);
	static const char *const forms[] = {"absent", "mapping", "string", "encrypted"};

	return json_pack("{s:s, s:b}", "form", forms[form >= 0 && form <= 3 ? form : 0], "decrypted",
	                 decrypted);
}

static int print_report_json(const char *path, const signet_contract_report *r)
{
	const char *signer = NULL, *s;
	json_t *o, *sig;
	int bits = 0, rc;

	signer = signet_contract_report_signer(r, &bits);
	sig = json_pack("{s:b, s:s}", "present", signet_contract_report_signed(r), "verdict",
	                verdict_name(signet_contract_report_verdict(r)));
	o = json_pack("{s:s, s:o, s:o, s:b}", "contract", path, "workload",
	              section_json(r, SIGNET_SECTION_WORKLOAD), "env", section_json(r, SIGNET_SECTION_ENV),
	              "attestationPublicKey", signet_contract_report_attestation_key(r));
	if (o == NULL || sig == NULL) {
		json_decref(o);
		json_decref(sig);
		return cli_usage_error("out of memory");
	}
	if ((s = signet_contract_report_problem(r)) != NULL)
		json_object_set_new(sig, "problem", json_string(s));
	if (signer != NULL) {
		json_object_set_new(sig, "signer", json_string(signer));
		json_object_set_new(sig, "bits", json_integer(bits));
	}
	if ((s = signet_contract_report_expiry(r)) != NULL)
		json_object_set_new(sig, "expiry", json_string(s));
	if ((s = signet_contract_report_subject(r)) != NULL)
		json_object_set_new(sig, "subject", json_string(s));
	json_object_set_new(o, "signature", sig);
	rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(o);
	if (rc != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0)
		return cli_usage_error("cannot write to standard output");
	return 0;
}

static void print_report(const char *path, const signet_contract_report *r)
{
	int verdict = signet_contract_report_verdict(r), bits = 0, decrypted = 0, form;
	const char *signer = signet_contract_report_signer(r, &bits), *expiry, *subject;

	printf("contract %s\n", path);
	form = signet_contract_report_section(r, SIGNET_SECTION_WORKLOAD, &decrypted);
	printf("  workload:             %s\n", form_name(form, decrypted));
	form = signet_contract_report_section(r, SIGNET_SECTION_ENV, &decrypted);
	printf("  env:                  %s\n", form_name(form, decrypted));
	printf("  attestationPublicKey: %s\n",
	       signet_contract_report_attestation_key(r) ? "present" : "absent");
	if (!signet_contract_report_signed(r))
		printf("  signature:            none\n");
	else if (verdict == 0)
		printf("  signature:            verified with env.signingKey\n");
	else
		printf("  signature:            %s\n", verdict == SIGNET_EDENIED ? "REFUSED" : "NOT CHECKED");
	if (signer != NULL)
		printf("  signed by:            %s (RSA %d)\n", signer, bits);
	if ((subject = signet_contract_report_subject(r)) != NULL)
		printf("  subject:              %s\n", subject);
	if ((expiry = signet_contract_report_expiry(r)) != NULL)
		printf("  expires:              %s (the signing certificate's notAfter)\n", expiry);
}

static int cmd_contract_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"contract-key", required_argument, NULL, OPT_VKEY},
	    {"json", no_argument, NULL, OPT_VJSON},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *key = NULL, *problem;
	signet_contract_report *r = NULL;
	signet_ctx *ctx = NULL;
	int opt, rc, code, json = 0, verdict;

	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		switch (opt) {
		case 'h': fputs(verify_help, stdout); return EXIT_ALLOWED;
		case OPT_VKEY: key = optarg; break;
		case OPT_VJSON: json = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("contract verify takes one contract file (see 'signet contract verify "
		                       "--help')");
	if (signet_ctx_new(&ctx, NULL) != 0)
		return cli_usage_error("cannot create a context");
	if ((rc = signet_contract_verify(&r, ctx, argv[optind], key)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	verdict = signet_contract_report_verdict(r);
	if (json) {
		if ((code = print_report_json(argv[optind], r)) != 0)
			goto out;
	} else {
		print_report(argv[optind], r);
		if (fflush(stdout) != 0) {
			code = cli_usage_error("cannot write to standard output");
			goto out;
		}
	}
	if ((problem = signet_contract_report_problem(r)) != NULL)
		fprintf(stderr, "signet: %s\n", problem);
	code = cli_exit_code(verdict);
out:
	signet_contract_report_free(r);
	signet_ctx_free(ctx);
	return code;
}

#if SIGNET_HAVE_SIGNER
/* ---- contract seal -------------------------------------------------- */

static const char seal_help[] =
    "Usage: signet contract seal --encrypt-cert CERT --ca FILE... [--crl FILE]... --sign-key KEY.pem\n"
    "                            [--sign-cert CERT.pem] [--sections workload,env] CONTRACT.yaml\n"
    "                            [-o OUT.yaml]\n\n"
    "Seal an HPCR contract for IBM's guest, as IBM's documented openssl steps do: env gets\n"
    "signingKey (the public key of --sign-key, or --sign-cert) unless it has one, which must\n"
    "then be that key; the sections chosen are encrypted for the encryption certificate\n"
    "(hyper-protect-basic: a random 32-byte password, RSA PKCS#1 v1.5, openssl enc\n"
    "-aes-256-cbc -pbkdf2); sections already encrypted are kept as they are; then\n"
    "envWorkloadSignature signs the workload value followed by the env value (RSA PKCS#1\n"
    "v1.5 / SHA-256).  attestationPublicKey is kept as given.  Plain sections are written as\n"
    "literal block strings, which is what the signature covers.  The result is read back and\n"
    "its signature checked before it is written.\n\n"
    "Options:\n"
    "  --encrypt-cert CERT   IBM's encryption certificate of the image (...-encrypt.crt, PEM,\n"
    "                        RSA); checked against --ca with its dates, and --crl\n"
    "  --ca FILE             trusted PEM certificates (IBM's intermediate and its root; for a\n"
    "                        self-signed test certificate, the certificate itself); every\n"
    "                        certificate in the files is trusted; required, repeatable\n"
    "  --crl FILE            PEM CRL; the encryption certificate's issuer must have one among\n"
    "                        them and it must not list the certificate; repeatable\n"
    "  --sign-key KEY.pem    the RSA private key that signs (PEM, unencrypted)\n"
    "  --sign-cert CERT.pem  its certificate: put in env.signingKey, its notAfter is the\n"
    "                        contract's expiry (an expired one is refused)\n"
    "  --sections LIST       the sections to encrypt: workload, env or workload,env (default)\n"
    "  -o, --output FILE     write to FILE (atomically) instead of standard output (- is\n"
    "                        standard output)\n"
    "  -h, --help            this help\n"
    "\nExit codes: 0 sealed, 1 refused (the encryption certificate is not trusted, revoked,\n"
    "expired or not yet valid; the signing certificate expired), 2 bad usage or input (no\n"
    "--ca, a contract that does not parse, a signingKey that is not --sign-key's), 3 cannot\n"
    "read a file or write the output.\n";

#define MAX_FILES 64 /* --ca, --crl */

enum { OPT_ENCRYPT_CERT = 0x320, OPT_CA, OPT_CRL, OPT_SIGN_KEY, OPT_SIGN_CERT, OPT_SECTIONS };

/* --sections: a comma-separated list of workload and env. */
static int parse_sections(unsigned *out, const char *arg)
{
	const char *p = arg;
	unsigned v = 0;

	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		if (n == 8 && strncmp(p, "workload", n) == 0)
			v |= SIGNET_SEAL_WORKLOAD;
		else if (n == 3 && strncmp(p, "env", n) == 0)
			v |= SIGNET_SEAL_ENV;
		else
			return -1;
		p += n;
		if (*p == ',' && *++p == '\0')
			return -1;
	}
	if (v == 0)
		return -1;
	*out = v;
	return 0;
}

static int cmd_contract_seal(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"encrypt-cert", required_argument, NULL, OPT_ENCRYPT_CERT},
	    {"ca", required_argument, NULL, OPT_CA},
	    {"crl", required_argument, NULL, OPT_CRL},
	    {"sign-key", required_argument, NULL, OPT_SIGN_KEY},
	    {"sign-cert", required_argument, NULL, OPT_SIGN_CERT},
	    {"sections", required_argument, NULL, OPT_SECTIONS},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	signet_contract_seal_options o = SIGNET_CONTRACT_SEAL_OPTIONS_INIT;
	const char *cas[MAX_FILES], *crls[MAX_FILES], *output = NULL;
	signet_ctx *ctx = NULL;
	char *yaml = NULL;
	size_t len = 0;
	int opt, rc, code;

	while ((opt = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		switch (opt) {
		case 'h': fputs(seal_help, stdout); return EXIT_ALLOWED;
		case 'o': output = optarg; break;
		case OPT_ENCRYPT_CERT: o.encrypt_cert = optarg; break;
		case OPT_SIGN_KEY: o.sign_key = optarg; break;
		case OPT_SIGN_CERT: o.sign_cert = optarg; break;
		case OPT_CA:
		case OPT_CRL:
			if ((opt == OPT_CA ? o.n_ca_files : o.n_crl_files) == MAX_FILES)
				return cli_usage_error("at most %d --ca and %d --crl options", MAX_FILES,
				                       MAX_FILES);
			if (opt == OPT_CA)
				cas[o.n_ca_files++] = optarg;
			else
				crls[o.n_crl_files++] = optarg;
			break;
		case OPT_SECTIONS:
			if (parse_sections(&o.sections, optarg) != 0)
				return cli_usage_error(
				    "--sections takes workload, env or workload,env, not \"%s\"", optarg);
			break;
		default: return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(
		    "contract seal takes one contract file (see 'signet contract seal --help')");
	if (o.encrypt_cert == NULL || o.sign_key == NULL)
		return cli_usage_error("contract seal needs --encrypt-cert CERT and --sign-key KEY.pem");
	o.ca_files = cas;
	o.crl_files = crls;
	if (signet_ctx_new(&ctx, NULL) != 0)
		return cli_usage_error("cannot create a context");
	if ((rc = signet_contract_seal(&yaml, &len, ctx, argv[optind], &o)) != 0)
		code = cli_fail(ctx, rc);
	else
		code = cli_write_file(output != NULL ? output : "-", yaml, len);
	free(yaml);
	signet_ctx_free(ctx);
	return code;
}
#endif

int cmd_contract(int argc, char **argv)
{
	if (argc < 2) {
		fputs(contract_help, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(contract_help, stdout);
		return EXIT_ALLOWED;
	}
	if (strcmp(argv[1], "images") == 0)
		return cmd_contract_images(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return cmd_contract_verify(argc - 1, argv + 1);
#if SIGNET_HAVE_SIGNER
	if (strcmp(argv[1], "seal") == 0)
		return cmd_contract_seal(argc - 1, argv + 1);
#endif
	fprintf(stderr, "signet: unknown contract command \"%s\"\n", argv[1]);
	fputs(contract_help, stderr);
	return EXIT_USAGE;
}
