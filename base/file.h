/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/file.h: files (file.c): bounded reads, atomic writes.
 */
#ifndef SN_BASE_FILE_H
#define SN_BASE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/buf.h"

#define SN_FILE_NOFOLLOW 1 /* refuse a symbolic link as the last component */

/* Reads a whole regular file into out (initialized here with max and
 * what).  Returns 0, SIGNET_ENOTFOUND, SIGNET_ELIMIT, SIGNET_EIO; the
 * message names the path. */
int sn_file_read(struct sn_buf *out, const char *path, size_t max, const char *what, int flags,
		 struct sn_err *e);
/* Writes all of data to fd, retrying short writes and EINTR.  0, or -1
 * with errno set. */
int sn_write_all(int fd, const void *data, size_t len);
/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename.  Nothing is left behind on failure.  If exclusive, an
 * existing path is not replaced (SIGNET_EIO, "exists"). */
int sn_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int exclusive,
			 struct sn_err *e);

#endif
