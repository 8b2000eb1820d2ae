/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/latency_proxy.c: a TCP relay on loopback that makes a local
 * registry behave like a distant one, for the -j benchmark
 * (bench/bench-audit-jobs.sh).
 *
 *   signet-latency-proxy LISTEN-PORT TARGET-PORT DELAY-MS
 *
 * Each accepted connection gets its own process and its own connection to
 * 127.0.0.1:TARGET-PORT, opened after DELAY-MS (the TCP handshake's round
 * trip).  Every chunk the client sends is held DELAY-MS before it is
 * passed on, and answers come straight back: an HTTP request and its
 * answer then take one round trip of DELAY-MS more than on loopback, as
 * over a network whose round-trip time is DELAY-MS.  Prints "ready" once
 * it listens.  A benchmark tool, never a test oracle.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Longest delay accepted, in milliseconds. */
#define PROXY_MAX_DELAY_MS 10000L
/* Bytes relayed per read. */
#define PROXY_CHUNK 65536

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long parse_num(const char *s, long max, const char *what)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 0 || n > max) {
		fprintf(stderr, "signet-latency-proxy: %s: \"%s\" is not a number from 0 to %ld\n", what, s,
		        max);
		exit(2);
	}
	return n;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Relays between the client c and the target t until either closes. */
static void relay(int c, int t, long delay_ms)
{
	static char buf[PROXY_CHUNK];
	struct pollfd p[2] = {{c, POLLIN, 0}, {t, POLLIN, 0}};

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
				continue;
			n = recv(p[i].fd, buf, sizeof(buf), 0);
			if (n <= 0)
				return;
			if (i == 0 && delay_ms > 0)
				sleep_ms(delay_ms); /* the request's trip */
			if (send_all(i == 0 ? t : c, buf, (size_t)n) != 0)
				return;
		}
	}
}

static void serve(int c, int target_port, long delay_ms)
{
	struct sockaddr_in a;
	int t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)target_port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sleep_ms(delay_ms); /* the handshake's round trip */
	if (t >= 0 && connect(t, (struct sockaddr *)&a, sizeof(a)) == 0)
		relay(c, t, delay_ms);
	if (t >= 0)
		close(t);
	close(c);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	long port, target, delay;
	int one = 1, l;

	if (argc != 4) {
		fputs("usage: signet-latency-proxy LISTEN-PORT TARGET-PORT DELAY-MS\n", stderr);
		return 2;
	}
	port = parse_num(argv[1], 65535, "LISTEN-PORT");
	target = parse_num(argv[2], 65535, "TARGET-PORT");
	delay = parse_num(argv[3], PROXY_MAX_DELAY_MS, "DELAY-MS");
	signal(SIGCHLD, SIG_IGN); /* children reaped by the kernel */
	if ((l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
		perror("signet-latency-proxy: socket");
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 64) != 0) {
		perror("signet-latency-proxy: bind");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int c = accept(l, NULL, NULL);

		if (c < 0) {
			if (errno == EINTR)
				continue;
			perror("signet-latency-proxy: accept");
			return 1;
		}
		switch (fork()) {
		case 0:
			close(l);
			serve(c, (int)target, delay);
			_exit(0);
		case -1: perror("signet-latency-proxy: fork"); break;
		default: break;
		}
		close(c);
	}
}
