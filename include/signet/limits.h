/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet/limits.h: every cap signet puts on untrusted input (SPEC §7).
 * Crossing one is an error (SIGNET_ELIMIT) whose message names the limit.
 */
#ifndef SIGNET_LIMITS_H
#define SIGNET_LIMITS_H

#define SIGNET_MAX_MANIFEST_SIZE (4u * 1024u * 1024u)	/* bytes of one manifest */
#define SIGNET_MAX_SIGNATURE_SIZE (4u * 1024u * 1024u)	/* bytes of one signature blob */
#define SIGNET_MAX_LOOKASIDE_SIGNATURES 128		/* signatures per image in a lookaside store */
#define SIGNET_MAX_ATTACHED_SIGNATURES 100		/* signatures per image in .sig attachments */
#define SIGNET_MAX_SIG_MANIFEST_LAYERS 100		/* layers in a cosign .sig manifest */
#define SIGNET_MAX_REFERRERS            1000             /* descriptors in one referrers index */
#define SIGNET_MAX_REFERRER_BUNDLES     100              /* Sigstore bundle referrers read per image */
#define SIGNET_MAX_SIGNATURES_TOTAL_SIZE                                                                     \
	(16u * 1024u * 1024u) /* bytes of all signatures held for one image */
#define SIGNET_MAX_JSON_DEPTH 64			/* nesting of any JSON document */
#define SIGNET_MAX_YAML_DEPTH 64			/* nesting of any YAML document */
#define SIGNET_MAX_TOKEN_RESPONSE_SIZE (1024u * 1024u)	/* bytes of a bearer token response */
#define SIGNET_MAX_TAGS_PAGE 10000			/* entries in one tags/catalog page */
#define SIGNET_MAX_TAGS_TOTAL 1000000			/* entries in a whole tag or catalog list */
#define SIGNET_MAX_REDIRECTS 5				/* HTTP redirects followed per request */
#define SIGNET_CONNECT_TIMEOUT_MS 10000L		/* default connect timeout */
#define SIGNET_REQUEST_TIMEOUT_MS 60000L		/* default whole-request timeout */
#define SIGNET_IMAGE_TIMEOUT_MS        120000L /* default deadline of one image, every request included */
#define SIGNET_MAX_POLICY_FILE_SIZE (16u * 1024u * 1024u) /* policy.json, contract, registries.d file */
#define SIGNET_MAX_PKI_FILE_SIZE                                                                             \
	(1024u * 1024u) /* a certificate, CA, CRL or key file for sealing a contract */
#define SIGNET_MAX_NAME_LENGTH 255			/* docker reference name (host/path) */
#define SIGNET_MAX_RETRIES 3				/* retries on 429/5xx per request */
#define SIGNET_MAX_RETRY_AFTER_S 30			/* longest Retry-After honoured, seconds */
#define SIGNET_MAX_AUTHFILE_SIZE (1024u * 1024u)	/* auth.json / config.json */
#define SIGNET_PASSPHRASE_MAX          4095 /* bytes of a key's passphrase (file, COSIGN_PASSWORD, terminal) */
#define SIGNET_MAX_ERROR_BODY_SIZE (64u * 1024u)	/* registry error body read for a message */
#define SIGNET_MAX_CREDHELPER_REPLY    (64u * 1024u)        /* bytes a credential helper may answer */
#define SIGNET_CREDHELPER_TIMEOUT_MS   10000L               /* a credential helper is killed after this */
#define SIGNET_MAX_WORKLOAD_IMAGES 1024		/* image occurrences in one gated workload */
#define SIGNET_MAX_TRUSTED_ROOT_SIZE    (1024u * 1024u) /* bytes of a trusted_root.json */
#define SIGNET_MAX_TRUSTED_ROOT_ENTRIES 32              /* CAs, logs or TSAs of each kind in a trusted root */
#define SIGNET_MAX_CERT_CHAIN           8               /* certificates in one chain (trusted root, bundle) */
#define SIGNET_MAX_CERT_SIZE            (64u * 1024u)   /* bytes of one DER certificate or public key */
#define SIGNET_MAX_TIMESTAMPS           8               /* RFC 3161 timestamps in one bundle */
#define SIGNET_MAX_TLOG_ENTRIES           16           /* transparency log entries in one bundle */
#define SIGNET_MAX_TLOG_BODY_SIZE         (64u * 1024u) /* bytes of one entry's canonicalizedBody */
#define SIGNET_MAX_INCLUSION_PROOF_HASHES 64            /* hashes in one inclusion proof (a tree of 2^64) */
#define SIGNET_MAX_CHECKPOINT_SIZE        (16u * 1024u) /* bytes of one checkpoint (signed note) */
#define SIGNET_MAX_TIMESTAMP_SIZE         (64u * 1024u) /* bytes of one RFC 3161 timestamp response */
#define SIGNET_MAX_ATTESTATION_RECORD_SIZE    (1024u * 1024u) /* se-checksums.txt or .enc, bytes */
#define SIGNET_MAX_ATTESTATION_LINES          4096u           /* lines of se-checksums.txt */
#define SIGNET_MAX_ATTESTATION_LINE_LENGTH    4096u           /* bytes of one of its lines */
#define SIGNET_MAX_ATTESTATION_SIGNATURE_SIZE 2048u           /* se-signature.bin (RSA 16384) */

#endif
