/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/cosign_key.h: the keys of cosign signatures (cosign_key.c): which
 * types, curves and sizes signet accepts, the digest each signs with, key
 * ids.  Shared by policy/, verify/ (the sigstore backend) and sign/.
 */
#ifndef SN_BASE_COSIGN_KEY_H
#define SN_BASE_COSIGN_KEY_H

#include "base/error.h"

struct evp_pkey_st;

/* "SHA256:" + 64 hex + NUL */
#define SN_SIGSTORE_KEY_ID_MAX 72

/*
 * Checks that a public or private key is one the sigstore backend
 * accepts (ECDSA P-256/384/521 on named curves, RSA of 2048 to 4096 bits,
 * Ed25519).  Returns 0 or
 * SIGNET_EUNSUPPORTED naming what.
 */
int sn_sigstore_key_check(const struct evp_pkey_st *key, const char *what, struct sn_err *e);

/* The digest a key of an accepted type signs with: "SHA256" (OpenSSL's
 * name) for RSA and every ECDSA curve, as containers/image; NULL for
 * Ed25519 (no separate digest). */
const char *sn_sigstore_key_digest(const struct evp_pkey_st *key);

/* The key id of a (public or private) key: "SHA256:" + lowercase hex of
 * SHA-256 over its public key's SubjectPublicKeyInfo DER.  Returns 0 or
 * SIGNET_ENOMEM / SIGNET_EBADINPUT. */
int sn_sigstore_key_id(char out[SN_SIGSTORE_KEY_ID_MAX], const struct evp_pkey_st *key, struct sn_err *e);

#endif
