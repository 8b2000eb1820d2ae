/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/helpers/gpg_oracle.c: what gpg, through gpgme, says about an
 * OpenPGP simple-signing signature, judged by containers/image's rule
 * (signature/mechanism_gpgme.go), for tests/integration/openpgp_diff.sh.
 *
 *   gpg_oracle SIGNATURE KEYFILE...
 *
 * A fresh GnuPG home (mkdtemp, mode 0700; gpg.conf: no-autostart,
 * no-auto-key-retrieve, no-auto-key-import) receives the key files in
 * order, each with one gpgme import (gpg merges certificates that share a
 * primary key).  As containers/image does: an import that fails makes the
 * policy unusable (deny); the trusted identities are the fingerprints of
 * the import results without error; none at all is "keyring is empty"
 * (deny).  A signature behind containers/image's "\0simple-signing\n"
 * format header is verified without it, as internal/signature.FromBlob
 * hands it to gpgme.  Then gpgme_op_verify(SIGNATURE, NULL, plain) must
 * succeed and report exactly one signature with status 0, a validity other
 * than NEVER, no validity reason and no wrong key usage, made by a trusted
 * primary key or a subkey of one (signet's documented extension: skopeo 1.9
 * counts primary fingerprints only).
 *
 * Exit 0: allow (stdout: "allow: FPR"); 1: deny (stdout: one line, gpg's
 * reason); 2: the oracle itself failed (stderr says why).  The home is
 * removed whatever happens, and any daemon gpg started for it stopped
 * (gpgconf --kill all).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gpgme.h>

#define MAX_TRUSTED 64
#define SIMPLE_SIGNING_HEADER "\0simple-signing\n"
#define SIMPLE_SIGNING_HEADER_LEN 16

static char home[4096];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0 && errno != ENOENT)
		fprintf(stderr, "gpg_oracle: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Could a gpg daemon be running for the home?  gpg puts its sockets in
 * the home, or under /run/user/UID/gnupg when that exists; with
 * no-autostart none is started, so usually there is nothing to stop. */
static int daemon_possible(void)
{
	char run[64];
	struct stat st;
	struct dirent *ent;
	DIR *d;
	int found = 0;

	snprintf(run, sizeof(run), "/run/user/%u/gnupg", (unsigned)getuid());
	if (stat(run, &st) == 0)
		return 1;
	if ((d = opendir(home)) == NULL)
		return 1;
	while (!found && (ent = readdir(d)) != NULL)
		found = strncmp(ent->d_name, "S.", 2) == 0;
	closedir(d);
	return found;
}

/* Stops whatever gpg started in the home, then removes it. */
static void home_remove(void)
{
	pid_t pid;
	int status;

	if (home[0] == '\0')
		return;
	if (!daemon_possible()) {
		nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		home[0] = '\0';
		return;
	}
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("gpgconf", "gpgconf", "--homedir", home, "--kill", "all", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	home[0] = '\0';
}

static int home_create(void)
{
	const char *tmp = getenv("TMPDIR");
	char conf[4200];
	FILE *f;
	int n;

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	n = snprintf(home, sizeof(home), "%s/gpg-oracle.XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof(home) || mkdtemp(home) == NULL) {
		fprintf(stderr, "gpg_oracle: cannot create a GnuPG home under %s: %s\n", tmp,
		        strerror(errno));
		home[0] = '\0';
		return -1;
	}
	if (chmod(home, 0700) != 0)
		return -1;
	n = snprintf(conf, sizeof(conf), "%s/gpg.conf", home);
	if (n < 0 || (size_t)n >= sizeof(conf) || (f = fopen(conf, "we")) == NULL)
		return -1;
	fputs("no-autostart\nno-auto-key-retrieve\nno-auto-key-import\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

/* Reads a whole file; NULL (errno set) on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	char *p = NULL, *q;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap > (size_t)64 << 20) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			if ((q = realloc(p, cap)) == NULL)
				goto fail;
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	*len = n;
	return p;
fail:
	free(p);
	fclose(f);
	return NULL;
}

/* One line on stdout: newlines and other control characters of gpg's
 * messages become spaces. */
static int verdict(int rc, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (char *c = line; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	printf("%s: %s\n", rc == 0 ? "allow" : "deny", line);
	return rc;
}

static const char *validity_name(gpgme_validity_t v)
{
	switch (v) {
	case GPGME_VALIDITY_UNKNOWN: return "unknown";
	case GPGME_VALIDITY_UNDEFINED: return "undefined";
	case GPGME_VALIDITY_NEVER: return "never";
	case GPGME_VALIDITY_MARGINAL: return "marginal";
	case GPGME_VALIDITY_FULL: return "full";
	case GPGME_VALIDITY_ULTIMATE: return "ultimate";
	}
	return "?";
}

struct trusted {
	char *fpr[MAX_TRUSTED];
	size_t n;
};

static int is_trusted(const struct trusted *t, const char *fpr)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcasecmp(t->fpr[i], fpr) == 0)
			return 1;
	return 0;
}

/* Imports one key file; returns 0, 1 (deny: the policy cannot be used)
 * or 2 (oracle error). */
static int import_file(gpgme_ctx_t ctx, const char *path, struct trusted *t)
{
	gpgme_data_t d = NULL;
	gpgme_import_result_t r;
	gpgme_import_status_t s;
	gpgme_error_t err;
	char *data;
	size_t len;

	if ((data = read_file(path, &len)) == NULL) {
		fprintf(stderr, "gpg_oracle: %s: %s\n", path, strerror(errno));
		return 2;
	}
	err = gpgme_data_new_from_mem(&d, data, len, 1);
	free(data);
	if (err != 0) {
		fprintf(stderr, "gpg_oracle: gpgme_data_new_from_mem: %s\n", gpgme_strerror(err));
		return 2;
	}
	err = gpgme_op_import(ctx, d);
	gpgme_data_release(d);
	if (err != 0)
		return verdict(1, "gpg could not import %s: %s", path, gpgme_strerror(err));
	r = gpgme_op_import_result(ctx);
	for (s = r != NULL ? r->imports : NULL; s != NULL; s = s->next) {
		if (s->result != 0 || s->fpr == NULL || is_trusted(t, s->fpr))
			continue;
		if (t->n == MAX_TRUSTED) {
			fprintf(stderr, "gpg_oracle: more than %d keys\n", MAX_TRUSTED);
			return 2;
		}
		if ((t->fpr[t->n] = strdup(s->fpr)) == NULL)
			return 2;
		t->n++;
	}
	return 0;
}

/* The primary fingerprint of the key holding fpr as a primary key or
 * subkey, if that primary is trusted; NULL otherwise. */
static char *trusted_primary(gpgme_ctx_t ctx, const char *fpr, const struct trusted *t)
{
	gpgme_key_t key = NULL;
	gpgme_subkey_t sub;
	char *primary = NULL;
	int found = 0;

	if (gpgme_get_key(ctx, fpr, &key, 0) != 0 || key == NULL || key->subkeys == NULL)
		goto out;
	for (sub = key->subkeys; sub != NULL; sub = sub->next)
		if (sub->fpr != NULL && strcasecmp(sub->fpr, fpr) == 0)
			found = 1;
	if (found && key->subkeys->fpr != NULL && is_trusted(t, key->subkeys->fpr))
		primary = strdup(key->subkeys->fpr);
out:
	gpgme_key_unref(key);
	return primary;
}

static int verify(gpgme_ctx_t ctx, const char *sigpath, const struct trusted *t)
{
	gpgme_data_t sig = NULL, plain = NULL;
	gpgme_verify_result_t r;
	gpgme_signature_t s;
	gpgme_error_t err;
	char *data, *primary = NULL;
	size_t len, off = 0, n = 0;
	int rc = 2;

	if ((data = read_file(sigpath, &len)) == NULL) {
		fprintf(stderr, "gpg_oracle: %s: %s\n", sigpath, strerror(errno));
		return 2;
	}
	if (len > SIMPLE_SIGNING_HEADER_LEN &&
	    memcmp(data, SIMPLE_SIGNING_HEADER, SIMPLE_SIGNING_HEADER_LEN) == 0)
		off = SIMPLE_SIGNING_HEADER_LEN;
	err = gpgme_data_new_from_mem(&sig, data + off, len - off, 1);
	free(data);
	if (err != 0 || (err = gpgme_data_new(&plain)) != 0) {
		fprintf(stderr, "gpg_oracle: gpgme data: %s\n", gpgme_strerror(err));
		goto out;
	}
	err = gpgme_op_verify(ctx, sig, NULL, plain);
	if (err != 0) {
		rc = verdict(1, "gpgme_op_verify: %s", gpgme_strerror(err));
		goto out;
	}
	r = gpgme_op_verify_result(ctx);
	for (s = r != NULL ? r->signatures : NULL; s != NULL; s = s->next)
		n++;
	if (n != 1) {
		rc = verdict(1, "%zu signatures (exactly one is needed)", n);
		goto out;
	}
	s = r->signatures;
	if (s->status != 0)
		rc = verdict(1, "signature by %s: %s", s->fpr ? s->fpr : "?", gpgme_strerror(s->status));
	else if (s->validity == GPGME_VALIDITY_NEVER)
		rc = verdict(1, "signature by %s: validity never", s->fpr ? s->fpr : "?");
	else if (s->validity_reason != 0)
		rc = verdict(1, "signature by %s: validity %s: %s", s->fpr ? s->fpr : "?",
		             validity_name(s->validity), gpgme_strerror(s->validity_reason));
	else if (s->wrong_key_usage)
		rc = verdict(1, "signature by %s: wrong key usage", s->fpr ? s->fpr : "?");
	else if (s->fpr == NULL || (primary = trusted_primary(ctx, s->fpr, t)) == NULL)
		rc = verdict(1, "signature by %s: not a pinned key or a subkey of one",
		             s->fpr ? s->fpr : "?");
	else
		rc = verdict(0, "%s (primary %s)", s->fpr, primary);
out:
	free(primary);
	gpgme_data_release(sig);
	gpgme_data_release(plain);
	return rc;
}

int main(int argc, char **argv)
{
	struct trusted t = {{0}, 0};
	gpgme_ctx_t ctx = NULL;
	gpgme_error_t err;
	int rc = 2;

	if (argc < 3) {
		fprintf(stderr, "usage: gpg_oracle SIGNATURE KEYFILE...\n");
		return 2;
	}
	setlocale(LC_ALL, "");
	if (gpgme_check_version(NULL) == NULL ||
	    gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP) != 0) {
		fprintf(stderr, "gpg_oracle: gpgme has no usable gpg\n");
		return 2;
	}
	if (home_create() != 0) {
		fprintf(stderr, "gpg_oracle: cannot set up the GnuPG home\n");
		goto out;
	}
	if ((err = gpgme_new(&ctx)) != 0 ||
	    (err = gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP)) != 0 ||
	    (err = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) != 0) {
		fprintf(stderr, "gpg_oracle: gpgme: %s\n", gpgme_strerror(err));
		goto out;
	}
	for (int i = 2; i < argc; i++)
		if ((rc = import_file(ctx, argv[i], &t)) != 0)
			goto out;
	if (t.n == 0) {
		rc = verdict(1, "no key imported (keyring is empty)");
		goto out;
	}
	rc = verify(ctx, argv[1], &t);
out:
	gpgme_release(ctx);
	for (size_t i = 0; i < t.n; i++)
		free(t.fpr[i]);
	home_remove();
	return rc;
}
