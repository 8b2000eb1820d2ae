/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/auth.c: registry authentication.  WWW-Authenticate challenges,
 * credentials (ctx->creds or the auth file), and the bearer token flow of
 * the distribution spec: GET realm?service=S&scope=SCOPE, with Basic
 * credentials when there are some, answering {"token": ...} or
 * {"access_token": ...} and "expires_in".  Tokens are cached per scope in
 * the registry handle and wiped when dropped.
 */
#include "client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* ---- WWW-Authenticate (RFC 7235) ------------------------------------ */

#define MAX_CHALLENGE_PARAMS 16

/* tchar of RFC 7230 */
static int is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_token68_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-._~+/", c) != NULL;
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (is_tchar((unsigned char)p[n]))
		n++;
	return n;
}

/* Is p a token68 that ends the challenge (followed by OWS and end or ",")? */
static size_t token68_len(const char *p)
{
	const char *q = p;

	while (is_token68_char((unsigned char)*q))
		q++;
	if (q == p)
		return 0;
	while (*q == '=')
		q++;
	if (*skip_ows(q) != '\0' && *skip_ows(q) != ',')
		return 0;
	return (size_t)(q - p);
}

/* Parses a quoted-string at *pp (which points at the opening quote) into a
 * new string; *pp is moved past the closing quote. */
static int parse_quoted(char **out, const char **pp, const char *header, struct sn_err *e)
{
	const char *p = *pp + 1;
	struct sn_buf b;
	int rc;

	sn_buf_init(&b, strlen(p), "quoted string");
	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (c == '\0') {
			rc = sn_seterr(e, SIGNET_EREGISTRY,
			               "unterminated quoted string in WWW-Authenticate \"%.200s\"", header);
			goto fail;
		}
		if (c == '"')
			break;
		if (c == '\\') {
			c = (unsigned char)*++p;
			if (c == '\0' || (c < 0x20 && c != '\t') || c == 0x7f) {
				rc = sn_seterr(
				    e, SIGNET_EREGISTRY,
				    "invalid escape in a quoted string of WWW-Authenticate \"%.200s\"",
				    header);
				goto fail;
			}
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			rc = sn_seterr(e, SIGNET_EREGISTRY,
			               "control character in a quoted string of WWW-Authenticate \"%.200s\"",
			               header);
			goto fail;
		}
		if ((rc = sn_buf_append(&b, &c, 1, e)) != 0)
			goto fail;
		p++;
	}
	if (b.data == NULL && (rc = sn_buf_append(&b, "", 0, e)) != 0)
		goto fail;
	*pp = p + 1;
	*out = (char *)sn_buf_steal(&b, NULL);
	return 0;
fail:
	sn_buf_free(&b);
	return rc;
}

/* Parses one header value (a list of challenges) and keeps the first Bearer
 * and the first Basic challenge seen across calls. */
static int parse_challenges(const char *header, struct sn_challenge *bearer, struct sn_challenge *basic,
                            int *other, struct sn_err *e)
{
	const char *p = skip_ows(header);
	int rc;

	while (*p != '\0') {
		struct sn_challenge c = {SN_AUTH_OTHER, NULL, NULL, NULL};
		char names[MAX_CHALLENGE_PARAMS][64];
		size_t n_names = 0, n;

		if (*p == ',') { /* empty list elements are allowed */
			p = skip_ows(p + 1);
			continue;
		}
		n = token_len(p);
		if (n == 0)
			return sn_seterr(
			    e, SIGNET_EREGISTRY,
			    "malformed WWW-Authenticate \"%.200s\": expected a scheme at offset %zu", header,
			    (size_t)(p - header));
		if (n == 6 && strncasecmp(p, "Bearer", 6) == 0)
			c.kind = SN_AUTH_BEARER;
		else if (n == 5 && strncasecmp(p, "Basic", 5) == 0)
			c.kind = SN_AUTH_BASIC;
		p += n;
		if (*p != '\0' && *p != ' ' && *p != ',')
			return sn_seterr(
			    e, SIGNET_EREGISTRY,
			    "malformed WWW-Authenticate \"%.200s\": unexpected character at offset %zu",
			    header, (size_t)(p - header));
		p = skip_ows(p);
		if ((n = token68_len(p)) != 0)
			p = skip_ows(p + n); /* a token68: nothing signet uses */
		/* auth-params until the end or the start of the next challenge */
		while (*p != '\0') {
			const char *name = p, *save;
			char *value = NULL;
			size_t nlen;

			if (*p == ',') {
				p = skip_ows(p + 1);
				continue;
			}
			save = p;
			nlen = token_len(p);
			if (nlen == 0) {
				rc = sn_seterr(e, SIGNET_EREGISTRY,
				               "malformed WWW-Authenticate \"%.200s\": unexpected character "
				               "at offset %zu",
				               header, (size_t)(p - header));
				goto fail;
			}
			p = skip_ows(p + nlen);
			if (*p != '=') {
				/* not a parameter: the next challenge's scheme */
				p = save;
				break;
			}
			p = skip_ows(p + 1);
			if (*p == '"') {
				if ((rc = parse_quoted(&value, &p, header, e)) != 0)
					goto fail;
			} else {
				size_t vlen = token_len(p);

				if (vlen == 0) {
					rc = sn_seterr(
					    e, SIGNET_EREGISTRY,
					    "malformed WWW-Authenticate \"%.200s\": parameter \"%.*s\" "
					    "has no value",
					    header, (int)(nlen > 64 ? 64 : nlen), name);
					goto fail;
				}
				if ((value = sn_strndup(p, vlen, e)) == NULL) {
					rc = SIGNET_ENOMEM;
					goto fail;
				}
				p += vlen;
			}
			p = skip_ows(p);
			if (*p != '\0' && *p != ',') {
				free(value);
				rc = sn_seterr(e, SIGNET_EREGISTRY,
				               "malformed WWW-Authenticate \"%.200s\": unexpected character "
				               "at offset %zu",
				               header, (size_t)(p - header));
				goto fail;
			}
			/* duplicate parameters (case-insensitive) are an error */
			for (size_t i = 0; i < n_names; i++) {
				if (strlen(names[i]) == nlen && strncasecmp(names[i], name, nlen) == 0) {
					free(value);
					rc = sn_seterr(
					    e, SIGNET_EREGISTRY,
					    "malformed WWW-Authenticate \"%.200s\": duplicate parameter "
					    "\"%.*s\"",
					    header, (int)(nlen > 64 ? 64 : nlen), name);
					goto fail;
				}
			}
			if (n_names == MAX_CHALLENGE_PARAMS || nlen >= sizeof(names[0])) {
				free(value);
				rc = sn_seterr(
				    e, SIGNET_EREGISTRY,
				    "malformed WWW-Authenticate \"%.200s\": too many or too long parameters",
				    header);
				goto fail;
			}
			memcpy(names[n_names], name, nlen);
			names[n_names++][nlen] = '\0';
			if (nlen == 5 && strncasecmp(name, "realm", 5) == 0)
				c.realm = value;
			else if (nlen == 7 && strncasecmp(name, "service", 7) == 0)
				c.service = value;
			else if (nlen == 5 && strncasecmp(name, "scope", 5) == 0)
				c.scope = value;
			else
				free(value); /* error, error_description, ...: informational */
		}
		if (c.kind == SN_AUTH_BEARER && (c.realm == NULL || c.realm[0] == '\0')) {
			rc = sn_seterr(e, SIGNET_EREGISTRY,
			               "WWW-Authenticate \"%.200s\": Bearer challenge without realm", header);
			goto fail;
		}
		if (c.kind == SN_AUTH_BEARER && bearer->kind == SN_AUTH_NONE)
			*bearer = c;
		else if (c.kind == SN_AUTH_BASIC && basic->kind == SN_AUTH_NONE)
			*basic = c;
		else {
			if (c.kind == SN_AUTH_OTHER)
				*other = 1;
			sn_challenge_clear(&c);
		}
		continue;
	fail:
		sn_challenge_clear(&c);
		return rc;
	}
	return 0;
}

void sn_challenge_clear(struct sn_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	memset(c, 0, sizeof(*c));
}

int sn_challenge_parse(struct sn_challenge *out, const char *const *values, size_t n, struct sn_err *e)
{
	struct sn_challenge bearer = {SN_AUTH_NONE, NULL, NULL, NULL};
	struct sn_challenge basic = {SN_AUTH_NONE, NULL, NULL, NULL};
	int other = 0, rc = 0;

	for (size_t i = 0; i < n; i++)
		if ((rc = parse_challenges(values[i], &bearer, &basic, &other, e)) != 0)
			goto fail;
	sn_challenge_clear(out);
	if (bearer.kind != SN_AUTH_NONE) {
		*out = bearer;
		sn_challenge_clear(&basic);
	} else if (basic.kind != SN_AUTH_NONE) {
		*out = basic;
	} else {
		out->kind = other ? SN_AUTH_OTHER : SN_AUTH_NONE;
	}
	return 0;
fail:
	sn_challenge_clear(&bearer);
	sn_challenge_clear(&basic);
	return rc;
}

/* ---- credentials ------------------------------------------------------ */

static void cred_free(struct sn_cred *c)
{
	if (c == NULL)
		return;
	free(c->repo);
	sn_free_secret(c->user);
	sn_free_secret(c->pass);
	free(c);
}

int sn_auth_creds(const char **user, const char **pass, struct sn_registry *r, const char *repo,
                  struct sn_err *e)
{
	const char *key = repo != NULL ? repo : "";
	const char *given;
	struct sn_cred *c;
	int rc;

	for (c = r->creds; c != NULL; c = c->next) {
		if (strcmp(c->repo, key) == 0) {
			*user = c->user;
			*pass = c->pass;
			return 0;
		}
	}
	if ((c = calloc(1, sizeof(*c))) == NULL || (c->repo = sn_strdup(key, e)) == NULL) {
		cred_free(c);
		return sn_enomem(e);
	}
	/* --creds (only for the one host they are bound to: the first
	 * registry that asks binds them, if nothing did before), then
	 * credentials the policy source gave for this host, then the auth
	 * file or, when enabled, the auth files searched and their helpers
	 * (credsearch.c).  This handle's token realm, wherever it is, is asked with
	 * this registry's credentials: that is the token flow. */
	if ((rc = sn_ctx_bind_creds(r->ctx, r->domain, e)) != 0) {
		cred_free(c);
		return rc;
	}
	given = sn_ctx_creds_for(r->ctx, r->domain);
	if (given == NULL)
		given = sn_ctx_host_creds(r->ctx, r->domain);
	if (given != NULL) {
		const char *colon = strchr(given, ':');

		if (colon == NULL || colon == given) {
			cred_free(c);
			return sn_seterr(e, SIGNET_EINVAL, "credentials for %s: expected USER:PASSWORD",
			                 r->domain);
		}
		if ((c->user = sn_strndup(given, (size_t)(colon - given), e)) == NULL ||
		    (c->pass = sn_strdup(colon + 1, e)) == NULL) {
			cred_free(c);
			return SIGNET_ENOMEM;
		}
	} else if ((rc = sn_creds_search(&c->user, &c->pass, r->ctx, r->domain, repo, e)) != 0) {
		cred_free(c);
		return rc;
	}
	c->next = r->creds;
	r->creds = c;
	*user = c->user;
	*pass = c->pass;
	return 0;
}

/* "Basic " + base64(user ":" pass); a secret. */
static char *basic_header(const char *user, const char *pass, struct sn_err *e)
{
	size_t ulen = strlen(user), plen = strlen(pass), n = ulen + 1 + plen, b64len;
	unsigned char *raw = NULL;
	char *out = NULL;

	if (n > (size_t)INT32_MAX / 2) {
		sn_seterr(e, SIGNET_EINVAL, "credentials too long");
		return NULL;
	}
	b64len = 4 * ((n + 2) / 3);
	raw = malloc(n);
	out = malloc(6 + b64len + 1);
	if (raw == NULL || out == NULL) {
		free(raw);
		free(out);
		sn_enomem(e);
		return NULL;
	}
	memcpy(raw, user, ulen);
	raw[ulen] = ':';
	memcpy(raw + ulen + 1, pass, plen);
	memcpy(out, "Basic ", 6);
	(void)EVP_EncodeBlock((unsigned char *)out + 6, raw, (int)n);
	out[6 + b64len] = '\0';
	OPENSSL_cleanse(raw, n);
	free(raw);
	return out;
}

/* ---- bearer tokens ---------------------------------------------------- */

static void token_free(struct sn_token *t)
{
	if (t == NULL)
		return;
	free(t->scope);
	sn_free_secret(t->token);
	free(t);
}

void sn_auth_forget_token(struct sn_registry *r, const char *scope)
{
	struct sn_token **pp = &r->tokens;

	while (*pp != NULL) {
		if (strcmp((*pp)->scope, scope != NULL ? scope : "") == 0) {
			struct sn_token *t = *pp;

			*pp = t->next;
			token_free(t);
			continue;
		}
		pp = &(*pp)->next;
	}
}

/* A token goes into an HTTP header: visible ASCII only. */
static int token_is_sane(const char *t)
{
	if (*t == '\0')
		return 0;
	for (; *t != '\0'; t++)
		if ((unsigned char)*t < 0x21 || (unsigned char)*t > 0x7e)
			return 0;
	return 1;
}

static void wipe_json_string(json_t *v)
{
	/* jansson owns the bytes and frees them without wiping; they are
	 * ours to overwrite just before the last reference goes. */
	if (json_is_string(v))
		OPENSSL_cleanse((char *)json_string_value(v), json_string_length(v));
}

/* Parses the token server's answer into a new token (secret) and its
 * lifetime in seconds. */
static int parse_token_answer(char **token, long *expires_s, const struct sn_buf *body, const char *what,
                              struct sn_err *e)
{
	json_t *root = NULL, *tok, *atok, *exp, *use;
	int rc;

	if ((rc = sn_json_parse(&root, body->data, body->len, what, e)) != 0)
		return rc;
	tok = json_is_object(root) ? json_object_get(root, "token") : NULL;
	atok = json_is_object(root) ? json_object_get(root, "access_token") : NULL;
	exp = json_is_object(root) ? json_object_get(root, "expires_in") : NULL;
	if (!json_is_object(root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: not a JSON object", what);
		goto out;
	}
	if ((tok != NULL && !json_is_string(tok)) || (atok != NULL && !json_is_string(atok))) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: \"%s\" is not a string", what,
		               tok != NULL && !json_is_string(tok) ? "token" : "access_token");
		goto out;
	}
	/* The spec allows both; "token" is the registry's own name. */
	use = tok != NULL && json_string_length(tok) != 0 ? tok : atok;
	if (use == NULL || json_string_length(use) == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: no \"token\" or \"access_token\"", what);
		goto out;
	}
	if (strlen(json_string_value(use)) != json_string_length(use) ||
	    !token_is_sane(json_string_value(use))) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: the token contains characters not allowed in a header", what);
		goto out;
	}
	*expires_s = SN_TOKEN_DEFAULT_EXPIRES_S;
	if (exp != NULL && !json_is_null(exp)) {
		if (!json_is_integer(exp)) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: \"expires_in\" is not an integer", what);
			goto out;
		}
		if (json_integer_value(exp) > 0)
			*expires_s = json_integer_value(exp) > SN_TOKEN_MAX_EXPIRES_S
			                 ? SN_TOKEN_MAX_EXPIRES_S
			                 : (long)json_integer_value(exp);
	}
	if ((*token = sn_strdup(json_string_value(use), e)) == NULL)
		rc = SIGNET_ENOMEM;
out:
	if (root != NULL) {
		wipe_json_string(tok);
		wipe_json_string(atok);
		json_decref(root);
	}
	return rc;
}

/* *url with "name=value" added to its query; nothing when value is NULL.
 * Returns 0, or -1 (ENOMEM: *url parses and name is unreserved). */
static int add_param(char **url, const char *name, const char *value)
{
	char *with;

	if (value == NULL)
		return 0;
	if ((with = sn_url_add_query(*url, name, value)) == NULL)
		return -1;
	free(*url);
	*url = with;
	return 0;
}

/* Asks r->challenge.realm for a token for scope (NULL: none asked). */
static int token_fetch(char **token, long *expires_s, struct sn_registry *r, const char *repo,
                       const char *scope, struct sn_err *e)
{
	const struct sn_challenge *ch = &r->challenge;
	struct sn_http_req req = {0};
	struct sn_http_resp resp;
	const char *user = NULL, *pass = NULL;
	char *url = NULL, *auth = NULL, *what = NULL;
	struct sn_url u = {0};
	const char *why;
	struct sn_buf body;
	int rc;

	sn_http_resp_init(&resp);
	sn_buf_init(&body, SIGNET_MAX_TOKEN_RESPONSE_SIZE, "token response");
	if ((rc = sn_url_parse(&u, ch->realm, &why)) == SIGNET_ENOMEM) {
		rc = sn_enomem(e);
		goto out;
	}
	if (rc != 0 && strcmp(why, "credentials in the URL") == 0) {
		/* The realm is not quoted: it holds a secret. */
		rc = sn_seterr(e, SIGNET_EREGISTRY,
		               "registry %s: token realm: credentials in the URL (user:password@host) are "
		               "refused",
		               r->domain);
		goto out;
	}
	if (rc != 0) {
		rc = sn_seterr(e, SIGNET_EREGISTRY,
		               "registry %s: token realm \"%.300s\" is not an http(s) URL", r->domain,
		               ch->realm);
		goto out;
	}
	if (strcmp(u.scheme, "http") == 0 && r->ctx->tls_verify) {
		rc = sn_seterr(e, SIGNET_EREGISTRY,
		               "registry %s: refusing to fetch a token over plain HTTP from %.300s "
		               "while TLS verification is on",
		               r->domain, ch->realm);
		goto out;
	}
	/* realm?service=S&scope=X, each value percent-encoded */
	if ((url = sn_url_string(&u)) == NULL || add_param(&url, "service", ch->service) != 0 ||
	    add_param(&url, "scope", scope) != 0) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((rc = sn_auth_creds(&user, &pass, r, repo, e)) != 0)
		goto out;
	if (user != NULL && (auth = basic_header(user, pass, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((what = sn_aprintf(e, "token response from %.300s", ch->realm)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	req.method = "GET";
	req.url = url;
	req.accept = "application/json";
	req.auth = auth;
	req.auth_origin = url;
	req.out = &body;
	req.what = what;
	req.limit_name = "SIGNET_MAX_TOKEN_RESPONSE_SIZE";
	if ((rc = sn_http_exchange(r, &req, &resp, e)) != 0)
		goto out;
	if (resp.status == 401 || resp.status == 403) {
		rc = sn_seterr(
		    e, SIGNET_EAUTH, "registry %s: token server %.300s: authentication failed (HTTP %ld)%s",
		    r->domain, ch->realm, resp.status, user == NULL ? " (no credentials were given)" : "");
		goto out;
	}
	if (resp.status != 200) {
		rc = sn_seterr(e, SIGNET_EREGISTRY,
		               "registry %s: token server %.300s: unexpected HTTP status %ld", r->domain,
		               ch->realm, resp.status);
		goto out;
	}
	rc = parse_token_answer(token, expires_s, &body, what, e);
out:
	sn_buf_wipe_free(&body);
	sn_http_resp_free(&resp);
	sn_free_secret(auth);
	free(what);
	free(url);
	sn_url_free(&u);
	return rc;
}

static char *bearer_header(const char *token, struct sn_err *e)
{
	return sn_aprintf(e, "Bearer %s", token);
}

int sn_auth_header(char **out, struct sn_registry *r, const char *repo, const char *scope, int fresh,
                   struct sn_err *e)
{
	const char *user = NULL, *pass = NULL, *ask, *key;
	struct sn_token *t;
	char *token = NULL;
	long expires_s = 0;
	int rc;

	*out = NULL;
	switch (r->challenge.kind) {
	case SN_AUTH_BASIC:
		if ((rc = sn_auth_creds(&user, &pass, r, repo, e)) != 0)
			return rc;
		if (user != NULL && (*out = basic_header(user, pass, e)) == NULL)
			return SIGNET_ENOMEM;
		return 0;
	case SN_AUTH_BEARER:
		ask = scope != NULL ? scope : r->challenge.scope;
		key = ask != NULL ? ask : "";
		if (!fresh) {
			for (t = r->tokens; t != NULL; t = t->next) {
				if (strcmp(t->scope, key) == 0 &&
				    sn_now_ms() + (int64_t)SN_TOKEN_EXPIRY_MARGIN_S * 1000 < t->expires_ms) {
					*out = bearer_header(t->token, e);
					return *out != NULL ? 0 : SIGNET_ENOMEM;
				}
			}
		}
		sn_auth_forget_token(r, key);
		if ((rc = token_fetch(&token, &expires_s, r, repo, ask, e)) != 0)
			return rc;
		if ((t = calloc(1, sizeof(*t))) == NULL || (t->scope = sn_strdup(key, e)) == NULL) {
			token_free(t);
			sn_free_secret(token);
			return sn_enomem(e);
		}
		t->token = token;
		t->expires_ms = sn_now_ms() + (int64_t)expires_s * 1000;
		t->next = r->tokens;
		r->tokens = t;
		*out = bearer_header(t->token, e);
		return *out != NULL ? 0 : SIGNET_ENOMEM;
	case SN_AUTH_NONE:
	case SN_AUTH_OTHER: break;
	}
	return 0;
}

void sn_auth_free(struct sn_registry *r)
{
	while (r->tokens != NULL) {
		struct sn_token *t = r->tokens;

		r->tokens = t->next;
		token_free(t);
	}
	while (r->creds != NULL) {
		struct sn_cred *c = r->creds;

		r->creds = c->next;
		cred_free(c);
	}
	sn_challenge_clear(&r->challenge);
}
