/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_url.c: absolute http(s) URLs (registry/url.c).
 *
 * Tables: URLs that parse, each with every field, its string and its
 * authority; URLs that are refused, each with the reason; the resolution
 * examples of RFC 3986 sections 5.4.1 and 5.4.2 on an http base; query
 * parameters and their encoding; same host or not.  A failing row is
 * named in the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry/url.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- parsing ---------------------------------------------------------- */

struct good {
	const char *in;
	const char *scheme, *host;
	int ipv6, host_is_ip;
	unsigned port;
	int port_given;
	const char *target, *string, *authority;
};

static const struct good goods[] = {
    {"http://example.com", "http", "example.com", 0, 0, 80, 0, "/", "http://example.com/", "example.com"},
    {"https://example.com/", "https", "example.com", 0, 0, 443, 0, "/", "https://example.com/",
     "example.com"},
    {"HTTPS://Example.COM/A/b", "https", "example.com", 0, 0, 443, 0, "/A/b", "https://example.com/A/b",
     "example.com"},
    {"HtTp://X", "http", "x", 0, 0, 80, 0, "/", "http://x/", "x"},
    {"https://reg.example:5000/v2/", "https", "reg.example", 0, 0, 5000, 1, "/v2/",
     "https://reg.example:5000/v2/", "reg.example:5000"},
    {"https://reg.example:0443/", "https", "reg.example", 0, 0, 443, 1, "/", "https://reg.example:443/",
     "reg.example:443"},
    {"http://h:00001/", "http", "h", 0, 0, 1, 1, "/", "http://h:1/", "h:1"},
    {"http://h:65535/", "http", "h", 0, 0, 65535, 1, "/", "http://h:65535/", "h:65535"},
    {"http://h:80", "http", "h", 0, 0, 80, 1, "/", "http://h:80/", "h:80"},
    {"https://127.0.0.1:5000/v2/", "https", "127.0.0.1", 0, 1, 5000, 1, "/v2/", "https://127.0.0.1:5000/v2/",
     "127.0.0.1:5000"},
    {"http://10.0.0.1", "http", "10.0.0.1", 0, 1, 80, 0, "/", "http://10.0.0.1/", "10.0.0.1"},
    {"http://0.0.0.0/", "http", "0.0.0.0", 0, 1, 80, 0, "/", "http://0.0.0.0/", "0.0.0.0"},
    {"http://255.255.255.255/", "http", "255.255.255.255", 0, 1, 80, 0, "/", "http://255.255.255.255/",
     "255.255.255.255"},
    {"https://[::1]:5000/v2/", "https", "::1", 1, 1, 5000, 1, "/v2/", "https://[::1]:5000/v2/", "[::1]:5000"},
    {"https://[2001:DB8::1]/", "https", "2001:db8::1", 1, 1, 443, 0, "/", "https://[2001:db8::1]/",
     "[2001:db8::1]"},
    {"http://[::ffff:192.0.2.1]", "http", "::ffff:192.0.2.1", 1, 1, 80, 0, "/", "http://[::ffff:192.0.2.1]/",
     "[::ffff:192.0.2.1]"},
    {"http://[1:2:3:4:5:6:7:8]:8080?x", "http", "1:2:3:4:5:6:7:8", 1, 1, 8080, 1, "/?x",
     "http://[1:2:3:4:5:6:7:8]:8080/?x", "[1:2:3:4:5:6:7:8]:8080"},
    {"http://h/p?q=1&r=2", "http", "h", 0, 0, 80, 0, "/p?q=1&r=2", "http://h/p?q=1&r=2", "h"},
    {"http://h?q", "http", "h", 0, 0, 80, 0, "/?q", "http://h/?q", "h"},
    {"http://h/p#frag", "http", "h", 0, 0, 80, 0, "/p", "http://h/p", "h"},
    {"http://h/p?q#frag?x", "http", "h", 0, 0, 80, 0, "/p?q", "http://h/p?q", "h"},
    {"http://h#f", "http", "h", 0, 0, 80, 0, "/", "http://h/", "h"},
    {"http://h:8080#f", "http", "h", 0, 0, 8080, 1, "/", "http://h:8080/", "h:8080"},
    {"http://h/p?", "http", "h", 0, 0, 80, 0, "/p?", "http://h/p?", "h"},
    {"http://h/a%20b%7e%7E", "http", "h", 0, 0, 80, 0, "/a%20b%7e%7E", "http://h/a%20b%7e%7E", "h"},
    {"http://my_host.example/", "http", "my_host.example", 0, 0, 80, 0, "/", "http://my_host.example/",
     "my_host.example"},
    {"http://a-b.c-d/x", "http", "a-b.c-d", 0, 0, 80, 0, "/x", "http://a-b.c-d/x", "a-b.c-d"},
    {"http://h/./a/../b", "http", "h", 0, 0, 80, 0, "/./a/../b", "http://h/./a/../b", "h"},
    {"http://h/p;x=1/q", "http", "h", 0, 0, 80, 0, "/p;x=1/q", "http://h/p;x=1/q", "h"},
    {"http://h./", "http", "h.", 0, 0, 80, 0, "/", "http://h./", "h."},
    {"http://1.2.3.example/", "http", "1.2.3.example", 0, 0, 80, 0, "/", "http://1.2.3.example/",
     "1.2.3.example"},
    {"http://h/a:b@c", "http", "h", 0, 0, 80, 0, "/a:b@c", "http://h/a:b@c", "h"},
    {"http://h/?next=http://u@v/", "http", "h", 0, 0, 80, 0, "/?next=http://u@v/",
     "http://h/?next=http://u@v/", "h"},
    {"http://h//double//slash", "http", "h", 0, 0, 80, 0, "//double//slash", "http://h//double//slash", "h"},
};

struct bad {
	const char *in;
	const char *why;
};

#define NOT_HTTP "not an http:// or https:// URL"
#define CREDS    "credentials in the URL"
#define BYTE     "a space, a control character or a byte outside ASCII in the URL"
#define PERCENT  "a percent sign that does not start a %XX escape in the URL"
#define V6       "invalid IPv6 address"
#define V4       "invalid IPv4 address"
#define PORT     "invalid port"

static const struct bad bads[] = {
    {"", NOT_HTTP},
    {"ftp://h/", NOT_HTTP},
    {"file:///x", NOT_HTTP},
    {"http:/h", NOT_HTTP},
    {"http:h", NOT_HTTP},
    {"//h/p", NOT_HTTP},
    {"h/p", NOT_HTTP},
    {"httpx://h/", NOT_HTTP},
    {"http ://h/", NOT_HTTP},
    {" http://h/", NOT_HTTP},
    {"https://user:s3cret@h/", CREDS},
    {"https://user@h/", CREDS},
    {"https://@h/", CREDS},
    {"https://h@/", CREDS},
    {"https://u:p w@h/", CREDS},
    {"http://h\\@evil.example/", CREDS},
    {"http://[::1]@h/", CREDS},
    {"http://h/a b", BYTE},
    {"http://h /", BYTE},
    {"http://h/a\tb", BYTE},
    {"http://h/a\r\nX-Injected: 1", BYTE},
    {"http://h/\x7f", BYTE},
    {"http://h/caf\xc3\xa9", BYTE},
    {"http://h/?q=\xff", BYTE},
    {"http://h/#a b", BYTE},
    {"http://h/a\\b", "a backslash in the URL"},
    {"http://h\\x/", "a backslash in the URL"},
    {"http://h/%", PERCENT},
    {"http://h/%4", PERCENT},
    {"http://h/%zz", PERCENT},
    {"http://h/?q=%g1", PERCENT},
    {"http://h/#%", PERCENT},
    {"http:///p", "no host"},
    {"http://", "no host"},
    {"http://:80/", "no host"},
    {"http://?q", "no host"},
    {"http://#f", "no host"},
    {"http://::1/", "no host"},
    {"http://h!/", "invalid host"},
    {"http://h%41/", "invalid host"},
    {"http://h~x/", "invalid host"},
    {"http://h,x/", "invalid host"},
    {"http://[::1/", V6},
    {"http://[::g]/", V6},
    {"http://[]/", V6},
    {"http://[127.0.0.1]/", V6},
    {"http://[v1.x]/", V6},
    {"http://[::1]x/", V6},
    {"http://[::1]]/", V6},
    {"http://[fe80::1%25eth0]/", "an IPv6 zone id in the URL"},
    {"http://127.1/", V4},
    {"http://1.2.3.4.5/", V4},
    {"http://256.1.1.1/", V4},
    {"http://01.2.3.4/", V4},
    {"http://0x7f000001/", V4},
    {"http://h.0X1f./", V4},
    {"http://h:/", PORT},
    {"http://h:0/", PORT},
    {"http://h:00000/", PORT},
    {"http://h:65536/", PORT},
    {"http://h:99999/", PORT},
    {"http://h:000080/", PORT},
    {"http://h:8a/", PORT},
    {"http://h:-1/", PORT},
    {"http://h:+80/", PORT},
    {"http://h:80:90/", PORT},
    {"http://[::1]:/", PORT},
};

static void test_parse_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(goods); i++) {
		const struct good *g = &goods[i];
		struct sn_url u;
		const char *why = "untouched";
		char *s, *a;

		print_message("parse \"%s\"\n", g->in);
		assert_int_equal(sn_url_parse(&u, g->in, &why), 0);
		assert_string_equal(why, "untouched");
		assert_string_equal(u.scheme, g->scheme);
		assert_string_equal(u.host, g->host);
		assert_int_equal(u.ipv6, g->ipv6);
		assert_int_equal(u.host_is_ip, g->host_is_ip);
		assert_int_equal(u.port, g->port);
		assert_int_equal(u.port_given, g->port_given);
		assert_string_equal(u.target, g->target);
		assert_non_null(s = sn_url_string(&u));
		assert_string_equal(s, g->string);
		assert_non_null(a = sn_url_authority(&u));
		assert_string_equal(a, g->authority);
		sn_url_free(&u);
		/* the string written out parses to itself */
		assert_int_equal(sn_url_parse(&u, s, NULL), 0);
		free(a);
		assert_non_null(a = sn_url_string(&u));
		assert_string_equal(a, s);
		sn_url_free(&u);
		free(a);
		free(s);
	}
}

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(bads); i++) {
		struct sn_url u = {(char *)"s", (char *)"h", 7, 7, 7, 7, (char *)"t"};
		const char *why = NULL;

		print_message("refuse \"%s\"\n", bads[i].in);
		assert_int_equal(sn_url_parse(&u, bads[i].in, &why), SIGNET_EINVAL);
		assert_non_null(why);
		assert_string_equal(why, bads[i].why);
		/* u untouched on failure */
		assert_string_equal(u.scheme, "s");
		assert_string_equal(u.target, "t");
		assert_int_equal(u.port, 7);
	}
}

static void test_parse_null(void **state)
{
	struct sn_url u;
	const char *why = NULL;

	(void)state;
	assert_int_equal(sn_url_parse(&u, NULL, &why), SIGNET_EINVAL);
	assert_string_equal(why, "no URL");
	assert_int_equal(sn_url_parse(&u, "ftp://x/", NULL), SIGNET_EINVAL);
	sn_url_free(NULL);
}

/* A long path and query are kept whole. */
static void test_parse_long(void **state)
{
	size_t n = 100000;
	char *in = malloc(n + 1);
	struct sn_url u;

	(void)state;
	assert_non_null(in);
	memcpy(in, "https://h/", 10);
	memset(in + 10, 'a', n - 10);
	in[n / 2] = '?';
	in[n] = '\0';
	assert_int_equal(sn_url_parse(&u, in, NULL), 0);
	assert_int_equal(strlen(u.target), n - 9);
	sn_url_free(&u);
	free(in);
}

/* ---- resolution ------------------------------------------------------- */

struct res {
	const char *ref, *want; /* want NULL: refused */
};

#define RFC_BASE "http://a/b/c/d;p?q"

/* RFC 3986 5.4.1 and 5.4.2, on "http://a/b/c/d;p?q".  The RFC's results
 * differ only where signet's are http(s) URLs written out again: "g:h" and
 * "http:g" (strict) are not http(s) URLs, "//g" gets its "/" path, and the
 * fragment is dropped. */
static const struct res rfc[] = {
    /* 5.4.1 normal examples */
    {"g:h", NULL},
    {"g", "http://a/b/c/g"},
    {"./g", "http://a/b/c/g"},
    {"g/", "http://a/b/c/g/"},
    {"/g", "http://a/g"},
    {"//g", "http://g/"},
    {"?y", "http://a/b/c/d;p?y"},
    {"g?y", "http://a/b/c/g?y"},
    {"#s", "http://a/b/c/d;p?q"},
    {"g#s", "http://a/b/c/g"},
    {"g?y#s", "http://a/b/c/g?y"},
    {";x", "http://a/b/c/;x"},
    {"g;x", "http://a/b/c/g;x"},
    {"g;x?y#s", "http://a/b/c/g;x?y"},
    {"", "http://a/b/c/d;p?q"},
    {".", "http://a/b/c/"},
    {"./", "http://a/b/c/"},
    {"..", "http://a/b/"},
    {"../", "http://a/b/"},
    {"../g", "http://a/b/g"},
    {"../..", "http://a/"},
    {"../../", "http://a/"},
    {"../../g", "http://a/g"},
    /* 5.4.2 abnormal examples */
    {"../../../g", "http://a/g"},
    {"../../../../g", "http://a/g"},
    {"/./g", "http://a/g"},
    {"/../g", "http://a/g"},
    {"g.", "http://a/b/c/g."},
    {".g", "http://a/b/c/.g"},
    {"g..", "http://a/b/c/g.."},
    {"..g", "http://a/b/c/..g"},
    {"./../g", "http://a/b/g"},
    {"./g/.", "http://a/b/c/g/"},
    {"g/./h", "http://a/b/c/g/h"},
    {"g/../h", "http://a/b/c/h"},
    {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
    {"g;x=1/../y", "http://a/b/c/y"},
    {"g?y/./x", "http://a/b/c/g?y/./x"},
    {"g?y/../x", "http://a/b/c/g?y/../x"},
    {"g#s/./x", "http://a/b/c/g"},
    {"g#s/../x", "http://a/b/c/g"},
    {"http:g", NULL},
};

struct res2 {
	const char *base, *ref, *want;
};

static const struct res2 more[] = {
    {RFC_BASE, "https://other.example/x", "https://other.example/x"},
    {RFC_BASE, "HTTPS://Other.Example:8443/x/../y?z#f", "https://other.example:8443/y?z"},
    {RFC_BASE, "ftp://x/", NULL},
    {RFC_BASE, "file:///etc/passwd", NULL},
    {RFC_BASE, "//user:pw@h/", NULL},
    {RFC_BASE, "https://user@h/", NULL},
    {RFC_BASE, "a b", NULL},
    {RFC_BASE, "?q=%zz", NULL},
    {RFC_BASE, "//h:99999/", NULL},
    {RFC_BASE, "///x", NULL},
    {RFC_BASE, "//[::1]:5000/v2/../v2/", "http://[::1]:5000/v2/"},
    {"https://a/b", "//c/d", "https://c/d"},
    {"https://a:8080/b/c", "/d", "https://a:8080/d"},
    {"https://a:8080", "d", "https://a:8080/d"},
    {"https://a:8080", "?x", "https://a:8080/?x"},
    {"https://a/v2/r/blobs/uploads/", "/v2/r/blobs/uploads/abc?_state=x%2By",
     "https://a/v2/r/blobs/uploads/abc?_state=x%2By"},
    {"https://a/v2/r/blobs/uploads/", "abc", "https://a/v2/r/blobs/uploads/abc"},
    {"http://[::1]:5000/v2/x/tags/list", "/v2/x/tags/list?n=1&last=a",
     "http://[::1]:5000/v2/x/tags/list?n=1&last=a"},
    {"http://h/a/b#frag", "", "http://h/a/b"},
    {"http://h/a/b", "../../../..", "http://h/"},
    {"http://h/a/b", "/.", "http://h/"},
    {"http://h/a/b", "/..", "http://h/"},
    {"http://h/a/b/", "c/..", "http://h/a/b/"},
    {"ftp://h/a", "/b", NULL},
    {"https://user:pw@h/a", "/b", NULL},
    {"not a url", "http://h/", NULL},
};

static void check_resolve(const char *base, const char *ref, const char *want)
{
	char *got;

	print_message("resolve \"%s\" against \"%s\"\n", ref, base);
	got = sn_url_resolve(base, ref);
	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_resolve_rfc(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(rfc); i++)
		check_resolve(RFC_BASE, rfc[i].ref, rfc[i].want);
}

static void test_resolve_more(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(more); i++)
		check_resolve(more[i].base, more[i].ref, more[i].want);
	assert_null(sn_url_resolve(NULL, "/x"));
	assert_null(sn_url_resolve("http://h/", NULL));
}

/* ---- queries ---------------------------------------------------------- */

struct addq {
	const char *url, *name, *value, *want;
};

static const struct addq addqs[] = {
    {"http://h/p", "k", "a b", "http://h/p?k=a%20b"},
    {"http://h/p", "k", "a/b", "http://h/p?k=a%2Fb"},
    {"http://h/p", "k", "a:b", "http://h/p?k=a%3Ab"},
    {"http://h/p", "k", "a&b", "http://h/p?k=a%26b"},
    {"http://h/p", "k", "a=b", "http://h/p?k=a%3Db"},
    {"http://h/p", "k", "a+b", "http://h/p?k=a%2Bb"},
    {"http://h/p", "k", "100%", "http://h/p?k=100%25"},
    {"http://h/p", "k", "caf\xc3\xa9\xff", "http://h/p?k=caf%C3%A9%FF"},
    {"http://h/p", "k", "\x01\x7f?#[]@!$'()*,;\\\"",
     "http://h/p?k=%01%7F%3F%23%5B%5D%40%21%24%27%28%29%2A%2C%3B%5C%22"},
    {"http://h/p", "k", "AZaz09-._~", "http://h/p?k=AZaz09-._~"},
    {"http://h/p", "k", "", "http://h/p?k="},
    {"http://h/p", "a-Z.0_~", "v", "http://h/p?a-Z.0_~=v"},
    {"http://h", "k", "v", "http://h/?k=v"},
    {"http://h/p?a=1", "k", "v", "http://h/p?a=1&k=v"},
    {"http://h/p?", "k", "v", "http://h/p?k=v"},
    {"http://h/p?a=1&", "k", "v", "http://h/p?a=1&k=v"},
    {"http://h/p#frag", "k", "v", "http://h/p?k=v"},
    {"http://h/p?a#frag", "k", "v", "http://h/p?a&k=v"},
    {"HTTPS://Auth.Example:0443/token", "scope", "repository:a/b:pull,push",
     "https://auth.example:443/token?scope=repository%3Aa%2Fb%3Apull%2Cpush"},
    {"https://auth.example/token?service=r", "scope", "repository:a:pull repository:b:pull",
     "https://auth.example/token?service=r&scope=repository%3Aa%3Apull%20repository%3Ab%3Apull"},
    {"https://r/v2/x/blobs/uploads/u?_state=s", "digest", "sha256:0f",
     "https://r/v2/x/blobs/uploads/u?_state=s&digest=sha256%3A0f"},
    /* refused */
    {"http://h/p", "a b", "v", NULL},
    {"http://h/p", "a=b", "v", NULL},
    {"http://h/p", "a&b", "v", NULL},
    {"http://h/p", "", "v", NULL},
    {"http://h/p", NULL, "v", NULL},
    {"http://h/p", "k", NULL, NULL},
    {"ftp://h/p", "k", "v", NULL},
    {"http://u:p@h/p", "k", "v", NULL},
    {NULL, "k", "v", NULL},
};

static void test_add_query(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(addqs); i++) {
		const struct addq *a = &addqs[i];
		char *got;

		print_message("add \"%s\"=\"%s\" to \"%s\"\n", a->name != NULL ? a->name : "(null)",
		              a->value != NULL ? a->value : "(null)", a->url != NULL ? a->url : "(null)");
		got = sn_url_add_query(a->url, a->name, a->value);
		if (a->want == NULL) {
			assert_null(got);
			continue;
		}
		assert_non_null(got);
		assert_string_equal(got, a->want);
		free(got);
	}
}

/* ---- same host -------------------------------------------------------- */

struct same {
	const char *a, *b;
	int want;
};

static const struct same sames[] = {
    {"https://reg.example:5000/v2/", "https://REG.example:5000/x?y=1", 1},
    {"https://reg.example/v2/", "https://reg.example:443/", 1},
    {"http://reg.example/", "http://reg.example:80/x", 1},
    {"http://reg.example:443/", "https://reg.example/", 1}, /* whatever the scheme */
    {"HTTPS://Reg.Example/", "https://reg.example/", 1},
    {"https://[::1]:5000/v2/", "http://[::1]:5000/v2/x", 1},
    {"https://[::1]/", "https://[0:0:0:0:0:0:0:1]:443/", 1},
    {"https://[2001:DB8::1]/", "https://[2001:db8:0::1]/", 1},
    {"https://127.0.0.1:5000/", "https://127.0.0.1:5000/other", 1},
    {"https://reg.example/v2/", "http://reg.example/v2/", 0}, /* 443 vs 80 */
    {"https://reg.example/v2/", "https://storage.example/blob", 0},
    {"https://reg.example:5000/", "https://reg.example:5001/", 0},
    {"https://[::1]/", "https://[::2]/", 0},
    {"https://[::1]:5000/", "https://127.0.0.1:5000/", 0},
    {"https://[::ffff:127.0.0.1]/", "https://127.0.0.1/", 0},
    {"http://localhost/", "http://127.0.0.1/", 0},
    {"http://h/", "http://h./", 0},
    {"https://reg.example/", "not a url", 0},
    {"https://u:p@reg.example/", "https://reg.example/", 0},
    {"ftp://reg.example/", "ftp://reg.example/", 0},
    {NULL, "https://reg.example/", 0},
    {"https://reg.example/", NULL, 0},
};

static void test_same_host(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(sames); i++) {
		print_message("same host \"%s\" \"%s\"\n", sames[i].a != NULL ? sames[i].a : "(null)",
		              sames[i].b != NULL ? sames[i].b : "(null)");
		assert_int_equal(sn_url_same_host(sames[i].a, sames[i].b), sames[i].want);
		assert_int_equal(sn_url_same_host(sames[i].b, sames[i].a), sames[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),  cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_parse_null),  cmocka_unit_test(test_parse_long),
	    cmocka_unit_test(test_resolve_rfc), cmocka_unit_test(test_resolve_more),
	    cmocka_unit_test(test_add_query),   cmocka_unit_test(test_same_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
