/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_http1.c: HTTP/1.1 answers (registry/http1.c
 * sn_h1_read_answer) read from memory, as a GET and as a HEAD.  The first
 * input byte says how the rest arrives: its low six bits are the largest
 * piece one read returns (0: as much as asked), its bit 6 makes the end of
 * the input a broken connection rather than a clean close.  The sink
 * stops a body at FUZZ_H1_MAX_BODY bytes.  What the reader promises is
 * checked: a head at most once and before any body, a final status,
 * bounded fields, no more body than Content-Length said, none for HEAD,
 * a reason for every failure.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry/http1.h"

#define FUZZ_H1_MAX_BODY (256u * 1024u)

struct mem_io {
	const uint8_t *data;
	size_t size, at, piece;
	int end_broken;
};

struct sink_state {
	int head_request, heads;
	int64_t length;
	size_t body;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n, enum sn_h1_outcome *outcome)
{
	struct mem_io *m = ctx;
	size_t k = m->size - m->at;

	if (k == 0) {
		if (!m->end_broken)
			return 0;
		*outcome = SN_H1_RESET;
		return -1;
	}
	if (n == 0)
		abort(); /* a read of nothing would look like the end */
	if (k > n)
		k = n;
	if (m->piece > 0 && k > m->piece)
		k = m->piece;
	memcpy(buf, m->data + m->at, k);
	m->at += k;
	return (ssize_t)k;
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

static int on_head(void *ud, const struct sn_h1_answer *a, int64_t length)
{
	struct sink_state *s = ud;

	if (s->heads++ > 0 || s->body > 0)
		abort();
	if (a->status < 200 || a->status > 599 || a->minor < 0 || a->minor > 9 ||
	    a->n_headers > SN_H1_MAX_HEADERS || length < -1 ||
	    ((s->head_request || a->status == 204 || a->status == 304) && length != 0))
		abort();
	for (size_t i = 0; i < a->n_headers; i++) {
		const struct sn_h1_header *h = &a->headers[i];

		if (h->name == NULL || h->value == NULL || h->name[0] == '\0' ||
		    strpbrk(h->name, " \t\r\n:") != NULL || strpbrk(h->value, "\r\n") != NULL ||
		    (h->value[0] != '\0' && (blank(h->value[0]) || blank(h->value[strlen(h->value) - 1]))))
			abort();
		if (sn_h1_header(a, h->name, 0) == NULL || sn_h1_header_count(a, h->name) == 0)
			abort();
	}
	s->length = length;
	return 0;
}

static int on_body(void *ud, const void *data, size_t n)
{
	struct sink_state *s = ud;

	(void)data;
	if (s->heads != 1 || s->head_request || n == 0)
		abort();
	s->body += n;
	if (s->length >= 0 && s->body > (uint64_t)s->length)
		abort(); /* more than Content-Length said */
	return s->body > FUZZ_H1_MAX_BODY;
}

static void one(const uint8_t *data, size_t size, size_t piece, int end_broken, int head_request)
{
	struct mem_io m = {data, size, 0, piece, end_broken};
	struct sn_h1_io io = {mem_read, &m};
	struct sink_state s = {head_request, 0, -1, 0};
	struct sn_h1_sink sink = {on_head, on_body, &s};
	struct sn_h1_answer a;
	enum sn_h1_outcome out;
	int reusable = -1;
	char why[256];

	memset(&a, 0, sizeof(a));
	memset(why, 'x', sizeof(why));
	out = sn_h1_read_answer(&io, head_request, &a, &sink, &reusable, why, sizeof(why));
	if (memchr(why, '\0', sizeof(why)) == NULL && out != SN_H1_DONE)
		abort();
	switch (out) {
	case SN_H1_DONE:
		/* the whole answer: its head, and all the body it announced */
		if (s.heads != 1 || (s.length >= 0 && s.body != (uint64_t)s.length))
			abort();
		break;
	case SN_H1_STOPPED:
		if (s.heads != 1 || s.body <= FUZZ_H1_MAX_BODY || reusable == 1)
			abort(); /* only the sink stops */
		break;
	case SN_H1_MALFORMED:
	case SN_H1_RESET:
	case SN_H1_NOMEM:
		if (reusable == 1)
			abort();
		break;
	default: abort(); /* nothing else can come out of memory */
	}
	if (out != SN_H1_DONE && why[0] == '\0')
		abort(); /* a reason for any outcome but SN_H1_DONE */
	sn_h1_answer_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t piece;
	int broken;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	piece = data[0] & 0x3f;
	broken = (data[0] & 0x40) != 0;
	one(data + 1, size - 1, piece, broken, 0);
	one(data + 1, size - 1, piece, broken, 1);
	return 0;
}
