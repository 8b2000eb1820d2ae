/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_dir_signatures.c: signatures in dir: layouts, named as
 * containers/image's directory transport does: signature-N for the top
 * manifest, <hex>.signature-N for an instance of a list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/registry.h"

#define D256  "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H256  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define D256B "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static int setup_dir(void **state)
{
	char *dir = strdup("/tmp/signet-dirsigs-XXXXXX");

	if (dir == NULL || mkdtemp(dir) == NULL)
		return -1;
	*state = dir;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int teardown_dir(void **state)
{
	char *dir = *state;

	(void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return 0;
}

static void put_file(const char *dir, const char *name, const char *content)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	assert_int_equal(close(fd), 0);
}

static void assert_msg(const struct sn_err *e, const char *part)
{
	if (strstr(e->msg, part) == NULL)
		fail_msg("\"%s\" not in \"%s\"", part, e->msg);
}

static void assert_file(const char *dir, const char *name, const char *content)
{
	char path[4096], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, content);
}

static void test_top_and_instances(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	char *loc = NULL, want[4096];

	/* an empty layout has no signatures */
	assert_int_equal(sn_dir_sigs_read(&l, dir, NULL, &e), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(sn_dir_sigs_read(&l, dir, D256, &e), 0);
	assert_int_equal(l.n, 0);

	/* the top manifest: signature-N; an instance: <hex>.signature-N */
	assert_int_equal(sn_dir_sigs_write(&loc, dir, NULL, "top1", 4, &e), 0);
	snprintf(want, sizeof(want), "%s/signature-1", dir);
	assert_string_equal(loc, want);
	free(loc);
	assert_int_equal(sn_dir_sigs_write(&loc, dir, D256, "inst1", 5, &e), 0);
	snprintf(want, sizeof(want), "%s/" H256 ".signature-1", dir);
	assert_string_equal(loc, want);
	free(loc);
	assert_int_equal(sn_dir_sigs_write(&loc, dir, D256, "inst2", 5, &e), 0);
	snprintf(want, sizeof(want), "%s/" H256 ".signature-2", dir);
	assert_string_equal(loc, want);
	free(loc);
	assert_file(dir, "signature-1", "top1");
	assert_file(dir, H256 ".signature-1", "inst1");
	assert_file(dir, H256 ".signature-2", "inst2");

	/* each read sees only its own */
	assert_int_equal(sn_dir_sigs_read(&l, dir, NULL, &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal((char *)l.items[0].data, "top1");
	snprintf(want, sizeof(want), "%s/signature-1", dir);
	assert_string_equal(l.items[0].location, want);
	sn_sig_list_free(&l);
	assert_int_equal(sn_dir_sigs_read(&l, dir, D256, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal((char *)l.items[0].data, "inst1");
	assert_string_equal((char *)l.items[1].data, "inst2");
	snprintf(want, sizeof(want), "%s/" H256 ".signature-2", dir);
	assert_string_equal(l.items[1].location, want);
	sn_sig_list_free(&l);
	assert_int_equal(sn_dir_sigs_read(&l, dir, D256B, &e), 0);
	assert_int_equal(l.n, 0);
}

static void test_never_overwrites(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	char *loc = NULL, want[4096];

	put_file(dir, "signature-1", "skopeo's");
	assert_int_equal(sn_dir_sigs_write(&loc, dir, NULL, "ours", 4, &e), 0);
	snprintf(want, sizeof(want), "%s/signature-2", dir);
	assert_string_equal(loc, want);
	free(loc);
	assert_file(dir, "signature-1", "skopeo's");
	assert_int_equal(sn_dir_sigs_read(&l, dir, NULL, &e), 0);
	assert_int_equal(l.n, 2);
	sn_sig_list_free(&l);
}

static void test_gap_and_limits(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	char name[64], want[4200];

	put_file(dir, H256 ".signature-2", "x");
	assert_int_equal(sn_dir_sigs_read(&l, dir, D256, &e), 0);
	assert_int_equal(l.n, 0);
	for (unsigned n = 1; n <= SIGNET_MAX_LOOKASIDE_SIGNATURES + 1; n++) {
		snprintf(name, sizeof(name), "signature-%u", n);
		put_file(dir, name, "s");
	}
	l.n = 4242;
	assert_int_equal(sn_dir_sigs_read(&l, dir, NULL, &e), SIGNET_ELIMIT);
	assert_int_equal(l.n, 4242);
	snprintf(want, sizeof(want), "dir:%s: more than 128 signatures (SIGNET_MAX_LOOKASIDE_SIGNATURES)",
	         dir);
	assert_string_equal(e.msg, want);
}

static void test_refusals(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = {NULL, 4242, 0, SIGNET_MAX_SIGNATURES_TOTAL_SIZE};
	struct sn_err e = {0};
	char path[4096], *loc = (char *)"untouched";

	/* a symbolic link is never followed: the read fails */
	put_file(dir, "real", "sig");
	snprintf(path, sizeof(path), "%s/signature-1", dir);
	assert_int_equal(symlink("real", path), 0);
	assert_int_equal(sn_dir_sigs_read(&l, dir, NULL, &e), SIGNET_EIO);
	assert_msg(&e, "signature-1: refusing to follow a symbolic link");
	assert_int_equal(l.n, 4242);
	/* and writing goes past it, leaving its target alone */
	assert_int_equal(sn_dir_sigs_write(&loc, dir, NULL, "new", 3, &e), 0);
	free(loc);
	assert_file(dir, "real", "sig");
	assert_file(dir, "signature-2", "new");

	/* instance digests are validated (they become file names) */
	loc = (char *)"untouched";
	assert_int_equal(sn_dir_sigs_read(&l, dir, "sha256:../../etc", &e), SIGNET_EBADINPUT);
	assert_int_equal(sn_dir_sigs_write(&loc, dir, "sha256:abc", "s", 1, &e), SIGNET_EBADINPUT);
	assert_msg(&e, "instance");
	/* the layout directory is not created */
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(sn_dir_sigs_write(&loc, path, NULL, "s", 1, &e), SIGNET_ENOTFOUND);
	assert_msg(&e, "does not exist");
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(sn_dir_sigs_write(&loc, dir, NULL, "", 0, &e), SIGNET_EINVAL);
	assert_int_equal(sn_dir_sigs_write(&loc, "", NULL, "s", 1, &e), SIGNET_EINVAL);
	assert_string_equal(loc, "untouched");
	assert_int_equal(sn_dir_sigs_read(NULL, dir, NULL, &e), SIGNET_EINVAL);
	/* a missing layout directory reads as no signatures */
	assert_int_equal(sn_dir_sigs_read(&l, path, NULL, &e), 0);
	assert_int_equal(l.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_top_and_instances, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_never_overwrites, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_gap_and_limits, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_refusals, setup_dir, teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
