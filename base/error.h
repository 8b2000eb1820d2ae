/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/error.h: errors (error.c): the code a caller branches on and the message
 * that names the object, kept together (curl's error buffer).
 */
#ifndef SN_BASE_ERROR_H
#define SN_BASE_ERROR_H

#include <stdarg.h>

#include <signet/common.h>
#include <signet/limits.h>

#define SN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define SN_MUST_USE     __attribute__((warn_unused_result))

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

#endif
