/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/replay.c: runs a fuzz harness over every file of its seed
 * corpus, so that CI exercises the harnesses without clang.  Usage:
 * replay-TARGET CORPUS_DIR.  Prints "N passed, 0 failed" (a crash fails).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "base/base.h"

int main(int argc, char **argv)
{
	struct dirent *d;
	int count = 0;
	DIR *dh;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	dh = opendir(argv[1]);
	if (dh == NULL) {
		perror(argv[1]);
		return 1;
	}
	while ((d = readdir(dh)) != NULL) {
		char path[4096];
		struct sn_buf b;

		if (d->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", argv[1], d->d_name) >= (int)sizeof(path))
			continue;
		if (sn_file_read(&b, path, 16u << 20, "seed", 0, NULL) != 0) {
			fprintf(stderr, "cannot read %s\n", path);
			closedir(dh);
			return 1;
		}
		(void)LLVMFuzzerTestOneInput(b.data, b.len);
		sn_buf_free(&b);
		count++;
	}
	closedir(dh);
	if (count == 0) {
		fprintf(stderr, "%s: empty corpus\n", argv[1]);
		return 1;
	}
	printf("%d passed, 0 failed\n", count);
	return 0;
}
