/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/gpgme_lazy.h: gpgme, loaded on first use (base/lazylib.h).
 *
 * Only OpenPGP signing uses gpgme; verification is in process.  Linked,
 * libgpgme.so.11 with libassuan and libgpg-error would be mapped by every
 * signet process, a standalone verification included (about 1 ms of each
 * process's start-up).  So it is not linked: sign/ includes this header
 * instead of <gpgme.h>, calls sn_gpgme_load() before its first gpgme call
 * on a code path, and then calls gpgme as usual: each function it uses is
 * redefined below as a macro calling through the table.
 *
 * gpgme_error() and gpgme_err_code() stay gpgme.h's inline functions
 * (bit operations, no call into libgpg-error); gpgme_check_version() and
 * gpgme_error_from_syserror(), which call into gpgme, are redefined.
 */
#ifndef SN_GPGME_LAZY_H
#define SN_GPGME_LAZY_H

#ifdef GPGME_H
#error "sign/gpgme_lazy.h must be included instead of <gpgme.h>, not after it"
#endif
#include <stddef.h>

#include <gpgme.h>

#include "base/error.h"

/* The soname loaded: the ABI (Debian libgpgme11), not a path. */
#define SN_GPGME_SONAME "libgpgme.so.11"

/* X(function) for each gpgme function signet calls.  Calling any other
 * fails to link (gpgme is not linked): add it here and a macro below. */
#define SN_GPGME_FUNCTIONS(X)                                                                                \
	X(gpgme_check_version_internal)                                                                      \
	X(gpgme_engine_check_version)                                                                        \
	X(gpgme_strerror_r)                                                                                  \
	X(gpgme_err_code_from_syserror)                                                                      \
	X(gpgme_io_writen)                                                                                   \
	X(gpgme_new)                                                                                         \
	X(gpgme_release)                                                                                     \
	X(gpgme_set_protocol)                                                                                \
	X(gpgme_ctx_set_engine_info)                                                                         \
	X(gpgme_set_armor)                                                                                   \
	X(gpgme_set_textmode)                                                                                \
	X(gpgme_set_pinentry_mode)                                                                           \
	X(gpgme_set_passphrase_cb)                                                                           \
	X(gpgme_get_key)                                                                                     \
	X(gpgme_key_unref)                                                                                   \
	X(gpgme_signers_add)                                                                                 \
	X(gpgme_op_sign)                                                                                     \
	X(gpgme_op_sign_result)                                                                              \
	X(gpgme_op_export)                                                                                   \
	X(gpgme_data_new)                                                                                    \
	X(gpgme_data_new_from_mem)                                                                           \
	X(gpgme_data_release)                                                                                \
	X(gpgme_data_release_and_get_mem)                                                                    \
	X(gpgme_free)

/* The table: one field per function, named and typed as gpgme.h declares it. */
#define SN_GPGME_FIELD(f) __typeof__(&f) f;
struct sn_gpgme_api {
	SN_GPGME_FUNCTIONS(SN_GPGME_FIELD)
};
#undef SN_GPGME_FIELD

/* Filled by the first successful sn_gpgme_load(); zeroed until then. */
extern struct sn_gpgme_api sn_gpgme_fns;

/* Loads libgpgme.so.11 (the first call in the process tries, thread-safely):
 * 0, or SIGNET_EIO with "libgpgme.so.11 could not be loaded: <reason>". */
int sn_gpgme_load(struct sn_err *e);

#undef gpgme_check_version
#define gpgme_check_version(req)                                                                             \
	(sn_gpgme_fns.gpgme_check_version_internal((req), offsetof(struct _gpgme_signature, validity)))
#define gpgme_error_from_syserror() (gpgme_error(gpgme_err_code_from_syserror()))

#define gpgme_engine_check_version(...)     (sn_gpgme_fns.gpgme_engine_check_version(__VA_ARGS__))
#define gpgme_strerror_r(...)               (sn_gpgme_fns.gpgme_strerror_r(__VA_ARGS__))
#define gpgme_err_code_from_syserror()      (sn_gpgme_fns.gpgme_err_code_from_syserror())
#define gpgme_io_writen(...)                (sn_gpgme_fns.gpgme_io_writen(__VA_ARGS__))
#define gpgme_new(...)                      (sn_gpgme_fns.gpgme_new(__VA_ARGS__))
#define gpgme_release(...)                  (sn_gpgme_fns.gpgme_release(__VA_ARGS__))
#define gpgme_set_protocol(...)             (sn_gpgme_fns.gpgme_set_protocol(__VA_ARGS__))
#define gpgme_ctx_set_engine_info(...)      (sn_gpgme_fns.gpgme_ctx_set_engine_info(__VA_ARGS__))
#define gpgme_set_armor(...)                (sn_gpgme_fns.gpgme_set_armor(__VA_ARGS__))
#define gpgme_set_textmode(...)             (sn_gpgme_fns.gpgme_set_textmode(__VA_ARGS__))
#define gpgme_set_pinentry_mode(...)        (sn_gpgme_fns.gpgme_set_pinentry_mode(__VA_ARGS__))
#define gpgme_set_passphrase_cb(...)        (sn_gpgme_fns.gpgme_set_passphrase_cb(__VA_ARGS__))
#define gpgme_get_key(...)                  (sn_gpgme_fns.gpgme_get_key(__VA_ARGS__))
#define gpgme_key_unref(...)                (sn_gpgme_fns.gpgme_key_unref(__VA_ARGS__))
#define gpgme_signers_add(...)              (sn_gpgme_fns.gpgme_signers_add(__VA_ARGS__))
#define gpgme_op_sign(...)                  (sn_gpgme_fns.gpgme_op_sign(__VA_ARGS__))
#define gpgme_op_sign_result(...)           (sn_gpgme_fns.gpgme_op_sign_result(__VA_ARGS__))
#define gpgme_op_export(...)                (sn_gpgme_fns.gpgme_op_export(__VA_ARGS__))
#define gpgme_data_new(...)                 (sn_gpgme_fns.gpgme_data_new(__VA_ARGS__))
#define gpgme_data_new_from_mem(...)        (sn_gpgme_fns.gpgme_data_new_from_mem(__VA_ARGS__))
#define gpgme_data_release(...)             (sn_gpgme_fns.gpgme_data_release(__VA_ARGS__))
#define gpgme_data_release_and_get_mem(...) (sn_gpgme_fns.gpgme_data_release_and_get_mem(__VA_ARGS__))
#define gpgme_free(...)                     (sn_gpgme_fns.gpgme_free(__VA_ARGS__))

#endif
