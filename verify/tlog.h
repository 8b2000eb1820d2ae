/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/tlog.h: the time evidence of a keyless Sigstore bundle (tlog.c,
 * internal): its transparency log entries (Rekor v1 entries as sigstore's
 * protobuf-specs TransparencyLogEntry writes them in a bundle) and its
 * RFC 3161 timestamps, checked offline against the logs and timestamp
 * authorities of a trusted root, in process with OpenSSL.
 *
 * Which evidence gives a *verified* signing time:
 *   - an RFC 3161 timestamp that verifies: its genTime;
 *   - a log entry whose inclusion promise (the SET, the log's signature
 *     over {body, integratedTime, logID, logIndex}) verifies: its
 *     integratedTime;
 *   - a log entry with an inclusion proof only: none (-1).  The proof and
 *     its checkpoint show the body is in the log, but nothing the log
 *     signed covers integratedTime, so anyone holding the bundle can move
 *     it.  sigstore-js (@sigstore/verify 2.1.1) does take integratedTime
 *     from such an entry; signet follows sigstore's protobuf-specs (#442:
 *     "integration time is only trustworthy with an SET"), sigstore-go and
 *     sigstore-python, which do not.
 *
 * Every refusal's message holds one of these fragments (callers and tests
 * rely on them):
 *   "inclusion proof does not verify"   audit path, index, root hash, or the
 *                                       checkpoint naming another tree
 *   "checkpoint signature does not verify"
 *   "signed entry timestamp does not verify"
 *   "no transparency log proof"         neither proof present
 *   "not from a trusted transparency log"  logId not a trusted log, or the
 *                                       log not valid at integratedTime
 *   "transparency log entry is about another signature"
 *   "timestamp does not verify"         RFC 3161
 * Those are SIGNET_EDENIED; a malformed entry or token is SIGNET_EBADINPUT
 * naming the member, a crossed limit SIGNET_ELIMIT naming it, a Rekor
 * entry kind other than dsse 0.0.1 and hashedrekord 0.0.1
 * SIGNET_EUNSUPPORTED.
 */
#ifndef SN_VERIFY_TLOG_H
#define SN_VERIFY_TLOG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/base.h"

/* One transparency log of the trusted root (tlogs[]).  Borrowed: the
 * caller owns key. */
struct sn_tlog_key {
	unsigned char log_id[32];        /* SHA-256 of the key's DER SubjectPublicKeyInfo */
	EVP_PKEY *key;                   /* ECDSA (SHA-256), Ed25519 or RSA PKCS#1 v1.5 (SHA-256) */
	int64_t valid_from, valid_until; /* unix seconds; valid_until 0 = open */
};

/* One timestamp authority of the trusted root (timestampAuthorities[]).
 * Borrowed: the caller owns chain. */
struct sn_tsa {
	STACK_OF(X509) * chain;          /* leaf (TSA) first, then intermediates, root last */
	int64_t valid_from, valid_until; /* unix seconds; valid_until 0 = open */
};

/* What a log entry must be about.  All borrowed. */
struct sn_tlog_subject {
	const unsigned char *sig; /* the bundle's signature bytes */
	size_t sig_len;
	const unsigned char *cert_der; /* the signing certificate (DER), or NULL for a key */
	size_t cert_len;
	const unsigned char *payload; /* the DSSE envelope's payload, or the signed message */
	size_t payload_len;
	const char *payload_type; /* the DSSE payloadType, or NULL for a message signature */
};

/*
 * Verifies one element of a bundle's verificationMaterial.tlogEntries[]
 * (the JSON object as in the bundle; int64 members are decimal strings,
 * as protobuf's JSON writes them, bytes are padded base64).  Members:
 * logIndex, logId.keyId, kindVersion {kind, version}, integratedTime,
 * canonicalizedBody (required), inclusionPromise {signedEntryTimestamp},
 * inclusionProof {logIndex, rootHash, treeSize, hashes, checkpoint
 * {envelope}} (at least one of the two); no other member.
 *
 *   - the canonicalizedBody is a Rekor entry about subj: with
 *     payload_type set, a dsse 0.0.1 body (exactly one signature, equal to
 *     subj->sig; payloadHash sha256 = SHA-256(payload)); else a
 *     hashedrekord 0.0.1 body (signature.content = subj->sig, data.hash
 *     sha256 = SHA-256(payload)); its kind and apiVersion are kindVersion's.
 *     With cert_der set, the body's verifier (PEM certificate) is that
 *     certificate;
 *   - logId is one of logs[], valid at integratedTime;
 *   - the inclusion promise: the log key's signature over the canonical
 *     JSON {"body","integratedTime","logID" (hex),"logIndex"};
 *   - the inclusion proof: the RFC 6962 / RFC 9162 audit path from
 *     SHA-256(0x00 || body) at logIndex in a tree of treeSize to rootHash
 *     (at most SIGNET_MAX_INCLUSION_PROOF_HASHES hashes), and the
 *     checkpoint, a C2SP signed note of at most SIGNET_MAX_CHECKPOINT_SIZE
 *     bytes: "ORIGIN\nSIZE\nBASE64(ROOT)\n[extension lines]\n\n" and
 *     signature lines "— NAME BASE64(KEYHINT || SIG)\n", SIZE and ROOT
 *     those of the proof, at least one line whose key hint (4 bytes) is
 *     the log's logId prefix, and each such line verifies with the log key
 *     over the note text; lines of other keys (witnesses) are ignored.
 *
 * *signed_time receives integratedTime when the inclusion promise
 * verified, else -1 (see the top of this file).  Returns 0,
 * SIGNET_EBADINPUT, SIGNET_ELIMIT, SIGNET_EDENIED, SIGNET_EUNSUPPORTED or
 * SIGNET_ENOMEM;
 * *signed_time untouched on failure.
 */
int sn_tlog_entry_verify(int64_t *signed_time, json_t *entry, const struct sn_tlog_key *logs, size_t n_logs,
                         const struct sn_tlog_subject *subj, struct sn_err *e);

/*
 * Verifies a bundle's whole tlogEntries array: 1 to SIGNET_MAX_TLOG_ENTRIES
 * elements, each with sn_tlog_entry_verify (the first refusal is the
 * answer, its message prefixed with "tlogEntries[i]: ").  times[] receives
 * the verified times (those not -1), *n_times how many: a certificate
 * must be valid at each.  Outputs untouched on failure.
 */
int sn_tlog_entries_verify(int64_t times[SIGNET_MAX_TLOG_ENTRIES], size_t *n_times, json_t *entries,
                           const struct sn_tlog_key *logs, size_t n_logs, const struct sn_tlog_subject *subj,
                           struct sn_err *e);

/*
 * Verifies an RFC 3161 timestamp: token is the DER TimeStampResp of a
 * bundle's timestampVerificationData.rfc3161Timestamps[].signedTimestamp
 * (at most SIGNET_MAX_TIMESTAMP_SIZE bytes, no trailing bytes), status
 * granted; its message imprint is SHA-256 over sig; it is signed by the
 * leaf (chain[0]) of one of tsas[], whose chain verifies up to its root
 * at the token's genTime (timeStamping EKU as OpenSSL's TS verifier
 * requires), genTime inside that authority's validity.  *signed_time =
 * genTime (unix seconds).  Returns 0, SIGNET_EBADINPUT, SIGNET_ELIMIT,
 * SIGNET_EDENIED or SIGNET_ENOMEM; *signed_time untouched on failure.
 */
int sn_tsa_verify(int64_t *signed_time, const unsigned char *token, size_t token_len,
                  const unsigned char *sig, size_t sig_len, const struct sn_tsa *tsas, size_t n_tsas,
                  struct sn_err *e);

#endif
