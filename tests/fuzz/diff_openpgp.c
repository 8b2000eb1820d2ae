/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/diff_openpgp.c: differential replay of fuzz-openpgp inputs,
 * signet's in-process verifier against gpg.
 *
 *   diff-openpgp [-v] CORPUS_DIR...
 *
 * The directories are those given, or the one in the environment variable
 * FUZZ_DIFF_OPENPGP_CORPUS when it is set (a corpus libFuzzer grew; the
 * meson test passes the seeds, fixtures/fuzz/openpgp).  Every input is cut
 * as the harness cuts it (fuzz_openpgp_input.h: key files, then the blob);
 * inputs that name no verification, or that the harness skips as too
 * large, are counted and left.  For the others:
 *
 *   signet  sn_openpgp_backend: verifier_new(key files), verify(blob), in
 *           process.  Allowed = verify returned 0.
 *   gpg     a fresh GnuPG home (mkdtemp; gpg.conf: no-autostart,
 *           no-auto-key-retrieve, no-auto-key-import), `gpg --import` of
 *           each key file in order, then `gpg --status-fd 1 --verify` of
 *           the blob (without a "\0simple-signing\n" header: containers/image
 *           hands gpgme the chunk behind it).  Allowed = containers/image's
 *           gpgme rule (signature/mechanism_gpgme.go): exactly one signature
 *           (NEWSIG), exactly one GOODSIG and one VALIDSIG, and none of
 *           EXPSIG, EXPKEYSIG, REVKEYSIG, BADSIG, ERRSIG, TRUST_NEVER,
 *           FAILURE, NODATA (gpgme's verify then fails: data after the
 *           message), ERROR (see refusing() for KEYEXPIRED and
 *           KEYREVOKED).  gpg's exit code is not part of the rule, as it
 *           is not gpgme's: gpg exits 2 over a damaged packet it skipped in
 *           the keyring even when the signature is good, and gpgme (skopeo)
 *           then allows.
 *
 * Exit 1 when signet allows an input gpg refuses (each is printed with
 * gpg's statuses), or when a seed's name contradicts the verdicts: good-*
 * must be allowed by both, bad-* refused by both, strict-* refused by
 * signet and allowed by gpg (signet's documented extra strictness).
 * Inputs signet refuses and gpg allows are listed with signet's reason;
 * they are not failures.  77 (skipped) when there is no gpg; 2 when the
 * replay itself cannot run.  -v prints both verdicts for every input.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_openpgp_input.h"
#include "verify/verify.h"

/* The harness skips larger inputs (fuzz_openpgp.c). */
#define DIFF_MAX_INPUT (256u * 1024u)
/* A gpg run that takes longer is killed and counts as a refusal. */
#define DIFF_GPG_TIMEOUT_MS 60000

/* No agent, no key servers, no keys from the signature itself. */
#define GPG_CONF "no-autostart\nno-auto-key-retrieve\nno-auto-key-import\n"

#define SIMPLE_SIGNING_HEADER     "\0simple-signing\n"
#define SIMPLE_SIGNING_HEADER_LEN (sizeof(SIMPLE_SIGNING_HEADER) - 1)

struct verdict {
	int allowed;
	char why[SN_ERRMSG_MAX + 256];
};

struct totals {
	size_t inputs, skipped, signet, gpg, both, signet_only, gpg_only, seed_mismatch;
};

static int verbose;

/* ---- signet ------------------------------------------------------------ */

static void signet_verdict(struct verdict *v, const struct fuzz_openpgp_input *in)
{
	static const char *const names[FUZZ_OPENPGP_MAX_KEYS] = {"key 1", "key 2", "key 3", "key 4"};
	struct sn_signer who = {NULL, NULL, NULL};
	struct sn_buf payload;
	void *state = NULL;
	struct sn_err e;
	int rc;

	memset(&e, 0, sizeof(e));
	v->allowed = 0;
	rc = sn_openpgp_backend.verifier_new(&state, in->keys, names, in->n_keys, &e);
	if (rc == 0) {
		rc = sn_openpgp_backend.verify(state, in->blob, in->blob_len, &payload, &who, &e);
		sn_openpgp_backend.verifier_free(state);
	}
	if (rc == 0) {
		v->allowed = 1;
		(void)snprintf(v->why, sizeof(v->why), "signed by %s (primary %s)", who.signing_fingerprint,
		               who.fingerprint);
		sn_buf_free(&payload);
		sn_signer_clear(&who);
		return;
	}
	(void)snprintf(v->why, sizeof(v->why), "%s: %s", signet_strerror(rc), e.msg);
}

/* ---- gpg --------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path);
	return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int rc;

	if (fd < 0)
		return -1;
	rc = sn_write_all(fd, data, len);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static int path_in(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/*
 * Runs gpg with args (NULL-terminated, after "gpg --homedir HOME"),
 * stdin from /dev/null, stdout to out_path, stderr to err_path.  Returns
 * the exit status (0-255), 256 when killed (timeout, signal), -1 when it
 * could not start.
 */
static int run_gpg(const char *home, const char *const *args, const char *out_path, const char *err_path)
{
	const char *argv[16];
	size_t n = 0;
	int status, waited = 0;
	pid_t pid;

	argv[n++] = "gpg";
	argv[n++] = "--homedir";
	argv[n++] = home;
	argv[n++] = "--batch";
	argv[n++] = "--no-tty";
	for (; *args != NULL && n < sizeof(argv) / sizeof(argv[0]) - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(err_path, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		execvp("gpg", (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		if (waited >= DIFF_GPG_TIMEOUT_MS) {
			(void)kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return 256;
		}
		(void)nanosleep(&(struct timespec){0, 1000000}, NULL);
		waited++;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 127 ? -1 : WEXITSTATUS(status);
	return 256;
}

/* Appends s to the reason, space-separated, while it fits. */
static void why_add(struct verdict *v, const char *s, size_t n)
{
	size_t len = strlen(v->why);

	if (len != 0 && len + 1 < sizeof(v->why))
		v->why[len++] = ' ';
	if (n > sizeof(v->why) - 1 - len)
		n = sizeof(v->why) - 1 - len;
	memcpy(v->why + len, s, n);
	v->why[len + n] = '\0';
}

/*
 * The status keywords that make containers/image refuse.  KEYEXPIRED and
 * KEYREVOKED are not among them: gpg also writes them for other keys of
 * the certificate (an expired encryption subkey next to a good signing
 * primary key: seed good-expired-subkeys-unused), and gpgme does not let
 * them change the signature's status; when they concern the key that
 * signed, gpg says EXPKEYSIG or REVKEYSIG.  They are shown in the reason.
 */
static int refusing(const char *kw, size_t n)
{
	static const char *const bad[] = {"EXPSIG",      "BADSIG",  "ERRSIG", "EXPKEYSIG", "REVKEYSIG",
	                                  "TRUST_NEVER", "FAILURE", "NODATA", "ERROR"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strlen(bad[i]) == n && memcmp(bad[i], kw, n) == 0)
			return 1;
	return 0;
}

/* Judges gpg's status output by containers/image's rule. */
static void gpg_judge(struct verdict *v, const char *status, size_t len, int exit_code)
{
	size_t newsig = 0, goodsig = 0, validsig = 0, bad = 0, off = 0;

	v->why[0] = '\0';
	while (off < len) {
		const char *line = status + off, *nl = memchr(line, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - line) : len - off, kw;

		off += n + (nl != NULL);
		if (n < 9 || memcmp(line, "[GNUPG:] ", 9) != 0)
			continue;
		line += 9;
		n -= 9;
		for (kw = 0; kw < n && line[kw] != ' '; kw++)
			;
		if (kw == 6 && memcmp(line, "NEWSIG", 6) == 0)
			newsig++;
		else if (kw == 7 && memcmp(line, "GOODSIG", 7) == 0)
			goodsig++;
		else if (kw == 8 && memcmp(line, "VALIDSIG", 8) == 0)
			validsig++;
		else if (refusing(line, kw))
			bad++;
		else if (!(kw == 10 &&
		           (memcmp(line, "KEYEXPIRED", 10) == 0 || memcmp(line, "KEYREVOKED", 10) == 0)))
			continue;
		/* The statuses that decide, with their first fields. */
		why_add(v, line, n > 60 ? 60 : n);
	}
	v->allowed = newsig <= 1 && goodsig == 1 && validsig == 1 && bad == 0;
	if (exit_code != 0) {
		char code[32];

		(void)snprintf(code, sizeof(code), "(gpg exit %d)", exit_code);
		why_add(v, code, strlen(code));
	}
	if (v->why[0] == '\0')
		why_add(v, "(no signature status)", 21);
}

static int gpg_verdict(struct verdict *v, const struct fuzz_openpgp_input *in)
{
	const char *tmp = getenv("TMPDIR");
	char home[4096], path[4200], out[4200], err[4200], conf[4200];
	const uint8_t *blob = in->blob;
	size_t blob_len = in->blob_len;
	struct sn_buf status;
	int rc = -1, code;

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if (snprintf(home, sizeof(home), "%s/diff-openpgp.XXXXXX", tmp) >= (int)sizeof(home) ||
	    mkdtemp(home) == NULL) {
		fprintf(stderr, "diff-openpgp: cannot create a GnuPG home under %s: %s\n", tmp,
		        strerror(errno));
		return -1;
	}
	sn_buf_init(&status, 16u << 20, "gpg status");
	if (path_in(conf, sizeof(conf), home, "gpg.conf") != 0 ||
	    path_in(out, sizeof(out), home, "status") != 0 || path_in(err, sizeof(err), home, "stderr") != 0)
		goto out;
	if (write_file(conf, GPG_CONF, sizeof(GPG_CONF) - 1) != 0)
		goto out;
	for (size_t i = 0; i < in->n_keys; i++) {
		char name[32];
		const char *args[] = {"--import", "--", path, NULL};

		(void)snprintf(name, sizeof(name), "key%zu", i + 1);
		if (path_in(path, sizeof(path), home, name) != 0 ||
		    write_file(path, in->keys[i].data, in->keys[i].len) != 0)
			goto out;
		/* Whatever gpg imports is pinned, as containers/image pins the
		 * fingerprints its imports report; a failed import adds none. */
		if (run_gpg(home, args, out, err) < 0)
			goto out;
	}
	if (blob_len > SIMPLE_SIGNING_HEADER_LEN &&
	    memcmp(blob, SIMPLE_SIGNING_HEADER, SIMPLE_SIGNING_HEADER_LEN) == 0) {
		blob += SIMPLE_SIGNING_HEADER_LEN;
		blob_len -= SIMPLE_SIGNING_HEADER_LEN;
	}
	{
		const char *args[] = {"--status-fd", "1", "--verify", "--", path, NULL};

		if (path_in(path, sizeof(path), home, "blob") != 0 || write_file(path, blob, blob_len) != 0)
			goto out;
		if ((code = run_gpg(home, args, out, err)) < 0)
			goto out;
	}
	if (sn_file_read(&status, out, status.max, "gpg status", 0, NULL) != 0)
		goto out;
	gpg_judge(v, status.data != NULL ? (const char *)status.data : "", status.len, code);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "diff-openpgp: cannot run gpg in %s: %s\n", home, strerror(errno));
	sn_buf_free(&status);
	/* no-autostart: no agent to stop unless one was started anyway. */
	if (path_in(path, sizeof(path), home, "S.gpg-agent") == 0 && access(path, F_OK) == 0) {
		pid_t pid = fork();

		if (pid == 0) {
			execlp("gpgconf", "gpgconf", "--homedir", home, "--kill", "all", (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
	}
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

/* ---- the replay -------------------------------------------------------- */

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A seed's name says what both must conclude; "" when it agrees. */
static const char *seed_expectation(const char *name, int signet, int gpg)
{
	if (starts(name, "good-") && !(signet && gpg))
		return "a good-* seed must be allowed by signet and gpg";
	if (starts(name, "bad-") && (signet || gpg))
		return "a bad-* seed must be refused by signet and gpg";
	if (starts(name, "strict-") && (signet || !gpg))
		return "a strict-* seed must be refused by signet and allowed by gpg";
	return "";
}

static int replay_file(struct totals *t, const char *path, const char *name)
{
	struct fuzz_openpgp_input in;
	struct verdict s, g;
	struct sn_buf b;
	struct sn_err e;
	const char *seed;

	if (sn_file_read(&b, path, DIFF_MAX_INPUT, "input", 0, &e) != 0) {
		if (e.code != SIGNET_ELIMIT) {
			fprintf(stderr, "diff-openpgp: %s\n", e.msg);
			return -1;
		}
		t->inputs++;
		t->skipped++;
		if (verbose)
			printf("%s: larger than the harness reads\n", path);
		return 0;
	}
	t->inputs++;
	if (fuzz_openpgp_split(&in, b.data, b.len) != 0) {
		t->skipped++;
		if (verbose)
			printf("%s: names no verification (no separator, or more than %d key files)\n", path,
			       FUZZ_OPENPGP_MAX_KEYS);
		sn_buf_free(&b);
		return 0;
	}
	memset(&s, 0, sizeof(s));
	memset(&g, 0, sizeof(g));
	signet_verdict(&s, &in);
	if (gpg_verdict(&g, &in) != 0) {
		sn_buf_free(&b);
		return -1;
	}
	sn_buf_free(&b);
	t->signet += (size_t)s.allowed;
	t->gpg += (size_t)g.allowed;
	if (s.allowed && g.allowed)
		t->both++;
	if (s.allowed && !g.allowed) {
		t->signet_only++;
		printf("FAIL signet allows, gpg refuses: %s\n  signet: %s\n  gpg: %s\n", path, s.why, g.why);
	} else if (!s.allowed && g.allowed) {
		t->gpg_only++;
		printf("signet refuses, gpg allows: %s\n  signet: %s\n  gpg: %s\n", path, s.why, g.why);
	} else if (verbose) {
		printf("%s: both %s\n  signet: %s\n  gpg: %s\n", path, s.allowed ? "allow" : "refuse", s.why,
		       g.why);
	}
	seed = seed_expectation(name, s.allowed, g.allowed);
	if (seed[0] != '\0') {
		t->seed_mismatch++;
		printf("FAIL %s: %s (signet %s, gpg %s)\n  signet: %s\n  gpg: %s\n", path, seed,
		       s.allowed ? "allows" : "refuses", g.allowed ? "allows" : "refuses", s.why, g.why);
	}
	return 0;
}

static int replay_dir(struct totals *t, const char *dir)
{
	struct dirent **list;
	int n, rc = 0;

	if ((n = scandir(dir, &list, NULL, alphasort)) < 0) {
		fprintf(stderr, "diff-openpgp: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		if (rc == 0 && list[i]->d_name[0] != '.' &&
		    path_in(path, sizeof(path), dir, list[i]->d_name) == 0 && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode) && replay_file(t, path, list[i]->d_name) != 0)
			rc = -1;
		free(list[i]);
	}
	free(list);
	return rc;
}

static int have_gpg(void)
{
	const char *args[] = {"--version", NULL};
	char tmpl[] = "/tmp/diff-openpgp-probe.XXXXXX", out[64], err[64];
	int rc;

	if (mkdtemp(tmpl) == NULL)
		return 0;
	(void)path_in(out, sizeof(out), tmpl, "out");
	(void)path_in(err, sizeof(err), tmpl, "err");
	rc = run_gpg(tmpl, args, out, err);
	nftw(tmpl, rm_entry, 4, FTW_DEPTH | FTW_PHYS);
	return rc == 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("FUZZ_DIFF_OPENPGP_CORPUS");
	struct totals t;
	int first = 1;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		first = 2;
	}
	if ((env == NULL || env[0] == '\0') && first >= argc) {
		fprintf(stderr, "usage: %s [-v] CORPUS_DIR... (or FUZZ_DIFF_OPENPGP_CORPUS=DIR)\n", argv[0]);
		return 2;
	}
	if (!have_gpg()) {
		printf("diff-openpgp: no gpg: skipped\n");
		return 77;
	}
	memset(&t, 0, sizeof(t));
	if (env != NULL && env[0] != '\0') {
		if (replay_dir(&t, env) != 0)
			return 2;
	} else {
		for (int i = first; i < argc; i++)
			if (replay_dir(&t, argv[i]) != 0)
				return 2;
	}
	printf("%zu inputs, %zu skipped (no key files and blob, or too large), %zu verified: "
	       "signet allowed %zu, gpg allowed %zu, both %zu; signet only %zu, gpg only %zu; "
	       "seed names contradicted %zu\n",
	       t.inputs, t.skipped, t.inputs - t.skipped, t.signet, t.gpg, t.both, t.signet_only, t.gpg_only,
	       t.seed_mismatch);
	if (t.inputs == 0) {
		fprintf(stderr, "diff-openpgp: empty corpus\n");
		return 2;
	}
	return t.signet_only != 0 || t.seed_mismatch != 0 ? 1 : 0;
}
