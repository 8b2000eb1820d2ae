/* SPDX-License-Identifier: Apache-2.0 */
/* cli/common.c: option handling, errors and exit codes shared by commands. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

void cli_common_init(struct cli_common *c)
{
	static const signet_ctx_options init = SIGNET_CTX_OPTIONS_INIT;

	memset(c, 0, sizeof(*c));
	c->opts = init;
}

static int parse_bool(const char *arg, int *out)
{
	if (arg == NULL || strcmp(arg, "true") == 0) {
		*out = 1;
		return 0;
	}
	if (strcmp(arg, "false") == 0) {
		*out = 0;
		return 0;
	}
	return -1;
}

static void log_stderr(void *userdata, int level, const char *message)
{
	static const char *names[] = { "debug", "info", "warning" };

	(void)userdata;
	fprintf(stderr, "signet: %s: %s\n", level >= 0 && level <= 2 ? names[level] : "log", message);
}

int cli_common_option(struct cli_common *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_TLS_VERIFY:
		if (parse_bool(arg, &c->opts.tls_verify) != 0) {
			cli_usage_error("--tls-verify takes true or false, not \"%s\"", arg);
			return -1;
		}
		return 0;
	case OPT_CERT_DIR:
		c->opts.cert_dir = arg;
		return 0;
	case OPT_CREDS:
		if (strchr(arg, ':') == NULL) {
			cli_usage_error("--creds takes USER:PASSWORD");
			return -1;
		}
		c->opts.creds = arg;
		return 0;
	case OPT_AUTHFILE:
		c->opts.authfile = arg;
		return 0;
	case OPT_JSON:
		c->json = 1;
		return 0;
	case 'v':
		c->verbose = 1;
		c->opts.log = log_stderr;
		return 0;
	case 'q':
		c->quiet = 1;
		return 0;
	default:
		return 1;
	}
}

int cli_ctx_new(signet_ctx **out, const struct cli_common *c)
{
	int rc = signet_ctx_new(out, &c->opts);

	if (rc != 0)
		fprintf(stderr, "signet: cannot create a context: %s\n", signet_strerror(rc));
	return rc;
}

int cli_exit_code(int rc)
{
	switch (rc) {
	case SIGNET_OK:
		return EXIT_ALLOWED;
	case SIGNET_EDENIED:
	case SIGNET_EINTEGRITY:
		return EXIT_DENIED;
	case SIGNET_EINVAL:
	case SIGNET_EBADINPUT:
	case SIGNET_ELIMIT:
	case SIGNET_EUNSUPPORTED:
		return EXIT_USAGE;
	default:
		return EXIT_UNREACHABLE;
	}
}

int cli_fail(signet_ctx *ctx, int rc)
{
	const char *msg = signet_ctx_errmsg(ctx);

	fprintf(stderr, "signet: %s\n", msg[0] != '\0' ? msg : signet_strerror(rc));
	return cli_exit_code(rc);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("signet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}
