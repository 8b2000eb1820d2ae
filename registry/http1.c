/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/http1.c: HTTP/1.1 over TCP and TLS (see http1.h for what and
 * why).  Three parts: the answer reader (bytes in, head and body out, no
 * sockets), connections (connect, TLS, deadlines), and the pool that
 * keeps idle connections for the next request.
 */
#include "http1.h"

#include "base/lazylib.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* ---- libssl, loaded on first use ---------------------------------------- */

/*
 * libssl is not linked: verifications without the network (standalone,
 * dir:, oci:) would map it for nothing, and a process pays for every
 * library it maps (docs/architecture.md).  The functions below are
 * resolved on the first https connection (base/lazylib.h); libcrypto,
 * which the rest of signet links, serves X509, PEM and ERR.
 */
static struct {
	const SSL_METHOD *(*TLS_client_method)(void);
	SSL_CTX *(*SSL_CTX_new)(const SSL_METHOD *meth);
	void (*SSL_CTX_free)(SSL_CTX *ctx);
	long (*SSL_CTX_ctrl)(SSL_CTX *ctx, int cmd, long larg, void *parg);
	void (*SSL_CTX_set_verify)(SSL_CTX *ctx, int mode, SSL_verify_cb cb);
	X509_STORE *(*SSL_CTX_get_cert_store)(const SSL_CTX *ctx);
	int (*SSL_CTX_load_verify_file)(SSL_CTX *ctx, const char *file);
	int (*SSL_CTX_use_certificate_chain_file)(SSL_CTX *ctx, const char *file);
	int (*SSL_CTX_use_PrivateKey_file)(SSL_CTX *ctx, const char *file, int type);
	int (*SSL_CTX_check_private_key)(const SSL_CTX *ctx);
	SSL *(*SSL_new)(SSL_CTX *ctx);
	void (*SSL_free)(SSL *ssl);
	int (*SSL_set_fd)(SSL *ssl, int fd);
	long (*SSL_ctrl)(SSL *ssl, int cmd, long larg, void *parg);
	X509_VERIFY_PARAM *(*SSL_get0_param)(SSL *ssl);
	int (*SSL_connect)(SSL *ssl);
	int (*SSL_get_error)(const SSL *ssl, int ret);
	long (*SSL_get_verify_result)(const SSL *ssl);
	int (*SSL_read)(SSL *ssl, void *buf, int num);
	int (*SSL_write)(SSL *ssl, const void *buf, int num);
} ssl;

#define SSL_SYM(f) SN_LAZYSYM(__typeof__(ssl), f)
static const struct sn_lazysym ssl_syms[] = {
    SSL_SYM(TLS_client_method),
    SSL_SYM(SSL_CTX_new),
    SSL_SYM(SSL_CTX_free),
    SSL_SYM(SSL_CTX_ctrl),
    SSL_SYM(SSL_CTX_set_verify),
    SSL_SYM(SSL_CTX_get_cert_store),
    SSL_SYM(SSL_CTX_load_verify_file),
    SSL_SYM(SSL_CTX_use_certificate_chain_file),
    SSL_SYM(SSL_CTX_use_PrivateKey_file),
    SSL_SYM(SSL_CTX_check_private_key),
    SSL_SYM(SSL_new),
    SSL_SYM(SSL_free),
    SSL_SYM(SSL_set_fd),
    SSL_SYM(SSL_ctrl),
    SSL_SYM(SSL_get0_param),
    SSL_SYM(SSL_connect),
    SSL_SYM(SSL_get_error),
    SSL_SYM(SSL_get_verify_result),
    SSL_SYM(SSL_read),
    SSL_SYM(SSL_write),
};
static struct sn_lazylib libssl = SN_LAZYLIB_INIT("libssl.so.3", ssl_syms, ssl);

/* ---- the answer reader ------------------------------------------------ */

#define RD_BUF_SIZE 16384u

struct rd {
	const struct sn_h1_io *io;
	unsigned char buf[RD_BUF_SIZE];
	size_t pos, len;
	int eof;
	enum sn_h1_outcome io_fail; /* set when io->read failed */
	char *why;
	size_t why_size;
};

static enum sn_h1_outcome fail(struct rd *r, enum sn_h1_outcome oc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum sn_h1_outcome fail(struct rd *r, enum sn_h1_outcome oc, const char *fmt, ...)
{
	va_list ap;

	if (r->why_size > 0) {
		va_start(ap, fmt);
		vsnprintf(r->why, r->why_size, fmt, ap);
		va_end(ap);
	}
	return oc;
}

/* More bytes into the buffer: 1, 0 at the end of the stream, -1 failed. */
static int rd_fill(struct rd *r)
{
	ssize_t n;

	if (r->pos == r->len)
		r->pos = r->len = 0;
	if (r->eof)
		return 0;
	if (r->len == sizeof(r->buf)) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	n = r->io->read(r->io->ctx, r->buf + r->len, sizeof(r->buf) - r->len, &r->io_fail);
	if (n < 0)
		return -1;
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	r->len += (size_t)n;
	return 1;
}

/* The outcome of a stream that ended (got 0) or failed (got -1) in the
 * middle of what. */
static enum sn_h1_outcome rd_short(struct rd *r, int got, const char *what)
{
	if (got < 0 && r->io_fail == SN_H1_TIMEOUT)
		return fail(r, SN_H1_TIMEOUT, "timed out reading the %s", what);
	return fail(r, SN_H1_RESET, "the connection %s before the end of the %s",
	            got < 0 ? "broke" : "was closed", what);
}

/*
 * One line (up to LF) into line (NUL-terminated, CRLF or LF removed), at
 * most max bytes with its line end; *used adds what the line took.  A CR
 * anywhere but before the LF, and a NUL, are malformed.
 */
static enum sn_h1_outcome rd_line(struct rd *r, char *line, size_t max, size_t *used, const char *what,
                                  const char *too_long)
{
	size_t n = 0;
	int got;

	for (;;) {
		while (r->pos < r->len) {
			unsigned char c = r->buf[r->pos++];

			if (++n > max)
				return fail(r, SN_H1_MALFORMED, "%s", too_long);
			if (c == '\n') {
				size_t len = n - 1;

				if (len > 0 && line[len - 1] == '\r')
					len--;
				line[len] = '\0';
				if (memchr(line, '\r', len) != NULL)
					return fail(r, SN_H1_MALFORMED, "a bare CR in the %s", what);
				if (strlen(line) != len)
					return fail(r, SN_H1_MALFORMED, "a NUL byte in the %s", what);
				*used += n;
				return SN_H1_DONE;
			}
			line[n - 1] = (char)c;
		}
		if ((got = rd_fill(r)) <= 0)
			return rd_short(r, got, what);
	}
}

static int is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* "HTTP/1.x NNN[ reason]": *minor and *status. */
static enum sn_h1_outcome parse_status(struct rd *r, const char *s, int *minor, int *status)
{
	if (strncmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ')
		return fail(r, SN_H1_MALFORMED, "the status line does not start with \"HTTP/1.x \"");
	*minor = s[7] - '0';
	s += 9;
	if (s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9' ||
	    (s[3] != '\0' && s[3] != ' '))
		return fail(r, SN_H1_MALFORMED,
		            "the status line has no status code of three digits (100-599)");
	*status = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	for (const unsigned char *p = (const unsigned char *)s + 3; *p != '\0'; p++)
		if (*p < 0x20 && *p != '\t')
			return fail(r, SN_H1_MALFORMED, "a control character in the status line");
	return SN_H1_DONE;
}

/* "name: value" appended to a. */
static enum sn_h1_outcome parse_field(struct rd *r, char *line, struct sn_h1_answer *a)
{
	char *colon = strchr(line, ':'), *v, *end;
	struct sn_h1_header *h;

	if (line[0] == ' ' || line[0] == '\t')
		return fail(r, SN_H1_MALFORMED, "a header line starts with a blank (obsolete line folding)");
	if (colon == NULL || colon == line)
		return fail(r, SN_H1_MALFORMED, "a header line is not \"name: value\"");
	for (char *p = line; p < colon; p++)
		if (!is_tchar((unsigned char)*p))
			return fail(r, SN_H1_MALFORMED,
			            "a header name holds a character not allowed in a token");
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (end = v + strlen(v); end > v && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return fail(r, SN_H1_MALFORMED, "a control character in the value of header %.*s",
			            (int)(colon - line < 64 ? colon - line : 64), line);
	if (a->n_headers == SN_H1_MAX_HEADERS)
		return fail(r, SN_H1_MALFORMED, "more than %u header fields (SN_H1_MAX_HEADERS)",
		            SN_H1_MAX_HEADERS);
	h = realloc(a->headers, (a->n_headers + 1) * sizeof(*h));
	if (h == NULL)
		return fail(r, SN_H1_NOMEM, "out of memory");
	a->headers = h;
	*colon = '\0';
	h[a->n_headers].name = strdup(line);
	h[a->n_headers].value = strdup(v);
	if (h[a->n_headers].name == NULL || h[a->n_headers].value == NULL) {
		free(h[a->n_headers].name);
		free(h[a->n_headers].value);
		return fail(r, SN_H1_NOMEM, "out of memory");
	}
	a->n_headers++;
	return SN_H1_DONE;
}

const char *sn_h1_header(const struct sn_h1_answer *a, const char *name, size_t index)
{
	for (size_t i = 0; i < a->n_headers; i++)
		if (strcasecmp(a->headers[i].name, name) == 0 && index-- == 0)
			return a->headers[i].value;
	return NULL;
}

size_t sn_h1_header_count(const struct sn_h1_answer *a, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n_headers; i++)
		n += strcasecmp(a->headers[i].name, name) == 0;
	return n;
}

void sn_h1_answer_free(struct sn_h1_answer *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n_headers; i++) {
		free(a->headers[i].name);
		free(a->headers[i].value);
	}
	free(a->headers);
	memset(a, 0, sizeof(*a));
}

/* Reads one head (status line and fields) into a, line being a buffer of
 * SN_H1_MAX_HEAD_SIZE + 1 bytes. */
static enum sn_h1_outcome read_head(struct rd *r, struct sn_h1_answer *a, char *line)
{
	static const char what[] = "answer head",
	                  limit[] = "the answer head is longer than 65536 bytes (SN_H1_MAX_HEAD_SIZE)";
	enum sn_h1_outcome oc;
	size_t used = 0;

	_Static_assert(SN_H1_MAX_HEAD_SIZE == 65536, "the message names the limit");
	if ((oc = rd_line(r, line, SN_H1_MAX_HEAD_SIZE, &used, what, limit)) != SN_H1_DONE ||
	    (oc = parse_status(r, line, &a->minor, &a->status)) != SN_H1_DONE)
		return oc;
	for (;;) {
		if ((oc = rd_line(r, line, SN_H1_MAX_HEAD_SIZE - used, &used, what, limit)) != SN_H1_DONE)
			return oc;
		if (line[0] == '\0')
			return SN_H1_DONE;
		if ((oc = parse_field(r, line, a)) != SN_H1_DONE)
			return oc;
	}
}

/* Whether the comma-separated list v holds token (case-insensitive). */
static int list_has(const char *v, const char *token)
{
	size_t n = strlen(token);

	while (*v != '\0') {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (strncasecmp(v, token, n) == 0 &&
		    (v[n] == '\0' || v[n] == ',' || v[n] == ' ' || v[n] == '\t'))
			return 1;
		v += strcspn(v, ",");
	}
	return 0;
}

/* The Content-Length of a: every value (fields and list members) the same
 * decimal number.  -1 when there is none. */
static enum sn_h1_outcome content_length(struct rd *r, const struct sn_h1_answer *a, int64_t *out)
{
	const char *v;

	*out = -1;
	for (size_t i = 0; (v = sn_h1_header(a, "Content-Length", i)) != NULL; i++) {
		do {
			int64_t n = 0;
			size_t digits = 0;

			while (*v == ' ' || *v == '\t')
				v++;
			for (; *v >= '0' && *v <= '9'; v++, digits++) {
				if (n > (INT64_MAX - 9) / 10)
					return fail(r, SN_H1_MALFORMED, "Content-Length is too large");
				n = n * 10 + (*v - '0');
			}
			while (*v == ' ' || *v == '\t')
				v++;
			if (digits == 0 || (*v != '\0' && *v != ','))
				return fail(r, SN_H1_MALFORMED, "Content-Length is not a decimal number");
			if (*out >= 0 && n != *out)
				return fail(r, SN_H1_MALFORMED, "two different Content-Length values");
			*out = n;
		} while (*v++ == ',');
	}
	return SN_H1_DONE;
}

/* Hands n bytes at the reader's position to the sink. */
static enum sn_h1_outcome give(struct rd *r, const struct sn_h1_sink *sink, size_t n)
{
	if (sink->body != NULL && n > 0 && sink->body(sink->ud, r->buf + r->pos, n) != 0)
		return fail(r, SN_H1_STOPPED, "stopped by the reader");
	r->pos += n;
	return SN_H1_DONE;
}

static enum sn_h1_outcome body_length(struct rd *r, const struct sn_h1_sink *sink, int64_t left)
{
	enum sn_h1_outcome oc;
	int got;

	while (left > 0) {
		size_t n;

		if (r->pos == r->len && (got = rd_fill(r)) <= 0)
			return rd_short(r, got, "body");
		n = r->len - r->pos;
		if ((int64_t)n > left)
			n = (size_t)left;
		if ((oc = give(r, sink, n)) != SN_H1_DONE)
			return oc;
		left -= (int64_t)n;
	}
	return SN_H1_DONE;
}

static enum sn_h1_outcome body_until_close(struct rd *r, const struct sn_h1_sink *sink)
{
	enum sn_h1_outcome oc;
	int got;

	for (;;) {
		if (r->pos == r->len) {
			if ((got = rd_fill(r)) == 0)
				return SN_H1_DONE;
			if (got < 0)
				return rd_short(r, got, "body");
		}
		if ((oc = give(r, sink, r->len - r->pos)) != SN_H1_DONE)
			return oc;
	}
}

static enum sn_h1_outcome body_chunked(struct rd *r, const struct sn_h1_sink *sink)
{
	char line[SN_H1_MAX_CHUNK_LINE + 1];
	enum sn_h1_outcome oc;

	_Static_assert(SN_H1_MAX_CHUNK_LINE == 1024, "the messages name the limit");
	size_t trailer = 0, ignored = 0;

	for (;;) {
		int64_t size = 0;
		size_t digits = 0;
		const char *p;

		if ((oc = rd_line(r, line, SN_H1_MAX_CHUNK_LINE, &ignored, "chunk-size line",
		                  "a chunk-size line is longer than 1024 bytes (SN_H1_MAX_CHUNK_LINE)")) !=
		    SN_H1_DONE)
			return oc;
		for (p = line; sn_hex_digit((unsigned char)*p) >= 0; p++, digits++) {
			if (size > (INT64_MAX >> 4))
				return fail(r, SN_H1_MALFORMED, "a chunk size is too large");
			size = size * 16 + sn_hex_digit((unsigned char)*p);
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (digits == 0 || (*p != '\0' && *p != ';'))
			return fail(r, SN_H1_MALFORMED, "a chunk-size line is not a hexadecimal size");
		if (size == 0)
			break;
		if ((oc = body_length(r, sink, size)) != SN_H1_DONE)
			return oc;
		if ((oc = rd_line(r, line, 2, &ignored, "chunk", "a chunk is longer than its size")) !=
		    SN_H1_DONE)
			return oc;
		if (line[0] != '\0')
			return fail(r, SN_H1_MALFORMED, "a chunk is longer than its size");
	}
	/* trailer fields (read and dropped), then the empty line */
	for (;;) {
		if ((oc = rd_line(r, line, SN_H1_MAX_CHUNK_LINE, &trailer, "trailer section",
		                  "a trailer line is longer than 1024 bytes (SN_H1_MAX_CHUNK_LINE)")) !=
		    SN_H1_DONE)
			return oc;
		if (line[0] == '\0')
			return SN_H1_DONE;
		if (trailer > SN_H1_MAX_TRAILER_SIZE)
			return fail(r, SN_H1_MALFORMED,
			            "the trailer section is longer than %u bytes "
			            "(SN_H1_MAX_TRAILER_SIZE)",
			            SN_H1_MAX_TRAILER_SIZE);
		if (line[0] == ' ' || line[0] == '\t' || strchr(line, ':') == NULL || line[0] == ':')
			return fail(r, SN_H1_MALFORMED, "a trailer line is not \"name: value\"");
	}
}

enum sn_h1_outcome sn_h1_read_answer(const struct sn_h1_io *io, int head_request, struct sn_h1_answer *a,
                                     const struct sn_h1_sink *sink, int *reusable, char *why, size_t why_size)
{
	struct rd *r = calloc(1, sizeof(*r));
	char *line = malloc(SN_H1_MAX_HEAD_SIZE + 1);
	enum sn_h1_outcome oc;
	const char *te, *conn;
	int64_t length = -1;
	int chunked = 0, until_close = 0;

	*reusable = 0;
	if (why_size > 0)
		why[0] = '\0';
	memset(a, 0, sizeof(*a));
	if (r == NULL || line == NULL) {
		free(r);
		free(line);
		if (why_size > 0)
			snprintf(why, why_size, "out of memory");
		return SN_H1_NOMEM;
	}
	r->io = io;
	r->why = why;
	r->why_size = why_size;
	for (unsigned interim = 0;; interim++) {
		sn_h1_answer_free(a);
		if ((oc = read_head(r, a, line)) != SN_H1_DONE)
			goto out;
		if (a->status >= 200)
			break;
		if (a->status == 101) {
			oc = fail(r, SN_H1_MALFORMED, "101 Switching Protocols, which was not asked for");
			goto out;
		}
		if (interim == SN_H1_MAX_INTERIM) {
			oc =
			    fail(r, SN_H1_MALFORMED, "more than %u interim (1xx) answers (SN_H1_MAX_INTERIM)",
			         SN_H1_MAX_INTERIM);
			goto out;
		}
	}
	/* How the body is framed (RFC 9112 section 6.3). */
	te = sn_h1_header(a, "Transfer-Encoding", 0);
	if ((oc = content_length(r, a, &length)) != SN_H1_DONE)
		goto out;
	if (head_request || a->status == 204 || a->status == 304) {
		length = 0;
	} else if (te != NULL) {
		/* RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding
		 * is faulty framing, whatever else it says */
		if (a->minor == 0) {
			oc = fail(r, SN_H1_MALFORMED, "Transfer-Encoding in an HTTP/1.0 answer");
			goto out;
		}
		if (length >= 0) {
			oc = fail(r, SN_H1_MALFORMED, "both Transfer-Encoding and Content-Length");
			goto out;
		}
		if (sn_h1_header(a, "Transfer-Encoding", 1) != NULL || strcasecmp(te, "chunked") != 0) {
			oc = fail(r, SN_H1_MALFORMED, "a transfer coding other than chunked alone");
			goto out;
		}
		chunked = 1;
	} else if (length < 0) {
		until_close = 1;
	}
	if (sink->head != NULL && sink->head(sink->ud, a, chunked ? -1 : length) != 0) {
		oc = fail(r, SN_H1_STOPPED, "stopped by the reader");
		goto out;
	}
	if (chunked)
		oc = body_chunked(r, sink);
	else if (until_close)
		oc = body_until_close(r, sink);
	else
		oc = body_length(r, sink, length);
	if (oc != SN_H1_DONE)
		goto out;
	conn = sn_h1_header(a, "Connection", 0);
	/* Nothing may follow the answer: no request was pipelined. */
	*reusable = a->minor >= 1 && !until_close && r->pos == r->len &&
	            sn_h1_header(a, "Connection", 1) == NULL && (conn == NULL || !list_has(conn, "close"));
out:
	OPENSSL_cleanse(r, sizeof(*r));
	free(r);
	free(line);
	return oc;
}

/* ---- connections ------------------------------------------------------- */

struct conn {
	int fd;
	SSL *ssl;
	char *origin;     /* "https://host:port": what it may be reused for */
	int64_t deadline; /* of the operation under way (sn_now_ms clock) */
	size_t received;  /* bytes of the current answer so far */
};

struct sn_h1_pool {
	struct sn_h1_tls tls; /* borrowed from the caller */
	SSL_CTX *ssl_ctx;     /* made on the first https connection */
	struct conn *idle[SN_H1_MAX_IDLE];
	size_t n_idle;
};

static void conn_close(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->ssl != NULL)
		ssl.SSL_free(c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	free(c->origin);
	free(c);
}

/* Milliseconds left before deadline, at least 0, at most INT_MAX. */
static int ms_left(int64_t deadline)
{
	int64_t left = deadline - sn_now_ms();

	return left <= 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : (int)left;
}

/* Waits for events on c->fd until c->deadline: 1 ready, 0 timed out, -1
 * failed. */
static int conn_wait(const struct conn *c, short events)
{
	struct pollfd pfd = {c->fd, events, 0};
	int n;

	do {
		n = poll(&pfd, 1, ms_left(c->deadline));
	} while (n < 0 && errno == EINTR);
	return n;
}

/* The reason of the last OpenSSL error (and the queue emptied); its code
 * when OpenSSL has no text for it (libcrypto's texts are not loaded in a
 * one-shot process: signet_global_init). */
static void ssl_reason(char *buf, size_t size, const char *fallback)
{
	unsigned long code = ERR_peek_last_error();
	const char *reason = code != 0 ? ERR_reason_error_string(code) : NULL;

	if (reason != NULL)
		snprintf(buf, size, "%s", reason);
	else if (code != 0)
		snprintf(buf, size, "%s (OpenSSL error %08lX: see openssl errstr %08lX)", fallback, code,
		         code);
	else
		snprintf(buf, size, "%s", fallback);
	ERR_clear_error();
}

/* SSL_write may raise SIGPIPE (it writes with write(2)): blocked in this
 * thread around the call, and a SIGPIPE it raised taken back. */
struct pipe_guard {
	sigset_t old;
	int pending_before;
};

static void pipe_block(struct pipe_guard *g)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	g->pending_before = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

static void pipe_unblock(struct pipe_guard *g)
{
	sigset_t set, pending;
	struct timespec zero = {0, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	if (!g->pending_before && sigismember(&pending, SIGPIPE))
		while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

/* Sends n bytes; 0, or an outcome with why. */
static enum sn_h1_outcome conn_send(struct conn *c, const unsigned char *p, size_t n, char *why, size_t size)
{
	while (n > 0) {
		ssize_t k;
		int w, err = 0;

		if (c->ssl != NULL) {
			struct pipe_guard g;

			ERR_clear_error();
			pipe_block(&g);
			w = ssl.SSL_write(c->ssl, p, n > 0x40000000 ? 0x40000000 : (int)n);
			if (w <= 0)
				err = ssl.SSL_get_error(c->ssl, w);
			pipe_unblock(&g);
			k = w > 0 ? w : -1;
			if (k < 0 && err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
				if (err == SSL_ERROR_SSL) {
					char reason[200];

					ssl_reason(reason, sizeof(reason), "TLS failure");
					snprintf(why, size, "sending: TLS error: %s", reason);
					return SN_H1_TLS;
				}
				snprintf(why, size, "sending: %s",
				         errno != 0 ? strerror(errno) : "connection broken");
				return SN_H1_RESET;
			}
		} else {
			k = send(c->fd, p, n, MSG_NOSIGNAL);
			if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
				snprintf(why, size, "sending: %s", strerror(errno));
				return SN_H1_RESET;
			}
			err = SSL_ERROR_WANT_WRITE;
		}
		if (k > 0) {
			p += k;
			n -= (size_t)k;
			continue;
		}
		w = conn_wait(c, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT);
		if (w == 0) {
			snprintf(why, size, "sending: timed out");
			return SN_H1_TIMEOUT;
		}
		if (w < 0) {
			snprintf(why, size, "sending: %s", strerror(errno));
			return SN_H1_RESET;
		}
	}
	return SN_H1_DONE;
}

/* The io of a connection: reads what is there, waiting until c->deadline. */
static ssize_t conn_read(void *ctx, void *buf, size_t n, enum sn_h1_outcome *oc)
{
	struct conn *c = ctx;

	for (;;) {
		ssize_t k;
		int w, err = SSL_ERROR_WANT_READ;

		if (c->ssl != NULL) {
			ERR_clear_error();
			w = ssl.SSL_read(c->ssl, buf, n > 0x40000000 ? 0x40000000 : (int)n);
			if (w > 0) {
				c->received += (size_t)w;
				return w;
			}
			err = ssl.SSL_get_error(c->ssl, w);
			if (err == SSL_ERROR_ZERO_RETURN)
				return 0;
			/* A TCP close without close_notify (OpenSSL 3 reports it as
			 * SSL_R_UNEXPECTED_EOF_WHILE_READING, older versions as a
			 * bare SSL_ERROR_SYSCALL) is an incomplete close (RFC 9112
			 * section 9.8) that anyone on the path can forge: it ends
			 * no answer, not even one read until the close.  A break. */
			if (err == SSL_ERROR_SSL || err == SSL_ERROR_SYSCALL) {
				ERR_clear_error();
				*oc = SN_H1_RESET;
				return -1;
			}
			if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
				*oc = SN_H1_RESET;
				return -1;
			}
		} else {
			k = recv(c->fd, buf, n, 0);
			if (k >= 0) {
				c->received += (size_t)k;
				return k;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
				*oc = SN_H1_RESET;
				return -1;
			}
		}
		w = conn_wait(c, err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN);
		if (w == 0) {
			*oc = SN_H1_TIMEOUT;
			return -1;
		}
		if (w < 0) {
			*oc = SN_H1_RESET;
			return -1;
		}
	}
}

/* ---- opening a connection ------------------------------------------------ */

/* TCP to one address, within c->deadline: 0, or errno. */
static int tcp_connect(struct conn *c, const struct addrinfo *ai)
{
	int one = 1, soerr = 0, w;
	socklen_t len = sizeof(soerr);

	c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (c->fd < 0)
		return errno;
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		if (errno != EINPROGRESS)
			goto failed;
		w = conn_wait(c, POLLOUT);
		if (w == 0) {
			errno = ETIMEDOUT;
			goto failed;
		}
		if (w < 0 || getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
			goto failed;
		if (soerr != 0) {
			errno = soerr;
			goto failed;
		}
	}
	(void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
failed:
	soerr = errno;
	close(c->fd);
	c->fd = -1;
	return soerr;
}

static enum sn_h1_outcome tcp_open(struct conn *c, const struct sn_url *u, char *why, size_t size)
{
	struct addrinfo hints = {0}, *res = NULL;
	char port[8];
	int rc, err = 0;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (u->host_is_ip ? AI_NUMERICHOST : 0);
	snprintf(port, sizeof(port), "%u", u->port);
	rc = getaddrinfo(u->host, port, &hints, &res);
	if (rc != 0) {
		snprintf(why, size, "could not resolve host %s: %s", u->host,
		         rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return rc == EAI_MEMORY ? SN_H1_NOMEM : SN_H1_CONNECT;
	}
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if ((err = tcp_connect(c, ai)) == 0)
			break;
		if (err == ETIMEDOUT)
			break; /* the deadline is common to all addresses */
	}
	freeaddrinfo(res);
	if (err == ETIMEDOUT) {
		snprintf(why, size, "connecting to %s port %u: timed out", u->host, u->port);
		return SN_H1_TIMEOUT;
	}
	if (err != 0) {
		snprintf(why, size, "failed to connect to %s port %u: %s", u->host, u->port, strerror(err));
		return SN_H1_CONNECT;
	}
	return SN_H1_DONE;
}

/* The pool's TLS context, made once. */
static enum sn_h1_outcome tls_context(struct sn_h1_pool *p, char *why, size_t size)
{
	struct sn_err e = {0};
	SSL_CTX *ctx;
	char reason[200];

	if (p->ssl_ctx != NULL)
		return SN_H1_DONE;
	if (sn_lazylib_load(&libssl, &e) != 0) {
		snprintf(why, size, "%.400s", e.msg);
		return SN_H1_TLS;
	}
	ERR_clear_error();
	if ((ctx = ssl.SSL_CTX_new(ssl.TLS_client_method())) == NULL) {
		snprintf(why, size, "out of memory");
		return SN_H1_NOMEM;
	}
	ssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
	ssl.SSL_CTX_ctrl(ctx, SSL_CTRL_MODE,
	                 SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, NULL);
	if (p->tls.verify) {
		ssl.SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		if (p->tls.ca_pem != NULL) {
			X509_STORE *store = ssl.SSL_CTX_get_cert_store(ctx);
			BIO *bio = BIO_new_mem_buf(p->tls.ca_pem, (int)p->tls.ca_len);
			STACK_OF(X509_INFO) *infos =
			    bio != NULL ? PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL) : NULL;
			int n = 0;

			for (int i = 0; infos != NULL && i < sk_X509_INFO_num(infos); i++) {
				X509_INFO *xi = sk_X509_INFO_value(infos, i);

				if (xi->x509 != NULL && X509_STORE_add_cert(store, xi->x509) == 1)
					n++;
			}
			sk_X509_INFO_pop_free(infos, X509_INFO_free);
			BIO_free(bio);
			if (n == 0) {
				ssl_reason(reason, sizeof(reason), "no certificate in it");
				snprintf(why, size, "the CA bundle cannot be used: %s", reason);
				ssl.SSL_CTX_free(ctx);
				return SN_H1_TLS;
			}
		} else if (ssl.SSL_CTX_load_verify_file(ctx, SN_SYSTEM_CA_FILE) != 1) {
			ssl_reason(reason, sizeof(reason), "unreadable");
			snprintf(why, size, "the system CA bundle %s cannot be read: %s", SN_SYSTEM_CA_FILE,
			         reason);
			ssl.SSL_CTX_free(ctx);
			return SN_H1_TLS;
		}
	} else {
		ssl.SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	if (p->tls.client_cert != NULL &&
	    (ssl.SSL_CTX_use_certificate_chain_file(ctx, p->tls.client_cert) != 1 ||
	     ssl.SSL_CTX_use_PrivateKey_file(ctx, p->tls.client_key, SSL_FILETYPE_PEM) != 1 ||
	     ssl.SSL_CTX_check_private_key(ctx) != 1)) {
		ssl_reason(reason, sizeof(reason), "unusable");
		snprintf(why, size, "client certificate %s / key %s: %s", p->tls.client_cert,
		         p->tls.client_key, reason);
		ssl.SSL_CTX_free(ctx);
		return SN_H1_TLS;
	}
	p->ssl_ctx = ctx;
	return SN_H1_DONE;
}

static enum sn_h1_outcome tls_open(struct sn_h1_pool *p, struct conn *c, const struct sn_url *u, char *why,
                                   size_t size)
{
	enum sn_h1_outcome oc;
	char reason[200];

	if ((oc = tls_context(p, why, size)) != SN_H1_DONE)
		return oc;
	if ((c->ssl = ssl.SSL_new(p->ssl_ctx)) == NULL || ssl.SSL_set_fd(c->ssl, c->fd) != 1) {
		snprintf(why, size, "out of memory");
		return SN_H1_NOMEM;
	}
	if (!u->host_is_ip &&
	    ssl.SSL_ctrl(c->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, u->host) != 1) {
		snprintf(why, size, "TLS: cannot send the server name %s", u->host);
		return SN_H1_TLS;
	}
	if (p->tls.verify) {
		X509_VERIFY_PARAM *vp = ssl.SSL_get0_param(c->ssl);

		X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (u->host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(vp, u->host) != 1
		                  : X509_VERIFY_PARAM_set1_host(vp, u->host, 0) != 1) {
			snprintf(why, size, "TLS: cannot check the server's name %s", u->host);
			return SN_H1_TLS;
		}
	}
	for (;;) {
		int r, err, w;

		ERR_clear_error();
		if ((r = ssl.SSL_connect(c->ssl)) == 1)
			return SN_H1_DONE;
		err = ssl.SSL_get_error(c->ssl, r);
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
			w = conn_wait(c, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT);
			if (w == 0) {
				snprintf(why, size, "TLS handshake with %s port %u: timed out", u->host,
				         u->port);
				return SN_H1_TIMEOUT;
			}
			if (w > 0)
				continue;
		}
		if (ssl.SSL_get_verify_result(c->ssl) != X509_V_OK) {
			snprintf(why, size, "the server's certificate is not trusted: %s",
			         X509_verify_cert_error_string(ssl.SSL_get_verify_result(c->ssl)));
			ERR_clear_error();
		} else if (err == SSL_ERROR_SSL) {
			ssl_reason(reason, sizeof(reason), "handshake failed");
			snprintf(why, size, "TLS handshake with %s port %u: %s", u->host, u->port, reason);
		} else {
			snprintf(why, size, "TLS handshake with %s port %u: the connection broke", u->host,
			         u->port);
			ERR_clear_error();
		}
		return SN_H1_TLS;
	}
}

/* ---- the pool ------------------------------------------------------------ */

int sn_h1_pool_new(struct sn_h1_pool **out, const struct sn_h1_tls *tls)
{
	struct sn_h1_pool *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (p == NULL)
		return SIGNET_ENOMEM;
	p->tls = *tls;
	*out = p;
	return 0;
}

void sn_h1_pool_free(struct sn_h1_pool *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n_idle; i++)
		conn_close(p->idle[i]);
	if (p->ssl_ctx != NULL)
		ssl.SSL_CTX_free(p->ssl_ctx);
	free(p);
}

/* An idle connection to origin, taken out of the pool, or NULL. */
static struct conn *pool_take(struct sn_h1_pool *p, const char *origin)
{
	for (size_t i = 0; i < p->n_idle; i++) {
		struct conn *c = p->idle[i];

		if (strcmp(c->origin, origin) == 0) {
			p->idle[i] = p->idle[--p->n_idle];
			return c;
		}
	}
	return NULL;
}

/* Keeps c for later (the oldest idle one closed if the pool is full). */
static void pool_keep(struct sn_h1_pool *p, struct conn *c)
{
	if (p->n_idle == SN_H1_MAX_IDLE) {
		conn_close(p->idle[0]);
		memmove(p->idle, p->idle + 1, (SN_H1_MAX_IDLE - 1) * sizeof(p->idle[0]));
		p->n_idle--;
	}
	p->idle[p->n_idle++] = c;
}

static enum sn_h1_outcome conn_open(struct sn_h1_pool *p, const struct sn_h1_request *rq, const char *origin,
                                    struct conn **out, char *why, size_t size)
{
	struct conn *c = calloc(1, sizeof(*c));
	enum sn_h1_outcome oc;

	*out = NULL;
	if (c == NULL || (c->origin = strdup(origin)) == NULL) {
		free(c);
		snprintf(why, size, "out of memory");
		return SN_H1_NOMEM;
	}
	c->fd = -1;
	c->deadline = rq->connect_deadline_ms < rq->deadline_ms ? rq->connect_deadline_ms : rq->deadline_ms;
	if ((oc = tcp_open(c, rq->url, why, size)) == SN_H1_DONE && strcmp(rq->url->scheme, "https") == 0)
		oc = tls_open(p, c, rq->url, why, size);
	if (oc != SN_H1_DONE) {
		conn_close(c);
		return oc;
	}
	*out = c;
	return SN_H1_DONE;
}

/* A header line the transport may send: printable ASCII and tabs. */
static int line_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* The request's bytes (head and body) into *out; wipe after use. */
static enum sn_h1_outcome request_bytes(const struct sn_h1_request *rq, unsigned char **out, size_t *len,
                                        char *why, size_t size)
{
	char *authority = sn_url_authority(rq->url), cl[48] = "";
	size_t n;
	unsigned char *b;
	char *w;

	*out = NULL;
	if (authority == NULL) {
		snprintf(why, size, "out of memory");
		return SN_H1_NOMEM;
	}
	if (!line_ok(rq->method) || strpbrk(rq->method, " \t") != NULL || !line_ok(rq->url->target)) {
		free(authority);
		snprintf(why, size, "the request line holds characters HTTP does not allow");
		return SN_H1_MALFORMED;
	}
	if (rq->has_body)
		snprintf(cl, sizeof(cl), "Content-Length: %zu\r\n", rq->body_len);
	n = strlen(rq->method) + 1 + strlen(rq->url->target) + 11 + 6 + strlen(authority) + 2 + strlen(cl) +
	    2;
	for (size_t i = 0; i < rq->n_headers; i++) {
		if (!line_ok(rq->headers[i]) || strchr(rq->headers[i], ':') == NULL) {
			free(authority);
			/* The line may hold a secret: named by its position only. */
			snprintf(why, size, "request header %zu holds characters HTTP does not allow", i + 1);
			return SN_H1_MALFORMED;
		}
		n += strlen(rq->headers[i]) + 2;
	}
	if (rq->has_body)
		n += rq->body_len;
	if ((b = malloc(n + 1)) == NULL) {
		free(authority);
		snprintf(why, size, "out of memory");
		return SN_H1_NOMEM;
	}
	/* n counted every byte: snprintf never truncates here */
	w = (char *)b;
	w += snprintf(w, n + 1, "%s %s HTTP/1.1\r\nHost: %s\r\n", rq->method, rq->url->target, authority);
	for (size_t i = 0; i < rq->n_headers; i++)
		w += snprintf(w, n + 1 - (size_t)(w - (char *)b), "%s\r\n", rq->headers[i]);
	w += snprintf(w, n + 1 - (size_t)(w - (char *)b), "%s\r\n", cl);
	if (rq->has_body && rq->body_len > 0) {
		memcpy(w, rq->body, rq->body_len);
		w += rq->body_len;
	}
	free(authority);
	*len = (size_t)(w - (char *)b);
	*out = b;
	return SN_H1_DONE;
}

enum sn_h1_outcome sn_h1_perform(struct sn_h1_pool *p, const struct sn_h1_request *rq, struct sn_h1_answer *a,
                                 const struct sn_h1_sink *sink, struct sn_h1_result *res)
{
	const int head = strcmp(rq->method, "HEAD") == 0;
	struct sn_h1_io io = {conn_read, NULL};
	unsigned char *req = NULL;
	char *origin = NULL;
	struct conn *c = NULL;
	size_t req_len = 0;
	int reusable = 0;
	enum sn_h1_outcome oc;

	memset(res, 0, sizeof(*res));
	memset(a, 0, sizeof(*a));
	if ((oc = request_bytes(rq, &req, &req_len, res->why, sizeof(res->why))) != SN_H1_DONE)
		goto out;
	if ((origin = sn_aprintf(NULL, "%s://%s:%u", rq->url->scheme, rq->url->host, rq->url->port)) ==
	    NULL) {
		oc = SN_H1_NOMEM;
		snprintf(res->why, sizeof(res->why), "out of memory");
		goto out;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		int reused = 0;

		if (attempt == 0 && (c = pool_take(p, origin)) != NULL) {
			reused = 1;
		} else if ((oc = conn_open(p, rq, origin, &c, res->why, sizeof(res->why))) != SN_H1_DONE) {
			goto out;
		}
		c->deadline = rq->deadline_ms;
		c->received = 0;
		io.ctx = c;
		oc = conn_send(c, req, req_len, res->why, sizeof(res->why));
		if (oc == SN_H1_DONE)
			oc = sn_h1_read_answer(&io, head, a, sink, &reusable, res->why, sizeof(res->why));
		/* An idle connection the server closed meanwhile: once more on a new one. */
		if (reused && (oc == SN_H1_RESET || oc == SN_H1_TLS) && c->received == 0) {
			conn_close(c);
			c = NULL;
			sn_h1_answer_free(a);
			continue;
		}
		break;
	}
	if (oc == SN_H1_DONE && reusable) {
		pool_keep(p, c);
		c = NULL;
	}
out:
	conn_close(c);
	free(origin);
	if (req != NULL) {
		OPENSSL_cleanse(req, req_len);
		free(req);
	}
	res->outcome = oc;
	if (oc == SN_H1_DONE)
		res->why[0] = '\0';
	return oc;
}
