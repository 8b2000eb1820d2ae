/* SPDX-License-Identifier: Apache-2.0 */
/* cli/io.c: the command's own file handling: bounded reads of the files
 * named on the command line, atomic writes of its outputs. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cli_copy_to_stdout reads this much at a time. */
#define CLI_COPY_BUFFER 65536

int cli_read_file(unsigned char **data, size_t *len, const char *path, size_t max, const char *what)
{
	unsigned char *buf = NULL;
	size_t n = 0;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "signet: %s %s: %s\n", what, path, strerror(errno));
		return EXIT_UNREACHABLE;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "signet: %s %s: not a regular file\n", what, path);
		close(fd);
		return EXIT_UNREACHABLE;
	}
	if ((uint64_t)st.st_size > (uint64_t)max) {
		fprintf(stderr, "signet: %s %s: larger than the limit of %zu bytes\n", what, path, max);
		close(fd);
		return EXIT_USAGE;
	}
	/* One byte more than the size seen, to notice a file that grew. */
	buf = malloc((size_t)st.st_size + 2);
	if (buf == NULL) {
		close(fd);
		return cli_usage_error("out of memory");
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "signet: %s %s: %s\n", what, path, strerror(errno));
			free(buf);
			close(fd);
			return EXIT_UNREACHABLE;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > (size_t)st.st_size) {
			fprintf(stderr, "signet: %s %s: changed while being read\n", what, path);
			free(buf);
			close(fd);
			return EXIT_UNREACHABLE;
		}
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

/* Writes all of data to standard output. */
static int write_stdout(const void *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "signet: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_UNREACHABLE;
	}
	return 0;
}

int cli_write_file(const char *path, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t plen = strlen(path);
	char *tmp;
	int fd;

	if (cli_is_stdout(path))
		return write_stdout(data, len);
	tmp = malloc(plen + sizeof(".tmp-XXXXXX"));
	if (tmp == NULL)
		return cli_usage_error("out of memory");
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "signet: %s: cannot create: %s\n", path, strerror(errno));
		free(tmp);
		return EXIT_UNREACHABLE;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	fprintf(stderr, "signet: %s: cannot write: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return EXIT_UNREACHABLE;
}

int cli_copy_to_stdout(const char *path)
{
	unsigned char buf[CLI_COPY_BUFFER];
	int fd, code = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		fprintf(stderr, "signet: %s: %s\n", path, strerror(errno));
		return EXIT_UNREACHABLE;
	}
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "signet: %s: %s\n", path, strerror(errno));
			code = EXIT_UNREACHABLE;
			break;
		}
		if (r == 0 || (code = write_stdout(buf, (size_t)r)) != 0)
			break;
	}
	close(fd);
	return code;
}
