/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli/passphrase.c: where the passphrase of a cosign-format key comes
 * from when no --passphrase-file is given, as cosign does it:
 * COSIGN_PASSWORD (set, even empty, it is the passphrase), else a prompt
 * on the terminal with echo off when stdin is one.  The terminal is put
 * back on every path, a fatal signal included.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PROMPT       "Enter password for private key: "
#define PROMPT_AGAIN "Enter password for private key again: "

/* The signals that end the process while echo is off. */
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/* For the signal handler: the terminal to restore and how. */
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved;
/* The line being read, wiped by the handler too. */
static char line_buf[SIGNET_PASSPHRASE_MAX + 2];

static void on_fatal_signal(int sig)
{
	int fd = tty_fd;

	if (fd >= 0) {
		(void)tcsetattr(fd, TCSAFLUSH, &tty_saved);
		if (write(fd, "\n", 1) < 0) {
			/* nothing more to do: the process is ending */
		}
	}
	explicit_bzero(line_buf, sizeof(line_buf));
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
}

/* Reads one line from fd with echo off after writing prompt to it.
 * Returns 0 (line in line_buf, *len bytes), SIGNET_ELIMIT (too long),
 * SIGNET_EINVAL (end of input before a newline) or SIGNET_EIO. */
static int read_hidden(int fd, const char *prompt, size_t *len)
{
	struct sigaction sa, old[N_FATAL];
	struct termios quiet;
	size_t n = 0;
	int rc = 0, too_long = 0;

	if (tcgetattr(fd, &tty_saved) != 0)
		return SIGNET_EIO;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	(void)sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_FATAL; i++)
		(void)sigaction(fatal_signals[i], &sa, &old[i]);
	tty_fd = fd;
	quiet = tty_saved;
	quiet.c_lflag &= (tcflag_t) ~(ECHO | ECHOE | ECHOK | ECHONL);
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
		rc = SIGNET_EIO;
		goto out;
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		rc = SIGNET_EIO;
		goto out;
	}
	for (;;) {
		char c;
		ssize_t got = read(fd, &c, 1);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = SIGNET_EIO;
			break;
		}
		if (got == 0) {
			rc = SIGNET_EINVAL;
			break;
		}
		if (c == '\n')
			break;
		if (n < SIGNET_PASSPHRASE_MAX)
			line_buf[n++] = c;
		else
			too_long = 1;
	}
	if (n > 0 && line_buf[n - 1] == '\r')
		n--;
	if (rc == 0 && too_long)
		rc = SIGNET_ELIMIT;
	*len = n;
out:
	(void)tcsetattr(fd, TCSANOW, &tty_saved);
	if (write(fd, "\n", 1) < 0 && rc == 0)
		rc = SIGNET_EIO;
	tty_fd = -1;
	for (size_t i = 0; i < N_FATAL; i++)
		(void)sigaction(fatal_signals[i], &old[i], NULL);
	if (rc != 0)
		explicit_bzero(line_buf, sizeof(line_buf));
	return rc;
}

/* Asks on the terminal (twice when confirm) into p. */
static int ask(struct cli_passphrase *p, int confirm)
{
	size_t len = 0, len2 = 0;
	int fd, rc;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "signet: cannot open the terminal to ask for the passphrase: %s\n",
		        strerror(errno));
		return SIGNET_EIO;
	}
	if ((rc = read_hidden(fd, PROMPT, &len)) != 0)
		goto failed;
	memcpy(p->buf, line_buf, len);
	explicit_bzero(line_buf, sizeof(line_buf));
	if (confirm) {
		if ((rc = read_hidden(fd, PROMPT_AGAIN, &len2)) != 0)
			goto failed;
		if (len2 != len || memcmp(line_buf, p->buf, len) != 0)
			rc = SIGNET_EINVAL;
		explicit_bzero(line_buf, sizeof(line_buf));
		if (rc != 0) {
			fprintf(stderr, "signet: passwords do not match\n");
			goto out;
		}
	}
	p->len = len;
	p->have = 1;
	goto out;
failed:
	if (rc == SIGNET_ELIMIT)
		fprintf(stderr, "signet: the passphrase is longer than %d bytes\n", SIGNET_PASSPHRASE_MAX);
	else if (rc == SIGNET_EINVAL)
		fprintf(stderr, "signet: no passphrase read from the terminal (end of input)\n");
	else
		fprintf(stderr, "signet: reading the passphrase from the terminal failed\n");
out:
	if (rc != 0)
		explicit_bzero(p->buf, sizeof(p->buf));
	(void)close(fd);
	return rc;
}

int cli_passphrase_get(struct cli_passphrase *p, int confirm)
{
	const char *env;
	size_t n;

	if (p->have)
		return 0;
	if ((env = getenv("COSIGN_PASSWORD")) != NULL) {
		if ((n = strlen(env)) > SIGNET_PASSPHRASE_MAX) {
			fprintf(stderr, "signet: COSIGN_PASSWORD is longer than %d bytes\n",
			        SIGNET_PASSPHRASE_MAX);
			return SIGNET_ELIMIT;
		}
		memcpy(p->buf, env, n);
		p->len = n;
		p->have = 1;
		return 0;
	}
	if (isatty(STDIN_FILENO))
		return ask(p, confirm);
	p->none = 1;
	return SIGNET_ENOTFOUND;
}

int cli_passphrase_cb(char *buf, size_t size, size_t *len, const char *key, void *payload)
{
	struct cli_passphrase *p = payload;
	int rc;

	(void)key;
	if ((rc = cli_passphrase_get(p, 0)) != 0)
		return rc;
	if (p->len > size)
		return SIGNET_ELIMIT;
	memcpy(buf, p->buf, p->len);
	*len = p->len;
	return 0;
}

void cli_passphrase_wipe(struct cli_passphrase *p)
{
	explicit_bzero(p, sizeof(*p));
}
