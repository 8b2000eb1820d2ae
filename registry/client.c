/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/client.c: the OCI distribution client on http1.h's HTTP/1.1.
 *
 * One handle per registry host (kept in ctx->registries), one connection
 * pool in it so that connections are reused.  Each request is one
 * sn_h1_perform per hop: redirects are followed here, so that the
 * Authorization header is dropped as soon as a redirect leaves the
 * registry's host:port and https is never downgraded to http.  Bodies are
 * bounded while they stream (the transfer is stopped in the body callback
 * once over the limit, or from the Content-Length header before any byte of
 * the body), digests are always recomputed here.
 *
 * HTTP outcome -> error code:
 *   connection, DNS, timeout, reset          SIGNET_ENETWORK (names the URL)
 *   TLS handshake / certificate              SIGNET_ETLS (OpenSSL's reason)
 *   an answer that breaks HTTP/1.1           SIGNET_EREGISTRY ("malformed HTTP answer: ...")
 *   401, 403                                 SIGNET_EAUTH (names the host, status, registry message)
 *   404                                      SIGNET_ENOTFOUND (names the image, blob or repository)
 *   any other unexpected status              SIGNET_EREGISTRY
 *   429 / 5xx / reset                        retried SIGNET_MAX_RETRIES times first
 *   body over its limit                      SIGNET_ELIMIT
 *   content not matching its digest          SIGNET_EINTEGRITY
 */
#include "client_internal.h"
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define SN_USER_AGENT "signet/" SIGNET_VERSION

/* ---- names ------------------------------------------------------------ */

/* A repository path: components joined by "/". */
static int valid_repo(const char *repo)
{
	const char *p = repo, *slash;

	if (strlen(repo) == 0 || strlen(repo) > SIGNET_MAX_NAME_LENGTH)
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		if (!sn_ref_path_component_ok(p, slash != NULL ? (size_t)(slash - p) : strlen(p)))
			return 0;
		if (slash == NULL)
			return 1;
		p = slash + 1;
	}
}

static int valid_tag(const char *tag)
{
	return sn_ref_tag_ok(tag, strlen(tag));
}

static int is_digest(const char *ref)
{
	return strchr(ref, ':') != NULL;
}

static int check_repo_ref(const char *repo, const char *ref, struct sn_err *e)
{
	if (repo == NULL || !valid_repo(repo))
		return sn_seterr(e, SIGNET_EINVAL, "invalid repository name \"%.300s\"",
		                 repo != NULL ? repo : "");
	if (ref == NULL)
		return 0;
	if (is_digest(ref))
		return sn_digest_validate(ref, e) == 0
		           ? 0
		           : sn_seterr(e, SIGNET_EINVAL, "invalid digest \"%.200s\"", ref);
	if (!valid_tag(ref))
		return sn_seterr(e, SIGNET_EINVAL, "invalid tag \"%.200s\"", ref);
	return 0;
}

/* ---- URLs ------------------------------------------------------------- */

/* "https", "http" (static strings), or NULL when url does not parse as
 * an http(s) URL. */
static const char *url_scheme(const char *url)
{
	struct sn_url u;
	const char *scheme;

	if (sn_url_parse(&u, url, NULL) != 0)
		return NULL;
	scheme = strcmp(u.scheme, "https") == 0 ? "https" : "http";
	sn_url_free(&u);
	return scheme;
}

/* The URL as it may appear in a message or a log line: whole on the host
 * the request was meant for, without query and fragment elsewhere
 * (presigned storage URLs carry credentials in the query). */
static const char *safe_url(const char *url, int on_origin, char *buf, size_t size)
{
	size_t n = strcspn(url, on_origin ? "" : "?#");

	if (n >= size)
		n = size - 1;
	memcpy(buf, url, n);
	buf[n] = '\0';
	return buf;
}

/* ---- TLS material from ctx->cert_dir ---------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

static int has_entry(struct dirent **list, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i]->d_name, name) == 0)
			return 1;
	return 0;
}

static int pem_cert_count(const unsigned char *data, size_t len)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	X509 *x;
	int n = 0;

	if (bio == NULL)
		return -1;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		n++;
		X509_free(x);
	}
	ERR_clear_error();
	BIO_free(bio);
	return n;
}

static int bundle_add_file(struct sn_registry *r, const char *path, int must_exist, struct sn_err *e)
{
	struct sn_buf f;
	int rc;

	if ((rc = sn_file_read(&f, path, SN_MAX_CERT_FILE_SIZE, "certificate", 0, e)) != 0)
		return rc == SIGNET_ENOTFOUND && !must_exist ? 0 : rc;
	if (must_exist && pem_cert_count(f.data, f.len) <= 0) {
		sn_buf_free(&f);
		return sn_seterr(e, SIGNET_EBADINPUT, "certificate %s: no PEM certificate in it", path);
	}
	if ((rc = sn_buf_append(&r->ca_bundle, f.data, f.len, e)) != 0 ||
	    (rc = sn_buf_append(&r->ca_bundle, "\n", 1, e)) != 0)
		sn_errctx(e, "certificate directory %s: ", r->ctx->cert_dir);
	sn_buf_free(&f);
	return rc;
}

/*
 * As containers-certs.d(5) and skopeo --cert-dir: every *.crt is a CA added
 * to the system's, X.cert + X.key a client certificate (only one pair is
 * supported).  A directory that does not exist is ignored, as
 * skopeo does.
 */
static int tls_setup(struct sn_registry *r, struct sn_err *e)
{
	const char *dir = r->ctx->cert_dir;
	struct dirent **list = NULL;
	char *path = NULL;
	int n, rc = 0, n_crt = 0;

	if (r->tls_loaded || dir == NULL) {
		r->tls_loaded = 1;
		return 0;
	}
	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0) {
		if (errno == ENOENT) {
			sn_log(r->ctx, SIGNET_LOG_DEBUG, "certificate directory %s does not exist, ignored",
			       dir);
			r->tls_loaded = 1;
			return 0;
		}
		return sn_seterr(e, SIGNET_EIO, "certificate directory %s: %s", dir, strerror(errno));
	}
	for (int i = 0; i < n && rc == 0; i++) {
		const char *name = list[i]->d_name;
		size_t stem;

		if (name[0] == '.')
			continue;
		if (ends_with(name, ".crt")) {
			n_crt++;
		} else if (ends_with(name, ".cert") || ends_with(name, ".key")) {
			int is_cert = ends_with(name, ".cert");

			stem = strlen(name) - (is_cert ? 5 : 4);
			free(path);
			if ((path = sn_aprintf(e, "%.*s%s", (int)stem, name, is_cert ? ".key" : ".cert")) ==
			    NULL) {
				rc = SIGNET_ENOMEM;
				break;
			}
			if (!has_entry(list, n, path)) {
				rc = sn_seterr(e, SIGNET_EBADINPUT,
				               "certificate directory %s: %s has no matching %s", dir, name,
				               path);
				break;
			}
			if (!is_cert)
				continue;
			if (r->client_cert != NULL) {
				rc = sn_seterr(e, SIGNET_EUNSUPPORTED,
				               "certificate directory %s: more than one client certificate",
				               dir);
				break;
			}
			if ((r->client_cert = sn_aprintf(e, "%s/%s", dir, name)) == NULL ||
			    (r->client_key = sn_aprintf(e, "%s/%s", dir, path)) == NULL)
				rc = SIGNET_ENOMEM;
		}
	}
	/* CA certificates: the system bundle first, then the directory's. */
	if (rc == 0 && n_crt > 0 && r->ctx->tls_verify) {
		rc = bundle_add_file(r, SN_SYSTEM_CA_FILE, 0, e);
		for (int i = 0; i < n && rc == 0; i++) {
			if (list[i]->d_name[0] == '.' || !ends_with(list[i]->d_name, ".crt"))
				continue;
			free(path);
			if ((path = sn_aprintf(e, "%s/%s", dir, list[i]->d_name)) == NULL)
				rc = SIGNET_ENOMEM;
			else
				rc = bundle_add_file(r, path, 1, e);
		}
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(path);
	if (rc != 0) {
		free(r->client_cert);
		free(r->client_key);
		r->client_cert = r->client_key = NULL;
		sn_buf_free(&r->ca_bundle);
		return rc;
	}
	r->tls_loaded = 1;
	return 0;
}

/* ---- one transfer ----------------------------------------------------- */

/* Where perform_once takes the answer (http1.h's sink). */
struct xfer {
	struct sn_buf *out;     /* 2xx body or NULL */
	struct sn_buf *errbody; /* other bodies, truncated */
	long status;
	int too_large, enomem, err_full;
};

static int on_head(void *ud, const struct sn_h1_answer *a, int64_t length)
{
	struct xfer *x = ud;

	x->status = a->status;
	/* Refused before any byte of the body arrives. */
	if (x->status >= 200 && x->status < 300 && x->out != NULL && length > (int64_t)x->out->max) {
		x->too_large = 1;
		return 1;
	}
	return 0;
}

static int on_body(void *ud, const void *data, size_t n)
{
	struct xfer *x = ud;
	size_t room;
	int rc;

	if (x->status >= 200 && x->status < 300) {
		if (x->out == NULL)
			return 0;
		rc = sn_buf_append(x->out, data, n, NULL);
		if (rc == SIGNET_ELIMIT)
			x->too_large = 1;
		else if (rc != 0)
			x->enomem = 1;
		return rc;
	}
	if (x->status < 400)
		return 0; /* 3xx: nothing to keep */
	room = x->errbody->max - x->errbody->len;
	if (sn_buf_append(x->errbody, data, n < room ? n : room, NULL) != 0) {
		x->enomem = 1;
		return 1;
	}
	if (n > room) {
		x->err_full = 1; /* enough for a message: stop reading */
		return 1;
	}
	return 0;
}

/* What OpenSSL says (the wording changed across versions) when the
 * server's first bytes are not a TLS record, as when it answered the
 * ClientHello in plain HTTP. */
static int plain_http_answer(const char *why)
{
	static const char *const signs[] = {"wrong version number", "packet length too long",
	                                    "record layer failure"};

	for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (strstr(why, signs[i]) != NULL)
			return 1;
	return 0;
}

#define PLAIN_HTTP_HINT                                                                                      \
	" (the registry may speak plain HTTP, not HTTPS: to allow that, turn TLS verification off, "         \
	"--tls-verify=false)"

static int header_copy(char **out, const struct sn_h1_answer *a, const char *name, size_t index)
{
	const char *v = sn_h1_header(a, name, index);

	*out = NULL;
	if (v == NULL)
		return 0;
	return (*out = strdup(v)) != NULL ? 0 : SIGNET_ENOMEM;
}

/* Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date;
 * seconds from now, 0 when absent, past or unreadable. */
static long retry_after(const char *v)
{
	struct tm tm = {0};
	const char *end;
	long s = 0;

	if (v == NULL)
		return 0;
	if (*v >= '0' && *v <= '9') {
		for (; *v >= '0' && *v <= '9'; v++)
			if ((s = s * 10 + (*v - '0')) > SIGNET_MAX_RETRY_AFTER_S)
				return SIGNET_MAX_RETRY_AFTER_S;
		return *v == '\0' ? s : 0;
	}
	end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	s = (long)(timegm(&tm) - time(NULL));
	return s <= 0 ? 0 : s > SIGNET_MAX_RETRY_AFTER_S ? SIGNET_MAX_RETRY_AFTER_S : s;
}

static int collect_headers(const struct sn_h1_answer *a, struct sn_http_resp *resp, struct sn_err *e)
{
	size_t amount = sn_h1_header_count(a, "WWW-Authenticate");

	if (header_copy(&resp->content_type, a, "Content-Type", 0) != 0 ||
	    header_copy(&resp->docker_digest, a, "Docker-Content-Digest", 0) != 0 ||
	    header_copy(&resp->location, a, "Location", 0) != 0 ||
	    header_copy(&resp->link, a, "Link", 0) != 0)
		return sn_enomem(e);
	for (size_t i = 0; i < amount && resp->n_www_auth < SN_MAX_CHALLENGE_HEADERS; i++) {
		if (header_copy(&resp->www_auth[resp->n_www_auth], a, "WWW-Authenticate", i) != 0)
			return sn_enomem(e);
		resp->n_www_auth++;
	}
	resp->retry_after_s = retry_after(sn_h1_header(a, "Retry-After", 0));
	return 0;
}

/* Drops what an earlier attempt left in resp, keeping it initialized. */
static void resp_clear(struct sn_http_resp *resp)
{
	free(resp->url);
	free(resp->content_type);
	free(resp->docker_digest);
	free(resp->location);
	free(resp->link);
	for (size_t i = 0; i < resp->n_www_auth; i++)
		free(resp->www_auth[i]);
	sn_buf_free(&resp->errbody);
	sn_http_resp_init(resp);
}

void sn_http_resp_init(struct sn_http_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	sn_buf_init(&resp->errbody, SIGNET_MAX_ERROR_BODY_SIZE, "error body");
}

void sn_http_resp_free(struct sn_http_resp *resp)
{
	if (resp != NULL)
		resp_clear(resp);
}

/* How messages name the server: req->peer, else "registry <domain>". */
static const char *peer_name(const struct sn_registry *r, const struct sn_http_req *req, char *buf,
                             size_t size)
{
	if (req->peer != NULL)
		return req->peer;
	snprintf(buf, size, "registry %s", r->domain);
	return buf;
}

static int deadline_passed(const struct sn_registry *r, const struct sn_http_req *req, const char *shown,
                           struct sn_err *e)
{
	char peer[320];

	return sn_seterr(e, SIGNET_ENETWORK,
	                 "%s: %s %s: the deadline of %ld ms for this image passed (--timeout; default "
	                 "SIGNET_IMAGE_TIMEOUT_MS, %ld ms)",
	                 peer_name(r, req, peer, sizeof(peer)), req->method, shown, r->ctx->image_timeout_ms,
	                 SIGNET_IMAGE_TIMEOUT_MS);
}

/* r's connections, made on first use with r's TLS settings. */
static int pool_get(struct sn_registry *r, struct sn_err *e)
{
	struct sn_h1_tls tls = {0};

	if (r->pool != NULL)
		return 0;
	tls.verify = r->ctx->tls_verify;
	if (r->ca_bundle.len > 0) {
		tls.ca_pem = r->ca_bundle.data;
		tls.ca_len = r->ca_bundle.len;
	}
	tls.client_cert = r->client_cert;
	tls.client_key = r->client_key;
	return sn_h1_pool_new(&r->pool, &tls) == 0 ? 0 : sn_enomem(e);
}

/* Frees n "Name: value" lines, wiping them (one may be credentials). */
static void lines_wipe_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sn_free_secret(lines[i]);
}

/*
 * One request to url, no redirect followed.  Returns 0 when an answer
 * arrived (resp->status set), else an error; *retryable says whether a
 * failed connection is worth another try.
 */
static int perform_once(struct sn_registry *r, const struct sn_http_req *req, const char *url, int send_auth,
                        int on_origin, struct sn_http_resp *resp, int *retryable, struct sn_err *e)
{
	const struct signet_ctx *ctx = r->ctx;
	struct xfer x = {req->out, &resp->errbody, 0, 0, 0, 0};
	const struct sn_h1_sink sink = {on_head, on_body, &x};
	struct sn_h1_request rq = {0};
	struct sn_h1_answer a = {0};
	struct sn_h1_result res;
	struct sn_url u = {0};
	char *lines[4] = {NULL};
	size_t n_lines = 0;
	char shown[1024], peer[320];
	const long connect_ms =
	    ctx->connect_timeout_ms > 0 ? ctx->connect_timeout_ms : SIGNET_CONNECT_TIMEOUT_MS;
	const long request_ms =
	    ctx->request_timeout_ms > 0 ? ctx->request_timeout_ms : SIGNET_REQUEST_TIMEOUT_MS;
	const int64_t now = sn_now_ms();
	int64_t left_ms = INT64_MAX;
	const char *pn, *why = NULL;
	int rc = 0;

	*retryable = 0;
	safe_url(url, on_origin, shown, sizeof(shown));
	pn = peer_name(r, req, peer, sizeof(peer));
	/* No request outlives the deadline of the image being examined. */
	if (ctx->deadline_ms != 0 && (left_ms = ctx->deadline_ms - now) <= 0) {
		rc = deadline_passed(r, req, shown, e);
		goto out;
	}
	if ((rc = pool_get(r, e)) != 0)
		goto out;
	if ((rc = sn_url_parse(&u, url, &why)) != 0) {
		rc = rc == SIGNET_ENOMEM
		         ? sn_enomem(e)
		         : sn_seterr(e, SIGNET_EREGISTRY, "%s: %s %s: %s", pn, req->method, shown, why);
		goto out;
	}
	if ((lines[n_lines++] = sn_aprintf(e, "User-Agent: %s", SN_USER_AGENT)) == NULL ||
	    (req->accept != NULL && (lines[n_lines++] = sn_aprintf(e, "Accept: %s", req->accept)) == NULL) ||
	    (req->content_type != NULL &&
	     (lines[n_lines++] = sn_aprintf(e, "Content-Type: %s", req->content_type)) == NULL) ||
	    (send_auth && req->auth != NULL &&
	     (lines[n_lines++] = sn_aprintf(e, "Authorization: %s", req->auth)) == NULL)) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	rq.method = req->method;
	rq.url = &u;
	rq.headers = (const char *const *)lines;
	rq.n_headers = n_lines;
	rq.body = req->body;
	rq.body_len = req->body_len;
	rq.has_body =
	    req->body != NULL || strcmp(req->method, "PUT") == 0 || strcmp(req->method, "POST") == 0;
	rq.connect_deadline_ms = now + (connect_ms < left_ms ? connect_ms : left_ms);
	rq.deadline_ms = now + (request_ms < left_ms ? request_ms : left_ms);

	sn_log(ctx, SIGNET_LOG_DEBUG, "%s %s", req->method, shown);
	sn_h1_perform(r->pool, &rq, &a, &sink, &res);
	if (x.enomem || res.outcome == SN_H1_NOMEM) {
		rc = sn_enomem(e);
		goto out;
	}
	if (x.too_large) {
		if (req->limit_name != NULL)
			rc = sn_seterr(e, SIGNET_ELIMIT, "%s: larger than the limit of %zu bytes (%s)",
			               req->what != NULL ? req->what : shown, req->out->max, req->limit_name);
		else
			rc = sn_seterr(e, SIGNET_ELIMIT, "%s: larger than the limit of %zu bytes",
			               req->what != NULL ? req->what : shown, req->out->max);
		goto out;
	}
	if (res.outcome != SN_H1_DONE && !(res.outcome == SN_H1_STOPPED && x.err_full)) {
		sn_log(ctx, SIGNET_LOG_DEBUG, "%s %s: %s", req->method, shown, res.why);
		*retryable = res.outcome == SN_H1_RESET;
		switch (res.outcome) {
		case SN_H1_TLS:
			rc = sn_seterr(e, SIGNET_ETLS, "%s: %s %s: TLS error: %s%s", pn, req->method, shown,
			               res.why,
			               ctx->tls_verify && plain_http_answer(res.why) ? PLAIN_HTTP_HINT : "");
			break;
		case SN_H1_TIMEOUT:
			/* Cut by the image's deadline, or by a timeout of the request's own? */
			if (ctx->deadline_ms != 0 && sn_now_ms() >= ctx->deadline_ms)
				rc = deadline_passed(r, req, shown, e);
			else
				rc = sn_seterr(e, SIGNET_ENETWORK, "%s: %s %s: timed out: %s", pn,
				               req->method, shown, res.why);
			break;
		case SN_H1_MALFORMED:
			rc = sn_seterr(e, SIGNET_EREGISTRY, "%s: %s %s: malformed HTTP answer: %s", pn,
			               req->method, shown, res.why);
			break;
		default:
			rc = sn_seterr(e, SIGNET_ENETWORK, "%s: %s %s: %s", pn, req->method, shown, res.why);
			break;
		}
		goto out;
	}
	resp->status = a.status;
	sn_log(ctx, SIGNET_LOG_DEBUG, "%s %s: HTTP %ld", req->method, shown, resp->status);
	rc = collect_headers(&a, resp, e);
out:
	lines_wipe_free(lines, n_lines);
	sn_h1_answer_free(&a);
	sn_url_free(&u);
	return rc;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* perform_once, again on 429, 5xx and broken connections. */
static int perform_retrying(struct sn_registry *r, const struct sn_http_req *req, const char *url,
                            int send_auth, int on_origin, struct sn_http_resp *resp, struct sn_err *e)
{
	char shown[1024];
	int rc, retryable;
	long delay;

	for (int attempt = 0;; attempt++) {
		resp_clear(resp);
		if (req->out != NULL)
			sn_buf_reset(req->out);
		rc = perform_once(r, req, url, send_auth, on_origin, resp, &retryable, e);
		if (rc == 0 && (resp->status == 429 || (resp->status >= 500 && resp->status <= 599)))
			retryable = 1;
		if (!retryable || attempt >= SIGNET_MAX_RETRIES)
			return rc;
		delay = SN_RETRY_BASE_MS << attempt;
		if (rc == 0 && resp->retry_after_s > 0)
			delay = resp->retry_after_s * 1000L;
		sn_log(r->ctx, SIGNET_LOG_DEBUG, "%s %s: retrying in %ld ms (retry %d of %d)", req->method,
		       safe_url(url, on_origin, shown, sizeof(shown)), delay, attempt + 1,
		       SIGNET_MAX_RETRIES);
		/* The next attempt fails at once if the wait reaches the deadline. */
		if (r->ctx->deadline_ms != 0 && sn_now_ms() + delay > r->ctx->deadline_ms)
			delay =
			    (long)(r->ctx->deadline_ms > sn_now_ms() ? r->ctx->deadline_ms - sn_now_ms() : 0);
		sleep_ms(delay);
	}
}

static int is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

int sn_http_exchange(struct sn_registry *r, const struct sn_http_req *req, struct sn_http_resp *resp,
                     struct sn_err *e)
{
	const char *origin = req->auth_origin != NULL ? req->auth_origin : req->url;
	struct sn_http_req cur = *req;
	const char *scheme, *next_scheme;
	char *url = NULL, *next = NULL, shown[1024], pbuf[320];
	const char *peer = peer_name(r, req, pbuf, sizeof(pbuf));
	int left = 0, rc;

	/* Callers other than the registry API (signature stores) come here
	 * without a /v2/ probe, which is where the TLS material is loaded. */
	if ((rc = tls_setup(r, e)) != 0)
		return rc;
	if ((url = sn_strdup(req->url, e)) == NULL)
		return SIGNET_ENOMEM;
	for (int hops = 0;; hops++) {
		/* Once off the origin, credentials are never sent again. */
		if (!left && !sn_url_same_host(url, origin))
			left = 1;
		if ((rc = perform_retrying(r, &cur, url, !left, !left, resp, e)) != 0)
			goto out;
		if (!is_redirect(resp->status))
			break;
		/* A PUT or POST only follows 307/308, which keep the method. */
		if (strcmp(cur.method, "GET") != 0 && strcmp(cur.method, "HEAD") != 0 &&
		    resp->status != 307 && resp->status != 308)
			break;
		safe_url(url, !left, shown, sizeof(shown));
		if (hops == SIGNET_MAX_REDIRECTS) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "%s: %s %s: more than %d redirects (SIGNET_MAX_REDIRECTS)", peer,
			               cur.method, shown, SIGNET_MAX_REDIRECTS);
			goto out;
		}
		free(next);
		next = resp->location != NULL ? sn_url_resolve(url, resp->location) : NULL;
		scheme = url_scheme(url);
		next_scheme = next != NULL ? url_scheme(next) : NULL;
		if (next == NULL || scheme == NULL || next_scheme == NULL) {
			rc = sn_seterr(e, SIGNET_EREGISTRY,
			               "%s: %s %s: redirect (HTTP %ld) to no usable "
			               "http(s) location",
			               peer, cur.method, shown, resp->status);
			goto out;
		}
		if (strcmp(scheme, "https") == 0 && strcmp(next_scheme, "http") == 0) {
			rc = sn_seterr(e, SIGNET_EREGISTRY,
			               "%s: %s %s: refusing a redirect from https to plain http", peer,
			               cur.method, shown);
			goto out;
		}
		free(url);
		if ((url = sn_strdup(next, e)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		if (resp->status == 303 && strcmp(cur.method, "HEAD") != 0) {
			cur.method = "GET";
			cur.body = NULL;
			cur.body_len = 0;
			cur.content_type = NULL;
		}
	}
	resp->on_origin = !left;
	resp->url = url;
	url = NULL;
out:
	free(next);
	free(url);
	return rc;
}

/* ---- registry answers --------------------------------------------------- */

/* Appends s to out (size), replacing anything but printable ASCII. */
static void append_sanitized(char *out, size_t size, const char *s)
{
	size_t n = strlen(out);

	for (; *s != '\0' && n + 1 < size; s++)
		out[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	out[n] = '\0';
}

/* "CODE: message; ..." from a distribution error body, or "". */
static void error_detail(const struct sn_buf *body, char *out, size_t size)
{
	json_t *root = NULL, *errors, *it;
	size_t i;

	out[0] = '\0';
	if (body->len == 0 || sn_json_parse(&root, body->data, body->len, "error body", NULL) != 0)
		return;
	errors = json_is_object(root) ? json_object_get(root, "errors") : NULL;
	json_array_foreach(errors, i, it)
	{
		json_t *code = json_object_get(it, "code"), *msg = json_object_get(it, "message");

		if (i == 3)
			break;
		if (!json_is_string(code) && !json_is_string(msg))
			continue;
		if (out[0] != '\0')
			append_sanitized(out, size, "; ");
		if (json_is_string(code))
			append_sanitized(out, size, json_string_value(code));
		if (json_is_string(code) && json_is_string(msg))
			append_sanitized(out, size, ": ");
		if (json_is_string(msg))
			append_sanitized(out, size, json_string_value(msg));
	}
	json_decref(root);
}

/* The error for an answer that is not the one wanted.  object names what
 * was asked for in not-found messages ("image docker.io/x:y"). */
/* Was the credentials lookup for repo made, and found nothing? */
static int no_creds(const struct sn_registry *r, const char *repo)
{
	for (const struct sn_cred *c = r->creds; c != NULL; c = c->next)
		if (strcmp(c->repo, repo != NULL ? repo : "") == 0)
			return c->user == NULL;
	return r->ctx->creds == NULL && r->ctx->authfile == NULL;
}

static int status_error(struct sn_registry *r, const char *method, const struct sn_http_resp *resp,
                        const char *repo, const char *object, struct sn_err *e)
{
	char detail[SN_MAX_ERROR_DETAIL], shown[1024];
	const char *sep;

	error_detail(&resp->errbody, detail, sizeof(detail));
	sep = detail[0] != '\0' ? ": " : "";
	safe_url(resp->url != NULL ? resp->url : "", resp->on_origin, shown, sizeof(shown));
	if (resp->status == 401 || resp->status == 403)
		return sn_seterr(e, SIGNET_EAUTH, "registry %s: authentication failed (HTTP %ld%s)%s%s",
		                 r->domain, resp->status, no_creds(r, repo) ? ", no credentials given" : "",
		                 sep, detail);
	if (resp->status == 404)
		return sn_seterr(e, SIGNET_ENOTFOUND, "%s: not found (HTTP 404)%s%s", object, sep, detail);
	return sn_seterr(e, SIGNET_EREGISTRY, "registry %s: %s %s: unexpected HTTP status %ld%s%s", r->domain,
	                 method, shown, resp->status, sep, detail);
}

/* ---- handles ---------------------------------------------------------- */

static void registry_free(struct sn_registry *r)
{
	if (r == NULL)
		return;
	sn_h1_pool_free(r->pool);
	sn_auth_free(r);
	sn_buf_free(&r->ca_bundle);
	free(r->client_cert);
	free(r->client_key);
	free(r->base);
	free(r->host);
	free(r->domain);
	free(r);
}

void sn_registry_free_all(struct signet_ctx *ctx)
{
	if (ctx == NULL)
		return;
	while (ctx->registries != NULL) {
		struct sn_registry *r = ctx->registries;

		ctx->registries = r->next;
		registry_free(r);
	}
}

/* A character filter, not the reference grammar (sn_ref_domain_ok): hosts
 * also come from lookaside URLs (as url.c parsed them) and --registry,
 * which the grammar would refuse more of; this only keeps what cannot be a
 * host name out of URLs and messages. */
static int valid_domain(const char *d)
{
	size_t n = strlen(d);

	if (n == 0 || n > SIGNET_MAX_NAME_LENGTH)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = d[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
			return 0;
	}
	return 1;
}

int sn_registry_get(struct sn_registry **out, struct signet_ctx *ctx, const char *domain, struct sn_err *e)
{
	struct sn_registry *r;

	if (domain == NULL || !valid_domain(domain))
		return sn_seterr(e, SIGNET_EINVAL, "invalid registry host \"%.300s\"",
		                 domain != NULL ? domain : "");
	for (r = ctx->registries; r != NULL; r = r->next) {
		if (strcmp(r->domain, domain) == 0) {
			*out = r;
			return 0;
		}
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return sn_enomem(e);
	r->ctx = ctx;
	sn_buf_init(&r->ca_bundle, SN_MAX_CA_BUNDLE_SIZE, "CA certificate bundle");
	/* docker.io is served by registry-1.docker.io, as docker does. */
	if ((r->domain = sn_strdup(domain, e)) == NULL ||
	    (r->host = sn_strdup(strcmp(domain, SN_DOCKER_DOMAIN) == 0 ? "registry-1.docker.io" : domain,
	                         e)) == NULL) {
		registry_free(r);
		return SIGNET_ENOMEM;
	}
	r->next = ctx->registries;
	ctx->registries = r;
	ctx->free_registries = sn_registry_free_all;
	*out = r;
	return 0;
}

static int not_a_registry(const struct sn_registry *r, const char *url, struct sn_err *e)
{
	return sn_seterr(e, SIGNET_EREGISTRY,
	                 "registry %s: %s answered HTTP 404: not a registry (no /v2/ API)", r->domain, url);
}

/*
 * The first contact: GET /v2/ without credentials, to learn the scheme
 * (https; with tls_verify off, http when https fails to connect) and the
 * authentication challenge.
 */
static int probe(struct sn_registry *r, struct sn_err *e)
{
	static const char *const schemes[] = {"https", "http"};
	struct sn_http_req req = {0};
	struct sn_http_resp resp;
	struct sn_err first = {0, ""};
	char *base = NULL, *url = NULL;
	int rc = 0, plain = 0; /* plain: the https attempt was answered in plain HTTP */

	if (r->base != NULL)
		return 0;
	if ((rc = tls_setup(r, e)) != 0)
		return rc;
	sn_http_resp_init(&resp);
	for (size_t i = 0; i < (r->ctx->tls_verify ? 1u : 2u); i++) {
		free(base);
		free(url);
		url = NULL;
		if ((base = sn_aprintf(e, "%s://%s", schemes[i], r->host)) == NULL ||
		    (url = sn_aprintf(e, "%s/v2/", base)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		if (plain) {
			/* That answer shows the port speaks plain HTTP: no second
			 * probe.  The first request learns a challenge as any 401
			 * teaches it (registry_call). */
			sn_log(r->ctx, SIGNET_LOG_DEBUG,
			       "registry %s: https failed (%s), the server answers in plain http: using %s",
			       r->domain, first.msg, schemes[i]);
			r->probe_status = 0;
			r->base = base;
			base = NULL;
			goto out;
		}
		req.method = "GET";
		req.url = url;
		rc = sn_http_exchange(r, &req, &resp, i == 0 ? &first : e);
		if (rc == 0)
			break;
		if (i == 0) {
			if ((rc != SIGNET_ENETWORK && rc != SIGNET_ETLS) || r->ctx->tls_verify) {
				sn_seterr(e, rc, "%s", first.msg);
				goto out;
			}
			/* skopeo --tls-verify=false: plain HTTP when TLS fails */
			if (!(plain = rc == SIGNET_ETLS && plain_http_answer(first.msg)))
				sn_log(r->ctx, SIGNET_LOG_DEBUG,
				       "registry %s: https failed (%s), trying plain http", r->domain,
				       first.msg);
			rc = 0;
			continue;
		}
		/* Both failed: the http error (its code), after the https one. */
		if (e != NULL) {
			size_t plen = strlen("registry ") + strlen(r->domain) + 2;

			if (strncmp(e->msg, "registry ", 9) == 0 && strlen(e->msg) >= plen)
				memmove(e->msg, e->msg + plen, strlen(e->msg + plen) + 1);
			sn_errctx(e, "%s; plain HTTP fallback: ", first.msg);
		}
		goto out;
	}
	if (resp.status == 401 && resp.n_www_auth > 0 &&
	    (rc = sn_challenge_parse(&r->challenge, (const char *const *)resp.www_auth, resp.n_www_auth,
	                             e)) != 0)
		goto out;
	if (!(resp.status >= 200 && resp.status < 300) && resp.status != 401 && resp.status != 403) {
		if (resp.status == 404)
			rc = not_a_registry(r, url, e);
		else
			rc = status_error(r, "GET", &resp, NULL, r->domain, e);
		goto out;
	}
	sn_log(r->ctx, SIGNET_LOG_DEBUG, "registry %s: using %s", r->domain, base);
	r->probe_status = resp.status;
	r->base = base;
	base = NULL;
out:
	sn_http_resp_free(&resp);
	free(base);
	free(url);
	return rc;
}

/* A registry request: what, where, and for which repository and scope. */
struct call {
	const char *method;
	const char *url;
	const char *repo;  /* credentials lookup; NULL for catalog and ping */
	const char *scope; /* token scope; NULL for ping */
	const char *accept;
	const char *content_type;
	const void *body;
	size_t body_len;
	struct sn_buf *out;
	const char *what;
	const char *limit_name;
};

/* A 404 from a registry that was not probed (probe): asks GET /v2/ once,
 * so that a server that is no registry is named as such, as the probe
 * would have.  0 when /v2/ answers anything but 404 (the caller maps the
 * first 404). */
static int api_check(struct sn_registry *r, struct sn_err *e)
{
	struct sn_http_req req = {0};
	struct sn_http_resp resp;
	char *url;
	int rc;

	r->api_checked = 1;
	if ((url = sn_aprintf(e, "%s/v2/", r->base)) == NULL)
		return SIGNET_ENOMEM;
	sn_http_resp_init(&resp);
	req.method = "GET";
	req.url = url;
	rc = sn_http_exchange(r, &req, &resp, e);
	if (rc == 0 && resp.status == 404)
		rc = not_a_registry(r, url, e);
	sn_http_resp_free(&resp);
	free(url);
	return rc;
}

/* Sends c with the credentials the registry asked for, and once more with
 * fresh ones after a 401 that carries a challenge.  Returns 0 with any
 * HTTP status in resp (the caller maps it), or an error. */
static int registry_call(struct sn_registry *r, const struct call *c, struct sn_http_resp *resp,
                         struct sn_err *e)
{
	struct sn_http_req req = {0};
	int rc;

	req.method = c->method;
	req.url = c->url;
	req.accept = c->accept;
	req.content_type = c->content_type;
	req.body = c->body;
	req.body_len = c->body_len;
	req.auth_origin = r->base;
	req.out = c->out;
	req.what = c->what;
	req.limit_name = c->limit_name;
	for (int attempt = 0;; attempt++) {
		enum sn_auth_kind sent_kind = r->challenge.kind;
		char *auth = NULL;
		int sent;

		if ((rc = sn_auth_header(&auth, r, c->repo, c->scope, attempt > 0, e)) != 0)
			return rc;
		sent = auth != NULL;
		req.auth = auth;
		rc = sn_http_exchange(r, &req, resp, e);
		sn_free_secret(auth);
		if (rc != 0)
			return rc;
		if (resp->status == 404 && r->probe_status == 0 && !r->api_checked)
			return api_check(r, e);
		if (resp->status != 401 || !resp->on_origin || attempt > 0 || resp->n_www_auth == 0)
			return 0;
		/* Learn what this answer asks for; try once more. */
		if ((rc = sn_challenge_parse(&r->challenge, (const char *const *)resp->www_auth,
		                             resp->n_www_auth, e)) != 0)
			return rc;
		if (r->challenge.kind == SN_AUTH_BEARER)
			continue;
		if (r->challenge.kind == SN_AUTH_BASIC && !(sent && sent_kind == SN_AUTH_BASIC)) {
			const char *user = NULL, *pass = NULL;

			if ((rc = sn_auth_creds(&user, &pass, r, c->repo, e)) != 0)
				return rc;
			if (user != NULL)
				continue;
		}
		return 0;
	}
}

/* ---- the API ------------------------------------------------------------ */

int sn_registry_ping(struct sn_registry *r, struct sn_err *e)
{
	struct sn_http_resp resp;
	struct call c = {0};
	char *url = NULL;
	int rc;

	sn_http_resp_init(&resp);
	if (r->base == NULL) {
		if ((rc = probe(r, e)) != 0)
			goto out;
		/* The probe's answer is enough when it needed no credentials. */
		if (r->probe_status >= 200 && r->probe_status < 300)
			goto out;
	}
	if ((url = sn_aprintf(e, "%s/v2/", r->base)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.method = "GET";
	c.url = url;
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status < 200 || resp.status > 299)
		rc = status_error(r, "GET", &resp, NULL, r->domain, e);
out:
	sn_http_resp_free(&resp);
	free(url);
	return rc;
}

/* "application/json; charset=utf-8" -> "application/json" */
static char *media_type_of(const char *content_type, struct sn_err *e)
{
	size_t n;

	if (content_type == NULL)
		return NULL;
	n = strcspn(content_type, ";");
	while (n > 0 && (content_type[n - 1] == ' ' || content_type[n - 1] == '\t'))
		n--;
	return sn_strndup(content_type, n, e);
}

/* Checks a Docker-Content-Digest header against the bytes. */
static int check_docker_digest(const struct sn_http_resp *resp, const void *data, size_t len,
                               const char *what, struct sn_err *e)
{
	char label[700];

	if (resp->docker_digest == NULL)
		return 0;
	if (sn_digest_validate(resp->docker_digest, NULL) != 0)
		return sn_seterr(e, SIGNET_EREGISTRY, "%s: invalid Docker-Content-Digest header \"%.200s\"",
		                 what, resp->docker_digest);
	snprintf(label, sizeof(label), "%s (Docker-Content-Digest)", what);
	return sn_digest_check(resp->docker_digest, data, len, label, e);
}

int sn_registry_get_manifest(struct sn_registry *r, const char *repo, const char *ref, struct sn_buf *out,
                             char **content_type, char digest[SN_DIGEST_MAX], struct sn_err *e)
{
	char *url = NULL, *scope = NULL, *name = NULL, *what = NULL, *ct = NULL;
	char computed[SN_DIGEST_MAX];
	struct sn_http_resp resp;
	struct call c = {0};
	int rc;

	sn_buf_init(out, SIGNET_MAX_MANIFEST_SIZE, "manifest");
	sn_http_resp_init(&resp);
	if ((rc = check_repo_ref(repo, ref, e)) != 0 ||
	    (ref == NULL && (rc = sn_seterr(e, SIGNET_EINVAL, "no tag or digest")) != 0))
		goto out;
	if ((rc = probe(r, e)) != 0)
		goto out;
	if ((url = sn_aprintf(e, "%s/v2/%s/manifests/%s", r->base, repo, ref)) == NULL ||
	    (scope = sn_aprintf(e, "repository:%s:pull", repo)) == NULL ||
	    (name = sn_aprintf(e, "%s/%s%s%s", r->domain, repo, is_digest(ref) ? "@" : ":", ref)) == NULL ||
	    (what = sn_aprintf(e, "manifest %s", name)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.method = "GET";
	c.url = url;
	c.repo = repo;
	c.scope = scope;
	c.accept = SN_MANIFEST_ACCEPT;
	c.out = out;
	c.what = what;
	c.limit_name = "SIGNET_MAX_MANIFEST_SIZE";
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status != 200) {
		free(what);
		if ((what = sn_aprintf(e, "image %s", name)) == NULL)
			rc = SIGNET_ENOMEM;
		else
			rc = status_error(r, "GET", &resp, repo, what, e);
		goto out;
	}
	/* The digest is the one of these bytes, computed here. */
	if (is_digest(ref)) {
		if ((rc = sn_digest_check(ref, out->data, out->len, what, e)) != 0)
			goto out;
		snprintf(computed, sizeof(computed), "%s", ref);
	} else if ((rc = sn_digest_compute(computed, "sha256", out->data, out->len, e)) != 0) {
		goto out;
	}
	if ((rc = check_docker_digest(&resp, out->data, out->len, what, e)) != 0)
		goto out;
	if (resp.content_type != NULL && (ct = media_type_of(resp.content_type, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if (content_type != NULL) {
		*content_type = ct;
		ct = NULL;
	}
	if (digest != NULL)
		memcpy(digest, computed, strlen(computed) + 1);
out:
	if (rc != 0) {
		sn_buf_free(out);
		sn_buf_init(out, SIGNET_MAX_MANIFEST_SIZE, "manifest");
	}
	sn_http_resp_free(&resp);
	free(ct);
	free(url);
	free(scope);
	free(name);
	free(what);
	return rc;
}

int sn_registry_head_manifest(struct sn_registry *r, const char *repo, const char *ref, int *exists,
                              char **content_type, char digest[SN_DIGEST_MAX], struct sn_err *e)
{
	char *url = NULL, *scope = NULL, *what = NULL, *ct = NULL;
	struct sn_http_resp resp;
	struct call c = {0};
	int rc;

	sn_http_resp_init(&resp);
	if ((rc = check_repo_ref(repo, ref, e)) != 0 ||
	    (ref == NULL && (rc = sn_seterr(e, SIGNET_EINVAL, "no tag or digest")) != 0))
		goto out;
	if ((rc = probe(r, e)) != 0)
		goto out;
	if ((url = sn_aprintf(e, "%s/v2/%s/manifests/%s", r->base, repo, ref)) == NULL ||
	    (scope = sn_aprintf(e, "repository:%s:pull", repo)) == NULL ||
	    (what = sn_aprintf(e, "image %s/%s%s%s", r->domain, repo, is_digest(ref) ? "@" : ":", ref)) ==
	        NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.method = "HEAD";
	c.url = url;
	c.repo = repo;
	c.scope = scope;
	c.accept = SN_MANIFEST_ACCEPT;
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status == 404) {
		*exists = 0;
		if (content_type != NULL)
			*content_type = NULL;
		if (digest != NULL)
			digest[0] = '\0';
		goto out;
	}
	if (resp.status != 200) {
		rc = status_error(r, "HEAD", &resp, repo, what, e);
		goto out;
	}
	if (resp.docker_digest != NULL && sn_digest_validate(resp.docker_digest, NULL) != 0) {
		rc = sn_seterr(e, SIGNET_EREGISTRY, "%s: invalid Docker-Content-Digest header \"%.200s\"",
		               what, resp.docker_digest);
		goto out;
	}
	if (resp.content_type != NULL && (ct = media_type_of(resp.content_type, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*exists = 1;
	if (content_type != NULL) {
		*content_type = ct;
		ct = NULL;
	}
	if (digest != NULL)
		snprintf(digest, SN_DIGEST_MAX, "%s", resp.docker_digest != NULL ? resp.docker_digest : "");
out:
	sn_http_resp_free(&resp);
	free(ct);
	free(url);
	free(scope);
	free(what);
	return rc;
}

static int valid_media_type(const char *mt)
{
	if (mt == NULL || mt[0] == '\0' || strlen(mt) > 255)
		return 0;
	for (; *mt != '\0'; mt++)
		if (*mt < 0x21 || *mt > 0x7e)
			return 0;
	return 1;
}

int sn_registry_put_manifest(struct sn_registry *r, const char *repo, const char *ref, const void *data,
                             size_t len, const char *media_type, struct sn_err *e)
{
	char *url = NULL, *scope = NULL, *what = NULL;
	char computed[SN_DIGEST_MAX];
	struct sn_http_resp resp;
	struct call c = {0};
	int rc;

	sn_http_resp_init(&resp);
	if ((rc = check_repo_ref(repo, ref, e)) != 0 ||
	    (ref == NULL && (rc = sn_seterr(e, SIGNET_EINVAL, "no tag or digest")) != 0))
		goto out;
	if (!valid_media_type(media_type)) {
		rc = sn_seterr(e, SIGNET_EINVAL, "invalid manifest media type \"%.200s\"",
		               media_type != NULL ? media_type : "");
		goto out;
	}
	if ((what = sn_aprintf(e, "manifest %s/%s%s%s", r->domain, repo, is_digest(ref) ? "@" : ":", ref)) ==
	    NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if (len > SIGNET_MAX_MANIFEST_SIZE) {
		rc = sn_seterr(e, SIGNET_ELIMIT,
		               "%s: larger than the limit of %u bytes (SIGNET_MAX_MANIFEST_SIZE)", what,
		               SIGNET_MAX_MANIFEST_SIZE);
		goto out;
	}
	/* Never push bytes under a digest they do not have. */
	if (is_digest(ref)) {
		if ((rc = sn_digest_check(ref, data, len, what, e)) != 0)
			goto out;
		snprintf(computed, sizeof(computed), "%s", ref);
	} else if ((rc = sn_digest_compute(computed, "sha256", data, len, e)) != 0) {
		goto out;
	}
	if ((rc = probe(r, e)) != 0)
		goto out;
	if ((url = sn_aprintf(e, "%s/v2/%s/manifests/%s", r->base, repo, ref)) == NULL ||
	    (scope = sn_aprintf(e, "repository:%s:pull,push", repo)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.method = "PUT";
	c.url = url;
	c.repo = repo;
	c.scope = scope;
	c.content_type = media_type;
	c.body = data;
	c.body_len = len;
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status < 200 || resp.status > 299) {
		rc = status_error(r, "PUT", &resp, repo, what, e);
		goto out;
	}
	/* The registry must have stored exactly these bytes. */
	if (resp.docker_digest != NULL &&
	    strncmp(resp.docker_digest, computed, strcspn(computed, ":")) == 0 &&
	    strcmp(resp.docker_digest, computed) != 0)
		rc = sn_seterr(e, SIGNET_EINTEGRITY, "%s: the registry stored it as %.200s, its digest is %s",
		               what, resp.docker_digest, computed);
out:
	sn_http_resp_free(&resp);
	free(url);
	free(scope);
	free(what);
	return rc;
}

int sn_registry_get_blob(struct sn_registry *r, const char *repo, const char *digest, size_t max,
                         const char *what, struct sn_buf *out, struct sn_err *e)
{
	char *url = NULL, *scope = NULL, *label = NULL;
	struct sn_http_resp resp;
	struct call c = {0};
	int rc;

	sn_buf_init(out, max, what);
	sn_http_resp_init(&resp);
	if (digest == NULL || !is_digest(digest)) {
		rc = sn_seterr(e, SIGNET_EINVAL, "invalid blob digest \"%.200s\"",
		               digest != NULL ? digest : "");
		goto out;
	}
	if ((rc = check_repo_ref(repo, digest, e)) != 0 || (rc = probe(r, e)) != 0)
		goto out;
	if ((url = sn_aprintf(e, "%s/v2/%s/blobs/%s", r->base, repo, digest)) == NULL ||
	    (scope = sn_aprintf(e, "repository:%s:pull", repo)) == NULL ||
	    (label = sn_aprintf(e, "%s %s in %s/%s", what != NULL ? what : "blob", digest, r->domain,
	                        repo)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.method = "GET";
	c.url = url;
	c.repo = repo;
	c.scope = scope;
	c.out = out;
	c.what = label;
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status != 200) {
		rc = status_error(r, "GET", &resp, repo, label, e);
		goto out;
	}
	rc = sn_digest_check(digest, out->data, out->len, label, e);
out:
	if (rc != 0) {
		sn_buf_free(out);
		sn_buf_init(out, max, what);
	}
	sn_http_resp_free(&resp);
	free(url);
	free(scope);
	free(label);
	return rc;
}

int sn_registry_get_referrers(struct sn_registry *r, const char *repo, const char *digest, struct sn_buf *out,
                              int *found, struct sn_err *e)
{
	char *url = NULL, *scope = NULL, *what = NULL, *ct = NULL;
	struct sn_http_resp resp;
	struct call c = {0};
	int rc;

	sn_buf_init(out, SIGNET_MAX_MANIFEST_SIZE, "referrers");
	sn_http_resp_init(&resp);
	*found = 0;
	if (digest == NULL || !is_digest(digest)) {
		rc = sn_seterr(e, SIGNET_EINVAL, "referrers: invalid digest \"%.200s\"",
		               digest != NULL ? digest : "");
		goto out;
	}
	if ((rc = check_repo_ref(repo, digest, e)) != 0 || (rc = probe(r, e)) != 0)
		goto out;
	if ((url = sn_aprintf(e, "%s/v2/%s/referrers/%s", r->base, repo, digest)) == NULL ||
	    (scope = sn_aprintf(e, "repository:%s:pull", repo)) == NULL ||
	    (what = sn_aprintf(e, "referrers of %s/%s@%s", r->domain, repo, digest)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.method = "GET";
	c.url = url;
	c.repo = repo;
	c.scope = scope;
	c.accept = SN_MT_OCI_INDEX;
	c.out = out;
	c.what = what;
	c.limit_name = "SIGNET_MAX_MANIFEST_SIZE";
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	/* 404: the registry has no referrers API (the spec's signal to
	 * fall back to the tag schema); 405 and 501 are how some registries
	 * without it answer an unknown route. */
	if (resp.status == 404 || resp.status == 405 || resp.status == 501)
		goto out;
	if (resp.status != 200) {
		rc = status_error(r, "GET", &resp, repo, what, e);
		goto out;
	}
	if (resp.content_type == NULL || (ct = media_type_of(resp.content_type, e)) == NULL ||
	    strcmp(ct, SN_MT_OCI_INDEX) != 0) {
		rc = ct == NULL && resp.content_type != NULL
		         ? SIGNET_ENOMEM
		         : sn_seterr(e, SIGNET_EREGISTRY, "%s: Content-Type \"%.100s\" is not %s", what,
		                     resp.content_type != NULL ? resp.content_type : "(none)",
		                     SN_MT_OCI_INDEX);
		goto out;
	}
	*found = 1;
out:
	if (rc != 0 || *found == 0) {
		sn_buf_free(out);
		sn_buf_init(out, SIGNET_MAX_MANIFEST_SIZE, "referrers");
	}
	sn_http_resp_free(&resp);
	free(ct);
	free(url);
	free(scope);
	free(what);
	return rc;
}

int sn_registry_put_blob(struct sn_registry *r, const char *repo, const char *digest, const void *data,
                         size_t len, struct sn_err *e)
{
	char *url = NULL, *scope = NULL, *label = NULL, *put_url = NULL, *loc = NULL;
	const char *base_scheme, *put_scheme;
	struct sn_http_resp resp;
	struct call c = {0};
	int rc;

	sn_http_resp_init(&resp);
	if (digest == NULL || !is_digest(digest)) {
		rc = sn_seterr(e, SIGNET_EINVAL, "invalid blob digest \"%.200s\"",
		               digest != NULL ? digest : "");
		goto out;
	}
	if ((rc = check_repo_ref(repo, digest, e)) != 0)
		goto out;
	if ((label = sn_aprintf(e, "blob %s in %s/%s", digest, r->domain, repo)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = sn_digest_check(digest, data, len, label, e)) != 0 || (rc = probe(r, e)) != 0)
		goto out;
	if ((url = sn_aprintf(e, "%s/v2/%s/blobs/%s", r->base, repo, digest)) == NULL ||
	    (scope = sn_aprintf(e, "repository:%s:pull,push", repo)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.repo = repo;
	c.scope = scope;

	/* Already there? */
	c.method = "HEAD";
	c.url = url;
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status == 200)
		goto out;
	if (resp.status != 404) {
		rc = status_error(r, "HEAD", &resp, repo, label, e);
		goto out;
	}

	/* Start an upload session... */
	free(url);
	if ((url = sn_aprintf(e, "%s/v2/%s/blobs/uploads/", r->base, repo)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	c.method = "POST";
	c.url = url;
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status != 202) {
		rc = status_error(r, "POST", &resp, repo, label, e);
		goto out;
	}
	if (resp.location == NULL || resp.location[0] == '\0') {
		rc = sn_seterr(e, SIGNET_EREGISTRY, "registry %s: upload of %s: no Location in the answer",
		               r->domain, label);
		goto out;
	}
	/* ...and finish it with one PUT: Location (relative or absolute, maybe
	 * with a query already) + digest=. */
	if ((loc = sn_url_resolve(resp.url, resp.location)) != NULL)
		put_url = sn_url_add_query(loc, "digest", digest);
	base_scheme = url_scheme(r->base);
	put_scheme = put_url != NULL ? url_scheme(put_url) : NULL;
	if (put_url == NULL || base_scheme == NULL || put_scheme == NULL ||
	    (strcmp(base_scheme, "https") == 0 && strcmp(put_scheme, "http") == 0)) {
		rc = sn_seterr(e, SIGNET_EREGISTRY, "registry %s: upload of %s: unusable Location \"%.200s\"",
		               r->domain, label, resp.location);
		goto out;
	}
	c.method = "PUT";
	c.url = put_url;
	c.content_type = "application/octet-stream";
	c.body = data;
	c.body_len = len;
	if ((rc = registry_call(r, &c, &resp, e)) != 0)
		goto out;
	if (resp.status < 200 || resp.status > 299) {
		rc = status_error(r, "PUT", &resp, repo, label, e);
		goto out;
	}
	if (resp.docker_digest != NULL && strcmp(resp.docker_digest, digest) != 0)
		rc = sn_seterr(e, SIGNET_EINTEGRITY, "%s: the registry stored it as %.200s", label,
		               resp.docker_digest);
out:
	sn_http_resp_free(&resp);
	free(loc);
	free(put_url);
	free(url);
	free(scope);
	free(label);
	return rc;
}

/* ---- lists ------------------------------------------------------------ */

/* The target of the rel="next" link of a Link header (RFC 8288), or NULL. */
static int link_next(char **next, const char *header, struct sn_err *e)
{
	const char *p = header;

	*next = NULL;
	for (;;) {
		const char *url, *end;
		int is_next = 0;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return 0;
		if (*p != '<' || (end = strchr(p + 1, '>')) == NULL)
			goto bad;
		url = p + 1;
		for (const char *q = url; q < end; q++)
			if ((unsigned char)*q <= 0x20 || *q == 0x7f || *q == '<')
				goto bad;
		p = end + 1;
		for (;;) {
			const char *name, *val;
			size_t nlen, vlen;

			while (*p == ' ' || *p == '\t')
				p++;
			if (*p != ';')
				break;
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			name = p;
			while (*p != '\0' && *p != '=' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
				p++;
			nlen = (size_t)(p - name);
			if (nlen == 0)
				goto bad;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p != '=')
				continue; /* a parameter without value */
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '"') {
				val = ++p;
				while (*p != '"') {
					if (*p == '\0')
						goto bad;
					if (*p == '\\' && p[1] != '\0')
						p++;
					p++;
				}
				vlen = (size_t)(p - val);
				p++;
			} else {
				val = p;
				while (*p != '\0' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
					p++;
				vlen = (size_t)(p - val);
			}
			/* rel is a space-separated list of relation types */
			if (nlen == 3 && strncasecmp(name, "rel", 3) == 0) {
				for (size_t i = 0; i < vlen;) {
					size_t j = i;

					while (j < vlen && val[j] != ' ')
						j++;
					if (j - i == 4 && strncasecmp(val + i, "next", 4) == 0)
						is_next = 1;
					i = j + 1;
				}
			}
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0' && *p != ',')
			goto bad;
		if (is_next && *next == NULL && (*next = sn_strndup(url, (size_t)(end - url), e)) == NULL)
			return SIGNET_ENOMEM;
	}
bad:
	free(*next);
	*next = NULL;
	return sn_seterr(e, SIGNET_EREGISTRY, "malformed Link header \"%.200s\"", header);
}

/* The pages of one listing already requested, by the SHA-256 of their URL,
 * so that a next-page link back to any of them (A -> B -> A, or later) is
 * refused at once.  Open addressing, at most half full.  Every page but the
 * last brings at least one name (see list_names), so SIGNET_MAX_TAGS_TOTAL
 * bounds the entries; a real listing holds a few (32 bytes each). */
#define PAGE_SET_FIRST 64

struct page_set {
	unsigned char (*slot)[32];
	unsigned char *used;
	size_t cap, n; /* cap: a power of two */
};

static void page_set_free(struct page_set *ps)
{
	free(ps->slot);
	free(ps->used);
	memset(ps, 0, sizeof(*ps));
}

static size_t page_set_home(const struct page_set *ps, const unsigned char md[32])
{
	size_t h = 0;

	memcpy(&h, md, sizeof(h)); /* a SHA-256 is spread evenly already */
	return h & (ps->cap - 1);
}

/* Places md in slot (not there yet; room for it). */
static void page_set_place(struct page_set *ps, const unsigned char md[32])
{
	size_t i = page_set_home(ps, md);

	while (ps->used[i])
		i = (i + 1) & (ps->cap - 1);
	memcpy(ps->slot[i], md, 32);
	ps->used[i] = 1;
	ps->n++;
}

/* Adds url: 0 if it is new, 1 if it was seen before, or SIGNET_ENOMEM. */
static int page_set_add(struct page_set *ps, const char *url, struct sn_err *e)
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(url, strlen(url), md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != sizeof(md))
		return sn_seterr(e, SIGNET_ENOMEM, "hashing a page URL failed");
	if (ps->cap != 0) {
		for (size_t i = page_set_home(ps, md); ps->used[i]; i = (i + 1) & (ps->cap - 1))
			if (memcmp(ps->slot[i], md, sizeof(md)) == 0)
				return 1;
	}
	if (2 * (ps->n + 1) > ps->cap) {
		struct page_set bigger = {NULL, NULL, ps->cap != 0 ? 2 * ps->cap : PAGE_SET_FIRST, 0};

		if (bigger.cap < ps->cap || (bigger.slot = calloc(bigger.cap, 32)) == NULL ||
		    (bigger.used = calloc(bigger.cap, 1)) == NULL) {
			page_set_free(&bigger);
			return sn_enomem(e);
		}
		for (size_t i = 0; i < ps->cap; i++)
			if (ps->used[i])
				page_set_place(&bigger, ps->slot[i]);
		page_set_free(ps);
		*ps = bigger;
	}
	page_set_place(ps, md);
	return 0;
}

struct list_spec {
	const char *path;   /* first page, after the base URL */
	const char *repo;   /* credentials; NULL for the catalog */
	const char *scope;  /* token scope */
	const char *key;    /* "tags" or "repositories" */
	const char *object; /* "repository docker.io/x", "catalog of docker.io" */
	int (*valid)(const char *name);
};

static int list_names(struct sn_registry *r, const struct list_spec *s, sn_name_cb cb, void *userdata,
                      struct sn_err *e)
{
	char *url = NULL, *next = NULL, *link = NULL, *what = NULL;
	struct sn_http_resp resp;
	struct page_set seen = {NULL, NULL, 0, 0};
	struct call c = {0};
	json_t *root = NULL;
	struct sn_buf page;
	size_t total = 0;
	int rc;

	sn_http_resp_init(&resp);
	sn_buf_init(&page, SN_MAX_LIST_PAGE_SIZE, "list page");
	if ((rc = probe(r, e)) != 0)
		goto out;
	if ((url = sn_aprintf(e, "%s%s", r->base, s->path)) == NULL ||
	    (what = sn_aprintf(e, "%s list of %s", s->key, s->object)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = page_set_add(&seen, url, e)) != 0)
		goto out;
	c.method = "GET";
	c.repo = s->repo;
	c.scope = s->scope;
	c.accept = "application/json";
	c.out = &page;
	c.what = what;
	for (;;) {
		json_t *arr, *it;
		size_t i, n;

		c.url = url;
		if ((rc = registry_call(r, &c, &resp, e)) != 0)
			goto out;
		if (resp.status != 200) {
			rc = status_error(r, "GET", &resp, s->repo, s->object, e);
			goto out;
		}
		json_decref(root);
		root = NULL;
		if ((rc = sn_json_parse(&root, page.data, page.len, what, e)) != 0)
			goto out;
		arr = json_is_object(root) ? json_object_get(root, s->key) : NULL;
		if (!json_is_object(root) || (arr != NULL && !json_is_null(arr) && !json_is_array(arr))) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: expected an object with a \"%s\" array",
			               what, s->key);
			goto out;
		}
		n = json_array_size(arr);
		if (n > SIGNET_MAX_TAGS_PAGE) {
			rc = sn_seterr(
			    e, SIGNET_ELIMIT,
			    "%s: a page of %zu entries is over the limit of %d (SIGNET_MAX_TAGS_PAGE)", what,
			    n, SIGNET_MAX_TAGS_PAGE);
			goto out;
		}
		if (total + n > SIGNET_MAX_TAGS_TOTAL) {
			rc = sn_seterr(e, SIGNET_ELIMIT, "%s: more than %d entries (SIGNET_MAX_TAGS_TOTAL)",
			               what, SIGNET_MAX_TAGS_TOTAL);
			goto out;
		}
		total += n;
		json_array_foreach(arr, i, it)
		{
			if (!json_is_string(it) || !s->valid(json_string_value(it))) {
				rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: %s[%zu] is not a valid name", what,
				               s->key, i);
				goto out;
			}
		}
		json_array_foreach(arr, i, it)
		{
			if ((rc = cb(userdata, json_string_value(it))) != 0)
				goto out;
		}
		free(link);
		link = NULL;
		if (resp.link == NULL)
			break;
		if ((rc = link_next(&link, resp.link, e)) != 0) {
			sn_errctx(e, "%s: ", what);
			goto out;
		}
		if (link == NULL)
			break;
		/* Only on to another page of the same registry (scheme, host and
		 * port; the host in any case). */
		free(next);
		if ((next = sn_url_resolve(resp.url, link)) == NULL || !sn_url_same_host(next, r->base) ||
		    url_scheme(next) != url_scheme(r->base)) {
			rc = sn_seterr(e, SIGNET_EREGISTRY,
			               "%s: refusing to follow the next-page link \"%.200s\" off %s", what,
			               link, r->base);
			goto out;
		}
		if (n == 0) {
			rc = sn_seterr(e, SIGNET_EREGISTRY, "%s: the next-page link does not advance", what);
			goto out;
		}
		/* Back to any page already read (itself, or A -> B -> A ...):
		 * the registry would be paged for ever. */
		if ((rc = page_set_add(&seen, next, e)) != 0) {
			if (rc == 1) {
				char shown[1024];

				rc = sn_seterr(e, SIGNET_EREGISTRY,
				               "%s: the next-page link goes back to a page already read, %s",
				               what, safe_url(next, 1, shown, sizeof(shown)));
			}
			goto out;
		}
		free(url);
		url = next;
		next = NULL;
	}
out:
	page_set_free(&seen);
	json_decref(root);
	sn_buf_free(&page);
	sn_http_resp_free(&resp);
	free(url);
	free(next);
	free(link);
	free(what);
	return rc;
}

int sn_registry_list_tags(struct sn_registry *r, const char *repo, sn_name_cb cb, void *userdata,
                          struct sn_err *e)
{
	struct list_spec s = {0};
	char *path = NULL, *scope = NULL, *object = NULL;
	int rc;

	if ((rc = check_repo_ref(repo, NULL, e)) != 0)
		return rc;
	if ((path = sn_aprintf(e, "/v2/%s/tags/list", repo)) == NULL ||
	    (scope = sn_aprintf(e, "repository:%s:pull", repo)) == NULL ||
	    (object = sn_aprintf(e, "repository %s/%s", r->domain, repo)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	s.path = path;
	s.repo = repo;
	s.scope = scope;
	s.key = "tags";
	s.object = object;
	s.valid = valid_tag;
	rc = list_names(r, &s, cb, userdata, e);
out:
	free(path);
	free(scope);
	free(object);
	return rc;
}

int sn_registry_catalog(struct sn_registry *r, sn_name_cb cb, void *userdata, struct sn_err *e)
{
	struct list_spec s = {0};
	char *object;
	int rc;

	if ((object = sn_aprintf(e, "catalog of %s", r->domain)) == NULL)
		return SIGNET_ENOMEM;
	s.path = "/v2/_catalog";
	s.scope = "registry:catalog:*";
	s.key = "repositories";
	s.object = object;
	s.valid = valid_repo;
	rc = list_names(r, &s, cb, userdata, e);
	free(object);
	return rc;
}

/* For the fuzz harness (client_internal.h). */
int sn_link_next(char **next, const char *header, struct sn_err *e)
{
	return link_next(next, header, e);
}
