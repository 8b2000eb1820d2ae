/* SPDX-License-Identifier: Apache-2.0 */
/* sign/sodium_lazy.c: the table of sign/sodium_lazy.h and its loading. */
#include "sodium_lazy.h"

#include "base/lazylib.h"

struct sn_sodium_api sn_sodium_fns;

#define SN_SODIUM_SYM(f) SN_LAZYSYM(struct sn_sodium_api, f),
static const struct sn_lazysym sodium_syms[] = {SN_SODIUM_FUNCTIONS(SN_SODIUM_SYM)};
#undef SN_SODIUM_SYM
_Static_assert(sizeof(sodium_syms) / sizeof(sodium_syms[0]) ==
                   sizeof(struct sn_sodium_api) / sizeof(void (*)(void)),
               "every field of struct sn_sodium_api is resolved");

static struct sn_lazylib sodium_lib = SN_LAZYLIB_INIT(SN_SODIUM_SONAME, sodium_syms, sn_sodium_fns);

int sn_sodium_load(struct sn_err *e)
{
	int rc;

	if ((rc = sn_lazylib_load(&sodium_lib, e)) != 0)
		return rc;
	/* Thread-safe, and does nothing once it has succeeded. */
	if (sn_sodium_fns.sodium_init() < 0)
		return sn_seterr(e, SIGNET_EIO, "libsodium could not be initialized");
	return 0;
}
