/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/bench_verify.c: times N standalone OpenPGP simple-signing
 * verifications three ways in the same run and prints them side by side:
 *
 *   in-process    one signet_ctx, N calls of signet_standalone_verify()
 *                 (each call makes and removes its private GnuPG home);
 *   signet exec   N fork/exec of `signet standalone-verify MANIFEST REF KEYFILE SIG`;
 *   skopeo exec   N fork/exec of `skopeo standalone-verify MANIFEST REF FPR SIG`,
 *                 with GNUPGHOME set to a home where the key is imported.
 *
 * Each mode first makes one untimed warm-up call (reported as "first ms"),
 * which also proves the inputs verify before any timing starts.  Every
 * call must succeed: a failed verification stops the run with exit 1.
 * skopeo is the reference of the comparison; when it cannot be found the
 * run stops loudly with exit 1 instead of printing a partial table.
 *
 * Usage: bench_verify [-n N] [-s SIGNET] [-k SKOPEO] -g GNUPGHOME
 *                     MANIFEST REFERENCE KEYFILE FINGERPRINT SIGNATURE
 * Uses only the public API.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <signet/signet.h>
#include <signet/verify.h>

#define BENCH_DEFAULT_N 50
#define BENCH_MAX_N 1000000	/* verifications per mode */
#define BENCH_MAX_PATH 4096	/* bytes of a program path found in PATH */

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

enum bench_mode { MODE_INPROC, MODE_SIGNET, MODE_SKOPEO, MODE_COUNT };

static const char *const mode_names[MODE_COUNT] = { "in-process", "signet exec", "skopeo exec" };

extern char **environ;

struct bench {
	size_t n;
	const char *manifest_path;
	const char *reference;
	const char *key_file;
	const char *fingerprint;
	const char *signature_path;
	const char *signet_path;
	const char *skopeo_home;
	char skopeo_path[BENCH_MAX_PATH];
	unsigned char *manifest;
	size_t manifest_len;
	unsigned char *signature;
	size_t signature_len;
	char **skopeo_env;	/* environ with GNUPGHOME=skopeo_home */
	int devnull;		/* children's stdout */
	double *ms;		/* n per-call timings, reused by every mode */
	char *digest;		/* from the in-process warm-up call */
};

struct result {
	size_t n;
	double first_ms;
	double total_s;
	double mean_ms;
	double p50_ms;
	double p95_ms;
	double cpu_ms;		/* user+system per verification, self and waited-for children */
	long self_rss_kib;	/* -1: not measured for this mode */
	long child_rss_kib;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double timeval_ms(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

/* User+system CPU time of this process plus every child it waited for. */
static double cpu_ms(void)
{
	struct rusage self, children;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return timeval_ms(&self.ru_utime) + timeval_ms(&self.ru_stime) + timeval_ms(&children.ru_utime) +
	       timeval_ms(&children.ru_stime);
}

static long maxrss_kib(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_maxrss;
}

/* Reads the whole regular file path (at most cap bytes) into a buffer the
 * caller frees.  Returns 0, or -1 with a message printed. */
static int read_file(unsigned char **out, size_t *out_len, const char *path, size_t cap)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t len = 0;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "bench_verify: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "bench_verify: %s: not a regular file\n", path);
		goto out;
	}
	if ((unsigned long long)st.st_size > cap) {
		fprintf(stderr, "bench_verify: %s: %lld bytes, more than the %zu allowed\n", path,
			(long long)st.st_size, cap);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		fprintf(stderr, "bench_verify: %s: out of memory\n", path);
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + len, (size_t)st.st_size - len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			fprintf(stderr, "bench_verify: cannot read %s: %s\n", path,
				got < 0 ? strerror(errno) : "file shrank while reading");
			goto out;
		}
		len += (size_t)got;
	}
	*out = buf;
	*out_len = len;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

/* Finds an executable as execvp() would: name itself when it holds a '/',
 * else the first PATH entry that has it.  Returns 0 or -1 (not found). */
static int find_program(char *out, size_t out_size, const char *name)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(name, '/') != NULL) {
		if (access(name, X_OK) != 0 || stat(name, &st) != 0 || !S_ISREG(st.st_mode))
			return -1;
		if ((size_t)snprintf(out, out_size, "%s", name) >= out_size)
			return -1;
		return 0;
	}
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path != '\0') {
		const char *end = strchr(path, ':');
		size_t dir_len = end != NULL ? (size_t)(end - path) : strlen(path);
		int w;

		/* An empty PATH entry means the current directory. */
		if (dir_len == 0)
			w = snprintf(out, out_size, "./%s", name);
		else
			w = snprintf(out, out_size, "%.*s/%s", (int)dir_len, path, name);
		if (w > 0 && (size_t)w < out_size && access(out, X_OK) == 0 && stat(out, &st) == 0 &&
		    S_ISREG(st.st_mode))
			return 0;
		if (end == NULL)
			break;
		path = end + 1;
	}
	return -1;
}

/* A copy of environ with every GNUPGHOME replaced by GNUPGHOME=home; the
 * array and its one new string are freed with free_env().  NULL: no memory. */
static char **env_with_gnupghome(const char *home)
{
	size_t count = 0, j = 0;
	char **env;
	char *entry;
	size_t len;

	while (environ[count] != NULL)
		count++;
	env = calloc(count + 2, sizeof(*env));
	len = strlen("GNUPGHOME=") + strlen(home) + 1;
	entry = malloc(len);
	if (env == NULL || entry == NULL) {
		free(env);
		free(entry);
		return NULL;
	}
	if ((size_t)snprintf(entry, len, "GNUPGHOME=%s", home) >= len) {
		free(env);
		free(entry);
		return NULL;
	}
	env[j++] = entry;
	for (size_t i = 0; i < count; i++)
		if (strncmp(environ[i], "GNUPGHOME=", strlen("GNUPGHOME=")) != 0)
			env[j++] = environ[i];
	env[j] = NULL;
	return env;
}

static void free_env(char **env)
{
	if (env == NULL)
		return;
	free(env[0]);
	free(env);
}

/*
 * Runs path with argv and env, stdout to /dev/null, stderr inherited, and
 * waits for it.  *ru receives the child's resource usage (wait4).  Returns 0
 * when it exited 0, else -1 with a message naming the program and why.
 */
static int run_child(struct rusage *ru, const char *path, char *const argv[], char *const env[], int devnull)
{
	int status;
	pid_t pid, got;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench_verify: cannot fork for %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exit. */
		static const char msg[] = "bench_verify: execve failed\n";
		ssize_t ignored;

		if (dup2(devnull, STDOUT_FILENO) < 0)
			_exit(126);
		execve(path, argv, env);
		ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
		(void)ignored;
		_exit(127);
	}
	do
		got = wait4(pid, &status, 0, ru);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		fprintf(stderr, "bench_verify: cannot wait for %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		fprintf(stderr, "bench_verify: %s standalone-verify failed: exit %d%s\n", path,
			WEXITSTATUS(status), WEXITSTATUS(status) == 127 ? " (could not execute it)" : "");
	else if (WIFSIGNALED(status))
		fprintf(stderr, "bench_verify: %s standalone-verify failed: killed by signal %d\n", path,
			WTERMSIG(status));
	else
		fprintf(stderr, "bench_verify: %s standalone-verify failed: wait status %#x\n", path,
			(unsigned)status);
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile pct (1..100) of n sorted values. */
static double percentile(const double *sorted, size_t n, unsigned pct)
{
	size_t rank = (pct * n + 99) / 100;

	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

/* Fills the timing fields of r from b->ms (sorted in place). */
static void summarize(struct result *r, struct bench *b, double total_ms, double cpu_total_ms)
{
	double sum = 0;

	for (size_t i = 0; i < b->n; i++)
		sum += b->ms[i];
	qsort(b->ms, b->n, sizeof(b->ms[0]), cmp_double);
	r->n = b->n;
	r->total_s = total_ms / 1e3;
	r->mean_ms = sum / (double)b->n;
	r->p50_ms = percentile(b->ms, b->n, 50);
	r->p95_ms = percentile(b->ms, b->n, 95);
	r->cpu_ms = cpu_total_ms / (double)b->n;
}

/* One in-process verification; checks the signer is the expected key.
 * *digest_out (may be NULL) receives the digest, caller frees. */
static int inproc_once(struct bench *b, signet_ctx *ctx, char **digest_out)
{
	char *digest = NULL, *fpr = NULL;
	int rc;

	rc = signet_standalone_verify(&digest, &fpr, ctx, b->manifest, b->manifest_len, b->reference,
				      b->key_file, b->signature, b->signature_len);
	if (rc != 0) {
		fprintf(stderr, "bench_verify: in-process: signet_standalone_verify failed: %s: %s\n",
			signet_strerror(rc), signet_ctx_errmsg(ctx));
		return -1;
	}
	if (strcasecmp(fpr, b->fingerprint) != 0) {
		fprintf(stderr, "bench_verify: in-process: signed by %s, expected %s\n", fpr, b->fingerprint);
		rc = -1;
	} else if (digest_out != NULL) {
		*digest_out = digest;
		digest = NULL;
	}
	free(digest);
	free(fpr);
	return rc == 0 ? 0 : -1;
}

static int bench_inproc(struct result *r, struct bench *b)
{
	signet_ctx *ctx = NULL;
	double t0, total0, cpu0;
	int rc;

	rc = signet_ctx_new(&ctx, NULL);
	if (rc != 0) {
		fprintf(stderr, "bench_verify: cannot create a context: %s\n", signet_strerror(rc));
		return -1;
	}
	rc = -1;
	t0 = now_ms();
	if (inproc_once(b, ctx, &b->digest) != 0)
		goto out;
	r->first_ms = now_ms() - t0;

	cpu0 = cpu_ms();
	total0 = now_ms();
	for (size_t i = 0; i < b->n; i++) {
		t0 = now_ms();
		if (inproc_once(b, ctx, NULL) != 0)
			goto out;
		b->ms[i] = now_ms() - t0;
	}
	summarize(r, b, now_ms() - total0, cpu_ms() - cpu0);
	/* Run first, so these peaks are the in-process run's: this process,
	 * and the gpg processes gpgme started and waited for. */
	r->self_rss_kib = maxrss_kib(RUSAGE_SELF);
	r->child_rss_kib = maxrss_kib(RUSAGE_CHILDREN);
	rc = 0;
out:
	signet_ctx_free(ctx);
	return rc;
}

static int bench_exec(struct result *r, struct bench *b, enum bench_mode mode)
{
	const char *path = mode == MODE_SIGNET ? b->signet_path : b->skopeo_path;
	char *const *env = mode == MODE_SIGNET ? environ : b->skopeo_env;
	/* The fourth argument: signet takes the key file, skopeo the
	 * fingerprint of a key in its ambient (GNUPGHOME) keyring. */
	char *argv[] = {
		(char *)path,
		(char *)"standalone-verify",
		(char *)b->manifest_path,
		(char *)b->reference,
		(char *)(mode == MODE_SIGNET ? b->key_file : b->fingerprint),
		(char *)b->signature_path,
		NULL,
	};
	struct rusage ru;
	double t0, total0, cpu0;

	t0 = now_ms();
	if (run_child(&ru, path, argv, env, b->devnull) != 0)
		return -1;
	r->first_ms = now_ms() - t0;
	r->child_rss_kib = ru.ru_maxrss;
	r->self_rss_kib = -1;

	cpu0 = cpu_ms();
	total0 = now_ms();
	for (size_t i = 0; i < b->n; i++) {
		t0 = now_ms();
		if (run_child(&ru, path, argv, env, b->devnull) != 0)
			return -1;
		b->ms[i] = now_ms() - t0;
		if (ru.ru_maxrss > r->child_rss_kib)
			r->child_rss_kib = ru.ru_maxrss;
	}
	summarize(r, b, now_ms() - total0, cpu_ms() - cpu0);
	return 0;
}

static void print_kib(long kib)
{
	if (kib < 0)
		printf(" %9s", "-");
	else
		printf(" %9ld", kib);
}

static void print_table(const struct bench *b, const struct result res[MODE_COUNT])
{
	const double skopeo_mean = res[MODE_SKOPEO].mean_ms;

	printf("signet %s, standalone OpenPGP verification, %zu timed calls per mode after 1 warm-up call\n",
	       signet_version(), b->n);
	printf("manifest %s (%zu bytes, %s), reference %s\n", b->manifest_path, b->manifest_len,
	       b->digest != NULL ? b->digest : "?", b->reference);
	printf("key %s (%s), signature %s (%zu bytes)\n\n", b->key_file, b->fingerprint, b->signature_path,
	       b->signature_len);
	printf("%-11s %5s %8s %8s %8s %8s %8s %8s %8s %7s %9s %9s\n", "mode", "N", "total s", "mean ms",
	       "p50 ms", "p95 ms", "verif/s", "t/skopeo", "first ms", "cpu ms", "self KiB", "child KiB");
	for (int m = 0; m < MODE_COUNT; m++) {
		const struct result *r = &res[m];

		printf("%-11s %5zu %8.3f %8.2f %8.2f %8.2f %8.1f %7.2fx %8.2f %7.2f", mode_names[m], r->n,
		       r->total_s, r->mean_ms, r->p50_ms, r->p95_ms, r->total_s > 0 ? (double)r->n / r->total_s : 0,
		       skopeo_mean > 0 ? r->mean_ms / skopeo_mean : 0, r->first_ms, r->cpu_ms);
		print_kib(r->self_rss_kib);
		print_kib(r->child_rss_kib);
		printf("\n");
	}
	printf("\n"
	       "mean/p50/p95 ms: wall time of one verification (CLOCK_MONOTONIC; exec modes include fork,\n"
	       "  exec and wait).  verif/s: N / total s.  t/skopeo: mean divided by skopeo's (below 1: faster).\n"
	       "first ms: the untimed warm-up call.  cpu ms: user+system CPU per verification of this\n"
	       "  process and the children it waited for (gpg included).\n"
	       "self KiB: peak RSS of this process after the in-process run (getrusage RUSAGE_SELF).\n"
	       "child KiB: largest peak RSS of one child: in-process, the gpg processes gpgme ran\n"
	       "  (RUSAGE_CHILDREN after that run); exec modes, the command itself (wait4).\n"
	       "RUSAGE_CHILDREN at the end: %ld KiB.\n",
	       maxrss_kib(RUSAGE_CHILDREN));
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bench_verify [-n N] [-s SIGNET] [-k SKOPEO] -g GNUPGHOME\n"
		"                    MANIFEST REFERENCE KEYFILE FINGERPRINT SIGNATURE\n\n"
		"Times N standalone verifications of SIGNATURE in-process, as `signet standalone-verify`\n"
		"processes and as `skopeo standalone-verify` processes, and prints a table.\n\n"
		"  -n N          verifications per mode (default %d)\n"
		"  -s SIGNET     the signet command (default: $SIGNET)\n"
		"  -k SKOPEO     the skopeo command (default: $SKOPEO, else skopeo in PATH)\n"
		"  -g GNUPGHOME  the GnuPG home skopeo uses, holding the key FINGERPRINT\n"
		"  KEYFILE       the public key file (signet); FINGERPRINT its primary key (skopeo)\n",
		BENCH_DEFAULT_N);
}

static int parse_count(size_t *out, const char *arg)
{
	unsigned long long v;
	char *end;

	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > BENCH_MAX_N)
		return -1;
	*out = (size_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b = { .n = BENCH_DEFAULT_N, .devnull = -1 };
	struct result res[MODE_COUNT] = { 0 };
	const char *skopeo = getenv("SKOPEO");
	int opt, status = EXIT_FAIL;

	b.signet_path = getenv("SIGNET");
	while ((opt = getopt(argc, argv, "hn:s:k:g:")) != -1) {
		switch (opt) {
		case 'n':
			if (parse_count(&b.n, optarg) != 0) {
				fprintf(stderr, "bench_verify: -n takes a count from 1 to %d, not \"%s\"\n",
					BENCH_MAX_N, optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			b.signet_path = optarg;
			break;
		case 'k':
			skopeo = optarg;
			break;
		case 'g':
			b.skopeo_home = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 5 || b.skopeo_home == NULL || b.signet_path == NULL) {
		if (b.signet_path == NULL)
			fprintf(stderr, "bench_verify: no signet command: pass -s or set SIGNET\n");
		if (b.skopeo_home == NULL)
			fprintf(stderr, "bench_verify: no GnuPG home for skopeo: pass -g\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	b.manifest_path = argv[optind];
	b.reference = argv[optind + 1];
	b.key_file = argv[optind + 2];
	b.fingerprint = argv[optind + 3];
	b.signature_path = argv[optind + 4];

	if (find_program(b.skopeo_path, sizeof(b.skopeo_path), skopeo != NULL ? skopeo : "skopeo") != 0) {
		fprintf(stderr, "bench_verify: ERROR: skopeo (%s) NOT FOUND: the comparison needs it; "
				"install skopeo or pass -k PATH.  Nothing was measured.\n",
			skopeo != NULL ? skopeo : "skopeo in PATH");
		return EXIT_FAIL;
	}
	if (access(b.signet_path, X_OK) != 0) {
		fprintf(stderr, "bench_verify: signet command %s: %s\n", b.signet_path, strerror(errno));
		return EXIT_FAIL;
	}

	if (read_file(&b.manifest, &b.manifest_len, b.manifest_path, SIGNET_MAX_MANIFEST_SIZE) != 0 ||
	    read_file(&b.signature, &b.signature_len, b.signature_path, SIGNET_MAX_SIGNATURE_SIZE) != 0)
		goto out;
	b.skopeo_env = env_with_gnupghome(b.skopeo_home);
	b.ms = calloc(b.n, sizeof(*b.ms));
	if (b.skopeo_env == NULL || b.ms == NULL) {
		fprintf(stderr, "bench_verify: out of memory\n");
		goto out;
	}
	b.devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (b.devnull < 0) {
		fprintf(stderr, "bench_verify: cannot open /dev/null: %s\n", strerror(errno));
		goto out;
	}

	/* In-process first: its RSS peaks are read right after it. */
	if (bench_inproc(&res[MODE_INPROC], &b) != 0 || bench_exec(&res[MODE_SIGNET], &b, MODE_SIGNET) != 0 ||
	    bench_exec(&res[MODE_SKOPEO], &b, MODE_SKOPEO) != 0)
		goto out;
	print_table(&b, res);
	status = EXIT_OK;
out:
	if (b.devnull >= 0)
		close(b.devnull);
	free_env(b.skopeo_env);
	free(b.ms);
	free(b.manifest);
	free(b.signature);
	free(b.digest);
	return status;
}
