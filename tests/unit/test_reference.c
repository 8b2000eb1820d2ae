/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_reference.c: image references (registry/reference.c).
 *
 * One table of inputs, each with the exact normalized result (every field
 * of struct sn_ref) or the exact error code and what the message must say.
 * Each row runs as its own cmocka test, named after its input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry/registry.h"

#define H64   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H64UP "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"
#define H32   "0123456789abcdef0123456789abcdef"
#define D256  "sha256:" H64
#define D512  "sha512:" H64 H64

#define A10  "aaaaaaaaaa"
#define A50  A10 A10 A10 A10 A10
#define A100 A50 A50
#define A237 A100 A100 A10 A10 A10 "aaaaaaa" /* docker.io/library/ + 237 = 255 */
#define A243 A100 A100 A10 A10 A10 A10 "aaa" /* example.com/ + 243 = 255 */
#define T128 "t" A100 A10 A10 "aaaaaaa"

enum fn { PARSE = 0, PARSE_DOCKER = 1 };

struct tcase {
	const char *in;
	enum fn fn;
	int rc;
	/* on success */
	enum signet_transport transport;
	const char *string, *name, *domain, *path, *tag, *digest, *dir;
	/* on failure: both must occur in the message (msg2 may be NULL) */
	const char *msg1, *msg2;
};

/* A docker reference: string, name, domain, path, tag, digest. */
#define OK(in_, str_, name_, dom_, path_, tag_, dig_)                                                        \
	{                                                                                                    \
		.in = (in_), .fn = PARSE, .rc = 0, .transport = SIGNET_TRANSPORT_DOCKER, .string = (str_),   \
		.name = (name_), .domain = (dom_), .path = (path_), .tag = (tag_), .digest = (dig_)          \
	}
/* The same through sn_ref_parse_docker. */
#define OKD(in_, str_, name_, dom_, path_, tag_, dig_)                                                       \
	{                                                                                                    \
		.in = (in_), .fn = PARSE_DOCKER, .rc = 0, .transport = SIGNET_TRANSPORT_DOCKER,              \
		.string = (str_), .name = (name_), .domain = (dom_), .path = (path_), .tag = (tag_),         \
		.digest = (dig_)                                                                             \
	}
#define OK_OCI(in_, dir_, ref_, str_)                                                                        \
	{                                                                                                    \
		.in = (in_), .fn = PARSE, .rc = 0, .transport = SIGNET_TRANSPORT_OCI, .string = (str_),      \
		.name = (dir_), .tag = (ref_), .dir = (dir_)                                                 \
	}
#define OK_DIR(in_, dir_, str_)                                                                              \
	{                                                                                                    \
		.in = (in_), .fn = PARSE, .rc = 0, .transport = SIGNET_TRANSPORT_DIR, .string = (str_),      \
		.name = (dir_), .dir = (dir_)                                                                \
	}
#define BAD(in_, m1_, m2_)                                                                                   \
	{                                                                                                    \
		.in = (in_), .fn = PARSE, .rc = SIGNET_EBADINPUT, .msg1 = (m1_), .msg2 = (m2_)               \
	}
#define BADD(in_, m1_, m2_)                                                                                  \
	{                                                                                                    \
		.in = (in_), .fn = PARSE_DOCKER, .rc = SIGNET_EBADINPUT, .msg1 = (m1_), .msg2 = (m2_)        \
	}

#define LIB "docker.io/library/"

static const struct tcase cases[] = {
    /* ---- defaults: domain, library/, latest ---- */
    OK("busybox", LIB "busybox:latest", LIB "busybox", "docker.io", "library/busybox", "latest", NULL),
    OK("docker://busybox", LIB "busybox:latest", LIB "busybox", "docker.io", "library/busybox", "latest",
       NULL),
    OK("x", LIB "x:latest", LIB "x", "docker.io", "library/x", "latest", NULL),
    OK("busybox:1.36", LIB "busybox:1.36", LIB "busybox", "docker.io", "library/busybox", "1.36", NULL),
    OK("library/busybox", LIB "busybox:latest", LIB "busybox", "docker.io", "library/busybox", "latest",
       NULL),
    OK("docker.io/busybox", LIB "busybox:latest", LIB "busybox", "docker.io", "library/busybox", "latest",
       NULL),
    OK("docker.io/library/busybox:latest", LIB "busybox:latest", LIB "busybox", "docker.io",
       "library/busybox", "latest", NULL),
    OK("index.docker.io/busybox", LIB "busybox:latest", LIB "busybox", "docker.io", "library/busybox",
       "latest", NULL),
    OK("docker://index.docker.io/foo/bar:v1", "docker.io/foo/bar:v1", "docker.io/foo/bar", "docker.io",
       "foo/bar", "v1", NULL),
    OK("foo/bar", "docker.io/foo/bar:latest", "docker.io/foo/bar", "docker.io", "foo/bar", "latest", NULL),
    OK("foo/bar/baz", "docker.io/foo/bar/baz:latest", "docker.io/foo/bar/baz", "docker.io", "foo/bar/baz",
       "latest", NULL),
    /* other registries never get library/ */
    OK("quay.io/bar", "quay.io/bar:latest", "quay.io/bar", "quay.io", "bar", "latest", NULL),
    OK("docker://quay.io/foo/bar:v2", "quay.io/foo/bar:v2", "quay.io/foo/bar", "quay.io", "foo/bar", "v2",
       NULL),
    OK("registry-1.docker.io/busybox", "registry-1.docker.io/busybox:latest", "registry-1.docker.io/busybox",
       "registry-1.docker.io", "busybox", "latest", NULL),
    /* ---- hosts: localhost, ports, IP addresses, IPv6, case ---- */
    OK("localhost/foo", "localhost/foo:latest", "localhost/foo", "localhost", "foo", "latest", NULL),
    OK("localhost:5000/foo:v1", "localhost:5000/foo:v1", "localhost:5000/foo", "localhost:5000", "foo", "v1",
       NULL),
    OK("docker://localhost:5000/a/b@" D256, "localhost:5000/a/b@" D256, "localhost:5000/a/b",
       "localhost:5000", "a/b", NULL, D256),
    OK("127.0.0.1:5000/x", "127.0.0.1:5000/x:latest", "127.0.0.1:5000/x", "127.0.0.1:5000", "x", "latest",
       NULL),
    OK("example.com:8443/ns/img:1", "example.com:8443/ns/img:1", "example.com:8443/ns/img",
       "example.com:8443", "ns/img", "1", NULL),
    OK("a-b.example/x", "a-b.example/x:latest", "a-b.example/x", "a-b.example", "x", "latest", NULL),
    OK("[::1]:5000/x:t", "[::1]:5000/x:t", "[::1]:5000/x", "[::1]:5000", "x", "t", NULL),
    OK("[::1]/x", "[::1]/x:latest", "[::1]/x", "[::1]", "x", "latest", NULL),
    OK("docker://[2001:DB8::1]:443/ns/img", "[2001:DB8::1]:443/ns/img:latest", "[2001:DB8::1]:443/ns/img",
       "[2001:DB8::1]:443", "ns/img", "latest", NULL),
    /* upper case is allowed in the domain, kept as written */
    OK("Example.COM/foo", "Example.COM/foo:latest", "Example.COM/foo", "Example.COM", "foo", "latest", NULL),
    /* a bare name is never a domain, even when it looks like one
     * ("localhost:5000" is the image localhost, tag 5000) */
    OK("localhost", LIB "localhost:latest", LIB "localhost", "docker.io", "library/localhost", "latest",
       NULL),
    OK("localhost:5000", LIB "localhost:5000", LIB "localhost", "docker.io", "library/localhost", "5000",
       NULL),
    OK("example.com", LIB "example.com:latest", LIB "example.com", "docker.io", "library/example.com",
       "latest", NULL),
    /* ---- path components ---- */
    OK("ns/a.b_c__d-e---f", "docker.io/ns/a.b_c__d-e---f:latest", "docker.io/ns/a.b_c__d-e---f", "docker.io",
       "ns/a.b_c__d-e---f", "latest", NULL),
    OK("a_b-c", LIB "a_b-c:latest", LIB "a_b-c", "docker.io", "library/a_b-c", "latest", NULL),
    OK("0/1", "docker.io/0/1:latest", "docker.io/0/1", "docker.io", "0/1", "latest", NULL),
    /* ---- tags ---- */
    OK("foo:A_b.c-D", LIB "foo:A_b.c-D", LIB "foo", "docker.io", "library/foo", "A_b.c-D", NULL),
    OK("foo:_x", LIB "foo:_x", LIB "foo", "docker.io", "library/foo", "_x", NULL),
    OK("foo:" T128, LIB "foo:" T128, LIB "foo", "docker.io", "library/foo", T128, NULL),
    /* podman reads a bare "docker:latest" as the image "docker" */
    OK("docker:latest", LIB "docker:latest", LIB "docker", "docker.io", "library/docker", "latest", NULL),
    OK("foo:bar", LIB "foo:bar", LIB "foo", "docker.io", "library/foo", "bar", NULL),
    /* ---- digests, tag + digest ---- */
    OK("foo@" D256, LIB "foo@" D256, LIB "foo", "docker.io", "library/foo", NULL, D256),
    OK("foo:v1@" D256, LIB "foo:v1@" D256, LIB "foo", "docker.io", "library/foo", "v1", D256),
    OK("foo@" D512, LIB "foo@" D512, LIB "foo", "docker.io", "library/foo", NULL, D512),
    OK("docker://quay.io/a/b:v1@" D512, "quay.io/a/b:v1@" D512, "quay.io/a/b", "quay.io", "a/b", "v1", D512),
    /* ---- 64 hex digits are refused only as the whole input ---- */
    OK(H64 ":v1", LIB H64 ":v1", LIB H64, "docker.io", "library/" H64, "v1", NULL),
    OK("docker.io/" H64, LIB H64 ":latest", LIB H64, "docker.io", "library/" H64, "latest", NULL),
    /* ---- length: domain + "/" + path after normalization, at most 255 ---- */
    OK("example.com/" A243, "example.com/" A243 ":latest", "example.com/" A243, "example.com", A243, "latest",
       NULL),
    OK(A237, LIB A237 ":latest", LIB A237, "docker.io", "library/" A237, "latest", NULL),
    /* ---- sn_ref_parse_docker ---- */
    OKD("busybox", LIB "busybox:latest", LIB "busybox", "docker.io", "library/busybox", "latest", NULL),
    OKD("localhost:5000/a@" D256, "localhost:5000/a@" D256, "localhost:5000/a", "localhost:5000", "a", NULL,
        D256),

    /* ---- invalid docker references ---- */
    BAD("", "empty", NULL),
    BAD("docker://", "at least one component", NULL),
    /* found by fuzz_reference: written back, these would name a layout */
    BAD("docker://oci:5/d", "named like a transport", "\"oci:5\""),
    BAD("docker://dir:5/d", "named like a transport", NULL),
    BAD("docker://sif:5/d", "named like a transport", NULL),
    BAD("Busybox", "must be lowercase", "\"Busybox\""),
    BAD("docker.io/Library/busybox", "must be lowercase", "\"Library/busybox\""),
    BAD("Foo/bar", "must be lowercase", "\"Foo/bar\""),
    BAD("localhost:5000/Foo:v1", "must be lowercase", "\"Foo\""),
    BAD("foo/Bar@" D256, "must be lowercase", "\"foo/Bar\""),
    BAD(H64, "cannot specify 64-byte hexadecimal strings", NULL),
    BAD("docker://" H64, "cannot specify 64-byte hexadecimal strings", NULL),
    BAD("example.com/" A243 "a", "must not be more than 255 characters", "has 256"),
    BAD(A237 "a", "must not be more than 255 characters", "has 256"),
    /* hosts */
    BAD("foo_bar.com/x", "\"foo_bar.com\" is not a valid registry host", NULL),
    BAD("-example.com/x", "\"-example.com\" is not a valid registry host", NULL),
    BAD("example-.com/x", "\"example-.com\" is not a valid registry host", NULL),
    BAD("example..com/x", "\"example..com\" is not a valid registry host", NULL),
    BAD("example.com:/x", "\"example.com:\" is not a valid registry host", NULL),
    BAD("example.com:80a/x", "\"example.com:80a\" is not a valid registry host", NULL),
    BAD("[::1/x", "\"[::1\" is not a valid registry host", NULL),
    BAD("[]:5000/x", "\"[]:5000\" is not a valid registry host", NULL),
    BAD("[::g]/x", "\"[::g]\" is not a valid registry host", NULL),
    BAD("[::1]5000/x", "\"[::1]5000\" is not a valid registry host", NULL),
    BAD("docker://docker://busybox", "\"docker:\" is not a valid registry host", NULL),
    /* paths */
    BAD("foo/", "empty path component", NULL),
    BAD("foo//bar", "empty path component", NULL),
    BAD("/foo", "empty path component", NULL),
    BAD("quay.io//foo", "empty path component", NULL),
    BAD("localhost/", "repository path is empty", NULL),
    BAD("localhost/:v1", "repository path is empty", NULL),
    BAD("foo_/bar", "path component \"foo_\" is not valid", NULL),
    BAD("foo___bar", "path component \"foo___bar\" is not valid", NULL),
    BAD("foo..bar", "path component \"foo..bar\" is not valid", NULL),
    BAD("-foo", "path component \"-foo\" is not valid", NULL),
    BAD("foo.-bar", "path component \"foo.-bar\" is not valid", NULL),
    BAD("foo bar", "path component \"foo bar\" is not valid", NULL),
    BAD("foo\001bar", "path component \"foo\\x01bar\" is not valid", "\"foo\\x01bar\": "),
    /* tags */
    BAD("foo:", "':' is not followed by a tag", NULL),
    BAD("foo:" T128 "a", "the tag has 129 characters, more than 128", NULL),
    BAD("foo:.bar", "tag \".bar\" is not valid", NULL),
    BAD("foo:-bar", "tag \"-bar\" is not valid", NULL),
    BAD("foo:a:b", "tag \"a:b\" is not valid", NULL),
    /* a ':' before the first '/' makes that component a host */
    BAD("foo:a/b", "\"foo:a\" is not a valid registry host", NULL),
    /* digests */
    BAD("foo@", "'@' is not followed by a digest", NULL),
    BAD("foo:v1@", "'@' is not followed by a digest", NULL),
    BAD("foo@sha256", "digest \"sha256\" is not ALGORITHM:HEX", NULL),
    BAD("foo@sha256:abc", "digest \"sha256:abc\" is not ALGORITHM:HEX", NULL),
    BAD("foo@@" D256, "digest \"@" D256 "\" is not ALGORITHM:HEX", NULL),
    BAD("foo@" D256 "x", "is not ALGORITHM:HEX", NULL),
    BAD("foo@sha256:" H64 "0", "invalid digest", "needs 64 hex digits"),
    BAD("foo@sha256:" H32 "0123456789abcdef0123456789abcde", "invalid digest", "needs 64 hex digits"),
    BAD("foo@sha256:" H64UP, "invalid digest", "not lowercase hexadecimal"),
    BAD("foo@md5:" H32, "invalid digest", "unsupported algorithm"),
    BAD("foo@sha384:" H64 H32, "invalid digest", "unsupported algorithm"),
    BAD("foo@SHA256:" H64, "invalid digest", "unsupported algorithm"),
    BAD("foo@sha512:" H64, "invalid digest", "needs 128 hex digits"),
    /* transports */
    BAD("docker:/busybox", "written \"docker://NAME\"", NULL),
    BAD("containers-storage:busybox", "transport \"containers-storage\" is not supported", NULL),
    BAD("docker-archive:/tmp/x.tar", "transport \"docker-archive\" is not supported", NULL),
    BAD("tarball:foo", "transport \"tarball\" is not supported", NULL),
    BADD("docker://busybox", "\"docker:\" is not a valid registry host", NULL),
    BADD("oci:/x", "\"oci:\" is not a valid registry host", NULL),
    BADD("", "at least one component", NULL),

    /* ---- oci: ---- */
    OK_OCI("oci:/tmp/layout", "/tmp/layout", NULL, "oci:/tmp/layout"),
    OK_OCI("oci:/tmp/layout:v1", "/tmp/layout", "v1", "oci:/tmp/layout:v1"),
    OK_OCI("oci:/tmp/layout:", "/tmp/layout", NULL, "oci:/tmp/layout"),
    OK_OCI("oci:layout", "layout", NULL, "oci:layout"),
    /* the path ends at the first ':' (as skopeo); the rest is the REF */
    OK_OCI("oci:/l:a:b", "/l", "a:b", "oci:/l:a:b"),
    OK_OCI("oci:/l:example.com/repo:v1.0", "/l", "example.com/repo:v1.0", "oci:/l:example.com/repo:v1.0"),
    OK_OCI("oci:/l:A--b+c@d_e.F", "/l", "A--b+c@d_e.F", "oci:/l:A--b+c@d_e.F"),
    BAD("oci:", "oci: needs a directory path", NULL),
    BAD("oci::v1", "oci: needs a directory path", NULL),
    BAD("oci:/l:a b", "\"a b\" is not a valid OCI reference name", NULL),
    BAD("oci:/l:a//b", "\"a//b\" is not a valid OCI reference name", NULL),
    BAD("oci:/l:a---b", "\"a---b\" is not a valid OCI reference name", NULL),
    BAD("oci:/l:-a", "\"-a\" is not a valid OCI reference name", NULL),
    BAD("oci:/l:a/", "\"a/\" is not a valid OCI reference name", NULL),
    BAD("oci:/l:@0", "\"@INDEX\" form", "not supported"),

    /* ---- dir: ---- */
    OK_DIR("dir:/tmp/img", "/tmp/img", "dir:/tmp/img"),
    OK_DIR("dir:/tmp/a:b", "/tmp/a:b", "dir:/tmp/a:b"),
    OK_DIR("dir:relative/x", "relative/x", "dir:relative/x"),
    BAD("dir:", "dir: needs a directory path", NULL),
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void assert_str_or_null(const char *what, const char *got, const char *want)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL)
		fail_msg("%s: got %s%s%s, want %s%s%s", what, got ? "\"" : "", got ? got : "NULL",
		         got ? "\"" : "", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	assert_string_equal(got, want);
}

static void assert_ref(const struct sn_ref *r, const struct tcase *c)
{
	assert_int_equal(r->transport, c->transport);
	assert_str_or_null("string", r->string, c->string);
	assert_str_or_null("name", r->name, c->name);
	assert_str_or_null("domain", r->domain, c->domain);
	assert_str_or_null("path", r->path, c->path);
	assert_str_or_null("tag", r->tag, c->tag);
	assert_str_or_null("digest", r->digest, c->digest);
	assert_str_or_null("dir", r->dir, c->dir);
}

static int run_parse(const struct tcase *c, struct sn_ref **out, struct sn_err *e)
{
	return c->fn == PARSE ? sn_ref_parse(out, c->in, e) : sn_ref_parse_docker(out, c->in, e);
}

static int has_special(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 1;
	return 0;
}

static void test_case(void **state)
{
	const struct tcase *c = *state;
	struct sn_ref *sentinel = (struct sn_ref *)(uintptr_t)0x1;
	struct sn_ref *r = sentinel, *copy = NULL;
	struct sn_err e;
	int rc;

	sn_err_clear(&e);
	rc = run_parse(c, &r, &e);
	if (rc != c->rc)
		fail_msg("\"%s\": rc %d, want %d (message: %s)", c->in, rc, c->rc, e.msg);
	if (c->rc == 0) {
		assert_non_null(r);
		assert_ptr_not_equal(r, sentinel);
		assert_ref(r, c);
		/* a deep copy is equal and independent */
		assert_int_equal(sn_ref_dup(&copy, r, &e), 0);
		sn_ref_free(r);
		assert_ref(copy, c);
		sn_ref_free(copy);
		/* the normalized string parses to itself */
		r = NULL;
		if (c->transport == SIGNET_TRANSPORT_DOCKER)
			assert_int_equal(sn_ref_parse_docker(&r, c->string, &e), 0);
		else
			assert_int_equal(sn_ref_parse(&r, c->string, &e), 0);
		assert_ref(r, c);
		sn_ref_free(r);
		return;
	}
	/* failure: out untouched, code and message as expected */
	assert_ptr_equal(r, sentinel);
	assert_int_equal(e.code, c->rc);
	if (strstr(e.msg, c->msg1) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", c->in, e.msg, c->msg1);
	if (c->msg2 != NULL && strstr(e.msg, c->msg2) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", c->in, e.msg, c->msg2);
	/* the message quotes the input */
	if (!has_special(c->in) && strlen(c->in) <= 300) {
		char want[512];

		(void)snprintf(want, sizeof(want), "image reference \"%s\": ", c->in);
		if (strncmp(e.msg, want, strlen(want)) != 0)
			fail_msg("message \"%s\" does not start with \"%s\"", e.msg, want);
	} else {
		assert_true(strncmp(e.msg, "image reference \"", 17) == 0);
	}
	/* the same without an error structure */
	assert_int_equal(run_parse(c, &r, NULL), c->rc);
	assert_ptr_equal(r, sentinel);
}

/* ---- cases that do not fit the table -------------------------------- */

static void test_null_arguments(void **state)
{
	struct sn_ref *r = NULL;
	struct sn_err e;

	(void)state;
	sn_err_clear(&e);
	assert_int_equal(sn_ref_parse(&r, NULL, &e), SIGNET_EINVAL);
	assert_int_equal(sn_ref_parse(NULL, "busybox", &e), SIGNET_EINVAL);
	assert_int_equal(sn_ref_parse_docker(&r, NULL, &e), SIGNET_EINVAL);
	assert_int_equal(sn_ref_dup(&r, NULL, &e), SIGNET_EINVAL);
	assert_null(r);
	sn_ref_free(NULL);
}

static void test_long_paths(void **state)
{
	size_t n = PATH_MAX + 16;
	char *text = malloc(n);
	struct sn_ref *r = NULL;
	struct sn_err e;

	(void)state;
	assert_non_null(text);
	/* "dir:" + PATH_MAX - 1 bytes is the longest accepted */
	memcpy(text, "dir:", 4);
	memset(text + 4, 'p', PATH_MAX - 1);
	text[4 + PATH_MAX - 1] = '\0';
	assert_int_equal(sn_ref_parse(&r, text, &e), 0);
	assert_int_equal(strlen(r->dir), PATH_MAX - 1);
	sn_ref_free(r);
	r = NULL;
	text[4 + PATH_MAX - 1] = 'p';
	text[4 + PATH_MAX] = '\0';
	assert_int_equal(sn_ref_parse(&r, text, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "path is longer than"));
	/* long inputs are quoted truncated, the message stays bounded */
	assert_non_null(strstr(e.msg, "...\""));
	assert_null(r);
	memcpy(text, "oci:", 4);
	text[4 + PATH_MAX - 1] = ':';
	memcpy(text + 4 + PATH_MAX, "v1", 3);
	assert_int_equal(sn_ref_parse(&r, text, &e), 0);
	assert_string_equal(r->tag, "v1");
	sn_ref_free(r);
	r = NULL;
	text[4 + PATH_MAX - 1] = 'p';
	text[4 + PATH_MAX] = ':';
	memcpy(text + 4 + PATH_MAX + 1, "v1", 3);
	assert_int_equal(sn_ref_parse(&r, text, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "path is longer than"));
	free(text);
}

/* A huge docker name is refused by length, not by anything slower. */
static void test_huge_name(void **state)
{
	size_t n = 1u << 20;
	char *text = malloc(n + 1);
	struct sn_ref *r = NULL;
	struct sn_err e;

	(void)state;
	assert_non_null(text);
	memset(text, 'a', n);
	text[n] = '\0';
	assert_int_equal(sn_ref_parse(&r, text, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "must not be more than 255 characters"));
	assert_true(strlen(e.msg) < 2048);
	assert_null(r);
	free(text);
}

int main(void)
{
	size_t n_extra = 3, n = N_CASES + n_extra, i;
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	char(*names)[96] = calloc(N_CASES, sizeof(*names));
	int rc;

	if (tests == NULL || names == NULL)
		return 1;
	for (i = 0; i < N_CASES; i++) {
		(void)snprintf(names[i], sizeof(names[i]), "%s %zu \"%.60s%s\"",
		               cases[i].fn == PARSE ? "parse" : "parse_docker", i, cases[i].in,
		               strlen(cases[i].in) > 60 ? "..." : "");
		tests[i].name = names[i];
		tests[i].test_func = test_case;
		tests[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	tests[i].name = "null arguments";
	tests[i++].test_func = test_null_arguments;
	tests[i].name = "long oci: and dir: paths";
	tests[i++].test_func = test_long_paths;
	tests[i].name = "huge docker name";
	tests[i++].test_func = test_huge_name;
	rc = _cmocka_run_group_tests("reference", tests, n, NULL, NULL);
	free(tests);
	free(names);
	return rc;
}
