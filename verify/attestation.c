/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/attestation.c: the auditor's check of an IBM Hyper Protect
 * attestation record (signet/attestation.h).
 *
 * What IBM documents and signet follows ("Attestation", Hyper Protect
 * Virtual Servers): the guest writes se-checksums.txt, a short header (the
 * image release, "Machine Type/Plant/Serial: ...", "Image age: ...", since
 * 26.7 the validity of the encryption and attestation certificates) and
 * then "<sha256 hex> <name>" lines: the base image, the root partition,
 * the cloud-init files, the SBOM and, for the contract, "contract:workload",
 * "contract:env", "contract:attestationPublicKey" and
 * "contract:envWorkloadSignature": sha256 of each contract value as it
 * was given (the hyper-protect-basic string when encrypted).  With an
 * attestationPublicKey in the contract the file is se-checksums.txt.enc,
 * encrypted for that key in the contract's hyper-protect-basic format.
 * se-signature.bin is RSA PKCS#1 v1.5 / SHA-256 over the (decrypted)
 * checksums, by the key of the image's attestation certificate, which IBM's
 * intermediate issues under a DigiCert root, each with a CRL.
 *
 * Decisions where IBM's documents are silent:
 *  - labels are read leniently ("contract:workload", "contract: workload",
 *    "CONTRACT : workload", or the bare "workload") and compared strictly:
 *    the section names are case-sensitive, a checksum is 64 hex digits;
 *  - header lines are the lines before the first checksum line; after it,
 *    a line that is not a checksum is a malformed record, as is a second
 *    checksum of the same contract section;
 *  - revocation fails closed: every certificate below the trust anchor
 *    needs a CRL of its issuer (--crl), as IBM's steps check them all;
 *    the self-signed trust anchor itself needs none;
 *  - a contract checksum the record holds but the contract has no section
 *    for ("unknown") fails like one that differs: the guest booted with a
 *    contract other than the one the auditor holds.
 */
#include "verify/verify.h"
#include "policy/policy.h"

#include "base/digest.h"
#include "base/yaml_strict.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <signet/attestation.h>

#define RECORD_FILE     "se-checksums.txt"
#define RECORD_ENC_FILE "se-checksums.txt.enc"
#define SIGNATURE_FILE  "se-signature.bin"
#define CONTRACT_LABEL  "contract"
#define SHA256_HEX_LEN  64

#define WHAT_RECORD    "attestation record (SIGNET_MAX_ATTESTATION_RECORD_SIZE)"
#define WHAT_SIGNATURE "attestation signature (SIGNET_MAX_ATTESTATION_SIGNATURE_SIZE)"
#define WHAT_CERT      "attestation certificate"
#define WHAT_CA        "CA certificate file"
#define WHAT_CRL       "CRL file"
#define WHAT_KEY       "attestation private key"
#define WHAT_CONTRACT  "contract"

/* The contract's sections a record may hold a checksum of, in the order
 * they are reported when missing. */
static const char *const sections[] = {"workload", "env", "attestationPublicKey", "envWorkloadSignature"};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

struct signet_attestation {
	char *record_path;
	int encrypted;
	int sig_ok;
	char *sig_detail;
	int chain_ok;
	char *chain_detail;
	char **headers;
	size_t n_headers;
	signet_attestation_entry *entries; /* every string in them owned */
	size_t n_entries;
	size_t cap_entries;
};

/* What the contract holds: sha256 hex of each section's value, "" when
 * the contract has no such section. */
struct expected {
	char hex[N_SECTIONS][SHA256_HEX_LEN + 1];
};

/* ---- results ---------------------------------------------------------- */

void signet_attestation_free(signet_attestation *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n_entries; i++) {
		free((char *)a->entries[i].name);
		free((char *)a->entries[i].section);
		free((char *)a->entries[i].recorded);
		free((char *)a->entries[i].expected);
	}
	free(a->entries);
	for (size_t i = 0; i < a->n_headers; i++)
		free(a->headers[i]);
	free(a->headers);
	free(a->record_path);
	free(a->sig_detail);
	free(a->chain_detail);
	free(a);
}

int signet_attestation_ok(const signet_attestation *a)
{
	if (a == NULL || !a->sig_ok || !a->chain_ok)
		return 0;
	for (size_t i = 0; i < a->n_entries; i++) {
		int s = a->entries[i].status;

		if (s == SIGNET_ATTEST_DIFFERS || s == SIGNET_ATTEST_MISSING || s == SIGNET_ATTEST_UNKNOWN)
			return 0;
	}
	return 1;
}

int signet_attestation_signature_ok(const signet_attestation *a, const char **detail)
{
	if (detail != NULL)
		*detail = a != NULL && a->sig_detail != NULL ? a->sig_detail : "";
	return a != NULL && a->sig_ok;
}

int signet_attestation_chain_ok(const signet_attestation *a, const char **detail)
{
	if (detail != NULL)
		*detail = a != NULL && a->chain_detail != NULL ? a->chain_detail : "";
	return a != NULL && a->chain_ok;
}

int signet_attestation_encrypted(const signet_attestation *a)
{
	return a != NULL && a->encrypted;
}

const char *signet_attestation_record_path(const signet_attestation *a)
{
	return a != NULL ? a->record_path : NULL;
}

size_t signet_attestation_header_count(const signet_attestation *a)
{
	return a != NULL ? a->n_headers : 0;
}

const char *signet_attestation_header(const signet_attestation *a, size_t i)
{
	return a != NULL && i < a->n_headers ? a->headers[i] : NULL;
}

size_t signet_attestation_entry_count(const signet_attestation *a)
{
	return a != NULL ? a->n_entries : 0;
}

const signet_attestation_entry *signet_attestation_entry_at(const signet_attestation *a, size_t i)
{
	return a != NULL && i < a->n_entries ? &a->entries[i] : NULL;
}

const char *signet_attestation_status_name(int status)
{
	switch (status) {
	case SIGNET_ATTEST_MATCHED: return "matched";
	case SIGNET_ATTEST_DIFFERS: return "differs";
	case SIGNET_ATTEST_MISSING: return "missing";
	case SIGNET_ATTEST_UNKNOWN: return "unknown";
	case SIGNET_ATTEST_RECORDED: return "recorded";
	case SIGNET_ATTEST_UNCHECKED: return "unchecked";
	default: return "invalid";
	}
}

/* Appends an entry; name, section, recorded and expected are copied (each
 * may be NULL but name). */
static int add_entry(struct signet_attestation *a, const char *name, size_t name_len, const char *section,
                     int status, const char *recorded, const char *expected, size_t line, struct sn_err *e)
{
	signet_attestation_entry *en;

	if (a->n_entries == a->cap_entries) {
		size_t cap = a->cap_entries != 0 ? a->cap_entries * 2 : 16;
		signet_attestation_entry *n = realloc(a->entries, cap * sizeof(*n));

		if (n == NULL)
			return sn_enomem(e);
		a->entries = n;
		a->cap_entries = cap;
	}
	en = &a->entries[a->n_entries];
	memset(en, 0, sizeof(*en));
	en->status = status;
	en->line = line;
	a->n_entries++; /* freed with a from here on, whatever fails below */
	if ((en->name = sn_strndup(name, name_len, e)) == NULL ||
	    (section != NULL && (en->section = sn_strdup(section, e)) == NULL) ||
	    (recorded != NULL && (en->recorded = sn_strdup(recorded, e)) == NULL) ||
	    (expected != NULL && (en->expected = sn_strdup(expected, e)) == NULL))
		return SIGNET_ENOMEM;
	return 0;
}

/* ---- the contract ------------------------------------------------------ */

static int section_index(const char *s, size_t n)
{
	for (size_t i = 0; i < N_SECTIONS; i++)
		if (strlen(sections[i]) == n && memcmp(sections[i], s, n) == 0)
			return (int)i;
	return -1;
}

static int sha256_hex(char out[SHA256_HEX_LEN + 1], const void *data, size_t len, struct sn_err *e)
{
	char d[SN_DIGEST_MAX];
	int rc;

	if ((rc = sn_digest_compute(d, "sha256", data, len, e)) != 0)
		return rc;
	memcpy(out, d + strlen("sha256:"), SHA256_HEX_LEN + 1);
	return 0;
}

static int contract_value(struct sn_yaml *y, const char *key, size_t line, void *ctx)
{
	struct expected *x = ctx;
	int i = section_index(key, strlen(key));
	const char *text;
	size_t len;

	if (i < 0) /* not a value the record holds a checksum of */
		return y->ev.type == YAML_SCALAR_EVENT ? 0 : sn_yaml_skip(y);
	if (y->ev.type != YAML_SCALAR_EVENT)
		return sn_seterr(
		    y->e, SIGNET_EBADINPUT,
		    "%s: line %zu: %s is written as a %s: the attestation record holds the checksum "
		    "of the string the guest received, which signet cannot know from a %s (write "
		    "the section as that string, as sealed contracts do)",
		    y->what, line, key, y->ev.type == YAML_MAPPING_START_EVENT ? "mapping" : "sequence",
		    y->ev.type == YAML_MAPPING_START_EVENT ? "mapping" : "sequence");
	text = sn_yaml_text(y, &len);
	if (sn_yaml_is_null(y) || len == 0)
		return sn_seterr(y->e, SIGNET_EBADINPUT, "%s: line %zu: %s is empty", y->what, line, key);
	return sha256_hex(x->hex[i], text, len, y->e);
}

/* The contract text data (len bytes, named source in messages). */
static int parse_contract(struct expected *x, const void *data, size_t len, const char *source,
                          struct sn_err *e)
{
	struct sn_yaml y;
	char *what;
	int rc;

	memset(x, 0, sizeof(*x));
	if ((what = sn_aprintf(e, WHAT_CONTRACT " %s", source)) == NULL)
		return SIGNET_ENOMEM;
	rc = sn_yaml_open(&y, data != NULL ? data : "", len, what, 0, 1, e);
	if (rc == 0 && y.ev.type != YAML_MAPPING_START_EVENT)
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               "%s: the top level must be a mapping (workload, env, ...)", what);
	if (rc == 0 && (rc = sn_yaml_walk_mapping(&y, contract_value, x)) == 0)
		rc = sn_yaml_finish(&y);
	sn_yaml_close(&y);
	free(what);
	return rc;
}

static int read_contract(struct expected *x, const char *path, struct sn_err *e)
{
	struct sn_buf b;
	int rc;

	if ((rc = sn_file_read(&b, path, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_CONTRACT, 0, e)) != 0)
		return rc;
	rc = parse_contract(x, b.data, b.len, path, e);
	sn_buf_wipe_free(&b); /* may hold credentials */
	return rc;
}

/* ---- the record --------------------------------------------------------- */

/* The section a record label names: "contract:NAME" (any case of
 * "contract", blanks around the colon) or a bare section name.  *sec and
 * *sec_len receive NAME (a contract label naming no known section is still
 * a contract label); returns 1 for a contract label, 0 for another line. */
static int contract_label(const char *name, size_t n, const char **sec, size_t *sec_len)
{
	size_t k = strlen(CONTRACT_LABEL), i;

	if (n > k && strncasecmp(name, CONTRACT_LABEL, k) == 0) {
		for (i = k; i < n && (name[i] == ' ' || name[i] == '\t'); i++)
			;
		if (i < n && name[i] == ':') {
			for (i++; i < n && (name[i] == ' ' || name[i] == '\t'); i++)
				;
			*sec = name + i;
			*sec_len = n - i;
			return 1;
		}
	}
	if (section_index(name, n) >= 0) {
		*sec = name;
		*sec_len = n;
		return 1;
	}
	return 0;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* One "<sha256 hex> <name>" line: 1 with *hex (lowercased) and the name,
 * 0 when the line is not one. */
static int checksum_line(const char *s, size_t n, char hex[SHA256_HEX_LEN + 1], const char **name,
                         size_t *name_len)
{
	size_t i;

	if (n <= SHA256_HEX_LEN || (s[SHA256_HEX_LEN] != ' ' && s[SHA256_HEX_LEN] != '\t'))
		return 0;
	for (i = 0; i < SHA256_HEX_LEN; i++) {
		if (!is_hex(s[i]))
			return 0;
		hex[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
	}
	hex[SHA256_HEX_LEN] = '\0';
	for (; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i < n && s[i] == '*') /* sha256sum's binary mode marker */
		i++;
	*name = s + i;
	*name_len = n - i;
	return *name_len > 0;
}

static int add_header(struct signet_attestation *a, const char *s, size_t n, struct sn_err *e)
{
	char **h = realloc(a->headers, (a->n_headers + 1) * sizeof(*h));

	if (h == NULL)
		return sn_enomem(e);
	a->headers = h;
	if ((h[a->n_headers] = sn_strndup(s, n, e)) == NULL)
		return SIGNET_ENOMEM;
	a->n_headers++;
	return 0;
}

/* One checksum line, compared with x (NULL: no contract given). */
static int record_entry(struct signet_attestation *a, const struct expected *x, const char *hex,
                        const char *name, size_t name_len, size_t line, size_t first_line[N_SECTIONS],
                        struct sn_err *e)
{
	const char *sec;
	size_t sec_len;
	char *secname;
	int i, status, rc;

	if (!contract_label(name, name_len, &sec, &sec_len))
		return add_entry(a, name, name_len, NULL, SIGNET_ATTEST_RECORDED, hex, NULL, line, e);
	if (sec_len == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: line %zu: a contract checksum naming no section",
		                 a->record_path, line);
	i = section_index(sec, sec_len);
	if (i >= 0) {
		if (first_line[i] != 0)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: line %zu: a second checksum of the contract's %s (first at line %zu)",
			    a->record_path, line, sections[i], first_line[i]);
		first_line[i] = line;
	}
	if (x == NULL)
		status = SIGNET_ATTEST_UNCHECKED;
	else if (i < 0 || x->hex[i][0] == '\0')
		status = SIGNET_ATTEST_UNKNOWN;
	else
		status = CRYPTO_memcmp(x->hex[i], hex, SHA256_HEX_LEN) == 0 ? SIGNET_ATTEST_MATCHED
		                                                            : SIGNET_ATTEST_DIFFERS;
	if ((secname = sn_strndup(sec, sec_len, e)) == NULL)
		return SIGNET_ENOMEM;
	rc = add_entry(a, name, name_len, secname, status, hex,
	               x != NULL && i >= 0 && x->hex[i][0] != '\0' ? x->hex[i] : NULL, line, e);
	free(secname);
	return rc;
}

/* Parses the checksums text (len bytes, its own file named by
 * a->record_path) into header lines and entries. */
static int parse_record(struct signet_attestation *a, const char *text, size_t len, const struct expected *x,
                        struct sn_err *e)
{
	size_t first_line[N_SECTIONS] = {0};
	size_t line = 0, pos = 0;
	int seen_checksum = 0, rc;

	if (memchr(text, '\0', len) != NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: holds a NUL byte: not a checksums text",
		                 a->record_path);
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos), *name;
		size_t n = nl != NULL ? (size_t)(nl - s) : len - pos, name_len;
		char hex[SHA256_HEX_LEN + 1];

		pos += n + (nl != NULL);
		if (++line > SIGNET_MAX_ATTESTATION_LINES)
			return sn_seterr(e, SIGNET_ELIMIT,
			                 "%s: more than %u lines (SIGNET_MAX_ATTESTATION_LINES)",
			                 a->record_path, SIGNET_MAX_ATTESTATION_LINES);
		if (n > SIGNET_MAX_ATTESTATION_LINE_LENGTH)
			return sn_seterr(
			    e, SIGNET_ELIMIT,
			    "%s: line %zu: longer than %u bytes (SIGNET_MAX_ATTESTATION_LINE_LENGTH)",
			    a->record_path, line, SIGNET_MAX_ATTESTATION_LINE_LENGTH);
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		if (checksum_line(s, n, hex, &name, &name_len)) {
			seen_checksum = 1;
			if ((rc = record_entry(a, x, hex, name, name_len, line, first_line, e)) != 0)
				return rc;
		} else if (!seen_checksum) {
			if ((rc = add_header(a, s, n, e)) != 0)
				return rc;
		} else {
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: line %zu: not a checksum line (\"<sha256 hex> <name>\") after the "
			    "first one",
			    a->record_path, line);
		}
	}
	if (!seen_checksum)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: no checksum line (\"<sha256 hex> <name>\")",
		                 a->record_path);
	/* What the contract has and the record lacks. */
	for (size_t i = 0; x != NULL && i < N_SECTIONS; i++) {
		char name_buf[64];
		int k;

		if (x->hex[i][0] == '\0' || first_line[i] != 0)
			continue;
		k = snprintf(name_buf, sizeof(name_buf), CONTRACT_LABEL ":%s", sections[i]);
		if (k < 0 || (size_t)k >= sizeof(name_buf))
			return sn_enomem(e);
		if ((rc = add_entry(a, name_buf, (size_t)k, sections[i], SIGNET_ATTEST_MISSING, NULL,
		                    x->hex[i], 0, e)) != 0)
			return rc;
	}
	return 0;
}

/* ---- certificates ------------------------------------------------------- */

/* The subject of x, RFC 2253, into buf. */
static void subject(char *buf, size_t size, X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n;

	buf[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_read(b, buf, (int)size - 1)) > 0)
		buf[n] = '\0';
	BIO_free(b);
}

/* Every PEM certificate of path, appended to st. */
static int read_certs(STACK_OF(X509) * st, const char *path, const char *what, struct sn_err *e)
{
	struct sn_buf b;
	BIO *bio = NULL;
	X509 *x;
	int rc, n = 0;

	if ((rc = sn_file_read(&b, path, SIGNET_MAX_POLICY_FILE_SIZE, what, 0, e)) != 0)
		return rc;
	if (b.len > INT_MAX || (bio = BIO_new_mem_buf(b.data, (int)b.len)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(st, x)) {
			X509_free(x);
			rc = sn_enomem(e);
			goto out;
		}
		n++;
	}
	if (n == 0)
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s %s: no PEM certificate in it", what, path);
out:
	BIO_free(bio);
	sn_buf_free(&b);
	ERR_clear_error();
	return rc;
}

/* Every CRL of path (PEM, one or more; or one DER), appended to st. */
static int read_crls(STACK_OF(X509_CRL) * st, const char *path, struct sn_err *e)
{
	struct sn_buf b;
	BIO *bio = NULL;
	X509_CRL *c;
	int rc, n = 0;

	if ((rc = sn_file_read(&b, path, SIGNET_MAX_POLICY_FILE_SIZE, WHAT_CRL, 0, e)) != 0)
		return rc;
	if (b.len > INT_MAX || (bio = BIO_new_mem_buf(b.data, (int)b.len)) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	while ((c = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_CRL_push(st, c)) {
			X509_CRL_free(c);
			rc = sn_enomem(e);
			goto out;
		}
		n++;
	}
	if (n == 0) {
		const unsigned char *p = b.data;

		if ((c = d2i_X509_CRL(NULL, &p, (long)b.len)) == NULL || p != b.data + b.len) {
			X509_CRL_free(c);
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               WHAT_CRL " %s: not a PEM or DER certificate revocation list", path);
			goto out;
		}
		if (!sk_X509_CRL_push(st, c)) {
			X509_CRL_free(c);
			rc = sn_enomem(e);
		}
	}
out:
	BIO_free(bio);
	sn_buf_free(&b);
	ERR_clear_error();
	return rc;
}

/* The trust anchor (the self-signed end of the chain) needs no CRL; every
 * other certificate does (X509_V_FLAG_CRL_CHECK_ALL). */
static int chain_cb(int ok, X509_STORE_CTX *sc)
{
	STACK_OF(X509) * chain;
	int depth;

	if (ok || X509_STORE_CTX_get_error(sc) != X509_V_ERR_UNABLE_TO_GET_CRL)
		return ok;
	chain = X509_STORE_CTX_get0_chain(sc);
	depth = X509_STORE_CTX_get_error_depth(sc);
	if (chain != NULL && depth == sk_X509_num(chain) - 1 &&
	    X509_self_signed(sk_X509_value(chain, depth), 0) == 1)
		return 1;
	return ok;
}

/* Why the chain failed, for the one certificate it failed at. */
static char *chain_failure(X509_STORE_CTX *sc, struct sn_err *e)
{
	int err = X509_STORE_CTX_get_error(sc), depth = X509_STORE_CTX_get_error_depth(sc);
	X509 *x = X509_STORE_CTX_get_current_cert(sc);
	const char *hint = "";
	char subj[512] = "(unknown certificate)", when[96];
	struct tm tm;

	if (x != NULL)
		subject(subj, sizeof(subj), x);
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		if (x != NULL &&
		    ASN1_TIME_to_tm(err == X509_V_ERR_CERT_HAS_EXPIRED ? X509_get0_notAfter(x)
		                                                       : X509_get0_notBefore(x),
		                    &tm) == 1 &&
		    strftime(when, sizeof(when),
		             err == X509_V_ERR_CERT_HAS_EXPIRED ? " (notAfter %Y-%m-%d %H:%M:%S UTC)"
		                                                : " (notBefore %Y-%m-%d %H:%M:%S UTC)",
		             &tm) > 0)
			hint = when;
		break;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
		hint =
		    ": no CRL from its issuer was given (--crl); signet checks every certificate below the "
		    "root against its issuer's CRL";
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		hint = ": it does not chain to a self-signed --ca certificate";
		break;
	default: break;
	}
	return sn_aprintf(e, "certificate \"%s\" (depth %d): %s%s", subj, depth,
	                  X509_verify_cert_error_string(err), hint);
}

/* "subject <- issuer <- ... (CRLs checked)" of a verified chain. */
static char *chain_text(STACK_OF(X509) * chain, struct sn_err *e)
{
	struct sn_buf b;
	char subj[512];
	int n = sk_X509_num(chain);

	sn_buf_init(&b, 64 * 1024, "certificate chain");
	for (int i = 0; i < n; i++) {
		subject(subj, sizeof(subj), sk_X509_value(chain, i));
		if ((i > 0 && sn_buf_append_str(&b, " <- ", e) != 0) || sn_buf_append_str(&b, subj, e) != 0)
			goto fail;
	}
	if (sn_buf_append_str(&b, n > 1 ? " (dates and CRLs checked)" : " (a chain of one: dates checked)",
	                      e) != 0)
		goto fail;
	return (char *)sn_buf_steal(&b, NULL);
fail:
	sn_buf_free(&b);
	return NULL;
}

/* Checks cert's chain to the --ca files with the --crl files; the verdict
 * goes into a->chain_ok and a->chain_detail. */
static int check_chain(struct signet_attestation *a, X509 *cert, const signet_attestation_options *o,
                       struct sn_err *e)
{
	STACK_OF(X509) *cas = sk_X509_new_null(), *untrusted = sk_X509_new_null();
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *sc = X509_STORE_CTX_new();
	int rc = 0, anchors = 0;

	if (cas == NULL || untrusted == NULL || crls == NULL || store == NULL || sc == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	for (size_t i = 0; i < o->n_ca_files; i++)
		if ((rc = read_certs(cas, o->ca_files[i], WHAT_CA, e)) != 0)
			goto out;
	for (size_t i = 0; i < o->n_crl_files; i++)
		if ((rc = read_crls(crls, o->crl_files[i], e)) != 0)
			goto out;
	for (int i = 0; i < sk_X509_num(cas); i++) {
		X509 *x = sk_X509_value(cas, i);

		if (X509_self_signed(x, 0) == 1) {
			if (!X509_STORE_add_cert(store, x)) {
				rc = sn_enomem(e);
				goto out;
			}
			anchors++;
		} else if (!sk_X509_push(untrusted, x) || !X509_up_ref(x)) {
			rc = sn_enomem(e);
			goto out;
		}
	}
	if (anchors == 0) {
		a->chain_detail =
		    sn_aprintf(e,
		               "no self-signed root among the --ca files: the chain of %s cannot "
		               "be checked",
		               o->cert);
		rc = a->chain_detail == NULL ? SIGNET_ENOMEM : 0;
		goto out;
	}
	if (!X509_STORE_CTX_init(sc, store, cert, untrusted)) {
		rc = sn_enomem(e);
		goto out;
	}
	X509_STORE_CTX_set0_crls(sc, crls);
	X509_STORE_CTX_set_flags(sc, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	X509_STORE_CTX_set_verify_cb(sc, chain_cb);
	if (X509_verify_cert(sc) == 1) {
		a->chain_ok = 1;
		a->chain_detail = chain_text(X509_STORE_CTX_get0_chain(sc), e);
	} else {
		a->chain_detail = chain_failure(sc, e);
	}
	rc = a->chain_detail == NULL ? SIGNET_ENOMEM : 0;
out:
	X509_STORE_CTX_free(sc);
	X509_STORE_free(store);
	sk_X509_pop_free(cas, X509_free);
	sk_X509_pop_free(untrusted, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	ERR_clear_error();
	return rc;
}

/* The attestation certificate: exactly the first PEM certificate of path,
 * with an RSA key. */
static int read_cert(X509 **out, const char *path, struct sn_err *e)
{
	STACK_OF(X509) *st = sk_X509_new_null();
	EVP_PKEY *k;
	int rc;

	if (st == NULL)
		return sn_enomem(e);
	if ((rc = read_certs(st, path, WHAT_CERT, e)) != 0)
		goto out;
	if (sk_X509_num(st) != 1) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, WHAT_CERT " %s: %d certificates in it, not one", path,
		               sk_X509_num(st));
		goto out;
	}
	k = X509_get0_pubkey(sk_X509_value(st, 0));
	if (k == NULL || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
		rc = sn_seterr(e, SIGNET_EBADINPUT,
		               WHAT_CERT
		               " %s: not an RSA key (the record is signed with RSA PKCS#1 v1.5 / SHA-256)",
		               path);
		goto out;
	}
	*out = sk_X509_shift(st);
out:
	sk_X509_pop_free(st, X509_free);
	ERR_clear_error();
	return rc;
}

/* ---- the record alone (the fuzz harness) ------------------------------ */

int sn_attestation_parse(signet_attestation **out, const char *name, const char *text, size_t len,
                         const char *contract, size_t contract_len, struct sn_err *e)
{
	struct signet_attestation *a;
	struct expected x;
	int rc;

	if (len > SIGNET_MAX_ATTESTATION_RECORD_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s: larger than the limit of %u bytes "
		                 "(SIGNET_MAX_ATTESTATION_RECORD_SIZE)",
		                 name, SIGNET_MAX_ATTESTATION_RECORD_SIZE);
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return sn_enomem(e);
	if ((a->record_path = sn_strdup(name, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if (contract != NULL && (rc = parse_contract(&x, contract, contract_len, "(fuzz)", e)) != 0)
		goto out;
	if ((rc = parse_record(a, text, len, contract != NULL ? &x : NULL, e)) != 0)
		goto out;
	*out = a;
	a = NULL;
out:
	signet_attestation_free(a);
	return rc;
}

/* ---- the whole check ---------------------------------------------------- */

static int check_signature(struct signet_attestation *a, X509 *cert, const char *cert_path,
                           const char *sig_path, const unsigned char *text, size_t len, struct sn_err *e)
{
	struct sn_buf sig;
	EVP_MD_CTX *md = NULL;
	int rc;

	if ((rc = sn_file_read(&sig, sig_path, SIGNET_MAX_ATTESTATION_SIGNATURE_SIZE, WHAT_SIGNATURE,
	                       SN_FILE_NOFOLLOW, e)) != 0)
		return rc;
	if ((md = EVP_MD_CTX_new()) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, X509_get0_pubkey(cert)) == 1 &&
	    EVP_DigestVerify(md, sig.data, sig.len, text, len) == 1) {
		a->sig_ok = 1;
		a->sig_detail = sn_strdup("", e);
	} else {
		a->sig_detail =
		    sn_aprintf(e,
		               "%s does not verify over %s with the key of %s (the checksums or the "
		               "signature were changed, or another key signed them)",
		               sig_path, a->record_path, cert_path);
	}
	rc = a->sig_detail == NULL ? SIGNET_ENOMEM : 0;
out:
	EVP_MD_CTX_free(md);
	sn_buf_free(&sig);
	ERR_clear_error();
	return rc;
}

/* path/name into a new string. */
static char *join(const char *dir, const char *name, struct sn_err *e)
{
	size_t n = strlen(dir);

	return sn_aprintf(e, "%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name);
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 || errno != ENOENT;
}

/* Reads the record into *text (decrypted when encrypted; wipe and free). */
static int read_record(struct signet_attestation *a, unsigned char **text, size_t *len, const char *dir,
                       const signet_attestation_options *o, struct sn_err *e)
{
	char *plain = NULL, *enc = NULL;
	struct sn_buf b;
	struct sn_hpb h = {0};
	EVP_PKEY *key = NULL;
	int rc, have_plain, have_enc;

	if ((plain = join(dir, RECORD_FILE, e)) == NULL || (enc = join(dir, RECORD_ENC_FILE, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	have_plain = exists(plain);
	have_enc = exists(enc);
	if (have_plain == have_enc) {
		rc = sn_seterr(e, have_plain ? SIGNET_EBADINPUT : SIGNET_ENOTFOUND,
		               "attestation record %s: holds %s " RECORD_FILE " %s " RECORD_ENC_FILE
		               " (a record is one of them)",
		               dir, have_plain ? "both" : "neither", have_plain ? "and" : "nor");
		goto out;
	}
	a->encrypted = have_enc;
	a->record_path = have_enc ? enc : plain;
	if (have_enc)
		enc = NULL;
	else
		plain = NULL;
	if ((rc = sn_file_read(&b, a->record_path, SIGNET_MAX_ATTESTATION_RECORD_SIZE, WHAT_RECORD,
	                       SN_FILE_NOFOLLOW, e)) != 0)
		goto out;
	if (!a->encrypted) {
		*len = b.len;
		*text = sn_buf_steal(&b, NULL);
		if (*text == NULL && (*text = calloc(1, 1)) == NULL)
			rc = sn_enomem(e);
		goto out;
	}
	if (o->key == NULL) {
		rc = sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: the record is encrypted (hyper-protect-basic); give the private key of the "
		    "contract's attestationPublicKey (--key)",
		    a->record_path);
		goto wipe;
	}
	{
		struct sn_hpb_names names = {a->record_path, "record", "record"};
		size_t n = b.len;

		while (n > 0 && (b.data[n - 1] == '\n' || b.data[n - 1] == '\r'))
			n--;
		if ((rc = sn_hpb_split(&h, (const char *)b.data, n, a->record_path, 0, e)) != 0 ||
		    (rc = sn_hpb_load_key(&key, o->key, WHAT_KEY, e)) != 0)
			goto wipe;
		if ((rc = sn_hpb_decrypt(text, len, key, o->key, &h, &names, 0, e)) != 0)
			rc = rc == SIGNET_EBADINPUT ? SIGNET_EDENIED : rc;
	}
wipe:
	sn_buf_wipe_free(&b);
out:
	sn_hpb_clear(&h);
	EVP_PKEY_free(key);
	free(plain);
	free(enc);
	return rc;
}

int signet_attestation_verify(signet_attestation **out, signet_ctx *ctx, const char *dir,
                              const signet_attestation_options *o)
{
	struct signet_attestation *a = NULL;
	struct sn_err *e = NULL;
	struct expected x;
	unsigned char *text = NULL;
	size_t len = 0;
	X509 *cert = NULL;
	char *sig_path = NULL;
	int rc;

	if (ctx != NULL) {
		e = &ctx->err;
		sn_err_clear(e);
	}
	if (out == NULL || ctx == NULL || dir == NULL || o == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_attestation_verify: NULL argument");
	if (o->version != SIGNET_ATTESTATION_OPTIONS_VERSION)
		return sn_seterr(e, SIGNET_EINVAL, "signet_attestation_verify: unknown options version %u",
		                 o->version);
	if (o->cert == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "attestation verify: no attestation certificate given");
	if ((o->n_ca_files > 0 && o->ca_files == NULL) || (o->n_crl_files > 0 && o->crl_files == NULL))
		return sn_seterr(e, SIGNET_EINVAL, "signet_attestation_verify: NULL file list");
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return sn_enomem(e);
	/* Every input is read before any verdict: a bad file is an error,
	 * never a failed check. */
	if ((rc = read_cert(&cert, o->cert, e)) != 0)
		goto out;
	if (o->contract != NULL && (rc = read_contract(&x, o->contract, e)) != 0)
		goto out;
	if ((rc = read_record(a, &text, &len, dir, o, e)) != 0)
		goto out;
	if ((sig_path = join(dir, SIGNATURE_FILE, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = parse_record(a, (const char *)text, len, o->contract != NULL ? &x : NULL, e)) != 0 ||
	    (rc = check_signature(a, cert, o->cert, sig_path, text, len, e)) != 0 ||
	    (rc = check_chain(a, cert, o, e)) != 0)
		goto out;
	*out = a;
	a = NULL;
out:
	if (text != NULL) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	free(sig_path);
	X509_free(cert);
	signet_attestation_free(a);
	return rc;
}
