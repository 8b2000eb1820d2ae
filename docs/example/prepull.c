/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docs/example/prepull.c: libsignet used the way a guest runtime uses it,
 * right before it pulls the images of a workload.
 *
 *   prepull --contract CONTRACT [--registries.d DIR] [--tls-verify=false]
 *           [--threads N] IMAGE...
 *
 * For each IMAGE it prints, in the order given, either
 *
 *   PULL host/repo@sha256:...     the one reference the runtime may pull
 *   DENY IMAGE: reason            do not pull it, and why
 *
 * and exits 0 when every image may be pulled, 1 when any is denied (any
 * failure at all is a denial: the guest fails closed), 2 for bad usage or a
 * contract that does not parse, 3 when the contract or registries.d cannot
 * be read.
 *
 * The pattern to copy:
 *
 *  - one signet_ctx and one signet_verifier serve every image: the keys the
 *    contract pins are imported once into the verifier's private keyring,
 *    and registry connections and bearer tokens are kept in the context and
 *    reused from one image to the next;
 *  - for each image, signet_ref_parse() then signet_verify(); on success
 *    pull signet_verdict_pinned() and nothing else (never the tag: it may
 *    have moved since it was verified);
 *  - a context and a verifier are used by one thread at a time, so to check
 *    images in parallel give each thread its own pair (--threads N splits
 *    the images into N contiguous shares, one pair per share).  The
 *    answers are the same whatever N is.
 *
 * Of signet it uses only the public header <signet/signet.h> and the
 * shared library libsignet, as a program outside this tree would.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getopt_long() and strdup() under -std=c11 */
#endif
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signet/signet.h>

#define PREPULL_MAX_THREADS 64

enum { EXIT_PULL = 0, EXIT_DENY = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

static const char usage[] =
	"Usage: prepull --contract FILE [--registries.d DIR] [--tls-verify=false] [--threads N] IMAGE...\n"
	"Prints PULL <pinned reference> or DENY <image>: <reason> for each IMAGE.\n"
	"Exit codes: 0 every image may be pulled, 1 at least one is denied, 2 bad usage or contract,\n"
	"3 the contract or registries.d cannot be read.\n";

/* The answer for one image: the pinned reference to pull, or why not. */
struct answer {
	int allowed;
	char *text; /* allowed: the pinned reference; denied: the reason */
};

/* One thread's share: its own context and verifier, and the images
 * [first, first + count) of the command line. */
struct share {
	signet_ctx *ctx;
	signet_verifier *verifier;
	char *const *images;
	size_t first, count;
	struct answer *answers; /* indexed like images */
	pthread_t thread;
	int started;
};

/* Fills *a for one image.  The strings the library hands out are borrowed
 * (the pinned reference from the verdict, the message from the context
 * until its next call), so they are copied before anything is freed. */
static void check_image(struct answer *a, signet_ctx *ctx, signet_verifier *verifier, const char *image)
{
	signet_verdict *verdict = NULL;
	signet_ref *ref = NULL;
	const char *msg;
	int rc;

	rc = signet_ref_parse(&ref, ctx, image);
	if (rc == 0)
		rc = signet_verify(&verdict, verifier, ref);
	if (rc == 0) {
		a->allowed = 1;
		a->text = strdup(signet_verdict_pinned(verdict));
	} else {
		/* SIGNET_EDENIED is the policy saying no; anything else (the
		 * registry is down, a signature store cannot be read, ...) is a
		 * denial too. */
		msg = signet_ctx_errmsg(ctx);
		a->allowed = 0;
		a->text = strdup(msg[0] != '\0' ? msg : signet_strerror(rc));
	}
	signet_verdict_free(verdict);
	signet_ref_free(ref);
}

static void *run_share(void *arg)
{
	struct share *s = arg;
	size_t i;

	for (i = s->first; i < s->first + s->count; i++)
		check_image(&s->answers[i], s->ctx, s->verifier, s->images[i]);
	return NULL;
}

/* Makes the context and the verifier of one share.  The library keeps the
 * message of a failure in the context, so it is printed from there. */
static int share_open(struct share *s, const signet_ctx_options *copts, const signet_verifier_options *vopts)
{
	int rc;

	if ((rc = signet_ctx_new(&s->ctx, copts)) != 0) {
		fprintf(stderr, "prepull: cannot create a context: %s\n", signet_strerror(rc));
		return EXIT_UNREACHABLE;
	}
	if ((rc = signet_verifier_new(&s->verifier, s->ctx, vopts)) != 0) {
		fprintf(stderr, "prepull: %s\n", signet_ctx_errmsg(s->ctx));
		if (rc == SIGNET_EBADINPUT || rc == SIGNET_EINVAL || rc == SIGNET_ELIMIT)
			return EXIT_USAGE;
		return EXIT_UNREACHABLE;
	}
	return 0;
}

/* --threads N: 1 <= N <= PREPULL_MAX_THREADS, digits only. */
static int parse_threads(size_t *out, const char *arg)
{
	char *end;
	unsigned long n;

	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	n = strtoul(arg, &end, 10);
	if (*end != '\0' || n < 1 || n > PREPULL_MAX_THREADS)
		return -1;
	*out = n;
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_CONTRACT = 256, OPT_REGISTRIES_D, OPT_TLS_VERIFY, OPT_THREADS };
	static const struct option longopts[] = {
		{ "contract", required_argument, NULL, OPT_CONTRACT },
		{ "registries.d", required_argument, NULL, OPT_REGISTRIES_D },
		{ "tls-verify", required_argument, NULL, OPT_TLS_VERIFY },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	signet_ctx_options copts = SIGNET_CTX_OPTIONS_INIT;
	signet_verifier_options vopts = SIGNET_VERIFIER_OPTIONS_INIT;
	struct share shares[PREPULL_MAX_THREADS];
	struct answer *answers = NULL;
	char *const *images;
	size_t n_images, n_threads = 1, i;
	int opt, code = EXIT_PULL;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_CONTRACT:
			vopts.contract_file = optarg;
			break;
		case OPT_REGISTRIES_D:
			vopts.registries_d = optarg;
			break;
		case OPT_TLS_VERIFY:
			if (strcmp(optarg, "true") != 0 && strcmp(optarg, "false") != 0) {
				fprintf(stderr, "prepull: --tls-verify takes true or false, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			copts.tls_verify = strcmp(optarg, "true") == 0;
			break;
		case OPT_THREADS:
			if (parse_threads(&n_threads, optarg) != 0) {
				fprintf(stderr, "prepull: --threads takes a number from 1 to %d, not '%s'\n",
					PREPULL_MAX_THREADS, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_PULL;
		default:
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (vopts.contract_file == NULL || optind == argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	images = argv + optind;
	n_images = (size_t)(argc - optind);
	if (n_threads > n_images)
		n_threads = n_images;
	if ((answers = calloc(n_images, sizeof(*answers))) == NULL) {
		fputs("prepull: out of memory\n", stderr);
		return EXIT_UNREACHABLE;
	}
	memset(shares, 0, sizeof(shares));

	/* One context and one verifier per share, made up front so that a
	 * contract that does not parse is reported once, before any image is
	 * looked at.  With one share (the default) this is the single pair
	 * that serves every image. */
	for (i = 0; i < n_threads; i++) {
		shares[i].images = images;
		shares[i].answers = answers;
		shares[i].first = i * n_images / n_threads;
		shares[i].count = (i + 1) * n_images / n_threads - shares[i].first;
		if ((code = share_open(&shares[i], &copts, &vopts)) != 0)
			goto out;
	}

	if (n_threads == 1) {
		run_share(&shares[0]);
	} else {
		for (i = 0; i < n_threads; i++) {
			if (pthread_create(&shares[i].thread, NULL, run_share, &shares[i]) != 0) {
				fputs("prepull: cannot start a thread\n", stderr);
				code = EXIT_UNREACHABLE;
				break;
			}
			shares[i].started = 1;
		}
		for (i = 0; i < n_threads; i++)
			if (shares[i].started)
				pthread_join(shares[i].thread, NULL);
		if (code != 0)
			goto out;
	}

	/* The answers in the order of the command line, whatever thread found
	 * them. */
	for (i = 0; i < n_images; i++) {
		const struct answer *a = &answers[i];

		if (a->text == NULL) {
			printf("DENY %s: out of memory\n", images[i]);
			code = EXIT_DENY;
		} else if (a->allowed) {
			printf("PULL %s\n", a->text);
		} else {
			printf("DENY %s: %s\n", images[i], a->text);
			code = EXIT_DENY;
		}
	}
	if (fflush(stdout) != 0) {
		perror("prepull: stdout");
		code = EXIT_UNREACHABLE;
	}
out:
	for (i = 0; i < n_threads; i++) {
		signet_verifier_free(shares[i].verifier);
		signet_ctx_free(shares[i].ctx);
	}
	if (answers != NULL)
		for (i = 0; i < n_images; i++)
			free(answers[i].text);
	free(answers);
	return code;
}
