/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/trusted_root.c: sigstore's TrustedRoot (protobuf-specs
 * sigstore_trustroot.proto, written as JSON), the trust of keyless
 * signatures: the certificate authorities (Fulcio), the transparency logs
 * (Rekor) and the timestamp authorities.  Also the same trust built from
 * containers-policy.json's fulcio form (CA certificates and Rekor keys).
 *
 * Strict: unknown members, wrong JSON types, bad base64, trailing DER
 * bytes, bad times and a logId that is not the key's SHA-256 are refused,
 * naming the JSON path.
 */
#include "policy/policy.h"

#include "base/cosign_key.h"
#include "base/pem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#define SN_TRUSTED_ROOT_MEDIA_TYPE "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
#define TR_PATH_MAX                256

/* Where the parser is: for messages. */
struct trctx {
	const char *source;
	struct sn_err *e;
	char path[TR_PATH_MAX];
};

static int trerr(struct trctx *c, int code, const char *fmt, ...) SN_PRINTF(3, 4);
static int trerr(struct trctx *c, int code, const char *fmt, ...)
{
	char msg[SN_ERRMSG_MAX - TR_PATH_MAX - 64];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sn_seterr(c->e, code, "%.200s: %s%s%s", c->source, c->path, c->path[0] ? ": " : "", msg);
}

/* Appends ".name" or "[i]" to the path; returns the old length. */
static size_t push(struct trctx *c, const char *name, size_t index)
{
	size_t old = strlen(c->path);

	if (name != NULL)
		(void)snprintf(c->path + old, sizeof(c->path) - old, "%s%s", old ? "." : "", name);
	else
		(void)snprintf(c->path + old, sizeof(c->path) - old, "[%zu]", index);
	return old;
}

static void pop(struct trctx *c, size_t old)
{
	c->path[old] = '\0';
}

/* Every member of o is one of names (NULL-terminated). */
static int known(struct trctx *c, json_t *o, const char *const *names)
{
	const char *key = sn_json_unknown_member(o, names);

	return key == NULL ? 0 : trerr(c, SIGNET_EBADINPUT, "unknown member \"%.100s\"", key);
}

/* *out = o.name, of kind; absent is an error when required. */
static int get(struct trctx *c, json_t **out, json_t *o, const char *name, json_type kind, int required)
{
	json_t *v = json_object_get(o, name);
	size_t old;
	int rc = 0;

	*out = v;
	if (v == NULL && !required)
		return 0;
	old = push(c, name, 0);
	if (v == NULL)
		rc = trerr(c, SIGNET_EBADINPUT, "missing");
	else if (json_typeof(v) != kind)
		rc = trerr(c, SIGNET_EBADINPUT, "not %s (%s)",
		           kind == JSON_OBJECT  ? "an object"
		           : kind == JSON_ARRAY ? "an array"
		                                : "a string",
		           sn_json_kind(v));
	pop(c, old);
	return rc;
}

/* The array o.name (required), at most max elements and not empty. */
static int get_list(struct trctx *c, json_t **out, json_t *o, const char *name, size_t max, int required)
{
	size_t old;
	int rc;

	if ((rc = get(c, out, o, name, JSON_ARRAY, required)) != 0 || *out == NULL)
		return rc;
	old = push(c, name, 0);
	if (json_array_size(*out) > max)
		rc = trerr(c, SIGNET_ELIMIT, "%zu entries, more than the limit of %zu", json_array_size(*out),
		           max);
	else if (json_array_size(*out) == 0 && required)
		rc = trerr(c, SIGNET_EBADINPUT, "empty");
	pop(c, old);
	return rc;
}

/* The base64 string o.name decoded (not empty, at most SIGNET_MAX_CERT_SIZE bytes). */
static int get_b64(struct trctx *c, unsigned char **out, size_t *len, json_t *o, const char *name)
{
	json_t *v;
	size_t old;
	int rc;

	*out = NULL;
	if ((rc = get(c, &v, o, name, JSON_STRING, 1)) != 0)
		return rc;
	old = push(c, name, 0);
	if (json_string_length(v) > (SIGNET_MAX_CERT_SIZE / 3u + 1u) * 4u)
		rc = trerr(c, SIGNET_ELIMIT, "longer than the limit of %u bytes", SIGNET_MAX_CERT_SIZE);
	else if ((rc = sn_base64_decode(out, len, json_string_value(v), json_string_length(v))) != 0)
		rc = rc == SIGNET_ENOMEM ? sn_enomem(c->e) : trerr(c, SIGNET_EBADINPUT, "not valid base64");
	pop(c, old);
	return rc;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n decimal digits at s. */
static int digits(const char *s, int n, int64_t *out)
{
	int64_t v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int sn_rfc3339_parse(int64_t *out, const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t y, mo, d, h, mi, sec;
	const char *p;

	if (strlen(s) < 20 || digits(s, 4, &y) != 0 || s[4] != '-' || digits(s + 5, 2, &mo) != 0 ||
	    s[7] != '-' || digits(s + 8, 2, &d) != 0 || s[10] != 'T' || digits(s + 11, 2, &h) != 0 ||
	    s[13] != ':' || digits(s + 14, 2, &mi) != 0 || s[16] != ':' || digits(s + 17, 2, &sec) != 0)
		return -1;
	p = s + 19;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (strcmp(p, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) || h > 23 || mi > 59 ||
	    sec > 59)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

/* validFor {start, end}: start required, end optional (0: open). */
static int get_valid_for(struct trctx *c, int64_t *from, int64_t *until, json_t *o)
{
	static const char *const names[] = {"start", "end", NULL};
	json_t *vf, *v;
	size_t old, o2;
	int rc;

	*from = 0;
	*until = 0;
	if ((rc = get(c, &vf, o, "validFor", JSON_OBJECT, 1)) != 0)
		return rc;
	old = push(c, "validFor", 0);
	if ((rc = known(c, vf, names)) != 0 || (rc = get(c, &v, vf, "start", JSON_STRING, 1)) != 0)
		goto out;
	o2 = push(c, "start", 0);
	if (sn_rfc3339_parse(from, json_string_value(v)) != 0) {
		rc =
		    trerr(c, SIGNET_EBADINPUT, "\"%.64s\" is not an RFC 3339 UTC time", json_string_value(v));
		goto out;
	}
	pop(c, o2);
	if ((rc = get(c, &v, vf, "end", JSON_STRING, 0)) != 0 || v == NULL)
		goto out;
	o2 = push(c, "end", 0);
	if (sn_rfc3339_parse(until, json_string_value(v)) != 0)
		rc =
		    trerr(c, SIGNET_EBADINPUT, "\"%.64s\" is not an RFC 3339 UTC time", json_string_value(v));
	else if (*until <= *from)
		rc = trerr(c, SIGNET_EBADINPUT, "ends before it starts");
	pop(c, o2);
out:
	pop(c, old);
	return rc;
}

/* One DER certificate, the whole of der[0..len). */
static int cert_from_der(struct trctx *c, X509 **out, const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	if (x == NULL || p != der + len) {
		X509_free(x);
		ERR_clear_error();
		return trerr(c, SIGNET_EBADINPUT, "not a DER X.509 certificate%s",
		             x != NULL ? " (trailing bytes)" : "");
	}
	*out = x;
	return 0;
}

/* A CertificateAuthority (or a timestamp authority, the same message). */
static int parse_ca(struct trctx *c, struct sn_trusted_ca *ca, json_t *o)
{
	static const char *const names[] = {"subject", "uri", "certChain", "validFor", "operator", NULL};
	static const char *const chain_names[] = {"certificates", NULL};
	static const char *const cert_names[] = {"rawBytes", NULL};
	json_t *v, *chain, *certs;
	size_t old, o2;
	int rc;

	if (!json_is_object(o))
		return trerr(c, SIGNET_EBADINPUT, "not an object (%s)", sn_json_kind(o));
	if ((rc = known(c, o, names)) != 0 || (rc = get(c, &v, o, "subject", JSON_OBJECT, 0)) != 0 ||
	    (rc = get(c, &v, o, "uri", JSON_STRING, 0)) != 0 ||
	    (rc = get(c, &v, o, "operator", JSON_STRING, 0)) != 0 ||
	    (rc = get(c, &chain, o, "certChain", JSON_OBJECT, 1)) != 0 ||
	    (rc = get_valid_for(c, &ca->valid_from, &ca->valid_until, o)) != 0)
		return rc;
	if ((ca->chain = sk_X509_new_null()) == NULL)
		return sn_enomem(c->e);
	old = push(c, "certChain", 0);
	if ((rc = known(c, chain, chain_names)) != 0 ||
	    (rc = get_list(c, &certs, chain, "certificates", SIGNET_MAX_CERT_CHAIN, 1)) != 0)
		goto out;
	o2 = push(c, "certificates", 0);
	for (size_t i = 0; i < json_array_size(certs); i++) {
		json_t *cert = json_array_get(certs, i);
		unsigned char *der = NULL;
		size_t o3 = push(c, NULL, i), len = 0;
		X509 *x = NULL;

		if (!json_is_object(cert)) {
			rc = trerr(c, SIGNET_EBADINPUT, "not an object (%s)", sn_json_kind(cert));
			goto out;
		}
		if ((rc = known(c, cert, cert_names)) != 0 ||
		    (rc = get_b64(c, &der, &len, cert, "rawBytes")) != 0)
			goto out;
		push(c, "rawBytes", 0);
		rc = cert_from_der(c, &x, der, len);
		free(der);
		if (rc != 0)
			goto out;
		if (sk_X509_push(ca->chain, x) <= 0) {
			X509_free(x);
			rc = sn_enomem(c->e);
			goto out;
		}
		pop(c, o3);
	}
	pop(c, o2);
out:
	pop(c, old);
	return rc;
}

/* The log id of key: SHA-256 of its DER SubjectPublicKeyInfo. */
static int log_id_of(unsigned char id[32], const unsigned char *der, size_t len)
{
	unsigned int n = 0;

	return EVP_Digest(der, len, id, &n, EVP_sha256(), NULL) == 1 && n == 32 ? 0 : -1;
}

/* A public key from DER SubjectPublicKeyInfo, one signet can check with. */
static int key_from_der(struct trctx *c, EVP_PKEY **out, const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)len);
	int rc;

	if (k == NULL || p != der + len) {
		EVP_PKEY_free(k);
		ERR_clear_error();
		return trerr(c, SIGNET_EBADINPUT, "not a DER public key (SubjectPublicKeyInfo)%s",
		             k != NULL ? " (trailing bytes)" : "");
	}
	if ((rc = sn_sigstore_key_check(k, c->path, c->e)) != 0) {
		EVP_PKEY_free(k);
		sn_errctx(c->e, "%.200s: ", c->source);
		return rc;
	}
	*out = k;
	return 0;
}

/* A TransparencyLogInstance. */
static int parse_log(struct trctx *c, struct sn_trusted_log *l, json_t *o)
{
	static const char *const names[] = {"baseUrl",         "hashAlgorithm", "publicKey", "logId",
	                                    "checkpointKeyId", "operator",      NULL};
	static const char *const key_names[] = {"rawBytes", "keyDetails", "validFor", NULL};
	static const char *const id_names[] = {"keyId", NULL};
	unsigned char *der = NULL, *id = NULL, want[32];
	size_t len = 0, id_len = 0, old;
	json_t *v, *pk, *lid;
	int rc;

	if (!json_is_object(o))
		return trerr(c, SIGNET_EBADINPUT, "not an object (%s)", sn_json_kind(o));
	if ((rc = known(c, o, names)) != 0 || (rc = get(c, &v, o, "baseUrl", JSON_STRING, 0)) != 0 ||
	    (rc = get(c, &v, o, "hashAlgorithm", JSON_STRING, 0)) != 0 ||
	    (rc = get(c, &v, o, "checkpointKeyId", JSON_OBJECT, 0)) != 0 ||
	    (rc = get(c, &v, o, "operator", JSON_STRING, 0)) != 0 ||
	    (rc = get(c, &pk, o, "publicKey", JSON_OBJECT, 1)) != 0 ||
	    (rc = get(c, &lid, o, "logId", JSON_OBJECT, 1)) != 0)
		return rc;
	v = json_object_get(o, "hashAlgorithm");
	if (v != NULL && strcmp(json_string_value(v), "SHA2_256") != 0) {
		old = push(c, "hashAlgorithm", 0);
		rc = trerr(c, SIGNET_EUNSUPPORTED, "\"%.64s\": only SHA2_256 logs are read",
		           json_string_value(v));
		pop(c, old);
		return rc;
	}
	old = push(c, "publicKey", 0);
	if ((rc = known(c, pk, key_names)) != 0 || (rc = get(c, &v, pk, "keyDetails", JSON_STRING, 0)) != 0 ||
	    (rc = get_valid_for(c, &l->valid_from, &l->valid_until, pk)) != 0 ||
	    (rc = get_b64(c, &der, &len, pk, "rawBytes")) != 0)
		goto out;
	push(c, "rawBytes", 0);
	if ((rc = key_from_der(c, &l->key, der, len)) != 0)
		goto out;
	pop(c, old);
	push(c, "logId", 0);
	if ((rc = known(c, lid, id_names)) != 0 || (rc = get_b64(c, &id, &id_len, lid, "keyId")) != 0)
		goto out;
	push(c, "keyId", 0);
	if (log_id_of(want, der, len) != 0) {
		rc = sn_enomem(c->e);
		goto out;
	}
	if (id_len != 32 || memcmp(id, want, 32) != 0) {
		rc = trerr(c, SIGNET_EBADINPUT, "is not the SHA-256 of publicKey.rawBytes");
		goto out;
	}
	memcpy(l->log_id, want, 32);
out:
	pop(c, old);
	free(der);
	free(id);
	return rc;
}

/* Parses the list o.name with each() into a new array of n elements of size sz. */
static int parse_list(struct trctx *c, void **arr, size_t *n, size_t sz, json_t *o, const char *name,
                      int required, int (*each)(struct trctx *, void *, json_t *))
{
	json_t *list;
	size_t old;
	int rc;

	if ((rc = get_list(c, &list, o, name, SIGNET_MAX_TRUSTED_ROOT_ENTRIES, required)) != 0 ||
	    list == NULL)
		return rc;
	if (json_array_size(list) == 0)
		return 0;
	if ((*arr = calloc(json_array_size(list), sz)) == NULL)
		return sn_enomem(c->e);
	old = push(c, name, 0);
	for (size_t i = 0; i < json_array_size(list); i++) {
		size_t o2 = push(c, NULL, i);

		*n = i + 1;
		if ((rc = each(c, (char *)*arr + i * sz, json_array_get(list, i))) != 0)
			break;
		pop(c, o2);
	}
	if (rc == 0)
		pop(c, old);
	return rc;
}

static int each_ca(struct trctx *c, void *p, json_t *o)
{
	return parse_ca(c, p, o);
}

static int each_log(struct trctx *c, void *p, json_t *o)
{
	return parse_log(c, p, o);
}

int sn_trusted_root_parse(struct sn_trusted_root *out, const void *data, size_t len, const char *source,
                          struct sn_err *e)
{
	static const char *const names[] = {
	    "mediaType", "tlogs", "certificateAuthorities", "ctlogs", "timestampAuthorities", NULL};
	struct trctx c = {.source = source, .e = e};
	struct sn_trusted_root r;
	struct sn_trusted_log *ct = NULL;
	size_t n_ct = 0;
	json_t *root = NULL, *mt;
	int rc;

	memset(&r, 0, sizeof(r));
	if (len > SIGNET_MAX_TRUSTED_ROOT_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "%s: larger than the limit of %u bytes", source,
		                 SIGNET_MAX_TRUSTED_ROOT_SIZE);
	if ((rc = sn_json_parse(&root, data, len, source, e)) != 0)
		return rc;
	if (!json_is_object(root)) {
		rc = trerr(&c, SIGNET_EBADINPUT, "not a JSON object (%s)", sn_json_kind(root));
		goto out;
	}
	if ((rc = known(&c, root, names)) != 0 || (rc = get(&c, &mt, root, "mediaType", JSON_STRING, 1)) != 0)
		goto out;
	if (strcmp(json_string_value(mt), SN_TRUSTED_ROOT_MEDIA_TYPE) != 0) {
		push(&c, "mediaType", 0);
		rc = trerr(&c, SIGNET_EBADINPUT, "\"%.100s\", not %s", json_string_value(mt),
		           SN_TRUSTED_ROOT_MEDIA_TYPE);
		goto out;
	}
	if ((rc = parse_list(&c, (void **)&r.cas, &r.n_cas, sizeof(*r.cas), root, "certificateAuthorities", 1,
	                     each_ca)) != 0 ||
	    (rc = parse_list(&c, (void **)&r.logs, &r.n_logs, sizeof(*r.logs), root, "tlogs", 1, each_log)) !=
	        0 ||
	    (rc = parse_list(&c, (void **)&ct, &n_ct, sizeof(*ct), root, "ctlogs", 0, each_log)) != 0 ||
	    (rc = parse_list(&c, (void **)&r.tsas, &r.n_tsas, sizeof(*r.tsas), root, "timestampAuthorities",
	                     0, each_ca)) != 0)
		goto out;
	*out = r;
	memset(&r, 0, sizeof(r));
out:
	for (size_t i = 0; i < n_ct; i++)
		EVP_PKEY_free(ct[i].key);
	free(ct);
	sn_trusted_root_clear(&r);
	json_decref(root);
	return rc;
}

int sn_trusted_root_load(struct sn_trusted_root *out, const char *path, struct sn_err *e)
{
	struct sn_buf b;
	char *source;
	int rc;

	sn_buf_init(&b, 0, NULL);
	if ((rc = sn_file_read(&b, path, SIGNET_MAX_TRUSTED_ROOT_SIZE, "trusted root", 0, e)) != 0)
		return rc;
	if ((source = sn_aprintf(e, "trusted root %s", path)) == NULL) {
		sn_buf_free(&b);
		return SIGNET_ENOMEM;
	}
	rc = sn_trusted_root_parse(out, b.data, b.len, source, e);
	free(source);
	sn_buf_free(&b);
	return rc;
}

/* Each PEM CERTIFICATE block of pem (whitespace between them only). */
static int certs_from_pem(struct trctx *c, STACK_OF(X509) * chain, const void *data, size_t len)
{
	static const char end[] = "-----END CERTIFICATE-----";
	const unsigned char *p = data, *stop = p + len;
	int rc;

	while (p < stop) {
		const unsigned char *q = p;
		struct sn_pem blk = {NULL, NULL, 0};
		size_t n;
		X509 *x = NULL;

		while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
			q++;
		if (q == stop)
			break;
		/* The end of this block: after its END line. */
		for (n = 0; q + n + sizeof(end) - 1 <= stop && memcmp(q + n, end, sizeof(end) - 1) != 0; n++)
			;
		if (q + n + sizeof(end) - 1 > stop)
			return trerr(c, SIGNET_EBADINPUT, "not PEM CERTIFICATE blocks (no %s line)", end);
		n += sizeof(end) - 1;
		if (sk_X509_num(chain) == SIGNET_MAX_CERT_CHAIN)
			return trerr(c, SIGNET_ELIMIT, "more than the limit of %d certificates",
			             SIGNET_MAX_CERT_CHAIN);
		if ((rc = sn_pem_decode(&blk, q, n, c->source, c->e)) != 0)
			return rc;
		if (strcmp(blk.label, "CERTIFICATE") != 0)
			rc =
			    trerr(c, SIGNET_EBADINPUT, "a PEM \"%.64s\" block, not a CERTIFICATE", blk.label);
		else if ((rc = cert_from_der(c, &x, blk.der, blk.der_len)) == 0 &&
		         sk_X509_push(chain, x) <= 0) {
			X509_free(x);
			rc = sn_enomem(c->e);
		}
		sn_pem_clear(&blk);
		if (rc != 0)
			return rc;
		p = q + n;
	}
	return sk_X509_num(chain) > 0 ? 0 : trerr(c, SIGNET_EBADINPUT, "no certificate");
}

int sn_certs_from_pem(STACK_OF(X509) * chain, const void *data, size_t len, const char *what,
                      struct sn_err *e)
{
	struct trctx c = {what, e, ""};

	return certs_from_pem(&c, chain, data, len);
}

int sn_trusted_root_from_pem(struct sn_trusted_root *out, const struct sn_buf *ca_pem, const char *ca_name,
                             const struct sn_buf *log_keys, const char *const *log_names, size_t n_logs,
                             struct sn_err *e)
{
	struct trctx c = {.source = ca_name, .e = e};
	struct sn_trusted_root r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((r.cas = calloc(1, sizeof(*r.cas))) == NULL ||
	    (n_logs > 0 && (r.logs = calloc(n_logs, sizeof(*r.logs))) == NULL)) {
		rc = sn_enomem(e);
		goto out;
	}
	r.n_cas = 1;
	if ((r.cas[0].chain = sk_X509_new_null()) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if ((rc = certs_from_pem(&c, r.cas[0].chain, ca_pem->data, ca_pem->len)) != 0)
		goto out;
	for (size_t i = 0; i < n_logs; i++) {
		struct sn_pem blk = {NULL, NULL, 0};

		c.source = log_names[i];
		r.n_logs = i + 1;
		if ((rc = sn_pem_decode(&blk, log_keys[i].data, log_keys[i].len, log_names[i], e)) != 0)
			goto out;
		if (strcmp(blk.label, "PUBLIC KEY") != 0)
			rc =
			    trerr(&c, SIGNET_EBADINPUT, "a PEM \"%.64s\" block, not a PUBLIC KEY", blk.label);
		else if ((rc = key_from_der(&c, &r.logs[i].key, blk.der, blk.der_len)) == 0 &&
		         log_id_of(r.logs[i].log_id, blk.der, blk.der_len) != 0)
			rc = sn_enomem(e);
		sn_pem_clear(&blk);
		if (rc != 0)
			goto out;
	}
	*out = r;
	memset(&r, 0, sizeof(r));
out:
	sn_trusted_root_clear(&r);
	return rc;
}

void sn_trusted_root_clear(struct sn_trusted_root *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_cas; i++)
		sk_X509_pop_free(r->cas[i].chain, X509_free);
	for (size_t i = 0; i < r->n_tsas; i++)
		sk_X509_pop_free(r->tsas[i].chain, X509_free);
	for (size_t i = 0; i < r->n_logs; i++)
		EVP_PKEY_free(r->logs[i].key);
	free(r->cas);
	free(r->tsas);
	free(r->logs);
	memset(r, 0, sizeof(*r));
}

void sn_keyless_free(struct sn_keyless *k)
{
	if (k == NULL)
		return;
	sn_trusted_root_clear(&k->root);
	free(k->subject);
	free(k->issuer);
	free(k->source);
	free(k);
}

int sn_policy_from_keyless(struct sn_policy **out, const char *trusted_root, const char *subject,
                           const char *issuer, struct sn_err *e)
{
	struct sn_requirement *r;
	struct sn_policy *p;
	char *source;
	int rc;

	if (trusted_root == NULL || subject == NULL || issuer == NULL || subject[0] == '\0' ||
	    issuer[0] == '\0')
		return sn_seterr(
		    e, SIGNET_EINVAL,
		    "keyless verification needs a trusted root, a certificate identity and an "
		    "OIDC issuer together: nothing keyless is accepted without a pinned identity");
	/* A bundle's statement names only the digest; the repository it is
	 * found in stands for the claim, as for keys given with --key. */
	if ((source = sn_aprintf(e, "the trusted root %s (keyless)", trusted_root)) == NULL)
		return SIGNET_ENOMEM;
	rc = sn_policy_one_requirement(&p, &r, SN_REQ_SIGSTORE_SIGNED, SN_IDENTITY_MATCH_REPOSITORY, source,
	                               "keyless trust (--trusted-root)", e);
	free(source);
	if (rc != 0)
		return rc;
	if ((r->keyless = calloc(1, sizeof(*r->keyless))) == NULL) {
		rc = sn_enomem(e);
		goto fail;
	}
	if ((r->keyless->subject = sn_strdup(subject, e)) == NULL ||
	    (r->keyless->issuer = sn_strdup(issuer, e)) == NULL ||
	    (r->keyless->source = sn_aprintf(e, "trusted root %s", trusted_root)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto fail;
	}
	if ((rc = sn_trusted_root_load(&r->keyless->root, trusted_root, e)) != 0)
		goto fail;
	*out = p;
	return 0;
fail:
	sn_policy_free(p);
	return rc;
}
