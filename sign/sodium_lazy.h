/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/sodium_lazy.h: libsodium, loaded on first use (base/lazylib.h).
 *
 * Only cosign-format encrypted private keys (nacl/secretbox) need
 * libsodium, and only signing and key generation read or write them.  So
 * it is not linked, and a verification never maps it: sign/ includes this
 * header instead of <sodium.h>, calls sn_sodium_load() before its first
 * libsodium call on a code path (which also runs sodium_init()), and then
 * calls libsodium as usual through the macros below.
 */
#ifndef SN_SODIUM_LAZY_H
#define SN_SODIUM_LAZY_H

#ifdef sodium_H
#error "sign/sodium_lazy.h must be included instead of <sodium.h>, not after it"
#endif
#include <sodium.h>

#include "base/error.h"

/* The soname loaded: the ABI (Debian libsodium23), not a path. */
#define SN_SODIUM_SONAME "libsodium.so.23"

/* X(function) for each libsodium function signet calls.  Calling any
 * other fails to link (libsodium is not linked): add it here and a macro
 * below.  Secrets are wiped with OPENSSL_cleanse, not sodium_memzero. */
#define SN_SODIUM_FUNCTIONS(X)                                                                               \
	X(sodium_init)                                                                                       \
	X(crypto_secretbox_easy)                                                                             \
	X(crypto_secretbox_open_easy)

/* The table: one field per function, named and typed as <sodium.h> declares it. */
#define SN_SODIUM_FIELD(f) __typeof__(&f) f;
struct sn_sodium_api {
	SN_SODIUM_FUNCTIONS(SN_SODIUM_FIELD)
};
#undef SN_SODIUM_FIELD

/* Filled by the first successful sn_sodium_load(); zeroed until then. */
extern struct sn_sodium_api sn_sodium_fns;

/* Loads libsodium.so.23 (the first call in the process tries,
 * thread-safely) and initializes it: 0, or SIGNET_EIO with
 * "libsodium.so.23 could not be loaded: <reason>" or "libsodium could not
 * be initialized". */
int sn_sodium_load(struct sn_err *e);

#define crypto_secretbox_easy(...)      (sn_sodium_fns.crypto_secretbox_easy(__VA_ARGS__))
#define crypto_secretbox_open_easy(...) (sn_sodium_fns.crypto_secretbox_open_easy(__VA_ARGS__))

#endif
