/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_authfile.c: credentials from auth.json / config.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/registry.h"

/* base64 of "alice:s3cret", "bob:pw", "carol:pw3", "dave:", "alice" */
#define B64_ALICE      "YWxpY2U6czNjcmV0"
#define B64_BOB        "Ym9iOnB3"
#define B64_CAROL      "Y2Fyb2w6cHcz"
#define B64_DAVE_EMPTY "ZGF2ZTo="
#define B64_NOCOLON    "YWxpY2U="

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/signet-authfile-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/auth.json", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static const char *write_file(void **state, const char *text)
{
	struct fixture *f = *state;
	FILE *fp = fopen(f->path, "we");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	return f->path;
}

/* Looks up and checks the outcome: expect_user NULL means no credentials. */
static void expect_creds(const char *path, const char *domain, const char *repo, const char *expect_user,
                         const char *expect_pass)
{
	struct sn_err e = {0};
	struct sn_authfile_hit hit;

	memset(&hit, 0x5a, sizeof(hit));
	assert_int_equal(sn_authfile_lookup(&hit, path, 0, 1, domain, repo, &e), 0);
	assert_null(hit.helper);
	if (expect_user == NULL) {
		assert_null(hit.user);
		assert_null(hit.pass);
		assert_null(hit.key);
		return;
	}
	assert_non_null(hit.user);
	assert_non_null(hit.pass);
	assert_non_null(hit.key);
	assert_string_equal(hit.user, expect_user);
	assert_string_equal(hit.pass, expect_pass);
	sn_authfile_hit_clear(&hit);
}

/* Looks up, expects code, and that the message contains each of the given
 * fragments (NULL-terminated); the outputs stay untouched. */
static void expect_error(const char *path, const char *domain, const char *repo, int code, ...)
{
	struct sn_err e = {0};
	struct sn_authfile_hit hit, untouched;
	const char *frag;
	va_list ap;

	memset(&hit, 0x5a, sizeof(hit));
	untouched = hit;
	assert_int_equal(sn_authfile_lookup(&hit, path, 0, 1, domain, repo, &e), code);
	assert_int_equal(e.code, code);
	assert_memory_equal(&hit, &untouched, sizeof(hit));
	va_start(ap, code);
	while ((frag = va_arg(ap, const char *)) != NULL) {
		if (strstr(e.msg, frag) == NULL)
			fail_msg("message \"%s\" lacks \"%s\"", e.msg, frag);
	}
	va_end(ap);
}

static void test_host_key(void **state)
{
	const char *p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"}}}");

	expect_creds(p, "localhost:5000", "test/img", "alice", "s3cret");
	expect_creds(p, "localhost:5000", NULL, "alice", "s3cret");
	/* another registry, or the same host on another port: nothing */
	expect_creds(p, "localhost:5001", "test/img", NULL, NULL);
	expect_creds(p, "localhost", "test/img", NULL, NULL);
}

static void test_most_specific_wins(void **state)
{
	const char *p = write_file(state, "{\"auths\":{"
	                                  "\"reg.example.com\":{\"auth\":\"" B64_ALICE "\"},"
	                                  "\"reg.example.com/ns\":{\"auth\":\"" B64_BOB "\"},"
	                                  "\"reg.example.com/ns/repo\":{\"auth\":\"" B64_CAROL "\"}}}");

	expect_creds(p, "reg.example.com", "ns/repo", "carol", "pw3");
	expect_creds(p, "reg.example.com", "ns/repo/sub", "carol", "pw3");
	expect_creds(p, "reg.example.com", "ns/other", "bob", "pw");
	expect_creds(p, "reg.example.com", "ns", "bob", "pw");
	expect_creds(p, "reg.example.com", "nsx/repo", "alice", "s3cret");
	expect_creds(p, "reg.example.com", "other/repo", "alice", "s3cret");
	expect_creds(p, "reg.example.com", NULL, "alice", "s3cret");
}

static void test_docker_io_aliases(void **state)
{
	const char *p;

	/* docker login's key */
	p = write_file(state, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" B64_ALICE "\"}}}");
	expect_creds(p, "docker.io", "library/busybox", "alice", "s3cret");
	expect_creds(p, "quay.io", "library/busybox", NULL, NULL);

	p = write_file(state, "{\"auths\":{\"index.docker.io\":{\"auth\":\"" B64_BOB "\"}}}");
	expect_creds(p, "docker.io", "library/busybox", "bob", "pw");

	p = write_file(state, "{\"auths\":{\"registry-1.docker.io\":{\"auth\":\"" B64_BOB "\"}}}");
	expect_creds(p, "docker.io", "library/busybox", "bob", "pw");

	/* both legacy forms: the /v1/ key, deterministically */
	p = write_file(state, "{\"auths\":{\"index.docker.io\":{\"auth\":\"" B64_BOB "\"},"
	                      "\"https://index.docker.io/v1/\":{\"auth\":\"" B64_ALICE "\"}}}");
	expect_creds(p, "docker.io", "library/busybox", "alice", "s3cret");

	/* the normalized key beats the legacy ones; a repository key beats both */
	p = write_file(state, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" B64_ALICE "\"},"
	                      "\"docker.io\":{\"auth\":\"" B64_BOB "\"},"
	                      "\"docker.io/library/busybox\":{\"auth\":\"" B64_CAROL "\"}}}");
	expect_creds(p, "docker.io", "library/alpine", "bob", "pw");
	expect_creds(p, "docker.io", "library/busybox", "carol", "pw3");

	/* a URL key for another registry names its host only */
	p = write_file(state,
	               "{\"auths\":{\"https://reg.example.com:5000/v2/\":{\"auth\":\"" B64_ALICE "\"}}}");
	expect_creds(p, "reg.example.com:5000", "a/b", "alice", "s3cret");
	expect_creds(p, "reg.example.com", "a/b", NULL, NULL);
}

static void test_username_password_form(void **state)
{
	const char *p =
	    write_file(state, "{\"auths\":{\"localhost:5000\":{\"username\":\"u1\",\"password\":\"p:1\","
	                      "\"email\":\"ignored@example.com\"}}}");

	expect_creds(p, "localhost:5000", "a/b", "u1", "p:1");

	/* "auth" wins over username/password */
	p = write_file(state,
	               "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\",\"username\":\"u1\","
	               "\"password\":\"p1\"}}}");
	expect_creds(p, "localhost:5000", "a/b", "alice", "s3cret");

	/* an empty password is a password */
	p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_DAVE_EMPTY "\"}}}");
	expect_creds(p, "localhost:5000", "a/b", "dave", "");

	p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"username\":\"u1\"}}}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "auths[\"localhost:5000\"]",
	             "\"username\" without \"password\"", NULL);
}

static void test_no_credentials(void **state)
{
	struct fixture *f = *state;
	char missing[160];
	const char *p;

	/* A file that does not exist: no credentials (skopeo). */
	snprintf(missing, sizeof(missing), "%s/absent.json", f->dir);
	expect_creds(missing, "localhost:5000", "a/b", NULL, NULL);

	p = write_file(state, "{}");
	expect_creds(p, "localhost:5000", "a/b", NULL, NULL);
	/* docker writes {} when a credential helper holds the secret */
	p = write_file(state, "{\"auths\":{\"localhost:5000\":{}}}");
	expect_creds(p, "localhost:5000", "a/b", NULL, NULL);
	p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"\"}}}");
	expect_creds(p, "localhost:5000", "a/b", NULL, NULL);
	/* a more specific key without credentials still wins */
	p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"},"
	                      "\"localhost:5000/a/b\":{}}}");
	expect_creds(p, "localhost:5000", "a/b", NULL, NULL);
}

static void test_invalid_base64(void **state)
{
	static const char *bad[] = {
	    "not base64!",
	    "YWxpY2U6czNjcmV0=",    /* length not a multiple of 4 */
	    "YWxpY2U6 czNjcmV0",    /* whitespace */
	    "YWxp\\nY2U6czNjcmV0",  /* newline */
	    "YW=pY2U6czNjcmV0",     /* padding inside */
	    "Ym9iOnB3====",         /* too much padding */
	    "ZGF2ZTp=",             /* non-canonical: unused bits set */
	    "YWxpY2U6czNjcmV0-_==", /* URL alphabet */
	};
	char text[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{\"auths\":{\"localhost:5000\":{\"auth\":\"%s\"}}}", bad[i]);
		expect_error(write_file(state, text), "localhost:5000", "a/b", SIGNET_EBADINPUT,
		             "auth file /tmp/", "auths[\"localhost:5000\"].auth", "invalid base64", NULL);
	}
}

static void test_missing_colon(void **state)
{
	const char *p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_NOCOLON "\"}}}");

	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "auths[\"localhost:5000\"].auth", "no ':'",
	             NULL);
	/* ":pw": an empty user name */
	p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"OnB3\"}}}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "empty user name", NULL);
	/* "a\0:b" */
	p = write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"YQA6Yg==\"}}}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "NUL", NULL);
}

static void test_wrong_types(void **state)
{
	expect_error(write_file(state, "[]"), "localhost:5000", NULL, SIGNET_EBADINPUT, "not a JSON object",
	             NULL);
	expect_error(write_file(state, "{\"auths\":[]}"), "localhost:5000", NULL, SIGNET_EBADINPUT,
	             "auths: not an object", NULL);
	expect_error(write_file(state, "{\"auths\":{\"localhost:5000\":\"" B64_ALICE "\"}}"),
	             "localhost:5000", NULL, SIGNET_EBADINPUT, "auths[\"localhost:5000\"]: not an object",
	             NULL);
	expect_error(write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":42}}}"), "localhost:5000",
	             NULL, SIGNET_EBADINPUT, "auths[\"localhost:5000\"].auth: not a string", NULL);
	expect_error(
	    write_file(state, "{\"auths\":{\"localhost:5000\":{\"username\":[],\"password\":\"x\"}}}"),
	    "localhost:5000", NULL, SIGNET_EBADINPUT, "auths[\"localhost:5000\"].username: not a string",
	    NULL);
	expect_error(
	    write_file(state, "{\"auths\":{\"localhost:5000\":{\"username\":\"u\",\"password\":null}}}"),
	    "localhost:5000", NULL, SIGNET_EBADINPUT, "auths[\"localhost:5000\"].password: not a string",
	    NULL);
	/* The whole file is checked, not only the entry that is used. */
	expect_error(write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"},"
	                               "\"other.example\":{\"auth\":\"!!!!\"}}}"),
	             "localhost:5000", "a/b", SIGNET_EBADINPUT, "auths[\"other.example\"].auth",
	             "invalid base64", NULL);
	expect_error(write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"}}} x"),
	             "localhost:5000", "a/b", SIGNET_EBADINPUT, "auth file /tmp/", NULL);
}

/* A syntax error's message gives the place, never the text near it (a
 * secret, here the base64 of a password cut short). */
static void test_syntax_error_hides_text(void **state)
{
	struct sn_err e = {0};
	struct sn_authfile_hit hit;

	write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE);
	assert_int_equal(
	    sn_authfile_lookup(&hit, ((struct fixture *)*state)->path, 0, 1, "localhost:5000", "a/b", &e),
	    SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "invalid JSON at line 1, column "));
	assert_null(strstr(e.msg, "YWxp"));
}

static void test_duplicate_keys(void **state)
{
	expect_error(write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"},"
	                               "\"localhost:5000\":{\"auth\":\"" B64_BOB "\"}}}"),
	             "localhost:5000", "a/b", SIGNET_EBADINPUT, "auth file /tmp/", "duplicate", NULL);
	expect_error(write_file(state, "{\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE
	                               "\",\"auth\":\"" B64_BOB "\"}}}"),
	             "localhost:5000", "a/b", SIGNET_EBADINPUT, "duplicate", NULL);
	expect_error(write_file(state, "{\"auths\":{},\"auths\":{}}"), "localhost:5000", "a/b",
	             SIGNET_EBADINPUT, "duplicate", NULL);
}

/* Looks up with legacy as given, expects the helper name and key. */
static void expect_helper(const char *path, const char *domain, const char *helper, const char *key)
{
	struct sn_err e = {0};
	struct sn_authfile_hit hit;

	assert_int_equal(sn_authfile_lookup(&hit, path, 0, 1, domain, "a/b", &e), 0);
	assert_null(hit.user);
	assert_null(hit.pass);
	if (helper == NULL) {
		assert_null(hit.helper);
		assert_null(hit.key);
		return;
	}
	assert_non_null(hit.helper);
	assert_string_equal(hit.helper, helper);
	assert_string_equal(hit.key, key);
	sn_authfile_hit_clear(&hit);
}

/* credHelpers for the host first, then the credsStore default, both
 * before auths (docker's order). */
static void test_helpers(void **state)
{
	const char *p;

	p = write_file(state, "{\"credsStore\":\"desktop\",\"auths\":{}}");
	expect_helper(p, "localhost:5000", "desktop", "credsStore");
	p = write_file(state, "{\"credsStore\":\"desktop\",\"credHelpers\":{\"localhost:5000\":\"pass\"},"
	                      "\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"}}}");
	expect_helper(p, "localhost:5000", "pass", "credHelpers[\"localhost:5000\"]");
	expect_helper(p, "other:5000", "desktop", "credsStore");
	/* docker.io's names are one */
	p = write_file(state, "{\"credHelpers\":{\"index.docker.io\":\"gcr-x.y\"}}");
	expect_helper(p, "docker.io", "gcr-x.y", "credHelpers[\"index.docker.io\"]");
	/* a helper for another host, and "" as the store: the auths entry */
	p = write_file(state, "{\"credsStore\":\"\",\"credHelpers\":{\"other\":\"pass\"},"
	                      "\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"}}}");
	expect_creds(p, "localhost:5000", "a/b", "alice", "s3cret");
	p = write_file(state, "{\"credHelpers\":{\"other\":\"pass\"}}");
	expect_helper(p, "localhost:5000", NULL, NULL);

	/* names are program names, never paths; types are checked */
	p = write_file(state, "{\"credHelpers\":{\"localhost:5000\":\"../../bin/sh\"}}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, p,
	             "credHelpers[\"localhost:5000\"]: not a helper name", NULL);
	p = write_file(state, "{\"credHelpers\":{\"x\":\"\"}}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "credHelpers[\"x\"]: not a helper name",
	             NULL);
	p = write_file(state, "{\"credsStore\":\"a b\"}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "credsStore: not a helper name", NULL);
	p = write_file(state, "{\"credsStore\":1}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "credsStore: not a string", NULL);
	p = write_file(state, "{\"credHelpers\":[]}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT, "credHelpers: not an object", NULL);
	p = write_file(state, "{\"credHelpers\":{\"localhost:5000\":3}}");
	expect_error(p, "localhost:5000", "a/b", SIGNET_EBADINPUT,
	             "credHelpers[\"localhost:5000\"]: not a string", NULL);
}

/* Helpers not enabled (libsignet callers of options versions 1 and 2):
 * credHelpers and credsStore are not read, not even checked; auths answer. */
static void test_helpers_off(void **state)
{
	struct sn_err e = {0};
	struct sn_authfile_hit hit;
	const char *p;

	p = write_file(state, "{\"credsStore\":\"desktop\",\"credHelpers\":{\"localhost:5000\":\"../x\"},"
	                      "\"auths\":{\"localhost:5000\":{\"auth\":\"" B64_ALICE "\"}}}");
	assert_int_equal(sn_authfile_lookup(&hit, p, 0, 0, "localhost:5000", "a/b", &e), 0);
	assert_null(hit.helper);
	assert_string_equal(hit.user, "alice");
	assert_string_equal(hit.pass, "s3cret");
	assert_string_equal(hit.key, "auths[\"localhost:5000\"]");
	sn_authfile_hit_clear(&hit);
}

/* ~/.dockercfg: the auths map at the top level, registry keys only. */
static void test_legacy_format(void **state)
{
	struct sn_err e = {0};
	struct sn_authfile_hit hit;
	const char *p;

	p = write_file(state, "{\"https://localhost:5000/v1/\":{\"auth\":\"" B64_ALICE "\"},"
	                      "\"credsStore\":{}}");
	assert_int_equal(sn_authfile_lookup(&hit, p, 1, 1, "localhost:5000", "a/b", &e), 0);
	assert_string_equal(hit.user, "alice");
	assert_string_equal(hit.pass, "s3cret");
	assert_null(hit.helper);
	sn_authfile_hit_clear(&hit);
	/* not a namespace key in this format */
	p = write_file(state, "{\"localhost:5000/a\":{\"auth\":\"" B64_ALICE "\"}}");
	assert_int_equal(sn_authfile_lookup(&hit, p, 1, 1, "localhost:5000", "a/b", &e), 0);
	assert_null(hit.user);
	/* entries are checked as in auths */
	p = write_file(state, "{\"localhost:5000\":{\"auth\":\"!\"}}");
	assert_int_equal(sn_authfile_lookup(&hit, p, 1, 1, "localhost:5000", "a/b", &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, ": [\"localhost:5000\"].auth: invalid base64"));
}

static void test_file_too_large(void **state)
{
	size_t n = SIGNET_MAX_AUTHFILE_SIZE + 1;
	char *text = malloc(n + 1);
	const char *head = "{\"auths\":{},\"pad\":\"";

	assert_non_null(text);
	memset(text, 'x', n);
	memcpy(text, head, strlen(head));
	memcpy(text + n - 2, "\"}", 2);
	text[n] = '\0';
	expect_error(write_file(state, text), "localhost:5000", "a/b", SIGNET_ELIMIT,
	             "limit of 1048576 bytes", "SIGNET_MAX_AUTHFILE_SIZE", NULL);
	/* exactly at the limit is fine */
	text[n - 3] = '"';
	text[n - 2] = '}';
	text[n - 1] = '\0';
	expect_creds(write_file(state, text), "localhost:5000", "a/b", NULL, NULL);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_host_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_most_specific_wins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_docker_io_aliases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_username_password_form, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_credentials, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_base64, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_colon, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_syntax_error_hides_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_too_large, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_helpers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_legacy_format, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_helpers_off, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
