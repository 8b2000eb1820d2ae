/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/keyless.c: keyless (Fulcio) Sigstore signatures, offline, against
 * a trusted root and a pinned identity, in two forms: Sigstore bundles
 * (cosign v3) and cosign v2's .sig layers that carry a certificate
 * (annotations dev.sigstore.cosign/certificate, /chain and /bundle, the
 * last one the Rekor SET of a hashedrekord entry).  Each form's reader
 * does step 1 and hands keyless_decide, the one place every other rule is
 * applied, a struct keyless_sig; the order (the table in docs/cosign.md
 * says the same):
 *
 *   1. the signature parses and carries a certificate: a bundle's
 *      verificationMaterial certificate or x509CertificateChain, whose
 *      leaf (its first certificate) is what is checked, the other
 *      certificates not trusted for anything; a .sig layer's certificate
 *      annotation (one PEM certificate); its chain annotation must be
 *      PEM certificates but is not used (as sigstore-js ignores what a
 *      signature offers beyond the leaf: the trusted root alone makes
 *      the chain);
 *   2. a signing time is proven: every log entry verifies (tlog.c: the
 *      entry is about this signature and certificate, from a log of the
 *      trusted root, with a signed entry timestamp or an inclusion proof
 *      that verifies; at least one entry; a .sig layer's bundle annotation
 *      is read as a bundle v0.1 entry, SET required, body a hashedrekord
 *      0.0.1 over SHA-256 of the payload), and every RFC 3161 timestamp
 *      of a bundle verifies against a timestamp authority of the root;
 *      the verified times are the integrated times the log vouches for
 *      and the timestamps' genTime; none is "no verified signing time";
 *   3. at each verified time: the leaf is within notBefore..notAfter, and
 *      it chains (X509_verify_cert at that time) to a certificate
 *      authority of the trusted root whose validFor holds that time; its
 *      extended key usage includes codeSigning;
 *   4. the signature verifies with the leaf's public key (a bundle's over
 *      the DSSE pre-authentication encoding, a .sig layer's over the
 *      payload);
 *   5. the leaf's identity is exactly the pinned one: its one subject
 *      alternative name (an email address or a URI) and its OIDC issuer
 *      (extension 1.3.6.1.4.1.57264.1.8, a DER UTF8String; else the
 *      deprecated 1.3.6.1.4.1.57264.1.1, raw bytes).
 * The statement (bundle) or payload (.sig) signed is returned for the
 * caller (examine.c), which checks that it names the manifest's digest
 * and the identity claim, as for key-based signatures.
 */
#include "tlog.h"
#include "verify.h"

#include "policy/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#define FULCIO_ISSUER_V2_OID "1.3.6.1.4.1.57264.1.8"
#define FULCIO_ISSUER_V1_OID "1.3.6.1.4.1.57264.1.1"
#define IDENTITY_MAX         1024 /* bytes of a SAN or issuer read from a certificate */
#define MAX_SIGNING_TIMES    (SIGNET_MAX_TLOG_ENTRIES + SIGNET_MAX_TIMESTAMPS)

struct keyless_verifier {
	const struct sn_keyless *k; /* borrowed from the requirement */
	struct sn_tlog_key *logs;
	size_t n_logs;
	struct sn_tsa *tsas;
	size_t n_tsas;
};

/* One keyless signature, of either form (a bundle, a cosign .sig layer),
 * as keyless_decide judges it.  All borrowed. */
struct keyless_sig {
	const char *what;     /* "bundle" or "cosign signature", for messages */
	const char *sig_name; /* "DSSE signature" or "signature", for messages */
	X509 *leaf;
	const unsigned char *sig;   /* the signature ... */
	size_t sig_len;
	const unsigned char *signed_data; /* ... over these bytes */
	size_t signed_len;
	struct sn_tlog_subject subj;  /* what the log entries must be about */
	json_t *tlog_entries;         /* the log entries, in the bundle's form */
	const char *entries_name;     /* their name in messages; NULL: the bundle annotation */
	const char *need;             /* the proof each entry must carry ... */
	const char *need_in;          /* ... in this form */
	json_t *material;             /* verificationMaterial (its timestamps), or NULL */
	const unsigned char *payload; /* what the caller parses: statement or payload */
	size_t payload_len;
};

static void keyless_verifier_free(void *state)
{
	struct keyless_verifier *v = state;

	if (v == NULL)
		return;
	free(v->logs);
	free(v->tsas);
	free(v);
}

int sn_keyless_verifier_new(void **state, const struct sn_keyless *k, struct sn_err *e)
{
	const struct sn_trusted_root *r = &k->root;
	struct keyless_verifier *v;

	if (k->subject == NULL || k->issuer == NULL || k->subject[0] == '\0' || k->issuer[0] == '\0')
		return sn_seterr(e, SIGNET_EINVAL,
		                 "keyless: no identity pinned (nothing keyless is accepted "
		                 "without a certificate identity and an OIDC issuer)");
	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (r->n_logs > 0 && (v->logs = calloc(r->n_logs, sizeof(*v->logs))) == NULL) ||
	    (r->n_tsas > 0 && (v->tsas = calloc(r->n_tsas, sizeof(*v->tsas))) == NULL)) {
		keyless_verifier_free(v);
		return sn_enomem(e);
	}
	v->k = k;
	for (size_t i = 0; i < r->n_logs; i++) {
		memcpy(v->logs[i].log_id, r->logs[i].log_id, sizeof(v->logs[i].log_id));
		v->logs[i].key = r->logs[i].key;
		v->logs[i].valid_from = r->logs[i].valid_from;
		v->logs[i].valid_until = r->logs[i].valid_until;
	}
	v->n_logs = r->n_logs;
	for (size_t i = 0; i < r->n_tsas; i++) {
		v->tsas[i].chain = r->tsas[i].chain;
		v->tsas[i].valid_from = r->tsas[i].valid_from;
		v->tsas[i].valid_until = r->tsas[i].valid_until;
	}
	v->n_tsas = r->n_tsas;
	*state = v;
	return 0;
}

/* "2026-12-05T07:00:00Z" */
static const char *utc(char buf[32], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(buf, 32, "%lld", (long long)t);
	return buf;
}

/* An ASN1_TIME as unix seconds. */
static int asn1_unix(int64_t *out, const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* One DER certificate, the whole base64 o.rawBytes. */
static int leaf_from(X509 **out, unsigned char **der, size_t *der_len, json_t *o, const char *path,
                     struct sn_err *e)
{
	json_t *raw;
	const unsigned char *p;
	const char *key;
	json_t *val;
	X509 *x;
	int rc;

	if (!json_is_object(o))
		return sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s: not an object", path);
	json_object_foreach(o, key, val)
	{
		if (strcmp(key, "rawBytes") != 0)
			return sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s: unknown member \"%.100s\"", path,
			                 key);
	}
	raw = json_object_get(o, "rawBytes");
	if (!json_is_string(raw))
		return sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s.rawBytes: missing or not a string", path);
	if (json_string_length(raw) > (SIGNET_MAX_CERT_SIZE / 3u + 1u) * 4u)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "bundle: %s.rawBytes: larger than the limit of %u bytes "
		                 "(SIGNET_MAX_CERT_SIZE)",
		                 path, SIGNET_MAX_CERT_SIZE);
	if ((rc = sn_base64_decode(der, der_len, json_string_value(raw), json_string_length(raw))) != 0)
		return rc == SIGNET_ENOMEM
		           ? sn_enomem(e)
		           : sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s.rawBytes: not valid base64", path);
	p = *der;
	x = d2i_X509(NULL, &p, (long)*der_len);
	if (x == NULL || p != *der + *der_len) {
		X509_free(x);
		ERR_clear_error();
		free(*der);
		*der = NULL;
		return sn_seterr(e, SIGNET_EBADINPUT, "bundle: %s.rawBytes: not a DER X.509 certificate%s",
		                 path, x != NULL ? " (trailing bytes)" : "");
	}
	*out = x;
	return 0;
}

/* The leaf certificate of verificationMaterial (certificate, or the first
 * of x509CertificateChain.certificates). */
static int leaf_cert(X509 **out, unsigned char **der, size_t *der_len, json_t *vm, struct sn_err *e)
{
	json_t *c = json_object_get(vm, "certificate"), *chain, *certs, *v;
	const char *key;

	if (c != NULL)
		return leaf_from(out, der, der_len, c, "verificationMaterial.certificate", e);
	chain = json_object_get(vm, "x509CertificateChain");
	if (chain == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "bundle: verificationMaterial: a public key, not a certificate (a keyless "
		                 "requirement needs a Fulcio certificate)");
	json_object_foreach(chain, key, v)
	{
		if (strcmp(key, "certificates") != 0)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "bundle: verificationMaterial.x509CertificateChain: unknown member "
			                 "\"%.100s\"",
			                 key);
	}
	certs = json_object_get(chain, "certificates");
	if (!json_is_array(certs) || json_array_size(certs) == 0)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "bundle: verificationMaterial.x509CertificateChain.certificates: missing, not "
		    "an array or empty");
	if (json_array_size(certs) > SIGNET_MAX_CERT_CHAIN)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "bundle: verificationMaterial.x509CertificateChain.certificates: %zu, more "
		                 "than the limit of %d (SIGNET_MAX_CERT_CHAIN)",
		                 json_array_size(certs), SIGNET_MAX_CERT_CHAIN);
	/* The others are not used, but must be certificates too. */
	for (size_t i = 1; i < json_array_size(certs); i++) {
		char path[96];
		unsigned char *d = NULL;
		size_t n = 0;
		X509 *x = NULL;
		int rc;

		(void)snprintf(path, sizeof(path),
		               "verificationMaterial.x509CertificateChain.certificates[%zu]", i);
		if ((rc = leaf_from(&x, &d, &n, json_array_get(certs, i), path, e)) != 0)
			return rc;
		X509_free(x);
		free(d);
	}
	return leaf_from(out, der, der_len, json_array_get(certs, 0),
	                 "verificationMaterial.x509CertificateChain.certificates[0]", e);
}

/* Every RFC 3161 timestamp of timestampVerificationData, verified; their
 * genTime appended to times[]. */
static int timestamps(int64_t *times, size_t *n_times, json_t *vm, const struct keyless_verifier *v,
                      const unsigned char *sig, size_t sig_len, struct sn_err *e)
{
	json_t *tvd = vm != NULL ? json_object_get(vm, "timestampVerificationData") : NULL, *list, *val;
	const char *key;

	if (tvd == NULL)
		return 0;
	json_object_foreach(tvd, key, val)
	{
		if (strcmp(key, "rfc3161Timestamps") != 0)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "bundle: verificationMaterial.timestampVerificationData: unknown member "
			    "\"%.100s\"",
			    key);
	}
	list = json_object_get(tvd, "rfc3161Timestamps");
	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "bundle: verificationMaterial.timestampVerificationData.rfc3161Timestamps: not "
		    "an array");
	if (json_array_size(list) > SIGNET_MAX_TIMESTAMPS)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "bundle: verificationMaterial.timestampVerificationData.rfc3161Timestamps: "
		                 "%zu, more than the limit of %d (SIGNET_MAX_TIMESTAMPS)",
		                 json_array_size(list), SIGNET_MAX_TIMESTAMPS);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *ts = json_array_get(list, i), *st;
		unsigned char *tok = NULL;
		size_t tok_len = 0;
		int64_t t = -1;
		int rc;

		st = json_is_object(ts) ? json_object_get(ts, "signedTimestamp") : NULL;
		if (!json_is_string(st) || json_object_size(ts) != 1)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "bundle: verificationMaterial.timestampVerificationData.rfc3161Timestamps"
			    "[%zu]: not an object with exactly a signedTimestamp string",
			    i);
		if ((rc = sn_base64_decode(&tok, &tok_len, json_string_value(st), json_string_length(st))) !=
		    0)
			return rc == SIGNET_ENOMEM
			           ? sn_enomem(e)
			           : sn_seterr(e, SIGNET_EBADINPUT,
			                       "bundle: verificationMaterial.timestampVerificationData."
			                       "rfc3161Timestamps[%zu].signedTimestamp: not valid base64",
			                       i);
		rc = sn_tsa_verify(&t, tok, tok_len, sig, sig_len, v->tsas, v->n_tsas, e);
		free(tok);
		if (rc != 0) {
			sn_errctx(e, "bundle: rfc3161Timestamps[%zu]: ", i);
			return rc;
		}
		times[(*n_times)++] = t;
	}
	return 0;
}

/* Every log entry of ks verified (at least one); the integrated times
 * the log vouches for appended to times[]. */
static int log_entries(int64_t *times, size_t *n_times, const struct keyless_verifier *v,
                       const struct keyless_sig *ks, struct sn_err *e)
{
	json_t *list = ks->tlog_entries;

	if (json_array_size(list) == 0)
		return sn_seterr(e, SIGNET_EDENIED, "%s: no transparency log proof", ks->what);
	if (json_array_size(list) > SIGNET_MAX_TLOG_ENTRIES)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s: verificationMaterial.tlogEntries: %zu, more than the limit of %d "
		                 "(SIGNET_MAX_TLOG_ENTRIES)",
		                 ks->what, json_array_size(list), SIGNET_MAX_TLOG_ENTRIES);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *entry = json_array_get(list, i);
		int64_t t = -1;
		int rc;

		/* What each form must carry (as sigstore-js checks a bundle):
		 * bundle v0.1 and a .sig layer the signed entry timestamp,
		 * later bundles the inclusion proof. */
		if (json_is_object(entry) && json_object_get(entry, ks->need) == NULL)
			return sn_seterr(e, SIGNET_EDENIED,
			                 "%s: tlogEntries[%zu]: no transparency log proof: no %s, which %s "
			                 "must carry",
			                 ks->what, i, ks->need, ks->need_in);
		rc = sn_tlog_entry_verify(&t, entry, v->logs, v->n_logs, &ks->subj, e);
		if (rc != 0) {
			if (ks->entries_name != NULL)
				sn_errctx(e, "%s: %s[%zu]: ", ks->what, ks->entries_name, i);
			else
				sn_errctx(e, "%s: the %s annotation: ", ks->what,
				          SN_COSIGN_BUNDLE_ANNOTATION);
			return rc;
		}
		if (t >= 0)
			times[(*n_times)++] = t;
	}
	return 0;
}

/* Is t within [from, until] (until 0: open)? */
static int within(int64_t t, int64_t from, int64_t until)
{
	return t >= from && (until == 0 || t <= until);
}

/* Step 3 at time t: the leaf's dates, its chain to a CA of the trusted
 * root valid at t, its codeSigning usage. */
static int chain_at(X509 *leaf, int64_t t, const struct sn_trusted_root *root, const char *source,
                    struct sn_err *e)
{
	const char *why = "no certificate authority of it is valid at that time";
	int64_t nb, na;
	char ts[32], b1[32], b2[32];
	int rc = SIGNET_EDENIED;

	if (asn1_unix(&nb, X509_get0_notBefore(leaf)) != 0 || asn1_unix(&na, X509_get0_notAfter(leaf)) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "keyless: the certificate's validity dates do not parse");
	if (t < nb || t > na)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "keyless: the certificate is not valid at the signing time %s (it is valid from "
		    "%s to %s)",
		    utc(ts, t), utc(b1, nb), utc(b2, na));
	for (size_t i = 0; i < root->n_cas && rc != 0; i++) {
		const struct sn_trusted_ca *ca = &root->cas[i];
		X509_STORE *store = NULL;
		X509_STORE_CTX *ctx = NULL;
		X509_VERIFY_PARAM *param;
		int ok = 0;

		if (!within(t, ca->valid_from, ca->valid_until))
			continue;
		if ((store = X509_STORE_new()) == NULL || (ctx = X509_STORE_CTX_new()) == NULL) {
			X509_STORE_free(store);
			return sn_enomem(e);
		}
		for (int j = 0; j < sk_X509_num(ca->chain); j++)
			if (X509_STORE_add_cert(store, sk_X509_value(ca->chain, j)) != 1)
				goto next;
		if (X509_STORE_CTX_init(ctx, store, leaf, NULL) != 1)
			goto next;
		param = X509_STORE_CTX_get0_param(ctx);
		/* Every certificate of the CA's chain is pinned, as the
		 * trusted root lists it: the chain may end at any of them. */
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_X509_STRICT);
		X509_VERIFY_PARAM_set_time(param, (time_t)t);
		ok = X509_verify_cert(ctx) == 1;
		if (!ok)
			why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
	next:
		X509_STORE_CTX_free(ctx);
		X509_STORE_free(store);
		ERR_clear_error();
		if (ok)
			rc = 0;
	}
	if (rc != 0)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "keyless: the certificate does not chain to the trusted root (%.200s) at the "
		    "signing time %s: %s",
		    source, utc(ts, t), why);
	if (!(X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN))
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "keyless: the certificate is not for code signing (no codeSigning extended key "
		    "usage)");
	return 0;
}

/* Step 4: the signature with the leaf's key. */
static int signature_check(X509 *leaf, const struct keyless_sig *ks, struct sn_err *e)
{
	EVP_PKEY *pk = X509_get0_pubkey(leaf);
	EVP_MD_CTX *md;
	int rc, ok;

	if (pk == NULL) {
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EBADINPUT, "keyless: the certificate's public key does not parse");
	}
	if ((rc = sn_sigstore_key_check(pk, "keyless: the certificate's public key", e)) != 0)
		return rc;
	if ((md = EVP_MD_CTX_new()) == NULL)
		return sn_enomem(e);
	ok = EVP_DigestVerifyInit_ex(md, NULL, sn_sigstore_key_digest(pk), NULL, NULL, pk, NULL) == 1 &&
	     EVP_DigestVerify(md, ks->sig, ks->sig_len, ks->signed_data, ks->signed_len) == 1;
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return ok ? 0
	          : sn_seterr(e, SIGNET_EDENIED,
	                      "signature: the %s does not verify with the certificate's key", ks->sig_name);
}

/* A printable copy of n bytes (NUL and controls refused: 0). */
static int printable(char out[IDENTITY_MAX + 1], const unsigned char *d, int n)
{
	if (n <= 0 || n > IDENTITY_MAX)
		return 0;
	for (int i = 0; i < n; i++)
		if (d[i] < 0x20 || d[i] == 0x7f)
			return 0;
	memcpy(out, d, (size_t)n);
	out[n] = '\0';
	return 1;
}

/* The leaf's one SAN (email or URI) into san. */
static int leaf_san(char san[IDENTITY_MAX + 1], X509 *leaf, struct sn_err *e)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	GENERAL_NAME *g;
	int ok = 0, n = names != NULL ? sk_GENERAL_NAME_num(names) : 0;

	if (n == 1) {
		g = sk_GENERAL_NAME_value(names, 0);
		if (g->type == GEN_EMAIL || g->type == GEN_URI)
			ok = printable(san, ASN1_STRING_get0_data(g->d.ia5), ASN1_STRING_length(g->d.ia5));
	}
	GENERAL_NAMES_free(names);
	ERR_clear_error();
	if (!ok)
		return sn_seterr(
		    e, SIGNET_EDENIED,
		    "keyless: identity does not match: the certificate has %d subject alternative "
		    "names; exactly one, an email address or a URI, is read",
		    n);
	return 0;
}

/* The leaf's OIDC issuer: the 1.8 extension (DER UTF8String), else 1.1 (raw). */
static int leaf_issuer(char issuer[IDENTITY_MAX + 1], X509 *leaf, struct sn_err *e)
{
	static const char *const oids[] = {FULCIO_ISSUER_V2_OID, FULCIO_ISSUER_V1_OID};
	int ok = 0;

	for (size_t i = 0; i < 2 && !ok; i++) {
		ASN1_OBJECT *obj = OBJ_txt2obj(oids[i], 1);
		int at = obj != NULL ? X509_get_ext_by_OBJ(leaf, obj, -1) : -1;
		ASN1_OCTET_STRING *os;

		ASN1_OBJECT_free(obj);
		if (at < 0)
			continue;
		os = X509_EXTENSION_get_data(X509_get_ext(leaf, at));
		if (i == 0) {
			const unsigned char *p = ASN1_STRING_get0_data(os);
			long len = ASN1_STRING_length(os);
			ASN1_UTF8STRING *u = d2i_ASN1_UTF8STRING(NULL, &p, len);

			ok = u != NULL && p == ASN1_STRING_get0_data(os) + len &&
			     printable(issuer, ASN1_STRING_get0_data(u), ASN1_STRING_length(u));
			ASN1_UTF8STRING_free(u);
			if (!ok) {
				ERR_clear_error();
				return sn_seterr(
				    e, SIGNET_EDENIED,
				    "keyless: identity does not match: the certificate's OIDC issuer "
				    "extension %s is not a DER UTF8String",
				    oids[i]);
			}
		} else {
			ok = printable(issuer, ASN1_STRING_get0_data(os), ASN1_STRING_length(os));
		}
	}
	ERR_clear_error();
	if (!ok)
		return sn_seterr(e, SIGNET_EDENIED,
		                 "keyless: identity does not match: the certificate names no OIDC issuer "
		                 "(extension %s or %s)",
		                 FULCIO_ISSUER_V2_OID, FULCIO_ISSUER_V1_OID);
	return 0;
}

/* The one decision about a keyless signature, of either form (the rules
 * at the top, from step 2). */
static int keyless_decide(const struct keyless_verifier *v, const struct keyless_sig *ks,
                          struct sn_buf *payload, struct sn_signer *signer, struct sn_err *e)
{
	const struct sn_keyless *k = v->k;
	int64_t times[MAX_SIGNING_TIMES];
	char san[IDENTITY_MAX + 1], issuer[IDENTITY_MAX + 1], id[SN_SIGSTORE_KEY_ID_MAX];
	struct sn_signer who = {NULL, NULL, NULL};
	size_t n_times = 0;
	struct sn_buf out;
	int rc;

	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signed payload");
	/* 2. the signing time */
	if ((rc = log_entries(times, &n_times, v, ks, e)) != 0 ||
	    (rc = timestamps(times, &n_times, ks->material, v, ks->sig, ks->sig_len, e)) != 0)
		goto out;
	if (n_times == 0) {
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "keyless: no verified signing time: no transparency log entry with a signed "
		               "entry timestamp and no RFC 3161 timestamp proves when it was signed");
		goto out;
	}
	/* 3. the chain, at every verified time */
	for (size_t i = 0; i < n_times; i++)
		if ((rc = chain_at(ks->leaf, times[i], &k->root, k->source, e)) != 0)
			goto out;
	/* 4. the signature; 5. the identity */
	if ((rc = signature_check(ks->leaf, ks, e)) != 0 || (rc = leaf_san(san, ks->leaf, e)) != 0 ||
	    (rc = leaf_issuer(issuer, ks->leaf, e)) != 0)
		goto out;
	if (strcmp(san, k->subject) != 0) {
		rc = sn_seterr(
		    e, SIGNET_EDENIED,
		    "keyless: identity does not match: the certificate's subject is \"%.300s\", the "
		    "pinned one \"%.300s\"",
		    san, k->subject);
		goto out;
	}
	if (strcmp(issuer, k->issuer) != 0) {
		rc = sn_seterr(
		    e, SIGNET_EDENIED,
		    "keyless: identity does not match: the certificate's OIDC issuer is \"%.300s\", "
		    "the pinned one \"%.300s\"",
		    issuer, k->issuer);
		goto out;
	}
	if ((rc = sn_sigstore_key_id(id, X509_get0_pubkey(ks->leaf), e)) != 0)
		goto out;
	if ((who.fingerprint = sn_strdup(san, e)) == NULL ||
	    (who.signing_fingerprint = sn_strdup(id, e)) == NULL ||
	    (who.uid = sn_aprintf(e, "%s (OIDC issuer %s)", san, issuer)) == NULL ||
	    (rc = sn_buf_append(&out, ks->payload, ks->payload_len, e)) != 0) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	*payload = out;
	sn_buf_init(&out, SIGNET_MAX_SIGNATURE_SIZE, "signed payload");
	*signer = who;
	memset(&who, 0, sizeof(who));
out:
	sn_signer_clear(&who);
	sn_buf_free(&out);
	return rc;
}

/* The bundle form: step 1, then keyless_decide. */
static int keyless_bundle(const struct keyless_verifier *v, const unsigned char *chunk, size_t len,
                          struct sn_buf *statement, struct sn_signer *signer, struct sn_err *e)
{
	struct keyless_sig ks = {
	    .what = "bundle", .sig_name = "DSSE signature", .entries_name = "tlogEntries"};
	unsigned char *der = NULL;
	size_t der_len = 0;
	struct sn_bundle b;
	const char *mt;
	X509 *leaf = NULL;
	int rc, v01;

	if ((rc = sn_bundle_parse(&b, chunk, len, e)) != 0)
		return rc;
	mt = json_string_value(json_object_get(b.root, "mediaType"));
	v01 = mt != NULL && strcmp(mt, SN_MT_SIGSTORE_BUNDLE_V01) == 0;
	/* 1. the certificate (bundle v0.3 carries the leaf alone) */
	if (json_object_get(b.material, "x509CertificateChain") != NULL && mt != NULL &&
	    strcmp(mt, SN_MT_SIGSTORE_BUNDLE_V03) == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "bundle: verificationMaterial: an x509CertificateChain in a v0.3 bundle (v0.3 "
		               "carries the leaf alone, as certificate)");
		goto out;
	}
	if ((rc = leaf_cert(&leaf, &der, &der_len, b.material, e)) != 0)
		goto out;
	ks.tlog_entries = json_object_get(b.material, "tlogEntries");
	if (json_array_size(ks.tlog_entries) == 0) {
		rc =
		    sn_seterr(e, SIGNET_EDENIED,
		              "bundle: no transparency log proof: verificationMaterial has no tlogEntries (a "
		              "keyless signature must be in a transparency log of the trusted root)");
		goto out;
	}
	ks.leaf = leaf;
	ks.sig = b.sig;
	ks.sig_len = b.sig_len;
	ks.signed_data = b.pae.data;
	ks.signed_len = b.pae.len;
	ks.need = v01 ? "inclusionPromise" : "inclusionProof";
	ks.need_in = v01 ? "a bundle v0.1" : "a bundle v0.2 or later";
	ks.material = b.material;
	ks.payload = b.payload;
	ks.payload_len = b.payload_len;
	ks.subj = (struct sn_tlog_subject){.sig = b.sig,
	                                   .sig_len = b.sig_len,
	                                   .cert_der = der,
	                                   .cert_len = der_len,
	                                   .payload = b.payload,
	                                   .payload_len = b.payload_len,
	                                   .payload_type = b.payload_type};
	rc = keyless_decide(v, &ks, statement, signer, e);
out:
	X509_free(leaf);
	free(der);
	sn_bundle_clear(&b);
	return rc;
}

/* The leaf of the certificate annotation: exactly one PEM CERTIFICATE. */
static int cosign_leaf(X509 **out, struct sn_pem *pem, const char *text, size_t len, struct sn_err *e)
{
	const unsigned char *p;
	X509 *x;
	int rc;

	if ((rc = sn_pem_decode(pem, text, len,
	                        "cosign signature: the " SN_COSIGN_CERTIFICATE_ANNOTATION " annotation",
	                        e)) != 0)
		return rc;
	if (strcmp(pem->label, "CERTIFICATE") != 0)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "cosign signature: the %s annotation: a PEM \"%.64s\" block, not a "
		                 "CERTIFICATE",
		                 SN_COSIGN_CERTIFICATE_ANNOTATION, pem->label);
	if (pem->der_len > SIGNET_MAX_CERT_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "cosign signature: the %s annotation: larger than the limit of %u bytes "
		                 "(SIGNET_MAX_CERT_SIZE)",
		                 SN_COSIGN_CERTIFICATE_ANNOTATION, SIGNET_MAX_CERT_SIZE);
	p = pem->der;
	x = d2i_X509(NULL, &p, (long)pem->der_len);
	if (x == NULL || p != pem->der + pem->der_len) {
		X509_free(x);
		ERR_clear_error();
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "cosign signature: the %s annotation: not a DER X.509 certificate%s",
		                 SN_COSIGN_CERTIFICATE_ANNOTATION, x != NULL ? " (trailing bytes)" : "");
	}
	*out = x;
	return 0;
}

/* A non-negative integer member of the bundle annotation's Payload. */
static int rekor_int(json_int_t *out, json_t *o, const char *name, struct sn_err *e)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "cosign signature: the %s annotation: Payload.%s: missing or not a "
		                 "non-negative integer",
		                 SN_COSIGN_BUNDLE_ANNOTATION, name);
	*out = json_integer_value(v);
	return 0;
}

/*
 * The bundle annotation ({"SignedEntryTimestamp": base64, "Payload":
 * {"body": base64, "integratedTime": N, "logIndex": N, "logID": hex}},
 * cosign's RekorBundle) as a one-element tlogEntries array in the bundle's
 * form, so that tlog.c verifies it as it verifies a bundle v0.1's entry:
 * the SET over {body, integratedTime, logID, logIndex} with the log whose
 * id is logID, the body a hashedrekord 0.0.1.
 */
static int rekor_entries(json_t **out, const char *text, size_t len, struct sn_err *e)
{
	static const char what[] = "cosign signature: the " SN_COSIGN_BUNDLE_ANNOTATION " annotation";
	static const char *const payload_names[] = {"body", "integratedTime", "logIndex", "logID", NULL};
	json_t *root = NULL, *set, *pl, *body, *logid, *val, *entry = NULL;
	unsigned char id[32];
	char itime[32], index[32];
	json_int_t it, ix;
	struct sn_buf kid;
	const char *key, *hx;
	int rc;

	sn_buf_init(&kid, 64, "log id");
	if ((rc = sn_json_parse(&root, text, len, what, e)) != 0)
		return rc;
	set = json_object_get(root, "SignedEntryTimestamp");
	pl = json_object_get(root, "Payload");
	if (!json_is_object(root) || json_object_size(root) != 2 || !json_is_string(set) ||
	    !json_is_object(pl)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: not an object of exactly SignedEntryTimestamp (a string) and Payload "
		               "(an object)",
		               what);
		goto out;
	}
	json_object_foreach(pl, key, val)
	{
		size_t i;

		for (i = 0; payload_names[i] != NULL && strcmp(payload_names[i], key) != 0; i++)
			;
		if (payload_names[i] == NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: Payload: unknown member \"%.100s\"", what,
			               key);
			goto out;
		}
	}
	body = json_object_get(pl, "body");
	logid = json_object_get(pl, "logID");
	if ((rc = rekor_int(&it, pl, "integratedTime", e)) != 0 ||
	    (rc = rekor_int(&ix, pl, "logIndex", e)) != 0)
		goto out;
	if (!json_is_string(body) || !json_is_string(logid) || json_string_length(logid) != 2 * sizeof(id)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: Payload: body missing or not a string, or logID not 64 hexadecimal "
		               "digits",
		               what);
		goto out;
	}
	hx = json_string_value(logid);
	for (size_t i = 0; i < sizeof(id); i++) {
		unsigned hi, lo;

		if (sscanf(hx + 2 * i, "%1x%1x", &hi, &lo) != 2) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: Payload.logID: not hexadecimal", what);
			goto out;
		}
		id[i] = (unsigned char)(hi << 4 | lo);
	}
	if ((rc = sn_base64_encode(&kid, id, sizeof(id), 0, e)) != 0 ||
	    (rc = sn_buf_append(&kid, "", 1, e)) != 0)
		goto out;
	(void)snprintf(itime, sizeof(itime), "%lld", (long long)it);
	(void)snprintf(index, sizeof(index), "%lld", (long long)ix);
	entry = json_pack("[{s:s, s:{s:s}, s:{s:s, s:s}, s:s, s:{s:O}, s:O}]", "logIndex", index, "logId",
	                  "keyId", (const char *)kid.data, "kindVersion", "kind", "hashedrekord", "version",
	                  "0.0.1", "integratedTime", itime, "inclusionPromise", "signedEntryTimestamp", set,
	                  "canonicalizedBody", body);
	if (entry == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	*out = entry;
out:
	sn_buf_free(&kid);
	json_decref(root);
	return rc;
}

/* The .sig form (cosign v2): the layer's payload, signature and
 * certificate, chain and bundle annotations; then keyless_decide. */
static int keyless_cosign(const struct keyless_verifier *v, const unsigned char *chunk, size_t len,
                          struct sn_buf *payload, struct sn_signer *signer, struct sn_err *e)
{
	struct keyless_sig ks = {.what = "cosign signature",
	                         .sig_name = "signature",
	                         .need = "inclusionPromise",
	                         .need_in = "a .sig layer"};
	struct sn_pem pem = {NULL, NULL, 0};
	STACK_OF(X509) *chain = NULL;
	struct sn_cosign_sig s;
	json_t *cert, *inter, *bundle, *entries = NULL;
	X509 *leaf = NULL;
	int rc;

	if ((rc = sn_cosign_sig_parse(&s, chunk, len, e)) != 0)
		return rc;
	cert = json_object_get(s.annotations, SN_COSIGN_CERTIFICATE_ANNOTATION);
	inter = json_object_get(s.annotations, SN_COSIGN_CHAIN_ANNOTATION);
	bundle = json_object_get(s.annotations, SN_COSIGN_BUNDLE_ANNOTATION);
	/* 1. the certificate; the chain annotation is read strictly but
	 * trusted for nothing, not even as intermediates: the chain is
	 * built from the trusted root alone, as sigstore-js builds it
	 * (docs/differences.md, sig-chain-intermediates) */
	if (cert == NULL) {
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "cosign signature: no %s annotation: a key-based signature (a keyless "
		               "requirement needs a Fulcio certificate)",
		               SN_COSIGN_CERTIFICATE_ANNOTATION);
		goto out;
	}
	if ((rc = cosign_leaf(&leaf, &pem, json_string_value(cert), json_string_length(cert), e)) != 0)
		goto out;
	if (inter != NULL) {
		if ((chain = sk_X509_new_null()) == NULL) {
			rc = sn_enomem(e);
			goto out;
		}
		if ((rc = sn_certs_from_pem(chain, json_string_value(inter), json_string_length(inter),
		                            "cosign signature: the " SN_COSIGN_CHAIN_ANNOTATION " annotation",
		                            e)) != 0)
			goto out;
	}
	if (bundle == NULL) {
		rc = sn_seterr(e, SIGNET_EDENIED,
		               "cosign signature: no transparency log proof: no %s annotation (a keyless "
		               "signature must be in a transparency log of the trusted root)",
		               SN_COSIGN_BUNDLE_ANNOTATION);
		goto out;
	}
	if ((rc = rekor_entries(&entries, json_string_value(bundle), json_string_length(bundle), e)) != 0)
		goto out;
	ks.leaf = leaf;
	ks.sig = s.sig;
	ks.sig_len = s.sig_len;
	ks.signed_data = s.payload;
	ks.signed_len = s.payload_len;
	ks.tlog_entries = entries;
	ks.payload = s.payload;
	ks.payload_len = s.payload_len;
	ks.subj = (struct sn_tlog_subject){.sig = s.sig,
	                                   .sig_len = s.sig_len,
	                                   .cert_der = pem.der,
	                                   .cert_len = pem.der_len,
	                                   .payload = s.payload,
	                                   .payload_len = s.payload_len};
	rc = keyless_decide(v, &ks, payload, signer, e);
out:
	json_decref(entries);
	sk_X509_pop_free(chain, X509_free);
	X509_free(leaf);
	sn_pem_clear(&pem);
	sn_cosign_sig_clear(&s);
	return rc;
}

static int keyless_verify(void *state, const void *blob, size_t len, struct sn_buf *payload,
                          struct sn_signer *signer, struct sn_err *e)
{
	const unsigned char *chunk;
	enum sn_sig_format fmt;
	size_t chunk_len;
	int rc;

	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT, "signature blob is larger than the limit of %u bytes",
		                 SIGNET_MAX_SIGNATURE_SIZE);
	if ((rc = sn_sig_detect(&fmt, &chunk, &chunk_len, blob, len, e)) != 0)
		return rc;
	if (fmt == SN_SIG_SIGSTORE_BUNDLE)
		return keyless_bundle(state, chunk, chunk_len, payload, signer, e);
	if (fmt == SN_SIG_SIGSTORE_JSON)
		return keyless_cosign(state, chunk, chunk_len, payload, signer, e);
	return sn_seterr(e, SIGNET_EUNSUPPORTED,
	                 "signature blob: an OpenPGP simple signing signature; keyless signatures are "
	                 "Sigstore bundles or cosign .sig layers with a certificate");
}

static int keyless_describe(void *state, struct sn_buf *out, struct sn_err *e)
{
	const struct keyless_verifier *v = state;
	char *s =
	    sn_aprintf(e,
	               "keyless: certificate identity %s, OIDC issuer %s, %s (%zu CAs, %zu logs, %zu "
	               "timestamp authorities)",
	               v->k->subject, v->k->issuer, v->k->source != NULL ? v->k->source : "trusted root",
	               v->k->root.n_cas, v->k->root.n_logs, v->k->root.n_tsas);
	int rc;

	if (s == NULL)
		return SIGNET_ENOMEM;
	rc = sn_buf_append_str(out, s, e);
	free(s);
	return rc;
}

/* A keyless verifier is made from a requirement (sn_keyless_verifier_new),
 * never from key files. */
static int keyless_from_keys(void **state, const struct sn_buf *keys, const char *const *key_names,
                             size_t n_keys, struct sn_err *e)
{
	return sn_seterr(e, SIGNET_EINVAL, "keyless verifier: made from a trusted root, not from keys");
}

const struct sn_sig_backend sn_keyless_backend = {
    .name = "keyless",
    .verifier_new = keyless_from_keys,
    .verify = keyless_verify,
    .describe = keyless_describe,
    .verifier_free = keyless_verifier_free,
};
