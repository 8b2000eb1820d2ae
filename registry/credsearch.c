/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/credsearch.c: the credentials of a registry when neither --creds
 * nor a policy source gave any.  With --authfile, that file alone (as
 * current skopeo).  Else, when the caller enabled the search
 * (SIGNET_CREDS_SEARCH), the auth files in the order containers-auth.json(5)
 * gives and skopeo 1.9 reads them (REGISTRY_AUTH_FILE is the override of
 * the primary file, which is then not read):
 *
 *   $REGISTRY_AUTH_FILE, or the primary file:
 *     $XDG_RUNTIME_DIR/containers/auth.json (/run/containers/UID/auth.json)
 *   $XDG_CONFIG_HOME/containers/auth.json   ($HOME/.config/containers/...)
 *   $DOCKER_CONFIG/config.json              ($HOME/.docker/config.json)
 *   $HOME/.dockercfg                        (legacy format)
 *
 * The first file holding credentials for the registry (or naming a helper
 * that has them) wins; a missing file, one without a matching entry, or a
 * helper answering "credentials not found" pass to the next; a malformed
 * file or a failing helper stops the search with an error, as
 * containers/image does.  Helpers run only when the caller enabled them
 * (SIGNET_CREDS_HELPERS).  This file and credhelper.c are the only places
 * the library reads these environment variables or starts a process.
 */
#include "registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SOURCES 5

struct source {
	char *path;
	int legacy;
};

/* An environment variable, NULL when unset or empty. */
static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static int add_source(struct source *s, size_t *n, int legacy, struct sn_err *e, const char *fmt, ...)
    SN_PRINTF(5, 6);

static int add_source(struct source *s, size_t *n, int legacy, struct sn_err *e, const char *fmt, ...)
{
	va_list ap;
	char *path;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (path = malloc((size_t)len + 1)) == NULL)
		return sn_enomem(e);
	va_start(ap, fmt);
	(void)vsnprintf(path, (size_t)len + 1, fmt, ap);
	va_end(ap);
	s[*n].path = path;
	s[*n].legacy = legacy;
	(*n)++;
	return 0;
}

/* The files to read, in order. */
static int sources_build(struct source *s, size_t *n, const struct signet_ctx *ctx, struct sn_err *e)
{
	const char *home = env("HOME"), *v;
	int rc = 0;

	*n = 0;
	if (ctx->authfile != NULL)
		return add_source(s, n, 0, e, "%s", ctx->authfile);
	if ((ctx->credential_sources & SIGNET_CREDS_SEARCH) == 0)
		return 0;
	/* REGISTRY_AUTH_FILE takes the place of the primary file. */
	if ((v = env("REGISTRY_AUTH_FILE")) != NULL)
		rc = add_source(s, n, 0, e, "%s", v);
	else if ((v = env("XDG_RUNTIME_DIR")) != NULL)
		rc = add_source(s, n, 0, e, "%s/containers/auth.json", v);
	else
		rc = add_source(s, n, 0, e, "/run/containers/%u/auth.json", (unsigned)getuid());
	if (rc == 0 && (v = env("XDG_CONFIG_HOME")) != NULL)
		rc = add_source(s, n, 0, e, "%s/containers/auth.json", v);
	else if (rc == 0 && home != NULL)
		rc = add_source(s, n, 0, e, "%s/.config/containers/auth.json", home);
	if (rc == 0 && (v = env("DOCKER_CONFIG")) != NULL)
		rc = add_source(s, n, 0, e, "%s/config.json", v);
	else if (rc == 0 && home != NULL)
		rc = add_source(s, n, 0, e, "%s/.docker/config.json", home);
	if (rc == 0 && home != NULL)
		rc = add_source(s, n, 1, e, "%s/.dockercfg", home);
	return rc;
}

/* The server URL docker gives helpers: the host, or docker's index URL
 * for docker.io. */
static const char *server_url(const char *domain)
{
	return sn_registry_host_equal(domain, "docker.io") ? "https://index.docker.io/v1/" : domain;
}

/* Asks the helper hit names.  *user stays NULL if it has nothing. */
static int ask_helper(char **user, char **pass, const struct signet_ctx *ctx,
                      const struct sn_authfile_hit *hit, const char *path, const char *domain,
                      const char *where, struct sn_err *e)
{
	int64_t deadline = sn_now_ms() + SIGNET_CREDHELPER_TIMEOUT_MS;
	int rc;

	if (ctx->deadline_ms != 0 && ctx->deadline_ms < deadline)
		deadline = ctx->deadline_ms;
	sn_log(ctx, SIGNET_LOG_DEBUG,
	       "asking the credential helper docker-credential-%s (%s in auth file %s) for %s", hit->helper,
	       hit->key, path, server_url(domain));
	if ((rc = sn_credhelper_get(user, pass, hit->helper, server_url(domain), deadline, e)) != 0)
		return rc;
	if (*user == NULL)
		sn_log(ctx, SIGNET_LOG_DEBUG,
		       "credential helper docker-credential-%s: credentials not found for %s", hit->helper,
		       server_url(domain));
	else
		sn_log(ctx, SIGNET_LOG_INFO,
		       "credentials for %s from helper docker-credential-%s (%s in auth file %s)", where,
		       hit->helper, hit->key, path);
	return 0;
}

int sn_creds_search(char **user, char **pass, struct signet_ctx *ctx, const char *domain, const char *repo,
                    struct sn_err *e)
{
	struct source s[MAX_SOURCES];
	char *where = NULL, *u = NULL, *p = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = sources_build(s, &n, ctx, e)) != 0)
		goto out;
	if (n == 0) {
		*user = *pass = NULL;
		goto out;
	}
	if ((where = sn_aprintf(e, "%s%s%s", domain, repo != NULL ? "/" : "", repo != NULL ? repo : "")) ==
	    NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	for (i = 0; i < n && u == NULL; i++) {
		struct sn_authfile_hit hit;

		if ((rc = sn_authfile_lookup(&hit, s[i].path, s[i].legacy,
		                             (ctx->credential_sources & SIGNET_CREDS_HELPERS) != 0, domain,
		                             repo, e)) != 0)
			goto out;
		if (hit.helper != NULL) {
			rc = ask_helper(&u, &p, ctx, &hit, s[i].path, domain, where, e);
		} else if (hit.user != NULL) {
			sn_log(ctx, SIGNET_LOG_INFO, "credentials for %s from auth file %s, %s", where,
			       s[i].path, hit.key);
			u = hit.user;
			p = hit.pass;
			hit.user = hit.pass = NULL;
		} else {
			sn_log(ctx, SIGNET_LOG_DEBUG, "auth file %s: absent or nothing for %s", s[i].path,
			       where);
		}
		sn_authfile_hit_clear(&hit);
		if (rc != 0)
			goto out;
	}
	if (u == NULL)
		sn_log(ctx, SIGNET_LOG_INFO, "no credentials for %s in %s%s", where,
		       ctx->authfile != NULL ? "the auth file " : "the auth files searched",
		       ctx->authfile != NULL ? ctx->authfile : "");
	*user = u;
	*pass = p;
	u = p = NULL;
out:
	for (i = 0; i < n; i++)
		free(s[i].path);
	free(where);
	free(u);
	sn_free_secret(p);
	return rc;
}
