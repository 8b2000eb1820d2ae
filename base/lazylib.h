/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/lazylib.h: a shared library loaded on first use.
 *
 * A library that only some commands need (gpgme and libsodium: signing
 * only) is not linked: linking it would make every process, verifications
 * included, map it and its dependencies at start-up.  Instead its user
 * keeps a table of function pointers, describes where each function goes
 * (struct sn_lazysym), and calls sn_lazylib_load() before its first call
 * through the table.  The first sn_lazylib_load() of a library in the
 * process dlopen()s its soname and resolves every function, once and
 * thread-safely (under a lock), whichever thread gets there first; the
 * later ones return what that one found.
 *
 * All or nothing: either every function resolved and the table is filled,
 * or the library is closed again, the table stays zeroed and every load
 * fails with SIGNET_EIO and "SONAME could not be loaded: <reason>".
 * A loaded library stays for the process's lifetime.
 */
#ifndef SN_LAZYLIB_H
#define SN_LAZYLIB_H

#include <stddef.h>

#include "base/error.h"

/* Room for "SONAME could not be loaded: " and dlerror()'s reason. */
#define SN_LAZYLIB_ERROR_SIZE 512

/* One function of a table: its symbol in the library, and the offset in
 * the table of the function-pointer field its address goes to. */
struct sn_lazysym {
	const char *name;
	size_t offset;
};

/* The sn_lazysym of field FIELD (a function pointer) of struct type TYPE,
 * resolved from the symbol of the same name.  (Not formatted: clang-format
 * would spread a braced initializer in a macro over four lines.) */
/* clang-format off */
#define SN_LAZYSYM(type, field) {#field, offsetof(type, field)}
/* clang-format on */

/* One library.  Define it statically with SN_LAZYLIB_INIT; the fields
 * after table_size belong to lazylib.c. */
struct sn_lazylib {
	const char *soname;                /* the ABI, e.g. "libgpgme.so.11", not a path */
	const struct sn_lazysym *syms;     /* what to resolve */
	size_t n_syms;                     /* entries of syms */
	void *table;                       /* the caller's struct of function pointers */
	size_t table_size;                 /* sizeof it: n_syms function pointers */
	int tried;                         /* 1 once loading was tried */
	int loaded;                        /* 1 once the table is filled */
	char error[SN_LAZYLIB_ERROR_SIZE]; /* why loading failed; "" until it has */
};

/* SONAME (a string literal), SYMS (an array of struct sn_lazysym) and
 * TABLE (a struct of function pointers, an lvalue of static storage). */
/* clang-format off */
#define SN_LAZYLIB_INIT(soname, syms, table) \
	{(soname), (syms), sizeof(syms) / sizeof((syms)[0]), &(table), sizeof(table), 0, 0, ""}
/* clang-format on */

/* Loads l (only the first call in the process tries) and returns 0 when
 * its table is filled, else SIGNET_EIO with "SONAME could not be loaded:
 * <reason>" in e.  Thread-safe; call it before the first use of the table
 * on each code path: a successful return also makes the table the loading
 * thread wrote visible to this one. */
int sn_lazylib_load(struct sn_lazylib *l, struct sn_err *e);

#endif
