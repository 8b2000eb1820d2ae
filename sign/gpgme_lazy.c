/* SPDX-License-Identifier: Apache-2.0 */
/* sign/gpgme_lazy.c: the table of sign/gpgme_lazy.h and its loading. */
#include "gpgme_lazy.h"

#include "base/lazylib.h"

struct sn_gpgme_api sn_gpgme_fns;

#define SN_GPGME_SYM(f) SN_LAZYSYM(struct sn_gpgme_api, f),
static const struct sn_lazysym gpgme_syms[] = {SN_GPGME_FUNCTIONS(SN_GPGME_SYM)};
#undef SN_GPGME_SYM
_Static_assert(sizeof(gpgme_syms) / sizeof(gpgme_syms[0]) ==
                   sizeof(struct sn_gpgme_api) / sizeof(void (*)(void)),
               "every field of struct sn_gpgme_api is resolved");

static struct sn_lazylib gpgme_lib = SN_LAZYLIB_INIT(SN_GPGME_SONAME, gpgme_syms, sn_gpgme_fns);

int sn_gpgme_load(struct sn_err *e)
{
	return sn_lazylib_load(&gpgme_lib, e);
}
