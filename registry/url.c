/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/url.c: absolute http(s) URLs (RFC 3986), parsed strictly, and
 * references resolved against them (RFC 3986 section 5.2).
 *
 * A URL is split by hand, in the order that keeps secrets out of the
 * messages: the scheme, then the authority (an '@' in it is refused before
 * anything else is looked at, so that no later message tempts a caller to
 * quote a URL holding a password), then every byte, then the host, port,
 * path and query.  The reasons given in *why are static strings.
 */
#include "registry/url.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The longest port: "65535". */
#define URL_PORT_DIGITS 5

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
static int is_unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* What a host that is not an IP literal may hold. */
static int is_host_char(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
}

static char *copy_lower(const char *s, size_t n)
{
	char *out = malloc(n + 1);

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)to_lower((unsigned char)s[i]);
	out[n] = '\0';
	return out;
}

/* Every byte printable ASCII, no backslash, every '%' a %XX escape. */
static const char *check_bytes(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x21 || *p > 0x7e)
			return "a space, a control character or a byte outside ASCII in the URL";
		if (*p == '\\')
			return "a backslash in the URL";
		if (*p == '%' && (sn_hex_digit(p[1]) < 0 || sn_hex_digit(p[2]) < 0))
			return "a percent sign that does not start a %XX escape in the URL";
	}
	return NULL;
}

/* "http" or "https" (any case) then "://": the length of what to skip,
 * or 0. */
static size_t scheme_prefix(const char *s, int *https)
{
	if (strncasecmp(s, "http://", 7) == 0) {
		*https = 0;
		return 7;
	}
	if (strncasecmp(s, "https://", 8) == 0) {
		*https = 1;
		return 8;
	}
	return 0;
}

/* The last label of a host that is not a dotted quad: all digits, or
 * "0x" and hex digits, is what inet_aton() and resolvers read as a number
 * ("127.1", "0x7f000001").  Such hosts are refused rather than guessed. */
static int looks_numeric(const char *host, size_t n)
{
	size_t start;

	if (n > 0 && host[n - 1] == '.')
		n--;
	start = n;
	while (start > 0 && host[start - 1] != '.')
		start--;
	if (start == n)
		return 0;
	if (n - start >= 2 && host[start] == '0' && (host[start + 1] == 'x' || host[start + 1] == 'X')) {
		for (size_t i = start + 2; i < n; i++) {
			if (sn_hex_digit((unsigned char)host[i]) < 0)
				return 0;
		}
		return 1;
	}
	for (size_t i = start; i < n; i++) {
		if (!is_digit((unsigned char)host[i]))
			return 0;
	}
	return 1;
}

/* The host at the start of the authority [s, s + n): an IPv6 literal in
 * brackets, or a name or a dotted quad.  *used is its length.  Returns ""
 * when done, the reason it is refused, or NULL on ENOMEM. */
static const char *parse_host(struct sn_url *u, const char *s, size_t n, size_t *used)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];
	size_t len;

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close == NULL)
			return "invalid IPv6 address";
		len = (size_t)(close - s) - 1;
		if (close + 1 != s + n && close[1] != ':')
			return "invalid IPv6 address";
		if (memchr(s + 1, '%', len) != NULL)
			return "an IPv6 zone id in the URL";
		if (len == 0 || len >= sizeof(addr))
			return "invalid IPv6 address";
		memcpy(addr, s + 1, len);
		addr[len] = '\0';
		if (inet_pton(AF_INET6, addr, bin) != 1)
			return "invalid IPv6 address";
		if ((u->host = copy_lower(addr, len)) == NULL)
			return NULL;
		u->ipv6 = 1;
		u->host_is_ip = 1;
		*used = len + 2;
		return "";
	}
	len = 0;
	while (len < n && s[len] != ':')
		len++;
	if (len == 0)
		return "no host";
	for (size_t i = 0; i < len; i++) {
		if (!is_host_char((unsigned char)s[i]))
			return "invalid host";
	}
	if ((u->host = copy_lower(s, len)) == NULL)
		return NULL;
	if (len < INET6_ADDRSTRLEN) {
		memcpy(addr, s, len);
		addr[len] = '\0';
		u->host_is_ip = inet_pton(AF_INET, addr, bin) == 1;
	}
	if (!u->host_is_ip && looks_numeric(s, len))
		return "invalid IPv4 address";
	*used = len;
	return "";
}

/* ":port" (or nothing) for [s, s + n). */
static const char *parse_port(struct sn_url *u, const char *s, size_t n)
{
	unsigned long port = 0;

	if (n == 0) {
		u->port = strcmp(u->scheme, "https") == 0 ? 443u : 80u;
		return "";
	}
	if (s[0] != ':' || n == 1 || n - 1 > URL_PORT_DIGITS)
		return "invalid port";
	for (size_t i = 1; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return "invalid port";
		port = port * 10 + (unsigned long)(s[i] - '0');
	}
	if (port == 0 || port > 65535)
		return "invalid port";
	u->port = (unsigned)port;
	u->port_given = 1;
	return "";
}

/* Fills u; returns NULL on ENOMEM, "" when done, else the reason. */
static const char *parse(struct sn_url *u, const char *text)
{
	const char *auth, *auth_end, *path_end, *why;
	size_t skip, used = 0, path_len, query_len;
	int https;

	if (text == NULL)
		return "no URL";
	if ((skip = scheme_prefix(text, &https)) == 0)
		return "not an http:// or https:// URL";
	auth = text + skip;
	auth_end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', (size_t)(auth_end - auth)) != NULL)
		return "credentials in the URL";
	if ((why = check_bytes(text)) != NULL)
		return why;
	if ((u->scheme = strdup(https ? "https" : "http")) == NULL)
		return NULL;
	why = parse_host(u, auth, (size_t)(auth_end - auth), &used);
	if (why == NULL || why[0] != '\0')
		return why;
	why = parse_port(u, auth + used, (size_t)(auth_end - auth) - used);
	if (why[0] != '\0')
		return why;
	path_end = auth_end + strcspn(auth_end, "#");
	path_len = strcspn(auth_end, "?#");
	query_len = (size_t)(path_end - auth_end) - path_len;
	/* path (or "/") and "?query" */
	if ((u->target = malloc(path_len + query_len + 2)) == NULL)
		return NULL;
	if (path_len == 0)
		u->target[0] = '/';
	else
		memcpy(u->target, auth_end, path_len);
	memcpy(u->target + (path_len == 0 ? 1 : path_len), auth_end + path_len, query_len);
	u->target[(path_len == 0 ? 1 : path_len) + query_len] = '\0';
	return "";
}

int sn_url_parse(struct sn_url *u, const char *text, const char **why)
{
	struct sn_url t = {0};
	const char *w = parse(&t, text);

	if (w == NULL || w[0] != '\0') {
		sn_url_free(&t);
		if (why != NULL)
			*why = w != NULL ? w : "out of memory";
		return w != NULL ? SIGNET_EINVAL : SIGNET_ENOMEM;
	}
	*u = t;
	return 0;
}

void sn_url_free(struct sn_url *u)
{
	if (u == NULL)
		return;
	free(u->scheme);
	free(u->host);
	free(u->target);
	memset(u, 0, sizeof(*u));
}

char *sn_url_authority(const struct sn_url *u)
{
	/* "[" host "]" ":" 5 digits and the NUL */
	size_t n = strlen(u->host) + 2 + 1 + URL_PORT_DIGITS + 1;
	char *out = malloc(n);
	int len;

	if (out == NULL)
		return NULL;
	if (u->port_given)
		len = snprintf(out, n, u->ipv6 ? "[%s]:%u" : "%s:%u", u->host, u->port);
	else
		len = snprintf(out, n, u->ipv6 ? "[%s]" : "%s", u->host);
	if (len < 0 || (size_t)len >= n) {
		free(out);
		return NULL;
	}
	return out;
}

/* a + b + c + d as one string (NULLs count as ""). */
static char *join4(const char *a, const char *b, const char *c, const char *d)
{
	const char *parts[4] = {a, b, c, d};
	size_t lens[4], n = 1, at = 0;
	char *out;

	for (int i = 0; i < 4; i++) {
		lens[i] = parts[i] != NULL ? strlen(parts[i]) : 0;
		if (lens[i] > SIZE_MAX - n)
			return NULL;
		n += lens[i];
	}
	if ((out = malloc(n)) == NULL)
		return NULL;
	for (int i = 0; i < 4; i++) {
		if (lens[i] > 0)
			memcpy(out + at, parts[i], lens[i]);
		at += lens[i];
	}
	out[at] = '\0';
	return out;
}

char *sn_url_string(const struct sn_url *u)
{
	char *auth = sn_url_authority(u), *out;

	if (auth == NULL)
		return NULL;
	out = join4(u->scheme, "://", auth, u->target);
	free(auth);
	return out;
}

/* ---- resolution (RFC 3986 section 5.2) -------------------------------- */

/* A reference split into its five parts (section 3; the fragment is not
 * kept).  Each part points into the reference; a missing one is NULL. */
struct url_ref {
	const char *scheme, *auth, *path, *query;
	size_t scheme_len, auth_len, path_len, query_len;
};

static void split_ref(struct url_ref *r, const char *s)
{
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	if (is_alpha((unsigned char)s[0])) {
		n = 1;
		while (is_alpha((unsigned char)s[n]) || is_digit((unsigned char)s[n]) || s[n] == '+' ||
		       s[n] == '-' || s[n] == '.')
			n++;
		if (s[n] == ':') {
			r->scheme = s;
			r->scheme_len = n;
			s += n + 1;
		}
	}
	if (s[0] == '/' && s[1] == '/') {
		r->auth = s + 2;
		r->auth_len = strcspn(r->auth, "/?#");
		s = r->auth + r->auth_len;
	}
	r->path = s;
	r->path_len = strcspn(s, "?#");
	s += r->path_len;
	if (s[0] == '?') {
		r->query = s + 1;
		r->query_len = strcspn(r->query, "#");
	}
}

/* Section 5.2.4: the path of [in, in + n) without "." and ".." segments,
 * malloc'ed. */
static char *remove_dot_segments(const char *path, size_t n)
{
	char *buf = malloc(n + 1), *out = malloc(n + 1), *in;
	size_t len = 0;

	if (buf == NULL || out == NULL) {
		free(buf);
		free(out);
		return NULL;
	}
	memcpy(buf, path, n);
	buf[n] = '\0';
	in = buf;
	while (*in != '\0') {
		if (strncmp(in, "../", 3) == 0) {
			in += 3; /* A */
		} else if (strncmp(in, "./", 2) == 0) {
			in += 2; /* A */
		} else if (strncmp(in, "/./", 3) == 0) {
			in += 2; /* B: "/./" -> "/" */
		} else if (strcmp(in, "/.") == 0) {
			in += 1; /* B: "/." -> "/" */
			in[0] = '/';
		} else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
			/* C: "/../" or "/.." -> "/", dropping the last output segment */
			if (in[3] == '/') {
				in += 3;
			} else {
				in += 2;
				in[0] = '/';
			}
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
			in += strlen(in); /* D */
		} else {
			/* E: the first segment, its leading "/" included, to the
			 * output: in[0] is not NUL, so seg is at least 1 */
			size_t seg = 0;

			do
				seg++;
			while (in[seg] != '\0' && in[seg] != '/');
			memcpy(out + len, in, seg);
			len += seg;
			in += seg;
		}
	}
	out[len] = '\0';
	free(buf);
	return out;
}

/* Section 5.2.3: base's path up to its last "/", then the reference's. */
static char *merge(const char *base_path, size_t base_len, const char *path, size_t n)
{
	size_t keep = base_len;
	char *out;

	while (keep > 0 && base_path[keep - 1] != '/')
		keep--;
	if (keep > SIZE_MAX - n - 1 || (out = malloc(keep + n + 1)) == NULL)
		return NULL;
	memcpy(out, base_path, keep);
	memcpy(out + keep, path, n);
	out[keep + n] = '\0';
	return out;
}

/* The parts of the target T of section 5.2.2 as one string, parsed again
 * and written out as sn_url_string() does. */
static char *compose(const char *scheme, size_t scheme_len, const char *auth, size_t auth_len,
                     const char *path, const char *query, size_t query_len)
{
	struct sn_url u;
	char *s, *sch = NULL, *au = NULL, *q = NULL, *out = NULL;

	if ((sch = copy_lower(scheme, scheme_len)) == NULL || (au = malloc(auth_len + 3)) == NULL ||
	    (query != NULL && (q = malloc(query_len + 2)) == NULL))
		goto out;
	au[0] = au[1] = '/';
	memcpy(au + 2, auth, auth_len);
	au[auth_len + 2] = '\0';
	if (q != NULL) {
		q[0] = '?';
		memcpy(q + 1, query, query_len);
		q[query_len + 1] = '\0';
	}
	if ((s = join4(sch, ":", au, path)) == NULL)
		goto out;
	out = join4(s, q, NULL, NULL);
	free(s);
	if (out != NULL && sn_url_parse(&u, out, NULL) == 0) {
		free(out);
		out = sn_url_string(&u);
		sn_url_free(&u);
	} else {
		free(out);
		out = NULL;
	}
out:
	free(sch);
	free(au);
	free(q);
	return out;
}

char *sn_url_resolve(const char *base, const char *ref)
{
	struct sn_url b;
	struct url_ref r;
	const char *base_query, *query;
	char *auth = NULL, *path = NULL, *merged = NULL, *out = NULL;
	size_t base_path_len, query_len;

	if (base == NULL || ref == NULL || sn_url_parse(&b, base, NULL) != 0)
		return NULL;
	base_path_len = strcspn(b.target, "?");
	base_query = b.target[base_path_len] == '?' ? b.target + base_path_len + 1 : NULL;
	split_ref(&r, ref);
	query = r.query;
	query_len = r.query_len;
	if (r.scheme != NULL) {
		if (r.auth == NULL)
			goto out; /* "http:g" and the like: no authority, not http(s) */
		path = remove_dot_segments(r.path, r.path_len);
		if (path != NULL)
			out = compose(r.scheme, r.scheme_len, r.auth, r.auth_len, path, query, query_len);
		goto out;
	}
	if (r.auth != NULL) {
		path = remove_dot_segments(r.path, r.path_len);
		if (path != NULL)
			out = compose(b.scheme, strlen(b.scheme), r.auth, r.auth_len, path, query, query_len);
		goto out;
	}
	if ((auth = sn_url_authority(&b)) == NULL)
		goto out;
	if (r.path_len == 0) {
		path = remove_dot_segments(b.target, base_path_len);
		if (r.query == NULL) {
			query = base_query;
			query_len = base_query != NULL ? strlen(base_query) : 0;
		}
	} else if (r.path[0] == '/') {
		path = remove_dot_segments(r.path, r.path_len);
	} else if ((merged = merge(b.target, base_path_len, r.path, r.path_len)) != NULL) {
		path = remove_dot_segments(merged, strlen(merged));
	}
	if (path != NULL)
		out = compose(b.scheme, strlen(b.scheme), auth, strlen(auth), path, query, query_len);
out:
	sn_url_free(&b);
	free(auth);
	free(merged);
	free(path);
	return out;
}

/* ---- queries and hosts ------------------------------------------------ */

char *sn_url_add_query(const char *url, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sn_url u;
	size_t tlen, nlen, vlen, n, at;
	char *target, *out = NULL;
	const char *q;

	if (url == NULL || name == NULL || value == NULL || name[0] == '\0')
		return NULL;
	for (const char *p = name; *p != '\0'; p++) {
		if (!is_unreserved((unsigned char)*p))
			return NULL;
	}
	if (sn_url_parse(&u, url, NULL) != 0)
		return NULL;
	tlen = strlen(u.target);
	nlen = strlen(name);
	vlen = strlen(value);
	/* target, separator, name, "=", the value at 3 bytes a byte, NUL */
	if (vlen > (SIZE_MAX - tlen - nlen - 3) / 3)
		goto out;
	n = tlen + 1 + nlen + 1 + 3 * vlen + 1;
	if ((target = malloc(n)) == NULL)
		goto out;
	memcpy(target, u.target, tlen);
	at = tlen;
	q = strchr(u.target, '?');
	if (q == NULL)
		target[at++] = '?';
	else if (q[1] != '\0' && u.target[tlen - 1] != '&')
		target[at++] = '&';
	memcpy(target + at, name, nlen);
	at += nlen;
	target[at++] = '=';
	for (const unsigned char *p = (const unsigned char *)value; *p != '\0'; p++) {
		if (is_unreserved(*p)) {
			target[at++] = (char)*p;
		} else {
			target[at++] = '%';
			target[at++] = hex[*p >> 4];
			target[at++] = hex[*p & 0x0f];
		}
	}
	target[at] = '\0';
	free(u.target);
	u.target = target;
	out = sn_url_string(&u);
out:
	sn_url_free(&u);
	return out;
}

int sn_url_same_host(const char *a, const char *b)
{
	struct sn_url ua, ub;
	unsigned char ba[sizeof(struct in6_addr)], bb[sizeof(struct in6_addr)];
	int same = 0;

	if (a == NULL || b == NULL || sn_url_parse(&ua, a, NULL) != 0)
		return 0;
	if (sn_url_parse(&ub, b, NULL) != 0) {
		sn_url_free(&ua);
		return 0;
	}
	if (ua.port == ub.port && ua.ipv6 == ub.ipv6) {
		/* "[::1]" and "[0:0::1]" are one host */
		if (ua.ipv6)
			same = inet_pton(AF_INET6, ua.host, ba) == 1 &&
			       inet_pton(AF_INET6, ub.host, bb) == 1 && memcmp(ba, bb, sizeof(ba)) == 0;
		else
			same = strcmp(ua.host, ub.host) == 0;
	}
	sn_url_free(&ua);
	sn_url_free(&ub);
	return same;
}
