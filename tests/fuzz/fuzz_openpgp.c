/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_openpgp.c: signet's own OpenPGP packet walk
 * (verify/openpgp.c), never gpg: the input as a signed message (after blob
 * detection, as verify does; and as it is), and as a pinned key file.
 */
#include "fuzz.h"
#include "verify/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum sn_sig_format fmt;
	const unsigned char *msg;
	size_t msg_len;
	struct sn_err e;

	if (size > SIGNET_MAX_SIGNATURE_SIZE)
		return 0;
	(void)sn_openpgp_check_structure(data, size, &e);
	if (sn_sig_detect(&fmt, &msg, &msg_len, data, size, &e) == 0 && fmt == SN_SIG_SIMPLE_SIGNING &&
	    msg != data)
		(void)sn_openpgp_check_structure(msg, msg_len, &e);
	(void)sn_openpgp_check_key(data, size, "fuzz key", &e);
	return 0;
}
