/* SPDX-License-Identifier: Apache-2.0 */
/* verify/payload.c: the simple-signing payload, parsed strictly (SPEC §3.3). */
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHAT "signature payload"

/* Longest piece of untrusted text (a key name, a type) quoted in a message. */
#define QUOTE_MAX 100

/* Copies s into out for a message: printable ASCII kept, anything else
 * replaced by '?', cut at QUOTE_MAX characters. */
static const char *quote(char out[QUOTE_MAX + 4], const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < QUOTE_MAX; i++)
		out[i] = (s[i] >= 0x20 && s[i] <= 0x7e) ? s[i] : '?';
	if (s[i] != '\0') {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* EBADINPUT with "signature payload: PATH: " + the formatted reason. */
SN_PRINTF(3, 4) static int perr(struct sn_err *e, const char *path, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return sn_seterr(e, SIGNET_EBADINPUT, WHAT ": %s: %s", path, reason);
}

/* obj must hold exactly the keys in names (each once: duplicates were
 * refused by the parser).  Unknown keys are reported first, in document
 * order, as containers/image does. */
static int exact_keys(const json_t *obj, const char *path, const char *const *names, size_t n,
                      struct sn_err *e)
{
	char q[QUOTE_MAX + 4];
	const char *key;
	json_t *val;
	size_t i;

	json_object_foreach((json_t *)obj, key, val)
	{
		(void)val;
		for (i = 0; i < n; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (i == n)
			return perr(e, path, "unknown key \"%s\"", quote(q, key));
	}
	for (i = 0; i < n; i++)
		if (json_object_get(obj, names[i]) == NULL)
			return perr(e, path, "missing key \"%s\"", names[i]);
	return 0;
}

static int get_object(json_t **out, const json_t *parent, const char *key, const char *path, struct sn_err *e)
{
	json_t *v = json_object_get(parent, key);

	if (!json_is_object(v))
		return perr(e, path, "must be an object, not %s", sn_json_kind(v));
	*out = v;
	return 0;
}

static int get_string(const char **out, const json_t *parent, const char *key, const char *path,
                      struct sn_err *e)
{
	json_t *v = json_object_get(parent, key);

	if (!json_is_string(v))
		return perr(e, path, "must be a string, not %s", sn_json_kind(v));
	*out = json_string_value(v);
	return 0;
}

/* An integer, or an integral number written as a real (1e9, 5.0), in
 * int64 range: containers/image reads the field as a float64 and refuses
 * only values that do not convert exactly. */
static int get_timestamp(int64_t *out, const json_t *v, struct sn_err *e)
{
	double d;

	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return perr(e, "optional.timestamp", "must be an integer, not %s", sn_json_kind(v));
	d = json_real_value(v);
	/* 2^63 is exact as a double; the range check comes before the cast. */
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return perr(e, "optional.timestamp", "%g is out of range for a 64-bit integer", d);
	if ((double)(int64_t)d != d)
		return perr(e, "optional.timestamp", "%g is not an integer", d);
	*out = (int64_t)d;
	return 0;
}

static int parse_optional(struct sn_payload *p, json_t *opt, struct sn_err *e)
{
	const char *creator;
	json_t *ts;
	int rc;

	if (json_object_get(opt, "creator") != NULL) {
		if ((rc = get_string(&creator, opt, "creator", "optional.creator", e)) != 0)
			return rc;
		if ((p->creator = sn_strdup(creator, e)) == NULL)
			return SIGNET_ENOMEM;
	}
	ts = json_object_get(opt, "timestamp");
	if (ts != NULL) {
		if ((rc = get_timestamp(&p->timestamp, ts, e)) != 0)
			return rc;
		p->has_timestamp = 1;
	}
	/* Other keys in optional are ignored, as containers/image does. */
	return 0;
}

static int parse_critical(struct sn_payload *p, const json_t *crit, const char *expected_type,
                          struct sn_err *e)
{
	static const char *const crit_keys[] = {"type", "image", "identity"};
	static const char *const image_keys[] = {"docker-manifest-digest"};
	static const char *const identity_keys[] = {"docker-reference"};
	char q[QUOTE_MAX + 4], q2[QUOTE_MAX + 4];
	const char *type, *digest, *ref;
	json_t *image = NULL, *identity = NULL;
	struct sn_err derr;
	int rc;

	if ((rc = exact_keys(crit, "critical", crit_keys, 3, e)) != 0)
		return rc;
	if ((rc = get_string(&type, crit, "type", "critical.type", e)) != 0)
		return rc;
	if (strcmp(type, expected_type) != 0)
		return perr(e, "critical.type", "\"%s\" is not the expected \"%s\"", quote(q, type),
		            quote(q2, expected_type));
	if ((rc = get_object(&image, crit, "image", "critical.image", e)) != 0 ||
	    (rc = exact_keys(image, "critical.image", image_keys, 1, e)) != 0 ||
	    (rc = get_string(&digest, image, "docker-manifest-digest",
	                     "critical.image.docker-manifest-digest", e)) != 0)
		return rc;
	if (sn_digest_validate(digest, &derr) != 0)
		return perr(e, "critical.image.docker-manifest-digest", "%s", derr.msg);
	if ((rc = get_object(&identity, crit, "identity", "critical.identity", e)) != 0 ||
	    (rc = exact_keys(identity, "critical.identity", identity_keys, 1, e)) != 0 ||
	    (rc = get_string(&ref, identity, "docker-reference", "critical.identity.docker-reference", e)) !=
	        0)
		return rc;
	if (ref[0] == '\0')
		return perr(e, "critical.identity.docker-reference", "empty");
	if ((p->type = sn_strdup(type, e)) == NULL || (p->manifest_digest = sn_strdup(digest, e)) == NULL ||
	    (p->docker_reference = sn_strdup(ref, e)) == NULL)
		return SIGNET_ENOMEM;
	return 0;
}

int sn_payload_parse(struct sn_payload **out, const void *data, size_t len, const char *expected_type,
                     struct sn_err *e)
{
	static const char *const top_keys[] = {"critical", "optional"};
	struct sn_payload *p = NULL;
	json_t *root = NULL, *crit = NULL, *opt = NULL;
	int rc;

	if ((rc = sn_json_parse(&root, data, len, WHAT, e)) != 0)
		return rc;
	if (!json_is_object(root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, WHAT ": must be a JSON object, not %s", sn_json_kind(root));
		goto out;
	}
	if ((rc = exact_keys(root, "(top level)", top_keys, 2, e)) != 0)
		goto out;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((rc = get_object(&crit, root, "critical", "critical", e)) != 0)
		goto out;
	opt = json_object_get(root, "optional");
	if (json_is_null(opt) && strcmp(expected_type, SN_PAYLOAD_TYPE_COSIGN) == 0) {
		/* cosign writes "optional": null when there are no annotations. */
		opt = NULL;
	} else if (!json_is_object(opt)) {
		rc = perr(e, "optional", "must be an object, not %s%s", sn_json_kind(opt),
		          json_is_null(opt) ? " (null is allowed only in cosign payloads)" : "");
		goto out;
	}
	if (opt != NULL) {
		if ((rc = parse_optional(p, opt, e)) != 0)
			goto out;
		p->optional = json_incref(opt);
	}
	if ((rc = parse_critical(p, crit, expected_type, e)) != 0)
		goto out;
	*out = p;
	p = NULL;
out:
	sn_payload_free(p);
	json_decref(root);
	return rc;
}

void sn_payload_free(struct sn_payload *p)
{
	if (p == NULL)
		return;
	free(p->type);
	free(p->manifest_digest);
	free(p->docker_reference);
	free(p->creator);
	json_decref(p->optional);
	free(p);
}

int sn_payload_check_digest(const struct sn_payload *p, const void *manifest, size_t len, const char *what,
			    struct sn_err *e)
{
	int rc;

	if (strncmp(p->manifest_digest, "sha256:", 7) != 0)
		return sn_seterr(e, SIGNET_EDENIED, "it signs %s, not a sha256 digest: only sha256 manifest digests "
				 "are accepted", p->manifest_digest);
	rc = sn_digest_check(p->manifest_digest, manifest, len, "signed manifest", e);
	if (rc == SIGNET_EINTEGRITY)
		rc = sn_seterr(e, SIGNET_EDENIED, "it signs manifest %s, not %s", p->manifest_digest, what);
	return rc;
}
