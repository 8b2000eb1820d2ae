/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/creds.c: which registry host the context's --creds go to, and
 * when two registry host names are one host.
 */
#include "registry.h"

#include <strings.h>

/* The name docker.io goes by in auth files and in docker's own settings. */
static const char *docker_alias(const char *host)
{
	if (strcasecmp(host, "index.docker.io") == 0 || strcasecmp(host, "registry-1.docker.io") == 0)
		return "docker.io";
	return host;
}

int sn_registry_host_equal(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(docker_alias(a), docker_alias(b)) == 0;
}

int sn_ctx_bind_creds(struct signet_ctx *ctx, const char *domain, struct sn_err *e)
{
	if (ctx->creds == NULL || ctx->creds_host != NULL || domain == NULL)
		return 0;
	if ((ctx->creds_host = sn_strdup(domain, e)) == NULL)
		return SIGNET_ENOMEM;
	sn_log(ctx, SIGNET_LOG_DEBUG, "credentials (creds) bound to the registry %s: sent to no other host",
	       domain);
	return 0;
}

const char *sn_ctx_creds_for(const struct signet_ctx *ctx, const char *domain)
{
	return ctx->creds != NULL && sn_registry_host_equal(ctx->creds_host, domain) ? ctx->creds : NULL;
}
