/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/bench_verify.c: the verification benchmarks that bench/run-verify.sh
 * drives.  Each prints a table with skopeo (the reference) side by side when
 * there is a skopeo equivalent, then "target" lines saying whether a goal is
 * met.  Targets are printed, never asserted: the exit status only says
 * whether everything ran and verified.
 *
 *   standalone  N standalone OpenPGP simple-signing verifications, three ways:
 *       in-process   one signet_ctx, N calls of signet_standalone_verify()
 *                    (public API; each call sets up its keys again);
 *       signet exec  N fork/exec of `signet standalone-verify MANIFEST REF KEYFILE SIG`;
 *       skopeo exec  N fork/exec of `skopeo standalone-verify MANIFEST REF FPR SIG`,
 *                    with GNUPGHOME set to a home where the key is imported.
 *     Target: skopeo's median / signet exec's median >= 10.
 *
 *   pull  N pre-pull decisions about one image in a registry, two ways:
 *       signet exec  `signet verify -q --policy P --registries.d D --tls-verify=false docker://IMAGE`;
 *       skopeo exec  `skopeo --policy P --registries.d D copy -q --src-tls-verify=false
 *                    docker://IMAGE dir:DIR` (skopeo's way to reach the same decision; it also
 *                    copies the image, which is what a pull gated by skopeo costs).
 *     Target: skopeo's median / signet's median >= 10.
 *
 *   rate  verifications per second of one in-process OpenPGP verifier per
 *       key: sn_openpgp_backend (internal, verify/verify.h) verifier_new
 *       once with the pinned key, then verify of the same signature blob N
 *       times (or until the time cap), on this one thread pinned to the CPU
 *       it runs on.  Timed by CLOCK_THREAD_CPUTIME_ID plus the CPU of any
 *       child process the verifier waited for (judged: the rate of one
 *       core, whatever else loads the machine), and by CLOCK_MONOTONIC.
 *       Target: >= 5,000 per second per key.
 *
 * Every mode first makes one untimed warm-up call ("first ms"), which also
 * proves the inputs verify before any timing starts.  The exec modes of a
 * comparison run in turns, one call each per round, so that a change of
 * load on the machine weighs on signet and skopeo alike.  Every call must
 * succeed: a failure stops the run with exit 1.  skopeo is the reference of
 * the comparisons; when it cannot be found the run stops loudly with exit 1
 * instead of printing a partial table.
 *
 * The standalone and pull modes use only the public API and the commands;
 * rate reaches the internal backend table, so this program links the
 * internal static library, as the unit tests do.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdint.h>
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

#include "base/base.h"
#include "verify/verify.h"

#define BENCH_DEFAULT_N        50       /* calls per mode, standalone and pull */
#define BENCH_DEFAULT_RATE_N   20000    /* verifications per key, rate */
#define BENCH_DEFAULT_RATE_CAP 10       /* seconds per key at most, rate */
#define BENCH_MAX_N            10000000 /* calls per mode */
#define BENCH_MAX_CAP          3600     /* seconds */
#define BENCH_MAX_PATH         4096     /* bytes of a program path found in PATH */
#define BENCH_MAX_RATE_KEYS    16       /* LABEL KEYFILE FPR SIGNATURE groups, rate */

/* The goals (SPEC: performance); printed next to what was measured. */
#define TARGET_STANDALONE_X 10.0   /* skopeo standalone-verify / signet standalone-verify */
#define TARGET_PULL_X       10.0   /* skopeo copy --policy / signet verify */
#define TARGET_RATE         5000.0 /* in-process verifications per second, one core */

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

extern char **environ;

/* ---- measurements ---------------------------------------------------- */

struct result {
	const char *name; /* the row's first column */
	size_t n;
	double first_ms; /* the untimed warm-up call */
	double total_s;
	double mean_ms;
	double p50_ms; /* the median */
	double p95_ms;
	double cpu_ms;     /* user+system per call, this process and its waited-for children */
	long self_rss_kib; /* -1: not measured for this mode */
	long child_rss_kib;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double timeval_ms(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

/* User+system CPU time of every child this process waited for. */
static double children_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return timeval_ms(&ru.ru_utime) + timeval_ms(&ru.ru_stime);
}

/* User+system CPU time of this process plus every child it waited for. */
static double cpu_ms(void)
{
	struct rusage self;

	getrusage(RUSAGE_SELF, &self);
	return timeval_ms(&self.ru_utime) + timeval_ms(&self.ru_stime) + children_cpu_ms();
}

static long maxrss_kib(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n sorted values (n >= 1): the middle one, or the mean of
 * the two middle ones. */
static double median(const double *sorted, size_t n)
{
	return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* The nearest-rank percentile pct (1..100) of n sorted values. */
static double percentile(const double *sorted, size_t n, unsigned pct)
{
	size_t rank = (pct * n + 99) / 100;

	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

/* Fills the timing fields of r from the n per-call timings ms (sorted in
 * place). */
static void summarize(struct result *r, double *ms, size_t n, double total_ms, double cpu_total_ms)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += ms[i];
	qsort(ms, n, sizeof(ms[0]), cmp_double);
	r->n = n;
	r->total_s = total_ms / 1e3;
	r->mean_ms = sum / (double)n;
	r->p50_ms = median(ms, n);
	r->p95_ms = percentile(ms, n, 95);
	r->cpu_ms = cpu_total_ms / (double)n;
}

/*
 * One "target" line; run-verify.sh and bench-audit.sh print theirs in the
 * same columns and gather them into one summary:
 *   target  WHAT  GOT  TARGET  met|NOT met
 */
static void print_target(const char *what, const char *got, const char *target, int met)
{
	printf("target  %-62s %12s %14s  %s\n", what, got, target, met ? "met" : "NOT met");
}

/* "12.3x" (a ratio of medians); "n/a" when the divisor is 0. */
static void print_ratio_target(const char *what, double reference_ms, double signet_ms, double target)
{
	char got[32], want[32];
	double x = signet_ms > 0 ? reference_ms / signet_ms : 0;

	if (signet_ms > 0)
		snprintf(got, sizeof(got), "%.2fx", x);
	else
		snprintf(got, sizeof(got), "n/a");
	snprintf(want, sizeof(want), ">= %gx", target);
	print_target(what, got, want, signet_ms > 0 && x >= target);
}

/* ---- files and programs ------------------------------------------------ */

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

/* skopeo, found as -k / $SKOPEO / PATH say; prints why not and returns -1
 * when it is missing. */
static int find_skopeo(char *out, size_t out_size, const char *skopeo)
{
	if (find_program(out, out_size, skopeo != NULL ? skopeo : "skopeo") == 0)
		return 0;
	fprintf(stderr,
	        "bench_verify: ERROR: skopeo (%s) NOT FOUND: the comparison needs it; "
	        "install skopeo or pass -k PATH.  Nothing was measured.\n",
	        skopeo != NULL ? skopeo : "skopeo in PATH");
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

/* ---- commands ------------------------------------------------------------ */

/* One command line timed as a process. */
struct command {
	const char *name; /* for messages: "signet verify", ... */
	const char *path;
	char *const *argv;
	char *const *env;
};

/*
 * Runs the command, stdout to devnull, stderr inherited, and waits for it.
 * *ru receives the child's resource usage (wait4: its own and that of the
 * children it waited for).  Returns 0 when it exited 0, else -1 with a
 * message naming the command and why.
 */
static int run_child(struct rusage *ru, const struct command *c, int devnull)
{
	int status;
	pid_t pid, got;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench_verify: cannot fork for %s: %s\n", c->name, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls between fork and exit. */
		static const char msg[] = "bench_verify: execve failed\n";
		ssize_t ignored;

		if (dup2(devnull, STDOUT_FILENO) < 0)
			_exit(126);
		execve(c->path, c->argv, c->env);
		ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
		(void)ignored;
		_exit(127);
	}
	do
		got = wait4(pid, &status, 0, ru);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		fprintf(stderr, "bench_verify: cannot wait for %s: %s\n", c->name, strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		fprintf(stderr, "bench_verify: %s (%s) failed: exit %d%s\n", c->name, c->path,
		        WEXITSTATUS(status), WEXITSTATUS(status) == 127 ? " (could not execute it)" : "");
	else if (WIFSIGNALED(status))
		fprintf(stderr, "bench_verify: %s (%s) failed: killed by signal %d\n", c->name, c->path,
		        WTERMSIG(status));
	else
		fprintf(stderr, "bench_verify: %s (%s) failed: wait status %#x\n", c->name, c->path,
		        (unsigned)status);
	return -1;
}

/*
 * Times the commands side by side: one warm-up run each, then n rounds
 * that run every command once, in turns (the order reversed every other
 * round), so that a change of load on the machine weighs on all of them
 * alike.  res[c] receives command c's figures; total_s is the sum of its
 * n wall times, cpu_ms comes from its own wait4 usage (its children
 * included).  ms has room for n_cmds * n doubles.
 */
static int bench_commands(struct result *res, const struct command *cmds, size_t n_cmds, size_t n, double *ms,
                          int devnull)
{
	struct rusage ru;
	double t0;

	for (size_t c = 0; c < n_cmds; c++) {
		t0 = now_ms();
		if (run_child(&ru, &cmds[c], devnull) != 0)
			return -1;
		res[c].first_ms = now_ms() - t0;
		res[c].child_rss_kib = ru.ru_maxrss;
		res[c].self_rss_kib = -1;
		res[c].cpu_ms = 0;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n_cmds; k++) {
			size_t c = i % 2 == 0 ? k : n_cmds - 1 - k;

			t0 = now_ms();
			if (run_child(&ru, &cmds[c], devnull) != 0)
				return -1;
			ms[c * n + i] = now_ms() - t0;
			res[c].cpu_ms += timeval_ms(&ru.ru_utime) + timeval_ms(&ru.ru_stime);
			if (ru.ru_maxrss > res[c].child_rss_kib)
				res[c].child_rss_kib = ru.ru_maxrss;
		}
	}
	for (size_t c = 0; c < n_cmds; c++) {
		double total = 0;

		for (size_t i = 0; i < n; i++)
			total += ms[c * n + i];
		summarize(&res[c], ms + c * n, n, total, res[c].cpu_ms);
	}
	return 0;
}

static void print_kib(long kib)
{
	if (kib < 0)
		printf(" %9s", "-");
	else
		printf(" %9ld", kib);
}

/* The rows of a comparison; the last row is skopeo, the reference. */
static void print_rows(const struct result *res, size_t n_rows)
{
	const double skopeo_p50 = res[n_rows - 1].p50_ms;

	printf("%-11s %5s %8s %8s %8s %8s %8s %8s %8s %7s %9s %9s\n", "mode", "N", "total s", "mean ms",
	       "p50 ms", "p95 ms", "calls/s", "x skopeo", "first ms", "cpu ms", "self KiB", "peak KiB");
	for (size_t m = 0; m < n_rows; m++) {
		const struct result *r = &res[m];

		printf("%-11s %5zu %8.3f %8.2f %8.2f %8.2f %8.1f %7.2fx %8.2f %7.2f", r->name, r->n,
		       r->total_s, r->mean_ms, r->p50_ms, r->p95_ms,
		       r->total_s > 0 ? (double)r->n / r->total_s : 0,
		       r->p50_ms > 0 ? skopeo_p50 / r->p50_ms : 0, r->first_ms, r->cpu_ms);
		print_kib(r->self_rss_kib);
		print_kib(r->child_rss_kib);
		printf("\n");
	}
	printf(
	    "\n"
	    "exec modes ran in turns, one call each per round.  p50 ms: the median wall time of one\n"
	    "  call (CLOCK_MONOTONIC; exec modes include fork, exec and wait); mean and p95 likewise.\n"
	    "total s: the N calls' wall times added up; calls/s: N / total s.  x skopeo: skopeo's p50\n"
	    "  divided by this mode's (above 1: faster than skopeo).  first ms: the untimed warm-up call.\n"
	    "cpu ms: user+system CPU per call, the children waited for (gpg) included.\n"
	    "peak KiB: exec modes, the largest peak RSS of one command over the runs, its waited-for\n"
	    "  children included (wait4, the figure /usr/bin/time -f %%M prints).\n");
}

/* ---- standalone -------------------------------------------------------- */

enum { SA_INPROC, SA_SIGNET, SA_SKOPEO, SA_COUNT };

struct standalone {
	size_t n;
	const char *manifest_path;
	const char *reference;
	const char *key_file;
	const char *fingerprint;
	const char *signature_path;
	unsigned char *manifest;
	size_t manifest_len;
	unsigned char *signature;
	size_t signature_len;
	double *ms;   /* 2n per-call timings, reused by every mode */
	char *digest; /* from the in-process warm-up call */
};

/* One in-process verification; checks the signer is the expected key.
 * *digest_out (may be NULL) receives the digest, caller frees. */
static int inproc_once(struct standalone *b, signet_ctx *ctx, char **digest_out)
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

static int bench_inproc(struct result *r, struct standalone *b)
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
	summarize(r, b->ms, b->n, now_ms() - total0, cpu_ms() - cpu0);
	/* Run first, so these peaks are the in-process run's: this process,
	 * and any process the library started and waited for. */
	r->self_rss_kib = maxrss_kib(RUSAGE_SELF);
	r->child_rss_kib = maxrss_kib(RUSAGE_CHILDREN);
	rc = 0;
out:
	signet_ctx_free(ctx);
	return rc;
}

static void usage_standalone(FILE *f)
{
	fprintf(f,
	        "Usage: bench_verify standalone [-n N] [-s SIGNET] [-k SKOPEO] -g GNUPGHOME\n"
	        "                               MANIFEST REFERENCE KEYFILE FINGERPRINT SIGNATURE\n\n"
	        "Times N standalone verifications of SIGNATURE in-process, as `signet standalone-verify`\n"
	        "processes and as `skopeo standalone-verify` processes, and prints a table.\n\n"
	        "  -n N          verifications per mode (default %d)\n"
	        "  -s SIGNET     the signet command (default: $SIGNET)\n"
	        "  -k SKOPEO     the skopeo command (default: $SKOPEO, else skopeo in PATH)\n"
	        "  -g GNUPGHOME  the GnuPG home skopeo uses, holding the key FINGERPRINT\n"
	        "  KEYFILE       the public key file (signet); FINGERPRINT its primary key (skopeo)\n",
	        BENCH_DEFAULT_N);
}

/* ---- options shared by the subcommands --------------------------------- */

static int parse_count(size_t *out, const char *arg, size_t max)
{
	unsigned long long v;
	char *end;

	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int bad_count(const char *opt, const char *arg, size_t max)
{
	fprintf(stderr, "bench_verify: %s takes a count from 1 to %zu, not \"%s\"\n", opt, max, arg);
	return EXIT_USAGE;
}

static int open_devnull(void)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "bench_verify: cannot open /dev/null: %s\n", strerror(errno));
	return fd;
}

static int cmd_standalone(int argc, char **argv)
{
	struct standalone b = {.n = BENCH_DEFAULT_N};
	struct result res[SA_COUNT] = {
	    {.name = "in-process"}, {.name = "signet exec"}, {.name = "skopeo exec"}};
	const char *skopeo = getenv("SKOPEO"), *signet_path = getenv("SIGNET"), *skopeo_home = NULL;
	char skopeo_path[BENCH_MAX_PATH];
	char *signet_argv[7], *skopeo_argv[7];
	char **skopeo_env = NULL;
	struct command cmds[2] = {{"signet standalone-verify", NULL, signet_argv, NULL},
	                          {"skopeo standalone-verify", skopeo_path, skopeo_argv, NULL}};
	int opt, devnull = -1, status = EXIT_FAIL;

	while ((opt = getopt(argc, argv, "hn:s:k:g:")) != -1) {
		switch (opt) {
		case 'n':
			if (parse_count(&b.n, optarg, BENCH_MAX_N) != 0)
				return bad_count("-n", optarg, BENCH_MAX_N);
			break;
		case 's': signet_path = optarg; break;
		case 'k': skopeo = optarg; break;
		case 'g': skopeo_home = optarg; break;
		case 'h': usage_standalone(stdout); return EXIT_OK;
		default: usage_standalone(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 5 || skopeo_home == NULL || signet_path == NULL) {
		if (signet_path == NULL)
			fprintf(stderr, "bench_verify: no signet command: pass -s or set SIGNET\n");
		if (skopeo_home == NULL)
			fprintf(stderr, "bench_verify: no GnuPG home for skopeo: pass -g\n");
		usage_standalone(stderr);
		return EXIT_USAGE;
	}
	b.manifest_path = argv[optind];
	b.reference = argv[optind + 1];
	b.key_file = argv[optind + 2];
	b.fingerprint = argv[optind + 3];
	b.signature_path = argv[optind + 4];

	if (find_skopeo(skopeo_path, sizeof(skopeo_path), skopeo) != 0)
		return EXIT_FAIL;
	if (access(signet_path, X_OK) != 0) {
		fprintf(stderr, "bench_verify: signet command %s: %s\n", signet_path, strerror(errno));
		return EXIT_FAIL;
	}

	/* The fourth argument: signet takes the key file, skopeo the
	 * fingerprint of a key in its ambient (GNUPGHOME) keyring. */
	signet_argv[0] = (char *)signet_path;
	skopeo_argv[0] = skopeo_path;
	signet_argv[1] = skopeo_argv[1] = (char *)"standalone-verify";
	signet_argv[2] = skopeo_argv[2] = (char *)b.manifest_path;
	signet_argv[3] = skopeo_argv[3] = (char *)b.reference;
	signet_argv[4] = (char *)b.key_file;
	skopeo_argv[4] = (char *)b.fingerprint;
	signet_argv[5] = skopeo_argv[5] = (char *)b.signature_path;
	signet_argv[6] = skopeo_argv[6] = NULL;
	cmds[0].path = signet_path;
	cmds[0].env = environ;

	if (read_file(&b.manifest, &b.manifest_len, b.manifest_path, SIGNET_MAX_MANIFEST_SIZE) != 0 ||
	    read_file(&b.signature, &b.signature_len, b.signature_path, SIGNET_MAX_SIGNATURE_SIZE) != 0)
		goto out;
	skopeo_env = env_with_gnupghome(skopeo_home);
	b.ms = calloc(b.n, 2 * sizeof(*b.ms));
	if (skopeo_env == NULL || b.ms == NULL) {
		fprintf(stderr, "bench_verify: out of memory\n");
		goto out;
	}
	cmds[1].env = skopeo_env;
	if ((devnull = open_devnull()) < 0)
		goto out;

	/* In-process first: its RSS peaks are read right after it. */
	if (bench_inproc(&res[SA_INPROC], &b) != 0 ||
	    bench_commands(&res[SA_SIGNET], cmds, 2, b.n, b.ms, devnull) != 0)
		goto out;

	printf("== standalone-verify: signet %s, one OpenPGP simple signing signature, %zu timed calls per "
	       "mode after 1 warm-up call\n",
	       signet_version(), b.n);
	printf("manifest %s (%zu bytes, %s), reference %s\n", b.manifest_path, b.manifest_len,
	       b.digest != NULL ? b.digest : "?", b.reference);
	printf("key %s (%s), signature %s (%zu bytes)\n\n", b.key_file, b.fingerprint, b.signature_path,
	       b.signature_len);
	print_rows(res, SA_COUNT);
	printf(
	    "in-process: one signet_ctx, signet_standalone_verify() per call; self KiB is this process's\n"
	    "  peak RSS after that run, peak KiB the largest of the processes the library waited for.\n\n");
	print_ratio_target("standalone-verify: skopeo p50 / signet p50", res[SA_SKOPEO].p50_ms,
	                   res[SA_SIGNET].p50_ms, TARGET_STANDALONE_X);
	printf("\n");
	status = EXIT_OK;
out:
	if (devnull >= 0)
		close(devnull);
	free_env(skopeo_env);
	free(b.ms);
	free(b.manifest);
	free(b.signature);
	free(b.digest);
	return status;
}

/* ---- pull -------------------------------------------------------------- */

/* a followed by b in a new string (caller frees), or NULL: no memory. */
static char *concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s;

	if (la > SIZE_MAX - 1 - lb || (s = malloc(la + lb + 1)) == NULL)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

static void usage_pull(FILE *f)
{
	fprintf(
	    f,
	    "Usage: bench_verify pull [-n N] [-s SIGNET] [-k SKOPEO] POLICY REGISTRIES_D IMAGE DIR\n\n"
	    "Times N pre-pull decisions about IMAGE (HOST:PORT/REPO:TAG, a plain-HTTP registry):\n"
	    "`signet verify` processes against `skopeo copy` processes to dir:DIR, both with POLICY\n"
	    "(a containers-policy.json) and REGISTRIES_D (where the signatures are), and prints a table.\n\n"
	    "  -n N          decisions per tool (default %d)\n"
	    "  -s SIGNET     the signet command (default: $SIGNET)\n"
	    "  -k SKOPEO     the skopeo command (default: $SKOPEO, else skopeo in PATH)\n",
	    BENCH_DEFAULT_N);
}

static int cmd_pull(int argc, char **argv)
{
	struct result res[2] = {{.name = "signet exec"}, {.name = "skopeo exec"}};
	const char *skopeo = getenv("SKOPEO"), *signet_path = getenv("SIGNET");
	char skopeo_path[BENCH_MAX_PATH];
	char *image = NULL, *dest = NULL;
	const char *policy, *regd, *ref, *dir;
	double *ms = NULL;
	size_t n = BENCH_DEFAULT_N;
	int opt, devnull = -1, status = EXIT_FAIL;

	while ((opt = getopt(argc, argv, "hn:s:k:")) != -1) {
		switch (opt) {
		case 'n':
			if (parse_count(&n, optarg, BENCH_MAX_N) != 0)
				return bad_count("-n", optarg, BENCH_MAX_N);
			break;
		case 's': signet_path = optarg; break;
		case 'k': skopeo = optarg; break;
		case 'h': usage_pull(stdout); return EXIT_OK;
		default: usage_pull(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 4 || signet_path == NULL) {
		if (signet_path == NULL)
			fprintf(stderr, "bench_verify: no signet command: pass -s or set SIGNET\n");
		usage_pull(stderr);
		return EXIT_USAGE;
	}
	policy = argv[optind];
	regd = argv[optind + 1];
	ref = argv[optind + 2];
	dir = argv[optind + 3];

	if (find_skopeo(skopeo_path, sizeof(skopeo_path), skopeo) != 0)
		return EXIT_FAIL;
	if (access(signet_path, X_OK) != 0) {
		fprintf(stderr, "bench_verify: signet command %s: %s\n", signet_path, strerror(errno));
		return EXIT_FAIL;
	}
	image = concat("docker://", ref);
	dest = concat("dir:", dir);
	ms = calloc(n, 2 * sizeof(*ms));
	if (image == NULL || dest == NULL || ms == NULL) {
		fprintf(stderr, "bench_verify: out of memory\n");
		goto out;
	}
	if ((devnull = open_devnull()) < 0)
		goto out;

	{
		char *signet_argv[] = {(char *)signet_path,
		                       (char *)"verify",
		                       (char *)"-q",
		                       (char *)"--policy",
		                       (char *)policy,
		                       (char *)"--registries.d",
		                       (char *)regd,
		                       (char *)"--tls-verify=false",
		                       image,
		                       NULL};
		/* dir:DIR is overwritten by every copy (skopeo replaces an
		 * image it wrote there before). */
		char *skopeo_argv[] = {skopeo_path,
		                       (char *)"--policy",
		                       (char *)policy,
		                       (char *)"--registries.d",
		                       (char *)regd,
		                       (char *)"copy",
		                       (char *)"-q",
		                       (char *)"--src-tls-verify=false",
		                       image,
		                       dest,
		                       NULL};
		const struct command cmds[2] = {{"signet verify", signet_path, signet_argv, environ},
		                                {"skopeo copy --policy", skopeo_path, skopeo_argv, environ}};

		if (bench_commands(res, cmds, 2, n, ms, devnull) != 0)
			goto out;
	}

	printf("== pre-pull decision: signet %s, %zu timed decisions per tool after 1 warm-up call\n",
	       signet_version(), n);
	printf("image %s (docker-registry over loopback), policy %s, registries.d %s\n", image, policy, regd);
	printf("signet exec: signet verify -q --policy POLICY --registries.d D --tls-verify=false %s\n",
	       image);
	printf(
	    "skopeo exec: skopeo --policy POLICY --registries.d D copy -q --src-tls-verify=false %s %s\n\n",
	    image, dest);
	print_rows(res, 2);
	printf("\n");
	print_ratio_target("pre-pull decision: skopeo copy p50 / signet verify p50", res[1].p50_ms,
	                   res[0].p50_ms, TARGET_PULL_X);
	printf("\n");
	status = EXIT_OK;
out:
	if (devnull >= 0)
		close(devnull);
	free(image);
	free(dest);
	free(ms);
	return status;
}

/* ---- rate ---------------------------------------------------------------- */

struct rate_key {
	const char *label; /* "RSA-3072 (A)" */
	const char *key_file;
	const char *fingerprint; /* the signer verify must report */
	const char *signature_path;
};

struct rate_result {
	size_t n;
	double setup_ms;    /* verifier_new */
	double first_ms;    /* the warm-up verify */
	double wall_s;      /* the n timed verifications */
	double cpu_s;       /* CLOCK_THREAD_CPUTIME_ID over them */
	double child_cpu_s; /* CPU of processes the verifier waited for meanwhile */
	double p50_us, p95_us;
	size_t sig_len;
	int capped; /* stopped by the time cap before n */
};

/*
 * One verifier for k's key, one warm-up verify checked for the right
 * signer, then up to n timed verifications of the same blob, stopping
 * after cap_s seconds.  ms has room for n doubles.  Returns 0 or -1 with a
 * message printed.
 */
static int bench_rate_key(struct rate_result *r, const struct rate_key *k, size_t n, double cap_s, double *ms)
{
	struct sn_err e;
	struct sn_buf key, payload;
	struct sn_signer signer = {NULL, NULL, NULL};
	const char *names[1] = {k->key_file};
	unsigned char *sig = NULL;
	size_t sig_len = 0, done = 0;
	void *state = NULL;
	double t0, total0, cpu0, child0, deadline;
	int rc, status = -1;

	memset(&e, 0, sizeof(e));
	sn_buf_init(&key, SIGNET_MAX_POLICY_FILE_SIZE, "key file");
	if (read_file(&sig, &sig_len, k->signature_path, SIGNET_MAX_SIGNATURE_SIZE) != 0)
		goto out;
	if ((rc = sn_file_read(&key, k->key_file, SIGNET_MAX_POLICY_FILE_SIZE, "key file", 0, &e)) != 0) {
		fprintf(stderr, "bench_verify: %s: %s: %s\n", k->label, signet_strerror(rc), e.msg);
		goto out;
	}
	t0 = now_ms();
	if ((rc = sn_openpgp_backend.verifier_new(&state, &key, names, 1, &e)) != 0) {
		fprintf(stderr, "bench_verify: %s: verifier_new: %s: %s\n", k->label, signet_strerror(rc),
		        e.msg);
		goto out;
	}
	r->setup_ms = now_ms() - t0;

	t0 = now_ms();
	if ((rc = sn_openpgp_backend.verify(state, sig, sig_len, &payload, &signer, &e)) != 0) {
		fprintf(stderr, "bench_verify: %s: verify %s: %s: %s\n", k->label, k->signature_path,
		        signet_strerror(rc), e.msg);
		goto out;
	}
	r->first_ms = now_ms() - t0;
	if (signer.fingerprint == NULL || strcasecmp(signer.fingerprint, k->fingerprint) != 0 ||
	    payload.len == 0) {
		fprintf(stderr,
		        "bench_verify: %s: verified as signed by %s (%zu payload bytes), expected %s\n",
		        k->label, signer.fingerprint != NULL ? signer.fingerprint : "nobody", payload.len,
		        k->fingerprint);
		sn_buf_free(&payload);
		goto out;
	}
	sn_buf_free(&payload);
	sn_signer_clear(&signer);

	child0 = children_cpu_ms();
	cpu0 = thread_cpu_ms();
	total0 = now_ms();
	deadline = total0 + cap_s * 1e3;
	for (done = 0; done < n; done++) {
		t0 = now_ms();
		if ((rc = sn_openpgp_backend.verify(state, sig, sig_len, &payload, &signer, &e)) != 0) {
			fprintf(stderr, "bench_verify: %s: verification %zu failed: %s: %s\n", k->label,
			        done + 1, signet_strerror(rc), e.msg);
			goto out;
		}
		ms[done] = now_ms() - t0;
		sn_buf_free(&payload);
		sn_signer_clear(&signer);
		if (t0 + ms[done] > deadline) {
			done++;
			break;
		}
	}
	r->wall_s = (now_ms() - total0) / 1e3;
	r->cpu_s = (thread_cpu_ms() - cpu0) / 1e3;
	r->child_cpu_s = (children_cpu_ms() - child0) / 1e3;
	r->capped = done < n;
	r->n = done;
	r->sig_len = sig_len;
	qsort(ms, done, sizeof(ms[0]), cmp_double);
	r->p50_us = median(ms, done) * 1e3;
	r->p95_us = percentile(ms, done, 95) * 1e3;
	status = 0;
out:
	sn_signer_clear(&signer);
	sn_openpgp_backend.verifier_free(state);
	sn_buf_free(&key);
	free(sig);
	return status;
}

/* Verifications per CPU second: this thread's and that of any child the
 * verifier waited for. */
static double rate_of(const struct rate_result *r)
{
	double cpu = r->cpu_s + r->child_cpu_s;

	return cpu > 0 ? (double)r->n / cpu : 0;
}

static void usage_rate(FILE *f)
{
	fprintf(f,
	        "Usage: bench_verify rate [-n N] [-t SECONDS] LABEL KEYFILE FINGERPRINT SIGNATURE\n"
	        "                         [LABEL KEYFILE FINGERPRINT SIGNATURE]...\n\n"
	        "Per key: one in-process OpenPGP verifier pinning KEYFILE, then N verifications of\n"
	        "SIGNATURE (which FINGERPRINT made) on one thread pinned to one CPU; prints the rates.\n\n"
	        "  -n N          verifications per key (default %d)\n"
	        "  -t SECONDS    stop a key's run after this long even before N (default %d)\n",
	        BENCH_DEFAULT_RATE_N, BENCH_DEFAULT_RATE_CAP);
}

/* Pins this thread to the CPU it runs on.  Returns that CPU, or -1 when
 * it could not (the run goes on, unpinned). */
static int pin_to_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET((size_t)cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0 ? cpu : -1;
}

static int cmd_rate(int argc, char **argv)
{
	struct rate_key keys[BENCH_MAX_RATE_KEYS];
	struct rate_result res[BENCH_MAX_RATE_KEYS];
	size_t n = BENCH_DEFAULT_RATE_N, cap_s = BENCH_DEFAULT_RATE_CAP, n_keys;
	double *ms = NULL;
	int opt, cpu, status = EXIT_FAIL;

	while ((opt = getopt(argc, argv, "hn:t:")) != -1) {
		switch (opt) {
		case 'n':
			if (parse_count(&n, optarg, BENCH_MAX_N) != 0)
				return bad_count("-n", optarg, BENCH_MAX_N);
			break;
		case 't':
			if (parse_count(&cap_s, optarg, BENCH_MAX_CAP) != 0)
				return bad_count("-t", optarg, BENCH_MAX_CAP);
			break;
		case 'h': usage_rate(stdout); return EXIT_OK;
		default: usage_rate(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind < 4 || (argc - optind) % 4 != 0 ||
	    (size_t)(argc - optind) / 4 > BENCH_MAX_RATE_KEYS) {
		fprintf(stderr,
		        "bench_verify: rate takes 1 to %d groups of LABEL KEYFILE FINGERPRINT SIGNATURE\n",
		        BENCH_MAX_RATE_KEYS);
		usage_rate(stderr);
		return EXIT_USAGE;
	}
	n_keys = (size_t)(argc - optind) / 4;
	for (size_t i = 0; i < n_keys; i++) {
		keys[i] = (struct rate_key){argv[optind + 4 * (int)i], argv[optind + 4 * (int)i + 1],
		                            argv[optind + 4 * (int)i + 2], argv[optind + 4 * (int)i + 3]};
	}
	memset(res, 0, sizeof(res));
	if ((ms = calloc(n, sizeof(*ms))) == NULL) {
		fprintf(stderr, "bench_verify: out of memory\n");
		return EXIT_FAIL;
	}
	cpu = pin_to_one_cpu();
	for (size_t i = 0; i < n_keys; i++)
		if (bench_rate_key(&res[i], &keys[i], n, (double)cap_s, ms) != 0)
			goto out;

	printf("== in-process verification rate: signet %s, backend \"%s\" (verify/verify.h), one verifier\n"
	       "per key made once, then the same signature verified up to %zu times (at most %zu s), one\n"
	       "thread, %s\n\n",
	       signet_version(), sn_openpgp_backend.name, n, cap_s,
	       cpu >= 0 ? "pinned to one CPU" : "NOT pinned (sched_setaffinity failed)");
	printf("%-18s %7s %8s %8s %8s %8s %8s %8s %9s %9s %10s %6s\n", "key", "N", "setup ms", "first ms",
	       "wall s", "wall/s", "p50 us", "p95 us", "thread s", "child s", "verif/s", "sig B");
	for (size_t i = 0; i < n_keys; i++) {
		const struct rate_result *r = &res[i];

		printf("%-18s %7zu %8.2f %8.3f %8.3f %8.0f %8.1f %8.1f %9.3f %9.3f %10.0f %6zu%s\n",
		       keys[i].label, r->n, r->setup_ms, r->first_ms, r->wall_s,
		       r->wall_s > 0 ? (double)r->n / r->wall_s : 0, r->p50_us, r->p95_us, r->cpu_s,
		       r->child_cpu_s, rate_of(r), r->sig_len, r->capped ? "  (time cap)" : "");
	}
	printf(
	    "\n"
	    "setup ms: verifier_new with the key (once).  first ms: the warm-up verify, checked for the\n"
	    "  signer.  wall s, wall/s: the N verifications by the clock (CLOCK_MONOTONIC), and N / wall s.\n"
	    "p50/p95 us: wall time of one verify.  thread s: this thread's CPU time over the N\n"
	    "  (CLOCK_THREAD_CPUTIME_ID); child s: CPU of the processes the verifier ran and waited for\n"
	    "  meanwhile (0 when none ran).  verif/s: N / (thread s + child s), the rate of one core,\n"
	    "  held to the target (CPU time, so that other load on the machine does not count).\n\n");
	for (size_t i = 0; i < n_keys; i++) {
		char what[128], got[32], want[32];

		snprintf(what, sizeof(what), "in-process verifications/s, one core, %s", keys[i].label);
		snprintf(got, sizeof(got), "%.0f/s", rate_of(&res[i]));
		snprintf(want, sizeof(want), ">= %.0f/s", TARGET_RATE);
		print_target(what, got, want, rate_of(&res[i]) >= TARGET_RATE);
	}
	printf("\n");
	status = EXIT_OK;
out:
	free(ms);
	return status;
}

/* ---- main ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "Usage: bench_verify standalone|pull|rate [OPTIONS] ARGS...\n"
	           "       bench_verify SUBCOMMAND -h   (its options)\n\n"
	           "standalone  signet standalone-verify (in-process and processes) against skopeo's\n"
	           "pull        signet verify against skopeo copy --policy, one image in a registry\n"
	           "rate        in-process OpenPGP verifications per second, per key\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* getopt starts again at the subcommand's first option. */
	if (strcmp(argv[1], "standalone") == 0)
		return cmd_standalone(argc - 1, argv + 1);
	if (strcmp(argv[1], "pull") == 0)
		return cmd_pull(argc - 1, argv + 1);
	if (strcmp(argv[1], "rate") == 0)
		return cmd_rate(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	fprintf(stderr, "bench_verify: unknown subcommand \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
