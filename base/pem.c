/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/pem.c: PEM blocks (RFC 7468), strictly: one block per file, no
 * headers, the one base64 decoder.  Public keys, private keys and cosign's
 * encrypted keys are all read and written through here.
 */
#include "base/pem.h"

#include "base/base64.h"
#include "base/str.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* The longest PEM label accepted ("ENCRYPTED SIGSTORE PRIVATE KEY" is 30). */
#define SN_PEM_LABEL_MAX 64

/* ---- decoding ------------------------------------------------------------- */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The next line of [p, end): its length without the line end, and where
 * the following line starts.  LF or CRLF; the last line may lack one. */
static size_t next_line(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n;

	if (nl == NULL) {
		*next = end;
		n = (size_t)(end - p);
	} else {
		*next = nl + 1;
		n = (size_t)(nl - p);
	}
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n;
}

static int has_prefix(const char *p, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(p, prefix, k) == 0;
}

void sn_pem_clear(struct sn_pem *p)
{
	if (p == NULL)
		return;
	free(p->label);
	if (p->der != NULL)
		OPENSSL_clear_free(p->der, p->der_len + 1);
	memset(p, 0, sizeof(*p));
}

int sn_pem_decode(struct sn_pem *out, const void *data, size_t len, const char *what, struct sn_err *e)
{
	static const char begin[] = "-----BEGIN ", end_pfx[] = "-----END ", dashes[] = "-----";
	const char *p = data, *end = p + len, *next, *label;
	size_t n, label_len, b64_len = 0;
	char *b64 = NULL, *lab = NULL;
	unsigned char *der = NULL;
	size_t der_len = 0;
	int rc, closed = 0;

	while (p < end && is_space((unsigned char)*p))
		p++;
	if (p == end)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: empty", what);
	if (memchr(data, '\0', len) != NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not a PEM file (binary data)", what);
	n = next_line(p, end, &next);
	if (!has_prefix(p, n, begin)) {
		if (memmem(p, (size_t)(end - p), begin, strlen(begin)) != NULL)
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: text before the PEM block", what);
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: not a PEM file (no \"-----BEGIN\" line)", what);
	}
	label = p + strlen(begin);
	label_len = n - strlen(begin);
	if (label_len < strlen(dashes) ||
	    memcmp(label + label_len - strlen(dashes), dashes, strlen(dashes)) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: malformed \"-----BEGIN\" line", what);
	label_len -= strlen(dashes);
	if (label_len == 0 || label_len > SN_PEM_LABEL_MAX)
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: malformed \"-----BEGIN\" line", what);
	for (size_t i = 0; i < label_len; i++)
		if (label[i] < 0x20 || label[i] > 0x7e || label[i] == '-')
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: malformed \"-----BEGIN\" line", what);
	/* The base64 text is at most as long as the input. */
	if ((b64 = malloc(len + 1)) == NULL)
		return sn_enomem(e);
	for (p = next; p < end; p = next) {
		n = next_line(p, end, &next);
		if (has_prefix(p, n, end_pfx)) {
			if (n != strlen(end_pfx) + label_len + strlen(dashes) ||
			    memcmp(p + strlen(end_pfx), label, label_len) != 0 ||
			    memcmp(p + strlen(end_pfx) + label_len, dashes, strlen(dashes)) != 0) {
				rc = sn_seterr(
				    e, SIGNET_EBADINPUT,
				    "%s: the \"-----END\" line does not match \"-----BEGIN %.*s-----\"", what,
				    (int)label_len, label);
				goto out;
			}
			closed = 1;
			p = next;
			break;
		}
		if (memchr(p, ':', n) != NULL) {
			rc = sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: PEM headers (such as legacy OpenSSL encryption) are not supported", what);
			goto out;
		}
		if (n == 0) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: blank line inside the PEM block", what);
			goto out;
		}
		memcpy(b64 + b64_len, p, n);
		b64_len += n;
	}
	if (!closed) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: no \"-----END %.*s-----\" line", what,
		               (int)label_len, label);
		goto out;
	}
	while (p < end && is_space((unsigned char)*p))
		p++;
	if (p != end) {
		rc =
		    sn_seterr(e, SIGNET_EBADINPUT, "%s: %s after the PEM block", what,
		              has_prefix(p, (size_t)(end - p), begin) ? "another PEM block (one key per file)"
		                                                      : "trailing data");
		goto out;
	}
	if (b64_len == 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: empty PEM block", what);
		goto out;
	}
	rc = sn_base64_decode(&der, &der_len, b64, b64_len);
	if (rc == SIGNET_ENOMEM) {
		rc = sn_enomem(e);
		goto out;
	}
	if (rc != 0) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: the PEM block is not valid base64", what);
		goto out;
	}
	if ((lab = sn_strndup(label, label_len, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	out->label = lab;
	out->der = der;
	out->der_len = der_len;
	lab = NULL;
	der = NULL;
out:
	OPENSSL_clear_free(b64, len + 1);
	if (der != NULL)
		OPENSSL_clear_free(der, der_len + 1);
	free(lab);
	return rc;
}

/* ---- encoding -------------------------------------------------------- */

int sn_pem_encode(struct sn_buf *out, const char *label, const unsigned char *der, size_t der_len,
                  struct sn_err *e)
{
	int rc;

	if ((rc = sn_buf_append_str(out, "-----BEGIN ", e)) != 0 ||
	    (rc = sn_buf_append_str(out, label, e)) != 0 || (rc = sn_buf_append_str(out, "-----\n", e)) != 0 ||
	    (rc = sn_base64_encode(out, der, der_len, 64, e)) != 0 ||
	    (rc = sn_buf_append_str(out, "-----END ", e)) != 0 ||
	    (rc = sn_buf_append_str(out, label, e)) != 0 || (rc = sn_buf_append_str(out, "-----\n", e)) != 0)
		return rc;
	return 0;
}
