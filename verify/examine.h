/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/examine.h: one stored signature examined for one requirement.
 *
 * sn_examine is the only place a rule about one signature is written.
 * Its facts have three readers: the decision (evaluate.c:
 * check_signed_by), the explanation of `policy explain` (its trace
 * lines) and the audit's per-signature record (evaluate.c:
 * inspect_signature).  None of them checks anything itself, so they
 * cannot disagree.
 */
#ifndef SN_VERIFY_EXAMINE_H
#define SN_VERIFY_EXAMINE_H

#include "verifier_internal.h"

/* The checks, in the one order they are made.  A signature passes a
 * check only when it passed every earlier one; the first check it fails
 * is its problem, and later ones are not made (their facts stay 0). */
enum sn_sig_check {
	SN_CHECK_NONE = 0,    /* every check passed */
	SN_CHECK_SIGNATURE,   /* the blob is a signature at all (sn_sig_detect) */
	SN_CHECK_FORMAT,      /* of the format the requirement reads */
	SN_CHECK_CRYPTO,      /* made by one of the requirement's keys */
	SN_CHECK_PAYLOAD,     /* its payload parses as the requirement's payload type */
	SN_CHECK_DIGEST,      /* the payload names the manifest the signature is stored for */
	SN_CHECK_ANNOTATIONS, /* the payload carries every required annotation (verify -a) */
	SN_CHECK_IDENTITY,    /* the claimed identity is one the requirement's rule accepts */
};

/* What a signature requirement type reads: its backend, the stored
 * format, the payload type it signs, and the format's name. */
struct sn_req_kind {
	const struct sn_sig_backend *backend;
	enum sn_sig_format format;
	const char *payload_type;
	const char *format_name;
};

/* The kind of r, a signedBy or sigstoreSigned requirement. */
void sn_req_kind(struct sn_req_kind *k, const struct sn_requirement *r);

/* The manifest a signature was stored for: what it must name. */
struct sn_sig_subject {
	const struct sn_ref *ref;   /* the image decided: its identity is matched */
	const char *label;          /* "image", "instance", "index" (messages) */
	const char *digest;         /* the manifest's digest */
	const struct sn_buf *bytes; /* the manifest's bytes (its digest is recomputed) */
};

/* The facts about one signature blob for one requirement. */
struct sn_sig_facts {
	/* SN_CHECK_SIGNATURE: */
	int is_signature;
	enum sn_sig_format format; /* when is_signature */
	/* SN_CHECK_FORMAT: */
	const struct sn_requirement *req; /* examined for (NULL: sn_examine_format only) */
	int format_ok;                    /* format is the one req reads */
	/* SN_CHECK_CRYPTO: */
	int crypto_ok;           /* a valid signature by one of req's keys */
	struct sn_signer signer; /* who made it, when crypto_ok (owned) */
	/* SN_CHECK_PAYLOAD: */
	struct sn_payload *payload; /* the signed payload, parsed (owned), or NULL */
	const char *claim;          /* the identity it claims (in payload), or NULL */
	/* SN_CHECK_DIGEST: */
	int digest_ok; /* the payload names the subject's manifest */
	/* SN_CHECK_ANNOTATIONS: */
	int annotations_ok;
	/* SN_CHECK_IDENTITY: */
	int identity_ok; /* payload->docker_reference (the claim) is accepted */
	/* The first check failed (SN_CHECK_NONE: accepted), its code
	 * (SIGNET_EDENIED, or an error such as SIGNET_ENOMEM, SIGNET_EIO)
	 * and message. */
	enum sn_sig_check failed;
	int code;
	struct sn_err problem;
};

/* Only the first check: is blob a signature, of which format.  Fills
 * *f (cleared first).  Returns f->code. */
int sn_examine_format(struct sn_sig_facts *f, const struct sn_sig_blob *blob);

/*
 * Examines blob for the requirement of st, stored for subject, with the
 * annotations required (or NULL).  Fills *f (cleared first; the caller
 * clears it with sn_sig_facts_clear whatever the return).  Returns 0 when
 * every check passed, else f->code: SIGNET_EDENIED when the signature
 * does not meet the requirement, another code when it could not be
 * examined (SIGNET_ENOMEM, SIGNET_EIO from a backend).
 */
int sn_examine(struct sn_sig_facts *f, const struct sn_req_state *st, const json_t *annotations,
               const struct sn_sig_subject *subject, const struct sn_sig_blob *blob);

/* Is the blob valid as a signature: by a pinned key over a payload that
 * names the manifest it is stored for (the audit's "valid")? */
static inline int sn_sig_facts_valid(const struct sn_sig_facts *f)
{
	return f->crypto_ok && f->payload != NULL && f->digest_ok;
}

void sn_sig_facts_clear(struct sn_sig_facts *f);

#endif
