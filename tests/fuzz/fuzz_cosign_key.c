/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_cosign_key.c: signing keys (sign/sigstore_keys.c, built
 * with the signer feature): the input as the JSON body of a cosign
 * encrypted key, opened with the empty passphrase (sn_cosign_decrypt), and
 * as a key file (sn_sigstore_load_private_key reads a path: the input is
 * written to a private temporary file), without a passphrase file.
 * Accepted scrypt parameters cost 32 MiB and some 100 ms per try: the
 * fuzzer is slow on inputs that get that far, by design of the format.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "fuzz.h"
#include "fuzz_tmpfile.h"
#include "sign/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *plain = NULL;
	size_t plain_len = 0;
	EVP_PKEY *key = NULL;
	const char *path;
	struct sn_err e;

	if (size > SN_PEM_MAX_SIZE)
		return 0;
	if (sn_cosign_decrypt(&plain, &plain_len, data, size, (const unsigned char *)"", 0, "fuzz key", &e) == 0)
		OPENSSL_clear_free(plain, plain_len + 1);
	if ((path = fuzz_write("key.pem", data, size)) == NULL)
		return 0;
	if (sn_sigstore_load_private_key(&key, path, NULL, &e) == 0)
		EVP_PKEY_free(key);
	return 0;
}
