/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/credhelper.c: asks a docker credential helper for a registry's
 * credentials, as the docker-credential-helpers protocol defines it:
 * `docker-credential-NAME get`, the server URL on standard input, the reply
 * {"ServerURL": ..., "Username": ..., "Secret": ...} on standard output, or
 * an exit status other than 0 with "credentials not found in native
 * keychain" when the helper holds nothing for that server.
 *
 * The helper is found in PATH and started with posix_spawnp: no shell, its
 * standard input a pipe already holding the URL, standard output a pipe,
 * standard error /dev/null, every other descriptor closed, signals at
 * their defaults.  Its reply is bounded (SIGNET_MAX_CREDHELPER_REPLY) and
 * it is killed at the deadline.  The secret is never put on a command
 * line, never put in a message, and wiped from every buffer it passed.
 */
#include "registry.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

extern char **environ;

/* What docker's helpers print when they hold nothing for the server. */
#define NOT_FOUND_REPLY "credentials not found in native keychain"

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Moves *fd above the standard descriptors, so that the helper's dup2s
 * cannot overwrite one another when the caller runs with 0, 1 or 2 closed. */
static int fd_high(int *fd)
{
	int n;

	if (*fd > 2)
		return 0;
	if ((n = fcntl(*fd, F_DUPFD_CLOEXEC, 3)) < 0)
		return -1;
	close(*fd);
	*fd = n;
	return 0;
}

/* Starts prog get with input on its standard input; *outfd reads its
 * standard output. */
static int spawn_helper(pid_t *pid, int *outfd, const char *prog, const char *input, struct sn_err *e)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, devnull = -1, rc, err;
	char *argv[] = {(char *)prog, (char *)"get", NULL};
	size_t len = strlen(input);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;

	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0 || fd_high(&in[0]) != 0 ||
	    fd_high(&out[1]) != 0 || fd_high(&devnull) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "credential helper %s: cannot make pipes: %s", prog,
		               strerror(errno));
		goto out;
	}
	/* The URL fits in the pipe's buffer: written before the helper starts,
	 * the write neither blocks nor raises SIGPIPE. */
	if (len >= PIPE_BUF || write(in[1], input, len) != (ssize_t)len) {
		rc = sn_seterr(e, SIGNET_EIO, "credential helper %s: cannot write the server URL", prog);
		goto out;
	}
	close_fd(&in[1]);
	if (posix_spawn_file_actions_init(&fa) != 0) {
		rc = sn_enomem(e);
		goto out;
	}
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		rc = sn_enomem(e);
		goto out;
	}
	sigemptyset(&none);
	sigfillset(&all);
	err = posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	if (err == 0)
		err = posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	if (err == 0)
		err = posix_spawn_file_actions_adddup2(&fa, devnull, 2);
	if (err == 0)
		err = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (err == 0)
		err = posix_spawnattr_setsigmask(&at, &none);
	if (err == 0)
		err = posix_spawnattr_setsigdefault(&at, &all);
	if (err == 0)
		err = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (err == 0)
		err = posix_spawnp(pid, prog, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "credential helper %s: cannot run it%s: %s", prog,
		               err == ENOENT ? " (not found in PATH)" : "", strerror(err));
		goto out;
	}
	*outfd = out[0];
	out[0] = -1;
	rc = 0;
out:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&devnull);
	return rc;
}

static void kill_reap(pid_t pid)
{
	int status;

	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* The reply: read into one buffer allocated at its limit, so that no
 * realloc leaves a copy of the secret behind. */
struct reply {
	unsigned char *data; /* SIGNET_MAX_CREDHELPER_REPLY + 1 bytes */
	size_t len;
};

/* Reads the helper's standard output until it closes it.  Returns 0,
 * SIGNET_ELIMIT (too long), 1 (deadline passed) or SIGNET_EIO. */
static int read_reply(struct reply *b, int fd, int64_t deadline_ms)
{
	int rc = 0;

	for (;;) {
		int64_t left = deadline_ms - sn_now_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (left <= 0) {
			rc = 1;
			break;
		}
		if (poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			rc = SIGNET_EIO;
			break;
		}
		if (p.revents == 0)
			continue;
		/* One byte more than the limit is room to see it crossed. */
		if ((n = read(fd, b->data + b->len, SIGNET_MAX_CREDHELPER_REPLY + 1 - b->len)) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			rc = SIGNET_EIO;
			break;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > SIGNET_MAX_CREDHELPER_REPLY) {
			rc = SIGNET_ELIMIT;
			break;
		}
	}
	return rc;
}

/* Waits for the helper to exit.  Returns 0 (status set) or 1 (deadline). */
static int wait_exit(int *status, pid_t pid, int64_t deadline_ms)
{
	const struct timespec pause = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return 1;
		if (sn_now_ms() >= deadline_ms)
			return 1;
		nanosleep(&pause, NULL);
	}
}

/* A reply member that must be a string without NUL bytes. */
static int reply_string(const char **out, json_t *root, const char *name, const char *prog, struct sn_err *e)
{
	json_t *v = json_object_get(root, name);

	if (v == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "credential helper %s: reply: no \"%s\"", prog, name);
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "credential helper %s: reply: \"%s\" is not a string without NUL bytes",
		                 prog, name);
	*out = json_string_value(v);
	return 0;
}

static void wipe_string(json_t *root, const char *name)
{
	json_t *v = json_object_get(root, name);

	/* jansson owns these bytes and is about to free them. */
	if (json_is_string(v))
		OPENSSL_cleanse((char *)json_string_value(v), json_string_length(v));
}

static int parse_reply(char **user, char **pass, const struct reply *b, const char *prog,
                       const char *server_url, struct sn_err *e)
{
	const char *u = NULL, *s = NULL;
	json_t *root = NULL;
	char what[256];
	int rc;

	snprintf(what, sizeof(what), "credential helper %s: reply for %s", prog, server_url);
	if ((rc = sn_json_parse_secret(&root, b->data, b->len, what, e)) != 0)
		return rc;
	if (!json_is_object(root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "credential helper %s: reply for %s is not a JSON object",
		               prog, server_url);
		goto out;
	}
	if ((rc = reply_string(&u, root, "Username", prog, e)) != 0 ||
	    (rc = reply_string(&s, root, "Secret", prog, e)) != 0)
		goto out;
	if (strcmp(u, "<token>") == 0) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED,
		               "credential helper %s: gave an identity token (user name \"<token>\") for %s: "
		               "signet does not use identity tokens (the OAuth2 refresh_token flow); give a "
		               "user name and password (--creds, or an auth file)",
		               prog, server_url);
		goto out;
	}
	if (u[0] == '\0' || s[0] == '\0') {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "credential helper %s: reply for %s: empty %s", prog,
		               server_url, u[0] == '\0' ? "Username" : "Secret");
		goto out;
	}
	if ((*user = sn_strdup(u, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((*pass = sn_strdup(s, e)) == NULL) {
		free(*user);
		*user = NULL;
		rc = SIGNET_ENOMEM;
	}
out:
	wipe_string(root, "Secret");
	json_decref(root);
	return rc;
}

/* The reply without surrounding white space is exactly the not-found
 * message? */
static int is_not_found(const struct reply *b)
{
	const char *p = (const char *)b->data;
	size_t n = b->len, m = strlen(NOT_FOUND_REPLY);

	if (p == NULL)
		return 0;
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	return n == m && memcmp(p, NOT_FOUND_REPLY, m) == 0;
}

int sn_credhelper_get(char **user, char **pass, const char *name, const char *server_url, int64_t deadline_ms,
                      struct sn_err *e)
{
	char prog[128];
	struct reply reply = {0};
	char *u = NULL, *p = NULL;
	int fd = -1, status = 0, rc;
	int64_t allowed = deadline_ms - sn_now_ms();
	pid_t pid;

	if (user == NULL || pass == NULL || name == NULL || server_url == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "sn_credhelper_get: NULL argument");
	if ((size_t)snprintf(prog, sizeof(prog), "docker-credential-%s", name) >= sizeof(prog))
		return sn_seterr(e, SIGNET_EINVAL, "credential helper name too long");
	if ((reply.data = malloc(SIGNET_MAX_CREDHELPER_REPLY + 1)) == NULL)
		return sn_enomem(e);
	if ((rc = spawn_helper(&pid, &fd, prog, server_url, e)) != 0)
		goto out;
	rc = read_reply(&reply, fd, deadline_ms);
	close_fd(&fd);
	if (rc == 1) {
		kill_reap(pid);
		rc = sn_seterr(e, SIGNET_EIO,
		               "credential helper %s: no answer for %s within %lld ms: killed "
		               "(SIGNET_CREDHELPER_TIMEOUT_MS or the image deadline)",
		               prog, server_url, (long long)allowed);
		goto out;
	}
	if (rc == SIGNET_ELIMIT) {
		kill_reap(pid);
		rc = sn_seterr(e, SIGNET_ELIMIT,
		               "credential helper %s: reply for %s larger than the limit of %u bytes "
		               "(SIGNET_MAX_CREDHELPER_REPLY)",
		               prog, server_url, SIGNET_MAX_CREDHELPER_REPLY);
		goto out;
	}
	if (rc != 0) {
		kill_reap(pid);
		rc = sn_seterr(e, SIGNET_EIO, "credential helper %s: cannot read its reply", prog);
		goto out;
	}
	if (wait_exit(&status, pid, deadline_ms) != 0) {
		kill_reap(pid);
		rc = sn_seterr(e, SIGNET_EIO,
		               "credential helper %s: did not exit for %s within %lld ms: killed "
		               "(SIGNET_CREDHELPER_TIMEOUT_MS or the image deadline)",
		               prog, server_url, (long long)allowed);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status) && is_not_found(&reply)) {
			*user = *pass = NULL;
			rc = 0;
			goto out;
		}
		/* The reply of a failed helper is not shown: it might hold a secret. */
		if (WIFEXITED(status))
			rc = sn_seterr(e, SIGNET_EIO,
			               "credential helper %s: get for %s failed (exit status %d)", prog,
			               server_url, WEXITSTATUS(status));
		else
			rc = sn_seterr(e, SIGNET_EIO, "credential helper %s: get for %s killed by signal %d",
			               prog, server_url, WTERMSIG(status));
		goto out;
	}
	if ((rc = parse_reply(&u, &p, &reply, prog, server_url, e)) != 0)
		goto out;
	*user = u;
	*pass = p;
out:
	OPENSSL_cleanse(reply.data, reply.len);
	free(reply.data);
	return rc;
}
