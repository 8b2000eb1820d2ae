/* SPDX-License-Identifier: Apache-2.0 */
/* sign/secret_file.c: reading key and passphrase files into buffers the
 * caller wipes (not sn_file_read: it reads through a stack buffer that
 * nobody wipes). */
#include "sign.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

/*
 * Reads a whole regular file of at most max bytes into buf (max + 1
 * bytes, which the caller wipes): read directly, so that no unwiped copy
 * is left anywhere (sn_file_read goes through a stack buffer).
 */
int sn_read_secret(unsigned char *buf, size_t max, size_t *len, const char *path, const char *what,
		   struct sn_err *e)
{
	struct stat st;
	size_t n = 0;
	ssize_t got;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return sn_seterr(e, errno == ENOENT || errno == ENOTDIR ? SIGNET_ENOTFOUND : SIGNET_EIO,
		                 "%s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = sn_seterr(e, SIGNET_EIO, "%s %s: not a regular file", what, path);
		goto out;
	}
	for (;;) {
		got = read(fd, buf + n, max + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = sn_seterr(e, SIGNET_EIO, "%s %s: %s", what, path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			rc = sn_seterr(e, SIGNET_ELIMIT, "%s %s: larger than the limit of %zu bytes", what,
			               path, max);
			goto out;
		}
	}
	*len = n;
out:
	(void)close(fd);
	return rc;
}

/* The passphrase: the file's only line, one trailing LF or CRLF removed
 * (as skopeo's --sign-passphrase-file).  buf has SN_PASSPHRASE_FILE_MAX
 * bytes; the caller wipes it. */
int sn_read_passphrase(unsigned char *buf, size_t *len, const char *path, struct sn_err *e)
{
	size_t n = 0;
	int rc;

	if ((rc = sn_read_secret(buf, SN_PASSPHRASE_FILE_MAX - 1, &n, path, "passphrase file", e)) != 0)
		return rc;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (memchr(buf, '\n', n) != NULL || memchr(buf, '\r', n) != NULL || memchr(buf, '\0', n) != NULL)
		return sn_seterr(e, SIGNET_EINVAL, "passphrase file %s: more than one line (or a NUL byte)",
		                 path);
	buf[n] = '\0';
	*len = n;
	return 0;
}

int sn_pass_get(unsigned char *buf, size_t *len, int *have, const struct sn_pass *pass, int ask,
                const char *key, struct sn_err *e)
{
	size_t n = 0;
	int rc;

	*have = 0;
	*len = 0;
	buf[0] = '\0';
	if (pass == NULL)
		return 0;
	if (pass->file != NULL) {
		if ((rc = sn_read_passphrase(buf, len, pass->file, e)) != 0)
			return rc;
		*have = 1;
		return 0;
	}
	if (pass->data != NULL) {
		if (pass->len > SIGNET_PASSPHRASE_MAX)
			return sn_seterr(e, SIGNET_ELIMIT,
			                 "the passphrase for %s is longer than the limit of %d bytes "
			                 "(SIGNET_PASSPHRASE_MAX)",
			                 key, SIGNET_PASSPHRASE_MAX);
		memcpy(buf, pass->data, pass->len);
		buf[pass->len] = '\0';
		*len = pass->len;
		*have = 1;
		return 0;
	}
	if (!ask || pass->cb == NULL)
		return 0;
	rc = pass->cb((char *)buf, SIGNET_PASSPHRASE_MAX, &n, key, pass->payload);
	if (rc == SIGNET_ENOTFOUND) {
		OPENSSL_cleanse(buf, SN_PASSPHRASE_FILE_MAX);
		return 0;
	}
	if (rc == 0 && n > SIGNET_PASSPHRASE_MAX)
		rc = SIGNET_ELIMIT;
	if (rc > 0)
		rc = SIGNET_EINVAL;
	if (rc != 0) {
		OPENSSL_cleanse(buf, SN_PASSPHRASE_FILE_MAX);
		return sn_seterr(e, rc, "%s: no passphrase (%s)", key, signet_strerror(rc));
	}
	buf[n] = '\0';
	*len = n;
	*have = 1;
	return 0;
}
