/* SPDX-License-Identifier: Apache-2.0 */
/* base/lazylib.c: shared libraries loaded on first use (see lazylib.h for why). */
#include "lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <signet/common.h>

/* dlsym() returns a void *; POSIX guarantees it holds a function pointer. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers must fit in a void *");

SN_PRINTF(2, 3) static void set_error(struct sn_lazylib *l, const char *fmt, ...)
{
	int n = snprintf(l->error, sizeof(l->error), "%s could not be loaded: ", l->soname);
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof(l->error))
		return; /* the soname alone fills it: the message stays cut */
	va_start(ap, fmt);
	(void)vsnprintf(l->error + n, sizeof(l->error) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void load(struct sn_lazylib *l)
{
	const char *why;
	void *lib, *sym;

	/* RTLD_LOCAL: the library's symbols (and its dependencies') do not
	 * join the global namespace, where they could shadow the program's. */
	if ((lib = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		set_error(l, "%s", why != NULL ? why : "unknown error");
		return;
	}
	for (size_t i = 0; i < l->n_syms; i++) {
		const struct sn_lazysym *s = &l->syms[i];

		if (s->offset > l->table_size || l->table_size - s->offset < sizeof(sym)) {
			set_error(l, "%s does not fit in its table (a bug)", s->name);
			goto fail;
		}
		/* dlerror() is NULL after a symbol whose address is NULL. */
		(void)dlerror();
		if ((sym = dlsym(lib, s->name)) == NULL) {
			why = dlerror();
			set_error(l, "%s", why != NULL ? why : "a function's address is NULL");
			goto fail;
		}
		memcpy((char *)l->table + s->offset, &sym, sizeof(sym));
	}
	l->loaded = 1;
	return;
fail:
	memset(l->table, 0, l->table_size);
	(void)dlclose(lib);
}

/*
 * One lock for every library: loading happens once per library and
 * process, and later calls only read two flags.  (pthread_once() would
 * need a routine per library, its routine taking no argument; handing the
 * library over in a thread-local would cost each process __tls_get_addr.)
 */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

int sn_lazylib_load(struct sn_lazylib *l, struct sn_err *e)
{
	int loaded;

	(void)pthread_mutex_lock(&load_lock);
	if (!l->tried) {
		load(l);
		l->tried = 1;
	}
	loaded = l->loaded;
	(void)pthread_mutex_unlock(&load_lock);
	if (!loaded)
		return sn_seterr(e, SIGNET_EIO, "%s", l->error);
	return 0;
}
