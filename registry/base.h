/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/base.h: the ground every module stands on (internal, sn_ prefix):
 * error reporting, bounded buffers, digests, files, strict JSON, and the
 * context structure behind the public signet_ctx handle.
 */
#ifndef SN_BASE_H
#define SN_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include <signet/common.h>
#include <signet/limits.h>

#define SN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define SN_MUST_USE __attribute__((warn_unused_result))

/* ---- errors (error.c) ---------------------------------------------- */

#define SN_ERRMSG_MAX 2048

/* Where a failure is described.  Every internal function that can fail
 * takes one (it may be NULL: then only the code is returned). */
struct sn_err {
	int code;
	char msg[SN_ERRMSG_MAX];
};

/* Records code and a formatted message; returns code so that callers can
 * write `return sn_seterr(e, SIGNET_EBADINPUT, "...", ...);`. */
int sn_seterr(struct sn_err *e, int code, const char *fmt, ...) SN_PRINTF(3, 4);
/* Prepends context to the message already there ("image X: " + msg);
 * returns the recorded code (SIGNET_EINVAL when e is NULL: callers keep
 * their own rc rather than returning this). */
int sn_errctx(struct sn_err *e, const char *fmt, ...) SN_PRINTF(2, 3);
/* Same as sn_seterr(e, SIGNET_ENOMEM, "out of memory"). */
int sn_enomem(struct sn_err *e);
void sn_err_clear(struct sn_err *e);

/* ---- bounded buffers (buf.c) ---------------------------------------- */

/* A growable byte buffer with a hard maximum, always NUL-terminated one
 * past len (so text can be used as a C string). */
struct sn_buf {
	unsigned char *data;
	size_t len;
	size_t cap;
	size_t max;	    /* appends beyond this fail with SIGNET_ELIMIT */
	const char *what;   /* names the limit in messages, e.g. "manifest" */
};

/* max is the largest len allowed; what names the content for messages. */
void sn_buf_init(struct sn_buf *b, size_t max, const char *what);
/* Returns 0, SIGNET_ELIMIT (message names b->what and b->max) or ENOMEM. */
int sn_buf_append(struct sn_buf *b, const void *data, size_t n, struct sn_err *e);
int sn_buf_append_str(struct sn_buf *b, const char *s, struct sn_err *e);
void sn_buf_reset(struct sn_buf *b);
void sn_buf_free(struct sn_buf *b);
/* Wipes the contents (OPENSSL_cleanse) before freeing: for secrets. */
void sn_buf_wipe_free(struct sn_buf *b);
/* Hands the bytes over (caller frees); b is left empty. */
unsigned char *sn_buf_steal(struct sn_buf *b, size_t *len);

/* ---- strings (str.c) ------------------------------------------------ */

/* strdup that records ENOMEM in e and returns NULL; NULL in, NULL out. */
char *sn_strdup(const char *s, struct sn_err *e);
char *sn_strndup(const char *s, size_t n, struct sn_err *e);
/* asprintf-alike: NULL on failure (ENOMEM recorded in e). */
char *sn_aprintf(struct sn_err *e, const char *fmt, ...) SN_PRINTF(2, 3);
/* Frees after wiping: for passwords and tokens. */
void sn_free_secret(char *s);
/* Parses a decimal unsigned integer spanning the whole string. */
int sn_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* ---- digests (digest.c) --------------------------------------------- */

/* "sha512:" + 128 hex + NUL */
#define SN_DIGEST_MAX 136

/* Validates "sha256:<64 lowercase hex>" or "sha512:<128 lowercase hex>".
 * Returns 0 or SIGNET_EBADINPUT (message names the string). */
int sn_digest_validate(const char *digest, struct sn_err *e);
/* Computes "ALGO:HEX" of data with algo "sha256" or "sha512". */
int sn_digest_compute(char out[SN_DIGEST_MAX], const char *algo, const void *data, size_t len,
		      struct sn_err *e);
/* Recomputes the digest of data with expected's algorithm and compares.
 * Returns 0, SIGNET_EBADINPUT (expected is not a digest) or
 * SIGNET_EINTEGRITY with a message naming what, expected and computed. */
int sn_digest_check(const char *expected, const void *data, size_t len, const char *what,
		    struct sn_err *e);

/* ---- base64 (base64.c) ---------------------------------------------- */

/* Decodes standard, padded base64 exactly: length a multiple of 4 and not
 * zero, padding only at the end, no whitespace, unused bits zero.  *out is
 * malloc'd and NUL-terminated one past *outlen; wipe it if it is a secret.
 * Returns 0, SIGNET_EBADINPUT or SIGNET_ENOMEM (no message: the caller
 * names what it decoded). */
int sn_base64_decode(unsigned char **out, size_t *outlen, const char *in, size_t n);
/* The value of one character of the standard alphabet, or -1. */
int sn_base64_value(unsigned char c);

/* ---- files (file.c) ------------------------------------------------- */

#define SN_FILE_NOFOLLOW 1 /* refuse a symbolic link as the last component */

/* Reads a whole regular file into out (initialized here with max and
 * what).  Returns 0, SIGNET_ENOTFOUND, SIGNET_ELIMIT, SIGNET_EIO; the
 * message names the path. */
int sn_file_read(struct sn_buf *out, const char *path, size_t max, const char *what, int flags,
		 struct sn_err *e);
/* Writes all of data to fd, retrying short writes and EINTR.  0, or -1
 * with errno set. */
int sn_write_all(int fd, const void *data, size_t len);
/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename.  Nothing is left behind on failure.  If exclusive, an
 * existing path is not replaced (SIGNET_EIO, "exists"). */
int sn_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int exclusive,
			 struct sn_err *e);

/* ---- strict JSON (json.c) ------------------------------------------- */

/* Parses exactly one JSON value spanning all of data: duplicate keys,
 * nesting deeper than SIGNET_MAX_JSON_DEPTH, trailing bytes and invalid
 * UTF-8 are errors (SIGNET_EBADINPUT / SIGNET_ELIMIT) whose message starts
 * with what.  The caller owns the result (json_decref). */
int sn_json_parse(json_t **out, const void *data, size_t len, const char *what, struct sn_err *e);
/* "an object", "a string", ... for messages about the wrong JSON type. */
const char *sn_json_kind(const json_t *v);

/* ---- the context (ctx.c) -------------------------------------------- */

struct sn_registry; /* registry/client.c: one per registry host */

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
	int tls_verify;
	long connect_timeout_ms;
	long request_timeout_ms;
	long image_timeout_ms;
	int64_t deadline_ms; /* CLOCK_MONOTONIC; 0: no image is being examined */
	signet_log_fn log;
	void *log_userdata;
	struct sn_registry *registries; /* open registry handles, reused */
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

/* Binds ctx->creds (--creds) to the registry host domain ("docker.io",
 * "localhost:5000"), unless they are bound already or there are none.
 * Once bound, sn_ctx_creds_for gives them for that host only.  0 or
 * SIGNET_ENOMEM. */
int sn_ctx_bind_creds(struct signet_ctx *ctx, const char *domain, struct sn_err *e);
/* ctx->creds when they are bound to the registry host domain, else NULL.
 * Borrowed. */
const char *sn_ctx_creds_for(const struct signet_ctx *ctx, const char *domain);
/* Is a the same registry host as b (case-insensitive; docker.io,
 * index.docker.io and registry-1.docker.io are one)? */
int sn_registry_host_equal(const char *a, const char *b);

/* Logs through the caller's callback, if any.  Never pass secrets. */
void sn_log(const struct signet_ctx *ctx, int level, const char *fmt, ...) SN_PRINTF(3, 4);

/* Frees every registry handle of ctx (registry/client.c). */
void sn_registry_free_all(struct signet_ctx *ctx);

#endif
