/* SPDX-License-Identifier: Apache-2.0 */
/* base/error.c: error codes and the messages that go with them. */
#include "base/error.h"

#include <stdio.h>
#include <string.h>

const char *signet_strerror(int code)
{
	switch (code) {
	case SIGNET_OK: return "success";
	case SIGNET_EINVAL: return "invalid argument";
	case SIGNET_EBADINPUT: return "invalid input";
	case SIGNET_ELIMIT: return "limit exceeded";
	case SIGNET_EDENIED: return "denied";
	case SIGNET_EINTEGRITY: return "integrity check failed";
	case SIGNET_ENOTFOUND: return "not found";
	case SIGNET_ENETWORK: return "network error";
	case SIGNET_ETLS: return "TLS error";
	case SIGNET_EAUTH: return "authentication failed";
	case SIGNET_EREGISTRY: return "registry error";
	case SIGNET_EIO: return "I/O error";
	case SIGNET_ENOMEM: return "out of memory";
	case SIGNET_EUNSUPPORTED: return "unsupported";
	default: return "unknown error";
	}
}

int sn_seterr(struct sn_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	e->code = code;
	va_start(ap, fmt);
	/* Truncation is acceptable for a message; the code is what matters. */
	(void)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

int sn_errctx(struct sn_err *e, const char *fmt, ...)
{
	char prefix[512];
	size_t plen, mlen;
	va_list ap;
	int n;

	if (e == NULL)
		return SIGNET_EINVAL;
	va_start(ap, fmt);
	n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return e->code;
	plen = strlen(prefix);
	mlen = strnlen(e->msg, sizeof(e->msg) - 1);
	/* Keep the prefix whole and cut the old message's tail if needed. */
	if (plen + mlen > sizeof(e->msg) - 1)
		mlen = sizeof(e->msg) - 1 - plen;
	memmove(e->msg + plen, e->msg, mlen);
	memcpy(e->msg, prefix, plen);
	e->msg[plen + mlen] = '\0';
	return e->code;
}

int sn_enomem(struct sn_err *e)
{
	return sn_seterr(e, SIGNET_ENOMEM, "out of memory");
}

void sn_err_clear(struct sn_err *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->msg[0] = '\0';
}
