/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/test_lazylib.c: base/lazylib.c, libraries loaded on first use:
 * a table filled all or nothing, the reason kept, one load per process
 * whatever the number of threads asking.  zlib (libz.so.1, which signet
 * links anyway) stands in for gpgme and libsodium. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "base/lazylib.h"

struct zlib_api {
	__typeof__(&zlibVersion) zlibVersion;
	__typeof__(&adler32) adler32;
};

static const struct sn_lazysym zlib_syms[] = {SN_LAZYSYM(struct zlib_api, zlibVersion),
                                              SN_LAZYSYM(struct zlib_api, adler32)};

/* The same table with a function zlib does not have at the end. */
struct broken_api {
	__typeof__(&zlibVersion) zlibVersion;
	void (*sn_no_such_function)(void);
};

static const struct sn_lazysym broken_syms[] = {SN_LAZYSYM(struct broken_api, zlibVersion),
                                                SN_LAZYSYM(struct broken_api, sn_no_such_function)};

static void test_load(void **state)
{
	static struct zlib_api fns;
	static struct sn_lazylib lib = SN_LAZYLIB_INIT("libz.so.1", zlib_syms, fns);
	struct sn_err e = {0};

	(void)state;
	assert_null(fns.zlibVersion);
	assert_int_equal(sn_lazylib_load(&lib, &e), 0);
	assert_string_equal(fns.zlibVersion(), zlibVersion());
	assert_int_equal(fns.adler32(1, (const Bytef *)"abc", 3), adler32(1, (const Bytef *)"abc", 3));
	/* later calls find it loaded */
	assert_int_equal(sn_lazylib_load(&lib, NULL), 0);
	assert_string_equal(lib.error, "");
}

static void test_no_such_library(void **state)
{
	static struct zlib_api fns;
	static struct sn_lazylib lib = SN_LAZYLIB_INIT("libsignet-no-such-library.so.7", zlib_syms, fns);
	struct sn_err e = {0};
	char first[sizeof(e.msg)];

	(void)state;
	assert_int_equal(sn_lazylib_load(&lib, &e), SIGNET_EIO);
	assert_int_equal(e.code, SIGNET_EIO);
	assert_non_null(strstr(e.msg, "libsignet-no-such-library.so.7 could not be loaded: "));
	assert_non_null(strstr(e.msg, "cannot open shared object file"));
	assert_null(fns.zlibVersion);
	/* tried once: the same failure, the same reason, without a second dlopen */
	(void)snprintf(first, sizeof(first), "%s", e.msg);
	memset(&e, 0, sizeof(e));
	assert_int_equal(sn_lazylib_load(&lib, &e), SIGNET_EIO);
	assert_string_equal(e.msg, first);
	assert_int_equal(sn_lazylib_load(&lib, NULL), SIGNET_EIO);
}

static void test_missing_function(void **state)
{
	static struct broken_api fns;
	static struct sn_lazylib lib = SN_LAZYLIB_INIT("libz.so.1", broken_syms, fns);
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(sn_lazylib_load(&lib, &e), SIGNET_EIO);
	assert_non_null(strstr(e.msg, "libz.so.1 could not be loaded: "));
	assert_non_null(strstr(e.msg, "sn_no_such_function"));
	/* all or nothing: zlibVersion, which resolved, is not left in the table */
	assert_null(fns.zlibVersion);
	assert_null(fns.sn_no_such_function);
}

enum { THREADS = 8 };

static struct zlib_api shared_fns;
static struct sn_lazylib shared_lib = SN_LAZYLIB_INIT("libz.so.1", zlib_syms, shared_fns);
static pthread_barrier_t start;

static void *load_in_thread(void *arg)
{
	int *rc = arg;

	(void)pthread_barrier_wait(&start);
	*rc = sn_lazylib_load(&shared_lib, NULL);
	/* a successful load shows this thread the table */
	if (*rc == 0 && strcmp(shared_fns.zlibVersion(), zlibVersion()) != 0)
		*rc = -1000;
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[THREADS];
	int rc[THREADS];

	(void)state;
	assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, load_in_thread, &rc[i]), 0);
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(rc[i], 0);
	}
	assert_int_equal(pthread_barrier_destroy(&start), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_no_such_library),
	    cmocka_unit_test(test_missing_function),
	    cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
