/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cli.h: what the subcommands of the signet command share.  The
 * command uses only the public API (include/signet). */
#ifndef SIGNET_CLI_H
#define SIGNET_CLI_H

#include <getopt.h>
#include <stdio.h>

#include <signet/signet.h>

#include "config.h"

/* Exit codes (SPEC §5). */
enum {
	EXIT_ALLOWED = 0,
	EXIT_DENIED = 1,
	EXIT_USAGE = 2,
	EXIT_UNREACHABLE = 3,
};

/* Options every registry-facing subcommand takes. */
struct cli_common {
	signet_ctx_options opts;
	int json;
	int verbose;
	int quiet;
};

enum {
	OPT_TLS_VERIFY = 0x100,
	OPT_CERT_DIR,
	OPT_CREDS,
	OPT_AUTHFILE,
	OPT_JSON,
	OPT_TIMEOUT,
};

#define CLI_COMMON_LONGOPTS                                                   \
	{ "tls-verify", optional_argument, NULL, OPT_TLS_VERIFY },            \
	{ "cert-dir", required_argument, NULL, OPT_CERT_DIR },                \
	{ "creds", required_argument, NULL, OPT_CREDS },                      \
	{ "authfile", required_argument, NULL, OPT_AUTHFILE },                \
	{ "json", no_argument, NULL, OPT_JSON },                              \
	{ "verbose", no_argument, NULL, 'v' },                                \
	{ "quiet", no_argument, NULL, 'q' },                                  \
	{ "help", no_argument, NULL, 'h' }

#define CLI_COMMON_HELP                                                                     \
	"  --tls-verify=BOOL    verify TLS (default true); false also allows plain HTTP\n" \
	"  --cert-dir DIR       CA certificates (*.crt) and client.cert/client.key\n"      \
	"  --creds USER:PASS    credentials for the one registry the image(s) are on\n"   \
	"  --authfile FILE      containers auth.json or docker config.json\n"              \
	"  --json               machine-readable output\n"                                 \
	"  -v, --verbose        log registry requests to stderr\n"                        \
	"  -q, --quiet          print nothing on success\n"                                \
	"  -h, --help           this help\n"

/* The deadline of one image, for the commands that examine images
 * (verify, gate, audit, inspect): handled by cli_common_option. */
#define CLI_TIMEOUT_LONGOPT                                                                                  \
	{                                                                                                    \
		"timeout", required_argument, NULL, OPT_TIMEOUT                                              \
	}
#define CLI_TIMEOUT_HELP                                                                                     \
	"  --timeout DURATION   the most one image may take, every request included\n"                       \
	"                       (120s by default; 90, 90s, 2m, 1m30s, 500ms)\n"

void cli_common_init(struct cli_common *c);
/* Handles one common option: returns 0 if handled, 1 if opt is not a
 * common option, -1 on a bad value (message printed). */
int cli_common_option(struct cli_common *c, int opt, const char *arg);
/* Creates the context from the common options; prints on failure. */
int cli_ctx_new(signet_ctx **out, const struct cli_common *c);
/* Maps a library error code to the exit code of SPEC §5. */
int cli_exit_code(int rc);
/* Prints "signet: <message>" for a failed call and returns its exit code. */
int cli_fail(signet_ctx *ctx, int rc);
/* Prints "signet: <formatted>" and returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The command being run ("verify", "policy"), set by main before it
 * hands over: cli_getopt names it in its hint. */
void cli_set_command(const char *name);
/* getopt_long for every command: on an unknown option or a missing
 * argument getopt prints what is wrong, then this adds "Try 'signet
 * CMD [SUB] --help' for more information." (SUB is argv[0] when the
 * command handed a subcommand its arguments); the caller returns
 * EXIT_USAGE on '?' as before. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* "-" names standard output for -o/--output (gate, standalone-sign,
 * contract images). */
int cli_is_stdout(const char *path);

/* passphrase.c: the passphrase of a cosign-format key without
 * --passphrase-file: COSIGN_PASSWORD, else asked on the terminal when
 * stdin is one (confirm: twice, and both must match).  Kept in p (for
 * the several keys loads of one run) until cli_passphrase_wipe. */
struct cli_passphrase {
	char buf[SIGNET_PASSPHRASE_MAX];
	size_t len;
	int have; /* buf holds it */
	int none; /* none could be had: no COSIGN_PASSWORD, no terminal */
};
/* 0 (in p), SIGNET_ENOTFOUND (none to be had; p->none set) or another
 * negative code (message printed). */
int cli_passphrase_get(struct cli_passphrase *p, int confirm);
/* A signet_passphrase_cb over cli_passphrase_get (payload: p). */
int cli_passphrase_cb(char *buf, size_t size, size_t *len, const char *key, void *payload);
void cli_passphrase_wipe(struct cli_passphrase *p);
/* How to give a passphrase, for the messages. */
#define CLI_PASSPHRASE_HOWTO                                                                                 \
	"give the passphrase with --passphrase-file FILE or COSIGN_PASSWORD, or run on a terminal to be "    \
	"asked"

/* Where trust comes from (verify, policy explain, policy lint). */
#define CLI_MAX_KEYS 64
struct cli_trust {
	signet_verifier_options vopts;
	const char *keys[CLI_MAX_KEYS];
	const char *annotations[CLI_MAX_KEYS];
};

enum {
	OPT_KEY = 0x200,
	OPT_POLICY,
	OPT_CONTRACT,
	OPT_CONTRACT_KEY,
	OPT_STRICT,
	OPT_REGISTRIES_D,
	OPT_LOOKASIDE,
	OPT_PLATFORM,
	OPT_ALLOW_DIGEST_PINNED,
	OPT_REQUIRE_SIGNED_CONTRACT,
	OPT_TRUSTED_ROOT,
	OPT_CERT_IDENTITY,
	OPT_CERT_OIDC_ISSUER,
};

#define CLI_TRUST_LONGOPTS                                                     \
	{ "key", required_argument, NULL, OPT_KEY },                           \
	{ "policy", required_argument, NULL, OPT_POLICY },                     \
	{ "contract", required_argument, NULL, OPT_CONTRACT },                 \
	{ "contract-key", required_argument, NULL, OPT_CONTRACT_KEY },         \
	{ "strict", no_argument, NULL, OPT_STRICT },                           \
	{ "allow-digest-pinned", no_argument, NULL, OPT_ALLOW_DIGEST_PINNED }, \
	{ "require-signed-contract", no_argument, NULL, OPT_REQUIRE_SIGNED_CONTRACT }, \
	{ "trusted-root", required_argument, NULL, OPT_TRUSTED_ROOT },         \
	{ "certificate-identity", required_argument, NULL, OPT_CERT_IDENTITY }, \
	{ "certificate-oidc-issuer", required_argument, NULL, OPT_CERT_OIDC_ISSUER }, \
	{ "registries.d", required_argument, NULL, OPT_REGISTRIES_D },         \
	{ "lookaside", required_argument, NULL, OPT_LOOKASIDE },               \
	{ "platform", required_argument, NULL, OPT_PLATFORM },                 \
	{ "annotation", required_argument, NULL, 'a' }

#define CLI_TRUST_HELP                                                                                      \
	"  --policy FILE        a containers-policy.json (default: $HOME/.config/containers/policy.json,\n" \
	"                       then /etc/containers/policy.json, whose insecureAcceptAnything denies)\n"    \
	"  --contract FILE      an HPCR contract: trust the keys its workload.images pins\n"                \
	"  --contract-key PEM   private key to decrypt hyper-protect-basic sections of the contract\n"       \
	"  --strict             with --contract: images named by digest need signatures too\n"              \
	"  --allow-digest-pinned\n"                                                                        \
	"                       with --contract: accept every image named by digest unsigned, not only\n" \
	"                       the digests the contract's own workload names\n"                         \
	"  --require-signed-contract\n"                                                                    \
	"                       with --contract: refuse a contract without envWorkloadSignature (a\n"     \
	"                       signature present is always checked)\n"                                 \
	"  --key FILE           trust this public key for every image: OpenPGP (armored or binary;\n"    \
	"                       signedBy) or PEM (cosign.pub; sigstoreSigned: .sig attachments and\n" \
	"                       cosign v3 Sigstore bundles); repeatable, keys of one kind; instead of\n" \
	"                       a policy\n"                                                              \
	"  --trusted-root FILE  keyless: a sigstore trusted_root.json; every image must carry a Sigstore\n" \
	"                       bundle whose Fulcio certificate chains to it at a signing time its\n"     \
	"                       transparency log or timestamp authority proves; instead of a policy\n"   \
	"  --certificate-identity ID\n"                                                                  \
	"                       with --trusted-root (required): the certificate's SAN, exactly\n"       \
	"  --certificate-oidc-issuer URL\n"                                                              \
	"                       with --trusted-root (required): the certificate's OIDC issuer, exactly\n" \
	"  --registries.d DIR   where signatures are stored (default: the containers locations)\n"         \
	"  --lookaside URL      read signatures from this lookaside instead (file://, http(s)://)\n"        \
	"  --platform OS/ARCH   the instance to choose from a multi-platform index (default: this machine)\n" \
	"  -a, --annotation K=V the accepted signature's payload must carry K=V; repeatable\n"

void cli_trust_init(struct cli_trust *t);
/* Handles one trust option: 0 handled, 1 not a trust option, -1 bad. */
int cli_trust_option(struct cli_trust *t, int opt, const char *arg);
/* Applies the containers defaults (policy.json, registries.d) where the
 * command line named no source; -1 (message printed) if none is found or
 * several are given. */
int cli_trust_finish(struct cli_trust *t);
/* After cli_trust_finish: where the verdicts come from, one line
 * "Policy: FILE", "Policy: FILE (a default location, ...)", "Policy:
 * contract FILE" or "Policy: keys A, B". */
void cli_trust_print_source(const struct cli_trust *t, FILE *f);
/* The words after "Policy: " (shared with the audit report, which reads
 * them back from its summary record): "FILE", "FILE (a default location,
 * not named with --policy)" when !named, "contract FILE" or "keys A, B";
 * kind is "policy", "contract" or "keys"; file names go through put (as
 * they are, cleaned of control characters, HTML-escaped). */
void cli_policy_source_write(FILE *f, void (*put)(FILE *f, const char *s), const char *kind,
			     const char *const *files, size_t n_files, int named);
/* The same as JSON (a new reference, NULL if out of memory):
 * {"Kind": "policy"|"contract"|"keys", "Files": [...], "Named": bool},
 * Named false for a policy.json found in a default location. */
struct json_t *cli_trust_source_json(const struct cli_trust *t);
/* A trust option, else a common option: 0 handled, 1 neither, -1 bad. */
int cli_trust_common_option(struct cli_trust *t, struct cli_common *c, int opt, const char *arg);
/* cli_trust_finish, then the context and the verifier.  Prints what
 * failed and returns its exit code, or 0.  The caller frees *ctx and *v
 * (either may be set even on failure). */
int cli_verifier_open(signet_ctx **ctx, signet_verifier **v, struct cli_trust *t, const struct cli_common *c);

/* Reads a whole regular file named on the command line (at most max
 * bytes; *data NUL-terminated, caller frees).  Prints what went wrong
 * and returns the exit code, or 0. */
int cli_read_file(unsigned char **data, size_t *len, const char *path, size_t max, const char *what);
/* Writes an output file atomically (temporary file, fsync, rename): on
 * failure nothing is left behind; "-" is standard output.  Prints and
 * returns the exit code, or 0. */
int cli_write_file(const char *path, const void *data, size_t len);
/* Copies the file at path (not followed if a symbolic link) to standard
 * output.  Prints and returns the exit code, or 0. */
int cli_copy_to_stdout(const char *path);
/* The registries.d directory containers tools use when none is given:
 * $HOME/.config/containers/registries.d if it exists, else
 * /etc/containers/registries.d if it exists, else NULL. */
const char *cli_default_registries_d(void);

int cmd_inspect(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_standalone_verify(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_contract(int argc, char **argv);
int cmd_attestation(int argc, char **argv);
#if SIGNET_HAVE_SIGNER
int cmd_sign(int argc, char **argv);
int cmd_standalone_sign(int argc, char **argv);
int cmd_key(int argc, char **argv);
#endif

#endif
