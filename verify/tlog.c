/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/tlog.c: transparency log entries (Rekor v1, as a Sigstore bundle
 * carries them) and RFC 3161 timestamps, verified offline against a
 * trusted root's logs and timestamp authorities (tlog.h says what is
 * checked and which evidence gives a verified signing time).
 *
 * Formats, from their specifications: the bundle's TransparencyLogEntry,
 * InclusionProof, InclusionPromise and Checkpoint (sigstore protobuf-specs,
 * sigstore_rekor.proto; int64 as decimal strings, bytes as base64);
 * Rekor's hashedrekord and dsse 0.0.1 entry bodies; the Merkle audit
 * path of RFC 6962 section 2.1.1 verified as RFC 9162 section 2.1.3.2
 * does; the C2SP signed note and checkpoint formats.
 */
#include "verify/tlog.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/sha.h>
#include <openssl/ts.h>

#include "base/pem.h"

#define WHAT         "transparency log entry"
#define TSA_WHAT     "RFC 3161 timestamp"
#define EMDASH_SPACE "\xe2\x80\x94 " /* "— ", the start of a signed note's signature line */

/* ---- strict JSON members -------------------------------------------- */

static int known(json_t *o, const char *path, const char *const *names, struct sn_err *e)
{
	const char *key = sn_json_unknown_member(o, names);

	return key == NULL
	           ? 0
	           : sn_seterr(e, SIGNET_EBADINPUT, "%s: %s: unknown member \"%.100s\"", WHAT, path, key);
}

/* o.name of kind; *out NULL when absent and not required. */
static int get(json_t **out, json_t *o, const char *path, const char *name, json_type kind, int required,
               struct sn_err *e)
{
	json_t *v = json_object_get(o, name);

	*out = NULL;
	if (v == NULL)
		return required ? sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s: missing", WHAT, path, name) : 0;
	if (json_typeof(v) != kind)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s: not %s (%s)", WHAT, path, name,
		                 kind == JSON_OBJECT  ? "an object"
		                 : kind == JSON_ARRAY ? "an array"
		                                      : "a string",
		                 sn_json_kind(v));
	*out = v;
	return 0;
}

/* A non-negative int64 written as protobuf's JSON writes one: a decimal
 * string without sign or leading zeros. */
static int get_int64(int64_t *out, json_t *o, const char *path, const char *name, struct sn_err *e)
{
	const char *s;
	size_t n;
	uint64_t v = 0;
	json_t *j;
	int rc;

	if ((rc = get(&j, o, path, name, JSON_STRING, 1, e)) != 0)
		return rc;
	s = json_string_value(j);
	n = json_string_length(j);
	if (n == 0 || n > 19 || (s[0] == '0' && n > 1))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		goto bad;
	*out = (int64_t)v;
	return 0;
bad:
	return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s: \"%.40s\" is not a non-negative decimal int64",
	                 WHAT, path, name, s);
}

/* Padded base64 of at most max bytes decoded (exactly want when want != 0);
 * more is SIGNET_ELIMIT naming limit, or bad input when limit is NULL. */
static int get_b64(unsigned char **out, size_t *len, json_t *o, const char *path, const char *name,
                   size_t want, size_t max, const char *limit, struct sn_err *e)
{
	json_t *j;
	int rc;

	if ((rc = get(&j, o, path, name, JSON_STRING, 1, e)) != 0)
		return rc;
	if (json_string_length(j) / 4 * 3 > max + 2)
		goto too_big;
	rc = sn_base64_decode(out, len, json_string_value(j), json_string_length(j));
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s: not valid base64", WHAT, path, name);
	if (*len > max) {
		free(*out);
		*out = NULL;
		goto too_big;
	}
	if (want != 0 && *len != want) {
		free(*out);
		*out = NULL;
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s: %zu bytes, not %zu", WHAT, path, name, *len,
		                 want);
	}
	return 0;
too_big:
	return limit != NULL
	           ? sn_seterr(e, SIGNET_ELIMIT, "%s: %s.%s: more than %zu bytes (%s)", WHAT, path, name, max,
	                       limit)
	           : sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.%s: more than %zu bytes", WHAT, path, name, max);
}

/* ---- crypto ----------------------------------------------------------- */

static void sha256(unsigned char md[32], const void *d, size_t n)
{
	SHA256(d, n, md);
}

static void node_hash(unsigned char out[32], const unsigned char l[32], const unsigned char r[32])
{
	unsigned char buf[65];

	buf[0] = 0x01;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	sha256(out, buf, sizeof(buf));
}

/* RFC 6962 leaf hash: SHA-256(0x00 || d). */
static int leaf_hash(unsigned char out[32], const unsigned char *d, size_t n)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char zero = 0x00;
	int ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	         EVP_DigestUpdate(c, &zero, 1) == 1 && EVP_DigestUpdate(c, d, n) == 1 &&
	         EVP_DigestFinal_ex(c, out, NULL) == 1;

	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

/* 1 when sig is key's signature over d: ECDSA and RSA PKCS#1 v1.5 with
 * SHA-256, EdDSA over the data itself. */
static int sig_ok(EVP_PKEY *key, const void *d, size_t n, const unsigned char *sig, size_t sig_len)
{
	int id = EVP_PKEY_get_base_id(key), ok;
	const EVP_MD *md = id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? NULL : EVP_sha256();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	ok = ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
	     EVP_DigestVerify(ctx, sig, sig_len, d, n) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

static void hex(char *out, const unsigned char *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---- the entry body --------------------------------------------------- */

static int about_another(struct sn_err *e, const char *why)
{
	return sn_seterr(e, SIGNET_EDENIED, "%s is about another signature: %s", WHAT, why);
}

/* {"algorithm": "sha256", "value": hex}: *match = whether it is SHA-256(d[n])
 * (match NULL: its shape only). */
static int hash_matches(json_t *h, const char *path, const unsigned char *d, size_t n, int *match,
                        struct sn_err *e)
{
	static const char *const names[] = {"algorithm", "value", NULL};
	unsigned char md[32];
	char want[65];
	json_t *alg, *val;
	int rc;

	if ((rc = known(h, path, names, e)) != 0 ||
	    (rc = get(&alg, h, path, "algorithm", JSON_STRING, 1, e)) != 0 ||
	    (rc = get(&val, h, path, "value", JSON_STRING, 1, e)) != 0)
		return rc;
	if (strcmp(json_string_value(alg), "sha256") != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s.algorithm: \"%.40s\", not sha256", WHAT, path,
		                 json_string_value(alg));
	if (match == NULL)
		return 0;
	sha256(md, d != NULL ? d : (const unsigned char *)"", n);
	hex(want, md, sizeof(md));
	*match = json_string_length(val) == 64 && strcmp(json_string_value(val), want) == 0;
	return 0;
}

/* s (base64 string) decodes to exactly want[want_len]. */
static int b64_equals(json_t *s, const char *path, const unsigned char *want, size_t want_len, int *match,
                      struct sn_err *e)
{
	unsigned char *d = NULL;
	size_t n = 0;
	int rc = sn_base64_decode(&d, &n, json_string_value(s), json_string_length(s));

	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s: not valid base64", WHAT, path);
	*match = n == want_len && CRYPTO_memcmp(d, want, n) == 0;
	free(d);
	return 0;
}

/* s is base64 of a PEM certificate whose DER is cert[cert_len]. */
static int verifier_matches(json_t *s, const char *path, const unsigned char *cert, size_t cert_len,
                            int *match, struct sn_err *e)
{
	struct sn_pem pem = {NULL, NULL, 0};
	unsigned char *d = NULL;
	size_t n = 0;
	int rc = sn_base64_decode(&d, &n, json_string_value(s), json_string_length(s));

	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: %s: not valid base64", WHAT, path);
	rc = sn_pem_decode(&pem, d, n, WHAT ": the verifier", e);
	free(d);
	if (rc != 0)
		return rc;
	*match = strcmp(pem.label, "CERTIFICATE") == 0 && pem.der_len == cert_len &&
	         CRYPTO_memcmp(pem.der, cert, cert_len) == 0;
	sn_pem_clear(&pem);
	return 0;
}

/* What a body records against subj, the same for each kind: the
 * signature (base64 string sig), the certificate (verifier ver, checked when
 * subj has one) and the SHA-256 of the signed bytes (hash object).  The
 * paths name the members, what_ver and what_hash the body's words for the
 * two in a refusal. */
static int records_subject(json_t *sig, const char *sig_path, json_t *ver, const char *ver_path,
                           const char *what_ver, json_t *hash, const char *hash_path, const char *what_hash,
                           const struct sn_tlog_subject *subj, struct sn_err *e)
{
	int rc, match = 0;

	if ((rc = b64_equals(sig, sig_path, subj->sig, subj->sig_len, &match, e)) != 0)
		return rc;
	if (!match)
		return about_another(e, "its signature is not the bundle's");
	if (subj->cert_der != NULL) {
		if ((rc = verifier_matches(ver, ver_path, subj->cert_der, subj->cert_len, &match, e)) != 0)
			return rc;
		if (!match)
			return about_another(e, what_ver);
	}
	if ((rc = hash_matches(hash, hash_path, subj->payload, subj->payload_len, &match, e)) != 0)
		return rc;
	return match ? 0 : about_another(e, what_hash);
}

static int dsse_body(json_t *spec, const struct sn_tlog_subject *subj, struct sn_err *e)
{
	static const char *const names[] = {"envelopeHash", "payloadHash", "signatures", NULL};
	static const char *const sig_names[] = {"signature", "verifier", NULL};
	json_t *ph, *eh, *sigs, *s0, *sig, *ver;
	int rc;

	if ((rc = known(spec, "body.spec", names, e)) != 0 ||
	    (rc = get(&eh, spec, "body.spec", "envelopeHash", JSON_OBJECT, 0, e)) != 0 ||
	    (rc = get(&ph, spec, "body.spec", "payloadHash", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = get(&sigs, spec, "body.spec", "signatures", JSON_ARRAY, 1, e)) != 0)
		return rc;
	if (json_array_size(sigs) != 1)
		return about_another(e, "its DSSE envelope does not hold exactly one signature");
	s0 = json_array_get(sigs, 0);
	if (!json_is_object(s0))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: body.spec.signatures[0]: not an object (%s)", WHAT,
		                 sn_json_kind(s0));
	if ((rc = known(s0, "body.spec.signatures[0]", sig_names, e)) != 0 ||
	    (rc = get(&sig, s0, "body.spec.signatures[0]", "signature", JSON_STRING, 1, e)) != 0 ||
	    (rc = get(&ver, s0, "body.spec.signatures[0]", "verifier", JSON_STRING, 1, e)) != 0 ||
	    (rc = records_subject(
	         sig, "body.spec.signatures[0].signature", ver, "body.spec.signatures[0].verifier",
	         "its verifier is not the bundle's certificate", ph, "body.spec.payloadHash",
	         "its payloadHash is not the SHA-256 of the bundle's payload", subj, e)) != 0)
		return rc;
	/* envelopeHash is over the envelope as Rekor serialised it, which a
	 * verifier cannot rebuild byte for byte; its shape is still checked. */
	if (eh != NULL && (rc = hash_matches(eh, "body.spec.envelopeHash", NULL, 0, NULL, e)) != 0)
		return rc;
	return 0;
}

static int hashedrekord_body(json_t *spec, const struct sn_tlog_subject *subj, struct sn_err *e)
{
	static const char *const names[] = {"data", "signature", NULL};
	static const char *const data_names[] = {"hash", NULL};
	static const char *const sig_names[] = {"content", "publicKey", NULL};
	static const char *const pk_names[] = {"content", NULL};
	json_t *data, *hash, *sig, *content, *pk, *pkc;
	int rc;

	if ((rc = known(spec, "body.spec", names, e)) != 0 ||
	    (rc = get(&data, spec, "body.spec", "data", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = known(data, "body.spec.data", data_names, e)) != 0 ||
	    (rc = get(&hash, data, "body.spec.data", "hash", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = get(&sig, spec, "body.spec", "signature", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = known(sig, "body.spec.signature", sig_names, e)) != 0 ||
	    (rc = get(&content, sig, "body.spec.signature", "content", JSON_STRING, 1, e)) != 0 ||
	    (rc = get(&pk, sig, "body.spec.signature", "publicKey", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = known(pk, "body.spec.signature.publicKey", pk_names, e)) != 0 ||
	    (rc = get(&pkc, pk, "body.spec.signature.publicKey", "content", JSON_STRING, 1, e)) != 0)
		return rc;
	return records_subject(content, "body.spec.signature.content", pkc,
	                       "body.spec.signature.publicKey.content",
	                       "its public key is not the bundle's certificate", hash, "body.spec.data.hash",
	                       "its data hash is not the SHA-256 of the signed message", subj, e);
}

/* The canonicalizedBody is a Rekor entry of kindVersion about subj. */
static int check_body(const unsigned char *body, size_t len, json_t *kv, const struct sn_tlog_subject *subj,
                      struct sn_err *e)
{
	static const char *const kv_names[] = {"kind", "version", NULL};
	static const char *const names[] = {"apiVersion", "kind", "spec", NULL};
	json_t *root = NULL, *kind, *ver, *bkind, *bver, *spec;
	int rc;

	if ((rc = known(kv, "kindVersion", kv_names, e)) != 0 ||
	    (rc = get(&kind, kv, "kindVersion", "kind", JSON_STRING, 1, e)) != 0 ||
	    (rc = get(&ver, kv, "kindVersion", "version", JSON_STRING, 1, e)) != 0)
		return rc;
	if ((rc = sn_json_parse(&root, body, len, WHAT ": canonicalizedBody", e)) != 0)
		return rc;
	if (!json_is_object(root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: canonicalizedBody: not a JSON object (%s)", WHAT,
		               sn_json_kind(root));
		goto out;
	}
	if ((rc = known(root, "body", names, e)) != 0 ||
	    (rc = get(&bkind, root, "body", "kind", JSON_STRING, 1, e)) != 0 ||
	    (rc = get(&bver, root, "body", "apiVersion", JSON_STRING, 1, e)) != 0 ||
	    (rc = get(&spec, root, "body", "spec", JSON_OBJECT, 1, e)) != 0)
		goto out;
	if (!json_equal(kind, bkind) || !json_equal(ver, bver)) {
		rc =
		    sn_seterr(e, SIGNET_EBADINPUT, "%s: kindVersion %.40s %.40s, but the body is %.40s %.40s",
		              WHAT, json_string_value(kind), json_string_value(ver), json_string_value(bkind),
		              json_string_value(bver));
		goto out;
	}
	if (strcmp(json_string_value(bver), "0.0.1") != 0 ||
	    (strcmp(json_string_value(bkind), "dsse") != 0 &&
	     strcmp(json_string_value(bkind), "hashedrekord") != 0)) {
		rc = sn_seterr(e, SIGNET_EUNSUPPORTED,
		               "%s: an entry of kind %.40s %.40s; signet reads dsse 0.0.1 and "
		               "hashedrekord 0.0.1",
		               WHAT, json_string_value(bkind), json_string_value(bver));
		goto out;
	}
	if (strcmp(json_string_value(bkind), "dsse") == 0)
		rc = subj->payload_type != NULL
		         ? dsse_body(spec, subj, e)
		         : about_another(e, "a dsse entry, but the bundle signs a message");
	else
		rc = subj->payload_type == NULL
		         ? hashedrekord_body(spec, subj, e)
		         : about_another(e, "a hashedrekord entry, but the bundle holds a DSSE envelope");
out:
	json_decref(root);
	return rc;
}

/* ---- the proofs ------------------------------------------------------- */

static int check_set(json_t *promise, const char *body_b64, int64_t itime, int64_t index,
                     const struct sn_tlog_key *log, struct sn_err *e)
{
	static const char *const names[] = {"signedEntryTimestamp", NULL};
	unsigned char *set = NULL;
	size_t set_len = 0;
	char logid[65], tail[160];
	struct sn_buf payload;
	int rc, n;

	if ((rc = known(promise, "inclusionPromise", names, e)) != 0 ||
	    (rc = get_b64(&set, &set_len, promise, "inclusionPromise", "signedEntryTimestamp", 0, 1024, NULL,
	                  e)) != 0)
		return rc;
	hex(logid, log->log_id, sizeof(log->log_id));
	n = snprintf(tail, sizeof(tail), "\",\"integratedTime\":%lld,\"logID\":\"%s\",\"logIndex\":%lld}",
	             (long long)itime, logid, (long long)index);
	sn_buf_init(&payload, SIGNET_MAX_TLOG_BODY_SIZE * 2u, "SET payload");
	if ((rc = sn_buf_append_str(&payload, "{\"body\":\"", e)) != 0 ||
	    (rc = sn_buf_append_str(&payload, body_b64, e)) != 0 ||
	    (rc = sn_buf_append(&payload, tail, (size_t)n, e)) != 0)
		goto out;
	if (!sig_ok(log->key, payload.data, payload.len, set, set_len))
		rc =
		    sn_seterr(e, SIGNET_EDENIED,
		              "%s: signed entry timestamp does not verify with the log's key (logIndex %lld)",
		              WHAT, (long long)index);
out:
	sn_buf_free(&payload);
	free(set);
	return rc;
}

/* RFC 9162 2.1.3.2: the audit path from leaf at index in a tree of size. */
static int audit_path_ok(const unsigned char leaf[32], uint64_t index, uint64_t size,
                         unsigned char (*path)[32], size_t n, const unsigned char root[32])
{
	uint64_t fn = index, sn = size - 1;
	unsigned char r[32];

	memcpy(r, leaf, 32);
	for (size_t i = 0; i < n; i++) {
		if (sn == 0)
			return 0;
		if ((fn & 1) != 0 || fn == sn) {
			node_hash(r, path[i], r);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			node_hash(r, r, path[i]);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && CRYPTO_memcmp(r, root, 32) == 0;
}

static int proof_fails(struct sn_err *e, const char *fmt, ...) SN_PRINTF(2, 3);
static int proof_fails(struct sn_err *e, const char *fmt, ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return sn_seterr(e, SIGNET_EDENIED, "%s: inclusion proof does not verify: %s", WHAT, why);
}

/* The checkpoint: a signed note naming (size, root), signed by log. */
static int check_checkpoint(const char *env, size_t len, int64_t size, const unsigned char root[32],
                            const struct sn_tlog_key *log, struct sn_err *e)
{
	const char *sep = NULL, *p, *end = env + len, *l2, *l3, *l4;
	unsigned char *r = NULL;
	size_t rlen = 0, note_len, signed_lines = 0;
	char want[32];
	int rc, n;

	if (memchr(env, '\0', len) != NULL)
		goto malformed;
	for (p = env; p + 1 < end; p++)
		if (p[0] == '\n' && p[1] == '\n') {
			sep = p;
			break;
		}
	if (sep == NULL)
		goto malformed;
	note_len = (size_t)(sep - env) + 1;
	/* ORIGIN \n SIZE \n ROOT \n, then extension lines. */
	if ((l2 = memchr(env, '\n', note_len)) == NULL || l2 == env)
		goto malformed;
	l2++;
	if ((l3 = memchr(l2, '\n', note_len - (size_t)(l2 - env))) == NULL)
		goto malformed;
	l3++;
	if ((l4 = memchr(l3, '\n', note_len - (size_t)(l3 - env))) == NULL)
		goto malformed;
	n = snprintf(want, sizeof(want), "%lld", (long long)size);
	if ((size_t)(l3 - 1 - l2) != (size_t)n || memcmp(l2, want, (size_t)n) != 0)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "%s: inclusion proof does not verify: the checkpoint names another tree size "
		    "(\"%.*s\", the proof %lld)",
		    WHAT, (int)((l3 - 1 - l2) < 24 ? (l3 - 1 - l2) : 24), l2, (long long)size);
	rc = sn_base64_decode(&r, &rlen, l3, (size_t)(l4 - l3));
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc != 0 || rlen != 32) {
		free(r);
		goto malformed;
	}
	rc = CRYPTO_memcmp(r, root, 32);
	free(r);
	if (rc != 0)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "%s: inclusion proof does not verify: the checkpoint names another root hash", WHAT);
	/* Signature lines: "— NAME BASE64\n", nothing else. */
	for (p = sep + 2; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *name, *sp;
		unsigned char *sig = NULL;
		size_t sig_len = 0;

		if (nl == NULL || (size_t)(nl - p) < strlen(EMDASH_SPACE) ||
		    memcmp(p, EMDASH_SPACE, strlen(EMDASH_SPACE)) != 0)
			goto malformed;
		name = p + strlen(EMDASH_SPACE);
		sp = memchr(name, ' ', (size_t)(nl - name));
		if (sp == NULL || sp == name || memchr(sp + 1, ' ', (size_t)(nl - sp - 1)) != NULL)
			goto malformed;
		rc = sn_base64_decode(&sig, &sig_len, sp + 1, (size_t)(nl - sp - 1));
		if (rc == SIGNET_ENOMEM)
			return sn_enomem(e);
		if (rc != 0 || sig_len < 5) {
			free(sig);
			goto malformed;
		}
		if (memcmp(sig, log->log_id, 4) == 0) {
			int ok = sig_ok(log->key, env, note_len, sig + 4, sig_len - 4);

			free(sig);
			if (!ok)
				return sn_seterr(
				    e, SIGNET_EDENIED,
				    "%s: checkpoint signature does not verify with the log's key (%.*s)",
				    WHAT, (int)(sp - name < 100 ? sp - name : 100), name);
			signed_lines++;
		} else {
			free(sig);
		}
		p = nl + 1;
	}
	if (signed_lines == 0)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "%s: checkpoint signature does not verify: no signature by the log's key",
		                 WHAT);
	return 0;
malformed:
	return sn_seterr(
	    e, SIGNET_EBADINPUT,
	    "%s: inclusionProof.checkpoint.envelope: not a signed note (\"ORIGIN\\nSIZE\\nROOT\\n\\n\" "
	    "and \"\xe2\x80\x94 NAME SIGNATURE\\n\" lines)",
	    WHAT);
}

static int check_proof(json_t *proof, const unsigned char *body, size_t body_len,
                       const struct sn_tlog_key *log, struct sn_err *e)
{
	static const char *const names[] = {"logIndex", "rootHash", "treeSize", "hashes", "checkpoint", NULL};
	static const char *const cp_names[] = {"envelope", NULL};
	unsigned char(*path)[32] = NULL;
	unsigned char *root = NULL, leaf[32];
	size_t root_len = 0, n, inner = 0, border = 0;
	int64_t index, size;
	json_t *hashes, *cp, *env;
	int rc;

	if ((rc = known(proof, "inclusionProof", names, e)) != 0 ||
	    (rc = get_int64(&index, proof, "inclusionProof", "logIndex", e)) != 0 ||
	    (rc = get_int64(&size, proof, "inclusionProof", "treeSize", e)) != 0 ||
	    (rc = get(&hashes, proof, "inclusionProof", "hashes", JSON_ARRAY, 1, e)) != 0 ||
	    (rc = get(&cp, proof, "inclusionProof", "checkpoint", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = known(cp, "inclusionProof.checkpoint", cp_names, e)) != 0 ||
	    (rc = get(&env, cp, "inclusionProof.checkpoint", "envelope", JSON_STRING, 1, e)) != 0)
		return rc;
	n = json_array_size(hashes);
	if (n > SIGNET_MAX_INCLUSION_PROOF_HASHES)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s: inclusionProof.hashes: %zu hashes, more than %d "
		                 "(SIGNET_MAX_INCLUSION_PROOF_HASHES)",
		                 WHAT, n, SIGNET_MAX_INCLUSION_PROOF_HASHES);
	if (json_string_length(env) > SIGNET_MAX_CHECKPOINT_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s: inclusionProof.checkpoint.envelope: %zu bytes, more than %u "
		                 "(SIGNET_MAX_CHECKPOINT_SIZE)",
		                 WHAT, json_string_length(env), SIGNET_MAX_CHECKPOINT_SIZE);
	if ((rc = get_b64(&root, &root_len, proof, "inclusionProof", "rootHash", 32, 32, NULL, e)) != 0)
		return rc;
	if ((path = calloc(n != 0 ? n : 1, sizeof(*path))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *h = json_array_get(hashes, i);
		unsigned char *d = NULL;
		size_t len = 0;

		if (!json_is_string(h)) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: inclusionProof.hashes[%zu]: not a string (%s)", WHAT, i,
			               sn_json_kind(h));
			goto out;
		}
		rc = sn_base64_decode(&d, &len, json_string_value(h), json_string_length(h));
		if (rc == SIGNET_ENOMEM) {
			rc = sn_enomem(e);
			goto out;
		}
		if (rc != 0 || len != 32) {
			free(d);
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "%s: inclusionProof.hashes[%zu]: not the base64 of 32 bytes", WHAT, i);
			goto out;
		}
		memcpy(path[i], d, 32);
		free(d);
	}
	if (index >= size) {
		rc = proof_fails(e, "logIndex %lld is not below treeSize %lld", (long long)index,
		                 (long long)size);
		goto out;
	}
	/* The path's length is fixed by (index, size): the inner part up to
	 * where the paths to index and size-1 part, then the right border. */
	for (uint64_t x = (uint64_t)index ^ (uint64_t)(size - 1); x != 0; x >>= 1)
		inner++;
	for (uint64_t x = (uint64_t)index >> inner; x != 0; x >>= 1)
		border += x & 1;
	if (n != inner + border) {
		rc = proof_fails(e, "%lld hashes, where the index and tree size call for %lld", (long long)n,
		                 (long long)(inner + border));
		goto out;
	}
	if (leaf_hash(leaf, body, body_len) != 0) {
		rc = sn_enomem(e);
		goto out;
	}
	if (!audit_path_ok(leaf, (uint64_t)index, (uint64_t)size, path, n, root)) {
		rc = proof_fails(
		    e, "the audit path from logIndex %lld in a tree of %lld leads to another root hash",
		    (long long)index, (long long)size);
		goto out;
	}
	rc = check_checkpoint(json_string_value(env), json_string_length(env), size, root, log, e);
out:
	free(path);
	free(root);
	return rc;
}

/* ---- the entry -------------------------------------------------------- */

static const struct sn_tlog_key *find_log(const unsigned char *id, size_t id_len,
                                          const struct sn_tlog_key *logs, size_t n_logs)
{
	for (size_t i = 0; id_len == 32 && i < n_logs; i++)
		if (CRYPTO_memcmp(logs[i].log_id, id, 32) == 0)
			return &logs[i];
	return NULL;
}

int sn_tlog_entry_verify(int64_t *signed_time, json_t *entry, const struct sn_tlog_key *logs, size_t n_logs,
                         const struct sn_tlog_subject *subj, struct sn_err *e)
{
	static const char *const names[] = {
	    "logIndex",         "logId",          "kindVersion",       "integratedTime",
	    "inclusionPromise", "inclusionProof", "canonicalizedBody", NULL};
	static const char *const id_names[] = {"keyId", NULL};
	const struct sn_tlog_key *log;
	unsigned char *id = NULL, *body = NULL;
	size_t id_len = 0, body_len = 0;
	json_t *logid, *kv, *promise, *proof, *body_b64;
	int64_t index, itime;
	int rc;

	if (!json_is_object(entry))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not an object (%s)", WHAT, sn_json_kind(entry));
	if ((rc = known(entry, "tlogEntry", names, e)) != 0 ||
	    (rc = get_int64(&index, entry, "tlogEntry", "logIndex", e)) != 0 ||
	    (rc = get_int64(&itime, entry, "tlogEntry", "integratedTime", e)) != 0 ||
	    (rc = get(&logid, entry, "tlogEntry", "logId", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = known(logid, "logId", id_names, e)) != 0 ||
	    (rc = get(&kv, entry, "tlogEntry", "kindVersion", JSON_OBJECT, 1, e)) != 0 ||
	    (rc = get(&promise, entry, "tlogEntry", "inclusionPromise", JSON_OBJECT, 0, e)) != 0 ||
	    (rc = get(&proof, entry, "tlogEntry", "inclusionProof", JSON_OBJECT, 0, e)) != 0 ||
	    (rc = get(&body_b64, entry, "tlogEntry", "canonicalizedBody", JSON_STRING, 1, e)) != 0 ||
	    (rc = get_b64(&id, &id_len, logid, "logId", "keyId", 0, 64, NULL, e)) != 0 ||
	    (rc = get_b64(&body, &body_len, entry, "tlogEntry", "canonicalizedBody", 0,
	                  SIGNET_MAX_TLOG_BODY_SIZE, "SIGNET_MAX_TLOG_BODY_SIZE", e)) != 0)
		goto out;
	if ((log = find_log(id, id_len, logs, n_logs)) == NULL) {
		char h[129];

		hex(h, id, id_len);
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "%s: not from a trusted transparency log (logId %.64s is none of "
		               "the trusted root's %zu logs)",
		               WHAT, h, n_logs);
		goto out;
	}
	if (itime < log->valid_from || (log->valid_until != 0 && itime > log->valid_until)) {
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "%s: not from a trusted transparency log: the log's key was not "
		               "valid at integratedTime %lld",
		               WHAT, (long long)itime);
		goto out;
	}
	if ((rc = check_body(body, body_len, kv, subj, e)) != 0)
		goto out;
	if (promise == NULL && proof == NULL) {
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "%s: no transparency log proof (neither an inclusion promise nor "
		               "an inclusion proof)",
		               WHAT);
		goto out;
	}
	if (promise != NULL) {
		struct sn_buf b64;

		/* The SET signs the body's base64 as the log wrote it: the
		 * canonical encoding of the bytes. */
		sn_buf_init(&b64, SIGNET_MAX_TLOG_BODY_SIZE * 2u, "canonicalizedBody");
		rc = sn_base64_encode(&b64, body, body_len, 0, e);
		if (rc == 0 && (rc = sn_buf_append(&b64, "", 1, e)) == 0)
			rc = check_set(promise, (const char *)b64.data, itime, index, log, e);
		sn_buf_free(&b64);
		if (rc != 0)
			goto out;
	}
	if (proof != NULL && (rc = check_proof(proof, body, body_len, log, e)) != 0)
		goto out;
	*signed_time = promise != NULL ? itime : -1;
out:
	free(id);
	free(body);
	return rc;
}

int sn_tlog_entries_verify(int64_t times[SIGNET_MAX_TLOG_ENTRIES], size_t *n_times, json_t *entries,
                           const struct sn_tlog_key *logs, size_t n_logs, const struct sn_tlog_subject *subj,
                           struct sn_err *e)
{
	int64_t got[SIGNET_MAX_TLOG_ENTRIES];
	size_t n = json_array_size(entries), k = 0;

	if (!json_is_array(entries))
		return sn_seterr(e, SIGNET_EBADINPUT, "tlogEntries: not an array (%s)",
		                 sn_json_kind(entries));
	if (n == 0)
		return sn_seterr(e, SIGNET_EDENIED, "tlogEntries: empty: no transparency log proof");
	if (n > SIGNET_MAX_TLOG_ENTRIES)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "tlogEntries: %zu entries, more than %d (SIGNET_MAX_TLOG_ENTRIES)", n,
		                 SIGNET_MAX_TLOG_ENTRIES);
	for (size_t i = 0; i < n; i++) {
		int64_t t;
		int rc = sn_tlog_entry_verify(&t, json_array_get(entries, i), logs, n_logs, subj, e);

		if (rc != 0) {
			sn_errctx(e, "tlogEntries[%zu]: ", i);
			return rc;
		}
		if (t >= 0)
			got[k++] = t;
	}
	memcpy(times, got, k * sizeof(got[0]));
	*n_times = k;
	return 0;
}

/* ---- RFC 3161 --------------------------------------------------------- */

static int tsa_fails(struct sn_err *e, const char *why)
{
	return sn_seterr(e, SIGNET_EDENIED, "%s does not verify: %s", TSA_WHAT, why);
}

/* ASN1 time -> unix seconds. */
static int asn1_seconds(int64_t *out, const ASN1_TIME *t)
{
	struct tm tm;
	time_t s;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	s = timegm(&tm);
	if (s == (time_t)-1)
		return -1;
	*out = (int64_t)s;
	return 0;
}

/* The token verifies with tsa at gen_time: chain to its root, signed by
 * its leaf, imprint = md. */
static int tsa_one(TS_RESP *resp, const struct sn_tsa *tsa, int64_t gen_time, const unsigned char md[32])
{
	int n = sk_X509_num(tsa->chain), ok = 0;
	X509_STORE *store = NULL;
	STACK_OF(X509) *untrusted = NULL, *leaf_only = NULL, *signers = NULL;
	TS_VERIFY_CTX *ctx = NULL;
	unsigned char *imprint = NULL;
	X509 *leaf;

	if (n < 1)
		return 0;
	leaf = sk_X509_value(tsa->chain, 0);
	if ((store = X509_STORE_new()) == NULL ||
	    X509_STORE_add_cert(store, sk_X509_value(tsa->chain, n - 1)) != 1 ||
	    (untrusted = sk_X509_new_null()) == NULL || (leaf_only = sk_X509_new_null()) == NULL ||
	    sk_X509_push(leaf_only, leaf) <= 0 || (ctx = TS_VERIFY_CTX_new()) == NULL ||
	    (imprint = OPENSSL_malloc(32)) == NULL)
		goto out;
	for (int i = 0; i < n - 1; i++)
		if (!X509_up_ref(sk_X509_value(tsa->chain, i)) ||
		    sk_X509_push(untrusted, sk_X509_value(tsa->chain, i)) <= 0)
			goto out;
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)gen_time);
	memcpy(imprint, md, 32);
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
	TS_VERIFY_CTX_set_imprint(ctx, imprint, 32);
	imprint = NULL;
	TS_VERIFY_CTX_set_store(ctx, store);
	store = NULL;
	TS_VERIFY_CTX_set_certs(ctx, untrusted);
	untrusted = NULL;
	if (TS_RESP_verify_response(ctx, resp) != 1)
		goto out;
	/* Signed by this authority's own leaf, not another certificate its
	 * root issued. */
	signers = PKCS7_get0_signers(TS_RESP_get_token(resp), leaf_only, PKCS7_NOINTERN);
	ok = signers != NULL && sk_X509_num(signers) == 1 && X509_cmp(sk_X509_value(signers, 0), leaf) == 0;
out:
	sk_X509_free(signers);
	sk_X509_free(leaf_only);
	sk_X509_pop_free(untrusted, X509_free);
	X509_STORE_free(store);
	OPENSSL_free(imprint);
	TS_VERIFY_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

int sn_tsa_verify(int64_t *signed_time, const unsigned char *token, size_t token_len,
                  const unsigned char *sig, size_t sig_len, const struct sn_tsa *tsas, size_t n_tsas,
                  struct sn_err *e)
{
	const unsigned char *p = token;
	unsigned char md[32];
	TS_RESP *resp = NULL;
	TS_TST_INFO *tst;
	const ASN1_OBJECT *alg = NULL;
	ASN1_OCTET_STRING *got;
	TS_MSG_IMPRINT *mi;
	int64_t gen_time;
	int rc = 0, in_validity = 0;

	if (token_len > SIGNET_MAX_TIMESTAMP_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "%s: %zu bytes, more than %u (SIGNET_MAX_TIMESTAMP_SIZE)",
		                 TSA_WHAT, token_len, SIGNET_MAX_TIMESTAMP_SIZE);
	if ((resp = d2i_TS_RESP(NULL, &p, (long)token_len)) == NULL || p != token + token_len) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: not a DER TimeStampResp%s", TSA_WHAT,
		               resp != NULL ? " (trailing bytes)" : "");
		goto out;
	}
	if ((tst = TS_RESP_get_tst_info(resp)) == NULL || TS_RESP_get_token(resp) == NULL) {
		rc = tsa_fails(e, "the response holds no timestamp token (status not granted)");
		goto out;
	}
	if (asn1_seconds(&gen_time, TS_TST_INFO_get_time(tst)) != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: genTime is not a valid time", TSA_WHAT);
		goto out;
	}
	mi = TS_TST_INFO_get_msg_imprint(tst);
	X509_ALGOR_get0(&alg, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	got = TS_MSG_IMPRINT_get_msg(mi);
	sha256(md, sig, sig_len);
	if (alg == NULL || OBJ_obj2nid(alg) != NID_sha256) {
		rc = tsa_fails(e, "its message imprint is not a SHA-256 digest");
		goto out;
	}
	if (ASN1_STRING_length(got) != 32 || CRYPTO_memcmp(ASN1_STRING_get0_data(got), md, 32) != 0) {
		rc = tsa_fails(e, "it timestamps another signature (message imprint)");
		goto out;
	}
	for (size_t i = 0; i < n_tsas; i++) {
		if (gen_time < tsas[i].valid_from ||
		    (tsas[i].valid_until != 0 && gen_time > tsas[i].valid_until))
			continue;
		in_validity = 1;
		if (tsa_one(resp, &tsas[i], gen_time, md)) {
			*signed_time = gen_time;
			goto out;
		}
	}
	rc = tsa_fails(e, in_validity
	                      ? "no trusted timestamp authority signed it (signature, certificate chain "
	                        "at genTime or signing certificate)"
	                      : "its genTime is outside every trusted timestamp authority's validity");
out:
	TS_RESP_free(resp);
	ERR_clear_error();
	return rc;
}
