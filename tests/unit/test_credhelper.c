/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_credhelper.c: the docker credential helper runner
 * (registry/credhelper.c) against a helper script written here, put first
 * in PATH: its replies, the not-found answer, the reply limit, the
 * deadline, identity tokens, failures, and what the helper is given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/registry.h"

static char dir[64];
static char fdfile[128];

/* Replies as SN_TEST_MODE says; saves its arguments, standard input and
 * whether descriptor SN_TEST_FD is open. */
static const char script[] =
    "#!/bin/sh\n"
    "d=$(dirname \"$0\")\n"
    "echo \"$@\" >\"$d/args\"\n"
    "cat >\"$d/stdin\"\n"
    "if [ -e /proc/$$/fd/$SN_TEST_FD ]; then echo open; else echo closed; fi >\"$d/fd\"\n"
    "case \"$SN_TEST_MODE\" in\n"
    "ok) printf '{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}\\n' \"$(cat "
    "\"$d/stdin\")\" ;;\n"
    "notfound) echo 'credentials not found in native keychain'; exit 1 ;;\n"
    "fail) echo 'hunter2 is wrong'; exit 3 ;;\n"
    "token) printf '{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\"hunter2\"}' ;;\n"
    "garbage) printf 'hunter2 hunter2' ;;\n"
    "nosecret) printf '{\"ServerURL\":\"x\",\"Username\":\"alice\"}' ;;\n"
    "big) printf '{\"ServerURL\":\"x\",\"Username\":\"alice\",\"Secret\":\"'\n"
    "     head -c \"$SN_TEST_PAD\" /dev/zero | tr '\\0' x; printf '\"}' ;;\n"
    "hang) exec sleep 30 ;;\n"
    "esac\n";

static int setup(void **state)
{
	static char old[2048];
	char path[128], newpath[4096];
	FILE *fp;

	(void)state;
	if (old[0] == '\0')
		snprintf(old, sizeof(old), "%s", getenv("PATH") != NULL ? getenv("PATH") : "/usr/bin:/bin");
	snprintf(dir, sizeof(dir), "/tmp/signet-credhelper-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/docker-credential-unit", dir);
	if ((fp = fopen(path, "we")) == NULL)
		return -1;
	fputs(script, fp);
	if (fclose(fp) != 0 || chmod(path, 0700) != 0)
		return -1;
	snprintf(newpath, sizeof(newpath), "%s:%s", dir, old);
	snprintf(fdfile, sizeof(fdfile), "%s/fd", dir);
	return setenv("PATH", newpath, 1);
}

static int teardown(void **state)
{
	static const char *const files[] = {"docker-credential-unit", "args", "stdin", "fd"};
	char path[128];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static void read_small(const char *name, char *out, size_t size)
{
	char path[128];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "re"));
	n = fread(out, 1, size - 1, fp);
	out[n] = '\0';
	fclose(fp);
}

/* Runs the helper in mode; returns the code, with *user and *pass set. */
static int run(char **user, char **pass, const char *mode, int64_t ms, struct sn_err *e)
{
	setenv("SN_TEST_MODE", mode, 1);
	*user = *pass = (char *)"untouched";
	return sn_credhelper_get(user, pass, "unit", "localhost:5000", sn_now_ms() + ms, e);
}

static void test_reply(void **state)
{
	struct sn_err e = {0};
	char *user, *pass, buf[256], fdnum[16];
	int leak = dup(0); /* no O_CLOEXEC: the helper must still not get it */

	(void)state;
	assert_true(leak > 2);
	snprintf(fdnum, sizeof(fdnum), "%d", leak);
	setenv("SN_TEST_FD", fdnum, 1);
	assert_int_equal(run(&user, &pass, "ok", 5000, &e), 0);
	assert_string_equal(user, "alice");
	assert_string_equal(pass, "s3cret");
	free(user);
	sn_free_secret(pass);
	read_small("args", buf, sizeof(buf));
	assert_string_equal(buf, "get\n");
	read_small("stdin", buf, sizeof(buf));
	assert_string_equal(buf, "localhost:5000");
	read_small("fd", buf, sizeof(buf));
	assert_string_equal(buf, "closed\n");
	close(leak);
}

/* With the caller's standard input closed, the pipes may get descriptor
 * 0: the helper's input and output must still be the right ones. */
static void test_stdin_closed(void **state)
{
	struct sn_err e = {0};
	char *user, *pass;
	int saved = dup(0);

	(void)state;
	assert_true(saved > 2);
	close(0);
	assert_int_equal(run(&user, &pass, "ok", 5000, &e), 0);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	assert_string_equal(user, "alice");
	assert_string_equal(pass, "s3cret");
	free(user);
	sn_free_secret(pass);
}

static void test_not_found(void **state)
{
	struct sn_err e = {0};
	char *user, *pass;

	(void)state;
	assert_int_equal(run(&user, &pass, "notfound", 5000, &e), 0);
	assert_null(user);
	assert_null(pass);
}

/* A failure, garbage or a token: errors that never show the reply. */
static void test_failures(void **state)
{
	struct sn_err e = {0};
	char *user, *pass;

	(void)state;
	assert_int_equal(run(&user, &pass, "fail", 5000, &e), SIGNET_EIO);
	assert_non_null(
	    strstr(e.msg, "docker-credential-unit: get for localhost:5000 failed (exit status 3)"));
	assert_null(strstr(e.msg, "hunter2"));
	assert_string_equal(user, "untouched");

	assert_int_equal(run(&user, &pass, "garbage", 5000, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "reply for localhost:5000: invalid JSON at line 1, column "));
	assert_null(strstr(e.msg, "hunter2"));

	assert_int_equal(run(&user, &pass, "nosecret", 5000, &e), SIGNET_EBADINPUT);
	assert_non_null(strstr(e.msg, "reply: no \"Secret\""));

	assert_int_equal(run(&user, &pass, "token", 5000, &e), SIGNET_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "identity token"));
	assert_null(strstr(e.msg, "hunter2"));
	assert_string_equal(user, "untouched");

	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(run(&user, &pass, "ok", 5000, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "docker-credential-unit: cannot run it (not found in PATH)"));
	teardown(state);
	setup(state);
}

/* A reply of SIGNET_MAX_CREDHELPER_REPLY bytes is read; one more is not. */
static void test_reply_limit(void **state)
{
	const size_t frame = strlen("{\"ServerURL\":\"x\",\"Username\":\"alice\",\"Secret\":\"\"}");
	struct sn_err e = {0};
	char *user, *pass, pad[32];

	(void)state;
	snprintf(pad, sizeof(pad), "%zu", (size_t)SIGNET_MAX_CREDHELPER_REPLY - frame);
	setenv("SN_TEST_PAD", pad, 1);
	assert_int_equal(run(&user, &pass, "big", 5000, &e), 0);
	assert_int_equal(strlen(pass), SIGNET_MAX_CREDHELPER_REPLY - frame);
	free(user);
	sn_free_secret(pass);
	snprintf(pad, sizeof(pad), "%zu", (size_t)SIGNET_MAX_CREDHELPER_REPLY - frame + 1);
	setenv("SN_TEST_PAD", pad, 1);
	assert_int_equal(run(&user, &pass, "big", 5000, &e), SIGNET_ELIMIT);
	assert_non_null(strstr(e.msg, "limit of 65536 bytes (SIGNET_MAX_CREDHELPER_REPLY)"));
	assert_string_equal(user, "untouched");
}

/* A helper that never answers is killed at the deadline. */
static void test_deadline(void **state)
{
	struct sn_err e = {0};
	char *user, *pass;
	int64_t t0 = sn_now_ms(), ms;

	(void)state;
	assert_int_equal(run(&user, &pass, "hang", 300, &e), SIGNET_EIO);
	ms = sn_now_ms() - t0;
	assert_true(ms >= 300 && ms < 5000);
	assert_non_null(strstr(e.msg, "no answer for localhost:5000 within"));
	assert_non_null(strstr(e.msg, "killed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reply),       cmocka_unit_test(test_stdin_closed),
	    cmocka_unit_test(test_not_found),   cmocka_unit_test(test_failures),
	    cmocka_unit_test(test_reply_limit), cmocka_unit_test(test_deadline),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
