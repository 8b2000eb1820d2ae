/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_url.c: absolute http(s) URLs (registry/url.c).  The
 * input is up to three lines: a URL, a reference resolved against it, and
 * a query value added to it.  What the header promises is checked, and a
 * broken promise aborts: a parsed URL written out parses to the same
 * string, a resolved URL parses and holds no dot segments, an added
 * parameter is percent-encoded, a URL is on its own host.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry/url.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

/* No "." or ".." segment in the path of an http(s) URL. */
static int no_dot_segments(const char *url)
{
	const char *p = strstr(url, "://"), *end;

	p = p + 3 + strcspn(p + 3, "/");
	end = p + strcspn(p, "?");
	while (p < end) {
		size_t n;

		p++; /* the "/" */
		n = strcspn(p, "/?");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
	}
	return 1;
}

static void check_parsed(const char *text)
{
	struct sn_url u, again;
	const char *why = NULL;
	char *s, *a;
	int rc = sn_url_parse(&u, text, &why);

	if (rc != 0) {
		check((rc == SIGNET_EINVAL || rc == SIGNET_ENOMEM) && why != NULL);
		check(sn_url_same_host(text, text) == 0);
		return;
	}
	check(strcmp(u.scheme, "http") == 0 || strcmp(u.scheme, "https") == 0);
	check(u.host[0] != '\0' && u.target[0] == '/');
	check(u.port >= 1 && u.port <= 65535);
	check(u.port_given || u.port == (strcmp(u.scheme, "https") == 0 ? 443u : 80u));
	check(!u.ipv6 || u.host_is_ip);
	check(sn_url_same_host(text, text) == 1);
	if ((s = sn_url_string(&u)) != NULL) {
		check(strchr(s, '#') == NULL);
		check(sn_url_parse(&again, s, NULL) == 0);
		if ((a = sn_url_string(&again)) != NULL)
			check(strcmp(a, s) == 0);
		free(a);
		check(strcmp(again.host, u.host) == 0 && again.port == u.port &&
		      strcmp(again.target, u.target) == 0);
		sn_url_free(&again);
		check(sn_url_same_host(text, s) == 1);
		free(s);
	}
	sn_url_free(&u);
}

static void check_resolved(const char *base, const char *ref)
{
	char *r = sn_url_resolve(base, ref), *again;
	struct sn_url u;

	if (r == NULL)
		return;
	check(sn_url_parse(&u, r, NULL) == 0);
	sn_url_free(&u);
	check(no_dot_segments(r));
	/* an empty reference is the base, fragment aside */
	if ((again = sn_url_resolve(r, "")) != NULL)
		check(strcmp(again, r) == 0);
	free(again);
	free(r);
}

static void check_query(const char *url, const char *value)
{
	char *r = sn_url_add_query(url, "k", value);
	const char *p;
	struct sn_url u;

	if (r == NULL)
		return;
	check(sn_url_parse(&u, r, NULL) == 0);
	sn_url_free(&u);
	p = strstr(r, "k=");
	while (p != NULL && strstr(p + 1, "k=") != NULL)
		p = strstr(p + 1, "k=");
	check(p != NULL);
	for (p += 2; *p != '\0'; p++) {
		if (*p == '%') {
			check(strchr("0123456789ABCDEF", p[1]) != NULL && p[1] != '\0');
			check(strchr("0123456789ABCDEF", p[2]) != NULL && p[2] != '\0');
			p += 2;
		} else {
			check(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~",
			             *p) != NULL);
		}
	}
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *lines[3] = {NULL, "", ""}, *p;

	if (size > 65536 || (text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	p = text;
	for (int i = 0; i < 3 && p != NULL; i++) {
		char *nl = strchr(p, '\n');

		lines[i] = p;
		if (nl != NULL)
			*nl = '\0';
		p = nl != NULL ? nl + 1 : NULL;
	}
	check_parsed(lines[0]);
	check_resolved(lines[0], lines[1]);
	check_query(lines[0], lines[2]);
	free(text);
	return 0;
}
