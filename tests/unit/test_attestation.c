/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_attestation.c: the attestation record (verify/
 * attestation.c) without certificates: the API's argument checks, and the
 * record read and compared with a contract (sn_attestation_parse): header
 * lines, lenient labels, each status, each malformed record with its line,
 * each limit met and crossed.  The signature and chain are in
 * tests/integration/attestation.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "verify/verify.h"

/* sha256 of "hyper-protect-basic.W.W" and of "hyper-protect-basic.E.E" */
#define W_HEX "6e2730a0f2080b3244a6aabe83ed648b45e4119306a9e06f03022e18744cd040"
#define E_HEX "1088f36fe5df96b02a4deaae433d283e30ad5123361240dd7d42144c095d2c0f"
#define X_HEX "cae662172fd450bb0cd710a769079c05bfc5d8e35efa6576edc7d0377afdd4a2"

static const char contract[] = "workload: hyper-protect-basic.W.W\nenv: hyper-protect-basic.E.E\n";

static signet_attestation *parse_ok(const char *text, const char *c)
{
	signet_attestation *a = NULL;
	struct sn_err e = {0};

	if (sn_attestation_parse(&a, "rec", text, strlen(text), c, c != NULL ? strlen(c) : 0, &e) != 0)
		fail_msg("sn_attestation_parse: %s", e.msg);
	return a;
}

static void parse_fails(const char *text, size_t len, const char *c, int code, const char *msg)
{
	signet_attestation *a = NULL;
	struct sn_err e = {0};

	assert_int_equal(sn_attestation_parse(&a, "rec", text, len, c, c != NULL ? strlen(c) : 0, &e), code);
	assert_null(a);
	if (strstr(e.msg, msg) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg);
}

static void test_api_arguments(void **state)
{
	signet_attestation_options o = SIGNET_ATTESTATION_OPTIONS_INIT;
	signet_attestation *a = NULL;
	signet_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	assert_int_equal(signet_attestation_verify(NULL, ctx, "d", &o), SIGNET_EINVAL);
	assert_int_equal(signet_attestation_verify(&a, NULL, "d", &o), SIGNET_EINVAL);
	assert_int_equal(signet_attestation_verify(&a, ctx, NULL, &o), SIGNET_EINVAL);
	assert_int_equal(signet_attestation_verify(&a, ctx, "d", NULL), SIGNET_EINVAL);
	assert_int_equal(signet_attestation_verify(&a, ctx, "d", &o), SIGNET_EINVAL);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "no attestation certificate"));
	o.cert = "/nonexistent/attestation.crt";
	o.n_ca_files = 1;
	assert_int_equal(signet_attestation_verify(&a, ctx, "d", &o), SIGNET_EINVAL);
	o.n_ca_files = 0;
	o.version = 99;
	assert_int_equal(signet_attestation_verify(&a, ctx, "d", &o), SIGNET_EINVAL);
	o.version = SIGNET_ATTESTATION_OPTIONS_VERSION;
	assert_int_equal(signet_attestation_verify(&a, ctx, "d", &o), SIGNET_ENOTFOUND);
	assert_non_null(strstr(signet_ctx_errmsg(ctx), "/nonexistent/attestation.crt"));
	assert_null(a);
	/* getters accept NULL */
	signet_attestation_free(NULL);
	assert_int_equal(signet_attestation_ok(NULL), 0);
	assert_int_equal(signet_attestation_entry_count(NULL), 0);
	assert_null(signet_attestation_entry_at(NULL, 0));
	assert_string_equal(signet_attestation_status_name(42), "invalid");
	signet_ctx_free(ctx);
}

static void test_statuses(void **state)
{
	const signet_attestation_entry *en;
	signet_attestation *a;

	(void)state;
	a = parse_ok("25.11.0\nImage age: 3 days\n" X_HEX " baseimage\n" W_HEX " contract:workload\n" X_HEX
	             " contract:env\n" X_HEX " contract:envWorkloadSignature\n",
	             contract);
	assert_int_equal(signet_attestation_header_count(a), 2);
	assert_string_equal(signet_attestation_header(a, 1), "Image age: 3 days");
	assert_int_equal(signet_attestation_entry_count(a), 4);
	en = signet_attestation_entry_at(a, 0);
	assert_int_equal(en->status, SIGNET_ATTEST_RECORDED);
	assert_null(en->section);
	en = signet_attestation_entry_at(a, 1);
	assert_int_equal(en->status, SIGNET_ATTEST_MATCHED);
	assert_string_equal(en->expected, W_HEX);
	assert_int_equal(en->line, 4);
	en = signet_attestation_entry_at(a, 2);
	assert_int_equal(en->status, SIGNET_ATTEST_DIFFERS);
	assert_string_equal(en->expected, E_HEX);
	en = signet_attestation_entry_at(a, 3);
	assert_int_equal(en->status, SIGNET_ATTEST_UNKNOWN);
	assert_string_equal(en->section, "envWorkloadSignature");
	assert_int_equal(signet_attestation_ok(a), 0); /* no signature, no chain */
	signet_attestation_free(a);

	/* labels, case of the hex, CRLF; env missing */
	a = parse_ok(W_HEX "  CONTRACT : workload\r\n\n", contract);
	assert_int_equal(signet_attestation_entry_count(a), 2);
	assert_int_equal(signet_attestation_entry_at(a, 0)->status, SIGNET_ATTEST_MATCHED);
	assert_string_equal(signet_attestation_entry_at(a, 0)->name, "CONTRACT : workload");
	en = signet_attestation_entry_at(a, 1);
	assert_int_equal(en->status, SIGNET_ATTEST_MISSING);
	assert_string_equal(en->name, "contract:env");
	assert_int_equal(en->line, 0);
	assert_null(en->recorded);
	signet_attestation_free(a);

	a = parse_ok("6E2730A0F2080B3244A6AABE83ED648B45E4119306A9E06F03022E18744CD040\tworkload\n" E_HEX
	             " *env\n",
	             contract);
	assert_int_equal(signet_attestation_entry_at(a, 0)->status, SIGNET_ATTEST_MATCHED);
	assert_string_equal(signet_attestation_entry_at(a, 0)->recorded, W_HEX);
	assert_int_equal(signet_attestation_entry_at(a, 1)->status, SIGNET_ATTEST_MATCHED);
	signet_attestation_free(a);

	/* without a contract: unchecked */
	a = parse_ok(W_HEX " contract:workload\n", NULL);
	assert_int_equal(signet_attestation_entry_at(a, 0)->status, SIGNET_ATTEST_UNCHECKED);
	assert_null(signet_attestation_entry_at(a, 0)->expected);
	signet_attestation_free(a);
}

static void test_malformed(void **state)
{
	static const char nul[] = W_HEX " workload\n\0";

	(void)state;
	parse_fails(W_HEX " workload\nheader after\n", strlen(W_HEX " workload\nheader after\n"), NULL,
	            SIGNET_EBADINPUT, "rec: line 2: not a checksum line");
	parse_fails(W_HEX " workload\n" W_HEX " contract:workload\n", 2 * (64 + 1) + 9 + 18, NULL,
	            SIGNET_EBADINPUT,
	            "rec: line 2: a second checksum of the contract's workload (first at line 1)");
	parse_fails("only a header\n", 14, NULL, SIGNET_EBADINPUT, "rec: no checksum line");
	parse_fails(nul, sizeof(nul) - 1, NULL, SIGNET_EBADINPUT, "rec: holds a NUL byte");
	parse_fails(W_HEX " contract:\n", 64 + 11, NULL, SIGNET_EBADINPUT,
	            "a contract checksum naming no section");
	parse_fails(W_HEX " workload\n", 64 + 10, "workload:\n  type: workload\nenv: x\n", SIGNET_EBADINPUT,
	            "contract (fuzz): line 1: workload is written as a mapping");
	parse_fails(W_HEX " workload\n", 64 + 10, "- a list\n", SIGNET_EBADINPUT,
	            "the top level must be a mapping");
}

/* n lines: header lines, then one checksum line; each line len bytes. */
static char *lines(size_t n, size_t len, size_t *total)
{
	char *t = malloc(n * (len + 1) + 1), *p = t;

	assert_non_null(t);
	for (size_t i = 0; i + 1 < n; i++) {
		memset(p, 'h', len);
		p[len] = '\n';
		p += len + 1;
	}
	memcpy(p, W_HEX " workload", 64 + 9);
	memset(p + 64 + 9, 'x', len - 64 - 9); /* "workloadxxx": a recorded line */
	p[len] = '\n';
	p += len + 1;
	*total = (size_t)(p - t);
	*p = '\0';
	return t;
}

static void test_limits(void **state)
{
	signet_attestation *a;
	size_t len;
	char *t;

	(void)state;
	t = lines(SIGNET_MAX_ATTESTATION_LINES, 80, &len);
	a = parse_ok(t, NULL);
	assert_int_equal(signet_attestation_header_count(a), SIGNET_MAX_ATTESTATION_LINES - 1);
	signet_attestation_free(a);
	free(t);
	t = lines(SIGNET_MAX_ATTESTATION_LINES + 1, 80, &len);
	parse_fails(t, len, NULL, SIGNET_ELIMIT, "SIGNET_MAX_ATTESTATION_LINES");
	free(t);
	t = lines(2, SIGNET_MAX_ATTESTATION_LINE_LENGTH, &len);
	a = parse_ok(t, NULL);
	signet_attestation_free(a);
	free(t);
	t = lines(2, SIGNET_MAX_ATTESTATION_LINE_LENGTH + 1, &len);
	parse_fails(t, len, NULL, SIGNET_ELIMIT, "rec: line 1: longer than 4096 bytes");
	free(t);
	t = lines(256, 4096, &len);
	assert_true(len > SIGNET_MAX_ATTESTATION_RECORD_SIZE);
	parse_fails(t, len, NULL, SIGNET_ELIMIT, "SIGNET_MAX_ATTESTATION_RECORD_SIZE");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_api_arguments),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
