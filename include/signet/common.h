/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/common.h: error codes, the library context and its options.
 *
 * Conventions for the whole API:
 *  - functions return 0 on success or a negative SIGNET_E* code;
 *  - output parameters come first and are left untouched on failure;
 *  - objects returned through a `**out` parameter belong to the caller and
 *    are released with the matching *_free(), which accepts NULL;
 *  - strings returned by getters are borrowed from their parent object;
 *  - the library never prints, never exits and reads no environment
 *    variable unless the caller asks for it.
 */
#ifndef SIGNET_COMMON_H
#define SIGNET_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SIGNET_BUILDING_LIBRARY)
#define SIGNET_EXPORT __attribute__((visibility("default")))
#else
#define SIGNET_EXPORT
#endif

/* Error codes.  A caller branches on these; the human message with the
 * object and the reason is in signet_ctx_errmsg(). */
enum signet_error {
	SIGNET_OK = 0,
	SIGNET_EINVAL = -1,	 /* invalid argument or option */
	SIGNET_EBADINPUT = -2,	 /* input does not parse: reference, manifest, policy, key, signature */
	SIGNET_ELIMIT = -3,	 /* a size, count or depth limit (signet/limits.h) was crossed */
	SIGNET_EDENIED = -4,	 /* policy or signature verdict: not allowed */
	SIGNET_EINTEGRITY = -5,	 /* content does not match the digest it was asked for by */
	SIGNET_ENOTFOUND = -6,	 /* image, tag, blob, signature store or file does not exist */
	SIGNET_ENETWORK = -7,	 /* connection, name resolution, timeout, HTTP protocol */
	SIGNET_ETLS = -8,	 /* TLS handshake or certificate verification */
	SIGNET_EAUTH = -9,	 /* the registry refused our credentials (401/403) */
	SIGNET_EREGISTRY = -10,	 /* the registry answered with an unexpected status */
	SIGNET_EIO = -11,	 /* local file system error */
	SIGNET_ENOMEM = -12,	 /* out of memory */
	SIGNET_EUNSUPPORTED = -13, /* valid input that signet does not support (schema1, ...) */
};

/* Returns a static, short description of an error code ("denied", ...). */
SIGNET_EXPORT const char *signet_strerror(int code);

/* The version string of the library, e.g. "0.1.0". */
SIGNET_EXPORT const char *signet_version(void);

/* Flags of signet_global_init(). */
#define SIGNET_GLOBAL_ONE_SHOT 0x1u

/*
 * Process-wide settings, for a program's main() before its first other
 * signet call; never for a library that uses libsignet (they are its
 * host's to choose).  Without this call, OpenSSL initializes itself with
 * its own defaults when first used, which is right for a long-lived
 * process.
 * SIGNET_GLOBAL_ONE_SHOT: the process does one short task and exits, and
 * hands OpenSSL no private key or passphrase.  OpenSSL then loads no table
 * of libcrypto's error texts (signet's messages name such an error by its
 * code, which `openssl errstr CODE` explains; libssl's texts, which TLS
 * failures use, are kept) and registers no clean-up at exit: the memory it
 * holds goes back to the kernel with the process.  That is about 15 % of
 * the instructions of one `signet standalone-verify` (docs/signing.md).
 * Called after OpenSSL's first use, it changes nothing, and still succeeds.
 * Returns 0, SIGNET_EINVAL for an unknown flag, or SIGNET_ENOMEM when
 * OpenSSL cannot initialize.
 */
SIGNET_EXPORT int signet_global_init(unsigned int flags);

typedef struct signet_ctx signet_ctx;

/* Log levels for the opt-in log callback. */
enum signet_log_level { SIGNET_LOG_DEBUG = 0, SIGNET_LOG_INFO = 1, SIGNET_LOG_WARN = 2 };
typedef void (*signet_log_fn)(void *userdata, int level, const char *message);

#define SIGNET_CTX_OPTIONS_VERSION 3

/* Bits of signet_ctx_options.credential_sources (version 3). */
#define SIGNET_CREDS_SEARCH  0x1u /* search the auth files when authfile is NULL */
#define SIGNET_CREDS_HELPERS 0x2u /* run the credential helpers auth files name */

typedef struct signet_ctx_options {
	unsigned int version; /* SIGNET_CTX_OPTIONS_VERSION */
	/* containers auth.json or docker config.json; NULL: none. */
	const char *authfile;
	/* "USER:PASSWORD" for one registry host (creds_host below); NULL:
	 * none.  Copied, and wiped from the context's memory when the context
	 * is freed.  They are sent to that registry only (and to the token
	 * server its Bearer challenge names, as the docker token flow
	 * requires), never to another registry, a lookaside, or across a
	 * redirect to another host. */
	const char *creds;
	/* A containers-certs.d style directory: *.crt are CA certificates,
	 * client.cert + client.key a client certificate.  NULL: none. */
	const char *cert_dir;
	/* 1 (default): verify TLS and never use plain HTTP.  0: as skopeo's
	 * --tls-verify=false: HTTPS without checks, falling back to HTTP. */
	int tls_verify;
	/* Timeouts in milliseconds; 0 means the default of signet/limits.h. */
	long connect_timeout_ms;
	long request_timeout_ms;
	/* Opt-in log callback (never called with secrets). */
	signet_log_fn log;
	void *log_userdata;
	/* Since version 2.  The deadline of one image, in milliseconds: every
	 * request, retry and wait made to verify or inspect one image
	 * (signet_verify, signet_explain, each image of signet_gate and
	 * signet_audit, signet_inspect) ends by then, however
	 * slowly a server answers; past it the operation fails with
	 * SIGNET_ENETWORK and a message naming the deadline.  0 (and every
	 * version 1 caller): SIGNET_IMAGE_TIMEOUT_MS. */
	long image_timeout_ms;
	/* Since version 2.  The registry host creds are for, as image
	 * references write it ("registry.example.com", "localhost:5000",
	 * "docker.io"; "index.docker.io" and "registry-1.docker.io" mean
	 * docker.io).  NULL (and every version 1 caller): creds are bound to
	 * the host of the first docker image the context reads (signet_verify,
	 * signet_inspect, signet_sign_image), or the first registry that asks
	 * for credentials (signet_audit's catalog); signet_gate binds them to
	 * the one host its workload names and refuses a workload naming
	 * several (SIGNET_EINVAL, before any request).  Once bound, no other
	 * host ever receives them; credentials per host come from authfile or
	 * a contract's workload.auths. */
	const char *creds_host;
	/* Since version 3.  Where credentials may come from besides creds,
	 * a contract's workload.auths and authfile; 0 (and every version 1 and
	 * 2 caller): nowhere, no environment variable is read and no process
	 * is started.
	 * SIGNET_CREDS_SEARCH: when authfile is NULL, the first of these files
	 * holding credentials for the registry (or naming a helper for it)
	 * gives them, as containers-auth.json(5) and skopeo order them:
	 * $REGISTRY_AUTH_FILE or else the primary file,
	 * $XDG_RUNTIME_DIR/containers/auth.json (/run/containers/UID/auth.json
	 * without XDG_RUNTIME_DIR),
	 * $XDG_CONFIG_HOME/containers/auth.json ($HOME/.config/...),
	 * $DOCKER_CONFIG/config.json ($HOME/.docker/config.json), $HOME/.dockercfg
	 * (the legacy format).  A missing file, or one without an entry for the
	 * registry, passes to the next; a malformed one is an error
	 * (SIGNET_EBADINPUT naming the file and the JSON path).
	 * SIGNET_CREDS_HELPERS: a "credHelpers" entry for the registry host or a
	 * "credsStore" in the file used (authfile, or the searched files) runs
	 * docker-credential-NAME get from PATH, with no shell, the host on its
	 * standard input; its reply is bounded (SIGNET_MAX_CREDHELPER_REPLY) and
	 * it is killed at SIGNET_CREDHELPER_TIMEOUT_MS (or the image deadline,
	 * whichever is first).  "credentials not found" passes to the next file.
	 * Without this bit, credHelpers and credsStore are not read (as in
	 * versions 1 and 2): the file's "auths" answer.  A helper that fails, hangs or answers too much is an
	 * error; an identity token (user name "<token>") is SIGNET_EUNSUPPORTED. The log callback says which
	 * file and key (or helper) gave credentials, never the secret. */
	unsigned int credential_sources;
} signet_ctx_options;

#define SIGNET_CTX_OPTIONS_INIT                                                                              \
	{                                                                                                    \
		SIGNET_CTX_OPTIONS_VERSION, NULL, NULL, NULL, 1, 0, 0, NULL, NULL, 0, NULL, 0                \
	}

/*
 * Creates a context: the options, the error message buffer, and the
 * connections and tokens shared by every operation made through it.
 * opts may be NULL for the defaults.  A context is used from one thread at
 * a time; several contexts may run in parallel threads.  libssl
 * (libssl.so.3) is loaded and initialized on the process's first https
 * connection, not here; when it cannot be loaded, https requests fail
 * with SIGNET_EIO and a message saying why, the others are not affected.
 * opts->version is 1 (the struct without image_timeout_ms and creds_host), 2
 * (without credential_sources) or 3.
 * Returns 0, SIGNET_EINVAL (unknown options version, a negative timeout, a
 * creds_host that is empty or holds '/', creds_host without creds, or an
 * unknown credential_sources bit) or SIGNET_ENOMEM.
 */
SIGNET_EXPORT int signet_ctx_new(signet_ctx **out, const signet_ctx_options *opts);

/* Frees the context; wipes credentials and tokens.  Accepts NULL. */
SIGNET_EXPORT void signet_ctx_free(signet_ctx *ctx);

/* The message of the last failure made through ctx ("" if none).  Borrowed:
 * valid until the next call that uses ctx. */
SIGNET_EXPORT const char *signet_ctx_errmsg(const signet_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
