/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/cosign_fixture.h: the keys and signatures of
 * fixtures/make-cosign-keys.sh, made once per test program in a temporary
 * directory, and helpers to build sigstore blobs and run openssl.
 * Include after <cmocka.h>.
 */
#ifndef SIGNET_TEST_COSIGN_FIXTURE_H
#define SIGNET_TEST_COSIGN_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/base.h"
#include "verify/verify.h"

static char cx_dir[64]; /* the fixture directory */

/* OUT = fixture dir + "/" + name. */
static inline const char *cx_path(char out[512], const char *name)
{
	(void)snprintf(out, 512, "%s/%s", cx_dir, name);
	return out;
}

/* Reads a fixture file. */
static inline void cx_read(struct sn_buf *b, const char *name)
{
	char path[512];
	struct sn_err e = {0};

	if (sn_file_read(b, cx_path(path, name), 16u << 20, name, 0, &e) != 0)
		fail_msg("reading %s: %s", path, e.msg);
}

/* Writes a fixture file. */
static inline void cx_write(const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f = fopen(cx_path(path, name), "we");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		fail_msg("writing %s", path);
}

/* Runs a shell command (printf-style) in the fixture directory, its
 * output appended to cmd.log; returns its exit status. */
SN_PRINTF(1, 2) static inline int cx_sh(const char *fmt, ...)
{
	char cmd[2048], full[2300];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (rc < 0 || (size_t)rc >= sizeof(cmd))
		fail_msg("command too long");
	(void)snprintf(full, sizeof(full), "cd '%s' && (%s) >>cmd.log 2>&1", cx_dir, cmd);
	rc = system(full);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* base64 of data, malloc'd. */
static inline char *cx_b64(const void *data, size_t len)
{
	char *s = malloc((len + 2) / 3 * 4 + 1);

	assert_non_null(s);
	(void)EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	return s;
}

/*
 * A sigstore blob: header + {"mimeType": ..., "payload": base64(payload),
 * "annotations": {SIGNATURE: sig_b64}} with the JSON given verbatim by
 * json_fmt, a printf format whose two %s are the payload and signature
 * base64 (in that order).
 */
static inline void cx_blob_fmt(struct sn_buf *blob, const char *json_fmt, const void *payload, size_t len,
                               const char *sig_b64)
{
	char *pb = cx_b64(payload, len);
	size_t n = strlen(json_fmt) + strlen(pb) + strlen(sig_b64) + 1;
	char *json = malloc(n);

	assert_non_null(json);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	(void)snprintf(json, n, json_fmt, pb, sig_b64);
#pragma GCC diagnostic pop
	sn_buf_init(blob, 64u << 20, "blob");
	assert_int_equal(sn_buf_append(blob, SN_SIGSTORE_BLOB_HEADER, SN_SIGSTORE_BLOB_HEADER_LEN, NULL), 0);
	assert_int_equal(sn_buf_append_str(blob, json, NULL), 0);
	free(json);
	free(pb);
}

#define CX_BLOB_JSON                                                                                         \
	"{\"mimeType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"payload\":\"%s\","             \
	"\"annotations\":{\"dev.cosignproject.cosign/signature\":\"%s\"}}"

/* The usual blob for payload and a raw signature. */
static inline void cx_blob(struct sn_buf *blob, const void *payload, size_t len, const void *sig,
                           size_t sig_len)
{
	char *sb = cx_b64(sig, sig_len);

	cx_blob_fmt(blob, CX_BLOB_JSON, payload, len, sb);
	free(sb);
}

/* The usual blob for payload.json and the fixture signature NAME.sig. */
static inline void cx_blob_file(struct sn_buf *blob, const char *sig_name)
{
	struct sn_buf payload, sig;

	cx_read(&payload, "payload.json");
	cx_read(&sig, sig_name);
	cx_blob(blob, payload.data, payload.len, sig.data, sig.len);
	sn_buf_free(&payload);
	sn_buf_free(&sig);
}

/* The key id the fixture script computed with openssl and sha256sum. */
static inline void cx_keyid(char out[SN_SIGSTORE_KEY_ID_MAX], const char *name)
{
	char file[64];
	struct sn_buf b;

	(void)snprintf(file, sizeof(file), "%s.keyid", name);
	cx_read(&b, file);
	assert_true(b.len > 1 && b.len - 1 < SN_SIGSTORE_KEY_ID_MAX);
	memcpy(out, b.data, b.len - 1); /* without the newline */
	out[b.len - 1] = '\0';
	sn_buf_free(&b);
}

/* Makes the fixtures; 0 or -1 (for cmocka group setup). */
static inline int cx_setup(void)
{
	char cmd[1024];
	int rc;

	(void)snprintf(cx_dir, sizeof(cx_dir), "/tmp/signet-test-cosign-XXXXXX");
	if (mkdtemp(cx_dir) == NULL)
		return -1;
	(void)snprintf(cmd, sizeof(cmd), "sh '%s/make-cosign-keys.sh' '%s' >'%s/make.log' 2>&1", FIXTURES_DIR,
	               cx_dir, cx_dir);
	rc = system(cmd);
	if (rc == -1 || WEXITSTATUS(rc) != 0) {
		(void)fprintf(stderr, "make-cosign-keys.sh failed; see %s/make.log\n", cx_dir);
		return -1;
	}
	return 0;
}

static inline int cx_teardown(void)
{
	char cmd[256];

	if (cx_dir[0] == '\0' || getenv("SIGNET_TEST_KEEP") != NULL)
		return 0;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cx_dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
