/* SPDX-License-Identifier: Apache-2.0 */
/* sign/payload_create.c: the simple-signing payload that gets signed (SPEC §3.3). */
#include "sign.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"

int sn_payload_create_optional(struct sn_buf *out, const char *type, const char *docker_reference,
			       const char *manifest_digest, json_t *optional, struct sn_err *e)
{
	struct sn_payload *check = NULL;
	struct sn_err derr;
	struct sn_buf b;
	json_t *root = NULL;
	char *text = NULL;
	int rc;

	sn_buf_init(&b, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
	if (type == NULL ||
	    (strcmp(type, SN_PAYLOAD_TYPE_SIMPLE) != 0 && strcmp(type, SN_PAYLOAD_TYPE_COSIGN) != 0))
		return sn_seterr(e, SIGNET_EINVAL, "signature payload: unknown type \"%.100s\"",
		                 type != NULL ? type : "(null)");
	if (docker_reference == NULL || docker_reference[0] == '\0')
		return sn_seterr(e, SIGNET_EINVAL, "signature payload: empty docker reference");
	if (sn_digest_validate(manifest_digest, &derr) != 0)
		return sn_seterr(e, SIGNET_EINVAL, "signature payload: %s", derr.msg);
	if (optional != NULL && !json_is_object(optional))
		return sn_seterr(e, SIGNET_EINVAL, "signature payload: optional must be an object");
	root = json_pack("{s:{s:{s:s},s:{s:s},s:s},s:O?}", "critical", "identity", "docker-reference",
	                 docker_reference, "image", "docker-manifest-digest", manifest_digest, "type", type,
	                 "optional", optional);
	if (root == NULL)
		return sn_seterr(e, SIGNET_EINVAL,
		                 "signature payload: docker reference is not valid UTF-8 (or out of memory)");
	/* Sorted keys, no white space: what Go's json.Marshal of maps writes. */
	text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((rc = sn_buf_append_str(&b, text, e)) != 0)
		goto out;
	/* Never sign what signet itself would refuse to read. */
	if ((rc = sn_payload_parse(&check, b.data, b.len, type, e)) != 0) {
		(void)sn_errctx(e, "created payload does not parse back: ");
		goto out;
	}
	*out = b;
	sn_buf_init(&b, SIGNET_MAX_SIGNATURE_SIZE, "signature payload");
out:
	sn_payload_free(check);
	free(text);
	json_decref(root);
	sn_buf_free(&b);
	return rc;
}

int sn_payload_create(struct sn_buf *out, const char *type, const char *docker_reference,
                      const char *manifest_digest, const char *creator, int64_t timestamp, struct sn_err *e)
{
	json_t *optional;
	int rc;

	if (creator == NULL)
		creator = "signet " SIGNET_VERSION;
	optional = json_pack("{s:s,s:I}", "creator", creator, "timestamp", (json_int_t)timestamp);
	if (optional == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signature payload: creator is not valid UTF-8 (or out of memory)");
	rc = sn_payload_create_optional(out, type, docker_reference, manifest_digest, optional, e);
	json_decref(optional);
	return rc;
}
