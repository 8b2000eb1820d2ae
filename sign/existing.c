/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sign/existing.c: is the signature about to be made already stored?
 * Only a stored signature that verifies with the signing key counts, and
 * only when its payload means the same thing as the new one.
 */
#include "sign.h"

#include <string.h>

/* A bundle's statement names no identity: both sides get this one. */
#define BUNDLE_NO_IDENTITY ""

static int is_bundle(const char *type)
{
	return strcmp(type, SN_COSIGN_SIGN_PREDICATE) == 0;
}

/* A payload of type, or for bundles the in-toto statement. */
static int parse_meaning(struct sn_payload **out, const void *data, size_t len, const char *type,
                         struct sn_err *e)
{
	if (is_bundle(type))
		return sn_statement_parse(out, data, len, BUNDLE_NO_IDENTITY, e);
	return sn_payload_parse(out, data, len, type, e);
}

/* A statement's annotations: absent and {} say the same. */
static json_t *bundle_annotations(json_t *o)
{
	return o != NULL && json_object_size(o) == 0 ? NULL : o;
}

/* Same type, identity and digest; for cosign also the same optional
 * object (annotations), for bundles the same annotations.  Simple
 * signing's optional (creator, timestamp) differs between two signings
 * of the same thing and does not count. */
static int same_meaning(const struct sn_payload *a, const struct sn_payload *b, const char *type)
{
	json_t *oa = a->optional, *ob = b->optional;

	if (strcmp(a->type, b->type) != 0 || strcmp(a->docker_reference, b->docker_reference) != 0 ||
	    strcmp(a->manifest_digest, b->manifest_digest) != 0)
		return 0;
	if (is_bundle(type)) {
		oa = bundle_annotations(oa);
		ob = bundle_annotations(ob);
	} else if (strcmp(type, SN_PAYLOAD_TYPE_COSIGN) != 0) {
		return 1;
	}
	if (oa == NULL || ob == NULL)
		return oa == ob;
	return json_equal(oa, ob);
}

int sn_existing_signature(long *found, const struct sn_sig_list *sigs, const struct sn_sig_backend *backend,
                          const struct sn_buf *pubkey, const struct sn_buf *payload, const char *type,
                          struct sn_err *e)
{
	const char *name = "signing key";
	struct sn_payload *want = NULL;
	struct sn_err ignored = {0};
	void *st = NULL;
	int rc;

	*found = -1;
	if (sigs->n == 0)
		return 0;
	if ((rc = parse_meaning(&want, payload->data, payload->len, type, e)) != 0)
		return rc;
	if ((rc = backend->verifier_new(&st, pubkey, &name, 1, e)) != 0)
		goto out;
	for (size_t i = 0; i < sigs->n && *found < 0; i++) {
		struct sn_signer who = {NULL, NULL, NULL};
		struct sn_payload *got = NULL;
		struct sn_buf bytes;

		sn_buf_init(&bytes, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
		/* Another key's signature, or a damaged one, is simply not ours. */
		if (backend->verify(st, sigs->items[i].data, sigs->items[i].len, &bytes, &who, &ignored) ==
		        0 &&
		    parse_meaning(&got, bytes.data, bytes.len, type, &ignored) == 0 &&
		    same_meaning(want, got, type))
			*found = (long)i;
		sn_err_clear(&ignored);
		sn_payload_free(got);
		sn_signer_clear(&who);
		sn_buf_free(&bytes);
	}
out:
	if (st != NULL)
		backend->verifier_free(st);
	sn_payload_free(want);
	return rc;
}
