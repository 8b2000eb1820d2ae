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

/* A boolean as skopeo reads one (Go's strconv.ParseBool): 1 t T TRUE true
 * True, 0 f F FALSE false False; no argument is true. */
static int parse_bool(const char *arg, int *out)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};

	if (arg == NULL) {
		*out = 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(arg, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(arg, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* A duration: whole seconds ("90"), or numbers with units as Go and
 * skopeo write them ("90s", "2m", "1m30s", "500ms", "1h").  0 < result. */
static int parse_duration_ms(const char *arg, long *out)
{
	static const struct {
		const char *unit;
		long ms;
	} units[] = {{"ms", 1}, {"h", 3600000L}, {"m", 60000L}, {"s", 1000L}};
	const long max = 7L * 24 * 3600000L; /* a week: more is a typo */
	const char *p = arg;
	long total = 0;

	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		const char *start = p;
		long n = 0, ms = 0;
		size_t i;

		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (n > max)
				return -1;
			n = n * 10 + (*p - '0');
		}
		if (*p == '\0' && start == arg) {
			ms = 1000L; /* bare seconds, the whole argument */
		} else {
			for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
				size_t ul = strlen(units[i].unit);

				if (strncmp(p, units[i].unit, ul) == 0) {
					ms = units[i].ms;
					p += ul;
					break;
				}
			}
			if (ms == 0)
				return -1;
		}
		if (n > max / ms || (total += n * ms) > max)
			return -1;
	}
	if (total <= 0)
		return -1;
	*out = total;
	return 0;
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
			cli_usage_error("--tls-verify takes true or false (or 1, t, T, TRUE, True, 0, f, F, "
			                "FALSE, False, "
			                "as skopeo), not \"%s\"",
			                arg);
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
	case OPT_TIMEOUT:
		if (parse_duration_ms(arg, &c->opts.image_timeout_ms) != 0) {
			cli_usage_error(
			    "--timeout takes a duration from 1ms to a week (90, 90s, 2m, 1m30s, 500ms), "
			    "not \"%s\"",
			    arg);
			return -1;
		}
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

/* "signet " + a command and a subcommand name, for getopt's messages. */
#define CLI_COMMAND_NAME_MAX 64

static const char *command_name = "";

void cli_set_command(const char *name)
{
	command_name = name;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	/* A subcommand (policy lint, audit merge) gets argv from its
	 * command, argv[0] being its own name. */
	int sub = argc > 0 && strcmp(argv[0], command_name) != 0;
	char name[CLI_COMMAND_NAME_MAX], *own = argc > 0 ? argv[0] : NULL;
	int opt;

	/* getopt's messages start with argv[0]: "signet policy lint: ..." */
	if (own != NULL && snprintf(name, sizeof(name), "signet %s%s%s", command_name, sub ? " " : "",
	                            sub ? own : "") < (int)sizeof(name))
		argv[0] = name;
	opt = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (own != NULL)
		argv[0] = own;
	if (opt == '?' || opt == ':')
		fprintf(stderr, "Try 'signet %s%s%s --help' for more information.\n", command_name,
		        sub ? " " : "", sub ? own : "");
	return opt;
}

int cli_is_stdout(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}
