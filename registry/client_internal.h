/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/client_internal.h: what client.c (HTTP, handles, the registry
 * API) and auth.c (challenges, credentials, bearer tokens) share; also
 * http_fetch.c (plain GETs for signature stores) and the unit tests.
 * Nothing else includes it.
 */
#ifndef SN_CLIENT_INTERNAL_H
#define SN_CLIENT_INTERNAL_H

#include "http1.h"
#include "registry.h"
#include "url.h"

/* Bytes of one tags-list or catalog page: SIGNET_MAX_TAGS_PAGE names of
 * at most SIGNET_MAX_NAME_LENGTH characters, quoted and escaped, plus the
 * document around them. */
#define SN_MAX_LIST_PAGE_SIZE ((size_t)SIGNET_MAX_TAGS_PAGE * (SIGNET_MAX_NAME_LENGTH + 8u) + 4096u)
/* One *.crt / *.cert / *.key file of a certificate directory, and the CA
 * bundle built from the system bundle plus the directory's *.crt files. */
#define SN_MAX_CERT_FILE_SIZE (1024u * 1024u)
#define SN_MAX_CA_BUNDLE_SIZE (16u * 1024u * 1024u)
/* Bearer tokens: lifetime when the server gives none, the longest trusted,
 * and how long before expiry a cached token is no longer used. */
#define SN_TOKEN_DEFAULT_EXPIRES_S 60
#define SN_TOKEN_MAX_EXPIRES_S     86400
#define SN_TOKEN_EXPIRY_MARGIN_S   5
/* First retry delay; doubled at each retry (200, 400, 800 ms). */
#define SN_RETRY_BASE_MS 200L
/* WWW-Authenticate headers looked at in one answer. */
#define SN_MAX_CHALLENGE_HEADERS 8
/* Registry error text quoted in a message. */
#define SN_MAX_ERROR_DETAIL 512

enum sn_auth_kind {
	SN_AUTH_NONE = 0,   /* no challenge seen: send nothing */
	SN_AUTH_BASIC = 1,  /* Basic: send the credentials */
	SN_AUTH_BEARER = 2, /* Bearer: fetch a token from realm */
	SN_AUTH_OTHER = 3,  /* a scheme signet does not speak */
};

/* A parsed WWW-Authenticate challenge (the one signet chose). */
struct sn_challenge {
	enum sn_auth_kind kind;
	char *realm;   /* Bearer: token endpoint URL; Basic: informational */
	char *service; /* Bearer: optional */
	char *scope;   /* Bearer: optional */
};

struct sn_token {
	struct sn_token *next;
	char *scope;        /* "" for a token asked without a scope */
	char *token;        /* secret */
	int64_t expires_ms; /* CLOCK_MONOTONIC */
};

struct sn_cred {
	struct sn_cred *next;
	char *repo; /* "" for the registry level (catalog, ping) */
	char *user; /* NULL when there are no credentials */
	char *pass; /* secret */
};

struct sn_registry {
	struct sn_registry *next;
	struct signet_ctx *ctx; /* borrowed */
	char *domain;           /* as in references: "docker.io", "localhost:5000" */
	char *host;             /* what is contacted: "registry-1.docker.io", "localhost:5000" */
	char *base;             /* "https://HOST" or "http://HOST" once probed, else NULL */
	long probe_status;      /* HTTP status of the unauthenticated GET /v2/; 0: none sent */
	int api_checked;        /* probe_status 0: a 404 made us ask /v2/ whether this is a registry */
	struct sn_h1_pool *pool; /* its connections (http1.h), made on first use; it borrows
	                          * ca_bundle, client_cert and client_key (freed first) */
	int tls_loaded;
	struct sn_buf ca_bundle; /* PEM: system bundle + cert_dir *.crt; empty: SN_SYSTEM_CA_FILE */
	char *client_cert;       /* paths in cert_dir, or NULL */
	char *client_key;
	struct sn_challenge challenge; /* from the /v2/ probe or the last 401 */
	struct sn_token *tokens;
	struct sn_cred *creds;
};

/* One HTTP exchange (client.c).  Redirects are followed here, by hand:
 * at most SIGNET_MAX_REDIRECTS, http->https upgrades but never https->http,
 * and `auth` is sent only while the URL stays on auth_origin's host:port. */
struct sn_http_req {
	const char *method;       /* "GET", "HEAD", "PUT", "POST" */
	const char *url;          /* absolute http(s) URL */
	const char *accept;       /* Accept header or NULL */
	const char *content_type; /* of the request body, or NULL */
	const void *body;         /* PUT/POST body (may be NULL with body_len 0) */
	size_t body_len;
	const char *auth;        /* Authorization header value (secret), or NULL */
	const char *auth_origin; /* URL whose host:port may receive auth */
	struct sn_buf *out;      /* 2xx body (initialized by the caller), or NULL to discard */
	const char *what;        /* names out in limit messages: "manifest docker.io/x:y" */
	const char *limit_name;  /* the limit's constant, e.g. "SIGNET_MAX_MANIFEST_SIZE", or NULL */
	const char *peer;        /* names the server in messages ("lookaside"); NULL: "registry <domain>" */
};

struct sn_http_resp {
	long status;
	char *url;     /* the URL that gave this answer (after redirects) */
	int on_origin; /* the answer came from auth_origin's host:port */
	char *content_type;
	char *docker_digest;
	char *location;
	char *link;
	char *www_auth[SN_MAX_CHALLENGE_HEADERS];
	size_t n_www_auth;
	long retry_after_s;    /* Retry-After in seconds, 0 if absent */
	struct sn_buf errbody; /* body of a non-2xx answer, at most SIGNET_MAX_ERROR_BODY_SIZE */
};

/* Performs req (with retries on 429/5xx/connection resets, and redirects).
 * Loads the TLS material of ctx->cert_dir into r first if not done yet.
 * Returns 0 whenever an HTTP answer arrived (any status: the caller
 * decides), SIGNET_ENETWORK / SIGNET_ETLS naming the URL, SIGNET_ELIMIT
 * when a 2xx body crossed out->max, SIGNET_EREGISTRY for a refused or
 * broken redirect.  resp is reset here and must be freed by the caller
 * with sn_http_resp_free (also on failure). */
int sn_http_exchange(struct sn_registry *r, const struct sn_http_req *req, struct sn_http_resp *resp,
                     struct sn_err *e);
void sn_http_resp_init(struct sn_http_resp *resp);
void sn_http_resp_free(struct sn_http_resp *resp);
/* The target of the rel="next" link of a Link header value (RFC 8288):
 * *next (caller frees) is NULL when there is none.  Returns 0,
 * SIGNET_EREGISTRY ("malformed Link header ...") or SIGNET_ENOMEM. */
int sn_link_next(char **next, const char *header, struct sn_err *e);

/* auth.c */

/* Parses the WWW-Authenticate header values of one answer (RFC 7235: each
 * value a list of challenges, parameters token or quoted-string with
 * backslash escapes, names case-insensitive, no duplicates).  Chooses the
 * first Bearer challenge, else the first Basic one; kind is SN_AUTH_OTHER
 * when only other schemes came, SN_AUTH_NONE when there were none.
 * Bearer needs a non-empty realm.  Returns 0 or SIGNET_EREGISTRY (message
 * says what is malformed); out is untouched on failure. */
int sn_challenge_parse(struct sn_challenge *out, const char *const *values, size_t n, struct sn_err *e);
void sn_challenge_clear(struct sn_challenge *c);

/* The Authorization header value for a request on repo (NULL for catalog
 * and ping) needing scope (NULL for ping: the challenge's own scope), per
 * r->challenge: Bearer fetches or reuses a token (fresh: never reuse),
 * Basic uses the credentials.  *out is NULL when nothing is to be sent;
 * else a secret (sn_free_secret).  Returns 0, SIGNET_EAUTH, SIGNET_EBADINPUT
 * (token answer or auth file malformed), SIGNET_ENETWORK, ... */
int sn_auth_header(char **out, struct sn_registry *r, const char *repo, const char *scope, int fresh,
                   struct sn_err *e);
/* Credentials for repo: ctx->creds when they are bound to r's host (the
 * first registry that asks binds them if nothing did before: ctx.c), then
 * the host's credentials from the policy source, then ctx->authfile or
 * the search of credsearch.c (when enabled); *user
 * is NULL when there are none.  Borrowed from r (cached). */
int sn_auth_creds(const char **user, const char **pass, struct sn_registry *r, const char *repo,
                  struct sn_err *e);
/* Drops the cached token for scope (after a 401). */
void sn_auth_forget_token(struct sn_registry *r, const char *scope);
/* Wipes and frees tokens, credentials and the challenge of r. */
void sn_auth_free(struct sn_registry *r);

#endif
