/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_http1.c: the HTTP/1.1 answer reader (registry/http1.c)
 * on answers held in memory, delivered whole and one byte at a time: every
 * framing, what may be reused, and each refusal with its reason; and the
 * pool against a loopback server that lies about keep-alive (a kept
 * connection the server closed).  The transport against real servers is in
 * tests/integration (registry_auth for TLS, hostile_http for lying
 * servers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/ctx.h"

#include "registry/http1.h"

struct mem {
	const char *data;
	size_t len, pos, piece; /* piece: most bytes per read (0: all) */
	int fail_at_end;        /* -1 (a broken connection) instead of 0 at the end */
};

static ssize_t mem_read(void *ctx, void *buf, size_t n, enum sn_h1_outcome *oc)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;

	if (k == 0) {
		if (m->fail_at_end) {
			*oc = SN_H1_RESET;
			return -1;
		}
		return 0;
	}
	if (m->piece != 0 && k > m->piece)
		k = m->piece;
	if (k > n)
		k = n;
	memcpy(buf, m->data + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

struct got {
	char body[4096];
	size_t len;
	int64_t length;
	int heads;
	size_t stop_after; /* stop once the body reaches this many bytes (0: never) */
};

static int got_head(void *ud, const struct sn_h1_answer *a, int64_t length)
{
	struct got *g = ud;

	(void)a;
	g->heads++;
	g->length = length;
	return 0;
}

static int got_body(void *ud, const void *data, size_t n)
{
	struct got *g = ud;

	if (g->len + n > sizeof(g->body))
		return 1;
	memcpy(g->body + g->len, data, n);
	g->len += n;
	return g->stop_after != 0 && g->len >= g->stop_after;
}

struct run {
	enum sn_h1_outcome oc;
	int reusable;
	struct sn_h1_answer a;
	struct got g;
	char why[256];
};

/* Reads text as an answer, in pieces of piece bytes (0: at once). */
static void read_as(struct run *r, const char *text, size_t len, size_t piece, int head)
{
	struct mem m = {text, len, 0, piece, 0};
	const struct sn_h1_io io = {mem_read, &m};
	struct sn_h1_sink sink = {got_head, got_body, &r->g};

	memset(&r->g, 0, sizeof(r->g));
	r->oc = sn_h1_read_answer(&io, head, &r->a, &sink, &r->reusable, r->why, sizeof(r->why));
}

/* The same outcome whole and byte by byte; the byte-by-byte run is kept. */
static void read_both(struct run *r, const char *text, int head)
{
	struct run whole;

	read_as(&whole, text, strlen(text), 0, head);
	read_as(r, text, strlen(text), 1, head);
	assert_int_equal(whole.oc, r->oc);
	assert_int_equal(whole.reusable, r->reusable);
	assert_string_equal(whole.why, r->why);
	assert_int_equal(whole.g.len, r->g.len);
	sn_h1_answer_free(&whole.a);
}

static void expect_body(const struct run *r, const char *body)
{
	assert_int_equal(r->oc, SN_H1_DONE);
	assert_int_equal(r->g.len, strlen(body));
	assert_memory_equal(r->g.body, body, r->g.len);
}

static void test_content_length(void **state)
{
	struct run r;

	(void)state;
	read_both(&r, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", 0);
	expect_body(&r, "hello");
	assert_int_equal(r.a.status, 200);
	assert_int_equal(r.a.minor, 1);
	assert_int_equal(r.g.length, 5);
	assert_int_equal(r.g.heads, 1);
	assert_int_equal(r.reusable, 1);
	assert_string_equal(sn_h1_header(&r.a, "content-type", 0), "text/plain");
	assert_null(sn_h1_header(&r.a, "content-type", 1));
	sn_h1_answer_free(&r.a);
	/* the same length repeated, in a field and a list, agrees */
	read_both(&r, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2, 2\r\n\r\nhi", 0);
	expect_body(&r, "hi");
	sn_h1_answer_free(&r.a);
	/* Connection: close: read, not reused */
	read_both(&r, "HTTP/1.1 404 Not Found\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n",
	          0);
	expect_body(&r, "");
	assert_int_equal(r.a.status, 404);
	assert_int_equal(r.reusable, 0);
	sn_h1_answer_free(&r.a);
	/* bytes after the answer: nothing was pipelined, so not reused */
	read_as(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1", 26 + 13 + 1 + 8, 0, 0);
	expect_body(&r, "x");
	assert_int_equal(r.reusable, 0);
	sn_h1_answer_free(&r.a);
}

static void test_chunked(void **state)
{
	struct run r;

	(void)state;
	read_both(&r,
	          "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
	          "5;name=value\r\nhello\r\n1\r\n \r\nA \r\n0123456789\r\n0\r\nDigest: x\r\nOther: y\r\n\r\n",
	          0);
	expect_body(&r, "hello 0123456789");
	assert_int_equal(r.g.length, -1);
	assert_int_equal(r.reusable, 1);
	sn_h1_answer_free(&r.a);
}

static void test_until_close(void **state)
{
	struct run r;

	(void)state;
	/* HTTP/1.0, bare LF line ends, no length: the body is what comes before the close */
	read_both(&r, "HTTP/1.0 200 OK\nServer: old\n\nall of it", 0);
	expect_body(&r, "all of it");
	assert_int_equal(r.a.minor, 0);
	assert_int_equal(r.g.length, -1);
	assert_int_equal(r.reusable, 0);
	sn_h1_answer_free(&r.a);
}

static void test_no_body(void **state)
{
	struct run r;

	(void)state;
	/* HEAD: the length is announced, no body follows */
	read_both(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nDocker-Content-Digest: sha256:ab\r\n\r\n",
	          1);
	expect_body(&r, "");
	assert_int_equal(r.g.length, 0);
	assert_int_equal(r.reusable, 1);
	assert_string_equal(sn_h1_header(&r.a, "Docker-Content-Digest", 0), "sha256:ab");
	sn_h1_answer_free(&r.a);
	read_both(&r, "HTTP/1.1 204 No Content\r\n\r\n", 0);
	expect_body(&r, "");
	assert_int_equal(r.reusable, 1);
	sn_h1_answer_free(&r.a);
	read_both(&r, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 0);
	expect_body(&r, "");
	sn_h1_answer_free(&r.a);
}

/* n "100 Continue" answers, then a 200 with an empty body, into text. */
static void interim_then_ok(char *text, size_t size, unsigned n)
{
	size_t at = 0;
	int k;

	for (unsigned i = 0; i <= n; i++) {
		k = snprintf(text + at, size - at, "%s",
		             i < n ? "HTTP/1.1 100 Continue\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		assert_true(k > 0 && (size_t)k < size - at);
		at += (size_t)k;
	}
}

static void test_interim(void **state)
{
	char text[2048] = "";
	struct run r;

	(void)state;
	read_both(&r,
	          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
	          "HTTP/1.1 201 Created\r\nLocation: /v2/x\r\nContent-Length: 0\r\n\r\n",
	          0);
	expect_body(&r, "");
	assert_int_equal(r.a.status, 201);
	assert_null(sn_h1_header(&r.a, "Link", 0)); /* the interim answer's fields are gone */
	assert_string_equal(sn_h1_header(&r.a, "Location", 0), "/v2/x");
	assert_int_equal(r.g.heads, 1);
	sn_h1_answer_free(&r.a);
	/* SN_H1_MAX_INTERIM interim answers pass, one more does not */
	interim_then_ok(text, sizeof(text), SN_H1_MAX_INTERIM);
	read_both(&r, text, 0);
	expect_body(&r, "");
	sn_h1_answer_free(&r.a);
	interim_then_ok(text, sizeof(text), SN_H1_MAX_INTERIM + 1);
	read_both(&r, text, 0);
	assert_int_equal(r.oc, SN_H1_MALFORMED);
	assert_string_equal(r.why, "more than 8 interim (1xx) answers (SN_H1_MAX_INTERIM)");
	sn_h1_answer_free(&r.a);
}

/* Each answer refused as malformed, with the reason that says why. */
static void test_malformed(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
	    {"HTTP/1.1 2OO OK\r\n\r\n", "the status line has no status code of three digits (100-599)"},
	    {"HTTP/1.1 600 Odd\r\n\r\n", "the status line has no status code of three digits (100-599)"},
	    {"HTTP/1.1 2000 OK\r\n\r\n", "the status line has no status code of three digits (100-599)"},
	    {"HTTP/2 200\r\n\r\n", "the status line does not start with \"HTTP/1.x \""},
	    {"ICY 200 OK\r\n\r\n", "the status line does not start with \"HTTP/1.x \""},
	    {"\r\n\r\n", "the status line does not start with \"HTTP/1.x \""},
	    {"HTTP/1.1 200 O\x01K\r\n\r\n", "a control character in the status line"},
	    {"HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", "a bare CR in the answer head"},
	    {"HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n",
	     "a header line starts with a blank (obsolete line folding)"},
	    {"HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx",
	     "a header name holds a character not allowed in a token"},
	    {"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "a header line is not \"name: value\""},
	    {"HTTP/1.1 200 OK\r\n: v\r\n\r\n", "a header line is not \"name: value\""},
	    {"HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n", "a control character in the value of header A"},
	    {"HTTP/1.1 101 Switching Protocols\r\n\r\n", "101 Switching Protocols, which was not asked for"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
	     "a transfer coding other than chunked alone"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
	     "a transfer coding other than chunked alone"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	     "a transfer coding other than chunked alone"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
	     "both Transfer-Encoding and Content-Length"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy",
	     "two different Content-Length values"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nxy", "two different Content-Length values"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length is not a decimal number"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", "Content-Length is not a decimal number"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", "Content-Length is not a decimal number"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
	     "Content-Length is too large"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	     "a chunk-size line is not a hexadecimal size"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
	     "a chunk-size line is not a hexadecimal size"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
	     "a chunk size is too large"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n",
	     "a chunk is longer than its size"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
	     "a trailer line is not \"name: value\""},
	};
	struct run r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		read_both(&r, cases[i].text, 0);
		if (r.oc != SN_H1_MALFORMED || strcmp(r.why, cases[i].why) != 0)
			fail_msg("case %zu: outcome %d, why \"%s\"; expected \"%s\"", i, r.oc, r.why,
			         cases[i].why);
		assert_int_equal(r.reusable, 0);
		sn_h1_answer_free(&r.a);
	}
}

/* A NUL in the head (strlen cannot be used for these). */
static void test_nul(void **state)
{
	static const char text[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
	struct run r;

	(void)state;
	read_as(&r, text, sizeof(text) - 1, 0, 0);
	assert_int_equal(r.oc, SN_H1_MALFORMED);
	assert_string_equal(r.why, "a NUL byte in the answer head");
	sn_h1_answer_free(&r.a);
}

/* The bounds of the head, the chunk lines and the trailer: at the bound
 * it is read, one byte over it is refused. */
static void test_bounds(void **state)
{
	const size_t cap = SN_H1_MAX_HEAD_SIZE + 4096;
	char *text = malloc(cap);
	struct run r;
	size_t n, fixed;

	(void)state;
	assert_non_null(text);
	/* a head of exactly SN_H1_MAX_HEAD_SIZE bytes: the status line, one
	 * padding field, the empty line */
	fixed = strlen("HTTP/1.1 200 OK\r\nX: \r\n\r\n");
	n = (size_t)snprintf(text, cap, "HTTP/1.1 200 OK\r\nX: %0*d\r\n\r\n",
	                     (int)(SN_H1_MAX_HEAD_SIZE - fixed), 0);
	assert_int_equal(n, SN_H1_MAX_HEAD_SIZE);
	read_as(&r, text, n, 0, 0);
	expect_body(&r, "");
	sn_h1_answer_free(&r.a);
	n = (size_t)snprintf(text, cap, "HTTP/1.1 200 OK\r\nX: %0*d\r\n\r\n",
	                     (int)(SN_H1_MAX_HEAD_SIZE - fixed + 1), 0);
	read_as(&r, text, n, 0, 0);
	assert_int_equal(r.oc, SN_H1_MALFORMED);
	assert_string_equal(r.why, "the answer head is longer than 65536 bytes (SN_H1_MAX_HEAD_SIZE)");
	sn_h1_answer_free(&r.a);
	/* SN_H1_MAX_HEADERS fields, then one more */
	n = (size_t)snprintf(text, cap, "HTTP/1.1 200 OK\r\n");
	for (unsigned i = 0; i < SN_H1_MAX_HEADERS; i++)
		n += (size_t)snprintf(text + n, cap - n, "F%u: v\r\n", i);
	snprintf(text + n, cap - n, "\r\n");
	read_as(&r, text, strlen(text), 0, 0);
	expect_body(&r, "");
	assert_int_equal(r.a.n_headers, SN_H1_MAX_HEADERS);
	sn_h1_answer_free(&r.a);
	snprintf(text + n, cap - n, "One: more\r\n\r\n");
	read_as(&r, text, strlen(text), 0, 0);
	assert_int_equal(r.oc, SN_H1_MALFORMED);
	assert_string_equal(r.why, "more than 128 header fields (SN_H1_MAX_HEADERS)");
	sn_h1_answer_free(&r.a);
	/* a chunk-size line of SN_H1_MAX_CHUNK_LINE bytes with its CRLF, then one more */
	fixed = strlen("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
	n = (size_t)snprintf(text, cap,
	                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;%0*d\r\nx\r\n0\r\n\r\n",
	                     (int)(SN_H1_MAX_CHUNK_LINE - 4), 0);
	read_as(&r, text, n, 0, 0);
	expect_body(&r, "x");
	sn_h1_answer_free(&r.a);
	n = (size_t)snprintf(text, cap,
	                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;%0*d\r\nx\r\n0\r\n\r\n",
	                     (int)(SN_H1_MAX_CHUNK_LINE - 3), 0);
	read_as(&r, text, n, 0, 0);
	assert_int_equal(r.oc, SN_H1_MALFORMED);
	assert_string_equal(r.why, "a chunk-size line is longer than 1024 bytes (SN_H1_MAX_CHUNK_LINE)");
	sn_h1_answer_free(&r.a);
	/* a trailer section over SN_H1_MAX_TRAILER_SIZE */
	n = (size_t)snprintf(text, cap, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
	while (n < fixed + SN_H1_MAX_TRAILER_SIZE + 100)
		n += (size_t)snprintf(text + n, cap - n, "T: %0*d\r\n", 500, 0);
	n += (size_t)snprintf(text + n, cap - n, "\r\n");
	read_as(&r, text, n, 0, 0);
	assert_int_equal(r.oc, SN_H1_MALFORMED);
	assert_string_equal(r.why, "the trailer section is longer than 16384 bytes (SN_H1_MAX_TRAILER_SIZE)");
	sn_h1_answer_free(&r.a);
	free(text);
}

/* A stream that ends or breaks early is a reset (worth a retry), not a
 * malformed answer; a sink that stops is told apart. */
static void test_short(void **state)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
	    {"", "the connection was closed before the end of the answer head"},
	    {"HTTP/1.1 200 OK\r\nContent-Le", "the connection was closed before the end of the answer head"},
	    {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
	     "the connection was closed before the end of the body"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
	     "the connection was closed before the end of the body"},
	    {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n",
	     "the connection was closed before the end of the chunk-size line"},
	};
	struct mem m;
	struct sn_h1_io io = {mem_read, &m};
	struct got g = {0};
	struct sn_h1_sink sink = {got_head, got_body, &g};
	struct run r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		read_both(&r, cases[i].text, 0);
		if (r.oc != SN_H1_RESET || strcmp(r.why, cases[i].why) != 0)
			fail_msg("case %zu: outcome %d, why \"%s\"", i, r.oc, r.why);
		sn_h1_answer_free(&r.a);
	}
	/* a broken connection (the read fails) says so */
	m = (struct mem){"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab", 42, 0, 0, 1};
	r.oc = sn_h1_read_answer(&io, 0, &r.a, &sink, &r.reusable, r.why, sizeof(r.why));
	assert_int_equal(r.oc, SN_H1_RESET);
	assert_string_equal(r.why, "the connection broke before the end of the body");
	sn_h1_answer_free(&r.a);
	/* the sink stops: the head was read, the connection is not reused */
	memset(&g, 0, sizeof(g));
	g.stop_after = 3;
	m = (struct mem){"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 48, 0, 1, 0};
	r.oc = sn_h1_read_answer(&io, 0, &r.a, &sink, &r.reusable, r.why, sizeof(r.why));
	assert_int_equal(r.oc, SN_H1_STOPPED);
	assert_int_equal(r.a.status, 200);
	assert_int_equal(g.len, 3);
	assert_int_equal(r.reusable, 0);
	sn_h1_answer_free(&r.a);
}

/*
 * A server that lies about keep-alive: on 127.0.0.1, it answers each
 * connection's one request with an HTTP/1.1 answer that does not say
 * "Connection: close" (so the client keeps the connection) and then closes
 * it, as a server does with a connection left idle too long.  answers[i]
 * is what connection i gets; the child exits with the number of
 * connections it served.
 */
static pid_t lying_server(int *port, const char *const *answers, int n)
{
	struct sockaddr_in sa = {0};
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	pid_t pid;

	assert_true(lfd >= 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int served = 0;

		alarm(10);
		for (; served < n; served++) {
			char req[4096];
			size_t got = 0;
			int fd = accept(lfd, NULL, NULL);

			if (fd < 0)
				_exit(100);
			/* the request's head, up to its empty line */
			while (got < sizeof(req) - 1) {
				ssize_t k = read(fd, req + got, sizeof(req) - 1 - got);

				if (k <= 0)
					break;
				got += (size_t)k;
				req[got] = '\0';
				if (strstr(req, "\r\n\r\n") != NULL)
					break;
			}
			if (write(fd, answers[served], strlen(answers[served])) < 0)
				_exit(101);
			close(fd);
		}
		_exit(served);
	}
	close(lfd);
	return pid;
}

static int served_by(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static enum sn_h1_outcome get(struct sn_h1_pool *p, int port, struct got *g, char *why, size_t size)
{
	char text[64];
	const char *bad = NULL;
	struct sn_url u;
	struct sn_h1_request rq = {0};
	struct sn_h1_answer a;
	struct sn_h1_result res;
	struct sn_h1_sink sink = {got_head, got_body, g};

	snprintf(text, sizeof(text), "http://127.0.0.1:%d/v2/", port);
	assert_int_equal(sn_url_parse(&u, text, &bad), 0);
	rq.method = "GET";
	rq.url = &u;
	rq.connect_deadline_ms = rq.deadline_ms = sn_now_ms() + 5000;
	memset(g, 0, sizeof(*g));
	sn_h1_perform(p, &rq, &a, &sink, &res);
	snprintf(why, size, "%s", res.why);
	sn_h1_answer_free(&a);
	sn_url_free(&u);
	return res.outcome;
}

/* A kept connection the server closed meanwhile is replaced once, and only
 * when no byte of the answer came on it. */
static void test_stale_connection(void **state)
{
	static const char *const two[] = {
	    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst",
	    "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond",
	};
	static const char *const cut[] = {
	    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst",
	    "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsec",
	};
	const struct sn_h1_tls tls = {0};
	struct sn_h1_pool *p;
	struct got g;
	char why[512];
	int port;
	pid_t pid;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	/* the second request goes on the kept connection, finds it closed,
	 * and is sent again on a new one: two connections, two answers */
	pid = lying_server(&port, two, 2);
	assert_int_equal(sn_h1_pool_new(&p, &tls), 0);
	assert_int_equal(get(p, port, &g, why, sizeof(why)), SN_H1_DONE);
	assert_int_equal(g.len, 5);
	assert_memory_equal(g.body, "first", 5);
	usleep(100 * 1000); /* let the server's close arrive */
	assert_int_equal(get(p, port, &g, why, sizeof(why)), SN_H1_DONE);
	assert_int_equal(g.len, 6);
	assert_memory_equal(g.body, "second", 6);
	sn_h1_pool_free(p);
	assert_int_equal(served_by(pid), 2);
	/* an answer cut short on the new connection is a reset, not sent a
	 * third time: the transport replaces a connection once */
	pid = lying_server(&port, cut, 2);
	assert_int_equal(sn_h1_pool_new(&p, &tls), 0);
	assert_int_equal(get(p, port, &g, why, sizeof(why)), SN_H1_DONE);
	usleep(100 * 1000);
	assert_int_equal(get(p, port, &g, why, sizeof(why)), SN_H1_RESET);
	assert_string_equal(why, "the connection was closed before the end of the body");
	sn_h1_pool_free(p);
	assert_int_equal(served_by(pid), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_content_length),
	    cmocka_unit_test(test_chunked),
	    cmocka_unit_test(test_until_close),
	    cmocka_unit_test(test_no_body),
	    cmocka_unit_test(test_interim),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_nul),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_short),
	    cmocka_unit_test(test_stale_connection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
