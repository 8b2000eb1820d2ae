/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/curl_load.h: libcurl, loaded on first use.
 *
 * Most of what signet does (verifying dir: and oci: images, standalone
 * verification) never touches the network, yet linking libcurl makes every
 * process map libcurl and its ~30 dependencies (nghttp2, ssh2, krb5, ldap,
 * gnutls, ...): about twice the memory and several milliseconds of start-up.
 * So libcurl is not linked: the first call of any curl_* function below
 * dlopen()s libcurl.so.4, resolves the functions signet uses and runs
 * curl_global_init(CURL_GLOBAL_DEFAULT), once per process and thread-safely
 * (pthread_once), from whichever thread gets there first.
 *
 * The registry code includes this header instead of <curl/curl.h> and
 * calls libcurl as usual: each function it uses is redefined as a macro
 * calling through the table.  When libcurl cannot be loaded, the table
 * holds stubs that fail as libcurl does (curl_easy_init() returns NULL,
 * the others an error code) and sn_curl_load_error() says why.  URLs are
 * not libcurl's business: registry/url.h parses them.
 */
#ifndef SN_CURL_LOAD_H
#define SN_CURL_LOAD_H

#ifdef CURLINC_CURL_H
#error "registry/curl_load.h must be included instead of <curl/curl.h>, not after it"
#endif
/* The type-checking macros of typecheck-gcc.h would call the libcurl
 * functions by name; the macros below call through the table instead. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "base/base.h"

/* The libcurl functions signet calls; each field is the function's name
 * without its curl_ prefix (curl_load.c resolves them by that name).
 * Calling any other libcurl function fails to link (libcurl is not
 * linked): add it here, to the list in curl_load.c and to the macros. */
struct sn_curl_api {
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *curl);
	void (*easy_reset)(CURL *curl);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	CURLHcode (*easy_header)(CURL *curl, const char *name, size_t index, unsigned int origin, int request,
	                         struct curl_header **hout);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
	void (*slist_free_all)(struct curl_slist *list);
};

/* The table: libcurl's functions, or the failing stubs when libcurl could
 * not be loaded.  Loads libcurl on the first call; never NULL. */
const struct sn_curl_api *sn_curl(void);

/* NULL when libcurl is loaded, else "libcurl.so.4 could not be loaded:
 * <reason>" (static storage).  Loads libcurl on the first call. */
const char *sn_curl_load_error(void);

/* For a NULL from curl_easy_init(): records and returns
 * SIGNET_EIO with sn_curl_load_error() when libcurl could not be loaded,
 * else SIGNET_ENOMEM ("out of memory"), which is what a NULL means then. */
int sn_curl_fail(struct sn_err *e);

/* <curl/curl.h> defines these two as macros checking the argument count. */
#undef curl_easy_setopt
#undef curl_easy_getinfo

#define curl_easy_init()          (sn_curl()->easy_init())
#define curl_easy_cleanup(...)    (sn_curl()->easy_cleanup(__VA_ARGS__))
#define curl_easy_reset(...)      (sn_curl()->easy_reset(__VA_ARGS__))
#define curl_easy_setopt(...)     (sn_curl()->easy_setopt(__VA_ARGS__))
#define curl_easy_perform(...)    (sn_curl()->easy_perform(__VA_ARGS__))
#define curl_easy_getinfo(...)    (sn_curl()->easy_getinfo(__VA_ARGS__))
#define curl_easy_strerror(...)   (sn_curl()->easy_strerror(__VA_ARGS__))
#define curl_easy_header(...)     (sn_curl()->easy_header(__VA_ARGS__))
#define curl_slist_append(...)    (sn_curl()->slist_append(__VA_ARGS__))
#define curl_slist_free_all(...)  (sn_curl()->slist_free_all(__VA_ARGS__))

#endif
