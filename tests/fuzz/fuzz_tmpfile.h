/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_tmpfile.h: for harnesses whose parser reads a path: one
 * private directory (mkdtemp under $TMPDIR or /tmp) per process, made on
 * first use and removed at exit.  Header-only: each harness is its own
 * program.
 */
#ifndef SN_FUZZ_TMPFILE_H
#define SN_FUZZ_TMPFILE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[4096];
static char fuzz_file[4096 + 64];

static void fuzz_dir_remove(void)
{
	if (fuzz_file[0] != '\0')
		(void)unlink(fuzz_file);
	if (fuzz_dir[0] != '\0')
		(void)rmdir(fuzz_dir);
}

/* The path of the file `name` in the private directory, holding data;
 * NULL if it could not be written. */
static const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
	size_t off = 0;
	int fd;

	if (fuzz_dir[0] == '\0') {
		const char *t = getenv("TMPDIR");

		if (t == NULL || t[0] == '\0')
			t = "/tmp";
		if (snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/signet-fuzz-XXXXXX", t) >= (int)sizeof(fuzz_dir) ||
		    mkdtemp(fuzz_dir) == NULL) {
			fuzz_dir[0] = '\0';
			return NULL;
		}
		if (snprintf(fuzz_file, sizeof(fuzz_file), "%s/%s", fuzz_dir, name) >= (int)sizeof(fuzz_file))
			return NULL;
		atexit(fuzz_dir_remove);
	}
	fd = open(fuzz_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			return NULL;
		}
		off += (size_t)n;
	}
	close(fd);
	return fuzz_file;
}

#endif
