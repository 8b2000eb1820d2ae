/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_limits.c: the limits of SPEC §7 that only a server can
 * cross, each crossed against signet-testserver hostile (tests/helpers/
 * testserver.c, path in $TESTSERVER) on loopback through the internal
 * registry client, plain HTTP (tls_verify off):
 *
 *   SIGNET_MAX_TOKEN_RESPONSE_SIZE   token response of the limit (accepted), +1 (sized, streamed)
 *   SIGNET_MAX_TAGS_PAGE             tags page and catalog page of 10,000 (accepted) and 10,001
 *   SIGNET_MAX_TAGS_TOTAL            1,000,000 tags over 100 pages (accepted), endless tags, catalog
 *   request_timeout_ms               a server that never answers; one that trickles a byte per 100 ms
 *                                    (a body, and an answer head: h1/slow-head)
 *   connect_timeout_ms               a listening socket whose backlog is full (SYNs dropped)
 *   SIGNET_CONNECT/REQUEST_TIMEOUT_MS  the defaults a context gets
 *   SIGNET_IMAGE_TIMEOUT_MS          its default, version 1 options; the deadline of one image cuts a
 *                                    request that its own timeout would let go on, and the waits
 *                                    between retries (Retry-After: 3600)
 *   SIGNET_MAX_RETRY_AFTER_S         503 with Retry-After: 3600 / an HTTP-date a day ahead: the wait
 *                                    the client announces (debug log) before sleeping is the cap
 *   SIGNET_MAX_ERROR_BODY_SIZE       404 error body of the limit (quoted) and +1 on a connection
 *                                    held open (cut at the limit, not waited for)
 *
 * Covered elsewhere: SIGNET_MAX_AUTHFILE_SIZE in test_authfile.c
 * (test_file_too_large), SIGNET_MAX_MANIFEST_SIZE and SIGNET_MAX_REDIRECTS
 * against this server in tests/integration/hostile.sh, the lookaside ones in
 * test_lookaside.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "registry/client_internal.h"

/* ---- the server --------------------------------------------------------- */

static struct {
	pid_t pid;
	int out; /* its stdout */
	int port, port2;
} ts = {0, -1, 0, 0};

/* A forked client (test_retry_after), killed by the teardown too. */
static pid_t child;
/* A listening socket and the connections that fill its backlog. */
static int backlog_fds[8] = {-1, -1, -1, -1, -1, -1, -1, -1};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A loopback port nothing listened on a moment ago. */
static int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static void server_stop(void)
{
	if (ts.pid > 0) {
		kill(ts.pid, SIGKILL);
		(void)waitpid(ts.pid, NULL, 0);
	}
	if (ts.out >= 0)
		close(ts.out);
	ts.pid = 0;
	ts.out = -1;
}

/* Starts the server and waits (10 s at most) for its "ready". */
static int server_try(const char *path)
{
	char p1[16], p2[16], buf[64];
	size_t len = 0;
	int64_t end = now_ms() + 10000;
	int pipefd[2];

	ts.port = free_port();
	ts.port2 = free_port();
	if (ts.port <= 0 || ts.port2 <= 0 || ts.port == ts.port2 || pipe2(pipefd, O_CLOEXEC) != 0)
		return -1;
	snprintf(p1, sizeof(p1), "%d", ts.port);
	snprintf(p2, sizeof(p2), "%d", ts.port2);
	ts.pid = fork();
	if (ts.pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (ts.pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
		if (dup2(pipefd[1], STDOUT_FILENO) < 0)
			_exit(127);
		execl(path, path, "hostile", "--port", p1, "--port2", p2, "--max-requests", "100000",
		      "--lifetime", "120", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	ts.out = pipefd[0];
	while (len < sizeof(buf) - 1 && now_ms() < end) {
		struct pollfd p = {.fd = ts.out, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		if ((n = read(ts.out, buf + len, sizeof(buf) - 1 - len)) <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "ready\n") != NULL)
			return 0;
	}
	server_stop();
	return -1;
}

static int setup_server(void **state)
{
	const char *path = getenv("TESTSERVER");

	(void)state;
	if (path == NULL || access(path, X_OK) != 0) {
		fprintf(stderr, "TESTSERVER must name the signet-testserver binary (meson test sets it)\n");
		return -1;
	}
	/* a port taken between free_port() and the server's bind: again */
	for (int i = 0; i < 3; i++)
		if (server_try(path) == 0)
			return 0;
	fprintf(stderr, "signet-testserver did not start\n");
	return -1;
}

static int teardown_server(void **state)
{
	(void)state;
	server_stop();
	return 0;
}

/* Per test: the forked client and the sockets, if a failed assertion
 * left them. */
static int teardown_test(void **state)
{
	(void)state;
	if (child > 0) {
		kill(child, SIGKILL);
		(void)waitpid(child, NULL, 0);
		child = 0;
	}
	for (size_t i = 0; i < sizeof(backlog_fds) / sizeof(backlog_fds[0]); i++) {
		if (backlog_fds[i] >= 0)
			close(backlog_fds[i]);
		backlog_fds[i] = -1;
	}
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static signet_ctx *mkctx(long connect_ms, long request_ms, signet_log_fn log, void *userdata)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	signet_ctx *ctx = NULL;

	o.tls_verify = 0; /* plain HTTP on loopback */
	o.connect_timeout_ms = connect_ms;
	o.request_timeout_ms = request_ms;
	o.log = log;
	o.log_userdata = userdata;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	return ctx;
}

static struct sn_registry *reg(signet_ctx *ctx, int port)
{
	struct sn_registry *r = NULL;
	struct sn_err e = {0};
	char domain[32];

	snprintf(domain, sizeof(domain), "127.0.0.1:%d", port);
	assert_int_equal(sn_registry_get(&r, ctx, domain, &e), 0);
	return r;
}

#define assert_msg(e, part)                                                                                \
	do {                                                                                                \
		if (strstr((e)->msg, (part)) == NULL)                                                       \
			fail_msg("message \"%s\" lacks \"%s\"", (e)->msg, (part));                          \
	} while (0)

/* GET repo:latest on a fresh context; returns the code, e has the message. */
static int get_manifest(const char *repo, long request_ms, struct sn_err *e)
{
	signet_ctx *ctx = mkctx(5000, request_ms, NULL, NULL);
	struct sn_registry *r = reg(ctx, ts.port);
	char digest[SN_DIGEST_MAX];
	struct sn_buf b;
	int rc;

	rc = sn_registry_get_manifest(r, repo, "latest", &b, NULL, digest, e);
	sn_buf_free(&b);
	signet_ctx_free(ctx);
	return rc;
}

struct names {
	size_t n;
	char first[32], last[32];
};

static int count_name(void *userdata, const char *name)
{
	struct names *c = userdata;

	if (c->n++ == 0)
		snprintf(c->first, sizeof(c->first), "%s", name);
	snprintf(c->last, sizeof(c->last), "%s", name);
	return 0;
}

/* ---- SIGNET_MAX_TOKEN_RESPONSE_SIZE ------------------------------------- */

static void test_token_response(void **state)
{
	struct sn_err e = {0};
	char want[256];

	(void)state;
	/* exactly the limit: a valid answer, its token used */
	if (get_manifest("token/exact", 20000, &e) != 0)
		fail_msg("token response of exactly the limit: %s", e.msg);
	/* one byte more, announced by Content-Length, then streamed without */
	assert_int_equal(get_manifest("token/big", 20000, &e), SIGNET_ELIMIT);
	snprintf(want, sizeof(want),
	         "token response from http://127.0.0.1:%d/token/big: larger than the limit of %u bytes "
	         "(SIGNET_MAX_TOKEN_RESPONSE_SIZE)",
	         ts.port, SIGNET_MAX_TOKEN_RESPONSE_SIZE);
	assert_msg(&e, want);
	assert_int_equal(get_manifest("token/bigstream", 20000, &e), SIGNET_ELIMIT);
	snprintf(want, sizeof(want),
	         "token response from http://127.0.0.1:%d/token/bigstream: larger than the limit of %u bytes "
	         "(SIGNET_MAX_TOKEN_RESPONSE_SIZE)",
	         ts.port, SIGNET_MAX_TOKEN_RESPONSE_SIZE);
	assert_msg(&e, want);
}

/* ---- SIGNET_MAX_TAGS_PAGE, SIGNET_MAX_TAGS_TOTAL ------------------------ */

static void test_list_page(void **state)
{
	signet_ctx *ctx = mkctx(5000, 20000, NULL, NULL);
	struct sn_registry *r = reg(ctx, ts.port), *r2 = reg(ctx, ts.port2);
	struct names c = {0};
	struct sn_err e = {0};
	char want[256];

	(void)state;
	/* a page of exactly the limit */
	assert_int_equal(sn_registry_list_tags(r, "tags/fullpage", count_name, &c, &e), 0);
	assert_int_equal(c.n, SIGNET_MAX_TAGS_PAGE);
	assert_string_equal(c.last, "t0009999");

	/* one entry more: refused whole, nothing handed out */
	memset(&c, 0, sizeof(c));
	assert_int_equal(sn_registry_list_tags(r, "tags/page", count_name, &c, &e), SIGNET_ELIMIT);
	assert_int_equal(c.n, 0);
	snprintf(want, sizeof(want),
	         "tags list of repository 127.0.0.1:%d/tags/page: a page of %d entries is over the limit "
	         "of %d (SIGNET_MAX_TAGS_PAGE)",
	         ts.port, SIGNET_MAX_TAGS_PAGE + 1, SIGNET_MAX_TAGS_PAGE);
	assert_msg(&e, want);

	/* the catalog likewise (PORT2 serves the oversized catalog page) */
	assert_int_equal(sn_registry_catalog(r2, count_name, &c, &e), SIGNET_ELIMIT);
	assert_int_equal(c.n, 0);
	snprintf(want, sizeof(want),
	         "repositories list of catalog of 127.0.0.1:%d: a page of %d entries is over the limit of %d "
	         "(SIGNET_MAX_TAGS_PAGE)",
	         ts.port2, SIGNET_MAX_TAGS_PAGE + 1, SIGNET_MAX_TAGS_PAGE);
	assert_msg(&e, want);
	signet_ctx_free(ctx);
}

static void test_list_total(void **state)
{
	signet_ctx *ctx = mkctx(5000, 20000, NULL, NULL);
	struct sn_registry *r = reg(ctx, ts.port);
	struct names c = {0};
	struct sn_err e = {0};
	char want[256];

	(void)state;
	/* 100 pages linked by Link headers, exactly the limit in all */
	assert_int_equal(sn_registry_list_tags(r, "tags/total", count_name, &c, &e), 0);
	assert_int_equal(c.n, SIGNET_MAX_TAGS_TOTAL);
	assert_string_equal(c.first, "t0000000");
	assert_string_equal(c.last, "t0999999");

	/* pages without end: stopped at the page that crosses the limit */
	memset(&c, 0, sizeof(c));
	assert_int_equal(sn_registry_list_tags(r, "tags/endless", count_name, &c, &e), SIGNET_ELIMIT);
	assert_int_equal(c.n, SIGNET_MAX_TAGS_TOTAL);
	snprintf(want, sizeof(want),
	         "tags list of repository 127.0.0.1:%d/tags/endless: more than %d entries "
	         "(SIGNET_MAX_TAGS_TOTAL)",
	         ts.port, SIGNET_MAX_TAGS_TOTAL);
	assert_msg(&e, want);

	/* next-page links that go round two pages: refused at the first page
	 * read twice, after 3 requests */
	memset(&c, 0, sizeof(c));
	assert_int_equal(sn_registry_list_tags(r, "tags/cycle", count_name, &c, &e), SIGNET_EREGISTRY);
	assert_int_equal(c.n, 3);
	snprintf(want, sizeof(want),
	         "tags list of repository 127.0.0.1:%d/tags/cycle: the next-page link goes back to a page "
	         "already read, http://127.0.0.1:%d/v2/tags/cycle/tags/list?n=1&last=a",
	         ts.port, ts.port);
	assert_msg(&e, want);

	/* the catalog, endless too */
	memset(&c, 0, sizeof(c));
	assert_int_equal(sn_registry_catalog(r, count_name, &c, &e), SIGNET_ELIMIT);
	assert_int_equal(c.n, SIGNET_MAX_TAGS_TOTAL);
	assert_string_equal(c.last, "r0999999");
	snprintf(want, sizeof(want),
	         "repositories list of catalog of 127.0.0.1:%d: more than %d entries (SIGNET_MAX_TAGS_TOTAL)",
	         ts.port, SIGNET_MAX_TAGS_TOTAL);
	assert_msg(&e, want);
	signet_ctx_free(ctx);
}

/* ---- timeouts ----------------------------------------------------------- */

static void test_timeout_defaults(void **state)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	signet_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(SIGNET_CONNECT_TIMEOUT_MS, 10000);
	assert_int_equal(SIGNET_REQUEST_TIMEOUT_MS, 60000);
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(ctx->connect_timeout_ms, SIGNET_CONNECT_TIMEOUT_MS);
	assert_int_equal(ctx->request_timeout_ms, SIGNET_REQUEST_TIMEOUT_MS);
	signet_ctx_free(ctx);
	o.connect_timeout_ms = 300;
	o.request_timeout_ms = 500;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(ctx->connect_timeout_ms, 300);
	assert_int_equal(ctx->request_timeout_ms, 500);
	signet_ctx_free(ctx);
	o.request_timeout_ms = -1;
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);

	/* The deadline of one image: 120 s unless set; a version 1 struct
	 * (without the field) gets the default; negative is refused. */
	assert_int_equal(SIGNET_IMAGE_TIMEOUT_MS, 120000);
	o = (signet_ctx_options)SIGNET_CTX_OPTIONS_INIT;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(ctx->image_timeout_ms, SIGNET_IMAGE_TIMEOUT_MS);
	assert_int_equal(ctx->deadline_ms, 0);
	signet_ctx_free(ctx);
	o.image_timeout_ms = 1500;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(ctx->image_timeout_ms, 1500);
	signet_ctx_free(ctx);
	o.version = 1;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(ctx->image_timeout_ms, SIGNET_IMAGE_TIMEOUT_MS);
	signet_ctx_free(ctx);
	o.version = 2;
	o.image_timeout_ms = -1;
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);
	o.version = 4;
	o.image_timeout_ms = 0;
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);
	/* credential_sources: read from version 3 on, unknown bits refused;
	 * a version 1 or 2 struct has no such field and searches nothing. */
	o.version = 3;
	o.credential_sources = SIGNET_CREDS_SEARCH | SIGNET_CREDS_HELPERS;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(ctx->credential_sources, SIGNET_CREDS_SEARCH | SIGNET_CREDS_HELPERS);
	signet_ctx_free(ctx);
	o.credential_sources = 0x4u;
	assert_int_equal(signet_ctx_new(&ctx, &o), SIGNET_EINVAL);
	o.version = 2;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	assert_int_equal(ctx->credential_sources, 0);
	signet_ctx_free(ctx);
}

/* The deadline of one image bounds every request made meanwhile, and the
 * waits between them, whatever each request's own timeout allows. */
static void test_image_deadline(void **state)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	signet_ctx *ctx = NULL;
	struct sn_registry *r;
	struct sn_err e = {0};
	char digest[SN_DIGEST_MAX], want[256];
	struct sn_buf b;
	int64_t t0, ms;
	int began;

	(void)state;
	o.tls_verify = 0;
	o.request_timeout_ms = 10000;
	o.image_timeout_ms = 600;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	r = reg(ctx, ts.port);
	/* one byte every 100 ms: the request alone may take 10 s, the image 600 ms */
	began = sn_deadline_begin(ctx);
	assert_int_equal(began, 1);
	assert_int_equal(sn_deadline_begin(ctx), 0); /* nested: the outer deadline stays */
	t0 = now_ms();
	assert_int_equal(sn_registry_get_manifest(r, "trickle/x", "latest", &b, NULL, digest, &e),
	                 SIGNET_ENETWORK);
	ms = now_ms() - t0;
	snprintf(
	    want, sizeof(want),
	    "GET http://127.0.0.1:%d/v2/trickle/x/manifests/latest: the deadline of 600 ms for this image "
	    "passed (--timeout; default SIGNET_IMAGE_TIMEOUT_MS, 120000 ms)",
	    ts.port);
	assert_msg(&e, want);
	if (ms < 450 || ms > 4000)
		fail_msg("a 600 ms deadline on a trickling answer took %lld ms", (long long)ms);
	/* past it, nothing more is asked */
	t0 = now_ms();
	assert_int_equal(sn_registry_get_manifest(r, "good/image", "latest", &b, NULL, digest, &e),
	                 SIGNET_ENETWORK);
	assert_msg(&e, "the deadline of 600 ms for this image passed");
	assert_true(now_ms() - t0 < 100);
	sn_deadline_end(ctx, began);
	/* a new image, a new deadline: the same request succeeds */
	began = sn_deadline_begin(ctx);
	if (sn_registry_get_manifest(r, "good/image", "latest", &b, NULL, digest, &e) != 0)
		fail_msg("%s", e.msg);
	sn_buf_free(&b);
	sn_deadline_end(ctx, began);
	assert_int_equal(ctx->deadline_ms, 0);
	signet_ctx_free(ctx);
}

static void test_request_timeout(void **state)
{
	struct sn_err e = {0};
	char want[256];
	int64_t t0, ms;

	(void)state;
	/* the server reads the request and never answers */
	t0 = now_ms();
	assert_int_equal(get_manifest("stall/x", 500, &e), SIGNET_ENETWORK);
	ms = now_ms() - t0;
	snprintf(want, sizeof(want), "GET http://127.0.0.1:%d/v2/stall/x/manifests/latest: timed out: ",
	         ts.port);
	assert_msg(&e, want);
	if (ms < 450 || ms > 4000)
		fail_msg("a 500 ms request timeout took %lld ms", (long long)ms);

	/* one byte every 100 ms: never idle, but the whole request is bounded */
	t0 = now_ms();
	assert_int_equal(get_manifest("trickle/x", 500, &e), SIGNET_ENETWORK);
	ms = now_ms() - t0;
	snprintf(want, sizeof(want), "GET http://127.0.0.1:%d/v2/trickle/x/manifests/latest: timed out: ",
	         ts.port);
	assert_msg(&e, want);
	if (ms < 450 || ms > 4000)
		fail_msg("a 500 ms request timeout on a trickling answer took %lld ms", (long long)ms);

	/* an answer head that never ends, one byte every 100 ms */
	t0 = now_ms();
	assert_int_equal(get_manifest("h1/slow-head/x", 500, &e), SIGNET_ENETWORK);
	ms = now_ms() - t0;
	snprintf(want, sizeof(want),
	         "GET http://127.0.0.1:%d/v2/h1/slow-head/x/manifests/latest: timed out: ", ts.port);
	assert_msg(&e, want);
	if (ms < 450 || ms > 4000)
		fail_msg("a 500 ms request timeout on a trickling head took %lld ms", (long long)ms);
}

/*
 * No route off loopback may be used here, so the unanswered connect is a
 * listening socket whose accept queue is full: Linux drops further SYNs
 * (tcp_abort_on_overflow is 0 by default) and a connect waits.
 */
static int full_backlog_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	struct timespec pause = {0, 100 * 1000 * 1000};
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(lfd >= 0);
	backlog_fds[0] = lfd;
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(lfd, 0), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
	/* never accepted: the first fills the queue, the rest wait with the client's */
	for (size_t i = 1; i < 4; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		assert_true(fd >= 0);
		backlog_fds[i] = fd;
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS)
			fail_msg("connect: %s", strerror(errno));
	}
	nanosleep(&pause, NULL);
	return ntohs(a.sin_port);
}

static void test_connect_timeout(void **state)
{
	signet_ctx *ctx = mkctx(300, 10000, NULL, NULL);
	struct sn_registry *r = reg(ctx, full_backlog_port());
	struct sn_err e = {0};
	int64_t t0 = now_ms(), ms;

	(void)state;
	/* https, then the plain-HTTP fallback: each connect gives up after
	 * connect_timeout_ms, long before the 10 s request timeout */
	assert_int_equal(sn_registry_ping(r, &e), SIGNET_ENETWORK);
	ms = now_ms() - t0;
	assert_msg(&e, "GET https://127.0.0.1:");
	assert_msg(&e, "/v2/: timed out: ");
	assert_msg(&e, "; plain HTTP fallback: GET http://127.0.0.1:");
	if (strstr(strstr(e.msg, "plain HTTP fallback"), "timed out") == NULL)
		fail_msg("the fallback did not time out: %s", e.msg);
	if (ms < 550 || ms > 4000)
		fail_msg("two 300 ms connect timeouts took %lld ms", (long long)ms);
	signet_ctx_free(ctx);
	teardown_test(NULL);
}

/* ---- SIGNET_MAX_RETRY_AFTER_S ------------------------------------------- */

static void log_to_fd(void *userdata, int level, const char *message)
{
	int fd = *(int *)userdata;

	(void)level;
	(void)!write(fd, message, strlen(message));
	(void)!write(fd, "\n", 1);
}

/*
 * The wait the client announces (its debug log) for a 503 on repo, read
 * from a forked client that is killed as soon as it has said it: the wait
 * itself would be up to SIGNET_MAX_RETRY_AFTER_S.  Returns the log line.
 */
static void retry_line(const char *repo, char *line, size_t size)
{
	char buf[16384];
	size_t len = 0;
	int64_t end = now_ms() + 10000;
	int pipefd[2];
	char *hit = NULL, *nl;

	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* no cmocka here: an assertion would unwind into the parent's test */
		signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
		signet_ctx *ctx = NULL;
		struct sn_registry *r = NULL;
		struct sn_buf b;
		char domain[32];

		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pipefd[0]);
		o.tls_verify = 0;
		o.log = log_to_fd;
		o.log_userdata = &pipefd[1];
		snprintf(domain, sizeof(domain), "127.0.0.1:%d", ts.port);
		if (signet_ctx_new(&ctx, &o) == 0 && sn_registry_get(&r, ctx, domain, NULL) == 0)
			(void)sn_registry_get_manifest(r, repo, "latest", &b, NULL, NULL, NULL);
		_exit(0);
	}
	close(pipefd[1]);
	while (len < sizeof(buf) - 1 && now_ms() < end) {
		struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		if ((n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len)) <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if ((hit = strstr(buf, "retrying in ")) != NULL && strchr(hit, '\n') != NULL)
			break;
		hit = NULL;
	}
	close(pipefd[0]);
	teardown_test(NULL);
	if (hit == NULL)
		fail_msg("%s: no retry announced; the client said: %s", repo, buf);
	nl = strchr(hit, '\n');
	snprintf(line, size, "%.*s", (int)(nl - hit), hit);
}

static void test_retry_after(void **state)
{
	char line[256], want[64];

	(void)state;
	/* below the cap, the server's wait is honoured... */
	retry_line("retry/2", line, sizeof(line));
	assert_string_equal(line, "retrying in 2000 ms (retry 1 of 3)");
	/* ...an hour is cut to the cap, in seconds or as an HTTP-date */
	snprintf(want, sizeof(want), "retrying in %d ms (retry 1 of 3)", SIGNET_MAX_RETRY_AFTER_S * 1000);
	retry_line("retry/3600", line, sizeof(line));
	assert_string_equal(line, want);
	retry_line("retry/date", line, sizeof(line));
	assert_string_equal(line, want);
}

/* ---- SIGNET_MAX_ERROR_BODY_SIZE ----------------------------------------- */

static void test_error_body(void **state)
{
	struct sn_err e = {0};
	char want[256];

	(void)state;
	/* exactly the limit: read, and the registry's error quoted */
	assert_int_equal(get_manifest("errbody/exact", 3000, &e), SIGNET_ENOTFOUND);
	snprintf(want, sizeof(want),
	         "image 127.0.0.1:%d/errbody/exact:latest: not found (HTTP 404): NAME_UNKNOWN: padded-aaaa",
	         ts.port);
	assert_msg(&e, want);

	/* one byte more on a connection held open: reading stops at the limit
	 * (so the cut document is not quoted) instead of waiting for an end
	 * that never comes (the 3 s request timeout would be SIGNET_ENETWORK,
	 * "timed out") */
	assert_int_equal(get_manifest("errbody/over", 3000, &e), SIGNET_ENOTFOUND);
	snprintf(want, sizeof(want), "image 127.0.0.1:%d/errbody/over:latest: not found (HTTP 404)", ts.port);
	assert_string_equal(e.msg, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_token_response, teardown_test),
	    cmocka_unit_test_teardown(test_list_page, teardown_test),
	    cmocka_unit_test_teardown(test_list_total, teardown_test),
	    cmocka_unit_test(test_timeout_defaults),
	    cmocka_unit_test(test_image_deadline),
	    cmocka_unit_test_teardown(test_request_timeout, teardown_test),
	    cmocka_unit_test_teardown(test_connect_timeout, teardown_test),
	    cmocka_unit_test_teardown(test_retry_after, teardown_test),
	    cmocka_unit_test_teardown(test_error_body, teardown_test),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup_server, teardown_server);
}
