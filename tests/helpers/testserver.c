/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/helpers/testserver.c: the test server the integration tests start
 * (tests/lib.sh).  One single-threaded program, loopback only, plain HTTP,
 * bounded (it exits after --max-requests requests or --lifetime seconds).
 * One connection at a time, one request per connection.
 *
 *   token --port P --key KEY.pem --cert CERT.pem --issuer I --service S
 *         --user U --password PW [--tls-cert CRT --tls-key KEY]
 *	A docker-registry bearer-token issuer: GET /token?service=S&scope=...
 *	with Basic auth answers a JWT (RS256, header x5c = CERT) granting what
 *	was asked.  docker-registry checks the x5c chain against its
 *	auth.token.rootcertbundle.  With --tls-cert it serves HTTPS (a client
 *	that verifies TLS will not send credentials to a plain-HTTP realm).
 *
 *   files --port P --root DIR [--fail-status STATUS] [--drip-ms MS]
 *	A plain static file server (an http:// lookaside signature store):
 *	GET or HEAD /PATH answers the regular file DIR/PATH (percent escapes
 *	decoded, no ".." component), 404 when there is none.  Files over
 *	FILES_MAX_SIZE bytes answer 500.  With --fail-status, every request
 *	answers that status instead (a store that is down).  With --drip-ms,
 *	a body is sent one byte every MS milliseconds (a slow-drip store).
 *
 *   hostile --port P --port2 P2 [--basic] [--root DIR]
 *	A registry that lies (see route_hostile for the repositories).  With
 *	--basic, every /v2/ request on P without an Authorization header gets
 *	a Basic challenge (any credentials are accepted), so a client sends
 *	its credentials and a test can see where they go.  With --root, the
 *	repositories api/X answer from files a test copied out of a real
 *	registry (an image and its bundle referrer) and a referrers API that
 *	tells the lie X names (route_api); files over API_FILE_MAX bytes are
 *	not served.
 *
 * Common options: --log FILE (one line per request: "PORT METHOD PATH
 * auth=0|1 STATUS"), --max-requests N (default 1000), --lifetime S
 * (default 300), --answer-tls: a TLS ClientHello on a plain-HTTP port gets
 * a plain "400 Bad Request", as docker-registry (Go's net/http) answers it,
 * and is logged as "PORT TLS - auth=0 400"; without it the connection is
 * closed unanswered.  "ready" is printed on stdout once the ports listen.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <signet/limits.h>

#include "registry/http1.h" /* the bounds the h1/ cases cross */

#define REQ_MAX 16384			/* request line + headers */
#define IO_TIMEOUT_S 10			/* per read/write on a connection */
#define MAX_SCOPES 16
#define BIG_SIZE (SIGNET_MAX_MANIFEST_SIZE + 1u)
#define HUGE_SIZE (256u * 1024u * 1024u)
#define FILES_MAX_SIZE (64u * 1024u * 1024u) /* largest file the files mode serves */
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX    "application/vnd.oci.image.index.v1+json"

struct req {
	int port;
	char method[16];
	char path[4096];  /* percent-encoded, without the query */
	char query[4096]; /* after '?', or "" */
	char auth[2048];  /* Authorization header value, or "" */
};

static struct {
	const char *mode, *key_path, *cert_path, *issuer, *service, *user, *password, *log_path;
	const char *tls_cert, *tls_key, *root;
	int port, port2, basic, fail_status, answer_tls;
	long max_requests, lifetime, drip_ms;
} opt = { .max_requests = 1000, .lifetime = 300 };

static FILE *log_file;
static SSL_CTX *tls_ctx; /* --tls-cert: every connection is HTTPS */
static SSL *conn_ssl;	 /* the TLS state of the current connection, or NULL */
static EVP_PKEY *sign_key;
static char *cert_b64; /* standard base64 of the certificate's DER */

/* hostile mode: one small image served where the routes need a good one. */
static char empty_tar[1024];
static char config_json[512], manifest_json[1024], config_digest[80], layer_digest[80], manifest_digest[80];
static int slow_count;
static int no_close_notify; /* the connection ends without a TLS close_notify */

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("testserver: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---- encodings -------------------------------------------------------- */

static void sha256_digest(char out[80], const void *data, size_t len)
{
	unsigned char md[32];
	int n = snprintf(out, 80, "sha256:");

	if (EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL) != 1)
		die("sha256 failed");
	for (int i = 0; i < 32; i++)
		n += snprintf(out + n, (size_t)(80 - n), "%02x", md[i]);
}

/* Standard base64 with padding; caller frees. */
static char *b64(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out == NULL)
		die("out of memory");
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

/* Base64url without padding (JWS); caller frees. */
static char *b64url(const unsigned char *data, size_t len)
{
	char *out = b64(data, len);

	for (char *p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
		else if (*p == '=')
			*p = '\0';
	}
	return out;
}

/* Decodes "%XX" escapes and '+' in place. */
static void url_decode(char *s)
{
	char *w = s;

	for (char *r = s; *r != '\0'; r++) {
		if (*r == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
			char hex[3] = { r[1], r[2], '\0' };

			*w++ = (char)strtol(hex, NULL, 16);
			r += 2;
		} else {
			*w++ = *r == '+' ? ' ' : *r;
		}
	}
	*w = '\0';
}

/* ---- HTTP ------------------------------------------------------------- */

static int send_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n;

		if (conn_ssl != NULL) {
			int k = SSL_write(conn_ssl, p, len > INT_MAX ? INT_MAX : (int)len);

			n = k > 0 ? k : -1;
		} else if ((n = send(fd, p, len, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* --answer-tls: what Go's net/http answers a ClientHello on a plain port. */
static void answer_tls_in_http(int fd)
{
	static const char answer[] = "HTTP/1.0 400 Bad Request\r\n\r\n"
	                             "Client sent an HTTP request to an HTTPS server.\n";
	struct sockaddr_in local;
	socklen_t len = sizeof(local);

	(void)send(fd, answer, sizeof(answer) - 1, MSG_NOSIGNAL);
	if (log_file != NULL && getsockname(fd, (struct sockaddr *)&local, &len) == 0) {
		fprintf(log_file, "%d TLS - auth=0 400\n", ntohs(local.sin_port));
		fflush(log_file);
	}
}

/* Reads the request head (bounded by REQ_MAX and IO_TIMEOUT_S) and parses
 * the request line and the Authorization header.  Returns 0 or -1. */
static int read_request(int fd, struct req *rq)
{
	static char buf[REQ_MAX + 1];
	size_t len = 0;
	char *end = NULL, *line, *next, *target, *q;

	while (end == NULL) {
		ssize_t n;

		if (conn_ssl != NULL) {
			int k = SSL_read(conn_ssl, buf + len, (int)(REQ_MAX - len));

			n = k > 0 ? k : -1;
		} else if ((n = recv(fd, buf + len, REQ_MAX - len, 0)) < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0)
			return -1;
		len += (size_t)n;
		if (conn_ssl == NULL && (unsigned char)buf[0] == 0x16) {
			/* a TLS ClientHello, but this port speaks plain HTTP */
			if (opt.answer_tls)
				answer_tls_in_http(fd);
			return -1;
		}
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (end == NULL && len == REQ_MAX)
			return -1;
	}
	end[2] = '\0';
	line = buf;
	next = strstr(line, "\r\n");
	*next = '\0';
	target = strchr(line, ' ');
	if (target == NULL || (size_t)(target - line) >= sizeof(rq->method))
		return -1;
	memcpy(rq->method, line, (size_t)(target - line));
	rq->method[target - line] = '\0';
	target++;
	q = strchr(target, ' ');
	if (q == NULL)
		return -1;
	*q = '\0';
	q = strchr(target, '?');
	if (q != NULL)
		*q++ = '\0';
	if (snprintf(rq->path, sizeof(rq->path), "%s", target) >= (int)sizeof(rq->path) ||
	    snprintf(rq->query, sizeof(rq->query), "%s", q != NULL ? q : "") >= (int)sizeof(rq->query))
		return -1;
	rq->auth[0] = '\0';
	for (line = next + 2; *line != '\0'; line = next + 2) {
		next = strstr(line, "\r\n");
		*next = '\0';
		if (strncasecmp(line, "Authorization:", 14) == 0) {
			const char *v = line + 14;

			while (*v == ' ' || *v == '\t')
				v++;
			snprintf(rq->auth, sizeof(rq->auth), "%s", v);
		}
	}
	return 0;
}

static void log_request(const struct req *rq, int status)
{
	if (log_file == NULL)
		return;
	fprintf(log_file, "%d %s %s auth=%d %d\n", rq->port, rq->method, rq->path, rq->auth[0] != '\0', status);
	fflush(log_file);
}

/* Sends a whole response.  extra is more header lines, each ending in
 * "\r\n", or NULL.  A HEAD request gets the headers only. */
static int respond(int fd, const struct req *rq, int status, const char *ctype, const char *extra,
		    const void *body, size_t len)
{
	char head[2048];
	int n;

	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
		     status, status < 300 ? "OK" : status < 400 ? "Redirect" : "Error", ctype, len,
		     extra != NULL ? extra : "");
	if (n < 0 || n >= (int)sizeof(head))
		die("response head too long");
	log_request(rq, status);
	if (send_all(fd, head, (size_t)n) == 0 && strcmp(rq->method, "HEAD") != 0)
		(void)send_all(fd, body, len);
	return status;
}

static int respond_error(int fd, const struct req *rq, int status, const char *code, const char *extra)
{
	char body[256];
	int n = snprintf(body, sizeof(body), "{\"errors\":[{\"code\":\"%s\",\"message\":\"%s\"}]}", code, code);

	return respond(fd, rq, status, "application/json", extra, body, (size_t)n);
}

/* A manifest with a truthful Docker-Content-Digest. */
static int respond_manifest(int fd, const struct req *rq, const char *body, size_t len)
{
	char extra[160], digest[80];

	sha256_digest(digest, body, len);
	snprintf(extra, sizeof(extra), "Docker-Content-Digest: %s\r\n", digest);
	return respond(fd, rq, 200, MT_OCI_MANIFEST, extra, body, len);
}

/* Sends status with a body of total bytes: prefix, then 'a' up to total
 * less the suffix, then suffix.  With length_known, Content-Length is sent;
 * without, the body ends with the connection.  Returns 0, or -1 when the
 * client went away before the end. */
static int send_padded(int fd, const struct req *rq, int status, const char *ctype, const char *extra,
		       const char *prefix, const char *suffix, size_t total, int length_known)
{
	static char chunk[65536];
	size_t plen = strlen(prefix), slen = strlen(suffix), sent, pad;
	char head[2048], clen[64] = "";
	int n;

	if (total < plen + slen)
		die("padded body of %zu bytes is shorter than its prefix and suffix", total);
	if (length_known)
		snprintf(clen, sizeof(clen), "Content-Length: %zu\r\n", total);
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n%s%sConnection: close\r\n\r\n", status,
		     status < 300 ? "OK" : "Error", ctype, clen, extra != NULL ? extra : "");
	if (n < 0 || n >= (int)sizeof(head))
		die("response head too long");
	log_request(rq, status);
	if (send_all(fd, head, (size_t)n) != 0)
		return -1;
	if (strcmp(rq->method, "HEAD") == 0)
		return 0;
	if (send_all(fd, prefix, plen) != 0)
		return -1;
	memset(chunk, 'a', sizeof(chunk));
	pad = total - plen - slen;
	for (sent = 0; sent < pad;) {
		size_t k = pad - sent < sizeof(chunk) ? pad - sent : sizeof(chunk);

		if (send_all(fd, chunk, k) != 0)
			return -1;
		sent += k;
	}
	return send_all(fd, suffix, slen);
}

/* Streams a JSON manifest of total bytes whose annotation value is padded
 * with 'a'.  With a length, Content-Length is sent and the document is
 * complete; without (length_known 0) the body is cut at total bytes and
 * ends with the connection.  Stops quietly when the client goes away. */
static int respond_padded(int fd, const struct req *rq, size_t total, int length_known)
{
	static const char prefix[] =
		"{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST "\",\"annotations\":{\"pad\":\"";

	(void)send_padded(fd, rq, 200, MT_OCI_MANIFEST, NULL, prefix, length_known ? "\"}}" : "", total,
			  length_known);
	return 200;
}

/* Keeps the connection open, sending nothing, until the client hangs up
 * (or IO_TIMEOUT_S passes): a server that stopped answering. */
static void hold_until_hangup(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	time_t end = time(NULL) + IO_TIMEOUT_S;
	char sink[4096];

	while (time(NULL) < end) {
		int k = poll(&p, 1, 200);

		if (k < 0 && errno != EINTR)
			return;
		if (k > 0 && recv(fd, sink, sizeof(sink), 0) <= 0)
			return;
	}
}

/* Sends data one byte every interval_ms: a server that never stalls long
 * enough for a per-request timeout to be the first to notice.  Returns
 * -1 when the client went away. */
static int send_drip(int fd, const void *data, size_t len, long interval_ms)
{
	const char *p = data;

	for (size_t i = 0; i < len; i++) {
		struct timespec ts = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};

		if (send_all(fd, p + i, 1) != 0)
			return -1;
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	return 0;
}

/* ---- token mode ------------------------------------------------------- */

/* Appends {type, name, actions} for one "type:name:a,b" scope; the name
 * may contain ':' (the type is before the first, the actions after the
 * last).  Returns -1 on a malformed scope. */
static int add_access(json_t *access, const char *scope)
{
	const char *c1 = strchr(scope, ':'), *c2 = strrchr(scope, ':');
	json_t *actions;
	char *list, *rest, *a;

	if (c1 == NULL || c2 == c1)
		return -1;
	list = rest = strdup(c2 + 1);
	actions = json_array();
	while ((a = strsep(&rest, ",")) != NULL)
		if (*a != '\0')
			json_array_append_new(actions, json_string(a));
	json_array_append_new(access, json_pack("{s:s%, s:s%, s:o}", "type", scope, (size_t)(c1 - scope), "name",
						c1 + 1, (size_t)(c2 - c1 - 1), "actions", actions));
	free(list);
	return 0;
}

/* 1 if the Authorization header carries Basic user:password. */
static int basic_auth_ok(const char *auth)
{
	unsigned char dec[1024];
	char want[512];
	size_t len = strlen(auth + 6), pad = 0;
	int n, w;

	if (strncmp(auth, "Basic ", 6) != 0 || len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(dec))
		return 0;
	n = EVP_DecodeBlock(dec, (const unsigned char *)auth + 6, (int)len);
	if (n < 0)
		return 0;
	pad = (auth[6 + len - 1] == '=') + (auth[6 + len - 2] == '=');
	w = snprintf(want, sizeof(want), "%s:%s", opt.user, opt.password);
	return w > 0 && (size_t)w == (size_t)n - pad && CRYPTO_memcmp(dec, want, (size_t)w) == 0;
}

static char *sign_jwt(const char *sub, json_t *access)
{
	time_t now = time(NULL);
	unsigned char rnd[16], sig[1024];
	char jti[33], *header, *claims, *h64, *c64, *s64, *input, *token;
	size_t siglen = sizeof(sig), n;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	json_t *h, *c;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		die("RAND_bytes failed");
	for (int i = 0; i < 16; i++)
		snprintf(jti + 2 * i, 3, "%02x", rnd[i]);
	h = json_pack("{s:s, s:s, s:[s]}", "typ", "JWT", "alg", "RS256", "x5c", cert_b64);
	c = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:O}", "iss", opt.issuer, "sub", sub, "aud",
		      opt.service, "exp", (json_int_t)now + 300, "nbf", (json_int_t)now - 10, "iat",
		      (json_int_t)now, "jti", jti, "access", access);
	header = json_dumps(h, JSON_COMPACT);
	claims = json_dumps(c, JSON_COMPACT);
	if (md == NULL || header == NULL || claims == NULL)
		die("out of memory");
	h64 = b64url((unsigned char *)header, strlen(header));
	c64 = b64url((unsigned char *)claims, strlen(claims));
	n = strlen(h64) + strlen(c64) + 2;
	input = malloc(n);
	snprintf(input, n, "%s.%s", h64, c64);
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, sign_key) != 1 ||
	    EVP_DigestSign(md, sig, &siglen, (unsigned char *)input, strlen(input)) != 1)
		die("signing the token failed");
	s64 = b64url(sig, siglen);
	n = strlen(input) + strlen(s64) + 2;
	token = malloc(n);
	snprintf(token, n, "%s.%s", input, s64);
	EVP_MD_CTX_free(md);
	json_decref(h);
	json_decref(c);
	free(header);
	free(claims);
	free(h64);
	free(c64);
	free(s64);
	free(input);
	return token;
}

static int route_token(int fd, struct req *rq)
{
	char *scopes[MAX_SCOPES], *service = NULL, *rest = rq->query, *p, *token, *body, issued[32];
	size_t n_scopes = 0;
	time_t now = time(NULL);
	json_t *access, *resp;

	if (strcmp(rq->path, "/token") != 0 || strcmp(rq->method, "GET") != 0)
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	if (!basic_auth_ok(rq->auth))
		return respond_error(fd, rq, 401, "UNAUTHORIZED", "WWW-Authenticate: Basic realm=\"token\"\r\n");
	while ((p = strsep(&rest, "&")) != NULL) {
		url_decode(p);
		if (strncmp(p, "service=", 8) == 0)
			service = p + 8;
		else if (strncmp(p, "scope=", 6) == 0 && n_scopes < MAX_SCOPES)
			scopes[n_scopes++] = p + 6;
	}
	if (service == NULL || strcmp(service, opt.service) != 0)
		return respond_error(fd, rq, 400, "UNKNOWN_SERVICE", NULL);
	access = json_array();
	for (size_t i = 0; i < n_scopes; i++) {
		/* "repository:a/b:pull repository:c:pull" is one value with spaces */
		char *s;

		while ((s = strsep(&scopes[i], " ")) != NULL) {
			if (*s != '\0' && add_access(access, s) != 0) {
				json_decref(access);
				return respond_error(fd, rq, 400, "INVALID_SCOPE", NULL);
			}
		}
	}
	token = sign_jwt(opt.user, access);
	strftime(issued, sizeof(issued), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	resp = json_pack("{s:s, s:s, s:i, s:s}", "token", token, "access_token", token, "expires_in", 300,
			 "issued_at", issued);
	body = json_dumps(resp, JSON_COMPACT);
	respond(fd, rq, 200, "application/json", NULL, body, strlen(body));
	json_decref(access);
	json_decref(resp);
	free(token);
	free(body);
	return 200;
}

static void token_setup(void)
{
	FILE *f;
	X509 *cert;
	unsigned char *der = NULL;
	int len;

	if (opt.key_path == NULL || opt.cert_path == NULL || opt.issuer == NULL || opt.service == NULL ||
	    opt.user == NULL || opt.password == NULL)
		die("token needs --key --cert --issuer --service --user --password");
	if ((f = fopen(opt.key_path, "r")) == NULL || (sign_key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		die("cannot read the private key %s", opt.key_path);
	fclose(f);
	if ((f = fopen(opt.cert_path, "r")) == NULL || (cert = PEM_read_X509(f, NULL, NULL, NULL)) == NULL)
		die("cannot read the certificate %s", opt.cert_path);
	fclose(f);
	if ((len = i2d_X509(cert, &der)) <= 0)
		die("cannot encode the certificate %s", opt.cert_path);
	cert_b64 = b64(der, (size_t)len);
	OPENSSL_free(der);
	X509_free(cert);
}

/* ---- hostile mode ----------------------------------------------------- */

static void hostile_setup(void)
{
	int n;
	struct stat st;

	if (opt.root != NULL && (stat(opt.root, &st) != 0 || !S_ISDIR(st.st_mode)))
		die("--root %s is not a directory", opt.root);

	sha256_digest(layer_digest, empty_tar, sizeof(empty_tar));
	n = snprintf(config_json, sizeof(config_json),
		     "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
		     "\"diff_ids\":[\"%s\"]}}",
		     layer_digest);
	sha256_digest(config_digest, config_json, (size_t)n);
	snprintf(manifest_json, sizeof(manifest_json),
		 "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST "\",\"config\":{\"mediaType\":"
		 "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%d},\"layers\":[{"
		 "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%zu}]}",
		 config_digest, n, layer_digest, sizeof(empty_tar));
	sha256_digest(manifest_digest, manifest_json, strlen(manifest_json));
}

/* ---- hostile mode: limits ---------------------------------------------- */

#define LIST_PAGE SIGNET_MAX_TAGS_PAGE
#define LIST_TOTAL SIGNET_MAX_TAGS_TOTAL
#define ERR_PREFIX "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"padded-"
#define ERR_SUFFIX "\"}]}"

/* The number after "last=X" in a query (entries are X followed by
 * digits), plus one: where the next page starts; 0 without "last=". */
static unsigned long list_start(const char *query)
{
	const char *p = query;
	unsigned long v;
	char *end;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "last=", 5) == 0 && p[5] != '\0' && isdigit((unsigned char)p[6])) {
			errno = 0;
			v = strtoul(p + 6, &end, 10);
			if (errno != 0 || v >= 100000000ul)
				return 0;
			return v + 1;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* One page of a list: {"key":["<c>NNNNNNN", ...]} with count entries from
 * start on; with next, a Link header to the page after it. */
static int respond_list(int fd, const struct req *rq, const char *key, char c, unsigned long start,
			unsigned long count, int next)
{
	size_t size = count * 16 + 64, len = 0;
	char *body = malloc(size), extra[4300];
	int n;

	if (body == NULL)
		die("out of memory");
	len += (size_t)snprintf(body, size, "{\"%s\":[", key);
	for (unsigned long i = 0; i < count; i++)
		len += (size_t)snprintf(body + len, size - len, "%s\"%c%07lu\"", i > 0 ? "," : "", c,
					start + i);
	len += (size_t)snprintf(body + len, size - len, "]}");
	extra[0] = '\0';
	if (next) {
		n = snprintf(extra, sizeof(extra), "Link: <%s?n=%d&last=%c%07lu>; rel=\"next\"\r\n", rq->path,
			     LIST_PAGE, c, start + count - 1);
		if (n < 0 || n >= (int)sizeof(extra))
			die("Link header too long");
	}
	respond(fd, rq, 200, "application/json", extra, body, len);
	free(body);
	return 200;
}

/* tags/cycle: the first page links to ?last=a, which links to ?last=b,
 * which links back to ?last=a: each page one new tag, the pages for ever. */
static int respond_cycle(int fd, const struct req *rq)
{
	char body[64], extra[600];
	char at = strstr(rq->query, "last=a") != NULL ? 'a' : strstr(rq->query, "last=b") != NULL ? 'b' : '0';
	int n = snprintf(body, sizeof(body), "{\"tags\":[\"%c\"]}", at);
	int m = snprintf(extra, sizeof(extra), "Link: <%s?n=1&last=%c>; rel=\"next\"\r\n", rq->path,
			 at == 'a' ? 'b' : 'a');

	if (n < 0 || n >= (int)sizeof(body) || m < 0 || m >= (int)sizeof(extra))
		die("tags/cycle: page too long");
	respond(fd, rq, 200, "application/json", extra, body, (size_t)n);
	return 200;
}

/* GET /token/VARIANT, the realm of the token/VARIANT repositories. */
static int route_token_limit(int fd, struct req *rq, const char *variant)
{
	static const char prefix[] = "{\"token\":\"tok-", middle[] = "\",\"expires_in\":300,\"pad\":\"";
	char head[128];

	snprintf(head, sizeof(head), "%s%.32s%s", prefix, variant, middle);
	if (strcmp(variant, "exact") == 0)
		(void)send_padded(fd, rq, 200, "application/json", NULL, head, "\"}",
				  SIGNET_MAX_TOKEN_RESPONSE_SIZE, 1);
	else if (strcmp(variant, "big") == 0)
		(void)send_padded(fd, rq, 200, "application/json", NULL, head, "\"}",
				  SIGNET_MAX_TOKEN_RESPONSE_SIZE + 1u, 1);
	else if (strcmp(variant, "bigstream") == 0)
		(void)send_padded(fd, rq, 200, "application/json", NULL, head, "\"}",
				  SIGNET_MAX_TOKEN_RESPONSE_SIZE + 1u, 0);
	else
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	return 200;
}

/* The repositories and lists that cross the limits of SPEC §7 (see
 * route_hostile).  Returns -1 when rq is none of them. */
static int route_limits(int fd, struct req *rq, const char *name, size_t name_len)
{
	char extra[300], date[64], want[64];
	const char *tail;
	time_t later;

#define IS(n) (name_len == strlen(n) && strncmp(name, n, name_len) == 0)
#define UNDER(n) (name_len > strlen(n) && strncmp(name, n, strlen(n)) == 0)
	if (name_len == 0 && strcmp(rq->path, "/v2/_catalog") == 0) {
		if (rq->port == opt.port2)
			return respond_list(fd, rq, "repositories", 'r', 0, LIST_PAGE + 1, 0);
		return respond_list(fd, rq, "repositories", 'r', list_start(rq->query), LIST_PAGE, 1);
	}
	tail = name + name_len;
	if (strcmp(tail, "/tags/list") == 0) {
		unsigned long start = list_start(rq->query);

		if (IS("tags/page"))
			return respond_list(fd, rq, "tags", 't', 0, LIST_PAGE + 1, 0);
		if (IS("tags/fullpage"))
			return respond_list(fd, rq, "tags", 't', 0, LIST_PAGE, 0);
		if (IS("tags/total"))
			return respond_list(fd, rq, "tags", 't', start, LIST_PAGE,
					    start + LIST_PAGE < LIST_TOTAL);
		if (IS("tags/endless"))
			return respond_list(fd, rq, "tags", 't', start, LIST_PAGE, 1);
		if (IS("tags/cycle"))
			return respond_cycle(fd, rq);
		return -1;
	}
	if (strncmp(tail, "/manifests/", 11) != 0)
		return -1;
	/* Token realms that are not usable http(s) URLs. */
	if (IS("realm/creds") || IS("realm/ftp")) {
		snprintf(extra, sizeof(extra),
		         "WWW-Authenticate: Bearer realm=\"%s://%s127.0.0.1:%d/token/exact\","
		         "service=\"hostile\"\r\n",
		         IS("realm/ftp") ? "ftp" : "http", IS("realm/ftp") ? "" : "realmuser:s3cret@",
		         opt.port);
		return respond_error(fd, rq, 401, "UNAUTHORIZED", extra);
	}
	if (UNDER("token/")) {
		snprintf(want, sizeof(want), "Bearer tok-%.*s", (int)(name_len - 6), name + 6);
		if (strcmp(rq->auth, want) == 0)
			return respond_manifest(fd, rq, manifest_json, strlen(manifest_json));
		snprintf(extra, sizeof(extra),
			 "WWW-Authenticate: Bearer realm=\"http://127.0.0.1:%d/token/%.*s\","
			 "service=\"hostile\"\r\n",
			 opt.port, (int)(name_len - 6 > 32 ? 32 : name_len - 6), name + 6);
		return respond_error(fd, rq, 401, "UNAUTHORIZED", extra);
	}
	if (IS("stall/x")) {
		log_request(rq, 0);
		hold_until_hangup(fd);
		return 0;
	}
	if (IS("trickle/x")) {
		static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: " MT_OCI_MANIFEST
					   "\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n";
		struct timespec tick = { 0, 100 * 1000 * 1000 };

		log_request(rq, 200);
		if (send_all(fd, head, sizeof(head) - 1) != 0)
			return 200;
		for (int i = 0; i < IO_TIMEOUT_S * 10 && send_all(fd, "{", 1) == 0; i++)
			nanosleep(&tick, NULL);
		return 200;
	}
	if (IS("retry/date")) {
		later = time(NULL) + 86400;
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&later));
		snprintf(extra, sizeof(extra), "Retry-After: %s\r\n", date);
		return respond_error(fd, rq, 503, "UNAVAILABLE", extra);
	}
	if (UNDER("retry/") && strspn(name + 6, "0123456789") == name_len - 6 && name_len - 6 <= 9) {
		snprintf(extra, sizeof(extra), "Retry-After: %.*s\r\n", (int)(name_len - 6), name + 6);
		return respond_error(fd, rq, 503, "UNAVAILABLE", extra);
	}
	if (IS("errbody/exact")) {
		(void)send_padded(fd, rq, 404, "application/json", NULL, ERR_PREFIX, ERR_SUFFIX,
				  SIGNET_MAX_ERROR_BODY_SIZE, 1);
		return 404;
	}
	if (IS("errbody/over")) {
		if (send_padded(fd, rq, 404, "application/json", NULL, ERR_PREFIX, ERR_SUFFIX,
				SIGNET_MAX_ERROR_BODY_SIZE + 1u, 0) == 0)
			hold_until_hangup(fd);
		return 404;
	}
#undef IS
#undef UNDER
	return -1;
}

/* The referrers API of ref/X (route_hostile): answers signet must refuse.
 * Returns -1 when rq is not a referrers request. */
static int route_referrers(int fd, struct req *rq)
{
	static const char pre[] = "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":[";
	static const char entry[] =
	    "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"digest\":\"sha256:"
	    "0000000000000000000000000000000000000000000000000000000000000000\",\"size\":2,"
	    "\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}";
	const char *r = strstr(rq->path, "/referrers/"), *name = rq->path + 4;
	size_t name_len, n;
	char *body;
	int status;

	if (r == NULL)
		return -1;
	name_len = (size_t)(r - name);
#define IS(x) (name_len == strlen(x) && strncmp(name, x, name_len) == 0)
	if (IS("ref/none"))
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	if (IS("ref/notallowed"))
		return respond_error(fd, rq, 405, "UNSUPPORTED", NULL);
	if (IS("ref/wrongtype"))
		return respond(fd, rq, 200, "application/json", NULL, "{}", 2);
	if (IS("ref/error"))
		return respond_error(fd, rq, 500, "INTERNAL", NULL);
	if (IS("ref/manifest"))
		return respond(fd, rq, 200, MT_OCI_INDEX, NULL, manifest_json, strlen(manifest_json));
	if (IS("ref/many")) {
		n = sizeof(pre) - 1 + (size_t)(SIGNET_MAX_REFERRERS + 1) * sizeof(entry) + 2;
		if ((body = malloc(n + 1)) == NULL)
			die("out of memory");
		memcpy(body, pre, sizeof(pre) - 1);
		n = sizeof(pre) - 1;
		for (int i = 0; i <= SIGNET_MAX_REFERRERS; i++) {
			if (i > 0)
				body[n++] = ',';
			memcpy(body + n, entry, sizeof(entry) - 1);
			n += sizeof(entry) - 1;
		}
		memcpy(body + n, "]}", 2);
		n += 2;
		status = respond(fd, rq, 200, MT_OCI_INDEX, NULL, body, n);
		free(body);
		return status;
	}
#undef IS
	return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
}

/* ---- hostile mode: the referrers API over real files (--root) ---------- */

#define API_FILE_MAX SIGNET_MAX_MANIFEST_SIZE /* largest file api/X serves */
#define MT_BUNDLE    "application/vnd.dev.sigstore.bundle.v0.3+json"

/* The last manifest an api/X lie made up, served when asked by digest. */
static struct {
	char digest[80];
	char *body;
} api_made;

/* Reads DIR/SUB/NAME (NAME a digest or a tag: no '/', no ".."), at most
 * API_FILE_MAX bytes; *len its size.  NULL when there is none. */
static char *api_file(const char *sub, const char *name, const char *suffix, size_t *len)
{
	char path[8192];
	struct stat st;
	char *data;
	FILE *f;

	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL ||
	    snprintf(path, sizeof(path), "%s/%s/%s%s", opt.root, sub, name, suffix) >= (int)sizeof(path))
		return NULL;
	if ((f = fopen(path, "rbe")) == NULL)
		return NULL;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > API_FILE_MAX ||
	    (data = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	*len = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	if (*len != (size_t)st.st_size) {
		free(data);
		return NULL;
	}
	data[*len] = '\0';
	return data;
}

/* Remembers body (taken) as the made-up manifest; returns its digest. */
static const char *api_make(char *body)
{
	free(api_made.body);
	api_made.body = body;
	sha256_digest(api_made.digest, body, strlen(body));
	return api_made.digest;
}

/* The first bundle entry of the index, its manifest loaded as *m. */
static json_t *api_bundle_entry(json_t *idx, json_t **m)
{
	size_t i, len;
	json_t *d;
	char *body;

	json_array_foreach(json_object_get(idx, "manifests"), i, d)
	{
		const char *at = json_string_value(json_object_get(d, "artifactType"));
		const char *digest = json_string_value(json_object_get(d, "digest"));

		if (at == NULL || digest == NULL || strcmp(at, MT_BUNDLE) != 0 ||
		    (body = api_file("manifests", digest, "", &len)) == NULL)
			continue;
		*m = json_loadb(body, len, 0, NULL);
		free(body);
		if (*m != NULL)
			return d;
	}
	return NULL;
}

/* The referrers answer of api/X for the subject digest: the index DIR
 * gives, filtered or not, or with the lie X tells.  *filtered is set when
 * the artifactType filter was applied. */
static char *api_referrers(const char *x, const char *digest, const char *query, int *filtered)
{
	json_t *idx, *entry, *m = NULL, *kept;
	char want[512] = "", *body, *out = NULL;
	size_t len, i;
	json_t *d;

	*filtered = 0;
	if ((body = api_file("referrers", digest, ".json", &len)) == NULL)
		return NULL;
	idx = json_loadb(body, len, 0, NULL);
	free(body);
	if (idx == NULL)
		return NULL;
	for (const char *p = query; p != NULL && *p != '\0'; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL)
		if (strncmp(p, "artifactType=", 13) == 0) {
			snprintf(want, sizeof(want), "%.*s", (int)strcspn(p + 13, "&"), p + 13);
			url_decode(want);
		}
	if (strcmp(x, "good") == 0 && want[0] != '\0') {
		kept = json_array();
		json_array_foreach(json_object_get(idx, "manifests"), i, d)
		{
			const char *at = json_string_value(json_object_get(d, "artifactType"));

			if (at != NULL && strcmp(at, want) == 0)
				json_array_append(kept, d);
		}
		json_object_set_new(idx, "manifests", kept);
		*filtered = 1;
	} else if (strncmp(x, "othersubject", 12) == 0 || strncmp(x, "typelie", 7) == 0) {
		/* A referrer made up from the real one: its subject another
		 * image, or its one layer the image's first layer (not a
		 * bundle) under the bundle artifactType.  X-beside lists the
		 * real one first, then the lie. */
		json_t *img = NULL;

		if ((entry = api_bundle_entry(idx, &m)) == NULL)
			goto out;
		if (strstr(x, "-beside") != NULL)
			json_array_insert_new(json_object_get(idx, "manifests"), 0, json_deep_copy(entry));
		if (x[0] == 'o') {
			json_object_set_new(
			    json_object_get(m, "subject"), "digest",
			    json_string(
			        "sha256:1111111111111111111111111111111111111111111111111111111111111111"));
		} else {
			if ((body = api_file("manifests", digest, "", &len)) == NULL ||
			    (img = json_loadb(body, len, 0, NULL)) == NULL ||
			    !json_is_object(json_array_get(json_object_get(img, "layers"), 0))) {
				free(body);
				json_decref(img);
				goto out;
			}
			free(body);
			json_array_set(json_object_get(m, "layers"), 0,
			               json_array_get(json_object_get(img, "layers"), 0));
			json_decref(img);
		}
		if ((body = json_dumps(m, JSON_COMPACT)) == NULL)
			goto out;
		json_object_set_new(entry, "size", json_integer((json_int_t)strlen(body)));
		json_object_set_new(entry, "digest", json_string(api_make(body)));
	}
	/* nofilter, baddigest: the whole index, whatever was asked. */
	out = json_dumps(idx, JSON_COMPACT);
out:
	json_decref(m);
	json_decref(idx);
	return out;
}

/* Repositories api/X with --root DIR: see route_hostile. */
static int route_api(int fd, struct req *rq)
{
	const char *name = rq->path + 8, *slash = strchr(name, '/'), *ref;
	char x[32], digest[80], extra[256], *body, *type, *t;
	size_t len, tlen;
	int status, filtered;

	if (slash == NULL || (size_t)(slash - name) >= sizeof(x))
		return respond_error(fd, rq, 404, "NAME_UNKNOWN", NULL);
	snprintf(x, sizeof(x), "%.*s", (int)(slash - name), name);
	if (strncmp(slash, "/referrers/", 11) == 0) {
		if ((body = api_referrers(x, slash + 11, rq->query, &filtered)) == NULL)
			return respond_error(fd, rq, 404, "MANIFEST_UNKNOWN", NULL);
		status =
		    respond(fd, rq, 200, MT_OCI_INDEX,
		            filtered ? "OCI-Filters-Applied: artifactType\r\n" : NULL, body, strlen(body));
		free(body);
		return status;
	}
	if (strncmp(slash, "/blobs/", 7) == 0) {
		if ((body = api_file("blobs", slash + 7, "", &len)) == NULL)
			return respond_error(fd, rq, 404, "BLOB_UNKNOWN", NULL);
		status = respond(fd, rq, 200, "application/octet-stream", NULL, body, len);
		free(body);
		return status;
	}
	if (strncmp(slash, "/manifests/", 11) != 0)
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	ref = slash + 11;
	if (strncmp(ref, "sha256:", 7) == 0) {
		snprintf(digest, sizeof(digest), "%s", ref);
	} else {
		if ((t = api_file("tags", ref, "", &tlen)) == NULL)
			return respond_error(fd, rq, 404, "MANIFEST_UNKNOWN", NULL);
		snprintf(digest, sizeof(digest), "%.*s", (int)strcspn(t, "\n"), t);
		free(t);
	}
	if (api_made.body != NULL && strcmp(digest, api_made.digest) == 0) {
		snprintf(extra, sizeof(extra), "Docker-Content-Digest: %s\r\n", digest);
		return respond(fd, rq, 200, MT_OCI_MANIFEST, extra, api_made.body, strlen(api_made.body));
	}
	if ((body = api_file("manifests", digest, "", &len)) == NULL)
		return respond_error(fd, rq, 404, "MANIFEST_UNKNOWN", NULL);
	if ((type = api_file("manifests", digest, ".type", &tlen)) == NULL) {
		free(body);
		return respond_error(fd, rq, 500, "NO_TYPE", NULL);
	}
	type[strcspn(type, "\r\n")] = '\0';
	snprintf(extra, sizeof(extra), "Docker-Content-Digest: %s\r\n", digest);
	if (strcmp(x, "baddigest") == 0 && len > 1 && body[len - 1] == '}' &&
	    strstr(body, "\"subject\"") != NULL) {
		/* the referrer's bytes, one space added: another digest than
		 * the one the index lists (and the header repeats) */
		char *lie = malloc(len + 2);

		if (lie == NULL)
			die("out of memory");
		memcpy(lie, body, len - 1);
		memcpy(lie + len - 1, " }", 2);
		free(body);
		body = lie;
		len++;
	}
	status = respond(fd, rq, 200, type, extra, body, len);
	free(body);
	free(type);
	return status;
}

/* ---- hostile mode: HTTP/1.1 framing (h1/CASE/x) ------------------------ */

/*
 * The good manifest of h1/CASE/x, framed as CASE says: the lies a client
 * must refuse and the oddities it must accept (RFC 9112).  A template's
 * tokens: {B} the manifest, {L} its length in decimal, {X} in hex, {B1}
 * {X1} its first half and that half's length in hex, {B2} {X2} the second
 * half, {D} its digest, {T} its media type, {P} pad 'a's and {H} pad
 * header fields "X-Pad-N: N".  HEAD gets the head template only, and the
 * connection stays open until the client hangs up; after a GET it is
 * closed after the body (or after nothing at all).
 */
struct h1_case {
	const char *name;
	const char *head, *body;
	size_t pad;
	enum { H1_STATIC, H1_SLOW_HEAD, H1_ENDLESS_CHUNKS, H1_NO_CLOSE_NOTIFY } kind;
};

#define H1_OK        "HTTP/1.1 200 OK\r\n"
#define H1_TYPE      "Content-Type: {T}\r\nDocker-Content-Digest: {D}\r\n"
#define H1_LEN       "Content-Length: {L}\r\n"
#define H1_CHUNKED   "Transfer-Encoding: chunked\r\n"
#define H1_END       "Connection: close\r\n\r\n"
#define H1_CHUNKS_END "{X1}\r\n{B1}\r\n{X2}\r\n{B2}\r\n0\r\n" /* the trailer section follows */
#define H1_CHUNKS     H1_CHUNKS_END "\r\n"
#define H1_CONTINUE  "HTTP/1.1 100 Continue\r\n\r\n"
#define H1_CONTINUE4 H1_CONTINUE H1_CONTINUE H1_CONTINUE H1_CONTINUE
/* The fields of H1_TYPE, H1_LEN and H1_END. */
#define H1_FIELDS 4u

static const struct h1_case h1_cases[] = {
    /* lies */
    {"status-2oo", "HTTP/1.1 2OO OK\r\n" H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"status-http2", "HTTP/2 200\r\n" H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"status-icy", "ICY 200 OK\r\n" H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"status-empty", "\r\n" H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"bare-cr", H1_OK H1_TYPE "X-Lie: a\rb\r\n" H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"folded", H1_OK H1_TYPE "X-Folded: a\r\n b\r\n" H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"name-space", H1_OK H1_TYPE "Content-Length : {L}\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"head-big", H1_OK H1_TYPE "X-Pad: {P}\r\n" H1_LEN H1_END, "{B}", SN_H1_MAX_HEAD_SIZE, H1_STATIC},
    {"headers-many", H1_OK H1_TYPE "{H}" H1_LEN H1_END, "{B}", SN_H1_MAX_HEADERS - H1_FIELDS + 1, H1_STATIC},
    {"interim-9", H1_CONTINUE4 H1_CONTINUE4 H1_CONTINUE H1_OK H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"switching", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n", "{B}", 0,
     H1_STATIC},
    {"te-gzip", H1_OK H1_TYPE "Transfer-Encoding: gzip\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"http10-chunked", "HTTP/1.0 200 OK\r\n" H1_TYPE H1_CHUNKED "\r\n", H1_CHUNKS, 0, H1_STATIC},
    {"te-and-cl", H1_OK H1_TYPE H1_CHUNKED H1_LEN H1_END, H1_CHUNKS, 0, H1_STATIC},
    {"cl-two", H1_OK H1_TYPE H1_LEN "Content-Length: 1{L}\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"cl-alpha", H1_OK H1_TYPE "Content-Length: {X}z\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"cl-negative", H1_OK H1_TYPE "Content-Length: -{L}\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"cl-plus", H1_OK H1_TYPE "Content-Length: +{L}\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"cl-20digits", H1_OK H1_TYPE "Content-Length: 18446744073709551616\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"chunk-garbage", H1_OK H1_TYPE H1_CHUNKED H1_END, "zz\r\n{B}\r\n0\r\n\r\n", 0, H1_STATIC},
    {"chunk-17hex", H1_OK H1_TYPE H1_CHUNKED H1_END, "10000000000000000\r\n{B}\r\n0\r\n\r\n", 0, H1_STATIC},
    {"chunk-longline", H1_OK H1_TYPE H1_CHUNKED H1_END, "{X};x={P}\r\n{B}\r\n0\r\n\r\n", SN_H1_MAX_CHUNK_LINE,
     H1_STATIC},
    {"chunk-nocrlf", H1_OK H1_TYPE H1_CHUNKED H1_END, "{X}\r\n{B}XY0\r\n\r\n", 0, H1_STATIC},
    {"trailer-longline", H1_OK H1_TYPE H1_CHUNKED H1_END, H1_CHUNKS_END "X-Long: {P}\r\n\r\n",
     2 * SN_H1_MAX_CHUNK_LINE, H1_STATIC},
    {"trailers-big", H1_OK H1_TYPE H1_CHUNKED H1_END, H1_CHUNKS_END "{H}\r\n", SN_H1_MAX_TRAILER_SIZE / 8,
     H1_STATIC},
    {"chunk-short", H1_OK H1_TYPE H1_CHUNKED H1_END, "{X}0\r\n{B}", 0, H1_STATIC},
    {"cl-short", H1_OK H1_TYPE "Content-Length: 1{L}\r\n" H1_END, "{B}", 0, H1_STATIC},
    {"no-answer", "", "", 0, H1_STATIC},
    {"slow-head", "", "", 0, H1_SLOW_HEAD},
    /* over TLS: half the body, then the TCP connection closes without a
     * close_notify (RFC 9112 section 9.8: an incomplete close) */
    {"tls-cut", "HTTP/1.0 200 OK\r\n" H1_TYPE "\r\n", "{B1}", 0, H1_NO_CLOSE_NOTIFY},
    {"chunks-endless", H1_OK H1_TYPE H1_CHUNKED H1_END, "", 0, H1_ENDLESS_CHUNKS},
    /* oddities that must work */
    {"chunked", H1_OK H1_TYPE H1_CHUNKED H1_END, H1_CHUNKS, 0, H1_STATIC},
    {"chunk-ext", H1_OK H1_TYPE H1_CHUNKED H1_END, "{X1};a=b\r\n{B1}\r\n{X2};c\r\n{B2}\r\n0\r\n\r\n", 0,
     H1_STATIC},
    {"trailers", H1_OK H1_TYPE H1_CHUNKED H1_END, H1_CHUNKS_END "X-Trailer: yes\r\nX-More: 1\r\n\r\n", 0,
     H1_STATIC},
    {"te-case", H1_OK H1_TYPE "Transfer-Encoding: Chunked\r\n" H1_END, H1_CHUNKS, 0, H1_STATIC},
    {"bare-lf",
     "HTTP/1.1 200 OK\nContent-Type: {T}\nDocker-Content-Digest: {D}\nContent-Length: {L}\nConnection: "
     "close\n\n",
     "{B}", 0, H1_STATIC},
    {"http10", "HTTP/1.0 200 OK\r\n" H1_TYPE "\r\n", "{B}", 0, H1_STATIC},
    {"interim-1", H1_CONTINUE H1_OK H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"interim-8", H1_CONTINUE4 H1_CONTINUE4 H1_OK H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"early-hints", "HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n" H1_OK H1_TYPE H1_LEN H1_END,
     "{B}", 0, H1_STATIC},
    {"odd-case",
     "HTTP/1.1 200 OK\r\ncOnTeNt-TyPe: {T}\r\ndocker-content-digest: {D}\r\nCONTENT-LENGTH: {L}\r\n"
     "connection: Close\r\n\r\n",
     "{B}", 0, H1_STATIC},
    {"cl-repeat", H1_OK H1_TYPE H1_LEN H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"reason-empty", "HTTP/1.1 200 \r\n" H1_TYPE H1_LEN H1_END, "{B}", 0, H1_STATIC},
    {"head-large", H1_OK H1_TYPE "X-Pad: {P}\r\n" H1_LEN H1_END, "{B}", SN_H1_MAX_HEAD_SIZE - 1024,
     H1_STATIC},
    {"headers-max", H1_OK H1_TYPE "{H}" H1_LEN H1_END, "{B}", SN_H1_MAX_HEADERS - H1_FIELDS, H1_STATIC},
};

/* Appends n bytes of s to out (size bytes) at *len; counts them even when
 * they do not fit, as snprintf does. */
static void h1_put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len < size)
		memcpy(out + *len, s, n < size - *len ? n : size - *len);
	*len += n;
}

/* Expands template tpl (see h1_cases) into out; returns the length the
 * whole expansion takes (out holds its first size bytes). */
static size_t h1_expand(const char *tpl, size_t pad, char *out, size_t size)
{
	size_t len = 0, mlen = strlen(manifest_json), half = mlen / 2;
	char num[64];

	for (const char *p = tpl; *p != '\0';) {
		const char *end = p[0] == '{' ? strchr(p, '}') : NULL;
		size_t tl = end != NULL ? (size_t)(end - p + 1) : 0;

#define TOKEN(t) (tl == strlen(t) && strncmp(p, t, tl) == 0)
		if (TOKEN("{B}")) {
			h1_put(out, size, &len, manifest_json, mlen);
		} else if (TOKEN("{B1}")) {
			h1_put(out, size, &len, manifest_json, half);
		} else if (TOKEN("{B2}")) {
			h1_put(out, size, &len, manifest_json + half, mlen - half);
		} else if (TOKEN("{L}") || TOKEN("{X}") || TOKEN("{X1}") || TOKEN("{X2}")) {
			size_t v = p[1] == 'L' || p[2] == '}' ? mlen : p[2] == '1' ? half : mlen - half;

			h1_put(out, size, &len, num,
			       (size_t)snprintf(num, sizeof(num), p[1] == 'L' ? "%zu" : "%zx", v));
		} else if (TOKEN("{D}")) {
			h1_put(out, size, &len, manifest_digest, strlen(manifest_digest));
		} else if (TOKEN("{T}")) {
			h1_put(out, size, &len, MT_OCI_MANIFEST, strlen(MT_OCI_MANIFEST));
		} else if (TOKEN("{P}")) {
			for (size_t i = 0; i < pad; i++)
				h1_put(out, size, &len, "a", 1);
		} else if (TOKEN("{H}")) {
			for (size_t i = 0; i < pad; i++)
				h1_put(out, size, &len, num,
				       (size_t)snprintf(num, sizeof(num), "X-Pad-%zu: %zu\r\n", i, i));
		} else {
			h1_put(out, size, &len, p, 1);
			tl = 1;
		}
#undef TOKEN
		p += tl;
	}
	return len;
}

/* Sends template tpl expanded.  Returns 0, or -1 when the client went away. */
static int h1_send(int fd, const char *tpl, size_t pad)
{
	size_t len = h1_expand(tpl, pad, NULL, 0);
	char *out = malloc(len + 1);
	int rc;

	if (out == NULL)
		die("out of memory");
	h1_expand(tpl, pad, out, len + 1);
	rc = send_all(fd, out, len);
	free(out);
	return rc;
}

/* h1/CASE/x, CASE one of h1_cases; -1 when it is none. */
static int route_h1(int fd, struct req *rq, const char *name, size_t name_len)
{
	static char chunk[65536 + 16];
	const struct h1_case *c = NULL;
	struct timespec tick = {0, 100 * 1000 * 1000};
	size_t n;
	int k;

	if (name_len < 3 || strncmp(name + name_len - 2, "/x", 2) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(h1_cases) / sizeof(h1_cases[0]) && c == NULL; i++)
		if (strlen(h1_cases[i].name) == name_len - 2 &&
		    strncmp(name, h1_cases[i].name, name_len - 2) == 0)
			c = &h1_cases[i];
	if (c == NULL)
		return -1;
	log_request(rq, 200);
	if (h1_send(fd, c->head, c->pad) != 0)
		return 200;
	if (strcmp(rq->method, "HEAD") == 0) {
		/* no body follows, whatever the head says: a client that
		 * waits for one waits until it gives up */
		hold_until_hangup(fd);
		return 200;
	}
	switch (c->kind) {
	case H1_NO_CLOSE_NOTIFY:
		no_close_notify = 1;
		(void)h1_send(fd, c->body, c->pad);
		break;
	case H1_STATIC: (void)h1_send(fd, c->body, c->pad); break;
	case H1_SLOW_HEAD:
		/* a status line, then a field that never ends, one byte per
		 * 100 ms until the client hangs up (or IO_TIMEOUT_S) */
		if (send_drip(fd, "HTTP/1.1 200 OK\r\nX-Slow: ", 25, 100) != 0)
			break;
		for (int i = 0; i < IO_TIMEOUT_S * 10 && send_all(fd, "a", 1) == 0; i++)
			nanosleep(&tick, NULL);
		break;
	case H1_ENDLESS_CHUNKS:
		/* 64 KiB chunks of a manifest that never ends, until the client
		 * hangs up (or HUGE_SIZE bytes) */
		k = snprintf(chunk, sizeof(chunk), "10000\r\n{\"schemaVersion\":2,\"pad\":\"");
		memset(chunk + k, 'a', sizeof(chunk) - (size_t)k);
		memcpy(chunk + 7 + 65536, "\r\n", 2);
		if (send_all(fd, chunk, 7 + 65536 + 2) != 0)
			break;
		memset(chunk + 7, 'a', 65536);
		for (n = 65536; n < HUGE_SIZE && send_all(fd, chunk, 7 + 65536 + 2) == 0; n += 65536)
			;
		break;
	}
	return 200;
}

/*
 * Repositories (any tag or digest):
 *   good/image	  a correct manifest (a control)
 *   bad/digest	  bytes that do not hash to the digest asked for (by digest),
 *		  or a Docker-Content-Digest that lies (by tag)
 *   big/manifest  a complete manifest of SIGNET_MAX_MANIFEST_SIZE + 1 bytes
 *   huge/stream   256 MiB without Content-Length
 *   bad/json	  truncated JSON with a manifest Content-Type and true digest
 *   redirect/X	  307 to http://localhost:PORT2/...; PORT2 answers a good
 *		  manifest, or "AUTH-LEAKED" if an Authorization header came
 *   slow/X	  503 with Retry-After: 1 twice, then a good manifest
 *   drip/X	  the good manifest, one byte every 500 ms (about 4 minutes)
 *   retry/X	  503 with Retry-After: 30, always
 *   h1/CASE/x	  the good manifest in an HTTP/1.1 answer framed as CASE says
 *		  (h1_cases, route_h1): status lines, header fields, framing
 *		  and bounds that a client must refuse (status-2oo, bare-cr,
 *		  head-big, te-and-cl, chunk-17hex, cl-short, no-answer,
 *		  slow-head, chunks-endless, ...), and oddities it must
 *		  accept (chunked, trailers, bare-lf, http10, interim-8,
 *		  odd-case, cl-repeat, head-large, headers-max, ...);
 *		  h1/tls-cut/x is for --tls-cert: a close-delimited body cut
 *		  short by a close without a TLS close_notify
 *   ref/X	  a good manifest by tag or digest (no .sig or referrers tag),
 *		  and a referrers API (route_referrers) that answers: ref/none
 *		  404 (no API), ref/notallowed 405 (no API either), ref/wrongtype 200 application/json,
 *ref/error 500, ref/manifest an image manifest as an index, ref/many an index of SIGNET_MAX_REFERRERS + 1
 *bundle entries
 *   api/X	  with --root DIR only: an image and its Sigstore bundle referrer as
 *		  files copied out of a real registry (route_api): manifests by
 *		  digest from DIR/manifests/DIGEST (Content-Type in DIGEST.type),
 *		  by tag through DIR/tags/TAG (a digest), blobs from
 *		  DIR/blobs/DIGEST, the referrers API from
 *		  DIR/referrers/DIGEST.json (an OCI index).  X tells what lie:
 *		  api/good none (?artifactType= filters, with OCI-Filters-Applied);
 *		  api/nofilter ignores the filter (other artifact types listed);
 *		  api/othersubject lists, instead of the bundle referrer, a copy
 *		  whose subject is another digest; api/typelie a copy whose one
 *		  layer is the image's first layer (not a bundle) under the bundle
 *		  artifactType (api/othersubject-beside, api/typelie-beside: the
 *		  real referrer listed first, then the lie); api/baddigest serves the referrer manifest with a
 *		  byte added, under the digest the index lists
 *
 * and, for the limits of SPEC §7 (route_limits; the list entries are
 * "t0000000", "t0000001", ... and "r0000000", ...):
 *   token/V	  401 with a Bearer challenge whose realm is /token/V on this
 *		  port; a good manifest with "Authorization: Bearer tok-V".
 *		  /token/exact answers a valid token response of exactly
 *		  SIGNET_MAX_TOKEN_RESPONSE_SIZE bytes, /token/big one byte more
 *		  (with Content-Length), /token/bigstream one byte more without
 *   realm/creds  401 with a Bearer challenge whose realm holds credentials
 *		  (http://realmuser:s3cret@127.0.0.1:PORT/token/exact);
 *		  realm/ftp one whose realm is an ftp:// URL
 *   tags/page	  a tags list page of SIGNET_MAX_TAGS_PAGE + 1 entries
 *   tags/fullpage  one page of exactly SIGNET_MAX_TAGS_PAGE entries
 *   tags/total	  pages of SIGNET_MAX_TAGS_PAGE linked with Link headers,
 *		  SIGNET_MAX_TAGS_TOTAL entries in all
 *   tags/endless  such pages without end
 *   tags/cycle	  pages of one tag whose Link headers go round two URLs:
 *		  (first) -> ?n=1&last=a -> ?n=1&last=b -> ?n=1&last=a ...
 *   /v2/_catalog  endless pages too; on PORT2, one page of
 *		  SIGNET_MAX_TAGS_PAGE + 1 repositories
 *   stall/x	  reads the request and never answers (until the client
 *		  hangs up, or IO_TIMEOUT_S)
 *   trickle/x	  200 with Content-Length 4096, then one byte every 100 ms
 *   retry/N	  503 with Retry-After: N (seconds), always
 *   retry/date	  503 with Retry-After: an HTTP-date a day ahead, always
 *   errbody/exact  404 with a JSON error body of exactly
 *		  SIGNET_MAX_ERROR_BODY_SIZE bytes (Content-Length)
 *   errbody/over  404 with a complete JSON error body one byte longer,
 *		  without Content-Length, then the connection is held open:
 *		  a client that reads more than the limit waits forever
 */
static int route_hostile(int fd, struct req *rq)
{
	const char *m = strstr(rq->path, "/manifests/"), *ref, *b = strstr(rq->path, "/blobs/");
	char extra[4200], lie[1200];
	size_t name_len;
	int status;

	if (strncmp(rq->path, "/token/", 7) == 0 && rq->port == opt.port)
		return route_token_limit(fd, rq, rq->path + 7);
	if (strcmp(rq->path, "/v2/_catalog") == 0)
		return route_limits(fd, rq, "", 0);
	if (rq->port == opt.port2) {
		if (m == NULL)
			return respond(fd, rq, 200, "application/json", NULL, "{}", 2);
		if (rq->auth[0] != '\0')
			return respond(fd, rq, 200, MT_OCI_MANIFEST, NULL, "AUTH-LEAKED", 11);
		return respond_manifest(fd, rq, manifest_json, strlen(manifest_json));
	}
	if (strncmp(rq->path, "/v2/", 4) != 0)
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	if (opt.basic && rq->auth[0] == '\0')
		return respond_error(fd, rq, 401, "UNAUTHORIZED", "WWW-Authenticate: Basic realm=\"hostile\"\r\n");
	if (strcmp(rq->path, "/v2/") == 0)
		return respond(fd, rq, 200, "application/json", NULL, "{}", 2);
	if (opt.root != NULL && strncmp(rq->path, "/v2/api/", 8) == 0)
		return route_api(fd, rq);
	if (b != NULL && m == NULL) {
		if (strcmp(b + 7, config_digest) == 0)
			return respond(fd, rq, 200, "application/octet-stream", NULL, config_json,
				       strlen(config_json));
		if (strcmp(b + 7, layer_digest) == 0)
			return respond(fd, rq, 200, "application/octet-stream", NULL, empty_tar,
				       sizeof(empty_tar));
		return respond_error(fd, rq, 404, "BLOB_UNKNOWN", NULL);
	}
	if (m == NULL && (status = route_referrers(fd, rq)) >= 0)
		return status;
	if (m == NULL) {
		const char *t = strstr(rq->path, "/tags/list");

		if (t != NULL && t[10] == '\0' && t > rq->path + 4 &&
		    (status = route_limits(fd, rq, rq->path + 4, (size_t)(t - (rq->path + 4)))) >= 0)
			return status;
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	}
	ref = m + strlen("/manifests/");
	name_len = (size_t)(m - (rq->path + 4));
#define IS(name) (name_len == strlen(name) && strncmp(rq->path + 4, name, name_len) == 0)
	if (IS("good/image"))
		return respond_manifest(fd, rq, manifest_json, strlen(manifest_json));
	if (IS("bad/digest")) {
		/* a valid manifest, but not the one the good digest names */
		int n = snprintf(lie, sizeof(lie), "%.*s,\"annotations\":{\"lie\":\"yes\"}}",
				 (int)strlen(manifest_json) - 1, manifest_json);

		snprintf(extra, sizeof(extra), "Docker-Content-Digest: %s\r\n",
			 strncmp(ref, "sha256:", 7) == 0 ? ref : manifest_digest);
		return respond(fd, rq, 200, MT_OCI_MANIFEST, extra, lie, (size_t)n);
	}
	if (IS("big/manifest"))
		return respond_padded(fd, rq, BIG_SIZE, 1);
	if (IS("huge/stream"))
		return respond_padded(fd, rq, HUGE_SIZE, 0);
	if (IS("bad/json")) {
		static const char trunc[] = "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST "\",\"config\":{";

		return respond_manifest(fd, rq, trunc, sizeof(trunc) - 1);
	}
	if (name_len > 9 && strncmp(rq->path + 4, "redirect/", 9) == 0) {
		snprintf(extra, sizeof(extra), "Location: http://localhost:%d%s\r\n", opt.port2, rq->path);
		return respond(fd, rq, 307, "text/plain", extra, "", 0);
	}
	if ((status = route_limits(fd, rq, rq->path + 4, name_len)) >= 0)
		return status;
	if (name_len > 3 && strncmp(rq->path + 4, "h1/", 3) == 0 &&
	    (status = route_h1(fd, rq, rq->path + 7, name_len - 3)) >= 0)
		return status;
	if (name_len > 5 && strncmp(rq->path + 4, "drip/", 5) == 0) {
		/* the manifest, one byte every half second (about 4 minutes) */
		char head[512], digest[80];
		int n;

		sha256_digest(digest, manifest_json, strlen(manifest_json));
		n = snprintf(head, sizeof(head),
		             "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nDocker-Content-Digest: %s\r\n"
		             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		             MT_OCI_MANIFEST, digest, strlen(manifest_json));
		log_request(rq, 200);
		if (send_all(fd, head, (size_t)n) == 0 && strcmp(rq->method, "HEAD") != 0)
			(void)send_drip(fd, manifest_json, strlen(manifest_json), 500);
		return 200;
	}
	if (name_len > 6 && strncmp(rq->path + 4, "retry/", 6) == 0)
		return respond_error(fd, rq, 503, "UNAVAILABLE", "Retry-After: 30\r\n");
	if (name_len > 4 && strncmp(rq->path + 4, "ref/", 4) == 0) {
		if (strncmp(ref, "sha256-", 7) == 0)
			return respond_error(fd, rq, 404, "MANIFEST_UNKNOWN", NULL);
		return respond_manifest(fd, rq, manifest_json, strlen(manifest_json));
	}
	if (name_len > 5 && strncmp(rq->path + 4, "slow/", 5) == 0) {
		if (slow_count++ < 2)
			return respond_error(fd, rq, 503, "UNAVAILABLE", "Retry-After: 1\r\n");
		return respond_manifest(fd, rq, manifest_json, strlen(manifest_json));
	}
#undef IS
	return respond_error(fd, rq, 404, "NAME_UNKNOWN", NULL);
}

/* ---- files mode ------------------------------------------------------- */

/* Decodes "%XX" escapes in a URL path into out (no '+' rule: that is for
 * queries).  Returns -1 when the result would not fit, holds a NUL, or has
 * an empty, "." or ".." component. */
static int path_decode(char *out, size_t size, const char *in)
{
	size_t n = 0;
	const char *c;

	for (const char *r = in; *r != '\0'; r++) {
		char ch = *r;

		if (ch == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
			char hex[3] = { r[1], r[2], '\0' };

			ch = (char)strtol(hex, NULL, 16);
			r += 2;
		}
		if (ch == '\0' || n + 1 >= size)
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	if (out[0] != '/')
		return -1;
	for (c = out; c != NULL; c = strchr(c + 1, '/')) {
		const char *next = strchr(c + 1, '/');
		size_t len = next != NULL ? (size_t)(next - c - 1) : strlen(c + 1);

		if (len == 0 || (len == 1 && c[1] == '.') || (len == 2 && c[1] == '.' && c[2] == '.'))
			return -1;
	}
	return 0;
}

static void files_setup(void)
{
	struct stat st;

	if (opt.root == NULL)
		die("files needs --root");
	if (stat(opt.root, &st) != 0 || !S_ISDIR(st.st_mode))
		die("--root %s is not a directory", opt.root);
	if (opt.fail_status != 0 && opt.fail_status < 400)
		die("--fail-status %d is not an error status", opt.fail_status);
}

static int route_files(int fd, struct req *rq)
{
	char rel[4096], path[8192], head[512], chunk[65536];
	struct stat st;
	int file, n;

	if (opt.fail_status != 0)
		return respond_error(fd, rq, opt.fail_status, "FAILING", NULL);
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
		return respond_error(fd, rq, 405, "METHOD_NOT_ALLOWED", NULL);
	if (path_decode(rel, sizeof(rel), rq->path) != 0 ||
	    snprintf(path, sizeof(path), "%s%s", opt.root, rel) >= (int)sizeof(path))
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	file = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (file < 0)
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	if (fstat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(file);
		return respond_error(fd, rq, 404, "NOT_FOUND", NULL);
	}
	if ((unsigned long long)st.st_size > FILES_MAX_SIZE) {
		close(file);
		return respond_error(fd, rq, 500, "TOO_LARGE", NULL);
	}
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %lld\r\n"
		     "Connection: close\r\n\r\n",
		     (long long)st.st_size);
	log_request(rq, 200);
	if (send_all(fd, head, (size_t)n) == 0 && strcmp(rq->method, "HEAD") != 0) {
		for (off_t left = st.st_size; left > 0;) {
			ssize_t k = read(file, chunk, (size_t)left < sizeof(chunk) ? (size_t)left : sizeof(chunk));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0 || (opt.drip_ms > 0 ? send_drip(fd, chunk, (size_t)k, opt.drip_ms)
			                               : send_all(fd, chunk, (size_t)k)) != 0)
				break; /* the length sent was a promise: the client sees a short body */
			left -= k;
		}
	}
	close(file);
	return 200;
}

/* ---- main ------------------------------------------------------------- */

static int listen_on(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) != 0)
		die("cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
	return fd;
}

static long parse_num(const char *s, const char *what, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > max)
		die("bad %s \"%s\"", what, s);
	return v;
}

static void usage(void)
{
	die("usage: testserver token --port P --key KEY.pem --cert CERT.pem --issuer I --service S --user U "
	    "--password PW [--tls-cert CRT --tls-key KEY] | hostile --port P --port2 P2 [--basic] [--root "
	    "DIR] | "
	    "files --port P --root DIR [--fail-status STATUS] [--drip-ms MS]; "
	    "[--log FILE] [--max-requests N] [--lifetime SECONDS] [--answer-tls]");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"port", required_argument, NULL, 'p'},
	    {"port2", required_argument, NULL, 'P'},
	    {"key", required_argument, NULL, 'k'},
	    {"cert", required_argument, NULL, 'c'},
	    {"issuer", required_argument, NULL, 'i'},
	    {"service", required_argument, NULL, 's'},
	    {"user", required_argument, NULL, 'u'},
	    {"password", required_argument, NULL, 'w'},
	    {"basic", no_argument, NULL, 'b'},
	    {"log", required_argument, NULL, 'l'},
	    {"max-requests", required_argument, NULL, 'm'},
	    {"lifetime", required_argument, NULL, 't'},
	    {"tls-cert", required_argument, NULL, 'C'},
	    {"tls-key", required_argument, NULL, 'K'},
	    {"root", required_argument, NULL, 'r'},
	    {"fail-status", required_argument, NULL, 'f'},
	    {"drip-ms", required_argument, NULL, 'd'},
	    {"answer-tls", no_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct pollfd pfd[2];
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	int o, nfd = 1;

	if (argc < 2)
		usage();
	opt.mode = argv[1];
	optind = 2;
	while ((o = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (o) {
		case 'p': opt.port = (int)parse_num(optarg, "--port", 65535); break;
		case 'P': opt.port2 = (int)parse_num(optarg, "--port2", 65535); break;
		case 'k': opt.key_path = optarg; break;
		case 'c': opt.cert_path = optarg; break;
		case 'i': opt.issuer = optarg; break;
		case 's': opt.service = optarg; break;
		case 'u': opt.user = optarg; break;
		case 'w': opt.password = optarg; break;
		case 'b': opt.basic = 1; break;
		case 'l': opt.log_path = optarg; break;
		case 'm': opt.max_requests = parse_num(optarg, "--max-requests", 1000000); break;
		case 't': opt.lifetime = parse_num(optarg, "--lifetime", 3600); break;
		case 'C': opt.tls_cert = optarg; break;
		case 'K': opt.tls_key = optarg; break;
		case 'r': opt.root = optarg; break;
		case 'f': opt.fail_status = (int)parse_num(optarg, "--fail-status", 599); break;
		case 'd': opt.drip_ms = parse_num(optarg, "--drip-ms", 60000); break;
		case 'a': opt.answer_tls = 1; break;
		default: usage();
		}
	}
	if (optind != argc || opt.port == 0)
		usage();
	if (strcmp(opt.mode, "token") == 0)
		token_setup();
	else if (strcmp(opt.mode, "hostile") == 0 && opt.port2 != 0)
		hostile_setup();
	else if (strcmp(opt.mode, "files") == 0)
		files_setup();
	else
		usage();
	if ((opt.tls_cert == NULL) != (opt.tls_key == NULL))
		die("--tls-cert and --tls-key go together");
	if (opt.tls_cert != NULL &&
	    ((tls_ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	     SSL_CTX_use_certificate_chain_file(tls_ctx, opt.tls_cert) != 1 ||
	     SSL_CTX_use_PrivateKey_file(tls_ctx, opt.tls_key, SSL_FILETYPE_PEM) != 1))
		die("cannot load the TLS certificate %s and key %s", opt.tls_cert, opt.tls_key);
	if (opt.log_path != NULL && (log_file = fopen(opt.log_path, "ae")) == NULL)
		die("cannot open %s: %s", opt.log_path, strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)opt.lifetime); /* the default action ends the process */
	pfd[0] = (struct pollfd){ .fd = listen_on(opt.port), .events = POLLIN };
	if (opt.port2 != 0)
		pfd[nfd++] = (struct pollfd){ .fd = listen_on(opt.port2), .events = POLLIN };
	printf("ready\n");
	fflush(stdout);
	for (long served = 0; served < opt.max_requests;) {
		if (poll(pfd, (nfds_t)nfd, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		for (int i = 0; i < nfd; i++) {
			struct req rq = { .port = i == 0 ? opt.port : opt.port2 };
			int fd;

			if (!(pfd[i].revents & POLLIN))
				continue;
			fd = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
			if (tls_ctx != NULL && ((conn_ssl = SSL_new(tls_ctx)) == NULL || SSL_set_fd(conn_ssl, fd) != 1 ||
						SSL_accept(conn_ssl) != 1)) {
				SSL_free(conn_ssl);
				conn_ssl = NULL;
				close(fd);
				continue;
			}
			if (read_request(fd, &rq) == 0) {
				served++;
				if (strcmp(opt.mode, "token") == 0)
					route_token(fd, &rq);
				else if (strcmp(opt.mode, "files") == 0)
					route_files(fd, &rq);
				else
					route_hostile(fd, &rq);
			}
			if (conn_ssl != NULL) {
				if (!no_close_notify)
					(void)SSL_shutdown(conn_ssl);
				SSL_free(conn_ssl);
				conn_ssl = NULL;
			}
			shutdown(fd, SHUT_WR);
			close(fd);
			no_close_notify = 0;
		}
	}
	return 0;
}
