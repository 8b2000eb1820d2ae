/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/url.h: absolute http(s) URLs, the only URLs the registry client
 * speaks to (RFC 3986, strictly: what a registry, a token realm, a redirect
 * or a lookaside store may name).
 *
 * Parsing refuses rather than guesses: another scheme, credentials in the
 * authority (user:password@host), an empty or malformed host, a port that
 * is not 1..65535, and any byte outside printable ASCII (no spaces, no
 * controls, no UTF-8; a percent sign must start a %XX escape) are errors.
 * The fragment is dropped (it is never sent).  The path and query are kept
 * as written, percent escapes and all: what is sent is what was given.
 */
#ifndef SN_URL_H
#define SN_URL_H

#include "base/base.h"

struct sn_url {
	char *scheme;   /* "http" or "https", lower case */
	char *host;     /* lower case; an IPv6 literal without its brackets */
	int ipv6;       /* the host was an IPv6 literal ("[::1]") */
	int host_is_ip; /* an IPv4 dotted quad or an IPv6 literal (no SNI; IP SAN check) */
	unsigned port;  /* as written, else the scheme's default: 80, 443 */
	int port_given; /* the URL named the port */
	char *target;   /* the request target: path (at least "/") and "?query" if any */
};

/* Parses text into u (every field allocated; sn_url_free frees them).
 * Returns 0, or SIGNET_EINVAL with *why (static text, never the URL, which
 * may hold a secret) saying what is wrong, e.g. "not an http:// or https://
 * URL", "credentials in the URL", "invalid port"; SIGNET_ENOMEM. */
int sn_url_parse(struct sn_url *u, const char *text, const char **why);
void sn_url_free(struct sn_url *u);

/* "scheme://authority/target" (caller frees), NULL on ENOMEM. */
char *sn_url_string(const struct sn_url *u);
/* "host", "host:port", "[v6]" or "[v6]:port": the port only when the URL
 * named one.  The Host header and the handle cache key.  NULL on ENOMEM. */
char *sn_url_authority(const struct sn_url *u);

/* ref (an absolute URL, or a reference relative to base: "/p", "p",
 * "?q", "//host/p", "../p") resolved against base (RFC 3986 section 5.2,
 * dot segments removed).  The result must itself parse as an http(s) URL.
 * Returns a malloc'ed URL, or NULL (unparsable base, ref or result;
 * ENOMEM). */
char *sn_url_resolve(const char *base, const char *ref);

/* url with "name=value" appended to its query ('?' or '&' as needed);
 * value percent-encoded (every byte but ALPHA / DIGIT / "-" / "." / "_" /
 * "~").  name must be unreserved characters only.  NULL when url does not
 * parse, or ENOMEM. */
char *sn_url_add_query(const char *url, const char *name, const char *value);

/* Same host (case-insensitive) and port (defaults filled in), whatever the
 * scheme: 1 yes, 0 no or either does not parse. */
int sn_url_same_host(const char *a, const char *b);

#endif
