/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_attestation.c: signet attestation verify (the auditor's check of
 * an IBM Hyper Protect attestation record). */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* --ca and --crl files one command line may give. */
#define MAX_ATTEST_FILES 64

static const char attestation_help[] =
    "Usage: signet attestation verify --cert ATTESTATION.crt [--ca FILE]... [--crl FILE]...\n"
    "                                 [--key ATTESTATION-PRIVATE.pem] [--contract CONTRACT.yaml]\n"
    "                                 [--json] DIR\n\n"
    "Check an IBM Hyper Protect attestation record.\n\n"
    "Commands:\n"
    "  verify   verify the record's signature and certificate chain, and compare its contract\n"
    "           checksums with the contract\n\n"
    "Run 'signet attestation verify --help' for its options.\n";

static const char verify_help[] =
    "Usage: signet attestation verify --cert ATTESTATION.crt [--ca FILE]... [--crl FILE]...\n"
    "                                 [--key ATTESTATION-PRIVATE.pem] [--contract CONTRACT.yaml]\n"
    "                                 [--json] DIR\n\n"
    "Verify the attestation record in DIR: se-checksums.txt (or se-checksums.txt.enc, decrypted\n"
    "with --key) and se-signature.bin.  Checks the signature (RSA PKCS#1 v1.5 / SHA-256 over the\n"
    "checksums) with the key of the attestation certificate, the certificate's chain to a\n"
    "self-signed --ca certificate with dates and CRLs (every certificate below the root needs a\n"
    "CRL of its issuer), and with --contract each contract checksum of the record (workload,\n"
    "env, attestationPublicKey, envWorkloadSignature) against sha256 of the contract's value:\n"
    "matched, differs, missing (the contract has it, the record not) or unknown (the record\n"
    "has it, the contract not).  One line per check, or --json.\n\n"
    "Options:\n"
    "  --cert FILE          the attestation certificate (PEM) whose key signed the record\n"
    "  --ca FILE            trusted certificates (PEM): self-signed ones are roots, others\n"
    "                       intermediates; the attestation certificate itself when self-signed;\n"
    "                       repeatable\n"
    "  --crl FILE           a certificate revocation list (PEM or DER); repeatable\n"
    "  --key FILE           the PEM private key of the contract's attestationPublicKey, to\n"
    "                       decrypt se-checksums.txt.enc\n"
    "  --contract FILE      the contract the guest is expected to have booted with\n"
    "  --json               machine-readable output\n"
    "  -h, --help           this help\n"
    "\nExit codes: 0 the signature, the chain and every contract checksum hold, 1 one does not\n"
    "(or the record does not decrypt with --key), 2 bad usage or input (a missing or malformed\n"
    "file), 3 a file cannot be read.\n";

enum { OPT_ATT_CERT = 0x400, OPT_ATT_CA, OPT_ATT_CRL, OPT_ATT_KEY, OPT_ATT_CONTRACT, OPT_ATT_JSON };

static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static int print_json(const signet_attestation *a)
{
	const char *sig_detail, *chain_detail;
	int sig_ok = signet_attestation_signature_ok(a, &sig_detail);
	int chain_ok = signet_attestation_chain_ok(a, &chain_detail);
	json_t *o = json_object(), *h = json_array(), *list = json_array();
	int rc;

	for (size_t i = 0; i < signet_attestation_header_count(a); i++)
		json_array_append_new(h, json_string(signet_attestation_header(a, i)));
	for (size_t i = 0; i < signet_attestation_entry_count(a); i++) {
		const signet_attestation_entry *en = signet_attestation_entry_at(a, i);

		json_array_append_new(list,
		                      json_pack("{s:s, s:o, s:s, s:o, s:o, s:I}", "name", en->name, "section",
		                                str_or_null(en->section), "status",
		                                signet_attestation_status_name(en->status), "recorded",
		                                str_or_null(en->recorded), "expected",
		                                str_or_null(en->expected), "line", (json_int_t)en->line));
	}
	json_object_set_new(o, "record", json_string(signet_attestation_record_path(a)));
	json_object_set_new(o, "encrypted", json_boolean(signet_attestation_encrypted(a)));
	json_object_set_new(o, "verified", json_boolean(signet_attestation_ok(a)));
	json_object_set_new(o, "signature", json_pack("{s:b, s:s}", "ok", sig_ok, "detail", sig_detail));
	json_object_set_new(o, "chain", json_pack("{s:b, s:s}", "ok", chain_ok, "detail", chain_detail));
	json_object_set_new(o, "header", h);
	json_object_set_new(o, "checksums", list);
	rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(o);
	return rc;
}

static void print_entry(const signet_attestation_entry *en)
{
	const char *status = signet_attestation_status_name(en->status);

	switch (en->status) {
	case SIGNET_ATTEST_MATCHED:
		printf("%s: matched (line %zu): sha256 %s\n", en->name, en->line, en->recorded);
		break;
	case SIGNET_ATTEST_DIFFERS:
		printf("%s: differs (line %zu): the record has %s, the contract's %s is %s\n", en->name,
		       en->line, en->recorded, en->section, en->expected);
		break;
	case SIGNET_ATTEST_MISSING:
		printf("%s: missing: the contract has %s (sha256 %s), the record no checksum of it\n",
		       en->name, en->section, en->expected);
		break;
	case SIGNET_ATTEST_UNKNOWN:
		printf("%s: unknown (line %zu): the record has %s, the contract has no %s\n", en->name,
		       en->line, en->recorded, en->section);
		break;
	default: printf("%s: %s (line %zu): sha256 %s\n", en->name, status, en->line, en->recorded); break;
	}
}

static void print_text(const signet_attestation *a, const char *dir)
{
	const char *sig_detail, *chain_detail;
	int sig_ok = signet_attestation_signature_ok(a, &sig_detail);
	int chain_ok = signet_attestation_chain_ok(a, &chain_detail);
	size_t failed = 0;

	printf("record: %s%s\n", signet_attestation_record_path(a),
	       signet_attestation_encrypted(a) ? " (decrypted)" : "");
	for (size_t i = 0; i < signet_attestation_header_count(a); i++)
		printf("header: %s\n", signet_attestation_header(a, i));
	if (sig_ok)
		printf("signature: ok\n");
	else
		printf("signature: FAILED: %s\n", sig_detail);
	printf("chain: %s: %s\n", chain_ok ? "ok" : "FAILED", chain_detail);
	failed += !sig_ok + !chain_ok;
	for (size_t i = 0; i < signet_attestation_entry_count(a); i++) {
		const signet_attestation_entry *en = signet_attestation_entry_at(a, i);

		print_entry(en);
		failed += en->status == SIGNET_ATTEST_DIFFERS || en->status == SIGNET_ATTEST_MISSING ||
		          en->status == SIGNET_ATTEST_UNKNOWN;
	}
	if (signet_attestation_ok(a))
		printf("attestation %s: verified\n", dir);
	else
		printf("attestation %s: NOT verified (%zu failed check%s)\n", dir, failed,
		       failed == 1 ? "" : "s");
}

static int cmd_attestation_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"cert", required_argument, NULL, OPT_ATT_CERT},
	    {"ca", required_argument, NULL, OPT_ATT_CA},
	    {"crl", required_argument, NULL, OPT_ATT_CRL},
	    {"key", required_argument, NULL, OPT_ATT_KEY},
	    {"contract", required_argument, NULL, OPT_ATT_CONTRACT},
	    {"json", no_argument, NULL, OPT_ATT_JSON},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	signet_attestation_options o = SIGNET_ATTESTATION_OPTIONS_INIT;
	const char *cas[MAX_ATTEST_FILES], *crls[MAX_ATTEST_FILES];
	signet_attestation *a = NULL;
	signet_ctx *ctx = NULL;
	int opt, rc, json = 0;

	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		switch (opt) {
		case 'h': fputs(verify_help, stdout); return EXIT_ALLOWED;
		case OPT_ATT_CERT: o.cert = optarg; break;
		case OPT_ATT_CA:
			if (o.n_ca_files == MAX_ATTEST_FILES)
				return cli_usage_error("at most %d --ca options", MAX_ATTEST_FILES);
			cas[o.n_ca_files++] = optarg;
			break;
		case OPT_ATT_CRL:
			if (o.n_crl_files == MAX_ATTEST_FILES)
				return cli_usage_error("at most %d --crl options", MAX_ATTEST_FILES);
			crls[o.n_crl_files++] = optarg;
			break;
		case OPT_ATT_KEY: o.key = optarg; break;
		case OPT_ATT_CONTRACT: o.contract = optarg; break;
		case OPT_ATT_JSON: json = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(
		    "attestation verify takes one DIR, the directory holding se-checksums.txt "
		    "(see 'signet attestation verify --help')");
	if (o.cert == NULL)
		return cli_usage_error(
		    "attestation verify needs --cert ATTESTATION.crt, the certificate whose key "
		    "signed the record");
	o.ca_files = cas;
	o.crl_files = crls;
	if (signet_ctx_new(&ctx, NULL) != 0)
		return cli_usage_error("cannot create a context");
	rc = signet_attestation_verify(&a, ctx, argv[optind], &o);
	if (rc != 0) {
		int code = cli_fail(ctx, rc);

		signet_ctx_free(ctx);
		/* A file that is not there is bad input here, not an
		 * unreachable registry. */
		return rc == SIGNET_ENOTFOUND ? EXIT_USAGE : code;
	}
	if (json)
		(void)print_json(a);
	else
		print_text(a, argv[optind]);
	rc = signet_attestation_ok(a) ? EXIT_ALLOWED : EXIT_DENIED;
	signet_attestation_free(a);
	signet_ctx_free(ctx);
	return rc;
}

int cmd_attestation(int argc, char **argv)
{
	if (argc < 2) {
		fputs(attestation_help, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(attestation_help, stdout);
		return EXIT_ALLOWED;
	}
	if (strcmp(argv[1], "verify") == 0)
		return cmd_attestation_verify(argc - 1, argv + 1);
	fprintf(stderr, "signet: unknown attestation command \"%s\"\n", argv[1]);
	fputs(attestation_help, stderr);
	return EXIT_USAGE;
}
