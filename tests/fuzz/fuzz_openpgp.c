/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_openpgp.c: signet's in-process OpenPGP verifier
 * (verify/openpgp.c, base/pgp_*.c), never gpg, no files, no processes.
 * One input is used three ways:
 *
 *   - as a signature blob: blob detection, then the message grammar
 *     (sn_openpgp_check_structure), on the whole input and on the chunk
 *     behind a "\0FORMAT\n" header;
 *   - as a pinned key file (sn_openpgp_check_key: armor, packets,
 *     certificates, self-signatures);
 *   - as key files and a blob for the whole backend, when the input is
 *     cut in pieces by fuzz_openpgp_input.h's separator:
 *     KEY [SPLIT KEY]... SPLIT BLOB -> verifier_new(KEYS), describe,
 *     verify(BLOB).
 *
 * Besides crashes, leaks and undefined behaviour, the harness aborts when
 * the backend breaks its contract (verify/verify.h): a return code
 * outside the documented ones, an error without a message, a success
 * without a payload or with a malformed signer, or a blob verify accepts
 * whose message sn_openpgp_check_structure refuses (or whose key files
 * sn_openpgp_check_key refuses).
 * fixtures/make-fuzz-seeds.sh writes the seeds: good and bad signatures
 * by RSA, EdDSA, ECDSA keys and signing subkeys, made by gpg.
 * tests/fuzz/diff_openpgp.c replays a corpus against gpg itself.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_openpgp_input.h"
#include "verify/verify.h"

/* Larger inputs only repeat what smaller ones reach, more slowly. */
#define FUZZ_OPENPGP_MAX_INPUT (256u * 1024u)

static void expect(int cond)
{
	if (!cond)
		abort();
}

static int upper_hex40(const char *s)
{
	if (s == NULL || strlen(s) != 40)
		return 0;
	for (size_t i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

static int grammar(const unsigned char *msg, size_t len)
{
	struct sn_err e;
	int rc = sn_openpgp_check_structure(msg, len, &e);

	expect(rc == 0 || rc == SIGNET_EBADINPUT || rc == SIGNET_EUNSUPPORTED || rc == SIGNET_ELIMIT ||
	       rc == SIGNET_ENOMEM);
	expect(rc == 0 || (e.code == rc && e.msg[0] != '\0'));
	return rc;
}

/* Detection, then the grammar on what verify would read (and on the
 * input as it is, when that is something else); returns the grammar's
 * verdict on what verify reads, 1 when detection refuses. */
static int structure(const uint8_t *data, size_t size, int also_raw)
{
	enum sn_sig_format fmt;
	const unsigned char *msg;
	size_t msg_len;
	struct sn_err e;

	if (sn_sig_detect(&fmt, &msg, &msg_len, data, size, &e) != 0 || fmt != SN_SIG_SIMPLE_SIGNING) {
		if (also_raw && size > 0)
			(void)grammar(data, size);
		return 1;
	}
	if (also_raw && msg != data)
		(void)grammar(data, size);
	return grammar(msg, msg_len);
}

static void whole_backend(const struct fuzz_openpgp_input *in)
{
	static const char *const names[FUZZ_OPENPGP_MAX_KEYS] = {"fuzz key 1", "fuzz key 2", "fuzz key 3",
	                                                         "fuzz key 4"};
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_buf payload, desc;
	void *state = NULL;
	struct sn_err e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = sn_openpgp_backend.verifier_new(&state, in->keys, names, in->n_keys, &e);
	if (rc != 0) {
		expect(rc == SIGNET_EBADINPUT || rc == SIGNET_ELIMIT || rc == SIGNET_ENOMEM);
		expect(e.code == rc && e.msg[0] != '\0' && state == NULL);
		return;
	}
	sn_buf_init(&desc, 1u << 20, "description");
	rc = sn_openpgp_backend.describe(state, &desc, &e);
	expect(rc == 0 || rc == SIGNET_ENOMEM || rc == SIGNET_ELIMIT);
	sn_buf_free(&desc);

	memset(&e, 0, sizeof(e));
	memset(&payload, 0, sizeof(payload));
	rc = sn_openpgp_backend.verify(state, in->blob, in->blob_len, &payload, &who, &e);
	if (rc == 0) {
		expect(payload.data != NULL && payload.len <= SIGNET_MAX_SIGNATURE_SIZE);
		expect(upper_hex40(who.fingerprint) && upper_hex40(who.signing_fingerprint));
		/* What verify accepts, the structure check accepts; the key
		 * files it trusted pass the key check one by one. */
		expect(structure(in->blob, in->blob_len, 0) == 0);
		for (size_t i = 0; i < in->n_keys; i++)
			expect(sn_openpgp_check_key(in->keys[i].data, in->keys[i].len, names[i], &e) == 0);
		sn_buf_free(&payload);
		sn_signer_clear(&who);
	} else {
		expect(rc == SIGNET_EDENIED || rc == SIGNET_EBADINPUT || rc == SIGNET_EUNSUPPORTED ||
		       rc == SIGNET_ELIMIT || rc == SIGNET_ENOMEM);
		expect(e.code == rc && e.msg[0] != '\0');
		expect(payload.data == NULL && who.fingerprint == NULL);
	}
	sn_openpgp_backend.verifier_free(state);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_openpgp_input in;
	struct sn_err e;
	int rc;

	if (size > FUZZ_OPENPGP_MAX_INPUT)
		return 0;
	(void)structure(data, size, 1);
	rc = sn_openpgp_check_key(data, size, "fuzz key", &e);
	expect(rc == 0 || rc == SIGNET_EBADINPUT || rc == SIGNET_ELIMIT || rc == SIGNET_ENOMEM);
	if (fuzz_openpgp_split(&in, data, size) == 0)
		whole_backend(&in);
	return 0;
}
