/* SPDX-License-Identifier: Apache-2.0 */
/* cli/trust.c: where trust comes from (--policy, --contract, --key and
 * the containers defaults), shared by verify, policy, gate and audit. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

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
		if (t->vopts.n_key_files == CLI_MAX_KEYS) {
			cli_usage_error("at most %d --key options", CLI_MAX_KEYS);
			return -1;
		}
		t->keys[t->vopts.n_key_files++] = arg;
		t->vopts.key_files = t->keys;
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
	case OPT_ALLOW_DIGEST_PINNED:
		t->vopts.allow_digest_pinned = 1;
		return 0;
	case OPT_REQUIRE_SIGNED_CONTRACT: t->vopts.require_signed_contract = 1; return 0;
	case OPT_TRUSTED_ROOT:
		t->vopts.trusted_root_file = arg;
		return 0;
	case OPT_CERT_IDENTITY:
		t->vopts.certificate_identity = arg;
		return 0;
	case OPT_CERT_OIDC_ISSUER:
		t->vopts.certificate_oidc_issuer = arg;
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
	int sources = (o->policy_file != NULL) + (o->contract_file != NULL) + (o->n_key_files != 0) +
		      (o->trusted_root_file != NULL);

	if (sources > 1) {
		cli_usage_error("give one of --policy, --contract, --key and --trusted-root");
		return -1;
	}
	/* Nothing keyless is accepted without a pinned identity. */
	if ((o->trusted_root_file != NULL || o->certificate_identity != NULL ||
	     o->certificate_oidc_issuer != NULL) &&
	    (o->trusted_root_file == NULL || o->certificate_identity == NULL ||
	     o->certificate_oidc_issuer == NULL || o->certificate_identity[0] == '\0' ||
	     o->certificate_oidc_issuer[0] == '\0')) {
		cli_usage_error("--trusted-root, --certificate-identity and --certificate-oidc-issuer go "
				"together: nothing keyless is accepted without a pinned identity");
		return -1;
	}
	if ((o->contract_key != NULL || o->strict || o->allow_digest_pinned) && o->contract_file == NULL) {
		cli_usage_error("--contract-key, --strict and --allow-digest-pinned go with --contract");
		return -1;
	}
	if (o->require_signed_contract && o->contract_file == NULL) {
		cli_usage_error("--require-signed-contract goes with --contract");
		return -1;
	}
	if (o->strict && o->allow_digest_pinned) {
		cli_usage_error("--strict and --allow-digest-pinned contradict each other: give one");
		return -1;
	}
	if (sources == 0) {
		if ((o->policy_file = containers_default(policy, sizeof(policy), "policy.json", 0)) == NULL) {
			cli_usage_error("no policy: give --policy, --contract, --key or --trusted-root (no policy.json in "
					"$HOME/.config/containers or /etc/containers)");
			return -1;
		}
		/* Found, not named: its insecureAcceptAnything denies (issue 12). */
		o->policy_is_default = 1;
	}
	if (o->registries_d == NULL && o->lookaside == NULL)
		o->registries_d = cli_default_registries_d();
	return 0;
}

int cli_trust_common_option(struct cli_trust *t, struct cli_common *c, int opt, const char *arg)
{
	int rc = cli_trust_option(t, opt, arg);

	return rc == 1 ? cli_common_option(c, opt, arg) : rc;
}

int cli_verifier_open(signet_ctx **ctx, signet_verifier **v, struct cli_trust *t, const struct cli_common *c)
{
	int rc;

	if (cli_trust_finish(t) != 0)
		return EXIT_USAGE;
	if (cli_ctx_new(ctx, c) != 0)
		return EXIT_UNREACHABLE;
	if ((rc = signet_verifier_new(v, *ctx, &t->vopts)) != 0)
		return cli_fail(*ctx, rc);
	return 0;
}

static void put_raw(FILE *f, const char *s)
{
	fputs(s, f);
}

void cli_policy_source_write(FILE *f, void (*put)(FILE *f, const char *s), const char *kind,
			     const char *const *files, size_t n_files, int named)
{
	if (strcmp(kind, "policy") == 0) {
		put(f, n_files > 0 ? files[0] : "");
		if (!named)
			fputs(" (a default location, not named with --policy)", f);
		return;
	}
	fputs(strcmp(kind, "contract") == 0 ? "contract" : strcmp(kind, "trusted-root") == 0 ? "trusted root" : "keys", f);
	for (size_t i = 0; i < n_files; i++) {
		fputs(i == 0 ? " " : ", ", f);
		put(f, files[i]);
	}
}

void cli_trust_print_source(const struct cli_trust *t, FILE *f)
{
	const signet_verifier_options *o = &t->vopts;

	fputs("Policy: ", f);
	if (o->policy_file != NULL)
		cli_policy_source_write(f, put_raw, "policy", &o->policy_file, 1, !o->policy_is_default);
	else if (o->contract_file != NULL)
		cli_policy_source_write(f, put_raw, "contract", &o->contract_file, 1, 1);
	else if (o->trusted_root_file != NULL)
		cli_policy_source_write(f, put_raw, "trusted-root", &o->trusted_root_file, 1, 1);
	else
		cli_policy_source_write(f, put_raw, "keys", o->key_files, o->n_key_files, 1);
	fputc('\n', f);
}

json_t *cli_trust_source_json(const struct cli_trust *t)
{
	const signet_verifier_options *o = &t->vopts;
	json_t *files = json_array();

	if (files == NULL)
		return NULL;
	if (o->policy_file != NULL || o->contract_file != NULL || o->trusted_root_file != NULL) {
		if (json_array_append_new(files, json_string(o->policy_file != NULL     ? o->policy_file
							     : o->contract_file != NULL ? o->contract_file
											: o->trusted_root_file)) != 0)
			goto fail;
	} else {
		for (size_t i = 0; i < o->n_key_files; i++)
			if (json_array_append_new(files, json_string(o->key_files[i])) != 0)
				goto fail;
	}
	return json_pack("{s:s, s:o, s:b}", "Kind",
			 o->policy_file != NULL	      ? "policy"
			 : o->contract_file != NULL   ? "contract"
			 : o->trusted_root_file != NULL ? "trusted-root"
							: "keys",
			 "Files",
			 files, "Named", !o->policy_is_default);
fail:
	json_decref(files);
	return NULL;
}
