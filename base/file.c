/* SPDX-License-Identifier: Apache-2.0 */
/* base/file.c: bounded reads and atomic writes of local files. */
#include "base/file.h"
#include "base/str.h"

#include <stdint.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sn_file_read(struct sn_buf *out, const char *path, size_t max, const char *what, int flags,
		 struct sn_err *e)
{
	unsigned char chunk[65536];
	struct sn_buf b;
	struct stat st;
	int fd, rc = 0;
	ssize_t n;

	sn_buf_init(&b, max, what);
	/* O_NONBLOCK: a FIFO planted where a file is expected must not block
	 * us before the regular-file check below; regular files ignore it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
				((flags & SN_FILE_NOFOLLOW) ? O_NOFOLLOW : 0));
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return sn_seterr(e, SIGNET_ENOTFOUND, "%s: %s: no such file", what, path);
		if (errno == ELOOP)
			return sn_seterr(e, SIGNET_EIO, "%s: %s: refusing to follow a symbolic link", what, path);
		return sn_seterr(e, SIGNET_EIO, "%s: %s: %s", what, path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: %s: %s", what, path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: %s: not a regular file", what, path);
		goto out;
	}
	if ((uint64_t)st.st_size > (uint64_t)max) {
		rc = sn_seterr(e, SIGNET_ELIMIT, "%s: %s: larger than the limit of %zu bytes", what, path, max);
		goto out;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sn_seterr(e, SIGNET_EIO, "%s: %s: %s", what, path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if ((rc = sn_buf_append(&b, chunk, (size_t)n, e)) != 0) {
			sn_errctx(e, "%s: ", path);
			goto out;
		}
	}
	/* An empty file still gets a NUL-terminated buffer. */
	if (b.data == NULL && (rc = sn_buf_append(&b, "", 0, e)) != 0)
		goto out;
out:
	close(fd);
	if (rc != 0) {
		sn_buf_free(&b);
		return rc;
	}
	*out = b;
	return 0;
}

int sn_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sn_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int exclusive,
			 struct sn_err *e)
{
	char *tmp;
	int fd, rc = 0;

	tmp = sn_aprintf(e, "%s.tmp-XXXXXX", path);
	if (tmp == NULL)
		return SIGNET_ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: cannot create a temporary file: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	if (fchmod(fd, mode) != 0 || sn_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: write failed: %s", path, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: write failed: %s", path, strerror(errno));
		goto out;
	}
	if (exclusive) {
		/* link() fails if path exists: never replaces a file. */
		if (link(tmp, path) != 0) {
			rc = sn_seterr(e, SIGNET_EIO, "%s: %s", path,
				       errno == EEXIST ? "exists already, not overwritten" : strerror(errno));
			goto out;
		}
	} else if (rename(tmp, path) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: cannot replace: %s", path, strerror(errno));
		goto out;
	}
out:
	/* After link() the temporary name goes; after rename() it is gone. */
	(void)unlink(tmp);
	free(tmp);
	return rc;
}
