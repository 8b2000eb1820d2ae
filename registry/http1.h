/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/http1.h: HTTP/1.1 over TCP, in the clear or over TLS (OpenSSL's
 * libssl), the registry client's transport (client.c is its only user
 * besides the tests and the fuzzer).
 *
 * Why signet speaks HTTP itself: the guest's verifier needs a handful of
 * GETs to one registry, and libcurl as Debian builds it loads 28 shared
 * libraries (gnutls, krb5, ldap, ssh2, rtmp, ...) before the first byte is
 * sent: +8.7 MiB of memory and ~16 ms per process, more than the whole
 * decision takes without it (docs/architecture.md, bench/).  What is needed
 * is small: one request at a time, keep-alive, Content-Length and chunked
 * bodies, no proxy, no compression, no HTTP/2; redirects, retries,
 * credentials and limits stay in client.c.
 *
 * Answers are read strictly (RFC 9112): a status line "HTTP/1.x NNN ...",
 * header fields "name: value" with a token name and no obsolete line
 * folding, bare LF accepted as a line end (RFC 9112 section 2.2) but never
 * a bare CR; Transfer-Encoding "chunked" alone; Content-Length one decimal
 * value (repeats must agree); both together refused (a smuggling sign);
 * the head bounded (SN_H1_MAX_HEAD_SIZE, SN_H1_MAX_HEADERS), 1xx answers
 * skipped at most SN_H1_MAX_INTERIM times, chunk-size and trailer lines
 * bounded.  The body is handed to the caller as it arrives: the caller
 * bounds it.
 */
#ifndef SN_HTTP1_H
#define SN_HTTP1_H

#include "url.h"

#include <stdint.h>
#include <sys/types.h>

/* Bytes of one answer's head (status line and header fields), header
 * fields in one head, 1xx answers before the final one, bytes of one
 * chunk-size line or trailer line (CRLF included), and of a trailer
 * section. */
#define SN_H1_MAX_HEAD_SIZE (64u * 1024u)
#define SN_H1_MAX_HEADERS   128u
#define SN_H1_MAX_INTERIM   8u
#define SN_H1_MAX_CHUNK_LINE 1024u
#define SN_H1_MAX_TRAILER_SIZE (16u * 1024u)
/* Idle keep-alive connections kept by one pool. */
#define SN_H1_MAX_IDLE 4u
/* The system's trusted CAs when no bundle is given (Debian's
 * ca-certificates, the file libcurl and skopeo read). */
#define SN_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

struct sn_h1_header {
	char *name; /* as sent */
	char *value; /* leading and trailing blanks removed */
};

/* The head of the final answer. */
struct sn_h1_answer {
	int status;  /* 200..599 (1xx are skipped) */
	int minor;   /* HTTP/1.minor */
	struct sn_h1_header *headers;
	size_t n_headers;
};

/* The index-th value of header name (case-insensitive), or NULL. */
const char *sn_h1_header(const struct sn_h1_answer *a, const char *name, size_t index);
size_t sn_h1_header_count(const struct sn_h1_answer *a, const char *name);
void sn_h1_answer_free(struct sn_h1_answer *a);

/* How an exchange ended. */
enum sn_h1_outcome {
	SN_H1_DONE = 0,       /* the whole answer was read */
	SN_H1_STOPPED,        /* the sink stopped it (the connection is closed) */
	SN_H1_MALFORMED,      /* the answer broke HTTP/1.1 or a bound: why says how */
	SN_H1_RESET,          /* the connection broke or closed before the answer was whole */
	SN_H1_CONNECT,        /* no connection: name resolution, refused, unreachable */
	SN_H1_TLS,            /* TLS handshake or certificate verification failed */
	SN_H1_TIMEOUT,        /* a deadline passed */
	SN_H1_NOMEM,
};

/* Where the caller takes the answer.  head: the final answer's head has
 * been read; length is its Content-Length, -1 when the body's length is
 * not known (chunked, or until close), 0 for HEAD, 204 and 304.  body:
 * the next bytes of the body.  Either returns nonzero to stop. */
struct sn_h1_sink {
	int (*head)(void *ud, const struct sn_h1_answer *a, int64_t length);
	int (*body)(void *ud, const void *data, size_t n);
	void *ud;
};

/* A byte source for the answer reader: read() returns the bytes read
 * (> 0), 0 at the end of the stream, -1 on failure (then *outcome is what
 * failed: SN_H1_RESET, SN_H1_TIMEOUT, SN_H1_TLS). */
struct sn_h1_io {
	ssize_t (*read)(void *ctx, void *buf, size_t n, enum sn_h1_outcome *outcome);
	void *ctx;
};

/* Reads one answer (1xx skipped) from io into a and sink.  head_request:
 * the request was HEAD (no body follows, whatever the head says).
 * *reusable is set when the connection may carry another request
 * (HTTP/1.1, no "Connection: close", body framed and read whole).  why
 * gets a reason for any outcome but SN_H1_DONE.  Sockets play no part:
 * this is what the fuzzer drives. */
enum sn_h1_outcome sn_h1_read_answer(const struct sn_h1_io *io, int head_request, struct sn_h1_answer *a,
                                     const struct sn_h1_sink *sink, int *reusable, char *why,
                                     size_t why_size);

/* TLS settings of a pool. */
struct sn_h1_tls {
	int verify;              /* check the server's chain and name */
	const void *ca_pem;      /* trusted CAs, PEM; NULL: SN_SYSTEM_CA_FILE */
	size_t ca_len;
	const char *client_cert; /* PEM file, or NULL */
	const char *client_key;  /* PEM file (unencrypted), or NULL */
};

/* Connections of one client: up to SN_H1_MAX_IDLE idle keep-alive
 * connections, each kept for one scheme://host:port, and the TLS context
 * (made on the first https request).  Not thread-safe: one per thread. */
struct sn_h1_pool;

/* The settings are borrowed: ca_pem, client_cert and client_key must
 * outlive the pool. */
int sn_h1_pool_new(struct sn_h1_pool **out, const struct sn_h1_tls *tls);
void sn_h1_pool_free(struct sn_h1_pool *p);

struct sn_h1_request {
	const char *method;           /* "GET", "HEAD", "PUT", "POST", "PATCH" */
	const struct sn_url *url;
	const char *const *headers;   /* "Name: value" lines (no CRLF); may hold secrets */
	size_t n_headers;
	const void *body;             /* sent with Content-Length when has_body */
	size_t body_len;
	int has_body;
	int64_t connect_deadline_ms; /* sn_now_ms() clock: connecting (TCP and TLS) ends by then */
	int64_t deadline_ms;         /* and the whole exchange by then */
};

struct sn_h1_result {
	enum sn_h1_outcome outcome;
	char why[512];  /* for any outcome but SN_H1_DONE; never holds a header value */
};

/* One exchange: takes an idle connection to the URL's origin or opens
 * one (all addresses of the name, in order, within connect_deadline_ms),
 * sends the request (Host added, and Content-Length with a body; the bytes are
 * wiped after sending), reads the answer into a and sink, and keeps the
 * connection if it is reusable.  A kept connection that fails before any
 * byte of the answer arrived is replaced once by a new one (the server
 * closed it while idle).  Returns res->outcome. */
enum sn_h1_outcome sn_h1_perform(struct sn_h1_pool *p, const struct sn_h1_request *rq, struct sn_h1_answer *a,
                                 const struct sn_h1_sink *sink, struct sn_h1_result *res);

#endif
