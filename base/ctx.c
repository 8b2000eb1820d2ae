/* SPDX-License-Identifier: Apache-2.0 */
/* base/ctx.c: the library context. */
#include "base/ctx.h"
#include "base/str.h"
#include "config.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *signet_version(void)
{
	return SIGNET_VERSION;
}

int signet_global_init(unsigned int flags)
{
	if ((flags & ~SIGNET_GLOBAL_ONE_SHOT) != 0)
		return SIGNET_EINVAL;
	if ((flags & SIGNET_GLOBAL_ONE_SHOT) != 0 &&
	    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_NO_ATEXIT, NULL) != 1)
		return SIGNET_ENOMEM;
	return SIGNET_OK;
}

int signet_ctx_new(signet_ctx **out, const signet_ctx_options *opts)
{
	static const signet_ctx_options defaults = SIGNET_CTX_OPTIONS_INIT;
	struct signet_ctx *ctx;
	long image_timeout_ms;
	const char *creds_host;
	unsigned int sources;

	if (out == NULL)
		return SIGNET_EINVAL;
	if (opts == NULL)
		opts = &defaults;
	if (opts->version < 1 || opts->version > SIGNET_CTX_OPTIONS_VERSION)
		return SIGNET_EINVAL;
	/* A version 1 struct ends before image_timeout_ms. */
	image_timeout_ms = opts->version >= 2 ? opts->image_timeout_ms : 0;
	if (opts->connect_timeout_ms < 0 || opts->request_timeout_ms < 0 || image_timeout_ms < 0)
		return SIGNET_EINVAL;
	/* A version 1 struct ends before creds_host: it is not read. */
	creds_host = opts->version >= 2 ? opts->creds_host : NULL;
	/* A version 1 or 2 struct ends before credential_sources. */
	sources = opts->version >= 3 ? opts->credential_sources : 0;
	if ((sources & ~(SIGNET_CREDS_SEARCH | SIGNET_CREDS_HELPERS)) != 0)
		return SIGNET_EINVAL;
	if (creds_host != NULL &&
	    (creds_host[0] == '\0' || strchr(creds_host, '/') != NULL || opts->creds == NULL))
		return SIGNET_EINVAL;
	/* No global initialization here: libssl is loaded and initialized on
	 * the first https connection (registry/http1.c). */
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL)
		return SIGNET_ENOMEM;
	ctx->tls_verify = opts->tls_verify ? 1 : 0;
	ctx->credential_sources = sources;
	ctx->connect_timeout_ms = opts->connect_timeout_ms ? opts->connect_timeout_ms : SIGNET_CONNECT_TIMEOUT_MS;
	ctx->request_timeout_ms = opts->request_timeout_ms ? opts->request_timeout_ms : SIGNET_REQUEST_TIMEOUT_MS;
	ctx->image_timeout_ms = image_timeout_ms ? image_timeout_ms : SIGNET_IMAGE_TIMEOUT_MS;
	ctx->log = opts->log;
	ctx->log_userdata = opts->log_userdata;
	if ((opts->authfile != NULL && (ctx->authfile = strdup(opts->authfile)) == NULL) ||
	    (opts->creds != NULL && (ctx->creds = strdup(opts->creds)) == NULL) ||
	    (creds_host != NULL && (ctx->creds_host = strdup(creds_host)) == NULL) ||
	    (opts->cert_dir != NULL && (ctx->cert_dir = strdup(opts->cert_dir)) == NULL)) {
		signet_ctx_free(ctx);
		return SIGNET_ENOMEM;
	}
	*out = ctx;
	return 0;
}

int64_t sn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sn_deadline_begin(struct signet_ctx *ctx)
{
	if (ctx->deadline_ms != 0)
		return 0;
	ctx->deadline_ms = sn_now_ms() + ctx->image_timeout_ms;
	return 1;
}

void sn_deadline_end(struct signet_ctx *ctx, int began)
{
	if (began)
		ctx->deadline_ms = 0;
}

int sn_ctx_add_host_creds(struct signet_ctx *ctx, const char *host, const char *creds, struct sn_err *e)
{
	struct sn_host_creds *h = calloc(1, sizeof(*h));

	if (h == NULL || (h->host = sn_strdup(host, e)) == NULL || (h->creds = sn_strdup(creds, e)) == NULL) {
		if (h != NULL) {
			free(h->host);
			free(h);
		}
		return sn_enomem(e);
	}
	h->next = ctx->host_creds;
	ctx->host_creds = h;
	return 0;
}

const char *sn_ctx_host_creds(const struct signet_ctx *ctx, const char *host)
{
	for (const struct sn_host_creds *h = ctx->host_creds; h != NULL; h = h->next)
		if (strcmp(h->host, host) == 0)
			return h->creds;
	return NULL;
}

void signet_ctx_free(signet_ctx *ctx)
{
	if (ctx == NULL)
		return;
	if (ctx->free_registries != NULL)
		ctx->free_registries(ctx);
	while (ctx->host_creds != NULL) {
		struct sn_host_creds *h = ctx->host_creds;

		ctx->host_creds = h->next;
		free(h->host);
		sn_free_secret(h->creds);
		free(h);
	}
	free(ctx->authfile);
	sn_free_secret(ctx->creds);
	free(ctx->creds_host);
	free(ctx->cert_dir);
	free(ctx);
}

const char *signet_ctx_errmsg(const signet_ctx *ctx)
{
	return ctx != NULL ? ctx->err.msg : "";
}

void sn_log(const struct signet_ctx *ctx, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (ctx == NULL || ctx->log == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log(ctx->log_userdata, level, msg);
}
