/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/ctx.h: the context (ctx.c) behind the public signet_ctx handle: settings,
 * credentials, the deadline of one image, logging.  Upper floors attach
 * what they keep per context and set a destructor hook for it; the
 * foundation calls nothing above it.
 */
#ifndef SN_BASE_CTX_H
#define SN_BASE_CTX_H

#include <stdint.h>

#include <signet/common.h>

#include "base/error.h"

struct sn_registry; /* registry/client.c: one per registry host (opaque here) */

/* Credentials for one registry host, from a policy source (the contract's
 * workload.auths).  creds is "user:pass", a secret. */
struct sn_host_creds {
	char *host;
	char *creds;
	struct sn_host_creds *next;
};

struct signet_ctx {
	struct sn_err err;
	char *authfile;
	char *creds;      /* secret */
	char *creds_host; /* the one registry host creds go to; NULL: not bound yet */
	char *cert_dir;
	unsigned int credential_sources; /* SIGNET_CREDS_* (registry/credsearch.c) */
	int tls_verify;
	long connect_timeout_ms;
	long request_timeout_ms;
	long image_timeout_ms;
	int64_t deadline_ms; /* CLOCK_MONOTONIC; 0: no image is being examined */
	signet_log_fn log;
	void *log_userdata;
	struct sn_registry *registries; /* open registry handles, reused (registry/) */
	/* Set by the floor that attached registries: frees them.  Called by
	 * signet_ctx_free, so that the foundation calls nothing above it. */
	void (*free_registries)(struct signet_ctx *ctx);
	struct sn_host_creds *host_creds; /* per-host credentials, after creds */
};

/* Adds credentials for a registry host (copied; wiped when ctx is freed).
 * --creds (ctx->creds) still wins; these come before the auth file. */
int sn_ctx_add_host_creds(struct signet_ctx *ctx, const char *host, const char *creds, struct sn_err *e);
/* The per-host credentials for host, or NULL.  Borrowed. */
const char *sn_ctx_host_creds(const struct signet_ctx *ctx, const char *host);

/* Milliseconds of CLOCK_MONOTONIC. */
int64_t sn_now_ms(void);

/* The deadline of one image (ctx->image_timeout_ms from now), around an
 * operation on one image; requests made meanwhile end by then
 * (registry/client.c).  Nested calls keep the outer deadline: begin
 * returns whether it set one, and end only clears what its begin set. */
int sn_deadline_begin(struct signet_ctx *ctx);
void sn_deadline_end(struct signet_ctx *ctx, int began);

/* Logs through the caller's callback, if any.  Never pass secrets. */
void sn_log(const struct signet_ctx *ctx, int level, const char *fmt, ...) SN_PRINTF(3, 4);

#endif
