/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/gpg_fixture.h: the OpenPGP keys of fixtures/make-gpg-keys.sh,
 * made once per test program in a temporary directory, and helpers to run
 * gpg against them.  Include after <cmocka.h>.
 */
#ifndef SIGNET_TEST_GPG_FIXTURE_H
#define SIGNET_TEST_GPG_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"

#define FX_NKEYS 16

static char fx_dir[64];   /* the fixture directory */
static char fx_home[128]; /* its GNUPGHOME */
static char fx_names[FX_NKEYS][16];
static char fx_fprs[FX_NKEYS][72];

static inline const char *fx_fpr(const char *name)
{
	for (int i = 0; i < FX_NKEYS; i++)
		if (strcmp(fx_names[i], name) == 0)
			return fx_fprs[i];
	fail_msg("no fixture fingerprint %s", name);
	return NULL;
}

/* OUT = fixture dir + "/" + name. */
static inline const char *fx_path(char out[512], const char *name)
{
	(void)snprintf(out, 512, "%s/%s", fx_dir, name);
	return out;
}

/* Reads a fixture file. */
static inline void fx_read(struct sn_buf *b, const char *name)
{
	char path[512];
	struct sn_err e = {0};

	if (sn_file_read(b, fx_path(path, name), 16u << 20, name, 0, &e) != 0)
		fail_msg("reading %s: %s", path, e.msg);
}

/* Runs a shell command (printf-style); returns its exit status. */
SN_PRINTF(1, 2) static inline int fx_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (rc < 0 || (size_t)rc >= sizeof(cmd))
		fail_msg("command too long");
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* Runs gpg with the fixture home: "gpg --batch ... ARGS", in the fixture
 * directory, stderr appended to gpg.log.  Returns its exit status. */
SN_PRINTF(1, 2) static inline int fx_gpg(const char *fmt, ...)
{
	char args[1536];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	if (rc < 0 || (size_t)rc >= sizeof(args))
		fail_msg("gpg arguments too long");
	return fx_sh("cd '%s' && GNUPGHOME='%s' gpg --batch --no-tty --quiet --yes --no-auto-check-trustdb "
	             "--pinentry-mode loopback %s 2>>gpg.log",
	             fx_dir, fx_home, args);
}

/* Makes the keys; 0 or -1 (for cmocka group setup). */
static inline int fx_setup(void)
{
	char path[512], line[256];
	FILE *f;
	int n = 0;

	(void)snprintf(fx_dir, sizeof(fx_dir), "/tmp/signet-test-gpg-XXXXXX");
	if (mkdtemp(fx_dir) == NULL)
		return -1;
	(void)snprintf(fx_home, sizeof(fx_home), "%s/gnupg", fx_dir);
	if (fx_sh("sh '%s/make-gpg-keys.sh' '%s' >'%s/make.log' 2>&1", FIXTURES_DIR, fx_dir, fx_dir) != 0) {
		(void)fprintf(stderr, "make-gpg-keys.sh failed; see %s/make.log\n", fx_dir);
		return -1;
	}
	f = fopen(fx_path(path, "fingerprints"), "re");
	if (f == NULL)
		return -1;
	while (n < FX_NKEYS && fgets(line, sizeof(line), f) != NULL) {
		char *eq = strchr(line, '=');

		if (eq == NULL)
			continue;
		*eq = '\0';
		eq[strcspn(eq + 1, "\n") + 1] = '\0';
		(void)snprintf(fx_names[n], sizeof(fx_names[n]), "%.15s", line);
		(void)snprintf(fx_fprs[n], sizeof(fx_fprs[n]), "%.71s", eq + 1);
		n++;
	}
	(void)fclose(f);
	return n >= 7 ? 0 : -1;
}

/* Stops the fixture home's agent and removes everything. */
static inline int fx_teardown(void)
{
	if (fx_dir[0] == '\0')
		return 0;
	(void)fx_sh("gpgconf --homedir '%s' --kill all >/dev/null 2>&1", fx_home);
	if (getenv("SIGNET_TEST_KEEP") == NULL)
		(void)fx_sh("rm -rf '%s'", fx_dir);
	return 0;
}

/* Whether any running process has needle in its command line (e.g. a
 * gpg-agent started for a GnuPG home). */
static inline int fx_process_mentions(const char *needle)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int found = 0;

	if (d == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		char path[300], buf[4096];
		size_t n;
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		(void)fclose(f);
		for (size_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[n] = '\0';
		if (strstr(buf, needle) != NULL)
			found = 1;
	}
	(void)closedir(d);
	return found;
}

#endif
