/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/curl_load.c: loads libcurl on first use (see curl_load.h for
 * why).  All or nothing: either every function of the table comes from
 * libcurl and curl_global_init() succeeded, or the table is the stubs.
 */
#include "curl_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The ABI, not a path: whichever libcurl4 flavour the system installed. */
#define SN_LIBCURL_SONAME "libcurl.so.4"

static char load_error[512]; /* why loading failed; "" until it has */

/* dlsym() returns a void *; POSIX guarantees it holds a function pointer. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers must fit in a void *");

/* ---- stubs: libcurl could not be loaded ------------------------------- */

static CURL *stub_easy_init(void)
{
	return NULL;
}

static void stub_easy_void(CURL *curl)
{
}

static CURLcode stub_easy_setopt(CURL *curl, CURLoption option, ...)
{
	return CURLE_FAILED_INIT;
}

static CURLcode stub_easy_perform(CURL *curl)
{
	return CURLE_FAILED_INIT;
}

static CURLcode stub_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	return CURLE_FAILED_INIT;
}

static const char *stub_easy_strerror(CURLcode code)
{
	return load_error;
}

static CURLHcode stub_easy_header(CURL *curl, const char *name, size_t index, unsigned int origin, int request,
                                  struct curl_header **hout)
{
	return CURLHE_BAD_ARGUMENT;
}

static struct curl_slist *stub_slist_append(struct curl_slist *list, const char *string)
{
	return NULL;
}

/* Only ever given NULL: no stub returns a list. */
static void stub_slist_free_all(struct curl_slist *list)
{
}

static const struct sn_curl_api stubs = {
    .easy_init = stub_easy_init,
    .easy_cleanup = stub_easy_void,
    .easy_reset = stub_easy_void,
    .easy_setopt = stub_easy_setopt,
    .easy_perform = stub_easy_perform,
    .easy_getinfo = stub_easy_getinfo,
    .easy_strerror = stub_easy_strerror,
    .easy_header = stub_easy_header,
    .slist_append = stub_slist_append,
    .slist_free_all = stub_slist_free_all,
};

/* ---- loading ---------------------------------------------------------- */

#define SN_CURL_FN(field) {"curl_" #field, offsetof(struct sn_curl_api, field)}

static const struct {
	const char *name;
	size_t offset;
} functions[] = {
    SN_CURL_FN(easy_init),    SN_CURL_FN(easy_cleanup),   SN_CURL_FN(easy_reset),    SN_CURL_FN(easy_setopt),
    SN_CURL_FN(easy_perform), SN_CURL_FN(easy_getinfo),   SN_CURL_FN(easy_strerror), SN_CURL_FN(easy_header),
    SN_CURL_FN(slist_append), SN_CURL_FN(slist_free_all),
};
_Static_assert(sizeof(functions) / sizeof(functions[0]) == sizeof(struct sn_curl_api) / sizeof(void (*)(void)),
               "every field of struct sn_curl_api is resolved");

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static struct sn_curl_api loaded;
static const struct sn_curl_api *table = &stubs; /* written only in load() */

static void set_load_error(const char *why)
{
	(void)snprintf(load_error, sizeof(load_error), SN_LIBCURL_SONAME " could not be loaded: %s",
	               why != NULL ? why : "unknown error");
}

static void load(void)
{
	CURLcode (*global_init)(long flags);
	void *lib, *sym;
	CURLcode cc;

	/* RTLD_LOCAL: libcurl's symbols (and those of its dependencies) do not
	 * join the global namespace, where they could shadow the program's. */
	if ((lib = dlopen(SN_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		set_load_error(dlerror());
		return;
	}
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
		if ((sym = dlsym(lib, functions[i].name)) == NULL) {
			set_load_error(dlerror());
			goto fail;
		}
		memcpy((char *)&loaded + functions[i].offset, &sym, sizeof(sym));
	}
	if ((sym = dlsym(lib, "curl_global_init")) == NULL) {
		set_load_error(dlerror());
		goto fail;
	}
	memcpy(&global_init, &sym, sizeof(sym));
	/* Not thread-safe in libcurl before 7.84; pthread_once serializes it.
	 * Never undone (no curl_global_cleanup): libcurl stays for the
	 * process's lifetime, as it did when it was linked. */
	if ((cc = global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		char why[256];

		(void)snprintf(why, sizeof(why), "curl_global_init failed: %s", loaded.easy_strerror(cc));
		set_load_error(why);
		goto fail;
	}
	table = &loaded;
	return;
fail:
	(void)dlclose(lib);
}

const struct sn_curl_api *sn_curl(void)
{
	(void)pthread_once(&load_once, load);
	return table;
}

const char *sn_curl_load_error(void)
{
	return sn_curl() == &stubs ? load_error : NULL;
}

int sn_curl_fail(struct sn_err *e)
{
	const char *why = sn_curl_load_error();

	return why != NULL ? sn_seterr(e, SIGNET_EIO, "%s", why) : sn_enomem(e);
}
