/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_lookaside.c: the lookaside signature store: URLs, file://
 * reads and writes (limits, gaps, damaged entries, percent-encoding,
 * appending, concurrent writers), and http:// reads against a small HTTP
 * server forked by the test on loopback (200, 404, 500, redirects, size
 * and count limits, no credentials sent) and a refused connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "registry/registry.h"

#define D256   "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H256   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SIGDIR "a/b@sha256=" H256

/* ---- helpers -------------------------------------------------------- */

/* A docker reference as reference.c would build it (normalized). */
static struct sn_ref mkref(const char *domain, const char *path, const char *tag, const char *digest)
{
	struct sn_ref r;

	memset(&r, 0, sizeof(r));
	r.transport = SIGNET_TRANSPORT_DOCKER;
	r.domain = (char *)domain;
	r.path = (char *)path;
	r.tag = (char *)tag;
	r.digest = (char *)digest;
	return r;
}

static int setup_dir(void **state)
{
	char *dir = strdup("/tmp/signet-lookaside-XXXXXX");

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

static void mkdirs(const char *path)
{
	char buf[4096];

	assert_true((size_t)snprintf(buf, sizeof(buf), "%s", path) < sizeof(buf));
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		assert_true(mkdir(buf, 0755) == 0 || errno == EEXIST);
		*p = '/';
	}
	assert_true(mkdir(buf, 0755) == 0 || errno == EEXIST);
}

static void put_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* Reads a whole (small or large) file; caller frees. */
static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	p = malloc((size_t)st.st_size + 1);
	assert_non_null(p);
	assert_int_equal(read(fd, p, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return p;
}

/* DIR/store/a/b@sha256=H256/signature-N with content "sigN". */
static void put_sig(const char *dir, unsigned n)
{
	char path[4096], body[32];

	snprintf(path, sizeof(path), "%s/store/" SIGDIR, dir);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-%u", dir, n);
	snprintf(body, sizeof(body), "sig%u", n);
	put_file(path, body, strlen(body));
}

static char *base_of(const char *dir)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "file://%s/store", dir);
	return strdup(buf);
}

static void assert_msg(const struct sn_err *e, const char *part)
{
	if (strstr(e->msg, part) == NULL)
		fail_msg("\"%s\" not in \"%s\"", part, e->msg);
}

/* A list the test can tell apart from a written one. */
static struct sn_sig_list untouched(void)
{
	struct sn_sig_list l = {(struct sn_sig_blob *)(uintptr_t)0x1, 4242, 0,
	                        SIGNET_MAX_SIGNATURES_TOTAL_SIZE};

	return l;
}

static void assert_untouched(const struct sn_sig_list *l)
{
	assert_int_equal(l->n, 4242);
	assert_ptr_equal(l->items, (struct sn_sig_blob *)(uintptr_t)0x1);
}

static int read_store(struct sn_sig_list *l, const char *base, struct sn_err *e)
{
	struct sn_ref r = mkref("example.com", "a/b", "v1", NULL);

	return sn_lookaside_read(l, NULL, base, &r, D256, e);
}

/* ---- lookaside URLs ------------------------------------------------- */

static void url_ok(const char *base, const struct sn_ref *ref, const char *digest, unsigned index,
                   const char *want)
{
	struct sn_err e = {0};
	char *url = NULL;
	int rc = sn_lookaside_url(&url, base, ref, digest, index, &e);

	if (rc != 0)
		fail_msg("sn_lookaside_url(%s) failed (%d): %s", base, rc, e.msg);
	assert_string_equal(url, want);
	free(url);
}

static void url_fails(const char *base, const struct sn_ref *ref, const char *digest, unsigned index,
                      int code, const char *msg)
{
	struct sn_err e = {0};
	char *url = NULL;

	assert_int_equal(sn_lookaside_url(&url, base, ref, digest, index, &e), code);
	assert_null(url);
	if (strstr(e.msg, msg) == NULL)
		fail_msg("\"%s\" not in \"%s\"", msg, e.msg);
}

static void test_lookaside_url(void **state)
{
	struct sn_ref r = mkref("example.com:5000", "a/b", "v1", NULL);
	struct sn_ref lib = mkref("docker.io", "library/busybox", "latest", NULL);
	struct sn_ref o;
	const char *d512 = "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	                   "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	(void)state;
	url_ok("file:///var/lib/containers/sigstore", &r, D256, 1,
	       "file:///var/lib/containers/sigstore/a/b@sha256=" H256 "/signature-1");
	url_ok("https://sigs.example.com", &lib, D256, 12,
	       "https://sigs.example.com/library/busybox@sha256=" H256 "/signature-12");
	/* A trailing slash is kept, as containers/image does (Path + "/"). */
	url_ok("https://sigs.example.com/x/", &r, D256, 3,
	       "https://sigs.example.com/x//a/b@sha256=" H256 "/signature-3");
	url_ok("file:///", &r, d512, 128,
	       "file:////a/b@sha512=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	       "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/signature-128");

	url_fails("https://sigs.example.com", &r, D256, 0, SIGNET_EINVAL, "numbered from 1");
	url_fails("https://sigs.example.com", &r, "sha256:abc", 1, SIGNET_EBADINPUT, "invalid digest");
	url_fails("ftp://sigs.example.com", &r, D256, 1, SIGNET_EBADINPUT,
	          "lookaside base URL \"ftp://sigs.example.com\": not an absolute");
	url_fails("https://sigs.example.com?x", &r, D256, 1, SIGNET_EBADINPUT, "query or fragment");
	o = mkref("example.com", "a/../b", "v1", NULL);
	url_fails("https://sigs.example.com", &o, D256, 1, SIGNET_EBADINPUT, "unexpected path elements");
	o = mkref("example.com", "a//b", "v1", NULL);
	url_fails("https://sigs.example.com", &o, D256, 1, SIGNET_EBADINPUT, "unexpected path elements");
	memset(&o, 0, sizeof(o));
	o.transport = SIGNET_TRANSPORT_DIR;
	o.string = (char *)"dir:/tmp/x";
	url_fails("https://sigs.example.com", &o, D256, 1, SIGNET_EINVAL,
	          "dir:/tmp/x is not a docker reference");
}

static void test_base_problem(void **state)
{
	(void)state;
	assert_null(sn_lookaside_base_problem("file:///x/y%20z"));
	assert_null(sn_lookaside_base_problem("HTTPS://sigs.example.com"));
	assert_non_null(sn_lookaside_base_problem("file://host/x"));
	assert_non_null(sn_lookaside_base_problem("file://"));
	assert_non_null(sn_lookaside_base_problem("http:///x"));
	assert_non_null(sn_lookaside_base_problem("https://x/%g0"));
	assert_non_null(sn_lookaside_base_problem("https://x/a b"));
	assert_non_null(sn_lookaside_base_problem(NULL));
}

/* ---- file:// reads -------------------------------------------------- */

static void test_read_none(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), path[4096];

	/* nothing at all under the base: no signatures, not an error */
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	/* the signature directory exists but is empty */
	snprintf(path, sizeof(path), "%s/store/" SIGDIR, dir);
	mkdirs(path);
	l = untouched();
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 0);
	free(base);
}

static void test_read_one_and_three(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), want[4096];

	put_sig(dir, 1);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].len, 4);
	assert_memory_equal(l.items[0].data, "sig1", 5); /* NUL-terminated */
	snprintf(want, sizeof(want), "%s/" SIGDIR "/signature-1", base);
	assert_string_equal(l.items[0].location, want);
	sn_sig_list_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);

	put_sig(dir, 2);
	put_sig(dir, 3);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 3);
	for (size_t i = 0; i < 3; i++) {
		char body[16];

		snprintf(body, sizeof(body), "sig%zu", i + 1);
		assert_string_equal((char *)l.items[i].data, body);
		snprintf(want, sizeof(want), "%s/" SIGDIR "/signature-%zu", base, i + 1);
		assert_string_equal(l.items[i].location, want);
	}
	sn_sig_list_free(&l);
	sn_sig_list_free(NULL);
	free(base);
}

static void test_read_gap(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir);

	/* signature-2 without signature-1: the list ends before it */
	put_sig(dir, 2);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 0);
	/* 1, 2, 4: the third is missing, 4 is never looked at */
	put_sig(dir, 1);
	put_sig(dir, 4);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 2);
	sn_sig_list_free(&l);
	free(base);
}

static void test_read_count_limit(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), want[4096];

	for (unsigned n = 1; n <= SIGNET_MAX_LOOKASIDE_SIGNATURES; n++)
		put_sig(dir, n);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, SIGNET_MAX_LOOKASIDE_SIGNATURES);
	assert_string_equal((char *)l.items[127].data, "sig128");
	sn_sig_list_free(&l);

	put_sig(dir, SIGNET_MAX_LOOKASIDE_SIGNATURES + 1);
	l = untouched();
	assert_int_equal(read_store(&l, base, &e), SIGNET_ELIMIT);
	assert_untouched(&l);
	snprintf(want, sizeof(want),
	         "lookaside %s/" SIGDIR ": more than 128 signatures (SIGNET_MAX_LOOKASIDE_SIGNATURES)", base);
	assert_string_equal(e.msg, want);
	free(base);
}

static void test_read_size_limit(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), path[4096];
	unsigned char *big = malloc(SIGNET_MAX_SIGNATURE_SIZE + 1);

	assert_non_null(big);
	memset(big, 0xa3, SIGNET_MAX_SIGNATURE_SIZE + 1);
	put_sig(dir, 1);
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-2", dir);
	/* exactly the limit: fine */
	put_file(path, big, SIGNET_MAX_SIGNATURE_SIZE);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[1].len, SIGNET_MAX_SIGNATURE_SIZE);
	assert_memory_equal(l.items[1].data, big, SIGNET_MAX_SIGNATURE_SIZE);
	sn_sig_list_free(&l);
	/* one byte more: the whole read fails, naming the file and the limit */
	put_file(path, big, SIGNET_MAX_SIGNATURE_SIZE + 1);
	l = untouched();
	assert_int_equal(read_store(&l, base, &e), SIGNET_ELIMIT);
	assert_untouched(&l);
	assert_msg(&e, "/signature-2: larger than the limit of 4194304 bytes (SIGNET_MAX_SIGNATURE_SIZE)");
	assert_msg(&e, "lookaside signature file://");
	free(big);
	free(base);
}

/* SIGNET_MAX_SIGNATURES_TOTAL_SIZE: a read holds at most the list's budget,
 * and stops reading at the blob that would cross it. */
static void test_read_total_limit(void **state)
{
	const size_t per = SIGNET_MAX_SIGNATURE_SIZE, fit = SIGNET_MAX_SIGNATURES_TOTAL_SIZE / per;
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), path[4096];
	unsigned char *big = malloc(per);

	assert_non_null(big);
	assert_true(fit >= 1 && fit < SIGNET_MAX_LOOKASIDE_SIGNATURES);
	memset(big, 0x5c, per);
	put_sig(dir, 1); /* 4 bytes: "sig1" */
	for (unsigned n = 2; n <= fit; n++) {
		snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-%u", dir, n);
		put_file(path, big, per);
	}
	/* "sig1" and fit - 1 blobs of the per-signature limit: under the total */
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, fit);
	assert_int_equal(l.bytes, 4 + (fit - 1) * per);
	sn_sig_list_free(&l);
	/* one more of the per-signature limit crosses the total: only 4 bytes
	 * of room are left, so no more than that is read */
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-%zu", dir, fit + 1);
	put_file(path, big, per);
	l = untouched();
	assert_int_equal(read_store(&l, base, &e), SIGNET_ELIMIT);
	assert_untouched(&l);
	snprintf(path, sizeof(path),
	         "lookaside %s/" SIGDIR ": the signatures of this image come to more than %u bytes in total "
	         "(SIGNET_MAX_SIGNATURES_TOTAL_SIZE, %u bytes, counts every signature read for the image)",
	         base, SIGNET_MAX_SIGNATURES_TOTAL_SIZE, SIGNET_MAX_SIGNATURES_TOTAL_SIZE);
	assert_string_equal(e.msg, path);
	/* A smaller budget (other signatures of the image already held):
	 * "sig1" fits 4 bytes exactly; 3 bytes do not; 0 allow nothing, but an
	 * empty store still reads as empty. */
	l = (struct sn_sig_list){NULL, 0, 0, 4};
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-2", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 1);
	sn_sig_list_free(&l);
	l = (struct sn_sig_list){NULL, 0, 0, 3};
	assert_int_equal(read_store(&l, base, &e), SIGNET_ELIMIT);
	assert_msg(&e, "more than 3 bytes in total (SIGNET_MAX_SIGNATURES_TOTAL_SIZE");
	l = (struct sn_sig_list){NULL, 0, 0, 0};
	assert_int_equal(read_store(&l, base, &e), SIGNET_ELIMIT);
	assert_msg(&e, "more than 0 bytes in total");
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-1", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 0);
	free(big);
	free(base);
}

static void test_read_damaged_entry(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), path[4096], moved[4096];

	/* a directory where signature-1 should be */
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-1", dir);
	mkdirs(path);
	assert_int_equal(read_store(&l, base, &e), SIGNET_EIO);
	assert_untouched(&l);
	assert_msg(&e, "signature-1: not a regular file");
	assert_int_equal(rmdir(path), 0);

	/* a FIFO as signature-2 after a good signature-1: the read neither
	 * blocks nor ends quietly */
	put_sig(dir, 1);
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-2", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(read_store(&l, base, &e), SIGNET_EIO);
	assert_untouched(&l);
	assert_msg(&e, "signature-2: not a regular file");
	assert_int_equal(unlink(path), 0);

	/* a file where the signature directory should be (ENOTDIR is not
	 * "missing") */
	snprintf(path, sizeof(path), "%s/store/" SIGDIR, dir);
	snprintf(moved, sizeof(moved), "%s/moved", dir);
	assert_int_equal(rename(path, moved), 0);
	put_file(path, "x", 1);
	assert_int_equal(read_store(&l, base, &e), SIGNET_EIO);
	assert_untouched(&l);
	assert_msg(&e, "signature-1: Not a directory");
	free(base);
}

static void test_read_percent_encoded(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char base[2048], path[4096], want[4096];

	snprintf(path, sizeof(path), "%s/with space/%%x/" SIGDIR, dir);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/with space/%%x/" SIGDIR "/signature-1", dir);
	put_file(path, "pct", 3);
	snprintf(base, sizeof(base), "file://%s/with%%20space/%%25x", dir);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal((char *)l.items[0].data, "pct");
	/* the location is the URL, as written */
	snprintf(want, sizeof(want), "%s/" SIGDIR "/signature-1", base);
	assert_string_equal(l.items[0].location, want);
	sn_sig_list_free(&l);

	/* uppercase escapes decode the same way */
	snprintf(base, sizeof(base), "file://%s/with%%20space/%%25%%78", dir);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 1);
	sn_sig_list_free(&l);

	/* strict: bad escapes and an encoded NUL are refused, not skipped */
	l = untouched();
	snprintf(base, sizeof(base), "file://%s/with%%2space", dir);
	assert_int_equal(read_store(&l, base, &e), SIGNET_EBADINPUT);
	assert_msg(&e, "invalid percent-escape");
	snprintf(base, sizeof(base), "file://%s/x%%00y", dir);
	assert_int_equal(read_store(&l, base, &e), SIGNET_EBADINPUT);
	assert_msg(&e, "%00 (a NUL byte)");
	assert_untouched(&l);
}

static void test_read_arguments(void **state)
{
	struct sn_ref r = mkref("example.com", "a/b", "v1", NULL);
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(sn_lookaside_read(NULL, NULL, "file:///x", &r, D256, &e), SIGNET_EINVAL);
	assert_int_equal(sn_lookaside_read(&l, NULL, "file:///x", &r, "sha256:zz", &e), SIGNET_EBADINPUT);
	assert_int_equal(sn_lookaside_read(&l, NULL, "ftp://x", &r, D256, &e), SIGNET_EINVAL);
	assert_msg(&e, "no context for HTTP");
	assert_int_equal(sn_lookaside_read(&l, NULL, "file://host/x", &r, D256, &e), SIGNET_EBADINPUT);
	assert_msg(&e, "empty host");
	assert_untouched(&l);
}

/* ---- file:// writes ------------------------------------------------- */

static int write_store(char **loc, const char *base, const void *blob, size_t len, struct sn_err *e)
{
	struct sn_ref r = mkref("example.com", "a/b", "v1", NULL);

	return sn_lookaside_write(loc, base, &r, D256, blob, len, e);
}

static void test_write_appends(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), *loc = NULL, path[4096], want[4096];
	unsigned char *before, *after;
	size_t blen, alen;
	struct stat st;

	put_sig(dir, 1);
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-1", dir);
	before = slurp(path, &blen);
	assert_int_equal(write_store(&loc, base, "new-a", 5, &e), 0);
	snprintf(want, sizeof(want), "%s/" SIGDIR "/signature-2", base);
	assert_string_equal(loc, want);
	free(loc);
	assert_int_equal(write_store(&loc, base, "new-b", 5, &e), 0);
	snprintf(want, sizeof(want), "%s/" SIGDIR "/signature-3", base);
	assert_string_equal(loc, want);
	free(loc);
	/* signature-1 is byte for byte what it was */
	after = slurp(path, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(before);
	free(after);

	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-2", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal((char *)l.items[0].data, "sig1");
	assert_string_equal((char *)l.items[1].data, "new-a");
	assert_string_equal((char *)l.items[2].data, "new-b");
	sn_sig_list_free(&l);

	/* a gap is filled first, so that what is written is what is read */
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-2", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(write_store(&loc, base, "new-c", 5, &e), 0);
	snprintf(want, sizeof(want), "%s/" SIGDIR "/signature-2", base);
	assert_string_equal(loc, want);
	free(loc);
	free(base);
}

static void test_write_creates_dirs(void **state)
{
	const char *dir = *state;
	struct sn_err e = {0};
	char base[4096], path[4096], *loc = NULL;
	mode_t mask = umask(022);
	struct stat st;

	(void)umask(mask);
	snprintf(base, sizeof(base), "file://%s/deep/er%%20x/store", dir);
	assert_int_equal(write_store(&loc, base, "s", 1, &e), 0);
	free(loc);
	snprintf(path, sizeof(path), "%s/deep/er x/store/" SIGDIR, dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0755 & ~mask);
	snprintf(path, sizeof(path), "%s/deep/er x/store/" SIGDIR "/signature-1", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 1);
}

static void test_write_refusals(void **state)
{
	const char *dir = *state;
	struct sn_err e = {0};
	char *base = base_of(dir), *loc = (char *)"untouched", path[4096];
	unsigned char *big = malloc(SIGNET_MAX_SIGNATURE_SIZE + 1);
	DIR *d;
	struct dirent *de;

	assert_non_null(big);
	memset(big, 0x88, SIGNET_MAX_SIGNATURE_SIZE + 1);
	assert_int_equal(write_store(&loc, "https://sigs.example.com", "s", 1, &e), SIGNET_EINVAL);
	assert_msg(&e, "writing to a lookaside over http is not supported; use lookaside-staging with a "
	               "file:// URL");
	assert_int_equal(write_store(&loc, "http://sigs.example.com/x", "s", 1, &e), SIGNET_EINVAL);
	assert_int_equal(write_store(&loc, "gopher://x", "s", 1, &e), SIGNET_EBADINPUT);
	assert_int_equal(write_store(&loc, base, "", 0, &e), SIGNET_EINVAL);
	assert_msg(&e, "empty signature");
	assert_int_equal(write_store(&loc, base, big, SIGNET_MAX_SIGNATURE_SIZE + 1, &e), SIGNET_ELIMIT);
	assert_msg(&e, "over the limit of 4194304 bytes (SIGNET_MAX_SIGNATURE_SIZE)");
	assert_string_equal(loc, "untouched");

	/* exactly the limit is written */
	assert_int_equal(write_store(&loc, base, big, SIGNET_MAX_SIGNATURE_SIZE, &e), 0);
	free(loc);
	/* a full store: 128 taken, nothing written, no temporary left */
	for (unsigned n = 2; n <= SIGNET_MAX_LOOKASIDE_SIGNATURES; n++)
		put_sig(dir, n);
	loc = (char *)"untouched";
	assert_int_equal(write_store(&loc, base, "s", 1, &e), SIGNET_ELIMIT);
	assert_msg(&e, "already holds 128 signatures, the most allowed (SIGNET_MAX_LOOKASIDE_SIGNATURES)");
	assert_string_equal(loc, "untouched");
	snprintf(path, sizeof(path), "%s/store/" SIGDIR, dir);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		assert_null(strstr(de->d_name, "tmp"));
	closedir(d);
	snprintf(path, sizeof(path), "%s/store/" SIGDIR "/signature-129", dir);
	assert_int_equal(access(path, F_OK), -1);

	/* a file where a directory must be created */
	snprintf(path, sizeof(path), "%s/plainfile", dir);
	put_file(path, "x", 1);
	snprintf(path, sizeof(path), "file://%s/plainfile/store", dir);
	assert_int_equal(write_store(&loc, path, "s", 1, &e), SIGNET_EIO);
	assert_msg(&e, "cannot create directory");
	free(base);
	free(big);
}

static void test_write_concurrent(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	char *base = base_of(dir), path[4096];
	pid_t kids[2];
	int seen[40] = {0};
	DIR *d;
	struct dirent *de;
	size_t entries = 0;

	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			for (int i = 0; i < 20; i++) {
				char blob[32], *loc = NULL;
				struct sn_err ce = {0};

				snprintf(blob, sizeof(blob), "writer%d-%02d", k, i);
				if (write_store(&loc, base, blob, strlen(blob), &ce) != 0)
					_exit(1);
				free(loc);
			}
			_exit(0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int status;

		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	/* 40 distinct files, 1..40, each one writer's blob; nothing else */
	assert_int_equal(read_store(&l, base, &e), 0);
	assert_int_equal(l.n, 40);
	for (size_t i = 0; i < l.n; i++) {
		int k, n;

		assert_int_equal(sscanf((char *)l.items[i].data, "writer%d-%d", &k, &n), 2);
		assert_true(k >= 0 && k < 2 && n >= 0 && n < 20);
		assert_int_equal(seen[k * 20 + n], 0);
		seen[k * 20 + n] = 1;
	}
	sn_sig_list_free(&l);
	snprintf(path, sizeof(path), "%s/store/" SIGDIR, dir);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || strcmp(de->d_name, "..") == 0))
			continue;
		assert_int_equal(strncmp(de->d_name, "signature-", 10), 0);
		entries++;
	}
	closedir(d);
	assert_int_equal(entries, 40);
	free(base);
}

/* ---- http:// -------------------------------------------------------- */

/* A forked HTTP/1.1 server on 127.0.0.1, one request per connection.
 * Paths are /<scenario>/a/b@sha256=H256/signature-N; requests are logged
 * to a file so that the test can look at the headers. */
struct server {
	pid_t pid;
	int port;
	char log[4096];
};

static void send_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		c += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, int status, const char *extra, const void *body, size_t len, int with_length)
{
	char head[512];

	snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nConnection: close\r\n%s", status, extra);
	send_all(fd, head, strlen(head));
	if (with_length) {
		snprintf(head, sizeof(head), "Content-Length: %zu\r\n", len);
		send_all(fd, head, strlen(head));
	}
	send_all(fd, "\r\n", 2);
	send_all(fd, body, len);
}

static void serve_one(int fd, const char *logpath)
{
	char req[8192], scen[64] = "", *sig, *end;
	size_t n = 0;
	unsigned idx = 0;
	static unsigned char *big;
	int logfd;

	while (n < sizeof(req) - 1) {
		ssize_t r = recv(fd, req + n, sizeof(req) - 1 - n, 0);

		if (r <= 0)
			break;
		n += (size_t)r;
		req[n] = '\0';
		/* not HTTP (a TLS handshake): answer in plain HTTP at once */
		if (strstr(req, "\r\n\r\n") != NULL || req[0] != 'G')
			break;
	}
	req[n] = '\0';
	if ((logfd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) >= 0) {
		(void)!write(logfd, req, n);
		close(logfd);
	}
	if (strncmp(req, "GET /", 5) != 0) {
		respond(fd, 400, "", "", 0, 1);
		return;
	}
	end = strchr(req + 5, '/');
	if (end != NULL && (size_t)(end - (req + 5)) < sizeof(scen))
		memcpy(scen, req + 5, (size_t)(end - (req + 5)));
	if ((sig = strstr(req, "/signature-")) != NULL)
		idx = (unsigned)strtoul(sig + 11, NULL, 10);
	if (big == NULL) {
		big = malloc(SIGNET_MAX_SIGNATURE_SIZE + 1);
		if (big == NULL)
			_exit(3);
		memset(big, 0x90, SIGNET_MAX_SIGNATURE_SIZE + 1);
	}
	if (strstr(req, "@sha256=" H256 "/signature-") == NULL) {
		respond(fd, 404, "", "", 0, 1);
	} else if (strcmp(scen, "ok") == 0 && idx >= 1 && idx <= 2) {
		char body[16];

		snprintf(body, sizeof(body), "http-sig%u", idx);
		respond(fd, 200, "Content-Type: application/octet-stream\r\n", body, strlen(body), 1);
	} else if (strcmp(scen, "err") == 0 && idx == 1) {
		respond(fd, 200, "", "one", 3, 1);
	} else if (strcmp(scen, "err") == 0 && idx == 2) {
		respond(fd, 500, "", "boom", 4, 1);
	} else if (strcmp(scen, "forbidden") == 0) {
		respond(fd, 403, "", "", 0, 1);
	} else if (strcmp(scen, "redir") == 0 && idx == 1) {
		char loc[256];

		snprintf(loc, sizeof(loc), "Location: /ok/" SIGDIR "/signature-1\r\n");
		respond(fd, 302, loc, "", 0, 1);
	} else if (strcmp(scen, "loop") == 0) {
		respond(fd, 302, "Location: /loop/" SIGDIR "/signature-1\r\n", "", 0, 1);
	} else if (strcmp(scen, "exact") == 0 && idx == 1) {
		respond(fd, 200, "", big, SIGNET_MAX_SIGNATURE_SIZE, 1);
	} else if (strcmp(scen, "big") == 0 && idx == 1) {
		respond(fd, 200, "", big, SIGNET_MAX_SIGNATURE_SIZE + 1, 1);
	} else if (strcmp(scen, "bigstream") == 0 && idx == 1) {
		/* no Content-Length: the limit is found while reading */
		respond(fd, 200, "", big, SIGNET_MAX_SIGNATURE_SIZE + 1, 0);
	} else if (strcmp(scen, "many") == 0 && idx >= 1 && idx <= SIGNET_MAX_LOOKASIDE_SIGNATURES + 1) {
		respond(fd, 200, "", "s", 1, 1);
	} else if (strcmp(scen, "max") == 0 && idx >= 1 && idx <= SIGNET_MAX_LOOKASIDE_SIGNATURES) {
		respond(fd, 200, "", "s", 1, 1);
	} else {
		respond(fd, 404, "", "not here", 8, 1);
	}
}

static int server_start(struct server *s, const char *dir)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
		close(fd);
		return -1;
	}
	s->port = ntohs(a.sin_port);
	snprintf(s->log, sizeof(s->log), "%s/requests.log", dir);
	s->pid = fork();
	if (s->pid < 0) {
		close(fd);
		return -1;
	}
	if (s->pid == 0) {
		/* never outlive the test */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(300);
		for (;;) {
			int c = accept(fd, NULL, NULL);

			if (c < 0)
				continue;
			serve_one(c, s->log);
			shutdown(c, SHUT_WR);
			close(c);
		}
	}
	close(fd);
	return 0;
}

static void server_stop(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		(void)waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

/* Stopped by the teardown too, when an assertion ends the test early. */
static struct server srv;

static int teardown_http(void **state)
{
	server_stop(&srv);
	return teardown_dir(state);
}

static signet_ctx *http_ctx(void)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	signet_ctx *ctx = NULL;

	o.connect_timeout_ms = 5000;
	o.request_timeout_ms = 20000;
	o.creds = "someone:s3cret-pass"; /* must never be sent to a lookaside */
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	return ctx;
}

static int http_read(struct sn_sig_list *l, signet_ctx *ctx, const struct server *s, const char *scen,
                     struct sn_err *e)
{
	struct sn_ref r = mkref("example.com", "a/b", "v1", NULL);
	char base[256];

	snprintf(base, sizeof(base), "http://127.0.0.1:%d/%s", s->port, scen);
	return sn_lookaside_read(l, ctx, base, &r, D256, e);
}

static void test_http_refused(void **state)
{
	struct sn_ref r = mkref("example.com", "a/b", "v1", NULL);
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	signet_ctx *ctx = http_ctx();

	(void)state;
	/* Nothing listens on port 1: an error naming the URL, never "none". */
	assert_int_equal(sn_lookaside_read(&l, ctx, "http://127.0.0.1:1/sigs", &r, D256, &e),
	                 SIGNET_ENETWORK);
	assert_untouched(&l);
	assert_msg(&e, "lookaside signature: GET http://127.0.0.1:1/sigs/" SIGDIR "/signature-1: ");
	assert_null(strstr(e.msg, "s3cret"));
	assert_int_equal(sn_lookaside_read(&l, ctx, "https://127.0.0.1:1/sigs", &r, D256, &e),
	                 SIGNET_ENETWORK);
	assert_msg(&e, "GET https://127.0.0.1:1/sigs/" SIGDIR "/signature-1: ");
	/* the signature URL is built as for file:// */
	assert_int_equal(sn_lookaside_read(&l, ctx, "http://127.0.0.1:1", &r, D256, &e), SIGNET_ENETWORK);
	assert_msg(&e, "GET http://127.0.0.1:1/" SIGDIR "/signature-1: ");
	assert_untouched(&l);
	signet_ctx_free(ctx);
}

static void test_http_fetch_arguments(void **state)
{
	signet_ctx *ctx = http_ctx();
	struct sn_err e = {0};
	struct sn_buf b;
	int found = 7;

	(void)state;
	assert_int_equal(
	    sn_http_fetch(&b, &found, ctx, "http://someone:pw@127.0.0.1:1/x", 10, NULL, "thing", &e),
	    SIGNET_EINVAL);
	assert_msg(&e, "thing URL: credentials in the URL");
	assert_null(strstr(e.msg, "pw@"));
	assert_int_equal(sn_http_fetch(&b, &found, ctx, "file:///x", 10, NULL, "thing", &e), SIGNET_EINVAL);
	assert_msg(&e, "not an absolute http:// or https:// URL");
	assert_int_equal(sn_http_fetch(&b, &found, ctx, "http://bad_host!/x", 10, NULL, "thing", &e),
	                 SIGNET_EINVAL);
	assert_msg(&e, "thing \"http://bad_host!/x\": not a valid URL: invalid host");
	assert_int_equal(sn_http_fetch(&b, &found, ctx, "http:///x", 10, NULL, "thing", &e), SIGNET_EINVAL);
	assert_msg(&e, "thing \"http:///x\": no host");
	assert_int_equal(sn_http_fetch(&b, &found, ctx, "http://127.0.0.1:0/x", 10, NULL, "thing", &e),
	                 SIGNET_EINVAL);
	assert_msg(&e, "thing \"http://127.0.0.1:0/x\": invalid port");
	/* read by resolvers as 127.0.0.1: refused, not guessed */
	assert_int_equal(sn_http_fetch(&b, &found, ctx, "http://127.1:1/x", 10, NULL, "thing", &e),
	                 SIGNET_EINVAL);
	assert_msg(&e, "not a valid URL: invalid IPv4 address");
	assert_int_equal(sn_http_fetch(&b, &found, ctx, "http://127.0.0.1:1/a b", 10, NULL, "thing", &e),
	                 SIGNET_EINVAL);
	assert_msg(&e, "not a valid URL: a space, a control character or a byte outside ASCII");
	assert_int_equal(found, 7);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 10);
	signet_ctx_free(ctx);
}

static void test_http_reads(void **state)
{
	const char *dir = *state;
	struct sn_sig_list l = untouched();
	struct sn_err e = {0};
	struct server *sp = &srv, s;
	signet_ctx *ctx = http_ctx();
	char want[512], *log;
	size_t loglen;

	assert_int_equal(server_start(sp, dir), 0);
	s = *sp;

	/* 200, 200, 404: two signatures */
	assert_int_equal(http_read(&l, ctx, &s, "ok", &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal((char *)l.items[0].data, "http-sig1");
	assert_string_equal((char *)l.items[1].data, "http-sig2");
	snprintf(want, sizeof(want), "http://127.0.0.1:%d/ok/" SIGDIR "/signature-2", s.port);
	assert_string_equal(l.items[1].location, want);
	sn_sig_list_free(&l);

	/* 404 at once: none */
	l = untouched();
	assert_int_equal(http_read(&l, ctx, &s, "nothing", &e), 0);
	assert_int_equal(l.n, 0);

	/* 500 (after the retries) fails the whole read, naming URL and status */
	l = untouched();
	assert_int_equal(http_read(&l, ctx, &s, "err", &e), SIGNET_EREGISTRY);
	assert_untouched(&l);
	snprintf(want, sizeof(want),
	         "lookaside signature http://127.0.0.1:%d/err/" SIGDIR "/signature-2: HTTP 500", s.port);
	assert_string_equal(e.msg, want);
	/* 403 is not "no signature" either */
	assert_int_equal(http_read(&l, ctx, &s, "forbidden", &e), SIGNET_EREGISTRY);
	assert_msg(&e, "/signature-1: HTTP 403");

	/* TLS spoken to a plain HTTP server: a TLS error, and no fallback to
	 * plain HTTP for a lookaside, even without verification */
	snprintf(want, sizeof(want), "https://127.0.0.1:%d/ok", s.port);
	{
		struct sn_ref r = mkref("example.com", "a/b", "v1", NULL);
		signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
		signet_ctx *noverify = NULL;

		int rc = sn_lookaside_read(&l, ctx, want, &r, D256, &e);

		if (rc != SIGNET_ETLS)
			fail_msg("%d: %s", rc, e.msg);
		assert_msg(&e, "lookaside signature: GET https://127.0.0.1:");
		o.tls_verify = 0;
		assert_int_equal(signet_ctx_new(&noverify, &o), 0);
		assert_int_equal(sn_lookaside_read(&l, noverify, want, &r, D256, &e), SIGNET_ETLS);
		signet_ctx_free(noverify);
		assert_untouched(&l);
	}

	/* a redirect is followed */
	assert_int_equal(http_read(&l, ctx, &s, "redir", &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal((char *)l.items[0].data, "http-sig1");
	sn_sig_list_free(&l);
	/* endlessly: the redirect limit, named */
	l = untouched();
	assert_int_equal(http_read(&l, ctx, &s, "loop", &e), SIGNET_ELIMIT);
	assert_msg(&e, "SIGNET_MAX_REDIRECTS");
	assert_untouched(&l);

	/* sizes: exactly the limit, one more announced, one more streamed */
	assert_int_equal(http_read(&l, ctx, &s, "exact", &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].len, SIGNET_MAX_SIGNATURE_SIZE);
	sn_sig_list_free(&l);
	l = untouched();
	assert_int_equal(http_read(&l, ctx, &s, "big", &e), SIGNET_ELIMIT);
	assert_msg(&e, "/big/" SIGDIR
	               "/signature-1: larger than the limit of 4194304 bytes (SIGNET_MAX_SIGNATURE_SIZE)");
	assert_int_equal(http_read(&l, ctx, &s, "bigstream", &e), SIGNET_ELIMIT);
	assert_msg(&e, "larger than the limit of 4194304 bytes (SIGNET_MAX_SIGNATURE_SIZE)");
	assert_untouched(&l);

	/* counts: 128 fine, 129 is over the limit */
	assert_int_equal(http_read(&l, ctx, &s, "max", &e), 0);
	assert_int_equal(l.n, SIGNET_MAX_LOOKASIDE_SIGNATURES);
	sn_sig_list_free(&l);
	l = untouched();
	assert_int_equal(http_read(&l, ctx, &s, "many", &e), SIGNET_ELIMIT);
	snprintf(want, sizeof(want),
	         "lookaside http://127.0.0.1:%d/many/" SIGDIR
	         ": more than 128 signatures (SIGNET_MAX_LOOKASIDE_SIGNATURES)",
	         s.port);
	assert_string_equal(e.msg, want);
	assert_untouched(&l);

	server_stop(sp);
	signet_ctx_free(ctx);

	/* No request carried credentials, although the context has some. */
	log = (char *)slurp(s.log, &loglen);
	log[loglen] = '\0';
	assert_non_null(strstr(log, "GET /ok/" SIGDIR "/signature-1 HTTP/1.1\r\n"));
	/* the 500 was retried SIGNET_MAX_RETRIES times */
	{
		size_t count = 0;
		const char *p = log;

		while ((p = strstr(p, "GET /err/" SIGDIR "/signature-2 ")) != NULL) {
			count++;
			p++;
		}
		assert_int_equal(count, 1 + SIGNET_MAX_RETRIES);
	}
	for (size_t i = 0; i < loglen; i++)
		log[i] = (char)tolower((unsigned char)log[i]);
	assert_null(strstr(log, "authorization"));
	assert_null(strstr(log, "s3cret"));
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookaside_url),
	    cmocka_unit_test(test_base_problem),
	    cmocka_unit_test_setup_teardown(test_read_none, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_read_one_and_three, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_read_gap, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_read_count_limit, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_read_size_limit, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_read_total_limit, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_read_damaged_entry, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_read_percent_encoded, setup_dir, teardown_dir),
	    cmocka_unit_test(test_read_arguments),
	    cmocka_unit_test_setup_teardown(test_write_appends, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_write_creates_dirs, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_write_refusals, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_write_concurrent, setup_dir, teardown_dir),
	    cmocka_unit_test(test_http_refused),
	    cmocka_unit_test(test_http_fetch_arguments),
	    cmocka_unit_test_setup_teardown(test_http_reads, setup_dir, teardown_http),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
